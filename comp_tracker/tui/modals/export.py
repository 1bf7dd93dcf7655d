"""Export accruals and journal entries for a period close to a file (``x``).

The form offers what ``comp-tracker accruals`` offers, with its defaults: the period (from the
first day of the as-of month to the as-of date), the format (CSV holds one table, chosen here; a
workbook or JSON holds all three), the companies (none ticked: all), "as recorded at" (to rerun a
filed close) and every agreement or only those with something for the period. The file is named
after the period in the home directory unless HR types another; a missing directory or a
directory is refused beside the field, and an existing file is replaced only after HR confirms.

What will be written is previewed as the fields change. The export itself is
:func:`comp_tracker.services.accruals.files.export`, the CLI's, run in a thread (a large database
takes seconds) while the form says so; it writes the whole file or nothing, so an error shown in
the form means nothing was written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    Select,
    SelectionList,
    Static,
)

from comp_tracker.domain.accruals import Period
from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import Summary
from comp_tracker.services.browse.people import company_names

from ..tracker import tracker_of
from ..widgets.buttons import form_buttons
from ..widgets.date_field import DateField
from .export_file import (
    FORMATS,
    TABLES,
    ReplaceFileModal,
    check_destination,
    default_name,
    describe_export,
    parse_moment,
    run_export,
    shown_path,
    still_needed,
    written_message,
)


class ExportModal(ModalScreen[bool]):
    """The export form; True once a file has been written."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__()
        #: Where the file goes unless HR types another path (the home directory).
        self.directory = directory
        #: The path the form filled in itself: it follows the period and format until edited.
        self._auto_path = ""
        self.written = False
        self.exporting = False

    @property
    def _as_of(self) -> dt.date:
        return tracker_of(self).as_of

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        end = self._as_of
        start = end.replace(day=1)
        with VerticalScroll(classes="dialog", id="export-dialog"):
            yield Static("Export accruals and journal entries", classes="dialog-title")
            yield Static(
                "For a period close: per installment what was earned, paid and owed, the "
                "period's journal entries, and the reconciliation per agreement. Written whole or "
                "not at all; readable only by you.",
                classes="dialog-help",
            )
            with Horizontal(classes="export-row"):
                yield DateField("Period from (first day)", start, id="start")
                yield DateField("Period to (last day)", end, id="end")
            with Horizontal(classes="export-row"):
                with Vertical():
                    yield Label("Format")
                    yield Select(FORMATS, value=FileFormat.CSV, allow_blank=False, id="format")
                with Vertical():
                    yield Label("Table (a CSV file holds one)")
                    yield Select(TABLES, value=Report.INSTALLMENTS, allow_blank=False, id="report")
            with Horizontal(classes="export-row"):
                with Vertical():
                    yield Label("Companies (none ticked: all)")
                    yield SelectionList[str](id="companies")
                    yield Static("", classes="field-error", id="companies-error")
                with Vertical():
                    yield Label("As recorded at (optional)")
                    yield Input(
                        placeholder="now (or 2002-10-15T17:00Z)",
                        tooltip="To rerun a filed close: the records as they stood then "
                        "(UTC unless a zone is given).",
                        id="as-recorded-at",
                    )
                    yield Static("", classes="field-error", id="as-recorded-at-error")
                    yield Checkbox(
                        "Include idle agreements",
                        id="all",
                        compact=True,
                        tooltip="Agreements settled before the period or not in effect by its "
                        "end have only zeros to report: they are left out unless this is ticked.",
                    )
            yield Label("File to write")
            yield Input(id="path")
            yield Static("", classes="field-error", id="path-error")
            yield Static("", classes="preview", id="preview")
            yield Static("", classes="field-error", id="error")
            with Horizontal(id="export-progress"):
                yield Static("Exporting… (this can take some seconds on a large database)")
                yield ProgressBar(total=None, show_percentage=False, show_eta=False)
            yield form_buttons("Export", id="export")

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        for error in self.query(".field-error"):
            error.display = False
        self._fill_path()
        self._preview()
        self._load_companies()
        self.query_one("#start", DateField).input.focus()

    @work(thread=True, exclusive=True, group="export-companies")
    def _load_companies(self) -> None:
        names = company_names(tracker_of(self).context)
        self.app.call_from_thread(self._show_companies, names)

    def _show_companies(self, names: list[str]) -> None:
        companies = self.query_one("#companies", SelectionList)
        companies.add_options([(name, name) for name in names])
        if names:
            companies.highlighted = 0  # Space ticks the first at once
        else:
            self._say("#companies-error", "No company is recorded yet.")

    def _say(self, target: str, message: str) -> None:
        """Show ``message`` in the error line ``target`` (hidden while there is none)."""
        error = self.query_one(target, Static)
        error.update(message)
        error.display = bool(message)
        for field in self.query(target.removesuffix("-error")).results(Input):
            field.set_class(bool(message), "-invalid")  # a red border

    # -- the fields -------------------------------------------------------------------------------

    @property
    def file_format(self) -> FileFormat:
        value = self.query_one("#format", Select).value
        return value if isinstance(value, FileFormat) else FileFormat.CSV

    @property
    def report(self) -> Report:
        value = self.query_one("#report", Select).value
        return value if isinstance(value, Report) else Report.INSTALLMENTS

    def _period(self) -> tuple[dt.date, dt.date] | None:
        start = self.query_one("#start", DateField).value
        end = self.query_one("#end", DateField).value
        if start is None or end is None or start > end:
            return None
        return start, end

    def _suggestion(self) -> str:
        period = self._period()
        if period is None:
            end = self.query_one("#end", DateField).value or self._as_of
            period = (end.replace(day=1), end)
        return default_name(*period, self.file_format)

    def _fill_path(self) -> None:
        """Name the file after the period and format, unless HR has typed a path of their own;
        a typed path follows a change of format by its extension."""
        field = self.query_one("#path", Input)
        if field.value == self._auto_path:
            directory = self.directory or Path.home()
            self._auto_path = shown_path(directory / self._suggestion())
            field.value = self._auto_path
            return
        current = Path(field.value.strip())
        suffix = current.suffix.lower().lstrip(".")
        if suffix in {f.value for f in FileFormat} and suffix != self.file_format.value:
            field.value = str(current.with_suffix(f".{self.file_format.value}"))

    def _destination(self) -> Path | str:
        return check_destination(
            self.query_one("#path", Input).value, self.file_format, self._suggestion()
        )

    def _companies(self) -> tuple[str, ...]:
        return tuple(self.query_one("#companies", SelectionList).selected)

    def _preview(self) -> None:
        """Say what Export will write, or what is still missing."""
        preview = self.query_one("#preview", Static)
        preview.remove_class("-written")
        start_field, end_field = (
            self.query_one("#start", DateField),
            self.query_one("#end", DateField),
        )
        start, end = start_field.value, end_field.value
        if start is not None and end is not None and start > end:
            start_field.set_error(f"after the period's last day {end}")
        elif start is not None:
            start_field.set_error(None)
        period = self._period()
        destination = self._destination()
        moment = parse_moment(self.query_one("#as-recorded-at", Input).value)
        if period is None or isinstance(destination, str) or isinstance(moment, str):
            preview.update(still_needed(start, end, moment, destination))
            return
        preview.update(
            describe_export(
                period,
                self.file_format,
                self.report,
                companies=self._companies(),
                every_agreement=self.query_one("#all", Checkbox).value,
                as_recorded_at=moment,
                destination=destination,
            )
        )

    def _changed(self) -> None:
        if self.is_mounted:
            self._say("#error", "")
            self._preview()

    def on_date_field_changed(self) -> None:
        self._fill_path()
        self._changed()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "format":
            self.query_one("#report", Select).disabled = self.file_format is not FileFormat.CSV
            self._fill_path()
        self._changed()

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._say("#path-error", "")
        self._changed()

    @on(Input.Changed, "#as-recorded-at")
    def _moment_changed(self, event: Input.Changed) -> None:
        moment = parse_moment(event.value)
        self._say(
            "#as-recorded-at-error",
            moment if isinstance(moment, str) and len(event.value.strip()) >= 10 else "",
        )
        self._changed()

    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    def _scope_changed(self) -> None:
        self._say("#companies-error", "")
        self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "path":
            self.action_export()
        else:
            self.focus_next()

    # -- exporting --------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Check every field (errors beside them), ask before replacing a file, then export."""
        if self.exporting:
            return
        start_field, end_field = (
            self.query_one("#start", DateField),
            self.query_one("#end", DateField),
        )
        start, end = start_field.validate(), end_field.validate()
        first_bad: object = None
        if start is None:
            first_bad = start_field.input
        elif end is None:
            first_bad = end_field.input
        elif start > end:
            start_field.set_error(f"after the period's last day {end}")
            first_bad = start_field.input
        moment_field = self.query_one("#as-recorded-at", Input)
        moment = parse_moment(moment_field.value)
        self._say("#as-recorded-at-error", moment if isinstance(moment, str) else "")
        if isinstance(moment, str) and first_bad is None:
            first_bad = moment_field
        destination = self._destination()
        path_field = self.query_one("#path", Input)
        self._say("#path-error", destination if isinstance(destination, str) else "")
        if isinstance(destination, str) and first_bad is None:
            first_bad = path_field
        if (
            first_bad is not None
            or start is None
            or end is None
            or isinstance(moment, str)
            or isinstance(destination, str)
        ):
            if isinstance(first_bad, Input):
                first_bad.focus()
            self._preview()
            return
        request = (Period(start, end), self._companies(), moment)
        fmt, report = self.file_format, self.report
        include_all = self.query_one("#all", Checkbox).value

        def start_export() -> None:
            self._set_exporting(True)
            self._run(request, include_all, fmt, report, destination)

        if destination.exists():

            def confirmed(replace: bool | None) -> None:
                if replace:
                    start_export()
                else:
                    path_field.focus()

            self.app.push_screen(ReplaceFileModal(destination), confirmed)
        else:
            start_export()

    def _set_exporting(self, running: bool) -> None:
        self.exporting = running
        for widget in self.query("DateField, Select, SelectionList, Input, Checkbox, Button"):
            widget.disabled = running
        if not running:
            self.query_one("#report", Select).disabled = self.file_format is not FileFormat.CSV
        progress = self.query_one("#export-progress")
        progress.display = running
        if running:
            self._say("#error", "")
            progress.scroll_visible()

    @work(thread=True, exclusive=True, group="export")
    def _run(
        self,
        request: tuple[Period, tuple[str, ...], dt.datetime | None],
        include_all: bool,
        fmt: FileFormat,
        report: Report,
        destination: Path,
    ) -> None:
        period, companies, moment = request
        answer = run_export(
            tracker_of(self).context,
            period,
            companies,
            moment,
            include_all=include_all,
            fmt=fmt,
            destination=destination,
            report=report,
        )
        if isinstance(answer, Summary):
            self.app.call_from_thread(self._done, answer, fmt, report, destination)
        else:
            self._fail(*answer)

    def _fail(self, where: str, message: str) -> None:
        self.app.call_from_thread(self._show_failure, where, message)

    def _show_failure(self, where: str, message: str) -> None:
        self._set_exporting(False)
        target = {"path": "#path-error", "companies": "#companies-error"}.get(where, "#error")
        self._say(target, f"{message} Nothing was written." if where != "error" else message)
        self.query_one(target).scroll_visible()

    def _done(self, summary: Summary, fmt: FileFormat, report: Report, destination: Path) -> None:
        self._set_exporting(False)
        self.written = True
        preview = self.query_one("#preview", Static)
        preview.update("\n".join(written_message(summary, fmt, report, destination)))
        preview.add_class("-written")
        close = self.query_one("#cancel", Button)
        close.label = "Close"
        close.focus()
        self.call_after_refresh(close.scroll_visible)
        self.app.notify(f"Exported to {shown_path(destination)}.")

    def action_cancel(self) -> None:
        if self.exporting:
            self.app.notify("The export is still running: it finishes in a moment.")
            return
        self.dismiss(self.written)
