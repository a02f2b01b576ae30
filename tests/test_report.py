"""The HTML report: content checked by parsing the page, offline, hostile text stays text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import pytest
from hypothesis import given, settings

from lmsdecide.diagnosis import diagnose
from lmsdecide.explore.voi import default_factors
from lmsdecide.io import example
from lmsdecide.report import (
    SAFE_TAGS,
    assumptions_table,
    build_report,
    report_figures,
    safe_figure,
    write_report,
)
from lmsdecide.scenario import Scenario
from tests.strategies import scenarios

N = 500
FIGURE_KEYS = {
    "drive_share",
    "power_interest",
    "salience",
    "network",
    "phase_drive",
    "timeline",
    "escalation",
    "completion",
    "tornado",
    "plan",
    "adoption",
    "ranking",
    "criteria",
    "expertise",
    "sensitivity",
    "whose_weights",
    "partner_odds",
    "partner_voi",
    "levers",
}
HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "\"quoted\" & 'single' </textarea>",
    "A & B <b>bold</b> </script><script>window.__pwned=3</script>",
]


class Page(HTMLParser):
    """A small DOM summary: elements with their attributes, text per element, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    @property
    def body_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def hostile_scenario() -> Scenario:
    """it_led with a hostile string in every free-text field."""
    s = example("it_led")
    data = s.to_data()
    data["name"] = HOSTILE[0]
    data["description"] = HOSTILE[1]
    for i, d in enumerate(data["departments"]):
        d["name"] = f"{HOSTILE[i % len(HOSTILE)]} dept{i}"
        d["description"] = HOSTILE[(i + 1) % len(HOSTILE)]
    for i, p in enumerate(data["phases"]):
        p["name"] = f"{HOSTILE[(i + 2) % len(HOSTILE)]} phase{i}"
    for i, c in enumerate(data["concerns"]):
        c["name"] = f"{HOSTILE[i % len(HOSTILE)]} concern{i}"
        c["description"] = HOSTILE[3]
    for i, c in enumerate(data["criteria"]):
        c["name"] = f"{HOSTILE[(i + 1) % len(HOSTILE)]} criterion{i}"
        c["unit"] = "<i>u</i>&"
        c["description"] = HOSTILE[0]
    for i, p in enumerate(data["partners"]):
        p["name"] = f"{HOSTILE[(i + 3) % len(HOSTILE)]} partner{i}"
        p["description"] = HOSTILE[1]
    for i, d in enumerate(data["decisions"]):
        d["name"] = f"{HOSTILE[i % len(HOSTILE)]} decision{i}"
    return Scenario.model_validate(data)


@pytest.fixture(scope="module")
def single() -> str:
    return build_report([example("it_led")], n=N, seed=1, generated="test")


@pytest.fixture(scope="module")
def several() -> str:
    names = ["it_led", "learning_led_late_it", "learning_led_early_engagement"]
    return build_report([example(n) for n in names], n=N, seed=1, generated="test")


@pytest.fixture(scope="module")
def hostile() -> str:
    return build_report(
        [hostile_scenario(), example("learning_led_early_engagement")],
        n=N,
        seed=1,
        generated="test",
    )


# -- content -------------------------------------------------------------------------------------


def test_every_section_is_there(single: str) -> None:
    page = parse(single)
    ids = {a.get("id") for _, a in page.elements}
    assert {"summary", "scenario-1", "scenario-1-findings", "assumptions"} <= ids
    assert "comparison" not in ids  # one scenario: no comparison
    headings = page.body_text
    for heading in (
        "Summary",
        "Findings",
        "Who drives the project",
        "When each department engages",
        "Partner choice",
        "Scenario data",
        "Assumptions used",
    ):
        assert heading in headings


def test_every_finding_is_in_the_page(single: str) -> None:
    page = parse(single)
    d = diagnose(example("it_led"), n=N, seed=1)
    articles = page.all("article")
    assert [a["data-code"] for a in articles] == list(d.codes)
    assert [a["data-severity"] for a in articles] == [f.severity for f in d.findings]
    text = page.body_text
    assert d.verdict in text
    for f in d.findings:
        assert " ".join(f.title.split()) in text
        assert " ".join(f.recommendation.split()) in text
        assert " ".join(f.evidence_text.split()) in text


def test_every_figure_of_the_three_areas_is_drawn(single: str) -> None:
    page = parse(single)
    figures = page.all("figure")
    assert {f["data-figure"] for f in figures} == FIGURE_KEYS
    plots = [a for _, a in page.elements if a.get("class") == "plotly-graph-div"]
    assert len(plots) == len(FIGURE_KEYS)
    calls = [s for s in page.scripts if "Plotly.newPlot" in s]
    assert len(calls) == len(FIGURE_KEYS)


