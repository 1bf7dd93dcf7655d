"""The agreement detail screen (screens/agreement.py), its timeline (widgets/timeline.py) and the
void form (modals/void.py), on the Baker agreement as of 2002-09-30.

The standard history: installment 1 paid on 2002-07-01 (66,000.00), then a termination without
cause on 2002-09-16, which accelerates installment 2 (132,000.00) to that day, payable by
2002-09-19; on 2002-09-30 it is overdue with 11 days of interest, 397.81.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from support import BAKER, BAKER_NAME, HECLA, day, usd
from textual.widgets import Button, DataTable, Input, Select, Static, TabbedContent
from ui_support import AS_OF, LARGE, SMALL, click, on_screen, paste, settle

from comp_tracker.cli.render import print_schedule
from comp_tracker.domain import Status, TerminationReason, compute_schedule
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.detail import agreement_detail
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.events import recording as events
from comp_tracker.tui.app import CompTrackerApp
from comp_tracker.tui.modals.void import VoidModal
from comp_tracker.tui.screens.agreement import AgreementScreen
from comp_tracker.tui.screens.agreement_terms import terms_at_a_glance, terms_in_words
from comp_tracker.tui.widgets.text import money
from comp_tracker.tui.widgets.timeline import Timeline, draw_timeline


@pytest.fixture
def history(context) -> dict[str, int]:
    """Installment 1 paid a day late (no interest: within the window), then a termination
    without cause; and a mistaken payment of 1.00 recorded and voided in between."""
    paid = events.record_payment(context, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    mistake = events.record_payment(context, BAKER, day("2002-07-02"), usd("1.00"), 2)
    events.void_event(context, mistake.event_id, "typed against the wrong installment")
    terminated = events.record_termination(
        context, BAKER_NAME, day("2002-09-16"), TerminationReason.WITHOUT_CAUSE
    )
    return {"paid": paid.event_id, "mistake": mistake.event_id, "terminated": terminated.event_id}


def plain(renderable, width: int = 200) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(renderable)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_detail(pilot, tab: str | None = None) -> AgreementScreen:
    await settle(pilot)
    pilot.app.open_agreement(BAKER)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen)
    if tab is not None:
        screen.query_one(TabbedContent).active = tab
        await settle(pilot)
    return screen


# -- what the screen shows -------------------------------------------------------------------------


async def test_schedule_rows_are_the_engines(app, context, history):
    expected = queries.show(context, BAKER, AS_OF)
    two = expected.installments[1]
    assert (two.due, two.status, two.interest_outstanding) == (
        day("2002-09-16"),
        Status.OVERDUE,
        usd("397.81"),
    )
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot)
        table = screen.query_one("#schedule", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "#", "Due", "Pay by", "Amount", "Status", "Owed", "Interest"
        ]  # fmt: skip
        assert rows(table) == [
            ["1", "2002-06-30", "2002-07-03", "66,000.00", "paid", "0.00", "0.00"],
            ["2", "2002-09-16*", "2002-09-19", "132,000.00", "overdue", "132,000.00", "397.81"],
        ]
        status = table.get_row_at(1)[4]
        assert isinstance(status, Text)
        assert "red" in str(status.style)
        # Paid and earned at 80 columns: in the line under the table, for the highlighted row.
        table.move_cursor(row=1)
        await settle(pilot)
        detail = str(screen.query_one("#schedule-detail", Static).content)
        assert "Installment 2: accelerated from 2002-12-31 to 2002-09-16" in detail
        assert "earned 132,000.00 of 132,000.00" in detail
        assert "interest grows 36.16 a day" in detail  # 132,000.00 x 10% / 365
        assert "owed 132,000.00 + 397.81 interest" in detail
        summary = str(screen.query_one("#agreement-summary", Static).content)
        assert "overdue · owed 132,000.00 + 397.81 interest · ended 2002-09-20" in summary


async def test_wide_schedule_has_paid_and_earned(app, context, history):
    expected = queries.show(context, BAKER, AS_OF)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_detail(pilot)
        table = screen.query_one("#schedule", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[5] == "Paid"
        assert labels[-1] == "Earned"
        assert [row[5] for row in rows(table)] == ["66,000.00", "0.00"]
        assert [row[-1] for row in rows(table)] == [money(i.earned) for i in expected.installments]
        # On a tall screen the timeline is under the table too.
        assert screen.query_one("#schedule-timeline", Timeline).display
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert len(table.columns) == 7
        assert not screen.query_one("#schedule-timeline", Timeline).display


async def test_terms_in_plain_words(app, context, history):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot)
        glance = str(screen.query_one("#terms", Static).content)
        assert "accelerates on termination without cause" in glance
        assert "governed by the laws of Idaho" in glance
        words = str(screen.query_one("#terms-words", Static).content)
        assert words.startswith(
            "Hecla Mining Company pays Phillips S. Baker, Jr. 2 installments totalling "
            "$198,000.00 (66,000.00 on 2002-06-30 and 132,000.00 on 2002-12-31)"
        )
        for phrase in (
            "each within 3 business days (US calendar) after its date",
            "10% a year simple interest (ACT/365F)",
            "ends on the earliest of 2003-01-07, the 4th business day after employment ends, "
            "or a change in control",
            "A termination without cause accelerates everything unpaid",
            "any other termination (good reason, resignation, death, disability, for cause, "
            "malfeasance, refusal or felony) or a change in control ends it",
            "Governed by the laws of Idaho.",
        ):
            assert phrase in words
        facts = plain(screen.query_one("#terms-facts", Static).content)
        assert "Accelerates on" in facts
        assert "without cause" in facts
    async with CompTrackerApp(context, as_of=AS_OF).run_test(size=LARGE) as pilot:
        screen = await open_detail(pilot)
        assert "Governed by the laws of Idaho." in str(screen.query_one("#terms", Static).content)


def test_terms_in_words_variants(context):
    terms = queries.show(context, BAKER, AS_OF).terms
    none = dataclasses.replace(terms, accelerate_on=frozenset(), governing_law=None)
    assert "A termination for any reason or a change in control ends it" in terms_in_words(none)
    assert "No governing law is recorded." in terms_in_words(none)
    every = dataclasses.replace(terms, accelerate_on=frozenset(TerminationReason))
    assert "A termination for any reason accelerates everything unpaid" in terms_in_words(every)
    two = dataclasses.replace(
        terms,
        accelerate_on=frozenset({TerminationReason.WITHOUT_CAUSE, TerminationReason.DEATH}),
    )
    assert "A termination without cause or on death accelerates" in terms_in_words(two)
    assert terms_in_words(terms, amended=True).startswith("As amended: Hecla Mining Company pays")


def test_terms_without_interest_or_tail_say_so_without_a_0th(context, baker):
    """An agreement with no interest clause and one that ends the day employment does: no "0%
    a year" interest, no "0th business day"; each screen and the CLI say it the same way."""
    terms = dataclasses.replace(
        baker.terms, late_interest_rate=usd("0"), end_after_termination_business_days=0
    )
    words = terms_in_words(terms)
    assert "late amounts bear no interest." in words
    assert "ends on the earliest of 2003-01-07, the day employment ends, or a change" in words
    assert "0th" not in words
    assert "0%" not in words
    assert "late: none" in terms_at_a_glance(terms)
    assert "late: 10% a year (ACT/365F)" in terms_at_a_glance(baker.terms)
    out = Console(width=200, record=True)
    print_schedule(compute_schedule(terms, [], day("2002-07-05")), out)
    assert "late interest none" in out.export_text()


