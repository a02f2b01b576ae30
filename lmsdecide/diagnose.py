"""Diagnosis: run the models on a scenario and turn their numbers into findings.

"Make sure the dog wags the tail": each :class:`Finding` names a problem the seed warns about,
with the model numbers behind it (``evidence``), a concrete ``recommendation`` (for late
engagement, the recommended phase and what it saves at P50 on common random numbers) and the
seed ``principle`` it rests on. Thresholds are declared parameters (:data:`DIAGNOSE_PARAMS`).

Findings (DESIGN.md, "Diagnosis"):

================================  ===========================================================
code                              fires when
================================  ===========================================================
``LEARNING_NOT_DRIVING``          learning share (L&D + HR) < ``learning_threshold``: critical
``IT_LEADS``                      the top driver is an IT department: critical
``IT_LATE``                       IT engaged after requirements, or IT concerns surface late
``COMMS_LATE``                    communications/marketing engaged after design, or late
``FINANCE_LATE``                  finance not engaged before partner selection, or late
``LATE_ENGAGEMENT``               any other department whose concerns surface late
``PARTNER_NOT_LEARNING``          the selected partner is not a learning specialist: warning
``WRONG_CHOICE``                  the drivers' weights pick another partner than learning's
``WEAK_EXPERTISE_MATCH``          cosine match of the selected partner < ``min_expertise_match``
``LEARNING_DECISIONS_ELSEWHERE``  a learning-defining decision is Accountable outside learning
``DECISION_RIGHTS_GAPS``          RACI gaps (no or several Accountable: warning; no Responsible:
                                  info)
``SCHEDULE_AT_RISK``              probability of launching on time < ``min_on_time``: warning
``PARTNER_ODDS``                  SMAA-2 (uncertain scores and weights): another partner ranks
                                  first in most draws and the selected one in under half
                                  (warning), or no partner ranks first in 60% of draws (info)
================================  ===========================================================

When learning does not drive, ``LEARNING_NOT_DRIVING`` also names the cheapest combination of
levers that would make it drive (:func:`~lmsdecide.influence.combined_levers`).

Severity of a late-engagement finding: **critical** when the department group is engaged after
its milestone and its expected go-live delay is at least ``critical_delay`` weeks or its expected
rework at least ``critical_rework`` person-weeks; **warning** when it has any expected rework;
**info** when it is engaged after the milestone but nothing it owns surfaces late (the seed's
cloud system "with no integration": late IT then costs little). Milestones: the phase with id
``requirements`` (IT), ``design`` (communications, marketing) and ``selection`` (finance: must be
engaged *before* it); a scenario without such a phase uses the earliest due phase of the group's
concerns instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from lmsdecide.influence import combined_levers, decision_rights, what_it_would_take, who_drives
from lmsdecide.params import FloatParam, IntParam, ParamSet
from lmsdecide.partner import (
    expertise_match,
    partner_ranking,
    rank_acceptability,
    whose_weights_win,
)
from lmsdecide.scenario import LEARNING_FUNCTIONS, NEVER, Scenario
from lmsdecide.timing import (
    adoption,
    compare_plans,
    late_engagement,
    recommend_plan,
    simulate_schedule,
)

__all__ = [
    "DIAGNOSE_DRAWS",
    "DIAGNOSE_PARAMS",
    "PRINCIPLES",
    "SEVERITIES",
    "Diagnosis",
    "Finding",
    "diagnose",
]

Severity = Literal["critical", "warning", "info"]
#: Severities, most serious first.
SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")

#: The seed's principles (000_4b74ef1d428be6ba.txt, "Who's driving your learning?", 2012).
PRINCIPLES: dict[str, str] = {
    "learning_drives": (
        "Learning must drive an LMS project: L&D/HR or training 'need to have the biggest "
        "influence in your end result'."
    ),
    "not_it_led": (
        "'Seeing IT leading an LMS installation is a sure fire way to get the wrong system "
        "installed, or at very least, get the right system with the wrong set up.'"
    ),
    "it_early": (
        "'You MUST and as early as possible involve IT ... don't wait until you're about to "
        "launch.'"
    ),
    "cloud_little_it": (
        "A cloud system with no integration is 'no more IT than any other portal': late IT "
        "costs little there."
    ),
    "comms_early": (
        "Engage marketing and communications 'as early as possible to make for the most "
        "successful of projects'."
    ),
    "finance_early": (
        "'Would you install a financial [system] without engaging and listening to your "
        "financial department?'"
    ),
    "engage_early": "Involve the departments with a stake early, not just before launch.",
    "learning_partner": (
        "Choose a partner 'that's all about Learning', not an IT integrator or 'simply an "
        "onseller'."
    ),
    "expertise_match": (
        "'Match the expertise of your team with that of the team you're linking with.'"
    ),
    "dog_wags_tail": "Make sure the dog wags the tail and not the other way round.",
}

_GROUP = "Diagnosis"
#: Rework below this (person-weeks) counts as none (round-off).
_TINY = 1e-9

LEARNING_THRESHOLD = FloatParam(
    name="learning_threshold",
    label="Learning-driven threshold",
    default=0.5,
    min=0.0,
    max=1.0,
    step=0.01,
    unit="share",
    help="Learning (L&D + HR) drives when its share of the final decision is at least this.",
    source="The seed (L&D/HR 'need to have the biggest influence'); DESIGN.md: one half",
    group=_GROUP,
)
CRITICAL_DELAY = FloatParam(
    name="critical_delay",
    label="Critical go-live delay",
    default=4.0,
    min=0.0,
    max=52.0,
    step=0.5,
    unit="weeks",
    help="A department group engaged late is critical when its expected go-live delay from "
    "rework is at least this (about a month).",
    group=_GROUP,
)
CRITICAL_REWORK = FloatParam(
    name="critical_rework",
    label="Critical rework",
    default=20.0,
    min=0.0,
    max=1000.0,
    step=1.0,
    unit="person-weeks",
    help="A department group engaged late is critical when its expected rework (before and "
    "after go-live) is at least this.",
    group=_GROUP,
)
MIN_ON_TIME = FloatParam(
    name="min_on_time",
    label="Minimum on-time probability",
    default=0.5,
    min=0.0,
    max=1.0,
    step=0.05,
    unit="probability",
    help="Below this probability of going live by the launch target, the schedule is at risk.",
    group=_GROUP,
)
MIN_EXPERTISE_MATCH = FloatParam(
    name="min_expertise_match",
    label="Minimum expertise match",
    default=0.8,
    min=0.0,
    max=1.0,
    step=0.05,
    unit="cosine similarity",
    help="Below this cosine similarity of the team's and the selected partner's expertise "
    "profiles, the match is weak.",
    group=_GROUP,
)
DIAGNOSE_DRAWS = IntParam(
    name="n",
    label="Monte Carlo draws",
    default=4000,
    min=100,
    max=1_000_000,
    step=1000,
    unit="draws",
    help="Draws behind the P50/P80 evidence (plans compared on common random numbers).",
    source="numerical setting",
    group=_GROUP,
)

#: Every tunable of :func:`diagnose`.
DIAGNOSE_PARAMS = ParamSet(
    (
        LEARNING_THRESHOLD,
        CRITICAL_DELAY,
        CRITICAL_REWORK,
        MIN_ON_TIME,
        MIN_EXPERTISE_MATCH,
        DIAGNOSE_DRAWS,
    )
)

Evidence = dict[str, float | int | str | None]


@dataclass(frozen=True)
class Finding:
    """One finding of the diagnosis.

    Attributes
    ----------
    code
        Stable identifier (``IT_LATE``, ...), for scripts and tests.
    severity
        ``critical``, ``warning`` or ``info``.
    title
        One line.
    evidence
        The model numbers behind it, by name (floats in their units; see ``evidence_text``).
    evidence_text
        The same numbers in words.
    recommendation
        What to do, concretely, with what it is expected to save when the models say.
    principle
        Key of :data:`PRINCIPLES`; ``principle_text`` quotes it.
    departments
        Department (or partner) ids the finding is about.
    """

    code: str
    severity: Severity
    title: str
    evidence: Evidence
    evidence_text: str
    recommendation: str
    principle: str
    departments: tuple[str, ...] = ()

    @property
    def principle_text(self) -> str:
        """The seed's principle in words."""
        return PRINCIPLES[self.principle]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-compatible data."""
        out = asdict(self)
        out["departments"] = list(self.departments)
        out["principle_text"] = self.principle_text
        return out


@dataclass(frozen=True)
class Diagnosis:
    """Findings on one scenario, most serious first.

    Attributes
    ----------
    scenario_name
        The scenario's name.
    findings
        Sorted by severity (critical, warning, info), then in the order of the table above.
    verdict
        One sentence: does the dog wag the tail?
    learning_share, learning_driven, top_driver
        From :func:`~lmsdecide.influence.who_drives`.
    assumptions
        Every parameter value used, by name (with ``seed``).
    """

    scenario_name: str
    findings: tuple[Finding, ...]
    verdict: str
    learning_share: float
    learning_driven: bool
    top_driver: str
    assumptions: dict[str, Any] = field(default_factory=dict)

    def by_severity(self, severity: str) -> tuple[Finding, ...]:
        """The findings of one severity."""
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per severity (every severity, zeros included)."""
        return {s: len(self.by_severity(s)) for s in SEVERITIES}

    @property
    def critical(self) -> bool:
        """True when there is at least one critical finding."""
        return any(f.severity == "critical" for f in self.findings)

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def finding(self, code: str) -> Finding | None:
        """The first finding with ``code`` (None when there is none)."""
        return next((f for f in self.findings if f.code == code), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: code, severity, title, evidence, recommendation, principle."""
        columns = ["code", "severity", "title", "evidence", "recommendation", "principle"]
        return pd.DataFrame(
            [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "title": f.title,
                    "evidence": f.evidence_text,
                    "recommendation": f.recommendation,
                    "principle": f.principle,
                }
                for f in self.findings
            ],
            columns=columns,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-compatible data (for ``lmsdecide diagnose --json``)."""
        return {
            "scenario": self.scenario_name,
            "verdict": self.verdict,
            "learning_share": self.learning_share,
            "learning_driven": self.learning_driven,
            "top_driver": self.top_driver,
            "counts": self.counts,
            "critical": self.critical,
            "findings": [f.to_dict() for f in self.findings],
            "assumptions": dict(self.assumptions),
        }


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100.0 * x:.0f}%"


