"""Dashboards for notebooks: the only package of lmsdecide that imports ipywidgets.

- :class:`WhoDrives`: each department's share of the final decision, live.
- :class:`WhenToEngage`: when each department engages; rework, go-live risk, adoption.
- :class:`ChoosePartner`: partner ranking and whose criteria weights win.
- :class:`CompareScenarios`: several scenarios side by side.
- ``Workshop`` (the facilitator's live presentation) and ``ExploreUncertainty`` live in their own
  modules and are importable from here too (loaded on first use).

Every dashboard displays itself in a notebook and exposes ``controls`` (name -> widget) and
``figures`` (name -> ``go.FigureWidget``). Controls for model parameters are generated from the
models' declarations through :data:`CONTROL_TABLE`.
"""

from typing import Any

from lmsdecide._lazy import lazy_attribute
from lmsdecide.widgets.base import Dashboard, LiveFigures, plain_message
from lmsdecide.widgets.compare import CompareScenarios
from lmsdecide.widgets.controls import CONTROL_TABLE, ControlRow, control_for, declared_params
from lmsdecide.widgets.dashboards import ChoosePartner, WhenToEngage, WhoDrives

__all__ = [
    "CONTROL_TABLE",
    "ChoosePartner",
    "CompareScenarios",
    "ControlRow",
    "Dashboard",
    "ExploreUncertainty",
    "LiveFigures",
    "WhenToEngage",
    "WhoDrives",
    "Workshop",
    "control_for",
    "declared_params",
    "plain_message",
]

_LAZY = {
    "Workshop": "lmsdecide.widgets.workshop",
    "ExploreUncertainty": "lmsdecide.widgets.explore",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, name)
