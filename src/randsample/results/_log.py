"""The result log: every department's dated result snapshots, append-only, in date order.

A :class:`ResultLog` is the journal a platform keeps: one entry per change of a result (entered,
returned, approved, published, closed). Entries are appended in date order and never edited;
the state of every result *as of* a date is the log's prefix up to that date, so a report due
on the 23rd can be re-run exactly, later, from the same log (:meth:`ResultLog.as_of`).

:class:`Drawn` says what may have a result at all: the enterprises each department drew in each
task. A result for anything else is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ..joint import JointDraw
from ..records import DrawRecord, ReplacementRecord
from ._result import InspectionResult, ResultKey, check_step, enter_result

__all__ = ["Drawn", "ResultLog"]


@attrs.frozen
class Drawn:
    """The enterprises each department drew in each task: what a result may be about.

    ``units`` maps ``(task_id, department)`` to ``(period, enterprise ids)``. Build it from
    joint draws (:meth:`from_joint`) or from a sealed draw record (:meth:`from_record`).

    >>> drawn = Drawn({("T1", "SAMR"): ("2026-03", frozenset({"E1", "E2"}))})
    >>> drawn.check("T1", "SAMR", "E3", "2026-03")
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: enterprise_id: was not drawn by SAMR in task 'T1', got 'E3'
    """

    units: Mapping[tuple[str, str], tuple[str, frozenset[str]]]

    def __attrs_post_init__(self) -> None:
        check.mapping(self.units, "drawn", what="a mapping (task_id, department) -> (period, ids)")

    def __repr__(self) -> str:
        units = sum(len(ids) for _, ids in self.units.values())
        return f"Drawn({len(self.units)} department draws, {units} results possible)"

    @classmethod
    def from_joint(cls, draws: Iterable[JointDraw]) -> Drawn:
        """Every department draw of every period's joint draw (task ids are merged task ids)."""
        units: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
        for index, result in enumerate(check.sequence(draws, "draws")):
            check.instance(result, f"draws[{index}]", JointDraw)
            for draw in result.draws:
                key = (draw.task_id, draw.department)
                if key in units:
                    raise InvalidInputError("draws", key, "is drawn in two periods")
                units[key] = (result.period, frozenset(draw.sample.ids))
        return cls(units)

    @classmethod
    def from_record(
        cls,
        record: DrawRecord,
        *,
        department: str,
        period: str,
        replacements: Sequence[ReplacementRecord] = (),
    ) -> Drawn:
        """Return the sample of one sealed draw (task id: its ``draw_id``), replacements applied."""
        check.instance(record, "record", DrawRecord)
        current = set(record.selected_ids)
        for index, replacement in enumerate(check.sequence(replacements, "replacements")):
            check.instance(replacement, f"replacements[{index}]", ReplacementRecord)
            if replacement["draw_record_digest"] != record.record_digest:
                raise InvalidInputError(
                    f"replacements[{index}]", replacement.label, "belongs to another draw"
                )
            current.discard(replacement["replaced"]["id"])
            current.add(replacement["replacement"]["id"])
        key = (check.label(record.label, "draw_id"), check.label(department, "department"))
        return cls({key: (check.label(period, "period"), frozenset(current))})

    def check(self, task_id: str, department: str, enterprise_id: str, period: str) -> None:
        """Raise unless ``department`` drew ``enterprise_id`` in ``task_id`` in ``period``."""
        entry = self.units.get((task_id, department))
        if entry is None:
            raise InvalidInputError("department", department, f"made no draw in task {task_id!r}")
        if enterprise_id not in entry[1]:
            raise InvalidInputError(
                "enterprise_id", enterprise_id, f"was not drawn by {department} in task {task_id!r}"
            )
        if period != entry[0]:
            raise InvalidInputError("period", period, f"task {task_id!r} was drawn in {entry[0]}")

    def keys(self) -> Iterator[ResultKey]:
        """Every (task_id, department, enterprise_id) that may have a result, sorted."""
        for (task_id, department), (_, ids) in sorted(self.units.items()):
            for enterprise in sorted(ids):
                yield (task_id, department, enterprise)

    def period(self, task_id: str, department: str) -> str:
        """Return the period of ``department``'s draw in ``task_id``."""
        return self.units[task_id, department][0]


