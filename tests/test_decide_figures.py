"""Figures of the decision helpers: what they show matches the result; catalogue rules."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lmsdecide.explore import value_of_information
from lmsdecide.figures.catalogue import CATALOGUE
from lmsdecide.figures.decide import (
    MAX_TITLE,
    RANK_PATTERNS,
    acceptability_figure,
    acceptability_spec,
    describe_acceptability,
    levers_figure,
    voi_figure,
    voi_spec,
)
from lmsdecide.figures.spec import trace_keys
from lmsdecide.influence import LeverBounds, LeverCosts, combined_levers
from lmsdecide.io import example
from lmsdecide.partner import rank_acceptability


def _title_ok(fig: object) -> None:
    title = fig.layout.title  # type: ignore[attr-defined]
    assert 0 < len(title.text) <= MAX_TITLE
    assert title.subtitle.text
    assert fig.layout.width is None  # follows its container  # type: ignore[attr-defined]


def test_acceptability_bars_stack_to_one_with_patterns() -> None:
    r = rank_acceptability(example("reseller_partner"), n=1024, seed=0)
    fig = acceptability_figure(r)
    _title_ok(fig)
    assert fig.layout.barmode == "stack"
    assert len(fig.data) == 4  # one trace per rank
    totals = np.sum([np.asarray(t.x) for t in fig.data], axis=0)
    np.testing.assert_allclose(totals, 1.0)
    # best first-rank odds at the top (plotly's last category)
    assert fig.data[0].y[-1].startswith("Learnwise")
    assert fig.data[0].x[-1] == pytest.approx(r.acceptability.loc["learnwise", 1])
    assert [t.marker.pattern.shape for t in fig.data] == list(RANK_PATTERNS[:4])
    assert [uid for _, uid in trace_keys(acceptability_spec(r))] == [
        f"rank:{k}" for k in range(1, 5)
    ]
    assert "Learnwise Partners 7" in describe_acceptability(r)


def test_levers_waterfall_ends_at_the_achieved_share() -> None:
    r = combined_levers(example("it_led"))
    fig = levers_figure(r)
    _title_ok(fig)
    wf = fig.data[0]
    assert wf.orientation == "h"  # the steps down the page, their names across
    steps = np.asarray(wf.x[:-1], dtype=float)
    assert steps.sum() == pytest.approx(r.learning_share)
    assert len(wf.y) == len(r.changes) + 2
    assert all(t.endswith(" pp") for t in wf.text[1:-1])
    # each step by the scenario's names and its cost, never an id ("listens: it" read as a
    # pronoun); a long decision name wrapped
    costs = LeverCosts()  # listening: 4 points for all of a department's attention; RACI: 1
    assert wf.y[1] == f"authority: Learning and Development<br>cost {r.changes['cost'].iloc[0]:.2f}"
    assert f"listens: Information Technology<br>cost {0.5 * costs.listening:.2f}" in wf.y
    assert f"RACI: Define learning needs<br>and outcomes<br>cost {costs.raci:.2f}" in wf.y
    # the target is a line named in the legend, not text on the plot
    (line,) = fig.layout.shapes
    assert line.x0 == pytest.approx(0.5) and line.showlegend and "target" in line.name
    assert not fig.layout.annotations


def test_levers_note_says_names_not_ids() -> None:
    note = combined_levers(example("it_led")).note
    assert (
        "have Information Technology give 50% of its attention to Learning and Development" in note
    )
    assert "move the Accountable for 'Sign off requirements' from Information Technology" in note
    assert not re.search(r"\b(ld|it|hr|exec|learning_needs)\b", note), note


def test_levers_infeasible_shows_the_best_share() -> None:
    r = combined_levers(example("it_led"), bounds=LeverBounds(max_authority_increase=0.1))
    assert not r.feasible
    fig = levers_figure(r)
    _title_ok(fig)
    assert fig.data[0].y[1] == pytest.approx(r.best_share)
    assert "not reachable" in fig.layout.title.subtitle.text


def test_voi_bars_sorted_with_noise_floor() -> None:
    r = value_of_information(example("it_led"), n=256, seed=0)
    fig = voi_figure(r, top=5)
    _title_ok(fig)
    x = np.asarray(fig.data[0].x, dtype=float)
    assert len(x) == 5
    assert np.all(np.diff(x) >= 0)  # largest drawn last (at the top)
    assert x[-1] == pytest.approx(r.table["evpi"].iloc[0])
    (line,) = fig.layout.shapes
    assert line.x0 == r.noise_floor and line.name == "noise floor"
    assert voi_spec(r)["layout"]["title"]["text"] == "What is worth finding out"


@pytest.mark.parametrize("key", ["partner_odds", "partner_voi", "levers"])
def test_catalogue_entries(key: str) -> None:
    entry = CATALOGUE[key]
    assert len(entry.title) <= MAX_TITLE
    assert entry.caption
