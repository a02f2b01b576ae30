"""The pages a person sees, opened in Debian's chromium, and what is measured on them.

Shared by the browser tests and ``tools/screenshots.py``: start the workshop app (Voila) and a
JupyterLab server, open the Workshop, a dashboard notebook or the HTML report, then measure the
layout (text cut, figure text outside its figure or overlapping, horizontal scroll) and run
axe-core (shipped by ``axe-playwright-python``: no CDN at run time).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The dashboard notebooks (JupyterLab), by short name.
DASHBOARDS = {
    "who_drives": "01_who_drives.ipynb",
    "when_to_engage": "02_when_to_engage.ipynb",
    "choose_a_partner": "03_choose_a_partner.ipynb",
    "compare_scenarios": "04_compare_scenarios.ipynb",
    "explore_uncertainty": "07_explore_uncertainty.ipynb",
}

#: Window sizes checked: a projector, a common laptop, a full-HD screen.
SIZES = ((1280, 720), (1366, 768), (1920, 1080))

#: Where the content of each kind of page lives (the JupyterLab chrome around a notebook is not
#: this project's page).
SCOPE = {
    "voila": "body",
    "lab": ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook",
    "report": "body",
}
#: What axe-core checks on each kind of page: in JupyterLab, the notebook's outputs and rendered
#: text (the code editors, prompts and list markup are JupyterLab's own).
AXE_SCOPE = {
    "voila": None,
    "lab": ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output,"
    " .jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput",
    "report": None,
}
#: JupyterLab's own parts of a notebook, left out of the layout checks (code scrolls sideways).
NOT_OURS = ".jp-InputArea-editor, .jp-InputPrompt, .jp-OutputPrompt, .jp-Toolbar"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    url: str,
    timeout: float = 60.0,
    process: subprocess.Popen[bytes] | None = None,
    poll: float = 0.25,
) -> None:
    """Return once ``url`` answers 200; raise when ``process`` exits first or after ``timeout``
    seconds. ``poll``: seconds between tries (a benchmark timing the start asks often)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"the server for {url} exited with {process.returncode}"
                ) from None
            time.sleep(poll)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# ---------------------------------------------------------------------------------------------
# servers
# ---------------------------------------------------------------------------------------------


@dataclass
class LabServer:
    url: str
    token: str

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self) -> None:
        sessions = self.api("GET", "/api/sessions")
        assert isinstance(sessions, list)
        for session in sessions:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def notebook_url(self, notebook: str) -> str:
        """The notebook in a workspace of its own, reset: the server's default workspace would
        reopen every notebook an earlier test opened (several .jp-Notebook, the wrong one active).
        """
        workspace = uuid.uuid4().hex[:12]
        return (
            f"{self.url}/lab/workspaces/{workspace}/tree/notebooks/{notebook}"
            f"?reset&token={self.token}"
        )


