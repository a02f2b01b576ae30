"""Schedule risk: Monte Carlo completion time with a project-wide overrun and rework delay.

For draw i (all draws at once, vectorised; a seeded ``numpy.random.Generator``):

    D_ik ~ beta-PERT(a_k, m_k, b_k)                     phase durations (weeks)
    O_i  = exp(sigma Z_i) * (1 + B_i T_i)               project-wide overrun factor
           Z_i ~ N(0, 1); B_i ~ Bernoulli(tail_probability);
           T_i ~ Pareto(x_m = tail_min, alpha = 2) truncated at tail_max
    u_i  ~ U(0, 1)                                      escalation percentile of the project
    m_ij = min(cap_j, g_ij ** k_j), g_ij = low_j (high_j / low_j) ** u_i
    R_ij = effort_j (m_ij - 1)                          rework of late concern j (person-weeks)
    delay_i = min(max_delay, sum_j w_j R_ij / capacity)
    completion_i = O_i * sum_{k <= L} D_ik + delay_i

with L the launch phase (go-live at its end), k_j the phases concern j is late, and w_j its
critical share (1 - parallel_share in the project, 1 when it blocks go-live and is found at
launch, 0 when it is done after go-live; :mod:`lmsdecide.timing.late`). The shared factor O makes
the phases' durations positively correlated (a project that overruns one phase tends to overrun
all: estimating, staffing and scope are project-wide); its lognormal body has median 1 (sigma
illustrative), its heavy right tail follows Flyvbjerg & Budzier (2011): about one IT project in
six is a "black swan" whose schedule overruns by almost 70 % on average (truncated Pareto with
alpha = 2, x_m = 0.4, cap 2: mean +67 %). ``finish`` adds the post-launch phases.

Plan comparisons (:func:`compare_plans`) evaluate both plans on the same draws (common random
numbers), so the difference between plans carries only the plans' effect, not sampling noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import ChoiceParam, FloatParam, IntParam, ParamSet
from lmsdecide.registry import register_model, validated
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing._common import as_generator, frozen_array
from lmsdecide.timing.escalation import multiplier_draws
from lmsdecide.timing.inputs import (
    INTEGRATOR_SETUP_EFFORT,
    PARTNER_EFFECTS,
    PARTNER_PARAMS,
    RESELLER_INTEGRATION_EFFORT,
    SPECIALIST_EMBED_FACTOR,
    TimingInputs,
    engagement_vector,
    timing_inputs,
)
from lmsdecide.timing.late import (
    MAX_DELAY,
    PARALLEL_SHARE,
    REWORK_CAPACITY,
    REWORK_PARAMS,
    critical_weights,
)
from lmsdecide.timing.pert import pert_mean, pert_sample
from lmsdecide.timing.qmc import pert_ppf, qmc_points, replicate_errors
from lmsdecide.timing.rule import recommended_engagement

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "DRAWS",
    "ENGINE",
    "OVERRUN_PARAMS",
    "REPLICATES",
    "SCHEDULE_PARAMS",
    "PlanComparisonResult",
    "ScheduleRiskResult",
    "compare_plans",
    "simulate_schedule",
]

DRAWS = IntParam(
    name="n",
    label="Monte Carlo draws",
    default=10_000,
    min=100,
    max=2_000_000,
    step=1000,
    unit="draws",
    help="Number of simulated projects. 10,000 gives P50/P80 to within a few tenths of a week.",
    source="numerical setting",
    group="Simulation",
)
ENGINE = ChoiceParam(
    name="engine",
    label="Sampling engine",
    default="mc",
    choices=("mc", "qmc"),
    unit="",
    help="mc: pseudo-random Monte Carlo. qmc: scrambled Sobol points (randomised quasi-Monte "
    "Carlo), the same accuracy from fewer draws: the draws are rounded up to replicates x a "
    "power of two.",
    source="Sobol (1967); Owen (1995); L'Ecuyer & Lemieux (2002)",
    group="Simulation",
)
REPLICATES = IntParam(
    name="replicates",
    label="Replicates (standard error)",
    default=16,
    min=2,
    max=64,
    step=1,
    unit="replicates",
    help="Independent scrambles (qmc) or batches of draws (mc) whose spread gives the "
    "standard errors of the mean, P50, P80 and on-time probability.",
    source="numerical setting",
    group="Simulation",
)
_OVERRUN = "Project-wide overrun"
OVERRUN_SIGMA = FloatParam(
    name="overrun_sigma",
    label="Shared overrun spread (sigma)",
    default=0.1,
    min=0.0,
    max=0.5,
    step=0.01,
    unit="log-scale sd",
    help="Standard deviation of log O, the overrun factor every phase of a project shares "
    "(median 1): 0 keeps the phases independent; 0.1 makes a project 10 % over or under plan "
    "about as often as one phase's own spread does. Illustrative.",
    source="illustrative",
    group=_OVERRUN,
)
TAIL_PROBABILITY = FloatParam(
    name="tail_probability",
    label="Black-swan probability",
    default=0.17,
    min=0.0,
    max=0.5,
    step=0.01,
    unit="probability",
    help="Chance that the project is one of the IT 'black swans' with a heavy schedule overrun "
    "(Flyvbjerg & Budzier 2011: one IT project in six).",
    source="Flyvbjerg & Budzier (2011), Harvard Business Review 89(9)",
    group=_OVERRUN,
)
TAIL_MIN = FloatParam(
    name="tail_min",
    label="Black-swan overrun, minimum",
    default=0.4,
    min=0.0,
    max=2.0,
    step=0.05,
    unit="share of plan",
    help="Smallest extra overrun of a black-swan project (Pareto x_m, alpha 2): with the cap "
    "below the mean is +67 %, Flyvbjerg & Budzier's 'almost 70 %'. Calibrated, illustrative.",
    source="calibrated to Flyvbjerg & Budzier (2011); illustrative",
    group=_OVERRUN,
)
TAIL_MAX = FloatParam(
    name="tail_max",
    label="Black-swan overrun, maximum",
    default=2.0,
    min=0.0,
    max=5.0,
    step=0.1,
    unit="share of plan",
    help="Largest extra overrun drawn (the Pareto tail is truncated here). Illustrative.",
    source="illustrative",
    group=_OVERRUN,
)
#: The project-wide overrun factor's parameters.
OVERRUN_PARAMS = ParamSet((OVERRUN_SIGMA, TAIL_PROBABILITY, TAIL_MIN, TAIL_MAX))
_TAIL_ALPHA = 2.0

SCHEDULE_PARAMS = (
    ParamSet((DRAWS, ENGINE, REPLICATES)) + REWORK_PARAMS + OVERRUN_PARAMS + PARTNER_PARAMS
)


@dataclass(frozen=True)
class Draws:
    """The random numbers of one simulation, shared by every plan evaluated on it."""

    durations: NDArray[np.float64]  # (n, K) weeks
    u: NDArray[np.float64]  # (n,) escalation percentile
    z: NDArray[np.float64]  # (n,) standard normal of the shared overrun
    tail: NDArray[np.float64]  # (n,) uniform: black swan when below tail_probability
    v: NDArray[np.float64]  # (n,) uniform: percentile of the black-swan overrun


def draw(
    inputs: TimingInputs,
    n: int,
    rng: np.random.Generator,
    engine: str = "mc",
    replicates: int = REPLICATES.default,
) -> Draws:
    """Draw phase durations (beta-PERT), escalation percentiles and the overrun's variates.

    ``engine="mc"``: ``n`` pseudo-random draws. ``engine="qmc"``: ``replicates`` scrambles of
    ``2**k`` Sobol points each, ``replicates * 2**k >= n`` (:mod:`lmsdecide.timing.qmc`), mapped
    by inverse CDFs; the durations by table.
    """
    if engine == "qmc":
        points = qmc_points(n, inputs.n_phases, replicates, rng)
        return Draws(
            durations=pert_ppf(points["p"], inputs.optimistic, inputs.likely, inputs.pessimistic),
            u=points["u"],
            z=points["z"],
            tail=points["tail"],
            v=points["v"],
        )
    if engine != "mc":
        raise ValueError(f"engine: must be one of mc, qmc; got {engine!r}")
    durations = pert_sample(
        inputs.optimistic, inputs.likely, inputs.pessimistic, size=(n, inputs.n_phases), rng=rng
    )
    u = rng.random(n)
    z = rng.standard_normal(n)
    extra = rng.random((2, n))
    return Draws(durations=durations, u=u, z=z, tail=extra[0], v=extra[1])


def overrun_factor(
    draws: Draws,
    overrun_sigma: float = OVERRUN_SIGMA.default,
    tail_probability: float = TAIL_PROBABILITY.default,
    tail_min: float = TAIL_MIN.default,
    tail_max: float = TAIL_MAX.default,
) -> NDArray[np.float64]:
    """O_i = exp(sigma Z_i) (1 + B_i T_i), T Pareto(tail_min, alpha 2) truncated at tail_max."""
    factor = np.exp(overrun_sigma * draws.z)
    if tail_probability > 0 and tail_max > 0:
        lo = min(tail_min, tail_max)
        if lo > 0:
            # inverse CDF of the Pareto truncated at tail_max
            span = 1.0 - (lo / tail_max) ** _TAIL_ALPHA
            t = lo / (1.0 - draws.v * span) ** (1.0 / _TAIL_ALPHA)
        else:
            t = draws.v * tail_max
        factor *= np.where(draws.tail < tail_probability, 1.0 + t, 1.0)
    return factor


@dataclass(frozen=True)
class Evaluation:
    """One plan evaluated on a set of draws (arrays, one entry per draw)."""

    completion: NDArray[np.float64]
    finish: NDArray[np.float64]
    rework: NDArray[np.float64]  # person-weeks, all concerns
    delay: NDArray[np.float64]  # weeks of go-live delay (capped)
    critical: NDArray[np.float64]  # (n,) critical rework, person-weeks (before the cap)
    base: NDArray[np.float64]  # (n,) go-live without rework delay, weeks
    late: NDArray[np.int64]  # indices of late concerns
    late_rework: NDArray[np.float64]  # (n, n_late) person-weeks
    late_weight: NDArray[np.float64]  # (n_late,) critical share
    surface: NDArray[np.int64]


def evaluate(
    inputs: TimingInputs,
    draws: Draws,
    engagement: NDArray[np.int64],
    rework_capacity: float = REWORK_CAPACITY.default,
    pre_launch_durations: NDArray[np.float64] | None = None,
    *,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    overrun: NDArray[np.float64] | None = None,
    **overrun_params: float,
) -> Evaluation:
    """Completion, rework and delay per draw for one engagement plan (no Python loop over draws).

    ``overrun`` (the factor O per draw) is computed from ``overrun_params`` when not given.
    """
    launch = inputs.launch_index
    surface = inputs.surface(engagement)
    late = np.flatnonzero(surface > inputs.due)
    k = inputs.n_phases
    if pre_launch_durations is None:
        pre_launch_durations = draws.durations[:, : launch + 1].sum(axis=1)
    if overrun is None:
        overrun = overrun_factor(draws, **overrun_params)
    post = draws.durations[:, launch + 1 : k].sum(axis=1)
    n = draws.u.shape[0]
    weight_all = critical_weights(inputs, surface, parallel_share)
    if late.size:
        late_rework = multiplier_draws(
            inputs.esc_low[late],
            inputs.esc_high[late],
            inputs.esc_cap[late],
            inputs.lateness(surface)[late],
            draws.u,
        )
        late_rework -= 1.0
        late_rework *= inputs.effort[late]
        rework = late_rework.sum(axis=1)
        weight = weight_all[late]
        critical = late_rework @ weight
    else:
        late_rework = np.zeros((n, 0))
        rework = np.zeros(n)
        weight = np.zeros(0)
        critical = np.zeros(n)
    delay = np.minimum(critical / rework_capacity, max_delay)
    base = overrun * pre_launch_durations
    return Evaluation(
        completion=base + delay,
        finish=base + overrun * post + delay,
        rework=rework,
        delay=delay,
        critical=critical,
        base=base,
        late=late,
        late_rework=late_rework,
        late_weight=weight,
        surface=surface,
    )


@dataclass(frozen=True, eq=False)
class ScheduleRiskResult(ArrayEq):
    """Completion-time distribution of a scenario's plan.

    Attributes
    ----------
    completion
        Go-live time of each simulated project, weeks from the start (read-only array).
    finish
        End of the last phase (go-live plus post-launch phases), weeks.
    rework
        Rework of each draw, person-weeks (all late concerns, also after go-live).
    delay
        Go-live delay of each draw from rework, weeks (capped at ``max_delay``).
    overrun
        The project-wide overrun factor O of each draw (1 = as planned).
    p10, p50, p80, p90, mean
        Percentiles and mean of ``completion``, weeks.
    on_time_probability
        Share of draws with completion <= ``launch_target``.
    planned
        Sum of the PERT means of the phases up to go-live: the plan with no rework, weeks.
    n, engine, replicates
        Draws made (with ``engine="qmc"`` the requested number rounded up to ``replicates``
        times a power of two), the sampling engine and the replicates of the standard errors.
    se_mean, se_p50, se_p80, se_on_time_probability
        Standard errors of ``mean``, ``p50``, ``p80`` (weeks) and ``on_time_probability``
        from ``replicates`` independent scrambles (qmc) or batches of draws (mc); NaN when
        not computed. :meth:`precision` tabulates them.
    phases
        Per-phase contributions: ``phase``, ``name``, ``index``, ``mean_duration``,
        ``mean_rework`` (person-weeks surfacing in the phase), ``mean_delay`` (weeks, before the
        cap), ``mean_total`` (duration + delay for phases up to go-live), ``post_launch``; a final
        row ``after_launch`` holds rework of concerns that surface after the last phase.
    tornado
        Per department: ``department``, ``function``, ``engaged``, ``engage_at`` (its
        recommended phase, :func:`lmsdecide.timing.rule.recommended_engagement`; ``""`` when it
        has no concern), ``p50_change`` and ``mean_change`` (weeks; negative = earlier go-live)
        when that department alone is engaged at ``engage_at``; largest saving first.
    """

    scenario_name: str
    n: int
    seed: int | None
    completion: NDArray[np.float64]
    finish: NDArray[np.float64]
    rework: NDArray[np.float64]
    delay: NDArray[np.float64]
    overrun: NDArray[np.float64]
    p10: float
    p50: float
    p80: float
    p90: float
    mean: float
    on_time_probability: float
    launch_target: float
    planned: float
    phases: pd.DataFrame
    tornado: pd.DataFrame
    partner_notes: tuple[str, ...]
    assumptions: dict[str, Any]
    engine: str = "mc"
    replicates: int = REPLICATES.default
    se_mean: float = float("nan")
    se_p50: float = float("nan")
    se_p80: float = float("nan")
    se_on_time_probability: float = float("nan")

    def precision(self) -> pd.DataFrame:
        """Each estimate with its standard error: ``statistic``, ``estimate``, ``standard_error``.

        Rows ``mean``, ``p50``, ``p80`` (weeks) and ``on_time_probability``; the standard error
        is the spread of the ``replicates`` scrambles (qmc) or batches (mc) over sqrt(R)
        (:func:`lmsdecide.timing.qmc.replicate_errors`).
        """
        names = ("mean", "p50", "p80", "on_time_probability")
        return pd.DataFrame(
            {
                "statistic": list(names),
                "estimate": [float(getattr(self, n)) for n in names],
                "standard_error": [float(getattr(self, f"se_{n}")) for n in names],
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: ``draw``, ``completion``, ``finish``, ``rework``, ``delay``."""
        return pd.DataFrame(
            {
                "draw": np.arange(self.n),
                "completion": self.completion,
                "finish": self.finish,
                "rework": self.rework,
                "delay": self.delay,
            }
        )

    def explain(self) -> str:
        """One sentence with the numbers: where P50 comes from (plan, overrun, rework delay)."""
        delay_p50 = float(np.median(self.delay))
        return (
            f"Go-live P50 {self.p50:.1f} weeks (P80 {self.p80:.1f}) against a plan of "
            f"{self.planned:.1f} weeks and a target of {self.launch_target:g}: the shared overrun "
            f"factor has median {float(np.median(self.overrun)):.2f} (P90 "
            f"{float(np.percentile(self.overrun, 90)):.2f}), and rework delays go-live by "
            f"{delay_p50:.1f} weeks at the median ({float(np.mean(self.delay)):.1f} on average, "
            f"at most {float(self.assumptions['max_delay']):g}); "
            f"{self.on_time_probability:.0%} of {self.n:,} simulated projects meet the target."
        )


