"""Readers: find input files, decode their bytes, and turn them into Documents (or error records).

Formats: ``.txt``/``.md`` (one document per file), ``.html``/``.htm`` (one per file, text
extracted by cleaners.html_extract), ``.jsonl`` (one per line), and any of these gzip-compressed
(``.gz``). Nothing here raises on bad input: every problem becomes a :class:`ReadError`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from cleaners import Document, Source
from cleaners.html_extract import HtmlConfig, extract_html

FORMATS = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # cap on a file's (decompressed) size


@dataclass(frozen=True)
class InputFile:
    """A file to read: where it is, how to show it in outputs, and its format."""

    path: str  # absolute path on disk
    display: str  # as given, or relative to the input directory given
    format: str  # "text" | "html" | "jsonl" | "unsupported"
    compressed: bool
    size: int


@dataclass(frozen=True)
class ReadError:
    """A document (record) or whole file that could not be read."""

    display: str
    record: int | None
    message: str


@dataclass(frozen=True)
class FileInfo:
    """What reading a file found out about it (for the manifest)."""

    display: str
    format: str
    sha256: str = ""
    encoding: str = ""
    bytes: int = 0
    error: str | None = None
    skipped: str | None = None  # a file that is not a dump format (e.g. a .json next to the dump)


def format_of(name: str) -> tuple[str, bool]:
    """(format, gzip-compressed) from a file name."""
    lower = name.lower()
    compressed = lower.endswith(".gz")
    if compressed:
        lower = lower[:-3]
    return FORMATS.get(os.path.splitext(lower)[1], "unsupported"), compressed


def discover(inputs: list[str]) -> tuple[list[InputFile], list[ReadError]]:
    """Every file under the given paths, in a stable order; missing paths and loops become errors."""
    files: list[InputFile] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = Path(root) / name
                    _add(files, errors, seen, full, str(full.relative_to(p)))
        elif p.exists() or p.is_symlink():
            _add(files, errors, seen, p, given)
        else:
            errors.append(ReadError(given, None, "no such file or directory"))
    return files, errors


def _add(files: list[InputFile], errors: list[ReadError], seen: set[str], path: Path, display: str) -> None:
    try:
        real = str(path.resolve(strict=True))
        size = path.stat().st_size
    except (OSError, RuntimeError) as exc:  # dangling symlink, symlink loop, permission
        errors.append(ReadError(display, None, f"cannot open: {exc.__class__.__name__}: {exc}"))
        return
    if real in seen:
        return
    seen.add(real)
    fmt, compressed = format_of(path.name)
    files.append(InputFile(real, display, fmt, compressed, size))


def read_bytes(f: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """The file's content (decompressed, capped) and the sha256 of the file as stored."""
    with open(f.path, "rb") as fh:
        stored = fh.read(max_bytes + 1)
    if len(stored) > max_bytes:
        raise ValueError(f"file larger than the {max_bytes} byte limit")
    sha = hashlib.sha256(stored).hexdigest()
    if not f.compressed:
        return stored, sha
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(stored)) as gz:
            data = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"not a valid gzip file: {exc}") from None
    if len(data) > max_bytes:
        raise ValueError(f"decompressed size exceeds the {max_bytes} byte limit")
    return data, sha


def decode(data: bytes, is_html: bool = False) -> tuple[str, str]:
    """(text, encoding): UTF-8 (BOM handled) first; for HTML the charset the page declares;
    else the encoding charset-normalizer detects.

    Line endings become "\\n". Bytes that no encoding explains are replaced, never raised on.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            declared = _declared_html_charset(data) if is_html else None
            text, enc = declared if declared else _detect(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, enc


def _declared_html_charset(data: bytes) -> tuple[str, str] | None:
    """Decode with the charset a page declares in <meta> (beautifulsoup4's detector), if it works."""
    from bs4.dammit import EncodingDetector

    name = EncodingDetector.find_declared_encoding(data[:65536], is_html=True, search_entire_document=False)
    if not name:
        return None
    try:
        return data.decode(name), name.lower()
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8+replaced"


def read_documents(
    f: InputFile, text_field: str = "text", max_bytes: int = DEFAULT_MAX_BYTES, html: HtmlConfig | None = None
) -> tuple[FileInfo, list[Document | ReadError]]:
    """Read one input file into Documents; problems become ReadErrors, never exceptions."""
    if f.format == "unsupported":
        why = "unsupported file type (launder reads .txt, .md, .html, .htm, .jsonl, optionally .gz)"
        return FileInfo(f.display, f.format, bytes=f.size, skipped=why), []
    try:
        data, sha = read_bytes(f, max_bytes)
    except (OSError, ValueError) as exc:
        msg = f"cannot read: {exc}"
        return FileInfo(f.display, f.format, bytes=f.size, error=msg), [ReadError(f.display, None, msg)]
    if b"\x00" in data[:8192] and f.format != "jsonl" and not _looks_utf16(data):
        msg = "binary file (NUL bytes), not text"
        return FileInfo(f.display, f.format, sha, bytes=len(data), error=msg), [ReadError(f.display, None, msg)]
    text, enc = decode(data, is_html=f.format == "html")
    info = FileInfo(f.display, f.format, sha, enc, len(data))
    base = Source(path=f.display, sha256=sha, encoding=enc, format=f.format)
    if f.format == "jsonl":
        return info, list(_jsonl_documents(text, base, text_field))
    if f.format == "html":
        body, meta = extract_html(text, html)  # never raises: hostile pages give little or no text
        return info, [Document.from_text(body, base, metadata=meta)]
    return info, [Document.from_text(text, base)]


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _jsonl_documents(text: str, base: Source, text_field: str) -> Iterator[Document | ReadError]:
    from dataclasses import replace

    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(base.path, i, f"malformed JSON on line {i + 1}: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield ReadError(base.path, i, f"line {i + 1} is a JSON {type(obj).__name__}, not an object")
            continue
        value = obj.get(text_field)
        if not isinstance(value, str):
            what = "missing" if value is None else f"a {type(value).__name__}, not a string"
            yield ReadError(base.path, i, f"line {i + 1}: field {text_field!r} is {what}")
            continue
        meta = {k: v for k, v in obj.items() if k != text_field}
        metadata = {k: meta[k] for k in ("title", "author", "published", "site", "url") if isinstance(meta.get(k), str)}
        raw = value.replace("\r\n", "\n").replace("\r", "\n")
        yield Document.from_text(raw, replace(base, record=i, meta=meta), metadata=metadata)
