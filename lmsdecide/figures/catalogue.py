"""The catalogue of figures: every figure of the toolkit, declared once.

An entry says what a figure is called (``key``, a short ``title``, a ``caption`` saying how to
read it), where it belongs (``section``), which results it is drawn from (``inputs``: names of
registered models, or of the few derived results listed in :data:`DERIVED_INPUTS`), the spec
function that draws it, and its text alternative (``describe``: the key numbers in words, for
screen readers and the report). The dashboards, the workshop and the report all read it, so a
figure added here appears in each of them that computes its inputs:

- the report draws every entry of scope ``"scenario"`` whose inputs it can compute (every
  registered model, researchers' included), and every entry of scope ``"comparison"``;
- a dashboard shows its own figures, plus every entry whose inputs include one of the models it
  was given as ``extra_models``;
- the workshop shows the entries it names;
- the uncertainty explorer shows the entries of scope ``"explore"``.

Adding a figure is one spec function and one :func:`register_figure` call (see
``docs/figures.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from lmsdecide.figures import compare as FC
from lmsdecide.figures import decide as FD
from lmsdecide.figures import explore as FE
from lmsdecide.figures import influence as FI
from lmsdecide.figures import partner as FP
from lmsdecide.figures import timing as FT
from lmsdecide.figures import workshop as FW
from lmsdecide.figures.format import MAX_TITLE
from lmsdecide.figures.spec import Spec, build

__all__ = [
    "CATALOGUE",
    "DERIVED_INPUTS",
    "SCOPES",
    "FigureEntry",
    "entries",
    "register_figure",
]

#: Where an entry is drawn: from one scenario's results, from a comparison, in the workshop, or in
#: the uncertainty explorer (from its analyses of many variants).
SCOPES = ("scenario", "comparison", "workshop", "explore")

#: Inputs that are not a registered model's result, and what each one is.
DERIVED_INPUTS: dict[str, str] = {
    "adoption_recommended": "adoption under the recommended engagement plan",
    "comparison": "a lmsdecide.comparison.Comparison of two to five scenarios",
    "pair": "a lmsdecide.workshop.PairComparison (A against B)",
    "pair_target": "the launch target drawn on A against B (weeks)",
    "room_view": "a lmsdecide.room.RoomView (the room's ratings)",
    "room_analysis": "a lmsdecide.room.analysis.RoomAnalysis (participants' answers, live)",
    "partner_names": "partner id -> name, for labels",
    "value_of_information": "lmsdecide.explore.value_of_information for the partner decision",
    "sensitivity_analysis": "a lmsdecide.explore.sensitivity result (Morris, Sobol or tornado)",
    "sweep": "a lmsdecide.explore.SweepResult (variants and their measures)",
    "discovery": "a lmsdecide.explore.DiscoveryResult (PRIM boxes), or None: no outcome given",
}


@dataclass(frozen=True)
class FigureEntry:
    """One figure of the catalogue.

    Attributes
    ----------
    key
        Stable identifier (``"drive_share"``): element ids in the report, image file names.
    title
        Short title, at most :data:`~lmsdecide.figures.format.MAX_TITLE` characters (it must fit
        a 600-pixel notebook panel); the numbers go in the spec's subtitle.
    caption
        How to read the figure, one or two sentences (shown under it in the report).
    section
        Heading it is grouped under in the report ("Who drives the project", ...).
    inputs
        Names of the results it is drawn from, in the order the spec function takes them.
    spec
        The spec function: ``spec(*results) -> Spec``.
    describe
        The text alternative: ``describe(*results) -> str``, the key numbers in words.
    scope
        ``"scenario"``, ``"comparison"``, ``"workshop"`` or ``"explore"`` (:data:`SCOPES`).
    """

    key: str
    title: str
    caption: str
    section: str
    inputs: tuple[str, ...]
    spec: Callable[..., Spec]
    describe: Callable[..., str]
    scope: str = "scenario"

    def __post_init__(self) -> None:
        if not self.key or not self.key.replace("_", "").isalnum():
            raise ValueError(f"figure key: letters, digits and '_' only, got {self.key!r}")
        if not 0 < len(self.title) <= MAX_TITLE:
            raise ValueError(
                f"figure {self.key!r}: title must have 1 to {MAX_TITLE} characters, "
                f"got {len(self.title)}: {self.title!r}"
            )
        if self.scope not in SCOPES:
            raise ValueError(
                f"figure {self.key!r}: scope must be one of {SCOPES}, got {self.scope!r}"
            )
        if not self.inputs:
            raise ValueError(f"figure {self.key!r}: inputs must name at least one result")

    def args(self, results: Mapping[str, Any]) -> list[Any]:
        """The entry's inputs taken from ``results`` (KeyError naming the missing one)."""
        missing = [name for name in self.inputs if name not in results]
        if missing:
            raise KeyError(f"figure {self.key!r} needs the result(s) {missing}")
        return [results[name] for name in self.inputs]

    def figure_spec(self, results: Mapping[str, Any]) -> Spec:
        """The spec drawn from ``results`` (name -> result), titled with :attr:`title`."""
        spec = self.spec(*self.args(results))
        layout = spec.setdefault("layout", {})
        layout["title"] = {**layout.get("title", {}), "text": self.title}
        return spec

    def build(self, *results: Any, **named: Any) -> go.Figure:
        """The ``go.Figure``: from positional results (in :attr:`inputs` order) or by name."""
        return build(self.figure_spec(self._mapping(results, named)))

    def text(self, *results: Any, **named: Any) -> str:
        """The text alternative for these results."""
        return self.describe(*self.args(self._mapping(results, named)))

    def _mapping(self, results: tuple[Any, ...], named: Mapping[str, Any]) -> dict[str, Any]:
        if results and len(results) != len(self.inputs):
            raise TypeError(
                f"figure {self.key!r} takes {len(self.inputs)} result(s) {self.inputs}, "
                f"got {len(results)}"
            )
        return {**dict(zip(self.inputs, results, strict=False)), **named}


