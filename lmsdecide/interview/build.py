"""From the interview's answers to a validated :class:`~lmsdecide.scenario.Scenario`.

:func:`check_answers` checks the meaning of the answers (known labels, departments, criteria,
phases, concerns) and reports every wrong answer at once, naming the question and the value.
:func:`build_scenario` maps the answers to numbers through the tables of
:mod:`lmsdecide.interview.mappings` and validates the result with the scenario's own validation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lmsdecide.interview import mappings as M
from lmsdecide.interview.answers import (
    Answers,
    ConcernChoice,
    DepartmentAnswers,
    InterviewError,
    InterviewProblem,
    Priorities,
    parse_answers,
)
from lmsdecide.interview.library import CONCERN_KINDS, concern_library, concern_row
from lmsdecide.scenario import (
    FUNCTIONS,
    NEVER,
    Partner,
    Phase,
    Scenario,
    ScenarioError,
    validate_scenario,
)

__all__ = [
    "CR_LIMIT",
    "PriorityWeights",
    "build_scenario",
    "build_scenario_data",
    "check_answers",
    "criteria_ids",
    "department_ids",
    "priority_weights",
    "roc_weights",
    "slugify",
]

#: Saaty's (1980) limit on the consistency ratio of pairwise comparisons: above it the
#: judgements are shown as inconsistent (the weights are still used).
CR_LIMIT = 0.1


def roc_weights(n: int) -> np.ndarray:
    """Rank-order centroid weights of ranks 1..n: w_k = (1/n) sum_{i=k}^{n} 1/i.

    Barron, F. H. & Barrett, B. E. (1996), "Decision quality using ranked attribute weights",
    Management Science 42(11), 1515-1523. For n = 3: 11/18, 5/18, 2/18.
    """
    if n < 1:
        raise ValueError(f"n: must be at least 1, got {n}")
    inverse = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inverse[::-1])[::-1] / n


@dataclass(frozen=True)
class PriorityWeights:
    """Criteria weights from a ranking (ROC) or pairwise comparisons (AHP, with its CR)."""

    method: str  # "rank" or "ahp"
    weights: dict[str, float]
    consistency_ratio: float | None = None

    @property
    def consistent(self) -> bool:
        """True for a ranking, or when the AHP consistency ratio is within :data:`CR_LIMIT`."""
        return self.consistency_ratio is None or self.consistency_ratio <= CR_LIMIT


def slugify(text: str, fallback: str) -> str:
    """An id from a name: ascii lower case, digits and underscores, starting with a letter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")
    if not slug:
        return fallback
    return slug if slug[0].isalpha() else f"{fallback}_{slug}"[:40]


def department_ids(answers: Answers) -> list[str]:
    """The department ids: the given ``id``, else one made from the name (made unique)."""
    ids: list[str] = []
    for i, dept in enumerate(answers.departments):
        base = dept.id or slugify(dept.name, f"dept_{i + 1}")
        candidate, k = base, 2
        while candidate in ids:
            candidate, k = f"{base}_{k}", k + 1
        ids.append(candidate)
    return ids


def _partner_ids(answers: Answers) -> list[str]:
    ids: list[str] = []
    for i, partner in enumerate(answers.partners):
        base = partner.id or slugify(partner.name, f"partner_{i + 1}")
        candidate, k = base, 2
        while candidate in ids:
            candidate, k = f"{base}_{k}", k + 1
        ids.append(candidate)
    return ids


def _listened_to(other: str, ids: Sequence[str], names: Mapping[str, str]) -> str | None:
    """The id of the department a ``listens_to`` key names: a department's name first (what
    the answers write), else its id; None when neither."""
    if other in names:
        return names[other]
    return other if other in ids else None


def _names(answers: Answers, ids: Sequence[str]) -> dict[str, str]:
    """Department name -> id; a name also as stripped (answers are stripped when referred to)."""
    names: dict[str, str] = {}
    for dept_id, dept in zip(ids, answers.departments, strict=True):
        names.setdefault(dept.name.strip(), dept_id)
        names.setdefault(dept.name, dept_id)
    return names


def _choices(table: Mapping[str, Any] | Sequence[str]) -> str:
    return ", ".join(repr(k) for k in table)


def criteria_ids() -> list[str]:
    """Ids of the standard partner-selection criteria."""
    return [c["id"] for c in M.STANDARD_CRITERIA]


