"""`launder forget`: remove sources from an output directory and its index.

A forgotten source is as if it had never been cleaned into OUT: its documents leave the
index (signatures, bucket keys, the passage counts they added, the record of its files)
and its records leave ``documents/`` and ``rejected/`` (part files rewritten atomically), so
the next run over it cleans it again and dedups it against what remains.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from pathlib import Path

from cleaners.near_dup import NearDupConfig

from .index import Index
from .out_state import part_files
from .writers import read_jsonl, write_jsonl


def matches(path: str, source: str) -> bool:
    """``source`` is the path itself or a folder holding it.

    >>> matches("dump/2024/a.txt", "dump/2024"), matches("dump/2024b.txt", "dump/2024"), matches("a.txt", "a.txt")
    (True, False, True)
    """
    source = source.rstrip("/")
    return path == source or path.startswith(source + "/")


def stored_near_dup(index_path: str | Path) -> NearDupConfig:
    """The near-dup settings an index was built with (its signatures' shape), read from its meta table."""
    con = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
    finally:
        con.close()
    stored = json.loads(row[0]) if row else {}
    names = {f.name for f in fields(NearDupConfig)}
    return NearDupConfig(**{k: v for k, v in stored.items() if k in names})


def forget_sources(out: str, index_path: str, sources: list[str]) -> dict[str, tuple[int, int]]:
    """source -> (documents removed from the index, records removed from OUT)."""
    for s in sources:
        if not s.strip().strip("/"):
            raise ValueError(f"refusing to forget {s!r}: it would match every source")
    result: dict[str, list[int]] = {s: [0, 0] for s in sources}
    with Index(index_path, stored_near_dup(index_path)) as ix, ix.transaction():
        for s in sources:
            result[s][0] = ix.forget(s)
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):  # launder's part files only
            keep, dropped = [], 0
            for rec in read_jsonl(part):
                hit = next((s for s in sources if matches(rec.get("source", {}).get("path", ""), s)), None)
                if hit is None:
                    keep.append(rec)
                else:
                    result[hit][1] += 1
                    dropped += 1
            if dropped and keep:
                write_jsonl(part, keep)
            elif dropped:
                part.unlink()
    return {s: (a, b) for s, (a, b) in result.items()}
