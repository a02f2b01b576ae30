"""The workshop app served as `make present` serves it (Voila), driven in Debian's chromium.

Steps through the story, moves a control, and checks what the page shows against the models: the
figures' data, no page error, no traceback, and no request to any host but 127.0.0.1. Screenshots
of each story step go to test-artifacts/. Timings (start to usable page, key press to figure) are
written to test-artifacts/workshop-timings.json.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lmsdecide import example
from lmsdecide.cli import present_command
from lmsdecide.diagnosis import diagnose
from lmsdecide.influence import who_drives
from lmsdecide.widgets.base import LIVE_SEED
from lmsdecide.workshop import STORY, bundled_story, compare_pair
from tests.browser.conftest import ARTIFACTS, free_port
from tests.browser.pages import voila_app

pytestmark = pytest.mark.browser

STORY_PAIR = bundled_story().pair

PLOTS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
    title: (el.layout && el.layout.title && el.layout.title.text) || '',
    traces: (el.data || []).map(t => ({
        name: t.name || '',
        x: t.x ? Array.from(t.x) : [],
        y: t.y ? Array.from(t.y) : [],
    })),
}))"""


def drive_plot(plots: list[dict[str, Any]]) -> dict[str, float]:
    for plot in plots:
        if plot["title"].startswith("Share of the final decision"):
            bars = plot["traces"][0]
            return {str(x): float(y) for x, y in zip(bars["x"], bars["y"], strict=True)}
    raise AssertionError(f"no drive-share figure among {[p['title'] for p in plots]}")


def model_shares(scenario: Any) -> dict[str, float]:
    drive = who_drives(scenario)
    return {d: float(s) for d, s in zip(drive.departments, drive.share, strict=True)}


def wait_for_drive(page: Any, expected: dict[str, float], timeout_ms: int = 120_000) -> None:
    """Wait until the drive-share figure in the page holds ``expected`` (department -> share)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        _wait_for_drive(page, expected, timeout_ms)
    except PlaywrightTimeout:
        shown = drive_plot(page.evaluate(PLOTS_JS))
        raise AssertionError(f"the page shows {shown}, the model gives {expected}") from None


def _wait_for_drive(page: Any, expected: dict[str, float], timeout_ms: int) -> None:
    page.wait_for_function(
        f"""(expected) => {{
            const plots = ({PLOTS_JS})();
            const d = plots.find(p => p.title.startsWith('Share of the final decision'));
            if (!d) return false;
            const bars = d.traces[0];
            if (bars.x.length !== Object.keys(expected).length) return false;
            return bars.x.every((dept, i) => Math.abs(bars.y[i] - expected[dept]) < 1e-9);
        }}""",
        arg=expected,
        timeout=timeout_ms,
    )


def with_authority(scenario: Any, department: str, authority: float) -> Any:
    """``scenario`` with one department's authority changed."""
    rows = [
        d.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        for d in scenario.departments
    ]
    return scenario.with_changes(
        departments=[
            {**row, "authority": authority} if d.id == department else row
            for d, row in zip(scenario.departments, rows, strict=True)
        ]
    )


@pytest.fixture(scope="module")
def app() -> Iterator[tuple[str, float]]:
    with voila_app(*present_command(free_port())) as served:
        yield served


