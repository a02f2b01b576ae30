"""When each department engages: the timing models (docs/models.md).

Pure, typed models: numbers or a :class:`~lmsdecide.scenario.Scenario` in, a frozen dataclass
out. Importing this package registers the scenario-level models (``escalation_curve``,
``late_engagement``, ``simulate_schedule``, ``adoption``, ``recommend_plan``) with
:mod:`lmsdecide.registry`.
"""

from __future__ import annotations

from lmsdecide.timing.diffusion import (
    ADOPTION_PARAMS,
    AdoptionResult,
    adoption,
    bass_cumulative,
    bass_density,
    bass_peak_time,
    bass_time_to,
    communications_earliness,
)
from lmsdecide.timing.escalation import (
    KIND_ESCALATION,
    KIND_SOURCES,
    STECKLEIN_2004,
    EscalationCurveResult,
    escalation_curve,
    escalation_table,
    expected_multiplier,
    log_uniform_mean,
)
from lmsdecide.timing.inputs import PARTNER_PARAMS, TimingInputs, timing_inputs
from lmsdecide.timing.late import LATE_PARAMS, REWORK_PARAMS, LateEngagementResult, late_engagement
from lmsdecide.timing.partners import partner_forecasts, with_rework_costs
from lmsdecide.timing.pert import pert_mean, pert_sample, pert_shape, pert_variance
from lmsdecide.timing.plan import PLAN_PARAMS, RecommendedPlanResult, recommend_plan
from lmsdecide.timing.rule import recommended_engagement
from lmsdecide.timing.schedule import (
    OVERRUN_PARAMS,
    SCHEDULE_PARAMS,
    PlanComparisonResult,
    ScheduleRiskResult,
    compare_plans,
    simulate_schedule,
)

__all__ = [
    "ADOPTION_PARAMS",
    "KIND_ESCALATION",
    "KIND_SOURCES",
    "LATE_PARAMS",
    "OVERRUN_PARAMS",
    "PARTNER_PARAMS",
    "PLAN_PARAMS",
    "REWORK_PARAMS",
    "SCHEDULE_PARAMS",
    "STECKLEIN_2004",
    "AdoptionResult",
    "EscalationCurveResult",
    "LateEngagementResult",
    "PlanComparisonResult",
    "RecommendedPlanResult",
    "ScheduleRiskResult",
    "TimingInputs",
    "adoption",
    "bass_cumulative",
    "bass_density",
    "bass_peak_time",
    "bass_time_to",
    "communications_earliness",
    "compare_plans",
    "escalation_curve",
    "escalation_table",
    "expected_multiplier",
    "late_engagement",
    "log_uniform_mean",
    "partner_forecasts",
    "pert_mean",
    "pert_sample",
    "pert_shape",
    "pert_variance",
    "recommend_plan",
    "recommended_engagement",
    "simulate_schedule",
    "timing_inputs",
    "with_rework_costs",
]


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