def _phase_ids() -> list[str]:
    return [p["id"] for p in M.STANDARD_PHASES]


def _phase_names() -> dict[str, str]:
    return {p["name"].lower(): p["id"] for p in M.STANDARD_PHASES}


def _resolve_phase(value: str, allow_never: bool) -> str | None:
    """A phase id from an id or a phase's name (case-insensitive); None when unknown."""
    if value in _phase_ids() or (allow_never and value == NEVER):
        return value
    return _phase_names().get(value.lower())


def _unknown(what: str, value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what}{hint}"


def priority_weights(priorities: Priorities, criteria: Sequence[str]) -> PriorityWeights:
    """Criteria weights of one department, or ``ValueError`` naming the wrong value.

    A ranking gives rank-order centroid weights to the ranked criteria (the others weigh 0).
    Pairwise comparisons give AHP eigenvector weights (Saaty 1980) over the criteria they
    mention, which must be compared in every pair, with the consistency ratio.
    """
    if priorities.rank is not None and priorities.pairs is not None:
        raise ValueError("answer either rank or pairs, not both")
    if priorities.rank is not None:
        ranked = list(priorities.rank)
        if not ranked:
            raise ValueError("rank at least one criterion")
        for item in ranked:
            if item not in criteria:
                raise ValueError(f"{_unknown('criterion', item, criteria)}, got {item!r}")
        repeated = sorted({c for c in ranked if ranked.count(c) > 1})
        if repeated:
            raise ValueError(f"a criterion is ranked twice, got {repeated[0]!r}")
        w = roc_weights(len(ranked))
        return PriorityWeights(
            "rank", {c: float(round(x, 6)) for c, x in zip(ranked, w, strict=True)}
        )
    pairs = priorities.pairs or []
    if not pairs:
        raise ValueError("rank the criteria or compare them in pairs")
    labels: list[str] = []
    judgements: dict[tuple[str, str], float] = {}
    for pair in pairs:
        for item in (pair.more, pair.than):
            if item not in criteria:
                raise ValueError(f"{_unknown('criterion', item, criteria)}, got {item!r}")
            if item not in labels:
                labels.append(item)
        if pair.more == pair.than:
            raise ValueError(f"a criterion is compared with itself, got {pair.more!r}")
        if pair.by not in M.SAATY:
            raise ValueError(f"must be one of {_choices(M.SAATY)}, got {pair.by!r}")
        key = (pair.more, pair.than)
        if key in judgements or key[::-1] in judgements:
            raise ValueError(f"a pair is compared twice, got {pair.more!r} and {pair.than!r}")
        judgements[key] = M.SAATY[pair.by]
    n = len(labels)
    a = np.ones((n, n))
    for (x, y), value in judgements.items():
        i, j = labels.index(x), labels.index(y)
        a[i, j], a[j, i] = value, 1.0 / value
    missing = [
        (labels[i], labels[j])
        for i in range(n)
        for j in range(i + 1, n)
        if (labels[i], labels[j]) not in judgements and (labels[j], labels[i]) not in judgements
    ]
    if missing:
        x, y = missing[0]
        raise ValueError(
            f"every pair of the compared criteria needs a judgement; missing {len(missing)}, "
            f"the first {x!r} and {y!r}"
        )
    from lmsdecide.partner.ahp import ahp_weights  # only here: the partner package is heavy

    result = ahp_weights(a, labels=labels)
    weights = {c: float(round(x, 6)) for c, x in zip(labels, result.weights, strict=True)}
    return PriorityWeights("ahp", weights, float(result.cr))


def _check_label(
    problems: list[InterviewProblem],
    where: str,
    field: str,
    value: str | None,
    table: Mapping[str, Any],
) -> None:
    if value is not None and value not in table:
        problems.append(InterviewProblem(where, field, f"must be one of {_choices(table)}", value))


def _where(index: int, dept: DepartmentAnswers) -> str:
    from lmsdecide.scenario import _show

    return f"departments[{index}] {_show(dept.name, 40)}"


