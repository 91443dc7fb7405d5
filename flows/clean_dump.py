"""The Prefect flow: raw dump -> shards cleaned in parallel -> dedup -> clean/ (documents, rejected, manifest, report).

One Prefect task per shard and phase (never per document). Shard tasks run on a thread
pool that only waits; the work itself runs in a process pool so that all cores clean
(or, with a Dask task runner, on the Dask workers).

             find-new-files  inputs whose sha256 the index has not seen        (incremental runs)
    phase 1  clean-shard     read + clean a shard -> work file + summary       (parallel, resumable)
             dedup           exact + near duplicates, common passages, against the index (one task)
    phase 2  write-shard     apply dedup, write documents/ and rejected/ parts (parallel)
             write-manifest  manifest.json, report.md (+ Prefect artifact)
             update-index    the run's files, documents, signatures, passage counts (one transaction)

A run is recorded in ``OUT/.work/run.json`` until it finishes; a run started again after a
crash resumes it (same run id, finished shards reused) and the index is only written after
the outputs, so a crash at any point gives, after the rerun, the output of an uninterrupted run.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from concurrent.futures import Executor
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from cleaners import CleanConfig

from .dedup import Decisions, decide, index_records, open_index, processed_files
from .readers import DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORD_BYTES, STDIN, InputFile, discover, file_sha256
from .report import build_report
from .settings import clean_config
from .stdio import from_stdin, spool_stdin
from .shard import PIPELINE_VERSION, ShardSpec, clean_shard_files, make_shards, top_removed, write_shard_outputs
from .work_files import Run, RunState, SeenFile, ShardOutcome, ShardSummary, read_run_state, write_run_state
from .writers import Duplicate, write_json, atomic_open

from .out_state import (
    INDEX_FILE,
    WORK_DIR,
    check_out,
    claim_out,
    own_paths,
    part_files,
    rebuild_out,
    run_settings,
    stale_temp_files,
)
from .formats import OUTPUT_FORMATS
from .lifeline import new_pool, stop_pool
from .locking import hold_out
from .versions import earlier_versions, match_versions, move_merged, move_superseded, runs_into
from .forget import duplicates_of, forget_sources
from .verify import lost_sources

# per running flow (by run id): its process pool (see new_pool in flows.lifeline for why a pool of its own)
_POOLS: dict[str, Executor] = {}
# told (phase, shards done, shards) as shards finish: the CLI's progress bar, set by progress_to
_PROGRESS: ContextVar[Callable[[str, int, int], None] | None] = ContextVar("launder_progress", default=None)


@contextmanager
def progress_to(listener: Callable[[str, int, int], None] | None) -> Iterator[None]:
    """Tell ``listener`` of the progress of the flows run in this block (in this thread or context)."""
    token = _PROGRESS.set(listener)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


_STOPPING: set[str] = set()  # runs being stopped (interrupted): their pools' workers are being killed


class _Stopped(KeyboardInterrupt):
    """A shard task whose pool was killed because the run is stopping (not a failure to report)."""


def _in_pool(run_id: str, fn: Callable[..., Any], *args: Any) -> Any:
    pool = _POOLS.get(run_id)
    if pool is None:
        return fn(*args)
    try:
        return pool.submit(fn, *args).result()
    except Exception:
        if run_id in _STOPPING:
            raise _Stopped() from None
        raise


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(spec: ShardSpec, work_dir: str, cfg: CleanConfig, run_id: str) -> ShardSummary:
    """Phase 1 for one shard: read and clean its files; returns the shard's small summary."""
    return _in_pool(run_id, clean_shard_files, spec, work_dir, cfg)


@task(name="find-new-files", cache_policy=NO_CACHE)
def find_new_files(
    files: list[InputFile], index_path: str, cfg: CleanConfig, out: str | None = None
) -> tuple[list[tuple[int, InputFile]], list[SeenFile]]:
    """Split the inputs into those to clean and those an earlier run cleaned (same sha256 under the same path).

    A file with the bytes of one cleaned before under another path (a copy, a renamed file) is
    cleaned: its documents are then duplicates of the earlier ones, recorded in ``rejected/`` as a
    run over both files together records them, not left out of OUT.
    """
    runs = runs_into(out) if out else None
    todo: list[tuple[int, InputFile]] = []
    seen: list[SeenFile] = []
    with open_index(index_path, cfg) as ix:
        for pos, f in enumerate(files):
            sha = file_sha256(f.path)
            records = [r for r in ix.file_records(sha) if r.path == f.display] if sha else []
            if records and ix.current_version(f.display, sha, runs):  # not a file put back to bytes replaced since
                seen.append(SeenFile(pos, f.display, sha, records[-1].run_id, records[-1].path))
            else:
                todo.append((pos, f))
    return todo, seen