def _percentiles(x: NDArray[np.float64], axis: int = 0) -> tuple[Any, Any]:
    p50, p80 = np.percentile(x, [50.0, 80.0], axis=axis)
    return p50, p80


def _phase_contributions(
    inputs: TimingInputs, draws: Draws, ev: Evaluation, capacity: float
) -> pd.DataFrame:
    k = inputs.n_phases
    rework_by_phase = np.zeros(k + 1)
    delay_by_phase = np.zeros(k + 1)
    if ev.late.size:
        mean_rework = ev.late_rework.mean(axis=0)
        np.add.at(rework_by_phase, ev.surface[ev.late], mean_rework)
        np.add.at(delay_by_phase, ev.surface[ev.late], mean_rework * ev.late_weight / capacity)
    pre = np.arange(k + 1) <= inputs.launch_index
    duration = np.append(draws.durations.mean(axis=0), 0.0)
    return pd.DataFrame(
        {
            "phase": [*inputs.phase_ids, "after_launch"],
            "name": [*inputs.phase_names, "After the last phase"],
            "index": np.arange(k + 1),
            "mean_duration": duration,
            "mean_rework": rework_by_phase,
            "mean_delay": delay_by_phase,
            "mean_total": np.where(pre, duration + delay_by_phase, 0.0),
            "post_launch": ~pre,
        }
    )


