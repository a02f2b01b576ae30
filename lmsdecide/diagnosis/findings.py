"""What a diagnosis returns: :class:`Finding` and :class:`Diagnosis`, and :func:`make_finding`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from lmsdecide.diagnosis.codes import CODES, PRINCIPLES, SEVERITIES, Severity

__all__ = ["Diagnosis", "Evidence", "Finding", "make_finding"]

Evidence = dict[str, float | int | str | None]


@dataclass(frozen=True)
class Finding:
    """One finding of the diagnosis.

    Attributes
    ----------
    code
        Stable identifier (``IT_LATE``, ...), a key of :data:`~lmsdecide.diagnosis.CODES`.
    severity
        ``critical``, ``warning`` or ``info``.
    title
        One line.
    evidence
        The model numbers behind it, by name (floats in their units; see ``evidence_text``).
    evidence_text
        The same numbers in words.
    recommendation
        What to do, concretely, with what it is expected to save when the models say.
    principle
        Key of :data:`~lmsdecide.diagnosis.PRINCIPLES`; ``principle_text`` quotes it.
    departments
        Department (or partner) ids the finding is about.
    """

    code: str
    severity: Severity
    title: str
    evidence: Evidence
    evidence_text: str
    recommendation: str
    principle: str
    departments: tuple[str, ...] = ()

    @property
    def principle_text(self) -> str:
        """The source article's principle in words."""
        return PRINCIPLES[self.principle]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-compatible data."""
        out = asdict(self)
        out["departments"] = list(self.departments)
        out["principle_text"] = self.principle_text
        return out


def make_finding(
    code: str,
    *,
    evidence: Evidence,
    evidence_text: str,
    recommendation: str,
    severity: Severity | None = None,
    principle: str | None = None,
    departments: tuple[str, ...] = (),
    **title_fields: Any,
) -> Finding:
    """A :class:`Finding` of ``code``, its title filled from the table's template.

    ``severity`` and ``principle`` default to the table's (its first severity); a severity the
    table does not allow for the code is a programming error (``ValueError``).
    """
    row = CODES[code]
    severity = severity or row.severities[0]
    if severity not in row.severities:
        raise ValueError(f"{code}: severity must be one of {row.severities}, got {severity!r}")
    template = row.title_info if severity == "info" and row.title_info else row.title
    return Finding(
        code=code,
        severity=severity,
        title=template.format(**title_fields),
        evidence=evidence,
        evidence_text=evidence_text,
        recommendation=recommendation,
        principle=principle or row.principle,
        departments=departments,
    )


@dataclass(frozen=True)
class Diagnosis:
    """Findings on one scenario, most serious first.

    Attributes
    ----------
    scenario_name
        The scenario's name.
    findings
        Sorted by severity (critical, warning, info), then in the order of the code table.
    verdict
        One sentence: does the dog wag the tail?
    learning_share, learning_driven, top_driver
        From :func:`~lmsdecide.influence.who_drives`.
    assumptions
        Every parameter value used, by name (with ``seed``).
    """

    scenario_name: str
    findings: tuple[Finding, ...]
    verdict: str
    learning_share: float
    learning_driven: bool
    top_driver: str
    assumptions: dict[str, Any] = field(default_factory=dict)

    def by_severity(self, severity: str) -> tuple[Finding, ...]:
        """The findings of one severity."""
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per severity (every severity, zeros included)."""
        return {s: len(self.by_severity(s)) for s in SEVERITIES}

    @property
    def critical(self) -> bool:
        """True when there is at least one critical finding."""
        return any(f.severity == "critical" for f in self.findings)

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def finding(self, code: str) -> Finding | None:
        """The first finding with ``code`` (None when there is none)."""
        return next((f for f in self.findings if f.code == code), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: code, severity, title, evidence, recommendation, principle."""
        columns = ["code", "severity", "title", "evidence", "recommendation", "principle"]
        return pd.DataFrame(
            [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "title": f.title,
                    "evidence": f.evidence_text,
                    "recommendation": f.recommendation,
                    "principle": f.principle,
                }
                for f in self.findings
            ],
            columns=columns,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-compatible data (for ``lmsdecide diagnose --json``)."""
        return {
            "scenario": self.scenario_name,
            "verdict": self.verdict,
            "learning_share": self.learning_share,
            "learning_driven": self.learning_driven,
            "top_driver": self.top_driver,
            "counts": self.counts,
            "critical": self.critical,
            "findings": [f.to_dict() for f in self.findings],
            "assumptions": dict(self.assumptions),
        }
