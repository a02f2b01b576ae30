"""Benchmark: ``import lmsdecide`` cold, in a fresh interpreter each time.

    .venv/bin/python bench/bench_import.py

Each sample starts a new Python process (``python -c "import ..."``), so nothing is cached in
the interpreter (the operating system's file cache is warm after the first run, as it is for a
user). The baseline is the bare interpreter (``python -c "pass"``), measured interleaved; the
import's own cost is the difference. ``import lmsdecide`` is lazy (public names load on first
use), so the heavier entries show what each layer costs when it is first touched.

Target: ``import lmsdecide`` under 1 s.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

from _harness import Row, print_rows, repeats, row

SUITE = "import"

# (case, statement, target)
CASES: tuple[tuple[str, str, str], ...] = (
    ("import lmsdecide", "import lmsdecide", "< 1 s"),
    ("import numpy (reference)", "import numpy", ""),
    ("L.example('it_led') (scenario layer)", "import lmsdecide as L; L.example('it_led')", ""),
    (
        "import the three model packages",
        "import lmsdecide.influence, lmsdecide.timing, lmsdecide.partner",
        "",
    ),
    ("import lmsdecide.figures.influence (plotly)", "import lmsdecide.figures.influence", ""),
    ("import lmsdecide.widgets (ipywidgets)", "import lmsdecide.widgets", ""),
)


def _run(statement: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
    return time.perf_counter() - t0


def run() -> list[Row]:
    """Measure and return the import rows."""
    rows: list[Row] = []
    for case, statement, target in CASES:
        rep = repeats(7 if target else 3)
        module = statement.split()[1].split(";")[0].rstrip(",")
        if importlib.util.find_spec(module.split(".")[0]) is None or (
            "." in module and importlib.util.find_spec(module) is None
        ):
            rows.append({"suite": SUITE, "case": case, "not_measured": f"{module} does not exist"})
            continue
        _run(statement)  # warm the file cache
        ours: list[float] = []
        floor: list[float] = []
        for _ in range(rep):
            ours.append(_run(statement))
            floor.append(_run("pass"))
        med = sorted(ours)[len(ours) // 2]
        net = [o - f for o, f in zip(ours, floor, strict=True)]
        rows.append(
            row(
                SUITE,
                case,
                ours,
                baseline=floor,
                baseline_name='bare interpreter: python -c "pass"',
                ratio=med / sorted(floor)[len(floor) // 2],
                ratio_meaning="process with the import / bare interpreter",
                target=target,
                holds=(med < 1.0) if target else None,
                note=f"the import itself (minus the interpreter): "
                f"{sorted(net)[len(net) // 2] * 1e3:.0f} ms median",
            )
        )
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
