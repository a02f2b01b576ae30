"""Figure builders: the traces carry exactly the model's numbers."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.figures.influence import (
    SALIENCE_REGIONS,
    bubble_size,
    drive_share_figure,
    network_figure,
    phase_drive_figure,
    power_interest_figure,
    salience_figure,
)
from lmsdecide.figures.palette import function_colour
from lmsdecide.influence import (
    influence_network,
    power_interest,
    salience,
    who_drives,
    who_drives_by_phase,
)


@pytest.fixture(scope="module", params=["it_led", "learning_led_early_engagement"])
def scenario(request):
    return L.example(request.param)


def _markers(fig):
    """department id -> (trace, position) for every marker carrying a department in customdata."""
    out = {}
    for tr in fig.data:
        if tr.customdata is None or tr.name == "edge":
            continue
        for k, row in enumerate(tr.customdata):
            out[row[0]] = (tr, k)
    return out


def test_power_interest_figure(scenario):
    grid, drive = power_interest(scenario), who_drives(scenario)
    fig = power_interest_figure(grid, drive)
    assert isinstance(fig, go.Figure)
    marks = _markers(fig)
    assert set(marks) == set(grid.departments)
    for i, d in enumerate(grid.departments):
        tr, k = marks[d]
        assert tr.x[k] == grid.interest[i] and tr.y[k] == grid.power[i]
        assert tr.customdata[k][1] == pytest.approx(drive.share[i])
        assert tr.customdata[k][2] == grid.quadrant[i]
        assert tr.marker.size[k] == pytest.approx(bubble_size(drive.share[i]))
        assert tr.marker.color == function_colour(grid.functions[i])


def test_salience_figure_places_departments_in_their_region(scenario):
    sal = salience(scenario)
    fig = salience_figure(sal)
    marks = _markers(fig)
    for i, d in enumerate(sal.departments):
        tr, k = marks[d]
        assert tr.customdata[k][1] == sal.salience_class[i]
        cx, cy = SALIENCE_REGIONS[sal.salience_class[i]]
        assert abs(tr.x[k] - cx) < 0.35 and abs(tr.y[k] - cy) < 0.35
    assert len([s for s in fig.layout.shapes if s.type == "circle"]) == 3


def test_network_figure(scenario):
    net = influence_network(scenario)
    fig = network_figure(net)
    marks = _markers(fig)
    for i, d in enumerate(net.departments):
        tr, k = marks[d]
        assert (tr.x[k], tr.y[k]) == (net.x[i], net.y[i])
        assert tr.customdata[k][1] == pytest.approx(net.share[i])
    edges = [tr for tr in fig.data if tr.name == "edge"]
    non_self = [(s, t) for s, t in zip(net.edge_source, net.edge_target, strict=True) if s != t]
    assert len(edges) == len(non_self)
    for tr in edges:
        src, tgt, w = tr.customdata[0]
        k = next(
            j
            for j, (s, t) in enumerate(zip(net.edge_source, net.edge_target, strict=True))
            if net.departments[s] == src and net.departments[t] == tgt
        )
        assert w == pytest.approx(net.edge_normalised[k])
        assert tr.line.width == pytest.approx(0.5 + 6.0 * net.edge_normalised[k])
        # one arrowhead, on the line from the speaker to the listener, 80% of the way along,
        # turned along the line (a marker, not a layout annotation)
        s, t = net.edge_target[k], net.edge_source[k]
        assert (tr.x[0], tr.y[0]) == (net.x[s], net.y[s])
        assert (tr.x[2], tr.y[2]) == (net.x[t], net.y[t])
        assert tr.x[1] == pytest.approx(0.8 * net.x[t] + 0.2 * net.x[s])
        assert tr.y[1] == pytest.approx(0.8 * net.y[t] + 0.2 * net.y[s])
        assert tr.marker.symbol == "arrow" and tr.marker.angleref == "previous"
        assert tr.marker.size[0] == tr.marker.size[2] == 0 and tr.marker.size[1] > 0
    assert not fig.layout.annotations


def test_network_layout_stable_when_weights_change(scenario):
    data = scenario.to_data()
    for e in data["influence"]:
        e["weight"] = e["weight"] * 3 + 0.1
    for d in data["departments"]:
        d["authority"] = d["authority"] + 1
    changed = L.validate_scenario(data)
    for layout in ("circular", "spring"):
        a, b = influence_network(scenario, layout=layout), influence_network(changed, layout=layout)
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)


def test_drive_share_figure(scenario):
    drive = who_drives(scenario)
    fig = drive_share_figure(drive)
    bars = fig.data[0]
    for dep, value in zip(bars.x, bars.y, strict=True):
        assert value == pytest.approx(drive.share[drive.departments.index(dep)])
    stacked = {tr.name: tr.y[0] for tr in fig.data[1:]}
    for f, v in stacked.items():
        assert v == pytest.approx(drive.share_by_function[f])
    assert sum(stacked.values()) == pytest.approx(1.0)
    assert any(s.y0 == drive.threshold and s.y1 == drive.threshold for s in fig.layout.shapes)


def test_drive_share_legend_lists_the_organisations_functions_in_every_scenario():
    """The stacked panel's legend follows the departments, not the shares: in the IT-led
    scenario the learners' department holds 0% and still has its
    entry, so the IT-led and learning-led variants of one organisation show the same legend
    (its rows, hence plotly's margins, stay put when a story moves between them)."""
    it_led = who_drives(L.example("it_led"))
    late_it = who_drives(L.example("learning_led_late_it"))
    assert it_led.share_by_function["learners"] == 0.0
    assert late_it.share_by_function["learners"] > 0.0

    def entries(drive):
        return [tr.name for tr in drive_share_figure(drive).data[1:]]

    assert entries(it_led) == entries(late_it)
    assert "learners" in entries(it_led)
    assert set(entries(it_led)) == set(it_led.functions)  # nothing outside the organisation
    assert "vendor" not in entries(it_led)  # a function with no department: no entry
    # the department labels push the bottom margin only (see drive_share_spec)
    assert drive_share_figure(it_led).layout.xaxis.automargin == "height"


def test_phase_drive_figure(scenario):
    r = who_drives_by_phase(scenario)
    fig = phase_drive_figure(r)
    from lmsdecide.scenario import FUNCTIONS as ALL

    # one area per function in every scenario (the same traces), hidden when it has no share
    areas = [tr for tr in fig.data if tr.name in ALL]
    assert sorted(tr.name for tr in areas) == sorted(ALL)
    by = r.share_by_function()
    for tr in areas:
        assert tr.visible is bool(np.any(np.nan_to_num(by[:, ALL.index(tr.name)]) > 0))
    line = next(tr for tr in fig.data if tr.name == "learning share")
    np.testing.assert_allclose(np.array(line.y, dtype=float), r.learning_share)
    by_f = r.share_by_function()
    from lmsdecide.scenario import FUNCTIONS

    for tr in fig.data:
        if tr.name in FUNCTIONS:
            np.testing.assert_allclose(
                np.array(tr.y, dtype=float), by_f[:, FUNCTIONS.index(tr.name)]
            )
