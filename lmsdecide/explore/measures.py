"""What a sweep measures, and how one variant is evaluated.

A :class:`Measure` reads one scalar from one registered model's result: ``"<model>.<attribute>"``
(for example ``"simulate_schedule.p80"``), so a researcher's new model is measurable unchanged.
Short names cover the usual questions:

======================  =====================================  ==========================
short name              reads                                   unit
======================  =====================================  ==========================
``learning_share``      ``who_drives.learning_share``           share of the decision
``learning_driven``     ``who_drives.learning_driven``          yes/no
``top_driver``          ``who_drives.top_driver``               department id
``p50``, ``p80``        ``simulate_schedule.p50`` / ``.p80``    weeks to go-live
``mean_completion``     ``simulate_schedule.mean``              weeks
``on_time_probability`` ``simulate_schedule.on_time_probability`` probability
``late_p80``            ``simulate_schedule.p80`` − launch target  weeks (> 0: P80 misses)
``chosen_partner``      ``partner_ranking.top``                 partner id
``critical_findings``   ``diagnose``: number of critical findings count
``findings``            ``diagnose``: the finding codes, ``;``-joined  text
======================  =====================================  ==========================

Stochastic models run with the sweep's seed in every variant (common random numbers): the
difference between two variants then carries the inputs' effect, not sampling noise.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lmsdecide.explore.space import Factor, apply_values
from lmsdecide.registry import get_model
from lmsdecide.scenario import Scenario

__all__ = [
    "MEASURES",
    "Measure",
    "evaluate_variants",
    "measure",
]

DIAGNOSE = "diagnose"


@dataclass(frozen=True)
class Measure:
    """One scalar read from one model's result.

    Attributes
    ----------
    name
        Column name in the sweep's frame.
    model
        Registered model name (or ``"diagnose"``).
    attribute
        Attribute of the result read (``"counts.critical"`` style paths allowed).
    label, unit
        For figures and tables.
    offset
        Scenario field subtracted from the value (``"launch_target"`` for ``late_p80``).
    """

    name: str
    model: str
    attribute: str
    label: str = ""
    unit: str = ""
    offset: str | None = None

    def read(self, result: Any, scenario: Scenario) -> Any:
        """The measure's value from a model ``result`` on ``scenario``."""
        value: Any = result
        for part in self.attribute.split("."):
            value = value[part] if isinstance(value, Mapping) else getattr(value, part)
        if isinstance(value, (tuple, list)):
            value = ";".join(map(str, value))
        elif isinstance(value, np.generic):
            value = value.item()
        if self.offset is not None:
            value = float(value) - float(getattr(scenario, self.offset))
        return value


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("learning_share", "who_drives", "learning_share", "Learning share", "share"),
        Measure("learning_driven", "who_drives", "learning_driven", "Learning drives", ""),
        Measure("top_driver", "who_drives", "top_driver", "Top driver", ""),
        Measure("p50", "simulate_schedule", "p50", "P50 go-live", "weeks"),
        Measure("p80", "simulate_schedule", "p80", "P80 go-live", "weeks"),
        Measure("mean_completion", "simulate_schedule", "mean", "Mean go-live", "weeks"),
        Measure(
            "on_time_probability",
            "simulate_schedule",
            "on_time_probability",
            "Probability of launching on time",
            "probability",
        ),
        Measure(
            "late_p80",
            "simulate_schedule",
            "p80",
            "P80 past the launch target",
            "weeks",
            offset="launch_target",
        ),
        Measure("chosen_partner", "partner_ranking", "top", "Chosen partner", ""),
        Measure("critical_findings", DIAGNOSE, "counts.critical", "Critical findings", "count"),
        Measure("findings", DIAGNOSE, "codes", "Findings", ""),
    )
}


def measure(name: str | Measure) -> Measure:
    """Resolve a short name (table above) or ``"<model>.<attribute>"``.

    Raises
    ------
    ValueError
        An unknown short name or model.
    """
    if isinstance(name, Measure):
        return name
    if name in MEASURES:
        return MEASURES[name]
    if "." in name:
        model, attribute = name.split(".", 1)
        if model != DIAGNOSE:
            try:
                get_model(model)
            except KeyError as exc:
                raise ValueError(f"measure {name!r}: {exc.args[0]}") from None
        return Measure(name, model, attribute, label=name)
    known = ", ".join(MEASURES)
    raise ValueError(f"measure {name!r}: unknown; use one of {known} or '<model>.<attribute>'")


def _run_model(model: str, scenario: Scenario, params: Mapping[str, Any], seed: int | None) -> Any:
    if model == DIAGNOSE:
        from lmsdecide.diagnosis import diagnose

        return diagnose(scenario, **{**dict(params), "seed": seed})
    spec = get_model(model)
    values = dict(params)
    if spec.stochastic:
        values["seed"] = seed
    return spec(scenario, **values)


def evaluate_variants(
    base: Mapping[str, Any],
    factors: Sequence[Factor],
    measures: Sequence[Measure],
    variants: pd.DataFrame,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Evaluate each variant (row) of ``variants``: one row out per row in, measures as columns.

    Parameters
    ----------
    base
        Plain data of the base scenario (``Scenario.to_data()``).
    factors
        The factors, one column of ``variants`` each.
    measures
        What to read.
    variants
        One row per variant.
    params
        Fixed parameter values per model (``{"simulate_schedule": {"n": 1000}}``); a varying
        parameter factor overrides them.
    seed
        Seed of every stochastic model in every variant (common random numbers).

    Each model a measure needs runs once per variant; scenario fields are applied to a copy of
    the base data and validated (cross-references are unchanged by construction).
    """
    fixed = {k: dict(v) for k, v in (params or {}).items()}
    models = list(dict.fromkeys(m.model for m in measures))
    columns: dict[str, list[Any]] = {m.name: [] for m in measures}
    for row, scenario in iter_variants(base, factors, variants):
        results: dict[str, Any] = {}
        for model in models:
            values = {**fixed.get(model, {}), **param_values(factors, row, model)}
            results[model] = _run_model(model, scenario, values, seed)
        for m in measures:
            columns[m.name].append(m.read(results[m.model], scenario))
    return pd.DataFrame(columns, index=variants.index)


def param_values(factors: Sequence[Factor], row: Mapping[str, Any], model: str) -> dict[str, Any]:
    """The values of ``model``'s parameter factors in one variant (plain Python values)."""
    out: dict[str, Any] = {}
    for f in factors:
        if f.target == "param" and f.model == model:
            value = row[f.name]
            out[str(f.param)] = value.item() if isinstance(value, np.generic) else value
    return out


def iter_variants(
    base: Mapping[str, Any], factors: Sequence[Factor], variants: pd.DataFrame
) -> Iterator[tuple[dict[str, Any], Scenario]]:
    """Each variant's row (as a dict) and its validated scenario.

    Scenario fields are applied to a copy of the base data; cross-references cannot change, so
    pydantic's field validation runs alone, and only an invalid variant goes through
    ``validate_scenario`` for its located, plain-language report.
    """
    from lmsdecide.scenario import validate_scenario

    scenario_factors = [f for f in factors if f.target == "scenario"]
    base_scenario: Scenario | None = None
    for row in variants.to_dict("records"):
        if scenario_factors:
            data = apply_values(base, {f.name: row[f.name] for f in scenario_factors})
            try:
                scenario = Scenario.model_validate(data, context={"references_checked": True})
            except Exception:
                scenario = validate_scenario(data)
        else:
            if base_scenario is None:
                base_scenario = validate_scenario(dict(base))
            scenario = base_scenario
        yield {str(k): v for k, v in row.items()}, scenario
