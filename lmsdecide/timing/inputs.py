"""The timing models' view of a scenario, with the selected partner's type applied.

:func:`timing_inputs` turns a :class:`~lmsdecide.scenario.Scenario` into flat numpy arrays (phase
three-point durations, effective escalation bounds, concerns with their due phase, departments with
their engagement phase), once, so that every timing model and the Monte Carlo engine read the same
numbers.

Partner type feeds the timing model (issue 5). The selected partner's ``type`` changes the project
through three declared, adjustable assumptions (all illustrative; set ``partner_effects`` to false
to switch them off):

* ``reseller``: the reseller's standard package leaves integration gaps. One extra concern,
  "Integration gaps in the reseller's standard package", of ``reseller_integration_effort``
  person-weeks, due in the second phase (requirements) and surfacing in the last phase before
  launch (testing) *whatever* the scenario's engagement plan: engaging your own IT early does not
  make a reseller do integration work.
* ``it-integrator``: "the right system with the wrong set-up". One extra concern, "Learning set-up
  (competencies, learning paths, reporting)", of ``integrator_setup_effort`` person-weeks, due in
  the second phase and surfacing in the last phase before launch.
* ``learning-specialist``: embedding is quicker. Every post-launch phase's three-point duration is
  multiplied by ``specialist_embed_factor`` (this moves the project's finish, not its go-live).

These partner concerns are attributed to the partner (function ``vendor``), not to a department,
so the recommended engagement plan cannot remove them: only the partner choice can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lmsdecide.params import BoolParam, FloatParam, ParamSet
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing._common import frozen_array
from lmsdecide.timing.escalation import escalation_table, kind_arrays

__all__ = [
    "INTEGRATOR_SETUP_EFFORT",
    "PARTNER_EFFECTS",
    "PARTNER_PARAMS",
    "RESELLER_INTEGRATION_EFFORT",
    "SPECIALIST_EMBED_FACTOR",
    "TimingInputs",
    "engagement_vector",
    "timing_inputs",
]

_GROUP = "Partner type"

PARTNER_EFFECTS = BoolParam(
    name="partner_effects",
    label="Partner type affects the schedule",
    default=True,
    help="Apply the selected partner type's effects below (reseller and IT-integrator concerns, "
    "learning specialist's quicker embedding).",
    group=_GROUP,
)
RESELLER_INTEGRATION_EFFORT = FloatParam(
    name="reseller_integration_effort",
    label="Reseller: integration gaps",
    default=4.0,
    min=0.0,
    max=20.0,
    step=0.25,
    unit="person-weeks",
    help="Base effort of the integration gaps a reseller's standard package leaves; due at "
    "requirements, they surface in testing whatever your engagement plan, and escalate as "
    "integration concerns. Illustrative: about the on-time effort of an HR feed.",
    group=_GROUP,
)
INTEGRATOR_SETUP_EFFORT = FloatParam(
    name="integrator_setup_effort",
    label="IT integrator: learning set-up gaps",
    default=3.0,
    min=0.0,
    max=20.0,
    step=0.25,
    unit="person-weeks",
    help="Base effort of the learning set-up (competencies, learning paths, reporting) an IT "
    "integrator gets wrong; due at requirements, it surfaces in testing and escalates as a "
    "configuration concern. Illustrative.",
    group=_GROUP,
)
SPECIALIST_EMBED_FACTOR = FloatParam(
    name="specialist_embed_factor",
    label="Learning specialist: embedding duration factor",
    default=0.75,
    min=0.25,
    max=1.0,
    step=0.05,
    unit="factor",
    help="Multiplies the durations of the post-launch (embedding) phases when the partner is a "
    "learning specialist: training geared to learning, not to which buttons do which.",
    group=_GROUP,
)

#: The partner-type assumptions, shared by every timing model that reads a scenario's concerns.
PARTNER_PARAMS = ParamSet(
    (PARTNER_EFFECTS, RESELLER_INTEGRATION_EFFORT, INTEGRATOR_SETUP_EFFORT, SPECIALIST_EMBED_FACTOR)
)

#: Pseudo-function of concerns owned by the implementation partner.
PARTNER_FUNCTION = "vendor"


@dataclass(frozen=True, eq=False)
class TimingInputs:
    """A scenario flattened for the timing models (arrays are read-only).

    Phases are indexed 0..K-1 in project order; index K is the pseudo-phase "after the last
    phase" where the concerns of a department that is never engaged surface. Concerns are indexed
    0..C-1; ``concern_dept`` is the department index, or -1 for a partner concern whose surfacing
    phase ``fixed_surface`` does not depend on engagement (-1 where it does).
    """

    scenario_name: str
    phase_ids: tuple[str, ...]
    phase_names: tuple[str, ...]
    optimistic: NDArray[np.float64]
    likely: NDArray[np.float64]
    pessimistic: NDArray[np.float64]
    launch_index: int
    launch_target: float
    dept_ids: tuple[str, ...]
    dept_names: tuple[str, ...]
    dept_functions: tuple[str, ...]
    engagement: NDArray[np.int64]  # K for never
    concern_names: tuple[str, ...]
    concern_owner: tuple[str, ...]  # department id, or the partner id
    concern_function: tuple[str, ...]
    concern_dept: NDArray[np.int64]
    due: NDArray[np.int64]
    effort: NDArray[np.float64]
    kind: tuple[str, ...]
    blocking: NDArray[np.bool_]  # blocks go-live (only meaningful when due <= launch)
    esc_low: NDArray[np.float64]  # per concern: growth per phase of lateness, and the cap
    esc_high: NDArray[np.float64]
    esc_cap: NDArray[np.float64]
    fixed_surface: NDArray[np.int64]
    partner_id: str | None
    partner_type: str | None
    partner_notes: tuple[str, ...]

    @property
    def n_phases(self) -> int:
        """K, the number of phases."""
        return len(self.phase_ids)

    def lateness(self, surface: NDArray[np.int64]) -> NDArray[np.int64]:
        """Phases between due and surfacing (0 when on time)."""
        return np.maximum(surface - self.due, 0)

    def phase_label(self, index: int) -> str:
        """Phase id of an index, ``"never"`` style label for K."""
        return self.phase_ids[index] if index < self.n_phases else "after_launch"

    def surface(self, engagement: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
        """Phase in which each concern surfaces.

        max(due, engagement) (or the partner concern's fixed phase); a concern that blocks
        go-live and is due by the launch phase is found at the launch phase at the latest (the
        go-live checks find it when nobody raised it before).
        """
        eng = self.engagement if engagement is None else engagement
        by_engagement = np.maximum(self.due, eng[np.maximum(self.concern_dept, 0)])
        found = np.where(
            self.blocking & (self.due <= self.launch_index),
            np.minimum(by_engagement, self.launch_index),
            by_engagement,
        )
        return np.where(self.fixed_surface >= 0, self.fixed_surface, found)

    def resolution(
        self, surface: NDArray[np.int64]
    ) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
        """How each late concern is dealt with, given the phase it surfaces in.

        Returns three boolean arrays over concerns: ``in_project`` (late, surfacing before the
        launch phase: reworked during the project, partly in parallel with it), ``at_launch``
        (late, blocks go-live, found in the launch phase: done before go-live, nothing left to
        overlap) and ``after_launch`` (late and neither: done after go-live; when due by the
        launch phase it is missing at go-live).
        """
        late = surface > self.due
        in_project = late & (surface < self.launch_index)
        at_launch = late & ~in_project & self.blocking & (surface == self.launch_index)
        return in_project, at_launch, late & ~in_project & ~at_launch


def engagement_vector(
    inputs: TimingInputs, engagement: Mapping[str, str] | None = None
) -> NDArray[np.int64]:
    """Engagement phase index per department: the scenario's plan with ``engagement`` overrides.

    Parameters
    ----------
    engagement
        Department id -> phase id or ``"never"``; departments not named keep the scenario's
        phase.

    Raises
    ------
    ValueError
        Naming an unknown department or phase.
    """
    eng = np.array(inputs.engagement, dtype=np.int64)
    if not engagement:
        return eng
    if not isinstance(engagement, Mapping):
        raise ValueError(
            f"engagement: must be a mapping of department id to phase id, got {engagement!r}"
        )
    for dept, phase in engagement.items():
        if dept not in inputs.dept_ids:
            raise ValueError(
                f"engagement.{dept}: unknown department, got {dept!r}; "
                f"known: {', '.join(inputs.dept_ids)}"
            )
        if phase == NEVER:
            eng[inputs.dept_ids.index(dept)] = inputs.n_phases
        elif phase in inputs.phase_ids:
            eng[inputs.dept_ids.index(dept)] = inputs.phase_ids.index(phase)
        else:
            raise ValueError(
                f"engagement.{dept}: unknown phase, got {phase!r}; use one of "
                f"{', '.join(inputs.phase_ids)} or {NEVER!r}"
            )
    return eng


def timing_inputs(
    scenario: Scenario,
    *,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> TimingInputs:
    """Flatten ``scenario`` for the timing models, applying the selected partner's type.

    See the module docstring for the partner-type assumptions.

    Raises
    ------
    ValueError
        (a :class:`~lmsdecide.params.ParamError`) when a partner parameter is out of range.
    """
    PARTNER_PARAMS.validate(
        {
            "partner_effects": partner_effects,
            "reseller_integration_effort": reseller_integration_effort,
            "integrator_setup_effort": integrator_setup_effort,
            "specialist_embed_factor": specialist_embed_factor,
        }
    )
    phases = scenario.phases
    n_phases = len(phases)
    launch = scenario.launch_index
    a = np.array([p.duration.optimistic for p in phases])
    m = np.array([p.duration.likely for p in phases])
    b = np.array([p.duration.pessimistic for p in phases])

    depts = scenario.departments
    dept_ids = tuple(d.id for d in depts)
    engagement = np.array([scenario.engagement_index(d) for d in dept_ids], dtype=np.int64)

    names = [c.name for c in scenario.concerns]
    owner = [c.department for c in scenario.concerns]
    function: list[str] = [scenario.department(c.department).function for c in scenario.concerns]
    dept_index = [dept_ids.index(c.department) for c in scenario.concerns]
    due = [scenario.phase_index(c.due) for c in scenario.concerns]
    effort = [c.effort for c in scenario.concerns]
    kinds = [scenario.concern_kind(c) for c in scenario.concerns]
    blocking = [c.blocks_launch for c in scenario.concerns]
    fixed = [-1] * len(names)

    partner_id: str | None = scenario.selected_partner
    partner_type = scenario.partner(partner_id).type if partner_id else None
    notes: list[str] = []
    if partner_effects and partner_id and partner_type:
        partner_due = min(1, n_phases - 1)
        partner_surface = max(partner_due, launch - 1)
        extra: tuple[str, float, str] | None = None
        if partner_type == "reseller":
            extra = (
                "Integration gaps in the reseller's standard package",
                reseller_integration_effort,
                "integration",
            )
        elif partner_type == "it-integrator":
            extra = (
                "Learning set-up (competencies, learning paths, reporting)",
                integrator_setup_effort,
                "configuration",
            )
        elif partner_type == "learning-specialist":
            post = np.arange(n_phases) > launch
            if post.any():
                a, m, b = (np.where(post, x * specialist_embed_factor, x) for x in (a, m, b))
                notes.append(
                    "learning specialist: post-launch phase durations x "
                    f"{specialist_embed_factor:g}"
                )
            else:
                notes.append("learning specialist: no post-launch phase to shorten")
        if extra is not None and extra[1] > 0:
            names.append(extra[0])
            owner.append(partner_id)
            function.append(PARTNER_FUNCTION)
            dept_index.append(-1)
            due.append(partner_due)
            effort.append(extra[1])
            kinds.append(extra[2])
            blocking.append(False)
            fixed.append(partner_surface)
            notes.append(
                f"{partner_type}: adds '{extra[0]}' ({extra[1]:g} person-weeks), due in "
                f"{phases[partner_due].id}, surfacing in {phases[partner_surface].id}"
            )

    esc_low, esc_high, esc_cap = kind_arrays(escalation_table(scenario), kinds)
    return TimingInputs(
        scenario_name=scenario.name,
        phase_ids=tuple(scenario.phase_ids),
        phase_names=tuple(p.name for p in phases),
        optimistic=frozen_array(a),
        likely=frozen_array(m),
        pessimistic=frozen_array(b),
        launch_index=launch,
        launch_target=float(scenario.launch_target),
        dept_ids=dept_ids,
        dept_names=tuple(d.name for d in depts),
        dept_functions=tuple(d.function for d in depts),
        engagement=frozen_array(engagement, dtype=np.int64),
        concern_names=tuple(names),
        concern_owner=tuple(owner),
        concern_function=tuple(function),
        concern_dept=frozen_array(dept_index, dtype=np.int64),
        due=frozen_array(due, dtype=np.int64),
        effort=frozen_array(effort),
        kind=tuple(kinds),
        blocking=frozen_array(blocking, dtype=bool),
        esc_low=frozen_array(esc_low),
        esc_high=frozen_array(esc_high),
        esc_cap=frozen_array(esc_cap),
        fixed_surface=frozen_array(fixed, dtype=np.int64),
        partner_id=partner_id,
        partner_type=partner_type,
        partner_notes=tuple(notes),
    )
