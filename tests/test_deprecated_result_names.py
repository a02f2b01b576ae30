"""The result classes' old names still import, with a DeprecationWarning.

lmsdecide: old result names kept on purpose
(written by the renaming script, with the list of aliases it added).
"""

from __future__ import annotations

import importlib

import pytest

ALIASES = [
    ("lmsdecide.explore", "Discovery", "DiscoveryResult"),
    ("lmsdecide.explore", "ValueOfInformation", "ValueOfInformationResult"),
    ("lmsdecide.explore.discovery", "Discovery", "DiscoveryResult"),
    ("lmsdecide.explore.voi", "ValueOfInformation", "ValueOfInformationResult"),
    ("lmsdecide.influence", "CombinedLevers", "CombinedLeversResult"),
    ("lmsdecide.influence.combined", "CombinedLevers", "CombinedLeversResult"),
    ("lmsdecide.partner", "ExpertiseMatch", "ExpertiseMatchResult"),
    ("lmsdecide.partner", "PartnerRanking", "PartnerRankingResult"),
    ("lmsdecide.partner", "RankAcceptability", "RankAcceptabilityResult"),
    ("lmsdecide.partner", "ShareFamily", "ShareFamilyResult"),
    ("lmsdecide.partner", "TopChoicePath", "TopChoicePathResult"),
    ("lmsdecide.partner", "WeightSensitivity", "WeightSensitivityResult"),
    ("lmsdecide.partner", "WhoseWeightsWin", "WhoseWeightsWinResult"),
    ("lmsdecide.partner.models", "ExpertiseMatch", "ExpertiseMatchResult"),
    ("lmsdecide.partner.models", "PartnerRanking", "PartnerRankingResult"),
    ("lmsdecide.partner.models", "WeightSensitivity", "WeightSensitivityResult"),
    ("lmsdecide.partner.models", "WhoseWeightsWin", "WhoseWeightsWinResult"),
    ("lmsdecide.partner.paths", "TopChoicePath", "TopChoicePathResult"),
    ("lmsdecide.partner.smaa", "RankAcceptability", "RankAcceptabilityResult"),
    ("lmsdecide.partner.weights", "ShareFamily", "ShareFamilyResult"),
    ("lmsdecide.timing", "Adoption", "AdoptionResult"),
    ("lmsdecide.timing", "EscalationCurve", "EscalationCurveResult"),
    ("lmsdecide.timing", "LateEngagement", "LateEngagementResult"),
    ("lmsdecide.timing", "PlanComparison", "PlanComparisonResult"),
    ("lmsdecide.timing", "RecommendedPlan", "RecommendedPlanResult"),
    ("lmsdecide.timing", "ScheduleRisk", "ScheduleRiskResult"),
    ("lmsdecide.timing.diffusion", "Adoption", "AdoptionResult"),
    ("lmsdecide.timing.escalation", "EscalationCurve", "EscalationCurveResult"),
    ("lmsdecide.timing.late", "LateEngagement", "LateEngagementResult"),
    ("lmsdecide.timing.plan", "RecommendedPlan", "RecommendedPlanResult"),
    ("lmsdecide.timing.schedule", "PlanComparison", "PlanComparisonResult"),
    ("lmsdecide.timing.schedule", "ScheduleRisk", "ScheduleRiskResult"),
]


@pytest.mark.parametrize(("module", "old", "new"), ALIASES)
def test_an_old_result_name_is_a_deprecated_alias(module: str, old: str, new: str) -> None:
    mod = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=f"{old} is deprecated: it is now {new}"):
        value = getattr(mod, old)
    assert value is getattr(mod, new)
    assert new.endswith("Result") and old not in getattr(mod, "__all__", ())


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    mod = importlib.import_module(ALIASES[0][0])
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchResult'"):
        mod.NoSuchResult  # noqa: B018
