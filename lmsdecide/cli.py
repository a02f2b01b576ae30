"""The ``lmsdecide`` command line.

Exit codes: 0 success; 1 an input file is invalid; 2 a usage error (bad arguments); 3 ``diagnose``
found a critical finding; 70 an internal error (reported in one line, never a traceback; set
``LMSDECIDE_DEBUG=1`` to see it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-screen message and exit code 2 on usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n(see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _command(
    name: str,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        _COMMANDS[name] = func
        return func

    return register


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


@_command("validate")
def _validate(args: argparse.Namespace) -> int:
    from lmsdecide.io import load_scenario
    from lmsdecide.scenario import ScenarioError

    status = EXIT_OK
    for path in args.paths:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            status = EXIT_INVALID
            count = len(exc.problems)
            print(f"{path}: invalid ({count} problem{'s' if count != 1 else ''})")
            for problem in exc.problems:
                print(f"  {problem}")
        else:
            print(f"{path}: ok")
    return status


# ---------------------------------------------------------------------------------------------
# new-scenario
# ---------------------------------------------------------------------------------------------


def starter_scenario() -> object:
    """The editable starting scenario written by ``new-scenario`` (and the Excel template)."""
    from lmsdecide.io import example

    base = example("learning_led_early_engagement")
    return base.with_changes(
        name="My organisation: LMS project",
        description=(
            "A starting point: replace the departments, phases, concerns, partners and weights "
            "with your organisation's. Values copied from the bundled example are illustrative."
        ),
    )


@_command("new-scenario")
def _new_scenario(args: argparse.Namespace) -> int:
    from lmsdecide.io import FORMATS, save_scenario
    from lmsdecide.scenario import Scenario

    path = Path(args.path)
    if path.suffix.lower() not in FORMATS:
        print(
            f"lmsdecide new-scenario: {path}: unknown file type {path.suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(FORMATS))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if path.exists() and not args.force:
        print(
            f"lmsdecide new-scenario: {path} exists; not overwritten (use --force to replace it)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    scenario = starter_scenario()
    assert isinstance(scenario, Scenario)
    save_scenario(scenario, path)
    print(f"wrote {path}: edit it, then run 'lmsdecide validate {path}'")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# lab
# ---------------------------------------------------------------------------------------------


def install_lab_settings(prefix: str | None = None) -> Path:
    """Copy the JupyterLab settings the notebooks need into the environment (not the home).

    Windowing mode ``defer`` (off-screen widget outputs otherwise render blank) and no news
    pop-up, as ``share/jupyter/lab/settings/overrides.json`` of the running environment.
    """
    from lmsdecide.io import data_dir

    source = data_dir().parent / "jupyter" / "overrides.json"
    if not source.is_file():  # installed wheel: settings shipped inside the package data
        source = data_dir() / "jupyter" / "overrides.json"
    target = (
        Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@_command("lab")
def _lab(args: argparse.Namespace) -> int:
    from lmsdecide.io import data_dir

    install_lab_settings()
    notebook = data_dir().parent / "notebooks" / "00_start_here.ipynb"
    command = [sys.executable, "-m", "jupyter", "lab", str(notebook), f"--port={args.port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    if args.no_browser:
        command.append("--no-browser")
    return subprocess.call(command)


def present_command(port: int, *, open_browser: bool = False) -> tuple[list[str], dict[str, str]]:
    """The Voila command (and environment) serving the workshop app on 127.0.0.1:``port``.

    Voila runs ``notebooks/05_workshop_live.ipynb`` with the ``lmsdecide`` template (the lab
    template without its CDN links: no request leaves the machine) and never sends tracebacks to
    the page.
    """
    from lmsdecide.io import data_dir

    root = data_dir().parent
    notebook = root / "notebooks" / "05_workshop_live.ipynb"
    paths = [str(root / "jupyter"), os.environ.get("JUPYTER_PATH", "")]
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(p for p in paths if p)}
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--template=lmsdecide",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--theme=light",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command, env


@_command("present")
def _present(args: argparse.Namespace) -> int:
    command, env = present_command(args.port, open_browser=args.browser)
    print(f"lmsdecide present: the workshop app on http://127.0.0.1:{args.port}/ (Ctrl-C stops)")
    sys.stdout.flush()
    return subprocess.call(command, env=env)


# ---------------------------------------------------------------------------------------------
# shared helpers of the analysis commands (diagnose, simulate, recommend, compare, report)
# ---------------------------------------------------------------------------------------------

#: Exit code of ``diagnose`` when there is at least one critical finding.
EXIT_CRITICAL = 3
#: Draws per chunk of a long simulation (the progress bar advances per chunk).
CHUNK = 200_000


class _UsageError(Exception):
    """A bad option value: reported in one line, exit code 2."""


def _load(ref: str) -> object:
    """A scenario from a file path, or a bundled scenario's name (``it_led``)."""
    from lmsdecide.io import FORMATS, example, list_examples, load_scenario

    path = Path(ref)
    if path.suffix.lower() in FORMATS or path.exists() or ref not in list_examples():
        if not path.exists() and not path.suffix and ref not in list_examples():
            from lmsdecide.scenario import Problem, ScenarioError

            raise ScenarioError(
                [
                    Problem(
                        "",
                        "no such file, and not a bundled scenario (bundled: "
                        + ", ".join(list_examples())
                        + ")",
                        has_value=False,
                    )
                ],
                source=ref,
            )
        return load_scenario(path)
    return example(ref)


