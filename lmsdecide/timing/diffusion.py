"""Adoption after launch: the Bass (1969) diffusion model, linked to engagement and drive.

Bass, F. M. (1969), "A New Product Growth for Model Consumer Durables", Management Science 15(5),
215-227. The share of learners who have adopted t weeks after launch is

    F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t)),

with p the coefficient of innovation (uptake driven from outside: the launch campaign, messaging)
and q the coefficient of imitation (uptake spreading from learner to learner: fit to learners'
needs). The adoption rate f = F' peaks at t* = ln(q / p) / (p + q) when q > p (at 0 otherwise),
and F reaches a share x at t_x = ln((1 + x q / p) / (1 - x)) / (p + q).

The links to the scenario are assumptions, each a declared, adjustable parameter (illustrative):

    p = p_late + (p_early - p_late) * earliness
    q = q_low + (q_high - q_low) * learning_share

``earliness`` in [0, 1] is the mean over communications and marketing departments of
(L - e) / L clipped to [0, 1] (e their engagement phase, L the launch phase): 1 when engaged in
the first phase, 0 when engaged at launch, after it, or never; 0 when the scenario has neither.
``learning_share`` is the share of the decision driven by learning and HR
(``lmsdecide.influence.who_drives``) or, with ``learning_share_from_model`` false or the
influence package unavailable, the parameter ``learning_share``.

Units: p and q per week, t in weeks since launch. For scale, Sultan, Farley & Lehmann (1990,
Journal of Marketing Research 27(1), 70-77) found average p = 0.03 and q = 0.38 *per year* for
consumer products; adoption of a workplace system is far quicker, hence per-week values.

Ceiling and launch readiness. Bass's F(t) tends to 1; the share of learners who will *ever* use
the LMS does not. The curve is m F(t'), with

    m  = m0 * (1 - missing_penalty) ** n_missing
    m0 = adoption_ceiling (scenario), else 1 when use is mandatory, else ``voluntary_ceiling``
    q' = q * (1 - missing_slowdown) ** n_missing_technical

n_missing counts the concerns due by launch that go-live goes without (not blocking, raised in
the launch phase or later: :attr:`~lmsdecide.timing.LateEngagementResult.missing_at_go_live`: a
launch
campaign that is not ready, reports nobody built), n_missing_technical those of them of an
integration, data, security or configuration kind (every extra log-in or missing record slows
word of mouth). Concerns that block go-live are never missing: they delay go-live instead. A
voluntary ceiling is below 1 by validation, so the share stays below 100 % unless use is
mandatory and nothing is missing. All four links are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import BoolParam, FloatParam, IntParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario
from lmsdecide.timing._common import frozen_array
from lmsdecide.timing.inputs import timing_inputs
from lmsdecide.timing.late import missing_at_go_live

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "ADOPTION_PARAMS",
    "AdoptionResult",
    "adoption",
    "bass_cumulative",
    "bass_density",
    "bass_peak_time",
    "bass_time_to",
    "communications_earliness",
]

BASS_SOURCE = "Bass (1969), Management Science 15(5); link: illustrative"
_GROUP = "Adoption"

P_LATE = FloatParam(
    name="p_late",
    label="Innovation p, comms engaged at launch",
    default=0.005,
    min=0.001,
    max=0.5,
    step=0.005,
    unit="per week",
    help="Bass coefficient of innovation when communications and marketing engage at launch or "
    "never: little campaign, little outside push.",
    source=BASS_SOURCE,
    group=_GROUP,
)
P_EARLY = FloatParam(
    name="p_early",
    label="Innovation p, comms engaged from the start",
    default=0.03,
    min=0.001,
    max=0.5,
    step=0.005,
    unit="per week",
    help="Bass coefficient of innovation when communications and marketing engage in the first "
    "phase; p rises linearly with how early they engage.",
    source=BASS_SOURCE,
    group=_GROUP,
)
Q_LOW = FloatParam(
    name="q_low",
    label="Imitation q, learning share 0",
    default=0.03,
    min=0.0,
    max=2.0,
    step=0.01,
    unit="per week",
    help="Bass coefficient of imitation when learning and HR drive none of the decision: the "
    "system fits learners' needs poorly and word of mouth is weak.",
    source=BASS_SOURCE,
    group=_GROUP,
)
Q_HIGH = FloatParam(
    name="q_high",
    label="Imitation q, learning share 1",
    default=0.12,
    min=0.0,
    max=2.0,
    step=0.01,
    unit="per week",
    help="Bass coefficient of imitation when learning and HR drive the whole decision; q rises "
    "linearly with the learning share.",
    source=BASS_SOURCE,
    group=_GROUP,
)
LEARNING_SHARE_FROM_MODEL = BoolParam(
    name="learning_share_from_model",
    label="Learning share from the influence model",
    default=True,
    help="Take the learning share from who_drives (influence network and authority); off, or "
    "when the influence model is unavailable, use the learning share below.",
    group=_GROUP,
)
LEARNING_SHARE = FloatParam(
    name="learning_share",
    label="Learning share (when not from the model)",
    default=0.5,
    min=0.0,
    max=1.0,
    step=0.01,
    unit="share",
    help="Share of the decision driven by learning and HR, used when it is not taken from the "
    "influence model.",
    group=_GROUP,
)
VOLUNTARY_CEILING = FloatParam(
    name="voluntary_ceiling",
    label="Ceiling when use is voluntary",
    default=0.8,
    min=0.05,
    max=0.99,
    step=0.01,
    unit="share of learners",
    help="Share of learners who will ever use a voluntary LMS, when the scenario gives no "
    "adoption_ceiling. Illustrative.",
    source="illustrative",
    group=_GROUP,
)
MISSING_PENALTY = FloatParam(
    name="missing_penalty",
    label="Ceiling lost per concern missing at go-live",
    default=0.05,
    min=0.0,
    max=0.5,
    step=0.01,
    unit="share of the ceiling",
    help="Each concern due by launch that go-live goes without (a campaign not ready, reports "
    "not built) lowers the ceiling by this share. Illustrative.",
    source="illustrative",
    group=_GROUP,
)
MISSING_SLOWDOWN = FloatParam(
    name="missing_slowdown",
    label="Imitation lost per missing technical concern",
    default=0.15,
    min=0.0,
    max=0.9,
    step=0.05,
    unit="share of q",
    help="Each integration, data, security or configuration concern missing at go-live lowers "
    "the imitation coefficient q by this share. Illustrative.",
    source="illustrative",
    group=_GROUP,
)
HORIZON = IntParam(
    name="horizon",
    label="Weeks after launch shown",
    default=52,
    min=4,
    max=520,
    unit="weeks",
    help="Length of the adoption curve after launch.",
    source="display setting",
    group=_GROUP,
)

ADOPTION_PARAMS = ParamSet(
    (
        P_LATE,
        P_EARLY,
        Q_LOW,
        Q_HIGH,
        LEARNING_SHARE_FROM_MODEL,
        LEARNING_SHARE,
        VOLUNTARY_CEILING,
        MISSING_PENALTY,
        MISSING_SLOWDOWN,
        HORIZON,
    )
)
TECHNICAL_KINDS = ("integration", "data", "security", "configuration")


def _pq(p: ArrayLike, q: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    p_arr, q_arr = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if not np.all(np.isfinite(p_arr)) or np.any(p_arr <= 0):
        raise ValueError(f"p: Bass coefficient of innovation must be finite and > 0, got {p!r}")
    if not np.all(np.isfinite(q_arr)) or np.any(q_arr < 0):
        raise ValueError(f"q: Bass coefficient of imitation must be finite and >= 0, got {q!r}")
    return p_arr, q_arr


def _out(x: NDArray[np.float64]) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def bass_cumulative(p: ArrayLike, q: ArrayLike, t: ArrayLike) -> Any:
    """Bass cumulative adoption F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).

    Parameters
    ----------
    p, q
        Coefficients of innovation (> 0) and imitation (>= 0), per unit of ``t``.
    t
        Time since launch (>= 0), e.g. weeks; arrays broadcast.

    Returns
    -------
    float or ndarray
        Share of the population that has adopted, in [0, 1). Source: Bass (1969).
    """
    p_arr, q_arr = _pq(p, q)
    t_arr = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(t_arr)) or np.any(t_arr < 0):
        raise ValueError(f"t: time since launch must be finite and >= 0, got {t!r}")
    e = np.exp(-(p_arr + q_arr) * t_arr)
    return _out((1.0 - e) / (1.0 + (q_arr / p_arr) * e))


def bass_density(p: ArrayLike, q: ArrayLike, t: ArrayLike) -> Any:
    """Adoption rate f(t) = F'(t) = ((p+q)^2 / p) e / (1 + (q/p) e)^2, e = e^{-(p+q)t}."""
    p_arr, q_arr = _pq(p, q)
    t_arr = np.asarray(t, dtype=float)
    e = np.exp(-(p_arr + q_arr) * t_arr)
    return _out((p_arr + q_arr) ** 2 / p_arr * e / (1.0 + (q_arr / p_arr) * e) ** 2)


