"""``lmsdecide sweep`` and ``lmsdecide sensitivity``: many variants of a scenario at once."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from lmsdecide.cli._common import (
    EXIT_OK,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    UsageError,
    analysis,
    clean,
    load,
    print_json,
    wrap,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    """The ``sweep`` and ``sensitivity`` sub-commands."""
    scenario_help = SCENARIO_HELP
    vary_help = (
        "an input that varies: NAME, NAME=LOW:HIGH or NAME=A,B,C; NAME is <model>.<param> "
        "or a scenario field (departments.<id>.authority, engagement.<id>, selected_partner, "
        "launch_target, influence.<from>.<to>, phases.<id>.duration_scale); repeat"
    )
    q = sub.add_parser(
        "sweep",
        help="measures over many scenario variants (and the rules of the bad ones)",
        description="Evaluate measures over a sample (or a grid) of variants of a scenario, "
        "in chunks over local processes; with --out the chunks are saved as they finish and a "
        "rerun resumes. --discover finds the input combinations (PRIM) behind an outcome.",
        epilog="Example: lmsdecide sweep learning_led_early_engagement --vary engagement.it "
        "--vary selected_partner --measure late_p80 --n 500 --discover 'late_p80 > 0'\n"
        "Measures: learning_share, learning_driven, top_driver, p50, p80, late_p80, "
        "mean_completion, on_time_probability, chosen_partner, critical_findings, findings "
        "or <model>.<attribute>.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.set_defaults(handler=run_sweep)
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--vary", action="append", metavar="FACTOR", help=vary_help)
    q.add_argument("--measure", action="append", metavar="M", help="what to measure; repeat")
    q.add_argument("--n", type=int, default=1000, help="variants to sample (1000)")
    q.add_argument("--grid", action="store_true", help="the full grid instead of a sample")
    q.add_argument("--levels", type=int, default=3, help="grid values per numeric factor (3)")
    q.add_argument("--method", default="lhs", choices=["lhs", "sobol", "random"])
    q.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws per variant (1000)")
    q.add_argument("--seed", type=int, default=0, help="random seed (0)")
    q.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    q.add_argument("--chunk-size", type=int, default=1000, help="variants per chunk (1000)")
    q.add_argument("--out", metavar="DIR", help="save chunks here as Parquet; rerun to resume")
    q.add_argument("--output", metavar="FILE", help="write the table (.csv or .parquet)")
    q.add_argument("--discover", metavar="EXPR", help="PRIM rules for variants where EXPR holds")
    q.add_argument("--json", action="store_true", help="print a JSON summary")
    q.add_argument("--quiet", action="store_true", help="no progress bar")

    q = sub.add_parser(
        "sensitivity",
        help="which inputs matter: Morris, Sobol or a one-at-a-time tornado",
        description="Sensitivity of one measure to model parameters (their declared ranges) "
        "and scenario fields: Morris screening, Sobol indices with 95%% intervals, or a "
        "one-at-a-time tornado.",
        epilog="Example: lmsdecide sensitivity it_led --measure p80 --method tornado "
        "--vary engagement.it --vary engagement.comms --vary selected_partner",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.set_defaults(handler=run_sensitivity)
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--measure", required=True, metavar="M", help="a numeric measure (p80...)")
    q.add_argument(
        "--vary",
        action="append",
        metavar="FACTOR",
        help=vary_help + " (default: the measure's model's declared parameters)",
    )
    q.add_argument("--method", default="morris", choices=["morris", "sobol", "tornado"])
    q.add_argument("--trajectories", type=int, default=20, help="Morris trajectories (20)")
    q.add_argument("--n", type=int, default=256, help="Sobol base points, a power of two (256)")
    q.add_argument("--draws", type=int, default=2000, help="Monte Carlo draws per run (2000)")
    q.add_argument("--seed", type=int, default=0, help="random seed (0)")
    q.add_argument("--workers", type=int, default=1, help="processes (1)")
    q.add_argument("--chunk-size", type=int, default=1000, help="runs per chunk (1000)")
    q.add_argument("--json", action="store_true", help="print the table as JSON")


def factor_specs(items: Sequence[str] | None) -> dict[str, object] | None:
    """``--vary NAME``, ``NAME=LOW:HIGH`` or ``NAME=A,B,C`` as a factor mapping."""
    if not items:
        return None
    specs: dict[str, object] = {}
    for item in items:
        name, _, rng = item.partition("=")
        name = name.strip()
        if not rng:
            specs[name] = None
        elif ":" in rng:
            low, _, high = rng.partition(":")
            try:
                specs[name] = (float(low), float(high))
            except ValueError:
                raise UsageError(f"--vary {item}: LOW:HIGH must be two numbers") from None
        else:
            words = [w.strip() for w in rng.split(",") if w.strip()]
            specs[name] = [{"true": True, "false": False}.get(w.lower(), w) for w in words]
    return specs


def explore_params(measures: Sequence[str], draws: int) -> dict[str, dict[str, object]]:
    from lmsdecide.explore import measure

    params: dict[str, dict[str, object]] = {}
    for m in measures:
        model = measure(m).model
        if model in ("simulate_schedule", "recommend_plan", "diagnose"):
            params[model] = {"n": draws}
    return params


def explore_errors(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Bad factor, measure or range requests are usage errors (exit 2)."""

    def run(args: argparse.Namespace) -> int:
        from lmsdecide.scenario import ScenarioError

        try:
            return func(args)
        except ScenarioError:
            raise
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    run.__doc__ = func.__doc__
    return run


