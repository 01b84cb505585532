"""Independent verifier of randsample records, written from ``docs/spec.md`` alone.

One file, the Python (>= 3.10) standard library only: anyone can download it and check a
published draw, team assignment, result record, public notice or receipt without trusting,
or even installing, randsample::

    python verify_draw.py RECORD.json POPULATION.csv [--previous PREVIOUS.json]
    python verify_draw.py RECORD.json POPULATION.csv --replacement R1.json --replacement R2.json
    python verify_draw.py SALTED_RECORD.json POPULATION.csv --secret HEX
    python verify_draw.py TEAMS.json directory.json visits.json [conflicts.json]
    python verify_draw.py RESULTS.json [DRAW.json]
    python verify_draw.py NOTICE.json [SALTED_RECORD.json POPULATION.csv --secret HEX]
    python verify_draw.py RECEIPT.json NOTICE.json
    ... [--json] [--lang zh]       (or the environment variable RANDSAMPLE_LANG=zh)

The kind of record is read from its ``record_format`` (``receipt_format``); the other files
are recognised by their content. Exit status: 0 verified; 1 not verified (the first line
says why in plain words, then what to compare with the announcement, then every
difference); 2 the check cannot run (one line: unreadable or malformed input, an
unsupported format, Python older than 3.10). The output is the verdict format of spec
section 15, shared with ``randsample verify``.

Sections: 0 the Python guard; 1 messages; 2 strict input; 3 primitives (spec 1-4);
4 population scan; 5 draw algorithms (5, 5b, 12, 14.3); 6 draw records (6, 10, 14.5);
7 team assignment (11); 8 results (13); 9 notices and receipts (14); 10 verdicts (15);
11 command line.
"""

from __future__ import annotations

# ruff: noqa: PLR0911, PLR0912, PLR0915, PLR0917
# (one file on purpose, D8: a few long functions keep each algorithm readable in one place)
import argparse
import bisect
import codecs
import collections
import contextlib
import csv
import hashlib
import io
import json
import math
import os
import pickle
import re
import signal
import struct
import sys
import threading
import unicodedata
from collections.abc import Generator, Iterable, Iterator
from fractions import Fraction
from itertools import chain, compress, islice, repeat
from operator import add, eq, ge, itemgetter, lt
from typing import Any

# ============================================================ 0. the Python guard
# This block runs before anything a Python older than 3.10 cannot run: the whole file is
# parseable by Python 3.8 (no match statements, no parenthesized context managers, no
# runtime "X | Y" types), and the rest of it only executes once the guard has passed. The
# imports above are all in the standard library of Python 3.8.

MINIMUM_PYTHON = (3, 10)


def python_too_old(version: tuple[int, ...], lang: str = "en") -> str | None:
    """Return the one-line refusal for a Python older than 3.10, or None if it is recent."""
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return None
    shown = ".".join(str(part) for part in version[:3])
    if lang == "zh":
        return "无法核验：本核验程序需要 Python 3.10 或更高版本，当前为 Python " + shown
    return "CANNOT VERIFY: this verifier needs Python 3.10 or later; this is Python " + shown


def _guard_language(argv: list[str]) -> str:
    """Return the language of the guard's line: ``--lang zh`` or RANDSAMPLE_LANG=zh*."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "zh" if argv[i + 1].lower().startswith("zh") else "en"
        if arg.startswith("--lang="):
            return "zh" if arg[7:].lower().startswith("zh") else "en"
    return "zh" if os.environ.get("RANDSAMPLE_LANG", "").lower().startswith("zh") else "en"


_TOO_OLD = python_too_old(tuple(sys.version_info[:3]), _guard_language(sys.argv[1:]))
if _TOO_OLD is not None:
    sys.stderr.write(_TOO_OLD + "\n")
    raise SystemExit(2)

# From here on, Python >= 3.10.

Row = tuple[str, str, bool, float | None]  # (id, stratum, eligible, weight), spec 4.1

DRAW_FORMAT = "randsample.draw-record/1"
REPLACEMENT_FORMAT = "randsample.replacement-record/1"
ASSIGNMENT_FORMAT = "randsample.assignment-record/1"
RESULT_FORMAT = "randsample.result-record/1"
SALTED_FORMAT = "randsample.salted-draw-record/1"
NOTICE_FORMAT = "randsample.public-notice/1"
RECEIPT_FORMAT = "randsample.receipt/1"
ANNOUNCEMENT_FORMAT = "randsample.announcement-record/1"
VERDICT_FORMAT = "randsample.verdict/1"
SRSWOR = "stratified-srswor"
SYSTEMATIC = "stratified-pips-systematic"
SAMPFORD = "stratified-pips-sampford"
SALTED = "stratified-srswor-salted"
DRAW_ALGORITHMS = (SRSWOR, SYSTEMATIC, SAMPFORD)
CSV_HEADER = ["id", "stratum", "eligible", "weight"]
MAX_LISTED = 20  # differences of one kind past this many are counted, not listed (spec 15)
MAX_DEPTH = 32  # JSON arrays and objects nested deeper than this are refused (spec 16.5)
MAX_STRING = 65_536  # characters of a JSON string (spec 16.5)
MAX_RECORD_DIGITS, MAX_INPUT_DIGITS = 16, 1_000  # an integer's digits: records, inputs (16.5)
MAX_SOURCE_DIGITS = 1_000  # digits of a source value (spec 16.5)
MAX_CSV_FIELD = 131_072  # characters of a CSV field (spec 16.5)
MAX_INT = 2**53 - 1  # spec 6.1
SAMPFORD_MAX_TRIALS = 2**20  # spec 12 step 9
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # spec 1
_DIGITS = re.compile(r"[0-9]+")
_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})*")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")  # spec 4.3 grammar
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FRACTION = re.compile(r"0|1|[1-9][0-9]*/[1-9][0-9]*")
_CANONICAL = re.compile(r"0|[1-9][0-9]*")  # a source value in a record (spec 16.2)
_NUMBER = r"(?:0|[1-9][0-9]*)"  # a normalized PEP 440 version (spec 16.2)
_PEP440 = re.compile(
    rf"(?:{_NUMBER}!)?{_NUMBER}(?:\.{_NUMBER})*(?:(?:a|b|rc){_NUMBER})?(?:\.post{_NUMBER})?"
    rf"(?:\.dev{_NUMBER})?(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?"
)


# ============================================================ 1. messages (spec 15.4)
# key: (English, Chinese). The same catalogue is in randsample (records/_verdict.py) and in
# docs/spec.md section 15.4; a test compares the three.
MESSAGES: dict[str, tuple[str, str]] = {
    "headline.verified": (
        "VERIFIED: record {digest}… re-derives exactly",
        "核验通过：记录 {digest}… 经重新计算完全一致",
    ),
    "headline.not-verified": ("NOT VERIFIED: {cause}", "核验未通过：{cause}"),
    "headline.cannot-verify": ("CANNOT VERIFY: {reason}", "无法核验：{reason}"),
    "also": ("Also: {cause}", "另外：{cause}"),
    "note": ("note: {note}", "说明：{note}"),
    # Notes on how random the draw is (spec 15.4), in this order.
    "note.publicly-random": (
        "publicly random: announced before its sources were published; the draw follows "
        "the announcement",
        "公开随机：抽取前已公告，且早于随机源公布；抽取与公告一致",
    ),
    "note.raw-seed": (
        "not publicly random: the authority chose the seed (a raw seed; nothing in the record "
        "shows where it came from)",
        "非公开随机：种子由机关直接给出（原始种子，记录中看不出其来源）",
    ),
    "note.unannounced": (
        "not publicly random: no announcement fixed the sources, their order, the secret and "
        "the inputs before the sources were published, so the authority could have chosen "
        "them after",
        "非公开随机：随机源公布前没有公告固定随机源、其顺序、密钥和输入，机关可能在看到"
        "随机数之后再作选择",
    ),
    "note.low-entropy": (
        "the seed material breaks the entropy rules of spec 2.4 (override recorded as "
        "seed.low_entropy_allowed)",
        "随机源的熵低于规范第 2.4 节的要求（记录中 seed.low_entropy_allowed 为 true）",
    ),
    "note.weak-sources": (
        "the sources carry {digits} entropy digits (spec 15.3), fewer than 20",
        "随机源只有 {digits} 位有效熵数字（规范第 15.3 节），少于 20 位",
    ),
    "note.weak-secret": (
        "the secret looks chosen, not drawn: whoever guessed it could compute the draw as "
        "soon as the sources were published",
        "密钥看起来是人为选定而非随机生成：猜到密钥的人在随机源公布后即可算出抽取结果",
    ),
    "section.differs": ("What differs:", "不一致之处："),
    "section.announcement": ("Compare with what was announced:", "请与公告核对："),
    "line": ("{label}: {value}", "{label}：{value}"),
    "section.details": ("Details ({count}):", "详细差异（{count} 处）："),
    "value.none": ("(none)", "（无）"),
    "value.yes": ("yes", "是"),
    "value.no": ("no", "否"),
    "value.checked": ("checked", "已核对"),
    "value.not-checked": (
        "not checked (give the previous record)",
        "未核对（需提供上一份记录）",
    ),
    # Causes, in order of precedence (15.3): the first present one is the headline.
    "cause.wrong-population": (
        "the population file is not the one the draw used",
        "名录文件不是本次抽取所用的文件",
    ),
    "cause.wrong-commitment": (
        "the population or the authority secret is not the one committed to before the draw",
        "名录或机关密钥与抽取前公布的承诺不符",
    ),
    "cause.wrong-seed": (
        "the seed does not re-derive from the published sources",
        "随机种子不能由公布的随机源重新推导出来",
    ),
    "cause.wrong-subkey": (
        "the sub-key does not follow from the seed and the purpose",
        "子密钥与随机种子和用途不符",
    ),
    "cause.not-as-announced": (
        "the draw does not follow its announcement, made before the random values were known",
        "抽取与随机数产生之前发布的公告不一致",
    ),
    "cause.wrong-directory": (
        "the inspector directory or expert pool is not the one the assignment used",
        "执法人员名录或专家库不是本次分派所用的",
    ),
    "cause.wrong-assignment-input": (
        "the visits or the conflict-of-interest data are not the ones the assignment used",
        "检查任务或回避数据不是本次分派所用的数据",
    ),
    "cause.wrong-notice": (
        "the receipt was issued for another notice",
        "回执不是针对这份公示出具的",
    ),
    "cause.wrong-receipt-data": (
        "the receipt's unit data or proof do not lead to the committed population",
        "回执中的企业数据或证明路径不能推导出已承诺的名录",
    ),
    "cause.selection-edited": (
        "the selection was edited: it is not what the algorithm draws",
        "抽中名单被改动过：与算法重新抽取的结果不同",
    ),
    "cause.sizes-inconsistent": (
        "the per-stratum counts or sample sizes do not agree with the data",
        "各层户数或样本量与数据不符",
    ),
    "cause.teams-edited": (
        "the teams were edited: they are not what the algorithm assigns",
        "检查组被改动过：与算法重新分派的结果不同",
    ),
    "cause.replacement-wrong": (
        "a replacement does not follow the rule (the next unit in ticket order)",
        "替补不符合规则（应为同层按签号顺序的下一家）",
    ),
    "cause.adjustment-wrong": (
        "a team adjustment does not follow the rule (the next eligible member in ticket order)",
        "检查组调整不符合规则（应为按签号顺序的下一位符合条件的人员）",
    ),
    "cause.result-invalid": (
        "a result record breaks the rules for results (content, state change or link)",
        "检查结果记录违反规则（内容、状态变化或链接）",
    ),
    "cause.notice-mismatch": (
        "the public notice does not match the sealed draw record",
        "公示与封存的抽取记录不一致",
    ),
    "cause.receipt-ticket": (
        "the receipt's ticket or threshold is wrong",
        "回执中的签号或阈值有误",
    ),
    "cause.record-edited": (
        "a record was changed after it was sealed: its digest does not match its content",
        "记录在封存后被改动过：其摘要与内容不符",
    ),
    "cause.chain-broken": (
        "the chain link is broken: the record does not follow the previous record given",
        "链接断开：本记录没有接在所给的上一份记录之后",
    ),
    "cause.other": (
        "the record differs from its re-computation",
        "记录与重新计算的结果不同",
    ),
    # Check codes (15.2): what differs, one line each, in this order.
    "check.record-digest": ("record digest", "记录摘要"),
    "check.seed": (
        "seed (sources, key, commitment, value)",
        "随机种子（随机源、密钥串、承诺、种子值）",
    ),
    "check.subkey": ("sub-key or purpose", "子密钥或用途"),
    "check.announcement": ("the announcement made before the draw", "抽取前发布的公告"),
    "check.population": ("population digest or unit counts", "名录摘要或户数"),
    "check.commitment": ("population commitment", "名录承诺"),
    "check.design": (
        "per-stratum counts, sample sizes or thresholds",
        "各层户数、样本量或阈值",
    ),
    "check.selection": ("selected units", "抽中企业"),
    "check.chain": ("link to the previous record", "与上一份记录的链接"),
    "check.replacement": ("replacements", "替补"),
    "check.directory": (
        "inspector directory or expert pool, digest or count",
        "执法人员名录或专家库的摘要或人数",
    ),
    "check.assignment-input": ("visits or conflicts digest", "检查任务或回避数据摘要"),
    "check.teams": ("teams or unstaffed visits", "检查组或未配齐的任务"),
    "check.adjustment": ("team adjustments", "检查组调整"),
    "check.result": ("result records", "检查结果记录"),
    "check.notice": ("public notice against the draw record", "公示与抽取记录的对应"),
    "check.receipt-notice": ("notice digest in the receipt", "回执中的公示摘要"),
    "check.receipt-proof": ("unit data or proof in the receipt", "回执中的企业数据或证明路径"),
    "check.receipt-ticket": ("ticket or threshold in the receipt", "回执中的签号或阈值"),
    "check.other": ("other fields", "其他字段"),
    # Announcement labels (15.5).
    "label.record_format": ("record format", "记录格式"),
    "label.record_digest": ("record digest", "记录摘要"),
    "label.authority": ("authority", "机关"),
    "label.draw_id": ("draw id", "抽取编号"),
    "label.assignment_id": ("assignment id", "分派编号"),
    "label.notice_id": ("notice id", "公示编号"),
    "label.timestamp": ("timestamp (UTC)", "时间（UTC）"),
    "label.algorithm": ("algorithm", "算法"),
    "label.previous_record_digest": ("previous record", "上一份记录"),
    "label.chain": ("chain link", "链接"),
    "label.population_digest": ("population digest", "名录摘要"),
    "label.population_commitment": ("population commitment", "名录承诺"),
    "label.buckets": ("commitment buckets", "承诺分桶数"),
    "label.units": ("units (eligible)", "户数（可抽）"),
    "label.seed_key": ("seed key", "种子密钥串"),
    "label.source": ("source {number}", "随机源 {number}"),
    "label.seed_commitment": ("seed commitment", "种子承诺"),
    "label.raw_seed": ("raw seed", "原始种子"),
    "label.purpose": ("purpose", "用途"),
    "label.sample_sizes": ("sample sizes", "样本量"),
    "label.selected": ("units selected", "抽中户数"),
    "label.replacement": ("replacement {number}", "替补 {number}"),
    "label.directory_digest": ("directory digest", "执法人员名录摘要"),
    "label.inspectors": ("inspectors", "执法人员数"),
    "label.input_digest": ("visits and conflicts digest", "任务数据摘要"),
    "label.visits": ("visits", "检查任务数"),
    "label.conflicts_digest": ("conflicts digest", "回避数据摘要"),
    "label.experts_digest": ("expert pool digest", "专家库摘要"),
    "label.experts": ("experts", "专家人数"),
    "label.unstaffed": ("unstaffed", "未配齐"),
    "label.adjustment": ("adjustment {number}", "调整 {number}"),
    "label.records": ("result records", "结果记录数"),
    "label.draw_record_digest": ("draw record", "抽取记录"),
    "label.announcement": ("announcement", "公告"),
    "label.announced_at": ("announced at (UTC)", "公告时间（UTC）"),
    "label.task": ("task", "任务"),
    "label.drawn": ("units drawn", "抽中户数"),
    "label.notice_digest": ("notice digest", "公示摘要"),
    "label.unit": ("enterprise", "企业"),
    "label.stratum": ("stratum", "分层"),
    "label.eligible": ("eligible", "可抽"),
    "label.unit_selected": ("selected", "是否抽中"),
    "label.ticket": ("ticket", "签号"),
    "label.threshold": ("threshold", "阈值"),
    # Reasons a check cannot run (exit 2); {detail} stays in English.
    "error.python": (
        "this verifier needs Python 3.10 or later",
        "本核验程序需要 Python 3.10 或更高版本",
    ),
    "error.usage": ("wrong command line: {detail}", "命令行有误：{detail}"),
    "error.file": ("cannot read {file}: {detail}", "无法读取 {file}：{detail}"),
    "error.encoding": ("{file} is not UTF-8 text: {detail}", "{file} 不是 UTF-8 文本：{detail}"),
    "error.json": ("{file} is not valid JSON: {detail}", "{file} 不是有效的 JSON：{detail}"),
    "error.csv": (
        "{file} is not a valid population file: {detail}",
        "{file} 不是有效的名录文件：{detail}",
    ),
    "error.record": ("{file} is not a valid record: {detail}", "{file} 不是有效的记录：{detail}"),
    "error.input": ("{file} is not valid input: {detail}", "{file} 不是有效的输入数据：{detail}"),
    "error.unsupported": (
        "{file}: not supported by this verifier: {detail}",
        "{file}：本核验程序不支持：{detail}",
    ),
    "error.missing": ("an input is missing: {detail}", "缺少输入文件：{detail}"),
    "error.other": ("{detail}", "{detail}"),
}
LANGUAGES = ("en", "zh")


def message(key: str, lang: str = "en", **values: Any) -> str:
    """Return catalogue entry ``key`` in ``lang`` (``en`` or ``zh``) with ``values`` filled."""
    text = MESSAGES[key][1 if lang == "zh" else 0]
    return text.format(**values) if values else text


def language(option: str | None, environ: dict[str, str] | None = None) -> str:
    """Return the language: ``--lang`` if given, else RANDSAMPLE_LANG (``zh*``: zh), else en."""
    if option:
        return "zh" if option.lower().startswith("zh") else "en"
    value = (os.environ if environ is None else environ).get("RANDSAMPLE_LANG", "")
    return "zh" if value.lower().startswith("zh") else "en"


class CannotVerify(ValueError):  # noqa: N818 - a verdict on the inputs, not a program error
    """The inputs are unusable, so there is nothing to compare (exit status 2).

    ``kind`` names the catalogue entry ``error.<kind>``; ``file`` the input concerned.
    """

    def __init__(self, detail: str, kind: str = "record", file: str = "") -> None:
        super().__init__(detail)
        self.detail, self.kind, self.file = detail, kind, file

    def reason(self, lang: str = "en") -> str:
        """Return the reason in words, in ``lang`` (the detail itself stays in English)."""
        return message("error." + self.kind, lang, file=self.file or "input", detail=self.detail)


class Findings:
    """Differences found so far, each a (field, message) pair (spec 15.1).

    ``under(prefix)`` is a view recording into the same list with fields prefixed, so a
    check written for a whole record serves a part of another.
    """

    def __init__(self, prefix: str = "", found: list[tuple[str, str]] | None = None) -> None:
        self.prefix = prefix
        self.found: list[tuple[str, str]] = [] if found is None else found

    def __call__(self, field: str, text: str) -> None:
        self.found.append((self.prefix + field, text))

    def under(self, prefix: str) -> Findings:
        """Return a view whose fields are prefixed by ``prefix``."""
        return Findings(self.prefix + prefix, self.found)

    def listed(self, problems: list[tuple[str, str]], field: str) -> None:
        """Record at most MAX_LISTED of ``problems``, then how many more there are."""
        for name, text in problems[:MAX_LISTED]:
            self(name, text)
        if len(problems) > MAX_LISTED:
            self(field, f"... and {len(problems) - MAX_LISTED} more differences")

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.found)


def _q(value: Any) -> str:
    """Quote a value in a message as Python would (``'A'``, ``3``, ``None``)."""
    return repr(value)


# ============================================================ 2. strict input
def read_text(path: str, stdin: Any = None) -> str:
    """Read a UTF-8 text file (``-``: standard input); a BOM is dropped."""
    try:
        if path == "-":
            data = (stdin or sys.stdin.buffer).read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        raise CannotVerify(exc.strerror or str(exc), "file", path) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CannotVerify(
            f"line {line}: byte 0x{data[exc.start]:02x} ({exc.reason})", "encoding", path
        ) from exc


def _walk(value: Any, file: str, kind: str, ascii_keys: bool) -> None:
    """Refuse what the limits of spec 16.5 and 6.1 exclude, without recursion.

    Refused: arrays and objects nested more than 32 deep, long strings, lone surrogates,
    non-ASCII keys of a record, and integers of a record beyond 2^53 - 1.
    """
    stack = [(value, 0)]  # (item, the number of arrays and objects around it)
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth >= MAX_DEPTH:
            raise CannotVerify(f"arrays and objects nested more than {MAX_DEPTH} deep", kind, file)
        if isinstance(item, dict):
            for key, child in item.items():
                if ascii_keys and not key.isascii():
                    raise CannotVerify(f"key {key!r} is not ASCII", kind, file)
                _check_string(key, file, kind)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            _check_string(item, file, kind)
        elif type(item) is int and abs(item) > MAX_INT and kind == "record":
            raise CannotVerify(f"integer {item} is beyond 2^53 - 1", kind, file)


def _check_string(text: str, file: str, kind: str) -> None:
    if len(text) > MAX_STRING:
        raise CannotVerify(f"a string of {len(text)} characters (at most {MAX_STRING})", kind, file)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CannotVerify(
            f"string {text!r} is not valid Unicode (a lone surrogate)", kind, file
        ) from exc


def _walk_ok(value: Any, ascii_keys: bool, big_ints: bool) -> bool:
    """Say whether ``_walk`` surely finds nothing to refuse, checking the strings in bulk.

    With ``big_ints``, integers beyond 2^53 - 1 count too. False (something may be wrong)
    sends the caller to ``_walk``, which finds the first problem in its own order.
    """
    if type(value) is not dict and type(value) is not list:
        return False
    keys: list[str] = []
    strings: list[str] = []
    stack = [(value, 0)]  # arrays and objects only
    while stack:
        item, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        if type(item) is dict:
            keys += item
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is str:
                strings.append(child)
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is int and big_ints and abs(child) > MAX_INT:
                return False
    strings += keys
    if max(map(len, strings), default=0) > MAX_STRING or (
        ascii_keys and not "".join(keys).isascii()
    ):
        return False
    try:
        "".join(strings).encode("utf-8")  # a lone surrogate anywhere fails this
    except UnicodeEncodeError:
        return False
    return True


def _check_walk(value: Any, file: str, kind: str, ascii_keys: bool) -> None:
    """``_walk``, skipped when ``_walk_ok`` says it would find nothing."""
    if not _walk_ok(value, ascii_keys, kind == "record"):
        _walk(value, file, kind, ascii_keys)


def parse_json(text: str, file: str = "input", kind: str = "json", ascii_keys: bool = False) -> Any:
    """Parse JSON strictly (spec 6.1, 15.8).

    Refused: duplicate keys, non-integer numbers, NaN, integers beyond 2^53 - 1, strings
    that are not valid Unicode, nesting deeper than 64 levels.
    """
    value, _digits = _loads(text, file, MAX_RECORD_DIGITS if kind == "record" else MAX_INPUT_DIGITS)
    _check_walk(value, file, kind, ascii_keys)
    return value


def _loads(text: str, file: str, limit: int) -> tuple[Any, int]:
    """Parse JSON with the hooks of ``parse_json``; return it and an integer's most digits."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) == len(items):
            return result
        result = {}  # a key appears twice: find the first repeat
        for key, item in items:
            if key in result:
                raise CannotVerify(f"key {key!r} appears twice in an object", "json", file)
            result[key] = item
        return result  # pragma: no cover - unreachable

    def no_float(number: str) -> Any:
        raise CannotVerify(f"number {number} is not an integer", "json", file)

    longest = 0

    def integer(digits: str) -> int:
        nonlocal longest
        size = len(digits.lstrip("-"))
        if size > limit:  # 2^53 - 1 has 16 digits
            raise CannotVerify(f"an integer of more than {limit} digits", "json", file)
        longest = max(longest, size)
        return int(digits)

    try:
        value = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_float=no_float,
            parse_constant=no_float,
            parse_int=integer,
        )
    except RecursionError as exc:
        raise CannotVerify("nested too deeply", "json", file) from exc
    except json.JSONDecodeError as exc:
        raise CannotVerify(
            f"{exc.msg} (line {exc.lineno}, column {exc.colno})", "json", file
        ) from exc
    return value, longest


def parse_toml(text: str, file: str) -> Any:
    """Parse a TOML input file (Python 3.11+); dates become ``YYYY-MM-DD`` strings."""
    try:
        import tomllib  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:  # Python 3.10
        raise CannotVerify(
            "TOML needs Python 3.11 or later; give the file as JSON", "input", file
        ) from exc
    import datetime

    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CannotVerify(str(exc), "input", file) from exc

    def plain(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        if isinstance(item, list):
            return [plain(v) for v in item]
        if type(item) is datetime.date:
            return item.isoformat()
        if isinstance(item, (float, datetime.date, datetime.time)):
            raise CannotVerify(f"value {item!r} is not allowed here", "input", file)
        return item

    value = plain(value)
    _check_walk(value, file, "input", False)
    return value


def load_json_file(path: str, kind: str = "record", stdin: Any = None) -> Any:
    """Read and strictly parse a JSON (or, for inputs, TOML) file."""
    text = read_text(path, stdin)
    if path.lower().endswith(".toml"):
        return parse_toml(text, path)
    return parse_json(text, path, kind, ascii_keys=(kind == "record"))


def _get(obj: Any, key: str, kinds: tuple[type, ...], path: str, file: str = "") -> Any:
    """Fetch a required field of an exact JSON type (exact, so true is not an integer)."""
    if not isinstance(obj, dict) or key not in obj:
        raise CannotVerify(f"{path}{key} is missing", "record", file)
    if type(obj[key]) not in kinds:
        names = " or ".join(_TYPE_NAMES[k] for k in kinds)
        raise CannotVerify(
            f"{path}{key} must be {names}, not {_json_type(obj[key])}", "record", file
        )
    return obj[key]


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "a boolean",
    list: "an array",
    dict: "an object",
    type(None): "null",
}


