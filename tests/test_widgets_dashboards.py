"""Dashboards driven in-process: every control, the figures it moves, bad values, upload and save.

Each control is set as a person would set it (``widget.value = ...``); the test then computes the
expected figures itself, straight from the registered models and the figure builders, for the
scenario and parameter values it expects, and compares the FigureWidgets' trace data with them.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import json
from pathlib import Path
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.figures import influence as FI
from lmsdecide.figures import partner as FP
from lmsdecide.figures import timing as FT
from lmsdecide.io import scenario_to_bytes
from lmsdecide.registry import all_models, get_model
from lmsdecide.scenario import NEVER, Scenario, validate_scenario
from lmsdecide.widgets import (
    CONTROL_TABLE,
    ChoosePartner,
    WhenToEngage,
    WhoDrives,
    control_for,
)
from lmsdecide.widgets.base import FINDINGS_CHECKING, LIVE_SEED
from tests.figure_data import data_of
from tests.kernel_loop import findings_shown

START = "learning_led_late_it"


def kw(model: str, params: dict[str, Any], **override: Any) -> dict[str, Any]:
    names = get_model(model).params.names
    return {**{n: params[n] for n in names if n in params}, **override}


def run(model: str, scenario: Scenario, params: dict[str, Any], **override: Any) -> Any:
    spec = get_model(model)
    values = kw(model, params, **override)
    if spec.stochastic:
        values.setdefault("seed", LIVE_SEED)
    return spec(scenario, **values)


def expected_who_drives(s: Scenario, p: dict[str, Any]) -> dict[str, go.Figure]:
    wd = run("who_drives", s, p)
    return {
        "drive_share": FI.drive_share_figure(wd),
        "network": FI.network_figure(run("influence_network", s, p)),
        "grid": FI.power_interest_figure(run("power_interest", s, p), wd),
        "by_phase": FI.phase_drive_figure(run("who_drives_by_phase", s, p)),
    }


def expected_when(s: Scenario, p: dict[str, Any], n: int = 2000) -> dict[str, go.Figure]:
    n = min(n, p["n"])
    # live go-live: 1,024 quasi-random points (the dashboard's default engine), or 2,000 draws
    live = min(1024, n) if p["engine"] == "qmc" else n
    risk = run("simulate_schedule", s, p, n=live)
    plan = run("recommend_plan", s, p, n=n)
    data = s.to_data()
    data["engagement"] = dict(plan.recommended)
    return {
        "timeline": FT.engagement_timeline(run("late_engagement", s, p)),
        "completion": FT.completion_figure(risk),
        "tornado": FT.tornado_figure(risk),
        "plan": FT.plan_figure(plan),
        "adoption": FT.adoption_figure(
            run("adoption", s, p), run("adoption", L.validate_scenario(data), p)
        ),
    }


def expected_partner(s: Scenario, p: dict[str, Any]) -> dict[str, go.Figure]:
    return {
        "ranking": FP.ranking_figure(run("partner_ranking", s, p)),
        "whose_weights": FP.whose_weights_figure(run("whose_weights_win", s, p)),
        "expertise": FP.expertise_figure(run("expertise_match", s, p)),
    }


def assert_figures(dash: Any, expected: dict[str, go.Figure]) -> None:
    assert set(dash.figures) == set(expected)
    for name, fig in expected.items():
        assert data_of(dash.figures[name]) == data_of(fig), name


def new_value(widget: W.Widget) -> Any:
    """A different valid value for a control, as a person could choose it."""
    if isinstance(widget, W.Checkbox):
        return not widget.value
    if isinstance(widget, W.Dropdown):
        values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        others = [v for v in values if v != widget.value]
        return others[len(others) // 2]
    if isinstance(widget, (W.FloatSlider, W.IntSlider)):
        span = widget.max - widget.min
        value = widget.min + 0.37 * span
        if isinstance(widget, W.IntSlider):
            value = int(round(value / widget.step) * widget.step)
        else:
            value = round(value / widget.step) * widget.step
        return value if value != widget.value else widget.min
    if isinstance(widget, W.FloatText):
        return widget.value + 1.5
    raise TypeError(type(widget))


def pending_edit(dash: Any, name: str, value: Any, data: dict[str, Any]) -> None:
    """What the test expects a scenario control to change in the scenario data."""
    c = dash.controls
    if name in ("power", "interest", "authority", "susceptibility", "position"):
        dept = next(d for d in data["departments"] if d["id"] == c["department"].value)
        dept[name] = float(value)
    elif name == "edge_weight":
        data["influence"][c["edge"].value]["weight"] = float(value)
    elif name.startswith("engagement."):
        data["engagement"][name.split(".", 1)[1]] = value
    elif name == "score":
        partner = next(p for p in data["partners"] if p["id"] == c["partner"].value)
        partner["scores"][c["score_criterion"].value] = value
    elif name == "criterion_weight":
        dept = next(d for d in data["departments"] if d["id"] == c["weight_department"].value)
        dept.setdefault("criteria_weights", {})[c["weight_criterion"].value] = float(value)


SELECTORS = {"department", "edge", "partner", "score_criterion", "weight_department"}
SELECTORS |= {"weight_criterion"}
NOT_VALUES = {"scenario", "upload", "save_path", "overwrite", "save", "more_draws"}


def drive_every_control(dash: Any, expected: Any) -> list[str]:
    """Set every control in turn; after each, the figures must be the model's for that input."""
    data = dash.scenario.to_data()
    params = dict(dash.params)
    moved = []
    for name, widget in list(dash.controls.items()):
        if name in NOT_VALUES:
            continue
        if name in SELECTORS:
            widget.value = new_value(widget)  # selects what the next controls edit
            continue
        value = new_value(widget)
        if name in params:
            params[name] = value
        else:
            pending_edit(dash, name, value, data)
        widget.value = value
        scenario = L.validate_scenario(data)
        assert dash.scenario == scenario, name
        assert dash.params == params, name
        assert not any(m.value for m in dash.messages.values()), name
        assert_figures(dash, expected(scenario, params))
        moved.append(name)
    return moved


