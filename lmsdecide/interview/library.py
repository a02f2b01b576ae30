"""The library of typical LMS-project concerns (``data/concerns.yaml``), per department function.

Each entry has a ``kind`` (integration, data, security, configuration, content, process,
reporting, communication), the phase of the standard template it is ``due`` in, a typical
``effort`` in person-weeks, whether it ``blocks_launch``, and a ``source`` (or "illustrative").
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lmsdecide.interview.mappings import STANDARD_PHASES
from lmsdecide.io import data_dir
from lmsdecide.scenario import CONCERN_KINDS, FUNCTIONS, Concern, ConcernKind

__all__ = [
    "CONCERN_KINDS",
    "ConcernLibrary",
    "LibraryConcern",
    "concern_library",
    "concern_row",
]


class LibraryConcern(BaseModel):
    """One typical concern of the library."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: ConcernKind
    due: str
    effort: Annotated[float, Field(ge=0.0)]
    blocks_launch: bool
    source: Annotated[str, Field(min_length=1)]


class ConcernLibrary(BaseModel):
    """The concern library: function -> its typical concerns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    functions: dict[str, list[LibraryConcern]]

    def for_function(self, function: str) -> list[LibraryConcern]:
        """The concerns of ``function`` (empty for a function the library does not list)."""
        return list(self.functions.get(function, []))

    def find(self, concern_id: str) -> LibraryConcern | None:
        """The concern with id ``concern_id``, whatever its function."""
        for items in self.functions.values():
            for item in items:
                if item.id == concern_id:
                    return item
        return None

    @property
    def ids(self) -> list[str]:
        """Every concern id, in file order."""
        return [c.id for items in self.functions.values() for c in items]


@functools.cache
def concern_library() -> ConcernLibrary:
    """The bundled library, validated: known functions, phases and kinds, unique ids.

    Raises
    ------
    ValueError
        Naming the entry and the value when the file is malformed.
    """
    path = data_dir() / "concerns.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        library = ConcernLibrary.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{path}: {where}: {first['msg']}, got {first.get('input')!r}") from None
    phases = {p["id"] for p in STANDARD_PHASES}
    seen: set[str] = set()
    for function, items in library.functions.items():
        if function not in FUNCTIONS:
            raise ValueError(f"{path}: functions.{function}: unknown function")
        for item in items:
            if item.due not in phases:
                raise ValueError(f"{path}: {item.id}.due: unknown phase, got {item.due!r}")
            if item.id in seen:
                raise ValueError(f"{path}: {item.id}: duplicate id")
            seen.add(item.id)
    return library


def concern_row(
    department: str,
    name: str,
    due: str,
    effort: float,
    kind: str | None = None,
    blocks_launch: bool | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """A scenario concern row, with ``kind`` and ``blocks_launch`` when the model knows them.

    The :class:`~lmsdecide.scenario.Concern` model may or may not have the ``kind`` and
    ``blocks_launch`` fields; they are kept when it does and left out when it does not, so the
    rows always validate.
    """
    row: dict[str, Any] = {"department": department, "name": name, "due": due, "effort": effort}
    fields = Concern.model_fields
    if kind is not None and "kind" in fields:
        row["kind"] = kind
    if blocks_launch is not None and "blocks_launch" in fields:
        row["blocks_launch"] = blocks_launch
    if description:
        row["description"] = description
    return row