def check_answers(raw: Any, *, source: str | None = None) -> Answers:
    """Parse and check the answers; every wrong answer at once in an :class:`InterviewError`."""
    answers = parse_answers(raw, source=source)
    problems: list[InterviewProblem] = []
    criteria = criteria_ids()
    library = concern_library()
    ids = department_ids(answers)
    names = _names(answers, ids)
    if not answers.organisation.name.strip():
        problems.append(
            InterviewProblem(
                "", "organisation.name", "must not be empty", answers.organisation.name
            )
        )
    for i, dept in enumerate(answers.departments):
        where = _where(i, dept)
        if not dept.name.strip():
            problems.append(InterviewProblem(where, "name", "must not be empty", dept.name))
        if dept.id is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", dept.id):
            problems.append(
                InterviewProblem(
                    where,
                    "id",
                    "must be lower-case letters, digits and underscores, starting with a letter",
                    dept.id,
                )
            )
        if dept.function not in FUNCTIONS:
            message = (
                "must not be empty"
                if not dept.function
                else _unknown("function", dept.function, FUNCTIONS)
                + f"; one of {_choices(FUNCTIONS)}"
            )
            problems.append(InterviewProblem(where, "function", message, dept.function))
        _check_label(problems, where, "sign_off", dept.sign_off, M.SIGN_OFF)
        _check_label(problems, where, "firmness", dept.firmness, M.FIRMNESS)
        _check_label(problems, where, "leaning", dept.leaning, M.LEANING)
        _check_label(problems, where, "clout", dept.clout, M.CLOUT)
        _check_label(problems, where, "cares", dept.cares, M.CARES)
        heard: dict[str, str] = {}
        for other, how in dept.listens_to.items():
            target = _listened_to(other, ids, names)
            if target is None:
                problems.append(
                    InterviewProblem(where, "listens_to", _unknown("department", other, ids), other)
                )
            elif target in heard:
                problems.append(
                    InterviewProblem(
                        where,
                        "listens_to",
                        f"names the same department as {heard[target]!r} ({target})",
                        other,
                    )
                )
            else:
                heard[target] = other
            _check_label(problems, where, "listens_to", how, M.LISTENS)
        if _resolve_phase(dept.involved_from, allow_never=True) is None:
            problems.append(
                InterviewProblem(
                    where,
                    "involved_from",
                    _unknown("phase", dept.involved_from, [*_phase_ids(), NEVER])
                    + f"; one of {_choices([*_phase_ids(), NEVER])}",
                    dept.involved_from,
                )
            )
        if dept.priorities is not None:
            field = "priorities.rank" if dept.priorities.rank is not None else "priorities.pairs"
            try:
                found = priority_weights(dept.priorities, criteria)
            except ValueError as exc:
                message, _, got = str(exc).partition(", got ")
                problems.append(
                    InterviewProblem(where, field, message, got.strip("'"), has_value=bool(got))
                )
            else:
                del found
        if isinstance(dept.concerns, list):
            for item in dept.concerns:
                problems.extend(_concern_problems(where, item, library))
        for key in dept.attributes:
            if not key or len(key) > 64 or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_ -]*", key):
                problems.append(
                    InterviewProblem(
                        where,
                        "attributes",
                        "an attribute's name must start with a letter and hold letters, "
                        "digits, spaces, '-' or '_' (at most 64)",
                        key,
                    )
                )
    says = [M.SIGN_OFF.get(d.sign_off) for d in answers.departments]
    if all(x is not None and x <= 0 for x in says):
        problems.append(
            InterviewProblem(
                "departments",
                "sign_off",
                "at least one department needs a formal say (any answer but 'no formal say')",
                answers.departments[0].sign_off,
            )
        )
    if _resolve_phase(answers.phases.launch, allow_never=False) is None:
        problems.append(
            InterviewProblem(
                "",
                "phases.launch",
                _unknown("phase", answers.phases.launch, _phase_ids()),
                answers.phases.launch,
            )
        )
    for key, value in answers.phases.durations.items():
        if _resolve_phase(key, allow_never=False) is None:
            problems.append(
                InterviewProblem("", "phases.durations", _unknown("phase", key, _phase_ids()), key)
            )
        if not value.optimistic <= value.likely <= value.pessimistic:
            problems.append(
                InterviewProblem(
                    f"phases.durations.{key}",
                    "phases.durations",
                    "must satisfy optimistic <= likely <= pessimistic",
                    f"{value.optimistic:g}, {value.likely:g}, {value.pessimistic:g}",
                )
            )
    partner_ids = _partner_ids(answers)
    for i, partner in enumerate(answers.partners):
        from lmsdecide.scenario import _show

        where = f"partners[{i}] {_show(partner.name, 40)}"
        if not partner.name.strip():
            problems.append(InterviewProblem(where, "partners.name", "must not be empty", ""))
        if (
            partner.type not in M.PARTNER_TYPE_LABELS
            and partner.type not in M.PARTNER_TYPE_LABELS.values()
        ):
            problems.append(
                InterviewProblem(
                    where,
                    "partners.type",
                    f"must be one of {_choices(M.PARTNER_TYPE_LABELS)}",
                    partner.type,
                )
            )
        scored = [c for c in criteria if c != M.TIME_TO_LAUNCH]
        for key in partner.scores:
            if key not in scored:
                problems.append(
                    InterviewProblem(
                        where, "partners.scores", _unknown("criterion", key, scored), key
                    )
                )
        for key in scored:
            if key not in partner.scores:
                problems.append(
                    InterviewProblem(
                        where, "partners.scores", f"no score for criterion {key!r}", has_value=False
                    )
                )
    chosen = answers.chosen_partner
    if (
        chosen is not None
        and chosen not in partner_ids
        and chosen not in {p.name.strip() for p in answers.partners}
    ):
        problems.append(
            InterviewProblem("", "chosen_partner", _unknown("partner", chosen, partner_ids), chosen)
        )
    if problems:
        raise InterviewError(problems, source)
    return answers


