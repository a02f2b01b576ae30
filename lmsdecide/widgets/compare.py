"""CompareScenarios: two to five scenarios side by side, live.

The comparison itself is :func:`lmsdecide.comparison.compare` (common random numbers: every scenario
is simulated with the same draws); the figures are the catalogue's comparison entries, drawn and
moved by the dashboards' shared :class:`~lmsdecide.widgets.base.LiveFigures` (a scenario added or
removed adds or removes its traces in the same ``go.FigureWidget``; the rest moves in place).
Uploads are read by the shared :func:`~lmsdecide.widgets.base.parse_upload`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Literal

import ipywidgets as W
import plotly.graph_objects as go

from lmsdecide.comparison import (
    COMPARE_PARAMS,
    MAX_SCENARIOS,
    MEASURES,
    Comparison,
    compare,
    measure_heading,
    measure_text,
)
from lmsdecide.diagnosis import SEVERITIES
from lmsdecide.io import FORMATS, example, list_examples
from lmsdecide.scenario import Scenario, validate_scenario
from lmsdecide.widgets.base import (
    LIVE_SEED,
    FindingsQueue,
    LiveFigures,
    _running_loop,
    parse_upload,
    plain_message,
    read_upload,
    shown,
    tag_controls,
)
from lmsdecide.widgets.controls import ControlRow, control_for
from lmsdecide.widgets.style import styled_page

__all__ = ["CompareScenarios"]

#: Figure name -> catalogue key.
FIGURES = {
    "measures": "compare_measures",
    "drive": "compare_drive",
    "completion": "compare_completion",
    "adoption": "compare_adoption",
    "findings": "compare_findings",
}


#: Figure name -> the title of its tab, in the tabs' order.
TAB_TITLES = {
    "measures": "Side by side",
    "drive": "Who drives",
    "completion": "Go-live",
    "adoption": "Adoption",
    "findings": "Findings",
}


def _live_findings() -> bool | Literal["cached"]:
    """In a kernel, only the diagnoses already computed (the others follow the figures on the
    event loop); without an event loop, every diagnosis at once."""
    return "cached" if _running_loop() is not None else True


class CompareScenarios:
    """Several scenarios side by side: who drives, rework, go-live, adoption, findings.

    Parameters
    ----------
    scenarios
        Two to five scenarios: :class:`~lmsdecide.scenario.Scenario` objects or bundled example
        names (a mapping gives them labels). Every bundled example is offered in the picker too.

    Attributes
    ----------
    controls
        ``scenarios`` (which to compare), ``n`` (draws for **More draws**), ``more_draws``,
        ``upload`` (add your own scenario file), ``tabs`` (which figure is shown).
    figures
        ``measures``, ``drive``, ``completion``, ``adoption``, ``findings``: one tab each, under
        the table (:data:`TAB_TITLES`).
    comparison
        The :class:`~lmsdecide.comparison.Comparison` drawn.
    """

    live_draws = 2000

    def __init__(
        self,
        scenarios: Sequence[Scenario | str] | Mapping[str, Scenario] = (
            "it_led",
            "learning_led_late_it",
            "learning_led_early_engagement",
        ),
    ) -> None:
        items: dict[str, Scenario] = {}
        if isinstance(scenarios, Mapping):
            for label, given in scenarios.items():
                items[str(label)] = validate_scenario(given)
        else:
            for item in scenarios:
                if isinstance(item, str):
                    items[item] = example(item)
                else:
                    scenario = validate_scenario(item)
                    items[scenario.name] = scenario
        self._sources: dict[str, Scenario | None] = dict(items)
        for name in list_examples():
            self._sources.setdefault(name, None)
        self.chosen: tuple[str, ...] = tuple(items)
        self.draws_used = self.live_draws
        # In a kernel the diagnoses (two thirds of the first comparison: their partner odds
        # import scipy.stats) wait on the event loop until the notebook is done, so the table
        # and figures are out first; the findings follow, as in the other dashboards.
        self._findings = FindingsQueue(
            self._add_findings, self._findings_failed, prepare=self._prepare_findings
        )
        first = self._compare(self.chosen, self.live_draws, findings=_live_findings())
        self.comparison: Comparison = first
        self.live = LiveFigures(FIGURES, {"comparison": self.comparison})
        self.figures: dict[str, go.FigureWidget] = self.live.figures
        self.table = W.HTML()
        self.status = W.HTML()
        self.controls: dict[str, W.Widget] = {}
        self.messages: dict[str, W.HTML] = {}
        self._rows: dict[str, ControlRow] = {}
        self._syncing = False
        self.timings: list[float] = []
        self._draw_table()
        self.widget = styled_page(self._layout())
        tag_controls(self.controls)  # each control named in the page (tests, benchmarks)
        if not first.diagnosed:
            self._findings.request((self.chosen, self.draws_used))

    # -- computing and drawing -------------------------------------------------------------

    def scenario(self, label: str) -> Scenario:
        """The scenario behind a label (bundled examples are loaded on first use)."""
        s = self._sources.get(label)
        if s is None:
            s = example(label)
            self._sources[label] = s
        return s

    def _compare(
        self, labels: Sequence[str], n: int, *, findings: bool | Literal["cached"] = True
    ) -> Comparison:
        scenarios = [self.scenario(label) for label in labels]
        return compare(scenarios, n=n, seed=LIVE_SEED, findings=findings)

    def _prepare_findings(self, wanted: tuple[tuple[str, ...], int]) -> None:
        """The diagnoses :meth:`_add_findings` shows, computed (and cached) in the worker
        thread."""
        if wanted == (self.chosen, self.draws_used):
            self._compare(*wanted)

    def _add_findings(self, wanted: tuple[tuple[str, ...], int]) -> None:
        # the diagnoses of the comparison shown, unless a choice since has drawn its own
        if wanted != (self.chosen, self.draws_used) or self.comparison.diagnosed:
            return
        self.comparison = self._compare(*wanted)  # the rest is cached: only the diagnoses run
        self.draw()

    def _findings_failed(self, exc: BaseException) -> None:
        self._rows["scenarios"].show(plain_message(exc))

    def choose(self, labels: Sequence[str]) -> bool:
        """Compare the scenarios called ``labels`` (two to five) at the live draw count."""
        labels = tuple(labels)
        if not 2 <= len(labels) <= MAX_SCENARIOS:
            raise ValueError(f"choose two to {MAX_SCENARIOS} scenarios to compare")
        self._show(labels, self.live_draws)
        return True

    def more_draws(self) -> None:
        """Redo the comparison with the draws set in ``n`` (the final figures)."""
        self._show(self.chosen, int(self.controls["n"].value))

    def _show(self, labels: tuple[str, ...], n: int) -> None:
        # In a kernel a scenario not diagnosed yet (about 0.1 s each) lets its findings follow
        # the figures, as at the first screen; diagnoses already computed are shown at once.
        comparison = self._compare(labels, n, findings=_live_findings())
        self.chosen, self.comparison, self.draws_used = labels, comparison, n
        self.draw()
        if not comparison.diagnosed:
            self._findings.request((labels, n))

    def draw(self) -> None:
        """Redraw every figure from :attr:`comparison` into its existing widget."""
        self.live.draw({"comparison": self.comparison})
        self._draw_table()
        for row in self._rows.values():
            row.show("")

    def _draw_table(self) -> None:
        # Read cell by cell (a pandas pivot and to_html took 12 ms of a 32 ms selection)
        cmp = self.comparison
        head = "".join(f"<th>{escape(label)}</th>" for label in cmp.labels)
        rows = []
        for measure in MEASURES:
            if measure in SEVERITIES and not cmp.diagnosed:  # the counts follow the first screen
                cells = ["checking…"] * len(cmp.labels)
            else:
                cells = [measure_text(measure, cmp.value(label, measure)) for label in cmp.labels]
            tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
            rows.append(f"<tr><th>{escape(measure_heading(measure))}</th>{tds}</tr>")
        body = (
            f"<table class='lmsdecide-table'><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        self.table.value = (
            "<div class='lmsdecide-scroll' data-label='Scenarios compared'"
            f" style='overflow-x:auto'>{body}</div>"
            f"<div style='color:#555'>Go-live and adoption from {self.draws_used:,} draws per "
            "scenario, the same random numbers for each (common random numbers).</div>"
        )

    # -- controls --------------------------------------------------------------------------

    def _guarded(self, name: str, action: Any) -> None:
        import time

        start = time.perf_counter()
        try:
            action()
        except Exception as exc:  # nothing raises into the notebook
            self._rows[name].show(plain_message(exc))
        self.timings.append(time.perf_counter() - start)

    def _row(self, name: str, widget: W.Widget) -> ControlRow:
        row = ControlRow(widget)
        self.controls[name] = widget
        self.messages[name] = row.message
        self._rows[name] = row
        return row

    def _layout(self) -> W.Widget:
        pick = W.SelectMultiple(
            options=list(self._sources),
            value=self.chosen,
            rows=min(8, len(self._sources)),
            description="Compare",
            tooltip="Choose two to five scenarios (Ctrl or Shift click for several).",
            layout={"width": "440px"},
        )
        pick_row = self._row("scenarios", pick)

        def on_pick(change: Mapping[str, Any]) -> None:
            if not self._syncing:
                self._guarded("scenarios", lambda: self.choose(change["new"]))

        pick.observe(on_pick, names="value")
        n_row = self._row("n", control_for(COMPARE_PARAMS["n"]))
        button = W.Button(description="More draws", icon="refresh")
        self.controls["more_draws"] = button
        more_row = ControlRow(button)
        self._rows["more_draws"] = more_row
        self.messages["more_draws"] = more_row.message
        button.on_click(lambda _b: self._guarded("more_draws", self.more_draws))
        upload = W.FileUpload(accept=",".join(FORMATS), multiple=False, description="Add a file")
        up_row = self._row("upload", upload)

        def on_upload(change: Mapping[str, Any]) -> None:
            upload = read_upload(change["new"])
            if self._syncing or upload is None:
                return
            self._guarded("upload", lambda: self.add(*upload))

        upload.observe(on_upload, names="value")
        header = W.HTML(
            "<h3 style='margin:4px 0'>Compare scenarios</h3><div style='max-width:900px'>"
            "The same measures for each scenario: who drives, rework, go-live, adoption and the "
            "findings. Live comparisons use 2,000 draws per scenario; press <b>More draws</b> "
            "for the number set below.</div>"
        )
        left = W.VBox([pick_row, n_row, more_row, up_row], layout={"width": "470px"})
        # One figure at a time, under the table: a change of scenarios redraws the figure in
        # view only (the others when their tab is opened), and nothing on the page moves as
        # figures grow or shrink with the number of scenarios.
        figures = W.Tab(
            children=self.live.boxes(list(TAB_TITLES)), titles=tuple(TAB_TITLES.values())
        )
        figures.add_class("lmsdecide-figure-tabs")
        self.controls["tabs"] = figures
        table = W.Box([self.table], layout={"flex": "1 1 0%", "min_width": "0"})
        return W.VBox([header, W.HBox([left, table]), figures])

    def add(self, content: bytes, name: str) -> None:
        """Add an uploaded scenario file to the picker and to the comparison."""
        scenario = parse_upload(content, name)
        label = f"uploaded: {name}"
        self._sources[label] = scenario
        chosen = (*self.chosen, label)[-MAX_SCENARIOS:]
        pick = self.controls["scenarios"]
        self._syncing = True
        try:
            pick.options = list(self._sources)
            pick.value = chosen
            self.controls["upload"].value = ()
        finally:
            self._syncing = False
        self.choose(chosen)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return shown(self.widget, **kwargs)

    def __repr__(self) -> str:
        return f"CompareScenarios({', '.join(self.chosen)})"
