"""The guided interview: answers -> scenario, the mapping tables, errors, progress, the library."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsdecide.interview import (
    InterviewError,
    Progress,
    answer_count,
    build_scenario,
    check_answers,
    concern_library,
    example_answers,
    load_progress,
    priority_weights,
    progress_path,
    roc_weights,
    save_progress,
    value_count,
)
from lmsdecide.interview import mappings as M
from lmsdecide.interview.answers import PairJudgement, Priorities
from lmsdecide.interview.library import CONCERN_KINDS, concern_row
from lmsdecide.io import load_scenario, save_scenario
from lmsdecide.scenario import FUNCTIONS, Scenario

CRITERIA = [c["id"] for c in M.STANDARD_CRITERIA]


def minimal(**dept: Any) -> dict[str, Any]:
    """The smallest complete answers: one department."""
    base = {
        "name": "Learning",
        "function": "learning",
        "sign_off": "final say",
        "firmness": "holds its view",
        "leaning": "learning-led",
        "involved_from": "needs_analysis",
    }
    return {
        "organisation": {"name": "Tiny Org", "learners": 100, "launch_target": 30},
        "departments": [{**base, **dept}],
    }


# -- weights: closed forms and published examples ---------------------------------------------


def test_rank_order_centroid_closed_form() -> None:
    # Barron & Barrett (1996): n = 3 gives 11/18, 5/18, 2/18; n = 1 gives 1.
    assert np.allclose(roc_weights(3), [11 / 18, 5 / 18, 2 / 18])
    assert np.allclose(roc_weights(1), [1.0])
    assert np.allclose(roc_weights(4), [25 / 48, 13 / 48, 7 / 48, 3 / 48])
    with pytest.raises(ValueError, match="n: must be at least 1"):
        roc_weights(0)


def test_ranking_gives_roc_weights_to_the_ranked_criteria() -> None:
    found = priority_weights(Priorities(rank=["cost", "support", "integration"]), CRITERIA)
    assert found.method == "rank" and found.consistency_ratio is None
    assert found.weights == pytest.approx(
        {"cost": 11 / 18, "support": 5 / 18, "integration": 2 / 18}, abs=1e-6
    )


def test_pairs_give_ahp_weights_and_a_consistency_ratio() -> None:
    # Consistent judgements: cost = 3 x support = 3 x integration -> 3/5, 1/5, 1/5 and CR 0.
    found = priority_weights(
        Priorities(
            pairs=[
                PairJudgement(more="cost", than="support", by="moderately more"),
                PairJudgement(more="support", than="integration", by="equally"),
                PairJudgement(more="cost", than="integration", by="moderately more"),
            ]
        ),
        CRITERIA,
    )
    assert found.method == "ahp"
    assert found.weights == pytest.approx(
        {"cost": 3 / 5, "support": 1 / 5, "integration": 1 / 5}, abs=1e-6
    )
    assert found.consistency_ratio == pytest.approx(0.0, abs=1e-9) and found.consistent
    # 2, 2 and 7 instead of 4: a little inconsistent (Saaty's CR > 0) but within 0.1
    mild = priority_weights(
        Priorities(
            pairs=[
                PairJudgement(more="cost", than="support", by="slightly more"),
                PairJudgement(more="support", than="integration", by="slightly more"),
                PairJudgement(more="cost", than="integration", by="very strongly more"),
            ]
        ),
        CRITERIA,
    )
    # Saaty's CR computed here: lambda_max of the judgement matrix, CI = (lambda_max - 3) / 2,
    # RI(3) = 0.58 (Saaty 1980); about 0.0103.
    a = np.array([[1, 2, 7], [1 / 2, 1, 2], [1 / 7, 1 / 2, 1]])
    ci = (float(np.max(np.linalg.eigvals(a).real)) - 3) / 2
    assert mild.consistency_ratio == pytest.approx(ci / 0.58, rel=1e-6)
    assert 0 < ci / 0.58 < 0.1
    assert sum(mild.weights.values()) == pytest.approx(1.0, abs=1e-5)


def test_incomplete_or_repeated_pairs_are_refused() -> None:
    with pytest.raises(ValueError, match="missing 1"):
        priority_weights(
            Priorities(
                pairs=[
                    PairJudgement(more="cost", than="support", by="equally"),
                    PairJudgement(more="support", than="integration", by="equally"),
                ]
            ),
            CRITERIA,
        )
    with pytest.raises(ValueError, match="compared twice"):
        priority_weights(
            Priorities(
                pairs=[
                    PairJudgement(more="cost", than="support", by="equally"),
                    PairJudgement(more="support", than="cost", by="equally"),
                ]
            ),
            CRITERIA,
        )


def test_inconsistent_pairs_are_flagged() -> None:
    # a > b, b > c, but c >> a: a cycle
    found = priority_weights(
        Priorities(
            pairs=[
                PairJudgement(more="cost", than="support", by="strongly more"),
                PairJudgement(more="support", than="integration", by="strongly more"),
                PairJudgement(more="integration", than="cost", by="strongly more"),
            ]
        ),
        CRITERIA,
    )
    assert found.consistency_ratio is not None and found.consistency_ratio > 0.1
    assert not found.consistent


# -- the mapping tables flow into the scenario -----------------------------------------------


def test_each_answer_maps_through_its_table() -> None:
    s = build_scenario(minimal(firmness="easily persuaded", leaning="strongly technology-led"))
    d = s.departments[0]
    assert d.susceptibility == M.FIRMNESS["easily persuaded"]
    assert d.position == M.LEANING["strongly technology-led"]
    assert d.authority == M.SIGN_OFF["final say"]
    assert d.power == M.FUNCTION_DEFAULTS["learning"]["power"]
    s2 = build_scenario(minimal(clout="little", cares="a lot"))
    assert s2.departments[0].power == M.CLOUT["little"]
    assert s2.departments[0].interest == M.CARES["a lot"]


def test_influence_engagement_and_concerns() -> None:
    answers = minimal(concerns=["learning_outcomes", {"id": "content_migration", "effort": 3}])
    answers["departments"].append(
        {
            "name": "IT",
            "function": "it",
            "sign_off": "must be consulted",
            "firmness": "firm",
            "leaning": "technology-led",
            "involved_from": "Testing and pilot",  # a phase's name works too
            "listens_to": {"Learning": "mostly"},  # a department's name works too
            "concerns": "typical",
        }
    )
    s = build_scenario(answers)
    assert [(e.source, e.target, e.weight) for e in s.influence] == [
        ("it", "learning", M.LISTENS["mostly"])
    ]
    assert s.engagement == {"learning": "needs_analysis", "it": "test"}
    by_dept = {(c.department, c.name): c for c in s.concerns}
    assert by_dept[("learning", "Content migration plan")].effort == 3.0
    it_library = concern_library().for_function("it")
    assert sum(c.department == "it" for c in s.concerns) == len(it_library)
    assert s.decisions[0].rights == {"learning": "A", "it": "C"}


def test_concern_kind_and_blocking_kept_only_when_the_model_knows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import lmsdecide.interview.library as library

    class WithFields:
        model_fields: ClassVar[dict[str, None]] = {"kind": None, "blocks_launch": None}

    class Without:
        model_fields: ClassVar[dict[str, None]] = {}

    monkeypatch.setattr(library, "Concern", WithFields)
    row = concern_row("it", "SSO", "requirements", 0.5, kind="integration", blocks_launch=True)
    assert row["kind"] == "integration" and row["blocks_launch"] is True
    monkeypatch.setattr(library, "Concern", Without)
    row = concern_row("it", "SSO", "requirements", 0.5, kind="integration", blocks_launch=True)
    assert "kind" not in row and "blocks_launch" not in row


# -- the example: eight departments, validates, round-trips -----------------------------------


@pytest.fixture(scope="module")
def example_scenario() -> Scenario:
    return build_scenario(example_answers())


def test_example_answers_describe_eight_departments(example_scenario: Scenario) -> None:
    assert len(example_scenario.departments) == 8
    assert example_scenario.department("it").attributes["sentiment"] == "sceptical"
    exec_answers = next(d for d in example_answers()["departments"] if d.get("id") == "exec")
    assert example_scenario.department("exec").attributes == exec_answers["attributes"]
    assert example_scenario.selected_partner == "techbridge_integration"
    build = example_answers()["phases"]["durations"]["build"]
    by_id = {p.id: p for p in example_scenario.phases}
    assert by_id["build"].duration.likely == build["likely"]
    # far fewer answers than values written
    assert answer_count(example_answers()) < value_count(example_scenario.to_data()) / 2


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_example_round_trips(example_scenario: Scenario, suffix: str, tmp_path: Path) -> None:
    path = save_scenario(example_scenario, tmp_path / f"org{suffix}")
    assert load_scenario(path) == example_scenario


# -- wrong answers: one message naming the question and the value -----------------------------


def _one_problem(answers: Any) -> str:
    with pytest.raises(InterviewError) as info:
        build_scenario(answers)
    assert len(info.value.problems) == 1, str(info.value)
    return str(info.value)


def test_unknown_department_names_the_question_and_the_value() -> None:
    text = _one_problem(minimal(listens_to={"fianance": "mostly"}))
    assert "Whose opinion does it weigh" in text and "'fianance'" in text
    assert text.startswith("departments[0] 'Learning'")


def test_a_rank_repeated() -> None:
    text = _one_problem(minimal(priorities={"rank": ["cost", "support", "cost"]}))
    assert "Rank the criteria" in text and "ranked twice" in text and "'cost'" in text


def test_an_empty_function() -> None:
    text = _one_problem(minimal(function=""))
    assert "What is it (its function)?" in text and "must not be empty" in text


def test_an_unknown_label_lists_the_choices() -> None:
    text = _one_problem(minimal(firmness="stubborn"))
    assert "How firmly" in text and "'easily persuaded'" in text and "'stubborn'" in text


def test_a_misspelt_question_is_suggested() -> None:
    answers = minimal()
    answers["departments"][0]["firmnes"] = "firm"
    with pytest.raises(InterviewError) as info:
        check_answers(answers)
    text = str(info.value)
    assert "did you mean 'firmness'?" in text


def test_nobody_with_a_formal_say() -> None:
    text = _one_problem(minimal(sign_off="no formal say"))
    assert "at least one department needs a formal say" in text


def test_every_wrong_answer_at_once() -> None:
    answers = minimal(firmness="stubborn", involved_from="later", function="itt")
    with pytest.raises(InterviewError) as info:
        build_scenario(answers)
    fields = {p.field for p in info.value.problems}
    assert {"firmness", "involved_from", "function"} <= fields


# -- hypothesis: random answers build valid scenarios; bad ones raise InterviewError only ------

label = st.sampled_from
names = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != "")


@st.composite
def random_answers(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 9))
    dept_names = draw(st.lists(names, min_size=n, max_size=n, unique=True))
    library = concern_library()
    departments = []
    for k, name in enumerate(dept_names):
        function = draw(label(FUNCTIONS))
        # someone must have a formal say (the interview refuses otherwise: tested below)
        say = [s for s in M.SIGN_OFF if k > 0 or M.SIGN_OFF[s] > 0]
        ids = [c.id for c in library.for_function(function)]
        dept: dict[str, Any] = {
            "name": name,
            "function": function,
            "sign_off": draw(label(say)),
            "firmness": draw(label(list(M.FIRMNESS))),
            "leaning": draw(label(list(M.LEANING))),
            "involved_from": draw(label([p["id"] for p in M.STANDARD_PHASES] + ["never"])),
            "listens_to": {
                other: draw(label(list(M.LISTENS)))
                for other in draw(st.lists(label(dept_names), max_size=3, unique=True))
            },
            "concerns": draw(st.lists(label(ids), unique=True) if ids else st.just([])),
        }
        if draw(st.booleans()):
            dept["priorities"] = {
                "rank": draw(st.lists(label(CRITERIA), min_size=1, max_size=6, unique=True))
            }
        departments.append(dept)
    partners = [
        {
            "name": f"Partner {k}",
            "type": draw(label(list(M.PARTNER_TYPE_LABELS))),
            "scores": {c: draw(st.floats(0, 10)) for c in CRITERIA if c != M.TIME_TO_LAUNCH},
            "weeks_to_launch": draw(st.floats(1, 80)),
        }
        for k in range(draw(st.integers(0, 3)))
    ]
    return {
        "organisation": {
            "name": draw(names),
            "learners": draw(st.integers(1, 10**6)),
            "launch_target": draw(st.floats(1, 200)),
        },
        "departments": departments,
        "partners": partners,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_answers())
def test_random_answers_build_a_valid_scenario(answers: dict[str, Any]) -> None:
    scenario = build_scenario(answers)
    assert len(scenario.departments) == len(answers["departments"])
    assert sum(d.authority for d in scenario.departments) >= 0
    assert [d.name for d in scenario.departments] == [d["name"] for d in answers["departments"]]


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_answers(), st.data())
def test_bad_answers_raise_interview_error_only(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    broken = copy.deepcopy(answers)
    dept = data.draw(st.sampled_from(broken["departments"]))
    key = data.draw(
        st.sampled_from(
            [
                "function",
                "sign_off",
                "firmness",
                "leaning",
                "involved_from",
                "listens_to",
                "concerns",
                "priorities",
                "name",
                "attributes",
                "bogus",
            ]
        )
    )
    dept[key] = data.draw(junk)
    try:
        build_scenario(broken)
    except InterviewError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@settings(max_examples=60, deadline=None)
@given(junk)
def test_arbitrary_documents_raise_interview_error_only(doc: Any) -> None:
    with pytest.raises(InterviewError):
        build_scenario(doc)


# -- progress --------------------------------------------------------------------------------


def test_progress_round_trips_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = progress_path(tmp_path / "my_org.yaml")
    assert path.name == "my_org.yaml.interview.json"
    assert load_progress(path) is None
    answers = {"organisation": {"name": "<script>alert(1)</script> 🎓"}, "departments": []}
    save_progress(path, Progress(answers=answers, step=3))
    found = load_progress(path)
    assert found is not None and found.answers == answers and found.step == 3
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_unreadable_progress_is_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.interview.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="saved progress cannot be read"):
        load_progress(path)
    assert path.read_text() == "{not json"
    path.write_text(json.dumps({"answers": {}, "step": -1}))
    with pytest.raises(ValueError, match="step"):
        load_progress(path)


# -- the concern library ---------------------------------------------------------------------


def test_the_library_covers_every_function_with_valid_entries() -> None:
    library = concern_library()
    phases = {p["id"] for p in M.STANDARD_PHASES}
    assert set(library.functions) == set(FUNCTIONS)
    for items in library.functions.values():
        assert items
        for c in items:
            assert c.kind in CONCERN_KINDS and c.due in phases and c.effort >= 0
            assert c.source
    names = {c.name for items in library.functions.values() for c in items}
    for typical in (
        "Single sign-on",
        "Security review",
        "Accessibility needs",
        "Launch campaign",
        "Budget approval",
        "Manager briefing pack",
        "Data migration from the old LMS",
    ):
        assert typical in names


# -- own attributes: kept, shown in the register, never model inputs ---------------------------


def test_own_attributes_are_shown_in_the_register_and_change_no_number(
    example_scenario: Scenario,
) -> None:
    from lmsdecide.influence import who_drives
    from lmsdecide.report import scenario_tables

    table = next(t for t in scenario_tables(example_scenario) if t.title == "Departments")
    column = table.columns.index("your attributes")
    row = next(r for r in table.rows if r[0] == "it")
    assert "sentiment: sceptical" in row[column]
    data = example_scenario.to_data()
    for dept in data["departments"]:
        dept.pop("attributes", None)
    bare = Scenario.model_validate(data)
    assert np.array_equal(who_drives(bare).share, who_drives(example_scenario).share)


@pytest.mark.parametrize("key", ["bool", "str", "int"])
def test_an_unknown_top_level_key_named_like_a_type_is_reported(key: str) -> None:
    with pytest.raises(InterviewError, match=f"unknown question.*{key}|{key}.*unknown question"):
        check_answers({key: None})


def test_listening_to_departments_whose_names_differ_in_case() -> None:
    """'A' (id a) and 'a' (id a_2): each name reaches its own department (found by hypothesis:
    'a' used to resolve to the id a, so both edges went to 'A')."""
    answers = minimal(listens_to={"A": "mostly", "a": "somewhat"})
    for name in ("A", "a"):
        answers["departments"].append({**minimal()["departments"][0], "name": name})
    s = build_scenario(answers)
    ids = {d.name: d.id for d in s.departments}
    edges = {(e.source, e.target): e.weight for e in s.influence}
    assert edges == {
        (ids["Learning"], ids["A"]): M.LISTENS["mostly"],
        (ids["Learning"], ids["a"]): M.LISTENS["somewhat"],
    }
    # the name and the id of one department: refused, naming both
    answers = minimal(listens_to={"A": "mostly", ids["A"]: "somewhat"})
    answers["departments"].append({**minimal()["departments"][0], "name": "A"})
    answers["departments"].append({**minimal()["departments"][0], "name": "B"})
    with pytest.raises(InterviewError, match="names the same department as 'A'"):
        build_scenario(answers)
