"""The room's answers against the scenario: each participant's answers define a scenario.

:func:`room_answers` turns the latest stored answers into arrays (participants x departments per
question, participants x n x n pairwise matrices); :func:`participant_scenario` applies one
participant's answers to the base scenario (the mappings of :mod:`lmsdecide.room.questions`);
:func:`room_analysis` runs ``who_drives`` and the partner ranking on every participant's scenario,
so the facilitator sees the learning share, the top driver and the first partner as a
distribution over the room, and :func:`group_scenario` puts the room's aggregate into the story.
Pure functions: the store is read elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lmsdecide.influence import who_drives
from lmsdecide.influence.drive import drive_share, raw_influence
from lmsdecide.influence.network import row_normalise
from lmsdecide.partner.mcda import rank_scores, topsis
from lmsdecide.partner.models import decision_problem
from lmsdecide.results import ArrayEq
from lmsdecide.room.aggregate import GroupWeights, Spread, group_weights, spread
from lmsdecide.room.questions import MAPPINGS, NOBODY, pairwise_value
from lmsdecide.scenario import LEARNING_FUNCTIONS, NEVER, Scenario

__all__ = [
    "NUMERIC_QUESTIONS",
    "RoomAnalysis",
    "RoomAnswers",
    "group_scenario",
    "participant_scenario",
    "room_analysis",
    "room_answers",
]

FloatArray = npt.NDArray[np.float64]

#: Questions with a number per department, and the scenario field each sets.
NUMERIC_QUESTIONS: tuple[str, ...] = ("power", "interest", "say", "firmness", "phase")
#: Subject of the criteria answers and of the closing comment.
CRITERIA = "criteria"


@dataclass(frozen=True, eq=False)
class RoomAnswers(ArrayEq):
    """The latest answers of every participant, as arrays aligned with the scenario.

    Attributes
    ----------
    participants
        Participant ids with at least one answer, ascending.
    departments, criteria
        The scenario's department and criterion ids.
    values
        question -> participants x departments numbers (NaN unanswered); ``phase`` holds the
        phase index (``len(phases)`` for never).
    listens
        participants x departments x departments: 1 where i listens to j, 0 where not, NaN
        where the participant did not answer whom i listens to.
    pairwise
        participants x criteria x criteria judgements (NaN where missing; 1 on the diagonal).
    comments
        (participant, subject, text) for every non-empty comment.
    """

    participants: tuple[int, ...]
    departments: tuple[str, ...]
    criteria: tuple[str, ...]
    values: dict[str, FloatArray]
    listens: FloatArray
    pairwise: FloatArray
    comments: tuple[tuple[int, str, str], ...]

    @property
    def complete_pairwise(self) -> npt.NDArray[np.bool_]:
        """Per participant: True when every pairwise judgement was given."""
        if not self.criteria:
            return np.zeros(len(self.participants), dtype=bool)
        return np.asarray(~np.isnan(self.pairwise).any(axis=(1, 2)), dtype=bool)


def room_answers(scenario: Scenario, latest: Mapping[tuple[int, str, str], str]) -> RoomAnswers:
    """Arrays of the latest answers (``(participant, subject, question) -> value``).

    Values that do not fit the scenario (an unknown department, a choice not in the table) are
    left out: the server validates every answer, so only a session opened against another
    scenario can hold them.
    """
    depts = tuple(scenario.department_ids)
    crits = tuple(c.id for c in scenario.criteria)
    phases = {p: i for i, p in enumerate(scenario.phase_ids)} | {NEVER: len(scenario.phases)}
    d_index = {d: i for i, d in enumerate(depts)}
    c_index = {c: i for i, c in enumerate(crits)}
    people = tuple(sorted({p for p, _, _ in latest}))
    k_index = {p: k for k, p in enumerate(people)}
    K, n, c = len(people), len(depts), len(crits)
    values = {q: np.full((K, n), np.nan) for q in NUMERIC_QUESTIONS}
    listens = np.full((K, n, n), np.nan)
    pairwise = np.full((K, c, c), np.nan)
    for k in range(K):
        np.fill_diagonal(pairwise[k], 1.0)
    comments: list[tuple[int, str, str]] = []
    for (p, subject, question), value in latest.items():
        k = k_index[p]
        if question == "comment":
            if value.strip():
                comments.append((p, subject, value))
            continue
        if question == "pairwise":
            a, _, b = subject.partition("|")
            if a in c_index and b in c_index and a != b:
                try:
                    x = pairwise_value(value)
                except KeyError:
                    continue
                i, j = c_index[a], c_index[b]
                pairwise[k, i, j], pairwise[k, j, i] = x, 1.0 / x
            continue
        if subject not in d_index:
            continue
        i = d_index[subject]
        if question == "phase":
            if value in phases:
                values["phase"][k, i] = phases[value]
        elif question == "listens":
            targets = set() if value == NOBODY else set(value.split(","))
            if targets <= set(depts) - {subject}:
                listens[k, i] = [1.0 if d in targets else 0.0 for d in depts]
        elif question in values:
            try:
                values[question][k, i] = MAPPINGS[question].number(value)
            except KeyError:
                continue
    return RoomAnswers(
        participants=people,
        departments=depts,
        criteria=crits,
        values=values,
        listens=listens,
        pairwise=pairwise,
        comments=tuple(sorted(comments)),
    )


def _apply(
    scenario: Scenario,
    numbers: Mapping[str, FloatArray],
    listens: FloatArray,
    weights: FloatArray | None,
    name: str,
) -> Scenario:
    """The scenario with per-department numbers, listening rows and criteria weights applied."""
    data: dict[str, Any] = scenario.to_data()
    ids = scenario.department_ids
    phase_ids = [*scenario.phase_ids, NEVER]
    authority = numbers["say"]
    keep_authority = bool(
        np.all(
            np.where(np.isnan(authority), [d.authority for d in scenario.departments], authority)
            <= 0
        )
    )
    fields = {"power": "power", "interest": "interest", "firmness": "susceptibility"}
    if not keep_authority:  # all zero would leave nobody with a say: keep the scenario's
        fields["say"] = "authority"
    for i, dept in enumerate(data["departments"]):
        for question, field in fields.items():
            x = numbers[question][i]
            if not math.isnan(x):
                dept[field] = float(x)
        phase = numbers["phase"][i]
        if not math.isnan(phase):
            data["engagement"][dept["id"]] = phase_ids[int(phase)]
        if weights is not None:
            dept["criteria_weights"] = {
                c.id: float(w) for c, w in zip(scenario.criteria, weights, strict=True)
            }
    answered = {ids[i] for i in range(len(ids)) if not np.isnan(listens[i]).any()}
    edges = [e for e in data.get("influence", []) if e["from"] not in answered]
    for i, source in enumerate(ids):
        if source in answered:
            edges += [
                {"from": source, "to": ids[j], "weight": 1.0}
                for j in range(len(ids))
                if listens[i, j] > 0 and j != i
            ]
    data["influence"] = edges
    data["name"] = name
    return scenario.with_changes(
        **{k: data[k] for k in ("name", "departments", "engagement", "influence")}
    )


def participant_scenario(scenario: Scenario, answers: RoomAnswers, k: int) -> Scenario:
    """The base scenario with participant ``k``'s (row ``k``) answers in place.

    Power, interest, formal say (authority), firmness (susceptibility) and the phase of first
    engagement replace the scenario's values for every department the participant rated; whom a
    department listens to replaces that department's influence edges; a complete set of pairwise
    judgements gives every department the participant's criteria weights (AHP eigenvector), so
    the partner ranking uses them. Unanswered items keep the scenario's values.
    """
    numbers = {q: answers.values[q][k] for q in NUMERIC_QUESTIONS}
    weights = None
    if answers.criteria and answers.complete_pairwise[k]:
        weights = group_weights(answers.pairwise[k : k + 1]).weights
    label = f"{scenario.name} (participant {answers.participants[k]})"
    return _apply(scenario, numbers, answers.listens[k], weights, label)


@dataclass(frozen=True, eq=False)
class RoomAnalysis(ArrayEq):
    """What the room's answers say, participant by participant and as a group.

    Attributes
    ----------
    answers
        The arrays the analysis was computed from.
    spreads
        question -> :class:`~lmsdecide.room.aggregate.Spread` over participants per department.
    learning_share
        Per participant (in ``answers.participants`` order): the learning share of who_drives on
        their scenario.
    top_driver
        Per participant: the department with the largest drive share.
    median_participant
        The participant whose learning share is the (lower) median, or None with no answers.
    weights
        Group criteria weights (None when nobody gave every pairwise judgement).
    weighed_by
        The participants behind ``weights`` (those who gave every judgement), in the order of
        its rows (``weights.individual``, ``weights.cr``, ``weights.flagged``).
    p_first
        Partner id -> share of participants (with complete judgements) whose weights rank it first.
    disagreement
        Departments, most disputed first: mean interquartile range over the questions, each on
        0..1 (authority / 3, phase / number of phases).
    base_learning_share
        The learning share of the scenario presented.
    """

    answers: RoomAnswers
    spreads: dict[str, Spread]
    learning_share: FloatArray
    top_driver: tuple[str, ...]
    median_participant: int | None
    weights: GroupWeights | None
    p_first: dict[str, float]
    weighed_by: tuple[int, ...]
    disagreement: pd.DataFrame
    base_learning_share: float

    @property
    def n(self) -> int:
        """Participants with at least one answer."""
        return len(self.answers.participants)

    def share_quantiles(self) -> tuple[float, float, float]:
        """25th, 50th and 75th percentile of the learning share over the room (NaN when empty)."""
        if not self.n:
            return (math.nan, math.nan, math.nan)
        q = np.quantile(self.learning_share, [0.25, 0.5, 0.75])
        return float(q[0]), float(q[1]), float(q[2])

    def top_driver_counts(self) -> dict[str, int]:
        """Department -> how many participants' scenarios it tops, most first."""
        return dict(Counter(self.top_driver).most_common())


