"""The schema is declared once: every SQLModel class maps one of the Core tables the queries
use, and declares no column of its own."""

from __future__ import annotations

import subprocess
import sys

from sqlmodel import SQLModel

from comp_tracker.storage import models, tables


def _model_classes() -> list[type[SQLModel]]:
    return [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, SQLModel) and value is not SQLModel
    ]


def test_every_table_has_one_model_and_the_model_maps_that_very_table():
    mapped = {cls.__table__.name: cls for cls in _model_classes()}  # type: ignore[attr-defined]
    assert sorted(mapped) == sorted(tables.metadata.tables)
    for name, cls in mapped.items():
        assert cls.__table__ is tables.metadata.tables[name], name  # type: ignore[attr-defined]


def test_the_models_declare_no_second_schema():
    """Nothing is registered in SQLModel's own metadata: no table is declared twice."""
    assert SQLModel.metadata.tables == {}


def test_every_model_field_is_a_column_of_its_table():
    for cls in _model_classes():
        table = cls.__table__  # type: ignore[attr-defined]
        assert sorted(cls.model_fields) == sorted(table.columns.keys()), table.name


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
