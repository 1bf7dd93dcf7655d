"""The export form's plain parts: the file's default name, how a typed path is checked, what is
still needed before Export, the export itself as the CLI runs it (:func:`run_export`, called in
the form's worker), the message once written, and the question before a file is replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from comp_tracker.domain import AgreementError
from comp_tracker.domain.accruals import AccrualError, Period
from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import AccrualRequest, Summary
from comp_tracker.services.accruals.files import ExportError, export
from comp_tracker.services.context import Context, ServiceError

from ..widgets.text import money
from .confirm import ConfirmModal

FORMATS: tuple[tuple[str, FileFormat], ...] = (
    ("CSV: one table", FileFormat.CSV),
    ("XLSX: all 3 tables", FileFormat.XLSX),
    ("JSON: all 3 tables", FileFormat.JSON),
)
TABLES: tuple[tuple[str, Report], ...] = (
    ("Installments", Report.INSTALLMENTS),
    ("Journal entries", Report.JOURNAL),
    ("Reconciliation", Report.RECONCILIATION),
)

TABLE_NAMES = {
    Report.INSTALLMENTS: "the installments",
    Report.JOURNAL: "the journal entries",
    Report.RECONCILIATION: "the reconciliation",
}


def default_name(start: dt.date, end: dt.date, file_format: FileFormat) -> str:
    """ "accruals-2002-07-01-to-2002-09-30.xlsx"."""
    return f"accruals-{start.isoformat()}-to-{end.isoformat()}.{file_format.value}"


def shown_path(path: Path) -> str:
    """The path as HR would write it: "~/..." inside the home directory."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


def parse_moment(text: str) -> dt.datetime | str | None:
    """The moment typed (UTC unless it names a zone), None for nothing, or why it is not one."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return f'"{text}" is not a moment: write it like 2002-10-15T17:00:00+00:00'
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def still_needed(
    start: dt.date | None,
    end: dt.date | None,
    moment: dt.datetime | str | None,
    destination: Path | str,
) -> str:
    """What the form says while a field is missing or wrong (a string ``moment`` or
    ``destination`` is why it is wrong)."""
    problems = []
    if start is None or end is None:
        problems.append("the period's first and last days, as YYYY-MM-DD")
    elif start > end:
        problems.append("a period that starts on or before its last day")
    if isinstance(moment, str):
        problems.append('"as recorded at" as a moment, or nothing')
    if isinstance(destination, str):
        problems.append(f"the file: {destination}")
    return "Nothing to export yet. It needs " + "; ".join(problems) + "."


def check_destination(text: str, file_format: FileFormat, suggestion: str) -> Path | str:
    """The file to write, or why it cannot be (for the error beside the field)."""
    text = text.strip()
    if not text:
        return f"required: the file to write, e.g. ~/{suggestion}"
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.is_dir():
        return f'"{text}" is a directory: add a file name, e.g. {shown_path(path / suggestion)}'
    if not path.parent.is_dir():
        return f'no such directory "{shown_path(path.parent)}": create it, or choose another'
    suffix = path.suffix.lower().lstrip(".")
    if suffix in {f.value for f in FileFormat} and suffix != file_format.value:
        return (
            f"a .{suffix} file, but the format is {file_format.value.upper()}: "
            "change the name or the format"
        )
    return path


def written_message(
    summary: Summary, file_format: FileFormat, report: Report, path: Path
) -> list[str]:
    """What was written, in the words and figures of ``comp-tracker accruals``'s message."""
    what = (
        TABLE_NAMES[report]
        if file_format is FileFormat.CSV
        else "the installments, journal and reconciliation"
    )
    r = summary.reconciliation
    period = summary.request.period
    entries = "entry" if summary.entries == 1 else "entries"
    lines = [
        f"Wrote {what} to {shown_path(path)}: {summary.agreements} agreement(s), "
        f"{summary.installments} installment(s), {summary.entries} journal {entries} "
        f"for {period.start} to {period.end}.",
        f"Accrued compensation {money(r.opening_liability)} -> {money(r.closing_liability)}; "
        f"interest payable {money(r.opening_interest_payable)} -> "
        f"{money(r.closing_interest_payable)}. Journal debits {money(summary.debits)} = "
        f"credits {money(summary.credits)}.",
    ]
    if summary.records_as_at is not None:
        lines.append(
            "To reproduce it later, as recorded at "
            f"{summary.records_as_at.astimezone(dt.UTC).isoformat()}"
        )
    return lines