def _json_type(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _fields(obj: Any, expected: Iterable[str], path: str, file: str = "") -> dict[str, Any]:
    """Check that ``obj`` is an object with exactly the ``expected`` fields (closed sets)."""
    if not isinstance(obj, dict):
        raise CannotVerify(
            f"{path or 'the record'} must be an object, not {_json_type(obj)}", "record", file
        )
    wanted = set(expected)
    missing, extra = wanted - obj.keys(), obj.keys() - wanted
    if missing:
        raise CannotVerify(f"{path}{min(missing)} is missing", "record", file)
    if extra:
        raise CannotVerify(f"{path}{min(extra)} is not a field of this format", "record", file)
    return obj


def _list_of_objects(value: Any, path: str, file: str = "") -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CannotVerify(f"{path} must be an array of objects", "record", file)
    return value


# ============================================================ 3. primitives (spec 1-4, 6.1)
def _lp(data: bytes) -> bytes:
    """Length-prefix ``data`` (``u32be(len) || data``) so concatenations stay unambiguous."""
    return struct.pack(">I", len(data)) + data


def _sha(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def _label_problem(text: str) -> str | None:
    """Say why ``text`` is not a valid identifier or label (spec 1), or None if it is."""
    if not text:
        return "is empty"
    if text != text.strip():
        return "has leading or trailing whitespace"
    if text.isascii():  # fast path: printable ASCII is NFC and has no forbidden category
        return None if text.isprintable() else "contains a control character"
    for char in text:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES or (category == "Zs" and char != " "):
            return f"contains U+{ord(char):04X} (category {category})"
    return None if unicodedata.is_normalized("NFC", text) else "is not in Unicode NFC"


def _label(value: Any, path: str, kind: str = "record", file: str = "") -> str:
    """Return ``value`` if it is a label (spec 1); refuse the input otherwise."""
    if not isinstance(value, str):
        raise CannotVerify(f"{path} must be a string, not {_json_type(value)}", kind, file)
    problem = _label_problem(value)
    if problem:
        raise CannotVerify(f"{path} {value!r} {problem}", kind, file)
    return value


def _utf8_key(text: str) -> bytes:
    """Sort key: UTF-8 bytes (spec 5, 6.2), which is also code point order."""
    return text.encode("utf-8")


def _hex_bytes(text: Any, field: str, file: str = "") -> bytes:
    """Decode a lowercase hex field; anything else is malformed (spec notation: ``hex``)."""
    if not isinstance(text, str) or not _LOWER_HEX.fullmatch(text):
        raise CannotVerify(f"{field} is not lowercase hexadecimal", "record", file)
    return bytes.fromhex(text)


def _digest_field(value: Any, field: str, file: str = "", nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise CannotVerify(f"{field} must be a 64-digit lowercase hex digest", "record", file)
    return value


def _valid_date(text: Any) -> bool:
    """``YYYY-MM-DD``, a real calendar date."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        return False
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    if not (1 <= month <= 12 and year >= 1):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def _valid_timestamp(text: Any) -> bool:
    """``YYYY-MM-DDTHH:MM:SSZ`` (spec 6.2): a real calendar date and time."""
    if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text) or not _valid_date(text[:10]):
        return False
    return int(text[11:13]) < 24 and int(text[14:16]) < 60 and int(text[17:19]) < 60


def canonical_json(value: Any) -> bytes:
    r"""Return the canonical JSON of spec 6.1 (RFC 8785 restricted to strings, integers...).

    With these options json.dumps writes exactly that subset: keys sorted (they are ASCII,
    so code point order), no whitespace, short escapes, other controls as lowercase \\u00xx.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def record_digest(record: dict[str, Any]) -> str:
    """Compute ``record_digest`` (spec 6.3): SHA-256 of the canonical JSON without it."""
    body = {k: v for k, v in record.items() if k != "record_digest"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


# ---------------------------------------------------------------- seeds (spec 2)
SEED_FIELDS = ("value", "key", "sources", "secret", "commitment", "low_entropy_allowed")


def _canonical_values(sources: list[Any], file: str = "") -> list[list[str]]:
    """Validate the sources' values and return their canonical forms, sorted (spec 2.2)."""
    result = []
    for i, source in enumerate(sources):
        if not isinstance(source, dict) or set(source) != {"name", "values"}:
            raise CannotVerify(
                f"seed.sources[{i}] must be an object with name and values", "record", file
            )
        values = source["values"]
        if not isinstance(source["name"], str):
            raise CannotVerify(f"seed.sources[{i}].name must be a string", "record", file)
        if not isinstance(values, list) or not values:
            raise CannotVerify(f"seed.sources[{i}].values must be a non-empty list", "record", file)
        # fullmatch on an ASCII class: str.isdigit() would also accept "²" or "٣".
        if not all(isinstance(v, str) and _DIGITS.fullmatch(v) for v in values):
            raise CannotVerify(
                f"seed.sources[{i}].values must all be digit strings", "record", file
            )
        # Without leading zeros, numeric order is (length, text) order; this avoids int()
        # and its digit limit on long beacon values.
        result.append(sorted((v.lstrip("0") or "0" for v in values), key=lambda v: (len(v), v)))
    return result


def canonical_key(sources: list[dict[str, Any]]) -> str:
    """Build the RFC 3797 style key of spec 2.2 from sources in their announced order."""
    return "".join("".join(v + "." for v in values) + "/" for values in _canonical_values(sources))


def _weak_bytes(data: bytes) -> bool:
    """Entropy rule of spec 2.4 for raw seeds and secrets."""
    return len(data) < 16 or len(set(data)) < 8


def _check_seed(seed: Any, out: Findings, file: str = "", strict: bool = True) -> bytes:
    """Re-derive the seed value (spec 2.1-2.4); record differences; return the value.

    ``strict``: the seed of a record, held to the formats of spec 16.2 (canonical source
    values, the seed's shape). Material that breaks a rule of 2.3-2.4 is reported under
    ``seed`` and the value it gives is returned all the same (spec 16.4).
    """
    _fields(seed, SEED_FIELDS, "seed.", file)
    key, sources, secret, commitment, flag = (
        seed[k] for k in ("key", "sources", "secret", "commitment", "low_entropy_allowed")
    )
    if not isinstance(sources, list) or type(flag) is not bool:
        raise CannotVerify(
            "seed.sources must be an array and seed.low_entropy_allowed a boolean", "record", file
        )
    if strict:
        _check_seed_shape(seed, file)
    if not (key is None or isinstance(key, str)):
        raise CannotVerify("seed.key must be a string or null", "record", file)
    if commitment is not None:
        _digest_field(commitment, "seed.commitment", file)
    if sources:
        canonical = _canonical_values(sources, file)
        derived_key = "".join("".join(v + "." for v in vs) + "/" for vs in canonical)
        # 2.4: significant digits = all digits of the canonical values except the value "0";
        # for a seed from sources, the flag states this rule alone.
        weak = sum(len(v) for vs in canonical for v in vs if v != "0") < 20
        if secret is not None:
            secret_bytes = _hex_bytes(secret, "seed.secret", file)
            if _weak_bytes(secret_bytes):  # 2.4: secrets have no override
                out(
                    "seed.secret",
                    "breaks the rule of spec 2.4 (at least 16 bytes with 8 "
                    "distinct values; a secret has no override)",
                )
            expected = hashlib.sha256(b"randsample/v1/commitment\x00" + secret_bytes).hexdigest()
            if commitment is None:  # then the secret could have been chosen after the sources
                out("seed.commitment", "a secret is revealed but no commitment was published")
            elif commitment != expected:
                out("seed.commitment", f"record says {commitment}, the secret gives {expected}")
            derived_key += secret_bytes.hex() + "/"
        elif commitment is not None:
            out("seed.secret", "a commitment was published but the secret is not revealed")
        value = hashlib.sha256(derived_key.encode("ascii")).digest()
        if key != derived_key:
            out("seed.key", f"record says {key!r}, the sources give {derived_key!r}")
        if seed["value"] != value.hex():
            out("seed.value", f"record says {seed['value']!r}, the key gives {value.hex()!r}")
    else:  # raw seed (2.1): the value is the seed itself, nothing to derive
        for name in ("key", "secret", "commitment"):
            if seed[name] is not None:
                out(f"seed.{name}", "must be null for a raw seed")
        value = _hex_bytes(seed["value"], "seed.value", file)
        if not value:
            raise CannotVerify("seed.value is empty", "record", file)
        weak = _weak_bytes(value)
    if flag != weak:  # 2.4: the flag states a property of the material; it is re-derived
        out(
            "seed.low_entropy_allowed",
            f"record says {json.dumps(flag)}, the material gives {json.dumps(weak)}",
        )
    return value


def _check_seed_shape(seed: dict[str, Any], file: str) -> None:
    """Spec 16.2: canonical source values, labels as names, and the seed's shape."""
    sources, key, secret, commitment = (seed[k] for k in ("sources", "key", "secret", "commitment"))
    _hex_value(seed["value"], "seed.value", file)
    if not sources:
        if key is not None or secret is not None or commitment is not None:
            raise CannotVerify("a raw seed has null key, secret and commitment", "record", file)
        return
    for i, source in enumerate(sources):
        path = f"seed.sources[{i}]"
        _fields(source, ("name", "values"), path + ".", file)
        _label(source["name"], path + ".name", "record", file)
        values = source["values"]
        if not isinstance(values, list) or not values:
            raise CannotVerify(f"{path}.values must be a non-empty array", "record", file)
        for value in values:
            if not (isinstance(value, str) and _CANONICAL.fullmatch(value)):
                raise CannotVerify(
                    f"{path}.values: {value!r} is not a canonical value (0 or "
                    "digits without a leading zero, as a string)",
                    "record",
                    file,
                )
            if len(value) > MAX_SOURCE_DIGITS:
                raise CannotVerify(
                    f"{path}.values: more than {MAX_SOURCE_DIGITS} digits", "record", file
                )
    if not isinstance(key, str):
        raise CannotVerify("seed.key must be a string for a seed from sources", "record", file)
    if (secret is None) != (commitment is None):
        raise CannotVerify(
            "seed.secret and seed.commitment are both null or both given", "record", file
        )
    if secret is not None:
        _hex_value(secret, "seed.secret", file)


def _hex_value(value: Any, field: str, file: str) -> str:
    """Spec 16.2: lowercase hex, an even number of digits, non-empty."""
    if not isinstance(value, str) or not value or not _LOWER_HEX.fullmatch(value):
        raise CannotVerify(f"{field} is not non-empty lowercase hexadecimal", "record", file)
    return value


def seed_from_record(seed_obj: dict[str, Any]) -> bytes:
    """Return the seed value a ``seed`` object derives to (spec 2; values as given)."""
    return _check_seed(seed_obj, Findings(), strict=False)


def subkey(seed_value: bytes, purpose: str) -> bytes:
    """Compute the domain-separated 32-byte sub-key of spec 2.5."""
    tag = b"randsample/v1/subkey\x00"
    return hashlib.sha256(tag + _lp(purpose.encode("utf-8")) + _lp(seed_value)).digest()


def _check_subkey(
    record: dict[str, Any],
    seed_value: bytes,
    out: Findings,
    file: str = "",
    purpose: str | None = None,
) -> bytes:
    """Check ``purpose`` (a label; ``purpose`` if one is imposed) and ``subkey`` (spec 2.5)."""
    stated = _label(record.get("purpose"), "purpose", "record", file)
    if purpose is not None and stated != purpose:
        out("purpose", f"record says {stated!r}, this kind of record uses {purpose!r}")
    key = subkey(seed_value, purpose or stated)
    recorded = _digest_field(record.get("subkey"), "subkey", file)
    if recorded != key.hex():
        out("subkey", f"record says {recorded}, the seed and purpose give {key.hex()}")
    return key


# ---------------------------------------------------------------- tickets, populations (3, 4)
def ticket(subkey: bytes, unit_id: str) -> bytes:
    """Compute a ticket (spec 3): it depends only on the sub-key and the unit's own id."""
    return hashlib.sha256(subkey + _lp(unit_id.encode("utf-8"))).digest()


def _weight_bytes(weight: float | None) -> bytes:
    """Return the weight part of a population row (spec 4.2): 0x00, or 0x01 || binary64be."""
    if weight is None:
        return b"\x00"
    return b"\x01" + struct.pack(">d", 0.0 if weight == 0 else weight)  # -0.0 hashes as 0.0


def population_digest(rows: list[Row]) -> str:
    """Compute the population digest of spec 4.2 (rows may come in any order)."""
    parts = [b"randsample/v1/population\x00", struct.pack(">Q", len(rows))]
    for uid, stratum, eligible, weight in sorted(rows, key=lambda r: r[0].encode("utf-8")):
        parts += [_lp(uid.encode("utf-8")), _lp(stratum.encode("utf-8"))]
        parts.append(b"\x01" if eligible else b"\x00")
        parts.append(_weight_bytes(weight))
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _parse_weight(text: str) -> float | None:
    """Parse a CSV weight (4.3): empty, or a finite non-negative decimal; None if invalid."""
    # float() alone would also take "nan", "inf", "1_0" and surrounding spaces.
    if not _DECIMAL.fullmatch(text):
        return None
    weight = float(text)  # the nearest binary64
    return weight if math.isfinite(weight) else None


def _fraction_text(numerator: int, denominator: int) -> str:
    """Write a reduced fraction as records do (spec 5): ``0``, ``1`` or ``p/q``."""
    return str(Fraction(numerator, denominator))


# ============================================================ 4. population scan (spec 4.3)
Kind = tuple[str, bool, bytes, float | None, bytes, bytes]
# What a row says besides its id, kept once per distinct (stratum, eligible, weight): stratum,
# eligible, the row's bytes of 4.2 after lp(id) (lp(stratum) || flag || weight bytes, the
# "tail"), weight, lp(stratum), the weight's bytes.
Batch = tuple[list[bytes], list[Any], dict[Any, Kind], int]
# A batch of rows: their UTF-8 ids, their keys, kinds by key (at least the batch's keys), and
# the byte length of every id in the batch if they all have one (else 0).
_U32 = struct.Struct(">I")
_HEADER_LINE = ",".join(CSV_HEADER).encode("ascii")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_NOT_SEPARATORS = bytes(b for b in range(256) if b not in b",\n")


def _ignore(_data: Any) -> None:
    """Take bytes and do nothing with them (another process computes the digest)."""


class _ScanState:
    """What ``PopulationFile.batches()`` carries from one batch to the next."""

    __slots__ = (
        "count",
        "digest",
        "hashing",
        "id_lengths",
        "in_order",
        "keyed",
        "previous",
        "tail_lengths",
        "weighted",
    )

    def __init__(self, expected: int, hashing: bool = True) -> None:
        head = b"randsample/v1/population\x00" + struct.pack(">Q", max(0, expected))
        self.hashing = hashing  # False: another process computes the digest (_DigestProcess)
        self.digest = hashlib.sha256(head)  # fed while the rows come in id order
        self.previous = b""  # the last UTF-8 id hashed
        self.in_order = True
        self.keyed: list[bytes] = []  # UTF-8 id || tail of each row from the first out of order
        self.count = 0
        self.weighted: bool | None = None
        # The byte lengths of every id and every tail so far; None once a row was read
        # without them being noted (row by row).
        self.id_lengths: set[int] | None = set()
        self.tail_lengths: set[int] | None = set()


class PopulationFile:
    """A population file (spec 4.3), read as a stream.

    ``batches()`` validates every row, counts units per stratum and, while the rows arrive in
    id order, hashes them for the digest (4.2) on the way; the number of rows, which the
    digest's header needs first, is counted beforehand from the line ends. From the first
    row out of order on, rows are kept (as bytes) to be sorted, and the rows before it are
    read again (usually none or a few). Nothing else per unit is kept here; a draw keeps what
    its selection needs (section 5).

    Most files are plain: valid UTF-8 without a quote or a CR, so that each line is one row
    and its fields are split by the commas. Their lines are checked a block at a time with
    operations that run in C over the whole block (one Python step per row would cost more
    than the hashing); a block that any bulk check refuses is read again row by row by the
    csv module, which then finds the first bad row and gives the same message, with the same
    line number, as a file read row by row from the start. Other files are read row by row.
    """

    BLOCK = 1 << 18  # bytes of a plain file checked at a time
    BATCH = 1 << 13  # rows per batch when rows are read one at a time
    KINDS = 1 << 12  # past this many (a weight per unit), ``kinds`` is emptied between batches

    def __init__(self, path: str, stdin: Any = None, text: str | None = None) -> None:
        self.path = str(path)
        self._text = (
            text
            if text is not None
            else (read_text(self.path, stdin) if self.path == "-" else None)
        )
        self.units = 0
        self.strata_units: dict[str, int] = {}
        self.strata_eligible: dict[str, int] = {}
        self.has_weights: bool | None = None
        # Kinds by key: the key of a row is its bytes after the id's comma in a plain block,
        # else its (stratum, eligible, weight) fields. Valid for the batch being consumed.
        self.kinds: dict[Any, Kind] = {}
        self._labels: set[str] = set()  # strata whose label is valid (spec 1)
        self._digest: str | None = None
        self._kind_cache: dict[tuple[bytes, bytes, bytes], Kind] = {}  # by the three fields
        self._keyed: list[bytes] = []
        self._lengths: tuple[set[int] | None, set[int] | None] = (None, None)
        self._prefix = 0
        self._plain = False
        self.digest_process: _DigestProcess | None = None  # if one computes digest() (below)
        self._expected = self._count_rows()

    def _count_rows(self) -> int:
        """Count the data rows from the line ends (no valid field contains one, spec 1).

        On the way, see whether the file is plain (valid UTF-8, no quote, no CR).
        """
        if self._text is not None:
            text = self._text
            self._plain = '"' not in text and "\r" not in text
            return text.count("\n") + (0 if text.endswith("\n") else 1) - 1
        count, last, plain = 0, b"\n", True
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with open(self.path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    count += chunk.count(b"\n")
                    last = chunk[-1:]
                    if plain:
                        plain = b'"' not in chunk and b"\r" not in chunk
                        try:
                            decoder.decode(chunk)
                        except UnicodeDecodeError:
                            plain = False
        except OSError as exc:
            raise CannotVerify(exc.strerror or str(exc), "file", self.path) from exc
        try:
            decoder.decode(b"", True)  # a sequence cut short by the end of the file
        except UnicodeDecodeError:
            plain = False
        self._plain = plain
        return count + (0 if last == b"\n" else 1) - 1

    def _open(self) -> Any:
        if self._text is not None:
            return io.StringIO(self._text, newline="")
        try:
            return open(self.path, encoding="utf-8-sig", newline="")  # -sig drops a BOM
        except OSError as exc:
            raise CannotVerify(exc.strerror or str(exc), "file", self.path) from exc

    def _fail(self, line: int, detail: str) -> CannotVerify:
        return CannotVerify(f"line {line}: {detail}", "csv", self.path)

    def rows(self) -> Iterator[tuple[str, bytes, bytes, str, bytes, bool, bytes, float | None]]:
        """Validate and yield every row, one at a time (what ``batches()`` yields, unpacked).

        A row is (id, UTF-8 id, lp(id), stratum, lp(stratum), eligible, the weight's bytes of
        4.2, weight).
        """
        pack = _U32.pack
        for raws, keys, kinds, _width in self.batches():
            for raw, key in zip(raws, keys, strict=True):
                stratum, eligible, _tail, weight, lp_stratum, weight_bytes = kinds[key]
                uid = raw.decode("utf-8")
                lp_id = pack(len(raw)) + raw
                yield uid, raw, lp_id, stratum, lp_stratum, eligible, weight_bytes, weight

    def batches(self) -> Iterator[Batch]:
        """Validate every row and yield the rows in batches, in file order.

        A batch is (UTF-8 ids, keys, kinds, width): the key of a row finds the rest of it in
        ``kinds``; ``width`` is the byte length of every id of the batch when they all have
        one, else 0.
        """
        state = _ScanState(self._expected, hashing=self.digest_process is None)
        self.kinds.clear()
        self._kind_cache.clear()
        if self._plain:
            yield from self._plain_batches(state)
        else:
            yield from self._file_batches(state)
        self.units, self.has_weights = state.count, state.weighted
        self._lengths = (state.id_lengths, state.tail_lengths)
        if not state.hashing:
            pass  # the digest is another process's
        elif state.in_order and state.count == self._expected:
            self._digest = state.digest.hexdigest()
        elif state.in_order:  # line ends miscounted (a lone CR ends a line for csv): sort them all
            self._keyed, self._prefix = [], state.count
        else:
            self._keyed = state.keyed

    # ------------------------------------------------------------ any file, row by row
    def _file_batches(self, state: _ScanState) -> Iterator[Batch]:
        handle = self._open()
        reader = csv.reader(handle, strict=True)
        try:
            with handle:
                if next(reader, None) != CSV_HEADER:
                    raise self._fail(1, f"the header must be exactly {','.join(CSV_HEADER)}")
                yield from self._row_batches(reader, 0, state)
        except UnicodeDecodeError as exc:
            where = f"near line {reader.line_num + 1}: {exc.reason}"
            raise CannotVerify(where, "encoding", self.path) from exc
        except csv.Error as exc:
            raise self._fail(reader.line_num, str(exc)) from exc
        except OSError as exc:
            raise CannotVerify(exc.strerror or str(exc), "file", self.path) from exc

    def _row_batches(self, reader: Any, base: int, state: _ScanState) -> Iterator[Batch]:
        """Validate the rows ``reader`` gives one at a time; ``base`` lines come before them.

        The checks of a row come in the order of spec 4.3 (fields, stratum, id, eligible,
        weight, order), so the first problem of the first bad row is the one reported.
        """
        kinds, labels = self.kinds, self._labels
        units, eligible_counts = self.strata_units, self.strata_eligible
        update, keep = state.digest.update, state.keyed.append
        if not state.hashing:
            update = keep = _ignore
        previous, in_order, weighted = state.previous, state.in_order, state.weighted
        count = state.count
        state.id_lengths = state.tail_lengths = None  # not noted row by row
        pack = _U32.pack
        raws: list[bytes] = []
        keys: list[Any] = []
        for fields in reader:
            if len(fields) != 4:
                found = f"expected 4 fields, found {len(fields)}" if fields else "blank"
                raise self._fail(base + reader.line_num, found)
            uid, stratum, flag, text = fields
            key = (stratum, flag, text)
            kind = kinds.get(key)
            if kind is None and stratum not in labels:
                problem = _label_problem(stratum)
                if problem:
                    raise self._fail(base + reader.line_num, f"stratum {stratum!r} {problem}")
                labels.add(stratum)
            if not (
                uid.isascii() and uid.isprintable() and uid and uid[0] != " " and uid[-1] != " "
            ):
                problem = _label_problem(uid)
                if problem:
                    raise self._fail(base + reader.line_num, f"id {uid!r} {problem}")
            if kind is None:
                kind = kinds[key] = self._kind(stratum, flag, text, base + reader.line_num)
            if weighted is None:
                weighted = text != ""
            elif weighted != (text != ""):
                found = "weight must be empty in every row or in none"
                raise self._fail(base + reader.line_num, found)
            if stratum not in units:
                units[stratum] = eligible_counts[stratum] = 0
            units[stratum] += 1
            if kind[1]:
                eligible_counts[stratum] += 1
            count += 1
            raw = uid.encode("utf-8")
            if in_order:
                if raw > previous:
                    update(pack(len(raw)) + raw + kind[2])
                    previous = raw
                elif raw == previous:
                    raise self._fail(base + reader.line_num, f"id {uid!r} appears twice")
                else:
                    in_order = False
                    self._prefix = count - 1
            if not in_order:  # ids contain no U+0000 and a tail starts with one: id order
                keep(raw + kind[2])
            raws.append(raw)
            keys.append(key)
            if len(raws) == self.BATCH:
                state.previous, state.in_order, state.weighted = previous, in_order, weighted
                state.count = count
                yield raws, keys, {key: kinds[key] for key in set(keys)}, 0
                raws, keys = [], []
                if len(kinds) > self.KINDS:
                    kinds.clear()
        state.previous, state.in_order, state.weighted = previous, in_order, weighted
        state.count = count
        if raws:
            yield raws, keys, {key: kinds[key] for key in set(keys)}, 0

    def _kind(self, stratum: str, flag: str, text: str, line: int) -> Kind:
        """Check the eligible flag and the weight of a row (its stratum is checked)."""
        if flag == "1":
            eligible, flag_byte = True, b"\x01"
        elif flag == "0":
            eligible, flag_byte = False, b"\x00"
        else:
            raise self._fail(line, f"eligible must be 1 or 0, not {flag!r}")
        weight = None if text == "" else _parse_weight(text)
        if weight is None and text != "":
            raise self._fail(line, f"weight {text!r} is not a finite non-negative decimal")
        lp_stratum, weight_bytes = _lp(stratum.encode("utf-8")), _weight_bytes(weight)
        return (
            stratum,
            eligible,
            lp_stratum + flag_byte + weight_bytes,
            weight,
            lp_stratum,
            weight_bytes,
        )

    # ------------------------------------------------------------ plain files, a block at a time
    def _plain_blocks(self) -> Generator[tuple[bytes, int], None, None]:
        """Yield a plain file a block of whole lines at a time, with the number of lines.

        Every line of a block ends in a line end (one is added to a last line without).
        """
        try:
            with (
                io.BytesIO(self._text.encode("utf-8"))
                if self._text is not None
                else open(self.path, "rb")
            ) as handle:
                rest = b""
                first = self._text is None  # (read_text dropped the BOM of a text)
                for read in iter(lambda: handle.read(self.BLOCK), b""):
                    block = read.removeprefix(codecs.BOM_UTF8) if first else read  # as utf-8-sig
                    first = False
                    end = block.rfind(b"\n") + 1
                    if end:
                        whole = rest + block[:end]
                        rest = block[end:]
                        yield whole, whole.count(b"\n")
                    else:
                        rest += block
                if rest:  # a last line without a line end
                    yield rest + b"\n", 1
        except OSError as exc:
            raise CannotVerify(exc.strerror or str(exc), "file", self.path) from exc

    def _plain_batches(self, state: _ScanState) -> Iterator[Batch]:
        blocks = self._plain_blocks()
        first, first_lines = next(blocks, (b"\n", 1))
        end = first.index(b"\n")
        if first[:end] != _HEADER_LINE:  # nothing yielded yet: let the csv module say why
            blocks.close()
            yield from self._file_batches(state)
            return
        base = 1  # lines before the block: the header
        for block, lines in chain([(first[end + 1 :], first_lines - 1)], blocks):
            if len(self._kind_cache) > self.KINDS:
                self._kind_cache.clear()
            if not lines:
                continue
            batch = self._plain_batch(block, lines, state)
            if batch is not None:
                yield batch
            else:  # read the block again row by row: the csv module, the checks in order
                if len(self.kinds) > self.KINDS:
                    self.kinds.clear()
                reader = csv.reader(io.StringIO(block.decode("utf-8"), newline=""), strict=True)
                try:
                    yield from self._row_batches(reader, base, state)
                except csv.Error as exc:
                    raise self._fail(base + reader.line_num, str(exc)) from exc
            base += lines

    def _plain_batch(self, block: bytes, lines: int, state: _ScanState) -> Batch | None:
        """Check a block of whole lines in bulk and take its rows in; None if a check fails.

        Nothing is changed before every check has passed, so a block refused here can be
        read again row by row from the same state.
        """
        # Four fields in every line: three commas and a line end, once the rest is deleted.
        if block.translate(None, _NOT_SEPARATORS) != b",,,\n" * lines:
            return None
        fields = block.replace(b"\n", b",").split(b",")  # 4 per line and a last empty one
        raws, strata, flags, texts = fields[0:-1:4], fields[1::4], fields[2::4], fields[3::4]
        del fields
        # The ids (spec 1): all printable ASCII without a space at either end is the common
        # case; any other id is checked by itself. An empty id, or one past the csv
        # module's field limit, fails here too.
        lengths = set(map(len, raws))
        if min(lengths) == 0 or max(lengths) > MAX_CSV_FIELD:
            return None
        joined = b"".join(raws)
        if joined.translate(None, _PRINTABLE_ASCII):
            if any(map(_label_problem, [raw.decode("utf-8") for raw in raws])):
                return None
        elif b" " in joined:
            spaced = b"\n" + b"\n".join(raws) + b"\n"
            if b"\n " in spaced or b" \n" in spaced:
                return None
        del joined
        # The rest of each row: few distinct ones (one per stratum when every row has the
        # same flag and weight, the usual case), keyed by its stratum then, else by its three
        # fields.
        keys: list[Any]
        counts: collections.Counter[Any]
        parts: list[tuple[bytes, bytes, bytes]]
        if flags.count(flags[0]) == lines and texts.count(texts[0]) == lines:
            keys, flag, text = strata, flags[0], texts[0]
            counts = collections.Counter(strata)
            parts = [(stratum, flag, text) for stratum in counts]
        else:
            keys = list(zip(strata, flags, texts, strict=True))
            counts = collections.Counter(keys)
            parts = list(counts)
        kinds: dict[Any, Kind] = {}
        weighted = state.weighted
        for key, fields_ in zip(counts, parts, strict=True):
            kind = self._plain_kind(fields_)
            if kind is None:
                return None
            kinds[key] = kind
            if weighted is None:
                weighted = kind[3] is not None
            elif weighted != (kind[3] is not None):
                return None
        # Id order: hash the rows in order, keep the rest to sort; a repeat is refused row by row.
        start = 0  # rows before ``start`` are hashed now, the others kept to be sorted
        if state.in_order:
            previous = state.previous
            if previous < raws[0] and all(map(lt, raws, islice(raws, 1, None))):
                start = lines
            else:  # find the first row out of order (once per file)
                while raws[start] > previous:
                    previous = raws[start]
                    start += 1
                if raws[start] == previous:
                    return None
        # Every check has passed: take the rows in.
        width = next(iter(lengths)) if len(lengths) == 1 else 0
        tails = {key: kind[2] for key, kind in kinds.items()}
        if start and state.hashing:
            head_raws = raws if start == lines else raws[:start]
            head_keys = keys if start == lines else keys[:start]
            if width:  # lp(id) is the same 4 bytes in every row: put it after each tail
                lp_id = _U32.pack(width)
                after = {key: tail + lp_id for key, tail in tails.items()}
                hashed = b"".join(map(add, head_raws, map(after.get, head_keys)))
                state.digest.update(lp_id)
                state.digest.update(memoryview(hashed)[:-4])
            else:
                lp_ids = map(add, map(_U32.pack, map(len, head_raws)), head_raws)
                state.digest.update(b"".join(map(add, lp_ids, map(tails.get, head_keys))))
        if start:
            state.previous = raws[start - 1]
        if start < lines:
            if state.in_order:
                state.in_order = False
                self._prefix = state.count + start
            if state.hashing:
                tails_of = map(tails.get, islice(keys, start, None))
                state.keyed.extend(map(add, islice(raws, start, None), tails_of))
        if state.id_lengths is not None and state.tail_lengths is not None:
            state.id_lengths |= lengths
            state.tail_lengths.update(map(len, tails.values()))
        units, eligible_counts = self.strata_units, self.strata_eligible
        for key, number in counts.items():
            stratum, eligible = kinds[key][:2]
            if stratum not in units:
                units[stratum] = eligible_counts[stratum] = 0
            units[stratum] += number
            if eligible:
                eligible_counts[stratum] += number
        state.count += lines
        state.weighted = weighted
        return raws, keys, kinds, width

    def _plain_kind(self, fields: tuple[bytes, bytes, bytes]) -> Kind | None:
        """Return the kind of a row from its stratum, flag and weight; None if not valid."""
        kind = self._kind_cache.get(fields)
        if kind is not None:
            return kind
        if max(map(len, fields)) > MAX_CSV_FIELD:  # the csv module's field limit
            return None
        stratum, flag, text = (field.decode("utf-8") for field in fields)
        if stratum not in self._labels:
            if _label_problem(stratum):
                return None
            self._labels.add(stratum)
        try:
            kind = self._kind(stratum, flag, text, 0)
        except CannotVerify:
            return None
        self._kind_cache[fields] = kind
        return kind

    def facts(self, ids: set[str]) -> dict[str, tuple[str, bool]]:
        """Return the (stratum, eligible) of the rows with these ids.

        ``batches()`` has checked the file already.
        """
        found: dict[str, tuple[str, bool]] = {}
        handle = self._open()
        with handle:
            reader = csv.reader(handle, strict=True)
            next(reader)
            for uid, stratum, flag, _text in reader:
                if uid in ids:
                    found[uid] = (stratum, flag == "1")
        return found

    # ------------------------------------------------------------ the digest
    def digest(self) -> str:
        """Return the population digest (spec 4.2); call once ``rows()`` has been consumed."""
        if self._digest is None:
            if self.digest_process is not None:
                self._digest = self.digest_process.result()
            else:
                self._digest = self._sorted_digest()
        return self._digest

    def _sorted_digest(self) -> str:
        """Sort the kept rows with the rows before them, refuse repeats, hash (4.2).

        After the sort the rows lie scattered in memory, so every pass over them costs a
        cache miss per row: when all ids have one length and all rows one size (USCC ids,
        one weight form) one join gives the bytes to hash, and the ids are cut from those.
        """
        keyed = self._keyed
        self._keyed = []
        keyed += self._first_rows(self._prefix)
        id_lengths, tail_lengths = self._lengths  # noted during the scan, if they were
        if id_lengths is None or tail_lengths is None:
            # Taken before the sort, while the rows still lie in the order they were made.
            id_lengths = set(map(bytes.index, keyed, repeat(0)))  # a tail starts with 0x00
            sizes = set(map(len, keyed))
        else:
            sizes = {width + tail for width in id_lengths for tail in tail_lengths}
        keyed.sort()
        digest = hashlib.sha256(b"randsample/v1/population\x00" + struct.pack(">Q", len(keyed)))
        fixed = len(id_lengths) == 1 == len(sizes)
        width, size = min(id_lengths, default=0), min(sizes, default=0)
        previous = None
        step = 1 << 16
        for start in range(0, len(keyed), step):  # a slice at a time, in C within each
            part = keyed[start : start + step]
            if fixed:  # one join; the ids are then cut from contiguous bytes
                lp_id = _U32.pack(width)
                block = lp_id + lp_id.join(part)  # lp(id) || id || tail, row after row
                ids = [block[at : at + width] for at in range(4, len(block), 4 + size)]
            else:
                ends = list(map(bytes.index, part, repeat(0)))
                ids = [item[:end] for item, end in zip(part, ends, strict=True)]
                block = b"".join(map(add, map(_U32.pack, ends), part))
            if ids[0] == previous or any(map(eq, ids, islice(ids, 1, None))):
                twice = ids[0] if ids[0] == previous else next(compress(ids, map(eq, ids, ids[1:])))
                raise CannotVerify(f"id {twice.decode('utf-8')!r} appears twice", "csv", self.path)
            previous = ids[-1]
            digest.update(block)
        return digest.hexdigest()

    def _first_rows(self, count: int) -> list[bytes]:
        """Read the first ``count`` rows again, as sortable bytes (``rows()`` checked them)."""
        keyed: list[bytes] = []
        if count == 0:
            return keyed
        tails: dict[tuple[str, str, str], bytes] = {}
        handle = self._open()
        with handle:
            reader = csv.reader(handle, strict=True)
            next(reader)
            for uid, stratum, flag, text in reader:
                tail = tails.get((stratum, flag, text))
                if tail is None:
                    tail = tails[stratum, flag, text] = self._kind(stratum, flag, text, 0)[2]
                keyed.append(uid.encode("utf-8") + tail)
                if len(keyed) == count:
                    break
        return keyed


# ------------------------------------------------------------ the digest in a second process
# The population digest (4.2: when the file is not in id order, a sort of every row) and the
# tickets need nothing from each other, so with a second core they are computed at once: a
# child process (fork) reads and checks the file by itself and computes its digest exactly
# as ``PopulationFile.digest()`` does, while this process reads the other inputs, checks
# every row and draws, without keeping or hashing the rows. Only the digest, or the error
# the child met, comes back (pickled, through a pipe), and ``digest()`` returns or raises it
# then, where it would have been computed, so the output is the same either way; a child
# that dies is an error, never a reason to compute the digest here instead. This is speed
# only: with ``PARALLEL = False``, or where it does not pay, one process does it all.
PARALLEL: bool | None = None  # None: where _digest_process_pays; True / False: always / never
PARALLEL_BYTES = 1 << 21  # below this file size (~90k rows), a process saves little


def _digest_process_pays(path: str) -> bool:
    """Whether to compute the digest of the population file ``path`` in a second process.

    Where ``fork`` exists (not on Windows; not on macOS, where it is unsafe), with two cores
    or more for this process, while it runs a single thread (a fork copies only the
    calling thread), for a file of ``PARALLEL_BYTES`` or more.
    """
    if PARALLEL is not None:
        return PARALLEL
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    try:
        if os.path.getsize(path) < PARALLEL_BYTES:
            return False
    except OSError:  # reading the file will say why
        return False
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        threads = threading.active_count()
    return cores >= 2 and threads == 1


class _DigestProcess:
    """A child process computing the digest of the population file at ``path``."""

    def __init__(self, path: str) -> None:
        read, write = os.pipe()
        # Ctrl-C and SIGTERM are held back across the fork: delivered in the child before it
        # reaches its own code, they would unwind it into this process's callers. The child
        # keeps them blocked (it is stopped with SIGKILL when its answer is not wanted).
        held = {signal.SIGINT, signal.SIGTERM}
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            pid = os.fork()
        except OSError:  # a process limit, no memory: no second process
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: sends its answer and exits, never returns
            try:
                os.close(read)
                # It prints nothing, and must not keep the caller's terminal or pipes open
                # should this process be killed while it works.
                quiet = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(quiet, fd)
                with open(write, "wb") as pipe:
                    pipe.write(pickle.dumps(self._answer(path)))
            finally:
                os._exit(0)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(write)
        self.path = path
        self.pid: int | None = pid  # None once the child has been waited for
        self._pipe = read  # -1 once closed

    @staticmethod
    def _answer(path: str) -> tuple[Any, ...]:
        """In the child: what ``digest()`` gives, or the error it raises, as plain values."""
        try:
            population = PopulationFile(path)
            for _batch in population.batches():
                pass
            return ("digest", population.digest())
        except CannotVerify as exc:
            return ("refused", exc.detail, exc.kind, exc.file)
        except BaseException as exc:  # a bug: raised there as it would be here
            try:
                pickle.loads(pickle.dumps(exc))  # noqa: S301 - checks that it can cross
            except Exception:  # its text, as main() would show it
                detail = f"unexpected {type(exc).__name__}: {exc} (please report this)"
                return ("refused", detail, "other", "")
            return ("raised", exc)

    def result(self) -> str:
        """Wait for the child; return its digest or raise the error it met (call once)."""
        assert self.pid is not None
        pipe_fd, self._pipe = self._pipe, -1  # closed below even if the wait is interrupted
        with open(pipe_fd, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            answer = pickle.loads(data) if data else None  # noqa: S301 - our own child's
        except (pickle.UnpicklingError, EOFError, ValueError):  # cut short
            answer = None
        if answer is None:  # it died (killed, out of memory): say so, no silent fallback
            code = os.waitstatus_to_exitcode(status)
            how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
            raise CannotVerify(
                f"the process computing the population digest ended without a result ({how})",
                "other",
            )
        if answer[0] == "refused":
            raise CannotVerify(*answer[1:])
        if answer[0] == "raised":
            raise answer[1]
        return str(answer[1])

    def stop(self) -> None:
        """Stop the child if its digest was not asked for (an error came first)."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self._pipe >= 0:
            os.close(self._pipe)
            self._pipe = -1


def read_population_csv(path: str | os.PathLike[str]) -> list[Row]:
    """Read and validate a whole population file into rows (spec 4.3).

    For small files and tests; the verifier itself streams the file (``PopulationFile``).
    """
    population = PopulationFile(str(path))
    rows = [
        (uid, stratum, eligible, weight)
        for uid, _r, _l, stratum, _s, eligible, _b, weight in population.rows()
    ]
    population.digest()  # refuses repeated ids in a file that is not in id order
    return rows


# ============================================================ 5. draw algorithms (5, 5b, 12, 14.3)
Candidate = tuple[bytes, bytes]  # (ticket, UTF-8 id): ticket order, ties by id bytes (spec 3)


_ABOVE_ALL = b"\xff" * 33  # above every ticket


class _Pool:
    """The ``need`` smallest (ticket, id) of a stratum, kept while the tickets stream by.

    Tickets above the current threshold are not even stored (spec 5 step 3 by selection).
    A candidate is kept as the bytes ticket || id: tickets have one length (32 bytes), so
    these bytes sort as the pairs do, and more cheaply.
    """

    __slots__ = ("items", "limit", "need", "threshold")

    def __init__(self, need: int) -> None:
        self.items: list[bytes] = []
        self.need = need
        self.limit = 2 * need + 256
        self.threshold: bytes | None = None

    def add(self, item: Candidate) -> None:
        self.items.append(item[0] + item[1])
        if len(self.items) >= self.limit:
            self.trim()

    def trim(self) -> None:
        """Keep the ``need`` smallest; the threshold becomes the largest ticket kept."""
        self.items.sort()
        del self.items[self.need :]
        self.threshold = self.items[-1][:32]

    def smallest(self) -> list[Candidate]:
        self.items.sort()
        del self.items[self.need :]
        return [(item[:32], item[32:]) for item in self.items]


class DrawScan:
    """What a draw needs from one pass over the population.

    Per stratum, the ``need`` smallest tickets of its eligible units (equal-probability
    designs) or every eligible unit's (ticket, id, weight) (πps designs), and the stratum
    and eligibility of the ids in ``wanted`` (those the record names, to explain a
    difference).
    """

    def __init__(
        self, need: dict[str, int], keep_all: Iterable[str] = (), wanted: Iterable[str] = ()
    ) -> None:
        self.pools = {h: _Pool(n) for h, n in need.items() if n > 0}
        self.all: dict[str, list[tuple[bytes, bytes, float | None]]] = {h: [] for h in keep_all}
        self.wanted = set(wanted)
        self.facts: dict[str, tuple[str, bool]] = {}

    def run(self, rows: Iterable[tuple[Any, ...]], key: bytes) -> DrawScan:
        """Consume ``PopulationFile.rows()`` computing v1 tickets (spec 3) under ``key``."""
        pools, everything, wanted, facts = self.pools, self.all, self.wanted, self.facts
        keyed = hashlib.sha256(key)  # copying a fed hasher is cheaper than a new one per unit
        for uid, raw, lp_id, stratum, _ls, eligible, _wb, weight in rows:
            if eligible:
                pool = pools.get(stratum)
                if pool is not None:
                    hasher = keyed.copy()
                    hasher.update(lp_id)
                    tick = hasher.digest()
                    if pool.threshold is None or tick <= pool.threshold:
                        pool.add((tick, raw))
                kept = everything.get(stratum)
                if kept is not None:
                    hasher = keyed.copy()
                    hasher.update(lp_id)
                    kept.append((hasher.digest(), raw, weight))
            if uid in wanted:
                facts[uid] = (stratum, eligible)
        return self

    def run_file(self, population: PopulationFile, key: bytes) -> DrawScan:
        """``run`` on a population file, a batch of rows at a time (the same result).

        Only the rows that get a ticket (eligible, in a stratum drawn) are hashed, in one
        Python loop per batch; when every id of a batch has one length, lp(id) starts with
        the same 4 bytes in every row, so the hasher is fed the key and those once and
        copied. The tickets are then compared with their stratum's threshold in C, and only
        those below it reach a pool. The ids the record names are looked up only if the
        selections differ (``_FileFacts``).
        """
        pools, everything = self.pools, self.all
        drawn = set(pools) | set(everything)
        keyed = hashlib.sha256(key)
        copies: dict[int, Any] = {}  # id length -> copy of a hasher fed key || the 4 bytes
        pack = _U32.pack
        self.facts = _FileFacts(population, self.wanted)  # type: ignore[assignment]
        for raws, keys, kinds, width in population.batches():
            strata = {k: kind[0] for k, kind in kinds.items() if kind[1] and kind[0] in drawn}
            if not strata:
                continue
            chosen_raws, chosen_keys = raws, keys  # the rows given a ticket
            if len(strata) < len(kinds):
                mask = list(map(strata.__contains__, keys))
                chosen_raws, chosen_keys = list(compress(raws, mask)), list(compress(keys, mask))
            tickets: list[bytes] = []
            append = tickets.append
            if width:
                copy = copies.get(width)
                if copy is None:
                    copy = copies[width] = hashlib.sha256(key + pack(width)).copy
                for raw in chosen_raws:
                    hasher = copy()
                    hasher.update(raw)
                    append(hasher.digest())
            else:
                copy = keyed.copy
                for raw in chosen_raws:
                    hasher = copy()
                    hasher.update(pack(len(raw)))
                    hasher.update(raw)
                    append(hasher.digest())
            if pools:  # a ticket above its stratum's threshold (b"": no pool) goes nowhere
                limits = {}
                for k, h in strata.items():
                    pool = pools.get(h)
                    limits[k] = b"" if pool is None else pool.threshold or _ABOVE_ALL
                below = list(map(ge, map(limits.__getitem__, chosen_keys), tickets))
                if any(below):
                    chosen = zip(tickets, chosen_raws, chosen_keys, strict=True)
                    items = {k: pools[h].items for k, h in strata.items() if h in pools}
                    for tick, raw, k in compress(chosen, below):
                        items[k].append(tick + raw)
                    for h in set(strata.values()):
                        pool = pools.get(h)
                        if pool is not None and len(pool.items) >= pool.limit:
                            pool.trim()
            if everything:
                for h, kept in everything.items():
                    members = [k for k, stratum in strata.items() if stratum == h]
                    if not members:
                        continue
                    if len(members) == len(strata):
                        mask = [True] * len(chosen_keys)
                    elif len(members) == 1:
                        mask = list(map(eq, chosen_keys, repeat(members[0])))
                    else:
                        mask = list(map(set(members).__contains__, chosen_keys))
                    weights = map({k: kinds[k][3] for k in strata}.__getitem__, chosen_keys)
                    kept.extend(compress(zip(tickets, chosen_raws, weights, strict=True), mask))
        return self


class _FileFacts:
    """The stratum and eligibility of the ids a record names, as ``DrawScan.facts``.

    Only a record whose selection differs from the re-derived one asks (to say why a unit is
    not selected), so the file is read for them then, in a second pass, rather than every
    row's id looked up on every verification.
    """

    def __init__(self, population: PopulationFile, wanted: set[str]) -> None:
        self.population, self.wanted = population, wanted
        self.facts: dict[str, tuple[str, bool]] | None = None

    def get(self, uid: str) -> tuple[str, bool] | None:
        if self.facts is None:
            self.facts = self.population.facts(self.wanted)
        return self.facts.get(uid)


def _rows_of(rows: Iterable[Row]) -> Iterator[tuple[Any, ...]]:
    """In-memory rows in the shape ``PopulationFile.rows()`` yields."""
    for uid, stratum, eligible, weight in rows:
        raw = uid.encode("utf-8")
        yield uid, raw, _lp(raw), stratum, None, eligible, None, weight


def pips_probabilities(weights: list[float], size: int) -> tuple[list[int], int]:
    """Return the capped πps inclusion probabilities of spec 5b step 4, exactly.

    They are numerators over one common denominator. Raises ValueError when fewer than
    ``size`` weights are positive.
    """
    ratios = [w.as_integer_ratio() for w in weights]  # binary64 values are dyadic rationals
    scale = max((den for _num, den in ratios), default=1)
    x = [num * (scale // den) for num, den in ratios]  # integers proportional to the weights
    if sum(1 for v in x if v > 0) < size:
        raise ValueError(f"fewer than {size} units have a positive weight")
    certain = [False] * len(x)
    count, total = 0, 0
    while True:
        room = size - count
        total = sum(v for v, sure in zip(x, certain, strict=True) if not sure)
        if total == 0:
            break
        new = [k for k, v in enumerate(x) if not certain[k] and room * v >= total]
        if not new:
            break
        for k in new:
            certain[k] = True
        count += len(new)
    room = size - count
    if total == 0:
        return [1 if sure else 0 for sure in certain], 1
    return [total if sure else room * v for v, sure in zip(x, certain, strict=True)], total


def systematic_positions(
    numerators: list[int], denominator: int, key: bytes, stratum: str
) -> list[int]:
    """Randomized systematic selection (spec 5b steps 5-6): 0-based positions selected."""
    tag = b"randsample/v1/systematic-start\x00"
    start = int.from_bytes(_sha(tag, key, _lp(stratum.encode("utf-8"))), "big")
    scale = denominator << 256
    offset = start * denominator
    chosen, cumulative, before = [], 0, 0  # ceil(C_0 - u) = ceil(-u) = 0
    for j, numerator in enumerate(numerators):
        cumulative += numerator
        now = -((offset - (cumulative << 256)) // scale)  # ceil(C_j - u), exactly
        if now > before:
            chosen.append(j)
        before = now
    return chosen


class Stream:
    """The random stream of spec 9, with ``below`` of spec 12 step 7."""

    def __init__(self, key: bytes, label: str) -> None:
        self.prefix = b"randsample/v1/stream\x00" + key + _lp(label.encode("utf-8"))
        self.blocks = 0

    def block(self) -> int:
        """Return the next 256-bit block as an integer (each block is used once)."""
        value = hashlib.sha256(self.prefix + struct.pack(">Q", self.blocks)).digest()
        self.blocks += 1
        return int.from_bytes(value, "big")

    def below(self, m: int) -> int:
        """Return a uniform integer in [0, m): ``randbelow`` up to 2^256, wider blocks beyond."""
        width = max(1, -(-(m - 1).bit_length() // 256))
        limit = m * ((1 << (256 * width)) // m)
        while True:
            value = 0
            for _ in range(width):
                value = (value << 256) | self.block()
            if value < limit:
                return value % m


class SampfordFailed(ValueError):  # noqa: N818
    """A stratum reached 2^20 trials without an accepted round (spec 12 step 9)."""


def sampford_rounds(pik: list[Fraction], key: bytes, label: str) -> tuple[list[int], int, int]:
    """Run steps 6-8 of spec 12 on the list L (probabilities in (0, 1), in ticket order).

    Return the accepted 0-based positions ascending, the trials T and the blocks used.
    """
    denominator = 1
    for p in pik:
        denominator = denominator * p.denominator // math.gcd(denominator, p.denominator)
    weights = [p.numerator * (denominator // p.denominator) for p in pik]
    return _sampford(weights, denominator, sum(weights) // denominator, key, label)


def _sampford(
    a: list[int], d: int, size: int, key: bytes, label: str
) -> tuple[list[int], int, int]:
    stream = Stream(key, label)
    bounds = list(_cumulative(a))  # A_1 .. A_|L|
    total, a_max, trials = size * d, max(a), 0

    def trial() -> int:
        nonlocal trials
        if trials == SAMPFORD_MAX_TRIALS:
            raise SampfordFailed(f"no round accepted in {SAMPFORD_MAX_TRIALS} trials")
        trials += 1
        return bisect.bisect_right(bounds, stream.below(total))  # cell(r), 0-based

    while True:  # a round (8.1-8.3)
        chosen = [trial()]
        taken = set(chosen)
        while len(chosen) < size:
            j = trial()
            if stream.below(d - a[j]) >= d - a_max:
                continue  # candidate rejected; the trial still counts
            if j in taken:
                break  # round rejected: a new round starts, the stream goes on
            chosen.append(j)
            taken.add(j)
        else:
            return sorted(chosen), trials, stream.blocks


def _cumulative(values: list[int]) -> Iterator[int]:
    total = 0
    for v in values:
        total += v
        yield total


def sampford_positions(
    numerators: list[int], denominator: int, key: bytes, stratum: str
) -> list[int]:
    """Run spec 12 steps 5-8 on a stratum's eligible units in ticket order.

    Probabilities are numerators over ``denominator``; return the 0-based positions
    selected, certainty units included.
    """
    chosen = [j for j, p in enumerate(numerators) if p == denominator]
    middle = [j for j, p in enumerate(numerators) if 0 < p < denominator]
    if not middle:
        return chosen
    common = denominator
    for j in middle:
        common = math.gcd(common, numerators[j])
    d = denominator // common  # lcm of the reduced denominators (they all divide it)
    a = [numerators[j] // common for j in middle]
    accepted, _trials, _blocks = _sampford(a, d, sum(a) // d, key, "sampford/" + stratum)
    return sorted(chosen + [middle[i] for i in accepted])


def stratum_selection(
    algorithm: str, stratum: str, size: int, units: list[Any], key: bytes
) -> list[tuple[bytes, bytes, str]]:
    """Select ``size`` units of one stratum by a πps design (5b, 12).

    ``units`` are its eligible (ticket, id, weight) in ticket order. Return
    (ticket, UTF-8 id, inclusion probability) of the selected units in ticket order.
    """
    if algorithm in (SRSWOR, SALTED):
        raise AssertionError("equal-probability strata are selected in draw_selection")
    numerators, denominator = pips_probabilities([u[2] for u in units], size)
    if algorithm == SYSTEMATIC:
        positions = systematic_positions(numerators, denominator, key, stratum)
    else:
        positions = sampford_positions(numerators, denominator, key, stratum)
    return [
        (units[j][0], units[j][1], _fraction_text(numerators[j], denominator)) for j in positions
    ]


def draw_selection(
    algorithm: str, sizes: dict[str, int], eligible: dict[str, int], scan: DrawScan, key: bytes
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Run a draw (spec 5, 5b or 12) from a scan.

    Return the selection entries of the record (sorted by stratum then rank) and, per
    stratum, why it could not be drawn.
    """
    entries: list[dict[str, Any]] = []
    failed: dict[str, str] = {}
    for stratum in sorted(sizes, key=_utf8_key):
        size = sizes[stratum]
        if size <= 0:
            continue
        if algorithm == SRSWOR:
            fraction = _fraction_text(size, eligible.get(stratum, 0) or 1)
            picked = [(t, raw, fraction) for t, raw in scan.pools[stratum].smallest()[:size]]
        else:
            units = sorted(scan.all.get(stratum, []), key=lambda u: (u[0], u[1]))
            try:
                picked = stratum_selection(algorithm, stratum, size, units, key)
            except ValueError as exc:  # too few positive weights; Sampford's trial bound
                failed[stratum] = str(exc)
                continue
        entries += [
            {
                "id": raw.decode("utf-8"),
                "stratum": stratum,
                "rank": rank,
                "ticket": t.hex(),
                "inclusion_probability": probability,
            }
            for rank, (t, raw, probability) in enumerate(picked, start=1)
        ]
    return entries, failed


def select(
    rows: list[Row], sizes: dict[str, int], subkey: bytes, algorithm: str = SRSWOR
) -> list[dict[str, Any]]:
    """Run ``algorithm`` v1 on in-memory rows (spec 5, 5b, 12).

    Return the selection entries of the record. Raises ValueError when the sizes are not
    feasible.
    """
    eligible: dict[str, int] = {}
    for _uid, stratum, is_eligible, _weight in rows:
        eligible[stratum] = eligible.get(stratum, 0) + (1 if is_eligible else 0)
    if set(eligible) - sizes.keys():
        raise ValueError(f"no sample size for strata {sorted(set(eligible) - sizes.keys())}")
    for stratum, size in sizes.items():
        if not 0 <= size <= eligible.get(stratum, 0):
            raise ValueError(f"sample size {size} is not feasible for stratum {stratum!r}")
    pips = algorithm != SRSWOR
    scan = DrawScan({} if pips else sizes, sizes if pips else (), ()).run(_rows_of(rows), subkey)
    entries, failed = draw_selection(algorithm, sizes, eligible, scan, subkey)
    if failed:
        raise ValueError("; ".join(f"stratum {h!r}: {why}" for h, why in failed.items()))
    return entries


# ============================================================ 6. draw records (6, 10, 14.5)
DRAW_FIELDS = (
    "record_format",
    "algorithm",
    "library",
    "authority",
    "draw_id",
    "timestamp",
    "previous_record_digest",
    "seed",
    "purpose",
    "subkey",
    "population",
    "design",
    "selection",
    "record_digest",
)
SELECTION_FIELDS = ("id", "stratum", "rank", "ticket", "inclusion_probability")


def _check_common(
    record: dict[str, Any], fields: Iterable[str], file: str, labels: Iterable[str] = ("authority",)
) -> None:
    """Check the closed field set, labels, timestamp and links of a sealed record (6.1-6.3)."""
    _fields(record, fields, "", file)
    for name in labels:
        _label(record[name], name, "record", file)
    if not _valid_timestamp(record["timestamp"]):
        raise CannotVerify(
            f"timestamp {record['timestamp']!r} is not YYYY-MM-DDTHH:MM:SSZ "
            "(a real UTC date and time)",
            "record",
            file,
        )
    _digest_field(record["previous_record_digest"], "previous_record_digest", file, True)
    _digest_field(record["record_digest"], "record_digest", file)
    if "library" in record:
        library = _fields(record["library"], ("name", "version"), "library.", file)
        if library["name"] != "randsample":
            raise CannotVerify("library.name must be randsample", "record", file)
        version = library["version"]
        if not (isinstance(version, str) and _PEP440.fullmatch(version)):
            raise CannotVerify(
                f"library.version {version!r} is not a normalized PEP 440 version", "record", file
            )


def _count(obj: dict[str, Any], name: str, path: str, file: str, minimum: int = 0) -> int:
    """Spec 16.2: an integer (never a boolean) of at least ``minimum``."""
    value = _get(obj, name, (int,), path, file)
    if value < minimum:
        raise CannotVerify(f"{path}{name} must be at least {minimum}, not {value}", "record", file)
    return int(value)


def _probability(value: Any, field: str, file: str) -> str:
    """Check a probability (spec 16.2): ``1`` or a reduced ``p/q`` with 0 < p < q.

    An inclusion or reach probability is never ``0``.
    """
    if not isinstance(value, str) or not _FRACTION.fullmatch(value) or value == "0":
        raise CannotVerify(f"{field} {value!r} is not a probability 1 or p/q", "record", file)
    if "/" in value:
        p, q = (int(part) for part in value.split("/"))
        if not p < q or math.gcd(p, q) != 1:
            raise CannotVerify(f"{field} {value!r} is not a reduced p/q below 1", "record", file)
    return value


def _check_algorithm(record: dict[str, Any], known: Iterable[str], file: str) -> str:
    algorithm = _fields(record["algorithm"], ("name", "version"), "algorithm.", file)
    name, version = algorithm["name"], algorithm["version"]
    if name not in known or type(version) is not int or version != 1:
        raise CannotVerify(
            f"algorithm {name!r} version {version!r}; this verifier knows "
            + ", ".join(f"{k} version 1" for k in known),
            "unsupported",
            file,
        )
    return str(name)


def check_seal(record: dict[str, Any], out: Findings) -> str:
    """6.4 step 1: the stored digest is the digest of the content; return the latter."""
    digest = record_digest(record)
    if record["record_digest"] != digest:
        out(
            "record_digest",
            f"record says {record['record_digest']}, its content hashes to "
            f"{digest}: the record was edited after it was sealed",
        )
    return digest


def check_chain(record: dict[str, Any], previous: dict[str, Any], out: Findings) -> None:
    """6.4 step 7: the link to the authority's previous record (of any kind)."""
    digest = record_digest(previous)  # recomputed: the previous file's own field could lie
    if previous["record_digest"] != digest:
        out(
            "previous.record_digest",
            "the previous record itself was edited after sealing "
            f"(it says {previous['record_digest']}, its content hashes to {digest})",
        )
    if record["previous_record_digest"] != digest:
        out(
            "previous_record_digest",
            f"record says {record['previous_record_digest']}, the "
            f"previous record's digest is {digest}",
        )
    if previous["authority"] != record["authority"]:
        out(
            "authority",
            f"{record['authority']!r} differs from the previous record's {previous['authority']!r}",
        )
    if record["timestamp"] < previous["timestamp"]:  # fixed-width UTC: text order is time
        out(
            "timestamp",
            f"{record['timestamp']} is earlier than the previous record's {previous['timestamp']}",
        )


def check_previous_shape(previous: Any, file: str) -> dict[str, Any]:
    """Check a previous record: any sealed record with an authority and a timestamp."""
    if not isinstance(previous, dict) or not isinstance(previous.get("record_format"), str):
        raise CannotVerify("the previous record must be a sealed record", "record", file)
    _label(previous.get("authority"), "authority", "record", file)
    if not _valid_timestamp(previous.get("timestamp")):
        raise CannotVerify("the previous record has no valid timestamp", "record", file)
    _digest_field(previous.get("record_digest"), "record_digest", file)
    return previous


def _read_design(
    record: dict[str, Any], salted: bool, file: str
) -> list[tuple[str, dict[str, Any]]]:
    """``design.strata`` as (stratum, entry) pairs, shapes checked."""
    names = ("stratum", "units", "eligible", "sample_size") + (("threshold",) if salted else ())
    design = _fields(record["design"], ("strata",), "design.", file)
    strata = []
    for i, entry in enumerate(_list_of_objects(design["strata"], "design.strata", file)):
        path = f"design.strata[{i}]."
        _fields(entry, names, path, file)
        stratum = _label(entry["stratum"], path + "stratum", "record", file)
        for name in ("units", "eligible", "sample_size"):
            _count(entry, name, path, file)
        if entry["eligible"] > entry["units"]:
            raise CannotVerify(f"{path}eligible exceeds {path}units", "record", file)
        if salted and entry["threshold"] is not None:
            _digest_field(entry["threshold"], path + "threshold", file)
        strata.append((stratum, entry))
    return strata


def _read_selection(record: dict[str, Any], file: str) -> list[dict[str, Any]]:
    selection = _list_of_objects(record["selection"], "selection", file)
    if _selection_ok(selection):
        return selection
    for i, entry in enumerate(selection):  # find the first problem, in order
        path = f"selection[{i}]."
        _fields(entry, SELECTION_FIELDS, path, file)
        for name in ("id", "stratum"):
            _label(entry[name], path + name, "record", file)
        _digest_field(entry["ticket"], path + "ticket", file)
        _probability(entry["inclusion_probability"], path + "inclusion_probability", file)
        _count(entry, "rank", path, file, minimum=1)
    return selection


def _selection_ok(selection: list[dict[str, Any]]) -> bool:
    """Say whether the checks of ``_read_selection`` surely pass, each made on a whole column.

    False sends the caller to the entry-by-entry checks, which refuse the first bad entry.
    """
    if not all(map(eq, map(dict.keys, selection), repeat(_SELECTION_KEYS))):
        return False
    ids, strata, ranks, tickets, probabilities = (
        list(map(itemgetter(name), selection)) for name in SELECTION_FIELDS
    )
    if not _labels_ok(ids) or not _labels_ok(strata):
        return False
    if set(map(type, tickets)) - {str} or not all(map(_DIGEST.fullmatch, tickets)):
        return False
    if set(map(type, ranks)) - {int} or min(ranks, default=1) < 1:
        return False
    if set(map(type, probabilities)) - {str}:
        return False
    try:  # one fraction per stratum: few distinct values
        for value in set(probabilities):
            _probability(value, "", "")
    except CannotVerify:
        return False
    return True


def _labels_ok(texts: list[Any]) -> bool:
    """Say whether every one of ``texts`` is a label (spec 1), checked in bulk where it can."""
    if set(map(type, texts)) - {str}:
        return False
    joined = "".join(texts)
    if joined.isascii() and joined.isprintable() and all(texts):
        spaced = "\n" + "\n".join(texts) + "\n"
        return " " not in joined or ("\n " not in spaced and " \n" not in spaced)
    return not any(map(_label_problem, texts))


_SELECTION_KEYS = dict.fromkeys(SELECTION_FIELDS).keys()


def _check_design(
    strata: list[tuple[str, dict[str, Any]]], population: Any, out: Findings
) -> dict[str, int]:
    """6.4 step 5: per-stratum counts against the population; return the sizes."""
    sizes: dict[str, int] = {}
    units, eligible = population.strata_units, population.strata_eligible
    for stratum, entry in strata:
        path = f"design.strata[{stratum!r}]"
        if stratum in sizes:
            out("design.strata", f"stratum {stratum!r} is listed more than once")
            continue
        for name, value in (
            ("units", units.get(stratum, 0)),
            ("eligible", eligible.get(stratum, 0)),
        ):
            if entry[name] != value:
                out(
                    f"{path}.{name}",
                    f"record says {entry[name]}, the population file gives {value}",
                )
        sizes[stratum] = entry["sample_size"]
        if not 0 <= sizes[stratum] <= eligible.get(stratum, 0):
            out(
                f"{path}.sample_size",
                f"{sizes[stratum]} is not feasible with {eligible.get(stratum, 0)} eligible units",
            )
    names = [stratum for stratum, _entry in strata]
    if names != sorted(names, key=_utf8_key):
        out("design.strata", "not sorted by UTF-8(stratum)")
    for stratum in sorted(set(units) - sizes.keys(), key=_utf8_key):
        out("design.strata", f"stratum {stratum!r} of the population file is missing")
    return sizes


def _compare_selection(
    selection: list[dict[str, Any]],
    expected: list[dict[str, Any]],
    facts: Any,
    out: Findings,
    sizes: dict[str, int],
    skip: Iterable[str] = (),
) -> None:
    """6.4 step 6: the record's selection against the algorithm's, id by id."""
    problems: list[tuple[str, str]] = []
    counts: dict[str, int]
    if selection == expected:  # the usual case, compared in C: then only the sizes can differ
        counts = collections.Counter(entry["stratum"] for entry in selection)
    else:
        counts = _selection_problems(selection, expected, facts, problems, skip)
    for stratum, size in sizes.items():
        if counts.get(stratum, 0) != size:
            out(
                f"design.strata[{stratum!r}].sample_size",
                f"record says {size}, but the "
                f"selection has {counts.get(stratum, 0)} units of the stratum",
            )
    out.listed(problems, "selection")


def _selection_problems(
    selection: list[dict[str, Any]],
    expected: list[dict[str, Any]],
    facts: Any,
    problems: list[tuple[str, str]],
    skip: Iterable[str],
) -> dict[str, int]:
    """Find how the record's selection differs, id by id; return its units per stratum."""
    by_id = {entry["id"]: entry for entry in expected}
    skipped = set(skip)
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for entry in selection:
        uid = entry["id"]
        counts[entry["stratum"]] = counts.get(entry["stratum"], 0) + 1
        if uid in seen:
            problems.append(("selection", f"unit {uid!r} appears more than once"))
        elif uid not in by_id:
            if entry["stratum"] in skipped:
                continue
            fact = facts.get(uid)
            why = (
                "it is not in the population file"
                if fact is None
                else "it is ineligible"
                if not fact[1]
                else f"it is in stratum {fact[0]!r}"
                if fact[0] != entry["stratum"]
                else "its ticket is not among the smallest"
            )
            problems.append(
                (
                    "selection",
                    f"unit {uid!r} is in the record but not selected by the algorithm ({why})",
                )
            )
        else:
            for name in SELECTION_FIELDS[1:]:
                if entry[name] != by_id[uid][name]:
                    problems.append(
                        (
                            f"selection[{uid!r}].{name}",
                            f"record says {entry[name]!r}, re-derived {by_id[uid][name]!r}",
                        )
                    )
        seen.add(uid)
    for entry in expected:
        if entry["id"] not in seen:
            problems.append(
                (
                    "selection",
                    f"unit {entry['id']!r} (stratum {entry['stratum']!r}, "
                    f"rank {entry['rank']}) is selected by the algorithm but missing "
                    "from the record",
                )
            )
    order = [(_utf8_key(entry["stratum"]), entry["rank"]) for entry in selection]
    if order != sorted(order):
        problems.append(("selection", "entries are not sorted by stratum then rank"))
    return counts


def _read_population(record: dict[str, Any], salted: bool, file: str) -> None:
    """Check the shape of ``population`` (6.2; 14.5 adds the commitment)."""
    names = ("digest", "units", "eligible") + (("commitment",) if salted else ())
    stated = _fields(record["population"], names, "population.", file)
    _digest_field(stated["digest"], "population.digest", file)
    for name in ("units", "eligible"):
        _count(stated, name, "population.", file)
    if stated["eligible"] > stated["units"]:
        raise CannotVerify("population.eligible exceeds population.units", "record", file)
    if salted:
        _check_commitment_shape(stated["commitment"], "population.commitment", file)


def _check_population(
    record: dict[str, Any], population: Any, out: Findings, file: str, salted: bool
) -> None:
    """6.4 step 4: the population digest and counts."""
    names = ("digest", "units", "eligible") + (("commitment",) if salted else ())
    stated = _fields(record["population"], names, "population.", file)
    _digest_field(stated["digest"], "population.digest", file)
    for name in ("units", "eligible"):
        _get(stated, name, (int,), "population.", file)
    for name, value in (
        ("digest", population.digest()),
        ("units", population.units),
        ("eligible", sum(population.strata_eligible.values())),
    ):
        if stated[name] != value:
            out(
                f"population.{name}",
                f"record says {stated[name]}, the population file gives {value}",
            )


def verify_draw(
    record: dict[str, Any],
    population: Any,
    previous: dict[str, Any] | None = None,
    replacements: list[dict[str, Any]] | None = None,
    file: str = "",
    secret: bytes | None = None,
    announcement: dict[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """Run every check of spec 6.4 (14.5: salted), 10 (replacements), 15.4 (announcement).

    Return the (field, message) differences; a salted draw needs the authority ``secret``.

    ``population`` is a ``PopulationFile`` or a list of rows. Raises ``CannotVerify`` when
    an input is malformed or of an unsupported format or version.
    """
    if isinstance(population, list):
        population = _RowsPopulation(population)
    if not isinstance(record, dict):
        raise CannotVerify("the record is not a JSON object", "record", file)
    salted = record.get("record_format") == SALTED_FORMAT
    if record.get("record_format") not in (DRAW_FORMAT, SALTED_FORMAT):
        raise CannotVerify(
            f"record_format {record.get('record_format')!r} is not a draw record",
            "unsupported",
            file,
        )
    _check_common(record, DRAW_FIELDS, file, ("authority", "draw_id"))
    algorithm = _check_algorithm(record, (SALTED,) if salted else DRAW_ALGORITHMS, file)
    strata = _read_design(record, salted, file)
    selection = _read_selection(record, file)
    _read_population(record, salted, file)
    replacements = [_read_replacement(r, i) for i, r in enumerate(replacements or [])]
    if replacements and algorithm != SRSWOR:
        raise CannotVerify(
            "replacements (spec 10) are defined for stratified-srswor draws only",
            "unsupported",
            file,
        )
    out = Findings()
    digest = check_seal(record, out)  # step 1: any edit anywhere in the record shows here
    seed_value = _check_seed(record["seed"], out, file)  # steps 2-3, then only derived values
    key = _check_subkey(record, seed_value, out, file)
    sizes = {stratum: entry["sample_size"] for stratum, entry in strata}
    need = {h: max(0, n) for h, n in sizes.items()}
    for replacement in replacements:
        if replacement["stratum"] in need:
            need[replacement["stratum"]] += 1
    wanted = [entry["id"] for entry in selection]
    if salted:
        if secret is None:
            raise CannotVerify(
                "a salted draw record needs the authority secret (--secret HEX)", "missing"
            )
        scan: Any = SaltedScan(need, secret, _commitment_buckets(record, file), wanted)
        scan.run(population.rows(), key)
    else:
        pips = algorithm != SRSWOR
        scan = DrawScan(
            {} if pips else need, [h for h, n in need.items() if n > 0] if pips else (), wanted
        )
        if isinstance(population, PopulationFile):
            scan.run_file(population, key)
        else:
            scan.run(population.rows(), key)
    # Step 5 needs nothing from the digest of step 4, which a second process may still be
    # computing (section 4): it runs first, and what it finds, or raises, comes after step 4.
    step5 = Findings()
    deferred: Exception | None = None
    try:
        found = _check_design(strata, population, step5)  # step 5
        feasible = {
            h: max(0, min(n, population.strata_eligible.get(h, 0))) for h, n in found.items()
        }
        if (
            algorithm in (SYSTEMATIC, SAMPFORD)
            and not population.has_weights
            and any(feasible.values())
        ):
            step5("population", "the population file has no weights, which a πps draw needs")
            expected: list[dict[str, Any]] = []
            failed = dict.fromkeys(feasible, "no weights")
        else:
            expected, failed = draw_selection(
                SRSWOR if salted else algorithm, feasible, population.strata_eligible, scan, key
            )
    except Exception as exc:  # raised after step 4, as it would be
        deferred = exc
    _check_population(record, population, out, file, salted)  # step 4
    if salted:
        _check_commitment(
            record["population"]["commitment"],
            scan.commitment(population.units),
            out,
            "population.commitment",
        )
    if deferred is not None:
        raise deferred
    out.found.extend(step5)
    for stratum, why in failed.items():
        out(f"design.strata[{stratum!r}].sample_size", f"the draw cannot be re-run: {why}")
    if salted:
        _check_thresholds(strata, expected, out)
    _compare_selection(selection, expected, scan.facts, out, found, failed)  # step 6
    if previous is not None:
        check_chain(record, previous, out)  # step 7
    if announcement is not None:
        if salted:
            raise CannotVerify("an announcement announces a draw or an assignment record", "usage")
        check_announcement(record, announcement, out)
    if replacements:
        _verify_replacements(
            record, digest, feasible, population, scan, replacements, expected, out
        )
    return list(out)


def verify(
    record: dict[str, Any], rows: Any, previous: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    """Run every check of spec 6.4 on a draw record; return (field, message) differences."""
    return verify_draw(record, rows, previous)


class _RowsPopulation:
    """In-memory rows with the interface of ``PopulationFile`` (for tests and callers)."""

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows
        self.units = len(rows)
        self.strata_units: dict[str, int] = {}
        self.strata_eligible: dict[str, int] = {}
        for _uid, stratum, eligible, _weight in rows:
            self.strata_units[stratum] = self.strata_units.get(stratum, 0) + 1
            self.strata_eligible[stratum] = self.strata_eligible.get(stratum, 0) + eligible
        self.has_weights = bool(rows) and all(row[3] is not None for row in rows)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for uid, stratum, eligible, weight in self._rows:
            raw = uid.encode("utf-8")
            yield (
                uid,
                raw,
                _lp(raw),
                stratum,
                _lp(stratum.encode("utf-8")),
                eligible,
                _weight_bytes(weight),
                weight,
            )

    def digest(self) -> str:
        return population_digest(self._rows)


# ---------------------------------------------------------------- announcements (spec 15)
ANNOUNCEMENT_FIELDS = (
    "record_format",
    "library",
    "authority",
    "timestamp",
    "previous_record_digest",
    "announces",
    "population",
    "design",
    "inputs",
    "sources",
    "commitment",
    "weak_secret_allowed",
    "record_digest",
)
_ID_FIELDS = {DRAW_FORMAT: "draw_id", ASSIGNMENT_FORMAT: "assignment_id"}


def read_announcement(value: Any, file: str = "announcement") -> dict[str, Any]:
    """Read an announcement record strictly (spec 15.1, 16.2); refuse anything else."""
    if not isinstance(value, dict) or value.get("record_format") != ANNOUNCEMENT_FORMAT:
        raise CannotVerify("not an announcement record", "record", file)
    _check_common(value, ANNOUNCEMENT_FIELDS, file)
    announces = _fields(
        value["announces"], ("record_format", "id", "algorithm", "purpose"), "announces.", file
    )
    kind = announces["record_format"]
    if not isinstance(kind, str) or kind not in _ID_FIELDS:
        raise CannotVerify(
            f"announces.record_format {kind!r}: a draw or an assignment record", "unsupported", file
        )
    _label(announces["id"], "announces.id", "record", file)
    _label(announces["purpose"], "announces.purpose", "record", file)
    algorithm = _fields(announces["algorithm"], ("name", "version"), "announces.algorithm.", file)
    _get(algorithm, "name", (str,), "announces.algorithm.", file)
    _get(algorithm, "version", (int,), "announces.algorithm.", file)
    if kind == DRAW_FORMAT:
        population = _fields(
            value["population"], ("commitment", "units", "eligible"), "population.", file
        )
        commitment = _fields(
            population["commitment"], ("scheme", "value"), "population.commitment.", file
        )
        if commitment["scheme"] != "population-digest/1":
            raise CannotVerify(
                f"population commitment scheme {commitment['scheme']!r}; this "
                "verifier knows population-digest/1",
                "unsupported",
                file,
            )
        _digest_field(commitment["value"], "population.commitment.value", file)
        _count(population, "units", "population.", file)
        _count(population, "eligible", "population.", file)
        design = _fields(value["design"], ("strata",), "design.", file)
        for i, entry in enumerate(_list_of_objects(design["strata"], "design.strata", file)):
            path = f"design.strata[{i}]."
            _fields(entry, ("stratum", "sample_size"), path, file)
            _label(entry["stratum"], path + "stratum", "record", file)
            _count(entry, "sample_size", path, file)
        if value["inputs"] is not None:
            raise CannotVerify("inputs must be null for a draw", "record", file)
    else:
        names = ("directory_digest", "input_digest", "conflicts_digest")
        inputs = _fields(value["inputs"], names, "inputs.", file)
        for name in names:
            _digest_field(inputs[name], "inputs." + name, file)
        if value["population"] is not None or value["design"] is not None:
            raise CannotVerify(
                "population and design must be null for an assignment", "record", file
            )
    sources = _list_of_objects(value["sources"], "sources", file)
    if not sources:
        raise CannotVerify("sources must list at least one source", "record", file)
    for i, source in enumerate(sources):
        path = f"sources[{i}]."
        _fields(source, ("name", "date", "values"), path, file)
        _label(source["name"], path + "name", "record", file)
        if not _valid_date(source["date"]):
            raise CannotVerify(f"{path}date is not a real YYYY-MM-DD date", "record", file)
        _count(source, "values", path, file, minimum=1)
    if len({source["name"] for source in sources}) != len(sources):
        raise CannotVerify("sources: two sources have one name", "record", file)
    _digest_field(value["commitment"], "commitment", file, nullable=True)
    flag = _get(value, "weak_secret_allowed", (bool,), "", file)
    if flag and value["commitment"] is None:
        raise CannotVerify("weak_secret_allowed is false when commitment is null", "record", file)
    return value


def check_announcement(record: dict[str, Any], announcement: dict[str, Any], out: Findings) -> bool:
    """Check a draw or assignment record against its announcement (spec 15.4).

    Each difference is reported under ``announcement.<field>``; return whether the record
    follows its announcement.
    """
    here = out.under("announcement.")
    before = len(out)
    digest = record_digest(announcement)
    if announcement["record_digest"] != digest:  # 1
        here(
            "record_digest",
            f"the announcement says {announcement['record_digest']}, its "
            f"content hashes to {digest}: it was edited after it was sealed",
        )
    if announcement["authority"] != record["authority"]:  # 2
        here(
            "authority",
            f"announced by {announcement['authority']!r}, the record's authority "
            f"is {record['authority']!r}",
        )
    announces = announcement["announces"]
    kind = record["record_format"]
    checks = (
        ("record_format", kind),
        ("id", record.get(_ID_FIELDS.get(kind, ""))),
        ("algorithm", record.get("algorithm")),
        ("purpose", record.get("purpose")),
    )
    for name, value in checks:
        if announces[name] != value:
            here("announces." + name, f"announced {announces[name]!r}, the record has {value!r}")
    if record["timestamp"] < announcement["timestamp"]:  # 3
        here(
            "timestamp",
            f"the record ({record['timestamp']}) is earlier than its "
            f"announcement ({announcement['timestamp']})",
        )
    if kind == DRAW_FORMAT:  # 4
        population, stated = announcement["population"], record["population"]
        if population["commitment"]["value"] != stated["digest"]:
            here(
                "population.commitment",
                f"announced {population['commitment']['value']}, the "
                f"record's population digest is {stated['digest']}",
            )
        for name in ("units", "eligible"):
            if population[name] != stated[name]:
                here(
                    "population." + name,
                    f"announced {population[name]}, the record has {stated[name]}",
                )
        sizes = [
            {"stratum": e["stratum"], "sample_size": e["sample_size"]}
            for e in record["design"]["strata"]
        ]
        if announcement["design"]["strata"] != sizes:
            here("design.strata", "the sizes announced are not the record's, stratum by stratum")
    else:  # 5
        pairs = (
            ("directory_digest", record["directory"]["digest"]),
            ("input_digest", record["input"]["digest"]),
            ("conflicts_digest", record["input"]["conflicts_digest"]),
        )
        for name, value in pairs:
            if announcement["inputs"][name] != value:
                here(
                    "inputs." + name,
                    f"announced {announcement['inputs'][name]}, the record has {value}",
                )
    seed = record["seed"]
    announced = announcement["sources"]
    if not seed["sources"]:  # 6
        here("sources", "a record with a raw seed does not follow an announcement")
    else:
        names = [source["name"] for source in seed["sources"]]
        if names != [source["name"] for source in announced]:
            here(
                "sources",
                f"announced {[s['name'] for s in announced]!r} in this order, the "
                f"seed lists {names!r}",
            )
        else:
            for i, (source, given) in enumerate(zip(announced, seed["sources"], strict=True)):
                if source["values"] != len(given["values"]):
                    here(
                        f"sources[{i}].values",
                        f"announced {source['values']} values, the seed has {len(given['values'])}",
                    )
    day = announcement["timestamp"][:10]
    for i, source in enumerate(announced):  # 7
        if not day < source["date"]:
            here(
                f"sources[{i}].date",
                f"published on {source['date']}, not after the announcement's date {day}",
            )
    if announcement["commitment"] != seed["commitment"]:  # 8
        here(
            "commitment",
            f"announced {announcement['commitment']}, the seed's commitment is "
            f"{seed['commitment']}",
        )
    if seed["secret"] is not None:  # 9
        weak = weak_secret(bytes.fromhex(seed["secret"]))
        if announcement["weak_secret_allowed"] != weak:
            here(
                "weak_secret_allowed",
                f"announced {json.dumps(announcement['weak_secret_allowed'])}"
                f", the revealed secret is {'weak' if weak else 'not weak'} (spec 15.2)",
            )
    return len(out) == before


# ---------------------------------------------------------------- replacements (spec 10)
REPLACEMENT_FIELDS = (
    "record_format",
    "authority",
    "timestamp",
    "previous_record_digest",
    "draw_record_digest",
    "stratum",
    "replaced",
    "replacement",
    "record_digest",
)


def _read_replacement(record: Any, index: int) -> dict[str, Any]:
    file = f"replacement {index + 1}"
    if not isinstance(record, dict) or record.get("record_format") != REPLACEMENT_FORMAT:
        raise CannotVerify("not a replacement record", "record", file)
    _check_common(record, REPLACEMENT_FIELDS, file, ("authority", "stratum"))
    _digest_field(record["previous_record_digest"], "previous_record_digest", file)
    _digest_field(record["draw_record_digest"], "draw_record_digest", file)
    replaced = _fields(record["replaced"], ("id", "reason", "recorded_by"), "replaced.", file)
    for name in ("id", "reason", "recorded_by"):
        _label(replaced[name], "replaced." + name, "record", file)
    unit = _fields(
        record["replacement"], ("id", "rank", "ticket", "reach_probability"), "replacement.", file
    )
    _label(unit["id"], "replacement.id", "record", file)
    _digest_field(unit["ticket"], "replacement.ticket", file)
    _probability(unit["reach_probability"], "replacement.reach_probability", file)
    _count(unit, "rank", "replacement.", file, minimum=2)
    return record


def _verify_replacements(
    draw: dict[str, Any],
    draw_digest: str,
    sizes: dict[str, int],
    population: Any,
    scan: DrawScan,
    replacements: list[dict[str, Any]],
    expected: list[dict[str, Any]],
    out: Findings,
) -> None:
    """Section 10: each replacement's seal, draw, link, and the rule re-applied in order."""
    current: dict[str, set[str]] = {}
    for entry in expected:
        current.setdefault(entry["stratum"], set()).add(entry["id"])
    used: dict[str, int] = {}
    before: dict[str, Any] = draw
    for i, record in enumerate(replacements):
        here = out.under(f"replacements[{i}].")
        check_seal(record, here)
        if record["draw_record_digest"] != draw_digest:
            here(
                "draw_record_digest",
                f"points at {record['draw_record_digest']}, not at this draw ({draw_digest})",
            )
        link = record_digest(before)  # spec 16.8: the draw, then the replacement before it
        if record["previous_record_digest"] != link:
            here(
                "previous_record_digest",
                f"links to {record['previous_record_digest']}, not to the "
                f"{'draw' if i == 0 else 'replacement before it'} ({link}): a replacement "
                "withheld, or another record between them (the ledger audit tells which)",
            )
        if record["authority"] != draw["authority"]:
            here("authority", f"{record['authority']!r} is not the draw's authority")
        if record["timestamp"] < before["timestamp"]:
            here("timestamp", f"{record['timestamp']} is earlier than {before['timestamp']}")
        stratum, gone = record["stratum"], record["replaced"]["id"]
        home = next((h for h, ids in current.items() if gone in ids), None)
        if home is None:
            here("replaced", f"unit {gone!r} is not in the current sample")
        elif home != stratum:
            here("stratum", f"record says {stratum!r}, unit {gone!r} is in stratum {home!r}")
        else:
            used[stratum] = used.get(stratum, 0) + 1
            rank = sizes.get(stratum, 0) + used[stratum]
            pool = scan.pools.get(stratum)
            units = pool.smallest() if pool is not None else []
            eligible = population.strata_eligible.get(stratum, 0)
            if rank > eligible or rank > len(units):
                here("replacement", f"rank {rank} exceeds the stratum's {eligible} eligible units")
            else:
                t, raw = units[rank - 1]
                derived = {
                    "id": raw.decode("utf-8"),
                    "rank": rank,
                    "ticket": t.hex(),
                    "reach_probability": _fraction_text(rank, eligible),
                }
                if record["replacement"] != derived:
                    here(
                        "replacement",
                        f"record says {record['replacement']!r}, re-derived {derived!r}",
                    )
                current[stratum].discard(gone)
                current[stratum].add(str(derived["id"]))
        before = record


# ============================================================ 7. team assignment (spec 11)
RELATION_KINDS = ("former-employer", "relative", "shareholder", "other")
ASSIGNMENT_FIELDS = (
    "record_format",
    "algorithm",
    "library",
    "authority",
    "assignment_id",
    "timestamp",
    "previous_record_digest",
    "seed",
    "purpose",
    "subkey",
    "directory",
    "input",
    "teams",
    "unstaffed",
    "record_digest",
)


def _input_error(file: str, detail: str) -> CannotVerify:
    return CannotVerify(detail, "input", file)


def _unusable(problems: list[str] | None, file: str, detail: str) -> None:
    """Note inputs that are each well formed but do not fit together (spec 16.1, 19.1).

    Such inputs are a difference under ``input`` (not verified), found once every file has
    been read: the readers note them in ``problems`` and go on. Without a list (one file
    read by itself) they are refused.
    """
    if problems is None:
        raise _input_error(file, detail)
    problems.append(f"{file}: {detail}")


def _in_labels(value: Any, path: str, file: str, empty_ok: bool = False) -> list[str]:
    """Return a list of distinct labels (spec 1), or refuse the input."""
    if not isinstance(value, list) or (not value and not empty_ok):
        raise _input_error(file, f"{path} must be a{'n' if empty_ok else ' non-empty'} list")
    items = [_label(v, f"{path}[{i}]", "input", file) for i, v in enumerate(value)]
    if len(set(items)) != len(items):
        raise _input_error(file, f"{path} lists a value twice")
    return items


def _in_set(value: Any, path: str, file: str, empty_ok: bool = False) -> list[str]:
    """Return a set of labels (spec 11.1), sorted; a value given twice counts once."""
    if not isinstance(value, list) or (not value and not empty_ok):
        raise _input_error(file, f"{path} must be a{'n' if empty_ok else ' non-empty'} list")
    return sorted({_label(v, f"{path}[{i}]", "input", file) for i, v in enumerate(value)})


def _in_object(
    value: Any, path: str, file: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _input_error(file, f"{path or 'the file'} must be an object")
    allowed = set(required) | set(optional)
    for name in sorted(value.keys() - allowed):
        raise _input_error(file, f"{path}{name} is not a known field")
    for name in sorted(set(required) - value.keys()):
        raise _input_error(file, f"{path}{name} is missing")
    return value


def read_directory(data: Any, file: str = "directory") -> dict[str, Any]:
    """Read an inspector directory as ``randsample assign`` does (docs/cli.md; spec 11.1)."""
    top = _in_object(data, "", file, ("inspectors",), ("departments",))
    inspectors: dict[str, dict[str, Any]] = {}
    if not isinstance(top["inspectors"], list):
        raise _input_error(file, "inspectors must be a list")
    for i, item in enumerate(top["inspectors"]):
        path = f"inspectors[{i}]."
        entry = _in_object(
            item,
            path,
            file,
            ("id", "department", "certified", "categories", "home_region", "capacity"),
            ("days_off",),
        )
        uid = _label(entry["id"], path + "id", "input", file)
        if uid in inspectors:
            raise _input_error(file, f"inspector id {uid!r} appears twice")
        if entry["certified"] is not True:
            raise _input_error(file, f"{path}certified must be true (a certified officer)")
        capacity = entry["capacity"]
        if type(capacity) is not int or capacity < 1:
            raise _input_error(file, f"{path}capacity must be an integer of at least 1")
        days = _in_set(entry.get("days_off", []), path + "days_off", file, empty_ok=True)
        for day in days:
            if not _valid_date(day):
                raise _input_error(file, f"{path}days_off: {day!r} is not a YYYY-MM-DD date")
        inspectors[uid] = {
            "id": uid,
            "department": _label(entry["department"], path + "department", "input", file),
            "certified": True,
            "categories": _in_set(entry["categories"], path + "categories", file),
            "home_region": _label(entry["home_region"], path + "home_region", "input", file),
            "capacity": capacity,
            "days_off": days,
        }
    departments = sorted({r["department"] for r in inspectors.values()})
    if "departments" in top:
        departments = _in_labels(top["departments"], "departments", file)
        for r in inspectors.values():
            if r["department"] not in departments:
                raise _input_error(
                    file,
                    f"inspector {r['id']!r}: department {r['department']!r} is not in departments",
                )
    categories = {
        d: sorted({c for r in inspectors.values() if r["department"] == d for c in r["categories"]})
        for d in departments
    }
    return {"inspectors": inspectors, "departments": categories}


def read_visits(
    data: Any, directory: dict[str, Any], file: str = "visits", problems: list[str] | None = None
) -> list[dict[str, Any]]:
    """Visits as ``randsample assign`` reads them (docs/cli.md; spec 11.1).

    A repeated visit id and a department not in the directory are noted in ``problems``
    (``_unusable``).
    """
    top = _in_object(data, "", file, ("visits",))
    if not isinstance(top["visits"], list):
        raise _input_error(file, "visits must be a list")
    visits, seen = [], set()
    for i, item in enumerate(top["visits"]):
        path = f"visits[{i}]."
        entry = _in_object(
            item,
            path,
            file,
            ("visit_id", "enterprise_id", "enterprise_region", "date", "departments", "items"),
            ("team_size", "lead"),
        )
        vid = _label(entry["visit_id"], path + "visit_id", "input", file)
        if vid in seen:
            _unusable(problems, file, f"visit id {vid!r} appears twice")
        seen.add(vid)
        if not _valid_date(entry["date"]):
            raise _input_error(file, f"{path}date {entry['date']!r} is not a YYYY-MM-DD date")
        departments = _in_labels(entry["departments"], path + "departments", file)
        items = entry["items"]
        if not isinstance(items, dict) or set(items) != set(departments):
            raise _input_error(
                file, f"{path}items must list categories for exactly the visit's departments"
            )
        for department in departments:
            if department not in directory["departments"]:
                detail = f"{path}departments: {department!r} is not a department of the directory"
                _unusable(problems, file, detail)
            items[department] = _in_set(items[department], f"{path}items.{department}", file)
            held = directory["departments"].get(department)
            for category in items[department] if held is not None else ():
                if category not in held:  # 11.1: not in the department's category list
                    detail = (
                        f"{path}items.{department}: {category!r} is not in the "
                        "department's category list"
                    )
                    _unusable(problems, file, detail)
        size = entry.get("team_size", 2)
        if type(size) is not int or size < max(2, len(departments)):
            raise _input_error(
                file,
                f"{path}team_size must be an integer of at least 2 and at "
                "least the number of departments",
            )
        lead = entry.get("lead", departments[0])
        if lead not in departments:
            raise _input_error(file, f"{path}lead {lead!r} is not one of the departments")
        visits.append(
            {
                "visit_id": vid,
                "enterprise_id": _label(
                    entry["enterprise_id"], path + "enterprise_id", "input", file
                ),
                "enterprise_region": _label(
                    entry["enterprise_region"], path + "enterprise_region", "input", file
                ),
                "date": entry["date"],
                "departments": sorted(departments),
                "items": {d: sorted(items[d]) for d in departments},
                "team_size": size,
                "lead": lead,
            }
        )
    return visits


def read_conflicts(
    data: Any,
    directory: dict[str, Any],
    file: str = "conflicts",
    experts: Iterable[str] = (),
    problems: list[str] | None = None,
) -> dict[str, Any]:
    """Read conflicts of interest as ``randsample assign`` does (docs/cli.md; spec 11.1).

    Every key is optional (the same-locality rule off unless set, rotation 1). Someone named
    who is neither an inspector nor an expert is noted in ``problems`` (``_unusable``).
    """
    top = _in_object(
        data,
        "",
        file,
        (),
        ("relations", "same_locality", "history", "rotation", "recusals", "exclusions"),
    )
    staff = set(directory["inspectors"]) | set(experts)  # experts: version 2 (spec 19.1)

    def triples(name: str, kinds: tuple[str, ...] | None) -> list[list[str]]:
        value = top.get(name, [])
        if not isinstance(value, list):
            raise _input_error(file, f"{name} must be a list")
        result = []
        for i, item in enumerate(value):
            if not isinstance(item, list) or len(item) != 3:
                raise _input_error(
                    file,
                    f"{name}[{i}] must be [inspector, enterprise, {'kind' if kinds else 'reason'}]",
                )
            triple = [_label(v, f"{name}[{i}]", "input", file) for v in item]
            if triple[0] not in staff:
                detail = f"{name}[{i}]: inspector {triple[0]!r} is not in the directory"
                _unusable(problems, file, detail + " (nor an expert)")
            if kinds is not None and triple[2] not in kinds:
                raise _input_error(
                    file, f"{name}[{i}]: kind {triple[2]!r} is not one of " + ", ".join(kinds)
                )
            if triple not in result:  # relations and exclusions are sets (spec 11.1)
                result.append(triple)
        return sorted(result)

    def by_enterprise(name: str) -> dict[str, Any]:
        value = top.get(name, {})
        if not isinstance(value, dict):
            raise _input_error(file, f"{name} must be an object: enterprise -> list")
        for enterprise in value:
            _label(enterprise, f"{name} key", "input", file)
        return value

    history = {}
    for enterprise, teams in by_enterprise("history").items():
        if not isinstance(teams, list):
            raise _input_error(file, f"history.{enterprise} must be a list of teams")
        history[enterprise] = [
            _in_set(t, f"history.{enterprise}[{i}]", file, empty_ok=True)
            for i, t in enumerate(teams)
        ]
    recusals = {}
    for enterprise, ids in by_enterprise("recusals").items():
        recusals[enterprise] = sorted(_in_set(ids, f"recusals.{enterprise}", file, empty_ok=True))
        for uid in recusals[enterprise]:
            if uid not in staff:
                detail = f"recusals.{enterprise}: inspector {uid!r} is not in the directory"
                _unusable(problems, file, detail + " (nor an expert)")
    rotation = top.get("rotation", 1)
    if type(rotation) is not int or rotation < 0:
        raise _input_error(file, "rotation must be an integer of at least 0")
    same_locality = top.get("same_locality", False)  # off unless set (docs/cli.md)
    if type(same_locality) is not bool:
        raise _input_error(file, "same_locality must be true or false")
    return {
        "relations": triples("relations", RELATION_KINDS),
        "same_locality": same_locality,
        "history": history,
        "rotation": rotation,
        "recusals": recusals,
        "exclusions": triples("exclusions", None),
    }


def directory_digest(directory: dict[str, Any]) -> str:
    """Spec 11.5: the directory digest."""
    body = {
        "format": "randsample.inspector-directory/1",
        "departments": [
            {"department": d, "categories": sorted(c)}
            for d, c in sorted(directory["departments"].items())
        ],
        "inspectors": [
            {
                "id": r["id"],
                "department": r["department"],
                "certified": True,
                "categories": sorted(r["categories"]),
                "home_region": r["home_region"],
                "capacity": r["capacity"],
                "days_off": sorted(r["days_off"]),
            }
            for _uid, r in sorted(directory["inspectors"].items())
        ],
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def conflicts_digest(conflicts: dict[str, Any]) -> str:
    """Spec 11.5: the conflicts digest."""
    body = {
        "relations": sorted(conflicts["relations"]),
        "same_locality": conflicts["same_locality"],
        "history": [
            {"enterprise_id": e, "teams": [sorted(t) for t in teams]}
            for e, teams in sorted(conflicts["history"].items())
        ],
        "rotation": conflicts["rotation"],
        "recusals": [
            {"enterprise_id": e, "inspector_ids": sorted(ids)}
            for e, ids in sorted(conflicts["recusals"].items())
        ],
        "exclusions": sorted(conflicts["exclusions"]),
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def input_digest(visits: list[dict[str, Any]], conflicts: dict[str, Any]) -> str:
    """Spec 11.5: the input digest (visits and the conflicts digest)."""
    body = {
        "format": "randsample.assignment-input/1",
        "conflicts_digest": conflicts_digest(conflicts),
        "visits": [
            {
                "visit_id": v["visit_id"],
                "enterprise_id": v["enterprise_id"],
                "enterprise_region": v["enterprise_region"],
                "date": v["date"],
                "departments": sorted(v["departments"]),
                "items": [
                    {"department": d, "categories": sorted(c)}
                    for d, c in sorted(v["items"].items())
                ],
                "team_size": v["team_size"],
                "lead": v["lead"],
            }
            for v in sorted(visits, key=lambda v: v["visit_id"])
        ],
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _eligible(
    inspector: dict[str, Any], visit: dict[str, Any], department: str, conflicts: dict[str, Any]
) -> bool:
    """Say whether ``inspector`` may serve ``department`` on ``visit`` (spec 11.2)."""
    enterprise, uid = visit["enterprise_id"], inspector["id"]
    rotation = conflicts["rotation"]
    recent = conflicts["history"].get(enterprise, [])[-rotation:] if rotation else []
    return (
        set(visit["items"][department]) <= set(inspector["categories"])
        and visit["date"] not in inspector["days_off"]
        and not (
            conflicts["same_locality"] and inspector["home_region"] == visit["enterprise_region"]
        )
        and not any(r[0] == uid and r[1] == enterprise for r in conflicts["relations"])
        and not any(uid in team for team in recent)
        and uid not in conflicts["recusals"].get(enterprise, [])
        and not any(x[0] == uid and x[1] == enterprise for x in conflicts["exclusions"])
    )


def assign(
    directory: dict[str, Any], visits: list[dict[str, Any]], conflicts: dict[str, Any], key: bytes
) -> tuple[dict[str, dict[str, list[str]]], list[dict[str, Any]]]:
    """Run algorithm ``team-assignment`` v1 (spec 11.3-11.4) under the sub-key ``key``.

    Return every visit's team per department and the unstaffed list.
    """
    order_key = hashlib.sha256(b"randsample/v1/visit-order\x00" + key).digest()
    order = sorted(
        visits,
        key=lambda v: (_sha(order_key, _lp(_utf8_key(v["visit_id"]))), _utf8_key(v["visit_id"])),
    )
    teams: dict[str, dict[str, list[str]]] = {v["visit_id"]: {} for v in visits}
    short = []
    staff = directory["inspectors"]
    for department in directory["departments"]:
        mine = [v for v in order if department in v["departments"]]
        members = [r for r in staff.values() if r["department"] == department]
        needs, prefs = {}, {}
        for visit in mine:
            vid = visit["visit_id"]
            extra = visit["team_size"] - len(visit["departments"])
            needs[vid] = 1 + (extra if department == visit["lead"] else 0)
            prefix = key + _lp(_utf8_key(vid))
            prefs[vid] = [
                r["id"]
                for r in sorted(
                    (r for r in members if _eligible(r, visit, department, conflicts)),
                    key=lambda r: (_sha(prefix, _lp(_utf8_key(r["id"]))), _utf8_key(r["id"])),
                )
            ]
        team = _staff(
            [v["visit_id"] for v in mine], needs, prefs, {r["id"]: r["capacity"] for r in members}
        )
        for vid, ids in team.items():
            teams[vid][department] = sorted(ids)  # [] too: spec 16.8
            if len(ids) < needs[vid]:
                short.append(
                    {
                        "visit_id": vid,
                        "department": department,
                        "needed": needs[vid],
                        "assigned": len(ids),
                    }
                )
    short.sort(key=lambda u: (_utf8_key(u["visit_id"]), _utf8_key(u["department"])))
    return teams, short


def _staff(
    order: list[str], needs: dict[str, int], prefs: dict[str, list[str]], capacity: dict[str, int]
) -> dict[str, set[str]]:
    """Spec 11.4 for one department: greedy pass, then augmenting-path repair."""
    team: dict[str, set[str]] = {p: set() for p in order}
    load = dict.fromkeys(capacity, 0)
    for p in order:  # 1. greedy
        for r in prefs[p]:
            if len(team[p]) < needs[p] and load[r] < capacity[r]:
                team[p].add(r)
                load[r] += 1

    def search(p: str) -> bool:
        queue = collections.deque([p])
        labelled, came_from, via = {p}, dict[str, str](), dict[str, str]()
        while queue:
            q = queue.popleft()
            for r in prefs[q]:
                if r in came_from or r in team[q]:
                    continue
                came_from[r] = q
                if load[r] < capacity[r]:
                    _augment(r, p, came_from, via, team, load)
                    return True
                for other in order:
                    if r in team[other] and other not in labelled:
                        labelled.add(other)
                        via[other] = r
                        queue.append(other)
        return False

    for p in order:  # 2. repair
        while len(team[p]) < needs[p]:
            if not search(p):
                break
    return team


def _augment(
    r: str,
    p: str,
    came_from: dict[str, str],
    via: dict[str, str],
    team: dict[str, set[str]],
    load: dict[str, int],
) -> None:
    """AUGMENT(r) of spec 11.4: move inspectors along the path found, ending at visit p."""
    load[r] += 1
    while True:
        q = came_from[r]
        team[q].add(r)
        if q == p:
            return
        r = via[q]
        team[q].discard(r)


def verify_assignment(
    record: Any,
    directory: dict[str, Any],
    visits: list[dict[str, Any]],
    conflicts: dict[str, Any],
    previous: dict[str, Any] | None = None,
    file: str = "",
    announcement: dict[str, Any] | None = None,
    unusable: str | None = None,
) -> list[tuple[str, str]]:
    """Run every check of spec 11.7 (and 15.4 with its ``announcement``).

    Return the (field, message) differences of an assignment record. With ``unusable`` (the
    first problem of inputs that do not fit together, ``_unusable``), that is the difference
    under ``input``, and nothing is re-derived from the inputs (16.1).
    """
    if not isinstance(record, dict) or record.get("record_format") != ASSIGNMENT_FORMAT:
        raise CannotVerify("not an assignment record", "record", file)
    _check_common(record, ASSIGNMENT_FIELDS, file, ("authority", "assignment_id"))
    _check_algorithm(record, ("team-assignment",), file)
    stated_dir = _fields(record["directory"], ("digest", "inspectors"), "directory.", file)
    stated_in = _fields(record["input"], ("digest", "visits", "conflicts_digest"), "input.", file)
    _digest_field(stated_dir["digest"], "directory.digest", file)
    _count(stated_dir, "inspectors", "directory.", file)
    _digest_field(stated_in["digest"], "input.digest", file)
    _digest_field(stated_in["conflicts_digest"], "input.conflicts_digest", file)
    _count(stated_in, "visits", "input.", file)
    teams = _list_of_objects(record["teams"], "teams", file)
    unstaffed = _list_of_objects(record["unstaffed"], "unstaffed", file)
    recorded: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(teams):
        _fields(entry, ("visit_id", "members"), f"teams[{i}].", file)
        _label(entry["visit_id"], f"teams[{i}].visit_id", "record", file)
        members = _list_of_objects(entry["members"], f"teams[{i}].members", file)
        per = {}
        for j, member in enumerate(members):
            path = f"teams[{i}].members[{j}]."
            _fields(member, ("department", "inspector_ids"), path, file)
            _label(member["department"], path + "department", "record", file)
            ids = member["inspector_ids"]
            if not isinstance(ids, list) or not all(isinstance(r, str) for r in ids):
                raise CannotVerify(path + "inspector_ids must be an array of ids", "record", file)
            per[member["department"]] = ids
        recorded[entry["visit_id"]] = per
    for i, entry in enumerate(unstaffed):
        path = f"unstaffed[{i}]."
        _fields(entry, ("visit_id", "department", "needed", "assigned"), path, file)
        for name in ("visit_id", "department"):
            _label(entry[name], path + name, "record", file)
        needed = _count(entry, "needed", path, file, minimum=1)
        if _count(entry, "assigned", path, file) >= needed:
            raise CannotVerify(f"{path}assigned must be below needed", "record", file)
    out = Findings()
    check_seal(record, out)
    seed_value = _check_seed(record["seed"], out, file)
    key = _check_subkey(record, seed_value, out, file, purpose="inspectors")
    if unusable is not None:
        out("input", "the visits, directory or conflicts are not usable: " + unusable)
        if previous is not None:
            check_chain(record, previous, out)
        if announcement is not None:
            check_announcement(record, announcement, out)
        return list(out)
    for name, value in (
        ("digest", directory_digest(directory)),
        ("inspectors", len(directory["inspectors"])),
    ):
        if stated_dir[name] != value:
            out(f"directory.{name}", f"record says {stated_dir[name]!r}, the data give {value!r}")
    for name, value in (
        ("digest", input_digest(visits, conflicts)),
        ("visits", len(visits)),
        ("conflicts_digest", conflicts_digest(conflicts)),
    ):
        if stated_in[name] != value:
            out(f"input.{name}", f"record says {stated_in[name]!r}, the data give {value!r}")
    expected, short = assign(directory, visits, conflicts, key)
    problems: list[tuple[str, str]] = []
    for vid in recorded:
        if vid not in expected:
            problems.append(("teams", f"visit {vid!r} is not among the visits"))
    for vid in sorted(expected, key=_utf8_key):
        if vid not in recorded:
            problems.append(("teams", f"visit {vid!r} is missing"))
            continue
        if sorted(recorded[vid]) != sorted(expected[vid]):
            problems.append(
                (
                    f"teams[{vid!r}]",
                    f"lists departments {sorted(recorded[vid])!r}, the "
                    f"visit has {sorted(expected[vid])!r}",
                )
            )
        for department in sorted(set(expected[vid]) | set(recorded[vid])):
            says, gives = recorded[vid].get(department, []), expected[vid].get(department, [])
            if says != gives:
                problems.append(
                    (
                        f"teams[{vid!r}][{department!r}]",
                        f"record says {says!r}, re-derived {gives!r}",
                    )
                )
    ids = [entry["visit_id"] for entry in teams]
    if ids != sorted(ids, key=_utf8_key):
        problems.append(("teams", "not sorted by visit_id"))
    for entry in teams:
        departments = [m["department"] for m in entry["members"]]
        if departments != sorted(departments, key=_utf8_key):
            problems.append((f"teams[{entry['visit_id']!r}]", "members not sorted by department"))
    out.listed(problems, "teams")
    if unstaffed != short:
        out("unstaffed", f"record says {unstaffed!r}, re-derived {short!r}")
    if previous is not None:
        check_chain(record, previous, out)
    if announcement is not None:
        check_announcement(record, announcement, out)
    return list(out)


# ============================================================ 7b. teams, version 2 (spec 19, 20)
ASSIGNMENT2_FORMAT = "randsample.assignment-record/2"
ADJUSTMENT_FORMAT = "randsample.team-adjustment-record/1"
EXPERT_POOL = "(experts)"  # the expert pool among the pools of spec 19.2
ASSIGNMENT2_FIELDS = (
    "record_format", "algorithm", "library", "authority", "assignment_id", "timestamp",
    "previous_record_digest", "seed", "purpose", "subkey", "directory", "experts", "input",
    "teams", "unstaffed", "record_digest",
)  # fmt: skip
ADJUSTMENT_FIELDS = (
    "record_format", "authority", "timestamp", "previous_record_digest",
    "assignment_record_digest", "visit_id", "department", "dropped", "replacement", "leader",
    "record_digest",
)  # fmt: skip


def read_experts(
    data: Any, directory: dict[str, Any], file: str = "experts", problems: list[str] | None = None
) -> dict[str, Any]:
    """Read an expert pool (spec 19.1, 19.8): ``{"experts": [...]}``.

    Ids are unique; one that is an inspector's id is noted in ``problems`` (``_unusable``).
    """
    top = _in_object(data, "", file, ("experts",))
    if not isinstance(top["experts"], list):
        raise _input_error(file, "experts must be a list")
    experts: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(top["experts"]):
        path = f"experts[{i}]."
        entry = _in_object(
            item, path, file, ("id", "categories", "home_region", "capacity"), ("days_off",)
        )
        uid = _label(entry["id"], path + "id", "input", file)
        if uid in experts:
            raise _input_error(file, f"expert id {uid!r} appears twice")
        if uid in directory["inspectors"]:
            _unusable(problems, file, f"expert id {uid!r} is also an inspector's id")
        capacity = entry["capacity"]
        if type(capacity) is not int or capacity < 1:
            raise _input_error(file, f"{path}capacity must be an integer of at least 1")
        days = _in_set(entry.get("days_off", []), path + "days_off", file, empty_ok=True)
        if not all(_valid_date(day) for day in days):
            raise _input_error(file, f"{path}days_off must be YYYY-MM-DD dates")
        experts[uid] = {
            "id": uid,
            "categories": _in_set(entry["categories"], path + "categories", file),
            "home_region": _label(entry["home_region"], path + "home_region", "input", file),
            "capacity": capacity,
            "days_off": days,
        }
    return experts


def read_visits2(
    data: Any,
    directory: dict[str, Any],
    experts: dict[str, Any],
    file: str = "visits",
    problems: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Read version-2 visits (spec 19.1, 19.8).

    Absent ``minimums``, ``experts``, ``expert_categories`` and ``location`` are {}, 0, []
    and null. What 19.1 refuses only given the directory or the pool (a department without
    inspectors, a minimum or a number of experts above what there is, an item no category
    list of the department holds) and a repeated visit id are noted in ``problems``
    (``_unusable``).
    """
    top = _in_object(data, "", file, ("visits",))
    if not isinstance(top["visits"], list):
        raise _input_error(file, "visits must be a list")
    members = {
        d: sum(1 for r in directory["inspectors"].values() if r["department"] == d)
        for d in directory["departments"]
    }
    visits, seen = [], set()
    for i, item in enumerate(top["visits"]):
        path = f"visits[{i}]."
        entry = _in_object(
            item,
            path,
            file,
            ("visit_id", "enterprise_id", "date", "departments", "items", "lead"),
            ("minimums", "experts", "expert_categories", "location"),
        )
        vid = _label(entry["visit_id"], path + "visit_id", "input", file)
        if vid in seen:
            _unusable(problems, file, f"visit id {vid!r} appears twice")
        seen.add(vid)
        if not _valid_date(entry["date"]):
            raise _input_error(file, f"{path}date {entry['date']!r} is not a YYYY-MM-DD date")
        departments = _in_labels(entry["departments"], path + "departments", file)
        for department in departments:
            if department == EXPERT_POOL:
                raise _input_error(file, f"{path}departments: {department!r} is the expert pool")
            if not members.get(department):
                detail = (
                    f"{path}departments: {department!r} is not a "
                    "department of the directory with inspectors"
                )
                _unusable(problems, file, detail)
        items = entry["items"]
        if not isinstance(items, dict) or set(items) != set(departments):
            raise _input_error(
                file, f"{path}items must list categories for exactly the visit's departments"
            )
        lead = entry["lead"]
        if lead not in departments:
            raise _input_error(file, f"{path}lead {lead!r} is not one of the departments")
        minimums = entry.get("minimums", {})
        if not isinstance(minimums, dict) or not set(minimums) <= set(departments):
            raise _input_error(file, f"{path}minimums: departments of the visit -> integers")
        for department, minimum in minimums.items():
            if type(minimum) is not int or minimum < 2:
                raise _input_error(file, f"{path}minimums.{department}: an integer of at least 2")
            if minimum > members.get(department, 0):
                detail = (
                    f"{path}minimums.{department}: {minimum} is more than the "
                    "department's number of inspectors"
                )
                _unusable(problems, file, detail)
        count = entry.get("experts", 0)
        if type(count) is not int or count < 0:
            raise _input_error(file, f"{path}experts: an integer of at least 0")
        if count > len(experts):
            detail = f"{path}experts: {count} is more than the pool's {len(experts)} experts"
            _unusable(problems, file, detail)
        needs = _in_set(
            entry.get("expert_categories", []), path + "expert_categories", file, empty_ok=True
        )
        if count == 0 and needs:
            raise _input_error(file, f"{path}expert_categories must be empty without experts")
        location = entry.get("location")
        if location is not None:
            _label(location, path + "location", "input", file)
        wanted = {d: _in_set(items[d], f"{path}items.{d}", file) for d in departments}
        for department in departments:
            held = directory["departments"].get(department, [])
            for category in wanted[department]:
                if category not in held and members.get(department):
                    detail = (
                        f"{path}items.{department}: {category!r} is not in the "
                        "department's category list"
                    )
                    _unusable(problems, file, detail)
        visits.append(
            {
                "visit_id": vid,
                "enterprise_id": _label(
                    entry["enterprise_id"], path + "enterprise_id", "input", file
                ),
                "date": entry["date"],
                "departments": sorted(departments),
                "lead": lead,
                "items": wanted,
                "minimums": {d: minimums.get(d, 2) for d in departments},
                "experts": count,
                "expert_categories": needs,
                "location": location,
            }
        )
    return visits


def expert_digest(experts: dict[str, Any]) -> str:
    """Spec 19.5: the expert pool digest."""
    body = {
        "format": "randsample.expert-pool/1",
        "experts": [
            {
                "id": e["id"],
                "categories": sorted(e["categories"]),
                "home_region": e["home_region"],
                "capacity": e["capacity"],
                "days_off": sorted(e["days_off"]),
            }
            for _uid, e in sorted(experts.items())
        ],
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def input_digest2(visits: list[dict[str, Any]], conflicts: dict[str, Any]) -> str:
    """Spec 19.5: the version-2 input digest."""
    body = {
        "format": "randsample.assignment-input/2",
        "conflicts_digest": conflicts_digest(conflicts),
        "visits": [
            {
                "visit_id": v["visit_id"],
                "enterprise_id": v["enterprise_id"],
                "date": v["date"],
                "departments": sorted(v["departments"]),
                "items": [
                    {"department": d, "categories": sorted(c)}
                    for d, c in sorted(v["items"].items())
                ],
                "lead": v["lead"],
                "minimums": [
                    {"department": d, "minimum": m} for d, m in sorted(v["minimums"].items())
                ],
                "experts": v["experts"],
                "expert_categories": sorted(v["expert_categories"]),
                "location": v["location"],
            }
            for v in sorted(visits, key=lambda v: v["visit_id"])
        ],
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


class Teams2:
    """Version-2 selection (spec 19.2-19.4): per pool, preference lists, demands, teams."""

    def __init__(
        self,
        directory: dict[str, Any],
        experts: dict[str, Any],
        visits: list[dict[str, Any]],
        conflicts: dict[str, Any],
        key: bytes,
    ) -> None:
        self.key, self.visits = key, {v["visit_id"]: v for v in visits}
        order_key = hashlib.sha256(b"randsample/v1/visit-order\x00" + key).digest()
        self.order = [
            v["visit_id"]
            for v in sorted(
                visits,
                key=lambda v: (
                    _sha(order_key, _lp(_utf8_key(v["visit_id"]))),
                    _utf8_key(v["visit_id"]),
                ),
            )
        ]
        self.members: dict[str, dict[str, dict[str, Any]]] = {}  # pool -> id -> member
        for d in sorted({d for v in visits for d in v["departments"]}):
            self.members[d] = {
                r["id"]: r for r in directory["inspectors"].values() if r["department"] == d
            }
        if any(v["experts"] > 0 for v in visits):
            self.members[EXPERT_POOL] = dict(experts)
        self.needs: dict[str, dict[str, int]] = {pool: {} for pool in self.members}
        self.prefs: dict[str, dict[str, list[str]]] = {pool: {} for pool in self.members}
        for vid in self.order:
            visit = self.visits[vid]
            served = [(d, visit["minimums"][d], visit["items"][d]) for d in visit["departments"]]
            if visit["experts"] > 0:
                served.append((EXPERT_POOL, visit["experts"], visit["expert_categories"]))
            for pool, demand, wanted in served:
                self.needs[pool][vid] = demand
                eligible = [
                    r
                    for r in self.members[pool].values()
                    if _eligible2(r, visit, wanted, conflicts)
                ]
                tickets = {r["id"]: self.pair_ticket(vid, r["id"]) for r in eligible}
                self.prefs[pool][vid] = sorted(tickets, key=lambda r: (tickets[r], _utf8_key(r)))
        self.teams = {
            pool: _staff(
                [v for v in self.order if v in self.needs[pool]],
                self.needs[pool],
                self.prefs[pool],
                {r: m["capacity"] for r, m in self.members[pool].items()},
            )
            for pool in self.members
        }

    def pair_ticket(self, vid: str, member: str) -> bytes:
        """Spec 11.3 / 19.3: t(p, r)."""
        return _sha(self.key, _lp(_utf8_key(vid)), _lp(_utf8_key(member)))

    def leader(self, vid: str, team: Iterable[str]) -> str | None:
        """Spec 19.4: the first of pref(p, lead_p) on the lead department's team."""
        lead = self.visits[vid]["lead"]
        chosen = set(team)
        return next((r for r in self.prefs[lead][vid] if r in chosen), None)

    def result(self) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """Every visit's members per department, experts and leader; the unstaffed list."""
        teams, short = {}, []
        for vid in sorted(self.visits, key=_utf8_key):
            visit = self.visits[vid]
            members = {d: sorted(self.teams[d][vid]) for d in visit["departments"]}
            experts = sorted(self.teams[EXPERT_POOL][vid]) if visit["experts"] > 0 else []
            teams[vid] = {
                "members": members,
                "experts": experts,
                "leader": self.leader(vid, self.teams[visit["lead"]][vid]),
            }
            for pool in [
                *sorted(visit["departments"], key=_utf8_key),
                *([EXPERT_POOL] if visit["experts"] > 0 else []),
            ]:
                need, got = self.needs[pool][vid], len(self.teams[pool][vid])
                if got < need:
                    short.append(
                        {
                            "visit_id": vid,
                            "department": None if pool == EXPERT_POOL else pool,
                            "needed": need,
                            "assigned": got,
                        }
                    )
        return teams, short


def _eligible2(
    member: dict[str, Any], visit: dict[str, Any], wanted: Iterable[str], conflicts: dict[str, Any]
) -> bool:
    """Say whether ``member`` (an inspector or an expert) may serve ``visit`` (spec 19.2)."""
    enterprise, uid = visit["enterprise_id"], member["id"]
    rotation = conflicts["rotation"]
    recent = conflicts["history"].get(enterprise, [])[-rotation:] if rotation else []
    return (
        set(wanted) <= set(member["categories"])
        and visit["date"] not in member["days_off"]
        and not (conflicts["same_locality"] and visit["location"] == member["home_region"])
        and not any(r[0] == uid and r[1] == enterprise for r in conflicts["relations"])
        and not any(uid in team for team in recent)
        and uid not in conflicts["recusals"].get(enterprise, [])
        and not any(x[0] == uid and x[1] == enterprise for x in conflicts["exclusions"])
    )


def _read_teams2(record: dict[str, Any], file: str) -> dict[str, dict[str, Any]]:
    """Return the teams of a version-2 record, their shapes checked (spec 19.6, 16.2)."""
    recorded: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(_list_of_objects(record["teams"], "teams", file)):
        path = f"teams[{i}]."
        _fields(entry, ("visit_id", "leader", "members", "experts"), path, file)
        vid = _label(entry["visit_id"], path + "visit_id", "record", file)
        if entry["leader"] is not None:
            _label(entry["leader"], path + "leader", "record", file)
        members = {}
        for j, member in enumerate(_list_of_objects(entry["members"], path + "members", file)):
            where = f"{path}members[{j}]."
            _fields(member, ("department", "inspector_ids"), where, file)
            _label(member["department"], where + "department", "record", file)
            ids = member["inspector_ids"]
            if not isinstance(ids, list) or not all(isinstance(r, str) for r in ids):
                raise CannotVerify(where + "inspector_ids must be an array of ids", "record", file)
            members[member["department"]] = ids
        if not isinstance(entry["experts"], list) or not all(
            isinstance(r, str) for r in entry["experts"]
        ):
            raise CannotVerify(path + "experts must be an array of ids", "record", file)
        recorded[vid] = {
            "members": members,
            "experts": entry["experts"],
            "leader": entry["leader"],
            "order": [m["department"] for m in entry["members"]],
        }
    for i, entry in enumerate(_list_of_objects(record["unstaffed"], "unstaffed", file)):
        path = f"unstaffed[{i}]."
        _fields(entry, ("visit_id", "department", "needed", "assigned"), path, file)
        _label(entry["visit_id"], path + "visit_id", "record", file)
        if entry["department"] is not None:
            _label(entry["department"], path + "department", "record", file)
        needed = _count(entry, "needed", path, file, minimum=1)
        if _count(entry, "assigned", path, file) >= needed:
            raise CannotVerify(f"{path}assigned must be below needed", "record", file)
    return recorded


def verify_assignment2(
    record: Any,
    directory: dict[str, Any],
    experts: dict[str, Any],
    visits: list[dict[str, Any]],
    conflicts: dict[str, Any],
    previous: dict[str, Any] | None = None,
    adjustments: list[dict[str, Any]] | None = None,
    file: str = "",
    unusable: str | None = None,
) -> list[tuple[str, str]]:
    """Run every check of spec 19.7 on a version-2 record, then of section 20.

    The ``adjustments`` are checked in order; return the (field, message) differences. With
    ``unusable`` (the first problem of inputs that do not fit together, ``_unusable``), that
    is the difference under ``input``, nothing is re-derived from the inputs (16.1), and the
    adjustments cannot be checked.
    """
    if not isinstance(record, dict) or record.get("record_format") != ASSIGNMENT2_FORMAT:
        raise CannotVerify("not a version-2 assignment record", "record", file)
    _check_common(record, ASSIGNMENT2_FIELDS, file, ("authority", "assignment_id"))
    algorithm = _fields(record["algorithm"], ("name", "version"), "algorithm.", file)
    if (
        algorithm["name"] != "team-assignment"
        or type(algorithm["version"]) is not int
        or (algorithm["version"] != 2)
    ):
        raise CannotVerify(
            f"algorithm {algorithm!r}: this record format has team-assignment version 2",
            "unsupported",
            file,
        )
    stated = {
        name: _fields(record[name], fields, name + ".", file)
        for name, fields in (
            ("directory", ("digest", "inspectors")),
            ("experts", ("digest", "experts")),
            ("input", ("digest", "visits", "conflicts_digest")),
        )
    }
    for name, fields in (
        ("directory", ("inspectors",)),
        ("experts", ("experts",)),
        ("input", ("visits",)),
    ):
        _digest_field(stated[name]["digest"], name + ".digest", file)
        for field in fields:
            _count(stated[name], field, name + ".", file)
    _digest_field(stated["input"]["conflicts_digest"], "input.conflicts_digest", file)
    recorded = _read_teams2(record, file)
    adjustments = [_read_adjustment(a, i) for i, a in enumerate(adjustments or [])]
    if unusable is None and conflicts["same_locality"]:
        missing = next((v["visit_id"] for v in visits if v["location"] is None), None)
        if missing is not None:
            unusable = f"the locality rule is on and visit {missing!r} has no location (19.1)"
    out = Findings()
    digest = check_seal(record, out)
    seed_value = _check_seed(record["seed"], out, file)
    key = _check_subkey(record, seed_value, out, file, purpose="inspectors")
    if unusable is not None:
        out("input", "the visits, directory, experts or conflicts are not usable: " + unusable)
        if previous is not None:
            check_chain(record, previous, out)
        if adjustments:
            out("adjustments", "cannot be checked: the team record does not verify")
        return list(out)
    checks = (
        ("directory.digest", stated["directory"]["digest"], directory_digest(directory)),
        ("directory.inspectors", stated["directory"]["inspectors"], len(directory["inspectors"])),
        ("experts.digest", stated["experts"]["digest"], expert_digest(experts)),
        ("experts.experts", stated["experts"]["experts"], len(experts)),
        ("input.digest", stated["input"]["digest"], input_digest2(visits, conflicts)),
        ("input.visits", stated["input"]["visits"], len(visits)),
        (
            "input.conflicts_digest",
            stated["input"]["conflicts_digest"],
            conflicts_digest(conflicts),
        ),
    )
    for field, says, gives in checks:
        if says != gives:
            out(field, f"record says {says!r}, the data give {gives!r}")
    selection = Teams2(directory, experts, visits, conflicts, key)
    expected, short = selection.result()
    problems: list[tuple[str, str]] = []
    for vid in recorded:
        if vid not in expected:
            problems.append(("teams", f"visit {vid!r} is not among the visits"))
    for vid, team in expected.items():
        mine = recorded.get(vid)
        if mine is None:
            problems.append(("teams", f"visit {vid!r} is missing"))
            continue
        if sorted(mine["members"]) != sorted(team["members"]):
            problems.append(
                (
                    f"teams[{vid!r}]",
                    f"lists departments {sorted(mine['members'])!r}"
                    f", the visit has {sorted(team['members'])!r}",
                )
            )
        for department in sorted(set(team["members"]) | set(mine["members"])):
            says, gives = mine["members"].get(department, []), team["members"].get(department, [])
            if says != gives:
                problems.append(
                    (
                        f"teams[{vid!r}][{department!r}]",
                        f"record says {says!r}, re-derived {gives!r}",
                    )
                )
        for name in ("experts", "leader"):
            if mine[name] != team[name]:
                problems.append(
                    (
                        f"teams[{vid!r}].{name}",
                        f"record says {mine[name]!r}, re-derived {team[name]!r}",
                    )
                )
        if mine["order"] != sorted(mine["order"], key=_utf8_key):
            problems.append((f"teams[{vid!r}]", "members not sorted by department"))
    ids = list(recorded)
    if ids != sorted(ids, key=_utf8_key):
        problems.append(("teams", "not sorted by visit_id"))
    out.listed(problems, "teams")
    if record["unstaffed"] != short:
        out("unstaffed", f"record says {record['unstaffed']!r}, re-derived {short!r}")
    if previous is not None:
        check_chain(record, previous, out)
    if adjustments:
        _verify_adjustments(record, digest, selection, expected, adjustments, out)
    return list(out)


def _read_adjustment(record: Any, index: int) -> dict[str, Any]:
    file = f"adjustment {index + 1}"
    if not isinstance(record, dict) or record.get("record_format") != ADJUSTMENT_FORMAT:
        raise CannotVerify("not a team adjustment record", "record", file)
    _check_common(record, ADJUSTMENT_FIELDS, file, ("authority", "visit_id"))
    _digest_field(record["previous_record_digest"], "previous_record_digest", file)
    _digest_field(record["assignment_record_digest"], "assignment_record_digest", file)
    if record["department"] is not None:
        _label(record["department"], "department", "record", file)
    if record["leader"] is not None:
        _label(record["leader"], "leader", "record", file)
    dropped = _fields(record["dropped"], ("id", "reason", "recorded_by"), "dropped.", file)
    for name in ("id", "reason", "recorded_by"):
        _label(dropped[name], "dropped." + name, "record", file)
    unit = _fields(record["replacement"], ("id", "ticket", "position"), "replacement.", file)
    _label(unit["id"], "replacement.id", "record", file)
    _digest_field(unit["ticket"], "replacement.ticket", file)
    _count(unit, "position", "replacement.", file, minimum=1)
    return record


def _verify_adjustments(
    team_record: dict[str, Any],
    team_digest: str,
    selection: Teams2,
    expected: dict[str, dict[str, Any]],
    adjustments: list[dict[str, Any]],
    out: Findings,
) -> None:
    """Section 20: each adjustment's seal, team record, link, and the rule re-applied."""
    state = {
        pool: {vid: set(team) for vid, team in teams.items()}
        for pool, teams in selection.teams.items()
    }
    leaders = {vid: team["leader"] for vid, team in expected.items()}
    barred: dict[str, set[str]] = {}
    before = team_record
    for i, record in enumerate(adjustments):
        here = out.under(f"adjustments[{i}].")
        check_seal(record, here)
        if record["assignment_record_digest"] != team_digest:
            here(
                "assignment_record_digest",
                f"points at {record['assignment_record_digest']}, "
                f"not at this team record ({team_digest})",
            )
        if i > 0 and record["previous_record_digest"] != record_digest(before):
            here("previous_record_digest", "does not link to the adjustment before it")
        if record["authority"] != team_record["authority"]:
            here("authority", f"{record['authority']!r} is not the team record's authority")
        if record["timestamp"] < before["timestamp"]:
            here("timestamp", f"{record['timestamp']} is earlier than {before['timestamp']}")
        before = record
        vid, gone = record["visit_id"], record["dropped"]["id"]
        pool = next((p for p, teams in state.items() if gone in teams.get(vid, set())), None)
        if pool is None:
            here("dropped", f"{gone!r} is not on the current team of visit {vid!r}")
            continue
        department = None if pool == EXPERT_POOL else pool
        if record["department"] != department:
            here(
                "department",
                f"record says {record['department']!r}, {gone!r} is in pool {department!r}",
            )
        team = state[pool][vid]
        load = {
            r: sum(1 for v, t in state[pool].items() if r in t and not (v == vid and r == gone))
            for r in selection.members[pool]
        }
        banned = barred.setdefault(vid, set()) | {gone}
        capacity = {r: m["capacity"] for r, m in selection.members[pool].items()}
        chosen = next(
            (
                (k, r)
                for k, r in enumerate(selection.prefs[pool][vid], start=1)
                if r not in team and r not in banned and load[r] < capacity[r]
            ),
            None,
        )
        if chosen is None:
            here("replacement", "no eligible member is left: the adjustment would be refused")
            continue
        position, new = chosen
        derived = {"id": new, "ticket": selection.pair_ticket(vid, new).hex(), "position": position}
        if record["replacement"] != derived:
            here("replacement", f"record says {record['replacement']!r}, re-derived {derived!r}")
        team.discard(gone)
        team.add(new)
        barred[vid].add(gone)
        if pool == selection.visits[vid]["lead"]:
            leaders[vid] = selection.leader(vid, team)
        if record["leader"] != leaders[vid]:
            here("leader", f"record says {record['leader']!r}, re-derived {leaders[vid]!r}")


# ============================================================ 8. results (spec 13)
CATEGORIES = (
    "no-problem",
    "corrected",
    "pending-follow-up",
    "no-relevant-activity",
    "closed-or-liquidating",
    "refused-inspection",
    "deregistered",
    "licence-revoked",
    "registration-cancelled",
    "moved-out",
)
SUBTYPES = (
    "undisclosed-information",
    "false-disclosure",
    "unreachable-at-address",
    "other-violation",
)
METHODS = (
    "on-site",
    "written",
    "online",
    "data-sharing",
    "testing",
    "professional-agency",
    "department-findings",
    "video",
)
FOLLOW_UPS = (
    "none",
    "stop-inspection",
    "order-correction",
    "refer-case",
    "notify-department",
    "abnormal-operations-list",
)
STATES = ("not-entered", "pending-review", "returned", "approved", "published", "closed")
MOVES = {
    "not-entered": ("pending-review",),
    "pending-review": ("returned", "approved"),
    "returned": ("pending-review",),
    "approved": ("published",),
    "published": ("closed",),
    "closed": (),
}
RESULT_FIELDS = (
    "record_format",
    "authority",
    "timestamp",
    "previous_record_digest",
    "draw_record_digest",
    "previous_result_digest",
    "result",
    "record_digest",
)
RESULT_CONTENT = (
    "task_id",
    "department",
    "enterprise_id",
    "period",
    "category",
    "subtypes",
    "methods",
    "follow_ups",
    "officers",
    "leader",
    "inspection_start",
    "inspection_end",
)
RESULT_SNAPSHOT = ("state", "date", "by", "note")


def _read_result(record: Any, file: str) -> dict[str, Any]:
    if not isinstance(record, dict) or record.get("record_format") != RESULT_FORMAT:
        raise CannotVerify("not a result record", "record", file)
    _check_common(record, RESULT_FIELDS, file)
    for name in ("draw_record_digest", "previous_result_digest"):
        _digest_field(record[name], name, file, nullable=True)
    result = _fields(record["result"], RESULT_CONTENT + RESULT_SNAPSHOT, "result.", file)
    for name in ("task_id", "department", "enterprise_id", "period", "by"):
        _label(result[name], "result." + name, "record", file)
    for name in ("category", "state", "inspection_start", "inspection_end", "date"):
        _get(result, name, (str,), "result.", file)
    for name in ("subtypes", "methods", "follow_ups", "officers"):
        value = _get(result, name, (list,), "result.", file)
        if not all(isinstance(v, str) for v in value):
            raise CannotVerify(f"result.{name} must be an array of strings", "record", file)
    for name in ("leader", "note"):
        if result[name] is not None:
            _label(result[name], "result." + name, "record", file)
    return record


def _result_rules(result: dict[str, Any]) -> list[str]:
    """Return the content rules of spec 13.1-13.2 a snapshot breaks, in words."""
    broken = []

    def codes(name: str, known: tuple[str, ...]) -> list[str]:
        values = result[name]
        unknown = [v for v in values if v not in known]
        if unknown:
            broken.append(f"{name}: {unknown!r} not in the vocabulary of 13.1")
        if values != sorted(set(values)):
            broken.append(f"{name}: not sorted, or a code repeated")
        return list(values)

    if result["category"] not in CATEGORIES:
        broken.append(f"category {result['category']!r} is not in the vocabulary of 13.1")
    subtypes = codes("subtypes", SUBTYPES)
    if (result["category"] == "pending-follow-up") != bool(subtypes):
        broken.append("subtypes: given only, and at least one, with pending-follow-up")
    methods = codes("methods", METHODS)
    if not methods:
        broken.append("methods: at least one")
    follow_ups = codes("follow_ups", FOLLOW_UPS)
    if not follow_ups or ("none" in follow_ups and len(follow_ups) > 1):
        broken.append("follow_ups: at least one, and none only alone")
    officers = result["officers"]
    if not officers or officers != sorted(set(officers)):
        broken.append("officers: a non-empty set of labels sorted by code point")
    if any(_label_problem(o) for o in officers):
        broken.append("officers: each a label (spec 1)")
    if "on-site" in methods and len(set(officers)) < 2:
        broken.append("officers: at least two for an on-site inspection")
    if result["leader"] is not None and result["leader"] not in officers:
        broken.append("leader: not one of the officers")
    start, end, date = result["inspection_start"], result["inspection_end"], result["date"]
    if not (_valid_date(start) and _valid_date(end) and _valid_date(date)):
        broken.append("inspection_start, inspection_end and date must be YYYY-MM-DD dates")
    else:
        if start > end:
            broken.append("inspection_start is after inspection_end")
        if date < end:
            broken.append("date is before inspection_end")
    if result["state"] not in STATES or result["state"] == "not-entered":
        broken.append(f"state {result['state']!r} is not a snapshot's state")
    return broken


def verify_results(
    records: list[Any],
    draw: dict[str, Any] | None = None,
    replacements: list[dict[str, Any]] | None = None,
    previous: dict[str, Any] | None = None,
    file: str = "",
) -> list[tuple[str, str]]:
    """Check an authority's result records in the order they were sealed (spec 13.3).

    With the draw record (and its replacements), also the draw link and the drawn units.
    """
    records = [_read_result(r, f"{file} record {i + 1}") for i, r in enumerate(records)]
    if not records:
        raise CannotVerify("no result record", "record", file)
    out = Findings()
    drawn: set[str] | None = None
    draw_digest = None
    if draw is not None:
        draw_digest = record_digest(draw)
        drawn = {entry["id"] for entry in draw.get("selection", []) if isinstance(entry, dict)}
        for replacement in replacements or []:
            drawn.discard(replacement["replaced"]["id"])
            drawn.add(replacement["replacement"]["id"])
    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    before = previous
    for i, record in enumerate(records):
        here = out.under(f"records[{i}].")
        check_seal(record, here)
        if before is not None:
            check_chain(record, before, here)
        result = record["result"]
        key = (result["task_id"], result["department"], result["enterprise_id"])
        last = latest.get(key)
        link = None if last is None else record_digest(last)
        if record["previous_result_digest"] != link:
            here(
                "previous_result_digest",
                f"record says {record['previous_result_digest']}, "
                f"the result's previous snapshot is {link}",
            )
        for problem in _result_rules(result):
            here("result", f"result {key!r}: {problem}")
        state = result["state"]
        was = "not-entered" if last is None else last["result"]["state"]
        if state not in MOVES.get(was, ()):
            here("result.state", f"cannot move from {was} to {state}")
        if last is not None:
            old = last["result"]
            if result["date"] < old["date"]:
                here(
                    "result.date",
                    f"{result['date']} is earlier than the previous snapshot's {old['date']}",
                )
            changed = [n for n in RESULT_CONTENT if result[n] != old[n]]
            if changed and not (was == "returned" and state == "pending-review"):
                here(
                    "result",
                    f"content changed ({', '.join(changed)}) on the move {was} -> "
                    f"{state}; only a re-entry after returned may change it",
                )
        if draw is not None:
            if record["draw_record_digest"] != draw_digest:
                here(
                    "draw_record_digest",
                    f"record says {record['draw_record_digest']}, the "
                    f"draw record's digest is {draw_digest}",
                )
            if drawn is not None and result["enterprise_id"] not in drawn:
                here(
                    "result.enterprise_id",
                    f"{result['enterprise_id']!r} is not in the draw's "
                    "selection (replacements applied)",
                )
        latest[key] = record
        before = record
    return list(out)


# ============================================================ 9. publication (spec 14)
def unit_salt(secret: bytes, unit_id: str) -> bytes:
    """Spec 14.1: a unit's salt."""
    return _sha(b"randsample/v2/unit-salt\x00", _lp(secret), _lp(unit_id.encode("utf-8")))


def unit_bucket(unit_id: str, buckets: int) -> int:
    """Spec 14.1: a unit's bucket among ``buckets``."""
    head = _sha(b"randsample/v2/bucket\x00", _lp(unit_id.encode("utf-8")))[:8]
    return int.from_bytes(head, "big") % buckets


def ticket2(key: bytes, salt: bytes, unit_id: str) -> bytes:
    """Spec 14.3: a version-2 ticket."""
    return _sha(b"randsample/v2/ticket\x00", key, salt, _lp(unit_id.encode("utf-8")))


def leaf_hash(
    salt: bytes, unit_id: str, stratum: str, eligible: bool, weight_bytes: bytes
) -> bytes:
    """Spec 14.2: SHA-256(0x00 || leaf_data(u)); ``weight_bytes`` as in 4.2."""
    return _sha(
        b"\x00randsample/v2/leaf\x00",
        salt,
        _lp(unit_id.encode("utf-8")),
        _lp(stratum.encode("utf-8")),
        b"\x01" if eligible else b"\x00",
        weight_bytes,
    )


def merkle_root(hashes: list[bytes], lo: int = 0, hi: int | None = None) -> bytes:
    """RFC 6962 section 2.1 tree hash over leaf hashes ``hashes[lo:hi]``."""
    hi = len(hashes) if hi is None else hi
    n = hi - lo
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[lo]
    k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two smaller than n
    return _sha(b"\x01", merkle_root(hashes, lo, lo + k), merkle_root(hashes, lo + k, hi))


def _bucket_entry(bucket: int, count: int, root: bytes) -> bytes:
    return (
        b"randsample/v2/bucket-root\x00"
        + struct.pack(">I", bucket)
        + struct.pack(">Q", count)
        + root
    )


def commitment_root(buckets: int, units: int, top: bytes) -> str:
    """Spec 14.2: the commitment from the top tree hash."""
    return hashlib.sha256(
        b"randsample/v2/population-commitment\x00"
        + struct.pack(">I", buckets)
        + struct.pack(">Q", units)
        + top
    ).hexdigest()


class SaltedScan:
    """One pass for a salted draw (spec 14).

    Per unit its salt, bucket and leaf hash and, for the eligible units of strata being
    drawn, its version-2 ticket.
    """

    def __init__(
        self, need: dict[str, int], secret: bytes, buckets: int, wanted: Iterable[str] = ()
    ) -> None:
        if _weak_bytes(secret):
            raise CannotVerify(
                "the authority secret needs at least 16 bytes with at least 8 "
                "distinct values (spec 14)",
                "input",
                "--secret",
            )
        self.pools = {h: _Pool(n) for h, n in need.items() if n > 0}
        self.all: dict[str, list[Any]] = {}
        self.secret, self.buckets = secret, buckets
        self.leaves: list[list[tuple[bytes, bytes]]] = [[] for _ in range(buckets)]
        self.wanted = set(wanted)
        self.facts: dict[str, tuple[str, bool]] = {}

    def run(self, rows: Iterable[tuple[Any, ...]], key: bytes) -> SaltedScan:
        sha = hashlib.sha256
        salt_tag = b"randsample/v2/unit-salt\x00" + _lp(self.secret)
        ticket_tag = b"randsample/v2/ticket\x00" + key
        pools, leaves, buckets = self.pools, self.leaves, self.buckets
        for uid, raw, lp_id, stratum, lp_stratum, eligible, weight_bytes, _w in rows:
            salt = sha(salt_tag + lp_id).digest()
            bucket = (
                int.from_bytes(sha(b"randsample/v2/bucket\x00" + lp_id).digest()[:8], "big")
                % buckets
            )
            leaf = sha(
                b"\x00randsample/v2/leaf\x00"
                + salt
                + lp_id
                + lp_stratum
                + (b"\x01" if eligible else b"\x00")
                + weight_bytes
            ).digest()
            leaves[bucket].append((raw, leaf))
            if eligible:
                pool = pools.get(stratum)
                if pool is not None:
                    tick = sha(ticket_tag + salt + lp_id).digest()
                    if pool.threshold is None or tick <= pool.threshold:
                        pool.add((tick, raw))
            if uid in self.wanted:
                self.facts[uid] = (stratum, eligible)
        return self

    def commitment(self, units: int) -> dict[str, Any]:
        """Return the commitment object (14.4) of the scanned rows."""
        entries = []
        for bucket, items in enumerate(self.leaves):
            items.sort()
            root = merkle_root([leaf for _raw, leaf in items])
            entries.append(_sha(b"\x00", _bucket_entry(bucket, len(items), root)))
        top = merkle_root(entries)
        return {
            "version": 2,
            "root": commitment_root(self.buckets, units, top),
            "buckets": self.buckets,
            "units": units,
        }


def _commitment_buckets(record: dict[str, Any], file: str) -> int:
    commitment = _check_commitment_shape(
        record["population"].get("commitment"), "population.commitment", file
    )
    return int(commitment["buckets"])


def _check_commitment_shape(value: Any, path: str, file: str) -> dict[str, Any]:
    commitment = _fields(value, ("version", "root", "buckets", "units"), path + ".", file)
    if commitment["version"] != 2 or type(commitment["version"]) is not int:
        raise CannotVerify(
            f"{path}.version {commitment['version']!r}: this verifier knows version 2",
            "unsupported",
            file,
        )
    _digest_field(commitment["root"], path + ".root", file)
    buckets, units = commitment["buckets"], commitment["units"]
    if type(buckets) is not int or not 1 <= buckets <= 65536:
        raise CannotVerify(f"{path}.buckets must be an integer in [1, 65536]", "record", file)
    if type(units) is not int or units < 0:
        raise CannotVerify(f"{path}.units must be a non-negative integer", "record", file)
    return commitment


def _check_commitment(
    stated: dict[str, Any], derived: dict[str, Any], out: Findings, path: str
) -> None:
    for name in ("root", "units"):
        if stated[name] != derived[name]:
            out(f"{path}.{name}", f"record says {stated[name]!r}, re-derived {derived[name]!r}")


def _check_thresholds(
    strata: list[tuple[str, dict[str, Any]]], expected: list[dict[str, Any]], out: Findings
) -> None:
    """Spec 14.3: each stratum's threshold is its largest selected ticket (null if none)."""
    largest: dict[str, str] = {}
    for entry in expected:
        largest[entry["stratum"]] = entry["ticket"]  # entries are in rank order
    for stratum, entry in strata:
        if entry["threshold"] != largest.get(stratum):
            out(
                f"design.strata[{stratum!r}].threshold",
                f"record says {entry['threshold']!r}, re-derived {largest.get(stratum)!r}",
            )


# ---------------------------------------------------------------- public notices (14.6)
NOTICE_FIELDS = (
    "record_format",
    "library",
    "authority",
    "notice_id",
    "timestamp",
    "previous_record_digest",
    "draw_record_digest",
    "algorithm",
    "task",
    "seed",
    "purpose",
    "subkey",
    "population_commitment",
    "strata",
    "drawn",
    "record_digest",
)
NOTICE_RESULT_FIELDS = (
    "department",
    "category",
    "subtypes",
    "follow_ups",
    "inspection_end",
    "published_on",
    "result_record_digest",
)


def _read_notice(notice: Any, file: str) -> dict[str, Any]:
    if not isinstance(notice, dict) or notice.get("record_format") != NOTICE_FORMAT:
        raise CannotVerify("not a public notice", "record", file)
    _check_common(notice, NOTICE_FIELDS, file, ("authority", "notice_id"))
    _digest_field(notice["draw_record_digest"], "draw_record_digest", file)
    _check_algorithm(notice, (SALTED,), file)
    task = _fields(notice["task"], ("task_id", "period", "departments", "items"), "task.", file)
    _label(task["task_id"], "task.task_id", "record", file)
    _label(task["period"], "task.period", "record", file)
    for i, item in enumerate(_list_of_objects(task["departments"], "task.departments", file)):
        _fields(item, ("code", "name"), f"task.departments[{i}].", file)
        for name in ("code", "name"):
            _label(item[name], f"task.departments[{i}].{name}", "record", file)
    for i, item in enumerate(_list_of_objects(task["items"], "task.items", file)):
        _fields(
            item,
            ("item_id", "department", "legal_basis", "category", "method"),
            f"task.items[{i}].",
            file,
        )
    _check_commitment_shape(notice["population_commitment"], "population_commitment", file)
    for i, entry in enumerate(_list_of_objects(notice["strata"], "strata", file)):
        _fields(entry, ("stratum", "eligible", "sample_size", "threshold"), f"strata[{i}].", file)
        _label(entry["stratum"], f"strata[{i}].stratum", "record", file)
        _get(entry, "eligible", (int,), f"strata[{i}].", file)
        _get(entry, "sample_size", (int,), f"strata[{i}].", file)
        _digest_field(entry["threshold"], f"strata[{i}].threshold", file, nullable=True)
    for i, entry in enumerate(_list_of_objects(notice["drawn"], "drawn", file)):
        _fields(entry, ("id", "results"), f"drawn[{i}].", file)
        _label(entry["id"], f"drawn[{i}].id", "record", file)
        for j, result in enumerate(_list_of_objects(entry["results"], f"drawn[{i}].results", file)):
            path = f"drawn[{i}].results[{j}]."
            _fields(result, NOTICE_RESULT_FIELDS, path, file)
            for name in ("department", "category", "inspection_end", "published_on"):
                _get(result, name, (str,), path, file)
            for name in ("subtypes", "follow_ups"):
                codes = _get(result, name, (list,), path, file)
                if not all(isinstance(code, str) for code in codes):
                    raise CannotVerify(f"{path}{name} must be an array of codes", "record", file)
            _digest_field(result["result_record_digest"], path + "result_record_digest", file, True)
    return notice


def verify_notice(
    notice: dict[str, Any],
    draw: dict[str, Any] | None = None,
    population: Any = None,
    secret: bytes | None = None,
    previous: dict[str, Any] | None = None,
    file: str = "",
) -> list[tuple[str, str]]:
    """Check a public notice (spec 14.6).

    With the salted draw record (and the population file and the authority secret), the
    auditor's checks too.
    """
    notice = _read_notice(notice, file)
    out = Findings()
    check_seal(notice, out)
    _check_public(notice, out, file)
    if previous is not None:
        check_chain(notice, previous, out)
    if draw is not None:
        if draw.get("record_format") != SALTED_FORMAT:
            raise CannotVerify(
                "a notice is checked against a salted draw record", "record", "draw record"
            )
        if record_digest(draw) != notice["draw_record_digest"]:
            out("draw_record_digest", "does not match the salted draw record's content")
        for name in ("seed", "purpose", "subkey", "algorithm"):
            if notice[name] != draw.get(name):
                out(name, "differs from the salted draw record's")
        if notice["population_commitment"] != draw.get("population", {}).get("commitment"):
            out("population_commitment", "differs from the salted draw record's")
        strata = [
            {k: v for k, v in entry.items() if k != "units"}
            for entry in draw.get("design", {}).get("strata", [])
        ]
        if notice["strata"] != strata:
            out("strata", "differs from the salted draw record's design.strata (without units)")
        if {e["id"] for e in notice["drawn"]} != {e.get("id") for e in draw.get("selection", [])}:
            out("drawn", "differs from the salted draw record's selection")
        if population is not None:
            for field, text in verify_draw(draw, population, secret=secret, file="draw record"):
                out("draw_record." + field, text)
    return list(out)


def _check_public(notice: dict[str, Any], out: Findings, file: str) -> bytes:
    """Make the checks anyone can make on a notice alone (14.6); return the sub-key."""
    seed_value = _check_seed(notice["seed"], out, file)
    key = _check_subkey(notice, seed_value, out, file)
    names = [entry["stratum"] for entry in notice["strata"]]
    if names != sorted(set(names), key=_utf8_key):
        out("strata", "strata are repeated or not sorted by UTF-8(stratum)")
    total = 0
    for entry in notice["strata"]:
        path = f"strata[{entry['stratum']!r}]"
        if not 0 <= entry["sample_size"] <= entry["eligible"]:
            out(
                path + ".sample_size",
                f"{entry['sample_size']} is not between 0 and eligible {entry['eligible']}",
            )
        if (entry["threshold"] is None) != (entry["sample_size"] == 0):
            out(path + ".threshold", "must be null exactly when the sample size is 0")
        total += entry["sample_size"]
    ids = [entry["id"] for entry in notice["drawn"]]
    if ids != sorted(set(ids), key=_utf8_key):
        out("drawn", "ids are repeated or not sorted by UTF-8(id)")
    if len(ids) != total:
        out("drawn", f"lists {len(ids)} ids, the strata's sample sizes add up to {total}")
    if (
        sum(entry["eligible"] for entry in notice["strata"])
        > notice["population_commitment"]["units"]
    ):
        out("strata", "more eligible units than the commitment's units")
    departments = {d["code"] for d in notice["task"]["departments"]}
    for entry in notice["drawn"]:
        for result in entry["results"]:
            path = f"drawn[{entry['id']!r}].results"
            if result["department"] not in departments:
                out(path, f"department {result['department']!r} is not one of the task's")
            if (
                result["category"] not in CATEGORIES
                or not isinstance(result["subtypes"], list)
                or not set(result["subtypes"]) <= set(SUBTYPES)
                or not isinstance(result["follow_ups"], list)
                or not set(result["follow_ups"]) <= set(FOLLOW_UPS)
            ):
                out(path, f"codes of department {result['department']!r} are not in 13.1")
    return key


# ---------------------------------------------------------------- receipts (14.7)
RECEIPT_FIELDS = (
    "receipt_format",
    "notice_digest",
    "unit",
    "ticket",
    "threshold",
    "selected",
    "proof",
)


def _read_receipt(receipt: Any, file: str) -> dict[str, Any]:
    if not isinstance(receipt, dict) or receipt.get("receipt_format") != RECEIPT_FORMAT:
        raise CannotVerify("not a receipt", "record", file)
    _fields(receipt, RECEIPT_FIELDS, "", file)
    _digest_field(receipt["notice_digest"], "notice_digest", file)
    unit = _fields(receipt["unit"], ("id", "stratum", "eligible", "weight", "salt"), "unit.", file)
    _label(unit["id"], "unit.id", "record", file)
    _label(unit["stratum"], "unit.stratum", "record", file)
    _get(unit, "eligible", (bool,), "unit.", file)
    if unit["weight"] is not None and not (
        isinstance(unit["weight"], str) and re.fullmatch(r"[0-9a-f]{16}", unit["weight"])
    ):
        raise CannotVerify("unit.weight must be null or 16 hex digits", "record", file)
    if len(_hex_bytes(unit["salt"], "unit.salt", file)) != 32:
        raise CannotVerify("unit.salt must be 32 bytes", "record", file)
    _digest_field(receipt["ticket"], "ticket", file)
    _digest_field(receipt["threshold"], "threshold", file, nullable=True)
    _get(receipt, "selected", (bool,), "", file)
    proof = _fields(
        receipt["proof"], ("bucket", "leaf_index", "leaf_count", "path", "top_path"), "proof.", file
    )
    for name in ("bucket", "leaf_index", "leaf_count"):
        if type(proof[name]) is not int or proof[name] < 0:
            raise CannotVerify(f"proof.{name} must be a non-negative integer", "record", file)
    for name in ("path", "top_path"):
        if not isinstance(proof[name], list) or len(proof[name]) > 64:
            raise CannotVerify(
                f"proof.{name} must be an array of at most 64 hashes", "record", file
            )
        for item in proof[name]:
            _digest_field(item, f"proof.{name}[]", file)
    return receipt


def audit_root(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2: the root an inclusion proof leads to, or None if it fails."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = _sha(b"\x01", p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _sha(b"\x01", r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_receipt(
    receipt: Any, notice: Any, file: str = "", notice_file: str = ""
) -> list[tuple[str, str]]:
    """Spec 14.7: an enterprise checks its receipt with the public notice alone."""
    receipt = _read_receipt(receipt, file)
    notice = _read_notice(notice, notice_file)
    out = Findings()
    check_seal(notice, out.under("notice."))  # (1) the notice's seal and seed
    _check_public(notice, out.under("notice."), notice_file)
    if receipt["notice_digest"] != notice["record_digest"]:  # (2)
        out("notice_digest", "is not the digest of this notice")
    unit, proof = receipt["unit"], receipt["proof"]
    commitment = notice["population_commitment"]
    buckets = commitment["buckets"]
    bucket = unit_bucket(unit["id"], buckets)
    if proof["bucket"] != bucket:  # (3)
        out("proof.bucket", f"is {proof['bucket']}, the id's bucket is {bucket}")
    salt = bytes.fromhex(unit["salt"])
    weight = b"\x00" if unit["weight"] is None else b"\x01" + bytes.fromhex(unit["weight"])
    leaf = leaf_hash(salt, unit["id"], unit["stratum"], unit["eligible"], weight)  # (4)
    root = audit_root(
        leaf, proof["leaf_index"], proof["leaf_count"], [bytes.fromhex(h) for h in proof["path"]]
    )
    top = None
    if root is not None and proof["bucket"] < buckets:
        entry = _sha(b"\x00", _bucket_entry(proof["bucket"], proof["leaf_count"], root))
        top = audit_root(
            entry, proof["bucket"], buckets, [bytes.fromhex(h) for h in proof["top_path"]]
        )
    if top is None or commitment_root(buckets, commitment["units"], top) != commitment["root"]:
        out("proof", "the unit's row and path do not lead to the committed population")
    expected = ticket2(bytes.fromhex(notice["subkey"]), salt, unit["id"]).hex()  # (5)
    if receipt["ticket"] != expected:
        out("ticket", f"record says {receipt['ticket']}, the salt and id give {expected}")
    strata = {entry["stratum"]: entry for entry in notice["strata"]}  # (6)
    if unit["stratum"] not in strata:
        out("threshold", f"stratum {unit['stratum']!r} is not a stratum of the notice")
    elif receipt["threshold"] != strata[unit["stratum"]]["threshold"]:
        out("threshold", "differs from the notice's threshold for the unit's stratum")
    threshold = receipt["threshold"]
    selected = unit["eligible"] and threshold is not None and receipt["ticket"] <= threshold
    if receipt["selected"] != selected:  # (7)
        out(
            "selected",
            f"says {json.dumps(receipt['selected'])}, the ticket and threshold "
            f"give {json.dumps(selected)}",
        )
    listed = any(entry["id"] == unit["id"] for entry in notice["drawn"])
    if listed != selected:
        out("drawn", "the notice lists the unit" if listed else "the notice does not list the unit")
    return list(out)


# ============================================================ 10. verdicts (spec 15)
CHECKS = (
    "record-digest",
    "seed",
    "subkey",
    "announcement",
    "population",
    "commitment",
    "design",
    "selection",
    "replacement",
    "directory",
    "assignment-input",
    "teams",
    "adjustment",
    "result",
    "notice",
    "receipt-notice",
    "receipt-proof",
    "receipt-ticket",
    "chain",
    "other",
)
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
_SEAL_AND_CHAIN = ("record_digest", "previous_record_digest", "previous", "authority", "timestamp")
_PREFIX = re.compile(r"(replacements|records|adjustments)\[[0-9]+\]\.|(draw_record|notice)\.")
# (cause, the check code that triggers it, the check codes it explains), by precedence.
CAUSES = (
    ("wrong-population", "population", ("commitment", "design", "selection", "replacement")),
    ("wrong-commitment", "commitment", ("design", "selection", "replacement")),
    (
        "wrong-seed",
        "seed",
        ("subkey", "design", "selection", "replacement", "teams", "receipt-ticket"),
    ),
    ("wrong-subkey", "subkey", ("design", "selection", "replacement", "teams", "receipt-ticket")),
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
)


def check_code(field: str) -> str:
    """Spec 15.2: the check code of a difference, from its field path."""
    prefix = None
    match = _PREFIX.match(field)
    rest = field
    if match:
        prefix = match.group(1) or match.group(2)
        rest = field[match.end() :]
    head = re.match(r"[a-z_]*", rest).group()  # type: ignore[union-attr]
    if prefix == "adjustments" and head not in _SEAL_AND_CHAIN:
        return "adjustment"
    if head == "population":
        return "commitment" if rest.startswith("population.commitment") else "population"
    if head == "draw_record_digest":
        return {"replacements": "replacement", "records": "result"}.get(prefix or "", "notice")
    return _HEADS.get(head, "other")


def causes_of(codes: Iterable[str]) -> list[str]:
    """Return the causes of spec 15.3, most likely first.

    A cause is left out when an earlier one explains its check (a changed population file
    also changes the selection).
    """
    present, explained, found = set(codes), set[str](), list[str]()
    for cause, code, explains in CAUSES:
        if code in present and code not in explained:
            found.append(cause)
            explained.update(explains)
    return found


class Verdict:
    """A verifier's answer (spec 15.1): a status, the differences, what to compare."""

    def __init__(
        self,
        status: str,
        record_format: str | None = None,
        record_digest: str | None = None,
        findings: Iterable[tuple[str, str]] = (),
        announcement: list[tuple[str, dict[str, Any], Any]] | None = None,
        notes: Iterable[tuple[str, dict[str, Any]]] = (),
        error: CannotVerify | None = None,
    ) -> None:
        self.status = status
        self.record_format, self.record_digest = record_format, record_digest
        self.findings = list(findings)
        self.announcement = announcement or []
        self.notes = list(notes)
        self.error = error

    @property
    def codes(self) -> list[str]:
        """The check codes that differ, in catalogue order."""
        present = {check_code(field) for field, _text in self.findings}
        return [code for code in CHECKS if code in present]

    @property
    def causes(self) -> list[str]:
        return causes_of(self.codes)

    def headline(self, lang: str = "en") -> str:
        if self.status == "cannot-verify":
            assert self.error is not None
            return message("headline.cannot-verify", lang, reason=self.error.reason(lang))
        if self.status == "verified":
            return message("headline.verified", lang, digest=(self.record_digest or "")[:16])
        cause = message("cause." + self.causes[0], lang)
        return message("headline.not-verified", lang, cause=cause)

    def text(self, lang: str = "en") -> str:
        """Return the verdict for people (spec 15.1), in ``lang``."""
        lines = [self.headline(lang)]
        if self.status == "cannot-verify":
            return lines[0]
        lines += [message("also", lang, cause=message("cause." + c, lang)) for c in self.causes[1:]]
        lines += [
            message("note", lang, note=message("note." + code, lang, **values))
            for code, values in self.notes
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
        if self.findings:
            lines += ["", message("section.details", lang, count=len(self.findings))]
            lines += [f"  {field}: {text}" for field, text in self.findings]
        return "\n".join(lines)

    def announced(self, lang: str = "en") -> list[tuple[str, str]]:
        """Return the (label, value) lines to compare with the announcement, in ``lang``."""
        return [
            (message("label." + key, lang, **params), _shown(value, lang))
            for key, params, value in self.announcement
        ]

    def to_json(self) -> dict[str, Any]:
        """Return the verdict for programs (spec 15.6): English, keys and codes stable."""
        return {
            "verdict_format": VERDICT_FORMAT,
            "status": self.status,
            "ok": self.status == "verified",
            "headline": self.headline("en"),
            "causes": [] if self.status != "not-verified" else self.causes,
            "differs": self.codes,
            "record_format": self.record_format,
            "record_digest": self.record_digest,
            "publicly_random": self.status == "verified"
            and any(code == "publicly-random" for code, _v in self.notes),
            "notes": [
                {"code": code, "message": message("note." + code, "en", **values)}
                for code, values in self.notes
            ],
            "announcement": [
                {"key": key, "label": label, "value": value}
                for (key, _p, _v), (label, value) in zip(
                    self.announcement, self.announced("en"), strict=True
                )
            ],
            "discrepancies": [
                {"code": check_code(field), "field": field, "message": text}
                for field, text in self.findings
            ],
            "error": None
            if self.error is None
            else {
                "kind": self.error.kind,
                "file": self.error.file or None,
                "message": self.error.reason("en"),
            },
        }


def _shown(value: Any, lang: str) -> str:
    """Write an announcement value: null, booleans and link states in words."""
    if value is None:
        return message("value.none", lang)
    if value is True or value is False:
        return message("value.yes" if value else "value.no", lang)
    if isinstance(value, tuple):  # ("checked",) or ("not-checked",)
        return message("value." + value[0], lang)
    return str(value)


def _seed_lines(seed: dict[str, Any]) -> list[tuple[str, dict[str, Any], Any]]:
    if not seed.get("sources"):
        return [("raw_seed", {}, seed.get("value"))]
    lines: list[tuple[str, dict[str, Any], Any]] = [("seed_key", {}, seed.get("key"))]
    for number, source in enumerate(seed["sources"], start=1):
        lines.append(
            ("source", {"number": number}, f"{source['name']}: {' '.join(source['values'])}")
        )
    lines.append(("seed_commitment", {}, seed.get("commitment")))
    return lines


def _sizes(strata: list[dict[str, Any]]) -> str:
    return ", ".join(f"{entry['stratum']} {entry['sample_size']}" for entry in strata)


def announcement(
    record: dict[str, Any],
    chain_checked: bool | None = None,
    replacements: Iterable[dict[str, Any]] = (),
    notice: dict[str, Any] | None = None,
    records: list[dict[str, Any]] | None = None,
    announced: dict[str, Any] | None = None,
    adjustments: Iterable[dict[str, Any]] = (),
) -> list[tuple[str, dict[str, Any], Any]]:
    """Spec 15.5: the values to compare with what was announced, for ``record``'s kind."""
    lines: list[tuple[str, dict[str, Any], Any]] = []

    def add(key: str, value: Any, **params: Any) -> None:
        lines.append((key, params, value))

    def chain(first: dict[str, Any]) -> None:
        add("previous_record_digest", first.get("previous_record_digest"))
        if chain_checked is not None:
            add("chain", ("checked",) if chain_checked else ("not-checked",))

    kind = record.get("record_format") or record.get("receipt_format")
    if kind == RECEIPT_FORMAT and notice is not None:
        add("record_format", kind)
        add("notice_digest", record["notice_digest"])
        add("authority", notice["authority"])
        add("notice_id", notice["notice_id"])
        add("task", f"{notice['task']['task_id']} ({notice['task']['period']})")
        add("population_commitment", notice["population_commitment"]["root"])
        add("buckets", notice["population_commitment"]["buckets"])
        lines.extend(_seed_lines(notice["seed"]))
        unit = record["unit"]
        add("unit", unit["id"])
        add("stratum", unit["stratum"])
        add("eligible", unit["eligible"])
        add("unit_selected", record["selected"])
        add("ticket", record["ticket"])
        add("threshold", record["threshold"])
        return lines
    if kind == RESULT_FORMAT and records:
        last = records[-1]
        add("record_format", kind)
        add("record_digest", last["record_digest"])
        add("authority", records[0]["authority"])
        add("records", len(records))
        add("timestamp", last["timestamp"])
        chain(records[0])
        return lines
    add("record_format", kind)
    add("record_digest", record.get("record_digest"))
    add("authority", record.get("authority"))
    if kind in (DRAW_FORMAT, SALTED_FORMAT):
        add("draw_id", record["draw_id"])
    elif kind in (ASSIGNMENT_FORMAT, ASSIGNMENT2_FORMAT):
        add("assignment_id", record["assignment_id"])
    elif kind == NOTICE_FORMAT:
        add("notice_id", record["notice_id"])
    add("timestamp", record.get("timestamp"))
    if "algorithm" in record:
        add("algorithm", f"{record['algorithm']['name']} v{record['algorithm']['version']}")
    chain(record)
    if announced is not None:
        add("announcement", announced.get("record_digest"))
        add("announced_at", announced.get("timestamp"))
    if kind in (DRAW_FORMAT, SALTED_FORMAT):
        population = record["population"]
        add("population_digest", population["digest"])
        if kind == SALTED_FORMAT:
            add("population_commitment", population["commitment"]["root"])
            add("buckets", population["commitment"]["buckets"])
        add("units", f"{population['units']} ({population['eligible']})")
    elif kind in (ASSIGNMENT_FORMAT, ASSIGNMENT2_FORMAT):
        add("directory_digest", record["directory"]["digest"])
        add("inspectors", record["directory"]["inspectors"])
        if kind == ASSIGNMENT2_FORMAT:
            add("experts_digest", record["experts"]["digest"])
            add("experts", record["experts"]["experts"])
        add("input_digest", record["input"]["digest"])
        add("visits", record["input"]["visits"])
        add("conflicts_digest", record["input"]["conflicts_digest"])
    elif kind == NOTICE_FORMAT:
        add("draw_record_digest", record["draw_record_digest"])
        add("task", f"{record['task']['task_id']} ({record['task']['period']})")
        add("population_commitment", record["population_commitment"]["root"])
        add("buckets", record["population_commitment"]["buckets"])
        eligible = sum(entry["eligible"] for entry in record["strata"])
        add("units", f"{record['population_commitment']['units']} ({eligible})")
    if "seed" in record:
        lines.extend(_seed_lines(record["seed"]))
        add("purpose", record["purpose"])
    if kind in (DRAW_FORMAT, SALTED_FORMAT):
        add("sample_sizes", _sizes(record["design"]["strata"]))
        add("selected", len(record["selection"]))
        for number, item in enumerate(replacements, start=1):
            add(
                "replacement",
                f"{item['replaced']['id']} -> {item['replacement']['id']} "
                f"({item['stratum']}, #{item['replacement']['rank']})",
                number=number,
            )
    elif kind in (ASSIGNMENT_FORMAT, ASSIGNMENT2_FORMAT):
        add("unstaffed", len(record["unstaffed"]))
        for number, item in enumerate(adjustments, start=1):
            pool = item["department"] if item["department"] is not None else "experts"
            add(
                "adjustment",
                f"{item['dropped']['id']} -> {item['replacement']['id']} "
                f"({item['visit_id']}, {pool})",
                number=number,
            )
    elif kind == NOTICE_FORMAT:
        add("sample_sizes", _sizes(record["strata"]))
        add("drawn", len(record["drawn"]))
    return lines


def randomness_notes(
    record: Any, announcement: dict[str, Any] | None = None, followed: bool = False
) -> list[tuple[str, dict[str, Any]]]:
    """Say what a draw or assignment record proves about its randomness (spec 15.4).

    ``followed``: the record passed every check against ``announcement``. Records of other
    formats (replacements, announcements, results, ...) get no notes.
    """
    if not isinstance(record, dict) or record.get("record_format") not in (
        DRAW_FORMAT,
        ASSIGNMENT_FORMAT,
    ):
        return []
    seed: dict[str, Any] = record["seed"] if isinstance(record.get("seed"), dict) else {}
    sources = seed.get("sources") or []
    notes: list[tuple[str, dict[str, Any]]] = []
    if not sources:
        notes.append(("raw-seed", {}))
    elif announcement is None:
        notes.append(("unannounced", {}))
    elif followed:
        notes.append(("publicly-random", {}))
    if seed.get("low_entropy_allowed") is True:
        notes.append(("low-entropy", {}))
    elif sources:
        digits = entropy_digits(sources)
        if digits < 20:
            notes.append(("weak-sources", {"digits": digits}))
    secret = seed.get("secret")
    if (
        isinstance(secret, str)
        and _LOWER_HEX.fullmatch(secret)
        and weak_secret(bytes.fromhex(secret))
    ):
        notes.append(("weak-secret", {}))
    return notes


def entropy_digits(sources: list[Any]) -> int:
    """Count the entropy digits of spec 15.3.

    Every value of every source counts its digits (a value 0 adds nothing), a run of four or
    more equal digits within a value counting as one.
    """
    total = 0
    for source in sources:
        for value in source.get("values", []) if isinstance(source, dict) else []:
            text = str(value).lstrip("0")
            total += sum(
                1 if len(run.group()) >= 4 else len(run.group())
                for run in re.finditer(r"(\d)\1*", text)
            )
    return total


def weak_secret(secret: bytes) -> bool:
    """Say whether a secret is weak (spec 15.2).

    Weak: short or with few distinct bytes, text, an arithmetic progression, or a repeated
    block.
    """
    if _weak_bytes(secret):
        return True
    try:
        text = secret.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not any(b < 0x20 or b == 0x7F for b in secret):
        return True
    steps = {(secret[i + 1] - secret[i]) % 256 for i in range(len(secret) - 1)}
    if len(steps) <= 1:
        return True
    n = len(secret)
    return any(all(secret[i] == secret[i + p] for i in range(n - p)) for p in range(1, n // 2 + 1))


# ============================================================ 11. command line
CONFLICT_KEYS = {"relations", "same_locality", "history", "rotation", "recusals", "exclusions"}


class _Parser(argparse.ArgumentParser):
    """argparse that refuses a bad command line with one line (exit 2), no usage block."""

    def error(self, message: str) -> Any:
        raise CannotVerify(message, "usage")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "verify_draw.py",
        description="Verify a randsample record (draw, replacement, team assignment, result, "
        "salted draw, public notice or receipt) from the specification alone. The kind is "
        "read from the record; the other files are recognised by their content.",
        epilog="Exit status: 0 verified, 1 not verified, 2 cannot verify. Examples: "
        "verify_draw.py record.json population.csv | verify_draw.py teams.json "
        "directory.json visits.json conflicts.json | verify_draw.py receipt.json notice.json",
    )
    parser.add_argument("record", help="the record to verify (JSON; '-': standard input)")
    parser.add_argument(
        "inputs",
        nargs="*",
        help="the files it needs: population CSV, "
        "replacement records, inspector directory, visits, conflicts, the "
        "draw record, the public notice",
    )
    parser.add_argument(
        "--previous",
        metavar="FILE",
        help="the authority's previous record, to check the chain link",
    )
    parser.add_argument(
        "--announcement",
        metavar="FILE",
        help="the announcement the draw or assignment must follow (spec 15)",
    )
    parser.add_argument(
        "--replacement",
        metavar="FILE",
        action="append",
        default=[],
        help="a replacement record of the draw (repeat, in order)",
    )
    parser.add_argument(
        "--secret",
        metavar="HEX",
        help="the authority secret of a salted draw (hexadecimal), for the auditor's checks",
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="compute the population digest in this process too (by default a second process "
        "does, on Linux with two or more cores, for files of 2 MiB or more)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the text (default: RANDSAMPLE_LANG, else en); --json is always English",
    )
    return parser


def _identify(value: Any, path: str) -> str:
    """Say what a JSON input file is: a record format, or an input of ``randsample assign``."""
    if isinstance(value, list):
        if value and all(
            isinstance(v, dict) and v.get("record_format") == RESULT_FORMAT for v in value
        ):
            return "results"
        raise CannotVerify("an array that is not a list of result records", "input", path)
    if not isinstance(value, dict):
        raise CannotVerify("not a JSON object", "input", path)
    if isinstance(value.get("record_format"), str):
        return str(value["record_format"])
    if "receipt_format" in value:
        return str(value["receipt_format"])
    if "inspectors" in value:
        return "directory"
    if "visits" in value:
        return "visits"
    if set(value) == {"experts"}:
        return "experts"
    if set(value) <= CONFLICT_KEYS:
        return "conflicts"
    raise CannotVerify(
        "cannot tell what this file is (not a record, directory, visits or conflicts file)",
        "input",
        path,
    )


class _Inputs:
    """The files of the command line, read once and sorted by kind."""

    def __init__(self, paths: list[str], stdin: Any = None, *, processes: bool = True) -> None:
        if sum(1 for p in paths if p == "-") > 1:
            raise CannotVerify("at most one file can be '-' (standard input)", "usage")
        self.by_kind: dict[str, list[tuple[str, Any]]] = {}
        # The digest of a population file starts at once in a second process, where that
        # pays (section 4, _DigestProcess); ``close()`` stops it if it is not asked for.
        self.processes: list[_DigestProcess] = []
        try:
            for path in dict.fromkeys(paths):
                csv = path != "-" and path.lower().endswith(".csv")
                if processes and csv and _digest_process_pays(path):
                    with contextlib.suppress(OSError):  # no fork: this process computes it
                        self.processes.append(_DigestProcess(path))
            self.digests = {process.path: process for process in self.processes}
            for path in paths:
                kind, value = self._read(path, stdin)
                if path in self.digests:  # a population file (.csv), given first here
                    value.digest_process = self.digests.pop(path)
                self.by_kind.setdefault(kind, []).append((path, value))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the digest processes nobody asked for."""
        for process in self.processes:
            with contextlib.suppress(OSError):  # one that cannot be stopped: the others still are
                process.stop()

    @staticmethod
    def _read(path: str, stdin: Any) -> tuple[str, Any]:
        lower = path.lower()
        if lower.endswith(".csv"):
            return "population", PopulationFile(path, stdin)
        if lower.endswith(".toml"):
            value = load_json_file(path, "input", stdin)
            return _identify(value, path), value
        text = read_text(path, stdin)
        if lower.endswith(".json") or text.lstrip()[:1] in ("{", "["):
            # Parsed once, checked as parse_json(text, path, "json") and then, for a record,
            # as parse_json(text, path, "record", ascii_keys=True) would check it again.
            value, digits = _loads(text, path, MAX_INPUT_DIGITS)
            ok = _walk_ok(value, True, True)  # the record's checks include the others
            if not ok:
                _walk(value, path, "json", False)
            kind = _identify(value, path)
            if kind not in ("directory", "visits", "conflicts"):
                if digits > MAX_RECORD_DIGITS:
                    detail = f"an integer of more than {MAX_RECORD_DIGITS} digits"
                    raise CannotVerify(detail, "json", path)
                if not ok:
                    _walk(value, path, "record", True)
            return kind, value
        return "population", PopulationFile(path, text=text)

    def take(self, kind: str) -> list[tuple[str, Any]]:
        return self.by_kind.pop(kind, [])

    def maybe(self, kind: str, what: str) -> tuple[str, Any] | None:
        """Return the one file of ``kind`` (path, content), or None; refuse two."""
        found = self.take(kind)
        if len(found) > 1:
            raise CannotVerify(f"give one {what}, not {len(found)}", "usage")
        return found[0] if found else None

    def need(self, kind: str, what: str) -> tuple[str, Any]:
        """Return the one file of ``kind`` (path, content); refuse none or two."""
        found = self.maybe(kind, what)
        if found is None:
            raise CannotVerify(f"this record needs the {what}", "missing")
        return found

    def done(self, record_kind: str) -> None:
        for kind, files in self.by_kind.items():
            raise CannotVerify(
                f"{files[0][0]} ({kind}) is not used to verify a {record_kind}", "usage"
            )


def _chain_order(records: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Put replacement or adjustment records in chain order, however they were given (22.8).

    Each comes after the one its link names; records naming none of the others come first, in
    the order given.
    """
    by_link: dict[Any, list[tuple[str, Any]]] = {}
    for item in records:
        link = item[1].get("previous_record_digest")
        by_link.setdefault(link if isinstance(link, str) else None, []).append(item)
    digests = [r.get("record_digest") for _p, r in records]
    digests = [d for d in digests if isinstance(d, str)]
    ordered = [item for link, items in by_link.items() if link not in digests for item in items]
    for item in ordered:  # grows while it is walked
        digest = item[1].get("record_digest")
        following = by_link.get(digest, []) if isinstance(digest, str) else []
        ordered += [f for f in following if f not in ordered]
    return ordered + [item for item in records if item not in ordered]


def _secret(text: str | None) -> bytes | None:
    if text is None:
        return None
    try:
        return bytes.fromhex(text.strip())
    except ValueError as exc:
        raise CannotVerify("--secret must be hexadecimal", "usage") from exc


def run(args: argparse.Namespace, stdin: Any = None) -> Verdict:
    """Verify what the command line names; return the verdict (never raises CannotVerify)."""
    try:
        return _run(args, stdin)
    except CannotVerify as exc:
        return Verdict("cannot-verify", error=exc)


def _run(args: argparse.Namespace, stdin: Any) -> Verdict:
    paths = [args.record, *args.inputs, *args.replacement]
    inputs = _Inputs(paths, stdin, processes=not args.one_process)
    try:
        return _verify_inputs(args, stdin, inputs)
    finally:
        inputs.close()


def _verify_inputs(args: argparse.Namespace, stdin: Any, inputs: _Inputs) -> Verdict:
    main_path = args.record
    main_kind, main = next(
        (k, v) for k, files in inputs.by_kind.items() for p, v in files if p == main_path
    )
    inputs.by_kind[main_kind] = [(p, v) for p, v in inputs.by_kind[main_kind] if p != main_path]
    if not inputs.by_kind[main_kind]:
        del inputs.by_kind[main_kind]
    previous = None
    if args.previous:
        previous = check_previous_shape(
            load_json_file(args.previous, "record", stdin), args.previous
        )
    secret = _secret(args.secret)
    chain = previous is not None
    announced = None
    if getattr(args, "announcement", None):
        path = args.announcement
        announced = read_announcement(load_json_file(path, "record", stdin), path)
    if main_kind == ADJUSTMENT_FORMAT:  # an adjustment: verify its team record with it
        given = [(main_path, main), *inputs.take(ADJUSTMENT_FORMAT)]
        inputs.by_kind[ADJUSTMENT_FORMAT] = _chain_order(given)
        main_path, main = inputs.need(ASSIGNMENT2_FORMAT, "version-2 assignment record")
        main_kind = ASSIGNMENT2_FORMAT
    if main_kind == ASSIGNMENT2_FORMAT:
        problems: list[str] = []  # inputs that do not fit together (spec 16.1, 19.1)
        dpath, data = inputs.need("directory", "inspector directory")
        directory = read_directory(data, dpath)
        pool = inputs.maybe("experts", "expert pool")
        experts = read_experts(pool[1], directory, pool[0], problems) if pool else {}
        vpath, vdata = inputs.need("visits", "visits file")
        visits = read_visits2(vdata, directory, experts, vpath, problems)
        named = inputs.maybe("conflicts", "conflicts file")
        conflicts = read_conflicts(
            named[1] if named else {},
            directory,
            named[0] if named else "conflicts",
            experts,
            problems,
        )
        adjustments = [v for _p, v in _chain_order(inputs.take(ADJUSTMENT_FORMAT))]
        if announced is not None:
            raise CannotVerify(
                "an announcement announces a draw or a version-1 assignment", "usage"
            )
        inputs.done("team assignment")
        found = verify_assignment2(
            main,
            directory,
            experts,
            visits,
            conflicts,
            previous,
            adjustments,
            main_path,
            problems[0] if problems else None,
        )
        return _verdict(main, found, announcement(main, chain, adjustments=adjustments))
    if main_kind == REPLACEMENT_FORMAT:  # a replacement: verify its draw with it, in order
        given = [(main_path, main), *inputs.take(REPLACEMENT_FORMAT)]
        inputs.by_kind[REPLACEMENT_FORMAT] = _chain_order(given)
        main_path, main = inputs.need(DRAW_FORMAT, "draw record")
        main_kind = DRAW_FORMAT
    if main_kind in (DRAW_FORMAT, SALTED_FORMAT):
        _path, population = inputs.need("population", "population file (CSV)")
        replacements = [v for _p, v in _chain_order(inputs.take(REPLACEMENT_FORMAT))]
        inputs.done("draw record")
        found = verify_draw(main, population, previous, replacements, main_path, secret, announced)
        lines = announcement(main, chain, replacements, announced=announced)
        return _verdict(main, found, lines, _notes(main, announced, found))
    if main_kind == ASSIGNMENT_FORMAT:
        problems = []  # inputs that do not fit together (spec 16.1)
        dpath, data = inputs.need("directory", "inspector directory")
        directory = read_directory(data, dpath)
        vpath, vdata = inputs.need("visits", "visits file")
        visits = read_visits(vdata, directory, vpath, problems)
        named = inputs.maybe("conflicts", "conflicts file")
        conflicts = read_conflicts(
            named[1] if named else {},
            directory,
            named[0] if named else "conflicts",
            problems=problems,
        )
        inputs.done("team assignment")
        found = verify_assignment(
            main,
            directory,
            visits,
            conflicts,
            previous,
            main_path,
            announced,
            problems[0] if problems else None,
        )
        lines = announcement(main, chain, announced=announced)
        return _verdict(main, found, lines, _notes(main, announced, found))
    if announced is not None:
        raise CannotVerify("an announcement announces a draw or an assignment record", "usage")
    if main_kind == ANNOUNCEMENT_FORMAT:
        record = read_announcement(main, main_path)
        inputs.done("announcement")
        own = Findings()
        check_seal(record, own)
        if previous is not None:
            check_chain(record, previous, own)
        return _verdict(record, list(own), announcement(record, chain))
    if main_kind in (RESULT_FORMAT, "results"):
        records = main if isinstance(main, list) else [main]
        for _p, more in inputs.take(RESULT_FORMAT) + inputs.take("results"):
            records += more if isinstance(more, list) else [more]
        draws = inputs.take(DRAW_FORMAT) + inputs.take(SALTED_FORMAT)
        if len(draws) > 1:
            raise CannotVerify("give at most one draw record", "usage")
        replacements = [v for _p, v in _chain_order(inputs.take(REPLACEMENT_FORMAT))]
        inputs.done("result record")
        found = verify_results(
            records, draws[0][1] if draws else None, replacements, previous, main_path
        )
        last = records[-1]
        lines = announcement(last, chain, records=records)
        return Verdict(
            "not-verified" if found else "verified",
            RESULT_FORMAT,
            last["record_digest"],
            found,
            lines,
        )
    if main_kind == NOTICE_FORMAT:
        draw = inputs.maybe(SALTED_FORMAT, "salted draw record")
        population = inputs.maybe("population", "population file")
        if population is not None and (draw is None or secret is None):
            raise CannotVerify(
                "the auditor's check needs the salted draw record, the "
                "population file and --secret",
                "missing",
            )
        inputs.done("public notice")
        found = verify_notice(
            main,
            draw[1] if draw else None,
            population[1] if population else None,
            secret,
            previous,
            main_path,
        )
        return _verdict(main, found, announcement(main, chain))
    if main_kind == RECEIPT_FORMAT:
        npath, notice = inputs.need(NOTICE_FORMAT, "public notice")
        inputs.done("receipt")
        found = verify_receipt(main, notice, main_path, npath)
        lines = announcement(main, notice=notice)
        return Verdict(
            "not-verified" if found else "verified",
            RECEIPT_FORMAT,
            notice["record_digest"],
            found,
            lines,
            [],
        )
    raise CannotVerify(
        f"record_format {main_kind!r} is not one this verifier knows", "unsupported", main_path
    )


def _notes(
    record: dict[str, Any], announced: dict[str, Any] | None, found: list[tuple[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    """Return the notes of spec 15.4.

    The record follows its announcement when no check of 15.4 found a difference.
    """
    followed = not any(field.startswith("announcement.") for field, _text in found)
    return randomness_notes(record, announced, followed)


def _verdict(
    record: dict[str, Any],
    found: list[tuple[str, str]],
    lines: list[tuple[str, dict[str, Any], Any]],
    notes: Iterable[tuple[str, dict[str, Any]]] = (),
) -> Verdict:
    return Verdict(
        "not-verified" if found else "verified",
        record["record_format"],
        record["record_digest"],
        found,
        lines,
        notes,
    )


def main(argv: list[str] | None = None, stdin: Any = None) -> int:
    """Command-line entry point; return the exit status (0 verified, 1 not, 2 cannot run)."""
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character shows an escape instead of crashing.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    arguments = sys.argv[1:] if argv is None else list(argv)
    lang = _guard_language(arguments)
    as_json = "--json" in arguments
    try:
        args = _parser().parse_args(arguments)
        lang = language(args.lang)
        verdict = run(args, stdin)
    except CannotVerify as exc:  # a bad command line
        verdict = Verdict("cannot-verify", error=exc)
    except RecursionError:  # defensive: every reader above is bounded
        verdict = Verdict("cannot-verify", error=CannotVerify("input nested too deeply"))
    except Exception as exc:  # a bug here must still be one line and exit 2, no traceback
        detail = f"unexpected {type(exc).__name__}: {exc} (please report this)"
        verdict = Verdict("cannot-verify", error=CannotVerify(detail, "other"))
    try:
        if verdict.status == "cannot-verify":
            print(verdict.headline(lang), file=sys.stderr)
        if as_json:
            print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
        elif verdict.status != "cannot-verify":
            print(verdict.text(lang))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        _silence_stdout()
        return 141
    return {"verified": 0, "not-verified": 1}.get(verdict.status, 2)


def _silence_stdout() -> None:
    """Point standard output at the null device after a closed pipe.

    Then the final flush of what is still buffered neither fails nor prints "Exception
    ignored".
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (in-process capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


if __name__ == "__main__":
    raise SystemExit(main())
