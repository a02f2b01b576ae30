"""environment.yml (conda) lists the same dependencies, with the same bounds, as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1).lower())
    return name, match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for items in project["optional-dependencies"].values():
        requirements += [r for r in items if not r.startswith("lmsdecide")]
    return dict(_split(r) for r in requirements)


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found: dict[str, str] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for pip_item in item["pip"]:
                if pip_item != "-e .":
                    name, spec = _split(pip_item)
                    found[name] = spec
        else:
            name, spec = _split(item)
            if name not in ("python", "pip"):
                found[name] = spec
    return found


def test_environment_matches_pyproject() -> None:
    assert _conda() == _pyproject()


def test_dev_extra_is_everything() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["dev"] == ["lmsdecide[lab,test]"]
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["lmsdecide"] == "lmsdecide.cli:main"


def test_conda_installs_the_package_itself() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_items = next(i["pip"] for i in env["dependencies"] if isinstance(i, dict))
    assert "-e ." in pip_items
    assert "conda-forge" in env["channels"]
