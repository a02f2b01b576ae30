"""``lmsdecide validate``: check scenario files and list every problem."""

from __future__ import annotations

import argparse

from lmsdecide.cli._common import EXIT_INVALID, EXIT_OK, Parser, Subparsers, add_command


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "validate",
        run,
        help="check scenario files and list every problem",
        description="Check scenario files (YAML, JSON or Excel) and list every problem found.",
        example="Example: lmsdecide validate data/scenarios/*.yaml my_org.xlsx\n"
        "Exit code 0 when all are valid, 1 when any is invalid.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario file(s)")


def run(args: argparse.Namespace) -> int:
    from lmsdecide.io import load_scenario
    from lmsdecide.scenario import ScenarioError

    status = EXIT_OK
    for path in args.paths:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            status = EXIT_INVALID
            count = len(exc.problems)
            print(f"{path}: invalid ({count} problem{'s' if count != 1 else ''})")
            for problem in exc.problems:
                print(f"  {problem}")
        else:
            print(f"{path}: ok")
    return status
