"""The one registry of sampling designs: every algorithm a draw record may name.

A record names its algorithm and version; verification looks the pair up here and re-runs
the draw with the registered function. A design that changes what a seed selects gets a new
name or version here (and in ``docs/spec.md``), never a silent change to an existing entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ._pips import PIPS_ALGORITHM, WeightRule, draw_stratified_pips, systematic_rule
from ._sampford import SAMPFORD_ALGORITHM, draw_stratified_sampford, sampford_rule
from ._srswor import ALGORITHM, ALGORITHM_VERSION, StratifiedSample, draw_stratified

__all__ = ["DESIGNS", "Algorithm", "algorithm"]


@attrs.frozen
class Algorithm:
    """A registered sampling algorithm: name, version, the draw function and what it is."""

    name: str
    version: int
    draw: Callable[..., StratifiedSample]
    #: The textbook name of the design, for people.
    design: str
    #: Whether a drawn unit may be replaced by the next in ticket order (spec section 10).
    replaceable: bool
    #: For a πps design, its selection on one stratum from the eligible units' weights in
    #: ticket order (what a partitioned draw runs after gathering them); None otherwise.
    weight_rule: WeightRule | None = None


#: Every algorithm this release can draw and verify, by name.
DESIGNS: Mapping[str, Algorithm] = MappingProxyType(
    {
        ALGORITHM: Algorithm(
            ALGORITHM,
            ALGORITHM_VERSION,
            draw_stratified,
            "stratified simple random sampling without replacement (order sampling, uniform keys)",
            replaceable=True,
        ),
        PIPS_ALGORITHM: Algorithm(
            PIPS_ALGORITHM,
            1,
            draw_stratified_pips,
            "stratified randomized systematic πps sampling (Madow 1949; Hartley & Rao 1962)",
            replaceable=False,
            weight_rule=systematic_rule,
        ),
        SAMPFORD_ALGORITHM: Algorithm(
            SAMPFORD_ALGORITHM,
            1,
            draw_stratified_sampford,
            "stratified πps sampling by Sampford's rejective method (Sampford 1967; Tillé 2006)",
            replaceable=False,
            weight_rule=sampford_rule,
        ),
    }
)


def algorithm(name: str, *, version: int | None = None) -> Algorithm:
    """Return the registered algorithm ``name`` (and check ``version`` if given).

    >>> algorithm("stratified-srswor", version=1).design.split(" (")[0]
    'stratified simple random sampling without replacement'
    >>> algorithm("stratified-srswor", version=2)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: algorithm: unsupported version of \
'stratified-srswor', got 2
    """
    if not isinstance(name, str):
        raise InvalidTypeError("algorithm", name, "a design name (str)")
    entry = DESIGNS.get(name)
    if entry is None:
        raise InvalidInputError("algorithm", name, f"is not a known design ({sorted(DESIGNS)})")
    if version is not None and check.integer(version, "algorithm version") != entry.version:
        raise InvalidInputError("algorithm", version, f"unsupported version of {name!r}")
    return entry
