"""Inspector teams: qualified, conflict-free, complete, random and fair (algorithm v1).

This is the second "random" of double-random supervision: which officers inspect each visit.
The inputs (:class:`~randsample.teams.Directory`, a list of
:class:`~randsample.teams.Visit`, :class:`~randsample.teams.Conflicts`) are
described in :mod:`randsample.teams` and :mod:`randsample.teams`; every random
choice comes from the ``inspectors`` sub-key of the seed (``Seed.subkey("inspectors")``),
through SHA-256 tickets, in integers only.

**Model.** Department ``D`` of visit ``p`` supplies ``c_pD`` inspectors (one, plus the
remainder ``team_size - len(departments)`` for the lead department) from ``E_pD``, its members
eligible for ``p``: qualified for *every* category of ``D``'s items on ``p``, available on the
date, without conflict. Inspector ``r`` serves at most ``capacity_r`` visits. Since every
inspector belongs to one department, each department is an independent bipartite b-matching
problem, and "does a complete assignment exist?" is a max-flow question with an exact answer.

**Algorithm** ``team-assignment`` **version 1**, per department (``docs/spec.md`` has the bytes):

1. *Pair tickets*: ``t(p, r) = SHA-256(subkey || lp(UTF-8(visit_id)) || lp(UTF-8(inspector_id)))``;
   each visit's eligible inspectors sorted by pair ticket (ties, which need a SHA-256
   collision, by the inspector id's UTF-8 bytes) form a uniformly random order per visit.
2. *Visit order*: visits in ticket order (spec section 3) under the derived key
   ``SHA-256("randsample/v1/visit-order" || 0x00 || subkey)``.
3. *Greedy*: in visit order, each visit takes, in its pair-ticket order, the first ``c_pD``
   eligible inspectors that still have capacity.
4. *Repair*: for each short visit in visit order, breadth-first search for an augmenting path
   in the residual graph (another visit gives up an inspector and takes a different eligible
   one, and so on, until an inspector with spare capacity is reached), neighbours explored in
   pair-ticket order and visits in visit order. This is Ford-Fulkerson started from the greedy
   flow: a complete assignment is found whenever one exists. If none exists the assignment
   stops with an explanation (:class:`~randsample.teams.FeasibilityReport`), or with
   ``partial=True`` returns a largest partial assignment and lists the unstaffed visits.

``scipy.sparse.csgraph.maximum_flow`` gives the feasibility verdict up front (and the minimum
cut used to explain infeasibility); the greedy pass and the repair are the specified selection.

**Fairness.** When no capacity can bind (every inspector's capacity is at least the number of
visits he or she is eligible for; ``MarginalTargets.capacity_binding`` is false), each visit
gets the ``c_pD`` eligible inspectors with the smallest pair tickets: a simple random sample,
so each eligible inspector is on the visit with probability exactly ``c_pD / |E_pD|``.
Nothing an inspector controls (the directory order, days off on other dates) changes that
chance for a particular visit. When capacities bind, the greedy order and the repair make the
marginals depart from uniform; :mod:`randsample.teams` says so
(``target_marginals``) and measures them over many seeds (``estimate_marginals``). The
optional anti-steering probability cap ``q`` of Jecmen et al. (NeurIPS 2020) is *not*
implemented in version 1.

**Record.** :mod:`randsample.teams` seals the result (format
``randsample.assignment-record/1``) with the seed, the sub-key, the digests of the directory
and of the visits and conflicts (``make_assignment_record``), and re-derives it from data only
(``verify_assignment``).

>>> import datetime
>>> from randsample import Seed
>>> from randsample.teams import Directory, Inspector, Visit
>>> directory = Directory([Inspector(f"I-{i}", "food", True, {"catering"}, "north", 2)
...                        for i in range(4)])
>>> visits = [Visit(f"V-{n}", f"E-{n}", "south", datetime.date(2026, 3, 2), ["food"],
...                 {"food": {"catering"}}) for n in range(3)]
>>> result = assign_inspectors(directory, visits, Seed.from_bytes(bytes(range(16))))
>>> [team.inspector_ids for team in result.teams]
[('I-2', 'I-3'), ('I-0', 'I-1'), ('I-1', 'I-3')]
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Mapping, Sequence
from itertools import chain

import attrs
import numpy as np

from ..core import PURPOSE_INSPECTORS, Seed, lp, ticket_order, tickets
from ..errors import (
    InvalidInputError,
    InvalidTypeError,
)
from ._conflicts import Conflicts
from ._directory import Directory, Visit
from ._feasibility import (
    FeasibilityReport,
    InfeasibleAssignmentError,
    _explain,
    _Flow,
    _flows,
)
from ._problem import (
    _DepartmentProblem,
    _prepare,
    _Problem,
    input_digest,
    visit_order_key,
)

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "Assignment",
    "InspectorLoad",
    "Team",
    "Unstaffed",
    "WorkloadReport",
    "assign_inspectors",
]

ALGORITHM = "team-assignment"
ALGORITHM_VERSION = 1


@attrs.frozen(eq=False)
class _DepartmentSolution:
    teams: list[list[int]]  # local inspector indices per local visit
    loads: list[int]
    greedy_shortfall: int
    repaired: int


def _visit_ranks(problem: _Problem, subkey: bytes) -> list[int]:
    """Return each visit's position in visit order (ticket order under the derived key)."""
    ids = [v.visit_id for v in problem.visits]
    if not ids:
        return []
    order = ticket_order(tickets(visit_order_key(subkey), ids, validate=False), ids)
    rank = [0] * len(ids)
    for position, p in enumerate(order.tolist()):
        rank[p] = position
    return rank


