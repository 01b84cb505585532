"""Generate the shared table of verdict vectors (``docs/spec.md`` section 16.7).

Each vector is one JSON file: a record (its exact text), the inputs a verifier is given (a
population file of tests/data, the previous record, an announcement, replacements; for a team
record, ``inputs``: its input files of tests/data instead of a population) and the
verdict every verifier must reach: ``verified``, ``not verified`` with the top-level fields it
names, or ``malformed``, and the randomness notes (codes) of a verified or not verified record.

Run ``python tests/data/verdicts/generate_verdicts.py`` to write missing vectors; an existing
vector is never overwritten (``--check`` compares instead and exits 1 on a difference). The
vectors are built from the frozen golden records of tests/data, so they do not depend on the
clock.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE.parent
sys.path.insert(0, str(DATA.parents[1] / "src"))

from randsample import Population, PublicSource, Seed, draw_stratified, make_record  # noqa: E402
from randsample.files import read_population_csv  # noqa: E402
from randsample.records import (  # noqa: E402
    AnnouncedSource,
    announce_draw,
    compute_digest,
)

GOLDEN = DATA / "golden_draw"
POPULATION = "golden_draw/population.csv"
TEAMS, TEAMS2 = DATA / "golden_assignment", DATA / "golden_assignment_v2"
Json = dict[str, Any]


def _text(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def _json(name: str) -> Json:
    return json.loads(_text(name))


def canonical(record: Json) -> str:
    """The record's canonical JSON (spec 6.1), as published."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sealed(record: Json) -> str:
    """Re-seal ``record`` (as a forger holding the whole record would) and publish it."""
    record = copy.deepcopy(record)
    record["record_digest"] = compute_digest(record)
    return canonical(record)


def edited(name: str, change: Callable[[Json], None], *, reseal: bool = True) -> str:
    """The golden record ``name`` with ``change`` applied, re-sealed or not."""
    record = _json(name)
    change(record)
    return sealed(record) if reseal else canonical(record)


def put(path: tuple[Any, ...], value: Any) -> Callable[[Json], None]:
    """A change setting the field at ``path`` to ``value``."""

    def change(record: Json) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def drop(path: tuple[Any, ...]) -> Callable[[Json], None]:
    """A change deleting the field at ``path``."""

    def change(record: Json) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _population() -> Population:
    return read_population_csv(GOLDEN / "population.csv")


def _sizes() -> dict[str, int]:
    return json.loads(_text("sizes.json"))


def _announcement(**changes: Any) -> str:
    # The announcement of golden-1 (record1.json): its sources, sizes and secret.
    record = _json("record1.json")
    sources = [
        AnnouncedSource(s["name"], date(2026, 11, 26), len(s["values"]))
        for s in record["seed"]["sources"]
    ]
    arguments: dict[str, Any] = {
        "sources": sources,
        "authority": "golden authority",
        "draw_id": "golden-1",
        "timestamp": "2026-11-20T02:00:00Z",
        "secret": bytes.fromhex(record["seed"]["secret"]),
    }
    arguments.update(changes)
    return announce_draw(_population(), _sizes(), **arguments).to_json()


def _draw(seed: Seed, **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "authority": "golden authority",
        "draw_id": "golden-3",
        "timestamp": "2026-11-30T02:00:00Z",
    }
    arguments.update(changes)
    return make_record(draw_stratified(_population(), _sizes(), seed), **arguments).to_json()


GOLDEN_SOURCES = [PublicSource("golden lottery", [3, 11, 19, 24, 30, 33])]


def _reordered() -> str:
    # record1's sources in the other order: well-formed, re-derives, but not as announced.
    record = _json("record1.json")
    sources = [PublicSource(s["name"], s["values"]) for s in reversed(record["seed"]["sources"])]
    secret = bytes.fromhex(record["seed"]["secret"])
    return _draw(Seed.from_sources(sources, secret=secret), draw_id="golden-1")