@task(name="dedup-documents", cache_policy=NO_CACHE)
def dedup_documents(
    summaries: list[ShardSummary], cfg: CleanConfig, index_path: str, out: str | None = None
) -> Decisions:
    """Duplicates across the dump and earlier runs, and the passages common to a group's documents."""
    with open_index(index_path, cfg) as ix:
        runs = runs_into(out) if out else None
        versions = match_versions(summaries, ix, runs)  # files cleaned before under other bytes (edited, appended)
        decisions = decide(summaries, cfg, ix, set(versions.unchanged), set(versions.superseded), runs)
    decisions.unchanged, decisions.superseded, decisions.revived = (
        versions.unchanged,
        versions.superseded,
        versions.revived,
    )
    return decisions


@task(name="update-index", cache_policy=NO_CACHE)
def update_index(
    summaries: list[ShardSummary], decisions: Decisions, late: dict[str, str], run: Run, index_path: str
) -> int:
    """Add the run to the index in one transaction: its files, documents, signatures and passage counts."""
    cfg = run.config
    with open_index(index_path, cfg) as ix, ix.transaction():
        for sha, path in processed_files(summaries):
            ix.add_file(sha, path, run.run_id)
        for s in summaries:  # sizes tell a later run that a file was appended to (flows.versions)
            for f in s.files:
                if f.info.sha256 and not f.info.error:
                    ix.add_size(f.info.sha256, f.info.bytes)
        ix.supersede(decisions.superseded)
        ix.merge({k: rep for k, (rep, _sim) in decisions.merged.items()})
        n = ix.add_documents(index_records(summaries, decisions, late, run.run_id, set(decisions.unchanged)))
        ix.add_inputs(run.run_id, run.inputs, run.input_roots, run.follow_symlinks)
        ix.commit_run(run.run_id, n, run_settings(cfg))
    return n


@task(name="write-shard", cache_policy=NO_CACHE)
def write_shard(
    summary: ShardSummary,
    out: str,
    duplicates: dict[str, tuple[str, float]],
    members: dict[str, list[Duplicate]],
    run: Run,
    common: dict[str, list[list[int]]],
    skip: set[str] | None = None,
) -> ShardOutcome:
    """Phase 2 for one shard: its part of documents/ and rejected/."""
    return _in_pool(run.run_id, write_shard_outputs, summary, out, duplicates, members, run, common, skip)


@task(name="write-manifest", cache_policy=NO_CACHE)
def write_manifest(
    summaries: list[ShardSummary],
    stats: list[ShardOutcome],
    duplicates: dict[str, tuple[str, float]],
    out: str,
    run: Run,
) -> dict[str, Any]:
    manifest = build_manifest(summaries, stats, duplicates, run)
    write_json(Path(out) / "manifest.json", manifest)
    write_json(Path(out) / "runs" / f"{run.run_id}.manifest.json", manifest)  # earlier runs' manifests stay
    report = build_report(manifest)
    with atomic_open(Path(out) / "report.md") as fh:
        fh.write(report)
    create_markdown_artifact(markdown=report, key="launder-report", description=f"launder run {run.run_id}")
    return manifest["totals"]


def _members(summaries: list[ShardSummary], duplicates: dict[str, tuple[str, float]]) -> dict[str, list[Duplicate]]:
    """Representative id -> the duplicates dropped in its favour, with their sources (output records' ``duplicates``)."""
    sources = {d.id: d.order for s in summaries for d in s.docs if d.id in duplicates}
    paths = {f.position: f.info.display for s in summaries for f in s.files}
    members: dict[str, list[Duplicate]] = {}
    for dup, (rep, sim) in sorted(duplicates.items()):
        pos, record, part = sources.get(dup, [None, None, None])
        src = {"path": paths.get(pos), "record": record, "part": part}
        members.setdefault(rep, []).append({"id": dup, "source": src, "similarity": sim})
    return members


