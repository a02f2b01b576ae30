"""What makes the first page quick: the served widget bundle, the deferred IRI grammar."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go
import pytest

from lmsdecide._env import FIGURE_BUNDLE_ENV
from lmsdecide.cli.present import PRELOAD_INCLUDE, figure_bundle, preload_bundle, present_command
from lmsdecide.figures.spec import build

SPEC = {"data": [{"type": "bar", "uid": "b", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}


def test_the_bundle_is_copied_once_where_voila_serves_the_template(tmp_path: Path) -> None:
    bundle = figure_bundle(tmp_path)
    assert bundle is not None
    version = importlib.metadata.version("plotly")
    assert bundle == (
        tmp_path / "jupyter/voila/templates/lmsdecide/static" / f"plotly-widgetbundle-{version}.js"
    )
    assert bundle.stat().st_size > 1_000_000  # plotly.js and the widget code
    mtime = bundle.stat().st_mtime_ns
    assert figure_bundle(tmp_path) == bundle and bundle.stat().st_mtime_ns == mtime
    bundle.write_text("half")  # a damaged copy is replaced
    assert figure_bundle(tmp_path) == bundle and bundle.stat().st_size > 1_000_000


def test_an_unwritable_cache_leaves_the_figures_as_they_were(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert figure_bundle(blocked) is None  # a file where the folder should be


def test_present_serves_the_bundle_and_tells_the_notebook(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(FIGURE_BUNDLE_ENV, "http://elsewhere/x.js")  # never inherited
    command, env = present_command(9123)
    bundle = figure_bundle(tmp_path / "lmsdecide")
    assert bundle is not None
    assert env[FIGURE_BUNDLE_ENV] == f"/voila/static/{bundle.name}"
    assert str(tmp_path / "lmsdecide" / "jupyter") in env["JUPYTER_PATH"].split(":")
    assert "--preheat_kernel=True" in command and "--pool_size=1" in command


def test_live_figures_load_the_bundle_from_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FIGURE_BUNDLE_ENV, raising=False)
    own = build(SPEC, widget=True)
    assert len(own._esm) > 1_000_000  # type: ignore[attr-defined]  # the bundle itself
    monkeypatch.setenv(FIGURE_BUNDLE_ENV, "/voila/static/b-7.1.0.js")
    served = build(SPEC, widget=True)
    # a module importing the path from the page's own origin (127.0.0.1 or localhost alike)
    code = served._esm  # type: ignore[attr-defined]
    lines = code.splitlines()
    assert lines[0] == (
        "const bundle = await import("
        'new URL("/voila/static/b-7.1.0.js", window.location.href).href);'
    )
    assert lines[-1] == "export default bundle.default;"
    # plotly's reports of its defaults after each redraw: skipped for a figure that says so
    assert 'if (this.model.get("_page_reports") === false) return;' in code
    assert "_page_reports" not in served.get_state()  # plotly's own widget: reports as ever
    from lmsdecide.widgets.base import LiveFigureWidget

    live = build(SPEC, widget=LiveFigureWidget)
    assert live.get_state()["_page_reports"] is False and live._esm == code  # type: ignore[attr-defined]
    # drawn while in the window only, from the model's figure: the live figures opt in
    assert 'if (this.model.get("_draw_when_seen") !== true) return edit.apply(this, args);' in code
    assert "_draw_when_seen" not in served.get_state()
    assert live.get_state()["_draw_when_seen"] is True
    assert served.get_state()["_esm"] == code  # the widget's state never held the bundle
    assert isinstance(served, go.FigureWidget)
    assert served.data[0].y == (1, 2)
    for bad in ("javascript:alert(1)", "http://elsewhere/x.js", '/x.js");alert(1);("'):
        monkeypatch.setenv(FIGURE_BUNDLE_ENV, bad)  # not a plain path on this server: ignored
        assert len(build(SPEC, widget=True)._esm) > 1_000_000  # type: ignore[attr-defined]
    assert not hasattr(build(SPEC), "_esm")


def test_the_iri_grammar_waits_until_an_iri_is_checked() -> None:
    if importlib.util.find_spec("rfc3987_syntax") is None:
        # `make` removes the package from the project's environment: nothing to defer, and no
        # stand-in may appear in its place
        code = (
            "import sys\n"
            "import lmsdecide.figures\n"
            "import plotly.graph_objects as go\n"
            "go.Figure()._repr_mimebundle_({}, {})\n"
            "assert 'rfc3987_syntax' not in sys.modules\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
        return
    code = (
        "import sys\n"
        "import lmsdecide.figures\n"
        "import plotly.graph_objects as go\n"
        "go.Figure()._repr_mimebundle_({}, {})\n"  # the renderers: nbformat, jsonschema
        "assert 'jsonschema' in sys.modules\n"
        "assert 'rfc3987_syntax.syntax_helpers' not in sys.modules\n"
        "from jsonschema import FormatChecker\n"
        "checker = FormatChecker()\n"
        "assert checker.conforms('http://example.org/a', 'iri')\n"
        "assert not checker.conforms('no iri ::: []', 'iri')\n"
        "assert 'rfc3987_syntax.syntax_helpers' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_model_packages_do_not_import_the_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "import lmsdecide.influence, lmsdecide.timing, lmsdecide.partner\n"
        "heavy = [m for m in ('pandas', 'networkx', 'scipy.optimize', 'scipy.stats',"
        " 'scipy.linalg', 'scipy.sparse') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import lmsdecide as lms\n"
        "assert lms.get_model('who_drives')(lms.example('it_led')).to_frame().shape[0] > 0\n"
        "assert 'pandas' in sys.modules and 'scipy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_present_starts_voila_before_loading_the_models(tmp_path: Path) -> None:
    """``lmsdecide present`` (the Workshop with its room) gets to launching Voila without
    pandas: the models load in the kernel, not in the command that starts the server."""
    code = (
        "import subprocess, sys\n"
        "launched = []\n"
        "subprocess.call = lambda command, env: launched.append(command[2]) or 0\n"
        "class Room:\n"
        "    def __init__(self, command): launched.append(command[2])\n"
        "    def terminate(self): pass\n"
        "    def wait(self, timeout=None): pass\n"
        "subprocess.Popen = Room\n"
        "from lmsdecide.cli import main\n"
        f"assert main(['present', '--port=8999', '--room-db={tmp_path / 'room.sqlite'}']) == 0\n"
        # the room's server waits (--room-delay, 10 s): this present ended before it started
        "assert launched == ['lmsdecide.cli._voila'], launched\n"
        "launched.clear()\n"
        f"assert main(['present', '--port=8999', '--room-db={tmp_path / 'room.sqlite'}',"
        " '--room-delay=0']) == 0\n"
        "assert launched == ['lmsdecide.room.server', 'lmsdecide.cli._voila'], launched\n"
        "assert 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_lab_serves_the_bundle_and_tells_the_kernels(tmp_path: Path) -> None:
    from lmsdecide.cli.lab import lab_command, lab_environment

    bundle = figure_bundle(tmp_path / "cache")
    assert bundle is not None
    command = lab_command(
        9124, open_browser=False, root=tmp_path, prefix=str(tmp_path), bundle=bundle
    )
    assert f"--ServerApp.extra_static_paths={bundle.parent}" in command
    env = lab_environment(bundle, {FIGURE_BUNDLE_ENV: "/static/stale.js", "HOME": "/h"})
    assert env == {FIGURE_BUNDLE_ENV: f"/static/{bundle.name}", "HOME": "/h"}
    # no bundle (plotly's file not found): nothing served, no stale path inherited
    assert not any("extra_static_paths" in a for a in lab_command(9124, root=tmp_path))
    assert lab_environment(None, {FIGURE_BUNDLE_ENV: "/static/stale.js"}) == {}


@pytest.mark.parametrize(
    ("build", "module"),
    [
        (  # the Workshop's first diagnosis (partner odds: scipy.stats) waits until the page
            # is out, and its first screen needs no part of scipy (who drives: numpy's solve;
            # the partner path's breakpoints: bisection)
            "from lmsdecide.widgets.workshop import Workshop\n"
            "from lmsdecide.workshop import story_from_environment\n"
            "build = lambda: Workshop(story=story_from_environment())\n",
            "scipy",
        ),
        (  # the explorer's first discovery (PRIM) waits until its figures are out
            "import lmsdecide as L\n"
            "from lmsdecide.widgets.explore import ExploreUncertainty\n"
            "build = lambda: ExploreUncertainty(L.example('learning_led_late_it'), variants=100)\n",
            "ema_workbench",
        ),
    ],
    ids=["workshop", "explorer"],
)
def test_building_a_first_screen_in_a_kernel_leaves_the_slow_import_out(
    build: str, module: str
) -> None:
    code = (
        "import asyncio, sys\n" + build + "async def main():\n"
        "    build()\n"
        f"    assert {module!r} not in sys.modules\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_a_timing_dashboards_first_screen_needs_no_scipy_stats_once_its_points_are_kept(
    tmp_path: Path,
) -> None:
    """WhenToEngage draws with scrambled Sobol points: the first time on a machine they come
    from scipy.stats.qmc (importing scipy.stats, 0.6-1 s) and are kept in the cache folder;
    after that its first screen in a kernel leaves scipy.stats out (the findings import it,
    after the screen)."""
    code = (
        "import asyncio, sys\n"
        "from lmsdecide.widgets import WhenToEngage\n"
        "async def main():\n"
        "    WhenToEngage('learning_led_late_it')\n"
        "    print('scipy.stats' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def first_screen_imports_scipy_stats() -> str:
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, timeout=300, capture_output=True
        )
        return run.stdout.decode().strip().splitlines()[-1]

    assert first_screen_imports_scipy_stats() == "True"  # computed, then kept
    assert list((tmp_path / "lmsdecide" / "sobol").glob("sobol-scipy*.npy"))
    assert first_screen_imports_scipy_stats() == "False"


def test_present_preloads_the_bundle_from_the_address_the_figures_import(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _, env = present_command(9123)
    bundle = figure_bundle(tmp_path / "lmsdecide")
    assert bundle is not None
    include = bundle.parent.parent / PRELOAD_INCLUDE
    address = env[FIGURE_BUNDLE_ENV]
    # run as soon as it arrives (async), not once the page is parsed
    assert include.read_text() == f'<script type="module" async src="{address}"></script>\n'
    template = Path(__file__).parents[1] / "jupyter/voila/templates/lmsdecide/index.html.j2"
    assert f"{{% include '{PRELOAD_INCLUDE}' ignore missing %}}" in template.read_text()
    include.write_text("stale")  # rewritten when it differs
    assert preload_bundle(bundle, address) == include and address in include.read_text()
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert preload_bundle(blocked / "static" / "b.js", address) is None  # cannot be written


def test_the_first_page_waits_for_the_pool_while_it_fills() -> None:
    """A page requested before Voila registers the pool's notebook takes the pool's kernel
    (Voila alone would start a second kernel); other requests are decided as Voila does."""
    from voila.handler import VoilaHandler

    from lmsdecide.cli._voila import use_the_filling_pool

    original = VoilaHandler.should_use_rendered_notebook
    try:
        use_the_filling_pool()
        decide = VoilaHandler.should_use_rendered_notebook
        assert decide is not original
        use_the_filling_pool()  # once only: the patched one is kept
        assert VoilaHandler.should_use_rendered_notebook is decide
        handler = object.__new__(VoilaHandler)
        filled = {"template": "lmsdecide", "theme": "light"}
        assert decide(handler, {}, 1, None, None, {}) is True  # still filling: wait for it
        assert decide(handler, {}, 0, None, None, {}) is False  # no pool: a kernel of its own
        assert decide(handler, {}, 1, "lab", None, {}) is False  # another template asked for
        assert decide(handler, filled, 1, None, None, {}) is True
        assert decide(handler, filled, 1, None, "dark", {}) is False
    finally:
        VoilaHandler.should_use_rendered_notebook = original
    command, _ = present_command(9123)
    assert command[1:3] == ["-m", "lmsdecide.cli._voila"]


def test_the_apps_compile_the_package_for_their_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """``present``, ``interview`` and ``lab`` write the package's bytecode before any kernel
    starts, also where the environment forbids Python to write it on import."""
    import importlib.util as iu
    from pathlib import Path

    from lmsdecide.cli import _common

    source = Path(_common.__file__)
    cached = Path(iu.cache_from_source(str(source)))
    if cached.exists():
        cached.unlink()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    present_command(9124)
    assert cached.is_file() and cached.stat().st_mtime >= source.stat().st_mtime


def test_a_dashboard_shown_in_a_kernel_leaves_the_collectors_full_passes() -> None:
    """Shown in a running loop (a kernel), a dashboard and what it holds move to the permanent
    generation (``gc.freeze``): the collector's full passes no longer walk them (75-140 ms
    with a dashboard in a kernel). Built in a script, nothing is frozen. In a subprocess: the
    test process's own collector stays as it is."""
    code = (
        "import asyncio, gc\n"
        "from lmsdecide.widgets import CompareScenarios, WhoDrives\n"
        "from lmsdecide.widgets.workshop import Workshop\n"
        "def tracked(obj):\n"
        "    return any(o is obj for o in gc.get_objects())\n"
        "builds = [lambda: WhoDrives('it_led'), lambda: Workshop(),\n"
        "          lambda: CompareScenarios(['it_led', 'learning_led_late_it'])]\n"
        "script = builds[0]()\n"
        "script._repr_mimebundle_()\n"
        "assert gc.get_freeze_count() == 0, 'frozen outside a running loop'\n"
        "assert tracked(script) and tracked(script.figures)\n"
        "async def main():\n"
        "    for build in builds:\n"
        "        dash = build()\n"
        "        before = gc.get_freeze_count()\n"
        "        assert tracked(dash)\n"
        "        dash._repr_mimebundle_()\n"
        "        assert not tracked(dash), type(dash).__name__\n"
        "        assert gc.get_freeze_count() > before, type(dash).__name__\n"
        "    assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()\n"
        "asyncio.run(main())\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], timeout=300, capture_output=True)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    assert run.stdout.decode().split() == ["ok"]
