"""Benchmark: the live room under load, from a participant's submit to the facilitator's view.

    .venv/bin/python bench/bench_room.py [--participants 40,200]

For each room size N: the participants' server (``room serve``, a subprocess on 127.0.0.1), N
simulated participants answering the whole questionnaire at once (threads in a second process,
one HTTP client each, as phones without JavaScript), and the facilitator's panel
(:class:`~lmsdecide.widgets.room_panel.RoomPanel`) polling the session file every 0.25 s in this
process, as in the kernel. Reported:

- every answer stored: rows in the file against rows acknowledged (none lost, none duplicated);
- submit to view: from the moment a participant's browser sends a page to the moment the panel
  has redrawn with it (matched through a unique comment on every page), p50 and p95; target
  under 1 s at 40 participants;
- submit to acknowledgement (the server's answer), p50 and p95;
- the panel's recomputation time per redraw;
- memory per connected participant: a fresh server's RSS growth with N participants joined and
  holding an open keep-alive connection, divided by N.

Only 127.0.0.1 is contacted; every loop is bounded by a deadline. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import re
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from _harness import Row, print_rows, row

SUITE = "room"
SCENARIO_NAME = "learning_led_late_it"
DEADLINE = 600.0  # seconds, per room size


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _participant(base: str, k: int, out: list[Any]) -> None:
    from lmsdecide.io import example
    from lmsdecide.room.forms import pages
    from lmsdecide.room.simulate import SimulatedParticipant, random_form

    scenario = example(SCENARIO_NAME)
    rng = np.random.default_rng(k)
    p = SimulatedParticipant(base, timeout=60)
    try:
        p.join(f"p{k}")
        for page in pages(scenario):
            s = p.submit(page.index, random_form(scenario, page, rng, comment=f"m{k}-{page.index}"))
            out.append((s.comment, s.sent, s.answered, s.status))
    except OSError as exc:
        out.append((f"error {k}", 0.0, 0.0, repr(exc)))


def _clients(base: str, n: int, queue: Any, start: Any) -> None:
    """A second process: n participants, one thread each, released together."""
    results: list[list[Any]] = [[] for _ in range(n)]
    threads = [threading.Thread(target=_participant, args=(base, k, results[k])) for k in range(n)]
    start.wait(60)
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE)
    queue.put([r for rs in results for r in rs])


def _rss(pid: int) -> int:
    import psutil

    return int(psutil.Process(pid).memory_info().rss)


def _open_sessions(port: int, n: int) -> list[http.client.HTTPConnection]:
    """n participants joined, each keeping its keep-alive connection open on its first page."""
    conns = []
    xsrf = re.compile(r'name="_xsrf" value="([^"]+)"')
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/")
        r = c.getresponse()
        html = r.read().decode()
        cookie = r.getheader("Set-Cookie", "").split(";")[0]
        match = xsrf.search(html)
        assert match is not None
        body = f"_xsrf={match.group(1)}&name="
        c.request(
            "POST",
            "/join",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        r = c.getresponse()
        r.read()
        token = r.getheader("Set-Cookie", "").split(";")[0]
        c.request("GET", "/q/0", headers={"Cookie": f"{cookie}; {token}"})
        c.getresponse().read()
        conns.append(c)
    return conns


def room_size(n: int) -> tuple[list[Row], dict[str, Any]]:
    """Run one room of n participants; rows and the raw figures."""
    from lmsdecide.io import example
    from lmsdecide.room import RoomStore
    from lmsdecide.room.forms import pages
    from lmsdecide.room.simulate import spawn_server
    from lmsdecide.widgets.room_panel import RoomPanel

    scenario = example(SCENARIO_NAME)
    expected_pages = len(pages(scenario))
    tmp = Path(tempfile.mkdtemp(prefix="bench_room_"))
    db = tmp / "session.sqlite"
    RoomStore.create(db, scenario).close()
    port = _port()
    # every simulated participant shares 127.0.0.1: the join bucket holds both phases' joins
    server = spawn_server(db, port, join_burst=5 * n)
    base = f"http://127.0.0.1:{port}"
    facts: dict[str, Any] = {"participants": n}
    try:
        panel = RoomPanel(db)
        ctx = mp.get_context("spawn")
        queue, start = ctx.Queue(), ctx.Event()
        clients = ctx.Process(target=_clients, args=(base, n, queue, start))
        clients.start()
        seen: dict[str, float] = {}
        compute: list[float] = []
        last_id = 0
        begin = time.time()
        start.set()
        results: list[Any] | None = None
        while time.time() - begin < DEADLINE:
            t0 = time.perf_counter()
            if panel.poll():
                compute.append(time.perf_counter() - t0)
                shown = time.time()
                state = panel.state
                for r in panel.watcher.store.rows(after=last_id):
                    if r.id > state.version.max_answer:
                        break
                    if r.question == "comment" and r.value.startswith("m"):
                        seen.setdefault(r.value, shown)
                    last_id = r.id
            if results is None and not queue.empty():
                results = queue.get()
            if results is not None and len(seen) >= sum(1 for x in results if x[3] == 303):
                break
            time.sleep(max(0.0, panel.interval - (time.perf_counter() - t0)))
        if results is None:
            results = queue.get(timeout=60)
        clients.join(60)
        acked = [x for x in results if x[3] == 303]
        submit_to_view = [seen[c] - sent for c, sent, _, _ in acked if c in seen]
        submit_to_ack = [answered - sent for _, sent, answered, _ in acked]
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
            distinct = conn.execute(
                "SELECT count(*) FROM (SELECT DISTINCT participant, subject, question FROM answers)"
            ).fetchone()[0]
            comments = conn.execute(
                "SELECT count(*) FROM answers WHERE question = 'comment'"
            ).fetchone()[0]
        facts.update(
            pages_acknowledged=len(acked),
            pages_expected=n * expected_pages,
            errors=[x for x in results if x[3] != 303][:5],
            rows_stored=stored,
            rows_distinct=distinct,
            comments_stored=comments,
            shown=len(submit_to_view),
            wall_s=time.time() - begin,
        )
        panel.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    # memory per connected participant: a fresh server's RSS growth with n open sessions
    fresh = tmp / "memory.sqlite"
    RoomStore.create(fresh, scenario).close()
    port = _port()
    server = spawn_server(fresh, port, join_burst=3 * n)
    try:
        _open_sessions(port, 1)[0].close()  # warm: templates compiled, first allocations made
        rss0 = _rss(server.pid)
        conns = _open_sessions(port, n)
        time.sleep(0.5)
        rss1 = _rss(server.pid)
        facts["rss_per_participant_kib"] = (rss1 - rss0) / n / 1024
        facts["server_rss_mib"] = rss1 / 2**20
        for c in conns:
            c.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    lost = facts["pages_expected"] - facts["pages_acknowledged"]
    note = (
        f"{facts['pages_acknowledged']}/{facts['pages_expected']} pages acknowledged, "
        f"{facts['rows_stored']} rows stored = {facts['rows_distinct']} distinct "
        f"(comments {facts['comments_stored']}); {lost} pages not acknowledged; "
        f"server RSS {facts['server_rss_mib']:.0f} MiB, "
        f"{facts['rss_per_participant_kib']:.1f} KiB per connected participant; "
        f"wall {facts['wall_s']:.1f} s"
    )
    p95 = float(np.percentile(submit_to_view, 95)) if submit_to_view else float("nan")
    rows = [
        row(
            SUITE,
            f"submit to facilitator's view, {n} participants at once",
            submit_to_view,
            target="p95 < 1 s" if n == 40 else "",
            holds=(p95 < 1.0) if n == 40 else None,
            note=note,
        ),
        row(SUITE, f"submit to saved (server's answer), {n} participants", submit_to_ack),
        row(SUITE, f"panel recomputation per redraw, {n} participants", compute),
    ]
    return rows, facts


def run(sizes: tuple[int, ...] = (40, 200)) -> list[Row]:
    """Measure and return the room rows for each room size."""
    rows: list[Row] = []
    for n in sizes:
        produced, facts = room_size(n)
        print(facts, file=sys.stderr)
        rows += produced
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", default="40,200")
    args = parser.parse_args()
    print_rows(run(tuple(int(x) for x in args.participants.split(","))))