async def test_timeline_draws_the_installments(app, context, history):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot, "tab-timeline")
        picture = screen.query_one("#timeline", Timeline).plain()
        lines = picture.splitlines()
        assert all(len(line) <= 78 for line in lines)  # 80 columns less the padding
        life = next(line for line in lines if line.startswith("agreement"))
        assert "T" in life
        assert "┄" in life
        one = next(line for line in lines if line.startswith("#1 66,000.00"))
        assert "━" in one
        assert "✓" in one
        two = next(line for line in lines if line.startswith("#2 132,000.00"))
        # Service, due (accelerated), window, overdue, then the rest of the original service.
        assert two.index("━") < two.index("◆") < two.index("▒") < two.index("█")
        assert two.index("█") < two.index("┄") < two.index("◇")
        assert "due 2002-09-16 (accelerated from 2002-12-31)" in picture
        assert "overdue 11 days: owes 132,000.00 + 397.81 interest" in picture
        assert "paid 2002-07-01" in picture
        assert "as of 2002-09-30 ▲" in picture or "▲ as of 2002-09-30" in picture
        assert "▼" in lines[1]  # the as-of date on the axis
        for legend in ("━ service period", "▒ payment window", "█ overdue", "T termination"):
            assert legend in picture
    async with CompTrackerApp(context, as_of=AS_OF).run_test(size=LARGE) as pilot:
        screen = await open_detail(pilot, "tab-timeline")
        wide = screen.query_one("#timeline", Timeline).plain()
        assert max(len(line) for line in wide.splitlines()) > 100  # uses the room


