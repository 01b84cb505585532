"""The 公示 list: the drawn enterprises, their items, departments, dates and teams, to publish.

Columns, in the order of the Zhejiang market-supervision platform's list of drawn enterprises
and officers (抽查名单与人员查询, ``scentagent_search.jsp`` of GuanzhouSong/ZhejiangMicroEnt:
序号, 任务编号, 任务名称, 统一社会信用代码/注册号, 企业名称, 企业抽取日期, 检查人员, ..., 检查部门,
检查机关), leaving out its internal columns (status, experts, contacts, legal representative,
type, industry, address), then the two columns of its task announcement (``spottask.jsp``)
that the list lacks, 抽查事项 and the visit date:

=====================  ========================  ==============================================
key                    header                    value
=====================  ========================  ==============================================
``seq``                序号                      1, 2, ... in the record's selection order
``draw_id``            任务编号                  the draw record's ``draw_id``
``task_name``          任务名称                  as given (default: the draw id)
``enterprise_id``      统一社会信用代码/注册号   the drawn id
``enterprise_name``    企业名称                  from ``names`` (every drawn id needs one)
``draw_date``          企业抽取日期              the record's timestamp as a Beijing (UTC+8) date
``inspectors``         检查人员                  the team's names (or ids), joined by 、
``departments``        检查部门                  the visit's department names (or codes)
``authority``          检查机关                  the record's authority
``items``              抽查事项                  the visit's inspection categories
``visit_date``         检查日期                  the visit's date, YYYY-MM-DD
=====================  ========================  ==============================================

An enterprise's credit class is *not* published: it is a supervisor's internal reference.

**Formula injection.** A cell that a spreadsheet would run as a formula (text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, e.g. a company name
``=HYPERLINK(...)``) is written to CSV with a leading apostrophe ``'`` (OWASP's advice; the
apostrophe shows), and to ``.xlsx`` as a cell explicitly typed as text (nothing added).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from .._text import Column, Tabular
from ..errors import InvalidInputError, InvalidTypeError, require
from ..records import AssignmentRecord, DrawRecord, SealedRecord, load
from ..teams import Visit
from ._csv import spreadsheet_cell

__all__ = [
    "PUBLICATION_COLUMNS",
    "Publication",
    "make_publication",
    "write_publication_csv",
    "write_publication_xlsx",
]

#: (key, header) of every column of the 公示 list, in order.
PUBLICATION_COLUMNS = (
    ("seq", "序号"),
    ("draw_id", "任务编号"),
    ("task_name", "任务名称"),
    ("enterprise_id", "统一社会信用代码/注册号"),
    ("enterprise_name", "企业名称"),
    ("draw_date", "企业抽取日期"),
    ("inspectors", "检查人员"),
    ("departments", "检查部门"),
    ("authority", "检查机关"),
    ("items", "抽查事项"),
    ("visit_date", "检查日期"),
)
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@attrs.frozen(eq=False)
class Publication(Tabular):
    """The 公示 list of one draw: one row per drawn enterprise (see the module docstring).

    Build it with :func:`make_publication`; write it with :func:`write_publication_csv` or
    :func:`write_publication_xlsx`, or as a database table with
    :func:`randsample.files.write_tables`.
    """

    draw_id: str
    rows: tuple[Mapping[str, Any], ...]

    def __repr__(self) -> str:
        return f"Publication(draw {self.draw_id!r}, {len(self.rows)} enterprises)"

    def _columns(self) -> Sequence[Column]:
        return [
            Column(key, title, align=">" if key == "seq" else "<")
            for key, title in PUBLICATION_COLUMNS
        ]

    def _items(self) -> Iterable[Mapping[str, Any]]:
        return self.rows


def _named(names: Mapping[str, str] | None, code: str, field: str) -> str:
    if names is None:
        return code
    if code not in names:
        raise InvalidInputError(field, code, "has no name")
    return names[code]


def make_publication(
    draw: DrawRecord | str | bytes,
    *,
    names: Mapping[str, str],
    task_name: str | None = None,
    visits: Sequence[Visit] = (),
    teams: AssignmentRecord | str | bytes | None = None,
    department_names: Mapping[str, str] | None = None,
    inspector_names: Mapping[str, str] | None = None,
) -> Publication:
    """Return the 公示 list of ``draw``: every drawn enterprise, none left out.

    Parameters
    ----------
    draw
        The draw record (or its JSON text).
    names
        Enterprise id -> name (企业名称); every drawn enterprise needs one.
    task_name
        The task's name (任务名称); default the draw id.
    visits
        The visits of the drawn enterprises (their departments, categories and dates); when
        given, every drawn enterprise needs exactly one.
    teams
        The assignment record of the visits (needs ``visits``).
    department_names, inspector_names
        Code -> name, so that the list shows names rather than codes (each code used needs
        one).

    Examples
    --------
    >>> from randsample.examples import demo_population, demo_seed, demo_sizes
    >>> from randsample import draw_stratified, make_record
    >>> population = demo_population(size=200)
    >>> sample = draw_stratified(population, demo_sizes(population), demo_seed())
    >>> record = make_record(sample, authority="清河县市场监督管理局", draw_id="QH-2026-11",
    ...                      timestamp="2026-11-27T18:00:00Z")
    >>> names = {i: f"企业{n}" for n, i in enumerate(population.ids.tolist())}
    >>> listing = make_publication(record, names=names, task_name="2026年第11号抽查")
    >>> listing
    Publication(draw 'QH-2026-11', 13 enterprises)
    >>> row = listing.to_rows()[0]
    >>> row["draw_date"], row["authority"], row["enterprise_name"].startswith("企业")
    ('2026-11-28', '清河县市场监督管理局', True)
    """
    record = load(draw, field="draw")
    if not isinstance(record, DrawRecord):
        raise InvalidTypeError("draw", record, "a draw record")
    if not isinstance(names, Mapping):
        raise InvalidTypeError("names", names, "a mapping enterprise id -> name")
    by_enterprise: dict[str, Visit] = {}
    for each in visits:
        if not isinstance(each, Visit):
            raise InvalidTypeError("visits", each, "a Visit")
        if each.enterprise_id in by_enterprise:
            raise InvalidInputError("visits", each.enterprise_id, "has two visits")
        by_enterprise[each.enterprise_id] = each
    team_of = _teams(teams, visits)
    stamp = datetime.datetime.strptime(record["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    draw_date = stamp.replace(tzinfo=datetime.timezone.utc).astimezone(_BEIJING).date()
    rows = []
    for seq, unit in enumerate(record["selection"], start=1):
        ident = unit["id"]
        visit: Visit | None = by_enterprise.get(ident)
        if visits and visit is None:
            raise InvalidInputError("visits", ident, "has no visit for this drawn enterprise")
        team = [] if visit is None else team_of.get(visit.visit_id, [])
        rows.append(
            {
                "seq": seq,
                "draw_id": record["draw_id"],
                "task_name": task_name or record["draw_id"],
                "enterprise_id": ident,
                "enterprise_name": _named(names, ident, "names"),
                "draw_date": draw_date.isoformat(),
                "inspectors": "、".join(
                    _named(inspector_names, i, "inspector_names") for i in team
                ),
                "departments": ""
                if visit is None
                else "、".join(
                    _named(department_names, d, "department_names") for d in visit.departments
                ),
                "authority": record["authority"],
                "items": "" if visit is None else _items(visit, department_names),
                "visit_date": "" if visit is None else visit.date.isoformat(),
            }
        )
    return Publication(record["draw_id"], tuple(rows))


def _items(visit: Visit, department_names: Mapping[str, str] | None) -> str:
    if len(visit.departments) == 1:
        return "、".join(sorted(visit.items[visit.departments[0]]))
    return "；".join(
        f"{_named(department_names, d, 'department_names')}：{'、'.join(sorted(visit.items[d]))}"
        for d in visit.departments
    )


def _teams(
    teams: AssignmentRecord | str | bytes | None, visits: Sequence[Visit]
) -> dict[str, list[str]]:
    if teams is None:
        return {}
    record: SealedRecord = load(teams, field="teams")
    if not isinstance(record, AssignmentRecord):
        raise InvalidTypeError("teams", record, "an assignment record")
    if not visits:
        raise InvalidInputError("visits", (), "are needed to place the teams")
    return {
        visit_id: sorted(i for ids in members.values() for i in ids)
        for visit_id, members in record.teams.items()
    }


def _cells(publication: Publication) -> list[list[str]]:
    return [[str(row[key]) for key, _ in PUBLICATION_COLUMNS] for row in publication.to_rows()]


def write_publication_csv(publication: Publication, target: str | Path | TextIO) -> None:
    r"""Write the list as CSV: UTF-8 with a BOM, cells neutralised against formulas.

    The BOM makes spreadsheet programs read the Chinese text right.

    ``target`` is a path or an open text handle (opened with ``newline=""``).

    >>> buffer = io.StringIO()
    >>> write_publication_csv(Publication("d", ({"seq": 1, "draw_id": "d", "task_name": "t",
    ...     "enterprise_id": "E1", "enterprise_name": "=1+1", "draw_date": "2026-11-28",
    ...     "inspectors": "", "departments": "", "authority": "AMR", "items": "",
    ...     "visit_date": ""},)), buffer)
    >>> print(buffer.getvalue().lstrip("\ufeff"))
    序号,任务编号,任务名称,统一社会信用代码/注册号,企业名称,企业抽取日期,检查人员,检查部门,检查机关,抽查事项,检查日期
    1,d,t,E1,'=1+1,2026-11-28,,,AMR,,
    <BLANKLINE>
    """
    if not isinstance(publication, Publication):
        raise InvalidTypeError("publication", publication, "a Publication")
    if isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8", newline="") as opened:
            write_publication_csv(publication, opened)
        return
    target.write("\ufeff")
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow([title for _, title in PUBLICATION_COLUMNS])
    for cells in _cells(publication):
        writer.writerow([spreadsheet_cell(cell) for cell in cells])


def write_publication_xlsx(publication: Publication, path: str | Path) -> None:
    """Write the list as an ``.xlsx`` sheet 公示名单 (needs the ``xlsx`` extra, openpyxl).

    Every cell is written as text (type ``s``), so that no cell is ever run as a formula.
    """
    if not isinstance(publication, Publication):
        raise InvalidTypeError("publication", publication, "a Publication")
    openpyxl = require("openpyxl", feature="writing .xlsx spreadsheets", extra="xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示名单"
    for row, cells in enumerate(
        [[title for _, title in PUBLICATION_COLUMNS], *_cells(publication)], start=1
    ):
        for column, text in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=column)
            cell.value = text
            cell.data_type = "s"  # text, never a formula
    book.save(path)


def publication_csv_text(publication: Publication) -> str:
    """Return the CSV text :func:`write_publication_csv` writes (for standard output)."""
    buffer = io.StringIO()
    write_publication_csv(publication, buffer)
    return buffer.getvalue()
