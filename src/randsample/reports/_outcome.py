"""What became of a drawn enterprise in a period: inspection completed, problem found."""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import InvalidInputError, InvalidTypeError

__all__ = ["Outcome"]


def _check_flag(field: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidTypeError(field, value, "a bool")

    return check


@attrs.frozen
class Outcome:
    """The outcome of one enterprise's inspection in one period.

    ``problem_found`` without ``completed`` is refused: a problem is found by an inspection
    that was carried out.

    >>> Outcome(completed=True, problem_found=True)
    Outcome(completed=True, problem_found=True)
    >>> Outcome(completed=False, problem_found=True)
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: outcome.problem_found: requires completed=True, got True
    """

    completed: bool = attrs.field(validator=_check_flag("outcome.completed"))
    problem_found: bool = attrs.field(default=False, validator=_check_flag("outcome.problem_found"))

    def __attrs_post_init__(self) -> None:
        if self.problem_found and not self.completed:
            raise InvalidInputError("outcome.problem_found", True, "requires completed=True")