def test_timeline_forfeiture_and_change_in_control(context):
    """A resignation forfeits installment 2; a change in control marks the agreement's line."""
    events.record_termination(context, BAKER_NAME, day("2002-09-16"), TerminationReason.RESIGNATION)
    found = agreement_detail(context, BAKER, AS_OF)
    picture = "\n".join(line.plain for line in draw_timeline(found.schedule, found.events, 80))
    two = next(line for line in picture.splitlines() if line.startswith("#2"))
    assert "✗" in two
    assert "◆" not in two
    assert "forfeited 2002-09-16: 132,000.00" in picture
    one = next(line for line in picture.splitlines() if line.startswith("#1"))
    assert "█" in one  # installment 1 was never paid: overdue from 2002-07-03 to the as-of date

    events.void_event(context, found.event_ids[0], "it was a change in control")
    events.record_change_in_control(context, HECLA, day("2002-08-01"))
    found = agreement_detail(context, BAKER, AS_OF)
    picture = "\n".join(line.plain for line in draw_timeline(found.schedule, found.events, 80))
    life = next(line for line in picture.splitlines() if line.startswith("agreement"))
    assert "C" in life
    assert "T" not in life
    assert "ends 2002-08-01 (change in control)" in picture


async def test_events_with_voided_struck_through(app, context, history):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot, "tab-events")
        table = screen.query_one("#events", DataTable)
        assert rows(table) == [
            [str(history["terminated"]), "2002-09-16", "termination, without cause", ""],
            [str(history["mistake"]), "2002-07-02", "payment of 1.00 to installment 2",
             "void: typed against…"],
            [str(history["paid"]), "2002-07-01", "payment of 66,000.00 to installment 1", ""],
        ]  # fmt: skip
        voided = table.get_row_at(1)
        assert all("strike" in str(cell.style) for cell in voided[:3])
        assert not any("strike" in str(cell.style) for cell in table.get_row_at(0))
        table.focus()
        await pilot.press("down")
        await settle(pilot)
        detail = str(screen.query_one("#event-detail", Static).content)
        assert "Voided 2002-10-01 09:00 UTC by hr: typed against the wrong installment" in detail


async def test_audit_log_lists_the_writes(app, context, history):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot, "tab-audit")
        shown = plain(screen.query_one("#audit", Static).content)
        audit = history_of(context, BAKER).audit
        assert [a.action for a in audit] == ["terminate", "void", "pay", "pay", "import"]
        positions = [shown.index(a.summary) for a in audit]
        assert positions == sorted(positions)  # newest first, as the log has them
        assert "2002-10-01 09:00" in shown
        assert "hr" in shown


async def test_follows_the_as_of_date_and_goes_back(app, history):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot)
        pilot.app.as_of = day("2002-10-31")
        await settle(pilot)
        table = screen.query_one("#schedule", DataTable)
        # 42 days after the deadline: 132,000.00 x 10% x 42 / 365.
        assert str(table.get_row_at(1)[6]) == "1,518.90"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, AgreementScreen)


