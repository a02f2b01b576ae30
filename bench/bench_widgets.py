"""Benchmark: control to figure, in-process, for every control of every dashboard.

    .venv/bin/python bench/bench_widgets.py

For each dashboard (built with its defaults, as a notebook opens it; no browser) and each of its
controls that holds a value (sliders, number boxes, drop-downs, check boxes, multiple selections),
the control is set to a neighbouring value and back several times. Each change is timed twice
from ``widget.value = new``:

* to the figures: until the dashboard's ``draw()`` (``_draw()`` in the Workshop) returns (its
  ``go.FigureWidget``s then hold the new data, sent to the browser as one batch); a change that
  redraws nothing (a selector) counts until the assignment returns;
* to the kernel free: until the assignment returns (the observers are synchronous), i.e. when
  the kernel can take the next slider event; this includes the findings panel.

On the first change of each control the figures (trace data and layout) are fingerprinted
before and after, to record how many figures moved.

Baseline, measured after the first change of each control, on the same state: what a
dashboard that rebuilds its figures per change would do at the least: recompute the models
(``dashboard.compute``) and build every figure anew as a ``go.Figure`` from its builder. It
leaves out the findings panel (``diagnose``) and the status line, which the dashboard's own
time includes, so the ratios are conservative.

Targets (issue 9): per dashboard, median under one 60 Hz frame (16.7 ms) and p95 under 50 ms.
Buttons, the file upload and the save-path box are actions, not live controls, and are skipped
(listed in the row). A dashboard that does not exist yet gets a "not measured" row.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import Row, Samples, print_rows, repeats, row

SUITE = "control_to_figure"
FRAME = 1 / 60
SKIP_NAMES = {"upload", "save_path", "overwrite", "save"}
DASHBOARDS = ("WhoDrives", "WhenToEngage", "ChoosePartner", "CompareScenarios", "Workshop")


def _fingerprint(fig: Any) -> str:
    from plotly.utils import PlotlyJSONEncoder

    text = json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()


def _other_value(widget: Any) -> Any | None:
    """A neighbouring valid value for the widget, or None when it is not a value control."""
    import ipywidgets as W

    if not hasattr(widget, "value"):
        return None
    value = widget.value
    if isinstance(widget, (W.Checkbox, W.ToggleButton)):
        return not value
    if isinstance(widget, W.SelectMultiple):  # drop the last chosen, or add one
        options = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        chosen = tuple(value)
        if len(chosen) > 1:
            return chosen[:-1]
        extra = [o for o in options if o not in chosen]
        return (*chosen, extra[0]) if extra else None
    if isinstance(widget, (W.Dropdown, W.RadioButtons, W.ToggleButtons, W.Select)):
        values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        if len(values) < 2:
            return None
        i = values.index(value) if value in values else 0
        return values[(i + 1) % len(values)]
    if isinstance(widget, (W.IntSlider, W.FloatSlider, W.BoundedIntText, W.BoundedFloatText)):
        step = widget.step or (1 if isinstance(value, int) else 0.01)
        new = value + step if value + step <= widget.max else value - step
        return type(value)(new) if isinstance(value, int) else float(new)
    if isinstance(widget, (W.IntText, W.FloatText)):
        return value - 1 if value >= 1 else value + 1
    return None


def _find_class(package: Any, name: str) -> Any | None:
    """The module of ``lmsdecide.widgets`` (the package or a submodule) that defines ``name``."""
    import pkgutil

    if hasattr(package, name):
        return package
    for info in pkgutil.iter_modules(package.__path__):
        # ExploreUncertainty (widgets/explore.py) is a batch tool: its controls only configure
        # a sweep started by its Run button, so there is no control-to-figure path to time
        if info.name == "explore":
            continue
        try:
            sub = importlib.import_module(f"{package.__name__}.{info.name}")
        except ImportError:
            continue
        if hasattr(sub, name):
            return sub
    return None


def _construct(name: str, module: Any) -> Any:
    """The dashboard as a notebook opens it: its defaults (else the bundled scenarios)."""
    import lmsdecide as L

    cls = getattr(module, name)
    try:
        return cls()
    except TypeError:  # no defaults: give it the bundled scenarios
        return cls(L.list_examples())


def _baseline(dashboard: Any, compute_cpu: list[float]) -> Callable[[], object]:
    """Recompute the models and build every figure anew (the rebuild-per-change dashboard).

    The CPU time of the models alone (``dashboard.compute``) is appended to ``compute_cpu``.
    """
    live = getattr(dashboard, "live", None)
    compute = getattr(dashboard, "compute", None)
    if live is None or compute is None:
        raise AttributeError("no figures/compute to rebuild from")

    def rebuild() -> object:
        c0 = time.process_time()
        results = compute(dashboard.scenario, dashboard.params)
        compute_cpu.append(time.process_time() - c0)
        return [
            entry.build(**{k: results[k] for k in entry.inputs}) for entry in live.entries.values()
        ]

    return rebuild


def _hook_draw(dashboard: Any) -> list[tuple[float, float]]:
    """Record when each ``draw()`` (or ``_draw()``) returns (wall, CPU): the figures are drawn."""
    marks: list[tuple[float, float]] = []
    attr = next((a for a in ("draw", "_draw") if callable(getattr(dashboard, a, None))), None)
    if attr is None:
        return marks
    original = getattr(dashboard, attr)

    def draw(*args: Any, **kwargs: Any) -> Any:
        out = original(*args, **kwargs)
        marks.append((time.perf_counter(), time.process_time()))
        return out

    setattr(dashboard, attr, draw)
    return marks


def measure_dashboard(name: str, dashboard: Any, changes: int) -> list[Row]:
    """Time every value control of one dashboard: two rows (to the figures, to the return)."""
    to_figures, to_return, base_times = Samples(), Samples(), Samples()
    details: list[dict[str, Any]] = []
    skipped = []
    compute_cpu: list[float] = []
    try:
        rebuild: Callable[[], object] | None = _baseline(dashboard, compute_cpu)
    except AttributeError:
        rebuild = None
    marks = _hook_draw(dashboard)
    for cname, widget in list(dashboard.controls.items()):
        new = _other_value(widget) if cname not in SKIP_NAMES else None
        if new is None:
            skipped.append(cname)
            continue
        old = widget.value
        before = {f: _fingerprint(fw) for f, fw in dashboard.figures.items()}
        fig_times, ret_times = Samples(), Samples()
        moved = 0
        for i in range(changes):
            marks.clear()
            c0, t0 = time.process_time(), time.perf_counter()
            widget.value = new if i % 2 == 0 else old
            t1, c1 = time.perf_counter(), time.process_time()
            ret_times.append(t1 - t0)
            ret_times.cpu.append(c1 - c0)
            # no redraw (a selector, or an edit not yet valid): nothing to wait for but the return
            fig_times.append((marks[-1][0] if marks else t1) - t0)
            fig_times.cpu.append((marks[-1][1] if marks else c1) - c0)
            if i == 0:
                after = {f: _fingerprint(fw) for f, fw in dashboard.figures.items()}
                moved = sum(before[f] != after.get(f) for f in before)
            if rebuild is not None and i == 0:
                c0, t0 = time.process_time(), time.perf_counter()
                rebuild()
                base_times.append(time.perf_counter() - t0)
                base_times.cpu.append(time.process_time() - c0)
        if widget.value != old:
            widget.value = old
        for into, new_times in ((to_figures, fig_times), (to_return, ret_times)):
            into.extend(new_times)
            into.cpu.extend(new_times.cpu)
        details.append(
            {
                "control": cname,
                "to_figures_median_ms": float(np.median(fig_times) * 1e3),
                "to_return_median_ms": float(np.median(ret_times) * 1e3),
                "to_return_max_ms": float(np.max(ret_times) * 1e3),
                "to_figures_cpu_median_ms": float(np.median(fig_times.cpu) * 1e3),
                "to_return_cpu_median_ms": float(np.median(ret_times.cpu) * 1e3),
                "figures_moved": int(moved),
                "figures": len(before),
            }
        )
    out = []
    for label, times, key in (
        ("to the figures", to_figures, "to_figures_median_ms"),
        ("to the kernel free", to_return, "to_return_median_ms"),
    ):
        med = float(np.median(times))
        p95 = float(np.percentile(times, 95))
        cpu_med, cpu_p95 = float(np.median(times.cpu)), float(np.percentile(times.cpu, 95))
        idle = "would hold" if cpu_med < FRAME and cpu_p95 < 0.050 else "would not hold"
        slow = sorted(details, key=lambda d: -d[key])[:3]
        slow_text = ", ".join(f"{d['control']} {d[key]:.1f} ms" for d in slow)
        result = row(
            SUITE,
            f"{name} {label} ({len(details)} controls x {changes})",
            times,
            baseline=base_times or None,
            baseline_name="dashboard.compute + every figure built anew as go.Figure",
            target="median < 16.7 ms, p95 < 50 ms",
            holds=med < FRAME and p95 < 0.050,
            holds_cpu=cpu_med < FRAME and cpu_p95 < 0.050,
            note=f"CPU time: median {cpu_med * 1e3:.1f} ms, p95 {cpu_p95 * 1e3:.1f} ms (on an idle "
            f"machine the target {idle}); slowest controls: {slow_text}",
        )
        out.append(result)
    out[0]["controls"] = details
    if compute_cpu:
        out[0]["note"] += (
            f"; of which the models (dashboard.compute) median {np.median(compute_cpu) * 1e3:.1f} "
            "ms CPU"
        )
    out[0]["note"] += f"; skipped (actions, not live controls): {', '.join(skipped) or 'none'}"
    return out


def run() -> list[Row]:
    """Measure and return one row per dashboard (or a "not measured" row)."""
    rows: list[Row] = []
    try:
        module = importlib.import_module("lmsdecide.widgets")
    except ImportError as exc:
        return [row_nm(d, f"lmsdecide.widgets does not import ({exc})") for d in DASHBOARDS]
    changes = repeats(3, 2)
    for name in DASHBOARDS:
        home = _find_class(module, name)
        if home is None:
            rows.append(row_nm(name, f"lmsdecide.widgets has no {name} yet"))
            continue
        try:
            t0 = time.perf_counter()
            dashboard = _construct(name, home)
            build = time.perf_counter() - t0
        except Exception as exc:
            rows.append(row_nm(name, f"could not build it: {type(exc).__name__}: {exc}"))
            continue
        measured = measure_dashboard(name, dashboard, changes)
        measured[0]["note"] = f"built in {build:.2f} s; " + measured[0]["note"]
        rows.extend(measured)
    return rows


def row_nm(name: str, why: str) -> Row:
    """A not-measured row for dashboard ``name``."""
    return {
        "suite": SUITE,
        "case": name,
        "not_measured": why,
        "target": "median < 16.7 ms, p95 < 50 ms",
        "holds": None,
    }


def main() -> None:
    rows = run()
    print_rows(rows)
    for r in rows:
        for d in r.get("controls", []):
            print(
                f"  {r['case'].split()[0]:<14}{d['control']:<30}"
                f"{d['to_figures_median_ms']:>8.2f} ms to figures"
                f"{d['to_return_median_ms']:>8.2f} ms to return"
                f"  figures moved {d['figures_moved']}/{d['figures']}"
            )


if __name__ == "__main__":
    main()
