"""`make lab` opens JupyterLab on the start notebook, which runs top to bottom in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, LabServer, run_all

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
