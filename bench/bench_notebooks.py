"""Benchmark: Run All of each notebook on a fresh kernel.

    .venv/bin/python bench/bench_notebooks.py

For every ``notebooks/*.ipynb``: start a new kernel (nbclient, the environment's ``python3``
kernel), then time executing all its cells in order, as JupyterLab's Run All does; the kernel's
start is timed apart. The baseline, measured at the start on fresh kernels, is an empty notebook
(one cell, ``pass``), the floor of any Run All. Nothing is written back to the notebooks.

Target: each notebook's Run All under 10 s (the kernel's start not included; it is
reported beside it). The kernel's CPU time during Run All (psutil) is recorded beside the wall
clock. Each notebook runs twice (once when it takes over the 10 s target: the run already
says the target is missed, and the suite must stay within a few minutes).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from _harness import Row, Samples, print_rows, repeats, row

SUITE = "notebooks"
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SLOW = 10.0  # seconds (the target): a notebook slower than this is run once, not repeated


def _kernel_cpu(client: Any) -> float | None:
    """CPU seconds used so far by the kernel process (psutil), or None when unknown."""
    try:
        import psutil

        pid = client.km.provisioner.process.pid
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)
    except Exception:
        return None


def _run_all(nb: Any, cwd: Path, cells: list[float] | None = None) -> tuple[float, float, Any]:
    """(kernel start, Run All, kernel CPU during Run All) seconds for one fresh kernel.

    ``cells``, if given, receives each cell's own time.
    """
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
        c1 = _kernel_cpu(client)
        for index, cell in enumerate(nb.cells):
            tc = time.perf_counter()
            client.execute_cell(cell, index)
            if cells is not None:
                cells.append(time.perf_counter() - tc)
        t2 = time.perf_counter()
        c2 = _kernel_cpu(client)
    cpu = c2 - c1 if c1 is not None and c2 is not None else None
    return t1 - t0, t2 - t1, cpu


def _first_line(source: str) -> str:
    lines = [x for x in source.splitlines() if x.strip() and not x.startswith("#")]
    return (lines[0][:50] if lines else "").replace("|", "/")


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
        ours = Samples()
        try:
            for _ in range(rep):
                nb = nbformat.read(path, as_version=4)
                cell_times: list[float] = []
                start, run_all, cpu = _run_all(nb, path.parent, cell_times)
                starts.append(start)
                ours.append(run_all)
                if cpu is not None:
                    ours.cpu.append(cpu)
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
        slow = sorted(range(len(cell_times)), key=lambda i: -cell_times[i])[:3]
        slow_text = "; ".join(
            f"cell {i + 1} {cell_times[i]:.1f} s ({_first_line(nb.cells[i].source)})" for i in slow
        )
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
                holds_cpu=(float(sorted(ours.cpu)[len(ours.cpu) // 2]) < 10.0)
                if ours.cpu
                else None,
                note=f"{len(nb.cells)} cells; kernel start "
                f"{sorted(starts)[len(starts) // 2]:.2f} s (not included); slowest: {slow_text}",
                unit="s",
                scale=1.0,
            )
        )
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
