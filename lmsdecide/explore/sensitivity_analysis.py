"""Sensitivity analysis: which guesses matter.

Three methods over the same :class:`~lmsdecide.explore.space.Space` (ranges from the
declarations, so a researcher's new model works unchanged):

* **Morris elementary effects** (Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007),
  via SALib. Along r random one-at-a-time trajectories on a p-level grid of the unit cube, the
  elementary effect of factor i is EEᵢ = [f(u + Δeᵢ) − f(u)] / Δ with Δ = p / (2(p − 1)) in unit
  coordinates, so an effect is "per full range of the factor". μ* = mean |EEᵢ| ranks the factors;
  σ (standard deviation of EEᵢ) flags non-linearity and interactions. For f = Σ bᵢ xᵢ with xᵢ
  over [lowᵢ, highᵢ], μ*ᵢ = |bᵢ| (highᵢ − lowᵢ) exactly.
* **Sobol indices** (Sobol' 2001; Saltelli et al. 2010 estimators), via SALib with bootstrap
  confidence intervals: first order Sᵢ = V[E(Y | Xᵢ)] / V(Y) (the share of the output variance
  factor i explains alone) and total STᵢ = E[V(Y | X₋ᵢ)] / V(Y) (alone and in interactions).
  N base points cost N (k + 2) model runs for k factors.
* **Tornado** (one at a time): each factor moved to its low and high value (every value of a
  discrete factor) with the others at the base case; the swing is the output's range.

Each method takes a vectorised function ``func(variants: DataFrame) -> array``;
:func:`sensitivity` builds that function from the sweep machinery for a scenario and a measure.
Discrete factors (choices, engagement phases, yes/no) enter the samplers as equal-width cells of
the unit interval: their indices are read as "how much switching among the values matters".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lmsdecide.explore.measures import Measure, measure
from lmsdecide.explore.space import Factor, Space, base_values, model_factors
from lmsdecide.explore.sweeps import sweep
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

__all__ = [
    "METHODS",
    "MorrisResult",
    "SobolResult",
    "TornadoResult",
    "morris",
    "sensitivity",
    "sobol",
    "tornado",
]

FloatArray = npt.NDArray[np.float64]
Func = Callable[[pd.DataFrame], npt.ArrayLike]
METHODS = ("morris", "sobol", "tornado")


def _problem(space: Space) -> dict[str, Any]:
    return {
        "num_vars": len(space),
        "names": list(space.names),
        "bounds": [[0.0, 1.0]] * len(space),
    }


def _outputs(func: Func, variants: pd.DataFrame) -> FloatArray:
    y = np.asarray(func(variants), dtype=float).reshape(-1)
    if y.shape[0] != len(variants):
        raise ValueError(f"func: returned {y.shape[0]} outputs for {len(variants)} variants")
    if not np.all(np.isfinite(y)):
        raise ValueError("func: returned outputs that are not finite")
    return y


def _factor_frame(
    names: tuple[str, ...],
    labels: tuple[str, ...],
    columns: dict[str, FloatArray],
    *,
    sort_by: str,
) -> pd.DataFrame:
    """One row per factor (``factor``, ``label``, then ``columns``), largest ``sort_by`` first;
    ties keep the space's order."""
    frame = pd.DataFrame({"factor": list(names), "label": list(labels), **columns})
    return frame.sort_values(sort_by, ascending=False, kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class MorrisResult(ArrayEq):
    """Morris screening of each factor.

    Attributes
    ----------
    names, labels
        Factors in the space's order.
    mu, mu_star, sigma, mu_star_conf
        Mean elementary effect, mean absolute effect (μ*), its standard deviation (σ), and the
        bootstrap half-width of μ* at ``conf_level``; output units per full factor range.
    measure
        What was measured.
    trajectories, num_levels, runs
        r, p and the model runs r (k + 1).
    """

    names: tuple[str, ...]
    labels: tuple[str, ...]
    mu: FloatArray
    mu_star: FloatArray
    sigma: FloatArray
    mu_star_conf: FloatArray
    measure: str
    trajectories: int
    num_levels: int
    runs: int
    conf_level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per factor, sorted by μ* (largest first)."""
        return _factor_frame(
            self.names,
            self.labels,
            {
                "mu": self.mu,
                "mu_star": self.mu_star,
                "sigma": self.sigma,
                "mu_star_conf": self.mu_star_conf,
            },
            sort_by="mu_star",
        )


@dataclass(frozen=True, eq=False)
class SobolResult(ArrayEq):
    """First-order and total Sobol indices with confidence intervals.

    ``s1_conf`` and ``st_conf`` are bootstrap half-widths at ``conf_level``.
    """

    names: tuple[str, ...]
    labels: tuple[str, ...]
    s1: FloatArray
    s1_conf: FloatArray
    st: FloatArray
    st_conf: FloatArray
    measure: str
    n: int
    runs: int
    variance: float
    conf_level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per factor, sorted by ST (largest first)."""
        return _factor_frame(
            self.names,
            self.labels,
            {"S1": self.s1, "S1_conf": self.s1_conf, "ST": self.st, "ST_conf": self.st_conf},
            sort_by="ST",
        )


@dataclass(frozen=True, eq=False)
class TornadoResult(ArrayEq):
    """One-at-a-time swings around the base case.

    Attributes
    ----------
    base_output
        The measure at the base case.
    points
        Tidy: ``factor``, ``label``, ``value`` (as text), ``output`` for every evaluation.
    frame
        One row per factor, largest swing first: ``factor``, ``label``, ``base_value``,
        ``low_value``/``high_value`` (the values giving the lowest/highest output),
        ``low``/``high`` (those outputs), ``swing`` = high − low.
    """

    base_output: float
    points: pd.DataFrame
    frame: pd.DataFrame
    measure: str

    def to_frame(self) -> pd.DataFrame:
        """The per-factor table (a copy)."""
        return self.frame.copy()


def morris(
    func: Func,
    space: Space,
    *,
    trajectories: int = 20,
    num_levels: int = 4,
    seed: int | None = 0,
    conf_level: float = 0.95,
    num_resamples: int = 200,
    measure_name: str = "output",
) -> MorrisResult:
    """Morris elementary effects of ``func`` over ``space`` (SALib sampler and analyser).

    Parameters
    ----------
    func
        Vectorised: a DataFrame of variants (one column per factor) in, one output per row out.
    space
        The factors and their ranges.
    trajectories
        r, the number of trajectories (r (k + 1) runs).
    num_levels
        p, the grid levels (even; Δ = p / (2(p − 1))).
    seed
        Seed of the trajectories and the bootstrap.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    if trajectories < 2:
        raise ValueError(f"trajectories: must be at least 2, got {trajectories}")
    if num_levels < 2 or num_levels % 2:
        raise ValueError(f"num_levels: must be an even number of at least 2, got {num_levels}")
    problem = _problem(space)
    u = morris_sample.sample(problem, trajectories, num_levels=num_levels, seed=seed)
    y = _outputs(func, space.from_unit(u))
    si = morris_analyze.analyze(
        problem,
        u,
        y,
        num_resamples=num_resamples,
        conf_level=conf_level,
        num_levels=num_levels,
        seed=seed,
    )
    return MorrisResult(
        names=space.names,
        labels=tuple(f.label for f in space.factors),
        mu=np.asarray(si["mu"], dtype=float),
        mu_star=np.asarray(si["mu_star"], dtype=float),
        sigma=np.nan_to_num(np.asarray(si["sigma"], dtype=float)),
        mu_star_conf=np.nan_to_num(np.asarray(si["mu_star_conf"], dtype=float)),
        measure=measure_name,
        trajectories=trajectories,
        num_levels=num_levels,
        runs=len(u),
        conf_level=conf_level,
    )


def sobol(
    func: Func,
    space: Space,
    *,
    n: int = 1024,
    seed: int | None = 0,
    conf_level: float = 0.95,
    num_resamples: int = 200,
    measure_name: str = "output",
) -> SobolResult:
    """First-order and total Sobol indices of ``func`` over ``space`` (SALib, Saltelli scheme).

    ``n`` base points (a power of two) cost n (k + 2) runs. Indices of an output with no
    variance are reported as zero.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if n < 2 or n & (n - 1):
        raise ValueError(f"n: must be a power of two of at least 2, got {n}")
    problem = _problem(space)
    u = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    y = _outputs(func, space.from_unit(u))
    variance = float(np.var(y))
    k = len(space)
    if variance == 0.0:
        zeros = np.zeros(k)
        s1, s1c, st, stc = zeros, zeros, zeros, zeros
    else:
        si = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        s1, s1c = np.asarray(si["S1"], float), np.asarray(si["S1_conf"], float)
        st, stc = np.asarray(si["ST"], float), np.asarray(si["ST_conf"], float)
    return SobolResult(
        names=space.names,
        labels=tuple(f.label for f in space.factors),
        s1=s1,
        s1_conf=s1c,
        st=st,
        st_conf=stc,
        measure=measure_name,
        n=n,
        runs=len(u),
        variance=variance,
        conf_level=conf_level,
    )


def _text(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    return str(value)


def tornado(
    func: Func,
    space: Space,
    base: Mapping[str, Any],
    *,
    measure_name: str = "output",
) -> TornadoResult:
    """One-at-a-time swings: each factor at its low and high (every discrete value), others at
    ``base``. All evaluations go to ``func`` in one call."""
    missing = [name for name in space.names if name not in base]
    if missing:
        raise ValueError(f"base: no base value for {', '.join(missing)}")
    rows: list[dict[str, Any]] = [dict(base)]
    owners: list[tuple[Factor, Any]] = []
    for f in space.factors:
        values: list[Any] = [f.low, f.high] if f.kind == "float" else f.grid(2)
        if f.kind == "int":
            values = [int(f.low or 0), int(f.high or 0)]
        for v in values:
            rows.append({**base, f.name: v})
            owners.append((f, v))
    variants = pd.DataFrame(rows, columns=list(space.names))
    y = _outputs(func, variants)
    base_output = float(y[0])
    points = pd.DataFrame(
        {
            "factor": [f.name for f, _ in owners],
            "label": [f.label for f, _ in owners],
            "value": [_text(v) for _, v in owners],
            "output": y[1:],
        }
    )
    table = []
    for f in space.factors:
        mine = points[points["factor"] == f.name]
        lo = int(np.argmin(mine["output"].to_numpy()))
        hi = int(np.argmax(mine["output"].to_numpy()))
        low, high = float(mine["output"].iloc[lo]), float(mine["output"].iloc[hi])
        table.append(
            {
                "factor": f.name,
                "label": f.label,
                "base_value": _text(base[f.name]),
                "low_value": mine["value"].iloc[lo],
                "high_value": mine["value"].iloc[hi],
                "low": low,
                "high": high,
                "swing": high - low,
            }
        )
    frame = (
        pd.DataFrame(table)
        .sort_values("swing", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return TornadoResult(base_output=base_output, points=points, frame=frame, measure=measure_name)


def sensitivity(
    scenario: Scenario,
    measure_name: str | Measure,
    factors: Space | Iterable[str | Factor] | Mapping[str, Any] | None = None,
    *,
    method: str = "morris",
    params: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int | None = 0,
    trajectories: int = 20,
    num_levels: int = 4,
    n: int = 256,
    conf_level: float = 0.95,
    executor: Executor | str = "serial",
    chunk_size: int = 1000,
) -> MorrisResult | SobolResult | TornadoResult:
    """Sensitivity of a measure on a scenario to model parameters and scenario fields.

    Parameters
    ----------
    scenario
        The base scenario.
    measure_name
        A numeric measure (``"p80"``, ``"learning_share"``, ``"<model>.<attribute>"``); yes/no
        measures count as 0/1.
    factors
        What varies (as for :func:`~lmsdecide.explore.sweeps.sweep`); default: every declared
        parameter of the measure's model (numerical settings such as ``n`` left out).
    method
        ``"morris"``, ``"sobol"`` or ``"tornado"``.
    params
        Fixed parameter values per model (``{"simulate_schedule": {"n": 2000}}``).
    seed
        Seed of the sampler and of every stochastic model run (common random numbers).
    trajectories, num_levels
        Morris settings.
    n
        Sobol base points (a power of two).
    executor, chunk_size
        Where the model runs go (as for :func:`~lmsdecide.explore.sweeps.sweep`).

    Returns
    -------
    MorrisResult | SobolResult | TornadoResult
        By ``method``; each has ``to_frame()`` (one row per factor, most important first).

    Raises
    ------
    ValueError
        An unknown method, factor or measure; a range outside the declared one; a measure that
        is not numeric.
    """
    m = measure(measure_name)
    if method not in METHODS:
        raise ValueError(f"method: must be one of {', '.join(METHODS)}; got {method!r}")
    if factors is None:
        space = Space(tuple(model_factors(m.model)))
    elif isinstance(factors, Space):
        space = factors
    else:
        space = Space.of(scenario, factors)

    def func(variants: pd.DataFrame) -> FloatArray:
        result = sweep(
            scenario,
            space,
            [m],
            variants=variants,
            params=params,
            seed=seed,
            executor=executor,
            chunk_size=chunk_size,
            progress=False,
            check_ranges=method != "tornado",
        )
        column = result.frame[m.name]
        try:
            return column.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"measure {m.name!r}: sensitivity needs a numeric measure, got values such as "
                f"{column.iloc[0]!r}"
            ) from None

    if method == "morris":
        return morris(
            func,
            space,
            trajectories=trajectories,
            num_levels=num_levels,
            seed=seed,
            conf_level=conf_level,
            measure_name=m.name,
        )
    if method == "sobol":
        return sobol(func, space, n=n, seed=seed, conf_level=conf_level, measure_name=m.name)
    base = base_values(scenario, space.factors)
    fixed = params or {}
    for f in space.factors:
        model, param = str(f.model), str(f.param)
        if f.target == "param" and param in fixed.get(model, {}):
            base[f.name] = fixed[model][param]
    return tornado(func, space, base, measure_name=m.name)
