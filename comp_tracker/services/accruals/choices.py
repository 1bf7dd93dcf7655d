"""What an accrual export is asked for: which table and which kind of file. Apart from the rest
of the export (no database, no workbook library) so that the command line can offer them as its
choices without loading either."""

from __future__ import annotations

from enum import StrEnum


class Report(StrEnum):
    """The three tables of an accrual export (a CSV file holds one; a workbook all three)."""

    INSTALLMENTS = "installments"
    JOURNAL = "journal"
    RECONCILIATION = "reconciliation"


class FileFormat(StrEnum):
    """The kind of file: CSV (one table), XLSX (a workbook of all three) or JSON (all three)."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
