"""Cost escalation of late concerns: the Stecklein et al. (NASA, 2004) table and its maths.

Source: Stecklein, J. M., Dabney, J., Dick, B., Haskins, B., Lovell, R. & Moroney, G. (2004),
"Error Cost Escalation Through the Project Life Cycle", NASA Johnson Space Center, JSC-CN-8435
(NTRS 20100036670). Relative to fixing a requirements error in the requirements phase (1 unit),
fixing it in design costs 3-8 units, in build 7-16, in integration and test 21-78, and in
operations from 29 to more than 1500. These are spacecraft/software figures, not LMS figures: the
toolkit uses them as an editable, sourced assumption, stored per phase in each scenario.

Mapping onto the eight LMS phases of the bundled scenarios:

=================  ======================  ==========
LMS phase          Stecklein stage         factor
=================  ======================  ==========
needs_analysis     requirements            1
requirements       requirements            1
selection          design                  3-8
design             design                  3-8
build              build                   7-16
test               integration and test    21-78
launch             operations              29-1500
embed              operations              29-1500
=================  ======================  ==========

Drawing within a range: the factor of phase k is log-uniform on [low_k, high_k],
f_k = low_k (high_k / low_k)^u with u ~ U(0, 1). Log-uniform suits ranges spanning orders of
magnitude (29-1500): its mean, the logarithmic mean (high - low) / ln(high / low), is 373 for
operations where a uniform draw would give 764 and let the single >1500 outlier dominate.
One u per Monte Carlo draw is shared by every phase (the project is escalation-prone or not as a
whole), so within a draw the factors keep their order and a late concern never costs less than an
on-time one.

Monotone by construction: the effective bounds are running maxima over the phases,
low'_k = max_{j<=k} low_j (same for high), so an edited table that dips is read as "no cheaper
than the phase before" and engaging later can never lower the expected rework.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from lmsdecide.params import ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

__all__ = [
    "LMS_PHASE_STAGE",
    "STECKLEIN_2004",
    "STECKLEIN_SOURCE",
    "EscalationCurve",
    "default_escalation",
    "effective_bounds",
    "escalation_curve",
    "expected_multiplier",
    "log_uniform_mean",
    "multiplier_draws",
    "with_default_escalation",
]

STECKLEIN_SOURCE = (
    "Stecklein et al. (2004), Error Cost Escalation Through the Project Life Cycle, "
    "NASA JSC-CN-8435"
)

#: Stecklein et al. (2004) stages -> (low, high) cost-to-fix factor relative to requirements = 1.
STECKLEIN_2004: dict[str, tuple[float, float]] = {
    "requirements": (1.0, 1.0),
    "design": (3.0, 8.0),
    "build": (7.0, 16.0),
    "integration_and_test": (21.0, 78.0),
    "operations": (29.0, 1500.0),
}

#: The eight LMS phases of the bundled scenarios -> Stecklein stage (see the module docstring).
LMS_PHASE_STAGE: dict[str, str] = {
    "needs_analysis": "requirements",
    "requirements": "requirements",
    "selection": "design",
    "design": "design",
    "build": "build",
    "test": "integration_and_test",
    "launch": "operations",
    "embed": "operations",
}


def default_escalation(
    phase_ids: list[str] | tuple[str, ...] | None = None,
) -> dict[str, tuple[float, float]]:
    """The default escalation range of each LMS phase (Stecklein et al. 2004, mapped).

    Parameters
    ----------
    phase_ids
        Phase ids to look up; ``None`` gives the eight default LMS phases.

    Raises
    ------
    ValueError
        Naming a phase id that has no default mapping.
    """
    ids = list(LMS_PHASE_STAGE) if phase_ids is None else list(phase_ids)
    unknown = [p for p in ids if p not in LMS_PHASE_STAGE]
    if unknown:
        raise ValueError(
            f"phase_ids: no default escalation for {', '.join(map(repr, unknown))}; "
            f"known phases: {', '.join(LMS_PHASE_STAGE)}"
        )
    return {p: STECKLEIN_2004[LMS_PHASE_STAGE[p]] for p in ids}


def with_default_escalation(scenario: Scenario) -> Scenario:
    """A copy of ``scenario`` whose phases with a known id carry the default escalation range."""
    phases = []
    for phase in scenario.phases:
        data = phase.model_dump(mode="json", by_alias=True, exclude_none=True)
        if phase.id in LMS_PHASE_STAGE:
            low, high = STECKLEIN_2004[LMS_PHASE_STAGE[phase.id]]
            data["escalation"] = {"low": low, "high": high}
        phases.append(data)
    return scenario.with_changes(phases=phases)


def log_uniform_mean(low: ArrayLike, high: ArrayLike) -> NDArray[np.float64]:
    """Mean of a log-uniform variable on [low, high]: (high - low) / ln(high / low), or low."""
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    ratio = np.log(np.where(hi > lo, hi / lo, 2.0))
    return np.where(hi > lo, (hi - lo) / ratio, lo)


def effective_bounds(
    low: ArrayLike, high: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Running maxima of the phase bounds, so that escalation never falls with a later phase."""
    lo = np.maximum.accumulate(np.asarray(low, dtype=float))
    hi = np.maximum.accumulate(np.maximum(np.asarray(high, dtype=float), lo))
    return lo, hi


