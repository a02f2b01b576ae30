"""The report in headless chromium: offline, every figure drawn, no injected script runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lmsdecide.io import example
from lmsdecide.report import write_report
from tests.browser.conftest import ARTIFACTS
from tests.test_report import FIGURE_KEYS, HOSTILE, hostile_scenario

pytestmark = pytest.mark.browser

COMPARISON_FIGURES = 5


@pytest.fixture(scope="module")
def report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    scenarios = [hostile_scenario(), example("learning_led_early_engagement")]
    return write_report(scenarios, path, n=400, seed=1)


def test_report_opens_offline_draws_every_figure_and_runs_no_injected_script(
    page: Any, report_path: Path
) -> None:
    requests: list[str] = []
    dialogs: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        else:  # the report must not need the network: refuse and record
            requests.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report_path.as_uri())
    expected = 2 * len(FIGURE_KEYS) + COMPARISON_FIGURES
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}",
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))

    assert requests == []
    assert dialogs == []
    assert page.errors == []
    assert page.evaluate("typeof window.__pwned") == "undefined"

    # every figure is drawn with data
    plots = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(
            el => ({id: el.id, traces: (el.data || []).length}))"""
    )
    assert len(plots) == expected
    assert all(p["traces"] > 0 for p in plots), plots

    # the hostile texts are shown as text, in the page and inside the figures
    assert page.locator("#scenario-1 h2").inner_text() == HOSTILE[0]
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    scripts = page.evaluate(
        "[...document.scripts].filter(s => s.textContent.includes('__pwned')"
        " && !s.textContent.includes('Plotly.newPlot')).length"
    )
    assert scripts == 0
    # the scorecard's column heads: the name as text, in lines (spaces become line breaks)
    heads = page.locator("#plot-compare-measures .xaxislayer-above").text_content()
    assert heads is not None and HOSTILE[0].replace(" ", "") in heads.replace(" ", "")
    drive_axis = page.locator("#plot-compare-drive .yaxislayer-above").text_content()
    assert drive_axis is not None and HOSTILE[0] in drive_axis
    # a name with formatting tags shows the tags as text, not as bold
    tornado = page.locator("#plot-s1-tornado .yaxislayer-above").text_content()
    assert tornado is not None and f"{HOSTILE[3]} dept3" in tornado
