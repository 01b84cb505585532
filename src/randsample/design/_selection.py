"""The selected units of a draw, stored by column.

A draw of a million-unit population selects tens of thousands of units. Held as one object
per unit they cost time to build and, being containers the cyclic garbage collector tracks,
they set off full collections of the caller's whole heap while a record is made (about a
tenth of an end-to-end draw, measured). :class:`Selection` keeps the same facts in a few
flat columns and makes a :class:`SelectedUnit` only when one is asked for; the record is
written from the columns directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any, overload

import attrs

from ..errors import InvalidTypeError

__all__ = ["SelectedUnit", "Selection", "as_selection"]

TICKET_BYTES = 32


@attrs.frozen
class SelectedUnit:
    """One selected unit: its id, stratum, rank in the stratum's ticket order, ticket and pi."""

    id: str
    stratum: str
    rank: int
    ticket: bytes
    inclusion_probability: Fraction

    @property
    def design_weight(self) -> Fraction:
        """The Horvitz-Thompson design weight ``1 / pi``."""
        return 1 / self.inclusion_probability


class Selection(Sequence[SelectedUnit]):
    """The selected units of a draw, by stratum then rank: a sequence of :class:`SelectedUnit`.

    It behaves as the tuple of its units (indexing, slicing, iteration, ``len``, equality with
    another selection or a tuple of units) but stores columns; the units are made on access.

    >>> from fractions import Fraction
    >>> unit = SelectedUnit("e1", "A", 1, bytes(32), Fraction(1, 3))
    >>> selection = Selection.of([unit])
    >>> selection[0] == unit, selection == (unit,), len(selection)
    (True, True, 1)
    >>> selection.ids
    ('e1',)
    """

    __slots__ = ("_ids", "_probabilities", "_ranks", "_strata", "_tickets")

    def __init__(
        self,
        ids: Sequence[str],
        strata: Sequence[str],
        ranks: Sequence[int],
        tickets: bytes,
        probabilities: Sequence[Fraction],
    ) -> None:
        count = len(ids)
        if not (len(strata) == len(ranks) == len(probabilities) == count) or len(tickets) != (
            count * TICKET_BYTES
        ):
            raise InvalidTypeError(
                "selection", count, "columns of one length (tickets: 32 bytes per unit)"
            )
        self._ids = tuple(ids)
        self._strata = tuple(strata)
        self._ranks = tuple(ranks)
        self._tickets = bytes(tickets)
        self._probabilities = tuple(probabilities)

    @classmethod
    def of(cls, units: Selection | Iterable[SelectedUnit]) -> Selection:
        """Return ``units`` as a selection (a selection is returned as it is).

        >>> Selection.of([]) == ()
        True
        """
        if isinstance(units, Selection):
            return units
        listed = list(units)
        for index, unit in enumerate(listed):
            if not isinstance(unit, SelectedUnit):
                raise InvalidTypeError(f"selection[{index}]", unit, "a SelectedUnit")
            if type(unit.ticket) is not bytes or len(unit.ticket) != TICKET_BYTES:
                raise InvalidTypeError(f"selection[{index}].ticket", unit.ticket, "32 bytes")
        return cls(
            [u.id for u in listed],
            [u.stratum for u in listed],
            [u.rank for u in listed],
            b"".join(u.ticket for u in listed),
            [u.inclusion_probability for u in listed],
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """The selected ids, in order."""
        return self._ids

    @property
    def strata(self) -> tuple[str, ...]:
        """Each selected unit's stratum, in order."""
        return self._strata

    @property
    def ranks(self) -> tuple[int, ...]:
        """Each selected unit's rank in its stratum's ticket order, in order."""
        return self._ranks

    @property
    def probabilities(self) -> tuple[Fraction, ...]:
        """Each selected unit's exact inclusion probability, in order."""
        return self._probabilities

    def ticket_hexes(self) -> list[str]:
        """Each selected unit's ticket as 64 lowercase hex digits, in order (one conversion)."""
        text = self._tickets.hex()
        step = 2 * TICKET_BYTES
        return [text[i : i + step] for i in range(0, len(text), step)]

    def _unit(self, index: int) -> SelectedUnit:
        start = index * TICKET_BYTES
        return SelectedUnit(
            self._ids[index],
            self._strata[index],
            self._ranks[index],
            self._tickets[start : start + TICKET_BYTES],
            self._probabilities[index],
        )

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> SelectedUnit: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[SelectedUnit, ...]: ...
    def __getitem__(self, index: int | slice) -> SelectedUnit | tuple[SelectedUnit, ...]:
        if isinstance(index, slice):
            return tuple(self._unit(i) for i in range(*index.indices(len(self))))
        position = range(len(self))[index]  # IndexError as a tuple raises it
        return self._unit(position)

    def __iter__(self) -> Iterator[SelectedUnit]:
        return (self._unit(i) for i in range(len(self)))

    def _key(self) -> tuple[Any, ...]:
        return (self._ids, self._strata, self._ranks, self._tickets, self._probabilities)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Selection):
            return self._key() == other._key()
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # equal to a tuple of the same units, so hashed as one

    def __repr__(self) -> str:
        return f"Selection({len(self)} units)"

    def __getstate__(self) -> tuple[Any, ...]:
        return self._key()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (self._ids, self._strata, self._ranks, self._tickets, self._probabilities) = state


def as_selection(units: Selection | Iterable[SelectedUnit]) -> Selection:
    """Return ``units`` as a :class:`Selection` (the converter of ``StratifiedSample``)."""
    return Selection.of(units)
