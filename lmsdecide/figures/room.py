"""Figures of the live room: the disagreement, drawn so it can be read from the back of a room.

- :func:`room_share_figure`: each participant's learning share (one dot each), the room's median
  and interquartile range, the scenario's own share and the learning-driven threshold.
- :func:`room_driver_figure`: how many participants' answers make each department the top driver.
- :func:`room_disagreement_figure`: the departments the room disagrees about most.
- :func:`room_partner_figure`: the share of participants whose criteria weights rank each
  partner first, with the group's consensus.

Builders take a :class:`~lmsdecide.room.analysis.RoomAnalysis` and return plotly figures: no
model maths here. Meaning never rests on colour alone: every mark is labelled in text too.
Each builder has an update helper (``room_*_update``: plain data, no plotly objects) that
:func:`lmsdecide.figures._updates.apply_update` writes into a drawn ``go.FigureWidget``: the
figures keep one structure whatever the answers, so a live redraw never rebuilds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures._updates import FigureUpdate, apply_update
from lmsdecide.figures.workshop import presentation_style
from lmsdecide.room.analysis import RoomAnalysis

__all__ = [
    "room_disagreement_figure",
    "room_disagreement_update",
    "room_driver_figure",
    "room_driver_update",
    "room_partner_figure",
    "room_partner_update",
    "room_share_figure",
    "room_share_update",
]

ROOM = "#0072B2"  # Okabe & Ito blue
SCENARIO = "#D55E00"  # Okabe & Ito vermilion
HEIGHT = 420


QUESTION_LABELS = {
    "power": "power",
    "interest": "interest",
    "say": "formal say",
    "firmness": "firmness",
    "phase": "phase",
}
LINES = (
    ("room median", ROOM, "solid"),
    ("the scenario", SCENARIO, "dash"),
    ("learning-driven", "#000000", "dot"),
)


def _from_update(update: FigureUpdate, layout: dict[str, Any], width: int | None) -> go.Figure:
    """A styled figure of the update's structure, then the update's values written into it."""
    fig = go.Figure([{"type": t["type"], "name": t["name"]} for t in update.traces])
    fig.update_layout(**layout)
    presentation_style(fig, height=HEIGHT)
    if width:
        fig.update_layout(width=width)
    applied = apply_update(fig, update)
    assert applied, "the builder and its update disagree"
    return fig


def room_share_update(analysis: RoomAnalysis, *, threshold: float = 0.5) -> FigureUpdate:
    """Data of :func:`room_share_figure`."""
    shares = analysis.learning_share
    q25, q50, q75 = analysis.share_quantiles()
    base = analysis.base_learning_share
    if analysis.n:
        title = (
            f"Learning share, participant by participant (n = {analysis.n})<br>"
            f"<sup>room median {q50:.2f}, IQR {q25:.2f} to {q75:.2f}; "
            f"the scenario: {base:.2f}</sup>"
        )
    else:
        title = f"Learning share: waiting for answers<br><sup>the scenario: {base:.2f}</sup>"
    order = np.argsort(shares, kind="stable")
    y = np.empty(len(shares))
    y[order] = np.arange(len(shares)) % 8  # rows of dots, so equal shares stay visible
    has = analysis.n > 0
    xs = (q50 if has else 0.0, base, threshold)
    shows = (has, True, True)
    shapes: dict[int, dict[str, Any]] = {
        0: {"x0": q25 if has else 0.0, "x1": q75 if has else 0.0, "visible": has}
    }
    annotations: dict[int, dict[str, Any]] = {}
    for i, (x, show) in enumerate(zip(xs, shows, strict=True)):
        shapes[i + 1] = {"x0": float(x), "x1": float(x), "visible": show}
        annotations[i] = {"x": float(x), "visible": show}
    return FigureUpdate(
        traces=(
            {
                "type": "scatter",
                "name": "a participant's answers",
                "x": np.asarray(shares, dtype=float),
                "y": y,
                "customdata": [str(p) for p in analysis.answers.participants],
            },
        ),
        layout={"title": {"text": title}},
        shapes=shapes,
        annotations=annotations,
        n_shapes=4,
        n_annotations=3,
    )


def room_share_figure(
    analysis: RoomAnalysis, *, threshold: float = 0.5, width: int | None = None
) -> go.Figure:
    """Each participant's learning share (a dot each), the room's median and IQR (band), the
    scenario's own share and the learning-driven threshold (labelled lines)."""
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "y0": -1,
            "y1": 8,
            "line": {"width": 0},
            "fillcolor": "rgba(0,114,178,0.15)",
            "layer": "below",
        }
    ]
    annotations = []
    for i, (label, colour, dash) in enumerate(LINES):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "dash": dash, "width": 3},
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "y": 1.0 + 0.07 * i,
                "text": label,
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    layout = {
        "shapes": shapes,
        "annotations": annotations,
        "showlegend": False,
        "xaxis": {"range": [0, 1], "title": {"text": "learning (L&D + HR) share of the decision"}},
        "yaxis": {"visible": False, "range": [-1, 8.5]},
        "margin": {"t": 110},
    }
    fig = _from_update(room_share_update(analysis, threshold=threshold), layout, width)
    fig.update_traces(
        mode="markers",
        marker={"size": 14, "color": ROOM, "line": {"width": 1}},
        hovertemplate="participant %{customdata}: %{x:.2f}<extra></extra>",
    )
    return fig


