"""Figures for partner choice: a result in, a plotly ``go.Figure`` out. No model maths here.

Builders: :func:`ranking_figure`, :func:`criteria_radar`, :func:`expertise_figure`,
:func:`sensitivity_figure`, :func:`whose_weights_figure`, :func:`ahp_consistency_figure`.
Colours by partner type come from :data:`~lmsdecide.figures.palette.PARTNER_TYPE_COLOURS`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.palette import PARTNER_TYPE_COLOURS, REFERENCE_COLOUR
from lmsdecide.partner.ahp import AHPResult
from lmsdecide.partner.models import (
    ExpertiseMatch,
    PartnerRanking,
    WeightSensitivity,
    WhoseWeightsWin,
)

__all__ = [
    "ahp_consistency_figure",
    "criteria_radar",
    "expertise_figure",
    "ranking_figure",
    "sensitivity_figure",
    "whose_weights_figure",
]

DISQUALIFIED_COLOUR = "#CCCCCC"
INCONSISTENT_COLOUR = "#B2182B"
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
_LAYOUT = {"template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 60, "b": 40}}
_METHOD_LABEL = {"topsis": "TOPSIS closeness", "weighted_sum": "weighted-sum score"}


def _type_colour(kind: str) -> str:
    return PARTNER_TYPE_COLOURS.get(kind, DISQUALIFIED_COLOUR)


def _dashes(types: tuple[str, ...]) -> list[str]:
    """A dash style per partner so that two partners of the same type stay distinguishable."""
    seen: dict[str, int] = {}
    out = []
    for kind in types:
        out.append(DASHES[seen.get(kind, 0) % len(DASHES)])
        seen[kind] = seen.get(kind, 0) + 1
    return out


def ranking_figure(ranking: PartnerRanking) -> go.Figure:
    """Horizontal bars of each partner's score, best at the top, coloured by partner type.

    Bar length is the method's score (TOPSIS closeness or weighted sum, 0-1, higher is better);
    disqualified partners (below a must-have) are shown as grey stubs at 0 with the failed
    criteria in the label; the selected partner is marked with a star.
    """
    order = np.argsort(ranking.ranks)[::-1]  # plotly draws the first bar at the bottom
    fig = go.Figure()
    labels = []
    for k in order:
        label = ranking.partner_names[k]
        if ranking.partner_ids[k] == ranking.selected:
            label += " ★"
        labels.append(label)
    fig.add_trace(
        go.Bar(
            name=_METHOD_LABEL.get(ranking.method, "score"),
            orientation="h",
            y=labels,
            x=[0.0 if np.isnan(ranking.scores[k]) else float(ranking.scores[k]) for k in order],
            marker={
                "color": [
                    _type_colour(ranking.partner_types[k])
                    if ranking.qualified[k]
                    else DISQUALIFIED_COLOUR
                    for k in order
                ]
            },
            text=[
                f"{ranking.scores[k]:.3f}"
                if ranking.qualified[k]
                else "disqualified: " + ", ".join(ranking.failed[k])
                for k in order
            ],
            textposition="auto",
            customdata=[[ranking.partner_types[k], int(ranking.ranks[k])] for k in order],
            hovertemplate="%{y}<br>%{customdata[0]}<br>rank %{customdata[1]}"
            "<br>score %{x:.3f}<extra></extra>",
            showlegend=False,
        )
    )
    weights = ", ".join(
        f"{c} {w:.2f}" for c, w in zip(ranking.criterion_ids, ranking.weights, strict=True)
    )
    fig.update_layout(
        title={
            "text": f"Partner ranking ({_METHOD_LABEL.get(ranking.method, ranking.method)}, "
            f"{ranking.weights_from} weights)<br><sup>{weights}</sup>"
        },
        xaxis={"title": _METHOD_LABEL.get(ranking.method, "score"), "range": [0, 1]},
        **_LAYOUT,
    )
    return fig


def criteria_radar(ranking: PartnerRanking) -> go.Figure:
    """Radar of each partner's criterion scores, normalised so that 1 is best on the criterion.

    Radii are the min-max profile (cost criteria inverted: the cheapest partner sits at 1), so
    a larger polygon is a better partner whatever the criteria's units.
    """
    fig = go.Figure()
    theta = (
        [*ranking.criterion_names, ranking.criterion_names[0]] if ranking.criterion_names else []
    )
    for k, dash in enumerate(_dashes(ranking.partner_types)):
        r = ranking.profile[k].tolist()
        fig.add_trace(
            go.Scatterpolar(
                name=ranking.partner_names[k],
                r=[*r, r[0]] if r else [],
                theta=theta,
                mode="lines+markers",
                line={"color": _type_colour(ranking.partner_types[k]), "dash": dash},
                fill="toself",
                opacity=0.6,
            )
        )
    fig.update_layout(
        title={"text": "Criterion scores per partner (1 = best on the criterion)"},
        polar={"radialaxis": {"range": [0, 1]}},
        **_LAYOUT,
    )
    return fig


def expertise_figure(match: ExpertiseMatch) -> go.Figure:
    """Bars of the cosine similarity of the team's expertise with each partner's, by type."""
    order = np.argsort(match.similarity)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[
                match.partner_names[k] + (" ★" if match.partner_ids[k] == match.selected else "")
                for k in order
            ],
            x=match.similarity[order],
            marker={"color": [_type_colour(match.partner_types[k]) for k in order]},
            text=[f"{match.similarity[k]:.2f}" for k in order],
            textposition="auto",
            customdata=[match.partner_types[k] for k in order],
            hovertemplate="%{y}<br>%{customdata}<br>match %{x:.3f}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(
        title={"text": "Expertise match with your team (cosine similarity)"},
        xaxis={"title": "similarity (1 = same mix of expertise)", "range": [0, 1]},
        **_LAYOUT,
    )
    return fig


def sensitivity_figure(sens: WeightSensitivity) -> go.Figure:
    """Per criterion, the weight interval within which the top partner stays on top.

    Each bar spans [lower, upper] on the weight axis (weights sum to 1); the diamond is the
    current weight. Hover names who takes over past each end. A short bar around the diamond is
    a fragile choice: a small change of that weight changes the winner.
    """
    fig = go.Figure()
    names = list(sens.criterion_names)
    fig.add_trace(
        go.Bar(
            name="top choice unchanged",
            orientation="h",
            y=names,
            base=sens.lower,
            x=sens.upper - sens.lower,
            marker={"color": "#9ECAE1"},
            customdata=[
                [lo, hi, b or "nobody", a or "nobody"]
                for lo, hi, b, a in zip(sens.lower, sens.upper, sens.below, sens.above, strict=True)
            ],
            hovertemplate="%{y}: %{customdata[0]:.3f} to %{customdata[1]:.3f}"
            "<br>below: %{customdata[2]} wins<br>above: %{customdata[3]} wins<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="current weight",
            mode="markers",
            x=sens.weights,
            y=names,
            marker={"symbol": "diamond", "size": 11, "color": REFERENCE_COLOUR},
        )
    )
    leader = sens.top_name or sens.top or "the top choice"
    fig.update_layout(
        title={"text": f"How far each weight can move before {leader} loses first place"},
        xaxis={"title": "criterion weight (weights sum to 1)", "range": [0, 1]},
        barmode="overlay",
        **_LAYOUT,
    )
    return fig


def whose_weights_figure(result: WhoseWeightsWin) -> go.Figure:
    """Each partner's score against the learning share, with the winner's band and the flip.

    x: the learning share s (0: the other departments' weights alone; 1: learning's alone);
    y: each partner's score under w(s) = s w_L + (1 - s) w_O. Shaded bands show which partner is
    on top; the dotted line is the current learning share, the dashed line the flip share.
    """
    fig = go.Figure()
    edges = np.concatenate(([0.0], result.breakpoints, [1.0]))
    for k, top in enumerate(result.segment_tops):
        if top is None:
            continue
        kind = result.partner_types[result.partner_ids.index(top)]
        fig.add_vrect(
            x0=float(edges[k]),
            x1=float(edges[k + 1]),
            fillcolor=_type_colour(kind),
            opacity=0.08,
            line_width=0,
        )
    for k, dash in enumerate(_dashes(result.partner_types)):
        fig.add_trace(
            go.Scatter(
                name=result.partner_names[k],
                x=result.curve_shares,
                y=result.curve_scores[:, k],
                mode="lines",
                line={"color": _type_colour(result.partner_types[k]), "dash": dash},
                hovertemplate="learning share %{x:.2f}<br>score %{y:.3f}<extra>%{fullData.name}"
                "</extra>",
            )
        )
    fig.add_vline(
        x=result.share,
        line={"color": REFERENCE_COLOUR, "dash": "dot"},
        annotation_text=f"now: {result.share:.2f}",
        annotation_position="top left",
    )
    if result.flip_share is not None:
        fig.add_vline(
            x=result.flip_share,
            line={"color": REFERENCE_COLOUR, "dash": "dash"},
            annotation_text=f"flip: {result.flip_share:.2f}",
            annotation_position="top right",
        )
    fig.update_layout(
        title={"text": f"Whose weights win<br><sup>{result.summary}</sup>"},
        xaxis={"title": "learning share of the decision (L&D and HR)", "range": [0, 1]},
        yaxis={"title": _METHOD_LABEL.get(result.method, "score")},
        **_LAYOUT,
    )
    return fig


def ahp_consistency_figure(result: AHPResult) -> go.Figure:
    """The pairwise judgements, coloured by how far each departs from the derived weights.

    Cell (i, j) shows the judgement a_ij; its colour is |ln e_ij| with e_ij = a_ij w_j / w_i
    (0: agrees with the weights). The most inconsistent judgement is outlined; the title gives
    CR and whether it is above Saaty's 0.1.
    """
    labels = list(result.labels)
    deviation = np.abs(np.log(result.errors))
    fig = go.Figure(
        go.Heatmap(
            z=deviation,
            x=labels,
            y=labels,
            text=[[f"{v:.3g}" for v in row] for row in result.pairwise],
            texttemplate="%{text}",
            colorscale="Reds",
            zmin=0,
            colorbar={"title": "|ln error|"},
            hovertemplate="%{y} vs %{x}: judged %{text}<br>departure %{z:.2f}<extra></extra>",
        )
    )
    if result.most_inconsistent is not None:
        i, j = result.most_inconsistent
        for row, col in ((i, j), (j, i)):
            fig.add_shape(
                type="rect",
                x0=col - 0.5,
                x1=col + 0.5,
                y0=row - 0.5,
                y1=row + 0.5,
                line={"color": INCONSISTENT_COLOUR, "width": 3},
            )
    verdict = "revisit the judgements" if result.flagged else "acceptable"
    sub = result.describe_most_inconsistent() if result.most_inconsistent else ""
    fig.update_layout(
        title={
            "text": f"AHP judgements: CR = {result.cr:.3f} ({verdict}); "
            f"λmax = {result.lambda_max:.3f}<br><sup>most inconsistent: {sub}</sup>"
        },
        yaxis={"autorange": "reversed"},
        **_LAYOUT,
    )
    return fig
