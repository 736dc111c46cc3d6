"""Shared helpers for reading TOML data files and collecting every problem, not the first."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

Unknown = Literal["unknown"]
ModelT = TypeVar("ModelT", bound=BaseModel)


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be the source URL (http:// or https://) as given in credentials.md")
    return value


SourceUrl = Annotated[str, AfterValidator(_url)]


class DataModel(BaseModel):
    """Base of every data-file entry: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def read_toml(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), []
    except FileNotFoundError:
        return {}, [f"{path.name}: file not found"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{path.name}: not valid TOML: {exc}"]


def format_errors(label: str, exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        problems.append(
            f"{label}: {where}: {error['msg']}" if where else f"{label}: {error['msg']}"
        )
    return problems


def validate_entries(
    model: type[ModelT], items: Any, *, file: str, table: str, key: str
) -> tuple[list[ModelT], list[str]]:
    """Validate each entry of an array of tables on its own, so one bad entry hides no other."""
    if not isinstance(items, list):
        return [], [f"{file}: [[{table}]] must be an array of tables"]
    valid: list[ModelT] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        name = item.get(key) if isinstance(item, Mapping) else None
        label = f"{file}: {table}[{index}]" + (f" ({name})" if name else "")
        try:
            valid.append(model.model_validate(item))
        except ValidationError as exc:
            problems.extend(format_errors(label, exc))
    return valid, problems


def check_top_level(
    data: Mapping[str, Any], *, file: str, allowed: Sequence[str], required: Sequence[str]
) -> list[str]:
    problems = []
    if data.get("schema_version") != 1:
        problems.append(f"{file}: schema_version must be 1")
    for extra in sorted(set(data) - {"schema_version", *allowed}):
        problems.append(f"{file}: unknown top-level key {extra!r}")
    for missing in required:
        if missing not in data:
            problems.append(f"{file}: missing [[{missing}]] entries")
    return problems


def covers(jurisdiction: str, destination: str) -> bool:
    """A country-wide credential covers its subdivisions; a state credential only its state."""
    return jurisdiction == destination or (
        len(jurisdiction) == 2 and destination.startswith(jurisdiction + "-")
    )


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
