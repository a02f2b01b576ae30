"""Workshop mode: one screen a facilitator presents live to a room.

Large type and a high-contrast theme for a projector; no code; every control answers at once and a
bad value shows a plain message while the last good state stays drawn. Four tabs (a fifth, "The
room, live", when a live room runs):

- **The story**: the source article's argument in four steps (:data:`lmsdecide.workshop.STORY`),
  each setting its scenario and framing the figure to look at; the facilitator can move any
  control at any step, go back (edits made at a step are kept), or reset the step.
- **A against B**: two scenarios side by side on common random numbers, with B - A.
- **The room's view**: participants' ratings from a form or a survey CSV, aggregated per
  department against the scenario, and usable as a scenario.
- **What to do**: for the scenario of the current step, on request, the cheapest combination of
  levers for learning to drive and the value of information of the partner choice.

**Snapshot** saves the current state (scenario, parameters, seed, findings, figures) as a
self-contained HTML report and the scenario as YAML, named with the time.

Figures are the catalogue's entries in the projector style (:func:`lmsdecide.figures.workshop.
presentation`, type scaled by ``font_scale``), drawn by the dashboards' shared
:class:`~lmsdecide.widgets.base.LiveFigures`: built from their final initial state before display
(one message fewer; a page connecting later gets them as they are then) and moved in place, only
what changed written. The diagnosis runs through the shared
:class:`~lmsdecide.widgets.base.FindingsQueue`.

What the first screen does not show waits, so the story's figures reach the page sooner: in a
running kernel the first diagnosis (its partner odds import scipy.stats) runs on the event loop
once the page is out, a short message standing in for it, and A against B (two scenarios
simulated and diagnosed) is computed when its tab is first opened or a side is chosen.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import time
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import plotly.graph_objects as go

from lmsdecide.figures.spec import Spec
from lmsdecide.figures.workshop import presentation
from lmsdecide.influence import combined_levers, who_drives
from lmsdecide.io import FORMATS, example, save_scenario
from lmsdecide.partner import whose_weights_win
from lmsdecide.room import ROOM_PARAMS, Ratings, aggregate_ratings, parse_ratings, read_ratings_csv
from lmsdecide.room import room_scenario as make_room_scenario
from lmsdecide.scenario import NEVER, Scenario, validate_scenario
from lmsdecide.timing import late_engagement, simulate_schedule
from lmsdecide.widgets.advice import Advice, AdvicePanel
from lmsdecide.widgets.base import (
    FINDINGS_CHECKING,
    LIVE_SEED,
    FindingsQueue,
    LiveFigures,
    parse_upload,
    plain_message,
    read_upload,
    shown,
    tag_controls,
)
from lmsdecide.widgets.style import FIGURES_COLUMN, PageStyle, figure_box, styled_page
from lmsdecide.workshop import (
    KeyNumbers,
    PairComparison,
    Story,
    bundled_story,
    compare_pair,
    key_numbers,
    story_for,
)

if TYPE_CHECKING:  # the diagnosis loads on first use (it imports scipy.stats)
    from lmsdecide.diagnosis import Diagnosis

__all__ = ["Workshop"]

#: Colour of the frame around the figure the current step asks the room to look at.
FOCUS_COLOUR = "#D55E00"
FIGURE_HEIGHT = 470
#: Figure name -> catalogue key.
FIGURES = {
    "drive": "drive_share",
    "timeline": "timeline",
    "partner": "whose_weights",
    "pair": "pair",
    "room": "room",
}
STORY_FIGURES = ("drive", "timeline", "partner")
#: Draws behind the value of information of the "What to do" tab.
ADVICE_DRAWS = 256
#: Index of the "A against B" tab.
PAIR_TAB = 1
#: Shown while a diagnosis is under way, and in A against B while the pair is computed.
CHECKING = f"<div style='font-size:18px'>{FINDINGS_CHECKING}</div>"
COMPARING = "<div class='ok'><i>Comparing A and B on the same random draws…</i></div>"


def _percent(x: float) -> str:
    return f"{x:.0%}"


def _tiles(k: KeyNumbers) -> str:
    items = [
        ("Learning share", _percent(k.learning_share)),
        ("Top driver", escape(k.top_driver)),
        ("Go-live P50", f"{k.p50:.1f} wk"),
        ("On time", _percent(k.on_time)),
        ("Adoption at 6 months", _percent(k.adoption)),
        ("Partner chosen", escape(k.partner)),
    ]
    return "".join(
        f"<div class='tile'><div class='k'>{name}</div><div class='v'>{value}</div></div>"
        for name, value in items
    )


class Workshop:
    """The facilitator's dashboard.

    Parameters
    ----------
    scenarios
        Scenarios (or bundled names) offered in A against B besides the story's own.
    draws
        Monte Carlo draws behind every live number (a small count keeps each update instant).
    seed
        Seed of every simulation: the same draws on every update and for A and B.
    snapshot_dir
        Folder the snapshots are written to (created when needed).
    story
        The story to present: a :class:`~lmsdecide.workshop.Story`, or a scenario of one's own
        organisation (its story is derived by :func:`~lmsdecide.workshop.story_for`); default
        the bundled story.
    screen_width
        Width in pixels of the screen or projector it is presented on (1920 for full HD, 1280
        for 720p): sets the default ``font_scale`` (the figures themselves follow the width of
        the page).
    font_scale
        Size of the type of the figures and the page relative to 20 pixels (0.7 to 2; default from
        ``screen_width``, 1 at 1920). The ``font_scale`` control changes it live.
    room_db, room_join
        A live room's session file and join address: a last tab, "The room, live"
        (:class:`~lmsdecide.widgets.room_panel.RoomPanel`), shows participants' answers as they
        arrive. By default read from ``LMSDECIDE_ROOM_DB`` and ``LMSDECIDE_ROOM_URL``, which
        ``lmsdecide present`` sets; no tab when there is no session.

    Attributes
    ----------
    controls
        Name -> widget (``step``, ``back``, ``next``, ``reset``, ``department``, ``power``,
        ``interest``, ``authority``, ``engage``, ``a``, ``b``, ``rate_*``, ``add_rating``,
        ``ratings_csv``, ``scale``, ``font_scale``, ``use_room``, ``snapshot``).
    figures
        Name -> ``go.FigureWidget``: ``drive``, ``timeline``, ``partner``, ``room``, and ``pair``
        once A against B has been computed (:meth:`show_pair`).
    pair
        The last A against B (:class:`~lmsdecide.workshop.PairComparison`), None until then.
    """

    def __init__(
        self,
        scenarios: Sequence[Scenario | str] = (),
        *,
        draws: int = 2000,
        seed: int = LIVE_SEED,
        snapshot_dir: str | Path = "snapshots",
        screen_width: int = 1920,
        font_scale: float | None = None,
        room_db: str | Path | None = None,
        room_join: str | None = None,
        story: Story | Scenario | None = None,
    ) -> None:
        if not 800 <= screen_width <= 7680:
            raise ValueError(f"screen_width: must be between 800 and 7680, got {screen_width}")
        if font_scale is None:
            font_scale = round(min(2.0, max(0.7, screen_width / 1920)), 2)
        if not 0.7 <= font_scale <= 2.0:
            raise ValueError(f"font_scale: must be between 0.7 and 2, got {font_scale}")
        self.font_scale = float(font_scale)
        self.draws, self.seed = draws, seed
        self.snapshot_dir = Path(snapshot_dir)
        self.story = story_for(story) if isinstance(story, Scenario) else story or bundled_story()
        self.sources: dict[str, Scenario] = dict(self.story.sources)
        for item in scenarios:
            scenario = example(item) if isinstance(item, str) else validate_scenario(item)
            self.sources.setdefault(item if isinstance(item, str) else scenario.name, scenario)
        self.step = 0
        self.edited: dict[int, Scenario] = {}
        self.scenario = self.sources[self.story.steps[0].scenario]
        self.ratings = Ratings((), (), ROOM_PARAMS["scale"].default)
        self._form_rows: list[dict[str, Any]] = []
        self._csv_rows: Ratings | None = None
        self._muted = False
        self._findings = FindingsQueue(
            self._diagnose, self._findings_failed, prepare=self._prepare_findings
        )
        self.timings: list[float] = []

        self.results = self._compute(self.scenario)
        self.room = aggregate_ratings(self.scenario, self.ratings)
        self.pair: PairComparison | None = None  # when its tab is first opened
        first = {name: key for name, key in FIGURES.items() if name != "pair"}
        self.live = LiveFigures(first, self._inputs(), adjust=self._style)
        self.figures: dict[str, go.FigureWidget] = self.live.figures
        self.controls: dict[str, W.Widget] = {}
        self.message = W.HTML()
        self.room_message = W.HTML()
        self.pair_message = W.HTML()
        self.narrative = W.HTML()
        self.tiles = W.HTML()
        self.findings = W.HTML()
        self.pair_table = W.HTML()
        self.pair_row = W.HBox([self.pair_table])  # the pair's figure joins it when computed
        self.room_problems = W.HTML()
        self._boxes: dict[str, W.Box] = {}
        # the page's projector type follows the same scale as the figures'
        self.page_style = PageStyle(scale=self.font_scale)
        self.widget = styled_page(self._layout(), style=self.page_style, workshop=True)
        tag_controls(self.controls)  # each control named in the page (tests, benchmarks)
        self.room_panel = self._live_room(room_db, room_join)
        self._show_story_text()
        self._show_findings()
        if self._findings.pending:  # queued in a kernel: diagnosed once the page is out
            self.findings.value = CHECKING
        self._show_room()

    # -- models (no maths here: calls only) -----------------------------------------------------

    def _compute(self, scenario: Scenario) -> dict[str, Any]:
        """What the figures and the key numbers need (fast: no diagnosis)."""
        risk = simulate_schedule(scenario, n=self.draws, seed=self.seed)
        return {
            "who_drives": who_drives(scenario),
            "late_engagement": late_engagement(scenario),
            "whose_weights_win": whose_weights_win(scenario),
            "simulate_schedule": risk,
            "numbers": key_numbers(
                scenario, n=self.draws, seed=self.seed, risk=risk, with_findings=False
            ),
        }

    def _worth(self, scenario: Scenario) -> dict[str, Any]:
        """Value of information of the partner choice (the explore package loads on first use)."""
        from lmsdecide.explore.voi import value_of_information

        return {
            "value_of_information": value_of_information(scenario, n=ADVICE_DRAWS, seed=self.seed)
        }

    def _inputs(self) -> dict[str, Any]:
        """Every figure's inputs by name: the story's results, A against B (once computed),
        the room."""
        pair = {} if self.pair is None else {"pair": self.pair, "pair_target": self.pair_target()}
        return {**self.results, **pair, "room_view": self.room}

    def _style(self, name: str, spec: Spec, first: bool) -> Spec:
        """The projector style at the current font scale (layout only); at least
        ``FIGURE_HEIGHT`` pixels, and taller as the type grows, so no row label is dropped."""
        own = int(spec.get("layout", {}).get("height", FIGURE_HEIGHT))
        height = round(max(FIGURE_HEIGHT, own) * max(1.0, 0.8 + 0.4 * self.font_scale))
        return presentation(spec, font_scale=self.font_scale, height=height)

    def pair_target(self) -> float:
        """The launch target drawn on A against B (A's)."""
        label = self.pair.labels[0] if self.pair is not None else self.story.pair[0]
        source = self.sources.get(label, self.scenario)
        return float(source.launch_target)

    # -- drawing --------------------------------------------------------------------------------

    def _draw(self, names: Sequence[str]) -> None:
        self.live.draw(self._inputs(), names)

    def set_font_scale(self, scale: float) -> None:
        """Scale the type (0.7 to 2) of the figures, restyled in place, and of the page."""
        if not 0.7 <= float(scale) <= 2.0:
            raise ValueError(f"font_scale: must be between 0.7 and 2, got {scale}")
        self.font_scale = float(scale)
        self.page_style.scale = self.font_scale
        self.live.draw(self._inputs(), list(self.figures), force=True)  # same results, new style
        self.advice.restyle()

    def _guard(self, area: W.HTML, action: Callable[[], object]) -> None:
        """Run ``action``; any problem becomes a plain message, the last good state stays."""
        start = time.perf_counter()
        area.value = ""
        try:
            action()
        except Exception as exc:
            area.value = f"<div class='msg'>{escape(plain_message(exc))}</div>"
        self.timings.append(time.perf_counter() - start)

    def _apply(self, scenario: Scenario) -> None:
        results = self._compute(scenario)  # raises before anything changes on bad input
        self.scenario, self.results = scenario, results
        self.edited[self.step] = scenario
        self._draw(STORY_FIGURES)
        self._show_story_text()
        self._show_findings()
        self.advice.mark(scenario)

    def _show_story_text(self) -> None:
        step = self.story.steps[self.step]
        k = self.results["numbers"]
        values = {**k.as_dict(), "on_time": k.on_time}
        edited = self.scenario is not self.sources[step.scenario]
        note = " <i>(edited in this session)</i>" if edited else ""
        self.narrative.value = (
            f"<h2 style='margin:4px 0'>{escape(step.title)}</h2>"
            f"<div style='font-size:18px'>{escape(self.scenario.name)}{note}</div>"
            f"<div class='look'>{escape(step.look_at.format(**values))}</div>"
        )
        self.tiles.value = _tiles(k)
        for name, box in self._boxes.items():
            focused = name == step.focus
            box.layout.border = f"6px solid {FOCUS_COLOUR}" if focused else "6px solid transparent"

    def _show_findings(self, defer: bool = True) -> None:
        """Diagnose once the figures are out (about 0.15 s, the slowest part of an update)."""
        self._findings.request(self.scenario, defer=defer)

    def _findings_failed(self, exc: BaseException) -> None:
        self.findings.value = f"<div class='msg'>{escape(plain_message(exc))}</div>"

    def _prepare_findings(self, scenario: Scenario) -> Diagnosis:
        """The diagnosis :meth:`_diagnose` shows (cached by content): in a kernel it is first
        computed in the worker thread, and found in the cache when it is shown."""
        from lmsdecide.diagnosis import diagnose

        return diagnose(scenario, n=self.draws, seed=self.seed)

    def _diagnose(self, scenario: Scenario) -> None:
        found = self._prepare_findings(scenario)
        self.results["diagnosis"] = found
        top = [f for f in found.findings if f.severity in ("critical", "warning")][:3]
        items = "".join(f"<li><b>{escape(f.severity)}</b>: {escape(f.title)}</li>" for f in top)
        self.findings.value = (
            f"<div style='font-size:18px'><b>{escape(found.verdict)}</b>"
            f"<ul style='margin:2px 0'>{items}</ul></div>"
        )

    def _sync_department(self) -> None:
        """Point the department controls at the selected department (events muted)."""
        dept = self.scenario.department(self.controls["department"].value)
        self._muted = True
        try:
            for name in ("power", "interest", "authority"):
                slider = self.controls[name]
                value = float(getattr(dept, name))
                if name == "authority" and value > slider.max:
                    slider.max = value
                slider.value = value
            self.controls["engage"].value = self.scenario.engagement[dept.id]
        finally:
            self._muted = False

    # -- story actions --------------------------------------------------------------------------

    def go(self, index: int) -> None:
        """Go to story step ``index`` (0-based); edits made at a step are kept for it."""
        if not 0 <= index < len(self.story.steps):
            raise ValueError(
                f"step: must be between 1 and {len(self.story.steps)}, got {index + 1}"
            )
        scenario = self.edited.get(index, self.sources[self.story.steps[index].scenario])
        results = self._compute(scenario)
        self.step, self.scenario, self.results = index, scenario, results
        self._muted = True
        try:
            self.controls["step"].index = index
            self._department_options()
        finally:
            self._muted = False
        self._sync_department()
        self._draw(STORY_FIGURES)
        self._show_story_text()
        self._show_findings()
        self.advice.mark(scenario)

    def reset_step(self) -> None:
        """Back to the step's bundled scenario, dropping the edits made at this step."""
        self.edited.pop(self.step, None)
        self.go(self.step)

    def edit_department(self, field: str, value: Any) -> None:
        """Set ``field`` (power, interest, authority) of the selected department."""
        dept_id = self.controls["department"].value
        data = self.scenario.to_data()
        for dept in data["departments"]:
            if dept["id"] == dept_id:
                dept[field] = value
        self._apply(validate_scenario(data))

    def edit_engagement(self, phase: str) -> None:
        """Set the phase in which the selected department is first involved."""
        dept_id = self.controls["department"].value
        engagement = {**self.scenario.engagement, dept_id: phase}
        self._apply(self.scenario.with_changes(engagement=engagement))

    # -- A against B ----------------------------------------------------------------------------

    def _pair_options(self) -> list[str]:
        options = list(self.sources)
        return [*options, "current (this step, as edited)"]

    def _resolve(self, label: str) -> Scenario:
        return self.scenario if label.startswith("current") else self.sources[label]

    def compare(self, a: str, b: str) -> None:
        """Compare scenarios ``a`` and ``b`` (labels of :attr:`sources`, or ``current``)."""
        if self.pair is None:
            self.pair_message.value = COMPARING  # reaches the page before the work starts
        pair = compare_pair(
            self._resolve(a), self._resolve(b), n=self.draws, seed=self.seed, labels=(a, b)
        )
        self.pair = pair
        if "pair" in self.figures:
            self._draw(("pair",))
        else:  # the first comparison: its figure is built now, beside the table
            self.live.add("pair", FIGURES["pair"], self._inputs())
            self.pair_row.children = (self.pair_table, self._flex("pair"))
        self._show_pair()
        if self.pair_message.value == COMPARING:
            self.pair_message.value = ""

    def show_pair(self) -> None:
        """Compute A against B for the sides chosen, unless it is already shown."""
        if self.pair is None:
            self.compare(self.controls["a"].value, self.controls["b"].value)

    def _tab_opened(self, change: Mapping[str, Any]) -> None:
        if change["new"] == PAIR_TAB and self.pair is None:
            self._guard(self.pair_message, self.show_pair)

    def _show_pair(self) -> None:
        assert self.pair is not None
        frame = self.pair.to_frame()
        rows = []
        for _, row in frame.iterrows():
            cells = []
            for key in ("A", "B", "B - A"):
                value = row[key]
                if isinstance(value, float) and row["key"] in (
                    "learning_share",
                    "on_time",
                    "adoption",
                ):
                    text = f"{value:+.0%}" if key == "B - A" else f"{value:.0%}"
                elif isinstance(value, float):
                    text = f"{value:+.1f}" if key == "B - A" else f"{value:.1f}"
                else:
                    text = str(value)
                cells.append(f"<td style='padding:2px 12px'>{escape(text)}</td>")
            measure = f"<td style='padding:2px 12px'>{escape(row['measure'])}</td>"
            rows.append(f"<tr>{measure}{''.join(cells)}</tr>")
        a, b = (escape(x) for x in self.pair.labels)
        self.pair_table.value = (
            "<table style='font-size:19px;border-collapse:collapse'>"
            f"<tr><th></th><th>A: {a}</th><th>B: {b}</th><th>B - A</th></tr>{''.join(rows)}</table>"
        )

    # -- the room's view ------------------------------------------------------------------------

    def add_rating(
        self, department: str, power: Any, interest: Any, engage: str, participant: str = ""
    ) -> None:
        """Add one participant's rating (from the on-screen form)."""
        self._form_rows.append(
            {
                "participant": participant,
                "department": department,
                "power": power,
                "interest": interest,
                "engage": engage,
            }
        )
        self._aggregate()

    def load_ratings_csv(self, content: bytes | str) -> None:
        """Read a survey tool's CSV export; problems with rows are listed, not raised."""
        scale = self.controls["scale"].value
        self._csv_rows = read_ratings_csv(self.scenario, content, scale=scale)
        self._aggregate()

    def _aggregate(self) -> None:
        scale = self.controls["scale"].value
        form = parse_ratings(self.scenario, self._form_rows, scale=scale)
        csv_part = self._csv_rows or Ratings((), (), scale)
        self.ratings = Ratings(
            csv_part.ratings + form.ratings, csv_part.problems + form.problems, scale
        )
        self.room = aggregate_ratings(self.scenario, self.ratings)
        self._draw(("room",))
        self._show_room()

    def _show_room(self) -> None:
        problems = self.ratings.problems
        if problems:
            items = "".join(f"<li>{escape(str(p))}</li>" for p in problems[:12])
            more = f"<li>... and {len(problems) - 12} more</li>" if len(problems) > 12 else ""
            self.room_problems.value = (
                f"<div class='msg'>{len(problems)} rating problem(s), not counted:</div>"
                f"<ul style='font-size:16px'>{items}{more}</ul>"
            )
        else:
            self.room_problems.value = ""

    def use_room_view(self) -> None:
        """Make the room's medians the scenario of the current step."""
        self._use_scenario(make_room_scenario(self.scenario, self.room), self.room_message)

    def _use_scenario(self, scenario: Scenario, message: W.HTML | None = None) -> None:
        """Put ``scenario`` into the story at the current step, and offer it in A against B."""
        self._apply(scenario)
        self.sources[scenario.name] = scenario
        self._muted = True
        try:
            for side in ("a", "b"):
                picker = self.controls[side]
                value = picker.value
                picker.options = self._pair_options()
                picker.value = value
        finally:
            self._muted = False
        if message is not None:
            message.value = f"<div class='ok'>The story now shows {escape(scenario.name)}.</div>"

    def _live_room(self, db: str | Path | None, join: str | None) -> Any:
        """The live room's tab when a session runs (``lmsdecide present`` says where)."""
        db = db or os.environ.get("LMSDECIDE_ROOM_DB")
        if not db or not Path(db).exists():
            return None
        from lmsdecide.widgets.room_panel import RoomPanel

        panel = RoomPanel(
            db,
            join=join or os.environ.get("LMSDECIDE_ROOM_URL"),
            code=os.environ.get("LMSDECIDE_ROOM_CODE", ""),
            on_use=self._use_scenario,
        )
        tabs = self.controls["tabs"]
        tabs.children = (*tabs.children, panel.widget)
        tabs.set_title(len(tabs.children) - 1, "The room, live")
        return panel

    # -- snapshot -------------------------------------------------------------------------------

    def snapshot(self) -> tuple[Path, Path]:
        """Save the report (HTML) and the scenario (YAML) of the current state, named by time."""
        from lmsdecide.report import write_report

        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%d-%H%M%S")
        base = self.snapshot_dir / f"workshop-{stamp}-step{self.step + 1}"
        html = write_report(
            [self.scenario],
            base.with_suffix(".html"),
            n=self.draws,
            seed=self.seed,
            title=f"Workshop snapshot, {self.story.steps[self.step].title}: {self.scenario.name}",
        )
        yaml_path = save_scenario(self.scenario, base.with_suffix(".yaml"), overwrite=False)
        self.message.value = (
            f"<div class='ok'>Saved {escape(html.name)} and {escape(yaml_path.name)} "
            f"in {escape(str(self.snapshot_dir))}</div>"
        )
        return html, yaml_path

    # -- layout ---------------------------------------------------------------------------------

    def _department_options(self) -> None:
        picker = self.controls["department"]
        options = [(d.name, d.id) for d in self.scenario.departments]
        if list(picker.options) != options:
            current = picker.value
            picker.options = options
            ids = [o[1] for o in options]
            picker.value = current if current in ids else ids[0]
        phases = [(p.name, p.id) for p in self.scenario.phases] + [("never", NEVER)]
        engage = self.controls["engage"]
        if list(engage.options) != phases:
            engage.options = phases
        rate = self.controls["rate_department"]
        if list(rate.options) != options:
            rate.options = options
        rate_engage = self.controls["rate_engage"]
        if list(rate_engage.options) != phases:
            rate_engage.options = phases

    def _on(self, name: str, area: W.HTML, action: Callable[[Any], object]) -> None:
        def handler(change: Mapping[str, Any]) -> None:
            if not self._muted:
                self._guard(area, lambda: action(change["new"]))

        self.controls[name].observe(handler, names="value")

    def _button(
        self, name: str, label: str, area: W.HTML, action: Callable[[], object]
    ) -> W.Button:
        button = W.Button(description=label, layout={"width": "auto"})
        button.on_click(lambda _b: self._guard(area, action))
        self.controls[name] = button
        return button

    def _figure_box(self, name: str, width: str) -> W.Box:
        box = figure_box(  # a column: it stretches the figure across its width
            self.figures[name],
            self.live.alts[name],
            width=width,
            min_width="0",
            border="6px solid transparent",
        )
        self._boxes[name] = box
        return box

    def _layout(self) -> W.Widget:
        c = self.controls
        big = {"width": "400px"}
        style = {"description_width": "110px"}
        c["step"] = W.ToggleButtons(
            options=[s.title.split(". ", 1)[1] for s in self.story.steps],
            index=0,
            style={"button_width": "auto"},
        )
        self._on("step", self.message, lambda _v: self.go(c["step"].index))
        back = self._button("back", "◀ Back", self.message, lambda: self.go(max(0, self.step - 1)))
        nxt = self._button(
            "next",
            "Next ▶",
            self.message,
            lambda: self.go(min(len(self.story.steps) - 1, self.step + 1)),
        )
        reset = self._button("reset", "Reset this step", self.message, self.reset_step)
        snap = self._button("snapshot", "Snapshot (HTML + YAML)", self.message, self.snapshot)
        c["scenario_upload"] = W.FileUpload(
            accept=",".join(FORMATS), multiple=False, description="Your organisation"
        )
        self._on("scenario_upload", self.message, self._scenario_uploaded)

        c["department"] = W.Dropdown(
            options=[("", "")], description="Department", style=style, layout=big
        )
        c["engage"] = W.Dropdown(
            options=[("", "")], description="Engaged in", style=style, layout=big
        )
        for name, label, high in (
            ("power", "Power", 1.0),
            ("interest", "Interest", 1.0),
            ("authority", "Authority", 5.0),
        ):
            c[name] = W.FloatSlider(
                min=0.0,
                max=high,
                step=0.05,
                description=label,
                continuous_update=False,
                style=style,
                layout=big,
                readout_format=".2f",
            )
        c["a"] = W.Dropdown(
            description="A", style={"description_width": "30px"}, layout={"width": "520px"}
        )
        c["b"] = W.Dropdown(
            description="B", style={"description_width": "30px"}, layout={"width": "520px"}
        )
        c["rate_department"] = W.Dropdown(
            options=[("", "")], description="Department", style=style, layout=big
        )
        c["rate_engage"] = W.Dropdown(
            options=[("", "")], description="Engage in", style=style, layout=big
        )
        c["rate_participant"] = W.Text(description="Your name", style=style, layout=big)
        c["scale"] = W.Dropdown(
            options=list(ROOM_PARAMS["scale"].choices),  # type: ignore[attr-defined]
            value=ROOM_PARAMS["scale"].default,
            description="Scale",
            style=style,
            layout=big,
        )
        c["rate_power"] = W.FloatSlider(
            min=1, max=5, step=1, value=3, description="Power", style=style, layout=big
        )
        c["rate_interest"] = W.FloatSlider(
            min=1, max=5, step=1, value=3, description="Interest", style=style, layout=big
        )
        c["ratings_csv"] = W.FileUpload(
            accept=".csv", multiple=False, description="Load survey CSV"
        )

        self._muted = True
        try:
            self._department_options()
            c["a"].options = self._pair_options()
            c["b"].options = self._pair_options()
            c["a"].value, c["b"].value = self.story.pair
        finally:
            self._muted = False
        self._sync_department()

        for name in ("power", "interest", "authority"):
            self._on(name, self.message, functools.partial(self.edit_department, name))
        self._on("department", self.message, lambda _v: self._sync_department())
        self._on("engage", self.message, self.edit_engagement)
        self._on("a", self.pair_message, lambda v: self.compare(str(v), c["b"].value))
        self._on("b", self.pair_message, lambda v: self.compare(c["a"].value, str(v)))
        self._on("scale", self.room_message, lambda _v: self._scale_changed())
        self._on("ratings_csv", self.room_message, self._csv_uploaded)
        add = self._button(
            "add_rating",
            "Add rating",
            self.room_message,
            lambda: self.add_rating(
                c["rate_department"].value,
                c["rate_power"].value,
                c["rate_interest"].value,
                c["rate_engage"].value,
                c["rate_participant"].value,
            ),
        )
        use = self._button(
            "use_room", "Use the room's view in the story", self.room_message, self.use_room_view
        )

        left = W.VBox(
            [
                self.narrative,
                self.tiles,
                W.HTML("<h3 style='margin:8px 0 2px 0'>Change it</h3>"),
                c["department"],
                c["power"],
                c["interest"],
                c["authority"],
                c["engage"],
                self.findings,
            ],
            layout={"width": "470px", "min_width": "470px"},
        )
        right = W.VBox(
            [
                W.HBox([self._figure_box("drive", "50%"), self._figure_box("timeline", "50%")]),
                self._figure_box("partner", "100%"),
            ],
            layout=FIGURES_COLUMN,
        )
        steps_row = W.HBox([back, c["step"], nxt, reset, c["scenario_upload"]])
        story = W.VBox([steps_row, self.message, W.HBox([left, right])])
        pair = W.VBox(
            [
                W.HTML("<h2 style='margin:4px 0'>A against B, on the same random draws</h2>"),
                W.HBox([c["a"], c["b"]]),
                self.pair_message,
                self.pair_row,
            ]
        )
        form = W.VBox(
            [
                W.HTML("<h3 style='margin:4px 0'>Rate a department</h3>"),
                c["rate_participant"],
                c["rate_department"],
                c["rate_power"],
                c["rate_interest"],
                c["rate_engage"],
                add,
                W.HTML("<h3 style='margin:12px 0 4px 0'>Or load a survey export</h3>"),
                c["scale"],
                c["ratings_csv"],
                use,
                self.room_message,
                self.room_problems,
            ],
            layout={"width": "470px", "min_width": "470px"},
        )
        room = W.HBox([form, self._flex("room")])
        self.advice = AdvicePanel(
            "What to do about it: for the scenario of the current step",
            [
                Advice(
                    "levers",
                    "levers",
                    "Cheapest way for learning to drive",
                    "The least costly mix of authority for L&D, departments listening to L&D and "
                    "decisions moved to L&D that gives learning half of the say.",
                    lambda s: {"combined_levers": combined_levers(s)},
                ),
                Advice(
                    "worth",
                    "partner_voi",
                    "What is worth discussing",
                    "Which uncertain weight, score or authority is worth the room's time before "
                    "choosing the partner (value of information; takes a few seconds).",
                    self._worth,
                ),
            ],
            lambda: self.scenario,
            adjust=self._style,
        )
        tabs = W.Tab(
            children=[story, pair, room, self.advice.widget],
            titles=("The story", "A against B", "The room's view", "What to do"),
        )
        self.controls["tabs"] = tabs
        tabs.observe(self._tab_opened, names="selected_index")
        c["font_scale"] = W.FloatSlider(
            value=self.font_scale,
            min=0.7,
            max=2.0,
            step=0.1,
            description="Text size",
            tooltip="Size of the figures' text (1 = 20 pixels): larger for the back of a room.",
            continuous_update=False,
            readout_format=".1f",
            style={"description_width": "100px"},
            layout={"width": "320px"},
        )
        self._on("font_scale", self.message, self.set_font_scale)
        header = W.HBox(
            [
                W.HTML("<h1 style='margin:2px 12px 2px 0'>Who is driving your LMS project?</h1>"),
                snap,
                c["font_scale"],
            ]
        )
        return W.VBox([header, tabs])

    def _flex(self, name: str) -> W.Box:
        """A figure taking the width its row leaves (it follows the page)."""
        return figure_box(self.figures[name], self.live.alts[name], flex="1 1 0%", min_width="0")

    def _scale_changed(self) -> None:
        scale = self.controls["scale"].value
        low, high = (1, 5) if scale == "1-5" else (1, 10) if scale == "1-10" else (0, 1)
        step = 1.0 if scale != "unit" else 0.05
        for name in ("rate_power", "rate_interest"):
            slider = self.controls[name]
            slider.max = max(slider.max, high)  # widen first: min may never pass max
            slider.min = low
            slider.max = high
            slider.step = step
            slider.value = (low + high) / 2
        self._aggregate()

    def _csv_uploaded(self, value: Any) -> None:
        if value:
            self.load_ratings_csv(bytes(value[-1]["content"]))

    # -- a story of one's own organisation (upload) ----------------------------------------------

    def use_story(self, story: Story | Scenario) -> None:
        """Present ``story`` (or the story of a scenario) from its first step."""
        story = (
            story_for(story, n=self.draws, seed=self.seed) if isinstance(story, Scenario) else story
        )
        self.story, self.sources, self.edited = story, dict(story.sources), {}
        self._muted = True
        try:
            self.controls["step"].options = [s.title.split(". ", 1)[1] for s in story.steps]
            for side in ("a", "b"):
                self.controls[side].options = self._pair_options()
            self.controls["a"].value, self.controls["b"].value = story.pair
        finally:
            self._muted = False
        self.go(0)
        if self.pair is not None:  # else computed when its tab is opened, for these sides
            self.compare(*story.pair)

    def _scenario_uploaded(self, value: Any) -> None:
        upload = read_upload(value)
        if upload is not None:
            self.use_story(parse_upload(*upload))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return shown(self.widget, **kwargs)
