"""The diagnosis's tunables, declared once (:data:`DIAGNOSE_PARAMS`)."""

from __future__ import annotations

from dataclasses import replace

from lmsdecide.influence.drive import THRESHOLD
from lmsdecide.params import FloatParam, ParamSet
from lmsdecide.timing.schedule import DRAWS

__all__ = [
    "CRITICAL_DELAY",
    "CRITICAL_REWORK",
    "DIAGNOSE_DRAWS",
    "DIAGNOSE_PARAMS",
    "LEARNING_THRESHOLD",
    "MIN_EXPERTISE_MATCH",
    "MIN_ON_TIME",
]

_GROUP = "Diagnosis"

#: The drive model's learning-driven threshold, under the diagnosis's name.
LEARNING_THRESHOLD = replace(THRESHOLD, name="learning_threshold", group=_GROUP)
CRITICAL_DELAY = FloatParam(
    name="critical_delay",
    label="Critical go-live delay",
    default=4.0,
    min=0.0,
    max=52.0,
    step=0.5,
    unit="weeks",
    help="A department group engaged late is critical when its expected go-live delay from "
    "rework is at least this (about a month).",
    group=_GROUP,
)
CRITICAL_REWORK = FloatParam(
    name="critical_rework",
    label="Critical rework",
    default=20.0,
    min=0.0,
    max=1000.0,
    step=1.0,
    unit="person-weeks",
    help="A department group engaged late is critical when its expected rework (before and "
    "after go-live) is at least this.",
    group=_GROUP,
)
MIN_ON_TIME = FloatParam(
    name="min_on_time",
    label="Minimum on-time probability",
    default=0.5,
    min=0.0,
    max=1.0,
    step=0.05,
    unit="probability",
    help="Below this probability of going live by the launch target, the schedule is at risk.",
    group=_GROUP,
)
MIN_EXPERTISE_MATCH = FloatParam(
    name="min_expertise_match",
    label="Minimum expertise match",
    default=0.8,
    min=0.0,
    max=1.0,
    step=0.05,
    unit="cosine similarity",
    help="Below this cosine similarity of the team's and the selected partner's expertise "
    "profiles, the match is weak.",
    group=_GROUP,
)
#: The schedule model's draw count, with the diagnosis's default and bounds.
DIAGNOSE_DRAWS = replace(
    DRAWS,
    default=4000,
    max=1_000_000,
    help="Draws behind the P50/P80 evidence (plans compared on common random numbers).",
    group=_GROUP,
)

#: Every tunable of :func:`~lmsdecide.diagnosis.diagnose`.
DIAGNOSE_PARAMS = ParamSet(
    (
        LEARNING_THRESHOLD,
        CRITICAL_DELAY,
        CRITICAL_REWORK,
        MIN_ON_TIME,
        MIN_EXPERTISE_MATCH,
        DIAGNOSE_DRAWS,
    )
)