def _preferences(problem: _Problem, dp: _DepartmentProblem, subkey: bytes) -> list[list[int]]:
    """Each visit's eligible inspectors in pair-ticket order (ticket, then UTF-8 id bytes)."""
    sha256 = hashlib.sha256
    id_bytes = [i.encode("utf-8") for i in dp.inspector_ids]
    lp_ids = [lp(b) for b in id_bytes]
    out: list[list[int]] = []
    for p, eligible in zip(dp.visits, dp.eligible, strict=True):
        prefix = subkey + lp(problem.visits[p].visit_id.encode("utf-8"))
        keys = [sha256(prefix + lp_ids[r]).digest() for r in eligible]
        if len(set(keys)) == len(keys):
            out.append([eligible[i] for i in sorted(range(len(keys)), key=keys.__getitem__)])
        else:  # a SHA-256 collision: the spec breaks the tie by the inspector id's bytes
            pairs = sorted(zip(keys, (id_bytes[r] for r in eligible), eligible, strict=True))
            out.append([r for _, _, r in pairs])
    return out


def _solve_department(
    dp: _DepartmentProblem, prefs: list[list[int]], rank: list[int]
) -> _DepartmentSolution:
    order = sorted(range(len(dp.visits)), key=lambda j: rank[dp.visits[j]])
    state = _Matching(dp, prefs, order)
    # Step 3, greedy: first c_pD eligible inspectors with spare capacity, in ticket order.
    for j in order:
        state.greedy(j)
    shortfall = sum(need - len(team) for need, team in zip(dp.demand, state.teams, strict=True))
    repaired = 0
    # Step 4, repair: augmenting paths from each short visit, in visit order. A visit with no
    # augmenting path now never gets one later (Kuhn's lemma: augmenting elsewhere only takes
    # capacity away from what it could reach), so one pass suffices and the final flow is
    # maximum.
    for j in order:
        while len(state.teams[j]) < dp.demand[j] and state.augment(j):
            repaired += 1
    return _DepartmentSolution(state.teams, state.loads, shortfall, repaired)


