"""The benchmark suite: run every benchmark, write bench/results.json and bench/results.md.

    make bench                               # the whole suite (a few minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run: fewer repeats
    .venv/bin/python bench/run.py --only monte_carlo,models

Each benchmark module (``bench_<area>.py``) exposes ``run() -> list[row]`` and stays runnable
alone. Every row measures lmsdecide and a baseline in the same run and gives their ratio, since
absolute times vary between machines; the results files also record the machine, the versions,
the BLAS kernel numpy runs, the date and the load. Timing is never asserted in the tests: this
suite only reports.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _harness  # noqa: E402
import regressions  # noqa: E402

# suite name -> module; explore is another engineer's script, called only if it has run()
SUITES: dict[str, str] = {
    "import": "bench_import",
    "models": "bench_influence,bench_partner",
    "monte_carlo": "bench_timing",
    "control_to_figure": "bench_widgets,bench_held_key",
    "notebooks": "bench_notebooks",
    "explore": "bench_explore",
    "room": "bench_room",
    "interview": "bench_interview",
    "decide": "bench_decide",
    "startup": "bench_startup",
    "browser": "bench_browser",
}

TITLES = {
    "import": "Import",
    "models": "Models",
    "monte_carlo": "Monte Carlo",
    "control_to_figure": "Control to figure (dashboards, in-process)",
    "notebooks": "Notebooks (Run All on a fresh kernel)",
    "explore": "Explore",
    "room": "The live room (participants' server to the facilitator's view)",
    "interview": "Interview (headless)",
    "decide": "Decision helpers (partner odds, levers, value of information)",
    "startup": "Startup (lmsdecide present in chromium; dashboards from a fresh kernel)",
    "browser": "In the browser (action to figure in the page, JupyterLab and Voila)",
}


def _load_run(module_name: str) -> Callable[[], list[dict[str, Any]]] | str:
    """The module's ``run`` function, or why there is none."""
    if importlib.util.find_spec(module_name) is None:
        return f"bench/{module_name}.py does not exist"
    module = importlib.import_module(module_name)
    fn = getattr(module, "run", None)
    if not callable(fn):
        return f"bench/{module_name}.py exposes no run() function"
    return fn


def run_suite(name: str) -> list[dict[str, Any]]:
    """Run one suite's modules; failures become "not measured" rows with the error."""
    rows: list[dict[str, Any]] = []
    for module_name in SUITES[name].split(","):
        try:
            fn = _load_run(module_name)
            if isinstance(fn, str):
                rows.append(_harness.not_measured(name, module_name, fn))
                continue
            produced = fn()
        except Exception as exc:
            traceback.print_exc()
            rows.append(
                _harness.not_measured(name, module_name, f"{type(exc).__name__}: {exc}"[:300])
            )
            continue
        for r in produced:
            if isinstance(r, dict) and "case" in r:
                r.setdefault("suite", name)
                rows.append(r)
            else:
                rows.append(_harness.not_measured(name, module_name, f"unexpected row {r!r}"[:200]))
    return rows


def _fmt(x: float | None, digits: int = 3) -> str:
    if x is None:
        return "-"
    return f"{x:.{digits}g}"


