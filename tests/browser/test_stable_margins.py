"""A story step or a dashboard's scenario switch keeps every figure's margins, in chromium.

plotly.js lays its margins out from what the axes and the legend need (``automargin``). When a
change alters them, it draws the whole figure a second time at the new margins: in the Voila
Workshop, a story step whose drive figure changed its margins took 355-368 ms from the click to
the figures (two figures moved), against about 210 with the margins kept. The margins changed
with the data, not the window: the legend gained a row when a function's share went from 0 to
above 0, and the last rotated department label pushed the right margin as the bars re-sorted.

Each figure is drawn once in a page of its own (plotly's own ``plotly.min.js``, from the installed
package: nothing fetched), then moved with ``Plotly.react`` to each state a person reaches with
the control, and the margins plotly.js laid out (``_fullLayout._size``) are read after each.
The figure's height may follow its rows (the timeline); its margins may not move.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import pytest

pytestmark = pytest.mark.browser

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

REACT = """async (states) => {
    const gd = document.getElementById('figure');
    const margins = [];
    for (const state of states) {
        const fig = JSON.parse(state);
        await Plotly.react(gd, fig.data, fig.layout);
        const s = gd._fullLayout._size;
        margins.push([s.l, s.r, s.t, s.b]);
    }
    return margins;
}"""


def _states(dashboard: Any, moves: list[Callable[[], None]]) -> dict[str, list[str]]:
    """Each figure's JSON after each move (the first entry: as built)."""
    out: dict[str, list[str]] = {name: [] for name in dashboard.figures}

    def snap() -> None:
        for name, fig in dashboard.figures.items():
            out[name].append(pio.to_json(go.Figure(fig)))

    snap()
    for move in moves:
        move()
        snap()
    return out


@pytest.fixture(scope="module")
def blank_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("margins")
    html = folder / "figure.html"
    html.write_text(
        f'<html><head><script src="{PLOTLY_JS.as_uri()}"></script></head>'
        '<body style="margin:0"><div id="figure"></div></body></html>'
    )
    context = browser.new_context(viewport={"width": 1350, "height": 900})
    page = context.new_page()
    page.goto(html.as_uri())
    page.wait_for_function("() => window.Plotly !== undefined")
    yield page
    context.close()


def _margins(page: Any, states: list[str]) -> list[tuple[int, int, int, int]]:
    page.evaluate("() => Plotly.purge(document.getElementById('figure'))")
    return [tuple(m) for m in page.evaluate(REACT, states)]


def test_the_workshops_story_steps_keep_every_figures_margins(blank_page: Any) -> None:
    from lmsdecide.widgets.workshop import Workshop

    workshop = Workshop()
    steps = len(workshop.story.steps)
    assert steps >= 3
    # forward through the story, then back to the start
    order = [*range(1, steps), 0]
    states = _states(workshop, [lambda i=i: workshop.go(i) for i in order])
    for name, figure_states in states.items():
        margins = _margins(blank_page, figure_states)
        assert len(set(margins)) == 1, (
            f"the Workshop's {name!r} figure changed its margins (l, r, t, b) between story "
            f"steps {[0, *order]}: {margins}"
        )


@pytest.mark.parametrize("dashboard", ["WhoDrives", "WhenToEngage", "ChoosePartner"])
def test_scenario_switches_keep_every_figures_margins(blank_page: Any, dashboard: str) -> None:
    import lmsdecide.widgets as widgets

    dash = getattr(widgets, dashboard)("it_led")
    picker = dash.controls["scenario"]
    names = list(picker.options)
    assert len(names) >= 4 and names[0] == picker.value
    moves = [lambda n=n: setattr(picker, "value", n) for n in [*names[1:], names[0]]]
    states = _states(dash, moves)
    for name, figure_states in states.items():
        margins = _margins(blank_page, figure_states)
        assert len(set(margins)) == 1, (
            f"{dashboard}'s {name!r} figure changed its margins (l, r, t, b) between scenarios "
            f"{names}: {json.dumps(margins)}"
        )
