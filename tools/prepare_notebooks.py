"""Prepare notebooks for commit: run each one, keep only the outputs nbval checks.

Usage: .venv/bin/python tools/prepare_notebooks.py [notebooks/*.ipynb]

Cells marked ``# NBVAL_CHECK_OUTPUT`` (or tagged ``nbval-check-output``) keep their text output so
``pytest --nbval-lax`` compares it; every other output, execution count and widget state is
cleared, so the committed notebooks are small and diff cleanly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def is_checked(cell: nbformat.NotebookNode) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return "# NBVAL_CHECK_OUTPUT" in cell.source or "nbval-check-output" in tags


def prepare(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        cell.execution_count = None
        if is_checked(cell):
            # nbval refuses a cell with outputs but no execution count ("unrun reference cell")
            cell.execution_count = number
            cell.outputs = [o for o in cell.outputs if o.get("output_type") == "stream"]
            for output in cell.outputs:
                output.pop("execution_count", None)
        else:
            cell.outputs = []
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"prepared {path}")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("notebooks").glob("*.ipynb"))
    for p in paths:
        prepare(p)
