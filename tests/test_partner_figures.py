"""Partner figures: the plotted data is the model's output."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import lmsdecide as L
from lmsdecide.figures.palette import PARTNER_TYPE_COLOURS
from lmsdecide.figures.partner import (
    DISQUALIFIED_COLOUR,
    ahp_consistency_figure,
    criteria_radar,
    expertise_figure,
    ranking_figure,
    sensitivity_figure,
    whose_weights_figure,
)
from lmsdecide.partner import (
    ahp_weights,
    expertise_match,
    partner_ranking,
    weight_sensitivity,
    whose_weights_win,
)

IT_LED = L.example("it_led")


def test_ranking_bars_are_the_scores_in_rank_order() -> None:
    r = partner_ranking(IT_LED)
    fig = ranking_figure(r)
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    order = np.argsort(r.ranks)[::-1]
    np.testing.assert_allclose(bar.x, r.scores[order])
    assert bar.y[-1].startswith(r.partner_names[int(np.argmin(r.ranks))])
    assert list(bar.marker.color) == [PARTNER_TYPE_COLOURS[r.partner_types[k]] for k in order]
    assert any("★" in y for y in bar.y)  # the selected partner is marked


def test_ranking_shows_disqualified_partners_in_grey() -> None:
    data = IT_LED.to_data()
    for c in data["criteria"]:
        if c["id"] == "support":
            c["must_have"] = 6.0  # BoxShift (5) fails
    r = partner_ranking(L.validate_scenario(data))
    bar = ranking_figure(r).data[0]
    k = list(bar.y).index(next(y for y in bar.y if y.startswith("BoxShift")))
    assert bar.marker.color[k] == DISQUALIFIED_COLOUR
    assert bar.x[k] == 0.0 and "support" in bar.text[k]


def test_radar_traces_are_the_profiles() -> None:
    r = partner_ranking(IT_LED)
    fig = criteria_radar(r)
    assert len(fig.data) == len(r.partner_ids)
    for k, trace in enumerate(fig.data):
        np.testing.assert_allclose(trace.r[:-1], r.profile[k])
        assert list(trace.theta[:-1]) == list(r.criterion_names)
    # two learning specialists share a colour but not a dash
    dashes = {(t.line.color, t.line.dash) for t in fig.data}
    assert len(dashes) == len(fig.data)


def test_expertise_bars() -> None:
    m = expertise_match(IT_LED)
    bar = expertise_figure(m).data[0]
    np.testing.assert_allclose(sorted(bar.x), sorted(m.similarity))
    np.testing.assert_allclose(bar.x[-1], m.similarity.max())


def test_sensitivity_intervals() -> None:
    s = weight_sensitivity(IT_LED)
    fig = sensitivity_figure(s)
    bars, marks = fig.data
    np.testing.assert_allclose(np.asarray(bars.base, dtype=float), s.lower)
    np.testing.assert_allclose(np.asarray(bars.base, dtype=float) + np.asarray(bars.x), s.upper)
    np.testing.assert_allclose(marks.x, s.weights)


def test_whose_weights_curve() -> None:
    w = whose_weights_win(IT_LED)
    fig = whose_weights_figure(w)
    assert len(fig.data) == len(w.partner_ids)
    for k, trace in enumerate(fig.data):
        np.testing.assert_allclose(trace.x, w.curve_shares)
        np.testing.assert_allclose(trace.y, w.curve_scores[:, k])
    xs = sorted(s["x0"] for s in fig.layout.shapes if s["type"] == "line")
    assert xs == sorted([w.share, w.flip_share])
    rects = [s for s in fig.layout.shapes if s["type"] == "rect"]
    assert len(rects) == len(w.segment_tops)
    assert rects[-1]["x1"] == 1.0 and rects[0]["x0"] == 0.0


def test_ahp_view_marks_the_most_inconsistent_judgement() -> None:
    a = [[1, 3, 1 / 5], [1 / 3, 1, 5], [5, 1 / 5, 1]]  # a cycle: badly inconsistent
    r = ahp_weights(a, labels=["cost", "fit", "support"])
    fig = ahp_consistency_figure(r)
    heat = fig.data[0]
    np.testing.assert_allclose(heat.z, np.abs(np.log(r.errors)))
    assert r.flagged and "revisit" in fig.layout.title.subtitle.text
    i, j = r.most_inconsistent or (0, 0)
    corners = {(s["x0"] + 0.5, s["y0"] + 0.5) for s in fig.layout.shapes}
    assert corners == {(j, i), (i, j)}
