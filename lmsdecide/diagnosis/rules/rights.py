"""Decision rights (RACI): learning-defining decisions held elsewhere, gaps."""

from __future__ import annotations

from lmsdecide.diagnosis.context import Context, names, num
from lmsdecide.diagnosis.findings import Finding, make_finding
from lmsdecide.diagnosis.rules._base import rule
from lmsdecide.scenario import LEARNING_FUNCTIONS

__all__ = ["decision_rights_gaps", "learning_decisions_elsewhere"]


@rule("LEARNING_DECISIONS_ELSEWHERE")
def learning_decisions_elsewhere(ctx: Context) -> list[Finding]:
    """A learning-defining decision is Accountable outside learning (L&D, HR)."""
    scenario = ctx.scenario
    if not scenario.decisions:
        return []
    rights = ctx.rights
    elsewhere = [
        d
        for d in rights.learning_defining
        if rights.accountable[d]
        and not all(
            scenario.department(a).function in LEARNING_FUNCTIONS for a in rights.accountable[d]
        )
    ]
    if not elsewhere:
        return []
    titles = dict(zip(rights.decisions, rights.decision_names, strict=True))
    holders = sorted({a for d in elsewhere for a in rights.accountable[d]})
    return [
        make_finding(
            "LEARNING_DECISIONS_ELSEWHERE",
            count=len(elsewhere),
            decisions="decisions are" if len(elsewhere) != 1 else "decision is",
            evidence={
                "decisions": len(elsewhere),
                "learning_defining": len(rights.learning_defining),
                "learning_accountable_fraction": num(rights.learning_accountable_fraction),
            },
            evidence_text="; ".join(
                f"{titles[d]}: Accountable {names(scenario, rights.accountable[d])}"
                for d in elsewhere
            ),
            recommendation=(
                "Make L&D (or HR) Accountable for these decisions and keep "
                f"{names(scenario, holders)} Responsible or Consulted."
            ),
            departments=tuple(holders),
        )
    ]


@rule("DECISION_RIGHTS_GAPS")
def decision_rights_gaps(ctx: Context) -> list[Finding]:
    """A decision without exactly one Accountable, or without a Responsible."""
    if not ctx.scenario.decisions:
        return []
    rights = ctx.rights
    titles = dict(zip(rights.decisions, rights.decision_names, strict=True))
    no_a = [d for d in rights.decisions if len(rights.accountable[d]) != 1]
    no_r = [d for d in rights.decisions if not rights.responsible[d]]
    if not (no_a or no_r):
        return []
    parts = []
    if no_a:
        parts.append("Accountable missing or shared: " + ", ".join(titles[d] for d in no_a))
    if no_r:
        parts.append("no Responsible: " + ", ".join(titles[d] for d in no_r))
    return [
        make_finding(
            "DECISION_RIGHTS_GAPS",
            severity="warning" if no_a else "info",
            gaps=len(set(no_a) | set(no_r)),
            total=len(rights.decisions),
            evidence={"no_single_accountable": len(no_a), "no_responsible": len(no_r)},
            evidence_text="; ".join(parts) + ".",
            recommendation=(
                "Give every decision exactly one Accountable and at least one Responsible "
                "department (RACI)."
            ),
        )
    ]
