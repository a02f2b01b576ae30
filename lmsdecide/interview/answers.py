"""The interview's answers: what an analyst says about the organisation, in plain words.

:class:`Answers` is the whole interview (a pydantic model, read from an answers file or built up
by the notebook app); :data:`QUESTIONS` holds the question each field answers, so that every
problem names the question and the value (:class:`InterviewError`). The plain words are mapped to
numbers in :mod:`lmsdecide.interview.mappings`; :func:`lmsdecide.interview.build_scenario` does
the mapping.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from lmsdecide.scenario import _show

__all__ = [
    "QUESTIONS",
    "Answers",
    "ConcernChoice",
    "DepartmentAnswers",
    "InterviewError",
    "InterviewProblem",
    "OrganisationAnswers",
    "PairJudgement",
    "PartnerAnswers",
    "PhaseAnswers",
    "Priorities",
    "parse_answers",
]

#: Field -> the question it answers, as the interview asks it.
QUESTIONS: dict[str, str] = {
    "organisation": "About the organisation",
    "organisation.name": "What is the project or organisation called?",
    "organisation.description": "In a sentence, what is the project?",
    "organisation.learners": "How many people will learn on the LMS?",
    "organisation.launch_target": "In how many weeks from the start should the LMS go live?",
    "departments": "Which departments have a stake in the LMS?",
    "name": "What is the department called?",
    "id": "A short id for the department (optional)",
    "function": "What is it (its function)?",
    "sign_off": "Who formally signs off the LMS decision: what is this department's say?",
    "listens_to": "Whose opinion does it weigh, and how much?",
    "firmness": "How firmly does it hold its view?",
    "leaning": "Which way does it lean: a learning-led or a technology-led choice?",
    "clout": "How much can it stop or speed up the project? (optional)",
    "cares": "How much does it care about the LMS? (optional)",
    "priorities": "What does it want from a partner?",
    "priorities.rank": "Rank the criteria, most important first",
    "priorities.pairs": "Compare the criteria in pairs",
    "involved_from": "When is it (or will it be) first involved?",
    "concerns": "Which concerns does it bring?",
    "description": "Notes on the department (optional)",
    "attributes": "Your own attributes (owner, sentiment, notes...)",
    "phases": "The project's phases",
    "phases.durations": "How long will each phase take (weeks: optimistic, likely, pessimistic)?",
    "phases.launch": "At the end of which phase does the LMS go live?",
    "partners": "Which partners are candidates?",
    "partners.name": "What is the partner called?",
    "partners.type": "What kind of partner is it?",
    "partners.scores": "How does it score on each criterion?",
    "partners.weeks_to_launch": "In how many weeks does it promise to launch?",
    "chosen_partner": "Which partner is chosen (or favoured) today? (optional)",
    "answers": "The interview's answers",
}


@dataclass(frozen=True)
class InterviewProblem:
    """One wrong answer: where (``departments[2] 'Finance'``), which question, what, the value."""

    where: str
    field: str
    message: str
    value: Any = None
    has_value: bool = True

    @property
    def question(self) -> str:
        """The question the field answers."""
        return QUESTIONS.get(self.field, QUESTIONS.get(self.field.split(".")[-1], self.field))

    def __str__(self) -> str:
        head = f"{self.where}: " if self.where else ""
        text = f'{head}"{self.question}" ({self.field}): {self.message}'
        return f"{text}, got {_show(self.value)}" if self.has_value else text


class InterviewError(ValueError):
    """Wrong or missing answers; ``problems`` lists each, naming the question and the value."""

    def __init__(self, problems: list[InterviewProblem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        lines = [str(p) for p in problems] or ["invalid answers"]
        head = f"{source}: " if source else ""
        if len(lines) == 1:
            text = head + lines[0]
        else:
            text = f"{head}{len(lines)} problems\n" + "\n".join(f"  {ln}" for ln in lines)
        super().__init__(text)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Label = Annotated[str, BeforeValidator(_strip), Field(max_length=200)]
Text = Annotated[str, Field(max_length=5000)]
AttributeValue = Annotated[bool | int | float | str, Field(union_mode="smart")]


class _Answers(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, str_strip_whitespace=False
    )


class PairJudgement(_Answers):
    """One pairwise comparison: ``more`` matters ``by`` (a Saaty label) compared with ``than``."""

    more: Label
    than: Label
    by: Label = "equally"


class Priorities(_Answers):
    """A department's priorities for a partner: a ranking, or comparisons in pairs (AHP)."""

    rank: list[Label] | None = None
    pairs: list[PairJudgement] | None = None