def _disagreement(scenario: Scenario, spreads: Mapping[str, Spread]) -> pd.DataFrame:
    scale = {
        "power": 1.0,
        "interest": 1.0,
        "say": 3.0,
        "firmness": 1.0,
        "phase": float(max(len(scenario.phases), 1)),
    }
    iqr = np.vstack([spreads[q].iqr / scale[q] for q in NUMERIC_QUESTIONS])  # questions x depts
    rated = ~np.isnan(iqr)
    any_rated = [bool(x) for x in np.atleast_1d(rated.any(axis=0))]
    score = np.where(
        rated.any(axis=0), np.nansum(iqr, axis=0) / np.maximum(rated.sum(axis=0), 1), np.nan
    )
    most = [
        NUMERIC_QUESTIONS[int(np.argmax(np.nan_to_num(col, nan=-1.0)))] if ok else ""
        for col, ok in zip(iqr.T, any_rated, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "department": scenario.department_ids,
            "name": [d.name for d in scenario.departments],
            "disagreement": score,
            "most_disputed": most,
            "raters": spreads["power"].count,
        }
    )
    return frame.sort_values("disagreement", ascending=False, na_position="last", kind="stable")


def _first_partner(scenario: Scenario, individual: FloatArray) -> dict[str, float]:
    problem = decision_problem(scenario)
    if problem.empty or individual.shape[0] == 0:
        return {}
    firsts: list[str] = []
    for w in individual:  # one TOPSIS per participant (tens), not per Monte Carlo draw
        scores = topsis(problem.matrix, w, problem.benefit, must_have=problem.must_have)
        if np.isfinite(scores).any():
            firsts.append(problem.partner_ids[int(np.argmin(rank_scores(scores)))])
    counts = Counter(firsts)
    total = max(len(firsts), 1)
    return {p: counts.get(p, 0) / total for p in problem.partner_ids}


