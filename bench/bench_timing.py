"""Benchmark of simulate_schedule (run alone: .venv/bin/python bench/bench_timing.py).

Measured in one run, on a bundled scenario with late concerns (learning_led_late_it):

* lmsdecide: ``simulate_schedule(scenario, n, seed)`` (vectorised over draws, the whole result:
  percentiles, per-phase contributions and the tornado included), at 10,000 and 100,000 draws;
* floor: merely drawing one beta variate per phase per draw, ``rng.beta(alpha, beta, (n, K))``,
  the random numbers the model needs and nothing else (measured interleaved with lmsdecide);
* loop: the same model written as a Python loop over draws (one beta-PERT variate per phase,
  one escalation percentile, the shared overrun factor with its black-swan tail, the late
  concerns' capped rework and the capped delay, per draw), in two spellings: numpy's
  scalar ``Generator.beta`` and the standard library's ``random.betavariate``. The loop's cost is
  the same for every draw, so it is measured on 10,000 draws and compared as draws per second.

Targets: 10,000 draws in under 20 ms; within 4x of the floor; at least 50x the loop.

Quasi-random engine (``engine="qmc"``, 16 scrambles), on learning_led_late_it and it_led:

* the standard error (SE) of the mean, P50, P80 and on-time probability of plain Monte Carlo at
  100,000 draws, measured as the spread of the estimates over independent seeds;
* the same SE of the quasi-random engine at 16 x 2**k points (k = 5..13), over other seeds; the
  smallest size reaching Monte Carlo's SE for each statistic;
* the time of that run against Monte Carlo at 100,000 draws, measured interleaved. Target: the
  same SE in at most a quarter of the time;
* the same comparison at the live dashboards' 2,000 draws (SE of P50 and P80).
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
from _harness import Row, Samples, print_rows, repeats, row, sample, sample_pair

import lmsdecide as L
from lmsdecide.timing import simulate_schedule, timing_inputs
from lmsdecide.timing.late import MAX_DELAY, PARALLEL_SHARE, REWORK_CAPACITY, critical_weights
from lmsdecide.timing.pert import pert_shape
from lmsdecide.timing.schedule import (
    OVERRUN_SIGMA,
    TAIL_MAX,
    TAIL_MIN,
    TAIL_PROBABILITY,
    draw,
)

SCENARIO = "learning_led_late_it"
SUITE = "monte_carlo"
QMC_SCENARIOS = ("learning_led_late_it", "it_led")
QMC_STATISTICS = ("mean", "p50", "p80", "on_time_probability")
QMC_SIZES = tuple(16 * 2**k for k in range(5, 14))  # 512 .. 131,072 points
MC_DRAWS = 100_000
LIVE_DRAWS = 2_000


def _loop_constants(scenario: L.Scenario) -> dict[str, object]:
    """Plain-Python constants of the model for the loops (the late concerns and their weights)."""
    inputs = timing_inputs(scenario)
    surface = inputs.surface()
    weight = critical_weights(inputs, surface, PARALLEL_SHARE.default)
    lateness = inputs.lateness(surface)
    late = [j for j in range(len(surface)) if surface[j] > inputs.due[j]]
    alpha, beta = pert_shape(inputs.optimistic, inputs.likely, inputs.pessimistic)
    return {
        "alpha": alpha.tolist(),
        "beta": beta.tolist(),
        "a": inputs.optimistic.tolist(),
        "b": inputs.pessimistic.tolist(),
        "launch": inputs.launch_index,
        "k": inputs.n_phases,
        "late": [
            (
                float(inputs.effort[j]),
                float(inputs.esc_low[j]),
                float(inputs.esc_high[j]),
                float(inputs.esc_cap[j]),
                int(lateness[j]),
                float(weight[j]),
            )
            for j in late
        ],
    }


def _overrun(z: float, tail: float, v: float) -> float:
    lo, hi = TAIL_MIN.default, TAIL_MAX.default
    factor = math.exp(OVERRUN_SIGMA.default * z)
    if tail < TAIL_PROBABILITY.default:
        factor *= 1.0 + lo / (1.0 - v * (1.0 - (lo / hi) ** 2)) ** 0.5
    return factor


def loop_model(scenario: L.Scenario, n: int, seed: int) -> np.ndarray:
    """The same model, one draw at a time, with numpy's scalar Generator (the baseline)."""
    c = _loop_constants(scenario)
    rng = np.random.default_rng(seed)
    alpha, beta, a, b = c["alpha"], c["beta"], c["a"], c["b"]
    launch, k = int(c["launch"]), int(c["k"])  # type: ignore[call-overload]
    capacity, max_delay = REWORK_CAPACITY.default, MAX_DELAY.default
    out = np.empty(n)
    for i in range(n):
        total = 0.0
        for ph in range(k):
            d = a[ph] + (b[ph] - a[ph]) * rng.beta(alpha[ph], beta[ph])  # type: ignore[index]
            if ph <= launch:
                total += d
        u = rng.random()
        critical = 0.0
        for effort, lo, hi, cap, late_by, w in c["late"]:  # type: ignore[attr-defined]
            g = lo * (hi / lo) ** u
            critical += w * effort * (min(cap, g**late_by) - 1.0)
        total *= _overrun(rng.standard_normal(), rng.random(), rng.random())
        out[i] = total + min(critical / capacity, max_delay)
    return out


