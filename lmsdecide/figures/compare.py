"""Figures that put two to five scenarios side by side: spec functions taking a
:class:`~lmsdecide.comparison.Comparison`, their text alternatives and thin builders.

Scenario names are data: every name placed in a trace, an axis, a legend, a title or a hover
label is HTML-escaped first (plotly renders a subset of HTML in its text). A scenario's curves
carry a colour and a line dash, so they stay apart without colour; the scorecard names each
scenario over its column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lmsdecide.comparison import MEASURES, Comparison, measure_text
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
    "standing",
]

#: One colour per compared scenario (Okabe & Ito 2008; distinct from the function colours' use).
SCENARIO_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
SCENARIO_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SEVERITY_PATTERNS = {"critical": "", "warning": "/", "info": "."}

#: The scorecard's rows: measure, its row label, and which way is better (+1 higher, -1 lower).
_ROWS = (
    ("learning_share", "Learning's share", 1),
    ("p50", "Go-live P50 (weeks)", -1),
    ("p80", "Go-live P80 (weeks)", -1),
    ("on_time_probability", "Launched on time", 1),
    ("expected_rework", "Rework (person-weeks)", -1),
    ("t80", "Weeks to 80% adoption", -1),
)

#: A gap to the weakest scenario smaller than this part of the weakest's value (of one whole
#: for shares and probabilities, i.e. ten points) never takes the darkest shade: two scenarios
#: 40.0 and 40.2 weeks from go-live read as even, not as best and worst.
EVEN_GAP = 0.10

#: Pale (even with the weakest) to dark (clearly better): a single blue, readable in grey.
_SCORE_SCALE = [[0.0, "#f4f6f8"], [1.0, "#1f5f99"]]

#: Characters per line of a scenario's name over its column, by the number of columns: five
#: columns still fit side by side in a 600-pixel window.
_WRAP = {2: 30, 3: 22, 4: 16, 5: 13}
#: Lines of a name over its column at most.
_LINES = 4


def _names(cmp: Comparison) -> list[str]:
    return [esc(label) for label in cmp.labels]


def _colour(i: int) -> str:
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def _dash(i: int) -> str:
    return SCENARIO_DASHES[i % len(SCENARIO_DASHES)]


def standing(values: Sequence[float], better: int, *, scale_free: bool = False) -> list[float]:
    """How much better than the weakest each value is, 0 (the weakest, or even with it) to 1.

    ``better`` is +1 when higher is better, -1 when lower is. The gap to the weakest value is
    divided by the largest gap among the values, but by no less than :data:`EVEN_GAP` of the
    weakest's size (``scale_free``: of one, for shares and probabilities), so small differences
    stay pale. A value that is not finite (a time never reached) is the weakest, at 0, and every
    finite one is clearly better than it: the best finite value takes 1, the others down to 0.5
    by their gap to the best (over the same spread).
    """
    v = np.asarray(values, dtype=float) * better
    finite = np.isfinite(v)
    if not finite.any():
        return [0.0] * v.size
    f = v[finite]
    weakest, best = float(f.min()), float(f.max())
    floor = EVEN_GAP * (1.0 if scale_free else abs(weakest))
    spread = max(best - weakest, floor)
    if finite.all():
        shade = (v - weakest) / spread if spread > 0 else np.zeros(v.size)
    else:  # never reached: the others are better, and still ranked
        behind = (best - v) / spread if spread > 0 else np.zeros(v.size)
        shade = np.where(finite, 1.0 - 0.5 * np.clip(behind, 0.0, 1.0), 0.0)
    return [float(x) for x in np.clip(shade, 0.0, 1.0)]


def _wrap(name: str, width: int) -> str:
    """A scenario's (escaped) name in lines of about ``width`` characters (``<br>`` between),
    broken at spaces and after underscores (a bundled example's id is one long word)."""
    lines: list[str] = []
    for word in name.split():
        for k, piece in enumerate(re.findall(r"[^_]*_|[^_]+", word)):
            joint = "" if k else " "  # a piece after an underscore continues its word
            if lines and len(lines[-1]) + len(joint) + len(piece) <= width:
                lines[-1] += joint + piece
            else:
                lines.append(piece)
    if len(lines) > _LINES:  # the full name is in the hover text
        lines = [*lines[: _LINES - 1], lines[_LINES - 1] + "…"]
    return "<br>".join(lines) or name


def measures_spec(cmp: Comparison) -> Spec:
    """Headline measures side by side, as a scorecard: one column per scenario, one row per
    measure (learning's share, go-live P50 and P80, on-time probability, rework, weeks to 80%
    adoption). Each cell shows the comparison table's value; its shade says how much better it
    is than the weakest scenario on that row (:func:`standing`: darker is better, whichever way
    the measure runs; small gaps stay pale). A time to 80% adoption that is never reached says
    so, with the adoption ceiling.
    """
    names = _names(cmp)
    width = _WRAP.get(len(names), min(_WRAP.values()))
    cut = [_wrap(name, width) for name in names]
    # names cut alike would share a column: numbered apart
    heads = [f"{h}<br>({i})" if cut.count(h) > 1 else h for i, h in enumerate(cut, start=1)]
    targets = sorted(set(cmp.launch_targets.values()))
    z, text, hover, rows = [], [], [], []
    for measure, title, better in _ROWS:
        values = [float(cmp.value(label, measure)) for label in cmp.labels]
        # shares and probabilities run 0..1: their floor is ten points, not a tenth of the value
        shares = MEASURES[measure][1] in ("share", "probability")
        z.append(standing(values, better, scale_free=shares))
        cells, notes = [], []
        for label, name, value in zip(cmp.labels, names, values, strict=True):
            cell, note = measure_text(measure, value), ""
            if measure in ("p50", "p80"):
                note = f"<br>launch target {weeks(cmp.launch_targets[label])}"
            elif measure == "t80":
                ceiling = percent(cmp.value(label, "adoption_ceiling"))
                note = f"<br>adoption ceiling {ceiling}"
                if not np.isfinite(value):  # the ceiling is below 80%
                    cell = f"never<br>{ceiling} at most"
            cells.append(cell)
            notes.append(name + note)
        if measure in ("p50", "p80") and len(targets) == 1:
            title = f"{title[:-1]}; target {targets[0]:g})"
        text.append(cells)
        hover.append(notes)
        rows.append(title)
    data = [
        {
            "type": "heatmap",
            "uid": "measures",
            "x": heads,
            "y": rows,
            "z": z,
            "zmin": 0.0,
            "zmax": 1.0,
            "colorscale": _SCORE_SCALE,
            "showscale": False,
            "xgap": 3,
            "ygap": 3,
            "text": text,
            "customdata": hover,
            "texttemplate": "%{text}",
            "textfont": {"size": 16},
            "hovertemplate": "%{customdata}<br>%{y}: %{text}<extra></extra>",
        }
    ]
    lines = max(head.count("<br>") + 1 for head in heads)
    layout = base_layout(
        "Scenarios side by side",
        "Darker: better than the weakest scenario on that row",
        height=170 + 15 * lines + 56 * len(_ROWS),
        legend=False,
    )
    # the names over the columns sit in a top margin sized for their lines, below the title,
    # which stays at the top of the figure (plotly centres it in the margin otherwise)
    layout["margin"] = {**layout["margin"], "t": 84 + 15 * lines}
    layout["title"].update(yref="container", y=1.0, yanchor="top", pad={"t": 10})
    layout.update(
        xaxis={
            "side": "top",
            "tickangle": 0,
            "automargin": False,
            "fixedrange": True,
            "showgrid": False,
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True, "showgrid": False},
    )
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