def _holds(value: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[value]


def markdown(result: dict[str, Any]) -> str:
    """The readable results file."""
    m = result["machine"]
    lines = [
        "# lmsdecide benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py`{' --quick' if result['quick'] else ''}) on "
        f"{m['date']}, commit {m['commit']}, in {result['duration_s']:.0f} s.",
        "Every ratio compares lmsdecide with a baseline measured in the same run (interleaved "
        "where both are cheap), so it is more portable than the absolute times. Times are "
        "wall-clock medians; p95 and the interquartile range show the spread over repeated "
        "runs. The CPU time of the benchmark process (not inflated by other processes waiting "
        "for the same 2 cores) is given beside it: on an idle machine the wall time approaches "
        "it. Targets are judged on the wall clock.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; {m['platform']}",
        f"- load average (1 min) before / after the run: {m['load_average_1min']} / "
        f"{result['load_after']} (the machine is shared: other processes were running)",
        "- environment of the benchmark process: "
        + ", ".join(f"`{k}={v}`" for k, v in m["environment"].items()),
        (
            "- `make bench` unset the OpenBLAS core-type variables for its command only; in the "
            "calling shell: " + ", ".join(f"`{k}={v}`" for k, v in m["caller_environment"].items())
            if m.get("caller_environment")
            else "- run directly (not through `make bench`): the environment above is the shell's"
        ),
        "- BLAS (threadpoolctl): "
        + "; ".join(", ".join(f"{k} {v}" for k, v in info.items() if v) for info in m["blas"]),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        "",
        "## Targets",
        "",
        "| suite | case | target | measured (wall clock) | CPU time (bench process; for "
        "notebooks the kernel) | holds | would hold on CPU time |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        if not r.get("target"):
            continue
        cpu = r.get("lmsdecide_cpu")
        cpu_text = f"median {_fmt(cpu['median'])}, p95 {_fmt(cpu['p95'])}" if cpu else "-"
        if "not_measured" in r:
            measured = f"not measured: {r['not_measured']}"
        elif "growth_exponent" in r:
            measured = r["note"]
        else:
            o = r["lmsdecide"]
            measured = f"median {_fmt(o['median'])} {r['unit']}, p95 {_fmt(o['p95'])}"
            if r.get("ratio") is not None and ("floor" in r["target"] or "loop" in r["target"]):
                measured += f"; ratio {r['ratio']:.2f}x"
        holds = _holds(r.get("holds"))
        holds_cpu = _holds(r.get("holds_cpu"))
        lines.append(
            f"| {r['suite']} | {r['case']} | {r['target']} | {measured} | {cpu_text} | {holds} "
            f"| {holds_cpu} |"
        )
    for suite in SUITES:
        rows = [r for r in result["rows"] if r["suite"] == suite]
        if not rows:
            continue
        lines += [
            "",
            f"## {TITLES[suite]}",
            "",
            "| case | unit | median | p95 | IQR | n | CPU median | baseline | baseline median "
            "| ratio | note |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rows:
            if "not_measured" in r:
                lines.append(
                    f"| {r['case']} | | not measured: {r['not_measured']} | | | | | | | | |"
                )
                continue
            if "growth_exponent" in r:
                lines.append(
                    f"| {r['case']} | | exponent {r['growth_exponent']:.2f} | | | | | | | | "
                    f"{r['note']} |"
                )
                continue
            o, b, c = r["lmsdecide"], r["baseline"], r.get("lmsdecide_cpu")
            ratio = f"{r['ratio']:.2f}x ({r['ratio_meaning']})" if r["ratio"] is not None else "-"
            lines.append(
                f"| {r['case']} | {r['unit']} | {_fmt(o['median'])} | {_fmt(o['p95'])} | "
                f"{_fmt(o['q25'])}–{_fmt(o['q75'])} | {o['samples']} | "
                f"{_fmt(c['median']) if c else '-'} | {r['baseline_name'] or '-'} "
                f"| {_fmt(b['median']) if b else '-'} | {ratio} | {r['note']} |"
            )
        details = [r for r in rows if r.get("controls")]
        for r in details:
            lines += [
                "",
                f"<details><summary>{r['case']}: per control (median ms)</summary>",
                "",
                "| control | to the figures | to the kernel free | CPU to the figures "
                "| CPU to the kernel free | figures moved |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for d in r["controls"]:
                lines.append(
                    f"| {d['control']} | {d['to_figures_median_ms']:.2f} | "
                    f"{d['to_return_median_ms']:.2f} | {d['to_figures_cpu_median_ms']:.2f} | "
                    f"{d['to_return_cpu_median_ms']:.2f} | {d['figures_moved']}/{d['figures']} |"
                )
            lines += ["", "</details>"]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--only", default="", help="comma-separated suites: " + ", ".join(SUITES))
    parser.add_argument("--out", default=str(HERE), help="folder for results.json and results.md")
    args = parser.parse_args(argv)
    _harness.QUICK = args.quick
    chosen = [s for s in args.only.split(",") if s] or list(SUITES)
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}")
    os.chdir(HERE.parent)
    machine = _harness.machine()
    print(f"lmsdecide benchmarks on {machine['cpu']} ({machine['cores']} cores), {machine['date']}")
    print(f"BLAS: {machine['blas']}; env: {machine['environment']}")
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    for suite in chosen:
        t0 = time.perf_counter()
        print(f"\n== {TITLES[suite]}")
        suite_rows = run_suite(suite)
        _harness.print_rows(suite_rows)
        print(f"({time.perf_counter() - t0:.0f} s)")
        rows.extend(suite_rows)
    result = {
        "machine": machine,
        "quick": args.quick,
        "suites": chosen,
        "duration_s": time.perf_counter() - start,
        "load_after": round(os.getloadavg()[0], 2),
        "rows": rows,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    flags = _regression_flags(result)
    (out / "results.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    (out / "results.md").write_text(markdown(result) + _regression_section(flags))
    targets = [r for r in rows if r.get("target")]
    held = sum(r.get("holds") is True for r in targets)
    held_cpu = sum(r.get("holds_cpu", r.get("holds")) is True for r in targets)
    print(
        f"\n{held} of {len(targets)} target rows hold on the wall clock ({held_cpu} on CPU time); "
        f"wrote {out / 'results.json'} and results.md"
    )
    print(regressions.console(flags))
    return 0


def _regression_flags(result: dict[str, Any]) -> dict[str, Any]:
    """This run against the last committed bench/results.json (none: nothing to compare)."""
    previous = regressions.committed_results()
    flags = regressions.compare(previous, result)
    flags["commit"] = (previous or {}).get("machine", {}).get("commit")
    return flags


def _regression_section(flags: dict[str, Any]) -> str:
    """The results.md section listing the flagged rows (appended after the suites)."""
    return "\n".join(regressions.markdown(flags, flags.get("commit"))) + "\n"


if __name__ == "__main__":
    sys.exit(main())
