"""The README stays true: its example file, its commands and its sample output."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support import ROOT, day, usd

from comp_tracker.domain import EndReason, Status, compute_schedule, parse_agreement

README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_test_command_is_what_ci_runs():
    test_command = next(b.strip() for b in blocks("sh") if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_file_example_is_the_shipped_scenario():
    (example,) = blocks("toml")
    shipped = (ROOT / "data" / "scenarios" / "readme-example.toml").read_text()
    assert shipped.endswith(example)


def test_readme_file_example_means_what_the_readme_says():
    (example,) = blocks("toml")
    loaded = parse_agreement(example)
    s = compute_schedule(loaded.terms, loaded.events, day("2002-09-30"))
    first, second = s.installments
    assert first.status is Status.PAID
    assert second.accelerated
    assert (second.due, second.deadline) == (day("2002-09-16"), day("2002-09-19"))
    assert second.interest_outstanding == usd("397.81")
    assert (s.ends_on, s.end_reason) == (day("2002-09-20"), EndReason.TERMINATION)
    assert s.terms.expires == day("2003-06-30")


COMMANDS = [
    line.strip()
    for block in blocks("sh")
    for line in block.splitlines()
    if line.strip().startswith("comp-tracker ")
]
COMMANDS += [
    re.search(r"&& (comp-tracker schedule .*)$", b.strip()).group(1)
    for b in blocks("sh")
    if "pip install -e . &&" in b
]


def run_cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=env,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_commands_work(command):
    result = run_cli(command.split()[1:])
    assert result.returncode == 0, result.stderr
    assert result.stdout


def test_readme_sample_output_is_what_the_command_prints():
    (console, *_) = blocks("console")
    command, *expected = console.splitlines()
    # No terminal, no HOME, a bare PATH: as cron or a pipe would run it.
    result = run_cli(command.removeprefix("$ comp-tracker ").split(), {"COLUMNS": "80", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert [line.rstrip() for line in result.stdout.splitlines()] == expected
