"""Saving the interview's progress after every step, so nothing is lost.

The answers given so far (complete or not, valid or not) and the step reached are written as JSON
beside the output (``my_org.yaml`` -> ``my_org.yaml.interview.json``) after every change:
atomically (a temporary file in the same folder, flushed, then renamed), so a closed tab, a
crash or a full disk never leaves a half-written file and the interview resumes where it was.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmsdecide._files import write_atomic

__all__ = [
    "INTERVIEW_OUTPUT_ENV",
    "PROGRESS_SUFFIX",
    "Progress",
    "keep_unreadable",
    "load_progress",
    "progress_path",
    "save_progress",
]

#: Environment variable naming the scenario file the interview app writes
#: (set by ``lmsdecide interview -o FILE``).
INTERVIEW_OUTPUT_ENV = "LMSDECIDE_INTERVIEW_OUTPUT"
#: Appended to the output's file name to name the progress file.
PROGRESS_SUFFIX = ".interview.json"
#: Largest progress file read, in bytes.
MAX_PROGRESS_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Progress:
    """The answers so far (plain data, possibly incomplete) and the step reached (0-based)."""

    answers: dict[str, Any] = field(default_factory=dict)
    step: int = 0
    updated: str = ""


def progress_path(output: str | os.PathLike[str]) -> Path:
    """The progress file of the interview writing ``output``."""
    p = Path(output)
    return p.with_name(p.name + PROGRESS_SUFFIX)


def save_progress(path: str | os.PathLike[str], progress: Progress) -> Path:
    """Write ``progress`` to ``path`` atomically; returns ``path``."""
    p = Path(path)
    stamp = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    content = json.dumps(
        {"version": 1, "step": progress.step, "updated": stamp, "answers": progress.answers},
        indent=1,
        ensure_ascii=False,
    ).encode("utf-8")
    return write_atomic(p, content)


def load_progress(path: str | os.PathLike[str]) -> Progress | None:
    """The saved progress, or None when there is none.

    Raises
    ------
    ValueError
        When the file exists but cannot be read as progress (naming the file and the reason); the
        file is left as it is.
    """
    p = Path(path)
    if not p.exists():
        return None
    try:
        if p.stat().st_size > MAX_PROGRESS_BYTES:
            raise ValueError(f"over {MAX_PROGRESS_BYTES:,} bytes")
        doc = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not isinstance(doc.get("answers"), dict):
            raise ValueError("no answers in it")
        step = doc.get("step", 0)
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise ValueError(f"step must be a whole number >= 0, got {step!r}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ValueError(f"{p}: saved progress cannot be read ({exc})") from None
    return Progress(answers=doc["answers"], step=step, updated=str(doc.get("updated", "")))


def keep_unreadable(path: str | os.PathLike[str]) -> Path:
    """Move an unreadable progress file aside (``<name>.unreadable-<time>``), so that starting
    afresh never overwrites it; returns where it went."""
    p = Path(path)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = p.with_name(f"{p.name}.unreadable-{stamp}")
    os.replace(p, target)
    return target
