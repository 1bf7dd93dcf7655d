"""What the records refuse, as one line for the user, and the conflicts a writer retries.

The services raise and catch these; they are declared here because the named queries of
``storage`` are where an unknown id or a concurrent change is first seen.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from comp_tracker.domain.errors import FieldError

#: A row that broke a unique key or a check: two writers creating the same company at once (the
#: loser retries), or a bug. Named here so that no service imports SQLAlchemy.
UniqueViolation = IntegrityError


class ServiceError(FieldError):
    """A request the records refuse: an unknown id, a second void. One line for the user."""


class NotFound(ServiceError):
    """An id, employee or company that is not in the database."""


class ConcurrentChange(RuntimeError):
    """Someone else changed the agreement between our read and our write; the call is retried."""


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the row broke a unique key (rather than a check or a foreign key)."""
    return "unique" in str(exc.orig).lower()
