"""Benchmark: Run All of each notebook on a fresh kernel.

    .venv/bin/python bench/bench_notebooks.py

For every ``notebooks/*.ipynb``: start a new kernel (nbclient, the environment's ``python3``
kernel), then time executing all its cells in order, as JupyterLab's Run All does; the kernel's
start is timed apart. The baseline, measured at the start on fresh kernels, is an empty notebook
(one cell, ``pass``), the floor of any Run All. Nothing is written back to the notebooks.

Target (issue 9): each notebook's Run All under 10 s (the kernel's start not included; it is
reported beside it). Each notebook runs twice (once when it takes over 15 s: the run already says
the target is missed, and the suite must stay within a few minutes).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from _harness import Row, print_rows, repeats, row

SUITE = "notebooks"
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SLOW = 15.0  # seconds: a notebook slower than this is run once, not repeated


def _run_all(nb: Any, cwd: Path) -> tuple[float, float]:
    """(kernel start, Run All) seconds for one fresh kernel."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=False,
    )
    t0 = time.perf_counter()
    with client.setup_kernel():
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def run() -> list[Row]:
    """Measure and return one row per notebook."""
    try:
        import nbformat
    except ImportError as exc:
        return [{"suite": SUITE, "case": "notebooks", "not_measured": f"nbformat missing: {exc}"}]
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        return [{"suite": SUITE, "case": "notebooks", "not_measured": "no notebooks found"}]
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    rows: list[Row] = []
    rep = repeats(2, 1)
    floor = [_run_all(nbformat.from_dict(empty), NOTEBOOKS)[1] for _ in range(rep)]
    for path in paths:
        starts: list[float] = []
        ours: list[float] = []
        try:
            for _ in range(rep):
                nb = nbformat.read(path, as_version=4)
                start, run_all = _run_all(nb, path.parent)
                starts.append(start)
                ours.append(run_all)
                if run_all > SLOW:  # far over the target: one run says enough
                    break
        except Exception as exc:
            rows.append(
                {
                    "suite": SUITE,
                    "case": path.name,
                    "not_measured": f"Run All failed: {type(exc).__name__}: {str(exc)[:200]}",
                    "target": "< 10 s",
                    "holds": False,
                }
            )
            continue
        med = sorted(ours)[len(ours) // 2]
        rows.append(
            row(
                SUITE,
                f"{path.name} Run All",
                ours,
                baseline=floor,
                baseline_name="empty notebook (one cell: pass) on a fresh kernel",
                ratio=med / sorted(floor)[len(floor) // 2],
                ratio_meaning="notebook / empty notebook",
                target="< 10 s",
                holds=med < 10.0,
                note=f"{len(nb.cells)} cells; kernel start "
                f"{sorted(starts)[len(starts) // 2]:.2f} s (not included)",
                unit="s",
                scale=1.0,
            )
        )
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
