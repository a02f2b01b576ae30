"""The ``lmsdecide`` command line.

Exit codes: 0 success; 1 an input file is invalid; 2 a usage error (bad arguments); 3 ``diagnose``
found a critical finding; 70 an internal error (reported in one line, never a traceback; set
``LMSDECIDE_DEBUG=1`` to see it).

Each command is a module of this package with its parser beside its handler (``add_parser(sub)``
and ``run(args)``); the commands hold no model logic. Adding a command: write the module and add
its name to :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from lmsdecide import __version__
from lmsdecide.cli._common import (
    EXIT_CRITICAL,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
)
from lmsdecide.cli.lab import install_lab_settings, lab_command, lab_environment
from lmsdecide.cli.new_scenario import starter_scenario
from lmsdecide.cli.present import present_command

__all__ = [
    "COMMAND_MODULES",
    "EXIT_CRITICAL",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "install_lab_settings",
    "lab_command",
    "lab_environment",
    "main",
    "present_command",
    "starter_scenario",
]

#: The command modules, in the order ``lmsdecide --help`` lists their commands.
COMMAND_MODULES = (
    "validate",
    "new_scenario",
    "interview",
    "lab",
    "present",
    "diagnose",
    "compare",
    "report",
    "simulate",
    "recommend",
    "levers",
    "odds",
    "worth",
    "explore",
    "room",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = Parser(
        prog="lmsdecide",
        description="Decision support for LMS projects: who drives, when to engage, which partner.",
        epilog="Example: lmsdecide validate data/scenarios/*.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lmsdecide {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"lmsdecide.cli.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: never a traceback on the command line
        if os.environ.get("LMSDECIDE_DEBUG"):
            raise
        print(
            f"lmsdecide {args.command}: internal error: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