@analysis
@explore_errors
def run_sweep(args: argparse.Namespace) -> int:
    import pandas as pd

    from lmsdecide.explore import discover, suggested_factors, sweep
    from lmsdecide.scenario import Scenario

    scenario = load(args.scenario)
    assert isinstance(scenario, Scenario)
    factors = factor_specs(args.vary) or suggested_factors(scenario)
    measures = args.measure or ["learning_share", "p80", "on_time_probability"]
    result = sweep(
        scenario,
        factors,
        measures,
        n=None if args.grid else args.n,
        method=args.method,
        levels=args.levels,
        params=explore_params(measures, args.draws),
        seed=args.seed,
        executor="serial" if args.workers == 1 else "process",
        max_workers=args.workers,
        chunk_size=args.chunk_size,
        out_dir=args.out,
        progress=None if not args.quiet else False,
    )
    frame = result.frame
    if args.output:
        target = Path(args.output)
        if target.suffix.lower() == ".parquet":
            frame.to_parquet(target, index=False)
        else:
            frame.to_csv(target, index=False)
    found = discover(result, args.discover) if args.discover else None
    if args.json:
        summary = {
            "variants": len(frame),
            "factors": list(result.factor_names),
            "measures": list(result.measure_names),
            "reused_chunks": len(result.reused),
            "rules": found.rules() if found else [],
        }
        print_json(summary)
        return EXIT_OK
    print(f"{clean(scenario.name)}: {len(frame):,} variants of {len(result.factor_names)} factors")
    if result.reused:
        print(f"  resumed: {len(result.reused)} of {result.n_chunks} chunks read from {args.out}")
    for m in result.measures:
        values = frame[m.name]
        if pd.api.types.is_bool_dtype(values.dtype):
            print(f"  {m.name}: yes in {values.mean():.1%} of the variants")
        elif pd.api.types.is_numeric_dtype(values.dtype):
            q = values.quantile([0.0, 0.1, 0.5, 0.9, 1.0]).to_numpy()
            print(
                f"  {m.name}: min {q[0]:.4g}, P10 {q[1]:.4g}, median {q[2]:.4g}, "
                f"P90 {q[3]:.4g}, max {q[4]:.4g}"
            )
        else:
            counts = values.astype(str).value_counts(normalize=True).head(5)
            shown = ", ".join(f"{clean(str(k))} {v:.0%}" for k, v in counts.items())
            print(f"  {m.name}: {shown}")
    if found is not None:
        print(
            f"{args.discover}: {found.n_interest:,} of {found.n:,} variants ({found.base_rate:.0%})"
        )
        for i, rule in enumerate(found.rules(), start=1):
            print(wrap(f"{i}. {clean(rule)}", "  "))
    if args.output:
        print(f"wrote {args.output}")
    return EXIT_OK


@analysis
@explore_errors
def run_sensitivity(args: argparse.Namespace) -> int:
    from lmsdecide.explore import MorrisResult, SobolResult, sensitivity
    from lmsdecide.scenario import Scenario

    scenario = load(args.scenario)
    assert isinstance(scenario, Scenario)
    result = sensitivity(
        scenario,
        args.measure,
        factor_specs(args.vary),
        method=args.method,
        params=explore_params([args.measure], args.draws),
        seed=args.seed,
        trajectories=args.trajectories,
        n=args.n,
        executor="serial" if args.workers == 1 else "process",
        chunk_size=args.chunk_size,
    )
    frame = result.to_frame()
    if args.json:
        print_json(
            {"method": args.method, "measure": args.measure, "factors": frame.to_dict("records")}
        )
        return EXIT_OK
    if isinstance(result, MorrisResult):
        head = f"Morris screening of {args.measure} ({result.runs} runs); effect per full range"
        columns = ["mu_star", "mu_star_conf", "mu", "sigma"]
    elif isinstance(result, SobolResult):
        head = f"Sobol indices of {args.measure} ({result.runs} runs, 95% intervals)"
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        head = f"One at a time: {args.measure} is {result.base_output:.4g} in the base case"
        columns = ["low", "high", "swing", "low_value", "high_value"]
    print(f"{clean(scenario.name)}: {head}")
    table = frame[["factor", *columns]].copy()
    for column in columns:
        if table[column].dtype.kind == "f":
            table[column] = table[column].map(lambda v: f"{v:.4g}")
    print(table.to_string(index=False))
    return EXIT_OK
