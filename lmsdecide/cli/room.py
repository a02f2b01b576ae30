"""``lmsdecide room``: the participants' server, the session's export and its Delphi rounds.

``room serve --db FILE [--port 8867] [--lan] [--scenario S]``  serve the participants' pages
``room export --db FILE -o OUT.csv|OUT.xlsx``                  every answer, never a formula
``room round --db FILE [--next]``                              show (or open) the Delphi round

Also :func:`add_present_options` and :func:`room_beside`, which ``lmsdecide present`` uses to
start the room server beside the Voila app.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lmsdecide.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    add_command,
    analysis,
    load,
)

#: The scenario a new session presents when none is given (the story's learning-led case).
DEFAULT_SCENARIO = "learning_led_late_it"
DEFAULT_PORT = 8867


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "room",
        _usage,
        help="the room: participants answer from their own devices",
        description=(
            "Run the participants' server of a live room, export a session's answers, or open "
            "the next Delphi round. A session is one SQLite file; it can be re-opened later."
        ),
        example=(
            "Example: lmsdecide room serve --db session.sqlite --port 8867\n"
            "         lmsdecide room export --db session.sqlite -o answers.xlsx"
        ),
    )
    rooms = p.add_subparsers(dest="room_command", metavar="ACTION", parser_class=Parser)
    serve = rooms.add_parser(
        "serve",
        help="serve the participants' pages",
        description=(
            "Serve the participants' questionnaire (plain HTML forms) on 127.0.0.1, or with --lan "
            "on every interface, then joining needs the session code. Creates the session file "
            "when it does not exist."
        ),
        epilog="Example: lmsdecide room serve --db session.sqlite --port 8867 --lan",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--db", required=True, help="the session's SQLite file")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    serve.add_argument(
        "--lan", action="store_true", help="listen on the local network (needs the session code)"
    )
    serve.add_argument(
        "--scenario", default=None, help=f"for a new session: {SCENARIO_HELP} ({DEFAULT_SCENARIO})"
    )
    serve.add_argument("--code", default=None, help="for a new session: its code (random)")
    serve.add_argument(
        "--join-burst",
        type=float,
        default=60.0,
        metavar="N",
        help="joins accepted at once from one address (60; raise it when many share one NAT)",
    )
    serve.set_defaults(handler=analysis(_serve))
    export = rooms.add_parser(
        "export",
        help="write every answer to CSV or Excel",
        description="Write every answer row (revisions included, the latest flagged) to a file.",
        epilog="Example: lmsdecide room export --db session.sqlite -o answers.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--db", required=True, help="the session's SQLite file")
    export.add_argument("-o", "--output", required=True, help="OUT.csv or OUT.xlsx")
    export.set_defaults(handler=_export)
    rounds = rooms.add_parser(
        "round",
        help="show the Delphi round, or open the next",
        description="Show the current Delphi round; --next opens the next one.",
        epilog="Example: lmsdecide room round --db session.sqlite --next",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rounds.add_argument("--db", required=True, help="the session's SQLite file")
    rounds.add_argument("--next", action="store_true", help="open the next round")
    rounds.set_defaults(handler=_round)


def _usage(args: argparse.Namespace) -> int:
    print("lmsdecide room: give an action: serve, export or round", file=sys.stderr)
    print("(see 'lmsdecide room --help')", file=sys.stderr)
    return EXIT_USAGE


def open_or_create(db: str | Path, scenario: str | None = None, code: str | None = None) -> Any:
    """The session at ``db``, created for ``scenario`` (or the default) when it does not exist."""
    from lmsdecide.room import RoomStore

    path = Path(db)
    if path.exists():
        return RoomStore(path)
    return RoomStore.create(path, load(scenario or DEFAULT_SCENARIO), code=code)


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        from lmsdecide.cli._common import UsageError

        raise UsageError(f"--port: must be between 1 and 65535, got {port}")


def _serve(args: argparse.Namespace) -> int:
    from lmsdecide.room.server import Limits, join_url, serve

    _check_port(args.port)
    try:
        store = open_or_create(args.db, args.scenario, args.code)
    except (ValueError, FileExistsError) as exc:
        print(f"lmsdecide room serve: {exc}", file=sys.stderr)
        return EXIT_INVALID
    code = store.code
    store.close()
    url = join_url(args.port, lan=args.lan, code=code)
    print(f"lmsdecide room: participants join at {url}" + (f" (code {code})" if args.lan else ""))
    print("(Ctrl-C stops; answers are saved as they arrive)", flush=True)
    serve(args.db, port=args.port, lan=args.lan, limits=Limits(address_burst=args.join_burst))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from lmsdecide.room import RoomStore

    try:
        with RoomStore(args.db) as store:
            out = store.export(args.output)
            summary = store.summary()
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"lmsdecide room export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"{out}: {summary['answers']} answers from {summary['participants']} participants "
        f"({summary['completed']} completed)"
    )
    return EXIT_OK


def _round(args: argparse.Namespace) -> int:
    from lmsdecide.room import RoomStore

    try:
        with RoomStore(args.db) as store:
            number = store.open_round() if args.next else store.round
    except (FileNotFoundError, ValueError) as exc:
        print(f"lmsdecide room round: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"round {number}" + (" opened" if args.next else ""))
    return EXIT_OK


# -- beside ``lmsdecide present`` -----------------------------------------------------------------


#: Seconds between ``present`` starting the app and the room server: started together, the room
#: server's imports took the CPU the app's first screen needed (two cores: the Workshop's first
#: figure 6.6 -> 7.5 s, median of four paired starts). Nobody joins in the first seconds.
ROOM_DELAY = 10.0


def add_present_options(p: argparse.ArgumentParser) -> None:
    """The room's options of ``lmsdecide present``."""
    group = p.add_argument_group("the room (participants answer from their own devices)")
    group.add_argument(
        "--room-db",
        default="lmsdecide-room.sqlite",
        help="the session's SQLite file, created or re-opened (lmsdecide-room.sqlite)",
    )
    group.add_argument(
        "--room-port", type=int, default=DEFAULT_PORT, help=f"participants' port ({DEFAULT_PORT})"
    )
    group.add_argument(
        "--lan", action="store_true", help="let participants join over the local network"
    )
    group.add_argument("--no-room", action="store_true", help="do not start the room server")
    group.add_argument(
        "--room-delay",
        type=float,
        default=ROOM_DELAY,
        metavar="SECONDS",
        help=f"start the room server this long after the app ({ROOM_DELAY:g}; 0: at once), so "
        "its start does not slow the workshop's first screen",
    )


