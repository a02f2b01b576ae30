"""The space of variants: which inputs vary, over which ranges, and how a variant is built.

A :class:`Factor` is one input that varies. Two kinds of input can vary:

* a model's **declared parameter**, named ``"<model>.<param>"`` (for example
  ``"simulate_schedule.rework_capacity"``). Its range comes from the declaration
  (:class:`~lmsdecide.params.FloatParam` ``min``/``max``, ``IntParam`` bounds, ``ChoiceParam``
  choices, ``BoolParam`` both values), so a researcher's new registered model works unchanged; a
  narrower range may be given, never a wider one.
* a **scenario field**, named by a path into the scenario (default range in brackets):

  - ``departments.<id>.<attribute>``: power, interest, legitimacy, urgency, susceptibility
    ([0, 1]), position ([−1, 1]) or authority ([0, 2 × current], or [0, 1] when it is 0);
  - ``engagement.<id>``: the phase a department is first involved (every phase, then
    ``never``; ordered);
  - ``selected_partner``: the selected partner (every partner);
  - ``launch_target``: the go-live target in weeks ([0.5, 1.5] × current);
  - ``influence.<from>.<to>``: how much ``from`` listens to ``to`` ([0, 2 × current], or
    [0, 1] for an edge the scenario lacks);
  - ``phases.<id>.duration_scale``: multiplies the phase's three-point duration ([0.5, 1.5]);
  - ``concerns.<department>.effort_scale``: multiplies the effort of each of the department's
    concerns ([0.5, 2]);
  - ``escalation.<kind>.growth``: fixes the growth per phase of lateness of a concern kind
    (low = high = g) within the scenario's declared range [low, high] (the defaults of
    :data:`~lmsdecide.timing.KIND_ESCALATION` when the scenario has no row for the kind);
  - ``escalation.<kind>.cap``: the kind's cap, within [1, declared cap];
  - ``partners.<id>.scores.<criterion>``: a partner's score ([0.5, 1.5] × current, or [0, 1]
    when it is 0; never below 0);
  - ``departments.<id>.criteria_weights.<criterion>``: a department's weight of a criterion
    ([0, 2 × current], or [0, 1] when it is 0 or absent).

  The rework and overrun assumptions of the schedule are declared parameters, hence factors by
  the first form: ``simulate_schedule.rework_capacity``, ``.parallel_share``, ``.max_delay``,
  ``.overrun_sigma``, ``.tail_probability``, ``.tail_min``, ``.tail_max``.

Every factor maps the unit interval onto its values (:meth:`Factor.from_unit`): samplers
(Latin hypercube, Sobol, Morris trajectories) draw in the unit cube and the factor turns each
coordinate into a value, so declared ranges are respected by construction.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from lmsdecide.params import BoolParam, ChoiceParam, FloatParam, IntParam
from lmsdecide.registry import get_model
from lmsdecide.scenario import CONCERN_KINDS, NEVER, Scenario

__all__ = [
    "DEPARTMENT_ATTRIBUTES",
    "Factor",
    "Space",
    "apply_values",
    "base_values",
    "factor",
    "model_factors",
    "suggested_factors",
]

Kind = Literal["float", "int", "choice", "bool"]

#: Largest full grid built (a sample scales to any size; a grid grows as the product of levels).
MAX_GRID = 10_000_000

#: Department attributes a factor may vary, with their natural range (None: from the value).
DEPARTMENT_ATTRIBUTES: dict[str, tuple[float, float] | None] = {
    "power": (0.0, 1.0),
    "interest": (0.0, 1.0),
    "legitimacy": (0.0, 1.0),
    "urgency": (0.0, 1.0),
    "susceptibility": (0.0, 1.0),
    "position": (-1.0, 1.0),
    "authority": None,
}


@dataclass(frozen=True)
class Factor:
    """One input that varies.

    Attributes
    ----------
    name
        ``"<model>.<param>"`` or a scenario path (see the module docstring).
    kind
        ``"float"``, ``"int"``, ``"choice"`` or ``"bool"``.
    low, high
        Inclusive bounds of a float or int factor (None for choices and bools).
    choices
        The values of a choice factor, in order (for ``engagement`` the project order).
    ordered
        True when the choices have an order (engagement phases): discovery then writes rules
        as "at or after design" rather than a list.
    label
        Short human label.
    unit
        Unit of the value.
    target
        ``"param"`` (a model's declared parameter) or ``"scenario"`` (a scenario field).
    """

    name: str
    kind: Kind
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    ordered: bool = False
    label: str = ""
    unit: str = ""
    target: Literal["param", "scenario"] = "scenario"

    def __post_init__(self) -> None:
        if self.kind in ("float", "int"):
            if self.low is None or self.high is None:
                raise ValueError(f"{self.name}: a {self.kind} factor needs low and high")
            if not (math.isfinite(self.low) and math.isfinite(self.high)):
                raise ValueError(f"{self.name}: bounds must be finite, got {self.low}, {self.high}")
            if self.low > self.high:
                raise ValueError(
                    f"{self.name}: low must not exceed high, got {self.low:g} > {self.high:g}"
                )
        elif self.kind == "choice":
            if not self.choices:
                raise ValueError(f"{self.name}: a choice factor needs at least one choice")
        elif self.kind == "bool":
            object.__setattr__(self, "choices", (False, True))
            object.__setattr__(self, "ordered", True)
        else:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if not self.label:
            object.__setattr__(self, "label", self.name)

    @property
    def model(self) -> str | None:
        """The model whose parameter this is (None for a scenario field)."""
        return self.name.split(".", 1)[0] if self.target == "param" else None

    @property
    def param(self) -> str | None:
        """The declared parameter name (None for a scenario field)."""
        return self.name.split(".", 1)[1] if self.target == "param" else None

    @property
    def levels(self) -> int:
        """Number of distinct values of a discrete factor (0 for a float factor)."""
        if self.kind == "float":
            return 0
        if self.kind == "int":
            assert self.low is not None and self.high is not None
            return int(self.high) - int(self.low) + 1
        return len(self.choices)

    def from_unit(self, u: npt.ArrayLike) -> npt.NDArray[Any]:
        """Values for unit coordinates ``u`` in [0, 1].

        float: low + u (high − low); int: ⌊low + u (high − low + 1)⌋ clipped to high;
        choice and bool: choice number ⌊u k⌋ clipped to k − 1 (k choices), so each value gets an
        equal share of the interval.
        """
        x = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.kind == "float":
            assert self.low is not None and self.high is not None
            return self.low + x * (self.high - self.low)
        if self.kind == "int":
            assert self.low is not None and self.high is not None
            lo, hi = int(self.low), int(self.high)
            return np.minimum(np.floor(lo + x * (hi - lo + 1)), hi).astype(np.int64)
        codes = np.minimum(np.floor(x * len(self.choices)), len(self.choices) - 1).astype(int)
        out = np.empty(codes.shape, dtype=object)
        for i, choice in enumerate(self.choices):
            out[codes == i] = choice
        if self.kind == "bool":
            return out.astype(bool)
        return out

    def grid(self, levels: int) -> list[Any]:
        """``levels`` evenly spaced values of a numeric factor; every value of a discrete one."""
        if self.kind == "float":
            assert self.low is not None and self.high is not None
            return [float(v) for v in np.linspace(self.low, self.high, max(levels, 1))]
        if self.kind == "int":
            assert self.low is not None and self.high is not None
            values = np.unique(np.round(np.linspace(self.low, self.high, max(levels, 1))))
            return [int(v) for v in values]
        return list(self.choices)

    def code(self, values: Sequence[Any] | pd.Series) -> npt.NDArray[np.float64]:
        """Numeric codes of values: the value itself (numeric) or the choice number (discrete)."""
        if self.kind in ("float", "int"):
            return np.asarray(values, dtype=float)
        index = {c: i for i, c in enumerate(self.choices)}
        return np.array([index[v] for v in values], dtype=float)

    def check(self, value: Any) -> None:
        """Raise ``ValueError`` naming the factor when ``value`` is outside its range."""
        if self.kind in ("float", "int"):
            assert self.low is not None and self.high is not None
            if not self.low <= float(value) <= self.high:
                raise ValueError(
                    f"{self.name}: must be between {self.low:g} and {self.high:g}, got {value}"
                )
        elif value not in self.choices:
            raise ValueError(
                f"{self.name}: must be one of {', '.join(map(str, self.choices))}; got {value!r}"
            )

    def describe(self) -> dict[str, Any]:
        """Plain-dict description (name, kind, range or choices, label, unit, target)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "choices": list(self.choices),
            "ordered": self.ordered,
            "label": self.label,
            "unit": self.unit,
            "target": self.target,
        }


