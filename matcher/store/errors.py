"""How database failures leave the store: as matcher errors, or as the store's own names.

Nothing above the store catches a SQL library's exception: sessions translate them here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from matcher.errors import InvalidInputError, ServiceUnavailableError


class UnstorableValueError(InvalidInputError):
    """The database refused a value the schema allows (PostgreSQL: a NUL character in text).

    It is the input's fault; neither the value nor the SQL goes back to the caller."""

    def __init__(self) -> None:
        super().__init__("a submitted value cannot be stored (e.g. a NUL character)")


class DatabaseBusyError(ServiceUnavailableError):
    """SQLite gave up waiting for the write lock after its busy timeout: load, not a bug in
    the request, so the client may retry soon."""

    retry_after_s = 1

    def __init__(self) -> None:
        super().__init__("the database is busy; retry shortly")


class ConstraintViolationError(Exception):
    """A write broke a unique or foreign-key constraint: usually a concurrent writer got there
    first, and the caller decides whether to replay, resume or retry. Not a matcher error, so
    one nobody expected still answers 500."""


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except DataError as exc:
        raise UnstorableValueError() from exc
    except IntegrityError as exc:
        raise ConstraintViolationError(str(exc.orig)) from exc
    except OperationalError as exc:
        if "database is locked" in str(exc.orig):
            raise DatabaseBusyError() from exc
        raise
