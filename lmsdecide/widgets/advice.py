"""Advice panels: figures worked out on request, because they take too long for every edit.

The cheapest combination of levers (about 0.1-0.3 s), the partner odds (about 0.1 s at 4,096
draws) and the value of information (a few seconds) would slow every slider move of a
dashboard. Each sits behind a button instead: pressing it runs the model on the scenario as it
is now and draws its catalogue figure (built once, then moved in place by spec diffs like every
other figure); after any later edit the panel says that its figure is out of date. No model
maths here: the callables given run the models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as W

from lmsdecide.figures.catalogue import CATALOGUE
from lmsdecide.figures.spec import Spec
from lmsdecide.scenario import Scenario
from lmsdecide.widgets.base import LiveFigures, plain_message

__all__ = ["Advice", "AdvicePanel"]


@dataclass(frozen=True)
class Advice:
    """One figure worked out on request.

    Attributes
    ----------
    name
        The figure's name in the panel (``panel.figures[name]``).
    key
        Its catalogue key.
    label, tooltip
        The button's text and tooltip.
    compute
        ``compute(scenario) -> {input name: result}``: the inputs of the catalogue entry.
    """

    name: str
    key: str
    label: str
    tooltip: str
    compute: Callable[[Scenario], Mapping[str, Any]]


class AdvicePanel:
    """A heading, one button per :class:`Advice`, a message line and the figures once drawn.

    Attributes
    ----------
    widget
        The panel (a ``VBox``) to place in a dashboard.
    buttons
        Name -> ``W.Button``.
    figures
        Name -> ``go.FigureWidget`` (present once the button has been pressed).
    texts
        Name -> the figure's text alternative as last drawn.
    """

    def __init__(
        self,
        title: str,
        advice: Sequence[Advice],
        scenario: Callable[[], Scenario],
        *,
        adjust: Callable[[str, Spec, bool], Spec] | None = None,
    ) -> None:
        self.advice = {a.name: a for a in advice}
        self._scenario = scenario
        self._adjust = adjust
        self._live: dict[str, LiveFigures] = {}
        self._computed_for: dict[str, Scenario] = {}
        self._results: dict[str, Mapping[str, Any]] = {}
        self.figures: dict[str, Any] = {}
        self.texts: dict[str, str] = {}
        self.message = W.HTML()
        self.buttons: dict[str, W.Button] = {}
        self._boxes: dict[str, W.VBox] = {}
        rows = []
        for a in advice:
            button = W.Button(description=a.label, tooltip=a.tooltip, layout={"width": "auto"})
            button.on_click(lambda _b, name=a.name: self.run(name))
            self.buttons[a.name] = button
            self._boxes[a.name] = W.VBox()
            rows.append(button)
        self.widget = W.VBox(
            [
                W.HTML(f"<h4 style='margin:12px 0 4px 0'>{escape(title)}</h4>"),
                W.HBox(rows),
                self.message,
                *self._boxes.values(),
            ]
        )

    def run(self, name: str) -> None:
        """Work out figure ``name`` for the scenario as it is now and draw it."""
        a = self.advice[name]
        scenario = self._scenario()
        try:
            results = a.compute(scenario)
        except Exception as exc:  # a plain message; the last figure stays
            self.message.value = f"<span style='color:#B2182B'>{escape(plain_message(exc))}</span>"
            return
        entry = CATALOGUE[a.key]
        if name not in self._live:
            live = LiveFigures({name: a.key}, results, adjust=self._adjust)
            self._live[name] = live
            self.figures[name] = live.figures[name]
            self._boxes[name].children = tuple(live.boxes())
        else:
            self._live[name].draw(results)
        self._computed_for[name] = scenario
        self._results[name] = results
        self.texts[name] = entry.text(**{k: results[k] for k in entry.inputs})
        self.message.value = f"<span style='color:#333'>{escape(self.texts[name])}</span>"

    def restyle(self) -> None:
        """Draw the figures again with the same results (the ``adjust`` style changed)."""
        for name, live in self._live.items():
            live.draw(self._results[name], force=True)

    def mark(self, scenario: Scenario) -> None:
        """Say which drawn figures no longer match ``scenario`` (called after every edit)."""
        stale = [self.advice[n].label for n, s in self._computed_for.items() if s is not scenario]
        if stale:
            self.message.value = (
                "<span style='color:#555'>The scenario changed since "
                + escape(", ".join(stale))
                + " was worked out: press the button again to update it.</span>"
            )

    def stale(self, scenario: Scenario) -> tuple[str, ...]:
        """Names of the drawn figures worked out for another scenario than ``scenario``."""
        return tuple(n for n, s in self._computed_for.items() if s is not scenario)
