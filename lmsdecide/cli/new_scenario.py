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
    from lmsdecide.io import example

    base = example("learning_led_early_engagement")
    return base.with_changes(
        name="My organisation: LMS project",
        description=(
            "A starting point: replace the departments, phases, concerns, partners and weights "
            "with your organisation's. Values copied from the bundled example are illustrative."
        ),
    )


def run(args: argparse.Namespace) -> int:
    from lmsdecide.io import FORMATS, save_scenario

    path = Path(args.path)
    if path.suffix.lower() not in FORMATS:
        print(
            f"lmsdecide new-scenario: {path}: unknown file type {path.suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(FORMATS))}",
            file=sys.stderr,
        )
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
