"""Waiting, on a running event loop (as in a kernel), for a dashboard's deferred findings."""

from __future__ import annotations

import asyncio

from lmsdecide.widgets.base import FindingsQueue


async def findings_shown(queue: FindingsQueue, timeout: float = 120.0) -> None:
    """Return once ``queue`` has shown its latest request: the delay, the preparation in the
    worker thread (a first diagnosis imports scipy.stats: seconds on a slow machine), then the
    display on this loop. A fixed sleep would race the worker thread."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while queue.pending:
        if loop.time() > deadline:
            raise AssertionError(f"the findings were not shown within {timeout} s")
        await asyncio.sleep(0.02)
