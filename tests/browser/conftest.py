"""Fixtures for real-browser tests: a JupyterLab server on 127.0.0.1 and Debian's chromium.

Playwright drives ``/usr/bin/chromium`` (never a downloaded browser). Screenshots go to
``test-artifacts/`` (kept by CI as artefacts). Leftover kernel sessions are deleted before a
notebook is reopened: reconnecting to a kernel holding old widget models breaks anywidget.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path

import pytest

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

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


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


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    from lmsdecide.cli import install_lab_settings

    # Serve a copy: JupyterLab autosaves executed notebooks, and the committed ones must stay clean.
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    install_lab_settings()  # windowing mode "defer", no news pop-up: as `make lab` ships them
    port, token = free_port(), "lmsdecide-test"
    log = (
        (ARTIFACTS / "jupyterlab.log").open("w") if ARTIFACTS.mkdir(exist_ok=True) is None else None
    )
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
            # fresh workspace and user settings: a saved layout from an earlier run would reopen
            # old tabs and dialogs; the shipped overrides still apply
            f"--LabApp.workspaces_dir={root / 'workspaces'}",
            f"--LabApp.user_settings_dir={root / 'user-settings'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/api/status?token={token}")
        yield LabServer(url=url, token=token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            log.close()


# Module scope, not session: Playwright's sync API runs its asyncio loop in this thread (in a
# greenlet), so while it is open asyncio.get_running_loop() answers in every test. The dashboards
# queue their diagnosis when a loop is running; the tests after the browser tests must see none.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run 'apt-get install chromium' (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    context.close()


def run_all(page: object, timeout_ms: int = 120_000) -> None:
    """Run All Cells through the menu, then wait for the kernel to be idle."""
    p = page
    p.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)  # type: ignore[attr-defined]
    p.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()  # type: ignore[attr-defined]
    item = p.locator(".lm-Menu-itemLabel").filter(has_text="Run All Cells").first  # type: ignore[attr-defined]
    item.wait_for(state="visible")
    p.wait_for_timeout(300)  # type: ignore[attr-defined]  # the menu ignores clicks while it opens
    item.click()
    # Done when every code cell shows an execution number ("[3]:"), not "[ ]:" or "[*]:".
    p.wait_for_function(  # type: ignore[attr-defined]
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(el => /\\[\\d+\\]/.test(el.textContent));
        }""",
        timeout=timeout_ms,
    )
    p.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)  # type: ignore[attr-defined]
