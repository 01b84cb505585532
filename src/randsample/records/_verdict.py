"""Verdicts for people and programs (spec section 15), shared with the standalone verifier.

A verification's differences become a :class:`Verdict`: a status (``verified``,
``not-verified``, ``cannot-verify``), the check code of every difference (15.2, from its field
path), the most likely causes in plain words (15.3), the values an auditor compares with the
announcement (15.5), and two renderings: :meth:`Verdict.text` in English or Chinese (15.1,
15.4) and :meth:`Verdict.to_json` (15.6, always English). ``randsample verify`` and the
standalone verifier print the same text for the same differences.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..core import PublicSource, entropy_digits
from ..errors import RandsampleError
from ._seal import SealedRecord
from ._verdict_messages import MESSAGES

__all__ = [
    "CAUSES",
    "CHECKS",
    "LANGUAGES",
    "NOTES",
    "Verdict",
    "causes_of",
    "check_code",
    "message",
    "notes_of",
]

#: Output languages: English (the default, and always the JSON's) and Chinese.
LANGUAGES = ("en", "zh")
VERDICT_FORMAT = "randsample.verdict/1"
#: Check codes in the order "What differs" lists them (spec 22.2).
CHECKS = (
    "record-digest", "seed", "subkey", "announcement", "population", "commitment", "design",
    "selection", "replacement", "directory", "assignment-input", "teams", "adjustment",
    "result", "notice", "receipt-notice", "receipt-proof", "receipt-ticket", "chain", "other",
)  # fmt: skip
# Spec 22.2: the first name of a field path (after one optional prefix) -> check code.
_HEADS = {
    "record_digest": "record-digest",
    "seed": "seed",
    "subkey": "subkey",
    "purpose": "subkey",
    "previous_record_digest": "chain",
    "previous": "chain",
    "authority": "chain",
    "timestamp": "chain",
    "population_commitment": "commitment",
    "design": "design",
    "strata": "design",
    "selection": "selection",
    "drawn": "selection",
    "selected": "selection",
    "directory": "directory",
    "input": "assignment-input",
    "teams": "teams",
    "unstaffed": "teams",
    "replacement": "replacement",
    "replaced": "replacement",
    "stratum": "replacement",
    "result": "result",
    "previous_result_digest": "result",
    "notice_digest": "receipt-notice",
    "proof": "receipt-proof",
    "unit": "receipt-proof",
    "ticket": "receipt-ticket",
    "threshold": "receipt-ticket",
    "algorithm": "notice",
    "task": "notice",
    "experts": "directory",
    "announcement": "announcement",
}
_SEAL_AND_CHAIN = (
    "record_digest",
    "previous_record_digest",
    "previous",
    "authority",
    "timestamp",
)
_PREFIX = re.compile(r"(replacements|records|adjustments)\[[0-9]+\]\.|(draw_record|notice)\.")
_HEAD = re.compile(r"[a-z_]*")
#: Spec 22.3, by precedence: (cause, the check code that shows it, the codes it explains).
CAUSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("wrong-population", "population", ("commitment", "design", "selection", "replacement")),
    ("wrong-commitment", "commitment", ("design", "selection", "replacement")),
    ("wrong-seed", "seed", ("subkey", "design", "selection", "replacement", "teams",
                            "receipt-ticket")),
    ("wrong-subkey", "subkey", ("design", "selection", "replacement", "teams",
                                "receipt-ticket")),
    ("not-as-announced", "announcement", ()),
    ("wrong-directory", "directory", ("teams",)),
    ("wrong-assignment-input", "assignment-input", ("teams",)),
    ("wrong-notice", "receipt-notice", ()),
    ("wrong-receipt-data", "receipt-proof", ("receipt-ticket", "selection")),
    ("selection-edited", "selection", ()),
    ("sizes-inconsistent", "design", ()),
    ("teams-edited", "teams", ()),
    ("adjustment-wrong", "adjustment", ()),
    ("replacement-wrong", "replacement", ()),
    ("result-invalid", "result", ()),
    ("notice-mismatch", "notice", ()),
    ("receipt-ticket", "receipt-ticket", ()),
    ("record-edited", "record-digest", ("chain",)),
    ("chain-broken", "chain", ()),
    ("other", "other", ()),
)  # fmt: skip


def message(key: str, lang: str = "en", **values: Any) -> str:
    """Return catalogue entry ``key`` (spec 15.4) in ``lang`` with ``values`` filled in.

    Examples
    --------
    >>> message("cause.wrong-population")
    'the population file is not the one the draw used'
    >>> message("cause.wrong-population", "zh")
    '名录文件不是本次抽取所用的文件'
    """
    text = MESSAGES[key][1 if lang == "zh" else 0]
    return text.format(**values) if values else text


def language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Return the output language: ``option`` if given, else ``RANDSAMPLE_LANG``, else ``en``.

    Any value starting with ``zh`` (``zh``, ``zh_CN.UTF-8``) selects Chinese.

    Examples
    --------
    >>> language("zh"), language(None, {"RANDSAMPLE_LANG": "zh_CN.UTF-8"}), language(None, {})
    ('zh', 'zh', 'en')
    """
    value = option or (os.environ if environ is None else environ).get("RANDSAMPLE_LANG", "")
    return "zh" if value.lower().startswith("zh") else "en"


