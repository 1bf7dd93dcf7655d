"""One agreement in detail, as of the app's as-of date.

On top, who the agreement is for and where it stands, and its terms: in plain words on a tall
terminal (what is paid and when, what a late payment costs, which terminations accelerate, what
a change in control does, which law governs), at a glance on a small one. Below, tabs: the
**schedule** (each installment's due date, deadline, amount, status in colour, what is paid,
owed, the late interest and what is earned; Paid and Earned as columns from 100 columns wide,
and for the highlighted row in the line under the table), a **timeline** drawing the same against
the agreement's life (also under the schedule on a tall terminal), the **events** recorded (voided
ones struck through), the **audit log**, and the **terms** in full.

The forms that act on the agreement are modals over this screen: ``p`` pay, ``t`` terminate,
``g`` change in control, ``m`` amend, ``v`` void an event, ``w`` what-if, ``l`` clone. When one
saves something, the screen reloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    InstallmentState,
    Schedule,
    Status,
    standing_of,
)
from comp_tracker.domain.money import round_cents
from comp_tracker.services.agreements.detail import AgreementDetail, agreement_detail
from comp_tracker.services.agreements.history import EventEntry, minute
from comp_tracker.services.context import ServiceError

from ..widgets.tables import Cell, fill
from ..widgets.text import day, money, money_cell, status_text
from ..widgets.timeline import Timeline
from .agreement_terms import terms_at_a_glance, terms_facts, terms_in_words
from .base import BaseScreen

#: From this width the schedule shows the Paid and Earned columns too.
WIDE = 100
#: From this height the terms are written out in full above the tabs (else at a glance).
TALL = 32


def _daily_interest(schedule: Schedule, item: InstallmentState) -> Decimal:
    terms = schedule.terms
    return round_cents(
        item.principal_outstanding * terms.late_interest_rate / terms.day_count.basis
    )


def _amended(found: AgreementDetail) -> bool:
    """Whether an amendment in force is dated on or before the as-of date."""
    return any(isinstance(e, Amendment) and e.date <= found.schedule.as_of for e in found.events)


def _shorten(text: str, width: int) -> str:
    """At most ``width`` characters (the line under the table has it in full)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _recorded(entry: EventEntry) -> str:
    return f"{minute(entry.recorded_at)} UTC by {entry.recorded_by}"


#: What loading the agreement gives: its detail, or why it cannot be shown.
Loaded = AgreementDetail | ServiceError | AgreementError


