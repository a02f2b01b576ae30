"""The least costly combination of levers that makes learning drive (and meets a P80 target).

A sponsor rarely pulls one lever. :func:`combined_levers` chooses, at least total cost, among

* **authority**: add Δ ∈ [0, Δ_max] to the formal authority of the L&D department d (the same d
  as :func:`~lmsdecide.influence.what_it_would_take`); continuous, or in steps of
  ``authority_step``;
* **listening**: each listener k (a non-learning department with authority) redirects a fraction
  θ_k ∈ {0} ∪ ``attention_levels`` of its attention to d: row k of W becomes
  (1 − θ_k) W_k + θ_k e_d;
* **decision rights (RACI)**: the Accountable role of a learning-defining decision held outside
  learning moves to d; formal authority follows accountability, so the move also transfers
  τ_r = ``raci_authority`` × a_j / A_j from the old holder j (A_j: decisions j is Accountable
  for) to d;
* **engagement** (only with ``p80_target``): a department with concerns is engaged 1, 2, …
  phases earlier;
* **partner** (only with ``p80_target``): the selected partner is replaced by another.

**Learning share (exact MILP).** With authorities a and ℓ = V 1_L (what each department ends up
weighting learning), the learning share is aᵀℓ / Σa, so for a fixed listening configuration c

    share ≥ t   ⟺   g_c = Σ_i a_i (ℓ_i^c − t) ≥ 0,

which is *linear* in Δ and in the RACI moves x_r (a = a0 + Δ e_d + Σ_r x_r τ_r (e_d − e_{j_r})).
Every configuration c of the discretised listening levels gets its ℓ^c from one batched linear
solve, and one mixed-integer linear programme (``scipy.optimize.milp``, HiGHS) picks exactly one
configuration (binary z_c, Σ z_c = 1), Δ and x, with g_c ≥ −M_c (1 − z_c) (M_c the largest
possible shortfall, so the constraint is void unless c is chosen). The optimum is exact on the
discretised listening levels; authority is continuous (or on its step grid).

**P80 (MILP with verified cuts).** P80 comes from :func:`~lmsdecide.timing.simulate_schedule`
(fixed seed: common random numbers) and has no closed form. Engagement levels are encoded as
ordered binaries y_{k,l} (engaged at least l phases earlier; y_{k,l} ≥ y_{k,l+1}) and the partner
as one-hot binaries. A MILP returns the cheapest combination not yet excluded; it is simulated; if
it misses the target, a cut excludes it *and every combination it dominates* (no department
earlier, same partner), on the assumption that engaging earlier does not lengthen the schedule
(a concern's rework shrinks when its department comes in earlier; in a single draw two phases'
escalation factors can cross, so this holds in expectation rather than draw by draw). The first
candidate that meets the target is then the cheapest on the grid, and it is verified by
simulation whatever the assumption. The two parts share no lever (who drives does not depend
on engagement or partner; the schedule does not depend on authority or listening), so their
costs add.

Costs are in illustrative "effort points" (:class:`LeverCosts`; editable): what a sponsor spends
in political capital or effort. They rank combinations; they are not money.

Sources: Friedkin & Johnsen (1999) for the drive share; Huangfu & Hall (2018), HiGHS, for the
MILP solver; the cut scheme is the classic no-good/dominance cut of combinatorial Benders
decomposition (Codato & Fischetti 2006, Operations Research 54(4)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from lmsdecide._lazy import lazy_module
from lmsdecide.influence.drive import _authority, _learning_mask, influence_matrix, who_drives
from lmsdecide.influence.levers import LEVER_PARAMS
from lmsdecide.influence.network import _total_influence, _unanchored
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import LEARNING_FUNCTIONS, NEVER, Scenario, validate_scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = ["CombinedLeversResult", "LeverBounds", "LeverCosts", "change_labels", "combined_levers"]

FloatArray = npt.NDArray[np.float64]

#: Largest number of listening configurations enumerated (levels ** listeners).
MAX_CONFIGURATIONS = 50_000
#: Default cap on the authority added to L&D, as a multiple of the current total authority (L&D
#: may end up with at most three quarters of the formal say).
AUTHORITY_CAP = 3.0
#: Largest number of decisions whose Accountable may move (their subsets are enumerated).
MAX_RACI_MOVES = 12
#: Largest number of MILP-and-simulate rounds of the P80 part.
MAX_ROUNDS = 400
#: Weeks of P80 below which a department's earlier engagement counts as no effect: such
#: departments are left out of the P80 search (each would only spend its candidates).
NEGLIGIBLE_P80_WEEKS = 0.1
#: Margin on the share constraint so that recomputation meets the target despite round-off.
_MARGIN = 1e-9


@dataclass(frozen=True)
class LeverCosts:
    """Cost of each lever, in illustrative effort points (editable; they only rank combinations).

    Attributes
    ----------
    authority
        Points for adding the equivalent of the whole current total authority to L&D (so adding
        10% of the total costs a tenth of this). Default 10.
    listening
        Points for one department giving *all* of its attention to L&D (θ = 1); θ = 0.25 costs a
        quarter. For L&D itself the lever means keeping that share of attention on its own view
        instead of deferring to others. Default 4.
    raci
        Points per decision whose Accountable role moves to L&D. Default 1.
    engagement
        Points per department and phase of earlier engagement (meetings, reviews). Default 0.5.
    partner
        Points for replacing the selected partner (re-procurement). Default 3.
    """

    authority: float = 10.0
    listening: float = 4.0
    raci: float = 1.0
    engagement: float = 0.5
    partner: float = 3.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"costs.{f.name}: must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class LeverBounds:
    """How far each lever may go.

    Attributes
    ----------
    max_authority_increase
        Largest Δ added to L&D's authority (scenario units). None: three times the current
        total authority (L&D then holds at most three quarters of the formal say); the cost
        of authority, not this cap, normally limits it.
    authority_step
        None: Δ continuous; a positive number: Δ a whole multiple of it.
    attention_levels
        Fractions of attention a listener may give to L&D (besides 0). Default 0.25 and 0.5:
        nobody is asked to give up more than half of what it listens to.
    listeners
        Departments that may be asked to listen to L&D. None: every department with authority
        above 0 (L&D itself included: for it the lever is holding its own view), the largest
        authorities first and at most as many as :data:`MAX_CONFIGURATIONS` allows (nine with
        the default two levels).
    raci_authority
        Share of a department's authority that comes from its Accountable roles (moved with them,
        pro rata). Default 0.5 (illustrative). 0 makes RACI moves cost without effect on the
        share (they still fix the decision-rights finding).
    raci_decisions
        Decisions whose Accountable may move to L&D. None: every learning-defining decision
        whose Accountable is outside learning.
    max_phases_earlier
        Largest number of phases a department may be brought in earlier (None: any).
    engagement_departments
        Departments whose engagement may change. None: every department with concerns.
    partners
        Partners that may replace the selected one. None: every other partner; () forbids a
        change of partner.
    """

    max_authority_increase: float | None = None
    authority_step: float | None = None
    attention_levels: tuple[float, ...] = (0.25, 0.5)
    listeners: tuple[str, ...] | None = None
    raci_authority: float = 0.5
    raci_decisions: tuple[str, ...] | None = None
    max_phases_earlier: int | None = None
    engagement_departments: tuple[str, ...] | None = None
    partners: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        m = self.max_authority_increase
        if m is not None and (not math.isfinite(m) or m < 0):
            raise ValueError(f"bounds.max_authority_increase: must be >= 0, got {m!r}")
        s = self.authority_step
        if s is not None and (not math.isfinite(s) or s <= 0):
            raise ValueError(f"bounds.authority_step: must be > 0, got {s!r}")
        try:
            levels = tuple(float(v) for v in self.attention_levels)
        except (TypeError, ValueError):
            raise ValueError(
                f"bounds.attention_levels: must be numbers in (0, 1], got {self.attention_levels!r}"
            ) from None
        bad = [v for v in levels if not (math.isfinite(v) and 0 < v <= 1)]
        if bad:
            raise ValueError(f"bounds.attention_levels: each must be in (0, 1], got {bad[0]!r}")
        object.__setattr__(self, "attention_levels", tuple(sorted(set(levels))))
        if not 0 <= self.raci_authority <= 1:
            raise ValueError(
                f"bounds.raci_authority: must be between 0 and 1, got {self.raci_authority!r}"
            )
        k = self.max_phases_earlier
        if k is not None and k < 0:
            raise ValueError(f"bounds.max_phases_earlier: must be >= 0, got {k!r}")


@dataclass(frozen=True, eq=False)
class CombinedLeversResult(ArrayEq):
    """The least costly combination of levers, or why there is none.

    Attributes
    ----------
    feasible
        True when the returned combination meets every target.
    target, p80_target
        The learning-share target and the P80 target (weeks; None when not asked).
    department
        The L&D department the levers act on (None when there is no learning or HR department).
    changes
        One row per lever pulled: ``lever`` (authority, listening, raci, engagement, partner),
        ``subject`` (department or decision), ``from_value``, ``to_value``, ``change``, ``unit``,
        ``cost`` (points), ``share_after`` and ``p80_after`` (cumulative, in row order: the
        waterfall).
    scenario
        The changed scenario (the input unchanged when infeasible): recompute with any model.
    learning_share_before, learning_share, p80_before, p80
        Before and after (P80 NaN when no ``p80_target``).
    cost
        Total cost in points (NaN when infeasible).
    best_share, best_p80
        The best learning share and the lowest P80 reachable within the bounds.
    binding
        When infeasible: the bound that stops the target being met, in words ("" otherwise).
    note
        One-sentence reading.
    costs, bounds
        What was used.
    """

    feasible: bool
    target: float
    p80_target: float | None
    department: str | None
    changes: pd.DataFrame
    scenario: Scenario
    learning_share_before: float
    learning_share: float
    p80_before: float
    p80: float
    cost: float
    best_share: float
    best_p80: float
    binding: str
    note: str
    costs: LeverCosts = field(default_factory=LeverCosts)
    bounds: LeverBounds = field(default_factory=LeverBounds)

    def to_frame(self) -> pd.DataFrame:
        """The changes (a copy)."""
        return self.changes.copy()


_COLUMNS = (
    "lever",
    "subject",
    "from_value",
    "to_value",
    "change",
    "unit",
    "cost",
    "share_after",
    "p80_after",
)


# ---------------------------------------------------------------------------------------------
# The learning-share part
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raci:
    decision: str
    holder: int  # index of the current Accountable
    transfer: float  # authority moved to d


def _learning_weights(
    W_configs: FloatArray, lam: FloatArray, mask: npt.NDArray[np.bool_]
) -> FloatArray:
    """ℓ^c = V_c 1_L for every configuration (C × n), one batched solve when anchored."""
    C, n, _ = W_configs.shape
    c_vec = (1.0 - lam) * mask
    if not _unanchored(W_configs[0], lam):
        M = np.eye(n)[None, :, :] - lam[None, :, None] * W_configs
        try:
            out = np.linalg.solve(M, np.broadcast_to(c_vec[:, None], (C, n, 1)))[..., 0]
            if np.all(np.isfinite(out)):
                return np.asarray(out, dtype=float)
        except np.linalg.LinAlgError:
            pass
    # an unanchored closed group somewhere: the general (absorbing-walk) total influence
    return np.array(
        [_total_influence(W, lam, on_periodic="average")[0][:, mask].sum(axis=1) for W in W_configs]
    )


def _share_part(
    scenario: Scenario, t: float, costs: LeverCosts, bounds: LeverBounds
) -> dict[str, Any]:
    """Solve the learning-share MILP; returns the chosen levers (or the best reachable)."""
    ids = scenario.department_ids
    functions = tuple(dep.function for dep in scenario.departments)
    mask = _learning_mask(functions)
    base = who_drives(scenario, threshold=t)
    index = {dep: i for i, dep in enumerate(ids)}
    candidates = [i for i, f in enumerate(functions) if f == "learning"] or [
        i for i, f in enumerate(functions) if f == "hr"
    ]
    if not candidates:
        return {"department": None, "share": base.learning_share}
    d = max(candidates, key=lambda i: (base.share[i], -i))
    a0 = _authority(scenario)
    S0 = float(a0.sum())
    W = influence_matrix(scenario)
    lam = np.array([dep.susceptibility for dep in scenario.departments], dtype=float)

    # listeners and their levels
    levels = np.array((0.0, *bounds.attention_levels))
    if bounds.listeners is None:
        # every department with authority, the largest first, as many as the enumeration allows
        room = int(math.log(MAX_CONFIGURATIONS) / math.log(len(levels))) if len(levels) > 1 else 0
        ranked = sorted((i for i in range(len(ids)) if a0[i] > 0), key=lambda i: (-a0[i], i))
        listeners = sorted(ranked[:room])
    else:
        unknown = [x for x in bounds.listeners if x not in index]
        if unknown:
            raise ValueError(f"bounds.listeners: unknown department {unknown[0]!r}")
        listeners = [index[x] for x in bounds.listeners]
    n_configs = len(levels) ** len(listeners)
    if n_configs > MAX_CONFIGURATIONS:
        raise ValueError(
            f"bounds.listeners: {len(listeners)} listeners with {len(levels)} levels make "
            f"{n_configs:,} configurations (more than {MAX_CONFIGURATIONS:,}); name fewer "
            "listeners or levels"
        )
    grid = (
        np.array(np.meshgrid(*([levels] * len(listeners)), indexing="ij"))
        .reshape(len(listeners), -1)
        .T.reshape(-1, len(listeners))
    )
    if not listeners:
        grid = np.zeros((1, 0))
    theta = np.zeros((grid.shape[0], len(ids)))
    theta[:, listeners] = grid
    Wc = W[None, :, :] * (1.0 - theta[:, :, None])
    Wc[:, :, d] += theta
    ell = _learning_weights(Wc, lam, mask)  # C × n

    # RACI moves
    learning_ids = {dep.id for dep in scenario.departments if dep.function in LEARNING_FUNCTIONS}
    counts: dict[str, int] = {}
    for dec in scenario.decisions:
        for dep, role in dec.rights.items():
            if role == "A":
                counts[dep] = counts.get(dep, 0) + 1
    allowed = None if bounds.raci_decisions is None else set(bounds.raci_decisions)
    known_decisions = {dec.id for dec in scenario.decisions}
    if allowed is not None and allowed - known_decisions:
        raise ValueError(
            f"bounds.raci_decisions: unknown decision {sorted(allowed - known_decisions)[0]!r}"
        )
    moves: list[_Raci] = []
    for dec in scenario.decisions:
        holders = [dep for dep, role in dec.rights.items() if role == "A"]
        if len(holders) != 1 or holders[0] in learning_ids:
            continue
        if allowed is None and not dec.learning_defining:
            continue
        if allowed is not None and dec.id not in allowed:
            continue
        j = index[holders[0]]
        moves.append(_Raci(dec.id, j, bounds.raci_authority * float(a0[j]) / counts[holders[0]]))

    cap = bounds.max_authority_increase
    dmax = cap if cap is not None else AUTHORITY_CAP * S0
    dmax = max(0.0, dmax)
    R = len(moves)
    gap = ell - t  # C × n
    base_g = gap @ a0  # C
    coef_delta = gap[:, d]  # C
    transfers = np.array([m.transfer for m in moves], dtype=float)
    holder_idx = np.array([m.holder for m in moves], dtype=np.intp)
    coef_x = transfers[None, :] * (ell[:, d][:, None] - ell[:, holder_idx])  # C × R
    best_g = base_g + dmax * np.maximum(coef_delta, 0.0) + np.maximum(coef_x, 0.0).sum(axis=1)
    if bounds.authority_step is not None:
        whole = math.floor(dmax / bounds.authority_step + 1e-9) * bounds.authority_step
        best_g = base_g + whole * np.maximum(coef_delta, 0.0) + np.maximum(coef_x, 0.0).sum(axis=1)
    # best share per configuration (all helpful levers at their bound), for the report
    a_best = a0.copy()
    a_best[d] += dmax
    for m in moves:
        a_best[d] += m.transfer
        a_best[m.holder] -= m.transfer
    best_share = float(np.max(ell @ a_best / a_best.sum()))
    info: dict[str, Any] = {
        "department": ids[d],
        "d": d,
        "share": base.learning_share,
        "best_share": best_share,
        "ell": ell,
        "listeners": listeners,
        "levels": levels,
        "moves": moves,
        "dmax": dmax,
    }
    if base.learning_share >= t:
        info.update(feasible=True, delta=0.0, theta=np.zeros(len(ids)), x=np.zeros(R, dtype=bool))
        return info
    if not np.any(best_g >= _MARGIN * S0):
        info["feasible"] = False
        info["binding"] = _binding(scenario, t, info, a0, W, lam, mask, bounds)
        return info

    # Exact: every listening configuration c and every subset x of RACI moves (vectorised); for
    # each, the least Δ meeting g_c ≥ 0 in closed form, Δ = (margin − base_g − coef_x·x)/coef_d.
    if R > MAX_RACI_MOVES:
        raise ValueError(
            f"bounds.raci_decisions: {R} movable decisions (at most {MAX_RACI_MOVES}); "
            "name the decisions that may move"
        )
    subsets = ((np.arange(2**R)[:, None] >> np.arange(R)[None, :]) & 1).astype(float)  # 2^R × R
    config_cost = costs.listening * grid.sum(axis=1) if grid.size else np.zeros(1)
    need = _MARGIN * S0 - base_g[:, None] - coef_x @ subsets.T  # C × 2^R: what Δ must supply
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(
            need <= 0, 0.0, np.where(coef_delta[:, None] > 0, need / coef_delta[:, None], np.inf)
        )
    step = bounds.authority_step
    if step is not None:
        delta = np.ceil(delta / step - 1e-12) * step
    ok = delta <= dmax + 1e-12
    total = (
        config_cost[:, None]
        + costs.authority * delta / S0
        + costs.raci * subsets.sum(axis=1)[None, :]
    )
    total = np.where(ok, total, np.inf)
    c_star, s_star = np.unravel_index(int(np.argmin(total)), total.shape)
    info.update(
        feasible=True,
        delta=float(delta[c_star, s_star]),
        theta=theta[c_star],
        x=subsets[s_star].astype(bool),
    )
    return info


def _binding(
    scenario: Scenario,
    t: float,
    info: Mapping[str, Any],
    a0: FloatArray,
    W: FloatArray,
    lam: FloatArray,
    mask: npt.NDArray[np.bool_],
    bounds: LeverBounds,
) -> str:
    """Which bound stops the target: relax one at a time and see whether the target comes in."""
    d = info["d"]
    ell = info["ell"]
    name = scenario.department(info["department"]).name  # said by name, not its id
    # authority unlimited: the share tends to max over configurations of ℓ_d
    if float(ell[:, d].max()) > t:
        return (
            f"the authority bound: {name}'s authority may rise by at most {info['dmax']:.3g}; "
            f"without that cap the levers reach {t:.0%}"
        )
    # full attention for every non-learning department, unlimited authority
    rows = np.flatnonzero(~mask)
    Wf = W.copy()
    Wf[rows] = 0.0
    Wf[rows, d] = 1.0
    ell_full = _learning_weights(Wf[None], lam, mask)[0]
    if float(ell_full[d]) > t or float(ell_full @ a0 / a0.sum()) >= t:
        return (
            f"the attention bound: listeners give at most "
            f"{max(bounds.attention_levels, default=0):.0%} of their attention to {name}"
        )
    return (
        f"the network itself: even unlimited authority for {name} and every department listening "
        f"only to {name} stays below {t:.0%} ({name} listens to others: its susceptibility)"
    )


# ---------------------------------------------------------------------------------------------
# The P80 part
# ---------------------------------------------------------------------------------------------


def _p80(scenario: Scenario, n: int, seed: int) -> float:
    from lmsdecide.timing import simulate_schedule

    return float(simulate_schedule(scenario, n, seed).p80)


def _with_timing(
    data: Mapping[str, Any], depts: Sequence[str], levels: Sequence[int], partner: str | None
) -> dict[str, Any]:
    out = dict(data)
    eng = dict(out["engagement"])
    phases = [p["id"] for p in out["phases"]]
    for dep, lvl in zip(depts, levels, strict=True):
        if lvl:
            current = len(phases) if eng[dep] == NEVER else phases.index(eng[dep])
            eng[dep] = phases[current - lvl]
    out["engagement"] = eng
    if partner is not None:
        out["selected_partner"] = partner
    return out


def _prune(
    data: Mapping[str, Any],
    depts: list[str],
    max_lvl: list[int],
    options: Sequence[str | None],
    full: Sequence[float],
    p80_before: float,
    p80_target: float,
    n: int,
    seed: int,
) -> tuple[list[str], list[int]]:
    """The departments whose earlier engagement moves P80, measured once each (same seed).

    A department's effect is the larger of what its earliest engagement gains alone (from the
    current plan) and what removing it from the all-earliest plan costs, both with the current
    partner and the partner of the best all-earliest P80, so that an effect that shows only
    with the others engaged, or only under another partner, still counts. Departments whose
    effect is below :data:`NEGLIGIBLE_P80_WEEKS` are left out of the search; when the rest can
    no longer reach the target together, nothing is pruned.
    """
    if len(depts) < 2:
        return depts, max_lvl
    best = options[int(np.argmin(full))]
    partners = [None] if best is None else [None, best]
    base = {
        p: p80_before if p is None else _p80(_timing(data, [], [], p), n, seed) for p in partners
    }
    top = {p: full[list(options).index(p)] for p in partners}
    keep: list[int] = []
    for k in range(len(depts)):
        alone = [0] * len(depts)
        alone[k] = max_lvl[k]
        others = list(max_lvl)
        others[k] = 0
        effect = max(
            max(
                base[p] - _p80(_timing(data, depts, alone, p), n, seed),
                _p80(_timing(data, depts, others, p), n, seed) - top[p],
            )
            for p in partners
        )
        if effect >= NEGLIGIBLE_P80_WEEKS:
            keep.append(k)
    if len(keep) == len(depts):
        return depts, max_lvl
    kept = [depts[k] for k in keep]
    kept_lvl = [max_lvl[k] for k in keep]
    if min(_p80(_timing(data, kept, kept_lvl, p), n, seed) for p in options) > p80_target:
        return depts, max_lvl
    return kept, kept_lvl


def _timing(
    data: Mapping[str, Any], depts: Sequence[str], levels: Sequence[int], partner: str | None
) -> Scenario:
    return validate_scenario(_with_timing(data, depts, levels, partner))


def _timing_part(
    scenario: Scenario,
    p80_target: float,
    costs: LeverCosts,
    bounds: LeverBounds,
    n: int,
    seed: int,
) -> dict[str, Any]:
    """Cheapest engagement/partner change with P80 <= target (MILP with verified cuts)."""
    data = scenario.to_data()
    owners = {c.department for c in scenario.concerns}
    if bounds.engagement_departments is None:
        depts = [dep for dep in scenario.department_ids if dep in owners]
    else:
        unknown = [x for x in bounds.engagement_departments if x not in scenario.department_ids]
        if unknown:
            raise ValueError(f"bounds.engagement_departments: unknown department {unknown[0]!r}")
        depts = list(bounds.engagement_departments)
    cap = bounds.max_phases_earlier
    max_lvl = [
        min(scenario.engagement_index(dep), cap if cap is not None else 10**9) for dep in depts
    ]
    depts = [dep for dep, m in zip(depts, max_lvl, strict=True) if m > 0]
    max_lvl = [m for m in max_lvl if m > 0]
    if bounds.partners is None:
        partners = [p.id for p in scenario.partners if p.id != scenario.selected_partner]
    else:
        unknown = [x for x in bounds.partners if x not in {p.id for p in scenario.partners}]
        if unknown:
            raise ValueError(f"bounds.partners: unknown partner {unknown[0]!r}")
        partners = [x for x in bounds.partners if x != scenario.selected_partner]

    p80_before = _p80(scenario, n, seed)
    info: dict[str, Any] = {"p80_before": p80_before, "depts": depts, "partners": partners}
    if p80_before <= p80_target:
        info.update(feasible=True, levels=[0] * len(depts), partner=None, p80=p80_before)
        return info
    # the most that the levers can do: every department as early as allowed, each partner
    options = [None, *partners]
    full = [
        _p80(validate_scenario(_with_timing(data, depts, max_lvl, p)), n, seed) for p in options
    ]
    info["best_p80"] = float(min(full))
    if min(full) > p80_target:
        info["feasible"] = False
        info["binding"] = (
            f"the engagement and partner bounds: with every department engaged as early as "
            f"allowed and the best partner, P80 is {min(full):.1f} weeks (target {p80_target:g})"
        )
        return info
    depts, max_lvl = _prune(data, depts, max_lvl, options, full, p80_before, p80_target, n, seed)
    info["depts"] = depts

    # variable layout: y_{k,l} for each department k and level l = 1..max_lvl[k], then p_j
    offsets = np.cumsum([0, *max_lvl])
    ny = int(offsets[-1])
    nvar = ny + len(partners)
    cvec = np.concatenate((np.full(ny, costs.engagement), np.full(len(partners), costs.partner)))
    rows: list[npt.NDArray[np.float64]] = []
    lo: list[float] = []
    hi: list[float] = []
    for k, m in enumerate(max_lvl):  # ordered levels: y_{k,l} >= y_{k,l+1}
        for lvl in range(1, m):
            r = np.zeros(nvar)
            r[offsets[k] + lvl - 1] = 1.0
            r[offsets[k] + lvl] = -1.0
            rows.append(r)
            lo.append(0.0)
            hi.append(np.inf)
    if partners:
        r = np.zeros(nvar)
        r[ny:] = 1.0
        rows.append(r)
        lo.append(0.0)
        hi.append(1.0)
    closest = math.inf
    from scipy.optimize import Bounds, LinearConstraint, milp  # ~0.3 s to import: on first use

    for _ in range(MAX_ROUNDS):
        cons = [LinearConstraint(np.array(rows), np.array(lo), np.array(hi))] if rows else []
        res = milp(
            cvec,
            constraints=cons,
            integrality=np.ones(nvar),
            bounds=Bounds(np.zeros(nvar), np.ones(nvar)),
        )
        if res.x is None:
            info["feasible"] = False
            info["binding"] = (
                "no combination on the grid meets the P80 target once the verified failures "
                "are excluded (P80 is not monotone in engagement here)"
            )
            return info
        xs = np.round(res.x).astype(int)
        levels = [int(xs[offsets[k] : offsets[k + 1]].sum()) for k in range(len(depts))]
        chosen = [p for p, v in zip(partners, xs[ny:], strict=True) if v]
        partner = chosen[0] if chosen else None
        candidate = validate_scenario(_with_timing(data, depts, levels, partner))
        p80 = _p80(candidate, n, seed)
        closest = min(closest, p80)
        if p80 <= p80_target:
            info.update(feasible=True, levels=levels, partner=partner, p80=p80)
            return info
        # exclude the candidate and everything it dominates: some department must go further
        # than in the candidate, or the partner must differ
        cut = np.zeros(nvar)
        for k, lvl in enumerate(levels):
            if lvl < max_lvl[k]:
                cut[offsets[k] + lvl] = 1.0
        rhs = 1.0
        if partner is None:
            cut[ny:] = 1.0
        else:
            cut[ny + partners.index(partner)] = -1.0
            rhs = 0.0  # sum(further) + (1 - p_j) >= 1
        rows.append(cut)
        lo.append(rhs)
        hi.append(np.inf)
    info["feasible"] = False
    info["binding"] = (
        f"the search stopped after {MAX_ROUNDS} verified candidates, the closest at P80 "
        f"{closest:.1f} weeks (target {p80_target:g}; every lever at its bound reaches "
        f"{info['best_p80']:.1f})"
    )
    return info


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


def _costs(costs: LeverCosts | Mapping[str, float] | None) -> LeverCosts:
    if costs is None:
        return LeverCosts()
    if isinstance(costs, LeverCosts):
        return costs
    if not isinstance(costs, Mapping):
        raise ValueError(f"costs: must be a LeverCosts or a mapping, got {type(costs).__name__}")
    known = {f.name for f in fields(LeverCosts)}
    unknown = sorted(set(costs) - known)
    if unknown:
        raise ValueError(f"costs: unknown lever {unknown[0]!r}; known: {', '.join(sorted(known))}")
    return LeverCosts(**{k: float(v) for k, v in costs.items()})


def combined_levers(
    scenario: Scenario,
    *,
    target: float = 0.5,
    p80_target: float | None = None,
    costs: LeverCosts | Mapping[str, float] | None = None,
    bounds: LeverBounds | None = None,
    n: int = 2000,
    seed: int = 0,
) -> CombinedLeversResult:
    """The least costly combination of levers with learning share ≥ ``target`` (and P80 ≤
    ``p80_target`` when given); see the module docstring for the method.

    Parameters
    ----------
    scenario
        The project.
    target
        Learning share to reach (0.01-0.99; one half by default).
    p80_target
        Weeks from the start by which go-live must be 80% likely; None: no schedule target.
    costs
        :class:`LeverCosts` or a mapping of some of its fields (illustrative points by default).
    bounds
        :class:`LeverBounds` (defaults documented there).
    n, seed
        Draws and seed of :func:`~lmsdecide.timing.simulate_schedule` (common random numbers:
        every candidate sees the same draws).

    Returns
    -------
    CombinedLeversResult
        The changes, the changed scenario, the achieved values and the cost; or, when the
        targets cannot be met within the bounds, the best reachable values and the binding bound.

    Raises
    ------
    ValueError
        A target out of range, a negative cost, an unknown department, decision or partner in
        the bounds.
    """
    t = LEVER_PARAMS["target"].validate(target)
    if p80_target is not None:
        if isinstance(p80_target, bool) or not isinstance(p80_target, (int, float)):
            raise ValueError(f"p80_target: must be a number of weeks, got {p80_target!r}")
        if not math.isfinite(p80_target) or p80_target <= 0:
            raise ValueError(f"p80_target: must be a positive number of weeks, got {p80_target!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 100:
        raise ValueError(f"n: must be a whole number of draws >= 100, got {n!r}")
    lever_costs = _costs(costs)
    lever_bounds = bounds if bounds is not None else LeverBounds()
    if not isinstance(lever_bounds, LeverBounds):
        raise ValueError(f"bounds: must be a LeverBounds, got {type(bounds).__name__}")

    share = _share_part(scenario, t, lever_costs, lever_bounds)
    timing = (
        _timing_part(scenario, float(p80_target), lever_costs, lever_bounds, n, seed)
        if p80_target is not None
        else None
    )
    share_before = float(share["share"])
    p80_before = float(timing["p80_before"]) if timing else float("nan")
    best_share = float(share.get("best_share", share_before))
    best_p80 = float(timing.get("best_p80", timing["p80_before"])) if timing else float("nan")
    result_kwargs: dict[str, Any] = {
        "target": t,
        "p80_target": None if p80_target is None else float(p80_target),
        "department": share["department"],
        "learning_share_before": share_before,
        "p80_before": p80_before,
        "best_share": best_share,
        "best_p80": best_p80,
        "costs": lever_costs,
        "bounds": lever_bounds,
    }
    empty = pd.DataFrame({c: [] for c in _COLUMNS})
    problems = []
    if share["department"] is None and share_before < t:
        problems.append("there is no learning or HR department to give the project to")
    elif not share.get("feasible", True):
        problems.append(
            f"the best learning share within the bounds is {best_share:.0%} "
            f"(target {t:.0%}); binding: {share['binding']}"
        )
    if timing is not None and not timing["feasible"]:
        problems.append(
            f"the lowest P80 within the bounds is {best_p80:.1f} weeks "
            f"(target {p80_target:g}); binding: {timing['binding']}"
        )
    if problems:
        return CombinedLeversResult(
            feasible=False,
            changes=empty,
            scenario=scenario,
            learning_share=share_before,
            p80=p80_before,
            cost=float("nan"),
            binding="; ".join(problems),
            note="The targets cannot be met within the bounds: " + "; ".join(problems) + ".",
            **result_kwargs,
        )
    changed, rows = _apply(scenario, share, timing, lever_costs)
    final = who_drives(changed, threshold=t)
    p80_final = _p80(changed, n, seed) if timing is not None else float("nan")
    rows = _waterfall(scenario, rows, t, n, seed, timing is not None)
    changes = pd.DataFrame(rows, columns=list(_COLUMNS)) if rows else empty
    cost = float(changes["cost"].sum()) if len(changes) else 0.0
    return CombinedLeversResult(
        feasible=True,
        changes=changes,
        scenario=changed,
        learning_share=float(final.learning_share),
        p80=p80_final,
        cost=cost,
        binding="",
        note=_note(
            share["department"],
            share_before,
            float(final.learning_share),
            t,
            p80_final,
            p80_target,
            changes,
            scenario,
        ),
        **result_kwargs,
    )


def _apply(
    scenario: Scenario,
    share: Mapping[str, Any],
    timing: Mapping[str, Any] | None,
    costs: LeverCosts,
) -> tuple[Scenario, list[dict[str, Any]]]:
    """The changed scenario's data, built lever by lever, and one row per lever (no waterfall)."""
    data = scenario.to_data()
    rows: list[dict[str, Any]] = []
    S0 = float(_authority(scenario).sum())
    if share.get("department") is not None and "delta" in share:
        d_id = share["department"]
        delta = float(share["delta"])
        ids = scenario.department_ids
        if delta > 1e-12:
            rows.append(
                {
                    "lever": "authority",
                    "subject": d_id,
                    "from_value": float(scenario.department(d_id).authority),
                    "to_value": float(scenario.department(d_id).authority) + delta,
                    "change": delta,
                    "unit": "authority added",
                    "cost": costs.authority * delta / S0,
                    "_auth": {d_id: delta},
                }
            )
        for i, th in enumerate(share["theta"]):
            if th > 0:
                own = ids[i] == d_id
                rows.append(
                    {
                        "lever": "listening",
                        "subject": ids[i],
                        "from_value": 0.0,
                        "to_value": float(th),
                        "change": float(th),
                        "unit": "share of attention kept on its own view"
                        if own
                        else f"share of attention given to {d_id}",
                        "cost": costs.listening * float(th),
                        "_listen": (ids[i], float(th), d_id),
                    }
                )
        for m, chosen in zip(share["moves"], share["x"], strict=True):
            if chosen:
                holder = ids[m.holder]
                rows.append(
                    {
                        "lever": "raci",
                        "subject": m.decision,
                        "from_value": holder,
                        "to_value": d_id,
                        "change": m.transfer,
                        "unit": "Accountable moved (authority moved with it)",
                        "cost": costs.raci,
                        "_raci": (m.decision, holder, d_id, m.transfer),
                    }
                )
    if timing is not None and timing.get("feasible"):
        for dep, lvl in zip(timing["depts"], timing["levels"], strict=True):
            if lvl:
                new = _with_timing(data, [dep], [lvl], None)["engagement"][dep]
                rows.append(
                    {
                        "lever": "engagement",
                        "subject": dep,
                        "from_value": scenario.engagement[dep],
                        "to_value": new,
                        "change": float(lvl),
                        "unit": "phases earlier",
                        "cost": costs.engagement * lvl,
                        "_engage": (dep, new),
                    }
                )
        if timing["partner"] is not None:
            rows.append(
                {
                    "lever": "partner",
                    "subject": "selected_partner",
                    "from_value": scenario.selected_partner,
                    "to_value": timing["partner"],
                    "change": 1.0,
                    "unit": "partner replaced",
                    "cost": costs.partner,
                    "_partner": timing["partner"],
                }
            )
    changed = _apply_rows(scenario, rows, len(rows))
    return changed, rows


