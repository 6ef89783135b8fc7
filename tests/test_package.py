"""The package as installed: every module imports, every third-party import is
a declared dependency (so a plain ``pip install perfxl`` runs every command),
and no module-level import cycle exists among perfxl's modules."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata as md
import pkgutil
import re
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

import perfxl

PACKAGE = Path(perfxl.__file__).parent


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE)], prefix="perfxl."))


def _parsed() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


def test_every_module_imports() -> None:
    names = _modules()
    assert "perfxl.cli.run" in names and "perfxl.testing.samples" in names
    for name in names:
        importlib.import_module(name)


def _declared(extra: str | None = None) -> set[str]:
    """The [project] dependencies, plus those of one optional extra."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = meta["project"]["dependencies"]
    if extra:
        deps = deps + meta["project"]["optional-dependencies"][extra]
    return {re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower().replace("_", "-") for dep in deps}


# modules that only the optional ``web`` extra (pip install -e ".[web]") needs to run
WEB_MODULES = ("perfxl.web", "perfxl.cli.serve")


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """Imports anywhere in a module (inside functions too: perfxl imports
    heavy libraries lazily) must come from the non-test dependencies (the
    web front end's from its ``web`` extra)."""
    owners = md.packages_distributions()
    declared, declared_web = _declared(), _declared("web")
    used: dict[str, str] = {}
    for name, (_, tree) in _parsed().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top != "perfxl" and top not in sys.stdlib_module_names:
                    used.setdefault(top, name)
    assert {"pandas", "openpyxl", "typer", "olefile", "xlwt"} <= set(used)
    missing = {
        top: where
        for top, where in used.items()
        if not {d.lower().replace("_", "-") for d in owners.get(top, [top])}
        & (declared_web if where.startswith(WEB_MODULES) else declared)
    }
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def _module_level_imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """perfxl modules imported when ``name`` is imported: top-level statements
    (and their if/try blocks), not function bodies or TYPE_CHECKING blocks."""
    is_package = any(k.startswith(name + ".") for k in known)
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
                for h in node.handlers:
                    visit(h.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in known)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    found.add(sub if sub in known else base)

    visit(tree.body)
    return {m for m in found if m in known and m != name}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle's members (strongly connected components of more than one
    module, or a module importing itself), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return cycles


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_cycle() -> None:
    parsed = _parsed()
    known = set(parsed)
    graph = {name: _module_level_imports(name, tree, known) for name, (_, tree) in parsed.items()}
    assert graph["perfxl.batch.run"] >= {"perfxl.batch.worker", "perfxl.batch.records"}
    # a package's __init__ importing its own modules is how cli/ registers its
    # commands; a module importing its parent package back is what would loop
    assert import_cycles(graph) == []


@pytest.mark.parametrize("name", ["perfxl.cli", "perfxl.pipeline"])
def test_front_modules_start_without_pandas(name: str) -> None:
    """The pool forks before pandas is imported: the CLI and the pipeline must
    not import it at module level."""
    import subprocess

    code = f"import sys, {name}; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_docs_cite_only_files_in_the_repository() -> None:
    """Docstrings, comments and docs may point to a file only if it is here
    (the domain notes under spec/ are not part of the repository)."""
    texts = [*PACKAGE.rglob("*.py"), *(ROOT / "tests").glob("*.py"), ROOT / "README.md"]
    texts += [*(ROOT / "docs").glob("*.md"), ROOT / "benchmarks" / "README.md"]
    cited = []
    for path in texts:
        for m in re.finditer(r"\bspec/[\w.-]+", path.read_text(encoding="utf-8")):
            if not (ROOT / m.group(0)).exists():
                cited.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert not cited, cited


def test_readme_lists_every_module() -> None:
    """The README's module list names every module of the package (the issue
    that restructured the package found it incomplete)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("- 模块一览：") : readme.index("- 读取用 python-calamine")]
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name == "__init__.py" and rel.parent != Path("cli"):
            continue
        shown = f"`{rel.name}`" in section or (
            rel.parent == Path("cli") and f"`{rel.stem}`" in section
        )
        if not shown or (len(rel.parts) > 1 and f"`{rel.parts[0]}/`" not in section):
            missing.append(str(rel))
    assert not missing, f"add to README's 模块一览: {missing}"


def test_command_modules_never_import_each_other() -> None:
    """cli/<command>.py share cli/common.py only; cli/__init__.py registers them."""
    parsed = _parsed()
    known = set(parsed)
    commands = {n for n in known if n.startswith("perfxl.cli.") and n != "perfxl.cli.common"}
    assert {"perfxl.cli.run", "perfxl.cli.check"} <= commands
    for name in sorted(commands):
        tree = parsed[name][1]
        imported = set()
        for node in ast.walk(tree):  # function-level imports too
            if isinstance(node, ast.ImportFrom) and node.module:
                imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
        assert not (imported & (commands - {name})), name
        assert "perfxl.cli" not in imported, name