class AgreementScreen(BaseScreen):
    DESCRIPTION = "One agreement as of the as-of date: terms, schedule, timeline, events, audit."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("p", "pay", "Pay", tooltip="Record a payment to the employee"),
        Binding("t", "terminate", "Terminate", tooltip="Record the end of the employment"),
        Binding("g", "change_control", "Change in control"),
        Binding("m", "amend", "Amend", tooltip="Record a written amendment"),
        Binding("v", "void", "Void event", tooltip="Declare a recorded event a mistake"),
        Binding("w", "what_if", "What if", tooltip="Try events without recording them"),
        Binding("l", "clone", "Clone", tooltip="A new agreement on the same terms"),
    ]

    def __init__(self, agreement_key: str) -> None:
        super().__init__()
        self.agreement_key = agreement_key
        self.detail: AgreementDetail | None = None
        self._wide: bool | None = None
        self._tall: bool | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(self.agreement_key, id="agreement-summary", classes="totals")
        yield Static("Loading…", id="terms")
        with TabbedContent(id="tabs"):
            with TabPane("Schedule", id="tab-schedule"), VerticalScroll(id="schedule-scroll"):
                yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)
                yield Static("", id="schedule-detail", classes="row-detail")
                # On a tall terminal the picture goes under the table too: there is room.
                yield Timeline(id="schedule-timeline")
            with TabPane("Timeline", id="tab-timeline"), VerticalScroll(id="timeline-scroll"):
                yield Timeline(id="timeline")
            with TabPane("Events", id="tab-events"):
                yield DataTable(id="events", cursor_type="row")
                yield Static("", id="event-detail", classes="row-detail")
            with TabPane("Audit", id="tab-audit"), VerticalScroll(id="audit-scroll"):
                yield Static("", id="audit")
            with TabPane("Terms", id="tab-terms"), VerticalScroll(id="terms-scroll"):
                yield Static("", id="terms-words")
                yield Static("", id="terms-facts")

    def on_mount(self) -> None:
        self.query_one("#events", DataTable).add_columns("Id", "Date", "Event", "Void")
        super().on_mount()

    # -- loading ---------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Reload the agreement, off the UI thread (the database may be a shared server)."""
        self.load("agreement-detail", self._read, self._loaded)

    def _read(self, as_of: dt.date) -> Loaded:
        try:
            return agreement_detail(self.context, self.agreement_key, as_of)
        except (ServiceError, AgreementError) as exc:
            return exc

    def _loaded(self, found: Loaded) -> None:
        if not isinstance(found, AgreementDetail):
            self.detail = None
            self.query_one("#agreement-summary", Static).update(
                Text(f"{self.agreement_key}: {found.message}", style="bold red")
            )
            self.query_one("#terms", Static).update("")
            return
        self.detail = found
        self._show_summary(found)
        self._fill_schedule()
        for timeline in self.query(Timeline):
            timeline.show(found.schedule, found.events)
        self._fill_events(found)
        self.query_one("#audit", Static).update(self._audit_table(found))

    def _show_summary(self, found: AgreementDetail) -> None:
        schedule = found.schedule
        terms = schedule.terms
        standing = standing_of(schedule)
        line = Text()
        line.append(f"{terms.employee}", style="bold")
        line.append(f" · {terms.company} · {found.agreement}\n")
        line.append_text(status_text(standing.status))
        owed = standing.principal_outstanding
        interest = standing.interest_outstanding
        line.append(f" · owed {money(owed)}")
        if interest:
            line.append(f" + {money(interest)} interest")
        ended = "ended" if schedule.ends_on <= schedule.as_of else "ends"
        line.append(f" · {ended} {day(schedule.ends_on)} ")
        line.append(f"({schedule.end_reason.value.replace('_', ' ')})")
        self.query_one("#agreement-summary", Static).update(line)
        self._show_terms()
        words = terms_in_words(terms, amended=_amended(found))
        self.query_one("#terms-words", Static).update(words)
        self.query_one("#terms-facts", Static).update(terms_facts(terms))

    def _show_terms(self) -> None:
        """Above the tabs: the terms in full on a tall terminal, at a glance on a small one."""
        if self.detail is None:
            return
        terms = self.detail.schedule.terms
        self._tall = self.size.height >= TALL
        self.query_one("#schedule-timeline", Timeline).display = self._tall
        if self._tall:
            words = terms_in_words(terms, amended=_amended(self.detail))
            self.query_one("#terms", Static).update(words)
        else:
            self.query_one("#terms", Static).update(terms_at_a_glance(terms))

    def _fill_schedule(self) -> None:
        if self.detail is None:
            return
        schedule = self.detail.schedule
        table = self.query_one("#schedule", DataTable)
        wide = self.size.width >= WIDE
        row = table.cursor_row
        columns = ["#", "Due", "Pay by", "Amount", "Status", "Owed", "Interest"]
        if wide:
            columns[5:5] = ["Paid"]
            columns.append("Earned")
        self._wide = wide
        rows: list[tuple[Sequence[Cell], str]] = []
        for item in schedule.installments:
            due = Text(day(item.due))
            if item.accelerated:
                due.append("*", style="bold")
            cells: list[Cell] = [
                str(item.number),
                due,
                "—" if item.status is Status.FORFEITED else day(item.deadline),
                money_cell(item.amount),
                status_text(item.status.value),
                money_cell(item.principal_outstanding),
                money_cell(item.interest_outstanding),
            ]
            if wide:
                cells[5:5] = [money_cell(item.principal_paid + item.interest_paid)]
                cells.append(money_cell(item.earned))
            rows.append((cells, str(item.number)))
        fill(table, columns, rows)
        if schedule.installments:
            table.move_cursor(row=min(row, len(schedule.installments) - 1))
        self._show_installment(table.cursor_row)

    def _show_installment(self, index: int) -> None:
        """The line under the schedule: the highlighted installment in words, then the totals."""
        if self.detail is None:
            return
        schedule = self.detail.schedule
        text = Text()
        if 0 <= index < len(schedule.installments):
            item = schedule.installments[index]
            text.append(f"Installment {item.number}: ", style="bold")
            facts = [
                f"paid {money(item.principal_paid)}"
                + (f" + {money(item.interest_paid)} interest" if item.interest_paid else ""),
                f"earned {money(item.earned)} of {money(item.amount)}",
            ]
            if item.accelerated:
                facts.insert(0, f"accelerated from {day(item.original_due)} to {day(item.due)}")
            if item.principal_forfeited:
                facts.append(
                    f"forfeited {money(item.principal_forfeited)} on {day(item.forfeited_on)}"
                )
            if item.status is Status.OVERDUE and item.principal_outstanding:
                facts.append(f"interest grows {money(_daily_interest(schedule, item))} a day")
            text.append(" · ".join(facts) + "\n")
        total_paid = sum(
            (i.principal_paid + i.interest_paid for i in schedule.installments), Decimal("0.00")
        )
        text.append(
            f"In all: paid {money(total_paid)} · owed {money(schedule.principal_outstanding)}"
        )
        if schedule.interest_outstanding:
            text.append(f" + {money(schedule.interest_outstanding)} interest")
        text.append(f" · earned {money(schedule.earned)}")
        if any(i.accelerated for i in schedule.installments):
            text.append("\n* accelerated: due on the termination date", style="dim")
        for warning in schedule.warnings:
            text.append(f"\nNote: {warning}", style="dark_orange")
        self.query_one("#schedule-detail", Static).update(text)

    def _fill_events(self, found: AgreementDetail) -> None:
        table = self.query_one("#events", DataTable)
        row = table.cursor_row
        table.clear()
        applied = set(found.event_ids)
        for entry in found.history:
            void = entry.void
            style = "strike dim" if void else ("" if entry.id in applied else "dim")
            marked = _shorten(f"void: {void.reason}", 20) if void else ""
            table.add_row(
                Text(str(entry.id), style=style, justify="right"),
                Text(entry.date.isoformat(), style=style),
                Text(entry.describe(), style=style),
                Text(marked, style="dim" if void else ""),
                key=str(entry.id),
            )
        if not found.history:
            table.add_row("", "", "No events recorded: the agreement as signed.", "", key="none")
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)))
        self._show_event(table.cursor_row)

    def _show_event(self, index: int) -> None:
        if self.detail is None:
            return
        history = self.detail.history
        detail = self.query_one("#event-detail", Static)
        if not 0 <= index < len(history):
            detail.update("v voids an event (a mistake): it stays here, struck through.")
            return
        entry = history[index]
        text = Text()
        text.append(f"Event {entry.id}: ", style="bold")
        text.append(f"{entry.date.isoformat()}, {entry.describe()} · recorded {_recorded(entry)}")
        if entry.note:
            text.append(f"\nNote: {entry.note}")
        void = entry.void
        if void is not None:
            when = minute(void.at) if void.at else ""
            text.append(f"\nVoided {when} UTC by {void.by}: {void.reason}", style="bold")
        elif not self.detail.applies(entry):
            text.append("\nDated before this agreement began: it does not apply to it.")
        else:
            text.append("\nv voids it (a reason is required; the preview shows the result).")
        detail.update(text)

    def _audit_table(self, found: AgreementDetail) -> RenderableType:
        if not found.audit:
            return Text("Nothing recorded yet.")
        table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
        table.add_column("When (UTC)", no_wrap=True)
        table.add_column("Who", no_wrap=True)
        table.add_column("What", no_wrap=True, style="bold")
        table.add_column("Summary", ratio=1)
        for entry in found.audit:
            table.add_row(minute(entry.at), entry.actor, entry.action, entry.summary)
        return Group(
            Text("Every change to this agreement, newest first (the log cannot be edited).", "dim"),
            table,
        )

    # -- reacting --------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._wide is not None and (event.size.width >= WIDE) != self._wide:
            self._fill_schedule()
        if self._tall is not None and (event.size.height >= TALL) != self._tall:
            self._show_terms()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "schedule":
            self._show_installment(event.cursor_row)
        elif event.data_table.id == "events":
            self._show_event(event.cursor_row)

    def _selected_event(self) -> int | None:
        """The event highlighted in the events table, when that tab is showing."""
        if self.detail is None or self.query_one(TabbedContent).active != "tab-events":
            return None
        index = self.query_one("#events", DataTable).cursor_row
        if 0 <= index < len(self.detail.history):
            return self.detail.history[index].id
        return None

    # -- actions ---------------------------------------------------------------------------------

    def _open(self, modal: Screen[bool]) -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.refresh_data()

        self.app.push_screen(modal, done)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_pay(self) -> None:
        from ..modals.payment import PaymentModal

        self._open(PaymentModal(self.agreement_key))

    def action_terminate(self) -> None:
        from ..modals.terminate import TerminateModal

        self._open(TerminateModal(self.agreement_key))

    def action_change_control(self) -> None:
        from ..modals.change_control import ChangeInControlModal

        if self.detail is not None:
            self._open(ChangeInControlModal(self.detail.schedule.terms.company))

    def action_amend(self) -> None:
        from ..modals.amend import AmendModal

        self._open(AmendModal(self.agreement_key))

    def action_what_if(self) -> None:
        from ..modals.whatif import WhatIfModal

        self._open(WhatIfModal(self.agreement_key))

    def action_clone(self) -> None:
        from ..modals.clone import CloneModal

        self._open(CloneModal(self.agreement_key))

    def action_void(self) -> None:
        from ..modals.void import VoidModal

        self._open(VoidModal(self.agreement_key, self._selected_event(), detail=self.detail))
