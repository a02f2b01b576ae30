"""The dashboard machinery shared by every dashboard: scenario, controls, figures, findings.

A :class:`Dashboard` keeps three things apart:

- ``scenario`` and ``params``: the last *good* state, the one drawn;
- the pending scenario data: every edit made through the controls, good or not (nothing typed is
  lost: a later edit can repair an earlier bad one);
- ``results``: what the models computed for the good state.

A control change edits the pending data, validates it (``validate_scenario``), runs the models
and moves the ``go.FigureWidget``s in place to the figures' new specs (:class:`LiveFigures`: the
catalogue's spec functions, diffed, only what changed written inside ``batch_update()``).
Whatever goes wrong is shown as a plain message beside the control that caused it; the last good
figures stay drawn and nothing raises into the notebook.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import gc
import importlib.util
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as W
import plotly.graph_objects as go
from plotly.serializers import custom_serializers
from traitlets import Bool, Dict

from lmsdecide.figures.catalogue import CATALOGUE, FigureEntry
from lmsdecide.figures.spec import Spec, apply_spec, build, hide_surplus_traces
from lmsdecide.io import FORMATS, example, list_examples, parse_scenario, save_scenario
from lmsdecide.params import Param
from lmsdecide.registry import ModelSpec, get_model
from lmsdecide.scenario import Scenario, ScenarioError, validate_scenario
from lmsdecide.widgets.controls import ControlRow, control_for, declared_params, grouped
from lmsdecide.widgets.style import FINDINGS_PANEL, alt_text, badge, figure_box, styled_page

__all__ = [
    "CONTROL_CLASS",
    "Dashboard",
    "FindingsQueue",
    "LiveFigureWidget",
    "LiveFigures",
    "parse_upload",
    "plain_message",
    "read_upload",
    "shown",
    "tag_controls",
]

#: Seed of every live Monte Carlo run: the same draws on every update (common random numbers),
#: so a figure moves because an input moved, never from noise. (The seed post's date.)
LIVE_SEED = 20120907


#: Prefix of the CSS class naming each control in the page (``lmsdecide-control-engagement-it``
#: for the control ``engagement.it``): how tests and benchmarks find a control in a browser.
CONTROL_CLASS = "lmsdecide-control-"


def tag_controls(controls: Mapping[str, W.Widget]) -> None:
    """Give each control of ``controls`` the CSS class naming it (:data:`CONTROL_CLASS`)."""
    for name, widget in controls.items():
        css = CONTROL_CLASS + "".join(c if c.isalnum() else "-" for c in name)
        if isinstance(widget, W.DOMWidget) and css not in widget._dom_classes:
            widget.add_class(css)


#: Set to ``plotly`` in a kernel's environment to draw with plotly's own ``go.FigureWidget``
#: messages instead of :class:`LiveFigureWidget`'s (the browser benchmark's comparison).
FIGURE_MESSAGES_ENV = "LMSDECIDE_FIGURE_MESSAGES"


class LiveFigureWidget(go.FigureWidget):
    """A ``go.FigureWidget`` whose every edit reaches the page as one message, and that ignores
    the defaults plotly.js reports back after each redraw.

    plotly's widget sends each edit as four messages (two edit counters, the edit, then the edit
    reset to None). Here the edit and its counters go in one message and the edit is not reset
    (each carries new counters, so the page always sees a change). After each redraw plotly.js
    sends the kernel the defaults it filled in (10 to 40 KB per figure), which the kernel echoed
    back to the page and folded into ``_data_defaults``: a dashboard never reads those, so the
    reports are neither echoed nor processed, and the kernel is free for the next change
    sooner. Everything else is ``go.FigureWidget``; numeric numpy arrays travel as binary
    buffers, as plotly's serializer sends them.
    """

    #: Read by the served loader (:func:`lmsdecide.figures.spec.build`): false, the page neither
    #: computes nor sends those reports (a deep copy and a diff of the figure per redraw).
    _page_reports = Bool(False).tag(sync=True)
    #: Read by the served loader: true, an edit to the figure while it is out of the window is
    #: drawn when it comes into view (once, however many edits it missed), so a change costs
    #: the page only the figures a person can see. A figure that has no box when the page
    #: opens (a tab not shown yet) is first drawn when it gets one or comes into the window;
    #: until then its element carries ``data-lmsdecide-draw="pending"``.
    _draw_when_seen = Bool(True).tag(sync=True)

    # not echoed back to the page (ipywidgets echoes every value the page sends by default)
    _js2py_traceDeltas = Dict(allow_none=True).tag(
        sync=True, echo_update=False, **custom_serializers
    )
    _js2py_layoutDelta = Dict(allow_none=True).tag(
        sync=True, echo_update=False, **custom_serializers
    )

    #: The message properties whose messages carry new edit counters every time.
    _ONE_MESSAGE: ClassVar[frozenset[str]] = frozenset(
        f"_py2js_{kind}" for kind in ("update", "restyle", "relayout", "addTraces", "deleteTraces")
    )

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        """The widget's state; the whole state carries the figure as it is now.

        plotly's view draws from ``_widget_data`` and ``_widget_layout``, which plotly sets only
        when the figure is displayed; later edits travel as messages. A page that connects
        after them (Voila's, which asks for every widget's state once the notebook has run)
        would draw the figure as first displayed. So the whole state, asked for when a page
        connects, is the current figure; an edit's own message (a state with a ``key``) is
        unchanged.
        """
        # set without a message: only the state asked for carries them (and not while plotly
        # builds the widget: its comm opens before the figure exists)
        if key is None and "_layout_obj" in self.__dict__:
            self._trait_values["_widget_data"] = copy.deepcopy(self._data)
            self._trait_values["_widget_layout"] = copy.deepcopy(self._layout_obj._props)
        state: dict[str, Any] = super().get_state(key, drop_defaults)
        return state

    def __setattr__(self, name: str, value: Any) -> None:
        # plotly resets each message property to None right after sending: a second message
        # per edit, which the page ignores (a repeated edit still differs by its counters)
        if value is None and name in self._ONE_MESSAGE:
            return
        super().__setattr__(name, value)

    # plain methods (not observers): they replace plotly's handlers of the reports
    def _handler_js2py_traceDeltas(self, change: Any) -> None:
        """Ignored: the defaults plotly.js computed (see the class's docstring)."""

    def _handler_js2py_layoutDelta(self, change: Any) -> None:
        """Ignored: the layout defaults plotly.js computed (see the class's docstring)."""

    def _send_update_msg(self, *args: Any, **kwargs: Any) -> None:
        with self.hold_sync():  # the counters and the edit in one message
            super()._send_update_msg(*args, **kwargs)

    def _send_restyle_msg(self, *args: Any, **kwargs: Any) -> None:
        with self.hold_sync():
            super()._send_restyle_msg(*args, **kwargs)

    def _send_relayout_msg(self, *args: Any, **kwargs: Any) -> None:
        with self.hold_sync():
            super()._send_relayout_msg(*args, **kwargs)

    def _send_addTraces_msg(self, *args: Any, **kwargs: Any) -> None:
        with self.hold_sync():
            super()._send_addTraces_msg(*args, **kwargs)

    def _send_deleteTraces_msg(self, *args: Any, **kwargs: Any) -> None:
        with self.hold_sync():
            super()._send_deleteTraces_msg(*args, **kwargs)


def _figure_class() -> type[go.FigureWidget]:
    if os.environ.get(FIGURE_MESSAGES_ENV, "").strip().lower() == "plotly":
        return go.FigureWidget
    return LiveFigureWidget


class LiveFigures:
    """Named ``go.FigureWidget``s drawn from catalogue entries and moved by spec diffs.

    Shared by every dashboard, the workshop and the comparison: each figure is built once from
    its initial state (a page that connects later is given the figure as it is then, see
    :meth:`LiveFigureWidget.get_state`), then moved in place with
    :func:`~lmsdecide.figures.spec.apply_spec`: only the properties that changed are written, in
    one ``batch_update()``; an unchanged figure gets no message at all. Traces that go (a
    scenario taken out of a comparison) stay in the widget, hidden
    (:func:`~lmsdecide.figures.spec.hide_surplus_traces`), so choosing scenarios or departments
    edits the figure in place rather than deleting and adding traces (each a full redraw).

    Parameters
    ----------
    keys
        Figure name (as the dashboard calls it) -> catalogue key.
    results
        Name -> result, the inputs of every entry.
    adjust
        ``adjust(name, spec, first) -> spec``: a layout-only transform applied to every spec
        before it is built or diffed (held axis ranges, a projector style).
    """

    def __init__(
        self,
        keys: Mapping[str, str],
        results: Mapping[str, Any],
        *,
        adjust: Callable[[str, Spec, bool], Spec] | None = None,
    ) -> None:
        self.entries: dict[str, FigureEntry] = {name: CATALOGUE[key] for name, key in keys.items()}
        self.adjust = adjust
        self.applied: dict[str, Spec] = {}
        self.figures: dict[str, go.FigureWidget] = {}
        #: Each figure's text alternative (the catalogue's words for the numbers drawn), visually
        #: hidden beside it; the page links the two (aria-describedby).
        self.alts: dict[str, W.HTML] = {}
        self.writes = 0
        self._drawn: dict[str, tuple[Any, ...]] = {}
        for name in self.entries:
            self._build(name, results)

    def add(self, name: str, key: str, results: Mapping[str, Any]) -> go.FigureWidget:
        """Build one more figure, ``name`` drawing the catalogue entry ``key`` (a figure
        whose inputs are made later than the others', e.g. when its tab is first opened)."""
        if name in self.entries:
            raise ValueError(f"figure {name!r} is already drawn")
        self.entries[name] = CATALOGUE[key]
        self._build(name, results)
        return self.figures[name]

    def _build(self, name: str, results: Mapping[str, Any]) -> None:
        entry = self.entries[name]
        spec = self._spec(name, results, first=True)
        self.figures[name] = build(spec, widget=_figure_class())
        self.alts[name] = alt_text(entry.describe(*entry.args(results)))
        # responsive: plotly.js redraws at the container's new width when the window is
        # resized (without it the widget keeps its first width and overflows)
        self.figures[name]._config = {**self.figures[name]._config, "responsive": True}
        self.applied[name] = spec
        self._drawn[name] = tuple(results.get(k) for k in entry.inputs)

    def _spec(self, name: str, results: Mapping[str, Any], first: bool) -> Spec:
        spec = self.entries[name].figure_spec(results)
        return self.adjust(name, spec, first) if self.adjust is not None else spec

    def draw(
        self,
        results: Mapping[str, Any],
        names: Sequence[str] | None = None,
        *,
        force: bool = False,
    ) -> int:
        """Move figures ``names`` (default: all) to ``results``; returns the properties written.

        A figure whose inputs are the very same result objects as last time is left alone
        without computing its spec (unless ``force``: the style changed). Names of figures not
        built yet (see :meth:`add`) are skipped.
        """
        written = 0
        texts: dict[str, str] = {}
        for name in self.entries if names is None else [n for n in names if n in self.entries]:
            entry = self.entries[name]
            inputs = tuple(results.get(k) for k in entry.inputs)
            drawn = self._drawn.get(name)
            if (
                not force
                and drawn is not None
                and all(a is b for a, b in zip(inputs, drawn, strict=True))
            ):
                continue
            # traces that went stay, hidden: shown again, or replaced, in place
            spec = hide_surplus_traces(self._spec(name, results, first=False), self.applied[name])
            written += apply_spec(self.figures[name], spec, self.applied[name])
            texts[name] = escape(entry.describe(*entry.args(results)))
            self.applied[name] = spec
            self._drawn[name] = inputs
        # The text alternatives go after every figure: a text changed between two figures'
        # messages makes the page lay itself out again before plotly.js draws the next figure.
        for name, text in texts.items():
            self.alts[name].value = text
        self.writes += written
        return written

    def boxes(self, names: Sequence[str] | None = None) -> list[W.Box]:
        """Each figure and its text alternative in a full-width column box: a column stretches
        its child across, so the figure takes the container's width (in a row box it would keep
        plotly's 700 pixels)."""
        return [
            figure_box(self.figures[n], self.alts[n], width="100%", min_width="0")
            for n in (self.entries if names is None else names)
        ]


def read_upload(value: Any) -> tuple[bytes, str] | None:
    """The (content, file name) of the last file in a ``FileUpload`` value, or None."""
    if not value:
        return None
    item = value[-1]
    return bytes(item["content"]), str(item["name"])


def parse_upload(content: bytes, name: str) -> Scenario:
    """A scenario from an uploaded file's bytes (YAML, JSON or Excel, by its ending)."""
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise ValueError(f"{name}: use a file ending {', '.join(FORMATS)}")
    return parse_scenario(content, fmt, source=name)


class FindingsQueue:
    """Runs the diagnosis after a change, once the figures are out and the controls are still.

    In a running kernel the call is scheduled on the kernel's event loop ``delay`` seconds later,
    so the change that triggered it completes first (the figures reach the page, the kernel goes
    idle), and a burst of changes (an arrow key held down) is not queued behind a diagnosis per
    step: each request replaces the one still waiting, and only the latest runs. Without a
    running loop (tests, scripts), or with ``defer=False`` (at construction: Voila captures the
    page before scheduled work runs), it runs at once. ``render(scenario)`` diagnoses and shows;
    ``on_error(exc)`` shows a failure.

    ``prepare(scenario)``, when given, is the pure part of ``render`` (the models, whose results
    are cached by content, e.g. ``diagnose``). In a running loop it runs first in a worker
    thread, and ``render`` follows on the loop, finding the results computed. The kernel's loop
    stays free meanwhile: a page connecting, or the next control moved, is answered while the
    diagnosis runs (the first one imports scipy.stats and takes 1–2 s), instead of after it.
    """

    #: Seconds without a new change before the diagnosis runs (a diagnosis takes 50 to 300 ms:
    #: during a burst it would hold every next step back by as much).
    delay: ClassVar[float] = 0.3

    def __init__(
        self,
        render: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        prepare: Callable[[Any], object] | None = None,
    ) -> None:
        self.render, self.on_error, self.prepare = render, on_error, prepare
        self.wanted = 0
        self._timer: asyncio.TimerHandle | None = None
        self._preparing = 0  # requests handed to the worker thread and not back yet

    def request(self, scenario: Any, *, defer: bool = True) -> None:
        """Diagnose ``scenario`` (now, or once no newer request came for :attr:`delay` s)."""
        self.wanted += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        loop = _running_loop() if defer else None
        if loop is None:
            self._run(self.wanted, scenario)
        else:
            self._timer = loop.call_later(self.delay, self._start, loop, self.wanted, scenario)

    @property
    def pending(self) -> bool:
        """True while a deferred request waits on the event loop or in the worker thread."""
        return self._timer is not None or self._preparing > 0

    def _start(self, loop: asyncio.AbstractEventLoop, wanted: int, scenario: Any) -> None:
        self._timer = None
        if self.prepare is None:
            self._run(wanted, scenario)
            return
        self._preparing += 1
        prepare = self.prepare

        def work() -> None:
            # a failure here is met again by render, on the loop, which reports it
            if wanted == self.wanted:  # not overtaken while it waited for the worker
                with contextlib.suppress(Exception):
                    prepare(scenario)
            # the loop may have closed meanwhile (a test's loop, a kernel shut down)
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._prepared, wanted, scenario)

        _findings_worker().submit(work)

    def _prepared(self, wanted: int, scenario: Any) -> None:
        self._preparing -= 1
        self._run(wanted, scenario)

    def _run(self, wanted: int, scenario: Any) -> None:
        if wanted != self.wanted:
            return  # a later change has scheduled its own diagnosis
        try:
            self.render(scenario)
        except Exception as exc:  # never raise into the kernel's event loop
            self.on_error(exc)


