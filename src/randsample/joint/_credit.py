"""Credit-risk classes: which stratum is which class, and whether a design uses them.

The plan's third target counts draws "that use the credit-risk classification"
(利用信用风险分级分类). A draw uses it when its **rates differ by credit class**: a uniform 5%
over classes A-D is a simple random sample that happens to be stratified by class, not a
risk-based draw. The classes are a :class:`CreditScheme` (A-D by default; some provinces use
five, A-E), and a stratum label may cross the class with other attributes (``"C|餐饮"``: class
C in the catering industry), the class being one ``|``-separated component.

**The rule** (:func:`credit_risk_based`). Each stratum's *nominal rate* is what the design
asked for: its rate for a rate rule (before rounding and bounds), 1 for take-all, ``n_h / M_h``
for a fixed count (``unrounded / eligible`` of :class:`~randsample.design.StratumSize`, which
is all three). Strata are grouped into *cells* by the label without its class component (all
plain class labels form one cell). A draw is credit-risk-based when, in some cell, two classes
have different nominal rates. Strata without a class component (individual businesses, which
may have none) and strata with no eligible unit take no part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from .. import _validation as check
from ..design import Sizes
from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["FIVE_CLASSES", "FOUR_CLASSES", "CreditScheme", "credit_risk_based", "nominal_rates"]


def _classes(value: Iterable[str]) -> tuple[str, ...]:
    items = check.sequence(value, "credit_classes.classes", what="a sequence of class labels")
    return tuple(check.label(item, f"credit_classes.classes[{i}]") for i, item in enumerate(items))


@attrs.frozen
class CreditScheme:
    """The credit-risk classes in use, lowest risk first, and how crossed strata are written.

    Parameters
    ----------
    classes : sequence of str
        The class labels (default ``("A", "B", "C", "D")``; ``FIVE_CLASSES`` is A-E).
    separator : str
        What separates the class from other components in a crossed stratum label.

    Examples
    --------
    >>> scheme = CreditScheme()
    >>> scheme.class_of("C|餐饮"), scheme.class_of("D"), scheme.class_of("个体户")
    ('C', 'D', None)
    >>> scheme.cell_of("C|餐饮"), scheme.cell_of("D")
    ('餐饮', '')
    >>> CreditScheme(("A", "B", "C", "D", "E")).class_of("E|制造业")
    'E'
    """

    classes: tuple[str, ...] = attrs.field(default=("A", "B", "C", "D"), converter=_classes)
    separator: str = "|"

    def __attrs_post_init__(self) -> None:
        if len(self.classes) < 2:
            raise InvalidInputError(
                "credit_classes.classes", self.classes, "needs at least two classes"
            )
        if len(set(self.classes)) != len(self.classes):
            raise InvalidInputError("credit_classes.classes", self.classes, "lists a class twice")
        if not isinstance(self.separator, str) or len(self.separator) != 1:
            raise InvalidTypeError("credit_classes.separator", self.separator, "one character")
        for label in self.classes:
            if self.separator in label:
                raise InvalidInputError(
                    "credit_classes.classes", label, f"contains the separator {self.separator!r}"
                )

    def class_of(self, stratum: str) -> str | None:
        """Return the class component of ``stratum``, or None when it has none.

        A label with two class components (``"A|B"``) is refused: it cannot say which.
        """
        found = [part for part in stratum.split(self.separator) if part in self.classes]
        if len(found) > 1:
            raise InvalidInputError(
                "stratum", stratum, f"has more than one credit class component {found}"
            )
        return found[0] if found else None

    def cell_of(self, stratum: str) -> str:
        """Return ``stratum`` without its class component (the other attributes it crosses)."""
        parts = stratum.split(self.separator)
        return self.separator.join(part for part in parts if part not in self.classes)

    def describe(self) -> str:
        """Return the scheme in one line, e.g. ``'classes A-D'``."""
        return f"classes {self.classes[0]}-{self.classes[-1]} ({', '.join(self.classes)})"


#: The four classes of 国市监信发〔2022〕6号 (A low risk ... D high risk): the default.
FOUR_CLASSES = CreditScheme()
#: Five classes, as some provinces use.
FIVE_CLASSES = CreditScheme(("A", "B", "C", "D", "E"))


def nominal_rates(sizes: Sizes | Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Return each stratum's nominal rate: the rate the design asked for.

    From :class:`~randsample.design.Sizes`, ``unrounded / eligible`` (the rate of a rate rule
    before rounding and bounds, 1 for take-all, ``n_h / M_h`` for a fixed count); strata with
    no eligible unit are left out. A plain mapping is taken as stratum -> rate.

    >>> from randsample.design import sizes_from_rates
    >>> sizes = sizes_from_rates({"A": 101, "D": 7}, {"A": "3%"}, take_all=["D"])
    >>> {h: str(r) for h, r in nominal_rates(sizes).items()}
    {'A': '3/100', 'D': '1'}
    """
    if isinstance(sizes, Sizes):
        return {d.stratum: d.unrounded / d.eligible for d in sizes.details if d.eligible}
    checked = check.mapping(sizes, "rates", key=check.label, item=check.rate)
    return dict(checked)


def credit_risk_based(
    sizes: Sizes | Mapping[str, Fraction], scheme: CreditScheme = FOUR_CLASSES
) -> bool:
    """Return whether the design's rates differ by credit class (see the module doc).

    >>> credit_risk_based({"A": Fraction(5, 100), "B": Fraction(5, 100), "D": Fraction(5, 100)})
    False
    >>> credit_risk_based({"A|餐饮": Fraction(3, 100), "C|餐饮": Fraction(10, 100)})
    True
    >>> rates = {h: Fraction(5, 100) for h in "ABCD"} | {"E": Fraction(3, 10)}
    >>> credit_risk_based(rates), credit_risk_based(rates, FIVE_CLASSES)
    (False, True)
    """
    check.instance(scheme, "credit_classes", CreditScheme)
    cells: dict[str, set[Fraction]] = {}
    for stratum, rate in nominal_rates(sizes).items():
        if scheme.class_of(stratum) is not None:
            cells.setdefault(scheme.cell_of(stratum), set()).add(rate)
    return any(len(rates) > 1 for rates in cells.values())
