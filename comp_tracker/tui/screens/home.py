"""Home: what needs attention on the as-of date.

From the due job's module (``services.due.job`` through ``services.browse.overview``): installments
upcoming within three business days, in their payment window (pay by the deadline) and overdue
(with the interest so far and what a day adds), the totals of each, and the due job's alerts
not yet acknowledged, which HR acknowledges here (``k``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from comp_tracker.domain import Stage
from comp_tracker.services.browse.overview import Attention, attention

from ..widgets.tables import Cell, fill
from ..widgets.text import day, money, money_cell, status_text
from .base import BaseScreen

#: From this many columns the tables show every column.
WIDE = 110
#: The table shows the first this many flags, the most urgent (the totals count them all): a
#: large book can flag ten thousand, and a table of them all took two seconds to draw.
SHOWN = 200

STAGE_LABELS = {
    Stage.OVERDUE: "overdue",
    Stage.IN_WINDOW: "in window",
    Stage.UPCOMING: "upcoming",
}


class HomeScreen(BaseScreen):
    DESCRIPTION = (
        "What needs attention: payments upcoming within 3 business days, in their payment "
        "window (pay by the deadline) and overdue. Enter opens the agreement."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "acknowledge", "Acknowledge"),
        Binding("enter", "open", "Open agreement", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.attention: Attention | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="totals", classes="totals")
        yield DataTable(id="flags", cursor_type="row", zebra_stripes=True)
        yield Static("Alerts from the due job, not yet acknowledged", classes="section-title")
        yield DataTable(id="alerts", cursor_type="row")

    def on_mount(self) -> None:
        self._wide = self.app.size.width >= WIDE
        super().on_mount()

    def on_resize(self) -> None:
        wide = self.app.size.width >= WIDE
        if wide != self._wide:
            self._wide = wide
            if self.attention is not None:
                self._show(self.attention)

    def refresh_data(self) -> None:
        self.load("home", lambda as_of: attention(self.context, as_of), self._show)

    def _show(self, found: Attention) -> None:
        self.attention = found
        totals = found.totals
        overdue, window, upcoming = (
            totals[Stage.OVERDUE],
            totals[Stage.IN_WINDOW],
            totals[Stage.UPCOMING],
        )
        lines = Text()
        lines.append(f"Overdue: {overdue.count} ", style="bold red" if overdue.count else "")
        lines.append(
            f"· principal {money(overdue.principal)} · interest so far {money(overdue.interest)}"
            f" (+{money(overdue.daily_interest)} a day)\n"
        )
        lines.append(f"In window: {window.count} ", style="bold" if window.count else "")
        lines.append(f"· {money(window.owed)}   ")
        lines.append(f"Upcoming: {upcoming.count} · {money(upcoming.owed)}\n")
        following = found.next_payment
        if following is not None:
            lines.append(
                f"Next payment: {following.employee}, installment {following.installment}, "
                f"{money(following.owed)} by {day(following.deadline)}"
            )
        else:
            lines.append("No payment is due within 3 business days.")
        self.query_one("#totals", Static).update(lines)

        # At 80 columns the agreement id, due date and principal are left to the detail screen.
        wide = self._wide
        names = ["Stage", "Employee", "Agreement", "#", "Due", "Pay by", "Principal", "Interest"]
        keep = [True, True, wide, True, wide, True, wide, True]
        rows: list[tuple[list[Cell], str]] = []
        for index, flag in enumerate(found.flags[:SHOWN]):
            values: tuple[Cell, ...] = (
                status_text(flag.stage.value),
                flag.employee,
                flag.agreement,
                str(flag.installment),
                day(flag.due),
                day(flag.deadline),
                money_cell(flag.principal_owed),
                money_cell(flag.interest_owed),
            )
            row: list[Cell] = [v for v, k in zip(values, keep, strict=True) if k]
            rows.append(([*row, money_cell(flag.owed)], str(index)))
        if len(found.flags) > SHOWN:
            more = len(found.flags) - SHOWN
            rows.append(
                (["", f"… and {more:,} more: the Agreements screen (a) filters by status."], "none")
            )
        if not found.flags:
            rows.append((["", f"Nothing needs attention on {day(found.as_of)}."], "none"))
        headers = [n for n, k in zip(names, keep, strict=True) if k]
        fill(self.query_one("#flags", DataTable), [*headers, "Owed"], rows)

        names = ["Alert", "Flagged", "Stage", "Employee", "Agreement", "#"]
        keep = [True, True, True, True, wide, True]
        alert_rows: list[tuple[list[Cell], str]] = []
        for alert in found.alerts:
            alert_values: tuple[Cell, ...] = (
                str(alert.alert_id),
                day(alert.flagged_on),
                status_text(alert.stage.value),
                alert.employee,
                alert.agreement,
                str(alert.installment),
            )
            cells: list[Cell] = [v for v, k in zip(alert_values, keep, strict=True) if k]
            alert_rows.append(([*cells, money_cell(alert.owed_when_flagged)], str(alert.alert_id)))
        if not found.alerts:
            alert_rows.append((["", "", "", "None: every alert is acknowledged."], "none"))
        headers = [n for n, k in zip(names, keep, strict=True) if k]
        fill(self.query_one("#alerts", DataTable), [*headers, "Owed then"], alert_rows)
        self.call_after_refresh(self.tracker.startup_loaded)

    def action_open(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or self.attention is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None or key == "none":
            return
        if table.id == "flags":
            self.tracker.open_agreement(self.attention.flags[int(key)].agreement)
        else:
            alert = next(a for a in self.attention.alerts if str(a.alert_id) == key)
            self.tracker.open_agreement(alert.agreement)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_acknowledge(self) -> None:
        from ..modals.acknowledge import AcknowledgeModal

        if self.attention is None or not self.attention.alerts:
            self.notify("There is no alert to acknowledge.", severity="warning")
            return
        table = self.query_one("#alerts", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        alert = next((a for a in self.attention.alerts if str(a.alert_id) == key), None)
        if alert is None:
            return

        def done(acknowledged: bool | None) -> None:
            if acknowledged:
                self.refresh_data()

        self.app.push_screen(AcknowledgeModal(alert), done)
