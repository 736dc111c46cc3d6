"""The `matcher` command line: `app` and one module of commands per area.

Importing an area's module registers its commands on `app`; this package imports them all,
so `matcher.cli:app` is the whole command line.
"""

from matcher.cli import audit, batch, data, keys, pathway, ranking, titles  # noqa: F401
from matcher.cli.app import app, main

__all__ = ["app", "main"]
