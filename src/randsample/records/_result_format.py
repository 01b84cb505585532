"""The result record: one sealed snapshot of a department's inspection result (spec 13.3).

A result record is sealed and chained like a draw record (spec 6.1, 6.3): it links to the
authority's previous record of any kind, to the draw the enterprise was selected in, and to the
previous snapshot of the same result. What the values mean (a legal state move, content frozen
after approval, an enterprise that was drawn) is checked by
:func:`randsample.results.verify_results`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ..errors import RecordFormatError
from ._formats import NULLABLE_STR
from ._schema import Schema
from ._seal import SealedRecord
from ._values import HEX64

__all__ = ["RESULT_FORMAT", "ResultRecord"]

RESULT_FORMAT = "randsample.result-record/1"


@attrs.frozen(eq=False)
class ResultRecord(SealedRecord):
    """A sealed snapshot of one inspection result (spec section 13.3).

    Build with :func:`randsample.results.seal_result`.
    """

    FORMAT: ClassVar[str] = RESULT_FORMAT
    SCHEMA: ClassVar[Schema] = {
        "record_format": str,
        "authority": str,
        "timestamp": str,
        "previous_record_digest": NULLABLE_STR,
        "draw_record_digest": NULLABLE_STR,
        "previous_result_digest": NULLABLE_STR,
        "result": {
            "task_id": str,
            "department": str,
            "enterprise_id": str,
            "period": str,
            "category": str,
            "subtypes": [str],
            "methods": [str],
            "follow_ups": [str],
            "officers": [str],
            "leader": NULLABLE_STR,
            "inspection_start": str,
            "inspection_end": str,
            "state": str,
            "date": str,
            "by": str,
            "note": NULLABLE_STR,
        },
        "record_digest": str,
    }

    def _check_values(self, content: dict[str, Any]) -> None:
        for name in ("draw_record_digest", "previous_result_digest"):
            value = content[name]
            if value is not None and not HEX64.fullmatch(value):
                raise RecordFormatError(name, value, "expected 64 lowercase hex digits or null")

    @property
    def label(self) -> str:
        """What the record is about: the result's key and state."""
        r = self._content["result"]
        return f"result {r['task_id']}/{r['department']}/{r['enterprise_id']} {r['state']}"
