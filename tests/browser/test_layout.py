"""Every page fits the window it is given and is accessible, at 1280x720, 1366x768 and 1920x1080.

The pages: the Workshop served as `make present` serves it (Voila; its three tabs), every dashboard
notebook and the Workshop notebook in JupyterLab (beside the file browser), and the HTML report.
One server of each kind and one browser serve every page; each page is opened once and the window
resized. On each page and size:

- no text cut: no button, tab, label, heading or table header whose text needs more room than
  it has (``scrollWidth > clientWidth``);
- nothing scrolls sideways: neither the page nor a box in it;
- no serious or critical axe-core violation (WCAG 2 A and AA rules, best practices);
- every control reachable with the Tab key, in the order of the page (at 1280x720);
- figure texts (titles, subtitles, annotations, axis titles, legend items, read from the SVG with
  getBoundingClientRect) inside their figure and not overlapping one another. These failures
  come from the figure specs (lmsdecide/figures/), not the page: their own test names them.

Each page is measured once (module cache); the tests then read the measurements. A summary of
everything found is written to test-artifacts/layout.json.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser import pages as P

pytestmark = pytest.mark.browser


@dataclass
class View:
    name: str
    kind: str  # "voila", "lab" or "report"
    open: Callable[[Any, Any], None]  # (page, servers) -> None


@dataclass
class Measured:
    layout: list[P.LayoutFindings] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)
    axe_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    keyboard: list[str] | None = None
    errors: list[str] = field(default_factory=list)
    failed: str = ""  # why the page could not be opened or measured
    seconds: float = 0.0


def _open_workshop_tab(index: int) -> Callable[[Any, Any], None]:
    def open_(page: Any, servers: Servers) -> None:
        if servers.workshop_open is not True:
            P.open_workshop(page, servers.voila_url())
            servers.workshop_open = True
        tab = page.locator(".lmsdecide .lm-TabBar-tab").nth(index)
        tab.click()
        page.wait_for_function(
            "(i) => document.querySelectorAll('.lmsdecide .lm-TabBar-tab')[i]"
            ".classList.contains('lm-mod-current')",
            arg=index,
        )
        if index == 1:  # A against B is computed when its tab is first opened
            page.wait_for_function(
                "() => [...document.querySelectorAll('.lmsdecide .js-plotly-plot .main-svg')]"
                ".some(e => e.getBoundingClientRect().width > 0"
                " && e.closest('.js-plotly-plot').layout.title.text.includes('A against B'))",
                timeout=120_000,
            )
        P.settle(page)

    return open_


def _open_notebook(notebook: str) -> Callable[[Any, Any], None]:
    def open_(page: Any, servers: Servers) -> None:
        servers.workshop_open = False
        P.open_dashboard(page, servers.lab(), notebook)

    return open_


def _open_report(page: Any, servers: Servers) -> None:
    servers.workshop_open = False
    P.open_report(page, servers.report())


LAB_PAGES = {**P.DASHBOARDS, "workshop_lab": "05_workshop_live.ipynb"}
VIEWS = [
    View("workshop", "voila", _open_workshop_tab(0)),
    View("workshop_a_against_b", "voila", _open_workshop_tab(1)),
    View("workshop_room", "voila", _open_workshop_tab(2)),
    *(View(name, "lab", _open_notebook(nb)) for name, nb in LAB_PAGES.items()),
    View("report", "report", _open_report),
]

#: Focusable controls of a page's content, in document order, as the keyboard should meet them.
FOCUSABLE_JS = """(scope) => {
  const roots = [...document.querySelectorAll(scope)];
  const sel = 'button, select, input:not([type=hidden]), textarea, a[href], [role=slider],'
    + ' [tabindex]:not([tabindex="-1"])';
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const closed = el => { const d = el.closest('details:not([open])');
    return d && !el.closest('summary'); };
  const all = roots.flatMap(root => [...root.querySelectorAll(sel)]).filter(
    el => shown(el) && !el.disabled && el.tabIndex >= 0 && !el.closest('.js-plotly-plot')
      && !closed(el));
  all.forEach((el, i) => el.setAttribute('data-lmsdecide-order', String(i)));
  return all.map(el => (el.getAttribute('aria-label') || el.innerText || el.value || el.tagName)
    .trim().slice(0, 40));
}"""


#: Where the keyboard walk looks for controls: the dashboards themselves (in JupyterLab, the cells'
#: own toolbars are JupyterLab's), the whole report.
KEYBOARD_SCOPE = {
    "voila": ".lmsdecide",
    "lab": ".jp-NotebookPanel:not(.lm-mod-hidden) .lmsdecide",
    "report": "body",
}


class Servers:
    """One Voila app, one JupyterLab server and one report, started on first use."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.stack: list[Any] = []
        self._voila: str | None = None
        self._lab: P.LabServer | None = None
        self._report: Path | None = None
        self.workshop_open = False

    def voila_url(self) -> str:
        if self._voila is None:
            cm = P.workshop_app()
            self._voila = cm.__enter__()[0]
            self.stack.append(cm)
        return self._voila

    def lab(self) -> P.LabServer:
        if self._lab is None:
            cm = P.lab_server(self.tmp / "lab")
            self._lab = cm.__enter__()
            self.stack.append(cm)
        return self._lab

    def report(self) -> Path:
        if self._report is None:
            self._report = P.write_example_report(self.tmp)
        return self._report

    def close(self) -> None:
        for cm in reversed(self.stack):
            cm.__exit__(None, None, None)


