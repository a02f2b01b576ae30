"""Benchmark: lmsdecide.partner against its peers on the same inputs, in one run.

    .venv/bin/python bench/bench_partner.py

TOPSIS and the weighted sum against pymcdm (TOPSIS with vector normalisation, WSM with min-max
normalisation); AHP weights and CR against ahpy (same random-index table). For each case: the
largest absolute difference in the answers, the median time per call of each, and the ratio
(peer time / lmsdecide time; above 1 means lmsdecide is faster). pymcdm is timed with
``validation=False`` (its input checks, which include an O(m^2) dominance scan, switched off),
so the comparison is of the arithmetic; lmsdecide's own input validation stays on. Also times
the exact "whose weights win" solve on the bundled it_led scenario. Timing assertions are never
made in tests; this script only reports.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from _harness import Row, print_rows, repeats, row, sample, sample_pair

import lmsdecide as L
from lmsdecide.influence import who_drives
from lmsdecide.partner import ahp_weights, topsis, weighted_sum, whose_weights_win_from_shares

SUITE = "models"


def _problem(rng: np.random.Generator, m: int, n: int) -> tuple[np.ndarray, ...]:
    x = rng.uniform(1.0, 100.0, size=(m, n))
    w = rng.dirichlet(np.ones(n))
    b = rng.random(n) < 0.6
    return x, w, b


def _reciprocal(rng: np.random.Generator, n: int) -> np.ndarray:
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = rng.choice(scale, size=len(iu[0]))
    a[(iu[1], iu[0])] = 1 / a[iu]
    return a


def run() -> list[Row]:
    """Measure and return the partner rows (TOPSIS, weighted sum, AHP, whose weights win)."""
    from pymcdm.methods import TOPSIS, WSM
    from pymcdm.normalizations import minmax_normalization, vector_normalization

    warnings.simplefilter("ignore")
    import ahpy

    rng = np.random.default_rng(2024)
    rows: list[Row] = []
    rep = repeats(15)

    peer_topsis, peer_wsm = TOPSIS(vector_normalization), WSM(minmax_normalization)
    for m, n in ((4, 6), (50, 10), (1000, 20)):
        x, w, b = _problem(rng, m, n)
        types = np.where(b, 1, -1)
        ours = topsis(x, w, b)
        theirs = peer_topsis(x, w, types)
        ours_t, peer_t = sample_pair(
            lambda x=x, w=w, b=b: topsis(x, w, b),
            lambda x=x, w=w, t=types: peer_topsis(x, w, t, validation=False),
            rep,
        )
        rows.append(
            row(
                SUITE,
                f"topsis {m}x{n}",
                ours_t,
                baseline=peer_t,
                baseline_name="pymcdm.TOPSIS (validation=False)",
                note=f"max |diff| {float(np.max(np.abs(ours - theirs))):.1e}",
                unit="µs",
                scale=1e6,
            )
        )
        ours = weighted_sum(x, w, b)
        theirs = peer_wsm(x, w, types)
        ours_t, peer_t = sample_pair(
            lambda x=x, w=w, b=b: weighted_sum(x, w, b),
            lambda x=x, w=w, t=types: peer_wsm(x, w, t, validation=False),
            rep,
        )
        rows.append(
            row(
                SUITE,
                f"weighted_sum {m}x{n}",
                ours_t,
                baseline=peer_t,
                baseline_name="pymcdm.WSM (validation=False)",
                note=f"max |diff| {float(np.max(np.abs(ours - theirs))):.1e}",
                unit="µs",
                scale=1e6,
            )
        )

    house = np.array(
        [
            [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
            [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
            [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
            [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
            [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
            [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
            [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
            [4, 7, 5, 8, 6, 6, 2, 1],
        ]
    )
    for label, a in (("saaty house 8", house), ("random 5", _reciprocal(rng, 5)),
                     ("random 12", _reciprocal(rng, 12))):  # fmt: skip
        n = a.shape[0]
        names = [f"c{k}" for k in range(n)]
        comps = {(names[i], names[j]): float(a[i, j]) for i in range(n) for j in range(i + 1, n)}

        def peer(comps: dict[tuple[str, str], float] = comps) -> Any:
            return ahpy.Compare("x", comps, precision=12, random_index="saaty")

        def ours_call(a: np.ndarray = a) -> Any:
            return ahp_weights(a, random_index_table="saaty2005")

        p, o = peer(), ours_call()
        diff = max(
            float(np.max(np.abs(o.weights - np.array([p.local_weights[k] for k in names])))),
            abs(o.cr - p.consistency_ratio),
        )
        ours_t, peer_t = sample_pair(ours_call, peer, rep)
        rows.append(
            row(
                SUITE,
                f"ahp_weights {label}",
                ours_t,
                baseline=peer_t,
                baseline_name="ahpy.Compare (precision 12, Saaty RI)",
                note=f"max |diff| of weights and CR {diff:.1e}",
                unit="µs",
                scale=1e6,
            )
        )

    s = L.example("it_led")
    shares = who_drives(s).share
    for method in ("topsis", "weighted_sum"):
        r = whose_weights_win_from_shares(s, shares, method=method)
        t = sample(lambda m=method: whose_weights_win_from_shares(s, shares, method=m), rep)
        rows.append(
            row(
                SUITE,
                f"whose_weights_win it_led {method}",
                t,
                note=f"exact flip at drive share {r.flip_share:.4f}; no peer",
                unit="µs",
                scale=1e6,
            )
        )
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