def _apply_rows(scenario: Scenario, rows: Sequence[Mapping[str, Any]], upto: int) -> Scenario:
    """The scenario with the first ``upto`` levers applied (validated)."""
    data = scenario.to_data()
    W = influence_matrix(scenario)
    ids = scenario.department_ids
    index = {dep: i for i, dep in enumerate(ids)}
    departments = [dict(r) for r in data["departments"]]
    decisions = [dict(r, rights=dict(r.get("rights", {}))) for r in data.get("decisions", [])]
    engagement = dict(data["engagement"])
    listen: dict[str, float] = {}
    listen_to = ""
    for row in rows[:upto]:
        if "_auth" in row:
            for dep, delta in row["_auth"].items():
                departments[index[dep]]["authority"] = departments[index[dep]]["authority"] + delta
        if "_listen" in row:
            dep, th, listen_to = row["_listen"]
            listen[dep] = th
        if "_raci" in row:
            dec_id, holder, new, transfer = row["_raci"]
            for dec in decisions:
                if dec["id"] == dec_id:
                    dec["rights"][holder] = "C"
                    dec["rights"][new] = "A"
            departments[index[holder]]["authority"] = max(
                0.0, departments[index[holder]]["authority"] - transfer
            )
            departments[index[new]]["authority"] = departments[index[new]]["authority"] + transfer
        if "_engage" in row:
            dep, phase = row["_engage"]
            engagement[dep] = phase
        if "_partner" in row:
            data["selected_partner"] = row["_partner"]
    data["departments"] = departments
    if decisions:
        data["decisions"] = decisions
    data["engagement"] = engagement
    if listen:
        # rewrite the listeners' rows of W as explicit edges (row-normalised weights)
        d = index[listen_to]
        edges = [e for e in data.get("influence", []) if e["from"] not in listen]
        for dep, th in listen.items():
            k = index[dep]
            row_w = W[k] * (1.0 - th)
            row_w[d] += th
            for j in np.flatnonzero(row_w > 0):
                edges.append({"from": dep, "to": ids[j], "weight": float(row_w[j])})
        data["influence"] = edges
    return validate_scenario(data)


