"""A figure written once, as data: its spec, how to build it and how to move a live figure to it.

A *spec* is plotly's figure dictionary, ``{"data": [trace, ...], "layout": {...}}``, made of
plain Python values and numpy arrays, where every trace also carries a ``"uid"``: a key that stays
the same for the same trace from one result to the next (``"department"``, ``"fn:it"``,
``"edge:hr>it"``). A spec function takes model results and returns a spec; it contains no model
maths and never imports ipywidgets.

Two operations use it, and they are the only code that turns a spec into a figure:

- :func:`build` validates the spec once into a ``go.Figure`` (or ``go.FigureWidget``);
- :func:`apply_spec` moves a drawn figure from the spec it shows to a new one, writing only the
  properties whose values differ (compared with :func:`lmsdecide.results.values_equal`) inside
  one ``batch_update()``: one message to the browser, and nothing at all when nothing changed, so
  plotly.js does not redraw an unchanged figure. Traces are matched by ``uid``: when traces
  appear or disappear, those before the first difference stay (updated in place) and the rest
  are replaced.

So the figure a dashboard shows after any sequence of updates is the figure :func:`build` makes
from the latest spec (the tests check this on every bundled scenario).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, TypeAlias

import numpy as np
import plotly.graph_objects as go

from lmsdecide._env import FIGURE_BUNDLE_ENV
from lmsdecide.results import values_equal

__all__ = ["Spec", "apply_spec", "build", "hide_surplus_traces", "plotly_dict", "trace_keys"]

# a root-relative path of plain characters (never a script or another site's address)
_SERVED_PATH = re.compile(r"/[A-Za-z0-9_./-]+\.js")
# anywidget imports inline code as a module; several lines, so it is never taken for a file name.
# After each redraw plotly's view computes the defaults plotly.js filled in (a deep copy and a
# diff of the whole figure) and sends them to the kernel: a figure whose widget syncs
# ``_page_reports = false`` (LiveFigureWidget, whose kernel ignores them) skips both.
# A figure whose widget syncs ``_draw_when_seen = true`` is drawn only while some of it is in
# the window. An edit in place (restyle, relayout, update) to a figure in view and up to date
# is drawn at once, as plotly draws it; any other edit (traces removed, added or moved: each its
# own message, each a full redraw in plotly's view) marks the figure stale, and a stale figure
# is drawn from the widget's current figure (which plotly's model keeps up to date with every
# edit) once, in the next animation frame if in view, or else when it comes into view, however
# many edits it missed. Each such redraw is a ``performance.measure`` named ``lmsdecide-draw``.
# Any other figure on the page keeps plotly's behaviour.
_BUNDLE_LOADER = """\
const bundle = await import(new URL("{path}", window.location.href).href);
const view = bundle.FigureView.prototype;
if (!view.__lmsdecideReports) {
  view.__lmsdecideReports = true;
  for (const name of ["_sendTraceDeltas", "_sendLayoutDelta"]) {
    const send = view[name];
    view[name] = function (...args) {
      if (this.model.get("_page_reports") === false) return;
      return send.apply(this, args);
    };
  }
  const seen = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const v = entry.target.__lmsdecideView;
      if (!v) continue;
      v.__lmsdecideInView = entry.isIntersecting;
      // in the window, even with no size yet (a figure in a row sized by its content)
      if (entry.isIntersecting && v.__lmsdecideFirst) drawFirst(v);
      else if (entry.isIntersecting && v.__lmsdecideStale) v.__lmsdecideCatchUp();
    }
  });
  const shown = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const v = entry.target.__lmsdecideView;
      if (v && v.__lmsdecideFirst && entry.contentRect.width > 0) drawFirst(v);
    }
  });
  const drawFirst = (v) => {  // once, whichever observer sees the figure first
    shown.unobserve(v.el);
    const first = v.__lmsdecideFirst;
    v.__lmsdecideFirst = null;
    first();
  };
  const render = view.perform_render;
  view.perform_render = function (...args) {
    if (this.model.get("_draw_when_seen") !== true) return render.apply(this, args);
    this.__lmsdecideInView = true;  // until the observer says otherwise
    this.el.__lmsdecideView = this;
    seen.observe(this.el);
    // A figure without a box (a tab not open yet) is first drawn when it gets one, from the
    // model's state then: plotly's view draws every figure of the page at once otherwise.
    const Plotly = window.Plotly;
    const newPlot = Plotly.newPlot;
    Plotly.newPlot = () => new Promise((resolve) => {
      this.el.dataset.lmsdecideDraw = "pending";
      this.__lmsdecideFirst = () => {
        delete this.el.dataset.lmsdecideDraw;
        resolve(this.__lmsdecideDraw());
      };
      shown.observe(this.el);
    });
    try {
      return render.apply(this, args);
    } finally {
      Plotly.newPlot = newPlot;
    }
  };
  view.__lmsdecideDraw = function () {
    this.__lmsdecideStale = false;
    const layout = structuredClone(this.model.get("_widget_layout"));
    if (!layout.height) layout.height = 360;
    const config = { ...this.model.get("_config"), editSelection: false };
    return window.Plotly.react(
      this.el, structuredClone(this.model.get("_widget_data")), layout, config);
  };
  view.__lmsdecideCatchUp = function () {
    const start = performance.now();
    this.__lmsdecideDraw();
    performance.measure("lmsdecide-draw", { start });
  };
  const edits = ["do_addTraces", "do_deleteTraces", "do_moveTraces", "do_restyle",
    "do_relayout", "do_update", "do_animate"];
  for (const name of edits) {
    const edit = view[name];
    view[name] = function (...args) {
      if (this.model.get("_draw_when_seen") !== true) return edit.apply(this, args);
      if (this.__lmsdecideFirst) return;  // not drawn yet: drawn later from the model's state
      const relayout = this.model.get("_py2js_relayout");
      if (name === "do_relayout" && relayout && relayout.source_view_id === this.viewID) {
        return edit.apply(this, args);  // the page's own zoom or pan, already drawn
      }
      const inPlace = name === "do_restyle" || name === "do_relayout" || name === "do_update";
      if (inPlace && !this.__lmsdecideStale && this.__lmsdecideInView !== false) {
        return edit.apply(this, args);  // one edit to a figure drawn up to date: at once
      }
      this.__lmsdecideStale = true;
      if (!this.__lmsdecideFrame) {
        this.__lmsdecideFrame = requestAnimationFrame(() => {
          this.__lmsdecideFrame = 0;
          if (this.__lmsdecideStale && this.__lmsdecideInView !== false) this.__lmsdecideCatchUp();
        });
      }
    };
  }
}
export default bundle.default;
"""

#: ``{"data": [trace dicts, each with "type" and "uid"], "layout": {...}}``.
Spec: TypeAlias = dict[str, Any]

_MISSING = object()


def trace_keys(spec: Spec) -> list[tuple[str, str]]:
    """The identity of each trace of ``spec``: its (type, uid), in drawing order."""
    keys = [(str(t.get("type", "scatter")), str(t["uid"])) for t in spec["data"]]
    if len(set(keys)) != len(keys):
        raise ValueError(f"figure spec: trace uids must be unique, got {[k[1] for k in keys]}")
    return keys


def _strip(trace: Mapping[str, Any]) -> dict[str, Any]:
    # the uid is the spec's own key: a FigureWidget replaces plotly's uid with a random one
    return {k: v for k, v in trace.items() if k != "uid"}


def plotly_dict(spec: Spec) -> dict[str, Any]:
    """The spec as plotly's figure dictionary (trace keys removed), without validation."""
    return {"data": [_strip(t) for t in spec["data"]], "layout": spec.get("layout", {})}


