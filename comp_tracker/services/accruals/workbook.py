"""The accrual export's workbook (XLSX): one sheet per table and an About sheet.

Money is a number with a currency format, dates are dates; the header row is frozen and filtered
and every column is wide enough for what it holds. Written with openpyxl's write-only workbook,
which keeps each sheet in a temporary file rather than in memory, then assembled so that the same
export gives the same bytes (:mod:`comp_tracker.services.accruals.files` writes it all or nothing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from comp_tracker.services.accruals.choices import Report
from comp_tracker.services.accruals.export import (
    COLUMNS,
    Kind,
    Line,
    Summary,
)
from comp_tracker.services.accruals.lines import moment_text, money_text

#: The sheets of a workbook, in order.
SHEETS = {
    Report.INSTALLMENTS: "Accruals",
    Report.JOURNAL: "Journal",
    Report.RECONCILIATION: "Reconciliation",
}
#: US dollars: the agreements' amounts are in dollars. Negative amounts in red with a minus.
CURRENCY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
#: The workbook's date for an empty database (there is no record to date it by).
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def write_xlsx(lines: Iterable[Line], summary: Summary, path: Path) -> None:
    """The workbook: Accruals, Journal, Reconciliation and About sheets.

    openpyxl makes the workbook: its parts, styles, properties, column widths, frozen header
    rows and filters. The data rows, nearly all of a large workbook, are written by
    :class:`_SheetRows` as the XML openpyxl's write-only sheets write (inline strings, numbers
    with a style number) into a temporary file per sheet, and spliced into openpyxl's sheet
    parts when the workbook is put together. openpyxl builds objects for every cell, about
    30 µs a cell or a minute for a 100,000-agreement close; this takes about 1 µs a cell.

    The column widths come from ``summary.widths`` (the longest company, employee and agreement,
    the widest amount), read before the rows. The zip entries are dated by the records read, so
    the same records give a byte-identical workbook.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    stamp = (summary.request.as_recorded_at or summary.records_as_at or EPOCH).astimezone(dt.UTC)
    workbook.properties.creator = "comp-tracker"
    workbook.properties.title = f"Accruals {summary.request.period}"
    workbook.properties.created = workbook.properties.modified = stamp.replace(tzinfo=None)
    # The two number formats, registered with the workbook for their style numbers.
    probe = workbook.create_sheet("probe")
    money, date = WriteOnlyCell(probe, None), WriteOnlyCell(probe, None)
    money.number_format, date.number_format = CURRENCY_FORMAT, DATE_FORMAT
    styles = {Kind.MONEY: money.style_id, Kind.DATE: date.style_id}
    workbook.remove(probe)

    with contextlib.ExitStack() as stack:
        sheets = {
            report: _SheetRows(
                COLUMNS[report], styles, stack.enter_context(tempfile.TemporaryFile("w+b"))
            )
            for report in SHEETS
        }
        for line in lines:
            sheets[line.report].append(line.values)
        total: list[Any] = [None] * len(COLUMNS[Report.JOURNAL])
        total[6] = "total"
        total[8], total[9] = summary.debits, summary.credits
        sheets[Report.JOURNAL].append(tuple(total))

        # openpyxl's sheets are made only now: a failed run leaves none of its temporary files.
        bold = Font(bold=True)
        for report, title in SHEETS.items():
            sheet = workbook.create_sheet(title)
            columns = COLUMNS[report]
            for number, (name, kind) in enumerate(columns, start=1):
                letter = get_column_letter(number)
                sheet.column_dimensions[letter].width = _width(name, kind, summary.widths)
            sheet.freeze_panes = "A2"
            header = []
            for name, _ in columns:
                cell = WriteOnlyCell(sheet, name)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            last = get_column_letter(len(columns))
            sheet.auto_filter.ref = f"A1:{last}{sheets[report].last_row}"
        about = workbook.create_sheet("About")
        about.column_dimensions["A"].width = 26
        about.column_dimensions["B"].width = 60
        for key, value in _about(summary):
            about.append([key, value])

        frame = stack.enter_context(tempfile.TemporaryFile("w+b"))
        workbook.save(frame)
        parts = {
            workbook[title].path.lstrip("/"): sheets[report] for report, title in SHEETS.items()
        }
        frame.seek(0)
        _assemble(frame, parts, stamp, path)


#: Characters XML 1.0 cannot hold, which openpyxl refuses. A name holding one (a stray control
#: character from a pasted file) shows U+FFFD there in the workbook; the CSV and JSON keep it.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _inline_text(value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


