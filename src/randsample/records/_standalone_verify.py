"""Independent verifier for randsample draw records (``stratified-srswor`` v1).

Written from ``docs/spec.md`` alone, with the Python (>= 3.10) standard library only, so
that anyone can download this single file and check a published draw without trusting,
or even installing, randsample::

    python standalone_verify.py RECORD.json POPULATION.csv [--previous PREVIOUS.json] [--json]
    python -m randsample.records._standalone_verify RECORD.json POPULATION.csv ...

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
RECORD_FIELDS = {"record_format", "algorithm", "library", "authority", "draw_id", "timestamp"}
RECORD_FIELDS |= {"previous_record_digest", "seed", "purpose", "subkey", "population"}
RECORD_FIELDS |= {"design", "selection", "record_digest"}
SEED_FIELDS = {"value", "key", "sources", "secret", "commitment", "low_entropy_allowed"}
MAX_SELECTION_REPORTS = 20  # past this, selection differences are only counted
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # spec 1
_DIGITS = re.compile(r"[0-9]+")
_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})*")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")  # spec 4.3 grammar
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class CannotVerify(ValueError):  # noqa: N818 - a verdict on the inputs, not a program error
    """The inputs are unusable, so there is nothing to compare (exit status 2)."""


class _Report(list[tuple[str, str]]):
    """The differences found so far; calling it records one more."""

    def __call__(self, field: str, message: str) -> None:
        self.append((field, message))


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
    if text.isascii():  # fast path: printable ASCII is NFC and has no forbidden category
        return None if text.isprintable() else "contains a control character"
    for char in text:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES or (category == "Zs" and char != " "):
            return f"contains U+{ord(char):04X} (category {category})"
    return None if unicodedata.is_normalized("NFC", text) else "is not in Unicode NFC"


def _canonical_values(sources: list[Any]) -> list[list[str]]:
    """Validate the sources' values and return their canonical forms, sorted (spec 2.2)."""
    result = []
    for i, source in enumerate(sources):
        values = source.get("values") if isinstance(source, dict) else None
        if not isinstance(values, list) or not values:
            raise CannotVerify(f"seed.sources[{i}].values must be a non-empty list")
        # fullmatch on an ASCII class: str.isdigit() would also accept "²" or "٣".
        if not all(isinstance(v, str) and _DIGITS.fullmatch(v) for v in values):
            raise CannotVerify(f"seed.sources[{i}].values must all be digit strings")
        # Without leading zeros, numeric order is (length, text) order; this avoids int()
        # and its digit limit on long beacon values.
        result.append(sorted((v.lstrip("0") or "0" for v in values), key=lambda v: (len(v), v)))
    return result


def canonical_key(sources: list[dict[str, Any]]) -> str:
    """Build the RFC 3797 style key of spec 2.2 from sources in their announced order."""
    return "".join("".join(v + "." for v in values) + "/" for values in _canonical_values(sources))


def _hex_bytes(text: Any, field: str) -> bytes:
    """Decode a lowercase hex field; anything else is malformed (spec notation: ``hex``)."""
    if not isinstance(text, str) or not _LOWER_HEX.fullmatch(text):
        raise CannotVerify(f"{field} is not lowercase hexadecimal")
    return bytes.fromhex(text)


def _weak_bytes(data: bytes) -> bool:
    """Entropy rule of spec 2.4 for raw seeds and secrets."""
    return len(data) < 16 or len(set(data)) < 8


def _derive_from_sources(
    sources: list[Any], secret: Any, commitment: Any, out: _Report
) -> tuple[bytes, str, bool]:
    """Derive a seed from public sources and an optional secret (2.2-2.3).

    Returns the seed value, the key, and whether the material breaks a rule of 2.4.
    """
    key = canonical_key(sources)
    # 2.4: "significant digits" read as all digits of the canonical values except "0".
    weak = sum(len(v) for vs in _canonical_values(sources) for v in vs if v != "0") < 20
    if secret is not None:
        secret_bytes = _hex_bytes(secret, "seed.secret")
        weak = weak or _weak_bytes(secret_bytes)
        expected = hashlib.sha256(b"randsample/v1/commitment\x00" + secret_bytes).hexdigest()
        if commitment is None:  # then the secret could have been chosen after the sources
            out("seed.commitment", "a secret is revealed but no commitment was published")
        elif commitment != expected:
            out("seed.commitment", f"record says {commitment}, secret gives {expected}")
        key += secret_bytes.hex() + "/"
    elif commitment is not None:
        out("seed.secret", "a commitment was published but the secret is not revealed")
    return hashlib.sha256(key.encode("ascii")).digest(), key, weak


