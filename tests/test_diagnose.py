"""Diagnosis: the bundled story, thresholds, evidence that matches the models, properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from lmsdecide.diagnosis import DIAGNOSE_PARAMS, PRINCIPLES, SEVERITIES, Diagnosis, diagnose
from lmsdecide.influence import who_drives
from lmsdecide.io import example, list_examples
from lmsdecide.params import ParamError
from lmsdecide.timing import compare_plans, late_engagement
from tests.strategies import scenarios

N = 1000  # draws: the findings do not depend on them, only the P50 evidence does


@pytest.fixture(scope="module")
def diagnoses() -> dict[str, Diagnosis]:
    return {name: diagnose(example(name), n=N, seed=1) for name in list_examples()}


# -- the bundled story --------------------------------------------------------------------


def test_it_led_has_critical_findings_learning_not_driving_and_it_leads(
    diagnoses: dict[str, Diagnosis],
) -> None:
    d = diagnoses["it_led"]
    assert d.critical
    assert d.finding("LEARNING_NOT_DRIVING").severity == "critical"  # type: ignore[union-attr]
    assert d.finding("IT_LEADS").severity == "critical"  # type: ignore[union-attr]
    assert not d.learning_driven
    assert d.top_driver == "it"
    assert d.verdict.startswith("The tail wags the dog")
    # IT's weights choose the reseller the scenario selected; learning's would not
    wrong = d.finding("WRONG_CHOICE")
    assert wrong is not None and wrong.severity == "critical"
    assert wrong.evidence["top_drivers"] == "boxshift"
    assert wrong.evidence["top_learning"] == "learnwise"


def test_learning_led_early_engagement_has_no_critical_finding(
    diagnoses: dict[str, Diagnosis],
) -> None:
    d = diagnoses["learning_led_early_engagement"]
    assert not d.critical
    assert d.counts["critical"] == 0
    assert d.learning_driven
    assert "IT_LATE" not in d.codes
    assert d.verdict.startswith("The dog wags the tail")


def test_learning_led_late_it_has_the_late_it_finding_with_its_cost(
    diagnoses: dict[str, Diagnosis],
) -> None:
    s = example("learning_led_late_it")
    d = diagnoses["learning_led_late_it"]
    f = d.finding("IT_LATE")
    assert f is not None and f.severity == "critical"
    assert f.departments == ("it",)
    late = late_engagement(s).departments.set_index("department")
    assert f.evidence["expected_rework"] == pytest.approx(late.loc["it", "expected_rework"], 1e-3)
    assert f.evidence["expected_delay"] == pytest.approx(late.loc["it", "expected_delay"], 1e-3)
    # the saving at P50 is the common-random-numbers comparison of the two plans
    cmp = compare_plans(s, None, {"it": "requirements"}, N, 1)
    assert f.evidence["p50_saving"] == pytest.approx(cmp.p50_a - cmp.p50_b, abs=1e-3)
    assert f.evidence["p50_saving"] > 5  # weeks: IT in testing costs months
    assert "engage Information Technology in Requirements" in f.recommendation.replace("E", "e", 1)
    assert "weeks at P50" in f.recommendation
    assert f.principle == "it_early"
    assert "IT" in f.principle_text


def test_cloud_no_integration_does_not_raise_late_it_as_critical(
    diagnoses: dict[str, Diagnosis],
) -> None:
    d = diagnoses["cloud_no_integration"]
    f = d.finding("IT_LATE")
    assert f is None or f.severity != "critical"
    assert not d.critical


def test_reseller_partner_flags_the_partner_and_the_weak_match(
    diagnoses: dict[str, Diagnosis],
) -> None:
    d = diagnoses["reseller_partner"]
    assert d.finding("PARTNER_NOT_LEARNING") is not None
    assert d.finding("WEAK_EXPERTISE_MATCH") is not None
    assert d.finding("PARTNER_NOT_LEARNING").evidence["partner_type"] == "reseller"  # type: ignore[union-attr]


def test_it_led_flags_late_communications_and_finance(diagnoses: dict[str, Diagnosis]) -> None:
    d = diagnoses["it_led"]
    comms = d.finding("COMMS_LATE")
    assert comms is not None and set(comms.departments) == {"comms", "marketing"}
    # communications' concerns are missing at go-live: engaging them lifts adoption
    assert "Adoption: " in comms.recommendation and "at six months" in comms.recommendation
    finance = d.finding("FINANCE_LATE")  # engaged in selection, not before it
    assert finance is not None and finance.departments == ("finance",)
    assert d.finding("LEARNING_DECISIONS_ELSEWHERE") is not None


# -- structure and thresholds ----------------------------------------------------------------


def test_findings_are_sorted_by_severity_and_fully_described(
    diagnoses: dict[str, Diagnosis],
) -> None:
    for d in diagnoses.values():
        ranks = [SEVERITIES.index(f.severity) for f in d.findings]
        assert ranks == sorted(ranks)
        for f in d.findings:
            assert f.title and f.evidence_text and f.recommendation
            assert f.principle in PRINCIPLES
            assert "\n" not in f.title
        assert sum(d.counts.values()) == len(d.findings)


def test_to_dict_is_json_and_to_frame_has_one_row_per_finding(
    diagnoses: dict[str, Diagnosis],
) -> None:
    d = diagnoses["it_led"]
    data = json.loads(json.dumps(d.to_dict()))
    assert data["critical"] is True
    assert [f["code"] for f in data["findings"]] == list(d.codes)
    frame = d.to_frame()
    assert len(frame) == len(d.findings)
    assert list(frame["code"]) == list(d.codes)


def test_learning_threshold_moves_the_learning_finding() -> None:
    s = example("it_led")
    share = who_drives(s).learning_share
    assert "LEARNING_NOT_DRIVING" in diagnose(s, n=200, learning_threshold=share + 0.01).codes
    assert "LEARNING_NOT_DRIVING" not in diagnose(s, n=200, learning_threshold=share).codes


def test_critical_thresholds_decide_the_late_it_severity() -> None:
    s = example("learning_led_late_it")
    relaxed = diagnose(s, n=200, critical_delay=52, critical_rework=1000)
    assert relaxed.finding("IT_LATE").severity == "warning"  # type: ignore[union-attr]
    # cloud_no_integration: IT's late security review costs about 0.3 weeks (a security concern
    # 3 phases late, 0.5 person-weeks at 2.6x, blocking, over 3 FTE), so 0.1 weeks is critical
    strict = diagnose(example("cloud_no_integration"), n=200, critical_delay=0.1)
    assert strict.finding("IT_LATE").severity == "critical"  # type: ignore[union-attr]


def test_severities_do_not_depend_on_the_seed() -> None:
    s = example("it_led")
    a, b = diagnose(s, n=300, seed=1), diagnose(s, n=300, seed=2)
    assert [(f.code, f.severity) for f in a.findings] == [(f.code, f.severity) for f in b.findings]


def test_same_seed_same_diagnosis() -> None:
    s = example("learning_led_late_it")
    assert diagnose(s, n=300, seed=7) == diagnose(s, n=300, seed=7)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"learning_threshold": 1.5}, "learning_threshold"),
        ({"critical_delay": -1}, "critical_delay"),
        ({"n": 5}, "n"),
        ({"min_on_time": float("nan")}, "min_on_time"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs: dict[str, float], name: str) -> None:
    with pytest.raises(ParamError, match=name):
        diagnose(example("it_led"), **kwargs)  # type: ignore[arg-type]


def test_bad_seed_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="seed"):
        diagnose(example("it_led"), seed="x")  # type: ignore[arg-type]


def test_every_parameter_is_declared_with_a_source() -> None:
    import inspect

    names = set(inspect.signature(diagnose).parameters) - {"scenario", "seed"}
    assert names == set(DIAGNOSE_PARAMS.names)
    for p in DIAGNOSE_PARAMS:
        assert p.source and p.help and p.label


# -- properties on random scenarios -------------------------------------------------------------


@settings(max_examples=25)
@given(scenarios(max_departments=6))
def test_diagnose_runs_on_any_valid_scenario(scenario: object) -> None:
    d = diagnose(scenario, n=100, seed=0)  # type: ignore[arg-type]
    assert d.learning_driven == (d.finding("LEARNING_NOT_DRIVING") is None)
    ranks = [SEVERITIES.index(f.severity) for f in d.findings]
    assert ranks == sorted(ranks)
    json.dumps(d.to_dict())
    for f in d.findings:
        if f.code in ("IT_LATE", "COMMS_LATE", "FINANCE_LATE", "LATE_ENGAGEMENT"):
            # info only when nothing surfaces late; critical needs a cost
            if f.severity == "info":
                assert f.evidence["expected_rework"] == 0
            else:
                assert f.evidence["expected_rework"] > 0


# -- the code table: one row per finding, each emitted by a rule and documented ----------------


def test_every_code_has_a_rule_and_every_rule_code_a_row() -> None:
    from lmsdecide.diagnosis import CODES, RULES

    emitted = [code for r in RULES for code in r.codes]
    assert sorted(emitted) == sorted(CODES), "each code: one row in codes.py, one rule emitting it"


def test_findings_come_in_table_order_within_a_severity(diagnoses: dict[str, Diagnosis]) -> None:
    from lmsdecide.diagnosis import CODES

    order = list(CODES)
    for d in diagnoses.values():
        for sev in SEVERITIES:
            codes = [order.index(f.code) for f in d.by_severity(sev)]
            assert codes == sorted(codes)
        for f in d.findings:
            assert f.severity in CODES[f.code].severities
            assert f.principle in PRINCIPLES


def test_the_docs_list_every_code_in_table_order() -> None:
    import re
    from pathlib import Path

    from lmsdecide.diagnosis import CODES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "diagnosis_and_report.md").read_text()
    listed = re.findall(r"^\| `([A-Z_]+)` \|", doc, flags=re.MULTILINE)
    assert listed == list(CODES)


def test_a_rule_naming_an_unknown_code_is_refused() -> None:
    from lmsdecide.diagnosis.rules import rule

    with pytest.raises(KeyError, match="rule codes must be rows of CODES"):
        rule("NO_SUCH_CODE")


def test_diagnoses_are_reused_by_content_and_never_stale() -> None:
    from lmsdecide.diagnosis.core import DIAGNOSIS_CACHE, _diagnose
    from lmsdecide.diagnosis.rules import RULES, rule

    DIAGNOSIS_CACHE.clear()
    first = diagnose(example("it_led"), n=300, seed=4)
    again = diagnose(example("it_led"), n=300, seed=4)  # loaded again: same content
    assert again is first and (DIAGNOSIS_CACHE.hits, DIAGNOSIS_CACHE.misses) == (1, 1)
    values = {k: v for k, v in first.assumptions.items() if k != "seed"}
    assert _diagnose(example("it_led"), values, 4).codes == first.codes  # what a fresh run gives
    # another seed, draws, threshold or scenario content: computed afresh
    diagnose(example("it_led"), n=300, seed=5)
    diagnose(example("it_led"), n=400, seed=4)
    diagnose(example("it_led"), n=300, seed=4, learning_threshold=0.4)
    moved = example("it_led").with_changes(launch_target=example("it_led").launch_target + 30)
    diagnose(moved, n=300, seed=4)
    assert DIAGNOSIS_CACHE.misses == 5
    diagnose(example("it_led"), n=300, seed=None)  # fresh draws: never stored
    assert DIAGNOSIS_CACHE.misses == 5 and len(DIAGNOSIS_CACHE) == 5

    # a rule registered afterwards is applied: the stored diagnosis is not reused
    before = list(RULES)
    try:

        @rule("PARTNER_ODDS")
        def extra_rule(ctx: object) -> list[object]:
            return []

        diagnose(example("it_led"), n=300, seed=4)
        assert DIAGNOSIS_CACHE.misses == 6
    finally:
        RULES[:] = before
