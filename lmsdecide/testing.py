"""Conformance checks for registered models, for this package's tests and for yours.

Every model registered with :func:`~lmsdecide.registry.register_model` keeps one contract:

- its declared parameter names are exactly its keyword arguments after the scenario (and
  ``seed``), with the same defaults, and each declaration has a label, help text and a source;
- the defaults validate;
- on every bundled scenario it returns a frozen dataclass (whose ``to_frame()``, when it has one,
  returns a DataFrame), and the same inputs and seed give an equal result
  (:func:`~lmsdecide.results.values_equal`);
- a stochastic model's result depends on its seed;
- a bad parameter value is refused with a :class:`~lmsdecide.params.ParamError` naming it.

A researcher's package runs the same checks on its own models, as scikit-learn ships its
estimator checks::

    from lmsdecide.testing import check_model
    import my_package  # registers my_model

    def test_my_model_conforms():
        check_model("my_model")

or, with pytest, one test per check and model::

    @pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
    def test_conforms(check):
        check(get_model("my_model"))

This module imports pytest nowhere: a failed check raises ``AssertionError`` with a message that
names the model and what broke.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from lmsdecide.io import example, list_examples
from lmsdecide.params import ParamError
from lmsdecide.registry import ModelSpec, all_models, get_model
from lmsdecide.results import values_equal
from lmsdecide.scenario import Scenario

__all__ = [
    "CHECKS",
    "FAST",
    "call_model",
    "check_all_models",
    "check_declarations",
    "check_defaults_validate",
    "check_model",
    "check_refuses_bad_values",
    "check_reproducible_result",
    "check_seed_matters",
]

#: Values that keep stochastic models quick in a conformance run (applied where declared).
FAST: dict[str, Any] = {"n": 500}

#: The scenario on which a stochastic model must depend on its seed (late IT: rework varies).
SEED_SCENARIO = "learning_led_late_it"

Check = Callable[[ModelSpec], None]


def _spec(model: ModelSpec | Callable[..., Any] | str) -> ModelSpec:
    """The registry entry of a spec, a registered function or a name."""
    if isinstance(model, ModelSpec):
        return model
    if isinstance(model, str):
        return get_model(model)
    for spec in all_models().values():
        if model in (spec.func, getattr(spec.func, "__wrapped__", None)):
            return spec
    raise ValueError(f"model: {getattr(model, '__name__', model)!r} is not registered")


def call_model(spec: ModelSpec, scenario: Scenario, seed: int | None = 7) -> Any:
    """Run ``spec`` on ``scenario`` at its defaults (quickened by :data:`FAST`) and ``seed``."""
    values = {k: v for k, v in FAST.items() if k in spec.params}
    if spec.stochastic:
        values["seed"] = seed
    return spec.func(scenario, **values)


def _examples(scenarios: Iterable[Scenario] | None) -> list[Scenario]:
    return list(scenarios) if scenarios is not None else [example(n) for n in list_examples()]


def check_declarations(spec: ModelSpec) -> None:
    """Declared names equal the keyword arguments after the scenario (``seed`` aside)."""
    params = inspect.signature(spec.func).parameters
    keywords = [p for p in list(params)[1:] if p != "seed"]
    assert sorted(keywords) == sorted(spec.params.names), (
        f"{spec.name}: keyword arguments {sorted(keywords)} differ from the declared "
        f"parameters {sorted(spec.params.names)}"
    )
    for declared in spec.params:
        default = params[declared.name].default
        assert default == declared.default, (
            f"{spec.name}.{declared.name}: the function's default {default!r} differs from the "
            f"declared default {declared.default!r}"
        )
        assert declared.label and declared.help, f"{spec.name}.{declared.name} needs label, help"
        assert declared.source, f"{spec.name}.{declared.name} needs a source"


def check_defaults_validate(spec: ModelSpec) -> None:
    """The declared defaults pass the declarations' own validation unchanged."""
    assert spec.params.validate({}) == spec.params.defaults(), f"{spec.name}: defaults change"


def check_reproducible_result(spec: ModelSpec, scenarios: Iterable[Scenario] | None = None) -> None:
    """A frozen dataclass on every scenario (bundled by default), equal when run again."""
    for scenario in _examples(scenarios):
        where = f"{spec.name} on {scenario.name!r}"
        first = call_model(spec, scenario)
        assert dataclasses.is_dataclass(first) and not isinstance(first, type), (
            f"{where}: returned {type(first).__name__}, not a dataclass instance"
        )
        params = getattr(type(first), "__dataclass_params__", None)
        assert params is not None and params.frozen, f"{where}: the result must be frozen"
        if hasattr(first, "to_frame"):
            assert isinstance(first.to_frame(), pd.DataFrame), f"{where}: to_frame()"
        again = call_model(spec, scenario)
        assert values_equal(first, again), f"{where}: same inputs and seed, different result"


def check_seed_matters(spec: ModelSpec) -> None:
    """A stochastic model gives different results for different seeds (others: nothing)."""
    if not spec.stochastic:
        return
    scenario = example(SEED_SCENARIO)
    a, b = call_model(spec, scenario, seed=1), call_model(spec, scenario, seed=2)
    assert not values_equal(a, b), f"{spec.name}: seeds 1 and 2 give the same result"


def check_refuses_bad_values(spec: ModelSpec) -> None:
    """A value of the wrong type is refused before the model runs, naming the parameter."""
    scenario = example(list_examples()[0])
    for declared in spec.params:
        try:
            spec.func(scenario, **{declared.name: object()})
        except ParamError as exc:
            assert declared.name in str(exc), f"{spec.name}: the error must name {declared.name}"
        else:
            raise AssertionError(f"{spec.name}.{declared.name}: accepted an object() value")


#: Every check, each taking a :class:`~lmsdecide.registry.ModelSpec`.
CHECKS: tuple[Check, ...] = (
    check_declarations,
    check_defaults_validate,
    check_reproducible_result,
    check_seed_matters,
    check_refuses_bad_values,
)


def check_model(
    model: ModelSpec | Callable[..., Any] | str, scenarios: Sequence[Scenario] | None = None
) -> None:
    """Run every conformance check on one model (a spec, a registered function or a name).

    Parameters
    ----------
    model
        The model.
    scenarios
        Scenarios for the result checks; default: every bundled scenario.

    Raises
    ------
    AssertionError
        Naming the model and the first contract it breaks.
    """
    spec = _spec(model)
    for check in CHECKS:
        if check is check_reproducible_result:
            check_reproducible_result(spec, scenarios)
        else:
            check(spec)


def check_all_models(area: str | None = None) -> list[str]:
    """Run :func:`check_model` on every registered model (of ``area`` when given).

    Returns
    -------
    list of str
        The names of the models checked.
    """
    names = sorted(n for n, s in all_models().items() if area is None or s.area == area)
    for name in names:
        check_model(name)
    return names