#: Key -> entry, in display order (report order within each section).
CATALOGUE: dict[str, FigureEntry] = {}


def register_figure(
    key: str,
    *,
    title: str,
    caption: str,
    section: str,
    inputs: tuple[str, ...] | list[str],
    describe: Callable[..., str],
    scope: str = "scenario",
    replace: bool = False,
) -> Callable[[Callable[..., Spec]], Callable[..., Spec]]:
    """Decorator adding a spec function to the catalogue (see :class:`FigureEntry`).

    Raises ValueError on a key already taken (unless ``replace``), a title that is too long or
    an unknown scope.
    """

    def decorate(spec: Callable[..., Spec]) -> Callable[..., Spec]:
        add(
            FigureEntry(key, title, caption, section, tuple(inputs), spec, describe, scope),
            replace=replace,
        )
        return spec

    return decorate


def add(entry: FigureEntry, *, replace: bool = False) -> None:
    """Add ``entry`` to :data:`CATALOGUE`."""
    if entry.key in CATALOGUE and not replace:
        raise ValueError(f"figure {entry.key!r} is already in the catalogue (pass replace=True)")
    CATALOGUE[entry.key] = entry


def entries(scope: str | None = None) -> Iterator[FigureEntry]:
    """The catalogue's entries (of one scope), in order."""
    return (e for e in CATALOGUE.values() if scope is None or e.scope == scope)


WHO = "Who drives the project"
WHEN = "When each department engages"
PARTNER = "Partner choice"
ACT = "What to do about it"
COMPARE = "Comparison"
WORKSHOP = "Workshop"
EXPLORE = "Exploring uncertainty"

