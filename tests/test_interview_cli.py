"""The command line of the interview, report --xlsx, present --scenario, the guiding workbook and
the story derived from one's own scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

import openpyxl
import pytest

from lmsdecide.cli import main, present_command, starter_scenario
from lmsdecide.interview import build_scenario, example_answers
from lmsdecide.interview.files import example_answers_path
from lmsdecide.interview.library import concern_library
from lmsdecide.io import data_dir, example, load_scenario, save_scenario
from lmsdecide.scenario import Scenario
from lmsdecide.workshop import STORY_SCENARIO_ENV, bundled_story, key_numbers, story_for


@pytest.fixture(scope="module")
def org() -> Scenario:
    return build_scenario(example_answers())


# -- lmsdecide interview --answers -----------------------------------------------------------


def test_headless_interview_writes_a_valid_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], org: Scenario
) -> None:
    out = tmp_path / "my_org.yaml"
    assert main(["interview", "--answers", str(example_answers_path()), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "8 departments from" in text and "values in the scenario" in text
    assert "pairwise consistency ratio" in text
    assert load_scenario(out) == org
    # not overwritten without --force
    assert main(["interview", "--answers", str(example_answers_path()), "-o", str(out)]) == 1


def test_wrong_answers_exit_1_naming_question_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        "organisation: {name: X, learners: 10, launch_target: 20}\n"
        "departments:\n"
        "  - {name: Learning, function: learning, sign_off: final say, firmness: firm,\n"
        "     leaning: undecided, involved_from: build, listens_to: {fianance: mostly}}\n"
    )
    out = tmp_path / "x.yaml"
    assert main(["interview", "--answers", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "1 wrong answer" in err
    assert "Whose opinion does it weigh" in err and "'fianance'" in err
    assert not out.exists()


def test_interview_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["interview", "--answers", "a.yaml", "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["interview", "--answers", str(tmp_path / "none.yaml"), "-o", "x.yaml"]) == 1
    assert "no such file" in capsys.readouterr().err


# -- lmsdecide report --xlsx -----------------------------------------------------------------


def test_report_xlsx_writes_the_results_and_keeps_text_as_text(tmp_path: Path) -> None:
    scenario = example("it_led")
    data = scenario.to_data()
    data["departments"][0]["name"] = '=HYPERLINK("http://x")'
    path = save_scenario(Scenario.model_validate(data), tmp_path / "f.yaml")
    out = tmp_path / "results.xlsx"
    assert main(["report", str(path), "--xlsx", str(out), "--draws", "500"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["findings", "drive", "schedule", "plan", "partners"]
    names = [row[1] for row in book["drive"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in names
    cell = next(c for c in book["drive"]["B"] if c.value == names[0])
    assert cell.data_type == "s"
    schedule = {r[0]: r[1] for r in book["schedule"].iter_rows(min_row=2, values_only=True)}
    assert schedule["go-live P10"] <= schedule["go-live P50"] <= schedule["go-live P90"]
    assert 0 <= schedule["on-time probability"] <= 1


def test_report_xlsx_takes_one_scenario(tmp_path: Path) -> None:
    assert main(["report", "it_led", "reseller_partner", "--xlsx", str(tmp_path / "r.xlsx")]) == 2


# -- present --scenario ----------------------------------------------------------------------


def test_present_passes_the_scenario_to_the_app(tmp_path: Path, org: Scenario) -> None:
    path = save_scenario(org, tmp_path / "org.yaml")
    command, env = present_command(8999, scenario=path)
    assert env[STORY_SCENARIO_ENV] == str(path.resolve())
    assert command[3].endswith("05_workshop_live.ipynb")
    _, plain = present_command(8999)
    assert STORY_SCENARIO_ENV not in plain


def test_present_refuses_an_invalid_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    from lmsdecide.cli import present

    args = argparse.Namespace(port=8999, browser=False, scenario=str(bad))
    assert present.run(args) == 1
    assert "bad.yaml" in capsys.readouterr().err


# -- the story of one's own organisation -----------------------------------------------------


def test_story_for_an_organisation(org: Scenario) -> None:
    story = story_for(org, n=500)
    titles = [s.title for s in story.steps]
    assert titles == [
        "1. As planned",
        "2. With IT brought in late",
        "3. As recommended",
        "4. The partner choice: whose weights win?",
    ]
    late = story.sources[story.steps[1].scenario]
    assert late.engagement["it"] == "test"  # the phase before go-live (launch)
    assert late.engagement["ld"] == org.engagement["ld"]
    recommended = story.sources[story.steps[2].scenario]
    assert recommended.engagement_index("it") < org.engagement_index("it")
    for step in story.steps:
        scenario = story.sources[step.scenario]
        assert scenario.name.startswith(org.name)
        text = step.look_at.format(**key_numbers(scenario, n=500, with_findings=False).as_dict())
        assert "{" not in text
    assert set(story.pair) <= set(story.sources)


def test_story_without_it_or_partners_and_with_braces_in_names() -> None:
    data = example("learning_led_early_engagement").to_data()
    data["departments"] = [d for d in data["departments"] if d["function"] != "it"]
    data["departments"][1]["name"] = "HR {team}"
    keep = {d["id"] for d in data["departments"]}
    data["influence"] = [e for e in data["influence"] if e["from"] in keep and e["to"] in keep]
    data["engagement"] = {k: v for k, v in data["engagement"].items() if k in keep}
    data["engagement"]["hr"] = "build"
    data["concerns"] = [c for c in data["concerns"] if c["department"] in keep]
    for d in data["decisions"]:
        d["rights"] = {k: v for k, v in d["rights"].items() if k in keep}
    data["partners"], data["criteria"] = [], []
    data.pop("selected_partner")
    for d in data["departments"]:
        d.pop("criteria_weights", None)
    scenario = Scenario.model_validate(data)
    story = story_for(scenario, n=500)
    assert [s.title for s in story.steps] == ["1. As planned", "2. As recommended"]
    text = story.steps[1].look_at.format(
        **key_numbers(story.sources[story.steps[1].scenario], n=500, with_findings=False).as_dict()
    )
    assert "HR {team}" in text


def test_the_bundled_story_is_the_default() -> None:
    story = bundled_story()
    assert [s.scenario for s in story.steps] == [
        "it_led",
        "learning_led_late_it",
        "learning_led_early_engagement",
        "it_led",
    ]
    assert story.pair == ("learning_led_late_it", "learning_led_early_engagement")


# -- the workbook that guides ----------------------------------------------------------------


def test_every_workbook_opens_on_the_guide_and_loads_without_it(tmp_path: Path) -> None:
    template = data_dir() / "templates" / "scenario.xlsx"
    book = openpyxl.load_workbook(template)
    assert book.sheetnames[0] == "How to fill this in"
    guide_text = " ".join(
        str(c) for row in book["How to fill this in"].iter_rows(values_only=True) for c in row if c
    )
    assert "person-weeks" in guide_text and "susceptibility" in guide_text
    assert load_scenario(template) == starter_scenario()


def _validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[str, str, str]]:
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            found[rng.split(":")[0].rstrip("0123456789")] = (dv.type, dv.formula1, dv.formula2)
    return found


def test_drop_downs_and_limits_match_the_validation(tmp_path: Path, org: Scenario) -> None:
    path = save_scenario(org, tmp_path / "org.xlsx")
    book = openpyxl.load_workbook(path)
    depts = _validations(book["departments"])
    header = [c.value for c in book["departments"][1]]
    col = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(header)}
    assert depts[col["function"]][0] == "list" and "learning" in depts[col["function"]][1]
    assert depts[col["power"]] == ("decimal", "0", "1")
    assert depts[col["position"]] == ("decimal", "-1", "1")
    engagement = _validations(book["engagement"])
    assert "never" in engagement["B"][1] and "needs_analysis" in engagement["B"][1]
    assert _validations(book["partners"])["C"][1] == '"learning-specialist,it-integrator,reseller"'
    assert _validations(book["criteria"])["C"][1] == '"benefit,cost"'
    assert _validations(book["concerns"])["A"][1].startswith("departments!$A$2")
    assert load_scenario(path) == org


def test_new_scenario_takes_its_concerns_from_the_library() -> None:
    starter = starter_scenario()
    library = concern_library()
    it_names = {c.name for c in starter.concerns if c.department == "it"}
    assert it_names == {c.name for c in library.for_function("it")}


def test_interview_serves_notebook_08_writing_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from lmsdecide.interview.progress import INTERVIEW_OUTPUT_ENV

    seen: dict[str, object] = {}

    def fake_call(command: list[str], env: dict[str, str]) -> int:
        seen.update(command=command, env=env)
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    out = tmp_path / "mine.yaml"
    assert main(["interview", "-o", str(out), "--port", "8999"]) == 0
    command = seen["command"]
    env = seen["env"]
    assert isinstance(command, list) and isinstance(env, dict)
    assert command[3].endswith("08_describe_your_organisation.ipynb")
    assert "--port=8999" in command
    assert env[INTERVIEW_OUTPUT_ENV] == str(out.resolve())
