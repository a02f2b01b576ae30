"""The decision commands: levers, odds, worth (output, JSON, exit codes, messages)."""

from __future__ import annotations

import json

import pytest

from lmsdecide.cli import EXIT_INVALID, EXIT_USAGE, main


def test_levers_prints_the_combination(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levers", "it_led"]) == 0
    out = capsys.readouterr().out
    assert "Cheapest combination (21.43 points)" in out
    # each change by the scenario's names: the decision, then from whom to whom
    assert (
        "raci        Choose the system and implementation partner: Information Technology -> "
        "Learning and Development (cost 1.00, share after 50%)"
    ) in out
    assert "listening   Human Resources: 0 -> 0.25 (cost 1.00" in out


def test_levers_json_is_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["levers", "it_led", "--target", "0.3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feasible"] is True
    assert data["learning_share"] >= 0.3 - 1e-9
    assert sum(c["cost"] for c in data["changes"]) == pytest.approx(data["cost"])


def test_odds_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["odds", "reseller_partner", "--draws", "2048", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    best = max(data["partners"], key=lambda p: p["first_rank"])
    assert best["partner"] == "learnwise"
    assert sum(p["first_rank"] for p in data["partners"]) == pytest.approx(1.0)


def test_worth_lists_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worth", "it_led", "--draws", "256", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Information Technology: weight on Three-year cost" in out  # the criterion's name
    assert len([ln for ln in out.splitlines() if ln.startswith(("*", " "))]) == 3


@pytest.mark.parametrize(
    "argv, message",
    [
        (["worth", "it_led", "--decision", "nope"], "decision: must be one of partner, plan"),
        (["odds", "it_led", "--draws", "0"], "n: must be between 1"),
        (["odds", "it_led", "--weights", "vibes"], "weights"),
        (["levers", "it_led", "--target", "2"], "target: must be between 0.01 and 0.99"),
        (["levers", "it_led", "--p80-target", "-1"], "p80_target"),
    ],
)
def test_bad_options_exit_2_with_the_field(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_scenario_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["odds", "no_such_scenario"]) == EXIT_INVALID
    assert "not a bundled scenario" in capsys.readouterr().err
