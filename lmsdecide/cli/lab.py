"""``lmsdecide lab``: JupyterLab on the start notebook, with the settings the notebooks need."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from lmsdecide.cli._common import Parser, Subparsers, add_command


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "lab",
        run,
        help="open JupyterLab on the start notebook",
        description="Open JupyterLab on notebooks/00_start_here.ipynb with the settings it needs.",
        example="Example: lmsdecide lab --port 8888",
    )
    p.add_argument("--port", type=int, default=8888, help="port (default 8888)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")


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


def run(args: argparse.Namespace) -> int:
    from lmsdecide.io import data_dir

    install_lab_settings()
    notebook = data_dir().parent / "notebooks" / "00_start_here.ipynb"
    command = [sys.executable, "-m", "jupyter", "lab", str(notebook), f"--port={args.port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if args.no_browser:
        command.append("--no-browser")
    return subprocess.call(command)