def loop_model_stdlib(scenario: L.Scenario, n: int, seed: int) -> np.ndarray:
    """The same loop with plain Python floats and ``random.betavariate`` (no numpy per draw)."""
    c = _loop_constants(scenario)
    rng = random.Random(seed)
    alpha, beta, a, b = c["alpha"], c["beta"], c["a"], c["b"]
    launch, k = int(c["launch"]), int(c["k"])  # type: ignore[call-overload]
    capacity, max_delay = REWORK_CAPACITY.default, MAX_DELAY.default
    betavariate = rng.betavariate
    out = [0.0] * n
    for i in range(n):
        total = 0.0
        for ph in range(launch + 1):
            total += a[ph] + (b[ph] - a[ph]) * betavariate(alpha[ph], beta[ph])  # type: ignore[index]
        for ph in range(launch + 1, k):  # drawn, as in the model, not used
            betavariate(alpha[ph], beta[ph])  # type: ignore[index]
        u = rng.random()
        critical = 0.0
        for effort, lo, hi, cap, late_by, w in c["late"]:  # type: ignore[attr-defined]
            g = lo * (hi / lo) ** u
            critical += w * effort * (min(cap, g**late_by) - 1.0)
        total *= _overrun(rng.gauss(0.0, 1.0), rng.random(), rng.random())
        out[i] = total + min(critical / capacity, max_delay)
    return np.asarray(out)


