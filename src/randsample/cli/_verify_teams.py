"""``randsample verify`` of an inspector-team record (versions 1 and 2).

The input files are recognised by their content, as the standalone verifier does (spec 22):
an object with ``inspectors`` is the directory, ``experts`` the expert pool, ``visits`` the
visits (version 1) or team visits (version 2); any other object is the conflicts.
"""

from __future__ import annotations

import argparse

import attrs

from ..errors import InvalidInputError
from ..files import (
    read_conflicts,
    read_directory,
    read_experts,
    read_mapping,
    read_team_visits,
    read_visits,
)
from ..records import AssignmentRecord, SealedRecord
from ..records._announced import check_announcement, randomness_notes
from ..records._verdict import Verdict
from ..teams import TeamRecord, verify_assignment, verify_team_record
from ._announcing import read_announcement
from ._mapping import refuse_population_options
from ._streams import Inputs

__all__ = ["team_verdict"]

_KINDS = ("inspectors", "experts", "visits")


def team_verdict(
    args: argparse.Namespace, inputs: Inputs, record: SealedRecord, previous: SealedRecord | None
) -> Verdict:
    """Return the verdict of a team record checked against the files given after it."""
    refuse_population_options(
        args, "applies to draw records only", also=(("--replacement", bool(args.replacement)),)
    )
    paths: dict[str, str] = {}
    for value in [args.population, *args.inputs]:
        path = inputs.path(value, "inputs")
        if not path.lower().endswith((".json", ".toml")):
            raise InvalidInputError(
                value,
                "input",
                "a team record is checked against its JSON or TOML input files "
                "(directory, visits, conflicts, experts)",
            )
        data = read_mapping(path)
        if "record_format" in data or "receipt_format" in data:
            found = data.get("record_format") or data.get("receipt_format")
            raise InvalidInputError(
                value,
                found,
                "is a record, not an input file (team adjustment records are "
                "checked by the exported verifier or teams.verify_adjustments)",
            )
        kind = next((k for k in _KINDS if k in data), "conflicts")
        if kind in paths:
            raise InvalidInputError(value, kind, f"is a second {kind} file")
        paths[kind] = path
    for needed in ("inspectors", "visits"):
        if needed not in paths:
            what = "directory" if needed == "inspectors" else "visits"
            raise InvalidInputError("inputs", sorted(paths), f"the {what} file is missing")
    directory = read_directory(paths["inspectors"])
    conflicts = read_conflicts(paths["conflicts"]) if "conflicts" in paths else None
    if isinstance(record, TeamRecord):
        experts = read_experts(paths["experts"]) if "experts" in paths else None
        report = verify_team_record(
            record,
            directory,
            read_team_visits(paths["visits"]),
            experts=experts,
            conflicts=conflicts,
            previous=previous,
        )
    else:
        assert isinstance(record, AssignmentRecord)  # the caller dispatches on the kind
        if "experts" in paths:
            raise InvalidInputError(paths["experts"], "experts", "a version-1 record has none")
        report = verify_assignment(
            record, directory, read_visits(paths["visits"]), conflicts=conflicts, previous=previous
        )
    announcement = read_announcement(args.announcement, inputs)
    if announcement is not None:
        if isinstance(record, TeamRecord):
            raise InvalidInputError(
                "--announcement", args.announcement, "announcements cover version 1 teams only"
            )
        differences = check_announcement(record, announcement)
        report = attrs.evolve(
            report,
            discrepancies=(*report.discrepancies, *differences),
            notes=randomness_notes(record, announcement, followed=not differences),
        )
    return report.verdict(record, chain_checked=previous is not None, announcement=announcement)
