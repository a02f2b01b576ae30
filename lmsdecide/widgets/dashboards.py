"""The dashboards: who drives, when each department engages, which partner.

Each takes a scenario (a :class:`~lmsdecide.scenario.Scenario` or a bundled example's name),
displays itself in a notebook, and exposes ``controls`` (name -> widget) and ``figures``
(name -> ``go.FigureWidget``) so tests and benchmarks can drive it without a browser.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as W
import numpy as np

from lmsdecide.figures.spec import Spec
from lmsdecide.params import FloatParam
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.widgets.advice import Advice, AdvicePanel
from lmsdecide.widgets.base import LIVE_SEED, Dashboard
from lmsdecide.widgets.controls import ControlRow, control_for

__all__ = ["DEPARTMENT_FIELDS", "ChoosePartner", "WhenToEngage", "WhoDrives"]


def _field(name: str, label: str, low: float, high: float, help: str, step: float = 0.01) -> Any:
    return FloatParam(
        name=name,
        label=label,
        default=max(low, 0.0) if low < 0 < high else low,
        min=low,
        max=high,
        step=step,
        help=help,
        source="the scenario",
        group="Department",
    )


#: The department fields a dashboard edits, declared like model parameters so that the same
#: mapping table (:data:`~lmsdecide.widgets.controls.CONTROL_TABLE`) makes their controls.
DEPARTMENT_FIELDS: dict[str, FloatParam] = {
    "power": _field(
        "power",
        "Power over the project",
        0.0,
        1.0,
        "0 to 1: how much the department can impose its will (Mendelow's power).",
    ),
    "interest": _field(
        "interest",
        "Interest in the project",
        0.0,
        1.0,
        "0 to 1: how much the department cares about the LMS project.",
    ),
    "authority": _field(
        "authority",
        "Formal authority",
        0.0,
        10.0,
        "Formal say in the final decision (relative: only the ratios between departments count).",
        step=0.1,
    ),
    "susceptibility": _field(
        "susceptibility",
        "Open to others' views",
        0.0,
        1.0,
        "0: sticks to its own view; 1: takes its view entirely from those it listens to "
        "(1 - stubbornness in the Friedkin-Johnsen model).",
    ),
    "position": _field(
        "position",
        "Initial stance",
        -1.0,
        1.0,
        "-1: a technology-led choice; +1: a learning-led choice.",
    ),
}

INFLUENCE_WEIGHT = _field(
    "weight",
    "Listens this much",
    0.0,
    2.0,
    "Weight of the edge 'A listens to B' (relative to A's other edges: each department's "
    "listening is shared out in proportion to these weights).",
    step=0.05,
)
CRITERION_WEIGHT = _field(
    "criterion_weight",
    "Weight of the criterion",
    0.0,
    1.0,
    "How much this department would weigh the criterion when choosing a partner (relative).",
)


def _grow(slider: W.Widget, value: float) -> None:
    """Raise a slider's maximum so that ``value`` fits (a scenario may exceed the usual range)."""
    if value > slider.max:
        slider.max = float(math.ceil(value * 2))


# ---------------------------------------------------------------------------------------------
# Who drives
# ---------------------------------------------------------------------------------------------


