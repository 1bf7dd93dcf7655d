"""The layers stay apart: the engine is headless, and the schedule command starts light.

Two checks, as harlequin's import-hygiene tests do it: what each engine module says it imports
(read from its source), and what a fresh interpreter has loaded after using it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import BAKER_FILE, ROOT, cli

DOMAIN = ROOT / "comp_tracker" / "domain"
#: Third-party packages the engine may use (brief: stdlib, python-dateutil, holidays).
ENGINE_MAY_IMPORT = {"holidays", "dateutil"}
HEAVY = ("textual", "sqlalchemy", "sqlmodel", "alembic", "psycopg")


def imported_top_level(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_engine_imports_only_stdlib_holidays_and_dateutil(path):
    for name in imported_top_level(path):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or top in ENGINE_MAY_IMPORT or top == "__future__", (
            f"{path.name} imports {name}: the engine may import only the standard library, "
            "holidays and dateutil (and its own modules, relatively)"
        )


def loaded_after(code: str, *, top_level: bool = True) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code`` (or their packages)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    modules = json.loads(result.stdout.splitlines()[-1])
    return {m.split(".")[0] for m in modules} if top_level else set(modules)


def test_engine_loads_no_database_cli_or_ui_package():
    loaded = loaded_after("import comp_tracker.domain")
    forbidden = {*HEAVY, "typer", "rich", "click"}
    assert not loaded & forbidden


def test_sample_data_loads_no_database_cli_or_ui_package():
    loaded = loaded_after("import comp_tracker.sample.synthetic")
    assert not loaded & {*HEAVY, "typer", "rich", "click"}
    assert not {
        m
        for m in loaded_after("import comp_tracker.sample.synthetic", top_level=False)
        if m.startswith(("comp_tracker.services", "comp_tracker.storage"))
    }


def test_schedule_command_loads_no_database_or_ui_package():
    code = (
        "import contextlib, io, sys\n"
        "from comp_tracker.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    app(['schedule', {str(BAKER_FILE)!r}, '--as-of', '2002-09-30'],"
        " standalone_mode=False)"
    )
    loaded = loaded_after(code)
    assert "comp_tracker" in loaded
    assert not loaded & set(HEAVY)


HEADLESS = sorted(
    p
    for folder in ("storage", "services")
    for p in (ROOT / "comp_tracker" / folder).rglob("*.py")
    if "versions" not in p.parts
)


@pytest.mark.parametrize("path", HEADLESS, ids=lambda p: str(p.relative_to(ROOT / "comp_tracker")))
def test_storage_and_services_import_no_ui_or_cli(path):
    for name in imported_top_level(path):
        assert name.split(".")[0] not in {"textual", "typer", "rich", "click"}, (path, name)
        assert not name.startswith("comp_tracker.cli"), (path, name)


SERVICES = sorted((ROOT / "comp_tracker" / "services").rglob("*.py"))


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: str(p.relative_to(ROOT / "comp_tracker")))
def test_services_hold_no_sql(path):
    """SQL lives in storage alone: a service reads through storage's named queries and writes
    through its unit of work, and never imports SQLAlchemy or SQLModel (not even for a type)."""
    for name in imported_top_level(path):
        assert name.split(".")[0] not in {"sqlalchemy", "sqlmodel", "alembic"}, (path, name)
    text = path.read_text()
    assert "sqlalchemy" not in text, path
    assert "sqlmodel" not in text, path


def test_services_load_no_ui_package():
    loaded = loaded_after(
        "import comp_tracker.services.agreements.importing, "
        "comp_tracker.services.events.recording, comp_tracker.services.agreements.reading, "
        "comp_tracker.services.demo, comp_tracker.config"
    )
    assert "sqlalchemy" in loaded
    assert not loaded & {"textual", "typer", "rich", "click"}


def test_the_due_job_loads_no_ui_orm_or_migrations(tmp_path):
    """The scheduled job stays light: no Textual, no SQLModel or ORM, no Alembic once migrated."""
    url = f"sqlite:///{tmp_path / 'due.db'}"
    assert cli("--db", url, "import", str(BAKER_FILE)).returncode == 0
    code = (
        "import contextlib, io\n"
        "from comp_tracker.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    app(['--db', {url!r}, 'due', '--as-of', '2002-07-05'], standalone_mode=False)"
    )
    modules = loaded_after(code, top_level=False)
    assert "comp_tracker.services.due.job" in modules
    assert not {m.split(".")[0] for m in modules} & {"textual", "sqlmodel", "alembic"}
    assert "sqlalchemy.orm" not in modules


UI = sorted((ROOT / "comp_tracker" / "tui").rglob("*.py"))


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(ROOT / "comp_tracker")))
def test_the_ui_reads_and_writes_only_through_the_services(path):
    """The TUI is thin: no SQL, no tables, no CLI; every figure and every write is a service's."""
    for name in imported_top_level(path):
        assert name.split(".")[0] not in {"sqlalchemy", "sqlmodel", "alembic", "typer"}, (
            path,
            name,
        )
        assert not name.startswith(("comp_tracker.storage", "comp_tracker.cli")), (path, name)
