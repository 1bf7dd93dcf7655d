"""Filling Textual's DataTable so that what it shows on the first paint is final."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


def _width(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else Text(cell).cell_len


def fill(
    table: DataTable[Cell], headers: Sequence[str], rows: Sequence[tuple[Sequence[Cell], str]]
) -> None:
    """Replace the table's columns and rows (each row its cells and its key), every column as
    wide as its header and its widest cell.

    Left to size its columns itself, a DataTable measures new rows in its idle handler, which
    runs only once the table has handled a message of its own. Refilled from a screen's handler
    (a worker's result arriving), a table that receives nothing more keeps the widths of its new
    headers: "Owed" four columns wide and 66,036.16 cut to "66,0" (Textual issue #4470; seen in
    the README's terminal test about one run in eight on a busy machine). Given their widths,
    the columns are right from the first paint.
    """
    widths = [_width(header) for header in headers]
    for cells, _ in rows:
        for index, cell in enumerate(cells):
            widths[index] = max(widths[index], _width(cell))
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, width=width)
    for cells, key in rows:
        table.add_row(*cells, key=key)
