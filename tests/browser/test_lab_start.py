"""`make lab` opens JupyterLab on the start notebook, which runs top to bottom in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from lmsdecide.cli import install_lab_settings, lab_command
from lmsdecide.cli.lab import START_NOTEBOOK, start_path
from tests.browser.conftest import ARTIFACTS, LabServer, run_all
from tests.browser.pages import ROOT, free_port

pytestmark = pytest.mark.browser


def test_start_notebook_runs_in_jupyterlab(lab_server: LabServer, page: object) -> None:
    lab_server.delete_sessions()
    p = page
    p.goto(lab_server.notebook_url("00_start_here.ipynb"))  # type: ignore[attr-defined]
    p.wait_for_selector(".jp-Notebook", timeout=60_000)  # type: ignore[attr-defined]
    run_all(p)
    outputs = p.locator(".jp-OutputArea-output").all_inner_texts()  # type: ignore[attr-defined]
    text = "\n".join(outputs)
    # the first cell's output is not stored in the notebook: only a real run shows it
    assert "['cloud_no_integration',\n 'it_led'," in text
    assert "learning_led_late_it" in text
    assert "IT engaged in: test" in text
    # no error output, no page error, no news pop-up asking to fetch news
    assert not p.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()  # type: ignore[attr-defined]
    assert "Traceback" not in text
    assert not p.errors  # type: ignore[attr-defined]
    assert not p.get_by_text("Select Kernel").count()  # type: ignore[attr-defined]
    assert not p.get_by_text("Would you like to get notified about official Jupyter news?").count()  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTIFACTS / "start_here.png"), full_page=False)  # type: ignore[attr-defined]


def _foreign_workspace(config_dir: Path) -> None:
    """Another JupyterLab session's default workspace, with a notebook tab left open."""
    from jupyterlab_server.workspaces_handler import WorkspacesManager

    other = "01_who_drives.ipynb"
    data = {
        "data": {
            "layout-restorer:data": {
                "main": {
                    "dock": {
                        "type": "tab-area",
                        "currentIndex": 0,
                        "widgets": [f"notebook:{other}"],
                    }
                }
            },
            f"notebook:{other}": {"data": {"path": other, "factory": "Notebook"}},
        },
        "metadata": {"id": "default"},
    }
    WorkspacesManager(str(config_dir / "lab" / "workspaces")).save("default", json.dumps(data))


def test_make_lab_prints_and_opens_the_start_notebook(tmp_path: Path, browser: Any) -> None:
    """The command of `make lab` and `lmsdecide lab`: its printed link and the page it opens in
    the browser show the start notebook as the open tab, and no tab of another session."""
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)  # JupyterLab may autosave: never the committed ones
    install_lab_settings()
    config = tmp_path / "config"
    _foreign_workspace(config)
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"  # records what JupyterLab asks the browser to open
    fake_browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    fake_browser.chmod(0o755)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_PLATFORM_DIRS": "1",
        "BROWSER": f"{fake_browser} %s",
    }
    command = lab_command(free_port(), root=root, prefix=str(tmp_path / "env"))
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        printed = None
        while printed is None and time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:\d+\S+", log.read_text())
            printed = found.group(0) if found else None
            time.sleep(0.2)
        assert printed, f"JupyterLab printed no URL:\n{log.read_text()[-2000:]}"
        url = urllib.parse.urlsplit(printed)
        assert url.path == start_path() == f"/lab/workspaces/lmsdecide/tree/{START_NOTEBOOK}"
        assert urllib.parse.parse_qs(url.query).get("token"), printed
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert opened.exists(), "JupyterLab did not open a browser"

        for target in (printed, opened.read_text().strip()):  # the link, then the opened page
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            page.goto(target)
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_timeout(1000)  # the workspace's other tabs, if any, are restored by now
            current = page.locator(
                ".lm-DockPanel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"
            ).all_inner_texts()
            tabs = page.locator(
                ".lm-DockPanel .lm-TabBar-tab .lm-TabBar-tabLabel"
            ).all_inner_texts()
            assert current == [START_NOTEBOOK], (target, current)
            assert "01_who_drives.ipynb" not in tabs, f"another session's tab restored: {tabs}"
            page.screenshot(path=str(ARTIFACTS / "make-lab.png"))
            context.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
