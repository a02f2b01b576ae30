"""Figures of the live room: the disagreement, drawn so it can be read from the back of a room.

- ``room_share``: each participant's learning share (one dot each), the room's median and
  interquartile range, the scenario's own share and the learning-driven threshold.
- ``room_driver``: how many participants' answers make each department the top driver.
- ``room_disagreement``: the departments the room disagrees about most.
- ``room_partner``: the share of participants whose criteria weights rank each partner first,
  with the group's consensus.

Spec functions take a :class:`~lmsdecide.room.analysis.RoomAnalysis` (and the partners' names)
and return figure specs (:mod:`lmsdecide.figures.spec`): no model maths here. They are catalogue
entries of the workshop's scope, so the facilitator's panel moves them in place by spec diffs.
Meaning never rests on colour alone: every mark is labelled in text too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.catalogue import FigureEntry, add
from lmsdecide.figures.format import base_layout
from lmsdecide.figures.spec import Spec, build
from lmsdecide.room.analysis import RoomAnalysis

__all__ = [
    "describe_room_disagreement",
    "describe_room_driver",
    "describe_room_partner",
    "describe_room_share",
    "room_disagreement_figure",
    "room_disagreement_spec",
    "room_driver_figure",
    "room_driver_spec",
    "room_partner_figure",
    "room_partner_spec",
    "room_share_figure",
    "room_share_spec",
]

ROOM = "#0072B2"  # Okabe & Ito blue
SCENARIO = "#D55E00"  # Okabe & Ito vermilion
HEIGHT = 420
ROOM_SECTION = "The room, live"

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


def room_share_spec(analysis: RoomAnalysis, threshold: float = 0.5) -> Spec:
    """Each participant's learning share (a dot each), the room's median and IQR (band), the
    scenario's own share and the learning-driven threshold (labelled lines)."""
    shares = np.asarray(analysis.learning_share, dtype=float)
    q25, q50, q75 = analysis.share_quantiles()
    base = analysis.base_learning_share
    has = analysis.n > 0
    if has:
        subtitle = (
            f"{analysis.n} participants: median {q50:.2f}, IQR {q25:.2f} to {q75:.2f}; "
            f"the scenario {base:.2f}"
        )
    else:
        subtitle = f"Waiting for answers; the scenario {base:.2f}"
    order = np.argsort(shares, kind="stable")
    y = np.empty(len(shares))
    y[order] = np.arange(len(shares)) % 8  # rows of dots, so equal shares stay visible
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": q25 if has else 0.0,
            "x1": q75 if has else 0.0,
            "y0": -1,
            "y1": 8,
            "line": {"width": 0},
            "fillcolor": "rgba(0,114,178,0.15)",
            "layer": "below",
            "visible": has,
        }
    ]
    annotations: list[dict[str, Any]] = []
    xs = (q50 if has else 0.0, base, threshold)
    shows = (has, True, True)
    for i, ((label, colour, dash), x, show) in enumerate(zip(LINES, xs, shows, strict=True)):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": float(x),
                "x1": float(x),
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "dash": dash, "width": 3},
                "visible": show,
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": float(x),
                "y": 1.0 + 0.07 * i,
                "text": label,
                "showarrow": False,
                "yanchor": "bottom",
                "visible": show,
            }
        )
    layout = base_layout("Learning share, by participant", subtitle, height=HEIGHT, legend=False)
    layout.update(
        shapes=shapes,
        annotations=annotations,
        xaxis={
            "range": [0, 1],
            "title": {"text": "Learning (L&D + HR) share of the decision"},
            "automargin": True,
        },
        yaxis={"visible": False, "range": [-1, 8.5]},
        margin={"l": 10, "r": 10, "t": 130, "b": 10},
    )
    data = [
        {
            "type": "scatter",
            "uid": "participants",
            "name": "a participant's answers",
            "mode": "markers",
            "x": shares,
            "y": y,
            "customdata": [str(p) for p in analysis.answers.participants],
            "marker": {"size": 14, "color": ROOM, "line": {"width": 1}},
            "hovertemplate": "participant %{customdata}: %{x:.2f}<extra></extra>",
        }
    ]
    return {"data": data, "layout": layout}


