"""The accrual workbook as finance sees it: opened in a real spreadsheet program.

Finance opens the XLSX export in Excel or LibreOffice, not in Python, so LibreOffice prints it
here and the figures it shows must be the CSV export's. A number too wide for its column shows
as "###", so finding none also checks that every column is wide enough. SQLite only: the
workbook does not depend on the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, day, usd

from comp_tracker.domain import TerminationReason
from comp_tracker.domain.accruals import Period
from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import AccrualRequest
from comp_tracker.services.accruals.files import export
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.context import Context
from comp_tracker.services.events import recording as events
from comp_tracker.storage.database import open_database

CURRENCY = '"$"#,##0.00;[Red]-"$"#,##0.00'
DATE = "yyyy-mm-dd"
SHEETS = {
    Report.INSTALLMENTS: "Accruals",
    Report.JOURNAL: "Journal",
    Report.RECONCILIATION: "Reconciliation",
}
MONEY_COLUMNS = {
    Report.INSTALLMENTS: {
        "amount",
        "earned_to_date",
        "principal_paid_to_date",
        "accrued_liability",
        "interest_accrued_to_date",
        "interest_paid_to_date",
        "interest_payable",
        "period_compensation_expense",
        "period_interest_expense",
        "period_principal_paid",
        "period_interest_paid",
        "period_payments",
    },
    Report.JOURNAL: {"debit", "credit"},
    Report.RECONCILIATION: {
        "opening_liability",
        "compensation_expense",
        "principal_paid",
        "closing_liability",
        "compensation_difference",
        "opening_interest_payable",
        "interest_expense",
        "interest_paid",
        "closing_interest_payable",
        "interest_difference",
    },
}
DATE_COLUMNS = {
    Report.INSTALLMENTS: {"service_start", "original_due", "current_due"},
    Report.JOURNAL: {"date"},
    Report.RECONCILIATION: set(),
}
INT_COLUMNS = {
    Report.INSTALLMENTS: {"installment"},
    Report.JOURNAL: {"entry"},
    Report.RECONCILIATION: set(),
}
#: A money figure as a spreadsheet shows it with the currency format: "$66,000.00", "-$74,171.43".
SHOWN_MONEY = re.compile(r"-?\$[\d,]+\.\d\d")
CENT = Decimal("0.01")
SOFFICE_TIMEOUT = 120

#: A second company whose first installment is overdue and unpaid all period: late interest.
GRANITE_TERMS = """\
[agreement]
id = "granite-okafor-2002-retention"
company = "Granite Ridge Minerals Corp."
employee = "Dana Okafor"
effective = 2001-12-03
expires = 2003-06-30
calendar = "US"
payment_window_business_days = 3
late_interest_rate = "0.08"
day_count = "ACT/365F"

[[agreement.installments]]
due = 2002-05-31
amount = "25000.00"

