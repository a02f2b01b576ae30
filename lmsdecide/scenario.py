"""The Scenario: one organisation's LMS project, validated.

Every table of a scenario (docs/models.md, README's "Your own scenario") is a frozen pydantic
model. :func:`validate_scenario`
is the one entry point from plain data (a parsed YAML/JSON document, a flattened workbook, a
dashboard edit): it reports *every* problem at once as a :class:`ScenarioError`, each with its
location and the offending value, e.g. ``departments[3].power: must be between 0 and 1, got 1.7``.

Units: durations and targets in weeks; concern efforts in person-weeks; power, interest,
legitimacy, urgency, susceptibility and expertise levels in [0, 1]; position in [-1, 1]
(-1 technology-led choice, +1 learning-led choice); authority >= 0 (relative formal say).
"""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    model_validator,
)

__all__ = [
    "CONCERN_KINDS",
    "DECISION_ROLES",
    "FUNCTIONS",
    "KIND_BY_FUNCTION",
    "LEARNING_FUNCTIONS",
    "NEVER",
    "PARTNER_TYPES",
    "Concern",
    "Criterion",
    "Decision",
    "Department",
    "Escalation",
    "InfluenceEdge",
    "KindEscalation",
    "Partner",
    "Phase",
    "PhaseAttributes",
    "Problem",
    "Range",
    "Scenario",
    "ScenarioError",
    "ThreePoint",
    "WeightRange",
    "validate_scenario",
]

#: A department's function, declared once: ``FUNCTIONS`` and the validation follow from it.
Function = Literal[
    "learning",
    "hr",
    "it",
    "marketing",
    "communications",
    "finance",
    "procurement",
    "executive",
    "vendor",
    "learners",
    "other",
]
PartnerType = Literal["learning-specialist", "it-integrator", "reseller"]
ConcernKind = Literal[
    "integration",
    "data",
    "security",
    "configuration",
    "content",
    "process",
    "reporting",
    "communication",
]
Role = Literal["R", "A", "C", "I"]

FUNCTIONS: tuple[str, ...] = get_args(Function)
#: Functions whose share of the decision counts as "learning drives" (the source article:
#: L&D/HR/training).
LEARNING_FUNCTIONS: tuple[str, ...] = ("learning", "hr")
PARTNER_TYPES: tuple[str, ...] = get_args(PartnerType)
DECISION_ROLES: tuple[str, ...] = get_args(Role)
#: Engagement value for a department that is never involved (its concerns surface after launch).
NEVER = "never"
#: What a concern is about; each kind has its own cost escalation (lmsdecide.timing.escalation).
CONCERN_KINDS: tuple[str, ...] = get_args(ConcernKind)
#: The kind of a concern that does not name one, from its department's function (documented in
#: docs/models.md): technical functions get the technical kinds, the others the mild ones.
KIND_BY_FUNCTION: dict[str, str] = {
    "learning": "content",
    "hr": "data",
    "it": "integration",
    "marketing": "communication",
    "communications": "communication",
    "finance": "process",
    "procurement": "process",
    "executive": "process",
    "vendor": "configuration",
    "learners": "configuration",
    "other": "process",
}


