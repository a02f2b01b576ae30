"""The interview app in process: steps, saving after every change, resuming, stale events, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmsdecide.interview.progress import load_progress, progress_path
from lmsdecide.io import load_scenario
from lmsdecide.widgets.interview import Interview

NAMES = ["L&D", "HR", "IT", "<script>alert(1)</script>", "Finance 💷", "Buying", "Board", "x" * 190]
FUNCTIONS = [
    "learning",
    "hr",
    "it",
    "communications",
    "finance",
    "procurement",
    "executive",
    "other",
]


def _walk(widget: object) -> list[object]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(_walk(child))
    return out


def start(tmp_path: Path) -> Interview:
    app = Interview(tmp_path / "org.yaml")
    app.controls["org_name"].value = "Org <b>bold</b>"
    app.forward()
    for _ in NAMES:
        app.controls["add_department"].click()
    for i, (name, function) in enumerate(zip(NAMES, FUNCTIONS, strict=True)):
        app.controls[f"dept_name_{i}"].value = name
        app.controls[f"dept_function_{i}"].value = function
    app.forward()
    return app


def test_every_change_is_saved_and_a_new_app_resumes(tmp_path: Path) -> None:
    app = start(tmp_path)
    assert app.steps[app.step] == "department:0"
    app.controls["sign_off"].value = "final say"
    app.controls["firmness"].value = "firm"
    saved = load_progress(progress_path(tmp_path / "org.yaml"))
    assert saved is not None and saved.step == 2
    assert saved.answers["departments"][0]["firmness"] == "firm"
    again = Interview(tmp_path / "org.yaml")
    assert again.steps[again.step] == "department:0"
    assert again.controls["firmness"].value == "firm"
    assert "Welcome back" in again.banner.value


def test_back_and_forward_keep_answers(tmp_path: Path) -> None:
    app = start(tmp_path)
    app.controls["leaning"].value = "strongly learning-led"
    app.forward()
    app.controls["leaning"].value = "technology-led"
    app.go(app.step - 1)
    assert app.controls["leaning"].value == "strongly learning-led"
    app.forward()
    assert app.controls["leaning"].value == "technology-led"


def test_a_replaced_screen_cannot_write(tmp_path: Path) -> None:
    app = start(tmp_path)
    stale = app.controls["firmness"]
    app.forward()  # department 2 is on screen now
    stale.value = "never changes its mind"  # a late event from the old screen
    assert app.answers["departments"][0]["firmness"] != "never changes its mind"


def test_a_rank_given_twice_stops_at_the_page(tmp_path: Path) -> None:
    app = start(tmp_path)
    app.controls["priorities_mode"].value = "rank"
    app.controls["rank_cost"].value = 1
    app.controls["rank_support"].value = 1
    app.forward()
    assert app.steps[app.step] == "department:0"
    assert "Rank 1 is given to more than one criterion" in app.message.value
    app.controls["rank_support"].value = 2
    app.forward()
    assert app.steps[app.step] == "department:1"


def test_pairs_show_the_consistency_ratio(tmp_path: Path) -> None:
    app = start(tmp_path)
    app.controls["priorities_mode"].value = "pairs"
    app.controls["pair_learning_expertise_content_design"].value = 5.0  # B strongly more
    pairs = app.answers["departments"][0]["priorities"]["pairs"]
    assert {"more": "content_design", "than": "learning_expertise", "by": "strongly more"} in pairs
    texts = [w.value for w in _walk(app.widget) if hasattr(w, "value") and isinstance(w.value, str)]
    assert any("Consistency ratio" in t for t in texts)


def test_to_the_diagnosis_with_names_as_text(tmp_path: Path) -> None:
    app = start(tmp_path)
    app.controls["sign_off"].value = "final say"
    assert "&lt;script&gt;" not in app.title.value  # department 1's page
    app.forward()
    app.forward()
    app.forward()
    assert "Department 4 of 8: &lt;script&gt;alert(1)&lt;/script&gt;" in app.title.value
    while app.steps[app.step] != "result":
        app.forward()
    scenario = load_scenario(tmp_path / "org.yaml")
    assert [d.name for d in scenario.departments] == NAMES
    assert scenario.name == "Org <b>bold</b>"
    html = app.body.children[0].value
    assert "Org <b>bold</b>" not in html and "iv-verdict" in html
    app._write_report(app.body.children[2])
    app._write_excel(app.body.children[2])
    assert (tmp_path / "org.html").exists()
    assert load_scenario(tmp_path / "org.xlsx") == scenario
    assert (tmp_path / "org_results.xlsx").exists()


def test_nobody_with_a_say_is_listed_at_the_last_step(tmp_path: Path) -> None:
    app = start(tmp_path)
    for dept in app.answers["departments"]:
        dept["sign_off"] = "no formal say"
    app.go(len(app.steps) - 1)
    assert "at least one department needs a formal say" in app.body.children[0].value
    assert not (tmp_path / "org.yaml").exists()


def test_an_unreadable_progress_file_is_kept_and_reported(tmp_path: Path) -> None:
    path = progress_path(tmp_path / "org.yaml")
    path.write_text("{broken")
    app = Interview(tmp_path / "org.yaml")
    assert "cannot be read" in app.banner.value and app.step == 0
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{broken"
    app.controls["org_name"].value = "New"  # a new progress file; the old one stays aside
    assert kept[0].read_text() == "{broken"


@pytest.mark.parametrize("bad", ["", "   "])
def test_the_organisation_needs_a_name(tmp_path: Path, bad: str) -> None:
    app = Interview(tmp_path / "org.yaml")
    app.controls["org_name"].value = bad
    app.forward()
    assert app.step == 0 and "name" in app.message.value
