"""Stakeholder maps: Mendelow's power–interest grid and Mitchell, Agle & Wood's salience.

Both are computed for the base attributes and for every phase (a department's ``by_phase``
overrides replace its base power, interest, legitimacy or urgency in that phase).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lmsdecide._lazy import lazy_module
from lmsdecide.influence.drive import phase_attribute
from lmsdecide.params import FloatParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "GRID_PARAMS",
    "QUADRANTS",
    "SALIENCE_CLASSES",
    "SALIENCE_GROUPS",
    "SALIENCE_PARAMS",
    "PowerInterestResult",
    "SalienceResult",
    "power_interest",
    "quadrant",
    "salience",
    "salience_class",
]

FloatArray = npt.NDArray[np.float64]

#: Mendelow (1991) quadrants: (high power?, high interest?) -> strategy.
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, True): "manage closely",
    (True, False): "keep satisfied",
    (False, True): "keep informed",
    (False, False): "monitor",
}

#: Mitchell, Agle & Wood (1997), Figure 2: (power, legitimacy, urgency) -> stakeholder class.
SALIENCE_CLASSES: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): "non-stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}

#: Mitchell, Agle & Wood (1997): number of attributes held -> group.
SALIENCE_GROUPS: dict[int, str] = {0: "none", 1: "latent", 2: "expectant", 3: "definitive"}

GRID_PARAMS = ParamSet(
    (
        FloatParam(
            name="power_threshold",
            label="High power from",
            default=0.5,
            min=0.0,
            max=1.0,
            unit="power (0-1)",
            help="A department with power at or above this is in the upper half of the grid.",
            source="Mendelow (1991) splits each axis in two; the midpoint is illustrative",
            group="Stakeholder maps",
        ),
        FloatParam(
            name="interest_threshold",
            label="High interest from",
            default=0.5,
            min=0.0,
            max=1.0,
            unit="interest (0-1)",
            help="A department with interest at or above this is in the right half of the grid.",
            source="Mendelow (1991) splits each axis in two; the midpoint is illustrative",
            group="Stakeholder maps",
        ),
    )
)

SALIENCE_PARAMS = ParamSet(
    (
        FloatParam(
            name="attribute_threshold",
            label="Attribute held from",
            default=0.5,
            min=0.0,
            max=1.0,
            unit="attribute (0-1)",
            help=(
                "A department holds power, legitimacy or urgency when its score is at or above "
                "this; the class follows from which of the three it holds."
            ),
            source="Mitchell, Agle & Wood (1997) treat attributes as held or not; cut illustrative",
            group="Stakeholder maps",
        ),
    )
)


def quadrant(
    power: float, interest: float, power_threshold: float = 0.5, interest_threshold: float = 0.5
) -> str:
    """Mendelow's quadrant for one department (``power >= threshold`` is high)."""
    return QUADRANTS[(bool(power >= power_threshold), bool(interest >= interest_threshold))]


def salience_class(power: bool, legitimacy: bool, urgency: bool) -> str:
    """Mitchell, Agle & Wood's (1997) stakeholder class from the three attributes held.

    power only → dormant; legitimacy only → discretionary; urgency only → demanding;
    power + legitimacy → dominant; power + urgency → dangerous; legitimacy + urgency →
    dependent; all three → definitive; none → non-stakeholder.
    """
    for name, value in (("power", power), ("legitimacy", legitimacy), ("urgency", urgency)):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name}: must be true or false, got {value!r}")
    return SALIENCE_CLASSES[(bool(power), bool(legitimacy), bool(urgency))]


def _phase_values(scenario: Scenario, name: str) -> FloatArray:
    """(phases × departments) values of an attribute, with the by_phase overrides."""
    n = len(scenario.departments)
    return np.array(
        [[phase_attribute(scenario, i, p, name) for i in range(n)] for p in scenario.phase_ids]
    ).reshape(len(scenario.phases), n)


