"""The README stays true: its example file, its commands and its sample output."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, copy_database, day, sqlite_snapshot, usd

from comp_tracker.domain import EndReason, Status, compute_schedule, parse_agreement

README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_test_command_is_what_ci_runs():
    test_command = next(b.strip() for b in blocks("sh") if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_file_example_is_the_shipped_scenario():
    (example,) = [b for b in blocks("toml") if "[agreement]" in b]
    shipped = (ROOT / "data" / "scenarios" / "readme-example.toml").read_text()
    assert shipped.endswith(example)


def test_readme_file_example_means_what_the_readme_says():
    (example,) = [b for b in blocks("toml") if "[agreement]" in b]
    loaded = parse_agreement(example)
    s = compute_schedule(loaded.terms, loaded.events, day("2002-09-30"))
    first, second = s.installments
    assert first.status is Status.PAID
    assert second.accelerated
    assert (second.due, second.deadline) == (day("2002-09-16"), day("2002-09-19"))
    assert second.interest_outstanding == usd("397.81")
    assert (s.ends_on, s.end_reason) == (day("2002-09-20"), EndReason.TERMINATION)
    assert s.terms.expires == day("2003-06-30")


def readme_commands() -> list[str]:
    """Every comp-tracker command in the README's sh blocks, in order, without comments; and
    those chained after the install in the "run it" command."""
    commands = []
    for block in blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("comp-tracker ") or line == "comp-tracker":
                commands.append(line)
            elif "pip install -e . &&" in line:
                commands += [c.strip() for c in line.split("pip install -e . &&")[1].split("&&")]
    return commands


def is_ui(command: str) -> bool:
    """The terminal UI: the bare command, or ``comp-tracker ui``."""
    return command == "comp-tracker" or command.startswith("comp-tracker ui")


COMMANDS = readme_commands()


def run_cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=env,
        timeout=120,
    )


def run_shell(command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """As pasted into a shell (globs expanded), with this environment's comp-tracker first on
    PATH and the test's own empty data and config directories."""
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={**os.environ, "PATH": path},
        timeout=300,
    )


def default_database() -> Path:
    """Where comp-tracker keeps its database by default, under the test's own data directory."""
    return Path(os.environ["XDG_DATA_HOME"]) / "comp-tracker" / "comp-tracker.db"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """``comp-tracker demo`` run once, as pasted, into a data directory of its own."""
    data = tmp_path_factory.mktemp("demo-data")
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "-c", "comp-tracker demo"],
        capture_output=True,
        text=True,
        check=False,
        env={**env, "PATH": path},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return sqlite_snapshot(f"sqlite:///{data / 'comp-tracker' / 'comp-tracker.db'}")


@pytest.fixture
def demo(demo_template) -> None:
    """The default database as ``comp-tracker demo`` leaves it (a copy of one run of it)."""
    copy_database(demo_template, default_database())


def test_readme_commands_work_in_order_on_a_new_default_database():
    assert any(c.startswith("comp-tracker demo") for c in COMMANDS)
    assert any(c.startswith("comp-tracker schedule") for c in COMMANDS)
    for command in COMMANDS:
        if is_ui(command):
            continue  # test_readme_run_command_opens_the_ui_on_the_sample
        result = run_shell(command)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout, command
    assert default_database().stat().st_mode & 0o777 == 0o600


def test_readme_error_sample_is_what_the_command_prints(demo):
    [error] = [b for b in blocks("console") if b.startswith("$ comp-tracker pay ")]
    command, expected = error.strip().splitlines()
    result = run_shell(command.removeprefix("$ "))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == expected