class WhoDrives(Dashboard):
    """Who drives the LMS project: each department's share of the final decision, live.

    Figures: ``drive_share`` (share by department and function), ``network`` (who listens to
    whom), ``grid`` (power-interest grid, bubble = share), ``by_phase`` (share phase by phase).
    Scenario controls: ``department`` (which one to edit) with ``power``, ``interest``,
    ``authority``, ``susceptibility``, ``position``; ``edge`` with ``edge_weight``.
    """

    title = "Who drives your LMS project?"
    intro = (
        "Each department's <b>share of the final decision</b> combines its formal authority with "
        "who listens to whom (Friedkin-Johnsen influence network). The seed's rule: learning "
        "(L&amp;D and HR) should have the biggest say, at least half. Move a department's "
        "authority or stance, or how much one department listens to another, and watch the "
        "shares, the network and the findings follow."
    )
    model_names = ("who_drives", "influence_network", "power_interest", "who_drives_by_phase")

    def compute(self, scenario: Scenario, params: Mapping[str, Any]) -> dict[str, Any]:
        """Run the four influence models."""
        out = {n: self.run(n, scenario, params) for n in self.model_names}
        out.update(super().compute(scenario, params))
        return out

    figures_shown: ClassVar[dict[str, str]] = {
        "drive_share": "drive_share",
        "network": "network",
        "grid": "power_interest",
        "by_phase": "phase_drive",
    }

    def adjust(self, name: str, spec: Spec, first: bool) -> Spec:
        """Hold the share axis (it only widens) so bars move against a steady scale."""
        if name == "drive_share":
            top = float(np.max(self.results["who_drives"].share))
            high = max(0.5, math.ceil(top * 10) / 10)
            spec["layout"]["yaxis"]["range"] = self.held_range(name, "y", 0.0, high, first=first)
        return spec

    # -- what to do about it (on request) -----------------------------------------------------

    def _layout(self) -> W.Widget:
        root = super()._layout()
        self.advice = AdvicePanel(
            "What to do about it",
            [
                Advice(
                    "levers",
                    "levers",
                    "Cheapest way for learning to drive",
                    "The least costly combination of more authority for L&D, departments "
                    "listening to L&D and decisions moved to L&D in the RACI that brings the "
                    "learning share to the threshold set under Who drives.",
                    self._levers,
                )
            ],
            lambda: self.scenario,
        )
        root.children = (*root.children, self.advice.widget)
        return root

    def _levers(self, scenario: Scenario) -> dict[str, Any]:
        from lmsdecide.influence import combined_levers

        target = min(max(float(self.params["threshold"]), 0.01), 0.99)
        return {"combined_levers": combined_levers(scenario, target=target)}

    def _set_status(self, invalid: bool = False) -> None:
        super()._set_status(invalid)
        if hasattr(self, "advice"):
            self.advice.mark(self.scenario)

    # -- scenario controls ------------------------------------------------------------------

    def _dept_index(self) -> int:
        ids = [d["id"] for d in self._pending["departments"]]
        return ids.index(self.controls["department"].value)

    def scenario_controls(self) -> list[tuple[str, list[ControlRow]]]:
        """Department attributes and influence weights."""
        depts = self._pending["departments"]
        picker = W.Dropdown(
            options=[(d["name"], d["id"]) for d in depts],
            value=depts[0]["id"],
            description="Department",
            tooltip="The department whose attributes the sliders below edit.",
            style={"description_width": "230px"},
            layout={"width": "440px"},
        )
        rows = [self.add("department", picker, lambda _v: self._sync_department())]
        for name, param in DEPARTMENT_FIELDS.items():
            widget = control_for(param, depts[0][name])
            _grow(widget, depts[0][name])
            rows.append(self.add(name, widget, functools.partial(self._set_department, name)))
        edge = W.Dropdown(
            description="Who listens to whom",
            tooltip="An influence edge: the first department listens to the second.",
            style={"description_width": "230px"},
            layout={"width": "440px"},
        )
        weight = control_for(INFLUENCE_WEIGHT)
        edge_rows = [
            self.add("edge", edge, lambda _v: self._sync_edge()),
            self.add("edge_weight", weight, self._set_edge_weight),
        ]
        self._sync_edges_options()
        return [("Departments", rows), ("Influence (who listens to whom)", edge_rows)]

    def _edge_options(self) -> list[tuple[str, int]]:
        names = {d["id"]: d["name"] for d in self._pending["departments"]}
        return [
            (f"{names.get(e['from'], e['from'])} listens to {names.get(e['to'], e['to'])}", k)
            for k, e in enumerate(self._pending.get("influence", []))
        ]

    def _sync_edges_options(self) -> None:
        options = self._edge_options()
        edge, weight = self.controls["edge"], self.controls["edge_weight"]
        edge.options = options
        edge.disabled = weight.disabled = not options
        if options:
            edge.value = options[0][1]
            self._sync_edge()

    def _sync_edge(self) -> None:
        edges = self._pending.get("influence", [])
        if not edges or self.controls["edge"].value is None:
            return
        value = float(edges[self.controls["edge"].value]["weight"])
        slider = self.controls["edge_weight"]
        muted, self._syncing = self._syncing, True
        try:
            _grow(slider, value)
            slider.value = value
        finally:
            self._syncing = muted

    def _sync_department(self) -> None:
        dept = self._pending["departments"][self._dept_index()]
        muted, self._syncing = self._syncing, True
        try:
            for name in DEPARTMENT_FIELDS:
                _grow(self.controls[name], float(dept[name]))
                self.controls[name].value = dept[name]
        finally:
            self._syncing = muted

    def sync_scenario_controls(self) -> None:
        """Department list, the selected department's values, the edges."""
        depts = self._pending["departments"]
        picker = self.controls["department"]
        keep = picker.value if picker.value in [d["id"] for d in depts] else depts[0]["id"]
        picker.options = [(d["name"], d["id"]) for d in depts]
        picker.value = keep
        self._sync_department()
        self._sync_edges_options()

    def _set_department(self, name: str, value: float) -> None:
        index = self._dept_index()

        def change(data: dict[str, Any]) -> None:
            data["departments"][index][name] = float(value)

        self.edit(name, change)

    def _set_edge_weight(self, value: float) -> None:
        k = self.controls["edge"].value

        def change(data: dict[str, Any]) -> None:
            data["influence"][k]["weight"] = float(value)

        self.edit("edge_weight", change)


