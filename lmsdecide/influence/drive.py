"""Drive share: who determines the final decision, overall and phase by phase.

share = aᵀ V, with a the normalised formal authority and V the Friedkin–Johnsen total-influence
matrix of the scenario's influence network (:mod:`lmsdecide.influence.network`). ``share[j]`` is the
weight of department j's initial position in the authority-weighted final decision: formal say
flows to whoever the decision-makers end up listening to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lmsdecide._lazy import lazy_module
from lmsdecide.influence.network import drive_and_final, row_normalise
from lmsdecide.params import BoolParam, FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import FUNCTIONS, LEARNING_FUNCTIONS, Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "BY_PHASE_PARAMS",
    "WHO_DRIVES_PARAMS",
    "PhaseDriveResult",
    "WhoDrivesResult",
    "drive_share",
    "influence_matrix",
    "raw_influence",
    "who_drives",
    "who_drives_by_phase",
]

FloatArray = npt.NDArray[np.float64]

#: The learning-driven threshold, declared once: the diagnosis and the levers re-label it.
THRESHOLD = FloatParam(
    name="threshold",
    label="Learning-driven threshold",
    default=0.5,
    min=0.0,
    max=1.0,
    step=0.01,
    unit="share",
    help=(
        "The project counts as learning-driven when the learning share (L&D plus HR) of the final "
        "decision is at least this. One half: learning has the biggest say, not just a say."
    ),
    source="The source article (L&D/HR 'need to have the biggest influence'): one half",
    group="Who drives",
)
WHO_DRIVES_PARAMS = ParamSet((THRESHOLD,))

PHASE_POWER_EFFECT = FloatParam(
    name="phase_power_effect",
    label="Effect of phase power on authority",
    default=1.0,
    min=0.0,
    max=5.0,
    step=0.1,
    unit="per unit of power",
    help=(
        "How a department's power in a phase (its by_phase override) scales its formal authority "
        "in that phase: authority × max(0, 1 + effect × (phase power − base power)). 0 ignores "
        "phase power; 1 makes a rise from 0.3 to 0.5 worth 20% more say."
    ),
    source="illustrative",
    group="Who drives",
)
ENGAGED_ONLY = BoolParam(
    name="engaged_only",
    label="Only engaged departments have a say",
    default=True,
    help=(
        "A department not yet engaged in a phase (engagement later, or never) has no authority in "
        "that phase's decisions and nobody can listen to it."
    ),
    source=(
        "illustrative (the source article: departments engaged late cannot shape earlier decisions)"
    ),
    group="Who drives",
)
BY_PHASE_PARAMS = ParamSet((THRESHOLD, PHASE_POWER_EFFECT, ENGAGED_ONLY))


# ---------------------------------------------------------------------------------------------
# Building the network from a scenario
# ---------------------------------------------------------------------------------------------


def raw_influence(scenario: Scenario) -> FloatArray:
    """Raw edge weights R (n × n): ``R[i, j]`` = weight of the edge i listens to j."""
    ids = scenario.department_ids
    index = {d: i for i, d in enumerate(ids)}
    R = np.zeros((len(ids), len(ids)))
    for e in scenario.influence:
        R[index[e.source], index[e.target]] += e.weight
    return R


def influence_matrix(scenario: Scenario) -> FloatArray:
    """W: the influence edges row-normalised; a department with no edges listens to itself."""
    return row_normalise(raw_influence(scenario))


def _authority(scenario: Scenario) -> FloatArray:
    return np.array([d.authority for d in scenario.departments], dtype=float)


def _learning_mask(functions: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    return np.array([f in LEARNING_FUNCTIONS for f in functions], dtype=bool)


def drive_share(
    W: npt.ArrayLike, susceptibility: npt.ArrayLike, authority: npt.ArrayLike
) -> FloatArray:
    """share = aᵀV with a = authority / Σ authority and V the total-influence matrix.

    Non-negative and sums to 1 (V's rows sum to 1). Raises ``ValueError`` when the authorities
    are negative or all zero.
    """
    a = np.asarray(authority, dtype=float).reshape(-1)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"authority: must be finite and non-negative, got {a.tolist()}")
    if a.sum() <= 0:
        raise ValueError("authority: at least one value must be above 0, got all zero")
    from lmsdecide.influence.network import _check_inputs

    Wm, lam, _ = _check_inputs(W, susceptibility, None)
    share, _, _ = drive_and_final(Wm, lam, a / a.sum(), np.zeros(Wm.shape[0]))
    return _clean(share)


def _clean(share: FloatArray) -> FloatArray:
    """Clip round-off below zero and renormalise so the shares sum to exactly 1."""
    out = np.clip(share, 0.0, None)
    total = out.sum()
    return out / total if total > 0 else out


# ---------------------------------------------------------------------------------------------
# who_drives
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WhoDrivesResult(ArrayEq):
    """Each department's share of the final decision.

    Attributes
    ----------
    departments, functions, names
        Department ids, functions and names in scenario order.
    share
        aᵀV: non-negative, sums to 1, aligned with ``departments``.
    authority_share
        a: the normalised formal authority (what the share would be with nobody listening).
    share_by_function
        Share summed per function (every function of the toolkit, zeros included).
    learning_share
        Sum of the shares of the LEARNING_FUNCTIONS (learning, hr).
    top_driver
        Id of the department with the largest share (first in scenario order on a tie).
    learning_driven
        ``learning_share >= threshold``.
    threshold
        The threshold used.
    initial_positions, final_positions
        x0 (positions, −1 technology-led to +1 learning-led) and x* = V x0.
    group_position
        share · x0 = aᵀ x*: the authority-weighted final position of the group.
    converges
        False when part of the network oscillates (time-averaged limit used).
    """

    departments: tuple[str, ...]
    names: tuple[str, ...]
    functions: tuple[str, ...]
    share: FloatArray
    authority_share: FloatArray
    share_by_function: dict[str, float]
    learning_share: float
    top_driver: str
    learning_driven: bool
    threshold: float
    initial_positions: FloatArray
    final_positions: FloatArray
    group_position: float
    converges: bool = True

    def to_frame(self) -> pd.DataFrame:
        """One row per department: id, name, function, authority share, share, positions."""
        return pd.DataFrame(
            {
                "department": list(self.departments),
                "name": list(self.names),
                "function": list(self.functions),
                "learning_function": _learning_mask(self.functions),
                "authority_share": self.authority_share,
                "share": self.share,
                "initial_position": self.initial_positions,
                "final_position": self.final_positions,
            }
        )

    def function_frame(self) -> pd.DataFrame:
        """One row per function: function, share, learning (bool)."""
        return pd.DataFrame(
            {
                "function": list(self.share_by_function),
                "share": list(self.share_by_function.values()),
                "learning_function": [f in LEARNING_FUNCTIONS for f in self.share_by_function],
            }
        )


def _by_function(functions: tuple[str, ...], share: FloatArray) -> dict[str, float]:
    out = dict.fromkeys(FUNCTIONS, 0.0)
    for f, s in zip(functions, share, strict=True):
        out[f] += float(s)
    return out


def _result(
    scenario: Scenario,
    W: FloatArray,
    lam: FloatArray,
    authority: FloatArray,
    threshold: float,
) -> WhoDrivesResult:
    ids = tuple(scenario.department_ids)
    functions = tuple(d.function for d in scenario.departments)
    x0 = np.array([d.position for d in scenario.departments], dtype=float)
    a = authority / authority.sum()
    raw, final, converges = drive_and_final(W, lam, a, x0, labels=ids)
    share = _clean(raw)
    learning = float(share[_learning_mask(functions)].sum())
    return WhoDrivesResult(
        departments=ids,
        names=tuple(d.name for d in scenario.departments),
        functions=functions,
        share=share,
        authority_share=a,
        share_by_function=_by_function(functions, share),
        learning_share=learning,
        top_driver=ids[int(np.argmax(share))],
        learning_driven=bool(learning >= threshold),
        threshold=float(threshold),
        initial_positions=x0,
        final_positions=final,
        group_position=float(share @ x0),
        converges=converges,
    )


@register_model(label="Who drives the project", area="influence", params=WHO_DRIVES_PARAMS)
def who_drives(scenario: Scenario, *, threshold: float = 0.5) -> WhoDrivesResult:
    """Each department's share of the final decision, and whether learning drives.

    share = aᵀV, a = authority / Σ authority, V = (I − ΛW)⁻¹(I − Λ) (Friedkin–Johnsen total
    influence; W the influence edges row-normalised, Λ = diag(susceptibility)). The learning share
    is the sum over the learning and hr functions; the project is learning-driven when it is at
    least ``threshold``. The group's final position is share · x0 (positions in [−1, 1]).

    Units: shares are fractions of the decision (sum to 1); positions on the −1 (technology-led)
    to +1 (learning-led) scale.

    Sources: Friedkin & Johnsen (1999); DeGroot (1974); authority weighting of the final opinions
    as in Friedkin's (2011) "social power" of the decision-makers' weighted outcome.
    """
    W = influence_matrix(scenario)
    lam = np.array([d.susceptibility for d in scenario.departments], dtype=float)
    return _result(scenario, W, lam, _authority(scenario), threshold)


# ---------------------------------------------------------------------------------------------
# Per phase
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PhaseDriveResult(ArrayEq):
    """The drive share in each phase.

    Attributes
    ----------
    phases, phase_names
        Phase ids and names in project order.
    departments, functions
        Department ids and functions in scenario order.
    share
        (phases × departments): the drive share of each department in each phase; a row of NaN
        where no engaged department has authority (nobody can decide yet).
    learning_share
        Per phase; NaN where undefined.
    engaged
        (phases × departments) bool: engaged by that phase.
    learning_driven
        Per phase (False where undefined).
    threshold
        The threshold used.
    """

    phases: tuple[str, ...]
    phase_names: tuple[str, ...]
    departments: tuple[str, ...]
    functions: tuple[str, ...]
    share: FloatArray
    learning_share: FloatArray
    engaged: npt.NDArray[np.bool_]
    learning_driven: npt.NDArray[np.bool_]
    threshold: float

    def share_by_function(self) -> FloatArray:
        """(phases × FUNCTIONS) share summed per function."""
        out = np.zeros((len(self.phases), len(FUNCTIONS)))
        for j, f in enumerate(self.functions):
            out[:, FUNCTIONS.index(f)] += self.share[:, j]
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per phase and department (phase, department, function, engaged, share)."""
        n_p, n_d = self.share.shape
        return pd.DataFrame(
            {
                "phase": np.repeat(self.phases, n_d),
                "phase_order": np.repeat(np.arange(n_p), n_d),
                "department": np.tile(self.departments, n_p),
                "function": np.tile(self.functions, n_p),
                "engaged": self.engaged.reshape(-1),
                "share": self.share.reshape(-1),
            }
        )


def phase_attribute(scenario: Scenario, dept_index: int, phase_id: str, name: str) -> float:
    """A department's power, interest, legitimacy or urgency in a phase (override, else base)."""
    d = scenario.departments[dept_index]
    override = d.by_phase.get(phase_id)
    value = getattr(override, name) if override is not None else None
    return float(getattr(d, name) if value is None else value)


@register_model(label="Who drives, phase by phase", area="influence", params=BY_PHASE_PARAMS)
def who_drives_by_phase(
    scenario: Scenario,
    *,
    threshold: float = 0.5,
    phase_power_effect: float = 1.0,
    engaged_only: bool = True,
) -> PhaseDriveResult:
    """The drive share of the decisions taken in each phase.

    In phase p department i has authority aᵢ,ₚ = authority × max(0, 1 + k (powerᵢ,ₚ − powerᵢ))
    (k = ``phase_power_effect``; powerᵢ,ₚ the by_phase override), times 0 when ``engaged_only``
    and i is not engaged by p (engagement phase later than p, or never). Nobody listens to a
    department that is not engaged: its column of the raw influence is removed before row
    normalisation. Then shareₚ = aₚᵀVₚ as in :func:`who_drives`.

    Source: illustrative link between the source article's "engage early" and "who drives"; the
    Friedkin–Johnsen algebra as in :func:`who_drives`.
    """
    k = phase_power_effect
    ids = tuple(scenario.department_ids)
    functions = tuple(d.function for d in scenario.departments)
    n, n_p = len(ids), len(scenario.phases)
    R = raw_influence(scenario)
    lam = np.array([d.susceptibility for d in scenario.departments], dtype=float)
    base_auth = _authority(scenario)
    base_power = np.array([d.power for d in scenario.departments], dtype=float)
    eng_idx = np.array([scenario.engagement_index(d) for d in ids])
    learning = _learning_mask(functions)

    share = np.full((n_p, n), np.nan)
    lshare = np.full(n_p, np.nan)
    engaged = np.zeros((n_p, n), dtype=bool)
    for p, phase in enumerate(scenario.phases):
        engaged[p] = eng_idx <= p if engaged_only else True
        power = np.array([phase_attribute(scenario, i, phase.id, "power") for i in range(n)])
        auth = base_auth * np.maximum(0.0, 1.0 + k * (power - base_power)) * engaged[p]
        if auth.sum() <= 0:
            continue
        # Only the departments in the room: nobody listens to the others and they hold no
        # authority, so the engaged block of V is the sub-network's own (block-triangular
        # system). Solving it alone is exact, and a department outside the room (for example
        # one listening only to itself with susceptibility 1) can never make it singular.
        room = np.flatnonzero(engaged[p])
        W = row_normalise(R[np.ix_(room, room)])
        s, _, _ = drive_and_final(
            W,
            lam[room],
            auth[room] / auth.sum(),
            np.zeros(len(room)),
            labels=[ids[i] for i in room],
        )
        share[p] = 0.0  # exactly zero for departments not in the room
        share[p, room] = _clean(s)
        lshare[p] = share[p, learning].sum()
    return PhaseDriveResult(
        phases=tuple(scenario.phase_ids),
        phase_names=tuple(p.name for p in scenario.phases),
        departments=ids,
        functions=functions,
        share=share,
        learning_share=lshare,
        engaged=engaged,
        learning_driven=np.nan_to_num(lshare, nan=-1.0) >= threshold,
        threshold=float(threshold),
    )