def _names(analysis: RoomAnalysis) -> dict[str, str]:
    frame = analysis.disagreement
    return dict(zip(frame["department"], frame["name"], strict=True))


def room_driver_update(analysis: RoomAnalysis) -> FigureUpdate:
    """Data of :func:`room_driver_figure`."""
    counts = analysis.top_driver_counts()
    names = _names(analysis)
    title = (
        "Who drives? The top driver in each participant's answers"
        if counts
        else "Who drives? Waiting for answers"
    )
    return FigureUpdate(
        traces=(
            {
                "type": "bar",
                "name": "participants",
                "x": list(counts.values()),
                "y": [names.get(d, d) for d in counts],
                "text": [f"{v} of {analysis.n}" for v in counts.values()],
            },
        ),
        layout={"title": {"text": title}},
    )


def room_driver_figure(analysis: RoomAnalysis, *, width: int | None = None) -> go.Figure:
    """How many participants' answers make each department the top driver."""
    layout = {
        "xaxis": {"title": {"text": "participants"}, "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed"},
        "showlegend": False,
    }
    fig = _from_update(room_driver_update(analysis), layout, width)
    fig.update_traces(orientation="h", marker={"color": ROOM}, textposition="auto")
    return fig


def room_disagreement_update(analysis: RoomAnalysis, *, top: int = 8) -> FigureUpdate:
    """Data of :func:`room_disagreement_figure`."""
    frame = analysis.disagreement.dropna(subset=["disagreement"]).head(top)
    title = (
        "Where the room disagrees most<br><sup>interquartile range; 0 = agreement</sup>"
        if not frame.empty
        else "Where the room disagrees most: waiting for answers"
    )
    return FigureUpdate(
        traces=(
            {
                "type": "bar",
                "name": "disagreement",
                "x": frame["disagreement"].to_numpy(dtype=float),
                "y": [str(n) for n in frame["name"]],
                "text": [
                    f"{v:.2f}: most on {QUESTION_LABELS.get(q, q)} ({n} raters)"
                    for v, q, n in zip(
                        frame["disagreement"], frame["most_disputed"], frame["raters"], strict=True
                    )
                ],
            },
        ),
        layout={"title": {"text": title}},
    )


def room_disagreement_figure(
    analysis: RoomAnalysis, *, top: int = 8, width: int | None = None
) -> go.Figure:
    """The departments the room disagrees about most (mean IQR of the answers, 0..1)."""
    layout = {
        "xaxis": {
            "title": {"text": "mean interquartile range of the answers (0..1)"},
            "range": [0, 1],
        },
        "yaxis": {"autorange": "reversed"},
        "showlegend": False,
    }
    fig = _from_update(room_disagreement_update(analysis, top=top), layout, width)
    fig.update_traces(orientation="h", marker={"color": SCENARIO}, textposition="auto")
    return fig


def room_partner_update(
    analysis: RoomAnalysis, names: dict[str, str] | None = None
) -> FigureUpdate:
    """Data of :func:`room_partner_figure`."""
    w = analysis.weights
    ids = list(analysis.p_first)
    values = [analysis.p_first[p] for p in ids]
    if w is not None:
        title = (
            f"Which partner comes first, by each one's weights? (n = {len(w.cr)})<br>"
            f"<sup>consensus on the criteria {w.consensus.value:.0%} ({w.consensus.band}, "
            f"Goepel); {int(w.flagged.sum())} participant(s) inconsistent (CR > 0.1)</sup>"
        )
    else:
        title = "Which partner comes first?<br><sup>waiting for complete comparisons</sup>"
    return FigureUpdate(
        traces=(
            {
                "type": "bar",
                "name": "ranked first",
                "x": [(names or {}).get(p, p) for p in ids],
                "y": values,
                "text": [f"{v:.0%}" for v in values],
            },
        ),
        layout={"title": {"text": title}},
    )


def room_partner_figure(
    analysis: RoomAnalysis, names: dict[str, str] | None = None, *, width: int | None = None
) -> go.Figure:
    """Share of participants whose criteria weights rank each partner first; consensus in title."""
    layout = {
        "yaxis": {"title": {"text": "share of participants"}, "range": [0, 1], "tickformat": ".0%"},
        "showlegend": False,
        "margin": {"t": 120},
    }
    fig = _from_update(room_partner_update(analysis, names), layout, width)
    fig.update_traces(marker={"color": ROOM}, textposition="auto")
    return fig