@functools.cache
def _findings_worker() -> ThreadPoolExecutor:
    """The one thread that prepares findings (one diagnosis at a time, whatever the dashboard)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="lmsdecide-findings")


#: Shown where the findings go while the first diagnosis waits on the kernel's event loop.
FINDINGS_CHECKING = "<i>Checking the scenario…</i>"


def plain_message(exc: BaseException) -> str:
    """A message for people who are not programmers (no traceback)."""
    if isinstance(exc, ScenarioError):
        return f"Not applied, the scenario would be invalid:\n{exc}"
    if isinstance(exc, FileExistsError):
        return f"{exc}. Tick 'Replace an existing file' to overwrite it."
    if isinstance(exc, ValueError):
        return f"Not applied: {exc}"
    return f"Not applied ({type(exc).__name__}): {exc}"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's running asyncio loop, or None outside a running loop."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def shown(widget: W.Widget, **kwargs: Any) -> Any:
    """``widget``'s display bundle; in a kernel, what is alive is first moved out of the full
    passes of Python's cyclic garbage collector (``gc.freeze``).

    A full (generation 2) pass walks every object the collector tracks: in a kernel holding a
    dashboard, about 190,000 (the modules, the widgets, the figures), 75 to 140 ms, once every 50
    to 70 changes. An arrow key held down met one every few seconds, and that change reached the
    page 100 ms late. Frozen, those objects are skipped: a full pass walks only what was made
    since (1 to 26 ms). What later changes make is collected as before; a frozen object is still
    freed when nothing refers to it (reference counting), only a cycle among frozen objects is
    kept (ipywidgets keeps every widget alive until it is closed in any case).

    Only in a running event loop (a kernel, Voila): a script or a test building dashboards keeps
    Python's collector as it is.
    """
    if _running_loop() is not None:
        gc.freeze()
    return widget._repr_mimebundle_(**kwargs)


def _html_section(title: str) -> W.HTML:
    return W.HTML(f"<h4 style='margin:10px 0 2px 0'>{escape(title)}</h4>")


class Dashboard:
    """Base of every dashboard. Subclasses set the class attributes and the hooks below.

    Attributes
    ----------
    controls
        Name -> widget: model parameters by their declared name, scenario controls by a name
        such as ``"power"`` or ``"engagement.it"``, and ``"scenario"``, ``"upload"``,
        ``"save_path"``, ``"overwrite"``, ``"save"``.
    figures
        Name -> ``go.FigureWidget``, each built once and updated in place.
    messages
        Name -> the message widget beside each control.
    """

    title: ClassVar[str] = "Dashboard"
    intro: ClassVar[str] = ""
    model_names: ClassVar[tuple[str, ...]] = ()
    #: Monte Carlo draws of a live update.
    live_draws: ClassVar[int] = 2000
    #: Draws behind the live findings.
    findings_draws: ClassVar[int] = 1000
    #: Starting values of declared parameters that differ from their declared defaults.
    param_defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(
        self,
        scenario: Scenario | str = "learning_led_late_it",
        *,
        extra_models: Sequence[str] = (),
        findings: bool = True,
    ) -> None:
        if isinstance(scenario, str):
            start_label, start = scenario, example(scenario)
        else:
            start = validate_scenario(scenario)
            start_label = f"current: {start.name}"
        self._sources: dict[str, Scenario | None] = {start_label: start}
        for name in list_examples():
            self._sources.setdefault(name, None)
        self.extra_models = tuple(extra_models)
        self.specs: dict[str, ModelSpec] = {
            n: get_model(n) for n in (*self.model_names, *self.extra_models)
        }
        self.declared: dict[str, Param] = declared_params(self.specs.values())
        self.scenario: Scenario = start
        self.params: dict[str, Any] = {
            n: self.param_defaults.get(n, p.default) for n, p in self.declared.items()
        }
        self._pending: dict[str, Any] = start.to_data()
        self._syncing = False
        self._show_findings = findings
        self.controls: dict[str, W.Widget] = {}
        self.messages: dict[str, W.HTML] = {}
        self._rows: dict[str, ControlRow] = {}
        self.status = W.HTML()
        self.findings = W.HTML(layout={"width": "100%"})
        self.timings: list[float] = []
        self._memo: dict[tuple[Any, ...], tuple[Scenario, Any]] = {}
        self._held: dict[tuple[str, str], tuple[float, float]] = {}
        self._findings = FindingsQueue(
            self._diagnose, self._findings_failed, prepare=self._prepare_findings
        )

        self.results: dict[str, Any] = self.compute(self.scenario, self.params)
        self.live = LiveFigures(self.figure_keys(), self.results, adjust=self.adjust)
        self.figures: dict[str, go.FigureWidget] = self.live.figures
        self._extra_tables: dict[str, W.HTML] = {n: W.HTML() for n in self.extra_models}
        self._draw_extras()
        # In a kernel the first diagnosis (about a second: its partner odds import scipy.stats)
        # waits on the event loop until the notebook is done, so the figures and controls are
        # out first; the page receives the findings when they are ready, as the Workshop's.
        self._update_findings()
        if self._findings.pending:
            self.findings.value = FINDINGS_CHECKING
        self.widget = styled_page(self._layout())
        self._set_status()

    # -- hooks for subclasses -------------------------------------------------------------------

    def compute(self, scenario: Scenario, params: Mapping[str, Any]) -> dict[str, Any]:
        """Run the dashboard's models; results by name. Raises on bad input."""
        return {n: self.run(n, scenario, params) for n in self.extra_models}

    #: Figure name -> catalogue key of the dashboard's own figures (in display order).
    figures_shown: ClassVar[dict[str, str]] = {}

    def figure_keys(self) -> dict[str, str]:
        """Name -> catalogue key: the dashboard's figures, then every catalogue entry drawn from
        one of the ``extra_models`` whose inputs the dashboard computes (a researcher's model
        gets its figure by one catalogue entry)."""
        keys = dict(self.figures_shown)
        for key, entry in CATALOGUE.items():
            if key in keys.values() or not set(entry.inputs) & set(self.extra_models):
                continue
            if all(name in self.results for name in entry.inputs):
                keys[key] = key
        return keys

    def adjust(self, name: str, spec: Spec, first: bool) -> Spec:
        """Layout-only changes to a figure's spec before it is drawn (held axis ranges)."""
        return spec

    def held_range(
        self, name: str, axis: str, low: float, high: float, *, first: bool = False
    ) -> list[float]:
        """[low, high] widened to the range figure ``name``'s ``axis`` had (never shrunk, so the
        eye can follow values against a steady scale), unless ``first``."""
        key = (name, axis)
        held = self._held.get(key)
        if not first and held is not None:
            low, high = min(low, held[0]), max(high, held[1])
        self._held[key] = (low, high)
        return [low, high]

    def scenario_controls(self) -> list[tuple[str, list[ControlRow]]]:
        """Sections of scenario controls (heading, rows); create them with :meth:`add`."""
        return []

    def sync_scenario_controls(self) -> None:
        """Set the scenario controls from the pending data (called with events muted)."""

    def extra_buttons(self) -> list[W.Widget]:
        """More widgets for the top bar."""
        return []

    # -- model calls ---------------------------------------------------------------------------

    def kwargs(self, model: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The values of ``model``'s declared parameters among ``params``."""
        return {n: params[n] for n in self.specs[model].params.names}

    def run(
        self, model: str, scenario: Scenario, params: Mapping[str, Any], **override: Any
    ) -> Any:
        """Run a registered model with the dashboard's values (validated by the registry).

        Results are remembered for the scenario objects in use: a parameter that only one model
        declares reruns only that model (the scenario is immutable, so the same object and the
        same values give the same result).
        """
        spec = self.specs[model]
        values = {**self.kwargs(model, params), **override}
        if spec.stochastic:
            values.setdefault("seed", LIVE_SEED)
        key = (model, id(scenario), tuple(sorted(values.items())))
        hit = self._memo.get(key)
        if hit is not None and hit[0] is scenario:
            return hit[1]
        result = spec(scenario, **values)
        self._memo[key] = (scenario, result)
        while len(self._memo) > 64:
            del self._memo[next(iter(self._memo))]
        return result

    # -- controls ------------------------------------------------------------------------------

    def add(self, name: str, widget: W.Widget, on_change: Callable[[Any], object]) -> ControlRow:
        """Register a control called ``name`` whose new value goes to ``on_change``."""
        row = ControlRow(widget)
        self.controls[name] = widget
        tag_controls({name: widget})
        self.messages[name] = row.message
        self._rows[name] = row

        def handler(change: Mapping[str, Any]) -> None:
            if self._syncing:
                return
            self._guarded(name, lambda: on_change(change["new"]))

        widget.observe(handler, names="value")
        return row

    def _guarded(self, name: str, action: Callable[[], object]) -> None:
        """Run ``action``; any exception becomes a message beside control ``name``."""
        start = time.perf_counter()
        try:
            action()
        except Exception as exc:
            self.show(name, plain_message(exc))
        self.timings.append(time.perf_counter() - start)

    def show(self, name: str, text: str) -> None:
        """Show a message beside control ``name`` (in the status line if it has no row)."""
        row = self._rows.get(name)
        if row is not None:
            row.show(text)
        else:
            self.status.value = f"<span style='color:#B2182B'>{escape(text)}</span>"

    def clear_messages(self) -> None:
        """Clear every message (after a good update)."""
        for row in self._rows.values():
            if row.message.value:
                row.show("")

    def param_sections(self) -> list[tuple[str, list[ControlRow]]]:
        """Controls generated from the models' declarations, grouped by their ``group``."""
        rows: dict[str, ControlRow] = {}
        for name, param in self.declared.items():
            rows[name] = self.add(
                name,
                control_for(param, self.params[name]),
                functools.partial(self.set_param, name),
            )
        return grouped(self.declared, rows)

    def set_param(self, name: str, value: Any) -> None:
        """Apply a new model-parameter value (from its control or from code)."""
        self.refresh(params={**self.params, name: value}, source=name)

    def edit(self, source: str, change: Callable[[dict[str, Any]], None]) -> bool:
        """Apply ``change`` to the pending scenario data; draw it if the scenario is valid.

        The edit is kept even when invalid (so the next edit can repair it); the message says
        what is wrong, beside the control ``source``.
        """
        data = copy.deepcopy(self._pending)
        change(data)
        self._pending = data
        try:
            scenario = validate_scenario(data)
        except ScenarioError as exc:
            self.show(source, plain_message(exc))
            self._set_status(invalid=True)
            return False
        return self.refresh(scenario=scenario, source=source)

    # -- drawing -------------------------------------------------------------------------------

    def refresh(
        self,
        *,
        scenario: Scenario | None = None,
        params: Mapping[str, Any] | None = None,
        source: str = "",
    ) -> bool:
        """Compute for the new state and draw it; on failure keep the last good state drawn."""
        new_scenario = self.scenario if scenario is None else scenario
        new_params = dict(self.params if params is None else params)
        try:
            results = self.compute(new_scenario, new_params)
        except Exception as exc:
            self.show(source, plain_message(exc))
            return False
        self.scenario, self.params, self.results = new_scenario, new_params, results
        self.draw()
        self.clear_messages()
        self._update_findings()
        self._set_status()
        return True

    def draw(self) -> None:
        """Move every figure to the current results (in place; only what changed is written)."""
        self.live.draw(self.results)
        self._draw_extras()

    def draw_figure(self, name: str) -> None:
        """Move figure ``name`` to the current results."""
        self.live.draw(self.results, [name])

    def _draw_extras(self) -> None:
        for name, box in self._extra_tables.items():
            result = self.results.get(name)
            frame = getattr(result, "to_frame", None)
            body = frame().to_html(index=False, float_format="{:.4g}".format) if frame else ""
            label = escape(self.specs[name].label)
            box.value = f"<b>{label}</b><br>{body or escape(repr(result))}"

    def _update_findings(self, defer: bool = True) -> None:
        """Diagnose the scenario drawn once the figures are out (:class:`FindingsQueue`).

        The findings depend on the scenario only: a parameter change keeps them.
        """
        if not self._show_findings or self.scenario is getattr(self, "_diagnosed", None):
            return
        self._diagnosed = self.scenario
        self._findings.request(self.scenario, defer=defer)

    def _findings_failed(self, exc: BaseException) -> None:
        self.findings.value = f"<i>Findings unavailable: {escape(str(exc))}</i>"

    def _prepare_findings(self, scenario: Scenario) -> Any:
        """The diagnosis :meth:`_diagnose` shows (cached by content): in a kernel it is first
        computed in the worker thread, and found in the cache when it is shown."""
        from lmsdecide.diagnosis import diagnose

        return diagnose(scenario, n=self.findings_draws)

    def _diagnose(self, scenario: Scenario) -> None:
        if importlib.util.find_spec("lmsdecide.diagnosis") is None:
            self.findings.value = ""  # a package without the diagnosis shows no findings
            return
        try:
            result = self._prepare_findings(scenario)
        except Exception as exc:
            self.findings.value = f"<i>Findings unavailable: {escape(str(exc))}</i>"
            return
        items = []
        for f in result.findings:
            items.append(
                f"<li style='margin-bottom:6px'>{badge(f.severity)} "
                f"<b>{escape(f.title)}</b><br><span style='color:#444'>"
                f"{escape(f.evidence_text)}</span><br>&rarr; {escape(f.recommendation)}</li>"
            )
        body = "".join(items) or "<li>No findings: nothing to flag.</li>"
        self.findings.value = (
            "<div class='lmsdecide-findings lmsdecide-scroll' data-label='Findings'"
            " style='border-left:4px solid #999;"
            "padding:4px 10px;background:#FAFAFA;overflow-y:auto'>"
            f"<b>Findings:</b> {escape(result.verdict)}"
            f"<ul style='padding-left:18px;margin:4px 0'>{body}</ul></div>"
        )

    def _set_status(self, invalid: bool = False) -> None:
        note = (
            " <span style='color:#B2182B'>Your latest edit is not valid yet: the figures show "
            "the last valid scenario.</span>"
            if invalid
            else ""
        )
        self.status.value = f"<span style='color:#555'>{escape(self.scenario.name)}</span>{note}"

    # -- scenario picker, upload and save -------------------------------------------------------

    def _top_bar(self) -> W.Widget:
        picker = W.Dropdown(
            options=list(self._sources),
            value=next(iter(self._sources)),
            description="Scenario",
            tooltip="A bundled example scenario, or one you uploaded.",
            layout={"width": "420px"},
        )
        pick_row = self.add("scenario", picker, self.choose)
        upload = W.FileUpload(
            accept=",".join(FORMATS), multiple=False, description="Upload your scenario"
        )
        upload.layout = {"width": "220px"}
        upload_row = self.add("upload", upload, self._uploaded)
        path = W.Text(
            value="my_scenario.yaml",
            description="Save as",
            tooltip="File name ending .yaml, .json or .xlsx",
            layout={"width": "300px"},
        )
        self.controls["save_path"] = path
        overwrite = W.Checkbox(value=False, description="Replace an existing file", indent=False)
        self.controls["overwrite"] = overwrite
        button = W.Button(description="Save scenario", icon="save")
        self.controls["save"] = button
        save_row = ControlRow(W.HBox([path, overwrite, button]))
        self._rows["save"] = save_row
        self.messages["save"] = save_row.message
        button.on_click(lambda _b: self._guarded("save", self.save))
        return W.VBox(
            [W.HBox([pick_row, upload_row]), save_row, W.HBox(self.extra_buttons())],
            layout={"border_bottom": "1px solid #ddd", "padding": "0 0 6px 0"},
        )

    def choose(self, label: str) -> bool:
        """Switch to a bundled example (by name) or an uploaded scenario (by its label)."""
        scenario = self._sources.get(label)
        if scenario is None:
            scenario = example(label)
            self._sources[label] = scenario
        return self.load(scenario, source="scenario")

    def load(self, scenario: Scenario, source: str = "scenario") -> bool:
        """Make ``scenario`` the dashboard's scenario (controls follow)."""
        previous = self._pending
        self._pending = scenario.to_data()
        self._syncing = True
        try:
            self.sync_scenario_controls()
        finally:
            self._syncing = False
        if not self.refresh(scenario=scenario, source=source):
            self._pending = previous
            self._syncing = True
            try:
                self.sync_scenario_controls()
            finally:
                self._syncing = False
            return False
        return True

    def upload(self, content: bytes, name: str) -> bool:
        """Read a scenario file's bytes (YAML, JSON or Excel) and switch to it."""
        scenario = parse_upload(content, name)
        label = f"uploaded: {name}"
        self._sources[label] = scenario
        picker = self.controls["scenario"]
        self._syncing = True
        try:
            picker.options = list(self._sources)
            picker.value = label
        finally:
            self._syncing = False
        return self.load(scenario, source="upload")

    def _uploaded(self, value: Any) -> None:
        upload = read_upload(value)
        if upload is None:
            return
        self._syncing = True
        try:  # the file is read once: do not keep its bytes in the widget (and the page)
            self.controls["upload"].value = ()
        finally:
            self._syncing = False
        self.upload(*upload)

    def save(self, path: str | None = None, *, overwrite: bool | None = None) -> Path:
        """Save the scenario drawn (the last valid one) atomically; never overwrites unasked."""
        target = Path(path if path is not None else self.controls["save_path"].value)
        replace = self.controls["overwrite"].value if overwrite is None else overwrite
        saved = save_scenario(self.scenario, target, overwrite=bool(replace))
        pending_invalid = self._pending != self.scenario.to_data()
        note = (
            " (the last valid version: your latest edit is not valid and was not saved)"
            if pending_invalid
            else ""
        )
        message = self._rows["save"].message
        message.value = (
            f"<span style='color:#1B7837'>Saved to {escape(str(saved))}{escape(note)}</span>"
        )
        message.layout.display = ""
        return saved

    # -- layout --------------------------------------------------------------------------------

    def _layout(self) -> W.Widget:
        top = self._top_bar()
        sections = self.scenario_controls()
        params = self.param_sections()
        scen_box = W.VBox(
            [w for title, rows in sections for w in (_html_section(title), *rows)],
        )
        accordion = W.Accordion(
            children=[W.VBox(rows) for _title, rows in params],
            titles=tuple(title for title, _rows in params),
        )
        left = W.VBox(
            [scen_box, _html_section("Assumptions (model parameters)"), accordion],
            layout={"width": "470px", "min_width": "470px"},
        )
        figs = self.live.boxes()
        extras = list(self._extra_tables.values())
        # Controls with the findings beside them; the figures below at their own width (a plotly
        # figure drawn in a narrow flex column can overflow it).
        findings = W.Box([self.findings], layout={"flex": "1 1 0%", "min_width": "0"})
        findings.add_class(FINDINGS_PANEL)  # its own height: new findings never move the figures
        header = W.HTML(
            f"<h3 style='margin:4px 0'>{escape(self.title)}</h3>"
            f"<div style='color:#333;max-width:900px'>{self.intro}</div>"
        )
        return W.VBox(
            [header, top, self.status, W.HBox([left, findings]), W.VBox([*figs, *extras])]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return shown(self.widget, **kwargs)

    # -- measurements --------------------------------------------------------------------------

    def set(self, name: str, value: Any) -> None:
        """Set control ``name`` to ``value`` as a person would (tests, benchmarks, notebooks)."""
        self.controls[name].value = value