# ---------------------------------------------------------------------------------------------
# Problems and the error type
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario: where, what, and the offending value (when there is one)."""

    location: str
    message: str
    value: Any = None
    has_value: bool = True

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        if not self.has_value:
            return f"{where}{self.message}"
        return f"{where}{self.message}, got {_show(self.value)}"


def _show(value: Any, limit: int = 60) -> str:
    """Short, safe rendering of a user value for a message."""
    if isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    elif isinstance(value, (Mapping, list, tuple)):
        text = f"a {type(value).__name__ if not isinstance(value, Mapping) else 'mapping'}"
        text += f" of {len(value)} item{'s' if len(value) != 1 else ''}"
    else:
        text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ScenarioError(ValueError):
    """A scenario (or a scenario file) is invalid.

    ``problems`` holds every :class:`Problem` found, so callers can show them all at once;
    ``str(error)`` is one problem per line, prefixed by ``source`` (a file name) when known.
    """

    def __init__(self, problems: Iterable[Problem | str], source: str | None = None) -> None:
        self.problems = [
            p if isinstance(p, Problem) else Problem("", p, has_value=False) for p in problems
        ]
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(p) for p in self.problems] or ["invalid scenario"]
        head = f"{self.source}: " if self.source else ""
        if len(lines) == 1:
            return head + lines[0]
        count = f"{len(lines)} problems"
        return (f"{head}{count}\n" if head else f"{count}\n") + "\n".join(f"  {ln}" for ln in lines)

    def with_source(self, source: str) -> ScenarioError:
        """The same problems, attributed to ``source`` (a path or an upload's name)."""
        return ScenarioError(self.problems, source=source)


# ---------------------------------------------------------------------------------------------
# Value types with plain-language messages
# ---------------------------------------------------------------------------------------------


def _between(low: float, high: float) -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return value

    return AfterValidator(check)


def _at_least(low: float) -> AfterValidator:
    def check(value: float) -> float:
        if value < low:
            raise ValueError(f"must be at least {low:g}")
        return value

    return AfterValidator(check)


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


Unit = Annotated[float, _between(0.0, 1.0)]
Signed = Annotated[float, _between(-1.0, 1.0)]
NonNegative = Annotated[float, _at_least(0.0)]
Positive = Annotated[float, AfterValidator(_positive)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=5000)]


def _empty_to_none(value: Any) -> Any:
    # An empty optional text is "not given": keeps YAML, JSON and Excel round trips identical.
    return None if value == "" else value


OptionalText = Annotated[Text | None, BeforeValidator(_empty_to_none)]
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z]([A-Za-z0-9_ -]*[A-Za-z0-9_-])?$")


def _attribute_name(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("an attribute's name must be text")
    if len(value) > 64 or not _ATTRIBUTE_NAME.match(value):
        raise ValueError(
            "an attribute's name must start with a letter and hold letters, digits, spaces, '-' "
            "or '_' (at most 64, no trailing space)"
        )
    return value


def _attribute_value(value: Any) -> bool | int | float | str:
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value
    if isinstance(value, str):
        if not 1 <= len(value) <= 1000:
            raise ValueError("must be a text of 1 to 1000 characters")
        return value
    raise ValueError("must be a text, a number or true/false")


#: Name of an organisation's own attribute of a department (a spreadsheet column ``attr:<name>``):
#: starts with a letter; letters, digits, spaces, '-' and '_'; no trailing space.
AttributeName = Annotated[str, PlainValidator(_attribute_name)]
#: Value of an own attribute: a flag, a number or a non-empty text (never a model input).
AttributeValue = Annotated[bool | int | float | str, PlainValidator(_attribute_value)]


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        allow_inf_nan=False,
        coerce_numbers_to_str=True,
        validate_by_alias=True,
        validate_by_name=True,
    )


# ---------------------------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------------------------


class PhaseAttributes(_Model):
    """A department's stakeholder attributes overridden for one phase (None keeps the base)."""

    power: Unit | None = None
    interest: Unit | None = None
    legitimacy: Unit | None = None
    urgency: Unit | None = None


class Department(_Model):
    """A department with a stake in the LMS project.

    ``authority`` is its formal say in the final decision (any non-negative scale; normalised by
    the models); ``susceptibility`` is 1 - stubbornness in the Friedkin-Johnsen model.
    ``attributes`` are the organisation's own (owner, sentiment, notes...): text, numbers or
    flags kept through every format and shown in the register, never read by a model.
    """

    id: Slug
    name: Name
    function: Function
    power: Unit
    interest: Unit
    legitimacy: Unit
    urgency: Unit
    authority: NonNegative
    susceptibility: Unit
    position: Signed
    criteria_weights: dict[Slug, NonNegative] = Field(default_factory=dict)
    by_phase: dict[Slug, PhaseAttributes] = Field(default_factory=dict)
    description: OptionalText = None
    attributes: dict[AttributeName, AttributeValue] = Field(default_factory=dict)


