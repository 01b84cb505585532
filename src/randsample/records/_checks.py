"""The verification core shared by every record kind: seal, seed, chain, and the report.

Every verifier (draws, replacements, assignments, joint draws) trusts nothing in a record but
its structure. It collects what differs in :class:`Findings` and returns one
:class:`VerificationReport`; the checks every kind needs are written once here:

* :func:`check_seal`: the stored digest is the digest of the content;
* :func:`check_seed`: the seed re-derives from its published material, and the sub-key from
  the seed and the purpose;
* :func:`chain_link` (when sealing) and :func:`check_chain` (when verifying): the record
  follows the authority's previous record, of any kind; :func:`chain_order` puts records
  given in any order in the order of their links.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import attrs

from ..core import PublicSource, Seed, canonical_key
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ._announcement import announcement as announcement_lines
from ._seal import SealedRecord
from ._verdict import Verdict, content_of, notes_of

__all__ = [
    "MAX_LISTED",
    "Discrepancy",
    "Findings",
    "Note",
    "VerificationReport",
    "chain_discrepancies",
    "chain_link",
    "chain_order",
    "check_chain",
    "check_seal",
    "check_seed",
]

R = TypeVar("R", bound=SealedRecord)

#: Differences of one kind beyond this many are counted, not listed.
MAX_LISTED = 20


@attrs.frozen
class Discrepancy:
    """One difference between a record and its re-computation."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@attrs.frozen
