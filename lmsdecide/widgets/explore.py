"""The uncertainty explorer: choose what varies and what is measured, then run.

Sweeps and sensitivity analyses take seconds, not milliseconds, so this dashboard runs on a
button rather than on every control change. It shows three catalogue figures (scope
``"explore"``), drawn and moved by the dashboards' shared
:class:`~lmsdecide.widgets.base.LiveFigures` (one spec diff, one message per figure):

- ``sensitivity`` (``explore_sensitivity``): the tornado, Morris or Sobol figure of the measure;
- ``sweep`` (``explore_sweep``): the sweep as parallel coordinates;
- ``boxes`` (``explore_boxes``): the first PRIM box behind the chosen outcome, with the rules
  written out below.

All the work is :mod:`lmsdecide.explore`; the figures' specs are
:mod:`lmsdecide.figures.explore`. The figures are computed once before the dashboard is
displayed (so Voila shows figures that agree with the controls). In a running kernel the first
discovery (PRIM) waits until the dashboard is out: the EMA Workbench it needs takes about 1.5 s
to import, so the sensitivity and sweep figures show first and the rules and the box follow,
a short message standing in their place meanwhile.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from lmsdecide.explore import (
    DiscoveryResult,
    SweepResult,
    discover,
    measure,
    model_factors,
    sensitivity,
    suggested_factors,
    sweep,
)
from lmsdecide.scenario import Scenario
from lmsdecide.widgets.base import FindingsQueue, LiveFigures, plain_message, shown
from lmsdecide.widgets.style import styled_page

__all__ = ["ExploreUncertainty"]

#: Numeric measures offered (text measures such as ``top_driver`` cannot be analysed).
NUMERIC_MEASURES = (
    "learning_share",
    "p50",
    "p80",
    "late_p80",
    "mean_completion",
    "on_time_probability",
    "critical_findings",
)
DEFAULT_OUTCOMES = {
    "learning_share": "learning_share < learning_share.median()",
    "p50": "p50 > p50.median()",
    "p80": "p80 > p80.median()",
    "late_p80": "late_p80 > 0",
    "mean_completion": "mean_completion > mean_completion.median()",
    "on_time_probability": "on_time_probability < 0.5",
    "critical_findings": "critical_findings > 0",
}
#: Shown in place of the rules and the box while the first discovery runs.
FINDING_BOXES = "<i>Finding where the bad outcome concentrates (PRIM)…</i>"
#: Figure name -> catalogue key, in display order.
FIGURES = {
    "sensitivity": "explore_sensitivity",
    "sweep": "explore_sweep",
    "boxes": "explore_boxes",
}


def _options(scenario: Scenario) -> list[str]:
    """Factor names offered: the seed's guesses, then more scenario fields, then parameters."""
    names = suggested_factors(scenario)
    names += [f"engagement.{d}" for d in scenario.department_ids if f"engagement.{d}" not in names]
    names += [f"departments.{d}.susceptibility" for d in scenario.department_ids]
    names += ["launch_target"]
    names += [f"phases.{p}.duration_scale" for p in scenario.phase_ids]
    for model in ("who_drives", "simulate_schedule"):
        names += [f.name for f in model_factors(model)]
    return list(dict.fromkeys(names))


class _Soon(FindingsQueue):
    """The first discovery, on the kernel's event loop as soon as the dashboard is out."""

    delay = 0.0