# ---------------------------------------------------------------------------------------------
# Resolving names
# ---------------------------------------------------------------------------------------------


def _narrow(
    name: str,
    kind: Kind,
    declared: tuple[float, float] | None,
    low: float | None,
    high: float | None,
    choices: Sequence[Any] | None,
    declared_choices: tuple[Any, ...] = (),
    *,
    strict: bool = True,
) -> tuple[float | None, float | None, tuple[Any, ...]]:
    """Range of a factor: the declared one, narrowed by what the caller gives."""
    if kind in ("float", "int"):
        if choices is not None:
            raise ValueError(f"{name}: a {kind} factor takes low/high, not choices")
        assert declared is not None
        lo = declared[0] if low is None else float(low)
        hi = declared[1] if high is None else float(high)
        if strict and (lo < declared[0] or hi > declared[1]):
            raise ValueError(
                f"{name}: range {lo:g} to {hi:g} goes outside the declared range "
                f"{declared[0]:g} to {declared[1]:g}"
            )
        if lo > hi:
            raise ValueError(f"{name}: low must not exceed high, got {lo:g} > {hi:g}")
        return lo, hi, ()
    if low is not None or high is not None:
        raise ValueError(f"{name}: a {kind} factor takes choices, not low/high")
    if choices is None:
        return None, None, declared_choices
    chosen = tuple(choices)
    unknown = [c for c in chosen if c not in declared_choices]
    if unknown:
        raise ValueError(
            f"{name}: unknown choice(s) {', '.join(map(str, unknown))}; "
            f"known: {', '.join(map(str, declared_choices))}"
        )
    # keep the declared order (it matters for ordered factors)
    return None, None, tuple(c for c in declared_choices if c in chosen)


