"""Check an output directory against its inputs: every span points at the raw text it claims.

For each kept and rejected document: spans are ordered, do not overlap, and cover the
clean text; a span whose clean slice differs from its raw slice lies inside the raw
range of an edit. The raw text is re-read from each run's input files, found by the absolute
input roots the index records (so ``verify`` works from any directory, after runs over other inputs).

And the records themselves (:func:`check_records`): no id is written twice; the index (the
ledger of every committed run) and OUT hold the same documents, kept ones in ``documents/``
and the others in ``rejected/``; every document the latest manifest lists is there with its
status (unless the index records a later change), and its totals agree with its outcomes;
no run is left unfinished.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from .out_state import INDEX_FILE, own_paths, part_files
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
        self.index_path = Path(index_path) if index_path else self.out / INDEX_FILE
        self.latest = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
        self._runs: dict[str, tuple[list[str], list[str], bool]] = {}
        if self.index_path.is_file() and self.index_path.stat().st_size:
            import sqlite3

            try:
                con = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True)
                try:
                    rows = con.execute(
                        "SELECT run_id, given, root, follow FROM inputs ORDER BY run_id, position"
                    ).fetchall()
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
            found, _ = discover(
                given, exclude=own_paths(self.out, self.index_path), follow_symlinks=follow, roots=roots
            )
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


def _placed(out: str | Path, runs: dict[str, str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """id -> [(documents | rejected, part file name), ...] for every record in OUT (and into ``runs``,
    when given, id -> the run id in its provenance)."""
    where: dict[str, list[tuple[str, str]]] = {}
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):
            try:
                for rec in read_jsonl(part):
                    where.setdefault(str(rec.get("id")), []).append((sub, part.name))
                    if runs is not None:
                        runs[str(rec.get("id"))] = str((rec.get("provenance") or {}).get("run_id"))
            except (OSError, ValueError) as exc:
                where.setdefault(f"<unreadable {sub}/{part.name}: {exc}>", [])
    return where


def _ledger(index_path: str | Path, out: str | Path) -> dict[str, tuple[str, str]] | None:
    """id -> (status, source path) of every document the index holds from runs into ``out`` (one
    index may serve several OUTs: a run into ``out`` leaves its manifest in ``out/runs``); None
    without an index."""
    if not Path(index_path).is_file():
        return None
    runs = {p.name.split(".", 1)[0] for p in Path(out, "runs").glob("*.manifest.json")}
    con = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT id, status, source_path, run_id FROM documents")
        return {i: (st, src) for i, st, src, run in rows if run in runs}
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _count_lines(out: str | Path, sub: str) -> int:
    """The records of OUT/<sub>'s parts (lines of JSONL parts, rows of Parquet parts: flows.formats)."""
    from .formats import count_part

    return sum(count_part(part) for part in part_files(out, sub))


def lost_sources(out: str | Path, index_path: str | Path) -> set[str] | None:
    """Source paths with documents the index lists but OUT lacks (a part file deleted, say): a run
    forgets them and cleans them again. None when a part file cannot be read (``launder verify``
    says which; nothing is repaired then).

    Cheap when nothing is lost: the records of ``documents/`` and ``rejected/`` are counted against
    the index's before any is read.
    """
    ledger = _ledger(index_path, out)
    if not ledger:
        return set()
    kept = sum(1 for status, _src in ledger.values() if status == "kept")
    if _count_lines(out, "documents") == kept and _count_lines(out, "rejected") == len(ledger) - kept:
        return set()
    where = _placed(out)
    if any(not places for places in where.values()):
        return None
    return {src for doc_id, (_status, src) in ledger.items() if doc_id not in where}


