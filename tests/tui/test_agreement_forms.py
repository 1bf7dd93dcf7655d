"""The new-agreement, clone and what-if forms, driven with key presses over the sample data.

Each test checks what the form shows (errors beside the fields, the preview, the highlighted
cells) and what the database holds afterwards (through the services): a refused save writes
nothing, a good one writes exactly what the form said, and a what-if left with Escape writes
nothing at all.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.table import Table
from rich.text import Text
from support import BAKER, BAKER_NAME, HECLA, day
from textual.widgets import Button, DataTable, Input, Static, TextArea
from ui_support import AS_OF, LARGE, SMALL, on_screen, paste, released, settle

from comp_tracker.domain import Installment, Status, TerminationReason
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.creating import clone_agreement
from comp_tracker.services.agreements.history import EventKind
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.context import NotFound
from comp_tracker.tui.modals.clone import CloneModal
from comp_tracker.tui.modals.new_agreement import NewAgreementModal
from comp_tracker.tui.modals.new_agreement_rows import InstallmentRow
from comp_tracker.tui.modals.whatif import WhatIfModal
from comp_tracker.tui.modals.whatif_parts import HIGHLIGHT, ConfirmRecordModal
from comp_tracker.tui.widgets.date_field import DateField

NEW_KEY = "acme-public-2002-retention"


def shown(static: Static) -> str:
    """The text a Static shows (for a Rich table: its cells, row by row)."""
    content = static.content
    if isinstance(content, Table):
        columns = [list(column.cells) for column in content.columns]
        return "\n".join(" ".join(str(c) for c in row) for row in zip(*columns, strict=True))
    return str(content)


def column(static: Static, heading: str) -> list[Text]:
    """The cells of one column of a Rich table a Static shows."""
    table = static.content
    assert isinstance(table, Table)
    found = next(c for c in table.columns if c.header == heading)
    return [cell if isinstance(cell, Text) else Text(str(cell)) for cell in found.cells]


def highlighted(cell: Text) -> bool:
    return any(str(span.style) == HIGHLIGHT for span in cell.spans) or str(cell.style) == HIGHLIGHT


async def type_in(pilot, widget, text: str) -> None:
    """Focus the field and type, as a person would (clearing what is there first)."""
    target = widget.input if isinstance(widget, DateField) else widget
    target.focus()
    await pilot.pause()
    if isinstance(target, Input):
        await pilot.press("home", "ctrl+k")
    if text:
        await paste(pilot, text)
    await pilot.pause()


async def push(pilot, modal):
    """Push ``modal`` and return a list that will hold its result."""
    results: list[bool | None] = []
    await settle(pilot)
    pilot.app.push_screen(modal, results.append)
    await settle(pilot)
    return results


def event_count(context) -> int:
    return len(history_of(context, BAKER).events)


# -- new agreement -------------------------------------------------------------------------------


async def fill_new_agreement(pilot, modal: NewAgreementModal, due: str, amount: str) -> None:
    """Company, employee, dates and one installment, typed field after field with Tab."""
    await paste(pilot, "Acme Corp")
    await pilot.press("tab")
    await paste(pilot, "Jane Q. Public")
    await pilot.press("tab", "tab")
    await paste(pilot, "2002-01-15")
    await pilot.press("tab")
    await paste(pilot, "2003-12-31")
    await pilot.press("tab")
    await paste(pilot, due)
    await pilot.press("tab")
    await paste(pilot, amount)
    await pilot.press("tab")
    await pilot.pause()


async def test_new_agreement_refuses_a_bad_installment_then_saves(app, context):
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        modal = NewAgreementModal()
        results = await push(pilot, modal)
        await fill_new_agreement(pilot, modal, "2002-13-45", "5000.123")

        # The id was suggested from the company, the employee and the year.
        assert modal.query_one("#agreement-id", Input).value == NEW_KEY
        [row] = modal.query(InstallmentRow)
        due_error = row.due.query_one(".error", Static)
        assert 'date = "2002-13-45": not a date' in shown(due_error)
        amount_error = modal.query_one(f"#amount-{row.key}-error", Static)
        assert shown(amount_error) == (
            "agreement.installments[1].amount = 5000.123: must have at most two decimals"
        )
        assert "installment 1 due, installment 1 amount" in shown(
            modal.query_one("#preview-note", Static)
        )

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert on_screen(pilot) is modal
        assert results == []
        assert "Nothing was saved" in shown(modal.query_one("#save-error", Static))
        with pytest.raises(NotFound):
            queries.show(context, NEW_KEY, AS_OF)
        assert [line.agreement for line in queries.list_agreements(context, AS_OF)] == [BAKER]

        # Misgrouped thousands are refused as in the event forms and on the command line.
        await type_in(pilot, row.amount, "5,00.12")
        assert shown(amount_error) == (
            'agreement.installments[1].amount = "5,00.12": not an amount: write it like 66000.00 '
            "or 66,000.00"
        )

        # Corrected, and a second installment added with the button.
        await type_in(pilot, row.due, "2002-06-28")
        await type_in(pilot, row.amount, "5,000.12")
        assert shown(due_error) == ""
        assert shown(amount_error) == ""
        modal.query_one("#add-installment", Button).focus()
        await pilot.press("enter")
        await settle(pilot)
        second = list(modal.query(InstallmentRow))[1]
        assert pilot.app.focused is second.due.input
        await paste(pilot, "2003-06-30")
        await pilot.press("tab")
        await paste(pilot, "10000")
        await pilot.press("enter")
        await settle(pilot)
        # Enter moved on past the row's Remove button (a second Enter would not remove it).
        assert pilot.app.focused is modal.query_one("#add-installment", Button)

        # The preview: the terms in words and the engine's schedule as of the app's date.
        summary = shown(modal.query_one("#summary", Static))
        assert summary.startswith(
            "Acme Corp pays Jane Q. Public 2 installments totalling 15,000.12"
        )
        schedule = modal.query_one("#preview-table", Static)
        assert [c.plain for c in column(schedule, "Pay by")] == ["2002-07-03", "2003-07-03"]
        assert [c.plain for c in column(schedule, "Status")] == ["overdue", "scheduled"]

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results == [True]
        assert modal.created == NEW_KEY

    stored = queries.show(context, NEW_KEY, AS_OF)
    assert stored.terms.installments == (
        Installment(day("2002-06-28"), Decimal("5000.12")),
        Installment(day("2003-06-30"), Decimal("10000")),
    )
    assert (stored.terms.company, stored.terms.employee) == ("Acme Corp", "Jane Q. Public")
    assert stored.terms.late_interest_rate == Decimal("0.10")
    assert stored.terms.accelerate_on == frozenset({TerminationReason.WITHOUT_CAUSE})
    assert [a.action for a in history_of(context, NEW_KEY).audit] == ["create"]


async def test_n_opens_the_new_agreement_form_from_anywhere(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, NewAgreementModal)
        assert pilot.app.focused is modal.query_one("#company", Input)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NewAgreementModal)
    assert [line.agreement for line in queries.list_agreements(context, AS_OF)] == [BAKER]


async def test_new_agreement_errors_beside_their_fields(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        modal = NewAgreementModal()
        results = await push(pilot, modal)
        await paste(pilot, "Hecla")
        await pilot.press("tab")
        await paste(pilot, "Baker")
        await pilot.press("tab", "tab")
        await paste(pilot, "2001-11-06")
        await pilot.press("tab")
        await paste(pilot, "2001-01-07")
        await pilot.press("tab")
        await pilot.pause()
        # The suggestion is the sample's id, which is taken; and expiry before the start.
        assert modal.query_one("#agreement-id", Input).value == BAKER
        expires = modal.query_one("#expires", DateField)
        assert "is before the effective date 2001-11-06" in shown(
            expires.query_one(".error", Static)
        )
        await type_in(pilot, expires, "2003-01-07")
        [row] = modal.query(InstallmentRow)
        await type_in(pilot, row.due, "2002-06-30")
        await type_in(pilot, row.amount, "66000")
        await type_in(pilot, modal.query_one("#rate", Input), "150")
        assert "from 0% to 100%" in shown(modal.query_one("#rate-error", Static))
        await type_in(pilot, modal.query_one("#rate", Input), "10")
        assert shown(modal.query_one("#agreement-id-error", Static)) == (
            f'agreement.id = "{BAKER}": already exists'
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results == []
        assert pilot.app.focused is modal.query_one("#agreement-id", Input)
        await pilot.press("escape")
        await settle(pilot)
        assert results == [False]
    assert [line.agreement for line in queries.list_agreements(context, AS_OF)] == [BAKER]


# -- clone ---------------------------------------------------------------------------------------


async def test_clone_for_two_employees(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        modal = CloneModal(BAKER)
        results = await push(pilot, modal)
        assert pilot.app.focused is modal.query_one("#names", TextArea)
        assert modal.query_one("#save", Button).disabled
        await paste(pilot, "Jane Doe")
        await pilot.press("enter")
        await paste(pilot, "John  Roe")
        await pilot.press("enter")
        await settle(pilot)
        preview = shown(modal.query_one("#preview", Static))
        assert "Will create 2 agreement(s)" in preview
        assert f"{BAKER}-jane-doe for Jane Doe: 66,000.00 on 2002-06-30" in preview
        assert f"{BAKER}-john-roe for John Roe" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results == [True]

    keys = {line.agreement for line in queries.list_agreements(context, AS_OF)}
    assert keys == {BAKER, f"{BAKER}-jane-doe", f"{BAKER}-john-roe"}
    baker = queries.show(context, BAKER, AS_OF).terms
    for key, name in ((f"{BAKER}-jane-doe", "Jane Doe"), (f"{BAKER}-john-roe", "John Roe")):
        clone = queries.show(context, key, AS_OF).terms
        assert (clone.employee, clone.company) == (name, HECLA)
        assert clone.installments == baker.installments


async def test_clone_refuses_names_beside_the_field(app, context):
    clone_agreement(context, BAKER, ["Jane Doe"])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        modal = CloneModal(BAKER)
        results = await push(pilot, modal)
        error = modal.query_one("#names-error", Static)
        await paste(pilot, "Jane Doe")
        await settle(pilot)
        assert shown(error) == (
            f'employee = "Jane Doe": already has this agreement ({BAKER}-jane-doe)'
        )
        assert modal.query_one("#save", Button).disabled
        modal.query_one("#names", TextArea).clear()
        await paste(pilot, BAKER_NAME)
        await settle(pilot)
        assert f"is already the party to {BAKER}" in shown(error)
        modal.query_one("#names", TextArea).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "must not be empty" in shown(error)
        assert results == []
        await pilot.press("escape")
        await settle(pilot)
        assert results == [False]
    keys = {line.agreement for line in queries.list_agreements(context, AS_OF)}
    assert keys == {BAKER, f"{BAKER}-jane-doe"}


# -- what-if -------------------------------------------------------------------------------------


async def add_termination(pilot, modal: WhatIfModal, date: str = "2002-09-16") -> None:
    """A termination (the form's first kind; without cause, its first reason) on ``date``."""
    assert pilot.app.focused is modal.query_one("#event-date", DateField).input
    await paste(pilot, date)
    await pilot.press("enter")
    await settle(pilot)


async def test_what_if_termination_accelerates_and_escape_writes_nothing(app, context):
    audit_before = history_of(context, BAKER).audit
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        modal = WhatIfModal(BAKER)
        results = await push(pilot, modal)
        await add_termination(pilot, modal)

        events = modal.query_one("#events", DataTable)
        assert events.get_row_at(0) == ["1", "Termination on 2002-09-16, without cause"]
        real = modal.query_one("#real-table", Static)
        hypothetical = modal.query_one("#hypothetical-table", Static)
        real_due, what_if_due = column(real, "Due"), column(hypothetical, "Due")
        assert [c.plain for c in real_due] == ["2002-06-30", "2002-12-31"]
        assert [c.plain for c in what_if_due] == ["2002-06-30", "2002-09-16*"]
        assert highlighted(what_if_due[1])
        assert not highlighted(what_if_due[0])
        what_if_status = column(hypothetical, "Status")
        assert what_if_status[1].plain == "overdue"
        assert highlighted(what_if_status[1])
        assert [c.plain for c in column(hypothetical, "Interest")] == ["1,609.32", "397.81"]
        differences = shown(modal.query_one("#differences", Static))
        assert "Ends 2003-01-07 (expiry) → 2002-09-20 (termination)" in differences
        assert "Installment 2: accelerated; due 2002-12-31 → 2002-09-16" in differences
        assert modal.comparison is not None
        assert modal.comparison.hypothetical.installments[1].accelerated

        await pilot.press("escape")
        await settle(pilot)
        assert results == [False]

    history = history_of(context, BAKER)
    assert history.events == ()
    assert history.audit == audit_before
    assert queries.show(context, BAKER, AS_OF).installments[1].status is Status.SCHEDULED


async def test_what_if_refusals_beside_the_fields_and_remove(app, context):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        modal = WhatIfModal(BAKER)
        await push(pilot, modal)
        await add_termination(pilot, modal, "2001-01-02")
        date_error = modal.query_one("#event-date", DateField).query_one(".error", Static)
        assert shown(date_error) == (
            # Exactly what recording it would say: the termination is of the employee.
            "what-if event 1.date = 2001-01-02: is before the effective date of every agreement "
            "of Phillips S. Baker, Jr. (the earliest is 2001-11-06)"
        )
        assert modal.events == []
        await type_in(pilot, modal.query_one("#event-date", DateField), "2002-09-16")
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, modal.query_one("#event-date", DateField), "2002-10-01")
        await pilot.press("enter")
        await settle(pilot)
        assert shown(modal.query_one("#event-error", Static)) == (
            'what-if event 2 = "Phillips S. Baker, Jr.": already has a termination on 2002-09-16 '
            "(what-if event 1); void it first to record a different one"
        )
        assert len(modal.events) == 1
        modal.query_one("#remove-event", Button).press()
        await settle(pilot)
        assert modal.events == []
        assert modal.query_one("#record", Button).disabled
        assert modal.comparison is not None
        assert modal.comparison.differences == ()
    assert event_count(context) == 0


