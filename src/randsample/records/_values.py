"""The value rules of each record kind (draw, replacement, assignment), checked at read time.

Called by each kind's ``_check_values`` after the schema and the shared fields are checked
(``docs/spec.md`` section 16.2 lists every rule). A broken rule raises
:class:`~randsample.errors.RecordFormatError` naming the field: the record is malformed.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date
from typing import Any

from ..core import PURPOSE_INSPECTORS
from ..core._rows import RowColumns, columns_of
from ..design import DESIGNS
from ..errors import RecordFormatError
from ._strict import (
    check_count,
    check_fraction,
    check_hex,
    check_label,
    check_labels,
    check_seed_values,
    plain_label_text,
)

__all__ = [
    "check_announcement_values",
    "check_assignment_values",
    "check_draw_values",
    "check_replacement_values",
]

HEX64 = re.compile(r"[0-9a-f]{64}")


def _common_draw(content: dict[str, Any], id_field: str) -> None:
    check_label(content[id_field], id_field)
    check_label(content["purpose"], "purpose")
    check_hex(content["subkey"], "subkey", length=32)
    check_seed_values(content["seed"])


def check_draw_values(content: dict[str, Any], *, columns: RowColumns | None = None) -> None:
    """Value rules of a draw record (spec 6.2, 13.2).

    ``columns`` is internal (a record's checks share the columns they find): leave it None.
    """
    columns = columns_of(columns)
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
    if _plain_selection(selection, columns):
        return  # accepts only what the row-by-row checks below accept
    check_labels((entry["id"] for entry in selection), "selection.id")
    check_labels((entry["stratum"] for entry in selection), "selection.stratum")
    probabilities: dict[str, bool] = {}
    for index, entry in enumerate(selection):
        where = f"selection[{index}]"
        check_count(entry["rank"], f"{where}.rank", minimum=1)
        if not HEX64.fullmatch(entry["ticket"]):
            check_hex(entry["ticket"], f"{where}.ticket", length=32)
        probability = entry["inclusion_probability"]
        if probability not in probabilities:  # a few distinct values in a large selection
            check_fraction(probability, f"{where}.inclusion_probability", zero=False)
            probabilities[probability] = True


_SELECTED = {"id", "stratum", "rank", "ticket", "inclusion_probability"}
_NOT_HEX = str.maketrans("", "", "0123456789abcdef")


def _plain_selection(selection: list[Any], columns: RowColumns) -> bool:
    # True only if the rows of a selection certainly pass the checks of check_draw_values,
    # checked a column at a time; False leaves them to the row-by-row checks, which name the
    # problem.
    table, kinds, lengths = columns(selection), columns.kinds(selection), columns.lengths(selection)
    if table is None or kinds is None or lengths is None or table.keys() != _SELECTED:
        return False
    if (
        kinds["rank"] != {int}
        or min(table["rank"]) < 1
        or kinds["ticket"] != {str}
        or lengths["ticket"] != {64}
        or "".join(table["ticket"]).translate(_NOT_HEX)  # not a lowercase hex digit
        or kinds["inclusion_probability"] != {str}
    ):
        return False
    probabilities = table["inclusion_probability"]
    try:
        for probability in set(probabilities):  # a few distinct values in a large selection
            check_fraction(probability, "inclusion_probability", zero=False)
    except RecordFormatError:
        return False
    return all(
        kinds[name] == {str} and 0 not in lengths[name] and plain_label_text(table[name])
        for name in ("id", "stratum")
    )


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


def check_announcement_values(content: dict[str, Any], *, commitments: Container[str]) -> None:
    """Value rules of an announcement record (spec 15.1, 16.2)."""
    is_draw = _check_announces(content["announces"])
    for field, wanted in (("population", is_draw), ("design", is_draw), ("inputs", not is_draw)):
        if (content[field] is not None) != wanted:
            raise RecordFormatError(
                field,
                content[field],
                "must be " + ("given" if wanted else "null") + " for this kind",
            )
    if is_draw:
        _check_draw_part(content, commitments)
    else:
        for key, value in content["inputs"].items():
            check_hex(value, f"inputs.{key}", length=32)
    _check_sources(content["sources"])
    if content["commitment"] is None:
        if content["weak_secret_allowed"]:
            raise RecordFormatError("weak_secret_allowed", True, "there is no secret")
    else:
        check_hex(content["commitment"], "commitment", length=32)


def _check_announces(announces: dict[str, Any]) -> bool:
    # What is announced; returns whether it is a draw (else an assignment).
    from ._formats import (
        ASSIGNMENT_FORMAT,
        DRAW_FORMAT,
        TEAM_ASSIGNMENT,
        TEAM_ASSIGNMENT_VERSION,
    )

    check_label(announces["id"], "announces.id")
    check_label(announces["purpose"], "announces.purpose")
    name, version = announces["algorithm"]["name"], announces["algorithm"]["version"]
    is_draw = bool(announces["record_format"] == DRAW_FORMAT)
    if is_draw:
        known = {n: entry.version for n, entry in DESIGNS.items()}
    elif announces["record_format"] == ASSIGNMENT_FORMAT:
        known = {TEAM_ASSIGNMENT: TEAM_ASSIGNMENT_VERSION}
        if announces["purpose"] != PURPOSE_INSPECTORS:
            raise RecordFormatError(
                "announces.purpose", announces["purpose"], "expected 'inspectors'"
            )
    else:
        raise RecordFormatError(
            "announces.record_format",
            announces["record_format"],
            f"expected {DRAW_FORMAT!r} or {ASSIGNMENT_FORMAT!r}",
        )
    if known.get(name) != version:
        raise RecordFormatError("announces.algorithm", announces["algorithm"], "unsupported")
    return is_draw


def _check_draw_part(content: dict[str, Any], commitments: Container[str]) -> None:
    population = content["population"]
    scheme = population["commitment"]["scheme"]
    if scheme not in commitments:
        raise RecordFormatError(
            "population.commitment.scheme",
            scheme,
            "is not a known population commitment scheme",
        )
    check_hex(population["commitment"]["value"], "population.commitment.value")
    check_count(population["units"], "population.units")
    check_count(population["eligible"], "population.eligible")
    labels = []
    for index, entry in enumerate(content["design"]["strata"]):
        labels.append(check_label(entry["stratum"], f"design.strata[{index}].stratum"))
        check_count(entry["sample_size"], f"design.strata[{index}].sample_size")
    if labels != sorted(set(labels)):
        raise RecordFormatError(
            "design.strata", labels, "expected distinct strata in code point order"
        )


def _check_sources(sources: list[dict[str, Any]]) -> None:
    if not sources:
        raise RecordFormatError("sources", [], "expected at least one public source")
    names = set()
    for index, source in enumerate(sources):
        name = check_label(source["name"], f"sources[{index}].name")
        if name in names:
            raise RecordFormatError(f"sources[{index}].name", name, "is announced twice")
        names.add(name)
        _date(source["date"], f"sources[{index}].date")
        check_count(source["values"], f"sources[{index}].values", minimum=1)


def _date(value: str, field: str) -> date:
    if (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.replace("-", "").isascii()
    ):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RecordFormatError(field, value, "expected a real date YYYY-MM-DD")