def _waterfall(
    scenario: Scenario,
    rows: list[dict[str, Any]],
    t: float,
    n: int,
    seed: int,
    with_p80: bool,
) -> list[dict[str, Any]]:
    """share_after and p80_after for the levers applied one after another, in row order."""
    out = []
    for i, row in enumerate(rows):
        partial = _apply_rows(scenario, rows, i + 1)
        clean = {k: v for k, v in row.items() if not k.startswith("_")}
        clean["share_after"] = float(who_drives(partial, threshold=t).learning_share)
        clean["p80_after"] = _p80(partial, n, seed) if with_p80 else float("nan")
        out.append(clean)
    return out


def _department_names(scenario: Scenario) -> dict[str, str]:
    return {d.id: d.name for d in scenario.departments}


def change_labels(scenario: Scenario, row: Mapping[Any, Any]) -> tuple[str, str, str]:
    """A row of :attr:`CombinedLeversResult.changes` said with the scenario's names, never its
    ids (the IT department's id ``it`` read as a pronoun in "have it give 50% of its
    attention"): the subject (a department, or a decision for ``raci``) and the values before
    and after (departments for ``raci``, phases for ``engagement``, partners for ``partner``;
    numbers to three significant figures).
    """
    lever = str(row["lever"])
    names: dict[str, str] = _department_names(scenario)
    if lever == "raci":
        subject = {d.id: d.name for d in scenario.decisions}.get(str(row["subject"]))
    else:
        subject = names.get(str(row["subject"]))
    if lever == "engagement":
        names = {p: scenario.phase_name(p) for p in (*scenario.phase_ids, NEVER)}
    elif lever == "partner":
        names = {p.id: p.name for p in scenario.partners}

    def said(value: Any) -> str:
        if isinstance(value, (float, np.floating)):
            return f"{float(value):.3g}"
        return names.get(str(value), str(value))

    return subject or str(row["subject"]), said(row["from_value"]), said(row["to_value"])


