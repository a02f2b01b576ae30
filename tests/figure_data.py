"""A figure as the page receives it, for comparing a live figure with one built anew."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """``fig`` as plotly serialises it for the page (numbers in binary as plotly encodes them)."""
    data: dict[str, Any] = json.loads(pio.to_json(fig))
    return data


def shown_json(fig: go.Figure, *, uids: bool = True) -> dict[str, Any]:
    """:func:`figure_json` with the hidden traces (``visible`` false: traces a live figure keeps
    after they went, see ``hide_surplus_traces``) left out; with ``uids=False`` also without the
    traces' uids (a FigureWidget draws random ones; a spec keys its own)."""
    data = figure_json(fig)
    data["data"] = [t for t in data["data"] if t.get("visible") is not False]
    if not uids:
        for trace in data["data"]:
            trace.pop("uid", None)
    return data


def data_of(fig: go.Figure) -> list[dict[str, Any]]:
    """The shown traces of ``fig`` (see :func:`shown_json`)."""
    data: list[dict[str, Any]] = shown_json(fig)["data"]
    return data