def _concern_problems(
    where: str, item: str | ConcernChoice, library: Any
) -> list[InterviewProblem]:
    problems: list[InterviewProblem] = []
    concern_id = item if isinstance(item, str) else item.id
    if concern_id is not None and library.find(concern_id) is None:
        problems.append(
            InterviewProblem(
                where, "concerns", _unknown("concern", concern_id, library.ids), concern_id
            )
        )
    if isinstance(item, ConcernChoice):
        if item.id is None:
            for field in ("name", "kind", "due", "effort"):
                if getattr(item, field) is None:
                    problems.append(
                        InterviewProblem(
                            where,
                            "concerns",
                            f"a concern of your own needs a {field} "
                            "(or pick an id from the library)",
                            item.name or "",
                        )
                    )
        if item.kind is not None and item.kind not in CONCERN_KINDS:
            problems.append(
                InterviewProblem(
                    where, "concerns", f"kind must be one of {_choices(CONCERN_KINDS)}", item.kind
                )
            )
        if item.due is not None and _resolve_phase(item.due, allow_never=False) is None:
            problems.append(
                InterviewProblem(
                    where, "concerns", _unknown("phase", item.due, _phase_ids()), item.due
                )
            )
    return problems


def _concern_rows(dept_id: str, dept: DepartmentAnswers) -> list[dict[str, Any]]:
    library = concern_library()
    items: list[str | ConcernChoice]
    if dept.concerns == "typical":
        items = [c.id for c in library.for_function(dept.function)]
    else:
        items = list(dept.concerns)
    rows = []
    for item in items:
        choice = ConcernChoice(id=item) if isinstance(item, str) else item
        base = library.find(choice.id) if choice.id else None
        due = choice.due or (base.due if base else None)
        rows.append(
            concern_row(
                dept_id,
                choice.name or (base.name if base else ""),
                _resolve_phase(due or "", allow_never=False) or "",
                float(
                    choice.effort if choice.effort is not None else (base.effort if base else 0.0)
                ),
                kind=choice.kind or (base.kind if base else None),
                blocks_launch=(
                    choice.blocks_launch
                    if choice.blocks_launch is not None
                    else (base.blocks_launch if base else None)
                ),
                description=choice.description,
            )
        )
    return rows


