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
"""

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
