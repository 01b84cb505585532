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
from ..core import check_id, check_ids, lp, utf8_buffer
from ..errors import InvalidInputError, InvalidTypeError
from ._rows import _ROWS_CHUNK, bytewise_order, digest_header, digest_rows, padded_rows

__all__ = ["IdScheme", "Population"]

#: How identifiers are checked: opaque strings, or unified social credit codes (strict or
#: lenient about the check character, for legacy pilot codes).
IdScheme = Literal["opaque", "uscc", "uscc-lenient"]


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


def _codes(strata: list[str], labels: tuple[str, ...]) -> npt.NDArray[np.intp]:
    code_of = {label: code for code, label in enumerate(labels)}
    return np.fromiter(map(code_of.__getitem__, strata), np.intp, len(strata))


def _check_strata(values: list[object]) -> tuple[tuple[str, ...], npt.NDArray[np.intp]]:
    # Labels repeat: when every value is a str, check each distinct label once, in bulk; only
    # a failure walks the rows (in order, type first, so that an unhashable value gets a typed
    # error rather than a TypeError from a set) to name the first bad row.
    if set(map(type, values)) == {str}:
        distinct: set[str] = set(values)  # type: ignore[arg-type]  # all str, checked above
        try:
            for value in distinct:
                check_id(value, field="strata")
        except InvalidInputError:
            pass
        else:
            labels = tuple(sorted(distinct))
            return labels, _codes(values, labels)  # type: ignore[arg-type]
    known: set[str] = set()
    for index, item in enumerate(values):
        if not isinstance(item, str) or item not in known:
            check_id(item, field=f"strata[{index}]")
            known.add(item)  # type: ignore[arg-type]  # check_id passed: a str
    labels = tuple(sorted(known))
    return labels, _codes(values, labels)  # type: ignore[arg-type]  # every one passed check_id


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
            coded: tuple[tuple[str, ...], npt.NDArray[np.intp]] = ((label,), np.zeros(n, np.intp))
        else:
            stratum_list = _as_list(strata)
            if len(stratum_list) != n:
                raise InvalidInputError(
                    "strata", len(stratum_list), f"must have one label per unit ({n})"
                )
            coded = _check_strata(stratum_list)
        coded[1].flags.writeable = False
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
        population = cls(id_arr, stratum_arr, eligible_arr, weight_arr, id_scheme)
        object.__setattr__(population, "_coded", coded)  # a cache, as for the digest
        return population

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
        labels, codes = self.stratum_codes()
        counts = np.bincount(codes[self.eligible], minlength=len(labels)).tolist()
        return dict(zip(labels, counts, strict=True))

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def stratum_labels(self) -> tuple[str, ...]:
        """Return the distinct stratum labels in canonical (code point = UTF-8 byte) order."""
        return self.stratum_codes()[0]

    def stratum_codes(self) -> tuple[tuple[str, ...], npt.NDArray[np.intp]]:
        """Return the stratum labels (as :meth:`stratum_labels`) and each unit's label index.

        ``labels[codes[i]] == strata[i]``. Computed once and cached (the population is
        immutable); the codes array is read-only.

        >>> labels, codes = Population.from_columns(["a", "b", "c"],
        ...                                         strata=["B", "A", "B"]).stratum_codes()
        >>> labels, codes.tolist()
        (('A', 'B'), [1, 0, 1])
        """
        cached: tuple[tuple[str, ...], npt.NDArray[np.intp]] | None = self.__dict__.get("_coded")
        if cached is None:
            strata = self.strata.tolist()
            labels = tuple(sorted(set(strata)))
            codes = _codes(strata, labels)
            codes.flags.writeable = False
            cached = (labels, codes)
            object.__setattr__(self, "_coded", cached)  # a cache, not state
        return cached

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
        h = hashlib.sha256(digest_header(len(self)))
        data, starts, ends = utf8_buffer(self.ids.tolist())  # one C-level join and encode
        lengths = ends - starts
        labels, codes = self.stratum_codes()
        # After the id, a row is lp(stratum) || eligible || weight: the first two parts are one
        # of a few byte strings, tail[2 * stratum code + eligible].
        tails = [lp(label.encode("utf-8")) + f for label in labels for f in (b"\x00", b"\x01")]
        kinds = 2 * codes
        kinds += self.eligible
        width = int(lengths.max())
        table: npt.NDArray[np.uint8] | None = None  # contiguous rows, each id then padding
        if width <= 64 and np.all(lengths == width) and len(self) > 1:
            # Equal-length ids (e.g. 18-character codes) sit every width + 1 bytes: a view.
            table = np.concatenate([data, np.zeros(1, np.uint8)]).reshape(len(self), width + 1)
        elif width <= 64:
            table = padded_rows(data, starts, lengths, width)
        # else very long ids: padded chunk by chunk, to the chunk's own width
        padded = None if table is None else table[:, :width]
        order = bytewise_order(data, starts, lengths, padded)
        for start in range(0, len(order), _ROWS_CHUNK):
            rows = order[start : start + _ROWS_CHUNK]
            weights = None if self.weights is None else self.weights[rows]
            if table is None:
                ids = padded_rows(data, starts[rows], lengths[rows])
            else:  # gather whole rows as opaque items (one copy each, not one per byte)
                stride = table.shape[1]
                items = table.view(f"V{stride}").reshape(-1)[rows]
                ids = items.view(np.uint8).reshape(-1, stride)[:, :width]
            h.update(digest_rows(ids, lengths[rows], kinds[rows], tails, weights))
        return h.hexdigest()