def build_manifest(
    summaries: list[ShardSummary],
    stats: list[ShardOutcome],
    duplicates: dict[str, tuple[str, float]],
    run: Run,
) -> dict[str, Any]:
    """The run's manifest.json (what users and other tools read of a run)."""
    files: dict[int, dict[str, Any]] = {}
    totals: dict[str, Any] = {
        "files": 0,
        "documents": 0,
        "kept": 0,
        "rejected": 0,
        "errors": 0,
        "skipped": 0,
        "reasons": {},
    }
    for w in run.waiting:
        files[-1 - len(files)] = {
            "path": w,
            "documents": 0,
            "outcomes": [],
            "skipped": "still being written: a later run takes it",
        }
        totals["skipped"] += 1
    for e in run.discovery_errors:
        files[-1 - len(files)] = {"path": e.display, "error": e.message, "documents": 0, "outcomes": []}
        totals["errors"] += 1
    for f in run.seen_files:
        files[f.position] = {
            "path": f.display,
            "sha256": f.sha256,
            "documents": 0,
            "outcomes": [],
            "skipped": f"already cleaned (same sha256 as {f.path} in run {f.run_id})",
        }
        totals["skipped"] += 1
    late = {k: v for st in stats for k, v in st.late.items()}
    unchanged = run.unchanged
    for s in summaries:
        for sf in s.files:
            info = sf.info
            entry: dict[str, Any] = {
                "path": info.display,
                "sha256": info.sha256,
                "format": info.format,
                "encoding": info.encoding,
            }
            entry.update(bytes=info.bytes, documents=0, outcomes=[])
            if info.error:
                entry["error"] = info.error
            if info.skipped:
                entry["skipped"] = info.skipped
            if info.continues:  # appended to: its first records were cleaned before
                entry["continues"] = {"sha256": info.continues, "records": info.continued_records}
            if info.records:  # a web archive: its records read, and those skipped by kind
                entry["records"] = info.records
                skipped_records = totals.setdefault("records_skipped", {})
                for kind, n in info.records["skipped"].items():
                    skipped_records[kind] = skipped_records.get(kind, 0) + n
            totals["skipped"] += bool(info.skipped)
            files[sf.position] = entry
        for doc_id, status, _key, _length, order, reason in s.docs:
            entry = files[order.position]
            outcome: dict[str, Any] = {"record": order.record if order.record >= 0 else None, "part": order.part}
            if status == "error":
                outcome.update(status="error", error=reason)
                totals["errors"] += 1
            elif doc_id in unchanged:  # an earlier version's document with the same text stays
                outcome.update(id=doc_id, status="unchanged", same_as=unchanged[doc_id])
                totals["unchanged"] = totals.get("unchanged", 0) + 1
            else:
                if doc_id in duplicates:
                    status, reason = "rejected", f"duplicate_of:{duplicates[doc_id][0]}"
                elif doc_id in late:
                    status, reason = "rejected", late[doc_id]
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
        for step, rules in st.edits.items():
            for rule, (count, chars) in rules.items():
                agg = edits.setdefault(step, {}).setdefault(rule, {"edits": 0, "chars_removed": 0})
                agg["edits"] += count
                agg["chars_removed"] += chars
        for text, rule, n in st.removed:
            removed[(text, rule)] += n
        languages.update(st.languages)
    clusters: dict[str, list[str]] = {}
    for dup, (rep, _sim) in sorted(duplicates.items()):
        clusters.setdefault(rep, []).append(dup)
    totals["files"] = len(files)
    totals["documents"] = totals["kept"] + totals["rejected"]
    if run.superseded:  # earlier versions' documents moved to rejected/ (flows.versions)
        totals["superseded"] = len(run.superseded)
    if run.merged:  # earlier kept documents now duplicates of another earlier one (flows.dedup)
        totals["merged"] = len(run.merged)
    return {
        "pipeline_version": PIPELINE_VERSION,
        "run_id": run.run_id,
        "config_hash": run.config_hash,
        "inputs": run.inputs,
        "input_roots": run.input_roots,
        "follow_symlinks": run.follow_symlinks,
        "text_field": run.text_field,
        "output_format": run.output_format,
        "shards": run.shards,
        "started": run.started,
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "totals": totals,
        "edits": edits,
        "languages": dict(languages),
        "clusters": clusters,
        **({"superseded": [{"id": k, "by": v} for k, v in sorted(run.superseded.items())]} if run.superseded else {}),
        **({"released": run.released} if run.released else {}),
        **({"merged": [{"id": k, "duplicate_of": v} for k, v in sorted(run.merged.items())]} if run.merged else {}),
        "top_removed": [[t, r, n] for t, r, n in top_removed(removed, 20) if n > 1],
        "files": [files[k] for k in sorted(files, key=lambda k: (k < 0, abs(k)))],
    }


