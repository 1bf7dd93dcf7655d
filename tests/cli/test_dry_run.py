"""``--dry-run`` on every write command: what would be recorded, the same refusals, nothing written.

Each case runs the command with ``--dry-run`` and checks the database is byte-for-byte as it was,
then runs it for real: a refusal is the same one line with the same exit status; an accepted
change's dry-run JSON is what ``show --format json`` prints after the real write.
"""

from __future__ import annotations

import json

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, SCENARIOS, cli, digest, write_terms

AS_OF = ("--as-of", "2002-10-01")

CASES = [
    pytest.param(("pay", BAKER, "--date", "2002-07-01", "--amount", "66,000.00"), True, id="pay"),
    pytest.param(
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "6,6000.5"), False, id="pay-misgrouped"
    ),
    pytest.param(
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "198000.01"), False, id="overpayment"
    ),
    pytest.param(
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "without_cause"),
        True,
        id="terminate",
    ),
    pytest.param(
        ("terminate", BAKER_NAME, "--date", "2002-09-16", "--reason", "good_reason"),
        True,
        id="terminate-good-reason",
    ),
    pytest.param(
        ("terminate", BAKER_NAME, "--date", "2001-01-01", "--reason", "death"),
        False,
        id="terminate-too-early",
    ),
    pytest.param(
        ("change-in-control", HECLA, "--date", "2002-08-01"), True, id="change-in-control"
    ),
    pytest.param(
        ("change-in-control", "Nowhere Inc.", "--date", "2002-08-01"), False, id="no-such-company"
    ),
    pytest.param(
        (
            "amend",
            BAKER,
            "--date",
            "2002-08-01",
            "--installment",
            "2003-06-30=132000.00",
            "--expires",
            "2003-07-31",
        ),
        True,
        id="amend",
    ),
    pytest.param(
        ("amend", BAKER, "--date", "2002-08-01", "--expires", "2002-07-01"), False, id="amend-bad"
    ),
    pytest.param(("void", "1", "--reason", "wrong amount"), True, id="void"),
    pytest.param(("void", "1", "--reason", " "), False, id="void-no-reason"),
    pytest.param(("void", "99", "--reason", "typo"), False, id="void-no-such-event"),
    pytest.param(
        ("clone", BAKER, "--employee", "Dana Okafor", "--employee", "Ines Lindqvist"),
        True,
        id="clone",
    ),
    pytest.param(("clone", BAKER, "--employee", "!!!"), False, id="clone-no-id"),
    pytest.param(("import", str(SCENARIOS / "baker-resigned.toml")), False, id="import-differs"),
    pytest.param(
        ("import", "--amend", str(SCENARIOS / "baker-resigned.toml")), True, id="import-amend"
    ),
]


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'records.db'}"
    for step in (
        ("import", str(BAKER_FILE)),
        ("pay", BAKER, "--date", "2002-07-01", "--amount", "6600.00", "--installment", "1"),
    ):
        result = cli("--db", url, "--actor", "hr", *step)
        assert result.returncode == 0, result.stderr
    return tmp_path / "records.db", url


@pytest.mark.parametrize(("args", "accepted"), CASES)
def test_a_dry_run_is_the_write_without_the_commit(database, args, accepted):
    path, url = database
    before = digest(path)
    dry = cli("--db", url, *args, *AS_OF, "--dry-run", "--format", "json")
    assert digest(path) == before, "a dry run wrote"
    real = cli("--db", url, *args, *AS_OF)
    assert dry.returncode == real.returncode == (0 if accepted else 2), (dry.stderr, real.stderr)
    if not accepted:
        assert dry.stderr == real.stderr
        assert dry.stderr.count("\n") == 1
        assert dry.stdout == ""
        assert digest(path) == before
        return
    assert real.stdout.startswith(("Recorded event #", "created ", "amended "))
    planned = json.loads(dry.stdout)
    schedules = planned if isinstance(planned, list) else [planned]
    for schedule in schedules:
        shown = cli("--db", url, "show", schedule["agreement"]["id"], *AS_OF, "--format", "json")
        assert json.loads(shown.stdout) == schedule


def test_a_dry_run_says_what_it_would_record_and_shows_the_schedule_after(database):
    path, url = database
    before = digest(path)
    result = cli(
        "--db",
        url,
        "terminate",
        BAKER_NAME,
        "--date",
        "2002-09-16",
        "--reason",
        "without_cause",
        "--dry-run",
        *AS_OF,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Dry run, nothing recorded. Would record: termination of Phillips S. Baker, Jr. on "
        "2002-09-16 (without_cause)."
    )
    # Installment 1 (66,000.00, 6,600.00 paid) overdue since 2002-07-03, and installment 2
    # accelerated to the termination date.
    assert lines[1].startswith(f"  {BAKER}: owed ")
    assert "As of 2002-10-01" in result.stdout
    assert "* Installment 2 was accelerated from 2002-12-31" in result.stdout
    assert digest(path) == before


def test_an_import_dry_run_creates_nothing_and_shows_what_it_would(database, tmp_path):
    path, url = database
    new = write_terms(tmp_path / "g.toml", "granite-okafor", "Dana Okafor")
    before = digest(path)
    dry = cli("--db", url, "import", str(new), "--dry-run", *AS_OF)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == "Dry run, nothing recorded."
    assert "created    granite-okafor" in dry.stdout
    assert "Would import 1 file(s): 1 created, 0 amended, 0 unchanged." in dry.stdout
    assert digest(path) == before
    assert cli("--db", url, "show", "granite-okafor").returncode == 2
    planned = cli("--db", url, "import", str(new), "--dry-run", "--format", "json", *AS_OF)
    real = cli("--db", url, "import", str(new), "--format", "json", *AS_OF)
    assert real.returncode == 0, real.stderr
    assert json.loads(planned.stdout) == json.loads(real.stdout)
