"""Independent verifier for randsample draw records (``stratified-srswor`` v1).

Written from ``docs/spec.md`` alone, with the Python (>= 3.10) standard library only, so
that anyone can download this single file and check a published draw without trusting,
or even installing, randsample::

    python standalone_verify.py RECORD.json POPULATION.csv [--previous PREVIOUS.json] [--json]
    python -m randsample.standalone_verify RECORD.json POPULATION.csv ...

Exit status: 0 the record verifies; 1 it does not (every difference is printed, one per
line, as ``field: message``); 2 the check cannot run (unreadable or malformed input,
unsupported record format or algorithm version, bad CSV header).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import re
import struct
import sys
import unicodedata
from collections import Counter
from fractions import Fraction
from typing import Any

Row = tuple[str, str, bool, float | None]  # (id, stratum, eligible, weight), spec 4.1

RECORD_FORMAT = "randsample.draw-record/1"
ALGORITHM = {"name": "stratified-srswor", "version": 1}
CSV_HEADER = ["id", "stratum", "eligible", "weight"]
RECORD_FIELDS = {
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
}
SEED_FIELDS = {"value", "key", "sources", "secret", "commitment", "low_entropy_allowed"}
MAX_SELECTION_REPORTS = 20  # past this, selection differences are only counted
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # spec 1
_DIGITS = re.compile(r"[0-9]+")
_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})*")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
Problems = list[tuple[str, str]]


class CannotVerify(ValueError):  # noqa: N818 - it is a verdict, not an "Error"
    """The inputs are unusable, so there is nothing to compare (exit status 2)."""


# ---------------------------------------------------------------- primitives (spec 1-4)
def _lp(data: bytes) -> bytes:
    """Length-prefix ``data`` (``u32be(len) || data``) so concatenations stay unambiguous."""
    return struct.pack(">I", len(data)) + data


def _label_problem(text: str) -> str | None:
    """Say why ``text`` is not a valid identifier or label (spec 1), or None if it is."""
    if not text:
        return "is empty"
    if text != text.strip():
        return "has leading or trailing whitespace"
    if text.isascii():  # fast path: printable ASCII is always valid NFC without bad categories
        return None if text.isprintable() else "contains a control character"
    for char in text:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES or (category == "Zs" and char != " "):
            return f"contains U+{ord(char):04X} (category {category})"
    return None if unicodedata.is_normalized("NFC", text) else "is not in Unicode NFC"


def canonical_key(sources: list[dict[str, Any]]) -> str:
    """Build the RFC 3797 style key of spec 2.2 from sources in their announced order."""
    key = []
    for i, source in enumerate(sources):
        values = source.get("values") if isinstance(source, dict) else None
        if not isinstance(values, list) or not values:
            raise CannotVerify(f"seed.sources[{i}].values must be a non-empty list")
        canon = []
        for value in values:
            # fullmatch on an ASCII class: str.isdigit() would also accept e.g. "²" or "٣".
            if not isinstance(value, str) or not _DIGITS.fullmatch(value):
                raise CannotVerify(f"seed.sources[{i}]: value {value!r} is not a digit string")
            canon.append(value.lstrip("0") or "0")
        # Without leading zeros, numeric order is (length, text) order; this avoids int()
        # and its digit limit on long beacon values.
        canon.sort(key=lambda v: (len(v), v))
        key.append("".join(v + "." for v in canon) + "/")
    return "".join(key)


def _hex_bytes(text: Any, field: str) -> bytes:
    """Decode a lowercase hex field; anything else is malformed (spec notation: ``hex``)."""
    if not isinstance(text, str) or not _LOWER_HEX.fullmatch(text):
        raise CannotVerify(f"{field} is not lowercase hexadecimal")
    return bytes.fromhex(text)


def _check_seed(seed: dict[str, Any], out: Problems) -> bytes:
    """Re-derive the seed value (spec 2.1-2.3), appending differences to ``out``."""
    if SEED_FIELDS - seed.keys():
        raise CannotVerify(f"seed.{sorted(SEED_FIELDS - seed.keys())[0]} is missing")
    out.extend((f"seed.{k}", "unexpected field") for k in sorted(seed.keys() - SEED_FIELDS))
    key, sources, secret, commitment = (seed[k] for k in ("key", "sources", "secret", "commitment"))
    if not isinstance(sources, list) or not isinstance(seed["low_entropy_allowed"], bool):
        raise CannotVerify("seed.sources must be a list and seed.low_entropy_allowed a boolean")
    if not sources:  # raw seed (2.1): the value is the seed itself, nothing to derive
        out.extend(
            (f"seed.{k}", "must be null for a raw seed")
            for k in ("key", "secret", "commitment")
            if seed[k] is not None
        )
        return _hex_bytes(seed["value"], "seed.value")
    derived_key = canonical_key(sources)
    if secret is not None:
        secret_bytes = _hex_bytes(secret, "seed.secret")
        expected = hashlib.sha256(b"randsample/v1/commitment\x00" + secret_bytes).hexdigest()
        if commitment is None:
            out.append(
                (
                    "seed.commitment",
                    "a secret is revealed but no commitment was "
                    "published, so it may have been chosen after the sources were known",
                )
            )
        elif commitment != expected:
            out.append(("seed.commitment", f"record says {commitment}, secret gives {expected}"))
        derived_key += secret_bytes.hex() + "/"
    elif commitment is not None:
        out.append(("seed.secret", "a commitment was published but the secret is not revealed"))
    if key != derived_key:
        out.append(("seed.key", f"record says {key!r}, sources give {derived_key!r}"))
    value = hashlib.sha256(derived_key.encode("ascii")).digest()
    if seed["value"] != value.hex():
        out.append(("seed.value", f"record says {seed['value']}, key gives {value.hex()}"))
    return value


def seed_from_record(seed_obj: dict[str, Any]) -> bytes:
    """Return the seed value that a record's ``seed`` object derives to (spec 2)."""
    return _check_seed(seed_obj, [])