def _vectors() -> dict[str, Json]:
    record1, record2 = _text("record1.json"), _text("record2.json")
    rep1, rep2 = _text("replacement1.json"), _text("replacement2.json")
    unannounced = ["unannounced"]
    v: dict[str, Json] = {}

    def vector(
        name: str,
        description: str,
        record: str,
        verdict: str,
        fields: list[str] | None = None,
        notes: list[str] | None = None,
        *,
        population: str | None = POPULATION,
        previous: str | None = None,
        announcement: str | None = None,
        replacements: list[str] | None = None,
        raw: bytes | None = None,
        inputs: list[str] | None = None,
    ) -> None:
        assert name not in v, name
        case: Json = {"description": description}
        if raw is not None:
            case["record_hex"] = raw.hex()
        else:
            case["record"] = record
        if inputs is not None:  # a team record: its input files instead of a population
            case["inputs"] = inputs
            population = None
        case.update(
            {
                "population": population,
                "previous": previous,
                "announcement": announcement,
                "replacements": replacements or [],
                "expected": {
                    "verdict": verdict,
                    "fields": sorted(fields or []),
                    "notes": sorted(notes or []) if verdict != "malformed" else [],
                },
            }
        )
        v[name] = case

    # -- verified ---------------------------------------------------------------------------
    vector(
        "ok-sources-secret",
        "the golden draw: sources and a committed secret",
        record1,
        "verified",
        notes=unannounced,
    )
    vector(
        "ok-raw-seed-chained",
        "a raw seed, chained to the golden draw",
        record2,
        "verified",
        notes=["raw-seed"],
        previous=record1,
    )
    vector(
        "ok-announced",
        "the golden draw with its announcement: publicly random",
        record1,
        "verified",
        notes=["publicly-random"],
        announcement=_announcement(),
    )
    vector(
        "ok-replacements",
        "the golden draw and its two replacements, in order",
        record1,
        "verified",
        notes=unannounced,
        replacements=[rep1, rep2],
    )
    vector(
        "ok-pips",
        "a stratified-pips-systematic draw (spec 5b)",
        _text("record_pips.json"),
        "verified",
        notes=unannounced,
    )
    vector(
        "ok-low-entropy-override",
        "12 significant digits, override recorded (spec 2.4)",
        _draw(Seed.from_sources(GOLDEN_SOURCES, allow_low_entropy=True)),
        "verified",
        notes=["unannounced", "low-entropy"],
    )
    vector(
        "ok-weak-sources",
        "20 significant digits by 2.4, 2 entropy digits by 12.3",
        _draw(
            Seed.from_sources(
                [PublicSource("typed", ["10000000000000000000"])], allow_low_entropy=True
            )
        ),
        "verified",
        notes=["unannounced", "weak-sources"],
    )
    vector(
        "ok-weak-secret",
        "a secret that is typed text (spec 15.2), overridden",
        _draw(
            Seed.from_sources(
                [
                    PublicSource("golden lottery", [3, 11, 19, 24, 30, 33]),
                    PublicSource("golden index", [324567, 1187342]),
                ],
                secret=b"qinghe-2026-11-A",
                allow_weak_secret=True,
            )
        ),
        "verified",
        notes=["unannounced", "weak-secret"],
    )
    vector(
        "ok-any-json-spelling",
        "whitespace and key order do not matter (spec 6.1)",
        json.dumps(_json("record1.json"), ensure_ascii=True, indent=1),
        "verified",
        notes=unannounced,
    )

    # -- not verified: the record --------------------------------------------------------------
    vector(
        "edit-rank-unsealed",
        "a rank edited, the digest not recomputed",
        edited("record1.json", put(("selection", 0, "rank"), 2), reseal=False),
        "not verified",
        ["record_digest", "selection"],
        unannounced,
    )
    vector(
        "edit-selection-id",
        "a selected id replaced by another unit, re-sealed",
        edited("record1.json", put(("selection", 0, "id"), "G0001")),
        "not verified",
        ["selection"],
        unannounced,
    )
    vector(
        "edit-seed-value",
        "seed.value edited, re-sealed",
        edited("record1.json", put(("seed", "value"), "00" * 32)),
        "not verified",
        ["seed"],
        unannounced,
    )
    vector(
        "edit-seed-key",
        "seed.key edited, re-sealed",
        edited("record1.json", put(("seed", "key"), "3./")),
        "not verified",
        ["seed"],
        unannounced,
    )
    vector(
        "edit-commitment",
        "a commitment that is not the secret's, re-sealed",
        edited("record1.json", put(("seed", "commitment"), "ab" * 32)),
        "not verified",
        ["seed"],
        unannounced,
    )
    vector(
        "edit-low-entropy-flag",
        "low_entropy_allowed true on good material, re-sealed",
        edited("record1.json", put(("seed", "low_entropy_allowed"), True)),
        "not verified",
        ["seed"],
        ["unannounced", "low-entropy"],
    )
    vector(
        "edit-raw-seed-short",
        "a raw seed of 8 bytes without the override, re-sealed",
        edited("record2.json", put(("seed", "value"), "c0ffee2547290000")),
        "not verified",
        ["seed", "subkey", "selection"],
        ["raw-seed"],
    )
    vector(
        "edit-subkey",
        "subkey edited, re-sealed",
        edited("record1.json", put(("subkey",), "ab" * 32)),
        "not verified",
        ["subkey"],
        unannounced,
    )
    vector(
        "edit-purpose",
        "purpose inspectors: another sub-key, another selection",
        edited("record1.json", put(("purpose",), "inspectors")),
        "not verified",
        ["subkey", "selection"],
        unannounced,
    )
    vector(
        "edit-population-digest",
        "population.digest edited, re-sealed",
        edited("record1.json", put(("population", "digest"), "ab" * 32)),
        "not verified",
        ["population"],
        unannounced,
    )
    vector(
        "edit-sample-size",
        "a stratum's sample_size edited, re-sealed",
        edited("record1.json", put(("design", "strata", 0, "sample_size"), 6)),
        "not verified",
        ["design", "selection"],
        unannounced,
    )
    vector(
        "edit-probability",
        "an inclusion probability edited (reduced), re-sealed",
        edited("record1.json", put(("selection", 0, "inclusion_probability"), "1/19")),
        "not verified",
        ["selection"],
        unannounced,
    )

    # -- not verified: the inputs ------------------------------------------------------------
    population = (GOLDEN / "population.csv").read_text(encoding="utf-8")
    first_selected = _json("record1.json")["selection"][0]["id"]
    line = next(row for row in population.splitlines() if row.startswith(first_selected + ","))
    vector(
        "population-edited",
        "the population file with the first selected unit ineligible",
        record1,
        "not verified",
        ["population", "design", "selection"],
        unannounced,
        population="verdicts/population-edited.csv",
    )
    assert line.split(",")[2] == "1"
    vector(
        "chain-ok",
        "a raw-seed draw linked to the golden draw (same as ok-raw-seed-chained)",
        record2,
        "verified",
        notes=["raw-seed"],
        previous=record1,
    )
    vector(
        "chain-wrong-link",
        "the previous record given is not the one linked",
        record2,
        "not verified",
        ["previous_record_digest", "timestamp"],
        ["raw-seed"],
        previous=_text("record_pips.json"),
    )
    vector(
        "chain-previous-edited",
        "the previous record was edited after sealing",
        record2,
        "not verified",
        ["previous", "previous_record_digest"],
        ["raw-seed"],
        previous=edited("record1.json", put(("draw_id",), "golden-0"), reseal=False),
    )
    vector(
        "chain-earlier",
        "a timestamp earlier than the previous record's, re-sealed",
        edited("record2.json", put(("timestamp",), "2026-11-26T02:00:00Z")),
        "not verified",
        ["timestamp"],
        ["raw-seed"],
        previous=record1,
    )
    vector(
        "chain-other-authority",
        "another authority than the previous record's, re-sealed",
        edited("record2.json", put(("authority",), "another authority")),
        "not verified",
        ["authority"],
        ["raw-seed"],
        previous=record1,
    )
    vector(
        "announced-reordered",
        "the announced sources listed in another order",
        _reordered(),
        "not verified",
        ["announcement"],
        [],
        announcement=_announcement(),
    )
    late = json.loads(_announcement())
    late["timestamp"] = "2026-11-26T12:00:00Z"  # the day its sources were published
    vector(
        "announced-late",
        "an announcement made the day its sources were published",
        record1,
        "not verified",
        ["announcement"],
        [],
        announcement=sealed(late),
    )
    vector(
        "edit-secret-zero-flagged",
        "a secret of 16 zero bytes with the override flag set",
        edited(
            "record1.json",
            lambda r: r["seed"].update(
                secret="00" * 16,
                low_entropy_allowed=True,
                commitment="f6cb81cdfd1e54ad88aed38031fbf8cf6319aab8ba1c5f17eaf741fc0ba4f526",
                key="3.11.19.24.30.33./324567.1187342./" + "00" * 16 + "/",
            ),
        ),
        "not verified",
        ["seed", "subkey", "selection"],
        ["unannounced", "low-entropy", "weak-secret"],
    )
    vector(
        "announced-other-sizes",
        "the draw used other sizes than announced",
        record2,
        "not verified",
        ["announcement"],
        ["raw-seed"],
        announcement=_announcement(draw_id="golden-2"),
    )
    vector(
        "replacement-withheld",
        "the second replacement given without the first",
        record1,
        "not verified",
        ["replacements"],
        unannounced,
        replacements=[rep2],
    )
    vector(
        "replacement-other-authority",
        "a replacement of another authority, re-sealed",
        record1,
        "not verified",
        ["replacements"],
        unannounced,
        replacements=[edited("replacement1.json", put(("authority",), "another"))],
    )
    vector(
        "replacement-wrong-rank",
        "a replacement with the wrong rank, re-sealed",
        record1,
        "not verified",
        ["replacements"],
        unannounced,
        replacements=[edited("replacement1.json", put(("replacement", "rank"), 9))],
    )

    # -- malformed ---------------------------------------------------------------------------
    bad: list[tuple[str, str, Callable[[Json], None]]] = [
        ("extra-field", "an extra top-level field", put(("extra",), 1)),
        ("extra-seed-field", "an extra field in seed", put(("seed", "extra"), 1)),
        ("extra-source-field", "an extra field in a source", put(("seed", "sources", 0, "x"), 1)),
        ("extra-selection-field", "an extra field in a selection entry",
         put(("selection", 0, "x"), 1)),
        ("extra-design-field", "an extra field in design", put(("design", "x"), 1)),
        ("extra-library-field", "an extra field in library", put(("library", "x"), 1)),
        ("library-name", "library.name is not randsample", put(("library", "name"), "other")),
        ("library-version", "library.version is not a PEP 440 version",
         put(("library", "version"), "latest")),
        ("version-true", "algorithm.version true (not the integer 1)",
         put(("algorithm", "version"), True)),
        ("units-bool", "population.units false", put(("population", "units"), False)),
        ("authority-space", "an authority with a leading space", put(("authority",), " golden")),
        ("authority-empty", "an empty authority", put(("authority",), "")),
        ("draw-id-control", "a control character in draw_id", put(("draw_id",), "golden\t1")),
        ("draw-id-nfd", "a draw_id not in NFC", put(("draw_id",), "Cafe\u0301")),
        ("timestamp-space", "a timestamp with a space",
         put(("timestamp",), "2026-11-27 02:00:00Z")),
        ("timestamp-unreal", "a timestamp that is not a real time",
         put(("timestamp",), "2026-02-30T25:61:00Z")),
        ("source-value-07", 'a source value "03" (not canonical)',
         put(("seed", "sources", 0, "values", 0), "03")),
        ("source-value-number", "a source value as a JSON number",
         put(("seed", "sources", 0, "values", 0), 3)),
        ("secret-uppercase", "the secret in uppercase hex",
         put(("seed", "secret"), "D2A94C1E8B7F3065A1C4E9B2D7F08E36")),
        ("secret-no-commitment", "a secret with a null commitment",
         put(("seed", "commitment"), None)),
        ("seed-key-missing", "seed.key missing", drop(("seed", "key"))),
        ("ticket-uppercase", "a ticket in uppercase hex",
         put(("selection", 0, "ticket"), "006BC0450BF8124A21CC2C497C60076F"
                                         "B3434C37D17B491868D3992DBDA36628")),
        ("rank-zero", "a rank of 0", put(("selection", 0, "rank"), 0)),
        ("probability-unreduced", 'an inclusion probability "14/270" (not reduced)',
         put(("selection", 0, "inclusion_probability"), "14/270")),
        ("format-unknown", "an unknown record_format",
         put(("record_format",), "randsample.draw-record/9")),
    ]  # fmt: skip
    for name, description, change in bad:
        vector(
            f"malformed-{name}",
            description + ", re-sealed",
            edited("record1.json", change),
            "malformed",
        )
    vector(
        "malformed-raw-seed-secret",
        "a raw-seed record carrying a secret, re-sealed",
        edited("record2.json", put(("seed", "secret"), "d2a94c1e8b7f3065a1c4e9b2d7f08e36")),
        "malformed",
    )
    vector(
        "malformed-duplicate-key",
        "two equal keys in one object",
        record1.replace('{"algorithm"', '{"draw_id":"golden-0","algorithm"'),
        "malformed",
    )
    vector(
        "malformed-float",
        "a non-integer number",
        record1.replace('"units":202', '"units":202.0'),
        "malformed",
    )
    vector(
        "malformed-big-integer",
        "a 5,000-digit integer",
        record1.replace('"units":202', '"units":' + "9" * 5000),
        "malformed",
    )
    vector(
        "malformed-deep",
        "JSON nested 100,000 levels deep",
        "[" * 100_000 + "]" * 100_000,
        "malformed",
    )
    vector(
        "malformed-not-utf8",
        "a record in GBK",
        "",
        "malformed",
        raw=record1.replace("golden authority", "黄金").encode("gbk"),
    )
    vector(
        "malformed-replacement-as-draw",
        "a replacement record where a draw is expected",
        rep1,
        "malformed",
    )
    vector(
        "malformed-population",
        "a population file that is not UTF-8",
        record1,
        "malformed",
        population="verdicts/population-gbk.csv",
    )

    # -- team records: inputs that parse but do not fit together (spec 16.1) ------------------
    v1 = [f"golden_assignment/{n}.json" for n in ("directory", "visits", "conflicts")]
    v2 = [f"golden_assignment_v2/{n}.json" for n in ("directory", "visits", "conflicts")]
    team1 = (TEAMS / "record_partial.json").read_text(encoding="utf-8")
    team2 = (TEAMS2 / "record_partial.json").read_text(encoding="utf-8")
    vector(
        "ok-teams-v1",
        "the golden version-1 team record with its directory, visits and conflicts",
        team1,
        "verified",
        notes=unannounced,
        inputs=v1,
    )
    vector(
        "ok-teams-v2",
        "the golden version-2 team record with its directory, visits, conflicts and experts",
        team2,
        "verified",
        inputs=[*v2, "golden_assignment_v2/experts.json"],
    )
    vector(
        "teams-conflict-unknown-inspector",
        "a v1 conflicts file naming an inspector who is not in the directory",
        team1,
        "not verified",
        ["input"],
        unannounced,
        inputs=[*v1[:2], "verdicts/inputs/teams-conflicts-unknown.json"],
    )
    vector(
        "teams-visit-unknown-department",
        "a v1 visit of a department that is not in the directory",
        team1,
        "not verified",
        ["input"],
        unannounced,
        inputs=[v1[0], "verdicts/inputs/teams-visits-unknown-department.json", v1[2]],
    )
    vector(
        "teams-visit-category-not-held",
        "a v1 visit item whose category no inspector of its department holds (spec 11.1)",
        team1,
        "not verified",
        ["input"],
        unannounced,
        inputs=[v1[0], "verdicts/inputs/teams-visits-category-not-held.json", v1[2]],
    )
    vector(
        "teams-v2-without-experts",
        "a v2 team record whose visits ask for experts, checked without its expert pool",
        team2,
        "not verified",
        ["input"],
        inputs=v2,
    )
    vector(
        "teams-v2-expert-is-inspector",
        "a v2 expert pool with an expert whose id is an inspector's",
        team2,
        "not verified",
        ["input"],
        inputs=[*v2, "verdicts/inputs/teams-experts-inspector.json"],
    )
    vector(
        "malformed-teams-directory-repeated-id",
        "a directory that lists one inspector twice",
        team1,
        "malformed",
        inputs=["verdicts/inputs/teams-directory-repeated.json", *v1[1:]],
    )
    return v


