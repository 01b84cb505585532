"""The column mapping of a bureau's table, declared once: :class:`ColumnMapping`, :class:`Boost`.

See :mod:`randsample.population._tables` for how :func:`build_population` applies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from ..core import check_id
from ..errors import InvalidInputError, InvalidTypeError
from ._population import IdScheme

__all__ = ["CREDIT_CLASSES", "ENDED_STATUSES", "Boost", "ColumnMapping"]

#: The credit-risk classes of the plan: A (low risk) ... D (high risk).
CREDIT_CLASSES = ("A", "B", "C", "D")
#: Registration statuses (登记状态) of an entity that can no longer be inspected: deregistered,
#: licence revoked, registration cancelled, moved away, closed, in liquidation. The default
#: ``ineligible_values`` when ``eligible_values`` is given; any status in neither list is an
#: error.
ENDED_STATUSES = ("注销", "吊销", "吊销未注销", "吊销，未注销", "撤销", "迁出", "停业", "清算")


def _factor(value: object, field: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        raise InvalidTypeError(field, value, "a number >= 1")
    try:  # a float is read as the decimal it prints as, like a rate
        factor = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InvalidInputError(field, value, "expected a number >= 1") from None
    if factor < 1:
        raise InvalidInputError(field, value, "expected a number >= 1")
    return factor


def _label(value: object, field: str) -> str:
    return check_id(value, field=field)


def _optional_label(value: object, field: str) -> str | None:
    return None if value is None else check_id(value, field=field)


def _labels(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, "a list of column names or values")
    return tuple(check_id(item, field=field) for item in value)


@attrs.frozen
class Boost:
    """A risk signal that multiplies a unit's weight by ``factor`` (at least 1).

    With ``threshold`` None the column is a yes/no flag; with ``threshold`` k it is a count
    (a non-negative integer) and the boost applies when the count is at least k.

    >>> Boost("投诉次数", 2, threshold=3)
    Boost(column='投诉次数', factor=Fraction(2, 1), threshold=3)
    """

    column: str = attrs.field()
    factor: Fraction = attrs.field()
    threshold: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _label(self.column, "boost.column")
        object.__setattr__(self, "factor", _factor(self.factor, f"risk_boosts[{self.column!r}]"))
        if self.threshold is not None and (
            isinstance(self.threshold, bool)
            or not isinstance(self.threshold, int)
            or self.threshold < 1
        ):
            raise InvalidInputError(
                f"risk_boosts[{self.column!r}].threshold",
                self.threshold,
                "expected an integer >= 1",
            )


def _boosts(value: object) -> tuple[Boost, ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple(
            item if isinstance(item, Boost) else Boost(name, item) for name, item in value.items()
        )
    if isinstance(value, Iterable) and not isinstance(value, str):
        items = tuple(value)
        for item in items:
            if not isinstance(item, Boost):
                raise InvalidTypeError("risk_boosts", item, "a Boost")
        return items
    raise InvalidTypeError("risk_boosts", value, "a mapping column -> factor or Boosts")


def _defaults(value: object) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidTypeError("defaults", value, "a mapping column -> value")
    return dict(value)


def _statuses(value: object, field: str) -> frozenset[str] | None:
    return None if value is None else frozenset(_labels(value, field))


def _id_column(value: object) -> str:
    return _label(value, "id_column")


def _class_column(value: object) -> str:
    return _label(value, "class_column")


def _classes(value: object) -> tuple[str, ...]:
    return _labels(value, "classes")


def _strata_columns(value: object) -> tuple[str, ...]:
    return () if value is None else _labels(value, "strata_columns")


def _eligible_column(value: object) -> str | None:
    return _optional_label(value, "eligible_column")


def _eligible(value: object) -> frozenset[str] | None:
    return _statuses(value, "eligible_values")


def _ineligible(value: object) -> frozenset[str] | None:
    return _statuses(value, "ineligible_values")


def _weight_column(value: object) -> str | None:
    return _optional_label(value, "weight_column")


def _name_column(value: object) -> str | None:
    return _optional_label(value, "name_column")


@attrs.frozen(kw_only=True)
class ColumnMapping:
    """Which column of a table is what, declared once (see the module docstring).

    The same mapping serves the Python API (:func:`build_population`,
    :meth:`randsample.files.Table.population`) and the command line (``--id-column``,
    ``--class-column``, ``--eligible-column``/``--eligible-values``, ``--weight-column``,
    ``--boost COLUMN:THRESHOLD:FACTOR``).

    >>> mapping = ColumnMapping(id_column="统一社会信用代码", class_column="信用风险分类",
    ...                         eligible_column="登记状态", eligible_values=("存续", "在业"),
    ...                         risk_boosts=[Boost("投诉次数", 2, threshold=1)])
    >>> mapping.strata_columns, sorted(mapping.ineligible_values)[:2]
    (('信用风险分类',), ['停业', '吊销'])
    """

    id_column: str = attrs.field(default="id", converter=_id_column)
    class_column: str = attrs.field(default="credit_class", converter=_class_column)
    classes: tuple[str, ...] = attrs.field(default=CREDIT_CLASSES, converter=_classes)
    strata_columns: tuple[str, ...] = attrs.field(default=(), converter=_strata_columns)
    eligible_column: str | None = attrs.field(default=None, converter=_eligible_column)
    eligible_values: frozenset[str] | None = attrs.field(default=None, converter=_eligible)
    ineligible_values: frozenset[str] | None = attrs.field(default=None, converter=_ineligible)
    weight_column: str | None = attrs.field(default=None, converter=_weight_column)
    risk_boosts: tuple[Boost, ...] = attrs.field(default=(), converter=_boosts)
    defaults: Mapping[str, object] = attrs.field(factory=dict, converter=_defaults)
    id_scheme: IdScheme = "opaque"
    name_column: str | None = attrs.field(default=None, converter=_name_column)

    def __attrs_post_init__(self) -> None:
        if not self.strata_columns:  # by default the class alone
            object.__setattr__(self, "strata_columns", (self.class_column,))
        ineligible = self.ineligible_values
        if ineligible is None and self.eligible_values is not None:
            ineligible = frozenset(ENDED_STATUSES)
            object.__setattr__(self, "ineligible_values", ineligible)
        if self.eligible_values is not None:
            if self.eligible_column is None:
                raise InvalidInputError(
                    "eligible_values", sorted(self.eligible_values), "needs an eligible_column"
                )
            both = sorted(self.eligible_values & (ineligible or frozenset()))
            if both:
                raise InvalidInputError(
                    "eligible_values", both, "are also ineligible values: list each once"
                )
        elif ineligible is not None:
            raise InvalidInputError(
                "ineligible_values", sorted(ineligible), "needs eligible_values too"
            )
        if self.id_scheme not in ("opaque", "uscc", "uscc-lenient"):
            raise InvalidInputError(
                "id_scheme", self.id_scheme, "expected 'opaque', 'uscc' or 'uscc-lenient'"
            )

    def columns(self) -> dict[str, str]:
        """Return every column the mapping reads, with the parameter that names it."""
        named: dict[str, str] = {}
        for parameter, column in (
            ("id_column", self.id_column),
            ("class_column", self.class_column),
            ("eligible_column", self.eligible_column),
            ("weight_column", self.weight_column),
            ("name_column", self.name_column),
        ):
            if column is not None:
                named.setdefault(column, parameter)
        for column in self.strata_columns:
            named.setdefault(column, "strata_columns")
        for boost in self.risk_boosts:
            named.setdefault(boost.column, "risk_boosts")
        return named