def describe_room_share(analysis: RoomAnalysis, threshold: float = 0.5) -> str:
    """The key numbers of :func:`room_share_spec` in words."""
    if not analysis.n:
        return "No participant has answered yet."
    q25, q50, q75 = analysis.share_quantiles()
    driven = int(np.sum(np.asarray(analysis.learning_share) >= threshold))
    return (
        f"Across {analysis.n} participants the learning share has median {q50:.2f} (middle half "
        f"{q25:.2f} to {q75:.2f}); {driven} of {analysis.n} see a learning-driven project; the "
        f"scenario's own share is {analysis.base_learning_share:.2f}."
    )


def _names(analysis: RoomAnalysis) -> dict[str, str]:
    frame = analysis.disagreement
    return dict(zip(frame["department"], frame["name"], strict=True))


def room_driver_spec(analysis: RoomAnalysis) -> Spec:
    """How many participants' answers make each department the top driver."""
    counts = analysis.top_driver_counts()
    names = _names(analysis)
    layout = base_layout(
        "Who drives, by participant",
        "The top driver in each participant's answers" if counts else "Waiting for answers",
        height=HEIGHT,
        legend=False,
    )
    layout.update(
        xaxis={"title": {"text": "Participants"}, "rangemode": "tozero", "automargin": True},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    data = [
        {
            "type": "bar",
            "uid": "participants",
            "name": "participants",
            "orientation": "h",
            "x": list(counts.values()),
            "y": [names.get(d, d) for d in counts],
            "text": [f"{v} of {analysis.n}" for v in counts.values()],
            "textposition": "auto",
            "marker": {"color": ROOM},
        }
    ]
    return {"data": data, "layout": layout}


def describe_room_driver(analysis: RoomAnalysis) -> str:
    """The key numbers of :func:`room_driver_spec` in words."""
    counts = analysis.top_driver_counts()
    if not counts:
        return "No participant has answered yet."
    names = _names(analysis)
    parts = [f"{names.get(d, d)} for {v}" for d, v in counts.items()]
    return "Top driver in the participants' answers: " + ", ".join(parts) + "."


def room_disagreement_spec(analysis: RoomAnalysis, top: int = 8) -> Spec:
    """The departments the room disagrees about most (mean IQR of the answers, 0..1)."""
    frame = analysis.disagreement.dropna(subset=["disagreement"]).head(top)
    layout = base_layout(
        "Where the room disagrees",
        "Interquartile range of the answers; 0 = agreement"
        if not frame.empty
        else "Waiting for answers",
        height=HEIGHT,
        legend=False,
    )
    layout.update(
        xaxis={
            "title": {"text": "Mean interquartile range of the answers (0..1)"},
            "range": [0, 1],
            "automargin": True,
        },
        yaxis={"autorange": "reversed", "automargin": True},
    )
    data = [
        {
            "type": "bar",
            "uid": "disagreement",
            "name": "disagreement",
            "orientation": "h",
            "x": frame["disagreement"].to_numpy(dtype=float),
            "y": [str(n) for n in frame["name"]],
            "text": [
                f"{v:.2f}: most on {QUESTION_LABELS.get(q, q)} ({n} raters)"
                for v, q, n in zip(
                    frame["disagreement"], frame["most_disputed"], frame["raters"], strict=True
                )
            ],
            "textposition": "auto",
            "marker": {"color": SCENARIO, "pattern": {"shape": "/"}},
        }
    ]
    return {"data": data, "layout": layout}


def describe_room_disagreement(analysis: RoomAnalysis, top: int = 8) -> str:
    """The key numbers of :func:`room_disagreement_spec` in words."""
    frame = analysis.disagreement.dropna(subset=["disagreement"]).head(3)
    if frame.empty:
        return "No participant has answered yet."
    parts = [
        f"{n} ({v:.2f}, most on {QUESTION_LABELS.get(q, q)})"
        for n, v, q in zip(
            frame["name"], frame["disagreement"], frame["most_disputed"], strict=True
        )
    ]
    return "The room disagrees most about " + "; ".join(parts) + "."


def room_partner_spec(analysis: RoomAnalysis, names: dict[str, str] | None = None) -> Spec:
    """Share of participants whose criteria weights rank each partner first; consensus below."""
    w = analysis.weights
    ids = list(analysis.p_first)
    values = [float(analysis.p_first[p]) for p in ids]
    if w is not None:
        subtitle = (
            f"{len(w.cr)} participants; consensus {w.consensus.value:.0%} ({w.consensus.band}, "
            f"Goepel); {int(w.flagged.sum())} inconsistent (CR > 0.1)"
        )
    else:
        subtitle = "Waiting for complete comparisons"
    layout = base_layout("Which partner comes first", subtitle, height=HEIGHT, legend=False)
    layout.update(
        yaxis={
            "title": {"text": "Share of participants"},
            "range": [0, 1],
            "tickformat": ".0%",
            "automargin": True,
        },
        xaxis={"automargin": True},
    )
    data = [
        {
            "type": "bar",
            "uid": "first",
            "name": "ranked first",
            "x": [(names or {}).get(p, p) for p in ids],
            "y": values,
            "text": [f"{v:.0%}" for v in values],
            "textposition": "auto",
            "marker": {"color": ROOM},
        }
    ]
    return {"data": data, "layout": layout}


def describe_room_partner(analysis: RoomAnalysis, names: dict[str, str] | None = None) -> str:
    """The key numbers of :func:`room_partner_spec` in words."""
    if analysis.weights is None or not analysis.p_first:
        return "No complete set of comparisons yet."
    parts = [f"{(names or {}).get(p, p)} {v:.0%}" for p, v in analysis.p_first.items()]
    return "Share of participants whose weights rank each partner first: " + ", ".join(parts) + "."


def room_share_figure(analysis: RoomAnalysis, *, threshold: float = 0.5) -> go.Figure:
    """The figure of :func:`room_share_spec`."""
    return build(room_share_spec(analysis, threshold))


def room_driver_figure(analysis: RoomAnalysis) -> go.Figure:
    """The figure of :func:`room_driver_spec`."""
    return build(room_driver_spec(analysis))


def room_disagreement_figure(analysis: RoomAnalysis, *, top: int = 8) -> go.Figure:
    """The figure of :func:`room_disagreement_spec`."""
    return build(room_disagreement_spec(analysis, top))


def room_partner_figure(analysis: RoomAnalysis, names: dict[str, str] | None = None) -> go.Figure:
    """The figure of :func:`room_partner_spec`."""
    return build(room_partner_spec(analysis, names))


for _entry in (
    FigureEntry(
        "room_share",
        "Learning share, by participant",
        "One dot per participant: the learning share their answers give; the band is the "
        "middle half of the room, the lines the room's median, the scenario and the threshold.",
        ROOM_SECTION,
        ("room_analysis",),
        room_share_spec,
        describe_room_share,
        scope="workshop",
    ),
    FigureEntry(
        "room_driver",
        "Who drives, by participant",
        "How many participants' answers make each department the top driver.",
        ROOM_SECTION,
        ("room_analysis",),
        room_driver_spec,
        describe_room_driver,
        scope="workshop",
    ),
    FigureEntry(
        "room_disagreement",
        "Where the room disagrees",
        "The departments whose ratings spread most (mean interquartile range, 0 = agreement).",
        ROOM_SECTION,
        ("room_analysis",),
        room_disagreement_spec,
        describe_room_disagreement,
        scope="workshop",
    ),
    FigureEntry(
        "room_partner",
        "Which partner comes first",
        "The share of participants whose own criteria weights rank each partner first.",
        ROOM_SECTION,
        ("room_analysis", "partner_names"),
        room_partner_spec,
        describe_room_partner,
        scope="workshop",
    ),
):
    add(_entry, replace=True)
