"""The analysis commands: diagnose, simulate, recommend, compare, report (exit codes, messages)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lmsdecide.cli import EXIT_CRITICAL, build_parser, main
from lmsdecide.io import data_dir, example, save_scenario
from lmsdecide.timing import chunked

SCENARIOS = data_dir() / "scenarios"
COMMANDS = ("diagnose", "simulate", "recommend", "compare", "report")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lmsdecide.cli", *args], capture_output=True, text=True, timeout=120
    )


# -- diagnose ----------------------------------------------------------------------------------


def test_diagnose_exits_3_on_a_critical_finding() -> None:
    result = run("diagnose", str(SCENARIOS / "it_led.yaml"), "--draws", "300")
    assert result.returncode == EXIT_CRITICAL == 3
    assert "CRITICAL  LEARNING_NOT_DRIVING" in result.stdout
    assert "The tail wags the dog" in result.stdout
    assert "Traceback" not in result.stderr


def test_diagnose_exits_0_without_a_critical_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnose", "learning_led_early_engagement", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    assert "The dog wags the tail" in out
    assert "0 critical" in out


def test_diagnose_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnose", "learning_led_late_it", "--json", "--draws", "300"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["critical"] is True
    assert data["findings"][0]["code"] == "IT_LATE"
    assert data["findings"][0]["evidence"]["expected_rework"] > 0


def test_diagnose_shows_control_characters_instead_of_running_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_scenario(
        example("learning_led_early_engagement").with_changes(name="Org \x1b[31mred\x1b[0m"),
        tmp_path / "esc.yaml",
    )
    assert main(["diagnose", str(path), "--draws", "200"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\\x1b[31mred" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["diagnose", "no_such_scenario"], 1, "not a bundled scenario"),
        (["diagnose", "missing.yaml"], 1, "no such file"),
        (["diagnose", "it_led", "--draws", "5"], 2, "--draws: must be between 100"),
        (["diagnose"], 2, "required: SCENARIO"),
        (["simulate", "it_led", "--draws", "50"], 2, "--draws"),
        (["compare", "it_led"], 2, "two to 5 scenarios"),
        (["compare", "it_led", "it_led", "--json", "--csv"], 2, "not allowed with"),
        (["report", "it_led"], 2, "-o/--output"),
        (["recommend", "it_led", "--seed", "x"], 2, "invalid int value"),
    ],
)
def test_bad_arguments_give_a_short_message(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.splitlines()) <= 10


def test_invalid_scenario_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (SCENARIOS / "it_led.yaml").read_text()
    bad.write_text(re.sub(r"power: [0-9.]+", "power: 1.7", text, count=1))
    for command in ("diagnose", "simulate", "recommend"):
        result = run(command, str(bad), "--draws", "200")
        assert result.returncode == 1
        assert "power: must be between 0 and 1, got 1.7" in result.stderr
        assert "Traceback" not in result.stderr


# -- simulate, recommend -------------------------------------------------------------------------


def test_simulate_prints_the_percentiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "learning_led_late_it", "--draws", "2000", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "go-live P50" in out and "go-live P80" in out and "on-time probability" in out
    assert "Information Technology" in out  # the tornado names the late department


def test_simulate_json_equals_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    from lmsdecide.timing import simulate_schedule

    assert main(["simulate", "it_led", "--draws", "1000", "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    risk = simulate_schedule(example("it_led"), n=1000, seed=4)
    assert data["p50"] == pytest.approx(risk.p50)
    assert data["p80"] == pytest.approx(risk.p80)
    assert data["on_time_probability"] == pytest.approx(risk.on_time_probability)


def test_long_simulations_show_a_progress_bar_and_are_reproducible(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(chunked, "CHUNK", 1000)
    assert main(["simulate", "it_led", "--draws", "3500", "--seed", "9", "--json"]) == 0
    captured = capsys.readouterr()
    assert "100% (3,500 draws)" in captured.err
    first = json.loads(captured.out)
    assert first["draws"] == 3500
    assert main(["simulate", "it_led", "--draws", "3500", "--seed", "9", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_recommend_shows_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "learning_led_late_it", "--draws", "1000"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "Information Technology" in ln)
    assert line.startswith("*") and "Testing and pilot" in line and "Requirements" in line
    assert "Go-live P50" in out


def test_recommend_names_phases_in_full_and_explains_a_negative_saving(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["recommend", "it_led", "--draws", "500", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    # IT-led engages finance and procurement at "System and partner selection" (28 characters)
    rows = {line[2:34].strip(): line for line in out.splitlines() if line[:2] in ("* ", "  ")}
    assert "System and partner selection System and partner selection" in rows["Procurement"]
    # marketing moved from launch to design: more meetings than the rework avoided, explained
    assert float(rows["Marketing"].split()[-1]) < 0
    assert "A negative saving" in out and "never free" in out
    # a plan with nothing moved has nothing to explain
    assert main(["recommend", "learning_led_early_engagement", "--draws", "500"]) == 0
    assert "A negative saving" not in capsys.readouterr().out


def test_recommend_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "learning_led_late_it", "--draws", "500", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recommended"]["it"] == "requirements"
    assert data["current"]["it"] == "test"
    assert data["rework_saving"] > 0


# -- compare, report ---------------------------------------------------------------------------


def test_compare_table(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", "it_led", "learning_led_early_engagement", "--draws", "500"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("A: Harbour Group: IT-led")
    assert "Go-live P50" in out and "Chosen partner" in out
    # IT-led's adoption never reaches 80% (ceiling 62%): said in words, with the ceiling
    t80 = next(line for line in out.splitlines() if line.startswith("Time to 80% adoption"))
    assert "never (ceiling below 80%)" in t80 and "inf" not in t80
    assert float(t80.split()[-1]) > 0  # learning-led early: a number of weeks
    ceiling = next(line for line in out.splitlines() if line.startswith("Adoption ceiling"))
    assert ceiling.split()[-2:] == ["62%", "85%"]


def test_compare_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", "it_led", "reseller_partner", "--draws", "500"]
    assert main([*args, "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scenario,measure,label,unit,value"
    assert main([*args, "--json"]) == 0

    def refuse(constant: str) -> None:  # JSON has no Infinity or NaN; strict readers refuse them
        raise ValueError(f"not JSON: {constant}")

    data = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert len(data["scenarios"]) == 2 and data["draws"] == 500
    t80 = {r["scenario"]: r["value"] for r in data["rows"] if r["measure"] == "t80"}
    assert t80[data["scenarios"][0]] is None  # IT-led: never reached
    assert t80[data["scenarios"][1]] > 0


def test_report_writes_a_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", "it_led", "learning_led_late_it", "-o", str(out), "--draws", "300")
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert 'id="comparison"' in text and "Harbour Group: IT-led LMS replacement" in text


def test_report_to_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("report", "it_led", "-o", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder" in result.stderr


# -- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = sub.choices[command].format_help()  # type: ignore[union-attr]
    assert "Example: lmsdecide " + command in text


def test_diagnose_help_states_the_exit_codes() -> None:
    result = run("diagnose", "--help")
    assert result.returncode == 0
    assert "3 when there is one" in " ".join(result.stdout.split())


def test_a_long_run_of_one_chunk_is_exactly_simulate_schedule() -> None:
    from lmsdecide.timing import simulate_schedule
    from lmsdecide.timing.chunked import simulate_long

    scenario = example("learning_led_late_it")
    long = simulate_long(scenario, 2000, 3)
    risk = simulate_schedule(scenario, n=2000, seed=3)
    assert long.p50 == risk.p50 and long.p80 == risk.p80
    assert long.on_time_probability == risk.on_time_probability


@pytest.mark.parametrize("n", [0, 99, 20_000_001])
def test_a_long_run_refuses_draws_out_of_range(n: int) -> None:
    from lmsdecide.timing.chunked import simulate_long

    with pytest.raises(ValueError, match=f"n: must be between 100 and 20,000,000, got {n}"):
        simulate_long(example("it_led"), n, 0)
