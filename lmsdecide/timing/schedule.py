"""Schedule risk: Monte Carlo completion time with rework from late concerns.

For draw i (all draws at once, vectorised; a seeded ``numpy.random.Generator``):

    D_ik ~ beta-PERT(a_k, m_k, b_k)                    phase durations (weeks)
    u_i  ~ U(0, 1)                                    escalation percentile of the project
    f_ik = low_k (high_k / low_k)^u_i                  escalation factor of phase k
    R_ij = effort_j (f_i,q_j / f_i,p_j - 1)            rework of concern j (person-weeks)
    completion_i = sum_{k <= L} D_ik + sum_{j: q_j <= L} R_ij / capacity

with L the launch phase (go-live at its end), p_j the due phase and q_j the surfacing phase of
concern j. Rework surfacing after go-live costs effort but does not move go-live. ``finish`` adds
the post-launch phases (embedding) to the go-live time.

Plan comparisons (:func:`compare_plans`) evaluate both plans on the same draws (common random
numbers), so the difference between plans carries only the plans' effect, not sampling noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lmsdecide.params import IntParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing._common import as_generator, frozen_array
from lmsdecide.timing.escalation import multiplier_draws
from lmsdecide.timing.inputs import (
    INTEGRATOR_SETUP_EFFORT,
    PARTNER_EFFECTS,
    PARTNER_PARAMS,
    RESELLER_INTEGRATION_EFFORT,
    SPECIALIST_EMBED_FACTOR,
    TimingInputs,
    engagement_vector,
    timing_inputs,
)
from lmsdecide.timing.late import REWORK_CAPACITY
from lmsdecide.timing.pert import pert_mean, pert_sample

__all__ = [
    "DRAWS",
    "SCHEDULE_PARAMS",
    "PlanComparison",
    "ScheduleRisk",
    "compare_plans",
    "simulate_schedule",
]

DRAWS = IntParam(
    name="n",
    label="Monte Carlo draws",
    default=10_000,
    min=100,
    max=2_000_000,
    step=1000,
    unit="draws",
    help="Number of simulated projects. 10,000 gives P50/P80 to within a few tenths of a week.",
    source="numerical setting",
    group="Simulation",
)

SCHEDULE_PARAMS = ParamSet((DRAWS, REWORK_CAPACITY)) + PARTNER_PARAMS


@dataclass(frozen=True)
class Draws:
    """The random numbers of one simulation, shared by every plan evaluated on it."""

    durations: NDArray[np.float64]  # (n, K) weeks
    u: NDArray[np.float64]  # (n,) escalation percentile


def draw(inputs: TimingInputs, n: int, rng: np.random.Generator) -> Draws:
    """Draw phase durations (beta-PERT) and escalation percentiles for ``n`` projects."""
    durations = pert_sample(
        inputs.optimistic, inputs.likely, inputs.pessimistic, size=(n, inputs.n_phases), rng=rng
    )
    return Draws(durations=durations, u=rng.random(n))


@dataclass(frozen=True)
class Evaluation:
    """One plan evaluated on a set of draws (arrays, one entry per draw)."""

    completion: NDArray[np.float64]
    finish: NDArray[np.float64]
    rework: NDArray[np.float64]  # person-weeks, all concerns
    delay: NDArray[np.float64]  # weeks of go-live delay
    late: NDArray[np.int64]  # indices of late concerns
    late_rework: NDArray[np.float64]  # (n, n_late) person-weeks
    surface: NDArray[np.int64]


def evaluate(
    inputs: TimingInputs,
    draws: Draws,
    engagement: NDArray[np.int64],
    rework_capacity: float,
    pre_launch_durations: NDArray[np.float64] | None = None,
) -> Evaluation:
    """Completion, rework and delay per draw for one engagement plan (no Python loop over draws)."""
    launch = inputs.launch_index
    surface = inputs.surface(engagement)
    late = np.flatnonzero(surface > inputs.due)
    k = inputs.n_phases
    if pre_launch_durations is None:
        pre_launch_durations = draws.durations[:, : launch + 1].sum(axis=1)
    total_durations = pre_launch_durations + draws.durations[:, launch + 1 : k].sum(axis=1)
    n = draws.u.shape[0]
    if late.size:
        lo, hi = inputs.esc_low, inputs.esc_high
        due, surf = inputs.due[late], surface[late]
        late_rework = multiplier_draws(lo[due], hi[due], lo[surf], hi[surf], draws.u)
        late_rework -= 1.0
        late_rework *= inputs.effort[late]
        rework = late_rework.sum(axis=1)
        pre = surf <= launch
        if pre.all():
            delay = rework / rework_capacity
        elif pre.any():
            delay = late_rework[:, pre].sum(axis=1) / rework_capacity
        else:
            delay = np.zeros(n)
    else:
        late_rework = np.zeros((n, 0))
        rework = np.zeros(n)
        delay = np.zeros(n)
    completion = pre_launch_durations + delay
    return Evaluation(
        completion=completion,
        finish=total_durations + delay,
        rework=rework,
        delay=delay,
        late=late,
        late_rework=late_rework,
        surface=surface,
    )


@dataclass(frozen=True, eq=False)
class ScheduleRisk(ArrayEq):
    """Completion-time distribution of a scenario's plan.

    Attributes
    ----------
    completion
        Go-live time of each simulated project, weeks from the start (read-only array).
    finish
        End of the last phase (go-live plus post-launch phases), weeks.
    rework
        Rework of each draw, person-weeks (all late concerns, also after go-live).
    delay
        Go-live delay of each draw from rework, weeks.
    p50, p80, mean
        Percentiles and mean of ``completion``, weeks.
    on_time_probability
        Share of draws with completion <= ``launch_target``.
    planned
        Sum of the PERT means of the phases up to go-live: the plan with no rework, weeks.
    phases
        Per-phase contributions: ``phase``, ``name``, ``index``, ``mean_duration``,
        ``mean_rework`` (person-weeks surfacing in the phase), ``mean_delay`` (weeks),
        ``mean_total`` (duration + delay for phases up to go-live), ``post_launch``; a final row
        ``after_launch`` holds rework of concerns that surface after the last phase.
    tornado
        Per department: ``department``, ``function``, ``engaged``, ``engage_at`` (its concerns'
        earliest due phase), ``p50_change`` and ``mean_change`` (weeks; negative = earlier
        go-live) when that department alone is engaged at ``engage_at``; sorted, largest saving
        first.
    """

    scenario_name: str
    n: int
    seed: int | None
    completion: NDArray[np.float64]
    finish: NDArray[np.float64]
    rework: NDArray[np.float64]
    delay: NDArray[np.float64]
    p50: float
    p80: float
    mean: float
    on_time_probability: float
    launch_target: float
    planned: float
    phases: pd.DataFrame
    tornado: pd.DataFrame
    partner_notes: tuple[str, ...]
    assumptions: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: ``draw``, ``completion``, ``finish``, ``rework``, ``delay``."""
        return pd.DataFrame(
            {
                "draw": np.arange(self.n),
                "completion": self.completion,
                "finish": self.finish,
                "rework": self.rework,
                "delay": self.delay,
            }
        )


