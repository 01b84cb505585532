"""Work on one partition of a population: checks, counts, candidate units, digest rows.

Every function here takes one pandas partition (columns ``id``, ``stratum``, ``eligible`` and
optionally ``weight``; ids and labels as Arrow strings) and the partition's number, and
returns a small, picklable result. Nothing depends on how the population was partitioned:
counts add up, candidates are merged by ticket, digest rows are cut from a global sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..core import check_ids, lp, ticket_kernel
from ..core._kernel import KernelName
from ..errors import InvalidInputError, InvalidTypeError
from ..population import digest_rows, padded_rows

__all__ = [
    "ALL_TICKETS",
    "COLUMNS",
    "Candidates",
    "Scan",
    "candidates",
    "changed_during_draw",
    "digest_part",
    "scan",
    "utf8_column",
]

#: The columns a partitioned population has (``weight`` only for weighted populations).
COLUMNS = ("id", "stratum", "eligible")
#: The cut on the first 64 ticket bits that keeps every unit.
ALL_TICKETS = 2**64 - 1
#: The column a sort carries along to say where each row came from (see ``digest_part``).
ORIGIN = "_partition"


def where(index: int) -> str:
    """Return the prefix that names partition ``index`` in an error."""
    return f"partition {index}"


def utf8_column(
    values: Any, field: str
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return a string column as one UTF-8 buffer with start and end offsets.

    Arrow strings are not copied; other columns are converted once. A null is an error naming
    its row.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> import pandas as pd
    >>> data, starts, ends = utf8_column(pd.Series(["ab", "统"], dtype="string[pyarrow]"), "id")
    >>> bytes(data[starts[1]:ends[1]]).decode(), ends.tolist()
    ('统', [2, 5])
    """
    import pyarrow as pa

    try:
        array = (
            values
            if isinstance(values, (pa.Array, pa.ChunkedArray))
            else pa.array(values, from_pandas=True)
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidTypeError(
            field, type(values).__name__, f"a column of strings ({exc})"
        ) from None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        row = int(np.flatnonzero(array.is_null().to_numpy(zero_copy_only=False))[0])
        raise InvalidInputError(f"{field}[{row}]", None, "must not be null")
    if pa.types.is_string_view(array.type) or pa.types.is_dictionary(array.type):
        array = array.cast(pa.large_string())
    if pa.types.is_string(array.type):
        offset_type: Any = np.int32
    elif pa.types.is_large_string(array.type):
        offset_type = np.int64
    elif len(array) == 0:
        return np.zeros(0, np.uint8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    else:
        raise InvalidTypeError(field, str(array.type), "a column of strings")
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[
        array.offset : array.offset + len(array) + 1
    ]
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(0, np.uint8)
    )
    offsets = offsets.astype(np.int64, copy=False)  # large_string offsets are not copied
    return data, offsets[:-1], offsets[1:]


def _texts(data: npt.NDArray[np.uint8], starts: Any, ends: Any) -> list[str]:
    raw = data.tobytes()
    return [raw[s:e].decode("utf-8") for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def check_utf8_ids(
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    field: str,
) -> None:
    """Check ids (spec section 1) in bulk; the first bad one is reported by :func:`check_ids`.

    All-ASCII ids are checked on the bytes (printable, no space at either end, not empty:
    ASCII text is always NFC); others go through :func:`randsample.core.check_ids`.
    Duplicates across partitions (and, for ASCII ids, within one) are found by the global
    sort of the digest.
    """
    if starts.shape[0] == 0:
        return
    lengths = ends - starts
    # An Arrow column's ids are contiguous: every byte between the first start and the last
    # end belongs to some id.
    used = data[int(starts.min()) : int(ends.max())]
    if (
        (used.shape[0] == 0 or (int(used.min()) >= 0x20 and int(used.max()) <= 0x7E))
        and bool(np.all(lengths > 0))
        and not np.any(data[starts] == 0x20)
        and not np.any(data[ends - 1] == 0x20)
    ):
        return  # printable ASCII, not empty, no space at either end (ASCII is always NFC)
    check_ids(_texts(data, starts, ends), field=field)


@attrs.frozen
class Scan:
    """Counts of one partition (or, added up, of the whole population)."""

    rows: int
    #: stratum -> [units, eligible, eligible with weight > 0]
    strata: dict[str, tuple[int, int, int]]

    def __add__(self, other: Scan) -> Scan:
        merged = dict(self.strata)
        for label, counts in other.strata.items():
            mine = merged.get(label, (0, 0, 0))
            merged[label] = (mine[0] + counts[0], mine[1] + counts[1], mine[2] + counts[2])
        return Scan(self.rows + other.rows, merged)


def _columns(frame: Any, index: int, weighted: bool) -> None:
    needed = (*COLUMNS, "weight") if weighted else COLUMNS
    for name in needed:
        if name not in frame.columns:
            raise InvalidInputError(
                f"{where(index)}: columns", sorted(map(str, frame.columns)), f"has no {name!r}"
            )


def eligible_column(frame: Any, index: int) -> npt.NDArray[np.bool_]:
    """Return the ``eligible`` column as bools; nulls and non-bools are errors naming the row."""
    column = frame["eligible"]
    if column.isna().any():
        row = int(np.flatnonzero(column.isna().to_numpy())[0])
        raise InvalidInputError(f"{where(index)}: eligible[{row}]", None, "must not be null")
    values = column.to_numpy()
    if values.dtype != np.bool_:
        if values.dtype == object and all(isinstance(v, (bool, np.bool_)) for v in values):
            return np.asarray(values, dtype=bool)
        bad = next(v for v in values if not isinstance(v, (bool, np.bool_)))
        raise InvalidTypeError(f"{where(index)}: eligible", bad, "a bool")
    return np.asarray(values, dtype=bool)


def weight_column(frame: Any, index: int) -> npt.NDArray[np.float64]:
    """Return the ``weight`` column: finite, non-negative float64 (-0.0 as 0.0)."""
    column = frame["weight"]
    if column.isna().any():
        row = int(np.flatnonzero(column.isna().to_numpy())[0])
        raise InvalidInputError(f"{where(index)}: weight[{row}]", None, "must not be null")
    try:
        values = column.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidTypeError(f"{where(index)}: weight", column.dtype, "a float column") from None
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"{where(index)}: weight[{row}]", float(values[row]), "must be finite and >= 0"
        )
    return np.asarray(values + 0.0, dtype=np.float64)


def stratum_codes(frame: Any, index: int) -> tuple[list[str], npt.NDArray[Any]]:
    """Return the partition's distinct stratum labels (sorted) and each row's code.

    Codes are bytes (``uint8``) for one-byte labels, else ``intp``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    field = f"{where(index)}: stratum"
    data, starts, ends = utf8_column(frame["stratum"], field)  # type and null checks
    if starts.shape[0] and bool(np.all(ends - starts == 1)):
        # One-byte labels (credit classes "A" to "D"): counted by byte, no hashing.
        values = data[starts]
        present = np.flatnonzero(np.bincount(values, minlength=256))
        if int(present[-1]) < 0x80:  # ASCII: byte order is label order
            labels = [chr(byte) for byte in present.tolist()]
            for label in labels:
                check_ids([label], field=field)
            rank = np.zeros(256, dtype=np.uint8)  # at most 128 labels: kinds fit a byte
            rank[present] = np.arange(present.shape[0])
            return labels, rank[values]
    array = pa.array(frame["stratum"], from_pandas=True)
    encoded = pc.dictionary_encode(array)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    found = encoded.dictionary.to_pylist()
    labels = sorted(found)
    for label in labels:
        check_ids([label], field=field)
    rank = np.array([labels.index(label) for label in found], dtype=np.intp)
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)] if found else np.zeros(0, np.intp)
    return labels, codes


@attrs.frozen(eq=False)
class Columns:
    """One partition's checked columns: ids as a UTF-8 buffer with offsets, coded strata."""

    data: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    labels: list[str]
    #: ``uint8`` when there are at most 128 labels (so ``2 * code + 1`` fits a byte).
    codes: npt.NDArray[Any]
    eligible: npt.NDArray[np.bool_]
    weights: npt.NDArray[np.float64] | None


def checked_columns(frame: Any, index: int, weighted: bool) -> Columns:
    """Check one partition (columns, ids, labels, eligible, weights) and return its columns."""
    _columns(frame, index, weighted)
    data, starts, ends = utf8_column(frame["id"], f"{where(index)}: id")
    check_utf8_ids(data, starts, ends, f"{where(index)}: id")
    labels, codes = stratum_codes(frame, index)
    if len(labels) <= 128 and codes.dtype != np.uint8:
        codes = codes.astype(np.uint8)  # an eighth of the memory while the partition is held
    eligible = eligible_column(frame, index)
    weights = weight_column(frame, index) if weighted else None
    return Columns(data, starts, ends, labels, codes, eligible, weights)


def scan(frame: Any, index: int, weighted: bool) -> Scan:
    """Check one partition and count its units per stratum."""
    return count(checked_columns(frame, index, weighted))


def count(columns: Columns) -> Scan:
    """Count a partition's checked columns per stratum: units, eligible, eligible with weight."""
    labels, codes, eligible = columns.labels, columns.codes, columns.eligible
    units = np.bincount(codes, minlength=len(labels))
    if columns.weights is None and bool(eligible.all()):  # the usual case: one count
        chosen = positive_eligible = units
    else:
        positive = columns.weights > 0 if columns.weights is not None else eligible
        chosen = np.bincount(codes, weights=eligible, minlength=len(labels))
        positive_eligible = np.bincount(codes, weights=eligible & positive, minlength=len(labels))
    return Scan(
        int(columns.starts.shape[0]),
        {
            label: (int(units[k]), int(chosen[k]), int(positive_eligible[k]))
            for k, label in enumerate(labels)
        },
    )


@attrs.frozen
class Candidates:
    """Units of a partition whose ticket's first 64 bits are at most their stratum's cut."""

    ids: list[str]
    strata: list[str]
    tickets: npt.NDArray[np.uint8]
    weights: npt.NDArray[np.float64] | None


def changed_during_draw(stratum: str) -> InvalidInputError:
    """Return the error of a stratum with fewer eligible units when read than when counted.

    A partition rewritten between the scan and the read; the draw stops rather than return a
    short sample or widen its cut for ever.
    """
    return InvalidInputError(
        "population", stratum, "changed during the draw: fewer eligible units than counted"
    )


def thresholds(
    needed: Mapping[str, int], eligible: Mapping[str, int], margin: float
) -> dict[str, int]:
    """Return, per stratum, a cut on the first 64 ticket bits.

    The cut keeps about ``needed`` eligible units plus ``margin`` standard deviations (all
    units when that is most of them).

    >>> thresholds({"A": 10}, {"A": 1000}, 6.0)["A"] < 2**64
    True
    """
    cuts = {}
    for label, k in needed.items():
        m = eligible.get(label, 0)
        if k <= 0 or m == 0:
            continue
        keep = k + margin * math.sqrt(k) + margin * margin
        cuts[label] = ALL_TICKETS if keep >= m else min(ALL_TICKETS, math.ceil(keep / m * 2**64))
    return cuts


def candidates(
    frame: Any,
    index: int,
    *,
    subkey: bytes,
    cuts: Mapping[str, int],
    weighted: bool,
    kernel: KernelName,
) -> Candidates:
    """Return the eligible units of the partition whose ticket is within their stratum's cut.

    Tickets are computed for the eligible units of the strata in ``cuts`` only.
    """
    labels, codes = stratum_codes(frame, index)
    eligible = eligible_column(frame, index)
    has_cut = np.array([label in cuts for label in labels], dtype=bool)
    limit = np.array([cuts.get(label, 0) for label in labels], dtype=np.uint64)
    wanted = eligible & has_cut[codes] if labels else eligible
    rows = np.flatnonzero(wanted)
    data, starts, ends = utf8_column(frame["id"], f"{where(index)}: id")
    fill = ticket_kernel(kernel).fill
    kept_rows, kept_tickets = [], []
    out = np.empty((min(rows.shape[0], _TICKET_CHUNK), 32), dtype=np.uint8)
    for at in range(0, rows.shape[0], _TICKET_CHUNK):  # bounded memory: one chunk of tickets
        chunk = rows[at : at + _TICKET_CHUNK]
        part = out[: chunk.shape[0]]
        fill(subkey, data, starts[chunk], ends[chunk], part)
        head = np.ascontiguousarray(part[:, :8]).view(">u8").reshape(-1).astype(np.uint64)
        keep = head <= limit[codes[chunk]]
        kept_rows.append(chunk[keep])
        kept_tickets.append(part[keep].copy())
    kept = np.concatenate(kept_rows) if kept_rows else rows[:0]
    tickets = np.concatenate(kept_tickets) if kept_tickets else np.zeros((0, 32), np.uint8)
    weights = weight_column(frame, index)[kept] if weighted else None
    return Candidates(
        _texts(data, starts[kept], ends[kept]),
        [labels[c] for c in codes[kept].tolist()],
        tickets,
        weights,
    )


_TICKET_CHUNK = 1 << 18


def digest_part(frame: Any, index: int, weighted: bool) -> tuple[bytes, Any, Any]:
    """Return spec 4.2 rows of a part of the global sort by id.

    With them come the part's first and last (id, origin partition), to check the joins
    between parts.

    Equal neighbouring ids are duplicates: an error naming both origin partitions.
    """
    if len(frame) == 0:
        return b"", None, None
    data, starts, ends = utf8_column(frame["id"], "id")
    lengths = ends - starts
    origin = frame[ORIGIN].to_numpy()
    ids = padded_rows(data, starts, lengths)
    same = np.flatnonzero((lengths[1:] == lengths[:-1]) & np.all(ids[1:] == ids[:-1], axis=1))
    if same.shape[0]:
        k = int(same[0])
        raise duplicate(
            _texts(data, starts[k : k + 1], ends[k : k + 1])[0], origin[k], origin[k + 1]
        )
    labels, codes = stratum_codes(frame, int(origin[0]))
    eligible = eligible_column(frame, int(origin[0]))
    tails = [lp(label.encode("utf-8")) + f for label in labels for f in (b"\x00", b"\x01")]
    kinds = 2 * codes + eligible
    weights = weight_column(frame, int(origin[0])) if weighted else None
    first = (_texts(data, starts[:1], ends[:1])[0], int(origin[0]))
    last = (_texts(data, starts[-1:], ends[-1:])[0], int(origin[-1]))
    return digest_rows(ids, lengths, kinds, tails, weights), first, last


def duplicate(ident: str, first: int, second: int) -> InvalidInputError:
    """Return the error for an id found twice (in partitions ``first`` and ``second``)."""
    places = (
        f"twice in {where(int(first))}"
        if first == second
        else f"in {where(int(first))} and in {where(int(second))}"
    )
    return InvalidInputError("id", ident, f"is a duplicate: it appears {places}")
