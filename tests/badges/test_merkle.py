import hashlib

import pytest

from badges.merkle import (
    Frontier,
    inclusion_path,
    leaf_hash,
    node_hash,
    root,
    verify_inclusion,
)


def _leaves(count: int) -> list[bytes]:
    return [leaf_hash(f"entry {number}".encode()) for number in range(count)]


def test_leaf_and_node_prefixes():
    assert leaf_hash(b"a") == hashlib.sha256(b"\x00a").digest()
    assert node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


def test_root_of_three_splits_left_perfect():
    a, b, c = _leaves(3)

    assert root([a, b, c]) == node_hash(node_hash(a, b), c)


def test_empty_root_is_hash_of_nothing():
    assert root([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13, 33])
def test_frontier_matches_root(count):
    frontier = Frontier()
    for leaf in _leaves(count):
        frontier.append(leaf)

    assert frontier.root() == root(_leaves(count))


@pytest.mark.parametrize("count", [1, 2, 3, 7, 8, 9, 21])
def test_every_inclusion_proof_verifies(count):
    leaves = _leaves(count)
    expected_root = root(leaves)

    for index, leaf in enumerate(leaves):
        path = inclusion_path(index, leaves)
        assert verify_inclusion(
            leaf=leaf, index=index, size=count, path=path, expected_root=expected_root
        ), index


def test_inclusion_rejects_other_leaf():
    leaves = _leaves(6)
    path = inclusion_path(2, leaves)

    assert not verify_inclusion(
        leaf=leaf_hash(b"forged"),
        index=2,
        size=6,
        path=path,
        expected_root=root(leaves),
    )
