"""One logging set-up for the process: structlog and stdlib lines, one format, no personal data.

Entry points (the app factory, the CLI) call `configure_logging(level=settings.log_level)`
once; everything else just logs (`structlog.get_logger(...)` or `logging.getLogger(...)`).
Context bound with `structlog.contextvars.bind_contextvars` (request_id, tenant, role, run_id)
lands on every line logged while it is bound, stdlib lines included.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from pydantic import BaseModel
from structlog.typing import EventDict, Processor, WrappedLogger

LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Keys dropped from every log event, at any depth of nested dicts and lists, compared after
# lower-casing and turning '-' into '_'. Logs are kept longer and read by more people than the
# records they describe, so what identifies a person never reaches them (docs/api.md,
# "Logging"). A candidate's `credentials` carry licence numbers, so they go whole.
PERSONAL_FIELDS: frozenset[str] = frozenset(
    {
        # names
        "name",
        "full_name",
        "first_name",
        "last_name",
        "given_name",
        "family_name",
        # contact details
        "email",
        "email_address",
        "phone",
        "phone_number",
        "address",
        "home_address",
        "street_address",
        "postal_code",
        "postcode",
        # date of birth
        "date_of_birth",
        "dob",
        "birth_date",
        # licence and registration numbers
        "licence",
        "license",
        "licences",
        "licenses",
        "licence_number",
        "license_number",
        "licence_numbers",
        "license_numbers",
        "registration_number",
        "credential_number",
        "credentials",
    }
)

# uvicorn installs handlers of its own on these; ours take over so its lines match the rest.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error")
# uvicorn's access line carries the query string; the request middleware logs one without it.
_SERVER_ACCESS_LOGGER = "uvicorn.access"


def _is_personal(key: object) -> bool:
    return isinstance(key, str) and key.lower().replace("-", "_") in PERSONAL_FIELDS


def _without_personal(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_personal(v) for k, v in value.items() if not _is_personal(k)}
    if isinstance(value, list | tuple | set | frozenset):
        return [_without_personal(v) for v in value]
    # A record logged whole would otherwise reach the renderer as its repr, names and all.
    if isinstance(value, BaseModel):
        return _without_personal(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _without_personal(dataclasses.asdict(value))
    return value


def drop_personal_fields(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """A structlog processor: the event without any `PERSONAL_FIELDS` key, however deep."""
    return {key: _without_personal(value) for key, value in event.items() if not _is_personal(key)}


def level_number(level: str) -> int:
    """The stdlib number of a level name (any case); an unknown name is a clear ValueError."""
    name = level.strip().upper()
    if name not in LEVELS:
        raise ValueError(f"unknown log level {level!r}; choose from {', '.join(LEVELS)}")
    return logging.getLevelNamesMapping()[name]


class _LineHandler(logging.Handler):
    """Writes each formatted record as one line.

    Without a stream of its own it looks `sys.stderr` up at every line, so a stream swapped in
    later (rich's progress display, the CLI test runner, pytest's capture) gets the lines and a
    replaced stream is never written to after it is closed.
    """

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self._stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = self._stream if self._stream is not None else sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except RecursionError:
            raise
        except Exception:  # logging must never take the caller down
            self.handleError(record)


def _renderer(*, json: bool, colours: bool) -> list[Processor]:
    if json:
        return [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    # Locals in a traceback may hold personal data; the trace itself is enough.
    formatter = structlog.dev.RichTracebackFormatter(show_locals=False)
    return [structlog.dev.ConsoleRenderer(colors=colours, exception_formatter=formatter)]


def configure_logging(
    *, level: str, json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Route structlog and stdlib logging through one renderer writing to `stream`.

    `level` is a name from `LEVELS` (any case). `json=None` picks JSON lines unless the stream
    is a terminal, where a readable console format is used. `stream=None` means the current
    `sys.stderr` at each line. Calling it again replaces the previous set-up, so it is
    harmless to call it from several entry points in one process.
    """
    threshold = level_number(level)
    target = stream if stream is not None else sys.stderr
    on_terminal = hasattr(target, "isatty") and target.isatty()
    if json is None:
        json = not on_terminal
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Before the event leaves structlog for the stdlib, so no handler (ours or another
        # one attached to the root logger) ever sees a personal field, bound ones included.
        drop_personal_fields,
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: module-level loggers must follow a later call of this function.
        cache_logger_on_first_use=False,
    )
    handler = _LineHandler(stream)
    handler.setLevel(threshold)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *_renderer(json=json, colours=on_terminal),
            ],
        )
    )
    root = logging.getLogger()
    for previous in [h for h in root.handlers if isinstance(h, _LineHandler)]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(threshold)
    for name in _SERVER_LOGGERS:
        server = logging.getLogger(name)
        server.handlers.clear()
        server.propagate = True
        server.setLevel(logging.NOTSET)
    access = logging.getLogger(_SERVER_ACCESS_LOGGER)
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
