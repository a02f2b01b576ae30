"""Benchmark of simulate_schedule (run on demand: .venv/bin/python bench/bench_timing.py).

Measured in one run, on a bundled scenario with late concerns (learning_led_late_it):

* lmsdecide: ``simulate_schedule(scenario, n, seed)`` (vectorised over draws, the whole result:
  percentiles, per-phase contributions and the tornado included);
* loop: the same model written as a Python loop over draws (one beta-PERT variate per phase,
  one escalation percentile, the late concerns' rework, per draw);
* floor: merely drawing one beta variate per phase per draw, ``rng.beta(alpha, beta, (n, K))``.

Targets (issue 4): at least 50x faster than the loop, within 4x of the floor, and 10,000 draws in
under 20 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

import lmsdecide as L
from lmsdecide.timing import simulate_schedule, timing_inputs
from lmsdecide.timing.pert import pert_shape

SCENARIO = "learning_led_late_it"


def best_and_median(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def loop_model(scenario: L.Scenario, n: int, seed: int) -> np.ndarray:
    """The same model, one draw at a time (the baseline)."""
    inputs = timing_inputs(scenario)
    rng = np.random.default_rng(seed)
    alpha, beta = pert_shape(inputs.optimistic, inputs.likely, inputs.pessimistic)
    a, b = inputs.optimistic, inputs.pessimistic
    surface = inputs.surface()
    late = [j for j in range(len(surface)) if surface[j] > inputs.due[j]]
    lo, hi = inputs.esc_low, inputs.esc_high
    launch = inputs.launch_index
    out = np.empty(n)
    for i in range(n):
        total = 0.0
        for k in range(inputs.n_phases):
            d = a[k] + (b[k] - a[k]) * rng.beta(alpha[k], beta[k])
            if k <= launch:
                total += d
        u = rng.random()
        delay = 0.0
        for j in late:
            p, q = inputs.due[j], surface[j]
            f_p = lo[p] * (hi[p] / lo[p]) ** u
            f_q = lo[q] * (hi[q] / lo[q]) ** u
            if q <= launch:
                delay += inputs.effort[j] * (f_q / f_p - 1.0) / 4.0
        out[i] = total + delay
    return out


def main() -> None:
    scenario = L.example(SCENARIO)
    inputs = timing_inputs(scenario)
    alpha, beta = pert_shape(inputs.optimistic, inputs.likely, inputs.pessimistic)
    k = inputs.n_phases
    n = 100_000

    simulate_schedule(scenario, n=n, seed=1)  # warm up
    lms_best, lms_med = best_and_median(lambda: simulate_schedule(scenario, n=n, seed=1), 7)
    rng = np.random.default_rng(1)
    floor_best, floor_med = best_and_median(lambda: rng.beta(alpha, beta, size=(n, k)), 7)
    t0 = time.perf_counter()
    looped = loop_model(scenario, n, 1)
    loop_time = time.perf_counter() - t0
    small_best, small_med = best_and_median(
        lambda: simulate_schedule(scenario, n=10_000, seed=2), 30
    )

    vector = simulate_schedule(scenario, n=n, seed=1).completion

    late = int((inputs.surface() > inputs.due).sum())
    rows = [
        ("lmsdecide simulate_schedule, 100,000 draws", lms_best, lms_med),
        ("floor: rng.beta (n, K), 100,000 draws", floor_best, floor_med),
        ("Python loop over draws, 100,000 draws", loop_time, loop_time),
        ("lmsdecide simulate_schedule, 10,000 draws", small_best, small_med),
    ]
    print(f"simulate_schedule, scenario {SCENARIO!r}: {k} phases, {late} late concerns")
    print(f"{'what':<44}{'best (ms)':>12}{'median (ms)':>14}")
    for label, best, med in rows:
        print(f"{label:<44}{best * 1e3:>12.1f}{med * 1e3:>14.1f}")
    print()
    print(f"speed-up over the loop:   {loop_time / lms_med:8.1f}x   (target >= 50x)")
    print(f"ratio to the beta floor:  {lms_med / floor_med:8.2f}x   (target <= 4x)")
    print(f"10,000 draws:             {small_med * 1e3:8.1f} ms (target < 20 ms)")
    print(f"bound: the floor alone is {loop_time / floor_med:.1f}x faster than the loop")
    print(
        f"same model: mean completion vectorised {vector.mean():.2f}, loop {looped.mean():.2f} "
        f"weeks; P50 {np.percentile(vector, 50):.2f} vs {np.percentile(looped, 50):.2f}"
    )


if __name__ == "__main__":
    main()
