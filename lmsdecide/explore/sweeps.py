"""Sweeps: evaluate measures over many scenario variants, in chunks, resumable.

A sweep takes the base scenario, the :class:`~lmsdecide.explore.space.Space` of factors, the
variants (a Latin hypercube or Sobol sample, a full grid, or the caller's own table) and the
measures, and returns one tidy DataFrame: one row per variant, a ``variant`` number, one column
per factor and one per measure.

Scale. The variants are cut into chunks of ``chunk_size``; each chunk is one task on a
``concurrent.futures.Executor``:

* ``executor="process"`` (the default): a local ``ProcessPoolExecutor`` created for the sweep;
* ``executor="serial"``: in this process (small sweeps, debugging, tests);
* any ``Executor`` the caller passes, for example a Dask cluster's::

      from dask.distributed import Client, LocalCluster
      client = Client(LocalCluster(n_workers=2))      # or Client("tcp://scheduler:8786")
      result = sweep(scenario, factors, measures, n=100_000, executor=client.get_executor())

  The chunk function and its arguments are plain picklable data, so the same call scales from
  a laptop's cores to a cluster when the work outgrows one machine.

Vectorised where the model allows: drive-share measures over authority, susceptibility,
position and influence-weight factors are computed for a whole chunk in one batched linear
solve (:mod:`lmsdecide.explore.fast`); other measures run the model once per variant.

Resume. With ``out_dir``, each finished chunk is written there as Parquet
(``chunk_00000.parquet``...; written to a temporary name, then renamed, so a chunk file is
either complete or absent) next to ``manifest.json``, a fingerprint of everything that
determines the results (base scenario, factors, measures, fixed parameters, seed, variants,
chunk size). Running the same sweep again (after an interruption, a crash, a closed laptop) reads
the finished chunks and computes only the missing ones; a different sweep in the same directory
is refused rather than mixed.

A tqdm progress bar shows on long sweeps (10,000 variants or more, unless ``progress`` says).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmsdecide.explore.measures import Measure, evaluate_variants, measure
from lmsdecide.explore.space import Factor, Space
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

__all__ = ["SweepResult", "run_chunk", "sweep"]

MANIFEST = "manifest.json"
PROGRESS_FROM = 10_000


@dataclass(frozen=True, eq=False)
class SweepResult(ArrayEq):
    """The outcome of a sweep.

    Attributes
    ----------
    frame
        One row per variant: ``variant``, one column per factor, one per measure.
    space
        The factors.
    measures
        The measures read.
    seed
        Seed of every stochastic model in every variant (common random numbers).
    params
        Fixed parameter values per model.
    chunk_size, n_chunks
        How the variants were cut.
    computed, reused
        Chunk numbers computed in this run, and read back from ``out_dir`` (a resumed sweep).
    out_dir
        Where the chunks were written (None when not written).
    """

    frame: pd.DataFrame
    space: Space
    measures: tuple[Measure, ...]
    seed: int | None
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    chunk_size: int = 0
    n_chunks: int = 0
    computed: tuple[int, ...] = ()
    reused: tuple[int, ...] = ()
    out_dir: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (a copy): one row per variant."""
        return self.frame.copy()

    @property
    def factor_names(self) -> tuple[str, ...]:
        """Factor column names."""
        return self.space.names

    @property
    def measure_names(self) -> tuple[str, ...]:
        """Measure column names."""
        return tuple(m.name for m in self.measures)


def run_chunk(
    base: Mapping[str, Any],
    factors: Sequence[Factor],
    measures: Sequence[Measure],
    variants: pd.DataFrame,
    params: Mapping[str, Mapping[str, Any]],
    seed: int | None,
    vectorise: bool = True,
) -> pd.DataFrame:
    """Evaluate one chunk of variants (the task sent to an executor; plain picklable data).

    With ``vectorise`` the drive-share measures go through the batched closed form of
    :mod:`lmsdecide.explore.fast` where it applies, and schedule percentiles through the lean
    path (the model's own steps, draws shared); every other variant runs the model.
    """
    from lmsdecide.explore import fast

    if vectorise and fast.applies(factors, measures):
        from lmsdecide.scenario import validate_scenario

        out, ok = fast.who_drives_batch(
            validate_scenario(dict(base)), factors, measures, variants, params
        )
        if not ok.all():
            rest = evaluate_variants(
                base, factors, measures, variants[~ok], params=params, seed=seed
            )
            for column in rest.columns:
                out.loc[~ok, column] = rest[column].to_numpy(dtype=object)
        out = out.infer_objects()
    elif vectorise and fast.applies_schedule(measures):
        out = fast.schedule_batch(base, factors, measures, variants, params, seed)
    else:
        out = evaluate_variants(base, factors, measures, variants, params=params, seed=seed)
    return pd.concat([variants, out], axis=1)


