"""The recommended engagement plan: when each department should come in.

Choose the engagement phase e_d of every department d (a phase 0..K-1, or never) to minimise

    sum_d [ R_d(e_d) + w * meetings(e_d) ],
    R_d(e)        = sum over d's concerns j of effort_j (E[f_{max(p_j, e)} / f_{p_j}] - 1)
    meetings(e)   = L - e + 1 for e <= L (phases of project meetings up to go-live), 0 otherwise

with w = ``meeting_effort`` (person-weeks per department and phase) and L the launch phase.
A concern's rework depends only on its own department's engagement, so the objective is a sum
of one term per department: the problem separates, and minimising each department's term over
its K + 1 options gives the exact optimum in O(D (K + 1) C) time, not (K + 1)^D. Ties keep the
scenario's own phase when it is among the minimisers, otherwise the latest phase (least meeting
effort). By default (``allow_later`` false) a department's options are its current phase
and the earlier ones: the plan brings people in earlier, it never drops anyone; the constraint is
per department, so the problem still separates. Partner concerns
(:mod:`lmsdecide.timing.inputs`) do not depend on engagement and are left out of the
optimisation (they are the same under every plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lmsdecide.params import BoolParam, FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing.escalation import expected_multiplier
from lmsdecide.timing.inputs import (
    INTEGRATOR_SETUP_EFFORT,
    PARTNER_EFFECTS,
    PARTNER_PARAMS,
    RESELLER_INTEGRATION_EFFORT,
    SPECIALIST_EMBED_FACTOR,
    TimingInputs,
    timing_inputs,
)
from lmsdecide.timing.late import REWORK_CAPACITY
from lmsdecide.timing.schedule import DRAWS, PlanComparison, compare_plans

__all__ = ["MEETING_EFFORT", "PLAN_PARAMS", "RecommendedPlan", "option_costs", "recommend_plan"]

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
    group="Recommended plan",
)

ALLOW_LATER = BoolParam(
    name="allow_later",
    label="May recommend engaging a department later",
    default=False,
    help="Off: the plan only brings departments in earlier than the scenario does (never drops "
    "or delays anyone to save meeting effort). On: any phase, or never, may be recommended.",
    source="modelling choice",
    group="Recommended plan",
)

PLAN_PARAMS = ParamSet((MEETING_EFFORT, ALLOW_LATER, DRAWS, REWORK_CAPACITY)) + PARTNER_PARAMS


def option_costs(
    inputs: TimingInputs, meeting_effort: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Expected rework, meeting effort and pre-launch rework for every department and option.

    Returns three ``(D, K + 1)`` arrays (person-weeks): option e < K engages in phase e, option
    K is never.
    """
    k = inputs.n_phases
    n_dept = len(inputs.dept_ids)
    options = np.arange(k + 1)
    own = inputs.concern_dept >= 0
    dept = inputs.concern_dept[own]
    due = inputs.due[own]
    effort = inputs.effort[own]
    surface = np.maximum(due[:, None], options[None, :])  # (C, K + 1)
    lo, hi = inputs.esc_low, inputs.esc_high
    mult = expected_multiplier(lo[due][:, None], hi[due][:, None], lo[surface], hi[surface])
    rework_c = effort[:, None] * (mult - 1.0)
    pre_c = np.where(surface <= inputs.launch_index, rework_c, 0.0)
    rework = np.zeros((n_dept, k + 1))
    pre = np.zeros((n_dept, k + 1))
    np.add.at(rework, dept, rework_c)
    np.add.at(pre, dept, pre_c)
    meetings = np.where(options <= inputs.launch_index, inputs.launch_index - options + 1, 0)
    meeting = np.broadcast_to(meeting_effort * meetings.astype(float), (n_dept, k + 1)).copy()
    return rework, meeting, pre


@dataclass(frozen=True, eq=False)
class RecommendedPlan(ArrayEq):
    """The engagement plan minimising expected rework plus engagement effort.

    Attributes
    ----------
    phase_ids
        The scenario's phases in order (the options, with ``"never"``).
    current, recommended
        Department id -> phase id or ``"never"``.
    table
        One row per department: ``department``, ``name``, ``function``, ``current``,
        ``recommended``, ``rework_current``, ``rework_recommended``, ``meeting_current``,
        ``meeting_recommended`` (person-weeks), ``saving`` (person-weeks), ``changed``.
    rework_saving, meeting_change, effort_saving
        Person-weeks: expected rework avoided, extra meeting effort, net saving.
    delay_saving
        Expected go-live delay avoided, weeks (pre-launch rework / capacity).
    p50_current, p80_current, p50_recommended, p80_recommended, on_time_current,
    on_time_recommended
        From the same Monte Carlo draws (common random numbers).
    comparison
        The full :class:`PlanComparison` (A = current, B = recommended).
    """

    scenario_name: str
    phase_ids: tuple[str, ...]
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
    comparison: PlanComparison
    assumptions: dict[str, Any]

    @property
    def p50_saving(self) -> float:
        """P50(current) - P50(recommended), weeks."""
        return self.p50_current - self.p50_recommended

    def to_frame(self) -> pd.DataFrame:
        """The per-department table (a copy)."""
        return self.table.copy()


