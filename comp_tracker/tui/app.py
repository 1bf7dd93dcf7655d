"""The application: its as-of date, the four main screens, key bindings, palette and themes.

The **as-of date** is the app's: every screen shows the records as they stood that day (the
sample agreement is from 2002; a period-end review looks at the period's last day). It is in the
header, ``d`` changes it, and every screen follows it.

The main screens are Textual *modes* (each keeps its own state while another is shown): home
(``h``), agreements (``a``), employees (``e``) and companies (``c``). An agreement's detail is
pushed over them; forms are modal screens over that.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from .commands import Finder
from .widgets.text import long_day

if TYPE_CHECKING:
    from comp_tracker.services.context import Context

    from .tracker import Tracker


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - HR's own calendar day


def _home() -> Screen[Any]:
    from .screens.home import HomeScreen

    return HomeScreen()


def _agreements() -> Screen[Any]:
    from .screens.agreements import AgreementsScreen

    return AgreementsScreen()


def _employees() -> Screen[Any]:
    from .screens.people import EmployeesScreen

    return EmployeesScreen()


def _companies() -> Screen[Any]:
    from .screens.people import CompaniesScreen

    return CompaniesScreen()


class CompTrackerApp(App[None]):
    """comp-tracker's terminal UI over one database (a services context)."""

    TITLE = "comp-tracker"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {Finder}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "home": _home,
        "agreements": _agreements,
        "employees": _employees,
        "companies": _companies,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        # In the footer in this order, after the screen's own keys; e and c are in the help and
        # the palette, so that the footer fits 80 columns.
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Find", tooltip="Find a record or an action"),
        Binding("h", "switch_mode('home')", "Home", tooltip="What needs attention today"),
        Binding("a", "switch_mode('agreements')", "Agreements"),
        Binding("e", "switch_mode('employees')", "Employees", show=False),
        Binding("c", "switch_mode('companies')", "Companies", show=False),
        Binding("d", "set_as_of", "As-of", tooltip="See the records as of another day"),
        Binding("x", "export", "Export", tooltip="Export accruals and journal entries"),
        Binding("n", "new_agreement", "New", tooltip="Type in a new agreement"),
        Binding("t", "toggle_dark", "Light/dark", show=False),
        Binding("q", "quit", "Quit"),
    ]

    #: The day the whole app shows the records as of.
    as_of: reactive[dt.date] = reactive(_today)

    def __init__(self, context: Context, *, as_of: dt.date | None = None) -> None:
        super().__init__()
        self.context = context
        self._frozen = False
        if as_of is not None:
            self.set_reactive(CompTrackerApp.as_of, as_of)

    def on_mount(self) -> None:
        self._show_as_of()
        self.switch_mode("home")

    def startup_loaded(self) -> None:
        """The first screen has its data: move everything alive now (Textual, the libraries,
        the first screen) out of the cycle collector's sight. A full collection scans every
        tracked object and stops every thread meanwhile; on a large book it took 160-175 ms,
        longer than a key may wait (tests/benchmarks/README.md, bench_tui.py)."""
        if not self._frozen:
            self._frozen = True
            gc.freeze()

    def watch_as_of(self) -> None:
        self._show_as_of()

    def _show_as_of(self) -> None:
        today = " (today)" if self.as_of == _today() else ""
        self.sub_title = f"as of {long_day(self.as_of)}{today}"

    # -- actions ---------------------------------------------------------------------------------

    def action_set_as_of(self) -> None:
        from .modals.as_of import AsOfModal

        def chosen(value: dt.date | None) -> None:
            if value is not None:
                self.as_of = value

        self.push_screen(AsOfModal(self.as_of), chosen)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_export(self) -> None:
        from .modals.export import ExportModal

        self.push_screen(ExportModal())

    def action_new_agreement(self) -> None:
        from .modals.new_agreement import NewAgreementModal

        modal = NewAgreementModal()

        def saved(created: bool | None) -> None:
            if created and modal.created:
                self.open_agreement(modal.created)

        self.push_screen(modal, saved)

    def open_agreement(self, agreement: str) -> None:
        """Show one agreement's detail over the current screen."""
        from .screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen(agreement))

    async def open_person(self, kind: str, name: str) -> None:
        """Show an employee's or a company's agreements (``kind`` "employee" or "company")."""
        await self.switch_mode("employees" if kind == "employee" else "companies")
        show = getattr(self.screen, "show", None)
        if show is not None:
            show(name)


if TYPE_CHECKING:

    def _is_a_tracker(app: CompTrackerApp) -> Tracker:
        """mypy checks here that the app is everything the screens see it as."""
        return app
