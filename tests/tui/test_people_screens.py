"""The Employees and Companies screens: each employee's and company's agreements and totals, as
``comp-tracker agreements`` (``queries.list_agreements``) has them on the app's as-of date; the
search box; ``show(name)`` from the palette; Enter opening an agreement; the two sizes."""

from __future__ import annotations

from typing import Any

import pytest
from support import BAKER, BAKER_NAME, HECLA, day, usd, write_terms
from textual.widgets import DataTable, Input, Static
from ui_support import AS_OF, LARGE, SMALL, paste, settle

from comp_tracker.domain.money import ZERO
from comp_tracker.services.agreements.importing import import_files
from comp_tracker.services.agreements.reading import AgreementLine, list_agreements
from comp_tracker.services.events import recording as events
from comp_tracker.tui.app import CompTrackerApp
from comp_tracker.tui.screens.people import CompaniesScreen, EmployeesScreen
from comp_tracker.tui.widgets.text import money

GRANITE = "Granite Ridge Minerals Corp."


@pytest.fixture
def more(context, tmp_path) -> None:
    """Three more employees in two companies, one with two agreements (all from 2021)."""
    import_files(
        context,
        [
            write_terms(tmp_path / "a.toml", "granite-okafor-2021", "Dana Okafor"),
            write_terms(
                tmp_path / "b.toml",
                "granite-okafor-2022",
                "Dana Okafor",
                amounts=("20000.00", "30000.00"),
            ),
            write_terms(tmp_path / "c.toml", "granite-lee", "Sam Lee", amounts=("10000.00",)),
            write_terms(tmp_path / "d.toml", "hecla-smith", "Jo Smith", company=HECLA),
        ],
    )


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [
        ["" if cell is None else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def sums(lines: list[AgreementLine]) -> tuple[str, str, str]:
    """Outstanding principal, interest and both, as the screens show them."""
    principal = sum((line.standing.principal_outstanding for line in lines), ZERO)
    interest = sum((line.standing.interest_outstanding for line in lines), ZERO)
    return money(principal), money(interest), money(principal + interest)


def agreement_rows(lines: list[AgreementLine], with_employee: bool) -> list[list[str]]:
    """What the agreements table shows at LARGE, from the CLI's query."""
    return [
        [
            line.agreement,
            *([line.employee] if with_employee else []),
            line.standing.status,
            # list_agreements gives the deadline; the screen shows the due date before it.
            row_due(line),
            line.standing.next_deadline.isoformat() if line.standing.next_deadline else "",
            money(line.standing.principal_outstanding),
            money(line.standing.interest_outstanding),
            money(line.standing.owed),
        ]
        for line in lines
    ]


def row_due(line: AgreementLine) -> str:
    # Every agreement here has its next installment due on 30 June (a Sunday for Baker's in 2002,
    # a Thursday for the 2022 ones), payable by the deadline list_agreements gives.
    return "2002-06-30" if line.agreement == BAKER else "2022-06-30"


async def open_screen(app: CompTrackerApp, pilot, key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def test_employees_list_their_agreements_and_totals(context, more):
    as_of = day("2022-08-15")  # every agreement overdue, late interest running
    app = CompTrackerApp(context, as_of=as_of)
    async with app.run_test(size=LARGE) as pilot:
        await open_screen(app, pilot, "e")
        screen = app.screen
        assert isinstance(screen, EmployeesScreen)
        people = screen.query_one("#people", DataTable)
        expected = []
        for name, company in (
            ("Dana Okafor", GRANITE),
            ("Jo Smith", HECLA),
            (BAKER_NAME, HECLA),
            ("Sam Lee", GRANITE),
        ):
            lines = list_agreements(context, as_of, employee=name)
            expected.append([name, company, str(len(lines)), *sums(lines)])
        assert rows(people) == expected
        totals = str(screen.query_one("#people-totals", Static).render())
        everyone = list_agreements(context, as_of)
        principal, interest, _ = sums(everyone)
        assert totals == (
            f"4 employees · 5 agreements · owed: principal {principal} · interest {interest}"
        )

        # The first employee is selected: her two agreements.
        agreements = screen.query_one("#agreements", DataTable)
        okafor = list_agreements(context, as_of, employee="Dana Okafor")
        assert rows(agreements) == agreement_rows(okafor, with_employee=False)
        assert "Agreements of Dana Okafor" in str(
            screen.query_one("#agreements-title", Static).render()
        )

        # Down to Baker: his one agreement, 1,609.32 of interest by 30 Sep 2002 grown since.
        await pilot.press("down", "down")
        baker = list_agreements(context, as_of, employee=BAKER_NAME)
        assert rows(agreements) == agreement_rows(baker, with_employee=False)
        assert rows(agreements)[0][:3] == [BAKER, "overdue", "2002-06-30"]


async def test_employees_follow_the_as_of_date(app, context, more):
    async with app.run_test(size=LARGE) as pilot:
        await open_screen(app, pilot, "e")
        people = app.screen.query_one("#people", DataTable)
        # On 30 Sep 2002 only Baker's agreement has fallen due: the 2021 ones are all ahead.
        assert rows(people)[2] == [BAKER_NAME, HECLA, "1", "198,000.00", "1,609.32", "199,609.32"]
        assert rows(people)[0] == ["Dana Okafor", GRANITE, "2", "200,000.00", "0.00", "200,000.00"]
        app.as_of = day("2022-08-15")
        await settle(pilot)
        lines = list_agreements(context, day("2022-08-15"), employee="Dana Okafor")
        assert rows(people)[0] == ["Dana Okafor", GRANITE, "2", *sums(lines)]
        assert sums(lines)[1] != "0.00"


async def test_coming_back_shows_what_was_recorded_meanwhile(app, context):
    async with app.run_test(size=LARGE) as pilot:
        await open_screen(app, pilot, "e")
        people = app.screen.query_one("#people", DataTable)
        assert rows(people)[0][3:] == ["198,000.00", "1,609.32", "199,609.32"]
        # Paid on the agreement's screen (here through the service it calls) ...
        events.record_payment(context, BAKER, day("2002-09-30"), usd("66000.00"), 1)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        lines = list_agreements(context, AS_OF, employee=BAKER_NAME)
        assert rows(people)[0] == [BAKER_NAME, HECLA, "1", *sums(lines)]
        assert sums(lines)[2] == "133,609.32"  # 66,000.00 less owed than before


async def test_companies_list_their_agreements_and_totals(context, more):
    as_of = day("2022-08-15")
    app = CompTrackerApp(context, as_of=as_of)
    async with app.run_test(size=LARGE) as pilot:
        await open_screen(app, pilot, "c")
        screen = app.screen
        assert isinstance(screen, CompaniesScreen)
        expected = []
        for name, employees in ((GRANITE, 2), (HECLA, 2)):
            lines = list_agreements(context, as_of, company=name)
            overdue = sum(1 for line in lines if line.standing.status == "overdue")
            expected.append([name, str(employees), str(len(lines)), str(overdue), *sums(lines)])
        assert rows(screen.query_one("#people", DataTable)) == expected
        await pilot.press("down")
        hecla = list_agreements(context, as_of, company=HECLA)
        assert [line.agreement for line in hecla] == ["hecla-smith", BAKER]
        assert rows(screen.query_one("#agreements", DataTable)) == agreement_rows(
            hecla, with_employee=True
        )


async def test_the_search_box_filters_by_name(app, more):
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, "e")
        screen = app.screen
        people = screen.query_one("#people", DataTable)
        assert people.row_count == 4
        await pilot.press("slash")
        assert isinstance(screen.focused, Input)
        await paste(pilot, "okaf")
        assert [row[0] for row in rows(people)] == ["Dana Okafor"]
        assert str(screen.query_one("#people-totals", Static).render()).startswith(
            '1 employee matching "okaf" · 2 agreements'
        )
        assert [row[0] for row in rows(screen.query_one("#agreements", DataTable))] == [
            "granite-okafor-2021",
            "granite-okafor-2022",
        ]
        # The company's name finds its employees too.
        screen.query_one("#search", Input).value = ""
        await paste(pilot, "HECLA")
        assert [row[0] for row in rows(people)] == ["Jo Smith", BAKER_NAME]
        # Nothing found says so; Enter goes back to the list.
        screen.query_one("#search", Input).value = ""
        await paste(pilot, "nobody")
        await pilot.press("enter")
        assert rows(people) == [['No employee matches "nobody".', "", "", ""]]
        assert screen.query_one("#agreements", DataTable).row_count == 0
        assert screen.focused is people


async def test_show_selects_the_employee_or_company(app, more):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        # From anywhere (the palette calls this): the Employees screen with Sam Lee selected.
        await app.open_person("employee", "Sam Lee")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EmployeesScreen)
        assert getattr(screen.selected, "name", None) == "Sam Lee"
        assert rows(screen.query_one("#agreements", DataTable))[0][0] == "granite-lee"
        # A search that would hide the one asked for is cleared.
        await pilot.press("slash")
        await paste(pilot, "okafor")
        screen.show(BAKER_NAME)
        await settle(pilot)
        assert screen.query_one("#search", Input).value == ""
        assert getattr(screen.selected, "name", None) == BAKER_NAME
        assert rows(screen.query_one("#agreements", DataTable))[0][0] == BAKER

        await app.open_person("company", HECLA)
        await settle(pilot)
        companies = app.screen
        assert isinstance(companies, CompaniesScreen)
        assert getattr(companies.selected, "name", None) == HECLA
        assert [row[0] for row in rows(companies.query_one("#agreements", DataTable))] == [
            "hecla-smith",
            BAKER,
        ]


async def test_enter_on_an_agreement_opens_it(app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(app, "open_agreement", opened.append)
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, "c")
        await pilot.press("enter")  # the company: to its agreements
        assert app.screen.focused is app.screen.query_one("#agreements", DataTable)
        await pilot.press("enter")
        assert opened == [BAKER]
        await pilot.press("escape")
        assert app.screen.focused is app.screen.query_one("#people", DataTable)


async def test_the_selection_survives_a_resize(app, more):
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, "e")
        await pilot.press("down", "down")
        assert getattr(app.screen.selected, "name", None) == BAKER_NAME
        await pilot.resize_terminal(*LARGE)
        await settle(pilot)
        assert getattr(app.screen.selected, "name", None) == BAKER_NAME
        assert rows(app.screen.query_one("#agreements", DataTable))[0][0] == BAKER


