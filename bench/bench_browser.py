"""Benchmark: a person's action to the figure in the page, in a real browser, for every control.

    .venv/bin/python bench/bench_browser.py                  # JupyterLab and Voila, every dashboard
    .venv/bin/python bench/bench_browser.py --presses 3      # three changes per control
    .venv/bin/python bench/bench_browser.py --baseline       # and plotly's own messages, paired
    .venv/bin/python bench/bench_browser.py --only WhoDrives --hosts lab

Debian's chromium (Playwright; never a downloaded browser) opens each dashboard notebook (01 to 04)
and the Workshop (05): in JupyterLab by Run All, and in Voila as ``lmsdecide present`` serves an
app (its template, plotly's bundle served once, a preheated kernel), in a 1400 x 1000 window. Every
control that holds a value is changed as a person changes it: a slider by its arrow keys, a
drop-down or a multiple selection by choosing, a check box or a toggle by a click, a number box by
typing and Enter. Each control is changed there and back (``--presses N``: N changes, default 2; a
dashboard with few controls changes each more often, twelve changes at least): first where the
control is found (scrolled into view), then while the person watches the first figure the first
change moved (that figure scrolled to the middle of the window, the control changed from the
keyboard without scrolling, or by script where no key does it). The page draws a live figure only
while some of it is in the window; a figure the change left out of view is drawn when the person
scrolls to it, and that is timed too (scroll to the frame holding the figure). A figure in a tab
not open (CompareScenarios shows one figure per tab) is drawn when its tab is opened: after a
change that moved figures, the tab of one the change moved (each in turn) is opened by a click and
timed from its pointerdown to the frame holding the figure, in a row of its own with the same
target. About 160 changes, two hosts, ten pages opened: ten to fourteen minutes on a loaded 2-core
machine. Each change is isolated: the next one waits until the kernel has answered every message of
the last and the page has been quiet for half a second.

Measured in the page (``browser_probe.js``, installed before the page's own scripts), on the
page's clock, per change:

* **total**: from the input event to the animation frame in which the last figure that moved
  in the window holds its new data and layout (read from the plotly element, as the browser
  tests do);
* **send**: input event to the widget's message leaving on the websocket;
* **kernel**: the kernel's own busy-to-idle time for that message (its status messages'
  timestamps): the callback, the models and the figures' updates;
* **messages**: frames received and sent until the page is quiet, their bytes, how many
  address figures, and how many came back from the page to the kernel (plotly's view reports
  its defaults after each redraw);
* **page**: the page's time on the incoming frames, from each frame's arrival to the next task
  (decoding, widget models, plotly.js drawing), split into figure frames (plotly.js) and the
  others; plotly_afterplot events, and those on figures whose data did not change;
* **layout**: Chromium's own layout and style-recalculation time (DevTools Performance metrics).

Rows: one per dashboard and host, the total's median and p95 over the changes that moved a
figure in the window, with the breakdown's medians in the note, and the per-control details.
Target: median at most 100 ms, p95 at most 150 ms. A change that moves no figure in the window
(it picks which department the sliders edit, or its figures are all scrolled away) counts in its
own row (the page updated: the kernel's last answer applied); the figures drawn on coming into
view in a third. Timings are wall clock on a machine that
may be shared; the kernel and chromium run on the same cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(HERE), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import _harness  # noqa: E402
from _harness import Row, print_rows, row  # noqa: E402

SUITE = "browser"
TARGET = "median <= 100 ms, p95 <= 150 ms"
PROBE = (HERE / "browser_probe.js").read_text()
#: The page counts as settled after this long without a frame or a redraw: longer than the
#: findings' wait for the controls to be still (FindingsQueue.delay, 0.3 s), so the next change
#: never meets the kernel busy with the last one's diagnosis.
QUIET_MS = 500
SKIP = {"upload", "save_path", "overwrite", "save", "more_draws", "tabs"}

#: Dashboard -> (notebook, class name, module).
DASHBOARDS = {
    "WhoDrives": ("01_who_drives.ipynb", "WhoDrives", "lmsdecide.widgets"),
    "WhenToEngage": ("02_when_to_engage.ipynb", "WhenToEngage", "lmsdecide.widgets"),
    "ChoosePartner": ("03_choose_a_partner.ipynb", "ChoosePartner", "lmsdecide.widgets"),
    "CompareScenarios": ("04_compare_scenarios.ipynb", "CompareScenarios", "lmsdecide.widgets"),
    "Workshop": ("05_workshop_live.ipynb", "Workshop", "lmsdecide.widgets.workshop"),
}


# ---------------------------------------------------------------------------------------------
# the controls, read from the dashboards built in this process as the notebooks build them
# ---------------------------------------------------------------------------------------------


def _construct(name: str) -> Any:
    import importlib

    import lmsdecide as L

    _nb, cls_name, module = DASHBOARDS[name]
    cls = getattr(importlib.import_module(module), cls_name)
    if name == "WhoDrives" or name == "WhenToEngage":
        return cls("learning_led_late_it")
    if name == "ChoosePartner":
        return cls("reseller_partner")
    if name == "CompareScenarios":
        return cls(["it_led", "learning_led_late_it", "learning_led_early_engagement"])
    from lmsdecide.workshop import story_from_environment

    del L
    return cls(story=story_from_environment())


def plan(name: str) -> tuple[int, list[dict[str, Any]]]:
    """The number of figures of dashboard ``name`` and its controls, with how to change each
    and change it back."""
    import ipywidgets as W

    from lmsdecide.widgets.base import CONTROL_CLASS

    dash = _construct(name)
    out: list[dict[str, Any]] = []
    for key, w in dash.controls.items():
        if key in SKIP or not hasattr(w, "value") or getattr(w, "disabled", False):
            continue
        css = "." + CONTROL_CLASS + "".join(c if c.isalnum() else "-" for c in key)
        entry: dict[str, Any] = {"control": key, "css": css, "kind": type(w).__name__}
        if isinstance(w, (W.FloatSlider, W.IntSlider)):
            up = w.value + w.step <= w.max
            entry.update(steps=["ArrowRight", "ArrowLeft"] if up else ["ArrowLeft", "ArrowRight"])
        elif isinstance(w, W.SelectMultiple):
            n = len(w.options)
            chosen = list(w.index)
            other = chosen[:-1] if len(chosen) > 1 else [*chosen, next(i for i in range(n))]
            entry.update(steps=[other, chosen])
        elif isinstance(w, (W.Dropdown, W.ToggleButtons)):
            if len(w.options) < 2 or w.index is None:
                continue
            entry.update(steps=[(w.index + 1) % len(w.options), w.index])
        elif isinstance(w, W.Checkbox):
            entry.update(steps=["click", "click"])
        elif isinstance(w, (W.FloatText, W.BoundedFloatText, W.IntText)):
            entry.update(steps=[f"{w.value + 1:g}", f"{w.value:g}"])
        else:
            continue
        out.append(entry)
    return len(dash.figures), out


# ---------------------------------------------------------------------------------------------
# servers and pages
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def voila_present(
    env_extra: dict[str, str], notebook: str = "05_workshop_live.ipynb"
) -> Iterator[str]:
    """``notebook`` as ``lmsdecide present`` serves an app: the lmsdecide template (nothing
    fetched from the network), plotly's bundle served once, a preheated kernel.

    Plain ``voila notebooks/`` is not used: there, each figure carries its own copy of plotly's
    widget code and the last figures of a dashboard stopped following the kernel's edits (in
    chromium, WhenToEngage's plan and adoption figures kept their first data), so a change
    that moves them was counted as moving nothing.
    """
    from lmsdecide.cli import present_command
    from tests.browser.pages import free_port, voila_app

    command, env = present_command(free_port(), notebook=notebook, env_extra=env_extra)
    # a log per notebook: a page that never shows its figures is explained by its own server's
    log = f"bench-present-{Path(notebook).stem}.log"
    with voila_app(command, env, log_name=log) as (url, _started):
        yield url


REVEAL_JS = """(el) => {
    // open the accordion section or tab holding el (one level per call)
    const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
    let node = el;
    while (node && node.parentElement) {
        const parent = node.parentElement;
        if (parent.classList.contains('jupyter-widget-Collapse-contents') && !visible(parent)) {
            parent.parentElement.querySelector('.jupyter-widget-Collapse-header').click();
            return 'accordion';
        }
        if (parent.classList.contains('widget-tab-contents') && !visible(node)) {
            // the caller clicks tab i of the marked tab widget (Lumino listens to pointer events)
            document.querySelectorAll('[data-lms-reveal]')
                .forEach(e => e.removeAttribute('data-lms-reveal'));
            parent.parentElement.setAttribute('data-lms-reveal', '1');
            return [...parent.children].indexOf(node);
        }
        node = parent;
    }
    return null;
}"""


def _settle(page: Any, timeout_ms: float = 20_000) -> None:
    page.wait_for_function(f"() => window.__lms.quiet({QUIET_MS})", timeout=timeout_ms)


def _reveal(page: Any, target: Any) -> None:
    for _ in range(4):
        if target.is_visible():
            return
        handle = target.element_handle(timeout=10_000)
        found = page.evaluate(REVEAL_JS, handle)
        if found is None:
            return
        if isinstance(found, int):
            page.locator("[data-lms-reveal] > .lm-TabBar .lm-TabBar-tab").nth(found).click()
        page.wait_for_timeout(150)
        _settle(page)


def _target(page: Any, entry: dict[str, Any]) -> Any:
    root = page.locator(entry["css"]).first
    kind = entry["kind"]
    if kind.endswith("Slider"):
        return root.locator(".noUi-handle").first
    if kind in ("Dropdown", "SelectMultiple"):
        return root.locator("select").first
    if kind == "Checkbox":
        return root.locator("input[type=checkbox]").first
    if kind == "ToggleButtons":
        return root
    return root.locator("input").first


def _act(page: Any, target: Any, entry: dict[str, Any], step: Any, look: bool = False) -> None:
    """Change the control as a person does. With ``look`` the page is not scrolled (the person
    looks at a figure elsewhere in the window): the control takes the keyboard focus without
    scrolling and is changed from the keyboard, or by script where no key does it."""
    kind = entry["kind"]
    if look:
        target.evaluate("e => e.focus({preventScroll: true})")
        if kind.endswith("Slider"):
            page.keyboard.press(step)
        elif kind == "Dropdown":
            page.evaluate("() => window.__lms.mark()")
            target.evaluate(
                "(s, i) => { s.selectedIndex = i; s.dispatchEvent(new Event('change', "
                "{bubbles: true})); }",
                step if isinstance(step, int) else 0,
            )
        elif kind == "SelectMultiple":
            page.evaluate("() => window.__lms.mark()")
            target.evaluate(
                "(s, idx) => { [...s.options].forEach((o, i) => { o.selected = idx.includes(i); });"
                " s.dispatchEvent(new Event('change', {bubbles: true})); }",
                list(step),
            )
        elif kind == "Checkbox":
            page.keyboard.press("Space")
        elif kind == "ToggleButtons":
            page.evaluate("() => window.__lms.mark()")
            target.locator("button").nth(step).evaluate("b => b.click()")
        else:
            target.evaluate("e => e.select()")
            page.keyboard.type(step)
            page.keyboard.press("Enter")
        return
    if kind.endswith("Slider"):
        target.focus()
        page.keyboard.press(step)
    elif kind == "Dropdown":
        # the next option after the one the page shows (a notebook's cells may have moved it)
        count, now = target.evaluate("s => [s.options.length, s.selectedIndex]")
        target.select_option(index=(max(now, 0) + 1) % count)
    elif kind == "SelectMultiple":
        target.select_option(index=list(step))
    elif kind == "Checkbox":
        target.click()
    elif kind == "ToggleButtons":
        target.locator("button").nth(step).click()
    else:
        target.fill(step)
        target.press("Enter")


def _open_tab(page: Any, k: int) -> float | None:
    """Open tab ``k`` of the figures' tabs (a click, as a person opens it) and return the ms
    until its figure is drawn up to date (-1 after 10 s); then go back to the tab that was
    open."""
    tabs = page.locator(".lmsdecide-figure-tabs > .lm-TabBar .lm-TabBar-tab")
    back = page.evaluate("() => window.__lms.currentTab()")
    page.evaluate("(k) => window.__lms.watchTab(k)", k)
    tabs.nth(k).click()
    page.wait_for_function("() => window.__lms.opened !== null", timeout=15_000)
    ms = page.evaluate("() => window.__lms.opened")
    if back >= 0:
        tabs.nth(back).click()
    _settle(page)
    return None if ms is None else float(ms)


def _metrics(cdp: Any) -> dict[str, float]:
    got = cdp.send("Performance.getMetrics")["metrics"]
    return {m["name"]: float(m["value"]) for m in got}


def _kernel_ms(frames: list[dict[str, Any]], sent: set[str]) -> float | None:
    """Busy-to-idle on the kernel's clock for the action's messages (summed)."""
    from datetime import datetime

    total, found = 0.0, False
    for msg_id in sent:
        busy = next(
            (
                f
                for f in frames
                if f["type"] == "status" and f.get("state") == "busy" and f.get("parent") == msg_id
            ),
            None,
        )
        idle = next(
            (
                f
                for f in frames
                if f["type"] == "status" and f.get("state") == "idle" and f.get("parent") == msg_id
            ),
            None,
        )
        if busy and idle and busy.get("date") and idle.get("date"):
            b = datetime.fromisoformat(busy["date"].replace("Z", "+00:00"))
            i = datetime.fromisoformat(idle["date"].replace("Z", "+00:00"))
            total += (i - b).total_seconds() * 1e3
            found = True
    return total if found else None


FIGURE_KEYS = ("_py2js_", "_last_trace_edit_id", "_last_layout_edit_id", "_widget_")
BACK_KEYS = ("_js2py_",)


def analyse(got: dict[str, Any], layout_ms: float, script_ms: float) -> dict[str, Any]:
    """One change's breakdown from the probe's records (ms, on the page's clock)."""
    t0 = got["action"]["t"]
    frames = [f for f in got["frames"] if f["t"] >= t0 - 1]
    comm_in = [f for f in frames if f["dir"] == "in" and f["type"] == "comm_msg"]
    comm_out = [f for f in frames if f["dir"] == "out" and f["type"] == "comm_msg"]
    action_msgs = [f for f in comm_out if not any(k.startswith(BACK_KEYS) for k in f["keys"])]
    sent = {f["id"] for f in action_msgs}
    fig_in = [f for f in comm_in if any(k.startswith(FIGURE_KEYS) for k in f["keys"])]
    back = [f for f in comm_out if any(k.startswith(BACK_KEYS) for k in f["keys"])]
    ins = [f for f in frames if f["dir"] == "in"]
    ins_sorted = sorted(ins, key=lambda f: f["t"])
    busy: dict[int, float] = {}
    for i, f in enumerate(ins_sorted):
        end = f.get("end")
        if end is None:
            continue
        nxt = ins_sorted[i + 1]["t"] if i + 1 < len(ins_sorted) else end
        busy[id(f)] = max(0.0, min(end, max(nxt, f["t"])) - f["t"])
    page_fig = sum(busy.get(id(f), 0.0) for f in fig_in)
    page_other = sum(busy.get(id(f), 0.0) for f in ins) - page_fig
    changed = {int(k): v for k, v in got["changed"].items()}
    moved = [i for i, m in enumerate(got["moved"]) if m]
    redrawn = {a["plot"] for a in got["afterplots"]}
    total = max((changed[i] for i in moved if i in changed), default=None)
    # the figures in the window when the page settled: what the person saw move
    in_view = got.get("inView") or [True] * len(got["moved"])
    seen = max((changed[i] for i in moved if i in changed and in_view[i]), default=None)
    last_in = max((f["t"] for f in comm_in), default=None)
    return {
        "total": None if total is None else total - t0,
        "seen": None if seen is None else seen - t0,
        "updated": None if last_in is None else last_in - t0,
        "send": (min(f["t"] for f in action_msgs) - t0) if action_msgs else None,
        "kernel": _kernel_ms(frames, sent),
        "first_reply": (min(f["t"] for f in comm_in) - t0) if comm_in else None,
        "msgs_in": len(comm_in),
        "msgs_out": len(comm_out),
        "kb_in": sum(f["size"] for f in comm_in) / 1024,
        "kb_out": sum(f["size"] for f in comm_out) / 1024,
        "fig_msgs": len(fig_in),
        "fig_binary": sum(f["nbuf"] > 0 for f in fig_in),
        "back_msgs": len(back),
        "page_fig": page_fig,
        "page_other": page_other,
        "afterplots": len(got["afterplots"]),
        "figures_moved": len(moved),
        "redrawn_unchanged": len(redrawn - set(moved)),
        "layout": layout_ms,
        "script": script_ms,
    }


def measure_page(
    page: Any, cdp: Any, planned: tuple[int, list[dict[str, Any]]], presses: int
) -> list[Any]:
    """Change each control (there and back, ``presses`` changes in all) in the open page."""
    figures, controls = planned
    out: list[Any] = []
    # every figure drawn (each loads its own copy of plotly.js: the last can take a while), or,
    # in a tab not open (served loader), waiting for its tab
    try:
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('.js-plotly-plot')].filter(e => e.data)"
            ".length + document.querySelectorAll('[data-lmsdecide-draw=pending]').length >= n",
            arg=figures,
            timeout=90_000,
        )
    except Exception:
        out.append({"control": "-", "error": f"fewer than {figures} figures drawn in 90 s"})
    page.evaluate("() => window.__lms.hook()")
    _settle(page)
    for entry in controls:
        target = _target(page, entry)
        try:
            target.wait_for(state="attached", timeout=5_000)
            _reveal(page, target)
            target.scroll_into_view_if_needed(timeout=5_000)
        except Exception as exc:
            out.append({"control": entry["control"], "error": f"not found: {exc}"[:160]})
            continue
        # a dashboard with few controls (CompareScenarios: one that moves figures) changes each
        # more often, so its median is not one change
        count = max(presses, -(-MIN_CHANGES // len(controls)))
        steps = (entry["steps"] * count)[:count]
        look_at: int | None = None  # the figure the person watches, once a change showed it
        for n, step in enumerate(steps):
            look = look_at is not None
            try:
                if look:
                    page.evaluate("(i) => window.__lms.lookAt(i)", look_at)
                _settle(page)
                before = _metrics(cdp)
                page.evaluate("() => window.__lms.arm()")
                if entry["kind"] == "Dropdown" and look:
                    now = target.evaluate("s => s.selectedIndex")
                    count = target.evaluate("s => s.options.length")
                    step = (max(now, 0) + 1) % count
                _act(page, target, entry, step, look=look)
                page.wait_for_function(
                    f"() => window.__lms.settled({QUIET_MS})", timeout=30_000, polling=50
                )
                after = _metrics(cdp)
                got = page.evaluate("() => window.__lms.collect()")
            except Exception as exc:
                page.evaluate("() => window.__lms.collect()")
                out.append({"control": entry["control"], "error": f"{exc}"[:160]})
                continue
            layout = 1e3 * (
                after.get("LayoutDuration", 0)
                - before.get("LayoutDuration", 0)
                + after.get("RecalcStyleDuration", 0)
                - before.get("RecalcStyleDuration", 0)
            )
            script = 1e3 * (after.get("ScriptDuration", 0) - before.get("ScriptDuration", 0))
            record = {"control": entry["control"], "look": look, **analyse(got, layout, script)}
            if os.environ.get("BENCH_BROWSER_RAW"):
                record["raw"] = got
            out.append(record)
            stale = [i for i, flag in enumerate(got.get("stale", [])) if flag]
            closed = page.evaluate("() => window.__lms.closedTabs()")
            if closed and any(got["moved"]) and n + 1 < len(steps):
                # the person opens a tab whose figure the change moved (each in turn): its cost
                ms = _open_tab(page, closed[n % len(closed)])
                if ms is not None and ms >= 0:
                    out.append({"control": entry["control"], "tab_opened": ms})
            elif stale and n + 1 < len(steps):
                # the person scrolls to the first figure the change left out of view: its cost
                ms = page.evaluate("(i) => window.__lms.lookAt(i)", stale[0])
                if ms is not None and ms >= 0:
                    out.append({"control": entry["control"], "catch_up": ms})
            if look_at is None and n + 1 < len(steps):
                shown = [i for i, m in enumerate(got["moved"]) if m] + stale
                look_at = min(shown) if shown else None
    return out


def open_lab(page: Any, lab: Any, notebook: str) -> None:
    from tests.browser.pages import open_dashboard

    open_dashboard(page, lab, notebook)


def open_voila(page: Any, url: str) -> None:
    page.goto(url, timeout=240_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
        timeout=240_000,
    )
    page.wait_for_timeout(1000)


# ---------------------------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------------------------


def _med(values: list[float | None]) -> float | None:
    xs = [v for v in values if v is not None]
    return statistics.median(xs) if xs else None


def _p95(values: list[float | None]) -> float | None:
    import numpy as np

    xs = [v for v in values if v is not None]
    return float(np.percentile(xs, 95)) if xs else None


def _f(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


BREAKDOWN = (
    "send", "kernel", "first_reply", "page_fig", "page_other", "layout", "script", "msgs_in",
    "msgs_out", "kb_in", "fig_msgs", "fig_binary", "back_msgs", "afterplots", "figures_moved",
    "redrawn_unchanged",
)  # fmt: skip


def summarise(presses: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians (and p95 of the time parts) of each breakdown item."""
    out: dict[str, Any] = {}
    for key in BREAKDOWN:
        out[key] = _med([p.get(key) for p in presses])
        if key in ("kernel", "page_fig", "layout"):
            out[key + "_p95"] = _p95([p.get(key) for p in presses])
    return out


def note(s: dict[str, Any]) -> str:
    return (
        f"medians: send {_f(s['send'], 1)} ms, kernel busy {_f(s['kernel'], 1)} "
        f"(p95 {_f(s['kernel_p95'], 1)}), first reply at {_f(s['first_reply'], 1)}; page on "
        f"figure frames (plotly.js) {_f(s['page_fig'], 1)} (p95 {_f(s['page_fig_p95'], 1)}), "
        f"on other frames {_f(s['page_other'], 1)}; layout+style {_f(s['layout'], 1)}, script "
        f"{_f(s['script'], 1)} ms; messages in {_f(s['msgs_in'])} ({_f(s['kb_in'], 1)} KB, "
        f"{_f(s['fig_msgs'])} to figures, {_f(s['fig_binary'])} with binary buffers), out "
        f"{_f(s['msgs_out'])} ({_f(s['back_msgs'])} figure reports back); afterplot "
        f"{_f(s['afterplots'])}, figures moved {_f(s['figures_moved'])}, redrawn unchanged "
        f"{_f(s['redrawn_unchanged'])}"
    )


def rows_for(host: str, name: str, presses: list[dict[str, Any]], label: str = "") -> list[Row]:
    catch_up = [p for p in presses if "catch_up" in p]
    opened = [p for p in presses if "tab_opened" in p]
    presses = [p for p in presses if "catch_up" not in p and "tab_opened" not in p]
    ok = [p for p in presses if "error" not in p]
    errors = [f"{p['control']}: {p['error']}" for p in presses if "error" in p]
    fig = [p for p in ok if p["total"] is not None]
    other = [p for p in ok if p["total"] is None and p["updated"] is not None]
    case = f"{host} {name}{label}: action to figure"
    if not fig:
        return [_harness.not_measured(SUITE, case, "; ".join(errors)[:300] or "no figure moved")]
    totals = [p["total"] / 1e3 for p in fig]
    s = summarise(fig)
    med, p95 = statistics.median(totals) * 1e3, _p95(totals)
    holds = med <= 100 and (p95 or 0) * 1e3 <= 150
    extra = f"; {len(errors)} changes failed: {'; '.join(errors)[:200]}" if errors else ""
    watching = [p["total"] for p in fig if p.get("look")]
    found = [p["total"] for p in fig if not p.get("look")]
    split = (
        f"{len(fig)} changes moved a figure in the window: {len(found)} made where the control "
        f"was found (median {_f(_med(found))} ms), {len(watching)} while watching the figure "
        f"the control moves (median {_f(_med(watching))} ms, p95 {_f(_p95(watching))}); "
    )
    r = row(SUITE, case, totals, target=TARGET, holds=holds, note=split + note(s) + extra)
    r["breakdown"] = s
    r["per_control"] = _per_control(fig)
    out = [r]
    if other:
        upd = [p["updated"] / 1e3 for p in other]
        names = sorted({p["control"] for p in other})
        out.append(
            row(
                SUITE,
                f"{host} {name}{label}: action to page updated (no figure moved)",
                upd,
                note=f"controls that move no figure: {', '.join(names)}; " + note(summarise(other)),
            )
        )
    if catch_up:
        ms = [p["catch_up"] / 1e3 for p in catch_up]
        out.append(
            row(
                SUITE,
                f"{host} {name}{label}: scroll to a figure changed out of view, drawn",
                ms,
                note=(
                    "a figure out of the window is drawn when it comes into view (once, from "
                    "the widget's current figure): from the scroll to the frame holding it; "
                    f"controls: {', '.join(sorted({p['control'] for p in catch_up}))}"
                ),
            )
        )
    if opened:
        ms = [p["tab_opened"] / 1e3 for p in opened]
        med, p95 = statistics.median(ms) * 1e3, (_p95(ms) or 0) * 1e3
        out.append(
            row(
                SUITE,
                f"{host} {name}{label}: open the tab of a figure changed meanwhile, drawn",
                ms,
                target=TARGET,
                holds=med <= 100 and p95 <= 150,
                note=(
                    "a figure in a tab not open is drawn when its tab is opened (once, from the "
                    "widget's current figure): from the click on the tab to the frame holding "
                    f"it; controls: {', '.join(sorted({p['control'] for p in opened}))}"
                ),
            )
        )
    return out


def _per_control(presses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by: dict[str, list[dict[str, Any]]] = {}
    for p in presses:
        by.setdefault(p["control"], []).append(p)
    return [
        {
            "control": c,
            "total_median_ms": _med([p["total"] for p in ps]),
            "kernel_median_ms": _med([p["kernel"] for p in ps]),
            "page_fig_median_ms": _med([p["page_fig"] for p in ps]),
            "msgs_in": _med([p["msgs_in"] for p in ps]),
            "figures_moved": _med([p["figures_moved"] for p in ps]),
        }
        for c, ps in by.items()
    ]


# ---------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------


def measure(
    presses: int, names: list[str], hosts: list[str], variants: dict[str, dict[str, str]]
) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """(host, dashboard, variant) -> per-change records. Variants (environment of the kernel)
    are interleaved per dashboard so that load falls on each alike."""
    from tests.browser.pages import chromium, lab_server

    plans = {n: plan(n) for n in names}
    results: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    with chromium() as browser, contextlib.ExitStack() as stack:

        def new_page() -> tuple[Any, Any, Any]:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(PROBE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            return context, page, cdp

        if "lab" in hosts:
            labs = {}
            for v, env in variants.items():
                tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-lab-")))
                with _env(env):
                    labs[v] = stack.enter_context(lab_server(tmp))
            for n in names:
                for v in variants:
                    context, page, cdp = new_page()
                    try:
                        open_lab(page, labs[v], DASHBOARDS[n][0])
                        results[("JupyterLab", n, v)] = measure_page(page, cdp, plans[n], presses)
                    except Exception as exc:
                        results[("JupyterLab", n, v)] = [{"control": "-", "error": str(exc)[:200]}]
                    finally:
                        context.close()
                    print(f"  JupyterLab {n} {v}: {len(results[('JupyterLab', n, v)])} changes")
        if "voila" in hosts:
            for n in names:
                for v, env in variants.items():
                    context, page, cdp = new_page()
                    try:
                        with voila_present(env, DASHBOARDS[n][0]) as url:
                            open_voila(page, url)
                            got = measure_page(page, cdp, plans[n], presses)
                        results[("Voila", n, v)] = got
                    except Exception as exc:
                        results[("Voila", n, v)] = [{"control": "-", "error": str(exc)[:200]}]
                    finally:
                        context.close()
                    print(f"  Voila {n} {v}: {len(results[('Voila', n, v)])} changes")
    return results


@contextlib.contextmanager
def _env(extra: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: Fewest changes per dashboard: each control changes ``presses`` times, or more when the
#: dashboard has fewer than ``MIN_CHANGES / presses`` controls.
MIN_CHANGES = 12

#: The kernel environment of the comparison run: plotly's own FigureWidget messages.
BASELINE = {"LMSDECIDE_FIGURE_MESSAGES": "plotly"}


def run(
    presses: int | None = None,
    names: list[str] | None = None,
    hosts: list[str] | None = None,
    baseline: bool = False,
    dump: Path | None = None,
) -> list[Row]:
    """Rows for every dashboard in JupyterLab and Voila (see the module's docstring)."""
    from tests.browser.pages import CHROMIUM

    if not Path(CHROMIUM).exists():
        return [_harness.not_measured(SUITE, "browser", "Debian's chromium is not installed")]
    presses = presses or 2
    names = names or list(DASHBOARDS)
    hosts = hosts or ["lab", "voila"]
    variants = {"": {}}
    if baseline:
        variants = {" (plotly's messages)": BASELINE, "": {}}
    results = measure(presses, names, hosts, variants)
    if dump is not None:
        dump.write_text(json.dumps({" | ".join(k): v for k, v in results.items()}, indent=1))
    rows: list[Row] = []
    for (host, name, v), presses_ in results.items():
        rows += rows_for(host, name, presses_, v)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--presses", type=int, default=2, help="changes per control (2: there and back)"
    )
    parser.add_argument("--only", default="", help="dashboards, comma-separated")
    parser.add_argument("--hosts", default="lab,voila", help="lab, voila or both")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also measure plotly's own FigureWidget messages, interleaved (before/after)",
    )
    parser.add_argument("--dump", default="", help="write every change's record to this JSON")
    args = parser.parse_args()
    os.chdir(ROOT)
    t0 = time.perf_counter()
    rows = run(
        presses=args.presses,
        names=[n for n in args.only.split(",") if n] or None,
        hosts=[h for h in args.hosts.split(",") if h],
        baseline=args.baseline,
        dump=Path(args.dump) if args.dump else None,
    )
    print_rows(rows)
    for r in rows:
        if r.get("note"):
            print(f"\n{r['case']}:\n  {r['note']}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
