"""Figures that put two to five scenarios side by side: spec functions taking a
:class:`~lmsdecide.comparison.Comparison`, their text alternatives and thin builders.

Scenario names are data: every name placed in a trace, an axis, a legend, a title or a hover
label is HTML-escaped first (plotly renders a subset of HTML in its text). Scenarios carry a
colour and a letter or line dash, so they stay apart without colour.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.comparison import Comparison
from lmsdecide.diagnosis import SEVERITIES
from lmsdecide.figures.format import base_layout, esc, percent, reached, reference_line, weeks
from lmsdecide.figures.palette import SEVERITY_COLOURS, function_colour, function_pattern
from lmsdecide.figures.spec import Spec, build
from lmsdecide.scenario import FUNCTIONS

__all__ = [
    "SCENARIO_COLOURS",
    "adoption_comparison_figure",
    "adoption_comparison_spec",
    "completion_comparison_figure",
    "completion_comparison_spec",
    "describe_adoption_comparison",
    "describe_completion_comparison",
    "describe_drive_comparison",
    "describe_findings_comparison",
    "describe_measures",
    "drive_comparison_figure",
    "drive_comparison_spec",
    "findings_comparison_figure",
    "findings_comparison_spec",
    "measures_figure",
    "measures_spec",
]

#: One colour per compared scenario (Okabe & Ito 2008; distinct from the function colours' use).
SCENARIO_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
SCENARIO_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SEVERITY_PATTERNS = {"critical": "", "warning": "/", "info": "."}

_PANELS = (
    ("learning_share", "Learning share"),
    ("p50", "Go-live P50 (weeks)"),
    ("p80", "Go-live P80 (weeks)"),
    ("on_time_probability", "On time"),
    ("expected_rework", "Rework (person-weeks)"),
    ("t80", "Weeks to 80% adoption"),
)


def _names(cmp: Comparison) -> list[str]:
    return [esc(label) for label in cmp.labels]


def _colour(i: int) -> str:
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def _dash(i: int) -> str:
    return SCENARIO_DASHES[i % len(SCENARIO_DASHES)]


def measures_spec(cmp: Comparison) -> Spec:
    """Headline measures side by side: one bar per scenario in each of six panels (learning
    share, go-live P50 and P80 with the launch target, on-time probability, rework, weeks to 80%
    adoption). Scenarios are lettered A, B, ... on the axes and named in the legend; one trace
    per scenario and panel, whose bar height is exactly the comparison table's value.
    """
    names = _names(cmp)
    letters = [chr(ord("A") + i) for i in range(len(names))]
    data: list[dict[str, Any]] = []
    layout = base_layout("Scenarios side by side", "Headline measures", height=600)
    notes = []
    # the top row ends below the plot area's top, so the panel titles above it never reach
    # into the margin that holds the figure's title and subtitle
    gap_x, gap_y, top = 0.08, 0.2, 0.9
    width, height = (1 - 2 * gap_x) / 3, (top - gap_y) / 2
    for k, (measure, title) in enumerate(_PANELS):
        row, col = k // 3, k % 3
        n = k + 1
        suffix = "" if n == 1 else str(n)
        x0 = col * (width + gap_x)
        y1 = top - row * (height + gap_y)
        layout[f"xaxis{suffix}"] = {"domain": [x0, min(1.0, x0 + width)], "anchor": f"y{suffix}"}
        yaxis: dict[str, Any] = {
            "domain": [max(0.0, y1 - height), y1],
            "anchor": f"x{suffix}",
            "automargin": True,
        }
        if measure in ("learning_share", "on_time_probability"):
            yaxis.update(range=[0, 1], tickformat=".0%")
        layout[f"yaxis{suffix}"] = yaxis
        notes.append(
            {
                "text": f"<b>{title}</b>",
                "xref": f"x{suffix} domain",
                "yref": f"y{suffix} domain",
                "x": 0.5,
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        for i, (label, name) in enumerate(zip(cmp.labels, names, strict=True)):
            value = float(cmp.value(label, measure))
            data.append(
                {
                    "type": "bar",
                    "uid": f"{measure}:{label}",
                    "x": [letters[i]],
                    "y": [value if np.isfinite(value) else None],
                    "name": f"{letters[i]}: {name}",
                    "legendgroup": letters[i],
                    "marker": {"color": _colour(i)},
                    "showlegend": k == 0,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "hovertemplate": name + "<br>" + title + ": %{y:.2f}<extra></extra>",
                    "meta": measure,
                }
            )
            if not np.isfinite(value):  # t80 when adoption's ceiling is below 80%: no bar
                ceiling = percent(cmp.value(label, "adoption_ceiling"))
                notes.append(
                    {
                        "text": "never",
                        "hovertext": f"{name}: at most {ceiling} of the learners ever adopt",
                        "xref": f"x{suffix}",
                        "yref": f"y{suffix} domain",
                        "x": letters[i],
                        "y": 0.0,
                        "yanchor": "bottom",
                        "showarrow": False,
                    }
                )
    shapes = [reference_line("y", 0.5, "half", dash="dot", width=1)]
    for target in sorted(set(cmp.launch_targets.values())):
        for axis in ("2", "3"):
            line = reference_line(
                "y", target, f"target: {weeks(target)}", xref=f"x{axis}", yref=f"y{axis}"
            )
            line["showlegend"] = axis == "2"
            shapes.append(line)
    layout.update(bargap=0.3, shapes=shapes, annotations=notes)
    return {"data": data, "layout": layout}


def describe_measures(cmp: Comparison) -> str:
    """The key numbers of :func:`measures_spec` in words."""
    parts = []
    for label in cmp.labels:
        parts.append(
            f"{label}: learning {percent(cmp.value(label, 'learning_share'))}, P50 "
            f"{weeks(cmp.value(label, 'p50'))}, on time "
            f"{percent(cmp.value(label, 'on_time_probability'))}"
        )
    return "; ".join(parts) + "."


def measures_figure(cmp: Comparison) -> go.Figure:
    """The figure of :func:`measures_spec`."""
    return build(measures_spec(cmp))


def drive_comparison_spec(cmp: Comparison) -> Spec:
    """Who drives each scenario: one horizontal bar per scenario, one segment per function
    (colour and pattern from the palette), each bar summing to 1; the dotted line marks one half.
    """
    names = _names(cmp)
    frame = cmp.share_by_function
    # one pass over the tidy table (a live redraw reads it on every change)
    share = {
        (label, function): value
        for label, function, value in zip(
            frame["scenario"], frame["function"], frame["share"], strict=True
        )
    }
    data = []
    for function in FUNCTIONS:
        x = [float(share[label, function]) for label in cmp.labels]
        if not any(v > 0 for v in x):
            continue
        data.append(
            {
                "type": "bar",
                "uid": f"fn:{function}",
                "y": names,
                "x": x,
                "name": function,
                "orientation": "h",
                "marker": {
                    "color": function_colour(function),
                    "pattern": {"shape": function_pattern(function)},
                },
                "hovertemplate": "%{y}<br>" + function + ": %{x:.0%}<extra></extra>",
            }
        )
    layout = base_layout(
        "Who drives each scenario", "Share of the final decision", height=200 + 60 * len(names)
    )
    layout.update(
        barmode="stack",
        xaxis={"title": {"text": "Share of the decision"}, "range": [0, 1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed", "automargin": True},
        shapes=[reference_line("x", 0.5, "half", dash="dot")],
    )
    return {"data": data, "layout": layout}


def describe_drive_comparison(cmp: Comparison) -> str:
    """The key numbers of :func:`drive_comparison_spec` in words."""
    parts = [f"{label} {percent(cmp.value(label, 'learning_share'))}" for label in cmp.labels]
    return "Learning's share of the final decision: " + ", ".join(parts) + "."


def drive_comparison_figure(cmp: Comparison) -> go.Figure:
    """The figure of :func:`drive_comparison_spec`."""
    return build(drive_comparison_spec(cmp))


def completion_comparison_spec(cmp: Comparison) -> Spec:
    """Go-live time distributions: the empirical CDF of each scenario's simulated completion
    (common random numbers), with the launch targets as lines named in the legend.
    """
    data = []
    for i, (label, name) in enumerate(zip(cmp.labels, _names(cmp), strict=True)):
        x = np.sort(np.asarray(cmp.completion[label], dtype=float))
        if x.size > 2000:  # plot 2,000 quantiles: the curve, not every draw
            x = np.quantile(x, np.linspace(0.0, 1.0, 2000))
        y = np.linspace(0.0, 1.0, x.size) if x.size > 1 else np.ones(x.size)
        data.append(
            {
                "type": "scatter",
                "uid": f"scenario:{label}",
                "x": x,
                "y": y,
                "mode": "lines",
                "name": name,
                "line": {"color": _colour(i), "width": 2.5, "dash": _dash(i)},
                "hovertemplate": name + "<br>%{y:.0%} live by week %{x:.0f}<extra></extra>",
            }
        )
    layout = base_layout("Go-live time", f"{cmp.n:,} draws, the same for every scenario")
    layout.update(
        xaxis={"title": {"text": "Weeks from the start"}, "automargin": True},
        yaxis={
            "title": {"text": "Projects live"},
            "range": [0, 1],
            "tickformat": ".0%",
            "automargin": True,
        },
        shapes=[
            reference_line("x", t, f"target: {weeks(t)}")
            for t in sorted(set(cmp.launch_targets.values()))
        ],
    )
    return {"data": data, "layout": layout}


def describe_completion_comparison(cmp: Comparison) -> str:
    """The key numbers of :func:`completion_comparison_spec` in words."""
    parts = [
        f"{label}: P50 {weeks(cmp.value(label, 'p50'))}, P80 {weeks(cmp.value(label, 'p80'))}"
        for label in cmp.labels
    ]
    return "; ".join(parts) + "."


def completion_comparison_figure(cmp: Comparison) -> go.Figure:
    """The figure of :func:`completion_comparison_spec`."""
    return build(completion_comparison_spec(cmp))


def adoption_comparison_spec(cmp: Comparison) -> Spec:
    """Bass adoption after launch for each scenario (share of learners against weeks)."""
    data = [
        {
            "type": "scatter",
            "uid": f"scenario:{label}",
            "x": np.asarray(cmp.adoption_t[label]),
            "y": np.asarray(cmp.adoption_share[label]),
            "mode": "lines",
            "name": name,
            "line": {"color": _colour(i), "width": 2.5, "dash": _dash(i)},
            "hovertemplate": name + "<br>week %{x}: %{y:.0%} adopted<extra></extra>",
        }
        for i, (label, name) in enumerate(zip(cmp.labels, _names(cmp), strict=True))
    ]
    layout = base_layout("Adoption after launch", "Bass model")
    layout.update(
        xaxis={"title": {"text": "Weeks since launch"}, "automargin": True},
        yaxis={
            "title": {"text": "Share of learners"},
            "range": [0, 1],
            "tickformat": ".0%",
            "automargin": True,
        },
        shapes=[reference_line("y", 0.8, "80% of learners", dash="dot", width=1)],
    )
    return {"data": data, "layout": layout}


def describe_adoption_comparison(cmp: Comparison) -> str:
    """The key numbers of :func:`adoption_comparison_spec` in words."""
    parts = [
        f"{label} {reached(cmp.value(label, 't80'), cmp.value(label, 'adoption_ceiling'))}"
        for label in cmp.labels
    ]
    return "80% of the learners adopt: " + ", ".join(parts) + "."


def adoption_comparison_figure(cmp: Comparison) -> go.Figure:
    """The figure of :func:`adoption_comparison_spec`."""
    return build(adoption_comparison_spec(cmp))


def findings_comparison_spec(cmp: Comparison) -> Spec:
    """Findings of the diagnosis by severity, stacked, one bar per scenario.

    Compared without the findings (``findings=False``), the bars are empty and the subtitle says
    they are being checked: the traces are the same, so the findings move in when they come.
    """
    names = _names(cmp)
    ready = cmp.diagnosed
    data = [
        {
            "type": "bar",
            "uid": f"severity:{severity}",
            "x": names,
            "y": [cmp.diagnoses[label].counts[severity] if ready else None for label in cmp.labels],
            "name": severity,
            "marker": {
                "color": SEVERITY_COLOURS[severity],
                "pattern": {"shape": SEVERITY_PATTERNS.get(severity, "")},
            },
            "hovertemplate": "%{x}<br>%{y} " + severity + "<extra></extra>",
        }
        for severity in SEVERITIES
    ]
    layout = base_layout(
        "Findings by severity",
        "From each scenario's diagnosis" if ready else "Checking the scenarios…",
    )
    layout.update(
        barmode="stack",
        yaxis={"title": {"text": "Findings"}, "dtick": 1, "automargin": True},
        xaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def describe_findings_comparison(cmp: Comparison) -> str:
    """The key numbers of :func:`findings_comparison_spec` in words."""
    if not cmp.diagnosed:
        return "Checking the scenarios: the findings follow."
    parts = []
    for label in cmp.labels:
        counts = cmp.diagnoses[label].counts
        parts.append(f"{label}: " + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES))
    return "; ".join(parts) + "."


def findings_comparison_figure(cmp: Comparison) -> go.Figure:
    """The figure of :func:`findings_comparison_spec`."""
    return build(findings_comparison_spec(cmp))
