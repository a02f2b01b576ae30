"""The participants' web server: plain HTML forms, one SQLite file, nothing else.

Built on Tornado, which Jupyter Server and Voila already run on: no new web stack beside the
facilitator's Voila app, one single-threaded process whose every write is one committed SQLite
transaction before the participant's page answers (so ``kill -9`` loses nothing a participant
was told is saved).

Routes (participants only; the facilitator's controls live in the Workshop, not here):

``GET /``              join page (a returning participant goes on where they were)
``POST /join``         join: sets the participant cookie (a random token; only its hash is stored)
``GET|POST /q/<n>``    page n of the questionnaire: one per department, then the criteria
``GET /done``          thanks, links to revise, feedback on the consistency of the comparisons
``GET /summary.json``  counts only: participants, completed, answers, in total and per round
``GET /room.css``      the stylesheet

Security: binds 127.0.0.1 unless ``lan``; over the LAN a session code is required to join; every
form carries Tornado's XSRF token (bound to a cookie of the participant's browser); every field
is validated against :mod:`lmsdecide.room.questions` and escaped by Jinja2 wherever shown; bodies
over 64 KiB are refused; each participant (or, before joining, each address) has a token bucket
and gets 429 with ``Retry-After`` when it is empty; a Content-Security-Policy forbids scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import queue
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import tornado.httpserver
import tornado.web

from lmsdecide.partner.ahp import ahp_weights
from lmsdecide.room.address import join_url
from lmsdecide.room.aggregate import spread
from lmsdecide.room.forms import Page, pages, validate_name, validate_page
from lmsdecide.room.questions import COMMENT_MAX, MAPPINGS, NAME_MAX, NOBODY
from lmsdecide.room.store import RoomStore
from lmsdecide.scenario import NEVER

__all__ = ["Limits", "RateLimiter", "join_url", "make_app", "qr_svg", "serve"]

COOKIE = "lmsroom"
MAX_BODY = 64 * 1024
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class Limits:
    """Token-bucket rate limits (requests): ``burst`` at once, then ``per_second`` on average.

    ``participant`` applies to each joined participant; ``address`` to each client address
    before it joins (the join page and the join itself). Participants behind one address (a
    NAT, or every simulated participant of a load test on 127.0.0.1) share the address bucket
    only until they have joined.
    """

    participant_burst: float = 30.0
    participant_per_second: float = 3.0
    address_burst: float = 60.0
    address_per_second: float = 2.0
    max_keys: int = 10_000


@dataclass
class RateLimiter:
    """Token buckets per key, at most ``max_keys`` kept (least recently used dropped)."""

    burst: float
    per_second: float
    max_keys: int = 10_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token: 0 when allowed, else the seconds to wait for the next token."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._buckets[key] = (tokens, now)
            wait = (1.0 - tokens) / self.per_second
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


class Writer:
    """The one thread that writes to the session: group commit off the event loop.

    Handlers queue a write (a function of a :class:`RoomStore`) and await its result; the thread
    takes every write queued meanwhile, runs them in one transaction (a savepoint each) and
    commits once, so 40 pages arriving together cost one sync to disk, not 40, and the event loop
    keeps serving pages while the disk syncs. A participant's page answers only after the commit.
    """

    def __init__(self, path: str | Path) -> None:
        self.store = RoomStore(path)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="room-writer", daemon=True)
        self._thread.start()

    def submit(self, write: Callable[[RoomStore], Any]) -> asyncio.Future[Any]:
        """Queue ``write``; the future resolves (on the calling loop) once it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.put((write, future, loop))
        return future

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(item is None for item in batch)
            work = [item for item in batch if item is not None]
            outcomes: list[tuple[bool, Any]] = []
            try:
                with self.store.batch():
                    for write, _, _ in work:
                        try:
                            outcomes.append((True, write(self.store)))
                        except Exception as exc:  # undone alone (its savepoint)
                            outcomes.append((False, exc))
            except Exception as exc:  # the commit itself failed: nothing of the batch is saved
                outcomes = [(False, exc)] * len(work)
            for (_, future, loop), (ok, value) in zip(work, outcomes, strict=True):
                loop.call_soon_threadsafe(_settle, future, ok, value)
            if stop:
                self.store.close()
                return

    def close(self) -> None:
        """Finish the queued writes and stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("lmsdecide.room", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class _Base(tornado.web.RequestHandler):
    """Common headers, the rate limit, the participant and the rendering."""

    store: RoomStore
    writer: Writer
    env: jinja2.Environment

    def initialize(self, state: dict[str, Any]) -> None:
        self.state = state
        self.store = state["store"]
        self.writer = state["writer"]
        self.env = state["env"]
        self.participant_id: int | None = None

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        token = self.get_cookie(COOKIE)
        self.participant_id = self.store.participant(token)
        if self.participant_id is not None:
            wait = self.state["by_participant"].take(f"p{self.participant_id}")
        else:
            wait = self.state["by_address"].take(f"a{self.request.remote_ip}")
        if wait > 0:
            self.set_header("Retry-After", str(max(1, math.ceil(wait))))
            self.send_error(429)
            return
        if self.request.method == "POST":
            super().check_xsrf_cookie()  # 403 when missing or not this browser's

    def check_xsrf_cookie(self) -> None:
        """Checked in :meth:`prepare`, after the rate limit: a flood is slowed before anything."""

    def render_page(self, template: str, status: int = 200, **context: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        html = self.env.get_template(template).render(
            scenario_name=self.store.scenario.name,
            round=self.store.round,
            xsrf=jinja2.utils.markupsafe.Markup(self.xsrf_form_html()),
            **context,
        )
        self.finish(html)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        messages = {
            403: "This form has expired or did not come from this page. Go back and try again.",
            404: "There is no such page.",
            405: "That is not allowed here.",
            413: "That was too much text.",
            429: "Too many requests: please wait a few seconds and try again.",
        }
        message = messages.get(status_code, "Something went wrong; your saved answers are safe.")
        try:
            self.render_page("message.html.j2", status_code, title="Sorry", message=message)
        except Exception:  # the store itself failed: plain text, never a trace
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(message)

    def pages(self) -> tuple[Page, ...]:
        pages_: tuple[Page, ...] = self.state["pages"]
        return pages_

    def require_participant(self) -> int | None:
        if self.participant_id is None:
            self.redirect("/")
            return None
        return self.participant_id

    def next_page(self, participant: int) -> str:
        """Where a returning participant goes on: the first page not answered in this round."""
        round_ = self.store.round
        if self.store.completed(participant, round_):
            return "/done"
        answered = {s for (_, s, _) in self.store.latest(participant, only_round=round_)}
        for p in self.pages():
            if p.subject not in answered and not (
                p.kind == "criteria" and any("|" in s for s in answered)
            ):
                return f"/q/{p.index}"
        return "/done"


class JoinHandler(_Base):
    def get(self) -> None:
        if self.participant_id is not None:
            self.redirect(self.next_page(self.participant_id))
            return
        self.render_page(
            "join.html.j2",
            title="Join",
            problems=[],
            need_code=self.state["lan"],
            code=self.get_query_argument("code", "")[:16],
            name="",
            name_max=NAME_MAX,
        )

    async def post(self) -> None:
        if self.participant_id is not None:
            self.redirect(self.next_page(self.participant_id))
            return
        name, problems = validate_name(self.get_body_arguments("name"))
        code = self.get_body_argument("code", "").strip().upper()
        if self.state["lan"] and code != self.store.code.upper():
            problems.append("code: that is not this room's session code")
        if problems:
            self.render_page(
                "join.html.j2",
                400,
                title="Join",
                problems=problems,
                need_code=self.state["lan"],
                code=code[:16],
                name=name,
                name_max=NAME_MAX,
            )
            return
        _, token = await self.writer.submit(lambda store: store.join(name))
        self.set_cookie(COOKIE, token, httponly=True, samesite="Lax", expires_days=2)
        self.redirect("/q/0", status=303)


def _form(handler: tornado.web.RequestHandler) -> dict[str, list[str]]:
    return {
        k: [v.decode("utf-8", "replace") for v in vs]
        for k, vs in handler.request.body_arguments.items()
    }


class PageHandler(_Base):
    def _page(self, index: str) -> Page | None:
        all_pages = self.pages()
        n = int(index) if index.isdigit() and len(index) < 4 else -1
        if not 0 <= n < len(all_pages):
            self.send_error(404)
            return None
        return all_pages[n]

    def _medians(self, round_: int) -> dict[tuple[str, str], str]:
        """(department, question) -> the room's median answer of the previous round, as a label."""
        cache = self.state["medians"]
        if round_ not in cache:
            latest = self.store.latest(up_to_round=round_ - 1)
            scenario = self.store.scenario
            out: dict[tuple[str, str], str] = {}
            for dept in scenario.department_ids:
                for q in ("power", "interest", "say", "firmness"):
                    values = [
                        MAPPINGS[q].number(v)
                        for (_, s, qq), v in latest.items()
                        if s == dept and qq == q
                    ]
                    if values:
                        m = float(spread(np.asarray(values, dtype=float)[:, None]).median[0])
                        nearest = min(MAPPINGS[q].choices, key=lambda c: abs(c.number - m))
                        out[(dept, q)] = nearest.label
                phases = [*scenario.phase_ids, NEVER]
                idx = sorted(
                    phases.index(v)
                    for (_, s, qq), v in latest.items()
                    if s == dept and qq == "phase"
                )
                if idx:
                    out[(dept, "phase")] = _phase_label(scenario, phases[idx[(len(idx) - 1) // 2]])
            cache[round_] = out
        medians: dict[tuple[str, str], str] = cache[round_]
        return medians

    def _render(
        self,
        page: Page,
        participant: int,
        status: int = 200,
        problems: Sequence[str] = (),
        form: dict[str, list[str]] | None = None,
    ) -> None:
        scenario = self.store.scenario
        round_ = self.store.round
        mine = {(s, q): v for (_, s, q), v in self.store.latest(participant).items()}
        if form is not None:  # show what was sent, so nothing typed is lost on a problem

            def chosen(name: str, subject: str, question: str) -> list[str]:
                return form.get(name, [])
        else:

            def chosen(name: str, subject: str, question: str) -> list[str]:
                value = mine.get((subject, question))
                if value is None:
                    return []
                return value.split(",") if question == "listens" else [value]

        medians = self._medians(round_) if round_ > 1 else {}
        questions = []
        if page.kind == "department":
            dept = page.subject
            name = scenario.department(dept).name
            for key in ("power", "interest", "say", "firmness"):
                m = MAPPINGS[key]
                picked = chosen(key, dept, key)
                questions.append(
                    {
                        "key": key,
                        "name": key,
                        "type": "radio",
                        "prompt": m.prompt.format(name=name),
                        "help": m.help,
                        "median": medians.get((dept, key)),
                        "choices": [
                            {"value": c.value, "label": c.label, "checked": c.value in picked}
                            for c in m.choices
                        ],
                    }
                )
            picked = chosen("listens", dept, "listens")
            others = [d for d in scenario.departments if d.id != dept]
            questions.append(
                {
                    "key": "listens",
                    "name": "listens",
                    "type": "checkbox",
                    "prompt": MAPPINGS["listens"].prompt.format(name=name),
                    "help": MAPPINGS["listens"].help,
                    "median": None,
                    "choices": [
                        {"value": d.id, "label": d.name, "checked": d.id in picked} for d in others
                    ]
                    + [
                        {
                            "value": NOBODY,
                            "label": "Nobody: it makes up its own mind",
                            "checked": NOBODY in picked,
                        }
                    ],
                }
            )
            picked = chosen("phase", dept, "phase")
            questions.append(
                {
                    "key": "phase",
                    "name": "phase",
                    "type": "radio",
                    "prompt": MAPPINGS["phase"].prompt.format(name=name),
                    "help": MAPPINGS["phase"].help,
                    "median": medians.get((dept, "phase")),
                    "choices": [
                        {"value": p, "label": _phase_label(scenario, p), "checked": p in picked}
                        for p in (*scenario.phase_ids, NEVER)
                    ],
                }
            )
        else:
            names = {c.id: c.name for c in scenario.criteria}
            m = MAPPINGS["pairwise"]
            for n, (a, b) in enumerate(page.pairs):
                field_name = f"pair:{a}:{b}"
                picked = chosen(field_name, f"{a}|{b}", "pairwise")
                questions.append(
                    {
                        "key": f"pair{n}",
                        "name": field_name,
                        "type": "radio",
                        "prompt": m.prompt.format(a=names[a], b=names[b]),
                        "help": m.help,
                        "median": None,
                        "choices": [
                            {
                                "value": c.value,
                                "label": c.label.format(a=names[a], b=names[b]),
                                "checked": c.value in picked,
                            }
                            for c in m.choices
                        ],
                    }
                )
        comment = (
            form.get("comment", [""])[0]
            if form is not None
            else mine.get((page.subject, "comment"), "")
        )
        self.render_page(
            "page.html.j2",
            status,
            title=page.title,
            page=page,
            total=len(self.pages()),
            last=page.index == len(self.pages()) - 1,
            questions=questions,
            problems=list(problems),
            comment=comment[:COMMENT_MAX],
            comment_max=COMMENT_MAX,
        )

    def get(self, index: str) -> None:
        participant = self.require_participant()
        page = self._page(index) if participant is not None else None
        if participant is None or page is None:
            return
        self._render(page, participant)

    async def post(self, index: str) -> None:
        participant = self.require_participant()
        page = self._page(index) if participant is not None else None
        if participant is None or page is None:
            return
        form = _form(self)
        rows, problems = validate_page(self.store.scenario, page, form)
        if problems:
            self._render(page, participant, 400, problems, form)
            return
        round_ = self.store.round
        last = page.index == len(self.pages()) - 1

        def write(store: RoomStore) -> None:
            if rows:
                store.record(participant, round_, rows)
            if last:
                store.complete(participant, round_)

        await self.writer.submit(write)  # committed before we answer
        self.redirect("/done" if last else f"/q/{page.index + 1}", status=303)


def _phase_label(scenario: Any, phase: str) -> str:
    if phase == NEVER:
        return "Never"
    return str(scenario.phases[scenario.phase_index(phase)].name)


class DoneHandler(_Base):
    def get(self) -> None:
        participant = self.require_participant()
        if participant is None:
            return
        mine = self.store.latest(participant)
        answered_subjects = {s for (_, s, _) in mine}
        answered = {
            p.index
            for p in self.pages()
            if p.subject in answered_subjects
            or (p.kind == "criteria" and any("|" in s for s in answered_subjects))
        }
        self.render_page(
            "done.html.j2",
            title="Thank you",
            name=self.store.names().get(participant, ""),
            pages=self.pages(),
            answered=answered,
            consistency=_consistency(self.store, mine),
        )


def _consistency(store: RoomStore, mine: dict[tuple[int, str, str], str]) -> str:
    """A sentence on the participant's own comparisons (Saaty's CR), or '' when incomplete."""
    crit = store.scenario.criteria
    ids = [c.id for c in crit]
    if len(ids) < 3:
        return ""
    a = np.eye(len(ids))
    for (_, subject, question), value in mine.items():
        if question != "pairwise":
            continue
        i_id, _, j_id = subject.partition("|")
        i, j = ids.index(i_id), ids.index(j_id)
        a[i, j] = MAPPINGS["pairwise"].number(value)
        a[j, i] = 1.0 / a[i, j]
    if (
        np.count_nonzero(a == 0)
        or sum(1 for k in mine if k[2] == "pairwise") < len(ids) * (len(ids) - 1) // 2
    ):
        return ""
    result = ahp_weights(a, labels=[c.name for c in crit])
    if result.consistent:
        return f"They are consistent (consistency ratio {result.cr:.2f}, at most 0.10 is good)."
    return (
        f"They contradict each other somewhat (consistency ratio {result.cr:.2f}; at most 0.10 "
        f"is good). Most at odds: {result.describe_most_inconsistent()}. You may revise them."
    )


class SummaryHandler(_Base):
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self.store.summary()))


class CssHandler(_Base):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "max-age=3600")
        self.finish(self.state["css"])