class InfluenceEdge(_Model):
    """``source`` listens to ``target`` with ``weight`` (relative, row-normalised by the model)."""

    source: Slug = Field(alias="from")
    target: Slug = Field(alias="to")
    weight: NonNegative


class ThreePoint(_Model):
    """A three-point estimate in weeks: optimistic <= likely <= pessimistic."""

    optimistic: NonNegative
    likely: NonNegative
    pessimistic: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> ThreePoint:
        if not self.optimistic <= self.likely <= self.pessimistic:
            raise ValueError(
                "must satisfy optimistic <= likely <= pessimistic, got "
                f"{self.optimistic:g}, {self.likely:g}, {self.pessimistic:g}"
            )
        return self


class Escalation(_Model):
    """Range of the cost-escalation factor of a phase (relative to requirements = 1)."""

    low: Positive
    high: Positive

    @model_validator(mode="after")
    def _ordered(self) -> Escalation:
        if self.low > self.high:
            raise ValueError(f"must satisfy low <= high, got {self.low:g}, {self.high:g}")
        return self


class Range(_Model):
    """An uncertain value's range, low <= high (a partner's score, a criterion's weight)."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"must satisfy low <= high, got {self.low:g}, {self.high:g}")
        return self


class WeightRange(Range):
    """A criterion's share of the weights (weights sum to 1): 0 <= low <= high <= 1."""

    low: Unit
    high: Unit


class Phase(_Model):
    """One phase of the implementation, in project order.

    ``escalation`` (a per-phase factor range) is accepted so that files written by earlier
    versions load; the timing models no longer read it: escalation is declared per concern kind
    in :attr:`Scenario.escalation`.
    """

    id: Slug
    name: Name
    duration: ThreePoint
    escalation: Escalation | None = None


class KindEscalation(_Model):
    """How the cost of a late concern of one kind grows with its lateness.

    A concern surfacing ``k`` phases after its due phase costs ``min(cap, g**k)`` times its
    on-time effort, ``g`` the growth per phase of lateness, log-uniform on [``low``, ``high``]
    (one percentile per simulated project). ``source`` cites the range or says "illustrative".
    """

    low: Annotated[float, _between(1.0, 10.0)]
    high: Annotated[float, _between(1.0, 10.0)]
    cap: Annotated[float, _between(1.0, 1000.0)]
    source: OptionalText = None

    @model_validator(mode="after")
    def _ordered(self) -> KindEscalation:
        if self.low > self.high:
            raise ValueError(f"must satisfy low <= high, got {self.low:g}, {self.high:g}")
        return self


class Concern(_Model):
    """A department's concern, due in phase ``due``, costing ``effort`` person-weeks if on time.

    ``kind`` chooses its cost escalation when it surfaces late (None: inferred from the
    department's function, :data:`KIND_BY_FUNCTION`); ``blocks_launch`` marks a concern without
    which the LMS cannot go live (single sign-on, the HR feed): if nobody raises it before the
    launch phase it is found at launch and must be done before go-live.
    """

    department: Slug
    name: Name
    due: Slug
    effort: NonNegative
    kind: ConcernKind | None = None
    blocks_launch: bool = False
    description: OptionalText = None


class Criterion(_Model):
    """A partner-selection criterion.

    ``must_have`` is the minimum acceptable score for a benefit criterion (the maximum for a cost
    criterion); a partner beyond it is disqualified, as in LMS request-for-proposal scorecards.
    ``weight_range`` (optional) bounds the criterion's share of the weights (weights summing to
    1, so within [0, 1]) when the weights are uncertain (see ``rank_acceptability``).
    """

    id: Slug
    name: Name
    direction: Literal["benefit", "cost"]
    must_have: float | None = None
    weight_range: WeightRange | None = None
    unit: Annotated[
        Annotated[str, Field(max_length=40)] | None, BeforeValidator(_empty_to_none)
    ] = None
    description: OptionalText = None


