"""``lmsdecide compare``: two to five scenarios side by side, on the same random numbers."""

from __future__ import annotations

import argparse

from lmsdecide.cli._common import (
    EXIT_OK,
    SCENARIO_HELP,
    Parser,
    Subparsers,
    UsageError,
    add_command,
    analysis,
    clean,
    draws,
    load,
    mc_options,
    print_json,
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "compare",
        run,
        help="two to five scenarios side by side",
        description="Compare scenarios on learning share, top driver, expected rework, P50, P80, "
        "on-time probability, time to 80% adoption, the adoption ceiling, chosen partner and "
        "findings by severity (the same random numbers for every scenario).",
        example="Example: lmsdecide compare it_led learning_led_late_it "
        "learning_led_early_engagement\n"
        "         lmsdecide compare a.yaml b.yaml --csv > comparison.csv",
    )
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=SCENARIO_HELP)
    fmt = q.add_mutually_exclusive_group()
    fmt.add_argument(
        "--json",
        action="store_true",
        help="print the tidy table as JSON (a time never reached, such as 80%% adoption above "
        "the ceiling, is null)",
    )
    fmt.add_argument("--csv", action="store_true", help="print the tidy table as CSV")
    mc_options(q, 10_000)


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.comparison import MAX_SCENARIOS, MEASURES, compare, measure_heading, measure_text

    if not 2 <= len(args.scenarios) <= MAX_SCENARIOS:
        raise UsageError(
            f"give two to {MAX_SCENARIOS} scenarios to compare, got {len(args.scenarios)}"
        )
    scenarios = [load(ref) for ref in args.scenarios]
    result = compare(scenarios, n=draws(args), seed=args.seed)
    if args.csv:
        print(result.table.to_csv(index=False), end="")
        return EXIT_OK
    if args.json:
        print_json(
            {
                "scenarios": list(result.labels),
                "draws": result.n,
                "seed": result.seed,
                "rows": result.table.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    letters = [chr(ord("A") + i) for i in range(len(result.labels))]
    for letter, label in zip(letters, result.labels, strict=True):
        print(f"{letter}: {clean(label)}")
    print()
    rows: list[tuple[str, list[str]]] = []
    for measure in MEASURES:
        cells = []
        for label in result.labels:
            cell = clean(measure_text(measure, result.value(label, measure)))
            cells.append(cell if len(cell) <= 28 else cell[:27] + "…")
        rows.append((measure_heading(measure), cells))
    head_width = max(len(head) for head, _ in rows) + 2
    width = max(len(cell) for _, cells in rows for cell in cells) + 2
    print(f"{'measure':<{head_width}}" + "".join(f"{letter:>{width}}" for letter in letters))
    for head, cells in rows:
        print(f"{head:<{head_width}}" + "".join(f"{cell:>{width}}" for cell in cells))
    print()
    print(f"{result.n:,} draws per scenario, seed {result.seed}: the same random numbers for all.")
    return EXIT_OK
