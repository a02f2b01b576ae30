"""Every mapping from a plain-language answer to a model number, in one place.

The interview asks questions a person can answer about colleagues ("how firmly does Finance hold
its view?") and turns each answer into a number of the :class:`~lmsdecide.scenario.Scenario`
through the tables below. Each table is a plain mapping: a researcher who prefers other numbers
changes them here (and in docs/interview.md, which lists them with their rationale). Every
number is **illustrative** unless a source is named: chosen to span the model's range and to
reproduce the bundled scenarios, not measured.

Units: authority is relative (normalised by the models); susceptibility in [0, 1] (1 -
stubbornness, Friedkin & Johnsen 1999); position in [-1, 1] (-1 technology-led, +1
learning-led); influence weights relative (row-normalised by the model); power, interest,
legitimacy and urgency in [0, 1]; durations in weeks; escalation factors relative to a fix made in
requirements (= 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = [
    "CARES",
    "CLOUT",
    "FIRMNESS",
    "FUNCTION_DEFAULTS",
    "FUNCTION_LABELS",
    "LEANING",
    "LISTENS",
    "PARTNER_TYPE_LABELS",
    "SAATY",
    "SIGN_OFF",
    "SIGN_OFF_RIGHTS",
    "STANDARD_CRITERIA",
    "STANDARD_PHASES",
    "TIME_TO_LAUNCH",
]


def _frozen(table: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(table))


#: "Who formally signs off the LMS decision?" -> authority (relative formal say, >= 0).
#: Illustrative; 3 : 1.5 : 0.5 reproduces the bundled learning-led scenarios (L&D 3, HR 1.5).
SIGN_OFF: Mapping[str, float] = _frozen(
    {
        "final say": 3.0,
        "shares the sign-off": 1.5,
        "must be consulted": 0.5,
        "no formal say": 0.0,
    }
)

#: The same answer as a right on the decision "Choose the system and the partner" (RACI, PMI 2017
#: §9.1.2.2: exactly one Accountable). The first department with the final say is A; any other
#: with the final say becomes R.
SIGN_OFF_RIGHTS: Mapping[str, str] = _frozen(
    {
        "final say": "A",
        "shares the sign-off": "R",
        "must be consulted": "C",
        "no formal say": "I",
    }
)

#: "How firmly does it hold its view?" -> susceptibility (1 - stubbornness). Illustrative:
#: evenly spread over [0.05, 0.8]; Friedkin & Johnsen (1999) report susceptibilities across the
#: whole unit interval in small groups.
FIRMNESS: Mapping[str, float] = _frozen(
    {
        "easily persuaded": 0.8,
        "open to persuasion": 0.65,
        "holds its view": 0.5,
        "firm": 0.3,
        "never changes its mind": 0.05,
    }
)

#: "Which way does it lean?" -> position in [-1, 1]. Illustrative, symmetric.
LEANING: Mapping[str, float] = _frozen(
    {
        "strongly learning-led": 0.8,
        "learning-led": 0.4,
        "undecided": 0.0,
        "technology-led": -0.4,
        "strongly technology-led": -0.8,
    }
)

#: "Whose opinion does it weigh, and how much?" -> influence weight (row-normalised later).
#: Illustrative: about 2 : 1 between steps, as in the bundled scenarios.
LISTENS: Mapping[str, float] = _frozen({"mostly": 0.6, "somewhat": 0.3, "a little": 0.1})

#: Optional "How much can it stop or speed up the project?" -> power. Illustrative.
CLOUT: Mapping[str, float] = _frozen({"a lot": 0.8, "some": 0.5, "little": 0.2})

#: Optional "How much does it care about the LMS?" -> interest. Illustrative.
CARES: Mapping[str, float] = _frozen({"a lot": 0.9, "some": 0.5, "little": 0.2})

#: Stakeholder attributes of a department by function, used when ``clout``/``cares`` are not
#: answered, and for legitimacy and urgency (which the interview does not ask). Illustrative:
#: the values of the bundled scenario ``learning_led_early_engagement``.
FUNCTION_DEFAULTS: Mapping[str, Mapping[str, float]] = _frozen(
    {
        "learning": {"power": 0.6, "interest": 0.95, "legitimacy": 0.9, "urgency": 0.7},
        "hr": {"power": 0.6, "interest": 0.8, "legitimacy": 0.8, "urgency": 0.5},
        "it": {"power": 0.7, "interest": 0.6, "legitimacy": 0.7, "urgency": 0.5},
        "marketing": {"power": 0.3, "interest": 0.3, "legitimacy": 0.4, "urgency": 0.2},
        "communications": {"power": 0.3, "interest": 0.6, "legitimacy": 0.5, "urgency": 0.3},
        "finance": {"power": 0.7, "interest": 0.4, "legitimacy": 0.7, "urgency": 0.4},
        "procurement": {"power": 0.4, "interest": 0.4, "legitimacy": 0.6, "urgency": 0.4},
        "executive": {"power": 0.9, "interest": 0.5, "legitimacy": 0.9, "urgency": 0.3},
        "vendor": {"power": 0.3, "interest": 0.7, "legitimacy": 0.4, "urgency": 0.5},
        "learners": {"power": 0.2, "interest": 0.8, "legitimacy": 0.6, "urgency": 0.4},
        "other": {"power": 0.4, "interest": 0.5, "legitimacy": 0.6, "urgency": 0.3},
    }
)

#: Plain names of the functions, as the interview shows them.
FUNCTION_LABELS: Mapping[str, str] = _frozen(
    {
        "learning": "Learning and development, training",
        "hr": "Human resources",
        "it": "IT, information systems",
        "marketing": "Marketing",
        "communications": "Internal communications",
        "finance": "Finance",
        "procurement": "Procurement, purchasing",
        "executive": "Executive, sponsor, board",
        "vendor": "A supplier (LMS vendor)",
        "learners": "Learners, their representatives",
        "other": "Another part of the organisation",
    }
)

#: Plain answer -> partner type.
PARTNER_TYPE_LABELS: Mapping[str, str] = _frozen(
    {
        "a learning specialist": "learning-specialist",
        "an IT integrator": "it-integrator",
        "a reseller": "reseller",
    }
)

#: "Compared with B, how much more does A matter?" -> AHP judgement (Saaty 1980, the 1-9 scale;
#: the even values are Saaty's compromises between two neighbours).
SAATY: Mapping[str, float] = _frozen(
    {
        "equally": 1.0,
        "slightly more": 2.0,
        "moderately more": 3.0,
        "strongly more": 5.0,
        "very strongly more": 7.0,
        "extremely more": 9.0,
    }
)

#: Id of the criterion the partners' promised time to launch (weeks) is scored on.
TIME_TO_LAUNCH = "time_to_launch"

#: The standard partner-selection criteria (those of the bundled scenarios). Illustrative.
STANDARD_CRITERIA: tuple[Mapping[str, Any], ...] = (
    _frozen(
        {
            "id": "learning_expertise",
            "name": "Learning and development expertise",
            "direction": "benefit",
            "unit": "score 1-10",
        }
    ),
    _frozen(
        {
            "id": "content_design",
            "name": "Content and learning design services",
            "direction": "benefit",
            "unit": "score 1-10",
        }
    ),
    _frozen(
        {
            "id": "integration",
            "name": "Integration capability (SSO, HR system)",
            "direction": "benefit",
            "unit": "score 1-10",
        }
    ),
    _frozen(
        {
            "id": "support",
            "name": "Support and training quality",
            "direction": "benefit",
            "unit": "score 1-10",
        }
    ),
    _frozen({"id": "cost", "name": "Three-year cost", "direction": "cost", "unit": "thousand GBP"}),
    _frozen(
        {
            "id": TIME_TO_LAUNCH,
            "name": "Promised time to launch",
            "direction": "cost",
            "unit": "weeks",
        }
    ),
)

#: The standard LMS phase template. Durations (weeks: optimistic, likely, pessimistic) are
#: illustrative and editable in the interview. The per-phase escalation factors (Stecklein et al.,
#: NASA, 2004, mapped onto LMS phases) are written only for a scenario model that still requires
#: them; newer models declare escalation per concern kind (their defaults, data/SOURCES.md).
STANDARD_PHASES: tuple[Mapping[str, Any], ...] = tuple(
    _frozen(
        {
            "id": pid,
            "name": name,
            "duration": {"optimistic": a, "likely": m, "pessimistic": b},
            "escalation": {"low": lo, "high": hi},
        }
    )
    for pid, name, (a, m, b), (lo, hi) in (
        ("needs_analysis", "Needs analysis", (2.0, 3.0, 5.0), (1.0, 1.0)),
        ("requirements", "Requirements", (3.0, 4.0, 6.0), (1.0, 1.0)),
        ("selection", "System and partner selection", (4.0, 6.0, 10.0), (3.0, 8.0)),
        ("design", "Design and configuration", (3.0, 5.0, 8.0), (3.0, 8.0)),
        ("build", "Build and integration", (5.0, 8.0, 13.0), (7.0, 16.0)),
        ("test", "Testing and pilot", (2.0, 4.0, 7.0), (21.0, 78.0)),
        ("launch", "Launch", (1.0, 2.0, 3.0), (29.0, 1500.0)),
        ("embed", "Embedding and review", (6.0, 8.0, 12.0), (29.0, 1500.0)),
    )
)
