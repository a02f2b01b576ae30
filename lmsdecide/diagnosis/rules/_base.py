"""The rule registry of the diagnosis: :func:`rule` and :data:`RULES`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lmsdecide.diagnosis.codes import CODES
from lmsdecide.diagnosis.context import Context
from lmsdecide.diagnosis.findings import Finding

__all__ = ["RULES", "Rule", "rule", "rules_generation"]

RuleFunc = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its function and the codes it may emit."""

    func: RuleFunc
    codes: tuple[str, ...]

    @property
    def name(self) -> str:
        """``family.function`` (for messages)."""
        return f"{self.func.__module__.rsplit('.', 1)[-1]}.{self.func.__name__}"


#: Every rule, in registration order (the order of the findings comes from the code table).
RULES: list[Rule] = []
#: Registrations so far: a diagnosis cached before a rule was added or redefined is not reused.
_GENERATION = [0]


def rules_generation() -> int:
    """How many rules have been registered (or redefined) in this process."""
    return _GENERATION[0]


def rule(*codes: str) -> Callable[[RuleFunc], RuleFunc]:
    """Decorator adding a rule that may emit ``codes`` to :data:`RULES`.

    Raises
    ------
    KeyError
        When a code is not in the table (add its row to ``codes.py`` first).
    """
    unknown = [c for c in codes if c not in CODES]
    if unknown or not codes:
        raise KeyError(f"rule codes must be rows of CODES, got {list(codes)}")

    def decorate(func: RuleFunc) -> RuleFunc:
        # a redefinition (a reloaded module, a notebook cell run again) replaces the rule
        RULES[:] = [
            r
            for r in RULES
            if r.func.__qualname__ != func.__qualname__ or r.func.__module__ != func.__module__
        ]
        RULES.append(Rule(func, codes))
        _GENERATION[0] += 1
        return func

    return decorate
