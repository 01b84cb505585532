"""The result of a ledger audit: each record's verdict and the ledger's problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._text import Column, Tabular
from ._checks import Discrepancy, Note

__all__ = ["AuditEntry", "AuditReport"]


@attrs.frozen
class AuditEntry:
    """One record of the ledger, as the audit saw it (see :class:`AuditReport`)."""

    name: str
    kind: str
    label: str
    record_digest: str
    timestamp: str
    #: ``verified`` (re-derived in full), ``checked`` (seal, seed and links only: its inputs
    #: were not given) or ``not verified``.
    status: str
    problems: tuple[Discrepancy, ...]
    notes: tuple[Note, ...] = ()


@attrs.frozen
class AuditReport(Tabular):
    """The audit of a ledger: every record's verdict and what is wrong with the whole.

    Made by :func:`~randsample.records.audit`; ``entries`` are in chain order.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> from randsample.records import audit
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata="A")
    >>> record = make_record(draw_stratified(pop, {"A": 1}, Seed.from_bytes(bytes(range(16)))),
    ...                      authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> report = audit({"d1.json": record}, populations=[pop])
    >>> report
    AuditReport('bureau', 1 records, ok)
    >>> report.entries[0].status, [n.code for n in report.entries[0].notes]
    ('verified', ['raw-seed'])
    """

    authority: str | None
    entries: tuple[AuditEntry, ...]
    problems: tuple[Discrepancy, ...]

    @property
    def ok(self) -> bool:
        """True when the ledger and every record in it show no problem."""
        return not self.problems and all(e.status != "not verified" for e in self.entries)

    def _columns(self) -> list[Column]:
        return [
            Column("name", "record", align="<"),
            Column("kind", "kind", align="<"),
            Column("label", "id", align="<"),
            Column("timestamp", "timestamp", align="<"),
            Column("status", "verdict", align="<"),
        ]

    def _items(self) -> Iterable[Mapping[str, Any]]:
        for entry in self.entries:
            yield {
                "name": entry.name,
                "kind": entry.kind,
                "label": entry.label,
                "timestamp": entry.timestamp,
                "status": entry.status,
            }

    def __repr__(self) -> str:
        verdict = "ok" if self.ok else f"{len(self.problems)} ledger problem(s)"
        return f"AuditReport({self.authority!r}, {len(self.entries)} records, {verdict})"

    def __str__(self) -> str:
        counts = Counter(entry.status for entry in self.entries)
        head = "LEDGER VERIFIED" if self.ok else "LEDGER NOT VERIFIED"
        lines = [
            f"{head}: {len(self.entries)} records of {self.authority!r}: "
            + ", ".join(f"{counts[s]} {s}" for s in ("verified", "checked", "not verified")),
            *(f"  {p}" for p in self.problems),
            self.summary(),
        ]
        for entry in self.entries:
            lines.extend(f"  {entry.name}: {p}" for p in entry.problems)
            lines.extend(f"  {entry.name}: note: {n}" for n in entry.notes)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict (what ``randsample audit --json`` prints)."""
        return {
            "ok": self.ok,
            "authority": self.authority,
            "problems": [{"field": p.field, "message": p.message} for p in self.problems],
            "records": [
                {
                    "name": e.name,
                    "kind": e.kind,
                    "label": e.label,
                    "record_digest": e.record_digest,
                    "timestamp": e.timestamp,
                    "status": e.status,
                    "problems": [{"field": p.field, "message": p.message} for p in e.problems],
                    "notes": [{"code": n.code, "message": n.message} for n in e.notes],
                }
                for e in self.entries
            ],
        }
