"""What the team modules share: relation kinds, reason codes, the team-size rule, converters.

And what the verifiers of both team record versions (spec 11.6 and 19.6) report alike: the
recorded input digests and counts against the data, and the teams visit by visit.

The converters let records take a list or a set where they store a frozen one; they only
change the container, and the records' validators refuse wrong types naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeVar, get_args

from .. import _validation as check
from ..errors import InvalidTypeError
from ..records import Discrepancy, Findings, SealedRecord

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


def check_availability(capacity: object, days_off: object, where: str) -> None:
    """Check a team member's (an officer's or an expert's) capacity and days off."""
    check.integer(capacity, f"{where}.capacity", minimum=1)
    if not isinstance(days_off, frozenset):
        raise InvalidTypeError(f"{where}.days_off", days_off, "a set of dates")
    for day in days_off:
        check.date(day, f"{where}.days_off")


# -- what the team record verifiers (versions 1 and 2) report alike ---------------------------
_Team = TypeVar("_Team")


def compare_inputs(
    record: SealedRecord, actual: Mapping[str, Mapping[str, object]], findings: Findings
) -> None:
    """Add a finding for every recorded digest or count (``field.name``) the data do not give."""
    for field, values in actual.items():
        stored = record[field]
        for name, value in values.items():
            if stored[name] != value:
                findings.add(
                    f"{field}.{name}", f"record says {stored[name]!r}, the data give {value!r}"
                )


def team_differences(
    record: SealedRecord,
    stored: Mapping[str, _Team],
    expected: Mapping[str, _Team],
    team: Callable[[str, _Team, _Team], list[Discrepancy]],
    entries: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> list[Discrepancy]:
    """Compare the recorded teams with the re-derived ones, visit by visit.

    ``team(visit_id, was, now)`` reports a visit whose team differs; ``entries`` are the re-derived
    ``teams`` and ``unstaffed`` entries, to which the record's must be equal (in order too).
    """
    problems: list[Discrepancy] = []
    for visit_id in sorted(set(stored) | set(expected)):
        if visit_id not in expected:
            problems.append(Discrepancy("teams", f"visit {visit_id!r} is not among the visits"))
        elif visit_id not in stored:
            problems.append(Discrepancy("teams", f"visit {visit_id!r} is missing from the record"))
        elif stored[visit_id] != expected[visit_id]:
            problems += team(visit_id, stored[visit_id], expected[visit_id])
    teams, unstaffed = entries
    if not problems and record["teams"] != teams:
        problems.append(Discrepancy("teams", "entries are not in canonical order"))
    if record["unstaffed"] != unstaffed:
        problems.append(
            Discrepancy("unstaffed", f"record says {record['unstaffed']}, re-derived {unstaffed}")
        )
    return problems
