"""Partner choice: which implementation partner, and whose weights win.

Pure maths on arrays (:func:`topsis`, :func:`weighted_sum`, :func:`ahp_weights`,
:func:`cosine_similarity`, :func:`top_choice_path`) and scenario-level models registered with
their parameter declarations (:func:`partner_ranking`, :func:`expertise_match`,
:func:`weight_sensitivity`, :func:`whose_weights_win`, :func:`rank_acceptability`: SMAA-2 odds
of each partner). See docs/models.md.
"""

from __future__ import annotations

from lmsdecide.partner.ahp import (
    AHP_METHODS,
    CR_THRESHOLD,
    RANDOM_INDEX,
    AHPResult,
    ahp_weights,
    pairwise_matrix,
    random_index,
)
from lmsdecide.partner.mcda import (
    NORMALISATIONS,
    TopsisDetail,
    batch_scores,
    normalise,
    qualifies,
    rank_scores,
    topsis,
    topsis_detail,
    weighted_sum,
)
from lmsdecide.partner.models import (
    EXPERTISE_PARAMS,
    RANKING_PARAMS,
    SENSITIVITY_PARAMS,
    WHOSE_PARAMS,
    DecisionProblem,
    ExpertiseMatchResult,
    PartnerRankingResult,
    WeightSensitivityResult,
    WhoseWeightsWinResult,
    cosine_similarity,
    decision_problem,
    department_weights,
    expertise_match,
    partner_ranking,
    weight_sensitivity,
    whose_weights_win,
    whose_weights_win_from_shares,
)
from lmsdecide.partner.paths import METHODS, TopChoicePathResult, score_along, top_choice_path
from lmsdecide.partner.smaa import (
    SMAA_PARAMS,
    RankAcceptabilityResult,
    rank_acceptability,
)
from lmsdecide.partner.weights import (
    CriterionInterval,
    ShareFamilyResult,
    criterion_intervals,
    effective_weights,
    share_family,
)

__all__ = [
    "AHP_METHODS",
    "CR_THRESHOLD",
    "EXPERTISE_PARAMS",
    "METHODS",
    "NORMALISATIONS",
    "RANDOM_INDEX",
    "RANKING_PARAMS",
    "SENSITIVITY_PARAMS",
    "SMAA_PARAMS",
    "WHOSE_PARAMS",
    "AHPResult",
    "CriterionInterval",
    "DecisionProblem",
    "ExpertiseMatchResult",
    "PartnerRankingResult",
    "RankAcceptabilityResult",
    "ShareFamilyResult",
    "TopChoicePathResult",
    "TopsisDetail",
    "WeightSensitivityResult",
    "WhoseWeightsWinResult",
    "ahp_weights",
    "batch_scores",
    "cosine_similarity",
    "criterion_intervals",
    "decision_problem",
    "department_weights",
    "effective_weights",
    "expertise_match",
    "normalise",
    "pairwise_matrix",
    "partner_ranking",
    "qualifies",
    "random_index",
    "rank_acceptability",
    "rank_scores",
    "score_along",
    "share_family",
    "top_choice_path",
    "topsis",
    "topsis_detail",
    "weight_sensitivity",
    "weighted_sum",
    "whose_weights_win",
    "whose_weights_win_from_shares",
]


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
