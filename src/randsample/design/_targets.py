"""The inverse planning question: the fewest inspections for a target precision.

See ``_precision`` for the formulas: per class a closed form checked by showing one
inspection fewer fails; overall the least total by Wright's greedy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .. import _validation as check
from .._text import percent
from ..errors import InvalidInputError
from ._planning import Outlook, precision, violation_rates_of
from ._precision import overall_sizes, per_class_sizes, z_value
from ._sizing import Sizes

__all__ = ["sizes_for_precision"]


def sizes_for_precision(
    eligible: Mapping[str, int],
    violation_rates: Mapping[str, object],
    half_width: object,
    *,
    target: Literal["class", "overall"] = "class",
    level: float = 0.95,
    minimum: Mapping[str, int] | None = None,
    maximum: Mapping[str, int] | None = None,
) -> Outlook:
    """Return the fewest inspections whose expected half-width is at most ``half_width``.

    ``target="class"``: every class's rate gets a half-width <= ``half_width`` (one rate for
    all classes or a mapping class -> rate); each class's smallest ``n_h`` is a closed form,
    checked by showing ``n_h - 1`` fails. ``target="overall"``: the county's rate gets it,
    with the least total (Wright's greedy, exact). Every class with units gets at least one
    inspection (``minimum``, default 1; ``maximum`` default ``N_h``). Half-widths are rates
    (``"1%"`` is one percentage point). See the module for the formulas.

    >>> plan = sizes_for_precision({"A": 9000, "D": 1000}, {"A": "2%", "D": "30%"}, "5%")
    >>> dict(plan.sizes), [round(c.half_width, 4) for c in plan.classes]
    ({'A': 31, 'D': 245}, [0.0492, 0.0499])
    >>> dict(sizes_for_precision({"A": 9000, "D": 1000}, {"A": "2%", "D": "30%"}, "1%",
    ...                          target="overall").sizes)
    {'A': 724, 'D': 264}
    """
    eligible = check.mapping(
        eligible, "eligible", key=check.label, item=lambda v, f: check.integer(v, f, minimum=0)
    )
    rates = violation_rates_of(eligible, violation_rates)
    z = z_value(level)
    target = check.one_of(target, "target", ("class", "overall"))
    if isinstance(half_width, Mapping):
        if target == "overall":
            raise InvalidInputError("half_width", dict(half_width), "is one rate for 'overall'")
        widths = violation_rates_of(eligible, half_width)
    else:
        widths = dict.fromkeys(eligible, check.rate(half_width, "half_width"))
    if target == "class":
        sizes = per_class_sizes(eligible, rates, widths, z)
        rule = "half-width per class"
    else:
        lower = {h: min(1, n) for h, n in eligible.items()}
        lower.update(check.mapping(minimum or {}, "minimum", item=check.integer))
        upper = dict(eligible)
        upper.update(check.mapping(maximum or {}, "maximum", item=check.integer))
        for h in set(lower) | set(upper):
            if h not in eligible:
                raise InvalidInputError("minimum/maximum", h, "names no class of eligible")
            if not 0 <= lower[h] <= upper[h] <= eligible[h]:
                raise InvalidInputError(
                    f"minimum[{h!r}]/maximum[{h!r}]",
                    (lower[h], upper[h]),
                    f"need 0 <= minimum <= maximum <= {eligible[h]}",
                )
        found = overall_sizes(
            eligible, rates, widths[next(iter(widths))], z, lower=lower, upper=upper
        )
        if found is None:
            raise InvalidInputError(
                "half_width", half_width, "cannot be reached within the maximums"
            )
        sizes = found
        rule = "half-width overall"
    name = f"{rule} <= {percent(widths[next(iter(widths))], 3)}"
    if isinstance(half_width, Mapping):
        name = rule
    return precision(Sizes.from_mapping(sizes, eligible, rule=rule), rates, level=level, name=name)
