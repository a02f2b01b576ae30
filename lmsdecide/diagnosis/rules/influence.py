"""Who drives: learning not driving, IT leading."""

from __future__ import annotations

from lmsdecide.diagnosis.context import Context, num, pct
from lmsdecide.diagnosis.findings import Finding, make_finding
from lmsdecide.diagnosis.rules._base import rule
from lmsdecide.influence import combined_levers, what_it_would_take

__all__ = ["it_leads", "learning_not_driving"]


@rule("LEARNING_NOT_DRIVING")
def learning_not_driving(ctx: Context) -> list[Finding]:
    """Learning's share of the final decision (aᵀV) is below the threshold."""
    drive, scenario = ctx.drive, ctx.scenario
    if drive.learning_driven:
        return []
    threshold = ctx.values["learning_threshold"]
    top = scenario.department(drive.top_driver)
    top_share = float(drive.share.max())
    target = min(max(threshold, 0.01), 0.99)
    lever = what_it_would_take(scenario, target=target)
    # the cheapest combination of levers that would make learning drive
    combo = combined_levers(scenario, target=target)
    return [
        make_finding(
            "LEARNING_NOT_DRIVING",
            share=pct(drive.learning_share),
            evidence={
                "learning_share": num(drive.learning_share),
                "threshold": threshold,
                "top_driver": drive.top_driver,
                "top_driver_share": num(top_share),
                "group_position": num(drive.group_position),
            },
            evidence_text=(
                f"L&D and HR determine {pct(drive.learning_share)} of the final decision "
                f"(threshold {pct(threshold)}); {top.name} determines {pct(top_share)}; "
                f"the group ends at {drive.group_position:+.2f} on the −1 (technology-led) "
                f"to +1 (learning-led) scale."
            ),
            recommendation=(
                "Make learning accountable for the learning-defining decisions and give it "
                f"the project lead. The influence model: {lever.note} {combo.note}"
            ),
            departments=(drive.top_driver,),
        )
    ]


@rule("IT_LEADS")
def it_leads(ctx: Context) -> list[Finding]:
    """The top driver is an IT department."""
    drive, scenario = ctx.drive, ctx.scenario
    top = scenario.department(drive.top_driver)
    if top.function != "it":
        return []
    rights = ctx.rights
    top_share = float(drive.share.max())
    it_share = drive.share_by_function["it"]
    held = [
        d
        for d in rights.learning_defining
        if any(scenario.department(a).function == "it" for a in rights.accountable[d])
    ]
    return [
        make_finding(
            "IT_LEADS",
            name=top.name,
            share=pct(top_share),
            evidence={
                "it_share": num(it_share),
                "learning_share": num(drive.learning_share),
                "learning_decisions_accountable_to_it": len(held),
            },
            evidence_text=(
                f"IT determines {pct(it_share)} of the final decision against "
                f"{pct(drive.learning_share)} for L&D and HR; IT is Accountable for "
                f"{len(held)} of {len(rights.learning_defining)} learning-defining decisions."
            ),
            recommendation=(
                "Lead the project out of learning: L&D Accountable for learning needs, "
                "requirements and the partner choice; IT Responsible for architecture, "
                "integration and security, engaged from the start."
            ),
            departments=(top.id,),
        )
    ]
