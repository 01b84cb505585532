"""The stdlib-only verifier over the shared table of verdict vectors.

The standalone verifier is implemented from docs/spec.md alone by another engineer. Where it
does not yet reach a vector's verdict, the case is marked xfail(strict=True) with the reason:
this list is what remains to implement; when a case is fixed, the strict xfail fails and the
entry must be removed. The verdict, the top-level fields and the notes (spec 15.4) are all
compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .verdicts import cases, expected, standalone

CASES = cases()

# Vectors the standalone verifier does not reach yet, with the reason (none at present).
KNOWN: dict[str, str] = {}


def _param(name: str) -> object:
    if name in KNOWN:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name]))
    return name


@pytest.mark.parametrize("name", [_param(name) for name in sorted(CASES)])
def test_standalone_verdict(name: str, tmp_path: Path):
    """verify_draw.py --json gives the vector's verdict, top-level fields and notes."""
    assert expected(CASES[name]) == standalone(CASES[name], tmp_path)


def test_known_disagreements_are_vectors():
    """Every listed disagreement names a vector of the table."""
    assert set() == set(KNOWN) - set(CASES)


def test_standalone_says_how_random_a_draw_is(tmp_path: Path):
    """The standalone --json output carries the note codes of spec 15.4."""
    import contextlib
    import io
    import json

    from randsample.records import _standalone_verify as sv

    from .verdicts import DATA, record_bytes

    case = CASES["ok-sources-secret"]
    (tmp_path / "record.json").write_bytes(record_bytes(case))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sv.main([str(tmp_path / "record.json"), str(DATA / case["population"]), "--json"])
    assert ["unannounced"] == [note["code"] for note in json.loads(out.getvalue())["notes"]]
