"""The room's questionnaire and its one table of answer -> number mappings.

Every question a participant answers about a department maps a plain-language choice onto the
scenario field it stands for. The mappings are declared once, here, in :data:`MAPPINGS`: the
participants' pages, the validation of a submitted form, the export and the scenario each
participant's answers define all read this table, and docs/room.md prints it.

============  ======================  ==========================================================
question      scenario field          choices (value -> number)
============  ======================  ==========================================================
``power``     ``power`` (0..1)        1..5 -> 0, 0.25, 0.5, 0.75, 1 (none .. decisive)
``interest``  ``interest`` (0..1)     1..5 -> 0, 0.25, 0.5, 0.75, 1 (none .. all)
``say``       ``authority`` (>= 0)    signs 3, approves part 2, consulted 1, informed 0.25, none 0
``firmness``  ``susceptibility``      easily 0.8, open 0.6, effort 0.4, firm 0.2, immovable 0.05
``listens``   ``influence`` edges     each department it listens to (weight 1), or nobody
``phase``     ``engagement``          a phase id, or ``never``
``pairwise``  criteria weights (AHP)  Saaty's scale: 9, 7, 5, 3, 1, 1/3, 1/5, 1/7, 1/9
============  ======================  ==========================================================

Sources: power and interest are the 1-5 scale of :mod:`lmsdecide.room.ratings` mapped linearly
((x - 1)/4, as in the CSV import); the pairwise scale is Saaty's fundamental scale (Saaty 1980,
*The Analytic Hierarchy Process*, p. 54), odd values only so a phone shows nine choices. The
numbers for ``say`` and ``firmness`` are illustrative: authority is relative (only ratios
matter; the models normalise it), and susceptibility is 1 - stubbornness of the Friedkin-Johnsen
model, so "will not move" keeps a small 0.05 rather than 0 (a department with 0 ignores every
other department).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "COMMENT_MAX",
    "DEPARTMENT_QUESTIONS",
    "MAPPINGS",
    "NAME_MAX",
    "NOBODY",
    "PAIRWISE",
    "Choice",
    "Mapping",
    "choice_number",
    "pairwise_value",
]

#: Longest free text accepted, in characters.
NAME_MAX = 60
COMMENT_MAX = 500
#: The ``listens`` answer meaning "it makes up its own mind".
NOBODY = "nobody"


@dataclass(frozen=True)
class Choice:
    """One allowed answer: the value sent by the form, its label, the number it maps to."""

    value: str
    label: str
    number: float


@dataclass(frozen=True)
class Mapping:
    """One question: what it asks, the scenario field it sets, and its allowed choices.

    ``choices`` is empty for questions whose answers come from the scenario itself
    (``listens``: department ids; ``phase``: phase ids and ``never``).
    """

    key: str
    field: str
    prompt: str
    help: str
    choices: tuple[Choice, ...]
    source: str

    def number(self, value: str) -> float:
        """The number an answer maps to (``KeyError`` naming the question when not allowed)."""
        for c in self.choices:
            if c.value == value:
                return c.number
        allowed = ", ".join(c.value for c in self.choices)
        raise KeyError(f"{self.key}: must be one of {allowed}; got {value!r}")

    def label(self, value: str) -> str:
        """The label of an allowed answer (the value itself when unknown)."""
        return next((c.label for c in self.choices if c.value == value), value)


_FIVE = ("1", "2", "3", "4", "5")
_LINEAR = "1-5 scale mapped linearly onto 0..1 ((x - 1)/4), as the ratings CSV"
_Row = tuple[str, str, float]  # an answer: value, label, number


def _five(*words: str) -> tuple[_Row, ...]:
    """The 1-5 scale mapped linearly onto 0..1, each value labelled ``"<v> - <word>"``."""
    return tuple((v, f"{v} - {w}", (int(v) - 1) / 4) for v, w in zip(_FIVE, words, strict=True))


def _saaty(*rows: tuple[str, str]) -> tuple[_Row, ...]:
    """Saaty's scale: each value (``"1/5"``) maps onto its fraction."""
    return tuple((v, label, float(Fraction(v))) for v, label in rows)


