"""``lmsdecide present``: the facilitator's workshop app (Voila), offline, on 127.0.0.1."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from lmsdecide.cli._common import Parser, Subparsers, add_command


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "present",
        run,
        help="serve the workshop app (Voila) for a facilitator",
        description="Serve notebooks/05_workshop_live.ipynb as a Voila app on 127.0.0.1, offline.",
        example="Example: lmsdecide present --port 8866 --browser",
    )
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--browser", action="store_true", help="open it in the default browser")


def present_command(port: int, *, open_browser: bool = False) -> tuple[list[str], dict[str, str]]:
    """The Voila command (and environment) serving the workshop app on 127.0.0.1:``port``.

    Voila runs ``notebooks/05_workshop_live.ipynb`` with the ``lmsdecide`` template (the lab
    template without its CDN links: no request leaves the machine) and never sends tracebacks to
    the page.
    """
    from lmsdecide.io import data_dir

    root = data_dir().parent
    notebook = root / "notebooks" / "05_workshop_live.ipynb"
    paths = [str(root / "jupyter"), os.environ.get("JUPYTER_PATH", "")]
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(p for p in paths if p)}
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--template=lmsdecide",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--theme=light",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command, env


def run(args: argparse.Namespace) -> int:
    command, env = present_command(args.port, open_browser=args.browser)
    print(f"lmsdecide present: the workshop app on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
    sys.stdout.flush()
    return subprocess.call(command, env=env)
