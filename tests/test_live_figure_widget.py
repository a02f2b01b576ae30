"""What a live figure sends to the page: one message per edit, and no echo of plotly.js's reports.

The messages are recorded where ipywidgets hands them to the comm (``Widget._send``), so these
tests need no kernel and no browser; the browser tests check what the page then shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from lmsdecide.figures.spec import Spec, apply_spec, build, hide_surplus_traces
from lmsdecide.widgets.base import FIGURE_MESSAGES_ENV, LiveFigures, LiveFigureWidget
from tests.figure_data import figure_json
from tests.kernel_loop import findings_shown


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[str, Any], list[Any]]]:
    """Every message a figure widget sends: (message, buffers)."""
    out: list[tuple[dict[str, Any], list[Any]]] = []

    def record(self: Any, msg: dict[str, Any], buffers: list[Any] | None = None) -> None:
        out.append((msg, list(buffers or [])))

    monkeypatch.setattr(go.FigureWidget, "_send", record)
    return out


def spec(y: list[float], title: str = "T", uids: tuple[str, ...] = ("a",)) -> Spec:
    return {
        "data": [{"type": "bar", "uid": u, "x": ["p", "q"], "y": np.array(y)} for u in uids],
        "layout": {"title": {"text": title}},
    }


def test_an_edit_is_one_message_with_its_counters_and_binary_numbers(sent: list[Any]) -> None:
    fw = build(spec([1.0, 2.0]), widget=LiveFigureWidget)
    sent.clear()
    assert apply_spec(fw, spec([1.0, 3.0], "U"), spec([1.0, 2.0])) == 2
    assert len(sent) == 1
    msg, buffers = sent[0]
    assert msg["method"] == "update"
    assert set(msg["state"]) == {"_py2js_update", "_last_trace_edit_id", "_last_layout_edit_id"}
    update = msg["state"]["_py2js_update"]
    assert update["layout_data"] == {"title.text": "U"}
    # the new y travels as a float64 buffer, not as a JSON list
    assert len(buffers) == 1
    assert np.frombuffer(buffers[0], dtype="float64").tolist() == [1.0, 3.0]
    assert list(fw.data[0].y) == [1.0, 3.0]


def bar(y: list[float], base: list[float], width: Any, title: str, bargap: Any) -> Spec:
    """One bar trace whose data arrays are numpy arrays, and a layout with a title and a gap."""
    trace = {"type": "bar", "uid": "a", "x": ["p", "q"], "y": np.array(y), "base": np.array(base)}
    return {
        "data": [{**trace, "width": width}],
        "layout": {"title": {"text": title}, "bargap": bargap},
    }


def test_an_edit_stores_values_as_plotlys_validators_do(sent: list[Any]) -> None:
    """Edits skip plotly's per-write validation (the values come from the builder that made the
    validated first state), and are stored so that the figure serialises as the validated
    values would: a data array stays an array, another property's array becomes a list, a
    numpy number a Python one."""
    old = bar([1.0, 2.0], [0.0, 0.0], 0.5, "T", 0.1)
    new = bar([3.0, 4.0], [1.0, 1.0], np.float64(0.25), "U", np.float64(0.3))
    fw = build(old, widget=LiveFigureWidget)
    sent.clear()
    assert apply_spec(fw, new, old) == 5
    assert json_of(fw) == json_of(build(new))
    assert isinstance(fw.data[0].y, np.ndarray) and fw.data[0].y.tolist() == [3.0, 4.0]
    assert type(fw.data[0].width) is float and type(fw.layout.bargap) is float
    ((msg, _buffers),) = sent
    update = msg["state"]["_py2js_update"]
    assert update["layout_data"] == {"title.text": "U", "bargap": 0.3}


def test_a_column_of_a_table_travels_as_one_block(sent: list[Any]) -> None:
    """A strided array (a column of a 2-D array) is sent contiguous: the page cannot read a
    strided buffer, and a page connecting later would get no widget at all."""
    from ipywidgets.widgets.widget import _remove_buffers

    table = np.arange(8.0).reshape(4, 2)
    old = {"data": [{"type": "bar", "uid": "a", "x": table[:, 1] * 0}], "layout": {}}
    new = {"data": [{"type": "bar", "uid": "a", "x": table[:, 0]}], "layout": {}}
    assert not new["data"][0]["x"].flags.c_contiguous
    fw = build(old, widget=LiveFigureWidget)
    fw._repr_mimebundle_()
    sent.clear()
    apply_spec(fw, new, old)
    ((_msg, buffers),) = sent
    assert [memoryview(b).contiguous for b in buffers] == [True]
    assert np.frombuffer(buffers[0], dtype="float64").tolist() == [0.0, 2.0, 4.0, 6.0]
    _state, _paths, state_buffers = _remove_buffers(fw.get_state())
    assert state_buffers and all(memoryview(b).contiguous for b in state_buffers)


def json_of(fig: go.Figure) -> Any:
    """The figure as the page receives it, without plotly's template."""
    out = figure_json(fig)
    out["layout"].pop("template", None)
    return out


