"""The accrual export on SQLite and PostgreSQL: what finance files at a close, and files again.

Figures are the Baker agreement's (Exhibit 10.12), derived by hand in
tests/domain/test_accruals.py: paid 2002-07-01, terminated without cause 2002-09-16, so the third
quarter of 2002 expenses the rest of installment 2 (57,828.57) and 11 days of late interest on it
(397.81).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
from decimal import Decimal

import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from sqlalchemy import select
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, day, usd, write_terms

from comp_tracker.domain import TerminationReason
from comp_tracker.domain import accruals as domain_accruals
from comp_tracker.domain.accruals import (
    AccrualError,
    AgreementAccruals,
    EntryKind,
    JournalEntry,
    JournalLine,
    Period,
)
from comp_tracker.services.accruals import export as accruals
from comp_tracker.services.accruals import files as accrual_files
from comp_tracker.services.accruals import workbook as accrual_workbook
from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import AccrualRequest
from comp_tracker.services.accruals.files import export
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.context import Context, NotFound
from comp_tracker.services.events import recording as events
from comp_tracker.storage import reads
from comp_tracker.storage import tables as t

Q3 = Period(day("2002-07-01"), day("2002-09-30"))
GRANITE = "Granite Ridge Minerals Corp."
INSTALLMENT_HEADER = (
    "line,company,employee,agreement,installment,amount,service_start,original_due,current_due,"
    "status,earned_to_date,principal_paid_to_date,accrued_liability,interest_accrued_to_date,"
    "interest_paid_to_date,interest_payable,period_compensation_expense,period_interest_expense,"
    "period_principal_paid,period_interest_paid,period_payments"
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def timed(ctx: Context, moment: str) -> Context:
    """The same database, recording at a fixed moment (the recorded_at of what is written)."""
    return Context(ctx.db, "finance", clock=lambda: at(moment))


def csv_text(ctx: Context, request: AccrualRequest, report: Report = Report.INSTALLMENTS) -> str:
    out = io.StringIO()
    export(ctx, request, FileFormat.CSV, out, report)
    return out.getvalue()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def q3(ctx):
    """Baker imported 2002-06-01, paid 2002-07-01, terminated without cause 2002-09-16."""
    agreements.import_files(timed(ctx, "2002-06-01T09:00:00"), [BAKER_FILE])
    events.record_payment(
        timed(ctx, "2002-07-01T10:00:00"), BAKER, day("2002-07-01"), usd("66000.00"), 1
    )
    events.record_termination(
        timed(ctx, "2002-09-16T15:00:00"),
        BAKER_NAME,
        day("2002-09-16"),
        TerminationReason.WITHOUT_CAUSE,
    )
    return ctx


def termination_id(ctx: Context) -> int:
    with ctx.db.read() as connection:
        return int(
            connection.execute(
                select(t.EVENT.c.id).where(t.EVENT.c.kind == "termination")
            ).scalar_one()
        )


def test_q3_rows_subtotal_and_total_as_finance_reads_them(q3):
    text = csv_text(q3, AccrualRequest(Q3))
    assert text.splitlines()[0] == INSTALLMENT_HEADER
    first, second, subtotal, total = rows(text)
    assert (first["line"], first["installment"], first["status"]) == ("installment", "1", "paid")
    assert (first["period_principal_paid"], first["accrued_liability"]) == ("66000.00", "0.00")
    assert second == {
        "line": "installment",
        "company": HECLA,
        "employee": BAKER_NAME,
        "agreement": BAKER,
        "installment": "2",
        "amount": "132000.00",
        "service_start": "2001-11-06",
        "original_due": "2002-12-31",
        "current_due": "2002-09-16",  # accelerated to the termination date
        "status": "overdue",
        "earned_to_date": "132000.00",
        "principal_paid_to_date": "0.00",
        "accrued_liability": "132000.00",
        "interest_accrued_to_date": "397.81",
        "interest_paid_to_date": "0.00",
        "interest_payable": "397.81",
        "period_compensation_expense": "57828.57",
        "period_interest_expense": "397.81",
        "period_principal_paid": "0.00",
        "period_interest_paid": "0.00",
        "period_payments": "0.00",
    }
    assert (subtotal["line"], subtotal["company"], subtotal["agreement"]) == ("subtotal", HECLA, "")
    assert (total["line"], total["company"]) == ("total", "")
    for line in (subtotal, total):
        assert line["amount"] == "198000.00"
        assert line["accrued_liability"] == "132000.00"
        assert line["period_compensation_expense"] == "57828.57"
        assert line["period_payments"] == "66000.00"
        assert line["installment"] == line["status"] == line["original_due"] == ""


def test_journal_and_reconciliation_tables(q3):
    journal = rows(csv_text(q3, AccrualRequest(Q3), Report.JOURNAL))
    assert [(j["entry"], j["kind"], j["account"], j["debit"], j["credit"]) for j in journal] == [
        ("1", "accrual", "Compensation expense", "57828.57", "0.00"),
        ("1", "accrual", "Accrued compensation", "0.00", "57828.57"),
        ("2", "interest", "Interest expense", "397.81", "0.00"),
        ("2", "interest", "Interest payable", "0.00", "397.81"),
        ("3", "payment", "Accrued compensation", "66000.00", "0.00"),
        ("3", "payment", "Cash", "0.00", "66000.00"),
    ]
    assert [j["date"] for j in journal[4:]] == ["2002-07-01"] * 2
    assert journal[4]["reference"].startswith("event #")
    recon = rows(csv_text(q3, AccrualRequest(Q3), Report.RECONCILIATION))
    assert [r["line"] for r in recon] == ["agreement", "subtotal", "total"]
    line = recon[0]
    # 140,171.43 + 57,828.57 - 66,000.00 = 132,000.00; 0.00 + 397.81 - 0.00 = 397.81
    assert [
        line[k]
        for k in (
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
        )
    ] == [
        "140171.43",
        "57828.57",
        "66000.00",
        "132000.00",
        "0.00",
        "0.00",
        "397.81",
        "0.00",
        "397.81",
        "0.00",
    ]


def test_json_holds_the_request_the_three_tables_and_the_totals(q3):
    out = io.StringIO()
    summary = export(q3, AccrualRequest(Q3), FileFormat.JSON, out)
    data = json.loads(out.getvalue())
    assert data["request"]["period"] == {"from": "2002-07-01", "to": "2002-09-30"}
    assert data["request"]["opening_balances_as_of"] == "2002-06-30"
    assert data["request"]["records_as_at"] == "2002-09-16T15:00:00+00:00"
    assert [r["line"] for r in data["installments"]] == [
        "installment",
        "installment",
        "subtotal",
        "total",
    ]
    assert data["installments"][1]["period_compensation_expense"] == "57828.57"
    assert len(data["journal"]) == 6
    assert data["reconciliation"][0]["closing_liability"] == "132000.00"
    assert data["totals"] == {
        "agreements": 1,
        "installments": 2,
        "journal_entries": 3,
        "journal_debits": "124226.38",
        "journal_credits": "124226.38",
    }
    assert summary.debits == summary.credits == usd("124226.38")


def test_a_filed_close_reruns_identically_as_recorded_and_restated_without(q3, tmp_path):
    """Q3 filed on 2002-10-05; on 2002-11-10 the termination is voided (entered in error)."""
    filed_at = at("2002-10-05T17:00:00")
    filed = {
        fmt: export(q3, AccrualRequest(Q3), fmt, tmp_path / f"filed.{fmt.value}")
        for fmt in (FileFormat.CSV, FileFormat.JSON)
    }
    assert filed[FileFormat.CSV].records_as_at == at("2002-09-16T15:00:00")
    events.void_event(timed(q3, "2002-11-10T11:00:00"), termination_id(q3), "entered in error")
    # A payment entered late, dated in the period, is ignored too.
    events.record_payment(
        timed(q3, "2002-11-10T11:05:00"), BAKER, day("2002-09-27"), usd("1000.00"), 2
    )

    as_filed = AccrualRequest(Q3, as_recorded_at=filed_at)
    for fmt in (FileFormat.CSV, FileFormat.JSON):
        rerun = tmp_path / f"rerun.{fmt.value}"
        export(q3, as_filed, fmt, rerun)
        original = (tmp_path / f"filed.{fmt.value}").read_text()
        if fmt is FileFormat.JSON:  # the request says it was rerun as recorded at a moment
            original = original.replace(
                '"as_recorded_at": null', '"as_recorded_at": "2002-10-05T17:00:00+00:00"'
            )
        assert rerun.read_text() == original

    restated = rows(csv_text(q3, AccrualRequest(Q3)))
    second = restated[1]
    # No termination: installment 2 is earned ratably, 328 of 420 days on 30 September.
    assert (second["status"], second["current_due"]) == ("scheduled", "2002-12-31")
    assert second["earned_to_date"] == "103085.71"
    assert second["period_compensation_expense"] == "28914.28"
    assert second["period_principal_paid"] == "1000.00"
    assert second["accrued_liability"] == "102085.71"


def test_company_filter_and_an_unknown_company(q3, tmp_path):
    write_terms(tmp_path / "g.toml", "granite-okafor", "Dana Okafor")
    agreements.import_files(q3, [tmp_path / "g.toml"])
    year = Period(day("2022-01-01"), day("2022-12-31"))
    both = rows(csv_text(q3, AccrualRequest(year, include_all=True)))
    assert [(r["line"], r["company"]) for r in both if r["line"] != "installment"] == [
        ("subtotal", GRANITE),
        ("subtotal", HECLA),
        ("total", ""),
    ]
    only = rows(csv_text(q3, AccrualRequest(year, companies=(GRANITE,))))
    assert {r["company"] for r in only if r["line"] == "installment"} == {GRANITE}
    with pytest.raises(NotFound) as raised:
        csv_text(q3, AccrualRequest(year, companies=("Hecla",)))
    assert raised.value.message == (
        "--company = \"Hecla\": no such company (see 'comp-tracker agreements')"
    )


def test_agreements_with_nothing_for_the_period_are_left_out_unless_all_are_asked_for(ctx):
    agreements.import_files(ctx, [BAKER_FILE])
    before = Period(day("2001-01-01"), day("2001-03-31"))  # not yet in effect
    assert rows(csv_text(ctx, AccrualRequest(before))) == [
        dict.fromkeys(INSTALLMENT_HEADER.split(","), "")
        | {"line": "total"}
        | {k: "0.00" for k in INSTALLMENT_HEADER.split(",") if k in MONEY}
    ]
    everything = rows(csv_text(ctx, AccrualRequest(before, include_all=True)))
    assert [r["earned_to_date"] for r in everything[:2]] == ["0.00", "0.00"]
    events.record_payment(ctx, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    events.record_payment(ctx, BAKER, day("2002-12-31"), usd("132000.00"), 2)
    after = Period(day("2003-01-01"), day("2003-03-31"))  # settled and closed on 2002-12-31
    assert [r["line"] for r in rows(csv_text(ctx, AccrualRequest(after)))] == ["total"]
    q4 = Period(day("2002-10-01"), day("2002-12-31"))
    assert [r["line"] for r in rows(csv_text(ctx, AccrualRequest(q4)))][:2] == [
        "installment",
        "installment",
    ]


MONEY = {
    name for name, kind in accruals.COLUMNS[Report.INSTALLMENTS] if kind is accruals.Kind.MONEY
}


def test_chunks_give_the_same_export_as_one_load(ctx, tmp_path, monkeypatch):
    """Agreements are read a chunk at a time (memory stays flat); the lines do not change."""
    files = [
        write_terms(tmp_path / f"a{n}.toml", f"granite-{n}", f"Person {n}", amounts=(f"{n}000.00",))
        for n in range(1, 8)
    ]
    agreements.import_files(ctx, [BAKER_FILE, *files])
    request = AccrualRequest(Period(day("2022-01-01"), day("2022-06-30")), include_all=True)
    whole = csv_text(ctx, request) + csv_text(ctx, request, Report.JOURNAL)
    loads: list[int] = []
    real = reads.load_agreements  # what the export module calls

    def counting(connection, *args, **kwargs):
        loads.append(len(kwargs["ids"]))
        return real(connection, *args, **kwargs)

    monkeypatch.setattr(accruals, "CHUNK", 3)
    monkeypatch.setattr(accruals, "load_agreements", counting)
    assert csv_text(ctx, request) + csv_text(ctx, request, Report.JOURNAL) == whole
    assert loads == [3, 3, 2] * 2


def test_a_file_is_private_and_replaced_only_when_complete(q3, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "q3.csv"
    target.write_text("last quarter's file\n")
    os.chmod(target, 0o644)
    export(q3, AccrualRequest(Q3), FileFormat.CSV, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith(INSTALLMENT_HEADER)

    done = target.read_text()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(accrual_files, "write_csv", broken)
    with pytest.raises(OSError, match="No space left"):
        export(q3, AccrualRequest(Q3), FileFormat.CSV, target)
    assert target.read_text() == done
    assert sorted(p.name for p in folder.iterdir()) == ["q3.csv"]  # no partial file left


def test_an_unbalanced_journal_is_refused_and_nothing_is_written(q3, tmp_path, monkeypatch):
    """accrue() checks each agreement; the export checks the whole set again before it keeps
    the file. Here an agreement's journal loses a cent after accrue() checked it."""
    real = domain_accruals.accrue  # what the export module calls

    def losing_a_cent(*args, **kwargs) -> AgreementAccruals:
        result = real(*args, **kwargs)
        bad = JournalEntry(
            Q3.end,
            EntryKind.ACCRUAL,
            "Retention compensation earned",
            (
                JournalLine("Compensation expense", usd("100.00"), usd("0.00")),
                JournalLine("Accrued compensation", usd("0.00"), usd("99.99")),
            ),
        )
        return AgreementAccruals(
            result.terms, result.period, result.installments, (bad,), result.reconciliation
        )

    monkeypatch.setattr(accruals, "accrue", losing_a_cent)
    folder = tmp_path / "exports"
    folder.mkdir()
    for fmt in FileFormat:
        target = folder / f"q3.{fmt.value}"
        with pytest.raises(AccrualError) as raised:
            export(q3, AccrualRequest(Q3), fmt, target, Report.JOURNAL)
        assert raised.value.message == (
            "journal: debits 100.00 and credits 99.99 differ by 0.01: nothing was written"
        )
        assert not target.exists()
    # openpyxl keeps a workbook's sheets in temporary files until it is saved: none is left.
    assert not ALL_TEMP_FILES
    out = io.StringIO()
    with pytest.raises(AccrualError):
        export(q3, AccrualRequest(Q3), FileFormat.CSV, out, Report.JOURNAL)
    assert out.getvalue() == ""  # a refused export prints nothing either
    assert list(folder.iterdir()) == []


