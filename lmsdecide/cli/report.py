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
        "is not on the PATH). --xlsx writes the results as a spreadsheet (findings, drive "
        "shares, schedule percentiles, recommended plan, partner ranking; one scenario).",
        example="Example: lmsdecide report it_led learning_led_early_engagement -o report.html\n"
        "         lmsdecide report my_org.xlsx -o my_org.html --images figures/\n"
        "         lmsdecide report my_org.yaml --xlsx results.xlsx",
    )
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("-o", "--output", metavar="FILE", help="HTML file to write (report.html)")
    q.add_argument(
        "--xlsx", metavar="FILE", help="write the results as a spreadsheet (results.xlsx)"
    )
    q.add_argument("--images", metavar="DIR", help="also write every figure as PNG and SVG here")
    q.add_argument("--title", help="page title (default: the scenario's name)")
    mc_options(q, 10_000)


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.report import write_images, write_report

    if not args.output and not args.xlsx:
        raise UsageError("one of -o/--output (the HTML report) or --xlsx (the results) is required")
    if args.xlsx:
        xlsx = Path(args.xlsx)
        if xlsx.suffix.lower() != ".xlsx" or xlsx.is_dir():
            raise UsageError(f"--xlsx {xlsx}: give a file name ending in .xlsx")
        if len(args.scenarios) != 1:
            raise UsageError(f"--xlsx takes one scenario, got {len(args.scenarios)}")
    scenarios = [load(ref) for ref in args.scenarios]
    n = draws(args)
    if args.xlsx:
        from lmsdecide.results_workbook import write_results_workbook

        book = write_results_workbook(scenarios[0], args.xlsx, n=n, seed=args.seed)
        print(f"wrote {book} (findings, drive, schedule, plan, partners)")
    if not args.output:
        return EXIT_OK
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"-o {out}: is a folder; give a file name such as report.html")
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