#: The questionnaire, one row a question: key, scenario field, prompt, help, the answers
#: (value, label, number; empty when the scenario supplies them), source of the numbers.
_TABLE: tuple[tuple[str, str, str, str, tuple[_Row, ...], str], ...] = (
    (
        "power",
        "power",
        "How much can {name} change the course of the LMS project?",
        "Its power over the project, whether or not it uses it.",
        _five("none", "a little", "some", "much", "decisive"),
        _LINEAR,
    ),
    (
        "interest",
        "interest",
        "How much does {name} care about the LMS?",
        "Its interest in the project and its outcome.",
        _five("none", "a little", "some", "much", "it is all they talk about"),
        _LINEAR,
    ),
    (
        "say",
        "authority",
        "What formal say does {name} have in choosing the LMS? (Who signs off?)",
        "Its formal authority in the final decision, whatever its influence.",
        (
            ("signs", "It signs off the decision", 3.0),
            ("approves_part", "It approves part of it (budget, security, contract)", 2.0),
            ("consulted", "It must be consulted", 1.0),
            ("informed", "It is informed", 0.25),
            ("none", "No formal say", 0.0),
        ),
        "illustrative (relative authority; the models normalise it)",
    ),
    (
        "firmness",
        "susceptibility",
        "How firmly does {name} hold its view about the LMS?",
        "Whether others can change its mind (1 - stubbornness in the influence model).",
        (
            ("easily", "It changes its mind easily", 0.8),
            ("open", "It is open to persuasion", 0.6),
            ("effort", "It can be persuaded, with effort", 0.4),
            ("firm", "It holds its view firmly", 0.2),
            ("immovable", "It will not move", 0.05),
        ),
        "illustrative (susceptibility of the Friedkin-Johnsen model)",
    ),
    (
        "listens",
        "influence",
        "Whom does {name} listen to about the LMS?",
        "Tick every department whose opinion it takes into account, or 'nobody'.",
        (),
        "each ticked department becomes an influence edge of weight 1",
    ),
    (
        "phase",
        "engagement",
        "In which phase should {name} first be involved?",
        "The phase of first engagement, or never.",
        (),
        "the scenario's phases, and never",
    ),
    (
        "pairwise",
        "criteria_weights",
        "Choosing a partner: which matters more, {a} or {b}, and how much?",
        "Saaty's scale: equal, moderately, strongly, very strongly, extremely more.",
        _saaty(
            ("9", "{a}: extremely more important"),
            ("7", "{a}: very strongly more important"),
            ("5", "{a}: strongly more important"),
            ("3", "{a}: moderately more important"),
            ("1", "Equally important"),
            ("1/3", "{b}: moderately more important"),
            ("1/5", "{b}: strongly more important"),
            ("1/7", "{b}: very strongly more important"),
            ("1/9", "{b}: extremely more important"),
        ),
        "Saaty (1980), The Analytic Hierarchy Process, p. 54 (odd values)",
    ),
)

MAPPINGS: dict[str, Mapping] = {
    key: Mapping(key, field, prompt, help, tuple(Choice(*c) for c in answers), source)
    for key, field, prompt, help, answers, source in _TABLE
}

#: Questions asked about every department, in page order.
DEPARTMENT_QUESTIONS: tuple[str, ...] = ("power", "interest", "say", "firmness", "listens", "phase")
PAIRWISE = MAPPINGS["pairwise"]


def choice_number(key: str, value: str) -> float:
    """The number answer ``value`` to question ``key`` maps to (see :data:`MAPPINGS`).

    Raises
    ------
    KeyError
        Unknown question, or a value the question does not allow (the message names both).
    """
    if key not in MAPPINGS or not MAPPINGS[key].choices:
        raise KeyError(f"question: no mapped choices for {key!r}")
    return MAPPINGS[key].number(value)


def pairwise_value(value: str) -> float:
    """a_ij of a pairwise answer (``"3"`` -> 3.0, ``"1/5"`` -> 0.2)."""
    return PAIRWISE.number(value)
