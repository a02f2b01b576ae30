"""The comparison's result cache: keyed by content, bounded, and invisible in the results."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lmsdecide.comparison as C
from lmsdecide.caching import ResultCache, content_key
from lmsdecide.comparison import compare
from lmsdecide.io import example

N = 500


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The scenarios actually computed (by name), on an empty cache."""
    seen: list[str] = []
    original = C._run

    def counting(s, n, seed):  # type: ignore[no-untyped-def]
        seen.append(s.name)
        return original(s, n, seed)

    monkeypatch.setattr(C, "_run", counting)
    C.RESULT_CACHE.clear()
    yield seen
    C.RESULT_CACHE.clear()


def test_an_identical_scenario_hits_the_cache(calls: list[str]) -> None:
    compare([example("it_led"), example("learning_led_late_it")], n=N, seed=1)
    assert len(calls) == 2
    # new objects with the same content: nothing is computed again
    compare([example("it_led"), example("learning_led_late_it")], n=N, seed=1)
    assert len(calls) == 2
    assert C.RESULT_CACHE.hits == 2 and C.RESULT_CACHE.misses == 2
    # one scenario added: only it is computed
    compare(
        [example("it_led"), example("learning_led_late_it"), example("cloud_no_integration")],
        n=N,
        seed=1,
    )
    assert calls[2:] == [example("cloud_no_integration").name]


def test_a_changed_scenario_gets_a_fresh_result(calls: list[str]) -> None:
    base = example("it_led")
    edited = base.with_changes(launch_target=base.launch_target + 20)  # same name, new content
    assert edited.name == base.name
    assert content_key(edited, {"n": N}) != content_key(base, {"n": N})
    first = compare([base, example("cloud_no_integration")], n=N, seed=1)
    second = compare([edited, example("cloud_no_integration")], n=N, seed=1)
    assert len(calls) == 3  # the edited one computed, the other reused
    label = first.labels[0]
    assert second.value(label, "launch_target") == first.value(label, "launch_target") + 20
    assert second.value(label, "on_time_probability") > first.value(label, "on_time_probability")


def test_findings_asked_for_later_compute_only_the_diagnoses(calls: list[str]) -> None:
    pair = [example("it_led"), example("reseller_partner")]
    quick = compare(pair, n=N, seed=6, findings=False)
    assert len(calls) == 2 and not quick.diagnosed
    full = compare(pair, n=N, seed=6)
    assert len(calls) == 2 and full.diagnosed  # the measures came from the cache
    assert full == compare(pair, n=N, seed=6)
    C.RESULT_CACHE.clear()
    assert compare(pair, n=N, seed=6) == full


def test_other_draws_or_seed_are_other_results(calls: list[str]) -> None:
    pair = [example("it_led"), example("cloud_no_integration")]
    compare(pair, n=N, seed=1)
    compare(pair, n=N + 1, seed=1)
    compare(pair, n=N, seed=2)
    assert len(calls) == 6
    compare(pair, n=N, seed=None)  # fresh entropy: never cached
    compare(pair, n=N, seed=None)
    assert len(calls) == 10
    assert len(C.RESULT_CACHE) == 6


def test_cached_results_equal_uncached_ones(calls: list[str]) -> None:
    pair = [example("learning_led_late_it"), example("learning_led_early_engagement")]
    fresh = compare(pair, n=N, seed=4)
    cached = compare(pair, n=N, seed=4)
    assert cached == fresh
    C.RESULT_CACHE.clear()
    assert compare(pair, n=N, seed=4) == cached
    # shared arrays cannot be changed in place by one caller behind another's back
    with pytest.raises(ValueError, match="read-only"):
        cached.completion[cached.labels[0]][0] = 0.0
    assert np.array_equal(cached.completion[cached.labels[0]], fresh.completion[fresh.labels[0]])


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache: ResultCache[int] = ResultCache(maxsize=2)
    assert cache.get("a", lambda: 1) == 1
    assert cache.get("b", lambda: 2) == 2
    assert cache.get("a", lambda: -1) == 1  # a hit: "a" becomes the most recent
    assert cache.get("c", lambda: 3) == 3  # over the bound: "b" (least recent) goes
    assert len(cache) == 2 and "b" not in cache and "a" in cache and "c" in cache
    assert (cache.hits, cache.misses) == (1, 3)
    assert C.RESULT_CACHE.maxsize == 16


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "8"])
def test_bad_size_is_refused_naming_it(bad: object) -> None:
    with pytest.raises(ValueError, match="maxsize"):
        ResultCache(maxsize=bad)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    maxsize=st.integers(1, 5),
    keys=st.lists(st.sampled_from("abcdefg"), max_size=40),
)
def test_cache_matches_a_reference_lru(maxsize: int, keys: list[str]) -> None:
    cache: ResultCache[str] = ResultCache(maxsize=maxsize)
    order: list[str] = []  # least recent first
    computed = 0
    for key in keys:
        if key not in order:
            computed += 1
        value = cache.get(key, lambda k=key: k.upper())  # type: ignore[misc]
        assert value == key.upper()
        if key in order:
            order.remove(key)
        order.append(key)
        order = order[-maxsize:]
        assert len(cache) == len(order) <= maxsize
        assert all(k in cache for k in order)
    assert cache.misses == computed and cache.hits == len(keys) - computed


def test_content_key_ignores_identity_and_key_order() -> None:
    a, b = example("it_led"), example("it_led")
    assert a is not b
    assert content_key(a, {"n": 1, "seed": 2}) == content_key(b, {"seed": 2, "n": 1})
    assert content_key(a, {"n": 1, "seed": 2}) != content_key(a, {"n": 1, "seed": 3})
    assert len(content_key(a, {})) == 64
