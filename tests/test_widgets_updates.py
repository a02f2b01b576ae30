"""Figure-data helpers (lmsdecide.figures._updates) against the figure builders they mirror.

The property every helper must hold: drawing result r0 with the builder, then writing helper(r1)
into it, gives exactly the builder's figure for r1 (data and layout), whenever the structure is the
same; when it is not, nothing is written and apply_update says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.figures import _updates as U
from lmsdecide.figures import influence as FI
from lmsdecide.figures import partner as FP
from lmsdecide.figures import timing as FT
from lmsdecide.registry import get_model
from lmsdecide.scenario import Scenario
from tests.strategies import scenarios


def as_json(fig: go.Figure) -> dict[str, Any]:
    return json.loads(pio.to_json(fig))


def changed(s: Scenario, k: float = 0.5) -> Scenario:
    """Same structure (ids, functions, edges, phases), other numbers."""
    data = s.to_data()
    for d in data["departments"]:
        d["authority"] = d["authority"] * k + 0.3
        d["power"] = 1 - d["power"]
        d["interest"] = abs(0.5 - d["interest"])
        d["susceptibility"] *= 0.9
        d["position"] = -d["position"]
    for e in data.get("influence", []):
        e["weight"] = e["weight"] * 2 + 0.1
    phases = [p["id"] for p in data["phases"]]
    data["engagement"] = {d: phases[min(1, len(phases) - 1)] for d in data["engagement"]}
    for p in data.get("partners", []):
        first = next(iter(p["scores"]), None)
        if first is not None:
            p["scores"][first] = p["scores"][first] * 1.5 + 1
    return L.validate_scenario(data)


def M(name: str, scenario: Scenario, **kw: Any) -> Any:
    return get_model(name)(scenario, **kw)


# (name, builder, helper, results for a scenario and a set of parameter values)
CASES: list[tuple[str, Callable[..., go.Figure], Callable[..., U.FigureUpdate], Any]] = [
    (
        "drive_share",
        FI.drive_share_figure,
        U.drive_share_update,
        lambda s, k: (M("who_drives", s, threshold=0.3 + 0.2 * k),),
    ),
    (
        "network",
        FI.network_figure,
        U.network_update,
        lambda s, k: (M("influence_network", s, layout="circular" if k else "spring"),),
    ),
    (
        "grid",
        FI.power_interest_figure,
        U.power_interest_update,
        lambda s, k: (M("power_interest", s, power_threshold=0.2 + 0.5 * k), M("who_drives", s)),
    ),
    (
        "by_phase",
        FI.phase_drive_figure,
        U.phase_drive_update,
        lambda s, k: (M("who_drives_by_phase", s, threshold=0.4 + 0.2 * k),),
    ),
    (
        "timeline",
        FT.engagement_timeline,
        U.timeline_update,
        lambda s, k: (M("late_engagement", s, rework_capacity=2.0 + 4 * k),),
    ),
    (
        "completion",
        FT.completion_figure,
        U.completion_update,
        lambda s, k: (M("simulate_schedule", s, n=300, seed=int(k * 10)),),
    ),
    (
        "tornado",
        FT.tornado_figure,
        U.tornado_update,
        lambda s, k: (M("simulate_schedule", s, n=300, seed=int(k * 10)),),
    ),
    (
        "adoption",
        FT.adoption_figure,
        U.adoption_update,
        lambda s, k: (M("adoption", s, p_early=0.05 + 0.1 * k), M("adoption", s, q_high=0.5)),
    ),
    (
        "plan",
        FT.plan_figure,
        U.plan_update,
        lambda s, k: (M("recommend_plan", s, n=300, seed=1, meeting_effort=0.1 + k),),
    ),
    (
        "ranking",
        FP.ranking_figure,
        U.ranking_update,
        lambda s, k: (M("partner_ranking", s, method="topsis" if k else "weighted_sum"),),
    ),
    (
        "whose_weights",
        FP.whose_weights_figure,
        U.whose_weights_update,
        lambda s, k: (M("whose_weights_win", s, method="topsis" if k else "weighted_sum"),),
    ),
]
IDS = [c[0] for c in CASES]


def check_helper(builder: Any, helper: Any, r0: tuple[Any, ...], r1: tuple[Any, ...]) -> bool:
    """Apply helper(r1) to builder(r0); if written, the figure must equal builder(r1)."""
    fig = builder(*r0)
    before = as_json(fig)
    written = U.apply_update(fig, helper(*r1))
    if written:
        assert as_json(fig) == as_json(builder(*r1))
    else:
        assert as_json(fig) == before  # nothing half-written
    return written


@pytest.mark.parametrize("name,builder,helper,results", CASES, ids=IDS)
@pytest.mark.parametrize("example", L.list_examples())
def test_helper_reproduces_builder_on_bundled_scenarios(
    name: str, builder: Any, helper: Any, results: Any, example: str
) -> None:
    s0 = L.example(example)
    s1 = changed(s0)
    # same scenario, other parameters: the structure is the same, so the update is written
    assert check_helper(builder, helper, results(s0, 1), results(s0, 0)) or name in (
        "drive_share",
        "by_phase",
        "whose_weights",
    )
    # another scenario of the same shape
    check_helper(builder, helper, results(s0, 1), results(s1, 1))


@pytest.mark.parametrize("name,builder,helper,results", CASES, ids=IDS)
def test_helper_from_the_update_it_replaces(
    name: str, builder: Any, helper: Any, results: Any
) -> None:
    """Writing only the values that changed (``previous``) gives the same figure as writing all."""
    s0 = L.example("learning_led_late_it")
    r0, r1 = results(s0, 1), results(changed(s0), 0)
    fig = builder(*r0)
    if U.apply_update(fig, helper(*r1), previous=helper(*r0)):
        assert as_json(fig) == as_json(builder(*r1))


@pytest.mark.slow
@settings(max_examples=20)
@given(s=scenarios(max_departments=6), k=st.sampled_from([0.25, 3.0]))
def test_influence_helpers_on_random_scenarios(s: Scenario, k: float) -> None:
    s1 = changed(s, k)
    for _name, builder, helper, results in CASES[:4]:
        check_helper(builder, helper, results(s, 1), results(s1, 0))


@pytest.mark.slow
@settings(max_examples=15)
@given(s=scenarios(max_departments=5))
def test_timing_and_partner_helpers_on_random_scenarios(s: Scenario) -> None:
    s1 = changed(s)
    for name, builder, helper, results in CASES[4:]:
        if name in ("ranking", "whose_weights") and not s.partners:
            continue
        check_helper(builder, helper, results(s, 1), results(s1, 1))


def test_structure_change_is_refused_untouched() -> None:
    """Another scenario (other departments) does not fit: nothing is written."""
    a = FI.network_figure(M("influence_network", L.example("it_led")))
    data = L.example("it_led").to_data()
    data["departments"] = data["departments"][:3]
    keep = {d["id"] for d in data["departments"]}
    data["influence"] = [e for e in data["influence"] if e["from"] in keep and e["to"] in keep]
    data["engagement"] = {k: v for k, v in data["engagement"].items() if k in keep}
    data["concerns"] = [c for c in data["concerns"] if c["department"] in keep]
    for dec in data.get("decisions", []):
        dec["rights"] = {k: v for k, v in dec["rights"].items() if k in keep}
    small = L.validate_scenario(data)
    before = as_json(a)
    assert not U.apply_update(a, U.network_update(M("influence_network", small)))
    assert as_json(a) == before


def test_replace_figure_keeps_the_widget() -> None:
    fw = go.FigureWidget(FI.drive_share_figure(M("who_drives", L.example("it_led"))))
    target = FI.drive_share_figure(M("who_drives", L.example("learning_led_late_it")))
    U.replace_figure(fw, target)
    assert as_json(fw) == as_json(target)


@pytest.mark.parametrize(
    "a,b,same",
    [
        (np.array([1.0, np.nan]), np.array([1.0, np.nan]), True),
        (np.array([1.0, 2.0]), np.array([1.0, 2.5]), False),
        ([["a", 0.5]], np.array([["a", 0.5]], dtype=object), True),
        ("x", "y", False),
        (1, 1.0, False),  # a type change is written (plotly may encode them differently)
        (None, None, True),
        ({"a": 1}, {"a": 1}, True),
    ],
)
def test_same_value(a: Any, b: Any, same: bool) -> None:
    assert U.same_value(a, b) is same
