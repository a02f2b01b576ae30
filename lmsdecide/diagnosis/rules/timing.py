"""When each department engages: late engagement by department group, schedule at risk.

Severity of a late-engagement finding: **critical** when the group is engaged after its milestone
and its expected go-live delay is at least ``critical_delay`` weeks or its expected rework at
least ``critical_rework`` person-weeks; **warning** when it has any expected rework; **info** when
it is engaged after the milestone but nothing it owns surfaces late (the source article's cloud
system "with no integration": late IT then costs little). Milestones: the phase with id
``requirements`` (IT), ``design`` (communications, marketing) and ``selection`` (finance: must be
engaged *before* it); a scenario without such a phase uses the earliest due phase of the group's
concerns instead. Which findings fire depends only on expected values, never on the draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmsdecide.diagnosis.context import (
    TINY,
    Context,
    milestone_index,
    names,
    num,
    pct,
    phase_name,
)
from lmsdecide.diagnosis.findings import Evidence, Finding, make_finding
from lmsdecide.diagnosis.rules._base import rule
from lmsdecide.scenario import Scenario
from lmsdecide.timing import RecommendedPlanResult, adoption, compare_plans

__all__ = ["LATE_GROUPS", "LateGroup", "late_engagement_findings", "schedule_at_risk"]


@dataclass(frozen=True)
class LateGroup:
    """A department group compared with its milestone phase."""

    code: str
    functions: tuple[str, ...]
    milestone: str
    #: engaged strictly *before* the milestone (finance before selection), not *by* it
    strict: bool = False


LATE_GROUPS: tuple[LateGroup, ...] = (
    LateGroup("IT_LATE", ("it",), "requirements"),
    LateGroup("COMMS_LATE", ("communications", "marketing"), "design"),
    LateGroup("FINANCE_LATE", ("finance",), "selection", strict=True),
)


def _dept_row(rows: pd.DataFrame, dept: str) -> pd.Series:
    return rows[rows["department"] == dept].iloc[0]


@rule("IT_LATE", "COMMS_LATE", "FINANCE_LATE", "LATE_ENGAGEMENT")
def late_engagement_findings(ctx: Context) -> list[Finding]:
    """Each department group engaged after its milestone, or whose concerns surface late."""
    scenario = ctx.scenario
    out: list[Finding] = []
    rows: pd.DataFrame = ctx.late.departments
    rows = rows[rows["engaged"] != "partner"]
    grouped: set[str] = set()
    for group in LATE_GROUPS:
        ids = [d.id for d in scenario.departments if d.function in group.functions]
        if not ids:
            continue
        grouped.update(ids)
        milestone = milestone_index(scenario, group.milestone, rows, ids)
        # "before" a named phase (finance before selection); a due phase is met "by" it
        strict = group.strict and group.milestone in scenario.phase_ids
        engaged = {d: scenario.engagement_index(d) for d in ids}
        after = [d for d in ids if (engaged[d] >= milestone if strict else engaged[d] > milestone)]
        finding = _late_finding(ctx, group.code, ids, after, milestone, strict)
        if finding is not None:
            out.append(finding)
    others = [
        d.id
        for d in scenario.departments
        if d.id not in grouped and float(_dept_row(rows, d.id)["expected_rework"]) > TINY
    ]
    for d in others:
        milestone = milestone_index(scenario, "", rows, [d])
        finding = _late_finding(ctx, "LATE_ENGAGEMENT", [d], [d], milestone, False)
        if finding is not None:
            out.append(finding)
    return out


def _late_finding(
    ctx: Context,
    code: str,
    ids: Sequence[str],
    after: Sequence[str],
    milestone: int,
    strict: bool,
) -> Finding | None:
    scenario, plan, values = ctx.scenario, ctx.plan, ctx.values
    rows = ctx.late.departments
    sub = rows[rows["department"].isin(list(ids))]
    rework = float(sub["expected_rework"].sum())
    delay = float(sub["expected_delay"].sum())
    n_late = int(sub["n_late"].sum())
    if not after and rework <= TINY:
        return None
    culprits = [d for d in ids if d in after or float(_dept_row(rows, d)["expected_rework"]) > TINY]
    who = names(scenario, culprits)
    engaged_txt = ", ".join(
        f"{scenario.department(d).name}: {phase_name(scenario, scenario.engagement[d])}"
        for d in culprits
    )
    milestone_name = scenario.phases[min(milestone, len(scenario.phases) - 1)].name
    when = "before" if strict else "by"
    if rework <= TINY:
        return make_finding(
            code,
            severity="info",
            principle="cloud_little_it" if code == "IT_LATE" else None,
            names=who,
            milestone=milestone_name,
            evidence={"expected_rework": 0.0, "expected_delay": 0.0, "late_concerns": 0},
            evidence_text=(
                f"Engaged: {engaged_txt}. None of their concerns is due before they engage, so "
                "late engagement costs nothing in this scenario."
            ),
            recommendation=(
                f"Keep {who} informed from {milestone_name}; the models find no rework to "
                "avoid, so no change is needed."
            ),
            departments=tuple(culprits),
        )
    critical = bool(after) and (
        delay >= values["critical_delay"] or rework >= values["critical_rework"]
    )
    move = {d: plan.recommended[d] for d in culprits if plan.recommended[d] != plan.current[d]}
    evidence: Evidence = {
        "expected_rework": num(rework),
        "expected_delay": num(delay),
        "late_concerns": n_late,
    }
    if move:
        cmp = compare_plans(
            scenario, None, move, ctx.n, ctx.seed, labels=("current", "recommended")
        )
        p50_saving = cmp.p50_a - cmp.p50_b
        rework_saving = float(
            plan.table.loc[plan.table["department"].isin(list(move)), "saving"].sum()
        )
        evidence.update(
            {
                "p50_current": num(cmp.p50_a),
                "p50_recommended": num(cmp.p50_b),
                "p50_saving": num(p50_saving),
                "effort_saving": num(rework_saving),
            }
        )
        steps = "; ".join(
            f"engage {scenario.department(d).name} in {phase_name(scenario, p)}"
            for d, p in move.items()
        )
        if p50_saving >= 0.05:
            gain = (
                f"expected saving {p50_saving:.1f} weeks at P50 ({cmp.p50_a:.1f} → "
                f"{cmp.p50_b:.1f}) and {rework_saving:.1f} person-weeks of rework net of the "
                "extra meetings."
            )
        elif rework_saving > 0:
            gain = (
                f"expected saving {rework_saving:.1f} person-weeks of rework net of the extra "
                "meetings (it falls after go-live, so P50 does not move)."
            )
        else:
            gain = (
                f"the extra meetings cost {-rework_saving:.1f} person-weeks more than the "
                "rework they avoid, but every concern is then raised by its due phase instead "
                "of being missing at go-live."
            )
        recommendation = f"{steps[0].upper()}{steps[1:]}: {gain}"
        if code == "COMMS_LATE":
            recommendation += _adoption_gain(scenario, move)
    else:
        recommendation = (
            f"Bring {who} in {when} {milestone_name}; at the declared meeting effort the "
            "models find no earlier phase that pays for itself, so weigh the rework below."
        )
    return make_finding(
        code,
        severity="critical" if critical else "warning",
        names=who,
        rework=rework,
        delay=delay,
        evidence=evidence,
        evidence_text=(
            f"Engaged: {engaged_txt} (milestone: {when} {milestone_name}). {n_late} concern"
            f"{' surfaces' if n_late == 1 else 's surface'} late: expected rework {rework:.1f} "
            f"person-weeks, expected go-live delay {delay:.1f} weeks (escalation by concern "
            "kind and lateness, capped)."
        ),
        recommendation=recommendation,
        departments=tuple(culprits),
    )


def _adoption_gain(scenario: Scenario, move: Mapping[str, str]) -> str:
    before = adoption(scenario)
    after = adoption(scenario.with_changes(engagement={**scenario.engagement, **move}))
    half_before = float(np.interp(26.0, before.t, before.share))
    half_after = float(np.interp(26.0, after.t, after.share))
    if half_after <= half_before + 0.005:
        return ""
    return (
        f" Adoption: {pct(half_after)} of learners at six months instead of "
        f"{pct(half_before)}, ceiling {pct(after.ceiling)} instead of {pct(before.ceiling)} "
        "(Bass model with a ceiling)."
    )


@rule("SCHEDULE_AT_RISK")
def schedule_at_risk(ctx: Context) -> list[Finding]:
    """The probability of launching by the target is below ``min_on_time``."""
    risk = ctx.risk
    if risk.on_time_probability >= ctx.values["min_on_time"]:
        return []
    return [
        make_finding(
            "SCHEDULE_AT_RISK",
            target=risk.launch_target,
            chance=pct(risk.on_time_probability),
            evidence={
                "p50": num(risk.p50),
                "p80": num(risk.p80),
                "on_time_probability": num(risk.on_time_probability),
                "launch_target": risk.launch_target,
                "planned": num(risk.planned),
            },
            evidence_text=(
                f"go-live P50 {risk.p50:.1f} weeks, P80 {risk.p80:.1f} weeks against a target "
                f"of {risk.launch_target:g} weeks (PERT plan without rework "
                f"{risk.planned:.1f} weeks); on-time probability "
                f"{pct(risk.on_time_probability)} over {ctx.n:,} draws"
            ),
            recommendation=_schedule_advice(ctx.plan, risk.launch_target),
        )
    ]


def _schedule_advice(plan: RecommendedPlanResult, target: float) -> str:
    # the plan's own sentence: the same lever (plan, partner or target) as `recommend` shows
    changed = [d for d in plan.recommended if plan.recommended[d] != plan.current[d]]
    head = (
        f"Apply the recommended engagement plan (P80 {plan.p80_current:.1f} → "
        f"{plan.p80_recommended:.1f} weeks). "
        if changed and plan.p80_recommended < plan.p80_current
        else ""
    )
    return head + plan.preference