def _percentiles(x: NDArray[np.float64], axis: int = 0) -> tuple[Any, Any]:
    p50, p80 = np.percentile(x, [50.0, 80.0], axis=axis)
    return p50, p80


def _phase_contributions(
    inputs: TimingInputs, draws: Draws, ev: Evaluation, capacity: float
) -> pd.DataFrame:
    k = inputs.n_phases
    rework_by_phase = np.zeros(k + 1)
    if ev.late.size:
        np.add.at(rework_by_phase, ev.surface[ev.late], ev.late_rework.mean(axis=0))
    pre = np.arange(k + 1) <= inputs.launch_index
    delay = np.where(pre, rework_by_phase / capacity, 0.0)
    duration = np.append(draws.durations.mean(axis=0), 0.0)
    return pd.DataFrame(
        {
            "phase": [*inputs.phase_ids, "after_launch"],
            "name": [*inputs.phase_names, "After the last phase"],
            "index": np.arange(k + 1),
            "mean_duration": duration,
            "mean_rework": rework_by_phase,
            "mean_delay": delay,
            "mean_total": np.where(pre, duration + delay, 0.0),
            "post_launch": ~pre,
        }
    )


def _tornado(
    inputs: TimingInputs, ev: Evaluation, p50: float, mean: float, capacity: float
) -> pd.DataFrame:
    n_dept = len(inputs.dept_ids)
    p50_change = np.zeros(n_dept)
    mean_change = np.zeros(n_dept)
    if ev.late.size:
        pre = ev.surface[ev.late] <= inputs.launch_index
        owners = inputs.concern_dept[ev.late]
        # a loop over the few departments with late pre-launch concerns, not over draws
        for d in np.unique(owners[pre & (owners >= 0)]):
            columns = np.flatnonzero(pre & (owners == d))
            delay = ev.late_rework[:, columns].sum(axis=1) / capacity
            p50_change[d] = np.percentile(ev.completion - delay, 50.0) - p50
            mean_change[d] = -delay.mean()
    engage_at = []
    for d in range(n_dept):
        dues = inputs.due[inputs.concern_dept == d]
        engage_at.append(inputs.phase_ids[int(dues.min())] if dues.size else "")
    k = inputs.n_phases
    engaged = [NEVER if e >= k else inputs.phase_ids[e] for e in inputs.engagement]
    # sorted by p50 then mean change (stable), ordered before the frame is built: pandas'
    # sort_values on the string columns cost more than the rest of the tornado (bench_timing)
    order = np.lexsort((mean_change, p50_change)).tolist()
    return pd.DataFrame(
        {
            "department": [inputs.dept_ids[i] for i in order],
            "name": [inputs.dept_names[i] for i in order],
            "function": [inputs.dept_functions[i] for i in order],
            "engaged": [engaged[i] for i in order],
            "engage_at": [engage_at[i] for i in order],
            "p50_change": p50_change[order],
            "mean_change": mean_change[order],
        }
    )


