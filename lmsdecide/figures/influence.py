"""Figures for "who drives": each takes a model result and returns a plotly ``go.Figure``.

No model maths here: positions, shares and classes come from :mod:`lmsdecide.influence`. Colours by
function come from :mod:`lmsdecide.figures.palette`. Every marker carries its department id in
``customdata`` so tests (and dashboards) can match trace data to the model's output.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lmsdecide.figures.palette import REFERENCE_COLOUR, function_colour
from lmsdecide.influence import (
    NetworkResult,
    PhaseDriveResult,
    PowerInterestResult,
    SalienceResult,
    WhoDrivesResult,
)
from lmsdecide.scenario import FUNCTIONS, LEARNING_FUNCTIONS

__all__ = [
    "SALIENCE_REGIONS",
    "bubble_size",
    "drive_share_figure",
    "network_figure",
    "phase_drive_figure",
    "power_interest_figure",
    "salience_figure",
]

#: Where each salience class sits in the three-circle diagram (centre of its region).
SALIENCE_REGIONS: dict[str, tuple[float, float]] = {
    "dormant": (-0.95, 0.6),
    "discretionary": (0.95, 0.6),
    "demanding": (0.0, -1.0),
    "dominant": (0.0, 0.75),
    "dangerous": (-0.5, -0.25),
    "dependent": (0.5, -0.25),
    "definitive": (0.0, 0.1),
    "non-stakeholder": (1.35, -1.1),
}
_CIRCLES = {"Power": (-0.5, 0.35), "Legitimacy": (0.5, 0.35), "Urgency": (0.0, -0.5)}
_RADIUS = 0.75


def bubble_size(
    share: float | np.ndarray, *, base: float = 10.0, scale: float = 60.0
) -> np.ndarray:
    """Marker diameter in pixels: base + scale·√share (area grows with the share)."""
    return base + scale * np.sqrt(np.clip(np.asarray(share, dtype=float), 0.0, None))


def _by_function(functions: tuple[str, ...]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(functions):
        groups.setdefault(f, []).append(i)
    return {f: groups[f] for f in FUNCTIONS if f in groups}


def power_interest_figure(
    grid: PowerInterestResult, drive: WhoDrivesResult | None = None
) -> go.Figure:
    """Mendelow's grid: interest across, power up, bubble size = drive share, colour = function.

    Quadrant lines sit at the thresholds used by the model; each quadrant is labelled with its
    strategy. Without ``drive`` every bubble has the same size.
    """
    share = drive.share if drive is not None else np.full(len(grid.departments), 0.1)
    fig = go.Figure()
    for function, idx in _by_function(grid.functions).items():
        fig.add_trace(
            go.Scatter(
                x=grid.interest[idx],
                y=grid.power[idx],
                mode="markers+text",
                name=function,
                text=[grid.departments[i] for i in idx],
                textposition="top center",
                customdata=np.array(
                    [[grid.departments[i], share[i], grid.quadrant[i]] for i in idx], dtype=object
                ),
                marker={
                    "size": bubble_size(share[idx]),
                    "color": function_colour(function),
                    "line": {"width": 1, "color": "white"},
                    "opacity": 0.85,
                },
                hovertemplate=(
                    "%{customdata[0]}<br>interest %{x:.2f}, power %{y:.2f}<br>"
                    "drive share %{customdata[1]:.1%}<br>%{customdata[2]}<extra></extra>"
                ),
            )
        )
    pt, it = grid.power_threshold, grid.interest_threshold
    fig.add_hline(y=pt, line={"color": REFERENCE_COLOUR, "dash": "dot", "width": 1})
    fig.add_vline(x=it, line={"color": REFERENCE_COLOUR, "dash": "dot", "width": 1})
    corners = {
        "keep satisfied": (it / 2, (1 + pt) / 2 + 0.45 * (1 - pt)),
        "manage closely": ((1 + it) / 2, (1 + pt) / 2 + 0.45 * (1 - pt)),
        "monitor": (it / 2, 0.05 * pt),
        "keep informed": ((1 + it) / 2, 0.05 * pt),
    }
    for label, (x, y) in corners.items():
        fig.add_annotation(
            x=x, y=y, text=label.upper(), showarrow=False, font={"size": 11, "color": "#777"}
        )
    fig.update_layout(
        title="Power–interest grid (bubble size: share of the final decision)",
        xaxis={"title": "Interest in the LMS project", "range": [-0.05, 1.05]},
        yaxis={"title": "Power over the LMS project", "range": [-0.05, 1.1]},
        legend_title_text="Function",
        template="plotly_white",
    )
    return fig


def salience_figure(sal: SalienceResult) -> go.Figure:
    """Mitchell, Agle & Wood's three circles (power, legitimacy, urgency) and the seven classes,
    with each department placed in the region of its class (colour = function).
    """
    fig = go.Figure()
    for label, (cx, cy) in _CIRCLES.items():
        fig.add_shape(
            type="circle",
            x0=cx - _RADIUS,
            x1=cx + _RADIUS,
            y0=cy - _RADIUS,
            y1=cy + _RADIUS,
            line={"color": "#999", "width": 1.5},
            fillcolor="rgba(200,200,200,0.12)",
        )
        dx = -0.55 if cx < 0 else 0.55 if cx > 0 else 0.0
        dy = 0.85 if cy > 0 else -0.95
        fig.add_annotation(
            x=cx + dx, y=cy + dy, text=f"<b>{label}</b>", showarrow=False, font={"size": 13}
        )
    for name, (x, y) in SALIENCE_REGIONS.items():
        fig.add_annotation(
            x=x, y=y - 0.17, text=name, showarrow=False, font={"size": 10, "color": "#666"}
        )
    counts: dict[str, int] = {}
    xs, ys = np.zeros(len(sal.departments)), np.zeros(len(sal.departments))
    for i, cls in enumerate(sal.salience_class):
        k = counts.get(cls, 0)
        counts[cls] = k + 1
        cx, cy = SALIENCE_REGIONS[cls]
        r = 0.0 if k == 0 else 0.1 + 0.02 * k
        angle = k * 2.399963  # golden angle: spreads departments sharing a class
        xs[i], ys[i] = cx + r * math.cos(angle), cy + r * math.sin(angle) * 0.8
    for function, idx in _by_function(sal.functions).items():
        fig.add_trace(
            go.Scatter(
                x=xs[idx],
                y=ys[idx],
                mode="markers+text",
                name=function,
                text=[sal.departments[i] for i in idx],
                textposition="middle right",
                textfont={"size": 10},
                customdata=np.array(
                    [[sal.departments[i], sal.salience_class[i], sal.score[i]] for i in idx],
                    dtype=object,
                ),
                marker={"size": 12, "color": function_colour(function)},
                hovertemplate=(
                    "%{customdata[0]}: %{customdata[1]}<br>salience %{customdata[2]:.2f}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        title=f"Stakeholder salience (attribute held from {sal.attribute_threshold:g})",
        xaxis={"visible": False, "range": [-1.6, 1.9], "scaleanchor": "y"},
        yaxis={"visible": False, "range": [-1.55, 1.35]},
        legend_title_text="Function",
        template="plotly_white",
    )
    return fig


def network_figure(net: NetworkResult) -> go.Figure:
    """The influence network: node size = drive share, colour = function, edge width = weight.

    Arrows point from the department listened to (the influencer) to the one listening. Node
    positions come from the model's stable layout, so they do not move when weights change.
    """
    fig = go.Figure()
    for k, (i, j) in enumerate(zip(net.edge_source, net.edge_target, strict=True)):
        if i == j:
            continue
        w = float(net.edge_normalised[k])
        fig.add_trace(
            go.Scatter(
                x=[net.x[j], net.x[i]],
                y=[net.y[j], net.y[i]],
                mode="lines",
                line={"width": 0.5 + 6.0 * w, "color": "rgba(120,120,120,0.55)"},
                hoverinfo="text",
                text=f"{net.departments[i]} listens to {net.departments[j]} ({w:.0%})",
                customdata=[[net.departments[i], net.departments[j], w]] * 2,
                showlegend=False,
                name="edge",
            )
        )
        fig.add_annotation(
            x=0.8 * net.x[i] + 0.2 * net.x[j],
            y=0.8 * net.y[i] + 0.2 * net.y[j],
            ax=net.x[j],
            ay=net.y[j],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1,
            arrowwidth=0.5 + 2.0 * w,
            arrowcolor="rgba(120,120,120,0.8)",
            text="",
        )
    for function, idx in _by_function(net.functions).items():
        fig.add_trace(
            go.Scatter(
                x=net.x[idx],
                y=net.y[idx],
                mode="markers+text",
                name=function,
                text=[net.departments[i] for i in idx],
                textposition="top center",
                customdata=np.array(
                    [[net.departments[i], net.share[i], bool(net.hears_learning[i])] for i in idx],
                    dtype=object,
                ),
                marker={
                    "size": bubble_size(net.share[idx], base=14.0),
                    "color": function_colour(function),
                    "line": {"width": 1, "color": "white"},
                },
                hovertemplate=(
                    "%{customdata[0]}<br>drive share %{customdata[1]:.1%}"
                    "<br>hears learning: %{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        title="Influence network (arrow: who listens to whom; node size: drive share)",
        xaxis={"visible": False, "range": [-1.3, 1.3], "scaleanchor": "y"},
        yaxis={"visible": False, "range": [-1.3, 1.3]},
        legend_title_text="Function",
        template="plotly_white",
    )
    return fig


def drive_share_figure(drive: WhoDrivesResult) -> go.Figure:
    """Left: each department's share of the final decision. Right: the shares stacked by function,
    learning functions first, with the learning-driven threshold line (one half by default).
    """
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        subplot_titles=("By department", "By function"),
        horizontal_spacing=0.12,
    )
    order = np.argsort(-drive.share, kind="stable")
    fig.add_trace(
        go.Bar(
            x=[drive.departments[i] for i in order],
            y=drive.share[order],
            marker_color=[function_colour(drive.functions[i]) for i in order],
            customdata=np.array(
                [[drive.departments[i], drive.functions[i]] for i in order], dtype=object
            ),
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:.1%}<extra></extra>",
            name="department",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    functions = [f for f in LEARNING_FUNCTIONS if drive.share_by_function.get(f, 0) > 0] + [
        f
        for f in FUNCTIONS
        if f not in LEARNING_FUNCTIONS and drive.share_by_function.get(f, 0) > 0
    ]
    for f in functions:
        fig.add_trace(
            go.Bar(
                x=["share"],
                y=[drive.share_by_function[f]],
                name=f,
                marker_color=function_colour(f),
                customdata=[f],
                hovertemplate=f"{f}: %{{y:.1%}}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    fig.add_hline(
        y=drive.threshold,
        line={"color": REFERENCE_COLOUR, "dash": "dash", "width": 2},
        annotation_text=f"learning-driven from {drive.threshold:.0%}",
        annotation_position="top left",
        row=1,
        col=2,
    )
    verdict = "learning drives" if drive.learning_driven else "learning does not drive"
    fig.update_layout(
        barmode="stack",
        title=f"Share of the final decision: learning {drive.learning_share:.0%} ({verdict})",
        yaxis={"title": "Share of the final decision", "tickformat": ".0%"},
        yaxis2={"tickformat": ".0%", "range": [0, 1]},
        legend_title_text="Function",
        template="plotly_white",
    )
    return fig


def phase_drive_figure(by_phase: PhaseDriveResult) -> go.Figure:
    """How the drive share moves through the phases: stacked shares by function (learning at the
    bottom), the learning share as a line, and the threshold.
    """
    fig = go.Figure()
    by_function = by_phase.share_by_function()
    x = list(by_phase.phase_names)
    order = [f for f in LEARNING_FUNCTIONS] + [f for f in FUNCTIONS if f not in LEARNING_FUNCTIONS]
    for f in order:
        col = by_function[:, FUNCTIONS.index(f)]
        if not np.any(np.nan_to_num(col) > 0):
            continue
        fig.add_trace(
            go.Scatter(
                x=x,
                y=col,
                name=f,
                mode="lines",
                stackgroup="share",
                line={"width": 0.5, "color": function_colour(f)},
                fillcolor=function_colour(f),
                customdata=list(by_phase.phases),
                hovertemplate=f"{f}: %{{y:.1%}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=by_phase.learning_share,
            name="learning share",
            mode="lines+markers",
            line={"color": REFERENCE_COLOUR, "width": 3},
            customdata=list(by_phase.phases),
            hovertemplate="learning share: %{y:.1%}<extra></extra>",
        )
    )
    fig.add_hline(
        y=by_phase.threshold,
        line={"color": REFERENCE_COLOUR, "dash": "dash", "width": 1.5},
        annotation_text=f"learning-driven from {by_phase.threshold:.0%}",
    )
    fig.update_layout(
        title="Who drives the decisions of each phase",
        xaxis={"title": "Phase"},
        yaxis={"title": "Share of the phase's decisions", "tickformat": ".0%", "range": [0, 1]},
        legend_title_text="Function",
        template="plotly_white",
    )
    return fig
