"""Figures for workshop mode: large and high-contrast for a projector, and two of its own.

- :func:`presentation_style`: restyles any figure for the back of a room (large type, black on
  white, thick lines), layout only.
- :func:`room_view_figure`: the room's ratings (median and interquartile range per department)
  against the scenario's values, for power and for interest.
- :func:`pair_figure`: the go-live distributions of two scenarios on common random numbers,
  with each P50 and the launch target.

Each builder has an update helper (same data, no plotly objects) for in-place updates of a
``go.FigureWidget`` through :func:`lmsdecide.figures._updates.apply_update`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lmsdecide.figures._updates import FigureUpdate
from lmsdecide.room import RoomView
from lmsdecide.workshop import PairComparison

__all__ = [
    "PAIR_COLOURS",
    "pair_figure",
    "pair_update",
    "presentation_style",
    "room_view_figure",
    "room_view_update",
]

#: A and B: blue and vermilion (Okabe & Ito), distinguishable by colour-blind viewers.
PAIR_COLOURS = ("#0072B2", "#D55E00")
ROOM_COLOUR = "#000000"
SCENARIO_COLOUR = "#D55E00"
BASE_FONT = 20


def presentation_style(fig: go.Figure, *, height: int = 560) -> go.Figure:
    """Restyle ``fig`` in place for a projector: large type, high contrast. Returns ``fig``."""
    fig.update_layout(
        template="simple_white",
        font={"size": BASE_FONT, "color": "#000000", "family": "Arial, Helvetica, sans-serif"},
        title={"font": {"size": BASE_FONT + 2}},
        height=height,
        margin={"l": 70, "r": 30, "t": 90, "b": 70},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        legend={"font": {"size": BASE_FONT - 2}},
    )
    fig.update_xaxes(linewidth=2, tickfont={"size": BASE_FONT - 2})
    fig.update_yaxes(linewidth=2, tickfont={"size": BASE_FONT - 2})
    if fig.layout.legend.orientation == "h":  # keep a bottom legend clear of the axis title
        fig.update_layout(legend={"y": -0.3}, margin={"b": 130})
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


def room_view_update(view: RoomView) -> FigureUpdate:
    """Data of :func:`room_view_figure`."""
    names = list(view.names)
    traces: list[dict[str, Any]] = []
    for median, low, high, scen in (
        (view.power_median, view.power_q25, view.power_q75, view.scenario_power),
        (view.interest_median, view.interest_q25, view.interest_q75, view.scenario_interest),
    ):
        traces.append(
            {
                "type": "scatter",
                "name": "the room (median, middle half)",
                "x": median,
                "y": names,
                "error_x": _errors(median, low, high),
                "customdata": view.raters,
            }
        )
        traces.append({"type": "scatter", "name": "the scenario", "x": scen, "y": names})
    rated = int(np.count_nonzero(view.raters))
    total = int(view.raters.sum())
    return FigureUpdate(
        traces=tuple(traces),
        layout={
            "title": {
                "text": f"The room's view: {total} rating{'s' if total != 1 else ''} "
                f"of {rated} department{'s' if rated != 1 else ''}"
            }
        },
        n_annotations=2,
    )


def room_view_figure(view: RoomView) -> go.Figure:
    """The room's median and middle half (25th to 75th percentile) against the scenario.

    Two panels, power and interest on 0..1; one row per department. Departments nobody rated
    show only the scenario's value.
    """
    update = room_view_update(view)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        subplot_titles=("Power over the project", "Interest in the project"),
        horizontal_spacing=0.04,
    )
    for k, props in enumerate(update.traces):
        col = 1 + k // 2
        is_room = k % 2 == 0
        trace = go.Scatter(
            **{key: v for key, v in props.items() if key != "type"},
            mode="markers",
            marker={
                "size": 16 if is_room else 14,
                "color": ROOM_COLOUR if is_room else SCENARIO_COLOUR,
                "symbol": "circle" if is_room else "diamond-open",
                "line": {"width": 3, "color": ROOM_COLOUR if is_room else SCENARIO_COLOUR},
            },
            showlegend=k < 2,
            legendgroup="room" if is_room else "scenario",
            hovertemplate=(
                "%{y}: median %{x:.2f} from %{customdata} ratings<extra></extra>"
                if is_room
                else "%{y}: scenario %{x:.2f}<extra></extra>"
            ),
        )
        fig.add_trace(trace, row=1, col=col)
    fig.update_xaxes(range=[-0.03, 1.03], dtick=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=update.layout["title"], legend={"orientation": "h", "y": -0.12})
    return presentation_style(fig, height=max(420, 60 + 48 * len(view.names)))


# ---------------------------------------------------------------------------------------------
# A against B
# ---------------------------------------------------------------------------------------------


def pair_update(pair: PairComparison, target: float) -> FigureUpdate:
    """Data of :func:`pair_figure`."""
    a, b = pair.risk_a, pair.risk_b
    traces = (
        {"type": "histogram", "name": pair.labels[0], "x": a.completion},
        {"type": "histogram", "name": pair.labels[1], "x": b.completion},
    )
    top = 1.0
    return FigureUpdate(
        traces=traces,
        renamed=frozenset({0, 1}),
        layout={
            "title": {
                "text": f"Go-live: P50 {a.p50:.1f} against {b.p50:.1f} weeks "
                f"(B - A = {b.p50 - a.p50:+.1f}, same random draws)"
            }
        },
        shapes={
            0: {"x0": a.p50, "x1": a.p50, "y1": top},
            1: {"x0": b.p50, "x1": b.p50, "y1": top},
            2: {"x0": target, "x1": target, "y1": top},
        },
        annotations={
            0: {"x": a.p50, "text": f"P50 A {a.p50:.1f}"},
            1: {"x": b.p50, "text": f"P50 B {b.p50:.1f}"},
            2: {"x": target, "text": f"target {target:g}"},
        },
        n_shapes=3,
        n_annotations=3,
    )


def pair_figure(pair: PairComparison, target: float) -> go.Figure:
    """Overlaid go-live distributions of A and B (weeks), their P50s and the launch target."""
    update = pair_update(pair, target)
    fig = go.Figure()
    for k, props in enumerate(update.traces):
        fig.add_trace(
            go.Histogram(
                x=props["x"],
                name=props["name"],
                histnorm="probability",
                opacity=0.6,
                marker={"color": PAIR_COLOURS[k]},
                xbins={"size": 1.0},
                hovertemplate="%{x} weeks: %{y:.1%}<extra>" + f"{props['name']}</extra>",
            )
        )
    colours = (*PAIR_COLOURS, "#000000")
    dashes = ("solid", "solid", "dash")
    for k, shape in update.shapes.items():
        fig.add_shape(
            type="line",
            xref="x",
            yref="paper",
            y0=0,
            line={"color": colours[k], "width": 4, "dash": dashes[k]},
            **shape,
        )
    for k, note in update.annotations.items():
        fig.add_annotation(
            xref="x",
            yref="paper",
            y=1.02 + 0.06 * k,
            showarrow=False,
            font={"color": colours[k], "size": BASE_FONT - 2},
            **note,
        )
    fig.update_layout(
        title=update.layout["title"],
        barmode="overlay",
        xaxis_title="weeks from the start to go-live",
        yaxis_title="share of simulated projects",
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_yaxes(tickformat=".0%")
    return presentation_style(fig, height=560)
