"""Cost escalation of late concerns, by concern kind and lateness, with a declared cap.

A concern of kind kappa that surfaces k phases after its due phase (k = surfacing index - due
index, k = 0 on time) costs

    m = min(cap_kappa, g ** k)        times its on-time effort,
    g = low_kappa * (high_kappa / low_kappa) ** u,    u ~ U(0, 1),

``g`` being the growth of the cost per phase of lateness, log-uniform on [low, high] (ranges that
span "hardly any effect" to "an order of magnitude" are better drawn on a log scale). One
percentile u per simulated project is shared by every concern: a project is escalation-prone or
not as a whole, and within a draw a later concern never costs less than an earlier one. Since
low >= 1, m >= 1: a late concern never costs less than an on-time one, and m never exceeds cap.

Expected multiplier (closed form). With X = k ln g uniform on [a, b], a = k ln low, b = k ln high
and c = ln cap:

    E[m] = (e^b - e^a) / (b - a)                       when c >= b (the cap never binds),
    E[m] = cap                                         when c <= a,
    E[m] = ((e^c - e^a) + cap (b - c)) / (b - a)       otherwise,

and e^a when a = b. :func:`expected_multiplier` evaluates it, vectorised.

Default table (:data:`KIND_ESCALATION`; a scenario's ``escalation`` table overrides it per kind,
``data/SOURCES.md`` gives the full references):

=============  =======  =======  ====  =====================================================
kind           low      high     cap   source
=============  =======  =======  ====  =====================================================
integration    1.05     1.9      25    McConnell (2004) table 3-1; Boehm & Basili (2001);
data           1.05     1.9      25    Stecklein et al. (2004); Menzies et al. (2017) low end
security       1.05     1.7      15    same sources, narrowed: illustrative
configuration  1.0      1.5      8     Menzies et al. (2017) low end; high end illustrative
content        1.0      1.3      3     illustrative
process        1.0      1.3      3     illustrative
reporting      1.0      1.25     2.5   illustrative
communication  1.0      1.2      2     illustrative
=============  =======  =======  ====  =====================================================

Calibration of the technical kinds on the eight-phase LMS project: a requirements concern found
in testing (k = 4) costs 1.2x-13x (mean 5.0x), McConnell's "10x at system test" inside the range
and Menzies et al.'s "no significant effect" (171 projects) at its low end; found at launch or
later (k >= 5) 1.3x-25x (mean 7.9x): Boehm & Basili's "often 100x after delivery" is for large
critical systems, their "about 5:1 for small non-critical systems" fits a configured LMS, hence
the cap of 25. Stecklein et al.'s spacecraft table (29x-1500x in operations) is kept for
reference (:data:`STECKLEIN_2004`), not used: it describes flight software, not a learning
platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import CONCERN_KINDS, Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "KIND_ESCALATION",
    "KIND_SOURCES",
    "STECKLEIN_2004",
    "EscalationCurveResult",
    "escalation_curve",
    "escalation_table",
    "expected_multiplier",
    "log_uniform_mean",
    "multiplier_draws",
]

_TECH = (
    "McConnell (2004) Code Complete 2nd ed., table 3-1; Boehm & Basili (2001); "
    "Stecklein et al. (2004); low end: Menzies et al. (2017)"
)
#: Where each default range comes from ("illustrative" when invented).
KIND_SOURCES: dict[str, str] = {
    "integration": _TECH,
    "data": _TECH,
    "security": _TECH + "; narrowed: illustrative",
    "configuration": "Menzies et al. (2017) low end; high end and cap illustrative",
    "content": "illustrative",
    "process": "illustrative",
    "reporting": "illustrative",
    "communication": "illustrative",
}

#: Default growth per phase of lateness (low, high) and cap of each concern kind.
KIND_ESCALATION: dict[str, tuple[float, float, float]] = {
    "integration": (1.05, 1.9, 25.0),
    "data": (1.05, 1.9, 25.0),
    "security": (1.05, 1.7, 15.0),
    "configuration": (1.0, 1.5, 8.0),
    "content": (1.0, 1.3, 3.0),
    "process": (1.0, 1.3, 3.0),
    "reporting": (1.0, 1.25, 2.5),
    "communication": (1.0, 1.2, 2.0),
}
assert tuple(KIND_ESCALATION) == CONCERN_KINDS

#: Stecklein et al. (2004), cost to fix relative to requirements = 1 (reference only, not used).
STECKLEIN_2004: dict[str, tuple[float, float]] = {
    "requirements": (1.0, 1.0),
    "design": (3.0, 8.0),
    "build": (7.0, 16.0),
    "integration_and_test": (21.0, 78.0),
    "operations": (29.0, 1500.0),
}


def escalation_table(scenario: Scenario) -> dict[str, tuple[float, float, float, str]]:
    """Kind -> (low, high, cap, source): the scenario's ``escalation`` table over the defaults."""
    table = {k: (*v, KIND_SOURCES[k]) for k, v in KIND_ESCALATION.items()}
    for kind, esc in scenario.escalation.items():
        table[kind] = (esc.low, esc.high, esc.cap, esc.source or "scenario (no source given)")
    return table


