"""The model registry: how a model becomes visible to dashboards, analyses and the report.

A scenario-level model is a pure function ``model(scenario, *, <declared params>) -> result``
(plus ``seed`` when it is stochastic) registered with :func:`register_model` and its
:class:`~lmsdecide.params.ParamSet`. Registration also checks the arguments of every call, once,
from the declarations (in the spirit of pydantic's ``validate_call``): a value out of its declared
range or of the wrong type raises :class:`~lmsdecide.params.ParamError` naming the argument and
the value, every problem at once, and the model body receives converted values (``"3"`` from a
text box becomes ``3.0``). :func:`validated` does the same for a function that is not a model
(the diagnosis, the comparison).

:mod:`lmsdecide.testing` checks every registered model against the contract (declared names equal
the function's keyword arguments, the defaults validate, the result is a frozen dataclass, the
same seed gives the same result).

Adding a model (see ``notebooks/06_extend_a_model.ipynb`` and CONTRIBUTING.md)::

    PARAMS = ParamSet((FloatParam(name="k", label="k", default=1.0, min=0, max=5),))

    @register_model(name="my_model", label="My model", area="timing", params=PARAMS)
    def my_model(scenario, *, k=1.0):
        ...
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from lmsdecide.params import ParamSet

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ModelSpec",
    "all_models",
    "check_seed",
    "get_model",
    "models",
    "register_model",
    "validated",
]

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
        The model function ``func(scenario, **params[, seed=...])``, checking its arguments (the
        undecorated body is ``func.__wrapped__``).
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
        """Run the model; ``values`` are checked against the declarations first.

        A ``seed`` is passed on to a stochastic model and ignored by the others, so a caller can
        give every model the same keywords.
        """
        if not self.stochastic:
            values.pop("seed", None)
        return self.func(scenario, **values)

    def arguments(self, values: Any = None) -> dict[str, Any]:
        """The declared arguments a call with ``values`` hands the model body: checked, converted
        and completed with the defaults (what the registered function's wrapper does).

        For a caller that runs the model's own steps without calling it (the explore module's
        vectorised paths), so that the registry stays the one place arguments are checked.
        """
        return self.params.validate(values)


def check_seed(seed: Any, *, generators: bool = True) -> Any:
    """Return ``seed`` if it is a valid random seed, else raise ``ValueError`` naming it.

    A seed is ``None`` (fresh entropy) or a whole number; with ``generators`` also a
    ``numpy.random.Generator`` or ``SeedSequence``.
    """
    kinds: tuple[type, ...] = (int, np.integer)
    if generators:
        kinds += (np.random.Generator, np.random.SeedSequence)
    if seed is None or (isinstance(seed, kinds) and not isinstance(seed, bool)):
        return seed
    what = "a whole number, a numpy Generator or None" if generators else "a whole number or None"
    raise ValueError(f"seed: must be {what}, got {seed!r}")


def validated(params: ParamSet, *, generators: bool = True) -> Callable[[F], F]:
    """Decorator checking a function's declared arguments (and ``seed``) on every call.

    The declared arguments, given or defaulted, are validated together by
    :meth:`ParamSet.validate <lmsdecide.params.ParamSet.validate>` and passed on converted; a
    ``seed`` argument must satisfy :func:`check_seed`. Other arguments pass unchanged.

    Raises
    ------
    TypeError
        At decoration, when a declared name is not a keyword argument of the function.
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        keywords = {
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        }
        missing = [n for n in params.names if n not in keywords]
        if missing:
            raise TypeError(f"{func.__name__}: declared parameters not in signature: {missing}")
        has_seed = "seed" in signature.parameters

        @functools.wraps(func)
        def checked(*args: Any, **kwargs: Any) -> Any:
            unknown = [k for k in kwargs if k not in signature.parameters]
            if unknown:  # a ParamError with a did-you-mean, rather than Python's TypeError
                params.validate({k: v for k, v in kwargs.items() if k in params or k in unknown})
            bound = signature.bind(*args, **kwargs)
            given = {k: v for k, v in bound.arguments.items() if k in params}
            bound.arguments.update(params.validate(given))
            if has_seed and "seed" in bound.arguments:
                check_seed(bound.arguments["seed"], generators=generators)
            return func(*bound.args, **bound.kwargs)

        checked.params = params  # type: ignore[attr-defined]
        return cast(F, checked)

    return decorate


def register_model(
    *,
    name: str | None = None,
    label: str,
    area: str,
    params: ParamSet,
    replace: bool = False,
    generators: bool = True,
) -> Callable[[F], F]:
    """Decorator registering a scenario-level model with its parameter declarations.

    The decorated function checks its arguments on every call, a direct call included (see
    :func:`validated`); the model body needs no checks of its own. ``generators=False`` restricts
    ``seed`` to a whole number or None (for a model that must record its seed).

    Raises
    ------
    TypeError
        When a declared name is not a keyword argument of the function, or the name is taken
        (pass ``replace=True`` to redefine a model, as a notebook re-run does).
    """

    def decorate(func: F) -> F:
        key = name or func.__name__
        try:
            checked = validated(params, generators=generators)(func)
        except TypeError as exc:
            raise TypeError(f"model {key}: {str(exc).split(': ', 1)[1]}") from None
        taken = _REGISTRY.get(key)
        if taken is not None and not replace and taken.func.__wrapped__ is not func:  # type: ignore[attr-defined]
            raise TypeError(f"model {key!r} is already registered (pass replace=True)")
        _REGISTRY[key] = ModelSpec(
            name=key,
            label=label,
            area=area,
            func=checked,
            params=params,
            stochastic="seed" in inspect.signature(func).parameters,
        )
        return checked

    return decorate


def all_models() -> dict[str, ModelSpec]:
    """Every registered model, importing the built-in model packages first."""
    for package in BUILTIN_MODEL_PACKAGES:
        importlib.import_module(package)
    return dict(_REGISTRY)


def get_model(name: str) -> ModelSpec:
    """The registered model called ``name``; ``KeyError`` naming the known ones otherwise."""
    models = all_models()
    if name not in models:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(sorted(models))}")
    return models[name]


def models(area: str | None = None) -> pd.DataFrame:
    """The registered models as a table: one row per model (of ``area`` when given).

    Columns: ``name``, ``label``, ``area``, ``parameters`` (declared names, comma-separated),
    ``stochastic``; sorted by area and name. ``get_model(name)`` gives the model itself.

    Examples
    --------
    >>> import lmsdecide as lms
    >>> "who_drives" in set(lms.models("influence")["name"])
    True
    """
    import pandas as pd

    rows = [
        {
            "name": spec.name,
            "label": spec.label,
            "area": spec.area,
            "parameters": ", ".join(spec.params.names),
            "stochastic": spec.stochastic,
        }
        for spec in sorted(all_models().values(), key=lambda s: (s.area, s.name))
        if area is None or spec.area == area
    ]
    columns = ["name", "label", "area", "parameters", "stochastic"]
    return pd.DataFrame(rows, columns=columns)
