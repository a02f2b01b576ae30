"""Workshop mode, the part without widgets: the story's steps, the key numbers, A against B.

A facilitator presents lmsdecide live. The :data:`STORY` walks a room through the source article's
argument in four steps (IT leads; learning leads but IT comes late; learning leads with everyone
early; the partner choice). :func:`key_numbers` gives the handful of numbers the room argues
about, and :func:`compare_pair` puts two scenarios side by side on common random numbers (the
same seed, hence the same duration and escalation draws for both), so that a difference is the
plans' doing, not noise. The dashboard is :class:`lmsdecide.widgets.Workshop`.

:func:`story_for` derives the same four-step story from an organisation's own scenario (as
planned; with IT brought in late; as recommended; the partner choice), so a facilitator can
present their own organisation: ``lmsdecide present --scenario my_org.yaml``. The bundled story
(:data:`STORY` on the bundled scenarios) stays the default (:func:`bundled_story`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmsdecide._env import STORY_SCENARIO_ENV
from lmsdecide.caching import ResultCache, content_key
from lmsdecide.diagnosis import Diagnosis, diagnose
from lmsdecide.influence import who_drives
from lmsdecide.partner import partner_ranking
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario
from lmsdecide.timing import adoption, simulate_schedule
from lmsdecide.timing.schedule import ScheduleRiskResult

__all__ = [
    "ADOPTION_WEEKS",
    "STORY",
    "STORY_SCENARIO_ENV",
    "KeyNumbers",
    "PairComparison",
    "Story",
    "StoryStep",
    "bundled_story",
    "compare_pair",
    "key_numbers",
    "story_for",
    "story_from_environment",
]

#: "Adoption at 6 months": 26 weeks after go-live.
ADOPTION_WEEKS = 26.0


@dataclass(frozen=True)
class StoryStep:
    """One step of the facilitator's story.

    ``focus`` names the figure to look at (``drive``, ``timeline`` or ``partner``); ``look_at`` is
    the prompt shown to the room, with ``{placeholders}`` filled from the step's key numbers so
    the words always match what is drawn.
    """

    title: str
    scenario: str
    focus: str
    look_at: str


STORY: tuple[StoryStep, ...] = (
    StoryStep(
        title="1. IT leads the LMS project",
        scenario="it_led",
        focus="drive",
        look_at=(
            "Who drives? Learning (L&D and HR) determines {learning_share:.0%} of the final "
            "decision; the top driver is {top_driver}. An LMS run as an IT project."
        ),
    ),
    StoryStep(
        title="2. Learning leads, but IT arrives just before launch",
        scenario="learning_led_late_it",
        focus="timeline",
        look_at=(
            "When does each department engage? IT's concerns (single sign-on, the HR feed, the "
            "security review) surface late and cost rework: P50 go-live {p50:.1f} weeks, "
            "{on_time:.0%} chance of launching on time."
        ),
    ),
    StoryStep(
        title="3. Learning leads, everyone engaged early",
        scenario="learning_led_early_engagement",
        focus="timeline",
        look_at=(
            "The source article's recommendation: IT, communications and finance in from the "
            "start. "
            "P50 go-live {p50:.1f} weeks, {on_time:.0%} chance of launching on time, "
            "{adoption:.0%} of learners using it six months after launch."
        ),
    ),
    StoryStep(
        title="4. The partner choice: whose weights win?",
        scenario="it_led",
        focus="partner",
        look_at=(
            "With IT driving, the weights of the drivers choose {partner}. Follow the curve: "
            "as the learning share grows, a learning-focused partner wins."
        ),
    ),
)


@dataclass(frozen=True)
class KeyNumbers:
    """The numbers a room argues about, for one scenario.

    Attributes
    ----------
    learning_share
        Share of the final decision L&D and HR determine (``who_drives``), in [0, 1].
    top_driver
        Name of the department with the largest share.
    p50, p80
        Go-live time in weeks, median and 80th percentile (``simulate_schedule``).
    on_time
        Probability of going live by ``launch_target``.
    adoption
        Share of learners using the LMS :data:`ADOPTION_WEEKS` weeks after go-live (Bass).
    partner
        The partner the drivers' own criteria weights rank first (TOPSIS), by name.
    critical, warnings
        Number of critical and warning findings from ``diagnose`` (None when not diagnosed).
    """

    scenario: str
    learning_share: float
    top_driver: str
    p50: float
    p80: float
    on_time: float
    adoption: float
    partner: str
    critical: int | None
    warnings: int | None

    def as_dict(self) -> dict[str, float | str | int]:
        """Plain values, for prompts and tables."""
        return dict(self.__dict__)


def _adoption_at(scenario: Scenario, weeks: float) -> float:
    curve = adoption(scenario)
    return float(np.interp(weeks, curve.t, curve.share))


def key_numbers(
    scenario: Scenario,
    *,
    n: int = 2000,
    seed: int | None = 20120907,
    risk: ScheduleRiskResult | None = None,
    diagnosis: Diagnosis | None = None,
    with_findings: bool = True,
) -> KeyNumbers:
    """The key numbers of ``scenario``.

    ``risk`` and ``diagnosis`` reuse results already made; ``with_findings=False`` skips the
    diagnosis (the slowest part, about 0.2 s) and leaves the finding counts None.
    """
    drive = who_drives(scenario)
    risk = risk if risk is not None else simulate_schedule(scenario, n=n, seed=seed)
    ranking = partner_ranking(scenario, weights_from="drivers")
    top = ranking.top
    partner = scenario.partner(top).name if top else "no qualified partner"
    if diagnosis is None and with_findings:
        diagnosis = diagnose(scenario, n=n, seed=seed)
    severities = [f.severity for f in diagnosis.findings] if diagnosis is not None else None
    return KeyNumbers(
        scenario=scenario.name,
        learning_share=float(drive.learning_share),
        top_driver=scenario.department(drive.top_driver).name,
        p50=float(risk.p50),
        p80=float(risk.p80),
        on_time=float(risk.on_time_probability),
        adoption=_adoption_at(scenario, ADOPTION_WEEKS),
        partner=partner,
        critical=severities.count("critical") if severities is not None else None,
        warnings=severities.count("warning") if severities is not None else None,
    )


@dataclass(frozen=True, eq=False)
class PairComparison(ArrayEq):
    """Two scenarios side by side, simulated on common random numbers."""

    labels: tuple[str, str]
    a: KeyNumbers
    b: KeyNumbers
    risk_a: ScheduleRiskResult
    risk_b: ScheduleRiskResult

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: A, B and B - A where the measure is a number."""
        rows = []
        labels = {
            "learning_share": "Learning share of the decision",
            "top_driver": "Top driver",
            "p50": "Go-live P50 (weeks)",
            "p80": "Go-live P80 (weeks)",
            "on_time": "Probability of launching on time",
            "adoption": "Adoption 6 months after launch",
            "partner": "Partner the drivers choose",
            "critical": "Critical findings",
        }
        for key, label in labels.items():
            va, vb = getattr(self.a, key), getattr(self.b, key)
            numeric = isinstance(va, (int, float)) and not isinstance(va, bool)
            rows.append(
                {
                    "measure": label,
                    "key": key,
                    "A": va,
                    "B": vb,
                    "B - A": (vb - va) if numeric else ("same" if va == vb else "differs"),
                }
            )
        return pd.DataFrame(rows)