def _param_factor(
    name: str, low: float | None, high: float | None, choices: Sequence[Any] | None
) -> Factor:
    model_name, param_name = name.split(".", 1)
    spec = get_model(model_name)
    if param_name not in spec.params:
        known = ", ".join(spec.params.names) or "none"
        raise ValueError(f"{name}: model {model_name!r} declares no {param_name!r}; known: {known}")
    p = spec.params[param_name]
    label = p.label
    if isinstance(p, FloatParam):
        lo, hi, _ = _narrow(name, "float", (p.min, p.max), low, high, choices)
        return Factor(name, "float", lo, hi, label=label, unit=p.unit, target="param")
    if isinstance(p, IntParam):
        lo, hi, _ = _narrow(name, "int", (p.min, p.max), low, high, choices)
        assert lo is not None and hi is not None
        if lo != int(lo) or hi != int(hi):
            raise ValueError(f"{name}: an int factor needs whole bounds, got {lo:g}, {hi:g}")
        return Factor(name, "int", lo, hi, label=label, unit=p.unit, target="param")
    if isinstance(p, ChoiceParam):
        _, _, ch = _narrow(name, "choice", None, low, high, choices, p.choices)
        return Factor(name, "choice", choices=ch, label=label, unit=p.unit, target="param")
    if isinstance(p, BoolParam):
        _, _, ch = _narrow(name, "choice", None, low, high, choices, (False, True))
        if len(ch) == 2:
            return Factor(name, "bool", label=label, target="param")
        return Factor(name, "choice", choices=ch, label=label, target="param")
    raise ValueError(f"{name}: parameters of kind {p.kind!r} cannot vary")


