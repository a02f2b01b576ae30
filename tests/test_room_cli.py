"""``lmsdecide room``: export, rounds, and the options ``present`` gains (exit codes, messages)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar

import pytest

from lmsdecide.cli import build_parser, main
from lmsdecide.cli.room import room_beside
from lmsdecide.io import example
from lmsdecide.room import RoomStore


@pytest.fixture
def session(tmp_path: Path) -> Path:
    db = tmp_path / "session.sqlite"
    with RoomStore.create(db, example("it_led")) as store:
        p, _ = store.join("=2+2")
        store.record(p, 1, [("ld", "power", "4"), ("ld", "comment", "@SUM(A1)")])
        store.complete(p, 1)
    return db


def test_export_csv_and_xlsx(
    session: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "answers.csv"
    assert main(["room", "export", "--db", str(session), "-o", str(out)]) == 0
    assert "2 answers from 1 participants (1 completed)" in capsys.readouterr().out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["value"] for r in rows] == ["4", "'@SUM(A1)"] and rows[0]["name"] == "'=2+2"
    assert main(["room", "export", "--db", str(session), "-o", str(tmp_path / "a.xlsx")]) == 0
    assert (tmp_path / "a.xlsx").stat().st_size > 0


def test_export_errors(session: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["room", "export", "--db", str(tmp_path / "none.sqlite"), "-o", "x.csv"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["room", "export", "--db", str(session), "-o", str(tmp_path / "a.json")]) == 1
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()
    assert main(["room"]) == 2


def test_rounds(session: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["room", "round", "--db", str(session)]) == 0
    assert capsys.readouterr().out.strip() == "round 1"
    assert main(["room", "round", "--db", str(session), "--next"]) == 0
    assert capsys.readouterr().out.strip() == "round 2 opened"
    with RoomStore(session) as store:
        assert store.round == 2


def test_serve_rejects_a_bad_port_and_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["room", "serve", "--db", str(tmp_path / "s.sqlite"), "--port", "70000"]) == 2
    assert "--port: must be between 1 and 65535, got 70000" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite").exists()
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not sqlite" * 200)
    assert main(["room", "serve", "--db", str(junk)]) == 1
    assert "not a room session" in capsys.readouterr().err
    assert main(["room", "serve", "--db", str(tmp_path / "n.sqlite"), "--scenario", "nope"]) == 1
    assert "not a bundled scenario" in capsys.readouterr().err


def test_present_gains_the_room_options(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["present", "--room-db", str(tmp_path / "r.sqlite"), "--room-port", "0", "--no-room"]
    )
    assert args.room_db.endswith("r.sqlite") and args.no_room and not args.lan
    with room_beside(args, {"A": "1"}) as env:
        assert env == {"A": "1"}  # no room: Voila's environment unchanged, no file made
    assert not (tmp_path / "r.sqlite").exists()


def test_present_serves_another_notebook_and_refuses_an_unknown_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from lmsdecide.cli import present_command

    assert main(["present", "--notebook", "nope.ipynb", "--room-db", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "--notebook: 'nope.ipynb' is not one of the notebooks" in err
    assert "02_when_to_engage.ipynb" in err
    called: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(subprocess, "call", lambda command, env: called.append((command, env)))
    room = tmp_path / "r.sqlite"
    main(["present", "--notebook", "02_when_to_engage.ipynb", "--room-db", str(room)])
    ((command, _env),) = called
    assert command[3].endswith("notebooks/02_when_to_engage.ipynb")
    assert "02_when_to_engage.ipynb on http://127.0.0.1:8866/" in capsys.readouterr().out
    assert not room.exists()  # the participants' server is the Workshop's only
    assert present_command(8866)[0][3].endswith("notebooks/05_workshop_live.ipynb")


class _FakeServer:
    """Stands for the room server's process: records what ``room_beside`` does to it."""

    started: ClassVar[list[_FakeServer]] = []

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.terminated = False
        _FakeServer.started.append(self)

    def terminate(self) -> None:
        self.terminated = True

    def wait(self, timeout: float | None = None) -> int:
        return 0


def _room_args(tmp_path: Path, delay: str) -> object:
    return build_parser().parse_args(
        ["present", "--room-db", str(tmp_path / "r.sqlite"), "--room-delay", delay]
    )


def test_the_room_server_starts_after_the_delay_and_stops_with_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess
    import time

    from lmsdecide.cli.room import ROOM_DELAY

    assert build_parser().parse_args(["present"]).room_delay == ROOM_DELAY == 10.0
    monkeypatch.setattr(subprocess, "Popen", _FakeServer)
    _FakeServer.started = []
    with room_beside(_room_args(tmp_path, "0.3"), {}) as env:
        assert env["LMSDECIDE_ROOM_DB"].endswith("r.sqlite")  # the session exists at once
        assert (tmp_path / "r.sqlite").exists()
        assert _FakeServer.started == []  # not yet: the app's first screen has the CPU
        deadline = time.monotonic() + 20
        while not _FakeServer.started and time.monotonic() < deadline:
            time.sleep(0.05)
        (server,) = _FakeServer.started
        assert server.command[2:3] == ["lmsdecide.room.server"] and not server.terminated
    assert server.terminated
    assert "the room server starts in 0.3 s" in capsys.readouterr().out

    # present stopped before the delay ran out: no server is ever started
    _FakeServer.started = []
    with room_beside(_room_args(tmp_path, "0.5"), {}):
        pass
    time.sleep(0.8)
    assert _FakeServer.started == []

    # 0: at once, as before
    with room_beside(_room_args(tmp_path, "0"), {}):
        assert len(_FakeServer.started) == 1
    assert _FakeServer.started[0].terminated


@pytest.mark.parametrize("delay", ["-1", "nan", "601"])
def test_present_refuses_a_bad_room_delay(
    delay: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["present", "--room-db", str(tmp_path / "r.sqlite"), "--room-delay", delay]) == 1
    err = capsys.readouterr().err
    assert f"--room-delay: must be between 0 and 600 seconds, got {delay}" in err
    assert not (tmp_path / "r.sqlite").exists()  # refused before anything starts
