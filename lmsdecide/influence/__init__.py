"""Who drives the project: stakeholder maps, the influence network and the drive share.

Models (each registered with its parameter declarations):

- :func:`who_drives`: each department's share of the final decision (aᵀV), the learning share.
- :func:`who_drives_by_phase`: the same for the decisions of each phase.
- :func:`what_it_would_take`: the smallest change that makes learning drive.
- :func:`combined_levers`: the least costly combination of levers (authority, listening, RACI,
  engagement, partner) that makes learning drive and, optionally, meets a P80 target.
- :func:`power_interest` (Mendelow 1991) and :func:`salience` (Mitchell, Agle & Wood 1997).
- :func:`decision_rights`: the RACI checks.
- :func:`influence_network`: the network with a stable layout, for the figure.

Algebra: :func:`friedkin_johnsen` (DeGroot when every susceptibility is 1), :func:`salience_class`.
"""

from lmsdecide.influence.combined import (
    CombinedLeversResult,
    LeverBounds,
    LeverCosts,
    combined_levers,
)
from lmsdecide.influence.drive import (
    BY_PHASE_PARAMS,
    WHO_DRIVES_PARAMS,
    PhaseDriveResult,
    WhoDrivesResult,
    drive_share,
    influence_matrix,
    raw_influence,
    who_drives,
    who_drives_by_phase,
)
from lmsdecide.influence.graph import NETWORK_PARAMS, NetworkResult, influence_network
from lmsdecide.influence.levers import LEVER_PARAMS, WhatItTakesResult, what_it_would_take
from lmsdecide.influence.network import FJResult, closed_groups, friedkin_johnsen, row_normalise
from lmsdecide.influence.raci import DecisionRightsResult, decision_rights
from lmsdecide.influence.stakeholders import (
    GRID_PARAMS,
    QUADRANTS,
    SALIENCE_CLASSES,
    SALIENCE_PARAMS,
    PowerInterestResult,
    SalienceResult,
    power_interest,
    quadrant,
    salience,
    salience_class,
)

__all__ = [
    "BY_PHASE_PARAMS",
    "GRID_PARAMS",
    "LEVER_PARAMS",
    "NETWORK_PARAMS",
    "QUADRANTS",
    "SALIENCE_CLASSES",
    "SALIENCE_PARAMS",
    "WHO_DRIVES_PARAMS",
    "CombinedLeversResult",
    "DecisionRightsResult",
    "FJResult",
    "LeverBounds",
    "LeverCosts",
    "NetworkResult",
    "PhaseDriveResult",
    "PowerInterestResult",
    "SalienceResult",
    "WhatItTakesResult",
    "WhoDrivesResult",
    "closed_groups",
    "combined_levers",
    "decision_rights",
    "drive_share",
    "friedkin_johnsen",
    "influence_matrix",
    "influence_network",
    "power_interest",
    "quadrant",
    "raw_influence",
    "row_normalise",
    "salience",
    "salience_class",
    "what_it_would_take",
    "who_drives",
    "who_drives_by_phase",
]


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
