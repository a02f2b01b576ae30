"""The interview app as `lmsdecide interview` serves it (Voila), driven in Debian's chromium.

An analyst describes an eight-department organisation from an empty start to its diagnosis; half
way the tab is closed and a new one resumes at the same step with every answer kept. Hostile names
(a script tag, very long text, emoji) are shown as text. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lmsdecide.cli import present_command
from lmsdecide.diagnosis import diagnose
from lmsdecide.interview import mappings as M
from lmsdecide.interview.progress import INTERVIEW_OUTPUT_ENV, progress_path
from lmsdecide.io import load_scenario
from tests.browser.conftest import ARTIFACTS, free_port
from tests.browser.pages import voila_app

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned = 1</script>"
LONG = "Regional Operations and Field Services " + "x" * 150
DEPARTMENTS = [
    ("Learning & Development", "learning"),
    ("People (HR)", "hr"),
    ("Digital and IT", "it"),
    (SCRIPT, "communications"),
    ("Finance 💷", "finance"),
    ("Procurement", "procurement"),
    ("Executive Board 🎓", "executive"),
    (LONG, "other"),
]
ORG = "Northwind <b>Trust</b> 🎓"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = tmp_path_factory.mktemp("interview") / "org.yaml"
    port = free_port()
    command, env = present_command(
        port,
        notebook="08_describe_your_organisation.ipynb",
        env_extra={INTERVIEW_OUTPUT_ENV: str(output)},
    )
    with voila_app(command, env, "voila-interview.log") as (url, _started):
        yield url, output


def saved(output: Path) -> dict[str, Any]:
    path = progress_path(output)
    return json.loads(path.read_text()) if path.exists() else {}


def wait_saved(output: Path, check: Any, timeout: float = 30.0) -> dict[str, Any]:
    """Wait until the progress file satisfies ``check`` (the kernel saved the answer)."""
    deadline = time.monotonic() + timeout
    while True:
        doc = saved(output)
        try:
            if doc and check(doc):
                return doc
        except (KeyError, IndexError, TypeError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"progress never showed the answer; last saved: {doc}")
        time.sleep(0.2)


def open_app(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, timeout=240_000)
    page.get_by_text("Describe your organisation").first.wait_for(timeout=240_000)
    return context, page, errors


def next_step(page: Any, expect: str) -> None:
    page.locator("button.iv-next").click()
    page.get_by_text(expect, exact=False).first.wait_for(timeout=60_000)


def select(page: Any, name: str, label: str) -> None:
    page.locator(f".iv-{name} select").select_option(label=label)


def answer_department(page: Any, output: Path, index: int, first_id: str) -> None:
    """Answer the questions of department ``index`` and wait until they are saved."""
    # its name in the title, shown as text whatever it holds (a script tag, 190 characters)
    title = page.locator("h2", has_text=f"Department {index + 1} of 8").first.inner_text()
    assert title == f"Department {index + 1} of 8: {DEPARTMENTS[index][0]}"
    sign_off = "final say" if index == 0 else list(M.SIGN_OFF)[1 + index % 3]
    firmness = list(M.FIRMNESS)[index % len(M.FIRMNESS)]
    leaning = list(M.LEANING)[index % len(M.LEANING)]
    select(page, "sign_off", sign_off)
    select(page, "firmness", firmness)
    select(page, "leaning", leaning)
    select(page, "involved_from", "Build and integration" if index == 2 else "Needs analysis")
    if index > 0:
        select(page, f"listens_{first_id}", "mostly")  # everyone weighs L&D's opinion
    if index == 0:
        page.locator(".iv-priorities_mode button", has_text="Rank them").click()
        page.locator(".iv-rank_learning_expertise select").wait_for(timeout=30_000)
        select(page, "rank_learning_expertise", "1")
        select(page, "rank_content_design", "2")
        select(page, "rank_cost", "3")
    wait_saved(
        output,
        lambda doc: (
            doc["answers"]["departments"][index]["sign_off"] == sign_off
            and doc["answers"]["departments"][index]["leaning"] == leaning
            and (
                index != 0
                or doc["answers"]["departments"][0]["priorities"]["rank"]
                == ["learning_expertise", "content_design", "cost"]
            )
        ),
    )


def test_interview_from_empty_to_diagnosis_with_a_closed_tab(
    app: tuple[str, Path], browser: Any
) -> None:
    url, output = app
    started = time.monotonic()
    context, page, errors = open_app(browser, url)

    # 1. the organisation
    name = page.locator(".iv-org_name input")
    name.fill(ORG)
    name.press("Enter")
    wait_saved(output, lambda doc: doc["answers"]["organisation"]["name"] == ORG)
    next_step(page, "Which departments have a stake")

    # 2. eight departments, from none
    for i, (dept, function) in enumerate(DEPARTMENTS):
        page.locator("button.iv-add-department").click()
        box = page.locator(f".iv-dept_name_{i} input")
        box.wait_for(timeout=30_000)
        box.fill(dept)
        box.press("Enter")
        select(page, f"dept_function_{i}", M.FUNCTION_LABELS[function])
    wait_saved(
        output,
        lambda doc: (
            [d["name"] for d in doc["answers"]["departments"]] == [d for d, _f in DEPARTMENTS]
            and [d["function"] for d in doc["answers"]["departments"]]
            == [f for _d, f in DEPARTMENTS]
        ),
    )
    page.screenshot(path=str(ARTIFACTS / "interview-departments.png"))
    next_step(page, "Department 1 of 8")
    first_id = saved(output)["answers"]["departments"][0]["id"]
    assert first_id == "learning_development"

    # 3. the first four departments, then the tab is closed
    for i in range(4):
        answer_department(page, output, i, first_id)
        next_step(page, f"Department {i + 2} of 8")
    before = saved(output)
    assert before["step"] == 2 + 4  # organisation, departments, four department pages
    page.screenshot(path=str(ARTIFACTS / "interview-before-close.png"))
    assert not errors, errors
    context.close()

    # 4. a new tab resumes at the same step, every answer kept
    context, page, errors = open_app(browser, url)
    page.get_by_text("Welcome back").first.wait_for(timeout=60_000)
    page.get_by_text("Department 5 of 8").first.wait_for(timeout=60_000)
    assert saved(output)["answers"] == before["answers"]
    for _ in range(4):  # back to the first department: its answers are on screen
        page.locator("button.iv-back").click()
        time.sleep(0.3)
    page.get_by_text("Department 1 of 8").first.wait_for(timeout=60_000)
    assert page.locator(".iv-sign_off select").input_value() == "final say"
    assert page.locator(".iv-rank_cost select").input_value() == "3"
    for k in range(4):
        next_step(page, f"Department {k + 2} of 8")

    # 5. the other four departments, the phases, one partner
    for i in range(4, 8):
        answer_department(page, output, i, first_id)
        next_step(page, f"Department {i + 2} of 8" if i < 7 else "The project's phases")
    next_step(page, "Which partners are candidates?")
    page.locator("button.iv-add-partner").click()
    partner = page.locator(".iv-partner_name_0 input")
    partner.wait_for(timeout=30_000)
    partner.fill("Learnwise Partners")
    partner.press("Enter")
    wait_saved(output, lambda doc: doc["answers"]["partners"][0]["name"] == "Learnwise Partners")

    # 6. the diagnosis is the last screen
    page.locator("button.iv-next").click()
    page.locator(".iv-verdict").wait_for(timeout=120_000)
    elapsed = time.monotonic() - started
    scenario = load_scenario(output)
    assert [d.name for d in scenario.departments] == [d for d, _f in DEPARTMENTS]
    assert scenario.name == ORG
    assert scenario.engagement[scenario.departments[2].id] == "build"
    found = diagnose(scenario, n=2000, seed=20120907)
    assert page.locator(".iv-verdict").inner_text().strip() == found.verdict
    page.screenshot(path=str(ARTIFACTS / "interview-diagnosis.png"), full_page=True)

    # hostile names are text: the script never ran, nothing was injected
    assert page.evaluate("() => window.__pwned") is None
    assert not page.evaluate(
        "() => [...document.scripts].some(s => s.textContent.includes('__pwned'))"
    )
    assert not page.evaluate(
        "() => [...document.querySelectorAll('b')].some(b => b.textContent === 'Trust')"
    )
    body = page.inner_text("body")
    assert "Traceback" not in body

    # the report and the Excel export are one click away
    page.locator("button.iv-report").click()
    page.get_by_text("Wrote", exact=False).first.wait_for(timeout=120_000)
    page.locator("button.iv-excel").click()
    page.get_by_text("(the results)", exact=False).first.wait_for(timeout=120_000)
    assert output.with_suffix(".html").exists() and output.with_suffix(".xlsx").exists()
    assert load_scenario(output.with_suffix(".xlsx")) == scenario
    assert not errors, errors
    (ARTIFACTS / "interview-timings.json").write_text(
        json.dumps({"empty_to_diagnosis_s": elapsed}, indent=2)
    )
    context.close()
