"""Workshop mode in-process: the story, edits kept per step, A against B, the room, snapshots."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from lmsdecide import example, load_scenario
from lmsdecide.figures.timing import timeline_spec
from lmsdecide.influence import who_drives
from lmsdecide.room import aggregate_ratings, read_ratings_csv
from lmsdecide.timing import late_engagement, simulate_schedule
from lmsdecide.widgets.workshop import CHECKING, FOCUS_COLOUR, PAIR_TAB, Workshop
from lmsdecide.workshop import STORY, compare_pair, key_numbers
from tests.kernel_loop import findings_shown

DRAWS = 500


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workshop:
    return Workshop(draws=DRAWS, snapshot_dir=tmp_path_factory.mktemp("snaps"))


def drive_bars(w: Workshop) -> dict[str, float]:
    fig = w.figures["drive"]
    return {str(x): float(y) for x, y in zip(fig.data[0].x, fig.data[0].y, strict=True)}


def test_story_steps_set_their_scenario_and_focus(shop: Workshop) -> None:
    for index, step in enumerate(STORY):
        shop.go(index)
        scenario = example(step.scenario)
        assert shop.scenario == scenario
        drive = who_drives(scenario)
        assert drive_bars(shop) == pytest.approx(
            dict(zip(drive.departments, drive.share, strict=True))
        )
        focus = shop._boxes[step.focus].layout.border
        assert FOCUS_COLOUR in focus
        assert all(
            FOCUS_COLOUR not in b.layout.border for n, b in shop._boxes.items() if n != step.focus
        )
        # the prompt is filled from the numbers drawn, never hard-coded
        k = key_numbers(scenario, n=DRAWS, seed=shop.seed, with_findings=False)
        assert step.title in shop.narrative.value
        assert f"{k.learning_share:.0%}" in shop.tiles.value
        assert f"{k.p50:.1f} wk" in shop.tiles.value
    shop.go(0)


def test_late_it_step_prompt_matches_the_simulation(shop: Workshop) -> None:
    shop.go(1)
    risk = simulate_schedule(example("learning_led_late_it"), n=DRAWS, seed=shop.seed)
    assert f"P50 go-live {risk.p50:.1f} weeks" in shop.narrative.value
    assert "<b>" in shop.findings.value  # the diagnosis verdict is shown beside the figures
    shop.go(0)


def test_controls_move_the_figures_and_edits_are_kept_per_step(shop: Workshop) -> None:
    shop.go(1)
    shop.controls["department"].value = "it"
    before = shop.figures["timeline"].layout.title.subtitle.text
    shop.controls["engage"].value = "requirements"
    assert shop.scenario.engagement["it"] == "requirements"
    expected = example("learning_led_late_it").with_changes(
        engagement={**example("learning_led_late_it").engagement, "it": "requirements"}
    )
    assert shop.scenario == expected
    assert drive_bars(shop) == pytest.approx(
        dict(zip(who_drives(expected).departments, who_drives(expected).share, strict=True))
    )
    assert shop.results["simulate_schedule"].p50 == pytest.approx(
        simulate_schedule(expected, n=DRAWS, seed=shop.seed).p50
    )
    expected_sub = timeline_spec(late_engagement(expected))["layout"]["title"]["subtitle"]["text"]
    assert shop.figures["timeline"].layout.title.subtitle.text == expected_sub != before
    # forward and back: the edit made at step 2 is still there
    shop.controls["next"].click()
    assert shop.step == 2
    shop.controls["back"].click()
    assert shop.step == 1 and shop.scenario.engagement["it"] == "requirements"
    assert "edited in this session" in shop.narrative.value
    shop.controls["reset"].click()
    assert shop.scenario == example("learning_led_late_it")
    shop.go(0)


def test_authority_slider_changes_the_drive_share(shop: Workshop) -> None:
    shop.go(0)
    shop.controls["department"].value = "ld"
    shop.controls["authority"].value = 5.0
    expected = shop.scenario
    assert expected.department("ld").authority == 5.0
    drive = who_drives(expected)
    assert drive_bars(shop)["ld"] == pytest.approx(
        float(drive.share[drive.departments.index("ld")])
    )
    shop.reset_step()


def test_a_bad_value_shows_a_message_and_keeps_the_last_good_state(shop: Workshop) -> None:
    shop.go(0)
    shown = drive_bars(shop)
    good = shop.scenario
    for dept in good.department_ids:
        shop.controls["department"].value = dept
        shop.controls["authority"].value = 0.0
    assert "at least one department needs authority above 0" in shop.message.value
    assert "Traceback" not in shop.message.value
    # every department but the last was set to 0 and drawn; the last edit was refused
    last = good.department_ids[-1]
    assert shop.scenario.department(last).authority == good.department(last).authority
    assert drive_bars(shop) != shown
    shop.reset_step()
    assert drive_bars(shop) == shown


def test_a_against_b_uses_common_random_numbers(shop: Workshop) -> None:
    shop.controls["a"].value = "it_led"
    shop.controls["b"].value = "learning_led_early_engagement"
    pair = compare_pair(
        example("it_led"), example("learning_led_early_engagement"), n=DRAWS, seed=shop.seed
    )
    fig = shop.figures["pair"]
    np.testing.assert_array_equal(fig.data[0].x, pair.risk_a.completion)
    np.testing.assert_array_equal(fig.data[1].x, pair.risk_b.completion)
    assert f"{pair.b.p50 - pair.a.p50:+.1f}" in fig.layout.title.subtitle.text
    assert "A: it_led" in shop.pair_table.value
    same = compare_pair(example("it_led"), example("it_led"), n=DRAWS, seed=3)
    np.testing.assert_array_equal(same.risk_a.completion, same.risk_b.completion)
    assert (same.to_frame().loc[lambda f: f.key == "p50", "B - A"] == 0).all()


def test_a_against_b_reuses_the_unchanged_side() -> None:
    from lmsdecide.workshop import PAIR_CACHE

    PAIR_CACHE.clear()
    a, b, c = (example(x) for x in ("it_led", "reseller_partner", "learning_led_late_it"))
    first = compare_pair(a, b, n=DRAWS, seed=5)
    assert (PAIR_CACHE.hits, PAIR_CACHE.misses) == (0, 2)
    second = compare_pair(example("it_led"), c, n=DRAWS, seed=5)  # A loaded again, B new
    assert (PAIR_CACHE.hits, PAIR_CACHE.misses) == (1, 3)
    assert second.a == first.a and second.risk_a is first.risk_a
    # what the cache gives is what the models give
    assert second.b == key_numbers(c, n=DRAWS, seed=5)
    np.testing.assert_array_equal(
        second.risk_b.completion, simulate_schedule(c, n=DRAWS, seed=5).completion
    )
    # an edited A (same name) is computed afresh; no seed: never stored
    edited = a.with_changes(launch_target=a.launch_target + 10)
    third = compare_pair(edited, c, n=DRAWS, seed=5)
    assert PAIR_CACHE.misses == 4 and third.a.on_time > first.a.on_time
    compare_pair(a, c, n=DRAWS, seed=None)
    assert PAIR_CACHE.misses == 4 and len(PAIR_CACHE) == 4


def test_the_room_form_and_csv(shop: Workshop) -> None:
    shop.go(0)
    shop.controls["rate_department"].value = "ld"
    shop.controls["rate_power"].value = 5
    shop.controls["rate_interest"].value = 4
    shop.controls["rate_engage"].value = "needs_analysis"
    shop.controls["add_rating"].click()
    csv = (
        b"department,power,interest,engage\nld,3,5,requirements\nit,five,2,design\nghost,1,1,test\n"
    )
    shop.load_ratings_csv(csv)
    assert "unknown department &#x27;ghost&#x27;" in shop.room_problems.value
    assert "power is not a number" in shop.room_problems.value
    expected = aggregate_ratings(shop.scenario, shop.ratings)
    fig = shop.figures["room"]
    np.testing.assert_allclose(fig.data[0].x, expected.power_median, equal_nan=True)
    ld = shop.scenario.department_ids.index("ld")
    assert expected.power_median[ld] == pytest.approx(0.75)  # 5 and 3 on 1-5 -> 1 and 0.5
    csv_only = aggregate_ratings(shop.scenario, read_ratings_csv(shop.scenario, csv))
    assert csv_only.raters[ld] == 1
    shop.controls["use_room"].click()
    assert shop.scenario.department("ld").power == pytest.approx(0.75)
    assert "the room" in shop.room_message.value
    shop.reset_step()


def test_snapshot_saves_report_and_yaml_that_reload(shop: Workshop) -> None:
    shop.go(2)
    html, yaml_path = shop.snapshot()
    assert html.exists() and yaml_path.exists()
    assert html.name.startswith("workshop-") and html.name.endswith("-step3.html")
    assert load_scenario(yaml_path) == shop.scenario
    text = html.read_text()
    assert shop.scenario.name.split(":")[0] in text
    assert "Saved" in shop.message.value
    with pytest.raises(FileExistsError):
        from lmsdecide.io import save_scenario

        save_scenario(shop.scenario, yaml_path, overwrite=False)
    shop.go(0)


def test_step_out_of_range_is_a_message(shop: Workshop) -> None:
    with pytest.raises(ValueError, match="step: must be between 1 and 4, got 9"):
        shop.go(8)


def test_figures_hold_their_place_between_updates(shop: Workshop) -> None:
    shop.go(0)
    figures = dict(shop.figures)
    shop.go(1)
    shop.go(3)
    assert all(shop.figures[n] is f for n, f in figures.items())


def test_a_against_b_is_computed_when_its_tab_is_opened() -> None:
    shop = Workshop(draws=DRAWS)
    assert shop.pair is None and "pair" not in shop.figures
    assert shop.pair_row.children == (shop.pair_table,)
    shop.set_font_scale(1.2)  # restyling before A against B exists leaves it for later
    tabs = shop.controls["tabs"]
    tabs.selected_index = PAIR_TAB
    label_a, label_b = shop.story.pair
    expected = compare_pair(example(label_a), example(label_b), n=DRAWS, seed=shop.seed)
    assert shop.pair is not None and shop.pair.labels == (label_a, label_b)
    assert shop.pair.a == expected.a and shop.pair.b == expected.b  # findings counted too
    assert expected.a.critical is not None
    fig = shop.figures["pair"]
    assert shop.pair_row.children[1].children[0] is fig
    np.testing.assert_array_equal(fig.data[0].x, expected.risk_a.completion)
    np.testing.assert_array_equal(fig.data[1].x, expected.risk_b.completion)
    assert f"{expected.b.p50 - expected.a.p50:+.1f}" in fig.layout.title.subtitle.text
    assert fig.layout.font.size == pytest.approx(shop.figures["drive"].layout.font.size)
    assert f"A: {label_a}" in shop.pair_table.value and shop.pair_message.value == ""
    critical = f"<td style='padding:2px 12px'>{expected.a.critical}</td>"
    assert "Critical findings" in shop.pair_table.value and critical in shop.pair_table.value
    tabs.selected_index = 0
    tabs.selected_index = PAIR_TAB  # opened again: the same figure, nothing recomputed
    assert shop.figures["pair"] is fig and shop.pair_row.children[1].children[0] is fig


def test_choosing_a_side_before_opening_the_tab_computes_that_pair() -> None:
    shop = Workshop(draws=DRAWS)
    shop.controls["b"].value = "it_led"
    assert shop.pair is not None and shop.pair.labels == (shop.story.pair[0], "it_led")
    assert "A: " + shop.story.pair[0] in shop.pair_table.value
    assert "pair" in shop.figures


def test_in_a_kernel_the_page_goes_out_before_the_diagnosis() -> None:
    """On a running loop the first diagnosis waits until the notebook is done: a message
    stands in for it, then the verdict of the synchronous build is shown."""
    alone = Workshop(draws=DRAWS)

    async def in_kernel() -> tuple[Workshop, str]:
        shop = Workshop(draws=DRAWS)
        first = shop.findings.value
        await findings_shown(shop._findings)
        return shop, first

    shop, first = asyncio.run(in_kernel())
    assert first == CHECKING
    assert shop.findings.value == alone.findings.value and "<b>" in shop.findings.value
