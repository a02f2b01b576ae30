"""What it would take for learning to drive: the smallest change that lifts the learning share.

Three levers, each solved exactly (no blind search):

1. **Authority.** Add Δ to the formal authority of the L&D department d (the learning-function
   department with the largest drive share; HR when there is none). With raw authorities a
   (total S) and ℓᵢ = Σ_{j learning} Vᵢⱼ, the learning share is L(Δ) = (aᵀℓ + Δℓ_d)/(S + Δ), so

       Δ = (t S − aᵀℓ) / (ℓ_d − t)        feasible only when ℓ_d > t

   (ℓ_d is the most that authority alone can give: the share as d's authority grows without
   bound).
2. **One department listens to L&D.** Department k redirects a fraction θ of its attention to d:
   row k of W becomes (1 − θ)W_k + θ e_d. With M = I − ΛW this is the rank-one change
   M(θ) = M − θ u vᵀ (u = λ_k e_k, v = e_d − W_kᵀ), so by Sherman–Morrison
   L(θ) = L₀ + θ p q / (1 − θ r) with p = aᵀM⁻¹u, q = vᵀM⁻¹c, r = vᵀM⁻¹u, c = (I − Λ)1_L, hence

       θ = (t − L₀) / (p q + (t − L₀) r)       feasible when 0 < θ ≤ 1 and 1 − θ r > 0.

3. **Everyone outside learning listens to L&D.** Every non-learning department redirects the same
   θ; L(θ) is smooth and monotone in practice and is solved by Brent's method on [0, 1]
   (a bracketed root, after checking the sign change).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lmsdecide._lazy import lazy_module
from lmsdecide.influence.drive import (
    THRESHOLD,
    _authority,
    _learning_mask,
    influence_matrix,
    who_drives,
)
from lmsdecide.influence.network import _total_influence, _unanchored, drive_and_final
from lmsdecide.params import ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = ["LEVER_PARAMS", "WhatItTakesResult", "what_it_would_take"]

FloatArray = npt.NDArray[np.float64]

# The learning-driven threshold as the share to reach (0 and 1 exclusive: both are trivial).
LEVER_PARAMS = ParamSet(
    (
        replace(
            THRESHOLD,
            name="target",
            label="Learning share to reach",
            min=0.01,
            max=0.99,
            help="The learning share (L&D plus HR) the change must reach; one half by default.",
        ),
    )
)


@dataclass(frozen=True, eq=False)
class WhatItTakesResult(ArrayEq):
    """The smallest changes that make the learning share reach ``target``.

    Attributes
    ----------
    learning_share, target, already
        Current learning share, the target, and whether it is already reached.
    department
        The L&D department the levers act on (None when there is no learning or HR department).
    authority_current, authority_needed, authority_increase
        d's authority now, the authority that reaches the target, and the difference (NaN when
        authority alone cannot reach it; 0 when already reached).
    authority_limit
        ℓ_d: the learning share approached as d's authority grows without bound.
    attention_departments, attention_needed
        For each other department k, the fraction θ of k's attention it would have to give to d
        (NaN when that edge alone cannot reach the target).
    easiest_department, easiest_attention
        The department with the smallest θ, and that θ (None/NaN when none can).
    uniform_attention
        The θ every non-learning department would have to give d at once (NaN if impossible).
    uniform_limit
        The learning share when every non-learning department listens only to d (θ = 1).
    note
        One-sentence reading of the result.
    """

    learning_share: float
    target: float
    already: bool
    department: str | None
    authority_current: float
    authority_needed: float
    authority_increase: float
    authority_limit: float
    attention_departments: tuple[str, ...]
    attention_needed: FloatArray
    easiest_department: str | None
    easiest_attention: float
    uniform_attention: float
    uniform_limit: float
    note: str

    def to_frame(self) -> pd.DataFrame:
        """One row per lever: lever, department, change needed, unit, feasible."""
        rows = [
            {
                "lever": "authority",
                "department": self.department,
                "change": self.authority_increase,
                "unit": "authority added",
                "feasible": bool(np.isfinite(self.authority_increase)),
            },
            {
                "lever": "everyone outside learning listens to L&D",
                "department": None,
                "change": self.uniform_attention,
                "unit": "share of attention",
                "feasible": bool(np.isfinite(self.uniform_attention)),
            },
        ]
        for k, theta in zip(self.attention_departments, self.attention_needed, strict=True):
            rows.append(
                {
                    "lever": "listens to L&D",
                    "department": k,
                    "change": float(theta),
                    "unit": "share of attention",
                    "feasible": bool(np.isfinite(theta)),
                }
            )
        return pd.DataFrame(rows)


def _learning_share(
    W: FloatArray, lam: FloatArray, a: FloatArray, mask: npt.NDArray[np.bool_]
) -> float:
    share, _, _ = drive_and_final(W, lam, a, np.zeros(W.shape[0]))
    return float(share[mask].sum())


def _redirect(W: FloatArray, rows: npt.NDArray[np.intp], d: int, theta: float) -> FloatArray:
    out = W.copy()
    out[rows] *= 1.0 - theta
    out[rows, d] += theta
    return out


def _solve_theta(
    W: FloatArray,
    lam: FloatArray,
    a: FloatArray,
    mask: npt.NDArray[np.bool_],
    rows: npt.NDArray[np.intp],
    d: int,
    target: float,
) -> float:
    """θ in (0, 1] with L(θ) = target for the given rows redirecting to d (Brent, bracketed)."""

    def f(theta: float) -> float:
        return _learning_share(_redirect(W, rows, d, theta), lam, a, mask) - target

    lo, hi = f(0.0), f(1.0)
    if lo >= 0:
        return 0.0
    if hi < 0:
        return float("nan")
    from scipy.optimize import brentq  # imported on first use (import cost)

    return float(brentq(f, 0.0, 1.0, xtol=1e-12, rtol=1e-12))


def _single_edge_thetas(
    W: FloatArray,
    lam: FloatArray,
    a: FloatArray,
    mask: npt.NDArray[np.bool_],
    d: int,
    target: float,
) -> FloatArray:
    """θ_k for every k (Sherman–Morrison closed form; Brent when I − ΛW is singular)."""
    n = W.shape[0]
    theta = np.full(n, np.nan)
    if _unanchored(W, lam):
        for k in range(n):
            if k != d:
                theta[k] = _solve_theta(W, lam, a, mask, np.array([k]), d, target)
        return theta
    import scipy.linalg  # imported on first use (import cost)

    M = np.eye(n) - lam[:, None] * W
    lu = scipy.linalg.lu_factor(M, check_finite=False)
    Minv = scipy.linalg.lu_solve(lu, np.eye(n), check_finite=False)
    c = (1.0 - lam) * mask
    y = Minv.T @ a  # aᵀM⁻¹ as a column
    z = Minv @ c  # M⁻¹c
    L0 = float(a @ z)
    gap = target - L0
    WM = W @ Minv
    p = y * lam  # aᵀM⁻¹(λ_k e_k)
    q = z[d] - W @ z  # (e_d − W_k)ᵀ M⁻¹ c
    r = lam * (Minv[d, :] - np.diag(WM))  # (e_d − W_k)ᵀ M⁻¹ (λ_k e_k)
    denom = p * q + gap * r
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cand = np.where(np.abs(denom) > 1e-15, gap / denom, np.nan)
    ok = np.isfinite(cand) & (cand > 0) & (cand <= 1.0 + 1e-12) & (1.0 - cand * r > 1e-12)
    theta[ok] = np.minimum(cand[ok], 1.0)
    theta[d] = np.nan
    return theta


@register_model(
    label="What it would take for learning to drive", area="influence", params=LEVER_PARAMS
)
def what_it_would_take(scenario: Scenario, *, target: float = 0.5) -> WhatItTakesResult:
    """The smallest change in L&D's authority, or in the influence towards L&D, that lifts the
    learning share to ``target`` (see the module docstring for the three closed-form solutions).

    Units: authority on the scenario's own scale; attention as a fraction (0-1) of a department's
    listening that it gives to L&D after the change.

    Source: the Friedkin–Johnsen drive share of :func:`who_drives`; Sherman & Morrison (1950) for
    the rank-one update; Brent (1973) for the bracketed root.
    """
    t = target
    base = who_drives(scenario, threshold=t)
    ids = base.departments
    functions = base.functions
    mask = _learning_mask(functions)
    authority = _authority(scenario)
    W = influence_matrix(scenario)
    lam = np.array([dep.susceptibility for dep in scenario.departments], dtype=float)
    a = authority / authority.sum()
    already = base.learning_share >= t

    candidates = [i for i, f in enumerate(functions) if f == "learning"] or [
        i for i, f in enumerate(functions) if f == "hr"
    ]
    nan = float("nan")
    others = tuple(x for x in ids)
    if not candidates:
        return WhatItTakesResult(
            learning_share=base.learning_share,
            target=t,
            already=already,
            department=None,
            authority_current=nan,
            authority_needed=nan,
            authority_increase=nan,
            authority_limit=nan,
            attention_departments=(),
            attention_needed=np.zeros(0),
            easiest_department=None,
            easiest_attention=nan,
            uniform_attention=nan,
            uniform_limit=nan,
            note="There is no learning or HR department: no change to L&D can make learning drive.",
        )
    d = max(candidates, key=lambda i: (base.share[i], -i))

    # 1. authority: closed form
    V, _, _ = _total_influence(W, lam, on_periodic="average")
    ell = V[:, mask].sum(axis=1)
    S = float(authority.sum())
    limit = float(ell[d])
    if already:
        increase = 0.0
    elif limit > t:
        increase = max(0.0, (t * S - float(authority @ ell)) / (limit - t))
    else:
        increase = nan

    # 2. one department listens to L&D: Sherman–Morrison
    others = tuple(x for i, x in enumerate(ids) if i != d)
    other_idx = np.array([i for i in range(len(ids)) if i != d], dtype=np.intp)
    if already:
        thetas = np.zeros(other_idx.size)
    else:
        thetas = _single_edge_thetas(W, lam, a, mask, d, t)[other_idx]
    finite = np.isfinite(thetas)
    if finite.any():
        best = int(np.argmin(np.where(finite, thetas, np.inf)))
        easiest, easiest_theta = others[best], float(thetas[best])
    else:
        easiest, easiest_theta = None, nan

    # 3. everyone outside learning listens to L&D: Brent on a bracket
    rows = np.flatnonzero(~mask)
    uniform_limit = _learning_share(_redirect(W, rows, d, 1.0), lam, a, mask) if rows.size else nan
    if already:
        uniform = 0.0
    elif rows.size == 0:
        uniform = nan
    else:
        uniform = _solve_theta(W, lam, a, mask, rows, d, t)

    name = ids[d]
    if already:
        note = f"Learning already drives: its share is {base.learning_share:.0%} (target {t:.0%})."
    else:
        parts = []
        if np.isfinite(increase):
            parts.append(
                f"raise {name}'s authority from {authority[d]:g} to {authority[d] + increase:.3g}"
            )
        if easiest is not None:
            parts.append(f"have {easiest} give {easiest_theta:.0%} of its attention to {name}")
        if np.isfinite(uniform):
            parts.append(
                f"have every non-learning department give {uniform:.0%} of its attention to {name}"
            )
        if parts:
            reading = "; or ".join(parts)
        else:
            reading = (
                f"no single lever is enough: unlimited authority for {name} tops out at "
                f"{limit:.0%} (what {name} itself ends up weighting), and every other "
                f"department listening only to {name} reaches {uniform_limit:.0%}"
            )
        note = f"Learning's share is {base.learning_share:.0%}; to reach {t:.0%}: {reading}."
    return WhatItTakesResult(
        learning_share=base.learning_share,
        target=t,
        already=already,
        department=name,
        authority_current=float(authority[d]),
        authority_needed=float(authority[d] + increase) if np.isfinite(increase) else nan,
        authority_increase=increase,
        authority_limit=limit,
        attention_departments=others,
        attention_needed=thetas,
        easiest_department=easiest,
        easiest_attention=easiest_theta,
        uniform_attention=uniform,
        uniform_limit=float(uniform_limit),
        note=note,
    )
