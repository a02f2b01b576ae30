"""Figures that put two to five scenarios side by side.

Each builder takes a :class:`~lmsdecide.comparison.Comparison` and returns a ``go.Figure``.

Scenario names are data: every name placed in a trace, an axis, a legend, a title or a hover
label is HTML-escaped first (plotly renders a subset of HTML in its text).
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lmsdecide.comparison import Comparison
from lmsdecide.diagnosis import SEVERITIES
from lmsdecide.figures.palette import REFERENCE_COLOUR, SEVERITY_COLOURS, function_colour
from lmsdecide.scenario import FUNCTIONS

__all__ = [
    "SCENARIO_COLOURS",
    "adoption_comparison_figure",
    "completion_comparison_figure",
    "drive_comparison_figure",
    "findings_comparison_figure",
    "measures_figure",
]

#: One colour per compared scenario (Okabe & Ito 2008; distinct from the function colours' use).
SCENARIO_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def _names(cmp: Comparison) -> list[str]:
    return [_esc(label) for label in cmp.labels]


def _colour(i: int) -> str:
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def measures_figure(cmp: Comparison) -> go.Figure:
    """Headline measures side by side: one bar per scenario in each panel.

    Panels: learning share (line at one half), go-live P50 and P80 (weeks; dashed line at each
    scenario's launch target), on-time probability, expected rework (person-weeks) and weeks to
    80% adoption. Scenarios are lettered A, B, ... on the axes (the legend names them); one trace
    per scenario and panel, whose bar height is exactly the comparison table's value.
    """
    names = _names(cmp)
    panels = [
        ("learning_share", "Learning share of the decision"),
        ("p50", "Go-live P50 (weeks)"),
        ("p80", "Go-live P80 (weeks)"),
        ("on_time_probability", "Probability of launching on time"),
        ("expected_rework", "Expected rework (person-weeks)"),
        ("t80", "Weeks to 80% adoption after launch"),
    ]
    letters = [chr(ord("A") + i) for i in range(len(names))]
    fig = make_subplots(rows=2, cols=3, subplot_titles=[t for _, t in panels])
    for k, (measure, title) in enumerate(panels):
        row, col = k // 3 + 1, k % 3 + 1
        for i, (label, name) in enumerate(zip(cmp.labels, names, strict=True)):
            fig.add_trace(
                go.Bar(
                    x=[letters[i]],
                    y=[float(cmp.value(label, measure))],
                    name=f"{letters[i]}: {name}",
                    legendgroup=letters[i],
                    marker_color=_colour(i),
                    showlegend=k == 0,
                    hovertemplate=name + "<br>" + title + ": %{y:.2f}<extra></extra>",
                    meta=measure,
                ),
                row=row,
                col=col,
            )
        if measure == "learning_share":
            fig.add_hline(y=0.5, line_dash="dot", line_color=REFERENCE_COLOUR, row=row, col=col)
        if measure in ("learning_share", "on_time_probability"):
            fig.update_yaxes(range=[0, 1], tickformat=".0%", row=row, col=col)
    targets = sorted(set(cmp.launch_targets.values()))
    for target in targets:
        for col in (2, 3):
            fig.add_hline(y=target, line_dash="dash", line_color=REFERENCE_COLOUR, row=1, col=col)
    fig.update_layout(
        title="Scenarios side by side",
        height=560 + 22 * len(names),
        margin={"t": 90},
        bargap=0.3,
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
    )
    return fig


def drive_comparison_figure(cmp: Comparison) -> go.Figure:
    """Who drives each scenario: stacked shares of the final decision by function.

    One horizontal bar per scenario, one segment per function (colours from the palette), each
    bar summing to 1; the dotted line marks one half.
    """
    names = _names(cmp)
    frame = cmp.share_by_function
    fig = go.Figure()
    for function in FUNCTIONS:
        rows = frame[frame["function"] == function]
        by_label = dict(zip(rows["scenario"], rows["share"], strict=True))
        x = [float(by_label[label]) for label in cmp.labels]
        if not any(v > 0 for v in x):
            continue
        fig.add_trace(
            go.Bar(
                y=names,
                x=x,
                name=function,
                orientation="h",
                marker_color=function_colour(function),
                hovertemplate="%{y}<br>" + function + ": %{x:.1%}<extra></extra>",
            )
        )
    fig.add_vline(x=0.5, line_dash="dot", line_color=REFERENCE_COLOUR)
    fig.update_layout(
        barmode="stack",
        title="Who drives: share of the final decision by function",
        xaxis={"title": "share of the final decision", "range": [0, 1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed", "automargin": True},
        legend_title="function",
        height=160 + 60 * len(names),
    )
    return fig


def completion_comparison_figure(cmp: Comparison) -> go.Figure:
    """Go-live time distributions: the empirical CDF of each scenario's simulated completion.

    The same random numbers drive every scenario (common random numbers). Dashed vertical lines
    mark the launch targets; a curve's height at a target is that scenario's on-time probability.
    """
    fig = go.Figure()
    for i, (label, name) in enumerate(zip(cmp.labels, _names(cmp), strict=True)):
        x = np.sort(np.asarray(cmp.completion[label], dtype=float))
        if x.size > 2000:  # plot 2,000 quantiles: the curve, not every draw
            x = np.quantile(x, np.linspace(0.0, 1.0, 2000))
        y = np.linspace(0.0, 1.0, x.size) if x.size > 1 else np.ones(x.size)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=name,
                line={"color": _colour(i), "width": 2},
                hovertemplate=name + "<br>%{y:.0%} live by week %{x:.1f}<extra></extra>",
            )
        )
    for target in sorted(set(cmp.launch_targets.values())):
        fig.add_vline(
            x=target,
            line_dash="dash",
            line_color=REFERENCE_COLOUR,
            annotation_text=f"target {target:g} weeks",
        )
    fig.update_layout(
        title=f"Go-live time ({cmp.n:,} draws, the same for every scenario)",
        xaxis_title="weeks from the start",
        yaxis={"title": "share of simulated projects live", "range": [0, 1], "tickformat": ".0%"},
        legend_title="scenario",
    )
    return fig


def adoption_comparison_figure(cmp: Comparison) -> go.Figure:
    """Bass adoption after launch for each scenario (share of learners against weeks)."""
    fig = go.Figure()
    for i, (label, name) in enumerate(zip(cmp.labels, _names(cmp), strict=True)):
        fig.add_trace(
            go.Scatter(
                x=np.asarray(cmp.adoption_t[label]),
                y=np.asarray(cmp.adoption_share[label]),
                mode="lines",
                name=name,
                line={"color": _colour(i), "width": 2},
                hovertemplate=name + "<br>week %{x}: %{y:.0%} adopted<extra></extra>",
            )
        )
    fig.add_hline(y=0.8, line_dash="dot", line_color=REFERENCE_COLOUR)
    fig.update_layout(
        title="Adoption after launch (Bass model)",
        xaxis_title="weeks since launch",
        yaxis={"title": "share of learners", "range": [0, 1], "tickformat": ".0%"},
        legend_title="scenario",
    )
    return fig


def findings_comparison_figure(cmp: Comparison) -> go.Figure:
    """Findings of the diagnosis by severity, stacked, one bar per scenario."""
    names = _names(cmp)
    fig = go.Figure()
    for severity in SEVERITIES:
        counts = [cmp.diagnoses[label].counts[severity] for label in cmp.labels]
        fig.add_trace(
            go.Bar(
                x=names,
                y=counts,
                name=severity,
                marker_color=SEVERITY_COLOURS[severity],
                hovertemplate="%{x}<br>%{y} " + severity + "<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        title="Findings by severity",
        yaxis={"title": "findings", "dtick": 1},
        legend_title="severity",
    )
    return fig
