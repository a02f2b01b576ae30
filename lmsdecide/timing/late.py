"""Cost of late engagement: which concerns surface late, what they cost, and by whom.

A concern due in phase p surfaces in phase q = max(p, e), e the phase in which its department is
first engaged (after the last phase, index K, when it is never engaged); a concern that blocks
go-live is found in the launch phase L at the latest (q = min(q, L) when p <= L); partner concerns
surface in a fixed phase (:mod:`lmsdecide.timing.inputs`). Surfacing k = q - p phases late, it
costs m = min(cap, g**k) times its effort, g its kind's growth per phase of lateness
(:mod:`lmsdecide.timing.escalation`):

    expected cost     = effort * E[m]
    expected rework   = effort * (E[m] - 1)                     person-weeks, 0 when on time

How rework becomes delay (declared parameters, :data:`REWORK_PARAMS`):

* surfacing before the launch phase: reworked during the project; a share ``parallel_share``
  runs alongside the remaining planned work, the rest is on the critical path;
* blocking, found in the launch phase: all of it is done before go-live (nothing left to overlap);
* otherwise (not blocking, surfacing in the launch phase or later): done after go-live; it costs
  effort, does not move go-live, and, when due by launch, is *missing at go-live* (the adoption
  ceiling falls, :mod:`lmsdecide.timing.diffusion`).

    go-live delay = min(max_delay, critical rework / rework_capacity)      weeks

The base effort of on-time concerns is part of the phases' three-point durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import FloatParam, ParamSet
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
from lmsdecide.timing.pert import pert_mean

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "LATE_PARAMS",
    "MAX_DELAY",
    "PARALLEL_SHARE",
    "REWORK_CAPACITY",
    "REWORK_PARAMS",
    "LateEngagementResult",
    "concern_expected_multiplier",
    "critical_weights",
    "late_engagement",
]

_GROUP = "Rework and delay"

REWORK_CAPACITY = FloatParam(
    name="rework_capacity",
    label="Rework capacity",
    default=3.0,
    min=0.5,
    max=20.0,
    step=0.5,
    unit="FTE",
    help="People who can work on rework before go-live (critical rework / capacity = weeks of "
    "delay). Illustrative: an LMS project team of five to ten with two or three people who can "
    "take on integration and configuration rework.",
    source="illustrative",
    group=_GROUP,
)
PARALLEL_SHARE = FloatParam(
    name="parallel_share",
    label="Rework run in parallel",
    default=0.25,
    min=0.0,
    max=0.9,
    step=0.05,
    unit="share",
    help="Share of rework surfacing before the launch phase that runs alongside the remaining "
    "planned work without moving go-live. Rework found in the launch phase gets none.",
    source="illustrative",
    group=_GROUP,
)
MAX_DELAY = FloatParam(
    name="max_delay",
    label="Maximum go-live delay from rework",
    default=26.0,
    min=1.0,
    max=104.0,
    step=1.0,
    unit="weeks",
    help="Beyond this delay a programme is re-planned (scope cut, phased go-live) rather than "
    "slipped further; the model caps the rework delay here. Illustrative: half a year.",
    source="illustrative",
    group=_GROUP,
)

#: How rework becomes go-live delay (shared by late_engagement, simulate_schedule, recommend_plan).
REWORK_PARAMS = ParamSet((REWORK_CAPACITY, PARALLEL_SHARE, MAX_DELAY))
LATE_PARAMS = REWORK_PARAMS + PARTNER_PARAMS


def concern_expected_multiplier(
    inputs: TimingInputs, surface: NDArray[np.int64]
) -> NDArray[np.float64]:
    """E[min(cap, g**k)] for every concern given the phase it surfaces in (1 when on time)."""
    return expected_multiplier(
        inputs.esc_low, inputs.esc_high, inputs.esc_cap, inputs.lateness(surface)
    )


def critical_weights(
    inputs: TimingInputs, surface: NDArray[np.int64], parallel_share: float
) -> NDArray[np.float64]:
    """Share of each concern's rework on the critical path to go-live (0, 1 - parallel, or 1)."""
    in_project, at_launch, _ = inputs.resolution(surface)
    return np.where(at_launch, 1.0, np.where(in_project, 1.0 - parallel_share, 0.0))