def _num(x: float, digits: int = 6) -> float:
    """A float for the evidence, to ``digits`` significant digits."""
    return float(f"{float(x):.{digits}g}")


def _phase_name(scenario: Scenario, phase: str) -> str:
    if phase == NEVER:
        return "never"
    return next((p.name for p in scenario.phases if p.id == phase), phase)


def _names(scenario: Scenario, ids: Iterable[str]) -> str:
    names = [scenario.department(d).name for d in ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _milestone(scenario: Scenario, phase_id: str, late: pd.DataFrame, ids: Sequence[str]) -> int:
    """Index of the milestone phase ``phase_id``; else the group's earliest due phase."""
    if phase_id in scenario.phase_ids:
        return scenario.phase_index(phase_id)
    rows = late[late["department"].isin(list(ids))]
    due = [scenario.phase_index(str(p)) for p in rows["earliest_due"] if p]
    return min(due) if due else scenario.launch_index


# ---------------------------------------------------------------------------------------------
# The diagnosis
# ---------------------------------------------------------------------------------------------

_LATE_GROUPS: tuple[tuple[str, tuple[str, ...], str, str, str, bool], ...] = (
    # code, functions, milestone phase, principle, label, strictly-before
    ("IT_LATE", ("it",), "requirements", "it_early", "IT", False),
    ("COMMS_LATE", ("communications", "marketing"), "design", "comms_early", "comms", False),
    ("FINANCE_LATE", ("finance",), "selection", "finance_early", "finance", True),
)


def diagnose(
    scenario: Scenario,
    *,
    learning_threshold: float = LEARNING_THRESHOLD.default,
    critical_delay: float = CRITICAL_DELAY.default,
    critical_rework: float = CRITICAL_REWORK.default,
    min_on_time: float = MIN_ON_TIME.default,
    min_expertise_match: float = MIN_EXPERTISE_MATCH.default,
    n: int = DIAGNOSE_DRAWS.default,
    seed: int | None = 0,
) -> Diagnosis:
    """Run the models on ``scenario`` and list the findings, most serious first.

    The models: drive share aᵀV (:func:`~lmsdecide.influence.who_drives`), decision rights,
    expected rework effort × (E[f_q/f_p] − 1) of concerns surfacing late
    (:func:`~lmsdecide.timing.late_engagement`, Stecklein et al. 2004 escalation), the
    recommended engagement plan and the Monte Carlo schedule (P50, P80, on-time probability;
    plans compared on common random numbers), Bass adoption, partner ranking, whose weights win
    and expertise match (cosine similarity). Severities follow the module docstring; which
    findings fire and their severity depend only on expected values, never on the draws, so the
    command line's exit code is reproducible whatever the seed.

    Parameters
    ----------
    scenario
        The LMS project.
    learning_threshold
        Learning drives when its share is at least this (share, default 0.5).
    critical_delay, critical_rework
        Late engagement is critical from this expected go-live delay (weeks) or rework
        (person-weeks); illustrative.
    min_on_time
        Schedule at risk below this probability of launching by the target.
    min_expertise_match
        Weak expertise match below this cosine similarity (illustrative).
    n, seed
        Monte Carlo draws and seed for the P50/P80 evidence (default seed 0: reproducible).

    Returns
    -------
    Diagnosis
    """
    values = DIAGNOSE_PARAMS.validate(
        {
            "learning_threshold": learning_threshold,
            "critical_delay": critical_delay,
            "critical_rework": critical_rework,
            "min_on_time": min_on_time,
            "min_expertise_match": min_expertise_match,
            "n": n,
        }
    )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError(f"seed: must be a whole number or None, got {seed!r}")
    n = values["n"]
    findings: list[Finding] = []

    drive = who_drives(scenario, threshold=learning_threshold)
    findings.extend(_drive_findings(scenario, drive, learning_threshold))
    late = late_engagement(scenario)
    plan = recommend_plan(scenario, n=n, seed=seed)
    findings.extend(_late_findings(scenario, late, plan, values, n, seed))
    findings.extend(_partner_findings(scenario, late, min_expertise_match))
    findings.extend(_rights_findings(scenario))
    findings.extend(_odds_findings(scenario, seed))
    risk = simulate_schedule(scenario, n=n, seed=seed)
    if risk.on_time_probability < min_on_time:
        findings.append(
            Finding(
                code="SCHEDULE_AT_RISK",
                severity="warning",
                title=(
                    f"Launch by week {risk.launch_target:g} is unlikely "
                    f"({_pct(risk.on_time_probability)} chance)"
                ),
                evidence={
                    "p50": _num(risk.p50),
                    "p80": _num(risk.p80),
                    "on_time_probability": _num(risk.on_time_probability),
                    "launch_target": risk.launch_target,
                    "planned": _num(risk.planned),
                },
                evidence_text=(
                    f"go-live P50 {risk.p50:.1f} weeks, P80 {risk.p80:.1f} weeks against a target "
                    f"of {risk.launch_target:g} weeks (PERT plan without rework "
                    f"{risk.planned:.1f} weeks); on-time probability "
                    f"{_pct(risk.on_time_probability)} over {n:,} draws"
                ),
                recommendation=_schedule_advice(plan, risk.launch_target),
                principle="engage_early",
            )
        )

    order = {code: i for i, code in enumerate(_ORDER)}
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), order.get(f.code, len(order))))
    return Diagnosis(
        scenario_name=scenario.name,
        findings=tuple(findings),
        verdict=_verdict(drive.learning_share, drive.learning_driven, findings, scenario, drive),
        learning_share=float(drive.learning_share),
        learning_driven=bool(drive.learning_driven),
        top_driver=drive.top_driver,
        assumptions={**values, "seed": seed},
    )