def bass_peak_time(p: ArrayLike, q: ArrayLike) -> Any:
    """Time of the peak adoption rate, ln(q/p)/(p+q) when q > p, else 0 (Bass 1969)."""
    p_arr, q_arr = _pq(p, q)
    ratio = np.where(q_arr > p_arr, q_arr / p_arr, 1.0)
    return _out(np.log(ratio) / (p_arr + q_arr))


def bass_time_to(share: ArrayLike, p: ArrayLike, q: ArrayLike) -> Any:
    """Time at which F reaches ``share``: ln((1 + share q/p) / (1 - share)) / (p + q)."""
    p_arr, q_arr = _pq(p, q)
    x = np.asarray(share, dtype=float)
    if not np.all((x >= 0) & (x < 1)):
        raise ValueError(f"share: must be in [0, 1), got {share!r}")
    return _out(np.log((1.0 + x * q_arr / p_arr) / (1.0 - x)) / (p_arr + q_arr))


def communications_earliness(scenario: Scenario) -> float:
    """Mean over communications/marketing departments of clip((L - e)/L, 0, 1); 0 if none."""
    launch = scenario.launch_index
    values = []
    for dept in scenario.departments:
        if dept.function not in ("communications", "marketing"):
            continue
        e = scenario.engagement_index(dept.id)
        if launch == 0:
            values.append(1.0 if e == 0 else 0.0)
        else:
            values.append(min(max((launch - e) / launch, 0.0), 1.0))
    return float(np.mean(values)) if values else 0.0