def _note(
    department: str | None,
    before: float,
    after: float,
    t: float,
    p80: float,
    p80_target: float | None,
    changes: pd.DataFrame,
    scenario: Scenario,
) -> str:
    if changes.empty:
        return f"Nothing to change: learning's share is already {before:.0%} (target {t:.0%})."
    parts = []
    who = _department_names(scenario).get(department or "", "L&D")
    for row in changes.to_dict("records"):
        lever, change = str(row["lever"]), float(row["change"])
        subject, before_, after_ = change_labels(scenario, row)
        if lever == "authority":
            parts.append(f"raise {subject}'s authority by {change:.3g}")
        elif lever == "listening" and row["subject"] == department:
            parts.append(f"have {subject} keep {change:.0%} of its attention on its own view")
        elif lever == "listening":
            parts.append(f"have {subject} give {change:.0%} of its attention to {who}")
        elif lever == "raci":
            parts.append(f"move the Accountable for '{subject}' from {before_} to {who}")
        elif lever == "engagement":
            parts.append(f"engage {subject} in {after_} (was {before_})")
        else:
            parts.append(f"replace the partner {before_} by {after_}")
    total = float(changes["cost"].sum())
    text = f"Cheapest combination ({total:.2f} points): " + "; ".join(parts)
    text += f". Learning's share goes from {before:.0%} to {after:.0%}"
    if p80_target is not None:
        text += f"; P80 is {p80:.1f} weeks (target {p80_target:g})"
    return text + "."


@register_model(
    name="combined_levers",
    label="Cheapest levers for learning to drive",
    area="influence",
    params=LEVER_PARAMS,
)
def _combined_levers_model(scenario: Scenario, *, target: float = 0.5) -> CombinedLeversResult:
    """:func:`combined_levers` with its declared parameter only (default costs and bounds, no
    P80 target): the form the dashboards, the report and the explore tools run."""
    return combined_levers(scenario, target=target)


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
