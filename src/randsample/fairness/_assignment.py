"""Fairness of inspector-team draws: one visit's team, tested against the targeted marginals."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from ..core import Seed
from ..errors import InvalidInputError
from ..teams import Conflicts, Directory, Visit, assign_inspectors, target_marginals
from ._result import FairnessResult, Probability
from ._runner import run_design

__all__ = ["AssignmentDraw", "check_assignment"]


@attrs.frozen
class AssignmentDraw:
    """The inspectors on one visit's team, as a design for :func:`run_design` (picklable).

    >>> import datetime
    >>> from randsample import Seed
    >>> from randsample.teams import Directory, Inspector, Visit
    >>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=5)
    ...                        for i in range(3)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="south",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> len(AssignmentDraw(directory, (visit,), "V-1")(Seed.from_bytes(bytes(range(16)))))
    2
    """

    directory: Directory
    visits: tuple[Visit, ...]
    visit_id: str
    conflicts: Conflicts | None = None

    def __call__(self, seed: Seed) -> list[str]:
        """Draw every team with ``seed`` and return the members of the visit's team."""
        teams = assign_inspectors(self.directory, self.visits, seed, conflicts=self.conflicts)
        members = [team.inspector_ids for team in teams.teams if team.visit_id == self.visit_id]
        return [inspector for team in members for inspector in team]


def check_assignment(
    directory: Directory,
    visits: Sequence[Visit],
    visit_id: str,
    *,
    runs: int,
    conflicts: Conflicts | None = None,
    alpha: float = 0.01,
    workers: int = 1,
) -> FairnessResult:
    """Test one visit's team draws against the targeted marginals ``c / |E|`` over many seeds.

    Every inspector of the directory is a unit: those eligible for the visit have their
    target, all others 0 (so a conflicted or unqualified inspector drawn even once is
    flagged). When capacities bind, the targets are only the ideal (see
    :func:`randsample.teams.target_marginals`) and a flag is expected.

    >>> import datetime
    >>> from randsample.teams import Directory, Inspector, Visit
    >>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=5)
    ...                        for i in range(5)])
    >>> visit = Visit(visit_id="V-1", enterprise_id="E-1", enterprise_region="south",
    ...               date=datetime.date(2026,3,2), departments=["food"],
    ...               items={"food": {"catering"}})
    >>> check_assignment(directory, [visit], "V-1", runs=300).passed
    True
    """
    targets = target_marginals(directory, visits, conflicts=conflicts)
    stated: dict[str, Probability] = {i.id: Fraction(0) for i in directory.inspectors}
    for (vid, inspector), p in targets.probabilities.items():
        if vid == visit_id:
            stated[inspector] = p
    if not any(stated.values()):
        raise InvalidInputError("visit_id", visit_id, "is not a visit with eligible inspectors")
    draw = AssignmentDraw(directory, tuple(visits), visit_id, conflicts)
    return run_design(
        draw, stated, runs=runs, seed_label=f"assignment {visit_id}", alpha=alpha, workers=workers
    )
