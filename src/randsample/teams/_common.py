"""What the team modules share: relation kinds, reason codes, the team-size rule, converters.

The converters let records take a list or a set where they store a frozen one; they only
change the container, and the records' validators refuse wrong types naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, get_args

__all__ = [
    "CONFLICT_ORDER",
    "DEFAULT_TEAM_SIZE",
    "NOT_QUALIFIED",
    "RECUSAL",
    "RELATION_KINDS",
    "ROTATION",
    "SAME_LOCALITY",
    "UNAVAILABLE",
    "RelationKind",
]

#: The kinds of declared relation between an inspector and an enterprise.
RelationKind = Literal["former-employer", "relative", "shareholder", "other"]
RELATION_KINDS: tuple[RelationKind, ...] = get_args(RelationKind)

#: Reason codes, in the order in which an excluded inspector is attributed to one of them in
#: explanations (an inspector excluded for several reasons is counted once, under the first).
NOT_QUALIFIED = "not-qualified"
UNAVAILABLE = "unavailable"
SAME_LOCALITY = "same-locality"
ROTATION = "rotation"
RECUSAL = "recusal-request"
#: Conflict reasons in attribution order; user rules (:class:`ExcludedPair`) come after these,
#: under their own reason strings, sorted.
CONFLICT_ORDER: tuple[str, ...] = (*RELATION_KINDS, SAME_LOCALITY, ROTATION, RECUSAL)

#: The general law-enforcement rule: at least two officers per visit.
DEFAULT_TEAM_SIZE = 2

# -- small converters and checks -------------------------------------------------------------
# Converters only change the container (so that a list or set is accepted); the validators,
# which know the record's id, refuse wrong types with a message naming the field.


def _frozen(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # left for the validator to refuse with the field's name
    return frozenset(value)


def _tupled(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _freeze_mapping(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return MappingProxyType({key: _frozen(item) for key, item in value.items()})