def build(spec: Spec, *, widget: bool | type[go.FigureWidget] = False) -> go.Figure:
    """A validated ``go.Figure`` from ``spec``: a ``go.FigureWidget`` with ``widget=True``, or
    an instance of ``widget`` when it is a ``go.FigureWidget`` subclass.

    A ``go.FigureWidget``'s front-end code is plotly's whole widget bundle (about 5 MB), which
    the page otherwise receives and evaluates once per figure. When the app serves the bundle
    (``lmsdecide present`` and ``lmsdecide lab`` set :data:`~lmsdecide._env.FIGURE_BUNDLE_ENV`
    to its path on the server, e.g. ``/voila/static/plotly-widgetbundle-7.1.0.js``), the
    widget's code, from its creation on, is a short module importing that path from the
    page's own origin: the browser loads and evaluates the bundle once for every figure of the
    page, whether the page was opened as ``127.0.0.1`` or ``localhost`` (an absolute address on
    another origin would be refused by the browser's cross-origin rules).
    """
    trace_keys(spec)
    if widget is False:
        return go.Figure(plotly_dict(spec))
    cls: type[go.FigureWidget] = widget if isinstance(widget, type) else go.FigureWidget
    path = os.environ.get(FIGURE_BUNDLE_ENV, "")
    if _SERVED_PATH.fullmatch(path):
        cls = _served_widget(cls, _BUNDLE_LOADER.replace("{path}", path))
    return cls(plotly_dict(spec))


_SERVED: dict[tuple[type[go.FigureWidget], str], type[go.FigureWidget]] = {}


