"""What checking a draw needs from its population, whatever holds the population.

Verification (spec 6.4) and replacements (spec section 10) ask a population three things: its
facts (digest and counts), the draw a design gives on it for a seed, and the first units of a
stratum in ticket order. :class:`PopulationView` names those three questions, so that one
implementation of the checks serves a :class:`randsample.Population` in memory
(:class:`LocalView`) and a partitioned population on a cluster
(:mod:`randsample.distributed`): the reports and records cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np

from ..core import Seed, ticket_order, tickets
from ..design import algorithm
from ..errors import InvalidTypeError
from ..population import Population

__all__ = ["LocalView", "PopulationFacts", "PopulationView", "view_of"]


@attrs.frozen
class PopulationFacts:
    """A population's digest and counts, as a draw record states them."""

    digest: str
    units: int
    eligible: int
    #: stratum -> number of units
    strata_units: Mapping[str, int]
    #: stratum -> number of eligible units
    strata_eligible: Mapping[str, int]


@runtime_checkable
class PopulationView(Protocol):
    """The population as verification sees it."""

    def facts(self) -> PopulationFacts:
        """Return the digest and counts (computed once)."""

    def redraw(self, name: str, sizes: dict[str, int], seed: Seed, purpose: str) -> Sequence[Any]:
        """Return the selection that algorithm ``name`` gives for these sizes and seed.

        Units have ``id``, ``stratum``, ``rank``, ``ticket`` and ``inclusion_probability``;
        a :class:`randsample.errors.RandsampleError` says the draw cannot be run here.
        """

    def stratum_order(self, subkey: bytes, stratum: str, count: int) -> list[tuple[str, bytes]]:
        """Return the first ``count`` eligible units of ``stratum`` in ticket order.

        Each is ``(id, ticket)``; fewer if the stratum has fewer.
        """


@attrs.define
class LocalView:
    """A :class:`randsample.Population` in memory.

    >>> from randsample import Population
    >>> view = LocalView(Population.from_columns(["a", "b", "c"], strata=["X", "Y", "X"]))
    >>> dict(view.facts().strata_units)
    {'X': 2, 'Y': 1}
    """

    population: Population
    _facts: PopulationFacts | None = attrs.field(default=None, init=False)

    def facts(self) -> PopulationFacts:
        """Return the digest and counts (computed once)."""
        if self._facts is None:
            pop = self.population
            labels, codes = pop.stratum_codes()
            units = np.bincount(codes, minlength=len(labels)).tolist()
            self._facts = PopulationFacts(
                digest=pop.digest(),
                units=len(pop),
                eligible=int(pop.eligible.sum()),
                strata_units=dict(zip(labels, units, strict=True)),
                strata_eligible=pop.eligible_counts(),
            )
        return self._facts

    def redraw(self, name: str, sizes: dict[str, int], seed: Seed, purpose: str) -> Sequence[Any]:
        """Return the selection of the registered design ``name`` (spec 7)."""
        draw = algorithm(name).draw
        return draw(self.population, sizes, seed, purpose=purpose).selection

    def stratum_order(self, subkey: bytes, stratum: str, count: int) -> list[tuple[str, bytes]]:
        """Return the first ``count`` eligible units of ``stratum`` in ticket order."""
        pop = self.population
        ids = pop.ids[(pop.strata == stratum) & pop.eligible].tolist()
        if not ids:
            return []
        rows = tickets(subkey, ids, validate=False)
        order = ticket_order(rows, ids=ids)[:count].tolist()
        return [(ids[i], rows[i].tobytes()) for i in order]


def view_of(population: Population | PopulationView) -> PopulationView:
    """Return ``population`` as a view (a Population is wrapped in a :class:`LocalView`)."""
    if isinstance(population, Population):
        return LocalView(population)
    if isinstance(population, PopulationView):
        return population
    raise InvalidTypeError("population", population, "a Population")
