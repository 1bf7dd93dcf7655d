"""What every service call needs: the database, who is acting, and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from comp_tracker.storage.database import Database
from comp_tracker.storage.errors import ConcurrentChange, NotFound, ServiceError

__all__ = ["ConcurrentChange", "Context", "NotFound", "ServiceError", "utc_now"]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """The services' handle: the database, the audit log's actor, and a clock (tests fix it)."""

    db: Database
    actor: str
    clock: Callable[[], dt.datetime] = field(default=utc_now)
