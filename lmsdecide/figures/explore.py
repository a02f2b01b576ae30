"""Figures for exploring uncertainty: a result in, a plotly ``go.Figure`` out. No model maths.

Builders: :func:`morris_figure` (μ* against σ), :func:`sobol_figure` (first-order and total
indices with their intervals), :func:`tornado_figure` (one-at-a-time swings),
:func:`boxes_figure` (a PRIM box's conditions on each factor's range), :func:`tradeoff_figure`
(PRIM's coverage-density trade-off) and :func:`parallel_figure` (the sweep as parallel
coordinates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lmsdecide.explore.discovery import Discovery
from lmsdecide.explore.sensitivity import MorrisResult, SobolResult, TornadoResult
from lmsdecide.explore.space import Factor
from lmsdecide.explore.sweep import SweepResult
from lmsdecide.figures.format import legend_below
from lmsdecide.figures.palette import REFERENCE_COLOUR

__all__ = [
    "boxes_figure",
    "morris_figure",
    "parallel_figure",
    "sobol_figure",
    "tornado_figure",
    "tradeoff_figure",
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


def morris_figure(result: MorrisResult) -> go.Figure:
    """Morris screening: μ* (mean absolute elementary effect) against σ, one point per factor.

    Far right: the factor matters. High up: its effect depends on where the others are
    (non-linear or interacting). Horizontal bars: the bootstrap interval of μ*. Points above
    the dashed line σ = μ* have effects that change sign or size a lot.
    """
    fig = go.Figure()
    top = float(max(np.max(result.mu_star + result.mu_star_conf), np.max(result.sigma), 1e-12))
    fig.add_trace(
        go.Scatter(
            name="σ = μ*",
            x=[0.0, top * 1.05],
            y=[0.0, top * 1.05],
            mode="lines",
            line={"dash": "dash", "color": REFERENCE_COLOUR, "width": 1},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="factors",
            x=result.mu_star,
            y=result.sigma,
            mode="markers+text",
            text=list(result.labels),
            textposition="top center",
            customdata=np.column_stack([result.mu, result.mu_star_conf]),
            error_x={"type": "data", "array": result.mu_star_conf, "visible": True},
            marker={"size": 10, "color": FIRST_ORDER_COLOUR},
            hovertemplate=(
                "%{text}<br>μ* = %{x:.4g} ± %{customdata[1]:.2g}<br>σ = %{y:.4g}"
                "<br>μ = %{customdata[0]:.4g}<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        **_LAYOUT,
        title=_title(
            "What matters most", f"{result.measure}: Morris screening, {result.runs} runs"
        ),
        xaxis_title=f"μ*: mean |effect| of moving across the range ({result.measure})",
        yaxis_title="σ: spread of the effects",
        showlegend=False,
    )
    return fig


def sobol_figure(result: SobolResult) -> go.Figure:
    """Sobol indices: first order (alone) and total (with interactions), with their intervals.

    Bars are sorted by the total index. A total much larger than the first order means the
    factor acts through interactions with others.
    """
    order = np.argsort(-result.st, kind="stable")[::-1]
    labels = [result.labels[i] for i in order]
    fig = go.Figure()
    for name, values, conf, colour in (
        ("first order S1", result.s1, result.s1_conf, FIRST_ORDER_COLOUR),
        ("total ST", result.st, result.st_conf, TOTAL_COLOUR),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                y=labels,
                x=values[order],
                orientation="h",
                marker_color=colour,
                error_x={"type": "data", "array": conf[order], "visible": True},
                hovertemplate="%{y}<br>%{x:.3f}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT,
        barmode="group",
        title=_title(
            "Share of the variance explained",
            f"{result.measure}: Sobol, {result.runs} runs, {result.conf_level:.0%} intervals",
        ),
        xaxis_title="Sobol index",
        legend=legend_below(),
    )
    return fig


def tornado_figure(result: TornadoResult) -> go.Figure:
    """One-at-a-time tornado: each factor moved alone to its lowest- and highest-output value.

    Bars start at the base case (vertical line) and end at the output with the factor at the
    value written beside the bar; the widest bar at the top matters most.
    """
    frame = result.frame.iloc[::-1]
    base = result.base_output
    fig = go.Figure()
    for name, column, value_column, colour in (
        ("lowest", "low", "low_value", LOW_COLOUR),
        ("highest", "high", "high_value", HIGH_COLOUR),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                y=list(frame["label"]),
                x=(frame[column] - base).to_numpy(),
                base=base,
                orientation="h",
                marker_color=colour,
                text=list(frame[value_column]),
                textposition="outside",
                customdata=frame[column].to_numpy(),
                hovertemplate="%{y} = %{text}<br>"
                + result.measure
                + " %{customdata:.4g}<extra></extra>",
            )
        )
    fig.add_vline(x=base, line={"color": REFERENCE_COLOUR, "width": 1})
    fig.update_layout(
        **_LAYOUT,
        barmode="overlay",
        title=_title("One input at a time", f"{result.measure}; base case {base:.3g}"),
        xaxis_title=result.measure,
        legend=legend_below(),
    )
    return fig


def boxes_figure(discovery: Discovery, box: int = 0) -> go.Figure:
    """A PRIM box: each restricted factor's range, the part inside the box in red.

    Every factor's range is drawn on 0-1: numbers scaled between their low and high (grey: the
    whole range; red: the box's interval), choices as equal labelled cells in order (red: the
    values inside the box, grey: those outside). The title gives the box's density, coverage
    and size; hovering a red bar gives the condition in words.
    """
    fig = go.Figure()
    if not discovery.boxes:
        fig.update_layout(
            **_LAYOUT,
            title=_title("No box found", "No input combination concentrates the outcome"),
        )
        return fig
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
    fig.add_trace(
        go.Bar(
            name="range",
            y=grey["y"],
            x=grey["x"],
            base=grey["base"],
            orientation="h",
            marker={"color": RANGE_COLOUR, "line": {"color": "white", "width": 1}},
            text=grey["text"],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            hovertemplate="%{y}: %{text} (outside the box)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            name="in the box",
            y=red["y"],
            x=red["x"],
            base=red["base"],
            orientation="h",
            marker={"color": KEPT_COLOUR, "line": {"color": "white", "width": 1}},
            text=red["text"],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            customdata=red["condition"],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        **_LAYOUT,
        barmode="overlay",
        title=_title(
            f"Box {box + 1}: where the outcome concentrates",
            f"{chosen.density:.0%} of its variants {chosen.outcome}; "
            f"coverage {chosen.coverage:.0%}, {chosen.n} variants",
        ),
        xaxis={"title": "Position in the factor's range (0 low, 1 high)", "range": [0, 1]},
        showlegend=False,
    )
    return fig


def tradeoff_figure(discovery: Discovery) -> go.Figure:
    """PRIM's peeling trajectory of the first box: coverage against density, coloured by the
    number of restricted factors. Up and right is better; each step trades coverage for density."""
    t = discovery.trajectory
    fig = go.Figure(
        go.Scatter(
            x=t["coverage"].to_numpy(dtype=float) if len(t) else [],
            y=t["density"].to_numpy(dtype=float) if len(t) else [],
            mode="markers+lines",
            marker={
                "color": t["res_dim"].to_numpy(dtype=float) if len(t) else [],
                "colorscale": "Viridis",
                "showscale": True,
                "colorbar": {"title": "factors"},
                "size": 8,
            },
            line={"color": RANGE_COLOUR},
            hovertemplate="coverage %{x:.0%}<br>density %{y:.0%}<extra></extra>",
        )
    )
    fig.add_hline(y=discovery.base_rate, line={"dash": "dot", "color": REFERENCE_COLOUR})
    fig.update_layout(
        **_LAYOUT,
        title=_title("Coverage against density", "PRIM's peeling; dotted: share in all variants"),
        xaxis={"title": "coverage", "tickformat": ".0%"},
        yaxis={"title": "density", "tickformat": ".0%"},
    )
    return fig


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


def parallel_figure(result: SweepResult, color: str | None = None) -> go.Figure:
    """The sweep as parallel coordinates: one line per variant across factors and measures.

    Lines are coloured by ``color`` (a measure; default the first numeric one). Drag along an
    axis to keep only the variants in a range and see where they sit on the others. Choices are
    drawn at equally spaced positions, labelled.
    """
    frame = result.frame
    dims = [_dimension(f.label, frame[f.name], f) for f in result.space.factors]
    dims += [_dimension(m.label or m.name, frame[m.name]) for m in result.measures]
    numeric = [
        m.name
        for m in result.measures
        if frame[m.name].dtype == bool or pd.api.types.is_numeric_dtype(frame[m.name].dtype)
    ]
    colour_by = color or (numeric[0] if numeric else None)
    line: dict[str, Any] = {}
    if colour_by is not None:
        if colour_by not in frame.columns:
            raise ValueError(
                f"color: unknown column {colour_by!r}; known: {', '.join(frame.columns)}"
            )
        line = {
            "color": _dimension(colour_by, frame[colour_by])["values"],
            "colorscale": "Viridis",
            "showscale": True,
            "colorbar": {"title": colour_by},
        }
    fig = go.Figure(go.Parcoords(dimensions=dims, line=line, labelangle=-20, labelside="top"))
    fig.update_layout(
        **{**_LAYOUT, "margin": {"l": 90, "r": 60, "t": 150, "b": 30}},
        title=_title(
            f"{len(frame)} variants", f"coloured by {colour_by}" if colour_by else "all inputs"
        ),
    )
    return fig