async def test_what_if_records_exactly_the_event_after_confirming(app, context):
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        modal = WhatIfModal(BAKER)
        results = await push(pilot, modal)
        await add_termination(pilot, modal)

        # Cancelling the confirmation writes nothing.
        modal.query_one("#record", Button).press()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmRecordModal)
        await pilot.press("escape")
        await settle(pilot)
        assert on_screen(pilot) is modal
        assert event_count(context) == 0

        await released(pilot, modal.query_one("#record", Button))
        modal.query_one("#record", Button).focus()
        await pilot.press("enter")
        await settle(pilot)
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmRecordModal)
        assert shown(confirm.query_one("#to-record", Static)) == (
            f"1. Termination of {BAKER_NAME}'s employment on 2002-09-16, without cause (it "
            f"applies to every agreement of {BAKER_NAME} in force that day)"
        )
        confirm.query_one("#confirm", Button).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert results == [True]

    [event] = history_of(context, BAKER).events
    assert (event.kind, event.date, event.reason) == (
        EventKind.TERMINATION,
        day("2002-09-16"),
        TerminationReason.WITHOUT_CAUSE,
    )
    assert event.void is None
    assert event.recorded_by == "hr"
    schedule = queries.show(context, BAKER, AS_OF)
    assert schedule.installments[1].accelerated
    assert schedule.installments[1].due == day("2002-09-16")