for _entry in (
    FigureEntry(
        "drive_share",
        "Share of the final decision",
        "Each department's share of the final decision (aᵀV, Friedkin–Johnsen), and the shares "
        "stacked by function: learning drives when L&D and HR hold at least half.",
        WHO,
        ("who_drives",),
        FI.drive_share_spec,
        FI.describe_drive_share,
    ),
    FigureEntry(
        "power_interest",
        "Power–interest grid",
        "Mendelow's grid: interest across, power up; bubble size is the drive share.",
        WHO,
        ("power_interest", "who_drives"),
        FI.power_interest_spec,
        FI.describe_power_interest,
    ),
    FigureEntry(
        "salience",
        "Stakeholder salience",
        "Mitchell, Agle & Wood's classes from power, legitimacy and urgency.",
        WHO,
        ("salience",),
        FI.salience_spec,
        FI.describe_salience,
    ),
    FigureEntry(
        "network",
        "Influence network",
        "Who listens to whom: arrows point to the department listened to; node size is the "
        "drive share, edge width the weight.",
        WHO,
        ("influence_network",),
        FI.network_spec,
        FI.describe_network,
    ),
    FigureEntry(
        "phase_drive",
        "Who drives each phase",
        "The share of the decisions taken in each phase, counting only departments engaged by "
        "then.",
        WHO,
        ("who_drives_by_phase",),
        FI.phase_drive_spec,
        FI.describe_phase_drive,
    ),
    FigureEntry(
        "timeline",
        "When each department engages",
        "Phases (PERT mean durations) with the phase each department is first involved in and "
        "when its concerns fall due; late concerns are marked.",
        WHEN,
        ("late_engagement",),
        FT.timeline_spec,
        FT.describe_timeline,
    ),
    FigureEntry(
        "escalation",
        "Cost of a late concern, by kind",
        "What a concern costs, relative to raising it on time, by its kind and how many phases "
        "late it surfaces (expected multiplier, capped; log scale). Technical kinds follow "
        "McConnell, Boehm & Basili and Stecklein et al., with Menzies et al. at the low end; the "
        "milder kinds are illustrative (data/SOURCES.md).",
        WHEN,
        ("escalation_curve",),
        FT.escalation_spec,
        FT.describe_escalation,
    ),
    FigureEntry(
        "completion",
        "When go-live happens",
        "Histogram of the simulated go-live time with P50, P80 and the target.",
        WHEN,
        ("simulate_schedule",),
        FT.completion_spec,
        FT.describe_completion,
    ),
    FigureEntry(
        "tornado",
        "Whose late engagement delays go-live",
        "Change in P50 when each department alone is engaged when its concerns fall due.",
        WHEN,
        ("simulate_schedule",),
        FT.tornado_spec,
        FT.describe_tornado,
    ),
    FigureEntry(
        "plan",
        "Recommended engagement plan",
        "Each department's current and recommended phase, and what the plan saves.",
        WHEN,
        ("recommend_plan",),
        FT.plan_spec,
        FT.describe_plan,
    ),
    FigureEntry(
        "adoption",
        "Adoption after launch",
        "Bass adoption curves under the current and the recommended plan (communications' "
        "earliness moves p; the learning share moves q).",
        WHEN,
        ("adoption", "adoption_recommended"),
        FT.adoption_spec,
        FT.describe_adoption,
    ),
    FigureEntry(
        "ranking",
        "Partner ranking",
        "Each partner's score with the drivers' criteria weights (TOPSIS), best at the top.",
        PARTNER,
        ("partner_ranking",),
        FP.ranking_spec,
        FP.describe_ranking,
    ),
    FigureEntry(
        "criteria",
        "Partners on each criterion",
        "Each partner's criterion scores normalised so that 1 is the best on the criterion.",
        PARTNER,
        ("partner_ranking",),
        FP.criteria_spec,
        FP.describe_criteria,
    ),
    FigureEntry(
        "expertise",
        "Expertise match with your team",
        "Cosine similarity of the team's expertise profile with each partner's.",
        PARTNER,
        ("expertise_match",),
        FP.expertise_spec,
        FP.describe_expertise,
    ),
    FigureEntry(
        "sensitivity",
        "How far each weight can move",
        "How far each criterion weight can move before the top partner changes.",
        PARTNER,
        ("weight_sensitivity",),
        FP.sensitivity_spec,
        FP.describe_sensitivity,
    ),
    FigureEntry(
        "whose_weights",
        "Whose weights win",
        "Each partner's score against the learning share of the weights; the band shows which "
        "partner wins, the dotted line where this scenario stands.",
        PARTNER,
        ("whose_weights_win",),
        FP.whose_weights_spec,
        FP.describe_whose_weights,
    ),
    FigureEntry(
        "partner_odds",
        "Partner odds: chance of each rank",
        "SMAA-2: each partner's probability of every rank when its uncertain scores vary "
        "within their ranges and the weights vary around the drivers'; the darkest segment is "
        "the chance of being the best choice, the confidence the chance of staying first at the "
        "partner's own typical weights.",
        PARTNER,
        ("rank_acceptability",),
        FD.acceptability_spec,
        FD.describe_acceptability,
    ),
    FigureEntry(
        "partner_voi",
        "What is worth finding out",
        "Value of information: what knowing each uncertain input (a department's weight, a "
        "partner's score, an authority) before choosing would be worth, in partner score. Inputs "
        "at or below the noise floor do not change the choice.",
        PARTNER,
        ("value_of_information",),
        FD.voi_spec,
        FD.describe_voi,
    ),
    FigureEntry(
        "levers",
        "Cheapest way for learning to drive",
        "The least costly combination of more authority for L&D, departments listening to L&D "
        "and decisions moved to L&D in the RACI that lifts the learning share to one half; each "
        "step is one lever's gain, with its cost in illustrative effort points.",
        ACT,
        ("combined_levers",),
        FD.levers_spec,
        FD.describe_levers,
    ),
    FigureEntry(
        "compare_measures",
        "Scenarios side by side",
        "One column per scenario, one row per measure; darker is better than the weakest.",
        COMPARE,
        ("comparison",),
        FC.measures_spec,
        FC.describe_measures,
        scope="comparison",
    ),
    FigureEntry(
        "compare_drive",
        "Who drives each scenario",
        "Shares of the final decision by function; the dotted line marks one half.",
        COMPARE,
        ("comparison",),
        FC.drive_comparison_spec,
        FC.describe_drive_comparison,
        scope="comparison",
    ),
    FigureEntry(
        "compare_completion",
        "Go-live time",
        "Share of simulated projects live by each week, the same draws for every scenario.",
        COMPARE,
        ("comparison",),
        FC.completion_comparison_spec,
        FC.describe_completion_comparison,
        scope="comparison",
    ),
    FigureEntry(
        "compare_adoption",
        "Adoption after launch",
        "Bass adoption curves.",
        COMPARE,
        ("comparison",),
        FC.adoption_comparison_spec,
        FC.describe_adoption_comparison,
        scope="comparison",
    ),
    FigureEntry(
        "compare_findings",
        "Findings by severity",
        "Critical, warning and information findings of each diagnosis.",
        COMPARE,
        ("comparison",),
        FC.findings_comparison_spec,
        FC.describe_findings_comparison,
        scope="comparison",
    ),
    FigureEntry(
        "pair",
        "Go-live, A against B",
        "The go-live distributions of two scenarios on the same random draws, with each P50 and "
        "the launch target.",
        WORKSHOP,
        ("pair", "pair_target"),
        FW.pair_spec,
        FW.describe_pair,
        scope="workshop",
    ),
    FigureEntry(
        "room",
        "The room's view",
        "The room's median and middle half of the ratings against the scenario's values.",
        WORKSHOP,
        ("room_view",),
        FW.room_view_spec,
        FW.describe_room_view,
        scope="workshop",
    ),
    FigureEntry(
        "explore_sensitivity",
        "What moves the measure",
        "The chosen sensitivity analysis of one measure: one input at a time (tornado), Morris "
        "screening (μ* against σ) or Sobol indices (share of the variance, alone and with "
        "interactions).",
        EXPLORE,
        ("sensitivity_analysis",),
        FE.sensitivity_spec,
        FE.describe_sensitivity,
        scope="explore",
    ),
    FigureEntry(
        "explore_sweep",
        "Every variant, input by input",
        "The sweep as parallel coordinates: one line per variant across the inputs and the "
        "measure, coloured by the measure; drag along an axis to keep a range.",
        EXPLORE,
        ("sweep",),
        FE.parallel_spec,
        FE.describe_sweep,
        scope="explore",
    ),
    FigureEntry(
        "explore_boxes",
        "Where the bad outcome concentrates",
        "The first PRIM box: each restricted input's range, the part inside the box in red; its "
        "density, coverage and size in the subtitle.",
        EXPLORE,
        ("discovery",),
        FE.boxes_spec,
        FE.describe_boxes,
        scope="explore",
    ),
):
    add(_entry)
