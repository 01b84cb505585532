"""The value rules of each record kind (draw, replacement, assignment), checked at read time.

Called by each kind's ``_check_values`` after the schema and the shared fields are checked
(``docs/spec.md`` section 13.2 lists every rule). A broken rule raises
:class:`~randsample.errors.RecordFormatError` naming the field: the record is malformed.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import RecordFormatError
from ._strict import (
    check_count,
    check_fraction,
    check_hex,
    check_label,
    check_labels,
    check_seed_values,
)

__all__ = ["check_assignment_values", "check_draw_values", "check_replacement_values"]

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _common_draw(content: dict[str, Any], id_field: str) -> None:
    check_label(content[id_field], id_field)
    check_label(content["purpose"], "purpose")
    check_hex(content["subkey"], "subkey", length=32)
    check_seed_values(content["seed"])


def check_draw_values(content: dict[str, Any]) -> None:
    """Value rules of a draw record (spec 6.2, 13.2)."""
    _common_draw(content, "draw_id")
    population = content["population"]
    check_hex(population["digest"], "population.digest", length=32)
    check_count(population["units"], "population.units")
    check_count(population["eligible"], "population.eligible")
    if population["eligible"] > population["units"]:
        raise RecordFormatError(
            "population.eligible", population["eligible"], "is more than population.units"
        )
    for index, entry in enumerate(content["design"]["strata"]):
        where = f"design.strata[{index}]"
        check_label(entry["stratum"], f"{where}.stratum")
        for name in ("units", "eligible", "sample_size"):
            check_count(entry[name], f"{where}.{name}")
        if entry["eligible"] > entry["units"]:
            raise RecordFormatError(f"{where}.eligible", entry["eligible"], "is more than units")
    selection = content["selection"]
    check_labels((entry["id"] for entry in selection), "selection.id")
    check_labels((entry["stratum"] for entry in selection), "selection.stratum")
    probabilities: dict[str, bool] = {}
    for index, entry in enumerate(selection):
        where = f"selection[{index}]"
        check_count(entry["rank"], f"{where}.rank", minimum=1)
        if not _HEX64.fullmatch(entry["ticket"]):
            check_hex(entry["ticket"], f"{where}.ticket", length=32)
        probability = entry["inclusion_probability"]
        if probability not in probabilities:  # a few distinct values in a large selection
            check_fraction(probability, f"{where}.inclusion_probability", zero=False)
            probabilities[probability] = True


def check_replacement_values(content: dict[str, Any]) -> None:
    """Value rules of a replacement record (spec 10, 13.2)."""
    check_hex(content["draw_record_digest"], "draw_record_digest", length=32)
    check_label(content["stratum"], "stratum")
    for name in ("id", "reason", "recorded_by"):
        check_label(content["replaced"][name], f"replaced.{name}")
    replacement = content["replacement"]
    check_label(replacement["id"], "replacement.id")
    check_count(replacement["rank"], "replacement.rank", minimum=2)
    check_hex(replacement["ticket"], "replacement.ticket", length=32)
    check_fraction(replacement["reach_probability"], "replacement.reach_probability", zero=False)


def check_assignment_values(content: dict[str, Any]) -> None:
    """Value rules of an assignment record (spec 11.6, 13.2)."""
    _common_draw(content, "assignment_id")
    check_hex(content["directory"]["digest"], "directory.digest", length=32)
    check_count(content["directory"]["inspectors"], "directory.inspectors")
    for name in ("digest", "conflicts_digest"):
        check_hex(content["input"][name], f"input.{name}", length=32)
    check_count(content["input"]["visits"], "input.visits")
    for index, team in enumerate(content["teams"]):
        where = f"teams[{index}]"
        check_label(team["visit_id"], f"{where}.visit_id")
        for number, member in enumerate(team["members"]):
            check_label(member["department"], f"{where}.members[{number}].department")
            check_labels(member["inspector_ids"], f"{where}.members[{number}].inspector_ids")
    for index, entry in enumerate(content["unstaffed"]):
        where = f"unstaffed[{index}]"
        check_label(entry["visit_id"], f"{where}.visit_id")
        check_label(entry["department"], f"{where}.department")
        check_count(entry["needed"], f"{where}.needed", minimum=1)
        check_count(entry["assigned"], f"{where}.assigned")
        if entry["assigned"] >= entry["needed"]:
            raise RecordFormatError(
                f"{where}.assigned", entry["assigned"], "is not fewer than needed"
            )