def compare_pair(
    a: Scenario,
    b: Scenario,
    *,
    n: int = 2000,
    seed: int | None = 20120907,
    labels: tuple[str, str] = ("A", "B"),
) -> PairComparison:
    """A against B on common random numbers: the same seed drives both simulations.

    With the same seed both plans draw the same phase durations and escalation percentiles
    (when their phase tables have the same shape), so B - A reflects the plans, not sampling
    noise.
    """
    risk_a, numbers_a = _pair_side(a, n, seed)
    risk_b, numbers_b = _pair_side(b, n, seed)
    return PairComparison(labels=labels, a=numbers_a, b=numbers_b, risk_a=risk_a, risk_b=risk_b)


#: One side of a pair by content (scenario, draws, seed): choosing another B in the Workshop
#: leaves A as it was, and its diagnosis (the slowest part) is not made again.
PAIR_CACHE: ResultCache[tuple[ScheduleRiskResult, KeyNumbers]] = ResultCache(maxsize=8)


def _pair_side(
    scenario: Scenario, n: int, seed: int | None
) -> tuple[ScheduleRiskResult, KeyNumbers]:
    def compute() -> tuple[ScheduleRiskResult, KeyNumbers]:
        risk = simulate_schedule(scenario, n=n, seed=seed)
        return risk, key_numbers(scenario, n=n, seed=seed, risk=risk)

    if seed is None:  # fresh draws every time: nothing to reuse
        return compute()
    key = content_key(scenario, {"computation": "compare_pair", "n": n, "seed": seed})
    return PAIR_CACHE.get(key, compute)


# ---------------------------------------------------------------------------------------------
# A story of one's own organisation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """A story to present: its steps, the scenarios they show (label -> scenario), and the pair
    A against B starts on (two labels of ``sources``)."""

    steps: tuple[StoryStep, ...]
    sources: Mapping[str, Scenario]
    pair: tuple[str, str]


def bundled_story() -> Story:
    """The default story: :data:`STORY` on the bundled scenarios."""
    from lmsdecide.io import example

    sources: dict[str, Scenario] = {}
    for step in STORY:
        sources.setdefault(step.scenario, example(step.scenario))
    for name in ("learning_led_late_it", "learning_led_early_engagement"):
        sources.setdefault(name, example(name))
    return Story(STORY, sources, ("learning_led_late_it", "learning_led_early_engagement"))


def _label(scenario: Scenario, suffix: str) -> str:
    base = scenario.name if len(scenario.name) <= 150 else scenario.name[:149] + "…"
    return f"{base}: {suffix}"


def _braces(text: str) -> str:
    """Text of the organisation's inside a prompt template: braces kept as braces."""
    return text.replace("{", "{{").replace("}", "}}")


