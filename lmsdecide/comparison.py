"""Scenario comparison: two to five scenarios side by side, one tidy table.

For each scenario: the learning share and top driver (:func:`~lmsdecide.influence.who_drives`),
expected rework (:func:`~lmsdecide.timing.late_engagement`), go-live P50, P80 and on-time
probability (:func:`~lmsdecide.timing.simulate_schedule`), weeks to 80% adoption
(:func:`~lmsdecide.timing.adoption`), the chosen partner and the findings by severity
(:func:`~lmsdecide.diagnosis.diagnose`).

Common random numbers: every scenario is simulated with the same seed and number of draws. The
schedule model draws the phase durations (draws × phases) and the escalation percentiles in a
fixed order, so scenarios with the same number of phases share every random number: their P50s
differ by what differs between the scenarios, not by sampling noise (the same device as
:func:`~lmsdecide.timing.compare_plans`).

Each scenario's results are cached by content (:data:`RESULT_CACHE`, a
:class:`~lmsdecide.caching.ResultCache`; its diagnosis in
:data:`~lmsdecide.diagnosis.core.DIAGNOSIS_CACHE`): comparing again after one scenario was added,
removed or edited computes only that one; the others' results are the ones already computed,
identical to a fresh computation (the seed is fixed). A ``seed`` of None is never cached.

``findings=False`` leaves the diagnoses out (most of a comparison's time: about 0.6 s per
scenario the first time). A live view shows the rest of the comparison first and asks again
with the findings: only the diagnoses are computed then.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lmsdecide.caching import ResultCache, content_key
from lmsdecide.diagnosis import DIAGNOSE_DRAWS, SEVERITIES, Diagnosis, diagnose
from lmsdecide.diagnosis.core import cached_diagnosis
from lmsdecide.influence import who_drives
from lmsdecide.params import ParamSet
from lmsdecide.registry import validated
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import FUNCTIONS, Scenario
from lmsdecide.timing import adoption, late_engagement, simulate_schedule
from lmsdecide.timing.schedule import DRAWS

__all__ = [
    "COMPARE_PARAMS",
    "MAX_SCENARIOS",
    "MEASURES",
    "NEVER_TEXT",
    "RESULT_CACHE",
    "Comparison",
    "compare",
    "measure_heading",
    "measure_text",
]

#: Most scenarios a comparison puts side by side.
MAX_SCENARIOS = 5

# The schedule model's own draw-count declaration, re-labelled for comparisons.
COMPARE_DRAWS = replace(
    DRAWS,
    help="Draws per scenario, the same random numbers for every scenario (common random numbers).",
    group="Comparison",
)
COMPARE_PARAMS = ParamSet((COMPARE_DRAWS,))

#: How a table shows ``t80`` when adoption never reaches 80% of the learners (its value is
#: infinite: the ceiling, ``adoption_ceiling``, is lower).
NEVER_TEXT = "never (ceiling below 80%)"

#: Measure -> (label, unit), in table order.
MEASURES: dict[str, tuple[str, str]] = {
    "learning_share": ("Learning share of the decision", "share"),
    "learning_driven": ("Learning drives", ""),
    "top_driver": ("Top driver", ""),
    "expected_rework": ("Expected rework", "person-weeks"),
    "expected_delay": ("Expected go-live delay from rework", "weeks"),
    "p50": ("Go-live P50", "weeks"),
    "p80": ("Go-live P80", "weeks"),
    "on_time_probability": ("Probability of launching on time", "probability"),
    "launch_target": ("Launch target", "weeks"),
    "t80": ("Time to 80% adoption after launch", "weeks"),
    "adoption_ceiling": ("Adoption ceiling (learners who ever adopt)", "share"),
    "partner": ("Chosen partner", ""),
    "partner_type": ("Chosen partner's type", ""),
    "critical": ("Critical findings", "count"),
    "warning": ("Warnings", "count"),
    "info": ("Information findings", "count"),
}


def measure_heading(measure: str) -> str:
    """A measure's row heading in the comparison's tables: its label, with its unit where the
    cells do not show it ("Go-live P50 (weeks)"; "Probability of launching on time")."""
    text, unit = MEASURES[measure]
    return f"{text} ({unit})" if unit and unit not in ("share", "probability", "count") else text


def measure_text(measure: str, value: Any) -> str:
    """One cell of the comparison as its tables show it (the dashboard, the command line, the
    report): a share or a probability as a whole percentage ("6%"), weeks and person-weeks to
    one decimal ("40.5"), a count whole, yes or no, :data:`NEVER_TEXT` for a time to 80%
    adoption never reached, and an empty cell for a missing value.
    """
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return NEVER_TEXT if measure == "t80" else ("∞" if value > 0 else "-∞")
        unit = MEASURES[measure][1] if measure in MEASURES else ""
        if unit in ("share", "probability"):
            return f"{100 * value:.0f}%"
        return f"{value:.0f}" if unit == "count" else f"{value:.1f}"
    return "" if value is None else str(value)


@dataclass(frozen=True, eq=False)
class Comparison(ArrayEq):
    """Several scenarios side by side.

    Attributes
    ----------
    labels
        One unique label per scenario (its name; `` (2)`` appended to a repeated name).
    table
        Tidy: one row per scenario and measure (``scenario``, ``measure``, ``label``, ``unit``,
        ``value``); see :data:`MEASURES`.
    share_by_function
        Tidy: ``scenario``, ``function``, ``share`` (every function, zeros included).
    completion
        Label -> simulated go-live times (weeks), the same draws for every scenario.
    adoption_t, adoption_share
        Label -> weeks since launch and Bass share adopted.
    launch_targets
        Label -> launch target (weeks).
    diagnoses
        Label -> the scenario's :class:`~lmsdecide.diagnosis.Diagnosis`; empty when compared
        with ``findings=False`` (the severity counts in :attr:`table` are then None).
    n, seed
        Draws and seed shared by every scenario.
    """

    labels: tuple[str, ...]
    table: pd.DataFrame
    share_by_function: pd.DataFrame
    completion: dict[str, NDArray[np.float64]]
    adoption_t: dict[str, NDArray[np.float64]]
    adoption_share: dict[str, NDArray[np.float64]]
    launch_targets: dict[str, float]
    diagnoses: dict[str, Diagnosis] = field(default_factory=dict)
    n: int = COMPARE_DRAWS.default
    seed: int | None = 0

    @property
    def diagnosed(self) -> bool:
        """True when every scenario's diagnosis is in (not compared with ``findings=False``)."""
        return all(label in self.diagnoses for label in self.labels)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy)."""
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """One row per scenario, one column per measure (in :data:`MEASURES` order)."""
        return self._wide.copy()

    @functools.cached_property
    def _wide(self) -> pd.DataFrame:
        out = self.table.pivot(index="scenario", columns="measure", values="value")
        return out.loc[list(self.labels), list(MEASURES)]

    def value(self, label: str, measure: str) -> Any:
        """One cell of the table."""
        try:
            return self._cells[label, measure]
        except KeyError:
            raise KeyError(f"{label!r}, {measure!r}") from None

    @functools.cached_property
    def _cells(self) -> dict[tuple[str, str], Any]:
        # (scenario, measure) -> value, built once: the figures read every cell on each redraw
        cells: dict[tuple[str, str], Any] = {}
        for key, v in zip(
            zip(self.table["scenario"], self.table["measure"], strict=True),
            self.table["value"],
            strict=True,
        ):
            cells.setdefault(key, v)  # the first row wins, as before
        return cells


@dataclass(frozen=True)
class _ScenarioRun:
    """One scenario's share of a comparison (what :data:`RESULT_CACHE` stores)."""

    values: dict[str, Any]
    share_by_function: dict[str, float]
    completion: NDArray[np.float64]
    adoption_t: NDArray[np.float64]
    adoption_share: NDArray[np.float64]
    launch_target: float