def test_every_money_value_in_the_csv_has_two_decimals(q3):
    text = csv_text(q3, AccrualRequest(Q3, include_all=True))
    for row in rows(text):
        for name in MONEY:
            value = row[name]
            assert value == f"{Decimal(value):.2f}", (name, value)
            assert "," not in value
            assert "e" not in value.lower()


def test_the_workbook_is_dated_by_its_records_and_reruns_byte_identical(q3, tmp_path):
    import zipfile

    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    export(q3, AccrualRequest(Q3), FileFormat.XLSX, first)
    export(q3, AccrualRequest(Q3), FileFormat.XLSX, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as workbook:
        # Dated by the last record read (the termination), not by the clock.
        assert {item.date_time for item in workbook.infolist()} == {(2002, 9, 16, 15, 0, 0)}
        assert workbook.testzip() is None
        core = workbook.read("docProps/core.xml").decode()
    # openpyxl stamps "modified" with the clock as it saves; the export puts the records' date.
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2002-09-16T15:00:00Z' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2002-09-16T15:00:00Z' in core


def test_names_with_markup_and_control_characters_reach_the_workbook(ctx, tmp_path):
    """The rows are written as XML text: "&", "<" and ">" are escaped, a character XML cannot
    hold (a stray control character, which the import lets through) shows as U+FFFD."""
    from openpyxl import load_workbook

    company = "Smith & Sons <Mining> Co."
    employee = "Ann\\u0007 O'Neil"
    terms = write_terms(tmp_path / "odd.toml", "SMITH-2021", employee, company)
    agreements.import_files(ctx, [terms])
    period = Period(day("2022-01-01"), day("2022-03-31"))
    target = tmp_path / "odd.xlsx"
    export(ctx, AccrualRequest(period), FileFormat.XLSX, target)
    csv_rows = rows(csv_text(ctx, AccrualRequest(period)))
    sheet = load_workbook(target)["Accruals"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert first["company"] == company == csv_rows[0]["company"]
    assert csv_rows[0]["employee"] == "Ann\a O'Neil"
    assert first["employee"] == "Ann\ufffd O'Neil"
    # openpyxl reads numbers back as floats: compared through their text, as Decimal.
    assert Decimal(str(first["earned_to_date"])) == Decimal(csv_rows[0]["earned_to_date"])


def test_text_with_outer_spaces_keeps_them_in_the_workbook():
    # Names are stripped when they are entered; any other text keeps its spaces.
    assert accrual_workbook._inline_text(" a ") == '<is><t xml:space="preserve"> a </t></is>'
    assert accrual_workbook._inline_text("a<b") == "<is><t>a&lt;b</t></is>"
