"""A year plan's annual sizing: counts per (task, stratum) and their allocation over periods.

Made by :meth:`~randsample.joint.YearPlan.sizing` once at the start of the year; the period
draws take their sizes from it (:meth:`AnnualSizing.sizes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from .._text import Column, Tabular
from ..design import Sizes, StratumSize
from ..errors import InvalidInputError, SampleSizeError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ._year import YearPlan

__all__ = ["AnnualSizing", "SizingRow"]


@attrs.frozen
class SizingRow:
    """One (task, stratum): base eligible units, the quota, the annual count, its periods."""

    task_id: str
    stratum: str
    credit_class: str | None
    eligible: int
    rule: str
    unrounded: Fraction
    annual: int
    periods: tuple[tuple[str, int], ...]
    bound: str | None = None

    @property
    def planned_share(self) -> Fraction:
        """The share of the stratum the quota asks for, over its eligible units.

        The rate before rounding, or the count a minimum or maximum bound set.
        """
        if not self.eligible:
            return Fraction(0)
        return Fraction(self.annual if self.bound else self.unrounded) / self.eligible


@attrs.frozen(eq=False)
class AnnualSizing(Tabular):
    """The year's counts per (task, stratum) and their allocation over periods (a table).

    >>> from randsample.examples import small_year
    >>> plan, sizing, seed, scopes = small_year()
    >>> row = sizing.rows_of("T-02")[0]
    >>> row.stratum, row.annual, row.periods
    ('A', 6, (('2026-01', 2), ('2026-04', 2), ('2026-07', 1), ('2026-10', 1)))
    """

    plan: YearPlan = attrs.field(repr=False)
    rows: tuple[SizingRow, ...]
    class_of: Mapping[str, str | None] = attrs.field(repr=False)
    class_totals: dict[str, int]

    def __repr__(self) -> str:
        return f"AnnualSizing(tasks={len({r.task_id for r in self.rows})}, rows={len(self.rows)})"

    def rows_of(self, task_id: str) -> tuple[SizingRow, ...]:
        """Return the rows of one task, by stratum."""
        return tuple(row for row in self.rows if row.task_id == task_id)

    def _columns(self) -> list[Column]:
        return [
            Column("task_id", "task", align="<"),
            Column("stratum", "stratum", align="<"),
            Column("eligible", "eligible"),
            Column("rule", "quota", align="<"),
            Column("annual", "a year"),
            Column("periods", "per period", align="<"),
        ]

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "task_id": row.task_id,
                "stratum": row.stratum,
                "eligible": row.eligible,
                "rule": row.rule,
                "annual": row.annual,
                "periods": " ".join(str(n) for _, n in row.periods),
            }
            for row in self.rows
        ]

    def sizes(self, task_id: str, period: str, eligible: Mapping[str, int]) -> Sizes:
        """Return the task's sizes for ``period``, checked against the period's eligible units.

        A stratum of the period's population that the year's sizing does not know, or a size
        above the stratum's eligible units (after exclusions), is an error naming the task,
        stratum and period: never a short sample.
        """
        where = f"task {task_id!r}"
        rows = {row.stratum: row for row in self.rows_of(task_id)}
        new = sorted(set(eligible) - set(rows))
        if new:
            raise InvalidInputError(
                f"{where}.quotas", new[0], f"is a stratum of {period} with no annual count"
            )
        details = []
        for stratum, row in sorted(rows.items()):
            counts = dict(row.periods)
            if period not in counts:
                raise InvalidInputError(f"{where}.periods", period, "is not a period of the task")
            size, units = counts[period], eligible.get(stratum, 0)
            if size > units:
                raise SampleSizeError(
                    f"{where}.sizes[{stratum!r}]",
                    size,
                    f"exceeds the {units} eligible units of {period} (after exclusions)",
                )
            rule = f"{row.annual} a year ({row.rule}), {period} share"
            details.append(StratumSize(stratum, units, rule, Fraction(size), size, None))
        return Sizes(tuple(details))

    def nominal_rates(self, task_id: str) -> dict[str, Fraction]:
        """Return the task's nominal annual rate per stratum (for the credit-risk flag)."""
        return {
            row.stratum: row.unrounded / row.eligible
            for row in self.rows_of(task_id)
            if row.eligible
        }