#: Per-scenario results of :func:`compare` (all but the diagnosis, which has its own cache),
#: keyed by the scenario's content, the draws and the seed; at most 16 (five scenarios at two or
#: three draw counts).
RESULT_CACHE: ResultCache[_ScenarioRun] = ResultCache(maxsize=16)


def _run(s: Scenario, n: int, seed: int | None) -> _ScenarioRun:
    """Every model :func:`compare` shows for one scenario, except the diagnosis."""
    drive = who_drives(s)
    late = late_engagement(s)
    risk = simulate_schedule(s, n=n, seed=seed)
    ad = adoption(s)
    partner = s.partner(s.selected_partner) if s.selected_partner else None
    top = s.department(drive.top_driver)
    values: dict[str, Any] = {
        "learning_share": float(drive.learning_share),
        "learning_driven": bool(drive.learning_driven),
        "top_driver": top.name,
        "expected_rework": float(late.expected_rework),
        "expected_delay": float(late.expected_delay),
        "p50": float(risk.p50),
        "p80": float(risk.p80),
        "on_time_probability": float(risk.on_time_probability),
        "launch_target": float(risk.launch_target),
        "t80": float(ad.t80),  # inf when the ceiling is below 80%
        "adoption_ceiling": float(ad.ceiling),
        "partner": partner.name if partner else "none selected",
        "partner_type": partner.type if partner else "",
    }
    return _ScenarioRun(
        values=values,
        share_by_function={f: float(drive.share_by_function[f]) for f in FUNCTIONS},
        completion=_read_only(risk.completion),
        adoption_t=_read_only(ad.t),
        adoption_share=_read_only(ad.share),
        launch_target=float(risk.launch_target),
    )


