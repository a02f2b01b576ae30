"""Model results cached by content: the same scenario and parameters give the stored result.

A live dashboard recomputes when a control moves; most of what it shows has not changed (three
scenarios compared, one added: two of them are as they were). :class:`ResultCache` keeps recent
results keyed by :func:`content_key`, a SHA-256 hash of the scenario's canonical JSON
(:meth:`Scenario.to_data <lmsdecide.scenario.Scenario.to_data>`, keys sorted) together with the
parameters of the computation, so

* an edited scenario, even one with the same name, hashes differently and is computed afresh;
* an identical scenario (another object, loaded again from the same file) finds the stored
  result, which is the result the uncached computation gives (every cached computation is
  deterministic: a whole-number seed, never ``None``);
* the cache holds at most ``maxsize`` results, dropping the least recently used.

Results are frozen dataclasses with read-only arrays, so sharing one between callers is safe.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from lmsdecide.scenario import Scenario

__all__ = ["ResultCache", "content_key"]

T = TypeVar("T")


def content_key(scenario: Scenario, params: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the scenario's content and the computation's parameters.

    The scenario enters as its canonical JSON (file-format data, keys sorted, no whitespace);
    ``params`` are the computation's name and arguments (JSON values: numbers, strings, None).
    Two scenarios with equal content give the same key whatever their object identity.
    """
    payload = {"scenario": scenario.to_data(), "params": dict(params)}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultCache(Generic[T]):
    """A bounded least-recently-used store of results keyed by :func:`content_key`.

    Parameters
    ----------
    maxsize
        Most results kept (at least 1); the least recently used is dropped beyond it.

    Attributes
    ----------
    hits, misses
        Lookups that found a stored result, and those that computed one.
    """

    def __init__(self, maxsize: int = 32) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError(f"maxsize: must be a whole number of at least 1, got {maxsize!r}")
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._store: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, key: object) -> bool:
        return key in self._store

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The result stored under ``key``, or ``compute()`` stored under it and returned."""
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                self.hits += 1
                return self._store[key]
        value = compute()  # outside the lock: a long computation does not block other lookups
        with self._lock:
            self.misses += 1
            self._store[key] = value
            self._store.move_to_end(key)
            while len(self._store) > self.maxsize:
                self._store.popitem(last=False)
        return value

    def clear(self) -> None:
        """Drop every stored result and reset the counters."""
        with self._lock:
            self._store.clear()
            self.hits = self.misses = 0
