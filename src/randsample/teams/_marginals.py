"""Marginal probabilities of team assignment: the uniform target, and estimates over seeds.

When no capacity can bind, every eligible inspector is on a visit with probability exactly
``c_pD / |E_pD|`` (:func:`target_marginals`). When capacities bind, the marginals depart
from uniform; :func:`estimate_marginals` measures them by re-running the assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType

import attrs

from ..core import PURPOSE_INSPECTORS, Seed
from ..errors import (
    InvalidInputError,
    InvalidTypeError,
)
from ._conflicts import Conflicts
from ._directory import Directory
from ._feasibility import (
    InfeasibleAssignmentError,
    _explain,
    _flows,
)
from ._matching import _binding, _solve
from ._problem import (
    _prepare,
)
from ._visit import Visit

__all__ = [
    "MarginalEstimate",
    "MarginalTargets",
    "estimate_marginals",
    "target_marginals",
]


@attrs.frozen
class MarginalTargets:
    """The uniform targets ``c_pD / |E_pD|`` per (visit id, inspector id), as fractions.

    When ``capacity_binding`` is false the algorithm achieves them exactly. When it is true
    (``binding_inspectors`` are eligible for more visits than their capacity), they are the
    ideal the algorithm departs from; :func:`estimate_marginals` measures by how much.
    """

    probabilities: Mapping[tuple[str, str], Fraction] = attrs.field(hash=False)
    capacity_binding: bool
    binding_inspectors: tuple[str, ...]


def target_marginals(
    directory: Directory, visits: Sequence[Visit], *, conflicts: Conflicts | None = None
) -> MarginalTargets:
    """Return each eligible (visit, inspector) pair's uniform target probability.

    >>> import datetime
    >>> from randsample.teams import Inspector
    >>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=1)
    ...                        for i in range(3)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="south",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> targets = target_marginals(directory, [visit])
    >>> str(targets.probabilities[("V-1", "I-0")]), targets.capacity_binding
    ('2/3', False)
    """
    problem = _prepare(directory, visits, conflicts)
    probabilities: dict[tuple[str, str], Fraction] = {}
    short = False
    for dp in problem.departments.values():
        for p, need, eligible in zip(dp.visits, dp.demand, dp.eligible, strict=True):
            if len(eligible) < need:
                short = True
                continue
            visit_id = problem.visits[p].visit_id
            for r in eligible:
                probabilities[(visit_id, dp.inspector_ids[r])] = Fraction(need, len(eligible))
    if short:
        raise InfeasibleAssignmentError(_explain(problem, _flows(problem)))
    binding = _binding(problem)
    return MarginalTargets(MappingProxyType(probabilities), bool(binding), tuple(binding))


@attrs.frozen
class MarginalEstimate:
    """How often each eligible (visit id, inspector id) pair was drawn over ``runs`` seeds."""

    runs: int
    counts: Mapping[tuple[str, str], int] = attrs.field(hash=False)

    def frequency(self, visit_id: str, inspector_id: str) -> Fraction:
        """Return the observed frequency of the pair (exact: count / runs)."""
        return Fraction(self.counts.get((visit_id, inspector_id), 0), self.runs)


def estimate_marginals(
    directory: Directory,
    visits: Sequence[Visit],
    seeds: Iterable[Seed],
    *,
    conflicts: Conflicts | None = None,
) -> MarginalEstimate:
    """Re-run the assignment for every seed and count how often each pair is drawn.

    The eligibility and the feasibility verdict are computed once; each seed costs only its
    tickets, the greedy pass and the repair. Every eligible pair appears in ``counts``.

    >>> import datetime
    >>> from randsample.teams import Inspector
    >>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=1)
    ...                        for i in range(3)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="south",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> seeds = [Seed.from_bytes(bytes(range(i, i + 16))) for i in range(30)]
    >>> estimate = estimate_marginals(directory, [visit], seeds)
    >>> estimate.runs, sum(estimate.counts.values())
    (30, 60)
    """
    problem = _prepare(directory, visits, conflicts)
    flows = _flows(problem)
    if any(flows[d].value < dp.total_demand for d, dp in problem.departments.items()):
        raise InfeasibleAssignmentError(_explain(problem, flows))
    counts: dict[tuple[str, str], int] = {}
    keys: dict[str, list[list[tuple[str, str]]]] = {}
    for department, dp in problem.departments.items():
        keys[department] = [
            [(problem.visits[p].visit_id, dp.inspector_ids[r]) for r in eligible]
            for p, eligible in zip(dp.visits, dp.eligible, strict=True)
        ]
        for row in keys[department]:
            counts.update(dict.fromkeys(row, 0))
    runs = 0
    for index, seed in enumerate(seeds):
        if not isinstance(seed, Seed):
            raise InvalidTypeError(f"seeds[{index}]", seed, "a Seed")
        runs += 1
        for department, solution in _solve(problem, seed.subkey(PURPOSE_INSPECTORS)).items():
            dp = problem.departments[department]
            for j, team in enumerate(solution.teams):
                visit_id = problem.visits[dp.visits[j]].visit_id
                for r in team:
                    counts[(visit_id, dp.inspector_ids[r])] += 1
    if not runs:
        raise InvalidInputError("seeds", [], "must contain at least one seed")
    return MarginalEstimate(runs, MappingProxyType(counts))
