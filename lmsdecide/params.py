"""Parameter declarations: every model's tunables, declared once beside the model.

A declaration is a small frozen dataclass (:class:`FloatParam`, :class:`IntParam`,
:class:`ChoiceParam`, :class:`BoolParam`) carrying the name, a label for people who are not
programmers, the unit, bounds, step, default, help text and the source of the default. From the
same declaration the dashboards build their controls, values are validated, sensitivity analysis
and sweeps know the ranges, and the report lists the assumptions used.

A :class:`ParamSet` groups the declarations of one model and validates a mapping of values,
reporting every problem at once as a :class:`ParamError`.

This module is the bottom layer of the package: it imports nothing from ``lmsdecide``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BoolParam",
    "ChoiceParam",
    "FloatParam",
    "IntParam",
    "Param",
    "ParamError",
    "ParamSet",
]


class ParamError(ValueError):
    """One or more parameter values are invalid.

    ``problems`` lists every problem as ``"name: message, got value"`` strings, so a caller can
    show all of them at once (a dashboard next to the controls, the command line as a list).
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _fmt(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


@dataclass(frozen=True, kw_only=True)
class Param:
    """Common fields of every declaration.

    Parameters
    ----------
    name
        Python identifier; must equal the model function's keyword argument.
    label
        Short human label shown beside the control.
    default
        Value used when none is given; validated when the declaration is made.
    help
        One or two sentences: what the parameter means and how it moves the result.
    unit
        Unit of the value (``"weeks"``, ``"share"``, ``""`` for none).
    source
        Where the default comes from: a citation, or ``"illustrative"`` for an invented number.
    group
        Heading the dashboards group the control under.
    """

    name: str
    label: str
    default: Any
    help: str = ""
    unit: str = ""
    source: str = "illustrative"
    group: str = "Assumptions"

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise TypeError(f"parameter name must be an identifier, got {self.name!r}")
        # A declaration whose own default is invalid is a programming error: fail at import.
        self.validate(self.default)

    def validate(self, value: Any) -> Any:  # pragma: no cover - overridden
        """Return ``value`` converted to the parameter's type, or raise ``ValueError``."""
        raise NotImplementedError

    @property
    def kind(self) -> str:
        """Short kind name (``float``, ``int``, ``choice``, ``bool``) for mapping tables."""
        return type(self).__name__.removesuffix("Param").lower()

    def describe(self) -> dict[str, Any]:
        """Plain-dict description (for reports and the assumptions table)."""
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "default": self.default,
            "unit": self.unit,
            "help": self.help,
            "source": self.source,
            "group": self.group,
        }


def _as_number(value: Any) -> float:
    """Convert a number, or a numeric string from a text box or spreadsheet, to a finite float."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str):
        value = float(value.strip())
    if not isinstance(value, (int, float)):
        raise ValueError("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


@dataclass(frozen=True, kw_only=True)
class FloatParam(Param):
    """A real-valued parameter with inclusive bounds ``[min, max]``."""

    default: float
    min: float
    max: float
    step: float = 0.01

    def __post_init__(self) -> None:
        if not (math.isfinite(self.min) and math.isfinite(self.max) and self.min < self.max):
            raise TypeError(f"{self.name}: bounds must be finite with min < max")
        super().__post_init__()

    def validate(self, value: Any) -> float:
        """Return ``value`` as a float within ``[min, max]``, or raise ``ValueError``."""
        try:
            number = _as_number(value)
        except ValueError:
            raise ValueError(f"{self.name}: must be a finite number, got {_fmt(value)}") from None
        if not self.min <= number <= self.max:
            raise ValueError(
                f"{self.name}: must be between {self.min:g} and {self.max:g}, got {_fmt(value)}"
            )
        return number


@dataclass(frozen=True, kw_only=True)
class IntParam(Param):
    """A whole-number parameter with inclusive bounds ``[min, max]``."""

    default: int
    min: int
    max: int
    step: int = 1

    def validate(self, value: Any) -> int:
        """Return ``value`` as an int within ``[min, max]``, or raise ``ValueError``."""
        try:
            number = _as_number(value)
        except ValueError:
            raise ValueError(f"{self.name}: must be a whole number, got {_fmt(value)}") from None
        if number != int(number):
            raise ValueError(f"{self.name}: must be a whole number, got {_fmt(value)}")
        if not self.min <= number <= self.max:
            raise ValueError(
                f"{self.name}: must be between {self.min} and {self.max}, got {_fmt(value)}"
            )
        return int(number)


@dataclass(frozen=True, kw_only=True)
class ChoiceParam(Param):
    """A parameter taking one of a fixed tuple of string choices."""

    default: str
    choices: tuple[str, ...] = field(default_factory=tuple)

    def validate(self, value: Any) -> str:
        """Return ``value`` if it is one of ``choices``, or raise ``ValueError``."""
        if value not in self.choices:
            options = ", ".join(self.choices)
            raise ValueError(f"{self.name}: must be one of {options}; got {_fmt(value)}")
        return str(value)


@dataclass(frozen=True, kw_only=True)
class BoolParam(Param):
    """A yes/no parameter."""

    default: bool

    def validate(self, value: Any) -> bool:
        """Return ``value`` if it is a bool, or raise ``ValueError``."""
        if not isinstance(value, bool):
            raise ValueError(f"{self.name}: must be true or false, got {_fmt(value)}")
        return value


@dataclass(frozen=True)
class ParamSet:
    """The declarations of one model, in display order.

    Examples
    --------
    >>> ps = ParamSet((FloatParam(name="threshold", label="Threshold", default=0.5,
    ...                           min=0.0, max=1.0),))
    >>> ps.validate({"threshold": 0.7})
    {'threshold': 0.7}
    """

    params: tuple[Param, ...] = ()

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise TypeError(f"duplicate parameter names: {', '.join(duplicates)}")

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self.params)

    def __add__(self, other: ParamSet) -> ParamSet:
        return ParamSet(self.params + other.params)

    @property
    def names(self) -> tuple[str, ...]:
        """Declared names in display order."""
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, Any]:
        """Mapping of every declared name to its default."""
        return {p.name: p.default for p in self.params}

    def values_from(self, namespace: Mapping[str, Any]) -> dict[str, Any]:
        """The declared names' values read from ``namespace``, in declaration order.

        A model body records the arguments it ran with as ``PARAMS.values_from(locals())``:
        the registry's wrapper has already checked and converted them, and the record cannot
        drift from the declarations (a name missing from ``namespace`` is a ``KeyError``).
        """
        return {name: namespace[name] for name in self.names}

    def validate(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Validate ``values`` and fill in defaults for names not given.

        Raises
        ------
        ParamError
            Listing every problem at once: unknown names (with a did-you-mean suggestion) and
            every value out of its declared range or of the wrong type.
        """
        values = dict(values or {})
        out = self.defaults()
        problems: list[str] = []
        for key, value in values.items():
            if key not in self:
                close = difflib.get_close_matches(str(key), self.names, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(f"{key}: unknown parameter{hint}, got {_fmt(value)}")
                continue
            try:
                out[key] = self[key].validate(value)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ParamError(problems)
        return out

    def describe(self) -> list[dict[str, Any]]:
        """Plain-dict description of every declaration (for the assumptions table)."""
        return [p.describe() for p in self.params]
