"""The public API: every submodule imports, and no import hides a top-level function.

A module named like the function it exports (``lmsdecide/compare.py`` exporting ``compare``)
would replace the function by the module as an attribute of its package once imported: then
``lms.compare(a, b)`` fails with "module is not callable". Here every submodule is imported first,
then every name of ``lmsdecide.__all__`` is called (or, for classes, checked) on bundled data.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import lmsdecide as lms
from lmsdecide.diagnosis import Diagnosis

# ``__main__`` modules run the command line when imported: they are not part of the API.
SUBMODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(lms.__path__, "lmsdecide.")
    if not m.name.endswith(".__main__")
)


def test_every_submodule_imports() -> None:
    for name in SUBMODULES:
        importlib.import_module(name)
    assert "lmsdecide.diagnosis.rules.timing" in SUBMODULES


@pytest.mark.parametrize("name", SUBMODULES)
def test_no_module_is_named_like_a_name_its_package_exports(name: str) -> None:
    importlib.import_module(name)
    parent_name, _, last = name.rpartition(".")
    parent = importlib.import_module(parent_name)
    exported = getattr(parent, "__all__", ())
    assert last not in exported, f"{parent_name} exports {last!r}, also a submodule's name"
    assert isinstance(getattr(parent, last), types.ModuleType), (
        f"{parent_name}.{last} is not the module {name}: `import {name} as m` would not give it"
    )


def _calls(tmp: Path) -> dict[str, Callable[[], Any]]:
    """One call per top-level export, on bundled data; each returns what to check."""
    s = lms.example("it_led")
    saved = tmp / "it_led.yaml"
    return {
        "BoolParam": lambda: (
            lms.BoolParam(name="b", label="B", default=True).validate(False) is False
        ),
        "ChoiceParam": lambda: lms.ChoiceParam(
            name="c", label="C", default="x", choices=("x", "y")
        ).validate("y"),
        "FloatParam": lambda: lms.FloatParam(
            name="f", label="F", default=0.5, min=0, max=1
        ).validate("0.25"),
        "IntParam": lambda: lms.IntParam(name="i", label="I", default=1, min=0, max=3).validate(2),
        "ParamSet": lambda: lms.ParamSet(()).validate({}) == {},
        "ParamError": lambda: isinstance(lms.ParamError(["x: bad"]), ValueError),
        "Scenario": lambda: isinstance(s, lms.Scenario),
        "ScenarioError": lambda: issubclass(lms.ScenarioError, ValueError),
        "validate_scenario": lambda: lms.validate_scenario(s.model_dump(mode="json")).name,
        "load_scenario": lambda: lms.load_scenario(lms.save_scenario(s, saved)).name,
        "save_scenario": lambda: lms.save_scenario(s, tmp / "copy.json").exists(),
        "example": lambda: lms.example("learning_led_late_it").name,
        "list_examples": lambda: "it_led" in lms.list_examples(),
        "register_model": lambda: callable(
            lms.register_model(label="x", area="test", params=lms.ParamSet(()))
        ),
        "all_models": lambda: "who_drives" in lms.all_models(),
        "get_model": lambda: lms.get_model("who_drives")(s).learning_share < 0.5,
        "models": lambda: isinstance(lms.models(), pd.DataFrame) and len(lms.models()) > 10,
        "diagnose": lambda: lms.diagnose(s, n=200).critical,
        "Diagnosis": lambda: isinstance(lms.diagnose(s, n=200), lms.Diagnosis),
        "compare": lambda: lms.compare([s, lms.example("cloud_no_integration")], n=200).labels,
        "Comparison": lambda: inspect.isclass(lms.Comparison),
    }


def test_every_export_is_called_and_none_is_a_module(tmp_path: Path) -> None:
    for name in SUBMODULES:  # importing everything must not hide a function
        importlib.import_module(name)
    calls = _calls(tmp_path)
    assert sorted(calls) == sorted(lms.__all__), "give every new export a call here"
    for name in lms.__all__:
        value = getattr(lms, name)
        assert not isinstance(value, types.ModuleType), f"lms.{name} is a module"
        assert callable(value), name
        assert calls[name](), f"lms.{name} did not do what it should"
    assert lms.diagnose is importlib.import_module("lmsdecide.diagnosis").diagnose
    assert lms.Diagnosis is Diagnosis


def test_version_has_one_source() -> None:
    root = Path(__file__).resolve().parent.parent
    pyproject = (root / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject
    assert lms.__version__.count(".") == 2


@pytest.mark.parametrize("name", ["lmsdecide", "lmsdecide.widgets", "lmsdecide.room"])
def test_a_lazy_package_gives_every_name_it_exports(name: str) -> None:
    """The packages that import their names on first use (``lmsdecide._lazy.lazy_attribute``)
    answer each name of ``__all__``, list it in ``dir()``, and refuse others plainly."""
    package = importlib.import_module(name)
    for exported in package.__all__:
        assert getattr(package, exported) is not None
        assert exported in dir(package)
    with pytest.raises(AttributeError, match=rf"module '{name}' has no attribute 'no_such'"):
        package.no_such  # noqa: B018
