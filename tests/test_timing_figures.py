"""Figure builders: the trace data equals the model output."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.figures import timing as F
from lmsdecide.figures.format import person_weeks
from lmsdecide.figures.palette import function_colour
from lmsdecide.timing import (
    adoption,
    escalation_curve,
    late_engagement,
    recommend_plan,
    simulate_schedule,
)


def num(values: object) -> np.ndarray:
    """Trace data as floats (plotly may hold numbers in object arrays)."""
    return np.asarray(values, dtype=float)


def trace(fig: go.Figure, name: str) -> go.BaseTraceType:
    matches = [t for t in fig.data if t.name == name or str(t.name).startswith(name)]
    assert matches, [t.name for t in fig.data]
    return matches[0]


@pytest.fixture(scope="module")
def it_led() -> L.Scenario:
    return L.example("it_led")


def test_engagement_timeline(it_led: L.Scenario) -> None:
    late = late_engagement(it_led)
    fig = F.engagement_timeline(late)
    phases = trace(fig, "phases")
    np.testing.assert_allclose(num(phases.base), late.phases["start"])
    np.testing.assert_allclose(num(phases.x), late.phases["mean_duration"])
    engaged = trace(fig, "engaged")
    rows = late.departments[late.departments["engaged_index"] >= 0]
    assert list(engaged.y) == list(rows["name"])
    # a department never engaged is marked at the end of the last phase
    ends = late.phases["start"].to_numpy() + late.phases["mean_duration"].to_numpy()
    starts = np.append(late.phases["start"].to_numpy(), ends[-1])
    np.testing.assert_allclose(num(engaged.x), starts[rows["engaged_index"].to_numpy()])
    assert list(engaged.marker.color) == [function_colour(f) for f in rows["function"]]
    due = trace(fig, "concern due")
    assert len(due.x) == len(late.concerns)
    surfaced = trace(fig, "surfaces late")
    late_rows = late.concerns[late.concerns["late"]]
    assert list(surfaced.text) == list(late_rows["concern"])
    np.testing.assert_allclose(
        [float(v) for v in surfaced.customdata[:, 2]], late_rows["expected_rework"]
    )
    golive = (
        late.phases["start"].iloc[late.launch_index]
        + late.phases["mean_duration"].iloc[late.launch_index]
    )
    assert fig.layout.shapes[0].x0 == pytest.approx(golive)


def test_escalation_figure(it_led: L.Scenario) -> None:
    curve = escalation_curve(it_led)
    fig = F.escalation_figure(curve)
    rows = curve.curve[curve.curve["kind"] == "integration"]
    np.testing.assert_allclose(num(trace(fig, "integration").y), rows["mean"])
    np.testing.assert_allclose(num(trace(fig, "integration").x), rows["lateness"])
    assert len(fig.data) == len(curve.table)
    assert fig.layout.yaxis.type == "log"


def test_completion_figure(it_led: L.Scenario) -> None:
    risk = simulate_schedule(it_led, n=2000, seed=1)
    fig = F.completion_figure(risk)
    np.testing.assert_array_equal(fig.data[0].x, risk.completion)
    lines = sorted(shape.x0 for shape in fig.layout.shapes)
    assert lines == pytest.approx(sorted([risk.p50, risk.p80, risk.launch_target]))


def test_tornado_figure(it_led: L.Scenario) -> None:
    risk = simulate_schedule(it_led, n=2000, seed=1)
    fig = F.tornado_figure(risk)
    bar = fig.data[0]
    np.testing.assert_allclose(num(bar.x), risk.tornado["p50_change"].to_numpy()[::-1])
    assert list(bar.y) == list(risk.tornado["name"])[::-1]
    # the phases by name in the hover and the text, never by id
    hover = dict(zip(bar.y, (tuple(c) for c in bar.customdata), strict=True))
    assert hover["Learning and Development"] == (
        "engaged in Design and configuration",
        "Needs analysis",
    )
    assert hover["Line managers"][0] == "not engaged"
    assert F.describe_tornado(risk).startswith(
        "Engaging Learning and Development in Needs analysis instead of Design and configuration"
    )


def test_adoption_figure(it_led: L.Scenario) -> None:
    plan = recommend_plan(it_led, n=500, seed=1)
    a = adoption(it_led, learning_share_from_model=False)
    b = adoption(it_led.with_changes(engagement=plan.recommended), learning_share_from_model=False)
    fig = F.adoption_figure(a, b)
    curves = [t for t in fig.data if t.mode == "lines"]
    np.testing.assert_allclose(num(curves[0].y), a.share)
    np.testing.assert_allclose(num(curves[1].y), b.share)
    marks = [t for t in fig.data if t.mode == "markers"]
    # a time never reached (inf: the ceiling is below it), or after the curve's end, has no mark
    for result, mark in ((a, marks[0]), (b, marks[1])):
        shown = [t if t <= result.t[-1] else np.nan for t in (result.t50, result.t80)]
        np.testing.assert_allclose(num(mark.x), shown)
    # every link's assumption is shown: p and q on hover, their sources in the text alternative
    assert f"p={a.p:.3f}" in curves[0].hovertemplate
    assert "learning share" in curves[0].hovertemplate
    text = F.describe_adoption(a, b)
    for name in ("p_late", "p_early", "q_low", "q_high"):
        assert name in text


def test_adoption_above_the_ceiling_is_never_reached(it_led: L.Scenario) -> None:
    # IT-led: its own ceiling 0.85 and six items missing at go-live (branding, the launch
    # campaign, ...), 5% off each: at most 0.85 * 0.95 ** 6 = 62.5% of the learners ever
    # adopt, so 80% is never reached
    a = adoption(it_led)
    assert len(a.missing) == 6
    assert a.ceiling == pytest.approx(0.85 * 0.95**6) == pytest.approx(0.6248, abs=1e-4)
    assert a.t80 == float("inf") and np.isfinite(a.t50)
    plan = recommend_plan(it_led, n=500, seed=1)
    b = adoption(it_led.with_changes(engagement=plan.recommended))
    assert np.isfinite(b.t80) and b.ceiling > a.ceiling
    fig = F.adoption_figure(a, b)
    marks = [t for t in fig.data if t.mode == "markers"]
    # no mark at infinity, nor where the curve has ended (the weeks shown: 52)
    assert a.t50 > a.t[-1] == 52 and b.t50 < 52 < b.t80
    assert marks[0].x == (None, None) and marks[1].x == (b.t50, None)
    subtitle = fig.layout.title.subtitle.text
    assert "current plan never (ceiling 62%)" in subtitle, subtitle
    assert f"recommended plan by week {b.t80:.0f}" in subtitle
    # each plan's ceiling is a line in its colour, named in the legend
    lines = {s.name: s.y0 for s in fig.layout.shapes}
    assert lines == {
        "ceiling, current plan: 62%": a.ceiling,
        f"ceiling, recommended plan: {b.ceiling:.0%}": b.ceiling,
    }
    text = F.describe_adoption(a, b)
    assert "80% never (ceiling 62%) and by week" in text and "At most 62% and" in text


def test_plan_figure(it_led: L.Scenario) -> None:
    plan = recommend_plan(it_led, n=500, seed=1)
    fig = F.plan_figure(plan)
    current, recommended = trace(fig, "current"), trace(fig, "recommended")
    table = plan.table.iloc[::-1]
    assert list(current.x) == list(table["current"])
    assert list(recommended.x) == list(table["recommended"])
    assert list(fig.layout.xaxis.categoryarray)[-1] == "never"
    assert person_weeks(plan.effort_saving) in fig.layout.title.subtitle.text
    # the phases by name under the ticks, wrapped so that nine fit unturned
    assert fig.layout.xaxis.tickvals == fig.layout.xaxis.categoryarray
    assert fig.layout.xaxis.ticktext[:3] == (
        "Needs analysis",
        "Requirements",
        "System and<br>partner<br>selection",
    )
    # each department's hover says what its move saves, in words; a move that costs more
    # meeting time than the rework it avoids says so (IT-led's marketing, from launch to design)
    hover = dict(zip(recommended.y, recommended.hovertext, strict=True))
    hr_saving = float(table.set_index("name").loc["Human Resources", "saving"])
    assert hover["Human Resources"] == (
        f"Human Resources: engage in Requirements; saves {person_weeks(hr_saving)}"
    )
    by_name = table.set_index("name")
    mk = by_name.loc["Marketing"]
    # more meetings (three phases earlier) than the rework its late concerns would cost
    assert mk["meeting_recommended"] - mk["meeting_current"] > mk["rework_current"]
    assert hover["Marketing"] == (
        f"Marketing: engage in Design and configuration; {person_weeks(-mk['saving'])} more in "
        "meetings than the rework it avoids, engaged when its first concern falls due"
    )
    assert hover["Information Technology"].endswith("; as now")
    assert dict(zip(current.y, current.hovertext, strict=True))["Line managers"] == (
        "Line managers: not engaged"
    )
    text = F.describe_plan(plan)
    assert "Finance from System and partner selection to Requirements" in text
    assert "Line managers from not engaged to Requirements" in text
    costlier = int((by_name["changed"] & (by_name["saving"] <= -0.05)).sum())
    assert costlier >= 1  # marketing at least (above)
    assert f"{costlier} of these cost more meeting time than the rework they avoid" in text
