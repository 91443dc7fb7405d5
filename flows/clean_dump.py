"""The Prefect flow: raw dump -> shards cleaned in parallel -> dedup -> clean/ (documents, rejected, manifest, report).

One Prefect task per shard and phase (never per document). Shard tasks run on a thread
pool that only waits; the work itself runs in a process pool so that all cores clean.

    phase 1  clean-shard     read + clean a shard -> work file + summary       (parallel, resumable)
             dedup           exact duplicates across the dump                 (one task)
    phase 2  write-shard     apply dedup, write documents/ and rejected/ parts (parallel)
             write-manifest  manifest.json, report.md (+ Prefect artifact)
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners import CleanConfig
from cleaners.dedup import DedupEntry, resolve_exact

from .readers import DEFAULT_MAX_BYTES, discover
from .report import build_report
from .shard import PIPELINE_VERSION, ShardSpec, clean_shard_files, make_shards, write_shard_outputs
from .writers import write_json, atomic_open

WORK_DIR = ".work"
# per running flow (by run id): its process pool, and listeners told of progress (the CLI's bar)
_POOLS: dict[str, Executor] = {}
PROGRESS_LISTENERS: list[Callable[[str, int, int], None]] = []


def _in_pool(run_id: str, fn: Callable[..., Any], *args: Any) -> Any:
    pool = _POOLS.get(run_id)
    return fn(*args) if pool is None else pool.submit(fn, *args).result()


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(spec: ShardSpec, work_dir: str, config: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Phase 1 for one shard: read and clean its files; returns the shard's small summary."""
    return _in_pool(run_id, clean_shard_files, spec, work_dir, config)


