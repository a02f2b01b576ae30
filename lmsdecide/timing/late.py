"""Cost of late engagement: which concerns surface late, what they cost, and by whom.

A concern due in phase p surfaces in phase q = max(p, e), e the phase in which its department is
first engaged (after the last phase, index K, when it is never engaged; partner concerns surface in
a fixed phase, see :mod:`lmsdecide.timing.inputs`). It then costs f_q / f_p of its base effort
instead of 1 (Stecklein et al. 2004 factors, log-uniform within each phase's range):

    expected cost     = effort * E[f_q / f_p]
    expected rework   = effort * (E[f_q / f_p] - 1)        (person-weeks; 0 when on time)
    expected delay    = expected rework / rework_capacity  (weeks; only when q <= launch phase)

Rework that surfaces after go-live (a department never engaged, or engaged only in a post-launch
phase) costs effort but does not delay go-live: the system is already live; it is fixed in
operation. The base effort of on-time concerns is part of the phases' three-point durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lmsdecide.params import FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing.escalation import expected_multiplier, log_uniform_mean
from lmsdecide.timing.inputs import (
    INTEGRATOR_SETUP_EFFORT,
    PARTNER_EFFECTS,
    PARTNER_PARAMS,
    RESELLER_INTEGRATION_EFFORT,
    SPECIALIST_EMBED_FACTOR,
    TimingInputs,
    timing_inputs,
)
from lmsdecide.timing.pert import pert_mean

__all__ = [
    "LATE_PARAMS",
    "REWORK_CAPACITY",
    "LateEngagement",
    "concern_expected_multiplier",
    "late_engagement",
]

REWORK_CAPACITY = FloatParam(
    name="rework_capacity",
    label="Rework capacity",
    default=4.0,
    min=0.5,
    max=50.0,
    step=0.5,
    unit="FTE",
    help="People who can work on rework before go-live: rework effort (person-weeks) surfacing "
    "before go-live delays it by effort / capacity weeks. Smaller teams slip more.",
    group="Schedule",
)

LATE_PARAMS = ParamSet((REWORK_CAPACITY,)) + PARTNER_PARAMS


def concern_expected_multiplier(
    inputs: TimingInputs, surface: NDArray[np.int64]
) -> NDArray[np.float64]:
    """E[f_q / f_p] for every concern given the phase it surfaces in (1 when on time)."""
    lo, hi = inputs.esc_low, inputs.esc_high
    return expected_multiplier(lo[inputs.due], hi[inputs.due], lo[surface], hi[surface])


@dataclass(frozen=True, eq=False)
class LateEngagement(ArrayEq):
    """What late engagement costs, per concern and per department.

    Attributes
    ----------
    concerns
        One row per concern: ``department`` (id, or the partner id for a partner concern),
        ``function``, ``concern``, ``due``/``due_index``, ``engaged`` (phase id or ``never``),
        ``surfaces``/``surfaces_index`` (``after_launch`` when never engaged), ``late``,
        ``post_launch``, ``multiplier`` (expected), ``effort``, ``expected_cost``,
        ``expected_rework`` (person-weeks), ``expected_delay`` (weeks of go-live delay).
    departments
        One row per department (and one for the partner when it adds concerns): ``department``,
        ``name``, ``function``, ``engaged``, ``engaged_index``, ``earliest_due`` (phase id or
        ``""``), ``n_concerns``, ``n_late``, ``effort``, ``expected_rework``, ``expected_delay``.
    phases
        One row per phase: ``phase``, ``name``, ``index``, ``start`` and ``mean_duration`` (PERT
        means, weeks), ``optimistic``, ``likely``, ``pessimistic``, ``escalation_low``,
        ``escalation_high`` (effective), ``escalation_mean``, ``post_launch``.
    expected_rework
        Total expected rework, person-weeks (before and after go-live).
    expected_delay
        Expected go-live delay from rework, weeks.
    """

    scenario_name: str
    concerns: pd.DataFrame
    departments: pd.DataFrame
    phases: pd.DataFrame
    expected_rework: float
    expected_delay: float
    launch_index: int
    launch_phase: str
    partner_type: str | None
    partner_notes: tuple[str, ...]
    assumptions: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """The per-concern table (a copy)."""
        return self.concerns.copy()


def phase_table(inputs: TimingInputs) -> pd.DataFrame:
    """Per-phase table of PERT means, starts and effective escalation (used by figures)."""
    mean = np.asarray(pert_mean(inputs.optimistic, inputs.likely, inputs.pessimistic), float)
    k = inputs.n_phases
    return pd.DataFrame(
        {
            "phase": list(inputs.phase_ids),
            "name": list(inputs.phase_names),
            "index": np.arange(k),
            "start": np.concatenate([[0.0], np.cumsum(mean)[:-1]]),
            "mean_duration": mean,
            "optimistic": np.asarray(inputs.optimistic),
            "likely": np.asarray(inputs.likely),
            "pessimistic": np.asarray(inputs.pessimistic),
            "escalation_low": inputs.esc_low[:k],
            "escalation_high": inputs.esc_high[:k],
            "escalation_mean": log_uniform_mean(inputs.esc_low[:k], inputs.esc_high[:k]),
            "post_launch": np.arange(k) > inputs.launch_index,
        }
    )


def late_engagement_from_inputs(
    inputs: TimingInputs,
    engagement: NDArray[np.int64] | None = None,
    *,
    rework_capacity: float = REWORK_CAPACITY.default,
    assumptions: dict[str, Any] | None = None,
) -> LateEngagement:
    """:func:`late_engagement` on already-flattened inputs (and an optional engagement vector)."""
    eng = inputs.engagement if engagement is None else np.asarray(engagement, dtype=np.int64)
    surface = inputs.surface(eng)
    mult = concern_expected_multiplier(inputs, surface)
    rework = inputs.effort * (mult - 1.0)
    pre = surface <= inputs.launch_index
    delay = np.where(pre, rework / rework_capacity, 0.0)
    k = inputs.n_phases

    def label(i: int) -> str:
        return NEVER if i >= k else inputs.phase_ids[i]

    engaged = [label(int(eng[d])) if d >= 0 else "partner" for d in inputs.concern_dept]
    concerns = pd.DataFrame(
        {
            "department": list(inputs.concern_owner),
            "function": list(inputs.concern_function),
            "concern": list(inputs.concern_names),
            "due": [inputs.phase_ids[i] for i in inputs.due],
            "due_index": np.asarray(inputs.due),
            "engaged": engaged,
            "surfaces": [inputs.phase_label(int(i)) for i in surface],
            "surfaces_index": surface,
            "late": surface > inputs.due,
            "post_launch": ~pre,
            "multiplier": mult,
            "effort": np.asarray(inputs.effort),
            "expected_cost": inputs.effort * mult,
            "expected_rework": rework,
            "expected_delay": delay,
        }
    )
    rows = []
    owners = list(inputs.dept_ids)
    partner_rows = inputs.concern_dept < 0
    if partner_rows.any() and inputs.partner_id is not None:
        owners.append(inputs.partner_id)
    for j, owner in enumerate(owners):
        is_partner = j >= len(inputs.dept_ids)
        mask = partner_rows if is_partner else (inputs.concern_dept == j)
        due = inputs.due[mask]
        rows.append(
            {
                "department": owner,
                "name": f"Partner ({inputs.partner_type})" if is_partner else inputs.dept_names[j],
                "function": "vendor" if is_partner else inputs.dept_functions[j],
                "engaged": "partner" if is_partner else label(int(eng[j])),
                "engaged_index": -1 if is_partner else int(eng[j]),
                "earliest_due": inputs.phase_ids[int(due.min())] if due.size else "",
                "n_concerns": int(mask.sum()),
                "n_late": int((surface[mask] > due).sum()),
                "effort": float(inputs.effort[mask].sum()),
                "expected_rework": float(rework[mask].sum()),
                "expected_delay": float(delay[mask].sum()),
            }
        )
    return LateEngagement(
        scenario_name=inputs.scenario_name,
        concerns=concerns,
        departments=pd.DataFrame(rows),
        phases=phase_table(inputs),
        expected_rework=float(rework.sum()),
        expected_delay=float(delay.sum()),
        launch_index=inputs.launch_index,
        launch_phase=inputs.phase_ids[inputs.launch_index],
        partner_type=inputs.partner_type,
        partner_notes=inputs.partner_notes,
        assumptions=dict(assumptions or {"rework_capacity": rework_capacity}),
    )


@register_model(label="Cost of late engagement", area="timing", params=LATE_PARAMS)
def late_engagement(
    scenario: Scenario,
    *,
    rework_capacity: float = REWORK_CAPACITY.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> LateEngagement:
    """Expected rework from concerns that surface after their due phase.

    For each concern due in phase p that surfaces in q = max(p, engagement phase):
    expected rework = effort * (E[f_q/f_p] - 1) person-weeks, with
    E[f_q/f_p] = r0 (c - 1)/ln c, r0 = low_q/low_p, c = (high_q/low_q)/(high_p/low_p)
    (log-uniform escalation factors, Stecklein et al. 2004). Concerns surfacing at or before
    the launch phase delay go-live by rework / ``rework_capacity`` weeks.

    Parameters
    ----------
    scenario
        The project (phases with escalation ranges, engagement plan, concerns).
    rework_capacity
        FTE available for rework before go-live (illustrative).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects (:mod:`lmsdecide.timing.inputs`).

    Returns
    -------
    LateEngagement
    """
    values = LATE_PARAMS.validate(
        {
            "rework_capacity": rework_capacity,
            "partner_effects": partner_effects,
            "reseller_integration_effort": reseller_integration_effort,
            "integrator_setup_effort": integrator_setup_effort,
            "specialist_embed_factor": specialist_embed_factor,
        }
    )
    inputs = timing_inputs(
        scenario,
        partner_effects=partner_effects,
        reseller_integration_effort=reseller_integration_effort,
        integrator_setup_effort=integrator_setup_effort,
        specialist_embed_factor=specialist_embed_factor,
    )
    return late_engagement_from_inputs(inputs, rework_capacity=rework_capacity, assumptions=values)
