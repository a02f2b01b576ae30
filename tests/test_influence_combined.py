"""Combined levers: the optimiser against brute force, and the returned scenario recomputed."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsdecide.influence import (
    CombinedLeversResult,
    LeverBounds,
    LeverCosts,
    combined_levers,
    influence_matrix,
    who_drives,
)
from lmsdecide.io import example, load_scenario
from lmsdecide.scenario import Scenario, validate_scenario
from lmsdecide.timing import simulate_schedule
from tests.strategies import scenarios

SCENARIOS = "data/scenarios"


def _dept(id_: str, function: str, authority: float, susceptibility: float) -> dict[str, Any]:
    return {
        "id": id_,
        "name": id_.upper(),
        "function": function,
        "power": 0.5,
        "interest": 0.5,
        "legitimacy": 0.5,
        "urgency": 0.5,
        "authority": authority,
        "susceptibility": susceptibility,
        "position": 0.0,
    }


def small() -> Scenario:
    """Four departments: IT holds most authority, L&D listens to IT, a RACI decision held by IT."""
    return validate_scenario(
        {
            "name": "small",
            "launch_target": 20,
            "learners": 100,
            "departments": [
                _dept("ld", "learning", 0.5, 0.5),
                _dept("it", "it", 3.0, 0.4),
                _dept("fin", "finance", 1.0, 0.6),
                _dept("exec", "executive", 1.0, 0.7),
            ],
            "influence": [
                {"from": "ld", "to": "it", "weight": 1.0},
                {"from": "it", "to": "exec", "weight": 0.5},
                {"from": "it", "to": "it", "weight": 0.5},
                {"from": "fin", "to": "it", "weight": 1.0},
                {"from": "exec", "to": "fin", "weight": 0.5},
                {"from": "exec", "to": "it", "weight": 0.5},
            ],
            "phases": [
                {
                    "id": p,
                    "name": p,
                    "duration": {"optimistic": 2, "likely": 3, "pessimistic": 5},
                    "escalation": {"low": lo, "high": hi},
                }
                for p, lo, hi in (("plan", 1, 1), ("build", 3, 8), ("test", 10, 30))
            ],
            "engagement": {"ld": "build", "it": "plan", "fin": "test", "exec": "plan"},
            "concerns": [
                {"department": "ld", "name": "needs", "due": "plan", "effort": 2.0},
                {"department": "fin", "name": "budget", "due": "plan", "effort": 1.5},
            ],
            "decisions": [
                {"id": "needs", "name": "Needs", "learning_defining": True, "rights": {"it": "A"}},
                {"id": "arch", "name": "Arch", "rights": {"it": "A", "ld": "C"}},
            ],
        }
    )


def _brute_share(scenario: Scenario, t: float, bounds: LeverBounds, costs: LeverCosts) -> float:
    """Cheapest cost over the whole discretised grid, each candidate rebuilt and recomputed."""
    data = scenario.to_data()
    ids = scenario.department_ids
    a0 = {d.id: d.authority for d in scenario.departments}
    S0 = sum(a0.values())
    W = influence_matrix(scenario)
    listeners = [d for d in ids if a0[d] > 0]
    levels = (0.0, *bounds.attention_levels)
    step = bounds.authority_step
    assert step is not None and bounds.max_authority_increase is not None
    deltas = np.arange(0, bounds.max_authority_increase + 1e-9, step)
    transfer = bounds.raci_authority * a0["it"] / 2  # IT is Accountable for two decisions
    best = math.inf
    for thetas in itertools.product(levels, repeat=len(listeners)):
        edges = [e for e in data["influence"] if e["from"] not in listeners]
        for dep, th in zip(listeners, thetas, strict=True):
            row = W[ids.index(dep)] * (1 - th)
            row[0] += th  # ld is index 0
            edges += [
                {"from": dep, "to": ids[j], "weight": float(row[j])} for j in np.flatnonzero(row)
            ]
        for move in (False, True):
            for delta in deltas:
                auth = dict(a0)
                auth["ld"] += delta + (transfer if move else 0.0)
                auth["it"] -= transfer if move else 0.0
                depts = [{**d, "authority": auth[d["id"]]} for d in data["departments"]]
                variant = validate_scenario({**data, "departments": depts, "influence": edges})
                if who_drives(variant).learning_share >= t - 1e-9:
                    cost = (
                        costs.listening * sum(thetas)
                        + costs.authority * delta / S0
                        + costs.raci * move
                    )
                    best = min(best, cost)
                    break  # larger deltas only cost more
    return best


@pytest.mark.parametrize("target", [0.2, 0.3, 0.4])
def test_share_matches_brute_force(target: float) -> None:
    scenario = small()
    bounds = LeverBounds(
        max_authority_increase=6.0, authority_step=0.5, attention_levels=(0.5,), raci_authority=0.5
    )
    costs = LeverCosts(authority=10.0, listening=3.0, raci=1.0)
    result = combined_levers(scenario, target=target, costs=costs, bounds=bounds)
    brute = _brute_share(scenario, target, bounds, costs)
    assert result.feasible
    assert result.cost == pytest.approx(brute, abs=1e-9)
    assert who_drives(result.scenario).learning_share >= target - 1e-9


def test_it_led_combination_recomputes() -> None:
    scenario = load_scenario(f"{SCENARIOS}/it_led.yaml")
    result = combined_levers(scenario)
    assert isinstance(result, CombinedLeversResult)
    assert result.feasible
    assert result.learning_share_before < 0.1
    # no single lever reaches one half here: the answer must combine several
    assert result.changes["lever"].nunique() >= 2
    recomputed = who_drives(result.scenario).learning_share
    assert recomputed >= 0.5 - 1e-9
    assert recomputed == pytest.approx(result.learning_share)
    assert result.cost == pytest.approx(result.changes["cost"].sum())
    # the waterfall ends at the final share and never goes down
    shares = result.changes["share_after"].to_numpy()
    assert shares[-1] == pytest.approx(recomputed)
    assert np.all(np.diff(shares) >= -1e-12)
    # RACI: the learning-defining decisions moved are Accountable to L&D in the new scenario
    for row in result.changes[result.changes["lever"] == "raci"].itertuples():
        rights = next(d.rights for d in result.scenario.decisions if d.id == row.subject)
        assert rights["ld"] == "A"


def test_already_met_changes_nothing() -> None:
    scenario = load_scenario(f"{SCENARIOS}/learning_led_early_engagement.yaml")
    share = who_drives(scenario).learning_share
    result = combined_levers(scenario, target=min(0.99, max(0.01, share - 0.01)))
    assert result.feasible
    assert result.changes.empty
    assert result.cost == 0.0


def test_infeasible_names_the_binding_bound() -> None:
    scenario = small()
    bounds = LeverBounds(max_authority_increase=0.5, attention_levels=(0.25,))
    result = combined_levers(scenario, target=0.45, bounds=bounds)
    assert not result.feasible
    assert math.isnan(result.cost)
    assert result.best_share < 0.45
    assert "authority" in result.binding
    assert result.scenario is scenario


def _brute_p80(scenario: Scenario, p80_target: float, costs: LeverCosts, n: int) -> float:
    data = scenario.to_data()
    phases = scenario.phase_ids
    best = math.inf
    for ld_level, fin_level in itertools.product(range(2), range(3)):
        eng = dict(data["engagement"])
        eng["ld"] = phases[1 - ld_level]
        eng["fin"] = phases[2 - fin_level]
        variant = validate_scenario({**data, "engagement": eng})
        if simulate_schedule(variant, n, 0).p80 <= p80_target:
            best = min(best, costs.engagement * (ld_level + fin_level))
    return best


@pytest.mark.parametrize("quantile", [0.2, 0.5, 0.8])
def test_p80_matches_brute_force(quantile: float) -> None:
    scenario = small()
    n = 400
    # targets between the best and the current P80
    lo = simulate_schedule(
        validate_scenario(
            {
                **scenario.to_data(),
                "engagement": {"ld": "plan", "it": "plan", "fin": "plan", "exec": "plan"},
            }
        ),
        n,
        0,
    ).p80
    hi = simulate_schedule(scenario, n, 0).p80
    p80_target = lo + quantile * (hi - lo)
    costs = LeverCosts(engagement=1.0)
    result = combined_levers(scenario, target=0.01, p80_target=p80_target, costs=costs, n=n)
    assert result.feasible
    assert result.cost == pytest.approx(_brute_p80(scenario, p80_target, costs, n))
    assert simulate_schedule(result.scenario, n, 0).p80 <= p80_target
    assert result.p80 == pytest.approx(simulate_schedule(result.scenario, n, 0).p80)


def test_p80_and_share_together_on_it_led() -> None:
    scenario = load_scenario(f"{SCENARIOS}/it_led.yaml")
    before = simulate_schedule(scenario, 1000, 0).p80
    # engaging any other department earlier moves it_led's P80 by under 0.1 week (alone, at
    # n=1000); bounding the engagement lever to L&D, HR and the learners keeps the verified
    # search small: with all ten departments the cheap combinations that cannot help use up
    # its 400 rounds before the partner change is tried
    bounds = LeverBounds(engagement_departments=("ld", "hr", "learners"))
    result = combined_levers(scenario, target=0.4, p80_target=before - 8, bounds=bounds, n=1000)
    assert result.feasible
    assert who_drives(result.scenario).learning_share >= 0.4 - 1e-9
    assert simulate_schedule(result.scenario, 1000, 0).p80 <= before - 8
    assert set(result.changes["lever"]) & {"engagement", "partner"}
    assert set(result.changes["lever"]) & {"authority", "listening", "raci"}


def test_unreachable_p80_reports_best() -> None:
    scenario = small()
    result = combined_levers(scenario, target=0.01, p80_target=1.0, n=200)
    assert not result.feasible
    assert result.best_p80 > 1.0
    assert "P80" in result.note


@given(target=st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0)))
def test_bad_target(target: float) -> None:
    with pytest.raises(ValueError, match="target"):
        combined_levers(small(), target=target)


@given(cost=st.floats(max_value=-1e-6) | st.just(float("nan")) | st.just(float("inf")))
def test_bad_cost(cost: float) -> None:
    with pytest.raises(ValueError, match=r"costs\.authority"):
        combined_levers(small(), costs={"authority": cost})


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"costs": {"bribes": 1.0}}, "unknown lever 'bribes'"),
        ({"p80_target": -3.0}, "p80_target"),
        ({"n": 0}, "n: must be"),
        ({"bounds": LeverBounds(listeners=("nobody",))}, "unknown department 'nobody'"),
    ],
)
def test_bad_inputs(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        combined_levers(small(), target=0.3, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"attention_levels": (1.5,)}, "attention_levels"),
        ({"authority_step": 0.0}, "authority_step"),
        ({"raci_authority": 2.0}, "raci_authority"),
        ({"max_authority_increase": -1.0}, "max_authority_increase"),
    ],
)
def test_bad_bounds(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        LeverBounds(**kwargs)


@settings(max_examples=25)
@given(scenarios(max_departments=7), st.floats(0.05, 0.95))
def test_any_scenario_is_solved_or_explained(scenario: Scenario, target: float) -> None:
    result = combined_levers(scenario, target=target)
    if result.feasible:
        assert who_drives(result.scenario).learning_share >= target - 1e-9
        assert result.cost >= 0
    else:
        assert result.binding
        assert result.best_share < target


def test_p80_with_a_change_of_partner_matches_brute_force() -> None:
    # it_led: a reseller selected; levers limited to communications' engagement and two partners
    scenario = load_scenario(f"{SCENARIOS}/it_led.yaml")
    n = 400
    costs = LeverCosts(engagement=1.0, partner=1.5)
    bounds = LeverBounds(
        engagement_departments=("comms",),
        max_phases_earlier=3,
        partners=("learnwise", "techbridge"),
    )
    data = scenario.to_data()
    phases = scenario.phase_ids
    comms_now = scenario.engagement_index("comms")
    p80 = {}
    for level, partner in itertools.product(range(4), ("boxshift", "learnwise", "techbridge")):
        eng = dict(data["engagement"], comms=phases[comms_now - level])
        variant = validate_scenario({**data, "engagement": eng, "selected_partner": partner})
        cost = costs.engagement * level + costs.partner * (partner != "boxshift")
        p80[(level, partner)] = (simulate_schedule(variant, n, 0).p80, cost)
    # the partner matters here: a reseller's integration gaps surface in testing
    assert len({round(v, 6) for (lvl, _), (v, _) in p80.items() if lvl == 0}) > 1
    chose_partner = False
    for p80_target in sorted(v for v, _ in p80.values())[:-1]:
        result = combined_levers(
            scenario, target=0.01, p80_target=p80_target, costs=costs, bounds=bounds, n=n
        )
        brute = min(c for v, c in p80.values() if v <= p80_target)
        assert result.feasible
        assert result.cost == pytest.approx(brute)
        assert simulate_schedule(result.scenario, n, 0).p80 <= p80_target
        chose_partner |= "partner" in set(result.changes["lever"])
    assert chose_partner


def test_a_p80_target_that_only_the_right_departments_reach_is_met_on_it_led() -> None:
    """On it_led most departments' earlier engagement moves P80 by less than 0.1 week; the
    search leaves them out instead of spending its candidates on them.

    The target is derived, not pasted: just above the best P80 reachable with every lever at its
    bound (every department as early as allowed, the best partner), so it is feasible by
    construction and needs both a change of partner and the departments that matter."""
    from lmsdecide.influence.combined import _with_timing

    scenario = example("it_led")
    n = 2000
    owners = {c.department for c in scenario.concerns}
    depts = [d for d in scenario.department_ids if d in owners]
    levels = [scenario.engagement_index(d) for d in depts]
    data = scenario.to_data()
    reachable = min(
        simulate_schedule(validate_scenario(_with_timing(data, depts, levels, p.id)), n, 0).p80
        for p in scenario.partners
    )
    target = reachable + 0.2
    assert simulate_schedule(scenario, n, 0).p80 > target + 5  # far from met as it stands
    result = combined_levers(scenario, target=0.01, p80_target=target, n=n)
    assert result.feasible, result.binding
    assert result.p80 <= target
    assert simulate_schedule(result.scenario, n, 0).p80 == pytest.approx(result.p80)
