"""The finding codes: one table, code -> severities, title template, principle, when it fires.

The order of :data:`CODES` is the order of findings of equal severity in a diagnosis. Adding a
finding is one row here and one rule function in :mod:`lmsdecide.diagnosis.rules` (see
CONTRIBUTING.md); ``tests/test_diagnose.py`` checks that every row has a rule that can emit it
and that docs/diagnosis_and_report.md lists it.

Bottom of the diagnosis package: imports nothing from ``lmsdecide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["CODES", "PRINCIPLES", "SEVERITIES", "FindingCode", "Severity"]

Severity = Literal["critical", "warning", "info"]
#: Severities, most serious first.
SEVERITIES: tuple[str, ...] = get_args(Severity)

#: The source article's principles (000_4b74ef1d428be6ba.txt, "Who's driving your learning?",
#: 2012), by key; a finding's ``principle`` is one of these keys.
PRINCIPLES: dict[str, str] = {
    "learning_drives": (
        "Learning must drive an LMS project: L&D/HR or training 'need to have the biggest "
        "influence in your end result'."
    ),
    "not_it_led": (
        "'Seeing IT leading an LMS installation is a sure fire way to get the wrong system "
        "installed, or at very least, get the right system with the wrong set up.'"
    ),
    "it_early": (
        "'You MUST and as early as possible involve IT ... don't wait until you're about to "
        "launch.'"
    ),
    "cloud_little_it": (
        "A cloud system with no integration is 'no more IT than any other portal': late IT "
        "costs little there."
    ),
    "comms_early": (
        "Engage marketing and communications 'as early as possible to make for the most "
        "successful of projects'."
    ),
    "finance_early": (
        "'Would you install a financial [system] without engaging and listening to your "
        "financial department?'"
    ),
    "engage_early": "Involve the departments with a stake early, not just before launch.",
    "learning_partner": (
        "Choose a partner 'that's all about Learning', not an IT integrator or 'simply an "
        "onseller'."
    ),
    "expertise_match": (
        "'Match the expertise of your team with that of the team you're linking with.'"
    ),
    "dog_wags_tail": "Make sure the dog wags the tail and not the other way round.",
}


@dataclass(frozen=True)
class FindingCode:
    """One row of the table.

    Attributes
    ----------
    code
        Stable identifier, for scripts and tests.
    severities
        The severities the finding can take; the first is its usual one.
    title
        Title template (``str.format`` fields filled by the rule).
    principle
        Key of :data:`PRINCIPLES` the finding rests on (a rule may name a more specific one).
    fires_when
        When the rule emits it, in words (the documentation's table).
    title_info
        Title template when the finding is information only (defaults to ``title``).
    """

    code: str
    severities: tuple[Severity, ...]
    title: str
    principle: str
    fires_when: str
    title_info: str | None = None

    def __post_init__(self) -> None:
        if self.principle not in PRINCIPLES:
            raise ValueError(f"{self.code}.principle: unknown principle {self.principle!r}")
        bad = [s for s in self.severities if s not in SEVERITIES]
        if not self.severities or bad:
            raise ValueError(f"{self.code}.severities: must be among {SEVERITIES}, got {bad}")


_LATE_TITLE = (
    "{names} engaged late: {rework:.1f} person-weeks of expected rework, "
    "{delay:.1f} weeks of go-live delay"
)
_LATE_INFO = "{names} engaged after {milestone}, at no modelled cost"
_LATE: tuple[Severity, ...] = ("critical", "warning", "info")

_ROWS: tuple[FindingCode, ...] = (
    FindingCode(
        "LEARNING_NOT_DRIVING",
        ("critical",),
        "Learning is not driving the project ({share} share)",
        "learning_drives",
        "learning share (L&D + HR) < `learning_threshold`",
    ),
    FindingCode(
        "IT_LEADS",
        ("critical",),
        "IT leads the project: {name} is the top driver ({share})",
        "not_it_led",
        "the top driver is an IT department",
    ),
    FindingCode(
        "WRONG_CHOICE",
        ("warning", "critical"),
        "The drivers' weights pick {drivers}; learning's would pick {learning}",
        "not_it_led",
        "the drivers' criteria weights choose another partner than learning's (critical when "
        "that partner is the one selected)",
    ),
    FindingCode(
        "IT_LATE",
        _LATE,
        _LATE_TITLE,
        "it_early",
        "IT engaged after requirements, or IT concerns surface late",
        _LATE_INFO,
    ),
    FindingCode(
        "COMMS_LATE",
        _LATE,
        _LATE_TITLE,
        "comms_early",
        "communications or marketing engaged after design, or their concerns surface late",
        _LATE_INFO,
    ),
    FindingCode(
        "FINANCE_LATE",
        _LATE,
        _LATE_TITLE,
        "finance_early",
        "finance not engaged *before* partner selection, or its concerns surface late",
        _LATE_INFO,
    ),
    FindingCode(
        "LATE_ENGAGEMENT",
        _LATE,
        _LATE_TITLE,
        "engage_early",
        "any other department (L&D, HR, learners, ...) whose concerns surface late",
        _LATE_INFO,
    ),
    FindingCode(
        "LEARNING_DECISIONS_ELSEWHERE",
        ("warning",),
        "{count} learning-defining {decisions} Accountable outside learning",
        "learning_drives",
        "a learning-defining decision is Accountable outside learning",
    ),
    FindingCode(
        "PARTNER_NOT_LEARNING",
        ("warning",),
        "The selected partner, {name}, is a {type}, not learning",
        "learning_partner",
        "the selected partner is not a learning specialist",
    ),
    FindingCode(
        "WEAK_EXPERTISE_MATCH",
        ("warning",),
        "{name}'s expertise matches the team's weakly (similarity {similarity:.2f})",
        "expertise_match",
        "cosine similarity of the team's and the selected partner's expertise "
        "< `min_expertise_match`",
    ),
    FindingCode(
        "PARTNER_ODDS",
        ("warning", "info"),
        "{best} ranks first in {best_p} of cases; the selected {selected} in {selected_p}",
        "learning_partner",
        "SMAA-2 with the uncertain scores and weights: another partner ranks first in most "
        "draws and the selected one in under half (warning), or no partner ranks first in 60% "
        "of draws (info)",
        "No partner is a clear choice: the best odds are {best_p}",
    ),
    FindingCode(
        "PROMISE_BELOW_FORECAST",
        ("warning",),
        "{name} promises go-live in {promised:g} weeks; the model forecasts P50 {p50:.1f} with it",
        "learning_partner",
        "the selected partner's promised time to launch is far below the forecast P50 with it "
        "(`lmsdecide.timing.partners.promise_gaps`)",
    ),
    FindingCode(
        "SCHEDULE_AT_RISK",
        ("warning",),
        "Launch by week {target:g} is unlikely ({chance} chance)",
        "engage_early",
        "probability of going live by the target < `min_on_time`",
    ),
    FindingCode(
        "DECISION_RIGHTS_GAPS",
        ("warning", "info"),
        "Decision-rights gaps in {gaps} of {total} decisions",
        "dog_wags_tail",
        "RACI gaps: no or several Accountable (warning), no Responsible only (info)",
    ),
)

#: Every finding code, in the order findings of equal severity are listed.
CODES: dict[str, FindingCode] = {row.code: row for row in _ROWS}
