"""``lmsdecide worth``: which uncertain inputs are worth finding out (value of information)."""

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
    cut,
    load,
    print_json,
    wrap,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "worth",
        run,
        help="which uncertain inputs are worth finding out (value of information)",
        description="Expected value of perfect information of the partner choice or the "
        "engagement plan, and of each uncertain input alone (partial EVPI), largest first.",
        example="Example: lmsdecide worth it_led --decision partner --top 5",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("--decision", default="partner", help="partner or plan (partner)", metavar="D")
    q.add_argument("--draws", type=int, default=None, metavar="N", help="draws (1024; plan 256)")
    q.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    q.add_argument("--top", type=int, default=10, metavar="K", help="inputs listed (10)")
    q.add_argument("--json", action="store_true", help="print the result as JSON")


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.explore import value_of_information

    scenario = load(args.scenario)
    try:
        r = value_of_information(scenario, decision=args.decision, n=args.draws, seed=args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(
            {
                "decision": r.decision,
                "unit": r.unit,
                "evpi": r.evpi,
                "noise_floor": r.noise_floor,
                "best": r.best,
                "inputs": r.table.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    print(clean(scenario.name))
    print(wrap(clean(r.summary), ""))
    rows = r.table.head(max(args.top, 0)).to_dict(orient="records")
    # as wide as the longest label shown (up to 72 characters, then an ellipsis)
    width = max((len(clean(row["label"])) for row in rows), default=0)
    width = min(72, max(width, 10))
    for row in rows:
        value, share = float(row["evpi"]), float(row["share"])
        mark = "*" if value > r.noise_floor else " "
        label = cut(clean(row["label"]), width)
        print(f"{mark} {label:<{width}} {value:10.4g} {r.unit}  ({share:.0%})")
    return EXIT_OK