def _read_only(values: Any) -> NDArray[np.float64]:
    # cached results are shared between comparisons: nobody may change them in place
    out = np.array(values, dtype=float)
    out.flags.writeable = False
    return out


def _cached_run(s: Scenario, n: int, seed: int | None) -> _ScenarioRun:
    if seed is None:  # fresh entropy each time: nothing to reuse
        return _run(s, n, seed)
    key = content_key(s, {"computation": "compare", "n": n, "seed": seed})
    return RESULT_CACHE.get(key, lambda: _run(s, n, seed))


def _unique_labels(scenarios: Sequence[Scenario]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for s in scenarios:
        seen[s.name] = seen.get(s.name, 0) + 1
        out.append(s.name if seen[s.name] == 1 else f"{s.name} ({seen[s.name]})")
    return tuple(out)


@validated(COMPARE_PARAMS, generators=False)
def compare(
    scenarios: Sequence[Scenario],
    *,
    n: int = 10_000,
    seed: int | None = 0,
    findings: bool | Literal["cached"] = True,
) -> Comparison:
    """Compare two to five scenarios on the toolkit's headline measures.

    Each scenario runs :func:`~lmsdecide.influence.who_drives` (learning share = Σ aᵀV over
    learning and HR), :func:`~lmsdecide.timing.late_engagement` (expected rework, person-weeks),
    :func:`~lmsdecide.timing.simulate_schedule` (P50, P80, on-time probability; the same seed and
    draws for every scenario: common random numbers), :func:`~lmsdecide.timing.adoption` (Bass
    time to 80%, weeks after launch) and :func:`~lmsdecide.diagnosis.diagnose` (findings by
    severity, from at most ``DIAGNOSE_DRAWS.max`` of the draws).

    Parameters
    ----------
    scenarios
        Two to five :class:`~lmsdecide.scenario.Scenario` objects.
    n, seed
        Monte Carlo draws and seed, shared by every scenario.
    findings
        False leaves the diagnoses out: :attr:`Comparison.diagnoses` is empty and the
        ``critical``, ``warning`` and ``info`` counts are None. Comparing the same scenarios
        again with findings computes only the diagnoses (the rest is cached). ``"cached"``
        takes them only if every scenario's diagnosis is already computed, and otherwise
        leaves them out (a live view shows the findings at once when it can).

    Raises
    ------
    ValueError
        When fewer than two or more than five scenarios are given, one is not a Scenario, or
        ``findings`` is not True, False or ``"cached"``.
    """
    items = list(scenarios)
    if not 2 <= len(items) <= MAX_SCENARIOS:
        raise ValueError(f"scenarios: compare two to {MAX_SCENARIOS} scenarios, got {len(items)}")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise ValueError(f"scenarios[{i}]: must be a Scenario, got {type(s).__name__}")
    if not (isinstance(findings, bool) or findings == "cached"):
        raise ValueError(f"findings: must be True, False or 'cached', got {findings!r}")
    labels = _unique_labels(items)
    draws = min(n, DIAGNOSE_DRAWS.max)
    found: dict[str, Diagnosis] = {}
    if findings == "cached":  # all or none: the findings figure shows every scenario or waits
        known = [cached_diagnosis(s, n=draws, seed=seed) for s in items]
        if all(d is not None for d in known):
            found = {label: d for label, d in zip(labels, known, strict=True) if d is not None}
    rows: list[dict[str, Any]] = []
    shares: list[dict[str, Any]] = []
    completion, ad_t, ad_share, targets = {}, {}, {}, {}
    diagnoses: dict[str, Diagnosis] = {}
    for label, s in zip(labels, items, strict=True):
        run = _cached_run(s, n, seed)
        values: dict[str, Any] = dict.fromkeys(SEVERITIES)
        diag = diagnose(s, n=draws, seed=seed) if findings is True else found.get(label)
        if diag is not None:
            diagnoses[label] = diag
            values.update({sev: int(diag.counts[sev]) for sev in SEVERITIES})
        values.update(run.values)
        for measure, (text, unit) in MEASURES.items():
            rows.append(
                {
                    "scenario": label,
                    "measure": measure,
                    "label": text,
                    "unit": unit,
                    "value": values[measure],
                }
            )
        shares.extend(
            {"scenario": label, "function": f, "share": share}
            for f, share in run.share_by_function.items()
        )
        completion[label] = run.completion
        ad_t[label] = run.adoption_t
        ad_share[label] = run.adoption_share
        targets[label] = run.launch_target
    table = pd.DataFrame(rows, columns=["scenario", "measure", "label", "unit", "value"])
    return Comparison(
        labels=labels,
        table=table,
        share_by_function=pd.DataFrame(shares, columns=["scenario", "function", "share"]),
        completion=completion,
        adoption_t=ad_t,
        adoption_share=ad_share,
        launch_targets=targets,
        diagnoses=diagnoses,
        n=n,
        seed=seed,
    )
