"""Environment variables the command line passes to the notebooks it serves (no imports)."""

from __future__ import annotations

__all__ = ["FIGURE_BUNDLE_ENV"]

#: The path (on the app's own server) at which ``lmsdecide present`` serves plotly's widget
#: bundle, e.g. ``/voila/static/plotly-widgetbundle-7.1.0.js``. Live
#: figures then load it from there, once per page, instead of each carrying its own 5 MB copy
#: (:func:`lmsdecide.figures.spec.build`).
FIGURE_BUNDLE_ENV = "LMSDECIDE_FIGURE_BUNDLE"