def check_records(out: str | Path, manifest: dict[str, Any], index_path: str | Path) -> list[str]:
    """Missing, duplicated and misplaced records (empty when OUT holds what its index and manifest say)."""
    problems: list[str] = []
    if Path(out, ".work", "run.json").exists():
        problems.append(
            "a run into OUT is unfinished (OUT/.work/run.json): run the same `launder clean` again to finish it"
        )
    run_of: dict[str, str] = {}
    where = _placed(out, run_of)
    for doc_id, places in where.items():
        if not places:
            problems.append(doc_id)
        elif len(places) > 1:
            problems.append(f"{doc_id}: written {len(places)} times ({', '.join(f'{s}/{p}' for s, p in places)})")
    ledger = _ledger(index_path, out)
    if ledger is not None:
        for doc_id, (status, source) in ledger.items():
            want = "documents" if status == "kept" else "rejected"
            places = where.get(doc_id)
            if not places:
                problems.append(f"{doc_id}: the index has it ({status}, {source}) but it is missing from {want}/")
            elif places[0][0] != want:
                problems.append(f"{doc_id}: in {places[0][0]}/ but the index has it as {status} ({source})")
        for doc_id, places in where.items():
            if places and doc_id not in ledger:
                problems.append(
                    f"{doc_id}: in {places[0][0]}/{places[0][1]} but not in the index (left by an unfinished run?)"
                )
    counted: Counter[str] = Counter()
    listed: set[str] = set()
    for f in manifest.get("files", []):
        for o in f.get("outcomes", []):
            if o.get("status") not in ("kept", "rejected"):
                continue
            counted[o["status"]] += 1
            doc_id = o.get("id")
            listed.add(doc_id)
            if ledger is not None and doc_id not in ledger:
                continue  # forgotten since (or a later change the index records)
            want = "documents" if o["status"] == "kept" else "rejected"
            if ledger is not None and (ledger[doc_id][0] == "kept") != (o["status"] == "kept"):
                continue  # changed by a later run (superseded, promoted): the index is checked above
            places = where.get(doc_id)
            if not places:
                problems.append(
                    f"{doc_id}: the manifest lists it ({o['status']}, {f.get('path')}) but it is missing from {want}/"
                )
            elif places[0][0] != want:
                problems.append(f"{doc_id}: the manifest has it {o['status']} but it is in {places[0][0]}/")
    latest = manifest.get("run_id")
    for doc_id, places in where.items():  # the latest run's records are all in its manifest
        if (
            places
            and latest
            and run_of.get(doc_id) == latest
            and doc_id not in listed
            and not (ledger and doc_id in ledger)
        ):
            problems.append(
                f"{doc_id}: in {places[0][0]}/{places[0][1]} from run {latest}, but its manifest does not list it"
            )
    totals = manifest.get("totals", {})
    for status in ("kept", "rejected"):
        if status in totals and totals[status] != counted[status]:
            problems.append(f"manifest totals say {totals[status]} {status}, its files list {counted[status]}")
    return problems


def verify_output(
    out: str | Path, index_path: str | Path | None = None, unread: list[str] | None = None
) -> tuple[int, list[str]]:
    """(documents checked, problems) for an output directory.

    ``unread``, when given, receives the ids of the documents whose spans cannot be checked: those
    read from standard input (flows.stdio), whose raw text launder does not keep.
    """
    from .stdio import from_stdin

    raws = RawInputs(out, index_path)
    checked, problems = 0, []
    for rec in iter_records(out):
        if str(rec.get("reason", "")).startswith("superseded_by:"):
            continue  # an earlier version of its source: those raw bytes are gone
        if from_stdin(str(rec["source"]["path"])):
            if unread is not None:
                unread.append(rec["id"])
            continue
        key = (rec["source"]["path"], rec["source"]["record"])
        raw = raws.raw(rec.get("provenance", {}).get("run_id"), *key)
        if raw is None:
            problems.append(f"{rec['id']}: raw input {key} not found")
            continue
        for p in check_spans(rec["text"], raw, rec["provenance"]["spans"], rec["provenance"]["edits"]):
            problems.append(f"{rec['id']} ({key[0]}#{key[1]}): {p}")
        checked += 1
    problems += check_records(out, raws.latest, raws.index_path)
    return checked, problems