def _scale(value: float, low: float, high: float) -> tuple[float, float]:
    return (low * value, high * value) if value > 0 else (0.0, 1.0)


def factor(
    scenario: Scenario,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    choices: Sequence[Any] | None = None,
) -> Factor:
    """Resolve a factor name against a scenario and the model registry.

    Parameters
    ----------
    scenario
        The base scenario (scenario paths are checked against its ids).
    name
        ``"<model>.<param>"`` or a scenario path (module docstring).
    low, high
        Narrow a numeric range (a declared parameter's range may not be widened; a scenario
        field's natural bounds, such as [0, 1] for power, may not be left).
    choices
        Keep only these choices of a choice factor.

    Raises
    ------
    ValueError
        Unknown model, parameter, department, phase or field; a range outside the declared one.
    """
    parts = name.split(".")
    head = parts[0]
    if head == "escalation" and len(parts) == 3:
        return _escalation_factor(scenario, name, parts[1], parts[2], low, high, choices)
    if head == "partners" and len(parts) == 4 and parts[2] == "scores":
        try:
            partner = scenario.partner(parts[1])
        except KeyError:
            known = ", ".join(p.id for p in scenario.partners) or "none"
            raise ValueError(f"{name}: unknown partner {parts[1]!r}; known: {known}") from None
        if parts[3] not in partner.scores:
            known = ", ".join(partner.scores) or "none"
            raise ValueError(f"{name}: unknown criterion {parts[3]!r}; known: {known}")
        current = float(partner.scores[parts[3]])
        default = (0.5 * current, 1.5 * current) if current > 0 else (0.0, 1.0)
        lo, hi, _ = _narrow(name, "float", (0.0, math.inf), low, high, choices)
        lo = default[0] if low is None else lo
        hi = default[1] if high is None else hi
        return Factor(name, "float", lo, hi, label=f"{partner.name}: {parts[3]} score")
    if head == "departments" and len(parts) == 4 and parts[2] == "criteria_weights":
        try:
            dept = scenario.department(parts[1])
        except KeyError:
            known = ", ".join(scenario.department_ids)
            raise ValueError(f"{name}: unknown department {parts[1]!r}; known: {known}") from None
        criteria = [c.id for c in scenario.criteria]
        if parts[3] not in criteria:
            known = ", ".join(criteria) or "none"
            raise ValueError(f"{name}: unknown criterion {parts[3]!r}; known: {known}")
        current = float(dept.criteria_weights.get(parts[3], 0.0))
        default = _scale(current, 0.0, 2.0)
        lo, hi, _ = _narrow(name, "float", (0.0, math.inf), low, high, choices)
        lo = default[0] if low is None else lo
        hi = default[1] if high is None else hi
        return Factor(name, "float", lo, hi, label=f"{dept.name}: weight of {parts[3]}")
    if head == "departments" and len(parts) == 3:
        dept_id, attr = parts[1], parts[2]
        try:
            dept = scenario.department(dept_id)
        except KeyError:
            known = ", ".join(scenario.department_ids)
            raise ValueError(f"{name}: unknown department {dept_id!r}; known: {known}") from None
        if attr not in DEPARTMENT_ATTRIBUTES:
            known = ", ".join(DEPARTMENT_ATTRIBUTES)
            raise ValueError(f"{name}: unknown department attribute {attr!r}; known: {known}")
        natural = DEPARTMENT_ATTRIBUTES[attr]
        if natural is None:  # authority: any non-negative scale
            current = float(dept.authority)
            default = (0.0, 2.0 * current) if current > 0 else (0.0, 1.0)
            lo, hi, _ = _narrow(name, "float", (0.0, math.inf), low, high, choices)
            lo = default[0] if low is None else lo
            hi = default[1] if high is None else hi
        else:
            lo, hi, _ = _narrow(name, "float", natural, low, high, choices)
        label = f"{dept.name}: {attr}"
        return Factor(name, "float", lo, hi, label=label)
    if head == "engagement" and len(parts) == 2:
        dept_id = parts[1]
        try:
            dept = scenario.department(dept_id)
        except KeyError:
            known = ", ".join(scenario.department_ids)
            raise ValueError(f"{name}: unknown department {dept_id!r}; known: {known}") from None
        options = (*scenario.phase_ids, NEVER)
        _, _, ch = _narrow(name, "choice", None, low, high, choices, options)
        return Factor(name, "choice", choices=ch, ordered=True, label=f"{dept.name} engaged in")
    if name == "selected_partner":
        options = tuple(p.id for p in scenario.partners)
        if not options:
            raise ValueError(f"{name}: the scenario lists no partners")
        _, _, ch = _narrow(name, "choice", None, low, high, choices, options)
        return Factor(name, "choice", choices=ch, label="Selected partner")
    if name == "launch_target":
        default = _scale(scenario.launch_target, 0.5, 1.5)
        lo, hi, _ = _narrow(name, "float", (1e-9, math.inf), low, high, choices)
        lo = default[0] if low is None else lo
        hi = default[1] if high is None else hi
        return Factor(name, "float", lo, hi, label="Launch target", unit="weeks")
    if head == "influence" and len(parts) == 3:
        src, dst = parts[1], parts[2]
        for d in (src, dst):
            if d not in scenario.department_ids:
                known = ", ".join(scenario.department_ids)
                raise ValueError(f"{name}: unknown department {d!r}; known: {known}")
        current = next(
            (e.weight for e in scenario.influence if e.source == src and e.target == dst), 0.0
        )
        default = _scale(current, 0.0, 2.0)
        lo, hi, _ = _narrow(name, "float", (0.0, math.inf), low, high, choices)
        lo = default[0] if low is None else lo
        hi = default[1] if high is None else hi
        return Factor(name, "float", lo, hi, label=f"{src} listens to {dst}")
    if head == "phases" and len(parts) == 3 and parts[2] == "duration_scale":
        if parts[1] not in scenario.phase_ids:
            known = ", ".join(scenario.phase_ids)
            raise ValueError(f"{name}: unknown phase {parts[1]!r}; known: {known}")
        lo, hi, _ = _narrow(name, "float", (1e-9, math.inf), low, high, choices)
        lo = 0.5 if low is None else lo
        hi = 1.5 if high is None else hi
        return Factor(name, "float", lo, hi, label=f"{parts[1]} duration ×")
    if head == "concerns" and len(parts) == 3 and parts[2] == "effort_scale":
        if parts[1] not in scenario.department_ids:
            known = ", ".join(scenario.department_ids)
            raise ValueError(f"{name}: unknown department {parts[1]!r}; known: {known}")
        lo, hi, _ = _narrow(name, "float", (0.0, math.inf), low, high, choices)
        lo = 0.5 if low is None else lo
        hi = 2.0 if high is None else hi
        return Factor(name, "float", lo, hi, label=f"{parts[1]} concern effort ×")
    if len(parts) == 2:
        try:
            get_model(head)
        except KeyError as exc:
            raise ValueError(f"{name}: {exc.args[0]}") from None
        return _param_factor(name, low, high, choices)
    raise ValueError(
        f"{name}: unknown factor; use '<model>.<param>', 'departments.<id>.<attribute>', "
        "'engagement.<id>', 'selected_partner', 'launch_target', 'influence.<from>.<to>', "
        "'phases.<id>.duration_scale', 'concerns.<department>.effort_scale', "
        "'escalation.<kind>.growth', 'escalation.<kind>.cap', "
        "'partners.<id>.scores.<criterion>' or 'departments.<id>.criteria_weights.<criterion>'"
    )


