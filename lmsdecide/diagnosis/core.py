"""``diagnose``: run every rule on a scenario, sort the findings, say the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lmsdecide.caching import ResultCache, content_key
from lmsdecide.diagnosis.codes import CODES, SEVERITIES
from lmsdecide.diagnosis.context import Context, pct
from lmsdecide.diagnosis.findings import Diagnosis, Finding
from lmsdecide.diagnosis.params import (
    CRITICAL_DELAY,
    CRITICAL_REWORK,
    DIAGNOSE_DRAWS,
    DIAGNOSE_PARAMS,
    LEARNING_THRESHOLD,
    MIN_EXPERTISE_MATCH,
    MIN_ON_TIME,
)
from lmsdecide.diagnosis.rules import RULES
from lmsdecide.diagnosis.rules._base import rules_generation
from lmsdecide.registry import validated
from lmsdecide.scenario import Scenario

__all__ = ["DIAGNOSIS_CACHE", "cached_diagnosis", "diagnose"]

#: Diagnoses by content (scenario, thresholds, draws, seed, the rules registered): the Workshop
#: diagnoses a story step, and A and B of its pair, often the same scenario; a step shown again
#: is not diagnosed again. Never used with ``seed=None`` (fresh draws each time).
DIAGNOSIS_CACHE: ResultCache[Diagnosis] = ResultCache(maxsize=16)

_ORDER = {code: i for i, code in enumerate(CODES)}


@validated(DIAGNOSE_PARAMS, generators=False)
def diagnose(
    scenario: Scenario,
    *,
    learning_threshold: float = LEARNING_THRESHOLD.default,
    critical_delay: float = CRITICAL_DELAY.default,
    critical_rework: float = CRITICAL_REWORK.default,
    min_on_time: float = MIN_ON_TIME.default,
    min_expertise_match: float = MIN_EXPERTISE_MATCH.default,
    n: int = DIAGNOSE_DRAWS.default,
    seed: int | None = 0,
) -> Diagnosis:
    """Run the models on ``scenario`` and list the findings, most serious first.

    The models: drive share aᵀV (:func:`~lmsdecide.influence.who_drives`), decision rights,
    expected rework effort × (E[f_q/f_p] − 1) of concerns surfacing late
    (:func:`~lmsdecide.timing.late_engagement`, escalation by concern kind, capped), the
    recommended engagement plan and the Monte Carlo schedule (P50, P80, on-time probability;
    plans compared on common random numbers), Bass adoption, partner ranking, whose weights win
    and expertise match (cosine similarity). The findings and when they fire are the table
    :data:`~lmsdecide.diagnosis.CODES`; which fire and their severity depend only on expected
    values, never on the draws, so the command line's exit code is reproducible whatever the
    seed.

    Parameters
    ----------
    scenario
        The LMS project.
    learning_threshold
        Learning drives when its share is at least this (share, default 0.5).
    critical_delay, critical_rework
        Late engagement is critical from this expected go-live delay (weeks) or rework
        (person-weeks); illustrative.
    min_on_time
        Schedule at risk below this probability of launching by the target.
    min_expertise_match
        Weak expertise match below this cosine similarity (illustrative).
    n, seed
        Monte Carlo draws and seed for the P50/P80 evidence (default seed 0: reproducible).

    Returns
    -------
    Diagnosis

    Raises
    ------
    ParamError
        A threshold, ``n`` or ``seed`` out of its declared range, naming it and the value.
    """
    # checked and converted by the wrapper: the record (and the cache key) of this run
    values = DIAGNOSE_PARAMS.values_from(locals())
    if seed is None:
        return _diagnose(scenario, values, seed)
    return DIAGNOSIS_CACHE.get(
        _key(scenario, values, seed), lambda: _diagnose(scenario, values, seed)
    )


def cached_diagnosis(
    scenario: Scenario, *, n: int = DIAGNOSE_DRAWS.default, seed: int | None = 0
) -> Diagnosis | None:
    """The diagnosis :func:`diagnose` returns with its default thresholds, if it is already in
    :data:`DIAGNOSIS_CACHE`; else None. Never computes (a live view asks this to know whether
    it can show the findings at once or must let them follow)."""
    if seed is None:
        return None
    values = DIAGNOSE_PARAMS.validate({"n": n})  # as diagnose's wrapper converts them
    key = _key(scenario, values, seed)
    if key not in DIAGNOSIS_CACHE:
        return None
    return DIAGNOSIS_CACHE.get(key, lambda: _diagnose(scenario, values, seed))


def _key(scenario: Scenario, values: dict[str, Any], seed: int) -> str:
    params = {"computation": "diagnose", **values, "seed": seed, "rules": rules_generation()}
    return content_key(scenario, params)


def _diagnose(scenario: Scenario, values: dict[str, Any], seed: int | None) -> Diagnosis:
    ctx = Context(scenario, values, seed)
    findings = [f for r in RULES for f in r.func(ctx)]
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), _ORDER.get(f.code, len(_ORDER))))
    drive = ctx.drive
    return Diagnosis(
        scenario_name=scenario.name,
        findings=tuple(findings),
        verdict=_verdict(ctx, findings),
        learning_share=float(drive.learning_share),
        learning_driven=bool(drive.learning_driven),
        top_driver=drive.top_driver,
        assumptions={**values, "seed": seed},
    )


def _verdict(ctx: Context, findings: Sequence[Finding]) -> str:
    drive = ctx.drive
    share = drive.learning_share
    critical = sum(f.severity == "critical" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    if not drive.learning_driven:
        top = ctx.scenario.department(drive.top_driver)
        return (
            f"The tail wags the dog: learning does not drive this project (learning share "
            f"{pct(share)}; {top.name} drives with {pct(float(drive.share.max()))})."
        )
    if critical:
        return (
            f"Learning drives (share {pct(share)}), but {critical} critical finding"
            f"{'s' if critical != 1 else ''} need{'s' if critical == 1 else ''} action."
        )
    if warnings:
        return (
            f"The dog wags the tail: learning drives (share {pct(share)}); {warnings} warning"
            f"{'s' if warnings != 1 else ''} to review."
        )
    return f"The dog wags the tail: learning drives (share {pct(share)}) and nothing is critical."
