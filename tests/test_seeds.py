"""Golden tests: the real seed documents in ../shared/seeds against expectations.json."""

from __future__ import annotations

import json
import re

import pytest

from cleaners import clean_document
from flows.readers import discover, read_documents
from flows.verify import check_spans

from .conftest import SHARED, shared_path

EXPECTATIONS = SHARED / "seeds" / "expectations.json"
NAMES = sorted(json.loads(EXPECTATIONS.read_text())["documents"]) if EXPECTATIONS.exists() else []
DASH_RUN = re.compile(r"[\u2013\u2014]{2,}")
SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


def _cells(row: str) -> list[str]:
    return row.strip()[1:-1].split("|")


def _expect(name):
    return json.loads(shared_path("seeds", "expectations.json").read_text())["documents"][name]


def _clean(name):
    files, _ = discover([str(shared_path("seeds", name))])
    info, items = read_documents(files[0])
    out = []
    for doc in items:
        out += clean_document(doc)
    return [d for d in out if not d.rejected], out


def table_problems(text: str) -> list[str]:
    """Violations of expectations.json's 'tables' rule in one output text."""
    problems = [f"dash run {m.group()!r}" for m in DASH_RUN.finditer(text)]
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "|" not in lines[i] or not lines[i].strip().startswith("|") and lines[i].count("|") < 2:
            i += 1
            continue
        block = []
        while i < len(lines) and "|" in lines[i]:
            block.append(lines[i])
            i += 1
        if len(block) < 2:
            continue
        for row in block:
            if not (row.strip().startswith("|") and row.strip().endswith("|")):
                problems.append(f"row without outer pipes: {row!r}")
        width = len(_cells(block[0]))
        if not all(SEPARATOR_CELL.match(c) for c in _cells(block[1])):
            problems.append(f"no separator after header {block[0]!r}")
        problems += [f"row width {len(_cells(r))} != {width}: {r!r}" for r in block if len(_cells(r)) != width]
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_seed_expectations(name):
    exp = _expect(name)
    kept, everything = _clean(name)
    assert kept, f"{name}: nothing kept"
    texts = [d.text for d in kept]
    joined = "\n".join(texts)
    for snippet in exp.get("keep", []):
        assert snippet in joined, f"{name}: lost {snippet!r}"
    for snippet in exp.get("drop", []):
        assert snippet not in joined, f"{name}: kept {snippet!r}"
    if exp.get("tables"):
        for t in texts:
            assert table_problems(t) == []
    for snippet in exp.get("at_most_once", []):
        assert all(t.count(snippet) <= 1 for t in texts), f"{name}: {snippet!r} repeated"
    if "titles" in exp:
        titles = [d.metadata.get("title") for d in kept]
        for title in exp["titles"]:
            assert title in titles, f"{name}: no document titled {title!r} (titles: {titles})"
    for key, value in exp.get("metadata", {}).items():
        assert any(d.metadata.get(key) == value for d in kept), f"{name}: metadata {key}={value!r} missing"
    if "min_kept_ratio" in exp:
        ratio = sum(len(t) for t in texts) / len(kept[0].raw)
        assert ratio >= exp["min_kept_ratio"], f"{name}: kept only {ratio:.3f} of the text"


@pytest.mark.parametrize("name", NAMES)
def test_seed_provenance_verifies(name):
    _, everything = _clean(name)
    for d in everything:
        edits = [e.to_json() for e in d.edits]
        spans = [[s.clean_start, s.clean_end, s.raw_start, s.raw_end] for s in d.spans]
        assert check_spans(d.text, d.raw, spans, edits) == []


def test_every_seed_is_accounted_for():
    seeds = shared_path("seeds")
    files, errors = discover([str(seeds)])
    assert not errors
    outcomes = {}
    for f in files:
        info, items = read_documents(f)
        if info.skipped:
            continue
        outcomes[f.display] = [d.rejected or "kept" for item in items for d in clean_document(item)]
    assert sorted(outcomes) == NAMES
    assert all(outcomes[n] and all(o == "kept" for o in outcomes[n]) for n in NAMES), outcomes
