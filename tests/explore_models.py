"""Test models for the explore tests (registered once; they conform to the registry contract).

- ``explore_test_ishigami``: the Ishigami function (Ishigami & Homma 1990) of three declared
  parameters on [−π, π], a = 7, b = 0.1.
- ``explore_test_linear``: y = 3 x1 − 2 x2 + 0.5 x3 on [0, 1]³.
- ``explore_test_counting``: learning share (as ``who_drives``), counting its calls and raising
  on a chosen variant (to interrupt a sweep).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from lmsdecide.influence import who_drives
from lmsdecide.params import FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.scenario import Scenario

PI = math.pi


@dataclass(frozen=True)
class Value:
    y: float


def _unit(name: str, low: float = 0.0, high: float = 1.0, default: float = 0.5) -> FloatParam:
    return FloatParam(
        name=name,
        label=f"Input {name}",
        default=default,
        min=low,
        max=high,
        help=f"Input {name} of a test function with a known answer.",
        source="test function",
    )


ISHIGAMI_PARAMS = ParamSet(tuple(_unit(f"x{i}", -PI, PI, 0.0) for i in (1, 2, 3)))


@register_model(
    name="explore_test_ishigami",
    label="Ishigami",
    area="test",
    params=ISHIGAMI_PARAMS,
    replace=True,
)
def ishigami(scenario: Scenario, *, x1: float = 0.0, x2: float = 0.0, x3: float = 0.0) -> Value:
    """y = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1."""
    return Value(math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1))


LINEAR_PARAMS = ParamSet(tuple(_unit(f"x{i}") for i in (1, 2, 3)))
COEFFICIENTS = (3.0, -2.0, 0.5)


@register_model(
    name="explore_test_linear", label="Linear", area="test", params=LINEAR_PARAMS, replace=True
)
def linear(scenario: Scenario, *, x1: float = 0.5, x2: float = 0.5, x3: float = 0.5) -> Value:
    """y = 3 x1 − 2 x2 + 0.5 x3."""
    return Value(3.0 * x1 - 2.0 * x2 + 0.5 * x3)


CALLS: list[float] = []
FAIL_AT: dict[str, Any] = {"authority": None}


@register_model(
    name="explore_test_counting", label="Counting", area="test", params=ParamSet(), replace=True
)
def counting(scenario: Scenario) -> Value:
    """The learning share; records each call's IT authority; raises at ``FAIL_AT``."""
    authority = scenario.department("it").authority if "it" in scenario.department_ids else 0.0
    if FAIL_AT["authority"] is not None and authority == FAIL_AT["authority"]:
        raise RuntimeError("interrupted")
    CALLS.append(authority)
    return Value(who_drives(scenario).learning_share)