def state_ys(state: dict[str, Any]) -> list[list[float]]:
    """Each trace's y in a widget state (numbers travel as binary buffers)."""
    out = []
    for trace in state["_widget_data"]:
        y = trace["y"]
        out.append(np.frombuffer(y["buffer"], dtype=y["dtype"]).tolist())
    return out


def test_a_page_connecting_after_edits_gets_the_figure_as_it_is_now(sent: list[Any]) -> None:
    """Voila's page asks for every widget's state once the notebook has run: edits made before
    it connected went out as messages nobody received, so the whole state must hold them."""
    fw = build(spec([1.0, 2.0]), widget=LiveFigureWidget)
    fw._repr_mimebundle_()  # displayed: plotly snapshots the figure into its state here
    apply_spec(fw, spec([5.0, 7.0], "U", uids=("a", "b")), spec([1.0, 2.0]))
    sent.clear()
    state = fw.get_state()
    assert state_ys(state) == [[5.0, 7.0], [5.0, 7.0]]
    assert state["_widget_layout"]["title"]["text"] == "U"
    assert sent == []  # brought up to date without a message of its own
    # an edit's own message is as before: only what it names
    assert set(fw.get_state("_py2js_update")) == {"_py2js_update"}
    # plotly's own widget keeps the figure as first displayed (the trap this fixes)
    plain = build(spec([1.0, 2.0]), widget=True)
    plain._repr_mimebundle_()
    apply_spec(plain, spec([5.0, 7.0], "U"), spec([1.0, 2.0]))
    assert state_ys(plain.get_state()) == [[1.0, 2.0]]


def test_plotlys_own_widget_sends_four_messages_for_the_same_edit(sent: list[Any]) -> None:
    """What the one message replaces (the reason for the subclass)."""
    fw = build(spec([1.0, 2.0]), widget=True)
    sent.clear()
    apply_spec(fw, spec([1.0, 3.0], "U"), spec([1.0, 2.0]))
    keys = [sorted(m["state"]) for m, _b in sent]
    assert keys == [
        ["_last_trace_edit_id"],
        ["_last_layout_edit_id"],
        ["_py2js_update"],
        ["_py2js_update"],  # reset to None
    ]
    assert sent[-1][0]["state"]["_py2js_update"] is None


def test_a_repeated_edit_still_differs_by_its_counters(sent: list[Any]) -> None:
    """The page reacts to a change of the message: the same edit twice must not look equal."""
    fw = build(spec([1.0, 2.0]), widget=LiveFigureWidget)
    sent.clear()
    apply_spec(fw, spec([1.0, 3.0]), spec([1.0, 2.0]))
    apply_spec(fw, spec([1.0, 2.0]), spec([1.0, 3.0]))
    apply_spec(fw, spec([1.0, 3.0]), spec([1.0, 2.0]))
    ids = [m["state"]["_py2js_update"]["trace_edit_id"] for m, _b in sent]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_traces_added_and_deleted_are_one_message_each(sent: list[Any]) -> None:
    """A trace of another type in the place of one: deleted and added, a message each."""
    fw = build(spec([1.0, 2.0], uids=("a", "b")), widget=LiveFigureWidget)
    sent.clear()
    line = {"type": "scatter", "uid": "c", "x": ["p", "q"], "y": np.array([1.0, 2.0])}
    moved = {**spec([1.0, 2.0], uids=("a",)), "data": [spec([1.0, 2.0])["data"][0], line]}
    apply_spec(fw, moved, spec([1.0, 2.0], uids=("a", "b")))
    kinds = [next(k for k in m["state"] if k.startswith("_py2js_")) for m, _b in sent]
    assert kinds == ["_py2js_deleteTraces", "_py2js_addTraces"]
    assert all(m["state"][k] is not None for (m, _b), k in zip(sent, kinds, strict=True))
    assert [t.type for t in fw.data] == ["bar", "scatter"]


