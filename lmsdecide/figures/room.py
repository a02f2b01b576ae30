"""Figures of the live room: the disagreement, drawn so it can be read from the back of a room.

- :func:`room_share_figure`: each participant's learning share (one dot each), the room's median
  and interquartile range, the scenario's own share and the learning-driven threshold.
- :func:`room_driver_figure`: how many participants' answers make each department the top driver.
- :func:`room_disagreement_figure`: the departments the room disagrees about most.
- :func:`room_partner_figure`: the share of participants whose criteria weights rank each
  partner first, with the group's consensus.

Builders take a :class:`~lmsdecide.room.analysis.RoomAnalysis` and return plotly figures: no
model maths here. Meaning never rests on colour alone: every mark is labelled in text too.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.workshop import presentation_style
from lmsdecide.room.analysis import RoomAnalysis

__all__ = [
    "room_disagreement_figure",
    "room_driver_figure",
    "room_partner_figure",
    "room_share_figure",
]

ROOM = "#0072B2"  # Okabe & Ito blue
SCENARIO = "#D55E00"  # Okabe & Ito vermilion
HEIGHT = 420


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(
        text=message,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 20},
    )
    return fig


def room_share_figure(
    analysis: RoomAnalysis, *, threshold: float = 0.5, width: int | None = None
) -> go.Figure:
    """Each participant's learning share, the room's median and IQR, the scenario's share."""
    shares = analysis.learning_share
    q25, q50, q75 = analysis.share_quantiles()
    title = (
        f"Learning share of the decision, participant by participant (n = {analysis.n})<br>"
        f"<sup>room median {q50:.2f}, IQR {q25:.2f} to {q75:.2f}; "
        f"the scenario: {analysis.base_learning_share:.2f}</sup>"
        if analysis.n
        else "Learning share of the decision: waiting for answers"
    )
    ids = [str(p) for p in analysis.answers.participants]
    # rows of dots: participants sorted by share, stacked so equal shares stay visible
    order = np.argsort(shares, kind="stable")
    y = np.empty(len(shares))
    y[order] = np.arange(len(shares)) % 8
    fig = go.Figure(
        go.Scatter(
            x=shares,
            y=y,
            mode="markers",
            marker={"size": 14, "color": ROOM, "symbol": "circle", "line": {"width": 1}},
            name="a participant's answers",
            customdata=ids,
            hovertemplate="participant %{customdata}: %{x:.2f}<extra></extra>",
        )
    )
    shapes = []
    if analysis.n:
        shapes.append(
            {
                "type": "rect",
                "x0": q25,
                "x1": q75,
                "y0": -1,
                "y1": 8,
                "line": {"width": 0},
                "fillcolor": "rgba(0,114,178,0.15)",
                "layer": "below",
            }
        )
    fig.update_layout(shapes=shapes)
    lines = [
        (q50, "room median", ROOM, "solid"),
        (analysis.base_learning_share, "the scenario", SCENARIO, "dash"),
        (threshold, "learning-driven", "#000000", "dot"),
    ]
    for x, label, colour, dash in lines:
        if math.isnan(x):
            continue
        fig.add_vline(
            x=x,
            line={"color": colour, "dash": dash, "width": 3},
            annotation_text=label,
            annotation_position="top",
        )
    fig.update_xaxes(range=[0, 1], title="learning (L&D + HR) share of the final decision")
    fig.update_yaxes(visible=False, range=[-1, 8.5])
    fig.update_layout(title=title, showlegend=False)
    presentation_style(fig, height=HEIGHT)
    if width:
        fig.update_layout(width=width)
    return fig


def room_driver_figure(analysis: RoomAnalysis, *, width: int | None = None) -> go.Figure:
    """How many participants' answers make each department the top driver."""
    counts = analysis.top_driver_counts()
    names = dict(
        zip(
            analysis.answers.departments,
            analysis.disagreement.set_index("department").reindex(
                list(analysis.answers.departments)
            )["name"],
            strict=True,
        )
    )
    labels = [names.get(d, d) for d in counts]
    fig = go.Figure(
        go.Bar(
            x=list(counts.values()),
            y=labels,
            orientation="h",
            marker={"color": ROOM},
            text=[f"{v} of {analysis.n}" for v in counts.values()],
            textposition="auto",
            name="participants",
        )
    )
    fig.update_layout(title="Who drives? The top driver in each participant's answers")
    fig.update_xaxes(title="participants", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    if not counts:
        _empty(fig, "waiting for answers")
    presentation_style(fig, height=HEIGHT)
    if width:
        fig.update_layout(width=width)
    return fig


QUESTION_LABELS = {
    "power": "power",
    "interest": "interest",
    "say": "formal say",
    "firmness": "firmness",
    "phase": "phase",
}


def room_disagreement_figure(
    analysis: RoomAnalysis, *, top: int = 8, width: int | None = None
) -> go.Figure:
    """The departments the room disagrees about most (mean IQR of the answers, 0..1)."""
    frame = analysis.disagreement.dropna(subset=["disagreement"]).head(top)
    fig = go.Figure(
        go.Bar(
            x=frame["disagreement"],
            y=frame["name"],
            orientation="h",
            marker={"color": SCENARIO},
            text=[
                f"{v:.2f}: most on {QUESTION_LABELS.get(q, q)} ({n} raters)"
                for v, q, n in zip(
                    frame["disagreement"], frame["most_disputed"], frame["raters"], strict=True
                )
            ],
            textposition="auto",
            name="disagreement",
        )
    )
    fig.update_layout(title="Where the room disagrees most (interquartile range, 0 = agreement)")
    fig.update_xaxes(title="mean interquartile range of the answers (0..1)", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    if frame.empty:
        _empty(fig, "waiting for answers")
    presentation_style(fig, height=HEIGHT)
    if width:
        fig.update_layout(width=width)
    return fig


def room_partner_figure(
    analysis: RoomAnalysis, names: dict[str, str] | None = None, *, width: int | None = None
) -> go.Figure:
    """Share of participants whose criteria weights rank each partner first; consensus in title."""
    w = analysis.weights
    ids = list(analysis.p_first)
    labels = [(names or {}).get(p, p) for p in ids]
    values = [analysis.p_first[p] for p in ids]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker={"color": ROOM},
            text=[f"{v:.0%}" for v in values],
            textposition="auto",
            name="ranked first",
        )
    )
    if w is not None:
        flagged = int(w.flagged.sum())
        title = (
            f"Which partner comes first with each participant's weights? (n = {len(w.cr)})<br>"
            f"<sup>consensus on the criteria {w.consensus.value:.0%} ({w.consensus.band}, Goepel); "
            f"{flagged} participant(s) inconsistent (CR > 0.1)</sup>"
        )
    else:
        title = "Which partner comes first? Waiting for complete comparisons of the criteria"
        _empty(fig, "waiting for comparisons")
    fig.update_layout(title=title)
    fig.update_yaxes(title="share of participants", range=[0, 1], tickformat=".0%")
    presentation_style(fig, height=HEIGHT)
    if width:
        fig.update_layout(width=width)
    return fig
