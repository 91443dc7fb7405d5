"""Dataset formats in and out: zstd (``.zst``), Parquet input, and the output part files.

In: ``.jsonl.zst``, ``.txt.zst``, ``.md.zst``, ``.html.zst`` are decompressed like ``.gz`` files
(:func:`decompress_zstd`); a ``.parquet`` file gives one document per row, its ``--text-field``
column the text and its other columns ``source.meta`` (:func:`read_parquet`).

Out (``launder clean --format``): ``documents/`` and ``rejected/`` parts as JSON lines
(``part-<key>.jsonl``, the default), zstd-compressed JSON lines (``part-<key>.jsonl.zst``) or Parquet
(``part-<key>.parquet``). A Parquet part holds the JSONL contract's fields as columns, nested ones as
struct and list columns (:data:`DOCUMENT_SCHEMA`), with two differences that a fixed schema needs:
``source.meta`` (whose fields vary from input to input) is a JSON string, and ``metadata`` has every
key as a field (null where the document has none). :func:`read_part` reads any part back into the
JSONL record, the same dict for the same document whatever the format (tests/test_formats.py).

Every write is atomic (temp file beside the target, fsync, rename), as flows.writers does for JSONL.
"""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import io
import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from .writers import atomic_open

OUTPUT_FORMATS = {"jsonl": ".jsonl", "jsonl.zst": ".jsonl.zst", "parquet": ".parquet"}
PART_SUFFIXES = tuple(sorted(OUTPUT_FORMATS.values(), key=len, reverse=True))
ZSTD_LEVEL = 3  # zstandard's default: the formats benchmark's 16.2 MB of JSON lines take 5.7 MB (benchmarks/README.md)
METADATA_KEYS = ("title", "author", "published", "site", "site_name", "url")
PARQUET_ROWS = 2000  # rows per row group written


def part_suffix(name: str) -> str | None:
    """The output format suffix of a part file's name, or None.

    >>> part_suffix("part-0a.jsonl.zst"), part_suffix("part-0a.parquet"), part_suffix("part-0a.json")
    ('.jsonl.zst', '.parquet', None)
    """
    return next((s for s in PART_SUFFIXES if name.endswith(s)), None)


# ----------------------------------------------------------------------------- zstd
def decompress_zstd(stored: bytes, max_bytes: int) -> bytes:
    """A zstd file's content (every frame), refused past ``max_bytes``; ValueError when it is not zstd."""
    import zstandard

    out = io.BytesIO()
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(stored), read_across_frames=True) as r:
            while chunk := r.read(1 << 20):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise ValueError(f"decompressed size exceeds the {max_bytes} byte limit")
    except zstandard.ZstdError as exc:
        raise ValueError(f"not a valid zstd file: {exc}") from None
    return out.getvalue()