class _Matching:
    """A department's current assignment: teams, loads, and who is on which visit."""

    def __init__(self, dp: _DepartmentProblem, prefs: list[list[int]], order: list[int]) -> None:
        self.demand = dp.demand
        self.capacity = dp.capacities
        self.prefs = prefs
        self.position = [0] * len(order)
        for pos, j in enumerate(order):
            self.position[j] = pos
        self.loads = [0] * len(dp.inspector_ids)
        self.teams: list[list[int]] = [[] for _ in order]
        self.users: list[set[int]] = [set() for _ in dp.inspector_ids]  # visits of each

    def greedy(self, j: int) -> None:
        need, team, loads, capacity = self.demand[j], self.teams[j], self.loads, self.capacity
        for r in self.prefs[j]:
            if loads[r] < capacity[r]:
                team.append(r)
                loads[r] += 1
                self.users[r].add(j)
                if len(team) == need:
                    return

    def augment(self, start: int) -> bool:
        """Breadth-first search for one augmenting path from visit ``start``; apply it.

        From a visit ``q``, the inspectors eligible for ``q`` and not on ``q`` are explored in
        ``q``'s pair-ticket order; each inspector not yet seen is labelled with ``q``. A
        labelled inspector with spare capacity ends the search. Otherwise the visits it is on,
        in visit order, that are not yet labelled are labelled with it and queued.
        """
        came_from_visit: dict[int, int] = {}  # inspector -> visit that reached it
        came_from_inspector: dict[int, int] = {}  # visit -> inspector it would give up
        queue = deque([start])
        seen_visits = {start}
        while queue:
            q = queue.popleft()
            on_q = self.teams[q]
            for r in self.prefs[q]:
                if r in came_from_visit or r in on_q:
                    continue
                came_from_visit[r] = q
                if self.loads[r] < self.capacity[r]:
                    self._apply(r, start, came_from_visit, came_from_inspector)
                    return True
                for q2 in sorted(self.users[r], key=self.position.__getitem__):
                    if q2 not in seen_visits:
                        seen_visits.add(q2)
                        came_from_inspector[q2] = r
                        queue.append(q2)
        return False

    def _apply(
        self,
        free: int,
        start: int,
        came_from_visit: dict[int, int],
        came_from_inspector: dict[int, int],
    ) -> None:
        # Walk back: each visit on the path takes the inspector after it and gives up the one
        # that the visit before it takes; only the last inspector's load grows.
        self.loads[free] += 1
        r = free
        while True:
            q = came_from_visit[r]
            self.teams[q].append(r)
            self.users[r].add(q)
            if q == start:
                return
            given_up = came_from_inspector[q]
            self.teams[q].remove(given_up)
            self.users[given_up].discard(q)
            r = given_up


# -- results ---------------------------------------------------------------------------------


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


def _binding(problem: _Problem) -> list[str]:
    """Inspectors eligible for more visits than their capacity: only they can make it bind."""
    out: list[str] = []
    for dp in problem.departments.values():
        pairs = sum(len(e) for e in dp.eligible)
        flat = np.fromiter(chain.from_iterable(dp.eligible), dtype=np.int64, count=pairs)
        degree = np.bincount(flat, minlength=len(dp.inspector_ids))
        over = np.flatnonzero(degree > np.asarray(dp.capacities, dtype=np.int64))
        out.extend(dp.inspector_ids[r] for r in over.tolist())
    return sorted(out)


def _solve(problem: _Problem, subkey: bytes) -> dict[str, _DepartmentSolution]:
    rank = _visit_ranks(problem, subkey)
    return {
        d: _solve_department(dp, _preferences(problem, dp, subkey), rank)
        for d, dp in problem.departments.items()
    }


