"""The forms that record events on an agreement: a payment, a termination, a change in control and
an amendment. Each proposes what it can, previews what saving would do (computed by the engine),
shows every refusal beside the field it is about without writing anything, and records through
the services when saved.

The sample: Baker's agreement, installment 1 of 66,000.00 due Sunday 30 June 2002 (pay by 3 July),
installment 2 of 132,000.00 due 31 December 2002, expiring 7 January 2003; the app as of
30 September 2002.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from support import BAKER, BAKER_NAME, HECLA, day, usd, write_terms
from textual.widgets import Checkbox, Input, Select, Static
from ui_support import LARGE, SMALL, click, paste, settle

from comp_tracker.domain import EndReason, Installment, Status, TerminationReason
from comp_tracker.domain.standing import owed
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.history import EventKind
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.events import recording as events
from comp_tracker.tui.modals.amend import AmendModal, InstallmentRow
from comp_tracker.tui.modals.change_control import ChangeInControlModal
from comp_tracker.tui.modals.event_form import AmountField, ErrorLine
from comp_tracker.tui.modals.payment import PaymentModal
from comp_tracker.tui.modals.terminate import TerminateModal
from comp_tracker.tui.widgets.date_field import DateField
from comp_tracker.tui.widgets.text import money

# -- helpers ---------------------------------------------------------------------------------------


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text on one wide line per line (no wrapping)."""
    console = Console(width=240, file=io.StringIO(), record=True)
    console.print(widget.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def preview(pilot) -> str:
    return text_of(pilot.app.screen.query_one("#preview", Static))


def summary(pilot) -> str:
    return text_of(pilot.app.screen.query_one("#summary", Static))


def error_beside(field: DateField | AmountField | ErrorLine) -> str:
    """The error shown under a field (empty if none)."""
    if isinstance(field, ErrorLine):
        return text_of(field) if field.has_class("-shown") else ""
    if isinstance(field, AmountField):
        return error_beside(field.query_one(ErrorLine))
    error = field.query_one(".error", Static)
    return "" if error.has_class("-empty") else text_of(error)


async def open_form(pilot, modal) -> list[Any]:
    """Push the form over the loaded home screen; the list receives what it is dismissed with."""
    results: list[Any] = []
    await settle(pilot)
    pilot.app.push_screen(modal, results.append)
    await settle(pilot)
    return results


async def retype(pilot, field: Input, text: str, *, by_key: bool = False) -> None:
    """Click into a field, clear it and put ``text`` in: pasted, or typed key by key."""
    field.focus()
    await pilot.pause()
    await pilot.press("home", "ctrl+k")
    if by_key:
        await pilot.press(*text)
    else:
        await paste(pilot, text)
    await settle(pilot)


async def choose(pilot, select: Select[Any], index: int) -> None:
    """Open a select with a blank prompt and pick its ``index``-th option (from 0)."""
    select.focus()
    await pilot.pause()
    await pilot.press("enter", *["down"] * (index + 1), "enter")
    await settle(pilot)


async def save(pilot) -> None:
    await click(pilot, "#save")
    await settle(pilot)


def event_count(context) -> int:
    return len(history_of(context, BAKER).events)


# -- payment -------------------------------------------------------------------------------------


async def test_payment_proposes_the_oldest_installment_and_all_it_owes(app, context):
    async with app.run_test(size=LARGE) as pilot:
        await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        amount = form.query_one("#amount", AmountField)
        # As of 30 September: installment 1 is overdue, 89 days of interest on 66,000.00.
        owed_then = owed(queries.show(context, BAKER, day("2002-09-30")).installments[0])
        assert form.query_one("#installment", Select).value == 1
        assert amount.text == money(owed_then) == "67,609.32"

        # Paid on 5 July: two days late, 66,000.00 + 36.16 interest.
        await retype(pilot, form.query_one("#date", DateField).input, "2002-07-05")
        assert amount.text == "66,036.16"
        assert "Owed that day: 66,036.16 (36.16 interest)" in text_of(amount.query_one(".hint"))
        shown = preview(pilot)
        assert "it owes 66,036.16 (66,000.00 + 36.16 interest)" in shown
        # Interest first, then principal; then what stays owed.
        assert "Installment To interest To principal\n1                 36.16    66,000.00" in shown
        assert "Owed on Fri 5 Jul 2002: 132,000.00" in shown
        assert "Owed on Mon 30 Sep 2002 (the app's date): 132,000.00" in shown
        assert "36.16 to interest and 66,000.00 to principal" in summary(pilot)

        # On the deadline itself nothing is late yet; later, the engine's figure again.
        for date in ("2002-07-03", "2002-12-31"):
            await retype(pilot, form.query_one("#date", DateField).input, date)
            expected = owed(queries.show(context, BAKER, day(date)).installments[0])
            assert amount.text == money(expected)
        assert amount.text != "66,000.00"  # interest by 31 December
    assert event_count(context) == 0  # a preview writes nothing


async def test_an_amount_typed_stays_when_the_date_changes(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        amount = form.query_one("#amount", AmountField)
        # Typed key by key: each key is a change, and none of them lets the proposal back in.
        await retype(pilot, amount.input, "10,000.00", by_key=True)
        await retype(pilot, form.query_one("#date", DateField).input, "2002-07-05", by_key=True)
        assert amount.text == "10,000.00"
        assert "36.16 to interest and 9,963.84 to principal" in summary(pilot)
        assert "Installment To interest To principal\n1                 36.16     9,963.84" in (
            preview(pilot)
        )
        # Cleared: the form proposes the full amount again.
        await retype(pilot, amount.input, "")
        await retype(pilot, form.query_one("#date", DateField).input, "2002-07-08")
        assert amount.text == money(
            owed(queries.show(context, BAKER, day("2002-07-08")).installments[0])
        )


BAD_AMOUNTS = [
    ("66,00", 'amount = "66,00": not an amount: write it like 66000.00 or 66,000.00'),
    # Misgrouped thousands: refused here as on the command line (tests/cli/test_dry_run.py).
    ("6,6000.5", 'amount = "6,6000.5": not an amount: write it like 66000.00 or 66,000.00'),
    ("1.234", "amount = 1.234: must have at most two decimals"),
    ("0", "amount = 0: must be a positive amount"),
    (
        "70,000.00",
        "payment.amount = 70000.00: overpayment: only 66036.16 is owed on installment 1 on "
        "2002-07-05",
    ),
]


async def test_a_bad_amount_is_shown_beside_it_and_nothing_is_written(app, context):
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        await retype(pilot, form.query_one("#date", DateField).input, "2002-07-05")
        amount = form.query_one("#amount", AmountField)
        for typed, error in BAD_AMOUNTS:
            await retype(pilot, amount.input, typed)
            assert error_beside(amount) == error
            assert error_beside(form.query_one("#date", DateField)) == ""
            assert summary(pilot) == f"Cannot be saved: {error}"
            await save(pilot)
            assert isinstance(pilot.app.screen, PaymentModal)  # still open, the error shown
            assert error_beside(amount) == error
        # Emptied: nothing to preview until an amount is typed; saving asks for one.
        await retype(pilot, amount.input, "")
        assert error_beside(amount) == ""
        await save(pilot)
        assert error_beside(amount) == "amount: required: write it like 66000.00"
        assert results == []
    assert event_count(context) == 0


async def test_a_bad_date_is_shown_beside_it_and_nothing_is_written(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        date = form.query_one("#date", DateField)
        await retype(pilot, date.input, "2002-13-01")
        assert error_beside(date) == 'date = "2002-13-01": not a date: write it YYYY-MM-DD'
        await save(pilot)
        assert isinstance(pilot.app.screen, PaymentModal)
        # A date before the agreement: the services' refusal, beside the date.
        await retype(pilot, date.input, "2001-07-05")
        assert error_beside(date) == (
            "payment.date = 2001-07-05: is before the agreement's effective date 2001-11-06"
        )
        assert error_beside(form.query_one("#amount", AmountField)) == ""
        await save(pilot)
        assert isinstance(pilot.app.screen, PaymentModal)
    assert event_count(context) == 0


async def test_a_payment_to_a_forfeited_installment_is_refused_beside_the_installment(app, context):
    events.record_termination(context, BAKER_NAME, day("2002-09-16"), TerminationReason.RESIGNATION)
    async with app.run_test(size=LARGE) as pilot:
        await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        select = form.query_one("#installment", Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # installment 2
        await settle(pilot)
        assert select.value == 2
        amount = form.query_one("#amount", AmountField)
        assert "Installment 2 was forfeited" in text_of(amount.query_one(".hint"))
        await retype(pilot, amount.input, "1000")
        assert error_beside(form.query_one("#installment-error", ErrorLine)) == (
            "payment.installment = 2: installment 2 was forfeited on 2002-09-16; nothing is "
            "payable on it"
        )
        await save(pilot)
        assert isinstance(pilot.app.screen, PaymentModal)
    assert [e.kind for e in history_of(context, BAKER).events] == ["termination"]


async def test_saving_a_payment_records_it(app, context):
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, PaymentModal(BAKER))
        form = pilot.app.screen
        await retype(pilot, form.query_one("#date", DateField).input, "2002-07-05")
        await retype(pilot, form.query_one("#note", Input), "cheque 1042")
        await save(pilot)
        assert results == [True]
        assert not isinstance(pilot.app.screen, PaymentModal)
    [event] = history_of(context, BAKER).events
    assert (event.kind, event.date, event.amount, event.installment) == (
        EventKind.PAYMENT,
        day("2002-07-05"),
        usd("66036.16"),
        1,
    )
    assert event.note == "cheque 1042"
    first = queries.show(context, BAKER, day("2002-09-30")).installments[0]
    assert (first.status, first.interest_paid, first.principal_paid) == (
        Status.PAID,
        usd("36.16"),
        usd("66000.00"),
    )


async def test_escape_cancels_and_writes_nothing(app, context):
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, PaymentModal(BAKER))
        await pilot.press("escape")
        await settle(pilot)
        assert results == [False]
    assert event_count(context) == 0


# -- termination ---------------------------------------------------------------------------------


async def test_termination_without_cause_previews_the_acceleration(app, context):
    async with app.run_test(size=LARGE) as pilot:
        await open_form(pilot, TerminateModal(BAKER))
        form = pilot.app.screen
        assert "Terminate employment · Phillips S. Baker, Jr." in text_of(form.query_one("#title"))
        await retype(pilot, form.query_one("#date", DateField).input, "2002-09-16")
        assert "Pick the reason" in preview(pilot)
        reason = form.query_one("#reason", Select)
        # The reasons in plain words, each saying what it does under Baker's agreement.
        labels = [str(option[0]) for option in reason._options[1:]]
        assert labels == [
            "Without cause · accelerates",
            "Resignation for good reason · forfeits",
            "Resignation · forfeits",
            "Death · forfeits",
            "Total and permanent disability · forfeits",
            "For cause · forfeits",
            "Gross malfeasance or nonfeasance · forfeits",
            "Refusal to follow the Board's directions · forfeits",
            "Felony conviction · forfeits",
        ]
        await choose(pilot, reason, 0)
        assert reason.value is TerminationReason.WITHOUT_CAUSE
        shown = preview(pilot)
        assert "The termination (without cause) on Mon 16 Sep 2002 applies to 1 agreement" in shown
        assert "This reason accelerates under this agreement" in shown
        assert "1  66,000.00 overdue      2002-06-30 2002-07-03" in shown
        assert "2 132,000.00 accelerated  2002-09-16 2002-09-19" in shown
        assert (
            "Installment 2 accelerated: due 2002-09-16 instead of 2002-12-31; pay by 2002-09-19."
        ) in shown
        assert "Ends on 2002-09-20 (termination); it was to end on 2003-01-07 (expiry)." in shown
        assert summary(pilot) == (
            "Preview: hecla-baker-2001-retention: installment 2 accelerated to 2002-09-16 "
            "(pay by 2002-09-19); ends on 2002-09-20."
        )
    assert event_count(context) == 0


async def test_termination_by_resignation_forfeits_and_is_recorded(app, context):
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, TerminateModal(BAKER))
        form = pilot.app.screen
        await retype(pilot, form.query_one("#date", DateField).input, "2002-09-16")
        await choose(pilot, form.query_one("#reason", Select), 2)
        assert form.query_one("#reason", Select).value is TerminationReason.RESIGNATION
        shown = preview(pilot)
        assert "does not accelerate under this agreement" in shown
        assert "2 132,000.00 forfeited    2002-12-31\n" in shown
        assert "Installment 2 forfeited: 132,000.00 will never be payable." in shown
        assert "Ends on 2002-09-20 (termination)" in shown
        assert "132,000.00 forfeited; ends on 2002-09-20." in summary(pilot)
        assert event_count(context) == 0
        await save(pilot)
        assert results == [True]
    [event] = history_of(context, BAKER).events
    assert (event.kind, event.date, event.reason) == (
        EventKind.TERMINATION,
        day("2002-09-16"),
        TerminationReason.RESIGNATION,
    )
    schedule = queries.show(context, BAKER, day("2002-09-30"))
    assert schedule.installments[1].status is Status.FORFEITED
    assert (schedule.ends_on, schedule.end_reason) == (day("2002-09-20"), EndReason.TERMINATION)


async def test_a_second_termination_is_refused_and_nothing_is_written(app, context):
    events.record_termination(context, BAKER_NAME, day("2002-08-01"), TerminationReason.RESIGNATION)
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, TerminateModal(BAKER))
        form = pilot.app.screen
        await choose(pilot, form.query_one("#reason", Select), 0)
        refusal = error_beside(form.query_one("#form-error", ErrorLine))
        assert refusal.startswith(
            'termination = "Phillips S. Baker, Jr.": already has a termination on 2002-08-01'
        )
        await save(pilot)
        assert results == []
        assert summary(pilot).startswith("Cannot be saved: termination")
    assert event_count(context) == 1


