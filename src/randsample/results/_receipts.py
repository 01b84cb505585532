"""Receipts: one enterprise checks its own selection or non-selection (spec 14.7).

A :class:`Receipt` is handed privately to one enterprise. With the public notice alone it lets
the enterprise check that

1. its row (id, class, eligibility, weight) is in the committed population: its salted leaf
   and the Merkle path lead to the notice's commitment root;
2. its ticket is the v2 ticket of its salt under the notice's seed; and
3. it was selected exactly when it is eligible and its ticket is at most its class's
   threshold in the notice, and it is listed among the drawn exactly then.

It learns nothing about any other enterprise: the path holds only hashes of *salted* leaves
(32-byte salts from the authority secret), so no sibling can be brute-forced from public ids
and the few class letters. Whether the thresholds themselves are right (that they are the
``n_h``-th smallest tickets) is the auditor's check, on the full record.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .. import _validation as check
from ..errors import InvalidInputError, RecordFormatError
from ..population import (
    CommitmentTree,
    MembershipProof,
    Population,
    bucket_indices,
    leaf_hash,
    salted_ticket,
    salted_tickets,
    unit_salts,
)
from ..population._commitment import check_secret
from ..records import (
    Findings,
    PublicNotice,
    VerificationReport,
    check_schema,
    check_seal,
    check_seed,
    load,
)
from ._salted import SaltedSample

__all__ = ["RECEIPT_FORMAT", "Receipt", "make_receipts", "verify_receipt", "verify_receipts"]

RECEIPT_FORMAT = "randsample.receipt/1"
_CHUNK = 1 << 16  # receipts are made in chunks: salts and tickets hashed in one loop each
_HEX = re.compile(r"[0-9a-f]*")
_SCHEMA = {
    "receipt_format": str,
    "notice_digest": str,
    "unit": {"id": str, "stratum": str, "eligible": bool, "weight": (str, type(None)), "salt": str},
    "ticket": str,
    "threshold": (str, type(None)),
    "selected": bool,
    "proof": {
        "bucket": int,
        "leaf_index": int,
        "leaf_count": int,
        "path": [str],
        "top_path": [str],
    },
}


_TRUE = {True: "true", False: "false"}


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _weight_hex(weight: float | None) -> str | None:
    return None if weight is None else struct.pack(">d", weight + 0.0).hex()


@attrs.frozen
class Receipt:
    """One enterprise's receipt (spec 14.7). Check it with :func:`verify_receipt`."""

    notice_digest: str
    unit_id: str
    stratum: str
    eligible: bool
    weight: float | None
    salt: bytes
    ticket: bytes
    threshold: bytes | None
    selected: bool
    proof: MembershipProof

    def __repr__(self) -> str:
        state = "selected" if self.selected else "not selected"
        return f"Receipt({self.unit_id!r}, {state}, notice {self.notice_digest[:16]}…)"

    def content(self) -> dict[str, Any]:
        """Return the receipt as a JSON object (spec 14.7)."""
        return {
            "receipt_format": RECEIPT_FORMAT,
            "notice_digest": self.notice_digest,
            "unit": {
                "id": self.unit_id,
                "stratum": self.stratum,
                "eligible": self.eligible,
                "weight": _weight_hex(self.weight),
                "salt": self.salt.hex(),
            },
            "ticket": self.ticket.hex(),
            "threshold": None if self.threshold is None else self.threshold.hex(),
            "selected": self.selected,
            "proof": {
                "bucket": self.proof.bucket,
                "leaf_index": self.proof.leaf_index,
                "leaf_count": self.proof.leaf_count,
                "path": [h.hex() for h in self.proof.path],
                "top_path": [h.hex() for h in self.proof.top_path],
            },
        }

    def to_json(self) -> str:
        """Return the canonical JSON text (spec 6.1) of the receipt.

        Written directly (keys in code point order, strings escaped as ``json.dumps`` does for
        canonical JSON), because a million receipts are serialized at a time; a test checks it
        equals ``canonical_json(receipt.content())``.
        """

        def hexes(values: tuple[bytes, ...]) -> str:
            return ",".join(f'"{v.hex()}"' for v in values)

        proof = self.proof
        threshold = "null" if self.threshold is None else f'"{self.threshold.hex()}"'
        weight = _weight_hex(self.weight)
        return (
            f'{{"notice_digest":"{self.notice_digest}","proof":{{"bucket":{proof.bucket},'
            f'"leaf_count":{proof.leaf_count},"leaf_index":{proof.leaf_index},'
            f'"path":[{hexes(proof.path)}],"top_path":[{hexes(proof.top_path)}]}},'
            f'"receipt_format":"{RECEIPT_FORMAT}","selected":{_TRUE[self.selected]},'
            f'"threshold":{threshold},"ticket":"{self.ticket.hex()}",'
            f'"unit":{{"eligible":{_TRUE[self.eligible]},"id":{_string(self.unit_id)},'
            f'"salt":"{self.salt.hex()}","stratum":{_string(self.stratum)},'
            f'"weight":{"null" if weight is None else chr(34) + weight + chr(34)}}}}}'
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Receipt:
        """Read a receipt; a malformed one raises RecordFormatError naming the field."""
        try:
            data = json.loads(text, parse_float=_refuse, parse_constant=_refuse)
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as exc:
            raise RecordFormatError(
                "receipt", str(text)[:40], f"is not valid JSON ({exc})"
            ) from None
        check_schema(data, _SCHEMA)
        if data["receipt_format"] != RECEIPT_FORMAT:
            raise RecordFormatError(
                "receipt_format", data["receipt_format"], f"expected {RECEIPT_FORMAT!r}"
            )
        unit, proof = data["unit"], data["proof"]
        weight = unit["weight"]
        return cls(
            data["notice_digest"],
            unit["id"],
            unit["stratum"],
            unit["eligible"],
            None if weight is None else struct.unpack(">d", _bytes(weight, "unit.weight", 8))[0],
            _bytes(unit["salt"], "unit.salt", 32),
            _bytes(data["ticket"], "ticket", 32),
            None if data["threshold"] is None else _bytes(data["threshold"], "threshold", 32),
            data["selected"],
            MembershipProof(
                proof["bucket"],
                proof["leaf_index"],
                proof["leaf_count"],
                tuple(_bytes(h, "proof.path", 32) for h in proof["path"]),
                tuple(_bytes(h, "proof.top_path", 32) for h in proof["top_path"]),
            ),
        )


def _refuse(token: str) -> Any:
    raise RecordFormatError("receipt", token, "contains a non-integer number")


def _bytes(text: str, field: str, size: int) -> bytes:
    if len(text) != 2 * size or not _HEX.fullmatch(text):
        raise RecordFormatError(field, text, f"expected {2 * size} lowercase hex digits")
    return bytes.fromhex(text)


def make_receipts(
    sample: SaltedSample,
    population: Population,
    secret: bytes,
    notice: PublicNotice,
    *,
    ids: Sequence[str] | None = None,
) -> Iterator[Receipt]:
    """Yield the receipt of every unit of ``population`` (or of ``ids``), in population order.

    ``sample`` is the salted draw the ``notice`` publishes; the population and secret are
    the authority's.

    >>> from randsample import Population, Seed
    >>> from randsample.results import draw_salted
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> from randsample.results import make_notice, make_salted_record
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> from randsample.joint import Department
    >>> notice = make_notice(record, notice_id="n1", task_id="T1", period="2026-03",
    ...                      departments=[Department("SAMR", "市场监管局")], items=[],
    ...                      timestamp="2026-03-01T01:00:00Z")
    >>> [r.selected for r in make_receipts(sample, pop, bytes(range(32)), notice)].count(True)
    2
    """
    check.instance(sample, "sample", SaltedSample)
    check.instance(population, "population", Population)
    check.instance(notice, "notice", PublicNotice, "a PublicNotice")
    secret = check_secret(secret)
    if population.digest() != sample.population_digest:
        raise InvalidInputError("population", population.digest(), "is not the drawn population")
    if (
        notice["draw_record_digest"] is None
        or notice["population_commitment"] != sample.commitment.to_json()
    ):
        raise InvalidInputError("notice", notice.label, "does not publish this sample")
    tree = sample.tree
    if tree is None:  # a draw on partitions keeps no Merkle trees: build them here
        tree = CommitmentTree(population, secret, buckets=sample.commitment.buckets)
        if tree.commitment != sample.commitment:
            raise InvalidInputError(  # the same rows (digest above): another secret
                "secret", f"{len(secret)} bytes", "does not give the sample's commitment"
            )
    thresholds = {
        s["stratum"]: None if s["threshold"] is None else bytes.fromhex(s["threshold"])
        for s in notice["strata"]
    }
    selected = set(sample.ids)
    rows = range(len(population))
    if ids is not None:
        position = {ident: i for i, ident in enumerate(population.ids.tolist())}
        wanted = check.sequence(ids, "ids")
        for ident in wanted:
            if ident not in position:
                raise InvalidInputError("ids", ident, "is not in the population")
        rows = [position[i] for i in wanted]  # type: ignore[assignment]
    all_ids = population.ids.tolist()
    strata = population.strata.tolist()
    eligible = population.eligible.tolist()
    weights = None if population.weights is None else population.weights.tolist()
    digest = notice.record_digest
    for start in range(0, len(rows), _CHUNK):
        chunk = list(rows[start : start + _CHUNK])
        chunk_ids = [all_ids[row] for row in chunk]
        salts = unit_salts(secret, chunk_ids)
        tickets = salted_tickets(sample.subkey, salts, chunk_ids)
        for row, ident, salt, ticket in zip(chunk, chunk_ids, salts, tickets, strict=True):
            yield Receipt(
                digest,
                ident,
                strata[row],
                eligible[row],
                None if weights is None else weights[row],
                salt,
                ticket,
                thresholds[strata[row]],
                ident in selected,
                tree.proof(ident),
            )


class _PublicView:
    """What every receipt is checked against: the notice, checked once."""

    def __init__(self, notice: PublicNotice | str | bytes) -> None:
        public = check.instance(load(notice, field="notice"), "notice", PublicNotice)
        self.findings = Findings()
        check_seal(public, self.findings.under("notice"))
        self.seed_ok = check_seed(public, self.findings.under("notice")) is not None
        self.digest = public.record_digest
        self.subkey = bytes.fromhex(public["subkey"])
        commitment = public["population_commitment"]
        self.root = commitment["root"]
        self.buckets: int = commitment["buckets"]
        self.units: int = commitment["units"]
        self.thresholds = {s["stratum"]: s["threshold"] for s in public["strata"]}
        self.drawn = set(public.drawn_ids)

    def check(self, receipt: Receipt | str | bytes) -> VerificationReport:
        rec = Receipt.from_json(receipt) if isinstance(receipt, (str, bytes)) else receipt
        check.instance(rec, "receipt", Receipt)
        findings = Findings()
        findings.extend(self.findings.report(self.digest).discrepancies)
        if rec.notice_digest != self.digest:
            findings.add("notice_digest", "is not the digest of this notice")
        leaf = leaf_hash(rec.salt, rec.unit_id, rec.stratum, rec.eligible, rec.weight)
        bucket = int(bucket_indices([rec.unit_id], self.buckets)[0])
        if rec.proof.bucket != bucket:
            findings.add("proof.bucket", f"is {rec.proof.bucket}, the id's bucket is {bucket}")
        root = rec.proof.root(leaf, buckets=self.buckets, units=self.units)
        if root is None or root.hex() != self.root:
            findings.add("proof", "the unit's row and path do not lead to the committed population")
        if self.seed_ok:
            ticket = salted_ticket(self.subkey, rec.salt, rec.unit_id)
            if ticket != rec.ticket:
                findings.add(
                    "ticket", f"is not the unit's ticket under the notice's seed ({ticket.hex()})"
                )
        if rec.stratum not in self.thresholds:
            findings.add("unit.stratum", f"{rec.stratum!r} is not a stratum of the notice")
            return findings.report(self.digest)
        threshold = self.thresholds[rec.stratum]
        if (None if rec.threshold is None else rec.threshold.hex()) != threshold:
            findings.add("threshold", "differs from the notice's threshold for the unit's stratum")
        expected = rec.eligible and threshold is not None and rec.ticket.hex() <= threshold
        if rec.selected != expected:
            findings.add(
                "selected", f"says {rec.selected}, the ticket and threshold give {expected}"
            )
        listed = rec.unit_id in self.drawn
        if listed != expected:
            findings.add("drawn", f"the notice {'lists' if listed else 'does not list'} the unit")
        return findings.report(self.digest)


def verify_receipt(
    receipt: Receipt | str | bytes, notice: PublicNotice | str | bytes
) -> VerificationReport:
    """Check one enterprise's receipt against the public notice (see the module docstring).

    >>> from randsample import Population, Seed
    >>> from randsample.joint import Department
    >>> from randsample.results import draw_salted, make_notice, make_salted_record
    >>> pop = Population.from_columns(["E1", "E2", "E3"], strata=["A", "A", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> notice = make_notice(record, notice_id="n1", task_id="T1", period="2026-03",
    ...                      departments=[Department("SAMR", "市场监管局")], items=[],
    ...                      timestamp="2026-03-01T01:00:00Z")
    >>> (receipt,) = make_receipts(sample, pop, bytes(range(32)), notice, ids=["E3"])
    >>> receipt.selected, verify_receipt(receipt.to_json(), notice.to_json()).ok
    (True, True)
    """
    return _PublicView(notice).check(receipt)


def verify_receipts(
    receipts: Sequence[Receipt | str | bytes], notice: PublicNotice | str | bytes
) -> list[VerificationReport]:
    """Check many receipts against one notice (the notice's seal and seed are checked once).

    >>> from randsample import Population, Seed
    >>> from randsample.results import draw_salted
    >>> pop = Population.from_columns(["E1", "E2", "E3", "E4"], strata=["A", "A", "D", "D"])
    >>> sample = draw_salted(pop, {"A": 1, "D": 1}, Seed.from_bytes(bytes(range(16))),
    ...                      bytes(range(32)), buckets=2)
    >>> from randsample.results import make_notice, make_salted_record
    >>> record = make_salted_record(sample, authority="bureau", draw_id="d1",
    ...                             timestamp="2026-03-01T00:00:00Z")
    >>> from randsample.joint import Department
    >>> notice = make_notice(record, notice_id="n1", task_id="T1", period="2026-03",
    ...                      departments=[Department("SAMR", "市场监管局")], items=[],
    ...                      timestamp="2026-03-01T01:00:00Z")
    >>> receipts = list(make_receipts(sample, pop, bytes(range(32)), notice))
    >>> [report.ok for report in verify_receipts(receipts, notice)]
    [True, True, True, True]
    """
    view = _PublicView(notice)
    return [view.check(r) for r in check.sequence(receipts, "receipts")]
