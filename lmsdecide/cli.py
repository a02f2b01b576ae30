"""The ``lmsdecide`` command line.

Exit codes: 0 success; 1 an input file is invalid; 2 a usage error (bad arguments); 70 an internal
error (reported in one line, never a traceback; set ``LMSDECIDE_DEBUG=1`` to see it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-screen message and exit code 2 on usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n(see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _command(
    name: str,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        _COMMANDS[name] = func
        return func

    return register


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


@_command("validate")
def _validate(args: argparse.Namespace) -> int:
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


# ---------------------------------------------------------------------------------------------
# new-scenario
# ---------------------------------------------------------------------------------------------


def starter_scenario() -> object:
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


@_command("new-scenario")
def _new_scenario(args: argparse.Namespace) -> int:
    from lmsdecide.io import FORMATS, save_scenario
    from lmsdecide.scenario import Scenario

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
    scenario = starter_scenario()
    assert isinstance(scenario, Scenario)
    save_scenario(scenario, path)
    print(f"wrote {path}: edit it, then run 'lmsdecide validate {path}'")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# lab
# ---------------------------------------------------------------------------------------------


def install_lab_settings(prefix: str | None = None) -> Path:
    """Copy the JupyterLab settings the notebooks need into the environment (not the home).

    Windowing mode ``defer`` (off-screen widget outputs otherwise render blank) and no news
    pop-up, as ``share/jupyter/lab/settings/overrides.json`` of the running environment.
    """
    from lmsdecide.io import data_dir

    source = data_dir().parent / "jupyter" / "overrides.json"
    if not source.is_file():  # installed wheel: settings shipped inside the package data
        source = data_dir() / "jupyter" / "overrides.json"
    target = (
        Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@_command("lab")
def _lab(args: argparse.Namespace) -> int:
    from lmsdecide.io import data_dir

    install_lab_settings()
    notebook = data_dir().parent / "notebooks" / "00_start_here.ipynb"
    command = [sys.executable, "-m", "jupyter", "lab", str(notebook), f"--port={args.port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if args.no_browser:
        command.append("--no-browser")
    return subprocess.call(command)


# ---------------------------------------------------------------------------------------------
# parser and entry point
# ---------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = _Parser(
        prog="lmsdecide",
        description="Decision support for LMS projects: who drives, when to engage, which partner.",
        epilog="Example: lmsdecide validate data/scenarios/*.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version="lmsdecide 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "validate",
        help="check scenario files and list every problem",
        description="Check scenario files (YAML, JSON or Excel) and list every problem found.",
        epilog="Example: lmsdecide validate data/scenarios/*.yaml my_org.xlsx\n"
        "Exit code 0 when all are valid, 1 when any is invalid.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario file(s)")

    p = sub.add_parser(
        "new-scenario",
        help="write an editable starting scenario",
        description="Write an editable starting scenario: YAML, JSON or Excel, by the suffix.",
        epilog="Example: lmsdecide new-scenario my_org.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", metavar="PATH", help="file to write (.yaml, .yml, .json or .xlsx)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")

    p = sub.add_parser(
        "lab",
        help="open JupyterLab on the start notebook",
        description="Open JupyterLab on notebooks/00_start_here.ipynb with the settings it needs.",
        epilog="Example: lmsdecide lab --port 8888",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--port", type=int, default=8888, help="port (default 8888)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args)
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


if __name__ == "__main__":
    raise SystemExit(main())
