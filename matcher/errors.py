"""One exception tree for the engine. The API maps it to RFC 9457 problem responses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class MatcherError(Exception):
    """Base of every error the engine raises on purpose."""

    title = "Matcher error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequestError(MatcherError):
    title = "Bad request"


class NotFoundError(MatcherError):
    title = "Not found"


class ConflictError(MatcherError):
    title = "Conflict"


class ForbiddenError(MatcherError):
    title = "Forbidden"


class UnauthenticatedError(MatcherError):
    title = "Unauthenticated"


class PayloadTooLargeError(MatcherError):
    title = "Payload too large"


class ServiceUnavailableError(MatcherError):
    title = "Service unavailable"


def rule_message(error: Mapping[str, Any]) -> str:
    """The message of one validation error (a pydantic error dict) naming the rule, never the
    submitted value: error bodies and row errors never carry what the client sent.

    A validator's own reason after a colon (email-validator names the domain there) is cut,
    and a message that still repeats the submitted text gives way to the rule's name.
    """
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if error.get("type") == "value_error":
        message = message.split(": ", 1)[0]
    submitted = error.get("input")
    if isinstance(submitted, str) and submitted.strip() and submitted.strip() in message:
        message = f"is not accepted ({error.get('type', 'invalid')})"
    return message


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one input row."""

    field: str
    message: str


@dataclass(frozen=True)
class RowError:
    """All problems of one input row; `index` is 0-based, `line` 1-based in the source file."""

    index: int
    line: int
    errors: tuple[FieldError, ...]
    external_id: str | None = None


class InvalidInputError(MatcherError):
    """Input failed validation; carries every problem found, not just the first."""

    title = "Invalid input"

    def __init__(self, detail: str, *, rows: list[RowError] | None = None) -> None:
        super().__init__(detail)
        self.rows: list[RowError] = rows or []


@dataclass
class DataFileError(MatcherError):
    """A rules or data file under fixtures/ failed validation; lists every problem at once."""

    path: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        MatcherError.__init__(
            self, f"{self.path}: {len(self.problems)} problem(s):\n" + "\n".join(self.problems)
        )
