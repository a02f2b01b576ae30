"""Figures for the timing models: spec functions (a result in, a figure spec out), their text
alternatives and thin builders. No model maths here.

Specs: :func:`timeline_spec`, :func:`escalation_spec`, :func:`completion_spec`,
:func:`tornado_spec`, :func:`adoption_spec`, :func:`plan_spec`; builders keep their names
(:func:`engagement_timeline`, :func:`completion_figure`, ...).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.format import (
    base_layout,
    esc,
    multiplier,
    percent,
    person_weeks,
    reached,
    reference_line,
    weeks,
)
from lmsdecide.figures.palette import REFERENCE_COLOUR, function_colour
from lmsdecide.figures.spec import Spec, build
from lmsdecide.scenario import NEVER
from lmsdecide.timing.diffusion import AdoptionResult
from lmsdecide.timing.escalation import EscalationCurveResult
from lmsdecide.timing.late import LateEngagementResult
from lmsdecide.timing.plan import RecommendedPlanResult
from lmsdecide.timing.schedule import ScheduleRiskResult

__all__ = [
    "adoption_figure",
    "adoption_spec",
    "completion_figure",
    "completion_spec",
    "describe_adoption",
    "describe_completion",
    "describe_escalation",
    "describe_plan",
    "describe_timeline",
    "describe_tornado",
    "engagement_timeline",
    "escalation_figure",
    "escalation_spec",
    "plan_figure",
    "plan_spec",
    "timeline_spec",
    "tornado_figure",
    "tornado_spec",
]

LATE_COLOUR = "#B2182B"
PHASE_FILLS = ("#EDEDED", "#DADADA")
RECOMMENDED_COLOUR = "#D55E00"


# ---------------------------------------------------------------------------------------------
# Engagement timeline
# ---------------------------------------------------------------------------------------------


#: The late concerns' columns in the timeline's hover, in the order its template reads them.
_LATE_HOVER = ("surfaces", "multiplier", "expected_rework", "kind", "cap")


def timeline_spec(late: LateEngagementResult) -> Spec:
    """Gantt of the phases (PERT mean durations) with each department's entry and concerns.

    Rows: one per department (and the partner when it adds concerns). Diamonds mark when a
    department is first engaged (at the end of the plan when never); open circles mark each
    concern's due phase; crosses mark late concerns in the middle of the phase they surface
    in, joined to their due phase. The dashed line is go-live (end of the launch phase).
    """
    # columns read once as arrays (a frame's boolean filter and iterrows cost milliseconds on
    # every change of the engagement dropdowns)
    phases = late.phases
    start = phases["start"].to_numpy()
    duration = phases["mean_duration"].to_numpy()
    end = start + duration
    after = float(end[-1])

    def x_of(index: int) -> float:
        return float(start[index]) if 0 <= index < len(start) else after

    def mid_of(index: int) -> float:
        return float((start[index] + end[index]) / 2) if 0 <= index < len(start) else after

    depts = late.departments
    dept_names = list(depts["name"])
    names = dict(zip(depts["department"], dept_names, strict=True))
    order = dept_names[::-1]
    engaged_index = depts["engaged_index"].to_numpy()
    engaged_rows = np.flatnonzero(engaged_index >= 0)
    dept_functions = list(depts["function"])
    dept_engaged = list(depts["engaged"])
    phase_name = dict(zip(phases["phase"], phases["name"], strict=True))
    concerns = late.concerns
    c_dept = list(concerns["department"])
    c_due = concerns["due_index"].to_numpy()
    c_surfaces = concerns["surfaces_index"].to_numpy()
    c_text = list(concerns["concern"])
    late_rows = np.flatnonzero(concerns["late"].to_numpy())
    xs: list[float | None] = []
    ys: list[str | None] = []
    for i in late_rows:
        xs += [x_of(int(c_due[i])), mid_of(int(c_surfaces[i])), None]
        ys += [names[c_dept[i]]] * 2 + [None]
    customdata = (
        np.column_stack([concerns[c].to_numpy()[late_rows] for c in _LATE_HOVER])
        if len(late_rows)
        else None
    )
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "uid": "phases",
            "name": "phases",
            "orientation": "h",
            "y": ["Phases"] * len(phases),
            "base": start,
            "x": duration,
            "text": list(phases["name"]),
            "textposition": "inside",
            "insidetextanchor": "middle",
            "marker": {"color": [PHASE_FILLS[i % 2] for i in range(len(phases))]},
            "hovertemplate": "%{text}<br>mean %{x:.0f} weeks<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "uid": "engaged",
            "name": "engaged",
            "mode": "markers",
            "x": [x_of(int(engaged_index[i])) for i in engaged_rows],
            "y": [dept_names[i] for i in engaged_rows],
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": [function_colour(dept_functions[i]) for i in engaged_rows],
                "line": {"color": REFERENCE_COLOUR, "width": 1},
            },
            # the phase by its name, not its id
            "text": [phase_name.get(dept_engaged[i], dept_engaged[i]) for i in engaged_rows],
            "hovertemplate": "%{y}: engaged in %{text}<extra></extra>",
        },
        {
            "type": "scatter",
            "uid": "concern due",
            "name": "concern due",
            "mode": "markers",
            "x": [x_of(int(i)) for i in c_due],
            "y": [names[d] for d in c_dept],
            "marker": {"symbol": "circle-open", "size": 9, "color": REFERENCE_COLOUR},
            "text": c_text,
            "hovertemplate": "%{text}<br>due in the phase from week %{x:.0f}<extra></extra>",
        },
        {
            "type": "scatter",
            "uid": "late by",
            "name": "late by",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "line": {"color": LATE_COLOUR, "width": 1, "dash": "dot"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "uid": "surfaces late",
            "name": "surfaces late",
            "mode": "markers",
            "x": [mid_of(int(c_surfaces[i])) for i in late_rows],
            "y": [names[c_dept[i]] for i in late_rows],
            "marker": {"symbol": "x", "size": 11, "color": LATE_COLOUR},
            "customdata": customdata,
            "text": [c_text[i] for i in late_rows],
            "hovertemplate": "%{text} (%{customdata[3]})<br>surfaces in %{customdata[0]}: "
            "×%{customdata[1]:.1f} cost (cap ×%{customdata[4]}), %{customdata[2]:.1f} "
            "person-weeks rework<extra></extra>",
        },
    ]
    golive = float(end[late.launch_index])
    layout = base_layout(
        "When each department engages",
        f"{person_weeks(late.expected_rework)} of rework, {weeks(late.expected_delay)} late",
        height=max(380, 34 * (len(order) + 2) + 140),
    )
    layout.update(
        xaxis={"title": {"text": "Weeks from the start (PERT means)"}, "automargin": True},
        yaxis={
            "categoryorder": "array",
            "categoryarray": [*order, "Phases"],
            "automargin": True,
        },
        shapes=[reference_line("x", golive, f"go-live: week {golive:.0f}")],
        uniformtext={"minsize": 10, "mode": "hide"},  # a phase name too long for its bar: hover
    )
    return {"data": data, "layout": layout}


def describe_timeline(late: LateEngagementResult) -> str:
    """The key numbers of :func:`timeline_spec` in words."""
    concerns = late.concerns
    n_late = int(concerns["late"].sum())
    never = [
        str(n)
        for n, i in zip(late.departments["name"], late.departments["engaged_index"], strict=True)
        if int(i) < 0
    ]
    text = (
        f"{n_late} of {len(concerns)} concerns surface after they are due: "
        f"{person_weeks(late.expected_rework)} of expected rework and "
        f"{weeks(late.expected_delay)} of go-live delay."
    )
    if never:
        text += f" Never engaged before launch: {', '.join(never)}."
    return text


def engagement_timeline(late: LateEngagementResult) -> go.Figure:
    """The figure of :func:`timeline_spec`."""
    return build(timeline_spec(late))


# ---------------------------------------------------------------------------------------------
# Escalation
# ---------------------------------------------------------------------------------------------


#: A line style per concern kind: colour (Okabe & Ito) with a dash and a marker as second
#: carriers, so the kinds stay apart in greyscale and for colour-blind readers.
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "integration": ("#D55E00", "solid", "x"),
    "data": ("#0072B2", "dash", "square"),
    "security": ("#CC79A7", "dot", "diamond"),
    "configuration": ("#009E73", "dashdot", "triangle-up"),
    "content": ("#E69F00", "longdash", "circle"),
    "process": ("#56B4E9", "longdashdot", "cross"),
    "reporting": ("#000000", "solid", "star"),
    "communication": ("#999999", "dash", "hexagon"),
}


def escalation_spec(curve: EscalationCurveResult) -> Spec:
    """Expected cost multiplier by phases of lateness, one line per concern kind (log scale)."""
    data = []
    for kind, rows in curve.curve.groupby("kind", sort=False):
        colour, dash, symbol = KIND_STYLES.get(str(kind), ("#7F7F7F", "solid", "circle"))
        data.append(
            {
                "type": "scatter",
                "uid": f"kind:{kind}",
                "name": str(kind),
                "x": rows["lateness"].to_numpy(),
                "y": rows["mean"].to_numpy(),
                "mode": "lines+markers",
                "line": {"color": colour, "dash": dash},
                "marker": {"symbol": symbol, "size": 8, "color": colour},
                "customdata": np.column_stack([rows["high"], rows["cap"]]),
                "hovertemplate": f"{kind}: %{{x}} phases late: mean ×%{{y:.2f}}, up to "
                "×%{customdata[0]:.1f} (cap ×%{customdata[1]:g})<extra></extra>",
            }
        )
    layout = base_layout(
        "Cost of a late concern, by kind",
        "Expected multiple of raising it on time; capped",
        height=420,
    )
    layout.update(
        yaxis={"type": "log", "title": {"text": "Cost multiplier (log)"}, "automargin": True},
        xaxis={
            "title": {"text": "Phases between due and surfacing"},
            "dtick": 1,
            "automargin": True,
        },
    )
    return {"data": data, "layout": layout}


def describe_escalation(curve: EscalationCurveResult) -> str:
    """The key numbers of :func:`escalation_spec` in words."""
    table = curve.curve
    parts = []
    for kind, rows in table.groupby("kind", sort=False):
        one = rows[rows["lateness"] == 1]["mean"]
        first = multiplier(float(one.iloc[0])) if len(one) else "n/a"
        parts.append(
            f"{kind} {first} one phase late (cap {multiplier(float(rows['cap'].iloc[0]))})"
        )
    return "Expected cost of a concern raised late, by kind: " + "; ".join(parts) + "."


def escalation_figure(curve: EscalationCurveResult) -> go.Figure:
    """The figure of :func:`escalation_spec`."""
    return build(escalation_spec(curve))


# ---------------------------------------------------------------------------------------------
# Go-live distribution and tornado
# ---------------------------------------------------------------------------------------------


def completion_spec(risk: ScheduleRiskResult) -> Spec:
    """Histogram of the simulated go-live time with P50, P80 and the target (legend entries)."""
    data = [
        {
            "type": "histogram",
            "uid": "completion",
            "name": "simulated projects",
            "x": risk.completion,
            "nbinsx": 60,
            "marker": {"color": "#7F7F7F"},
            "hovertemplate": "%{x} weeks: %{y} draws<extra></extra>",
        }
    ]
    layout = base_layout(
        "When go-live happens",
        f"P50 {weeks(risk.p50)}, P80 {weeks(risk.p80)}; "
        f"{percent(risk.on_time_probability)} on time",
        height=400,
    )
    layout.update(
        xaxis={"title": {"text": "Weeks from the start to go-live"}, "automargin": True},
        yaxis={"title": {"text": "Simulated projects"}, "automargin": True},
        shapes=[
            reference_line("x", risk.p50, f"P50: {weeks(risk.p50)}", dash="solid"),
            reference_line("x", risk.p80, f"P80: {weeks(risk.p80)}", dash="dot"),
            reference_line(
                "x",
                risk.launch_target,
                f"target: {weeks(risk.launch_target)}",
                dash="dash",
                colour=LATE_COLOUR,
            ),
        ],
    )
    return {"data": data, "layout": layout}


def describe_completion(risk: ScheduleRiskResult) -> str:
    """The key numbers of :func:`completion_spec` in words."""
    return (
        f"Half of {risk.n:,} simulated projects go live by week {risk.p50:.0f} (P50) and 80% by "
        f"week {risk.p80:.0f} (P80); {percent(risk.on_time_probability)} meet the "
        f"{risk.launch_target:g}-week target."
    )


def completion_figure(risk: ScheduleRiskResult) -> go.Figure:
    """The figure of :func:`completion_spec`."""
    return build(completion_spec(risk))


def tornado_spec(risk: ScheduleRiskResult) -> Spec:
    """Change in P50 when each department alone is engaged at its concerns' due phase."""
    t = risk.tornado.iloc[::-1]
    phase = _schedule_phases(risk)
    data = [
        {
            "type": "bar",
            "uid": "P50 change",
            "name": "P50 change",
            "orientation": "h",
            "x": t["p50_change"].to_numpy(),
            "y": list(t["name"]),
            "marker": {"color": [function_colour(f) for f in t["function"]]},
            "text": [f"{v:+.1f}" for v in t["p50_change"]],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": np.column_stack(
                [
                    [
                        "not engaged" if p == NEVER else f"engaged in {phase[p]}"
                        for p in t["engaged"]
                    ],
                    [phase[p] for p in t["engage_at"]],
                ]
            ),
            "hovertemplate": "%{y}: %{customdata[0]}; engaged in %{customdata[1]} the P50 "
            "moves %{x:.1f} weeks<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = base_layout(
        "Whose late engagement delays go-live",
        "Change in P50 if engaged when its concerns fall due",
        height=400,
        legend=False,
    )
    layout.update(
        xaxis={"title": {"text": "Weeks (negative: earlier go-live)"}, "automargin": True},
        yaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def _schedule_phases(risk: ScheduleRiskResult) -> dict[str, str]:
    """Phase id -> name, with the tornado's other values: never, and no phase for a department
    without concerns."""
    names = dict(zip(risk.phases["phase"], risk.phases["name"], strict=True))
    return {**names, NEVER: NEVER, "": "any phase (it has no concerns)"}


def describe_tornado(risk: ScheduleRiskResult) -> str:
    """The key numbers of :func:`tornado_spec` in words."""
    t = risk.tornado
    if not len(t):
        return "No department's engagement moves the go-live date."
    best = t.iloc[int(np.argmin(t["p50_change"].to_numpy()))]
    phase = _schedule_phases(risk)
    if float(best["p50_change"]) >= 0:
        return (
            "Engaging any one department when its concerns fall due does not bring go-live forward."
        )
    return (
        f"Engaging {best['name']} in {phase[best['engage_at']]} instead of "
        f"{'not at all' if best['engaged'] == NEVER else phase[best['engaged']]} moves the "
        f"P50 by {float(best['p50_change']):+.1f} weeks, the largest effect of any department."
    )


def tornado_figure(risk: ScheduleRiskResult) -> go.Figure:
    """The figure of :func:`tornado_spec`."""
    return build(tornado_spec(risk))


# ---------------------------------------------------------------------------------------------
# Adoption and the recommended plan
# ---------------------------------------------------------------------------------------------


def adoption_spec(
    a: AdoptionResult,
    b: AdoptionResult,
    labels: tuple[str, str] = ("current plan", "recommended plan"),
) -> Spec:
    """Adoption after launch for two plans, with the 50% and 80% times; each curve's p and q
    (and what sets them) in its hover text.
    """
    data: list[dict[str, Any]] = []
    for result, label, colour, dash in zip(
        (a, b), labels, (REFERENCE_COLOUR, RECOMMENDED_COLOUR), ("solid", "dash"), strict=True
    ):
        data.append(
            {
                "type": "scatter",
                "uid": f"{label}:curve",
                "name": label,
                "x": result.t,
                "y": result.share,
                "mode": "lines",
                "line": {"color": colour, "dash": dash, "width": 2.5},
                "hovertemplate": f"week %{{x}}: %{{y:.0%}} adopted<br>p={result.p:.3f}/wk "
                f"(comms earliness {result.earliness:.2f}), q={result.q:.3f}/wk (learning "
                f"share {result.learning_share:.2f})<extra>{label}</extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "uid": f"{label}:marks",
                "name": f"{label}: 50% / 80%",
                # no mark for a share never reached (above the ceiling: its time is infinite)
                # or reached after the weeks shown, where the curve has ended (the subtitle and
                # the text give the week)
                "x": [t if t <= result.t[-1] else None for t in (result.t50, result.t80)],
                "y": [0.5, 0.8],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "size": 9,
                    "symbol": "circle" if dash == "solid" else "diamond",
                },
                "showlegend": False,
                "hovertemplate": "%{y:.0%} by week %{x:.0f}<extra></extra>",
            }
        )
    layout = base_layout(
        "Adoption after launch",
        f"80% adopted: {labels[0]} {reached(a.t80, a.ceiling)}, "
        f"{labels[1]} {reached(b.t80, b.ceiling)}",
        height=420,
    )
    # The ceiling (the share that ever adopts) as a line in each plan's colour; one line when
    # both plans share it. A mandatory system with nothing missing has none (100%).
    shapes = []
    for result, label, colour in (
        (a, labels[0], REFERENCE_COLOUR),
        (b, labels[1], RECOMMENDED_COLOUR),
    ):
        if result.ceiling >= 1.0 or (result is b and b.ceiling == a.ceiling):
            continue
        name = "ceiling" if b.ceiling == a.ceiling else f"ceiling, {label}"
        shapes.append(
            reference_line(
                "y",
                result.ceiling,
                f"{name}: {percent(result.ceiling)}",
                dash="dot",
                colour=colour,
                width=1,
            )
        )
    layout.update(
        xaxis={"title": {"text": "Weeks after launch"}, "automargin": True},
        yaxis={
            "title": {"text": "Share of learners"},
            "tickformat": ".0%",
            "range": [0, 1],
            "automargin": True,
        },
        shapes=shapes,
    )
    return {"data": data, "layout": layout}


