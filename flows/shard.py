"""A shard's work, Prefect-free so it runs in worker processes.

Phase 1, :func:`clean_shard_files`: read the shard's files, run the cleaning pipeline, write
a work file (one JSON line per document state or read error) and return a small summary
(ids, statuses, dedup keys) for the flow. A work file that already exists under the same
shard key is reused: that is how a rerun after a crash skips finished shards.

Beside the work file, phase 1 writes what cross-document dedup needs of each kept
document (``shard-<key>.dedup.jsonl``: id, passage group, MinHash signature, passage
hashes), so signatures are computed in parallel and the flow never holds documents.

Phase 2, :func:`write_shard_outputs`: once the flow has decided which documents are
duplicates and which lines are common to a group's documents, load the work file again,
apply those decisions and write the shard's part of ``documents/`` and ``rejected/``
atomically.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaners import CleanConfig, Document, Edit, clean_document
from cleaners.document import Piece
from cleaners.exact_dup import exact_key
from cleaners.near_dup import signature, signature_to_str
from cleaners.passage_counts import document_passages, passage_hashes, strip_common_passages

from .formats import OUTPUT_FORMATS
from .readers import DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORD_BYTES, InputFile, ReadError, read_documents
from .work_files import (
    DocRow,
    EditStats,
    FileCheck,
    Order,
    Rebuild,
    Run,
    ShardFile,
    ShardOutcome,
    ShardSummary,
    SideRow,
    WorkMeta,
    dedup_path,
    parse_rebuild,
    read_stats,
    read_summary,
    read_work_items,
    side_line,
    state_work_line,
    stats_path,
    work_line,
    write_stats,
    write_summary,
)
from .writers import (
    Duplicate,
    RecordParts,
    append_edits,
    atomic_open,
    document_record,
    join_record,
    json_line,
    parse_json_line,
    record_parts,
    spans_json,
    write_lines,
)

PIPELINE_VERSION = "0.3.0"
WORK_FORMAT = 3  # layout of the work files (a resumed run never reuses a work file of another layout)
TOP_REMOVED = 30  # most removed lines kept per shard for the report


@dataclass(frozen=True)
class ShardSpec:
    index: int
    files: tuple[tuple[int, InputFile], ...]  # (position in the whole input, file)
    text_field: str = "text"
    max_bytes: int = DEFAULT_MAX_BYTES
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    earlier: tuple[tuple[int, str, int], ...] = ()  # (position, sha256, bytes) of a file's version cleaned before

    def key(self, config_hash: str) -> str:
        """Names the shard's work and output files: same files, settings and pipeline, same key."""
        h = hashlib.sha256(
            f"{PIPELINE_VERSION}|{WORK_FORMAT}|{config_hash}|{self.text_field}|{self.max_bytes}".encode()
        )
        if self.max_record_bytes != DEFAULT_MAX_RECORD_BYTES:
            h.update(f"|record:{self.max_record_bytes}".encode())
        for pos, sha, size in self.earlier:
            h.update(f"|earlier:{pos}:{sha}:{size}".encode())
        for pos, f in self.files:
            try:
                st = os.stat(f.path)
                stamp = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                stamp = "missing"
            h.update(
                f"|{pos}:{f.path}:{f.display}:{stamp}".encode("utf-8", "surrogateescape")
            )  # a name need not be UTF-8
        return h.hexdigest()[:16]


def make_shards(files: list[tuple[int, InputFile]], target_bytes: int, **kw: Any) -> list[ShardSpec]:
    """Group (position, file) pairs, in input order, into shards of about ``target_bytes`` each."""
    shards: list[ShardSpec] = []
    group: list[tuple[int, InputFile]] = []
    size = 0
    for item in files:
        group.append(item)
        size += max(item[1].size, 1)
        if size >= target_bytes:
            shards.append(ShardSpec(len(shards), tuple(group), **kw))
            group, size = [], 0
    if group:
        shards.append(ShardSpec(len(shards), tuple(group), **kw))
    return shards


def work_path(work_dir: str, key: str) -> Path:
    return Path(work_dir) / f"shard-{key}.jsonl"


def passage_group(doc: Document) -> str:
    """The group whose documents' passage counts a document joins: its site, else its source.

    Site: ``metadata.site`` or the host of a ``url`` (metadata or JSONL field). Source: a JSONL
    or Parquet file's records form one group; other files group by the folder they are in.

    >>> passage_group(Document.from_text("x", metadata={"url": "https://www.Example.com/a/b"}))
    'site:example.com'
    >>> from cleaners import Source
    >>> passage_group(Document.from_text("x", Source(path="dump/2024/a.txt")))
    'source:dump/2024'
    """
    site = doc.metadata.get("site") if isinstance(doc.metadata.get("site"), str) else None
    url = doc.metadata.get("url") or doc.source.meta.get("url")
    if not site and isinstance(url, str) and "//" in url:
        site = url.split("//", 1)[1].split("/", 1)[0].split("@")[-1].split(":")[0]
    if site and site.strip():
        site = site.strip().lower()
        return "site:" + (site[4:] if site.startswith("www.") else site)
    path = doc.source.path
    return "source:" + (path if doc.source.format in ("jsonl", "parquet") else os.path.dirname(path))


