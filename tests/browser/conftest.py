"""Fixtures for real-browser tests: a JupyterLab server on 127.0.0.1 and Debian's chromium.

Playwright drives ``/usr/bin/chromium`` (never a downloaded browser). Screenshots go to
``test-artifacts/`` (kept by CI as artefacts). Leftover kernel sessions are deleted before a
notebook is reopened: reconnecting to a kernel holding old widget models breaks anywidget.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.pages import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LabServer,
    free_port,
    run_all,
    wait_for,
)
from tests.browser.pages import lab_server as start_lab_server

__all__ = ["ARTIFACTS", "LabServer", "free_port", "run_all", "wait_for"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    with start_lab_server(tmp_path_factory.mktemp("lab")) as server:
        yield server


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