def make_app(
    store: RoomStore, *, lan: bool = False, limits: Limits | None = None
) -> tornado.web.Application:
    """The Tornado application of the participants' pages for an open session.

    Reads go through ``store`` on the event loop; writes through a :class:`Writer` on the same
    file (``app.settings["writer"]``; close it when the server stops).
    """
    limits = limits or Limits()
    writer = Writer(store.path)
    state: dict[str, Any] = {
        "store": store,
        "writer": writer,
        "env": _templates(),
        "lan": lan,
        "pages": pages(store.scenario),
        "medians": {},
        "css": resources.files("lmsdecide.room").joinpath("templates/room.css").read_text(),
        "by_participant": RateLimiter(
            limits.participant_burst, limits.participant_per_second, limits.max_keys
        ),
        "by_address": RateLimiter(limits.address_burst, limits.address_per_second, limits.max_keys),
    }
    routes: list[Any] = [
        (r"/", JoinHandler, {"state": state}),
        (r"/join", JoinHandler, {"state": state}),
        (r"/q/([0-9]+)", PageHandler, {"state": state}),
        (r"/done", DoneHandler, {"state": state}),
        (r"/summary\.json", SummaryHandler, {"state": state}),
        (r"/room\.css", CssHandler, {"state": state}),
    ]
    return tornado.web.Application(
        routes,
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Strict"},
        default_handler_class=_NotFound,
        default_handler_args={"state": state},
        compress_response=True,
        writer=writer,
    )