# -- change in control ---------------------------------------------------------------------------


async def test_change_in_control_lists_every_agreement_and_is_recorded(app, context):
    async with app.run_test(size=LARGE) as pilot:
        results = await open_form(pilot, ChangeInControlModal(HECLA))
        shown = preview(pilot)
        assert "The change in control on Mon 30 Sep 2002 applies to 1 agreement" in shown
        assert f"{BAKER} · {BAKER_NAME}" in shown
        assert "1  66,000.00 overdue      2002-06-30 2002-07-03" in shown
        assert "2 132,000.00 forfeited    2002-12-31\n" in shown
        assert "Installment 2 forfeited: 132,000.00 will never be payable." in shown
        assert "Ends on 2002-09-30 (change in control); it was to end on 2003-01-07" in shown
        assert event_count(context) == 0
        await save(pilot)
        assert results == [True]
    [event] = history_of(context, BAKER).events
    assert (event.kind, event.date) == (EventKind.CHANGE_IN_CONTROL, day("2002-09-30"))
    schedule = queries.show(context, BAKER, day("2002-10-31"))
    assert (schedule.ends_on, schedule.end_reason) == (
        day("2002-09-30"),
        EndReason.CHANGE_IN_CONTROL,
    )
    assert [i.status for i in schedule.installments] == [Status.OVERDUE, Status.FORFEITED]


