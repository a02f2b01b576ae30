"""The findings of a scenario as a spreadsheet: one sheet per result, for people who live in Excel.

Sheets: ``findings`` (severity, title, evidence, recommendation, principle), ``drive`` (each
department's share of the final decision), ``schedule`` (go-live percentiles and the on-time
probability), ``plan`` (the recommended engagement plan, per department) and ``partners`` (the
ranking the drivers' own criteria weights give). Text is written as text, never as a formula (the
scenario workbook's writer, :func:`lmsdecide._excel.add_sheet`); the file is written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from lmsdecide._files import write_atomic
from lmsdecide.scenario import Scenario

__all__ = ["PERCENTILES", "results_tables", "write_results_workbook"]

#: Go-live percentiles reported (per cent).
PERCENTILES = (10, 25, 50, 75, 80, 90, 95)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value


def results_tables(
    scenario: Scenario, *, n: int = 10_000, seed: int | None = 0
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The result tables of ``scenario``: sheet name -> (header, rows)."""
    from lmsdecide.diagnosis import diagnose
    from lmsdecide.influence import who_drives
    from lmsdecide.partner import partner_ranking
    from lmsdecide.timing import simulate_schedule
    from lmsdecide.timing.plan import recommend_plan

    found = diagnose(scenario, n=n, seed=seed)
    drive = who_drives(scenario)
    risk = simulate_schedule(scenario, n=n, seed=seed)
    plan = recommend_plan(scenario, n=n, seed=seed)
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    tables["findings"] = (
        ["severity", "code", "finding", "evidence", "recommendation", "principle"],
        [
            [f.severity, f.code, f.title, f.evidence_text, f.recommendation, f.principle_text]
            for f in found.findings
        ],
    )
    tables["drive"] = (
        ["department", "name", "function", "share of the decision", "share of formal authority"],
        [
            [d, name, fn, _plain(s), _plain(a)]
            for d, name, fn, s, a in zip(
                drive.departments,
                drive.names,
                drive.functions,
                drive.share,
                drive.authority_share,
                strict=True,
            )
        ],
    )
    completion = np.asarray(risk.completion)
    values = np.percentile(completion, PERCENTILES)
    tables["schedule"] = (
        ["measure", "value", "unit"],
        [
            *(
                [f"go-live P{p}", _plain(v), "weeks"]
                for p, v in zip(PERCENTILES, values, strict=True)
            ),
            ["mean go-live", _plain(risk.mean), "weeks"],
            ["planned (no rework)", _plain(risk.planned), "weeks"],
            ["launch target", _plain(risk.launch_target), "weeks"],
            ["on-time probability", _plain(risk.on_time_probability), "share"],
            ["draws", int(risk.n), "count"],
            ["seed", "" if seed is None else int(seed), ""],
        ],
    )
    table = plan.to_frame()
    tables["plan"] = (
        [str(c) for c in table.columns],
        [[_plain(v) for v in row] for row in table.itertuples(index=False)],
    )
    if scenario.partners and scenario.criteria:
        ranking = partner_ranking(scenario, weights_from="drivers").to_frame()
        tables["partners"] = (
            [str(c) for c in ranking.columns],
            [[_plain(v) for v in row] for row in ranking.itertuples(index=False)],
        )
    return tables


def write_results_workbook(
    scenario: Scenario, path: str | os.PathLike[str], *, n: int = 10_000, seed: int | None = 0
) -> Path:
    """Write the result tables of ``scenario`` to the workbook ``path`` (atomically)."""
    from lmsdecide import _excel

    content = _excel.write_tables(results_tables(scenario, n=n, seed=seed))
    return write_atomic(path, content)
