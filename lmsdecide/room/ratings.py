"""The room's view: participants' ratings of each department, aggregated against the scenario.

In a workshop, participants rate each department's power over the LMS project, its interest in
it, and the phase in which it should first be involved, in a form on the screen or in a survey
tool that exports CSV. This module reads those ratings (reporting, not crashing on, missing and
malformed rows), aggregates them per department (median and interquartile range; the median phase
as an ordinal median) and turns the aggregate into a scenario to explore.

CSV columns (header names are matched case-insensitively, surrounding spaces ignored):

``participant``  optional: who rated (for counting raters)
``department``   a department id or name from the scenario
``power``        power over the project, on the chosen scale
``interest``     interest in the project, on the chosen scale
``engage``       the phase it should first be involved in: a phase id or name, or ``never``

A rating may leave ``power``, ``interest`` or ``engage`` empty; an empty value is not counted.

Scales: ``unit`` (0 to 1), ``1-5`` or ``1-10`` (Likert-style; mapped linearly onto 0..1 by
(x - 1) / (max - 1)).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lmsdecide.params import ChoiceParam, ParamSet
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario

__all__ = [
    "ROOM_PARAMS",
    "SCALES",
    "Rating",
    "RatingProblem",
    "Ratings",
    "RoomView",
    "aggregate_ratings",
    "parse_ratings",
    "read_ratings_csv",
    "room_scenario",
]

#: Scale name -> (lowest, highest) value a participant may give.
SCALES: dict[str, tuple[float, float]] = {
    "unit": (0.0, 1.0),
    "1-5": (1.0, 5.0),
    "1-10": (1.0, 10.0),
}
COLUMNS = ("participant", "department", "power", "interest", "engage")
#: Largest ratings file read, in bytes.
MAX_BYTES = 2 * 1024 * 1024

ROOM_PARAMS = ParamSet(
    (
        ChoiceParam(
            name="scale",
            label="Rating scale",
            default="1-5",
            choices=tuple(SCALES),
            help="The scale participants rated power and interest on; mapped linearly onto 0..1.",
            source="illustrative",
            group="Room's view",
        ),
    )
)


@dataclass(frozen=True)
class Rating:
    """One participant's rating of one department (power and interest on 0..1, phase index)."""

    participant: str
    department: str
    power: float | None
    interest: float | None
    engage: int | None  # 0-based phase index; len(phases) for "never"


@dataclass(frozen=True)
class RatingProblem:
    """A row that was not used (or partly used), with the reason."""

    row: int | None  # line number in the file (the header is line 1) or form row; None unknown
    message: str

    def __str__(self) -> str:
        return self.message if self.row is None else f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class Ratings:
    """The usable ratings and the problems found while reading them."""

    ratings: tuple[Rating, ...]
    problems: tuple[RatingProblem, ...]
    scale: str

    def to_frame(self) -> pd.DataFrame:
        """One row per rating."""
        return pd.DataFrame(
            [r.__dict__ for r in self.ratings], columns=["participant", "department", *COLUMNS[2:]]
        )


