"""New versions of a source: a file edited in place, or a JSONL appended to, cleaned again.

A run that cleans a file whose path the index knows under another sha256 compares, record by
record, the new version's documents with the earlier version's (same ``record`` and ``part``):

- a JSONL file that starts with the earlier version's exact bytes (appended to) is read from the end
  of those bytes on (``flows.readers.read_documents``, ``earlier``): its earlier documents all stay;
- the same clean text (same exact key): the record is **unchanged**. The earlier document stays
  where it is (kept, or rejected with its reason) and the new one is not written again, so an edited
  file's untouched records are not written again;
- otherwise the earlier document is **superseded**: it leaves ``documents/`` for
  ``rejected/part-superseded-<run id>.jsonl`` with ``reason: superseded_by:<id>`` (the new version's
  document of the same record and part, else its first), and the index stops matching it (its
  signature, bucket keys and passage counts go), so the new version is never a duplicate of the old.

Earlier documents whose source is now an error (unreadable, binary) stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .index import Index
from .out_state import part_files
from .work_files import DocRow, ShardSummary
from .writers import json_line, read_jsonl, write_lines


@dataclass
class Versions:
    unchanged: dict[str, str] = field(default_factory=dict)  # new id -> the earlier document it repeats
    superseded: dict[str, str] = field(default_factory=dict)  # earlier id -> the new document replacing it
    revived: set[str] = field(default_factory=set)  # superseded ids cleaned again (a file put back to earlier bytes)


def runs_into(out: str | Path) -> set[str]:
    """Ids of the runs that cleaned into ``out`` (each leaves ``runs/<run id>.manifest.json``): an index
    may serve several OUTs, and only a file's versions cleaned into this one are its earlier versions."""
    return {p.name.split(".", 1)[0] for p in Path(out, "runs").glob("*.manifest.json")}


def match_versions(summaries: list[ShardSummary], index: Index, runs: set[str] | None = None) -> Versions:
    """Compare the run's files with the earlier versions of the same paths in the index (of ``runs``)."""
    out = Versions()
    for s in summaries:
        new_docs: dict[int, list[DocRow]] = {}
        for d in s.docs:
            if d.id is not None:
                new_docs.setdefault(d.order.position, []).append(d)
        for f in s.files:
            info = f.info
            if info.error or not info.sha256 or info.continues:
                continue  # unreadable (the earlier documents stay), or appended to (only new lines were read)
            earlier = index.previous_documents(info.display, info.sha256, runs)
            docs = new_docs.get(f.position, [])
            out.revived |= {d.id for d in docs} & index.superseded_ids(info.display, info.sha256, runs)
            if not earlier or not docs:
                continue
            by_place = {(d.order.record, d.order.part): d for d in docs}
            for old_id, record, part, key, _status in earlier:
                new = by_place.get((record, part))
                if new is not None and key is not None and new.key == key and new.id not in out.unchanged:
                    out.unchanged[new.id] = old_id
                else:
                    out.superseded[old_id] = (new or docs[0]).id
    return out


def earlier_versions(
    files: list[tuple[int, Any]], index: Index, runs: set[str] | None = None
) -> list[tuple[int, str, int]]:
    """(position, sha256, bytes) of the version cleaned before (by ``runs``) of each uncompressed JSONL input, when known."""
    out = []
    for pos, f in files:
        if f.format == "jsonl" and not f.compressed:
            found = index.latest_version(f.display, runs)
            if found is not None:
                out.append((pos, *found))
    return out


def merged_part(out: str | Path, run_id: str, suffix: str = ".jsonl") -> Path:
    """The run's merged part, in the run's output format (``suffix``: flows.formats.OUTPUT_FORMATS)."""
    return Path(out) / "rejected" / f"part-merged-{run_id}{suffix}"


