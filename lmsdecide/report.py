"""The HTML report: one self-contained file an analyst can send to a steering committee.

``build_report(scenarios)`` runs the diagnosis and every model of the three areas on each
scenario and renders ``templates/report.html.j2`` with jinja2 (autoescaping on): the summary
verdict, the findings, every figure, the comparison when two to five scenarios are given, the
assumptions used (every declared parameter, its value and source) and the scenario data as tables.

Self-contained and offline: plotly.js is embedded once, inline; nothing refers to the network.

Scenario text is data, never markup:

* in the page, jinja2 escapes every value (``<script>`` shows as text);
* inside the figures, plotly renders a subset of HTML in names, titles, hover labels and
  annotations, so :func:`safe_figure` escapes ``<``, ``>`` and bare ``&`` in every string of a
  figure (an existing entity such as ``&lt;`` is kept, so escaping twice changes nothing) and
  restores only the formatting tags the figure builders write themselves (``<br>``, ``<b>``,
  ``<i>``, ``<sup>``, ``<sub>``, ``<extra>``): none of them can run script or load anything;
* the figure JSON is embedded with plotly's own ``<``/``>``/``/`` escaping, so no text can close
  the script element.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from lmsdecide import __version__
from lmsdecide._files import write_atomic
from lmsdecide.comparison import (
    COMPARE_PARAMS,
    MAX_SCENARIOS,
    MEASURES,
    Comparison,
    compare,
    measure_heading,
    measure_text,
)
from lmsdecide.diagnosis import DIAGNOSE_DRAWS, DIAGNOSE_PARAMS, Diagnosis, diagnose
from lmsdecide.params import Param, ParamSet
from lmsdecide.scenario import Scenario
from lmsdecide.timing.escalation import escalation_table

__all__ = [
    "SAFE_TAGS",
    "ReportFigure",
    "build_report",
    "report_figures",
    "safe_figure",
    "safe_figure_dict",
    "scenario_texts",
    "write_images",
    "write_report",
]

TEMPLATES = Path(__file__).parent / "templates"

#: Formatting tags the figure builders use; kept after escaping (none can run script).
SAFE_TAGS: tuple[str, ...] = (
    "<br>",
    "<br />",
    "<br/>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<em>",
    "</em>",
    "<sup>",
    "</sup>",
    "<sub>",
    "</sub>",
    "<extra>",
    "</extra>",
)
_RAW_SAFE = re.compile("(" + "|".join(re.escape(t) for t in sorted(SAFE_TAGS, key=len)[::-1]) + ")")


# ---------------------------------------------------------------------------------------------
# Escaping text inside figures
# ---------------------------------------------------------------------------------------------


_BARE_AMPERSAND = re.compile(r"&(?!(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)")


def _escape_general(text: str) -> str:
    """Escape ``<``, ``>`` and bare ``&``, keeping the raw :data:`SAFE_TAGS` and entities."""
    parts = _RAW_SAFE.split(text)
    return "".join(
        part
        if k % 2
        else _BARE_AMPERSAND.sub("&amp;", part).replace("<", "&lt;").replace(">", "&gt;")
        for k, part in enumerate(parts)
    )


class _Escaper:
    """Escapes figure text; the scenario's own texts (``protect``) are escaped completely."""

    def __init__(self, protect: Iterable[str] = ()) -> None:
        texts = sorted({t for t in protect if t and any(c in t for c in "<>&")}, key=len)[::-1]
        self.pattern = re.compile("|".join(map(re.escape, texts))) if texts else None

    def text(self, text: str) -> str:
        if not any(c in text for c in "<>&"):
            return text
        if self.pattern is None:
            return _escape_general(text)
        out, pos = [], 0
        for m in self.pattern.finditer(text):
            out.append(_escape_general(text[pos : m.start()]))
            out.append(html.escape(m.group(0), quote=False))  # shown exactly as written
            pos = m.end()
        out.append(_escape_general(text[pos:]))
        return "".join(out)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "OUS":
            return [self.value(v) for v in value.tolist()]
        return value


def scenario_texts(scenario: Scenario) -> list[str]:
    """Every free text of a scenario (names, descriptions, units): what figures must not read
    as markup."""
    s = scenario
    texts = [s.name, s.description]
    texts += [t for d in s.departments for t in (d.name, d.description or "")]
    texts += [p.name for p in s.phases]
    texts += [t for c in s.concerns for t in (c.name, c.description or "")]
    texts += [t for c in s.criteria for t in (c.name, c.unit or "", c.description or "")]
    texts += [t for p in s.partners for t in (p.name, p.description or "")]
    texts += [d.name for d in s.decisions]
    return [t for t in texts if t]


