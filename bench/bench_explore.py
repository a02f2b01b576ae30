"""Benchmark: sweeps of who_drives and of the schedule model, local pool against a Dask cluster.

Usage: .venv/bin/python bench/bench_explore.py [--variants 100000] [--schedule-variants 4000]
       [--draws 1000] [--workers 2] [--full]

For each model it measures, in the same run:

- the **baseline**: what one writes without lmsdecide.explore, a Python loop that builds each
  variant with ``Scenario.with_changes`` and calls the model (measured on a subset, rates
  reported per variant);
- ``sweep`` on a local ``ProcessPoolExecutor`` (the default executor);
- ``sweep`` on a two-worker ``dask.distributed.LocalCluster`` (``client.get_executor()``);
- also the sweep with ``vectorise=False`` (the model once per variant, chunked over the pool),
  to separate the fast paths (who_drives: batched closed form; schedule: the lean path with
  shared draws) from the parallelism.

It prints variants per second and the ratio to the baseline. The schedule model at 1000 draws
per variant takes minutes per 100,000 variants on 2 cores, so by default it is measured on
``--schedule-variants`` and the 100,000-variant time extrapolated (``--full`` runs it all).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd

import lmsdecide as L
from lmsdecide.explore import Space, sweep
from lmsdecide.influence import who_drives
from lmsdecide.timing import simulate_schedule

DRIVE_FACTORS = {
    "departments.ld.authority": None,
    "departments.hr.authority": None,
    "departments.it.authority": None,
    "departments.exec.authority": None,
    "departments.it.susceptibility": None,
    "influence.exec.it": None,
}
SCHEDULE_FACTORS = {
    "engagement.it": None,
    "engagement.comms": None,
    "selected_partner": None,
    "simulate_schedule.rework_capacity": (1.0, 10.0),
}


def baseline_drive(scenario: L.Scenario, variants: pd.DataFrame) -> None:
    """Hand-written loop: edit the scenario's data, validate, run who_drives."""
    for row in variants.to_dict("records"):
        data = scenario.to_data()
        by_id = {d["id"]: d for d in data["departments"]}
        for name in ("ld", "hr", "it", "exec"):
            by_id[name]["authority"] = row[f"departments.{name}.authority"]
        by_id["it"]["susceptibility"] = row["departments.it.susceptibility"]
        for edge in data["influence"]:
            if edge["from"] == "exec" and edge["to"] == "it":
                edge["weight"] = row["influence.exec.it"]
        _ = who_drives(L.validate_scenario(data)).learning_share


def baseline_schedule(scenario: L.Scenario, variants: pd.DataFrame, draws: int) -> None:
    """Hand-written loop: with_changes, then simulate_schedule."""
    for row in variants.to_dict("records"):
        engagement = {**scenario.engagement, "it": row["engagement.it"]}
        engagement["comms"] = row["engagement.comms"]
        variant = scenario.with_changes(
            engagement=engagement, selected_partner=row["selected_partner"]
        )
        _ = simulate_schedule(
            variant, n=draws, seed=0, rework_capacity=row["simulate_schedule.rework_capacity"]
        ).p80


def timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--schedule-variants", type=int, default=4_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="schedule at --variants too")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    from dask.distributed import Client, LocalCluster

    scenario = L.example("learning_led_late_it")
    rows: list[dict[str, Any]] = []

    def record(model: str, how: str, n: int, seconds: float, measured: int) -> None:
        rows.append(
            {
                "model": model,
                "how": how,
                "variants": n,
                "measured on": measured,
                "seconds": seconds * n / measured,
                "variants/s": measured / seconds,
            }
        )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cores: {os.cpu_count()}, workers: {args.workers}, load average at start: {load:.2f}, "
        "scenario: learning_led_late_it"
    )
    drive_space = Space.of(scenario, DRIVE_FACTORS)
    drive_variants = drive_space.sample(args.variants, seed=1)
    sched_space = Space.of(scenario, SCHEDULE_FACTORS)
    n_sched = args.variants if args.full else args.schedule_variants
    sched_variants = sched_space.sample(n_sched, seed=2)
    params = {"simulate_schedule": {"n": args.draws}}

    # baselines on subsets
    subset = min(3000, args.variants)
    t = timed(lambda: baseline_drive(scenario, drive_variants.iloc[:subset]))
    record("who_drives", "baseline loop (1 core)", args.variants, t, subset)
    subset_s = min(300, n_sched)
    t = timed(lambda: baseline_schedule(scenario, sched_variants.iloc[:subset_s], args.draws))
    record("simulate_schedule", "baseline loop (1 core)", args.variants, t, subset_s)

    def drive(executor: Any, vectorise: bool = True, n: int | None = None) -> float:
        variants = drive_variants if n is None else drive_variants.iloc[:n]
        return timed(
            lambda: sweep(
                scenario,
                drive_space,
                ["learning_share", "top_driver"],
                variants=variants,
                executor=executor,
                max_workers=args.workers,
                chunk_size=max(len(variants) // (4 * args.workers), 100),
                vectorise=vectorise,
                progress=False,
            )
        )

    def schedule(executor: Any, vectorise: bool = True, n: int | None = None) -> float:
        variants = sched_variants if n is None else sched_variants.iloc[:n]
        return timed(
            lambda: sweep(
                scenario,
                sched_space,
                ["p80", "on_time_probability"],
                variants=variants,
                vectorise=vectorise,
                params=params,
                executor=executor,
                max_workers=args.workers,
                chunk_size=max(len(variants) // (8 * args.workers), 50),
                progress=False,
            )
        )

    n_model = min(20_000, args.variants)
    t = drive("process", vectorise=False, n=n_model)
    record("who_drives", "sweep, model per variant, local pool", args.variants, t, n_model)
    t = drive("process")
    record("who_drives", "sweep, vectorised, local pool", args.variants, t, args.variants)
    n_sched_model = min(1000, n_sched)
    t = schedule("process", vectorise=False, n=n_sched_model)
    record(
        "simulate_schedule", "sweep, model per variant, local pool", args.variants, t, n_sched_model
    )
    t = schedule("process")
    record("simulate_schedule", "sweep, lean path, local pool", args.variants, t, n_sched)

    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        executor = client.get_executor()
        drive(executor, n=1000)  # warm the workers (imports)
        t = drive(executor, vectorise=False, n=n_model)
        record("who_drives", "sweep, model per variant, Dask 2 workers", args.variants, t, n_model)
        t = drive(executor)
        record("who_drives", "sweep, vectorised, Dask 2 workers", args.variants, t, args.variants)
        t = schedule(executor)
        record("simulate_schedule", "sweep, lean path, Dask 2 workers", args.variants, t, n_sched)

    table = pd.DataFrame(rows)
    base = table[table["how"].str.startswith("baseline")].set_index("model")["variants/s"]
    table["× baseline"] = table["variants/s"] / table["model"].map(base)
    table = table.rename(columns={"seconds": f"seconds for {args.variants:,}"})
    with pd.option_context("display.width", 160, "display.float_format", "{:,.2f}".format):
        print(table.to_string(index=False))
    print(
        f"seconds are extrapolated from 'measured on' when it is below {args.variants:,}; "
        f"schedule: {args.draws} draws per variant"
    )


if __name__ == "__main__":
    main()
