"""The shared conformance test: every registered model keeps the contract of lmsdecide.testing.

The checks live in :mod:`lmsdecide.testing` so that a researcher's package can run them on its
own models; here they run on every registered model, one test per check and model. A new model
registered with ``register_model`` is checked here with no new test.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lmsdecide.registry import all_models
from lmsdecide.testing import CHECKS, call_model, check_all_models, check_model
from tests.strategies import scenarios

MODELS = all_models()
BUILTIN_AREAS = {"influence", "timing", "partner"}


def test_every_builtin_area_registers_models() -> None:
    assert {spec.area for spec in MODELS.values()} >= BUILTIN_AREAS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_conforms(name: str, check: Any) -> None:
    check(MODELS[name])


def test_check_all_models_covers_an_area() -> None:
    assert check_all_models(area="influence") == sorted(
        n for n, s in MODELS.items() if s.area == "influence"
    )


def test_a_broken_model_fails_its_checks() -> None:
    from dataclasses import dataclass

    from lmsdecide.params import FloatParam, ParamSet
    from lmsdecide.registry import _REGISTRY, register_model

    @dataclass  # not frozen: breaks the contract
    class Loose:
        value: float

    params = ParamSet((FloatParam(name="k", label="k", default=1.0, min=0, max=2, help="k"),))

    @register_model(name="conformance_broken", label="Broken", area="test", params=params)
    def broken(scenario: Any, *, k: float = 1.0) -> Loose:
        return Loose(k)

    try:
        with pytest.raises(AssertionError, match=r"conformance_broken on .*must be frozen"):
            check_model(broken)
        with pytest.raises(AssertionError, match=r"conformance_broken\.k: the function's default"):

            @register_model(
                name="conformance_broken", label="B", area="test", params=params, replace=True
            )
            def broken_default(scenario: Any, *, k: float = 2.0) -> Loose:
                return Loose(k)

            check_model("conformance_broken")
    finally:
        _REGISTRY.pop("conformance_broken", None)


@pytest.mark.parametrize("name", sorted(MODELS))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=scenarios(max_departments=8))
def test_random_valid_scenarios_never_crash(name: str, scenario: Any) -> None:
    try:
        call_model(MODELS[name], scenario)
    except ValueError as exc:  # a clear refusal is allowed; a crash is not
        assert str(exc)
