"""Benchmark: who_drives on random scenarios of 10 to 1000 departments.

Run: .venv/bin/python bench/bench_influence.py

Measures, in one run and on the same scenarios:

- ``who_drives``: the whole scenario-level model (builds W from the edge table, one LU
  factorisation of I − ΛW, a transposed and a plain solve).
- ``algebra``: only the drive share and final positions from W (drive_and_final).
- ``baseline``: the textbook route, V = inv(I − ΛW)(I − Λ) then aᵀV and V x0.
- ``fj``: friedkin_johnsen (forms the full V with solve, for the API result).

Reports the median of repeated calls (ms) and the baseline / lmsdecide ratio. The target from the
issue: who_drives on 200 departments under 5 ms. On a shared 2-core machine multi-threaded BLAS
jitters under load; ``OPENBLAS_NUM_THREADS=1`` gives steadier small-matrix timings.
"""

from __future__ import annotations

import itertools
import os
import statistics
import time

import numpy as np

from lmsdecide.influence import friedkin_johnsen, influence_matrix, who_drives
from lmsdecide.influence.network import drive_and_final
from lmsdecide.scenario import FUNCTIONS, validate_scenario


def random_scenario(n: int, seed: int = 0, out_degree: int = 4):
    rng = np.random.default_rng(seed)
    ids = [f"d{i}" for i in range(n)]
    departments = [
        {
            "id": d,
            "name": d,
            "function": FUNCTIONS[int(rng.integers(len(FUNCTIONS)))],
            "power": float(rng.random()),
            "interest": float(rng.random()),
            "legitimacy": float(rng.random()),
            "urgency": float(rng.random()),
            "authority": float(rng.exponential()),
            "susceptibility": float(rng.uniform(0.1, 0.95)),
            "position": float(rng.uniform(-1, 1)),
        }
        for d in ids
    ]
    edges = []
    for i in range(n):
        for j in rng.choice(n, size=min(out_degree, n), replace=False):
            edges.append({"from": ids[i], "to": ids[int(j)], "weight": float(rng.random())})
    return validate_scenario(
        {
            "name": f"random {n}",
            "launch_target": 40,
            "learners": 1000,
            "departments": departments,
            "influence": edges,
            "phases": [
                {
                    "id": "p0",
                    "name": "p0",
                    "duration": {"optimistic": 1, "likely": 2, "pessimistic": 3},
                    "escalation": {"low": 1, "high": 1},
                }
            ],
            "engagement": dict.fromkeys(ids, "p0"),
        }
    )


def timed(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def baseline(W, lam, a, x0):
    V = np.linalg.inv(np.eye(len(lam)) - lam[:, None] * W) @ np.diag(1 - lam)
    return a @ V, V @ x0


def main() -> None:
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"):
        print(f"{var}={os.environ.get(var, '(unset)')}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    header = (
        f"{'n':>6} {'who_drives':>11} {'algebra':>9} {'baseline':>9} {'fj (V)':>9} {'base/alg':>9}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for n in (10, 50, 200, 1000):
        s = random_scenario(n)
        W = influence_matrix(s)
        lam = np.array([d.susceptibility for d in s.departments])
        a = np.array([d.authority for d in s.departments])
        a = a / a.sum()
        x0 = np.array([d.position for d in s.departments])
        share, final, _ = drive_and_final(W, lam, a, x0)
        ref_share, ref_final = baseline(W, lam, a, x0)
        assert np.allclose(share, ref_share) and np.allclose(final, ref_final)
        repeat = 200 if n <= 200 else 20
        t_model = timed(lambda s=s: who_drives(s), repeat)
        t_alg = timed(lambda W=W, lam=lam, a=a, x0=x0: drive_and_final(W, lam, a, x0), repeat)
        t_base = timed(lambda W=W, lam=lam, a=a, x0=x0: baseline(W, lam, a, x0), repeat)
        t_fj = timed(lambda W=W, lam=lam, x0=x0: friedkin_johnsen(W, lam, x0), repeat)
        rows.append((n, t_model))
        print(
            f"{n:>6} {t_model:>10.3f}  {t_alg:>8.3f}  {t_base:>8.3f}  {t_fj:>8.3f}  "
            f"{t_base / t_alg:>8.2f}x"
        )
    print()
    for (n1, t1), (n2, t2) in itertools.pairwise(rows):
        print(
            f"growth {n1}->{n2}: x{t2 / t1:.1f} time for x{n2 / n1:.0f} size "
            f"(exponent {np.log(t2 / t1) / np.log(n2 / n1):.2f})"
        )
    t200 = dict(rows)[200]
    print(
        f"\nwho_drives at 200 departments: {t200:.3f} ms (target < 5 ms): "
        f"{'OK' if t200 < 5 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
