"""Writing an accrual export: CSV, XLSX (openpyxl) or JSON, streamed, all or nothing.

Called by the ``accruals`` command and the TUI's export, with the lines of
:func:`.accruals.accrual_lines`. A file is written beside its destination under a temporary name,
created with permissions 0600 (it holds pay), and renamed over the destination only once the last
line is written and every check has passed: an export that fails (a full disk, an interrupted run,
figures that do not reconcile) leaves no file, or the previous one untouched.

* **CSV**: one table, its columns in a fixed order, a header line, ISO dates, money with two
  decimals and no thousands separators, negative amounts with a minus sign. The installment and
  reconciliation tables end each company with a ``subtotal`` line and the file with a ``total``
  line (the ``line`` column says which); the journal has entry lines only, as a ledger import
  expects (its totals are in the command's message and in the workbook).
* **XLSX**: one sheet per table (Accruals, Journal, Reconciliation) and an About sheet with what
  was asked for. Money is a number with a currency format, dates are dates; the header row is
  frozen and filtered and every column is wide enough for what it holds. Written with openpyxl's
  write-only workbook, which keeps each sheet in a temporary file rather than in memory.
* **JSON**: one object: what was asked for, the three tables as lists of objects (money as
  strings with two decimals, as everywhere in comp-tracker's JSON), and the totals. The journal
  and reconciliation lines wait in temporary files while the installments are written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from comp_tracker.domain.money import format_money
from comp_tracker.services.accruals.export import (
    COLUMNS,
    AccrualRequest,
    Kind,
    Line,
    Report,
    Summary,
    accrual_lines,
    prepare,
)
from comp_tracker.services.context import Context


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


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


class ExportError(ValueError):
    """The destination cannot be written: one line for the user, naming it."""


def money_text(value: Decimal) -> str:
    """Two decimals, no grouping, minus sign: "-74171.43". Never "-0.00"."""
    text = str(value)
    if text[-3:-2] != "." or "E" in text or text == "-0.00":
        text = format_money(value + 0)
    return text


def export(
    ctx: Context,
    request: AccrualRequest,
    file_format: FileFormat,
    destination: Path | IO[str],
    report: Report = Report.INSTALLMENTS,
) -> Summary:
    """Export the accruals: the one entry point of the CLI and the TUI.

    ``destination`` is a file (replaced only once the export is complete) or an open text stream
    (written only once the export is complete). A CSV file holds ``report``; a workbook or a JSON
    document holds all three tables. Raises :class:`ExportError` for a destination that cannot be
    written, :class:`~comp_tracker.services.context.ServiceError` for an unknown company and
    :class:`~comp_tracker.domain.accruals.AccrualError` for figures that do not reconcile; in
    every case nothing is written.
    """
    summary = prepare(ctx, request)
    tables = (report,) if file_format is FileFormat.CSV else tuple(Report)
    lines = accrual_lines(ctx, summary, tables)
    if not isinstance(destination, Path):
        if file_format is FileFormat.XLSX:
            raise ExportError("a workbook is written to a file: name one (--output FILE.xlsx)")
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as held:
            _write_text(lines, summary, file_format, report, held)
            held.seek(0)
            shutil.copyfileobj(held, destination)
        destination.flush()
        return summary
    with replacing(destination) as temporary:
        if file_format is FileFormat.XLSX:
            write_xlsx(lines, summary, temporary)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as out:
                _write_text(lines, summary, file_format, report, out)
    return summary


def _write_text(
    lines: Iterable[Line], summary: Summary, file_format: FileFormat, report: Report, out: IO[str]
) -> None:
    if file_format is FileFormat.CSV:
        write_csv(lines, report, out)
    else:
        write_json(lines, summary, out)


# -- all or nothing ----------------------------------------------------------------------------


@contextlib.contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """A private temporary path beside ``destination``, renamed over it if the block succeeds."""
    directory = destination.parent
    if not directory.is_dir():
        raise ExportError(f'--output = "{destination}": no such directory "{directory}"')
    if destination.is_dir():
        raise ExportError(f'--output = "{destination}": is a directory')
    try:
        handle, name = tempfile.mkstemp(  # created 0600
            prefix=f".{destination.name}.", suffix=".partial", dir=directory
        )
    except OSError as exc:
        raise ExportError(f'--output = "{destination}": {exc.strerror}') from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- CSV ---------------------------------------------------------------------------------------


def write_csv(lines: Iterable[Line], report: Report, out: IO[str]) -> None:
    """The csv module writes the values as they are: None as nothing, a date as ISO, an amount
    as its Decimal digits, which are cents ("66000.00", "-74171.43") because every amount is
    read from integer cents and only added and subtracted after (the engine rounds interest and
    ratable earnings to cents). ``tests/services/test_accrual_export.py`` checks the text."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS[report]])
    writer.writerows(line.values for line in lines if line.report is report)


# -- JSON --------------------------------------------------------------------------------------


def _json_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.MONEY:
        return money_text(value)
    if kind is Kind.DATE:
        return value.isoformat()
    return value


def _json_object(report: Report, values: tuple[Any, ...]) -> str:
    return json.dumps(
        {
            name: _json_value(kind, value)
            for (name, kind), value in zip(COLUMNS[report], values, strict=True)
        },
        ensure_ascii=False,
    )


def request_header(summary: Summary) -> dict[str, Any]:
    request = summary.request
    return {
        "period": {"from": request.period.start.isoformat(), "to": request.period.end.isoformat()},
        "opening_balances_as_of": request.period.opening.isoformat(),
        "companies": list(request.companies) or None,
        "as_recorded_at": _moment(request.as_recorded_at),
        "records_as_at": _moment(summary.records_as_at),
        "all_agreements": request.include_all,
        "accounts": {
            "compensation_expense": request.accounts.compensation_expense,
            "accrued_compensation": request.accounts.accrued_compensation,
            "interest_expense": request.accounts.interest_expense,
            "interest_payable": request.accounts.interest_payable,
            "cash": request.accounts.cash,
        },
    }


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def write_json(lines: Iterable[Line], summary: Summary, out: IO[str]) -> None:
    """One JSON object; each table's lines one per line inside it, so it diffs well."""
    with contextlib.ExitStack() as stack:
        spools = {
            report: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            for report in (Report.JOURNAL, Report.RECONCILIATION)
        }
        _write_json(lines, summary, out, spools)


def _write_json(
    lines: Iterable[Line], summary: Summary, out: IO[str], spools: Mapping[Report, IO[str]]
) -> None:
    header = json.dumps(request_header(summary), ensure_ascii=False)
    out.write(f'{{\n"request": {header},\n"installments": [')
    first = {report: True for report in Report}
    for line in lines:
        target = out if line.report is Report.INSTALLMENTS else spools[line.report]
        target.write("\n" if first[line.report] else ",\n")
        first[line.report] = False
        target.write(_json_object(line.report, line.values))
    for report in (Report.RECONCILIATION, Report.JOURNAL):
        out.write(f'\n],\n"{report.value}": [')
        spool = spools[report]
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    totals = {
        "agreements": summary.agreements,
        "installments": summary.installments,
        "journal_entries": summary.entries,
        "journal_debits": money_text(summary.debits),
        "journal_credits": money_text(summary.credits),
    }
    out.write(f'\n],\n"totals": {json.dumps(totals)}\n}}\n')


# -- XLSX --------------------------------------------------------------------------------------


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
    yield "As recorded at", _moment(request.as_recorded_at) or "now (every record)"
    yield "Latest record read", _moment(summary.records_as_at) or "none"
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