# ----------------------------------------------------------------------------- Parquet in
def jsonable(value: Any) -> Any:
    """A Parquet cell as a JSON value: dates and times in ISO 8601, decimals as strings, bytes as
    UTF-8 text (else ``{"base64": ...}``), durations in seconds, maps as objects.

    >>> jsonable({"d": _dt.date(2025, 3, 14), "n": decimal.Decimal("1.50"), "b": b"\\xff", "l": [(1, 2)]})
    {'d': '2025-03-14', 'n': '1.50', 'b': {'base64': '/w=='}, 'l': [[1, 2]]}
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(raw).decode("ascii")}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if (
            value
            and all(isinstance(v, tuple) and len(v) == 2 for v in value)
            and isinstance(value, list)
            and _is_map(value)
        ):
            return {str(k): jsonable(v) for k, v in value}
        return [jsonable(v) for v in value]
    return str(value)


def _is_map(value: list[Any]) -> bool:
    return all(isinstance(k, str) for k, _v in value)


def read_parquet(f: Any, text_field: str, max_record_bytes: int) -> tuple[Any, list[Any]]:
    """(FileInfo, Documents and ReadErrors) of a Parquet file: one document per row.

    ``source.record`` is the row's index in the file, ``source.meta`` the row's other columns (as
    JSON values, :func:`jsonable`), and ``title``, ``author``, ``published``, ``site``, ``url``
    columns holding text are the document's metadata, as for a JSONL record.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cleaners import Document, Source

    from .readers import MISSING_FIELD, FileInfo, ReadError, _drop_nul, _too_large, file_sha256

    sha = file_sha256(f.path)

    def fail(msg: str) -> tuple[Any, list[Any]]:
        return FileInfo(f.display, f.format, sha or "", bytes=f.size, error=msg), [ReadError(f.display, None, msg)]

    if sha is None:
        return fail("cannot read: the file cannot be opened")
    try:
        pf = pq.ParquetFile(f.path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return fail(f"not a valid Parquet file: {exc}")
    if text_field not in pf.schema_arrow.names:
        return fail(
            f"{MISSING_FIELD} {text_field!r} (the Parquet text column, --text-field; its columns: {', '.join(pf.schema_arrow.names[:20])})"
        )
    items: list[Any] = []
    base = Source(path=f.display, sha256=sha, encoding="utf-8", format="parquet")
    i = 0
    try:
        for batch in pf.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                value = row.pop(text_field)
                if not isinstance(value, str):
                    what = "null, not a string" if value is None else f"a {type(value).__name__}, not a string"
                    items.append(ReadError(f.display, i, f"row {i}: column {text_field!r} is {what}"))
                elif len(value) > max_record_bytes:
                    items.append(ReadError(f.display, i, f"row {i}: {_too_large(len(value), max_record_bytes)}"))
                else:
                    meta = jsonable(row)
                    metadata = {
                        k: meta[k]
                        for k in ("title", "author", "published", "site", "url")
                        if isinstance(meta.get(k), str)
                    }
                    raw = value.replace("\r\n", "\n").replace("\r", "\n")
                    src = Source(path=base.path, sha256=sha, record=i, encoding="utf-8", format="parquet", meta=meta)
                    items.append(_drop_nul(Document.from_text(raw, src, metadata=metadata)))
                i += 1
    except (pa.ArrowException, OSError, ValueError) as exc:  # a damaged page: the rows read before stay
        if i == 0:
            return fail(f"damaged Parquet file: {exc}")
        items.append(ReadError(f.display, None, f"damaged Parquet file after row {i - 1}: {exc}"))
    return FileInfo(f.display, f.format, sha, "utf-8", f.size), items


# ----------------------------------------------------------------------------- Parquet out
def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    s, i64, f64 = pa.string(), pa.int64(), pa.float64()
    fields = [
        ("id", s),
        ("text", pa.large_string()),
        (
            "source",
            pa.struct(
                [
                    ("path", s),
                    ("sha256", s),
                    ("record", i64),
                    ("part", i64),
                    ("encoding", s),
                    ("format", s),
                    ("meta", s),
                ]
            ),
        ),
        ("language", pa.struct([("code", s), ("prob", f64)])),
        ("metadata", pa.struct([(k, s) for k in METADATA_KEYS] + [("other", s)])),
        ("flags", pa.list_(s)),
        (
            "provenance",
            pa.struct(
                [
                    ("pipeline_version", s),
                    ("config_hash", s),
                    ("run_id", s),
                    ("spans", pa.list_(pa.list_(i64))),
                    (
                        "edits",
                        pa.list_(
                            pa.struct(
                                [
                                    ("step", s),
                                    ("rule", s),
                                    ("op", s),
                                    ("raw", pa.list_(i64)),
                                    ("before", s),
                                    ("after", s),
                                    ("detail", s),
                                ]
                            )
                        ),
                    ),
                ]
            ),
        ),
        (
            "duplicates",
            pa.list_(
                pa.struct(
                    [
                        ("id", s),
                        ("source", pa.struct([("path", s), ("record", i64), ("part", i64)])),
                        ("similarity", f64),
                    ]
                )
            ),
        ),
    ]
    documents = pa.schema(fields)
    rejected = pa.schema(fields + [("reason", s), ("similarity", f64)])
    return documents, rejected


def _to_row(rec: dict[str, Any]) -> dict[str, Any]:
    from .writers import json_line

    row = dict(rec)
    src = dict(rec["source"])
    if "meta" in src:
        src["meta"] = json_line(src["meta"])
    row["source"] = src
    meta = dict(rec.get("metadata") or {})
    known = {k: (v if isinstance(v, str) or v is None else json_line(v)) for k, v in meta.items() if k in METADATA_KEYS}
    other = {k: v for k, v in meta.items() if k not in METADATA_KEYS}
    row["metadata"] = {**known, "other": json_line(other) if other else None}
    return row


def _from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as the JSONL record it stands for (nulls of absent fields dropped)."""
    rec = dict(row)
    src = {k: v for k, v in row["source"].items() if not (k == "meta" and v is None)}
    if "meta" in src:
        src["meta"] = json.loads(src["meta"])
    rec["source"] = src
    meta = {k: v for k, v in (row.get("metadata") or {}).items() if v is not None}
    other = meta.pop("other", None)
    rec["metadata"] = {**meta, **(json.loads(other) if other else {})}
    prov = dict(row["provenance"])
    prov["edits"] = [{k: v for k, v in e.items() if not (k == "detail" and v is None)} for e in prov["edits"]]
    rec["provenance"] = prov
    for k in ("reason", "similarity"):
        if k in rec and rec[k] is None:
            del rec[k]
    return rec


def write_parquet_part(path: str | Path, records: Iterable[dict[str, Any]], rejected: bool) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schemas()[1 if rejected else 0]
    n = 0
    with atomic_open(path, "wb") as fh:
        with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for rec in records:
                if not rejected and ("reason" in rec or "similarity" in rec):  # never dropped silently
                    raise ValueError(f"record {rec.get('id')} has a reason: it belongs in rejected/, not {path}")
                batch.append(_to_row(rec))
                n += 1
                if len(batch) >= PARQUET_ROWS:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch or n == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n


def write_part_lines(path: str | Path, lines: Iterable[str]) -> int:
    """Write a part file of JSON lines (without newlines) in the format its name ends with, atomically."""
    from .writers import parse_json_line, write_lines

    suffix = part_suffix(Path(path).name)
    if suffix == ".parquet":
        return write_parquet_part(path, map(parse_json_line, lines), rejected=Path(path).parent.name == "rejected")
    if suffix == ".jsonl.zst":
        import zstandard

        n = 0
        with atomic_open(path, "wb") as fh:
            with zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(fh, closefd=False) as z:
                for line in lines:
                    z.write(line.encode("utf-8", "surrogatepass"))
                    z.write(b"\n")
                    n += 1
        return n
    return write_lines(path, lines)


def read_part(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a part file launder wrote, in any output format; a damaged file raises ValueError."""
    from .writers import parse_json_line

    suffix = part_suffix(Path(path).name)
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            for batch in pf.iter_batches(batch_size=512):
                for row in batch.to_pylist():
                    yield _from_row(row)
        except (pa.ArrowException, KeyError, TypeError) as exc:
            raise ValueError(f"{path} is damaged: {exc}") from None
        return
    if suffix == ".jsonl.zst":
        import zstandard

        try:
            with open(path, "rb") as fh, zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True) as z:
                for n, line in enumerate(io.TextIOWrapper(z, encoding="utf-8"), 1):  # noqa: B007 (n: in the except clause)
                    if line.strip():
                        yield parse_json_line(line)
        except (zstandard.ZstdError, ValueError) as exc:
            raise ValueError(f"{path} is damaged: {exc}") from None
        return
    from .writers import read_jsonl

    yield from read_jsonl(path)


def count_part(path: str | Path) -> int:
    """How many records a part file holds (Parquet: from its footer; JSON lines: its newlines)."""
    suffix = part_suffix(Path(path).name)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    n = 0
    with open(path, "rb") as raw:
        fh: Any = raw
        if suffix == ".jsonl.zst":
            import zstandard

            fh = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n
