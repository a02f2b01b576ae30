"""SMAA-2 rank acceptability: closed cases, plain Monte Carlo, the scoring rule, range fields."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsdecide.io import example, parse_scenario, scenario_to_bytes
from lmsdecide.partner import batch_scores, rank_acceptability, topsis, weighted_sum
from lmsdecide.scenario import Scenario, ScenarioError, validate_scenario
from tests.strategies import scenarios


def _scenario(
    partners: list[dict[str, Any]], criteria: list[dict[str, Any]] | None = None
) -> Scenario:
    criteria = criteria or [
        {"id": "quality", "name": "Quality", "direction": "benefit"},
        {"id": "fit", "name": "Fit", "direction": "benefit"},
    ]
    return validate_scenario(
        {
            "name": "smaa",
            "launch_target": 20,
            "learners": 100,
            "departments": [
                {
                    "id": "ld",
                    "name": "L&D",
                    "function": "learning",
                    "power": 0.5,
                    "interest": 0.5,
                    "legitimacy": 0.5,
                    "urgency": 0.5,
                    "authority": 1.0,
                    "susceptibility": 0.5,
                    "position": 0.5,
                    "criteria_weights": {c["id"]: 1.0 for c in criteria},
                }
            ],
            "phases": [
                {
                    "id": "plan",
                    "name": "Plan",
                    "duration": {"optimistic": 1, "likely": 2, "pessimistic": 3},
                    "escalation": {"low": 1, "high": 1},
                }
            ],
            "engagement": {"ld": "plan"},
            "criteria": criteria,
            "partners": [
                {"name": p["id"].title(), "type": "learning-specialist", **p} for p in partners
            ],
        }
    )


def test_dominating_partner_ranks_first_with_probability_one() -> None:
    s = _scenario(
        [
            {
                "id": "best",
                "scores": {"quality": 9, "fit": 9},
                "score_ranges": {"quality": {"low": 8, "high": 10}},
            },
            {
                "id": "mid",
                "scores": {"quality": 5, "fit": 6},
                "score_ranges": {"quality": {"low": 3, "high": 7.5}},
            },
            {"id": "low", "scores": {"quality": 2, "fit": 1}},
        ]
    )
    for weights in ("uniform", "drivers"):
        r = rank_acceptability(s, n=4096, seed=1, weights=weights)
        assert r.acceptability.loc["best", 1] == 1.0
        assert r.acceptability.loc["mid", 2] == 1.0
        assert r.acceptability.loc["low", 3] == 1.0
        assert r.first == "best"
        assert r.confidence_of("best") == 1.0
        assert np.isnan(r.confidence_of("low"))


def test_symmetric_partners_share_the_first_rank() -> None:
    s = _scenario(
        [
            {"id": "a", "scores": {"quality": 8, "fit": 3}},
            {"id": "b", "scores": {"quality": 3, "fit": 8}},
            {"id": "c", "scores": {"quality": 4, "fit": 4}},
        ]
    )
    r = rank_acceptability(s, n=2**14, seed=3, weights="uniform")
    p = r.first_rank
    assert p["a"] == pytest.approx(p["b"], abs=0.01)
    assert p["a"] + p["b"] + p["c"] == pytest.approx(1.0)
    # central weights mirror each other: a wins with quality-heavy weights, b with fit-heavy
    cw = r.central_weights
    assert cw.loc["a", "quality"] == pytest.approx(cw.loc["b", "fit"], abs=0.01)
    assert cw.loc["a", "quality"] > 0.5


def test_sobol_agrees_with_plain_monte_carlo() -> None:
    s = example("reseller_partner")
    qmc = rank_acceptability(s, n=2**14, seed=0, weights="uniform")
    mc = rank_acceptability(s, n=400_000, seed=11, weights="uniform", sampler="random")
    # plain MC's standard error at 400,000 draws is at most 0.0008
    np.testing.assert_allclose(qmc.acceptability, mc.acceptability, atol=0.01)


def test_acceptability_is_a_doubly_stochastic_matrix_and_seeded() -> None:
    s = example("reseller_partner")
    r = rank_acceptability(s, n=2048, seed=5)
    a = r.acceptability.to_numpy()
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.sum(axis=0), 1.0)
    assert list(r.acceptability.columns) == [1, 2, 3, 4]
    assert list(r.acceptability.index) == [p.id for p in s.partners]
    assert r == rank_acceptability(s, n=2048, seed=5)
    assert r.to_frame()["first_rank"].sum() == pytest.approx(1.0)
    assert "Learnwise" in r.summary


def test_ranged_weights_stay_in_their_ranges() -> None:
    criteria = [
        {
            "id": "quality",
            "name": "Q",
            "direction": "benefit",
            "weight_range": {"low": 0.6, "high": 0.9},
        },
        {"id": "fit", "name": "F", "direction": "benefit"},
    ]
    s = _scenario(
        [
            {"id": "a", "scores": {"quality": 8, "fit": 3}},
            {"id": "b", "scores": {"quality": 3, "fit": 8}},
        ],
        criteria,
    )
    r = rank_acceptability(s, n=4096, seed=2, weights="ranged")
    # with quality weighing at least 0.6, the quality leader always wins (weighted sum and TOPSIS)
    assert r.acceptability.loc["a", 1] == 1.0
    assert 0.6 <= r.central_weights.loc["a", "quality"] <= 0.9


@pytest.mark.parametrize("method", ["topsis", "weighted_sum"])
def test_batch_scores_equal_the_single_draw_rules(method: str) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(1, 10, size=(50, 5, 4))
    W = rng.dirichlet(np.ones(4), size=50)
    benefit = np.array([True, False, True, False])
    must = np.array([3.0, np.nan, np.nan, 8.0])
    got = batch_scores(X, W, benefit, method=method, must_have=must)
    for k in range(50):
        if method == "topsis":
            want = topsis(X[k], W[k], benefit, must_have=must)
        else:
            want = weighted_sum(X[k], W[k], benefit, must_have=must)
        np.testing.assert_allclose(got[k], want, equal_nan=True)


def test_empty_problem_gives_an_empty_result() -> None:
    s = example("it_led").with_changes(partners=[], selected_partner=None)
    r = rank_acceptability(s, n=64)
    assert r.first is None
    assert r.acceptability.empty


@given(n=st.integers(max_value=0))
def test_bad_n(n: int) -> None:
    with pytest.raises(ValueError, match="n: must be between"):
        rank_acceptability(example("reseller_partner"), n=n)


@given(
    name=st.text(min_size=1, max_size=12).filter(
        lambda x: x not in ("drivers", "uniform", "ranged")
    )
)
def test_bad_weights_name(name: str) -> None:
    with pytest.raises(ValueError, match="weights"):
        rank_acceptability(example("reseller_partner"), n=64, weights=name)


# ---------------------------------------------------------------------------------------------
# The range fields: validation and round trips
# ---------------------------------------------------------------------------------------------


def _with_range(low: float, high: float) -> dict[str, Any]:
    data = example("reseller_partner").to_data()
    data["partners"][0]["score_ranges"] = {"support": {"low": low, "high": high}}
    return data


@given(low=st.floats(-100, 100), high=st.floats(-100, 100))
def test_score_range_must_hold_the_point_score(low: float, high: float) -> None:
    point = 8.0  # Learnwise's support score
    if low <= point <= high:
        validate_scenario(_with_range(low, high))
    else:
        with pytest.raises(ScenarioError, match=r"partners\[0\]\.score_ranges"):
            validate_scenario(_with_range(low, high))


def test_inverted_score_range_names_field_and_values() -> None:
    with pytest.raises(ScenarioError) as err:
        validate_scenario(_with_range(9.0, 7.0))
    assert "partners[0].score_ranges.support" in str(err.value)
    assert "low <= high, got 9, 7" in str(err.value)


def test_score_range_for_unknown_criterion() -> None:
    data = example("reseller_partner").to_data()
    data["partners"][0]["score_ranges"] = {"suport": {"low": 1, "high": 9}}
    with pytest.raises(
        ScenarioError, match=r"score_ranges\.suport: unknown criterion \(did you mean 'support'"
    ):
        validate_scenario(data)


@pytest.mark.parametrize(
    "ranges, match",
    [
        ({0: (0.5, 0.2)}, r"criteria\[0\]\.weight_range.*low <= high, got 0.5, 0.2"),
        ({0: (0.2, 1.5)}, r"criteria\[0\]\.weight_range\.high: must be between 0 and 1, got 1\.5"),
        ({j: (0.3, 0.5) for j in range(6)}, "the lows add up to more than 1"),
        ({j: (0.0, 0.1) for j in range(6)}, "the highs add up to less than 1"),
    ],
)
def test_bad_weight_ranges(ranges: dict[int, tuple[float, float]], match: str) -> None:
    data = example("reseller_partner").to_data()
    for j, (lo, hi) in ranges.items():
        data["criteria"][j]["weight_range"] = {"low": lo, "high": hi}
    with pytest.raises(ScenarioError, match=match):
        validate_scenario(data)


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_ranges_round_trip_in_every_format(fmt: str) -> None:
    data = example("reseller_partner").to_data()
    data["criteria"][1]["weight_range"] = {"low": 0.05, "high": 0.4}
    data["criteria"][4]["weight_range"] = {"low": 0.1, "high": 0.5}
    s = validate_scenario(data)
    back = parse_scenario(scenario_to_bytes(s, fmt), fmt)
    assert back == s
    assert back.criteria[1].weight_range is not None
    assert back.partners[2].score_ranges["integration"].high == 10.0


@settings(max_examples=25)
@given(scenarios(max_departments=6), st.sampled_from(["drivers", "uniform", "ranged"]))
def test_any_scenario_gives_a_stochastic_matrix(scenario: Scenario, weights: str) -> None:
    r = rank_acceptability(scenario, n=128, seed=0, weights=weights)
    if r.first is None:
        assert r.acceptability.empty or not scenario.criteria
        return
    a = r.acceptability.to_numpy()
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.sum(axis=0), 1.0)
    assert np.all((r.disqualified >= 0) & (r.disqualified <= 1))
