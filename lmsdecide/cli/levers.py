"""``lmsdecide levers``: the cheapest combination of levers that makes learning drive."""

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
    wrap,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "levers",
        run,
        help="the cheapest combination of levers that makes learning drive",
        description="The least costly combination of more authority for L&D, departments "
        "listening to L&D, decisions moved to L&D in the RACI and (with --p80-target) earlier "
        "engagement and a change of partner. Costs are illustrative effort points.",
        example="Example: lmsdecide levers it_led --target 0.5 --p80-target 50",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("--target", type=float, default=0.5, help="learning share to reach (0.5)")
    q.add_argument(
        "--p80-target", type=float, default=None, metavar="WEEKS", help="also bring P80 to this"
    )
    q.add_argument("--draws", type=int, default=2000, metavar="N", help="schedule draws (2,000)")
    q.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    q.add_argument("--json", action="store_true", help="print the result as JSON")


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.influence import combined_levers
    from lmsdecide.influence.combined import change_labels

    scenario = load(args.scenario)
    try:
        r = combined_levers(
            scenario, target=args.target, p80_target=args.p80_target, n=args.draws, seed=args.seed
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(
            {
                "feasible": r.feasible,
                "target": r.target,
                "p80_target": r.p80_target,
                "cost": r.cost,
                "learning_share_before": r.learning_share_before,
                "learning_share": r.learning_share,
                "p80_before": r.p80_before,
                "p80": r.p80,
                "best_share": r.best_share,
                "binding": r.binding,
                "changes": r.changes.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    print(clean(scenario.name))
    print(wrap(clean(r.note), ""))
    for row in r.changes.to_dict(orient="records"):
        subject, before, after = (clean(x) for x in change_labels(scenario, row))
        print(
            f"  {clean(row['lever']):<11} {subject}: {before} -> {after} (cost "
            f"{float(row['cost']):.2f}, share after {float(row['share_after']):.0%})"
        )
    return EXIT_OK
