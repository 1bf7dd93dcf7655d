"""The README stays true: its example file, its commands and its sample output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support import ROOT, day, usd

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
            if line.startswith("comp-tracker "):
                commands.append(line)
            elif "pip install -e . &&" in line:
                commands += [c.strip() for c in line.split("pip install -e . &&")[1].split("&&")]
    return commands


COMMANDS = readme_commands()


def run_cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=env,
    )


def run_shell(command: str) -> subprocess.CompletedProcess[str]:
    """As pasted into a shell (globs expanded), with this environment's comp-tracker first on
    PATH and the test's own empty data and config directories."""
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, "PATH": path},
    )


def test_readme_commands_work_in_order_on_a_new_default_database():
    assert any(c.startswith("comp-tracker demo") for c in COMMANDS)
    assert any(c.startswith("comp-tracker schedule") for c in COMMANDS)
    for command in COMMANDS:
        result = run_shell(command)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout, command
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "comp-tracker"
    assert (data_dir / "comp-tracker.db").stat().st_mode & 0o777 == 0o600


def test_readme_error_sample_is_what_the_command_prints():
    [error] = [b for b in blocks("console") if b.startswith("$ comp-tracker pay ")]
    command, expected = error.strip().splitlines()
    assert run_shell("comp-tracker demo").returncode == 0
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


def test_readme_due_sample_is_what_the_job_prints():
    [sample] = [b for b in blocks("console") if b.startswith("$ comp-tracker due ")]
    command, *expected = sample.strip().splitlines()
    assert run_shell("comp-tracker demo").returncode == 0
    result = run_shell(command.removeprefix("$ "))
    assert result.returncode == 1  # something flagged
    assert result.stdout.splitlines() == expected