def test_a_trace_of_the_same_type_in_the_same_place_is_edited_in_place(sent: list[Any]) -> None:
    """Another scenario's bars where the last one's were (the same properties, other values):
    one update, nothing deleted; a trace's uid never reaches the page."""
    fw = build(spec([1.0, 2.0], uids=("a", "b")), widget=LiveFigureWidget)
    sent.clear()
    assert apply_spec(fw, spec([1.0, 2.0], uids=("a", "c")), spec([1.0, 2.0], uids=("a", "b"))) == 0
    assert sent == []  # the same values under another uid: nothing to send
    moved = spec([4.0, 2.0], uids=("c", "a"))
    assert apply_spec(fw, moved, spec([1.0, 2.0], uids=("a", "c"))) == 2  # y of each
    assert [next(k for k in m["state"] if k.startswith("_py2js_")) for m, _b in sent] == [
        "_py2js_update"
    ]
    assert [list(t.y) for t in fw.data] == [[4.0, 2.0], [4.0, 2.0]]


def test_a_trace_of_other_properties_in_the_same_place_is_replaced(sent: list[Any]) -> None:
    """An edge's line where a node was (both scatter): replaced, not edited into it (plotly's
    front end fails on unsetting one trace's ``line`` while setting another's ``line.width``)."""
    node = {"type": "scatter", "uid": "n", "y": [1.0], "marker": {"size": 9}}
    edge = {"type": "scatter", "uid": "e", "y": [1.0], "line": {"width": 2}}
    first: Spec = {"data": [{**edge, "uid": "e0"}, node], "layout": {}}
    fw = build(first, widget=LiveFigureWidget)
    sent.clear()
    moved: Spec = {"data": [{**edge, "uid": "e0"}, edge, {**node, "uid": "n2"}], "layout": {}}
    apply_spec(fw, moved, first)
    kinds = [next(k for k in m["state"] if k.startswith("_py2js_")) for m, _b in sent]
    assert kinds == ["_py2js_deleteTraces", "_py2js_addTraces"]
    assert [t.line.width for t in fw.data] == [2, 2, None]
    assert fw.data[2].marker.size == 9


def test_traces_that_go_stay_hidden_and_come_back_in_place(sent: list[Any]) -> None:
    """Three scenarios, then two, then three again: each move one update per figure."""
    three, two = spec([1.0, 2.0], uids=("a", "b", "c")), spec([3.0, 4.0], uids=("a", "b"))
    fw = build(three, widget=LiveFigureWidget)
    sent.clear()
    fewer = hide_surplus_traces(two, three)
    assert [t["uid"] for t in fewer["data"]] == ["a", "b", "lmsdecide-hidden-2"]
    assert fewer["data"][2]["visible"] is False and "visible" not in fewer["data"][1]
    apply_spec(fw, fewer, three)
    assert len(fw.data) == 3 and fw.data[2].visible is False
    assert [list(t.y) for t in fw.data] == [[3.0, 4.0], [3.0, 4.0], [1.0, 2.0]]
    again = hide_surplus_traces(three, fewer)
    assert again is three  # as many traces as before: nothing to hide
    apply_spec(fw, again, fewer)
    assert fw.data[2].visible is None  # shown again (plotly's default: visible)
    assert [list(t.y) for t in fw.data] == [[1.0, 2.0]] * 3
    kinds = [next(k for k in m["state"] if k.startswith("_py2js_")) for m, _b in sent]
    assert kinds == ["_py2js_update", "_py2js_update"]
    # fewer again, from a figure already hiding one: the hidden trace is left as it is
    assert hide_surplus_traces(two, fewer) == fewer


def test_hide_surplus_traces_leaves_a_change_of_type_alone() -> None:
    line = {"type": "scatter", "uid": "l", "y": [1.0]}
    old = spec([1.0, 2.0], uids=("a", "b"))
    new = {"data": [line], "layout": {}}
    assert hide_surplus_traces(new, old) is new


def test_the_pages_reports_are_neither_echoed_nor_processed(sent: list[Any]) -> None:
    """After each redraw plotly.js reports its defaults; the kernel used to echo them back."""
    fw = build(spec([1.0, 2.0]), widget=LiveFigureWidget)
    report = {"trace_deltas": [{"uid": "x", "marker": {"color": "#636efa"}}], "trace_edit_id": 0}
    sent.clear()
    fw.set_state({"_js2py_traceDeltas": report, "_js2py_layoutDelta": {"layout_delta": {}}})
    assert sent == []
    # plotly's own widget echoes the report and answers with a reset
    plain = build(spec([1.0, 2.0]), widget=True)
    sent.clear()
    plain.set_state({"_js2py_traceDeltas": {"trace_deltas": [], "trace_edit_id": 0}})
    assert [m["method"] for m, _b in sent] == ["echo_update", "update"]


