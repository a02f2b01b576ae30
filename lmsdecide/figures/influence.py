"""Figures for "who drives": each is a spec function (a result in, a figure spec out), a text
alternative (the key numbers in words) and a thin builder returning a ``go.Figure``.

No model maths here: positions, shares and classes come from :mod:`lmsdecide.influence`. Colours
and marker symbols by function come from :mod:`lmsdecide.figures.palette`. Every marker carries
its department id in ``customdata`` so tests (and dashboards) can match trace data to the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.format import base_layout, percent, reference_line
from lmsdecide.figures.palette import function_colour, function_pattern, function_symbol
from lmsdecide.figures.spec import Spec, build
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
    "describe_drive_share",
    "describe_network",
    "describe_phase_drive",
    "describe_power_interest",
    "describe_salience",
    "drive_share_figure",
    "drive_share_spec",
    "network_figure",
    "network_spec",
    "phase_drive_figure",
    "phase_drive_spec",
    "power_interest_figure",
    "power_interest_spec",
    "salience_figure",
    "salience_spec",
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
_THRESHOLD_DASH = "dash"


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


#: Functions in stacking order: the learning functions first (at the bottom), then the others.
_STACK_ORDER: tuple[str, ...] = (
    *LEARNING_FUNCTIONS,
    *(f for f in FUNCTIONS if f not in LEARNING_FUNCTIONS),
)


def _learning_first(shares: dict[str, float], present: Iterable[str] = ()) -> list[str]:
    """Functions with a share or a department (``present``), learning functions first (they
    stack at the bottom).

    A function whose departments hold no share keeps its (empty) segment and legend entry: the
    organisation's functions, not the scenario's numbers, decide what the legend lists, so a
    scenario of the same organisation keeps the legend's rows, hence the figure's margins
    (plotly.js draws a figure twice when its margins change).
    """
    keep = set(present)
    return [f for f in _STACK_ORDER if shares.get(f, 0) > 0 or f in keep]


# ---------------------------------------------------------------------------------------------
# Share of the final decision
# ---------------------------------------------------------------------------------------------


def drive_share_spec(drive: WhoDrivesResult) -> Spec:
    """Left: each department's share of the final decision. Right: the shares stacked by function,
    learning functions first, with the learning-driven threshold (a legend entry, not a label
    on the bars).
    """
    order = np.argsort(-drive.share, kind="stable")
    functions = [drive.functions[i] for i in order]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "uid": "department",
            "name": "department",
            "x": [drive.departments[i] for i in order],
            "y": drive.share[order],
            "text": [percent(drive.share[i]) for i in order],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {
                "color": [function_colour(f) for f in functions],
                "pattern": {"shape": [function_pattern(f) for f in functions]},
            },
            "customdata": np.array(
                [[drive.departments[i], drive.functions[i]] for i in order], dtype=object
            ),
            "hovertemplate": "%{customdata[0]} (%{customdata[1]}): %{y:.0%}<extra></extra>",
            "showlegend": False,
        }
    ]
    for f in _learning_first(drive.share_by_function, drive.functions):
        data.append(
            {
                "type": "bar",
                "uid": f"fn:{f}",
                "name": f,
                "x": ["by function"],
                "y": [drive.share_by_function[f]],
                "xaxis": "x2",
                "yaxis": "y2",
                "marker": {"color": function_colour(f), "pattern": {"shape": function_pattern(f)}},
                "customdata": [f],
                "hovertemplate": f"{f}: %{{y:.0%}}<extra></extra>",
            }
        )
    verdict = "learning drives" if drive.learning_driven else "learning does not drive"
    layout = base_layout(
        "Share of the final decision",
        f"Learning (L&D, HR) {percent(drive.learning_share)}: {verdict}",
        height=440,
    )
    layout.update(
        barmode="stack",
        # the x labels push the bottom margin only: the last (rotated) one ends in the gap
        # before the second panel, and letting it push the right margin made the margins change
        # with the order of the departments (plotly.js then draws the figure twice)
        xaxis={"domain": [0.0, 0.62], "automargin": "height", "title": {"text": "By department"}},
        yaxis={
            "title": {"text": "Share of the decision"},
            "tickformat": ".0%",
            "automargin": True,
            "rangemode": "tozero",
        },
        xaxis2={"domain": [0.74, 1.0], "anchor": "y2", "title": {"text": "By function"}},
        yaxis2={"anchor": "x2", "tickformat": ".0%", "range": [0, 1], "automargin": True},
        shapes=[
            reference_line(
                "y",
                drive.threshold,
                f"learning-driven from {percent(drive.threshold)}",
                dash=_THRESHOLD_DASH,
                xref="x2",
                yref="y2",
            )
        ],
    )
    return {"data": data, "layout": layout}


def describe_drive_share(drive: WhoDrivesResult) -> str:
    """The key numbers of :func:`drive_share_spec` in words."""
    top = int(np.argmax(drive.share))
    verdict = "so learning drives" if drive.learning_driven else "so learning does not drive"
    return (
        f"Learning (L&D and HR) holds {percent(drive.learning_share)} of the final decision, "
        f"{verdict} (the line is {percent(drive.threshold)}). The largest share is "
        f"{drive.names[top]}'s ({drive.functions[top]}), {percent(drive.share[top])}."
    )


def drive_share_figure(drive: WhoDrivesResult) -> go.Figure:
    """The figure of :func:`drive_share_spec`."""
    return build(drive_share_spec(drive))


# ---------------------------------------------------------------------------------------------
# Power-interest grid
# ---------------------------------------------------------------------------------------------


def power_interest_spec(grid: PowerInterestResult, drive: WhoDrivesResult | None = None) -> Spec:
    """Mendelow's grid: interest across, power up, bubble size = drive share, colour and symbol =
    function. Quadrant lines at the model's thresholds; each quadrant's strategy is written in
    its outer corner (clear of the tick labels). Without ``drive`` every bubble has one size.
    """
    share = drive.share if drive is not None else np.full(len(grid.departments), 0.1)
    data = [
        {
            "type": "scatter",
            "uid": f"fn:{function}",
            "name": function,
            "x": grid.interest[idx],
            "y": grid.power[idx],
            "mode": "markers+text",
            "text": [grid.departments[i] for i in idx],
            "textposition": "top center",
            "customdata": np.array(
                [[grid.departments[i], share[i], grid.quadrant[i]] for i in idx], dtype=object
            ),
            "marker": {
                "size": bubble_size(share[idx]),
                "color": function_colour(function),
                "symbol": function_symbol(function),
                "line": {"width": 1, "color": "white"},
                "opacity": 0.85,
            },
            "hovertemplate": (
                "%{customdata[0]}<br>interest %{x:.2f}, power %{y:.2f}<br>"
                "drive share %{customdata[1]:.0%}<br>%{customdata[2]}<extra></extra>"
            ),
        }
        for function, idx in _by_function(grid.functions).items()
    ]
    pt, it = grid.power_threshold, grid.interest_threshold
    corners = (
        ("keep satisfied", 0.0, 1.0, "left", "top"),
        ("manage closely", 1.0, 1.0, "right", "top"),
        ("monitor", 0.0, 0.0, "left", "bottom"),
        ("keep informed", 1.0, 0.0, "right", "bottom"),
    )
    layout = base_layout(
        "Power–interest grid", "Bubble size: share of the final decision", height=480
    )
    layout.update(
        xaxis={"title": {"text": "Interest in the project"}, "range": [-0.05, 1.05]},
        yaxis={"title": {"text": "Power over the project"}, "range": [-0.05, 1.1]},
        shapes=[
            {
                "type": "line",
                "xref": "x domain",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": pt,
                "y1": pt,
                "line": {"color": "#777", "dash": "dot", "width": 1},
            },
            {
                "type": "line",
                "xref": "x",
                "yref": "y domain",
                "x0": it,
                "x1": it,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#777", "dash": "dot", "width": 1},
            },
        ],
        annotations=[
            {
                "text": label.upper(),
                "xref": "x domain",
                "yref": "y domain",
                "x": x,
                "y": y,
                "xanchor": xa,
                "yanchor": ya,
                "showarrow": False,
                "font": {"size": 11, "color": "#666"},
            }
            for label, x, y, xa, ya in corners
        ],
    )
    return {"data": data, "layout": layout}


def describe_power_interest(grid: PowerInterestResult, drive: WhoDrivesResult | None = None) -> str:
    """The key numbers of :func:`power_interest_spec` in words."""
    counts: dict[str, list[str]] = {}
    for name, q in zip(grid.names, grid.quadrant, strict=True):
        counts.setdefault(str(q), []).append(str(name))
    parts = [f"{q}: {', '.join(names)}" for q, names in sorted(counts.items())]
    return f"{len(grid.departments)} departments on Mendelow's grid. " + "; ".join(parts) + "."


def power_interest_figure(
    grid: PowerInterestResult, drive: WhoDrivesResult | None = None
) -> go.Figure:
    """The figure of :func:`power_interest_spec`."""
    return build(power_interest_spec(grid, drive))


# ---------------------------------------------------------------------------------------------
# Salience
# ---------------------------------------------------------------------------------------------


def salience_spec(sal: SalienceResult) -> Spec:
    """Mitchell, Agle & Wood's three circles (power, legitimacy, urgency) and the seven classes,
    with each department placed in the region of its class (colour and symbol = function).
    """
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for label, (cx, cy) in _CIRCLES.items():
        shapes.append(
            {
                "type": "circle",
                "x0": cx - _RADIUS,
                "x1": cx + _RADIUS,
                "y0": cy - _RADIUS,
                "y1": cy + _RADIUS,
                "line": {"color": "#999", "width": 1.5},
                "fillcolor": "rgba(200,200,200,0.12)",
            }
        )
        dx = -0.55 if cx < 0 else 0.55 if cx > 0 else 0.0
        dy = 0.85 if cy > 0 else -0.95
        notes.append(
            {
                "x": cx + dx,
                "y": cy + dy,
                "text": f"<b>{label}</b>",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    for name, (x, y) in SALIENCE_REGIONS.items():
        notes.append(
            {
                "x": x,
                "y": y - 0.17,
                "text": name,
                "showarrow": False,
                "font": {"size": 10, "color": "#666"},
            }
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
    data = [
        {
            "type": "scatter",
            "uid": f"fn:{function}",
            "name": function,
            "x": xs[idx],
            "y": ys[idx],
            "mode": "markers+text",
            "text": [sal.departments[i] for i in idx],
            "textposition": "middle right",
            "textfont": {"size": 10},
            "customdata": np.array(
                [[sal.departments[i], sal.salience_class[i], sal.score[i]] for i in idx],
                dtype=object,
            ),
            "marker": {
                "size": 12,
                "color": function_colour(function),
                "symbol": function_symbol(function),
            },
            "hovertemplate": (
                "%{customdata[0]}: %{customdata[1]}<br>salience %{customdata[2]:.2f}<extra></extra>"
            ),
        }
        for function, idx in _by_function(sal.functions).items()
    ]
    layout = base_layout(
        "Stakeholder salience",
        f"An attribute is held from {sal.attribute_threshold:g}",
        height=520,
    )
    layout.update(
        xaxis={"visible": False, "range": [-1.6, 1.9], "scaleanchor": "y"},
        yaxis={"visible": False, "range": [-1.55, 1.35]},
        shapes=shapes,
        annotations=notes,
    )
    return {"data": data, "layout": layout}


def describe_salience(sal: SalienceResult) -> str:
    """The key numbers of :func:`salience_spec` in words."""
    by_class: dict[str, list[str]] = {}
    for name, cls in zip(sal.names, sal.salience_class, strict=True):
        by_class.setdefault(str(cls), []).append(str(name))
    parts = [f"{cls}: {', '.join(names)}" for cls, names in sorted(by_class.items())]
    return "Salience classes (power, legitimacy, urgency). " + "; ".join(parts) + "."


def salience_figure(sal: SalienceResult) -> go.Figure:
    """The figure of :func:`salience_spec`."""
    return build(salience_spec(sal))


# ---------------------------------------------------------------------------------------------
# Influence network
# ---------------------------------------------------------------------------------------------


def network_spec(net: NetworkResult) -> Spec:
    """The influence network: node size = drive share, colour and symbol = function, edge width =
    weight. Arrows point from the department listened to (the influencer) to the one listening.
    Node positions come from the model's stable layout, so they do not move when weights change.
    """
    data: list[dict[str, Any]] = []
    for k, (i, j) in enumerate(zip(net.edge_source, net.edge_target, strict=True)):
        if i == j:
            continue
        w = float(net.edge_normalised[k])
        listener, speaker = net.departments[i], net.departments[j]
        # The arrowhead is a marker on the edge itself, 80% of the way to the listener, turned
        # along the line (angleref "previous"). Drawn as layout annotations instead, the twenty
        # arrows of a typical scenario doubled the time plotly.js takes to redraw this figure.
        head_x = 0.8 * net.x[i] + 0.2 * net.x[j]
        head_y = 0.8 * net.y[i] + 0.2 * net.y[j]
        data.append(
            {
                "type": "scatter",
                "uid": f"edge:{listener}>{speaker}",
                "name": "edge",
                "x": [net.x[j], head_x, net.x[i]],
                "y": [net.y[j], head_y, net.y[i]],
                "mode": "lines+markers",
                "line": {"width": 0.5 + 6.0 * w, "color": "rgba(120,120,120,0.55)"},
                "marker": {
                    "symbol": "arrow",
                    "angleref": "previous",
                    "size": [0.0, 9.0 + 8.0 * w, 0.0],
                    "color": "rgba(120,120,120,0.8)",
                },
                "hoverinfo": "text",
                "text": f"{listener} listens to {speaker} ({percent(w)})",
                "customdata": [[listener, speaker, w]] * 3,
                "showlegend": False,
            }
        )
    for function, idx in _by_function(net.functions).items():
        data.append(
            {
                "type": "scatter",
                "uid": f"fn:{function}",
                "name": function,
                "x": net.x[idx],
                "y": net.y[idx],
                "mode": "markers+text",
                "text": [net.departments[i] for i in idx],
                "textposition": "top center",
                "customdata": np.array(
                    [[net.departments[i], net.share[i], bool(net.hears_learning[i])] for i in idx],
                    dtype=object,
                ),
                "marker": {
                    "size": bubble_size(net.share[idx], base=14.0),
                    "color": function_colour(function),
                    "symbol": function_symbol(function),
                    "line": {"width": 1, "color": "white"},
                },
                "hovertemplate": (
                    "%{customdata[0]}<br>drive share %{customdata[1]:.0%}"
                    "<br>hears learning: %{customdata[2]}<extra></extra>"
                ),
            }
        )
    layout = base_layout(
        "Influence network", "Arrow: who listens to whom; node size: drive share", height=480
    )
    layout.update(
        xaxis={"visible": False, "range": [-1.3, 1.3], "scaleanchor": "y"},
        yaxis={"visible": False, "range": [-1.3, 1.3]},
    )
    return {"data": data, "layout": layout}


def describe_network(net: NetworkResult) -> str:
    """The key numbers of :func:`network_spec` in words."""
    edges = [k for k, (i, j) in enumerate(zip(net.edge_source, net.edge_target, strict=True))]
    deaf = [n for n, h in zip(net.names, net.hears_learning, strict=True) if not h]
    top = int(np.argmax(net.share)) if len(net.share) else 0
    text = (
        f"{len(net.departments)} departments, {len(edges)} influence links. "
        f"Largest drive share: {net.names[top]}, {percent(net.share[top])}."
        if len(net.share)
        else "No departments."
    )
    if deaf:
        text += f" Not reached by learning's view: {', '.join(map(str, deaf))}."
    return text


def network_figure(net: NetworkResult) -> go.Figure:
    """The figure of :func:`network_spec`."""
    return build(network_spec(net))


# ---------------------------------------------------------------------------------------------
# Phase by phase
# ---------------------------------------------------------------------------------------------


def phase_drive_spec(by_phase: PhaseDriveResult) -> Spec:
    """How the drive share moves through the phases: stacked shares by function (learning at the
    bottom), the learning share as a line, and the threshold (in the legend).
    """
    by_function = by_phase.share_by_function()
    x = list(by_phase.phase_names)
    data: list[dict[str, Any]] = []
    # every function, those with no share hidden: the same traces for every scenario, so a live
    # figure moved to another edits them in place (no trace deleted or added, a full redraw)
    for f in _STACK_ORDER:
        col = by_function[:, FUNCTIONS.index(f)]
        data.append(
            {
                "type": "scatter",
                "uid": f"fn:{f}",
                "name": f,
                "visible": bool(np.any(np.nan_to_num(col) > 0)),
                "x": x,
                "y": col,
                "mode": "lines",
                "stackgroup": "share",
                "line": {"width": 0.5, "color": function_colour(f)},
                "fillcolor": function_colour(f),
                "fillpattern": {"shape": function_pattern(f)},
                "customdata": list(by_phase.phases),
                "hovertemplate": f"{f}: %{{y:.0%}}<extra></extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "uid": "learning share",
            "name": "learning share",
            "x": x,
            "y": by_phase.learning_share,
            "mode": "lines+markers",
            "line": {"color": "#000000", "width": 3},
            "marker": {"symbol": "circle", "size": 8},
            "customdata": list(by_phase.phases),
            "hovertemplate": "learning share: %{y:.0%}<extra></extra>",
        }
    )
    driven = int(np.count_nonzero(by_phase.learning_driven))
    layout = base_layout(
        "Who drives each phase",
        f"Learning drives {driven} of {len(x)} phases",
        height=440,
    )
    layout.update(
        xaxis={"title": {"text": "Phase"}, "automargin": True},
        yaxis={
            "title": {"text": "Share of the phase's decisions"},
            "tickformat": ".0%",
            "range": [0, 1],
            "automargin": True,
        },
        shapes=[
            reference_line(
                "y", by_phase.threshold, f"learning-driven from {percent(by_phase.threshold)}"
            )
        ],
    )
    return {"data": data, "layout": layout}


def describe_phase_drive(by_phase: PhaseDriveResult) -> str:
    """The key numbers of :func:`phase_drive_spec` in words."""
    parts = [
        f"{name} {percent(s)}"
        for name, s in zip(by_phase.phase_names, by_phase.learning_share, strict=True)
    ]
    return "Learning's share of each phase's decisions: " + ", ".join(parts) + "."


def phase_drive_figure(by_phase: PhaseDriveResult) -> go.Figure:
    """The figure of :func:`phase_drive_spec`."""
    return build(phase_drive_spec(by_phase))