def log_uniform_mean(low: ArrayLike, high: ArrayLike) -> NDArray[np.float64]:
    """Mean of a log-uniform variable on [low, high]: (high - low) / ln(high / low), or low."""
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    ratio = np.log(np.where(hi > lo, hi / lo, 2.0))
    return np.where(hi > lo, (hi - lo) / ratio, lo)


def expected_multiplier(
    low: ArrayLike, high: ArrayLike, cap: ArrayLike, lateness: ArrayLike
) -> NDArray[np.float64]:
    """E[min(cap, g**k)] for g log-uniform on [low, high] and k phases of lateness.

    Closed form in the module docstring; dimensionless, 1 when k = 0, never above ``cap`` and
    never below 1 (low >= 1). Arrays broadcast.
    """
    k = np.asarray(lateness, dtype=float)
    a = k * np.log(np.asarray(low, dtype=float))
    b = k * np.log(np.asarray(high, dtype=float))
    cap_arr = np.asarray(cap, dtype=float)
    c = np.log(cap_arr)
    width = b - a
    flat = width < 1e-12
    safe = np.where(flat, 1.0, width)
    top = np.minimum(b, np.maximum(c, a))  # where the cap starts to bind, within [a, b]
    below = np.where(flat, 0.0, (np.exp(top) - np.exp(a)) / safe)
    above = np.where(flat, 0.0, cap_arr * (b - top) / safe)
    out = np.where(flat, np.minimum(np.exp(a), cap_arr), below + above)
    return np.maximum(np.asarray(out, dtype=float), 1.0)


def multiplier_draws(
    low: ArrayLike, high: ArrayLike, cap: ArrayLike, lateness: ArrayLike, u: ArrayLike
) -> NDArray[np.float64]:
    """Drawn multipliers min(cap, g**k), shape ``(len(u), n_concerns)`` (one u per draw)."""
    k = np.asarray(lateness, dtype=float)
    log_lo = k * np.log(np.asarray(low, dtype=float))
    log_span = k * (np.log(np.asarray(high, dtype=float)) - np.log(np.asarray(low, dtype=float)))
    out = np.multiply.outer(np.asarray(u, float), log_span)
    out += log_lo
    np.exp(out, out=out)
    return np.minimum(out, np.asarray(cap, dtype=float), out=out)


@dataclass(frozen=True, eq=False)
class EscalationCurveResult(ArrayEq):
    """The expected multiplier of each concern kind by lateness.

    Attributes
    ----------
    table
        One row per kind: ``kind``, ``low``, ``high`` (growth per phase of lateness), ``cap``,
        ``source``, ``from_scenario`` (the scenario overrides the default).
    curve
        One row per kind and lateness 0..K (K = number of phases): ``kind``, ``lateness``
        (phases), ``low`` and ``high`` (multiplier at u = 0 and u = 1, capped), ``mean``
        (expected multiplier, closed form), ``cap``.
    """

    scenario_name: str
    table: pd.DataFrame
    curve: pd.DataFrame
    n_phases: int

    def to_frame(self) -> pd.DataFrame:
        """The per-kind, per-lateness table (a copy)."""
        return self.curve.copy()


ESCALATION_PARAMS = ParamSet(())


@register_model(label="Cost escalation by concern kind", area="timing", params=ESCALATION_PARAMS)
def escalation_curve(scenario: Scenario) -> EscalationCurveResult:
    """Expected cost multiplier of a late concern, by kind and phases of lateness.

    Parameters
    ----------
    scenario
        The project; its ``escalation`` table (kind -> low, high, cap) overrides the defaults
        (:data:`KIND_ESCALATION`).

    Returns
    -------
    EscalationCurveResult
    """
    table = escalation_table(scenario)
    kinds = list(table)
    low = np.array([table[k][0] for k in kinds])
    high = np.array([table[k][1] for k in kinds])
    cap = np.array([table[k][2] for k in kinds])
    n = len(scenario.phases)
    lateness = np.arange(n + 1, dtype=float)
    kk = np.repeat(np.arange(len(kinds)), n + 1)
    ll = np.tile(lateness, len(kinds))
    curve = pd.DataFrame(
        {
            "kind": [kinds[i] for i in kk],
            "lateness": ll.astype(int),
            "low": np.minimum(low[kk] ** ll, cap[kk]),
            "high": np.minimum(high[kk] ** ll, cap[kk]),
            "mean": expected_multiplier(low[kk], high[kk], cap[kk], ll),
            "cap": cap[kk],
        }
    )
    frame = pd.DataFrame(
        {
            "kind": kinds,
            "low": low,
            "high": high,
            "cap": cap,
            "source": [table[k][3] for k in kinds],
            "from_scenario": [k in scenario.escalation for k in kinds],
        }
    )
    return EscalationCurveResult(scenario_name=scenario.name, table=frame, curve=curve, n_phases=n)


def kind_arrays(
    table: Mapping[str, tuple[float, float, float, str]], kinds: list[str] | tuple[str, ...]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per-concern (low, high, cap) arrays for a list of concern kinds."""
    low = np.array([table[k][0] for k in kinds], dtype=float)
    high = np.array([table[k][1] for k in kinds], dtype=float)
    cap = np.array([table[k][2] for k in kinds], dtype=float)
    return low, high, cap


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