def _late_phase(scenario: Scenario) -> str:
    """The phase just before go-live (IT 'just before launch'); the launch phase when first."""
    index = max(scenario.launch_index - 1, 0)
    return scenario.phase_ids[index]


def story_for(scenario: Scenario, *, n: int = 2000, seed: int | None = 20120907) -> Story:
    """The four-step story of ``scenario``, one's own organisation.

    1. *As planned*: the scenario as given; who drives.
    2. *With IT brought in late*: every IT department first involved in the phase before go-live
       (left out when the organisation has no IT department).
    3. *As recommended*: the engagement plan of :func:`lmsdecide.timing.recommend_plan`.
    4. *The partner choice*: whose criteria weights win (left out without partners).

    The prompts name the organisation's own numbers (filled from :func:`key_numbers` when shown).
    """
    from lmsdecide.timing import recommend_plan

    planned = scenario.with_changes(name=_label(scenario, "as planned"))
    sources: dict[str, Scenario] = {planned.name: planned}
    steps = [
        StoryStep(
            title="1. As planned",
            scenario=planned.name,
            focus="drive",
            look_at=(
                "Who drives? Learning (L&D and HR) determines {learning_share:.0%} of the final "
                "decision; the top driver is {top_driver}. Go-live P50 {p50:.1f} weeks, "
                "{on_time:.0%} chance of launching on time."
            ),
        )
    ]
    it_ids = [d.id for d in scenario.departments if d.function == "it"]
    late_label = ""
    if it_ids:
        late_phase = _late_phase(scenario)
        phase_name = _braces(scenario.phases[scenario.phase_index(late_phase)].name)
        later = [
            d for d in it_ids if scenario.engagement_index(d) < scenario.phase_index(late_phase)
        ]
        late = scenario.with_changes(
            name=_label(scenario, "IT brought in late"),
            engagement={**scenario.engagement, **dict.fromkeys(later, late_phase)},
        )
        sources[late.name] = late
        late_label = late.name
        steps.append(
            StoryStep(
                title=f"{len(steps) + 1}. With IT brought in late",
                scenario=late.name,
                focus="timeline",
                look_at=(
                    f"What if IT first hears of the project in {phase_name}? Its concerns surface "
                    "late and cost rework: P50 go-live {p50:.1f} weeks, {on_time:.0%} chance of "
                    "launching on time."
                ),
            )
        )
    plan = recommend_plan(scenario, n=n, seed=seed)
    recommended = scenario.with_changes(
        name=_label(scenario, "as recommended"), engagement=dict(plan.recommended)
    )
    sources[recommended.name] = recommended
    moved = [
        scenario.department(d).name
        for d in scenario.department_ids
        if plan.recommended.get(d) != scenario.engagement.get(d)
    ]
    who = _braces(", ".join(moved[:4])) + (" and others" if len(moved) > 4 else "")
    steps.append(
        StoryStep(
            title=f"{len(steps) + 1}. As recommended",
            scenario=recommended.name,
            focus="timeline",
            look_at=(
                (
                    f"Engage {who} earlier. "
                    if moved
                    else "The plan already engages everyone in time. "
                )
                + f"That saves {plan.effort_saving:.1f} person-weeks; "
                + "P50 go-live {p50:.1f} weeks, {on_time:.0%} chance of launching on time, "
                "{adoption:.0%} of learners using it six months after launch."
            ),
        )
    )
    if scenario.partners and scenario.criteria:
        steps.append(
            StoryStep(
                title=f"{len(steps) + 1}. The partner choice: whose weights win?",
                scenario=planned.name,
                focus="partner",
                look_at=(
                    "With these drivers, their weights choose {partner}. Follow the curve: as "
                    "the learning share grows, which partner wins?"
                ),
            )
        )
    pair = (late_label or planned.name, recommended.name)
    return Story(tuple(steps), sources, pair)


def story_from_environment(*, n: int = 2000, seed: int | None = 20120907) -> Story | None:
    """The story of the scenario file named by :data:`STORY_SCENARIO_ENV`, or None (bundled).

    Raises
    ------
    ScenarioError
        When the file named is missing or invalid.
    """
    from lmsdecide.io import load_scenario

    path = os.environ.get(STORY_SCENARIO_ENV)
    if not path:
        return None
    return story_for(load_scenario(path), n=n, seed=seed)