def write_inputs() -> None:
    """The two population files the vectors use besides the golden one."""
    population = (GOLDEN / "population.csv").read_text(encoding="utf-8")
    first_selected = _json("record1.json")["selection"][0]["id"]
    rows = [
        f"{row.rsplit(',', 2)[0]},0,{row.rsplit(',', 1)[1]}"
        if row.startswith(first_selected + ",")
        else row
        for row in population.splitlines()
    ]
    _write(HERE / "population-edited.csv", "\n".join(rows) + "\n")
    _write(HERE / "population-gbk.csv", (population + "清河县丙商店,D,1,\n").encode("gbk"))
    (HERE / "inputs").mkdir(exist_ok=True)  # team input files (not vectors: another folder)
    conflicts = json.loads((TEAMS / "conflicts.json").read_text(encoding="utf-8"))
    conflicts["relations"].append(["X-99", "E-002", "relative"])
    _write(HERE / "inputs" / "teams-conflicts-unknown.json", _pretty(conflicts))
    visits = json.loads((TEAMS / "visits.json").read_text(encoding="utf-8"))
    visits["visits"][1].update(departments=["园林"], items={"园林": ["绿化"]}, lead="园林")
    _write(HERE / "inputs" / "teams-visits-unknown-department.json", _pretty(visits))
    visits = json.loads((TEAMS / "visits.json").read_text(encoding="utf-8"))
    visits["visits"][1]["items"]["食品"] = ["无人持有"]
    _write(HERE / "inputs" / "teams-visits-category-not-held.json", _pretty(visits))
    directory = json.loads((TEAMS2 / "directory.json").read_text(encoding="utf-8"))
    experts = json.loads((TEAMS2 / "experts.json").read_text(encoding="utf-8"))
    experts["experts"][-1]["id"] = directory["inspectors"][0]["id"]
    _write(HERE / "inputs" / "teams-experts-inspector.json", _pretty(experts))
    directory = json.loads((TEAMS / "directory.json").read_text(encoding="utf-8"))
    directory["inspectors"].append(directory["inspectors"][0])
    _write(HERE / "inputs" / "teams-directory-repeated.json", _pretty(directory))


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def _write(path: Path, data: str | bytes) -> bool:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists():
        return path.read_bytes() == payload
    path.write_bytes(payload)
    return True


def main(argv: list[str]) -> int:
    """Write missing vectors (never overwrite); with --check, report any that differ."""
    check = "--check" in argv
    if not check:
        write_inputs()
    differ = []
    for name, case in _vectors().items():
        path = HERE / f"{name}.json"
        text = json.dumps(case, ensure_ascii=False, indent=1) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        elif not _write(path, text):
            differ.append(name)
    for name in differ:
        print(f"differs from the frozen vector: {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