def _participant_drive(scenario: Scenario, answers: RoomAnswers, k: int) -> tuple[float, str]:
    """(learning share, top driver) of ``who_drives(participant_scenario(...))``, from arrays.

    The drive share depends only on authority, susceptibility and the influence edges, so this
    applies participant ``k``'s answers to those arrays directly (no scenario to validate): the
    same numbers, about fifty times faster (tests check the equality).
    """
    authority = np.array([d.authority for d in scenario.departments], dtype=float)
    say = answers.values["say"][k]
    merged = np.where(np.isnan(say), authority, say)
    if merged.sum() > 0:  # all zero would leave nobody with a say: keep the scenario's
        authority = merged
    lam = np.array([d.susceptibility for d in scenario.departments], dtype=float)
    firm = answers.values["firmness"][k]
    lam = np.where(np.isnan(firm), lam, firm)
    R = raw_influence(scenario)
    listens = answers.listens[k]
    answered = ~np.isnan(listens).any(axis=1)
    if answered.any():
        rows = np.where(np.isnan(listens), 0.0, listens)
        np.fill_diagonal(rows, 0.0)
        R[answered] = rows[answered]
    share = drive_share(row_normalise(R), lam, authority)
    functions = [d.function for d in scenario.departments]
    learning = float(
        sum(x for x, f in zip(share, functions, strict=True) if f in LEARNING_FUNCTIONS)
    )
    return learning, scenario.department_ids[int(np.argmax(share))]


