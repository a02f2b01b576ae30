"""Figures for partner choice: spec functions (a result in, a figure spec out), their text
alternatives and thin builders. No model maths here.

Specs: :func:`ranking_spec`, :func:`criteria_spec`, :func:`expertise_spec`,
:func:`sensitivity_spec`, :func:`whose_weights_spec`, :func:`ahp_consistency_spec`. Colours and
fill patterns by partner type come from :mod:`lmsdecide.figures.palette`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.format import base_layout, esc, percent, reference_line, score
from lmsdecide.figures.palette import (
    PARTNER_TYPE_COLOURS,
    PARTNER_TYPE_PATTERNS,
    REFERENCE_COLOUR,
)
from lmsdecide.figures.spec import Spec, build
from lmsdecide.partner.ahp import AHPResult
from lmsdecide.partner.models import (
    ExpertiseMatchResult,
    PartnerRankingResult,
    WeightSensitivityResult,
    WhoseWeightsWinResult,
)

__all__ = [
    "ahp_consistency_figure",
    "ahp_consistency_spec",
    "criteria_radar",
    "criteria_spec",
    "describe_criteria",
    "describe_expertise",
    "describe_ranking",
    "describe_sensitivity",
    "describe_whose_weights",
    "expertise_figure",
    "expertise_spec",
    "ranking_figure",
    "ranking_spec",
    "sensitivity_figure",
    "sensitivity_spec",
    "whose_weights_figure",
    "whose_weights_spec",
]

DISQUALIFIED_COLOUR = "#CCCCCC"
INCONSISTENT_COLOUR = "#B2182B"
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
METHOD_LABEL = {"topsis": "TOPSIS closeness", "weighted_sum": "weighted-sum score"}


def _type_colour(kind: str) -> str:
    return PARTNER_TYPE_COLOURS.get(kind, DISQUALIFIED_COLOUR)


def _type_pattern(kind: str) -> str:
    return PARTNER_TYPE_PATTERNS.get(kind, "")


def _dashes(types: tuple[str, ...]) -> list[str]:
    """A dash style per partner so that two partners of the same type stay distinguishable."""
    seen: dict[str, int] = {}
    out = []
    for kind in types:
        out.append(DASHES[seen.get(kind, 0) % len(DASHES)])
        seen[kind] = seen.get(kind, 0) + 1
    return out


# ---------------------------------------------------------------------------------------------
# Ranking and criteria
# ---------------------------------------------------------------------------------------------


def ranking_spec(ranking: PartnerRankingResult) -> Spec:
    """Horizontal bars of each partner's score, best at the top, coloured (and patterned) by
    partner type. Disqualified partners (below a must-have) are grey stubs at 0 with the failed
    criteria in the label; the selected partner is marked with a star.
    """
    order = np.argsort(ranking.ranks)[::-1]  # plotly draws the first bar at the bottom
    labels = [
        esc(ranking.partner_names[k]) + (" ★" if ranking.partner_ids[k] == ranking.selected else "")
        for k in order
    ]
    method = METHOD_LABEL.get(ranking.method, "score")
    data = [
        {
            "type": "bar",
            "uid": "ranking",
            "name": method,
            "orientation": "h",
            "y": labels,
            "x": [0.0 if np.isnan(ranking.scores[k]) else float(ranking.scores[k]) for k in order],
            "marker": {
                "color": [
                    _type_colour(ranking.partner_types[k])
                    if ranking.qualified[k]
                    else DISQUALIFIED_COLOUR
                    for k in order
                ],
                "pattern": {"shape": [_type_pattern(ranking.partner_types[k]) for k in order]},
            },
            "text": [
                f"{score(ranking.scores[k])} · {ranking.partner_types[k]}"
                if ranking.qualified[k]
                else "disqualified: " + ", ".join(ranking.failed[k])
                for k in order
            ],
            "textposition": "auto",
            "customdata": [[ranking.partner_types[k], int(ranking.ranks[k])] for k in order],
            "hovertemplate": "%{y}<br>%{customdata[0]}<br>rank %{customdata[1]}"
            "<br>score %{x:.2f}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = base_layout(
        "Partner ranking", f"{method}, {ranking.weights_from} weights", height=380, legend=False
    )
    layout.update(
        xaxis={"title": {"text": method}, "range": [0, 1], "automargin": True},
        yaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def describe_ranking(ranking: PartnerRankingResult) -> str:
    """The key numbers of :func:`ranking_spec` in words."""
    order = np.argsort(ranking.ranks)
    parts = [
        f"{ranking.partner_names[k]} ({ranking.partner_types[k]}) "
        + (score(ranking.scores[k]) if ranking.qualified[k] else "disqualified")
        for k in order
    ]
    weights = ", ".join(
        f"{c} {percent(w)}" for c, w in zip(ranking.criterion_names, ranking.weights, strict=True)
    )
    return (
        f"Ranked by {METHOD_LABEL.get(ranking.method, ranking.method)}, best first: "
        + "; ".join(parts)
        + f". Weights: {weights}."
    )


def ranking_figure(ranking: PartnerRankingResult) -> go.Figure:
    """The figure of :func:`ranking_spec`."""
    return build(ranking_spec(ranking))


def criteria_spec(ranking: PartnerRankingResult) -> Spec:
    """Radar of each partner's criterion scores, normalised so that 1 is best on the criterion
    (cost criteria inverted), so a larger polygon is a better partner.
    """
    names = [esc(n) for n in ranking.criterion_names]
    theta = [*names, names[0]] if names else []
    data = []
    for k, dash in enumerate(_dashes(ranking.partner_types)):
        r = ranking.profile[k].tolist()
        data.append(
            {
                "type": "scatterpolar",
                "uid": f"partner:{ranking.partner_ids[k]}",
                "name": esc(ranking.partner_names[k]),
                "r": [*r, r[0]] if r else [],
                "theta": theta,
                "mode": "lines+markers",
                "line": {"color": _type_colour(ranking.partner_types[k]), "dash": dash},
                "fill": "toself",
                "opacity": 0.6,
            }
        )
    layout = base_layout("Partners on each criterion", "1 = best on the criterion", height=460)
    layout.update(polar={"radialaxis": {"range": [0, 1]}})
    return {"data": data, "layout": layout}


def describe_criteria(ranking: PartnerRankingResult) -> str:
    """The key numbers of :func:`criteria_spec` in words."""
    parts = []
    for j, crit in enumerate(ranking.criterion_names):
        best = int(np.argmax(ranking.profile[:, j]))
        parts.append(f"{crit}: {ranking.partner_names[best]}")
    return "Best partner on each criterion: " + "; ".join(parts) + "."


def criteria_radar(ranking: PartnerRankingResult) -> go.Figure:
    """The figure of :func:`criteria_spec`."""
    return build(criteria_spec(ranking))


def expertise_spec(match: ExpertiseMatchResult) -> Spec:
    """Bars of the cosine similarity of the team's expertise with each partner's, by type."""
    order = np.argsort(match.similarity)
    data = [
        {
            "type": "bar",
            "uid": "expertise",
            "name": "similarity",
            "orientation": "h",
            "y": [
                esc(match.partner_names[k])
                + (" ★" if match.partner_ids[k] == match.selected else "")
                for k in order
            ],
            "x": match.similarity[order],
            "marker": {
                "color": [_type_colour(match.partner_types[k]) for k in order],
                "pattern": {"shape": [_type_pattern(match.partner_types[k]) for k in order]},
            },
            "text": [f"{score(match.similarity[k])} · {match.partner_types[k]}" for k in order],
            "textposition": "auto",
            "customdata": [match.partner_types[k] for k in order],
            "hovertemplate": "%{y}<br>%{customdata}<br>match %{x:.2f}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = base_layout(
        "Expertise match with your team", "Cosine similarity", height=360, legend=False
    )
    layout.update(
        xaxis={"title": {"text": "Similarity (1 = same mix)"}, "range": [0, 1], "automargin": True},
        yaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def describe_expertise(match: ExpertiseMatchResult) -> str:
    """The key numbers of :func:`expertise_spec` in words."""
    order = np.argsort(-match.similarity)
    parts = [f"{match.partner_names[k]} {score(match.similarity[k])}" for k in order]
    return (
        "Match of each partner's expertise with the team's, best first: " + ", ".join(parts) + "."
    )


def expertise_figure(match: ExpertiseMatchResult) -> go.Figure:
    """The figure of :func:`expertise_spec`."""
    return build(expertise_spec(match))


# ---------------------------------------------------------------------------------------------
# Weights: sensitivity and whose weights win
# ---------------------------------------------------------------------------------------------


def sensitivity_spec(sens: WeightSensitivityResult) -> Spec:
    """Per criterion, the weight interval within which the top partner stays on top; the diamond
    is the current weight. A short bar around the diamond is a fragile choice.
    """
    names = [esc(n) for n in sens.criterion_names]
    data = [
        {
            "type": "bar",
            "uid": "interval",
            "name": "top choice unchanged",
            "orientation": "h",
            "y": names,
            "base": sens.lower,
            "x": sens.upper - sens.lower,
            "marker": {"color": "#9ECAE1"},
            "customdata": [
                [lo, hi, esc(b or "nobody"), esc(a or "nobody")]
                for lo, hi, b, a in zip(sens.lower, sens.upper, sens.below, sens.above, strict=True)
            ],
            "hovertemplate": "%{y}: %{customdata[0]:.2f} to %{customdata[1]:.2f}"
            "<br>below: %{customdata[2]} wins<br>above: %{customdata[3]} wins<extra></extra>",
        },
        {
            "type": "scatter",
            "uid": "current",
            "name": "current weight",
            "mode": "markers",
            "x": sens.weights,
            "y": names,
            "marker": {"symbol": "diamond", "size": 11, "color": REFERENCE_COLOUR},
        },
    ]
    leader = esc(sens.top_name or sens.top or "the top choice")
    layout = base_layout(
        "How far each weight can move", f"before {leader} loses first place", height=400
    )
    layout.update(
        xaxis={"title": {"text": "Criterion weight (sum 1)"}, "range": [0, 1], "automargin": True},
        yaxis={"automargin": True},
        barmode="overlay",
    )
    return {"data": data, "layout": layout}


def describe_sensitivity(sens: WeightSensitivityResult) -> str:
    """The key numbers of :func:`sensitivity_spec` in words."""
    parts = [
        f"{n} {score(w)} (from {score(lo)} to {score(hi)})"
        for n, w, lo, hi in zip(
            sens.criterion_names, sens.weights, sens.lower, sens.upper, strict=True
        )
    ]
    leader = sens.top_name or sens.top or "the top choice"
    return (
        f"{leader} stays first while each weight stays in its interval: " + "; ".join(parts) + "."
    )


def sensitivity_figure(sens: WeightSensitivityResult) -> go.Figure:
    """The figure of :func:`sensitivity_spec`."""
    return build(sensitivity_spec(sens))


def _name_of(result: WhoseWeightsWinResult, partner: str | None) -> str:
    if partner is None or partner not in result.partner_ids:
        return "nobody"
    return str(result.partner_names[result.partner_ids.index(partner)])


def whose_weights_spec(result: WhoseWeightsWinResult) -> Spec:
    """Each partner's score against the learning share, with the winner's band and the flip.

    x: the learning share s (0: the other departments' weights alone; 1: learning's alone);
    y: each partner's score under w(s) = s w_L + (1 - s) w_O. Shaded bands show which partner is
    on top; the current share and the flip share are lines named in the legend.
    """
    edges = np.concatenate(([0.0], result.breakpoints, [1.0]))
    shapes: list[dict[str, Any]] = []
    for k, top in enumerate(result.segment_tops):
        if top is None:
            continue
        kind = result.partner_types[result.partner_ids.index(top)]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y domain",
                "x0": float(edges[k]),
                "x1": float(edges[k + 1]),
                "y0": 0,
                "y1": 1,
                "fillcolor": _type_colour(kind),
                "opacity": 0.08,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    data = [
        {
            "type": "scatter",
            "uid": f"partner:{result.partner_ids[k]}",
            "name": esc(result.partner_names[k]),
            "x": result.curve_shares,
            "y": result.curve_scores[:, k],
            "mode": "lines",
            "line": {"color": _type_colour(result.partner_types[k]), "dash": dash, "width": 2.5},
            "hovertemplate": "learning share %{x:.0%}<br>score %{y:.2f}<extra>%{fullData.name}"
            "</extra>",
        }
        for k, dash in enumerate(_dashes(result.partner_types))
    ]
    shapes.append(reference_line("x", result.share, f"now: {percent(result.share)}", dash="dot"))
    if result.flip_share is not None:
        shapes.append(reference_line("x", result.flip_share, f"flip: {percent(result.flip_share)}"))
    winner = esc(_name_of(result, result.top_effective))
    layout = base_layout(
        "Whose weights win",
        f"{winner} wins at today's learning share of {percent(result.share)}",
        height=420,
    )
    layout.update(
        xaxis={
            "title": {"text": "Learning share of the decision (L&D, HR)"},
            "range": [0, 1],
            "tickformat": ".0%",
            "automargin": True,
        },
        yaxis={"title": {"text": METHOD_LABEL.get(result.method, "score")}, "automargin": True},
        shapes=shapes,
    )
    return {"data": data, "layout": layout}


def describe_whose_weights(result: WhoseWeightsWinResult) -> str:
    """The key numbers of :func:`whose_weights_spec` in words (the model's own summary)."""
    return str(getattr(result, "summary", "")) or (
        f"{_name_of(result, result.top_effective)} wins at a learning share of "
        f"{percent(result.share)}."
    )


def whose_weights_figure(result: WhoseWeightsWinResult) -> go.Figure:
    """The figure of :func:`whose_weights_spec`."""
    return build(whose_weights_spec(result))


# ---------------------------------------------------------------------------------------------
# AHP
# ---------------------------------------------------------------------------------------------


def ahp_consistency_spec(result: AHPResult) -> Spec:
    """The pairwise judgements, coloured by how far each departs from the derived weights.

    Cell (i, j) shows the judgement a_ij; its colour is |ln e_ij| with e_ij = a_ij w_j / w_i
    (0: agrees with the weights). The most inconsistent judgement is outlined; the subtitle gives
    CR and whether it is above Saaty's 0.1.
    """
    labels = [esc(x) for x in result.labels]
    deviation = np.abs(np.log(result.errors))
    data = [
        {
            "type": "heatmap",
            "uid": "judgements",
            "z": deviation,
            "x": labels,
            "y": labels,
            "text": [[f"{v:.3g}" for v in row] for row in result.pairwise],
            "texttemplate": "%{text}",
            "colorscale": "Reds",
            "zmin": 0,
            "colorbar": {"title": {"text": "|ln error|"}},
            "hovertemplate": "%{y} vs %{x}: judged %{text}<br>departure %{z:.2f}<extra></extra>",
        }
    ]
    shapes = []
    if result.most_inconsistent is not None:
        i, j = result.most_inconsistent
        for row, col in ((i, j), (j, i)):
            shapes.append(
                {
                    "type": "rect",
                    "x0": col - 0.5,
                    "x1": col + 0.5,
                    "y0": row - 0.5,
                    "y1": row + 0.5,
                    "line": {"color": INCONSISTENT_COLOUR, "width": 3},
                }
            )
    verdict = "revisit the judgements" if result.flagged else "acceptable"
    layout = base_layout(
        "AHP judgements", f"CR = {result.cr:.2f}: {verdict}", height=460, legend=False
    )
    layout.update(yaxis={"autorange": "reversed", "automargin": True}, shapes=shapes)
    return {"data": data, "layout": layout}


def ahp_consistency_figure(result: AHPResult) -> go.Figure:
    """The figure of :func:`ahp_consistency_spec`."""
    return build(ahp_consistency_spec(result))
