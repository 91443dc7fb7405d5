"""What an output directory holds between runs, checked before a run adds to it (no Prefect here).

Runs into one OUT are deduplicated against each other through its index, so they must make
comparable signatures (the same near-dup settings); ``--rebuild`` starts OUT again from nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cleaners import CleanConfig

from .dedup import open_index
from .shard import PIPELINE_VERSION

WORK_DIR = ".work"  # the unfinished run's state: run.json, shard work files and summaries
INDEX_FILE = "index.sqlite"  # the dedup index, unless --index says otherwise


def run_settings(cfg: CleanConfig) -> str:
    """What an OUT's documents were made with; runs into one OUT must agree on it."""
    return f"{PIPELINE_VERSION}|{cfg.hash}"


def check_out(out: str, index_path: str, cfg: CleanConfig) -> str | None:
    """Why a run with ``cfg`` may not add to ``out``, or None.

    Runs into one OUT may differ in configuration (each document's provenance has its
    ``config_hash``; the index records each run's settings), but their signatures must be
    comparable: an index built with other near-dup settings is refused, as is an OUT holding
    documents without an index (made by an older launder).
    """
    pending = Path(out, WORK_DIR, "run.json").exists()
    has_docs = any(Path(out, "documents").glob("*.jsonl"))
    if not Path(index_path).exists():
        if has_docs and not pending:
            return f"{out} holds documents but no index ({index_path}): clean into a new OUT, or pass --rebuild"
        return None
    try:
        open_index(index_path, cfg).close()
    except ValueError as exc:
        return f"{exc} (or pass --rebuild to start {out} again)"
    return None


def rebuild_out(out: str, index_path: str) -> None:
    """Remove a previous run's outputs, index and work files from OUT (--rebuild)."""
    for sub in ("documents", "rejected", "runs", WORK_DIR):
        shutil.rmtree(Path(out, sub), ignore_errors=True)
    for name in ("manifest.json", "report.md"):
        Path(out, name).unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(index_path + suffix).unlink(missing_ok=True)
