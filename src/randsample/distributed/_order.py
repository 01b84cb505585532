"""Bytewise order of NUL-padded id rows, refined only where rows still tie.

The same order as :func:`randsample.population.padded_order` (spec 4.2 sorts ids by their
UTF-8 bytes, a prefix first), computed with fewer and cheaper sorts for the partitioned
draws, where every unit's id is sorted twice (in its partition's run, then in its bucket of
the merge):

* each column (byte position) is coded as its byte minus the column's smallest byte, in as
  many bits as the column's range needs (a column of digits takes 4 bits, a constant
  column none), so a 64-bit key holds more columns than eight;
* the key also holds the row's index in its low bits, so that a plain sort of the keys
  (numpy's SIMD sort, several times faster than ``argsort``) gives the order;
* rows whose keys tie are sorted again on the next columns, prefixed by the rank of their
  tie group, and only they: after the first round most rows are placed.

Rows equal in every column are the same id (NUL is in no id): :func:`sorted_order` reports
the first such pair in sorted order.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["sorted_order"]

_ONE = np.uint64(1)
_BLOCK = 128


def _ranges(padded: npt.NDArray[np.uint8]) -> list[tuple[int, int]]:
    # Per column: its smallest byte and the bits its range needs (0 for a constant column).
    # Minima and maxima over blocks of rows first: a reduction along short rows is slow.
    n, width = padded.shape
    block = n - n % _BLOCK
    lows, highs = [padded[block:].reshape(-1, width)], [padded[block:].reshape(-1, width)]
    if block:
        folded = padded[:block].reshape(-1, _BLOCK * width)
        lows.append(folded.min(axis=0).reshape(_BLOCK, width))
        highs.append(folded.max(axis=0).reshape(_BLOCK, width))
    low = np.concatenate(lows).min(axis=0).tolist()
    high = np.concatenate(highs).max(axis=0).tolist()
    return [(a, (b - a).bit_length()) for a, b in zip(low, high, strict=True)]


def _key(
    padded: npt.NDArray[np.uint8],
    rows: npt.NDArray[np.intp] | None,
    groups: npt.NDArray[np.uint64] | None,
    columns: list[tuple[int, int, int]],
) -> npt.NDArray[np.uint64]:
    # ``groups`` then the codes of ``columns`` (column, smallest byte, bits), as 64-bit keys.
    m = padded.shape[0] if rows is None else rows.shape[0]
    total = sum(bits for _, _, bits in columns)
    key: npt.NDArray[np.uint64] = (
        np.zeros(m, dtype=np.uint64) if groups is None else groups << np.uint64(total)
    )
    scratch = np.empty(m, dtype=np.uint64)
    offset = 0  # sum(low << shift): the bytes are added whole, their smallest taken off once
    shift = total
    for column, low, bits in columns:
        shift -= bits
        scratch[:] = padded[:, column] if rows is None else padded[rows, column]
        np.left_shift(scratch, np.uint64(shift), out=scratch)
        np.add(key, scratch, out=key)
        offset += low << shift
    key -= np.uint64(offset & 0xFFFF_FFFF_FFFF_FFFF)  # modulo 2**64, as the sums
    return key


def sorted_order(
    padded: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.intp], tuple[int, int] | None]:
    """Return the bytewise order of the rows of ``padded``, and the first pair of equal rows.

    The pair (row numbers, in sorted order) is ``None`` if every row differs; equal rows are
    placed next to each other, in any order.

    >>> rows = np.array([[98, 97, 0], [97, 98, 0], [97, 98, 99], [97, 98, 0]], np.uint8)
    >>> order, same = sorted_order(rows)  # ba, ab, abc, ab
    >>> order.tolist()[2:], sorted(same)
    ([2, 0], [1, 3])
    """
    n, width = padded.shape
    order = np.arange(n, dtype=np.intp)
    if n < 2:
        return order, None
    ranges = _ranges(padded)
    rows: npt.NDArray[np.intp] | None = None  # the rows still tied (None: all of them)
    places = np.arange(n, dtype=np.intp)  # where, in ``order``, the tied rows go (ascending)
    groups: npt.NDArray[np.uint64] | None = None  # each tied row's group (ascending ranks)
    group_bits = 0
    done = 0
    while True:
        m = n if rows is None else rows.shape[0]
        index_bits = (m - 1).bit_length()
        packed = group_bits + index_bits <= 56  # room for at least one byte with the index
        budget = 64 - group_bits - (index_bits if packed else 0)
        columns = []
        used = 0
        while done < width and used + ranges[done][1] <= budget:
            low, bits = ranges[done]
            if bits:
                columns.append((done, low, bits))
                used += bits
            done += 1
        key = _key(padded, rows, groups, columns)
        if packed:
            np.left_shift(key, np.uint64(index_bits), out=key)
            np.bitwise_or(key, np.arange(m, dtype=np.uint64), out=key)
            key.sort()
            local = (key & ((_ONE << np.uint64(index_bits)) - _ONE)).astype(np.intp)
            np.right_shift(key, np.uint64(index_bits), out=key)
        else:
            local = np.argsort(key)
            key = key[local]
        placed = local if rows is None else rows[local]
        order[places] = placed
        tie = key[1:] == key[:-1]
        if not tie.any():
            return order, None
        if done >= width:  # equal in every column: the first equal pair, in sorted order
            at = int(np.flatnonzero(tie)[0])
            return order, (int(placed[at]), int(placed[at + 1]))
        tied = np.zeros(m, dtype=bool)
        tied[1:] = tie
        tied[:-1] |= tie
        keep = np.flatnonzero(tied)
        rows, places = placed[keep], places[keep]
        tied_keys = key[keep]
        groups = np.zeros(keep.shape[0], dtype=np.uint64)
        np.not_equal(tied_keys[1:], tied_keys[:-1], out=groups[1:], casting="unsafe")
        np.cumsum(groups, out=groups)
        group_bits = int(groups[-1]).bit_length()