def build_scenario_data(raw: Any, *, source: str | None = None) -> dict[str, Any]:
    """Plain scenario data from the answers (checked first; see :func:`check_answers`)."""
    answers = check_answers(raw, source=source)
    criteria = criteria_ids()
    ids = department_ids(answers)
    by_name = _names(answers, ids)
    departments, influence, concerns = [], [], []
    engagement: dict[str, str] = {}
    rights: dict[str, str] = {}
    for dept_id, dept in zip(ids, answers.departments, strict=True):
        base = M.FUNCTION_DEFAULTS[dept.function]
        row: dict[str, Any] = {
            "id": dept_id,
            "name": dept.name,
            "function": dept.function,
            "power": M.CLOUT[dept.clout] if dept.clout else base["power"],
            "interest": M.CARES[dept.cares] if dept.cares else base["interest"],
            "legitimacy": base["legitimacy"],
            "urgency": base["urgency"],
            "authority": M.SIGN_OFF[dept.sign_off],
            "susceptibility": M.FIRMNESS[dept.firmness],
            "position": M.LEANING[dept.leaning],
        }
        if dept.priorities is not None:
            row["criteria_weights"] = priority_weights(dept.priorities, criteria).weights
        if dept.description:
            row["description"] = dept.description
        if dept.attributes:
            row["attributes"] = dict(dept.attributes)
        departments.append(row)
        for other, how in dept.listens_to.items():
            target = _listened_to(other, ids, by_name)
            assert target is not None  # check_answers refused an unknown department
            influence.append({"from": dept_id, "to": target, "weight": M.LISTENS[how]})
        engagement[dept_id] = _resolve_phase(dept.involved_from, allow_never=True) or NEVER
        concerns.extend(_concern_rows(dept_id, dept))
        role = M.SIGN_OFF_RIGHTS[dept.sign_off]
        if role == "A" and "A" in rights.values():
            role = "R"
        rights[dept_id] = role
    if "A" not in rights.values():
        top = max(ids, key=lambda d: (departments[ids.index(d)]["authority"], -ids.index(d)))
        rights[top] = "A"
    phases = []
    # a per-phase escalation only where the scenario's Phase still requires one (newer versions
    # declare escalation per concern kind and accept the per-phase range for old files only)
    phase_escalation = (
        "escalation" in Phase.model_fields and Phase.model_fields["escalation"].is_required()
    )
    for template in M.STANDARD_PHASES:
        phase = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in template.items()}
        if not phase_escalation:
            phase.pop("escalation", None)
        for key, value in answers.phases.durations.items():
            if _resolve_phase(key, allow_never=False) == phase["id"]:
                phase["duration"] = value.model_dump()
        phases.append(phase)
    partner_ids = _partner_ids(answers)
    partners = []
    for pid, partner in zip(partner_ids, answers.partners, strict=True):
        kind = M.PARTNER_TYPE_LABELS.get(partner.type, partner.type)
        entry: dict[str, Any] = {
            "id": pid,
            "name": partner.name,
            "type": kind,
            "scores": {**partner.scores, M.TIME_TO_LAUNCH: partner.weeks_to_launch},
        }
        if "promised_weeks" in Partner.model_fields:  # the timing models read the promise
            entry["promised_weeks"] = partner.weeks_to_launch
        if partner.description:
            entry["description"] = partner.description
        partners.append(entry)
    data: dict[str, Any] = {
        "name": answers.organisation.name,
        "description": answers.organisation.description,
        "launch_target": answers.organisation.launch_target,
        "learners": answers.organisation.learners,
        "departments": departments,
        "influence": influence,
        "phases": phases,
        "engagement": engagement,
        "concerns": concerns,
        "criteria": [dict(c) for c in M.STANDARD_CRITERIA] if partners else [],
        "partners": partners,
        "launch_phase": _resolve_phase(answers.phases.launch, allow_never=False),
        "decisions": [
            {
                "id": "partner_selection",
                "name": "Choose the system and the implementation partner",
                "learning_defining": True,
                "rights": rights,
            }
        ],
    }
    chosen = answers.chosen_partner
    if chosen is not None:
        data["selected_partner"] = (
            chosen
            if chosen in partner_ids
            else partner_ids[[p.name.strip() for p in answers.partners].index(chosen)]
        )
    if not partners:
        for row in departments:
            row.pop("criteria_weights", None)
    return data


def build_scenario(raw: Any, *, source: str | None = None) -> Scenario:
    """The validated scenario the answers describe.

    Parameters
    ----------
    raw
        :class:`~lmsdecide.interview.Answers`, or plain data as read from an answers file.

    Raises
    ------
    InterviewError
        A wrong or missing answer, naming the question and the value (every one at once).
    """
    data = build_scenario_data(raw, source=source)
    try:
        return validate_scenario(data)
    except ScenarioError as exc:  # an answer the checks above let through
        raise InterviewError(
            [InterviewProblem("", "answers", str(p), has_value=False) for p in exc.problems],
            source,
        ) from None