@contextlib.contextmanager
def room_beside(args: argparse.Namespace, env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Start the room server for ``present`` (``args.room_delay`` seconds later, see
    :data:`ROOM_DELAY`) and stop it after; yields the Voila environment.

    The environment tells the Workshop where the session is (``LMSDECIDE_ROOM_DB``) and what to
    show as the join address (``LMSDECIDE_ROOM_URL``).
    """
    if getattr(args, "no_room", True):
        yield env
        return
    import subprocess

    from lmsdecide.room.address import join_url

    db = Path(args.room_db).resolve()
    store = open_or_create(db, getattr(args, "scenario", None))
    code = store.code
    store.close()
    command = [
        sys.executable,
        "-m",
        "lmsdecide.room.server",
        "--db",
        str(db),
        "--port",
        str(args.room_port),
    ] + (["--lan"] if args.lan else [])
    delay = float(getattr(args, "room_delay", 0.0))
    servers: list[subprocess.Popen[bytes]] = []
    lock = threading.Lock()
    stopped = False

    def start() -> None:
        with lock:  # never a server started after present has begun to stop
            if not stopped:
                servers.append(subprocess.Popen(command))

    timer = threading.Timer(delay, start)
    timer.daemon = True
    if delay > 0:
        timer.start()
    else:
        start()
    # SIGTERM ends present like Ctrl-C: Voila is killed and the room server stopped, not orphaned
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    url = join_url(args.room_port, lan=args.lan, code=code)
    print(
        f"lmsdecide present: participants join at {url}"
        + (f" (code {code})" if args.lan else "")
        + (f"; the room server starts in {delay:g} s" if delay > 0 else "")
    )
    try:
        yield {
            **env,
            "LMSDECIDE_ROOM_DB": str(db),
            "LMSDECIDE_ROOM_URL": url,
            "LMSDECIDE_ROOM_CODE": code if args.lan else "",
        }
    finally:
        signal.signal(signal.SIGTERM, previous)
        timer.cancel()
        with lock:
            stopped = True
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


__all__ = ["add_parser", "add_present_options", "open_or_create", "room_beside"]