def _weeks(x: float) -> str:
    return f"{x:.1f} week{'' if round(x, 1) == 1 else 's'}"


def _pw(x: float) -> str:
    return f"{x:.1f} person-week{'' if round(x, 1) == 1 else 's'}"


@dataclass(frozen=True, eq=False)
class LateEngagementResult(ArrayEq):
    """What late engagement costs, per concern and per department.

    Attributes
    ----------
    concerns
        One row per concern: ``department`` (id, or the partner id for a partner concern),
        ``function``, ``concern``, ``kind``, ``blocks_launch``, ``due``/``due_index``,
        ``engaged`` (phase id or ``never``), ``surfaces``/``surfaces_index`` (``after_launch``
        when never engaged), ``lateness`` (phases), ``late``, ``resolution`` (``on time``,
        ``in project``, ``at launch``, ``after launch``), ``post_launch``,
        ``missing_at_go_live``, ``multiplier`` (expected), ``cap`` (declared cap of the
        multiplier), ``effort``, ``expected_cost``, ``expected_rework`` (person-weeks),
        ``critical_share``, ``expected_delay`` (weeks, before the ``max_delay`` cap).
    departments
        One row per department (and one for the partner when it adds concerns): ``department``,
        ``name``, ``function``, ``engaged``, ``engaged_index``, ``earliest_due`` (phase id or
        ``""``), ``n_concerns``, ``n_late``, ``effort``, ``expected_rework``, ``expected_delay``.
    phases
        One row per phase: ``phase``, ``name``, ``index``, ``start`` and ``mean_duration`` (PERT
        means, weeks), ``optimistic``, ``likely``, ``pessimistic``, ``post_launch``.
    expected_rework
        Total expected rework, person-weeks (before and after go-live).
    post_launch_rework
        The part of it done after go-live, person-weeks.
    expected_delay
        Go-live delay of the expected critical rework, weeks, capped at ``max_delay``.
    missing_at_go_live
        Names of the concerns due by launch that go-live goes without.
    """

    scenario_name: str
    concerns: pd.DataFrame
    departments: pd.DataFrame
    phases: pd.DataFrame
    expected_rework: float
    post_launch_rework: float
    expected_delay: float
    uncapped_delay: float
    missing_at_go_live: tuple[str, ...]
    launch_index: int
    launch_phase: str
    partner_type: str | None
    partner_notes: tuple[str, ...]
    assumptions: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """The per-concern table (a copy)."""
        return self.concerns.copy()

    def explain(self, concern: str | None = None) -> str:
        """One sentence with the numbers: a concern's late cost, or (None) the whole delay.

        Raises
        ------
        KeyError
            Naming a concern the scenario does not have.
        """
        capacity = float(self.assumptions["rework_capacity"])
        parallel = float(self.assumptions["parallel_share"])
        max_delay = float(self.assumptions["max_delay"])
        if concern is not None:
            rows = self.concerns[self.concerns["concern"] == concern]
            if rows.empty:
                raise KeyError(f"concern: no concern named {concern!r}")
            r = rows.iloc[0]
            head = f"{r['concern']} ({r['kind']}, {r['department']})"
            if not r["late"]:
                return f"{head} is raised on time in {r['due']}: no rework."
            cost = (
                f"{head} is due in {r['due']} but surfaces in {r['surfaces']}, "
                f"{int(r['lateness'])} phase{'s' if r['lateness'] != 1 else ''} late: "
                f"{r['effort']:g} person-weeks x {r['multiplier']:.2f} (expected multiplier, "
                f"cap {r['cap']:g}) = {r['expected_cost']:.1f}, of which "
                f"{_pw(float(r['expected_rework']))} rework"
            )
            if r["resolution"] == "at launch":
                how = (
                    f"; it blocks go-live, so all of it is done before go-live: "
                    f"{r['expected_rework']:.1f} / {capacity:g} FTE = "
                    f"{_weeks(float(r['expected_delay']))} of delay."
                )
            elif r["resolution"] == "in project":
                how = (
                    f"; reworked during the project, {1 - parallel:.0%} of it on the critical "
                    f"path: {r['expected_rework']:.1f} x {1 - parallel:.2f} / {capacity:g} FTE = "
                    f"{_weeks(float(r['expected_delay']))} of delay."
                )
            else:
                how = "; it does not block go-live, so it is done after go-live" + (
                    " and is missing at go-live (adoption suffers)."
                    if r["missing_at_go_live"]
                    else "."
                )
            return cost + how
        late = self.concerns[self.concerns["late"]]
        if late.empty:
            return "Every concern is raised on time: no rework, no delay."
        pre = self.expected_rework - self.post_launch_rework
        capped = (
            f", capped at the {max_delay:g}-week maximum" if self.uncapped_delay > max_delay else ""
        )
        return (
            f"{len(late)} concern{'s surface' if len(late) != 1 else ' surfaces'} late with "
            f"{_pw(self.expected_rework)} of expected rework ({pre:.1f} before go-live, "
            f"{self.post_launch_rework:.1f} after); the critical part over {capacity:g} FTE of "
            f"rework capacity ({parallel:.0%} of in-project rework runs in parallel) moves "
            f"go-live by {_weeks(self.expected_delay)}{capped}."
        )


