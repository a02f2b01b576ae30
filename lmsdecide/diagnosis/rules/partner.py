"""Partner choice: whose weights pick the partner, its type, its expertise match, its odds."""

from __future__ import annotations

import numpy as np

from lmsdecide.diagnosis.context import Context, num, pct
from lmsdecide.diagnosis.findings import Evidence, Finding, make_finding
from lmsdecide.diagnosis.rules._base import rule
from lmsdecide.partner import rank_acceptability
from lmsdecide.scenario import Scenario
from lmsdecide.timing.partners import promise_gaps

__all__ = [
    "partner_not_learning",
    "partner_odds",
    "promise_below_forecast",
    "weak_expertise_match",
    "wrong_choice",
]


def _label(scenario: Scenario, pid: str | None) -> str:
    if pid is None:
        return "no partner"
    p = scenario.partner(pid)
    return f"{p.name} ({p.type})"


@rule("WRONG_CHOICE")
def wrong_choice(ctx: Context) -> list[Finding]:
    """The drivers' criteria weights pick another partner than learning's would."""
    scenario = ctx.scenario
    if not scenario.partners:
        return []
    whose = ctx.whose
    if not (whose.differs and whose.top_learning is not None):
        return []
    selected = scenario.selected_partner
    chosen = selected is not None and selected == whose.top_effective
    flip = (
        ""
        if whose.flip_share is None
        else f" once learning's share reaches {pct(whose.flip_share)}"
    )
    return [
        make_finding(
            "WRONG_CHOICE",
            severity="critical" if chosen else "warning",
            drivers=_label(scenario, whose.top_effective),
            learning=_label(scenario, whose.top_learning),
            evidence={
                "learning_share": num(whose.share),
                "top_drivers": whose.top_effective,
                "top_learning": whose.top_learning,
                "flip_share": None if whose.flip_share is None else num(whose.flip_share),
                "selected": selected,
            },
            evidence_text=whose.summary,
            recommendation=(
                f"Re-run the partner choice with learning's criteria weights; "
                f"{_label(scenario, whose.top_learning)} wins{flip}."
            ),
            departments=tuple(p for p in (whose.top_effective, whose.top_learning) if p),
        )
    ]


@rule("PARTNER_NOT_LEARNING")
def partner_not_learning(ctx: Context) -> list[Finding]:
    """The selected partner is not a learning specialist."""
    scenario = ctx.scenario
    selected = scenario.selected_partner
    if not scenario.partners or selected is None:
        return []
    partner = scenario.partner(selected)
    if partner.type == "learning-specialist":
        return []
    rows = ctx.late.departments
    extra = rows[rows["engaged"] == "partner"]
    rework = float(extra["expected_rework"].sum())
    delay = float(extra["expected_delay"].sum())
    best = ctx.ranking.top
    alt = (
        f"the best-ranked partner on learning's weights is {_label(scenario, best)}"
        if best and best != selected
        else "look for a learning-focused partner"
    )
    return [
        make_finding(
            "PARTNER_NOT_LEARNING",
            name=partner.name,
            type=partner.type,
            evidence={
                "partner_type": partner.type,
                "partner_rework": num(rework),
                "partner_delay": num(delay),
                "best_on_learning_weights": best,
            },
            evidence_text=(
                f"{partner.name} is a {partner.type}; the partner-type assumptions add "
                f"{rework:.1f} person-weeks of expected rework and {delay:.1f} weeks of "
                "go-live delay that no engagement plan removes."
            ),
            recommendation=f"Prefer a learning specialist: {alt}.",
            departments=(selected,),
        )
    ]


@rule("WEAK_EXPERTISE_MATCH")
def weak_expertise_match(ctx: Context) -> list[Finding]:
    """Cosine similarity of the team's and the selected partner's expertise is low."""
    scenario = ctx.scenario
    selected = scenario.selected_partner
    if not scenario.partners or selected is None:
        return []
    match = ctx.match
    if not (match.partner_ids and match.areas):
        return []
    threshold = ctx.values["min_expertise_match"]
    partner = scenario.partner(selected)
    sim = float(match.similarity[match.partner_ids.index(selected)])
    if sim >= threshold:
        return []
    best = match.best
    best_sim = float(match.similarity.max())
    return [
        make_finding(
            "WEAK_EXPERTISE_MATCH",
            name=partner.name,
            similarity=sim,
            evidence={
                "similarity": num(sim),
                "threshold": threshold,
                "best": best,
                "best_similarity": num(best_sim),
            },
            evidence_text=(
                f"Cosine similarity of the team's and {partner.name}'s expertise profiles "
                f"{sim:.2f} (threshold {threshold:.2f}); best match {_label(scenario, best)} at "
                f"{best_sim:.2f}."
            ),
            recommendation=(
                f"Choose a partner whose expertise matches the team's, such as "
                f"{_label(scenario, best)}, or plan how the gap will be bridged."
            ),
            departments=(selected,),
        )
    ]


