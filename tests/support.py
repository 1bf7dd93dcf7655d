"""Small builders shared by the tests (importable as ``support``; see pyproject's pythonpath)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAKER_FILE = ROOT / "data" / "agreements" / "hecla-baker-2001-retention.toml"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def usd(text: str) -> Decimal:
    return Decimal(text)