def _multiplier_logs(
    low_due: ArrayLike, high_due: ArrayLike, low_surf: ArrayLike, high_surf: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """log r0 and log c of the multiplier f_q(u) / f_p(u) = r0 * c**u."""
    lp, hp = np.asarray(low_due, float), np.asarray(high_due, float)
    lq, hq = np.asarray(low_surf, float), np.asarray(high_surf, float)
    log_r0 = np.log(lq) - np.log(lp)
    log_c = (np.log(hq) - np.log(lq)) - (np.log(hp) - np.log(lp))
    return log_r0, log_c


def expected_multiplier(
    low_due: ArrayLike, high_due: ArrayLike, low_surf: ArrayLike, high_surf: ArrayLike
) -> NDArray[np.float64]:
    """Expected cost multiplier E[f_q / f_p] of a concern due in p that surfaces in q.

    With f_k = low_k (high_k/low_k)^u and one u ~ U(0, 1) shared by the phases,
    f_q/f_p = r0 c^u with r0 = low_q/low_p and c = (high_q/low_q)/(high_p/low_p), hence

        E[f_q / f_p] = r0 (c - 1) / ln c      (r0 when c = 1).

    Dimensionless; 1 when the concern surfaces on time (q = p).
    """
    log_r0, log_c = _multiplier_logs(low_due, high_due, low_surf, high_surf)
    small = np.abs(log_c) < 1e-12
    safe = np.where(small, 1.0, log_c)
    g = np.where(small, 1.0, np.expm1(safe) / safe)
    return np.exp(log_r0) * g


def multiplier_draws(
    low_due: ArrayLike,
    high_due: ArrayLike,
    low_surf: ArrayLike,
    high_surf: ArrayLike,
    u: ArrayLike,
) -> NDArray[np.float64]:
    """Drawn multipliers f_q(u)/f_p(u), shape ``(len(u), n_concerns)`` (u is one per draw)."""
    log_r0, log_c = _multiplier_logs(low_due, high_due, low_surf, high_surf)
    out = np.multiply.outer(np.asarray(u, float), log_c)
    out += log_r0
    return np.exp(out, out=out)


@dataclass(frozen=True, eq=False)
class EscalationCurve(ArrayEq):
    """The escalation factor of each phase of a scenario.

    Attributes
    ----------
    phases
        One row per phase: ``phase``, ``name``, ``index``, ``low``, ``high`` (as in the scenario),
        ``mean`` (log-uniform mean of the scenario's range), ``effective_low``,
        ``effective_high``, ``effective_mean`` (after the running maximum), ``stage`` (the
        Stecklein stage of the default mapping, or ``""``), ``post_launch``.
    source
        Citation of the default table.
    """

    scenario_name: str
    phases: pd.DataFrame
    launch_index: int
    source: str = STECKLEIN_SOURCE

    def to_frame(self) -> pd.DataFrame:
        """The per-phase table (a copy)."""
        return self.phases.copy()


ESCALATION_PARAMS = ParamSet(())


@register_model(label="Cost escalation by phase", area="timing", params=ESCALATION_PARAMS)
def escalation_curve(scenario: Scenario) -> EscalationCurve:
    """The scenario's escalation ranges by phase, their log-uniform means and effective bounds.

    Parameters
    ----------
    scenario
        The project; each phase carries an escalation range ``low``-``high`` (relative cost to
        fix a requirements-phase concern, requirements = 1; Stecklein et al. 2004 by default).

    Returns
    -------
    EscalationCurve
    """
    low = np.array([p.escalation.low for p in scenario.phases])
    high = np.array([p.escalation.high for p in scenario.phases])
    eff_low, eff_high = effective_bounds(low, high)
    frame = pd.DataFrame(
        {
            "phase": scenario.phase_ids,
            "name": [p.name for p in scenario.phases],
            "index": np.arange(len(low)),
            "low": low,
            "high": high,
            "mean": log_uniform_mean(low, high),
            "effective_low": eff_low,
            "effective_high": eff_high,
            "effective_mean": log_uniform_mean(eff_low, eff_high),
            "stage": [LMS_PHASE_STAGE.get(p, "") for p in scenario.phase_ids],
            "post_launch": np.arange(len(low)) > scenario.launch_index,
        }
    )
    return EscalationCurve(
        scenario_name=scenario.name, phases=frame, launch_index=scenario.launch_index
    )