def _fingerprint(
    base: Mapping[str, Any],
    space: Space,
    measures: Sequence[Measure],
    params: Mapping[str, Any],
    seed: int | None,
    variants: pd.DataFrame,
    chunk_size: int,
) -> str:
    payload = json.dumps(
        {
            "base": base,
            "factors": [f.describe() for f in space.factors],
            "measures": [vars(m) for m in measures],
            "params": params,
            "seed": seed,
            "chunk_size": chunk_size,
            "n": len(variants),
        },
        sort_keys=True,
        default=str,
    ).encode()
    digest = hashlib.sha256(payload)
    hashed = pd.util.hash_pandas_object(variants.astype(str), index=True).to_numpy()
    digest.update(np.ascontiguousarray(hashed).tobytes())
    return digest.hexdigest()


def _chunk_path(out_dir: Path, i: int) -> Path:
    return out_dir / f"chunk_{i:05d}.parquet"


def _prepare_dir(out_dir: Path, fingerprint: str, resume: bool) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST
    if manifest.exists():
        stored = json.loads(manifest.read_text()).get("fingerprint")
        if stored != fingerprint and resume:
            raise ValueError(
                f"out_dir: {out_dir} holds the chunks of a different sweep (other scenario, "
                "factors, measures, variants, seed or chunk size); use a new directory or "
                "resume=False to replace them"
            )
        if stored != fingerprint or not resume:
            for old in out_dir.glob("chunk_*.parquet"):
                old.unlink()
    manifest.write_text(json.dumps({"fingerprint": fingerprint}, indent=1))


def _write_chunk(out_dir: Path, i: int, frame: pd.DataFrame) -> None:
    path = _chunk_path(out_dir, i)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=True)
    os.replace(tmp, path)


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Same dtypes whether a chunk came from memory or from Parquet."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            kinds = {type(v) for v in values if v is not None}
            if kinds <= {bool, np.bool_}:
                out[column] = values.astype(bool)
            else:
                out[column] = values.astype(object).where(values.notna(), None)
    return out