def move_merged(out: str | Path, run_id: str, merged: dict[str, tuple[str, float]], suffix: str = ".jsonl") -> int:
    """Move the records of earlier kept documents this run found to be duplicates (``flows.dedup``:
    its documents joined their clusters to another earlier document's) to the run's merged part,
    ``rejected/part-merged-<run id>.jsonl``, with ``reason: duplicate_of:<representative>`` and the
    similarity; the records dropped for them get ``duplicate_of:<representative>`` too, as one run
    over all the documents writes them. Returns how many records the merged part holds.

    Safe to repeat after a crash, as :func:`move_superseded`: the merged part is written (atomically)
    before any part loses its records, records already moved are taken from it, and re-pointing a
    reason twice changes nothing.
    """
    if not merged:
        return 0

    def take(rec: dict[str, Any]) -> str | None:
        if rec.get("id") in merged:
            rep, sim = merged[rec["id"]]
            rec["reason"], rec["similarity"] = f"duplicate_of:{rep}", sim
            return "move"
        reason = str(rec.get("reason", ""))
        if reason.startswith("duplicate_of:") and reason.split(":", 1)[1] in merged:
            rec["reason"] = f"duplicate_of:{merged[reason.split(':', 1)[1]][0]}"
            return "changed"
        return None

    return _move_records(out, merged_part(out, run_id, suffix), take)


def superseded_part(out: str | Path, run_id: str, suffix: str = ".jsonl") -> Path:
    """The run's superseded part, in the run's output format (``suffix``: flows.formats.OUTPUT_FORMATS)."""
    return Path(out) / "rejected" / f"part-superseded-{run_id}{suffix}"


def move_superseded(
    out: str | Path, run_id: str, superseded: dict[str, str], revived: set[str] | None = None, suffix: str = ".jsonl"
) -> int:
    """Move the superseded documents' records into the run's superseded part; returns how many it holds.

    ``revived``: superseded documents this run wrote again (their file holds those bytes again):
    their superseded records go. Safe to repeat after a crash: the superseded part is written
    (atomically) before any part loses its records, and records already moved are taken from it.
    """
    for part in [p for p in part_files(out, "rejected") if p.name.startswith("part-superseded-")] if revived else []:
        recs = list(read_jsonl(part))
        keep = [r for r in recs if r.get("id") not in revived]
        if len(keep) != len(recs):
            if keep:
                write_lines(part, map(json_line, keep))
            else:
                part.unlink()
    if not superseded:
        return 0

    def take(rec: dict[str, Any]) -> str | None:
        if rec.get("id") not in superseded:
            return None
        rec["reason"] = f"superseded_by:{superseded[rec['id']]}"
        rec.pop("similarity", None)
        return "move"

    return _move_records(out, superseded_part(out, run_id, suffix), take)


def _move_records(out: str | Path, target: Path, take: Callable[[dict[str, Any]], str | None]) -> int:
    """Move records of OUT's part files into ``target``; returns how many ``target`` holds.

    ``take(record)`` may change the record, and says what becomes of it: "move" (into ``target``),
    "changed" (stays, rewritten) or None (stays as it is). Safe to repeat after a crash: ``target`` is
    written (atomically) before any part loses its records, and records already moved are taken from it.
    """
    moved: dict[str, dict[str, Any]] = {}
    if target.exists():
        moved = {r["id"]: r for r in read_jsonl(target)}
    touched: list[tuple[Path, list[dict[str, Any]]]] = []
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):  # launder's part files only
            if part == target:
                continue
            keep, hit = [], False
            for rec in read_jsonl(part):
                what = take(rec)
                if what == "move":
                    moved[rec["id"]] = rec
                    hit = True
                    continue
                hit = hit or what == "changed"
                keep.append(rec)
            if hit:
                touched.append((part, keep))
    if moved:
        write_lines(target, (json_line(moved[i]) for i in sorted(moved)))
    for part, keep in touched:
        if keep:
            write_lines(part, map(json_line, keep))
        else:
            part.unlink()
    return len(moved)
