"""The facilitator's live panel and the room's figures: they follow the store without a button."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lmsdecide.figures.room import (
    room_disagreement_figure,
    room_driver_figure,
    room_partner_figure,
    room_share_figure,
)
from lmsdecide.io import example
from lmsdecide.room import RoomStore, room_analysis, room_answers
from lmsdecide.room.forms import pages
from lmsdecide.room.live import RoomWatcher
from lmsdecide.scenario import Scenario
from lmsdecide.widgets.room_panel import RoomPanel

SCENARIO = example("learning_led_late_it")
HOSTILE = "<script>alert(1)</script> \U0001f600"


def _answer(store: RoomStore, participant: int, ld_say: str, first: str = "9") -> None:
    crit = pages(SCENARIO)[-1].pairs
    rows = [("ld", "say", ld_say), ("ld", "power", "5"), ("it", "power", "2")]
    rows += [(f"{a}|{b}", "pairwise", first if i < 5 else "1") for i, (a, b) in enumerate(crit)]
    store.record(participant, store.round, rows)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite"
    with RoomStore.create(path, SCENARIO, code="X1") as store:
        for say, first in (("signs", "9"), ("consulted", "3"), ("none", "1/3")):
            p, _ = store.join(f"<b>{say}</b>")
            _answer(store, p, say, first)
        store.record(1, 1, [("ld", "comment", HOSTILE)])
    return path


def test_the_panel_follows_the_store(db: Path) -> None:
    panel = RoomPanel(db, join="http://127.0.0.1:8867/")
    share = panel.figures["share"]
    assert len(share.data[0].x) == 3
    np.testing.assert_allclose(share.data[0].x, panel.state.analysis.learning_share)
    # the participant giving L&D the signature has the highest learning share
    assert int(np.argmax(share.data[0].x)) == 0
    assert "3</div><div class='k'>joined" in panel.counts.value
    assert panel.poll() is False  # nothing changed: nothing recomputed
    with RoomStore(db) as store:
        p, _ = store.join()
        _answer(store, p, "signs", first="1/9")
    assert panel.poll() is True
    assert len(panel.figures["share"].data[0].x) == 4
    assert "4</div><div class='k'>joined" in panel.counts.value
    assert panel.latencies and all(0 <= x < 60 for x in panel.latencies)
    panel.close()


def test_participants_text_is_escaped(db: Path) -> None:
    panel = RoomPanel(db, join="http://127.0.0.1:8867/?code=X1", code="X1")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \U0001f600" in panel.comments.value
    assert "<script>" not in panel.comments.value
    assert "&lt;b&gt;signs&lt;/b&gt;" in panel.comments.value
    # the participants whose comparisons contradict themselves are named (escaped) for the room
    assert panel.state.analysis.weighed_by == (1, 2, 3)
    assert not panel.state.analysis.weights.flagged.any()
    assert "To revisit" not in panel.details.value
    crit = pages(SCENARIO)[-1].pairs
    with RoomStore(db) as store:
        p, _ = store.join("<i>Cy</i>")
        # a > b, b > c, but c > a: circular, far above CR 0.1
        circular = {0: "9", 1: "1/9", 5: "9"}  # (a,b), (a,c), (b,c)
        store.record(
            p, 1, [(f"{a}|{b}", "pairwise", circular.get(i, "1")) for i, (a, b) in enumerate(crit)]
        )
    panel.poll()
    assert panel.state.analysis.weights.flagged.tolist() == [False, False, False, True]
    assert "To revisit their comparisons: &lt;i&gt;Cy&lt;/i&gt; (" in panel.details.value
    html = panel.widget.children[0].children[0].value
    assert "<svg" in html and "Session code: <b>X1</b>" in html  # the QR code, inline, offline
    panel.close()


def test_rounds_methods_and_using_the_room(db: Path) -> None:
    used: list[Scenario] = []
    panel = RoomPanel(db, on_use=used.append)
    aij = panel.state.analysis.weights.weights.copy()
    panel.controls["method"].value = "aip"
    assert panel.state.analysis.weights.method == "aip"
    assert not np.allclose(panel.state.analysis.weights.weights, aij)
    assert panel.next_round() == 2 and panel.state.version.round == 2
    with RoomStore(db) as store:
        store.record(1, 2, [("ld", "say", "none")])  # participant 1 revises in round 2
    panel.poll()
    m = panel.state.movement
    assert m is not None and np.nanmax(m.mean_abs_change) > 0
    assert "Movement since the last round" in panel.details.value
    scenario = panel.use()
    assert scenario is not None and used == [scenario]
    assert scenario.name.endswith("(the room's view)")
    assert scenario.department("ld").power == 1.0  # everyone said 5 of 5
    panel.close()


def test_the_workshop_gets_a_live_tab(db: Path) -> None:
    from lmsdecide.widgets.workshop import Workshop

    shop = Workshop(draws=200, room_db=db, room_join="http://127.0.0.1:8867/")
    tabs = shop.controls["tabs"]
    assert tabs.get_title(len(tabs.children) - 1) == "The room, live"
    shop.room_panel.use()
    assert shop.scenario.name.endswith("(the room's view)")
    shop.room_panel.close()
    assert Workshop(draws=200).room_panel is None


def test_figures_of_an_empty_room(tmp_path: Path) -> None:
    empty = room_analysis(SCENARIO, room_answers(SCENARIO, {}))
    for build in (
        room_share_figure,
        room_driver_figure,
        room_disagreement_figure,
        room_partner_figure,
    ):
        fig = build(empty)
        assert fig.layout.title.text
    watcher = RoomWatcher(RoomStore.create(tmp_path / "e.sqlite", SCENARIO).path)
    state = watcher.poll()
    assert state is not None and state.analysis.n == 0 and watcher.poll() is None
    watcher.close()


def test_a_live_room_figure_moved_by_its_spec_equals_one_built_from_the_new_answers(
    db: Path,
) -> None:
    from lmsdecide.figures.catalogue import CATALOGUE
    from lmsdecide.figures.spec import apply_spec, build

    with RoomStore(db) as store:
        before = room_analysis(SCENARIO, room_answers(SCENARIO, store.latest()))
        p, _ = store.join()
        _answer(store, p, "informed", first="1/7")
        after = room_analysis(SCENARIO, room_answers(SCENARIO, store.latest()))
    empty = room_analysis(SCENARIO, room_answers(SCENARIO, {}))
    names = {q.id: q.name for q in SCENARIO.partners}
    for key in ("room_share", "room_driver", "room_disagreement", "room_partner"):
        entry = CATALOGUE[key]
        for start in (before, empty):
            old = entry.figure_spec({"room_analysis": start, "partner_names": names})
            new = entry.figure_spec({"room_analysis": after, "partner_names": names})
            fig = build(old, widget=True)
            assert apply_spec(fig, new, old) > 0, key
            want = build(new)
            assert fig.layout.title.subtitle.text == want.layout.title.subtitle.text
            for got, exp in zip(fig.data, want.data, strict=True):
                np.testing.assert_array_equal(np.asarray(got.x), np.asarray(exp.x))
                np.testing.assert_array_equal(np.asarray(got.y), np.asarray(exp.y))
            assert [s.x0 for s in fig.layout.shapes] == [s.x0 for s in want.layout.shapes]
            # and nothing is written when the answers did not change
            assert apply_spec(fig, new, new) == 0