class ReplaceFileModal(ConfirmModal):
    """Ask before an export replaces a file that exists."""

    QUESTION, YES, YES_ID = "Replace the file?", "Replace it", "replace"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose_body(self) -> ComposeResult:
        yield Static(
            f"{shown_path(self.path)} exists. The export replaces it once it is complete "
            "(if the export fails, the file stays as it is).",
            classes="dialog-help",
        )


def describe_export(
    period: tuple[dt.date, dt.date],
    fmt: FileFormat,
    report: Report,
    *,
    companies: tuple[str, ...],
    every_agreement: bool,
    as_recorded_at: dt.datetime | None,
    destination: Path,
) -> str:
    """What the export will write, in a sentence (the form's preview)."""
    start, end = period
    what = (
        f"{TABLE_NAMES[report]} (CSV)"
        if fmt is FileFormat.CSV
        else f"the installments, journal entries and reconciliation ({fmt.value.upper()})"
    )
    scope = ", ".join(companies) if companies else "every company"
    agreements = (
        "every agreement" if every_agreement else "the agreements with something for the period"
    )
    records = (
        "as the records stand now"
        if as_recorded_at is None
        else f"as recorded at {as_recorded_at.astimezone(dt.UTC).isoformat()}"
    )
    replaces = (
        "It exists: Export asks before replacing it." if destination.exists() else "A new file."
    )
    return (
        f"Writes {what} for {start} to {end} (opening balances as of "
        f"{Period(start, end).opening}): {scope}, {agreements}, {records}.\n"
        f"To {shown_path(destination)}. {replaces}"
    )


def run_export(
    context: Context,
    period: Period,
    companies: tuple[str, ...],
    moment: dt.datetime | None,
    *,
    include_all: bool,
    fmt: FileFormat,
    destination: Path,
    report: Report,
) -> Summary | tuple[str, str]:
    """Export as ``comp-tracker accruals`` does (the journal's accounts from the settings): what
    was written, or where the form shows why nothing was and why (:func:`export_failure`)."""
    from comp_tracker.config import ConfigError, accounts, load_settings

    try:
        request = AccrualRequest(
            period=period,
            companies=companies,
            as_recorded_at=moment,
            include_all=include_all,
            accounts=accounts(load_settings()),
        )
        return export(context, request, fmt, destination, report)
    except (ExportError, OSError, ServiceError, AccrualError, AgreementError, ConfigError) as exc:
        return export_failure(exc, destination)


def export_failure(exc: Exception, destination: Path) -> tuple[str, str]:
    """Where the form shows why an export failed ("path", "companies" or "error"), and why."""
    from comp_tracker.config import ConfigError

    if isinstance(exc, ExportError):
        return "path", str(exc).removeprefix("--output = ")
    if isinstance(exc, OSError):  # the disk filled, permission denied
        return "path", f"{shown_path(destination)}: {exc.strerror or exc}"
    if isinstance(exc, ServiceError):
        if exc.field.endswith("company"):  # the module names the CLI's option
            return "companies", f'No company called "{exc.value}" is recorded.'
        return "error", exc.message
    if isinstance(exc, AccrualError):
        return (
            "error",
            f"{exc.message}. The figures do not reconcile, which is a fault in comp-tracker, "
            "not in the records: nothing was written.",
        )
    if isinstance(exc, AgreementError):
        return "error", exc.message
    if isinstance(exc, ConfigError):
        return "error", str(exc)
    raise exc
