"""Old names of the model result classes, kept importable as deprecated aliases.

The result classes of ``timing``, ``partner``, ``influence`` and ``explore`` end in ``Result``
(``ScheduleRiskResult``, ...). The modules that define or re-export them answer their old names
through a module ``__getattr__`` (PEP 562) that calls :func:`renamed`: the new class, with a
``DeprecationWarning``. The old names will be removed in a later release (CHANGELOG.md).

lmsdecide: old result names kept on purpose (this table is the one place they are written).
"""

from __future__ import annotations

import sys
import warnings

__all__ = ["RENAMED", "renamed"]

#: Old name -> new name.
RENAMED: dict[str, str] = {
    "ScheduleRisk": "ScheduleRiskResult",
    "LateEngagement": "LateEngagementResult",
    "RecommendedPlan": "RecommendedPlanResult",
    "PlanComparison": "PlanComparisonResult",
    "EscalationCurve": "EscalationCurveResult",
    "Adoption": "AdoptionResult",
    "PartnerRanking": "PartnerRankingResult",
    "ExpertiseMatch": "ExpertiseMatchResult",
    "WeightSensitivity": "WeightSensitivityResult",
    "WhoseWeightsWin": "WhoseWeightsWinResult",
    "TopChoicePath": "TopChoicePathResult",
    "RankAcceptability": "RankAcceptabilityResult",
    "ShareFamily": "ShareFamilyResult",
    "CombinedLevers": "CombinedLeversResult",
    "Discovery": "DiscoveryResult",
    "ValueOfInformation": "ValueOfInformationResult",
}


def renamed(module: str, name: str) -> object:
    """The class ``module`` now holds under ``name``'s new name, with a ``DeprecationWarning``;
    ``AttributeError`` when ``name`` is neither an old name nor held by ``module``."""
    new = RENAMED.get(name)
    value = vars(sys.modules[module]).get(new) if new is not None else None
    if value is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(
        f"{module}.{name} is deprecated: it is now {new}",
        DeprecationWarning,
        stacklevel=3,
    )
    return value
