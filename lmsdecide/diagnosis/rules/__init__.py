"""The diagnosis rules, in families: influence, timing, partner, decision rights.

A rule is a function ``rule(ctx: Context) -> Iterable[Finding]`` decorated with
:func:`rule`, which names the codes it may emit (each a row of
:data:`~lmsdecide.diagnosis.codes.CODES`) and adds it to :data:`RULES`.
:func:`~lmsdecide.diagnosis.diagnose` runs every rule and sorts the findings.

Adding a finding (CONTRIBUTING.md): one row in ``codes.py``, one decorated function in the
family module it belongs to (or a new module imported below).
"""

from __future__ import annotations

from lmsdecide.diagnosis.rules import influence, partner, rights, timing  # noqa: F401  registers
from lmsdecide.diagnosis.rules._base import RULES, Rule, rule

__all__ = ["RULES", "Rule", "rule"]
