"""Dashboards on random valid scenarios (hypothesis): they build, and a control change draws the
model's figures (or refuses the value with a message), never raising into the notebook."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lmsdecide.scenario import Scenario
from lmsdecide.widgets import WhenToEngage, WhoDrives
from tests.strategies import scenarios
from tests.test_widgets_dashboards import assert_figures, expected_when, expected_who_drives

# Each example builds and drives a dashboard: minutes in all, so not in `make check`.
pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _other(widget: Any) -> Any:
    values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
    others = [v for v in values if v != widget.value]
    return others[0] if others else widget.value


@SETTINGS
@given(s=scenarios(max_departments=5))
def test_who_drives_on_random_scenarios(s: Scenario) -> None:
    dash = WhoDrives(s, findings=False)
    assert_figures(dash, expected_who_drives(dash.scenario, dash.params))
    dash.controls["authority"].value = 0.7
    dash.controls["susceptibility"].value = 0.3
    message = dash.messages["susceptibility"].value or dash.messages["authority"].value
    if not message:
        assert dash.scenario.departments[0].authority == 0.7
    assert_figures(dash, expected_who_drives(dash.scenario, dash.params))


@SETTINGS
@given(s=scenarios(max_departments=4))
def test_when_to_engage_on_random_scenarios(s: Scenario) -> None:
    dash = WhenToEngage(s, findings=False)
    assert_figures(dash, expected_when(dash.scenario, dash.params))
    first = f"engagement.{s.department_ids[0]}"
    dash.controls[first].value = _other(dash.controls[first])
    assert_figures(dash, expected_when(dash.scenario, dash.params))