def _check_seed(seed: dict[str, Any], out: _Report) -> bytes:
    """Re-derive the seed value (spec 2.1-2.4), recording differences in ``out``."""
    if SEED_FIELDS - seed.keys():
        raise CannotVerify(f"seed.{min(SEED_FIELDS - seed.keys())} is missing")
    for name in sorted(seed.keys() - SEED_FIELDS):
        out(f"seed.{name}", "unexpected field")
    key, sources, secret, commitment, flag = (
        seed[k] for k in ("key", "sources", "secret", "commitment", "low_entropy_allowed")
    )
    if not isinstance(sources, list) or not isinstance(flag, bool):
        raise CannotVerify("seed.sources must be a list and seed.low_entropy_allowed a boolean")
    if sources:
        value, derived_key, weak = _derive_from_sources(sources, secret, commitment, out)
        if key != derived_key:
            out("seed.key", f"record says {key!r}, sources give {derived_key!r}")
        if seed["value"] != value.hex():
            out("seed.value", f"record says {seed['value']}, key gives {value.hex()}")
    else:  # raw seed (2.1): the value is the seed itself, nothing to derive
        for name in ("key", "secret", "commitment"):
            if seed[name] is not None:
                out(f"seed.{name}", "must be null for a raw seed")
        value = _hex_bytes(seed["value"], "seed.value")
        weak = _weak_bytes(value)
    if flag != weak:  # 2.4: the flag states a property of the material; it is re-derived
        out(
            "seed.low_entropy_allowed",
            f"record says {json.dumps(flag)}, material gives {json.dumps(weak)}",
        )
    return value


def seed_from_record(seed_obj: dict[str, Any]) -> bytes:
    """Return the seed value that a record's ``seed`` object derives to (spec 2)."""
    return _check_seed(seed_obj, _Report())


def subkey(seed_value: bytes, purpose: str) -> bytes:
    """Compute the domain-separated 32-byte sub-key of spec 2.5."""
    tag = b"randsample/v1/subkey\x00"
    return hashlib.sha256(tag + _lp(purpose.encode("utf-8")) + _lp(seed_value)).digest()


def ticket(subkey: bytes, unit_id: str) -> bytes:
    """Compute a ticket (spec 3): it depends only on the sub-key and the unit's own id."""
    return hashlib.sha256(subkey + _lp(unit_id.encode("utf-8"))).digest()