def subkey(seed_value: bytes, purpose: str) -> bytes:
    """Domain-separated 32-byte sub-key of spec 2.5."""
    return hashlib.sha256(
        b"randsample/v1/subkey\x00" + _lp(purpose.encode("utf-8")) + _lp(seed_value)
    ).digest()


def ticket(subkey: bytes, unit_id: str) -> bytes:
    """Ticket of spec 3: depends only on the sub-key and the unit's own identifier."""
    return hashlib.sha256(subkey + _lp(unit_id.encode("utf-8"))).digest()


def population_digest(rows: list[Row]) -> str:
    """Compute the population digest of spec 4.2 (rows may come in any order)."""
    parts = [b"randsample/v1/population\x00", struct.pack(">Q", len(rows))]
    for uid, stratum, eligible, weight in sorted(rows, key=lambda r: r[0].encode("utf-8")):
        parts += [
            _lp(uid.encode("utf-8")),
            _lp(stratum.encode("utf-8")),
            b"\x01" if eligible else b"\x00",
        ]
        # -0.0 must hash like 0.0 (4.2); "weight == 0" is true for both zeros.
        parts.append(
            b"\x00"
            if weight is None
            else b"\x01" + struct.pack(">d", 0.0 if weight == 0 else weight)
        )
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _parse_weight(text: str, where: str) -> float | None:
    """Parse a CSV weight (4.3): empty, or a finite non-negative decimal number."""
    if text == "":
        return None
    # float() alone would also take "nan", "inf", "1_0" and surrounding spaces.
    if not _DECIMAL.fullmatch(text):
        raise CannotVerify(f"{where}: weight {text!r} is not a decimal number")
    weight = float(text)  # correctly rounded to the nearest binary64
    if not math.isfinite(weight) or weight < 0:
        raise CannotVerify(f"{where}: weight {text!r} is not finite and non-negative")
    return weight


