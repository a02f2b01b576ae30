"""What every command shares: exit codes, the parser class, scenario loading and output helpers.

A command is a module of this package with ``add_parser(sub)``, which adds its sub-parser and
sets ``handler=run`` as its default, and ``run(args) -> int``, which returns the exit code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lmsdecide.scenario import Scenario

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
#: Exit code of ``diagnose`` when there is at least one critical finding.
EXIT_CRITICAL = 3
EXIT_INTERNAL = 70

SCENARIO_HELP = "scenario file (.yaml, .json, .xlsx) or a bundled scenario's name (it_led)"

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """argparse with a one-screen message and exit code 2 on usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n(see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


Subparsers = argparse._SubParsersAction  # the type of ``parser.add_subparsers()``


def add_command(
    sub: Subparsers[Parser],
    name: str,
    handler: Handler,
    *,
    help: str,
    description: str,
    example: str,
) -> Parser:
    """A sub-command's parser, its help text and example, bound to ``handler``."""
    parser: Parser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=example,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def mc_options(parser: argparse.ArgumentParser, draws: int) -> None:
    """``--draws`` and ``--seed`` for the commands that run a Monte Carlo."""
    parser.add_argument(
        "--draws", type=int, default=draws, metavar="N", help=f"Monte Carlo draws ({draws:,})"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")


class UsageError(Exception):
    """A bad option value: reported in one line, exit code 2."""


def load(ref: str) -> Scenario:
    """A scenario from a file path, or a bundled scenario's name (``it_led``)."""
    from lmsdecide.io import FORMATS, example, list_examples, load_scenario

    path = Path(ref)
    if path.suffix.lower() in FORMATS or path.exists() or ref not in list_examples():
        if not path.exists() and not path.suffix and ref not in list_examples():
            from lmsdecide.scenario import Problem, ScenarioError

            raise ScenarioError(
                [
                    Problem(
                        "",
                        "no such file, and not a bundled scenario (bundled: "
                        + ", ".join(list_examples())
                        + ")",
                        has_value=False,
                    )
                ],
                source=ref,
            )
        return load_scenario(path)
    return example(ref)


def analysis(func: Handler) -> Handler:
    """Report invalid scenarios (exit 1) and bad option values (exit 2) in a few lines."""

    def run(args: argparse.Namespace) -> int:
        from lmsdecide.params import ParamError
        from lmsdecide.scenario import ScenarioError

        try:
            return func(args)
        except BrokenPipeError:  # the reader stopped (| head): not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return int(getattr(args, "exit_code", EXIT_OK))
        except ScenarioError as exc:
            print(f"lmsdecide {args.command}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        except (ParamError, UsageError) as exc:
            lines = str(exc).splitlines() or [""]
            print(f"lmsdecide {args.command}: {lines[0]}", file=sys.stderr)
            for line in lines[1:]:
                print(f"  {line}", file=sys.stderr)
            print(f"(see 'lmsdecide {args.command} --help')", file=sys.stderr)
            return EXIT_USAGE

    run.__doc__ = func.__doc__
    return run


def draws(args: argparse.Namespace) -> int:
    """``--draws`` checked against the schedule model's declaration."""
    from lmsdecide.timing import SCHEDULE_PARAMS

    try:
        return int(SCHEDULE_PARAMS["n"].validate(args.draws))
    except ValueError as exc:
        raise UsageError(f"--draws: {exc}".replace("n: ", "")) from None


def print_json(data: object) -> None:
    """``data`` as standard JSON: numpy values as plain ones, and a number that is not finite
    (a share never reached: time to 80% adoption above the ceiling) as ``null``, since JSON has
    no infinity and ``Infinity`` breaks strict readers (JavaScript's, ``jq``)."""
    import json

    print(json.dumps(_jsonable(data), indent=2, ensure_ascii=False, allow_nan=False))


def _jsonable(value: object) -> object:
    import math

    import numpy as np

    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: cut with an ellipsis when longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap(text: str, indent: str) -> str:
    """``text`` filled to the terminal's width (60 to 120 columns)."""
    import textwrap

    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def clean(text: Any) -> str:
    """Scenario text for a terminal: control characters (escape sequences) shown, not run."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def compile_package() -> bool:
    """Write the package's bytecode now (only the files changed since; a few milliseconds when
    nothing did), so every kernel the app starts imports compiled code.

    Python writes it on first import anyway, unless the environment forbids it
    (``PYTHONDONTWRITEBYTECODE``, common in containers): then each kernel compiled the package
    again, about 0.25 s of every dashboard's start on a 2-core machine. Returns False when a
    file could not be compiled or written (a read-only install: nothing is lost, imports
    compile in memory as before).
    """
    import compileall

    folder = Path(__file__).resolve().parents[1]
    return bool(compileall.compile_dir(str(folder), quiet=2))
