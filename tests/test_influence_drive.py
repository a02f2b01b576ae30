"""who_drives, per-phase drive share and what it would take: stories, closed forms, properties."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.influence import (
    drive_share,
    friedkin_johnsen,
    influence_matrix,
    what_it_would_take,
    who_drives,
    who_drives_by_phase,
)
from lmsdecide.influence.levers import _learning_share, _redirect
from lmsdecide.registry import all_models
from lmsdecide.scenario import FUNCTIONS, LEARNING_FUNCTIONS
from tests.strategies import scenarios


def _with_authority(s, dept_id, value):
    data = s.to_data()
    for d in data["departments"]:
        if d["id"] == dept_id:
            d["authority"] = value
    return L.validate_scenario(data)


# -- the bundled story -------------------------------------------------------------------------


def test_it_led_is_not_learning_driven_and_it_drives():
    r = who_drives(L.example("it_led"))
    assert not r.learning_driven
    assert r.top_driver == "it"
    assert r.learning_share < 0.5
    assert r.group_position < 0  # the group ends on the technology-led side


def test_learning_led_early_engagement_is_learning_driven():
    r = who_drives(L.example("learning_led_early_engagement"))
    assert r.learning_driven
    assert r.functions[r.departments.index(r.top_driver)] in LEARNING_FUNCTIONS
    assert r.group_position > 0


def test_learning_driven_is_the_threshold_rule():
    s = L.example("learning_led_early_engagement")
    r = who_drives(s)
    assert who_drives(s, threshold=r.learning_share).learning_driven
    assert not who_drives(s, threshold=min(1.0, r.learning_share + 0.01)).learning_driven


def test_who_drives_matches_friedkin_johnsen_definition():
    s = L.example("it_led")
    r = who_drives(s)
    W = influence_matrix(s)
    lam = np.array([d.susceptibility for d in s.departments])
    x0 = np.array([d.position for d in s.departments])
    a = np.array([d.authority for d in s.departments])
    fj = friedkin_johnsen(W, lam, x0)
    np.testing.assert_allclose(r.share, (a / a.sum()) @ fj.total_influence, atol=1e-12)
    np.testing.assert_allclose(r.final_positions, fj.final, atol=1e-12)
    np.testing.assert_allclose(r.group_position, (a / a.sum()) @ fj.final, atol=1e-12)
    assert set(r.share_by_function) == set(FUNCTIONS)
    assert r.learning_share == pytest.approx(
        sum(r.share_by_function[f] for f in LEARNING_FUNCTIONS)
    )


def test_nobody_listens_gives_authority_shares():
    # with every susceptibility 0 nobody moves: the share is the normalised authority
    W = np.eye(3)
    np.testing.assert_allclose(drive_share(W, np.zeros(3), [1, 3, 0]), [0.25, 0.75, 0])
    with pytest.raises(ValueError, match="authority"):
        drive_share(W, np.zeros(3), [0, 0, 0])


def test_to_frame_is_tidy():
    r = who_drives(L.example("it_led"))
    df = r.to_frame()
    assert list(df["department"]) == list(r.departments)
    np.testing.assert_allclose(df["share"], r.share)
    assert r.function_frame()["share"].sum() == pytest.approx(1.0)


# -- properties on random scenarios ------------------------------------------------------------


@given(scenarios())
def test_shares_non_negative_and_sum_to_one(s):
    r = who_drives(s)
    assert r.share.shape == (len(s.departments),)
    assert np.all(r.share >= 0)
    assert r.share.sum() == pytest.approx(1.0, abs=1e-9)
    assert 0 <= r.learning_share <= 1 + 1e-12
    assert -1 - 1e-9 <= r.group_position <= 1 + 1e-9


@given(scenarios(), st.data())
def test_raising_authority_never_lowers_share(s, data):
    i = data.draw(st.integers(0, len(s.departments) - 1))
    extra = data.draw(st.floats(0.01, 20.0))
    before = who_drives(s)
    dep = s.departments[i]
    after = who_drives(_with_authority(s, dep.id, dep.authority + extra))
    assert after.share[i] >= before.share[i] - 1e-9


@given(scenarios())
def test_by_phase_rows_are_distributions(s):
    r = who_drives_by_phase(s)
    for p in range(len(s.phases)):
        row = r.share[p]
        if np.all(np.isnan(row)):
            continue
        assert np.all(row >= 0) and row.sum() == pytest.approx(1.0, abs=1e-9)
        assert np.all(row[~r.engaged[p]] == 0)


# -- per phase -----------------------------------------------------------------------------------


def test_by_phase_without_engagement_or_power_effect_equals_overall():
    s = L.example("it_led")
    r = who_drives_by_phase(s, engaged_only=False, phase_power_effect=0.0)
    overall = who_drives(s)
    for p in range(len(s.phases)):
        np.testing.assert_allclose(r.share[p], overall.share, atol=1e-12)


def test_by_phase_late_departments_have_no_say_early():
    s = L.example("it_led")  # ld and hr engaged at design (phase index 3)
    r = who_drives_by_phase(s)
    design = s.phase_index("design")
    assert np.all(r.learning_share[:design] == 0)
    assert r.learning_share[design] > 0
    df = r.to_frame()
    assert len(df) == len(s.phases) * len(s.departments)


# -- what it would take --------------------------------------------------------------------------


def test_already_learning_driven_needs_nothing():
    r = what_it_would_take(L.example("learning_led_early_engagement"))
    assert r.already and r.authority_increase == 0 and r.uniform_attention == 0


def test_authority_lever_reaches_target_exactly():
    s = L.example("it_led")
    r = what_it_would_take(s, target=0.3)
    assert np.isfinite(r.authority_needed)
    after = who_drives(_with_authority(s, r.department, r.authority_needed))
    assert after.learning_share == pytest.approx(0.3, abs=1e-9)
    # closed-form ceiling: authority alone cannot go beyond ℓ_d
    assert r.authority_limit > 0.3


def test_authority_lever_infeasible_above_ceiling():
    s = L.example("it_led")
    r = what_it_would_take(s, target=0.5)
    assert not r.already
    assert r.authority_limit <= 0.5 and np.isnan(r.authority_increase)
    assert "no single lever" in r.note


@pytest.mark.parametrize("target", [0.1, 0.13])
def test_attention_levers_reach_target(target):
    s = L.example("it_led")
    r = what_it_would_take(s, target=target)
    W = influence_matrix(s)
    lam = np.array([d.susceptibility for d in s.departments])
    a = np.array([d.authority for d in s.departments])
    a = a / a.sum()
    mask = np.array([d.function in LEARNING_FUNCTIONS for d in s.departments])
    d = s.department_ids.index(r.department)
    finite = 0
    for k_id, theta in zip(r.attention_departments, r.attention_needed, strict=True):
        k = s.department_ids.index(k_id)
        if np.isfinite(theta):
            finite += 1
            # Sherman–Morrison closed form agrees with recomputing the whole model
            got = _learning_share(_redirect(W, np.array([k]), d, theta), lam, a, mask)
            assert got == pytest.approx(target, abs=1e-9)
        else:
            got = _learning_share(_redirect(W, np.array([k]), d, 1.0), lam, a, mask)
            assert got < target + 1e-9
    assert finite >= 1
    rows = np.flatnonzero(~mask)
    got = _learning_share(_redirect(W, rows, d, r.uniform_attention), lam, a, mask)
    assert got == pytest.approx(target, abs=1e-9)


# -- registry conformance (my models) ------------------------------------------------------------


INFLUENCE_MODELS = {k: v for k, v in all_models().items() if v.area == "influence"}


def test_models_registered():
    assert {
        "who_drives",
        "who_drives_by_phase",
        "what_it_would_take",
        "power_interest",
        "salience",
        "decision_rights",
        "influence_network",
    } <= set(INFLUENCE_MODELS)


@pytest.mark.parametrize("name", sorted(INFLUENCE_MODELS))
@pytest.mark.parametrize("example", L.list_examples())
def test_models_run_with_defaults_and_repeat(name, example):
    spec = INFLUENCE_MODELS[name]
    keywords = {
        p.name for p in inspect.signature(spec.func).parameters.values() if p.kind == p.KEYWORD_ONLY
    }
    assert keywords == set(spec.params.names)
    s = L.example(example)
    first, second = spec(s), spec(s)
    assert first == second
    if hasattr(first, "to_frame"):
        assert len(first.to_frame().columns) > 0


@given(scenarios(max_departments=6))
def test_all_influence_models_run_on_random_scenarios(s):
    for spec in INFLUENCE_MODELS.values():
        spec(s)


def test_what_it_would_take_without_learning_department():
    s = L.example("it_led")
    data = s.to_data()
    for d in data["departments"]:
        if d["function"] in LEARNING_FUNCTIONS:
            d["function"] = "other"
    r = what_it_would_take(L.validate_scenario(data))
    assert r.department is None and "no learning or HR" in r.note


def test_a_group_hearing_the_others_below_rounding_counts_as_closed() -> None:
    """Found by the property test above: department 1 listens to itself and to department 0
    with weight 1e-71, fully susceptible. In floating point I − ΛW is singular (1 − (1 − 1e-71)
    is 0), so the group {1} is treated as closed and holds its own opinion: the shares are
    those of the exact ε = 0 network, a distribution, not zeros or NaN."""
    W = np.array([[1.0, 0.0], [1e-71, 1.0]])
    share = drive_share(W, [0.5, 1.0], [0.0, 1.0])
    # department 1 (authority 1) keeps its opinion; 0 has no authority and nobody hears it
    assert share.tolist() == [0.0, 1.0]