# ---------------------------------------------------------------------------------------------
# When to engage
# ---------------------------------------------------------------------------------------------


class WhenToEngage(Dashboard):
    """When each department engages: rework, go-live risk, adoption and the recommended plan.

    Figures: ``timeline`` (engagement against the phases, late concerns), ``completion`` (go-live
    distribution), ``tornado`` (whose late engagement delays go-live), ``plan`` (recommended
    engagement), ``adoption`` (uptake after launch, current against recommended plan).
    Scenario controls: ``engagement.<department id>``, the phase each department is first
    involved in. ``more_draws`` reruns the simulation with the draws set in ``n``.

    The go-live simulation starts on the quasi-random engine (``engine="qmc"``): at
    :attr:`live_qmc_draws` = 1,024 points its P50 and P80 are more precise than 2,000 Monte
    Carlo draws' (standard errors 0.17-0.19 and 0.28-0.30 weeks against 0.22-0.23 and 0.45 on
    the bundled scenarios) in 0.8-0.9 of the time (``bench/bench_timing.py``). The plan
    comparison behind the recommendation stays on 2,000 Monte Carlo draws (common random
    numbers).
    """

    title = "When should each department engage?"
    intro = (
        "A concern raised in the phase it is due costs its base effort; raised later it costs "
        "more, by its kind and how late (capped escalation per concern kind). Choose the phase "
        "in which each department is first involved and watch the rework, the go-live date, "
        "adoption after launch and the findings. Live updates use "
        "1,024 quasi-random draws (scrambled Sobol points, as precise as 2,000 Monte Carlo "
        "draws) with a fixed seed; press <b>More draws</b> for the final figure."
    )
    model_names = ("late_engagement", "simulate_schedule", "recommend_plan", "adoption")
    param_defaults: ClassVar[Mapping[str, Any]] = {"engine": "qmc"}
    #: Points of a live go-live simulation on the quasi-random engine.
    live_qmc_draws: ClassVar[int] = 1024

    def __init__(self, scenario: Scenario | str = "learning_led_late_it", **kwargs: Any) -> None:
        self.draws_used = self.live_draws
        self._recommended: dict[tuple[int, int], tuple[Any, Scenario]] = {}
        super().__init__(scenario, **kwargs)

    def compute(self, scenario: Scenario, params: Mapping[str, Any]) -> dict[str, Any]:
        """Late engagement, schedule risk (live draws), the plan and adoption under both plans."""
        n = min(self.live_draws, int(params["n"]))
        plan = self.run("recommend_plan", scenario, params, n=n)
        recommended = self._recommended.get((id(scenario), id(plan)))
        if recommended is None or recommended[0] is not plan:
            recommended = (plan, scenario.with_changes(engagement=plan.recommended))
            self._recommended = {(id(scenario), id(plan)): recommended}
        recommended_scenario = recommended[1]
        live = min(self.live_qmc_draws, n) if params["engine"] == "qmc" else n
        out = {
            "late_engagement": self.run("late_engagement", scenario, params),
            "simulate_schedule": self.run("simulate_schedule", scenario, params, n=live),
            "recommend_plan": plan,
            "adoption": self.run("adoption", scenario, params),
            "adoption_recommended": self.run("adoption", recommended_scenario, params),
        }
        self.draws_used = out["simulate_schedule"].n
        out.update(super().compute(scenario, params))
        return out

    figures_shown: ClassVar[dict[str, str]] = {
        "timeline": "timeline",
        "completion": "completion",
        "tornado": "tornado",
        "plan": "plan",
        "adoption": "adoption",
    }

    def adjust(self, name: str, spec: Spec, first: bool) -> Spec:
        """Hold the go-live and tornado axes (they only widen), so the eye can follow."""
        risk = self.results["simulate_schedule"]
        if name == "completion":
            lo = min(float(np.min(risk.completion)), risk.launch_target)
            hi = max(float(np.max(risk.completion)), risk.launch_target)
            pad = 0.05 * (hi - lo) + 1.0
            span = (math.floor(lo - pad), math.ceil(hi + pad))
            spec["layout"]["xaxis"]["range"] = self.held_range(name, "x", *span, first=first)
        elif name == "tornado":
            x = risk.tornado["p50_change"].to_numpy()
            lo = min(0.0, float(x.min())) if len(x) else 0.0
            hi = max(0.0, float(x.max())) if len(x) else 1.0
            pad = 0.1 * (hi - lo) + 0.5
            span = (math.floor(lo - pad), math.ceil(hi + pad))
            spec["layout"]["xaxis"]["range"] = self.held_range(name, "x", *span, first=first)
        return spec

    def _phase_options(self) -> list[tuple[str, str]]:
        return [(p["name"], p["id"]) for p in self._pending["phases"]] + [
            ("never (after launch)", NEVER)
        ]

    def scenario_controls(self) -> list[tuple[str, list[ControlRow]]]:
        """One dropdown per department: the phase it is first involved in."""
        self._engagement_box = W.VBox()
        self._build_engagement_rows()
        return [("When each department is first involved", [self._engagement_box])]

    def _build_engagement_rows(self) -> None:
        for key in [k for k in self.controls if k.startswith("engagement.")]:
            del self.controls[key], self.messages[key], self._rows[key]
        rows = []
        options = self._phase_options()
        for dept in self._pending["departments"]:
            dept_id = dept["id"]
            widget = W.Dropdown(
                options=options,
                value=self._pending["engagement"][dept_id],
                description=dept["name"],
                tooltip=f"The phase in which {dept['name']} is first involved in the project.",
                style={"description_width": "230px"},
                layout={"width": "440px"},
            )
            rows.append(
                self.add(
                    f"engagement.{dept_id}",
                    widget,
                    functools.partial(self.set_engagement, dept_id),
                )
            )
        self._engagement_box.children = rows
        self._engagement_shape = self._engagement_key()

    def _engagement_key(self) -> tuple[Any, ...]:
        departments = tuple((d["id"], d["name"]) for d in self._pending["departments"])
        return departments, tuple(self._phase_options())

    def sync_scenario_controls(self) -> None:
        """The same departments and phases: each dropdown moved to its department's phase (a
        value message each, the page keeps its widgets); others: new dropdowns."""
        if self._engagement_key() != self._engagement_shape:
            self._build_engagement_rows()
            return
        for dept in self._pending["departments"]:
            widget = self.controls[f"engagement.{dept['id']}"]
            widget.value = self._pending["engagement"][dept["id"]]

    def set_engagement(self, department: str, phase: str) -> bool:
        """Engage ``department`` first in ``phase`` (a phase id or ``"never"``)."""

        def change(data: dict[str, Any]) -> None:
            data["engagement"][department] = phase

        return self.edit(f"engagement.{department}", change)

    def extra_buttons(self) -> list[W.Widget]:
        """The "more draws" action."""
        button = W.Button(
            description="More draws",
            icon="refresh",
            tooltip="Rerun the go-live simulation with the number of draws set under "
            "Simulation (live updates use 1,024 quasi-random draws).",
        )
        self.controls["more_draws"] = button
        row = ControlRow(button)
        self._rows["more_draws"] = row
        self.messages["more_draws"] = row.message
        button.on_click(lambda _b: self._guarded("more_draws", self.more_draws))
        return [row]

    def more_draws(self) -> None:
        """Rerun the schedule Monte Carlo with the full draw count for the final figure."""
        n = int(self.params["n"])
        risk = self.run("simulate_schedule", self.scenario, self.params, n=n)
        self.results = {**self.results, "simulate_schedule": risk}
        self.draws_used = risk.n  # quasi-random: rounded up to 16 x a power of two
        for name in ("completion", "tornado"):
            self.draw_figure(name)
        self._set_status()

    def _set_status(self, invalid: bool = False) -> None:
        super()._set_status(invalid)
        self.status.value += (
            f" <span style='color:#555'>&middot; go-live from {self.draws_used:,} draws</span>"
        )