class Partner(_Model):
    """A candidate implementation partner: criterion scores, type and expertise profile.

    ``promised_weeks`` is the time to go-live the partner promises (weeks from the project
    start); when absent, the score of a criterion with id ``time_to_launch`` stands for it.

    ``score_ranges`` (optional) gives, per criterion, the range a score may really lie in (the
    point score in ``scores`` must lie inside it), for the rank acceptability analysis.
    """

    id: Slug
    name: Name
    type: PartnerType
    scores: dict[Slug, float]
    score_ranges: dict[Slug, Range] = Field(default_factory=dict)
    expertise: dict[Slug, Unit] = Field(default_factory=dict)
    promised_weeks: Positive | None = None
    description: OptionalText = None


class Decision(_Model):
    """A project decision with RACI rights per department."""

    id: Slug
    name: Name
    learning_defining: bool = False
    rights: dict[Slug, Role] = Field(default_factory=dict)


class Scenario(_Model):
    """One organisation's LMS project.

    Build it from plain data with :func:`validate_scenario` (or ``load_scenario``), which reports
    every problem at once; direct construction validates too but stops at pydantic's errors.
    """

    name: Name
    description: Text = ""
    launch_target: Positive  # weeks from the project start to go-live
    learners: Annotated[int, Field(ge=1, le=1_000_000_000)]
    departments: Annotated[list[Department], Field(min_length=1)]
    influence: list[InfluenceEdge] = Field(default_factory=list)
    phases: Annotated[list[Phase], Field(min_length=1)]
    engagement: Annotated[dict[Slug, Slug], Field(min_length=1)]
    concerns: list[Concern] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    team_expertise: dict[Slug, Unit] = Field(default_factory=dict)
    selected_partner: Slug | None = None
    launch_phase: Slug | None = None
    decisions: list[Decision] = Field(default_factory=list)
    escalation: dict[ConcernKind, KindEscalation] = Field(default_factory=dict)
    mandatory_use: bool = False
    adoption_ceiling: Unit | None = None

    @model_validator(mode="after")
    def _ceiling(self) -> Scenario:
        ceiling = self.adoption_ceiling
        if not self.mandatory_use and ceiling is not None and ceiling >= 1.0:
            raise ValueError(
                "adoption_ceiling: must be below 1 when use is voluntary (mandatory_use "
                f"false): some learners never log in, got {ceiling:g}"
            )
        return self

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get("references_checked"):
            return self
        problems = reference_problems(self.to_data())
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    # -- convenience accessors (no model maths here) -----------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain, JSON-compatible data (aliases as in the file format, defaults left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def with_changes(self, **fields: Any) -> Scenario:
        """A validated copy with top-level ``fields`` replaced (raises :class:`ScenarioError`)."""
        data = self.to_data()
        for key, value in fields.items():
            data[key] = value.to_data() if isinstance(value, Scenario) else _plain(value)
        return validate_scenario(data)

    @property
    def department_ids(self) -> list[str]:
        """Department ids in table order."""
        return [d.id for d in self.departments]

    @property
    def phase_ids(self) -> list[str]:
        """Phase ids in project order."""
        return [p.id for p in self.phases]

    def department(self, dept_id: str) -> Department:
        """The department with id ``dept_id`` (``KeyError`` if none)."""
        for d in self.departments:
            if d.id == dept_id:
                return d
        raise KeyError(dept_id)

    def partner(self, partner_id: str) -> Partner:
        """The partner with id ``partner_id`` (``KeyError`` if none)."""
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise KeyError(partner_id)

    def phase_name(self, phase_id: str) -> str:
        """The name of phase ``phase_id``, ``"never"`` for :data:`NEVER` (``KeyError`` if
        none): what people read where the data holds the id."""
        if phase_id == NEVER:
            return NEVER
        for p in self.phases:
            if p.id == phase_id:
                return p.name
        raise KeyError(phase_id)

    def phase_index(self, phase_id: str) -> int:
        """0-based position of a phase; ``len(phases)`` for :data:`NEVER` (after launch)."""
        if phase_id == NEVER:
            return len(self.phases)
        return self.phase_ids.index(phase_id)

    @property
    def launch_index(self) -> int:
        """0-based phase at whose end the LMS goes live (``launch_phase``, else the last)."""
        return (
            self.phase_ids.index(self.launch_phase) if self.launch_phase else len(self.phases) - 1
        )

    def engagement_index(self, dept_id: str) -> int:
        """0-based phase in which ``dept_id`` is first involved; ``len(phases)`` when never."""
        return self.phase_index(self.engagement[dept_id])

    def concern_kind(self, concern: Concern) -> str:
        """The concern's ``kind``, or the one inferred from its department's function."""
        if concern.kind is not None:
            return concern.kind
        return KIND_BY_FUNCTION[self.department(concern.department).function]

    def promised_weeks(self, partner_id: str) -> float | None:
        """The partner's promised time to go-live: ``promised_weeks``, else its
        ``time_to_launch`` score, else None."""
        partner = self.partner(partner_id)
        if partner.promised_weeks is not None:
            return float(partner.promised_weeks)
        score = partner.scores.get("time_to_launch")
        return float(score) if score is not None and score > 0 else None


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Cross-reference checks, on plain data so they run even when some fields are malformed
# ---------------------------------------------------------------------------------------------


