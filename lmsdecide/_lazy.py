"""Deferred imports: heavy libraries load when first used, not when lmsdecide is imported.

``import lmsdecide.influence, lmsdecide.timing, lmsdecide.partner`` registers every model; the
libraries some of them need (pandas for the result tables, scipy's optimisers and distributions,
networkx for the network layout) cost about a second to import together and most sessions use
few of them. Modules name such a library once at the top::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy_module("pandas")

and ``pd.DataFrame`` imports pandas on that first attribute access (type checkers see the real
module). scipy and networkx are imported inside the functions that use them.

:func:`defer_iri_grammar` removes a 1.5 s stall from the first figure a kernel shows (see there).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["defer_iri_grammar", "lazy_attribute", "lazy_module"]


class _LazyModule(types.ModuleType):
    """A stand-in for a module that imports it on the first attribute access."""

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # later accesses are plain attribute lookups
        return getattr(module, attr)


def lazy_module(name: str) -> types.ModuleType:
    """The module ``name`` if it is already imported, else a stand-in importing it on first use.

    The stand-in is not put in ``sys.modules``: ``import name`` elsewhere gets the real module.
    """
    loaded = sys.modules.get(name)
    return loaded if loaded is not None else _LazyModule(name)


def lazy_attribute(package: str, where: Mapping[str, str], name: str) -> Any:
    """``package``'s attribute ``name``, imported from the module ``where`` names for it.

    The body of a package's PEP 562 ``__getattr__`` (``lmsdecide``, ``lmsdecide.widgets``,
    ``lmsdecide.room``): the value is stored in the package, so later lookups are plain attribute
    reads. ``AttributeError`` for a name ``where`` does not hold.
    """
    module = where.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    setattr(sys.modules[package], name, value)
    return value


class _DeferredIRI(types.ModuleType):
    """Stand-in for ``rfc3987_syntax``: the real package is imported when an IRI is checked."""

    def _real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def is_valid_syntax(self, term: str, value: str) -> bool:
        return bool(self._real().is_valid_syntax(term, value))

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # the import system probing (``__path__``): not a use
            raise AttributeError(attr)
        return getattr(self._real(), attr)


def defer_iri_grammar() -> None:
    """Defer building the IRI grammar of ``rfc3987_syntax`` until an IRI is validated.

    plotly's renderers import nbformat, whose validator imports jsonschema, whose format checker
    imports ``rfc3987_syntax`` (a non-GPL IRI checker); that package compiles an Earley grammar
    with lark *at import*: about 1.5 s, paid by every kernel before its first figure shows (the
    upstream report: python-jsonschema/jsonschema#1428). Nothing here validates IRIs. This puts
    a stand-in in ``sys.modules`` whose ``is_valid_syntax`` imports the real package on its first
    call, so an IRI format check still gives the real answer. It does nothing when the package is
    absent or already imported, or jsonschema was already loaded.
    """
    name = "rfc3987_syntax"
    if name in sys.modules or "jsonschema" in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _DeferredIRI(name)
    stand_in.__spec__ = spec  # find_spec(name) keeps working while the stand-in is there
    sys.modules[name] = stand_in
