"""Diagnosis: run the models on a scenario and turn their numbers into findings.

"Make sure the dog wags the tail": each :class:`Finding` names a problem the source article
warns about, with the model numbers behind it (``evidence``), a concrete ``recommendation`` (for
late engagement, the recommended phase and what it saves at P50 on common random numbers) and
the article's ``principle`` it rests on. Thresholds are declared parameters
(:data:`DIAGNOSE_PARAMS`).

The package, by layer:

- :mod:`~lmsdecide.diagnosis.codes`: the one table of finding codes (:data:`CODES`: severities,
  title template, principle, when it fires), :data:`PRINCIPLES`, :data:`SEVERITIES`;
- :mod:`~lmsdecide.diagnosis.findings`: :class:`Finding`, :class:`Diagnosis`;
- :mod:`~lmsdecide.diagnosis.context`: the model results the rules read, each run once;
- :mod:`~lmsdecide.diagnosis.rules`: the rule families (``influence``, ``timing``,
  ``partner``, ``rights``);
- :mod:`~lmsdecide.diagnosis.core`: :func:`diagnose`, which runs every rule.

Adding a finding: one row in ``codes.py`` and one ``@rule`` function (CONTRIBUTING.md).
"""

from lmsdecide.diagnosis.codes import CODES, PRINCIPLES, SEVERITIES, FindingCode, Severity
from lmsdecide.diagnosis.core import diagnose
from lmsdecide.diagnosis.findings import Diagnosis, Finding
from lmsdecide.diagnosis.params import DIAGNOSE_DRAWS, DIAGNOSE_PARAMS
from lmsdecide.diagnosis.rules import RULES

__all__ = [
    "CODES",
    "DIAGNOSE_DRAWS",
    "DIAGNOSE_PARAMS",
    "PRINCIPLES",
    "RULES",
    "SEVERITIES",
    "Diagnosis",
    "Finding",
    "FindingCode",
    "Severity",
    "diagnose",
]
