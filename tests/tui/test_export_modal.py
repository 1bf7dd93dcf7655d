"""The accrual export form (``x``): the CLI's choices and defaults, a preview, files equal to what
``accrual_files.export`` writes for the same request, errors beside their fields with nothing
written, no file replaced without asking, and the UI responsive while the export runs."""

from __future__ import annotations

import datetime as dt
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support import HECLA, day
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static
from ui_support import AS_OF, LARGE, SMALL, click, on_screen, paste, released, settle

from comp_tracker.config import accounts, load_settings
from comp_tracker.domain.accruals import AccrualError, Period
from comp_tracker.services.accruals import files as accrual_files
from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import AccrualRequest
from comp_tracker.tui.modals import export as export_modal
from comp_tracker.tui.modals import export_file
from comp_tracker.tui.modals.export import ExportModal
from comp_tracker.tui.modals.export_file import ReplaceFileModal
from comp_tracker.tui.widgets.date_field import DateField

Q3 = Period(day("2002-07-01"), AS_OF)
Q3_NAME = "accruals-2002-07-01-to-2002-09-30"
SEPTEMBER_NAME = "accruals-2002-09-01-to-2002-09-30"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """The home directory, where the form suggests the file (empty, and the same on every run)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return Path(home)


def direct(context, path: Path, fmt: FileFormat, report: Report, **request) -> Path:
    """What the accrual export module writes itself for the same request."""
    full = AccrualRequest(accounts=accounts(load_settings()), **{"period": Q3, **request})
    accrual_files.export(context, full, fmt, path, report)
    return path


def text(widget: Static) -> str:
    return str(widget.render())


async def open_form(app, pilot) -> ExportModal:
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, ExportModal)
    return app.screen


async def type_into(pilot, field: Input, value: str) -> None:
    field.focus()
    await pilot.press("end", "ctrl+u")
    await paste(pilot, value)


async def choose(pilot, select: Select[Any], steps: int) -> None:
    """Open the drop-down and move ``steps`` down from the current choice."""
    select.focus()
    await pilot.press("enter", *(["down"] * steps), "enter")


async def press_export(pilot, form: ExportModal) -> None:
    await click(pilot, "#export")
    await settle(pilot)


async def test_the_defaults_are_the_commands(app, home):
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        # --from: the first day of the as-of month; --as-of: the app's date; csv; installments.
        assert form.query_one("#start", DateField).value == day("2002-09-01")
        assert form.query_one("#end", DateField).value == AS_OF
        assert form.query_one("#format", Select).value is FileFormat.CSV
        assert form.query_one("#report", Select).value is Report.INSTALLMENTS
        assert form.query_one("#companies", SelectionList).selected == []
        assert form.query_one("#all", Checkbox).value is False
        assert form.query_one("#path", Input).value == f"~/{SEPTEMBER_NAME}.csv"
        assert text(form.query_one("#preview", Static)) == (
            "Writes the installments (CSV) for 2002-09-01 to 2002-09-30 (opening balances as of "
            "2002-08-31): every company, the agreements with something for the period, as the "
            f"records stand now.\nTo ~/{SEPTEMBER_NAME}.csv. A new file."
        )
        # The file's name follows the period and the format until HR types one.
        await type_into(pilot, form.query_one("#start", DateField).input, "2002-07-01")
        assert form.query_one("#path", Input).value == f"~/{Q3_NAME}.csv"
        assert "(opening balances as of 2002-06-30)" in text(form.query_one("#preview", Static))
        await choose(pilot, form.query_one("#format", Select), 2)
        assert form.query_one("#format", Select).value is FileFormat.JSON
        assert form.query_one("#path", Input).value == f"~/{Q3_NAME}.json"
        assert form.query_one("#report", Select).disabled
        assert "the installments, journal entries and reconciliation (JSON)" in text(
            form.query_one("#preview", Static)
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportModal)
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("report", [Report.INSTALLMENTS, Report.JOURNAL, Report.RECONCILIATION])
async def test_a_csv_for_the_third_quarter_is_the_modules(app, context, home, tmp_path, report):
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        await type_into(pilot, form.query_one("#start", DateField).input, "2002-07-01")
        steps = list(Report).index(report)
        if steps:
            await choose(pilot, form.query_one("#report", Select), steps)
        assert form.query_one("#report", Select).value == report
        await press_export(pilot, form)

        written = home / f"{Q3_NAME}.csv"
        expected = direct(context, tmp_path / "direct.csv", FileFormat.CSV, report)
        assert written.read_bytes() == expected.read_bytes()
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        result = text(form.query_one("#preview", Static))
        # The command's message, figures and all (README: "Accrual exports for a period close").
        assert result.startswith(
            f"Wrote the {'journal entries' if report is Report.JOURNAL else report.value} to "
            f"~/{Q3_NAME}.csv: 1 agreement(s), 2 installment(s), 2 journal entries for "
            "2002-07-01 to 2002-09-30.\nAccrued compensation 140,171.43 -> 169,085.71; interest "
            "payable 0.00 -> 1,609.32. Journal debits 30,523.60 = credits 30,523.60.\n"
            "To reproduce it later, as recorded at 2002-06-01T09:00:"
        )
        assert str(form.query_one("#cancel", Button).label) == "Close"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportModal)


async def test_a_workbook_for_the_third_quarter_is_the_modules(app, context, home, tmp_path):
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        await type_into(pilot, form.query_one("#start", DateField).input, "2002-07-01")
        await choose(pilot, form.query_one("#format", Select), 1)
        assert form.query_one("#path", Input).value == f"~/{Q3_NAME}.xlsx"
        await press_export(pilot, form)

    written = home / f"{Q3_NAME}.xlsx"
    expected = direct(context, tmp_path / "direct.xlsx", FileFormat.XLSX, Report.INSTALLMENTS)
    ours, theirs = load_workbook(written), load_workbook(expected)
    assert (
        ours.sheetnames == theirs.sheetnames == ["Accruals", "Journal", "Reconciliation", "About"]
    )
    for name in ours.sheetnames:
        values = list(ours[name].iter_rows(values_only=True))
        assert values == list(theirs[name].iter_rows(values_only=True))
        assert len(values) > 1


async def test_companies_and_as_recorded_at_reach_the_export(app, context, home, tmp_path):
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        await type_into(pilot, form.query_one("#start", DateField).input, "2002-07-01")
        form.query_one("#companies", SelectionList).focus()
        await pilot.press("space")
        assert form.query_one("#companies", SelectionList).selected == [HECLA]
        await type_into(pilot, form.query_one("#as-recorded-at", Input), "2002-06-01T12:00:00")
        form.query_one("#all", Checkbox).focus()
        await pilot.press("space")
        preview = text(form.query_one("#preview", Static))
        assert f"): {HECLA}, every agreement, as recorded at 2002-06-01T12:00:00+00:00." in preview
        await press_export(pilot, form)
    expected = direct(
        context,
        tmp_path / "direct.csv",
        FileFormat.CSV,
        Report.INSTALLMENTS,
        companies=(HECLA,),
        as_recorded_at=dt.datetime(2002, 6, 1, 12, tzinfo=dt.UTC),
        include_all=True,
    )
    assert (home / f"{Q3_NAME}.csv").read_bytes() == expected.read_bytes()


async def test_a_bad_date_is_refused_beside_its_field(app, home):
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(app, pilot)
        start = form.query_one("#start", DateField)
        await type_into(pilot, start.input, "2002-13-01")
        assert text(start.query_one(".error", Static)) == (
            'date = "2002-13-01": not a date: write it YYYY-MM-DD'
        )
        assert text(form.query_one("#preview", Static)) == (
            "Nothing to export yet. It needs the period's first and last days, as YYYY-MM-DD."
        )
        form.query_one("#export", Button).press()
        await settle(pilot)
        assert on_screen(pilot) is form
        assert form.focused is start.input
        # A period that ends before it starts.
        await type_into(pilot, start.input, "2002-10-01")
        form.query_one("#export", Button).press()
        await settle(pilot)
        assert text(start.query_one(".error", Static)) == "after the period's last day 2002-09-30"
        # "As recorded at" that is not a moment.
        await type_into(pilot, start.input, "2002-07-01")
        moment = form.query_one("#as-recorded-at", Input)
        await type_into(pilot, moment, "last friday")
        form.query_one("#export", Button).press()
        await settle(pilot)
        assert text(form.query_one("#as-recorded-at-error", Static)) == (
            '"last friday" is not a moment: write it like 2002-10-15T17:00:00+00:00'
        )
        assert form.focused is moment
    assert list(home.iterdir()) == []


async def test_a_bad_file_is_refused_beside_its_field(app, home, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    cases = [
        (
            f"{tmp_path}/missing/q3.csv",
            f'no such directory "{tmp_path}/missing": create it, or choose another',
        ),
        (
            str(tmp_path),
            f'"{tmp_path}" is a directory: add a file name, e.g. {tmp_path}/{SEPTEMBER_NAME}.csv',
        ),
        (
            f"{tmp_path}/q3.xlsx",
            "a .xlsx file, but the format is CSV: change the name or the format",
        ),
        ("", f"required: the file to write, e.g. ~/{SEPTEMBER_NAME}.csv"),
    ]
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        path = form.query_one("#path", Input)
        for typed, error in cases:
            path.value = typed  # as if pasted
            path.focus()
            await pilot.press("enter")  # Enter in the file field exports
            await settle(pilot)
            assert on_screen(pilot) is form
            assert text(form.query_one("#path-error", Static)) == error
            assert form.focused is path
            assert text(form.query_one("#preview", Static)) == (
                f"Nothing to export yet. It needs the file: {error}."
            )
    assert sorted(tmp_path.rglob("*")) == before


async def test_an_existing_file_is_replaced_only_when_confirmed(app, context, home, tmp_path):
    existing = home / f"{SEPTEMBER_NAME}.csv"
    existing.write_text("last month's close\n")
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        assert "It exists: Export asks before replacing it." in text(
            form.query_one("#preview", Static)
        )
        await press_export(pilot, form)
        assert isinstance(app.screen, ReplaceFileModal)
        await pilot.press("escape")  # no
        await settle(pilot)
        assert on_screen(pilot) is form
        assert existing.read_text() == "last month's close\n"
        await press_export(pilot, form)
        assert isinstance(app.screen, ReplaceFileModal)
        await click(pilot, "#replace")
        await settle(pilot)
        assert on_screen(pilot) is form
    september = Period(day("2002-09-01"), AS_OF)
    expected = direct(
        context, tmp_path / "direct.csv", FileFormat.CSV, Report.INSTALLMENTS, period=september
    )
    assert existing.read_bytes() == expected.read_bytes()


async def test_the_form_stays_responsive_while_exporting(app, home, monkeypatch):
    release = threading.Event()
    real = accrual_files.export  # what export_file calls

    def slow_export(*args, **kwargs):
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_file, "export", slow_export)
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        await click(pilot, "#export")
        await pilot.pause()
        assert form.query_one("#export-progress").display
        assert form.query_one("#export", Button).disabled
        assert form.query_one("#path", Input).disabled
        await pilot.press("escape")  # not while it runs
        await pilot.pause()
        assert on_screen(pilot) is form
        release.set()
        await settle(pilot)
        assert not form.query_one("#export-progress").display
        assert not form.query_one("#export", Button).disabled
        assert text(form.query_one("#preview", Static)).startswith("Wrote the installments")
    assert (home / f"{SEPTEMBER_NAME}.csv").exists()


async def test_figures_that_do_not_reconcile_write_nothing(app, home, monkeypatch):
    def failing(*args, **kwargs):
        raise AccrualError("journal", "30,523.60 / 30,523.59", "debits and credits differ")

    monkeypatch.setattr(export_file, "export", failing)
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        await press_export(pilot, form)
        assert text(form.query_one("#error", Static)) == (
            'journal = "30,523.60 / 30,523.59": debits and credits differ. The figures do not '
            "reconcile, which is a fault in comp-tracker, not in the records: nothing was written."
        )
        assert not form.query_one("#export", Button).disabled
    assert list(home.iterdir()) == []


async def test_an_unknown_company_is_refused_beside_the_list(app, home, monkeypatch):
    # A company the list offered and the database no longer knows (the module checks).
    monkeypatch.setattr(export_modal, "company_names", lambda ctx: ["Gone Mining Co."])
    async with app.run_test(size=LARGE) as pilot:
        form = await open_form(app, pilot)
        form.query_one("#companies", SelectionList).focus()
        await pilot.press("space")
        await press_export(pilot, form)
        assert text(form.query_one("#companies-error", Static)) == (
            'No company called "Gone Mining Co." is recorded. Nothing was written.'
        )
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_export_snapshot(snap_compare, app, home, size):
    async def run_before(pilot) -> None:
        await open_form(pilot.app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_replace_file_snapshot(snap_compare, app, home, size):
    (home / f"{SEPTEMBER_NAME}.csv").write_text("last month's close\n")

    async def run_before(pilot) -> None:
        form = await open_form(pilot.app, pilot)
        form.query_one("#export", Button).press()  # below the fold at 80x24
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReplaceFileModal)
        await released(pilot, form.query_one("#export", Button))  # drawn as it will stay

    assert snap_compare(app, terminal_size=size, run_before=run_before)
