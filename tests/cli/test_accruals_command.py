"""``comp-tracker accruals`` as finance types it: real processes, no terminal.

A mistake gets one line on stderr naming the option and the value, exit status 2, and no file.
"""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, cli


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """Baker paid 2002-07-01 and terminated without cause 2002-09-16."""
    path = tmp_path_factory.mktemp("db") / "records.db"
    url = f"sqlite:///{path}"
    for step in (
        ("import", str(BAKER_FILE)),
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "66000.00", "--installment", "1"),
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "without_cause"),
    ):
        result = cli("--db", url, *step)
        assert result.returncode == 0, (step, result.stderr)
    return url


Q3 = ("--from", "2002-07-01", "--as-of", "2002-09-30")


def test_csv_to_a_file_is_private_and_the_message_says_how_to_reproduce_it(database, tmp_path):
    target = tmp_path / "q3.csv"
    result = cli("--db", database, "accruals", *Q3, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["line"] for r in lines] == ["installment", "installment", "subtotal", "total"]
    assert lines[-1]["period_compensation_expense"] == "57828.57"
    message = result.stdout.splitlines()
    assert message[0] == (
        f"Wrote the installments to {target}: 1 agreement(s), 2 installment(s), 3 journal "
        "entries for 2002-07-01 to 2002-09-30."
    )
    assert message[1] == (
        "Accrued compensation 140,171.43 -> 132,000.00; interest payable 0.00 -> 397.81. "
        "Journal debits 124,226.38 = credits 124,226.38."
    )
    assert message[2].startswith("To reproduce it later: --as-recorded-at 20")
    moment = message[2].rsplit(" ", 1)[1]
    again = cli("--db", database, "accruals", *Q3, "--as-recorded-at", moment)
    assert again.stdout == target.read_text()


def test_printed_csv_keeps_the_message_off_stdout(database):
    result = cli("--db", database, "accruals", *Q3, "--report", "journal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("entry,date,company,employee,agreement,kind")
    assert "Wrote the journal" in result.stderr


def test_the_format_follows_the_file_name(database, tmp_path):
    target = tmp_path / "q3.xlsx"
    result = cli("--db", database, "accruals", *Q3, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:2] == b"PK"  # a workbook is a zip file
    assert "installments, journal and reconciliation" in result.stdout


def test_the_period_defaults_to_the_month_of_the_as_of_date(database):
    result = cli("--db", database, "accruals", "--as-of", "2002-09-30", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"period": {"from": "2002-09-01", "to": "2002-09-30"}' in result.stdout


def test_journal_accounts_come_from_the_settings(database):
    env = {"COMP_TRACKER_ACCOUNT_CASH": "1010 Operating account"}
    result = cli("--db", database, "accruals", *Q3, "--report", "journal", env=env)
    assert result.returncode == 0, result.stderr
    accounts = {r["account"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert "1010 Operating account" in accounts
    assert "Cash" not in accounts


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ("--as-of", "2002-02-30"),
            {},
            'comp-tracker: error: --as-of = "2002-02-30": not a date: write it YYYY-MM-DD',
        ),
        (
            ("--from", "2002-10-01", "--as-of", "2002-09-30"),
            {},
            "comp-tracker: error: --from = 2002-10-01: after --as-of 2002-09-30 (the period "
            "runs from --from to --as-of)",
        ),
        (
            (*Q3, "--format", "xlsx"),
            {},
            "comp-tracker: error: --format xlsx: a workbook is written to a file: add --output "
            "FILE.xlsx",
        ),
        (
            (*Q3, "--format", "csv", "--output", "{tmp}/q3.xlsx"),
            {},
            'comp-tracker: error: --output = "{tmp}/q3.xlsx": a .xlsx file, but --format is csv',
        ),
        (
            (*Q3, "--company", "Hecla", "--output", "{tmp}/q3.csv"),
            {},
            'comp-tracker: error: --company = "Hecla": no such company (see \'comp-tracker '
            "agreements')",
        ),
        (
            (*Q3, "--output", "{tmp}/missing/q3.csv"),
            {},
            'comp-tracker: error: --output = "{tmp}/missing/q3.csv": no such directory '
            '"{tmp}/missing"',
        ),
        (
            (*Q3, "--as-recorded-at", "last Tuesday"),
            {},
            'comp-tracker: error: --as-recorded-at = "last Tuesday": not a timestamp (write it '
            "like 2002-10-15T17:00:00+00:00)",
        ),
        (
            Q3,
            {"COMP_TRACKER_ACCOUNT_CASH": "  "},
            "comp-tracker: error: COMP_TRACKER_ACCOUNT_CASH = '  ': Value error, an account "
            "name cannot be blank",
        ),
    ],
    ids=[
        "bad-date",
        "from-after-as-of",
        "xlsx-to-terminal",
        "format-and-name-disagree",
        "unknown-company",
        "missing-directory",
        "bad-timestamp",
        "blank-account",
    ],
)
def test_mistakes_get_one_line_exit_2_and_no_file(database, tmp_path, args, env, message):
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    result = cli("--db", database, "accruals", *args, env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == message.replace("{tmp}", str(tmp_path))
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(Path(tmp_path).iterdir()) == []
