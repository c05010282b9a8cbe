"""The layout shows the architecture, and these tests keep it so. Floors, from the ground up:

- `accord.lib`: infrastructure every app may use (errors, dates, freshness, the page cache, template
  filters); it imports no Accord app when it is imported (a function may reach one at call time).
- the domain apps (`DOMAIN`): each the one way in to its data; they never import the floors above.
- `accord.exchange` (export/import) and `accord.demo` (demo data, the seed), built on the domain
  apps' services and selectors; `accord.core` and the project's `urls.py`/`api.py`/`cli.py` on top.

Every module is read with `ast`; nothing is imported."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the `accord` package
DOMAIN = ("accounts", "partnerships", "assessments", "charters", "rituals", "tensions", "alignment", "insights", "orgs")
ABOVE_DOMAIN = ("accord.core", "accord.demo", "accord.exchange")
MAX_LINES = 400
# Modules still over MAX_LINES, each with the reason it is not split yet. Shrink this list; a
# module that gets split must leave it (the last test says so).
TOO_LONG: dict[str, str] = {}


def modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def imported(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        yield node.module
        yield from (f"{node.module}.{alias.name}" for alias in node.names)


def top_level_imports(tree: ast.Module) -> Iterator[str]:
    """What a module imports when it is imported: its top-level statements, through `if`/`try`,
    but not under `if TYPE_CHECKING:` (type checkers read those, Python never runs them)."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending += [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            pending += [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)]
        else:
            yield from imported(node)


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def test_it_keeps_lib_free_of_accord_apps_at_import_time():
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "lib").rglob("*.py")
        for name in top_level_imports(ast.parse(path.read_text()))
        if within(name, "accord") and not within(name, "accord.lib")
    ]
    assert found == []


def test_it_never_lets_a_domain_app_import_a_floor_above_it():
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in DOMAIN
        for path in (ROOT / app).rglob("*.py")
        if not is_test(path)
        for node in ast.walk(ast.parse(path.read_text()))
        for name in imported(node)
        if any(within(name, above) for above in ABOVE_DOMAIN)
    ]
    assert found == []


def test_it_keeps_core_out_of_the_demo_and_the_exchange():
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in ("demo", "exchange")
        for path in (ROOT / app).rglob("*.py")
        if not is_test(path)
        for node in ast.walk(ast.parse(path.read_text()))
        for name in imported(node)
        if within(name, "accord.core")
    ]
    assert found == []


def test_it_keeps_every_module_under_400_lines():
    long = {
        str(path.relative_to(ROOT)): n for path in modules() if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert {name: n for name, n in long.items() if name not in TOO_LONG} == {}
    assert sorted(set(TOO_LONG) - set(long)) == [], "split: take it off TOO_LONG"


def test_it_declares_every_page_url_beside_its_view():
    from django.urls import URLPattern, URLResolver, get_resolver

    found, checked = [], 0
    for entry in get_resolver().url_patterns:
        urlconf = getattr(getattr(entry, "urlconf_name", None), "__name__", "")
        if not (isinstance(entry, URLResolver) and urlconf.startswith("accord.")):
            continue
        app = urlconf.removesuffix(".urls")
        checked += len(entry.url_patterns)
        for pattern in entry.url_patterns:
            assert isinstance(pattern, URLPattern)
            if not within(pattern.callback.__module__, app):
                found.append(f"{pattern.name} in {urlconf}, its view in {pattern.callback.__module__}")
    assert found == []
    assert checked > 50