@register_model(label="Recommended engagement plan", area="timing", params=PLAN_PARAMS)
def recommend_plan(
    scenario: Scenario,
    *,
    meeting_effort: float = MEETING_EFFORT.default,
    allow_later: bool = ALLOW_LATER.default,
    n: int = DRAWS.default,
    rework_capacity: float = REWORK_CAPACITY.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
    seed: int | np.random.Generator | None = None,
) -> RecommendedPlan:
    """The exact cost-minimising engagement phase of every department, and what it saves.

    Minimises sum_d [R_d(e_d) + meeting_effort * meetings(e_d)] department by department (the
    objective separates; see the module docstring), then simulates both plans on common random
    numbers for their P50 and P80.

    Parameters
    ----------
    scenario
        The project and its current engagement plan.
    meeting_effort
        Person-weeks per department and phase of involvement before go-live (illustrative).
    allow_later
        When false (default) each department's options are restricted to its current phase or
        earlier: the plan only brings departments in earlier.
    n, seed
        Monte Carlo draws and seed for the P50/P80 comparison.
    rework_capacity
        FTE for rework before go-live (converts rework to weeks of delay).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects.

    Returns
    -------
    RecommendedPlan
    """
    values = PLAN_PARAMS.validate(
        {
            "meeting_effort": meeting_effort,
            "allow_later": allow_later,
            "n": n,
            "rework_capacity": rework_capacity,
            "partner_effects": partner_effects,
            "reseller_integration_effort": reseller_integration_effort,
            "integrator_setup_effort": integrator_setup_effort,
            "specialist_embed_factor": specialist_embed_factor,
        }
    )
    partner = {name: values[name] for name in PARTNER_PARAMS.names}
    inputs = timing_inputs(scenario, **partner)
    rework, meeting, pre = option_costs(inputs, meeting_effort)
    k = inputs.n_phases
    current = np.asarray(inputs.engagement)
    total = rework + meeting
    if not allow_later:  # options after the current phase are not allowed
        total = np.where(np.arange(k + 1)[None, :] > current[:, None], np.inf, total)
    rows = np.arange(len(inputs.dept_ids))
    best_value = total.min(axis=1, keepdims=True)
    is_best = np.isclose(total, best_value, rtol=1e-12, atol=1e-12)
    latest_best = k - np.argmax(is_best[:, ::-1], axis=1)
    recommended = np.where(is_best[rows, current], current, latest_best)

    def label(e: int) -> str:
        return NEVER if e >= k else inputs.phase_ids[e]

    cur_plan = {d: label(int(e)) for d, e in zip(inputs.dept_ids, current, strict=True)}
    rec_plan = {d: label(int(e)) for d, e in zip(inputs.dept_ids, recommended, strict=True)}
    table = pd.DataFrame(
        {
            "department": list(inputs.dept_ids),
            "name": list(inputs.dept_names),
            "function": list(inputs.dept_functions),
            "current": list(cur_plan.values()),
            "recommended": list(rec_plan.values()),
            "rework_current": rework[rows, current],
            "rework_recommended": rework[rows, recommended],
            "meeting_current": meeting[rows, current],
            "meeting_recommended": meeting[rows, recommended],
            "saving": (rework + meeting)[rows, current] - (rework + meeting)[rows, recommended],
            "changed": current != recommended,
        }
    )
    comparison = compare_plans(
        scenario,
        cur_plan,
        rec_plan,
        values["n"],
        seed,
        labels=("current plan", "recommended plan"),
        rework_capacity=rework_capacity,
        **partner,
    )
    rework_cur, rework_rec = (
        float(rework[rows, current].sum()),
        float(rework[rows, recommended].sum()),
    )
    meet_cur, meet_rec = (
        float(meeting[rows, current].sum()),
        float(meeting[rows, recommended].sum()),
    )
    delay_saving = float((pre[rows, current] - pre[rows, recommended]).sum() / rework_capacity)
    return RecommendedPlan(
        scenario_name=scenario.name,
        phase_ids=inputs.phase_ids,
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
        assumptions=values,
    )
