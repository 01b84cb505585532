"""From a single department's draw record to the visits team assignment takes.

The counterpart of :func:`visits_from_joint` for an ordinary draw: one visit per drawn
enterprise, with the department's inspection categories, the date and the region given by the
caller. ``randsample visits`` writes these visits to the file ``randsample assign`` reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from ..core import check_id
from ..errors import InvalidInputError, InvalidTypeError
from ..records import DrawRecord, load
from ._common import DEFAULT_TEAM_SIZE
from ._visit import Visit

__all__ = ["visits_from_draw"]


def visits_from_draw(
    draw: DrawRecord | str | bytes,
    *,
    department: str,
    categories: Mapping[str, Sequence[str]] | Sequence[str],
    date: datetime.date | Mapping[str, datetime.date],
    region: Mapping[str, str] | None = None,
    team_size: int = DEFAULT_TEAM_SIZE,
) -> list[Visit]:
    """Return one visit per drawn enterprise of a single department's draw.

    Visit ids are ``{draw_id}-0001``, ... in the record's selection order. ``categories`` is
    one list for every enterprise or a mapping enterprise id -> its categories; ``date`` one
    date or a mapping; ``region`` enterprise id -> region (default ``"unknown"`` for all, so
    that the same-locality rule excludes nobody). Every drawn enterprise needs its
    categories, date and region: nothing is dropped.

    >>> from randsample.examples import demo_population, demo_seed, demo_sizes
    >>> from randsample import draw_stratified, make_record
    >>> population = demo_population(size=200)
    >>> record = make_record(draw_stratified(population, demo_sizes(population), demo_seed()),
    ...                      authority="AMR", draw_id="QH-11", timestamp="2026-11-27T02:00:00Z")
    >>> visits = visits_from_draw(record, department="食品科", categories=["餐饮"],
    ...                           date=datetime.date(2026, 12, 1))
    >>> visits[0].visit_id, visits[0].departments, dict(visits[0].items)
    ('QH-11-0001', ('食品科',), {'食品科': frozenset({'餐饮'})})
    """
    record = load(draw, field="draw")
    if not isinstance(record, DrawRecord):
        raise InvalidTypeError("draw", record, "a draw record")
    check_id(department, field="department")
    visits = []
    for index, unit in enumerate(record["selection"], start=1):
        ident = unit["id"]
        cats = _lookup(categories, ident, "categories", (list, tuple))
        day = _lookup(date, ident, "date", (datetime.date,))
        where = "unknown" if region is None else _lookup(region, ident, "region", (str,))
        visits.append(
            Visit(
                visit_id=f"{record['draw_id']}-{index:04d}",
                enterprise_id=ident,
                enterprise_region=where,
                date=day,
                departments=(department,),
                items={department: set(cats)},
                team_size=team_size,
            )
        )
    return visits


def _lookup(value: Any, ident: str, field: str, single: tuple[type, ...]) -> Any:
    if isinstance(value, single) and not isinstance(value, Mapping):
        return value
    if not isinstance(value, Mapping):
        raise InvalidTypeError(field, value, "one value or a mapping enterprise id -> value")
    if ident not in value:
        raise InvalidInputError(field, ident, "has nothing for this drawn enterprise")
    return value[ident]
