"""Randomised quasi-Monte Carlo for the schedule model: scrambled Sobol points, inverse CDFs.

**Points.** One draw of :func:`~lmsdecide.timing.simulate_schedule` needs ``d = K + 4``
uniform numbers (K phases): the black-swan indicator, the black-swan size, the overrun's normal,
the escalation percentile, then one per phase, in that order (Sobol's first coordinates are the
most evenly spread, so the inputs that move go-live most come first). Plain Monte Carlo takes
them from a pseudo-random generator; the quasi-random engine takes them from a Sobol sequence
(Sobol 1967; direction numbers of Joe & Kuo 2008, as :class:`scipy.stats.qmc.Sobol` ships them),
randomised by the scrambling scipy's ``scramble=True`` applies (a random linear matrix scramble
plus a digital shift, Matoušek 1998; Owen 1995 for scrambled nets), here for all replicates at
once (:func:`sobol_uniforms`): every point is then uniform on the unit cube, so each estimate is
unbiased, while the points of one scramble stay evenly spread.

**Replicates.** ``R`` independent scrambles (``replicates``, 16 by default) of ``2**k``
points each, ``R * 2**k >= n`` (the requested ``n`` is rounded up: Sobol's balance holds for
powers of two only). The estimates (mean, P50, P80, on-time probability) are computed on all the
points; their standard error is the spread of the ``R`` per-replicate estimates, ``s_R /
sqrt(R)`` (L'Ecuyer & Lemieux 2002; L'Ecuyer 2018). Plain Monte Carlo gets the same split of its
draws into ``R`` batches (batch means), so both engines report comparable standard errors. With
R = 16 a standard error is itself uncertain by about +-18 % (chi distribution, 15 degrees of
freedom).

**Inverse CDFs.** Normal: :func:`scipy.special.ndtri`. Black-swan size: the truncated Pareto's
closed-form inverse (already used by Monte Carlo). Escalation: u itself (the log-uniform growth
is an inverse CDF of u). Beta-PERT: a table per phase shape (:func:`pert_table`), read by linear
interpolation in the variable ``t(p) = (2p)**(1/8) / 2`` below the median (mirrored above):
a beta-PERT quantile behaves like ``p**(1/alpha)`` near 0 and ``1 - (1 - p)**(1/beta)`` near 1
with alpha, beta in [1, 5], so it is ``t**(8/alpha)`` there, smooth in t (an eighth root is three
square roots: cheap). With :data:`PERT_TABLE_CELLS` = 2048 cells the largest difference from
:func:`scipy.stats.beta.ppf` is 2.3e-6 of the range ``b - a`` (measured over 41 shapes from
``m = a`` to ``m = b`` and 101,599 probabilities, including 1e-12 from either end);
:data:`PERT_TABLE_ERROR` = 1e-5 is the bound the tests check (a 10-week range: 0.0001 weeks).
"""

from __future__ import annotations

import contextlib
import functools
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from lmsdecide.timing.pert import pert_shape

__all__ = [
    "PERT_TABLE_CELLS",
    "PERT_TABLE_ERROR",
    "REPLICATE_STATISTICS",
    "pert_ppf",
    "pert_table",
    "qmc_points",
    "replicate_errors",
    "rounded_draws",
    "sobol_uniforms",
]

#: Cells of each beta-PERT inverse-CDF table (uniform in t, see the module docstring).
PERT_TABLE_CELLS = 2048
#: Bound on |table - scipy.stats.beta.ppf| as a share of the range b - a (tested; measured 2.3e-6).
PERT_TABLE_ERROR = 1e-5
#: Statistics whose standard error the replicates estimate.
REPLICATE_STATISTICS = ("mean", "p50", "p80", "on_time_probability")
# Bits of each Sobol coordinate (scipy's default): points are multiples of 2**-30.
_BITS = 30


