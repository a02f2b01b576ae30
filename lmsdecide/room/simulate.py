"""Simulated participants: rehearse a room, or load-test the participants' server.

Each simulated participant is a real HTTP client (standard library only: a cookie jar and
urllib) that joins, fetches every page, reads its XSRF token and submits random valid answers,
exactly as a phone would without JavaScript. :func:`spawn_server` starts ``room serve`` as a
subprocess and waits until it listens. Only the address given is contacted.
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lmsdecide.room.forms import Page, pages
from lmsdecide.room.questions import MAPPINGS, NOBODY
from lmsdecide.scenario import NEVER, Scenario

__all__ = ["SimulatedParticipant", "Submit", "random_form", "spawn_server"]

_XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


@dataclass(frozen=True)
class Submit:
    """One submitted page: when it was sent and answered (``time.time()`` seconds), the status."""

    page: int
    sent: float
    answered: float
    status: int
    location: str
    comment: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # keep the 303 so its Location can be read


class SimulatedParticipant:
    """One participant's browser: a cookie jar and a base URL (``http://127.0.0.1:PORT``)."""

    def __init__(self, base: str, *, timeout: float = 30.0) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.timeout = timeout
        self._open = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        ).open

    def request(
        self, path: str, data: dict[str, str | list[str]] | None = None
    ) -> tuple[int, str, str]:
        """(status, body, Location) of a GET (no data) or form POST."""
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self._open(req, timeout=self.timeout) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("Location", ""),
                )
        except urllib.error.HTTPError as err:
            text = err.read().decode(errors="replace")
            return err.code, text, err.headers.get("Location", "") or ""

    def xsrf(self, path: str) -> str:
        """The XSRF token of the form on ``path``."""
        status, html, _ = self.request(path)
        match = _XSRF.search(html)
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path}: status {status}, no form token")
        return match.group(1)

    def join(self, name: str = "", code: str = "") -> str:
        """Join the room; returns the Location the server sends the participant to."""
        token = self.xsrf("/")
        status, _, location = self.request("/join", {"_xsrf": token, "name": name, "code": code})
        if status != 303:
            raise RuntimeError(f"join: status {status}")
        return location

    def submit(self, page: int, form: dict[str, str | list[str]]) -> Submit:
        """Fetch page ``page`` and submit ``form`` on it."""
        token = self.xsrf(f"/q/{page}")
        sent = time.time()
        status, _, location = self.request(f"/q/{page}", {"_xsrf": token, **form})
        comment = form.get("comment", "")
        return Submit(page, sent, time.time(), status, location, str(comment))


def random_form(
    scenario: Scenario, page: Page, rng: np.random.Generator, *, comment: str = ""
) -> dict[str, str | list[str]]:
    """A random, valid answer to every question of ``page``."""
    form: dict[str, str | list[str]] = {}
    if page.kind == "department":
        for key in ("power", "interest", "say", "firmness"):
            form[key] = str(rng.choice([c.value for c in MAPPINGS[key].choices]))
        form["phase"] = str(rng.choice([*scenario.phase_ids, NEVER]))
        others = [d for d in scenario.department_ids if d != page.subject]
        k = int(rng.integers(0, min(3, len(others)) + 1))
        form["listens"] = [str(x) for x in rng.choice(others, k, replace=False)] if k else NOBODY
    else:
        values = [c.value for c in MAPPINGS["pairwise"].choices]
        for a, b in page.pairs:
            form[f"pair:{a}:{b}"] = str(rng.choice(values))
    if comment:
        form["comment"] = comment
    return form


def all_pages(scenario: Scenario) -> tuple[Page, ...]:
    """The questionnaire's pages (re-exported for simulations)."""
    return pages(scenario)


def spawn_server(
    db: str | Path,
    port: int,
    *,
    lan: bool = False,
    join_burst: float | None = None,
    timeout: float = 30.0,
    extra: Sequence[str] = (),
) -> subprocess.Popen[str]:
    """Start ``room serve`` on ``db`` as a subprocess and wait until it is ready."""
    cmd = [sys.executable, "-m", "lmsdecide.room.server", "--db", str(db), "--port", str(port)]
    if lan:
        cmd.append("--lan")
    if join_burst is not None:
        cmd += ["--join-burst", str(join_burst)]
    cmd += list(extra)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.strip() == "ready":
            # keep draining the pipe so a chatty server can never block on a full pipe
            threading.Thread(target=_drain, args=(proc, lines), daemon=True).start()
            return proc
    proc.kill()
    proc.wait()
    raise RuntimeError("room server did not start: " + "".join(lines[-20:]))


def _drain(proc: subprocess.Popen[str], lines: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        del lines[:-200]  # the last 200 lines, for a failing test's message