@task(name="dedup-documents", cache_policy=NO_CACHE)
def dedup_documents(summaries: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """Duplicates across the whole dump: duplicate id -> (representative id, similarity)."""
    cfg = CleanConfig.from_mapping(config)
    kept = [DedupEntry(d[0], d[2], d[3], tuple(d[4])) for s in summaries for d in s["docs"] if d[1] == "kept"]
    out: dict[str, tuple[str, float]] = {}
    if cfg.dedup.exact:
        out.update({dup: (rep, 1.0) for dup, rep in resolve_exact(kept).items()})
    return out


@task(name="write-shard", cache_policy=NO_CACHE)
def write_shard(
    summary: dict[str, Any],
    out: str,
    duplicates: dict[str, tuple[str, float]],
    members: dict[str, list[dict[str, Any]]],
    run: dict[str, Any],
) -> dict[str, Any]:
    """Phase 2 for one shard: its part of documents/ and rejected/."""
    return _in_pool(run["run_id"], write_shard_outputs, summary, out, duplicates, members, run)


@task(name="write-manifest", cache_policy=NO_CACHE)
def write_manifest(
    summaries: list[dict[str, Any]],
    stats: list[dict[str, Any]],
    duplicates: dict[str, tuple[str, float]],
    out: str,
    run: dict[str, Any],
) -> dict[str, Any]:
    manifest = build_manifest(summaries, stats, duplicates, run)
    write_json(Path(out) / "manifest.json", manifest)
    report = build_report(manifest)
    with atomic_open(Path(out) / "report.md") as fh:
        fh.write(report)
    create_markdown_artifact(markdown=report, key="launder-report", description=f"launder run {run['run_id']}")
    return manifest["totals"]


def _members(summaries: list[dict[str, Any]], duplicates: dict[str, tuple[str, float]]) -> dict[str, list[dict[str, Any]]]:
    """Representative id -> the duplicates dropped in its favour, with their sources."""
    sources = {d[0]: d[4] for s in summaries for d in s["docs"] if d[0] in duplicates}
    paths = {f["position"]: f["display"] for s in summaries for f in s["files"]}
    members: dict[str, list[dict[str, Any]]] = {}
    for dup, (rep, sim) in sorted(duplicates.items()):
        pos, record, part = sources.get(dup, [None, None, None])
        src = {"path": paths.get(pos), "record": record, "part": part}
        members.setdefault(rep, []).append({"id": dup, "source": src, "similarity": sim})
    return members


def build_manifest(
    summaries: list[dict[str, Any]],
    stats: list[dict[str, Any]],
    duplicates: dict[str, tuple[str, float]],
    run: dict[str, Any],
) -> dict[str, Any]:
    files: dict[int, dict[str, Any]] = {}
    totals: dict[str, Any] = {"files": 0, "documents": 0, "kept": 0, "rejected": 0, "errors": 0, "skipped": 0, "reasons": {}}
    for e in run.get("discovery_errors", []):
        files[-1 - len(files)] = {"path": e["display"], "error": e["message"], "documents": 0, "outcomes": []}
        totals["errors"] += 1
    for s in summaries:
        for info in s["files"]:
            entry: dict[str, Any] = {"path": info["display"]}
            entry.update({k: info[k] for k in ("sha256", "format", "encoding", "bytes")})
            entry.update(documents=0, outcomes=[])
            for k in ("error", "skipped"):
                if info.get(k):
                    entry[k] = info[k]
            totals["skipped"] += bool(info.get("skipped"))
            files[info["position"]] = entry
        for doc_id, status, _key, _length, order, reason in s["docs"]:
            entry = files[order[0]]
            outcome: dict[str, Any] = {"record": order[1] if order[1] >= 0 else None, "part": order[2]}
            if status == "error":
                outcome.update(status="error", error=reason)
                totals["errors"] += 1
            else:
                if doc_id in duplicates:
                    status, reason = "rejected", f"duplicate_of:{duplicates[doc_id][0]}"
                outcome.update(id=doc_id, status=status)
                if reason:
                    outcome["reason"] = reason
                    kind = reason.split(":", 1)[0]
                    totals["reasons"][kind] = totals["reasons"].get(kind, 0) + 1
                totals[status] += 1
                entry["documents"] += 1
            entry["outcomes"].append(outcome)
    edits: dict[str, dict[str, dict[str, int]]] = {}
    removed: Counter[tuple[str, str]] = Counter()
    languages: Counter[str] = Counter()
    for st in stats:
        for step, rules in st["edits"].items():
            for rule, (count, chars) in rules.items():
                agg = edits.setdefault(step, {}).setdefault(rule, {"edits": 0, "chars_removed": 0})
                agg["edits"] += count
                agg["chars_removed"] += chars
        for text, rule, n in st["removed"]:
            removed[(text, rule)] += n
        languages.update(st["languages"])
    clusters: dict[str, list[str]] = {}
    for dup, (rep, _sim) in sorted(duplicates.items()):
        clusters.setdefault(rep, []).append(dup)
    totals["files"] = len(files)
    totals["documents"] = totals["kept"] + totals["rejected"]
    return {
        "pipeline_version": PIPELINE_VERSION,
        "run_id": run["run_id"],
        "config_hash": run["config_hash"],
        "inputs": run["inputs"],
        "shards": run.get("shards", {}),
        "started": run["started"],
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "totals": totals,
        "edits": edits,
        "languages": dict(languages),
        "clusters": clusters,
        "top_removed": [[t, r, n] for (t, r), n in removed.most_common(20) if n > 1],
        "files": [files[k] for k in sorted(files, key=lambda k: (k < 0, abs(k)))],
    }


def remove_stale_temp_files(out: str) -> int:
    """Temp files a killed run left behind (writes are temp file + rename, so they are never outputs)."""
    n = 0
    for sub in ("", "documents", "rejected", WORK_DIR):
        for tmp in Path(out, sub).glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            n += 1
    return n


def _gather(futures: list[Any], run_id: str, phase: str) -> list[Any]:
    results = []
    for i, f in enumerate(futures):
        results.append(f.result())
        for listener in PROGRESS_LISTENERS:
            listener(phase, i + 1, len(futures))
    return results


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
        list(enumerate(files)), int(shard_mb * 2**20), text_field=text_field, max_bytes=int(max_file_mb * 2**20)
    )
    logger.info("%d files in %d shards, %d workers", len(files), len(shards), workers)
    work_dir = Path(out) / WORK_DIR
    work_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out)
    run = {
        "run_id": run_id,
        "config_hash": cfg.hash,
        "inputs": list(inputs),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "discovery_errors": [{"display": e.display, "message": e.message} for e in errors],
    }
    if workers > 1 and len(shards) > 1:
        ctx = get_context("forkserver")
        _POOLS[run_id] = ProcessPoolExecutor(max_workers=min(workers, len(shards)), mp_context=ctx)
    try:
        summaries = _gather([clean_shard.submit(s, str(work_dir), cfg_dict, run_id) for s in shards], run_id, "clean")
        duplicates = dedup_documents(summaries, cfg_dict)
        members = _members(summaries, duplicates)
        futures = []
        for s in summaries:  # each shard gets only the decisions about its own documents
            ids = {d[0] for d in s["docs"] if d[0]}
            dups = {i: duplicates[i] for i in ids if i in duplicates}
            reps = {i: members[i] for i in ids if i in members}
            futures.append(write_shard.submit(s, out, dups, reps, run))
        stats = _gather(futures, run_id, "write")
    finally:
        pool = _POOLS.pop(run_id, None)
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    run["shards"] = {"count": len(summaries), "reused": sum(bool(s.get("reused")) for s in summaries)}
    totals = write_manifest(summaries, stats, duplicates, out, run)
    shutil.rmtree(work_dir, ignore_errors=True)
    return totals
