"""The selection of ``docs/spec.md`` 11.3-11.4 for one pool: tickets, greedy pass, repair.

Shared by team-assignment version 1 (one pool per department) and version 2 (a pool per
department and the expert pool).
"""

from __future__ import annotations

import hashlib
from collections import deque
from itertools import chain

import attrs
import numpy as np

from ..core import lp, ticket_order, tickets
from ._problem import (
    _DepartmentProblem,
    _Problem,
    visit_order_key,
)


@attrs.frozen(eq=False)
class _DepartmentSolution:
    teams: list[list[int]]  # local inspector indices per local visit
    loads: list[int]
    greedy_shortfall: int
    repaired: int


def _visit_ranks(ids: list[str], subkey: bytes) -> list[int]:
    """Return each visit's position in visit order (ticket order under the derived key)."""
    if not ids:
        return []
    order = ticket_order(tickets(visit_order_key(subkey), ids, validate=False), ids=ids)
    rank = [0] * len(ids)
    for position, p in enumerate(order.tolist()):
        rank[p] = position
    return rank


def _preferences(visit_ids: list[str], dp: _DepartmentProblem, subkey: bytes) -> list[list[int]]:
    """Each visit's eligible inspectors in pair-ticket order (ticket, then UTF-8 id bytes)."""
    sha256 = hashlib.sha256
    id_bytes = [i.encode("utf-8") for i in dp.inspector_ids]
    lp_ids = [lp(b) for b in id_bytes]
    out: list[list[int]] = []
    for p, eligible in zip(dp.visits, dp.eligible, strict=True):
        prefix = subkey + lp(visit_ids[p].encode("utf-8"))
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
    ids = [v.visit_id for v in problem.visits]
    rank = _visit_ranks(ids, subkey)
    return {
        d: _solve_department(dp, _preferences(ids, dp, subkey), rank)
        for d, dp in problem.departments.items()
    }
