"""The advice panels in a real browser: press the button, the figure holds the model's numbers.

JupyterLab and chromium as in test_dashboards_browser.py: open the notebook, Run All, pick a
scenario, press the panel's button; the waterfall (WhoDrives) and the partner odds
(ChoosePartner) drawn in the page must hold the numbers computed here from the same scenario.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import lmsdecide as L
from lmsdecide.influence import combined_levers
from lmsdecide.partner import rank_acceptability
from lmsdecide.widgets.base import LIVE_SEED
from tests.browser.conftest import ARTIFACTS, LabServer
from tests.browser.test_dashboards_browser import (
    assert_clean,
    open_notebook,
    plot_data,
    wait_for_plot,
)

pytestmark = pytest.mark.browser


def pick_scenario(page: Any, name: str) -> None:
    picker = page.locator(".widget-dropdown", has=page.locator("label", has_text="Scenario"))
    picker.first.locator("select").select_option(label=name)
    page.wait_for_timeout(1500)


def test_levers_panel_in_jupyterlab(lab_server: LabServer, page: Any) -> None:
    open_notebook(lab_server, page, "01_who_drives.ipynb")
    wait_for_plot(page, "Share of the final decision")
    pick_scenario(page, "it_led")
    button = page.get_by_role("button", name="Cheapest way for learning to drive")
    button.scroll_into_view_if_needed()
    button.click()
    title = "Cheapest way for learning to drive"
    wait_for_plot(page, title)
    want = combined_levers(L.example("it_led"))
    x = plot_data(page, title, 0, "x")  # the steps run down the page: the shares along x
    assert np.sum(x[:-1]) == pytest.approx(want.learning_share, abs=1e-9)
    assert len(plot_data(page, title, 0, "x")) == len(want.changes) + 2
    assert "Cheapest combination (21.43 points)" in page.inner_text("body")
    assert_clean(page)
    page.screenshot(path=str(ARTIFACTS / "advice_levers.png"), full_page=True)


def test_partner_odds_panel_in_jupyterlab(lab_server: LabServer, page: Any) -> None:
    open_notebook(lab_server, page, "03_choose_a_partner.ipynb")
    wait_for_plot(page, "Partner ranking")
    pick_scenario(page, "reseller_partner")
    button = page.get_by_role("button", name="Partner odds")
    button.scroll_into_view_if_needed()
    button.click()
    title = "Partner odds"
    wait_for_plot(page, title)
    want = rank_acceptability(L.example("reseller_partner"), n=4096, seed=LIVE_SEED)
    first = plot_data(page, title, 0, "x")  # rank 1, partners from lowest odds to highest
    assert sorted(first) == pytest.approx(sorted(want.first_rank.tolist()), abs=1e-12)
    assert_clean(page)
    page.screenshot(path=str(ARTIFACTS / "advice_odds.png"), full_page=True)
