"""The synthetic county: enterprises, classes, the example seed, one department's officers.

Generated deterministically from a SHA-256 counter stream (no numpy or Python random state),
so every machine and every version produces the same enterprises.
"""

from __future__ import annotations

import datetime
import hashlib
from fractions import Fraction

from ..core import PublicSource, Seed, commitment_for
from ..design import StratifiedSample
from ..population import Population
from ..population.uscc import organization_code_check_character, uscc_check_character
from ..teams import Directory, Inspector, Visit

#: Share of each credit-risk class in the synthetic county (A low risk ... D high risk).
CLASS_MIX = {
    "A": Fraction(55, 100),
    "B": Fraction(30, 100),
    "C": Fraction(10, 100),
    "D": Fraction(5, 100),
}
#: Example per-class sampling rates (every real rate is a local parameter).
DEMO_RATES = {
    "A": Fraction(3, 100),
    "B": Fraction(5, 100),
    "C": Fraction(10, 100),
    "D": Fraction(30, 100),
}
#: Share of enterprises that cannot be drawn (deregistered, under investigation).
_INELIGIBLE = Fraction(2, 100)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # positions 9-16 drawn from the USCC alphabet
#: Registering authorities' division codes (characters 3-8 of a credit code): where an
#: enterprise was registered, not where it does business.
_REGIONS = ("350102", "350103", "350104", "350105", "350111", "350121")
#: The county's towns and streets (乡镇、街道): declared business locations and officers' bases.
TOWNSHIPS = ("城关镇", "东关街道", "西关街道", "北城街道", "南湖乡", "河西镇")


def _stream(label: str, index: int | str) -> int:
    digest = hashlib.sha256(f"randsample/examples/v1/{label}/{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _uniform_below(label: str, index: int | str, bound: Fraction) -> bool:
    # Exact comparison of a 64-bit value with a rational threshold: no floats.
    return _stream(label, index) * bound.denominator < bound.numerator * 2**64


def _demo_uscc(index: int) -> str:
    value = _stream("id", index)
    org = "".join(_ORG_CHARS[(value >> (5 * k)) % 31] for k in range(8))
    org += organization_code_check_character(org)
    first17 = "91" + _REGIONS[index % len(_REGIONS)] + org
    return first17 + uscc_check_character(first17)


def _credit_class(index: int) -> str:
    point = Fraction(_stream("class", index), 2**64)
    cumulative = Fraction(0)
    for label, share in CLASS_MIX.items():
        cumulative += share
        if point < cumulative:
            return label
    return "D"


def demo_population(*, size: int = 30_000) -> Population:
    """Return the synthetic county: ``size`` enterprises with valid USCC ids and classes A-D.

    About 2% are ineligible; the weight is a complaint count (0-3), unused by equal-probability
    designs but covered by the population digest.

    >>> pop = demo_population(size=1000)
    >>> len(pop), pop.stratum_labels(), pop.id_scheme
    (1000, ('A', 'B', 'C', 'D'), 'uscc')
    """
    ids: dict[str, None] = {}
    index = 0
    while len(ids) < size:  # a duplicate id (2**-40 per pair) is simply skipped
        ids.setdefault(_demo_uscc(index))
        index += 1
    id_list = list(ids)
    return Population.from_columns(
        id_list,
        strata=[_credit_class(i) for i in range(size)],
        eligible=[not _uniform_below("ineligible", i, _INELIGIBLE) for i in range(size)],
        weights=[float(_stream("complaints", i) % 4) for i in range(size)],
        id_scheme="uscc",
    )


def ceil_size(units: int, rate: Fraction) -> int:
    """Return ``ceil(units * rate)`` exactly (never ``int(rate * units)``).

    >>> ceil_size(77, Fraction(10, 77)), ceil_size(101, Fraction(3, 100))
    (10, 4)
    """
    return -(-units * rate.numerator // rate.denominator)


def demo_sizes(
    population: Population, *, rates: dict[str, Fraction] | None = None
) -> dict[str, int]:
    """Per-class sample sizes: the class rate times its eligible units, rounded up.

    >>> demo_sizes(demo_population(size=1000))
    {'A': 16, 'B': 15, 'C': 10, 'D': 17}
    """
    rates = DEMO_RATES if rates is None else rates
    return {label: ceil_size(m, rates[label]) for label, m in population.eligible_counts().items()}


#: Example public sources (illustrative values, not real draws).
DEMO_SOURCES = (
    PublicSource("example lottery A, draw 2026-134", [3, 11, 19, 24, 30, 33, 7]),
    PublicSource("example lottery B, draw 2026-311", [5, 8, 2]),
    PublicSource("example index close x100, 2026-11-26", [332718]),
    PublicSource.from_hex(
        "example beacon pulse 2026-11-27T00:00Z",
        "6c4f1d0e2a9b3c5d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f",
    ),
)
#: Example authority secret; its commitment would be published before the sources exist.
DEMO_SECRET = bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36")


def demo_seed() -> Seed:
    """Return the example seed: the example sources plus the committed example secret."""
    return Seed.from_sources(
        DEMO_SOURCES, secret=DEMO_SECRET, commitment=commitment_for(DEMO_SECRET)
    )


#: The demo's one department and the inspection categories of its officers.
DEMO_DEPARTMENT = "市场监管"
_SPECIALTIES = ("食品", "特种设备", "计量", "价格")


def demo_directory(*, size: int = 150) -> Directory:
    """Return the example inspector directory: ``size`` certified officers of one department.

    Every officer holds the general category ``"综合"`` and one specialty; each is based in
    one of the county's :data:`TOWNSHIPS` (for the opt-in same-locality rule), capacities 20-29.

    >>> directory = demo_directory(size=20)
    >>> len(directory.inspectors), sorted(directory.inspectors[0].categories)
    (20, ['综合', '食品'])
    """
    return Directory(
        [
            Inspector(
                id=f"执法-{i:03d}",
                department=DEMO_DEPARTMENT,
                certified=True,
                categories={"综合", _SPECIALTIES[i % len(_SPECIALTIES)]},
                home_region=TOWNSHIPS[_stream("home", i) % len(TOWNSHIPS)],
                capacity=20 + _stream("capacity", i) % 10,
            )
            for i in range(size)
        ]
    )


def demo_location(enterprise_id: str) -> str:
    """Return an example enterprise's declared business location: one of :data:`TOWNSHIPS`.

    In a real directory this is the registered business premises (经营场所), a field of its
    own; characters 3-8 of the credit code are the registering authority's division and say
    nothing about where the business is (a county registers all its enterprises).

    >>> demo_location("91350102MA0000000X") in TOWNSHIPS
    True
    """
    return TOWNSHIPS[_stream("location", enterprise_id) % len(TOWNSHIPS)]


def demo_locations(population: Population) -> dict[str, str]:
    """Return every enterprise's declared business location (:func:`demo_location`)."""
    return {ident: demo_location(ident) for ident in population.ids.tolist()}


def demo_visits(sample: StratifiedSample, date: datetime.date) -> list[Visit]:
    """Turn each drawn enterprise into a visit on ``date`` needing a team of two generalists.

    The visit's ``enterprise_region`` is the enterprise's declared business location
    (:func:`demo_location`), which the opt-in same-locality rule compares with officers' bases.
    """
    return [
        Visit(
            visit_id=f"V-{index:05d}",
            enterprise_id=unit.id,
            enterprise_region=demo_location(unit.id),
            date=date,
            departments=[DEMO_DEPARTMENT],
            items={DEMO_DEPARTMENT: {"综合"}},
        )
        for index, unit in enumerate(sample.selection, start=1)
    ]