def _rows(data: Mapping[str, Any], table: str) -> list[tuple[int, Mapping[str, Any]]]:
    rows = data.get(table)
    if not isinstance(rows, list):
        return []
    return [(i, r) for i, r in enumerate(rows) if isinstance(r, Mapping)]


def _ids(data: Mapping[str, Any], table: str, problems: list[Problem]) -> set[str]:
    seen: set[str] = set()
    for i, row in _rows(data, table):
        rid = row.get("id")
        if not isinstance(rid, str):
            continue
        if rid in seen:
            problems.append(Problem(f"{table}[{i}].id", "duplicate id", rid))
        seen.add(rid)
    return seen


def _unknown(what: str, value: Any, known: set[str]) -> str:
    close = difflib.get_close_matches(str(value), sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what}{hint}"


def _unknown_keys(
    where: str, mapping: Any, known: set[str], what: str, note: str = ""
) -> list[Problem]:
    """A problem for each key of ``mapping`` (at ``where``) that is not a ``known`` id."""
    if not isinstance(mapping, Mapping) or not known:
        return []
    return [
        Problem(f"{where}.{key}", _unknown(what, key, known) + note, value)
        for key, value in mapping.items()
        if key not in known
    ]


def reference_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Problems between tables: duplicate and unknown ids, missing entries.

    Works on plain (possibly malformed) data and skips whatever is not the right shape: pydantic
    reports those; this reports what pydantic cannot see.
    """
    problems: list[Problem] = []
    depts = _ids(data, "departments", problems)
    phases = _ids(data, "phases", problems)
    criteria = _ids(data, "criteria", problems)
    partners = _ids(data, "partners", problems)
    _ids(data, "decisions", problems)
    team = data.get("team_expertise")
    areas = set(team) if isinstance(team, Mapping) else set()

    authority_total = 0.0
    for i, row in _rows(data, "departments"):
        auth = row.get("authority")
        if isinstance(auth, (int, float)) and not isinstance(auth, bool) and math.isfinite(auth):
            authority_total += max(float(auth), 0.0)
        problems += _unknown_keys(
            f"departments[{i}].criteria_weights", row.get("criteria_weights"), criteria, "criterion"
        )
        by_phase = row.get("by_phase")
        if isinstance(by_phase, Mapping) and phases:
            for key in by_phase:
                if key not in phases:
                    problems.append(
                        Problem(f"departments[{i}].by_phase", _unknown("phase", key, phases), key)
                    )
    if (
        depts
        and authority_total <= 0
        and not any(p.location.endswith(".authority") for p in problems)
    ):
        problems.append(
            Problem(
                "departments", "at least one department needs authority above 0", has_value=False
            )
        )

    pairs: set[tuple[str, str]] = set()
    for i, row in _rows(data, "influence"):
        ends = []
        for alias, name in (("from", "source"), ("to", "target")):
            value = row.get(alias, row.get(name))
            ends.append(value)
            if isinstance(value, str) and depts and value not in depts:
                problems.append(
                    Problem(f"influence[{i}].{alias}", _unknown("department", value, depts), value)
                )
        if all(isinstance(e, str) for e in ends):
            pair = (ends[0], ends[1])
            if pair in pairs:
                problems.append(
                    Problem(f"influence[{i}]", "duplicate edge", f"{pair[0]} -> {pair[1]}")
                )
            pairs.add(pair)

    engagement = data.get("engagement")
    if isinstance(engagement, Mapping):
        for key, value in engagement.items():
            if depts and key not in depts:
                problems.append(
                    Problem(f"engagement.{key}", _unknown("department", key, depts), key)
                )
            if isinstance(value, str) and phases and value != NEVER and value not in phases:
                problems.append(
                    Problem(
                        f"engagement.{key}",
                        _unknown("phase", value, phases) + f"; use a phase id or {NEVER!r}",
                        value,
                    )
                )
        for missing in sorted(depts - set(engagement)):
            problems.append(
                Problem(
                    "engagement",
                    f"no entry for department {missing!r} (give a phase id or {NEVER!r})",
                    has_value=False,
                )
            )

    for i, row in _rows(data, "concerns"):
        dept: Any = row.get("department")
        due: Any = row.get("due")
        if isinstance(dept, str) and depts and dept not in depts:
            problems.append(
                Problem(f"concerns[{i}].department", _unknown("department", dept, depts), dept)
            )
        if isinstance(due, str) and phases and due not in phases:
            problems.append(Problem(f"concerns[{i}].due", _unknown("phase", due, phases), due))

    for i, row in _rows(data, "partners"):
        scores = row.get("scores")
        problems += _unknown_keys(f"partners[{i}].scores", scores, criteria, "criterion")
        if isinstance(scores, Mapping) and criteria:
            for crit in sorted(criteria - set(scores)):
                problems.append(
                    Problem(
                        f"partners[{i}].scores", f"no score for criterion {crit!r}", has_value=False
                    )
                )
        problems += _unknown_keys(
            f"partners[{i}].expertise",
            row.get("expertise"),
            areas,
            "expertise area",
            " (areas come from team_expertise)",
        )
        ranges = row.get("score_ranges")
        if isinstance(ranges, Mapping):
            problems += _unknown_keys(f"partners[{i}].score_ranges", ranges, criteria, "criterion")
            for key, value in ranges.items():
                point: Any = scores.get(key) if isinstance(scores, Mapping) else None
                bounds: Any = value if isinstance(value, Mapping) else {}
                low: Any = bounds.get("low")
                high: Any = bounds.get("high")
                if (
                    _is_number(low)
                    and _is_number(high)
                    and _is_number(point)
                    and float(low) <= float(high)
                    and not float(low) <= float(point) <= float(high)
                ):
                    problems.append(
                        Problem(
                            f"partners[{i}].score_ranges.{key}",
                            "must satisfy low <= score <= high, got "
                            f"{low:g} <= {point:g} <= {high:g}",
                            has_value=False,
                        )
                    )
    if partners and not criteria and isinstance(data.get("criteria"), list):
        problems.append(
            Problem("criteria", "partners are listed but there are no criteria", has_value=False)
        )

    problems.extend(_weight_range_problems(data))

    selected = data.get("selected_partner")
    if isinstance(selected, str) and selected not in partners:
        problems.append(
            Problem("selected_partner", _unknown("partner", selected, partners), selected)
        )

    launch = data.get("launch_phase")
    if isinstance(launch, str) and phases and launch not in phases:
        problems.append(Problem("launch_phase", _unknown("phase", launch, phases), launch))

    for i, row in _rows(data, "decisions"):
        problems += _unknown_keys(f"decisions[{i}].rights", row.get("rights"), depts, "department")
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _weight_range_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Weight ranges must leave room for weights summing to 1: sum of lows <= 1 <= sum of highs
    (a criterion without a range counts as 0 to 1)."""
    lows, highs, ranged = 0.0, 0.0, False
    for _, row in _rows(data, "criteria"):
        r = row.get("weight_range")
        low, high = (r.get("low"), r.get("high")) if isinstance(r, Mapping) else (0.0, 1.0)
        ranged = ranged or isinstance(r, Mapping)
        if not (_is_number(low) and _is_number(high)):
            return []  # pydantic reports the malformed range
        lows, highs = lows + float(low), highs + float(high)  # type: ignore[arg-type]
    if not ranged:
        return []
    if lows > 1.0 + 1e-9:
        return [Problem("criteria", "weight ranges: the lows add up to more than 1", lows)]
    if highs < 1.0 - 1e-9:
        return [Problem("criteria", "weight ranges: the highs add up to less than 1", highs)]
    return []