def describe_adoption(
    a: AdoptionResult,
    b: AdoptionResult,
    labels: tuple[str, str] = ("current plan", "recommended plan"),
) -> str:
    """The key numbers of :func:`adoption_spec` in words (with the Bass assumptions)."""
    src = a.assumptions
    return (
        f"Half of the learners adopt {reached(a.t50, a.ceiling)} under the {labels[0]} and "
        f"{reached(b.t50, b.ceiling)} under the {labels[1]}; 80% {reached(a.t80, a.ceiling)} "
        f"and {reached(b.t80, b.ceiling)}. At most {percent(a.ceiling)} and "
        f"{percent(b.ceiling)} of the learners ever adopt (the ceiling, lowered by anything "
        "missing at go-live). "
        f"Bass model: p from {src['p_late']:g} (p_late) to {src['p_early']:g} (p_early) with "
        f"communications' earliness, q from {src['q_low']:g} (q_low) to {src['q_high']:g} "
        f"(q_high) with the learning share ({a.learning_share_source})."
    )


def adoption_figure(
    a: AdoptionResult,
    b: AdoptionResult,
    labels: tuple[str, str] = ("current plan", "recommended plan"),
) -> go.Figure:
    """The figure of :func:`adoption_spec`."""
    return build(adoption_spec(a, b, labels))


