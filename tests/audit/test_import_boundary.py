"""Demographics never reach the ranking path: scoring/, pipeline and pool import no audit code,
nor the demographic vocabularies or their storage.

The walk is static (ast) and transitive through first-party modules, so an indirect import
through a helper module is caught as well as a direct one.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("matcher", "scoring", "api")
FORBIDDEN = (
    "matcher.audit",
    "matcher.domain.demographics",
    "matcher.store.audit_tables",
    "matcher.store.demographics",
    "matcher.cli.audit",
)


def module_file(root: Path, name: str) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def imported_names(root: Path, name: str, path: Path) -> set[str]:
    """Every dotted name `path` imports, with parent packages (importing runs their __init__)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{node.module}" if node.module else anchor
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    with_parents = set(found)
    for dotted in found:
        parts = dotted.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return with_parents


def forbidden_imports(root: Path, start: list[str]) -> dict[str, list[str]]:
    """Forbidden modules reachable from `start`, each with the import chain that reaches it."""
    chains: dict[str, list[str]] = {name: [name] for name in start}
    queue = deque(start)
    hits: dict[str, list[str]] = {}
    while queue:
        name = queue.popleft()
        path = module_file(root, name)
        if path is None:
            continue
        for imported in sorted(imported_names(root, name, path)):
            if imported in chains or not imported.startswith(FIRST_PARTY):
                continue
            chains[imported] = [*chains[name], imported]
            if imported.startswith(FORBIDDEN):
                hits[imported] = chains[imported]
            elif module_file(root, imported) is not None:
                queue.append(imported)
    return hits


def ranking_modules(root: Path) -> list[str]:
    scoring = sorted(
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in (root / "scoring").rglob("*.py")
    )
    return [*scoring, "matcher.engine.pipeline", "matcher.engine.pool"]


def test_the_ranking_path_imports_no_audit_module() -> None:
    start = ranking_modules(ROOT)
    assert "scoring.weighted" in start
    assert forbidden_imports(ROOT, start) == {}


def test_the_walk_catches_an_indirect_import(tmp_path: Path) -> None:
    (tmp_path / "scoring").mkdir()
    (tmp_path / "scoring" / "__init__.py").write_text("")
    (tmp_path / "matcher" / "audit").mkdir(parents=True)
    (tmp_path / "matcher" / "engine").mkdir(parents=True)
    (tmp_path / "matcher" / "__init__.py").write_text("")
    (tmp_path / "matcher" / "engine" / "__init__.py").write_text("")
    (tmp_path / "matcher" / "engine" / "pipeline.py").write_text("from matcher import helpers\n")
    (tmp_path / "matcher" / "helpers.py").write_text("from matcher.audit import demographics\n")
    (tmp_path / "matcher" / "audit" / "__init__.py").write_text("")
    (tmp_path / "matcher" / "audit" / "demographics.py").write_text("")
    hits = forbidden_imports(tmp_path, ranking_modules(tmp_path))
    assert hits["matcher.audit"] == ["matcher.engine.pipeline", "matcher.helpers", "matcher.audit"]
    assert "matcher.audit.demographics" in hits
