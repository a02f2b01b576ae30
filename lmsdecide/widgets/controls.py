"""Controls generated from parameter declarations: one mapping table from Param kind to widget.

:data:`CONTROL_TABLE` maps each declaration kind (``float``, ``int``, ``choice``, ``bool``) to a
function building its ipywidgets control: a float becomes a slider showing its unit, with the help
text and source as its tooltip; a choice becomes a dropdown; and so on. A researcher's new model
gets its controls from its declaration alone (see ``notebooks/06_extend_a_model.ipynb``).

Every control sits in a :class:`ControlRow` with a message area just below it: a dashboard writes
a plain message there when a value is refused, and clears it when the next value is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as W

from lmsdecide.params import BoolParam, ChoiceParam, FloatParam, IntParam, Param
from lmsdecide.registry import ModelSpec

__all__ = [
    "CONTROL_TABLE",
    "DESCRIPTION_WIDTH",
    "ControlRow",
    "control_for",
    "declared_params",
    "param_tooltip",
]

#: Width of a control's label: long enough for the declarations' plain-language labels.
DESCRIPTION_WIDTH = "230px"
_STYLE = {"description_width": DESCRIPTION_WIDTH}
_LAYOUT = {"width": "440px"}


def param_tooltip(param: Param) -> str:
    """The tooltip of a control: help text, unit and where the default comes from."""
    parts = [param.help.strip()] if param.help else []
    if param.unit:
        parts.append(f"Unit: {param.unit}.")
    parts.append(f"Default {param.default!r} ({param.source}).")
    return " ".join(parts)


def _label(param: Param) -> str:
    return f"{param.label} ({param.unit})" if param.unit else param.label


def _float(param: Param, value: Any) -> W.Widget:
    assert isinstance(param, FloatParam)
    decimals = max(0, min(4, len(f"{param.step:g}".partition(".")[2])))
    return W.FloatSlider(
        value=value,
        min=param.min,
        max=param.max,
        step=param.step,
        description=_label(param),
        tooltip=param_tooltip(param),
        readout_format=f".{decimals}f",
        continuous_update=False,
        style=_STYLE,
        layout=_LAYOUT,
    )


def _int(param: Param, value: Any) -> W.Widget:
    assert isinstance(param, IntParam)
    return W.IntSlider(
        value=value,
        min=param.min,
        max=param.max,
        step=param.step,
        description=_label(param),
        tooltip=param_tooltip(param),
        continuous_update=False,
        style=_STYLE,
        layout=_LAYOUT,
    )


def _choice(param: Param, value: Any) -> W.Widget:
    assert isinstance(param, ChoiceParam)
    return W.Dropdown(
        options=list(param.choices),
        value=value,
        description=_label(param),
        tooltip=param_tooltip(param),
        style=_STYLE,
        layout=_LAYOUT,
    )


def _bool(param: Param, value: Any) -> W.Widget:
    assert isinstance(param, BoolParam)
    return W.Checkbox(
        value=value,
        description=param.label,
        tooltip=param_tooltip(param),
        indent=False,
        layout=_LAYOUT,
    )


#: Declaration kind -> control factory ``(param, value) -> widget``. The only such table.
CONTROL_TABLE: dict[str, Callable[[Param, Any], W.Widget]] = {
    "float": _float,
    "int": _int,
    "choice": _choice,
    "bool": _bool,
}


def control_for(param: Param, value: Any = None) -> W.Widget:
    """The control of one declaration, set to ``value`` (the default when None)."""
    factory = CONTROL_TABLE.get(param.kind)
    if factory is None:
        raise TypeError(f"{param.name}: no control for parameter kind {param.kind!r}")
    return factory(param, param.default if value is None else value)


def declared_params(specs: Iterable[ModelSpec]) -> dict[str, Param]:
    """Every declaration of ``specs`` by name, first declaration first (shared names once)."""
    out: dict[str, Param] = {}
    for spec in specs:
        for param in spec.params:
            out.setdefault(param.name, param)
    return out


class ControlRow(W.VBox):
    """A control with a message area just below it (hidden until a value is refused)."""

    def __init__(self, control: W.Widget, **kwargs: Any) -> None:
        self.control = control
        self.message = W.HTML(value="", layout={"max_width": "440px", "display": "none"})
        super().__init__(children=(control, self.message), **kwargs)

    def show(self, text: str) -> None:
        """Show ``text`` (plain words, escaped) by the control; "" clears and hides it."""
        from html import escape

        self.message.value = (
            f'<span style="color:#B2182B">{escape(text).replace(chr(10), "<br>")}</span>'
            if text
            else ""
        )
        self.message.layout.display = "" if text else "none"


def grouped(
    params: Mapping[str, Param], rows: Mapping[str, ControlRow]
) -> list[tuple[str, list[ControlRow]]]:
    """Rows grouped under their declarations' ``group`` headings, in first-seen order."""
    groups: dict[str, list[ControlRow]] = {}
    for name, param in params.items():
        groups.setdefault(param.group, []).append(rows[name])
    return list(groups.items())
