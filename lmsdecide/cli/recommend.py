"""``lmsdecide recommend``: the recommended engagement plan and what it saves."""

from __future__ import annotations

import argparse

from lmsdecide.cli._common import (
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
)


def add_parser(sub: Subparsers[Parser]) -> None:
    q = add_command(
        sub,
        "recommend",
        run,
        help="the recommended engagement plan and what it saves",
        description="The engagement phase of each department that minimises expected rework "
        "plus the effort of engaging earlier, with P50/P80 of both plans on the same draws.",
        example="Example: lmsdecide recommend data/scenarios/learning_led_late_it.yaml",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    q.add_argument("--json", action="store_true", help="print the plan as JSON")
    mc_options(q, 10_000)


@analysis
def run(args: argparse.Namespace) -> int:
    from lmsdecide.timing import recommend_plan

    scenario = load(args.scenario)
    plan = recommend_plan(scenario, n=draws(args), seed=args.seed)
    if args.json:
        print_json(
            {
                "scenario": plan.scenario_name,
                "current": plan.current,
                "recommended": plan.recommended,
                "rework_saving": plan.rework_saving,
                "meeting_change": plan.meeting_change,
                "effort_saving": plan.effort_saving,
                "delay_saving": plan.delay_saving,
                "p50_current": plan.p50_current,
                "p50_recommended": plan.p50_recommended,
                "p80_current": plan.p80_current,
                "p80_recommended": plan.p80_recommended,
                "on_time_current": plan.on_time_current,
                "on_time_recommended": plan.on_time_recommended,
                "departments": plan.table.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    names = {p.id: p.name for p in scenario.phases}
    names["never"] = "never"
    print(clean(plan.scenario_name))
    print("Recommended engagement plan (phase in which each department is first involved):")
    print(f"  {'department':<32} {'now':<24} {'recommended':<24} saving (person-weeks)")
    for _, r in plan.table.iterrows():
        mark = "*" if r["changed"] else " "
        print(
            f"{mark} {clean(r['name'])[:32]:<32} {clean(names[r['current']])[:24]:<24} "
            f"{clean(names[r['recommended']])[:24]:<24} {r['saving']:.1f}"
        )
    print(
        f"Rework avoided {plan.rework_saving:.1f} person-weeks, extra meetings "
        f"{plan.meeting_change:.1f}, net saving {plan.effort_saving:.1f} person-weeks."
    )
    print(
        f"Go-live P50 {plan.p50_current:.1f} -> {plan.p50_recommended:.1f} weeks, P80 "
        f"{plan.p80_current:.1f} -> {plan.p80_recommended:.1f} weeks, on time "
        f"{100 * plan.on_time_current:.0f}% -> {100 * plan.on_time_recommended:.0f}% "
        f"(same {plan.comparison.n:,} draws for both plans)."
    )
    return EXIT_OK