def phase_table(inputs: TimingInputs) -> pd.DataFrame:
    """Per-phase table of PERT means and starts (used by figures)."""
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
            "post_launch": np.arange(k) > inputs.launch_index,
        }
    )


def _concern_rework(
    inputs: TimingInputs, engagement: NDArray[np.int64] | None
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Engagement vector, phase each concern surfaces in, its expected escalation multiplier
    and its expected rework (person-weeks): the arithmetic every late-engagement figure uses."""
    eng = _engagement(inputs, engagement)
    surface = inputs.surface(eng)
    mult = concern_expected_multiplier(inputs, surface)
    return eng, surface, mult, inputs.effort * (mult - 1.0)


def _engagement(inputs: TimingInputs, engagement: NDArray[np.int64] | None) -> NDArray[np.int64]:
    return inputs.engagement if engagement is None else np.asarray(engagement, dtype=np.int64)


def expected_rework_total(
    inputs: TimingInputs, engagement: NDArray[np.int64] | None = None
) -> float:
    """Total expected rework in person-weeks: ``late_engagement_from_inputs(...).expected_rework``
    without building its tables (about 2 ms each), for loops that need only the total.

    Sum over concerns of effort * (E[min(cap, g**(q - p))] - 1), as in :func:`late_engagement`.
    """
    return float(_concern_rework(inputs, engagement)[3].sum())


def missing_at_go_live(
    inputs: TimingInputs, engagement: NDArray[np.int64] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names and kinds of the concerns due by launch that are resolved only after it (the
    ``missing_at_go_live`` column of :func:`late_engagement`), without building its tables."""
    after = inputs.resolution(inputs.surface(_engagement(inputs, engagement)))[2]
    missing = np.flatnonzero(after & (inputs.due <= inputs.launch_index))
    return (
        tuple(str(inputs.concern_names[i]) for i in missing),
        tuple(str(inputs.kind[i]) for i in missing),
    )


def late_engagement_from_inputs(
    inputs: TimingInputs,
    engagement: NDArray[np.int64] | None = None,
    *,
    rework_capacity: float = REWORK_CAPACITY.default,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    assumptions: dict[str, Any] | None = None,
) -> LateEngagementResult:
    """:func:`late_engagement` on already-flattened inputs (and an optional engagement vector)."""
    eng, surface, mult, rework = _concern_rework(inputs, engagement)
    in_project, at_launch, after = inputs.resolution(surface)
    weight = critical_weights(inputs, surface, parallel_share)
    delay = rework * weight / rework_capacity
    late = surface > inputs.due
    missing = after & (inputs.due <= inputs.launch_index)
    k = inputs.n_phases

    def label(i: int) -> str:
        return NEVER if i >= k else inputs.phase_ids[i]

    engaged = [label(int(eng[d])) if d >= 0 else "partner" for d in inputs.concern_dept]
    resolution = np.where(
        ~late,
        "on time",
        np.where(in_project, "in project", np.where(at_launch, "at launch", "after launch")),
    )
    concerns = pd.DataFrame(
        {
            "department": list(inputs.concern_owner),
            "function": list(inputs.concern_function),
            "concern": list(inputs.concern_names),
            "kind": list(inputs.kind),
            "blocks_launch": np.asarray(inputs.blocking),
            "due": [inputs.phase_ids[i] for i in inputs.due],
            "due_index": np.asarray(inputs.due),
            "engaged": engaged,
            "surfaces": [inputs.phase_label(int(i)) for i in surface],
            "surfaces_index": surface,
            "lateness": inputs.lateness(surface),
            "late": late,
            "resolution": resolution.astype(str),
            "post_launch": after,
            "missing_at_go_live": missing,
            "multiplier": mult,
            "cap": np.asarray(inputs.esc_cap),
            "effort": np.asarray(inputs.effort),
            "expected_cost": inputs.effort * mult,
            "expected_rework": rework,
            "critical_share": weight,
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
    uncapped = float(delay.sum())
    values = dict(
        assumptions
        or {
            "rework_capacity": rework_capacity,
            "parallel_share": parallel_share,
            "max_delay": max_delay,
        }
    )
    return LateEngagementResult(
        scenario_name=inputs.scenario_name,
        concerns=concerns,
        departments=pd.DataFrame(rows),
        phases=phase_table(inputs),
        expected_rework=float(rework.sum()),
        post_launch_rework=float(rework[after].sum()),
        expected_delay=min(uncapped, max_delay),
        uncapped_delay=uncapped,
        missing_at_go_live=tuple(np.asarray(inputs.concern_names, dtype=object)[missing]),
        launch_index=inputs.launch_index,
        launch_phase=inputs.phase_ids[inputs.launch_index],
        partner_type=inputs.partner_type,
        partner_notes=inputs.partner_notes,
        assumptions=values,
    )


@register_model(label="Cost of late engagement", area="timing", params=LATE_PARAMS)
def late_engagement(
    scenario: Scenario,
    *,
    rework_capacity: float = REWORK_CAPACITY.default,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> LateEngagementResult:
    """Expected rework and go-live delay from concerns that surface after their due phase.

    For each concern due in phase p that surfaces in q (see the module docstring): expected
    rework = effort * (E[min(cap, g**(q - p))] - 1) person-weeks, g log-uniform on its kind's
    [low, high]; the critical part / ``rework_capacity`` is its go-live delay, the total capped
    at ``max_delay``.

    Parameters
    ----------
    scenario
        The project (phases, engagement plan, concerns with kind and blocks_launch, the
        escalation table).
    rework_capacity, parallel_share, max_delay
        How rework becomes delay (FTE, share, weeks; illustrative).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects (:mod:`lmsdecide.timing.inputs`).

    Returns
    -------
    LateEngagementResult
        With :meth:`LateEngagementResult.explain` for a one-sentence account of a concern or the
        delay.
    """
    # checked and converted by register_model's wrapper: this is the record
    values = LATE_PARAMS.values_from(locals())
    inputs = timing_inputs(
        scenario,
        partner_effects=partner_effects,
        reseller_integration_effort=reseller_integration_effort,
        integrator_setup_effort=integrator_setup_effort,
        specialist_embed_factor=specialist_embed_factor,
    )
    return late_engagement_from_inputs(
        inputs,
        rework_capacity=rework_capacity,
        parallel_share=parallel_share,
        max_delay=max_delay,
        assumptions=values,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
