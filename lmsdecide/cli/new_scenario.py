"""``lmsdecide new-scenario``: write an editable starting scenario."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lmsdecide.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    Subparsers,
    add_command,
)

if TYPE_CHECKING:
    from lmsdecide.scenario import Scenario


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "new-scenario",
        run,
        help="write an editable starting scenario",
        description="Write an editable starting scenario: YAML, JSON or Excel, by the suffix.",
        example="Example: lmsdecide new-scenario my_org.xlsx",
    )
    p.add_argument("path", metavar="PATH", help="file to write (.yaml, .yml, .json or .xlsx)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


def starter_scenario() -> Scenario:
    """The editable starting scenario written by ``new-scenario`` (and the Excel template)."""
    from lmsdecide.interview.library import concern_library, concern_row
    from lmsdecide.io import example

    base = example("learning_led_early_engagement")
    library = concern_library()
    phases = set(base.phase_ids)
    # the typical concerns of each department's function (data/concerns.yaml), to tick off
    concerns = [
        concern_row(d.id, c.name, c.due, c.effort, kind=c.kind, blocks_launch=c.blocks_launch)
        for d in base.departments
        for c in library.for_function(d.function)
        if c.due in phases
    ]
    return base.with_changes(
        name="My organisation: LMS project",
        description=(
            "A starting point: replace the departments, phases, concerns, partners and weights "
            "with your organisation's (or run 'lmsdecide interview'). The concerns are the typical "
            "ones of each function (data/concerns.yaml). Values are illustrative."
        ),
        concerns=concerns,
    )


def run(args: argparse.Namespace) -> int:
    from lmsdecide.io import file_type_problem, save_scenario

    path = Path(args.path)
    problem = file_type_problem(path)
    if problem is not None:
        print(f"lmsdecide new-scenario: {path}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if path.exists() and not args.force:
        print(
            f"lmsdecide new-scenario: {path} exists; not overwritten (use --force to replace it)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    save_scenario(starter_scenario(), path)
    print(f"wrote {path}: edit it, then run 'lmsdecide validate {path}'")
    return EXIT_OK
