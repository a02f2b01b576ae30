"""Numbers as a person says them, and the layout pieces every figure shares.

One place for both, so that every title, label, hover text and text alternative rounds the same
way ("6%", "33 weeks", "74 person-weeks") and every figure follows its container's width, keeps
its legend inside its box and its reference-line labels clear of the data and the tick labels.
"""

from __future__ import annotations

import html
import math
from typing import Any

from lmsdecide.figures.palette import REFERENCE_COLOUR

__all__ = [
    "MAX_TITLE",
    "base_layout",
    "esc",
    "legend_below",
    "multiplier",
    "number",
    "percent",
    "person_weeks",
    "reached",
    "reference_line",
    "score",
    "weeks",
]

#: Longest figure title, in characters: fits a 600-pixel JupyterLab panel at the default font.
MAX_TITLE = 48


def _finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(float(x))


def percent(share: float) -> str:
    """A share 0..1 as a whole percentage: 0.0563 -> "6%" (below 1%: "<1%", "0%" for zero)."""
    if not _finite(share):
        return "n/a"
    value = 100 * float(share)
    if 0 < value < 0.5:
        return "<1%"
    return f"{value:.0f}%"


def number(x: float) -> str:
    """A quantity rounded as said aloud: whole from 10 up, one decimal below (3.2, 33, 1,250)."""
    if not _finite(x):
        return "n/a"
    x = float(x)
    if abs(x) >= 10 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.1f}"


def weeks(x: float) -> str:
    """Weeks: "33 weeks", "2.5 weeks", "1 week"."""
    text = number(x)
    return f"{text} week" if text in ("1", "-1") else f"{text} weeks"


def reached(t: float, ceiling: float | None = None) -> str:
    """When adoption reaches a share of the learners, from its time in weeks after launch:
    "by week 74"; "never" when it does not (``t`` infinite: adoption's ceiling is below that
    share), with the ceiling (a share 0..1) when given: "never (ceiling 62%)".
    """
    if _finite(t):
        return f"by week {float(t):.0f}"
    return "never" if ceiling is None else f"never (ceiling {percent(ceiling)})"


def person_weeks(x: float) -> str:
    """Effort: "74 person-weeks"."""
    return f"{number(x)} person-weeks"


def multiplier(x: float) -> str:
    """A cost factor: "×4", "×1.5", "×120"."""
    return f"×{number(x)}"


def score(x: float) -> str:
    """A 0..1 score (TOPSIS closeness, similarity): two decimals, "0.62"."""
    return f"{float(x):.2f}" if _finite(x) else "n/a"


def esc(text: Any) -> str:
    """Scenario text placed in a figure: plotly renders a subset of HTML, so escape it."""
    return html.escape(str(text), quote=False)


def legend_below() -> dict[str, Any]:
    """A horizontal legend under the plot area, inside the figure's box (it wraps when narrow)."""
    return {
        "orientation": "h",
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "x": 0.0,
        "xanchor": "left",
        "title": {"text": ""},
    }


def base_layout(
    title: str, subtitle: str = "", *, height: int = 420, legend: bool = True
) -> dict[str, Any]:
    """Title (short) and subtitle (the numbers), white template, automargin axes, no width.

    The width is left to the container (``autosize``): a figure follows its notebook panel,
    page or projector.
    """
    layout: dict[str, Any] = {
        "template": "plotly_white",
        "title": {"text": title, "x": 0.0, "xanchor": "left", "xref": "paper"},
        "autosize": True,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 80 if subtitle else 56, "b": 10},
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
        "showlegend": legend,
    }
    if subtitle:
        layout["title"]["subtitle"] = {"text": subtitle}
    if legend:
        layout["legend"] = legend_below()
    return layout


def reference_line(
    axis: str,
    value: float,
    name: str,
    *,
    dash: str = "dash",
    colour: str = REFERENCE_COLOUR,
    width: float = 2,
    xref: str = "x",
    yref: str = "y",
) -> dict[str, Any]:
    """A vertical (``axis="x"``) or horizontal (``"y"``) reference line labelled in the legend.

    The label is the line's legend entry, never text on the plot: it cannot cover a bar, a data
    label or a tick label, whatever the width.
    """
    shape: dict[str, Any] = {
        "type": "line",
        "name": name,
        "showlegend": True,
        "line": {"color": colour, "dash": dash, "width": width},
        "opacity": 1,  # some templates (simple_white) fade shapes by default
        "layer": "above",
    }
    if axis == "x":
        shape.update(xref=xref, yref="paper", x0=value, x1=value, y0=0, y1=1)
    else:
        domain = "x domain" if xref == "x" else f"{xref} domain"
        shape.update(xref=domain, yref=yref, x0=0, x1=1, y0=value, y1=value)
    return shape