def _schedule_advice(plan: Any, target: float) -> str:
    if plan.effort_saving > 0 and plan.p80_recommended <= target:
        return (
            f"Apply the recommended engagement plan: it brings P80 to {plan.p80_recommended:.1f} "
            f"weeks, within the target of {target:g}."
        )
    head = (
        f"The recommended engagement plan brings P80 to {plan.p80_recommended:.1f} weeks; "
        if plan.effort_saving > 0
        else "No engagement change removes enough rework; "
    )
    return head + (
        f"move the launch target to week {np.ceil(plan.p80_recommended):.0f} or add rework "
        "capacity."
    )


_ORDER = (
    "LEARNING_NOT_DRIVING",
    "IT_LEADS",
    "WRONG_CHOICE",
    "IT_LATE",
    "COMMS_LATE",
    "FINANCE_LATE",
    "LATE_ENGAGEMENT",
    "LEARNING_DECISIONS_ELSEWHERE",
    "PARTNER_NOT_LEARNING",
    "WEAK_EXPERTISE_MATCH",
    "PARTNER_ODDS",
    "SCHEDULE_AT_RISK",
    "DECISION_RIGHTS_GAPS",
)

#: Sobol draws behind the partner odds of the diagnosis (about ±0.01 on a first-rank odds).
ODDS_DRAWS = 4096