def test_the_environment_switch_draws_with_plotlys_own_widget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lmsdecide.widgets import WhoDrives

    dash = WhoDrives("it_led", findings=False)
    assert all(isinstance(f, LiveFigureWidget) for f in dash.figures.values())
    monkeypatch.setenv(FIGURE_MESSAGES_ENV, "plotly")
    live = LiveFigures({"drive_share": "drive_share"}, dash.results)
    figure = live.figures["drive_share"]
    assert isinstance(figure, go.FigureWidget) and not isinstance(figure, LiveFigureWidget)


def test_a_burst_of_changes_gets_one_diagnosis_of_the_last_state() -> None:
    """In a running loop the findings wait until the changes stop; only the last one is
    diagnosed (a held arrow key is not queued behind a diagnosis per step)."""
    import asyncio

    from lmsdecide.widgets.base import FindingsQueue

    rendered: list[int] = []
    queue = FindingsQueue(rendered.append, lambda exc: rendered.append(-1))

    async def burst() -> None:
        for step in range(5):
            queue.request(step)
            await asyncio.sleep(queue.delay / 10)
        assert rendered == []  # still changing: nothing diagnosed yet
        await asyncio.sleep(queue.delay * 2)

    asyncio.run(burst())
    assert rendered == [4]
    queue.request(7)  # no running loop (a script, a test): at once
    assert rendered == [4, 7]


def test_the_findings_are_prepared_in_a_worker_thread_and_shown_on_the_loop() -> None:
    """With ``prepare`` the models run in a worker thread while the loop stays free (a page
    connecting, the next control moved, is answered meanwhile); ``render`` follows on the loop's
    own thread, once, for the latest request only."""
    import asyncio
    import threading
    import time

    from lmsdecide.widgets.base import FindingsQueue

    loop_thread = threading.get_ident()
    prepared: list[tuple[int, int]] = []
    spans: list[tuple[float, float]] = []  # when each preparation ran
    rendered: list[tuple[int, int]] = []

    def prepare(x: int) -> None:
        start = time.monotonic()
        time.sleep(0.4)  # a diagnosis; sleeping releases the GIL as numpy's work mostly does
        prepared.append((x, threading.get_ident()))
        spans.append((start, time.monotonic()))

    queue = FindingsQueue(
        lambda x: rendered.append((x, threading.get_ident())),
        lambda exc: rendered.append((-1, 0)),
        prepare=prepare,
    )

    async def run() -> list[float]:
        queue.request(1)
        assert queue.pending
        await asyncio.sleep(queue.delay + 0.05)  # 1 is being prepared in the worker
        queue.request(2)  # overtakes it: 1 is never shown
        ticks = []
        while queue.pending:  # the loop runs while the worker prepares
            await asyncio.sleep(0.01)
            ticks.append(time.monotonic())
        return ticks

    ticks = asyncio.run(run())
    assert [x for x, _ in prepared] == [1, 2]
    assert all(thread != loop_thread for _, thread in prepared)
    start, end = spans[1]
    assert sum(start < t < end for t in ticks) >= 3  # the loop ticked while 2 was prepared
    assert rendered == [(2, loop_thread)]


def test_a_failed_preparation_is_reported_by_render_on_the_loop() -> None:
    import asyncio

    from lmsdecide.widgets.base import FindingsQueue

    errors: list[str] = []

    def render(x: int) -> None:
        raise ValueError(f"bad {x}")

    def prepare(x: int) -> None:
        raise ValueError(f"bad {x}")

    queue = FindingsQueue(render, lambda exc: errors.append(str(exc)), prepare=prepare)

    async def run() -> None:
        queue.request(3)
        await findings_shown(queue)  # fails, not hangs, if the failure were lost in the thread

    asyncio.run(run())
    assert errors == ["bad 3"]


def test_every_figure_moves_before_any_text_alternative(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change that moves several figures sends all their edits first, then their texts: a
    text changed between two figures' messages makes the page lay out before the next redraw."""
    import ipywidgets as W

    from lmsdecide.widgets import WhoDrives

    dash = WhoDrives("learning_led_late_it")
    order: list[str] = []
    send_state = W.Widget.send_state

    def spy(self: W.Widget, key: Any = None) -> None:
        if isinstance(self, go.FigureWidget):
            order.append("figure")
        elif any(self is alt for alt in dash.live.alts.values()):
            order.append("text")
        send_state(self, key)

    monkeypatch.setattr(W.Widget, "send_state", spy)
    dash.set("authority", 1.0)  # moves four figures and their texts
    assert order.count("figure") >= 3 and order.count("text") >= 3
    assert order == sorted(order)  # "figure" < "text": every figure first
