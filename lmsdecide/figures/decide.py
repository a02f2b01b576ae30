"""Figures for the decision helpers: a result in, a plotly ``go.Figure`` out. No model maths here.

Builders:

- :func:`acceptability_figure`: each partner's odds of every rank (SMAA-2), stacked bars.
- :func:`levers_figure`: the cheapest combination of levers as a waterfall of learning share
  gained per lever, with each lever's cost.
- :func:`voi_figure`: the value of information of each uncertain input, largest first, with the
  estimator's noise floor.

Titles are short (at most 48 characters); details go in the subtitle and a caption. Colour never
carries meaning alone: ranks also differ by fill pattern and printed percentages, levers by their
labels, inputs below the noise floor by a hatched fill.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lmsdecide.explore.voi import ValueOfInformation
from lmsdecide.figures.palette import (
    FUNCTION_COLOURS,
    REFERENCE_COLOUR,
    SEVERITY_COLOURS,
)
from lmsdecide.influence.combined import CombinedLevers
from lmsdecide.partner.smaa import RankAcceptability

__all__ = ["RANK_COLOURS", "RANK_PATTERNS", "acceptability_figure", "levers_figure", "voi_figure"]

#: Rank -> colour, darkest for the first rank (Okabe-Ito blues, then greys).
RANK_COLOURS: tuple[str, ...] = ("#332288", "#0072B2", "#56B4E9", "#BBBBBB", "#888888", "#DDDDDD")
#: Rank -> fill pattern (the second carrier of the rank).
RANK_PATTERNS: tuple[str, ...] = ("", "/", ".", "x", "-", "+")
MAX_TITLE = 48
_LAYOUT = {"template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 80, "b": 70}}
_LEVER_LABELS = {
    "authority": "authority",
    "listening": "listens",
    "raci": "RACI",
    "engagement": "engage",
    "partner": "partner",
}


def _title(fig: go.Figure, title: str, subtitle: str, caption: str = "") -> None:
    """Short title, subtitle with the details, caption under the plot."""
    if len(title) > MAX_TITLE:  # pragma: no cover - guarded by the tests of each builder
        raise ValueError(f"title: at most {MAX_TITLE} characters, got {len(title)}: {title!r}")
    fig.update_layout(title={"text": title, "subtitle": {"text": subtitle}}, **_LAYOUT)
    if caption:
        fig.add_annotation(
            text=caption,
            xref="paper",
            yref="paper",
            x=0,
            y=-0.18,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": 11, "color": "#555555"},
            align="left",
        )


def acceptability_figure(result: RankAcceptability) -> go.Figure:
    """Stacked horizontal bars: for each partner, the probability of each rank (SMAA-2).

    The first rank (darkest, solid) is each partner's odds of being the choice; later ranks are
    lighter and hatched. Partners are ordered by first-rank odds, best at the top; the label
    gives the partner type and the confidence factor.
    """
    fig = go.Figure()
    acc = result.acceptability
    if acc.empty:
        _title(fig, "Partner odds", "No candidate partners to compare.")
        return fig
    first = acc[1].to_numpy()
    order = np.argsort(first, kind="stable")  # plotly draws the first bar at the bottom
    ids = list(acc.index)
    labels = []
    for k in order:
        conf = result.confidence[k]
        conf_text = "never first" if np.isnan(conf) else f"confidence {conf:.0%}"
        labels.append(f"{result.partner_names[k]} ({result.partner_types[k]}; {conf_text})")
    for j, rank in enumerate(acc.columns):
        values = acc[rank].to_numpy()[order]
        fig.add_trace(
            go.Bar(
                name=f"rank {rank}",
                orientation="h",
                y=labels,
                x=values,
                marker={
                    "color": RANK_COLOURS[min(j, len(RANK_COLOURS) - 1)],
                    "pattern": {"shape": RANK_PATTERNS[j % len(RANK_PATTERNS)], "solidity": 0.3},
                    "line": {"color": "white", "width": 1},
                },
                text=[f"{v:.0%}" if v >= 0.05 else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                customdata=[[ids[k]] for k in order],
                hovertemplate="%{y}<br>rank " + str(rank) + ": %{x:.1%}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        xaxis={"title": "probability", "range": [0, 1], "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
    )
    weights = {
        "drivers": f"drivers' weights ± spread (κ = {result.concentration:g})",
        "uniform": "any weights alike (uniform on the simplex)",
        "ranged": "any weights within the criteria's ranges",
    }[result.weights]
    _title(
        fig,
        "Partner odds: chance of each rank",
        f"SMAA-2, {result.method} scores; {weights}; {result.uncertain_scores} uncertain scores",
        f"{result.n:,} {result.sampler} draws (seed {result.seed}). Darkest segment: "
        "probability of ranking first. Confidence: chance of staying first at the partner's "
        "own central weights.",
    )
    return fig


def levers_figure(result: CombinedLevers) -> go.Figure:
    """Waterfall of the learning share gained by each lever of the cheapest combination.

    Starts at the current learning share, adds each lever's gain (in the order applied) and
    ends at the achieved share; the target is a dashed line. Each step's label gives the lever
    and its cost in points. An infeasible result shows the best share reachable instead.
    """
    fig = go.Figure()
    colour = FUNCTION_COLOURS["learning"]
    if not result.feasible:
        fig.add_trace(
            go.Bar(
                x=["now", "best within bounds"],
                y=[result.learning_share_before, result.best_share],
                marker={"color": [REFERENCE_COLOUR, colour], "pattern": {"shape": ["", "/"]}},
                text=[f"{result.learning_share_before:.0%}", f"{result.best_share:.0%}"],
                textposition="outside",
                showlegend=False,
            )
        )
        subtitle = f"Target {result.target:.0%} not reachable: {result.binding}"
        caption = "Widen the bounds (LeverBounds) or lower the target."
    else:
        changes = result.changes
        before = result.learning_share_before
        after = changes["share_after"].to_numpy(dtype=float) if len(changes) else np.zeros(0)
        gains = np.diff(np.concatenate(([before], after)))
        x = ["now"] + [
            f"{_LEVER_LABELS.get(str(r.lever), str(r.lever))}: {r.subject}"
            for r in changes.itertuples()
        ]
        text = [f"{before:.0%}"] + [
            f"{g:+.1%}<br>{c:.2f} pts" for g, c in zip(gains, changes["cost"], strict=True)
        ]
        fig.add_trace(
            go.Waterfall(
                x=[*x, "after"],
                measure=["absolute"] + ["relative"] * len(gains) + ["total"],
                y=[before, *gains.tolist(), 0.0],
                text=[*text, f"{result.learning_share:.0%}"],
                textposition="outside",
                increasing={"marker": {"color": colour}},
                decreasing={"marker": {"color": FUNCTION_COLOURS["it"]}},
                totals={"marker": {"color": REFERENCE_COLOUR}},
                connector={"line": {"color": "#999999", "dash": "dot"}},
                showlegend=False,
                hovertemplate="%{x}: %{y:.1%}<extra></extra>",
            )
        )
        subtitle = (
            f"Learning share {before:.0%} → {result.learning_share:.0%} "
            f"(target {result.target:.0%}) for {result.cost:.2f} points"
        )
        if result.p80_target is not None:
            subtitle += f"; P80 {result.p80_before:.1f} → {result.p80:.1f} weeks"
        caption = "Costs are illustrative effort points (editable: LeverCosts)."
    fig.add_hline(
        y=result.target,
        line={"color": REFERENCE_COLOUR, "dash": "dash"},
        annotation_text=f"target {result.target:.0%}",
        annotation_position="top left",
    )
    fig.update_layout(yaxis={"title": "learning share", "tickformat": ".0%", "rangemode": "tozero"})
    _title(fig, "Cheapest way for learning to drive", subtitle, caption)
    return fig


def voi_figure(result: ValueOfInformation, top: int = 12) -> go.Figure:
    """Horizontal bars of each input's value of information (partial EVPI), largest at the top.

    Inputs at or below the estimator's noise floor are grey and hatched; the dashed line is the
    floor. ``top`` limits the number of inputs shown.
    """
    table = result.table.head(top).iloc[::-1]
    fig = go.Figure()
    above = (table["evpi"] > result.noise_floor).to_numpy()
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=list(table["label"]),
            x=table["evpi"].to_numpy(dtype=float),
            marker={
                "color": [SEVERITY_COLOURS["warning"] if a else "#CCCCCC" for a in above],
                "pattern": {"shape": ["" if a else "/" for a in above]},
            },
            text=[f"{v:.3g}" for v in table["evpi"]],
            textposition="outside",
            customdata=np.column_stack([table["input"], table["share"]]),
            hovertemplate="%{customdata[0]}<br>%{x:.4g} ("
            "%{customdata[1]:.0%} of EVPI)<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(
        x=result.noise_floor,
        line={"color": REFERENCE_COLOUR, "dash": "dash"},
        annotation_text="noise",
        annotation_position="bottom right",
    )
    fig.update_layout(
        xaxis={"title": f"value of information ({result.unit})", "rangemode": "tozero"}
    )
    _title(
        fig,
        "What is worth finding out",
        f"{result.decision.capitalize()} decision: EVPI {result.evpi:.3g} {result.unit}; "
        f"without more information: {_short(result.best)}",
        f"Partial EVPI per input (Strong & Oakley binned regression), {result.n:,} draws. "
        f"Measure: {result.measure}.",
    )
    return fig


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
