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
import json
import os
import traceback
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from cleaners import CleanConfig, Document, clean_document
from cleaners.dedup import exact_key
from cleaners.near_dup import signature, signature_to_str
from cleaners.passage_counts import document_passages, passage_hashes, strip_common_passages

from .readers import DEFAULT_MAX_BYTES, InputFile, ReadError, read_documents
from .writers import atomic_open, document_record, json_line, read_jsonl, write_jsonl

PIPELINE_VERSION = "0.3.0"
TOP_REMOVED = 30  # most removed lines kept per shard for the report


@dataclass(frozen=True)
class ShardSpec:
    index: int
    files: tuple[tuple[int, InputFile], ...]  # (position in the whole input, file)
    text_field: str = "text"
    max_bytes: int = DEFAULT_MAX_BYTES

    def key(self, config_hash: str) -> str:
        """Names the shard's work and output files: same files, settings and pipeline, same key."""
        h = hashlib.sha256(f"{PIPELINE_VERSION}|{config_hash}|{self.text_field}|{self.max_bytes}".encode())
        for pos, f in self.files:
            try:
                st = os.stat(f.path)
                stamp = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                stamp = "missing"
            h.update(f"|{pos}:{f.path}:{f.display}:{stamp}".encode())
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


def dedup_path(work_path_: str | Path) -> Path:
    """The shard's dedup side file, beside its work file."""
    return Path(work_path_).with_suffix(".dedup.jsonl")


def passage_group(doc: Document) -> str:
    """The group whose documents' passage counts a document joins: its site, else its source.

    Site: ``metadata.site`` or the host of a ``url`` (metadata or JSONL field). Source: a JSONL
    file's records form one group; other files group by the folder they are in.

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
    return "source:" + (path if doc.source.format == "jsonl" else os.path.dirname(path))


def _dedup_line(doc: Document, doc_id: str, text: str, cfg: CleanConfig) -> str:
    """The side-file line of a kept document; ``doc_id`` and ``text`` are ``doc.id`` and ``doc.text``, computed once."""
    near, passages = cfg.dedup.near, cfg.dedup.passages
    sig = signature_to_str(signature(text, near)) if near.enabled else None
    hashes = sorted(document_passages(passage_hashes(text, passages))) if passages.enabled else []
    return json_line([doc_id, passage_group(doc), sig, hashes])


def clean_shard_files(spec: ShardSpec, work_dir: str, config: dict[str, Any]) -> dict[str, Any]:
    """Phase 1: clean one shard into a work file; returns its summary (stored beside it too)."""
    cfg = CleanConfig.from_mapping(config)
    key = spec.key(cfg.hash)
    out = work_path(work_dir, key)
    summary_path = out.with_suffix(".summary.json")
    if out.exists() and summary_path.exists():  # finished before a crash: reuse it
        with open(summary_path, encoding="utf-8") as fh:
            return {**json.load(fh), "reused": True}

    files: list[dict[str, Any]] = []
    docs: list[list[Any]] = []
    with atomic_open(out) as fh, atomic_open(dedup_path(out)) as dh:
        for pos, f in spec.files:
            info, items = read_documents(f, spec.text_field, spec.max_bytes, cfg.html)
            files.append({"position": pos, **asdict(info)})
            for item in items:
                for d in _clean_item(item, cfg):
                    if isinstance(d, Document):
                        rec: dict[str, Any] = {"kind": "doc", "state": d.to_state()}
                        text, doc_id = d.text, d.id
                        status = "rejected" if d.rejected else "kept"
                        order = [pos, d.source.record, d.source.part]
                        docs.append([doc_id, status, exact_key(text), len(text), order, d.rejected])
                        if status == "kept":
                            dh.write(_dedup_line(d, doc_id, text, cfg) + "\n")
                    else:
                        rec = d
                        record = rec["record"] if rec["record"] is not None else -1
                        docs.append([None, "error", None, 0, [pos, record, 0], rec["message"]])
                    fh.write(json_line(rec))
                    fh.write("\n")
    summary = {"index": spec.index, "key": key, "path": str(out), "files": files, "docs": docs}
    with atomic_open(summary_path) as sf:
        json.dump(summary, sf)
    return summary


def _clean_item(item: Document | ReadError, cfg: CleanConfig) -> list[Document | dict[str, Any]]:
    """The documents an input item gives, or the error record that says why it gave none."""
    if isinstance(item, ReadError):
        return [{"kind": "error", "path": item.display, "record": item.record, "message": item.message}]
    try:
        cleaned = clean_document(item, cfg)
    except Exception as exc:  # one bad document never stops the shard
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return [{"kind": "error", "path": item.source.path, "record": item.source.record, "message": f"cleaning failed: {detail}"}]
    return list(cleaned)


def iter_documents(summary: dict[str, Any]) -> Iterator[Document]:
    for rec in read_jsonl(summary["path"]):
        if rec["kind"] == "doc":
            yield Document.from_state(rec["state"])


def write_shard_outputs(
    summary: dict[str, Any],
    out: str,
    duplicates: dict[str, tuple[str, float]],
    members: dict[str, list[dict[str, Any]]],
    run: dict[str, Any],
    common: dict[str, list[list[int]]] | None = None,
) -> dict[str, Any]:
    """Phase 2: write the shard's documents/ and rejected/ parts; returns statistics for the manifest.

    ``common``: document id -> [[passage hash, documents holding it], ...], the lines to strip
    as repeated across documents; a document left too short by that is rejected (``late``).
    """
    cfg = CleanConfig.from_mapping(run["config"]) if common else None
    late: dict[str, str] = {}
    kept, rejected = [], []
    edits: dict[str, dict[str, list[int]]] = {}
    removed: Counter[tuple[str, str]] = Counter()
    languages: Counter[str] = Counter()
    for doc in iter_documents(summary):
        if common and doc.id in common and cfg is not None:
            doc = strip_common_passages(doc, dict(map(tuple, common[doc.id])), cfg.dedup.passages)
            if len(doc.text.strip()) < max(cfg.min_chars, 1):
                doc = doc.reject("too-short", step="length")
                late[doc.id] = "too-short"
        rec = document_record(doc, pipeline_version=PIPELINE_VERSION, config_hash=run["config_hash"], run_id=run["run_id"])
        if doc.id in duplicates:
            rep, sim = duplicates[doc.id]
            rec["reason"] = f"duplicate_of:{rep}"
            rec["similarity"] = sim
        rec["duplicates"] = members.get(doc.id, [])
        for e in doc.edits:
            agg = edits.setdefault(e.step, {}).setdefault(e.rule, [0, 0])
            agg[0] += 1
            agg[1] += len(e.before) - len(e.after)
            if e.op == "drop" and e.before.strip():
                removed[(e.before.strip()[:160], e.rule)] += 1
        if rec.get("reason"):
            rejected.append(rec)
        else:
            kept.append(rec)
            languages[rec["language"]["code"]] += 1
    name = f"part-{summary['key']}.jsonl"
    for sub, recs in (("documents", kept), ("rejected", rejected)):
        if recs:
            write_jsonl(Path(out) / sub / name, recs)
    return {
        "edits": edits,
        "removed": [[t, r, n] for (t, r), n in removed.most_common(TOP_REMOVED)],
        "languages": dict(languages),
        "late": late,
    }
