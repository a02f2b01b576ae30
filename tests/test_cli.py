"""The command line: exit codes and one-screen messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lmsdecide.cli import main
from lmsdecide.io import data_dir, load_scenario

SCENARIOS = sorted((data_dir() / "scenarios").glob("*.yaml"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lmsdecide.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_validate_bundled_scenarios_prints_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, SCENARIOS)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{p}: ok" for p in SCENARIOS]


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ("", ".yaml", "the file is empty"),
        ("name: [unclosed", ".yaml", "not valid YAML"),
        ("{", ".json", "not valid JSON"),
        ("- a list", ".yaml", "a scenario must be a mapping"),
        ("!!python/object/apply:os.system [ls]", ".yaml", "tags that construct objects"),
        ("name: x", ".yaml", "launch_target: required field is missing"),
        ("hello", ".xlsx", "not an Excel workbook"),
    ],
)
def test_bad_files_exit_1_with_a_short_message(
    tmp_path: Path, content: str, suffix: str, expected: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content)
    result = run("validate", str(path))
    assert result.returncode == 1
    assert expected in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) <= 25


def test_validate_mixed_files_reports_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIOS[0].read_text().replace("power: 0.6", "power: 1.7", 1))
    result = run("validate", str(SCENARIOS[0]), str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SCENARIOS[0]}: ok"
    assert lines[1] == f"{bad}: invalid (1 problem)"
    assert "power: must be between 0 and 1, got 1.7" in lines[2]


def test_usage_errors_exit_2() -> None:
    for args in ([], ["validate"], ["frobnicate"], ["new-scenario"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_help_has_an_example() -> None:
    for command in ("validate", "new-scenario", "lab"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "Example: lmsdecide" in result.stdout


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_new_scenario_writes_a_valid_file_and_never_overwrites(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"mine{suffix}"
    assert main(["new-scenario", str(path)]) == 0
    scenario = load_scenario(path)
    assert scenario.name == "My organisation: LMS project"
    before = path.read_bytes()
    assert main(["new-scenario", str(path)]) == 1
    assert path.read_bytes() == before
    assert main(["new-scenario", str(path), "--force"]) == 0


def test_new_scenario_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["new-scenario", str(tmp_path / "x.txt")]) == 2


def test_excel_template_is_the_starter_scenario() -> None:
    from lmsdecide.cli import starter_scenario

    assert load_scenario(data_dir() / "templates" / "scenario.xlsx") == starter_scenario()


def test_install_lab_settings(tmp_path: Path) -> None:
    import json

    from lmsdecide.cli import install_lab_settings

    target = install_lab_settings(str(tmp_path))
    settings = json.loads(target.read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "defer"
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