class Note:
    """A statement about a record that is not a difference: how random its draw was.

    ``code`` is one of the codes of ``docs/spec.md`` section 15.4 (``publicly-random``,
    ``raw-seed``, ``unannounced``, ``low-entropy``, ``weak-sources``, ``weak-secret``);
    ``message`` says it in words.

    >>> note = Note("raw-seed", "not publicly random: the authority chose the seed")
    >>> str(note)
    'not publicly random: the authority chose the seed'
    """

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class VerificationReport:
    """The result of a verification; ``ok`` is true when nothing differs.

    ``notes`` say, in words, what a verified record does *not* prove (a raw seed, no
    announcement, a weak secret, ...), or that the draw was publicly random.
    """

    record_digest: str
    discrepancies: tuple[Discrepancy, ...]
    notes: tuple[Note, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the record verified with no difference at all."""
        return not self.discrepancies

    @property
    def publicly_random(self) -> bool:
        """Whether the record verified and its draw followed a matching announcement."""
        return self.ok and any(note.code == "publicly-random" for note in self.notes)

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields that differ, in the order they were checked."""
        return tuple(d.field for d in self.discrepancies)

    def __str__(self) -> str:
        return self.verdict().text()

    def verdict(
        self,
        record: Any = None,
        *,
        chain_checked: bool | None = None,
        replacements: Sequence[Any] = (),
        notice: Any = None,
        records: Sequence[Any] = (),
        announcement: Any = None,
        adjustments: Sequence[Any] = (),
    ) -> Verdict:
        """Return the verdict (spec 22) for people and programs.

        The verdict has the first line in plain words, the causes, the notes on how random
        the draw was, what differs and, given the verified ``record``, the values to compare
        with what was announced; ``text(lang)`` renders it in English or Chinese,
        ``to_json()`` for programs.

        ``chain_checked`` says whether the previous record was given; ``replacements`` are
        the draw's replacement records, ``adjustments`` a version-2 team record's;
        ``announcement`` the announcement the record was checked against; a receipt's verdict
        needs the ``notice``; a sequence of result records is given as ``records``
        (``record`` is then the last one).

        Examples
        --------
        >>> from randsample import draw_stratified, make_record, verify
        >>> from randsample.examples import demo_population, demo_seed, demo_sizes
        >>> population = demo_population(size=300)
        >>> sample = draw_stratified(population, demo_sizes(population), demo_seed())
        >>> record = make_record(sample, authority="县局", draw_id="d1",
        ...                      timestamp="2026-11-27T02:00:00Z")
        >>> verdict = verify(record, population).verdict(record, chain_checked=False)
        >>> print(verdict.text("zh").splitlines()[0])  # doctest: +ELLIPSIS
        核验通过：记录 ... 经重新计算完全一致
        >>> verdict.to_json()["status"]
        'verified'
        """
        lines: tuple[Any, ...] = ()
        record_format = None
        notes = self.notes
        if record is not None and not notes and announcement is None:
            notes = _record_notes(record)  # spec 15.4: an assignment is stated about too
        if record is not None:
            content = content_of(record)
            lines = announcement_lines(
                record,
                chain_checked=chain_checked,
                replacements=replacements,
                notice=notice,
                records=records,
                announcement=announcement,
                adjustments=adjustments,
            )
            record_format = content.get("record_format") or content.get("receipt_format")
        return Verdict(
            "verified" if self.ok else "not-verified",
            record_format,
            self.record_digest,
            tuple((d.field, d.message) for d in self.discrepancies),
            lines,
            notes_of(notes, record, notice),
        )

    def to_rows(self) -> list[dict[str, str]]:
        """Return one dict per difference: field and message."""
        return [{"field": d.field, "message": d.message} for d in self.discrepancies]

    def merged(self, other: VerificationReport) -> VerificationReport:
        """Return this report with ``other``'s differences added (each listed once)."""
        both = tuple(dict.fromkeys((*self.discrepancies, *other.discrepancies)))
        notes = tuple(dict.fromkeys((*self.notes, *other.notes)))
        return VerificationReport(self.record_digest, both, notes)

    def to_json(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready dict (spec 22.6; what ``--json`` prints).

        >>> report = VerificationReport("ab" * 32, ())
        >>> report.to_json()["status"], report.to_json()["ok"]
        ('verified', True)
        """
        return self.verdict().to_json()


def _record_notes(record: Any) -> tuple[Note, ...]:
    """Return the notes of spec 15.4 on a record verified without an announcement."""
    from ._announced import randomness_notes  # these modules import this one
    from ._verify import load

    try:
        sealed = record if isinstance(record, SealedRecord) else load(json.dumps(record))
    except (RandsampleError, TypeError, ValueError):
        return ()
    return randomness_notes(sealed)


class Findings:
    """Differences found so far; :meth:`listed` caps a long list with an "N more" line.

    ``findings.under("replacements[0]")`` is a view that records into the same list with
    every field prefixed, so a check written for a whole record serves a part of another.
    """

    def __init__(self, *, prefix: str = "", found: list[Discrepancy] | None = None) -> None:
        self._prefix = prefix
        self._found: list[Discrepancy] = [] if found is None else found

    def under(self, prefix: str) -> Findings:
        """Return a view recording into the same list with fields prefixed by ``prefix``."""
        return Findings(prefix=self._field(prefix), found=self._found)

    def _field(self, field: str) -> str:
        return f"{self._prefix}.{field}" if self._prefix else field

    def add(self, field: str, message: str) -> None:
        """Record one difference."""
        self._found.append(Discrepancy(self._field(field), message))

    def extend(self, found: Iterable[Discrepancy]) -> None:
        """Record several differences (prefixed, in a view)."""
        for difference in found:
            self.add(difference.field, difference.message)

    def listed(self, problems: list[Discrepancy], field: str) -> None:
        """Record ``problems``, at most :data:`MAX_LISTED` of them, then how many more."""
        self.extend(problems[:MAX_LISTED])
        if len(problems) > MAX_LISTED:
            self.add(field, f"... and {len(problems) - MAX_LISTED} more differences")

    def __bool__(self) -> bool:
        return bool(self._found)

    def report(self, record_digest: str, notes: Iterable[Note] = ()) -> VerificationReport:
        """Return the report of everything found (with ``notes`` on the randomness)."""
        return VerificationReport(record_digest, tuple(self._found), tuple(notes))


def check_seal(record: SealedRecord, findings: Findings) -> None:
    """Report a record whose stored digest is not the digest of its content."""
    computed = record.computed_digest()
    if computed != record.record_digest:
        findings.add(
            "record_digest",
            f"record says {record.record_digest}, its content hashes to {computed}: "
            "the record was edited after it was sealed",
        )


def check_seed(
    record: SealedRecord, findings: Findings, *, purpose: str | None = None
) -> Seed | None:
    """Re-derive the record's seed and sub-key; report what differs; return the seed.

    ``purpose``, when given, is the only purpose this kind of record may use (an assignment
    record's is ``inspectors``); otherwise the record's own ``purpose`` is used. Material that
    breaks a rule of spec 2.3-2.4 (a commitment that is not the secret's, a weak secret, weak
    material without the override) is reported under ``seed``, and the check goes on with the
    seed value the material gives (spec 16.4), so the sub-key and selection are still compared.
    """
    stored = record["seed"]
    checks: tuple[tuple[str, object], ...]
    try:
        seed = Seed.from_json(stored)
    except RandsampleError as exc:
        findings.add("seed", f"breaks the seed rules: {exc}")
        material, key = _from_material(stored)
        if material is None:
            return None
        seed = material
        checks = (("value", seed.value.hex()), ("key", key))
    else:
        checks = (
            ("value", seed.value.hex()),
            ("key", seed.key),
            ("commitment", seed.commitment),
            ("low_entropy_allowed", seed.low_entropy_allowed),
        )
    for name, actual in checks:
        if stored.get(name) != actual:
            findings.add(f"seed.{name}", f"record says {stored.get(name)!r}, re-derived {actual!r}")
    if purpose is not None and record["purpose"] != purpose:
        findings.add("purpose", f"record says {record['purpose']!r}, expected {purpose!r}")
    try:
        subkey = seed.subkey(purpose or record["purpose"]).hex()
    except RandsampleError as exc:
        findings.add("purpose", str(exc))
        return None
    if record["subkey"] != subkey:
        findings.add("subkey", f"record says {record['subkey']}, re-derived {subkey}")
    return seed


def _from_material(stored: dict[str, object]) -> tuple[Seed | None, str | None]:
    # The seed value the published material gives, whatever rule it breaks (a raw seed's own
    # bytes, or SHA-256 of the key of the sources and secret), as a seed for the sub-key.
    try:
        sources = stored["sources"]
        if not sources:
            return Seed.from_bytes(
                bytes.fromhex(str(stored["value"])), allow_low_entropy=True
            ), None
        assert isinstance(sources, list)
        secret = stored["secret"]
        key = canonical_key(
            [PublicSource(s["name"], s["values"]) for s in sources],
            secret=None if secret is None else bytes.fromhex(str(secret)),
        )
        value = hashlib.sha256(key.encode("ascii")).digest()
        return Seed.from_bytes(value, allow_low_entropy=True), key
    except (RandsampleError, ValueError):
        return None, None


def chain_link(previous: SealedRecord | None, *, authority: str, timestamp: str) -> str | None:
    """Check that a new record of ``authority`` at ``timestamp`` may follow ``previous``.

    Returns the digest the new record links to (None for an authority's first record). The
    previous record may be of any kind: an authority's draws, replacements and assignments
    form one chain.
    """
    if previous is None:
        return None
    if not isinstance(previous, SealedRecord):
        raise InvalidTypeError("previous", previous, "a sealed record")
    if previous["authority"] != authority:
        raise InvalidInputError(
            "previous", previous["authority"], f"belongs to another authority than {authority!r}"
        )
    if previous["timestamp"] > timestamp:
        raise InvalidInputError(
            "timestamp", timestamp, f"is earlier than the previous record's {previous['timestamp']}"
        )
    return previous.record_digest


def chain_discrepancies(record: SealedRecord, previous: SealedRecord) -> list[Discrepancy]:
    """Check the hash-chain link from ``record`` to the authority's ``previous`` record.

    The link must be the previous record's digest *recomputed from its content* (so an edited
    predecessor is caught), the authority the same, and the time not earlier.
    """
    if not isinstance(previous, SealedRecord):
        raise InvalidTypeError("previous", previous, "a sealed record")
    linked, before = record["previous_record_digest"], previous.computed_digest()
    ours, theirs = record["authority"], previous["authority"]
    now, then = record["timestamp"], previous["timestamp"]
    checks = [
        (
            linked != before,
            "previous_record_digest",
            f"record says {linked}, the previous record's content hashes to {before}",
        ),
        (
            previous.record_digest != before,
            "previous.record_digest",
            "the previous record itself was edited after sealing",
        ),
        (ours != theirs, "authority", f"{ours!r} differs from the previous record's {theirs!r}"),
        (now < then, "timestamp", f"{now} is earlier than the previous record's {then}"),
    ]
    return [Discrepancy(field, message) for failed, field, message in checks if failed]


def check_chain(record: SealedRecord, previous: SealedRecord | None, findings: Findings) -> None:
    """Report a broken link from ``record`` to ``previous`` (nothing when it is None)."""
    if previous is not None:
        findings.extend(chain_discrepancies(record, previous))


def chain_order(records: Sequence[R]) -> list[R]:
    """Return ``records`` in chain order: each after the one its ``previous_record_digest`` names.

    Records naming none of the others come first, in the order given (the first record after
    a gap is one: the verifier then checks its link, spec 22.8). Used for the replacement and
    adjustment records a verifier is given in any order.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns(["e1", "e2"], strata="A")
    >>> sample = draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(16))))
    >>> first = make_record(sample, authority="a", draw_id="d1", timestamp="2026-01-01T00:00:00Z")
    >>> second = make_record(sample, authority="a", draw_id="d2",
    ...                      timestamp="2026-01-02T00:00:00Z", previous=first)
    >>> [r["draw_id"] for r in chain_order([second, first])]
    ['d1', 'd2']
    """
    following: dict[object, list[R]] = {}
    for item in records:
        following.setdefault(item["previous_record_digest"], []).append(item)
    digests = {item.record_digest for item in records}
    ordered = [item for link, items in following.items() if link not in digests for item in items]
    for item in ordered:  # grows while it is walked
        ordered += [f for f in following.get(item.record_digest, []) if f not in ordered]
    return ordered + [item for item in records if item not in ordered]