def _t_to_p(t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Inverse of :func:`_p_to_t`."""
    lower = (2.0 * np.minimum(t, 1.0 - t)) ** 8 / 2.0
    return np.where(t < 0.5, lower, 1.0 - lower)


def _p_to_t(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """t(p) = (2p)**(1/8) / 2 below 1/2, mirrored above: the table's lookup variable."""
    h = np.minimum(p, 1.0 - p)
    h *= 2.0
    for _ in range(3):  # three square roots: the eighth root, far faster than np.power
        np.sqrt(h, out=h)
    h *= 0.5
    return np.where(p < 0.5, h, 1.0 - h)


@functools.lru_cache(maxsize=1024)
def pert_table(alpha: float, beta: float) -> NDArray[np.float64]:
    """Beta(alpha, beta) quantiles at ``p = t_to_p(i / PERT_TABLE_CELLS)``, i = 0..cells.

    Parameters
    ----------
    alpha, beta
        Beta shape parameters (beta-PERT: each in [1, 5], :func:`~lmsdecide.timing.pert_shape`).

    Returns
    -------
    ndarray
        ``PERT_TABLE_CELLS + 1`` quantiles on [0, 1] (read-only; cached per shape), from
        :func:`scipy.special.betaincinv`, the inverse regularised incomplete beta function
        (what :func:`scipy.stats.beta.ppf` computes, identical on every shape of [1, 5]²; its
        import is 0.2 s where ``scipy.stats``' is 0.6-1 s, on a dashboard's first screen).
    """
    from scipy import special  # imported on first use: importing lmsdecide stays light

    t = np.linspace(0.0, 1.0, PERT_TABLE_CELLS + 1)
    values = np.asarray(special.betaincinv(alpha, beta, _t_to_p(t)), dtype=float)
    values[0], values[-1] = 0.0, 1.0
    values.flags.writeable = False
    return values


def pert_ppf(
    u: NDArray[np.float64],
    a: NDArray[np.float64],
    m: NDArray[np.float64],
    b: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Beta-PERT quantiles of ``u`` by table (error below :data:`PERT_TABLE_ERROR` of b - a).

    Parameters
    ----------
    u
        Probabilities in [0, 1], shape ``(n, K)``: column k is read with phase k's estimate.
    a, m, b
        Optimistic, most likely, pessimistic durations per phase (weeks), shape ``(K,)``.

    Returns
    -------
    ndarray
        Durations in weeks, shape ``(n, K)``, within [a, b]; vectorised (one table per phase).
    """
    alpha, beta = pert_shape(a, m, b)
    alpha, beta = np.atleast_1d(alpha), np.atleast_1d(beta)
    tables = np.concatenate(
        [pert_table(float(x), float(y)) for x, y in zip(alpha, beta, strict=True)]
    )
    cells = PERT_TABLE_CELLS
    s = _p_to_t(np.asarray(u, dtype=float))
    s *= cells
    i = np.minimum(s.astype(np.intp), cells - 1)
    s -= i  # the fraction within the cell
    i += np.arange(alpha.size) * (cells + 1)  # each phase reads its own table
    lo = tables[i]
    out = tables[i + 1]
    out -= lo
    out *= s
    out += lo
    out *= np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    out += np.asarray(a, dtype=float)
    return out


def rounded_draws(n: int, replicates: int) -> int:
    """Points per scramble: the smallest power of two with ``replicates * 2**k >= n``."""
    return 1 << max(0, math.ceil(math.log2(math.ceil(n / replicates))))


@functools.lru_cache(maxsize=64)
def _sobol_integers(d: int, k: int) -> NDArray[np.uint32]:
    """The first ``2**k`` unscrambled Sobol points as 30-bit integers, shape ``(2**k, d)``.

    Computed by :class:`scipy.stats.qmc.Sobol` and kept on disk (:func:`_sobol_cache_file`):
    the points are fixed for a scipy version, and importing ``scipy.stats`` (0.6-1 s) was
    most of a timing dashboard's first screen. A missing, unreadable or malformed file is
    computed again; one that cannot be written is not kept.
    """
    path = _sobol_cache_file(d, k)
    if path is not None:
        try:
            cached = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            cached = None
        if cached is not None and cached.shape == (1 << k, d) and cached.dtype == np.uint32:
            cached.flags.writeable = False
            return cached
    from scipy.stats import qmc

    points = qmc.Sobol(d, scramble=False, bits=_BITS).random_base2(k)
    out = np.asarray(np.rint(points * 2.0**_BITS), dtype=np.uint32)
    out.flags.writeable = False
    if path is not None:
        _keep(path, out)
    return out


def _keep(path: Path, points: NDArray[np.uint32]) -> None:
    """Write ``points`` to ``path`` (:func:`~lmsdecide._files.write_atomic`: each writer through
    a temporary file of its own, renamed into place, so two threads or processes computing the
    same points never write into one file and a reader finds the whole array or none).
    Nothing is kept when the folder cannot be written."""
    import io

    from lmsdecide._files import write_atomic

    buffer = io.BytesIO()
    np.save(buffer, points, allow_pickle=False)
    with contextlib.suppress(OSError):
        write_atomic(path, buffer.getvalue())


def _sobol_cache_file(d: int, k: int) -> Path | None:
    """Where :func:`_sobol_integers` keeps its points: ``<cache>/sobol/`` named by scipy's
    version, ``d``, ``k`` and the bits (``<cache>``: :func:`lmsdecide._env.cache_dir`, where
    ``lmsdecide present`` keeps plotly's bundle too). None without scipy."""
    import importlib.metadata

    from lmsdecide._env import cache_dir

    try:
        version = importlib.metadata.version("scipy")
    except importlib.metadata.PackageNotFoundError:
        return None
    return cache_dir() / "sobol" / f"sobol-scipy{version}-d{d}-k{k}-b{_BITS}.npy"


def _scramble_tables(
    d: int, groups: int, replicates: int, rng: np.random.Generator
) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """Random linear matrix scrambles and digital shifts, as byte lookup tables.

    A scramble of one coordinate maps the bit vector x (most significant first) to L x + e over
    GF(2), L lower triangular with a unit diagonal, e a random shift (Matoušek 1998). Column l of
    L is an integer mask: bit l set, the bits below it random. Output: ``tables`` of shape
    ``(replicates, d * groups * 256)``, the XOR of the columns selected by each byte of x (byte
    g holds bits 8g..8g+7 from the top), and ``shifts`` of shape ``(replicates, 1, d)``.
    """
    columns = np.arange(8 * groups)
    below = np.left_shift(1, np.maximum(_BITS - 1 - columns, 0)).astype(np.int64)
    raw = rng.integers(0, 1 << _BITS, size=(replicates, d, 8 * groups), dtype=np.int64)
    masks = np.where(columns < _BITS, (raw & (below - 1)) | below, 0).astype(np.uint32)
    masks = masks.reshape(replicates, d, groups, 8)
    # doubling: entries 2**j .. 2**(j+1) - 1 are entries 0 .. 2**j - 1 with byte bit j set,
    # and byte bit j (from the bottom) selects column 7 - j of the group
    tables = np.zeros((replicates, d, groups, 1), dtype=np.uint32)
    for j in range(8):
        tables = np.concatenate([tables, tables ^ masks[..., 7 - j, None]], axis=-1)
    shifts = rng.integers(0, 1 << _BITS, size=(replicates, 1, d), dtype=np.int64)
    return tables.reshape(replicates, -1), shifts.astype(np.uint32)


def sobol_uniforms(
    d: int, per_replicate: int, replicates: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """``replicates`` independent scrambles of the first ``per_replicate`` Sobol points.

    The points are :class:`scipy.stats.qmc.Sobol`'s (unscrambled, computed once per size); each
    replicate applies its own random linear matrix scramble and digital shift, the
    randomisation scipy's ``scramble=True`` applies (Matoušek 1998), here to all replicates at
    once through byte lookup tables: creating one scrambled scipy engine per replicate costs
    about 0.5 ms, more than a whole 2,000-draw simulation.

    Parameters
    ----------
    d
        Dimension (uniform numbers per draw).
    per_replicate
        Points per scramble, a power of two (Sobol's balance holds for powers of two).
    replicates
        Number of independent scrambles.
    rng
        The seeded generator (the same seed gives the same points).

    Returns
    -------
    ndarray
        Shape ``(replicates * per_replicate, d)``, replicate after replicate, strictly inside
        (0, 1): each point is moved to the centre of its 2**-30 cell (the points are multiples
        of 2**-30 and could be 0, where an inverse CDF is infinite).

    Raises
    ------
    ValueError
        When ``per_replicate`` is not a power of two.
    """
    k = per_replicate.bit_length() - 1
    if per_replicate < 1 or per_replicate != 1 << k:
        raise ValueError(f"per_replicate: must be a power of two, got {per_replicate}")
    base = _sobol_integers(d, k)  # only the top k of the 30 bits can be set
    groups = max(1, -(-k // 8))
    tables, shifts = _scramble_tables(d, groups, replicates, rng)
    out = np.broadcast_to(shifts, (replicates, per_replicate, d)).copy()
    column = np.arange(d, dtype=np.intp) * groups
    for g in range(groups):  # at most 4 byte groups
        width = min(8, _BITS - 8 * g)  # the last group may hold fewer than 8 bits
        low = _BITS - 8 * g - width
        index = ((base >> np.uint32(low)) & np.uint32((1 << width) - 1)).astype(np.intp)
        index <<= 8 - width  # the group's bits at the top of the byte, as the tables read them
        index += (column + g) * 256
        out ^= tables[:, index]
    uniforms = out.astype(np.float64)
    uniforms *= 0.5**_BITS
    uniforms += 0.5 ** (_BITS + 1)
    return uniforms.reshape(replicates * per_replicate, d)


def qmc_points(
    n: int, n_phases: int, replicates: int, rng: np.random.Generator
) -> dict[str, NDArray[np.float64]]:
    """The uniform inputs of ``R * 2**k >= n`` draws from scrambled Sobol points.

    Returns
    -------
    dict
        ``tail`` and ``v`` (black-swan indicator and size), ``z`` (standard normal, by
        ``ndtri``), ``u`` (escalation percentile), each ``(N,)``, and ``p`` ``(N, n_phases)``,
        the phases' probabilities for :func:`pert_ppf`.
    """
    from scipy import special

    per = rounded_draws(n, replicates)
    points = sobol_uniforms(n_phases + 4, per, replicates, rng)
    return {
        "tail": points[:, 0],
        "v": points[:, 1],
        "z": special.ndtri(points[:, 2]),
        "u": points[:, 3],
        "p": points[:, 4:],
    }


def replicate_errors(
    completion: NDArray[np.float64], launch_target: float, replicates: int
) -> dict[str, float]:
    """Standard errors of the mean, P50, P80 and on-time probability from ``R`` replicates.

    The draws are split into ``replicates`` consecutive equal blocks (the scrambles of the
    quasi-random engine; batches of Monte Carlo draws, whose last ``n mod R`` draws are left
    out of the split); each statistic's standard error is the standard deviation of its
    ``R`` block values over ``sqrt(R)`` (same units as the statistic: weeks, or a probability).
    """
    per = completion.size // replicates
    blocks = np.asarray(completion[: per * replicates]).reshape(replicates, per)
    p50, p80 = np.percentile(blocks, [50.0, 80.0], axis=1)
    values = {
        "mean": blocks.mean(axis=1),
        "p50": p50,
        "p80": p80,
        "on_time_probability": (blocks <= launch_target).mean(axis=1),
    }
    root = math.sqrt(replicates)
    return {name: float(np.std(v, ddof=1) / root) for name, v in values.items()}
