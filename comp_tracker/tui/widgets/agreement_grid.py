"""The Agreements table: a grid that draws only the lines on the screen, so that 100,000 rows
cost nothing to show or scroll (the screen, :mod:`comp_tracker.tui.screens.agreements`, feeds it
a :class:`~comp_tracker.services.browse.table.Browser` and the rows to show).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from comp_tracker.domain.money import from_cents
from comp_tracker.services.browse.figures import DayFigures
from comp_tracker.services.browse.table import (
    DEFAULT_SORT,
    AgreementRow,
    Browser,
)

from .grid_columns import COLUMNS, MONEY_COLUMNS, PENDING, Column, fit, share_room
from .text import STATUS_STYLES, day, money

#: The colour of each status (``widgets.text.STATUS_STYLES``), parsed once.
STATUS_RICH = {name: Style.parse(style) for name, style in STATUS_STYLES.items() if style}


class AgreementGrid(ScrollView, can_focus=True):
    """A table of agreement rows that draws only the lines on the screen (any number of rows).

    The rows (indices into a :class:`Browser`) and the figures of the as-of date are given by
    the screen (``show``, ``day``); the grid posts
    :class:`Viewed` when the rows on the screen change (so their figures can be fetched),
    :class:`Moved` when the cursor does, :class:`Selected` on Enter or a click on the cursor's
    row, and :class:`SortClicked` on a click on a column's header.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grid--header",
        "grid--cursor",
        "grid--even-row",
        "grid--pending",
        "grid--empty",
    }
    DEFAULT_CSS = """
    AgreementGrid {
        background: $surface;
        color: $foreground;
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .grid--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .grid--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:dark > .grid--even-row {
            background: $surface-darken-1 40%;
        }
        & > .grid--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .grid--pending {
            color: $text-muted;
        }
        & > .grid--empty {
            color: $text-muted;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open agreement", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    class Viewed(Message):
        """The rows on the screen are ``rows[first:end]`` (only the latest counts)."""

        def __init__(self, first: int, end: int) -> None:
            super().__init__()
            self.first = first
            self.end = end

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AgreementGrid.Viewed)

    class Moved(Message):
        """The cursor is on ``row`` (None: there is no row)."""

        def __init__(self, row: AgreementRow | None) -> None:
            super().__init__()
            self.row = row

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AgreementGrid.Moved)

    class Selected(Message):
        def __init__(self, row: AgreementRow) -> None:
            super().__init__()
            self.row = row

    class SortClicked(Message):
        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.browser: Browser | None = None
        self.rows: Sequence[int] = ()
        self.day: DayFigures | None = None
        self.cursor = 0
        self.sort = DEFAULT_SORT
        self.descending = False
        #: What the grid says when there are no rows.
        self.empty_text = "Loading…"
        self._widths: list[tuple[Column, int]] = []
        self._layout: tuple[int, int, int, bool, int] | None = None
        #: Whether a row drawn since the last refresh was waiting for its figures.
        self.pending = False
        self._longest: dict[str, int] = {}
        self._longest_of: Browser | None = None

    # -- what the screen calls ---------------------------------------------------------------

    def show(self, browser: Browser, rows: Sequence[int], *, keep: int | None = None) -> None:
        """Show ``rows`` of ``browser``; the cursor stays on the agreement ``keep`` (an agreement
        id) if it is among them."""
        self.browser = browser
        self.rows = rows
        cursor = 0
        if keep is not None:
            index = browser.index_of.get(keep)
            if index is not None and index in rows:
                cursor = rows.index(index)
        self._update_virtual_size()
        self._move(cursor, centre=True)
        self.refresh()
        self._post_viewed()

    @property
    def current(self) -> AgreementRow | None:
        """The row under the cursor."""
        if self.browser is None or not 0 <= self.cursor < len(self.rows):
            return None
        return self.browser.row(self.rows[self.cursor])

    def visible_range(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, min(len(self.rows), top + self._body_height())

    def cell_texts(self, index: int) -> list[str]:
        """The texts of row ``index``'s cells, as drawn (stripped), for tests and screen readers."""
        return [text.strip() for text, _ in self._cells(self.rows[index], self._columns())]

    def shown_columns(self) -> list[str]:
        """The names of the columns the table is wide enough to show."""
        return [column.name for column, _ in self._columns()]

    def header_texts(self) -> list[str]:
        return [self._header_label(column).strip() for column, _ in self._columns()]

    # -- movement --------------------------------------------------------------------------------

    def _body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _move(self, cursor: int, *, centre: bool = False) -> None:
        before = self.cursor
        self.cursor = max(0, min(cursor, len(self.rows) - 1))
        body = self._body_height()
        top = round(self.scroll_y)
        target = top
        if centre and not top <= self.cursor < top + body:
            target = max(0, self.cursor - body // 2)
        elif self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + body:
            target = self.cursor - body + 1
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)  # redraws every line
        elif centre:
            self.refresh()
        elif self.cursor != before:  # only the two lines the cursor left and reached
            for index in (before, self.cursor):
                self.refresh(Region(0, index - top + 1, self.size.width, 1))
        self.post_message(self.Moved(self.current))

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page_down(self) -> None:
        body = self._body_height()
        self.scroll_to(y=round(self.scroll_y) + body, animate=False, force=True)
        self._move(self.cursor + body)

    def action_page_up(self) -> None:
        body = self._body_height()
        self.scroll_to(y=max(0, round(self.scroll_y) - body), animate=False, force=True)
        self._move(self.cursor - body)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.rows) - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "grid_sort" in meta:
            self.post_message(self.SortClicked(meta["grid_sort"]))
        elif "grid_row" in meta:
            index = meta["grid_row"]
            if index == self.cursor:
                self.action_select()
            else:
                self._move(index)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._post_viewed()

    def on_resize(self, _event: events.Resize) -> None:
        self._update_virtual_size()
        self._post_viewed()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _post_viewed(self) -> None:
        start, stop = self.visible_range()
        self.post_message(self.Viewed(start, stop))

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    # -- drawing ---------------------------------------------------------------------------------

    def _columns(self) -> list[tuple[Column, int]]:
        """The columns that fit, with their widths (each has one blank cell on its left).

        Money is never cut: a money column is as wide as the largest amount of the date needs
        (checked when figures come in), and the names share what is left."""
        width = self.scrollable_content_region.width
        day = self.day
        # Figures coming in can widen a money column: look again every 5,000 and at the end.
        known = 0 if day is None else day.known
        done = self.browser is not None and known >= self.browser.total
        layout = (width, id(day), known // 5000, done, id(self.browser))
        if layout != self._layout:
            wanted = {c.name: max(c.width, self._money_width(c.name)) for c in COLUMNS if c.width}
            shown = [c for c in COLUMNS if width >= c.min_table_width]
            fixed = sum(wanted.get(c.name, 0) for c in shown) + len(shown)
            names = self._name_widths([c.name for c in shown if not c.width], width - fixed)
            widths = [(c, wanted[c.name] if c.width else names[c.name]) for c in shown]
            self._widths = widths
            self._layout = layout
        return self._widths

    def _name_widths(self, columns: list[str], room: int) -> dict[str, int]:
        """Share ``room`` among the name columns: none wider than its longest name, the rest
        evenly (each at least 4)."""
        browser = self.browser
        if browser is None:
            longest = dict.fromkeys(columns, room)
        else:
            if self._longest_of is not browser:
                self._longest = {
                    "employee": max(map(len, browser.employee), default=0),
                    "company": max(map(len, browser.company), default=0),
                    "agreement": max(map(len, browser.key), default=0),
                }
                self._longest_of = browser
            longest = {name: max(self._longest[name], 8) for name in columns}
        return share_room(columns, longest, room)

    def _money_width(self, name: str) -> int:
        """The width of the largest amount of a money column on the date (0: not money)."""
        day = self.day
        if day is None or not day.known or name not in MONEY_COLUMNS:
            return 0
        largest = max(getattr(day, name))
        return len(money(from_cents(largest))) if largest > 0 else 0

    def _header_label(self, column: Column) -> str:
        if column.name == self.sort:
            return f"{column.label} {'▼' if self.descending else '▲'}"
        return column.label

    def _cells(self, index: int, columns: list[tuple[Column, int]]) -> list[tuple[str, str]]:
        """Each cell's text (fitted) of the browser's row ``index``, and the status whose
        colour it takes ("" for none, PENDING while the figure is being computed)."""
        browser = self.browser
        assert browser is not None
        found = None if self.day is None else self.day.get(index)
        cells = []
        for column, width in columns:
            name = column.name
            status = ""
            if name == "employee":
                text = browser.employee[index]
            elif name == "company":
                text = browser.company[index]
            elif name == "agreement":
                text = browser.key[index]
            elif found is None:
                text, status = PENDING, PENDING
            elif name == "next_due":
                text = day(found.next_due)
            elif name == "next_owed":
                text = money(found.next_owed)
            elif name == "status":
                text = status = found.status.value
            elif name == "outstanding":
                text = money(found.principal_outstanding)
            else:
                text = money(found.interest_outstanding)
            cells.append((fit(text, width, column.right), status))
        return cells

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self._columns()
        if y == 0:
            header = self.get_component_rich_style("grid--header")
            segments = []
            for column, column_width in columns:
                label = fit(self._header_label(column), column_width, column.right)
                style = header + Style.from_meta({"grid_sort": column.name})
                segments.append(Segment(" " + label, style))
            return Strip(segments).adjust_cell_length(width, header)
        index = round(self.scroll_y) + y - 1
        if not self.rows or self.browser is None:
            if y == 1:
                style = base + self.get_component_rich_style("grid--empty")
                return Strip([Segment(" " + self.empty_text, style)]).adjust_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if index % 2 == 0:
            style += self.get_component_rich_style("grid--even-row")
        cursor = index == self.cursor
        cursor_style = self.get_component_rich_style("grid--cursor") if cursor else None
        pending = self.get_component_rich_style("grid--pending", partial=True)
        style += Style.from_meta({"grid_row": index})
        segments = []
        for text, status in self._cells(row, columns):
            cell_style = style
            if status == PENDING:
                cell_style += pending
                self.pending = True
            elif status:
                cell_style += STATUS_RICH.get(status, Style.null())
            if cursor_style is not None:
                cell_style += cursor_style
            segments.append(Segment(" " + text, cell_style))
        line_style = style + cursor_style if cursor_style is not None else style
        return Strip(segments).adjust_cell_length(width, line_style)
