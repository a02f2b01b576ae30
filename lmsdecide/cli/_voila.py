"""Voila as ``lmsdecide present`` runs it: the first page always takes the preheated kernel.

Voila 0.5 starts the pool's kernel as its server starts, but registers the notebook only once
that kernel process is up; a page requested before then (``lmsdecide present --browser``, or a
facilitator quick to reload, on a busy machine) is given a second, fresh kernel that runs the
whole notebook again while the first one does the same: two kernels share the CPU and the page
waits for its own. Here a page that finds the pool still filling (no query asking for another
template or theme) waits for the pool's kernel instead, as it would a moment later.

    python -m lmsdecide.cli._voila <voila arguments>
"""

from __future__ import annotations

from typing import Any


def use_the_filling_pool() -> None:
    """Make Voila's page handler take the pool's kernel while the pool is still filling."""
    from voila.handler import VoilaHandler

    decide = VoilaHandler.should_use_rendered_notebook
    if getattr(decide, "lmsdecide", False):
        return

    def should_use_rendered_notebook(
        self: Any,
        notebook_data: dict[str, Any],
        pool_size: int,
        template_name: str | None,
        theme: str | None,
        request_args: Any,
    ) -> bool:
        if pool_size > 0 and not notebook_data and template_name is None and theme is None:
            return True  # get_rendered_notebook waits for the pool's kernel to start
        return bool(decide(self, notebook_data, pool_size, template_name, theme, request_args))

    should_use_rendered_notebook.lmsdecide = True  # type: ignore[attr-defined]
    VoilaHandler.should_use_rendered_notebook = should_use_rendered_notebook


def main() -> None:
    from voila.app import main as voila_main

    use_the_filling_pool()
    voila_main()


if __name__ == "__main__":
    main()
