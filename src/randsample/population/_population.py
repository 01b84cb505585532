"""Populations: the units a draw chooses from, with every field that influences the draw.

A :class:`Population` is columnar (numpy arrays inside) and validated once, on construction:
identifiers (unique, NFC, no surrounding whitespace), stratum labels, eligibility and optional
weights. Nothing is dropped, trimmed or coerced; a bad value is an error naming the row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..core import check_id, check_ids, lp
from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["IdScheme", "Population"]

#: How identifiers are checked: opaque strings, or unified social credit codes (strict or
#: lenient about the check character, for legacy pilot codes).
IdScheme = Literal["opaque", "uscc", "uscc-lenient"]

_DIGEST_TAG = b"randsample/v1/population\x00"


def _as_list(values: Iterable[object] | npt.NDArray[np.generic]) -> list[object]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _check_eligible(values: list[object], n: int) -> npt.NDArray[np.bool_]:
    if len(values) != n:
        raise InvalidInputError("eligible", len(values), f"must have one value per unit ({n})")
    for index, value in enumerate(values):
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidTypeError(f"eligible[{index}]", value, "a bool")
    return np.asarray(values, dtype=bool)


def _check_weights(values: list[object], n: int) -> npt.NDArray[np.float64]:
    if len(values) != n:
        raise InvalidInputError("weights", len(values), f"must have one value per unit ({n})")
    for index, value in enumerate(values):
        check.real(value, f"weights[{index}]", minimum=0)
    return np.asarray(values, dtype=np.float64) + 0.0  # + 0.0 turns -0.0 into 0.0


# slots=False leaves room for the cached digest (see digest()).
@attrs.frozen(eq=False, slots=False)
class Population:
    """A validated, immutable set of units: id, stratum, eligibility and optional weight.

    Use :meth:`from_columns` to build one. Arrays are read-only.

    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata=["A", "A", "B"])
    >>> len(pop), pop.stratum_labels()
    (3, ('A', 'B'))
    """

    ids: npt.NDArray[np.object_]
    strata: npt.NDArray[np.object_]
    eligible: npt.NDArray[np.bool_]
    weights: npt.NDArray[np.float64] | None = None
    id_scheme: IdScheme = "opaque"

    @classmethod
    def from_columns(
        cls,
        ids: Sequence[object] | npt.NDArray[np.generic],
        *,
        strata: Sequence[object] | npt.NDArray[np.generic] | str,
        eligible: Sequence[object] | npt.NDArray[np.bool_] | None = None,
        weights: Sequence[object] | npt.NDArray[np.floating] | None = None,
        id_scheme: IdScheme = "opaque",
    ) -> Population:
        """Build a population from columns; ``strata`` may be one label for every unit.

        >>> Population.from_columns(["e1", " e2"], strata="all")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        randsample.errors.InvalidIdentifierError: ids[1]: must not have leading or ..., got ' e2'
        """
        id_list = check_ids(_as_list(ids), field="ids")
        n = len(id_list)
        if id_scheme in ("uscc", "uscc-lenient"):
            from .uscc import validate_uscc

            lenient = id_scheme == "uscc-lenient"
            for index, ident in enumerate(id_list):
                validate_uscc(ident, lenient=lenient, field=f"ids[{index}]")
        elif id_scheme != "opaque":
            raise InvalidInputError(
                "id_scheme", id_scheme, "expected 'opaque', 'uscc' or 'uscc-lenient'"
            )
        if isinstance(strata, str):
            label = check_id(strata, field="strata")
            stratum_list: list[object] = [label] * n
        else:
            stratum_list = _as_list(strata)
            if len(stratum_list) != n:
                raise InvalidInputError(
                    "strata", len(stratum_list), f"must have one label per unit ({n})"
                )
            known: set[object] = set()
            for index, value in enumerate(stratum_list):
                # Labels repeat: check each distinct one once (type first, so that an
                # unhashable value gets a typed error rather than a TypeError from the set).
                if not isinstance(value, str) or value not in known:
                    check_id(value, field=f"strata[{index}]")
                    known.add(value)
        eligible_arr = (
            np.ones(n, dtype=bool) if eligible is None else _check_eligible(_as_list(eligible), n)
        )
        weight_arr = None if weights is None else _check_weights(_as_list(weights), n)
        id_arr = np.empty(n, dtype=object)
        id_arr[:] = id_list
        stratum_arr = np.empty(n, dtype=object)
        stratum_arr[:] = stratum_list
        for array in (id_arr, stratum_arr, eligible_arr, weight_arr):
            if array is not None:
                array.flags.writeable = False
        return cls(id_arr, stratum_arr, eligible_arr, weight_arr, id_scheme)

    def with_eligibility(self, eligible: npt.NDArray[np.bool_]) -> Population:
        """Return a copy with another eligibility column (ids and strata are not re-checked).

        >>> pop = Population.from_columns(["a", "b"], strata="A")
        >>> pop.with_eligibility(np.array([True, False])).eligible.tolist()
        [True, False]
        """
        column = _check_eligible(_as_list(eligible), len(self))
        column.flags.writeable = False
        return attrs.evolve(self, eligible=column)

    def eligible_counts(self) -> dict[str, int]:
        """Return the number of eligible units of every stratum, in label order.

        >>> Population.from_columns(["a", "b", "c"], strata=["A", "A", "B"],
        ...                         eligible=[True, False, True]).eligible_counts()
        {'A': 1, 'B': 1}
        """
        counts = dict.fromkeys(self.stratum_labels(), 0)
        for label, ok in zip(self.strata.tolist(), self.eligible.tolist(), strict=True):
            counts[label] += ok
        return counts

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def stratum_labels(self) -> tuple[str, ...]:
        """Return the distinct stratum labels in canonical (code point = UTF-8 byte) order."""
        return tuple(sorted(set(self.strata.tolist())))

    def digest(self) -> str:
        """Return the population digest of ``docs/spec.md`` section 4.2 (hex SHA-256).

        It covers every field that influences a draw, in a canonical order, so the digest is
        independent of row order. It is computed once and cached (the population is immutable).

        >>> a = Population.from_columns(["x", "y"], strata=["A", "B"])
        >>> b = Population.from_columns(["y", "x"], strata=["B", "A"])
        >>> a.digest() == b.digest()
        True
        """
        cached: str | None = self.__dict__.get("_digest")
        if cached is None:
            cached = self._compute_digest()
            object.__setattr__(self, "_digest", cached)  # a cache, not state: frozen otherwise
        return cached

    def _compute_digest(self) -> str:
        h = hashlib.sha256(_DIGEST_TAG + len(self).to_bytes(8, "big"))
        encoded = [ident.encode("utf-8") for ident in self.ids.tolist()]
        id_len = np.fromiter(map(len, encoded), np.int64, len(encoded))
        width = int(id_len.max())
        # A fixed-width bytes array sorts in C; 'S' comparison pads with NUL, which no valid id
        # contains, so its order is the bytewise order of the spec. Very long ids would make
        # the array too large: they are sorted in Python and padded chunk by chunk instead.
        padded = np.array(encoded, dtype=f"S{width}") if width <= 64 else None
        if padded is not None:
            order = np.argsort(padded, kind="stable")
        else:
            order = np.array(sorted(range(len(encoded)), key=encoded.__getitem__), np.intp)
        labels = self.stratum_labels()
        code_of = {label: code for code, label in enumerate(labels)}
        # After the id, a row is lp(stratum) || eligible || weight: the first two parts are one
        # of a few byte strings, tail[2 * stratum code + eligible].
        tails = [lp(label.encode("utf-8")) + f for label in labels for f in (b"\x00", b"\x01")]
        kinds = 2 * np.fromiter((code_of[s] for s in self.strata.tolist()), np.intp, len(self))
        kinds += self.eligible
        for start in range(0, len(order), 65536):
            rows = order[start : start + 65536]
            if padded is not None:
                ids = padded[rows]
            else:
                chunk = [encoded[i] for i in rows.tolist()]
                ids = np.array(chunk, dtype=f"S{max(map(len, chunk))}")
            h.update(self._rows_bytes(rows, ids, id_len[rows], tails, kinds[rows]))
        return h.hexdigest()

    def _rows_bytes(
        self,
        rows: npt.NDArray[np.intp],
        ids: npt.NDArray[np.bytes_],
        id_len: npt.NDArray[np.int64],
        tails: list[bytes],
        kinds: npt.NDArray[np.intp],
    ) -> bytes:
        # Spec 4.2 rows, lp(id) || lp(stratum) || eligible || weight, assembled with numpy:
        # each field's bytes are scattered into place instead of concatenating row by row.
        tail_width = max(map(len, tails))
        tail_table = np.array(tails, dtype=f"S{tail_width}").view(np.uint8)
        tail_table = tail_table.reshape(len(tails), tail_width)
        tail_len = np.array([len(t) for t in tails], dtype=np.int64)[kinds]
        weight_len = 1 if self.weights is None else 9
        row_len = 4 + id_len + tail_len + weight_len
        start = np.cumsum(row_len) - row_len
        out = np.empty(int(row_len.sum()), dtype=np.uint8)
        for k in range(4):  # the 4-byte big-endian length prefix of the id
            out[start + k] = (id_len >> (8 * (3 - k))) & 0xFF
        id_bytes = ids.view(np.uint8).reshape(len(rows), ids.dtype.itemsize)
        _scatter(out, start + 4, id_len, id_bytes)
        _scatter(out, start + 4 + id_len, tail_len, tail_table[kinds])
        weight_at = start + 4 + id_len + tail_len
        if self.weights is None:
            out[weight_at] = 0
        else:
            out[weight_at] = 1
            packed = self.weights[rows].astype(">f8").view(np.uint8).reshape(-1, 8)
            out[weight_at[:, None] + np.arange(1, 9)] = packed
        return out.tobytes()


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
