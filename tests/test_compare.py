"""Scenario comparison: the table against the models, common random numbers, figures."""

from __future__ import annotations

import html

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsdecide.comparison import (
    MEASURES,
    NEVER_TEXT,
    Comparison,
    compare,
    measure_heading,
    measure_text,
)
from lmsdecide.figures.compare import (
    EVEN_GAP,
    adoption_comparison_figure,
    completion_comparison_figure,
    describe_adoption_comparison,
    drive_comparison_figure,
    findings_comparison_figure,
    measures_figure,
    standing,
)
from lmsdecide.influence import who_drives
from lmsdecide.io import example
from lmsdecide.timing import late_engagement, simulate_schedule

N = 2000
STORY = ["it_led", "learning_led_late_it", "learning_led_early_engagement"]


@pytest.fixture(scope="module")
def cmp() -> Comparison:
    return compare([example(n) for n in STORY], n=N, seed=3)


def test_table_is_tidy_with_every_measure_for_every_scenario(cmp: Comparison) -> None:
    assert list(cmp.table.columns) == ["scenario", "measure", "label", "unit", "value"]
    assert len(cmp.table) == len(STORY) * len(MEASURES)
    wide = cmp.wide()
    assert list(wide.index) == list(cmp.labels)
    assert list(wide.columns) == list(MEASURES)


def test_values_equal_the_models(cmp: Comparison) -> None:
    for label, name in zip(cmp.labels, STORY, strict=True):
        s = example(name)
        assert cmp.value(label, "learning_share") == pytest.approx(who_drives(s).learning_share)
        assert cmp.value(label, "expected_rework") == pytest.approx(
            late_engagement(s).expected_rework
        )
        risk = simulate_schedule(s, n=N, seed=3)
        assert cmp.value(label, "p50") == pytest.approx(risk.p50)
        assert cmp.value(label, "on_time_probability") == pytest.approx(risk.on_time_probability)
        assert cmp.value(label, "critical") == cmp.diagnoses[label].counts["critical"]


def test_story_ordering(cmp: Comparison) -> None:
    it_led, late_it, early = cmp.labels
    assert cmp.value(it_led, "top_driver") == "Information Technology"
    assert cmp.value(early, "learning_driven") is True
    assert cmp.value(early, "p50") < cmp.value(late_it, "p50")
    assert cmp.value(early, "expected_rework") == 0.0
    assert cmp.value(it_led, "t80") > cmp.value(early, "t80")
    assert cmp.value(it_led, "partner_type") == "reseller"


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [
        ("learning_share", 0.0563, "6%"),
        ("on_time_probability", np.float64(0.617), "62%"),
        ("adoption_ceiling", 0.85 * 0.95**6, "62%"),
        ("p50", 40.54, "40.5"),
        ("expected_rework", 0.0, "0.0"),
        ("t80", float("inf"), NEVER_TEXT),
        ("t80", 39.63, "39.6"),
        ("critical", 3, "3"),
        ("warning", np.int64(11), "11"),
        ("critical", float("nan"), ""),
        ("learning_driven", True, "yes"),
        ("learning_driven", np.bool_(False), "no"),
        ("partner", "Learnwise Partners", "Learnwise Partners"),
        ("partner", None, ""),
    ],
)
def test_table_cells_are_said_as_a_person_reads_them(
    measure: str, value: object, text: str
) -> None:
    assert measure_text(measure, value) == text


def test_table_headings_name_the_unit_the_cells_do_not_show() -> None:
    assert measure_heading("p50") == "Go-live P50 (weeks)"
    assert measure_heading("expected_rework") == "Expected rework (person-weeks)"
    assert measure_heading("on_time_probability") == "Probability of launching on time"
    assert measure_heading("critical") == "Critical findings"


def test_common_random_numbers_make_identical_plans_identical() -> None:
    # Two scenarios that differ only in name share every draw: identical completion times.
    a = example("learning_led_early_engagement")
    b = a.with_changes(name="copy")
    c = compare([a, b], n=500, seed=11)
    assert np.array_equal(c.completion[a.name], c.completion["copy"])
    # late IT costs exactly its rework delay in every draw (same durations underneath)
    late = example("learning_led_late_it")
    c2 = compare([a, late], n=500, seed=11)
    diff = c2.completion[late.name] - c2.completion[a.name]
    assert np.all(diff > 0)


def test_duplicate_names_get_unique_labels() -> None:
    s = example("it_led")
    c = compare([s, s], n=200, seed=0)
    assert c.labels == (s.name, f"{s.name} (2)")


@pytest.mark.parametrize("count", [0, 1, 6])
def test_two_to_five_scenarios(count: int) -> None:
    with pytest.raises(ValueError, match="two to 5 scenarios"):
        compare([example("it_led")] * count, n=200)


def test_bad_arguments_are_value_errors() -> None:
    with pytest.raises(ValueError, match="scenarios\\[1\\]"):
        compare([example("it_led"), "it_led"], n=200)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="n"):
        compare([example("it_led")] * 2, n=1)
    with pytest.raises(ValueError, match="seed"):
        compare([example("it_led")] * 2, n=200, seed=1.5)  # type: ignore[arg-type]