def _tornado(
    inputs: TimingInputs,
    ev: Evaluation,
    p50: float,
    mean: float,
    capacity: float,
    max_delay: float,
) -> pd.DataFrame:
    n_dept = len(inputs.dept_ids)
    p50_change = np.zeros(n_dept)
    mean_change = np.zeros(n_dept)
    recommended = recommended_engagement(inputs)
    if ev.late.size:
        owners = inputs.concern_dept[ev.late]
        critical = ev.late_weight > 0
        # a loop over the few departments with late critical concerns, not over draws; at its
        # recommended phase (never after its first due phase) none of its concerns is late
        for d in np.unique(owners[critical & (owners >= 0)]):
            columns = np.flatnonzero(critical & (owners == d))
            rest = ev.critical - ev.late_rework[:, columns] @ ev.late_weight[columns]
            completion = ev.base + np.minimum(rest / capacity, max_delay)
            p50_change[d] = np.percentile(completion, 50.0) - p50
            mean_change[d] = completion.mean() - mean
    k = inputs.n_phases
    has_concern = np.isin(np.arange(n_dept), inputs.concern_dept)
    engage_at = [
        (NEVER if e >= k else inputs.phase_ids[e]) if has_concern[i] else ""
        for i, e in enumerate(recommended)
    ]
    engaged = [NEVER if e >= k else inputs.phase_ids[e] for e in inputs.engagement]
    # sorted by p50 then mean change (stable), ordered before the frame is built: pandas'
    # sort_values on the string columns cost more than the rest of the tornado (bench_timing)
    order = np.lexsort((mean_change, p50_change)).tolist()
    return pd.DataFrame(
        {
            "department": [inputs.dept_ids[i] for i in order],
            "name": [inputs.dept_names[i] for i in order],
            "function": [inputs.dept_functions[i] for i in order],
            "engaged": [engaged[i] for i in order],
            "engage_at": [engage_at[i] for i in order],
            "p50_change": p50_change[order],
            "mean_change": mean_change[order],
        }
    )