@dataclass(frozen=True, eq=False)
class PowerInterestResult(ArrayEq):
    """Mendelow's grid: each department's power, interest and quadrant, base and per phase.

    ``phase_power``, ``phase_interest`` and ``phase_quadrant`` are (phases × departments).
    """

    departments: tuple[str, ...]
    names: tuple[str, ...]
    functions: tuple[str, ...]
    power: FloatArray
    interest: FloatArray
    quadrant: tuple[str, ...]
    power_threshold: float
    interest_threshold: float
    phases: tuple[str, ...]
    phase_power: FloatArray
    phase_interest: FloatArray
    phase_quadrant: tuple[tuple[str, ...], ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per department: department, name, function, power, interest, quadrant."""
        return pd.DataFrame(
            {
                "department": list(self.departments),
                "name": list(self.names),
                "function": list(self.functions),
                "power": self.power,
                "interest": self.interest,
                "quadrant": list(self.quadrant),
            }
        )

    def phase_frame(self) -> pd.DataFrame:
        """Tidy: one row per phase and department (phase, department, power, interest, quadrant)."""
        n_p, n = self.phase_power.shape
        return pd.DataFrame(
            {
                "phase": np.repeat(self.phases, n),
                "department": np.tile(self.departments, n_p),
                "function": np.tile(self.functions, n_p),
                "power": self.phase_power.reshape(-1),
                "interest": self.phase_interest.reshape(-1),
                "quadrant": [q for row in self.phase_quadrant for q in row],
            }
        )


@register_model(label="Power-interest grid", area="influence", params=GRID_PARAMS)
def power_interest(
    scenario: Scenario, *, power_threshold: float = 0.5, interest_threshold: float = 0.5
) -> PowerInterestResult:
    """Mendelow's (1991) power–interest grid.

    Quadrant = (power ≥ power_threshold, interest ≥ interest_threshold): manage closely (high,
    high), keep satisfied (high power, low interest), keep informed (low power, high interest),
    monitor (low, low). Power and interest are scores in [0, 1].

    Source: Mendelow, A. (1991). Environmental scanning: the impact of the stakeholder concept.
    Proceedings of the 2nd International Conference on Information Systems, Cambridge, MA.
    """
    pt, it = power_threshold, interest_threshold
    power = np.array([d.power for d in scenario.departments], dtype=float)
    interest = np.array([d.interest for d in scenario.departments], dtype=float)
    p_power = _phase_values(scenario, "power")
    p_interest = _phase_values(scenario, "interest")
    return PowerInterestResult(
        departments=tuple(scenario.department_ids),
        names=tuple(d.name for d in scenario.departments),
        functions=tuple(d.function for d in scenario.departments),
        power=power,
        interest=interest,
        quadrant=tuple(quadrant(p, i, pt, it) for p, i in zip(power, interest, strict=True)),
        power_threshold=pt,
        interest_threshold=it,
        phases=tuple(scenario.phase_ids),
        phase_power=p_power,
        phase_interest=p_interest,
        phase_quadrant=tuple(
            tuple(quadrant(p, i, pt, it) for p, i in zip(pr, ir, strict=True))
            for pr, ir in zip(p_power, p_interest, strict=True)
        ),
    )


@dataclass(frozen=True, eq=False)
class SalienceResult(ArrayEq):
    """Salience per department, base and per phase.

    ``score`` is the continuous salience (power + legitimacy + urgency)/3 in [0, 1]; ``held`` is
    (departments × 3) bool for power, legitimacy, urgency; ``salience_class`` and ``group``
    (latent, expectant, definitive) follow Mitchell, Agle & Wood. ``phase_*`` arrays are
    (phases × departments).
    """

    departments: tuple[str, ...]
    names: tuple[str, ...]
    functions: tuple[str, ...]
    power: FloatArray
    legitimacy: FloatArray
    urgency: FloatArray
    score: FloatArray
    held: npt.NDArray[np.bool_]
    salience_class: tuple[str, ...]
    group: tuple[str, ...]
    attribute_threshold: float
    phases: tuple[str, ...]
    phase_score: FloatArray
    phase_class: tuple[tuple[str, ...], ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per department with the three attributes, what is held, score and class."""
        return pd.DataFrame(
            {
                "department": list(self.departments),
                "name": list(self.names),
                "function": list(self.functions),
                "power": self.power,
                "legitimacy": self.legitimacy,
                "urgency": self.urgency,
                "has_power": self.held[:, 0],
                "has_legitimacy": self.held[:, 1],
                "has_urgency": self.held[:, 2],
                "score": self.score,
                "salience_class": list(self.salience_class),
                "group": list(self.group),
            }
        )

    def phase_frame(self) -> pd.DataFrame:
        """Tidy: one row per phase and department (phase, department, score, salience_class)."""
        n_p, n = self.phase_score.shape
        return pd.DataFrame(
            {
                "phase": np.repeat(self.phases, n),
                "department": np.tile(self.departments, n_p),
                "function": np.tile(self.functions, n_p),
                "score": self.phase_score.reshape(-1),
                "salience_class": [c for row in self.phase_class for c in row],
            }
        )


def _classes(held: npt.NDArray[np.bool_]) -> tuple[str, ...]:
    return tuple(salience_class(bool(p), bool(lg), bool(u)) for p, lg, u in held)


@register_model(label="Stakeholder salience", area="influence", params=SALIENCE_PARAMS)
def salience(scenario: Scenario, *, attribute_threshold: float = 0.5) -> SalienceResult:
    """Mitchell, Agle & Wood's (1997) stakeholder salience, with a continuous score.

    Held = attribute ≥ ``attribute_threshold``; class from :func:`salience_class`; score =
    (power + legitimacy + urgency) / 3 in [0, 1] (salience rises with the attributes held,
    MAW 1997 proposition 1-3, made continuous). Per phase with the by_phase overrides (urgency
    rises when a department's concerns fall due).

    Source: Mitchell, R. K., Agle, B. R. & Wood, D. J. (1997). Toward a theory of stakeholder
    identification and salience. Academy of Management Review 22(4), 853–886.
    """
    t = attribute_threshold
    attrs = np.array(
        [[d.power, d.legitimacy, d.urgency] for d in scenario.departments], dtype=float
    )
    held = attrs >= t
    phase_attrs = np.stack(
        [_phase_values(scenario, a) for a in ("power", "legitimacy", "urgency")], axis=-1
    )
    return SalienceResult(
        departments=tuple(scenario.department_ids),
        names=tuple(d.name for d in scenario.departments),
        functions=tuple(d.function for d in scenario.departments),
        power=attrs[:, 0],
        legitimacy=attrs[:, 1],
        urgency=attrs[:, 2],
        score=attrs.mean(axis=1),
        held=held,
        salience_class=_classes(held),
        group=tuple(SALIENCE_GROUPS[int(k)] for k in held.sum(axis=1)),
        attribute_threshold=t,
        phases=tuple(scenario.phase_ids),
        phase_score=phase_attrs.mean(axis=-1),
        phase_class=tuple(_classes(h) for h in phase_attrs >= t),
    )
