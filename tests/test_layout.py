"""The package layout: one room per pipeline stage, no import cycles, nothing below the CLI prints
or exits. Read from the source with `ast` (function-level imports count too), so a lazy import
cannot hide a cycle. The site's Layout page (docs/dev/layout.md) states the same table in words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "changju_check"

# Each room and the rooms it may import, in the order data flows through the pipeline.
ALLOWED: dict[str, set[str]] = {
    "report": set(),
    "write": set(),  # safe writing (exclusive temporary file, atomic rename): imports nothing
    "manifest": {"report"},
    "rulebook": {"report", "manifest", "write"},
    "packet": {"report", "rulebook"},
    "inspect": {"report", "rulebook", "packet"},
    "recognise": {"report", "rulebook", "packet", "inspect"},
    "checks": {"report", "rulebook", "manifest", "packet", "inspect", "recognise"},
    "scan": {"report", "rulebook", "manifest", "packet", "inspect", "recognise", "write"},
    "engine": {"report", "rulebook", "manifest", "packet", "inspect", "recognise", "checks", "scan"},
    "render": {"report", "rulebook", "inspect", "packet"},
    "bundle": {"report", "rulebook", "manifest", "packet", "inspect", "recognise", "write"},
    # the desk app's server (changju app): the engine and renderers behind a local web page
    "desk": {"report", "rulebook", "manifest", "packet", "inspect", "recognise", "checks", "scan", "engine", "render", "bundle", "write"},
    "cli": {"report", "rulebook", "manifest", "packet", "inspect", "recognise", "checks", "scan", "engine", "render", "bundle", "write", "desk"},
}
TOP_LEVEL_FILES = {"__init__.py", "__main__.py"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> set[str]:
    """Every module of the package that `path` imports, at any depth of the file."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(filter(None, (_resolve(a.name) for a in node.names if a.name.startswith("changju_check"))))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("changju_check"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                target = _resolve(full) if full in MODULES else _resolve(node.module)
                if target:
                    out.add(target)
    return out


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_top_level_holds_only_rooms():
    loose = sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py" and p.name not in TOP_LEVEL_FILES)
    assert loose == [], f"modules beside the rooms: {loose}"
    rooms = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert rooms == sorted(ALLOWED), rooms


def test_no_module_import_cycle():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_no_room_import_cycle():
    rooms: dict[str, set[str]] = {r: set() for r in ALLOWED}
    for module, targets in GRAPH.items():
        if (src := _room(module)) is not None:
            rooms[src].update(t for t in map(_room, targets) if t and t != src)
    assert _cycle(rooms) is None, " -> ".join(_cycle(rooms) or [])


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_the_rooms_before_it(room):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _room(module) == room
        for target in targets
        if (other := _room(target)) and other != room and other not in ALLOWED[room]
    )
    assert wrong == []


def test_nothing_below_the_cli_imports_the_cli():
    offenders = sorted(m for m, targets in GRAPH.items() if _room(m) not in ("cli", None) and any(_room(t) == "cli" for t in targets))
    assert offenders == []


def _calls_that_print_or_exit(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):  # a maintainer script's `if __name__ == "__main__":` block may print
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            guarded.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in guarded or not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name in ("print", "exit", "quit", "sys.exit", "typer.Exit", "input") or name.startswith("typer."):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}(…)")
    return found


def test_nothing_below_the_cli_prints_or_exits():
    found = [c for m, p in MODULES.items() if _room(m) not in ("cli", None) for c in _calls_that_print_or_exit(p)]
    assert found == []


def test_the_checker_for_cycles_can_fail():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


REPO = PACKAGE.parent


def test_the_repository_top_level_is_the_one_the_design_names():
    """The design names the top level: the package, the guide as data, the sample packets, the tests,
    the project file and the README."""
    for name in ("changju_check", "rules", "examples", "tests"):
        assert (REPO / name).is_dir(), name
    for name in ("pyproject.toml", "README.md"):
        assert (REPO / name).is_file(), name
    years = [p for p in (REPO / "rules").iterdir() if p.is_dir() and p.name.isdigit()]
    assert years, "rules/ holds no year folder"
    assert (REPO / "rules" / "2023" / "catalogue.yaml").is_file()


def test_no_rule_file_lives_inside_the_package():
    """The guide is data at the top of the repository: the package holds the code that loads it (and
    the program's own finding-code catalogue), never a copy of the rule files."""
    rule_files = {p.name for p in (REPO / "rules" / "2023").glob("*.yaml")}
    inside = [p for p in PACKAGE.rglob("*.yaml") if p.name in rule_files or p.parent.name.isdigit()]
    assert inside == []
    assert not (PACKAGE / "rules").exists(), "no rules/ folder inside the package in the repository"


def test_the_shipped_rules_are_found_from_the_top_level_folder():
    from changju_check.rulebook.cache import default_rules_dir

    assert default_rules_dir().resolve() == (REPO / "rules" / "2023").resolve()
