"""Merkle trees for the population commitment (RFC 6962 shape: docs/spec.md section 14.2).

Levels, roots and audit paths over a list of leaf hashes, and the check of a path against a
root; node hashes are ``SHA-256(0x01 || left || right)`` as the spec states.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["root_from_path"]

#: The root of an empty tree: SHA-256 of no bytes (RFC 6962).
_EMPTY = hashlib.sha256(b"").digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(leaves: list[bytes]) -> list[list[bytes]]:
    # RFC 6962's left-balanced tree built bottom-up: pair neighbours, promote a lone last node.
    levels = [leaves]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [_node(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _root(levels: list[list[bytes]]) -> bytes:
    return levels[-1][0] if levels[0] else _EMPTY


def _path(levels: list[list[bytes]], index: int) -> list[bytes]:
    path = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        index //= 2
    return path


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """Recompute an RFC 6962 root from a leaf hash and its audit path (RFC 9162 §2.1.3.2).

    Returns None when the path cannot belong to a tree of ``size`` leaves.
    """
    if not 0 <= index < size:
        return None
    fn, sn, node = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            node = _node(sibling, node)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            node = _node(node, sibling)
        fn >>= 1
        sn >>= 1
    return node if sn == 0 else None
