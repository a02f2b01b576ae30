"""The participants' server, as a real subprocess on 127.0.0.1: the questionnaire without
JavaScript, validation, CSRF, rate limits, a small load test and a SIGKILL in mid-round."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from lmsdecide.io import example
from lmsdecide.room import RoomStore
from lmsdecide.room.forms import pages
from lmsdecide.room.simulate import SimulatedParticipant, Submit, random_form, spawn_server

SCENARIO = example("learning_led_late_it")
PAGES = pages(SCENARIO)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _count(db: Path, sql: str = "SELECT count(*) FROM answers") -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("room") / "session.sqlite"
    RoomStore.create(db, SCENARIO, code="ROOM42").close()
    port = _port()
    proc = spawn_server(db, port)
    try:
        yield f"http://127.0.0.1:{port}", db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_participant_answers_everything_without_javascript(server: tuple[str, Path]) -> None:
    base, db = server
    before = _count(db)
    p = SimulatedParticipant(base)
    assert p.join("Ana") == "/q/0"
    rng = np.random.default_rng(1)
    for page in PAGES:
        submit = p.submit(page.index, random_form(SCENARIO, page, rng))
        assert submit.status == 303
    assert submit.location == "/done"
    status, html, _ = p.request("/done")
    assert status == 200 and "Your answers are saved" in html and "Thank you, Ana" in html
    assert "consistency ratio" in html  # feedback on the participant's own comparisons
    expected = 6 * (len(PAGES) - 1) + len(PAGES[-1].pairs)
    assert _count(db) - before == expected
    # coming back: the cookie resumes the participant where they were
    status, _, location = p.request("/")
    assert status == 302 and location == "/done"
    # no page contains a script, and every page sends a CSP forbidding them
    assert "<script" not in html


def test_the_forms_are_accessible(server: tuple[str, Path]) -> None:
    base, _ = server
    p = SimulatedParticipant(base)
    p.join()
    status, html, _ = p.request("/q/0")
    assert status == 200 and 'name="viewport"' in html and '<html lang="en">' in html
    # every input has a label, every group a legend
    import re

    ids = re.findall(r'<input type="(?:radio|checkbox)" id="([^"]+)"', html)
    assert ids and all(f'<label for="{i}">' in html for i in ids)
    assert html.count("<fieldset>") == html.count("<legend>") == 6


def test_missing_or_forged_xsrf_is_refused(server: tuple[str, Path]) -> None:
    base, db = server
    p = SimulatedParticipant(base)
    p.join()
    before = _count(db)
    assert p.request("/q/0", {"power": "5"})[0] == 403
    assert p.request("/q/0", {"power": "5", "_xsrf": "2|00|00|1"})[0] == 403
    assert _count(db) == before
    # a participant of another browser cannot post with a stolen token alone either
    other = SimulatedParticipant(base)
    other.join()
    assert other.request("/q/0", {"power": "5", "_xsrf": p.xsrf("/q/0")})[0] == 403


def test_invalid_answers_are_refused_whole_and_shown_escaped(server: tuple[str, Path]) -> None:
    base, db = server
    p = SimulatedParticipant(base)
    p.join()
    before = _count(db)
    token = p.xsrf("/q/0")
    status, html, _ = p.request(
        "/q/0", {"_xsrf": token, "power": "<b>9</b>", "interest": "3", "comment": "kept"}
    )
    assert status == 400 and "Nothing on this page was saved" in html
    assert "&lt;b&gt;9&lt;/b&gt;" in html and "<b>9</b>" not in html
    assert ">kept</textarea>" in html  # what was typed is not lost
    assert _count(db) == before


def test_hostile_text_is_stored_as_text_and_shown_escaped(server: tuple[str, Path]) -> None:
    base, db = server
    hostile = "<script>alert(1)</script> \U0001f600 " + "long " * 80
    p = SimulatedParticipant(base)
    p.join(name="<img src=x onerror=alert(1)>")
    assert p.submit(1, {"comment": hostile}).status == 303
    status, html, _ = p.request("/q/1")
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \U0001f600" in html and "<script>" not in html
    _, html, _ = p.request("/done")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT value FROM answers WHERE question = 'comment'").fetchall()
    assert hostile.strip() in {r[0] for r in stored}


def test_summary_has_counts_and_no_answers(server: tuple[str, Path]) -> None:
    base, db = server
    p = SimulatedParticipant(base)
    p.join("Ana")
    assert p.submit(len(PAGES) - 1, {"comment": "<script>"}).status == 303  # finishes
    status, body, _ = p.request("/summary.json")
    summary = json.loads(body)
    assert status == 200
    assert summary["answers"] == _count(db)
    assert summary["participants"] == _count(db, "SELECT count(*) FROM participants")
    assert summary["completed"] >= 1
    assert set(summary["rounds"][0]) == {"round", "participants", "completed", "answers"}
    assert "script" not in body and "Ana" not in body


def test_no_way_to_the_facilitators_controls(server: tuple[str, Path]) -> None:
    base, _ = server
    p = SimulatedParticipant(base)
    p.join()
    for path in (
        "/admin",
        "/round",
        "/export",
        "/facilitator",
        "/answers",
        "/q/99",
        "/q/-1",
        "/../session.sqlite",
        "/summary.json/x",
    ):
        assert p.request(path)[0] == 404, path
    token = p.xsrf("/q/0")
    assert p.request("/round", {"_xsrf": token})[0] == 404


def test_a_flooding_participant_is_slowed(server: tuple[str, Path]) -> None:
    base, _ = server
    p = SimulatedParticipant(base)
    p.join()
    statuses = [p.request("/q/0")[0] for _ in range(60)]
    assert 429 in statuses and statuses[0] == 200
    # another participant is not affected
    q = SimulatedParticipant(base)
    q.join()
    assert q.request("/q/0")[0] == 200


def test_lan_mode_needs_the_session_code(tmp_path: Path) -> None:
    db = tmp_path / "lan.sqlite"
    RoomStore.create(db, SCENARIO, code="K7Q2ZX").close()
    port = _port()
    proc = spawn_server(db, port, lan=True)
    try:
        p = SimulatedParticipant(f"http://127.0.0.1:{port}")
        token = p.xsrf("/")
        status, html, _ = p.request("/join", {"_xsrf": token, "code": "WRONG"})
        assert status == 400 and "session code" in html
        assert p.join(code="k7q2zx") == "/q/0"  # case does not matter
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _answer_all(
    base: str,
    k: int,
    results: list[list[Submit]],
    stop_after: int | None = None,
    jar: list[SimulatedParticipant] | None = None,
) -> None:
    rng = np.random.default_rng(k)
    p = SimulatedParticipant(base, timeout=10)
    if jar is not None:
        jar[k] = p
    p.join(f"p{k}")
    for page in PAGES[:stop_after]:
        try:
            results[k].append(
                p.submit(page.index, random_form(SCENARIO, page, rng, comment=f"m{k}-{page.index}"))
            )
        except OSError:  # the server went away: nothing more was acknowledged
            return


def test_ten_participants_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "load.sqlite"
    RoomStore.create(db, SCENARIO).close()
    port = _port()
    proc = spawn_server(db, port)
    try:
        results: list[list[Submit]] = [[] for _ in range(10)]
        threads = [
            threading.Thread(target=_answer_all, args=(f"http://127.0.0.1:{port}", k, results))
            for k in range(10)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert all(len(r) == len(PAGES) and all(s.status == 303 for s in r) for r in results)
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
        distinct = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT participant, subject, question FROM answers)"
        ).fetchone()[0]
        completed = conn.execute("SELECT count(*) FROM completions").fetchone()[0]
    per_participant = 7 * (len(PAGES) - 1) + len(PAGES[-1].pairs) + 1  # with one comment a page
    assert total == distinct == 10 * per_participant  # none lost, none duplicated
    assert completed == 10


def test_sigkill_mid_round_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    db = tmp_path / "fault.sqlite"
    RoomStore.create(db, SCENARIO).close()
    port = _port()
    base = f"http://127.0.0.1:{port}"
    proc = spawn_server(db, port)
    results: list[list[Submit]] = [[] for _ in range(6)]
    jar: list[SimulatedParticipant] = [SimulatedParticipant(base)] * 6
    threads = [
        threading.Thread(target=_answer_all, args=(base, k, results, None, jar)) for k in range(6)
    ]
    for t in threads:
        t.start()
    # kill once about a third of the pages were acknowledged
    target = 6 * len(PAGES) // 3
    for _ in range(600):
        if sum(len(r) for r in results) >= target:
            break
        threading.Event().wait(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for t in threads:
        t.join(timeout=60)
    acknowledged = {(k, s.comment) for k, r in enumerate(results) for s in r if s.status == 303}
    assert 0 < len(acknowledged) < 6 * len(PAGES)
    with sqlite3.connect(db) as conn:
        stored = {v for (v,) in conn.execute("SELECT value FROM answers WHERE question='comment'")}
    assert {c for _, c in acknowledged} <= stored  # every answer the participant was told saved
    # restart: every participant resumes with their cookie where they were
    proc = spawn_server(db, port)
    try:
        for k, p in enumerate(jar):
            # pages stored for this participant (a page committed just before the kill may have
            # lost its response: stored but not acknowledged, and the participant goes past it)
            stored_pages = {int(c.split("-")[1]) for c in stored if c.startswith(f"m{k}-")}
            assert {int(c.split("-")[1]) for kk, c in acknowledged if kk == k} <= stored_pages
            status, _, location = p.request("/")
            if not any(c.name == "lmsroom" for c in p.jar):  # killed before it joined
                assert status == 200
                p.join(f"p{k}")
                location = "/q/0"
            else:
                assert status == 302
            next_page = min(set(range(len(PAGES))) - stored_pages, default=None)
            assert location == ("/done" if next_page is None else f"/q/{next_page}")
            rng = np.random.default_rng(100 + k)
            for page in PAGES[next_page:] if next_page is not None else ():
                assert p.submit(page.index, random_form(SCENARIO, page, rng)).status == 303
        assert _count(db, "SELECT count(*) FROM completions") == 6
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_second_round_shows_the_medians_and_keeps_earlier_answers(tmp_path: Path) -> None:
    db = tmp_path / "delphi.sqlite"
    RoomStore.create(db, SCENARIO).close()
    port = _port()
    proc = spawn_server(db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        people = [SimulatedParticipant(base) for _ in range(3)]
        for p, power in zip(people, ("1", "4", "5"), strict=True):
            p.join()
            assert p.submit(0, {"power": power, "say": "signs"}).status == 303
        with RoomStore(db) as store:
            assert store.open_round() == 2
        status, _, location = people[0].request("/")
        assert status == 302 and location == "/q/0"  # round 2 starts again at the first page
        _, html, _ = people[0].request("/q/0")
        assert "Room's median in round 1: 4 - much." in html  # median of 1, 4, 5
        assert 'value="1" checked' in html  # the participant's own round-1 answer, filled in
        assert people[0].submit(0, {"power": "3"}).status == 303
        with RoomStore(db) as store:
            assert store.latest(only_round=2) == {(1, "ld", "power"): "3"}
            assert store.latest()[(1, "ld", "say")] == "signs"  # unrevised answers carry over
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_flood_of_forged_posts_is_slowed_too(server: tuple[str, Path]) -> None:
    base, db = server
    p = SimulatedParticipant(base)
    p.join()
    before = _count(db)
    statuses = {p.request("/q/0", {"power": "5"})[0] for _ in range(50)}
    assert statuses == {403, 429} and _count(db) == before
