"""Figures for the timing models: a result in, a plotly ``go.Figure`` out. No model maths here.

Builders: :func:`engagement_timeline`, :func:`escalation_figure`, :func:`completion_figure`,
:func:`tornado_figure`, :func:`adoption_figure`, :func:`plan_figure`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.palette import REFERENCE_COLOUR, function_colour
from lmsdecide.scenario import NEVER
from lmsdecide.timing.adoption import Adoption
from lmsdecide.timing.escalation import EscalationCurve
from lmsdecide.timing.late import LateEngagement
from lmsdecide.timing.plan import RecommendedPlan
from lmsdecide.timing.schedule import ScheduleRisk

__all__ = [
    "adoption_figure",
    "completion_figure",
    "engagement_timeline",
    "escalation_figure",
    "plan_figure",
    "tornado_figure",
]

LATE_COLOUR = "#B2182B"
PHASE_FILLS = ("#EDEDED", "#DADADA")
_LAYOUT = {"template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 60, "b": 40}}


def engagement_timeline(late: LateEngagement) -> go.Figure:
    """Gantt of the phases (PERT mean durations) with each department's entry and concerns.

    Rows: one per department (and the partner when it adds concerns). Diamonds mark when a
    department is first engaged (at the end of the plan when never); open circles mark each
    concern's due phase; red crosses mark late concerns in the middle of the phase they surface
    in, joined to their due phase. The dashed line is go-live (end of the launch phase).
    """
    phases = late.phases
    start = phases["start"].to_numpy()
    end = start + phases["mean_duration"].to_numpy()
    after = float(end[-1])

    def x_of(index: int) -> float:
        return float(start[index]) if 0 <= index < len(start) else after

    def mid_of(index: int) -> float:
        return float((start[index] + end[index]) / 2) if 0 <= index < len(start) else after

    depts = late.departments
    names = dict(zip(depts["department"], depts["name"], strict=True))
    order = list(depts["name"])[::-1]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="phases",
            orientation="h",
            y=["Phases"] * len(phases),
            base=start,
            x=phases["mean_duration"].to_numpy(),
            text=list(phases["name"]),
            textposition="inside",
            insidetextanchor="middle",
            marker={"color": [PHASE_FILLS[i % 2] for i in range(len(phases))]},
            hovertemplate="%{text}<br>mean %{x:.1f} weeks<extra></extra>",
            showlegend=False,
        )
    )
    engaged = depts[depts["engaged_index"] >= 0]
    fig.add_trace(
        go.Scatter(
            name="engaged",
            mode="markers",
            x=[x_of(int(i)) for i in engaged["engaged_index"]],
            y=list(engaged["name"]),
            marker={
                "symbol": "diamond",
                "size": 13,
                "color": [function_colour(f) for f in engaged["function"]],
                "line": {"color": REFERENCE_COLOUR, "width": 1},
            },
            text=list(engaged["engaged"]),
            hovertemplate="%{y}: engaged in %{text}<extra></extra>",
        )
    )
    concerns = late.concerns
    fig.add_trace(
        go.Scatter(
            name="concern due",
            mode="markers",
            x=[x_of(int(i)) for i in concerns["due_index"]],
            y=[names[d] for d in concerns["department"]],
            marker={"symbol": "circle-open", "size": 9, "color": REFERENCE_COLOUR},
            text=list(concerns["concern"]),
            hovertemplate="%{text}<br>due in phase starting week %{x:.1f}<extra></extra>",
        )
    )
    late_rows = concerns[concerns["late"]]
    xs: list[float | None] = []
    ys: list[str | None] = []
    for _, row in late_rows.iterrows():
        xs += [x_of(int(row["due_index"])), mid_of(int(row["surfaces_index"])), None]
        ys += [names[row["department"]]] * 2 + [None]
    fig.add_trace(
        go.Scatter(
            name="late by",
            mode="lines",
            x=xs,
            y=ys,
            line={"color": LATE_COLOUR, "width": 1, "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            name="surfaces late",
            mode="markers",
            x=[mid_of(int(i)) for i in late_rows["surfaces_index"]],
            y=[names[d] for d in late_rows["department"]],
            marker={"symbol": "x", "size": 11, "color": LATE_COLOUR},
            customdata=np.column_stack(
                [
                    late_rows["surfaces"],
                    late_rows["multiplier"],
                    late_rows["expected_rework"],
                    late_rows["kind"],
                    late_rows["cap"],
                ]
            )
            if len(late_rows)
            else None,
            text=list(late_rows["concern"]),
            hovertemplate="%{text} (%{customdata[3]})<br>surfaces in %{customdata[0]}: "
            "x%{customdata[1]:.1f} cost (cap x%{customdata[4]}), %{customdata[2]:.1f} "
            "person-weeks rework<extra></extra>",
        )
    )
    golive = float(end[late.launch_index])
    fig.add_vline(
        x=golive,
        line={"color": REFERENCE_COLOUR, "dash": "dash"},
        annotation_text="go-live",
        annotation_position="top",
    )
    fig.update_layout(
        **_LAYOUT,
        title=f"When each department engages: {late.expected_rework:.1f} person-weeks of expected "
        f"rework, {late.expected_delay:.1f} weeks of go-live delay",
        xaxis_title="weeks from the start (PERT means)",
        yaxis={"categoryorder": "array", "categoryarray": [*order, "Phases"]},
        legend={"orientation": "h", "y": -0.12},
        height=max(360, 32 * (len(order) + 2)),
    )
    return fig


def escalation_figure(curve: EscalationCurve) -> go.Figure:
    """Expected cost multiplier by phases of lateness, one line per concern kind (log scale)."""
    fig = go.Figure()
    for kind, rows in curve.curve.groupby("kind", sort=False):
        fig.add_trace(
            go.Scatter(
                name=str(kind),
                x=rows["lateness"].to_numpy(),
                y=rows["mean"].to_numpy(),
                mode="lines+markers",
                customdata=np.column_stack([rows["high"], rows["cap"]]),
                hovertemplate=f"{kind}: %{{x}} phases late: mean x%{{y:.2f}}, up to "
                "x%{customdata[0]:.1f} (cap %{customdata[1]:g})<extra></extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT,
        title="Cost of a late concern relative to raising it on time, by kind (capped)",
        yaxis={"type": "log", "title": "expected cost multiplier (log scale)"},
        xaxis_title="phases between its due phase and the phase it surfaces in",
    )
    return fig


def completion_figure(risk: ScheduleRisk) -> go.Figure:
    """Histogram of the simulated go-live time with P50, P80 and the target marked."""
    fig = go.Figure(
        go.Histogram(
            name="completion",
            x=risk.completion,
            nbinsx=60,
            marker={"color": "#7F7F7F"},
            hovertemplate="%{x} weeks: %{y} draws<extra></extra>",
        )
    )
    for value, label, dash in (
        (risk.p50, "P50", "solid"),
        (risk.p80, "P80", "dot"),
        (risk.launch_target, "target", "dash"),
    ):
        fig.add_vline(
            x=value,
            line={"color": LATE_COLOUR if label == "target" else REFERENCE_COLOUR, "dash": dash},
            annotation_text=f"{label} {value:.1f}",
            annotation_position="top",
        )
    fig.update_layout(
        **_LAYOUT,
        title=f"Go-live: P50 {risk.p50:.1f}, P80 {risk.p80:.1f} weeks; "
        f"{risk.on_time_probability:.0%} chance of meeting the {risk.launch_target:g}-week target",
        xaxis_title="weeks from the start to go-live",
        yaxis_title="simulated projects",
        showlegend=False,
    )
    return fig


def tornado_figure(risk: ScheduleRisk) -> go.Figure:
    """Change in P50 when each department alone is engaged at its concerns' due phase."""
    t = risk.tornado.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            name="P50 change",
            orientation="h",
            x=t["p50_change"].to_numpy(),
            y=list(t["name"]),
            marker={"color": [function_colour(f) for f in t["function"]]},
            customdata=np.column_stack([t["engaged"], t["engage_at"]]),
            hovertemplate="%{y}: engaged in %{customdata[0]}; in %{customdata[1]} the P50 moves "
            "%{x:.1f} weeks<extra></extra>",
        )
    )
    fig.update_layout(
        **_LAYOUT,
        title="Which department's late engagement delays go-live (change in P50)",
        xaxis_title="weeks (negative: earlier go-live if engaged when its concerns are due)",
    )
    return fig