def _escalation_row(scenario: Scenario, kind: str) -> tuple[float, float, float]:
    from lmsdecide.timing.escalation import KIND_ESCALATION

    row = scenario.escalation.get(kind)  # type: ignore[call-overload]
    if row is not None:
        return float(row.low), float(row.high), float(row.cap)
    return KIND_ESCALATION[kind]


def _escalation_factor(
    scenario: Scenario,
    name: str,
    kind: str,
    field: str,
    low: float | None,
    high: float | None,
    choices: Sequence[Any] | None,
) -> Factor:
    if kind not in CONCERN_KINDS:
        raise ValueError(
            f"{name}: unknown concern kind {kind!r}; known: {', '.join(CONCERN_KINDS)}"
        )
    lo_g, hi_g, cap = _escalation_row(scenario, kind)
    if field == "growth":
        # within the declared range: a sweep may narrow it, never widen it
        lo, hi, _ = _narrow(name, "float", (lo_g, hi_g), low, high, choices)
        return Factor(
            name, "float", lo, hi, label=f"{kind}: cost growth per phase late", unit="factor"
        )
    if field == "cap":
        lo, hi, _ = _narrow(name, "float", (1.0, cap), low, high, choices)
        return Factor(name, "float", lo, hi, label=f"{kind}: cap of the multiplier", unit="x")
    raise ValueError(f"{name}: unknown escalation field {field!r}; known: growth, cap")