def test_same_seed_same_comparison() -> None:
    items = [example("it_led"), example("reseller_partner")]
    assert compare(items, n=300, seed=5) == compare(items, n=300, seed=5)


# -- figures: trace data equals the comparison ----------------------------------------------


def test_measures_scorecard_cells_are_the_table(cmp: Comparison) -> None:
    """One heatmap: a column per scenario, a row per measure, each cell the table's value."""
    fig = measures_figure(cmp)
    assert len(fig.data) == 1 and fig.data[0].type == "heatmap"
    card = fig.data[0]
    rows = ["learning_share", "p50", "p80", "on_time_probability", "expected_rework", "t80"]
    assert len(card.y) == len(rows) and len(card.x) == len(cmp.labels)
    assert card.y[1] == card.y[2].replace("P80", "P50")  # the launch target in both
    assert "target 36" in card.y[1]  # the story's three share one launch target, 36 weeks
    for r, measure in enumerate(rows):
        for c, label in enumerate(cmp.labels):
            value = cmp.value(label, measure)
            if np.isinf(value):  # IT-led never reaches 80% adoption
                assert (r, c) == (5, 0) and card.text[r][c] == "never<br>62% at most"
            else:
                assert card.text[r][c] == measure_text(measure, value)
            assert 0.0 <= card.z[r][c] <= 1.0
            assert card.customdata[r][c].startswith(html.escape(label, quote=False))
    # darker is better, whichever way the measure runs: early engagement launches soonest
    # (lowest P50) and learning drives it (highest share): the darkest cells of both rows
    early = 2  # STORY's third
    assert card.z[1][early] == 1.0 and card.z[0][early] == 1.0
    assert card.z[5][0] == 0.0  # never reaching 80%: the weakest


def test_scorecard_columns_stay_apart_when_long_names_are_cut_alike() -> None:
    """Names longer than four lines are cut with an ellipsis; two cut alike are numbered, so
    the heatmap never draws two scenarios in one column."""
    stem = "Harbour Group: a learning-led programme with a long, careful name that goes on"
    a = example("it_led").with_changes(name=f"{stem}, first")
    b = example("learning_led_early_engagement").with_changes(name=f"{stem}, second")
    c = example("reseller_partner").with_changes(name=f"{stem}, third")
    heads = list(measures_figure(compare([a, b, c], n=200)).data[0].x)
    assert len(set(heads)) == 3
    assert all(h.endswith(f"…<br>({i})") for i, h in enumerate(heads, start=1))


def test_standing_closed_forms() -> None:
    """Gaps to the weakest over the largest gap, or over a tenth of the weakest value."""
    # 40.0 against 40.2 weeks: a gap of 0.2 under a tenth of 40.2 (4.02): pale, not "best"
    assert standing([40.0, 40.2], -1) == pytest.approx([0.2 / 4.02, 0.0])
    # with 34.2 weeks among them the gap to the weakest is 6.0 weeks
    assert standing([40.0, 40.2, 34.2], -1) == pytest.approx([0.2 / 6.0, 0.0, 1.0])
    # shares: the floor is ten points, the spread here 50
    assert standing([0.06, 0.56, 0.56], 1, scale_free=True) == pytest.approx([0.0, 1.0, 1.0])
    assert standing([0.50, 0.55], 1, scale_free=True) == pytest.approx([0.0, 0.5])
    # never reached is the weakest; the best of the others takes 1, the rest down to 0.5
    inf = float("inf")
    assert standing([inf, 39.6, 63.5], -1) == pytest.approx([0.0, 1.0, 0.5])
    assert standing([inf, 39.6, 39.6], -1) == pytest.approx([0.0, 1.0, 1.0])
    assert standing([inf, 39.6, 40.6], -1) == pytest.approx([0.0, 1.0, 1.0 - 0.5 / 4.06])
    assert standing([inf, inf], -1) == [0.0, 0.0]
    assert standing([5.0, 5.0], 1) == [0.0, 0.0]
    assert EVEN_GAP == 0.10


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(-1e6, 1e6), st.just(float("inf")), st.just(float("nan"))),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([1, -1]),
    st.booleans(),
)
def test_standing_is_a_shade_whatever_the_values(
    values: list[float], better: int, scale_free: bool
) -> None:
    got = standing(values, better, scale_free=scale_free)
    assert len(got) == len(values)
    assert all(0.0 <= g <= 1.0 for g in got)
    finite = [v for v in values if np.isfinite(v)]
    if finite and len(finite) == len(values):  # the weakest is at 0, the best highest
        weakest = values.index(max(finite) if better < 0 else min(finite))
        assert got[weakest] == 0.0


