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
    cut,
    draws,
    load,
    mc_options,
    print_json,
    wrap,
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
    from lmsdecide.scenario import NEVER
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
                "preferred": plan.preferred,
                "preferred_partner": plan.preferred_partner,
                "target_alternative": plan.target_alternative,
                "preference": plan.preference,
                "partners": plan.partners.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    names = {p: scenario.phase_name(p) for p in (*scenario.phase_ids, NEVER)}
    print(clean(plan.scenario_name))
    print("Recommended engagement plan (phase in which each department is first involved):")
    # as wide as the longest phase named (up to 32 characters, then cut with an ellipsis)
    shown = [names[p] for p in (*plan.table["current"], *plan.table["recommended"])]
    width = min(32, max(len("recommended"), *(len(clean(n)) for n in shown)))
    print(f"  {'department':<32} {'now':<{width}} {'recommended':<{width}} saving (person-weeks)")
    for _, r in plan.table.iterrows():
        mark = "*" if r["changed"] else " "
        now, then = (cut(clean(names[r[k]]), width) for k in ("current", "recommended"))
        print(
            f"{mark} {cut(clean(r['name']), 32):<32} {now:<{width}} {then:<{width}} "
            f"{r['saving']:.1f}"
        )
    if (plan.table["changed"] & (plan.table["saving"] < 0)).any():
        note = (
            "A negative saving: engaging that department earlier costs more meeting time than "
            "the rework it avoids. It is still recommended because its first concern falls due "
            "then: a department left out, or engaged after its concerns are due, is never free "
            "(its late concerns are rework, and an item still missing at go-live, such as the "
            "launch campaign or the managers' briefing pack, lowers adoption)."
        )
        print(wrap(note, "  "))
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
    if len(plan.partners):
        print("Each partner with the recommended plan (promise against forecast, same draws):")
        print(
            f"  {'partner':<32} {'promised':>9} {'P50':>6} {'P80':>6} {'on time':>8} "
            f"{'rework':>7} {'cost + rework':>14}"
        )
        for _, p in plan.partners.iterrows():
            promised = (
                "" if p["promised_weeks"] != p["promised_weeks"] else f"{p['promised_weeks']:g}"
            )
            mark = "*" if p["selected"] else " "
            cost = "" if p["cost"] != p["cost"] else f"{p['cost']:g} + {p['rework_cost']:.0f}"
            print(
                f"{mark} {clean(p['name'])[:32]:<32} {promised:>9} {p['p50']:6.1f} "
                f"{p['p80']:6.1f} {100 * p['on_time_probability']:7.0f}% "
                f"{p['expected_rework']:7.1f} {cost:>14}"
            )
    print(clean(plan.preference))
    return EXIT_OK