def _participant_key(answers: RoomAnswers, k: int) -> bytes:
    """One participant's answers as bytes (NaN-safe), to tell whether they changed."""
    parts = [answers.values[q][k].tobytes() for q in NUMERIC_QUESTIONS]
    parts += [answers.listens[k].tobytes(), answers.pairwise[k].tobytes()]
    return b"|".join(parts)


def _reusable(answers: RoomAnswers, previous: RoomAnalysis | None) -> dict[int, tuple[float, str]]:
    """Participant -> (learning share, top driver) of ``previous`` where their answers are equal."""
    if previous is None or previous.answers.departments != answers.departments:
        return {}
    before = previous.answers
    index = {p: k for k, p in enumerate(before.participants)}
    out: dict[int, tuple[float, str]] = {}
    for k, p in enumerate(answers.participants):
        j = index.get(p)
        if j is not None and _participant_key(before, j) == _participant_key(answers, k):
            out[p] = (float(previous.learning_share[j]), previous.top_driver[j])
    return out


def room_analysis(
    scenario: Scenario,
    answers: RoomAnswers,
    *,
    method: str = "aij",
    previous: RoomAnalysis | None = None,
) -> RoomAnalysis:
    """Spreads, the learning share and top driver per participant, group weights, first partner.

    Parameters
    ----------
    scenario
        The base scenario the facilitator presents.
    answers
        From :func:`room_answers`.
    method
        Criteria weights aggregation: ``aij`` (geometric mean of judgements) or ``aip``.
    previous
        An earlier analysis of the same scenario: participants whose answers have not changed
        keep their results (a live room recomputes only those who answered since).
    """
    spreads = {q: spread(answers.values[q]) for q in NUMERIC_QUESTIONS}
    reuse = _reusable(answers, previous)
    shares, tops = [], []
    for k, p in enumerate(answers.participants):
        if p in reuse:  # the same answers as in the previous analysis: the same result
            shares.append(reuse[p][0])
            tops.append(reuse[p][1])
            continue
        learning, top = _participant_drive(scenario, answers, k)
        shares.append(learning)
        tops.append(top)
    share = np.asarray(shares, dtype=float)
    median_participant = None
    if share.size:
        k = int(np.argsort(share, kind="stable")[(share.size - 1) // 2])
        median_participant = answers.participants[k]
    complete = answers.complete_pairwise
    weights = None
    if answers.criteria and complete.any():
        names = tuple(c.name for c in scenario.criteria)
        weights = group_weights(answers.pairwise[complete], method=method, labels=names)
    p_first = _first_partner(scenario, weights.individual if weights else np.zeros((0, 0)))
    return RoomAnalysis(
        answers=answers,
        spreads=spreads,
        learning_share=share,
        top_driver=tuple(tops),
        median_participant=median_participant,
        weights=weights,
        p_first=p_first,
        weighed_by=tuple(p for p, ok in zip(answers.participants, complete, strict=True) if ok),
        disagreement=_disagreement(scenario, spreads),
        base_learning_share=who_drives(scenario).learning_share,
    )


def group_scenario(scenario: Scenario, analysis: RoomAnalysis) -> Scenario:
    """The base scenario with the room's aggregate in place ("use the room's view").

    Medians per department (the phase as an ordinal median, rounded down to a real phase); a
    department listens to another when at least half of those who answered say so; criteria
    weights are the group's (AIJ or AIP as analysed). Unanswered items keep the scenario's values.
    """
    ans = analysis.answers
    numbers = {q: analysis.spreads[q].median.copy() for q in NUMERIC_QUESTIONS}
    phase = ans.values["phase"]
    for i in range(phase.shape[1]):
        col = phase[:, i][~np.isnan(phase[:, i])]
        numbers["phase"][i] = np.quantile(col, 0.5, method="lower") if col.size else np.nan
    n = len(ans.departments)
    if ans.participants:
        answered = ~np.isnan(ans.listens)
        count = answered.sum(axis=0)
        share = np.where(count > 0, np.nansum(ans.listens, axis=0) / np.maximum(count, 1), np.nan)
        listens = np.where(np.isnan(share), np.nan, (share >= 0.5).astype(float))
        # a row is answered only when every entry is: a department nobody rated keeps its edges
        listens[np.isnan(share).any(axis=1)] = np.nan
    else:
        listens = np.full((n, n), np.nan)
    weights = analysis.weights.weights if analysis.weights is not None else None
    return _apply(scenario, numbers, listens, weights, f"{scenario.name} (the room's view)")