def _adoption_label(label: str, a: Adoption) -> str:
    return (
        f"{label}: p={a.p:.3f}/wk (comms earliness {a.earliness:.2f}), "
        f"q={a.q:.3f}/wk (learning share {a.learning_share:.2f})"
    )


def adoption_figure(
    a: Adoption, b: Adoption, labels: tuple[str, str] = ("current plan", "recommended plan")
) -> go.Figure:
    """Adoption after launch for two plans, with 50% and 80% times and the assumptions named."""
    fig = go.Figure()
    colours = (REFERENCE_COLOUR, "#D55E00")
    for result, label, colour in zip((a, b), labels, colours, strict=True):
        fig.add_trace(
            go.Scatter(
                name=_adoption_label(label, result),
                x=result.t,
                y=result.share,
                mode="lines",
                line={"color": colour},
                hovertemplate="week %{x}: %{y:.0%} adopted<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                name=f"{label}: 50% / 80%",
                x=[result.t50, result.t80],
                y=[0.5, 0.8],
                mode="markers",
                marker={"color": colour, "size": 9},
                showlegend=False,
                hovertemplate="%{y:.0%} by week %{x:.1f}<extra></extra>",
            )
        )
    src = a.assumptions
    fig.update_layout(
        **_LAYOUT,
        title=f"Adoption after launch (Bass 1969): 50% by week {a.t50:.1f} vs {b.t50:.1f}, "
        f"80% by week {a.t80:.1f} vs {b.t80:.1f}",
        xaxis_title="weeks after launch",
        yaxis={"title": "share of learners", "tickformat": ".0%", "range": [0, 1]},
        legend={"orientation": "h", "y": -0.2},
    )
    fig.add_annotation(
        text=f"assumptions: p_late={src['p_late']:g}, p_early={src['p_early']:g}, "
        f"q_low={src['q_low']:g}, q_high={src['q_high']:g}; learning share from "
        f"{a.learning_share_source}",
        xref="paper",
        yref="paper",
        x=0,
        y=1.02,
        showarrow=False,
        xanchor="left",
        font={"size": 10},
    )
    return fig