def test_readme_sample_output_is_what_the_command_prints():
    (console, *_) = blocks("console")
    command, *expected = console.splitlines()
    # No terminal, no HOME, a bare PATH: as cron or a pipe would run it.
    result = run_cli(command.removeprefix("$ comp-tracker ").split(), {"COLUMNS": "80", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert [line.rstrip() for line in result.stdout.splitlines()] == expected


def test_readme_config_example_is_read(tmp_path, monkeypatch):
    from comp_tracker.config import load_settings

    [example] = [b for b in blocks("toml") if "database_url" in b]
    config = tmp_path / "config.toml"
    config.write_text(example)
    monkeypatch.setenv("COMP_TRACKER_CONFIG", str(config))
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://hr@db.example.internal:5432/comp"
    assert settings.actor == "j.rivera"
    assert load_settings(actor="someone").actor == "someone"


def test_readme_due_sample_is_what_the_job_prints(demo):
    [sample] = [b for b in blocks("console") if b.startswith("$ comp-tracker due ")]
    command, *expected = sample.strip().splitlines()
    result = run_shell(command.removeprefix("$ "))
    assert result.returncode == 1  # something flagged
    assert result.stdout.splitlines() == expected


ENV_FILE = "/etc/comp-tracker/job.env"
INSTALLED = "/opt/comp-tracker/.venv/bin/comp-tracker"


def job_env_file(tmp_path: Path, url: str, smtp_port: int) -> Path:
    """The README's environment file, pointed at a test database and a loopback mail server."""
    [example] = blocks("dotenv")
    replace = {
        "COMP_TRACKER_DATABASE_URL": url,
        "COMP_TRACKER_SMTP_HOST": "127.0.0.1",
        "COMP_TRACKER_SMTP_PORT": str(smtp_port),
        "COMP_TRACKER_SMTP_SECURITY": "none",
    }
    lines = []
    for line in example.splitlines():
        name = line.split("=", 1)[0]
        lines.append(f'{name}="{replace[name]}"' if name in replace else line)
    path = tmp_path / "job.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_readme_job_environment_names_only_real_settings():
    from comp_tracker.config import Settings

    [example] = blocks("dotenv")
    names = {line.split("=", 1)[0] for line in example.splitlines()}
    known = {f"COMP_TRACKER_{field.upper()}" for field in Settings.model_fields}
    assert names <= known
    assert {"COMP_TRACKER_SMTP_HOST", "COMP_TRACKER_SMTP_RECIPIENTS"} <= names


def test_readme_crontab_line_and_systemd_service_run_the_job_as_written(tmp_path):
    """The crontab line through sh with cron's bare environment, and the service's ExecStart
    with its EnvironmentFile, each mail the new flags once, with the README's own settings."""
    from mailserver import smtp_server
    from support import overdue_now_database

    [crontab] = blocks("crontab")
    schedule, command = crontab.strip().split("  ", 1)
    assert schedule == "0 7 * * 1-5"  # 7:00, Monday to Friday
    [service, timer] = blocks("ini")
    assert f"EnvironmentFile={ENV_FILE}\n" in service
    assert "OnCalendar=Mon..Fri *-*-* 07:00:00\n" in timer
    exec_line = re.search(r"^ExecStart=(.*)$", service, re.M)
    success_line = re.search(r"^SuccessExitStatus=(.*)$", service, re.M)
    assert exec_line, service
    assert success_line, service
    exec_start = exec_line.group(1)
    success = {0, *map(int, success_line.group(1).split())}
    installed = str(Path(sys.executable).with_name("comp-tracker"))

    url = overdue_now_database(tmp_path)
    with smtp_server(password="change-me") as inbox:  # the README's password
        env_file = job_env_file(tmp_path, url, inbox.port)
        line = command.replace(ENV_FILE, str(env_file)).replace(INSTALLED, installed)
        as_cron = subprocess.run(
            ["/bin/sh", "-c", line],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"},  # what cron gives a job
            timeout=120,
        )
        assert as_cron.returncode == 1, as_cron.stderr
        assert "E-mailed 1 new flag to payroll@example.com, hr-benefits@example.com." in (
            as_cron.stdout
        )
        [message] = [r.message for r in inbox.received]
        assert message["From"] == "comp-tracker@example.com"
        assert inbox.logins == ["comp-tracker@example.com"]
        assert inbox.logins == ["comp-tracker@example.com"]

        # systemd: ExecStart with the variables of EnvironmentFile (quotes removed), no shell.
        variables = dict(
            (name, value.strip('"'))
            for name, value in (line.split("=", 1) for line in env_file.read_text().splitlines())
        )
        as_systemd = subprocess.run(
            exec_start.replace(INSTALLED, installed).split(),
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", **variables},
            timeout=120,
        )
        assert as_systemd.returncode in success, as_systemd.stderr
        assert as_systemd.stdout.endswith("E-mail: nothing new to send.\n")
        assert len(inbox.received) == 1


def test_readme_accrual_samples_are_what_the_export_prints(demo, tmp_path):
    samples = [b for b in blocks("console") if b.startswith("$ comp-tracker accruals ")]
    [journal] = [b for b in samples if "--report journal" in b]
    [workbook] = [b for b in samples if "--output q3-2002.xlsx" in b]
    command, *expected = journal.strip().splitlines()
    result = run_shell(command.removeprefix("$ "))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected

    command, *expected = workbook.strip().splitlines()
    result = run_shell(command.removeprefix("$ "), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "q3-2002.xlsx").is_file()
    printed = result.stdout.splitlines()
    assert printed[:-1] == expected[:-1]
    moment = r"--as-recorded-at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"
    assert re.fullmatch(r"To reproduce it later: " + moment, printed[-1])
    assert re.fullmatch(r"To reproduce it later: " + moment, expected[-1])


def test_readme_account_settings_are_the_real_ones():
    from comp_tracker.config import Settings
    from comp_tracker.domain.accruals import Accounts

    table = re.findall(r"^\| `(account_\w+)` \| (.+?) \|$", README, re.M)
    fields = {n: f.default for n, f in Settings.model_fields.items() if n.startswith("account_")}
    assert dict(table) == fields
    # The settings' defaults are the engine's own defaults, so both places name the same accounts.
    assert fields == {f"account_{k}": v for k, v in dataclasses.asdict(Accounts()).items()}


def in_terminal(
    command: str, keys: list[tuple[str, bytes]], timeout: float = 60
) -> tuple[int, str]:
    """Run ``command`` in a pseudo-terminal of 80x24, as a person would in theirs: wait until the
    screen shows each text, then type the keys beside it. Returns the exit status and all the
    output (with the terminal's escape codes)."""
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell, on the terminal
        os.chdir(ROOT)
        os.execvpe("bash", ["bash", "-c", command], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    deadline = time.monotonic() + timeout
    pending = list(keys)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if pending and pending[0][0].encode() in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", seen):
            time.sleep(0.5)
            for key in pending.pop(0)[1]:  # one key at a time, as typed
                os.write(fd, bytes([key]))
                time.sleep(0.02)
    # Bounded: the command gets a few seconds to exit after its output ends (or the time is up),
    # then its whole session is killed, so a stuck UI fails the test instead of hanging it.
    status = None
    patience = time.monotonic() + (10 if time.monotonic() < deadline else 0)
    while status is None:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
        elif time.monotonic() >= patience:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, 9)  # pty.fork made the child a session (and group) leader
            status = os.waitpid(pid, 0)[1]
        else:
            time.sleep(0.1)
    os.close(fd)
    shown = seen.decode("utf-8", "replace")
    if pending:
        plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", " ", shown)
        raise AssertionError(f"the screen never showed {pending[0][0]!r}: {plain[-3000:]}")
    return os.waitstatus_to_exitcode(status), shown


def test_readme_run_command_opens_the_ui_on_the_sample():
    """The README's run command (after its install): the UI opens on a new default database
    loaded with the sample, ``d`` sets the as-of date, and ``q`` quits with status 0."""
    (command,) = [c for c in COMMANDS if is_ui(c)]
    status, screen = in_terminal(
        command,
        [
            ("What needs attention", b"d"),
            ("As-of date", b"\x15" + b"2002-07-05\r"),
            ("66,036.16", b"q"),
        ],
    )
    assert status == 0, screen[-2000:]
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert "Phillips S. Baker, Jr." in text
    assert "as of Fri 5 Jul 2002" in text
    assert default_database().stat().st_mode & 0o777 == 0o600


def test_readme_dry_run_sample_is_what_the_command_prints_and_writes_nothing(demo):
    [sample] = [b for b in blocks("console") if "--dry-run" in b]
    command, first, *_ = sample.strip().splitlines()
    result = run_shell(command.removeprefix("$ "))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == first
    assert "As of 2002-10-01" in result.stdout
    history = run_shell("comp-tracker history hecla-baker-2001-retention --format json")
    assert json.loads(history.stdout)["events"] == []
