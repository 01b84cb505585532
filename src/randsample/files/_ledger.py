"""Files for announcements and audits: announced sources, secrets, and a folder of records.

* announced sources (JSON or TOML): ``{"sources": [{"name", "date": "YYYY-MM-DD",
  "values": 7}, ...]}`` in the order the seed will list them;
* a secret file (JSON, written by ``randsample announce --new-secret``, readable by its owner
  only): ``{"secret": "<64 hex digits>", "commitment": "<hex>"}``;
* a ledger folder: every ``*.json`` file in it is a record of the authority (a file that is
  not a record is an error, never skipped: a hidden record must not pass unnoticed), and every
  ``*.csv`` or ``*.parquet`` file a population the draws may have used.
"""

from __future__ import annotations

from pathlib import Path

from ..core import commitment_for
from ..errors import InvalidInputError
from ..population import Population
from ..records import AnnouncedSource, SealedRecord
from ._atomic import write_atomic
from ._population import read_mapping, read_population, read_record
from ._shapes import date_text, list_of, obj

__all__ = ["read_announced_sources", "read_ledger", "read_secret", "write_secret"]


def read_announced_sources(path: str | Path) -> list[AnnouncedSource]:
    """Read the sources an announcement names, in order (JSON or TOML).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "sources.json")
    ...     with open(path, "w", encoding="utf-8") as f:
    ...         _ = f.write('{"sources": [{"name": "双色球 2026140", "date": "2026-12-03", '
    ...                     '"values": 7}]}')
    ...     read_announced_sources(path)[0].to_json()
    {'name': '双色球 2026140', 'date': '2026-12-03', 'values': 7}
    """
    data = obj(read_mapping(path), f"{path}:", {"sources": list_of(dict)})
    sources = []
    for index, raw in enumerate(data["sources"]):
        item = obj(
            raw, f"{path}: sources[{index}]", {"name": str, "date": date_text}, {"values": int}
        )
        sources.append(AnnouncedSource(item["name"], item["date"], item.get("values", 1)))
    return sources


def read_secret(path: str | Path) -> bytes:
    """Read a secret file (``{"secret": hex}``, optionally with its ``commitment``).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "secret.json")
    ...     write_secret(path, bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36"))
    ...     read_secret(path).hex()
    'd2a94c1e8b7f3065a1c4e9b2d7f08e36'
    """
    data = obj(read_mapping(path), f"{path}:", {"secret": str}, {"commitment": str})
    text = data["secret"]
    if not text or len(text) % 2 or text.strip("0123456789abcdef"):
        raise InvalidInputError(f"{path}: secret", "(not shown)", "expected lowercase hex digits")
    secret = bytes.fromhex(text)
    if "commitment" in data and data["commitment"] != commitment_for(secret):
        raise InvalidInputError(
            f"{path}: commitment", data["commitment"], "is not the commitment of the secret"
        )
    return secret


def write_secret(path: str | Path, secret: bytes, *, force: bool = False) -> None:
    """Write a secret file readable by its owner only (mode 0600), atomically.

    See :func:`read_secret` for an example; an existing file is replaced only with ``force``.
    """
    text = f'{{"commitment": "{commitment_for(secret)}", "secret": "{secret.hex()}"}}\n'
    write_atomic(path, text, force=force, private=True)


def read_ledger(folder: str | Path) -> tuple[dict[str, SealedRecord], list[Population]]:
    """Read every record (``*.json``) and population (``*.csv``, ``*.parquet``) of a folder.

    Records are read without refusing an edited one (the audit reports it); a JSON file that
    is not a well-formed record is an error naming the file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     read_ledger(tmp)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: ...: holds no records, got 'no *.json'
    """
    root = Path(folder)
    if not root.is_dir():
        raise InvalidInputError(str(folder), "not a folder", "expected a folder of records")
    records: dict[str, SealedRecord] = {}
    populations: list[Population] = []
    for path in sorted(root.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or path.name.startswith("."):
            continue
        if suffix == ".json":
            records[path.name] = read_record(path, check_digest=False)
        elif suffix in (".csv", ".parquet"):
            populations.append(read_population(path))
    if not records:
        raise InvalidInputError(str(folder), "no *.json", "holds no records")
    return records, populations
