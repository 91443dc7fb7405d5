"""The Prefect flow: raw dump -> shards cleaned in parallel -> dedup -> clean/ (documents, rejected, manifest).

One Prefect task per shard (never per document). Shard tasks run on a thread pool
that only waits; the cleaning itself runs in a process pool so that all cores work.
"""

from __future__ import annotations

import os
import shutil
import uuid
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners import CleanConfig
from cleaners.dedup import DedupEntry, resolve_exact

from .readers import DEFAULT_MAX_BYTES, discover
from .shard import PIPELINE_VERSION, ShardSpec, make_shards, run_shard
from .writers import read_jsonl, write_json, write_jsonl

WORK_DIR = ".work"
# the process pool of a running flow, by run id (tasks run in threads of the flow's process)
_POOLS: dict[str, Executor] = {}


@task(name="clean-shard", retries=0)
def clean_shard(spec: ShardSpec, work_dir: str, config: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Clean one shard (in the run's process pool when there is one); returns its small summary."""
    pool = _POOLS.get(run_id)
    if pool is None:
        return run_shard(spec, work_dir, config, run_id)
    return pool.submit(run_shard, spec, work_dir, config, run_id).result()


@task(name="dedup-documents")
def dedup_documents(summaries: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, str]:
    """Exact duplicates across the whole dump: duplicate id -> representative id."""
    if not CleanConfig.from_mapping(config).dedup.exact:
        return {}
    entries = [
        DedupEntry(d[0], d[2], d[3], tuple(d[4]))
        for s in summaries
        for d in s["docs"]
        if d[1] == "kept"
    ]
    return resolve_exact(entries)


@task(name="write-outputs")
def write_outputs(
    summaries: list[dict[str, Any]], duplicates: dict[str, str], out: str, run: dict[str, Any]
) -> dict[str, Any]:
    """Write documents/, rejected/ and manifest.json atomically; returns the manifest's totals."""
    out_dir = Path(out)
    members: dict[str, list[dict[str, Any]]] = {}
    for s in summaries:  # pass 1: who is a duplicate of whom, with the duplicates' sources
        for rec in read_jsonl(s["path"]):
            if rec["kind"] == "doc" and rec["doc"]["id"] in duplicates:
                d = rec["doc"]
                members.setdefault(duplicates[d["id"]], []).append(
                    {"id": d["id"], "source": {k: d["source"][k] for k in ("path", "record", "part")}, "similarity": 1.0}
                )
    written = set()
    for s in summaries:  # pass 2: one documents/ and one rejected/ file per shard
        kept, rejected = [], []
        for rec in read_jsonl(s["path"]):
            if rec["kind"] != "doc":
                continue
            d = rec["doc"]
            d["provenance"]["run_id"] = run["run_id"]
            if d["id"] in duplicates:
                d["reason"] = f"duplicate_of:{duplicates[d['id']]}"
            d["duplicates"] = members.get(d["id"], [])
            (rejected if d.get("reason") else kept).append(d)
        name = f"part-{s['index']:05d}.jsonl"
        write_jsonl(out_dir / "documents" / name, kept)
        write_jsonl(out_dir / "rejected" / name, rejected)
        written.add(name)
    for sub in ("documents", "rejected"):  # parts left by an earlier run with more shards
        for old in (out_dir / sub).glob("part-*.jsonl"):
            if old.name not in written:
                old.unlink()
    manifest = build_manifest(summaries, duplicates, run)
    write_json(out_dir / "manifest.json", manifest)
    return manifest["totals"]


def build_manifest(summaries: list[dict[str, Any]], duplicates: dict[str, str], run: dict[str, Any]) -> dict[str, Any]:
    files: dict[int, dict[str, Any]] = {}
    totals: dict[str, Any] = {"files": 0, "documents": 0, "kept": 0, "rejected": 0, "errors": 0, "skipped": 0, "reasons": {}}
    edits: dict[str, dict[str, dict[str, int]]] = {}
    for f in run.get("discovery_errors", []):
        files[-1 - len(files)] = {"path": f["display"], "error": f["message"], "documents": 0, "outcomes": []}
        totals["errors"] += 1
    for s in summaries:
        for info in s["files"]:
            entry = {k: info[k] for k in ("sha256", "format", "encoding", "bytes")}
            entry = {"path": info["display"], **entry, "documents": 0, "outcomes": []}
            if info.get("error"):
                entry["error"] = info["error"]
            if info.get("skipped"):
                entry["skipped"] = info["skipped"]
                totals["skipped"] += 1
            files[info["position"]] = entry
        for doc_id, status, _key, _length, order, reason in s["docs"]:
            entry = files[order[0]]
            outcome: dict[str, Any] = {"record": order[1] if order[1] >= 0 else None, "part": order[2]}
            if status == "error":
                outcome.update(status="error", error=reason)
                totals["errors"] += 1
            else:
                if doc_id in duplicates:
                    status, reason = "rejected", f"duplicate_of:{duplicates[doc_id]}"
                outcome.update(id=doc_id, status=status)
                if reason:
                    outcome["reason"] = reason
                    key = reason.split(":", 1)[0]
                    totals["reasons"][key] = totals["reasons"].get(key, 0) + 1
                totals[status] += 1
                entry["documents"] += 1
            entry["outcomes"].append(outcome)
        for step, rules in s["stats"].items():
            for rule, (count, removed) in rules.items():
                agg = edits.setdefault(step, {}).setdefault(rule, {"edits": 0, "chars_removed": 0})
                agg["edits"] += count
                agg["chars_removed"] += removed
    totals["files"] = len(files)
    totals["documents"] = totals["kept"] + totals["rejected"]
    return {
        "pipeline_version": PIPELINE_VERSION,
        "run_id": run["run_id"],
        "config_hash": run["config_hash"],
        "inputs": run["inputs"],
        "started": run["started"],
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "totals": totals,
        "edits": edits,
        "files": [files[k] for k in sorted(files, key=lambda k: (k < 0, abs(k)))],
    }


@flow(name="clean-dump", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1), log_prints=False)
def clean_dump(
    inputs: list[str],
    out: str,
    workers: int | None = None,
    shard_mb: float = 8.0,
    text_field: str = "text",
    max_file_mb: float = DEFAULT_MAX_BYTES / 2**20,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Clean a raw dump (files and directories) into ``out``; returns the run's totals."""
    logger = get_run_logger()
    cfg = CleanConfig.from_mapping(config or {})
    cfg_dict = cfg.to_dict()
    workers = max(1, workers or os.cpu_count() or 1)
    run_id = uuid.uuid4().hex[:12]
    files, errors = discover(inputs)
    shards = make_shards(
        files, int(shard_mb * 2**20), text_field=text_field, max_bytes=int(max_file_mb * 2**20)
    )
    logger.info("%d files in %d shards, %d workers", len(files), len(shards), workers)
    work_dir = Path(out) / WORK_DIR
    work_dir.mkdir(parents=True, exist_ok=True)
    run = {
        "run_id": run_id,
        "config_hash": cfg.hash,
        "inputs": list(inputs),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "discovery_errors": [{"display": e.display, "message": e.message} for e in errors],
    }
    if workers > 1 and len(shards) > 1:
        _POOLS[run_id] = ProcessPoolExecutor(max_workers=min(workers, len(shards)), mp_context=get_context("forkserver"))
    try:
        futures = [clean_shard.submit(spec, str(work_dir), cfg_dict, run_id) for spec in shards]
        summaries = [f.result() for f in futures]
    finally:
        pool = _POOLS.pop(run_id, None)
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    duplicates = dedup_documents(summaries, cfg_dict)
    totals = write_outputs(summaries, duplicates, out, run)
    shutil.rmtree(work_dir, ignore_errors=True)
    return totals

