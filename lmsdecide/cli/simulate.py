"""``lmsdecide simulate``: Monte Carlo go-live P50, P80 and on-time probability."""

from __future__ import annotations

import argparse
import sys

from lmsdecide.cli._common import (
    EXIT_OK,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    UsageError,
    add_command,
    analysis,
    clean,
    load,
    mc_options,
    print_json,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "simulate",
        run,
        help="Monte Carlo schedule: go-live P50, P80, on-time probability",
        description="Simulate the project's completion time (beta-PERT phase durations plus "
        "rework from concerns that surface late). Long runs show a progress bar on stderr.",
        example="Example: lmsdecide simulate learning_led_late_it --draws 1000000 --seed 7\n"
        "         lmsdecide simulate learning_led_late_it --engine qmc --draws 16384",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("--json", action="store_true", help="print the result as JSON")
    mc_options(q, 10_000)
    q.add_argument(
        "--engine",
        default="mc",
        metavar="{mc,qmc}",
        help="sampling engine: mc (pseudo-random, default) or qmc (scrambled Sobol points: the "
        "same accuracy from fewer draws; draws rounded up to 16 x a power of two, at most "
        "2,000,000)",
    )


def progress_bar(done: int, total: int) -> None:
    """A one-line text progress bar on stderr."""
    width = 30
    filled = int(width * done / total)
    end = "\n" if done >= total else ""
    bar = "#" * filled + "." * (width - filled)
    print(
        f"\rsimulating [{bar}] {100 * done // total:3d}% ({done:,} draws)",
        end=end,
        file=sys.stderr,
        flush=True,
    )


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.timing.chunked import MAX_DRAWS, simulate_long
    from lmsdecide.timing.schedule import DRAWS, ENGINE

    if args.engine not in ENGINE.choices:
        raise UsageError(
            f"--engine: must be one of {', '.join(ENGINE.choices)}, got {args.engine!r}"
        )
    top = DRAWS.max if args.engine == "qmc" else MAX_DRAWS
    if not 100 <= args.draws <= top:
        which = " with --engine qmc" if args.engine == "qmc" else ""
        raise UsageError(f"--draws: must be between 100 and {top:,}{which}, got {args.draws}")
    out = simulate_long(
        load(args.scenario), args.draws, args.seed, progress=progress_bar, engine=args.engine
    )
    if args.json:
        print_json(out.to_dict())
        return EXIT_OK
    print(clean(out.scenario))
    engine = "quasi-random (scrambled Sobol)" if out.engine == "qmc" else "Monte Carlo"
    print(f"  draws                 {out.draws:,} (seed {out.seed}, {engine})")
    print(f"  go-live P50           {out.p50:.1f} weeks (standard error {out.se_p50:.2f})")
    print(f"  go-live P80           {out.p80:.1f} weeks (standard error {out.se_p80:.2f})")
    print(f"  mean                  {out.mean:.1f} weeks (standard error {out.se_mean:.2f})")
    print(f"  planned (no rework)   {out.planned:.1f} weeks")
    print(f"  launch target         {out.launch_target:g} weeks")
    print(
        f"  on-time probability   {100 * out.on_time_probability:.1f}% "
        f"(standard error {100 * out.se_on_time_probability:.1f} points)"
    )
    rows = out.tornado[out.tornado["p50_change"] < -0.05]
    if len(rows):
        print("  engaging earlier would move P50 by:")
        for _, r in rows.head(5).iterrows():
            print(
                f"    {clean(r['name'])[:40]:<40} engage in {r['engage_at']:<16} "
                f"{r['p50_change']:+.1f} weeks"
            )
    return EXIT_OK