def test_who_drives_every_control_moves_figures_to_the_model() -> None:
    dash = WhoDrives(START)
    assert_figures(dash, expected_who_drives(dash.scenario, dash.params))
    moved = drive_every_control(dash, expected_who_drives)
    assert {"power", "interest", "authority", "susceptibility", "position"} <= set(moved)
    assert {"edge_weight", "threshold", "layout", "power_threshold", "engaged_only"} <= set(moved)


def test_when_to_engage_every_control_moves_figures_to_the_model() -> None:
    dash = WhenToEngage(START)
    assert_figures(dash, expected_when(dash.scenario, dash.params))
    moved = drive_every_control(dash, expected_when)
    assert {f"engagement.{d}" for d in dash.scenario.department_ids} <= set(moved)
    assert {"rework_capacity", "meeting_effort", "p_early", "horizon", "n"} <= set(moved)


def test_choose_partner_every_control_moves_figures_to_the_model() -> None:
    dash = ChoosePartner(START)
    assert_figures(dash, expected_partner(dash.scenario, dash.params))
    moved = drive_every_control(dash, expected_partner)
    assert {"score", "criterion_weight", "method", "weights_from"} <= set(moved)


def test_engaging_it_early_cuts_rework_and_go_live() -> None:
    """The article's second point on the bundled story: IT in requirements, not in testing."""
    dash = WhenToEngage(START)
    before = dash.results["late_engagement"].expected_rework
    p50_before = dash.results["simulate_schedule"].p50
    dash.controls["engagement.it"].value = "requirements"
    assert dash.scenario.engagement["it"] == "requirements"
    assert dash.results["late_engagement"].expected_rework < before
    assert dash.results["simulate_schedule"].p50 < p50_before