async def test_each_key_opens_its_form(app):
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot)
        for key, modal in [
            ("p", "PaymentModal"),
            ("t", "TerminateModal"),  # not the app's light/dark toggle on this screen
            ("g", "ChangeInControlModal"),
            ("m", "AmendModal"),
            ("w", "WhatIfModal"),
            ("l", "CloneModal"),
            ("v", "VoidModal"),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert type(pilot.app.screen).__name__ == modal
            await pilot.press("escape")
            await settle(pilot)
            assert pilot.app.screen is screen


# -- voiding -----------------------------------------------------------------------------------


async def test_void_needs_a_reason_previews_and_saves(app, context, history):
    terminated = history["terminated"]
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_detail(pilot, "tab-events")
        screen.query_one("#events", DataTable).focus()  # the termination is the first row
        await pilot.press("v")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, VoidModal)
        assert modal.query_one("#event", Select).value == terminated
        # The preview: installment 2 back on its original date, nothing owed late.
        preview = str(modal.query_one("#preview", Static).content)
        assert "Installment 2 (132,000.00): due 2002-09-16 → 2002-12-31" in preview
        assert "overdue → scheduled" in preview
        assert "interest 397.81 → 0.00" in preview
        assert "Ends 2002-09-20 (termination) → 2003-01-07 (expiry)" in preview
        assert "recorded on the employee" in preview
        # No reason: the error beside the field, and nothing written.
        await click(pilot, "#save")
        await settle(pilot)
        error = modal.query_one("#reason-error", Static)
        assert error.display
        assert "reason is required" in str(error.content)
        assert pilot.app.screen is modal
        entry = next(e for e in history_of(context, BAKER).events if e.id == terminated)
        assert entry.void is None
        # With a reason it is saved, and the screen shows the schedule without the termination.
        modal.query_one("#reason", Input).focus()
        await paste(pilot, "still employed")
        await pilot.press("enter")
        await settle(pilot)
        assert on_screen(pilot) is screen
        found = history_of(context, BAKER)
        after = found.event(terminated)
        assert after is not None
        assert after.void is not None
        assert (after.void.reason, after.void.by) == ("still employed", "hr")
        assert found.audit[0].action == "void"
        two = queries.show(context, BAKER, AS_OF).installments[1]
        assert (two.due, two.status, two.accelerated) == (
            day("2002-12-31"),
            Status.SCHEDULED,
            False,
        )
        schedule = screen.query_one("#schedule", DataTable)
        assert [str(c) for c in schedule.get_row_at(1)[1:5]] == [
            "2002-12-31", "2003-01-06", "132,000.00", "scheduled"
        ]  # fmt: skip
        voided_row = screen.query_one("#events", DataTable).get_row_at(0)
        assert "strike" in str(voided_row[2].style)


async def test_void_asks_which_event(app, context, history):
    async with app.run_test(size=SMALL) as pilot:
        await open_detail(pilot)  # the Schedule tab: no event chosen yet
        await pilot.press("v")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, VoidModal)
        select = modal.query_one("#event", Select)
        assert select.value is Select.NULL
        # Only the events in force can be voided (not the one voided already).
        assert [value for _, value in select._options if value is not Select.NULL] == [
            history["terminated"],
            history["paid"],
        ]
        assert "Choose an event" in str(modal.query_one("#preview", Static).content)
        modal.query_one("#reason", Input).value = "wrong"
        await click(pilot, "#save")
        await settle(pilot)
        assert "Choose the event to void" in str(modal.query_one("#event-error", Static).content)
        # Choosing the payment previews installment 1 unpaid and overdue.
        select.value = history["paid"]
        await settle(pilot)
        preview = str(modal.query_one("#preview", Static).content)
        assert "Installment 1 (66,000.00): due 2002-06-30 · pay by 2002-07-03 · paid → overdue" in (
            preview
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgreementScreen)
    assert all(
        e.void is None or e.id == history["mistake"] for e in history_of(context, BAKER).events
    )


async def test_void_refused_by_the_records_shows_beside_the_event(app, context, history):
    """Someone else voids the event while the form is open: the refusal shows, nothing breaks."""
    async with app.run_test(size=SMALL) as pilot:
        await open_detail(pilot)
        await pilot.press("v")
        await settle(pilot)
        modal = pilot.app.screen
        modal.query_one("#event", Select).value = history["paid"]
        await settle(pilot)
        events.void_event(context, history["paid"], "done elsewhere")
        modal.query_one("#reason", Input).value = "duplicate"
        await click(pilot, "#save")
        await settle(pilot)
        error = modal.query_one("#event-error", Static)
        assert "already voided" in str(error.content)
        assert pilot.app.screen is modal
    entry = next(e for e in history_of(context, BAKER).events if e.id == history["paid"])
    assert entry.void is not None
    assert entry.void.reason == "done elsewhere"


async def test_nothing_to_void(app):
    async with app.run_test(size=SMALL) as pilot:
        await open_detail(pilot)
        await pilot.press("v")
        await settle(pilot)
        modal = pilot.app.screen
        assert modal.query_one("#save", Button).disabled
        assert "Nothing to void" in str(modal.query_one("#preview", Static).content)


# -- snapshots ---------------------------------------------------------------------------------

TABS = ["tab-schedule", "tab-timeline", "tab-events", "tab-audit", "tab-terms"]


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("tab", TABS)
def test_agreement_snapshot(snap_compare, app, history, size, tab):
    async def run_before(pilot) -> None:
        await open_detail(pilot, tab)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_void_modal_snapshot(snap_compare, app, history, size):
    async def run_before(pilot) -> None:
        screen = await open_detail(pilot, "tab-events")
        screen.query_one("#events", DataTable).focus()
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
