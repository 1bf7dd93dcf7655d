"""The app's frame: the as-of date in the header, the home screen (what needs attention), the due
job's alerts acknowledged from it, help, the command palette and themes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import BAKER, BAKER_NAME, day, usd
from textual.widgets import DataTable, Input, Static
from ui_support import AS_OF, LARGE, SMALL, paste, settle

from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.due import alerts
from comp_tracker.services.due import job as due
from comp_tracker.services.events import recording as events
from comp_tracker.tui.app import CompTrackerApp
from comp_tracker.tui.modals.acknowledge import AcknowledgeModal
from comp_tracker.tui.modals.as_of import AsOfModal
from comp_tracker.tui.screens.help import HelpScreen
from comp_tracker.tui.screens.home import HomeScreen


def cells(table: DataTable[Any], row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [cells(table, i) for i in range(table.row_count)]


async def test_home_shows_the_overdue_installment_with_its_interest(context):
    app = CompTrackerApp(context, as_of=day("2002-07-05"))
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.sub_title == "as of Fri 5 Jul 2002"
        flags = app.screen.query_one("#flags", DataTable)
        # Paragraph 3: due 30 June 2002 (a Sunday), payable within three business days, by
        # 3 July; late from then at 10% a year: 2 days on 66,000.00 is 36.16.
        assert rows(flags) == [
            [
                "overdue",
                BAKER_NAME,
                BAKER,
                "1",
                "2002-06-30",
                "2002-07-03",
                "66,000.00",
                "36.16",
                "66,036.16",
            ]
        ]
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        # At 80 columns: what to pay by when; the rest is on the agreement's screen.
        assert rows(flags) == [["overdue", BAKER_NAME, "1", "2002-07-03", "36.16", "66,036.16"]]
        totals = str(app.screen.query_one("#totals", Static).render())
        assert "Overdue: 1 · principal 66,000.00 · interest so far 36.16 (+18.08 a day)" in totals
        assert "No payment is due within 3 business days." in totals


async def test_home_follows_the_as_of_date(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, AsOfModal)
        field = app.screen.query_one(Input)
        field.value = ""
        await paste(pilot, "2002-06-27")
        assert "Thursday, business day (US)" in str(app.screen.query_one(".hint", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.as_of == day("2002-06-27")
        assert app.sub_title == "as of Thu 27 Jun 2002"
        table = app.screen.query_one("#flags", DataTable)
        assert [row[:2] for row in rows(table)] == [["upcoming", BAKER_NAME]]
        assert (
            "Next payment: Phillips S. Baker, Jr., installment 1, 66,000.00 by 2002-07-03"
            in str(app.screen.query_one("#totals", Static).render())
        )


async def test_a_date_that_is_not_a_date_is_refused_beside_the_field(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        app.screen.query_one(Input).value = ""
        await paste(pilot, "2002-02-30")
        await pilot.press("enter")
        assert isinstance(app.screen, AsOfModal)
        assert ": not a date: write it YYYY-MM-DD" in str(
            app.screen.query_one(".error", Static).render()
        )
        await pilot.press("escape")
        assert app.as_of == AS_OF


async def test_a_holiday_is_named_beside_the_date(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        app.screen.query_one(Input).value = ""
        await paste(pilot, "2002-07-04")
        hint = str(app.screen.query_one(".hint", Static).render())
        assert hint == "Thursday, Independence Day: not a business day (US)"


async def test_an_alert_is_acknowledged_with_a_note_and_audited(context):
    # The due job flagged installment 1 overdue on 5 July 2002.
    alerts.record_alerts(context, due.find_due(context, day("2002-07-05")))
    app = CompTrackerApp(context, as_of=day("2002-07-05"))
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#alerts", DataTable)
        assert cells(table, 0)[1:] == ["2002-07-05", "overdue", BAKER_NAME, BAKER, "1", "66,036.16"]
        await pilot.press("k")
        assert isinstance(app.screen, AcknowledgeModal)
        await paste(pilot, "wire sent")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#alerts", DataTable)
        assert cells(table, 0)[3] == "None: every alert is acknowledged."
    (line,) = alerts.list_alerts(context, include_acknowledged=True)
    assert line.acknowledged_by == "hr"
    audit = history_of(context, BAKER).audit[0]
    assert (audit.action, audit.actor, audit.after["note"]) == (
        "acknowledge",
        "hr",
        "wire sent",
    )


async def test_help_and_theme(app):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        dark = app.theme
        await pilot.press("t")
        assert app.theme != dark
        await pilot.press("t")
        assert app.theme == dark


async def test_the_palette_finds_the_agreement_by_part_of_a_name(app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(CompTrackerApp, "open_agreement", lambda self, key: opened.append(key))
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await paste(pilot, "baker")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
    assert opened == [BAKER]


async def test_recorded_payments_clear_the_home_screen(context):
    events.record_payment(context, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    app = CompTrackerApp(context, as_of=day("2002-07-05"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#flags", DataTable)
        assert cells(table, 0)[1] == "Nothing needs attention on 2002-07-05."


# -- snapshots ---------------------------------------------------------------------------------


async def _home(pilot) -> None:
    await settle(pilot)


def _at(as_of: dt.date):
    async def run(pilot) -> None:
        pilot.app.as_of = as_of
        await settle(pilot)

    return run


def test_home_snapshot_small(snap_compare, app):
    assert snap_compare(app, terminal_size=SMALL, run_before=_at(day("2002-07-05")))


def test_home_snapshot_large(snap_compare, context):
    alerts.record_alerts(context, due.find_due(context, day("2002-07-05")))
    app = CompTrackerApp(context, as_of=day("2002-07-05"))
    assert snap_compare(app, terminal_size=LARGE, run_before=_home)


def test_as_of_modal_snapshot_small(snap_compare, app):
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run)


def test_help_snapshots(snap_compare, app):
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run)


def test_help_snapshot_large(snap_compare, app):
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=LARGE, run_before=run)


def test_as_of_modal_snapshot_large(snap_compare, app):
    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(app, terminal_size=LARGE, run_before=run)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_acknowledge_modal_snapshots(snap_compare, context, size):
    alerts.record_alerts(context, due.find_due(context, day("2002-07-05")))
    app = CompTrackerApp(context, as_of=day("2002-07-05"))

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)


async def test_a_slow_load_for_an_earlier_date_does_not_overwrite_the_new_one(app, monkeypatch):
    """The as-of date changes while the first load is still running: its late answer is not
    shown under the new date."""
    import threading

    from comp_tracker.services.browse import overview
    from comp_tracker.tui.screens import home

    real = overview.attention  # what the home screen calls
    release = threading.Event()

    def slow_for_the_first_date(ctx, as_of):
        found = real(ctx, as_of)
        if as_of == AS_OF:
            release.wait(5)
        return found

    monkeypatch.setattr(home, "attention", slow_for_the_first_date)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        app.as_of = day("2002-07-05")
        for _ in range(50):  # the new date's load finishes first
            await pilot.pause(0.05)
            if app.screen.query_one("#flags", DataTable).row_count:
                break
        release.set()
        await settle(pilot)
        flags = rows(app.screen.query_one("#flags", DataTable))
        assert [row[-1] for row in flags] == ["66,036.16"]  # as of 5 July, not 30 September