def population_digest(rows: list[Row]) -> str:
    """Compute the population digest of spec 4.2 (rows may come in any order)."""
    parts = [b"randsample/v1/population\x00", struct.pack(">Q", len(rows))]
    for uid, stratum, eligible, weight in sorted(rows, key=lambda r: r[0].encode("utf-8")):
        parts += [_lp(uid.encode("utf-8")), _lp(stratum.encode("utf-8"))]
        parts.append(b"\x01" if eligible else b"\x00")
        if weight is None:
            parts.append(b"\x00")
        else:  # -0.0 must hash like 0.0 (4.2); "weight == 0" is true for both zeros
            parts.append(b"\x01" + struct.pack(">d", 0.0 if weight == 0 else weight))
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _parse_weight(text: str, where: str) -> float | None:
    """Parse a CSV weight (4.3): empty, or a finite non-negative decimal number."""
    if text == "":
        return None
    # float() alone would also take "nan", "inf", "1_0" and surrounding spaces.
    weight = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not math.isfinite(weight) or weight < 0:  # float() rounds to the nearest binary64
        raise CannotVerify(f"{where}: weight {text!r} is not a finite non-negative decimal")
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
                raise CannotVerify(f"{path}: header must be exactly {','.join(CSV_HEADER)}")
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
                if eligible not in ("0", "1"):
                    raise CannotVerify(f"{where}: eligible must be 1 or 0, not {eligible!r}")
                seen.add(uid)
                rows.append((uid, stratum, eligible == "1", _parse_weight(weight, where)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CannotVerify(f"cannot read population file {path}: {exc}") from exc
    return rows


# ---------------------------------------------------------------- selection (spec 5)
def _group(rows: list[Row]) -> tuple[dict[str, list[str]], Counter[str]]:
    """Return the eligible ids of every stratum present, and each stratum's unit count."""
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
    """Order-sample each stratum on tickets; the sizes must already be feasible."""
    base = hashlib.sha256(key)  # copy() a hasher already fed the sub-key: one digest per unit
    selection = []
    for stratum in sorted(sizes, key=lambda s: s.encode("utf-8")):
        members, size = eligible.get(stratum, []), sizes[stratum]
        if size == 0:  # nothing to draw (and no 0/0 probability when M_h = 0)
            continue
        tickets = []
        for uid in members:
            hasher = base.copy()
            hasher.update(_lp(uid.encode("utf-8")))
            tickets.append((hasher.digest(), uid.encode("utf-8"), uid))  # id bytes break ties
        tickets.sort()
        probability = str(Fraction(size, len(members)))  # reduced: "1" or "p/q"
        selection += [
            {
                "id": u,
                "stratum": stratum,
                "rank": r,
                "ticket": t.hex(),
                "inclusion_probability": probability,
            }
            for r, (t, _b, u) in enumerate(tickets[:size], start=1)
        ]
    return selection


def select(rows: list[Row], sizes: dict[str, int], subkey: bytes) -> list[dict[str, Any]]:
    """Run ``stratified-srswor`` v1 (spec 5); return the selection entries of the record."""
    eligible, _units = _group(rows)
    if set(eligible) - sizes.keys():
        raise ValueError(f"no sample size for strata {sorted(set(eligible) - sizes.keys())}")
    for stratum, size in sizes.items():
        if not 0 <= size <= len(eligible.get(stratum, [])):
            raise ValueError(f"sample size {size} is not feasible for stratum {stratum!r}")
    return _select(eligible, sizes, subkey)


# ---------------------------------------------------------------- records (spec 6)
def _check_jcs(value: Any, path: str) -> None:
    """Refuse what the restricted JCS of spec 6.1 cannot represent (floats, big integers)."""
    if isinstance(value, (dict, list)):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(value, dict) and not (isinstance(key, str) and key.isascii()):
                raise CannotVerify(f"{path}: key {key!r} is not an ASCII string")
            _check_jcs(item, f"{path}.{key}")
    elif not (
        value is None or type(value) in (str, bool) or (type(value) is int and abs(value) < 2**53)
    ):
        raise CannotVerify(f"{path}: {value!r} cannot occur in a record")


def record_digest(record: dict[str, Any]) -> str:
    """Compute ``record_digest`` (spec 6.3): SHA-256 of the canonical JSON without it."""
    body = {k: v for k, v in record.items() if k != "record_digest"}
    _check_jcs(body, "record")
    # With these options json.dumps writes exactly the JCS subset of 6.1: sorted keys
    # (ASCII, so code point order), no whitespace, short escapes, lowercase \u00xx.
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape
        raise CannotVerify(f"record has a string that is not valid Unicode: {exc}") from exc


def _get(obj: Any, key: str, kinds: tuple[type, ...], path: str) -> Any:
    """Fetch a required field of an exact JSON type (exact, so true is not an integer)."""
    if not isinstance(obj, dict) or key not in obj:
        raise CannotVerify(f"{path}{key} is missing")
    if type(obj[key]) not in kinds:
        raise CannotVerify(f"{path}{key} has the wrong type ({type(obj[key]).__name__})")
    return obj[key]


def _check_selection(
    record: dict[str, Any], expected: list[dict[str, Any]], rows: list[Row]
) -> tuple[_Report, Counter[str]]:
    """Compare the record's selection with the algorithm's, id by id (6.4 step 6)."""
    diffs = _Report()
    by_id = {entry["id"]: entry for entry in expected}
    is_eligible = {uid: eligible for uid, _stratum, eligible, _weight in rows}
    seen: set[str] = set()
    order: list[tuple[bytes, int]] = []
    counts: Counter[str] = Counter()  # selected units per stratum, as the record says
    for i, entry in enumerate(_get(record, "selection", (list,), "")):
        uid, stratum, _t, _p = (
            _get(entry, k, (str,), f"selection[{i}].")
            for k in ("id", "stratum", "ticket", "inclusion_probability")
        )
        counts[stratum] += 1
        order.append((stratum.encode("utf-8"), _get(entry, "rank", (int,), f"selection[{i}].")))
        if uid in seen:
            diffs("selection", f"unit {uid!r} appears more than once")
        elif uid not in by_id:
            why = {None: "not in the population file", False: "ineligible"}.get(
                is_eligible.get(uid), "its ticket is not among the smallest"
            )
            diffs(
                "selection",
                f"unit {uid!r} is in the record but not selected by the algorithm ({why})",
            )
        else:
            for k, value in by_id[uid].items():
                if entry[k] != value:
                    diffs(
                        f"selection[{i}].{k}",
                        f"unit {uid!r}: record says {entry[k]!r}, algorithm gives {value!r}",
                    )
        seen.add(uid)
    for e in expected:
        if e["id"] not in seen:
            diffs(
                "selection",
                f"unit {e['id']!r} (stratum {e['stratum']!r}, rank {e['rank']}) is selected "
                "by the algorithm but missing from the record",
            )
    if order != sorted(order):
        diffs("selection", "entries are not sorted by stratum then rank")
    if len(diffs) > MAX_SELECTION_REPORTS:  # don't flood: a wrong seed changes everything
        hidden = len(diffs) - MAX_SELECTION_REPORTS
        del diffs[MAX_SELECTION_REPORTS:]
        diffs("selection", f"... and {hidden} more selection differences not shown")
    return diffs, counts


def _check_header(record: dict[str, Any], out: _Report) -> None:
    """Check format and version, the field set, the record digest (6.4 step 1) and labels."""
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
        raise CannotVerify(f"{min(RECORD_FIELDS - record.keys())} is missing")
    for name in sorted(record.keys() - RECORD_FIELDS):
        out(name, "unexpected field")
    digest = record_digest(record)  # any edit anywhere in the record shows up here
    if record["record_digest"] != digest:
        out("record_digest", f"record says {record['record_digest']}, content gives {digest}")
    for name in ("authority", "draw_id", "purpose"):
        problem = _label_problem(_get(record, name, (str,), ""))
        if problem:
            out(name, f"{record[name]!r} {problem}")
    if not _TIMESTAMP.fullmatch(_get(record, "timestamp", (str,), "")):
        out("timestamp", f"{record['timestamp']!r} is not YYYY-MM-DDTHH:MM:SSZ")
    link = _get(record, "previous_record_digest", (str, type(None)), "")
    if link is not None and not _DIGEST.fullmatch(link):
        out("previous_record_digest", f"{link!r} is neither null nor a record digest")


def _check_design(
    record: dict[str, Any], eligible: dict[str, list[str]], units: Counter[str], out: _Report
) -> tuple[dict[str, int], dict[str, str]]:
    """Check ``design`` against the population (6.4 step 5); return sizes and field paths."""
    sizes: dict[str, int] = {}
    paths: dict[str, str] = {}
    names: list[str] = []
    for i, entry in enumerate(
        _get(_get(record, "design", (dict,), ""), "strata", (list,), "design.")
    ):
        path = f"design.strata[{i}]"
        stratum = _get(entry, "stratum", (str,), path + ".")
        names.append(stratum)
        if stratum in sizes:
            out(path, f"stratum {stratum!r} is listed more than once")
            continue
        count = len(eligible.get(stratum, []))
        for name, value in (("units", units[stratum]), ("eligible", count)):
            if _get(entry, name, (int,), path + ".") != value:
                out(
                    f"{path}.{name}",
                    f"stratum {stratum!r}: record says {entry[name]}, "
                    f"population file gives {value}",
                )
        sizes[stratum], paths[stratum] = _get(entry, "sample_size", (int,), path + "."), path
        if not 0 <= sizes[stratum] <= count:
            out(
                f"{path}.sample_size",
                f"{sizes[stratum]} is not feasible for stratum {stratum!r} "
                f"with {count} eligible units",
            )
    if names != sorted(names, key=lambda s: s.encode("utf-8")):
        out("design.strata", "not sorted by UTF-8(stratum)")
    for stratum in sorted(set(units) - sizes.keys()):
        out("design.strata", f"stratum {stratum!r} of the population file is missing")
    return sizes, paths


def _check_chain(record: dict[str, Any], previous: dict[str, Any], out: _Report) -> None:
    """Check the link to the authority's previous record (6.4 step 7)."""
    digest = record_digest(previous)  # recomputed: the previous file's own field could lie
    if previous.get("record_digest") != digest:
        out(
            "previous.record_digest",
            f"previous record says {previous.get('record_digest')}, its content gives {digest}",
        )
    if record["previous_record_digest"] != digest:
        out(
            "previous_record_digest",
            f"record says {record['previous_record_digest']}, previous record's digest is {digest}",
        )
    if previous.get("authority") != record["authority"]:
        out(
            "authority",
            f"record says {record['authority']!r}, "
            f"previous record says {previous.get('authority')!r}",
        )
    before = previous.get("timestamp")
    if not isinstance(before, str) or not _TIMESTAMP.fullmatch(before):
        out("previous.timestamp", f"{before!r} is not YYYY-MM-DDTHH:MM:SSZ")
    elif record["timestamp"] < before:  # fixed-width UTC form: text order is time order
        out("timestamp", f"{record['timestamp']} is earlier than the previous record's {before}")


def verify(
    record: dict[str, Any], rows: list[Row], previous: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    """Run every check of spec 6.4; return (field, message) differences, [] if verified.

    ``rows`` are trusted to be valid (``read_population_csv`` makes sure of it). Raises
    ``CannotVerify`` when the record is malformed or of an unsupported format or version.
    """
    if not isinstance(record, dict):
        raise CannotVerify("the record is not a JSON object")
    out = _Report()
    _check_header(record, out)
    # Steps 2-3. Later steps use the derived seed and sub-key, never the recorded ones.
    seed_value = _check_seed(_get(record, "seed", (dict,), ""), out)
    key = subkey(seed_value, record["purpose"])
    if _get(record, "subkey", (str,), "") != key.hex():
        out("subkey", f"record says {record['subkey']}, seed and purpose give {key.hex()}")
    # Step 4. Population digest and counts.
    population = _get(record, "population", (dict,), "")
    eligible_count = sum(1 for row in rows if row[2])
    for name, value in (
        ("digest", population_digest(rows)),
        ("units", len(rows)),
        ("eligible", eligible_count),
    ):
        stated = _get(population, name, (type(value),), "population.")
        if stated != value:
            out(f"population.{name}", f"record says {stated}, population file gives {value}")
    eligible, units = _group(rows)
    sizes, paths = _check_design(record, eligible, units, out)  # step 5
    # Step 6, with the sizes clamped to what is feasible so that the other strata can
    # still be compared after an infeasible size has been reported.
    feasible = {s: max(0, min(n, len(eligible.get(s, [])))) for s, n in sizes.items()}
    diffs, counts = _check_selection(record, _select(eligible, feasible, key), rows)
    for stratum, size in sizes.items():
        if counts[stratum] != size:
            out(
                f"{paths[stratum]}.sample_size",
                f"record says {size} for stratum {stratum!r}, "
                f"but the selection has {counts[stratum]} of its units",
            )
    out += diffs
    if previous is not None:
        _check_chain(record, previous, out)  # step 7
    return list(out)


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
    except CannotVerify:
        raise
    except (OSError, ValueError) as exc:  # includes JSONDecodeError, UnicodeDecodeError
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
        "discrepancies": [{"field": f, "message": m} for f, m in problems],
        **{k: record[k] for k in ("authority", "draw_id", "timestamp")},
        "seed_key": seed["key"],
        "low_entropy_allowed": seed["low_entropy_allowed"],
        "units": record["population"]["units"],
        "sample_sizes": {s["stratum"]: s["sample_size"] for s in record["design"]["strata"]},
        "chain_checked": previous is not None,
    }
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    if seed["low_entropy_allowed"]:
        print("WARNING: seed.low_entropy_allowed is true: the seed material is below spec 2.4")
    for field, message in problems:
        print(f"{field}: {message}")
    if problems:
        print(f"NOT VERIFIED: {len(problems)} difference(s)")
        return 1
    chain = "checked" if previous is not None else "not checked (no --previous)"
    print(f"authority: {record['authority']}\ndraw id:   {record['draw_id']}")
    print(f"timestamp: {record['timestamp']}\nseed key:  {seed['key'] or '(raw seed)'}")
    print(f"units:     {facts['units']}; chain link {chain}\nsample sizes:")
    print("".join(f"  {s!r}: {n}\n" for s, n in facts["sample_sizes"].items()) + "VERIFIED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