def _number(value: Any, field: str, scale: str) -> float | None:
    """A rating on ``scale`` mapped onto 0..1; None when empty; ValueError when malformed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))  # survey tools in many locales write 3,5
    except ValueError:
        raise ValueError(f"{field} is not a number, got {text!r}") from None
    low, high = SCALES[scale]
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{field} must be between {low:g} and {high:g}, got {text!r}")
    return (number - low) / (high - low)


def _lookup(scenario: Scenario) -> tuple[dict[str, str], dict[str, int]]:
    departments = {}
    for d in scenario.departments:
        departments[d.id.casefold()] = d.id
        departments[d.name.strip().casefold()] = d.id
    phases = {NEVER: len(scenario.phases)}
    for i, p in enumerate(scenario.phases):
        phases[p.id.casefold()] = i
        phases[p.name.strip().casefold()] = i
    return departments, phases


def parse_ratings(
    scenario: Scenario, rows: Iterable[Mapping[str, Any]], *, scale: str = "1-5", first_row: int = 1
) -> Ratings:
    """Check rating rows (from a form or a CSV) against the scenario.

    Every row that cannot be used whole is reported with its number and the reason; the values of
    a row that can be used in part (for example a malformed interest but a valid power) are kept.

    Raises
    ------
    ValueError
        Only for an unknown ``scale``.
    """
    if scale not in SCALES:
        raise ValueError(f"scale: must be one of {', '.join(SCALES)}; got {scale!r}")
    departments, phases = _lookup(scenario)
    ratings: list[Rating] = []
    problems: list[RatingProblem] = []
    for offset, raw in enumerate(rows):
        number = first_row + offset
        row = {str(k).strip().casefold(): v for k, v in raw.items() if k is not None}
        dept_text = str(row.get("department") or "").strip()
        if not dept_text:
            problems.append(RatingProblem(number, "no department given; row skipped"))
            continue
        dept = departments.get(dept_text.casefold())
        if dept is None:
            problems.append(RatingProblem(number, f"unknown department {dept_text!r}; row skipped"))
            continue
        values: dict[str, Any] = {}
        for field in ("power", "interest"):
            try:
                values[field] = _number(row.get(field), field, scale)
            except ValueError as exc:
                values[field] = None
                problems.append(RatingProblem(number, f"{exc}; value not counted"))
        engage_text = str(row.get("engage") or "").strip()
        engage = None
        if engage_text:
            engage = phases.get(engage_text.casefold())
            if engage is None:
                problems.append(
                    RatingProblem(number, f"unknown phase {engage_text!r}; value not counted")
                )
        if values["power"] is None and values["interest"] is None and engage is None:
            problems.append(RatingProblem(number, "no usable rating; row skipped"))
            continue
        participant = str(row.get("participant") or f"row {number}").strip()
        ratings.append(Rating(participant, dept, values["power"], values["interest"], engage))
    return Ratings(tuple(ratings), tuple(problems), scale)


def read_ratings_csv(scenario: Scenario, data: bytes | str, *, scale: str = "1-5") -> Ratings:
    """Read a survey tool's CSV export (bytes or text) and check it against the scenario.

    Malformed lines (too many fields, for example) are reported as problems, not raised; a file
    that is not CSV at all, has no ``department`` column, or is over :data:`MAX_BYTES` raises
    ``ValueError`` with a plain message.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ValueError(
                f"the ratings file is {len(data):,} bytes, over the {MAX_BYTES:,} limit"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("the ratings file is not UTF-8 text; export it as UTF-8 CSV") from None
    else:
        text = data
    if not text.strip():
        raise ValueError("the ratings file is empty")
    bad_lines: list[RatingProblem] = []

    def on_bad_line(line: list[str]) -> None:
        bad_lines.append(RatingProblem(None, f"malformed line ({len(line)} fields): {line!r}"))
        return None

    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            engine="python",
            sep=None,  # sniff comma or semicolon, as survey tools in many locales export
            on_bad_lines=on_bad_line,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ValueError(f"the ratings file is not readable CSV: {exc}") from None
    columns = {str(c).strip().casefold() for c in frame.columns}
    if "department" not in columns:
        found = ", ".join(str(c) for c in frame.columns)
        raise ValueError(
            f"the ratings file needs a 'department' column (and power, interest, engage); "
            f"found: {found}"
        )
    # Line numbers: the header is line 1, so data row i is line i + 2.
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    parsed = parse_ratings(scenario, records, scale=scale, first_row=2)
    return Ratings(parsed.ratings, tuple(bad_lines) + parsed.problems, scale)


@dataclass(frozen=True, eq=False)
class RoomView(ArrayEq):
    """Per-department aggregate of the room's ratings, beside the scenario's own values.

    Power and interest on 0..1: median, 25th and 75th percentiles; engagement as the median phase
    index (an ordinal median: the lower middle value for an even count) and its spread in phases.
    """

    departments: tuple[str, ...]
    names: tuple[str, ...]
    raters: np.ndarray  # number of ratings per department
    power_median: np.ndarray
    power_q25: np.ndarray
    power_q75: np.ndarray
    interest_median: np.ndarray
    interest_q25: np.ndarray
    interest_q75: np.ndarray
    engage_median: tuple[int | None, ...]
    engage_spread: np.ndarray  # interquartile range in phases
    scenario_power: np.ndarray
    scenario_interest: np.ndarray
    scenario_engage: tuple[int, ...]
    phase_names: tuple[str, ...]
    problems: tuple[RatingProblem, ...]

    def phase_label(self, index: int | None) -> str:
        """Name of a phase index (``never`` past the last phase, ``-`` when unrated)."""
        if index is None:
            return "-"
        return self.phase_names[index] if index < len(self.phase_names) else NEVER

    def to_frame(self) -> pd.DataFrame:
        """One row per department: the room's medians and spreads against the scenario."""
        return pd.DataFrame(
            {
                "department": self.departments,
                "name": self.names,
                "raters": self.raters,
                "power_median": self.power_median,
                "power_q25": self.power_q25,
                "power_q75": self.power_q75,
                "scenario_power": self.scenario_power,
                "interest_median": self.interest_median,
                "interest_q25": self.interest_q25,
                "interest_q75": self.interest_q75,
                "scenario_interest": self.scenario_interest,
                "engage_median": [self.phase_label(i) for i in self.engage_median],
                "engage_spread_phases": self.engage_spread,
                "scenario_engage": [self.phase_label(i) for i in self.scenario_engage],
            }
        )


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (math.nan, math.nan, math.nan)
    q25, q50, q75 = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75])
    return float(q50), float(q25), float(q75)


