"""The Excel workbook format: one sheet per table, for analysts who live in spreadsheets.

Sheets (header row first; empty cells mean "not given"):

========================  ========================================================================
sheet                     columns
========================  ========================================================================
``scenario``              ``field``, ``value``: name, description, launch_target, learners,
                          launch_phase, selected_partner, mandatory_use, adoption_ceiling
``departments``           id, name, function, power, interest, legitimacy, urgency, authority,
                          susceptibility, position, description, ``weight:<criterion>`` and
                          ``attr:<name>`` (the organisation's own attributes, never model inputs)
``phase_attributes``      department, phase, power, interest, legitimacy, urgency
``influence``             from, to, weight
``phases``                id, name, optimistic, likely, pessimistic (escalation_low and
                          escalation_high, of files from earlier versions, when given)
``engagement``            department, phase
``concerns``              department, name, due, effort, kind, blocks_launch, description
``criteria``              id, name, direction, must_have, weight_low, weight_high, unit,
                          description
``partners``              id, name, type, promised_weeks, description, ``score:<criterion>``,
                          ``score_low:<criterion>``, ``score_high:<criterion>``,
                          ``expertise:<area>``
``team_expertise``        area, level
``decisions``             id, name, learning_defining, ``rights:<department>`` (R/A/C/I)
``escalation``            kind, low, high, cap, source (late-concern escalation per kind)
========================  ========================================================================

Every workbook written opens on a "How to fill this in" sheet (ignored when read) and carries
drop-down lists and number limits matching the validation (:mod:`lmsdecide._excel_guide`).

Text cells are always written as text, never as formulas, so a name beginning with ``=`` stays a
name (and cannot run as a formula when the workbook is opened).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import math
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from lmsdecide.scenario import Problem, ScenarioError

SCALARS = (
    "name",
    "description",
    "launch_target",
    "learners",
    "selected_partner",
    "launch_phase",
    "mandatory_use",
    "adoption_ceiling",
)
DEPARTMENT_COLUMNS = (
    "id",
    "name",
    "function",
    "power",
    "interest",
    "legitimacy",
    "urgency",
    "authority",
    "susceptibility",
    "position",
    "description",
)
ATTRIBUTES = ("power", "interest", "legitimacy", "urgency")
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "influence": ("from", "to", "weight"),
    "phases": (
        "id",
        "name",
        "optimistic",
        "likely",
        "pessimistic",
        "escalation_low",
        "escalation_high",
    ),
    "engagement": ("department", "phase"),
    "concerns": ("department", "name", "due", "effort", "kind", "blocks_launch", "description"),
    "criteria": (
        "id",
        "name",
        "direction",
        "must_have",
        "weight_low",
        "weight_high",
        "unit",
        "description",
    ),
    "team_expertise": ("area", "level"),
    "escalation": ("kind", "low", "high", "cap", "source"),
}
SHEETS = (
    "scenario",
    "departments",
    "phase_attributes",
    "influence",
    "phases",
    "engagement",
    "concerns",
    "criteria",
    "partners",
    "team_expertise",
    "decisions",
    "escalation",
)


def _error(message: str, location: str = "") -> ScenarioError:
    return ScenarioError([Problem(location, message, has_value=False)])


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _records(rows: Iterable[tuple[Any, ...]], sheet: str) -> list[dict[str, Any]]:
    """Rows under a header row as dicts; empty cells and empty rows left out."""
    it = iter(rows)
    header = next(it, None)
    if header is None:
        return []
    names = [str(h).strip() if h is not None else "" for h in header]
    records = []
    for row in it:
        if row is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        record: dict[str, Any] = {}
        for name, cell in zip(names, row, strict=False):
            if cell is None or (isinstance(cell, str) and cell == ""):
                continue
            if not name:
                raise _error(f"sheet {sheet!r}: a value stands in a column with no header", sheet)
            record[name] = cell
        records.append(record)
    return records


def _split_prefixed(record: dict[str, Any], prefix: str) -> dict[str, Any]:
    found = {k[len(prefix) :].strip(): v for k, v in record.items() if k.startswith(prefix)}
    for key in [k for k in record if k.startswith(prefix)]:
        del record[key]
    return found


def read_workbook(raw: bytes, *, max_uncompressed: int) -> dict[str, Any]:
    """Plain scenario data from the bytes of a workbook (validation comes after)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _error("not an Excel workbook (.xlsx)") from None
    if total > max_uncompressed:
        raise _error(
            f"the workbook unpacks to {total:,} bytes, over the {max_uncompressed:,}-byte limit; "
            "refused"
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise _error(f"not a readable Excel workbook ({type(exc).__name__})") from None
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()

    from lmsdecide._excel_guide import GUIDE_SHEET

    sheets.pop(GUIDE_SHEET, None)  # the guide, never data
    problems = []
    for title in sheets:
        if title not in SHEETS:
            close = difflib.get_close_matches(title, SHEETS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem("", f"unknown sheet {title!r}{hint}", has_value=False))
    if problems:
        raise ScenarioError(problems)

    data: dict[str, Any] = {}
    for record in _records(sheets.get("scenario", []), "scenario"):
        field = record.get("field")
        if field is not None and "value" in record:
            data[str(field)] = record["value"]

    if "departments" in sheets:
        departments = []
        for record in _records(sheets["departments"], "departments"):
            weights = _split_prefixed(record, "weight:")
            if weights:
                record["criteria_weights"] = weights
            attributes = _split_prefixed(record, "attr:")
            if attributes:
                record["attributes"] = attributes
            departments.append(record)
        by_id = {d.get("id"): d for d in departments}
        for record in _records(sheets.get("phase_attributes", []), "phase_attributes"):
            dept = by_id.get(record.pop("department", None))
            phase = record.pop("phase", None)
            if dept is None or phase is None:
                raise _error(
                    "sheet 'phase_attributes': each row needs a known department and a phase",
                    "phase_attributes",
                )
            dept.setdefault("by_phase", {})[str(phase)] = record
        data["departments"] = departments

    if "influence" in sheets:
        data["influence"] = _records(sheets["influence"], "influence")
    if "phases" in sheets:
        phases = []
        for record in _records(sheets["phases"], "phases"):
            duration = {
                k: record.pop(k) for k in ("optimistic", "likely", "pessimistic") if k in record
            }
            escalation = {
                k.removeprefix("escalation_"): record.pop(k)
                for k in ("escalation_low", "escalation_high")
                if k in record
            }
            if escalation:
                record["escalation"] = escalation
            phases.append({**record, "duration": duration})
        data["phases"] = phases
    if "engagement" in sheets:
        data["engagement"] = {
            r.get("department"): r.get("phase")
            for r in _records(sheets["engagement"], "engagement")
        }
    if "concerns" in sheets:
        data["concerns"] = _records(sheets["concerns"], "concerns")
    if "criteria" in sheets:
        criteria = []
        for record in _records(sheets["criteria"], "criteria"):
            bounds = {
                k: record.pop(f"weight_{k}") for k in ("low", "high") if f"weight_{k}" in record
            }
            if bounds:
                record["weight_range"] = bounds
            criteria.append(record)
        data["criteria"] = criteria
    if "partners" in sheets:
        partners = []
        for record in _records(sheets["partners"], "partners"):
            record["scores"] = _split_prefixed(record, "score:")
            lows = _split_prefixed(record, "score_low:")
            highs = _split_prefixed(record, "score_high:")
            if lows or highs:
                record["score_ranges"] = {
                    key: {
                        k: v
                        for k, v in (("low", lows.get(key)), ("high", highs.get(key)))
                        if v is not None
                    }
                    for key in {**lows, **highs}
                }
            expertise = _split_prefixed(record, "expertise:")
            if expertise:
                record["expertise"] = expertise
            partners.append(record)
        data["partners"] = partners
    if "team_expertise" in sheets:
        data["team_expertise"] = {
            r.get("area"): r.get("level")
            for r in _records(sheets["team_expertise"], "team_expertise")
        }
    if "decisions" in sheets:
        decisions = []
        for record in _records(sheets["decisions"], "decisions"):
            rights = _split_prefixed(record, "rights:")
            decisions.append({**record, "rights": rights})
        data["decisions"] = decisions
    if "escalation" in sheets:
        data["escalation"] = {
            r.pop("kind", None): r for r in _records(sheets["escalation"], "escalation")
        }
    return data


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _union(rows: Iterable[Mapping[str, Any]], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for k in row.get(key, {}) or {}:
            seen[k] = None
    return list(seen)


def _exact_string(value: Any) -> str:
    """Like openpyxl's ``safe_string`` but with Python's shortest exact repr for floats.

    openpyxl writes numbers with ``%.16g``, which loses the last digit of some doubles (for example
    1.7639985042426751); ``repr`` round-trips every finite float exactly and Excel reads it.
    """
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return str(_OPENPYXL_SAFE_STRING(value))


_OPENPYXL_SAFE_STRING: Any = None


@contextlib.contextmanager
def _exact_numbers() -> Iterator[None]:
    global _OPENPYXL_SAFE_STRING
    from openpyxl.cell import _writer

    original = _writer.safe_string
    _OPENPYXL_SAFE_STRING = original
    _writer.safe_string = _exact_string
    try:
        yield
    finally:
        _writer.safe_string = original


def write_workbook(data: Mapping[str, Any]) -> bytes:
    """The bytes of a workbook holding scenario ``data`` (as ``Scenario.to_data()`` gives)."""
    with _exact_numbers():
        return _write_workbook(data)


def add_sheet(book: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    """Add a sheet with a bold header row and ``rows``; text is always text, never a formula.

    Raises :class:`~lmsdecide.scenario.ScenarioError` naming the sheet, row and column of a text
    with control characters (a workbook cannot store them).
    """
    from openpyxl.styles import Font
    from openpyxl.utils.exceptions import IllegalCharacterError

    ws = book.create_sheet(title)
    bold = Font(bold=True)
    for col, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font = bold
        if isinstance(name, str):
            cell.data_type = "s"
        ws.column_dimensions[cell.column_letter].width = max(12, min(40, len(str(name)) + 4))
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            if value is None:
                continue
            try:
                cell = ws.cell(row=r, column=col, value=value)
            except IllegalCharacterError:
                raise _error(
                    f"sheet {title!r}, row {r}, column {header[col - 1]!r}: text with control "
                    "characters cannot be stored in a workbook; save as YAML or JSON instead"
                ) from None
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    ws.freeze_panes = "A2"
    return ws


def write_tables(tables: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """The bytes of a workbook with one protected sheet per table: title -> (header, rows)."""
    import openpyxl

    with _exact_numbers():
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, (header, rows) in tables.items():
            add_sheet(book, title, header, rows)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _write_workbook(data: Mapping[str, Any]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        add_sheet(book, title, header, rows)

    sheet(
        "scenario",
        ["field", "value"],
        [[k, data[k]] for k in SCALARS if data.get(k) not in (None, "")],
    )
    departments = list(data.get("departments", []))
    criteria_keys = _union(departments, "criteria_weights")
    attribute_keys = _union(departments, "attributes")
    sheet(
        "departments",
        [
            *DEPARTMENT_COLUMNS,
            *(f"weight:{c}" for c in criteria_keys),
            *(f"attr:{a}" for a in attribute_keys),
        ],
        [
            [d.get(c) for c in DEPARTMENT_COLUMNS]
            + [d.get("criteria_weights", {}).get(c) for c in criteria_keys]
            + [d.get("attributes", {}).get(a) for a in attribute_keys]
            for d in departments
        ],
    )
    sheet(
        "phase_attributes",
        ["department", "phase", *ATTRIBUTES],
        [
            [d["id"], phase, *(attrs.get(a) for a in ATTRIBUTES)]
            for d in departments
            for phase, attrs in d.get("by_phase", {}).items()
        ],
    )
    sheet(
        "influence",
        list(TABLE_COLUMNS["influence"]),
        [[e["from"], e["to"], e["weight"]] for e in data.get("influence", [])],
    )
    phase_rows = list(data.get("phases", []))
    legacy = any(p.get("escalation") for p in phase_rows)
    phase_columns = list(TABLE_COLUMNS["phases"])
    if not legacy:
        phase_columns = phase_columns[:-2]
    sheet(
        "phases",
        phase_columns,
        [
            [
                p["id"],
                p["name"],
                p["duration"]["optimistic"],
                p["duration"]["likely"],
                p["duration"]["pessimistic"],
            ]
            + (
                [(p.get("escalation") or {}).get("low"), (p.get("escalation") or {}).get("high")]
                if legacy
                else []
            )
            for p in phase_rows
        ],
    )
    sheet(
        "engagement",
        list(TABLE_COLUMNS["engagement"]),
        [[k, v] for k, v in data.get("engagement", {}).items()],
    )
    columns = TABLE_COLUMNS["concerns"]
    sheet(
        "concerns",
        list(columns),
        [[row.get(c) for c in columns] for row in data.get("concerns", [])],
    )
    columns = TABLE_COLUMNS["criteria"]
    sheet(
        "criteria",
        list(columns),
        [
            [
                (row.get("weight_range") or {}).get(c.removeprefix("weight_"))
                if c in ("weight_low", "weight_high")
                else row.get(c)
                for c in columns
            ]
            for row in data.get("criteria", [])
        ],
    )
    partners = list(data.get("partners", []))
    score_keys = _union(partners, "scores")
    range_keys = _union(partners, "score_ranges")
    area_keys = _union(partners, "expertise")
    sheet(
        "partners",
        [
            "id",
            "name",
            "type",
            "promised_weeks",
            "description",
            *(f"score:{c}" for c in score_keys),
            *(f"score_{end}:{c}" for c in range_keys for end in ("low", "high")),
            *(f"expertise:{a}" for a in area_keys),
        ],
        [
            [p["id"], p["name"], p["type"], p.get("promised_weeks"), p.get("description")]
            + [p.get("scores", {}).get(c) for c in score_keys]
            + [
                p.get("score_ranges", {}).get(c, {}).get(end)
                for c in range_keys
                for end in ("low", "high")
            ]
            + [p.get("expertise", {}).get(a) for a in area_keys]
            for p in partners
        ],
    )
    sheet(
        "team_expertise",
        list(TABLE_COLUMNS["team_expertise"]),
        [[k, v] for k, v in data.get("team_expertise", {}).items()],
    )
    decisions = list(data.get("decisions", []))
    dept_keys = _union(decisions, "rights")
    sheet(
        "decisions",
        ["id", "name", "learning_defining", *(f"rights:{k}" for k in dept_keys)],
        [
            [d["id"], d["name"], d.get("learning_defining", False)]
            + [d.get("rights", {}).get(k) for k in dept_keys]
            for d in decisions
        ],
    )
    sheet(
        "escalation",
        list(TABLE_COLUMNS["escalation"]),
        [
            [kind, row.get("low"), row.get("high"), row.get("cap"), row.get("source")]
            for kind, row in data.get("escalation", {}).items()
        ],
    )
    from lmsdecide._excel_guide import add_guide

    add_guide(book, data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
