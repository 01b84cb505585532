"""Feasibility of team assignment, and explanations of why visits cannot be staffed.

A max-flow per department (``scipy.sparse.csgraph.maximum_flow``) decides exactly whether a
complete assignment exists; when it does not, the report names the visits, the departments and
the reasons (eligible counts after each exclusion, total demand against capacity, and the
bottleneck found from the minimum cut), instead of a bare "no solution".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain

import attrs
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import (
    breadth_first_order,
    maximum_flow,
)

from ..errors import (
    InvalidInputError,
)
from ._common import NOT_QUALIFIED, UNAVAILABLE
from ._conflicts import Conflicts, exclusion_reasons
from ._directory import Directory
from ._problem import (
    _DepartmentProblem,
    _prepare,
    _Problem,
)
from ._visit import Visit

__all__ = [
    "Bottleneck",
    "DepartmentBalance",
    "FeasibilityReport",
    "InfeasibleAssignmentError",
    "VisitShortage",
    "check_feasibility",
]

#: How many visit or inspector ids an explanation lists before saying "and N more".
_LISTED = 10
#: How many lines of explanation an InfeasibleAssignmentError message shows.
_MESSAGE_LINES = 25


@attrs.frozen
class VisitShortage:
    """A visit on which a department has fewer eligible inspectors than it must supply.

    ``excluded`` counts the department's other members by their first exclusion reason
    (``not-qualified``, ``unavailable``, then conflict reasons), in that order.
    """

    visit_id: str
    enterprise_id: str
    department: str
    needed: int
    eligible: int
    members: int
    excluded: tuple[tuple[str, int], ...]
    date: str

    def __str__(self) -> str:
        head = (
            f"visit {self.visit_id} (enterprise {self.enterprise_id}): department {self.department}"
        )
        if not self.members:
            return f"{head} has no inspectors; {self.needed} needed"
        counts = dict(self.excluded)
        parts = []
        if counts.get(NOT_QUALIFIED):
            parts.append(f"{counts[NOT_QUALIFIED]} not qualified for all its items")
        if counts.get(UNAVAILABLE):
            parts.append(f"{counts[UNAVAILABLE]} unavailable on {self.date}")
        conflicts = [(r, n) for r, n in self.excluded if r not in (NOT_QUALIFIED, UNAVAILABLE)]
        if conflicts:
            total = sum(n for _, n in conflicts)
            detail = ", ".join(f"{n} {r}" for r, n in conflicts)
            parts.append(f"{total} excluded for conflicts ({detail})")
        after = f" after {_join(parts)}" if parts else ""
        return (
            f"{head} has {_count(self.eligible, 'eligible inspector')} of {self.members}"
            f"{after}; {self.needed} needed"
        )


@attrs.frozen
class DepartmentBalance:
    """A department's total demand (inspector slots) against its members' total capacity.

    ``assignable`` is the most slots that can be filled (the maximum flow).
    """

    department: str
    demand: int
    capacity: int
    assignable: int

    def __str__(self) -> str:
        return (
            f"department {self.department}: {self.demand} inspector slots needed, "
            f"total capacity {self.capacity}, at most {self.assignable} can be filled"
        )


@attrs.frozen
class Bottleneck:
    """A Hall-type bottleneck from the minimum cut of one department's flow network.

    The ``visit_ids`` need ``demand`` slots. Their eligible inspectors are ``inspector_ids``,
    who can give at most their total ``capacity``, and ``once_only_ids``, who can each serve
    each of these visits once, ``once_only`` slots in all. So ``shortfall = demand -
    capacity - once_only`` slots cannot be filled, whatever the assignment (a Hall-type
    bound; by max-flow min-cut it is exactly the number of slots that stay empty).
    """

    department: str
    visit_ids: tuple[str, ...]
    demand: int
    inspector_ids: tuple[str, ...]
    capacity: int
    once_only_ids: tuple[str, ...]
    once_only: int

    @property
    def shortfall(self) -> int:
        """Slots that cannot be filled: ``demand - capacity - once_only``."""
        return self.demand - self.capacity - self.once_only

    def __str__(self) -> str:
        parts = []
        if self.inspector_ids:
            parts.append(f"{_listed(self.inspector_ids)} with capacity {self.capacity} in total")
        if self.once_only_ids:
            parts.append(
                f"{_listed(self.once_only_ids)} at most once per visit "
                f"({_count(self.once_only, 'slot')})"
            )
        subject = (
            f"visit {self.visit_ids[0]} needs"
            if len(self.visit_ids) == 1
            else f"visits {_listed(self.visit_ids)} need"
        )
        return (
            f"{subject} {self.demand} inspector slots from "
            f"department {self.department}, but their eligible inspectors can fill at most "
            f"{self.capacity + self.once_only}: {' and '.join(parts) or 'there are none'}"
        )


@attrs.frozen
class FeasibilityReport:
    """Whether a complete assignment exists and, if not, why (per visit, department, cut)."""

    demand: int
    assignable: int
    visits: tuple[VisitShortage, ...]
    departments: tuple[DepartmentBalance, ...]
    bottlenecks: tuple[Bottleneck, ...]

    @property
    def feasible(self) -> bool:
        """Whether every visit can be fully staffed."""
        return self.assignable == self.demand

    def __str__(self) -> str:
        if self.feasible:
            return f"a complete assignment exists ({self.demand} inspector slots)"
        lines = [
            f"no complete assignment exists: {self.demand - self.assignable} of "
            f"{self.demand} inspector slots cannot be filled"
        ]
        lines.extend(f"  {v}" for v in self.visits)
        lines.extend(f"  {d}" for d in self.departments if d.demand > d.capacity)
        for bottleneck in self.bottlenecks:
            # A bottleneck made only of visits that lack eligible inspectors repeats the
            # lines above; it is kept in .bottlenecks but not printed again.
            visit_level = sum(
                v.needed - v.eligible for v in self.visits if v.department == bottleneck.department
            )
            if visit_level != bottleneck.shortfall:
                lines.append(f"  {bottleneck}")
        return "\n".join(lines)


class InfeasibleAssignmentError(InvalidInputError):
    """No assignment staffs every visit; ``report`` (a :class:`FeasibilityReport`) says why."""

    def __init__(self, report: FeasibilityReport) -> None:
        short = sorted(
            {v.visit_id for v in report.visits}
            | {v for b in report.bottlenecks for v in b.visit_ids}
        )
        lines = str(report).splitlines()
        if len(lines) > _MESSAGE_LINES:  # the full explanation stays available in .report
            hidden = len(lines) - _MESSAGE_LINES
            lines = [*lines[:_MESSAGE_LINES], f"  ... and {hidden} more lines (see .report)"]
        super().__init__("visits", short[:_LISTED], "\n".join(lines))
        self.report = report


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown if len(ids) <= _LISTED else f"{shown} and {len(ids) - _LISTED} more"


@attrs.frozen(eq=False)
class _Flow:
    value: int
    source_side_visits: list[int]  # local visit indices reachable from the source
    source_side_inspectors: list[int]


def _max_flow(dp: _DepartmentProblem) -> _Flow:
    """Solve the department's flow network with scipy and find the source side of a min cut.

    Nodes: 0 source, 1..V visits, V+1..V+R inspectors, V+R+1 sink; capacities c_pD (source to
    visit), 1 (visit to eligible inspector), capacity_r (inspector to sink).
    """
    n_visits, n_insp = len(dp.visits), len(dp.inspector_ids)
    sink = n_visits + n_insp + 1
    lengths = np.fromiter((len(e) for e in dp.eligible), dtype=np.int64, count=n_visits)
    pair_count = int(lengths.sum())
    pair_cols = np.fromiter(chain.from_iterable(dp.eligible), dtype=np.int64, count=pair_count)
    rows = np.concatenate(
        [
            np.zeros(n_visits, dtype=np.int64),
            np.repeat(np.arange(1, n_visits + 1), lengths),
            np.arange(n_visits + 1, n_visits + n_insp + 1),
        ]
    )
    cols = np.concatenate(
        [
            np.arange(1, n_visits + 1),
            pair_cols + n_visits + 1,
            np.full(n_insp, sink, dtype=np.int64),
        ]
    )
    # scipy needs int32 capacities. Clipping a visit's demand to one more than its eligible
    # count and a capacity to the number of visits changes no flow value and no verdict.
    caps = np.concatenate(
        [
            np.minimum(np.asarray(dp.demand, dtype=np.int64), lengths + 1),
            np.ones(pair_count, dtype=np.int64),
            np.minimum(np.asarray(dp.capacities, dtype=np.int64), n_visits),
        ]
    ).astype(np.int32)
    graph = csr_array((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    result = maximum_flow(graph, 0, sink)
    residual = (graph - result.flow).tocoo()
    keep = residual.data > 0
    positive = csr_array(
        (residual.data[keep], (residual.row[keep], residual.col[keep])), shape=graph.shape
    )
    reached = breadth_first_order(positive, 0, directed=True, return_predecessors=False)
    reached_set = np.zeros(sink + 1, dtype=bool)
    reached_set[reached] = True
    return _Flow(
        int(result.flow_value),
        (np.flatnonzero(reached_set[1 : n_visits + 1])).tolist(),
        (np.flatnonzero(reached_set[n_visits + 1 : sink])).tolist(),
    )


def _explain(problem: _Problem, flows: Mapping[str, _Flow]) -> FeasibilityReport:
    shortages: list[VisitShortage] = []
    balances: list[DepartmentBalance] = []
    bottlenecks: list[Bottleneck] = []
    for department, dp in problem.departments.items():
        flow = flows[department]
        capacity = sum(dp.capacities)
        balances.append(DepartmentBalance(department, dp.total_demand, capacity, flow.value))
        for j, p in enumerate(dp.visits):
            if len(dp.eligible[j]) < dp.demand[j]:
                shortages.append(_shortage(problem, problem.visits[p], department, dp, j))
        if flow.value < dp.total_demand:
            bottlenecks.append(_bottleneck([v.visit_id for v in problem.visits], dp, flow))
    shortages.sort(key=lambda s: (s.visit_id, s.department))
    return FeasibilityReport(
        demand=sum(dp.total_demand for dp in problem.departments.values()),
        assignable=sum(f.value for f in flows.values()),
        visits=tuple(shortages),
        departments=tuple(balances),
        bottlenecks=tuple(bottlenecks),
    )


def _shortage(
    problem: _Problem, visit: Visit, department: str, dp: _DepartmentProblem, j: int
) -> VisitShortage:
    counts: dict[str, int] = {}
    for member in problem.directory.members(department):
        reasons = exclusion_reasons(member, visit, department, problem.conflicts)
        if reasons:
            counts[reasons[0]] = counts.get(reasons[0], 0) + 1
    fixed = [NOT_QUALIFIED, UNAVAILABLE]
    rank = {r: i for i, r in enumerate(fixed)}
    ordered = sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(fixed)), -kv[1], kv[0]))
    return VisitShortage(
        visit_id=visit.visit_id,
        enterprise_id=visit.enterprise_id,
        department=department,
        needed=dp.demand[j],
        eligible=len(dp.eligible[j]),
        members=len(dp.inspector_ids),
        excluded=tuple(ordered),
        date=visit.date.isoformat(),
    )


def _bottleneck(visit_ids: list[str], dp: _DepartmentProblem, flow: _Flow) -> Bottleneck:
    group = flow.source_side_visits
    inside = set(flow.source_side_inspectors)
    once: dict[int, int] = {}
    for j in group:
        for r in dp.eligible[j]:
            if r not in inside:
                once[r] = once.get(r, 0) + 1
    ids = dp.inspector_ids
    return Bottleneck(
        department=dp.department,
        visit_ids=tuple(sorted(visit_ids[dp.visits[j]] for j in group)),
        demand=sum(dp.demand[j] for j in group),
        inspector_ids=tuple(sorted(ids[r] for r in inside)),
        # As in the flow network: nobody can serve more visits than there are.
        capacity=sum(min(dp.capacities[r], len(dp.visits)) for r in inside),
        once_only_ids=tuple(sorted(ids[r] for r in once)),
        once_only=sum(once.values()),
    )


def _flows(problem: _Problem) -> dict[str, _Flow]:
    return {d: _max_flow(dp) for d, dp in problem.departments.items()}


def check_feasibility(
    directory: Directory, visits: Sequence[Visit], *, conflicts: Conflicts | None = None
) -> FeasibilityReport:
    """Say whether every visit can be staffed and, if not, why; no seed is needed.

    Explanations come at three levels: per visit and department (eligible count after each
    exclusion reason against the demand), per department (demand against total capacity),
    and a Hall-type bottleneck from the minimum cut of each short department's flow network.

    >>> import datetime
    >>> from randsample.teams import Inspector
    >>> directory = Directory([Inspector(id="I-1", department="food", certified=True, categories={"catering"}, home_region="north", capacity=5),
    ...                        Inspector(id="I-2", department="food", certified=True, categories={"catering"}, home_region="south", capacity=5)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="north", date=datetime.date(2026, 3, 2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> print(check_feasibility(directory, [visit], conflicts=Conflicts(same_locality=True)))
    no complete assignment exists: 1 of 2 inspector slots cannot be filled
      visit V-1 (enterprise E-1): department food has 1 eligible inspector of 2 after 1 excluded for conflicts (1 same-locality); 2 needed
    """  # noqa: E501 - doctest output lines are as long as the messages
    problem = _prepare(directory, visits, conflicts)
    return _explain(problem, _flows(problem))