def _analysis(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Report invalid scenarios (exit 1) and bad option values (exit 2) in a few lines."""

    def run(args: argparse.Namespace) -> int:
        from lmsdecide.params import ParamError
        from lmsdecide.scenario import ScenarioError

        try:
            return func(args)
        except BrokenPipeError:  # the reader stopped (| head): not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return int(getattr(args, "exit_code", EXIT_OK))
        except ScenarioError as exc:
            print(f"lmsdecide {args.command}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        except (ParamError, _UsageError) as exc:
            lines = str(exc).splitlines() or [""]
            print(f"lmsdecide {args.command}: {lines[0]}", file=sys.stderr)
            for line in lines[1:]:
                print(f"  {line}", file=sys.stderr)
            print(f"(see 'lmsdecide {args.command} --help')", file=sys.stderr)
            return EXIT_USAGE

    run.__doc__ = func.__doc__
    return run


def _draws(args: argparse.Namespace) -> int:
    from lmsdecide.timing import SCHEDULE_PARAMS

    try:
        return int(SCHEDULE_PARAMS["n"].validate(args.draws))
    except ValueError as exc:
        raise _UsageError(f"--draws: {exc}".replace("n: ", "")) from None


def _print_json(data: object) -> None:
    import json

    print(json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable))


def _jsonable(value: object) -> object:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _wrap(text: str, indent: str) -> str:
    import textwrap

    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _clean(text: str) -> str:
    """Scenario text for a terminal: control characters (escape sequences) shown, not run."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# ---------------------------------------------------------------------------------------------
# diagnose
# ---------------------------------------------------------------------------------------------


@_command("diagnose")
@_analysis
def _diagnose(args: argparse.Namespace) -> int:
    from lmsdecide.diagnose import diagnose

    scenario = _load(args.scenario)
    result = diagnose(scenario, n=_draws(args), seed=args.seed)  # type: ignore[arg-type]
    args.exit_code = EXIT_CRITICAL if result.critical else EXIT_OK
    if args.json:
        _print_json(result.to_dict())
    else:
        print(_clean(result.scenario_name))
        print(_wrap(_clean(result.verdict), ""))
        counts = result.counts
        print(
            f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}: "
            + ", ".join(f"{counts[s]} {s}" for s in counts)
        )
        for f in result.findings:
            print()
            print(f"{f.severity.upper():<8}  {f.code}")
            print(_wrap(_clean(f.title), "  "))
            print(_wrap("evidence: " + _clean(f.evidence_text), "    "))
            print(_wrap("do: " + _clean(f.recommendation), "    "))
            print(_wrap("principle: " + f.principle_text, "    "))
    return EXIT_CRITICAL if result.critical else EXIT_OK