#: Sobol draws behind the partner odds of the diagnosis (about ±0.01 on a first-rank odds).
ODDS_DRAWS = 4096


@rule("PARTNER_ODDS")
def partner_odds(ctx: Context) -> list[Finding]:
    """The selected partner's SMAA-2 first-rank odds against the best odds.

    With the partners' ``score_ranges`` and the criteria's ``weight_range``
    (:func:`~lmsdecide.partner.rank_acceptability`), warns when another partner ranks first in
    most draws and the selected one in under half, and informs when no partner ranks first in
    60% of draws.
    """
    scenario = ctx.scenario
    if not scenario.partners or not scenario.criteria:
        return []
    odds = rank_acceptability(scenario, n=ODDS_DRAWS, seed=0 if ctx.seed is None else ctx.seed)
    first = odds.first_rank
    best = str(first.idxmax())
    best_p = float(first[best])
    selected = scenario.selected_partner
    sel_p = (
        float(first[selected]) if selected is not None and selected in first.index else float("nan")
    )
    names = {p.id: p.name for p in scenario.partners}
    evidence: Evidence = {f"first_rank_{k}": num(v) for k, v in first.items()}
    evidence["selected"] = selected
    evidence["draws"] = ODDS_DRAWS
    text = odds.summary + (
        f" Confidence of {names[best]} at its central weights: {odds.confidence_of(best):.0%}."
    )
    if selected is not None and selected != best and best_p >= 0.5 and sel_p < 0.5:
        return [
            make_finding(
                "PARTNER_ODDS",
                severity="warning",
                best=names[best],
                best_p=pct(best_p),
                selected=names[selected],
                selected_p=pct(sel_p),
                evidence=evidence,
                evidence_text=text,
                recommendation=(
                    f"Revisit the selection: with the scores and weights as uncertain as "
                    f"stated, {names[best]} is the likelier best choice. Narrow the uncertain "
                    "scores that matter most (value of information) before signing."
                ),
                departments=(best, selected),
            )
        ]
    if best_p < 0.6:
        return [
            make_finding(
                "PARTNER_ODDS",
                severity="info",
                best_p=pct(best_p),
                evidence=evidence,
                evidence_text=text,
                recommendation=(
                    "Before choosing, narrow the uncertain scores and agree the criteria "
                    "weights: the value-of-information analysis names the ones worth the time."
                ),
                departments=(best,),
            )
        ]
    return []


@rule("PROMISE_BELOW_FORECAST")
def promise_below_forecast(ctx: Context) -> list[Finding]:
    """The selected partner promises a go-live far earlier than the model forecasts with it."""
    plan = ctx.plan
    gaps = promise_gaps(plan.partners)
    out: list[Finding] = []
    for _, row in gaps[gaps["selected"]].iterrows():
        out.append(
            make_finding(
                "PROMISE_BELOW_FORECAST",
                name=row["name"],
                promised=float(row["promised_weeks"]),
                p50=float(row["p50"]),
                evidence={
                    "partner": str(row["partner"]),
                    "promised_weeks": num(row["promised_weeks"]),
                    "p50": num(row["p50"]),
                    "p80": num(row["p80"]),
                    "promise_gap": num(row["promise_gap"]),
                    "expected_rework": num(row["expected_rework"]),
                },
                evidence_text=(
                    f"Promise {row['promised_weeks']:g} weeks against P50 {row['p50']:.1f} and P80 "
                    f"{row['p80']:.1f} weeks with the recommended engagement plan "
                    f"({pct(float(row['promise_gap']))} below P50); expected rework "
                    f"{row['expected_rework']:.1f} person-weeks."
                ),
                recommendation=(
                    f"Score {row['name']} on the forecast, not the promise (the promise leaves "
                    f"out {row['expected_rework']:.1f} person-weeks of expected rework), ask it "
                    f"to show how its plan covers them, and plan for week "
                    f"{np.ceil(row['p80']):.0f} at P80. {plan.preference}"
                ),
                departments=(str(row["partner"]),),
            )
        )
    return out