def _partner_kwargs(**values: Any) -> dict[str, Any]:
    return {name: values[name] for name in PARTNER_PARAMS.names}


@register_model(label="Schedule risk (Monte Carlo)", area="timing", params=SCHEDULE_PARAMS)
def simulate_schedule(
    scenario: Scenario,
    n: int = DRAWS.default,
    seed: int | np.random.Generator | None = None,
    *,
    rework_capacity: float = REWORK_CAPACITY.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> ScheduleRisk:
    """Monte Carlo completion time of the scenario's engagement plan.

    completion = sum of beta-PERT phase durations up to the launch phase + rework surfacing up
    to go-live / ``rework_capacity``, with rework effort * (f_q/f_p - 1) per late concern and
    log-uniform escalation factors (see the module docstring). Vectorised over draws.

    Parameters
    ----------
    scenario
        The project.
    n
        Number of draws.
    seed
        Seed (or Generator) of the ``numpy.random.Generator``; the same seed gives the same draws.
    rework_capacity
        FTE available for rework before go-live (illustrative).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects (:mod:`lmsdecide.timing.inputs`).

    Returns
    -------
    ScheduleRisk
        ``completion`` (weeks per draw), ``p50``, ``p80``, ``on_time_probability`` against
        ``launch_target``, per-phase contributions and the department tornado.
    """
    values = SCHEDULE_PARAMS.validate(
        {
            "n": n,
            "rework_capacity": rework_capacity,
            "partner_effects": partner_effects,
            "reseller_integration_effort": reseller_integration_effort,
            "integrator_setup_effort": integrator_setup_effort,
            "specialist_embed_factor": specialist_embed_factor,
        }
    )
    rng = as_generator(seed)
    inputs = timing_inputs(scenario, **_partner_kwargs(**values))
    draws = draw(inputs, values["n"], rng)
    ev = evaluate(inputs, draws, np.asarray(inputs.engagement), rework_capacity)
    p50, p80 = _percentiles(ev.completion)
    mean = float(ev.completion.mean())
    means = np.asarray(pert_mean(inputs.optimistic, inputs.likely, inputs.pessimistic))
    planned = float(means[: inputs.launch_index + 1].sum())
    return ScheduleRisk(
        scenario_name=scenario.name,
        n=values["n"],
        seed=seed if isinstance(seed, int) else None,
        completion=frozen_array(ev.completion),
        finish=frozen_array(ev.finish),
        rework=frozen_array(ev.rework),
        delay=frozen_array(ev.delay),
        p50=float(p50),
        p80=float(p80),
        mean=mean,
        on_time_probability=float(np.mean(ev.completion <= inputs.launch_target)),
        launch_target=inputs.launch_target,
        planned=planned,
        phases=_phase_contributions(inputs, draws, ev, rework_capacity),
        tornado=_tornado(inputs, ev, float(p50), mean, rework_capacity),
        partner_notes=inputs.partner_notes,
        assumptions=values,
    )


@dataclass(frozen=True, eq=False)
class PlanComparison(ArrayEq):
    """Two engagement plans on the same draws (common random numbers).

    ``difference`` = completion_a - completion_b per draw (weeks; positive: A launches later).
    """

    labels: tuple[str, str]
    engagement_a: dict[str, str]
    engagement_b: dict[str, str]
    completion_a: NDArray[np.float64]
    completion_b: NDArray[np.float64]
    rework_a: NDArray[np.float64]
    rework_b: NDArray[np.float64]
    p50_a: float
    p50_b: float
    p80_a: float
    p80_b: float
    on_time_a: float
    on_time_b: float
    launch_target: float
    mean_difference: float
    difference_se: float
    n: int

    @property
    def difference(self) -> NDArray[np.float64]:
        """completion_a - completion_b per draw, weeks."""
        return self.completion_a - self.completion_b

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per draw and plan (``draw``, ``plan``, ``completion``, ``rework``)."""
        idx = np.arange(self.n)
        return pd.DataFrame(
            {
                "draw": np.concatenate([idx, idx]),
                "plan": [self.labels[0]] * self.n + [self.labels[1]] * self.n,
                "completion": np.concatenate([self.completion_a, self.completion_b]),
                "rework": np.concatenate([self.rework_a, self.rework_b]),
            }
        )


def _plan_dict(inputs: TimingInputs, eng: NDArray[np.int64]) -> dict[str, str]:
    k = inputs.n_phases
    return {
        d: (NEVER if e >= k else inputs.phase_ids[e])
        for d, e in zip(inputs.dept_ids, eng, strict=True)
    }


def compare_engagements(
    inputs: TimingInputs,
    plans: Sequence[NDArray[np.int64]],
    n: int,
    seed: int | np.random.Generator | None,
    rework_capacity: float,
) -> list[Evaluation]:
    """Evaluate several engagement vectors on one set of draws (common random numbers)."""
    draws = draw(inputs, n, as_generator(seed))
    pre = draws.durations[:, : inputs.launch_index + 1].sum(axis=1)
    return [evaluate(inputs, draws, np.asarray(p), rework_capacity, pre) for p in plans]


def compare_plans(
    scenario: Scenario,
    engagement_a: Mapping[str, str] | None = None,
    engagement_b: Mapping[str, str] | None = None,
    n: int = DRAWS.default,
    seed: int | np.random.Generator | None = None,
    *,
    labels: tuple[str, str] = ("plan A", "plan B"),
    rework_capacity: float = REWORK_CAPACITY.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> PlanComparison:
    """Completion of two engagement plans on the same draws (common random numbers).

    Parameters
    ----------
    engagement_a, engagement_b
        Department id -> phase id or ``"never"``, overriding the scenario's plan (``None``: the
        scenario's own plan). Departments not named keep the scenario's phase.
    n, seed
        Draws and seed, shared by both plans.

    Returns
    -------
    PlanComparison
        With ``mean_difference`` (A - B, weeks) and its standard error over draws.
    """
    values = SCHEDULE_PARAMS.validate(
        {
            "n": n,
            "rework_capacity": rework_capacity,
            "partner_effects": partner_effects,
            "reseller_integration_effort": reseller_integration_effort,
            "integrator_setup_effort": integrator_setup_effort,
            "specialist_embed_factor": specialist_embed_factor,
        }
    )
    inputs = timing_inputs(scenario, **_partner_kwargs(**values))
    eng_a = engagement_vector(inputs, engagement_a)
    eng_b = engagement_vector(inputs, engagement_b)
    ev_a, ev_b = compare_engagements(inputs, [eng_a, eng_b], values["n"], seed, rework_capacity)
    diff = ev_a.completion - ev_b.completion
    p50_a, p80_a = _percentiles(ev_a.completion)
    p50_b, p80_b = _percentiles(ev_b.completion)
    target = inputs.launch_target
    return PlanComparison(
        labels=(str(labels[0]), str(labels[1])),
        engagement_a=_plan_dict(inputs, eng_a),
        engagement_b=_plan_dict(inputs, eng_b),
        completion_a=frozen_array(ev_a.completion),
        completion_b=frozen_array(ev_b.completion),
        rework_a=frozen_array(ev_a.rework),
        rework_b=frozen_array(ev_b.rework),
        p50_a=float(p50_a),
        p50_b=float(p50_b),
        p80_a=float(p80_a),
        p80_b=float(p80_b),
        on_time_a=float(np.mean(ev_a.completion <= target)),
        on_time_b=float(np.mean(ev_b.completion <= target)),
        launch_target=target,
        mean_difference=float(diff.mean()),
        difference_se=float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0,
        n=values["n"],
    )
