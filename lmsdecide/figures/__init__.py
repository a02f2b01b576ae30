"""Figures: spec functions (a model result in, plotly's figure dictionary out), their text
alternatives, and the catalogue listing every figure once. No model maths here.

The names researchers need to add a figure are importable from here: ``register_figure``,
``CATALOGUE`` (loaded on first use, so importing one figure module stays cheap), the layout
helpers ``base_layout``, ``legend_below``, ``reference_line``, the number formatters ``percent``,
``weeks``, ``person_weeks``, ``number``, ``score`` and ``esc``. See ``docs/figures.md``.
"""

from typing import Any

from lmsdecide._lazy import defer_iri_grammar

# before plotly's renderers load: they pull a 1.5 s grammar build nothing here needs
defer_iri_grammar()

from lmsdecide.figures.format import (  # noqa: E402
    base_layout,
    esc,
    legend_below,
    number,
    percent,
    person_weeks,
    reference_line,
    score,
    weeks,
)
from lmsdecide.figures.spec import Spec, apply_spec, build  # noqa: E402

__all__ = [
    "CATALOGUE",
    "FigureEntry",
    "Spec",
    "apply_spec",
    "base_layout",
    "build",
    "esc",
    "legend_below",
    "number",
    "percent",
    "person_weeks",
    "reference_line",
    "register_figure",
    "score",
    "weeks",
]

_LAZY = {"CATALOGUE", "FigureEntry", "register_figure"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'lmsdecide.figures' has no attribute {name!r}")
    from lmsdecide.figures import catalogue

    value = getattr(catalogue, name)
    globals()[name] = value
    return value
