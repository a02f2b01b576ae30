"""Where participants join: this machine's address and the join URL (standard library only).

Kept apart from :mod:`lmsdecide.room.server` so that ``lmsdecide present`` can print the address
without importing the web server.
"""

from __future__ import annotations

import socket

__all__ = ["join_url", "lan_address"]


def lan_address() -> str:
    """This machine's address on the local network (127.0.0.1 when there is none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent; picks the outgoing route
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def join_url(port: int, *, lan: bool = False, code: str = "") -> str:
    """The address participants open (with the session code over the LAN)."""
    host = lan_address() if lan else "127.0.0.1"
    return f"http://{host}:{port}/" + (f"?code={code}" if lan and code else "")