@pytest.fixture(scope="module")
def measure(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[View], Measured]]:
    servers = Servers(tmp_path_factory.mktemp("layout"))
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    cache: dict[str, Measured] = {}
    started = time.monotonic()

    def get(view: View) -> Measured:
        if view.name in cache:
            return cache[view.name]
        t0 = time.monotonic()
        found = cache[view.name] = Measured()
        errors.clear()
        try:
            P.resize(page, *P.SIZES[0])
            view.open(page, servers)
            for width, height in P.SIZES:
                P.resize(page, width, height)
                found.layout.append(P.measure_layout(page, view.kind, view.name))
                results = P.axe(page, view.kind)
                found.axe[f"{width}x{height}"] = P.axe_serious(results)
                found.axe_counts[f"{width}x{height}"] = P.axe_counts(results)
            P.resize(page, *P.SIZES[0])
            found.keyboard = keyboard_walk(page, view.kind)
        except Exception as exc:  # every test of this page then fails with the reason
            found.failed = f"{type(exc).__name__}: {exc}"
            page.screenshot(path=str(P.ARTIFACTS / f"layout-{view.name}-failed.png"))
        found.errors = list(errors)
        found.seconds = time.monotonic() - t0
        return found

    try:
        yield get
    finally:
        summary = {
            name: {
                "seconds": round(m.seconds, 1),
                "axe": m.axe_counts,
                "page": [p for f in m.layout for p in f.page_problems],
                "figures": [p for f in m.layout for p in f.figure_problems],
                "keyboard": m.keyboard,
                "page_errors": m.errors,
                "failed": m.failed,
            }
            for name, m in cache.items()
        }
        summary["_total_seconds"] = round(time.monotonic() - started, 1)  # type: ignore[assignment]
        P.ARTIFACTS.mkdir(exist_ok=True)
        (P.ARTIFACTS / "layout.json").write_text(json.dumps(summary, indent=2))
        context.close()
        servers.close()


def keyboard_walk(page: Any, kind: str, limit: int = 1500) -> list[str]:
    """Press Tab from the top of the content; the controls never reached, or reached out of
    order, as plain sentences (empty: every control reached in the order of the page)."""
    scope = KEYBOARD_SCOPE[kind]
    expected = page.evaluate(FOCUSABLE_JS, scope)
    if not expected:
        return []
    # start just before the first control: focus it, then step back once
    page.locator("[data-lmsdecide-order='0']").focus()
    page.keyboard.press("Shift+Tab")
    reached: list[int] = []
    # every focusable element of the document may come first (JupyterLab's own, each figure's
    # tool buttons): press Tab that many times at most
    total = page.evaluate(
        "() => [...document.querySelectorAll('button, select, input, textarea, a[href],"
        " [role=slider], [tabindex]')].filter(el => el.tabIndex >= 0).length"
    )
    for _ in range(min(limit, total + 10)):
        page.keyboard.press("Tab")
        order = page.evaluate(
            "() => { const a = document.activeElement;"
            " const el = a && a.closest('[data-lmsdecide-order]');"
            " return el ? Number(el.getAttribute('data-lmsdecide-order')) : -1; }"
        )
        if order >= 0 and (not reached or order != reached[-1]):
            reached.append(order)
        if len(reached) >= len(expected) and order == len(expected) - 1:
            break
    problems = []
    missing = sorted(set(range(len(expected))) - set(reached))
    if missing:
        problems.append(
            "never reached with Tab: " + ", ".join(repr(expected[i]) for i in missing[:10])
        )
    backwards = [(a, b) for a, b in itertools.pairwise(reached) if b < a]
    if backwards:
        a, b = backwards[0]
        problems.append(f"Tab goes back from {expected[a]!r} to {expected[b]!r}")
    return problems


IDS = [v.name for v in VIEWS]


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_page_fits_the_window(view: View, measure: Callable[[View], Measured]) -> None:
    """No text cut, nothing scrolls sideways (the page around the figures)."""
    found = measure(view)
    assert not found.failed, f"{view.name}: not measured: {found.failed}"
    problems = [p for f in found.layout for p in f.page_problems]
    assert not problems, "page layout:\n" + "\n".join(problems)


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_no_serious_accessibility_violation(
    view: View, measure: Callable[[View], Measured]
) -> None:
    found = measure(view)
    assert not found.failed, f"{view.name}: not measured: {found.failed}"
    problems = [f"{view.name} at {size}: {v}" for size, vs in found.axe.items() for v in vs]
    assert not problems, "axe-core, serious or critical:\n" + "\n".join(problems)


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_every_control_reachable_by_keyboard(
    view: View, measure: Callable[[View], Measured]
) -> None:
    found = measure(view)
    assert not found.failed, f"{view.name}: not measured: {found.failed}"
    assert found.keyboard == [], f"{view.name} at 1280x720: " + "; ".join(found.keyboard or [])


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_figure_texts_fit_their_figures(view: View, measure: Callable[[View], Measured]) -> None:
    """Titles, subtitles, annotations, axis titles and legends inside their figure, apart.

    A failure here comes from a figure spec (lmsdecide/figures/): the message names the page,
    the window size, the figure (by its title) and the texts concerned.
    """
    found = measure(view)
    assert not found.failed, f"{view.name}: not measured: {found.failed}"
    problems = [p for f in found.layout for p in f.figure_problems]
    assert not problems, "figure texts (from the figure specs):\n" + "\n".join(problems)
