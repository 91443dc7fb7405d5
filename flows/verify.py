"""Check an output directory against its inputs: every span points at the raw text it claims.

For each kept and rejected document: spans are ordered, do not overlap, and cover the
clean text; a span whose clean slice differs from its raw slice lies inside the raw
range of an edit. The raw text is re-read from each run's input files, found by the absolute
input roots the index records (so ``verify`` works from any directory, after runs over other inputs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from .out_state import own_paths, part_files
from .readers import InputFile, discover, read_documents
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


class RawInputs:
    """The raw texts of the documents of OUT's runs, re-read from their inputs (each file read once, when asked for).

    Each run's inputs are found where it recorded them: the absolute input roots in the index
    (``inputs`` table), else ``input_roots`` in its manifest (``runs/<run_id>.manifest.json``),
    else its inputs as given, relative to the current directory (what launder before 0.3 recorded).
    """

    def __init__(self, out: str | Path, index_path: str | Path | None = None) -> None:
        self.out = Path(out)
        self.index_path = Path(index_path) if index_path else self.out / "index.sqlite"
        self.latest = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
        self._runs: dict[str, tuple[list[str], list[str], bool]] = {}
        if self.index_path.is_file() and self.index_path.stat().st_size:
            import sqlite3

            try:
                con = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True)
                try:
                    rows = con.execute("SELECT run_id, given, root, follow FROM inputs ORDER BY run_id, position").fetchall()
                finally:
                    con.close()
            except sqlite3.Error:
                rows = []  # an index of an older launder (no inputs table)
            for run_id, given, root, follow in rows:
                g, r, _ = self._runs.setdefault(run_id, ([], [], bool(follow)))
                g.append(os.fsdecode(given))
                r.append(os.fsdecode(root))
        self._files: dict[tuple, dict[str, InputFile]] = {}
        self._raws: dict[tuple[str, str, str], dict[int, str]] = {}

    def _manifest(self, run_id: str | None) -> dict[str, Any]:
        """The run's manifest (runs/<run_id>.manifest.json), else the latest."""
        path = self.out / "runs" / f"{run_id}.manifest.json"
        if run_id and run_id != self.latest.get("run_id") and path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
        return self.latest

    def _inputs(self, run_id: str | None) -> tuple[list[str], list[str] | None, bool]:
        if run_id in self._runs:
            return self._runs[run_id]
        manifest = self._manifest(run_id)
        return list(manifest["inputs"]), manifest.get("input_roots") or None, bool(manifest.get("follow_symlinks"))

    def files(self, run_id: str | None) -> dict[str, InputFile]:
        """source.path -> the input file, for the run ``run_id``."""
        given, roots, follow = self._inputs(run_id)
        key = (tuple(given), tuple(roots or ()), follow)
        if key not in self._files:
            found, _ = discover(given, exclude=own_paths(self.out, self.index_path), follow_symlinks=follow, roots=roots)
            self._files[key] = {f.display: f for f in found}
        return self._files[key]

    def raw(self, run_id: str | None, path: str, record: int) -> str | None:
        f = self.files(run_id).get(path)
        if f is None:
            return None
        text_field = self._manifest(run_id).get("text_field", "text")
        cache = (f.path, f.display, text_field)
        if cache not in self._raws:
            _, items = read_documents(f, text_field)
            self._raws[cache] = {d.source.record: d.raw for d in items if hasattr(d, "raw")}
        return self._raws[cache].get(record)


def iter_records(out: str | Path) -> Iterator[dict[str, Any]]:
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):
            yield from read_jsonl(part)


def verify_output(out: str | Path, index_path: str | Path | None = None) -> tuple[int, list[str]]:
    """(documents checked, problems) for an output directory."""
    raws = RawInputs(out, index_path)
    checked, problems = 0, []
    for rec in iter_records(out):
        key = (rec["source"]["path"], rec["source"]["record"])
        raw = raws.raw(rec.get("provenance", {}).get("run_id"), *key)
        if raw is None:
            problems.append(f"{rec['id']}: raw input {key} not found")
            continue
        for p in check_spans(rec["text"], raw, rec["provenance"]["spans"], rec["provenance"]["edits"]):
            problems.append(f"{rec['id']} ({key[0]}#{key[1]}): {p}")
        checked += 1
    return checked, problems