def aggregate_ratings(scenario: Scenario, ratings: Ratings) -> RoomView:
    """Median and interquartile range of the room's ratings per department.

    Power and interest use the linear-interpolation quantiles of numpy (type 7 in Hyndman & Fan
    1996). The engagement phase is ordinal, so its median is an order statistic: the lower
    middle rating (``method="lower"``), always a real phase.
    """
    ids = scenario.department_ids
    by_dept: dict[str, list[Rating]] = {d: [] for d in ids}
    for r in ratings.ratings:
        by_dept[r.department].append(r)
    columns: dict[str, list[float]] = {k: [] for k in ("pm", "p25", "p75", "im", "i25", "i75")}
    engage_median: list[int | None] = []
    engage_spread: list[float] = []
    for d in ids:
        rows = by_dept[d]
        pm, p25, p75 = _quantiles([r.power for r in rows if r.power is not None])
        im, i25, i75 = _quantiles([r.interest for r in rows if r.interest is not None])
        for key, value in zip(columns, (pm, p25, p75, im, i25, i75), strict=True):
            columns[key].append(value)
        phases = [r.engage for r in rows if r.engage is not None]
        if phases:
            arr = np.asarray(phases)
            engage_median.append(int(np.quantile(arr, 0.5, method="lower")))
            q25, q75 = np.quantile(arr, [0.25, 0.75], method="lower")
            engage_spread.append(float(q75 - q25))
        else:
            engage_median.append(None)
            engage_spread.append(math.nan)
    return RoomView(
        departments=tuple(ids),
        names=tuple(d.name for d in scenario.departments),
        raters=np.asarray([len(by_dept[d]) for d in ids]),
        power_median=np.asarray(columns["pm"]),
        power_q25=np.asarray(columns["p25"]),
        power_q75=np.asarray(columns["p75"]),
        interest_median=np.asarray(columns["im"]),
        interest_q25=np.asarray(columns["i25"]),
        interest_q75=np.asarray(columns["i75"]),
        engage_median=tuple(engage_median),
        engage_spread=np.asarray(engage_spread),
        scenario_power=np.asarray([d.power for d in scenario.departments]),
        scenario_interest=np.asarray([d.interest for d in scenario.departments]),
        scenario_engage=tuple(scenario.engagement_index(d) for d in ids),
        phase_names=tuple(p.name for p in scenario.phases),
        problems=ratings.problems,
    )


def room_scenario(scenario: Scenario, view: RoomView) -> Scenario:
    """The scenario with the room's medians in place of power, interest and engagement.

    Departments nobody rated keep the scenario's values. The result is validated like any other.
    """
    data = scenario.to_data()
    phase_ids = [*scenario.phase_ids, NEVER]
    for i, dept in enumerate(data["departments"]):
        if not math.isnan(view.power_median[i]):
            dept["power"] = float(view.power_median[i])
        if not math.isnan(view.interest_median[i]):
            dept["interest"] = float(view.interest_median[i])
        engage = view.engage_median[i]
        if engage is not None:
            data["engagement"][dept["id"]] = phase_ids[engage]
    data["name"] = f"{scenario.name} (the room's view)"
    return scenario.with_changes(**{k: data[k] for k in ("name", "departments", "engagement")})
