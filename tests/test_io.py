"""Loading and saving scenarios: round trips, every error class, and fuzzing the loader."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsdecide import example, list_examples, load_scenario, save_scenario
from lmsdecide.io import MAX_BYTES, parse_scenario, scenario_to_bytes
from lmsdecide.scenario import Scenario, ScenarioError
from tests.strategies import scenario_data, scenarios

BUNDLED = [
    "cloud_no_integration",
    "it_led",
    "learning_led_early_engagement",
    "learning_led_late_it",
    "reseller_partner",
]


def test_bundled_scenarios_are_listed() -> None:
    assert list_examples() == BUNDLED


def test_unknown_example_names_the_bundled_ones() -> None:
    with pytest.raises(ScenarioError, match=r"no bundled scenario 'nope'; bundled: cloud_no"):
        example("nope")


@pytest.mark.parametrize("name", BUNDLED)
@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".xlsx"])
def test_bundled_round_trip(name: str, suffix: str, tmp_path: Path) -> None:
    scenario = example(name)
    assert load_scenario(save_scenario(scenario, tmp_path / f"s{suffix}")) == scenario


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenarios_tell_a_coherent_story(name: str) -> None:
    s = example(name)
    assert len(s.departments) >= 8
    assert len(s.phases) == 8
    assert s.phase_ids[0] == "needs_analysis" and s.phase_ids[-1] == "embed"
    assert {p.type for p in s.partners} == {"learning-specialist", "it-integrator", "reseller"}
    assert len(s.partners) >= 3
    assert all(d.criteria_weights for d in s.departments)
    assert {c.department for c in s.concerns} >= {"it", "comms", "finance"}


def test_story_it_led_engages_learning_late_and_uses_a_reseller() -> None:
    s = example("it_led")
    assert s.engagement_index("ld") > s.engagement_index("it")
    assert s.engagement["comms"] == "launch"
    assert s.partner(s.selected_partner or "").type == "reseller"


def test_story_late_it_and_cloud() -> None:
    late = example("learning_led_late_it")
    assert late.engagement["it"] == "test"  # just before launch
    cloud = example("cloud_no_integration")
    it_effort = sum(c.effort for c in cloud.concerns if c.department == "it")
    harbour_it = sum(c.effort for c in late.concerns if c.department == "it")
    assert it_effort < harbour_it / 4


@settings(max_examples=40)
@given(scenarios())
def test_random_scenarios_round_trip_yaml_and_json(scenario: Scenario) -> None:
    for fmt in ("yaml", "json"):
        assert parse_scenario(scenario_to_bytes(scenario, fmt), fmt) == scenario


@settings(max_examples=25)
@given(scenarios(printable=True, max_departments=6))
def test_random_scenarios_round_trip_xlsx(scenario: Scenario) -> None:
    assert parse_scenario(scenario_to_bytes(scenario, "xlsx"), "xlsx") == scenario


def test_formula_like_text_stays_text_in_a_workbook(tmp_path: Path) -> None:
    s = example("it_led").with_changes(name='=HYPERLINK("http://x")', description="=1+1")
    assert load_scenario(save_scenario(s, tmp_path / "s.xlsx")) == s


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    target.write_text("previous content")
    save_scenario(example("it_led"), target)
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]
    assert load_scenario(target) == example("it_led")


def test_save_refuses_to_overwrite_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    target.write_text("keep me")
    with pytest.raises(FileExistsError):
        save_scenario(example("it_led"), target, overwrite=False)
    assert target.read_text() == "keep me"


def test_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "s.yaml"
    target.write_text("keep me")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_scenario(example("it_led"), target)
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


# ---------------------------------------------------------------------------------------------
# Every error class: the message names the field and the value
# ---------------------------------------------------------------------------------------------


def _data() -> dict:
    return example("learning_led_early_engagement").to_data()


def _problems(data: object, fmt: str = "yaml") -> str:
    raw = (yaml.safe_dump(data) if fmt == "yaml" else json.dumps(data)).encode()
    with pytest.raises(ScenarioError) as info:
        parse_scenario(raw, fmt, source="f.yaml")
    return str(info.value)


def test_empty_file() -> None:
    with pytest.raises(ScenarioError, match=r"f\.yaml: the file is empty"):
        parse_scenario(b"  \n", "yaml", source="f.yaml")


def test_not_yaml() -> None:
    with pytest.raises(ScenarioError, match=r"not valid YAML at line 2, column \d+"):
        parse_scenario(b"name: x\n  - : : [\n", "yaml")


def test_not_json() -> None:
    with pytest.raises(ScenarioError, match="not valid JSON at line 1, column 2"):
        parse_scenario(b"{x", "json")


def test_not_utf8() -> None:
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        parse_scenario(b"name: \xff\xfe", "yaml")


def test_not_a_mapping() -> None:
    assert "a scenario must be a mapping of tables, got a list" in _problems([1, 2])


def test_out_of_range_value() -> None:
    data = _data()
    data["departments"][3]["power"] = 1.7
    assert "departments[3].power: must be between 0 and 1, got 1.7" in _problems(data)


def test_nan_and_infinite_numbers() -> None:
    data = _data()
    data["departments"][0]["interest"] = float("nan")
    data["phases"][1]["duration"]["pessimistic"] = float("inf")
    text = _problems(data, "json")
    assert "departments[0].interest: must be a finite number, got nan" in text
    assert "phases[1].duration.pessimistic: must be a finite number, got inf" in text


def test_negative_weight() -> None:
    data = _data()
    data["influence"][2]["weight"] = -0.5
    assert "influence[2].weight: must be at least 0, got -0.5" in _problems(data)


def test_three_point_out_of_order() -> None:
    data = _data()
    data["phases"][4]["duration"] = {"optimistic": 9, "likely": 5, "pessimistic": 12}
    assert (
        "phases[4].duration: must satisfy optimistic <= likely <= pessimistic, got 9, 5, 12"
        in _problems(data)
    )


def test_duplicate_ids() -> None:
    data = _data()
    data["departments"][1]["id"] = "ld"
    text = _problems(data)
    assert "departments[1].id: duplicate id, got 'ld'" in text


def test_unknown_ids_with_suggestions() -> None:
    data = _data()
    data["influence"][0]["to"] = "exce"
    data["concerns"][0]["department"] = "nobody"
    text = _problems(data)
    assert "influence[0].to: unknown department (did you mean 'exec'?), got 'exce'" in text
    assert "concerns[0].department: unknown department, got 'nobody'" in text


def test_engagement_in_a_phase_that_does_not_exist() -> None:
    data = _data()
    data["engagement"]["it"] = "desgin"
    assert (
        "engagement.it: unknown phase (did you mean 'design'?); use a phase id or 'never', "
        "got 'desgin'" in _problems(data)
    )


def test_department_missing_from_engagement() -> None:
    data = _data()
    del data["engagement"]["comms"]
    assert "engagement: no entry for department 'comms'" in _problems(data)


def test_empty_required_tables() -> None:
    data = _data()
    data["departments"] = []
    data["phases"] = []
    text = _problems(data)
    assert "departments: must not be empty" in text
    assert "phases: must not be empty" in text


def test_missing_required_field() -> None:
    data = _data()
    del data["launch_target"]
    assert "launch_target: required field is missing" in _problems(data)


def test_unknown_key_with_did_you_mean() -> None:
    data = _data()
    data["departments"][2]["powr"] = 0.3
    data["lanuch_target"] = 3
    text = _problems(data)
    assert "departments[2].powr: unknown key (did you mean 'power'?), got 0.3" in text
    assert "lanuch_target: unknown key (did you mean 'launch_target'?), got 3" in text


def test_every_problem_is_reported_at_once() -> None:
    data = _data()
    data["departments"][0]["power"] = 2
    data["influence"][0]["to"] = "ghost"
    data["phases"][0]["duration"]["likely"] = -1
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data).encode(), "yaml")
    assert len(info.value.problems) == 3
    assert str(info.value).startswith("<data>: 3 problems\n")


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: refused by size, never read
    with pytest.raises(ScenarioError, match="over the 5,242,880-byte limit; refused"):
        load_scenario(big)


def test_python_object_tags_are_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    evil = f'!!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    with pytest.raises(ScenarioError, match="tags that construct objects are refused"):
        parse_scenario(evil, "yaml")
    assert not marker.exists()


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(ScenarioError, match="expands to more than 200,000 values"):
        parse_scenario("\n".join(lines).encode(), "yaml")


def test_a_few_aliases_are_fine() -> None:
    data = yaml.safe_dump(_data())
    # reuse one three-point estimate through an anchor, as an analyst might
    text = data.replace("duration:\n", "duration: &d\n", 1)
    assert parse_scenario(text.encode(), "yaml") == example("learning_led_early_engagement")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ScenarioError):
        parse_scenario(b"[" * 100_000 + b"]" * 100_000, "json")
    with pytest.raises(ScenarioError):
        parse_scenario(b"[" * 100_000, "yaml")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "none.yaml")
    folder = tmp_path / "d.yaml"
    folder.mkdir()
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(folder)


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"unknown file type '\.txt'"):
        load_scenario(tmp_path / "s.txt")


def test_not_a_workbook() -> None:
    with pytest.raises(ScenarioError, match=r"not an Excel workbook \(.xlsx\)"):
        parse_scenario(b"PK not really", "xlsx")


def test_workbook_with_bad_values_points_at_the_cell(tmp_path: Path) -> None:
    import openpyxl

    path = save_scenario(example("it_led"), tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(path)
    book["departments"]["D3"] = 1.7  # power of the second department
    book.create_sheet("notes")
    book.save(path)
    with pytest.raises(ScenarioError, match="unknown sheet 'notes'"):
        load_scenario(path)
    del book["notes"]
    book.save(path)
    with pytest.raises(
        ScenarioError, match=r"departments\[1\].power: must be between 0 and 1, got 1.7"
    ):
        load_scenario(path)


# ---------------------------------------------------------------------------------------------
# Fuzzing: whatever a file holds, only ScenarioError comes out
# ---------------------------------------------------------------------------------------------


@settings(max_examples=150)
@given(st.binary(max_size=2000), st.sampled_from(["yaml", "json", "xlsx"]))
def test_arbitrary_bytes_raise_only_scenario_error(raw: bytes, fmt: str) -> None:
    with contextlib.suppress(ScenarioError):
        parse_scenario(raw, fmt)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150)
@given(yaml_values)
def test_arbitrary_yaml_documents_raise_only_scenario_error(doc: object) -> None:
    try:
        raw = yaml.safe_dump(doc).encode()
    except Exception:  # the generator made something PyYAML cannot dump: not our concern
        return
    with contextlib.suppress(ScenarioError):
        parse_scenario(raw, "yaml")


@settings(max_examples=100)
@given(scenario_data(), st.data())
def test_corrupted_valid_scenarios_raise_only_scenario_error(
    data: dict, draw: st.DataObject
) -> None:
    """Replace one random value deep inside a valid scenario by a random value."""
    target: object = data
    path = []
    while isinstance(target, (dict, list)) and target:
        key = draw.draw(
            st.sampled_from(list(target) if isinstance(target, dict) else range(len(target)))
        )
        path.append(key)
        if draw.draw(st.booleans()):
            break
        target = target[key]  # type: ignore[index]
    if not path:
        return
    parent: object = data
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    parent[path[-1]] = draw.draw(yaml_values)  # type: ignore[index]
    try:
        parse_scenario(json.dumps(data).encode(), "json")
    except ScenarioError as exc:
        assert exc.problems


def test_phase_name_says_a_phase_as_people_read_it() -> None:
    s = example("it_led")
    assert s.phase_name("needs_analysis") == "Needs analysis"
    assert s.phase_name("selection") == "System and partner selection"
    assert s.phase_name("never") == "never"
    with pytest.raises(KeyError):
        s.phase_name("no_such_phase")
