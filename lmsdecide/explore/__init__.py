"""Exploring uncertainty: which guesses matter, and when does the plan fail?

- :mod:`~lmsdecide.explore.space`: :class:`Factor` and :class:`Space`: what varies, over which
  range (a model's declared parameters, ``"<model>.<param>"``, or scenario fields such as
  ``"departments.it.authority"`` and ``"engagement.it"``).
- :mod:`~lmsdecide.explore.measures`: what is measured (``"learning_share"``, ``"p80"``,
  ``"on_time_probability"``, ``"chosen_partner"``, ``"findings"``, ``"<model>.<attribute>"``).
- :func:`sweep`: measures over a grid or a sample of variants, one tidy DataFrame; chunked over a
  ``concurrent.futures`` executor (local processes by default, a Dask cluster's executor when the
  work outgrows one machine), Parquet chunks so an interrupted sweep resumes.
- :func:`sensitivity`, :func:`morris`, :func:`sobol`, :func:`tornado`: SALib's Morris screening
  and Sobol indices with confidence intervals, and a one-at-a-time tornado.
- :func:`discover`: PRIM boxes (EMA Workbench) as readable rules.
- :func:`value_of_information`: EVPI and per-input partial EVPI of the partner choice and of the
  engagement plan: which uncertain judgement is worth the room's time.

See docs/explore.md.
"""

from lmsdecide.explore.discovery import Box, DiscoveryResult, Restriction, discover
from lmsdecide.explore.measures import MEASURES, Measure, evaluate_variants, measure
from lmsdecide.explore.sensitivity_analysis import (
    METHODS,
    MorrisResult,
    SobolResult,
    TornadoResult,
    morris,
    sensitivity,
    sobol,
    tornado,
)
from lmsdecide.explore.space import (
    DEPARTMENT_ATTRIBUTES,
    Factor,
    Space,
    apply_values,
    base_values,
    factor,
    model_factors,
    suggested_factors,
)
from lmsdecide.explore.sweeps import SweepResult, run_chunk, sweep
from lmsdecide.explore.voi import DECISIONS, ValueOfInformationResult, value_of_information

__all__ = [
    "DECISIONS",
    "DEPARTMENT_ATTRIBUTES",
    "MEASURES",
    "METHODS",
    "Box",
    "DiscoveryResult",
    "Factor",
    "Measure",
    "MorrisResult",
    "Restriction",
    "SobolResult",
    "Space",
    "SweepResult",
    "TornadoResult",
    "ValueOfInformationResult",
    "apply_values",
    "base_values",
    "discover",
    "evaluate_variants",
    "factor",
    "measure",
    "model_factors",
    "morris",
    "run_chunk",
    "sensitivity",
    "sobol",
    "suggested_factors",
    "sweep",
    "tornado",
    "value_of_information",
]


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
