"""Merkle tree hashing of RFC 6962 (Certificate Transparency), section 2.1.

Leaves hash as SHA-256(0x00 || data) and interior nodes as
SHA-256(0x01 || left || right). A tree of n leaves splits at the largest
power of two below n, so every prefix of the log has one well-defined root.
"""

import hashlib


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(size: int) -> int:
    """Return the largest power of two smaller than ``size`` (size > 1)."""
    split = 1
    while split * 2 < size:
        split *= 2
    return split


def root(leaves: list[bytes]) -> bytes:
    """Return the Merkle tree hash of a list of leaf hashes."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    split = _split(len(leaves))
    return node_hash(root(leaves[:split]), root(leaves[split:]))


def inclusion_path(index: int, leaves: list[bytes]) -> list[bytes]:
    """Return the audit path of leaf ``index`` in the tree of ``leaves``."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"Leaf {index} is outside a tree of {len(leaves)} leaves.")
    if len(leaves) == 1:
        return []
    split = _split(len(leaves))
    if index < split:
        return [*inclusion_path(index, leaves[:split]), root(leaves[split:])]
    return [*inclusion_path(index - split, leaves[split:]), root(leaves[:split])]


def verify_inclusion(
    *, leaf: bytes, index: int, size: int, path: list[bytes], expected_root: bytes
) -> bool:
    """Check an audit path as in RFC 9162, section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    node_index, last_index = index, size - 1
    current = leaf
    for sibling in path:
        if last_index == 0:
            return False
        if node_index % 2 == 1 or node_index == last_index:
            current = node_hash(sibling, current)
            while node_index % 2 == 0 and node_index != 0:
                node_index //= 2
                last_index //= 2
        else:
            current = node_hash(current, sibling)
        node_index //= 2
        last_index //= 2
    return last_index == 0 and current == expected_root


class Frontier:
    """The roots of the perfect subtrees that make up a growing tree.

    Appending costs O(log n) and ``root()`` folds the frontier from the
    right, which yields the same hash as ``root(leaves)`` for every size.
    """

    def __init__(self, nodes: list[bytes] | None = None, size: int = 0) -> None:
        self.nodes = list(nodes or [])
        self.size = size

    def append(self, leaf: bytes) -> None:
        self.nodes.append(leaf)
        self.size += 1
        merged = self.size
        while merged % 2 == 0:
            right = self.nodes.pop()
            left = self.nodes.pop()
            self.nodes.append(node_hash(left, right))
            merged //= 2

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        current = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            current = node_hash(node, current)
        return current
