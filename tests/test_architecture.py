# SPDX-License-Identifier: MIT
"""The house's rules, read from the code itself (ARCHITECTURE.md draws them).

Imports point one way, from the command line down to the stages: a room may
import only the rooms listed for it, and nothing anywhere imports back up.
The module import graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "daemon"

# room -> the rooms it may import (itself included); "base" is the top-level modules of the package
ALLOWED = {
    "base": {"base"},
    "understand": {"base", "understand"},
    "mail": {"base", "understand", "mail"},
    "followups": {"base", "understand", "followups"},
    "run": {"base", "understand", "mail", "followups", "run"},
    "cli": {"base", "understand", "mail", "followups", "run", "cli"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return "base"


def imports_of(path: Path) -> set[str]:
    """The daemon modules a file imports, at any depth in it (TYPE_CHECKING blocks and functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("daemon"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("daemon"):
            assert node.level == 0, f"{path}: relative import; the house uses absolute ones"
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                known = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.add(candidate if known else node.module)
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_sits_in_a_known_room() -> None:
    rooms = {room_of(m) for m in graph()}
    assert rooms <= set(ALLOWED), rooms - set(ALLOWED)


def test_imports_point_down_only() -> None:
    wrong = []
    for module, imported in graph().items():
        if module in ("daemon", "daemon.__main__"):
            continue  # the entry points: the package's docstring and `python -m daemon` (the CLI)
        for target in imported:
            if room_of(target) not in ALLOWED[room_of(module)]:
                wrong.append(f"{module} ({room_of(module)}) imports {target} ({room_of(target)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_module_graph_has_no_cycle() -> None:
    edges = graph()
    # a package's __init__ is imported with any of its modules: count it as its own node only
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if target == node or target not in edges:
                continue
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path[path.index(target):], target]))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_the_rule_above_catches_an_upward_import(tmp_path: Path) -> None:
    """The check itself must fail on a stage importing the cycle, or it proves nothing."""
    stage = tmp_path / "stage.py"
    stage.write_text("from daemon.run.cycle import Cycle\n", encoding="utf-8")
    (target,) = imports_of(stage)
    assert room_of(target) == "run"
    assert room_of(target) not in ALLOWED["followups"]


def test_architecture_md_names_every_module_in_its_room() -> None:
    """The map tells the truth: every module of the package is named in its room's row."""
    rows = {}
    for line in (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        for room in ALLOWED:
            if line.startswith(f"| `{room}/`") or (room == "base" and line.startswith("| base")):
                rows[room] = line
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        module = module_name(path)
        if f"`{path.stem}`" not in rows.get(room_of(module), ""):
            missing.append(module)
    assert not missing, f"ARCHITECTURE.md does not name: {', '.join(sorted(missing))}"