def check_code(field: str) -> str:
    """Return the check code (spec 15.2) of a difference in ``field``.

    Examples
    --------
    >>> check_code("population.digest"), check_code("selection['G0001'].ticket")
    ('population', 'selection')
    >>> check_code("replacements[1].draw_record_digest"), check_code("notice.seed.key")
    ('replacement', 'seed')
    """
    prefix, rest = "", field
    match = _PREFIX.match(field)
    if match:
        prefix, rest = match.group(1) or match.group(2), field[match.end() :]
    head = _HEAD.match(rest).group()  # type: ignore[union-attr]  # [a-z_]* always matches
    if prefix == "adjustments" and head not in _SEAL_AND_CHAIN:
        return "adjustment"
    if head == "population":
        return "commitment" if rest.startswith("population.commitment") else "population"
    if head == "draw_record_digest":
        return {"replacements": "replacement", "records": "result"}.get(prefix, "notice")
    return _HEADS.get(head, "other")


def causes_of(codes: Iterable[str]) -> list[str]:
    """Return the causes (spec 15.3) of differences with these check codes, likeliest first.

    A cause is left out when an earlier one explains its check: a changed population file
    also changes the selection, so it alone is named.

    Examples
    --------
    >>> causes_of(["population", "design", "selection"])
    ['wrong-population']
    >>> causes_of(["record-digest", "selection"])
    ['selection-edited', 'record-edited']
    """
    present, explained, found = set(codes), set[str](), list[str]()
    for cause, code, explains in CAUSES:
        if code in present and code not in explained:
            found.append(cause)
            explained.update(explains)
    return found


Line = tuple[str, Mapping[str, Any], Any]  # (label key, label values, value)
#: Note codes of spec 15.4, in the order a verdict lists them.
NOTES = ("publicly-random", "raw-seed", "unannounced", "low-entropy", "weak-sources", "weak-secret")
# (code, the implementation's own message, the values of the catalogue sentence note.<code>)
NoteLine = tuple[str, str, Mapping[str, Any]]


def notes_of(notes: Iterable[Any], record: Any = None, notice: Any = None) -> tuple[NoteLine, ...]:
    """Return a report's notes (spec 15.4) as verdict lines, in the order of :data:`NOTES`.

    ``weak-sources`` shows the entropy digits of the record's (a receipt: the notice's)
    sources (spec 15.3).

    Examples
    --------
    >>> from randsample.records import Note
    >>> notes_of([Note("raw-seed", "not publicly random: ...")])
    (('raw-seed', 'not publicly random: ...', {}),)
    """
    found = []
    for note in sorted(notes, key=lambda n: NOTES.index(n.code) if n.code in NOTES else 99):
        values: dict[str, Any] = {}
        if note.code == "weak-sources":
            values["digits"] = _entropy(notice if notice is not None else record)
        found.append((note.code, note.message, values))
    return tuple(found)


def _entropy(record: Any) -> str:
    try:
        sources = content_of(record)["seed"]["sources"]
        return str(entropy_digits([PublicSource(s["name"], s["values"]) for s in sources]))
    except (RandsampleError, KeyError, TypeError):
        return "?"