def _partner_kwargs(**values: Any) -> dict[str, Any]:
    return {name: values[name] for name in PARTNER_PARAMS.names}


def model_kwargs(values: Mapping[str, Any]) -> dict[str, Any]:
    """The rework and overrun keyword arguments of :func:`evaluate` from validated values."""
    return {
        name: values[name]
        for name in (*REWORK_PARAMS.names, *OVERRUN_PARAMS.names)
        if name != "rework_capacity"
    }


@register_model(label="Schedule risk (Monte Carlo)", area="timing", params=SCHEDULE_PARAMS)
def simulate_schedule(
    scenario: Scenario,
    n: int = DRAWS.default,
    seed: int | np.random.Generator | None = None,
    *,
    engine: str = ENGINE.default,
    replicates: int = REPLICATES.default,
    rework_capacity: float = REWORK_CAPACITY.default,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    overrun_sigma: float = OVERRUN_SIGMA.default,
    tail_probability: float = TAIL_PROBABILITY.default,
    tail_min: float = TAIL_MIN.default,
    tail_max: float = TAIL_MAX.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> ScheduleRiskResult:
    """Monte Carlo go-live time of the scenario's engagement plan.

    completion = O * (sum of beta-PERT phase durations up to the launch phase) + min(max_delay,
    critical rework / rework_capacity), O the project-wide overrun factor with its heavy tail
    and the rework of each late concern drawn from its kind's escalation (see the module
    docstring). Vectorised over draws.

    Parameters
    ----------
    scenario
        The project.
    n
        Number of draws (100 to 2,000,000). With ``engine="qmc"`` it is rounded up to
        ``replicates * 2**k`` (Sobol points balance in powers of two): ``n=2000`` with 16
        replicates draws 2,048, ``n=10_000`` draws 16,384; the result's ``n`` is the number
        drawn.
    seed
        Seed (or Generator) of the ``numpy.random.Generator``; the same seed gives the same draws
        (with ``"qmc"``, the same scrambles).
    engine
        ``"mc"`` (default): pseudo-random draws. ``"qmc"``: randomised quasi-Monte Carlo,
        scrambled Sobol points and inverse CDFs (:mod:`lmsdecide.timing.qmc`): the same standard
        error from fewer draws, most for the mean, less for P50/P80 and the on-time probability.
    replicates
        Independent scrambles (qmc) or batches (mc), 2 to 64, whose spread gives the standard
        errors ``se_mean``, ``se_p50``, ``se_p80``, ``se_on_time_probability``.
    rework_capacity, parallel_share, max_delay
        How rework becomes delay (:mod:`lmsdecide.timing.late`; illustrative).
    overrun_sigma, tail_probability, tail_min, tail_max
        The project-wide overrun factor (module docstring).
    partner_effects, reseller_integration_effort, integrator_setup_effort, specialist_embed_factor
        The selected partner type's effects (:mod:`lmsdecide.timing.inputs`).

    Returns
    -------
    ScheduleRiskResult
        ``completion`` (weeks per draw), ``p50``, ``p80``, ``on_time_probability`` against
        ``launch_target`` with their standard errors, per-phase contributions and the
        department tornado.

    Raises
    ------
    lmsdecide.params.ParamError
        A value out of its declared range or of the wrong type (``engine: must be one of mc,
        qmc; got 'sobol'``), checked by the registry's wrapper on every call, direct calls
        included (:func:`lmsdecide.registry.validated`).
    """
    # checked and converted by register_model's wrapper: this is the record
    values = SCHEDULE_PARAMS.values_from(locals())
    rng = as_generator(seed)
    inputs = timing_inputs(scenario, **_partner_kwargs(**values))
    draws = draw(inputs, n, rng, engine, replicates)
    kwargs = model_kwargs(values)
    overrun = overrun_factor(draws, **{k: kwargs.pop(k) for k in OVERRUN_PARAMS.names})
    ev = evaluate(
        inputs,
        draws,
        np.asarray(inputs.engagement),
        rework_capacity,
        overrun=overrun,
        **kwargs,
    )
    p10, p50, p80, p90 = np.percentile(ev.completion, [10.0, 50.0, 80.0, 90.0])
    mean = float(ev.completion.mean())
    means = np.asarray(pert_mean(inputs.optimistic, inputs.likely, inputs.pessimistic))
    planned = float(means[: inputs.launch_index + 1].sum())
    errors = replicate_errors(ev.completion, inputs.launch_target, replicates)
    return ScheduleRiskResult(
        scenario_name=scenario.name,
        n=int(ev.completion.size),
        seed=seed if isinstance(seed, int) else None,
        completion=frozen_array(ev.completion),
        finish=frozen_array(ev.finish),
        rework=frozen_array(ev.rework),
        delay=frozen_array(ev.delay),
        overrun=frozen_array(overrun),
        p10=float(p10),
        p50=float(p50),
        p80=float(p80),
        p90=float(p90),
        mean=mean,
        on_time_probability=float(np.mean(ev.completion <= inputs.launch_target)),
        launch_target=inputs.launch_target,
        planned=planned,
        phases=_phase_contributions(inputs, draws, ev, rework_capacity),
        tornado=_tornado(inputs, ev, float(p50), mean, rework_capacity, max_delay),
        partner_notes=inputs.partner_notes,
        assumptions=values,
        engine=engine,
        replicates=replicates,
        se_mean=errors["mean"],
        se_p50=errors["p50"],
        se_p80=errors["p80"],
        se_on_time_probability=errors["on_time_probability"],
    )


@dataclass(frozen=True, eq=False)
class PlanComparisonResult(ArrayEq):
    """Two engagement plans on the same draws (common random numbers).

    ``difference`` = completion_a - completion_b per draw (weeks; positive: A launches later).
    """

    labels: tuple[str, str]
    engagement_a: dict[str, str]
    engagement_b: dict[str, str]
    completion_a: NDArray[np.float64]
    completion_b: NDArray[np.float64]
    rework_a: NDArray[np.float64]
    rework_b: NDArray[np.float64]
    p50_a: float
    p50_b: float
    p80_a: float
    p80_b: float
    on_time_a: float
    on_time_b: float
    launch_target: float
    mean_difference: float
    difference_se: float
    n: int

    @property
    def difference(self) -> NDArray[np.float64]:
        """completion_a - completion_b per draw, weeks."""
        return self.completion_a - self.completion_b

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per draw and plan (``draw``, ``plan``, ``completion``, ``rework``)."""
        idx = np.arange(self.n)
        return pd.DataFrame(
            {
                "draw": np.concatenate([idx, idx]),
                "plan": [self.labels[0]] * self.n + [self.labels[1]] * self.n,
                "completion": np.concatenate([self.completion_a, self.completion_b]),
                "rework": np.concatenate([self.rework_a, self.rework_b]),
            }
        )


def _plan_dict(inputs: TimingInputs, eng: NDArray[np.int64]) -> dict[str, str]:
    k = inputs.n_phases
    return {
        d: (NEVER if e >= k else inputs.phase_ids[e])
        for d, e in zip(inputs.dept_ids, eng, strict=True)
    }


def compare_engagements(
    inputs: TimingInputs,
    plans: Sequence[NDArray[np.int64]],
    n: int,
    seed: int | np.random.Generator | None,
    rework_capacity: float = REWORK_CAPACITY.default,
    **kwargs: Any,
) -> list[Evaluation]:
    """Evaluate several engagement vectors on one set of draws (common random numbers).

    ``kwargs``: the rework and overrun parameters of :func:`evaluate`.
    """
    draws = draw(inputs, n, as_generator(seed))
    pre = draws.durations[:, : inputs.launch_index + 1].sum(axis=1)
    overrun = overrun_factor(
        draws, **{k: kwargs.pop(k) for k in OVERRUN_PARAMS.names if k in kwargs}
    )
    return [
        evaluate(inputs, draws, np.asarray(p), rework_capacity, pre, overrun=overrun, **kwargs)
        for p in plans
    ]


#: compare_plans' declared arguments: the schedule model's, but one engine (plain draws, shared).
_COMPARE_PARAMS = ParamSet((DRAWS,)) + REWORK_PARAMS + OVERRUN_PARAMS + PARTNER_PARAMS


@validated(_COMPARE_PARAMS)
def compare_plans(
    scenario: Scenario,
    engagement_a: Mapping[str, str] | None = None,
    engagement_b: Mapping[str, str] | None = None,
    n: int = DRAWS.default,
    seed: int | np.random.Generator | None = None,
    *,
    labels: tuple[str, str] = ("plan A", "plan B"),
    rework_capacity: float = REWORK_CAPACITY.default,
    parallel_share: float = PARALLEL_SHARE.default,
    max_delay: float = MAX_DELAY.default,
    overrun_sigma: float = OVERRUN_SIGMA.default,
    tail_probability: float = TAIL_PROBABILITY.default,
    tail_min: float = TAIL_MIN.default,
    tail_max: float = TAIL_MAX.default,
    partner_effects: bool = PARTNER_EFFECTS.default,
    reseller_integration_effort: float = RESELLER_INTEGRATION_EFFORT.default,
    integrator_setup_effort: float = INTEGRATOR_SETUP_EFFORT.default,
    specialist_embed_factor: float = SPECIALIST_EMBED_FACTOR.default,
) -> PlanComparisonResult:
    """Completion of two engagement plans on the same draws (common random numbers).

    Parameters
    ----------
    engagement_a, engagement_b
        Department id -> phase id or ``"never"``, overriding the scenario's plan (``None``: the
        scenario's own plan). Departments not named keep the scenario's phase.
    n, seed
        Draws and seed, shared by both plans.

    Returns
    -------
    PlanComparisonResult
        With ``mean_difference`` (A - B, weeks) and its standard error over draws.
    """
    # checked and converted by the @validated wrapper: this is the record
    values = _COMPARE_PARAMS.values_from(locals())
    inputs = timing_inputs(scenario, **_partner_kwargs(**values))
    eng_a = engagement_vector(inputs, engagement_a)
    eng_b = engagement_vector(inputs, engagement_b)
    ev_a, ev_b = compare_engagements(
        inputs, [eng_a, eng_b], values["n"], seed, rework_capacity, **model_kwargs(values)
    )
    diff = ev_a.completion - ev_b.completion
    p50_a, p80_a = _percentiles(ev_a.completion)
    p50_b, p80_b = _percentiles(ev_b.completion)
    target = inputs.launch_target
    return PlanComparisonResult(
        labels=(str(labels[0]), str(labels[1])),
        engagement_a=_plan_dict(inputs, eng_a),
        engagement_b=_plan_dict(inputs, eng_b),
        completion_a=frozen_array(ev_a.completion),
        completion_b=frozen_array(ev_b.completion),
        rework_a=frozen_array(ev_a.rework),
        rework_b=frozen_array(ev_b.rework),
        p50_a=float(p50_a),
        p50_b=float(p50_b),
        p80_a=float(p80_a),
        p80_b=float(p80_b),
        on_time_a=float(np.mean(ev_a.completion <= target)),
        on_time_b=float(np.mean(ev_b.completion <= target)),
        launch_target=target,
        mean_difference=float(diff.mean()),
        difference_se=float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0,
        n=values["n"],
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