def _side_row(doc: Document, doc_id: str, text: str, cfg: CleanConfig) -> tuple[SideRow, list[tuple[int, int, int]]]:
    """The side-file row of a kept document, and its passages (``passage_hashes``) for phase 2.

    ``doc_id`` and ``text`` are ``doc.id`` and ``doc.text``, computed once.
    """
    near, counts_cfg = cfg.dedup.near, cfg.dedup.passages
    sig = signature_to_str(signature(text, near)) if near.enabled else None
    passages = passage_hashes(text, counts_cfg) if counts_cfg.enabled else []
    return SideRow(doc_id, passage_group(doc), sig, sorted(document_passages(passages))), passages


def clean_shard_files(spec: ShardSpec, work_dir: str, cfg: CleanConfig) -> ShardSummary:
    """Phase 1: clean one shard into a work file; returns its summary (stored beside it too)."""
    config_hash = cfg.hash
    key = spec.key(config_hash)
    out = work_path(work_dir, key)
    reused = _reusable(out)  # finished before a crash, and its files whole: reuse it
    if reused is not None:
        reused.reused = True
        return reused

    files: list[ShardFile] = []
    docs: list[DocRow] = []
    stats = EditStats()
    with atomic_open(out) as fh, atomic_open(dedup_path(out)) as dh:
        for pos, f in spec.files:
            earlier = next(((sha, n) for p, sha, n in spec.earlier if p == pos), None)
            info, items = read_documents(f, spec.text_field, spec.max_bytes, cfg.html, spec.max_record_bytes, earlier)
            files.append(ShardFile(pos, info))
            for item in items:
                for d in _clean_item(item, cfg):
                    if isinstance(d, Document):
                        text, doc_id = d.text, d.id
                        status = "rejected" if d.rejected else "kept"
                        order = Order(pos, d.source.record, d.source.part)
                        docs.append(DocRow(doc_id, status, exact_key(text), len(text), order, d.rejected))
                        passages: list[tuple[int, int, int]] = []
                        if status == "kept":
                            row, passages = _side_row(d, doc_id, text, cfg)
                            dh.write(side_line(row))
                        fh.write(_work_line(d, doc_id, config_hash, passages))
                        stats.add(d.edits)
                    else:
                        record = d.record if d.record is not None else -1
                        docs.append(DocRow(None, "error", None, 0, Order(pos, record, 0), d.message))
    write_stats(out, stats)
    checks = {p.name: file_check(p) for p in (out, dedup_path(out), stats_path(out))}
    summary = ShardSummary(spec.index, key, str(out), files, docs, checks)
    write_summary(summary)
    return summary


def file_check(path: str | Path) -> FileCheck:
    """Size and sha256 of a file: a work file is reused only if it still matches what its summary recorded."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return FileCheck(size, h.hexdigest())


def _reusable(work_path_: Path) -> ShardSummary | None:
    """The summary of a shard finished before a crash, if its work files are still whole; None to redo it.

    A work file truncated, edited or removed since (or one written by an older launder, with no
    checks recorded) does not match its summary's sizes and checksums, and the shard is cleaned again.
    """
    try:
        summary = read_summary(work_path_)
        base = Path(summary.path)
        for p in (base, dedup_path(base), stats_path(base)):
            want = summary.checks[p.name]
            if os.path.getsize(p) != want.bytes or file_check(p) != want:
                return None
        return summary
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _clean_item(item: Document | ReadError, cfg: CleanConfig) -> list[Document | ReadError]:
    """The documents an input item gives, or the error that says why it gave none."""
    if isinstance(item, ReadError):
        return [item]
    try:
        cleaned = clean_document(item, cfg)
    except Exception as exc:  # one bad document never stops the shard
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return [ReadError(item.source.path, item.source.record, f"cleaning failed: {detail}")]
    return list(cleaned)


def top_removed(removed: Counter[tuple[str, str]], n: int) -> list[list[Any]]:
    """The n most often removed (line, rule) pairs as [line, rule, count]; ties in line and rule order."""
    return [[t, r, c] for (t, r), c in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _work_line(doc: Document, doc_id: str, config_hash: str, passages: list[tuple[int, int, int]] | None = None) -> str:
    """The document's line of the work file (flows.work_files: the record in parts, else the whole state)."""
    meta = WorkMeta(doc_id, doc.rejected, str((dict(doc.language) or {"code": "und"})["code"]))
    parts = record_parts(doc, pipeline_version=PIPELINE_VERSION, config_hash=config_hash)
    if parts is None:
        return state_work_line(meta, doc.to_state())
    # the raw text is only needed to strip common passages: a document without any never carries it
    if doc.rejected or not passages:
        return work_line(meta, parts, None)
    pieces = [[len(p.text), p.raw_start, p.raw_end, p.verbatim] for p in doc.pieces]
    return work_line(meta, parts, Rebuild(doc.raw, pieces, passages))