@attrs.frozen
class Verdict:
    """A verifier's answer (spec 15): status, differences, values to compare, renderings.

    Made by :meth:`randsample.records.VerificationReport.verdict`.

    Examples
    --------
    >>> from randsample.records import Discrepancy, VerificationReport
    >>> report = VerificationReport("ab" * 32, (Discrepancy("population.digest", "differs"),))
    >>> print(report.verdict().text("zh"))
    核验未通过：名录文件不是本次抽取所用的文件
    <BLANKLINE>
    不一致之处：
      - 名录摘要或户数
    <BLANKLINE>
    详细差异（1 处）：
      population.digest: differs
    """

    status: str
    record_format: str | None = None
    record_digest: str | None = None
    discrepancies: tuple[tuple[str, str], ...] = ()
    announcement: tuple[Line, ...] = ()
    notes: tuple[NoteLine, ...] = ()
    error: str | None = None

    def __repr__(self) -> str:
        return f"Verdict({self.status!r}, causes={self.causes!r})"

    @property
    def ok(self) -> bool:
        """Whether the record verified."""
        return self.status == "verified"

    @property
    def codes(self) -> list[str]:
        """The check codes that differ, in the catalogue's order."""
        present = {check_code(field) for field, _text in self.discrepancies}
        return [code for code in CHECKS if code in present]

    @property
    def causes(self) -> list[str]:
        """The causes, likeliest first (empty unless not verified)."""
        return causes_of(self.codes) if self.status == "not-verified" else []

    def headline(self, lang: str = "en") -> str:
        """Return the first line: VERIFIED, or NOT VERIFIED and the likeliest cause, or CANNOT."""
        if self.status == "cannot-verify":
            return message("headline.cannot-verify", lang, reason=self.error)
        if self.status == "verified":
            return message("headline.verified", lang, digest=(self.record_digest or "")[:16])
        cause = message("cause." + self.causes[0], lang)
        return message("headline.not-verified", lang, cause=cause)

    def text(self, lang: str = "en") -> str:
        """Return the verdict for people (spec 15.1) in ``lang`` (``en`` or ``zh``)."""
        lines = [self.headline(lang)]
        if self.status == "cannot-verify":
            return lines[0]
        lines += [message("also", lang, cause=message(f"cause.{c}", lang)) for c in self.causes[1:]]
        lines += [
            message("note", lang, note=message(f"note.{code}", lang, **values))
            for code, _text, values in self.notes
        ]
        if self.status == "not-verified":
            lines += ["", message("section.differs", lang)]
            lines += [f"  - {message('check.' + code, lang)}" for code in self.codes]
        if self.announcement:
            lines += ["", message("section.announcement", lang)]
            lines += [
                "  " + message("line", lang, label=label, value=value)
                for label, value in self.announced(lang)
            ]
        if self.discrepancies:
            lines += ["", message("section.details", lang, count=len(self.discrepancies))]
            lines += [f"  {field}: {text}" for field, text in self.discrepancies]
        return "\n".join(lines)

    def announced(self, lang: str = "en") -> list[tuple[str, str]]:
        """Return the (label, value) pairs to compare with the announcement (spec 15.5)."""
        return [
            (message(f"label.{key}", lang, **params), _shown(value, lang))
            for key, params, value in self.announcement
        ]

    def to_json(self) -> dict[str, Any]:
        """Return the verdict for programs (spec 15.6): English, stable keys and codes."""
        labelled = zip(self.announcement, self.announced("en"), strict=True)
        return {
            "verdict_format": VERDICT_FORMAT,
            "status": self.status,
            "ok": self.ok,
            "headline": self.headline("en"),
            "causes": self.causes,
            "differs": self.codes,
            "record_format": self.record_format,
            "record_digest": self.record_digest,
            "publicly_random": self.ok and any(c == "publicly-random" for c, *_ in self.notes),
            "notes": [{"code": code, "message": text} for code, text, _values in self.notes],
            "announcement": [
                {"key": key, "label": label, "value": value}
                for (key, _params, _value), (label, value) in labelled
            ],
            "discrepancies": [
                {"code": check_code(field), "field": field, "message": text}
                for field, text in self.discrepancies
            ],
            "error": None if self.error is None else {"message": self.error},
        }


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return message("value.none", lang)
    if isinstance(value, bool):
        return message("value.yes" if value else "value.no", lang)
    if isinstance(value, tuple):  # ("checked",) or ("not-checked",)
        return message(f"value.{value[0]}", lang)
    return str(value)


def content_of(record: Any) -> dict[str, Any]:
    """Return the JSON content of a sealed record, a receipt, or a dict as it is.

    For a sealed record this is the record's own content, not a copy (the verdict only reads
    it; ``SealedRecord.content`` deep-copies: about 0.15 s for a 48,500-unit selection).
    """
    if isinstance(record, (str, bytes)):
        return dict(json.loads(record))
    if isinstance(record, SealedRecord):
        return dict(record._content)
    content = getattr(record, "content", record)
    return dict(content() if callable(content) else content)