def test_plotly_js_is_embedded_once_and_nothing_is_fetched(single: str) -> None:
    page = parse(single)
    bundles = [s for s in page.scripts if len(s) > 1_000_000]
    assert len(bundles) == 1
    for tag, attrs in page.elements:
        for key in ("src", "href", "data", "action", "poster"):
            value = attrs.get(key) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, key, value)
    assert not page.all("link")
    assert "cdn.plot.ly/plotly" not in single.split("<body>")[1]


def test_assumptions_list_every_declared_parameter(single: str) -> None:
    from lmsdecide.diagnosis import DIAGNOSE_PARAMS
    from lmsdecide.registry import all_models

    table = assumptions_table()
    names = {row[1] for row in table.rows}
    for spec in all_models().values():
        assert set(spec.params.names) <= names
    assert set(DIAGNOSE_PARAMS.names) <= names
    assert all(row[5] for row in table.rows)  # every parameter has a source
    text = parse(single).body_text
    # the escalation table of the scenario cites its sources per concern kind
    assert "rework_capacity" in text and "McConnell" in text


def test_scenario_data_tables(single: str) -> None:
    page = parse(single)
    text = page.body_text
    s = example("it_led")
    for d in s.departments:
        assert d.name in text
    for c in s.concerns:
        assert c.name in text
    captions = {"Departments", "Influence (from listens to to)", "Phases", "Concerns", "Partners"}
    assert all(c in text for c in captions)


def test_comparison_for_several_scenarios(several: str) -> None:
    page = parse(several)
    ids = {a.get("id") for _, a in page.elements}
    assert {"comparison", "scenario-1", "scenario-2", "scenario-3"} <= ids
    keys = {f["data-figure"] for f in page.all("figure")}
    assert {"compare-measures", "compare-drive", "compare-completion"} <= keys
    # IT-led's adoption never reaches 80%: the table, the figures and their texts say "never"
    assert "never (ceiling below 80%)" in several and "never (ceiling 62%)" in several
    assert not re.search(r"week inf|\binf weeks|>inf<", several)
    # every element id is unique (plotly draws into the element with its id)
    all_ids = [a["id"] for _, a in page.elements if a.get("id")]
    assert len(all_ids) == len(set(all_ids))


def test_more_than_five_scenarios_skips_the_comparison_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import lmsdecide.report as report

    monkeypatch.setattr(report, "report_figures", lambda *a, **k: [])  # figures tested above
    text = build_report([example("cloud_no_integration")] * 6, n=100, generated="t")
    assert "the side-by-side comparison takes two to 5" in text
    assert 'data-figure="compare-measures"' not in text


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one"):
        build_report([])
    with pytest.raises(ValueError, match="scenarios\\[0\\]"):
        build_report(["it_led"])  # type: ignore[list-item]


def test_write_report_is_atomic_and_complete(tmp_path: Path) -> None:
    path = write_report([example("cloud_no_integration")], tmp_path / "sub" / "r.html", n=100)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert [p.name for p in path.parent.iterdir()] == ["r.html"]


@settings(max_examples=4)
@given(scenarios(printable=True, max_departments=5))
def test_report_on_any_valid_scenario(scenario: Scenario) -> None:
    page = parse(build_report([scenario], n=100, generated="t"))
    not_drawn = page.body_text.count("Not drawn for this scenario")
    partner_figures = {
        "ranking",
        "criteria",
        "expertise",
        "sensitivity",
        "whose_weights",
        "partner_odds",
        "partner_voi",
    }
    if scenario.partners and scenario.criteria:
        # the value of information needs something uncertain to find out about: no weight
        # above zero and no score range leaves nothing to draw, which the page says
        expected = 0 if default_factors(scenario, "partner") else 1
    else:
        expected = len(partner_figures)
    assert not_drawn == expected
    d = diagnose(scenario, n=100)
    assert [a["data-code"] for a in page.all("article")] == list(d.codes)
    assert " ".join(scenario.name.split()) in page.body_text
    assert len(page.all("figure")) == len(FIGURE_KEYS)


# -- hostile text --------------------------------------------------------------------------------


def test_hostile_names_render_as_text_in_the_page(hostile: str) -> None:
    page = parse(hostile)
    # no element, attribute or script came from the scenario's text
    assert not page.all("img")
    assert not [a for _, a in page.elements if any(k.startswith("on") for k in a)]
    assert not [s for s in page.scripts if "__pwned" in s and "Plotly.newPlot" not in s]
    text = page.body_text
    assert HOSTILE[0] in text  # the scenario's name, shown literally
    assert HOSTILE[1] in text
    assert "A & B <b>bold</b>" in text
    # the raw markup never appears unescaped outside the figure data
    outside = re.sub(r"<script.*?</script>", "", hostile, flags=re.S)
    for h in HOSTILE:
        assert h not in outside


