"""The one reader for CSV files with a fixed header (population, outcomes, ...).

It decodes the whole file first, so an undecodable byte is reported with its line and the
encoding it most likely is (files saved by Excel on Chinese Windows are GBK/GB18030), parses
strictly (a quote in the middle of a field, as in ``"E00004"X``, is an error, never silently
joined into ``E00004X``), checks the header exactly and every row's number of fields, and
numbers rows by their *file line* (the header is line 1), one convention everywhere.

Every CSV writer passes its cells through :func:`spreadsheet_cell` (reports for people) or
:func:`formula_cells` (data files whose cells must stay exact): a cell beginning with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is a formula to spreadsheet software, which
runs it when the file is opened (CSV injection). Records, being JSON, keep every id exact.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import InvalidInputError

__all__ = ["FORMULA_STARTS", "decode", "formula_cells", "read_rows", "spreadsheet_cell"]

#: First characters that make spreadsheet software read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """Return ``value`` as a CSV cell a spreadsheet shows as text, never runs as a formula.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (``'``), which spreadsheet programs read as "this is text" (the OWASP
    recommendation for CSV injection); every other cell is unchanged.

    >>> print(spreadsheet_cell('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> spreadsheet_cell("2026-11"), spreadsheet_cell(3)
    ('2026-11', '3')
    """
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_cells(cells: Iterable[str]) -> str | None:
    """Return the first cell a spreadsheet would run as a formula, or None."""
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            return cell
    return None


#: Encodings a Chinese office file may be in, tried (in this order) to suggest the right one.
_LIKELY = ("gb18030", "big5", "utf-16")


def decode(data: bytes, path: str | Path, encoding: str) -> str:
    """Decode ``data`` or raise naming the file, the line and the likely encoding."""
    try:
        return data.decode(encoding)
    except LookupError:
        raise InvalidInputError("encoding", encoding, "is not a known text encoding") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        for other in _LIKELY:
            try:
                data.decode(other)
            except UnicodeDecodeError:
                continue
            hint = f"; it decodes as {other.upper()}: pass encoding={other!r}"
            break
        raise InvalidInputError(
            f"{path}:{line}",
            data[exc.start : exc.start + 4],
            f"is not valid {encoding.upper()} text{hint}",
        ) from None


def read_rows(
    path: str | Path, header: Sequence[str], *, encoding: str = "utf-8-sig"
) -> Iterator[tuple[int, list[str]]]:
    r"""Yield ``(file line, fields)`` for every data row of a CSV file with this ``header``.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "o.csv")
    ...     with open(path, "w", encoding="utf-8") as f:
    ...         _ = f.write('a,b\n1,"x,y"\n')
    ...     list(read_rows(path, ["a", "b"]))
    [(2, ['1', 'x,y'])]
    """
    text = decode(Path(path).read_bytes(), path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        first = next(reader, None)
        if first != list(header):
            raise InvalidInputError(f"{path}:1", first, f"expected the header {','.join(header)}")
        for row in reader:
            line = reader.line_num
            if len(row) != len(header):
                raise InvalidInputError(
                    f"{path}:{line}", row, f"expected {len(header)} fields ({','.join(header)})"
                )
            yield line, row
    except csv.Error as exc:
        raise InvalidInputError(f"{path}:{reader.line_num}", str(exc), "is not valid CSV") from None
