"""Decision rights (RACI): who is Responsible, Accountable, Consulted, Informed for each decision.

Checks (the usual RACI rules, e.g. PMI's PMBOK Guide, 6th ed., §9.1.2.2 "RACI chart": one
Accountable per task): exactly one Accountable and at least one Responsible per decision. For the
decisions marked ``learning_defining`` the source article asks that learning (L&D or HR) is
Accountable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lmsdecide._lazy import lazy_module
from lmsdecide.params import ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import LEARNING_FUNCTIONS, Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = ["DecisionRightsResult", "decision_rights"]


@dataclass(frozen=True, eq=False)
class DecisionRightsResult(ArrayEq):
    """The RACI table and its checks.

    Attributes
    ----------
    decisions, decision_names, departments, functions
        Ids (and names) in scenario order.
    roles
        (decisions × departments) tuple of tuples: "R", "A", "C", "I" or "" (no role).
    accountable
        Decision id → the Accountable department ids (ideally exactly one).
    responsible
        Decision id → the Responsible department ids.
    learning_defining
        Decision ids marked learning-defining.
    learning_accountable
        Learning-defining decision id → True when its single Accountable is a learning function.
    learning_accountable_fraction
        Share of learning-defining decisions whose Accountable is learning (NaN when none).
    problems
        One sentence per gap (no Accountable, several, no Responsible, learning decision held
        outside learning).
    """

    decisions: tuple[str, ...]
    decision_names: tuple[str, ...]
    departments: tuple[str, ...]
    functions: tuple[str, ...]
    roles: tuple[tuple[str, ...], ...]
    accountable: dict[str, tuple[str, ...]]
    responsible: dict[str, tuple[str, ...]]
    learning_defining: tuple[str, ...]
    learning_accountable: dict[str, bool]
    learning_accountable_fraction: float
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no gap was found."""
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per decision and department holding a role (decision, department, role)."""
        rows = [
            {
                "decision": dec,
                "department": dep,
                "function": fn,
                "role": role,
                "learning_defining": dec in self.learning_defining,
            }
            for dec, row in zip(self.decisions, self.roles, strict=True)
            for dep, fn, role in zip(self.departments, self.functions, row, strict=True)
            if role
        ]
        columns = ["decision", "department", "function", "role", "learning_defining"]
        return pd.DataFrame(rows, columns=columns)

    def matrix_frame(self) -> pd.DataFrame:
        """Wide: decisions as rows, departments as columns, roles as cells."""
        return pd.DataFrame(
            list(self.roles), index=list(self.decisions), columns=list(self.departments)
        )

    def checks_frame(self) -> pd.DataFrame:
        """One row per decision: accountable, responsible, counts, learning-defining, ok."""
        rows = []
        for dec in self.decisions:
            acc, resp = self.accountable[dec], self.responsible[dec]
            rows.append(
                {
                    "decision": dec,
                    "accountable": ", ".join(acc),
                    "n_accountable": len(acc),
                    "n_responsible": len(resp),
                    "learning_defining": dec in self.learning_defining,
                    "learning_accountable": self.learning_accountable.get(dec),
                    "ok": len(acc) == 1
                    and len(resp) >= 1
                    and self.learning_accountable.get(dec, True),
                }
            )
        return pd.DataFrame(rows)


@register_model(label="Decision rights (RACI)", area="influence", params=ParamSet(()))
def decision_rights(scenario: Scenario) -> DecisionRightsResult:
    """Check the RACI table: exactly one Accountable and at least one Responsible per decision;
    for learning-defining decisions, whether the Accountable department is a learning function
    (learning or hr).

    Source: RACI responsibility assignment (PMI, PMBOK Guide 6th ed., 2017, §9.1.2.2); the
    learning-defining rule is the source article's "learning must drive".
    """
    ids = tuple(scenario.department_ids)
    functions = tuple(d.function for d in scenario.departments)
    fn = dict(zip(ids, functions, strict=True))
    roles, accountable, responsible, learning_acc, problems = [], {}, {}, {}, []
    for dec in scenario.decisions:
        row = tuple(dec.rights.get(d, "") for d in ids)
        roles.append(row)
        acc = tuple(d for d, r in zip(ids, row, strict=True) if r == "A")
        resp = tuple(d for d, r in zip(ids, row, strict=True) if r == "R")
        accountable[dec.id], responsible[dec.id] = acc, resp
        if not acc:
            problems.append(f"{dec.id}: no one is Accountable")
        elif len(acc) > 1:
            problems.append(f"{dec.id}: {len(acc)} departments are Accountable ({', '.join(acc)})")
        if not resp:
            problems.append(f"{dec.id}: no one is Responsible")
        if dec.learning_defining:
            is_learning = len(acc) == 1 and fn[acc[0]] in LEARNING_FUNCTIONS
            learning_acc[dec.id] = is_learning
            if acc and not is_learning:
                holders = ", ".join(f"{a} ({fn[a]})" for a in acc)
                problems.append(
                    f"{dec.id}: a learning-defining decision is Accountable to {holders}, "
                    "not to learning"
                )
    defining = tuple(d.id for d in scenario.decisions if d.learning_defining)
    fraction = float(np.mean([learning_acc[d] for d in defining])) if defining else float("nan")
    return DecisionRightsResult(
        decisions=tuple(d.id for d in scenario.decisions),
        decision_names=tuple(d.name for d in scenario.decisions),
        departments=ids,
        functions=functions,
        roles=tuple(roles),
        accountable=accountable,
        responsible=responsible,
        learning_defining=defining,
        learning_accountable=learning_acc,
        learning_accountable_fraction=fraction,
        problems=tuple(problems),
    )