def run() -> list[Row]:
    """Measure and return the Monte Carlo rows."""
    scenario = L.example(SCENARIO)
    inputs = timing_inputs(scenario)
    alpha, beta = pert_shape(inputs.optimistic, inputs.likely, inputs.pessimistic)
    k = inputs.n_phases
    rows: list[Row] = []

    # Rounds, each: both loops on 10,000 draws (their cost is the same for every draw), then the
    # model and the floor interleaved at 10,000 and 100,000 draws, so that load from other
    # processes drifting during the run falls on the loops and the model alike.
    n_loop = 10_000
    rng = np.random.default_rng(1)
    loop_fns = {"numpy scalar": loop_model, "stdlib random": loop_model_stdlib}
    loops: dict[str, tuple[Samples, np.ndarray]] = {n: (Samples(), np.empty(0)) for n in loop_fns}
    pairs: dict[int, tuple[Samples, Samples]] = {
        n: (Samples(), Samples()) for n in (10_000, 100_000)
    }
    for rnd in range(repeats(3, 1)):
        for name, fn in loop_fns.items():
            c0, t0 = time.process_time(), time.perf_counter()
            values = fn(scenario, n_loop, rnd)
            loops[name][0].append((time.perf_counter() - t0) / n_loop)
            loops[name][0].cpu.append((time.process_time() - c0) / n_loop)
            loops[name] = (loops[name][0], values)
        for n, reps in ((10_000, 5), (100_000, 3)):
            ours_n, floor_n = sample_pair(
                lambda n=n: simulate_schedule(scenario, n=n, seed=1),
                lambda n=n: rng.beta(alpha, beta, size=(n, k)),
                reps,
                min_sample=0.0,
            )
            for into, new in zip(pairs[n], (ours_n, floor_n), strict=True):
                into.extend(new)
                into.cpu.extend(new.cpu)
    vec = simulate_schedule(scenario, n=n_loop, seed=0).completion
    same = (
        f"same model: mean completion vectorised {vec.mean():.2f}, loop "
        f"{loops['numpy scalar'][1].mean():.2f} / {loops['stdlib random'][1].mean():.2f} weeks"
    )

    for n in (10_000, 100_000):
        ours, floor = pairs[n]
        med = float(np.median(ours))
        ratio_floor = med / float(np.median(floor))
        cpu_med, cpu_floor = float(np.median(ours.cpu)), float(np.median(floor.cpu))
        label = f"{n:,}"
        rows.append(
            row(
                SUITE,
                f"simulate_schedule {label} draws vs beta floor",
                ours,
                baseline=floor,
                baseline_name=f"rng.beta(alpha, beta, ({label}, {k}))",
                ratio=ratio_floor,
                ratio_meaning="lmsdecide / floor (1 = as fast as drawing the numbers)",
                target="<= 4x the floor",
                holds=ratio_floor <= 4,
                holds_cpu=cpu_med / cpu_floor <= 4,
                note=f"{n / med:,.0f} draws/s; on CPU time {cpu_med / cpu_floor:.2f}x the floor",
            )
        )
        for name, (times, _) in loops.items():
            per_draw = float(np.median(times))
            speedup = per_draw * n / med
            cpu_speedup = float(np.median(times.cpu)) * n / cpu_med
            rows.append(
                row(
                    SUITE,
                    f"simulate_schedule {label} draws vs loop ({name})",
                    ours,
                    baseline=Samples([t * n for t in times], [t * n for t in times.cpu]),
                    baseline_name=f"per-draw Python loop, {name} (10,000 draws, scaled)",
                    ratio=speedup,
                    ratio_meaning="loop / lmsdecide (speed-up)",
                    target=">= 50x the loop",
                    holds=speedup >= 50,
                    holds_cpu=cpu_speedup >= 50,
                    note=f"on CPU time {cpu_speedup:.1f}x; {1 / per_draw:,.0f} draws/s in the "
                    f"loop; {same}",
                )
            )
        if n == 10_000:
            rows.append(
                row(
                    SUITE,
                    "simulate_schedule 10,000 draws",
                    ours,
                    target="< 20 ms",
                    holds=med < 0.020,
                    holds_cpu=cpu_med < 0.020,
                    note=f"{n / med:,.0f} draws/s",
                )
            )
        # the ceiling any exact sampler built on Generator.beta can reach against each loop
        for name, (times, _) in loops.items():
            bound = float(np.median(times)) * n / float(np.median(floor))
            rows.append(
                row(
                    SUITE,
                    f"floor alone {label} draws vs loop ({name})",
                    floor,
                    baseline=Samples([t * n for t in times], [t * n for t in times.cpu]),
                    baseline_name=f"per-draw Python loop, {name}",
                    ratio=bound,
                    ratio_meaning="loop / floor: the most any model using these draws can reach",
                    note="reference: bounds the speed-up over the loop; on CPU time "
                    f"{float(np.median(times.cpu)) * n / cpu_floor:.1f}x",
                )
            )
    # how much of the model's time is the draw itself, at 100,000 draws
    rows.append(
        row(
            SUITE,
            "pert_sample alone 100,000 x 8 (model's sampler)",
            sample(
                lambda: draw(inputs, 100_000, rng),
                repeats(7),
                min_sample=0.0,
            ),
            note="the draw step of simulate_schedule: beta-PERT durations and escalation u",
        )
    )
    rows.extend(qmc_rows())
    return rows


def empirical_se(
    scenario: L.Scenario, n: int, engine: str, seeds: range
) -> tuple[np.ndarray, np.ndarray]:
    """Spread of the four estimates over independent seeds, and the mean replicate SE."""
    runs = [simulate_schedule(scenario, n=n, seed=seed, engine=engine) for seed in seeds]
    estimates = np.array([[getattr(r, k) for k in QMC_STATISTICS] for r in runs])
    reported = np.array([[getattr(r, f"se_{k}") for k in QMC_STATISTICS] for r in runs])
    return estimates.std(axis=0, ddof=1), reported.mean(axis=0)


def timed(scenario: L.Scenario, n: int, against: int) -> tuple[Samples, Samples]:
    """Times of qmc at ``n`` points and mc at ``against`` draws, interleaved."""
    return sample_pair(
        lambda: simulate_schedule(scenario, n=n, seed=1, engine="qmc"),
        lambda: simulate_schedule(scenario, n=against, seed=1),
        repeats(9, 2),
        min_sample=0.02,  # several calls per sample for the small runs: steadier
    )


