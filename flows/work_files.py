"""What the phases of a run hand each other: the files in ``OUT/.work`` and the records read from them.

Per shard, phase 1 (``flows.shard.clean_shard_files``) writes, beside each other:

- ``shard-<key>.jsonl``, the work file: one tab-separated line per document (JSON never holds a raw
  tab). Fields: :class:`WorkMeta` as JSON, then the document's record in parts
  (``flows.writers.record_parts``: five strings joined by phase 2 without parsing them) and its
  :class:`Rebuild` as JSON (``null`` when it has no passages to strip); or, when orjson cannot write
  the record, :class:`WorkMeta` and the Document's whole state (``Document.to_state``) as JSON.
- ``shard-<key>.dedup.jsonl``, the dedup side file: a :class:`SideRow` per kept document, a JSON array.
- ``shard-<key>.stats.json``, the edit statistics (:class:`EditStats`) for the report.
- ``shard-<key>.summary.json``, the :class:`ShardSummary`: the shard's files and a :class:`DocRow`
  per document (arrays, not objects: one per document), and the sizes and checksums of the three
  files above, so that a rerun after a crash reuses a finished shard only while they are whole.

``run.json`` (:class:`RunState`) holds the unfinished run's id and start time: a run started again
after a crash resumes it. :class:`Run` is the run record the flow hands to phase 2 and the manifest,
and :class:`ShardOutcome` what phase 2 returns per shard. Each record's ``to_json``/``from_json``
(or the line functions) is the only place that knows its layout.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from cleaners import CleanConfig, Edit

from .readers import FileInfo, ReadError
from .writers import RecordParts, atomic_open, json_line, parse_json_line, write_json


# ------------------------------------------------------------------------------ shard summary
class Order(NamedTuple):
    """Where a document comes from, in input order: earlier is preferred as a representative."""

    position: int  # the file's position in the whole input
    record: int  # the record in the file (-1: the file itself)
    part: int  # the article in the record


class DocRow(NamedTuple):
    """One document (or read error) of a shard's summary; stored as the array ``[id, status, key, length, order, reason]``."""

    id: str | None  # None for an error
    status: str  # "kept", "rejected" or "error"
    key: str | None  # exact-duplicate key (cleaners.dedup.exact_key); None for an error
    length: int  # characters of the clean text
    order: Order
    reason: str | None  # why it was rejected, or the error message

    @classmethod
    def from_json(cls, row: list[Any]) -> DocRow:
        doc_id, status, key, length, order, reason = row
        return cls(doc_id, status, key, length, Order(*order), reason)


