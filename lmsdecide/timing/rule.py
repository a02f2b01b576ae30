"""The engagement rule shared by every consumer: when each department should come in.

One function, :func:`recommended_engagement`, decides the recommended phase of every department
so that the plan (:func:`~lmsdecide.timing.recommend_plan`), the schedule's tornado
(:func:`~lmsdecide.timing.simulate_schedule`), the diagnosis, the command line, the dashboards,
the Workshop and the report all show the same phase.

Choose e_d (a phase 0..K-1, or never = K) to minimise R_d(e) + w * meetings(e), with R_d(e) the
expected rework of d's concerns when d engages in e, meetings(e) = L - e + 1 phases of project
meetings up to go-live (0 after it) and w the meeting effort, subject to

* e_d <= earliest due phase of d's concerns (never later than its first concern is due), and
* e_d <= the scenario's phase of d unless ``allow_later`` (the plan brings people in earlier; it
  never drops or delays anyone).

Every phase up to the earliest due phase has zero rework (each concern surfaces on time), and
meetings fall with a later phase, so the minimum is the latest allowed phase:
e_d = min(current_d, earliest_due_d) for a department with concerns (earliest_due_d with
``allow_later``), current_d for one without (with ``allow_later``: never when it has no concern
due before go-live, as it costs nothing). Ties cannot arise: the allowed options' costs are
strictly decreasing in e up to the launch phase and equal after it, where the latest is taken.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lmsdecide.timing.escalation import expected_multiplier
from lmsdecide.timing.inputs import TimingInputs

__all__ = ["earliest_due", "option_costs", "recommended_engagement"]


def earliest_due(inputs: TimingInputs) -> NDArray[np.int64]:
    """Earliest due phase of each department's concerns (K, "never", when it has none)."""
    out = np.full(len(inputs.dept_ids), inputs.n_phases, dtype=np.int64)
    own = inputs.concern_dept >= 0
    np.minimum.at(out, inputs.concern_dept[own], inputs.due[own])
    return out


def option_costs(
    inputs: TimingInputs, meeting_effort: float, parallel_share: float = 0.0
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Expected rework, meeting effort and critical (delaying) rework per department and option.

    Returns three ``(D, K + 1)`` arrays (person-weeks): option e < K engages in phase e, option
    K is never. Partner concerns are left out (no engagement changes them).
    """
    k = inputs.n_phases
    n_dept = len(inputs.dept_ids)
    options = np.arange(k + 1)
    own = np.flatnonzero(inputs.concern_dept >= 0)
    dept = inputs.concern_dept[own]
    due = inputs.due[own][:, None]
    launch = inputs.launch_index
    surface = np.maximum(due, options[None, :])  # (C, K + 1)
    blocking = (inputs.blocking[own] & (inputs.due[own] <= launch))[:, None]
    surface = np.where(blocking, np.minimum(surface, launch), surface)
    lateness = surface - due
    mult = expected_multiplier(
        inputs.esc_low[own][:, None],
        inputs.esc_high[own][:, None],
        inputs.esc_cap[own][:, None],
        lateness,
    )
    rework_c = inputs.effort[own][:, None] * (mult - 1.0)
    late = lateness > 0
    weight = np.where(
        late & (surface < launch),
        1.0 - parallel_share,
        np.where(late & blocking & (surface == launch), 1.0, 0.0),
    )
    rework = np.zeros((n_dept, k + 1))
    critical = np.zeros((n_dept, k + 1))
    np.add.at(rework, dept, rework_c)
    np.add.at(critical, dept, rework_c * weight)
    meetings = np.where(options <= launch, launch - options + 1, 0)
    meeting = np.broadcast_to(meeting_effort * meetings.astype(float), (n_dept, k + 1)).copy()
    return rework, meeting, critical


def recommended_engagement(inputs: TimingInputs, allow_later: bool = False) -> NDArray[np.int64]:
    """Recommended engagement phase index of every department (K = never); see the module."""
    current = np.asarray(inputs.engagement, dtype=np.int64)
    due = earliest_due(inputs)
    has = due < inputs.n_phases
    if allow_later:
        # no concern: never (costs nothing); else its earliest due phase
        return np.where(has, due, inputs.n_phases).astype(np.int64)
    return np.where(has, np.minimum(current, due), current).astype(np.int64)
