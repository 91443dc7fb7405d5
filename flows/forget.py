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


def duplicates_of(out: str | Path, ids: set[str]) -> set[str]:
    """Source paths of the records in ``rejected/`` dropped as duplicates of one of ``ids``."""
    paths: set[str] = set()
    if not ids:
        return paths
    for part in part_files(out, "rejected"):
        for rec in read_jsonl(part):
            reason = str(rec.get("reason", ""))
            if reason.startswith("duplicate_of:") and reason.split(":", 1)[1] in ids:
                paths.add(rec.get("source", {}).get("path", ""))
    paths.discard("")
    return paths


def forget_sources(out: str, index_path: str, sources: list[str]) -> dict[str, tuple[int, int]]:
    """source -> (documents removed from the index, records removed from OUT).

    A forgotten document may be the representative that other documents were dropped in favour of
    (``duplicate_of:<id>``): their text would then survive in no kept record. Their sources are
    forgotten too (listed in the result after the given ones), so the next run cleans them again.
    """
    for s in sources:
        if not s.strip().strip("/"):
            raise ValueError(f"refusing to forget {s!r}: it would match every source")
    sources = list(dict.fromkeys(sources))
    result: dict[str, list[int]] = {s: [0, 0] for s in sources}
    with Index(index_path, stored_near_dup(index_path)) as ix:
        todo = list(sources)
        while todo:  # every source to forget, before anything is changed
            ids = {i for s in todo for i in ix.ids_of(s)}
            todo = sorted(p for p in duplicates_of(out, ids) if not any(matches(p, s) for s in result))
            for s in todo:
                result[s] = [0, 0]
            sources += todo
        # OUT first, then the index: a crash in between leaves documents the index lists and OUT lacks,
        # which the next run cleans again (flows.verify.lost_sources)
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
        with ix.transaction():
            for s in sources:
                result[s][0] = ix.forget(s)
    return {s: (a, b) for s, (a, b) in result.items()}
