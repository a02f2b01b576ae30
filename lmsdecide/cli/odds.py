"""``lmsdecide odds``: each partner's chance of each rank (SMAA-2)."""

from __future__ import annotations

import argparse

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
    print_json,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "odds",
        run,
        help="each partner's chance of each rank when scores and weights are uncertain",
        description="SMAA-2 rank acceptability: partner scores vary within their score_ranges, "
        "criteria weights around the drivers' (or uniformly, or within weight ranges).",
        example="Example: lmsdecide odds reseller_partner --weights uniform",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument(
        "--weights", default="drivers", help="drivers, uniform or ranged (drivers)", metavar="W"
    )
    q.add_argument("--draws", type=int, default=2**14, metavar="N", help="Sobol draws (16,384)")
    q.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    q.add_argument("--json", action="store_true", help="print the result as JSON")


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.partner import rank_acceptability

    scenario = load(args.scenario)
    try:
        r = rank_acceptability(scenario, n=args.draws, seed=args.seed, weights=args.weights)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    frame = r.to_frame()
    if args.json:
        print_json({"summary": r.summary, "partners": frame.to_dict(orient="records")})
        return EXIT_OK
    print(clean(scenario.name))
    print(clean(r.summary))
    ranks = [c for c in frame.columns if c.startswith("rank_")]
    print(
        f"  {'partner':<32} "
        + " ".join(f"{c.replace('_', ' '):>7}" for c in ranks)
        + "  confidence"
    )
    for _, row in frame.iterrows():
        cells = " ".join(f"{row[c]:>7.1%}" for c in ranks)
        conf = "-" if row["confidence"] != row["confidence"] else f"{row['confidence']:.0%}"
        print(f"  {clean(row['name'])[:32]:<32} {cells}  {conf:>10}")
    return EXIT_OK