def remove_stale_temp_files(out: str) -> int:
    """Temp files a killed run left behind (writes are temp file + rename, so they are never outputs)."""
    n = 0
    for tmp in stale_temp_files(out):  # launder's own temp files only
        tmp.unlink(missing_ok=True)
        n += 1
    return n


def unsettled_files(files: list[InputFile], settle_seconds: float) -> tuple[list[InputFile], list[str]]:
    """(files to clean now, names of those modified less than ``settle_seconds`` ago).

    A file is taken once its size and modification time have stayed the same for the settle
    interval; a writer that creates it under a hidden name (``.name``, never read) and renames it
    when complete is taken at once.
    """
    if settle_seconds <= 0:
        return files, []
    now = time.time()
    ready: list[InputFile] = []
    waiting: list[str] = []
    for f in files:
        if from_stdin(f.display):  # copied from standard input by this run: complete
            ready.append(f)
            continue
        try:
            age = now - os.stat(f.path).st_mtime
        except OSError:
            age = settle_seconds  # gone or unreadable: the reader reports it
        if age >= settle_seconds:
            ready.append(f)
        else:
            waiting.append(f.display)
    return ready, waiting


def _record_run_id(part: Path) -> str | None:
    """The run id of a part file's first record (one run writes a whole part), or None."""
    try:
        if part.name.endswith(".jsonl"):
            with open(part, encoding="utf-8") as fh:
                first = fh.readline()
            return json.loads(first)["provenance"]["run_id"]
        from .formats import read_part

        return next(iter(read_part(part)))["provenance"]["run_id"]
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def discard_partial_outputs(out: str, run_id: str, keep: set[str]) -> int:
    """Remove what the unfinished run ``run_id`` published that this attempt will not write again.

    A run killed while publishing, then started again over changed inputs (a file touched or added
    moves files between shards, so shard keys change), would otherwise leave its old part files
    beside the new ones: the same documents twice, counts that disagree with the manifest. Parts
    named in ``keep`` are rewritten by this attempt; its manifest replaces the old one. When the
    killed run had already written ``manifest.json``, the latest committed run's manifest and report
    are put back (this attempt writes its own if it cleans anything).
    """
    n = 0
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):
            if part.name not in keep and _record_run_id(part) == run_id:
                part.unlink()
                n += 1
    partial = Path(out, "runs", f"{run_id}.manifest.json")
    if partial.exists():
        partial.unlink()
        n += 1
    top = Path(out, "manifest.json")
    try:
        top_run = json.loads(top.read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError):
        top_run = None
    if top_run == run_id:
        earlier = sorted(Path(out, "runs").glob("*.manifest.json"), key=lambda p: p.stat().st_mtime)
        if earlier:
            manifest = json.loads(earlier[-1].read_text(encoding="utf-8"))
            write_json(top, manifest)
            with atomic_open(Path(out) / "report.md") as fh:
                fh.write(build_report(manifest))
        else:
            top.unlink()
            Path(out, "report.md").unlink(missing_ok=True)
        n += 1
    return n


def _run_bounded(submits: list[Callable[[], Any]], limit: int, phase: str) -> list[Any]:
    """Submit the tasks in order, at most ``limit`` running at once; their results in order.

    Shards cleaned in this process (one worker) run one after the other: two CPU-bound task
    threads only fight over the GIL (the first 4 files of the throughput dump, one worker:
    78.0 CPU s with two shard threads at once, 55.7 s one after the other).
    """
    results: list[Any] = []
    running: list[Any] = []
    todo = list(submits)
    listener = _PROGRESS.get()
    while todo or running:
        while todo and len(running) < max(1, limit):
            running.append(todo.pop(0)())
        results.append(running.pop(0).result())
        if listener is not None:
            listener(phase, len(results), len(submits))
    return results


def _run_state(work_dir: Path) -> tuple[str, str, bool]:
    """(run id, start time, resumed): the unfinished run recorded in work_dir, or a new one."""
    try:
        state = read_run_state(work_dir)
        return state.run_id, state.started, True
    except (OSError, ValueError, KeyError):
        state = RunState(uuid.uuid4().hex[:12], datetime.now(timezone.utc).isoformat(timespec="seconds"))
        write_run_state(work_dir, state)
        return state.run_id, state.started, False


def _stdin() -> Any:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ValueError("input '-' reads standard input, and this process has none")
    return stream


