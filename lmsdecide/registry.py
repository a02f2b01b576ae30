"""The model registry: how a model becomes visible to dashboards, analyses and the report.

A scenario-level model is a pure function ``model(scenario, *, <declared params>) -> result``
(plus ``seed`` when it is stochastic) registered with :func:`register_model` and its
:class:`~lmsdecide.params.ParamSet`. The shared conformance test (``tests/test_conformance.py``)
checks every registered model: declared names equal the function's keyword arguments, the
defaults validate, the result is a frozen dataclass, and the same seed gives the same result.

Adding a model (see ``notebooks/06_extend_a_model.ipynb``)::

    PARAMS = ParamSet((FloatParam(name="k", label="k", default=1.0, min=0, max=5),))

    @register_model(name="my_model", label="My model", area="timing", params=PARAMS)
    def my_model(scenario, *, k=1.0):
        ...
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lmsdecide.params import ParamSet

__all__ = ["ModelSpec", "all_models", "get_model", "register_model"]

F = TypeVar("F", bound=Callable[..., Any])

#: Packages whose import registers the built-in models (imported lazily by ``all_models``).
BUILTIN_MODEL_PACKAGES = ("lmsdecide.influence", "lmsdecide.timing", "lmsdecide.partner")

_REGISTRY: dict[str, ModelSpec] = {}


@dataclass(frozen=True)
class ModelSpec:
    """A registered model: its function, declarations and where it belongs.

    Attributes
    ----------
    name
        Unique registry key (the function name by convention).
    label
        Human title shown in dashboards and reports.
    area
        ``"influence"``, ``"timing"``, ``"partner"`` or a researcher's own area.
    func
        The pure model function ``func(scenario, **params[, seed=...])``.
    params
        Its declared tunables.
    stochastic
        True when the function takes a ``seed`` keyword.
    """

    name: str
    label: str
    area: str
    func: Callable[..., Any]
    params: ParamSet
    stochastic: bool = False

    def __call__(self, scenario: Any, **values: Any) -> Any:
        """Validate ``values`` against the declarations, then run the model."""
        seed = values.pop("seed", None)
        checked = self.params.validate(values)
        if self.stochastic:
            checked["seed"] = seed
        return self.func(scenario, **checked)


def register_model(
    *,
    name: str | None = None,
    label: str,
    area: str,
    params: ParamSet,
    replace: bool = False,
) -> Callable[[F], F]:
    """Decorator registering a scenario-level model with its parameter declarations.

    Raises
    ------
    TypeError
        When a declared name is not a keyword argument of the function, or the name is taken
        (pass ``replace=True`` to redefine a model, as a notebook re-run does).
    """

    def decorate(func: F) -> F:
        key = name or func.__name__
        signature = inspect.signature(func)
        keywords = {
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        }
        missing = [n for n in params.names if n not in keywords]
        if missing:
            raise TypeError(f"model {key}: declared parameters not in signature: {missing}")
        if key in _REGISTRY and not replace and _REGISTRY[key].func is not func:
            raise TypeError(f"model {key!r} is already registered (pass replace=True)")
        _REGISTRY[key] = ModelSpec(
            name=key,
            label=label,
            area=area,
            func=func,
            params=params,
            stochastic="seed" in signature.parameters,
        )
        return func

    return decorate


def all_models() -> dict[str, ModelSpec]:
    """Every registered model, importing the built-in model packages first."""
    for package in BUILTIN_MODEL_PACKAGES:
        try:
            importlib.import_module(package)
        except ModuleNotFoundError as exc:  # a package not written yet registers nothing
            if exc.name != package:
                raise
    return dict(_REGISTRY)


def get_model(name: str) -> ModelSpec:
    """The registered model called ``name``; ``KeyError`` naming the known ones otherwise."""
    models = all_models()
    if name not in models:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(sorted(models))}")
    return models[name]
