"""Shared helpers of the benchmark suite: timing, summaries, result rows and the machine.

Every benchmark measures lmsdecide and its baseline in the same run. Where both are cheap enough,
they are measured *interleaved* (one sample of each in turn), so that load from other processes on
this shared 2-core machine falls on both alike and the ratio stays meaningful even when the
absolute times drift.

A result row is a plain dict (JSON-ready)::

    {"suite": "monte_carlo", "case": "...", "unit": "ms",
     "lmsdecide": {summary}, "baseline": {summary} | None, "baseline_name": "...",
     "ratio": float | None, "ratio_meaning": "...",
     "target": "...", "holds": True | False | None, "note": "..."}

with ``summary`` = ``{"median", "p95", "q25", "q75", "min", "max", "samples"}`` in the row's unit.
``lmsdecide_cpu`` and ``baseline_cpu`` (or None) summarise this process's CPU time per call, which
load from other processes does not inflate. A row that could not be measured has
``"not_measured": "<why>"`` and no summaries.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

Row = dict[str, Any]

QUICK = False  # set by the suite's --quick flag: fewer repeats, for a smoke run


class Samples(list[float]):
    """Wall-clock seconds per call, with the process's CPU seconds per call in ``cpu``.

    On a shared machine the wall time includes waiting for a core; the CPU time of this process
    does not, so it shows what the same code costs on an idle machine (for single-threaded
    code; multi-threaded BLAS adds its threads' time, spinning included).
    """

    def __init__(self, wall: list[float] | None = None, cpu: list[float] | None = None) -> None:
        super().__init__(wall or [])
        self.cpu: list[float] = list(cpu or [])


def repeats(full: int, quick: int = 2) -> int:
    """The number of repeats: ``full`` normally, ``quick`` in a smoke run."""
    return quick if QUICK else full


def _calibrate(fn: Callable[[], object], min_sample: float) -> int:
    """Calls per sample so that one sample lasts about ``min_sample`` seconds."""
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    return max(1, int(min_sample / once))


def sample(fn: Callable[[], object], repeat: int, min_sample: float = 0.005) -> Samples:
    """Per-call times (seconds) of ``fn``: ``repeat`` samples, each the mean of a few calls.

    One warm-up call comes first; fast functions are called several times per sample so that
    timer resolution does not dominate.
    """
    fn()
    number = _calibrate(fn, min_sample)
    out = Samples()
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(number):
            fn()
        out.append((time.perf_counter() - t0) / number)
        out.cpu.append((time.process_time() - c0) / number)
    return out


def sample_pair(
    fa: Callable[[], object],
    fb: Callable[[], object],
    repeat: int,
    min_sample: float = 0.005,
) -> tuple[Samples, Samples]:
    """Per-call times of ``fa`` and ``fb`` measured interleaved (a, b, a, b, ...)."""
    fa()
    fb()
    na, nb = _calibrate(fa, min_sample), _calibrate(fb, min_sample)
    ta, tb = Samples(), Samples()
    for _ in range(repeat):
        for fn, number, out in ((fa, na, ta), (fb, nb, tb)):
            c0, t0 = time.process_time(), time.perf_counter()
            for _ in range(number):
                fn()
            out.append((time.perf_counter() - t0) / number)
            out.cpu.append((time.process_time() - c0) / number)
    return ta, tb


def summary(seconds: list[float], scale: float = 1e3) -> dict[str, float | int]:
    """Median, p95, quartiles, min and max of the samples, times ``scale`` (ms by default)."""
    x = np.asarray(seconds, dtype=float) * scale
    q25, med, q75, p95 = np.percentile(x, [25, 50, 75, 95])
    return {
        "median": float(med),
        "p95": float(p95),
        "q25": float(q25),
        "q75": float(q75),
        "min": float(x.min()),
        "max": float(x.max()),
        "samples": int(x.size),
    }


def row(
    suite: str,
    case: str,
    ours: list[float],
    *,
    baseline: list[float] | None = None,
    baseline_name: str = "",
    ratio: float | None = None,
    ratio_meaning: str = "baseline / lmsdecide (above 1: lmsdecide faster)",
    target: str = "",
    holds: bool | None = None,
    holds_cpu: bool | None = None,
    note: str = "",
    unit: str = "ms",
    scale: float = 1e3,
) -> Row:
    """A result row; ``ratio`` defaults to median(baseline) / median(ours).

    ``holds`` judges the target on the wall clock; ``holds_cpu`` on this process's CPU time (what
    an idle machine would give), where the target is about time.
    """
    s_ours = summary(ours, scale)
    s_base = summary(baseline, scale) if baseline else None
    if ratio is None and s_base is not None and s_ours["median"] > 0:
        ratio = s_base["median"] / s_ours["median"]
    cpu = getattr(ours, "cpu", None)
    base_cpu = getattr(baseline, "cpu", None)
    return {
        "suite": suite,
        "case": case,
        "unit": unit,
        "lmsdecide": s_ours,
        "lmsdecide_cpu": summary(cpu, scale) if cpu else None,
        "baseline": s_base,
        "baseline_cpu": summary(base_cpu, scale) if base_cpu else None,
        "baseline_name": baseline_name,
        "ratio": ratio,
        "ratio_meaning": ratio_meaning if ratio is not None else "",
        "target": target,
        "holds": holds,
        "holds_cpu": holds_cpu,
        "note": note,
    }


def not_measured(suite: str, case: str, why: str, target: str = "") -> Row:
    """A row for something that could not be measured in this run, and why."""
    return {"suite": suite, "case": case, "not_measured": why, "target": target, "holds": None}


def growth_exponent(sizes: list[float], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size): time grows like size ** exponent."""
    slope, _ = np.polyfit(np.log(sizes), np.log(times), 1)
    return float(slope)


