"""Shared test configuration: hypothesis profiles (``HYPOTHESIS_PROFILE``), and isolation.

Every test sees the model registry as collection left it (the built-in models and the test
models of ``tests/explore_models.py``): a model a test registers is gone after it, so tests do not
depend on their order (``make check`` shuffles them with pytest-randomly).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from lmsdecide import registry

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", max_examples=500, deadline=None)
# `make check`: the quick loop (fewer random examples; `make test` keeps the default).
settings.register_profile(
    "check",
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _registry_as_collected() -> Iterator[None]:
    """Restore the model registry after each test (built-in models imported first)."""
    registry.all_models()
    saved = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)
