"""Was the draw steerable? A record against its announcement, and the verdict in words.

:func:`check_announcement` compares a draw or assignment record with the announcement that
came before it (spec section 15.1): the same authority and id, algorithm and purpose, the
population commitment and counts, the design, the directory, visits and conflicts digests,
the sources in the announced order with the announced number of values, the secret's
commitment, and that every source was published after the announcement.
:func:`randomness_notes` says, for every verdict, what the record does not prove (spec 15.4).
"""

from __future__ import annotations

from typing import Any

from ..core import MIN_SOURCE_DIGITS, PublicSource, entropy_digits, secret_weakness
from ..errors import InvalidTypeError, RandsampleError
from ..population import Population
from ._announce import POPULATION_COMMITMENTS, AnnouncementRecord
from ._checks import Discrepancy, Note
from ._formats import ASSIGNMENT_FORMAT, DRAW_FORMAT
from ._seal import SealedRecord

__all__ = ["check_announcement", "randomness_notes"]

_ID_FIELD = {DRAW_FORMAT: "draw_id", ASSIGNMENT_FORMAT: "assignment_id"}


def check_announcement(
    record: SealedRecord,
    announcement: AnnouncementRecord,
    *,
    population: Population | None = None,
) -> list[Discrepancy]:
    """Return every way ``record`` departs from ``announcement`` (empty: it follows it).

    Fields are named ``announcement.<field>``. ``population`` is needed only when the
    announcement's population commitment is not the digest the record itself holds.
    The announcement's own seal is checked too.

    >>> from datetime import date
    >>> from randsample import Population, PublicSource, Seed, draw_stratified, make_record
    >>> from randsample.records import AnnouncedSource, announce_draw
    >>> pop = Population.from_columns([f"e{i}" for i in range(9)], strata="A")
    >>> notice = announce_draw(
    ...     pop, {"A": 2}, sources=[AnnouncedSource("index", date(2026, 11, 26), 2)],
    ...     authority="bureau", draw_id="d1", timestamp="2026-11-20T02:00:00Z")
    >>> seed = Seed.from_sources([PublicSource("index", [3245678901, 4321987650])])
    >>> draw = make_record(draw_stratified(pop, {"A": 3}, seed), authority="bureau",
    ...                    draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> [d.field for d in check_announcement(draw, notice)]
    ['announcement.design.strata']
    """
    if not isinstance(announcement, AnnouncementRecord):
        raise InvalidTypeError("announcement", announcement, "an AnnouncementRecord")
    if not isinstance(record, SealedRecord) or record.FORMAT not in _ID_FIELD:
        raise InvalidTypeError("record", record, "a draw or assignment record")
    found: list[Discrepancy] = []

    def differ(field: str, message: str) -> None:
        found.append(Discrepancy(f"announcement.{field}", message))

    if announcement.computed_digest() != announcement.record_digest:
        differ("record_digest", "the announcement was edited after it was sealed")
    announces = announcement["announces"]
    id_field = _ID_FIELD[record.FORMAT]
    expected = (
        ("authority", announcement["authority"], record["authority"]),
        ("announces.record_format", announces["record_format"], record.FORMAT),
        ("announces.id", announces["id"], record[id_field]),
        ("announces.algorithm", announces["algorithm"], record["algorithm"]),
        ("announces.purpose", announces["purpose"], record["purpose"]),
    )
    for field, announced, actual in expected:
        if announced != actual:
            differ(field, f"announced {announced!r}, the record has {actual!r}")
    if record["timestamp"] < announcement["timestamp"]:
        differ(
            "timestamp", f"{announcement['timestamp']} is after the record ({record['timestamp']})"
        )
    if record.FORMAT == DRAW_FORMAT:
        _draw_part(record, announcement, population, differ)
    elif announcement["inputs"] is not None:
        stored = record["input"]
        actual = {
            "directory_digest": record["directory"]["digest"],
            "input_digest": stored["digest"],
            "conflicts_digest": stored["conflicts_digest"],
        }
        for name, value in actual.items():
            if announcement["inputs"][name] != value:
                differ(
                    f"inputs.{name}",
                    f"announced {announcement['inputs'][name]}, the record has {value}",
                )
    _sources_part(record["seed"], announcement, differ)
    return found


def _draw_part(
    record: SealedRecord,
    announcement: AnnouncementRecord,
    population: Population | None,
    differ: Any,
) -> None:
    announced = announcement["population"]
    if announced is None:
        return
    scheme, value = announced["commitment"]["scheme"], announced["commitment"]["value"]
    if scheme == "population-digest/1":
        actual: str | None = record["population"]["digest"]
    elif population is not None:
        actual = POPULATION_COMMITMENTS[scheme](population)
    else:
        actual = None
        differ("population.commitment", f"{scheme} needs the population to be checked")
    if actual is not None and actual != value:
        differ("population.commitment", f"announced {value}, the draw's population gives {actual}")
    for name in ("units", "eligible"):
        if announced[name] != record["population"][name]:
            differ(
                f"population.{name}",
                f"announced {announced[name]}, the record has {record['population'][name]}",
            )
    sizes = [(s["stratum"], s["sample_size"]) for s in announcement["design"]["strata"]]
    drawn = [(s["stratum"], s["sample_size"]) for s in record["design"]["strata"]]
    if sizes != drawn:
        differ("design.strata", f"announced sizes {dict(sizes)}, the draw used {dict(drawn)}")


