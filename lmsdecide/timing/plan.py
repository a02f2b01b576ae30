"""The recommended engagement plan, and whether a change of partner or of target beats it.

Every department's recommended phase comes from one rule (:mod:`lmsdecide.timing.rule`): the
latest phase with no expected rework, i.e. never later than its first concern is due, and never
later than the scenario's phase unless ``allow_later``; that minimises expected rework plus
engagement effort (meeting effort per department and phase) under the rule.

The plan is then simulated on common random numbers against the scenario's plan. When even the
recommended plan misses the launch target at P80, two further levers are weighed with the same
numbers: another partner (each partner's P50/P80 with the recommended plan, on the same draws,
:func:`~lmsdecide.timing.partners.partner_forecasts`) and a later launch target (the recommended
plan's P80, rounded up). The partner change is preferred when it brings P80 within the target, or
when it gains at least ``min_partner_gain`` weeks at P80 (rework the project avoids rather than
waits for); otherwise the later target. :attr:`RecommendedPlanResult.preference` says which and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lmsdecide._lazy import lazy_module
from lmsdecide.params import BoolParam, FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing._common import as_generator
from lmsdecide.timing.inputs import (
    INTEGRATOR_SETUP_EFFORT,
    PARTNER_EFFECTS,
    PARTNER_PARAMS,
    RESELLER_INTEGRATION_EFFORT,
    SPECIALIST_EMBED_FACTOR,
    timing_inputs,
)
from lmsdecide.timing.late import MAX_DELAY, PARALLEL_SHARE, REWORK_CAPACITY, REWORK_PARAMS
from lmsdecide.timing.partners import REWORK_RATE, partner_forecasts
from lmsdecide.timing.rule import option_costs, recommended_engagement
from lmsdecide.timing.schedule import (
    DRAWS,
    OVERRUN_PARAMS,
    OVERRUN_SIGMA,
    TAIL_MAX,
    TAIL_MIN,
    TAIL_PROBABILITY,
    PlanComparisonResult,
    compare_plans,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "MEETING_EFFORT",
    "PLAN_PARAMS",
    "RecommendedPlanResult",
    "option_costs",
    "recommend_plan",
]

MEETING_EFFORT = FloatParam(
    name="meeting_effort",
    label="Cost of engaging a department, per phase",
    default=0.1,
    min=0.0,
    max=5.0,
    step=0.05,
    unit="person-weeks per department-phase",
    help="Effort of keeping one department involved for one phase before go-live (meetings, "
    "reviews). Engaging earlier costs more of it; the plan weighs it against rework avoided.",
    source="illustrative",
    group="Recommended plan",
)

ALLOW_LATER = BoolParam(
    name="allow_later",
    label="May recommend engaging a department later",
    default=False,
    help="Off: the plan only brings departments in earlier than the scenario does (never drops "
    "or delays anyone). On: a department may be moved later, up to its first due phase (never, "
    "for one without concerns).",
    source="modelling choice",
    group="Recommended plan",
)
MIN_PARTNER_GAIN = FloatParam(
    name="min_partner_gain",
    label="Partner change preferred from a P80 gain of",
    default=2.0,
    min=0.0,
    max=52.0,
    step=0.5,
    unit="weeks",
    help="When no partner brings P80 within the target, a change of partner is still preferred "
    "to a later target if it gains at least this much at P80. Illustrative.",
    source="illustrative",
    group="Recommended plan",
)

PLAN_PARAMS = (
    ParamSet((MEETING_EFFORT, ALLOW_LATER, MIN_PARTNER_GAIN, REWORK_RATE, DRAWS))
    + REWORK_PARAMS
    + OVERRUN_PARAMS
    + PARTNER_PARAMS
)


@dataclass(frozen=True, eq=False)
class RecommendedPlanResult(ArrayEq):
    """The recommended engagement plan, what it saves, and the partner and target levers.

    Attributes
    ----------
    phase_ids
        The scenario's phases in order (the options, with ``"never"``).
    phase_names
        Their names, in the same order ("Needs analysis", ...), for figures and texts.
    current, recommended
        Department id -> phase id or ``"never"``.
    table
        One row per department: ``department``, ``name``, ``function``, ``current``,
        ``recommended``, ``earliest_due``, ``rework_current``, ``rework_recommended``,
        ``meeting_current``, ``meeting_recommended`` (person-weeks), ``saving``
        (person-weeks), ``changed``.
    rework_saving, meeting_change, effort_saving
        Person-weeks: expected rework avoided, extra meeting effort, net saving.
    delay_saving
        Expected go-live delay avoided, weeks (critical rework / capacity, before the cap).
    p50_current, p80_current, p50_recommended, p80_recommended, on_time_current,
    on_time_recommended
        From the same Monte Carlo draws (common random numbers).
    comparison
        The full :class:`PlanComparisonResult` (A = current, B = recommended).
    partners
        Each partner with the recommended plan (:func:`partner_forecasts`): promise, P50, P80,
        on-time probability, expected rework and its cost.
    target_alternative
        The launch target the recommended plan meets at P80 (its P80 rounded up), weeks.
    preferred
        ``"plan"`` (the plan meets the target), ``"partner"`` or ``"target"``.
    preferred_partner
        The partner id when ``preferred == "partner"``, else None.
    preference
        One sentence with the numbers: which lever and why.
    """

    scenario_name: str
    phase_ids: tuple[str, ...]
    phase_names: tuple[str, ...]
    current: dict[str, str]
    recommended: dict[str, str]
    table: pd.DataFrame
    rework_current: float
    rework_recommended: float
    meeting_current: float
    meeting_recommended: float
    rework_saving: float
    meeting_change: float
    effort_saving: float
    delay_saving: float
    p50_current: float
    p80_current: float
    p50_recommended: float
    p80_recommended: float
    on_time_current: float
    on_time_recommended: float
    comparison: PlanComparisonResult
    partners: pd.DataFrame
    target_alternative: float
    preferred: str
    preferred_partner: str | None
    preference: str
    assumptions: dict[str, Any]

    @property
    def p50_saving(self) -> float:
        """P50(current) - P50(recommended), weeks."""
        return self.p50_current - self.p50_recommended

    def to_frame(self) -> pd.DataFrame:
        """The per-department table (a copy)."""
        return self.table.copy()


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _levers(
    scenario: Scenario,
    partners: pd.DataFrame,
    p50: float,
    p80: float,
    on_time: float,
    rework: float,
    min_gain: float,
) -> tuple[float, str, str | None, str]:
    """The later target, the preferred lever, the preferred partner and the sentence."""
    target = float(scenario.launch_target)
    new_target = float(np.ceil(p80))
    plan_txt = (
        f"the recommended plan gives P50 {p50:.1f} and P80 {p80:.1f} weeks "
        f"({_pct(on_time)} on time for week {target:g})"
    )
    if p80 <= target:
        return new_target, "plan", None, f"Keep the partner and the target: {plan_txt}."
    others = partners[~partners["selected"]] if len(partners) else partners
    current_name = (
        scenario.partner(scenario.selected_partner).name if scenario.selected_partner else None
    )
    with_current = f" with {current_name}" if current_name else ""
    target_txt = (
        f"moving the target to week {new_target:.0f} would meet it at P80 and keep "
        f"{rework:.1f} person-weeks of expected rework"
    )
    if len(others):
        best = others.sort_values(["p80", "p50"], kind="stable").iloc[0]
        gain = p80 - float(best["p80"])
        if float(best["p80"]) <= target or gain >= min_gain:
            why = (
                "within the target"
                if float(best["p80"]) <= target
                else f"{gain:.1f} weeks earlier at P80"
            )
            return (
                new_target,
                "partner",
                str(best["partner"]),
                f"Prefer changing the partner to {best['name']}: with the recommended plan it "
                f"gives P50 {best['p50']:.1f} and P80 {best['p80']:.1f} weeks "
                f"({_pct(float(best['on_time_probability']))} on time, {why}) and "
                f"{best['expected_rework']:.1f} person-weeks of expected rework, against P50 "
                f"{p50:.1f} and P80 {p80:.1f}{with_current}; {target_txt}.",
            )
        return (
            new_target,
            "target",
            None,
            f"Prefer moving the launch target to week {new_target:.0f}: {plan_txt}{with_current}, "
            f"and the best other partner, {best['name']}, gains only {gain:.1f} weeks at P80 "
            f"(P80 {best['p80']:.1f}).",
        )
    return (
        new_target,
        "target",
        None,
        f"Prefer moving the launch target to week {new_target:.0f}: {plan_txt}, and there is "
        "no other partner to weigh.",
    )


@register_model(label="Recommended engagement plan", area="timing", params=PLAN_PARAMS)
def recommend_plan(
    scenario: Scenario,
    *,
    meeting_effort: float = MEETING_EFFORT.default,
    allow_later: bool = ALLOW_LATER.default,
    min_partner_gain: float = MIN_PARTNER_GAIN.default,
    rework_rate: float = REWORK_RATE.default,
    n: int = DRAWS.default,
    rework_capacity: float = REWORK_CAPACITY.default,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    overrun_sigma: float = OVERRUN_SIGMA.default,
    tail_probability: float = TAIL_PROBABILITY.default,
    tail_min: float = TAIL_MIN.default,
    tail_max: float = TAIL_MAX.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
    seed: int | np.random.Generator | None = None,
) -> RecommendedPlanResult:
    """Each department's recommended phase, what the plan saves, and the partner/target levers.

    Parameters
    ----------
    scenario
        The project and its current engagement plan.
    meeting_effort
        Person-weeks per department and phase of involvement before go-live (illustrative).
    allow_later
        When false (default) no department is moved later than the scenario has it.
    min_partner_gain
        Weeks of P80 a partner change must gain to be preferred when it does not meet the target.
    rework_rate
        Cost units per person-week of expected rework (partner table).
    n, seed
        Monte Carlo draws and seed for the P50/P80 comparisons (shared: common random numbers).
    rework_capacity, parallel_share, max_delay, overrun_sigma, tail_probability, tail_min, tail_max
        The schedule model's assumptions (:func:`~lmsdecide.timing.simulate_schedule`).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects.

    Returns
    -------
    RecommendedPlanResult
    """
    # checked and converted by register_model's wrapper: this is the record
    values = PLAN_PARAMS.values_from(locals())
    partner = {name: values[name] for name in PARTNER_PARAMS.names}
    model = {name: values[name] for name in (*REWORK_PARAMS.names, *OVERRUN_PARAMS.names)}
    inputs = timing_inputs(scenario, **partner)
    rework, meeting, critical = option_costs(inputs, meeting_effort, parallel_share)
    k = inputs.n_phases
    current = np.asarray(inputs.engagement)
    recommended = recommended_engagement(inputs, allow_later)
    rows = np.arange(len(inputs.dept_ids))

    def label(e: int) -> str:
        return NEVER if e >= k else inputs.phase_ids[e]

    due = np.full(len(rows), k)
    own = inputs.concern_dept >= 0
    np.minimum.at(due, inputs.concern_dept[own], inputs.due[own])
    cur_plan = {d: label(int(e)) for d, e in zip(inputs.dept_ids, current, strict=True)}
    rec_plan = {d: label(int(e)) for d, e in zip(inputs.dept_ids, recommended, strict=True)}
    table = pd.DataFrame(
        {
            "department": list(inputs.dept_ids),
            "name": list(inputs.dept_names),
            "function": list(inputs.dept_functions),
            "current": list(cur_plan.values()),
            "recommended": list(rec_plan.values()),
            "earliest_due": [inputs.phase_ids[i] if i < k else "" for i in due],
            "rework_current": rework[rows, current],
            "rework_recommended": rework[rows, recommended],
            "meeting_current": meeting[rows, current],
            "meeting_recommended": meeting[rows, recommended],
            "saving": (rework + meeting)[rows, current] - (rework + meeting)[rows, recommended],
            "changed": current != recommended,
        }
    )
    # one seed for both simulations, so the partner table shares the comparison's draws
    shared_seed = seed if isinstance(seed, int) else int(as_generator(seed).integers(2**62))
    comparison = compare_plans(
        scenario,
        cur_plan,
        rec_plan,
        values["n"],
        shared_seed,
        labels=("current plan", "recommended plan"),
        **model,
        **partner,
    )
    partners = partner_forecasts(
        scenario,
        rec_plan,
        values["n"],
        shared_seed,
        rework_rate=rework_rate,
        values=values,
    )
    rework_cur, rework_rec = (
        float(rework[rows, current].sum()),
        float(rework[rows, recommended].sum()),
    )
    meet_cur, meet_rec = (
        float(meeting[rows, current].sum()),
        float(meeting[rows, recommended].sum()),
    )
    selected = partners[partners["selected"]]
    rework_now = float(selected["expected_rework"].iloc[0]) if len(selected) else rework_rec
    target_alt, preferred, preferred_partner, sentence = _levers(
        scenario,
        partners,
        comparison.p50_b,
        comparison.p80_b,
        comparison.on_time_b,
        rework_now,
        min_partner_gain,
    )
    delay_saving = float(
        (critical[rows, current] - critical[rows, recommended]).sum() / rework_capacity
    )
    return RecommendedPlanResult(
        scenario_name=scenario.name,
        phase_ids=inputs.phase_ids,
        phase_names=inputs.phase_names,
        current=cur_plan,
        recommended=rec_plan,
        table=table,
        rework_current=rework_cur,
        rework_recommended=rework_rec,
        meeting_current=meet_cur,
        meeting_recommended=meet_rec,
        rework_saving=rework_cur - rework_rec,
        meeting_change=meet_rec - meet_cur,
        effort_saving=(rework_cur + meet_cur) - (rework_rec + meet_rec),
        delay_saving=delay_saving,
        p50_current=comparison.p50_a,
        p80_current=comparison.p80_a,
        p50_recommended=comparison.p50_b,
        p80_recommended=comparison.p80_b,
        on_time_current=comparison.on_time_a,
        on_time_recommended=comparison.on_time_b,
        comparison=comparison,
        partners=partners,
        target_alternative=target_alt,
        preferred=preferred,
        preferred_partner=preferred_partner,
        preference=sentence,
        assumptions=values,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
