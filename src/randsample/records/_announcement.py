"""What an auditor compares with the announcement (spec 15.5), per record kind.

Each line is ``(label key, label values, value)``: the label is ``label.<key>`` of the
verdict catalogue; a value is text, a number, ``None`` (shown as "(none)"), a boolean (shown
as yes/no) or ``("checked",)``/``("not-checked",)`` for the chain link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._verdict import Line, content_of

__all__ = ["announcement"]

_DRAWS = ("randsample.draw-record/1", "randsample.salted-draw-record/1")
_ASSIGNMENT = "randsample.assignment-record/1"
_ASSIGNMENT2 = "randsample.assignment-record/2"
_NOTICE = "randsample.public-notice/1"
_RESULT = "randsample.result-record/1"
_RECEIPT = "randsample.receipt/1"


def _seed(seed: Mapping[str, Any]) -> list[Line]:
    """Raw seed: its value; seed from sources: key, each source, the commitment."""
    if not seed["sources"]:
        return [("raw_seed", {}, seed["value"])]
    lines: list[Line] = [("seed_key", {}, seed["key"])]
    lines += [
        ("source", {"number": i}, f"{source['name']}: {' '.join(source['values'])}")
        for i, source in enumerate(seed["sources"], start=1)
    ]
    return [*lines, ("seed_commitment", {}, seed["commitment"])]


def _sizes(strata: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(f"{s['stratum']} {s['sample_size']}" for s in strata)


def _receipt(receipt: Mapping[str, Any], notice: Mapping[str, Any]) -> list[Line]:
    commitment, unit, task = notice["population_commitment"], receipt["unit"], notice["task"]
    return [
        ("record_format", {}, _RECEIPT),
        ("notice_digest", {}, receipt["notice_digest"]),
        ("authority", {}, notice["authority"]),
        ("notice_id", {}, notice["notice_id"]),
        ("task", {}, f"{task['task_id']} ({task['period']})"),
        ("population_commitment", {}, commitment["root"]),
        ("buckets", {}, commitment["buckets"]),
        *_seed(notice["seed"]),
        ("unit", {}, unit["id"]),
        ("stratum", {}, unit["stratum"]),
        ("eligible", {}, unit["eligible"]),
        ("unit_selected", {}, receipt["selected"]),
        ("ticket", {}, receipt["ticket"]),
        ("threshold", {}, receipt["threshold"]),
    ]


def _chain(first: Mapping[str, Any], checked: bool | None) -> list[Line]:
    lines: list[Line] = [("previous_record_digest", {}, first["previous_record_digest"])]
    if checked is not None:
        lines.append(("chain", {}, ("checked",) if checked else ("not-checked",)))
    return lines


def announcement(
    record: Any,
    *,
    chain_checked: bool | None = None,
    replacements: Sequence[Any] = (),
    notice: Any = None,
    records: Sequence[Any] = (),
    announcement: Any = None,
    adjustments: Sequence[Any] = (),
) -> tuple[Line, ...]:
    """Return the announcement lines (spec 15.5) of ``record``.

    ``chain_checked`` says whether the previous record was given (None: not shown);
    ``replacements`` are a draw's replacement records, ``adjustments`` a version-2 team
    record's adjustments; ``announcement`` the announcement it was checked against; a receipt
    needs its ``notice``; a sequence of result records is given as ``records`` (``record`` is
    then the last one).

    Examples
    --------
    >>> from randsample import draw_stratified, make_record
    >>> from randsample.examples import demo_population, demo_seed, demo_sizes
    >>> population = demo_population(size=300)
    >>> sample = draw_stratified(population, demo_sizes(population), demo_seed())
    >>> record = make_record(sample, authority="县局", draw_id="d1",
    ...                      timestamp="2026-11-27T02:00:00Z")
    >>> lines = announcement(record, chain_checked=False)
    >>> [key for key, _values, _value in lines][:5]
    ['record_format', 'record_digest', 'authority', 'draw_id', 'timestamp']
    """
    content = content_of(record)
    kind = content.get("record_format") or content.get("receipt_format")
    if kind == _RECEIPT:
        return tuple(_receipt(content, content_of(notice)))
    if kind == _RESULT and records:
        sequence = [content_of(r) for r in records]
        return (
            ("record_format", {}, kind),
            ("record_digest", {}, sequence[-1]["record_digest"]),
            ("authority", {}, sequence[0]["authority"]),
            ("records", {}, len(sequence)),
            ("timestamp", {}, sequence[-1]["timestamp"]),
            *_chain(sequence[0], chain_checked),
        )
    lines: list[Line] = [
        ("record_format", {}, kind),
        ("record_digest", {}, content["record_digest"]),
        ("authority", {}, content["authority"]),
    ]
    ident = {_DRAWS[0]: "draw_id", _DRAWS[1]: "draw_id", _ASSIGNMENT: "assignment_id"}
    ident[_ASSIGNMENT2] = "assignment_id"
    ident[_NOTICE] = "notice_id"
    if kind in ident:
        lines.append((ident[kind], {}, content[ident[kind]]))
    lines.append(("timestamp", {}, content["timestamp"]))
    if "algorithm" in content:
        algorithm = content["algorithm"]
        lines.append(("algorithm", {}, f"{algorithm['name']} v{algorithm['version']}"))
    lines += _chain(content, chain_checked)
    if announcement is not None:
        announced = content_of(announcement)
        lines += [
            ("announcement", {}, announced.get("record_digest")),
            ("announced_at", {}, announced.get("timestamp")),
        ]
    lines += _body(str(kind), content)
    if "seed" in content:
        lines += [*_seed(content["seed"]), ("purpose", {}, content["purpose"])]
    lines += _tail(str(kind), content, [content_of(r) for r in replacements])
    for i, item in enumerate((content_of(a) for a in adjustments), start=1):
        pool = item["department"] if item["department"] is not None else "experts"
        shown = (
            f"{item['dropped']['id']} -> {item['replacement']['id']} ({item['visit_id']}, {pool})"
        )
        lines.append(("adjustment", {"number": i}, shown))
    return tuple(lines)


def _body(kind: str, content: Mapping[str, Any]) -> list[Line]:
    """Return the population, directory or commitment lines (before the seed)."""
    if kind in _DRAWS:
        population = content["population"]
        lines: list[Line] = [("population_digest", {}, population["digest"])]
        if kind == _DRAWS[1]:
            commitment = population["commitment"]
            lines += [
                ("population_commitment", {}, commitment["root"]),
                ("buckets", {}, commitment["buckets"]),
            ]
        return [*lines, ("units", {}, f"{population['units']} ({population['eligible']})")]
    if kind in (_ASSIGNMENT, _ASSIGNMENT2):
        directory, data = content["directory"], content["input"]
        experts: list[Line] = []
        if kind == _ASSIGNMENT2:
            experts = [
                ("experts_digest", {}, content["experts"]["digest"]),
                ("experts", {}, content["experts"]["experts"]),
            ]
        return [
            ("directory_digest", {}, directory["digest"]),
            ("inspectors", {}, directory["inspectors"]),
            *experts,
            ("input_digest", {}, data["digest"]),
            ("visits", {}, data["visits"]),
            ("conflicts_digest", {}, data["conflicts_digest"]),
        ]
    if kind == _NOTICE:
        task, commitment = content["task"], content["population_commitment"]
        eligible = sum(s["eligible"] for s in content["strata"])
        return [
            ("draw_record_digest", {}, content["draw_record_digest"]),
            ("task", {}, f"{task['task_id']} ({task['period']})"),
            ("population_commitment", {}, commitment["root"]),
            ("buckets", {}, commitment["buckets"]),
            ("units", {}, f"{commitment['units']} ({eligible})"),
        ]
    return []


def _tail(kind: str, content: Mapping[str, Any], replacements: list[dict[str, Any]]) -> list[Line]:
    """Sizes, counts and replacements, after the seed."""
    if kind in _DRAWS:
        lines: list[Line] = [
            ("sample_sizes", {}, _sizes(content["design"]["strata"])),
            ("selected", {}, len(content["selection"])),
        ]
        for i, item in enumerate(replacements, start=1):
            old, new = item["replaced"]["id"], item["replacement"]
            shown = f"{old} -> {new['id']} ({item['stratum']}, #{new['rank']})"
            lines.append(("replacement", {"number": i}, shown))
        return lines
    if kind in (_ASSIGNMENT, _ASSIGNMENT2):
        return [("unstaffed", {}, len(content["unstaffed"]))]
    if kind == _NOTICE:
        return [
            ("sample_sizes", {}, _sizes(content["strata"])),
            ("drawn", {}, len(content["drawn"])),
        ]
    return []