def _odds_findings(scenario: Scenario, seed: int | None) -> list[Finding]:
    """PARTNER_ODDS: the selected partner's SMAA-2 first-rank odds against the best odds."""
    if not scenario.partners or not scenario.criteria:
        return []
    odds = rank_acceptability(scenario, n=ODDS_DRAWS, seed=0 if seed is None else seed)
    first = odds.first_rank
    best = str(first.idxmax())
    best_p = float(first[best])
    selected = scenario.selected_partner
    sel_p = (
        float(first[selected]) if selected is not None and selected in first.index else float("nan")
    )
    names = {p.id: p.name for p in scenario.partners}
    evidence: Evidence = {f"first_rank_{k}": _num(v) for k, v in first.items()}
    evidence["selected"] = selected
    evidence["draws"] = ODDS_DRAWS
    text = odds.summary + (
        f" Confidence of {names[best]} at its central weights: {odds.confidence_of(best):.0%}."
    )
    if selected is not None and selected != best and best_p >= 0.5 and sel_p < 0.5:
        return [
            Finding(
                code="PARTNER_ODDS",
                severity="warning",
                title=(
                    f"{names[best]} ranks first in {_pct(best_p)} of cases; the selected "
                    f"{names[selected]} in {_pct(sel_p)}"
                ),
                evidence=evidence,
                evidence_text=text,
                recommendation=(
                    f"Revisit the selection: with the scores and weights as uncertain as "
                    f"stated, {names[best]} is the likelier best choice. Narrow the uncertain "
                    "scores that matter most (value of information) before signing."
                ),
                principle="learning_partner",
                departments=(best, selected),
            )
        ]
    if best_p < 0.6:
        return [
            Finding(
                code="PARTNER_ODDS",
                severity="info",
                title=f"No partner is a clear choice: the best odds are {_pct(best_p)}",
                evidence=evidence,
                evidence_text=text,
                recommendation=(
                    "Before choosing, narrow the uncertain scores and agree the criteria "
                    "weights: the value-of-information analysis names the ones worth the time."
                ),
                principle="learning_partner",
                departments=(best,),
            )
        ]
    return []


