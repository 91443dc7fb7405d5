"""The layout's promise: cleaners/ is pure (text and documents in, documents out).

It imports nothing from flows/ or launder/, nothing of Prefect, and no module that reads or
writes files, runs processes or talks to the network; nor does it call ``open``. (Its own data
files are read with importlib.resources, as package data.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLEANERS = Path(__file__).resolve().parents[1] / "cleaners"
FORBIDDEN = {
    "flows",
    "launder",
    "prefect",
    "prefect_dask",
    "dask",
    "distributed",  # the orchestration side
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "glob",
    "fnmatch",
    "sqlite3",
    "gzip",
    "zstandard",
    "pyarrow",  # files
    "subprocess",
    "multiprocessing",
    "concurrent",
    "threading",
    "signal",  # processes
    "socket",
    "urllib",
    "http",
    "requests",
    "httpx",  # the network
}
MODULES = sorted(CLEANERS.rglob("*.py"))


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.append((node.lineno, node.module))
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CLEANERS)))
def test_cleaners_import_nothing_of_flows_prefect_or_io(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [f"line {n}: import {name}" for n, name in _imports(tree) if name.split(".")[0] in FORBIDDEN]
    bad += [
        f"line {node.lineno}: open()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"
    ]
    assert not bad, f"{path.name}: {bad}"


def test_the_check_sees_every_module_and_catches_an_import():
    assert len(MODULES) >= 15 and any(p.parent.name == "boilerplate" for p in MODULES)
    tree = ast.parse("import os.path\nfrom flows.writers import json_line\nfrom .document import Document\n")
    assert [name.split(".")[0] for _, name in _imports(tree) if name.split(".")[0] in FORBIDDEN] == ["os", "flows"]