# -- snapshots -----------------------------------------------------------------------------------


SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])


@SIZES
def test_new_agreement_snapshot(snap_compare, app, size):
    async def run_before(pilot) -> None:
        modal = NewAgreementModal()
        await push(pilot, modal)
        # Filled in directly (typing is what the tests above check): one amount in error.
        for selector, value in (("#company", "Acme Corp"), ("#employee", "Jane Q. Public")):
            modal.query_one(selector, Input).value = value
        modal.query_one("#effective", DateField).input.value = "2002-01-15"
        modal.query_one("#expires", DateField).input.value = "2003-12-31"
        [row] = modal.query(InstallmentRow)
        row.due.input.value = "2002-06-28"
        row.amount.value = "5000.123"
        await settle(pilot)
        row.amount.focus()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_clone_snapshot(snap_compare, app, size):
    async def run_before(pilot) -> None:
        await push(pilot, CloneModal(BAKER))
        await paste(pilot, "Jane Doe")
        await pilot.press("enter")
        await paste(pilot, "John Roe")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_what_if_snapshot(snap_compare, app, size):
    async def run_before(pilot) -> None:
        modal = WhatIfModal(BAKER)
        await push(pilot, modal)
        await add_termination(pilot, modal)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_what_if_confirmation_snapshot(snap_compare, app, size):
    async def run_before(pilot) -> None:
        modal = WhatIfModal(BAKER)
        await push(pilot, modal)
        await add_termination(pilot, modal)
        modal.query_one("#record", Button).press()
        await settle(pilot)
        await released(pilot, modal.query_one("#record", Button))  # drawn as it will stay

    assert snap_compare(app, terminal_size=size, run_before=run_before)