async def test_small_shows_what_fits(app):
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, "c")
        people = app.screen.query_one("#people", DataTable)
        assert rows(people) == [[HECLA, "1", "1", "1", "199,609.32"]]
        agreements = app.screen.query_one("#agreements", DataTable)
        assert rows(agreements) == [[BAKER, BAKER_NAME, "overdue", "199,609.32"]]
        await pilot.resize_terminal(*LARGE)
        await settle(pilot)
        assert rows(people) == [[HECLA, "1", "1", "1", "198,000.00", "1,609.32", "199,609.32"]]
        assert rows(agreements) == [
            [
                BAKER,
                BAKER_NAME,
                "overdue",
                "2002-06-30",
                "2002-07-03",
                "198,000.00",
                "1,609.32",
                "199,609.32",
            ]
        ]


def _snapshot_app(context, tmp_path) -> CompTrackerApp:
    import_files(
        context,
        [
            write_terms(tmp_path / "a.toml", "granite-okafor-2021", "Dana Okafor"),
            write_terms(tmp_path / "c.toml", "granite-lee", "Sam Lee", amounts=("10000.00",)),
        ],
    )
    return CompTrackerApp(context, as_of=AS_OF)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_employees_snapshot(snap_compare, context, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.app.open_person("employee", BAKER_NAME)
        await settle(pilot)

    assert snap_compare(_snapshot_app(context, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_companies_snapshot(snap_compare, context, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(_snapshot_app(context, tmp_path), terminal_size=size, run_before=run_before)


async def test_a_long_list_is_listed_in_a_window_around_the_selection(app, more, monkeypatch):
    from comp_tracker.tui.screens import people as people_screens

    monkeypatch.setattr(people_screens, "LISTED", 2)
    async with app.run_test(size=LARGE) as pilot:
        await open_screen(app, pilot, "e")
        screen = app.screen
        table = screen.query_one("#people", DataTable)
        assert [row[0] for row in rows(table)] == ["Dana Okafor", "Jo Smith"]
        assert str(screen.query_one("#people-totals", Static).render()).startswith(
            "4 employees (listed: 1 to 2; search for the others) · 5 agreements"
        )
        screen.show("Sam Lee")
        await settle(pilot)
        assert [row[0] for row in rows(table)] == [BAKER_NAME, "Sam Lee"]
        assert getattr(screen.selected, "name", None) == "Sam Lee"
        await pilot.press("slash")
        await paste(pilot, "lee")
        assert [row[0] for row in rows(table)] == ["Sam Lee"]