def _sources_part(seed: dict[str, Any], announcement: AnnouncementRecord, differ: Any) -> None:
    announced = announcement["sources"]
    sources = seed["sources"]
    if not sources:
        differ("sources", "announced public sources; the draw used a raw seed the authority chose")
    elif [s["name"] for s in announced] != [s["name"] for s in sources]:
        differ(
            "sources",
            f"announced {[s['name'] for s in announced]} in this order, the seed lists "
            f"{[s['name'] for s in sources]}",
        )
    else:
        for index, (plan, used) in enumerate(zip(announced, sources, strict=True)):
            if plan["values"] != len(used["values"]):
                differ(
                    f"sources[{index}].values",
                    f"announced {plan['values']} values of {plan['name']!r}, the seed has "
                    f"{len(used['values'])}",
                )
    day = announcement["timestamp"][:10]
    for index, plan in enumerate(announced):
        if plan["date"] <= day:
            differ(
                f"sources[{index}].date",
                f"{plan['name']!r} is published on {plan['date']}, not after the "
                f"announcement ({announcement['timestamp']})",
            )
    if announcement["commitment"] != seed["commitment"]:
        differ(
            "commitment",
            f"announced {announcement['commitment']}, the seed has {seed['commitment']}",
        )
    weak = seed["secret"] is not None and _weakness(seed["secret"]) is not None
    if seed["secret"] is not None and announcement["weak_secret_allowed"] != weak:
        differ(
            "weak_secret_allowed",
            f"announced {announcement['weak_secret_allowed']}, the revealed secret gives {weak}",
        )


def _weakness(secret_hex: str) -> str | None:
    try:
        return secret_weakness(bytes.fromhex(secret_hex))
    except ValueError:
        return None


def randomness_notes(
    record: SealedRecord,
    announcement: AnnouncementRecord | None = None,
    *,
    followed: bool = False,
) -> tuple[Note, ...]:
    """Say what a record's draw does and does not prove about its randomness (spec 15.4).

    ``followed`` is whether ``record`` matched ``announcement`` (:func:`check_announcement`
    found nothing). Replacement and announcement records have no seed: no notes.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> raw = make_record(draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(16)))),
    ...                   authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> [note.code for note in randomness_notes(raw)]
    ['raw-seed']
    """
    if record.FORMAT not in _ID_FIELD:
        return ()
    seed = record["seed"]
    notes: list[Note] = []
    if not seed["sources"]:
        notes.append(
            Note(
                "raw-seed",
                "not publicly random: the authority chose the seed (a raw seed; nothing in "
                "the record shows where it came from)",
            )
        )
    elif announcement is None:
        notes.append(
            Note(
                "unannounced",
                "not publicly random: no announcement fixed the sources, their order, the "
                "secret and the inputs before the sources were published, so the authority "
                "could have chosen them after",
            )
        )
    elif followed:
        notes.append(
            Note(
                "publicly-random",
                f"publicly random: announced at {announcement['timestamp']} (record "
                f"{announcement.record_digest[:16]}…), before its sources were published; "
                "the draw follows the announcement",
            )
        )
    if seed["low_entropy_allowed"]:
        notes.append(
            Note(
                "low-entropy",
                "the seed material breaks the entropy rules of spec 2.4 (override recorded "
                "as seed.low_entropy_allowed)",
            )
        )
    elif seed["sources"]:
        digits = _entropy(seed["sources"])
        if digits is not None and digits < MIN_SOURCE_DIGITS:
            notes.append(
                Note(
                    "weak-sources",
                    f"the sources carry {digits} entropy digits (spec 15.3), fewer than "
                    f"{MIN_SOURCE_DIGITS}: a run of one repeated digit adds nothing",
                )
            )
    if seed["secret"] is not None:
        weakness = _weakness(seed["secret"])
        if weakness is not None:
            notes.append(
                Note(
                    "weak-secret",
                    f"the secret looks chosen, not drawn ({weakness}): whoever guessed it "
                    "could compute the draw as soon as the sources were published",
                )
            )
    return tuple(notes)


def _entropy(sources: list[dict[str, Any]]) -> int | None:
    try:
        return entropy_digits([PublicSource(s["name"], s["values"]) for s in sources])
    except RandsampleError:
        return None
