"""Parameter declarations and the model registry."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsdecide.params import BoolParam, ChoiceParam, FloatParam, IntParam, ParamError, ParamSet
from lmsdecide.registry import get_model, register_model

THRESHOLD = FloatParam(
    name="threshold", label="Threshold", default=0.5, min=0.0, max=1.0, unit="share"
)
DRAWS = IntParam(name="draws", label="Draws", default=1000, min=100, max=100_000)
METHOD = ChoiceParam(name="method", label="Method", default="eigen", choices=("eigen", "geomean"))
FLAG = BoolParam(name="flag", label="Flag", default=False)
PS = ParamSet((THRESHOLD, DRAWS, METHOD, FLAG))


def test_defaults_and_validation() -> None:
    assert PS.defaults() == {"threshold": 0.5, "draws": 1000, "method": "eigen", "flag": False}
    assert PS.validate({"threshold": "0.7", "draws": 2000.0}) == {
        "threshold": 0.7,
        "draws": 2000,
        "method": "eigen",
        "flag": False,
    }


def test_every_problem_named_with_its_value() -> None:
    with pytest.raises(ParamError) as info:
        PS.validate(
            {"threshold": 1.7, "draws": 2.5, "method": "median", "flag": "yes", "threshhold": 1}
        )
    assert info.value.problems == [
        "threshold: must be between 0 and 1, got 1.7",
        "draws: must be a whole number, got 2.5",
        "method: must be one of eigen, geomean; got 'median'",
        "flag: must be true or false, got 'yes'",
        "threshhold: unknown parameter (did you mean 'threshold'?), got 1",
    ]


@pytest.mark.parametrize("bad", [math.nan, math.inf, "abc", None, [1], True])
def test_float_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(ValueError, match="threshold: must be a finite number"):
        THRESHOLD.validate(bad)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_float_accepts_exactly_the_declared_range(x: float) -> None:
    if math.isfinite(x) and 0.0 <= x <= 1.0:
        assert THRESHOLD.validate(x) == x
    else:
        with pytest.raises(ValueError):
            THRESHOLD.validate(x)


def test_declarations_are_checked_when_made() -> None:
    with pytest.raises(ValueError, match="x: must be between 0 and 1, got 2"):
        FloatParam(name="x", label="x", default=2.0, min=0.0, max=1.0)
    with pytest.raises(TypeError, match="min < max"):
        FloatParam(name="x", label="x", default=0.0, min=1.0, max=0.0)
    with pytest.raises(TypeError, match="duplicate parameter names: flag"):
        ParamSet((FLAG, dataclasses.replace(FLAG, label="again")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        THRESHOLD.default = 0.2  # type: ignore[misc]


def test_describe_lists_the_assumption() -> None:
    row = PS.describe()[0]
    assert row["name"] == "threshold" and row["kind"] == "float" and row["source"] == "illustrative"


def test_register_model_checks_the_signature() -> None:
    with pytest.raises(
        TypeError, match=r"declared parameters not in signature: \['threshold', 'method', 'flag'\]"
    ):

        @register_model(name="bad_model", label="Bad", area="test", params=PS)
        def bad_model(scenario: object, *, draws: int = 1000) -> None: ...


def test_registered_model_validates_its_parameters() -> None:
    ps = ParamSet((THRESHOLD,))

    @register_model(name="toy_model", label="Toy", area="test", params=ps, replace=True)
    def toy_model(scenario: object, *, threshold: float = 0.5, seed: int | None = None) -> float:
        return threshold

    spec = get_model("toy_model")
    assert spec.stochastic
    assert spec(None, threshold=0.25) == 0.25
    with pytest.raises(ParamError, match="threshold: must be between 0 and 1, got 3"):
        spec(None, threshold=3)
    with pytest.raises(KeyError, match="unknown model 'nope'"):
        get_model("nope")


def test_a_registered_function_checks_its_arguments_when_called_directly() -> None:
    ps = ParamSet((THRESHOLD,))

    @register_model(name="toy_direct", label="Toy", area="test", params=ps, replace=True)
    def toy_direct(scenario: object, *, threshold: float = 0.5, seed: int | None = None) -> float:
        return threshold

    assert toy_direct(None, threshold="0.25") == 0.25  # converted from text, as from a text box
    with pytest.raises(ParamError, match="threshold: must be between 0 and 1, got 3"):
        toy_direct(None, threshold=3)
    with pytest.raises(ValueError, match="seed: must be a whole number"):
        toy_direct(None, seed=1.5)
    assert toy_direct.__wrapped__(None, threshold=3) == 3  # the undecorated body


def test_an_unknown_argument_is_a_param_error_with_a_suggestion() -> None:
    ps = ParamSet((THRESHOLD,))

    @register_model(name="toy_unknown", label="Toy", area="test", params=ps, replace=True)
    def toy_unknown(scenario: object, *, threshold: float = 0.5) -> float:
        return threshold

    with pytest.raises(
        ParamError, match="thresold: unknown parameter \\(did you mean 'threshold'\\?\\)"
    ):
        toy_unknown(None, thresold=0.2)
    assert (
        get_model("toy_unknown")(None, threshold=0.2, seed=3) == 0.2
    )  # seed ignored: not stochastic


@pytest.mark.parametrize(
    ("model", "bad", "message"),
    [
        ("late_engagement", {"rework_capacity": -1.0}, "rework_capacity: must be"),
        ("recommend_plan", {"n": 0}, "n: must be"),
        ("adoption", {"horizon": -2.0}, "horizon: must be"),
        ("rank_acceptability", {"concentration": -1.0}, "concentration: must be"),
        ("rank_acceptability", {"seed": np.random.default_rng(0)}, "seed: must be a whole"),
    ],
)
def test_the_public_models_check_their_arguments_through_the_registry_alone(
    model: str, bad: dict[str, object], message: str
) -> None:
    """The model bodies hold no checks of their own: a direct call of the public function is
    checked by ``register_model``'s wrapper, naming the argument and the value."""
    import importlib

    import lmsdecide as lms

    area = "partner" if model == "rank_acceptability" else "timing"
    func = getattr(importlib.import_module(f"lmsdecide.{area}"), model)
    with pytest.raises(ValueError, match=message):
        func(lms.example("it_led"), **bad)


def test_values_from_reads_the_declared_names_in_order() -> None:
    namespace = {"flag": True, "method": "geomean", "draws": 500, "threshold": 0.2, "other": 1}
    record = PS.values_from(namespace)
    assert list(record) == ["threshold", "draws", "method", "flag"]  # declaration order
    assert record == {"threshold": 0.2, "draws": 500, "method": "geomean", "flag": True}
    with pytest.raises(KeyError, match="flag"):
        PS.values_from({"threshold": 0.2, "draws": 500, "method": "eigen"})


def test_compare_plans_checks_and_converts_its_arguments() -> None:
    from lmsdecide.io import example
    from lmsdecide.timing import compare_plans

    with pytest.raises(ParamError, match=r"rework_capacity.*-1"):
        compare_plans(example("it_led"), n=200, seed=1, rework_capacity=-1)
    with pytest.raises(ValueError, match="seed"):
        compare_plans(example("it_led"), n=200, seed="one")  # type: ignore[arg-type]
    result = compare_plans(example("it_led"), n=200.0, seed=1)  # a whole float: converted
    assert result.n == 200 and isinstance(result.n, int) and result.completion_a.size == 200
