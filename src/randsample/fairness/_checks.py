"""Argument checks shared by the fairness functions: typed errors naming the field and value.

Written for a million units: identifiers are checked in bulk (:func:`~randsample.core.check_ids`)
and located one by one only when one fails; stratum labels are checked once per label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from .. import _validation as check
from ..core import check_id, check_ids
from ..errors import InvalidInputError, InvalidTypeError
from ._result import Probability

__all__ = [
    "Progress",
    "check_alpha",
    "check_progress",
    "check_runs",
    "check_stated",
    "check_strata",
]

#: A progress callback: ``progress(done, total)``, both counted in steps of the whole run.
Progress = Callable[[int, int], None]


def check_stated(stated: object) -> dict[str, Probability]:
    """Return ``stated`` as a dict (ints 0 and 1 as Fractions), or raise a typed error."""
    if not isinstance(stated, Mapping):
        raise InvalidTypeError("stated", stated, "a mapping from unit id to probability")
    if not stated:
        raise InvalidInputError("stated", dict(stated), "must name at least one unit")
    units = list(stated)
    try:
        check_ids(units, field="stated (unit id)")
    except (InvalidInputError, InvalidTypeError):
        for unit in units:  # name the first bad id as check_id words it
            check_id(unit, field="stated (unit id)")
        raise
    checked: dict[str, Probability] = {}
    for unit, p in stated.items():
        kind = type(p)
        if kind is Fraction:  # the common cases first, without Fraction arithmetic
            ok = 0 <= p.numerator <= p.denominator
        elif kind is float:
            ok = 0.0 <= p <= 1.0  # also refuses nan
        elif isinstance(p, bool) or not isinstance(p, (int, float, Fraction)):
            raise InvalidTypeError(f"stated[{unit!r}]", p, "a probability (Fraction or float)")
        else:
            ok = 0 <= p <= 1
        if not ok:
            raise InvalidInputError(f"stated[{unit!r}]", p, "must be a probability in [0, 1]")
        checked[unit] = Fraction(p) if isinstance(p, int) else p
    return checked


def check_runs(runs: object) -> int:
    """Return ``runs`` as an int >= 1, or raise a typed error."""
    return check.integer(runs, "runs", minimum=1)


def check_alpha(alpha: object) -> float:
    """Return ``alpha`` as a float strictly between 0 and 1, or raise a typed error."""
    alpha = check.real(alpha, "alpha")
    if not 0 < alpha < 1:
        raise InvalidInputError("alpha", alpha, "must be strictly between 0 and 1")
    return float(alpha)


def check_strata(strata: object, stated: Mapping[str, Probability]) -> dict[str, str] | None:
    """Return ``strata`` as a dict covering exactly the units of ``stated``, or raise."""
    if strata is None:
        return None
    if not isinstance(strata, Mapping):
        raise InvalidTypeError("strata", strata, "a mapping from unit id to stratum label")
    for unit in strata:
        if unit not in stated:
            raise InvalidInputError("strata", unit, "names a unit that is not in stated")
    if len(strata) != len(stated):
        missing = next(unit for unit in stated if unit not in strata)
        raise InvalidInputError("strata", missing, "has no stratum for this unit of stated")
    labels = strata.values()
    if set(map(type, labels)) != {str}:  # only str labels are hashable and worth a set below
        for unit, label in strata.items():
            check_id(label, field=f"strata[{unit!r}]")
    for label in set(labels):
        try:
            check_id(label, field="strata")
        except InvalidInputError:
            unit = next(u for u, x in strata.items() if x == label)
            check_id(label, field=f"strata[{unit!r}]")
            raise
    return dict(strata)


def check_progress(progress: object) -> Progress | None:
    """Return ``progress`` if it is None or callable, else raise a typed error."""
    if progress is not None and not callable(progress):
        raise InvalidTypeError("progress", progress, "a callable progress(done, total) or None")
    return progress
