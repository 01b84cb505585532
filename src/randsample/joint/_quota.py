"""How many to draw: per-stratum quotas as county plans write them, and object types.

A :class:`Quota` is one stratum's rule in a task: a ratio, optionally with a minimum and/or a
maximum count (``"10%（20户）"``: 10%, at least 20 enterprises), a fixed count (``"20户"``), or
every unit (``"全部"``). :func:`parse_quota` reads the forms county plans use; every form is
exact (rates through :func:`~randsample.design.parse_rate`).

Object types (检查对象类型) follow from the second character of a unified social credit code
whose first character is ``9`` (registered by market regulation): ``1`` an enterprise, ``2``
an individual business (个体工商户), ``3`` a farmers' cooperative (农民专业合作社), GB
32100-2015 appendix A. Other codes are ``"other"``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Literal

import attrs

from .. import _validation as check
from ..design import Rounding, Sizes, sizes_from_rates
from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["OBJECT_TYPES", "ObjectType", "Quota", "object_type_of", "parse_quota"]

#: The kinds of inspection object a task may cover.
ObjectType = Literal["enterprise", "individual-business", "cooperative", "other"]
OBJECT_TYPES: tuple[ObjectType, ...] = ("enterprise", "individual-business", "cooperative", "other")
_BY_CODE: dict[str, ObjectType] = {
    "91": "enterprise",
    "92": "individual-business",
    "93": "cooperative",
}


def object_type_of(code: str) -> ObjectType:
    """Return the object type a credit code's first two characters give.

    >>> object_type_of("91350100M000100Y43"), object_type_of("92350102MA2XXXXX0X")
    ('enterprise', 'individual-business')
    >>> object_type_of("93350100MA31AAAA1A"), object_type_of("E-001")
    ('cooperative', 'other')
    """
    check.label(code, "id")
    return _BY_CODE.get(code[:2], "other")


_COUNT = r"(\d+)\s*户"
_BOUNDS = re.compile(
    r"^(?P<rate>[^（(]+?)\s*[（(]\s*"
    r"(?:(?P<min>\d+)\s*户|(?:≥|>=)\s*(?P<ge>\d+)\s*户|(?:≤|<=)\s*(?P<le>\d+)\s*户"
    r"|(?P<lo>\d+)\s*[-~～至]\s*(?P<hi>\d+)\s*户)\s*[）)]$"
)
_TAKE_ALL = ("全部", "all")


@attrs.frozen
class Quota:
    """One stratum's rule: a rate with optional count bounds, a fixed count, or every unit.

    Parameters
    ----------
    rate : Fraction or None
        The ratio (with ``minimum`` and ``maximum`` counts bounding it).
    minimum, maximum : int
        Bounds on the rate's count (``maximum`` None: no upper bound).
    count : int or None
        A fixed count instead of a rate.
    take_all : bool
        Every eligible unit.

    Examples
    --------
    >>> Quota(Fraction(1, 10), minimum=20).describe()
    '1/10 (at least 20)'
    """

    rate: Fraction | None = None
    minimum: int = 0
    maximum: int | None = None
    count: int | None = None
    take_all: bool = False

    def __attrs_post_init__(self) -> None:
        kinds = (self.rate is not None) + (self.count is not None) + bool(self.take_all)
        if kinds != 1:
            raise InvalidInputError("quota", self, "needs exactly one of rate, count, take_all")
        if self.rate is not None:
            object.__setattr__(self, "rate", check.rate(self.rate, "quota.rate"))
        check.integer(self.minimum, "quota.minimum", minimum=0)
        if self.maximum is not None:
            check.integer(self.maximum, "quota.maximum", minimum=0)
            if self.maximum < self.minimum:
                raise InvalidInputError(
                    "quota.maximum", self.maximum, f"is below the minimum {self.minimum}"
                )
        if self.rate is None and (self.minimum or self.maximum is not None):
            raise InvalidInputError("quota", self, "bounds apply to a rate only")
        if self.count is not None:
            check.integer(self.count, "quota.count", minimum=0)
        check.boolean(self.take_all, "quota.take_all")

    def describe(self) -> str:
        """Return the rule in one line."""
        if self.take_all:
            return "take-all"
        if self.count is not None:
            return f"n={self.count}"
        bounds = []
        if self.minimum:
            bounds.append(f"at least {self.minimum}")
        if self.maximum is not None:
            bounds.append(f"at most {self.maximum}")
        return f"{self.rate}" + (f" ({', '.join(bounds)})" if bounds else "")


def parse_quota(value: object, field: str = "quota") -> Quota:
    """Read a quota as plans write it.

    Accepted: a :class:`Quota`; a rate (``"3%"``, ``"0.03"``, ``Fraction(3, 100)``...);
    ``"10%（20户）"`` (at least 20), ``"10%（≥20户）"``, ``"10%（≤50户）"`` (at most 50),
    ``"10%（20-50户）"`` (full-width or ASCII parentheses; ``-``, ``~``, ``～`` or ``至``);
    ``"20户"`` (a fixed count); ``"全部"`` or ``"all"`` (take-all). An ``int`` is refused (is
    1 a count or 100%?): write ``"1户"`` or ``"100%"``.

    >>> [parse_quota(v).describe() for v in ("3%", "10%（20户）", "5%(≤50户)", "20户", "全部")]
    ['3/100', '1/10 (at least 20)', '1/20 (at most 50)', 'n=20', 'take-all']
    >>> parse_quota(20)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidTypeError: quota: expected a rate, '10%（20户）', ... got int 20
    """
    if isinstance(value, Quota):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise InvalidTypeError(field, value, "a rate, '10%（20户）', '20户' or '全部'")
    if isinstance(value, str):
        if value in _TAKE_ALL:
            return Quota(take_all=True)
        if (whole := re.fullmatch(_COUNT, value)) is not None:
            return Quota(count=int(whole.group(1)))
        if (match := _BOUNDS.match(value)) is not None:
            rate = check.rate(match.group("rate"), field)
            low = match.group("min") or match.group("ge") or match.group("lo")
            high = match.group("le") or match.group("hi")
            try:
                return Quota(
                    rate,
                    minimum=int(low) if low else 0,
                    maximum=int(high) if high else None,
                )
            except InvalidInputError as exc:
                raise InvalidInputError(field, value, exc.problem) from None
    return Quota(check.rate(value, field))


def quota_sizes(
    quotas: tuple[tuple[str, Quota], ...], eligible: dict[str, int], *, rounding: Rounding
) -> Sizes:
    """Return the integer size of every stratum of ``eligible`` under ``quotas``.

    Rounding is the task's (``rate * M_h`` rounded by the stated rule), then the bounds; a
    minimum above the eligible units means all of them (as county plans read "（20户）"); a
    fixed count that cannot be met is a :class:`~randsample.errors.SampleSizeError`.
    """
    rates = {h: q.rate for h, q in quotas if q.rate is not None}
    return sizes_from_rates(
        eligible,
        rates,
        rounding=rounding,
        # "10%（20户）": at least 20, or every unit when fewer are eligible (spec 21.2)
        minimum={
            h: min(q.minimum, eligible.get(h, 0))
            for h, q in quotas
            if q.rate is not None and q.minimum
        },
        maximum={h: q.maximum for h, q in quotas if q.maximum is not None},
        counts={h: q.count for h, q in quotas if q.count is not None},
        take_all=[h for h, q in quotas if q.take_all],
    )
