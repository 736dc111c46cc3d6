"""Capturing what `configure_logging` writes, and undoing it after each test."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

# The stdlib loggers configure_logging changes besides the root.
TOUCHED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def _ours(handler: logging.Handler) -> bool:
    return isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Leave the process's logging as the test found it (pytest's own handlers untouched)."""
    root = logging.getLogger()
    before = [h for h in root.handlers if _ours(h)]
    level = root.level
    loggers = {
        name: (lg.handlers[:], lg.propagate, lg.level, lg.disabled)
        for name in TOUCHED_LOGGERS
        for lg in [logging.getLogger(name)]
    }
    config = structlog.get_config()
    yield
    for handler in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(handler)
    for handler in before:
        root.addHandler(handler)
    root.setLevel(level)
    for name, (handlers, propagate, lg_level, disabled) in loggers.items():
        lg = logging.getLogger(name)
        lg.handlers[:] = handlers
        lg.propagate, lg.disabled = propagate, disabled
        lg.setLevel(lg_level)
    structlog.configure(**config)
    structlog.contextvars.clear_contextvars()


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of `text` parsed as JSON (a line that is not JSON fails the test)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
