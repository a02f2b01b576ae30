"""The guide a scenario workbook carries: a "How to fill this in" sheet and input checks.

Every workbook written (the template ``data/templates/scenario.xlsx`` and every scenario saved
as ``.xlsx``) opens on a sheet that says what each table means, its units and scales, and where
each number is used. Each table's columns carry Excel data validation: drop-down lists for
functions, phases, department ids, partner types, criteria directions and RACI rights, and number
limits matching the scenario's validation, so most mistakes are stopped as they are typed.
Loading ignores the guide sheet; the checks are only a first line: ``lmsdecide validate``
remains the full check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lmsdecide.scenario import CONCERN_KINDS, DECISION_ROLES, FUNCTIONS, NEVER, PARTNER_TYPES

__all__ = ["GUIDE", "GUIDE_SHEET", "add_guide"]

#: Title of the guide sheet (ignored when a workbook is read).
GUIDE_SHEET = "How to fill this in"
#: Rows below the last one written that the checks also cover (room to add rows).
SPARE_ROWS = 200

#: (sheet, column, what it means, unit or scale, where it is used)
GUIDE: tuple[tuple[str, str, str, str, str], ...] = (
    ("scenario", "name", "The project's name", "text", "every report and figure title"),
    (
        "scenario",
        "launch_target",
        "Weeks from the start to go-live",
        "weeks > 0",
        "schedule: on-time probability",
    ),
    ("scenario", "learners", "People who will learn on the LMS", "whole number >= 1", "adoption"),
    (
        "scenario",
        "launch_phase",
        "Go-live at the end of this phase",
        "a phase id",
        "schedule, rework",
    ),
    (
        "scenario",
        "selected_partner",
        "The partner chosen today",
        "a partner id",
        "partner findings",
    ),
    (
        "departments",
        "id",
        "Short id used by the other sheets",
        "lower-case letters, digits, _",
        "everywhere",
    ),
    (
        "departments",
        "function",
        "What the department is",
        ", ".join(FUNCTIONS),
        "learning share (learning, hr)",
    ),
    (
        "departments",
        "power, interest",
        "Power over and interest in the LMS",
        "0 to 1",
        "power-interest grid, salience",
    ),
    ("departments", "legitimacy, urgency", "Salience attributes", "0 to 1", "salience classes"),
    (
        "departments",
        "authority",
        "Formal say in the final decision",
        ">= 0, relative",
        "who drives",
    ),
    (
        "departments",
        "susceptibility",
        "How easily it is persuaded (1 - stubbornness)",
        "0 to 1",
        "who drives (Friedkin-Johnsen)",
    ),
    (
        "departments",
        "position",
        "Its leaning: technology-led (-1) to learning-led (+1)",
        "-1 to 1",
        "who drives",
    ),
    (
        "departments",
        "weight:<criterion>",
        "Its criteria weights for the partner choice",
        ">= 0, relative",
        "whose weights win",
    ),
    (
        "departments",
        "attr:<name>",
        "Your own attributes (owner, sentiment...)",
        "text, number or TRUE/FALSE",
        "shown in the register; never a model input",
    ),
    (
        "phase_attributes",
        "department, phase",
        "A department's attributes in one phase",
        "ids",
        "who drives by phase",
    ),
    (
        "influence",
        "from, to, weight",
        "'from' listens to 'to' with this weight",
        "department ids; weight >= 0",
        "who drives",
    ),
    (
        "phases",
        "optimistic, likely, pessimistic",
        "Duration of the phase",
        "weeks, optimistic <= likely <= pessimistic",
        "schedule (beta-PERT)",
    ),
    (
        "phases",
        "escalation_low, escalation_high",
        "Only in files of earlier versions (not read)",
        "> 0",
        "nowhere: escalation is declared per concern kind",
    ),
    (
        "escalation",
        "kind, low, high, cap, source",
        "How a late concern's cost grows, per kind (optional)",
        "factors > 0",
        "rework of late concerns",
    ),
    (
        "concerns",
        "kind, blocks_launch",
        "What the concern is about; whether go-live waits for it",
        ", ".join(CONCERN_KINDS) + "; TRUE or FALSE",
        "escalation of late rework; launch delay",
    ),
    (
        "engagement",
        "department, phase",
        "Phase in which the department is first involved",
        f"a phase id or '{NEVER}'",
        "late concerns, rework, schedule",
    ),
    (
        "concerns",
        "department, name, due, effort",
        "What a department needs settled, by when, at what cost",
        "due: phase id; effort: person-weeks >= 0",
        "rework when raised late",
    ),
    (
        "criteria",
        "id, name, direction, must_have, unit",
        "Partner-selection criteria",
        "direction: benefit or cost",
        "partner ranking",
    ),
    (
        "partners",
        "promised_weeks",
        "The time to go-live the partner promises",
        "weeks > 0",
        "partner levers, schedule",
    ),
    (
        "partners",
        "type, score:<criterion>, expertise:<area>",
        "Candidate implementation partners",
        f"type: {', '.join(PARTNER_TYPES)}; expertise 0 to 1",
        "partner ranking, expertise match",
    ),
    ("team_expertise", "area, level", "Your team's expertise", "0 to 1", "expertise match"),
    (
        "decisions",
        "learning_defining, rights:<department>",
        "Decision rights (RACI)",
        "R, A, C or I; exactly one A",
        "decision-rights findings",
    ),
)


def _column(ws: Any, name: str) -> str | None:
    for cell in ws[1]:
        if cell.value == name:
            return str(cell.column_letter)
    return None


def _columns(ws: Any, prefix: str) -> list[str]:
    return [
        str(c.column_letter)
        for c in ws[1]
        if isinstance(c.value, str) and c.value.startswith(prefix)
    ]


def _list(values: Sequence[str]) -> str | None:
    text = '"' + ",".join(values) + '"'
    return text if len(text) <= 255 and all("," not in v and '"' not in v for v in values) else None


def add_guide(book: Any, data: Mapping[str, Any]) -> None:
    """Add the guide sheet (first) and the input checks to a scenario workbook ``book``."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    guide = book.create_sheet(GUIDE_SHEET, 0)
    guide.append(["How to fill this in"])
    guide["A1"].font = Font(bold=True, size=14)
    notes = (
        "One sheet per table; row 1 is the header. Empty cells mean 'not given'.",
        "Drop-down lists and number limits stop most mistakes; 'lmsdecide validate FILE.xlsx' "
        "lists every remaining problem with its sheet and row (row 2 is item [0]).",
        "Easier: 'lmsdecide interview' asks plain questions and writes this workbook for you.",
        "This sheet is ignored when the workbook is read.",
    )
    for note in notes:
        guide.append([note])
    guide.append([])
    header = ["sheet", "column", "what it means", "unit or scale", "where it is used"]
    guide.append(header)
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for row in GUIDE:
        guide.append(list(row))
    for r in guide.iter_rows(min_row=2):
        for cell in r:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (18, 34, 50, 38, 34), strict=True):
        guide.column_dimensions[letter].width = width

    n_dept = len(data.get("departments", []))
    n_phase = len(data.get("phases", []))
    dept_range = f"departments!$A$2:$A${n_dept + SPARE_ROWS + 1}"
    phase_range = f"phases!$A$2:$A${n_phase + SPARE_ROWS + 1}"
    phase_ids = [p["id"] for p in data.get("phases", [])]

    def check(sheet: str, columns: Sequence[str | None], dv: Any) -> None:
        if sheet not in book.sheetnames:
            return
        ws = book[sheet]
        last = ws.max_row + SPARE_ROWS
        cols = [c for c in columns if c]
        if not cols:
            return
        dv.showErrorMessage = True
        dv.errorTitle = "Not allowed here"
        for col in cols:
            dv.add(f"{col}2:{col}{last}")
        ws.add_data_validation(dv)

    def listed(values: Sequence[str] | str, what: str) -> Any:
        formula = values if isinstance(values, str) else _list(values)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = f"Pick {what} from the list."
        return dv

    def number(low: float | None, high: float | None, what: str, whole: bool = False) -> Any:
        kind = "whole" if whole else "decimal"
        if low is not None and high is not None:
            dv = DataValidation(
                type=kind, operator="between", formula1=str(low), formula2=str(high)
            )
        elif low is not None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
        else:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(high))
        dv.allow_blank = True
        dv.error = f"{what}."
        return dv

    ws = book["departments"] if "departments" in book.sheetnames else None
    if ws is not None:
        check("departments", [_column(ws, "function")], listed(FUNCTIONS, "a function"))
        unit = [
            _column(ws, c) for c in ("power", "interest", "legitimacy", "urgency", "susceptibility")
        ]
        check("departments", unit, number(0, 1, "Must be a number between 0 and 1"))
        check(
            "departments",
            [_column(ws, "position")],
            number(-1, 1, "Must be between -1 (technology-led) and 1 (learning-led)"),
        )
        check("departments", [_column(ws, "authority")], number(0, None, "Must be a number >= 0"))
        check("departments", _columns(ws, "weight:"), number(0, None, "A weight must be >= 0"))
    if "phase_attributes" in book.sheetnames:
        pa = book["phase_attributes"]
        check(
            "phase_attributes", [_column(pa, "department")], listed(dept_range, "a department id")
        )
        check("phase_attributes", [_column(pa, "phase")], listed(phase_range, "a phase id"))
        check(
            "phase_attributes",
            [_column(pa, c) for c in ("power", "interest", "legitimacy", "urgency")],
            number(0, 1, "Must be a number between 0 and 1"),
        )
    if "influence" in book.sheetnames:
        inf = book["influence"]
        check(
            "influence",
            [_column(inf, "from"), _column(inf, "to")],
            listed(dept_range, "a department id"),
        )
        check("influence", [_column(inf, "weight")], number(0, None, "A weight must be >= 0"))
    if "phases" in book.sheetnames:
        ph = book["phases"]
        check(
            "phases",
            [_column(ph, c) for c in ("optimistic", "likely", "pessimistic")],
            number(0, None, "A duration is weeks >= 0"),
        )
        check(
            "phases",
            [_column(ph, "escalation_low"), _column(ph, "escalation_high")],
            number(1e-9, None, "An escalation factor must be greater than 0"),
        )
    if "engagement" in book.sheetnames:
        en = book["engagement"]
        check("engagement", [_column(en, "department")], listed(dept_range, "a department id"))
        options = _list([*phase_ids, NEVER]) or phase_range
        check("engagement", [_column(en, "phase")], listed(options, f"a phase id or '{NEVER}'"))
    if "concerns" in book.sheetnames:
        co = book["concerns"]
        check("concerns", [_column(co, "department")], listed(dept_range, "a department id"))
        check("concerns", [_column(co, "due")], listed(phase_range, "a phase id"))
        check("concerns", [_column(co, "effort")], number(0, None, "Effort is person-weeks >= 0"))
        check("concerns", [_column(co, "kind")], listed(CONCERN_KINDS, "a kind"))
        check(
            "concerns", [_column(co, "blocks_launch")], listed(("TRUE", "FALSE"), "TRUE or FALSE")
        )
    if "criteria" in book.sheetnames:
        cr = book["criteria"]
        check(
            "criteria", [_column(cr, "direction")], listed(("benefit", "cost"), "benefit or cost")
        )
    if "partners" in book.sheetnames:
        pt = book["partners"]
        check("partners", [_column(pt, "type")], listed(PARTNER_TYPES, "a partner type"))
        check("partners", _columns(pt, "expertise:"), number(0, 1, "Expertise is between 0 and 1"))
    if "escalation" in book.sheetnames:
        es = book["escalation"]
        check("escalation", [_column(es, "kind")], listed(CONCERN_KINDS, "a concern kind"))
    if "partners" in book.sheetnames:
        check(
            "partners",
            [_column(book["partners"], "promised_weeks")],
            number(1e-9, None, "Promised weeks must be greater than 0"),
        )
    if "team_expertise" in book.sheetnames:
        te = book["team_expertise"]
        check("team_expertise", [_column(te, "level")], number(0, 1, "A level is between 0 and 1"))
    if "decisions" in book.sheetnames:
        de = book["decisions"]
        check("decisions", _columns(de, "rights:"), listed(DECISION_ROLES, "R, A, C or I"))
        check(
            "decisions",
            [_column(de, "learning_defining")],
            listed(("TRUE", "FALSE"), "TRUE or FALSE"),
        )
    if "scenario" in book.sheetnames:
        book.active = 0
