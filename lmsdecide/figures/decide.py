"""Figures for the decision helpers: results in, figure specs out. No model maths here.

Spec functions (registered in :mod:`lmsdecide.figures.catalogue`), each with its text
alternative and a ``go.Figure`` builder:

- :func:`acceptability_spec`: each partner's odds of every rank (SMAA-2), stacked bars.
- :func:`levers_spec`: the cheapest combination of levers as a waterfall of the learning share
  gained per lever, with each lever's cost.
- :func:`voi_spec`: the value of information of each uncertain input, largest first, with the
  estimator's noise floor.

Colour never carries meaning alone: ranks also differ by fill pattern and printed percentages,
levers by their labels and costs, inputs below the noise floor by a hatched fill and by the
noise line named in the legend.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.format import (
    MAX_TITLE,
    base_layout,
    esc,
    number,
    percent,
    reference_line,
)
from lmsdecide.figures.palette import FUNCTION_COLOURS, REFERENCE_COLOUR, SEVERITY_COLOURS
from lmsdecide.figures.spec import Spec, build
from lmsdecide.influence.combined import CombinedLeversResult, change_labels
from lmsdecide.partner.smaa import RankAcceptabilityResult

if TYPE_CHECKING:  # the explore package is heavy to import; figures only read its result
    from lmsdecide.explore.voi import ValueOfInformationResult

__all__ = [
    "MAX_TITLE",
    "RANK_COLOURS",
    "RANK_PATTERNS",
    "acceptability_figure",
    "acceptability_spec",
    "describe_acceptability",
    "describe_levers",
    "describe_voi",
    "levers_figure",
    "levers_spec",
    "voi_figure",
    "voi_spec",
]

#: Rank -> colour, darkest for the first rank (Okabe-Ito blues, then greys).
RANK_COLOURS: tuple[str, ...] = ("#332288", "#0072B2", "#56B4E9", "#BBBBBB", "#888888", "#DDDDDD")
#: Rank -> fill pattern (the second carrier of the rank).
RANK_PATTERNS: tuple[str, ...] = ("", "/", ".", "x", "-", "+")
#: Shortest label of each lever in the waterfall.
LEVER_LABELS = {
    "authority": "authority",
    "listening": "listens",
    "raci": "RACI",
    "engagement": "engage",
    "partner": "partner",
}
_WEIGHTS = {
    "drivers": "drivers' weights ± spread",
    "uniform": "any weights alike",
    "ranged": "weights within their ranges",
}


# ---------------------------------------------------------------------------------------------
# Partner odds
# ---------------------------------------------------------------------------------------------


def acceptability_spec(result: RankAcceptabilityResult) -> Spec:
    """Stacked horizontal bars: for each partner, the probability of each rank (SMAA-2).

    The first rank (darkest, solid) is each partner's odds of being the choice; later ranks are
    lighter and hatched, with their percentages printed. Partners are ordered by first-rank
    odds, best at the top; the label gives the partner type and the confidence factor.
    """
    acc = result.acceptability
    if acc.empty:
        layout = base_layout("Partner odds", "No candidate partners to compare", legend=False)
        return {"data": [], "layout": layout}
    first = acc[1].to_numpy()
    order = np.argsort(first, kind="stable")  # plotly draws the first bar at the bottom
    labels = []
    for k in order:
        conf = result.confidence[k]
        conf_text = "never first" if np.isnan(conf) else f"confidence {percent(conf)}"
        labels.append(f"{esc(result.partner_names[k])} · {conf_text}")
    data = []
    for j, rank in enumerate(acc.columns):
        values = acc[rank].to_numpy(dtype=float)[order]
        data.append(
            {
                "type": "bar",
                "uid": f"rank:{rank}",
                "name": f"rank {rank}",
                "orientation": "h",
                "y": labels,
                "x": values,
                "marker": {
                    "color": RANK_COLOURS[min(j, len(RANK_COLOURS) - 1)],
                    "pattern": {
                        "shape": RANK_PATTERNS[j % len(RANK_PATTERNS)],
                        "solidity": 0.2,
                        "fgcolor": "white",
                    },
                    "line": {"color": "white", "width": 1},
                },
                "text": [percent(v) if v >= 0.05 else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                # white on the dark first rank, black on the lighter, hatched ones
                "textfont": {"color": "white" if j == 0 else "black"},
                "hovertemplate": "%{y}<br>rank " + str(rank) + ": %{x:.1%}<extra></extra>",
            }
        )
    best = int(np.argmax(first))
    layout = base_layout(
        "Partner odds: chance of each rank",
        f"{esc(result.partner_names[best])} first in {percent(first[best])} of draws · "
        f"{_WEIGHTS.get(result.weights, result.weights)}",
        height=380,
    )
    layout.update(
        barmode="stack",
        xaxis={
            "title": {"text": "probability"},
            "range": [0, 1],
            "tickformat": ".0%",
            "automargin": True,
        },
        yaxis={"automargin": True},
    )
    layout["legend"]["traceorder"] = "normal"
    return {"data": data, "layout": layout}


def describe_acceptability(result: RankAcceptabilityResult) -> str:
    """The key numbers of :func:`acceptability_spec` in words."""
    if result.acceptability.empty:
        return "No candidate partners to compare."
    first = result.acceptability[1]
    order = np.argsort(-first.to_numpy(), kind="stable")
    parts = []
    for k in order:
        conf = result.confidence[k]
        conf_text = "" if np.isnan(conf) else f", confidence {percent(conf)}"
        parts.append(f"{result.partner_names[k]} {percent(first.iloc[k])}{conf_text}")
    return (
        "Chance of ranking first when the uncertain scores and the weights vary (SMAA-2, "
        f"{result.n:,} draws): " + "; ".join(parts) + "."
    )


def acceptability_figure(result: RankAcceptabilityResult) -> go.Figure:
    """The figure of :func:`acceptability_spec`."""
    return build(acceptability_spec(result))


# ---------------------------------------------------------------------------------------------
# Combined levers
# ---------------------------------------------------------------------------------------------


def levers_spec(result: CombinedLeversResult) -> Spec:
    """Waterfall of the learning share gained by each lever of the cheapest combination.

    Starts at the current learning share, adds each lever's gain (in the order applied) and
    ends at the achieved share; the target is a dashed line named in the legend. The steps run
    down the page, each named by the scenario's names (a department, or a decision for a RACI
    move) with its cost in points, so long names read across rather than turned under narrow
    columns; each bar's label gives its gain. An infeasible result shows the best share
    reachable within the bounds instead, hatched.
    """
    colour = FUNCTION_COLOURS["learning"]
    title = "Cheapest way for learning to drive"
    top = max(result.target, result.learning_share, result.best_share)
    share_axis = {
        "title": {"text": "learning share"},
        "tickformat": ".0%",
        "range": [0.0, min(1.0, top + 0.12)],  # room for the labels beyond the last steps
        "automargin": True,
    }
    if not result.feasible:
        data = [
            {
                "type": "bar",
                "uid": "best",
                "name": "learning share",
                "x": ["now", "best within bounds"],
                "y": [result.learning_share_before, result.best_share],
                "marker": {"color": [REFERENCE_COLOUR, colour], "pattern": {"shape": ["", "/"]}},
                "text": [percent(result.learning_share_before), percent(result.best_share)],
                "textposition": "outside",
                "showlegend": False,
            }
        ]
        layout = base_layout(
            title, f"Target {percent(result.target)} not reachable within the bounds", height=420
        )
        target = reference_line("y", result.target, f"target {percent(result.target)}")
        layout.update(yaxis=share_axis, xaxis={"automargin": True})
    else:
        changes = result.changes
        before = result.learning_share_before
        after = changes["share_after"].to_numpy(dtype=float) if len(changes) else np.zeros(0)
        gains = np.diff(np.concatenate(([before], after)))
        costs = changes["cost"].to_numpy(dtype=float)
        # each step by the scenario's names (a decision's name is long: wrapped)
        steps = [
            f"{LEVER_LABELS.get(str(row['lever']), str(row['lever']))}: "
            f"{'<br>'.join(textwrap.wrap(esc(change_labels(result.scenario, row)[0]), 24))}"
            f"<br>cost {c:.2f}"
            for row, c in zip(changes.to_dict("records"), costs, strict=True)
        ]
        # the gain in percentage points
        text = [percent(before)] + [f"+{100 * g:.1f} pp" for g in gains]
        data = [
            {
                "type": "waterfall",
                "uid": "levers",
                "name": "learning share",
                "orientation": "h",
                "y": ["now", *steps, "after"],
                "measure": ["absolute"] + ["relative"] * len(gains) + ["total"],
                "x": [before, *gains.tolist(), 0.0],
                "text": [*text, percent(result.learning_share)],
                "textposition": "outside",
                "increasing": {"marker": {"color": colour}},
                "decreasing": {"marker": {"color": FUNCTION_COLOURS["it"]}},
                "totals": {"marker": {"color": REFERENCE_COLOUR}},
                "connector": {"line": {"color": "#999999", "dash": "dot"}},
                "showlegend": False,
                "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
            }
        ]
        subtitle = (
            f"{percent(before)} → {percent(result.learning_share)} for {result.cost:.2f} points"
        )
        if result.p80_target is not None:
            subtitle += f" · P80 {number(result.p80_before)} → {number(result.p80)} weeks"
        # a row per step, of two or three lines (a long name wrapped, then the cost)
        layout = base_layout(title, subtitle, height=max(420, 140 + 44 * (len(steps) + 2)))
        target = reference_line("x", result.target, f"target {percent(result.target)}")
        layout.update(xaxis=share_axis, yaxis={"automargin": True, "autorange": "reversed"})
    target["layer"] = "below"  # the steps' labels stay readable where they cross it
    layout["shapes"] = [target]
    return {"data": data, "layout": layout}


def describe_levers(result: CombinedLeversResult) -> str:
    """The key numbers of :func:`levers_spec` in words (the result's own note)."""
    return result.note


def levers_figure(result: CombinedLeversResult) -> go.Figure:
    """The figure of :func:`levers_spec`."""
    return build(levers_spec(result))


# ---------------------------------------------------------------------------------------------
# Value of information
# ---------------------------------------------------------------------------------------------


def voi_spec(result: ValueOfInformationResult, top: int = 12) -> Spec:
    """Horizontal bars of each input's value of information (partial EVPI), largest at the top.

    Inputs at or below the estimator's noise floor are grey and hatched; the dashed line (named
    in the legend) is the floor. ``top`` limits the number of inputs shown.
    """
    table = result.table.head(top).iloc[::-1]
    above = (table["evpi"] > result.noise_floor).to_numpy()
    values = table["evpi"].to_numpy(dtype=float)
    data = [
        {
            "type": "bar",
            "uid": "voi",
            "name": "value of information",
            "orientation": "h",
            "y": [esc(label) for label in table["label"]],
            "x": values,
            "marker": {
                "color": [SEVERITY_COLOURS["warning"] if a else "#CCCCCC" for a in above],
                "pattern": {"shape": ["" if a else "/" for a in above]},
            },
            "text": [f"{v:.3g}" for v in values],
            "textposition": "outside",
            "customdata": np.column_stack(
                [table["input"].to_numpy(dtype=object), table["share"].to_numpy(dtype=float)]
            ),
            "hovertemplate": "%{customdata[0]}<br>%{x:.4g} (%{customdata[1]:.0%} of EVPI)"
            "<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = base_layout(
        "What is worth finding out",
        f"{result.decision.capitalize()} decision · knowing everything is worth "
        f"{result.evpi:.3g} {result.unit}",
        height=max(320, 60 + 28 * len(table)),
    )
    layout["shapes"] = [reference_line("x", result.noise_floor, "noise floor")]
    layout.update(
        xaxis={
            "title": {"text": f"value of information ({result.unit})"},
            "rangemode": "tozero",
            "automargin": True,
        },
        yaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def describe_voi(result: ValueOfInformationResult) -> str:
    """The key numbers of :func:`voi_spec` in words (the result's summary)."""
    return result.summary


def voi_figure(result: ValueOfInformationResult, top: int = 12) -> go.Figure:
    """The figure of :func:`voi_spec`."""
    return build(voi_spec(result, top))
