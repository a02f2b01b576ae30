"""Environment variables the command line passes to the notebooks it serves, and where the
bundled data is: cheap to import (no pandas, no pydantic), so ``lmsdecide present`` starts its
server without loading the models first."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["FIGURE_BUNDLE_ENV", "STORY_SCENARIO_ENV", "cache_dir", "data_dir"]

#: The path (on the app's own server) at which ``lmsdecide present`` serves plotly's widget
#: bundle, e.g. ``/voila/static/plotly-widgetbundle-7.1.0.js``. Live
#: figures then load it from there, once per page, instead of each carrying its own 5 MB copy
#: (:func:`lmsdecide.figures.spec.build`).
FIGURE_BUNDLE_ENV = "LMSDECIDE_FIGURE_BUNDLE"

#: Environment variable naming the scenario file ``lmsdecide present --scenario`` presents.
STORY_SCENARIO_ENV = "LMSDECIDE_STORY_SCENARIO"


def data_dir() -> Path:
    """Folder of the bundled data: the installed copy, else the repository's ``data/``
    (``LMSDECIDE_DATA`` overrides both)."""
    env = os.environ.get("LMSDECIDE_DATA")
    if env:
        return Path(env)
    installed = Path(__file__).parent / "_data"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "data"


def cache_dir() -> Path:
    """Folder for what lmsdecide computes once per machine and keeps (plotly's served bundle,
    the quasi-random engine's Sobol points): ``$XDG_CACHE_HOME/lmsdecide``, else
    ``~/.cache/lmsdecide``. Not created here."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lmsdecide"