#: Declared parameters that set how precisely a model is computed, not what the project is: never
#: a factor by default (the number of draws, the sampling engine, the replicates of its errors).
NUMERICAL_SETTINGS = ("n", "engine", "replicates")


def model_factors(model: str, *, exclude: Iterable[str] = NUMERICAL_SETTINGS) -> list[Factor]:
    """One factor per declared parameter of ``model``, numerical settings left out
    (:data:`NUMERICAL_SETTINGS`: a sampling engine is not a guess about the project).

    Ranges are the declared ones, so a researcher's new model works unchanged.
    """
    spec = get_model(model)
    skip = set(exclude)
    return [
        _param_factor(f"{model}.{p.name}", None, None, None)
        for p in spec.params
        if p.name not in skip
    ]


def suggested_factors(scenario: Scenario) -> list[str]:
    """A readable default set of scenario factors: the guesses the article's argument rests on.

    Authority of each learning, HR and IT department; engagement of each department that owns
    concerns; the selected partner (when there are partners).
    """
    names = [
        f"departments.{d.id}.authority"
        for d in scenario.departments
        if d.function in ("learning", "hr", "it")
    ]
    owners = {c.department for c in scenario.concerns}
    names += [f"engagement.{d}" for d in scenario.department_ids if d in owners]
    if scenario.partners:
        names.append("selected_partner")
    return names


# ---------------------------------------------------------------------------------------------
# Building a variant
# ---------------------------------------------------------------------------------------------


def _current(scenario: Scenario, f: Factor) -> Any:
    parts = f.name.split(".")
    if parts[0] == "departments" and len(parts) == 4:
        return float(scenario.department(parts[1]).criteria_weights.get(parts[3], 0.0))
    if parts[0] == "departments":
        return float(getattr(scenario.department(parts[1]), parts[2]))
    if parts[0] == "engagement":
        return scenario.engagement[parts[1]]
    if f.name == "selected_partner":
        return scenario.selected_partner
    if f.name == "launch_target":
        return float(scenario.launch_target)
    if parts[0] == "escalation":
        lo, hi, cap = _escalation_row(scenario, parts[1])
        return math.sqrt(lo * hi) if parts[2] == "growth" else cap
    if parts[0] == "partners":
        return float(scenario.partner(parts[1]).scores[parts[3]])
    if parts[0] == "influence":
        return next(
            (
                float(e.weight)
                for e in scenario.influence
                if e.source == parts[1] and e.target == parts[2]
            ),
            0.0,
        )
    return 1.0  # the scales


