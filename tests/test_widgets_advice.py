"""Advice panels: levers, partner odds and value of information on request, marked stale."""

from __future__ import annotations

import numpy as np
import pytest

from lmsdecide.io import example
from lmsdecide.widgets import ChoosePartner, WhoDrives, Workshop


def test_who_drives_levers_on_request_and_stale_after_an_edit() -> None:
    d = WhoDrives("it_led", findings=False)
    assert d.advice.figures == {}  # nothing computed until asked
    d.advice.buttons["levers"].click()
    fig = d.advice.figures["levers"]
    assert fig.layout.title.text == "Cheapest way for learning to drive"
    assert np.asarray(fig.data[0].x[:-1], dtype=float).sum() == pytest.approx(0.5)
    assert "Cheapest combination" in d.advice.texts["levers"]
    d.set("authority", 2.0)
    assert d.advice.stale(d.scenario) == ("levers",)
    assert "press the button again" in d.advice.message.value
    d.advice.run("levers")
    assert d.advice.stale(d.scenario) == ()


def test_who_drives_levers_follow_the_threshold() -> None:
    d = WhoDrives("it_led", findings=False)
    d.set("threshold", 0.3)
    d.advice.run("levers")
    assert "to 30%" in d.advice.texts["levers"]


def test_choose_partner_odds_and_worth() -> None:
    c = ChoosePartner("reseller_partner", findings=False)
    c.advice.run("odds")
    odds = c.advice.figures["odds"]
    np.testing.assert_allclose(np.sum([np.asarray(t.x) for t in odds.data], axis=0), 1.0)
    assert "Learnwise Partners 7" in c.advice.texts["odds"]
    c.advice.run("worth")
    assert c.advice.figures["worth"].layout.title.text == "What is worth finding out"


def test_choose_partner_without_partners_says_so() -> None:
    s = example("learning_led_late_it").with_changes(partners=[], selected_partner=None)
    c = ChoosePartner(s, findings=False)
    c.advice.run("worth")
    assert "no partners" in c.advice.message.value
    assert "worth" not in c.advice.figures


def test_workshop_tab_restyles_with_the_font_scale() -> None:
    w = Workshop()
    assert w.controls["tabs"].titles[-1] == "What to do"
    w.advice.run("levers")
    before = w.advice.figures["levers"].layout.font.size
    w.set_font_scale(1.5)
    assert w.advice.figures["levers"].layout.font.size > before
    w.go(1)
    assert w.advice.stale(w.scenario) == ("levers",)
