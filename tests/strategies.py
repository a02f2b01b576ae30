"""Hypothesis strategies: valid random scenarios, built table by table so every reference holds.

``scenarios()`` draws organisations of 1-12 departments over 1-8 phases with random influence
edges, concerns, criteria, partners and decisions. ``printable=True`` keeps text to characters a
workbook can store (Excel refuses control characters).
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from lmsdecide.scenario import (
    CONCERN_KINDS,
    FUNCTIONS,
    NEVER,
    PARTNER_TYPES,
    Scenario,
    validate_scenario,
)

unit = st.floats(0.0, 1.0, allow_nan=False)
signed = st.floats(-1.0, 1.0, allow_nan=False)
slug = st.text(string.ascii_lowercase, min_size=1, max_size=3).map(lambda s: s + "x")


def _text(printable: bool, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    if printable:
        alphabet = st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
        )
    else:
        alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(
        lambda t: len(t) >= min_size
    )


@st.composite
def scenario_data(
    draw: st.DrawFn, printable: bool = False, max_departments: int = 12
) -> dict[str, Any]:
    """Plain data for a valid scenario (as a YAML file would hold)."""
    text = _text(printable)
    n_dept = draw(st.integers(1, max_departments))
    dept_ids = draw(st.lists(slug, min_size=n_dept, max_size=n_dept, unique=True))
    n_phase = draw(st.integers(1, 8))
    phase_ids = [f"p{i}" for i in range(n_phase)]
    crit_ids = draw(st.lists(slug, min_size=0, max_size=5, unique=True))
    areas = draw(st.lists(slug, min_size=0, max_size=4, unique=True))

    phases = []
    low = 1.0
    for pid in phase_ids:
        a, m, b = sorted(draw(st.lists(st.floats(0.0, 20.0), min_size=3, max_size=3)))
        high = low * draw(st.floats(1.0, 5.0))
        phase = {
            "id": pid,
            "name": draw(text),
            "duration": {"optimistic": a, "likely": m, "pessimistic": b},
        }
        if draw(st.booleans()):  # the per-phase range of files from earlier versions
            phase["escalation"] = {"low": low, "high": high}
        phases.append(phase)
        low = high

    departments = []
    for i, did in enumerate(dept_ids):
        weights = {c: draw(st.floats(0.0, 1.0)) for c in crit_ids if draw(st.booleans())}
        by_phase = {}
        for pid in phase_ids:
            if draw(st.integers(0, 5)) == 0:
                by_phase[pid] = {"urgency": draw(unit)}
        departments.append(
            {
                "id": did,
                "name": draw(text),
                "function": draw(st.sampled_from(FUNCTIONS)),
                "power": draw(unit),
                "interest": draw(unit),
                "legitimacy": draw(unit),
                "urgency": draw(unit),
                # first department always has authority so the total is positive
                "authority": draw(st.floats(0.01 if i == 0 else 0.0, 10.0)),
                "susceptibility": draw(unit),
                "position": draw(signed),
                "criteria_weights": weights,
                "by_phase": by_phase,
                "description": draw(st.none() | _text(printable, 0)),
                "attributes": draw(
                    st.dictionaries(
                        st.sampled_from(["owner", "Sentiment", "notes 2", "risk-level"]),
                        st.booleans()
                        | st.integers(-(10**9), 10**9)
                        | st.floats(-1e9, 1e9, allow_nan=False)
                        | _text(printable, 1, 20),
                        max_size=3,
                    )
                ),
            }
        )

    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(dept_ids), st.sampled_from(dept_ids)),
            max_size=3 * n_dept,
            unique=True,
        )
    )
    influence = [{"from": a, "to": b, "weight": draw(st.floats(0.0, 5.0))} for a, b in pairs]
    engagement = {d: draw(st.sampled_from([*phase_ids, NEVER])) for d in dept_ids}
    concerns = [
        {
            "department": draw(st.sampled_from(dept_ids)),
            "name": draw(text),
            "due": draw(st.sampled_from(phase_ids)),
            "effort": draw(st.floats(0.0, 10.0)),
            "kind": draw(st.none() | st.sampled_from(CONCERN_KINDS)),
            "blocks_launch": draw(st.booleans()),
        }
        for _ in range(draw(st.integers(0, 8)))
    ]
    criteria = [
        {
            "id": cid,
            "name": draw(text),
            "direction": draw(st.sampled_from(["benefit", "cost"])),
            "must_have": draw(st.none() | st.floats(0.0, 5.0)),
        }
        for cid in crit_ids
    ]
    partners = []
    if crit_ids:
        partner_ids = draw(st.lists(slug, min_size=0, max_size=4, unique=True))
        partners = [
            {
                "id": pid,
                "name": draw(text),
                "type": draw(st.sampled_from(PARTNER_TYPES)),
                "scores": {c: draw(st.floats(0.0, 10.0)) for c in crit_ids},
                "expertise": {a: draw(unit) for a in areas},
                "promised_weeks": draw(st.none() | st.floats(1.0, 100.0)),
            }
            for pid in partner_ids
        ]
    decisions = [
        {
            "id": f"d{i}",
            "name": draw(text),
            "learning_defining": draw(st.booleans()),
            "rights": {
                d: draw(st.sampled_from(["R", "A", "C", "I"]))
                for d in dept_ids
                if draw(st.booleans())
            },
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    data: dict[str, Any] = {
        "name": draw(text),
        "description": draw(_text(printable, 0)),
        "launch_target": draw(st.floats(0.5, 200.0)),
        "learners": draw(st.integers(1, 100_000)),
        "departments": departments,
        "influence": influence,
        "phases": phases,
        "engagement": engagement,
        "concerns": concerns,
        "criteria": criteria,
        "partners": partners,
        "team_expertise": {a: draw(unit) for a in areas},
        "decisions": decisions,
    }
    escalation = {}
    for kind in draw(st.lists(st.sampled_from(CONCERN_KINDS), max_size=3, unique=True)):
        lo = draw(st.floats(1.0, 3.0))
        escalation[kind] = {
            "low": lo,
            "high": draw(st.floats(lo, 4.0)),
            "cap": draw(st.floats(1.0, 200.0)),
        }
    if escalation:
        data["escalation"] = escalation
    mandatory = draw(st.booleans())
    data["mandatory_use"] = mandatory
    if draw(st.booleans()):
        data["adoption_ceiling"] = draw(st.floats(0.0, 1.0 if mandatory else 0.99))
    if partners and draw(st.booleans()):
        data["selected_partner"] = draw(st.sampled_from([p["id"] for p in partners]))
    if draw(st.booleans()):
        data["launch_phase"] = draw(st.sampled_from(phase_ids))
    return data


def scenarios(printable: bool = False, max_departments: int = 12) -> st.SearchStrategy[Scenario]:
    """Valid random :class:`Scenario` objects."""
    return scenario_data(printable=printable, max_departments=max_departments).map(
        validate_scenario
    )
