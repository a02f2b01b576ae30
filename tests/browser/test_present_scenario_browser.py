"""`lmsdecide present --scenario FILE`: the workshop tells the story of that organisation.

Serves the workshop app as the command does, with an organisation built by the interview, and
checks that every step shows that organisation's names and numbers: the step's title, the
scenario's name, the prompt's numbers (from the models, on the app's seed) and the drive-share
figure's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lmsdecide.cli import present_command
from lmsdecide.interview import build_scenario, example_answers
from lmsdecide.io import save_scenario
from lmsdecide.widgets.base import LIVE_SEED
from lmsdecide.workshop import key_numbers, story_for
from tests.browser.conftest import ARTIFACTS, free_port
from tests.browser.pages import voila_app
from tests.browser.test_workshop_browser import PLOTS_JS, drive_plot, model_shares, wait_for_drive

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = save_scenario(
        build_scenario(example_answers()), tmp_path_factory.mktemp("org") / "org.yaml"
    )
    port = free_port()
    command, env = present_command(port, scenario=path)
    with voila_app(command, env, "voila-present-scenario.log") as (url, _started):
        yield url, path


def test_present_scenario_tells_that_organisations_story(
    served: tuple[str, Path], browser: Any
) -> None:
    from lmsdecide.io import load_scenario

    url, path = served
    story = story_for(load_scenario(path))
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, timeout=240_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=240_000
    )
    for number, step in enumerate(story.steps, start=1):
        if number > 1:
            page.get_by_role("button", name="Next ▶").click()
        page.get_by_text(step.title).first.wait_for(timeout=60_000)
        scenario = story.sources[step.scenario]
        assert scenario.name.startswith("Northwind Health Trust")
        page.get_by_text(scenario.name).first.wait_for(timeout=60_000)
        numbers = key_numbers(scenario, n=2000, seed=LIVE_SEED, with_findings=False)
        look = step.look_at.format(**numbers.as_dict())
        page.locator(".look", has_text=look).first.wait_for(timeout=60_000)
        expected = model_shares(scenario)
        wait_for_drive(page, expected)
        assert drive_plot(page.evaluate(PLOTS_JS)) == pytest.approx(expected)
        page.screenshot(path=str(ARTIFACTS / f"present-scenario-step{number}.png"))
    assert "Digital and IT" in look or number == 4
    assert "Traceback" not in page.inner_text("body")
    assert not errors, errors
    context.close()
