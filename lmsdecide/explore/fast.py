"""Fast paths of sweeps: the drive share batched, the schedule's percentiles lean.

**Drive share: many variants in one batched linear solve.**

When every measure reads ``who_drives`` (learning share, learning driven, top driver, group
position) and every factor is a department's authority, susceptibility or position, an influence
edge weight, or ``who_drives.threshold``, the variants differ only in the numbers of

    share = aᵀ (I − ΛW)⁻¹ (I − Λ)

(:mod:`lmsdecide.influence.drive`). The chunk then builds the m variants' W (row-normalised
edges; an empty row listens to itself), Λ and a as (m, n, n) and (m, n) arrays and solves
(I − ΛW)ᵀ y = a for all of them at once (``numpy.linalg.solve`` on the stack); share = y ∘ (1 − λ),
clipped at zero and renormalised as the model does. Variants the closed form does not cover (a
susceptibility of 1, where the model needs its closed-group analysis, or zero total authority,
which the scenario rejects) go through the model itself, so results always equal the model's.

**Schedule: only what the measures read.** ``simulate_schedule`` also builds the per-phase
contributions and the department tornado, which a sweep reading P50, P80, the mean or the on-time
probability does not need. :func:`schedule_batch` runs the model's own steps
(:func:`~lmsdecide.timing.timing_inputs`, ``schedule.draw``, ``schedule.evaluate``, the same
percentiles) and stops there. With an integer seed every variant gets the same draws (common
random numbers), so draws are made once per chunk for each distinct set of phase durations and
reused. A test checks the results equal ``simulate_schedule``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lmsdecide.explore.space import Factor
from lmsdecide.influence.drive import raw_influence
from lmsdecide.influence.network import ROW_TOL
from lmsdecide.scenario import LEARNING_FUNCTIONS, Scenario

__all__ = ["FAST_ATTRIBUTES", "SCHEDULE_ATTRIBUTES", "schedule_batch", "who_drives_batch"]

FAST_ATTRIBUTES = ("learning_share", "learning_driven", "top_driver", "group_position")
_DEPT_FIELDS = ("authority", "susceptibility", "position")


def applies(factors: Sequence[Factor], measures: Sequence[Any]) -> bool:
    """True when the batched closed form covers these factors and measures."""
    if not measures or any(
        m.model != "who_drives" or m.attribute not in FAST_ATTRIBUTES or m.offset is not None
        for m in measures
    ):
        return False
    for f in factors:
        parts = f.name.split(".")
        if f.name == "who_drives.threshold":
            continue
        if parts[0] == "departments" and len(parts) == 3 and parts[2] in _DEPT_FIELDS:
            continue
        if parts[0] == "influence" and len(parts) == 3:
            continue
        return False
    return True


def who_drives_batch(
    scenario: Scenario,
    factors: Sequence[Factor],
    measures: Sequence[Any],
    variants: pd.DataFrame,
    params: Mapping[str, Mapping[str, Any]],
) -> tuple[pd.DataFrame, np.ndarray]:
    """Measures of the variants the closed form covers, and a mask of those variants.

    Returns the measures (indexed like ``variants``; rows outside the mask are left empty) and
    the boolean mask of rows computed here; the caller evaluates the others with the model.
    """
    ids = scenario.department_ids
    index = {d: i for i, d in enumerate(ids)}
    n, m = len(ids), len(variants)
    depts = scenario.departments
    R = np.broadcast_to(raw_influence(scenario), (m, n, n)).copy()
    columns = {
        "authority": np.tile([d.authority for d in depts], (m, 1)).astype(float),
        "susceptibility": np.tile([d.susceptibility for d in depts], (m, 1)).astype(float),
        "position": np.tile([d.position for d in depts], (m, 1)).astype(float),
    }
    threshold = np.full(m, float(params.get("who_drives", {}).get("threshold", 0.5)))
    for f in factors:
        values = variants[f.name].to_numpy(dtype=float)
        parts = f.name.split(".")
        if f.name == "who_drives.threshold":
            threshold = values
        elif parts[0] == "departments":
            columns[parts[2]][:, index[parts[1]]] = values
        else:
            R[:, index[parts[1]], index[parts[2]]] = values
    sums = R.sum(axis=2)
    empty = sums <= 0.0
    W = np.divide(R, sums[:, :, None], out=np.zeros_like(R), where=~empty[:, :, None])
    rows, cols = np.nonzero(empty)
    W[rows, cols, cols] = 1.0
    lam = columns["susceptibility"]
    auth = columns["authority"]
    total = auth.sum(axis=1)
    ok = (total > 0) & ~np.any(lam >= 1.0 - ROW_TOL, axis=1)
    out: dict[str, Any] = {}
    if ok.any():
        a = auth[ok] / total[ok, None]
        M = np.eye(n)[None, :, :] - lam[ok, :, None] * W[ok]
        y = np.linalg.solve(np.transpose(M, (0, 2, 1)), a[:, :, None])[:, :, 0]
        share = np.clip(y * (1.0 - lam[ok]), 0.0, None)
        share /= share.sum(axis=1, keepdims=True)
        learning = np.array([d.function in LEARNING_FUNCTIONS for d in depts])
        lshare = share[:, learning].sum(axis=1)
        computed = {
            "learning_share": lshare,
            "learning_driven": lshare >= threshold[ok],
            "top_driver": np.asarray(ids, dtype=object)[np.argmax(share, axis=1)],
            "group_position": np.einsum("ij,ij->i", share, columns["position"][ok]),
        }
        for meas in measures:
            column = np.empty(m, dtype=object)
            column[ok] = computed[meas.attribute]
            out[meas.name] = column
    frame = pd.DataFrame(out, index=variants.index)
    for meas in measures:
        kind = {"learning_share": float, "group_position": float, "learning_driven": bool}
        if meas.attribute in kind and ok.all():
            frame[meas.name] = frame[meas.name].astype(kind[meas.attribute])
    return frame, ok


SCHEDULE_ATTRIBUTES = ("p50", "p80", "mean", "on_time_probability")


def applies_schedule(measures: Sequence[Any]) -> bool:
    """True when every measure reads a percentile, the mean or P(on time) of the schedule."""
    return bool(measures) and all(
        m.model == "simulate_schedule" and m.attribute in SCHEDULE_ATTRIBUTES for m in measures
    )


def schedule_batch(
    base: Mapping[str, Any],
    factors: Sequence[Factor],
    measures: Sequence[Any],
    variants: pd.DataFrame,
    params: Mapping[str, Mapping[str, Any]],
    seed: int | None,
) -> pd.DataFrame:
    """The schedule measures of each variant, equal to ``simulate_schedule``'s (module text)."""
    from lmsdecide.explore.measures import iter_variants, param_values
    from lmsdecide.registry import get_model
    from lmsdecide.timing import PARTNER_PARAMS, timing_inputs
    from lmsdecide.timing._common import as_generator
    from lmsdecide.timing.schedule import draw, evaluate, model_kwargs

    spec = get_model("simulate_schedule")
    fixed = dict(params.get("simulate_schedule", {}))
    cache: dict[tuple[bytes, bytes, bytes, int, str, int], Any] = {}
    columns: dict[str, list[float]] = {m.name: [] for m in measures}
    for row, scenario in iter_variants(base, factors, variants):
        # this path runs the model's steps without calling it: the registry checks the arguments
        values = spec.arguments({**fixed, **param_values(factors, row, "simulate_schedule")})
        inputs = timing_inputs(scenario, **{k: values[k] for k in PARTNER_PARAMS.names})
        n = int(values["n"])
        key = (
            inputs.optimistic.tobytes(),
            inputs.likely.tobytes(),
            inputs.pessimistic.tobytes(),
            n,
            values["engine"],
            values["replicates"],
        )
        draws = cache.get(key) if seed is not None else None
        if draws is None:
            draws = draw(inputs, n, as_generator(seed), values["engine"], values["replicates"])
            if seed is not None:
                cache[key] = draws
        ev = evaluate(
            inputs,
            draws,
            np.asarray(inputs.engagement),
            values["rework_capacity"],
            **model_kwargs(values),
        )
        p50, p80 = np.percentile(ev.completion, [50.0, 80.0], axis=0)
        found = {
            "p50": float(p50),
            "p80": float(p80),
            "mean": float(ev.completion.mean()),
            "on_time_probability": float(np.mean(ev.completion <= inputs.launch_target)),
        }
        for m in measures:
            value = found[m.attribute]
            if m.offset is not None:
                value = value - float(getattr(scenario, m.offset))
            columns[m.name].append(value)
    return pd.DataFrame(columns, index=variants.index)
