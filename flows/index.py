"""The persistent, incremental dedup index: one SQLite file (stdlib sqlite3, WAL) shared by all runs.

It remembers what earlier runs cleaned, so that a scheduled run can

- skip an input file it has already processed (:meth:`Index.seen_file`, by sha256 of the raw file),
- find exact duplicates of earlier documents (:meth:`Index.exact_matches`, by ``cleaners.exact_dup.exact_key``),
- find near-duplicate candidates among ALL earlier documents without loading their signatures
  (:meth:`Index.candidates`: LSH bucket keys, ``cleaners.near_dup.band_keys``), then verify them with
  :meth:`Index.entries` (``NearDupEntry`` with ``prior=True``) passed to ``cleaners.near_dup.find_clusters``;
  documents an earlier run dropped as duplicates keep their signature, bucket keys and exact key and
  the document they were dropped for (``rep``, :meth:`Index.representatives`), so that a later copy of
  a copy is found as it would be within one run (a chain: C near B, B near A, C not near A),
- count passages repeated across documents of a group (site or source) over all runs
  (:meth:`Index.passage_counts`), and
- forget a source (:meth:`Index.forget`): its documents, their bucket keys, its files, and the passage
  counts its documents contributed go, so the source can be cleaned again from scratch.

Tables::

    meta(key, value)                     schema version and the near-dup settings signatures were made with
    files(sha256, path, run_id, seen)    inputs processed
    documents(rowid, id, source_path, sha256, exact_key, length, ord, signature, status, grp, passages,
              run_id, added, rep)        ord: JSON list; passages: the distinct passage hashes the document
                                         added to its group's counts (int64 LE blob); rep: for a duplicate,
                                         the kept document it was dropped for (NULL in indexes written
                                         before it was kept: their duplicates are not matched)
    bands(key, doc)                      LSH bucket key -> documents.rowid, for status "kept", and
                                         "duplicate" with a rep
    passages(grp, hash, count)           documents of the group holding the passage
    group_sizes(grp, docs)               documents counted into each group (for ``min_fraction``)
    inputs(run_id, position, given, root, follow)  each run's inputs as given and as absolute paths (file
                                         system bytes), and whether it followed symlinks: verify finds them
    runs(run_id, finished, documents, settings)  committed runs (a resumed run checks it); settings:
                                         pipeline version and config hash the run cleaned with

Every method is one transaction; :meth:`Index.transaction` groups several (e.g. a file and its documents)
into one. Opening an index made with other near-dup settings (shingle size, permutations, bands...)
raises ``ValueError``: their signatures are not comparable.

A typical incremental run (the flow's side)::

    with Index(out / "index.sqlite", cfg.near_dup) as ix:
        todo = [f for f in files if not ix.seen_file(f.sha256)]          # rerun on the same input: empty
        ... clean todo; exact and near dedup within the run ...
        prior = {i for e in new_entries for i in ix.candidates(e.signature)}
        dups = find_clusters([*new_entries, *ix.entries(prior)], cfg.near_dup)
        with ix.transaction():
            for f in todo: ix.add_file(f.sha256, f.path, run_id)
            ix.add_documents(IndexedDocument(...) for each new document)

>>> import tempfile, os
>>> from cleaners.near_dup import NearDupConfig, signature
>>> cfg = NearDupConfig()
>>> text = " ".join(f"word{i}" for i in range(60))
>>> with tempfile.TemporaryDirectory() as tmp, Index(os.path.join(tmp, "ix.sqlite"), cfg) as ix:
...     ix.add_documents([IndexedDocument("a", "dump/1.txt", "f00", "k1", len(text), (0, 0, 0), signature(text, cfg))])
...     ix.candidates(signature(text + " more", cfg))
1
['a']
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
from rensa import RMinHash

from cleaners.near_dup import NearDupConfig, NearDupEntry, band_keys

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT NOT NULL, path TEXT NOT NULL, run_id TEXT NOT NULL, seen TEXT NOT NULL,
    PRIMARY KEY (sha256, path)
);
CREATE INDEX IF NOT EXISTS files_path ON files(path);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    exact_key TEXT,
    length INTEGER NOT NULL,
    ord TEXT NOT NULL,
    signature BLOB,
    status TEXT NOT NULL,
    grp TEXT NOT NULL,
    passages BLOB,
    run_id TEXT NOT NULL,
    added TEXT NOT NULL,
    rep TEXT
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_exact ON documents(exact_key) WHERE status = 'kept';
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passages (
    grp TEXT NOT NULL, hash INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (grp, hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, finished TEXT NOT NULL, documents INTEGER NOT NULL, settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS group_sizes (grp TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inputs (
    run_id TEXT NOT NULL, position INTEGER NOT NULL, given BLOB NOT NULL, root BLOB NOT NULL, follow INTEGER NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE IF NOT EXISTS file_sizes (sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class IndexedDocument:
    """One document as the index keeps it."""

    id: str
    source_path: str
    sha256: str  # of the raw input file
    exact_key: str | None
    length: int
    order: tuple[int, ...]
    signature: bytes | None = None  # cleaners.near_dup.signature; None: not near-dup matched
    status: str = "kept"  # "kept" | "duplicate" | "rejected"; kept documents and duplicates with a rep are candidates
    group: str = ""  # passage-count group (site or source)
    passages: tuple[int, ...] = ()  # distinct passage hashes this document adds to its group's counts
    run_id: str = ""
    rep: str | None = None  # a duplicate's representative (a kept document): with it, a duplicate is matched too


@dataclass(frozen=True)
class FileRecord:
    sha256: str
    path: str
    run_id: str
    seen: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pack(hashes: Iterable[int]) -> bytes:
    return np.asarray(sorted(set(hashes)), dtype="<i8").tobytes()


def _unpack(blob: bytes | None) -> list[int]:
    return np.frombuffer(blob, dtype="<i8").tolist() if blob else []


def _matched(status: str, rep: str | None) -> bool:
    """Does a document of this status take part in later runs' dedup (bucket keys, exact key)?"""
    return status == "kept" or (status == "duplicate" and rep is not None)


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Index:
    """The dedup index in one SQLite file (created if absent). Use as a context manager or call close()."""

    def __init__(self, path: str | Path, near_dup: NearDupConfig | None = None, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.cfg = near_dup or NearDupConfig()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        self._depth = 0
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")
        with self.transaction():
            for statement in _SCHEMA.split(";"):  # not executescript: it would commit first
                if statement.strip():
                    self._con.execute(statement)
            self._add_columns()
            self._check_meta()

    # ---------------------------------------------------------------------------------- plumbing
    def _settings(self) -> dict[str, object]:
        c = self.cfg
        return {
            "schema": SCHEMA_VERSION,
            "shingle_words": c.shingle_words,
            "num_perm": c.num_perm,
            "seed": c.seed,
            "bands": c.bands,
            "rows": c.rows,
            "min_shingles": c.min_shingles,
            "minhash": f"rensa RMinHash algorithm {RMinHash.ALGORITHM_VERSION}",
        }

    def _add_columns(self) -> None:
        """Columns added since an index was first written (``rep``, added NULL: a duplicate of an
        index that old is not matched, as before)."""
        have = {r[1] for r in self._con.execute("PRAGMA table_info(documents)")}
        if "rep" not in have:
            self._con.execute("ALTER TABLE documents ADD COLUMN rep TEXT")
        self._con.execute(
            "CREATE INDEX IF NOT EXISTS documents_exact_matched ON documents(exact_key)"
            " WHERE status = 'kept' OR (status = 'duplicate' AND rep IS NOT NULL)"
        )

    def _check_meta(self) -> None:
        want = self._settings()
        row = self._con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        if row is None:
            self._con.execute("INSERT INTO meta VALUES ('settings', ?)", (json.dumps(want, sort_keys=True),))
            return
        have = json.loads(row[0])
        if have != want:
            diff = {k: (have.get(k), want.get(k)) for k in set(have) | set(want) if have.get(k) != want.get(k)}
            raise ValueError(
                f"index {self.path} was built with other near-dup settings {diff} (index, now): its signatures "
                "are not comparable; use the same settings or start a new index"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group calls into one transaction (nested calls join the outer one); rolls back on error."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._con.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._con.execute("ROLLBACK")
                raise
            self._depth = 0
            self._con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------- files
    def seen_file(self, sha256: str) -> bool:
        """Was an input with these raw bytes processed by an earlier run (under any path)?"""
        return self._con.execute("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is not None

    def file_records(self, sha256: str) -> list[FileRecord]:
        rows = self._con.execute(
            "SELECT sha256, path, run_id, seen FROM files WHERE sha256 = ? ORDER BY seen, path", (sha256,)
        )
        return [FileRecord(*r) for r in rows]

    def add_file(self, sha256: str, path: str, run_id: str, when: str | None = None) -> None:
        """Record an input as processed (again under the same path: the newest run is kept)."""
        with self.transaction():
            self._con.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?) ON CONFLICT (sha256, path) DO UPDATE SET run_id = excluded.run_id, seen = excluded.seen",
                (sha256, path, run_id, when or _now()),
            )

    def add_size(self, sha256: str, size: int) -> None:
        """Record the size of the input with these bytes (to tell a file appended to, :meth:`latest_version`)."""
        with self.transaction():
            self._con.execute("INSERT OR IGNORE INTO file_sizes VALUES (?, ?)", (sha256, size))

    def _current_shas(self, path: str, runs: set[str] | None) -> set[str]:
        rows = self._con.execute(
            "SELECT DISTINCT sha256, run_id FROM documents WHERE source_path = ? AND status != 'superseded'", (path,)
        )
        return {sha for sha, run in rows if runs is None or run in runs}

    def latest_version(self, path: str, runs: set[str] | None = None) -> tuple[str, int] | None:
        """(sha256, bytes) of the largest version of ``path`` whose documents OUT holds now, if its size is known.

        ``runs``: only documents of these runs count (the runs into one OUT, when an index serves several).
        """
        best = None
        for sha in self._current_shas(path, runs):
            row = self._con.execute("SELECT bytes FROM file_sizes WHERE sha256 = ?", (sha,)).fetchone()
            if row and (best is None or row[0] > best[1]):
                best = (sha, row[0])
        return best

    # ---------------------------------------------------------------------------------- documents
    def add_documents(self, docs: Iterable[IndexedDocument]) -> int:
        """Insert documents (a document with a known id replaces the old one); returns how many.

        Kept documents, and duplicates with their ``rep``, with a long enough signature get their
        LSH bucket keys; each document's ``passages`` are added to its group's counts (and taken
        back by :meth:`forget`).
        """
        n = 0
        with self.transaction():
            for d in docs:
                self._remove_rowids(self._rowids("id = ?", (d.id,)))
                cur = self._con.execute(
                    "INSERT INTO documents (id, source_path, sha256, exact_key, length, ord, signature, status, grp,"
                    " passages, run_id, added, rep) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        d.id,
                        d.source_path,
                        d.sha256,
                        d.exact_key,
                        d.length,
                        json.dumps(list(d.order)),
                        d.signature,
                        d.status,
                        d.group,
                        _pack(d.passages) if d.passages else None,
                        d.run_id,
                        _now(),
                        d.rep if d.status == "duplicate" else None,
                    ),
                )
                rowid = cur.lastrowid
                if _matched(d.status, d.rep) and d.signature is not None:
                    keys = band_keys(d.signature, self.cfg)
                    self._con.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", [(k, rowid) for k in keys])
                if d.passages:
                    self._bump(d.group, sorted(set(d.passages)), +1)
                    self._size(d.group, +1)
                n += 1
        return n

    def previous_documents(
        self, path: str, sha256: str, runs: set[str] | None = None
    ) -> list[tuple[str, int, int, str | None, str]]:
        """(id, record, part, exact key, status) of the documents of ``path`` cleaned from other bytes
        than ``sha256`` (an earlier version of the file), not yet superseded; ``runs`` as for :meth:`latest_version`."""
        rows = self._con.execute(
            "SELECT id, ord, exact_key, status, run_id FROM documents WHERE source_path = ? AND sha256 != ?"
            " AND status != 'superseded' ORDER BY rowid",
            (path, sha256),
        )
        out = []
        for doc_id, order, key, status, run in rows:
            if runs is None or run in runs:
                o = json.loads(order)
                out.append((doc_id, o[1], o[2], key, status))
        return out

    def current_version(self, path: str, sha256: str, runs: set[str] | None = None) -> bool:
        """Is ``sha256`` the version of ``path`` whose documents OUT holds now (or has ``path`` no
        current documents)? False when another version of the file replaced those bytes since.
        ``runs`` as for :meth:`latest_version`."""
        shas = self._current_shas(path, runs)
        return not shas or sha256 in shas

    def superseded_ids(self, path: str, sha256: str, runs: set[str] | None = None) -> set[str]:
        """Ids of ``path``'s documents from these bytes that a later version superseded."""
        rows = self._con.execute(
            "SELECT id, run_id FROM documents WHERE source_path = ? AND sha256 = ? AND status = 'superseded'",
            (path, sha256),
        )
        return {i for i, run in rows if runs is None or run in runs}

    def supersede(self, ids: Iterable[str]) -> int:
        """Mark documents as replaced by a new version of their source: they stay listed (status
        ``superseded``) but no longer match as duplicates nor count in passage counts."""
        n = 0
        with self.transaction():
            for doc_id in ids:
                row = self._con.execute(
                    "SELECT rowid, signature, status, grp, passages, rep FROM documents WHERE id = ?", (doc_id,)
                ).fetchone()
                if row is None:
                    continue
                rowid, sig, status, grp, passages, rep = row
                if _matched(status, rep) and sig is not None:
                    self._con.executemany(
                        "DELETE FROM bands WHERE key = ? AND doc = ?", [(k, rowid) for k in band_keys(sig, self.cfg)]
                    )
                if passages:
                    self._bump(grp, _unpack(passages), -1)
                    self._size(grp, -1)
                self._con.execute(
                    "UPDATE documents SET status = 'superseded', exact_key = NULL, signature = NULL, passages = NULL, rep = NULL"
                    " WHERE rowid = ?",
                    (rowid,),
                )
                n += 1
        return n

    def merge(self, merged: dict[str, str]) -> int:
        """Earlier kept documents a later run found to be duplicates (its documents joined their clusters
        to another earlier document's, as one run over all of them would): each becomes a duplicate of its
        representative (still matched, with its rep), its passage counts are taken back, and the duplicates
        dropped for it are re-pointed to the representative. Returns how many were kept and are not now."""
        n = 0
        with self.transaction():
            for doc_id, rep in sorted(merged.items()):
                row = self._con.execute(
                    "SELECT rowid, status, grp, passages FROM documents WHERE id = ?", (doc_id,)
                ).fetchone()
                if row is None or row[1] != "kept":
                    continue
                rowid, _status, grp, passages = row
                if passages:
                    self._bump(grp, _unpack(passages), -1)
                    self._size(grp, -1)
                self._con.execute(
                    "UPDATE documents SET status = 'duplicate', rep = ?, passages = NULL WHERE rowid = ?", (rep, rowid)
                )
                self._con.execute("UPDATE documents SET rep = ? WHERE rep = ? AND status = 'duplicate'", (rep, doc_id))
                n += 1
        return n

    def candidates(self, signature: bytes) -> list[str]:
        """Ids of kept documents, and duplicates with a rep, sharing an LSH bucket with ``signature``
        (to verify), sorted."""
        keys = band_keys(signature, self.cfg)
        if not keys:
            return []
        q = ",".join("?" * len(keys))
        rows = self._con.execute(
            f"SELECT DISTINCT d.id FROM bands b JOIN documents d ON d.rowid = b.doc WHERE b.key IN ({q})", keys
        )
        return sorted(r[0] for r in rows)

    def signature_of(self, doc_id: str) -> bytes | None:
        row = self._con.execute("SELECT signature FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def document(self, doc_id: str) -> IndexedDocument | None:
        row = self._con.execute(
            "SELECT id, source_path, sha256, exact_key, length, ord, signature, status, grp, passages, run_id, rep"
            " FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return IndexedDocument(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            tuple(json.loads(row[5])),
            row[6],
            row[7],
            row[8],
            tuple(_unpack(row[9])),
            row[10],
            row[11],
        )

    def entries(self, ids: Iterable[str]) -> list[NearDupEntry]:
        """Stored documents with a signature as ``NearDupEntry(prior=True)`` for ``find_clusters``
        (a duplicate among them stands for its rep: :meth:`representatives`)."""
        out = []
        ids = sorted(set(ids))
        for s in range(0, len(ids), 500):
            chunk = ids[s : s + 500]
            q = ",".join("?" * len(chunk))
            rows = self._con.execute(
                f"SELECT id, signature, length, ord FROM documents WHERE id IN ({q}) AND signature IS NOT NULL", chunk
            )
            out.extend(NearDupEntry(i, sig, ln, tuple(json.loads(o)), prior=True) for i, sig, ln, o in rows)
        return sorted(out, key=lambda e: e.id)

    def representatives(self, ids: Iterable[str]) -> dict[str, str]:
        """duplicate id -> the kept document it was dropped for, for those of ``ids`` that are duplicates with a rep."""
        out: dict[str, str] = {}
        ids = sorted(set(ids))
        for s in range(0, len(ids), 500):
            chunk = ids[s : s + 500]
            q = ",".join("?" * len(chunk))
            out.update(
                self._con.execute(
                    f"SELECT id, rep FROM documents WHERE id IN ({q}) AND status = 'duplicate' AND rep IS NOT NULL",
                    chunk,
                )
            )
        return out

    def exact_matches(self, keys: Iterable[str], exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
        """exact key -> id of an earlier kept document with that key (the earliest added, not in ``exclude``);
        else, when an earlier duplicate has the key, the kept document it was dropped for (its rep)."""
        out: dict[str, str] = {}
        keys = sorted(set(k for k in keys if k))
        for s in range(0, len(keys), 500):
            chunk = keys[s : s + 500]
            q = ",".join("?" * len(chunk))
            rows = self._con.execute(
                f"SELECT exact_key, id, status, rep FROM documents WHERE (status = 'kept' OR (status = 'duplicate'"
                f" AND rep IS NOT NULL)) AND exact_key IN ({q}) ORDER BY status = 'kept', rowid DESC",
                chunk,
            )
            # duplicates first, kept last, each newest first; then update: the earliest kept one wins
            out.update((k, rep or i) for k, i, _st, rep in rows if i not in exclude and (rep or i) not in exclude)
        return out

    # ---------------------------------------------------------------------------------- passages
    def passage_counts(self, group: str, hashes: Iterable[int]) -> dict[int, int]:
        """hash -> documents of ``group`` holding it (hashes never seen are left out)."""
        hs = sorted(set(hashes))
        out: dict[int, int] = {}
        for s in range(0, len(hs), 500):
            chunk = hs[s : s + 500]
            q = ",".join("?" * len(chunk))
            out.update(
                self._con.execute(f"SELECT hash, count FROM passages WHERE grp = ? AND hash IN ({q})", [group, *chunk])
            )
        return out

    def add_passages(self, group: str, hashes: Iterable[int]) -> None:
        """Add one to each given hash's count (pass one document's distinct hashes per call).

        Counts added this way belong to no document, so :meth:`forget` cannot take them back:
        prefer ``IndexedDocument.passages``.
        """
        with self.transaction():
            self._bump(group, list(hashes), +1)

    def _bump(self, group: str, hashes: Sequence[int], delta: int) -> None:
        if delta > 0:
            self._con.executemany(
                "INSERT INTO passages VALUES (?, ?, ?) ON CONFLICT (grp, hash) DO UPDATE SET count = count + excluded.count",
                [(group, h, delta) for h in hashes],
            )
        else:
            self._con.executemany(
                "UPDATE passages SET count = count + ? WHERE grp = ? AND hash = ?", [(delta, group, h) for h in hashes]
            )
            self._con.execute("DELETE FROM passages WHERE grp = ? AND count <= 0", (group,))

    def _size(self, group: str, delta: int) -> None:
        self._con.execute(
            "INSERT INTO group_sizes VALUES (?, ?) ON CONFLICT (grp) DO UPDATE SET docs = docs + excluded.docs",
            (group, delta),
        )

    def group_size(self, group: str) -> int:
        """Documents whose passages were counted into ``group``."""
        row = self._con.execute("SELECT docs FROM group_sizes WHERE grp = ?", (group,)).fetchone()
        return max(0, row[0]) if row else 0

    def has_signatures(self) -> bool:
        """Does any kept document have LSH bucket keys (if not, near-dup lookups can be skipped)?"""
        return self._con.execute("SELECT 1 FROM bands LIMIT 1").fetchone() is not None

    # ---------------------------------------------------------------------------------- runs
    def commit_run(self, run_id: str, documents: int, settings: str = "") -> None:
        """Mark a run's results as committed (call inside the transaction that adds them)."""
        with self.transaction():
            self._con.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)", (run_id, _now(), documents, settings))

    def add_inputs(self, run_id: str, given: Sequence[str], roots: Sequence[str], follow: bool = False) -> None:
        """Record a run's inputs: as given, and as absolute paths (``os.path.abspath`` at the run)."""
        with self.transaction():
            self._con.execute("DELETE FROM inputs WHERE run_id = ?", (run_id,))
            self._con.executemany(
                "INSERT INTO inputs VALUES (?, ?, ?, ?, ?)",
                [
                    (run_id, n, os.fsencode(g), os.fsencode(r), int(follow))
                    for n, (g, r) in enumerate(zip(given, roots))
                ],
            )

    def run_inputs(self) -> dict[str, tuple[list[str], list[str], bool]]:
        """run id -> (inputs as given, their absolute paths, followed symlinks), for runs that recorded them."""
        out: dict[str, tuple[list[str], list[str], bool]] = {}
        for run_id, given, root, follow in self._con.execute(
            "SELECT run_id, given, root, follow FROM inputs ORDER BY run_id, position"
        ):
            g, r, _ = out.setdefault(run_id, ([], [], bool(follow)))
            g.append(os.fsdecode(given))
            r.append(os.fsdecode(root))
        return out

    def run_committed(self, run_id: str) -> bool:
        return self._con.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is not None

    def run_settings(self) -> set[str]:
        """The settings strings of all committed runs (one, when every run used the same)."""
        return {r[0] for r in self._con.execute("SELECT DISTINCT settings FROM runs")}

    # ---------------------------------------------------------------------------------- forget
    def _rowids(self, where: str, args: tuple) -> list[int]:
        return [r[0] for r in self._con.execute(f"SELECT rowid FROM documents WHERE {where}", args)]

    def _remove_rowids(self, rowids: list[int]) -> None:
        for rowid in rowids:
            sig, status, grp, passages, rep = self._con.execute(
                "SELECT signature, status, grp, passages, rep FROM documents WHERE rowid = ?", (rowid,)
            ).fetchone()
            if _matched(status, rep) and sig is not None:
                self._con.executemany(
                    "DELETE FROM bands WHERE key = ? AND doc = ?", [(k, rowid) for k in band_keys(sig, self.cfg)]
                )
            if passages:
                self._bump(grp, _unpack(passages), -1)
                self._size(grp, -1)
            self._con.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))

    def ids_of(self, source: str) -> list[str]:
        """Ids of the documents of a source (a path, or a directory prefix as :meth:`forget` takes)."""
        prefix = _escape_like(source.rstrip("/")) + "/%"
        rows = self._con.execute(
            "SELECT id FROM documents WHERE source_path = ? OR source_path LIKE ? ESCAPE '\\'", (source, prefix)
        )
        return [r[0] for r in rows]

    def forget(self, source: str) -> int:
        """Remove the documents (with their bucket keys and passage counts) and file records of a source.

        ``source`` is a path (exact match) or a directory prefix (``dump/2024`` matches ``dump/2024/a.txt``,
        not ``dump/2024b.txt``). Returns the number of documents removed.
        """
        prefix = _escape_like(source.rstrip("/")) + "/%"
        with self.transaction():
            rowids = self._rowids("source_path = ? OR source_path LIKE ? ESCAPE '\\'", (source, prefix))
            self._remove_rowids(rowids)
            self._con.execute("DELETE FROM files WHERE path = ? OR path LIKE ? ESCAPE '\\'", (source, prefix))
        return len(rowids)

    # ---------------------------------------------------------------------------------- info
    def stats(self) -> dict[str, int]:
        q = lambda sql: self._con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": q("SELECT COUNT(*) FROM files"),
            "documents": q("SELECT COUNT(*) FROM documents"),
            "kept": q("SELECT COUNT(*) FROM documents WHERE status = 'kept'"),
            "band_keys": q("SELECT COUNT(*) FROM bands"),
            "passages": q("SELECT COUNT(*) FROM passages"),
            "runs": q("SELECT COUNT(*) FROM runs"),
        }


__all__ = ["FileRecord", "Index", "IndexedDocument", "SCHEMA_VERSION"]