[[agreement.installments]]
due = 2003-03-31
amount = "40000.00"
"""


def shown(value: Decimal) -> str:
    """The text LibreOffice shows for ``value`` in the currency format."""
    text = f"${abs(value):,.2f}"
    return f"-{text}" if value < 0 else text


def cents(value: float | int) -> Decimal:
    """A number read back from the workbook (a float), as cents: never compared as a float."""
    return Decimal(str(value)).quantize(CENT)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or ()), list(reader)


class Exported:
    """The workbook and the three CSV files of one export of the same records."""

    def __init__(self, workbook: Path, csvs: dict[Report, Path]) -> None:
        self.workbook = workbook
        self.tables = {report: read_csv(path) for report, path in csvs.items()}

    def journal_totals(self) -> tuple[Decimal, Decimal]:
        _, rows = self.tables[Report.JOURNAL]
        debits = sum((Decimal(row["debit"]) for row in rows), Decimal(0))
        credits = sum((Decimal(row["credit"]) for row in rows), Decimal(0))
        return debits, credits


@pytest.fixture
def exported(tmp_path: Path) -> Exported:
    """Baker paid his first installment and resigned (a negative expense, -74,171.43), and a
    second company's overdue installment accrues late interest; 2002's third quarter exported."""
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        ctx = Context(database, "tester")
        granite = tmp_path / "granite-okafor-2002-retention.toml"
        granite.write_text(GRANITE_TERMS, encoding="utf-8")
        agreements.import_files(ctx, [BAKER_FILE, granite])
        events.record_payment(ctx, BAKER, day("2002-07-01"), usd("66000.00"), 1)
        events.record_termination(
            ctx, BAKER_NAME, day("2002-09-16"), TerminationReason.RESIGNATION, company=HECLA
        )
        request = AccrualRequest(Period(day("2002-07-01"), day("2002-09-30")))
        workbook = tmp_path / "accruals.xlsx"
        export(ctx, request, FileFormat.XLSX, workbook)
        csvs = {}
        for report in Report:
            csvs[report] = tmp_path / f"accruals-{report.value}.csv"
            export(ctx, request, FileFormat.CSV, csvs[report], report)
    finally:
        database.dispose()
    result = Exported(workbook, csvs)
    # The figures this test is meant to exercise are there: a negative one and late interest.
    _, installments = result.tables[Report.INSTALLMENTS]
    expenses = {row["period_compensation_expense"] for row in installments}
    assert "-74171.43" in expenses
    assert any(Decimal(row["period_interest_expense"]) > 0 for row in installments)
    return result


# -- the workbook as openpyxl reads it ---------------------------------------------------------


def test_the_workbook_holds_the_csv_figures_as_typed_cells(exported):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    workbook = load_workbook(exported.workbook)
    assert workbook.sheetnames == ["Accruals", "Journal", "Reconciliation", "About"]
    for report, title in SHEETS.items():
        sheet = workbook[title]
        header, rows = exported.tables[report]
        assert rows, f"{report}: the CSV has no lines to compare"
        expected_rows = len(rows) + (1 if report is Report.JOURNAL else 0)  # the journal's total
        assert sheet.max_row == 1 + expected_rows, title
        assert sheet.max_column == len(header), title
        assert [cell.value for cell in sheet[1]] == header, title
        assert sheet.freeze_panes == "A2", title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{sheet.max_row}"

        widest: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            cells = dict(zip(header, sheet[number], strict=True))
            for name, text in row.items():
                where = f"{title}!{cells[name].coordinate} ({name})"
                value = cells[name].value
                if text == "":
                    assert value is None, where
                elif name in MONEY_COLUMNS[report]:
                    assert isinstance(value, int | float), where
                    assert not isinstance(value, bool), where
                    assert cells[name].number_format == CURRENCY, where
                    assert cents(value) == Decimal(text), where
                    widest[name] = max(widest.get(name, 0), len(shown(Decimal(text))))
                elif name in DATE_COLUMNS[report]:
                    assert isinstance(value, dt.date), where  # a datetime is a date too
                    assert cells[name].number_format == DATE, where
                    read = value.date() if isinstance(value, dt.datetime) else value
                    assert read == dt.date.fromisoformat(text), where
                    widest[name] = len(text)
                elif name in INT_COLUMNS[report]:
                    assert isinstance(value, int), where
                    assert value == int(text), where
                else:
                    assert value == text, where

        if report is Report.JOURNAL:
            debits, credits = exported.journal_totals()
            total = dict(zip(header, sheet[sheet.max_row], strict=True))
            assert total["description"].value == "total"
            assert total["debit"].number_format == total["credit"].number_format == CURRENCY
            assert cents(total["debit"].value) == debits
            assert cents(total["credit"].value) == credits
            assert debits == credits
            others = [
                c.value
                for name, c in total.items()
                if name not in {"description", "debit", "credit"}
            ]
            assert others == [None] * len(others)
            widest["debit"] = max(widest["debit"], len(shown(debits)))
            widest["credit"] = max(widest["credit"], len(shown(credits)))

        # Widths are in characters: a column at least as wide as its longest figure shows it
        # (LibreOffice's rendering below is the real check; this one runs without it).
        for number, name in enumerate(header, start=1):
            if name in widest:
                width = sheet.column_dimensions[get_column_letter(number)].width
                assert width >= widest[name], f"{title} column {name}: {width} < {widest[name]}"


# -- the workbook as LibreOffice shows it ------------------------------------------------------


@pytest.fixture
def libreoffice() -> tuple[str, str]:
    """soffice and pdftotext, or a skip (a failure where COMP_TRACKER_REQUIRE_LIBREOFFICE=1)."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    missing = [name for name, path in (("soffice", soffice), ("pdftotext", pdftotext)) if not path]
    if missing:
        message = (
            f"{' and '.join(missing)} not found: the workbook is not opened in LibreOffice "
            "(install libreoffice-calc-nogui and poppler-utils)"
        )
        if os.environ.get("COMP_TRACKER_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(message + " (COMP_TRACKER_REQUIRE_LIBREOFFICE=1)")
        pytest.skip(message)
    assert soffice
    assert pdftotext
    return soffice, pdftotext


def _to_pdf(soffice: str, tmp: Path, *workbooks: Path) -> Path:
    """LibreOffice prints the workbooks as PDF files in one run, with a profile of its own (a
    user's running LibreOffice, or another test's, would otherwise take the conversion over)."""
    out = tmp / "pdf"
    out.mkdir()
    command = [
        soffice,
        f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, workbooks),
    ]
    env = {**os.environ, "HOME": str(tmp)}
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, so a hung run is ended whole
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s: {command}")
    said = f"soffice exited {process.returncode}\nstdout: {stdout}\nstderr: {stderr}"
    assert process.returncode == 0, said
    for workbook in workbooks:
        pdf = out / f"{workbook.stem}.pdf"
        assert pdf.is_file(), f"no {pdf.name}\n{said}"
        assert pdf.stat().st_size > 0, f"{pdf.name} is empty\n{said}"
    return out


