"""The database commands as HR and an operator type them: real processes, no terminal.

Every mistake gets one line on stderr naming the field and the value, exit status 2, nothing on
stdout, and leaves the database byte-for-byte as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, SCENARIOS, cli, digest, write_terms


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the Baker agreement paid, then terminated, and a voided payment."""
    folder = tmp_path_factory.mktemp("db")
    path = folder / "records.db"
    url = f"sqlite:///{path}"
    steps = [
        (
            "import",
            str(BAKER_FILE),
            str(write_terms(folder / "g.toml", "granite-okafor", "Dana Okafor")),
        ),
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "6600.00", "--installment", "1"),
        ("void", "1", "--reason", "typed 6,600 for 66,000"),
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "66000.00", "--installment", "1"),
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "resignation"),
    ]
    for step in steps:
        result = cli("--db", url, "--actor", "hr", *step)
        assert result.returncode == 0, (step, result.stderr)
    return path


BAD = [
    (
        ("pay", "no-such-id", "--date", "2002-07-01", "--amount", "1.00"),
        'agreement = "no-such-id": no such agreement',
    ),
    (
        ("pay", "granite-okafor", "--date", "2022-07-01", "--amount", "150000.01"),
        "payment.amount = 150000.01: overpayment: only 150000.00 is owed in all on 2022-07-01",
    ),
    (
        ("pay", BAKER, "--date", "2002-12-31", "--amount", "132000.00", "--installment", "2"),
        "payment.installment = 2: installment 2 was forfeited on 2002-09-16",
    ),
    (
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "sixty"),
        '--amount = "sixty": not an amount',
    ),
    (
        ("pay", BAKER, "--date", "2002-13-01", "--amount", "1.00"),
        '--date = "2002-13-01": not a date',
    ),
    (
        ("pay", "granite-okafor", "--date", "2022-07-01", "--amount", "-5.00"),
        "amount = -5.00: must be a positive amount",
    ),
    (
        ("terminate", "Dana Okafor", "--date", "2021-10-01", "--reason", "death"),
        "termination.date = 2021-10-01: is before the effective date of every agreement",
    ),
    (
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "without_cause"),
        "already has a termination on 2002-09-16",
    ),
    (
        ("terminate", "Nobody Atall", "--date", "2002-09-16", "--reason", "death"),
        'employee = "Nobody Atall": no such employee',
    ),
    (
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "fired"),
        "Invalid value for '--reason'",
    ),
    (
        ("change-in-control", "Nowhere Inc.", "--date", "2002-09-16"),
        'company = "Nowhere Inc.": no such company',
    ),
    (
        ("change-in-control", HECLA, "--date", "2001-01-01"),
        "change_in_control.date = 2001-01-01: is before the effective date of every agreement",
    ),
    (("void", "1", "--reason", "again"), "event = 1: already voided"),
    (("void", "999", "--reason", "typo"), "event = 999: no such event"),
    (("void", "2", "--reason", " "), 'reason = " ": say why the event is void'),
    (
        ("amend", BAKER, "--date", "2002-06-01", "--expires", "2002-05-01"),
        "amendment.expires = 2002-05-01: is before the amendment's date 2002-06-01",
    ),
    (("amend", BAKER, "--date", "2002-06-01"), "give --expires, --installment or"),
    (("import", str(SCENARIOS / "baker-resigned.toml")), "is already stored and the file differs"),
    (
        ("clone", "no-such-id", "--employee", "Ines Lindqvist"),
        'agreement = "no-such-id": no such agreement',
    ),
    (
        ("clone", "granite-okafor", "--employee", "Dana Okafor"),
        'employee = "Dana Okafor": is already the party to granite-okafor',
    ),
    (("show", "no-such-id"), 'agreement = "no-such-id": no such agreement'),
    (("history", "no-such-id"), 'agreement = "no-such-id": no such agreement'),
    (("agreements", "--status", "late"), 'status = "late": must be one of'),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:2]) for a, _ in BAD])
