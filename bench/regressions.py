"""Regression flags: each row of a benchmark run against the last committed results.

The rule (stated in results.md): a row is flagged as a regression when its wall-clock median is
more than :data:`SLOWER` (20%) above the committed median **and** above the committed upper
quartile (q75), so that a slow-down within the committed run's own spread is not flagged. Rows
are matched by suite and case, in the same unit; rows measured in only one of the two runs, or
not measured, are listed as new or unmatched rather than compared. Lower is better for every
timed row (the units are times).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

#: A median more than this factor above the committed one (and above its q75) is a regression.
SLOWER = 1.20


def _timed(row: Mapping[str, Any]) -> Mapping[str, Any] | None:
    o = row.get("lmsdecide")
    if "not_measured" in row or not isinstance(o, Mapping) or o.get("median") is None:
        return None
    return o


def compare(
    previous: Mapping[str, Any] | None, current: Mapping[str, Any], *, slower: float = SLOWER
) -> dict[str, Any]:
    """Compare two ``results.json`` documents (dicts with ``rows``).

    Returns
    -------
    dict
        ``regressions``: rows slower than the rule allows (suite, case, unit, before, after,
        ratio, q75_before); ``compared``: number of rows compared; ``new``: (suite, case) of
        timed rows with no committed counterpart; ``baseline``: False when there is no committed
        run to compare with.
    """
    out: dict[str, Any] = {"baseline": previous is not None, "regressions": [], "compared": 0}
    before = {
        (r.get("suite"), r.get("case")): r for r in (previous or {}).get("rows", []) if _timed(r)
    }
    new: list[tuple[str, str]] = []
    for row in current.get("rows", []):
        now = _timed(row)
        if now is None:
            continue
        key = (row.get("suite"), row.get("case"))
        old_row = before.get(key)
        if old_row is None or old_row.get("unit") != row.get("unit"):
            new.append((str(key[0]), str(key[1])))
            continue
        old = _timed(old_row)
        assert old is not None
        out["compared"] += 1
        m0, m1 = float(old["median"]), float(now["median"])
        q75 = float(old.get("q75", m0))
        if m0 > 0 and m1 > slower * m0 and m1 > q75:
            out["regressions"].append(
                {
                    "suite": key[0],
                    "case": key[1],
                    "unit": row.get("unit"),
                    "before": m0,
                    "after": m1,
                    "ratio": m1 / m0,
                    "q75_before": q75,
                }
            )
    out["new"] = new if previous is not None else []
    return out


def committed_results(path: str = "bench/results.json", rev: str = "HEAD") -> dict[str, Any] | None:
    """The results file as last committed (``git show HEAD:bench/results.json``), or None when
    there is no git, no commit or no such file, or it does not parse."""
    try:
        text = subprocess.run(
            ["git", "show", f"{rev}:{path}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
            timeout=30,
        ).stdout
        data = json.loads(text)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def markdown(flags: Mapping[str, Any], commit: str | None = None) -> list[str]:
    """The results.md section that states the rule and lists the flagged rows."""
    lines = ["", "## Regressions against the last committed results", ""]
    rule = (
        f"Rule: a row is flagged when its median is more than {SLOWER - 1:.0%} slower than the "
        "committed median and also above the committed upper quartile (q75), matched by suite "
        "and case in the same unit."
    )
    if not flags["baseline"]:
        return [*lines, rule, "", "No committed results to compare with (first run)."]
    source = f" (commit {commit})" if commit else ""
    lines += [rule, ""]
    regs: Sequence[Mapping[str, Any]] = flags["regressions"]
    if not regs:
        lines.append(f"No regression among the {flags['compared']} rows compared{source}.")
    else:
        lines += [
            f"{len(regs)} of {flags['compared']} rows compared{source} are flagged:",
            "",
            "| suite | case | committed median | median now | ratio | committed q75 |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in regs:
            lines.append(
                f"| {r['suite']} | {r['case']} | {r['before']:.3g} {r['unit']} | "
                f"{r['after']:.3g} {r['unit']} | {r['ratio']:.2f}x | {r['q75_before']:.3g} |"
            )
    if flags["new"]:
        lines += ["", "Not compared (no committed row): " + "; ".join(c for _, c in flags["new"])]
    return lines


def console(flags: Mapping[str, Any]) -> str:
    """One line per regression (or one line saying there is none) for the terminal."""
    if not flags["baseline"]:
        return "regressions: no committed bench/results.json to compare with"
    regs = flags["regressions"]
    if not regs:
        return f"regressions: none among {flags['compared']} rows compared with the committed run"
    head = f"REGRESSIONS: {len(regs)} of {flags['compared']} rows slower than the committed run"
    rows = [
        f"  {r['suite']} / {r['case']}: {r['before']:.3g} -> {r['after']:.3g} {r['unit']} "
        f"({r['ratio']:.2f}x, committed q75 {r['q75_before']:.3g})"
        for r in regs
    ]
    return "\n".join([head, *rows])