def _learning_share_from_model(scenario: Scenario) -> float | None:
    try:
        from lmsdecide import influence
    except ImportError:
        return None
    who_drives = getattr(influence, "who_drives", None)
    if who_drives is None:
        return None
    share = float(who_drives(scenario).learning_share)
    return min(max(share, 0.0), 1.0)


@dataclass(frozen=True, eq=False)
class AdoptionResult(ArrayEq):
    """Adoption curve after launch.

    Attributes
    ----------
    t
        Weeks since launch (0..horizon, step 0.5).
    share
        m F(t): share of learners who have adopted, below the ceiling m.
    adopters
        share * learners.
    p, q
        Coefficients used (per week); ``earliness`` and ``learning_share`` are their inputs and
        ``learning_share_source`` says where the share came from.
    ceiling, base_ceiling
        m after and m0 before what is missing at go-live (share of learners).
    missing
        Concerns go-live goes without (names); ``missing_technical`` counts the technical ones.
    t50, t80
        Weeks from launch to 50% and 80% of the learners (closed form; inf when the ceiling is
        below that share).
    peak_time
        Weeks from launch to the highest adoption rate.
    assumptions
        Every parameter value used, by name.
    """

    scenario_name: str
    t: NDArray[np.float64]
    share: NDArray[np.float64]
    adopters: NDArray[np.float64]
    learners: int
    p: float
    q: float
    earliness: float
    learning_share: float
    learning_share_source: str
    ceiling: float
    base_ceiling: float
    mandatory: bool
    missing: tuple[str, ...]
    missing_technical: int
    t50: float
    t80: float
    peak_time: float
    assumptions: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One row per time point: ``weeks``, ``share``, ``adopters``."""
        return pd.DataFrame({"weeks": self.t, "share": self.share, "adopters": self.adopters})


@register_model(label="Adoption after launch (Bass)", area="timing", params=ADOPTION_PARAMS)
def adoption(
    scenario: Scenario,
    *,
    p_late: float = P_LATE.default,
    p_early: float = P_EARLY.default,
    q_low: float = Q_LOW.default,
    q_high: float = Q_HIGH.default,
    learning_share_from_model: bool = LEARNING_SHARE_FROM_MODEL.default,
    learning_share: float = LEARNING_SHARE.default,
    voluntary_ceiling: float = VOLUNTARY_CEILING.default,
    missing_penalty: float = MISSING_PENALTY.default,
    missing_slowdown: float = MISSING_SLOWDOWN.default,
    horizon: int = HORIZON.default,
) -> AdoptionResult:
    """Adoption after launch: a Bass curve under a ceiling lowered by what is missing at go-live.

    p = p_late + (p_early - p_late) * earliness; q = (q_low + (q_high - q_low) * learning_share)
    * (1 - missing_slowdown) ** n_missing_technical; share = m F(t) with the ceiling m of the
    module docstring; F by :func:`bass_cumulative`, t50 and t80 by :func:`bass_time_to` on
    x / m (the links are illustrative assumptions).

    Returns
    -------
    AdoptionResult
    """
    # checked and converted by register_model's wrapper: this is the record
    values = ADOPTION_PARAMS.values_from(locals())
    earliness = communications_earliness(scenario)
    share_used, source = learning_share, "parameter learning_share"
    if learning_share_from_model:
        modelled = _learning_share_from_model(scenario)
        if modelled is None:
            source = "parameter learning_share (influence model not available)"
        else:
            share_used, source = modelled, "influence model (who_drives)"
    p = p_late + (p_early - p_late) * earliness
    # the late-engagement model's missing_at_go_live, at its default assumptions
    missing, kinds = missing_at_go_live(timing_inputs(scenario))
    n_tech = sum(kind in TECHNICAL_KINDS for kind in kinds)
    q = (q_low + (q_high - q_low) * share_used) * (1.0 - missing_slowdown) ** n_tech
    if scenario.adoption_ceiling is not None:
        base = float(scenario.adoption_ceiling)
    else:
        base = 1.0 if scenario.mandatory_use else voluntary_ceiling
    ceiling = base * (1.0 - missing_penalty) ** len(missing)
    t = np.arange(0.0, values["horizon"] + 0.25, 0.5)
    share = ceiling * np.asarray(bass_cumulative(p, q, t))

    def time_to(x: float) -> float:
        return float(bass_time_to(x / ceiling, p, q)) if x < ceiling else float("inf")

    return AdoptionResult(
        scenario_name=scenario.name,
        t=frozen_array(t),
        share=frozen_array(share),
        adopters=frozen_array(share * scenario.learners),
        learners=scenario.learners,
        p=float(p),
        q=float(q),
        earliness=earliness,
        learning_share=float(share_used),
        learning_share_source=source,
        ceiling=float(ceiling),
        base_ceiling=float(base),
        mandatory=bool(scenario.mandatory_use),
        missing=missing,
        missing_technical=n_tech,
        t50=time_to(0.5),
        t80=time_to(0.8),
        peak_time=float(bass_peak_time(p, q)),
        assumptions=values,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
