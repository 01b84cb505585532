"""Write the golden verdicts of spec section 15.9 (run once per new case; never overwrites).

Each case is a folder ``<name>/`` holding the tampered inputs, ``case.json`` (description,
the command line of the standalone verifier with paths relative to ``tests/data``, and the
expected ``status``, ``causes`` and ``differs``) and the expected shared verdict text (parts
1-5 of spec 15.1) in ``en.txt`` and ``zh.txt``. The texts are written from the standalone
verifier's output; ``tests/records/test_standalone_verdicts.py`` checks that both verifiers
print exactly them. Read every new text before committing it: it is the specification of
what an auditor sees.

    python tests/data/verdict_text/generate.py [--force]
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE.parent
sys.path.insert(0, str(DATA.parents[1] / "src"))

from randsample.records import _standalone_verify as sv  # noqa: E402

SECRET = json.loads((DATA / "golden_publication" / "commitment_vectors.json").read_text("utf-8"))[
    "authority_secret"
]


def golden(path: str) -> Any:
    """A golden record (or list of records) as a JSON value."""
    return json.loads((DATA / path).read_text(encoding="utf-8"))


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """Re-seal an edited record, as a forger with the whole record would."""
    record["record_digest"] = sv.record_digest(record)
    return record


def edit_population(path: str, old: str, new: str) -> str:
    """A population file with one line changed."""
    text = (DATA / path).read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def cases() -> dict[str, dict[str, Any]]:
    """name -> {description, files: {name: text or JSON value}, args: [...]}."""
    record1 = golden("golden_draw/record1.json")
    draw_csv = "golden_draw/population.csv"
    out: dict[str, dict[str, Any]] = {}

    def case(name: str, description: str, files: dict[str, Any], args: list[str]) -> None:
        out[name] = {"description": description, "files": files, "args": args}

    def here(name: str, file: str) -> str:
        return f"verdict_text/{name}/{file}"

    case(
        "verified-chain",
        "The second golden draw with its previous record: verified.",
        {},
        ["golden_draw/record2.json", draw_csv, "--previous", "golden_draw/record1.json"],
    )
    case(
        "population-row",
        "One population row changed (G0006 made ineligible): one plain "
        "sentence, the population file is not the one the draw used.",
        {"population.csv": edit_population(draw_csv, "G0006,A,1,", "G0006,A,0,")},
        ["golden_draw/record1.json", here("population-row", "population.csv")],
    )
    case(
        "population-weight",
        "One weight changed under a systematic πps draw.",
        {"population.csv": edit_population(draw_csv, "G0002,A,1,0.5", "G0002,A,1,0.75")},
        ["golden_draw/record_pips.json", here("population-weight", "population.csv")],
    )
    edited = copy.deepcopy(record1)
    edited["seed"]["sources"][0]["values"][0] = "4"
    case(
        "seed-source",
        "A seed source value edited in the record (not re-sealed).",
        {"record.json": edited},
        [here("seed-source", "record.json"), draw_csv],
    )
    case(
        "seed-source-resealed",
        "A seed source value edited and the record re-sealed.",
        {"record.json": sealed(copy.deepcopy(edited))},
        [here("seed-source-resealed", "record.json"), draw_csv],
    )
    edited = copy.deepcopy(record1)
    edited["selection"][0]["id"] = "G0001"
    case(
        "selection-edited",
        "A selected enterprise swapped for another (not re-sealed).",
        {"record.json": edited},
        [here("selection-edited", "record.json"), draw_csv],
    )
    case(
        "selection-resealed",
        "A selected enterprise swapped, the record re-sealed.",
        {"record.json": sealed(copy.deepcopy(edited))},
        [here("selection-resealed", "record.json"), draw_csv],
    )
    edited = copy.deepcopy(record1)
    edited["record_digest"] = "0" * 64
    case(
        "digest-edited",
        "The record digest edited.",
        {"record.json": edited},
        [here("digest-edited", "record.json"), draw_csv],
    )
    edited = copy.deepcopy(record1)
    edited["timestamp"] = "2026-11-26T02:00:00Z"
    case(
        "timestamp-edited",
        "The timestamp edited (not re-sealed).",
        {"record.json": edited},
        [here("timestamp-edited", "record.json"), draw_csv],
    )
    edited = copy.deepcopy(record1)
    edited["draw_id"] = "golden-1-redone"
    case(
        "chain-broken",
        "The previous record given was edited after sealing: the chain link is broken.",
        {"previous.json": edited},
        ["golden_draw/record2.json", draw_csv, "--previous", here("chain-broken", "previous.json")],
    )
    edited = copy.deepcopy(record1)
    edited["design"]["strata"][0]["sample_size"] = 6
    case(
        "sample-size-resealed",
        "A stratum's sample size edited and the record re-sealed.",
        {"record.json": sealed(edited)},
        [here("sample-size-resealed", "record.json"), draw_csv],
    )
    replacement = golden("golden_draw/replacement1.json")
    replacement["replacement"]["id"] = "G0001"
    case(
        "replacement-wrong",
        "A replacement naming another unit than the rule gives (re-sealed).",
        {"replacement.json": sealed(replacement)},
        [
            "golden_draw/record1.json",
            draw_csv,
            "--replacement",
            here("replacement-wrong", "replacement.json"),
        ],
    )
    teams = "golden_assignment/"
    directory = golden(teams + "directory.json")
    directory["inspectors"][0]["capacity"] = 1
    case(
        "assignment-directory",
        "The inspector directory changed (one capacity).",
        {"directory.json": directory},
        [
            teams + "record_partial.json",
            here("assignment-directory", "directory.json"),
            teams + "visits.json",
            teams + "conflicts.json",
        ],
    )
    edited = golden(teams + "record_partial.json")
    edited["teams"][0]["members"][0]["inspector_ids"] = ["D-07"]
    case(
        "assignment-teams",
        "A team edited and the assignment record re-sealed.",
        {"record.json": sealed(edited)},
        [
            here("assignment-teams", "record.json"),
            teams + "directory.json",
            teams + "visits.json",
            teams + "conflicts.json",
        ],
    )
    publication = "golden_publication/"
    case(
        "salted-wrong-secret",
        "A salted draw checked with another authority secret.",
        {},
        [
            publication + "salted_record.json",
            publication + "population.csv",
            "--secret",
            "00112233445566778899aabbccddeeff",
        ],
    )
    results = golden(publication + "results.json")
    results[2]["result"]["category"] = "no-problem"
    case(
        "result-edited",
        "A result's category edited (not re-sealed).",
        {"results.json": results},
        [here("result-edited", "results.json")],
    )
    notice = golden(publication + "notice.json")
    notice["drawn"] = notice["drawn"][1:]
    case(
        "notice-drawn-edited",
        "An enterprise removed from the notice's drawn list.",
        {"notice.json": notice},
        [here("notice-drawn-edited", "notice.json")],
    )
    receipt = golden(publication + "receipt_selected.json")
    receipt["unit"]["stratum"] = "B"
    case(
        "receipt-stratum",
        "A receipt's stratum edited.",
        {"receipt.json": receipt},
        [here("receipt-stratum", "receipt.json"), publication + "notice.json"],
    )
    receipt = golden(publication + "receipt_not_selected.json")
    receipt["selected"] = True
    case(
        "receipt-selected",
        "A receipt claims selection its ticket does not give.",
        {"receipt.json": receipt},
        [here("receipt-selected", "receipt.json"), publication + "notice.json"],
    )
    receipt = golden(publication + "receipt_selected.json")
    receipt["notice_digest"] = "1" * 64
    case(
        "receipt-other-notice",
        "A receipt naming another notice.",
        {"receipt.json": receipt},
        [here("receipt-other-notice", "receipt.json"), publication + "notice.json"],
    )
    case(
        "receipt-verified",
        "The golden receipt of a selected enterprise: verified.",
        {},
        [publication + "receipt_selected.json", publication + "notice.json"],
    )
    vectors = DATA / "verdicts"
    announced = json.loads((vectors / "ok-announced.json").read_text("utf-8"))["announcement"]
    case(
        "announced-verified",
        "The golden draw with its announcement: verified and publicly random.",
        {"announcement.json": announced},
        [
            "golden_draw/record1.json",
            draw_csv,
            "--announcement",
            here("announced-verified", "announcement.json"),
        ],
    )
    reordered = json.loads((vectors / "announced-reordered.json").read_text("utf-8"))
    case(
        "announced-reordered",
        "The sources announced in another order than the draw used them.",
        {"record.json": reordered["record"], "announcement.json": reordered["announcement"]},
        [
            here("announced-reordered", "record.json"),
            draw_csv,
            "--announcement",
            here("announced-reordered", "announcement.json"),
        ],
    )
    v2 = "golden_assignment_v2/"
    seven = golden(v2 + "visits.json")
    seven["visits"] = seven["visits"][:7]
    edited = golden(v2 + "record_complete.json")
    edited["teams"][0]["leader"] = edited["teams"][0]["members"][-1]["inspector_ids"][-1]
    case(
        "teams-v2-leader",
        "A version-2 team's leader edited and the record re-sealed.",
        {"record.json": sealed(edited), "visits.json": seven},
        [
            here("teams-v2-leader", "record.json"),
            v2 + "directory.json",
            v2 + "experts.json",
            here("teams-v2-leader", "visits.json"),
            v2 + "conflicts.json",
        ],
    )
    adjustment = golden(v2 + "adjustment2.json")
    adjustment["replacement"]["position"] += 1
    case(
        "adjustment-wrong",
        "A team adjustment with another position than the rule gives (re-sealed).",
        {"adjustment.json": sealed(adjustment), "visits.json": seven},
        [
            v2 + "record_complete.json",
            v2 + "adjustment1.json",
            here("adjustment-wrong", "adjustment.json"),
            v2 + "directory.json",
            v2 + "experts.json",
            here("adjustment-wrong", "visits.json"),
            v2 + "conflicts.json",
        ],
    )
    return out


def shared(text: str) -> str:
    """Parts 1-5 of spec 15.1: everything before the details."""
    text = text.split("\n\nDetails (", maxsplit=1)[0]
    return text.split("\n\n详细差异（", maxsplit=1)[0].rstrip("\n") + "\n"


def standalone(args: list[str], lang: str) -> tuple[int, str, dict[str, Any]]:
    """Run the standalone verifier from tests/data; return exit code, text and JSON."""
    paths = [str(DATA / a) if "/" in a else a for a in args]
    results = []
    for extra in (["--lang", lang], ["--json"]):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = sv.main([*paths, *extra])
        results.append((code, buffer.getvalue()))
    return results[0][0], results[0][1], json.loads(results[1][1])


def main(force: bool) -> None:
    for name, spec in cases().items():
        folder = HERE / name
        if folder.exists() and not force:
            print(f"kept {folder} (exists; --force to overwrite)")
            continue
        folder.mkdir(exist_ok=True)
        for file, value in spec["files"].items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            (folder / file).write_text(text, encoding="utf-8")
        _code, english, verdict = standalone(spec["args"], "en")
        _code, chinese, _verdict = standalone(spec["args"], "zh")
        expected = {k: verdict[k] for k in ("status", "causes", "differs")}
        case = {"description": spec["description"], "args": spec["args"], "expected": expected}
        (folder / "case.json").write_text(
            json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (folder / "en.txt").write_text(shared(english), encoding="utf-8")
        (folder / "zh.txt").write_text(shared(chinese), encoding="utf-8")
        print(f"wrote {folder}: {expected}")


if __name__ == "__main__":
    main("--force" in sys.argv[1:])