#: Day 0 of the workbook's dates (openpyxl's default, the 1900 date system).
_DAY_ZERO = dt.date(1899, 12, 30)


class _SheetRows:
    """A sheet's data rows, from row 2, held in ``out`` until the workbook is put together."""

    def __init__(
        self, columns: tuple[tuple[str, Kind], ...], styles: Mapping[Kind, int], out: IO[bytes]
    ) -> None:
        from openpyxl.utils import get_column_letter

        self._out = out
        self.last_row = 1
        self._cells = tuple(
            (get_column_letter(number), kind, styles.get(kind))
            for number, (_, kind) in enumerate(columns, start=1)
        )

    def append(self, values: tuple[Any, ...]) -> None:
        self.last_row += 1
        row = self.last_row
        parts = [f'<row r="{row}">']
        for (letter, kind, style), value in zip(self._cells, values, strict=True):
            if value is None or value == "":  # an empty cell, as openpyxl writes it
                continue
            if kind is Kind.MONEY:
                text = money_text(value)
                parts.append(f'<c r="{letter}{row}" s="{style}" t="n"><v>{text}</v></c>')
            elif kind is Kind.DATE:
                serial = (value - _DAY_ZERO).days
                parts.append(f'<c r="{letter}{row}" s="{style}" t="n"><v>{serial}</v></c>')
            elif kind is Kind.INT:
                parts.append(f'<c r="{letter}{row}" t="n"><v>{int(value)}</v></c>')
            else:
                parts.append(f'<c r="{letter}{row}" t="inlineStr">{_inline_text(str(value))}</c>')
        parts.append("</row>")
        self._out.write("".join(parts).encode())

    def copy_to(self, out: IO[bytes]) -> None:
        self._out.flush()
        self._out.seek(0)
        shutil.copyfileobj(self._out, out, 1 << 20)


def _modified_as_created(core: bytes) -> bytes:
    """openpyxl stamps the workbook "modified" with the clock when it saves; the same records
    must give the same bytes, so it takes the "created" date (the records' own)."""
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>", core)
    if created is None:
        return core
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        lambda m: m.group(1) + created.group(1) + m.group(2),
        core,
    )


def _assemble(
    frame: IO[bytes], parts: Mapping[str, _SheetRows], stamp: dt.datetime, path: Path
) -> None:
    """Copy openpyxl's workbook ``frame`` to ``path``, each sheet of ``parts`` with its rows
    after its header row."""
    import zipfile

    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(frame) as source, zipfile.ZipFile(path, "w") as target:
        missing = set(parts) - set(source.namelist())
        if missing:
            raise RuntimeError(f"openpyxl wrote no worksheet part {sorted(missing)}")
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                data = _modified_as_created(data)
            rows = parts.get(item.filename)
            if rows is None:
                target.writestr(entry, data)
                continue
            head, marker, tail = data.partition(b"</sheetData>")
            if not marker or b"</sheetData>" in tail:
                raise RuntimeError(f"unexpected worksheet part {item.filename}")
            with target.open(entry, "w", force_zip64=True) as out:
                out.write(head)
                rows.copy_to(out)
                out.write(marker + tail)


def _about(summary: Summary) -> Iterator[tuple[str, str]]:
    request = summary.request
    yield "Report", "comp-tracker accruals"
    yield "Period", f"{request.period.start} to {request.period.end}"
    yield "Opening balances as of", request.period.opening.isoformat()
    yield "Companies", ", ".join(request.companies) or "all"
    yield "Agreements", "all" if request.include_all else "those with figures for the period"
    yield "As recorded at", moment_text(request.as_recorded_at) or "now (every record)"
    yield "Latest record read", moment_text(summary.records_as_at) or "none"
    yield "Agreements reported", str(summary.agreements)
    yield "Journal entries", str(summary.entries)
    accounts = request.accounts
    for label, name in (
        ("Compensation expense", accounts.compensation_expense),
        ("Accrued compensation", accounts.accrued_compensation),
        ("Interest expense", accounts.interest_expense),
        ("Interest payable", accounts.interest_payable),
        ("Cash", accounts.cash),
    ):
        yield f"Account: {label}", name


def _width(name: str, kind: Kind, widths: dict[str, int]) -> float:
    if kind is Kind.MONEY:
        longest = widths.get("money", 14)
    elif kind is Kind.DATE:
        longest = 10
    elif kind is Kind.INT:
        longest = widths.get("int", 6)
    else:
        longest = widths.get(name, 12)
    # Some room for the filter button beside the header and the cell's padding.
    return float(max(len(name) + 3, longest + 2))