class ConcernChoice(_Answers):
    """A concern: a library id with an adjusted effort, or a concern of the organisation's own."""

    id: Label | None = None
    name: Label | None = None
    kind: Label | None = None
    due: Label | None = None
    effort: Annotated[float, Field(ge=0.0, le=1000.0)] | None = None
    blocks_launch: bool | None = None
    description: Text | None = None


class DepartmentAnswers(_Answers):
    """The answers about one department."""

    name: Annotated[str, Field(max_length=200)]
    id: Label | None = None
    function: Label
    sign_off: Label
    listens_to: dict[Label, Label] = Field(default_factory=dict)
    firmness: Label
    leaning: Label
    clout: Label | None = None
    cares: Label | None = None
    priorities: Priorities | None = None
    involved_from: Label
    concerns: Literal["typical"] | list[Label | ConcernChoice] = Field(default_factory=list)
    description: Text | None = None
    attributes: dict[Label, AttributeValue] = Field(default_factory=dict)


class OrganisationAnswers(_Answers):
    """The organisation and its project."""

    name: Annotated[str, Field(max_length=200)]
    description: Text = ""
    learners: Annotated[int, Field(ge=1, le=1_000_000_000)]
    launch_target: Annotated[float, Field(gt=0.0, le=1000.0)]


class DurationAnswer(_Answers):
    """A phase's duration in weeks."""

    optimistic: Annotated[float, Field(ge=0.0, le=520.0)]
    likely: Annotated[float, Field(ge=0.0, le=520.0)]
    pessimistic: Annotated[float, Field(ge=0.0, le=520.0)]


class PhaseAnswers(_Answers):
    """Changes to the standard phase template."""

    durations: dict[Label, DurationAnswer] = Field(default_factory=dict)
    launch: Label = "launch"


class PartnerAnswers(_Answers):
    """A candidate partner."""

    name: Annotated[str, Field(max_length=200)]
    id: Label | None = None
    type: Label
    scores: dict[Label, float] = Field(default_factory=dict)
    weeks_to_launch: Annotated[float, Field(gt=0.0, le=1000.0)]
    description: Text | None = None


class Answers(_Answers):
    """The whole interview."""

    organisation: OrganisationAnswers
    departments: Annotated[list[DepartmentAnswers], Field(min_length=1, max_length=60)]
    phases: PhaseAnswers = Field(default_factory=PhaseAnswers)
    partners: list[PartnerAnswers] = Field(default_factory=list)
    chosen_partner: Label | None = None


def _field_of(loc: tuple[Any, ...]) -> tuple[str, str]:
    """(where, field) of a pydantic location, e.g. ('departments[2]', 'firmness')."""
    where, field = "", ""
    parts = list(loc)
    if parts and parts[0] in ("departments", "partners") and len(parts) > 1:
        table = parts[0]
        where = f"{table}[{parts[1]}]"
        rest = [p for p in parts[2:] if isinstance(p, str)]
        field = rest[0] if rest else table
        if table == "partners":
            field = f"partners.{field}" if rest else "partners"
        elif field == "priorities" and len(rest) > 1 and rest[1] in ("rank", "pairs"):
            field = f"priorities.{rest[1]}"
    else:
        names = [p for p in parts if isinstance(p, str)]
        field = ".".join(names[:2]) if names else ""
    return where, field


