"""Ticket version 2: per-unit salted tickets that only the auditor and the unit can compute.

A v1 ticket, ``SHA-256(subkey || lp(id))`` (spec section 3), is computable by anyone once the
seed is public, for every enterprise whose id is known. With the per-class counts public, the
ticket of a published (selected) enterprise then reveals which classes it cannot be in: a
unit whose ticket is above the 1% point cannot have been drawn from a 1% class. A v2 ticket
mixes in the unit's salt (spec 14.1), fixed in the population commitment before the seed
exists:

    ticket2(subkey, salt, id)
        = SHA-256("randsample/v2/ticket" || 0x00 || subkey || salt || lp(UTF-8(id)))

The authority cannot steer a draw through the salts (they are committed before the seed is
drawn, and the seed is unpredictable then); the public cannot compute any unit's ticket; the
unit learns its own salt from its receipt, the auditor every salt from the authority secret.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .. import _validation as check
from ..core import lp

__all__ = ["SALTED_TICKET_VERSION", "salted_ticket", "salted_tickets"]

SALTED_TICKET_VERSION = 2
_TAG = b"randsample/v2/ticket\x00"


def salted_ticket(subkey: bytes, salt: bytes, unit_id: str) -> bytes:
    """Return a unit's 32-byte v2 ticket.

    >>> salted_ticket(bytes(32), bytes(32), "E1").hex()[:16]
    'db38cdb7d76119bc'
    """
    check.subkey(subkey)
    check.subkey(salt, "salt")
    return hashlib.sha256(_TAG + subkey + salt + lp(unit_id.encode("utf-8"))).digest()


def salted_tickets(subkey: bytes, salts: Sequence[bytes], ids: Sequence[str]) -> list[bytes]:
    """Return the v2 tickets of many units (ids already validated), in input order."""
    check.subkey(subkey)
    prefix = _TAG + subkey
    sha = hashlib.sha256
    return [
        sha(prefix + salt + lp(i.encode("utf-8"))).digest()
        for salt, i in zip(salts, ids, strict=True)
    ]
