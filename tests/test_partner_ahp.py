"""AHP: Saaty's published example, closed forms, agreement with ahpy, validation, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmsdecide.partner import RANDOM_INDEX, ahp_weights, pairwise_matrix, random_index

# Saaty, T.L. (1990), "How to make a decision: the analytic hierarchy process", European Journal
# of Operational Research 48, 9-26: the criteria for buying a house (size, transportation,
# neighbourhood, age, yard, modern facilities, general condition, financing).
HOUSE = np.array(
    [
        [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
        [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
        [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
        [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
        [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
        [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
        [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
        [4, 7, 5, 8, 6, 6, 2, 1],
    ]
)
HOUSE_LABELS = (
    "size",
    "transport",
    "neighbourhood",
    "age",
    "yard",
    "modern",
    "condition",
    "finance",
)


def test_saaty_1990_house_example() -> None:
    # Published: priorities .173 .054 .188 .018 .031 .036 .167 .333; lambda_max = 9.669,
    # CI = 0.238, CR = 0.169 (RI(8) = 1.41, Saaty's table), so the judgements are flagged.
    r = ahp_weights(HOUSE, labels=HOUSE_LABELS)
    np.testing.assert_allclose(
        r.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=5e-4
    )
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.ri == 1.41
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.flagged and not r.consistent
    assert r.most_inconsistent is not None
    i, j = r.most_inconsistent
    # the judgement named is the one farthest from what the weights imply
    err = np.abs(np.log(HOUSE * np.outer(1 / r.weights, r.weights)))
    assert err[i, j] == pytest.approx(err[np.triu_indices(8, 1)].max())
    assert r.labels[i] in r.describe_most_inconsistent()
    frame = r.to_frame()
    assert len(frame) == 28 and frame["most_inconsistent"].sum() == 1


def test_saaty_random_index_table() -> None:
    # Saaty (1980), The Analytic Hierarchy Process, p. 21: RI for n = 1..10.
    table = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert [random_index(n) for n in range(1, 11)] == table
    with pytest.raises(ValueError, match="covers n <= 10, got n = 12; use random_index="):
        random_index(12)
    # interpolation between tabulated sizes of Donegan & Dodd (1991)
    assert random_index(22, "donegan_dodd") == pytest.approx(1.5371 + 2 / 5 * (1.5619 - 1.5371))
    with pytest.raises(ValueError, match="random_index: must be one of"):
        random_index(3, "alonso")


def test_two_by_two_closed_form() -> None:
    # a_12 = 3: weights (3/4, 1/4), lambda_max = 2, CR = 0 by definition.
    for method in ("eigenvector", "geometric_mean"):
        r = ahp_weights([[1, 3], [1 / 3, 1]], method=method)
        np.testing.assert_allclose(r.weights, [0.75, 0.25])
        assert r.lambda_max == pytest.approx(2.0)
        assert r.cr == 0.0 and r.consistent


def test_single_item() -> None:
    r = ahp_weights([[1.0]])
    np.testing.assert_allclose(r.weights, [1.0])
    assert r.most_inconsistent is None and r.cr == 0.0


def test_three_by_three_eigenvector_equals_geometric_mean() -> None:
    # Crawford & Williams (1985): for n = 3 the eigenvector and the row geometric means give
    # the same priorities, even for inconsistent judgements.
    a = [[1, 2, 7], [1 / 2, 1, 3], [1 / 7, 1 / 3, 1]]
    e = ahp_weights(a).weights
    g = ahp_weights(a, method="geometric_mean").weights
    np.testing.assert_allclose(e, g, atol=1e-12)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3]], "non-empty square"),
        ([[1, -2], [-0.5, 1]], r"pairwise\[0, 1\]: must be a positive finite number"),
        ([[1, np.inf], [0, 1]], r"pairwise\[0, 1\]: must be a positive"),
        ([[2, 2], [0.5, 1]], r"pairwise\[0, 0\]: the diagonal must be 1"),
        ([[1, 3], [3, 1]], r"pairwise\[0, 1\]: must be reciprocal .* got 3 and 3"),
    ],
)
def test_invalid_matrices_are_named(matrix: list[list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ahp_weights(matrix)


def test_other_bad_arguments() -> None:
    with pytest.raises(ValueError, match="method: must be one of"):
        ahp_weights([[1.0]], method="least_squares")
    with pytest.raises(ValueError, match="labels: must name each of the 2 items"):
        ahp_weights([[1, 2], [0.5, 1]], labels=["a"])
    # typed-in thirds are accepted within the tolerance
    ahp_weights([[1, 3], [0.333, 1]])


def test_pairwise_matrix_builder() -> None:
    a = pairwise_matrix(["cost", "fit", "support"], {("fit", "cost"): 3, ("cost", "support"): 2})
    np.testing.assert_allclose(a, [[1, 1 / 3, 2], [3, 1, 1], [1 / 2, 1, 1]])
    with pytest.raises(ValueError, match="unknown item 'price'"):
        pairwise_matrix(["cost"], {("price", "cost"): 2})
    with pytest.raises(ValueError, match="contradicts the reverse"):
        pairwise_matrix(["a", "b"], {("a", "b"): 2, ("b", "a"): 2})


# ---------------------------------------------------------------------------------------------
# Peer library: ahpy on random reciprocal matrices
# ---------------------------------------------------------------------------------------------


def _random_reciprocal(rng: np.random.Generator, n: int) -> np.ndarray:
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = rng.choice(scale, size=len(iu[0]))
    a[(iu[1], iu[0])] = 1 / a[iu]
    return a


@pytest.mark.parametrize(("table", "peer_table"), [("saaty2005", "saaty"), ("donegan_dodd", "dd")])
def test_agrees_with_ahpy(table: str, peer_table: str) -> None:
    import ahpy

    rng = np.random.default_rng(99)
    for _ in range(40):
        n = int(rng.integers(3, 10))
        a = _random_reciprocal(rng, n)
        names = [f"c{k}" for k in range(n)]
        comparisons = {
            (names[i], names[j]): float(a[i, j]) for i in range(n) for j in range(i + 1, n)
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            peer = ahpy.Compare("x", comparisons, precision=12, random_index=peer_table)
        ours = ahp_weights(a, labels=names, random_index_table=table)
        expected = np.array([peer.local_weights[k] for k in names])
        np.testing.assert_allclose(ours.weights, expected, atol=1e-9)
        assert ours.cr == pytest.approx(peer.consistency_ratio, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_positive = st.floats(0.05, 20.0)


@given(
    arrays(float, st.integers(1, 9), elements=_positive),
    st.sampled_from(["eigenvector", "geometric_mean"]),
)
def test_consistent_matrix_is_reproduced_exactly(w: np.ndarray, method: str) -> None:
    a = w[:, None] / w[None, :]
    r = ahp_weights(a, method=method)
    np.testing.assert_allclose(r.weights, w / w.sum(), rtol=1e-9)
    np.testing.assert_allclose(r.weights[:, None] / r.weights[None, :], a, rtol=1e-9)
    assert r.cr == 0.0 and r.ci == 0.0 and r.lambda_max == len(w)
    np.testing.assert_allclose(r.errors, 1.0, rtol=1e-9)


@given(st.integers(3, 10), st.integers(0, 2**32 - 1))
def test_random_judgements_lambda_at_least_n(n: int, seed: int) -> None:
    a = _random_reciprocal(np.random.default_rng(seed), n)
    for method in ("eigenvector", "geometric_mean"):
        r = ahp_weights(a, method=method)
        assert r.lambda_max >= n - 1e-9
        assert r.weights.sum() == pytest.approx(1.0)
        assert np.all(r.weights > 0)
        assert r.cr >= 0.0


def test_random_index_tables_are_increasing_up_to_15() -> None:
    for table in RANDOM_INDEX.values():
        values = [table[k] for k in sorted(table) if k <= 15]
        assert values == sorted(values)
