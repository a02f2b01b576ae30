"""``lmsdecide diagnose``: findings with evidence, a recommendation and the principle."""

from __future__ import annotations

import argparse

from lmsdecide.cli._common import (
    EXIT_CRITICAL,
    EXIT_OK,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    add_command,
    analysis,
    clean,
    draws,
    load,
    mc_options,
    print_json,
    wrap,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "diagnose",
        run,
        help="findings: does learning drive, who engages late, which partner",
        description="Run the models on a scenario and list the findings (critical, warning, "
        "info) with their evidence, a recommendation and the principle each rests on.",
        example="Example: lmsdecide diagnose data/scenarios/it_led.yaml\n"
        "         lmsdecide diagnose it_led --json > findings.json\n"
        "Exit code 0 when there is no critical finding, 3 when there is one (to gate a "
        "pipeline), 1 when the file is invalid, 2 on a usage error.",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("--json", action="store_true", help="print the findings as JSON")
    mc_options(q, 4000)


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.diagnose import diagnose

    scenario = load(args.scenario)
    result = diagnose(scenario, n=draws(args), seed=args.seed)
    args.exit_code = EXIT_CRITICAL if result.critical else EXIT_OK
    if args.json:
        print_json(result.to_dict())
    else:
        print(clean(result.scenario_name))
        print(wrap(clean(result.verdict), ""))
        counts = result.counts
        print(
            f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}: "
            + ", ".join(f"{counts[s]} {s}" for s in counts)
        )
        for f in result.findings:
            print()
            print(f"{f.severity.upper():<8}  {f.code}")
            print(wrap(clean(f.title), "  "))
            print(wrap("evidence: " + clean(f.evidence_text), "    "))
            print(wrap("do: " + clean(f.recommendation), "    "))
            print(wrap("principle: " + f.principle_text, "    "))
    return EXIT_CRITICAL if result.critical else EXIT_OK
