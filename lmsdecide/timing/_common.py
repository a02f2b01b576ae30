"""Shared helpers of the timing models: read-only arrays and seeds."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["as_generator", "frozen_array"]


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