def _verdict(
    share: float, driven: bool, findings: Sequence[Finding], scenario: Scenario, drive: Any
) -> str:
    critical = sum(f.severity == "critical" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    if not driven:
        top = scenario.department(drive.top_driver)
        return (
            f"The tail wags the dog: learning does not drive this project (learning share "
            f"{_pct(share)}; {top.name} drives with {_pct(float(drive.share.max()))})."
        )
    if critical:
        return (
            f"Learning drives (share {_pct(share)}), but {critical} critical finding"
            f"{'s' if critical != 1 else ''} need{'s' if critical == 1 else ''} action."
        )
    if warnings:
        return (
            f"The dog wags the tail: learning drives (share {_pct(share)}); {warnings} warning"
            f"{'s' if warnings != 1 else ''} to review."
        )
    return f"The dog wags the tail: learning drives (share {_pct(share)}) and nothing is critical."


def _drive_findings(scenario: Scenario, drive: Any, threshold: float) -> list[Finding]:
    out: list[Finding] = []
    top = scenario.department(drive.top_driver)
    top_share = float(drive.share.max())
    rights = decision_rights(scenario)
    if not drive.learning_driven:
        lever = what_it_would_take(scenario, target=min(max(threshold, 0.01), 0.99))
        out.append(
            Finding(
                code="LEARNING_NOT_DRIVING",
                severity="critical",
                title=f"Learning is not driving the project ({_pct(drive.learning_share)} share)",
                evidence={
                    "learning_share": _num(drive.learning_share),
                    "threshold": threshold,
                    "top_driver": drive.top_driver,
                    "top_driver_share": _num(top_share),
                    "group_position": _num(drive.group_position),
                },
                evidence_text=(
                    f"L&D and HR determine {_pct(drive.learning_share)} of the final decision "
                    f"(threshold {_pct(threshold)}); {top.name} determines {_pct(top_share)}; "
                    f"the group ends at {drive.group_position:+.2f} on the −1 (technology-led) "
                    f"to +1 (learning-led) scale."
                ),
                recommendation=(
                    "Make learning accountable for the learning-defining decisions and give it "
                    f"the project lead. The influence model: {lever.note} "
                    + combined_levers(scenario, target=min(max(threshold, 0.01), 0.99)).note
                ),
                principle="learning_drives",
                departments=(drive.top_driver,),
            )
        )
    if top.function == "it":
        it_share = drive.share_by_function["it"]
        held = [
            d
            for d in rights.learning_defining
            if any(scenario.department(a).function == "it" for a in rights.accountable[d])
        ]
        out.append(
            Finding(
                code="IT_LEADS",
                severity="critical",
                title=f"IT leads the project: {top.name} is the top driver ({_pct(top_share)})",
                evidence={
                    "it_share": _num(it_share),
                    "learning_share": _num(drive.learning_share),
                    "learning_decisions_accountable_to_it": len(held),
                },
                evidence_text=(
                    f"IT determines {_pct(it_share)} of the final decision against "
                    f"{_pct(drive.learning_share)} for L&D and HR; IT is Accountable for "
                    f"{len(held)} of {len(rights.learning_defining)} learning-defining decisions."
                ),
                recommendation=(
                    "Lead the project out of learning: L&D Accountable for learning needs, "
                    "requirements and the partner choice; IT Responsible for architecture, "
                    "integration and security, engaged from the start."
                ),
                principle="not_it_led",
                departments=(top.id,),
            )
        )
    return out


def _late_findings(
    scenario: Scenario,
    late: Any,
    plan: Any,
    values: Mapping[str, Any],
    n: int,
    seed: int | None,
) -> list[Finding]:
    out: list[Finding] = []
    rows: pd.DataFrame = late.departments
    rows = rows[rows["engaged"] != "partner"]
    grouped: set[str] = set()
    for code, functions, milestone_id, principle, label, strict in _LATE_GROUPS:
        ids = [d.id for d in scenario.departments if d.function in functions]
        if not ids:
            continue
        grouped.update(ids)
        milestone = _milestone(scenario, milestone_id, rows, ids)
        # "before" a named phase (finance before selection); a due phase is met "by" it
        strict = strict and milestone_id in scenario.phase_ids
        engaged = {d: scenario.engagement_index(d) for d in ids}
        after = [d for d in ids if (engaged[d] >= milestone if strict else engaged[d] > milestone)]
        finding = _late_finding(
            scenario,
            late,
            plan,
            values,
            n,
            seed,
            code,
            ids,
            after,
            milestone,
            principle,
            label,
            strict,
        )
        if finding is not None:
            out.append(finding)
    others = [
        d.id
        for d in scenario.departments
        if d.id not in grouped and float(_dept_row(rows, d.id)["expected_rework"]) > _TINY
    ]
    for d in others:
        finding = _late_finding(
            scenario,
            late,
            plan,
            values,
            n,
            seed,
            "LATE_ENGAGEMENT",
            [d],
            [d],
            _milestone(scenario, "", rows, [d]),
            "engage_early",
            scenario.department(d).name,
            False,
        )
        if finding is not None:
            out.append(finding)
    return out


def _dept_row(rows: pd.DataFrame, dept: str) -> pd.Series:
    return rows[rows["department"] == dept].iloc[0]


def _late_finding(
    scenario: Scenario,
    late: Any,
    plan: Any,
    values: Mapping[str, Any],
    n: int,
    seed: int | None,
    code: str,
    ids: Sequence[str],
    after: Sequence[str],
    milestone: int,
    principle: str,
    label: str,
    strict: bool,
) -> Finding | None:
    rows = late.departments
    sub = rows[rows["department"].isin(list(ids))]
    rework = float(sub["expected_rework"].sum())
    delay = float(sub["expected_delay"].sum())
    n_late = int(sub["n_late"].sum())
    if not after and rework <= _TINY:
        return None
    culprits = [
        d for d in ids if d in after or float(_dept_row(rows, d)["expected_rework"]) > _TINY
    ]
    names = _names(scenario, culprits)
    engaged_txt = ", ".join(
        f"{scenario.department(d).name}: {_phase_name(scenario, scenario.engagement[d])}"
        for d in culprits
    )
    milestone_name = scenario.phases[min(milestone, len(scenario.phases) - 1)].name
    when = "before" if strict else "by"
    if rework <= _TINY:
        principle = "cloud_little_it" if code == "IT_LATE" else principle
        return Finding(
            code=code,
            severity="info",
            title=f"{names} engaged after {milestone_name}, at no modelled cost",
            evidence={"expected_rework": 0.0, "expected_delay": 0.0, "late_concerns": 0},
            evidence_text=(
                f"Engaged: {engaged_txt}. None of their concerns is due before they engage, so "
                "late engagement costs nothing in this scenario."
            ),
            recommendation=(
                f"Keep {names} informed from {milestone_name}; the models find no rework to "
                "avoid, so no change is needed."
            ),
            principle=principle,
            departments=tuple(culprits),
        )
    critical = bool(after) and (
        delay >= values["critical_delay"] or rework >= values["critical_rework"]
    )
    move = {d: plan.recommended[d] for d in culprits if plan.recommended[d] != plan.current[d]}
    evidence: Evidence = {
        "expected_rework": _num(rework),
        "expected_delay": _num(delay),
        "late_concerns": n_late,
    }
    if move:
        cmp = compare_plans(scenario, None, move, n, seed, labels=("current", "recommended"))
        p50_saving = cmp.p50_a - cmp.p50_b
        rework_saving = float(
            plan.table.loc[plan.table["department"].isin(list(move)), "saving"].sum()
        )
        evidence.update(
            {
                "p50_current": _num(cmp.p50_a),
                "p50_recommended": _num(cmp.p50_b),
                "p50_saving": _num(p50_saving),
                "effort_saving": _num(rework_saving),
            }
        )
        steps = "; ".join(
            f"engage {scenario.department(d).name} in {_phase_name(scenario, p)}"
            for d, p in move.items()
        )
        if p50_saving >= 0.05:
            gain = (
                f"expected saving {p50_saving:.1f} weeks at P50 ({cmp.p50_a:.1f} → "
                f"{cmp.p50_b:.1f}) and {rework_saving:.1f} person-weeks of rework net of the "
                "extra meetings."
            )
        else:
            gain = (
                f"expected saving {rework_saving:.1f} person-weeks of rework net of the extra "
                "meetings (it falls after go-live, so P50 does not move)."
            )
        recommendation = f"{steps[0].upper()}{steps[1:]}: {gain}"
        if code == "COMMS_LATE":
            recommendation += _adoption_gain(scenario, move)
    else:
        recommendation = (
            f"Bring {names} in {when} {milestone_name}; at the declared meeting effort the "
            "models find no earlier phase that pays for itself, so weigh the rework below."
        )
    return Finding(
        code=code,
        severity="critical" if critical else "warning",
        title=(
            f"{names} engaged late: {rework:.1f} person-weeks of expected rework, "
            f"{delay:.1f} weeks of go-live delay"
        ),
        evidence=evidence,
        evidence_text=(
            f"Engaged: {engaged_txt} (milestone: {when} {milestone_name}). {n_late} concern"
            f"{' surfaces' if n_late == 1 else 's surface'} late: expected rework {rework:.1f} "
            f"person-weeks, expected go-live delay {delay:.1f} weeks (Stecklein et al. 2004 "
            "escalation)."
        ),
        recommendation=recommendation,
        principle=principle,
        departments=tuple(culprits),
    )


def _adoption_gain(scenario: Scenario, move: Mapping[str, str]) -> str:
    before = adoption(scenario)
    after = adoption(scenario.with_changes(engagement={**scenario.engagement, **move}))
    if not np.isfinite(before.t80) or not np.isfinite(after.t80) or after.t80 >= before.t80:
        return ""
    return (
        f" Adoption: 80% of learners after {after.t80:.0f} weeks instead of {before.t80:.0f} "
        "(Bass model)."
    )


def _partner_findings(scenario: Scenario, late: Any, min_match: float) -> list[Finding]:
    out: list[Finding] = []
    if not scenario.partners:
        return out
    ranking = partner_ranking(scenario, weights_from="learning")
    whose = whose_weights_win(scenario)
    selected = scenario.selected_partner

    def label(pid: str | None) -> str:
        if pid is None:
            return "no partner"
        p = scenario.partner(pid)
        return f"{p.name} ({p.type})"

    if whose.differs and whose.top_learning is not None:
        chosen = selected is not None and selected == whose.top_effective
        flip = (
            ""
            if whose.flip_share is None
            else f" once learning's share reaches {_pct(whose.flip_share)}"
        )
        out.append(
            Finding(
                code="WRONG_CHOICE",
                severity="critical" if chosen else "warning",
                title=(
                    f"The drivers' weights pick {label(whose.top_effective)}; learning's would "
                    f"pick {label(whose.top_learning)}"
                ),
                evidence={
                    "learning_share": _num(whose.share),
                    "top_drivers": whose.top_effective,
                    "top_learning": whose.top_learning,
                    "flip_share": None if whose.flip_share is None else _num(whose.flip_share),
                    "selected": selected,
                },
                evidence_text=whose.summary,
                recommendation=(
                    f"Re-run the partner choice with learning's criteria weights; "
                    f"{label(whose.top_learning)} wins{flip}."
                ),
                principle="not_it_led",
                departments=tuple(p for p in (whose.top_effective, whose.top_learning) if p),
            )
        )
    if selected is None:
        return out
    partner = scenario.partner(selected)
    if partner.type != "learning-specialist":
        rows = late.departments
        extra = rows[rows["engaged"] == "partner"]
        rework = float(extra["expected_rework"].sum())
        delay = float(extra["expected_delay"].sum())
        best = ranking.top
        alt = (
            f"the best-ranked partner on learning's weights is {label(best)}"
            if best and best != selected
            else "look for a learning-focused partner"
        )
        out.append(
            Finding(
                code="PARTNER_NOT_LEARNING",
                severity="warning",
                title=f"The selected partner, {partner.name}, is a {partner.type}, not learning",
                evidence={
                    "partner_type": partner.type,
                    "partner_rework": _num(rework),
                    "partner_delay": _num(delay),
                    "best_on_learning_weights": best,
                },
                evidence_text=(
                    f"{partner.name} is a {partner.type}; the partner-type assumptions add "
                    f"{rework:.1f} person-weeks of expected rework and {delay:.1f} weeks of "
                    "go-live delay that no engagement plan removes."
                ),
                recommendation=f"Prefer a learning specialist: {alt}.",
                principle="learning_partner",
                departments=(selected,),
            )
        )
    match = expertise_match(scenario)
    if match.partner_ids and match.areas:
        k = match.partner_ids.index(selected)
        sim = float(match.similarity[k])
        if sim < min_match:
            best = match.best
            best_sim = float(match.similarity.max())
            out.append(
                Finding(
                    code="WEAK_EXPERTISE_MATCH",
                    severity="warning",
                    title=(
                        f"{partner.name}'s expertise matches the team's weakly "
                        f"(similarity {sim:.2f})"
                    ),
                    evidence={
                        "similarity": _num(sim),
                        "threshold": min_match,
                        "best": best,
                        "best_similarity": _num(best_sim),
                    },
                    evidence_text=(
                        f"Cosine similarity of the team's and {partner.name}'s expertise profiles "
                        f"{sim:.2f} (threshold {min_match:.2f}); best match {label(best)} at "
                        f"{best_sim:.2f}."
                    ),
                    recommendation=(
                        f"Choose a partner whose expertise matches the team's, such as "
                        f"{label(best)}, or plan how the gap will be bridged."
                    ),
                    principle="expertise_match",
                    departments=(selected,),
                )
            )
    return out


def _rights_findings(scenario: Scenario) -> list[Finding]:
    out: list[Finding] = []
    if not scenario.decisions:
        return out
    rights = decision_rights(scenario)
    elsewhere = [
        d
        for d in rights.learning_defining
        if rights.accountable[d]
        and not all(
            scenario.department(a).function in LEARNING_FUNCTIONS for a in rights.accountable[d]
        )
    ]
    names = dict(zip(rights.decisions, rights.decision_names, strict=True))
    if elsewhere:
        holders = sorted({a for d in elsewhere for a in rights.accountable[d]})
        out.append(
            Finding(
                code="LEARNING_DECISIONS_ELSEWHERE",
                severity="warning",
                title=(
                    f"{len(elsewhere)} learning-defining decision"
                    f"{'s are' if len(elsewhere) != 1 else ' is'} Accountable outside learning"
                ),
                evidence={
                    "decisions": len(elsewhere),
                    "learning_defining": len(rights.learning_defining),
                    "learning_accountable_fraction": _num(rights.learning_accountable_fraction),
                },
                evidence_text="; ".join(
                    f"{names[d]}: Accountable {_names(scenario, rights.accountable[d])}"
                    for d in elsewhere
                ),
                recommendation=(
                    "Make L&D (or HR) Accountable for these decisions and keep "
                    f"{_names(scenario, holders)} Responsible or Consulted."
                ),
                principle="learning_drives",
                departments=tuple(holders),
            )
        )
    no_a = [d for d in rights.decisions if len(rights.accountable[d]) != 1]
    no_r = [d for d in rights.decisions if not rights.responsible[d]]
    if no_a or no_r:
        parts = []
        if no_a:
            parts.append("Accountable missing or shared: " + ", ".join(names[d] for d in no_a))
        if no_r:
            parts.append("no Responsible: " + ", ".join(names[d] for d in no_r))
        out.append(
            Finding(
                code="DECISION_RIGHTS_GAPS",
                severity="warning" if no_a else "info",
                title=(
                    f"Decision-rights gaps in {len(set(no_a) | set(no_r))} of "
                    f"{len(rights.decisions)} decisions"
                ),
                evidence={"no_single_accountable": len(no_a), "no_responsible": len(no_r)},
                evidence_text="; ".join(parts) + ".",
                recommendation=(
                    "Give every decision exactly one Accountable and at least one Responsible "
                    "department (RACI)."
                ),
                principle="dog_wags_tail",
            )
        )
    return out
