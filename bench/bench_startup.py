"""Benchmark: time to the first usable page, for the workshop app and each dashboard notebook.

    .venv/bin/python bench/bench_startup.py

1. ``lmsdecide present`` (the real command: Voila serving notebooks/05_workshop_live.ipynb and
   the room's participants' server beside it, on free ports, a fresh room file): from starting
   the process to the Workshop page showing its first figure with data in Debian's chromium
   (Playwright; the browser is started before the clock). The page is requested as soon as the
   server answers. Recorded beside it: when the server first answered, and when the page showed
   three figures with data (the whole first screen). Baseline: Voila serving a one-cell
   notebook (``print('ready')``) with the same options, to the page showing ``ready``: the
   floor of any Voila app on this machine.
2. Each dashboard notebook (01 to 05 and 07), in a fresh kernel (nbclient, the environment's
   ``python3`` kernel): from the kernel being ready to the dashboard's cell done, i.e. the
   kernel has built the dashboard and sent its figures (what JupyterLab shows once the kernel
   starts). The cells run are the notebook's first code cell (imports, the scenario) and every
   cell that builds a dashboard (in 07 the explorer at the end; the analyses between are not
   part of the dashboard). The kernel's own start is reported beside it. Baseline: an empty
   notebook (one cell, ``pass``) on a fresh kernel.

The breakdown (one extra run per notebook): the same cells with ``import lmsdecide.widgets``
run first as a cell of its own, so the note gives imports and building + sending apart.

Targets: the first Workshop figure within 5 s of ``lmsdecide present``; each dashboard within
3 s of its kernel being ready. Nothing here is asserted: the suite reports.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _harness import Row, Samples, print_rows, repeats, row

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the browser tests' server and chromium helpers
    sys.path.insert(0, str(ROOT))

from lmsdecide.cli._common import compile_package  # noqa: E402
from tests.browser.pages import CHROMIUM, chromium, free_port, wait_for  # noqa: E402

SUITE = "startup"
NOTEBOOKS = ROOT / "notebooks"
#: Dashboard notebooks and the names whose construction marks a dashboard cell.
DASHBOARDS = {
    "01_who_drives.ipynb": "WhoDrives(",
    "02_when_to_engage.ipynb": "WhenToEngage(",
    "03_choose_a_partner.ipynb": "ChoosePartner(",
    "04_compare_scenarios.ipynb": "CompareScenarios(",
    "05_workshop_live.ipynb": "workshop",
    "07_explore_uncertainty.ipynb": "ExploreUncertainty(",
}
PRESENT_TARGET = 5.0  # seconds
DASHBOARD_TARGET = 3.0  # seconds

#: True once some plotly figure in the page holds data (x, y or values).
FIGURE_WITH_DATA = """(count) => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(el => (el.data || []).some(t => ['x', 'y', 'values', 'z']
        .some(k => t[k] && t[k].length > 0))).length >= count"""


def _wait_until_served(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """The moment ``url`` first answers (polled every 50 ms: this is what is timed)."""
    wait_for(url, timeout, process, poll=0.05)
    return time.monotonic()


@contextlib.contextmanager
def _started(command: list[str], env: dict[str, str], log: Path) -> Iterator[Any]:
    """The command running in a session of its own; the whole session is stopped after."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # present stops Voila and the room
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _page_times(
    browser: Any, command: list[str], env: dict[str, str], port: int, figures: int, log: Path
) -> dict[str, float]:
    """Seconds from starting ``command`` to: the server answering, the first figure with data,
    ``figures`` figures with data (0: the cell output ``ready`` instead)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    url = f"http://127.0.0.1:{port}/"
    try:
        start = time.monotonic()
        with _started(command, env, log) as process:
            served = _wait_until_served(f"{url}voila/static/voila.js", process, 120)
            page.goto(url, timeout=240_000)
            if figures == 0:
                page.get_by_text("ready").first.wait_for(timeout=240_000)
                first = all_shown = time.monotonic()
            else:
                page.wait_for_function(FIGURE_WITH_DATA, arg=1, timeout=240_000)
                first = time.monotonic()
                page.wait_for_function(FIGURE_WITH_DATA, arg=figures, timeout=240_000)
                all_shown = time.monotonic()
    finally:
        context.close()
    return {"served": served - start, "first": first - start, "all": all_shown - start}


def _present(browser: Any, rep: int, tmp: Path) -> list[Row]:
    from lmsdecide.cli.present import present_command

    ours, floor = Samples(), Samples()
    served, whole, floor_served = [], [], []
    for i in range(rep):
        port, room_port = free_port(), free_port()
        command = [
            sys.executable,
            "-m",
            "lmsdecide.cli",
            "present",
            f"--port={port}",
            f"--room-port={room_port}",
            f"--room-db={tmp / f'room-{i}.sqlite'}",
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        t = _page_times(browser, command, env, port, 3, tmp / "present.log")
        ours.append(t["first"])
        served.append(t["served"])
        whole.append(t["all"])
        # the floor: Voila with the same template serving a notebook with one empty cell
        empty = tmp / "empty.ipynb"
        if not empty.exists():
            import nbformat

            cell = nbformat.v4.new_code_cell("print('ready')")
            nbformat.write(nbformat.v4.new_notebook(cells=[cell]), empty)
        port = free_port()
        base_command, base_env = present_command(port, notebook="05_workshop_live.ipynb")
        at = next(i for i, a in enumerate(base_command) if a.endswith("05_workshop_live.ipynb"))
        base_command[at] = str(empty)
        t = _page_times(browser, base_command, base_env, port, 0, tmp / "floor.log")
        floor.append(t["first"])
        floor_served.append(t["served"])

    def med(x: list[float]) -> float:
        return sorted(x)[len(x) // 2]

    return [
        row(
            SUITE,
            "lmsdecide present to the Workshop's first figure with data (chromium)",
            ours,
            baseline=floor,
            baseline_name="Voila (same options) serving a one-cell notebook, to its output shown",
            ratio=med(ours) / med(floor),
            ratio_meaning="Workshop / empty Voila app",
            target=f"<= {PRESENT_TARGET:.0f} s",
            holds=med(ours) <= PRESENT_TARGET,
            note=f"server answering after {med(served):.2f} s (the empty app's: "
            f"{med(floor_served):.2f} s); three figures with data after {med(whole):.2f} s",
            unit="s",
            scale=1.0,
        )
    ]


def _dashboard_cells(nb: Any, marker: str) -> list[int]:
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    chosen = [code[0]] + [i for i in code[1:] if marker in nb.cells[i].source]
    return sorted(set(chosen))


def _kernel_run(nb: Any, cells: list[int], split_imports: bool) -> tuple[float, float, float]:
    """(kernel start, kernel ready -> last chosen cell done, imports cell) seconds."""
    import nbformat
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=False,
    )
    shift = 0
    if split_imports:  # a cell of its own, first: nbclient addresses cells by their index
        nb.cells.insert(0, nbformat.v4.new_code_cell("import lmsdecide.widgets"))
        shift = 1
    t0 = time.perf_counter()
    imports = 0.0
    with client.setup_kernel():
        t1 = time.perf_counter()
        if split_imports:
            client.execute_cell(nb.cells[0], 0)
            imports = time.perf_counter() - t1
        for index in cells:
            client.execute_cell(nb.cells[index + shift], index + shift)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1, imports


def _dashboards(rep: int) -> list[Row]:
    import nbformat

    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    floor = [_kernel_run(nbformat.from_dict(empty), [0], False)[1] for _ in range(rep)]
    rows: list[Row] = []
    for name, marker in DASHBOARDS.items():
        path = NOTEBOOKS / name
        if not path.exists():
            rows.append({"suite": SUITE, "case": name, "not_measured": "no such notebook"})
            continue
        nb = nbformat.read(path, as_version=4)
        cells = _dashboard_cells(nb, marker)
        starts: list[float] = []
        ours = Samples()
        try:
            for _ in range(rep):
                start, shown, _ = _kernel_run(nbformat.read(path, as_version=4), cells, False)
                starts.append(start)
                ours.append(shown)
            _, split_total, imports = _kernel_run(nbformat.read(path, as_version=4), cells, True)
        except Exception as exc:
            rows.append(
                {
                    "suite": SUITE,
                    "case": f"{name} dashboard",
                    "not_measured": f"{type(exc).__name__}: {str(exc)[:200]}",
                    "target": f"<= {DASHBOARD_TARGET:.0f} s",
                    "holds": False,
                }
            )
            continue
        med = sorted(ours)[len(ours) // 2]
        rows.append(
            row(
                SUITE,
                f"{name} dashboard shown, from the kernel ready",
                ours,
                baseline=floor,
                baseline_name="empty notebook (one cell: pass) on a fresh kernel",
                ratio=med / sorted(floor)[len(floor) // 2],
                ratio_meaning="dashboard / empty notebook",
                target=f"<= {DASHBOARD_TARGET:.0f} s",
                holds=med <= DASHBOARD_TARGET,
                note=f"cells {', '.join(str(i + 1) for i in cells)}; kernel start "
                f"{sorted(starts)[len(starts) // 2]:.2f} s (not included); breakdown run: "
                f"import lmsdecide.widgets {imports:.2f} s, the rest (models, widgets, "
                f"figures sent) {split_total - imports:.2f} s",
                unit="s",
                scale=1.0,
            )
        )
    return rows


def run() -> list[Row]:
    """Measure and return the startup rows."""
    rows: list[Row] = []
    rep = repeats(3, 1)
    if importlib.util.find_spec("playwright") is None:
        rows.append({"suite": SUITE, "case": "present", "not_measured": "playwright is missing"})
    elif not Path(CHROMIUM).exists():
        rows.append({"suite": SUITE, "case": "present", "not_measured": "no chromium"})
    else:
        with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
            rows.extend(_present(browser, rep, Path(tmp)))
    compile_package()  # as `lmsdecide lab` does before JupyterLab starts any kernel
    rows.extend(_dashboards(rep))
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
