"""``lmsdecide interview``: describe your organisation in plain words and get a scenario.

Without ``--answers`` it serves the interview app (notebook 08 under Voila, offline, on
127.0.0.1); with ``--answers FILE`` it builds the scenario headless from an answers file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from lmsdecide.cli._common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    Subparsers,
    add_command,
    clean,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    p = add_command(
        sub,
        "interview",
        run,
        help="describe your organisation in plain words; get a validated scenario",
        description="A guided interview that turns plain answers about each department (its "
        "say, whose opinion it weighs, how firmly it holds its view, which way it leans, what it "
        "wants from a partner, when it is involved, its concerns) into a validated scenario. "
        "Without --answers: the interview app (Voila) on 127.0.0.1, progress saved beside the "
        "output after every step. With --answers: headless, from an answers file.",
        example="Example: lmsdecide interview -o my_org.yaml   (the app)\n"
        "         lmsdecide interview --answers data/interview/example_answers.yaml \\\n"
        "             -o my_org.yaml\n"
        "Exit code 0 when the scenario is written, 1 when an answer is wrong (each named with "
        "its question and value), 2 on a usage error.",
    )
    p.add_argument(
        "-o",
        "--output",
        default="my_org.yaml",
        metavar="FILE",
        help="scenario file to write (.yaml, .json or .xlsx; default my_org.yaml)",
    )
    p.add_argument("--answers", metavar="FILE", help="answers file (.yaml or .json): headless")
    p.add_argument("--force", action="store_true", help="replace the output if it exists")
    p.add_argument(
        "--port",
        type=int,
        default=8868,
        help="port of the app (default 8868; the live room uses 8867)",
    )
    p.add_argument("--browser", action="store_true", help="open the app in the default browser")


def run(args: argparse.Namespace) -> int:
    from lmsdecide.io import file_type_problem

    out = Path(args.output)
    problem = file_type_problem(out)
    if problem is not None:
        print(f"lmsdecide interview: -o {out}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.answers is None:
        return _serve(args, out)
    return _headless(args, out)


def _headless(args: argparse.Namespace, out: Path) -> int:
    from lmsdecide.interview import (
        CR_LIMIT,
        InterviewError,
        answer_count,
        build_scenario,
        priority_weights,
        value_count,
    )
    from lmsdecide.interview.build import criteria_ids
    from lmsdecide.interview.files import read_answers_data
    from lmsdecide.io import save_scenario

    if out.exists() and not args.force:
        print(
            f"lmsdecide interview: {out} exists; not overwritten (use --force to replace it)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    start = time.perf_counter()
    try:
        raw = read_answers_data(args.answers)
        scenario = build_scenario(raw, source=args.answers)
    except InterviewError as exc:
        count = len(exc.problems)
        print(
            f"lmsdecide interview: {clean(args.answers)}: "
            f"{count} wrong answer{'s' if count != 1 else ''}",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {clean(str(problem))}", file=sys.stderr)
        return EXIT_INVALID
    save_scenario(scenario, out)
    elapsed = time.perf_counter() - start
    print(
        f"wrote {out}: {len(scenario.departments)} departments from {answer_count(raw)} answers "
        f"({value_count(scenario.to_data())} values in the scenario) in {elapsed:.2f} s"
    )
    from lmsdecide.interview.answers import parse_answers

    for dept in parse_answers(raw).departments:
        if dept.priorities is not None and dept.priorities.pairs:
            found = priority_weights(dept.priorities, criteria_ids())
            ratio = found.consistency_ratio or 0.0
            flag = "" if ratio <= CR_LIMIT else f" (above {CR_LIMIT:g}: revisit the pairs)"
            print(f"  {clean(dept.name)}: pairwise consistency ratio {ratio:.3f}{flag}")
    print(f"next: lmsdecide diagnose {out}")
    return EXIT_OK


def _serve(args: argparse.Namespace, out: Path) -> int:
    from lmsdecide.cli.present import present_command
    from lmsdecide.interview.progress import INTERVIEW_OUTPUT_ENV

    command, env = present_command(
        args.port,
        open_browser=args.browser,
        notebook="08_describe_your_organisation.ipynb",
        env_extra={INTERVIEW_OUTPUT_ENV: str(out.resolve())},
    )
    print(
        f"lmsdecide interview: the interview on http://127.0.0.1:{args.port}/ writes {out} "
        "(progress saved beside it; Ctrl-C stops)"
    )
    sys.stdout.flush()
    return subprocess.call(command, env=env)
