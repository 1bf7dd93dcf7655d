"""The Agreements table's columns: which there are, how a cell's text is fitted to its width,
and how the name columns share the room the fixed ones leave (pure: no widget)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the sort column of services.browse.table
    label: str
    #: Cells wide, or 0 for a name column sharing what is left.
    width: int = 0
    right: bool = False
    #: Shown only when the table is this wide (the agreement id at 80 columns would leave the
    #: names too little room; the line under the table shows it).
    min_table_width: int = 0


COLUMNS = (
    Column("employee", "Employee"),
    Column("company", "Company"),
    Column("agreement", "Agreement", min_table_width=100),
    Column("next_due", "Next due", 10),
    Column("next_owed", "Amount", 10, right=True),
    Column("status", "Status", 7),
    Column("outstanding", "Outstanding", 12, right=True),
    Column("interest", "Interest", 10, right=True),
)
PENDING = "…"
MONEY_COLUMNS = ("next_owed", "outstanding", "interest")


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, padded on the other side."""
    if text.isascii():
        if len(text) > width:
            return text[: width - 1] + "…" if width > 0 else ""
        return text.rjust(width) if right else text.ljust(width)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


def share_room(columns: list[str], longest: dict[str, int], room: int) -> dict[str, int]:
    """Share ``room`` cells among the name ``columns``: each at least 4, none wider than its
    ``longest`` name while another still wants more, the rest evenly; what is left over once
    every name fits goes to the last."""
    widths = dict.fromkeys(columns, 4)
    left = max(0, room - 4 * len(columns))
    wanting = [name for name in columns if longest[name] > widths[name]]
    while left > 0 and wanting:
        share = max(1, left // len(wanting))
        for name in list(wanting):
            more = min(share, longest[name] - widths[name], left)
            widths[name] += more
            left -= more
            if widths[name] >= longest[name]:
                wanting.remove(name)
    if left > 0 and columns:  # every name fits: the room left goes to the last
        widths[columns[-1]] += left
    return widths