def test_workshop_story_controls_and_offline(app: tuple[str, float], browser: Any) -> None:
    url, started = app
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: requests.append(request.url))
    timings: dict[str, float] = {}

    page.goto(url, timeout=240_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=240_000
    )
    timings["start_to_usable_page_s"] = time.monotonic() - started

    # the first page agrees with its controls (Voila ran the notebook before the page connected)
    first = STORY[0]
    assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(
        model_shares(example(first.scenario))
    )
    assert page.get_by_text(first.title).count()
    # the diagnosis, made once the page was out, reaches it
    verdict = diagnose(example(first.scenario), n=2000, seed=LIVE_SEED).verdict
    page.get_by_text(verdict).first.wait_for(timeout=60_000)
    # only the open tab's three figures are drawn; the other tabs' figures wait for theirs
    pending = ".lmsdecide [data-lmsdecide-draw='pending']"
    page.wait_for_function(f"() => document.querySelectorAll({pending!r}).length > 0")
    assert page.locator(".lmsdecide .js-plotly-plot").count() == 3
    waiting = page.locator(pending).count()
    assert page.evaluate(
        f"() => [...document.querySelectorAll({pending!r})].every(e => e.offsetWidth === 0)"
    )
    page.screenshot(path=str(ARTIFACTS / "workshop-step1.png"))

    for number, step in enumerate(STORY[1:], start=2):
        page.get_by_role("button", name="Next ▶").click()
        page.get_by_text(step.title).first.wait_for(timeout=60_000)
        expected = model_shares(example(step.scenario))
        wait_for_drive(page, expected)
        assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(expected)
        page.screenshot(path=str(ARTIFACTS / f"workshop-step{number}.png"))

    # back to the first step, then move the authority of L&D one step with the keyboard
    page.get_by_role("button", name="IT leads the LMS project").click()
    page.get_by_text(first.title).first.wait_for(timeout=60_000)
    wait_for_drive(page, model_shares(example(first.scenario)))
    scenario = example(first.scenario)
    ld = scenario.department("ld")
    slider = page.locator(".widget-slider").filter(has_text="Authority").first
    assert slider.locator(".widget-readout").inner_text().strip() == f"{ld.authority:.2f}"
    handle = slider.locator(".noUi-handle")
    handle.focus()
    pressed = time.monotonic()
    handle.press("ArrowRight")
    moved = with_authority(scenario, "ld", 0.55)
    wait_for_drive(page, model_shares(moved))
    timings["key_press_to_figure_s"] = time.monotonic() - pressed
    assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(model_shares(moved))
    page.screenshot(path=str(ARTIFACTS / "workshop-moved.png"))

    # a burst (the arrow key held down): the figure ends on the last value and stays there
    for _ in range(4):
        handle.press("ArrowRight")
    readout = float(slider.locator(".widget-readout").inner_text())
    assert readout == pytest.approx(0.75)
    held = with_authority(scenario, "ld", readout)
    wait_for_drive(page, model_shares(held))
    page.wait_for_timeout(1500)
    assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(model_shares(held))

    # A against B, computed when its tab is first opened: the story's pair on common draws
    page.locator(".lmsdecide .lm-TabBar-tab").nth(1).click()
    a, b = STORY_PAIR
    pair = compare_pair(example(a), example(b), n=2000, seed=LIVE_SEED, labels=(a, b))
    page.wait_for_function(
        """(want) => [...document.querySelectorAll('.js-plotly-plot')].some(el =>
            el.layout && el.layout.title && el.layout.title.subtitle
            && (el.layout.title.subtitle.text || '').includes(want)
            && (el.data || []).length === 2 && el.data[0].x && el.data[0].x.length > 0)""",
        arg=f"B - A = {pair.b.p50 - pair.a.p50:+.1f}",
        timeout=120_000,
    )
    shown = page.evaluate(PLOTS_JS)
    histograms = next(p for p in shown if p["title"].startswith("Go-live, A against B"))
    assert histograms["traces"][0]["x"] == pytest.approx(pair.risk_a.completion.tolist())
    assert histograms["traces"][1]["x"] == pytest.approx(pair.risk_b.completion.tolist())
    assert page.get_by_text("Critical findings").count()

    # the room's tab, opened for the first time: its figures are drawn now, from the kernel's
    # state (the first step's scenario, edited above)
    page.locator(".lmsdecide .lm-TabBar-tab").nth(2).click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].some(el =>
            el.offsetParent !== null && el.layout && el.layout.title
            && (el.layout.title.text || '').startsWith("The room's view")
            && (el.data || []).length > 0)""",
        timeout=60_000,
    )
    assert page.locator(pending).count() < waiting

    body = page.inner_text("body")
    assert "Traceback" not in body
    assert not errors, errors
    foreign = [
        u
        for u in requests
        if not u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
    ]
    assert not foreign, foreign
    (ARTIFACTS / "workshop-timings.json").write_text(json.dumps(timings, indent=2))
    context.close()


def test_workshop_opened_as_localhost_draws_its_figures(
    app: tuple[str, float], browser: Any
) -> None:
    """The app opened as ``localhost`` (another origin than 127.0.0.1 to the browser) loads
    plotly's bundle from its own server once, and draws the first step's figures."""
    url, _ = app
    local = url.replace("127.0.0.1", "localhost")
    page = browser.new_page()
    errors: list[str] = []
    bundles: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: bundles.append(r.url) if "widgetbundle" in r.url else None)
    page.goto(local, timeout=240_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3",
        timeout=240_000,
    )
    assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(
        model_shares(example(STORY[0].scenario))
    )
    assert len(bundles) == 1 and bundles[0].startswith(local), bundles
    assert not errors, errors
    page.close()
