"""The ``sweep`` and ``sensitivity`` sub-commands."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lmsdecide.cli import main


@pytest.mark.slow
def test_sweep_prints_a_summary_and_writes_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    code = main(
        [
            "sweep",
            "it_led",
            "--vary",
            "departments.ld.authority=0:4",
            "--vary",
            "engagement.it=needs_analysis,design,never",
            "--measure",
            "learning_share",
            "--measure",
            "top_driver",
            "--n",
            "30",
            "--workers",
            "1",
            "--output",
            str(out),
            "--discover",
            "learning_share < 0.15",
            "--measure",
            "learning_driven",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    assert "30 variants of 2 factors" in text
    assert "learning_share: min" in text and "top_driver:" in text
    table = pd.read_csv(out)
    assert len(table) == 30
    assert table["departments.ld.authority"].between(0, 4).all()
    # little formal say for L&D: learning drives even less
    assert "learning_share < 0.15:" in text
    assert "1. Learning and Development: authority at most" in text
    assert set(table["engagement.it"]) <= {"needs_analysis", "design", "never"}


def test_sweep_resumes_from_out_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", "it_led", "--vary", "departments.it.authority", "--measure",
            "learning_share", "--n", "20", "--chunk-size", "5", "--workers", "1",
            "--out", str(tmp_path)]  # fmt: skip
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["variants"] == 20 and summary["reused_chunks"] == 4


def test_sensitivity_tornado_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "sensitivity",
            "it_led",
            "--measure",
            "learning_share",
            "--method",
            "tornado",
            "--vary",
            "departments.it.authority",
            "--vary",
            "departments.ld.authority=0:2",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    lines = text.splitlines()
    assert "One at a time: learning_share" in lines[0]
    rows = [line.split() for line in lines[2:]]
    assert {r[0] for r in rows} == {"departments.it.authority", "departments.ld.authority"}
    swings = [float(r[3]) for r in rows]
    assert swings == sorted(swings, reverse=True) and swings[-1] > 0


def test_sensitivity_morris_json_defaults_to_declared_parameters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["sensitivity", "it_led", "--measure", "p80", "--trajectories", "4",
                 "--draws", "200", "--json"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    factors = {row["factor"] for row in data["factors"]}
    assert "simulate_schedule.rework_capacity" in factors
    assert "simulate_schedule.n" not in factors  # a numerical setting, not an assumption


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "it_led", "--vary", "departments.nobody.power"], "unknown department"),
        (["sweep", "it_led", "--measure", "p95"], "unknown"),
        (["sweep", "it_led", "--vary", "launch_target=a:b"], "two numbers"),
        (
            ["sensitivity", "it_led", "--measure", "p80", "--method", "sobol", "--n", "100"],
            "power of two",
        ),
        (
            [
                "sensitivity",
                "it_led",
                "--measure",
                "p80",
                "--vary",
                "simulate_schedule.rework_capacity=0:99",
            ],
            "declared range",
        ),
    ],
)
def test_bad_requests_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_unknown_scenario_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "no_such_scenario"]) == 1
