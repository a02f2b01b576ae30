"""Benchmark: the decision helpers (SMAA-2 partner odds, combined levers, value of information).

    .venv/bin/python bench/bench_decide.py

SMAA-2 on the bundled reseller_partner scenario (4 partners, 15 ranged scores, the drivers'
weights with a spread): the first-rank probabilities of a 10⁶-draw plain Monte Carlo reference
(8 independent chunks of 125,000) against scrambled Sobol and plain Monte Carlo at growing
sample sizes. For each sampler, the smallest power-of-two n at which 9 of 10 independent runs
(scrambles or seeds) give every partner's first-rank probability within ±0.01 of the reference,
the time of one run at that n, and the ratio (Monte Carlo time / Sobol time at the same
accuracy). Also times combined_levers on it_led and value_of_information on
learning_led_late_it. Timing assertions are never made in tests; this script only reports.
"""

from __future__ import annotations

import numpy as np
from _harness import Row, print_rows, repeats, row, sample

import lmsdecide as L
from lmsdecide.explore import value_of_information
from lmsdecide.influence import combined_levers
from lmsdecide.partner import rank_acceptability

SUITE = "decide"
TOLERANCE = 0.01
REPLICATES = 10
REFERENCE_CHUNKS = 8
REFERENCE_CHUNK = 125_000


def _reference(scenario: L.Scenario) -> np.ndarray:
    runs = [
        rank_acceptability(scenario, n=REFERENCE_CHUNK, seed=10_000 + k, sampler="random")
        for k in range(REFERENCE_CHUNKS)
    ]
    return np.mean([r.acceptability[1].to_numpy() for r in runs], axis=0)


def _smallest_n(
    scenario: L.Scenario, ref: np.ndarray, sampler: str, sizes: list[int]
) -> tuple[int | None, dict[int, float]]:
    """Smallest n with 9 of 10 runs within tolerance; the 90th-percentile error per n."""
    errors: dict[int, float] = {}
    for n in sizes:
        err = [
            float(
                np.max(
                    np.abs(
                        rank_acceptability(scenario, n=n, seed=k, sampler=sampler)
                        .acceptability[1]
                        .to_numpy()
                        - ref
                    )
                )
            )
            for k in range(REPLICATES)
        ]
        errors[n] = float(np.sort(err)[int(0.9 * REPLICATES) - 1])
        if errors[n] <= TOLERANCE:
            return n, errors
    return None, errors


def run() -> list[Row]:
    """Measure and return the decide rows."""
    rows: list[Row] = []
    rep = repeats(5)
    s = L.example("reseller_partner")
    ref = _reference(s)
    n_q, err_q = _smallest_n(s, ref, "sobol", [2**k for k in range(8, 16)])
    n_m, err_m = _smallest_n(s, ref, "random", [2**k for k in range(10, 19)])
    note = (
        f"reference: 10^6 plain MC draws, first-rank {np.round(ref, 4).tolist()}; "
        f"90th-percentile max error by n: sobol {err_q}, random {err_m}"
    )
    if n_q is None or n_m is None:
        rows.append(
            {
                "suite": SUITE,
                "case": "smaa first-rank within ±0.01",
                "not_measured": "a sampler did not reach ±0.01 within the sizes tried. " + note,
            }
        )
    else:
        t_q = sample(lambda: rank_acceptability(s, n=n_q, seed=1), rep)
        t_m = sample(lambda: rank_acceptability(s, n=n_m, seed=1, sampler="random"), rep)
        rows.append(
            row(
                SUITE,
                f"smaa reseller_partner first-rank ±0.01: sobol n={n_q} vs random n={n_m}",
                t_q,
                baseline=t_m,
                baseline_name=f"plain Monte Carlo (n={n_m}) at the same accuracy",
                target="first-rank probability within ±0.01 of a 10^6-draw reference in < 1 s",
                holds=float(np.median(t_q)) < 1.0,
                holds_cpu=float(np.median(t_q.cpu)) < 1.0,
                note=note,
            )
        )
    it_led = L.example("it_led")
    r = combined_levers(it_led)
    t = sample(lambda: combined_levers(it_led), repeats(3))
    rows.append(
        row(
            SUITE,
            "combined_levers it_led (target 0.5)",
            t,
            note=f"cost {r.cost:.2f} points, share {r.learning_share:.3f}; "
            f"{len(r.changes)} levers; exact enumeration, no peer",
        )
    )
    late = L.example("learning_led_late_it")
    v = value_of_information(late, seed=0)
    t = sample(lambda: value_of_information(late, seed=0), repeats(3))
    rows.append(
        row(
            SUITE,
            "value_of_information learning_led_late_it (partner, n=1024)",
            t,
            note=f"EVPI {v.evpi:.4g} {v.unit}; {len(v.table)} inputs; no peer",
        )
    )
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