def _text(pdftotext: str, pdf: Path) -> str:
    result = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _too_narrow(path: Path) -> Path:
    """A control: a currency figure in a column far too narrow for it, which must show ###."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.column_dimensions["A"].width = 4
    sheet["A1"] = 1234567.89
    sheet["A1"].number_format = CURRENCY
    workbook.save(path)
    return path


def test_libreoffice_shows_every_figure_of_the_csv_files(libreoffice, exported, tmp_path):
    soffice, pdftotext = libreoffice
    control = _too_narrow(tmp_path / "too-narrow.xlsx")
    out = _to_pdf(soffice, tmp_path, exported.workbook, control)
    # Without this, a LibreOffice that printed narrow columns some other way would pass (a).
    assert "###" in _text(pdftotext, out / f"{control.stem}.pdf")

    text = _text(pdftotext, out / f"{exported.workbook.stem}.pdf")
    # Every sheet was printed (a header only one of them has, and the About sheet).
    for header in ("period_payments", "reference", "interest_difference", "comp-tracker accruals"):
        assert header in text, f"{header!r} is not in the printed workbook"
    # (a) No column too narrow for its figures.
    narrow = [line for line in text.splitlines() if "###" in line]
    assert not narrow, "columns too narrow for their figures:\n" + "\n".join(narrow)

    # (b) Every money figure of the CSV files, as many times as there; the workbook adds only the
    # journal's total line (debits and credits), and the About sheet holds no money.
    expected: Counter[str] = Counter()
    for report, (_, rows) in exported.tables.items():
        for row in rows:
            for name in MONEY_COLUMNS[report]:
                if row[name] != "":
                    expected[shown(Decimal(row[name]))] += 1
    debits, credits = exported.journal_totals()
    expected[shown(debits)] += 1
    expected[shown(credits)] += 1
    assert "-$74,171.43" in expected
    assert "$66,000.00" in expected

    found = Counter(SHOWN_MONEY.findall(text))
    missing = expected - found
    extra = found - expected
    assert not missing, f"figures in the CSV files but not shown by LibreOffice: {dict(missing)}"
    assert not extra, f"figures shown by LibreOffice but not in the CSV files: {dict(extra)}"
