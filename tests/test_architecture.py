"""The house rules, checked on the import graph (static: ast, no imports run).

- `scoring` imports nothing from `matcher` or `api`; nothing imports `api`.
- SQL lives in the store: no `sqlalchemy` / `sqlmodel` import outside `matcher/store/`.
- No module imports another module's private names (`from x import _y`, or `x._y`).
- The rooms of `matcher/` depend on each other in one direction: no cycle between them.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("matcher", "scoring", "api")
SQL_LIBRARIES = ("sqlalchemy", "sqlmodel", "alembic")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (or module.name for `from m import name`)
    names: tuple[str, ...]  # names taken by `from m import a, b`
    line: int


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if node.module else anchor
            yield Import(module, base, tuple(a.name for a in node.names), node.lineno)


def all_imports() -> list[Import]:
    return [found for path in source_files() for found in imports_of(path)]


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return (base / "__init__.py").is_file() or base.with_suffix(".py").is_file()


def room(module: str) -> str | None:
    """`matcher.engine.pool` -> `engine`; top-level modules of matcher are rooms of their own."""
    parts = module.split(".")
    if parts[0] != "matcher" or len(parts) < 2:
        return None
    return parts[1]


def test_scoring_imports_neither_matcher_nor_api() -> None:
    found = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in all_imports()
        if i.module.startswith("scoring") and i.target.split(".")[0] in ("matcher", "api")
    ]
    assert found == []


def test_nothing_imports_api() -> None:
    found = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in all_imports()
        if not i.module.startswith("api") and i.target.split(".")[0] == "api"
    ]
    assert found == []


def test_sql_only_in_the_store() -> None:
    found = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in all_imports()
        if i.target.split(".")[0] in SQL_LIBRARIES and not i.module.startswith("matcher.store")
    ]
    assert found == []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound to first-party modules by `import a.b as x` / `from a import b`."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES and alias.asname:
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if is_module(dotted):
                    aliases[alias.asname or alias.name] = dotted
    return aliases


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in source_files():
        module = module_name(path)
        for i in imports_of(path):
            if i.target.split(".")[0] not in PACKAGES or i.target == module:
                continue
            found += [f"{module}:{i.line} takes {i.target}.{n}" for n in i.names if _private(n)]
            if _private(i.target.rpartition(".")[2]):
                found.append(f"{module}:{i.line} imports private module {i.target}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _module_aliases(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
            ):
                found.append(f"{module}:{node.lineno} reads {aliases[node.value.id]}.{node.attr}")
    assert found == []


def room_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for i in all_imports():
        source, target = room(i.module), room(i.target)
        if source and target and source != target:
            graph.setdefault(source, set()).add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of rooms that reach each other."""

    def reach(start: str) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    reached = {r: reach(r) for r in graph}
    return [
        (a, b)
        for a, b in itertools.combinations(sorted(graph), 2)
        if b in reached[a] and a in reached.get(b, set())
    ]


def test_rooms_depend_on_each_other_one_way() -> None:
    assert cycles(room_graph()) == []


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []
    assert room("matcher.engine.pool") == "engine"
    assert room("scoring.weighted") is None
    probe = ROOT / "matcher" / "engine" / "pipeline.py"
    assert any(i.target == "matcher.eligibility.gate" for i in imports_of(probe))