def assign_inspectors(
    directory: Directory,
    visits: Sequence[Visit],
    seed: Seed,
    *,
    conflicts: Conflicts | None = None,
    partial: bool = False,
) -> Assignment:
    """Draw a team for every visit (algorithm ``team-assignment`` v1); see the module doc.

    Parameters
    ----------
    directory : Directory
        The inspector directory.
    visits : sequence of Visit
        The visits to staff; their order does not matter.
    seed : Seed
        The seed; its ``inspectors`` sub-key drives every random choice.
    conflicts : Conflicts, optional
        The conflict rules (default: same-locality only, rotation over an empty history).
    partial : bool
        If no complete assignment exists, return a largest partial one (maximum number of
        filled slots) with the unstaffed visits listed and the explanation in ``report``,
        instead of raising :class:`InfeasibleAssignmentError`.

    Returns
    -------
    Assignment

    Raises
    ------
    InfeasibleAssignmentError
        When some visit cannot be staffed and ``partial`` is false; ``.report`` says why.
    """
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    if not isinstance(partial, bool):
        raise InvalidTypeError("partial", partial, "a bool")
    problem = _prepare(directory, visits, conflicts)
    flows = _flows(problem)
    report: FeasibilityReport | None = None
    if any(flows[d].value < dp.total_demand for d, dp in problem.departments.items()):
        report = _explain(problem, flows)
        if not partial:
            raise InfeasibleAssignmentError(report)
    subkey = seed.subkey(PURPOSE_INSPECTORS)
    solutions = _solve(problem, subkey)
    return _result(problem, seed, subkey=subkey, solutions=solutions, flows=flows, report=report)


def _result(
    problem: _Problem,
    seed: Seed,
    *,
    subkey: bytes,
    solutions: Mapping[str, _DepartmentSolution],
    flows: Mapping[str, _Flow],
    report: FeasibilityReport | None,
) -> Assignment:
    members: dict[str, list[tuple[str, tuple[str, ...]]]] = {v.visit_id: [] for v in problem.visits}
    unstaffed: list[Unstaffed] = []
    loads: list[InspectorLoad] = []
    for department, dp in problem.departments.items():
        solution = solutions[department]
        filled = sum(len(t) for t in solution.teams)
        if filled != flows[department].value:  # pragma: no cover - would be a bug
            raise AssertionError(
                f"department {department}: the repair filled {filled} slots but the "
                f"maximum flow is {flows[department].value}"
            )
        ids = dp.inspector_ids
        for j, p in enumerate(dp.visits):
            visit_id = problem.visits[p].visit_id
            team = tuple(sorted(ids[r] for r in solution.teams[j]))
            members[visit_id].append((department, team))
            if len(team) < dp.demand[j]:
                unstaffed.append(Unstaffed(visit_id, department, dp.demand[j], len(team)))
        loads.extend(
            InspectorLoad(ids[r], department, solution.loads[r], dp.capacities[r])
            for r in range(len(ids))
        )
    for department in sorted(problem.directory.departments - set(problem.departments)):
        loads.extend(
            InspectorLoad(m.id, department, 0, m.capacity)
            for m in problem.directory.members(department)
        )
    loads.sort(key=lambda e: (e.department, e.inspector_id))
    teams = tuple(Team(visit_id, tuple(sorted(members[visit_id]))) for visit_id in sorted(members))
    unstaffed.sort(key=lambda u: (u.visit_id, u.department))
    return Assignment(
        seed=seed,
        subkey=subkey,
        teams=teams,
        unstaffed=tuple(unstaffed),
        workload=WorkloadReport(tuple(loads)),
        greedy_shortfall=sum(s.greedy_shortfall for s in solutions.values()),
        repaired=sum(s.repaired for s in solutions.values()),
        capacity_binding=bool(_binding(problem)),
        directory_digest=problem.directory.digest(),
        directory_size=len(problem.directory),
        input_digest=input_digest(problem.visits, problem.conflicts),
        conflicts_digest=problem.conflicts.digest(),
        visit_count=len(problem.visits),
        report=report,
    )


# -- marginals -------------------------------------------------------------------------------