# ---------------------------------------------------------------------------------------------
# simulate
# ---------------------------------------------------------------------------------------------


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total)
    end = "\n" if done >= total else ""
    bar = "#" * filled + "." * (width - filled)
    print(
        f"\rsimulating [{bar}] {100 * done // total:3d}% ({done:,} draws)",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def simulate_chunked(scenario: object, n: int, seed: int | None) -> dict[str, object]:
    """Schedule risk of ``n`` draws, in chunks of :data:`CHUNK` with a progress bar on stderr.

    Up to :data:`CHUNK` draws this is exactly ``simulate_schedule(scenario, n, seed)``; longer
    runs draw each chunk from a child of ``numpy.random.SeedSequence(seed)`` (the same seed gives
    the same result) and pool the completions.
    """
    import numpy as np

    from lmsdecide.timing import simulate_schedule

    if n <= CHUNK:
        risk = simulate_schedule(scenario, n=n, seed=seed)  # type: ignore[arg-type]
        completion = np.asarray(risk.completion)
    else:
        sizes = [CHUNK] * (n // CHUNK) + ([n % CHUNK] if n % CHUNK else [])
        children = np.random.SeedSequence(seed).spawn(len(sizes))
        parts, done = [], 0
        _progress(0, n)
        for size, child in zip(sizes, children, strict=True):
            part = simulate_schedule(
                scenario,  # type: ignore[arg-type]
                n=max(size, 100),
                seed=np.random.default_rng(child),
            )
            parts.append(np.asarray(part.completion)[:size])
            done += size
            _progress(done, n)
        risk = part
        completion = np.concatenate(parts)
    p50, p80 = np.percentile(completion, [50.0, 80.0])
    return {
        "scenario": risk.scenario_name,
        "draws": int(completion.size),
        "seed": seed,
        "p50": float(p50),
        "p80": float(p80),
        "mean": float(completion.mean()),
        "on_time_probability": float(np.mean(completion <= risk.launch_target)),
        "launch_target": risk.launch_target,
        "planned": risk.planned,
        "tornado": risk.tornado,
    }


@_command("simulate")
@_analysis
def _simulate(args: argparse.Namespace) -> int:
    scenario = _load(args.scenario)
    out = simulate_chunked(scenario, _draws_any(args), args.seed)
    tornado = out.pop("tornado")
    if args.json:
        out["tornado"] = tornado.to_dict(orient="records")  # type: ignore[attr-defined]
        _print_json(out)
        return EXIT_OK
    print(_clean(str(out["scenario"])))
    print(f"  draws                 {out['draws']:,} (seed {out['seed']})")
    print(f"  go-live P50           {out['p50']:.1f} weeks")
    print(f"  go-live P80           {out['p80']:.1f} weeks")
    print(f"  mean                  {out['mean']:.1f} weeks")
    print(f"  planned (no rework)   {out['planned']:.1f} weeks")
    print(f"  launch target         {out['launch_target']:g} weeks")
    print(f"  on-time probability   {100 * out['on_time_probability']:.1f}%")  # type: ignore[operator]
    rows = tornado[tornado["p50_change"] < -0.05]  # type: ignore[index]
    if len(rows):
        print("  engaging earlier would move P50 by:")
        for _, r in rows.head(5).iterrows():
            print(
                f"    {_clean(str(r['name']))[:40]:<40} engage in {r['engage_at']:<16} "
                f"{r['p50_change']:+.1f} weeks"
            )
    return EXIT_OK


def _draws_any(args: argparse.Namespace) -> int:
    """Draws for ``simulate``: any count from 100 up to 20 million (chunked)."""
    n = args.draws
    if not 100 <= n <= 20_000_000:
        raise _UsageError(f"--draws: must be between 100 and 20,000,000, got {n}")
    return int(n)


# ---------------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------------


@_command("compare")
@_analysis
def _compare(args: argparse.Namespace) -> int:
    from lmsdecide.compare import MAX_SCENARIOS, MEASURES, compare

    if not 2 <= len(args.scenarios) <= MAX_SCENARIOS:
        raise _UsageError(
            f"give two to {MAX_SCENARIOS} scenarios to compare, got {len(args.scenarios)}"
        )
    scenarios = [_load(ref) for ref in args.scenarios]
    result = compare(scenarios, n=_draws(args), seed=args.seed)  # type: ignore[arg-type]
    if args.csv:
        print(result.table.to_csv(index=False), end="")
        return EXIT_OK
    if args.json:
        _print_json(
            {
                "scenarios": list(result.labels),
                "draws": result.n,
                "seed": result.seed,
                "rows": result.table.to_dict(orient="records"),
            }
        )
        return EXIT_OK
    wide = result.wide()
    letters = [chr(ord("A") + i) for i in range(len(result.labels))]
    for letter, label in zip(letters, result.labels, strict=True):
        print(f"{letter}: {_clean(label)}")
    print()
    rows: list[tuple[str, list[str]]] = []
    for measure, (text, unit) in MEASURES.items():
        cells = []
        for label in result.labels:
            value = wide.loc[label, measure]
            if isinstance(value, bool):
                cell = "yes" if value else "no"
            elif isinstance(value, float):
                percent = unit in ("share", "probability")
                cell = f"{100 * value:.0f}%" if percent else f"{value:.1f}"
            else:
                cell = _clean(str(value))
            cells.append(cell if len(cell) <= 28 else cell[:27] + "…")
        shown = unit and unit not in ("share", "probability", "count")
        rows.append((f"{text} ({unit})" if shown else text, cells))
    head_width = max(len(head) for head, _ in rows) + 2
    width = max(len(cell) for _, cells in rows for cell in cells) + 2
    print(f"{'measure':<{head_width}}" + "".join(f"{letter:>{width}}" for letter in letters))
    for head, cells in rows:
        print(f"{head:<{head_width}}" + "".join(f"{cell:>{width}}" for cell in cells))
    print()
    print(f"{result.n:,} draws per scenario, seed {result.seed}: the same random numbers for all.")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


@_command("report")
@_analysis
def _report(args: argparse.Namespace) -> int:
    from lmsdecide.report import write_images, write_report

    out = Path(args.output)
    if out.is_dir():
        raise _UsageError(f"-o {out}: is a folder; give a file name such as report.html")
    scenarios = [_load(ref) for ref in args.scenarios]
    n = _draws(args)
    write_report(scenarios, out, n=n, seed=args.seed, title=args.title)  # type: ignore[arg-type]
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in a browser)")
    if args.images:
        try:
            written = write_images(
                scenarios,  # type: ignore[arg-type]
                args.images,
                n=n,
                seed=args.seed,
            )
        except RuntimeError as exc:
            print(f"lmsdecide report: images not written: {exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"wrote {len(written)} images (PNG and SVG) to {args.images}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# recommend
# ---------------------------------------------------------------------------------------------


@_command("recommend")
@_analysis
def _recommend(args: argparse.Namespace) -> int:
    from lmsdecide.timing import recommend_plan

    scenario = _load(args.scenario)
    plan = recommend_plan(scenario, n=_draws(args), seed=args.seed)  # type: ignore[arg-type]
    if args.json:
        _print_json(
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
    names = {p.id: p.name for p in scenario.phases}  # type: ignore[attr-defined]
    names["never"] = "never"
    print(_clean(plan.scenario_name))
    print("Recommended engagement plan (phase in which each department is first involved):")
    print(f"  {'department':<32} {'now':<24} {'recommended':<24} saving (person-weeks)")
    for _, r in plan.table.iterrows():
        mark = "*" if r["changed"] else " "
        print(
            f"{mark} {_clean(str(r['name']))[:32]:<32} {_clean(names[r['current']])[:24]:<24} "
            f"{_clean(names[r['recommended']])[:24]:<24} {r['saving']:.1f}"
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


# ---------------------------------------------------------------------------------------------
# sweep and sensitivity (lmsdecide.explore)
# ---------------------------------------------------------------------------------------------


def _factor_specs(items: Sequence[str] | None) -> dict[str, object] | None:
    """``--vary NAME``, ``NAME=LOW:HIGH`` or ``NAME=A,B,C`` as a factor mapping."""
    if not items:
        return None
    specs: dict[str, object] = {}
    for item in items:
        name, _, rng = item.partition("=")
        name = name.strip()
        if not rng:
            specs[name] = None
        elif ":" in rng:
            low, _, high = rng.partition(":")
            try:
                specs[name] = (float(low), float(high))
            except ValueError:
                raise _UsageError(f"--vary {item}: LOW:HIGH must be two numbers") from None
        else:
            words = [w.strip() for w in rng.split(",") if w.strip()]
            specs[name] = [{"true": True, "false": False}.get(w.lower(), w) for w in words]
    return specs


def _explore_params(measures: Sequence[str], draws: int) -> dict[str, dict[str, object]]:
    from lmsdecide.explore import measure

    params: dict[str, dict[str, object]] = {}
    for m in measures:
        model = measure(m).model
        if model in ("simulate_schedule", "recommend_plan", "diagnose"):
            params[model] = {"n": draws}
    return params


def _explore_errors(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Bad factor, measure or range requests are usage errors (exit 2)."""

    def run(args: argparse.Namespace) -> int:
        from lmsdecide.scenario import ScenarioError

        try:
            return func(args)
        except ScenarioError:
            raise
        except ValueError as exc:
            raise _UsageError(str(exc)) from None

    run.__doc__ = func.__doc__
    return run


@_command("sweep")
@_analysis
@_explore_errors
def _sweep(args: argparse.Namespace) -> int:
    import pandas as pd

    from lmsdecide.explore import discover, suggested_factors, sweep
    from lmsdecide.scenario import Scenario

    scenario = _load(args.scenario)
    assert isinstance(scenario, Scenario)
    factors = _factor_specs(args.vary) or suggested_factors(scenario)
    measures = args.measure or ["learning_share", "p80", "on_time_probability"]
    result = sweep(
        scenario,
        factors,
        measures,
        n=None if args.grid else args.n,
        method=args.method,
        levels=args.levels,
        params=_explore_params(measures, args.draws),
        seed=args.seed,
        executor="serial" if args.workers == 1 else "process",
        max_workers=args.workers,
        chunk_size=args.chunk_size,
        out_dir=args.out,
        progress=None if not args.quiet else False,
    )
    frame = result.frame
    if args.output:
        target = Path(args.output)
        if target.suffix.lower() == ".parquet":
            frame.to_parquet(target, index=False)
        else:
            frame.to_csv(target, index=False)
    found = discover(result, args.discover) if args.discover else None
    if args.json:
        summary = {
            "variants": len(frame),
            "factors": list(result.factor_names),
            "measures": list(result.measure_names),
            "reused_chunks": len(result.reused),
            "rules": found.rules() if found else [],
        }
        _print_json(summary)
        return EXIT_OK
    print(f"{_clean(scenario.name)}: {len(frame):,} variants of {len(result.factor_names)} factors")
    if result.reused:
        print(f"  resumed: {len(result.reused)} of {result.n_chunks} chunks read from {args.out}")
    for m in result.measures:
        values = frame[m.name]
        if pd.api.types.is_bool_dtype(values.dtype):
            print(f"  {m.name}: yes in {values.mean():.1%} of the variants")
        elif pd.api.types.is_numeric_dtype(values.dtype):
            q = values.quantile([0.0, 0.1, 0.5, 0.9, 1.0]).to_numpy()
            print(
                f"  {m.name}: min {q[0]:.4g}, P10 {q[1]:.4g}, median {q[2]:.4g}, "
                f"P90 {q[3]:.4g}, max {q[4]:.4g}"
            )
        else:
            counts = values.astype(str).value_counts(normalize=True).head(5)
            shown = ", ".join(f"{_clean(str(k))} {v:.0%}" for k, v in counts.items())
            print(f"  {m.name}: {shown}")
    if found is not None:
        print(
            f"{args.discover}: {found.n_interest:,} of {found.n:,} variants ({found.base_rate:.0%})"
        )
        for i, rule in enumerate(found.rules(), start=1):
            print(_wrap(f"{i}. {_clean(rule)}", "  "))
    if args.output:
        print(f"wrote {args.output}")
    return EXIT_OK


@_command("sensitivity")
@_analysis
@_explore_errors
def _sensitivity(args: argparse.Namespace) -> int:
    from lmsdecide.explore import MorrisResult, SobolResult, sensitivity
    from lmsdecide.scenario import Scenario

    scenario = _load(args.scenario)
    assert isinstance(scenario, Scenario)
    result = sensitivity(
        scenario,
        args.measure,
        _factor_specs(args.vary),
        method=args.method,
        params=_explore_params([args.measure], args.draws),
        seed=args.seed,
        trajectories=args.trajectories,
        n=args.n,
        executor="serial" if args.workers == 1 else "process",
        chunk_size=args.chunk_size,
    )
    frame = result.to_frame()
    if args.json:
        _print_json(
            {"method": args.method, "measure": args.measure, "factors": frame.to_dict("records")}
        )
        return EXIT_OK
    if isinstance(result, MorrisResult):
        head = f"Morris screening of {args.measure} ({result.runs} runs); effect per full range"
        columns = ["mu_star", "mu_star_conf", "mu", "sigma"]
    elif isinstance(result, SobolResult):
        head = f"Sobol indices of {args.measure} ({result.runs} runs, 95% intervals)"
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        head = f"One at a time: {args.measure} is {result.base_output:.4g} in the base case"
        columns = ["low", "high", "swing", "low_value", "high_value"]
    print(f"{_clean(scenario.name)}: {head}")
    table = frame[["factor", *columns]].copy()
    for column in columns:
        if table[column].dtype.kind == "f":
            table[column] = table[column].map(lambda v: f"{v:.4g}")
    print(table.to_string(index=False))
    return EXIT_OK


def _add_explore_parsers(sub: argparse._SubParsersAction[_Parser], scenario_help: str) -> None:
    """The ``sweep`` and ``sensitivity`` sub-commands."""
    vary_help = (
        "an input that varies: NAME, NAME=LOW:HIGH or NAME=A,B,C; NAME is <model>.<param> "
        "or a scenario field (departments.<id>.authority, engagement.<id>, selected_partner, "
        "launch_target, influence.<from>.<to>, phases.<id>.duration_scale); repeat"
    )
    q = sub.add_parser(
        "sweep",
        help="measures over many scenario variants (and the rules of the bad ones)",
        description="Evaluate measures over a sample (or a grid) of variants of a scenario, "
        "in chunks over local processes; with --out the chunks are saved as they finish and a "
        "rerun resumes. --discover finds the input combinations (PRIM) behind an outcome.",
        epilog="Example: lmsdecide sweep learning_led_early_engagement --vary engagement.it "
        "--vary selected_partner --measure late_p80 --n 500 --discover 'late_p80 > 0'\n"
        "Measures: learning_share, learning_driven, top_driver, p50, p80, late_p80, "
        "mean_completion, on_time_probability, chosen_partner, critical_findings, findings "
        "or <model>.<attribute>.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--vary", action="append", metavar="FACTOR", help=vary_help)
    q.add_argument("--measure", action="append", metavar="M", help="what to measure; repeat")
    q.add_argument("--n", type=int, default=1000, help="variants to sample (1000)")
    q.add_argument("--grid", action="store_true", help="the full grid instead of a sample")
    q.add_argument("--levels", type=int, default=3, help="grid values per numeric factor (3)")
    q.add_argument("--method", default="lhs", choices=["lhs", "sobol", "random"])
    q.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws per variant (1000)")
    q.add_argument("--seed", type=int, default=0, help="random seed (0)")
    q.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    q.add_argument("--chunk-size", type=int, default=1000, help="variants per chunk (1000)")
    q.add_argument("--out", metavar="DIR", help="save chunks here as Parquet; rerun to resume")
    q.add_argument("--output", metavar="FILE", help="write the table (.csv or .parquet)")
    q.add_argument("--discover", metavar="EXPR", help="PRIM rules for variants where EXPR holds")
    q.add_argument("--json", action="store_true", help="print a JSON summary")
    q.add_argument("--quiet", action="store_true", help="no progress bar")

    q = sub.add_parser(
        "sensitivity",
        help="which inputs matter: Morris, Sobol or a one-at-a-time tornado",
        description="Sensitivity of one measure to model parameters (their declared ranges) "
        "and scenario fields: Morris screening, Sobol indices with 95%% intervals, or a "
        "one-at-a-time tornado.",
        epilog="Example: lmsdecide sensitivity it_led --measure p80 --method tornado "
        "--vary engagement.it --vary engagement.comms --vary selected_partner",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--measure", required=True, metavar="M", help="a numeric measure (p80...)")
    q.add_argument(
        "--vary",
        action="append",
        metavar="FACTOR",
        help=vary_help + " (default: the measure's model's declared parameters)",
    )
    q.add_argument("--method", default="morris", choices=["morris", "sobol", "tornado"])
    q.add_argument("--trajectories", type=int, default=20, help="Morris trajectories (20)")
    q.add_argument("--n", type=int, default=256, help="Sobol base points, a power of two (256)")
    q.add_argument("--draws", type=int, default=2000, help="Monte Carlo draws per run (2000)")
    q.add_argument("--seed", type=int, default=0, help="random seed (0)")
    q.add_argument("--workers", type=int, default=1, help="processes (1)")
    q.add_argument("--chunk-size", type=int, default=1000, help="runs per chunk (1000)")
    q.add_argument("--json", action="store_true", help="print the table as JSON")


# ---------------------------------------------------------------------------------------------
# parser and entry point
# ---------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = _Parser(
        prog="lmsdecide",
        description="Decision support for LMS projects: who drives, when to engage, which partner.",
        epilog="Example: lmsdecide validate data/scenarios/*.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version="lmsdecide 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "validate",
        help="check scenario files and list every problem",
        description="Check scenario files (YAML, JSON or Excel) and list every problem found.",
        epilog="Example: lmsdecide validate data/scenarios/*.yaml my_org.xlsx\n"
        "Exit code 0 when all are valid, 1 when any is invalid.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario file(s)")

    p = sub.add_parser(
        "new-scenario",
        help="write an editable starting scenario",
        description="Write an editable starting scenario: YAML, JSON or Excel, by the suffix.",
        epilog="Example: lmsdecide new-scenario my_org.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", metavar="PATH", help="file to write (.yaml, .yml, .json or .xlsx)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")

    p = sub.add_parser(
        "lab",
        help="open JupyterLab on the start notebook",
        description="Open JupyterLab on notebooks/00_start_here.ipynb with the settings it needs.",
        epilog="Example: lmsdecide lab --port 8888",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--port", type=int, default=8888, help="port (default 8888)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")

    p = sub.add_parser(
        "present",
        help="serve the workshop app (Voila) for a facilitator",
        description="Serve notebooks/05_workshop_live.ipynb as a Voila app on 127.0.0.1, offline.",
        epilog="Example: lmsdecide present --port 8866 --browser",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--browser", action="store_true", help="open it in the default browser")

    scenario_help = "scenario file (.yaml, .json, .xlsx) or a bundled scenario's name (it_led)"

    def analysis(name: str, help: str, description: str, example: str) -> argparse.ArgumentParser:
        q = sub.add_parser(
            name,
            help=help,
            description=description,
            epilog=example,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return q

    def mc_options(q: argparse.ArgumentParser, draws: int) -> None:
        q.add_argument(
            "--draws", type=int, default=draws, metavar="N", help=f"Monte Carlo draws ({draws:,})"
        )
        q.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")

    q = analysis(
        "diagnose",
        "findings: does learning drive, who engages late, which partner",
        "Run the models on a scenario and list the findings (critical, warning, info) with "
        "their evidence, a recommendation and the principle each rests on.",
        "Example: lmsdecide diagnose data/scenarios/it_led.yaml\n"
        "         lmsdecide diagnose it_led --json > findings.json\n"
        "Exit code 0 when there is no critical finding, 3 when there is one (to gate a "
        "pipeline), 1 when the file is invalid, 2 on a usage error.",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--json", action="store_true", help="print the findings as JSON")
    mc_options(q, 4000)

    q = analysis(
        "compare",
        "two to five scenarios side by side",
        "Compare scenarios on learning share, top driver, expected rework, P50, P80, on-time "
        "probability, time to 80% adoption, chosen partner and findings by severity (the same "
        "random numbers for every scenario).",
        "Example: lmsdecide compare it_led learning_led_late_it learning_led_early_engagement\n"
        "         lmsdecide compare a.yaml b.yaml --csv > comparison.csv",
    )
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=scenario_help)
    fmt = q.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the tidy table as JSON")
    fmt.add_argument("--csv", action="store_true", help="print the tidy table as CSV")
    mc_options(q, 10_000)

    q = analysis(
        "report",
        "a self-contained HTML report (findings, every figure, assumptions, data)",
        "Write one HTML file that works offline: the verdict, the findings, every figure of the "
        "three model areas, the comparison when two to five scenarios are given, the "
        "assumptions used and the scenario data. --images also writes every figure as PNG and "
        "SVG through kaleido and a local chromium (set BROWSER_PATH=/usr/bin/chromium if it is "
        "not on the PATH).",
        "Example: lmsdecide report it_led learning_led_early_engagement -o report.html\n"
        "         lmsdecide report my_org.xlsx -o my_org.html --images figures/",
    )
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=scenario_help)
    q.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="HTML file to write (report.html)"
    )
    q.add_argument("--images", metavar="DIR", help="also write every figure as PNG and SVG here")
    q.add_argument("--title", help="page title (default: the scenario's name)")
    mc_options(q, 10_000)

    q = analysis(
        "simulate",
        "Monte Carlo schedule: go-live P50, P80, on-time probability",
        "Simulate the project's completion time (beta-PERT phase durations plus rework from "
        "concerns that surface late). Long runs show a progress bar on stderr.",
        "Example: lmsdecide simulate learning_led_late_it --draws 1000000 --seed 7",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--json", action="store_true", help="print the result as JSON")
    mc_options(q, 10_000)

    q = analysis(
        "recommend",
        "the recommended engagement plan and what it saves",
        "The engagement phase of each department that minimises expected rework plus the "
        "effort of engaging earlier, with P50/P80 of both plans on the same draws.",
        "Example: lmsdecide recommend data/scenarios/learning_led_late_it.yaml",
    )
    q.add_argument("scenario", metavar="SCENARIO", help=scenario_help)
    q.add_argument("--json", action="store_true", help="print the plan as JSON")
    mc_options(q, 10_000)
    _add_explore_parsers(sub, scenario_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: never a traceback on the command line
        if os.environ.get("LMSDECIDE_DEBUG"):
            raise
        print(
            f"lmsdecide {args.command}: internal error: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
