"""``comp-tracker schedule`` as people and scripts use it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from support import BAKER_FILE, ROOT
from typer.testing import CliRunner

from comp_tracker.cli import app

SCENARIO = ROOT / "data" / "scenarios" / "baker-paid-then-terminated.toml"
runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command in a real process, without a terminal, as cron runs it."""
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_json_is_the_documented_interface():
    result = run("schedule", str(SCENARIO), "--as-of", "2002-09-30", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "agreement",
        "as_of",
        "ends_on",
        "end_reason",
        "warnings",
        "installments",
        "payments",
    }
    assert data["agreement"] == {
        "id": "hecla-baker-2001-retention",
        "company": "Hecla Mining Company",
        "employee": "Phillips S. Baker, Jr.",
        "effective": "2001-11-06",
        "expires": "2003-01-07",
    }
    assert (data["as_of"], data["ends_on"], data["end_reason"]) == (
        "2002-09-30",
        "2002-09-20",
        "termination",
    )
    second = data["installments"][1]
    assert second == {
        "number": 2,
        "original_due": "2002-12-31",
        "due": "2002-09-16",
        "deadline": "2002-09-19",
        "amount": "132000.00",
        "status": "overdue",
        "accelerated": True,
        "principal_paid": "0.00",
        "principal_outstanding": "132000.00",
        "principal_forfeited": "0.00",
        "interest_paid": "0.00",
        "interest_outstanding": "397.81",
        "earned": "132000.00",
        "forfeited_on": None,
    }
    assert data["payments"] == [
        {
            "date": "2002-07-01",
            "amount": "66000.00",
            "allocations": [{"installment": 1, "interest": "0.00", "principal": "66000.00"}],
        }
    ]


def test_json_money_is_never_a_number():
    result = runner.invoke(
        app, ["schedule", str(BAKER_FILE), "--as-of", "2002-07-31", "--format", "json"]
    )
    data = json.loads(result.stdout, parse_float=Decimal)
    for item in data["installments"]:
        for key in (
            "amount",
            "principal_paid",
            "principal_outstanding",
            "interest_paid",
            "interest_outstanding",
            "earned",
        ):
            assert isinstance(item[key], str)
            whole, cents = item[key].split(".")
            assert whole.isdigit()
            assert len(cents) == 2
    assert data["installments"][0]["interest_outstanding"] == "506.30"


def test_table_for_people_fits_80_columns_without_colour():
    result = run("schedule", str(SCENARIO), "--as-of", "2002-09-30")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Phillips S. Baker, Jr." in out
    assert "2002-09-16*" in out
    assert "2002-09-19" in out
    assert "397.81" in out
    assert "Installment 2 was accelerated from 2002-12-31" in out
    assert "Owed: 132,000.00 principal + 397.81 interest = 132,397.81" in out


def test_forfeited_installments_have_nothing_to_pay_by():
    result = run("schedule", "data/scenarios/baker-resigned.toml", "--as-of", "2002-07-31")
    rows = [line for line in result.stdout.splitlines() if "forfeited" in line]
    assert len(rows) == 2
    assert all("—" in row and "2002-07-03" not in row for row in rows)
    assert "Forfeited on 2002-06-28: 198,000.00 (never payable)" in result.stdout


def test_wide_terminal_shows_earned_and_paid():
    result = runner.invoke(
        app, ["schedule", str(BAKER_FILE), "--as-of", "2002-03-31"], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0
    assert "Earned" in result.stdout
    assert "40,550.85" in result.stdout
    assert "45,571.43" in result.stdout


def test_as_of_defaults_to_today():
    result = runner.invoke(app, ["schedule", str(BAKER_FILE), "--format", "json"])
    today = dt.date.today()  # noqa: DTZ011 - the CLI's "today" is the local date too
    assert json.loads(result.stdout)["as_of"] == today.isoformat()


def test_warnings_are_printed(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text(
        BAKER_FILE.read_text()
        + '\n[[events]]\ntype = "termination"\ndate = 2003-02-03\nreason = "resignation"\n'
    )
    result = runner.invoke(app, ["schedule", str(path), "--as-of", "2003-03-01"])
    assert "warning: termination on 2003-02-03 is after the agreement ended" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["schedule", "missing.toml"],
            'comp-tracker: error: missing.toml: file = "missing.toml": no such file',
            id="missing-file",
        ),
        pytest.param(
            ["schedule", str(BAKER_FILE), "--as-of", "2002-02-30"],
            'comp-tracker: error: --as-of = "2002-02-30": not a date: write it YYYY-MM-DD',
            id="bad-as-of",
        ),
        pytest.param(
            ["schedule", "data"],
            'comp-tracker: error: data: file = "data": is a directory, not an agreement file',
            id="directory",
        ),
    ],
)
def test_user_mistakes_get_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == message


def test_broken_file_gets_one_line_naming_field_and_value(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(BAKER_FILE.read_text().replace('amount = "66000.00"', 'amount = "66000.001"'))
    result = run("schedule", str(path), "--as-of", "2002-09-30")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"comp-tracker: error: {path}: agreement.installments[1].amount = 66000.001: "
        "must have at most two decimals"
    ]


def test_bad_format_is_a_usage_error():
    result = run("schedule", str(BAKER_FILE), "--format", "xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("comp-tracker: error: Invalid value for '--format'")
    assert "'xml' is not one of 'table', 'json'" in result.stderr


def test_no_arguments_open_the_ui_which_needs_a_terminal():
    # In a pipe or from cron there is no terminal for the UI: one line saying where help is.
    result = run()
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "comp-tracker: error: the terminal UI needs a terminal; see 'comp-tracker --help' for "
        "the commands\n"
    )
    help_text = run("--help")
    assert help_text.returncode == 0
    assert "schedule" in help_text.stdout
    assert "With no command, opens the terminal UI." in help_text.stdout


def test_unknown_option_is_one_line():
    result = run("schedule", str(BAKER_FILE), "--asof", "2002-01-01")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "comp-tracker: error: No such option: --asof (Possible options: --as-of) "
        "(see 'comp-tracker schedule --help')"
    ]


@pytest.mark.parametrize("typed", ["2002-02-30", "2002-13-01", "5 July 2002", "  "])
def test_a_date_is_read_by_one_rule_in_the_cli_and_the_terminal_ui(typed):
    """The CLI's --as-of and the TUI's date fields read a date with the same function and say
    the same thing when it is not one (only the name of the field differs)."""
    from comp_tracker.tui.widgets.date_field import parse_day

    result = CliRunner().invoke(app, ["schedule", str(BAKER_FILE), "--as-of", typed])
    assert result.exit_code == 2
    cli_line = result.output.strip().splitlines()[-1]
    tui_line = parse_day(typed, "--as-of")
    assert isinstance(tui_line, str)
    assert cli_line == f"comp-tracker: error: {tui_line}"


def test_a_date_with_spaces_around_it_is_read_alike():
    from comp_tracker.tui.widgets.date_field import parse_day

    assert parse_day(" 2002-07-05 ") == dt.date(2002, 7, 5)
    result = CliRunner().invoke(app, ["schedule", str(BAKER_FILE), "--as-of", " 2002-07-05 "])
    assert result.exit_code == 0
    assert "2002-07-05" in result.output