def test_a_mistake_is_one_line_and_changes_nothing(recorded, args, message):
    before = digest(recorded)
    result = cli("--db", f"sqlite:///{recorded}", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("comp-tracker: error: ")
    assert message in line
    assert digest(recorded) == before


@pytest.mark.parametrize(
    "args",
    [BAD[0][0], ("agreements", "--status", "late"), ("pay", BAKER, "--bogus"), ("show", BAKER)],
    ids=["refused", "bad choice", "usage", "accepted"],
)
def test_a_real_process_answers_as_the_tests_own_process_does(recorded, args):
    """The tests run the command in their own process (support.cli); the installed command in
    a process of its own gives the same status, stdout and stderr."""
    here = cli("--db", f"sqlite:///{recorded}", *args)
    there = cli("--db", f"sqlite:///{recorded}", *args, process=True)
    assert (there.returncode, there.stdout, there.stderr) == (
        here.returncode,
        here.stdout,
        here.stderr,
    )


def test_a_broken_file_names_the_file_and_field(recorded, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(BAKER_FILE.read_text().replace('"66000.00"', '"66,000.00"'))
    before = digest(recorded)
    result = cli("--db", f"sqlite:///{recorded}", "import", str(broken))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert f"{broken}: agreement.installments[1].amount" in line
    assert digest(recorded) == before


def test_show_is_the_schedule_commands_json(recorded):
    stored = cli(
        "--db", f"sqlite:///{recorded}", "show", BAKER, "--as-of", "2002-09-30", "--format", "json"
    )
    from_file = cli(
        "schedule",
        str(BAKER_FILE),
        "--as-of",
        "2002-09-30",
        "--format",
        "json",
    )
    assert stored.returncode == from_file.returncode == 0
    shown, expected = json.loads(stored.stdout), json.loads(from_file.stdout)
    assert set(shown) == set(expected)
    assert (shown["ends_on"], shown["end_reason"]) == ("2002-09-20", "termination")
    assert [i["status"] for i in shown["installments"]] == ["paid", "forfeited"]


def test_history_newest_first_with_the_void(recorded):
    result = cli("--db", f"sqlite:///{recorded}", "history", BAKER, "--format", "json")
    data = json.loads(result.stdout)
    assert [(e["type"], e["void"] is not None) for e in data["events"]] == [
        ("termination", False),
        ("payment", False),
        ("payment", True),
    ]
    assert [a["action"] for a in data["audit"]] == ["terminate", "pay", "void", "pay", "import"]
    assert {a["actor"] for a in data["audit"]} == {"hr"}
    table = cli("--db", f"sqlite:///{recorded}", "history", BAKER)
    voided = next(line for line in table.stdout.splitlines() if line.startswith(" #1 "))
    assert "payment 6600.00" in voided
    assert "VOID" in voided
    assert all(len(line) <= 80 for line in table.stdout.splitlines())


def test_agreements_lists_with_filters(recorded):
    url = f"sqlite:///{recorded}"
    result = cli("--db", url, "agreements", "--as-of", "2022-07-15", "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["granite-okafor"]["status"] == "overdue"
    assert rows["granite-okafor"]["principal_outstanding"] == "150000.00"
    assert rows[BAKER]["status"] == "ended"
    only = cli(
        "--db", url, "agreements", "--status", "ended", "--as-of", "2022-07-15", "--format", "json"
    )
    assert [r["id"] for r in json.loads(only.stdout)] == [BAKER]
    table = cli("--db", url, "agreements", "--as-of", "2022-07-15")
    assert "granite-okafor" in table.stdout
    assert all(len(line) <= 80 for line in table.stdout.splitlines())


def test_export_import_round_trip(recorded, tmp_path):
    exported = tmp_path / "out.toml"
    url = f"sqlite:///{recorded}"
    assert cli("--db", url, "export-agreement", BAKER, "--output", str(exported)).returncode == 0
    assert exported.stat().st_mode & 0o777 == 0o600
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert cli("--db", fresh, "import", str(exported)).returncode == 0
    for as_of in ("2002-06-01", "2002-07-31", "2003-02-01"):
        args = ("show", BAKER, "--as-of", as_of, "--format", "json")
        assert json.loads(cli("--db", url, *args).stdout) == json.loads(
            cli("--db", fresh, *args).stdout
        )
    again = cli("--db", fresh, "import", str(exported))
    assert "unchanged" in again.stdout


def test_clone_and_amend_through_the_cli(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli("--db", url, "import", str(BAKER_FILE)).returncode == 0
    cloned = cli(
        "--db", url, "clone", BAKER, "--employee", "Dana Okafor", "--employee", "Ines Lindqvist"
    )
    assert cloned.returncode == 0, cloned.stderr
    assert f"{BAKER}-dana-okafor" in cloned.stdout
    amended = cli(
        "--db",
        url,
        "amend",
        f"{BAKER}-dana-okafor",
        "--date",
        "2002-10-01",
        "--expires",
        "2003-07-07",
        "--installment",
        "2003-06-30=132000.00",
    )
    assert amended.returncode == 0, amended.stderr
    shown = json.loads(
        cli(
            "--db", url, "show", f"{BAKER}-dana-okafor", "--as-of", "2003-01-10", "--format", "json"
        ).stdout
    )
    assert shown["installments"][1]["due"] == "2003-06-30"
