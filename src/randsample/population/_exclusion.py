"""Exclusion of recently inspected enterprises, with its effect on the probabilities stated.

An enterprise inspected within the last ``days`` days before the draw date is made ineligible
for this draw. It stays in the population (so the published file shows it and why), and the
report says, per stratum, how many units were excluded and how the inclusion probability of
the remaining units changes (``n_h / M_h`` rises as ``M_h`` falls). Nothing is changed
silently: the new population has a different digest, and the record shows the new counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction

import attrs

from .. import _validation as check
from ..errors import InvalidInputError
from ._population import Population

__all__ = ["ExclusionReport", "exclude_recently_inspected"]


@attrs.frozen
class ExclusionReport:
    """What an exclusion rule removed, per stratum, and what that does to the probabilities."""

    as_of: date
    days: int
    excluded: tuple[str, ...]
    eligible_before: dict[str, int]
    eligible_after: dict[str, int]

    def inclusion_probabilities(
        self, sizes: Mapping[str, int]
    ) -> dict[str, tuple[Fraction, Fraction]]:
        """Return per stratum ``n_h / M_h`` without and with the exclusion (equal probability).

        >>> report = ExclusionReport(date(2026, 11, 27), 180, ("e1",), {"A": 4}, {"A": 3})
        >>> {h: (str(a), str(b)) for h, (a, b) in report.inclusion_probabilities({"A": 1}).items()}
        {'A': ('1/4', '1/3')}
        """
        out = {}
        for label, size in sizes.items():
            before, after = self.eligible_before.get(label, 0), self.eligible_after.get(label, 0)
            out[label] = (
                Fraction(size, before) if before else Fraction(0),
                Fraction(size, after) if after else Fraction(0),
            )
        return out

    def summary(self) -> str:
        """Return a table: per stratum, eligible units before and after, and excluded."""
        lines = [f"excluded: inspected in the {self.days} days up to {self.as_of.isoformat()}"]
        lines.append(f"{'stratum':<10} {'before':>8} {'after':>8} {'excluded':>9}")
        for label, before in self.eligible_before.items():
            after = self.eligible_after[label]
            lines.append(f"{label:<10} {before:>8} {after:>8} {before - after:>9}")
        return "\n".join(lines)


def exclude_recently_inspected(
    population: Population,
    last_inspected: Mapping[str, date | None],
    *,
    as_of: date,
    days: int,
) -> tuple[Population, ExclusionReport]:
    """Make ineligible every unit last inspected within ``days`` days up to ``as_of``.

    A unit is excluded when ``as_of - days < last_inspected <= as_of``. Units missing from
    ``last_inspected`` (or mapped to None) were never inspected. A date after ``as_of`` or an
    id that is not in the population is an error.

    >>> pop = Population.from_columns(["e1", "e2", "e3", "e4"], strata="A")
    >>> new, report = exclude_recently_inspected(
    ...     pop, {"e1": date(2026, 10, 1), "e2": date(2025, 1, 5)},
    ...     as_of=date(2026, 11, 27), days=180)
    >>> report.excluded, report.eligible_after
    (('e1',), {'A': 3})
    """
    check.instance(population, "population", Population)
    # A time of day (and its time zone) would make "within K days" ambiguous: plain dates only.
    as_of = check.date(as_of, "as_of")
    days = check.integer(days, "days", minimum=1)
    last_inspected = check.mapping(last_inspected, "last_inspected")
    cutoff = as_of - timedelta(days=days)
    position = {ident: i for i, ident in enumerate(population.ids.tolist())}
    eligible = population.eligible.copy()
    excluded = []
    for ident, when in last_inspected.items():
        if ident not in position:
            raise InvalidInputError("last_inspected", ident, "is not an id of the population")
        if when is None:
            continue
        day = check.date(when, f"last_inspected[{ident!r}]")
        if day > as_of:
            raise InvalidInputError(
                f"last_inspected[{ident!r}]", day.isoformat(), f"is after as_of {as_of}"
            )
        if day > cutoff and eligible[position[ident]]:
            eligible[position[ident]] = False
            excluded.append(ident)
    new = population.with_eligibility(eligible)
    return new, ExclusionReport(
        as_of, days, tuple(sorted(excluded)), population.eligible_counts(), new.eligible_counts()
    )