_PYDANTIC = {
    "missing": "required: please answer",
    "string_type": "must be text",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "bool_type": "must be yes or no (true/false)",
    "bool_parsing": "must be yes or no (true/false)",
    "dict_type": "must be a mapping (key: value pairs)",
    "model_type": "must be a mapping (key: value pairs)",
    "list_type": "must be a list",
    "finite_number": "must be a finite number",
}


def _names_in(raw: Any, table: str, index: Any) -> str:
    try:
        name = raw[table][index]["name"]
    except (KeyError, IndexError, TypeError):
        return ""
    return f" {_show(name, 40)}" if isinstance(name, str) else ""


def parse_answers(raw: Any, *, source: str | None = None) -> Answers:
    """Validate the shape of answers (types, required questions, unknown keys).

    The meaning (known labels, departments, criteria, phases) is checked by
    :func:`lmsdecide.interview.check_answers`; both raise :class:`InterviewError`.
    """
    if isinstance(raw, Answers):
        return raw
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else f"a {type(raw).__name__}"
        raise InterviewError(
            [InterviewProblem("", "", f"answers must be a mapping, got {kind}", has_value=False)],
            source,
        )
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        problems = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            # a union reports each branch; the first names the problem well enough (a tag
            # follows a field: a first element named like one is the user's own key, "bool")
            loc = loc[:1] + tuple(
                p for p in loc[1:] if not (isinstance(p, str) and p in _UNION_TAGS)
            )
            where, field = _field_of(loc)
            if where and loc:
                where += _names_in(raw, str(loc[0]), loc[1])
            kind = err.get("type", "")
            in_concerns = "concerns" in loc and len(exc.errors()) > 1
            if in_concerns and kind == "literal_error" and "typical" in str(err.get("msg", "")):
                continue  # concerns: the list branch of the union says what is wrong
            if in_concerns and kind == "string_type" and isinstance(err.get("input"), dict):
                continue  # a concern given as a mapping: the ConcernChoice branch says what
            if kind == "extra_forbidden":
                field = _field_of(loc[:-1])[1] or "answers"
                if where and field == loc[0]:
                    field = str(loc[0])
                known = _known_keys(loc)
                close = difflib.get_close_matches(str(loc[-1]), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problem = InterviewProblem(where, field, f"unknown question{hint}", loc[-1])
            elif kind == "missing":
                problem = InterviewProblem(where, field, _PYDANTIC[kind], has_value=False)
            elif kind in _PYDANTIC:
                problem = InterviewProblem(where, field, _PYDANTIC[kind], err.get("input"))
            else:
                message = str(err.get("msg", "invalid answer"))
                message = message.removeprefix("Value error, ")
                message = message.replace("Input should be", "must be")
                message = message.replace("String should have", "must have")
                problem = InterviewProblem(where, field, message, err.get("input"))
            key = (where, field)
            if key in seen:
                continue
            seen.add(key)
            problems.append(problem)
        if not problems:  # every error was a union branch shadowed by another: show the first
            err = exc.errors()[0]
            where, field = _field_of(tuple(err.get("loc", ())))
            problems.append(
                InterviewProblem(where, field, str(err.get("msg", "invalid")), err.get("input"))
            )
        raise InterviewError(problems, source) from None


_UNION_TAGS = {
    "str",
    "bool",
    "int",
    "float",
    "ConcernChoice",
    "literal['typical']",
    "list[union[str,ConcernChoice]]",
}


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Answers
    for part in loc[:-1]:
        if not isinstance(part, str):
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        ann = field.annotation
        for candidate in (
            DepartmentAnswers,
            PartnerAnswers,
            OrganisationAnswers,
            PhaseAnswers,
            Priorities,
            ConcernChoice,
            PairJudgement,
        ):
            if candidate is ann or candidate.__name__ in str(ann):
                model = candidate
                break
    return list(model.model_fields)
