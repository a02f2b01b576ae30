"""CompareScenarios in-process: choosing scenarios redraws the comparison figures in place."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.comparison import compare
from lmsdecide.diagnosis.core import DIAGNOSIS_CACHE
from lmsdecide.figures import compare as FC
from lmsdecide.io import scenario_to_bytes
from lmsdecide.widgets import CompareScenarios
from lmsdecide.widgets.base import LIVE_SEED
from tests.figure_data import data_of
from tests.kernel_loop import findings_shown

BUILDERS = {
    "measures": FC.measures_figure,
    "drive": FC.drive_comparison_figure,
    "completion": FC.completion_comparison_figure,
    "adoption": FC.adoption_comparison_figure,
    "findings": FC.findings_comparison_figure,
}


def assert_comparison(dash: CompareScenarios, names: list[str], n: int = 2000) -> None:
    expected = compare([L.example(x) for x in names], n=n, seed=LIVE_SEED)
    assert expected.diagnosed
    assert dash.comparison == expected
    for name, build in BUILDERS.items():
        assert data_of(dash.figures[name]) == data_of(build(expected)), name


def test_choosing_scenarios_redraws_the_same_widgets() -> None:
    dash = CompareScenarios(["it_led", "learning_led_late_it"])
    assert_comparison(dash, ["it_led", "learning_led_late_it"])
    widgets = dict(dash.figures)
    dash.controls["scenarios"].value = ("it_led", "cloud_no_integration", "reseller_partner")
    assert_comparison(dash, ["it_led", "cloud_no_integration", "reseller_partner"])
    assert all(dash.figures[k] is widgets[k] for k in widgets)
    # one tab per figure, under the table
    tabs = dash.controls["tabs"]
    assert tabs.titles == ("Side by side", "Who drives", "Go-live", "Adoption", "Findings")
    assert [box.children[0] for box in tabs.children] == [dash.figures[k] for k in BUILDERS]
    assert "Learning share of the decision" in dash.table.value
    # it_led's adoption never reaches 80%: said in words, not "inf"
    assert dash.comparison.wide()["t80"].iloc[0] == float("inf")
    assert "never (ceiling below 80%)" in dash.table.value and ">inf<" not in dash.table.value


def test_a_scenario_taken_out_and_put_back_edits_the_figures_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three scenarios, two, three again: the figures' traces stay (the one taken out hidden),
    so each figure gets edits in place, never traces deleted or added (a full redraw each)."""
    three = ("it_led", "learning_led_late_it", "learning_led_early_engagement")
    dash = CompareScenarios(list(three))
    kinds: list[str] = []

    def record(self: Any, msg: dict[str, Any], buffers: Any = None) -> None:
        kinds.extend(k for k in msg.get("state", {}) if k.startswith("_py2js_"))

    monkeypatch.setattr(go.FigureWidget, "_send", record)
    dash.controls["scenarios"].value = three[:2]
    assert_comparison(dash, list(three[:2]))
    # the scorecard is one trace whichever the scenarios; the curves of the third, hidden
    assert len(dash.figures["measures"].data) == 1
    completion = dash.figures["completion"]
    assert [t.visible for t in completion.data] == [None, None, False]
    dash.controls["scenarios"].value = three
    assert_comparison(dash, list(three))
    assert kinds and set(kinds) == {"_py2js_update"}
    # a fourth scenario adds its traces (the figure never had that many)
    dash.controls["scenarios"].value = (*three, "reseller_partner")
    assert "_py2js_addTraces" in kinds


def test_one_scenario_is_refused_with_a_message() -> None:
    dash = CompareScenarios(["it_led", "learning_led_late_it"])
    good = {k: data_of(f) for k, f in dash.figures.items()}
    dash.controls["scenarios"].value = ("it_led",)
    assert "choose two to 5 scenarios" in dash.messages["scenarios"].value
    assert {k: data_of(f) for k, f in dash.figures.items()} == good


def test_more_draws_and_upload() -> None:
    dash = CompareScenarios(["it_led", "learning_led_late_it"])
    dash.controls["n"].value = 3000
    dash.controls["more_draws"].click()
    assert_comparison(dash, ["it_led", "learning_led_late_it"], n=3000)
    content = scenario_to_bytes(L.example("cloud_no_integration"), "json")
    dash.controls["upload"].value = (
        {
            "name": "mine.json",
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )
    assert dash.chosen[-1] == "uploaded: mine.json"
    assert dash.scenario("uploaded: mine.json") == L.example("cloud_no_integration")
    assert_comparison(dash, ["it_led", "learning_led_late_it", "cloud_no_integration"])


def test_in_a_kernel_the_comparison_goes_out_before_its_findings() -> None:
    """On a running loop the diagnoses wait until the notebook is done: the table says the
    counts are being checked, then the comparison equals a synchronous build's."""
    names = ["it_led", "learning_led_late_it", "learning_led_early_engagement"]
    DIAGNOSIS_CACHE.clear()  # none diagnosed yet, whichever test ran before

    async def in_kernel() -> tuple[CompareScenarios, str, str]:
        dash = CompareScenarios(names)
        first_table = dash.table.value
        first_title = dash.figures["findings"].layout.title.subtitle.text
        await findings_shown(dash._findings)
        return dash, first_table, first_title

    dash, first_table, first_title = asyncio.run(in_kernel())
    assert "checking…" in first_table and "Go-live P50" in first_table
    assert "Checking the scenarios" in first_title
    assert dash.comparison.diagnosed
    assert_comparison(dash, names)
    assert "checking…" not in dash.table.value


def test_in_a_kernel_a_new_choice_shows_the_figures_first_and_known_findings_at_once() -> None:
    DIAGNOSIS_CACHE.clear()
    first, second = ["it_led", "learning_led_late_it"], ["it_led", "reseller_partner"]

    async def in_kernel() -> tuple[CompareScenarios, list[tuple[bool, bool]]]:
        dash = CompareScenarios(first)
        await findings_shown(dash._findings)
        seen = [(dash.comparison.diagnosed, "checking…" in dash.table.value)]
        dash.controls["scenarios"].value = tuple(second)  # reseller_partner: not diagnosed yet
        seen.append((dash.comparison.diagnosed, "checking…" in dash.table.value))
        measures = data_of(dash.figures["measures"])
        assert measures == data_of(FC.measures_figure(compare_now(second)))  # figures first
        dash.controls["scenarios"].value = tuple(first)  # diagnosed before: shown at once
        seen.append((dash.comparison.diagnosed, "checking…" in dash.table.value))
        dash.controls["scenarios"].value = tuple(second)
        await findings_shown(dash._findings)
        seen.append((dash.comparison.diagnosed, "checking…" in dash.table.value))
        return dash, seen

    dash, seen = asyncio.run(in_kernel())
    assert seen == [(True, False), (False, True), (True, False), (True, False)]
    assert_comparison(dash, second)


def compare_now(names: list[str]) -> Any:
    return compare([L.example(x) for x in names], n=2000, seed=LIVE_SEED)
