"""Benchmark: who_drives on random scenarios of 10 to 1000 departments.

Run: .venv/bin/python bench/bench_influence.py

Measures, in one run and on the same scenarios:

- ``who_drives``: the whole scenario-level model (builds W from the edge table, one LU
  factorisation of I − ΛW, a transposed and a plain solve).
- ``algebra``: only the drive share and final positions from W (drive_and_final).
- ``baseline``: the textbook route, V = inv(I − ΛW)(I − Λ) then aᵀV and V x0.
- ``fj``: friedkin_johnsen (forms the full V with solve, for the API result).

Reports the median of repeated calls (ms) and the baseline / lmsdecide ratio (model and baseline
measured interleaved), and the growth exponent of who_drives with size. Targets: who_drives on
1,000 departments under 1 s and on 200 under 5 ms.
On a shared 2-core machine multi-threaded BLAS jitters under load; ``OPENBLAS_NUM_THREADS=1``
gives steadier small-matrix timings.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os

import numpy as np
from _harness import Row, growth_exponent, print_rows, repeats, row, sample, sample_pair

from lmsdecide.influence import friedkin_johnsen, influence_matrix, who_drives
from lmsdecide.influence.network import drive_and_final
from lmsdecide.scenario import FUNCTIONS, validate_scenario

SUITE = "models"
SIZES = (10, 50, 200, 1000)


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


def baseline(W, lam, a, x0):
    V = np.linalg.inv(np.eye(len(lam)) - lam[:, None] * W) @ np.diag(1 - lam)
    return a @ V, V @ x0


def _blas_threads(n: int | None) -> contextlib.AbstractContextManager[object]:
    """Limit BLAS/LAPACK to ``n`` threads (threadpoolctl); ``None``: leave the default."""
    if n is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n)


def _thread_settings() -> list[tuple[str, int | None]]:
    settings: list[tuple[str, int | None]] = [("default BLAS threads", None)]
    if importlib.util.find_spec("threadpoolctl") is not None:
        settings.append(("1 BLAS thread", 1))
    return settings


def run() -> list[Row]:
    """Measure and return the who_drives rows (10 to 1,000 departments) and the growth.

    Each size is measured with the default BLAS threads and, when threadpoolctl is installed,
    with BLAS limited to one thread: on a loaded 2-core machine multi-threaded LAPACK on
    matrices of a few hundred rows waits for a busy core and is many times slower.
    """
    rows: list[Row] = []
    medians: dict[str, list[float]] = {}
    for n in SIZES:
        s = random_scenario(n)
        W = influence_matrix(s)
        lam = np.array([d.susceptibility for d in s.departments])
        a = np.array([d.authority for d in s.departments])
        a = a / a.sum()
        x0 = np.array([d.position for d in s.departments])
        share, final, _ = drive_and_final(W, lam, a, x0)
        ref_share, ref_final = baseline(W, lam, a, x0)
        assert np.allclose(share, ref_share) and np.allclose(final, ref_final)
        rep = repeats(15 if n <= 200 else 5)
        for label, threads in _thread_settings():
            with _blas_threads(threads):
                t_model, t_base = sample_pair(
                    lambda s=s: who_drives(s),
                    lambda W=W, lam=lam, a=a, x0=x0: baseline(W, lam, a, x0),
                    rep,
                )
                t_alg = sample(lambda W=W, lam=lam, a=a, x0=x0: drive_and_final(W, lam, a, x0), rep)
                t_fj = sample(lambda W=W, lam=lam, x0=x0: friedkin_johnsen(W, lam, x0), rep)
            med = float(np.median(t_model))
            cpu = float(np.median(t_model.cpu))
            medians.setdefault(label, []).append(med)
            target, holds, holds_cpu = "", None, None
            if n == 1000:
                target, holds, holds_cpu = "< 1 s", med < 1.0, cpu < 1.0
            elif n == 200:
                target, holds, holds_cpu = "< 5 ms", med < 0.005, cpu < 0.005
            rows.append(
                row(
                    SUITE,
                    f"who_drives {n} departments, {label}",
                    t_model,
                    baseline=t_base,
                    baseline_name="textbook V = inv(I - LW)(I - L), then a'V and V x0 (W given)",
                    target=target,
                    holds=holds,
                    holds_cpu=holds_cpu,
                    note="whole model: W from the edge table, one LU, two solves",
                )
            )
            rows.append(
                row(
                    SUITE,
                    f"drive share algebra {n}, {label}",
                    t_alg,
                    note="drive_and_final only: one LU of I - LW and two solves",
                )
            )
            rows.append(
                row(
                    SUITE,
                    f"friedkin_johnsen (full V) {n}, {label}",
                    t_fj,
                    note="forms V by solve",
                )
            )
    for label, meds in medians.items():
        exponent = growth_exponent([float(n) for n in SIZES], meds)
        steps = ", ".join(
            f"{n1}->{n2}: x{t2 / t1:.1f} (exponent {np.log(t2 / t1) / np.log(n2 / n1):.2f})"
            for (n1, t1), (n2, t2) in itertools.pairwise(zip(SIZES, meds, strict=True))
        )
        rows.append(
            {
                "suite": SUITE,
                "case": f"who_drives growth with departments, {label}",
                "growth_exponent": exponent,
                "steps": steps,
                "target": "growth stated",
                "holds": True,
                "note": f"time ~ n^{exponent:.2f} over 10..1000 (least squares); {steps}",
            }
        )
    return rows


def main() -> None:
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"):
        print(f"{var}={os.environ.get(var, '(unset)')}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rows = run()
    print_rows([r for r in rows if "lmsdecide" in r])
    for r in rows:
        if "growth_exponent" in r:
            print(r["note"])


if __name__ == "__main__":
    main()
