"""Check an output directory against its inputs: every span points at the raw text it claims.

For each kept and rejected document: spans are ordered, do not overlap, and cover the
clean text; a span whose clean slice differs from its raw slice lies inside the raw
range of an edit. The raw text is re-read from the input files listed in the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .readers import discover, read_documents
from .writers import read_jsonl


def check_spans(text: str, raw: str, spans: list[list[int]], edits: list[dict[str, Any]]) -> list[str]:
    """Problems with one document's provenance (empty when it verifies)."""
    problems = []
    pos = 0
    raw_pos = 0
    for cs, ce, rs, re_ in spans:
        if cs != pos:
            problems.append(f"span {cs}-{ce} leaves a gap or overlap at {pos}")
        if rs < raw_pos or re_ < rs or re_ > len(raw):
            problems.append(f"raw range {rs}-{re_} out of order or out of bounds")
        if text[cs:ce] != raw[rs:re_] and not any(e["raw"][0] <= rs and re_ <= e["raw"][1] for e in edits):
            problems.append(f"span {cs}-{ce} differs from raw {rs}-{re_} and no edit covers it")
        pos, raw_pos = ce, max(raw_pos, re_ if rs < re_ else raw_pos)
    if pos != len(text):
        problems.append(f"spans cover {pos} of {len(text)} characters")
    return problems


def _raw_texts(manifest: dict[str, Any]) -> dict[tuple[str, int], str]:
    """(path, record) -> raw text, re-read from the inputs the run was given."""
    raws: dict[tuple[str, int], str] = {}
    files, _ = discover(manifest["inputs"])
    for f in files:
        _, items = read_documents(f)
        for d in items:
            if hasattr(d, "raw"):
                raws[(d.source.path, d.source.record)] = d.raw
    return raws


def iter_records(out: str | Path) -> Iterator[dict[str, Any]]:
    for sub in ("documents", "rejected"):
        for part in sorted(Path(out, sub).glob("*.jsonl")):
            yield from read_jsonl(part)


def verify_output(out: str | Path) -> tuple[int, list[str]]:
    """(documents checked, problems) for an output directory."""
    manifest = json.loads(Path(out, "manifest.json").read_text(encoding="utf-8"))
    raws = _raw_texts(manifest)
    checked, problems = 0, []
    for rec in iter_records(out):
        key = (rec["source"]["path"], rec["source"]["record"])
        raw = raws.get(key)
        if raw is None:
            problems.append(f"{rec['id']}: raw input {key} not found")
            continue
        for p in check_spans(rec["text"], raw, rec["provenance"]["spans"], rec["provenance"]["edits"]):
            problems.append(f"{rec['id']} ({key[0]}#{key[1]}): {p}")
        checked += 1
    return checked, problems
