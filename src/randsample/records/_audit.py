"""The ledger audit: all of an authority's records at once (``docs/spec.md`` section 17).

One record can verify while the ledger around it hides something: a draw made twice with one
``draw_id``, two records following one predecessor (a fork: one of them was shown, the other
kept), a link to a record nobody was shown (a gap), a replacement withheld. :func:`audit`
checks the whole set: one chain from one first record, no forks, no gaps, timestamps in chain
order, one record per draw id, every replacement of a draw present and in order, every
announced draw present and after its announcement, and every record individually verified
(fully where its inputs are given: a draw whose population is among ``populations``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..errors import InvalidTypeError
from ..population import Population
from ._announce import AnnouncementRecord
from ._announced import check_announcement, randomness_notes
from ._audit_report import AuditEntry, AuditReport
from ._checks import Discrepancy, Findings, Note, check_seal, check_seed
from ._formats import AssignmentRecord, DrawRecord, ReplacementRecord
from ._replacement import check_replacements
from ._seal import SealedRecord
from ._verify import load, verify

__all__ = ["AuditEntry", "AuditReport", "audit"]

_KIND = {
    DrawRecord: "draw",
    ReplacementRecord: "replacement",
    AssignmentRecord: "assignment",
    AnnouncementRecord: "announcement",
}


class _Ledger:
    """The records by name and digest, their links, and the problems found so far."""

    def __init__(self, named: list[tuple[str, SealedRecord]]) -> None:
        self.named = named
        self.by_digest: dict[str, str] = {}
        self.record: dict[str, SealedRecord] = dict(named)
        self.problems: list[Discrepancy] = []
        self.entry: dict[str, list[Discrepancy]] = defaultdict(list)
        self.notes: dict[str, tuple[Note, ...]] = {}
        self.full: set[str] = set()  # names re-derived in full
        for name, record in named:
            other = self.by_digest.setdefault(record.record_digest, name)
            if other != name:
                self.problem("ledger", f"{name} and {other} are the same record twice")
        self.prev: dict[str, str | None] = {
            name: self.by_digest.get(record["previous_record_digest"] or "")
            for name, record in named
        }
        self.stamp = {name: str(record["timestamp"]) for name, record in named}

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Discrepancy(field, message))

    def ancestors(self, name: str) -> set[str]:
        seen: set[str] = set()
        current = self.prev[name]
        while current is not None and current not in seen:
            seen.add(current)
            current = self.prev[current]
        return seen


def audit(
    records: Mapping[str, SealedRecord | str | bytes] | Sequence[SealedRecord | str | bytes],
    *,
    populations: Iterable[Population] = (),
) -> AuditReport:
    """Audit an authority's whole ledger: the chain, the ids, the replacements, every record.

    ``records`` are the published records of one authority (a mapping from a name, such as
    the file name, to the record or its JSON text; or a sequence, named ``record[i]``).
    ``populations`` are population files the draws were made from, matched to each draw by
    its population digest: a draw whose population is given is re-derived in full.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> seed = Seed.from_bytes(bytes(range(16)))
    >>> first = make_record(draw_stratified(pop, {"A": 1}, seed), authority="bureau",
    ...                     draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> again = make_record(draw_stratified(pop, {"A": 2}, seed), authority="bureau",
    ...                     draw_id="d1", timestamp="2026-11-27T03:00:00Z")
    >>> report = audit({"d1.json": first, "d1-redone.json": again}, populations=[pop])
    >>> report.ok, [p.field for p in report.problems]
    (False, ['chain', 'draw_id'])
    """
    if isinstance(records, Mapping):
        named = [(str(name), load(record, field=str(name))) for name, record in records.items()]
    elif isinstance(records, Sequence) and not isinstance(records, (str, bytes)):
        named = [(f"record[{i}]", load(r, field=f"record[{i}]")) for i, r in enumerate(records)]
    else:
        raise InvalidTypeError("records", records, "a mapping of names to records, or a list")
    by_population: dict[str, Population] = {}
    for index, population in enumerate(populations):
        if not isinstance(population, Population):
            raise InvalidTypeError(f"populations[{index}]", population, "a Population")
        by_population.setdefault(population.digest(), population)
    ledger = _Ledger(named)
    authority = _authority(ledger)
    order = _chain(ledger)
    _ids(ledger)
    for name, record in named:
        _verify_one(ledger, name, record, by_population)
    _replacements(ledger, by_population)
    _announcements(ledger)
    entries = tuple(_entry(ledger, name) for name in order)
    return AuditReport(authority, entries, tuple(ledger.problems))


def _authority(ledger: _Ledger) -> str | None:
    counts = Counter(str(record["authority"]) for _, record in ledger.named)
    if not counts:
        return None
    authority = counts.most_common(1)[0][0]
    for name, record in ledger.named:
        if record["authority"] != authority:
            ledger.entry[name].append(
                Discrepancy("authority", f"{record['authority']!r}, not the ledger's {authority!r}")
            )
    return authority


def _chain(ledger: _Ledger) -> list[str]:
    """Check one chain (one first record, no fork, no gap); return the names in chain order."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for name, record in ledger.named:
        link = record["previous_record_digest"]
        if link is not None and link not in ledger.by_digest:
            ledger.problem(
                "chain",
                f"gap: {name} follows {link[:16]}…, which is not in the ledger (a record "
                "was withheld or deleted)",
            )
        children[None if link is None else ledger.by_digest.get(link, link)].append(name)
    firsts = children.get(None, [])
    if len(firsts) != 1:
        ledger.problem(
            "chain",
            f"{len(firsts)} first records (previous_record_digest null): "
            + (", ".join(firsts) if firsts else "every record follows another")
            + "; a ledger has exactly one",
        )
    for parent, kids in children.items():
        if parent is not None and parent in ledger.record and len(kids) > 1:
            ledger.problem("chain", f"fork: {', '.join(kids)} all follow {parent}")
    order: list[str] = []
    stack = sorted(firsts, key=lambda n: (ledger.stamp[n], n), reverse=True)
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        before = ledger.stamp[name]
        for kid in sorted(children.get(name, []), key=lambda n: (ledger.stamp[n], n), reverse=True):
            if ledger.stamp[kid] < before:
                ledger.entry[kid].append(
                    Discrepancy("timestamp", f"is earlier than its predecessor {name}'s {before}")
                )
            stack.append(kid)
    rest = [name for name, _ in ledger.named if name not in seen]
    if rest and firsts:
        ledger.problem("chain", f"not linked to the first record: {', '.join(sorted(rest))}")
    return order + sorted(rest, key=lambda n: (ledger.stamp[n], n))


def _ids(ledger: _Ledger) -> None:
    """One record per draw id, assignment id and announced id."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, record in ledger.named:
        if isinstance(record, DrawRecord):
            groups[("draw_id", record["draw_id"])].append(name)
        elif isinstance(record, AssignmentRecord):
            groups[("assignment_id", record["assignment_id"])].append(name)
        elif isinstance(record, AnnouncementRecord):
            groups[("announces.id", f"{record.announced_format} {record.announced_id}")].append(
                name
            )
    for (field, value), names in groups.items():
        if len(names) > 1:
            what = "announced" if field == "announces.id" else "recorded"
            ledger.problem(
                field,
                f"{value!r} is {what} {len(names)} times ({', '.join(names)}): a redone draw",
            )


def _verify_one(
    ledger: _Ledger, name: str, record: SealedRecord, populations: Mapping[str, Population]
) -> None:
    findings = Findings()
    if isinstance(record, DrawRecord):
        population = populations.get(record["population"]["digest"])
        if population is not None:
            findings.extend(verify(record, population).discrepancies)
            ledger.full.add(name)
        else:
            check_seal(record, findings)
            check_seed(record, findings)
    elif isinstance(record, AssignmentRecord):
        check_seal(record, findings)
        check_seed(record, findings, purpose="inspectors")
    else:
        check_seal(record, findings)
    ledger.entry[name].extend(findings.report(record.record_digest).discrepancies)


def _replacements(ledger: _Ledger, populations: Mapping[str, Population]) -> None:
    """Every replacement follows its draw, in order: ranks n_h + 1, n_h + 2, ... per stratum."""
    of: dict[str, list[str]] = defaultdict(list)
    for name, record in ledger.named:
        if isinstance(record, ReplacementRecord):
            of[record["draw_record_digest"]].append(name)
    for digest, names in of.items():
        draw_name = ledger.by_digest.get(digest)
        draw = ledger.record.get(draw_name or "")
        if not isinstance(draw, DrawRecord):
            for name in names:
                ledger.entry[name].append(
                    Discrepancy(
                        "draw_record_digest", "the draw it replaces in is not in the ledger"
                    )
                )
            continue
        assert draw_name is not None
        names.sort(key=lambda n: (len(ledger.ancestors(n)), ledger.stamp[n], n))
        sizes = {s["stratum"]: s["sample_size"] for s in draw["design"]["strata"]}
        count: Counter[str] = Counter()
        for name in names:
            record = ledger.record[name]
            if draw_name not in ledger.ancestors(name):
                ledger.entry[name].append(
                    Discrepancy(
                        "previous_record_digest", f"does not come after its draw {draw_name}"
                    )
                )
            stratum = record["stratum"]
            count[stratum] += 1
            expected = sizes.get(stratum, 0) + count[stratum]
            if record["replacement"]["rank"] != expected:
                ledger.problem(
                    "replacements",
                    f"{name} is replacement {count[stratum]} of stratum {stratum!r} in draw "
                    f"{draw_name} in the ledger, so its rank should be {expected}, not "
                    f"{record['replacement']['rank']}: "
                    + (
                        "an earlier replacement is missing (withheld)"
                        if record["replacement"]["rank"] > expected
                        else "replacements are out of order or repeated"
                    ),
                )
        population = populations.get(draw["population"]["digest"])
        if population is not None and draw_name in ledger.full and not ledger.entry[draw_name]:
            records = [
                r for r in (ledger.record[n] for n in names) if isinstance(r, ReplacementRecord)
            ]
            findings = Findings()
            check_replacements(draw, population, records, findings, check_links=False)
            for problem in findings.report(draw.record_digest).discrepancies:
                if problem.field.startswith("replacements["):
                    index = int(problem.field[len("replacements[") :].split("]", 1)[0])
                    field = problem.field.split("]", 1)[1].lstrip(".") or "replacement"
                    ledger.entry[names[index]].append(Discrepancy(field, problem.message))
            ledger.full.update(names)


def _announcements(ledger: _Ledger) -> None:
    """Each draw or assignment against its announcement; each announcement followed."""
    announced: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, record in ledger.named:
        if isinstance(record, AnnouncementRecord):
            announced[(record.announced_format, record.announced_id)].append(name)
    used: set[str] = set()
    for name, record in ledger.named:
        if not isinstance(record, (DrawRecord, AssignmentRecord)):
            continue
        key = (
            record.FORMAT,
            str(record["draw_id" if isinstance(record, DrawRecord) else "assignment_id"]),
        )
        notices = [n for n in announced.get(key, []) if n in ledger.ancestors(name)]
        late = [n for n in announced.get(key, []) if n not in notices]
        for other in late:
            ledger.entry[name].append(
                Discrepancy("announcement", f"{other} does not come before it in the chain")
            )
        notice = ledger.record[notices[0]] if len(notices) == 1 else None
        followed = False
        if isinstance(notice, AnnouncementRecord):
            used.add(notices[0])
            differences = check_announcement(record, notice)
            ledger.entry[name].extend(differences)
            followed = not differences
        ledger.notes[name] = randomness_notes(
            record, notice if isinstance(notice, AnnouncementRecord) else None, followed=followed
        )
    latest = max((str(r["timestamp"]) for _, r in ledger.named), default="")
    for keys in announced.values():
        for name in keys:
            record = ledger.record[name]
            if name in used:
                continue
            due = max(source["date"] for source in record["sources"])
            if latest[:10] > due:
                ledger.problem(
                    "announcement",
                    f"{name} announced {record['announces']['id']!r} with sources published by "
                    f"{due}, and the ledger goes on to {latest}, but no record of it follows "
                    "the announcement (withheld, or made under another id)",
                )


def _entry(ledger: _Ledger, name: str) -> AuditEntry:
    record = ledger.record[name]
    problems = tuple(dict.fromkeys(ledger.entry[name]))
    if problems:
        status = "not verified"
    elif name in ledger.full or isinstance(record, AnnouncementRecord):
        status = "verified"
    else:
        status = "checked"
    label = getattr(record, "label", "")
    return AuditEntry(
        name,
        _KIND.get(type(record), record.FORMAT),
        str(label),
        record.record_digest,
        str(record["timestamp"]),
        status,
        problems,
        ledger.notes.get(name, ()),
    )
