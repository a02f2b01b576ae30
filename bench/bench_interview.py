"""Benchmark: the guided interview, headless (answers file -> validated scenario).

    .venv/bin/python bench/bench_interview.py

Three cases on the bundled eight-department example (data/interview/example_answers.yaml):
``build_scenario`` in process against ``validate_scenario`` of the scenario data it produces (the
baseline: what validating the same scenario costs anyway); the headless command
``lmsdecide interview --answers ... -o FILE`` against ``lmsdecide validate FILE`` (the same
interpreter start and imports: the ratio shows what the interview adds); and the counts: answers
given against values written. Timing is never asserted in tests; this script only reports.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import Row, Samples, print_rows, repeats, row, sample_pair

from lmsdecide.interview import (
    answer_count,
    build_scenario,
    build_scenario_data,
    example_answers,
    value_count,
)
from lmsdecide.interview.files import example_answers_path
from lmsdecide.scenario import validate_scenario

SUITE = "interview"


def _command(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lmsdecide.cli", *args], check=True, capture_output=True, timeout=300
    )
    return time.perf_counter() - t0


def run() -> list[Row]:
    """Measure and return the interview rows."""
    answers = example_answers()
    data = build_scenario_data(answers)
    rows: list[Row] = []
    ours, base = sample_pair(
        lambda: build_scenario(answers), lambda: validate_scenario(data), repeats(20)
    )
    rows.append(
        row(
            SUITE,
            "build_scenario, 8 departments",
            ours,
            baseline=base,
            baseline_name="validate_scenario of the same scenario",
            note=f"{answer_count(answers)} answers -> {value_count(data)} values",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "org.yaml"
        cli, check = Samples(), Samples()
        for _ in range(repeats(5, 1)):
            cli.append(
                _command(
                    [
                        "interview",
                        "--answers",
                        str(example_answers_path()),
                        "-o",
                        str(out),
                        "--force",
                    ]
                )
            )
            check.append(_command(["validate", str(out)]))
        rows.append(
            row(
                SUITE,
                "lmsdecide interview --answers (headless, wall)",
                cli,
                baseline=check,
                baseline_name="lmsdecide validate of the file written",
                unit="s",
                scale=1.0,
                note="interpreter start and imports included",
            )
        )
    return rows


if __name__ == "__main__":
    print_rows(run())
