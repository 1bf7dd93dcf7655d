"""The Core tables the queries use are the SQLModel tables, column for column, on both databases."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import MetaData, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

from comp_tracker.storage import models, tables

assert models  # imported for its side effect: it registers the SQLModel tables


def _ddl(metadata: MetaData, dialect: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table in metadata.sorted_tables:
        statements = [str(CreateTable(table).compile(dialect=dialect)).strip()]  # type: ignore[arg-type]
        statements += sorted(
            str(CreateIndex(index).compile(dialect=dialect))  # type: ignore[arg-type]
            for index in table.indexes
        )
        out[table.name] = statements
    return out


def _shape(table: Table) -> list[tuple[object, ...]]:
    """What the DDL may not show: Python-side types (the UTC decorator), defaults, keys."""
    return [
        (
            c.name,
            repr(c.type),
            c.nullable,
            c.primary_key,
            sorted(fk.target_fullname for fk in c.foreign_keys),
            c.server_default.arg if c.server_default is not None else None,  # type: ignore[attr-defined]
        )
        for c in table.columns
    ]


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_core_tables_compile_to_the_models_ddl(dialect):
    assert _ddl(tables.metadata, dialect) == _ddl(SQLModel.metadata, dialect)


def test_core_tables_have_the_models_columns_and_constraints():
    assert sorted(tables.metadata.tables) == sorted(SQLModel.metadata.tables)
    for name, core in tables.metadata.tables.items():
        model = SQLModel.metadata.tables[name]
        assert _shape(core) == _shape(model), name
        assert sorted(str(c.name) for c in core.constraints) == sorted(
            str(c.name) for c in model.constraints
        ), name


def test_a_read_command_loads_no_orm_or_pydantic_model():
    """``show`` is a read: it must not pay for SQLModel and the ORM (why tables.py exists)."""
    code = (
        "import sys\n"
        "from comp_tracker.services.agreements import reading\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy.orm', 'comp_tracker.storage.models')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"
