"""The participants' forms: pages of the questionnaire and the validation of what they send.

No I/O and no web framework here: :func:`pages` lists the questionnaire's pages for a scenario,
:func:`validate_page` turns a submitted form (field -> list of values, as every web framework
parses it) into answer rows or a list of problems naming the field and the value. Nothing is
stored unless the whole page is valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lmsdecide.room.questions import COMMENT_MAX, MAPPINGS, NAME_MAX, NOBODY
from lmsdecide.scenario import NEVER, Scenario

__all__ = ["CRITERIA", "Page", "clean_text", "pages", "validate_name", "validate_page"]

#: Subject of the criteria page's answers.
CRITERIA = "criteria"
#: Most values accepted for one field (the checkboxes of a scenario's departments fit well).
MAX_VALUES = 64


@dataclass(frozen=True)
class Page:
    """One page of the questionnaire: a department's questions, or the criteria comparisons."""

    index: int
    kind: str  # "department" or "criteria"
    subject: str  # department id, or CRITERIA
    title: str
    pairs: tuple[tuple[str, str], ...] = ()  # criterion id pairs (i < j in scenario order)


def pages(scenario: Scenario) -> tuple[Page, ...]:
    """The questionnaire's pages: one per department, then the criteria (when 2 or more)."""
    out = [Page(i, "department", d.id, d.name) for i, d in enumerate(scenario.departments)]
    crit = [c.id for c in scenario.criteria]
    if len(crit) >= 2:
        pairs = tuple((crit[i], crit[j]) for i in range(len(crit)) for j in range(i + 1, len(crit)))
        out.append(Page(len(out), "criteria", CRITERIA, "Choosing a partner", pairs))
    return tuple(out)


def clean_text(value: str, limit: int) -> str:
    """Text with control characters (other than newlines and tabs) removed, trimmed."""
    kept = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    return kept.strip()[: limit + 1]


def validate_name(values: Sequence[str]) -> tuple[str, list[str]]:
    """A participant's optional name: (cleaned name, problems)."""
    if len(values) > 1:
        return "", ["name: give one name"]
    name = clean_text(values[0], NAME_MAX) if values else ""
    if len(name) > NAME_MAX:
        return "", [f"name: at most {NAME_MAX} characters, got {len(name)}+"]
    return name, []


def _one(form: Mapping[str, Sequence[str]], field: str, problems: list[str]) -> str | None:
    values = form.get(field, [])
    if len(values) > 1:
        problems.append(f"{field}: give one answer, got {len(values)}")
        return None
    return values[0] if values and values[0] != "" else None


def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def validate_page(
    scenario: Scenario, page: Page, form: Mapping[str, Sequence[str]]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Answer rows (subject, question, value) of a submitted page, and the problems found.

    Unanswered questions are simply not recorded; an answer outside the allowed values, a text
    over its length limit or an unknown field makes the whole page invalid (rows are then empty).
    """
    problems: list[str] = []
    rows: list[tuple[str, str, str]] = []
    if any(len(v) > MAX_VALUES for v in form.values()):
        return [], [f"form: at most {MAX_VALUES} values per field"]
    known = {"_xsrf", "comment"}
    if page.kind == "department":
        dept = page.subject
        for key in ("power", "interest", "say", "firmness"):
            known.add(key)
            value = _one(form, key, problems)
            if value is None:
                continue
            try:
                MAPPINGS[key].number(value)
            except KeyError:
                allowed = ", ".join(c.value for c in MAPPINGS[key].choices)
                problems.append(f"{key}: must be one of {allowed}; got {_show(value)}")
                continue
            rows.append((dept, key, value))
        known.add("phase")
        phase = _one(form, "phase", problems)
        if phase is not None:
            if phase in (*scenario.phase_ids, NEVER):
                rows.append((dept, "phase", phase))
            else:
                problems.append(
                    f"phase: must be one of {', '.join(scenario.phase_ids)}, {NEVER}; "
                    f"got {_show(phase)}"
                )
        known.add("listens")
        listens = [v for v in form.get("listens", []) if v != ""]
        if listens:
            others = [d for d in scenario.department_ids if d != dept]
            unknown = [v for v in listens if v not in others and v != NOBODY]
            if unknown:
                problems.append(f"listens: unknown department {_show(unknown[0])}")
            elif NOBODY in listens and len(listens) > 1:
                problems.append("listens: tick departments or 'nobody', not both")
            else:
                chosen = [d for d in others if d in listens]  # scenario order, no duplicates
                rows.append((dept, "listens", ",".join(chosen) if chosen else NOBODY))
    else:
        names = {c.id for c in scenario.criteria}
        judgements = [c.value for c in MAPPINGS["pairwise"].choices]
        for a, b in page.pairs:
            assert a in names and b in names
            field = f"pair:{a}:{b}"
            known.add(field)
            value = _one(form, field, problems)
            if value is None:
                continue
            if value not in judgements:
                problems.append(
                    f"{field}: must be one of {', '.join(judgements)}; got {_show(value)}"
                )
                continue
            rows.append((f"{a}|{b}", "pairwise", value))
    comment = _one(form, "comment", problems)
    if comment is not None:
        text = clean_text(comment, COMMENT_MAX)
        if len(text) > COMMENT_MAX:
            problems.append(f"comment: at most {COMMENT_MAX} characters, got {len(comment)}")
        elif text:
            rows.append((page.subject, "comment", text))
    extra = sorted(set(form) - known)
    if extra:
        problems.append(f"form: unknown field {_show(extra[0])}")
    return ([] if problems else rows), problems
