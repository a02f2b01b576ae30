"""Power–interest grid, salience and RACI decision rights."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import lmsdecide as L
from lmsdecide.influence import decision_rights, power_interest, quadrant, salience, salience_class

# Mitchell, Agle & Wood (1997), Academy of Management Review 22(4), Figure 2 "Qualitative
# classes of stakeholders": 1 dormant (power), 2 discretionary (legitimacy), 3 demanding
# (urgency), 4 dominant (power + legitimacy), 5 dangerous (power + urgency), 6 dependent
# (legitimacy + urgency), 7 definitive (all three), 8 non-stakeholder (none).
MAW_TABLE = {
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
    (False, False, False): "non-stakeholder",
}


@pytest.mark.parametrize(("attrs", "name"), sorted(MAW_TABLE.items()))
def test_salience_class_published_table(attrs, name):
    assert salience_class(*attrs) == name


def test_salience_class_covers_all_eight_combinations():
    names = {salience_class(*c) for c in itertools.product([False, True], repeat=3)}
    assert len(names) == 8 and all(n == n.lower() for n in names)


def test_salience_class_rejects_non_bool():
    with pytest.raises(ValueError, match="power: must be true or false"):
        salience_class(0.7, True, False)  # type: ignore[arg-type]


# Mendelow (1991) grid as taught (e.g. Johnson, Scholes & Whittington, Exploring Corporate
# Strategy): high power & high interest "key players" (manage closely); high power, low
# interest keep satisfied; low power, high interest keep informed; low/low minimal effort.
@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (0.9, 0.9, "manage closely"),
        (0.9, 0.1, "keep satisfied"),
        (0.1, 0.9, "keep informed"),
        (0.1, 0.1, "monitor"),
        (0.5, 0.5, "manage closely"),  # at the threshold counts as high
    ],
)
def test_quadrants(power, interest, expected):
    assert quadrant(power, interest) == expected


def test_grid_on_it_led():
    r = power_interest(L.example("it_led"))
    q = dict(zip(r.departments, r.quadrant, strict=True))
    assert q["it"] == "manage closely"
    assert q["ld"] == "keep informed"  # the source article's warning: L&D reduced to being informed
    df = r.to_frame()
    np.testing.assert_allclose(df["power"], r.power)
    assert len(r.phase_frame()) == len(r.phases) * len(r.departments)


def test_grid_thresholds_move_quadrants():
    s = L.example("it_led")
    r = power_interest(s, power_threshold=0.25)
    assert dict(zip(r.departments, r.quadrant, strict=True))["ld"] == "manage closely"


def test_salience_by_phase_uses_overrides():
    s = L.example("it_led")  # comms: power 0.3, urgency 0.3; at launch power 0.5, urgency 0.9
    r = salience(s)
    c = r.departments.index("comms")
    launch = r.phases.index("launch")
    assert r.salience_class[c] == "discretionary"
    assert r.phase_class[launch][c] == "definitive"
    assert r.phase_score[launch, c] == pytest.approx((0.5 + 0.5 + 0.9) / 3)
    assert r.score[c] == pytest.approx((0.3 + 0.5 + 0.3) / 3)


def test_salience_threshold_zero_makes_everyone_definitive():
    r = salience(L.example("it_led"), attribute_threshold=0.0)
    assert set(r.salience_class) == {"definitive"}
    assert set(r.group) == {"definitive"}


# -- RACI -------------------------------------------------------------------------------------


def test_raci_it_led_flags_learning_decisions_held_by_it():
    r = decision_rights(L.example("it_led"))
    assert r.learning_accountable_fraction == 0.0
    assert any("learning_needs" in p and "it (it)" in p for p in r.problems)
    assert any(p.startswith("communications_plan: no one is Accountable") for p in r.problems)
    assert any(p.startswith("budget: no one is Responsible") for p in r.problems)
    assert not r.ok


def test_raci_learning_led_has_learning_accountable():
    r = decision_rights(L.example("learning_led_early_engagement"))
    assert r.learning_accountable_fraction == 1.0
    assert not any("not to learning" in p for p in r.problems)


def test_raci_two_accountable_is_a_gap():
    s = L.example("learning_led_early_engagement")
    data = s.to_data()
    data["decisions"][0]["rights"]["it"] = "A"
    r = decision_rights(L.validate_scenario(data))
    first = data["decisions"][0]["id"]
    assert any(p.startswith(f"{first}: 2 departments are Accountable") for p in r.problems)
    assert r.learning_accountable[first] is False


def test_raci_frames():
    r = decision_rights(L.example("it_led"))
    tidy = r.to_frame()
    assert set(tidy["role"]) <= {"R", "A", "C", "I"}
    wide = r.matrix_frame()
    assert wide.shape == (len(r.decisions), len(r.departments))
    checks = r.checks_frame()
    assert list(checks["decision"]) == list(r.decisions)
    assert checks.loc[checks["decision"] == "go_live", "ok"].item()
    assert not checks.loc[checks["decision"] == "architecture", "ok"].item()  # no Responsible


def test_raci_without_decisions_is_empty():
    s = L.example("it_led")
    data = s.to_data()
    data.pop("decisions")
    r = decision_rights(L.validate_scenario(data))
    assert r.decisions == () and r.problems == () and np.isnan(r.learning_accountable_fraction)
