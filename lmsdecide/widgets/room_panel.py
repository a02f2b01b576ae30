"""The facilitator's live view of the room: join code, counts, and the disagreement as it arrives.

A panel for the Workshop (its tab "The room, live"), or on its own in a notebook::

    RoomPanel("session.sqlite", join="http://192.168.1.20:8867/?code=K7Q2ZX")

It polls the session's SQLite file on the kernel's event loop (every ``interval`` seconds, 0.25 by
default; a fingerprint of four indexed lookups) and redraws only when an answer, a participant or
a round arrived: nobody presses a button. Participants' text is escaped wherever it is shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

import lmsdecide.figures.room  # noqa: F401  (registers the room figures in the catalogue)
from lmsdecide.room.analysis import group_scenario
from lmsdecide.room.live import RoomState, RoomWatcher
from lmsdecide.scenario import Scenario
from lmsdecide.widgets.base import LiveFigures, shown
from lmsdecide.widgets.style import figure_box

__all__ = ["RoomPanel"]

#: Panel figure -> catalogue key.
FIGURES = {
    "share": "room_share",
    "driver": "room_driver",
    "disagreement": "room_disagreement",
    "partner": "room_partner",
}
QUESTION_NAMES = ("power", "interest", "formal say", "firmness", "phase")


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class RoomPanel:
    """The live room: what participants answered, as distributions, updated while they answer.

    Parameters
    ----------
    db
        The session's SQLite file (``lmsdecide room serve --db`` writes it).
    join
        The address participants open (shown as text and as a QR code); None shows no code.
    on_use
        Called with the room's aggregate scenario when the facilitator presses "Use the room's
        view" (the Workshop puts it into the story).
    interval
        Seconds between two polls of the file.
    code
        The session code to show (over the LAN).

    Attributes
    ----------
    figures
        ``share``, ``driver``, ``disagreement``, ``partner``: ``go.FigureWidget``.
    controls
        ``method`` (AIJ/AIP), ``next_round``, ``use``.
    latencies
        Seconds from each answer's arrival in the store to the panel showing it (last 1000).
    """

    def __init__(
        self,
        db: str | Path,
        *,
        join: str | None = None,
        on_use: Callable[[Scenario], None] | None = None,
        interval: float = 0.25,
        code: str = "",
    ) -> None:
        self.watcher = RoomWatcher(db)
        self.on_use = on_use
        self.interval = interval
        self.latencies: list[float] = []
        self._handle: asyncio.TimerHandle | None = None
        self._last_id = 0
        self.state = self.watcher.poll(force=True)
        assert self.state is not None
        self.live = LiveFigures(FIGURES, self._inputs(self.state))
        self.figures: dict[str, go.FigureWidget] = self.live.figures
        self.counts = W.HTML()
        self.details = W.HTML()
        self.comments = W.HTML()
        self.message = W.HTML()
        self.controls: dict[str, W.Widget] = {
            "method": W.ToggleButtons(
                options=[("Judgements (AIJ)", "aij"), ("Priorities (AIP)", "aip")],
                value="aij",
                description="Weights",
                tooltips=[
                    "geometric mean of everyone's judgements (Forman & Peniwati 1998)",
                    "mean of everyone's priorities",
                ],
            ),
            "next_round": W.Button(
                description="Open the next round",
                tooltip="participants see the medians and may revise",
                layout={"width": "auto"},
            ),
            "use": W.Button(
                description="Use the room's view", button_style="primary", layout={"width": "auto"}
            ),
        }
        self.controls["method"].observe(self._method_changed, names="value")
        self.controls["next_round"].on_click(lambda _b: self.next_round())
        self.controls["use"].on_click(lambda _b: self.use())
        self._show_text(self.state)
        self.widget = self._layout(join, code)
        self.start()

    # -- polling --------------------------------------------------------------------------------

    def start(self) -> None:
        """Poll on the running event loop (the kernel's); without one, call :meth:`poll`."""
        loop = _running_loop()
        if loop is not None and self._handle is None:
            self._handle = loop.call_later(self.interval, self._tick)

    def stop(self) -> None:
        """Stop polling."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _tick(self) -> None:
        self._handle = None
        try:
            self.poll()
        except Exception as exc:  # a locked or vanished file: say so, keep polling
            self.message.value = f"<div class='msg'>{escape(str(exc))}</div>"
        loop = _running_loop()
        if loop is not None:
            self._handle = loop.call_later(self.interval, self._tick)

    def poll(self, *, force: bool = False) -> bool:
        """Redraw when the store changed; True when it did."""
        state = self.watcher.poll(force=force)
        if state is None:
            return False
        self._show(state)
        return True

    def _show(self, state: RoomState) -> None:
        self.state = state
        self.live.draw(self._inputs(state))
        self._show_text(state)
        shown = time.time()
        for row in self.watcher.store.rows(after=self._last_id):
            if row.id > state.version.max_answer:
                break  # arrived after this state was read: shown by the next poll
            self.latencies.append(shown - row.at)
            self._last_id = row.id
        del self.latencies[:-1000]

    def _inputs(self, state: RoomState) -> dict[str, Any]:
        names = {p.id: p.name for p in self.watcher.scenario.partners}
        return {"room_analysis": state.analysis, "partner_names": names}

    def _show_text(self, state: RoomState) -> None:
        s = state.summary
        rounds = s["rounds"]
        this = rounds[-1] if isinstance(rounds, list) and rounds else {}
        self.counts.value = (
            "<div class='tile'><div class='v'>{}</div><div class='k'>joined</div></div>"
            "<div class='tile'><div class='v'>{}</div><div class='k'>finished round {}</div></div>"
            "<div class='tile'><div class='v'>{}</div><div class='k'>answers stored</div></div>"
        ).format(s["participants"], this.get("completed", 0), s["round"], s["answers"])
        a = state.analysis
        lines = []
        if a.n:
            q25, q50, q75 = a.share_quantiles()
            median = a.median_participant
            lines.append(
                f"Learning share: median {q50:.2f} (participant {median}), interquartile range "
                f"{q25:.2f} to {q75:.2f}; the scenario says {a.base_learning_share:.2f}."
            )
            top = next(iter(a.top_driver_counts().items()), None)
            if top:
                names = dict(zip(a.disagreement["department"], a.disagreement["name"], strict=True))
                lines.append(
                    f"Most often the top driver: {escape(str(names.get(top[0], top[0])))} "
                    f"({top[1]} of {a.n})."
                )
            disputed = a.disagreement.dropna(subset=["disagreement"]).head(3)
            if not disputed.empty:
                lines.append(
                    "Most disputed: " + ", ".join(escape(str(n)) for n in disputed["name"]) + "."
                )
        if a.weights is not None:
            c = a.weights.consensus
            lines.append(
                f"Consensus on the criteria: {c.value:.0%} ({c.band}); "
                f"{int(a.weights.flagged.sum())} of {len(a.weights.cr)} participants' comparisons "
                "are inconsistent (CR above 0.1)."
            )
            flagged = [
                f"{escape(state.names.get(p, '') or f'participant {p}')} ({cr:.2f})"
                for p, cr, bad in zip(a.weighed_by, a.weights.cr, a.weights.flagged, strict=True)
                if bad
            ]
            if flagged:
                lines.append("To revisit their comparisons: " + ", ".join(flagged[:10]) + ".")
        m = state.movement
        if m is not None and m.pairs.sum():
            k = len(a.answers.departments)
            parts = []
            for i, q in enumerate(QUESTION_NAMES):
                block = m.mean_abs_change[i * k : (i + 1) * k]
                changed = m.changed[i * k : (i + 1) * k]
                if (block == block).any():  # not all NaN
                    parts.append(
                        f"{q} {float(_nanmean(block)):.2f} ({float(_nanmean(changed)):.0%} changed)"
                    )
            lines.append("Movement since the last round (mean change): " + "; ".join(parts) + ".")
        self.details.value = "".join(f"<p style='margin:4px 0'>{line}</p>" for line in lines)
        comments = a.answers.comments[-8:]
        if comments:
            names = state.names
            items = "".join(
                f"<li><b>{escape(names.get(p, '') or f'participant {p}')}</b> on "
                f"{escape(subject)}: {escape(text[:300])}</li>"
                for p, subject, text in comments
            )
            self.comments.value = f"<h4 style='margin:6px 0'>Latest comments</h4><ul>{items}</ul>"
        else:
            self.comments.value = ""

    # -- controls -------------------------------------------------------------------------------

    def _method_changed(self, change: dict[str, Any]) -> None:
        self.watcher.method = change["new"]
        self.poll(force=True)

    def next_round(self) -> int:
        """Open the next Delphi round."""
        number = self.watcher.open_round()
        self.poll(force=True)
        self.message.value = (
            f"<div class='ok'>Round {number} is open: participants see the medians of round "
            f"{number - 1} and may revise.</div>"
        )
        return number

    def room_scenario(self) -> Scenario:
        """The room's aggregate applied to the session's scenario."""
        assert self.state is not None
        return group_scenario(self.watcher.scenario, self.state.analysis)

    def use(self) -> Scenario | None:
        """Hand the room's aggregate scenario to ``on_use`` (the Workshop's story)."""
        try:
            scenario = self.room_scenario()
        except ValueError as exc:
            self.message.value = f"<div class='msg'>Not applied: {escape(str(exc))}</div>"
            return None
        if self.on_use is not None:
            self.on_use(scenario)
        self.message.value = f"<div class='ok'>The story now shows {escape(scenario.name)}.</div>"
        return scenario

    # -- layout ---------------------------------------------------------------------------------

    def _layout(self, join: str | None, code: str) -> W.Widget:
        side: list[W.Widget] = []
        if join:
            from lmsdecide.room.server import qr_svg

            code_line = f"<div>Session code: <b>{escape(code)}</b></div>" if code else ""
            side.append(
                W.HTML(
                    "<div class='room-join'><h3 style='margin:4px 0'>Join from your phone</h3>"
                    f"{qr_svg(join, scale=5)}<div style='font-size:22px;word-break:break-all'>"
                    f"<b>{escape(join)}</b></div>{code_line}</div>"
                )
            )
        side += [
            self.counts,
            self.controls["method"],
            self.controls["next_round"],
            self.controls["use"],
            self.message,
            self.details,
            self.comments,
        ]
        left = W.VBox(side, layout={"width": "min(470px, 100%)", "min_width": "280px"})

        def column(name: str) -> W.Box:  # a column stretches the figure across its width
            return figure_box(
                self.figures[name], self.live.alts[name], flex="1 1 420px", min_width="0"
            )

        wrap = {"flex_flow": "row wrap", "width": "100%"}
        grid = W.VBox(
            [
                W.HBox([column("share"), column("driver")], layout=wrap),
                W.HBox([column("disagreement"), column("partner")], layout=wrap),
            ],
            layout={"flex": "1 1 600px", "min_width": "0"},
        )
        root = W.HBox([left, grid], layout={"flex_flow": "row wrap", "width": "100%"})
        root.add_class("lmsdecide-room")
        return root

    def close(self) -> None:
        """Stop polling and close the store."""
        self.stop()
        self.watcher.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return shown(self.widget, **kwargs)


def _nanmean(x: Any) -> float:
    import numpy as np

    arr = np.asarray(x, dtype=float)
    ok = ~np.isnan(arr)
    return float(arr[ok].mean()) if ok.any() else float("nan")
