"""One shard's work, Prefect-free so it runs in a worker process: read files, clean, write a work file.

A shard is a group of input files. Its result is a work file of JSON lines (one per
document or error) written atomically, plus a small summary that the flow uses for
dedup and the manifest. A work file that already exists for the same shard key is
reused: that is how a rerun skips finished shards.
"""

from __future__ import annotations

import hashlib
import json
import os
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cleaners import CleanConfig, Document, clean_document
from cleaners.dedup import exact_key

from .readers import DEFAULT_MAX_BYTES, InputFile, ReadError, read_documents
from .writers import atomic_open, document_record, read_jsonl

PIPELINE_VERSION = "0.1.0"


@dataclass(frozen=True)
class ShardSpec:
    index: int
    files: tuple[tuple[int, InputFile], ...]  # (position in the whole input, file)
    text_field: str = "text"
    max_bytes: int = DEFAULT_MAX_BYTES

    def key(self, config_hash: str) -> str:
        h = hashlib.sha256(f"{PIPELINE_VERSION}|{config_hash}|{self.text_field}|{self.max_bytes}".encode())
        for pos, f in self.files:
            try:
                st = os.stat(f.path)
                stamp = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                stamp = "missing"
            h.update(f"|{pos}:{f.path}:{f.display}:{stamp}".encode())
        return h.hexdigest()[:16]


def make_shards(files: list[InputFile], target_bytes: int, **kw: Any) -> list[ShardSpec]:
    """Group files, in input order, into shards of about ``target_bytes`` each."""
    shards: list[ShardSpec] = []
    group: list[tuple[int, InputFile]] = []
    size = 0
    for pos, f in enumerate(files):
        group.append((pos, f))
        size += max(f.size, 1)
        if size >= target_bytes:
            shards.append(ShardSpec(len(shards), tuple(group), **kw))
            group, size = [], 0
    if group:
        shards.append(ShardSpec(len(shards), tuple(group), **kw))
    return shards


def run_shard(spec: ShardSpec, work_dir: str, config: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Clean one shard into ``work_dir``; returns its summary (also stored beside the work file)."""
    cfg = CleanConfig.from_mapping(config)
    key = spec.key(cfg.hash)
    out = Path(work_dir) / f"shard-{spec.index:05d}-{key}.jsonl"
    summary_path = out.with_suffix(".summary.json")
    if out.exists() and summary_path.exists():
        with open(summary_path, encoding="utf-8") as fh:
            return json.load(fh)

    files: list[dict[str, Any]] = []
    docs: list[list[Any]] = []
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    with atomic_open(out) as fh:
        for pos, f in spec.files:
            info, items = read_documents(f, spec.text_field, spec.max_bytes)
            files.append({"position": pos, **asdict(info)})
            for item in items:
                for rec in _clean_item(item, cfg, run_id):
                    if rec["kind"] == "doc":
                        d = rec["doc"]
                        status = "rejected" if d.get("reason") else "kept"
                        order = [pos, d["source"]["record"], d["source"]["part"]]
                        docs.append([d["id"], status, exact_key(d["text"]), len(d["text"]), order, d.get("reason")])
                        for e in d["provenance"]["edits"]:
                            s = stats[e["step"]][e["rule"]]
                            s[0] += 1
                            s[1] += len(e["before"]) - len(e["after"])
                    else:
                        docs.append([None, "error", None, 0, [pos, rec["record"] if rec["record"] is not None else -1, 0], rec["message"]])
                    fh.write(json.dumps(rec, ensure_ascii=False))
                    fh.write("\n")
    summary = {"index": spec.index, "path": str(out), "files": files, "docs": docs, "stats": stats}
    with atomic_open(summary_path) as sf:
        json.dump(summary, sf)
    return json.loads(json.dumps(summary))


def _clean_item(item: Document | ReadError, cfg: CleanConfig, run_id: str) -> list[dict[str, Any]]:
    if isinstance(item, ReadError):
        return [{"kind": "error", "path": item.display, "record": item.record, "message": item.message}]
    try:
        cleaned = clean_document(item, cfg)
    except Exception as exc:  # one bad document never stops the shard
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return [{"kind": "error", "path": item.source.path, "record": item.source.record, "message": f"cleaning failed: {detail}"}]
    return [
        {"kind": "doc", "doc": document_record(d, pipeline_version=PIPELINE_VERSION, config_hash=cfg.hash, run_id=run_id)}
        for d in cleaned
    ]


def iter_work_records(path: str) -> Any:
    return read_jsonl(path)
