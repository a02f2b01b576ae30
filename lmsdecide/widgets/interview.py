"""The guided interview as an app: describe your organisation in plain words, get a scenario.

One screen per step: the organisation; its departments; one page per department (its say in the
decision, whose opinion it weighs, how firmly it holds its view, which way it leans, what it
wants from a partner, when it is involved, which concerns it brings); the phases; the partners;
and last the check, the scenario written and the diagnosis, with the report and the Excel export
one click away.

Every change is saved at once (atomically) to a progress file beside the output, so a closed tab
or a crash loses nothing: the interview resumes at the step it was at. Back and Next keep every
answer. The widgets only hold answers: the mapping to numbers and the checks are
:mod:`lmsdecide.interview`'s, the diagnosis :func:`lmsdecide.diagnosis.diagnose`'s.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable
from html import escape
from itertools import combinations
from pathlib import Path
from typing import Any

import ipywidgets as W

from lmsdecide.interview import mappings as M
from lmsdecide.interview.answers import InterviewError, Priorities
from lmsdecide.interview.build import (
    CR_LIMIT,
    build_scenario,
    priority_weights,
    slugify,
)
from lmsdecide.interview.library import concern_library
from lmsdecide.interview.progress import (
    INTERVIEW_OUTPUT_ENV,
    Progress,
    keep_unreadable,
    load_progress,
    progress_path,
    save_progress,
)
from lmsdecide.scenario import FUNCTIONS, NEVER, Scenario

__all__ = ["OUTPUT_ENV", "Interview"]

#: Environment variable naming the scenario file the app writes (set by ``lmsdecide interview``).
OUTPUT_ENV = INTERVIEW_OUTPUT_ENV
NOT_ANSWERED = "(not answered)"
BY_FUNCTION = "(typical for its function)"
STYLE = {"description_width": "260px"}
WIDE = {"width": "640px"}

CSS = """
<style>
.lmsdecide-interview { font-size: 15px; max-width: 1100px; }
.lmsdecide-interview .iv-msg { color: #B2182B; font-weight: bold; white-space: pre-wrap; }
.lmsdecide-interview .iv-ok { color: #1B7837; font-weight: bold; }
.lmsdecide-interview .iv-help { color: #444; font-size: 13px; margin: 0 0 4px 0; }
.lmsdecide-interview h2 { margin: 6px 0; }
</style>
"""


def _pairs_options() -> list[tuple[str, float]]:
    """Slider positions: '<A> extremely more' ... 'equally' ... '<B> extremely more'."""
    labels = [k for k in M.SAATY if k != "equally"]
    left = [(f"A {k}", -M.SAATY[k]) for k in reversed(labels)]
    right = [(f"B {k}", M.SAATY[k]) for k in labels]
    return [*left, ("equally", 1.0), *right]


def _close(widget: W.Widget) -> None:
    """Close a replaced screen's widgets (and their children) in the page and the kernel."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    mapping[key] = value


class Interview:
    """The guided interview app.

    Parameters
    ----------
    output
        The scenario file to write (``.yaml``, ``.json`` or ``.xlsx``); the progress file is
        saved beside it (``<output>.interview.json``). Default: the environment variable
        :data:`OUTPUT_ENV`, else ``my_org.yaml``.
    resume
        Pick up the saved progress when there is some (default True).

    Attributes
    ----------
    answers
        The answers so far (plain data, possibly incomplete).
    step
        The step shown (0-based index into :attr:`steps`).
    scenario
        The scenario built at the last step (None before).
    controls
        Name -> widget of the step shown (``next``, ``back``, ...).
    """

    def __init__(self, output: str | os.PathLike[str] | None = None, *, resume: bool = True):
        self.output = Path(output or os.environ.get(OUTPUT_ENV) or "my_org.yaml")
        self.progress_file = progress_path(self.output)
        self.answers: dict[str, Any] = {
            "organisation": {"name": "", "learners": 1000, "launch_target": 36},
            "departments": [],
            "phases": {"durations": {}, "launch": "launch"},
            "partners": [],
        }
        self.step = 0
        self.scenario: Scenario | None = None
        self.notice = ""
        if resume:
            try:
                saved = load_progress(self.progress_file)
            except ValueError as exc:
                saved = None
                kept = keep_unreadable(self.progress_file)
                self.notice = (
                    f"<div class='iv-msg'>{escape(str(exc))}; kept as {escape(kept.name)}, "
                    "starting afresh.</div>"
                )
            if saved is not None:
                self.answers = {**self.answers, **copy.deepcopy(saved.answers)}
                self.step = saved.step
                self.notice = (
                    "<div class='iv-ok'>Welcome back: your answers are restored "
                    f"(saved {escape(saved.updated)}).</div>"
                )
        self.controls: dict[str, W.Widget] = {}
        self.title = W.HTML()
        self._title = ""
        self._generation = 0  # bumped per render: changes from a replaced screen are ignored
        self.body = W.VBox()
        self.message = W.HTML()
        self.banner = W.HTML(self.notice)
        self.back = W.Button(description="◀ Back", layout={"width": "120px"})
        self.next = W.Button(
            description="Next ▶", button_style="primary", layout={"width": "120px"}
        )
        self.back.add_class("iv-back")
        self.next.add_class("iv-next")
        self.back.on_click(lambda _b: self._guard(lambda: self.go(self.step - 1)))
        self.next.on_click(lambda _b: self._guard(self.forward))
        self.progress = W.HTML()
        root = W.VBox(
            [
                W.HTML(CSS + "<h1 style='margin:2px 0'>Describe your organisation</h1>"),
                self.banner,
                self.progress,
                self.title,
                self.body,
                self.message,
                W.HBox([self.back, self.next]),
            ]
        )
        root.add_class("lmsdecide-interview")
        self.widget = root
        self.step = min(self.step, len(self.steps) - 1)
        self._render()

    # -- steps ----------------------------------------------------------------------------------

    @property
    def steps(self) -> list[str]:
        """Step names: organisation, departments, department:<i>..., phases, partners, result."""
        n = len(self.answers.get("departments", []))
        return [
            "organisation",
            "departments",
            *(f"department:{i}" for i in range(n)),
            "phases",
            "partners",
            "result",
        ]

    def go(self, index: int) -> None:
        """Show step ``index`` (answers are kept whatever the direction)."""
        index = max(0, min(index, len(self.steps) - 1))
        self.step = index
        self._save()
        self._render()

    def forward(self) -> None:
        """Next step, after the checks of the current one (a message names what is missing)."""
        problems = self._step_problems()
        if problems:
            self.message.value = "<div class='iv-msg'>" + escape("\n".join(problems)) + "</div>"
            return
        if self.steps[self.step] == "departments":
            self._assign_ids()
        self.go(self.step + 1)

    def _step_problems(self) -> list[str]:
        name = self.steps[self.step]
        if name == "organisation":
            org = self.answers["organisation"]
            return [] if str(org.get("name", "")).strip() else ["Please give the project a name."]
        if name == "departments":
            depts = self.answers["departments"]
            problems = [] if depts else ["Add at least one department."]
            for i, d in enumerate(depts):
                if not str(d.get("name", "")).strip():
                    problems.append(f"Department {i + 1} needs a name.")
            return problems
        if name.startswith("department:"):
            dept = self.answers["departments"][int(name.split(":")[1])]
            ranks = self._ranks(dept)
            taken = [r for r in ranks.values() if r]
            repeated = sorted({r for r in taken if taken.count(r) > 1})
            if repeated:
                return [f"Rank {repeated[0]} is given to more than one criterion."]
            priorities = dept.get("priorities") or {}
            if "rank" in priorities and not priorities["rank"]:
                return ["Rank at least one criterion, or choose Skip."]
        return []

    def _assign_ids(self) -> None:
        """Give each department a stable id (kept when it is renamed later)."""
        used: set[str] = {d["id"] for d in self.answers["departments"] if d.get("id")}
        for i, dept in enumerate(self.answers["departments"]):
            if dept.get("id"):
                continue
            base = slugify(str(dept.get("name", "")), f"dept_{i + 1}")
            candidate, k = base, 2
            while candidate in used:
                candidate, k = f"{base}_{k}", k + 1
            dept["id"] = candidate
            used.add(candidate)
        self._save()

    # -- saving ---------------------------------------------------------------------------------

    def _save(self) -> None:
        save_progress(self.progress_file, Progress(answers=self.answers, step=self.step))

    def _guard(self, action: Callable[[], object]) -> None:
        self.message.value = ""
        try:
            action()
        except Exception as exc:  # a plain message, never a traceback in the app
            self.message.value = (
                f"<div class='iv-msg'>{escape(type(exc).__name__)}: {escape(str(exc))}</div>"
            )

    def _bind(self, widget: W.Widget, write: Callable[[Any], None], name: str = "") -> W.Widget:
        """Write the widget's value into the answers, and save, on every change."""

        generation = self._generation

        def changed(change: dict[str, Any]) -> None:
            if generation != self._generation:
                return  # a control of a screen already replaced (a late event): ignore it

            def apply() -> None:
                write(change["new"])
                self._save()

            self._guard(apply)

        widget.observe(changed, names="value")
        if name:
            self.controls[name] = widget
            widget.add_class(f"iv-{name}")
        return widget

    # -- rendering ------------------------------------------------------------------------------

    def _render(self) -> None:
        self._generation += 1
        old = self.body.children
        self.controls = {"next": self.next, "back": self.back}
        name = self.steps[self.step]
        total = len(self.steps)
        self.progress.value = f"<div class='iv-help'>Step {self.step + 1} of {total}</div>"
        self.back.disabled = self.step == 0
        self.next.disabled = name == "result"
        self.message.value = ""
        if name == "organisation":
            self._organisation()
        elif name == "departments":
            self._departments()
        elif name.startswith("department:"):
            self._department(int(name.split(":")[1]))
        elif name == "phases":
            self._phases()
        elif name == "partners":
            self._partners()
        else:
            self._result()
        # the title last: once it shows the new step, the new controls are on the page
        self.title.value = self._title
        for widget in old:
            _close(widget)

    def _help(self, text: str) -> W.HTML:
        return W.HTML(f"<div class='iv-help'>{escape(text)}</div>")

    def _organisation(self) -> None:
        org = self.answers["organisation"]
        self._title = "<h2>The organisation and its project</h2>"

        def setter(key: str) -> Callable[[Any], None]:
            return lambda v: org.__setitem__(key, v)

        name = W.Text(
            value=str(org.get("name", "")),
            description="Project or organisation name",
            continuous_update=False,
            style=STYLE,
            layout=WIDE,
        )
        desc = W.Textarea(
            value=str(org.get("description", "")),
            description="In a sentence, the project",
            continuous_update=False,
            style=STYLE,
            layout=WIDE,
        )
        learners = W.BoundedIntText(
            value=int(org.get("learners", 1000)),
            min=1,
            max=1_000_000_000,
            description="People who will learn on it",
            style=STYLE,
        )
        target = W.BoundedFloatText(
            value=float(org.get("launch_target", 36)),
            min=1,
            max=1000,
            description="Go live within (weeks)",
            style=STYLE,
        )
        self.body.children = [
            self._bind(name, setter("name"), "org_name"),
            self._bind(desc, setter("description"), "org_description"),
            self._bind(learners, setter("learners"), "org_learners"),
            self._bind(target, setter("launch_target"), "org_launch_target"),
        ]

    def _departments(self) -> None:
        depts = self.answers["departments"]
        self._title = "<h2>Which departments have a stake in the LMS?</h2>"
        rows: list[W.Widget] = [
            self._help(
                "Every department that decides, pays, integrates, communicates or learns. "
                "Eight to twelve is typical."
            )
        ]
        functions = [(f"{M.FUNCTION_LABELS[f]}", f) for f in FUNCTIONS]
        for i, dept in enumerate(depts):
            name = W.Text(
                value=str(dept.get("name", "")),
                placeholder="e.g. Learning and Development",
                description=f"{i + 1}. Name",
                continuous_update=False,
                style={"description_width": "80px"},
                layout={"width": "420px"},
            )
            function = W.Dropdown(
                options=functions,
                value=dept.get("function", "other")
                if dept.get("function") in FUNCTIONS
                else "other",
                description="What it is",
                style={"description_width": "80px"},
                layout={"width": "420px"},
            )
            dept.setdefault("function", function.value)
            remove = W.Button(description="Remove", layout={"width": "90px"})
            remove.add_class(f"iv-remove-{i}")
            remove.on_click(
                functools.partial(lambda k, _b: self._guard(lambda: self._remove(k)), i)
            )
            self._bind(name, functools.partial(self._set_dept, i, "name"), f"dept_name_{i}")
            self._bind(
                function, functools.partial(self._set_dept, i, "function"), f"dept_function_{i}"
            )
            rows.append(W.HBox([name, function, remove]))
        add = W.Button(description="Add a department", icon="plus", layout={"width": "200px"})
        add.add_class("iv-add-department")
        add.on_click(lambda _b: self._guard(self._add_department))
        self.controls["add_department"] = add
        rows.append(add)
        self.body.children = rows

    def _set_dept(self, index: int, key: str, value: Any) -> None:
        dept = self.answers["departments"][index]
        if key == "function" and dept.get("function") != value:
            dept.pop("concerns", None)  # the library's concerns are per function
        dept[key] = value

    def _add_department(self) -> None:
        self.answers["departments"].append(
            {
                "name": "",
                "function": "other",
                "sign_off": "must be consulted",
                "firmness": "holds its view",
                "leaning": "undecided",
                "involved_from": "needs_analysis",
                "listens_to": {},
            }
        )
        self._save()
        self._render()

    def _remove(self, index: int) -> None:
        dept = self.answers["departments"].pop(index)
        gone = {dept.get("id"), dept.get("name")} - {None}
        for other in self.answers["departments"]:
            for key in list(other.get("listens_to", {})):
                if key in gone:
                    del other["listens_to"][key]
        self._save()
        self._render()

    # -- one department -------------------------------------------------------------------------

    def _department(self, index: int) -> None:
        depts = self.answers["departments"]
        dept = depts[index]
        self._title = (
            f"<h2>Department {index + 1} of {len(depts)}: {escape(str(dept.get('name', '')))}</h2>"
        )
        set_ = functools.partial(self._set_dept, index)

        def choice(
            key: str, label: str, table: Any, default: str, optional: bool = False
        ) -> W.Widget:
            options = ([BY_FUNCTION] if optional else []) + list(table)
            value = dept.get(key) or (BY_FUNCTION if optional else default)
            if value not in options:
                value = options[0]
            if not optional:
                dept[key] = value  # the answer is what the page shows
            widget = W.Dropdown(
                options=options, value=value, description=label, style=STYLE, layout=WIDE
            )

            def write(v: str) -> None:
                if optional and v == BY_FUNCTION:
                    dept.pop(key, None)
                else:
                    dept[key] = v

            return self._bind(widget, write, key)

        phases = [(p["name"], p["id"]) for p in M.STANDARD_PHASES] + [("never", NEVER)]
        involved_value = dept.get("involved_from", "needs_analysis")
        if involved_value not in [p[1] for p in phases]:
            involved_value = "needs_analysis"
        dept["involved_from"] = involved_value
        involved = W.Dropdown(
            options=phases,
            value=involved_value,
            description="First involved in",
            style=STYLE,
            layout=WIDE,
        )
        children: list[W.Widget] = [
            choice("sign_off", "Its say in signing off the LMS", M.SIGN_OFF, "must be consulted"),
            choice("firmness", "How firmly it holds its view", M.FIRMNESS, "holds its view"),
            choice("leaning", "Which way it leans", M.LEANING, "undecided"),
            self._bind(involved, functools.partial(set_, "involved_from"), "involved_from"),
            choice("clout", "Can it stop or speed up the project?", M.CLOUT, "", optional=True),
            choice("cares", "How much it cares about the LMS", M.CARES, "", optional=True),
            W.HTML("<h3 style='margin:8px 0 2px 0'>Whose opinion does it weigh?</h3>"),
        ]
        listens = dept.setdefault("listens_to", {})
        for other in depts:
            if other is dept:
                continue
            key = other.get("id") or other.get("name")
            widget = W.Dropdown(
                options=["—", *M.LISTENS],
                value=listens.get(key, "—"),
                description=str(other.get("name", "")),
                style=STYLE,
                layout=WIDE,
            )

            def write_listen(v: str, key: str = key) -> None:
                if v == "—":
                    listens.pop(key, None)
                else:
                    listens[key] = v

            children.append(self._bind(widget, write_listen, f"listens_{key}"))
        children += self._priorities(dept)
        children += self._concerns(dept)
        children += self._attributes(dept)
        self.body.children = children

    def _ranks(self, dept: dict[str, Any]) -> dict[str, int]:
        ranked = (dept.get("priorities") or {}).get("rank") or []
        ui = dept.get("_ranks")
        if isinstance(ui, dict):
            return {c: int(ui.get(c, 0)) for c in self._criteria()}
        return {c: (ranked.index(c) + 1 if c in ranked else 0) for c in self._criteria()}

    @staticmethod
    def _criteria() -> list[str]:
        return [c["id"] for c in M.STANDARD_CRITERIA]

    def _priorities(self, dept: dict[str, Any]) -> list[W.Widget]:
        names = {c["id"]: c["name"] for c in M.STANDARD_CRITERIA}
        priorities = dept.get("priorities") or {}
        mode_value = "pairs" if priorities.get("pairs") else "rank" if priorities else "skip"
        mode = W.ToggleButtons(
            options=[("Rank them", "rank"), ("Compare in pairs", "pairs"), ("Skip", "skip")],
            value=mode_value,
            description="Its priorities",
            style={**STYLE, "button_width": "150px"},
        )
        box = W.VBox()
        cr = W.HTML()

        def show(m: str) -> None:
            if m == "rank":
                box.children = self._rank_rows(dept, names)
            elif m == "pairs":
                box.children = [*self._pair_rows(dept, names, cr), cr]
            else:
                box.children = []

        def switch(m: str) -> None:
            dept.pop("_ranks", None)
            if m == "skip":
                dept.pop("priorities", None)
            elif m == "rank":
                dept["priorities"] = {"rank": []}
            else:
                chosen = self._criteria()[:4]
                dept["priorities"] = {
                    "pairs": [
                        {"more": a, "than": b, "by": "equally"} for a, b in combinations(chosen, 2)
                    ]
                }
            show(m)

        self._bind(mode, switch, "priorities_mode")
        show(mode_value)
        return [
            W.HTML("<h3 style='margin:8px 0 2px 0'>What does it want from a partner?</h3>"),
            mode,
            box,
        ]

    def _rank_rows(self, dept: dict[str, Any], names: dict[str, str]) -> list[W.Widget]:
        ranks = self._ranks(dept)
        n = len(ranks)
        rows: list[W.Widget] = [
            self._help("1 is the most important; leave out what does not matter.")
        ]

        def write(crit: str, value: int) -> None:
            current = self._ranks(dept)
            current[crit] = value
            dept["_ranks"] = current
            order = sorted((r, c) for c, r in current.items() if r)
            dept["priorities"] = {"rank": [c for _r, c in order]}

        for crit in self._criteria():
            widget = W.Dropdown(
                options=[("—", 0), *((str(k), k) for k in range(1, n + 1))],
                value=ranks[crit],
                description=names[crit],
                style=STYLE,
                layout=WIDE,
            )
            rows.append(self._bind(widget, functools.partial(write, crit), f"rank_{crit}"))
        return rows

    def _pair_rows(self, dept: dict[str, Any], names: dict[str, str], cr: W.HTML) -> list[W.Widget]:
        pairs = dept["priorities"]["pairs"]
        options = _pairs_options()
        rows: list[W.Widget] = [
            self._help("For each pair: does A or B matter more to this department, and how much?")
        ]

        def show_cr() -> None:
            try:
                found = priority_weights(
                    Priorities.model_validate(dept["priorities"]), self._criteria()
                )
            except ValueError as exc:
                cr.value = f"<div class='iv-msg'>{escape(str(exc))}</div>"
                return
            ratio = found.consistency_ratio or 0.0
            verdict = (
                "<span class='iv-ok'>consistent</span>"
                if ratio <= CR_LIMIT
                else "<span class='iv-msg'>inconsistent (above "
                f"{CR_LIMIT:g}): revisit a pair</span>"
            )
            weights = ", ".join(f"{escape(names[c])} {w:.0%}" for c, w in found.weights.items())
            cr.value = f"<div>Consistency ratio {ratio:.3f}: {verdict}<br>Weights: {weights}</div>"

        labels: list[str] = []
        for pair in pairs:
            for c in (pair["more"], pair["than"]):
                if c not in labels:
                    labels.append(c)
        for a, b in combinations(labels, 2):
            found = next(
                (p for p in pairs if {p["more"], p["than"]} == {a, b}),
                {"more": a, "than": b, "by": "equally"},
            )
            strength = M.SAATY.get(found.get("by", "equally"), 1.0)
            value = 1.0 if strength == 1.0 else (-strength if found["more"] == a else strength)
            slider = W.SelectionSlider(
                options=options,
                value=value,
                description=f"A: {names[a]}  /  B: {names[b]}",
                style={"description_width": "460px"},
                layout={"width": "900px"},
                continuous_update=False,
            )

            def write(v: float, a: str = a, b: str = b) -> None:
                label = next(key for key, x in M.SAATY.items() if x == abs(v))
                judgement = {"more": b, "than": a} if v > 1 else {"more": a, "than": b}
                rest = [p for p in pairs if {p["more"], p["than"]} != {a, b}]
                rest.append({**judgement, "by": label})
                pairs[:] = rest
                show_cr()

            rows.append(self._bind(slider, write, f"pair_{a}_{b}"))
        show_cr()
        return rows

    def _concerns(self, dept: dict[str, Any]) -> list[W.Widget]:
        library = concern_library().for_function(str(dept.get("function", "other")))
        # not answered yet: the function's typical concerns start ticked
        chosen = dept.get("concerns", "typical")
        if not isinstance(chosen, list):
            chosen = [c.id for c in library] if chosen == "typical" else []
        dept["concerns"] = chosen
        picked = {(c if isinstance(c, str) else c.get("id")): c for c in chosen}
        rows: list[W.Widget] = [
            W.HTML("<h3 style='margin:8px 0 2px 0'>Which concerns does it bring?</h3>"),
            self._help("Tick what applies; the effort is person-weeks to settle it on time."),
        ]
        for item in library:
            current = picked.get(item.id)
            effort_value = (
                float(current.get("effort", item.effort))
                if isinstance(current, dict)
                else item.effort
            )
            tick = W.Checkbox(
                value=current is not None,
                description=f"{item.name} ({item.kind}"
                + (", blocks launch)" if item.blocks_launch else ")"),
                indent=False,
                layout={"width": "520px"},
            )
            effort = W.BoundedFloatText(
                value=effort_value, min=0.0, max=1000.0, step=0.25, layout={"width": "90px"}
            )

            def write(
                _v: Any,
                item_id: str = item.id,
                tick: W.Checkbox = tick,
                effort: W.BoundedFloatText = effort,
                base: float = item.effort,
            ) -> None:
                rest = [
                    c
                    for c in dept["concerns"]
                    if (c if isinstance(c, str) else c.get("id")) != item_id
                ]
                if tick.value:
                    rest.append(
                        item_id if effort.value == base else {"id": item_id, "effort": effort.value}
                    )
                dept["concerns"] = rest

            self._bind(tick, write, f"concern_{item.id}")
            self._bind(effort, write, f"effort_{item.id}")
            rows.append(W.HBox([tick, effort]))
        return rows

    def _attributes(self, dept: dict[str, Any]) -> list[W.Widget]:
        attributes = dept.setdefault("attributes", {})
        rows: list[W.Widget] = [
            W.HTML("<h3 style='margin:8px 0 2px 0'>Your own notes (kept, never modelled)</h3>")
        ]
        for key, label in (("owner", "Owner"), ("notes", "Notes")):
            widget = W.Text(
                value=str(attributes.get(key, "")),
                description=label,
                continuous_update=False,
                style=STYLE,
                layout=WIDE,
            )

            def write(v: str, key: str = key) -> None:
                if v.strip():
                    attributes[key] = v
                else:
                    attributes.pop(key, None)

            rows.append(self._bind(widget, write, f"attr_{key}"))
        return rows

    # -- phases and partners --------------------------------------------------------------------

    def _phases(self) -> None:
        phases = self.answers.setdefault("phases", {"durations": {}, "launch": "launch"})
        durations = phases.setdefault("durations", {})
        self._title = "<h2>The project's phases</h2>"
        rows: list[W.Widget] = [
            self._help(
                "The standard LMS template. Durations in weeks: optimistic, likely, pessimistic."
            )
        ]
        for template in M.STANDARD_PHASES:
            pid = template["id"]
            value = durations.get(pid, template["duration"])
            boxes = []
            for part in ("optimistic", "likely", "pessimistic"):
                box = W.BoundedFloatText(
                    value=float(value[part]), min=0, max=520, step=0.5, layout={"width": "90px"}
                )

                def write(v: float, pid: str = pid, part: str = part, t: Any = template) -> None:
                    current = dict(durations.get(pid, t["duration"]))
                    current[part] = v
                    if current == dict(t["duration"]):
                        durations.pop(pid, None)
                    else:
                        durations[pid] = current

                boxes.append(self._bind(box, write, f"phase_{pid}_{part}"))
            rows.append(W.HBox([W.Label(template["name"], layout={"width": "260px"}), *boxes]))
        launch = W.Dropdown(
            options=[(p["name"], p["id"]) for p in M.STANDARD_PHASES],
            value=phases.get("launch", "launch"),
            description="Goes live at the end of",
            style=STYLE,
            layout=WIDE,
        )
        rows.append(self._bind(launch, lambda v: phases.__setitem__("launch", v), "launch"))
        self.body.children = rows

    def _partners(self) -> None:
        partners = self.answers.setdefault("partners", [])
        self._title = "<h2>Which partners are candidates?</h2>"
        criteria = [c for c in M.STANDARD_CRITERIA if c["id"] != M.TIME_TO_LAUNCH]
        rows: list[W.Widget] = [
            self._help(
                "Scores 1-10 (cost in thousands); the time to launch each promises, in weeks. "
                "Leave empty if the partner is not chosen yet."
            )
        ]
        for i, partner in enumerate(partners):
            name = W.Text(
                value=str(partner.get("name", "")),
                description=f"{i + 1}. Name",
                continuous_update=False,
                style={"description_width": "80px"},
                layout={"width": "380px"},
            )
            kind = W.Dropdown(
                options=list(M.PARTNER_TYPE_LABELS),
                value=partner.get("type", "a learning specialist"),
                layout={"width": "200px"},
            )
            weeks = W.BoundedFloatText(
                value=float(partner.get("weeks_to_launch", 30)),
                min=1,
                max=1000,
                description="Weeks to launch",
                style={"description_width": "120px"},
                layout={"width": "220px"},
            )
            remove = W.Button(description="Remove", layout={"width": "90px"})
            remove.on_click(
                functools.partial(lambda k, _b: self._guard(lambda: self._remove_partner(k)), i)
            )
            self._bind(name, functools.partial(_put, partner, "name"), f"partner_name_{i}")
            self._bind(kind, functools.partial(_put, partner, "type"), f"partner_type_{i}")
            self._bind(
                weeks,
                functools.partial(_put, partner, "weeks_to_launch"),
                f"partner_weeks_{i}",
            )
            scores = partner.setdefault("scores", {})
            boxes = []
            for c in criteria:
                box = W.BoundedFloatText(
                    value=float(scores.get(c["id"], 5.0)),
                    min=0,
                    max=1e9,
                    description=c["name"],
                    style={"description_width": "300px"},
                    layout={"width": "420px"},
                )
                scores.setdefault(c["id"], box.value)
                boxes.append(
                    self._bind(
                        box,
                        functools.partial(_put, scores, c["id"]),
                        f"score_{i}_{c['id']}",
                    )
                )
            rows.append(W.VBox([W.HBox([name, kind, weeks, remove]), *boxes]))
        add = W.Button(description="Add a partner", icon="plus", layout={"width": "200px"})
        add.add_class("iv-add-partner")
        add.on_click(lambda _b: self._guard(self._add_partner))
        self.controls["add_partner"] = add
        rows.append(add)
        if partners:
            options = [("none chosen yet", "")] + [
                (str(p.get("name", "")), str(p.get("name", ""))) for p in partners
            ]
            value = self.answers.get("chosen_partner") or ""
            chosen = W.Dropdown(
                options=options,
                value=value if value in [o[1] for o in options] else "",
                description="Chosen (or favoured) today",
                style=STYLE,
                layout=WIDE,
            )

            def write(v: str) -> None:
                if v:
                    self.answers["chosen_partner"] = v
                else:
                    self.answers.pop("chosen_partner", None)

            rows.append(self._bind(chosen, write, "chosen_partner"))
        self.body.children = rows

    def _add_partner(self) -> None:
        self.answers["partners"].append(
            {"name": "", "type": "a learning specialist", "scores": {}, "weeks_to_launch": 30}
        )
        self._save()
        self._render()

    def _remove_partner(self, index: int) -> None:
        gone = self.answers["partners"].pop(index)
        if self.answers.get("chosen_partner") == gone.get("name"):
            self.answers.pop("chosen_partner", None)
        self._save()
        self._render()

    # -- result ---------------------------------------------------------------------------------

    def clean_answers(self) -> dict[str, Any]:
        """The answers without the app's own bookkeeping (as an answers file holds them)."""
        data = copy.deepcopy(self.answers)
        for dept in data.get("departments", []):
            dept.pop("_ranks", None)
            if not dept.get("attributes"):
                dept.pop("attributes", None)
        return data

    def build(self) -> Scenario:
        """Build, validate and save the scenario to :attr:`output` (raises InterviewError)."""
        from lmsdecide.io import save_scenario

        scenario = build_scenario(self.clean_answers())
        save_scenario(scenario, self.output)
        self.scenario = scenario
        return scenario

    def _result(self) -> None:
        from lmsdecide.diagnosis import diagnose

        self._title = "<h2>Your organisation: the diagnosis</h2>"
        try:
            scenario = self.build()
        except InterviewError as exc:
            items = "".join(f"<li>{escape(str(p))}</li>" for p in exc.problems)
            self.body.children = [
                W.HTML(
                    "<div class='iv-msg'>Some answers need another look (go Back to them):</div>"
                    f"<ul class='iv-problems'>{items}</ul>"
                )
            ]
            return
        found = diagnose(scenario, n=2000, seed=20120907)
        rows = "".join(
            f"<tr><td><b>{escape(f.severity)}</b></td><td>{escape(f.title)}</td>"
            f"<td>{escape(f.recommendation)}</td></tr>"
            for f in found.findings
        )
        summary = W.HTML(
            f"<div class='iv-ok'>Saved {escape(str(self.output))}: {len(scenario.departments)} "
            f"departments, {len(scenario.concerns)} concerns.</div>"
            f"<h3 class='iv-verdict'>{escape(found.verdict)}</h3>"
            "<table class='iv-findings' style='border-collapse:collapse'>"
            f"<tr><th>severity</th><th>finding</th><th>what to do</th></tr>{rows}</table>"
        )
        files = W.HTML()
        report = W.Button(description="Write the report (HTML)", layout={"width": "240px"})
        excel = W.Button(description="Export to Excel", layout={"width": "240px"})
        report.add_class("iv-report")
        excel.add_class("iv-excel")
        report.on_click(lambda _b: self._guard(lambda: self._write_report(files)))
        excel.on_click(lambda _b: self._guard(lambda: self._write_excel(files)))
        self.controls.update(report=report, excel=excel)
        self.body.children = [summary, W.HBox([report, excel]), files]

    def _write_report(self, files: W.HTML) -> Path:
        from lmsdecide.report import write_report

        assert self.scenario is not None
        path = write_report([self.scenario], self.output.with_suffix(".html"), n=2000)
        files.value = f"<div class='iv-ok'>Wrote {escape(str(path))}</div>"
        return path

    def _write_excel(self, files: W.HTML) -> tuple[Path, Path]:
        from lmsdecide.io import save_scenario
        from lmsdecide.results_workbook import write_results_workbook

        assert self.scenario is not None
        workbook = save_scenario(self.scenario, self.output.with_suffix(".xlsx"))
        results = write_results_workbook(
            self.scenario, self.output.with_name(self.output.stem + "_results.xlsx"), n=2000
        )
        files.value = (
            f"<div class='iv-ok'>Wrote {escape(str(workbook))} (the scenario) and "
            f"{escape(str(results))} (the results)</div>"
        )
        return workbook, results

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
