"""``lmsdecide lab``: JupyterLab on the start notebook, with the settings the notebooks need."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from lmsdecide.cli._common import Parser, Subparsers, add_command, compile_package


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


#: The project's own JupyterLab workspace: the start notebook opens in it, and tabs another
#: JupyterLab session left open on this machine (the "default" workspace) are not restored into it.
WORKSPACE = "lmsdecide"
START_NOTEBOOK = "00_start_here.ipynb"


def start_path() -> str:
    """The URL path ``make lab`` and ``lmsdecide lab`` land on: the start notebook's tab."""
    return f"/lab/workspaces/{WORKSPACE}/tree/{START_NOTEBOOK}"


def lab_command(
    port: int,
    *,
    open_browser: bool = True,
    root: Path | None = None,
    prefix: str | None = None,
    bundle: Path | None = None,
) -> list[str]:
    """The JupyterLab command of ``make lab`` and ``lmsdecide lab``.

    JupyterLab serves ``root`` (default: the project's ``notebooks/``); the URL it prints and the
    page it opens are :func:`start_path` (``--LabApp.default_url``: JupyterLab prints and opens
    its default URL). Workspaces are kept inside the environment (``prefix``, default the running
    one), so the project's workspace never mixes with another JupyterLab's. ``bundle``: plotly's
    widget bundle (:func:`~lmsdecide.cli.present.figure_bundle`), whose folder the server then
    serves among its static files (see :func:`lab_environment`).
    """
    from lmsdecide.io import data_dir

    root = root or data_dir().parent / "notebooks"
    workspaces = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "lmsdecide-workspaces"
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url={start_path()}",
        f"--LabApp.workspaces_dir={workspaces}",
        f"--port={port}",
    ]
    if bundle is not None:
        command.append(f"--ServerApp.extra_static_paths={bundle.parent}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses to start as root without it
    if not open_browser:
        command.append("--no-browser")
    return command


def lab_environment(bundle: Path | None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of JupyterLab (and so of its kernels) for :func:`lab_command`.

    With ``bundle`` served (``--ServerApp.extra_static_paths``), the notebooks' live figures are
    told its path on the server (:data:`~lmsdecide._env.FIGURE_BUNDLE_ENV`): each figure then
    imports plotly's 5 MB widget code from there, once per page, instead of sending its own copy
    through the kernel's connection (:func:`lmsdecide.figures.spec.build`).
    """
    from lmsdecide._env import FIGURE_BUNDLE_ENV

    env = dict(os.environ if base is None else base)
    env.pop(FIGURE_BUNDLE_ENV, None)
    if bundle is not None:
        env[FIGURE_BUNDLE_ENV] = f"/static/{bundle.name}"
    return env


def run(args: argparse.Namespace) -> int:
    from lmsdecide.cli.present import figure_bundle

    compile_package()  # every kernel imports compiled code
    install_lab_settings()
    bundle = figure_bundle()
    command = lab_command(args.port, open_browser=not args.no_browser, bundle=bundle)
    return subprocess.call(command, env=lab_environment(bundle))