@contextlib.contextmanager
def lab_server(root: Path) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1 serving a copy of the notebooks under ``root``, with plotly's
    widget bundle served once for every figure, as `make lab` serves it."""
    from lmsdecide.cli import install_lab_settings, lab_environment
    from lmsdecide.cli.present import figure_bundle

    # Serve a copy: JupyterLab autosaves executed notebooks, and the committed ones must stay clean.
    shutil.copytree(ROOT / "notebooks", root / "notebooks", dirs_exist_ok=True)
    install_lab_settings()  # windowing mode "defer", no news pop-up: as `make lab` ships them
    port, token = free_port(), "lmsdecide-test"
    bundle = figure_bundle()
    served = [f"--ServerApp.extra_static_paths={bundle.parent}"] if bundle else []
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "jupyterlab.log").open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=None",
                # fresh workspace and user settings: a saved layout from an earlier run would
                # reopen old tabs and dialogs; the shipped overrides still apply
                f"--LabApp.workspaces_dir={root / 'workspaces'}",
                f"--LabApp.user_settings_dir={root / 'user-settings'}",
                *served,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=lab_environment(bundle, {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}),
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(f"{url}/api/status?token={token}", process=process)
            yield LabServer(url=url, token=token)
        finally:
            _stop(process)


@contextlib.contextmanager
def voila_app(
    command: list[str], env: dict[str, str], log_name: str = "voila.log"
) -> Iterator[tuple[str, float]]:
    """A Voila app started from ``command`` (as ``present_command`` builds it): (url, start
    time). Its output goes to ``test-artifacts/<log_name>``; it is stopped on exit."""
    port = next(a for a in command if a.startswith("--port=")).split("=", 1)[1]
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / log_name).open("w") as log:
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for(f"{url}voila/static/voila.js", timeout=120, process=process)
            yield url, started
        finally:
            _stop(process)


@contextlib.contextmanager
def workshop_app() -> Iterator[tuple[str, float]]:
    """The workshop app served as ``make present`` serves it: (url, start time)."""
    from lmsdecide.cli import present_command

    with voila_app(*present_command(free_port())) as served:
        yield served


def write_example_report(folder: Path) -> Path:
    """The report of two bundled scenarios (the one ``lmsdecide report`` writes)."""
    from lmsdecide.io import example
    from lmsdecide.report import write_report

    scenarios = [example("it_led"), example("learning_led_early_engagement")]
    return write_report(scenarios, folder / "report.html", n=400, seed=1)


# ---------------------------------------------------------------------------------------------
# opening the pages
# ---------------------------------------------------------------------------------------------


def open_workshop(page: Any, url: str, timeout_ms: int = 240_000) -> None:
    page.goto(url, timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3",
        timeout=timeout_ms,
    )
    settle(page)


def _click_run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    item = page.locator(".lm-Menu-itemLabel").filter(has_text="Run All Cells").first
    item.wait_for(state="visible")
    page.wait_for_timeout(300)  # the menu ignores clicks while it opens
    item.click()


_RUN_STATE_JS = """() => {
    const prompts = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
    const done = prompts.length > 0 && prompts.every(el => /\\[\\d+\\]/.test(el.textContent));
    const idle = !!document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
    return {done, idle};
}"""


def run_all(page: Any, timeout_ms: int = 180_000, stuck_s: float = 10.0) -> None:
    """Run All Cells through the menu, then wait until every code cell has run.

    Seen under load on a fresh server: the kernel goes idle with the last cells never run. When
    the kernel has been idle for ``stuck_s`` with cells unrun, Run All again (at most twice).
    """
    p = page
    p.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)
    _click_run_all(p)
    deadline = time.monotonic() + timeout_ms / 1000
    idle_since: float | None = None
    retries = 0
    while time.monotonic() < deadline:
        state = p.evaluate(_RUN_STATE_JS)
        if state["done"] and state["idle"]:
            return
        now = time.monotonic()
        idle_since = (idle_since or now) if state["idle"] and not state["done"] else None
        if idle_since is not None and now - idle_since > stuck_s and retries < 2:
            retries += 1
            idle_since = None
            _click_run_all(p)
        p.wait_for_timeout(500)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    raise PlaywrightTimeout(f"Run All did not finish within {timeout_ms / 1000:.0f} s")


def open_dashboard(page: Any, lab: LabServer, notebook: str, timeout_ms: int = 180_000) -> None:
    """Open ``notebook`` in JupyterLab, Run All, and wait for its figures."""
    lab.delete_sessions()
    page.goto(lab.notebook_url(notebook))
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    drawn = "() => document.querySelectorAll('.jp-Notebook .js-plotly-plot .main-svg').length >= 1"
    run_all(page, timeout_ms)
    try:
        page.wait_for_function(drawn, timeout=60_000)
    except PlaywrightTimeout:  # seen once under load: outputs never drawn; run the cells again
        run_all(page, timeout_ms)
        page.wait_for_function(drawn, timeout=timeout_ms)
    # the explorer's discovery runs once its dashboard is out: wait for its rules and box
    page.wait_for_function(
        "() => !document.body.innerText.includes('concentrates (PRIM)…')", timeout=timeout_ms
    )
    settle(page)


def open_report(page: Any, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function(
        """() => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')];
            return plots.length > 0 && plots.every(e => e.querySelector('.main-svg'));
        }""",
        timeout=60_000,
    )
    settle(page)


def settle(page: Any, ms: int = 600) -> None:
    """Let plotly's resize handlers and the widgets' layout finish after a change of size."""
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    page.wait_for_timeout(ms)


def resize(page: Any, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    settle(page, 900)


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------

#: Elements whose text must never be cut, and the texts of a figure that must fit it.
LAYOUT_JS = (Path(__file__).parent / "layout_check.js").read_text()


@dataclass
class LayoutFindings:
    """What is wrong with a page's layout at one window size."""

    page: str
    size: tuple[int, int]
    cut: list[dict[str, Any]] = field(default_factory=list)
    scroll: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def figure_problems(self) -> list[str]:
        return [
            f"{self.page} at {self.size[0]}x{self.size[1]}: figure '{f['figure']}': "
            + (
                f"{p['what']} '{p['text']}' {p['kind']} by {p['overflow']} px"
                if p["kind"] != "overlap"
                else f"{p['what']} '{p['text']}' overlaps {p['otherWhat']} '{p['other']}'"
            )
            for f in self.figures
            for p in f["problems"]
        ]

    @property
    def page_problems(self) -> list[str]:
        where = f"{self.page} at {self.size[0]}x{self.size[1]}"
        return [
            f"{where}: text cut in <{c['tag']}> '{c['text']}' "
            f"(needs {c['scrollWidth']} px, has {c['clientWidth']})"
            for c in self.cut
        ] + [
            f"{where}: horizontal scroll in {s['where']} "
            f"({s['scrollWidth']} > {s['clientWidth']} px)"
            for s in self.scroll
        ]


def measure_layout(page: Any, kind: str, name: str) -> LayoutFindings:
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    found = page.evaluate(LAYOUT_JS, [SCOPE[kind], NOT_OURS])
    return LayoutFindings(page=name, size=(width, height), **found)


def axe(page: Any, kind: str) -> dict[str, Any]:
    """axe-core's results on the page's content (WCAG 2.x A and AA rules and best practices)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=AXE_SCOPE[kind])
    return results.response  # type: ignore[no-any-return]


def axe_counts(results: dict[str, Any]) -> dict[str, int]:
    """Violations (rules) by impact, and the elements concerned in total."""
    counts = {"critical": 0, "serious": 0, "moderate": 0, "minor": 0, "total": 0, "nodes": 0}
    for violation in results["violations"]:
        counts[violation.get("impact") or "minor"] += 1
        counts["total"] += 1
        counts["nodes"] += len(violation["nodes"])
    return counts


def axe_serious(results: dict[str, Any]) -> list[str]:
    """One line per serious or critical violation, naming the rule and the first elements."""
    out = []
    for v in results["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = "; ".join(
                f"{', '.join(map(str, n['target']))}: {n.get('failureSummary', '')[:140]!r}"
                for n in v["nodes"][:4]
            )
            out.append(
                f"{v['impact']} {v['id']} ({len(v['nodes'])} elements): {v['help']}; {targets}"
            )
    return out


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """One headless Debian chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is missing: run 'apt-get install chromium'")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
