"""The live room in Debian's chromium: three participants answer from their own pages while the
facilitator's workshop app (Voila, as ``lmsdecide present`` serves it) shows their answers.

Checks that the answers reach the facilitator's figures without anyone pressing a button, that
hostile text (a script tag, emoji, very long text) shows as text and never runs, that the
participants' pages work by keyboard and have no way to the facilitator's controls, and that
no request goes anywhere but 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lmsdecide.cli import present_command
from lmsdecide.io import example
from lmsdecide.room import RoomStore
from lmsdecide.room.simulate import spawn_server
from tests.browser.conftest import ARTIFACTS, free_port

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script> \U0001f600 " + "very long text " * 30

SHARE_JS = """() => {
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    const t = (el.layout && el.layout.title && el.layout.title.text) || '';
    if (t.startsWith('Learning share'))
      return {title: t, x: el.data && el.data[0] ? Array.from(el.data[0].x || []) : []};
  }
  return null;
}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    db = tmp_path_factory.mktemp("room") / "session.sqlite"
    RoomStore.create(db, example("learning_led_late_it")).close()
    room_port, app_port = free_port(), free_port()
    server = spawn_server(db, room_port)
    room_url = f"http://127.0.0.1:{room_port}/"
    command, env = present_command(app_port)
    env = {**env, "LMSDECIDE_ROOM_DB": str(db), "LMSDECIDE_ROOM_URL": room_url}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "voila-room.log").open("w")
    app = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    app_url = f"http://127.0.0.1:{app_port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{app_url}voila/static/voila.js", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or app.poll() is not None:
                    raise RuntimeError(
                        "the workshop app did not start; see voila-room.log"
                    ) from None
                time.sleep(0.3)
        yield room_url, app_url, db
    finally:
        for process in (app, server):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _participant(browser: Any, requests: list[str], dialogs: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page


def test_three_participants_and_the_facilitator(room: tuple[str, str, Path], browser: Any) -> None:
    room_url, app_url, _ = room
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    facilitator = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    facilitator.on("pageerror", lambda exc: errors.append(str(exc)))
    facilitator.on("request", lambda r: requests.append(r.url))
    facilitator.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    facilitator.goto(app_url, timeout=240_000)
    facilitator.get_by_text("The room, live").first.click(timeout=240_000)
    facilitator.wait_for_function(f"() => ({SHARE_JS})() !== null", timeout=120_000)
    assert facilitator.evaluate(SHARE_JS)["x"] == []
    assert facilitator.locator("svg").count() and facilitator.get_by_text(room_url).count()

    pages = [_participant(browser, requests, dialogs) for _ in range(3)]
    # 1: by mouse, with hostile text as name and comment
    p = pages[0]
    p.goto(room_url)
    p.get_by_label("Your name or initials").fill("<script>alert(1)</script>")
    p.get_by_role("button", name="Join").click()
    p.get_by_label("5 - decisive").check()
    p.get_by_label("It signs off the decision").check()
    p.get_by_label("Anything the room should know?").fill(HOSTILE)
    p.get_by_role("button", name="Save and continue").click()
    p.wait_for_url("**/q/1")
    # 2: by keyboard only
    p = pages[1]
    p.goto(room_url)
    p.get_by_label("Your name or initials").focus()
    p.keyboard.type("Kim")
    p.keyboard.press("Enter")
    p.wait_for_url("**/q/0")
    for _ in range(5):  # Tab to the first radio group (power), then pick with the arrow keys
        p.keyboard.press("Tab")
        if p.evaluate("() => document.activeElement.name") == "power":
            break
    p.keyboard.press("Space")
    p.keyboard.press("ArrowDown")
    assert p.locator("input[name=power]:checked").count() == 1
    p.get_by_role("button", name="Save and continue").focus()
    p.keyboard.press("Enter")
    p.wait_for_url("**/q/1")
    # 3: rates learning as powerless
    p = pages[2]
    p.goto(room_url)
    p.get_by_role("button", name="Join").click()
    p.get_by_label("1 - none").first.check()
    p.get_by_label("No formal say").check()
    p.get_by_role("button", name="Save and continue").click()
    p.wait_for_url("**/q/1")

    # the facilitator's view follows, with no button pressed: its counts and numbers at once
    started = time.monotonic()
    room_view = facilitator.locator(".lmsdecide-room")
    room_view.get_by_text("joined").wait_for(timeout=60_000)
    facilitator.wait_for_function(
        "() => [...document.querySelectorAll('.lmsdecide-room .tile')].some("
        "t => t.innerText.includes('joined') && t.innerText.trim().startsWith('3'))",
        timeout=60_000,
    )
    seen_after = time.monotonic() - started
    text = room_view.inner_text()
    assert "Learning share: median" in text and "Most disputed:" in text
    assert "<script>alert(1)</script> \U0001f600" in text  # a participant's text, shown as text
    facilitator.screenshot(path=str(ARTIFACTS / "room-facilitator.png"))

    # hostile text is text on the participant's page too, and never ran anywhere
    pages[0].goto(room_url + "q/0")
    assert (
        pages[0]
        .get_by_label("Anything the room should know?")
        .input_value()
        .startswith("<script>alert(1)</script>")
    )
    pages[0].goto(room_url + "done")
    assert pages[0].get_by_text("Thank you, <script>alert(1)</script>").count() == 1
    pages[0].screenshot(path=str(ARTIFACTS / "room-participant.png"), full_page=True)
    assert dialogs == []

    # a participant's page offers no way to the facilitator's controls
    for p in pages:
        links = p.eval_on_selector_all(
            "a[href], form[action]", "els => els.map(e => e.href || e.action)"
        )
        assert all(link.startswith(room_url) for link in links), links
        assert "The room, live" not in p.content() and str(app_url) not in p.content()
    for path in ("admin", "round", "export"):
        assert pages[0].goto(room_url + path).status == 404

    assert all(u.startswith("http://127.0.0.1:") for u in requests if u.startswith("http"))
    (ARTIFACTS / "room-timings.txt").write_text(
        f"third participant's answer to the facilitator's counts: {seen_after:.2f} s\n"
    )

    # and its figures: the learning share, one dot per participant
    broken = [e for e in errors if "Failed to initialize model" in e]
    if broken:  # the widget manager could not start plotly's FigureWidget: figures stay static
        pytest.xfail(f"Voila's page could not initialise the FigureWidgets ({broken[0]})")
    facilitator.wait_for_function(f"() => ({SHARE_JS})().x.length === 3", timeout=60_000)
    assert not [e for e in errors if "Script error" not in e], errors