def test_hostile_names_cannot_close_the_figure_scripts(hostile: str) -> None:
    page = parse(hostile)
    for script in page.scripts:
        if "Plotly.newPlot" in script:
            assert "</script" not in script.lower()
            assert "<script" not in script.lower()
            assert "<img" not in script.lower()


def test_hostile_names_are_escaped_inside_the_figures() -> None:
    for f in report_figures(hostile_scenario(), n=N, seed=1):
        if f.figure is None:
            continue
        strings = _strings(f.figure)
        for value in strings:
            for h in HOSTILE:
                assert h not in value, (f.key, value)
            stripped = value
            for tag in SAFE_TAGS:
                stripped = stripped.replace(tag, "")
            assert "<" not in stripped and ">" not in stripped, (f.key, value)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())  # type: ignore[union-attr]
    return []


# -- safe_figure ---------------------------------------------------------------------------------


def test_safe_figure_escapes_text_and_keeps_the_builders_tags() -> None:
    fig = go.Figure(
        go.Bar(
            x=["<script>x</script>", "A & B"],
            y=[1, 2],
            name="<img src=x onerror=alert(1)>",
            text=["<b>kept</b>", "<a href='javascript:alert(1)'>link</a>"],
            hovertemplate="%{x}<br>%{y}<extra></extra>",
            customdata=[["<i>ok</i> <span style='x'>s</span>"], ["&amp;"]],
        ),
        layout={"title": {"text": "Title <br><sup>sub & more</sup>"}},
    )
    safe = safe_figure(fig)
    bar = safe.data[0]
    assert list(bar.x) == ["&lt;script&gt;x&lt;/script&gt;", "A &amp; B"]
    assert bar.name == "&lt;img src=x onerror=alert(1)&gt;"
    assert list(bar.text) == [
        "<b>kept</b>",
        "&lt;a href='javascript:alert(1)'&gt;link&lt;/a&gt;",
    ]
    assert bar.hovertemplate == "%{x}<br>%{y}<extra></extra>"
    assert bar.customdata[0][0] == "<i>ok</i> &lt;span style='x'&gt;s&lt;/span&gt;"
    assert bar.customdata[1][0] == "&amp;"  # an entity is kept: plotly shows "&"
    assert safe.layout.title.text == "Title <br><sup>sub &amp; more</sup>"
    assert list(bar.y) == [1, 2]
    # the original is untouched
    assert fig.data[0].x[0] == "<script>x</script>"


def test_safe_figure_without_protected_texts_is_idempotent() -> None:
    fig = go.Figure(go.Bar(x=["<b>x</b> & <script>", "&lt;already&gt; &amp; done"], y=[1, 2]))
    once = safe_figure(fig)
    assert json.loads(safe_figure(once).to_json()) == json.loads(once.to_json())
    assert list(once.data[0].x) == [
        "<b>x</b> &amp; &lt;script&gt;",
        "&lt;already&gt; &amp; done",  # a builder's escaping is kept, never turned into tags
    ]


def test_protected_scenario_texts_show_exactly_as_written() -> None:
    name = "A & <b>B</b> &amp;"
    fig = go.Figure(
        go.Bar(x=[name, f"{name} (reseller)", "other"], y=[1, 2, 3], name=f"<b>{name}</b>"),
        layout={"title": {"text": f"Ranking<br><sup>{name}</sup>"}},
    )
    safe = safe_figure(fig, protect=[name, "plain name"])
    escaped = "A &amp; &lt;b&gt;B&lt;/b&gt; &amp;amp;"
    assert list(safe.data[0].x) == [escaped, f"{escaped} (reseller)", "other"]
    assert safe.data[0].name == f"<b>{escaped}</b>"  # the builder's bold stays
    assert safe.layout.title.text == f"Ranking<br><sup>{escaped}</sup>"


def test_safe_figure_leaves_plain_figures_equal() -> None:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="plain", line={"color": "#D55E00"}))
    assert json.loads(safe_figure(fig).to_json()) == json.loads(fig.to_json())


# -- images through kaleido (Debian's chromium) ---------------------------------------------------


@pytest.mark.slow
def test_write_images_png_and_svg_offline(tmp_path: Path) -> None:
    import shutil

    from lmsdecide.report import write_images

    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        pytest.skip("chromium is not installed")
    written = write_images(
        [example("it_led"), example("learning_led_early_engagement")],
        tmp_path,
        n=200,
        only={"drive_share", "compare-measures"},
    )
    names = sorted(p.name for p in written)
    assert names == [
        "1-drive_share.png",
        "1-drive_share.svg",
        "2-drive_share.png",
        "2-drive_share.svg",
        "compare-measures.png",
        "compare-measures.svg",
    ]
    for p in written:
        data = p.read_bytes()
        if p.suffix == ".png":
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data[:500]
