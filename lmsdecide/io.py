"""Loading and saving scenarios: YAML, JSON and an Excel workbook (one sheet per table).

Files are read safely: a size limit checked before parsing, PyYAML's safe loader only (no tag
ever constructs a Python object), a cap on how far aliases may expand (alias bombs), a cap on the
uncompressed size of a workbook (zip bombs). Whatever a file holds, the only exception raised is
:class:`~lmsdecide.scenario.ScenarioError`, listing every problem with its location and value.

Saving is atomic (a temporary file in the same folder, then a rename) and loss-free:
``load_scenario(save_scenario(s, path)) == s`` for every format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from lmsdecide._env import data_dir
from lmsdecide._files import write_atomic
from lmsdecide.scenario import Problem, Scenario, ScenarioError, validate_scenario

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "data_dir",
    "example",
    "file_type_problem",
    "list_examples",
    "load_scenario",
    "parse_scenario",
    "save_scenario",
    "scenario_to_bytes",
]

#: Largest scenario file read, in bytes (refused before parsing).
MAX_BYTES = 5 * 1024 * 1024
#: Largest uncompressed content of a workbook, in bytes.
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
#: Most values a YAML document may expand to through aliases.
MAX_NODES = 200_000
#: Suffix -> format name.
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def _error(message: str, location: str = "") -> ScenarioError:
    return ScenarioError([Problem(location, message, has_value=False)])


def _check_expansion(doc: Any) -> None:
    """Refuse documents that aliases expand past :data:`MAX_NODES` values, or that recurse."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk; memoised by identity so shared (aliased) nodes cost once.
    stack: list[tuple[Any, bool]] = [(doc, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if not isinstance(node, (list, dict)):
            continue
        children = list(node.values()) + list(node.keys()) if isinstance(node, dict) else node
        if done:
            on_path.discard(key)
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > MAX_NODES:
                raise _error(
                    f"the document expands to more than {MAX_NODES:,} values through aliases; "
                    "refused (an alias bomb?)"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _error("the document refers to itself through an alias; refused")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (list, dict)))


def _parse_yaml(text: str) -> Any:
    try:
        doc = yaml.load(
            text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
        )
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1})" if mark else ""
        raise _error(
            f"not allowed{where}: {exc.problem}; only plain YAML (mappings, lists, text, numbers) "
            "is read, tags that construct objects are refused"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _error(f"not valid YAML{where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _error(f"not valid YAML: {exc}") from None
    _check_expansion(doc)
    return doc


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def parse_scenario(raw: bytes, fmt: str, *, source: str = "<data>") -> Scenario:
    """Parse and validate the bytes of a scenario file in format ``fmt`` (yaml, json, xlsx).

    Used by :func:`load_scenario` and by the dashboards' upload. Raises
    :class:`~lmsdecide.scenario.ScenarioError` (and nothing else) for any content.
    """
    try:
        if len(raw) > MAX_BYTES:
            raise _error(f"the file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit")
        if fmt == "xlsx":
            from lmsdecide import _excel

            data: Any = _excel.read_workbook(raw, max_uncompressed=MAX_XLSX_UNCOMPRESSED)
        elif fmt in ("yaml", "json"):
            text = _decode(raw)
            if not text.strip():
                raise _error("the file is empty")
            data = _parse_json(text) if fmt == "json" else _parse_yaml(text)
        else:
            raise _error(f"unknown format {fmt!r}; use one of yaml, json, xlsx")
        return validate_scenario(data)
    except ScenarioError as exc:
        raise exc.with_source(source) from None
    except RecursionError:
        raise _error("the document is nested too deeply").with_source(source) from None
    except MemoryError:
        raise _error("the document is too large to read").with_source(source) from None
    except Exception as exc:  # a last net: a file must never crash the caller
        message = f"could not be read ({type(exc).__name__}: {exc})"
        raise _error(message).with_source(source) from None


def file_type_problem(path: Path) -> str | None:
    """Why ``path`` cannot hold a scenario, by its file type (one of :data:`FORMATS`), or None."""
    if path.suffix.lower() in FORMATS:
        return None
    known = ", ".join(sorted(FORMATS))
    return f"unknown file type {path.suffix or '(none)'!r}; use one of {known}"


def _format_of(path: Path) -> str:
    problem = file_type_problem(path)
    if problem is not None:
        raise ScenarioError([Problem("", problem, has_value=False)], source=str(path))
    return FORMATS[path.suffix.lower()]


def load_scenario(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Scenario:
    """Load and validate a scenario file (YAML, JSON or Excel, chosen by the suffix).

    Parameters
    ----------
    path
        ``.yaml``/``.yml``, ``.json`` or ``.xlsx`` file.
    max_bytes
        Size limit checked before reading (default :data:`MAX_BYTES`).

    Raises
    ------
    ScenarioError
        For a missing, unreadable, oversized, malformed or invalid file, listing every problem.
    """
    p = Path(path)
    fmt = _format_of(p)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = p.stat().st_size
        if size > limit:
            raise _error(f"the file is {size:,} bytes, over the {limit:,}-byte limit; refused")
        with p.open("rb") as fh:
            raw = fh.read(limit + 1)
    except ScenarioError as exc:
        raise exc.with_source(str(p)) from None
    except FileNotFoundError:
        raise _error("no such file").with_source(str(p)) from None
    except IsADirectoryError:
        raise _error("is a folder, not a file").with_source(str(p)) from None
    except OSError as exc:
        raise _error(f"cannot be read: {exc.strerror}").with_source(str(p)) from None
    return parse_scenario(raw, fmt, source=str(p))


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe dumper that quotes text YAML would otherwise fold (NEL, line/paragraph separators)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # In a plain or single-quoted scalar, YAML normalises U+0085/U+2028/U+2029 and other
    # non-printable characters; double quotes escape them, so the text comes back unchanged.
    risky = any(c in value for c in "\x85\u2028\u2029") or not value.isprintable()
    style = '"' if risky else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml_bytes(scenario: Scenario) -> bytes:
    text = yaml.dump(
        scenario.to_data(),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,
    )
    return text.encode("utf-8")


def _json_bytes(scenario: Scenario) -> bytes:
    return (json.dumps(scenario.to_data(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _xlsx_bytes(scenario: Scenario) -> bytes:
    from lmsdecide import _excel

    return _excel.write_workbook(scenario.to_data())


_WRITERS: dict[str, Callable[[Scenario], bytes]] = {
    "yaml": _yaml_bytes,
    "json": _json_bytes,
    "xlsx": _xlsx_bytes,
}


def scenario_to_bytes(scenario: Scenario, fmt: str) -> bytes:
    """The file content of ``scenario`` in format ``fmt`` (yaml, json or xlsx)."""
    if fmt not in _WRITERS:
        raise _error(f"unknown format {fmt!r}; use one of yaml, json, xlsx")
    return _WRITERS[fmt](scenario)


def save_scenario(
    scenario: Scenario, path: str | os.PathLike[str], *, overwrite: bool = True
) -> Path:
    """Write ``scenario`` to ``path`` atomically, in the format its suffix names.

    The content goes to a temporary file in the same folder, is flushed to disk, then renamed
    over ``path``: a crash or a full disk never leaves a half-written file, and an existing file
    is replaced only by a complete one.

    Parameters
    ----------
    overwrite
        When False, refuse (``FileExistsError``) if ``path`` exists.

    Returns
    -------
    Path
        ``path``, so that ``load_scenario(save_scenario(s, p)) == s`` reads naturally.
    """
    p = Path(path)
    if not overwrite and p.exists():
        raise FileExistsError(f"{p} exists; not overwritten")
    return write_atomic(p, scenario_to_bytes(scenario, _format_of(p)), overwrite=overwrite)


# ---------------------------------------------------------------------------------------------
# Bundled examples
# ---------------------------------------------------------------------------------------------


def list_examples() -> list[str]:
    """Names of the bundled scenarios (``data/scenarios/*.yaml``), sorted."""
    return sorted(p.stem for p in (data_dir() / "scenarios").glob("*.yaml"))


def example(name: str) -> Scenario:
    """The bundled scenario ``name`` (see :func:`list_examples`).

    Raises
    ------
    ScenarioError
        If there is no bundled scenario of that name (the message lists those there are).
    """
    names = list_examples()
    if name not in names:
        raise _error(f"no bundled scenario {name!r}; bundled: {', '.join(names)}")
    return load_scenario(data_dir() / "scenarios" / f"{name}.yaml")
