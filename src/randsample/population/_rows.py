"""The rows of the population digest (spec 4.2), built with numpy.

Bytewise id order, padded id rows and the ``lp(id) || lp(stratum) || eligible || weight``
byte rows.

Shared by :meth:`randsample.Population.digest` and the partitioned populations of
:mod:`randsample.distributed`, so both hash the same bytes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["bytewise_order", "digest_header", "digest_rows", "padded_order", "padded_rows"]

_DIGEST_TAG = b"randsample/v1/population\x00"

_ROWS_CHUNK = 1 << 16


def digest_header(units: int) -> bytes:
    """Return the bytes that open the population digest of spec 4.2: tag and ``u64be(N)``.

    >>> digest_header(3).hex()[-16:]
    '0000000000000003'
    """
    return _DIGEST_TAG + units.to_bytes(8, "big")


def bytewise_order(
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    padded: npt.NDArray[np.uint8] | None = None,
) -> npt.NDArray[np.intp]:
    """Return the order of the byte strings ``data[starts[i] : starts[i] + lengths[i]]``.

    Bytewise ascending (a prefix first), as spec 4.2 sorts ids. Strings of up to 64 bytes are
    padded with NUL into a fixed-width array sorted in C ('S' comparison pads with NUL, which
    no valid id contains); longer ones are sorted in Python.

    >>> data = np.frombuffer(b"bab", np.uint8)
    >>> bytewise_order(data, np.array([0, 1, 1]), np.array([1, 1, 2])).tolist()
    [1, 2, 0]
    """
    n = starts.shape[0]
    width = int(lengths.max()) if n else 1
    if width <= 64:
        if padded is None:
            padded = padded_rows(data, starts, lengths)
        return padded_order(padded)
    raw = data.tobytes()
    keys = [raw[a : a + m] for a, m in zip(starts.tolist(), lengths.tolist(), strict=True)]
    return np.array(sorted(range(n), key=keys.__getitem__), dtype=np.intp)


def padded_order(padded: npt.NDArray[np.uint8]) -> npt.NDArray[np.intp]:
    """Return the bytewise order of NUL-padded rows (distinct rows; ties in any order).

    Radix-style refinement on 64-bit keys, each sorted by numpy's (SIMD) quicksort: a key is
    the rank of the row's bytes so far followed by as many next bytes as fit in 64 bits; the
    ranks are refined until every row has its own or the bytes run out. About twice as fast
    as sorting the rows as fixed-width byte strings.

    >>> rows = np.array([[98, 97, 0], [97, 98, 0], [97, 98, 99]], np.uint8)  # ba, ab, abc
    >>> padded_order(rows).tolist()
    [1, 2, 0]
    """
    n, width = padded.shape
    order = np.arange(n, dtype=np.intp)
    rank: npt.NDArray[np.uint64] | None = None
    done = 0
    eight = np.uint64(8)
    while done < width and n > 1:
        bits = 0 if rank is None else int(rank.max()).bit_length()
        take = min((64 - bits) // 8, width - done)
        key = np.zeros(n, dtype=np.uint64) if rank is None else rank
        for column in range(done, done + take):  # key = rank, then the next bytes, in place
            np.left_shift(key, eight, out=key)
            np.bitwise_or(key, padded[:, column], out=key, casting="unsafe")
        done += take
        order = np.argsort(key)
        key = key[order]  # sorted keys; new ranks count the changes along them
        changed = np.empty(n, dtype=np.uint64)
        changed[0] = 0
        np.not_equal(key[1:], key[:-1], out=changed[1:], casting="unsafe")
        del key
        np.cumsum(changed, out=changed)
        rank = np.empty(n, dtype=np.uint64)
        rank[order] = changed
        if int(changed[-1]) == n - 1:  # every row has its own rank: the order is final
            break
        del changed
    return order


def digest_rows(
    ids: npt.NDArray[np.uint8],
    lengths: npt.NDArray[np.int64],
    kinds: npt.NDArray[np.intp],
    tails: list[bytes],
    weights: npt.NDArray[np.float64] | None,
) -> bytes:
    """Return spec 4.2 rows ``lp(id) || lp(stratum) || eligible || weight``, in the given order.

    Row ``i``'s id is ``ids[i, :lengths[i]]`` (UTF-8, as :func:`padded_rows` gives) and its
    ``lp(stratum) || eligible`` part is ``tails[kinds[i]]``. Every field is scattered into place
    with numpy; nothing is concatenated row by row.

    >>> ids = np.frombuffer(b"ab", np.uint8).reshape(1, 2)
    >>> digest_rows(ids, np.array([2]), np.array([0]), [b"T"], None).hex()
    '0000000261625400'
    """
    n = lengths.shape[0]
    tail_width = max(map(len, tails))
    tail_table = np.array(tails, dtype=f"S{tail_width}").view(np.uint8)
    tail_table = tail_table.reshape(len(tails), tail_width)
    tail_len = np.array([len(t) for t in tails], dtype=np.int64)[kinds]
    weight_len = 1 if weights is None else 9
    if n and _all_equal(lengths) and _all_equal(tail_len):
        return _fixed_rows(ids, int(lengths[0]), tail_table[kinds, : int(tail_len[0])], weights)
    row_len = 4 + lengths + tail_len + weight_len
    start = np.cumsum(row_len) - row_len
    out = np.empty(int(row_len.sum()), dtype=np.uint8)
    for k in range(4):  # the 4-byte big-endian length prefix of the id
        out[start + k] = (lengths >> (8 * (3 - k))) & 0xFF
    _scatter(out, start + 4, lengths, ids)
    _scatter(out, start + 4 + lengths, tail_len, tail_table[kinds])
    weight_at = start + 4 + lengths + tail_len
    if weights is None:
        out[weight_at] = 0
    else:
        out[weight_at] = 1
        packed = (weights + 0.0).astype(">f8").view(np.uint8).reshape(n, 8)
        out[weight_at[:, None] + np.arange(1, 9)] = packed
    return out.tobytes()


def _all_equal(values: npt.NDArray[np.int64]) -> bool:
    return bool(values.min() == values.max())


def _fixed_rows(
    ids: npt.NDArray[np.uint8],
    length: int,
    tails: npt.NDArray[np.uint8],
    weights: npt.NDArray[np.float64] | None,
) -> bytes:
    # digest_rows when every row has the same layout (ids of one length, stratum labels of
    # one length, e.g. 18-character codes): the rows are the lines of a 2-D array, written
    # column block by column block instead of scattered byte by byte.
    n, tail = ids.shape[0], tails.shape[1]
    out = np.empty((n, 4 + length + tail + (1 if weights is None else 9)), dtype=np.uint8)
    out[:, :4] = np.frombuffer(length.to_bytes(4, "big"), np.uint8)
    out[:, 4 : 4 + length] = ids[:, :length]
    out[:, 4 + length : 4 + length + tail] = tails
    if weights is None:
        out[:, -1] = 0
    else:
        out[:, -9] = 1
        out[:, -8:] = (weights + 0.0).astype(">f8").view(np.uint8).reshape(n, 8)
    return out.tobytes()


def padded_rows(
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    width: int | None = None,
) -> npt.NDArray[np.uint8]:
    """Return ``data[starts[i] : starts[i] + lengths[i]]`` as rows of an (n, width) array.

    Each row is NUL-padded to ``width`` (default: the longest). The rows are copied from a
    strided view of ``data`` (row ``k`` of the view starts at byte ``k``), so the copy is one
    row gather, not a gather per byte.

    >>> padded_rows(np.frombuffer(b"ab-c", np.uint8), np.array([3, 0]), np.array([1, 2])).tolist()
    [[99, 0], [97, 98]]
    """
    if width is None:
        width = int(lengths.max()) if lengths.shape[0] else 1
    n = starts.shape[0]
    if n and width > 0 and int(lengths.min()) == width:
        # Every row is ``width`` bytes: if they follow each other in ``data`` (an Arrow column
        # of fixed-length ids), the rows are one reshaped copy of the buffer.
        first = int(starts[0])
        if first + n * width <= data.shape[0] and bool(
            np.all(starts == first + width * np.arange(n, dtype=starts.dtype))
        ):
            rows = np.array(data[first : first + n * width], dtype=np.uint8)
            return rows.reshape(n, width)
    extended = np.zeros(data.shape[0] + width, dtype=np.uint8)
    extended[: data.shape[0]] = data
    view = np.lib.stride_tricks.as_strided(
        extended, shape=(data.shape[0] + 1, width), strides=(1, 1), writeable=False
    )
    padded = view[starts]
    padded[np.arange(width) >= lengths[:, None]] = 0
    return padded


def _scatter(
    out: npt.NDArray[np.uint8],
    at: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    padded: npt.NDArray[np.uint8],
) -> None:
    # Row i of ``padded`` holds lengths[i] meaningful bytes (then padding): write them to
    # out[at[i] : at[i] + lengths[i]].
    columns = np.arange(padded.shape[1])
    keep = columns < lengths[:, None]
    out[(at[:, None] + columns)[keep]] = padded[keep]
