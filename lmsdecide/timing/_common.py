"""Shared helpers of the timing models: result equality with arrays, read-only arrays, seeds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ResultEq", "as_generator", "frozen_array", "values_equal"]


def values_equal(a: Any, b: Any) -> bool:
    """Equality that treats arrays, DataFrames, mappings and NaN the way a test means it."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a_arr, b_arr = np.asarray(a), np.asarray(b)
        if a_arr.shape != b_arr.shape:
            return False
        try:
            return bool(np.array_equal(a_arr, b_arr, equal_nan=True))
        except TypeError:  # non-numeric arrays cannot hold NaN
            return bool(np.array_equal(a_arr, b_arr))
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and a.equals(b)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if is_dataclass(a) and is_dataclass(b) and not isinstance(a, type):
        return type(a) is type(b) and all(
            values_equal(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
        )
    return bool(a == b)


class ResultEq:
    """Mixin for frozen result dataclasses holding arrays or DataFrames.

    Declare the dataclass with ``eq=False`` so this ``__eq__`` is kept: two results are equal
    when every field is equal (arrays element by element, DataFrames with ``DataFrame.equals``).
    """

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other) or not is_dataclass(self):
            return NotImplemented
        return all(
            values_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
        )

    __hash__ = None  # type: ignore[assignment]


def frozen_array(values: Any, dtype: Any = float) -> np.ndarray:
    """A read-only copy of ``values`` as a numpy array."""
    out = np.array(values, dtype=dtype, copy=True)
    out.flags.writeable = False
    return out


def as_generator(
    seed: int | np.random.Generator | np.random.SeedSequence | None,
) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed (``None`` draws fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not (
        seed is None or isinstance(seed, (int, np.integer, np.random.SeedSequence))
    ):
        raise ValueError(f"seed: must be a whole number, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)
