"""Figures for workshop mode: a projector style for any spec, and two figures of its own.

- :func:`presentation`: restyles any figure spec for the back of a room (large type scaled by a
  font factor, black on white, thick axis lines), layout only; applied to the spec before it is
  built or diffed, so a live update never fights the style.
- :func:`room_view_spec`: the room's ratings (median and interquartile range per department)
  against the scenario's values, for power and for interest.
- :func:`pair_spec`: the go-live distributions of two scenarios on common random numbers, with
  each P50 and the launch target.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.format import base_layout, esc, percent, reference_line, weeks
from lmsdecide.figures.spec import Spec, build
from lmsdecide.room import RoomView
from lmsdecide.workshop import PairComparison

__all__ = [
    "BASE_FONT",
    "PAIR_COLOURS",
    "describe_pair",
    "describe_room_view",
    "pair_figure",
    "pair_spec",
    "presentation",
    "presentation_style",
    "room_view_figure",
    "room_view_spec",
]

#: A and B: blue and vermilion (Okabe & Ito), distinguishable by colour-blind viewers.
PAIR_COLOURS = ("#0072B2", "#D55E00")
ROOM_COLOUR = "#000000"
SCENARIO_COLOUR = "#D55E00"
#: Font size in pixels at a font scale of 1 (a projector seen from the back of a room).
BASE_FONT = 20


def presentation(spec: Spec, *, font_scale: float = 1.0, height: int | None = None) -> Spec:
    """A copy of ``spec`` styled for a projector: type ``BASE_FONT × font_scale`` pixels, black
    on white, thick axis lines. Layout only; the width stays the container's.
    """
    if not 0.5 <= font_scale <= 3.0:
        raise ValueError(f"font_scale: must be between 0.5 and 3, got {font_scale}")
    size = round(BASE_FONT * font_scale)
    layout = copy.copy(spec.get("layout", {}))
    title = dict(layout.get("title", {}))
    title["font"] = {"size": size + 2}
    if "subtitle" in title:
        title["subtitle"] = {**title["subtitle"], "font": {"size": size - 4}}
    layout.update(
        template="simple_white",
        font={"size": size, "color": "#000000", "family": "Arial, Helvetica, sans-serif"},
        title=title,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
    )
    if height is not None:
        layout["height"] = height
    margin = dict(layout.get("margin", {}))
    margin["t"] = max(int(margin.get("t", 60)), round(4.8 * size))
    layout["margin"] = margin
    if "legend" in layout:
        layout["legend"] = {**layout["legend"], "font": {"size": size - 2}}
    for key in list(layout):
        if key.startswith(("xaxis", "yaxis")) and isinstance(layout[key], dict):
            if layout[key].get("visible") is False:
                continue
            layout[key] = {**layout[key], "linewidth": 2, "tickfont": {"size": size - 2}}
    return {"data": spec["data"], "layout": layout}


def presentation_style(fig: go.Figure, *, height: int = 560, font_scale: float = 1.0) -> go.Figure:
    """Restyle a built ``fig`` in place for a projector (see :func:`presentation`)."""
    styled = presentation(
        {"data": [], "layout": fig.layout.to_plotly_json()}, font_scale=font_scale, height=height
    )
    fig.update_layout(styled["layout"])
    return fig


# ---------------------------------------------------------------------------------------------
# The room's view
# ---------------------------------------------------------------------------------------------


def _errors(median: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict[str, Any]:
    return {
        "type": "data",
        "symmetric": False,
        "array": np.nan_to_num(high - median),
        "arrayminus": np.nan_to_num(median - low),
        "thickness": 3,
        "width": 8,
        "color": ROOM_COLOUR,
    }


def room_view_spec(view: RoomView) -> Spec:
    """The room's median and middle half (25th to 75th percentile) against the scenario.

    Two panels, power and interest on 0..1; one row per department. Departments nobody rated
    show only the scenario's value.
    """
    names = [esc(n) for n in view.names]
    data: list[dict[str, Any]] = []
    for panel, (median, low, high, scen) in enumerate(
        (
            (view.power_median, view.power_q25, view.power_q75, view.scenario_power),
            (view.interest_median, view.interest_q25, view.interest_q75, view.scenario_interest),
        )
    ):
        axis = "" if panel == 0 else "2"
        data.append(
            {
                "type": "scatter",
                "uid": f"room:{panel}",
                "name": "the room (median, middle half)",
                "x": median,
                "y": names,
                "xaxis": f"x{axis}",
                "yaxis": "y",
                "mode": "markers",
                "error_x": _errors(median, low, high),
                "customdata": view.raters,
                "marker": {"size": 16, "color": ROOM_COLOUR, "symbol": "circle"},
                "legendgroup": "room",
                "showlegend": panel == 0,
                "hovertemplate": "%{y}: median %{x:.2f} from %{customdata} ratings<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "uid": f"scenario:{panel}",
                "name": "the scenario",
                "x": scen,
                "y": names,
                "xaxis": f"x{axis}",
                "yaxis": "y",
                "mode": "markers",
                "marker": {
                    "size": 14,
                    "color": SCENARIO_COLOUR,
                    "symbol": "diamond-open",
                    "line": {"width": 3, "color": SCENARIO_COLOUR},
                },
                "legendgroup": "scenario",
                "showlegend": panel == 0,
                "hovertemplate": "%{y}: scenario %{x:.2f}<extra></extra>",
            }
        )
    rated = int(np.count_nonzero(view.raters))
    total = int(view.raters.sum())
    layout = base_layout(
        "The room's view",
        f"{total} rating{'s' if total != 1 else ''} of {rated} "
        f"department{'s' if rated != 1 else ''}",
        height=max(420, 150 + 48 * len(names)),
    )
    scale: dict[str, Any] = {"range": [-0.03, 1.03], "dtick": 0.25, "automargin": True}
    layout.update(
        xaxis={**scale, "domain": [0.0, 0.48], "title": {"text": "Power"}},
        xaxis2={**scale, "domain": [0.52, 1.0], "anchor": "y", "title": {"text": "Interest"}},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return {"data": data, "layout": layout}


def describe_room_view(view: RoomView) -> str:
    """The key numbers of :func:`room_view_spec` in words."""
    total = int(view.raters.sum())
    if total == 0:
        return "No ratings yet: only the scenario's values are shown."
    gaps = np.abs(np.nan_to_num(view.power_median - view.scenario_power))
    k = int(np.argmax(gaps))
    return (
        f"{total} ratings. The largest gap on power is {view.names[k]}: the room says "
        f"{view.power_median[k]:.2f}, the scenario {view.scenario_power[k]:.2f}."
    )


def room_view_figure(view: RoomView, *, font_scale: float = 1.0) -> go.Figure:
    """The figure of :func:`room_view_spec`, styled for a projector."""
    return build(presentation(room_view_spec(view), font_scale=font_scale))


# ---------------------------------------------------------------------------------------------
# A against B
# ---------------------------------------------------------------------------------------------


def pair_spec(pair: PairComparison, target: float) -> Spec:
    """Overlaid go-live distributions of A and B (weeks), their P50s and the launch target, the
    lines named in the legend.
    """
    a, b = pair.risk_a, pair.risk_b
    data = [
        {
            "type": "histogram",
            "uid": f"pair:{k}",
            "x": risk.completion,
            "name": f"{'AB'[k]}: {esc(label)}",
            "histnorm": "probability",
            "opacity": 0.6,
            "marker": {"color": PAIR_COLOURS[k], "pattern": {"shape": ("", "/")[k]}},
            "xbins": {"size": 1.0},
            "hovertemplate": "%{x} weeks: %{y:.0%}<extra>" + "AB"[k] + "</extra>",
        }
        for k, (risk, label) in enumerate(zip((a, b), pair.labels, strict=True))
    ]
    layout = base_layout(
        "Go-live, A against B",
        f"P50 {a.p50:.0f} against {b.p50:.0f} weeks (B - A = {b.p50 - a.p50:+.1f}); same draws",
        height=560,
    )
    layout.update(
        barmode="overlay",
        xaxis={"title": {"text": "Weeks from the start to go-live"}, "automargin": True},
        yaxis={
            "title": {"text": "Share of simulated projects"},
            "tickformat": ".0%",
            "automargin": True,
        },
        shapes=[
            reference_line(
                "x", a.p50, f"P50 A: {weeks(a.p50)}", dash="solid", colour=PAIR_COLOURS[0], width=4
            ),
            reference_line(
                "x", b.p50, f"P50 B: {weeks(b.p50)}", dash="dot", colour=PAIR_COLOURS[1], width=4
            ),
            reference_line("x", target, f"target: {weeks(target)}", dash="dash", width=3),
        ],
    )
    return {"data": data, "layout": layout}


def describe_pair(pair: PairComparison, target: float) -> str:
    """The key numbers of :func:`pair_spec` in words."""
    a, b = pair.risk_a, pair.risk_b
    return (
        f"A ({pair.labels[0]}) goes live by week {a.p50:.0f} in half of the draws, B "
        f"({pair.labels[1]}) by week {b.p50:.0f}; on time (week {target:g}): "
        f"{percent(a.on_time_probability)} against {percent(b.on_time_probability)}."
    )


def pair_figure(pair: PairComparison, target: float, *, font_scale: float = 1.0) -> go.Figure:
    """The figure of :func:`pair_spec`, styled for a projector."""
    return build(presentation(pair_spec(pair, target), font_scale=font_scale))