async def test_change_in_control_of_a_large_company_lists_every_agreement(app, context, tmp_path):
    """The first agreements in detail, then every other one on a line: none is left unnamed."""
    granite = "Granite Ridge Minerals Corp."
    files = [
        write_terms(tmp_path / f"g{n}.toml", f"granite-{n:02d}", f"Employee {n:02d}", granite)
        for n in range(1, 24)
    ]
    agreements.import_files(context, files)
    async with app.run_test(size=LARGE) as pilot:
        await open_form(pilot, ChangeInControlModal(granite))
        date = pilot.app.screen.query_one("#date", DateField)
        await retype(pilot, date.input, "2022-03-31")
        shown = preview(pilot)
        assert "applies to 23 agreements" in shown
        assert "And 3 more, each under the same rules:" in shown
        for n in range(1, 24):
            assert f"granite-{n:02d} · Employee {n:02d}" in shown
        assert "granite-23 · Employee 23: forfeits 150,000.00; ends 2022-03-31" in shown
    assert event_count(context) == 0


async def test_change_in_control_before_every_agreement_is_refused_beside_the_date(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await open_form(pilot, ChangeInControlModal(HECLA))
        date = pilot.app.screen.query_one("#date", DateField)
        await retype(pilot, date.input, "2001-01-02")
        assert error_beside(date) == (
            "change_in_control.date = 2001-01-02: is before the effective date of every "
            "agreement of Hecla Mining Company (the earliest is 2001-11-06)"
        )
        await save(pilot)
        assert isinstance(pilot.app.screen, ChangeInControlModal)
    assert event_count(context) == 0


# -- amendment -----------------------------------------------------------------------------------


async def test_amendment_extends_and_replaces_installment_2(app, context):
    async with app.run_test(size=LARGE) as pilot:
        results = await open_form(pilot, AmendModal(BAKER))
        form = pilot.app.screen
        assert "Type a new expiry date" in preview(pilot)
        await retype(pilot, form.query_one("#expires", DateField).input, "2003-07-07")
        shown = preview(pilot)
        assert "Expires: 2003-07-07 (was 2003-01-07)" in shown
        assert "Ends: 2003-07-07 (expiry); was 2003-01-07 (expiry)" in shown

        # Replace what is not yet due: installment 2 is filled in, to edit.
        form.query_one("#replace", Checkbox).focus()
        await pilot.pause()
        await pilot.press("space")
        await settle(pilot)
        [row] = form.query(InstallmentRow)
        assert (row.due_field.value, row.amount_field.text) == (day("2002-12-31"), "132,000.00")
        await retype(pilot, row.due_field.input, "2003-06-30")
        shown = preview(pilot)
        assert "Replaced (not yet due on 2002-09-30): 2 · 132,000.00 due 2002-12-31" in shown
        assert "2 2003-06-30 2003-07-03 132,000.00 scheduled 132,000.00" in shown
        assert summary(pilot) == (
            "Preview: expires 2003-07-07 (was 2003-01-07); installments not yet due become "
            "132,000.00 due 2003-06-30; ends 2003-07-07 (expiry)."
        )
        assert event_count(context) == 0
        await save(pilot)
        assert results == [True]
    [event] = history_of(context, BAKER).events
    assert (event.kind, event.date, event.expires, event.installments) == (
        EventKind.AMENDMENT,
        day("2002-09-30"),
        day("2003-07-07"),
        (Installment(day("2003-06-30"), usd("132000.00")),),
    )
    schedule = queries.show(context, BAKER, day("2002-09-30"))
    assert schedule.terms.expires == day("2003-07-07")
    assert [(i.due, i.amount) for i in schedule.installments] == [
        (day("2002-06-30"), usd("66000.00")),
        (day("2003-06-30"), usd("132000.00")),
    ]


async def test_amendment_refusals_are_shown_beside_their_fields(app, context):
    async with app.run_test(size=SMALL) as pilot:
        results = await open_form(pilot, AmendModal(BAKER))
        form = pilot.app.screen
        await save(pilot)  # nothing changed: nothing to record
        assert error_beside(form.query_one("#form-error", ErrorLine)).startswith(
            "Nothing to record"
        )
        form.query_one("#replace", Checkbox).focus()
        await pilot.pause()
        await pilot.press("space")
        await settle(pilot)
        [row] = form.query(InstallmentRow)
        # Due after the expiry, which is not moved.
        await retype(pilot, row.due_field.input, "2003-06-30")
        assert error_beside(form.query_one("#installments-error", ErrorLine)) == (
            'amendment.installments = "2003-06-30": installment 2 is due on 2003-06-30, after '
            "the agreement expires on 2003-01-07"
        )
        # Due before the amendment: an amendment never rewrites what was already due.
        await retype(pilot, row.due_field.input, "2002-09-01")
        assert error_beside(row.due_field) == (
            "amendment.installments[1].due = 2002-09-01: must be after the amendment's date "
            "2002-09-30: an amendment never rewrites what was already due"
        )
        await retype(pilot, row.amount_field.input, "12,34")
        assert "not an amount" in error_beside(row.amount_field)
        await save(pilot)
        assert results == []
        # Removing the row cancels what is not yet due, which the engine accepts.
        form.query_one(".remove").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert not form.query(InstallmentRow)
        assert "No new installment: those not yet due are cancelled." in preview(pilot)
    assert event_count(context) == 0


# -- snapshots -----------------------------------------------------------------------------------


async def _payment(pilot) -> None:
    await open_form(pilot, PaymentModal(BAKER))


async def _terminate(pilot) -> None:
    await open_form(pilot, TerminateModal(BAKER))
    await choose(pilot, pilot.app.screen.query_one("#reason", Select), 0)


async def _change_in_control(pilot) -> None:
    await open_form(pilot, ChangeInControlModal(HECLA))


async def _amend(pilot) -> None:
    await open_form(pilot, AmendModal(BAKER))
    form = pilot.app.screen
    await retype(pilot, form.query_one("#expires", DateField).input, "2003-07-07")
    form.query_one("#replace", Checkbox).focus()
    await pilot.pause()
    await pilot.press("space")
    await settle(pilot)


#: Each form as it opens from the agreement on 30 September 2002, with the choice that shows its
#: preview: the payment proposed; a termination without cause that day; a change in control that
#: day; the expiry moved to 7 July 2003 with installment 2 open for replacing.
SNAPSHOTS = {
    "payment": _payment,
    "terminate": _terminate,
    "change-in-control": _change_in_control,
    "amend": _amend,
}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("form", list(SNAPSHOTS))
def test_event_form_snapshots(snap_compare, app, form, size):
    assert snap_compare(app, terminal_size=size, run_before=SNAPSHOTS[form])
