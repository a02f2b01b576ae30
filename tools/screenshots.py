"""Regenerate the screenshot gallery in docs/screenshots/ from real browser runs.

Usage: .venv/bin/python tools/screenshots.py [--sizes 1280x720,1920x1080] [--only workshop,report]

The same servers and pages as the browser tests (tests/browser/pages.py): the Workshop served as
`make present` serves it (Voila) at each story step and on its other two tabs, every dashboard
notebook in JupyterLab after Run All (scrolled to the dashboard), and the HTML report (its top
and its first figures). Each PNG is reduced to a 256-colour palette (Pillow) to keep the gallery
small; docs/screenshots/README.md lists them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import pages as P  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = ((1280, 720), (1920, 1080))
TITLES = {
    "who_drives": "Who drives (01)",
    "when_to_engage": "When to engage (02)",
    "choose_a_partner": "Choose a partner (03)",
    "compare_scenarios": "Compare scenarios (04)",
    "explore_uncertainty": "Explore uncertainty (07)",
}


def optimise(path: Path) -> None:
    """A 256-colour palette PNG: a few hundred kB at most for a 1920x1080 page."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def shoot(page: Any, name: str, shots: list[tuple[str, str]], title: str) -> None:
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    path = OUT / f"{name}-{width}x{height}.png"
    page.screenshot(path=str(path))
    optimise(path)
    shots.append((path.name, f"{title}, {width}×{height}"))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} kB", flush=True)


def at_sizes(
    page: Any,
    sizes: list[tuple[int, int]],
    show: Any,
    name: str,
    title: str,
    shots: list[tuple[str, str]],
) -> None:
    for width, height in sizes:
        P.resize(page, width, height)
        show()
        shoot(page, name, shots, title)


def workshop(page: Any, sizes: list[tuple[int, int]], shots: list[tuple[str, str]]) -> None:
    from lmsdecide.workshop import STORY

    with P.workshop_app() as (url, _started):
        P.open_workshop(page, url)
        for number, step in enumerate(STORY, start=1):
            if number > 1:
                page.get_by_role("button", name="Next ▶").click()
                page.get_by_text(step.title).first.wait_for(timeout=60_000)
                P.settle(page, 1500)
            at_sizes(page, sizes, lambda: None, f"workshop-step{number}", step.title, shots)
        for index, (name, title) in enumerate(
            (
                ("workshop-a-against-b", "Workshop: A against B"),
                ("workshop-room", "Workshop: the room's view"),
            ),
            start=1,
        ):
            page.locator(".lmsdecide .lm-TabBar-tab").nth(index).click()
            P.settle(page, 1500)
            at_sizes(page, sizes, lambda: None, name, title, shots)


def dashboards(
    page: Any, sizes: list[tuple[int, int]], shots: list[tuple[str, str]], tmp: Path
) -> None:
    def to_dashboard() -> None:
        # the dashboard (or, in 07, the first figure) at the top of the notebook panel
        page.evaluate(
            """() => {
                const el = document.querySelector(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .lmsdecide,'
                    + ' .jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
                if (el) el.scrollIntoView({block: 'start'});
            }"""
        )
        page.wait_for_timeout(500)

    with P.lab_server(tmp / "lab") as lab:
        for name, notebook in P.DASHBOARDS.items():
            P.resize(page, *sizes[0])
            P.open_dashboard(page, lab, notebook)
            at_sizes(page, sizes, to_dashboard, name, TITLES[name], shots)


def report(
    page: Any, sizes: list[tuple[int, int]], shots: list[tuple[str, str]], tmp: Path
) -> None:
    P.open_report(page, P.write_example_report(tmp))

    def top() -> None:
        page.evaluate("() => window.scrollTo(0, 0)")

    def figures() -> None:
        page.evaluate("() => document.querySelector('#comparison').scrollIntoView()")
        page.wait_for_timeout(300)

    at_sizes(page, sizes, top, "report", "HTML report: summary", shots)
    at_sizes(page, sizes, figures, "report-comparison", "HTML report: comparison", shots)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    parser.add_argument("--only", default="workshop,dashboards,report")
    args = parser.parse_args(argv)
    sizes = [(int(w), int(h)) for w, h in (s.split("x") for s in args.sizes.split(","))]
    parts = set(args.only.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    shots: list[tuple[str, str]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, P.chromium() as browser:
        page = browser.new_context(
            viewport={"width": sizes[0][0], "height": sizes[0][1]}
        ).new_page()
        if "workshop" in parts:
            workshop(page, sizes, shots)
        if "dashboards" in parts:
            dashboards(page, sizes, shots, Path(tmp))
        if "report" in parts:
            report(page, sizes, shots, Path(tmp))
    if parts == {"workshop", "dashboards", "report"}:
        lines = [
            "# Screenshots",
            "",
            "Made by `tools/screenshots.py` from real browser runs (Debian's chromium): the",
            "Workshop as `make present` serves it, each dashboard notebook in JupyterLab after",
            "Run All, and the HTML report. Regenerate them after a change to the pages or figures.",
            "",
            *(f"- [{title}]({name})" for name, title in shots),
            "",
        ]
        (OUT / "README.md").write_text("\n".join(lines))
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(
        f"{len(shots)} screenshots, {total / 1e6:.1f} MB in {OUT.relative_to(ROOT)}/, "
        f"{time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
