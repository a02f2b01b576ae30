"""One colour per department function, the same in every figure of the toolkit.

Colour-blind-safe choices (Okabe & Ito 2008, "Color Universal Design", plus greys); learning and
HR share the warm family so that "learning drives" reads at a glance, IT stands in blue.
"""

from __future__ import annotations

from lmsdecide.scenario import FUNCTIONS

#: Function -> hex colour.
FUNCTION_COLOURS: dict[str, str] = {
    "learning": "#D55E00",  # vermilion
    "hr": "#E69F00",  # orange
    "it": "#0072B2",  # blue
    "marketing": "#CC79A7",  # reddish purple
    "communications": "#AA4499",  # purple
    "finance": "#009E73",  # bluish green
    "procurement": "#56B4E9",  # sky blue
    "executive": "#332288",  # indigo
    "vendor": "#999933",  # olive
    "learners": "#F0E442",  # yellow
    "other": "#888888",  # grey
}
assert set(FUNCTION_COLOURS) == set(FUNCTIONS)

#: Partner type -> hex colour.
PARTNER_TYPE_COLOURS: dict[str, str] = {
    "learning-specialist": "#D55E00",
    "it-integrator": "#0072B2",
    "reseller": "#888888",
}

#: Finding severity -> hex colour.
SEVERITY_COLOURS: dict[str, str] = {"critical": "#B2182B", "warning": "#E69F00", "info": "#4D4D4D"}

#: Learning-driven threshold line and other reference marks.
REFERENCE_COLOUR = "#222222"


def function_colour(function: str) -> str:
    """The colour of a department function (grey for anything unknown)."""
    return FUNCTION_COLOURS.get(function, FUNCTION_COLOURS["other"])


#: Function -> marker symbol: the second carrier beside colour in scatter plots.
FUNCTION_SYMBOLS: dict[str, str] = {
    "learning": "circle",
    "hr": "square",
    "it": "diamond",
    "marketing": "triangle-up",
    "communications": "triangle-down",
    "finance": "cross",
    "procurement": "x",
    "executive": "star",
    "vendor": "hexagon",
    "learners": "pentagon",
    "other": "circle-open",
}
assert set(FUNCTION_SYMBOLS) == set(FUNCTIONS)

#: Function -> bar fill pattern (``marker.pattern.shape``): the second carrier in bar charts.
#: Learning and HR stay solid so that the learning side reads as one block.
FUNCTION_PATTERNS: dict[str, str] = {
    "learning": "",
    "hr": "",
    "it": "/",
    "marketing": "x",
    "communications": "\\",
    "finance": "-",
    "procurement": "|",
    "executive": "+",
    "vendor": ".",
    "learners": ".",
    "other": "/",
}
assert set(FUNCTION_PATTERNS) == set(FUNCTIONS)

#: Partner type -> bar fill pattern.
PARTNER_TYPE_PATTERNS: dict[str, str] = {
    "learning-specialist": "",
    "it-integrator": "/",
    "reseller": ".",
}


def function_symbol(function: str) -> str:
    """The marker symbol of a department function."""
    return FUNCTION_SYMBOLS.get(function, FUNCTION_SYMBOLS["other"])


def function_pattern(function: str) -> str:
    """The bar fill pattern of a department function."""
    return FUNCTION_PATTERNS.get(function, FUNCTION_PATTERNS["other"])