def read_population_csv(path: str | os.PathLike[str]) -> list[Row]:
    """Read and validate a population file (spec 4.3); reject, never repair (spec 1)."""
    rows: list[Row] = []
    seen: set[str] = set()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:  # -sig drops a BOM
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header != CSV_HEADER:
                raise CannotVerify(
                    f"{path}: header must be exactly id,stratum,eligible,weight, found {header!r}"
                )
            for fields in reader:
                where = f"{path}, line {reader.line_num}"
                if len(fields) != 4:
                    raise CannotVerify(f"{where}: expected 4 fields, found {len(fields)}")
                uid, stratum, eligible, weight = fields
                for what, value in (("id", uid), ("stratum", stratum)):
                    problem = _label_problem(value)
                    if problem:
                        raise CannotVerify(f"{where}: {what} {value!r} {problem}")
                if uid in seen:
                    raise CannotVerify(f"{where}: duplicate id {uid!r}")
                seen.add(uid)
                if eligible not in ("0", "1"):
                    raise CannotVerify(f"{where}: eligible must be 1 or 0, found {eligible!r}")
                rows.append((uid, stratum, eligible == "1", _parse_weight(weight, where)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CannotVerify(f"cannot read population file {path}: {exc}") from exc
    return rows


# ---------------------------------------------------------------- selection (spec 5)
def _eligible_by_stratum(rows: list[Row]) -> tuple[dict[str, list[str]], Counter[str]]:
    """Group eligible ids by stratum, and count all units per stratum."""
    eligible: dict[str, list[str]] = {}
    units: Counter[str] = Counter()
    for uid, stratum, is_eligible, _weight in rows:
        units[stratum] += 1
        members = eligible.setdefault(stratum, [])
        if is_eligible:
            members.append(uid)
    return eligible, units


def _select(
    eligible: dict[str, list[str]], sizes: dict[str, int], key: bytes
) -> list[dict[str, Any]]:
    """Order-sample each stratum on tickets; sizes must already be feasible."""
    base = hashlib.sha256(key)  # copy() a hasher fed with the sub-key: one digest per unit
    selection = []
    for stratum in sorted(sizes, key=lambda s: s.encode("utf-8")):
        members, size = eligible.get(stratum, []), sizes[stratum]
        if size == 0:
            continue
        tickets = []
        for uid in members:
            hasher = base.copy()
            hasher.update(_lp(uid.encode("utf-8")))
            tickets.append((hasher.digest(), uid.encode("utf-8"), uid))  # bytes tie-break (3)
        tickets.sort()
        probability = str(Fraction(size, len(members)))  # reduced: "1" or "p/q"
        selection += [
            {
                "id": uid,
                "stratum": stratum,
                "rank": rank,
                "ticket": t.hex(),
                "inclusion_probability": probability,
            }
            for rank, (t, _b, uid) in enumerate(tickets[:size], start=1)
        ]
    return selection


def select(rows: list[Row], sizes: dict[str, int], subkey: bytes) -> list[dict[str, Any]]:
    """Run ``stratified-srswor`` v1 (spec 5); return the selection entries of the record."""
    eligible, _units = _eligible_by_stratum(rows)
    missing = sorted(set(eligible) - sizes.keys())
    if missing:
        raise ValueError(f"no sample size for strata {missing!r}")
    for stratum, size in sizes.items():
        if not 0 <= size <= len(eligible.get(stratum, [])):
            raise ValueError(f"sample size {size} is not feasible for stratum {stratum!r}")
    return _select(eligible, sizes, subkey)


# ---------------------------------------------------------------- records (spec 6)
def _check_jcs(value: Any, path: str) -> None:
    """Refuse what the restricted JCS of spec 6.1 cannot represent."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise CannotVerify(f"{path}: key {key!r} is not an ASCII string")
            _check_jcs(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_jcs(item, f"{path}[{i}]")
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53 - 1:
        raise CannotVerify(f"{path}: integer {value} is too large for a record")
    elif not (value is None or isinstance(value, (str, int))):  # bool is an int
        raise CannotVerify(f"{path}: {type(value).__name__} values cannot occur in a record")


def record_digest(record: dict[str, Any]) -> str:
    """``record_digest`` of spec 6.3: SHA-256 of the canonical JSON without that field."""
    body = {k: v for k, v in record.items() if k != "record_digest"}
    _check_jcs(body, "record")
    # With these options json.dumps writes exactly the JCS subset of 6.1: sorted keys
    # (ASCII, so code point order), no whitespace, short escapes, lowercase \u00xx.
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape
        raise CannotVerify(f"record contains a string that is not valid Unicode: {exc}") from exc


def _get(obj: Any, key: str, kinds: tuple[type, ...], path: str) -> Any:
    """Fetch a required field of an exact JSON type (exact, so true is not an integer)."""
    if not isinstance(obj, dict) or key not in obj:
        raise CannotVerify(f"{path}{key} is missing")
    if type(obj[key]) not in kinds:
        raise CannotVerify(f"{path}{key} has the wrong type ({type(obj[key]).__name__})")
    return obj[key]


def _check_selection(
    record: dict[str, Any], expected: list[dict[str, Any]], rows: list[Row]
) -> tuple[Problems, Counter[str]]:
    """Compare the record's selection with the algorithm's, id by id (6.4 step 6)."""
    diffs: Problems = []
    by_id = {entry["id"]: entry for entry in expected}
    units = {uid: eligible for uid, _stratum, eligible, _weight in rows}
    seen: set[str] = set()
    order: list[tuple[bytes, int]] = []
    counts: Counter[str] = Counter()  # selected units per stratum, as the record says
    for i, entry in enumerate(_get(record, "selection", (list,), "")):
        uid, stratum, _ticket, _prob = (
            _get(entry, k, (str,), f"selection[{i}].")
            for k in ("id", "stratum", "ticket", "inclusion_probability")
        )
        counts[stratum] += 1
        order.append((stratum.encode("utf-8"), _get(entry, "rank", (int,), f"selection[{i}].")))
        if uid in seen:
            diffs.append(("selection", f"unit {uid!r} appears more than once"))
        elif uid not in by_id:
            why = (
                "not in the population file"
                if uid not in units
                else ("ineligible" if not units[uid] else "not among the first by ticket")
            )
            diffs.append(
                (
                    "selection",
                    f"unit {uid!r} is in the record but not selected by the algorithm ({why})",
                )
            )
        else:
            diffs += [
                (
                    f"selection[{i}].{k}",
                    f"unit {uid!r}: record says {entry[k]!r}, algorithm gives {by_id[uid][k]!r}",
                )
                for k in by_id[uid]
                if entry[k] != by_id[uid][k]
            ]
        seen.add(uid)
    diffs += [
        (
            "selection",
            f"unit {e['id']!r} (stratum {e['stratum']!r}, rank {e['rank']}) is "
            "selected by the algorithm but missing from the record",
        )
        for e in expected
        if e["id"] not in seen
    ]
    if order != sorted(order):
        diffs.append(("selection", "entries are not sorted by stratum then rank"))
    if len(diffs) > MAX_SELECTION_REPORTS:  # don't flood: a wrong seed changes everything
        hidden = len(diffs) - MAX_SELECTION_REPORTS
        diffs = [
            *diffs[:MAX_SELECTION_REPORTS],
            ("selection", f"... and {hidden} further selection differences"),
        ]
    return diffs, counts


def _check_header(record: dict[str, Any], out: Problems) -> None:
    """Check format, version, field set, record digest (6.4 step 1), labels and timestamp."""
    if record.get("record_format") != RECORD_FORMAT:
        raise CannotVerify(f"unsupported record_format {record.get('record_format')!r}")
    algorithm = record.get("algorithm")
    # type() check: in Python true == 1, but a JSON true is not the version 1.
    if (
        not isinstance(algorithm, dict)
        or type(algorithm.get("version")) is not int
        or algorithm != ALGORITHM
    ):
        raise CannotVerify(f"unsupported algorithm {algorithm!r}, this verifier knows {ALGORITHM}")
    if RECORD_FIELDS - record.keys():
        raise CannotVerify(f"{sorted(RECORD_FIELDS - record.keys())[0]} is missing")
    out += [(k, "unexpected field") for k in sorted(record.keys() - RECORD_FIELDS)]
    digest = record_digest(record)  # any edit anywhere in the record shows up here
    if record["record_digest"] != digest:
        out.append(
            ("record_digest", f"record says {record['record_digest']}, content gives {digest}")
        )
    for name in ("authority", "draw_id", "purpose"):
        problem = _label_problem(_get(record, name, (str,), ""))
        if problem:
            out.append((name, f"{record[name]!r} {problem}"))
    if not _TIMESTAMP.fullmatch(_get(record, "timestamp", (str,), "")):
        out.append(("timestamp", f"{record['timestamp']!r} is not YYYY-MM-DDTHH:MM:SSZ"))


def _check_design(
    record: dict[str, Any], eligible: dict[str, list[str]], units: Counter[str], out: Problems
) -> tuple[dict[str, int], dict[str, str]]:
    """Check ``design`` against the population (6.4 step 5); return sizes and field paths."""
    sizes: dict[str, int] = {}
    paths: dict[str, str] = {}
    names: list[str] = []
    strata = _get(_get(record, "design", (dict,), ""), "strata", (list,), "design.")
    for i, entry in enumerate(strata):
        path = f"design.strata[{i}]"
        stratum = _get(entry, "stratum", (str,), path + ".")
        names.append(stratum)
        if stratum in sizes:
            out.append((path, f"stratum {stratum!r} is listed more than once"))
            continue
        count = len(eligible.get(stratum, []))
        for name, value in (("units", units[stratum]), ("eligible", count)):
            if _get(entry, name, (int,), path + ".") != value:
                out.append(
                    (
                        f"{path}.{name}",
                        f"stratum {stratum!r}: record says "
                        f"{entry[name]}, population file gives {value}",
                    )
                )
        sizes[stratum], paths[stratum] = _get(entry, "sample_size", (int,), path + "."), path
        if not 0 <= sizes[stratum] <= count:
            out.append(
                (
                    f"{path}.sample_size",
                    f"{sizes[stratum]} is not feasible for stratum "
                    f"{stratum!r} with {count} eligible units",
                )
            )
    if names != sorted(names, key=lambda s: s.encode("utf-8")):
        out.append(("design.strata", "not sorted by UTF-8(stratum)"))
    out += [
        ("design.strata", f"stratum {s!r} of the population file is missing")
        for s in sorted(units)
        if s not in sizes
    ]
    return sizes, paths


def _check_chain(record: dict[str, Any], previous: dict[str, Any], out: Problems) -> None:
    """Check the link to the authority's previous record (6.4 step 7)."""
    digest = record_digest(previous)  # recomputed: the previous file's own field could lie
    if previous.get("record_digest") != digest:
        out.append(
            (
                "previous.record_digest",
                f"previous record says {previous.get('record_digest')}, its content gives {digest}",
            )
        )
    if record["previous_record_digest"] != digest:
        out.append(
            (
                "previous_record_digest",
                f"record says "
                f"{record['previous_record_digest']}, previous record's digest is {digest}",
            )
        )
    if previous.get("authority") != record["authority"]:
        out.append(
            (
                "authority",
                f"record says {record['authority']!r}, previous record "
                f"says {previous.get('authority')!r}",
            )
        )
    before = previous.get("timestamp")
    if not isinstance(before, str) or not _TIMESTAMP.fullmatch(before):
        out.append(("previous.timestamp", f"{before!r} is not YYYY-MM-DDTHH:MM:SSZ"))
    elif record["timestamp"] < before:  # fixed-width UTC form: text order is time order
        out.append(
            ("timestamp", f"{record['timestamp']} is earlier than the previous record's {before}")
        )


def verify(
    record: dict[str, Any], rows: list[Row], previous: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    """Run every check of spec 6.4; return (field, message) differences, [] if verified.

    ``rows`` are trusted to be valid (``read_population_csv`` makes sure of it). Raises
    ``CannotVerify`` when the record is malformed or of an unsupported format or version.
    """
    if not isinstance(record, dict):
        raise CannotVerify("the record is not a JSON object")
    out: Problems = []
    _check_header(record, out)
    # Steps 2-3. Later steps use the derived seed and sub-key, never the recorded ones.
    seed_value = _check_seed(_get(record, "seed", (dict,), ""), out)
    key = subkey(seed_value, record["purpose"])
    if record["subkey"] != key.hex():
        out.append(("subkey", f"record says {record['subkey']}, seed and purpose give {key.hex()}"))
    # Step 4. Population digest and counts.
    population = _get(record, "population", (dict,), "")
    actual = {
        "digest": population_digest(rows),
        "units": len(rows),
        "eligible": sum(1 for row in rows if row[2]),
    }
    for name, value in actual.items():
        stated = _get(population, name, (type(value),), "population.")
        if stated != value:
            out.append(
                (f"population.{name}", f"record says {stated}, population file gives {value}")
            )
    eligible, units = _eligible_by_stratum(rows)
    sizes, paths = _check_design(record, eligible, units, out)  # step 5
    # Step 6, with the sizes clamped to what is feasible so that the other strata can
    # still be compared after an infeasible size has been reported.
    feasible = {s: max(0, min(n, len(eligible.get(s, [])))) for s, n in sizes.items()}
    diffs, counts = _check_selection(record, _select(eligible, feasible, key), rows)
    out += [
        (
            f"{paths[s]}.sample_size",
            f"record says {n} for stratum {s!r}, but the record's "
            f"selection has {counts[s]} units of it",
        )
        for s, n in sizes.items()
        if counts[s] != n
    ]
    out += diffs
    link = _get(record, "previous_record_digest", (str, type(None)), "")
    if link is not None and not re.fullmatch(r"[0-9a-f]{64}", link):  # 6.2: digest or null
        out.append(("previous_record_digest", f"{link!r} is neither null nor a record digest"))
    if previous is not None:
        _check_chain(record, previous, out)  # step 7
    return out


# ---------------------------------------------------------------- command line
def _load_json(path: str) -> dict[str, Any]:
    """Load a record file strictly: no duplicate keys, floats or NaN (spec 6.1)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _v in items}) != len(items):
            raise CannotVerify(f"{path}: duplicate key in an object")
        return dict(items)

    def no_float(text: str) -> Any:
        raise CannotVerify(f"{path}: number {text} is not an integer")

    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(
                handle, object_pairs_hook=pairs, parse_float=no_float, parse_constant=no_float
            )
    except (OSError, ValueError) as exc:  # includes JSONDecodeError, UnicodeDecodeError
        if isinstance(exc, CannotVerify):
            raise
        raise CannotVerify(f"cannot read {path}: {exc}") from exc
    if not isinstance(value, dict):
        raise CannotVerify(f"{path}: not a JSON object")
    return value


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; return the exit status (0 verified, 1 not, 2 cannot run)."""
    parser = argparse.ArgumentParser(description="Verify a randsample draw record.")
    parser.add_argument("record", help="the draw record (JSON)")
    parser.add_argument("population", help="the population file (CSV)")
    parser.add_argument("--previous", help="the authority's previous record, to check the link")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    args = parser.parse_args(argv)
    try:
        record = _load_json(args.record)
        previous = _load_json(args.previous) if args.previous else None
        problems = verify(record, read_population_csv(args.population), previous)
    except CannotVerify as exc:
        print(f"cannot verify: {exc}", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    seed = record["seed"]
    facts = {
        "ok": not problems,
        "authority": record["authority"],
        "draw_id": record["draw_id"],
        "timestamp": record["timestamp"],
        "seed_key": seed["key"],
        "low_entropy_allowed": seed["low_entropy_allowed"],
        "units": record["population"]["units"],
        "previous_checked": previous is not None,
        "sample_sizes": {s["stratum"]: s["sample_size"] for s in record["design"]["strata"]},
        "discrepancies": [{"field": f, "message": m} for f, m in problems],
    }
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    if seed["low_entropy_allowed"]:
        print(
            "WARNING: seed.low_entropy_allowed is true: the seed material was accepted "
            "below the entropy rules of spec 2.4"
        )
    for field, message in problems:
        print(f"{field}: {message}")
    if problems:
        print(f"NOT VERIFIED: {len(problems)} difference(s)")
        return 1
    print(
        f"authority: {record['authority']}\ndraw id:   {record['draw_id']}\n"
        f"timestamp: {record['timestamp']}\nseed key:  "
        f"{seed['key'] if seed['key'] is not None else '(raw seed, no key)'}\n"
        f"units:     {facts['units']}; chain link "
        f"{'checked' if previous is not None else 'not checked (no --previous)'}"
    )
    for stratum, size in facts["sample_sizes"].items():
        print(f"  stratum {stratum!r}: sample size {size}")
    print("VERIFIED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
