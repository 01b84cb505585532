"""The result of team-assignment version 1: teams, unstaffed visits, workloads."""

from __future__ import annotations

import attrs

from ..core import Seed
from ..errors import (
    InvalidInputError,
)
from ._feasibility import (
    FeasibilityReport,
)


@attrs.frozen
class Team:
    """The inspectors of one visit, by department (departments and ids sorted)."""

    visit_id: str
    members: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def inspector_ids(self) -> tuple[str, ...]:
        """Every member, sorted by id."""
        return tuple(sorted(i for _, ids in self.members for i in ids))

    def of(self, department: str) -> tuple[str, ...]:
        """Return the members from ``department`` (empty if it does not take part)."""
        return dict(self.members).get(department, ())


@attrs.frozen
class Unstaffed:
    """A visit on which a department could not supply all its inspectors (partial mode)."""

    visit_id: str
    department: str
    needed: int
    assigned: int


@attrs.frozen
class InspectorLoad:
    """One inspector's number of visits in the assignment against his or her capacity."""

    inspector_id: str
    department: str
    load: int
    capacity: int


@attrs.frozen
class WorkloadReport:
    """Every inspector's load against capacity, sorted by department then id."""

    loads: tuple[InspectorLoad, ...]

    def summary(self) -> str:
        """Return a text table: one line per inspector and a total per department.

        >>> print(WorkloadReport((InspectorLoad("I-1", "food", 2, 3),)).summary())
        department  inspector  load  capacity
        ----------  ---------  ----  --------
        food        I-1           2         3
        food        total         2         3
        """
        rows: list[tuple[str, str, str, str]] = []
        by_department: dict[str, list[InspectorLoad]] = {}
        for entry in self.loads:
            by_department.setdefault(entry.department, []).append(entry)
        for department, entries in by_department.items():
            rows.extend((department, e.inspector_id, str(e.load), str(e.capacity)) for e in entries)
            rows.append(
                (
                    department,
                    "total",
                    str(sum(e.load for e in entries)),
                    str(sum(e.capacity for e in entries)),
                )
            )
        header = ("department", "inspector", "load", "capacity")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]

        def line(row: tuple[str, str, str, str]) -> str:
            cells = [
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ]
            return "  ".join(cells).rstrip()

        out = [line(header), "  ".join("-" * w for w in widths)]
        out.extend(line(row) for row in rows)
        return "\n".join(out)


@attrs.frozen(eq=False)
class Assignment:
    """The teams drawn for a batch of visits, with everything a record needs.

    ``greedy_shortfall`` counts the inspector slots the greedy pass left empty and
    ``repaired`` the augmenting paths that filled them. ``capacity_binding`` is true when
    some inspector is eligible for more visits than his or her capacity (then the marginals
    are not exactly uniform). ``report`` is set when the assignment is partial.
    """

    seed: Seed
    subkey: bytes
    teams: tuple[Team, ...]
    unstaffed: tuple[Unstaffed, ...]
    workload: WorkloadReport
    greedy_shortfall: int
    repaired: int
    capacity_binding: bool
    directory_digest: str
    directory_size: int
    input_digest: str
    conflicts_digest: str
    visit_count: int
    report: FeasibilityReport | None = None

    @property
    def complete(self) -> bool:
        """Whether every visit is fully staffed."""
        return not self.unstaffed

    def team(self, visit_id: str) -> Team:
        """Return the team of ``visit_id``."""
        for team in self.teams:
            if team.visit_id == visit_id:
                return team
        raise InvalidInputError("visit_id", visit_id, "is not a visit of this assignment")
