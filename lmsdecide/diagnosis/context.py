"""What the rules read: the scenario, the thresholds, and each model's result, run once.

A :class:`Context` runs a model the first time a rule asks for its result and keeps it, so rules
share the model runs whatever their order, and a diagnosis runs only the models its rules read.
Also the small text helpers the rules share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from lmsdecide.influence import DecisionRightsResult, WhoDrivesResult, decision_rights, who_drives
from lmsdecide.partner import (
    ExpertiseMatchResult,
    PartnerRankingResult,
    WhoseWeightsWinResult,
    expertise_match,
    partner_ranking,
    whose_weights_win,
)
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing import (
    LateEngagementResult,
    RecommendedPlanResult,
    ScheduleRiskResult,
    late_engagement,
    recommend_plan,
    simulate_schedule,
)

__all__ = ["TINY", "Context", "milestone_index", "names", "num", "pct", "phase_name"]

#: Rework below this (person-weeks) counts as none (round-off).
TINY = 1e-9


@dataclass(frozen=True)
class Context:
    """The inputs of every rule: scenario, validated thresholds, Monte Carlo settings.

    Attributes
    ----------
    scenario
        The LMS project.
    values
        The diagnosis's parameter values by name (:data:`~lmsdecide.diagnosis.DIAGNOSE_PARAMS`).
    seed
        Seed of the Monte Carlo evidence.
    """

    scenario: Scenario
    values: Mapping[str, Any]
    seed: int | None

    @property
    def n(self) -> int:
        """Monte Carlo draws."""
        return int(self.values["n"])

    @cached_property
    def drive(self) -> WhoDrivesResult:
        """:func:`~lmsdecide.influence.who_drives` at the learning threshold."""
        return who_drives(self.scenario, threshold=self.values["learning_threshold"])

    @cached_property
    def rights(self) -> DecisionRightsResult:
        """:func:`~lmsdecide.influence.decision_rights`."""
        return decision_rights(self.scenario)

    @cached_property
    def late(self) -> LateEngagementResult:
        """:func:`~lmsdecide.timing.late_engagement` at its defaults."""
        return late_engagement(self.scenario)

    @cached_property
    def plan(self) -> RecommendedPlanResult:
        """:func:`~lmsdecide.timing.recommend_plan` on ``n`` draws and ``seed``."""
        return recommend_plan(self.scenario, n=self.n, seed=self.seed)

    @cached_property
    def risk(self) -> ScheduleRiskResult:
        """:func:`~lmsdecide.timing.simulate_schedule` on ``n`` draws and ``seed``."""
        return simulate_schedule(self.scenario, n=self.n, seed=self.seed)

    @cached_property
    def ranking(self) -> PartnerRankingResult:
        """:func:`~lmsdecide.partner.partner_ranking` on learning's weights."""
        return partner_ranking(self.scenario, weights_from="learning")

    @cached_property
    def whose(self) -> WhoseWeightsWinResult:
        """:func:`~lmsdecide.partner.whose_weights_win`."""
        return whose_weights_win(self.scenario)

    @cached_property
    def match(self) -> ExpertiseMatchResult:
        """:func:`~lmsdecide.partner.expertise_match`."""
        return expertise_match(self.scenario)


def pct(x: float) -> str:
    """A share as a whole percentage (``0.456`` -> ``"46%"``)."""
    return f"{100.0 * x:.0f}%"


def num(x: float, digits: int = 6) -> float:
    """A float for the evidence, to ``digits`` significant digits."""
    return float(f"{float(x):.{digits}g}")


def phase_name(scenario: Scenario, phase: str) -> str:
    """The phase's name (``never`` for the never-engaged value)."""
    if phase == NEVER:
        return "never"
    return next((p.name for p in scenario.phases if p.id == phase), phase)


def names(scenario: Scenario, ids: Iterable[str]) -> str:
    """Department names as a list in words (``"A, B and C"``)."""
    found = [scenario.department(d).name for d in ids]
    if len(found) <= 1:
        return "".join(found)
    return ", ".join(found[:-1]) + " and " + found[-1]


def milestone_index(
    scenario: Scenario, phase_id: str, late: pd.DataFrame, ids: Sequence[str]
) -> int:
    """Index of the milestone phase ``phase_id``; else the group's earliest due phase."""
    if phase_id in scenario.phase_ids:
        return scenario.phase_index(phase_id)
    rows = late[late["department"].isin(list(ids))]
    due = [scenario.phase_index(str(p)) for p in rows["earliest_due"] if p]
    return min(due) if due else scenario.launch_index
