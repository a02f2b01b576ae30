"""The layer rule, enforced on the source (an AST scan of every import, lazy ones included).

1. Models and analyses (everything but ``figures``, ``widgets``, ``report`` and ``cli``) never
   import plotly, ipywidgets, anywidget, ``lmsdecide.figures`` or ``lmsdecide.widgets``: they are
   pure functions returning frozen dataclasses.
2. Figure builders never import ipywidgets, anywidget or ``lmsdecide.widgets``.
3. Nothing below the dashboards imports them: only ``lmsdecide.widgets`` itself imports
   ``lmsdecide.widgets`` or ipywidgets (the command line and the report included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lmsdecide"
DISPLAY = ("plotly", "ipywidgets", "anywidget", "lmsdecide.figures", "lmsdecide.widgets")
WIDGETS = ("ipywidgets", "anywidget", "lmsdecide.widgets")
#: The layers above the models: they may draw.
DRAWING = ("figures", "widgets", "report.py", "cli")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _hits(path: Path, banned: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in _imports(path)
        if any(name == b or name.startswith(b + ".") for b in banned)
    )


FILES = sorted(PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_rule(path: Path) -> None:
    layer = _layer(path)
    if layer not in DRAWING:
        assert not _hits(path, DISPLAY), f"a model or analysis imports display code: {path}"
    if layer != "widgets":
        assert not _hits(path, WIDGETS), f"only lmsdecide.widgets may import widgets: {path}"


def test_the_scan_sees_lazy_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from lmsdecide.widgets import base\n    import plotly.io\n")
    assert _hits(source, DISPLAY) == ["lmsdecide.widgets", "lmsdecide.widgets.base", "plotly.io"]