def print_rows(rows: list[Row]) -> None:
    """A small plain-text table of the rows (median, p95, baseline median, ratio, target)."""
    head = f"{'case':<52}{'median':>10}{'p95':>10}{'baseline':>10}{'ratio':>9}  {'target':<26}holds"
    print(head)
    print("-" * len(head))
    for r in rows:
        if "not_measured" in r:
            print(f"{r['case']:<52}not measured: {r['not_measured']}")
            continue
        if "lmsdecide" not in r:
            print(f"{r['case']:<52}{r.get('note', '')}")
            continue
        o, b, c = r["lmsdecide"], r["baseline"], r.get("lmsdecide_cpu")
        unit = "" if r["unit"] == "ms" else f" {r['unit']}"
        base = f"{b['median']:>10.3g}" if b else f"{'-':>10}"
        cpu = f"{c['median']:>10.3g}" if c else f"{'-':>10}"
        ratio = f"{r['ratio']:>8.2f}x" if r["ratio"] is not None else f"{'-':>9}"
        holds = {True: "yes", False: "NO", None: ""}[r["holds"]]
        print(
            f"{r['case'][:51]:<52}{o['median']:>10.3g}{o['p95']:>10.3g}{cpu}{base}{ratio}  "
            f"{r['target'][:25]:<26}{holds}{unit}"
        )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for name in (
        "lmsdecide",
        "numpy",
        "scipy",
        "pandas",
        "plotly",
        "ipywidgets",
        "pydantic",
        "networkx",
        "pymcdm",
        "ahpy",
        "nbclient",
        "ipykernel",
    ):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    return out


def blas_info() -> list[dict[str, Any]]:
    """The BLAS/OpenMP libraries numpy loaded and the kernel they run (threadpoolctl)."""
    import numpy  # noqa: F401  (load the BLAS before asking)

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"note": "threadpoolctl not installed: BLAS kernel not reported"}]
    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    return [{k: str(info.get(k, "")) for k in keys} for info in threadpool_info()]


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def machine() -> dict[str, Any]:
    """The machine, versions, BLAS kernel, relevant environment and load, as a dict."""
    env_names = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "commit": _git_commit(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python_executable": sys.executable,
        "versions": _versions(),
        "blas": blas_info(),
        "environment": {k: os.environ.get(k, "(unset)") for k in env_names},
        # make bench unsets the OpenBLAS core-type variables for its own command only
        "caller_environment": {
            k: os.environ[f"BENCH_CALLER_{k}"]
            for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
            if f"BENCH_CALLER_{k}" in os.environ
        },
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def median(x: list[float]) -> float:
    """The median of a list (seconds in, seconds out)."""
    return statistics.median(x)
