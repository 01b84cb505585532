"""Text for people: one percent formatter and one table renderer for every ``summary()``.

Tables are padded by *display* width, not by ``len``: a CJK character takes two columns in a
terminal (Unicode East Asian Width W or F), so ``"餐饮"`` is as wide as ``"abcd"`` and tables
with Chinese labels line up. Percentages are computed exactly from fractions and rounded half
up, so the same figure prints the same everywhere.

:class:`Tabular` gives a result class ``to_rows()``, ``to_pandas()``, ``summary()`` and a
notebook ``_repr_html_()`` that all mean the same thing: one row per item, the same columns.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from .errors import require

__all__ = [
    "Column",
    "Tabular",
    "decimal",
    "display_width",
    "pad",
    "percent",
    "render_html",
    "render_table",
]


def display_width(text: str) -> int:
    """Return the number of terminal columns ``text`` takes (wide CJK characters count 2).

    >>> display_width("abcd"), display_width("餐饮"), display_width("A|餐饮")
    (4, 4, 6)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad ``text`` with spaces to ``width`` display columns, left (``<``) or right (``>``).

    >>> pad("餐饮", 6) + "|", pad("7", 3, ">") + "|"
    ('餐饮  |', '  7|')
    """
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


def decimal(value: Fraction | int, places: int = 2) -> str:
    """Write an exact number with ``places`` decimals, rounded half up (no float involved).

    >>> decimal(Fraction(1, 8)), decimal(Fraction(-1, 8)), decimal(3, 0)
    ('0.13', '-0.13', '3')
    """
    value = Fraction(value)
    scaled = abs(value) * 10**places
    units = int(scaled + Fraction(1, 2))  # half up, on the magnitude
    sign = "-" if value < 0 and units else ""
    if not places:
        return f"{sign}{units}"
    whole, frac = divmod(units, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def percent(value: Fraction | int, places: int = 2) -> str:
    """Write a proportion as a percentage with ``places`` decimals, rounded half up exactly.

    >>> percent(Fraction(1, 3)), percent(Fraction(3, 100), 0), percent(1)
    ('33.33%', '3%', '100.00%')
    """
    return decimal(Fraction(value) * 100, places) + "%"


def render_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, align: str | None = None
) -> str:
    """Render rows of strings as a text table padded by display width.

    ``align`` has one ``<`` or ``>`` per column; the default is left for the first column and
    right for the others (labels, then figures). Columns are separated by two spaces and
    trailing spaces are removed.

    >>> print(render_table(["stratum", "n"], [["A|餐饮", "12"], ["D", "3"]]))
    stratum   n
    A|餐饮   12
    D         3
    """
    table = [list(header), *(list(row) for row in rows)]
    columns = len(header)
    if align is None:
        align = "<" + ">" * (columns - 1)
    if len(align) != columns or any(len(row) != columns for row in table):
        raise AssertionError("every row needs one cell per header column")
    widths = [max(display_width(row[i]) for row in table) for i in range(columns)]
    lines = [
        "  ".join(pad(cell, widths[i], align[i]) for i, cell in enumerate(row)) for row in table
    ]
    return "\n".join(line.rstrip() for line in lines)


def render_html(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, align: str | None = None
) -> str:
    r"""Render rows of strings as an HTML table (for notebooks), escaped, aligned per column.

    >>> print(render_html(["a", "n"], [["x<y", "1"]]).replace("><", ">\n<"))
    <table>
    <thead>
    <tr>
    <th>a</th>
    <th>n</th>
    </tr>
    </thead>
    <tbody>
    <tr>
    <td style="text-align:left">x&lt;y</td>
    <td style="text-align:right">1</td>
    </tr>
    </tbody>
    </table>
    """
    if align is None:
        align = "<" + ">" * (len(header) - 1)
    style = {"<": "left", ">": "right"}
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{style[a]}">{html.escape(cell)}</td>'
            for cell, a in zip(row, align, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@attrs.frozen
class Column:
    """One column of a :class:`Tabular` result: its key, its title and how to show a value."""

    key: str
    title: str
    show: Callable[[Any], str] = str
    align: str = ">"


def _plain(value: Any) -> Any:
    # pandas and HTML get floats for exact fractions; ints, strings and bools stay as they are.
    return float(value) if isinstance(value, Fraction) else value


class Tabular:
    """Mixin for results that are tables: one row per item, the same columns everywhere.

    A subclass defines ``_columns()`` (the :class:`Column` list) and ``_items()`` (one mapping
    per row, keyed by column key, values exact: ints, Fractions, strings); it may define
    ``_title()`` (lines above the table) and ``_footer()`` (lines below it, e.g. totals).
    Then ``to_rows()`` returns the exact values, ``to_pandas()`` a DataFrame (Fractions as
    floats), ``summary()`` the text table and ``_repr_html_()`` the same table for notebooks.
    """

    def _columns(self) -> Sequence[Column]:  # pragma: no cover - always overridden
        raise NotImplementedError

    def _items(self) -> Iterable[Mapping[str, Any]]:  # pragma: no cover - always overridden
        raise NotImplementedError

    def _title(self) -> Sequence[str]:
        return ()

    def _footer(self) -> Sequence[Sequence[str]]:
        """Extra rows of already formatted cells (e.g. a total), aligned with the table."""
        return ()

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per row, keyed by column, with exact values."""
        keys = [c.key for c in self._columns()]
        return [{k: item[k] for k in keys} for item in self._items()]

    def to_pandas(self) -> Any:
        """Return the rows as a pandas DataFrame (pandas is optional; exact fractions as floats)."""
        pd = require("pandas", feature=f"{type(self).__name__}.to_pandas", extra="pandas")
        columns = [c.key for c in self._columns()]
        return pd.DataFrame(
            [{k: _plain(v) for k, v in row.items()} for row in self.to_rows()], columns=columns
        )

    def _cells(self) -> tuple[list[str], list[list[str]], str]:
        columns = list(self._columns())
        header = [c.title for c in columns]
        body = [[c.show(item[c.key]) for c in columns] for item in self._items()]
        body.extend(list(row) for row in self._footer())
        return header, body, "".join(c.align for c in columns)

    def summary(self) -> str:
        """Return the table as text a person can read (Chinese labels line up)."""
        header, body, align = self._cells()
        return "\n".join([*self._title(), render_table(header, body, align=align)])

    def _repr_html_(self) -> str:
        header, body, align = self._cells()
        title = "".join(f"<p>{html.escape(line)}</p>" for line in self._title())
        return title + render_html(header, body, align=align)
