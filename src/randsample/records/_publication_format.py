"""The two tiers of publication: the auditor's salted draw record and the public notice.

* ``randsample.salted-draw-record/1`` (spec 14.5): the full sealed record of a draw with
  salted tickets (algorithm ``stratified-srswor-salted`` v1): every selected unit's stratum,
  rank, ticket and inclusion probability, each stratum's threshold, the v1 population digest
  and the v2 population commitment. It goes to a designated auditor, with the population file
  and the authority secret; it is not published.
* ``randsample.public-notice/1`` (spec 14.6): what is published (公示): the task, its items and
  departments, the drawn enterprises (ids only) with their published results, the seed, the
  per-stratum eligible counts, sample sizes and thresholds, and the population commitment;
  bound by digest to the salted draw record. No unit's class, eligibility or probability.

Reading checks the structure; :mod:`randsample.results` checks what the values mean.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ..errors import RecordFormatError
from ._formats import (
    ALGORITHM_SCHEMA,
    LIBRARY_SCHEMA,
    NULLABLE_STR,
    SEED_SCHEMA,
    DrawKind,
    DrawRecord,
)
from ._schema import Schema
from ._seal import SealedRecord
from ._values import HEX64

__all__ = [
    "NOTICE_FORMAT",
    "SALTED_DRAW_FORMAT",
    "SALTED_SRSWOR",
    "PublicNotice",
    "SaltedDrawRecord",
]

SALTED_DRAW_FORMAT = "randsample.salted-draw-record/1"
NOTICE_FORMAT = "randsample.public-notice/1"
#: The algorithm of a salted draw (spec 14.3), version 1.
SALTED_SRSWOR = "stratified-srswor-salted"

_COMMITMENT: Schema = {"version": int, "root": str, "buckets": int, "units": int}


def _check_algorithm(content: dict[str, Any], commitment: dict[str, Any], where: str) -> None:
    algorithm = content["algorithm"]
    if (algorithm["name"], algorithm["version"]) != (SALTED_SRSWOR, 1):
        raise RecordFormatError(
            "algorithm", algorithm, f"unsupported; expected {SALTED_SRSWOR!r} version 1"
        )
    if commitment["version"] != 2 or not HEX64.fullmatch(commitment["root"]):
        raise RecordFormatError(where, commitment, "expected version 2 and a 64-hex-digit root")


@attrs.frozen(eq=False)
class SaltedDrawRecord(DrawKind):
    """The auditor's full record of a salted draw (spec 14.5).

    Build with :func:`randsample.results.make_salted_record`.
    """

    FORMAT: ClassVar[str] = SALTED_DRAW_FORMAT
    #: A draw record's (spec 6.2) with the commitment and each stratum's threshold (14.5).
    SCHEMA: ClassVar[Schema] = {
        **DrawRecord.SCHEMA,
        "population": {"digest": str, "units": int, "eligible": int, "commitment": _COMMITMENT},
        "design": {
            "strata": [
                {
                    "stratum": str,
                    "units": int,
                    "eligible": int,
                    "sample_size": int,
                    "threshold": NULLABLE_STR,
                }
            ]
        },
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        _check_algorithm(content, content["population"]["commitment"], "population.commitment")


@attrs.frozen(eq=False)
class PublicNotice(SealedRecord):
    """The public notice (公示) of a draw and its results (spec 14.6).

    Build with :func:`randsample.results.make_notice`.
    """

    FORMAT: ClassVar[str] = NOTICE_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "library": LIBRARY_SCHEMA,
        "authority": str,
        "notice_id": str,
        "timestamp": str,
        "previous_record_digest": NULLABLE_STR,
        "draw_record_digest": str,
        "algorithm": ALGORITHM_SCHEMA,
        "task": {
            "task_id": str,
            "period": str,
            "departments": [{"code": str, "name": str}],
            "items": [
                {
                    "item_id": str,
                    "department": str,
                    "legal_basis": str,
                    "category": str,
                    "method": str,
                }
            ],
        },
        "seed": SEED_SCHEMA,
        "purpose": str,
        "subkey": str,
        "population_commitment": _COMMITMENT,
        "strata": [
            {"stratum": str, "eligible": int, "sample_size": int, "threshold": NULLABLE_STR}
        ],
        "drawn": [
            {
                "id": str,
                "results": [
                    {
                        "department": str,
                        "category": str,
                        "subtypes": [str],
                        "follow_ups": [str],
                        "inspection_end": str,
                        "published_on": str,
                        "result_record_digest": NULLABLE_STR,
                    }
                ],
            }
        ],
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        _check_algorithm(content, content["population_commitment"], "population_commitment")
        if not HEX64.fullmatch(content["draw_record_digest"]):
            raise RecordFormatError(
                "draw_record_digest", content["draw_record_digest"], "expected 64 hex digits"
            )

    @property
    def drawn_ids(self) -> tuple[str, ...]:
        """The drawn ids, in record order (UTF-8 bytes)."""
        return tuple(entry["id"] for entry in self._content["drawn"])

    @property
    def label(self) -> str:
        """The record's identifier within its authority (``notice_id``)."""
        return str(self._content["notice_id"])
