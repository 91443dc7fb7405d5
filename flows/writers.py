"""Writers: the output contract's JSON records, and atomic file writes (temp file, fsync, rename)."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, TypedDict

import orjson

from cleaners import Document


def json_line(obj: Any) -> str:
    """``obj`` as one line of JSON (UTF-8 text, not escaped).

    orjson writes it about 5x faster than the standard library; what orjson refuses (a lone
    surrogate in a string, a NaN) is written by ``json`` as before.
    """
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(obj, ensure_ascii=False)


def parse_json_line(line: str | bytes) -> Any:
    """The value of one JSON line (orjson; the standard library for what orjson refuses)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


@contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[Any]:
    """Open a temp file beside ``path``; on success it replaces ``path`` at once, on failure it vanishes.

    ``mode`` "w": UTF-8 text with newline line ends (a TextIO); "wb": bytes (a BinaryIO: Parquet and zstd parts).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    text = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    try:
        with os.fdopen(fd, mode, **text) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records as JSON lines atomically; returns how many were written."""
    return write_lines(path, map(json_line, records))


def write_lines(path: str | Path, lines: Iterable[str]) -> int:
    """Write ready JSON lines (without their newline) atomically; returns how many were written.

    A part file named ``.jsonl.zst`` or ``.parquet`` is written in that format (flows.formats).
    """
    if not str(path).endswith(".jsonl") and str(path).endswith((".jsonl.zst", ".parquet")):
        from .formats import write_part_lines

        return write_part_lines(path, lines)
    n = 0
    with atomic_open(path) as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
            n += 1
    return n


def write_json(path: str | Path, obj: Any) -> None:
    with atomic_open(path) as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file launder wrote; a damaged line raises ValueError naming the file and line.

    A part file named ``.jsonl.zst`` or ``.parquet`` is read in that format (flows.formats).
    """
    if str(path).endswith((".jsonl.zst", ".parquet")):
        from .formats import read_part

        yield from read_part(path)
        return
    with open(path, encoding="utf-8") as fh:
        try:
            for n, line in enumerate(fh, 1):  # noqa: B007 (n: in the except clause)
                if line.strip():
                    yield parse_json_line(line)
        except ValueError as exc:  # not JSON, or not UTF-8 (UnicodeDecodeError is a ValueError)
            where = f"line {n}" if "n" in locals() else "its start"
            raise ValueError(f"{path} is damaged at {where}: {exc}") from None


def document_record(doc: Document, *, pipeline_version: str, config_hash: str, run_id: str) -> dict[str, Any]:
    """The output contract's JSON object for one document (kept or rejected)."""
    rec = _record_head(doc, pipeline_version, config_hash, run_id)
    rec["provenance"]["spans"] = _spans(doc)
    rec["provenance"]["edits"] = [e.to_json() for e in doc.edits]
    rec["duplicates"] = []
    if doc.rejected:
        rec["reason"] = doc.rejected
    return rec


def _record_head(doc: Document, pipeline_version: str, config_hash: str, run_id: str) -> dict[str, Any]:
    """The record's fields up to the provenance's run id, in the contract's order."""
    s = doc.source
    source: dict[str, Any] = {
        "path": s.path,
        "sha256": s.sha256,
        "record": s.record,
        "part": s.part,
        "encoding": s.encoding,
        "format": s.format,
    }
    if s.meta:
        source["meta"] = dict(s.meta)
    rec: dict[str, Any] = {
        "id": doc.id,
        "text": doc.text,
        "source": source,
        "language": dict(doc.language) or {"code": "und", "prob": 0.0},
        "metadata": dict(doc.metadata),
        "flags": list(doc.flags),
        "provenance": {"pipeline_version": pipeline_version, "config_hash": config_hash, "run_id": run_id},
    }
    return rec


class DuplicateSource(TypedDict):
    path: str | None
    record: int | None
    part: int | None


class Duplicate(TypedDict):
    """An entry of a record's ``duplicates``: a document dropped as a duplicate of this one."""

    id: str
    source: DuplicateSource
    similarity: float


# A record in parts, made before the run's dedup decisions are known (shards write them in phase 1):
# ``[head, text, middle, spans, edits]``, where ``head + text + middle`` is the record up to its run
# id's value and ``text``, ``spans`` and ``edits`` are JSON values. :func:`join_record` adds the run id
# and the fields dedup decides; phase 2 joins strings and parses nothing, and a document that loses
# common passages changes only its text, spans and (appended) edits.
RecordParts = list[str]


def record_parts(doc: Document, *, pipeline_version: str, config_hash: str) -> RecordParts | None:
    """``doc``'s record in parts; None when orjson cannot write it (then use :func:`document_record`).

    ``join_record(record_parts(doc, ...), run_id, duplicates=[], reason=doc.rejected)`` equals
    ``json_line(document_record(doc, ...))`` character for character (tests/test_writers.py).
    """
    dumps = orjson.dumps
    rec = _record_head(doc, pipeline_version, config_hash, "")
    text = rec.pop("text")
    del rec["provenance"]["run_id"]
    try:
        doc_id = dumps(rec.pop("id")).decode("utf-8")
        rest = dumps(rec, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
        parts = [
            '{"id":' + doc_id + ',"text":',
            dumps(text).decode("utf-8"),
            "," + rest[1:-2] + ',"run_id":',  # without the opening brace and the two closing ones
            spans_json(doc),
            dumps([e.to_json() for e in doc.edits]).decode("utf-8"),
        ]
    except TypeError:  # a lone surrogate: json_line's fallback writes the whole record
        return None
    return parts


def _spans(doc: Document) -> list[list[int]]:
    """The record's provenance spans: [clean start, clean end, raw start, raw end] each."""
    return [[sp.clean_start, sp.clean_end, sp.raw_start, sp.raw_end] for sp in doc.spans]


def spans_json(doc: Document) -> str:
    return orjson.dumps(_spans(doc)).decode("utf-8")


def append_edits(edits: str, new: Iterable[Any]) -> str:
    """A record part's edits (a JSON array, :func:`record_parts`) with the ``new`` edits appended, unparsed.

    >>> from cleaners import Edit
    >>> a, b = Edit("s", "r", "drop", (0, 2), "a\\n", ""), Edit("t", "u", "replace", (4, 5), "x", "y")
    >>> append_edits(json_line([a.to_json()]), [b]) == json_line([a.to_json(), b.to_json()])
    True
    >>> append_edits("[]", [b]) == json_line([b.to_json()]), append_edits("[]", [])
    (True, '[]')
    """
    added = json_line([e.to_json() for e in new])
    if added == "[]":
        return edits
    return edits[:-1] + ("," if edits != "[]" else "") + added[1:]


def join_record(
    parts: RecordParts,
    run_id: str,
    *,
    duplicates: list[Duplicate],
    reason: str | None = None,
    similarity: float | None = None,
) -> str:
    """The JSON line of a record from its :func:`record_parts` and what the run decided."""
    head, text, middle, spans, edits = parts
    out = [
        head,
        text,
        middle,
        orjson.dumps(run_id).decode("utf-8"),
        ',"spans":',
        spans,
        ',"edits":',
        edits,
        '},"duplicates":',
    ]
    out.append(json_line(duplicates))
    if reason is not None:
        out += [',"reason":', json_line(reason)]
    if similarity is not None:
        out += [',"similarity":', json_line(similarity)]
    out.append("}")
    return "".join(out)
