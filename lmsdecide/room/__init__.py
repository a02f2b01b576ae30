"""The room's view: participants' answers, stored, aggregated and set against the scenario.

- :mod:`lmsdecide.room.ratings`: ratings from a form or a survey tool's CSV (power, interest and
  the phase of first engagement), aggregated per department.
- :mod:`lmsdecide.room.questions`: the questionnaire participants answer from their own devices
  and its one table of answer -> number mappings.
- :mod:`lmsdecide.room.store`: the session's SQLite file (answers appended, never overwritten).
- :mod:`lmsdecide.room.aggregate`: medians and spreads, AHP group weights (AIJ/AIP), Goepel's
  consensus indicator, Delphi movement (pure functions).
- :mod:`lmsdecide.room.analysis`: each participant's answers as a scenario; the learning share,
  top driver and first partner as distributions over the room.
- :mod:`lmsdecide.room.server`: the participants' web server (imported on demand).

Each name below is imported from its module on first use: ``lmsdecide present`` opens the
session's store before the workshop app starts, and should not wait for the aggregation's
libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lmsdecide._lazy import lazy_attribute

if TYPE_CHECKING:
    from lmsdecide.room.aggregate import (
        AGGREGATIONS,
        CONSENSUS_BANDS,
        Consensus,
        DelphiMovement,
        GroupWeights,
        Spread,
        ahp_consensus,
        consensus_band,
        delphi_movement,
        group_weights,
        spread,
    )
    from lmsdecide.room.analysis import (
        RoomAnalysis,
        RoomAnswers,
        group_scenario,
        participant_scenario,
        room_analysis,
        room_answers,
    )
    from lmsdecide.room.questions import MAPPINGS, Choice, Mapping
    from lmsdecide.room.ratings import (
        ROOM_PARAMS,
        SCALES,
        Rating,
        RatingProblem,
        Ratings,
        RoomView,
        aggregate_ratings,
        parse_ratings,
        read_ratings_csv,
        room_scenario,
    )
    from lmsdecide.room.store import RoomStore, safe_cell

# name -> the module defining it
_WHERE = {
    "AGGREGATIONS": "lmsdecide.room.aggregate",
    "CONSENSUS_BANDS": "lmsdecide.room.aggregate",
    "MAPPINGS": "lmsdecide.room.questions",
    "ROOM_PARAMS": "lmsdecide.room.ratings",
    "SCALES": "lmsdecide.room.ratings",
    "Choice": "lmsdecide.room.questions",
    "Consensus": "lmsdecide.room.aggregate",
    "DelphiMovement": "lmsdecide.room.aggregate",
    "GroupWeights": "lmsdecide.room.aggregate",
    "Mapping": "lmsdecide.room.questions",
    "Rating": "lmsdecide.room.ratings",
    "RatingProblem": "lmsdecide.room.ratings",
    "Ratings": "lmsdecide.room.ratings",
    "RoomAnalysis": "lmsdecide.room.analysis",
    "RoomAnswers": "lmsdecide.room.analysis",
    "RoomStore": "lmsdecide.room.store",
    "RoomView": "lmsdecide.room.ratings",
    "Spread": "lmsdecide.room.aggregate",
    "aggregate_ratings": "lmsdecide.room.ratings",
    "ahp_consensus": "lmsdecide.room.aggregate",
    "consensus_band": "lmsdecide.room.aggregate",
    "delphi_movement": "lmsdecide.room.aggregate",
    "group_scenario": "lmsdecide.room.analysis",
    "group_weights": "lmsdecide.room.aggregate",
    "parse_ratings": "lmsdecide.room.ratings",
    "participant_scenario": "lmsdecide.room.analysis",
    "read_ratings_csv": "lmsdecide.room.ratings",
    "room_analysis": "lmsdecide.room.analysis",
    "room_answers": "lmsdecide.room.analysis",
    "room_scenario": "lmsdecide.room.ratings",
    "safe_cell": "lmsdecide.room.store",
    "spread": "lmsdecide.room.aggregate",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _WHERE, name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_WHERE))


__all__ = [
    "AGGREGATIONS",
    "CONSENSUS_BANDS",
    "MAPPINGS",
    "ROOM_PARAMS",
    "SCALES",
    "Choice",
    "Consensus",
    "DelphiMovement",
    "GroupWeights",
    "Mapping",
    "Rating",
    "RatingProblem",
    "Ratings",
    "RoomAnalysis",
    "RoomAnswers",
    "RoomStore",
    "RoomView",
    "Spread",
    "aggregate_ratings",
    "ahp_consensus",
    "consensus_band",
    "delphi_movement",
    "group_scenario",
    "group_weights",
    "parse_ratings",
    "participant_scenario",
    "read_ratings_csv",
    "room_analysis",
    "room_answers",
    "room_scenario",
    "safe_cell",
    "spread",
]
