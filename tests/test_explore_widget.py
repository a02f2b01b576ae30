"""The uncertainty explorer dashboard: driven through its controls, no browser."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.explore import MorrisResult, TornadoResult
from lmsdecide.figures.catalogue import CATALOGUE
from lmsdecide.widgets.explore import FIGURES, FINDING_BOXES, ExploreUncertainty
from tests.figure_data import shown_json


@pytest.fixture
def dash() -> ExploreUncertainty:
    """A fresh dashboard per test: the tests change its controls."""
    return ExploreUncertainty(L.example("learning_led_late_it"), variants=100)


def test_initial_figures_agree_with_the_controls(dash: ExploreUncertainty) -> None:
    assert set(dash.controls) == {
        "measure", "factors", "method", "runs", "variants", "draws", "outcome", "run"
    }  # fmt: skip
    assert set(dash.figures) == {"sensitivity", "sweep", "boxes"}
    result = dash.sensitivity_result
    assert isinstance(result, TornadoResult)
    assert result.measure == dash.controls["measure"].value == "learning_share"
    low = next(t for t in dash.figures["sensitivity"].data if t.name == "lowest")
    frame = result.frame.iloc[::-1]
    np.testing.assert_allclose(np.asarray(low.x, float) + result.base_output, frame["low"])
    assert dash.sweep_result is not None and len(dash.sweep_result.frame) == 100
    dims = dash.figures["sweep"].data[0].dimensions
    assert len(dims) == len(dash.controls["factors"].value) + 1
    assert dash.discovery is not None and "<ol>" in dash.rules.value


def test_changing_measure_and_method_then_run(dash: ExploreUncertainty) -> None:
    dash.controls["measure"].value = "late_p80"
    assert dash.controls["outcome"].value == "late_p80 > 0"
    dash.controls["method"].value = "morris"
    dash.controls["runs"].value = 4
    dash.controls["draws"].value = 200
    dash.controls["factors"].value = ("engagement.it", "selected_partner", "who_drives.threshold")
    # with the heavy-tailed overrun every variant's P80 is past the target: ask for a 10-week miss
    dash.controls["outcome"].value = "late_p80 > 10"
    assert dash.run()
    result = dash.sensitivity_result
    assert isinstance(result, MorrisResult) and result.measure == "late_p80"
    assert result.names == ("engagement.it", "selected_partner")  # threshold cannot move P80
    assert "who_drives.threshold" in dash.message.value
    points = next(t for t in dash.figures["sensitivity"].data if t.name == "factors")
    np.testing.assert_allclose(np.asarray(points.x, float), result.mu_star)
    assert dash.discovery is not None
    kept = next(t for t in dash.figures["boxes"].data if t.name == "in the box")
    # one bar per kept range or choice, labelled with its condition
    texts = list(dict.fromkeys(kept.customdata))
    assert texts == [r.text() for r in dash.discovery.boxes[0].restrictions]


def test_problems_are_messages_not_exceptions(dash: ExploreUncertainty) -> None:
    before = dash.sensitivity_result
    dash.controls["factors"].value = ()
    assert not dash.run()
    assert "at least one input" in dash.message.value
    assert dash.sensitivity_result is before


def _as_json(fig: Any) -> dict[str, Any]:
    return shown_json(fig, uids=False)


def test_the_figures_are_catalogue_entries_moved_by_the_spec_diff(
    dash: ExploreUncertainty,
) -> None:
    """Building and updating are one path: after each run every live figure equals the
    catalogue entry built afresh from the same results (method changes swap the traces)."""
    assert dash.live is not None and dash.figures is dash.live.figures
    first = dict(dash.figures)
    for method, outcome in (("sobol", ""), ("morris", "learning_share < 0.5"), ("tornado", "")):
        dash.controls["method"].value = method
        dash.controls["runs"].value = 4
        dash.controls["outcome"].value = outcome
        assert dash.run(), dash.message.value
        assert (dash.discovery is None) == (outcome == "")
        results = dash.results()
        for name, key in FIGURES.items():
            assert dash.figures[name] is first[name]  # moved in place, never replaced
            entry = CATALOGUE[key]
            built = entry.build(**{k: results[k] for k in entry.inputs})
            assert _as_json(dash.figures[name]) == _as_json(built), (method, name)
            assert dash.live.alts[name].value  # the text alternative follows the figure
    assert "No outcome was given" in dash.live.alts["boxes"].value  # the last run had none


def test_in_a_kernel_the_discovery_follows_the_first_figures() -> None:
    """On a running event loop (a kernel) the dashboard is out before PRIM runs: the rules say
    it is under way and the box figure is not shown; then both are the synchronous build's."""
    scenario = L.example("learning_led_late_it")
    alone = ExploreUncertainty(scenario, variants=100)  # no loop: everything at once

    async def in_kernel() -> tuple[ExploreUncertainty, dict[str, Any]]:
        dash = ExploreUncertainty(scenario, variants=100)
        first = {
            "discovery": dash.discovery,
            "rules": dash.rules.value,
            "area": dash.boxes_area.children,
            "shown": _figures_in(dash.widget()),
        }
        for _ in range(100):
            if dash.discovery is not None:
                break
            await asyncio.sleep(0.05)
        return dash, first

    dash, first = asyncio.run(in_kernel())
    assert first["discovery"] is None and first["rules"] == FINDING_BOXES
    assert first["area"] == ()  # never the "no outcome" placeholder figure
    assert first["shown"] == [dash.figures["sensitivity"], dash.figures["sweep"]]
    assert dash.discovery is not None and dash.discovery.rules() == alone.discovery.rules()
    assert dash.rules.value == alone.rules.value and "<ol>" in dash.rules.value
    (box,) = dash.boxes_area.children
    assert box.children[0] is dash.figures["boxes"]
    for name in FIGURES:
        assert _as_json(dash.figures[name]) == _as_json(alone.figures[name]), name
        assert dash.live is not None and alone.live is not None
        assert dash.live.alts[name].value == alone.live.alts[name].value
    # every figure is in the page now, the box figure last
    assert _figures_in(dash.widget()) == [dash.figures[n] for n in FIGURES]


def test_a_run_while_the_first_discovery_waits_replaces_it() -> None:
    async def in_kernel() -> ExploreUncertainty:
        dash = ExploreUncertainty(L.example("learning_led_late_it"), variants=100)
        dash.controls["outcome"].value = "learning_share > learning_share.median()"
        assert dash.run()  # a click on Run: at once, the waiting discovery dropped
        await asyncio.sleep(0.2)
        return dash

    dash = asyncio.run(in_kernel())
    assert "When learning_share &gt; learning_share.median()" in dash.rules.value
    assert len(dash.boxes_area.children) == 1


def _figures_in(widget: Any) -> list[Any]:
    if isinstance(widget, go.FigureWidget):
        return [widget]
    return [f for child in getattr(widget, "children", ()) for f in _figures_in(child)]