class ResultLog:
    """An append-only, date-ordered journal of result snapshots (see the module docstring).

    >>> import datetime as dt
    >>> drawn = Drawn({("T1", "SAMR"): ("2026-03", frozenset({"E1"}))})
    >>> log = ResultLog(drawn)
    >>> r = log.enter(task_id="T1", department="SAMR", enterprise_id="E1",
    ...               category="no-problem", methods=["written"], follow_ups=["none"],
    ...               officers=["O-1"], inspection_start=dt.date(2026, 3, 2),
    ...               inspection_end=dt.date(2026, 3, 2), on=dt.date(2026, 3, 3), by="O-1")
    >>> for state, day in (("approved", 4), ("published", 5)):
    ...     _ = log.move(r.key, state, on=dt.date(2026, 3, day), by="chief")
    >>> log.state(r.key), log.as_of(dt.date(2026, 3, 4)).state(r.key)
    ('published', 'approved')
    """

    def __init__(self, drawn: Drawn, entries: Iterable[InspectionResult] = ()) -> None:
        self._drawn = check.instance(drawn, "drawn", Drawn)
        self._entries: list[InspectionResult] = []
        self._current: dict[ResultKey, InspectionResult] = {}
        for entry in entries:
            self.append(entry)

    def __repr__(self) -> str:
        last = self._entries[-1].date if self._entries else None
        return f"ResultLog({len(self._entries)} entries, {len(self._current)} results, last {last})"

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[InspectionResult]:
        return iter(tuple(self._entries))

    @property
    def drawn(self) -> Drawn:
        """What may have a result."""
        return self._drawn

    @property
    def entries(self) -> tuple[InspectionResult, ...]:
        """Every snapshot, in log order."""
        return tuple(self._entries)

    def append(self, entry: InspectionResult) -> InspectionResult:
        """Append one snapshot; refuse an undrawn unit, an illegal move or a back-dated entry."""
        check.instance(entry, "entry", InspectionResult)
        self._drawn.check(entry.task_id, entry.department, entry.enterprise_id, entry.period)
        if self._entries and entry.date < self._entries[-1].date:
            raise InvalidInputError(
                "entry.date",
                entry.date,
                f"is before the log's last entry ({self._entries[-1].date}): the log is "
                "append-only in date order",
            )
        check_step(self._current.get(entry.key), entry)
        self._entries.append(entry)
        self._current[entry.key] = entry
        return entry

    def enter(
        self, *, task_id: str, department: str, enterprise_id: str, **fields: Any
    ) -> InspectionResult:
        """Enter a result (未录入 → 待审核) for a drawn enterprise; see :func:`enter_result`."""
        if not isinstance(task_id, str) or not isinstance(department, str):
            raise InvalidTypeError("task_id", (task_id, department), "str task id and department")
        if (task_id, department) not in self._drawn.units:
            raise InvalidInputError("department", department, f"made no draw in task {task_id!r}")
        period = self._drawn.period(task_id, department)
        result = enter_result(
            task_id=task_id,
            department=department,
            enterprise_id=enterprise_id,
            period=period,
            **fields,
        )
        return self.append(result)

    def move(
        self, key: ResultKey, state: str, *, on: datetime.date, by: str, **changes: Any
    ) -> InspectionResult:
        """Move the result ``key`` to ``state`` (re-entry may change content); append it."""
        current = self._current.get(tuple(key))  # type: ignore[arg-type]
        if current is None:
            raise InvalidInputError("key", key, "has no result entered yet (未录入)")
        return self.append(current.advance(state, on=on, by=by, **changes))

    def current(self) -> dict[ResultKey, InspectionResult]:
        """Return the latest snapshot of every result entered so far."""
        return dict(self._current)

    def state(self, key: ResultKey) -> str:
        """Return the audit state of ``key`` now (``not-entered`` when nothing was logged)."""
        entry = self._current.get(tuple(key))  # type: ignore[arg-type]
        return "not-entered" if entry is None else entry.state

    def history(self, key: ResultKey) -> tuple[InspectionResult, ...]:
        """Every snapshot of ``key``, oldest first."""
        return tuple(e for e in self._entries if e.key == tuple(key))

    def as_of(self, day: datetime.date) -> ResultLog:
        """Return the log as it stood at the end of ``day`` (entries dated ``day`` or before)."""
        check.date(day, "as_of")
        return ResultLog(self._drawn, [e for e in self._entries if e.date <= day])
