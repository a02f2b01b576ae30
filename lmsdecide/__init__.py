"""lmsdecide: decision support for Learning Management System projects.

Make sure the dog wags the tail: learning drives the project, IT and communications engage early,
and the implementation partner is focused on learning.

Public names are imported lazily so that ``import lmsdecide`` stays fast. No module of the
package has the name of a function it exports (``lmsdecide.diagnosis`` holds ``diagnose``,
``lmsdecide.comparison`` holds ``compare``), so importing a submodule never hides a function
(``tests/test_public_api.py`` checks it).
"""

from __future__ import annotations

from typing import Any

from lmsdecide._lazy import lazy_attribute

__version__ = "0.1.0"

_EXPORTS = {
    "Scenario": "lmsdecide.scenario",
    "ScenarioError": "lmsdecide.scenario",
    "validate_scenario": "lmsdecide.scenario",
    "load_scenario": "lmsdecide.io",
    "save_scenario": "lmsdecide.io",
    "example": "lmsdecide.io",
    "list_examples": "lmsdecide.io",
    "FloatParam": "lmsdecide.params",
    "IntParam": "lmsdecide.params",
    "ChoiceParam": "lmsdecide.params",
    "BoolParam": "lmsdecide.params",
    "ParamSet": "lmsdecide.params",
    "ParamError": "lmsdecide.params",
    "register_model": "lmsdecide.registry",
    "all_models": "lmsdecide.registry",
    "get_model": "lmsdecide.registry",
    "models": "lmsdecide.registry",
    "diagnose": "lmsdecide.diagnosis",
    "Diagnosis": "lmsdecide.diagnosis",
    "compare": "lmsdecide.comparison",
    "Comparison": "lmsdecide.comparison",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _EXPORTS, name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