def plan_figure(plan: RecommendedPlan) -> go.Figure:
    """Each department's current against recommended engagement phase, and what the plan saves."""
    table = plan.table.iloc[::-1]
    fig = go.Figure()
    xs: list[str | None] = []
    ys: list[str | None] = []
    for _, row in table[table["changed"]].iterrows():
        xs += [row["current"], row["recommended"], None]
        ys += [row["name"], row["name"], None]
    fig.add_trace(
        go.Scatter(
            name="move",
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#AAAAAA"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            name="current",
            x=list(table["current"]),
            y=list(table["name"]),
            mode="markers",
            marker={"symbol": "circle-open", "size": 12, "color": REFERENCE_COLOUR},
            hovertemplate="%{y}: now engaged in %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="recommended",
            x=list(table["recommended"]),
            y=list(table["name"]),
            mode="markers",
            marker={
                "symbol": "diamond",
                "size": 12,
                "color": [function_colour(f) for f in table["function"]],
            },
            customdata=table["saving"].to_numpy(),
            hovertemplate="%{y}: engage in %{x} (saves %{customdata:.1f} person-weeks)"
            "<extra></extra>",
        )
    )
    fig.update_layout(
        **_LAYOUT,
        title=f"Recommended plan: saves {plan.effort_saving:.1f} person-weeks net "
        f"({plan.rework_saving:.1f} of rework); P50 {plan.p50_current:.1f} -> "
        f"{plan.p50_recommended:.1f} weeks, P80 {plan.p80_current:.1f} -> "
        f"{plan.p80_recommended:.1f}",
        xaxis={
            "title": "engagement phase",
            "categoryorder": "array",
            "categoryarray": [*plan.phase_ids, NEVER],
        },
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
