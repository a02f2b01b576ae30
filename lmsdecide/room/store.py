"""The room's store: one SQLite file per session, answers appended and never overwritten.

Tables (``schema_version`` 1):

``meta``          key, value: the scenario presented (JSON), the session code, the creation time
``rounds``        round, opened (Unix seconds): a new row opens a Delphi round; the last is current
``participants``  id, token_hash, name, joined: a participant is known by a random token kept in a
                  cookie on their device; only its SHA-256 is stored
``answers``       id, participant, round, subject, question, value, at: one row per answer; a
                  revision is a new row, and the latest row (highest id) for a participant, round,
                  subject and question wins when reading
``completions``   participant, round, at: the participant finished the questionnaire in that round

The database runs in WAL mode with ``synchronous=FULL``: every write is one transaction committed
before the server answers, so an answer a participant was told is saved survives the server
being killed (and a power cut). The participants' server and the facilitator's view open the same
file from different processes; readers never block the writer in WAL mode.
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lmsdecide._lazy import lazy_module
from lmsdecide.scenario import Scenario, validate_scenario

if TYPE_CHECKING:
    import pandas as pd
else:  # only the exports need it: ``lmsdecide present`` opens a store before its app starts
    pd = lazy_module("pandas")

__all__ = [
    "ANSWER_COLUMNS",
    "Answer",
    "RoomStore",
    "StoreVersion",
    "safe_cell",
]

SCHEMA_VERSION = 1
ANSWER_COLUMNS = ("id", "participant", "round", "subject", "question", "value", "at")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rounds (round INTEGER PRIMARY KEY, opened REAL NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    joined REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participant INTEGER NOT NULL REFERENCES participants(id),
    round INTEGER NOT NULL,
    subject TEXT NOT NULL,
    question TEXT NOT NULL,
    value TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_key ON answers (participant, round, subject, question, id);
CREATE TABLE IF NOT EXISTS completions (
    participant INTEGER NOT NULL REFERENCES participants(id),
    round INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (participant, round)
);
"""

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection), plus
#: the tab and carriage return that some spreadsheets strip before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A value safe to put in a CSV cell: text starting like a formula gets a leading ``'``.

    Numbers are returned unchanged (a negative number is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Answer:
    """One stored answer row."""

    id: int
    participant: int
    round: int
    subject: str
    question: str
    value: str
    at: float


@dataclass(frozen=True)
class StoreVersion:
    """A cheap fingerprint of the store: it changes whenever anything was written."""

    max_answer: int
    participants: int
    completions: int
    round: int


class RoomStore:
    """One session's SQLite file (see the module docstring for the tables).

    Open an existing session with ``RoomStore(path)``; create one with :meth:`create`.
    One instance per thread (SQLite connections are not shared between threads).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist (use :meth:`create`).
    ValueError
        The file is not a room session.
    """

    def __init__(self, path: str | Path, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(
                f"room session {self.path} does not exist; create it with "
                "`lmsdecide room serve --scenario FILE --db PATH`"
            )
        try:
            self._db = self._connect(self.path, timeout)
            version = self._meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path} is not a room session: {exc}") from None
        if version != str(SCHEMA_VERSION):
            raise ValueError(
                f"{self.path} is not a room session (schema_version {version!r}, "
                f"expected {SCHEMA_VERSION})"
            )
        self._scenario: Scenario | None = None

    @staticmethod
    def _connect(path: Path, timeout: float) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        return db

    @classmethod
    def create(cls, path: str | Path, scenario: Scenario, *, code: str | None = None) -> RoomStore:
        """A new session for ``scenario`` (``FileExistsError`` if ``path`` exists).

        ``code`` is the session code participants type to join over the LAN; a random
        six-character code is drawn when none is given.
        """
        path = Path(path)
        if path.exists():
            raise FileExistsError(f"room session {path} exists already; open it instead")
        db = cls._connect(path, 10.0)
        try:
            db.executescript(_SCHEMA)
            now = time.time()
            code = code or secrets.token_hex(3).upper()
            with _transaction(db):
                db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("scenario", json.dumps(scenario.to_data())),
                        ("code", code),
                        ("created", repr(now)),
                    ],
                )
                db.execute("INSERT INTO rounds (round, opened) VALUES (1, ?)", (now,))
        finally:
            db.close()
        return cls(path)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> RoomStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction around several writes (group commit: one sync to disk for all).

        Each write inside keeps its own savepoint: one that fails is undone alone.
        """
        with _transaction(self._db):
            yield

    # -- session ---------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def scenario(self) -> Scenario:
        """The scenario the session presents (validated once per instance)."""
        if self._scenario is None:
            self._scenario = validate_scenario(json.loads(self._meta("scenario") or "{}"))
        return self._scenario

    @property
    def code(self) -> str:
        """The session code participants type to join over the LAN."""
        return self._meta("code") or ""

    @property
    def round(self) -> int:
        """The current (last opened) Delphi round, from 1."""
        return int(self._db.execute("SELECT max(round) FROM rounds").fetchone()[0])

    def open_round(self) -> int:
        """Open the next Delphi round; returns its number."""
        with _transaction(self._db):
            current = int(self._db.execute("SELECT max(round) FROM rounds").fetchone()[0])
            self._db.execute(
                "INSERT INTO rounds (round, opened) VALUES (?, ?)", (current + 1, time.time())
            )
        return current + 1

    # -- participants -----------------------------------------------------------------------------

    def join(self, name: str = "") -> tuple[int, str]:
        """A new participant: (id, token). Only the token's hash is stored."""
        token = secrets.token_urlsafe(24)
        with _transaction(self._db):
            cur = self._db.execute(
                "INSERT INTO participants (token_hash, name, joined) VALUES (?, ?, ?)",
                (_hash(token), name, time.time()),
            )
        return int(cur.lastrowid or 0), token

    def participant(self, token: str | None) -> int | None:
        """The participant id of a token (None when unknown)."""
        if not token:
            return None
        row = self._db.execute(
            "SELECT id FROM participants WHERE token_hash = ?", (_hash(token),)
        ).fetchone()
        return None if row is None else int(row[0])

    def names(self) -> dict[int, str]:
        """Participant id -> the name they gave (empty when none)."""
        return {int(i): str(n) for i, n in self._db.execute("SELECT id, name FROM participants")}

    # -- answers ---------------------------------------------------------------------------------

    def record(
        self, participant: int, round_: int, rows: Iterable[tuple[str, str, str]]
    ) -> list[int]:
        """Append answers (subject, question, value) in one transaction; returns their ids.

        The transaction is committed (and, with ``synchronous=FULL``, on disk) when this returns.
        """
        now = time.time()
        ids: list[int] = []
        with _transaction(self._db):
            for subject, question, value in rows:
                cur = self._db.execute(
                    "INSERT INTO answers (participant, round, subject, question, value, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (participant, round_, subject, question, value, now),
                )
                ids.append(int(cur.lastrowid or 0))
        return ids

    def complete(self, participant: int, round_: int) -> None:
        """Mark the participant as having finished the questionnaire in ``round_``."""
        with _transaction(self._db):
            self._db.execute(
                "INSERT OR IGNORE INTO completions (participant, round, at) VALUES (?, ?, ?)",
                (participant, round_, time.time()),
            )

    def completed(self, participant: int, round_: int) -> bool:
        """True when the participant finished the questionnaire in ``round_``."""
        row = self._db.execute(
            "SELECT 1 FROM completions WHERE participant = ? AND round = ?", (participant, round_)
        ).fetchone()
        return row is not None

    def version(self) -> StoreVersion:
        """A fingerprint that changes with every write (four indexed lookups: cheap to poll)."""
        row = self._db.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM answers), "
            "(SELECT coalesce(max(id), 0) FROM participants), "
            "(SELECT count(*) FROM completions), (SELECT max(round) FROM rounds)"
        ).fetchone()
        return StoreVersion(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def rows(self, *, after: int = 0) -> list[Answer]:
        """Every answer row with id above ``after``, revisions included, in id order."""
        cur = self._db.execute(
            "SELECT id, participant, round, subject, question, value, at FROM answers "
            "WHERE id > ? ORDER BY id",
            (after,),
        )
        return [Answer(*r) for r in cur]

    def latest(
        self,
        participant: int | None = None,
        *,
        up_to_round: int | None = None,
        only_round: int | None = None,
    ) -> dict[tuple[int, str, str], str]:
        """(participant, subject, question) -> the latest value.

        Latest means highest id: a revision in a later round (or later in the same round) wins.
        Rows of rounds up to ``up_to_round`` (default: the current round) are read, or of
        ``only_round`` alone.
        """
        if only_round is not None:
            sql = "SELECT participant, subject, question, value FROM answers WHERE round = ?"
            args: list[object] = [only_round]
        else:
            sql = "SELECT participant, subject, question, value FROM answers WHERE round <= ?"
            args = [up_to_round if up_to_round is not None else self.round]
        if participant is not None:
            sql += " AND participant = ?"
            args.append(participant)
        out: dict[tuple[int, str, str], str] = {}
        for p, s, q, v in self._db.execute(sql + " ORDER BY id", args):
            out[(int(p), str(s), str(q))] = str(v)
        return out

    def frame(self) -> pd.DataFrame:
        """All answer rows (revisions included) with a ``latest`` flag and the participant's name.

        ``latest`` is True on the row that wins for its participant, round, subject and question.
        """
        frame = pd.read_sql_query(
            "SELECT a.id, a.participant, p.name, a.round, a.subject, a.question, a.value, a.at "
            "FROM answers a JOIN participants p ON p.id = a.participant ORDER BY a.id",
            self._db,
        )
        key = ["participant", "round", "subject", "question"]
        frame["latest"] = ~frame.duplicated(key, keep="last")
        frame["time"] = pd.to_datetime(frame["at"], unit="s", utc=True).dt.strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        return frame.drop(columns="at")

    def summary(self) -> dict[str, object]:
        """Counts only (no answers): participants joined, completed, answer rows; per round."""
        db = self._db
        joined = int(db.execute("SELECT count(*) FROM participants").fetchone()[0])
        per_round = []
        for (r,) in db.execute("SELECT round FROM rounds ORDER BY round").fetchall():
            answered = db.execute(
                "SELECT count(*), count(DISTINCT participant) FROM answers WHERE round = ?", (r,)
            ).fetchone()
            done = db.execute("SELECT count(*) FROM completions WHERE round = ?", (r,)).fetchone()
            per_round.append(
                {
                    "round": int(r),
                    "participants": int(answered[1]),
                    "completed": int(done[0]),
                    "answers": int(answered[0]),
                }
            )
        return {
            "round": self.round,
            "participants": joined,
            "completed": int(
                db.execute("SELECT count(DISTINCT participant) FROM completions").fetchone()[0]
            ),
            "answers": int(db.execute("SELECT count(*) FROM answers").fetchone()[0]),
            "rounds": per_round,
        }

    # -- export ----------------------------------------------------------------------------------

    def export(self, out: str | Path) -> Path:
        """Write every answer row to ``out`` (``.csv`` or ``.xlsx``); never a formula.

        CSV: text that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading ``'``.
        Excel: every text cell is written as text (and prefixed the same way), so nothing a
        participant typed can run when the file is opened.

        Raises
        ------
        ValueError
            ``out`` is neither ``.csv`` nor ``.xlsx``.
        """
        out = Path(out)
        suffix = out.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ValueError(f"-o: the export must end in .csv or .xlsx, got {out.name!r}")
        frame = self.frame()
        columns = [
            "id",
            "participant",
            "name",
            "round",
            "subject",
            "question",
            "value",
            "latest",
            "time",
        ]
        records = [[safe_cell(v) for v in row] for row in frame[columns].itertuples(index=False)]
        tmp = out.with_name(out.name + ".part")
        if suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                writer.writerows(records)
        else:
            _write_xlsx(tmp, columns, records, self.summary())
        tmp.replace(out)  # never leave a half-written export under the final name
        return out


def _write_xlsx(
    path: Path,
    columns: Sequence[str],
    records: Sequence[Sequence[object]],
    summary: dict[str, object],
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "answers"
    sheet.append(list(columns))
    for record in records:
        sheet.append([v.item() if hasattr(v, "item") else v for v in record])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    counts = book.create_sheet("summary")
    counts.append(["field", "value"])
    for key in ("round", "participants", "completed", "answers"):
        counts.append([key, summary[key]])
    book.save(path)


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT (rolled back on error): one writer at a time, no lost update.

    Inside an open transaction (:meth:`RoomStore.batch`) a savepoint instead, so one failing
    write undoes only itself.
    """
    if db.in_transaction:
        db.execute("SAVEPOINT one")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK TO one")
            db.execute("RELEASE one")
            raise
        db.execute("RELEASE one")
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
