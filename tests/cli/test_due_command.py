"""``comp-tracker due`` as cron runs it: no terminal, no HOME, no colour; its exit status is its
answer (0 nothing flagged, 1 flagged, 2 bad input, 3 no database, 4 mail not sent, 5 another
--notify run still running)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mailserver import free_port, smtp_server
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, ROOT, cli, write_overdue_now

from comp_tracker.storage.database import open_database
from comp_tracker.storage.locks import job_lock


def cron_env(url: str, **extra: str) -> dict[str, str]:
    """A crontab line's environment: PATH, what the line sets, and nothing else (no HOME)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COMP_TRACKER_DATABASE_URL": url,
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def cron(*args: str, url: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The command as a crontab line runs it: a bare environment, no HOME, no terminal (in this
    process; the first tests below run a real one, ``cron_process``, and see the same)."""
    return cli(*args, env=cron_env(url, **extra), bare=True)


def cron_process(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """``cron`` in a real process of its own."""
    return cli(*args, env=cron_env(url), bare=True, process=True)


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('due') / 'due.db'}"
    result = cli("--db", url, "import", str(BAKER_FILE))
    assert result.returncode == 0, result.stderr
    return url


def test_nothing_to_flag_exits_0_with_a_clean_line(url):
    result = cron_process("due", "--as-of", "2002-06-25", url=url)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "comp-tracker due, as of 2002-06-25 (upcoming: within 3 business days)\n"
        "Nothing to flag: no installment is upcoming, in its window or overdue.\n"
    )


def test_an_overdue_installment_exits_1_with_a_plain_text_report(url):
    result = cron_process("due", "--as-of", "2002-07-05", url=url)
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


def smtp_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "COMP_TRACKER_SMTP_HOST": "127.0.0.1",
        "COMP_TRACKER_SMTP_PORT": str(port),
        "COMP_TRACKER_SMTP_SECURITY": "none",
        "COMP_TRACKER_SMTP_SENDER": "comp-tracker@granite.example",
        "COMP_TRACKER_SMTP_RECIPIENTS": "payroll@granite.example, hr@granite.example",
        "COMP_TRACKER_SMTP_TIMEOUT": "5",
        **extra,
    }


@pytest.fixture
def now_url(tmp_path) -> str:
    """A database whose one agreement has an installment overdue today, whatever day it is."""
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    assert cli("--db", url, "import", str(write_overdue_now(tmp_path / "now.toml"))).returncode == 0
    return url


def mailed(url: str) -> list[bool]:
    listed = json.loads(cron("alerts", "--all", "--format", "json", url=url).stdout)
    return [alert["notified_at"] is not None for alert in listed]


def test_notify_mails_the_new_flags_once(now_url):
    with smtp_server() as inbox:
        first = cron("due", "--notify", url=now_url, **smtp_env(inbox.port))
        assert first.returncode == 1, first.stderr
        assert first.stderr == ""
        assert first.stdout.endswith(
            "\nE-mailed 1 new flag to payroll@granite.example, hr@granite.example.\n"
        )
        [received] = inbox.received
        assert received.rcpt_tos == ["payroll@granite.example", "hr@granite.example"]
        assert received.message["Subject"].startswith("comp-tracker: 1 overdue (as of ")
        row = next(line for line in received.body.splitlines() if "Dana Okafor" in line)
        assert "  overdue  " in row
        # The principal with the interest so far, and what a day adds (25,000.00 x 10% / 365).
        assert re.search(r"granite-okafor-now  1  25,[1-2]\d\d\.\d\d +\d+\.\d\d +6\.85$", row)

        second = cron("due", "--notify", url=now_url, **smtp_env(inbox.port))
        assert second.returncode == 1
        assert second.stdout.endswith("\nE-mail: nothing new to send.\n")
        assert len(inbox.received) == 1
    assert mailed(now_url) == [True]


def test_a_mail_server_that_is_down_exits_4_and_the_next_run_retries(now_url):
    port = free_port()
    down = cron("due", "--notify", url=now_url, **smtp_env(port))
    assert down.returncode == 4
    assert "Dana Okafor" in down.stdout  # the report is still printed
    assert down.stderr == (
        f"comp-tracker due: cannot send mail through 127.0.0.1:{port}: Connection refused; "
        "nothing was e-mailed, and the next run will send these flags again\n"
    )
    assert mailed(now_url) == [False]
    with smtp_server() as inbox:
        retried = cron("due", "--notify", url=now_url, **smtp_env(inbox.port))
        assert retried.returncode == 1, retried.stderr
        assert len(inbox.received) == 1
    assert mailed(now_url) == [True]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ("--as-of", "2030-01-02"),
            {},
            'comp-tracker: error: --as-of = "2030-01-02": --notify e-mails only what today\'s '
            "run flags; leave --as-of out",
        ),
        (
            (),
            {"COMP_TRACKER_SMTP_SENDER": ""},
            "comp-tracker: error: --notify needs smtp_sender: set COMP_TRACKER_SMTP_SENDER or "
            "smtp_sender in ",
        ),
        (
            (),
            {"COMP_TRACKER_SMTP_USERNAME": "payroll-bot"},
            "comp-tracker: error: --notify: smtp_username = 'payroll-bot' needs a password: set "
            "COMP_TRACKER_SMTP_PASSWORD in the job's environment",
        ),
        (
            (),
            {"COMP_TRACKER_SMTP_SECURITY": "tls"},
            "comp-tracker: error: COMP_TRACKER_SMTP_SECURITY = 'tls': Input should be 'starttls', "
            "'ssl' or 'none'",
        ),
    ],
)
def test_notify_settings_mistakes_exit_2_with_one_line_and_record_nothing(
    now_url, args, env, message
):
    result = cron("due", "--notify", *args, url=now_url, **(smtp_env(1) | env))
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert mailed(now_url) == []


def test_the_password_is_read_from_the_environment_only_and_never_printed(now_url, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('smtp_password = "hunter2-in-a-file"\n', encoding="utf-8")
    in_file = cron("due", "--notify", url=now_url, COMP_TRACKER_CONFIG=str(config), **smtp_env(1))
    assert in_file.returncode == 2
    assert in_file.stderr == (
        f"comp-tracker: error: {config}: smtp_password is not read from the config file (it "
        "would sit there in plain text): set COMP_TRACKER_SMTP_PASSWORD in the job's environment\n"
    )

    with smtp_server(password="correct-Horse-7") as inbox:
        login = {"COMP_TRACKER_SMTP_USERNAME": "payroll-bot"}
        wrong = cron(
            "due",
            "--notify",
            url=now_url,
            **smtp_env(inbox.port, **login, COMP_TRACKER_SMTP_PASSWORD="wrong-Horse-7"),
        )
        assert wrong.returncode == 4
        assert wrong.stderr.startswith(
            f"comp-tracker due: the mail server 127.0.0.1:{inbox.port} refused the login: 535"
        )
        assert "Horse" not in wrong.stdout + wrong.stderr
        right = cron(
            "due",
            "--notify",
            url=now_url,
            **smtp_env(inbox.port, **login, COMP_TRACKER_SMTP_PASSWORD="correct-Horse-7"),
        )
        assert right.returncode == 1, right.stderr
        assert "Horse" not in right.stdout + right.stderr
        assert (inbox.logins, len(inbox.received)) == (["payroll-bot"], 1)


def test_runs_started_together_wait_for_each_other_and_send_one_message(now_url):
    database = open_database(now_url)
    try:
        with smtp_server() as inbox:
            with job_lock(database, "due --notify", wait=0):  # a run in progress
                runs = [
                    subprocess.Popen(
                        [sys.executable, "-m", "comp_tracker.cli", "due", "--notify"],
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        stdin=subprocess.DEVNULL,
                        text=True,
                        cwd=ROOT,
                        env=cron_env(now_url, **smtp_env(inbox.port)),
                    )
                    for _ in range(2)
                ]
                time.sleep(1.5)
                assert [run.poll() for run in runs] == [None, None]  # both waiting
                assert mailed(now_url) == []
            outputs = [run.communicate(timeout=120) for run in runs]
            assert [run.returncode for run in runs] == [1, 1], outputs
            assert len(inbox.received) == 1
            assert sorted(out.rsplit("\n", 2)[-2] for out, _ in outputs) == [
                "E-mail: nothing new to send.",
                "E-mailed 1 new flag to payroll@granite.example, hr@granite.example.",
            ]

            with job_lock(database, "due --notify", wait=0):
                busy = cron("due", "--notify", "--wait", "1", url=now_url, **smtp_env(inbox.port))
            assert busy.returncode == 5
            assert busy.stdout == ""
            assert busy.stderr == (
                "comp-tracker due: another 'due --notify' run is still working on this database "
                "after waiting 1 s; this run did nothing\n"
            )
    finally:
        database.dispose()