def test_more_draws_redraws_completion_with_the_full_count() -> None:
    dash = WhenToEngage(START)
    assert dash.params["engine"] == "qmc"
    dash.controls["n"].value = 5000
    assert len(dash.figures["completion"].data[0].x) == 1024  # live updates stay small
    assert "1,024 draws" in dash.status.value
    dash.controls["more_draws"].click()
    risk = run("simulate_schedule", dash.scenario, dash.params, n=5000)
    assert risk.engine == "qmc" and risk.n == 8192  # 5,000 rounded up to 16 x 512
    assert data_of(dash.figures["completion"]) == data_of(FT.completion_figure(risk))
    assert data_of(dash.figures["tornado"]) == data_of(FT.tornado_figure(risk))
    assert "8,192 draws" in dash.status.value
    # on the Monte Carlo engine: 2,000 live draws, and exactly the draws asked for
    dash.controls["engine"].value = "mc"
    assert len(dash.figures["completion"].data[0].x) == 2000
    dash.controls["more_draws"].click()
    assert "5,000 draws" in dash.status.value


def test_invalid_edit_keeps_last_good_figures_and_shows_message() -> None:
    """All authority to zero is invalid: message beside the control, figures unchanged, and the
    edit is not lost (raising one department again makes it valid)."""
    dash = WhoDrives(START)
    *others, last = [d.id for d in dash.scenario.departments if d.authority > 0]
    for dept in others:
        dash.controls["department"].value = dept
        dash.controls["authority"].value = 0.0
    good = {n: data_of(f) for n, f in dash.figures.items()}
    good_scenario = dash.scenario
    dash.controls["department"].value = last
    dash.controls["authority"].value = 0.0
    message = dash.messages["authority"].value
    assert "at least one department needs authority above 0" in message
    assert "Traceback" not in message
    assert {n: data_of(f) for n, f in dash.figures.items()} == good
    assert dash.scenario == good_scenario
    assert "not valid" in dash.status.value
    # the zeros are kept: giving IT authority 1 makes a valid scenario with every other at 0
    dash.controls["department"].value = "it"
    dash.controls["authority"].value = 1.0
    assert not dash.messages["authority"].value
    assert [d.authority for d in dash.scenario.departments] == [
        1.0 if d.id == "it" else 0.0 for d in dash.scenario.departments
    ]
    assert_figures(dash, expected_who_drives(dash.scenario, dash.params))


def test_invalid_score_shows_message_and_raises_nothing() -> None:
    dash = ChoosePartner(START)
    good = {n: data_of(f) for n, f in dash.figures.items()}
    dash.controls["score"].value = float("nan")
    assert "must be a finite number" in dash.messages["score"].value
    assert {n: data_of(f) for n, f in dash.figures.items()} == good
    dash.controls["score"].value = 7.0
    assert not dash.messages["score"].value


def test_invalid_parameter_value_is_refused_beside_its_control() -> None:
    dash = WhoDrives(START)
    good = {n: data_of(f) for n, f in dash.figures.items()}
    dash.set_param("threshold", 1.7)  # not reachable with the slider; from code it is refused
    assert "threshold: must be between 0 and 1" in dash.messages["threshold"].value
    assert dash.params["threshold"] == 0.5
    assert {n: data_of(f) for n, f in dash.figures.items()} == good


def test_scenario_picker_switches_and_redraws() -> None:
    dash = WhoDrives(START)
    dash.controls["scenario"].value = "it_led"
    assert dash.scenario == L.example("it_led")
    assert_figures(dash, expected_who_drives(dash.scenario, dash.params))
    assert dash.controls["department"].options[0][1] == dash.scenario.department_ids[0]
    when = WhenToEngage(START)
    when.controls["scenario"].value = "cloud_no_integration"
    assert (
        when.controls["engagement.it"].value == L.example("cloud_no_integration").engagement["it"]
    )
    assert_figures(when, expected_when(when.scenario, when.params))