def _strip_common(
    doc: Document, counts: dict[int, int], cfg: CleanConfig, passages: list[tuple[int, int, int]] | None = None
) -> tuple[Document, str | None]:
    """``doc`` without the passages common to its group, rejected (with the late reason) if left too short."""
    doc = strip_common_passages(doc, counts, cfg.dedup.passages, passages=passages)
    if len(doc.text.strip()) < max(cfg.min_chars, 1):
        return doc.reject("too-short", step="length"), "too-short"
    return doc, None


def strip_common_parts(
    parts: RecordParts, rebuild: str | None, counts: dict[int, int], cfg: CleanConfig
) -> tuple[RecordParts, tuple[Edit, ...], str | None]:
    """A kept document's record parts with its common passages stripped: (parts, the new edits, late reason).

    The same as rebuilding the whole Document, :func:`strip_common_passages`, and writing its record
    again (tests/test_writers.py), but only the text, spans and edits are touched.
    """
    if rebuild is None:  # a document without passages (the work file then holds no raw text): nothing to strip
        return parts, (), None
    text = parse_json_line(parts[1])
    found = parse_rebuild(rebuild)
    pos, pieces = 0, []
    for n, start, end, verbatim in found.pieces:
        pieces.append(Piece(text[pos : pos + n], start, end, verbatim))
        pos += n
    passages = found.passages if cfg.dedup.passages.enabled else None
    doc, late = _strip_common(Document(raw=found.raw, pieces=tuple(pieces)), counts, cfg, passages)
    if not doc.edits:
        return parts, (), None
    return (
        [parts[0], json_line(doc.text), parts[2], spans_json(doc), append_edits(parts[4], doc.edits)],
        doc.edits,
        late,
    )


def write_shard_outputs(
    summary: ShardSummary,
    out: str,
    duplicates: dict[str, tuple[str, float]],
    members: dict[str, list[Duplicate]],
    run: Run,
    common: dict[str, list[list[int]]] | None = None,
    skip: set[str] | None = None,
) -> ShardOutcome:
    """Phase 2: write the shard's documents/ and rejected/ parts; returns statistics for the manifest.

    ``members``: representative id -> the output records' ``duplicates`` entries dropped in its favour.
    ``skip``: documents not written (they repeat an earlier version's unchanged, flows.versions).

    ``common``: document id -> [[passage hash, documents holding it], ...], the lines to strip
    as repeated across documents; a document left too short by that is rejected (``late``).
    """
    cfg = run.config if common else None
    common = common or {}
    run_id = run.run_id
    late: dict[str, str] = {}
    kept: list[str] = []
    rejected: list[str] = []
    stats = read_stats(summary.path)
    languages: Counter[str] = Counter()
    skip = skip or set()
    skipped = 0
    for item in read_work_items(summary.path):
        doc_id, reason, language = item.meta
        if doc_id in skip:
            skipped += 1
            continue
        dup = duplicates.get(doc_id)
        counts = dict(map(tuple, common[doc_id])) if doc_id in common and cfg is not None else None
        why = None
        if item.parts is None:  # the whole state (orjson could not write the record)
            doc = Document.from_state(item.state)
            if counts is not None:
                before = len(doc.edits)
                doc, why = _strip_common(doc, counts, cfg)
                stats.add(doc.edits[before:])
            rec = document_record(doc, pipeline_version=PIPELINE_VERSION, config_hash=run.config_hash, run_id=run_id)
            if dup:
                rec["reason"] = f"duplicate_of:{dup[0]}"
                rec["similarity"] = dup[1]
            rec["duplicates"] = members.get(doc_id, [])
            reason, line = rec.get("reason"), json_line(rec)
        else:
            parts = item.parts
            if counts is not None and item.rebuild is not None:
                parts, new_edits, why = strip_common_parts(parts, item.rebuild, counts, cfg)
                stats.add(new_edits)
                if why:
                    reason = why
            if dup:
                reason = f"duplicate_of:{dup[0]}"
            line = join_record(
                parts, run_id, duplicates=members.get(doc_id, []), reason=reason, similarity=dup[1] if dup else None
            )
        if why:
            late[doc_id] = why
        if reason:
            rejected.append(line)
        else:
            kept.append(line)
            languages[language] += 1
    expected = sum(1 for d in summary.docs if d.id is not None)
    if len(kept) + len(rejected) + skipped != expected:  # never publish a shard with records missing
        raise RuntimeError(
            f"work file {summary.path} holds {len(kept) + len(rejected) + skipped} documents, its summary {expected}"
        )
    name = f"part-{summary.key}{OUTPUT_FORMATS[run.output_format]}"  # --format
    for sub, lines in (("documents", kept), ("rejected", rejected)):
        if lines:
            write_lines(Path(out) / sub / name, lines)
    return ShardOutcome(stats.edits, top_removed(stats.removed, TOP_REMOVED), dict(languages), late)