class FileCheck(NamedTuple):
    """A work file's size and sha256 when its shard finished; stored as ``[bytes, sha256]``."""

    bytes: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ShardFile:
    """An input file of a shard: its position in the whole input and what reading it found out."""

    position: int
    info: FileInfo

    def to_json(self) -> dict[str, Any]:
        return {"position": self.position, **asdict(self.info)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardFile:
        rest = dict(data)
        return cls(rest.pop("position"), FileInfo(**rest))


@dataclass(slots=True)
class ShardSummary:
    """What phase 1 tells the flow of a shard (``shard-<key>.summary.json``)."""

    index: int  # the shard's position among the run's shards
    key: str  # flows.shard.ShardSpec.key: names the shard's work and output files
    path: str  # its work file
    files: list[ShardFile]
    docs: list[DocRow]  # in input order
    checks: dict[str, FileCheck] = field(default_factory=dict)  # work file name -> its check
    reused: bool = False  # finished before a crash and reused (never stored)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "key": self.key,
            "path": self.path,
            "files": [f.to_json() for f in self.files],
            "docs": self.docs,  # tuples: JSON arrays
            "checks": self.checks,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardSummary:
        return cls(
            data["index"],
            data["key"],
            data["path"],
            [ShardFile.from_json(f) for f in data["files"]],
            [DocRow.from_json(d) for d in data["docs"]],
            {name: FileCheck(*c) for name, c in data["checks"].items()},
        )

    def ids(self) -> set[str]:
        """The ids of the shard's documents (not its errors)."""
        return {d.id for d in self.docs if d.id is not None}


def summary_path(work_path: str | Path) -> Path:
    return Path(work_path).with_suffix(".summary.json")


def write_summary(summary: ShardSummary) -> None:
    with atomic_open(summary_path(summary.path)) as fh:
        json.dump(summary.to_json(), fh)


def read_summary(work_path: str | Path) -> ShardSummary:
    """The summary stored beside a work file; OSError, ValueError, KeyError or TypeError if missing or damaged."""
    with open(summary_path(work_path), encoding="utf-8") as fh:
        return ShardSummary.from_json(json.load(fh))


# ------------------------------------------------------------------------------ the work file
class WorkMeta(NamedTuple):
    """The head of a work line, stored as ``[id, rejected, language]``."""

    id: str
    rejected: str | None  # the rejection reason phase 1 gave, if any
    language: str  # the language code ("und" when unknown)


class Rebuild(NamedTuple):
    """What phase 2 needs to strip common passages from a kept document without its whole state.

    Stored as ``[raw, [[clean length, raw start, raw end, verbatim], ...], passages]``, passages as
    cleaners.passage_counts.passage_hashes gives them.
    """

    raw: str
    pieces: list[list[Any]]
    passages: list[tuple[int, int, int]]


class WorkItem(NamedTuple):
    """One line of a work file: the record in parts, or (``state``) the Document's whole state."""

    meta: WorkMeta
    parts: RecordParts | None  # None when the line holds the whole state
    rebuild: str | None  # the Rebuild's JSON (parsed only when passages are stripped: parse_rebuild); None if none
    state: dict[str, Any] | None = None


def work_line(meta: WorkMeta, parts: RecordParts, rebuild: Rebuild | None) -> str:
    """A work line of a document written in parts; ``rebuild`` None: nothing to strip (no raw text kept)."""
    tail = "null" if rebuild is None else json_line([rebuild.raw, rebuild.pieces, rebuild.passages])
    return "\t".join([json_line([meta.id, meta.rejected, meta.language]), *parts, tail]) + "\n"


def state_work_line(meta: WorkMeta, state: dict[str, Any]) -> str:
    """A work line holding the Document's whole state (orjson could not write its record)."""
    return f"{json_line([meta.id, meta.rejected, meta.language])}\t{json_line(state)}\n"


def read_work_items(path: str | Path) -> Iterator[WorkItem]:
    """The work file's lines, in order."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            meta = WorkMeta(*parse_json_line(fields[0]))
            if len(fields) == 2:
                yield WorkItem(meta, None, None, parse_json_line(fields[1]))
            else:
                yield WorkItem(meta, fields[1:6], None if fields[6] == "null" else fields[6])


def parse_rebuild(text: str) -> Rebuild:
    raw, pieces, passages = parse_json_line(text)
    return Rebuild(raw, pieces, [(start, end, h) for start, end, h in passages])


# ------------------------------------------------------------------------------ the dedup side file
class SideRow(NamedTuple):
    """What cross-document dedup needs of a kept document; stored as ``[id, group, signature, passages]``."""

    id: str
    group: str  # flows.shard.passage_group
    signature: str | None  # cleaners.near_dup.signature_to_str; None when near dedup is off
    passages: list[int]  # the document's passage hashes, sorted


def dedup_path(work_path: str | Path) -> Path:
    """The shard's dedup side file, beside its work file."""
    return Path(work_path).with_suffix(".dedup.jsonl")


def side_line(row: SideRow) -> str:
    return json_line([row.id, row.group, row.signature, row.passages]) + "\n"


def read_side_rows(work_path: str | Path) -> Iterator[SideRow]:
    """The side file's rows (none if the shard wrote none), in input order."""
    p = dedup_path(work_path)
    if not p.exists():
        return
    with open(p, encoding="utf-8") as fh:
        for line in fh:
            yield SideRow(*parse_json_line(line))


# ------------------------------------------------------------------------------ edit statistics
def stats_path(work_path: str | Path) -> Path:
    """The shard's edit statistics (for the report), beside its work file."""
    return Path(work_path).with_suffix(".stats.json")


class EditStats:
    """Edits per step and rule ([count, characters removed]) and the removed lines, summed over documents.

    Stored as ``{"edits": {step: {rule: [count, chars]}}, "removed": [[line, rule, count], ...]}``.
    """

    def __init__(
        self, edits: dict[str, dict[str, list[int]]] | None = None, removed: Counter[tuple[str, str]] | None = None
    ) -> None:
        self.edits: dict[str, dict[str, list[int]]] = edits if edits is not None else {}
        self.removed: Counter[tuple[str, str]] = removed if removed is not None else Counter()

    def add(self, doc_edits: Iterable[Edit]) -> None:
        edits, removed = self.edits, self.removed
        for e in doc_edits:
            agg = edits.setdefault(e.step, {}).setdefault(e.rule, [0, 0])
            agg[0] += 1
            agg[1] += len(e.before) - len(e.after)
            if e.op == "drop":
                line = e.before.strip()
                if line:
                    removed[(line[:160], e.rule)] += 1

    def to_json(self) -> dict[str, Any]:
        return {"edits": self.edits, "removed": [[t, r, n] for (t, r), n in self.removed.items()]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EditStats:
        return cls(data["edits"], Counter({(t, r): n for t, r, n in data["removed"]}))


def write_stats(work_path: str | Path, stats: EditStats) -> None:
    with atomic_open(stats_path(work_path)) as fh:
        fh.write(json_line(stats.to_json()))


def read_stats(work_path: str | Path) -> EditStats:
    with open(stats_path(work_path), encoding="utf-8") as fh:
        return EditStats.from_json(parse_json_line(fh.read()))


@dataclass(frozen=True, slots=True)
class ShardOutcome:
    """What phase 2 tells the flow of a shard (for the manifest; never stored)."""

    edits: dict[str, dict[str, list[int]]]  # step -> rule -> [count, characters removed]
    removed: list[list[Any]]  # the most removed lines: [line, rule, count]
    languages: dict[str, int]  # language code -> kept documents
    late: dict[str, str]  # document id -> the reason it was rejected in phase 2 (left too short)


# ------------------------------------------------------------------------------ the run
@dataclass(frozen=True, slots=True)
class RunState:
    """``run.json``: the unfinished run a rerun resumes."""

    run_id: str
    started: str  # ISO time, seconds

    def to_json(self) -> dict[str, str]:
        return {"run_id": self.run_id, "started": self.started}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunState:
        return cls(data["run_id"], data["started"])


def run_state_path(work_dir: str | Path) -> Path:
    return Path(work_dir) / "run.json"


def write_run_state(work_dir: str | Path, state: RunState) -> None:
    write_json(run_state_path(work_dir), state.to_json())


def read_run_state(work_dir: str | Path) -> RunState:
    """The recorded run; OSError, ValueError or KeyError when there is none (or it is damaged)."""
    return RunState.from_json(json.loads(run_state_path(work_dir).read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class SeenFile:
    """An input an earlier run cleaned (same sha256 under the same path): skipped."""

    position: int
    display: str
    sha256: str
    run_id: str  # the run that cleaned it
    path: str  # the path it was cleaned under


@dataclass(slots=True)
class Run:
    """The run record: what phase 2 and the manifest need to know of the run."""

    run_id: str
    started: str
    config: CleanConfig
    inputs: list[str]
    input_roots: list[str] = field(default_factory=list)  # absolute: verify finds the inputs again from anywhere
    follow_symlinks: bool = False
    text_field: str = "text"
    output_format: str = "jsonl"
    discovery_errors: list[ReadError] = field(default_factory=list)  # inputs that could not be listed
    seen_files: list[SeenFile] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written: a later run takes them
    # filled in after phase 2
    shards: dict[str, int] = field(default_factory=dict)  # {"count": n, "reused": n}
    unchanged: dict[str, str] = field(default_factory=dict)  # new id -> earlier document it repeats
    superseded: dict[str, str] = field(default_factory=dict)  # earlier id -> the new version's document
    released: list[str] = field(default_factory=list)  # sources forgotten so that the next run cleans them again
    merged: dict[str, str] = field(default_factory=dict)  # earlier kept id -> its representative now

    @property
    def config_hash(self) -> str:
        return self.config.hash