def test_who_drives_moves_between_scenarios_by_edits_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scenarios differ in the functions that hold a share of a phase: the phase figure keeps
    one trace per function (hidden without a share), so once each figure has held as many
    traces as a scenario needs, moving to any scenario edits its traces in place: no trace
    deleted or added (each a full redraw in the page), and every figure still shows what the
    model gives. The network is left out: its edges come before its departments and differ in
    number between scenarios."""
    dash = WhoDrives("it_led")
    for name in L.list_examples():  # each figure grows to the most traces any scenario needs
        dash.controls["scenario"].value = name
    kinds: dict[str, set[str]] = {}

    def record(self: Any, msg: dict[str, Any], buffers: Any = None) -> None:
        name = next(k for k, f in dash.figures.items() if f is self)
        kinds.setdefault(name, set()).update(
            k for k in msg.get("state", {}) if k.startswith("_py2js_")
        )

    monkeypatch.setattr(go.FigureWidget, "_send", record)
    for name in [*L.list_examples(), "it_led"]:
        dash.controls["scenario"].value = name
        assert_figures(dash, expected_who_drives(dash.scenario, dash.params))
    kinds.pop("network")
    assert {"by_phase", "drive_share", "grid"} <= set(kinds)
    assert all(k == {"_py2js_update"} for k in kinds.values()), kinds


def test_when_to_engage_keeps_its_dropdowns_for_the_same_departments() -> None:
    """Another scenario with the same departments and phases moves the dropdowns' values (the
    page keeps its widgets); other departments get new dropdowns."""
    when = WhenToEngage(START)
    first = {k: w for k, w in when.controls.items() if k.startswith("engagement.")}
    when.controls["scenario"].value = "it_led"
    it_led = L.example("it_led")
    for key, widget in first.items():
        assert when.controls[key] is widget
        assert widget.value == it_led.engagement[key.removeprefix("engagement.")]
    assert_figures(when, expected_when(when.scenario, when.params))
    data = it_led.to_data()
    data["departments"][0]["name"] = "L&D team"
    assert when.load(validate_scenario(data))
    assert when.controls["engagement.ld"] is not first["engagement.ld"]
    assert when.controls["engagement.ld"].description == "L&D team"
    assert when._engagement_box.children[0].children[0] is when.controls["engagement.ld"]


def upload_value(name: str, content: bytes) -> tuple[dict[str, Any], ...]:
    return (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_upload_then_save_round_trips(fmt: str, tmp_path: Path) -> None:
    dash = WhoDrives(START)
    theirs = L.example("reseller_partner")
    dash.controls["upload"].value = upload_value(f"ours.{fmt}", scenario_to_bytes(theirs, fmt))
    assert dash.scenario == theirs
    assert dash.controls["scenario"].value == f"uploaded: ours.{fmt}"
    assert_figures(dash, expected_who_drives(theirs, dash.params))
    # edit, save, load back
    dash.controls["department"].value = "it"
    dash.controls["authority"].value = 0.5
    target = tmp_path / f"saved.{fmt}"
    dash.controls["save_path"].value = str(target)
    dash.controls["save"].click()
    assert "Saved to" in dash.messages["save"].value
    assert L.load_scenario(target) == dash.scenario
    assert dash.scenario.department("it").authority == 0.5


def test_save_never_overwrites_without_saying_so(tmp_path: Path) -> None:
    dash = WhoDrives(START)
    target = tmp_path / "mine.yaml"
    target.write_text("keep me")
    dash.controls["save_path"].value = str(target)
    dash.controls["save"].click()
    assert "exists" in dash.messages["save"].value
    assert "Replace an existing file" in dash.messages["save"].value
    assert target.read_text() == "keep me"
    dash.controls["overwrite"].value = True
    dash.controls["save"].click()
    assert L.load_scenario(target) == dash.scenario


def test_bad_upload_shows_plain_message_and_keeps_scenario() -> None:
    dash = WhenToEngage(START)
    before = dash.scenario
    dash.controls["upload"].value = upload_value("broken.yaml", b"departments: [1, 2\n")
    assert "not valid YAML" in dash.messages["upload"].value
    dash.controls["upload"].value = upload_value("notes.txt", b"hello")
    assert "use a file ending" in dash.messages["upload"].value
    bad = copy.deepcopy(before.to_data())
    bad["departments"][0]["power"] = 1.7
    dash.controls["upload"].value = upload_value("bad.json", json.dumps(bad).encode())
    assert "departments[0].power: must be between 0 and 1, got 1.7" in dash.messages["upload"].value
    assert dash.scenario == before


def test_findings_follow_the_controls() -> None:
    dash = WhenToEngage(START)
    assert "engaged late" in dash.findings.value  # IT brought in at testing
    dash.controls["engagement.it"].value = "needs_analysis"
    assert "Information Technology engaged late" not in dash.findings.value


def test_findings_wait_for_the_figures_in_a_running_kernel_loop() -> None:
    """In a kernel (a running event loop) the diagnosis waits until the controls are still: the
    figures are drawn first, the findings follow once no change came for FindingsQueue.delay;
    only the latest runs."""
    dash = WhenToEngage(START)
    before = dash.findings.value

    async def change() -> tuple[str, str]:
        dash.controls["engagement.it"].value = "design"
        dash.controls["engagement.it"].value = "needs_analysis"
        during = dash.findings.value
        await asyncio.sleep(0)
        assert dash.findings.value == during  # the next turn of the loop: still waiting
        await findings_shown(dash._findings)
        return during, dash.findings.value

    during, after = asyncio.run(change())
    assert during == before  # not yet: the change returned with the figures drawn
    assert dash.scenario.engagement["it"] == "needs_analysis"
    assert "Information Technology engaged late" in before
    assert "Information Technology engaged late" not in after


def test_in_a_kernel_the_dashboard_goes_out_before_its_first_diagnosis() -> None:
    """On a running loop the first diagnosis waits until the notebook is done: a message stands
    in for it, then the findings of the synchronous build are shown."""
    alone = WhoDrives(START)

    async def in_kernel() -> tuple[WhoDrives, str]:
        dash = WhoDrives(START)
        first = dash.findings.value
        await findings_shown(dash._findings)
        return dash, first

    dash, first = asyncio.run(in_kernel())
    assert first == FINDINGS_CHECKING
    assert dash.findings.value == alone.findings.value
    assert "lmsdecide-findings" in dash.findings.value


def test_control_table_covers_every_declared_parameter() -> None:
    kinds = {p.kind for spec in all_models().values() for p in spec.params}
    assert kinds <= set(CONTROL_TABLE)
    for spec in all_models().values():
        for p in spec.params:
            w = control_for(p)
            assert w.value == p.default
            if p.kind in ("float", "int"):
                assert (w.min, w.max) == (p.min, p.max)
                assert (p.unit in w.description) if p.unit else True
            if p.kind == "choice":
                assert tuple(w.options) == p.choices
            if p.help:
                assert p.help.strip() in w.tooltip
            assert p.source in w.tooltip


def test_dashboards_expose_controls_figures_and_display() -> None:
    for cls in (WhoDrives, WhenToEngage, ChoosePartner):
        dash = cls(START)
        assert all(isinstance(f, go.FigureWidget) for f in dash.figures.values())
        bundle = dash._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert dash.controls and dash.figures


def test_never_engaged_option_is_offered() -> None:
    dash = WhenToEngage(START)
    values = [v for _label, v in dash.controls["engagement.comms"].options]
    assert values == [*dash.scenario.phase_ids, NEVER]
