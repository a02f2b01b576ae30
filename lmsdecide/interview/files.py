"""Answers files (YAML or JSON), the bundled example, and how many answers make a scenario."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lmsdecide.interview.answers import Answers, InterviewError, InterviewProblem, parse_answers
from lmsdecide.io import MAX_BYTES, _parse_json, _parse_yaml, data_dir
from lmsdecide.scenario import ScenarioError

__all__ = ["answer_count", "example_answers", "example_answers_path", "load_answers", "value_count"]


def example_answers_path() -> Path:
    """The bundled example answers: an eight-department organisation."""
    return data_dir() / "interview" / "example_answers.yaml"


def read_answers_data(path: str | os.PathLike[str]) -> Any:
    """Plain data of an answers file (YAML or JSON), read safely; :class:`InterviewError`."""
    p = Path(path)

    def fail(message: str) -> InterviewError:
        return InterviewError(
            [InterviewProblem("", "answers", message, has_value=False)], source=str(p)
        )

    suffix = p.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise fail(f"unknown file type {suffix or '(none)'!r}; use .yaml, .yml or .json")
    try:
        if p.stat().st_size > MAX_BYTES:
            raise fail(f"the file is over the {MAX_BYTES:,}-byte limit; refused")
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file") from None
    except UnicodeDecodeError:
        raise fail("not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    if not text.strip():
        raise fail("the file is empty")
    try:
        return _parse_json(text) if suffix == ".json" else _parse_yaml(text)
    except ScenarioError as exc:
        raise fail("; ".join(p.message for p in exc.problems)) from None


def load_answers(path: str | os.PathLike[str]) -> Answers:
    """Read and parse an answers file (the meaning is checked by ``build_scenario``)."""
    return parse_answers(read_answers_data(path), source=str(path))


def example_answers() -> dict[str, Any]:
    """The bundled example answers as plain data."""
    data = read_answers_data(example_answers_path())
    assert isinstance(data, dict)
    return data


def _leaves(value: Any) -> int:
    if isinstance(value, Mapping):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_leaves(v) for v in value)
    return 1


def answer_count(raw: Any) -> int:
    """How many answers an answers document holds: each plain value is one answer.

    A ticked concern is one answer, a ranking one answer per criterion ranked, a "mostly /
    somewhat / a little" one answer per department listened to.
    """
    return _leaves(raw)


def value_count(data: Mapping[str, Any]) -> int:
    """How many values a scenario file holds (each number, text or flag is one)."""
    return _leaves(data)