class ExploreUncertainty:
    """What matters, and when does the plan fail? A run-on-click explorer of one scenario.

    Attributes
    ----------
    controls
        ``measure``, ``factors``, ``method``, ``runs``, ``variants``, ``draws``, ``outcome``,
        ``run`` (name -> widget).
    figures
        ``sensitivity``, ``sweep``, ``boxes`` (name -> ``go.FigureWidget``).
    sensitivity_result, sweep_result, discovery
        The last results drawn.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        measure_name: str = "learning_share",
        factors: list[str] | None = None,
        method: str = "tornado",
        variants: int = 200,
    ) -> None:
        self.scenario = scenario
        options = _options(scenario)
        chosen = factors or [
            f
            for f in suggested_factors(scenario)
            if f.startswith(("departments.", "engagement.it", "selected_partner"))
        ]
        self.controls: dict[str, W.Widget] = {
            "measure": W.Dropdown(
                options=list(NUMERIC_MEASURES), value=measure_name, description="Measure"
            ),
            "factors": W.SelectMultiple(
                options=options,
                value=tuple(f for f in chosen if f in options),
                rows=10,
                description="What varies",
                layout=W.Layout(width="460px"),
            ),
            "method": W.ToggleButtons(
                options=["tornado", "morris", "sobol"], value=method, description="Method"
            ),
            "runs": W.IntSlider(
                value=10, min=4, max=64, description="Morris r", style={"description_width": "auto"}
            ),
            "variants": W.IntSlider(
                value=variants, min=50, max=5000, step=50, description="Variants"
            ),
            "draws": W.IntSlider(value=500, min=100, max=10_000, step=100, description="MC draws"),
            "outcome": W.Text(value=DEFAULT_OUTCOMES[measure_name], description="Bad outcome"),
            "run": W.Button(description="Run", button_style="primary", icon="play"),
        }
        self.controls["measure"].observe(self._measure_changed, names="value")
        self.controls["run"].on_click(lambda _button: self.run())
        self.message = W.HTML()
        self.rules = W.HTML()
        #: The box figure's place: a message while the first discovery runs, then the figure.
        self.boxes_area = W.VBox(layout=W.Layout(width="100%"))
        self.live: LiveFigures | None = None
        self.figures: dict[str, go.FigureWidget] = {}
        self.sensitivity_result: Any = None
        self.sweep_result: SweepResult | None = None
        self.discovery: DiscoveryResult | None = None
        self._later = _Soon(self._discover_and_draw, self._discovery_failed)
        self.run(defer_discovery=True)

    # -- actions -----------------------------------------------------------------------------

    def _measure_changed(self, change: dict[str, Any]) -> None:
        self.controls["outcome"].value = DEFAULT_OUTCOMES.get(change["new"], "")

    def _params(self, name: str) -> dict[str, dict[str, Any]]:
        model = measure(name).model
        if model in ("simulate_schedule", "diagnose"):
            return {model: {"n": int(self.controls["draws"].value)}}
        return {}

    def run(self, *, defer_discovery: bool = False) -> bool:
        """Run the sensitivity analysis, the sweep and the discovery; redraw. False on a
        problem (shown as a message; the last good figures stay).

        With ``defer_discovery`` (at construction) and a running event loop (a kernel), the
        figures of the sensitivity analysis and the sweep are drawn at once and the discovery
        runs on the loop right after, filling in the rules and the box figure.
        """
        name = str(self.controls["measure"].value)
        factors = list(self.controls["factors"].value)
        method = str(self.controls["method"].value)
        self.message.value = ""
        try:
            if not factors:
                raise ValueError("choose at least one input under 'What varies'")
            model = measure(name).model
            skipped = [f for f in factors if _other_model(f, model)]
            factors = [f for f in factors if f not in skipped]
            if not factors:
                raise ValueError(f"none of the chosen inputs affects {name}")
            params = self._params(name)
            result = sensitivity(
                self.scenario,
                name,
                factors,
                method=method,
                params=params,
                trajectories=int(self.controls["runs"].value),
                n=64,
            )
            swept = sweep(
                self.scenario,
                factors,
                [name],
                n=int(self.controls["variants"].value),
                params=params,
                executor="serial",
                progress=False,
            )
        except ValueError as exc:
            self.message.value = f"<span style='color:#B2182B'>{escape(str(exc))}</span>"
            return False
        self.sensitivity_result, self.sweep_result = result, swept
        if skipped:
            self.message.value = escape(
                f"Left out (parameters of models that {name} does not use): {', '.join(skipped)}"
            )
        outcome = str(self.controls["outcome"].value).strip()
        self._later.request(outcome, defer=defer_discovery and bool(outcome))
        if self._later.pending:
            self.rules.value = FINDING_BOXES
            self._draw()  # the box figure waits for its discovery (not shown meanwhile)
        return True

    def _discover_and_draw(self, outcome: str) -> None:
        """The discovery of the last sweep for ``outcome`` (empty: none), then every figure."""
        assert self.sweep_result is not None
        try:
            self.discovery = discover(self.sweep_result, outcome) if outcome else None
        except ValueError as exc:
            self.discovery = None
            self.rules.value = f"<i>{escape(str(exc))}</i>"
        else:
            rules = self.discovery.rules() if self.discovery else []
            items = "".join(f"<li>{escape(r)}</li>" for r in rules) or "<li>no box found</li>"
            self.rules.value = f"<b>When {escape(outcome)}:</b><ol>{items}</ol>"
        self._draw()

    def _discovery_failed(self, exc: BaseException) -> None:
        """A deferred discovery that failed: a plain message, the box figure stays out."""
        self.rules.value = f"<i>{escape(plain_message(exc))}</i>"

    # -- display -----------------------------------------------------------------------------

    def results(self) -> dict[str, Any]:
        """The inputs of the figures: the last results drawn, by catalogue input name."""
        return {
            "sensitivity_analysis": self.sensitivity_result,
            "sweep": self.sweep_result,
            "discovery": self.discovery,
        }

    def _draw(self) -> None:
        """Build the figures from the first run; move them to every later one (spec diff)."""
        if self.live is None:
            self.live = LiveFigures(FIGURES, self.results())
            self.figures = self.live.figures
        else:
            self.live.draw(self.results())
        # the box figure is shown once a discovery was made for the figures drawn (or none
        # was asked for); never its "no outcome" placeholder while one is still running
        if self._later.pending:
            self.boxes_area.children = ()
        elif not self.boxes_area.children:
            self.boxes_area.children = tuple(self.live.boxes(["boxes"]))

    def widget(self) -> W.Widget:
        """The whole dashboard as one widget."""
        c = self.controls
        left = W.VBox(
            [c["measure"], c["factors"], c["method"], c["runs"], c["variants"], c["draws"]]
        )
        right = W.VBox([c["outcome"], c["run"], self.message, self.rules])
        return styled_page(
            W.VBox(
                [
                    W.HBox([left, right]),
                    *(self.live.boxes(["sensitivity", "sweep"]) if self.live is not None else []),
                    self.boxes_area,
                ]
            )
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return shown(self.widget(), **kwargs)


def _other_model(name: str, model: str) -> bool:
    """True for a parameter factor of another model than ``model`` (it cannot move it)."""
    from lmsdecide.registry import all_models

    head = name.split(".")[0]
    return name.count(".") == 1 and head in all_models() and head != model