def sweep(
    scenario: Scenario,
    factors: Space | Iterable[str | Factor] | Mapping[str, Any],
    measures: str | Measure | Sequence[str | Measure],
    *,
    variants: pd.DataFrame | None = None,
    n: int | None = None,
    method: str = "lhs",
    levels: int | Mapping[str, int] = 3,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int | None = 0,
    executor: Executor | str = "process",
    max_workers: int | None = None,
    chunk_size: int = 1000,
    out_dir: str | os.PathLike[str] | None = None,
    resume: bool = True,
    progress: bool | None = None,
    check_ranges: bool = True,
    vectorise: bool = True,
) -> SweepResult:
    """Evaluate ``measures`` over variants of ``scenario``; one tidy row per variant.

    Parameters
    ----------
    scenario
        The base scenario.
    factors
        What varies: a :class:`Space`, factor names, or ``{name: (low, high) | [choices]}``.
    measures
        Measure names (``"p80"``, ``"learning_share"``, ``"<model>.<attribute>"``...).
    variants
        The variants, one column per factor (checked against the ranges). Default: a sample
        of ``n`` (``method`` ``"lhs"``, ``"sobol"`` or ``"random"``), or without ``n`` the full
        grid with ``levels`` values per numeric factor.
    params
        Fixed parameter values per model, e.g. ``{"simulate_schedule": {"n": 1000}}``.
    seed
        Seed of the sample and of every stochastic model in every variant.
    executor
        ``"process"`` (a local process pool), ``"serial"``, or any ``concurrent.futures``
        executor (``dask.distributed.Client.get_executor()`` for a cluster).
    max_workers
        Workers of the local process pool.
    chunk_size
        Variants per task (and per Parquet file).
    out_dir
        Directory for the chunk files; a rerun resumes from the finished chunks.
    resume
        False: discard the chunks found in ``out_dir`` and start again.
    progress
        tqdm progress bar; default on from 10,000 variants.
    check_ranges
        Check given ``variants`` against the factors' ranges (a tornado's base case may lie
        outside a narrowed range).
    vectorise
        Use the batched closed form for drive-share measures where it applies (the results
        equal the model's; False runs the model once per variant, as a baseline).

    Returns
    -------
    SweepResult
        ``frame`` with columns ``variant``, the factors and the measures.

    Raises
    ------
    ValueError
        Unknown factors or measures, values out of range, a parameter factor whose model no
        measure reads, or an ``out_dir`` holding a different sweep.
    """
    space = factors if isinstance(factors, Space) else Space.of(scenario, factors)
    if isinstance(measures, (str, Measure)):
        measures = [measures]
    resolved = tuple(measure(m) for m in measures)
    if not resolved:
        raise ValueError("measures: at least one measure is needed, got none")
    names = [m.name for m in resolved]
    clash = sorted(set(names) & set(space.names) | {n for n in names if names.count(n) > 1})
    if clash or "variant" in names:
        raise ValueError(f"measures: duplicate or clashing column names {clash or ['variant']}")
    models = {m.model for m in resolved}
    orphans = [f.name for f in space.factors if f.target == "param" and f.model not in models]
    if orphans:
        raise ValueError(
            f"factors: {', '.join(orphans)} vary a model that no measure reads "
            f"(measures read {', '.join(sorted(models))})"
        )
    if chunk_size < 1:
        raise ValueError(f"chunk_size: must be at least 1, got {chunk_size}")
    fixed = {k: dict(v) for k, v in (params or {}).items()}

    if variants is None:
        variants = space.sample(n, method=method, seed=seed) if n else space.grid(levels)
    else:
        if check_ranges:
            space.check(variants)
        else:
            missing = [c for c in space.names if c not in variants.columns]
            if missing:
                raise ValueError(f"variants: missing column(s) {', '.join(missing)}")
        variants = variants[list(space.names)]
    if len(variants) == 0:
        raise ValueError("variants: at least one variant is needed, got none")
    variants = variants.reset_index(drop=True)
    variants.index.name = "variant"

    base = scenario.to_data()
    total = len(variants)
    starts = list(range(0, total, chunk_size))
    frames: dict[int, pd.DataFrame] = {}
    reused: list[int] = []
    path = Path(out_dir) if out_dir is not None else None
    if path is not None:
        fingerprint = _fingerprint(base, space, resolved, fixed, seed, variants, chunk_size)
        _prepare_dir(path, fingerprint, resume)
        for i in range(len(starts)):
            chunk_file = _chunk_path(path, i)
            if chunk_file.exists():
                frames[i] = pd.read_parquet(chunk_file)
                reused.append(i)
    todo = [i for i in range(len(starts)) if i not in frames]

    show = progress if progress is not None else total >= PROGRESS_FROM
    from tqdm import tqdm  # the text bar: tqdm.auto would pull ipywidgets into this layer

    bar = tqdm(total=total, unit="variant", desc="sweep", disable=not show)
    bar.update(sum(len(f) for f in frames.values()))

    def finished(i: int, frame: pd.DataFrame) -> None:
        frames[i] = frame
        if path is not None:
            _write_chunk(path, i, frame)
        bar.update(len(frame))

    def chunk_args(i: int) -> tuple[Any, ...]:
        rows = variants.iloc[starts[i] : starts[i] + chunk_size]
        return (base, space.factors, resolved, rows, fixed, seed, vectorise)

    try:
        if executor == "serial" or (executor == "process" and len(todo) <= 1):
            for i in todo:
                finished(i, run_chunk(*chunk_args(i)))
        else:
            own = executor == "process"
            if isinstance(executor, str) and not own:
                raise ValueError(
                    f"executor: must be 'process', 'serial' or an Executor, got {executor!r}"
                )
            pool: Executor = (
                ProcessPoolExecutor(max_workers=max_workers) if own else executor  # type: ignore[assignment]
            )
            try:
                futures: dict[Future[pd.DataFrame], int] = {
                    pool.submit(run_chunk, *chunk_args(i)): i for i in todo
                }
                try:
                    for future in as_completed(futures):
                        finished(futures[future], future.result())
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
            finally:
                if own:
                    pool.shutdown(wait=True, cancel_futures=True)
    finally:
        bar.close()

    frame = pd.concat([frames[i] for i in range(len(starts))]) if starts else variants.copy()
    frame = _normalise(frame).reset_index()
    return SweepResult(
        frame=frame,
        space=space,
        measures=resolved,
        seed=seed,
        params=fixed,
        chunk_size=chunk_size,
        n_chunks=len(starts),
        computed=tuple(todo),
        reused=tuple(reused),
        out_dir=str(path) if path is not None else None,
    )
