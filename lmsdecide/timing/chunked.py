"""Long schedule simulations in chunks: millions of draws in bounded memory, with progress.

Up to :data:`CHUNK` draws a run is exactly ``simulate_schedule(scenario, n, seed)``; longer runs
draw each chunk from a child of ``numpy.random.SeedSequence(seed)`` (the same seed gives the same
result) and pool the completion times. The quasi-random engine (``engine="qmc"``) runs in one
piece (its scrambles are not split into chunks), up to the model's 2,000,000 draws: it reaches
Monte Carlo's accuracy with far fewer draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lmsdecide._lazy import lazy_module
from lmsdecide.scenario import Scenario
from lmsdecide.timing.qmc import replicate_errors
from lmsdecide.timing.schedule import DRAWS, ENGINE, REPLICATES, simulate_schedule

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: Draws per chunk of a long simulation (a progress callback is called once per chunk).
CHUNK = 200_000
#: The most draws one run may ask for (memory grows with the draws kept: 8 bytes each).
MAX_DRAWS = 20_000_000


@dataclass(frozen=True)
class LongRun:
    """Schedule risk pooled over chunks. Times in weeks from the project start."""

    scenario: str
    draws: int
    seed: int | None
    p50: float
    p80: float
    mean: float
    on_time_probability: float
    launch_target: float
    planned: float
    tornado: pd.DataFrame
    engine: str = "mc"
    se_mean: float = float("nan")
    se_p50: float = float("nan")
    se_p80: float = float("nan")
    se_on_time_probability: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain values (the tornado as records), for JSON."""
        return {
            "scenario": self.scenario,
            "draws": self.draws,
            "seed": self.seed,
            "engine": self.engine,
            "p50": self.p50,
            "p80": self.p80,
            "mean": self.mean,
            "on_time_probability": self.on_time_probability,
            "se_mean": self.se_mean,
            "se_p50": self.se_p50,
            "se_p80": self.se_p80,
            "se_on_time_probability": self.se_on_time_probability,
            "launch_target": self.launch_target,
            "planned": self.planned,
            "tornado": self.tornado.to_dict(orient="records"),
        }


def simulate_long(
    scenario: Scenario,
    n: int,
    seed: int | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    engine: str = ENGINE.default,
) -> LongRun:
    """Schedule risk of ``n`` draws (100 to :data:`MAX_DRAWS`), in chunks of :data:`CHUNK`.

    Parameters
    ----------
    scenario : Scenario
        The project.
    n : int
        Monte Carlo draws, 100 to 20 million.
    seed : int or None
        Random seed; the same seed gives the same result.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first chunk and after each one (only for
        runs longer than one chunk).
    engine : {"mc", "qmc"}
        Sampling engine (:func:`~lmsdecide.timing.simulate_schedule`); ``"qmc"`` runs in one
        piece, at most 2,000,000 draws, rounded up to 16 times a power of two.

    Returns
    -------
    LongRun
        P50, P80 and mean go-live (weeks), the on-time probability, their standard errors
        (16 replicates: the scrambles, or batches of the pooled Monte Carlo draws) and the
        tornado of the last chunk (the tornado needs no more than one chunk's draws).
    """
    ENGINE.validate(engine)
    top = DRAWS.max if engine == "qmc" else MAX_DRAWS
    if not 100 <= n <= top:
        which = " with engine qmc" if engine == "qmc" else ""
        raise ValueError(f"n: must be between 100 and {top:,}{which}, got {n}")
    chunk = CHUNK  # read at call time, so that tests may shrink it
    if n <= chunk or engine == "qmc":
        risk = simulate_schedule(scenario, n=n, seed=seed, engine=engine)
        completion = np.asarray(risk.completion)
    else:
        sizes = [chunk] * (n // chunk) + ([n % chunk] if n % chunk else [])
        children = np.random.SeedSequence(seed).spawn(len(sizes))
        parts, done = [], 0
        if progress is not None:
            progress(0, n)
        for size, child in zip(sizes, children, strict=True):
            # simulate_schedule needs at least 100 draws: a short last chunk draws 100, keeps size
            risk = simulate_schedule(scenario, n=max(size, 100), seed=np.random.default_rng(child))
            parts.append(np.asarray(risk.completion)[:size])
            done += size
            if progress is not None:
                progress(done, n)
        completion = np.concatenate(parts)
    p50, p80 = np.percentile(completion, [50.0, 80.0])
    errors = replicate_errors(completion, float(risk.launch_target), REPLICATES.default)
    return LongRun(
        scenario=risk.scenario_name,
        draws=int(completion.size),
        seed=seed,
        p50=float(p50),
        p80=float(p80),
        mean=float(completion.mean()),
        on_time_probability=float(np.mean(completion <= risk.launch_target)),
        launch_target=float(risk.launch_target),
        planned=float(risk.planned),
        tornado=risk.tornado,
        engine=engine,
        se_mean=errors["mean"],
        se_p50=errors["p50"],
        se_p80=errors["p80"],
        se_on_time_probability=errors["on_time_probability"],
    )
