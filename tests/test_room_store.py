"""The room's store, forms and analysis: append-only answers, safe exports, validated pages,
and each participant's answers as a scenario."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lmsdecide.influence import who_drives
from lmsdecide.io import example
from lmsdecide.room import (
    MAPPINGS,
    RoomStore,
    group_scenario,
    participant_scenario,
    room_analysis,
    room_answers,
    safe_cell,
)
from lmsdecide.room.forms import pages, validate_name, validate_page
from lmsdecide.room.questions import COMMENT_MAX, DEPARTMENT_QUESTIONS, NOBODY

SCENARIO = example("learning_led_late_it")


@pytest.fixture
def store(tmp_path: Path) -> RoomStore:
    return RoomStore.create(tmp_path / "s.sqlite", SCENARIO, code="ABC123")


def test_store_appends_revisions_and_latest_wins(store: RoomStore) -> None:
    p, token = store.join("Ana")
    assert store.participant(token) == p and store.participant("nope") is None
    store.record(p, 1, [("ld", "power", "2")])
    store.record(p, 1, [("ld", "power", "5")])  # a revision: appended, not overwritten
    assert store.latest() == {(p, "ld", "power"): "5"}
    frame = store.frame()
    assert frame["value"].tolist() == ["2", "5"]
    assert frame["latest"].tolist() == [False, True]
    assert store.round == 1 and store.open_round() == 2 and store.round == 2
    store.record(p, 2, [("ld", "power", "3")])
    assert store.latest(up_to_round=1) == {(p, "ld", "power"): "5"}
    assert store.latest() == {(p, "ld", "power"): "3"}
    assert store.latest(only_round=2) == {(p, "ld", "power"): "3"}


def test_token_hash_only_is_stored(store: RoomStore) -> None:
    _, token = store.join()
    rows = sqlite3.connect(store.path).execute("SELECT token_hash FROM participants").fetchall()
    assert token not in {r[0] for r in rows} and len(rows[0][0]) == 64


def test_summary_counts_and_no_answers(store: RoomStore) -> None:
    a, _ = store.join()
    b, _ = store.join()
    store.record(a, 1, [("ld", "power", "4"), ("ld", "interest", "5")])
    store.complete(a, 1)
    store.join()
    summary = store.summary()
    assert summary["participants"] == 3 and summary["completed"] == 1 and summary["answers"] == 2
    assert summary["rounds"] == [{"round": 1, "participants": 1, "completed": 1, "answers": 2}]
    assert "4" not in str(summary.values()) or "ld" not in str(summary)
    assert store.version().max_answer == 2 and store.version().participants == 3
    assert not store.completed(b, 1)


def test_reopen_a_session(store: RoomStore) -> None:
    p, token = store.join()
    store.record(p, 1, [("hr", "say", "signs")])
    store.close()
    again = RoomStore(store.path)
    assert again.participant(token) == p
    assert again.latest() == {(p, "hr", "say"): "signs"}
    assert again.scenario.name == SCENARIO.name and again.code == "ABC123"


def test_not_a_session(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        RoomStore(tmp_path / "missing.sqlite")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="not a room session"):
        RoomStore(bad)
    with pytest.raises(FileExistsError):
        RoomStore.create(bad, SCENARIO)


HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", '=HYPERLINK("http://x")']


def test_exports_never_write_a_formula(store: RoomStore, tmp_path: Path) -> None:
    p, _ = store.join("=cmd|' /C calc'!A0")
    store.record(p, 1, [("ld", "comment", text) for text in HOSTILE])
    out = store.export(tmp_path / "a.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["value"] for r in rows] == ["'" + t for t in HOSTILE]
    assert rows[0]["name"].startswith("'=")
    book = load_workbook(store.export(tmp_path / "a.xlsx"))
    sheet = book["answers"]
    header = [c.value for c in sheet[1]]
    col = header.index("value")
    for row, text in zip(sheet.iter_rows(min_row=2), HOSTILE, strict=True):
        assert row[col].data_type == "s" and row[col].value == "'" + text
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        store.export(tmp_path / "a.json")
    assert safe_cell(-2.5) == -2.5 and safe_cell("plain") == "plain"


def test_pages_and_validation() -> None:
    all_pages = pages(SCENARIO)
    assert len(all_pages) == len(SCENARIO.departments) + 1
    crit = all_pages[-1]
    assert len(crit.pairs) == 15  # 6 criteria
    ld = all_pages[0]
    rows, problems = validate_page(
        SCENARIO,
        ld,
        {
            "power": ["5"],
            "say": ["signs"],
            "listens": ["hr", "it"],
            "phase": ["needs_analysis"],
            "comment": ["<script>alert(1)</script> \U0001f600"],
            "_xsrf": ["x"],
        },
    )
    assert problems == []
    assert ("ld", "listens", "hr,it") in rows and ("ld", "power", "5") in rows
    assert ("ld", "comment", "<script>alert(1)</script> \U0001f600") in rows
    bad = {
        "power": (["6"], "power: must be one of 1, 2, 3, 4, 5; got '6'"),
        "phase": (["later"], "phase: must be one of"),
        "listens": (["ld"], "listens: unknown department 'ld'"),
        "comment": (["x" * (COMMENT_MAX + 1)], "comment: at most 500"),
        "evil": (["1"], "form: unknown field 'evil'"),
    }
    for field, (value, message) in bad.items():
        rows, problems = validate_page(SCENARIO, ld, {"power": ["3"], field: value})
        assert rows == [] and any(message in p for p in problems), (field, problems)
    rows, problems = validate_page(SCENARIO, ld, {"listens": [NOBODY, "hr"]})
    assert rows == [] and "not both" in problems[0]
    rows, problems = validate_page(SCENARIO, ld, {"power": ["3", "4"]})
    assert "give one answer" in problems[0]
    a, b = crit.pairs[0]
    rows, problems = validate_page(SCENARIO, crit, {f"pair:{a}:{b}": ["1/5"]})
    assert rows == [(f"{a}|{b}", "pairwise", "1/5")] and not problems
    rows, problems = validate_page(SCENARIO, crit, {f"pair:{a}:{b}": ["2"]})
    assert rows == [] and "must be one of 9, 7, 5, 3, 1" in problems[0]
    assert validate_name(["x" * 61])[1] and validate_name(["  Bo\x00b "]) == ("Bob", [])


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*DEPARTMENT_QUESTIONS, "comment", "x"]),
        st.lists(st.text(max_size=30), max_size=3),
        max_size=8,
    )
)
def test_random_forms_never_crash_and_store_only_allowed_values(form: dict) -> None:
    rows, problems = validate_page(SCENARIO, pages(SCENARIO)[2], form)
    assert not (rows and problems)
    for _, question, value in rows:
        if question in ("power", "interest", "say", "firmness"):
            MAPPINGS[question].number(value)


def _latest_for(participant: int, answers: dict[tuple[str, str], str]) -> dict:
    return {(participant, s, q): v for (s, q), v in answers.items()}


def test_a_participant_who_gives_learning_all_the_say() -> None:
    # L&D signs off, nobody else has a say, and L&D listens to nobody: its initial position is the
    # decision, so the learning share is exactly 1 (share = a^T V with a = e_ld, V's ld row e_ld).
    answers = {(d, "say"): "none" for d in SCENARIO.department_ids}
    answers[("ld", "say")] = "signs"
    answers[("ld", "listens")] = NOBODY
    ans = room_answers(SCENARIO, _latest_for(7, answers))
    scenario = participant_scenario(SCENARIO, ans, 0)
    assert scenario.department("ld").authority == MAPPINGS["say"].number("signs")
    assert scenario.department("it").authority == MAPPINGS["say"].number("none") == 0
    assert not [e for e in scenario.influence if e.source == "ld"]
    assert who_drives(scenario).learning_share == pytest.approx(1.0)
    assert who_drives(SCENARIO).learning_share < 0.9


def test_room_analysis_distribution_and_group_view() -> None:
    crit = [c.id for c in SCENARIO.criteria]
    latest: dict[tuple[int, str, str], str] = {}
    for p, power in ((1, "1"), (2, "3"), (3, "5")):
        latest[(p, "ld", "power")] = power
        latest[(p, "it", "power")] = "3"
        latest[(p, "ld", "phase")] = "needs_analysis"
        for i in range(len(crit)):
            for j in range(i + 1, len(crit)):
                # participant 1 puts the first criterion far ahead; the others are indifferent
                latest[(p, f"{crit[i]}|{crit[j]}", "pairwise")] = "9" if p == 1 and i == 0 else "1"
    ans = room_answers(SCENARIO, latest)
    assert ans.participants == (1, 2, 3) and ans.complete_pairwise.all()
    result = room_analysis(SCENARIO, ans)
    ld, it = SCENARIO.department_ids.index("ld"), SCENARIO.department_ids.index("it")
    assert result.spreads["power"].median[ld] == 0.5  # 0, 0.5, 1
    assert result.spreads["power"].iqr[ld] == 0.5
    assert result.spreads["power"].iqr[it] == 0.0
    assert result.disagreement.iloc[0]["department"] == "ld"
    assert result.learning_share.shape == (3,) and len(result.top_driver) == 3
    assert result.median_participant == 2  # the power ratings order the learning shares
    assert sum(result.p_first.values()) == pytest.approx(1.0)
    assert result.weights is not None and result.weights.individual.shape == (3, 6)
    np.testing.assert_allclose(result.weights.individual[1], 1 / 6)
    view = group_scenario(SCENARIO, result)
    assert view.department("ld").power == 0.5
    assert view.engagement["ld"] == "needs_analysis"
    assert view.department("hr").power == SCENARIO.department("hr").power  # unrated: kept


def test_room_answers_skip_values_of_another_scenario() -> None:
    ans = room_answers(
        SCENARIO,
        {
            (1, "nope", "power"): "3",
            (1, "ld", "power"): "9",
            (1, "ld", "phase"): "nope",
            (1, "ld", "comment"): "hi",
        },
    )
    assert np.isnan(ans.values["power"]).all() and np.isnan(ans.values["phase"]).all()
    assert ans.comments == ((1, "ld", "hi"),)


def test_a_batch_commits_together_and_a_failing_write_is_undone_alone(store: RoomStore) -> None:
    p, _ = store.join()
    with store.batch():
        store.record(p, 1, [("ld", "power", "1")])
        with pytest.raises(sqlite3.IntegrityError):
            store.record(999, 1, [("ld", "power", "2")])  # no such participant
        store.record(p, 1, [("ld", "interest", "3")])
    assert store.latest() == {(p, "ld", "power"): "1", (p, "ld", "interest"): "3"}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_fast_drive_path_equals_who_drives_on_the_participants_scenario(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = SCENARIO.department_ids
    latest: dict[tuple[int, str, str], str] = {}
    for d in ids:
        if rng.random() < 0.7:
            latest[(1, d, "say")] = str(rng.choice([c.value for c in MAPPINGS["say"].choices]))
        if rng.random() < 0.7:
            latest[(1, d, "firmness")] = str(
                rng.choice([c.value for c in MAPPINGS["firmness"].choices])
            )
        if rng.random() < 0.5:
            others = [x for x in ids if x != d]
            k = int(rng.integers(0, 4))
            latest[(1, d, "listens")] = ",".join(rng.choice(others, k, replace=False)) or NOBODY
    ans = room_answers(SCENARIO, latest)
    fast = room_analysis(SCENARIO, ans)
    slow = who_drives(participant_scenario(SCENARIO, ans, 0))
    assert fast.learning_share[0] == pytest.approx(slow.learning_share, abs=1e-12)
    assert fast.top_driver[0] == slow.top_driver