def plan_spec(plan: RecommendedPlanResult) -> Spec:
    """Each department's current against recommended engagement phase, and what the plan saves."""
    # bottom to top, as the y axis lists categories; columns read once (no frame filters)
    table = plan.table
    current = list(table["current"])[::-1]
    recommended = list(table["recommended"])[::-1]
    names = list(table["name"])[::-1]
    changed = table["changed"].to_numpy()[::-1]
    saving = table["saving"].to_numpy()[::-1]
    phase = _phase_names(plan)
    xs: list[str | None] = []
    ys: list[str | None] = []
    for i in np.flatnonzero(changed):
        xs += [current[i], recommended[i], None]
        ys += [names[i], names[i], None]
    data = [
        {
            "type": "scatter",
            "uid": "move",
            "name": "move",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#AAAAAA"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "uid": "current",
            "name": "current",
            "x": current,
            "y": names,
            "mode": "markers",
            "marker": {"symbol": "circle-open", "size": 12, "color": REFERENCE_COLOUR},
            "hovertext": [
                f"{esc(n)}: " + ("not engaged" if c == NEVER else f"now engaged in {esc(phase[c])}")
                for n, c in zip(names, current, strict=True)
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
        {
            "type": "scatter",
            "uid": "recommended",
            "name": "recommended",
            "x": recommended,
            "y": names,
            "mode": "markers",
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "color": [function_colour(f) for f in list(table["function"])[::-1]],
            },
            "hovertext": [
                f"{esc(n)}: engage in {esc(phase[r])}; {_saving_text(s, bool(m))}"
                for n, r, s, m in zip(names, recommended, saving, changed, strict=True)
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
    ]
    layout = base_layout(
        "Recommended engagement plan",
        f"Saves {person_weeks(plan.effort_saving)}; P50 {plan.p50_current:.0f} → "
        f"{plan.p50_recommended:.0f} weeks",
        height=420,
    )
    layout.update(
        xaxis={
            "title": {"text": "Engagement phase"},
            "categoryorder": "array",
            "categoryarray": [*plan.phase_ids, NEVER],
            # the phases' names under the ticks; the ids stay the categories (a live figure's
            # points keep their keys)
            "tickvals": [*plan.phase_ids, NEVER],
            # every phase on the axis, whether a department is in it or not: the same ticks,
            # and so the same margins, for every plan (a live figure is not redrawn twice)
            "range": [-0.5, len(plan.phase_ids) + 0.5],
            # on two lines or more (at most 14 characters each), so the nine fit unturned
            "ticktext": [
                *("<br>".join(textwrap.wrap(esc(phase[p]), 14)) for p in plan.phase_ids),
                NEVER,
            ],
            "automargin": True,
        },
        yaxis={"automargin": True},
    )
    return {"data": data, "layout": layout}


def _phase_names(plan: RecommendedPlanResult) -> dict[str, str]:
    # in words "not engaged"; under the axis' last tick "never"
    return {**dict(zip(plan.phase_ids, plan.phase_names, strict=True)), NEVER: "not engaged"}


#: A saving smaller than this either way (person-weeks) is said as about even.
_EVEN = 0.05


def _saving_text(saving: float, changed: bool) -> str:
    """What moving a department saves, in words (person-weeks of rework avoided less meetings)."""
    if not changed:
        return "as now"
    if saving >= _EVEN:
        return f"saves {person_weeks(saving)}"
    if saving > -_EVEN:
        return "about as much meeting time as the rework it avoids"
    return (
        f"{person_weeks(-saving)} more in meetings than the rework it avoids, engaged when "
        "its first concern falls due"
    )


def describe_plan(plan: RecommendedPlanResult) -> str:
    """The key numbers of :func:`plan_spec` in words."""
    table = plan.table
    phase = _phase_names(plan)
    moved = [
        f"{name} from {phase[current]} to {phase[recommended]}"
        for name, current, recommended, changed in zip(
            table["name"], table["current"], table["recommended"], table["changed"], strict=True
        )
        if changed
    ]
    moves = ", ".join(moved)
    costlier = int((table["changed"] & (table["saving"] <= -_EVEN)).sum())
    note = (
        f" {costlier} of these cost more meeting time than the rework they avoid; they are "
        "engaged when their first concern falls due: a department engaged after its concerns "
        "are due, or left out, is never free."
        if costlier
        else ""
    )
    count = f"{len(moved)} department" + ("" if len(moved) == 1 else "s")
    return (
        f"The recommended plan moves {count} ({moves or 'none'}).{note} It saves "
        f"{person_weeks(plan.effort_saving)} net ({person_weeks(plan.rework_saving)} of rework); "
        f"P50 {plan.p50_current:.0f} to {plan.p50_recommended:.0f} weeks, P80 "
        f"{plan.p80_current:.0f} to {plan.p80_recommended:.0f} weeks."
    )


def plan_figure(plan: RecommendedPlanResult) -> go.Figure:
    """The figure of :func:`plan_spec`."""
    return build(plan_spec(plan))
