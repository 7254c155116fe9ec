"""The layout's rule: imports flow one way. Foundations (staff, policy, audit, documents) at the
bottom, then the clinical record (clients, then sessions and measures), then the ending, and on
top the views that read across them (caseload, reminders, supervision, the admin's pages, the
demo). The contract is in pyproject.toml ([tool.importlinter]); see the README's map."""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("practice", "clients", "sessions_app", "termination")


def test_no_app_imports_from_a_layer_above_it(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report


def _import_cycles() -> list[list[str]]:
    """Groups of our modules that import each other in a circle (Tarjan's algorithm)."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, include_external_packages=False, cache_dir=None)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    edges = collections.defaultdict(set)
    for module in modules:
        edges[module] = {m for m in graph.find_modules_directly_imported_by(module) if m != module}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_no_modules_import_each_other_in_a_circle():
    assert _import_cycles() == []
