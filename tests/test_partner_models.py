"""Scenario-level partner models: the bundled story, must-haves, expertise match, robustness."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.influence import who_drives
from lmsdecide.partner import (
    cosine_similarity,
    decision_problem,
    expertise_match,
    partner_ranking,
    topsis,
    weight_sensitivity,
    whose_weights_win,
    whose_weights_win_from_shares,
)
from lmsdecide.registry import all_models
from lmsdecide.scenario import Scenario, validate_scenario
from tests.strategies import scenarios

EXAMPLES = L.list_examples()
PARTNER_MODELS = ("partner_ranking", "expertise_match", "weight_sensitivity", "whose_weights_win")


# ---------------------------------------------------------------------------------------------
# The bundled story
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["topsis", "weighted_sum"])
def test_it_led_drivers_pick_a_different_partner_than_learning(method: str) -> None:
    s = L.example("it_led")
    r = whose_weights_win(s, method=method)
    assert r.differs
    assert r.top_learning is not None
    types = dict(zip(r.partner_ids, r.partner_types, strict=True))
    assert types[r.top_learning] == "learning-specialist"
    assert types[r.top_effective or ""] != "learning-specialist"
    # IT drives: the current learning share is below the flip, which is below one half
    assert r.flip_share is not None and r.share < r.flip_share < 0.5
    assert r.segment_tops[-1] == r.top_learning
    assert "from a learning share of" in r.summary


@pytest.mark.parametrize("name", ["learning_led_early_engagement", "learning_led_late_it"])
def test_learning_led_drivers_pick_the_learning_specialist(name: str) -> None:
    r = whose_weights_win(L.example(name))
    assert not r.differs
    assert r.partner_types[r.partner_ids.index(r.top_effective or "")] == "learning-specialist"


def test_drive_shares_come_from_who_drives() -> None:
    s = L.example("it_led")
    shares = who_drives(s).share
    assert whose_weights_win(s) == whose_weights_win_from_shares(s, shares)
    r = whose_weights_win(s)
    np.testing.assert_allclose(r.shares.sum(), 1.0)
    assert r.share == pytest.approx(who_drives(s).learning_share)


def test_effective_weights_are_the_share_weighted_average() -> None:
    s = L.example("it_led")
    shares = who_drives(s).share
    r = whose_weights_win_from_shares(s, shares)
    crit = r.criterion_ids
    rows = np.array(
        [[d.criteria_weights.get(c, 0.0) for c in crit] for d in s.departments], dtype=float
    )
    rows = rows / rows.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(r.effective_weights, shares @ rows / shares.sum())
    # and the ranking they give is TOPSIS with those weights
    p = decision_problem(s)
    np.testing.assert_allclose(
        r.scores_effective, topsis(p.matrix, r.effective_weights, p.benefit, must_have=p.must_have)
    )


def test_flip_share_is_where_the_two_leaders_tie() -> None:
    s = L.example("it_led")
    r = whose_weights_win(s)
    assert r.flip_share is not None
    a = r.partner_ids.index(r.segment_tops[-2] or "")
    b = r.partner_ids.index(r.top_learning or "")
    k = int(np.argmin(np.abs(r.curve_shares - r.flip_share)))
    assert r.curve_shares[k] == r.flip_share
    assert r.curve_scores[k, a] == pytest.approx(r.curve_scores[k, b], abs=1e-10)


# ---------------------------------------------------------------------------------------------
# Hand-made scenario: whose weights win, by hand
# ---------------------------------------------------------------------------------------------


def _tiny(share_ld: float = 0.2, must_have: float | None = None) -> Scenario:
    dept = {
        "power": 0.5,
        "interest": 0.5,
        "legitimacy": 0.5,
        "urgency": 0.5,
        "susceptibility": 0.0,
        "position": 0.0,
    }
    return validate_scenario(
        {
            "name": "tiny",
            "launch_target": 10,
            "learners": 100,
            "departments": [
                {
                    "id": "ld",
                    "name": "L&D",
                    "function": "learning",
                    "authority": share_ld,
                    "criteria_weights": {"fit": 1.0},
                    **dept,
                },
                {
                    "id": "it",
                    "name": "IT",
                    "function": "it",
                    "authority": 1 - share_ld,
                    "criteria_weights": {"price": 1.0},
                    **dept,
                },
            ],
            "phases": [
                {
                    "id": "p",
                    "name": "P",
                    "duration": {"optimistic": 1, "likely": 1, "pessimistic": 1},
                    "escalation": {"low": 1, "high": 1},
                },
            ],
            "engagement": {"ld": "p", "it": "p"},
            "criteria": [
                {
                    "id": "fit",
                    "name": "Learning fit",
                    "direction": "benefit",
                    "must_have": must_have,
                },
                {"id": "price", "name": "Price", "direction": "cost"},
            ],
            "partners": [
                {
                    "id": "a",
                    "name": "A",
                    "type": "learning-specialist",
                    "scores": {"fit": 10, "price": 200},
                },
                {"id": "b", "name": "B", "type": "reseller", "scores": {"fit": 0, "price": 100}},
                {
                    "id": "c",
                    "name": "C",
                    "type": "it-integrator",
                    "scores": {"fit": 7, "price": 130},
                },
            ],
            "team_expertise": {"design": 0.9, "systems": 0.1},
        }
    )


def test_whose_weights_win_by_hand() -> None:
    # Min-max normalised: fit (1, 0, .7), price (0, 1, .7). Weighted sums along the learning
    # share s: A = s, B = 1 - s, C = .7: the reseller B leads below .3, C to .7, A from .7 up.
    s = _tiny(share_ld=0.2)
    r = whose_weights_win_from_shares(s, [0.2, 0.8], method="weighted_sum")
    np.testing.assert_allclose(r.breakpoints, [0.3, 0.7], atol=1e-12)
    assert r.segment_tops == ("b", "c", "a")
    assert r.flip_share == pytest.approx(0.7)
    assert r.top_effective == "b" and r.top_learning == "a"
    np.testing.assert_allclose(r.scores_effective, [0.2, 0.8, 0.7])
    assert r.summary == (
        "With the current drivers (learning share 0.20), B (reseller) wins; from a learning share "
        "of 0.70 up, A (learning-specialist) does."
    )
    frame = r.path_frame()
    assert list(frame["top"]) == ["b", "c", "a"]


def test_must_have_disqualifies_the_learning_specialist() -> None:
    s = _tiny(must_have=8.0)  # fit must be at least 8: A (10) passes, B (0) and C (7) fail
    r = partner_ranking(s, weights_from="equal")
    assert list(r.qualified) == [True, False, False]
    assert r.failed == ((), ("fit",), ("fit",))
    assert r.top == "a" and r.ranks[0] == 1
    off = partner_ranking(s, weights_from="equal", apply_must_haves=False)
    assert off.qualified.all() and np.isfinite(off.scores).all()


def test_ranking_weight_sources() -> None:
    s = _tiny(share_ld=0.2)
    learning = partner_ranking(s, weights_from="learning", method="weighted_sum")
    np.testing.assert_allclose(learning.weights, [1.0, 0.0])
    assert learning.top == "a"
    equal = partner_ranking(s, weights_from="equal")
    np.testing.assert_allclose(equal.weights, [0.5, 0.5])
    frame = learning.to_frame()
    assert list(frame.columns[:5]) == ["partner", "name", "type", "score", "rank"]
    long = learning.criteria_frame()
    assert len(long) == 6 and long["profile"].between(0, 1).all()


def test_expertise_match_by_hand() -> None:
    # cos((.9, .1), (1, 0)) = .9 / sqrt(.82)
    np.testing.assert_allclose(
        cosine_similarity(np.array([0.9, 0.1]), np.eye(2)),
        [0.9 / np.sqrt(0.82), 0.1 / np.sqrt(0.82)],
    )
    np.testing.assert_allclose(cosine_similarity(np.array([0.0, 0.0]), np.eye(2)), [0.0, 0.0])
    with pytest.raises(ValueError, match="one column per expertise area"):
        cosine_similarity(np.ones(2), np.ones((2, 3)))


def test_expertise_match_bundled() -> None:
    # it_led's own team is systems-minded, so the integrator matches best; a learning-led
    # team matches the learning specialist.
    assert expertise_match(L.example("it_led")).best == "techbridge"
    led = expertise_match(L.example("learning_led_early_engagement"))
    assert led.partner_types[led.partner_ids.index(led.best or "")] == "learning-specialist"
    frame = led.to_frame()
    assert frame["similarity"].between(0, 1).all() and frame["best"].sum() == 1
    assert len(led.profiles_frame()) == (len(led.partner_ids) + 1) * len(led.areas)


def test_weight_sensitivity_bundled() -> None:
    r = weight_sensitivity(L.example("it_led"))
    ranking = partner_ranking(L.example("it_led"))
    assert r.top == ranking.top
    np.testing.assert_allclose(r.weights, ranking.weights)
    assert np.all(r.lower <= r.weights + 1e-12) and np.all(r.weights <= r.upper + 1e-12)
    assert r.most_sensitive in r.criterion_ids
    assert len(r.to_frame()) == len(r.criterion_ids)


# ---------------------------------------------------------------------------------------------
# Registration and robustness
# ---------------------------------------------------------------------------------------------


def test_models_are_registered_with_matching_keywords() -> None:
    models = all_models()
    for name in PARTNER_MODELS:
        spec = models[name]
        assert spec.area == "partner" and not spec.stochastic
        kw = [
            p.name
            for p in inspect.signature(spec.func).parameters.values()
            if p.kind is p.KEYWORD_ONLY
        ]
        assert kw == list(spec.params.names)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_model_runs_on_every_example(name: str) -> None:
    s = L.example(name)
    for model in PARTNER_MODELS:
        spec = all_models()[model]
        first, second = spec(s), spec(s)
        assert dataclasses.is_dataclass(first)
        assert first == second
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(first, "method", "x")  # noqa: B010
        frame = first.to_frame()
        assert len(frame) > 0


def _shares(s: Scenario, data: Any) -> np.ndarray:
    n = len(s.departments)
    return np.asarray(data.draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)))


@given(scenarios(), st.data(), st.sampled_from(["topsis", "weighted_sum"]))
def test_models_never_crash_on_random_scenarios(s: Scenario, data: Any, method: str) -> None:
    shares = _shares(s, data)
    for source in ("equal", "learning"):
        r = partner_ranking(s, method=method, weights_from=source)
        assert len(r.to_frame()) == len(s.partners)
    expertise_match(s).to_frame()
    w = whose_weights_win_from_shares(s, shares, method=method)
    assert len(w.segment_tops) == len(w.breakpoints) + 1
    assert np.all((w.breakpoints > 0) & (w.breakpoints < 1))
    assert isinstance(w.summary, str)
    weight_sensitivity(s, method=method, weights_from="equal").to_frame()


def test_bad_parameters_are_named() -> None:
    s = L.example("it_led")
    with pytest.raises(ValueError, match="method: must be one of"):
        partner_ranking(s, method="electre")
    with pytest.raises(ValueError, match="shares: must have one entry per department"):
        whose_weights_win_from_shares(s, [1.0])
    with pytest.raises(ValueError, match="shares: must be finite and non-negative"):
        whose_weights_win_from_shares(s, [-1.0] + [0.1] * (len(s.departments) - 1))
