"""Announcements: what a draw will be, sealed before its random values exist (spec section 15).

RFC 3797's lesson: fix the list and the algorithm before the random numbers are known. An
announcement record (format ``randsample.announcement-record/1``) is sealed and chained like
any record, and fixes, before any source is published:

* what is announced: the kind of record (draw or assignment), its id, algorithm and purpose;
* for a draw, the population commitment (its scheme named, so that a later commitment
  version fits) with the unit counts, and the design as per-stratum sample sizes;
* for an assignment, the digests of the inspector directory, of the visits (the input
  digest) and of the confidential conflicts;
* the ordered list of future public sources: name, publication date, number of values;
* the commitment to the authority's secret (or null), and whether the secret is weak.

The draw must then match it (:func:`~randsample.records.check_announcement`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar

import attrs

from .. import _validation as check
from .._version import __version__
from ..core import PURPOSE_ENTERPRISES, PURPOSE_INSPECTORS, check_id, commitment_for
from ..core import secret_weakness as _weakness
from ..design import DESIGNS
from ..errors import InvalidInputError, InvalidTypeError, LowEntropySeedError
from ..population import Population
from ._checks import chain_link
from ._formats import (
    ASSIGNMENT_FORMAT,
    DRAW_FORMAT,
    LIBRARY_SCHEMA,
    TEAM_ASSIGNMENT,
    TEAM_ASSIGNMENT_VERSION,
)
from ._schema import Nullable, Schema
from ._seal import SealedRecord, format_timestamp, seal
from ._values import check_announcement_values

__all__ = [
    "ANNOUNCEMENT_FORMAT",
    "POPULATION_COMMITMENTS",
    "AnnouncedSource",
    "AnnouncementRecord",
    "announce_assignment",
    "announce_draw",
]

ANNOUNCEMENT_FORMAT = "randsample.announcement-record/1"

#: Population commitment schemes an announcement may name, with how to compute each from a
#: population. ``population-digest/1`` is the digest of spec section 4.2 (the one a draw
#: record holds); a later scheme is registered here with its own name.
POPULATION_COMMITMENTS: dict[str, Callable[[Population], str]] = {
    "population-digest/1": lambda population: population.digest(),
}


@attrs.frozen
class AnnouncedSource:
    """A public source announced before it is published: which one, when, how many values.

    ``name`` is exactly the name the draw's seed will give the source; ``published`` is the
    date (in the publisher's local calendar) on which its values appear; ``values`` how many
    numbers will be taken from it (all seven numbers of a lottery draw, one index close, ...).

    >>> AnnouncedSource("福利彩票双色球 第2026137期", date(2026, 11, 26), 7).to_json()
    {'name': '福利彩票双色球 第2026137期', 'date': '2026-11-26', 'values': 7}
    """

    name: str = attrs.field()
    published: date = attrs.field()
    values: int = attrs.field(default=1)

    def __attrs_post_init__(self) -> None:
        check_id(self.name, field="source.name")
        check.date(self.published, f"source {self.name!r}.published")
        check.integer(self.values, f"source {self.name!r}.values", minimum=1)

    def to_json(self) -> dict[str, Any]:
        """Return the source as the announcement records it."""
        return {"name": self.name, "date": self.published.isoformat(), "values": self.values}


@attrs.frozen(eq=False)
class AnnouncementRecord(SealedRecord):
    """A sealed announcement of a draw or an assignment (spec section 15.1).

    Build with :func:`announce_draw` or :func:`announce_assignment`; read with
    :func:`~randsample.records.read_record` like any record.

    >>> from randsample import Population
    >>> notice = announce_draw(
    ...     Population.from_columns(["e1", "e2"], strata="A"), {"A": 1},
    ...     sources=[AnnouncedSource("lottery 2026-137", date(2026, 11, 26), 7)],
    ...     authority="bureau", draw_id="2026-11", timestamp="2026-11-20T02:00:00Z")
    >>> notice.announced_id, notice.label, notice["commitment"] is None
    ('2026-11', 'announcement of 2026-11', True)
    """

    FORMAT: ClassVar[str] = ANNOUNCEMENT_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "library": LIBRARY_SCHEMA,
        "authority": str,
        "timestamp": str,
        "previous_record_digest": (str, type(None)),
        "announces": {
            "record_format": str,
            "id": str,
            "algorithm": {"name": str, "version": int},
            "purpose": str,
        },
        "population": Nullable(
            {"commitment": {"scheme": str, "value": str}, "units": int, "eligible": int}
        ),
        "design": Nullable({"strata": [{"stratum": str, "sample_size": int}]}),
        "inputs": Nullable({"directory_digest": str, "input_digest": str, "conflicts_digest": str}),
        "sources": [{"name": str, "date": str, "values": int}],
        "commitment": (str, type(None)),
        "weak_secret_allowed": bool,
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        check_announcement_values(content, commitments=POPULATION_COMMITMENTS)

    @property
    def announced_id(self) -> str:
        """The id of the announced draw (``draw_id``) or assignment (``assignment_id``)."""
        return str(self._content["announces"]["id"])

    @property
    def announced_format(self) -> str:
        """The ``record_format`` of the announced record."""
        return str(self._content["announces"]["record_format"])

    @property
    def label(self) -> str:
        """What the record is about: the announced id."""
        return f"announcement of {self.announced_id}"


def _announced_sources(sources: object, timestamp: str) -> list[dict[str, Any]]:
    items = check.sequence(sources, "sources", what="a list of AnnouncedSource")
    if not items:
        raise InvalidInputError("sources", [], "announce at least one public source")
    day = timestamp[:10]
    result = []
    for index, source in enumerate(items):
        check.instance(source, f"sources[{index}]", AnnouncedSource, "an AnnouncedSource")
        if source.published.isoformat() <= day:
            raise InvalidInputError(
                f"sources[{index}].published",
                source.published.isoformat(),
                f"must be after the announcement's date ({day}, UTC): a source announced on "
                "or after its publication day proves nothing",
            )
        result.append(source.to_json())
    names = [s["name"] for s in result]
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise InvalidInputError(f"sources[{index}].name", name, "is announced twice")
    return result


def _secret_fields(secret: bytes | None, allow_weak_secret: bool) -> tuple[str | None, bool]:
    check.boolean(allow_weak_secret, "allow_weak_secret")
    if secret is None:
        return None, False
    check.instance(secret, "secret", bytes, "bytes")
    weakness = _weakness(secret)
    if weakness is not None and not allow_weak_secret:
        raise LowEntropySeedError(
            "secret",
            "(not shown)",
            f"looks chosen, not drawn: {weakness}; make it with Seed.new_secret() (or pass "
            "allow_weak_secret=True: the announcement and every verdict say so)",
        )
    # The v1 rule (16+ bytes, 8+ distinct values) has no override: the draw would refuse it.
    if len(secret) < 16 or len(set(secret)) < 8:
        raise LowEntropySeedError("secret", "(not shown)", f"breaks spec 2.4: {weakness}")
    return commitment_for(secret), weakness is not None


def _content(
    *,
    authority: str,
    timestamp: datetime | str,
    previous: SealedRecord | None,
    announces: dict[str, Any],
    sources: Sequence[AnnouncedSource],
    secret: bytes | None,
    allow_weak_secret: bool,
    population: dict[str, Any] | None = None,
    design: dict[str, Any] | None = None,
    inputs: dict[str, Any] | None = None,
) -> AnnouncementRecord:
    check_id(authority, field="authority")
    stamp = format_timestamp(timestamp)
    commitment, weak = _secret_fields(secret, allow_weak_secret)
    content: dict[str, Any] = {
        "record_format": ANNOUNCEMENT_FORMAT,
        "library": {"name": "randsample", "version": __version__},
        "authority": authority,
        "timestamp": stamp,
        "previous_record_digest": chain_link(previous, authority=authority, timestamp=stamp),
        "announces": announces,
        "population": population,
        "design": design,
        "inputs": inputs,
        "sources": _announced_sources(sources, stamp),
        "commitment": commitment,
        "weak_secret_allowed": weak,
        "record_digest": "0" * 64,
    }
    return AnnouncementRecord(seal(content))


def announce_draw(
    population: Population,
    sizes: Mapping[str, int],
    *,
    sources: Sequence[AnnouncedSource],
    authority: str,
    draw_id: str,
    timestamp: datetime | str,
    secret: bytes | None = None,
    algorithm: str = "stratified-srswor",
    purpose: str = PURPOSE_ENTERPRISES,
    previous: SealedRecord | None = None,
    commitment_scheme: str = "population-digest/1",
    allow_weak_secret: bool = False,
) -> AnnouncementRecord:
    """Announce a draw before its random values exist: population, sizes, sources, secret.

    Every source must be published after the announcement's (UTC) date. ``secret`` (from
    :meth:`~randsample.Seed.new_secret`) stays private: only its commitment is recorded.

    >>> from randsample import Population, Seed
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> notice = announce_draw(
    ...     pop, {"A": 1}, sources=[AnnouncedSource("lottery 2026-137", date(2026, 11, 26), 7)],
    ...     authority="bureau", draw_id="2026-11", timestamp="2026-11-20T02:00:00Z",
    ...     secret=Seed.new_secret())
    >>> notice["design"], notice["sources"][0]["date"]
    ({'strata': [{'stratum': 'A', 'sample_size': 1}]}, '2026-11-26')
    """
    if not isinstance(population, Population):
        raise InvalidTypeError("population", population, "a Population")
    check_id(draw_id, field="draw_id")
    check_id(purpose, field="purpose")
    if algorithm not in DESIGNS:
        raise InvalidInputError(
            "algorithm", algorithm, f"is not a known design ({sorted(DESIGNS)})"
        )
    if algorithm != "stratified-srswor" and population.weights is None:
        raise InvalidInputError("population", "no weights", f"{algorithm} needs a weight per unit")
    compute = POPULATION_COMMITMENTS.get(commitment_scheme)
    if compute is None:
        raise InvalidInputError(
            "commitment_scheme",
            commitment_scheme,
            f"expected one of {sorted(POPULATION_COMMITMENTS)}",
        )
    return _content(
        authority=authority,
        timestamp=timestamp,
        previous=previous,
        announces={
            "record_format": DRAW_FORMAT,
            "id": draw_id,
            "algorithm": {"name": algorithm, "version": DESIGNS[algorithm].version},
            "purpose": purpose,
        },
        population={
            "commitment": {"scheme": commitment_scheme, "value": compute(population)},
            "units": len(population),
            "eligible": int(population.eligible.sum()),
        },
        design={"strata": _design(population, sizes)},
        sources=sources,
        secret=secret,
        allow_weak_secret=allow_weak_secret,
    )


def _design(population: Population, sizes: Mapping[str, int]) -> list[dict[str, Any]]:
    # The strata a draw record will list (spec 6.2): the population's and the sizes' strata.
    checked = check.mapping(sizes, "sizes", key=check.label, item=check.integer)
    eligible = population.eligible_counts()
    strata = []
    for label in sorted(set(eligible) | set(checked)):
        if label not in checked:
            raise InvalidInputError("sizes", sorted(checked), f"has no sample size for {label!r}")
        size = checked[label]
        if not 0 <= size <= eligible.get(label, 0):
            raise InvalidInputError(
                f"sizes[{label!r}]",
                size,
                f"is not in [0, {eligible.get(label, 0)}] (eligible units)",
            )
        strata.append({"stratum": label, "sample_size": size})
    return strata


def announce_assignment(
    *,
    directory_digest: str,
    input_digest: str,
    conflicts_digest: str,
    sources: Sequence[AnnouncedSource],
    authority: str,
    assignment_id: str,
    timestamp: datetime | str,
    secret: bytes | None = None,
    previous: SealedRecord | None = None,
    allow_weak_secret: bool = False,
) -> AnnouncementRecord:
    """Announce an inspector assignment: the directory, visits and conflicts digests, sources.

    The digests are those of spec section 11.5 (``Directory.digest()``,
    ``teams.input_digest(visits, conflicts)``, ``Conflicts.digest()``): fixing them before the
    sources are published means no conflict, exclusion or team size can be changed once the
    inspectors' tickets could be computed.

    >>> from randsample.teams import Conflicts, input_digest
    >>> notice = announce_assignment(
    ...     directory_digest="0f" * 32, input_digest=input_digest([], Conflicts()),
    ...     conflicts_digest=Conflicts().digest(),
    ...     sources=[AnnouncedSource("index close x100", date(2026, 11, 26))],
    ...     authority="bureau", assignment_id="2026-11-teams", timestamp="2026-11-20T02:00:00Z")
    >>> notice["announces"]["purpose"], notice["population"]
    ('inspectors', None)
    """
    check_id(assignment_id, field="assignment_id")
    digests = {
        "directory_digest": directory_digest,
        "input_digest": input_digest,
        "conflicts_digest": conflicts_digest,
    }
    for name, value in digests.items():
        if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
            raise InvalidInputError(name, value, "expected a digest (64 lowercase hex digits)")
    return _content(
        authority=authority,
        timestamp=timestamp,
        previous=previous,
        announces={
            "record_format": ASSIGNMENT_FORMAT,
            "id": assignment_id,
            "algorithm": {"name": TEAM_ASSIGNMENT, "version": TEAM_ASSIGNMENT_VERSION},
            "purpose": PURPOSE_INSPECTORS,
        },
        inputs=digests,
        sources=sources,
        secret=secret,
        allow_weak_secret=allow_weak_secret,
    )
