"""What every service call needs: the database, who is acting, and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from comp_tracker.storage.database import Database


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """The services' handle: the database, the audit log's actor, and a clock (tests fix it)."""

    db: Database
    actor: str
    clock: Callable[[], dt.datetime] = field(default=utc_now)


class ServiceError(ValueError):
    """A request the records refuse: an unknown id, a second void. One line for the user."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        from comp_tracker.domain.errors import show_value

        return f"{self.field} = {show_value(self.value)}: {self.reason}"


class NotFound(ServiceError):
    """An id, employee or company that is not in the database."""


class ConcurrentChange(RuntimeError):
    """Someone else changed the agreement between our read and our write; the call is retried."""
