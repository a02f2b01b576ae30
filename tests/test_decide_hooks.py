"""The diagnosis quotes the decision helpers: cheapest levers and partner odds."""

from __future__ import annotations

import pytest

from lmsdecide.diagnosis import diagnose
from lmsdecide.io import example


@pytest.fixture(scope="module")
def reseller() -> object:
    return diagnose(example("reseller_partner"), n=300)


def test_partner_odds_warns_when_another_partner_is_likelier(reseller: object) -> None:
    f = reseller.finding("PARTNER_ODDS")  # type: ignore[attr-defined]
    assert f is not None and f.severity == "warning"
    assert f.evidence["selected"] == "boxshift"
    assert f.evidence["first_rank_learnwise"] > 0.7
    assert f.evidence["first_rank_boxshift"] < 0.1
    assert "Learnwise Partners ranks first" in f.title


def test_no_odds_finding_when_the_selected_partner_is_the_clear_choice() -> None:
    d = diagnose(example("learning_led_early_engagement"), n=300)
    assert d.finding("PARTNER_ODDS") is None


def test_learning_not_driving_names_the_cheapest_combination() -> None:
    d = diagnose(example("it_led"), n=300)
    f = d.finding("LEARNING_NOT_DRIVING")
    assert f is not None
    assert "no single lever is enough" in f.recommendation
    assert "Cheapest combination (21.43 points)" in f.recommendation
    assert (
        "move the Accountable for 'Choose the system and implementation partner' from "
        "Information Technology to Learning and Development" in f.recommendation
    )