# ---------------------------------------------------------------------------------------------
# Choose a partner
# ---------------------------------------------------------------------------------------------


class ChoosePartner(Dashboard):
    """Which implementation partner, and whose criteria weights win.

    Figures: ``ranking`` (partners ranked by TOPSIS or weighted sum), ``whose_weights`` (each
    partner's score as learning's share of the decision grows), ``expertise`` (match with the
    team's expertise). Scenario controls: ``partner``, ``score_criterion`` and ``score`` (a
    partner's score on a criterion); ``weight_department``, ``weight_criterion`` and
    ``criterion_weight`` (what a department would weigh).
    """

    title = "Choose a partner focused on learning"
    intro = (
        "Partners are ranked on the criteria with the weights of whoever drives the decision "
        "(each department's own weights, averaged by its share of the decision). The second "
        "figure shows which partner wins as learning's share grows, and where the choice flips. "
        "Edit a partner's scores or a department's weights and watch the ranking follow."
    )
    model_names = ("partner_ranking", "whose_weights_win", "expertise_match")

    def compute(self, scenario: Scenario, params: Mapping[str, Any]) -> dict[str, Any]:
        """Ranking, whose weights win, expertise match."""
        out = {n: self.run(n, scenario, params) for n in self.model_names}
        out.update(super().compute(scenario, params))
        return out

    figures_shown: ClassVar[dict[str, str]] = {
        "ranking": "ranking",
        "whose_weights": "whose_weights",
        "expertise": "expertise",
    }

    def adjust(self, name: str, spec: Spec, first: bool) -> Spec:
        """Score axis of the whose-weights curve held at [0, 1]."""
        if name == "whose_weights":
            spec["layout"]["yaxis"]["range"] = [0, 1]
        return spec

    # -- the odds and what is worth finding out (on request) ---------------------------------

    #: Sobol draws behind the partner odds of the panel (about ±0.01 on a first-rank odds).
    odds_draws: ClassVar[int] = 4096
    #: Draws behind the panel's value of information.
    voi_draws: ClassVar[int] = 256

    def _layout(self) -> W.Widget:
        root = super()._layout()
        self.advice = AdvicePanel(
            "How sure is the choice?",
            [
                Advice(
                    "odds",
                    "partner_odds",
                    "Partner odds",
                    "Each partner's chance of every rank when the scores with a range and the "
                    "drivers' weights vary (SMAA-2).",
                    self._odds,
                ),
                Advice(
                    "worth",
                    "partner_voi",
                    "What is worth finding out",
                    "Which uncertain weight, score or authority would be worth settling before "
                    "choosing (value of information; takes a few seconds).",
                    self._worth,
                ),
            ],
            lambda: self.scenario,
        )
        root.children = (*root.children, self.advice.widget)
        return root

    def _odds(self, scenario: Scenario) -> dict[str, Any]:
        from lmsdecide.partner import rank_acceptability

        p = self.params
        result = rank_acceptability(
            scenario,
            n=self.odds_draws,
            seed=LIVE_SEED,
            method=p["method"],
            normalisation=p["normalisation"],
            apply_must_haves=p["apply_must_haves"],
        )
        return {"rank_acceptability": result}

    def _worth(self, scenario: Scenario) -> dict[str, Any]:
        from lmsdecide.explore import value_of_information

        result = value_of_information(scenario, n=self.voi_draws, seed=LIVE_SEED)
        return {"value_of_information": result}

    def _set_status(self, invalid: bool = False) -> None:
        super()._set_status(invalid)
        if hasattr(self, "advice"):
            self.advice.mark(self.scenario)

    def scenario_controls(self) -> list[tuple[str, list[ControlRow]]]:
        """Partner scores and department criteria weights."""
        style = {"description_width": "230px"}
        layout = {"width": "440px"}
        partner = W.Dropdown(description="Partner", style=style, layout=layout)
        crit = W.Dropdown(description="Criterion", style=style, layout=layout)
        score = W.FloatText(
            description="Score",
            tooltip="The partner's score on the criterion, in the criterion's unit "
            "(a cost criterion: lower is better).",
            style=style,
            layout=layout,
        )
        dept = W.Dropdown(description="Department", style=style, layout=layout)
        wcrit = W.Dropdown(description="Criterion", style=style, layout=layout)
        weight = control_for(CRITERION_WEIGHT)
        score_rows = [
            self.add("partner", partner, lambda _v: self._sync_score()),
            self.add("score_criterion", crit, lambda _v: self._sync_score()),
            self.add("score", score, self._set_score),
        ]
        weight_rows = [
            self.add("weight_department", dept, lambda _v: self._sync_weight()),
            self.add("weight_criterion", wcrit, lambda _v: self._sync_weight()),
            self.add("criterion_weight", weight, self._set_weight),
        ]
        self.sync_scenario_controls()
        return [("Partner scores", score_rows), ("Criteria weights by department", weight_rows)]

    def sync_scenario_controls(self) -> None:
        """Partner, criterion and department lists, and the values they point at."""
        data = self._pending
        muted, self._syncing = self._syncing, True
        try:
            for name, options in (
                ("partner", [(p["name"], p["id"]) for p in data.get("partners", [])]),
                ("score_criterion", [(c["name"], c["id"]) for c in data.get("criteria", [])]),
                ("weight_department", [(d["name"], d["id"]) for d in data["departments"]]),
                ("weight_criterion", [(c["name"], c["id"]) for c in data.get("criteria", [])]),
            ):
                widget = self.controls[name]
                keep = widget.value
                widget.options = options
                values = [v for _label, v in options]
                widget.value = keep if keep in values else (values[0] if values else None)
            self._sync_score()
            self._sync_weight()
        finally:
            self._syncing = muted

    def _sync_score(self) -> None:
        partner, crit = self.controls["partner"].value, self.controls["score_criterion"].value
        rows = {p["id"]: p for p in self._pending.get("partners", [])}
        muted, self._syncing = self._syncing, True
        try:
            if partner in rows and crit is not None:
                self.controls["score"].value = float(rows[partner]["scores"].get(crit, 0.0))
        finally:
            self._syncing = muted

    def _sync_weight(self) -> None:
        dept, crit = (
            self.controls["weight_department"].value,
            self.controls["weight_criterion"].value,
        )
        rows = {d["id"]: d for d in self._pending["departments"]}
        muted, self._syncing = self._syncing, True
        try:
            if dept in rows and crit is not None:
                value = float(rows[dept].get("criteria_weights", {}).get(crit, 0.0))
                _grow(self.controls["criterion_weight"], value)
                self.controls["criterion_weight"].value = value
        finally:
            self._syncing = muted

    def _set_score(self, value: float) -> None:
        partner, crit = self.controls["partner"].value, self.controls["score_criterion"].value

        def change(data: dict[str, Any]) -> None:
            for p in data["partners"]:
                if p["id"] == partner:
                    p["scores"][crit] = value

        self.edit("score", change)

    def _set_weight(self, value: float) -> None:
        dept = self.controls["weight_department"].value
        crit = self.controls["weight_criterion"].value

        def change(data: dict[str, Any]) -> None:
            for d in data["departments"]:
                if d["id"] == dept:
                    d.setdefault("criteria_weights", {})[crit] = float(value)

        self.edit("criterion_weight", change)
