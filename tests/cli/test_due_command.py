"""``comp-tracker due`` as cron runs it: no terminal, no HOME, no colour; its exit status is its
answer (0 nothing flagged, 1 flagged, 2 bad input, 3 no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, ROOT, cli


def cron(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """The command as a crontab line runs it: a bare environment, no HOME, no terminal."""
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "COMP_TRACKER_DATABASE_URL": url,
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('due') / 'due.db'}"
    result = cli("--db", url, "import", str(BAKER_FILE))
    assert result.returncode == 0, result.stderr
    return url


def test_nothing_to_flag_exits_0_with_a_clean_line(url):
    result = cron("due", "--as-of", "2002-06-25", url=url)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "comp-tracker due, as of 2002-06-25 (upcoming: within 3 business days)\n"
        "Nothing to flag: no installment is upcoming, in its window or overdue.\n"
    )


def test_an_overdue_installment_exits_1_with_a_plain_text_report(url):
    result = cron("due", "--as-of", "2002-07-05", url=url)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.isascii()
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "comp-tracker due, as of 2002-07-05 (upcoming: within 3 business days)",
        "1 installment needs attention: 1 overdue.",
    ]
    assert lines[3].split() == [
        "Deadline", "Stage", "Due", "Employee", "Company", "Agreement", "#", "Owed",
        "Interest", "so", "far", "Per", "day",
    ]  # fmt: skip
    row = lines[5]
    for text in ("2002-07-03", "overdue", "2002-06-30", BAKER_NAME, HECLA, BAKER, "66,036.16"):
        assert text in row
    assert row.split()[-2:] == ["36.16", "18.08"]


def test_json_and_csv_carry_the_same_fields_with_money_as_strings(url):
    as_json = cron("due", "--as-of", "2003-01-06", "--format", "json", url=url)
    as_csv = cron("due", "--as-of", "2003-01-06", "--format", "csv", url=url)
    assert (as_json.returncode, as_csv.returncode) == (1, 1)
    document = json.loads(as_json.stdout)
    assert (document["as_of"], document["within"]) == ("2003-01-06", 3)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [{k: str(v) for k, v in flag.items()} for flag in document["flags"]] == rows
    first, second = document["flags"]
    assert first == {
        "deadline": "2002-07-03",
        "stage": "overdue",
        "due": "2002-06-30",
        "employee": BAKER_NAME,
        "company": HECLA,
        "agreement": BAKER,
        "installment": 1,
        "owed": "69381.37",
        "principal_owed": "66000.00",
        "interest_owed": "3381.37",
        "daily_interest": "18.08",
        "calendar": "US",
    }
    assert (second["stage"], second["deadline"], second["owed"]) == (
        "in window",
        "2003-01-06",
        "132000.00",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--within", "-1"), "Invalid value for '--within': -1 is not in the range 0<=x<=60"),
        (("--as-of", "2002-13-01"), '--as-of = "2002-13-01": not a date'),
        (("--format", "xml"), "'xml' is not one of 'text', 'json', 'csv'"),
    ],
)
def test_bad_input_exits_2_with_one_line(url, args, message):
    result = cron("due", *args, url=url)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert message in result.stderr


def test_an_unreachable_database_exits_3(tmp_path: Path):
    result = cron("due", url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 3
    assert result.stderr.startswith("comp-tracker: error: cannot open the database")
    assert len(result.stderr.splitlines()) == 1


def write_overdue_now(path: Path) -> Path:
    """An agreement whose first installment fell due a month before today (whatever day it is)."""
    today = dt.date.today()  # noqa: DTZ011 - the job's own notion of today
    path.write_text(
        "\n".join(
            [
                "[agreement]",
                'id = "granite-okafor-now"',
                'company = "Granite Ridge Minerals Corp."',
                'employee = "Dana Okafor"',
                f"effective = {today - dt.timedelta(days=60)}",
                f"expires = {today + dt.timedelta(days=365)}",
                "",
                "[[agreement.installments]]",
                f"due = {today - dt.timedelta(days=30)}",
                'amount = "25000.00"',
                "",
                "[[agreement.installments]]",
                f"due = {today + dt.timedelta(days=200)}",
                'amount = "50000.00"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def test_todays_run_records_alerts_that_hr_acknowledges(tmp_path):
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    assert cli("--db", url, "import", str(write_overdue_now(tmp_path / "now.toml"))).returncode == 0
    # A what-if for another day records nothing.
    assert cron("due", "--as-of", "2030-01-02", url=url).returncode == 1
    assert json.loads(cron("alerts", "--format", "json", url=url).stdout) == []

    assert cron("due", url=url).returncode == 1
    assert cron("due", url=url).returncode == 1  # the second run adds no alert
    [alert] = json.loads(cron("alerts", "--format", "json", url=url).stdout)
    assert (alert["id"], alert["stage"], alert["installment"]) == (1, "overdue", 1)
    assert alert["acknowledged_at"] is None

    listed = cron("alerts", url=url)
    assert listed.returncode == 0
    assert "Dana Okafor" in listed.stdout
    assert "  overdue  " in listed.stdout

    acked = cli("--db", url, "--actor", "hr.lead", "alerts", "ack", "1", "--note", "wired today")
    assert acked.returncode == 0, acked.stderr
    assert acked.stdout.startswith("Acknowledged alert 1: granite-okafor-now installment 1")
    assert cron("alerts", url=url).stdout == "No alerts waiting for acknowledgement.\n"
    [kept] = json.loads(cron("alerts", "--all", "--format", "json", url=url).stdout)
    assert kept["acknowledged_by"] == "hr.lead"

    again = cron("alerts", "ack", "1", url=url)
    assert again.returncode == 2
    assert again.stderr.startswith(
        "comp-tracker: error: alert = 1: already acknowledged by hr.lead"
    )
    unknown = cron("alerts", "ack", "7", url=url)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        2,
        "comp-tracker: error: alert = 7: no such alert (see 'comp-tracker alerts --all')",
    )