def _served_widget(base: type[go.FigureWidget], code: str) -> type[go.FigureWidget]:
    """``base`` whose front-end code is ``code`` from the start.

    anywidget turns the class's ``_esm`` into the widget's initial state, so the 5 MB bundle is
    never sent; setting ``_esm`` on an instance would come after the widget opened its comm
    with the bundle already in its state.
    """
    key = (base, code)
    if key not in _SERVED:  # one class per base and address: anywidget keys its CSS by class
        _SERVED[key] = type(
            f"Served{base.__name__}", (base,), {"_esm": code, "__module__": __name__}
        )
    return _SERVED[key]


_SCALARS = (str, int, float, bool)


def _same(a: Any, b: Any) -> bool:
    """:func:`values_equal`, with Python's own list equality tried first (fast, exact; a list
    holding NaN or arrays falls through to the general comparison)."""
    if type(a) is list and type(b) is list:
        try:
            if a == b:
                return True
        except (TypeError, ValueError):  # arrays inside: ambiguous truth value
            pass
    return values_equal(a, b)


Path: TypeAlias = tuple[str | int, ...]


def _diff(
    new: Mapping[str, Any], old: Mapping[str, Any], prefix: Path, out: dict[Path, Any]
) -> None:
    """Property paths whose value in ``new`` differs from ``old`` (removed ones set to None)."""
    for key, value in new.items():
        before = old.get(key, _MISSING)
        if value is before or (
            type(value) in _SCALARS and type(before) is type(value) and value == before
        ):
            continue  # the common case, without the general comparison
        path = (*prefix, key)
        if isinstance(value, Mapping) and isinstance(before, Mapping):
            _diff(value, before, path, out)
        elif (
            isinstance(value, list)
            and isinstance(before, list)
            and len(value) == len(before)
            and value
            and all(isinstance(v, Mapping) for v in value)
            and all(isinstance(v, Mapping) for v in before)
        ):  # shapes, annotations: item by item while their number holds
            for i, (item, was) in enumerate(zip(value, before, strict=True)):
                _diff(item, was, (*path, i), out)
        elif before is _MISSING or not _same(value, before):
            # no shapes or annotations left: unset (an empty list would stay in the figure)
            empty = isinstance(value, list) and not value and isinstance(before, list)
            out[path] = None if empty and all(isinstance(v, Mapping) for v in before) else value
    for key in old:
        if key not in new:
            out[(*prefix, key)] = None


#: Trace keys that do not make two traces different ones: the spec's own key, and whether shown.
_IDENTITY_FREE = frozenset({"uid", "visible"})


def _properties(props: Mapping[str, Any], top: bool = True) -> frozenset[Any]:
    """The property names of a trace, nested containers with theirs (values aside)."""
    return frozenset(
        (key, _properties(value, False) if isinstance(value, Mapping) else None)
        for key, value in props.items()
        if not (top and key in _IDENTITY_FREE)
    )


