"""Watching a session while answers arrive: a cheap poll, and the analysis when it changed.

:class:`RoomWatcher` asks the store for its :class:`~lmsdecide.room.store.StoreVersion` (four
indexed lookups, well under a millisecond) and only when that changed reads the latest answers and
recomputes :func:`~lmsdecide.room.analysis.room_analysis`. The facilitator's panel calls
:meth:`RoomWatcher.poll` on the kernel's event loop; nothing waits on a button.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lmsdecide.room.aggregate import DelphiMovement, delphi_movement
from lmsdecide.room.analysis import (
    NUMERIC_QUESTIONS,
    RoomAnalysis,
    RoomAnswers,
    room_analysis,
    room_answers,
)
from lmsdecide.room.store import RoomStore, StoreVersion
from lmsdecide.scenario import Scenario

__all__ = ["RoomState", "RoomWatcher", "round_movement"]


def round_movement(before: RoomAnswers, after: RoomAnswers) -> DelphiMovement:
    """How far answers moved between two rounds, per numeric question (over every department).

    Participants are aligned by id; those in only one round count as unanswered in the other.
    Columns: :data:`~lmsdecide.room.analysis.NUMERIC_QUESTIONS` x departments, flattened
    question-major.
    """
    people = sorted(set(before.participants) | set(after.participants))

    def table(ans: RoomAnswers) -> np.ndarray:
        index = {p: k for k, p in enumerate(ans.participants)}
        blocks = []
        for q in NUMERIC_QUESTIONS:
            x = np.full((len(people), len(ans.departments)), np.nan)
            for row, p in enumerate(people):
                if p in index:
                    x[row] = ans.values[q][index[p]]
            blocks.append(x)
        return np.hstack(blocks) if blocks else np.zeros((len(people), 0))

    return delphi_movement(table(before), table(after))


@dataclass(frozen=True)
class RoomState:
    """What the facilitator's view shows: counts, the analysis, and the movement of the round."""

    version: StoreVersion
    summary: dict[str, object]
    analysis: RoomAnalysis
    movement: DelphiMovement | None  # round r-1 -> r, from round 2 on
    names: dict[int, str]
    computed_at: float  # time.time() when ready
    seconds: float  # how long reading and computing took


class RoomWatcher:
    """Poll a session's SQLite file and recompute the room's analysis when anything changed.

    Parameters
    ----------
    db
        The session's file (written by the participants' server in another process).
    method
        Criteria weights aggregation, ``aij`` or ``aip``.
    """

    def __init__(self, db: str | Path, *, method: str = "aij") -> None:
        self.store = RoomStore(db)
        self.method = method
        self.state: RoomState | None = None
        self._version: StoreVersion | None = None

    @property
    def scenario(self) -> Scenario:
        """The scenario the session presents."""
        return self.store.scenario

    def poll(self, *, force: bool = False) -> RoomState | None:
        """The new state when the store changed since the last poll (or ``force``), else None."""
        version = self.store.version()
        if version == self._version and not force:
            return None
        t0 = time.perf_counter()
        scenario = self.store.scenario
        latest = self.store.latest(up_to_round=version.round)
        answers = room_answers(scenario, latest)
        previous = self.state.analysis if self.state is not None else None
        analysis = room_analysis(scenario, answers, method=self.method, previous=previous)
        movement = None
        if version.round > 1:
            before = room_answers(scenario, self.store.latest(up_to_round=version.round - 1))
            movement = round_movement(before, answers)
        self._version = version
        self.state = RoomState(
            version=version,
            summary=self.store.summary(),
            analysis=analysis,
            movement=movement,
            names=self.store.names(),
            computed_at=time.time(),
            seconds=time.perf_counter() - t0,
        )
        return self.state

    def open_round(self) -> int:
        """Open the next Delphi round (participants see the previous round's medians)."""
        return self.store.open_round()

    def close(self) -> None:
        """Close the store."""
        self.store.close()
