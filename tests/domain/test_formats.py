"""docs/formats.md and docs/schemas/ must describe exactly what ingestion accepts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from matcher.domain.records import RECORD_TYPES
from tests.conftest import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "formats.md").read_text(encoding="utf-8")


def _field_paths(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[str]:
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in node.get(key, []):
            yield from _field_paths(schema, sub, prefix)
    if node.get("type") == "array" and "items" in node:
        yield from _field_paths(schema, node["items"], prefix + "[]")
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        yield from _field_paths(schema, sub, path)


def _section(kind: str) -> str:
    match = re.search(rf"^## {kind.title()}\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/formats.md has no '## {kind.title()}' section"
    return match.group(1)


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_doc_table_lists_exactly_the_schema_fields(kind: str) -> None:
    schema = RECORD_TYPES[kind].model_json_schema()
    expected = set(_field_paths(schema, schema, ""))
    documented = set(re.findall(r"^\| `([^`]+)` \|", _section(kind), re.M))
    assert documented == expected


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_committed_schema_matches_the_model(kind: str) -> None:
    committed = json.loads((REPO_ROOT / "docs" / "schemas" / f"{kind}.schema.json").read_text())
    assert committed == RECORD_TYPES[kind].model_json_schema(), (
        f"regenerate with: matcher schema {kind} > docs/schemas/{kind}.schema.json"
    )


def test_doc_examples_validate() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC, re.S)
    assert blocks
    for block in blocks:
        RECORD_TYPES["candidate"].model_validate(json.loads(block))
