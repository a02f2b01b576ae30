"""The benchmark's regression flags (bench/regressions.py): a pure comparison of two runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

_PATH = Path(__file__).resolve().parent.parent / "bench" / "regressions.py"
_SPEC = importlib.util.spec_from_file_location("bench_regressions", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
regressions = importlib.util.module_from_spec(_SPEC)
sys.modules["bench_regressions"] = regressions
_SPEC.loader.exec_module(regressions)


def _row(case: str, median: float, q75: float | None = None, unit: str = "ms") -> dict[str, Any]:
    stats = {"median": median, "q25": median * 0.95, "q75": median * 1.05 if q75 is None else q75}
    return {"suite": "models", "case": case, "unit": unit, "lmsdecide": stats}


def _run(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"rows": list(rows)}


def test_a_median_21_percent_slower_and_above_the_committed_q75_is_flagged() -> None:
    flags = regressions.compare(_run(_row("a", 10.0)), _run(_row("a", 12.1)))
    assert flags["compared"] == 1
    [r] = flags["regressions"]
    assert (r["case"], r["before"], r["after"]) == ("a", 10.0, 12.1)
    assert r["ratio"] == pytest.approx(1.21)


def test_exactly_20_percent_slower_is_not_flagged() -> None:
    assert regressions.compare(_run(_row("a", 10.0)), _run(_row("a", 12.0)))["regressions"] == []


def test_a_slow_down_within_the_committed_spread_is_not_flagged() -> None:
    # 50% slower, but the committed run's own q75 was 16: within its spread
    previous = _run(_row("a", 10.0, q75=16.0))
    assert regressions.compare(previous, _run(_row("a", 15.0)))["regressions"] == []
    assert len(regressions.compare(previous, _run(_row("a", 16.5)))["regressions"]) == 1


def test_faster_rows_unmatched_rows_and_unmeasured_rows_are_not_flagged() -> None:
    previous = _run(_row("a", 10.0), _row("b", 10.0), _row("c", 1.0, unit="s"))
    current = _run(
        _row("a", 5.0),  # faster
        {"suite": "models", "case": "b", "not_measured": "failed"},
        _row("c", 5000.0, unit="ms"),  # another unit: not compared
        _row("d", 99.0),  # new
    )
    flags = regressions.compare(previous, current)
    assert flags["regressions"] == []
    assert flags["compared"] == 1
    assert flags["new"] == [("models", "c"), ("models", "d")]


def test_without_committed_results_nothing_is_compared_and_the_report_says_so() -> None:
    flags = regressions.compare(None, _run(_row("a", 10.0)))
    assert (flags["baseline"], flags["compared"], flags["regressions"]) == (False, 0, [])
    assert "first run" in "\n".join(regressions.markdown(flags))
    assert "no committed" in regressions.console(flags)


def test_the_report_states_the_rule_and_lists_each_flagged_row() -> None:
    flags = regressions.compare(_run(_row("a", 10.0)), _run(_row("a", 30.0)))
    text = "\n".join(regressions.markdown(flags, "abc1234"))
    assert "more than 20% slower" in text and "q75" in text
    assert "| models | a | 10 ms | 30 ms | 3.00x |" in text
    assert "models / a: 10 -> 30 ms (3.00x" in regressions.console(flags)


def test_the_committed_results_are_read_from_git_or_none() -> None:
    assert regressions.committed_results("no/such/file.json") is None
    found = regressions.committed_results()
    assert found is None or "rows" in found
