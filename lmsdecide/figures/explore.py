"""Figures for exploring uncertainty: results in, figure specs out. No model maths.

Spec functions, each with its text alternative and a ``go.Figure`` builder:

- :func:`morris_spec` (μ* against σ), :func:`sobol_spec` (first-order and total indices with
  their intervals) and :func:`tornado_spec` (one-at-a-time swings); :func:`sensitivity_spec`
  draws whichever of the three a result is (the catalogue's ``explore_sensitivity``);
- :func:`parallel_spec`: the sweep as parallel coordinates (``explore_sweep``);
- :func:`boxes_spec`: a PRIM box's conditions on each factor's range (``explore_boxes``);
- :func:`tradeoff_spec`: PRIM's coverage-density trade-off.

The ``*_figure`` functions build the ``go.Figure`` of each; the explorer dashboard draws the
catalogue entries and moves them with the spec diff, like every other dashboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lmsdecide.figures.format import legend_below
from lmsdecide.figures.palette import REFERENCE_COLOUR
from lmsdecide.figures.spec import Spec, build

if TYPE_CHECKING:  # the explore package is heavy to import; figures only read its results
    from lmsdecide.explore.discovery import DiscoveryResult
    from lmsdecide.explore.sensitivity_analysis import MorrisResult, SobolResult, TornadoResult
    from lmsdecide.explore.space import Factor
    from lmsdecide.explore.sweeps import SweepResult

__all__ = [
    "boxes_figure",
    "boxes_spec",
    "describe_boxes",
    "describe_sensitivity",
    "describe_sweep",
    "morris_figure",
    "morris_spec",
    "parallel_figure",
    "parallel_spec",
    "sensitivity_spec",
    "sobol_figure",
    "sobol_spec",
    "tornado_figure",
    "tornado_spec",
    "tradeoff_figure",
    "tradeoff_spec",
]

FIRST_ORDER_COLOUR = "#0072B2"
TOTAL_COLOUR = "#D55E00"
LOW_COLOUR = "#0072B2"
HIGH_COLOUR = "#D55E00"
KEPT_COLOUR = "#B2182B"
RANGE_COLOUR = "#DDDDDD"
_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "autosize": True,
    "margin": {"l": 10, "r": 10, "t": 80, "b": 10},
}


def _title(title: str, subtitle: str) -> dict[str, Any]:
    """A short title (it fits a narrow panel) with the details as its subtitle."""
    return {"text": title, "x": 0.0, "xanchor": "left", "subtitle": {"text": subtitle}}


def _axis(title: str, **more: Any) -> dict[str, Any]:
    return {"title": {"text": title}, **more}


# ---------------------------------------------------------------------------------------------
# Sensitivity
# ---------------------------------------------------------------------------------------------


def morris_spec(result: MorrisResult) -> Spec:
    """Morris screening: μ* (mean absolute elementary effect) against σ, one point per factor.

    Far right: the factor matters. High up: its effect depends on where the others are
    (non-linear or interacting). Horizontal bars: the bootstrap interval of μ*. Points above
    the dashed line σ = μ* have effects that change sign or size a lot.
    """
    top = float(max(np.max(result.mu_star + result.mu_star_conf), np.max(result.sigma), 1e-12))
    return {
        "data": [
            {
                "type": "scatter",
                "uid": "diagonal",
                "name": "σ = μ*",
                "x": [0.0, top * 1.05],
                "y": [0.0, top * 1.05],
                "mode": "lines",
                "line": {"dash": "dash", "color": REFERENCE_COLOUR, "width": 1},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "uid": "factors",
                "name": "factors",
                "x": result.mu_star,
                "y": result.sigma,
                "mode": "markers+text",
                "text": list(result.labels),
                "textposition": "top center",
                "customdata": np.column_stack([result.mu, result.mu_star_conf]),
                "error_x": {"type": "data", "array": result.mu_star_conf, "visible": True},
                "marker": {"size": 10, "color": FIRST_ORDER_COLOUR},
                "hovertemplate": (
                    "%{text}<br>μ* = %{x:.4g} ± %{customdata[1]:.2g}<br>σ = %{y:.4g}"
                    "<br>μ = %{customdata[0]:.4g}<extra></extra>"
                ),
            },
        ],
        "layout": {
            **_LAYOUT,
            "title": _title(
                "What matters most", f"{result.measure}: Morris screening, {result.runs} runs"
            ),
            "xaxis": _axis(f"μ*: mean |effect| of moving across the range ({result.measure})"),
            "yaxis": _axis("σ: spread of the effects"),
            "showlegend": False,
        },
    }


def sobol_spec(result: SobolResult) -> Spec:
    """Sobol indices: first order (alone) and total (with interactions), with their intervals.

    Bars are sorted by the total index. A total much larger than the first order means the
    factor acts through interactions with others.
    """
    order = np.argsort(-result.st, kind="stable")[::-1]
    labels = [result.labels[i] for i in order]
    data = [
        {
            "type": "bar",
            "uid": uid,
            "name": name,
            "y": labels,
            "x": values[order],
            "orientation": "h",
            "marker": {"color": colour},
            "error_x": {"type": "data", "array": conf[order], "visible": True},
            "hovertemplate": "%{y}<br>%{x:.3f}<extra>" + name + "</extra>",
        }
        for uid, name, values, conf, colour in (
            ("s1", "first order S1", result.s1, result.s1_conf, FIRST_ORDER_COLOUR),
            ("st", "total ST", result.st, result.st_conf, TOTAL_COLOUR),
        )
    ]
    return {
        "data": data,
        "layout": {
            **_LAYOUT,
            "barmode": "group",
            "title": _title(
                "Share of the variance explained",
                f"{result.measure}: Sobol, {result.runs} runs, {result.conf_level:.0%} intervals",
            ),
            "xaxis": _axis("Sobol index"),
            "legend": legend_below(),
        },
    }


def tornado_spec(result: TornadoResult) -> Spec:
    """One-at-a-time tornado: each factor moved alone to its lowest- and highest-output value.

    Bars start at the base case (vertical line) and end at the output with the factor at the
    value written beside the bar; the widest bar at the top matters most.
    """
    frame = result.frame.iloc[::-1]
    base = result.base_output
    data = [
        {
            "type": "bar",
            "uid": name,
            "name": name,
            "y": list(frame["label"]),
            "x": (frame[column] - base).to_numpy(),
            "base": base,
            "orientation": "h",
            "marker": {"color": colour},
            "text": list(frame[value_column]),
            "textposition": "outside",
            "customdata": frame[column].to_numpy(),
            "hovertemplate": "%{y} = %{text}<br>"
            + result.measure
            + " %{customdata:.4g}<extra></extra>",
        }
        for name, column, value_column, colour in (
            ("lowest", "low", "low_value", LOW_COLOUR),
            ("highest", "high", "high_value", HIGH_COLOUR),
        )
    ]
    base_line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": base,
        "x1": base,
        "y0": 0,
        "y1": 1,
        "line": {"color": REFERENCE_COLOUR, "width": 1},
    }
    return {
        "data": data,
        "layout": {
            **_LAYOUT,
            "barmode": "overlay",
            "title": _title(
                "One input at a time", f"{result.measure}: one at a time; base case {base:.3g}"
            ),
            "xaxis": _axis(result.measure),
            "legend": legend_below(),
            "shapes": [base_line],
        },
    }


def sensitivity_spec(result: MorrisResult | SobolResult | TornadoResult) -> Spec:
    """The figure of a sensitivity result, whichever method made it (Morris, Sobol, tornado)."""
    if hasattr(result, "mu_star"):
        return morris_spec(result)  # type: ignore[arg-type]
    if hasattr(result, "s1"):
        return sobol_spec(result)  # type: ignore[arg-type]
    return tornado_spec(result)


def describe_sensitivity(result: MorrisResult | SobolResult | TornadoResult) -> str:
    """The key numbers of :func:`sensitivity_spec` in words."""
    frame = result.to_frame() if hasattr(result, "to_frame") else result.frame  # type: ignore[union-attr]
    if frame.empty:
        return f"No input was analysed for {result.measure}."
    top = frame.iloc[0]
    others = ", ".join(str(x) for x in frame["label"].iloc[1:3])
    then = f"; then {others}" if others else ""
    if hasattr(result, "mu_star"):
        what = (
            f"Morris screening of {result.measure}: {top['label']} has the largest mean effect "
            f"(μ* {top['mu_star']:.3g}, σ {top['sigma']:.3g})"
        )
    elif hasattr(result, "s1"):
        what = (
            f"Sobol indices of {result.measure}: {top['label']} explains the largest share of "
            f"its variance (total {top['ST']:.2f}, alone {top['S1']:.2f})"
        )
    else:
        what = (
            f"One input at a time, {result.measure} swings most with {top['label']}: from "
            f"{min(top['low'], top['high']):.3g} to {max(top['low'], top['high']):.3g} "
            f"(base case {result.base_output:.3g})"
        )
    return what + then + "."


def morris_figure(result: MorrisResult) -> go.Figure:
    """The figure of :func:`morris_spec`."""
    return build(morris_spec(result))


def sobol_figure(result: SobolResult) -> go.Figure:
    """The figure of :func:`sobol_spec`."""
    return build(sobol_spec(result))


def tornado_figure(result: TornadoResult) -> go.Figure:
    """The figure of :func:`tornado_spec`."""
    return build(tornado_spec(result))


# ---------------------------------------------------------------------------------------------
# Scenario discovery
# ---------------------------------------------------------------------------------------------


def boxes_spec(discovery: DiscoveryResult | None, box: int = 0) -> Spec:
    """A PRIM box: each restricted factor's range, the part inside the box in red.

    Every factor's range is drawn on 0-1: numbers scaled between their low and high (grey: the
    whole range; red: the box's interval), choices as equal labelled cells in order (red: the
    values inside the box, grey: those outside). The title gives the box's density, coverage
    and size; hovering a red bar gives the condition in words. ``None`` (no outcome to explain)
    and a discovery without boxes give an empty figure that says so.
    """
    if discovery is None or not discovery.boxes:
        why = (
            "No outcome to explain"
            if discovery is None
            else "No input combination concentrates the outcome"
        )
        return {"data": [], "layout": {**_LAYOUT, "title": _title("No box found", why)}}
    if not 0 <= box < len(discovery.boxes):
        raise ValueError(f"box: must be between 0 and {len(discovery.boxes) - 1}, got {box}")
    chosen = discovery.boxes[box]
    grey: dict[str, list[Any]] = {"y": [], "base": [], "x": [], "text": []}
    red: dict[str, list[Any]] = {"y": [], "base": [], "x": [], "text": [], "condition": []}
    for r in chosen.restrictions:
        f = discovery.space[r.factor]
        if f.kind in ("float", "int"):
            assert f.low is not None and f.high is not None
            span = (f.high - f.low) or 1.0
            lo = (r.low - f.low) / span if r.low is not None else 0.0
            hi = (r.high - f.low) / span if r.high is not None else 1.0
            grey["y"].append(r.label)
            grey["base"].append(0.0)
            grey["x"].append(1.0)
            grey["text"].append(f"{f.low:.3g} to {f.high:.3g}")
            low = r.low if r.low is not None else f.low
            high = r.high if r.high is not None else f.high
            segments = [(lo, hi, f"{low:.3g} to {high:.3g}")]
        else:
            k = len(f.choices)
            segments = []
            for i, c in enumerate(f.choices):
                label = ("yes" if c else "no") if f.kind == "bool" else str(c)
                if c in r.values:
                    segments.append((i / k, (i + 1) / k, label))
                else:
                    grey["y"].append(r.label)
                    grey["base"].append(i / k)
                    grey["x"].append(1 / k)
                    grey["text"].append(label)
        for lo, hi, label in segments:
            red["y"].append(r.label)
            red["base"].append(lo)
            red["x"].append(hi - lo)
            red["text"].append(label)
            red["condition"].append(r.text())
    common = {
        "type": "bar",
        "orientation": "h",
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textangle": 0,
    }
    data = [
        {
            **common,
            "uid": "range",
            "name": "range",
            "y": grey["y"],
            "x": grey["x"],
            "base": grey["base"],
            "marker": {"color": RANGE_COLOUR, "line": {"color": "white", "width": 1}},
            "text": grey["text"],
            "hovertemplate": "%{y}: %{text} (outside the box)<extra></extra>",
        },
        {
            **common,
            "uid": "in the box",
            "name": "in the box",
            "y": red["y"],
            "x": red["x"],
            "base": red["base"],
            "marker": {"color": KEPT_COLOUR, "line": {"color": "white", "width": 1}},
            "text": red["text"],
            "customdata": red["condition"],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
    ]
    return {
        "data": data,
        "layout": {
            **_LAYOUT,
            "barmode": "overlay",
            "title": _title(
                f"Box {box + 1}: where the outcome concentrates",
                f"Box {box + 1}: {chosen.density:.0%} of its variants {chosen.outcome}; "
                f"coverage {chosen.coverage:.0%}, {chosen.n} variants",
            ),
            "xaxis": _axis("Position in the factor's range (0 low, 1 high)", range=[0, 1]),
            "showlegend": False,
        },
    }


def describe_boxes(discovery: DiscoveryResult | None, box: int = 0) -> str:
    """The key numbers of :func:`boxes_spec` in words."""
    if discovery is None:
        return "No outcome was given, so no box was searched for."
    if not discovery.boxes:
        return "No combination of inputs concentrates the outcome: no box found."
    chosen = discovery.boxes[box]
    rules = "; ".join(r.text() for r in chosen.restrictions)
    return (
        f"Box {box + 1}: {chosen.density:.0%} of its {chosen.n} variants {chosen.outcome} "
        f"(coverage {chosen.coverage:.0%}) when {rules}."
    )


def boxes_figure(discovery: DiscoveryResult, box: int = 0) -> go.Figure:
    """The figure of :func:`boxes_spec`."""
    return build(boxes_spec(discovery, box))


def tradeoff_spec(discovery: DiscoveryResult) -> Spec:
    """PRIM's peeling trajectory of the first box: coverage against density, coloured by the
    number of restricted factors. Up and right is better; each step trades coverage for density."""
    t = discovery.trajectory
    rate = {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": discovery.base_rate,
        "y1": discovery.base_rate,
        "line": {"dash": "dot", "color": REFERENCE_COLOUR},
    }
    return {
        "data": [
            {
                "type": "scatter",
                "uid": "trajectory",
                "x": t["coverage"].to_numpy(dtype=float) if len(t) else [],
                "y": t["density"].to_numpy(dtype=float) if len(t) else [],
                "mode": "markers+lines",
                "marker": {
                    "color": t["res_dim"].to_numpy(dtype=float) if len(t) else [],
                    "colorscale": "Viridis",
                    "showscale": True,
                    "colorbar": {"title": {"text": "factors"}},
                    "size": 8,
                },
                "line": {"color": RANGE_COLOUR},
                "hovertemplate": "coverage %{x:.0%}<br>density %{y:.0%}<extra></extra>",
            }
        ],
        "layout": {
            **_LAYOUT,
            "title": _title(
                "Coverage against density", "PRIM's peeling; dotted: share in all variants"
            ),
            "xaxis": _axis("coverage", tickformat=".0%"),
            "yaxis": _axis("density", tickformat=".0%"),
            "shapes": [rate],
        },
    }


def tradeoff_figure(discovery: DiscoveryResult) -> go.Figure:
    """The figure of :func:`tradeoff_spec`."""
    return build(tradeoff_spec(discovery))


# ---------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------


def _dimension(label: str, values: pd.Series, factor: Factor | None = None) -> dict[str, Any]:
    if factor is not None and factor.kind in ("choice", "bool"):
        codes = factor.code(values.tolist())
        return {
            "label": label,
            "values": codes,
            "tickvals": list(range(len(factor.choices))),
            "ticktext": [str(c) for c in factor.choices],
        }
    if values.dtype == bool or pd.api.types.is_numeric_dtype(values.dtype):
        return {"label": label, "values": values.to_numpy(dtype=float)}
    categories = sorted({str(v) for v in values})
    index = {c: i for i, c in enumerate(categories)}
    return {
        "label": label,
        "values": np.array([index[str(v)] for v in values], dtype=float),
        "tickvals": list(range(len(categories))),
        "ticktext": categories,
    }


def _colour_by(result: SweepResult, color: str | None) -> str | None:
    frame = result.frame
    numeric = [
        m.name
        for m in result.measures
        if frame[m.name].dtype == bool or pd.api.types.is_numeric_dtype(frame[m.name].dtype)
    ]
    colour_by = color or (numeric[0] if numeric else None)
    if colour_by is not None and colour_by not in frame.columns:
        raise ValueError(f"color: unknown column {colour_by!r}; known: {', '.join(frame.columns)}")
    return colour_by


def parallel_spec(result: SweepResult, color: str | None = None) -> Spec:
    """The sweep as parallel coordinates: one line per variant across factors and measures.

    Lines are coloured by ``color`` (a measure; default the first numeric one). Drag along an
    axis to keep only the variants in a range and see where they sit on the others. Choices are
    drawn at equally spaced positions, labelled.
    """
    frame = result.frame
    dims = [_dimension(f.label, frame[f.name], f) for f in result.space.factors]
    dims += [_dimension(m.label or m.name, frame[m.name]) for m in result.measures]
    colour_by = _colour_by(result, color)
    line: dict[str, Any] = {}
    if colour_by is not None:
        line = {
            "color": _dimension(colour_by, frame[colour_by])["values"],
            "colorscale": "Viridis",
            "showscale": True,
            "colorbar": {"title": {"text": colour_by}},
        }
    return {
        "data": [
            {
                "type": "parcoords",
                "uid": "variants",
                "dimensions": dims,
                "line": line,
                "labelangle": -20,
                "labelside": "top",
            }
        ],
        "layout": {
            **_LAYOUT,
            "margin": {"l": 90, "r": 60, "t": 150, "b": 30},
            "title": _title(
                f"{len(frame)} variants",
                f"{len(frame)} variants, coloured by {colour_by}" if colour_by else "all inputs",
            ),
        },
    }


def describe_sweep(result: SweepResult, color: str | None = None) -> str:
    """The key numbers of :func:`parallel_spec` in words."""
    frame = result.frame
    factors = ", ".join(f.label for f in result.space.factors)
    text = f"{len(frame)} variants of {factors}"
    colour_by = _colour_by(result, color)
    if colour_by is not None and len(frame):
        values = frame[colour_by].to_numpy(dtype=float)
        text += (
            f"; {colour_by} ranges from {np.nanmin(values):.3g} to {np.nanmax(values):.3g} "
            f"(median {np.nanmedian(values):.3g})"
        )
    return text + "."


def parallel_figure(result: SweepResult, color: str | None = None) -> go.Figure:
    """The figure of :func:`parallel_spec`."""
    return build(parallel_spec(result, color))
