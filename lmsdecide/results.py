"""Equality for frozen result dataclasses that hold numpy arrays or pandas DataFrames.

Every model package declares its results ``@dataclass(frozen=True, eq=False)`` with the
:class:`ArrayEq` mixin, so that two runs can be compared with ``==`` (the conformance checks
of :mod:`lmsdecide.testing` use :func:`values_equal` to check that the same seed gives equal
results). Bottom layer: imports nothing from ``lmsdecide``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lmsdecide._lazy import lazy_module

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = ["ArrayEq", "values_equal"]


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


class ArrayEq:
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