def _alike(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """Whether trace ``old`` is edited into ``new`` in place: the same uid, or the same type
    and the same properties (another scenario's bars in the same panel)."""
    if new["uid"] == old["uid"]:
        return True
    same_type = new.get("type", "scatter") == old.get("type", "scatter")
    return same_type and _properties(new) == _properties(old)


#: The uid of the hidden trace kept at position ``i`` (never a uid of a drawn trace).
_HIDDEN_UID = "lmsdecide-hidden-{}"


def hide_surplus_traces(new: Spec, old: Spec) -> Spec:
    """``new``, followed by the traces of ``old`` beyond its own number, hidden.

    For a live figure whose traces come and go (a scenario taken out of a comparison, a
    department out of the Workshop): moving a figure from ``old`` to the result is one edit in
    place (``visible`` set to false on the surplus), which the page draws at once, instead of
    deleting traces, which plotly.js answers with a full redraw of the figure (one more when
    they come back). A trace shown again later takes the place of a hidden one in place too.
    ``new`` is returned as it is when it has as many traces as ``old`` or more, or when a trace
    it shares with ``old`` differs in kind (another uid and another type or other properties:
    a restructure anyway). A trace with ``visible`` false draws nothing, takes no room in a
    group of bars and has no legend entry.
    """
    n = len(new["data"])
    surplus = old["data"][n:]
    if not surplus or not all(_alike(t, u) for t, u in zip(new["data"], old["data"], strict=False)):
        return new
    hidden = [
        {**t, "uid": _HIDDEN_UID.format(i), "visible": False}
        for i, t in enumerate(surplus, start=n)
    ]
    return {**new, "data": [*new["data"], *hidden]}


def _set(obj: Any, path: Path, value: Any) -> None:
    """Set ``path`` under ``obj`` by walking to its parent (cheaper for plotly than parsing a
    dotted path string, which it does for every write)."""
    for part in path[:-1]:
        obj = obj[part]
    obj[path[-1]] = value


def _path_text(path: Path) -> str:
    """plotly's dotted path of ``path``: ``("shapes", 0, "x0")`` is ``shapes.0.x0``, as plotly
    writes it itself."""
    return ".".join(str(part) for part in path)


#: (trace type or "layout", path without item numbers) -> plotly's validator of that property.
_VALIDATORS: dict[tuple[str, tuple[str, ...]], Any] = {}


def _plain(fig: go.Figure, index: int | None, path: Path, value: Any) -> Any:
    """``value`` to store without plotly's validation, serialising as the validated value would.

    Plain Python values are stored as given (as the validator does, up to tuple or list). A
    numpy scalar becomes its Python number (the same number on the page). A numpy array stays an
    array where the property is a data array (contiguous, as the validator's copy is, which
    serialises the same) and is otherwise passed through the property's validator, which turns
    it into a list."""
    if isinstance(value, np.generic):
        return value.item()
    if not isinstance(value, np.ndarray):
        return value
    owner = "layout" if index is None else fig.data[index].type
    key = (owner, tuple(p for p in path if isinstance(p, str)))
    validator = _VALIDATORS.get(key)
    if validator is None:
        obj: Any = fig.layout if index is None else fig.data[index]
        for part in path[:-1]:
            obj = obj[part]
        validator = _VALIDATORS[key] = obj._get_validator(path[-1])
    if type(validator).__name__ == "DataArrayValidator":
        # one block of memory, as the validator's copy is: the page cannot read a strided
        # buffer (a column of a table), and its whole widget state would fail with it
        return np.ascontiguousarray(value)
    return validator.validate_coerce(value)


def apply_spec(fig: go.Figure, new: Spec, old: Spec | None) -> int:
    """Move ``fig``, which shows ``old``, to ``new``; returns how many properties were written.

    ``old`` is the spec ``fig`` was built from or last moved to (None: ``fig`` is replaced
    whole). Works on a ``go.FigureWidget`` (one message to the browser) and a ``go.Figure``.
    Changed values are not validated by plotly again (``new`` comes from the builder whose
    first figure it validated): they are stored as its validators store them (see
    :func:`_plain`), so the figure serialises as one built from ``new``.
    """
    trace_keys(new)  # its uids unique (the old spec passed the same check when it was new)
    if old is None:
        with fig.batch_update():
            fig.data = ()
            fig.layout = new.get("layout", {})
        fig.add_traces([_strip(t) for t in new["data"]])
        return len(new["data"]) + 1
    writes = 0
    # A trace is matched by its uid, or else by its place when it has the same type and the
    # same properties (values aside): a trace of another scenario in the same place is then
    # edited in place, one message the page draws at once. (A uid is the spec's own key and
    # never reaches the page.) Traces of other properties are replaced, not edited into each
    # other: plotly's front end fails on an edit that unsets a container (``line``) of one trace
    # while another trace's edit sets a property inside it.
    was: list[Mapping[str, Any]] = list(old["data"])
    same = 0
    while same < min(len(was), len(new["data"])) and _alike(new["data"][same], was[same]):
        same += 1
    if same < max(len(was), len(new["data"])):
        # traces come or go: keep the traces up to the first that differ (edited in place
        # below), delete the rest and add the new tail. Deleting and adding are the two
        # restructuring messages the widget's front end handles reliably; reordering is not
        # used.
        if same < len(fig.data):
            fig.data = fig.data[:same]
        added = new["data"][same:]
        if added:
            fig.add_traces([_strip(t) for t in added])
        writes += len(added) + 1
        was = was[:same] + list(added)  # an added trace already holds its values
    trace_changes: list[tuple[int, dict[Path, Any]]] = []
    for index, (props, before) in enumerate(zip(new["data"], was, strict=True)):
        changes: dict[Path, Any] = {}
        _diff(props, before, (), changes)
        changes.pop(("uid",), None)
        changes.pop(("type",), None)
        if changes:
            trace_changes.append((index, changes))
    layout_changes: dict[Path, Any] = {}
    _diff(new.get("layout", {}), old.get("layout", {}), (), layout_changes)
    removed = {path for path, value in layout_changes.items() if value is None}
    if not trace_changes and not layout_changes:
        return writes  # nothing differs: no message, plotly.js does not redraw
    with fig.batch_update():
        # written straight into the batch plotly sends on leaving it: each value comes from
        # the figure's own builder, as its first state did, which plotly validated then;
        # validating every write again was most of a change's time in the kernel
        for index, changes in trace_changes:
            edits = fig._batch_trace_edits.setdefault(index, {})
            for path, value in changes.items():
                edits[_path_text(path)] = _plain(fig, index, path, value)
                writes += 1
        for path, value in layout_changes.items():
            if path not in removed:
                fig._batch_layout_edits[_path_text(path)] = _plain(fig, None, path, value)
                writes += 1
    # inside batch_update() plotly keeps an unset list of shapes or annotations as an empty one
    for path in removed:
        _set(fig.layout, path, None)
        writes += 1
    return writes