def qmc_rows() -> list[Row]:
    """Same standard error, less time: the quasi-random engine against Monte Carlo."""
    rows: list[Row] = []
    n_seeds = repeats(48, 6)
    for name in QMC_SCENARIOS:
        scenario = L.example(name)
        mc_se, mc_reported = empirical_se(scenario, MC_DRAWS, "mc", range(n_seeds))
        live_se, _ = empirical_se(scenario, LIVE_DRAWS, "mc", range(n_seeds))
        grid = {
            n: empirical_se(scenario, n, "qmc", range(10_000, 10_000 + n_seeds)) for n in QMC_SIZES
        }
        times: dict[int, Samples] = {}
        mc_times = Samples()
        for i, stat in enumerate(QMC_STATISTICS):
            found = [n for n in QMC_SIZES if grid[n][0][i] <= mc_se[i]]
            case = f"qmc same SE as mc {MC_DRAWS:,}: {stat} ({name})"
            if not found:
                rows.append(
                    row(
                        SUITE,
                        case,
                        Samples([float("nan")]),
                        target="<= 0.25x the time of mc",
                        holds=False,
                        note=f"no size up to {QMC_SIZES[-1]:,} reaches mc's SE {mc_se[i]:.4g}",
                    )
                )
                continue
            n = found[0]
            if n not in times:
                times[n], base = timed(scenario, n, MC_DRAWS)
                mc_times.extend(base)
                mc_times.cpu.extend(base.cpu)
            ours = times[n]
            ratio = float(np.median(ours)) / float(np.median(mc_times))
            cpu_ratio = float(np.median(ours.cpu)) / float(np.median(mc_times.cpu))
            rows.append(
                row(
                    SUITE,
                    case,
                    ours,
                    baseline=mc_times,
                    baseline_name=f"simulate_schedule(engine='mc', n={MC_DRAWS:,})",
                    ratio=ratio,
                    ratio_meaning="qmc time / mc time at the same standard error",
                    target="<= 0.25x the time of mc",
                    holds=ratio <= 0.25,
                    holds_cpu=cpu_ratio <= 0.25,
                    note=f"SE over {n_seeds} seeds: mc {MC_DRAWS:,} draws {mc_se[i]:.4g} "
                    f"(replicate estimate {mc_reported[i]:.4g}); qmc {n:,} points "
                    f"{grid[n][0][i]:.4g} (replicate estimate {grid[n][1][i]:.4g}), "
                    f"{MC_DRAWS / n:.1f}x fewer draws; on CPU time {cpu_ratio:.3f}x; qmc SE by "
                    "size: " + ", ".join(f"{m:,}: {grid[m][0][i]:.3g}" for m in QMC_SIZES),
                )
            )
        # the live dashboards: 2,000 draws per change, P50 and P80
        for i, stat in ((1, "p50"), (2, "p80")):
            found = [n for n in QMC_SIZES[:4] if grid[n][0][i] <= live_se[i]]
            n = found[0] if found else QMC_SIZES[3]
            ours, base = timed(scenario, n, LIVE_DRAWS)
            ratio = float(np.median(ours)) / float(np.median(base))
            rows.append(
                row(
                    SUITE,
                    f"live: qmc same SE as mc {LIVE_DRAWS:,}: {stat} ({name})",
                    ours,
                    baseline=base,
                    baseline_name=f"simulate_schedule(engine='mc', n={LIVE_DRAWS:,})",
                    ratio=ratio,
                    ratio_meaning="qmc time / mc time at the same standard error",
                    target="< 1 (faster at the live accuracy)",
                    holds=bool(found) and ratio < 1,
                    holds_cpu=bool(found)
                    and float(np.median(ours.cpu)) < float(np.median(base.cpu)),
                    note=f"SE: mc {LIVE_DRAWS:,} draws {live_se[i]:.4g}; qmc {n:,} points "
                    f"{grid[n][0][i]:.4g}; qmc 2,048 points {grid[2048][0][i]:.4g}",
                )
            )
    return rows


def main() -> None:
    print(f"simulate_schedule on {SCENARIO!r}")
    print_rows(run())


if __name__ == "__main__":
    main()