class _NotFound(_Base):
    def prepare(self) -> None:
        super().prepare()
        if not self._finished:
            self.send_error(404)


def qr_svg(url: str, *, scale: int = 6) -> str:
    """The join URL as an inline SVG QR code (segno; offline), with a text alternative."""
    import segno

    code = segno.make(url, error="m")
    return str(code.svg_inline(scale=scale, title=f"QR code: {url}", border=2))


def serve(
    db: str | Path,
    *,
    port: int = 8867,
    lan: bool = False,
    limits: Limits | None = None,
    ready: Any = None,
) -> None:
    """Run the participants' server on ``db`` until SIGINT or SIGTERM.

    Binds 127.0.0.1, or every interface when ``lan`` (then joining needs the session code).
    """
    store = RoomStore(db)
    app = make_app(store, lan=lan, limits=limits)

    async def main() -> None:
        server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_BODY, xheaders=False)
        server.listen(port, address="" if lan else "127.0.0.1")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if ready is not None:
            ready()
        await stop.wait()
        server.stop()

    try:
        asyncio.run(main())
    finally:
        app.settings["writer"].close()
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lmsdecide.room.server --db FILE [--port P] [--lan]`` (as ``room serve``)."""
    parser = argparse.ArgumentParser(prog="lmsdecide room serve")
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8867)
    parser.add_argument("--lan", action="store_true")
    parser.add_argument("--join-burst", type=float, default=Limits.address_burst)
    args = parser.parse_args(argv)
    # Errors to stderr; one line per request would cost more than the request on a busy room.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    limits = Limits(address_burst=args.join_burst)
    print(f"room server: {join_url(args.port, lan=args.lan)}", flush=True)
    serve(
        args.db,
        port=args.port,
        lan=args.lan,
        limits=limits,
        ready=lambda: print("ready", flush=True),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
