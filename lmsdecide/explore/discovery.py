"""Scenario discovery: which combinations of inputs lead to a bad outcome, as readable rules.

PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used for scenario discovery
(Bryant & Lempert 2010), from the EMA Workbench (Kwakkel 2017, ``ema_workbench.analysis.prim``)
rather than a new implementation. Given the sweep's inputs X and a yes/no outcome y (a variant
"of interest", for example P80 past the launch target), PRIM peels thin slices off a box in
input space while the share of cases of interest inside it (the **density**) rises, then pastes
back what helps; each box is a conjunction of ranges ("IT engaged at or after design, and the
partner is a reseller").

For each box:

* **density** = cases of interest in the box / variants in the box: "78% of such variants miss
  the target";
* **coverage** = cases of interest in the box / all cases of interest: how much of the problem
  the rule explains;
* **mass** = variants in the box / all variants.

Boxes are found one after another on the variants not yet explained (the EMA default). Ordered
choices (engagement phases, yes/no) enter PRIM as their position (so rules read "at or after
design"); other choices as categories; numbers as they are.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lmsdecide.explore.space import Space
from lmsdecide.explore.sweeps import SweepResult
from lmsdecide.results import ArrayEq

__all__ = ["Box", "DiscoveryResult", "Restriction", "discover"]


@dataclass(frozen=True)
class Restriction:
    """One condition of a box: a factor limited to a range or to some values.

    ``low``/``high`` for numbers (None when only one side is restricted); ``values`` for choices
    (in the factor's order).
    """

    factor: str
    label: str
    kind: str
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] = ()
    ordered: bool = False
    unit: str = ""

    def text(self) -> str:
        """The condition in words."""
        if self.kind in ("float", "int"):
            fmt = "{:.0f}" if self.kind == "int" else "{:.3g}"
            unit = f" {self.unit}" if self.unit and self.unit != "share" else ""
            if self.low is not None and self.high is not None:
                return (
                    f"{self.label} between {fmt.format(self.low)} and {fmt.format(self.high)}{unit}"
                )
            if self.low is not None:
                return f"{self.label} at least {fmt.format(self.low)}{unit}"
            return f"{self.label} at most {fmt.format(self.high)}{unit}"
        shown = [
            ("yes" if v else "no") if isinstance(v, (bool, np.bool_)) else str(v)
            for v in self.values
        ]
        if self.kind == "bool" and len(shown) == 1:
            return f"{self.label}: {shown[0]}"
        if self.ordered and len(shown) > 1 and self.low is not None and self.high is None:
            return f"{self.label} {shown[0]} or later"
        if self.ordered and len(shown) > 1 and self.high is not None and self.low is None:
            return f"{self.label} {shown[-1]} or earlier"
        if len(shown) == 1:
            return f"{self.label} {shown[0]}"
        if self.ordered and len(shown) > 2:
            return f"{self.label} {shown[0]} to {shown[-1]}"
        return f"{self.label} {', '.join(shown[:-1])} or {shown[-1]}"


@dataclass(frozen=True)
class Box:
    """A discovered box: its conditions and how well it picks out the cases of interest."""

    restrictions: tuple[Restriction, ...]
    density: float
    coverage: float
    mass: float
    n: int
    n_interest: int
    outcome: str

    def rule(self) -> str:
        """The box as one readable sentence."""
        conditions = " and ".join(r.text() for r in self.restrictions) or "any variant"
        return (
            f"{conditions} → {self.density:.0%} of such variants {self.outcome} "
            f"({self.n_interest} of {self.n}; {self.coverage:.0%} of all cases)"
        )


@dataclass(frozen=True, eq=False)
class DiscoveryResult(ArrayEq):
    """PRIM boxes on a sweep.

    Attributes
    ----------
    boxes
        Boxes in the order found (the first explains most).
    outcome
        Words for the outcome of interest (``"miss the target"``).
    n, n_interest, base_rate
        Variants, cases of interest, and their share (the density of "any variant").
    trajectory
        The first box's peeling trajectory: ``coverage``, ``density``, ``mass``, ``res_dim``
        for each step (the trade-off an analyst may pick another point from).
    space
        The factors PRIM looked at.
    """

    boxes: tuple[Box, ...]
    outcome: str
    n: int
    n_interest: int
    base_rate: float
    trajectory: pd.DataFrame
    space: Space
    threshold: float

    def rules(self) -> list[str]:
        """One sentence per box."""
        return [b.rule() for b in self.boxes]

    def to_frame(self) -> pd.DataFrame:
        """One row per box and restriction: box, rule, factor, condition, density, coverage."""
        rows = []
        for i, b in enumerate(self.boxes):
            for r in b.restrictions or (None,):
                rows.append(
                    {
                        "box": i,
                        "factor": r.factor if r else "",
                        "condition": r.text() if r else "any variant",
                        "density": b.density,
                        "coverage": b.coverage,
                        "mass": b.mass,
                        "n": b.n,
                        "n_interest": b.n_interest,
                    }
                )
        return pd.DataFrame(rows)


def _prim_inputs(frame: pd.DataFrame, space: Space) -> pd.DataFrame:
    x: dict[str, Any] = {}
    for f in space.factors:
        column = frame[f.name]
        # whole numbers and ordered codes go in as floats: EMA's pasting of integer columns
        # fails under pandas 3 (it writes a float limit into an int64 frame); the limits are
        # rounded back inwards in _restrictions.
        if f.kind in ("float", "int"):
            x[f.name] = column.to_numpy(dtype=float)
        elif f.ordered:
            x[f.name] = f.code(column.tolist())
        else:
            x[f.name] = pd.Categorical(column.astype(str), categories=[str(c) for c in f.choices])
    return pd.DataFrame(x)


def _restrictions(
    box_lim: pd.DataFrame, init: pd.DataFrame, space: Space
) -> tuple[Restriction, ...]:
    out = []
    for f in space.factors:
        if f.name not in box_lim.columns:
            continue
        lo, hi = box_lim[f.name].iloc[0], box_lim[f.name].iloc[1]
        lo0, hi0 = init[f.name].iloc[0], init[f.name].iloc[1]
        if f.kind in ("float", "int"):
            low = float(lo) if lo > lo0 else None
            high = float(hi) if hi < hi0 else None
            if f.kind == "int":
                low = float(np.ceil(low)) if low is not None else None
                high = float(np.floor(high)) if high is not None else None
            if low is None and high is None:
                continue
            out.append(Restriction(f.name, f.label, f.kind, low, high, unit=f.unit))
        elif f.ordered:
            first, last = int(np.ceil(lo)), int(np.floor(hi))
            if first <= lo0 and last >= hi0:
                continue
            values = tuple(f.choices[first : last + 1])
            lo, hi = float(first), float(last)
            out.append(
                Restriction(
                    f.name,
                    f.label,
                    f.kind,
                    low=float(lo) if lo > lo0 else None,
                    high=float(hi) if hi < hi0 else None,
                    values=values,
                    ordered=True,
                )
            )
        else:
            kept = {str(v) for v in lo}
            if kept >= {str(v) for v in lo0}:
                continue
            values = tuple(c for c in f.choices if str(c) in kept)
            out.append(Restriction(f.name, f.label, f.kind, values=values))
    return tuple(out)


def discover(
    sweep_result: SweepResult,
    outcome: str | Sequence[bool] | npt.NDArray[np.bool_] | pd.Series,
    *,
    outcome_label: str | None = None,
    factors: Sequence[str] | None = None,
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_boxes: int = 3,
) -> DiscoveryResult:
    """Find boxes of inputs where the outcome of interest concentrates (EMA Workbench PRIM).

    Parameters
    ----------
    sweep_result
        A sweep (its factors are PRIM's inputs).
    outcome
        Which variants are of interest: a boolean column name of the sweep's frame, an
        expression on its columns (``"late_p80 > 0"``, ``"~learning_driven"``; pandas
        ``DataFrame.eval``), or one boolean per variant.
    outcome_label
        Words for the rule ("miss the target"); default: the expression.
    factors
        Restrict the inputs PRIM may use (default: every factor of the sweep).
    threshold
        Density a box must reach to be kept (EMA's ``threshold``).
    peel_alpha, paste_alpha, mass_min
        PRIM's settings (the EMA defaults).
    max_boxes
        Stop after this many boxes.

    Raises
    ------
    ValueError
        An outcome that is not yes/no per variant, or that no variant (or every variant) meets.
    """
    frame = sweep_result.frame
    values: Any
    if isinstance(outcome, str):
        if outcome in frame.columns:
            values = frame[outcome]
        else:
            try:
                values = frame.eval(outcome)
            except Exception as exc:
                raise ValueError(f"outcome {outcome!r}: cannot evaluate ({exc})") from None
        label = outcome_label or f"have {outcome}"
    else:
        values = pd.Series(np.asarray(outcome))
        label = outcome_label or "are of interest"
    y = np.asarray(values)
    if y.shape != (len(frame),) or not (y.dtype == bool or set(np.unique(y)) <= {0, 1}):
        raise ValueError(f"outcome: must be yes/no, one per variant ({len(frame)}), got {y.dtype}")
    y = y.astype(bool)
    n_interest = int(y.sum())
    if n_interest == 0 or n_interest == len(y):
        share = "no" if n_interest == 0 else "every"
        raise ValueError(f"outcome: {share} variant is of interest; nothing to discover")
    if factors is None:
        space = sweep_result.space
    else:
        space = Space(tuple(sweep_result.space[name] for name in factors))
    varying = tuple(f for f in space.factors if frame[f.name].nunique() > 1)
    if not varying:
        raise ValueError("factors: none of them varies in the sweep")
    space = Space(varying)
    x = _prim_inputs(frame, space)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.WARNING)
        logging.getLogger("EMA.ema_workbench.analysis.prim").setLevel(logging.WARNING)
        algorithm = prim.Prim(
            x,
            y.astype(int),
            threshold=threshold,
            peel_alpha=peel_alpha,
            paste_alpha=paste_alpha,
            mass_min=mass_min,
        )
        init = algorithm.box_init
        boxes: list[Box] = []
        trajectory = pd.DataFrame()
        for _ in range(max_boxes):
            found = algorithm.find_box()
            if found is None:
                break
            restrictions = _restrictions(found.box_lim, init, space)
            if not restrictions:  # the "dump box": the rest, nothing more to explain
                break
            in_box = np.asarray(found.yi)
            k = int(y[in_box].sum())
            if not boxes:
                trajectory = found.peeling_trajectory[
                    ["coverage", "density", "mass", "res_dim"]
                ].reset_index(drop=True)
            boxes.append(
                Box(
                    restrictions=restrictions,
                    density=k / len(in_box),
                    coverage=k / n_interest,
                    mass=len(in_box) / len(y),
                    n=len(in_box),
                    n_interest=k,
                    outcome=label,
                )
            )
    return DiscoveryResult(
        boxes=tuple(boxes),
        outcome=label,
        n=len(y),
        n_interest=n_interest,
        base_rate=n_interest / len(y),
        trajectory=trajectory,
        space=space,
        threshold=threshold,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
