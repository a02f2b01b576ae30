"""``lmsdecide report``: one self-contained HTML report (and, on request, the figures as images)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lmsdecide.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    UsageError,
    add_command,
    analysis,
    draws,
    load,
    mc_options,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "report",
        run,
        help="a self-contained HTML report (findings, every figure, assumptions, data)",
        description="Write one HTML file that works offline: the verdict, the findings, every "
        "figure of the three model areas, the comparison when two to five scenarios are given, "
        "the assumptions used and the scenario data. --images also writes every figure as PNG "
        "and SVG through kaleido and a local chromium (set BROWSER_PATH=/usr/bin/chromium if it "
        "is not on the PATH).",
        example="Example: lmsdecide report it_led learning_led_early_engagement -o report.html\n"
        "         lmsdecide report my_org.xlsx -o my_org.html --images figures/",
    )
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="HTML file to write (report.html)"
    )
    q.add_argument("--images", metavar="DIR", help="also write every figure as PNG and SVG here")
    q.add_argument("--title", help="page title (default: the scenario's name)")
    mc_options(q, 10_000)


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.report import write_images, write_report

    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o {out}: is a folder; give a file name such as report.html")
    scenarios = [load(ref) for ref in args.scenarios]
    n = draws(args)
    write_report(scenarios, out, n=n, seed=args.seed, title=args.title)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in a browser)")
    if args.images:
        try:
            written = write_images(scenarios, args.images, n=n, seed=args.seed)
        except RuntimeError as exc:
            print(f"lmsdecide report: images not written: {exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"wrote {len(written)} images (PNG and SVG) to {args.images}")
    return EXIT_OK