def test_adoption_never_reaching_80_percent_says_so(cmp: Comparison) -> None:
    it_led, _late_it, early = cmp.labels
    # IT-led's ceiling: its own 85%, 5% off for each of six items missing at go-live
    assert cmp.value(it_led, "adoption_ceiling") == pytest.approx(0.85 * 0.95**6)
    assert cmp.value(it_led, "t80") == float("inf")
    assert cmp.value(early, "adoption_ceiling") == 0.85 and np.isfinite(cmp.value(early, "t80"))
    card = measures_figure(cmp).data[0]
    assert card.text[5][0] == "never<br>62% at most"
    assert card.customdata[5][0].endswith("adoption ceiling 62%")
    text = describe_adoption_comparison(cmp)
    assert f"{it_led} never (ceiling 62%)" in text
    assert f"{early} by week {cmp.value(early, 't80'):.0f}" in text


def test_drive_figure_stacks_to_one(cmp: Comparison) -> None:
    fig = drive_comparison_figure(cmp)
    totals = np.sum([np.asarray(t.x) for t in fig.data], axis=0)
    assert totals == pytest.approx(np.ones(len(cmp.labels)))
    it = next(t for t in fig.data if t.name == "it")
    frame = cmp.share_by_function
    expected = [
        float(frame[(frame.scenario == label) & (frame.function == "it")]["share"].iloc[0])
        for label in cmp.labels
    ]
    assert list(it.x) == pytest.approx(expected)


def test_completion_figure_is_each_scenarios_cdf(cmp: Comparison) -> None:
    fig = completion_comparison_figure(cmp)
    assert len(fig.data) == len(cmp.labels)
    for trace, label in zip(fig.data, cmp.labels, strict=True):
        assert list(trace.x) == pytest.approx(list(np.sort(cmp.completion[label])))
        assert trace.y[0] == 0 and trace.y[-1] == 1


def test_adoption_and_findings_figures(cmp: Comparison) -> None:
    fig = adoption_comparison_figure(cmp)
    for trace, label in zip(fig.data, cmp.labels, strict=True):
        assert list(trace.y) == pytest.approx(list(cmp.adoption_share[label]))
    fig = findings_comparison_figure(cmp)
    assert [t.name for t in fig.data] == ["critical", "warning", "info"]
    critical = fig.data[0]
    assert list(critical.y) == [cmp.diagnoses[label].counts["critical"] for label in cmp.labels]


def test_figures_escape_scenario_names() -> None:
    hostile = example("it_led").with_changes(name='<img src=x onerror="alert(1)"> & <b>')
    c = compare([hostile, example("learning_led_early_engagement")], n=200)
    for build in (measures_figure, completion_comparison_figure, findings_comparison_figure):
        fig = build(c)
        for trace in fig.data:
            x = getattr(trace, "x", None)
            for value in [getattr(trace, "name", None), *([] if x is None else list(x))]:
                if isinstance(value, str):
                    assert "<img" not in value and "<b>" not in value


def test_without_findings_the_rest_is_the_same_and_the_counts_wait(cmp: Comparison) -> None:
    quick = compare([example(n) for n in STORY], n=N, seed=3, findings=False)
    assert not quick.diagnosed and quick.diagnoses == {} and cmp.diagnosed
    wide, full = quick.wide(), cmp.wide()
    assert wide[["critical", "warning", "info"]].isna().all().all()
    rest = [m for m in MEASURES if m not in ("critical", "warning", "info")]
    assert wide[rest].equals(full[rest])
    assert quick.completion.keys() == cmp.completion.keys()
    for label in cmp.labels:
        assert np.array_equal(quick.completion[label], cmp.completion[label])
    # the findings figure keeps its traces (the findings move into them) and says it is waiting
    fig, done = findings_comparison_figure(quick), findings_comparison_figure(cmp)
    assert [t.uid for t in fig.data] == [t.uid for t in done.data]
    assert all(y is None for t in fig.data for y in t.y)
    assert "Checking the scenarios" in fig.layout.title.subtitle.text
    assert "Checking the scenarios" not in done.layout.title.subtitle.text


def test_findings_cached_are_all_or_none() -> None:
    from lmsdecide.diagnosis.core import DIAGNOSIS_CACHE, cached_diagnosis

    DIAGNOSIS_CACHE.clear()
    pair = [example("it_led"), example("cloud_no_integration")]
    assert cached_diagnosis(pair[0], n=N, seed=5) is None
    compare([pair[0], example("reseller_partner")], n=N, seed=5)  # it_led diagnosed, not cloud
    assert cached_diagnosis(pair[0], n=N, seed=5) is not None
    assert cached_diagnosis(pair[0], n=N, seed=None) is None  # fresh draws are never cached
    partly = compare(pair, n=N, seed=5, findings="cached")
    assert not partly.diagnosed and partly.diagnoses == {}
    full = compare(pair, n=N, seed=5)
    again = compare(pair, n=N, seed=5, findings="cached")
    assert again.diagnosed and again == full


@pytest.mark.parametrize("bad", ["yes", 1, None, "Cached"])
def test_bad_findings_argument_is_named(bad: object) -> None:
    pair = [example("it_led"), example("cloud_no_integration")]
    with pytest.raises(ValueError, match="findings: must be True, False or 'cached'"):
        compare(pair, n=200, findings=bad)  # type: ignore[arg-type]
