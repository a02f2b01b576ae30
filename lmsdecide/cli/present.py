"""``lmsdecide present``: the facilitator's workshop app (Voila), offline, on 127.0.0.1."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from lmsdecide.cli._common import EXIT_INVALID, Parser, Subparsers, add_command, compile_package
from lmsdecide.cli.room import add_present_options, room_beside


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "present",
        run,
        help="serve the workshop app (Voila) for a facilitator",
        description=(
            "Serve notebooks/05_workshop_live.ipynb as a Voila app on 127.0.0.1, offline, and "
            "the room's participants' server beside it (lmsdecide room serve). With --scenario "
            "the story's steps are derived from your organisation's scenario (as planned; with IT "
            "brought in late; as recommended; the partner choice)."
        ),
        example="Example: lmsdecide present --port 8866 --browser\n"
        "         lmsdecide present --scenario my_org.yaml\n"
        "         lmsdecide present --notebook 02_when_to_engage.ipynb",
    )
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--browser", action="store_true", help="open it in the default browser")
    p.add_argument(
        "--scenario",
        metavar="FILE",
        help="present the story of this scenario (.yaml, .json, .xlsx) instead of the bundled one",
    )
    p.add_argument(
        "--notebook",
        metavar="NAME",
        default=WORKSHOP_NOTEBOOK,
        help="serve this notebook of notebooks/ as the app instead (a dashboard, say); "
        "served this way its figures share one copy of plotly and follow every change",
    )
    add_present_options(p)  # the room server beside the app (lmsdecide.cli.room)


#: The facilitator's app, served by default.
WORKSHOP_NOTEBOOK = "05_workshop_live.ipynb"


def notebook_problem(name: str) -> str | None:
    """Why ``name`` cannot be served (not a notebook of the bundled ``notebooks/``), or None."""
    from lmsdecide._env import data_dir

    folder = data_dir().parent / "notebooks"
    known = sorted(p.name for p in folder.glob("*.ipynb"))
    if name in known:
        return None
    return f"--notebook: {name!r} is not one of the notebooks: {', '.join(known)}"


def present_command(
    port: int,
    *,
    open_browser: bool = False,
    scenario: str | os.PathLike[str] | None = None,
    notebook: str = WORKSHOP_NOTEBOOK,
    env_extra: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The Voila command (and environment) serving the workshop app on 127.0.0.1:``port``.

    Voila runs ``notebooks/05_workshop_live.ipynb`` (or ``notebook``) with the ``lmsdecide``
    template (the lab template without its CDN links: no request leaves the machine) and never
    sends tracebacks to the page. ``scenario`` names the file whose story is presented (passed
    to the notebook as :data:`lmsdecide.workshop.STORY_SCENARIO_ENV`, an absolute path).
    """
    # not lmsdecide.io or .workshop: they load pandas and the models (0.5 s) before the server
    from lmsdecide._env import FIGURE_BUNDLE_ENV, STORY_SCENARIO_ENV, data_dir

    root = data_dir().parent
    notebook_path = root / "notebooks" / notebook
    compile_package()  # the preheated kernel imports compiled code
    bundle = figure_bundle()
    paths = [
        str(root / "jupyter"),
        str(bundle.parents[4]) if bundle else "",
        os.environ.get("JUPYTER_PATH", ""),
    ]
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(p for p in paths if p)}
    env.pop(STORY_SCENARIO_ENV, None)
    env.pop(FIGURE_BUNDLE_ENV, None)
    if bundle is not None:  # served by Voila among the template's static files
        env[FIGURE_BUNDLE_ENV] = f"/voila/static/{bundle.name}"
        preload_bundle(bundle, env[FIGURE_BUNDLE_ENV])
    if scenario is not None:
        env[STORY_SCENARIO_ENV] = str(Path(scenario).resolve())
    env.update(env_extra or {})
    command = [
        sys.executable,
        "-m",
        "lmsdecide.cli._voila",  # Voila, the first page always on the preheated kernel
        str(notebook_path),
        "--template=lmsdecide",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--theme=light",
        # one kernel starts and runs the notebook as the server starts, not when the page is
        # first requested; after a page takes it, a spare one is prepared 10 s later (not at
        # once: the first interactions keep the CPU)
        "--preheat_kernel=True",
        "--pool_size=1",
        "--VoilaKernelManager.fill_delay=10",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command, env


def figure_bundle(cache: Path | None = None) -> Path | None:
    """plotly's widget bundle copied where Voila serves the ``lmsdecide`` template's static files.

    The copy lives in ``<cache>/jupyter/voila/templates/lmsdecide/static/`` (``cache`` defaults
    to ``$XDG_CACHE_HOME/lmsdecide`` or ``~/.cache/lmsdecide``), named with plotly's version, and
    is made once. Returns its path, or None when plotly's bundle is not found or the copy cannot
    be written (the figures then carry the bundle themselves, as in JupyterLab).
    """
    import importlib.metadata
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    source = Path(spec.origin).parent / "package_data" / "widgetbundle.js"
    if not source.is_file():
        return None
    if cache is None:
        from lmsdecide._env import cache_dir

        cache = cache_dir()
    version = importlib.metadata.version("plotly")
    target = cache / "jupyter" / "voila" / "templates" / "lmsdecide" / "static"
    target = target / f"plotly-widgetbundle-{version}.js"
    try:
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(source, partial)
            partial.replace(target)  # never a half-written bundle under the served name
    except OSError:
        return None
    return target


#: The template's include (beside the served bundle) that loads it early; see preload_bundle.
PRELOAD_INCLUDE = "figure_bundle.html"


def preload_bundle(bundle: Path, address: str) -> Path | None:
    """Write the ``lmsdecide`` template's include that loads and runs the figure bundle early.

    ``<template folder>/figure_bundle.html`` beside ``bundle``'s ``static/`` folder holds one
    ``<script type="module" async>`` of ``address`` (the path the figures import the bundle
    from: the same URL is the same module, so the figures get the one already run). Voila
    sends the page's head before it runs the notebook, and an ``async`` module runs as soon as
    it has arrived, not after the page is parsed: the browser fetches, compiles *and runs* the
    4 MB bundle (plotly.js sets itself up, about 0.6 s of the page's time) while the kernel
    works, instead of after the widgets are created. Written only when it differs; None when it
    cannot be written (the page then loads the bundle when the first figure needs it).
    """
    from html import escape

    target = bundle.parent.parent / PRELOAD_INCLUDE
    text = f'<script type="module" async src="{escape(address)}"></script>\n'
    try:
        if not target.is_file() or target.read_text() != text:
            partial = target.with_suffix(".part")
            partial.write_text(text)
            partial.replace(target)
    except OSError:
        return None
    return target


def run(args: argparse.Namespace) -> int:
    notebook = getattr(args, "notebook", WORKSHOP_NOTEBOOK)
    problem = notebook_problem(notebook)
    if problem is not None:
        print(f"lmsdecide present: {problem}", file=sys.stderr)
        return EXIT_INVALID
    delay = getattr(args, "room_delay", 0.0)
    if not 0.0 <= delay <= 600.0:  # NaN fails too
        print(
            f"lmsdecide present: --room-delay: must be between 0 and 600 seconds, got {delay:g}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if notebook != WORKSHOP_NOTEBOOK:
        args.no_room = True  # the participants' server serves the Workshop only
    if args.scenario:
        from lmsdecide.io import load_scenario
        from lmsdecide.scenario import ScenarioError

        try:  # refuse an invalid file here, not on the page
            load_scenario(args.scenario)
        except ScenarioError as exc:
            print(f"lmsdecide present: {exc}", file=sys.stderr)
            return EXIT_INVALID
    command, env = present_command(
        args.port, open_browser=args.browser, scenario=args.scenario, notebook=notebook
    )
    what = "the workshop app" if notebook == WORKSHOP_NOTEBOOK else notebook
    print(f"lmsdecide present: {what} on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
    sys.stdout.flush()
    with room_beside(args, env) as env_with_room:
        return subprocess.call(command, env=env_with_room)