def _use_process_pool() -> bool:
    """Only with the default thread runner: a Dask runner already spreads tasks over worker processes."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    return ctx is None or isinstance(ctx.task_runner, ThreadPoolTaskRunner)


def _submitted(value: Any) -> Any:
    """A submitted task's argument, quoted (Prefect does not walk it) when the tasks run in this process.

    A Dask runner ships the arguments through Dask, which takes the quote (a named tuple) apart into a plain
    tuple that Prefect no longer unwraps: there the argument goes as it is.
    """
    return quote(value) if _use_process_pool() else value


def _locked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run the flow holding the lock on OUT (and on an index outside OUT): one run at a time."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def run_locked(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        out, index = bound.arguments["out"], bound.arguments["index"]
        with hold_out(out, index or str(Path(out) / INDEX_FILE)):
            return fn(*args, **kwargs)

    return run_locked


@flow(name="clean-dump", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1), log_prints=False)
@_locked
def clean_dump(
    inputs: list[str],
    out: str,
    workers: int | None = None,
    shard_mb: float = 8.0,
    text_field: str = "text",
    max_file_mb: float = DEFAULT_MAX_BYTES / 2**20,
    config: dict[str, Any] | None = None,
    index: str | None = None,
    rebuild: bool = False,
    follow_symlinks: bool = False,
    settle_seconds: float = 0.0,
    max_record_mb: float = DEFAULT_MAX_RECORD_BYTES / 2**20,
    output_format: str = "jsonl",
) -> dict[str, Any]:
    """Clean a raw dump (files and directories; ``-`` for JSONL on standard input, see flows.stdio)
    into ``out``; returns the run's totals.

    ``index``: the dedup index (default ``OUT/index.sqlite``): inputs it has seen are skipped,
    documents are deduplicated against everything cleaned into it before. ``rebuild``: start
    ``out`` and its index again from nothing. OUT and the index are never taken as input (OUT may
    lie inside an input). ``follow_symlinks``: follow symbolic links out of the input trees.
    ``settle_seconds``: leave for a later run the files modified less than this long ago (still
    being written; ``launder serve`` sets it). ``max_record_mb``: a record (a text or HTML file, a
    JSONL line) larger than this is an error. ``output_format``: the parts of ``documents/`` and
    ``rejected/`` as ``jsonl``, ``jsonl.zst`` or ``parquet`` (flows.formats).
    """
    if not 0 < max_record_mb < float("inf"):
        raise ValueError(f"max_record_mb must be a positive number of megabytes, not {max_record_mb!r}")
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    suffix = OUTPUT_FORMATS[output_format]
    logger = get_run_logger()
    cfg = clean_config(config)
    workers = max(1, workers or os.cpu_count() or 1)
    index_path = index or str(Path(out) / INDEX_FILE)
    if rebuild:
        rebuild_out(out, index_path)
    claim_out(out, index_path)  # OUT and the index are launder's (or new): else a one-line refusal
    problem = check_out(out, index_path, cfg)
    if problem:
        raise ValueError(problem)
    work_dir = Path(out) / WORK_DIR
    work_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out)
    run_id, started, resumed = _run_state(work_dir)
    with open_index(index_path, cfg) as ix:
        committed = ix.run_committed(run_id)
    if committed:  # killed after its last step: only the clean-up was left
        logger.info("run %s had finished; removing its work files", run_id)
        shutil.rmtree(work_dir, ignore_errors=True)
        return json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))["totals"]
    if not resumed:  # records lost from OUT since (a part file deleted): their sources are cleaned again
        lost = lost_sources(out, index_path)
        if lost is None:
            logger.warning("a part file in %s cannot be read: `launder verify %s` lists the problems", out, out)
        elif lost:
            logger.warning("%d sources have documents missing from %s: cleaning them again", len(lost), out)
            forget_sources(out, index_path, sorted(lost))
    stdin = spool_stdin(_stdin(), work_dir) if STDIN in inputs else []  # input "-": JSONL on standard input
    files, errors = discover(inputs, exclude=own_paths(out, index_path), follow_symlinks=follow_symlinks, stdin=stdin)
    files, waiting = unsettled_files(files, settle_seconds)
    if waiting:
        logger.warning(
            "%d files are still changing (modified in the last %g s): a later run takes them",
            len(waiting),
            settle_seconds,
        )
    # quote(): Prefect walks every task argument, to its last field, looking for futures to wait on; none of
    # these holds one, and walking the shards' summaries and the dedup decisions cost about 4% of a run's CPU
    todo, seen = find_new_files(quote(files), index_path, quote(cfg), out)
    shards = make_shards(
        todo,
        int(shard_mb * 2**20),
        text_field=text_field,
        max_bytes=int(max_file_mb * 2**20),
        max_record_bytes=int(max_record_mb * 2**20),
    )
    with open_index(index_path, cfg) as ix:  # a JSONL appended to is read from where its earlier version ended
        earlier = earlier_versions(todo, ix, runs_into(out))
    if earlier:
        shards = [replace(s, earlier=tuple(e for e in earlier if e[0] in {p for p, _f in s.files})) for s in shards]
    logger.info(
        "%s run %s: %d files (%d seen before) in %d shards, %d workers",
        "resuming" if resumed else "starting",
        run_id,
        len(files),
        len(seen),
        len(shards),
        workers,
    )
    run = Run(
        run_id,
        started,
        cfg,
        list(inputs),
        input_roots=[
            i if i == STDIN else os.path.abspath(i) for i in inputs
        ],  # verify finds the inputs again from anywhere
        follow_symlinks=follow_symlinks,
        text_field=text_field,
        output_format=output_format,
        discovery_errors=list(errors),
        seen_files=seen,
        waiting=waiting,
    )
    if resumed:  # the inputs may have changed since the run was killed: what it wrote for other shards goes
        discarded = discard_partial_outputs(out, run_id, {f"part-{s.key(cfg.hash)}{suffix}" for s in shards})
        if discarded:
            logger.info(
                "resuming run %s: %d files it had published removed (written again if still due)", run_id, discarded
            )
    if not todo and not errors:  # nothing new: leave OUT exactly as it is
        logger.info("nothing new to clean: all %d inputs were cleaned before", len(files))
        shutil.rmtree(work_dir, ignore_errors=True)
        return build_manifest([], [], {}, run)["totals"]
    if (
        workers > 1 and len(shards) > 1 and _use_process_pool()
    ):  # not Prefect's process runner: 23-52% more CPU (new_pool)
        _POOLS[run_id] = new_pool(min(workers, len(shards)))
    graceful = False
    try:
        summaries = _run_bounded(
            [partial(clean_shard.submit, _submitted(s), str(work_dir), _submitted(cfg), run_id) for s in shards],
            workers,
            "clean",
        )
        decisions = dedup_documents(quote(summaries), quote(cfg), index_path, out)
        duplicates = decisions.duplicates
        members = _members(summaries, duplicates)
        futures = []
        for s in summaries:  # each shard gets only the decisions about its own documents
            ids = s.ids()
            dups = {i: duplicates[i] for i in ids if i in duplicates}
            reps = {i: members[i] for i in ids if i in members}
            common = {i: decisions.common[i] for i in ids if i in decisions.common}
            skip = {i for i in ids if i in decisions.unchanged}
            futures.append(partial(write_shard.submit, *map(_submitted, (s, out, dups, reps, run, common, skip))))
        stats = _run_bounded(futures, workers, "write")
        graceful = True
    finally:
        pool = _POOLS.pop(run_id, None)
        if pool is not None:  # interrupted or failed: the workers are killed, not waited for
            if not graceful:
                _STOPPING.add(run_id)
            stop_pool(pool, graceful)
    run.shards = {"count": len(summaries), "reused": sum(s.reused for s in summaries)}
    released = sorted(
        duplicates_of(out, set(decisions.superseded)) - {f.info.display for s in summaries for f in s.files}
    )
    if released:  # copies of text the new versions no longer hold: cleaned again by the next run
        logger.warning(
            "%d sources held duplicates of superseded documents: the next run cleans them again", len(released)
        )
        forget_sources(out, index_path, released)
    move_superseded(
        out, run_id, decisions.superseded, decisions.revived, suffix
    )  # before the manifest: a crash here is resumed
    move_merged(
        out, run_id, decisions.merged, suffix
    )  # earlier documents this run's documents joined to another's cluster
    run.unchanged, run.superseded, run.released = decisions.unchanged, decisions.superseded, released
    run.merged = {k: rep for k, (rep, _sim) in decisions.merged.items()}
    totals = write_manifest(quote(summaries), quote(stats), quote(duplicates), out, quote(run))
    late = {k: v for st in stats for k, v in st.late.items()}
    update_index(quote(summaries), quote(decisions), quote(late), quote(run), index_path)
    shutil.rmtree(work_dir, ignore_errors=True)
    return totals