def base_values(scenario: Scenario, factors: Sequence[Factor]) -> dict[str, Any]:
    """Each factor's value in the base case: the scenario's own value, or the declared default."""
    out: dict[str, Any] = {}
    for f in factors:
        if f.target == "param":
            assert f.model is not None and f.param is not None
            out[f.name] = get_model(f.model).params[f.param].default
        else:
            out[f.name] = _current(scenario, f)
    return out


def apply_values(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of plain scenario ``data`` with scenario-field ``values`` applied.

    Only the tables touched are copied (the rest is shared with ``data``, which is not
    modified). Parameter factors (``"<model>.<param>"``) are ignored here.
    """
    out = dict(data)
    copied: set[str] = set()

    def table(key: str) -> Any:
        if key not in copied:
            current = out.get(key)
            if key == "engagement":
                out[key] = dict(current or {})
            else:  # the list tables; absent when empty (to_data leaves defaults out)
                out[key] = list(current or [])
            copied.add(key)
        return out[key]

    for name, value in values.items():
        parts = name.split(".")
        head = parts[0]
        if head == "escalation":
            from lmsdecide.timing.escalation import KIND_ESCALATION

            if "escalation" not in copied:
                out["escalation"] = dict(out.get("escalation") or {})
                copied.add("escalation")
            lo, hi, cap = KIND_ESCALATION[parts[1]]
            row = {"low": lo, "high": hi, "cap": cap, **out["escalation"].get(parts[1], {})}
            if parts[2] == "growth":
                row["low"] = row["high"] = float(value)
            else:
                row["cap"] = float(value)
            out["escalation"][parts[1]] = row
        elif head == "partners":
            rows = table("partners")
            for i, row in enumerate(rows):
                if row["id"] == parts[1]:
                    rows[i] = {**row, "scores": {**row["scores"], parts[3]: float(value)}}
                    break
        elif head == "departments" and len(parts) == 4:
            rows = table("departments")
            for i, row in enumerate(rows):
                if row["id"] == parts[1]:
                    weights = {**row.get("criteria_weights", {}), parts[3]: float(value)}
                    rows[i] = {**row, "criteria_weights": weights}
                    break
        elif head == "departments" and len(parts) == 3:
            rows = table("departments")
            for i, row in enumerate(rows):
                if row["id"] == parts[1]:
                    rows[i] = {**row, parts[2]: float(value)}
                    break
        elif head == "engagement":
            table("engagement")[parts[1]] = str(value)
        elif name == "selected_partner":
            out["selected_partner"] = str(value)
        elif name == "launch_target":
            out["launch_target"] = float(value)
        elif head == "influence":
            rows = table("influence")
            for i, row in enumerate(rows):
                if row["from"] == parts[1] and row["to"] == parts[2]:
                    rows[i] = {**row, "weight": float(value)}
                    break
            else:
                rows.append({"from": parts[1], "to": parts[2], "weight": float(value)})
        elif head == "phases":
            rows = table("phases")
            for i, row in enumerate(rows):
                if row["id"] == parts[1]:
                    d = row["duration"]
                    scaled = {k: float(d[k]) * float(value) for k in d}
                    rows[i] = {**row, "duration": scaled}
                    break
        elif head == "concerns":
            rows = table("concerns")
            for i, row in enumerate(rows):
                if row["department"] == parts[1]:
                    rows[i] = {**row, "effort": float(row.get("effort", 0.0)) * float(value)}
    return out


# ---------------------------------------------------------------------------------------------
# The space: samples and grids
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Space:
    """The factors of a sweep or a sensitivity analysis, in order."""

    factors: tuple[Factor, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.factors]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate factors: {', '.join(duplicates)}")
        if not names:
            raise ValueError("factors: at least one factor is needed, got none")

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        factors: Iterable[str | Factor] | Mapping[str, Any],
    ) -> Space:
        """Resolve names (``{"name": (low, high)}`` or ``{"name": [choices]}`` to narrow)."""
        resolved: list[Factor] = []
        if isinstance(factors, Mapping):
            for name, spec in factors.items():
                if spec is None:
                    resolved.append(factor(scenario, name))
                elif (
                    isinstance(spec, tuple)
                    and len(spec) == 2
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec)
                ):
                    resolved.append(factor(scenario, name, low=spec[0], high=spec[1]))
                else:
                    resolved.append(factor(scenario, name, choices=list(spec)))
        else:
            for item in factors:
                resolved.append(item if isinstance(item, Factor) else factor(scenario, item))
        return cls(tuple(resolved))

    @property
    def names(self) -> tuple[str, ...]:
        """Factor names in order."""
        return tuple(f.name for f in self.factors)

    def __len__(self) -> int:
        return len(self.factors)

    def __getitem__(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise KeyError(name)

    def from_unit(self, unit: npt.ArrayLike) -> pd.DataFrame:
        """Variants (one row each) from points of the unit cube (one column per factor)."""
        u = np.atleast_2d(np.asarray(unit, dtype=float))
        if u.shape[1] != len(self.factors):
            raise ValueError(
                f"unit: expected {len(self.factors)} columns (one per factor), got {u.shape[1]}"
            )
        return pd.DataFrame({f.name: f.from_unit(u[:, j]) for j, f in enumerate(self.factors)})

    def sample(self, n: int, *, method: str = "lhs", seed: int | None = 0) -> pd.DataFrame:
        """``n`` variants: Latin hypercube (``"lhs"``), scrambled Sobol (``"sobol"``) or
        independent uniform (``"random"``) points of the unit cube, mapped by each factor."""
        if n < 1:
            raise ValueError(f"n: must be at least 1, got {n}")
        d = len(self.factors)
        rng = np.random.default_rng(seed)
        if method == "random":
            u = rng.random((n, d))
        elif method in ("lhs", "sobol"):
            from scipy.stats import qmc

            engine: Any = (
                qmc.LatinHypercube(d, rng=rng) if method == "lhs" else qmc.Sobol(d, rng=rng)
            )
            with warnings.catch_warnings():  # balance needs n = 2^m; other n are still valid
                warnings.filterwarnings("ignore", message=".*balance properties of Sobol")
                u = engine.random(n)
        else:
            raise ValueError(f"method: must be one of lhs, sobol, random; got {method!r}")
        return self.from_unit(u)

    def grid(self, levels: int | Mapping[str, int] = 3) -> pd.DataFrame:
        """Full factorial grid: ``levels`` values of each numeric factor, every discrete value."""
        per = {
            f.name: (levels.get(f.name, 3) if isinstance(levels, Mapping) else levels)
            for f in self.factors
        }
        axes = [f.grid(per[f.name]) for f in self.factors]
        size = math.prod(len(a) for a in axes)
        if size > MAX_GRID:
            raise ValueError(
                f"levels: the full grid would hold {size:,} variants (more than {MAX_GRID:,}); "
                "use fewer levels or factors, or a sample (n=...)"
            )
        rows = list(itertools.product(*axes))
        return pd.DataFrame(rows, columns=list(self.names))

    def check(self, variants: pd.DataFrame) -> None:
        """Raise ``ValueError`` when a column is missing or a value lies outside its factor."""
        missing = [n for n in self.names if n not in variants.columns]
        if missing:
            raise ValueError(f"variants: missing column(s) {', '.join(missing)}")
        for f in self.factors:
            column = variants[f.name]
            if f.kind in ("float", "int"):
                assert f.low is not None and f.high is not None
                values = column.to_numpy(dtype=float)
                bad = ~((values >= f.low) & (values <= f.high))
                if bad.any():
                    f.check(values[np.flatnonzero(bad)[0]])
            else:
                bad_mask = ~column.isin(list(f.choices))
                if bad_mask.any():
                    f.check(column[bad_mask].iloc[0])
