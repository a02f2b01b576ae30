"""Each candidate partner's promise against the model's forecast with it.

For every partner of the scenario, the schedule model is run with that partner selected (its
type's effects, :mod:`lmsdecide.timing.inputs`) and a given engagement plan, on the same random
numbers for every partner (common random numbers: the differences are the partners', not
noise). Beside the forecast stands the partner's promise (``promised_weeks``, else its
``time_to_launch`` score) and the expected rework costed at a declared rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from lmsdecide._lazy import lazy_module
from lmsdecide.params import FloatParam
from lmsdecide.scenario import Scenario
from lmsdecide.timing._common import as_generator
from lmsdecide.timing.inputs import PARTNER_PARAMS, engagement_vector, timing_inputs
from lmsdecide.timing.late import expected_rework_total
from lmsdecide.timing.schedule import OVERRUN_PARAMS, draw, evaluate, overrun_factor

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "PROMISE_GAP",
    "REWORK_RATE",
    "partner_forecasts",
    "promise_gaps",
    "with_rework_costs",
]

REWORK_RATE = FloatParam(
    name="rework_rate",
    label="Cost of a person-week of rework",
    default=4.0,
    min=0.0,
    max=100.0,
    step=0.5,
    unit="cost units per person-week (the cost criterion's unit)",
    help="Prices expected rework in the unit of the partners' cost criterion (thousand GBP in "
    "the bundled scenarios: about 800 GBP a day). Illustrative.",
    source="illustrative",
    group="Partner promise",
)
PROMISE_GAP = FloatParam(
    name="promise_gap",
    label="Promise far below forecast from",
    default=0.2,
    min=0.0,
    max=1.0,
    step=0.05,
    unit="share of the forecast P50",
    help="A partner's promised time to go-live is flagged when it is this share or more below "
    "the model's P50 with that partner. Illustrative.",
    source="illustrative",
    group="Partner promise",
)


def partner_forecasts(
    scenario: Scenario,
    engagement: Mapping[str, str] | None = None,
    n: int = 10_000,
    seed: int | np.random.Generator | None = None,
    *,
    rework_rate: float = REWORK_RATE.default,
    values: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """One row per partner: promise, forecast with it, and expected rework with its cost.

    Parameters
    ----------
    scenario
        The project; every partner in ``scenario.partners`` is tried.
    engagement
        Department id -> phase overriding the scenario's plan (e.g. the recommended plan).
    n, seed
        Draws and seed, shared by every partner (common random numbers).
    rework_rate
        Cost units per person-week of expected rework.
    values
        Validated rework, overrun and partner parameters (defaults when absent).

    Returns
    -------
    pandas.DataFrame
        ``partner``, ``name``, ``type``, ``selected``, ``promised_weeks`` (NaN when unknown),
        ``p50``, ``p80``, ``on_time_probability``, ``expected_rework`` (person-weeks),
        ``rework_cost``, ``cost`` (the ``cost`` criterion score, NaN when none),
        ``cost_with_rework``, ``promise_gap`` (1 - promise / P50).
    """
    vals = dict(values or {})
    partner_kw = {k: vals[k] for k in PARTNER_PARAMS.names if k in vals}
    rework_kw = {k: vals[k] for k in ("parallel_share", "max_delay") if k in vals}
    capacity = float(vals.get("rework_capacity", 3.0))
    overrun_kw = {k: vals[k] for k in OVERRUN_PARAMS.names if k in vals}
    rows = []
    rng_seed = seed
    draws = None
    for partner in scenario.partners:
        variant = scenario.model_copy(update={"selected_partner": partner.id})
        inputs = timing_inputs(variant, **partner_kw)
        eng = engagement_vector(inputs, engagement)
        if draws is None:
            draws = draw(inputs, n, as_generator(rng_seed))
            overrun = overrun_factor(draws, **overrun_kw)
        ev = evaluate(inputs, draws, eng, capacity, overrun=overrun, **rework_kw)
        rework = expected_rework_total(inputs, eng)  # the total only: no tables per partner
        p50, p80 = np.percentile(ev.completion, [50.0, 80.0])
        promised = scenario.promised_weeks(partner.id)
        cost = partner.scores.get("cost")
        rework_cost = rework * rework_rate
        rows.append(
            {
                "partner": partner.id,
                "name": partner.name,
                "type": partner.type,
                "selected": partner.id == scenario.selected_partner,
                "promised_weeks": np.nan if promised is None else promised,
                "p50": float(p50),
                "p80": float(p80),
                "on_time_probability": float(np.mean(ev.completion <= inputs.launch_target)),
                "expected_rework": rework,
                "rework_cost": rework_cost,
                "cost": np.nan if cost is None else float(cost),
                "cost_with_rework": np.nan if cost is None else float(cost) + rework_cost,
                "promise_gap": np.nan if promised is None else 1.0 - promised / float(p50),
            }
        )
    columns = [
        "partner",
        "name",
        "type",
        "selected",
        "promised_weeks",
        "p50",
        "p80",
        "on_time_probability",
        "expected_rework",
        "rework_cost",
        "cost",
        "cost_with_rework",
        "promise_gap",
    ]
    return pd.DataFrame(rows, columns=columns)


def promise_gaps(partners: pd.DataFrame, gap: float = PROMISE_GAP.default) -> pd.DataFrame:
    """The rows of :func:`partner_forecasts` whose promise is ``gap`` or more below the P50.

    ``promise_gap`` = 1 - promise / P50; a partner without a promise is never flagged. Sorted by
    gap, largest first; the selected partner first among equals.
    """
    if not 0.0 <= gap <= 1.0:
        raise ValueError(f"gap: must be between 0 and 1, got {gap!r}")
    rows = partners[partners["promise_gap"].notna() & (partners["promise_gap"] >= gap)]
    return rows.sort_values(["selected", "promise_gap"], ascending=[False, False], kind="stable")


def with_rework_costs(
    scenario: Scenario,
    *,
    criterion: str = "cost",
    rework_rate: float = REWORK_RATE.default,
    engagement: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Scenario:
    """A copy of ``scenario`` whose partners' cost score includes their expected rework.

    The cost option of the partner choice: each partner's ``criterion`` score becomes
    score + ``rework_rate`` x expected rework (person-weeks, closed form,
    :func:`~lmsdecide.timing.late_engagement` with that partner selected and ``engagement``
    overriding the plan), so a cheap licence that leaves integration gaps is no longer cheap.
    A ``score_ranges`` entry of that criterion moves with the score. Rank the copy with the
    partner models as usual.

    Raises
    ------
    ValueError
        When ``criterion`` is not a cost criterion of the scenario, or the rate is negative.
    """
    crit = next((c for c in scenario.criteria if c.id == criterion), None)
    if crit is None or crit.direction != "cost":
        known = ", ".join(c.id for c in scenario.criteria if c.direction == "cost") or "none"
        raise ValueError(
            f"criterion: {criterion!r} is not a cost criterion; cost criteria: {known}"
        )
    if not rework_rate >= 0:
        raise ValueError(f"rework_rate: must be >= 0, got {rework_rate!r}")
    vals = dict(values or {})
    partner_kw = {k: vals[k] for k in PARTNER_PARAMS.names if k in vals}
    partners = []
    for partner in scenario.partners:
        variant = scenario.model_copy(update={"selected_partner": partner.id})
        inputs = timing_inputs(variant, **partner_kw)
        rework = expected_rework_total(inputs, engagement_vector(inputs, engagement))
        data = partner.model_dump(mode="json", exclude_none=True)
        extra = rework_rate * rework
        data["scores"] = {**partner.scores, criterion: partner.scores[criterion] + extra}
        if criterion in partner.score_ranges:
            # the range is the uncertainty around the quoted cost: it moves with the score
            r = partner.score_ranges[criterion]
            data["score_ranges"][criterion] = {"low": r.low + extra, "high": r.high + extra}
        partners.append(data)
    return scenario.with_changes(partners=partners)
