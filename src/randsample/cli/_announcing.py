"""What ``draw`` and ``assign`` share about announcements: follow one, and say how random."""

from __future__ import annotations

from typing import TextIO

from ..errors import InvalidInputError
from ..population import Population
from ..records import (
    AnnouncementRecord,
    Note,
    SealedRecord,
    check_announcement,
    randomness_notes,
)
from ._streams import Inputs

__all__ = ["follow_announcement", "print_notes", "read_announcement"]


def read_announcement(path: str | None, inputs: Inputs) -> AnnouncementRecord | None:
    """Read the ``--announcement`` record (None when the option is not given)."""
    if path is None:
        return None
    record = inputs.record(path, "--announcement")
    if not isinstance(record, AnnouncementRecord):
        raise InvalidInputError(
            "--announcement", path, f"is a {record.FORMAT}, not an announcement"
        )
    return record


def follow_announcement(
    record: SealedRecord,
    path: str | None,
    inputs: Inputs,
    *,
    population: Population | None = None,
) -> tuple[Note, ...]:
    """Refuse a new record that departs from its ``--announcement``; return the notes."""
    announcement = read_announcement(path, inputs)
    if announcement is not None:
        differences = check_announcement(record, announcement, population=population)
        if differences:
            raise InvalidInputError(
                "--announcement",
                path,
                "the new record does not follow it, so it was not written: "
                + "; ".join(str(d) for d in differences),
            )
    return randomness_notes(record, announcement, followed=announcement is not None)


def print_notes(notes: tuple[Note, ...], out: TextIO) -> None:
    """Print each note on its own line, after the command's output."""
    for note in notes:
        print(f"note: {note}", file=out)