def safe_figure_dict(fig: go.Figure, protect: Iterable[str] = ()) -> dict[str, Any]:
    """The figure as plain data (``data``, ``layout``) with its text escaped as in
    :func:`safe_figure`; cheaper than building a new validated figure."""
    plain = fig.to_plotly_json()
    escaper = _Escaper(protect)
    return {
        "data": escaper.value(plain.get("data", [])),
        "layout": escaper.value(plain.get("layout", {})),
    }


def safe_figure(fig: go.Figure, protect: Iterable[str] = ()) -> go.Figure:
    """A copy of ``fig`` whose text cannot be read by plotly as markup.

    Every occurrence of a text in ``protect`` (the scenario's names and descriptions, see
    :func:`scenario_texts`) is escaped completely, so it shows exactly as written. Everywhere
    else ``<``, ``>`` and bare ``&`` are escaped (plotly decodes the entities back, so the text
    shows as written) except the formatting tags of :data:`SAFE_TAGS` the figure builders write
    and entities already escaped by a builder; a scenario text that a builder shortened is still
    caught there, where at most a harmless formatting tag can survive. Numbers and colours are
    unchanged.
    """
    return go.Figure(safe_figure_dict(fig, protect))


# ---------------------------------------------------------------------------------------------
# The figures of one scenario
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the report: a stable ``key``, its section, title, how to read it, its text
    alternative (``alt``: the key numbers in words, shown under the figure), and either the
    figure (plain ``data``/``layout``, text escaped by :func:`safe_figure_dict`) or the reason it
    could not be drawn."""

    key: str
    section: str
    title: str
    caption: str
    figure: dict[str, Any] | None
    note: str = ""
    alt: str = ""


class _Inputs:
    """The results a figure is drawn from, computed on first use and kept for the next figure:
    a registered model by its name (with the report's draws and seed when it takes them), and
    the derived inputs of :data:`~lmsdecide.figures.catalogue.DERIVED_INPUTS`."""

    def __init__(self, scenario: Scenario, n: int, seed: int | None) -> None:
        self.scenario, self.n, self.seed = scenario, n, seed
        self.cache: dict[str, Any] = {}

    def available(self, name: str) -> bool:
        from lmsdecide.registry import all_models

        return name in ("adoption_recommended", "value_of_information") or name in all_models()

    def __getitem__(self, name: str) -> Any:
        if name not in self.cache:
            self.cache[name] = self._compute(name)
        return self.cache[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.available(name)

    def _compute(self, name: str) -> Any:
        from lmsdecide.registry import get_model

        if name == "adoption_recommended":
            plan = self["recommend_plan"]
            engagement = {**self.scenario.engagement, **plan.recommended}
            return get_model("adoption")(self.scenario.with_changes(engagement=engagement))
        if name == "value_of_information":
            from lmsdecide.explore.voi import value_of_information

            # the partner decision; a few hundred draws keep the report quick
            return value_of_information(self.scenario, n=min(self.n, 512), seed=self.seed)
        model = get_model(name)
        kwargs: dict[str, Any] = {}
        if "n" in model.params.names:
            kwargs["n"] = self.n
        if model.stochastic:
            kwargs["seed"] = self.seed
        return model(self.scenario, **kwargs)


def report_figures(
    scenario: Scenario, *, n: int = 10_000, seed: int | None = 0
) -> list[ReportFigure]:
    """Every catalogue figure of scope ``"scenario"`` for ``scenario`` whose inputs can be
    computed (every registered model's), made safe (:func:`safe_figure`), with its text
    alternative.

    A figure that cannot be drawn for this scenario (no partners to rank, for example) is kept
    with ``figure=None`` and the reason in ``note``, so the report says so instead of failing.
    """
    from lmsdecide.figures.catalogue import PARTNER, entries

    no_partners = not scenario.partners or not scenario.criteria
    protect = scenario_texts(scenario)
    inputs = _Inputs(scenario, n, seed)
    out = []
    for e in entries("scenario"):
        if not all(inputs.available(name) for name in e.inputs):
            continue
        if e.section == PARTNER and no_partners:
            out.append(
                ReportFigure(e.key, e.section, e.title, e.caption, None, "no partners or criteria")
            )
            continue
        try:
            fig = safe_figure_dict(e.build(**{k: inputs[k] for k in e.inputs}), protect)
            alt = e.text(**{k: inputs[k] for k in e.inputs})
        except Exception as exc:  # one figure that cannot be drawn must not lose the report
            note = f"{type(exc).__name__}: {exc}"
            out.append(ReportFigure(e.key, e.section, e.title, e.caption, None, note))
            continue
        out.append(ReportFigure(e.key, e.section, e.title, e.caption, fig, alt=alt))
    return out


def _comparison_figures(cmp: Comparison, protect: Iterable[str] = ()) -> list[ReportFigure]:
    from lmsdecide.figures.catalogue import entries

    out = []
    for e in entries("comparison"):
        out.append(
            ReportFigure(
                e.key.replace("compare_", "compare-", 1),
                e.section,
                e.title,
                e.caption,
                safe_figure_dict(e.build(comparison=cmp), protect),
                alt=e.text(comparison=cmp),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Tables: scenario data and assumptions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table for the template: a title, column names and rows of plain values."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if value is None:
        return ""
    return value


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    return Table(title, tuple(columns), tuple(tuple(_fmt(v) for v in r) for r in rows))


def scenario_tables(scenario: Scenario) -> list[Table]:
    """The scenario's data as tables (every table of the file format that is not empty)."""
    s = scenario
    tables = [
        _table(
            "Project",
            ("field", "value"),
            [
                ("name", s.name),
                ("description", s.description),
                ("launch target (weeks)", s.launch_target),
                ("learners", s.learners),
                ("launch phase", s.launch_phase or s.phase_ids[-1]),
                ("selected partner", s.selected_partner or ""),
            ],
        ),
        _table(
            "Departments",
            (
                "id",
                "name",
                "function",
                "power",
                "interest",
                "legitimacy",
                "urgency",
                "authority",
                "susceptibility",
                "position",
                "engaged",
                "description",
                "your attributes",
            ),
            [
                (
                    d.id,
                    d.name,
                    d.function,
                    d.power,
                    d.interest,
                    d.legitimacy,
                    d.urgency,
                    d.authority,
                    d.susceptibility,
                    d.position,
                    s.engagement.get(d.id, ""),
                    d.description,
                    d.attributes,  # the organisation's own: shown, never a model input
                )
                for d in s.departments
            ],
        ),
        _table(
            "Criteria weights by department",
            ("department", "weights"),
            [(d.id, d.criteria_weights) for d in s.departments if d.criteria_weights],
        ),
        _table(
            "Influence (from listens to to)",
            ("from", "to", "weight"),
            [(e.source, e.target, e.weight) for e in s.influence],
        ),
        _table(
            "Phases",
            ("id", "name", "optimistic", "likely", "pessimistic"),
            [
                (
                    p.id,
                    p.name,
                    p.duration.optimistic,
                    p.duration.likely,
                    p.duration.pessimistic,
                )
                for p in s.phases
            ],
        ),
        _table(
            "Concerns",
            (
                "department",
                "name",
                "due",
                "effort (person-weeks)",
                "kind",
                "blocks go-live",
                "description",
            ),
            [
                (
                    c.department,
                    c.name,
                    c.due,
                    c.effort,
                    s.concern_kind(c),
                    "yes" if c.blocks_launch else "",
                    c.description,
                )
                for c in s.concerns
            ],
        ),
        _table(
            "Escalation of late concerns, by kind",
            ("kind", "growth per phase late, low", "high", "cap", "source"),
            [(k, *v) for k, v in escalation_table(s).items()],
        ),
        _table(
            "Criteria",
            ("id", "name", "direction", "must have", "unit", "description"),
            [(c.id, c.name, c.direction, c.must_have, c.unit, c.description) for c in s.criteria],
        ),
        _table(
            "Partners",
            ("id", "name", "type", "scores", "expertise", "description"),
            [(p.id, p.name, p.type, p.scores, p.expertise, p.description) for p in s.partners],
        ),
        _table("Team expertise", ("area", "level"), list(s.team_expertise.items())),
        _table(
            "Decisions (RACI)",
            ("id", "name", "learning-defining", "rights"),
            [(d.id, d.name, "yes" if d.learning_defining else "", d.rights) for d in s.decisions],
        ),
    ]
    return [t for t in tables if t.rows]


def assumptions_table(overrides: Mapping[str, Any] | None = None) -> Table:
    """Every declared parameter of the registered models and the diagnosis: value and source."""
    from lmsdecide.registry import all_models

    overrides = dict(overrides or {})
    rows: list[tuple[Any, ...]] = []
    seen: set[tuple[str, str]] = set()

    def add(owner: str, params: ParamSet) -> None:
        for p in params:
            if (owner, p.name) in seen:
                continue
            seen.add((owner, p.name))
            value = overrides.get(p.name, p.default) if p.name == "n" else p.default
            if owner == "diagnosis" and p.name == "n":
                value = min(int(value), DIAGNOSE_DRAWS.max)
            rows.append(_param_row(owner, p, value))

    for spec in sorted(all_models().values(), key=lambda m: (m.area, m.name)):
        add(f"{spec.area}: {spec.label}", spec.params)
    add("diagnosis", DIAGNOSE_PARAMS)
    add("comparison", COMPARE_PARAMS)
    return _table(
        "Assumptions used",
        ("model", "parameter", "label", "value", "unit", "source"),
        rows,
    )


def _param_row(owner: str, p: Param, value: Any) -> tuple[Any, ...]:
    return (owner, p.name, p.label, value, p.unit, p.source)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _under_heading(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure as shown under its own heading in the page: the short title is the heading,
    so the figure's title line carries only its numbers (the subtitle); exported images keep
    both."""
    layout = dict(figure.get("layout", {}))
    title = dict(layout.get("title", {}))
    subtitle = title.pop("subtitle", None)
    if isinstance(subtitle, dict) and subtitle.get("text"):
        title["text"] = subtitle["text"]
        title["font"] = {**title.get("font", {}), "size": 14}
    else:
        title["text"] = ""
    layout["title"] = title
    margin = dict(layout.get("margin", {}))
    margin["t"] = 40 if title["text"] else 16
    layout["margin"] = margin
    return {**figure, "layout": layout}


def _figure_html(fig: ReportFigure, div_id: str) -> str:
    if fig.figure is None:
        return ""
    return pio.to_html(
        _under_heading(fig.figure),
        validate=False,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
        default_height="460px",
    )


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    # a script element must not contain "</script": the bundle never does; check anyway
    js = get_plotlyjs()
    return js.replace("</script", "<\\/script")


def build_report(
    scenarios: Sequence[Scenario],
    *,
    n: int = 10_000,
    seed: int | None = 0,
    title: str | None = None,
    generated: str | None = None,
) -> str:
    """The report on one or more scenarios, as one self-contained HTML document.

    Parameters
    ----------
    scenarios
        One or more scenarios; two to five are also compared side by side.
    n, seed
        Monte Carlo draws and seed for every simulation (the same for every scenario).
    title
        Page title (default: the scenario's name, or "LMS project scenarios").
    generated
        Timestamp shown in the header (default: now, UTC).

    Raises
    ------
    ValueError
        When no scenario is given, or ``n``/``seed`` are invalid.
    """
    from markupsafe import Markup

    items = list(scenarios)
    if not items:
        raise ValueError("scenarios: give at least one scenario, got none")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise ValueError(f"scenarios[{i}]: must be a Scenario, got {type(s).__name__}")
    n = COMPARE_PARAMS["n"].validate(n)
    diagnoses: list[Diagnosis] = [
        diagnose(s, n=min(n, DIAGNOSE_DRAWS.max), seed=seed) for s in items
    ]
    comparison = None
    compare_note = ""
    if 2 <= len(items) <= MAX_SCENARIOS:
        comparison = compare(items, n=n, seed=seed)
    elif len(items) > MAX_SCENARIOS:
        compare_note = (
            f"{len(items)} scenarios: the side-by-side comparison takes two to {MAX_SCENARIOS}; "
            "run 'lmsdecide compare' on a selection."
        )
    sections = []
    for i, (s, d) in enumerate(zip(items, diagnoses, strict=True)):
        figures = report_figures(s, n=n, seed=seed)
        groups: dict[str, list[dict[str, Any]]] = {}
        for f in figures:
            groups.setdefault(f.section, []).append(
                {
                    "key": f.key,
                    "id": f"s{i + 1}-{f.key}",
                    "title": f.title,
                    "caption": f.caption,
                    "note": f.note,
                    "alt": f.alt,
                    "html": Markup(_figure_html(f, f"plot-s{i + 1}-{f.key}")),
                }
            )
        sections.append(
            {
                "index": i + 1,
                "anchor": f"scenario-{i + 1}",
                "scenario": s,
                "diagnosis": d,
                "figure_groups": groups,
                "tables": scenario_tables(s),
            }
        )
    compare_block = None
    if comparison is not None:
        rows = [
            (
                measure_heading(m),
                *(measure_text(m, comparison.value(label, m)) for label in comparison.labels),
            )
            for m in MEASURES
        ]
        compare_block = {
            "table": Table("Comparison", ("measure", *comparison.labels), tuple(rows)),
            "figures": [
                {
                    "key": f.key,
                    "id": f.key,
                    "title": f.title,
                    "caption": f.caption,
                    "note": f.note,
                    "alt": f.alt,
                    "html": Markup(_figure_html(f, f"plot-{f.key}")),
                }
                for f in _comparison_figures(
                    comparison, [t for s in items for t in scenario_texts(s)]
                )
            ],
            "n": comparison.n,
        }
    page_title = title or (items[0].name if len(items) == 1 else "LMS project scenarios")
    stamp = generated or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=page_title,
        generated=stamp,
        version=__version__,
        n=n,
        seed=seed,
        sections=sections,
        compare=compare_block,
        compare_note=compare_note,
        assumptions=assumptions_table({"n": n}),
        plotly_js=Markup(_plotly_js()),
    )


def write_report(
    scenarios: Sequence[Scenario],
    path: str | os.PathLike[str],
    *,
    n: int = 10_000,
    seed: int | None = 0,
    title: str | None = None,
) -> Path:
    """Write :func:`build_report` to ``path`` atomically (temporary file, then rename)."""
    text = build_report(scenarios, n=n, seed=seed, title=title)
    return write_atomic(path, text.encode("utf-8"))


def write_images(
    scenarios: Sequence[Scenario],
    directory: str | os.PathLike[str],
    *,
    n: int = 10_000,
    seed: int | None = 0,
    formats: Sequence[str] = ("png", "svg"),
    only: Iterable[str] | None = None,
) -> list[Path]:
    """Write every report figure as PNG and SVG through kaleido (offline, Debian's chromium).

    kaleido 1.x drives a local chromium: it uses ``BROWSER_PATH`` when set, else finds
    ``chromium`` on the PATH (``/usr/bin/chromium`` on Debian). One browser serves every image
    (``kaleido.start_sync_server``). File names: ``<scenario number>-<figure key>.<format>``,
    ``compare-<key>.<format>`` for the comparison. ``only`` keeps the figures with those keys
    (``drive_share``, ``compare-measures``, ...).

    Raises
    ------
    RuntimeError
        When kaleido or chromium is not available (the message says how to fix it).
    """
    import shutil

    try:
        import kaleido
    except ImportError:
        raise RuntimeError(
            "--images needs kaleido (pip install 'kaleido>=1') and chromium"
        ) from None
    if "BROWSER_PATH" not in os.environ:
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found is None and Path("/usr/bin/chromium").exists():
            found = "/usr/bin/chromium"
        if found is None:
            raise RuntimeError(
                "--images needs a chromium: install it (apt-get install chromium) or set "
                "BROWSER_PATH to its executable"
            )
        os.environ["BROWSER_PATH"] = found
    items = list(scenarios)
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, dict[str, Any]]] = []
    for i, s in enumerate(items):
        for f in report_figures(s, n=n, seed=seed):
            if f.figure is not None:
                jobs.append((f"{i + 1}-{f.key}", f.figure))
    if 2 <= len(items) <= MAX_SCENARIOS:
        protect = [t for s in items for t in scenario_texts(s)]
        for f in _comparison_figures(compare(items, n=n, seed=seed), protect):
            if f.figure is not None:
                jobs.append((f.key, f.figure))
    if only is not None:
        keep = set(only)
        jobs = [(name, fig) for name, fig in jobs if name.split("-", 1)[1] in keep or name in keep]
    written: list[Path] = []
    started = False
    try:
        try:
            kaleido.start_sync_server(silence_warnings=True)
            started = True
        except Exception:  # an older kaleido or a server already running: one browser per image
            started = False
        with warnings.catch_warnings():
            # plotly passes its (default) kaleido options, which a running server ignores
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            for name, fig in jobs:
                for fmt in formats:
                    target = out_dir / f"{name}.{fmt}"
                    pio.write_image(fig, str(target), format=fmt, width=1100, height=650)
                    written.append(target)
    finally:
        if started:
            kaleido.stop_sync_server(silence_warnings=True)
    return written