# ---------------------------------------------------------------------------------------------
# Translating pydantic's errors into located, plain-language problems
# ---------------------------------------------------------------------------------------------


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            text += " (key)"
        elif isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            inner = _unwrap(arg)
            if inner is not type(None):
                return inner
    return tp


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that the location ``loc`` points into (for did-you-mean)."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                field = next((f for f in tp.model_fields.values() if f.alias == part), None)
            if field is None:
                return None
            tp = field.annotation
        elif typing.get_origin(tp) in (list, tuple):
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


_MESSAGES = {
    "missing": "required field is missing",
    "finite_number": "must be a finite number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping (key: value pairs)",
    "model_type": "must be a mapping (key: value pairs)",
    "model_attributes_type": "must be a mapping (key: value pairs)",
    "list_type": "must be a list",
    "string_pattern_mismatch": (
        "must be an id: lower-case letters, digits and underscores, starting with a letter"
    ),
}


def _problem_from_pydantic(err: Mapping[str, Any]) -> Problem:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    value = err.get("input")
    location = _location(loc)
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        names = _field_names(model) if model else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1) if names else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Problem(location, f"unknown key{hint}", value)
    if kind == "missing":
        return Problem(location, _MESSAGES[kind], has_value=False)
    if kind in ("too_short",) and isinstance(value, (list, Mapping)):
        return Problem(location, "must not be empty", has_value=False)
    if kind == "string_too_short":
        return Problem(location, "must not be empty", value)
    if kind == "string_too_long":
        limit = (err.get("ctx") or {}).get("max_length")
        return Problem(
            location, f"is too long (at most {limit} characters)", f"{len(str(value))} characters"
        )
    if kind in _MESSAGES:
        return Problem(location, _MESSAGES[kind], value)
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.startswith("Input should be"):
        message = "must be" + message.removeprefix("Input should be")
    if kind == "value_error" and ", got " in message:
        # Our own validators already name the values (three-point order, escalation order).
        return Problem(location, message, has_value=False)
    return Problem(location, message, value)


def _table_order(problem: Problem) -> tuple[int, str]:
    order = list(Scenario.model_fields)
    head = problem.location.split(".")[0].split("[")[0]
    return (order.index(head) if head in order else len(order), problem.location)


def validate_scenario(data: Any, *, source: str | None = None) -> Scenario:
    """Validate plain data and return a :class:`Scenario`, or raise :class:`ScenarioError`.

    Every problem is reported at once: field errors from pydantic and the cross-reference
    checks (duplicate and unknown ids, missing engagement entries) together.

    Parameters
    ----------
    data
        A mapping as parsed from YAML/JSON or assembled from a workbook.
    source
        A file name to prefix the messages with.
    """
    if isinstance(data, Scenario):
        return data
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(
            [Problem("", f"a scenario must be a mapping of tables, got {kind}", has_value=False)],
            source=source,
        )
    problems = reference_problems(data)
    try:
        scenario = Scenario.model_validate(data, context={"references_checked": True})
    except ValidationError as exc:
        problems = [_problem_from_pydantic(e) for e in exc.errors()] + problems
    else:
        if not problems:
            return scenario
    problems.sort(key=_table_order)
    raise ScenarioError(problems, source=source)
