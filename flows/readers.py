"""Readers: find input files, decode their bytes, and turn them into Documents (or error records).

Formats: ``.txt``/``.md`` (one document per file), ``.html``/``.htm`` (one per file, text
extracted by cleaners.html_extract), ``.jsonl`` (one per line), and any of these gzip- or
zstd-compressed (``.gz``, ``.zst``); web archives (``.warc``, ``.wet``, optionally ``.gz``:
flows.readers_warc) and Parquet files (``.parquet``: flows.formats). Nothing here raises on bad
input: every problem becomes a :class:`ReadError`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

from cleaners import Change, Document, Source
from cleaners.html_extract import HtmlConfig, extract_html

STDIN = "-"  # the input that stands for standard input (flows.stdio)
FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".warc": "warc",
    ".wet": "wet",
    ".parquet": "parquet",
}
CODECS = {".gz": "gzip", ".zst": "zstd"}  # compressed files: the codec by the last suffix
STREAMED = ("warc", "wet", "parquet")  # read record by record by their own readers (flows.readers_warc, flows.formats)
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # cap on a file's (decompressed) size
# cap on one record's text (a .txt/.md/.html file, or one JSONL line): cleaning holds a document in
# memory many times over, so a larger one is an error rather than gigabytes (--max-record-mb)
DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024
_NUL_TAIL_MIN = 4096  # a run of NUL bytes at least this long ending a text file is padding, not text


@dataclass(frozen=True)
class InputFile:
    """A file to read: where it is, how to show it in outputs, and its format."""

    path: str  # absolute path on disk
    display: str  # as given, or relative to the input directory given
    format: str  # "text" | "html" | "jsonl" | "unsupported"
    compressed: bool
    size: int
    skip: str | None = None  # why it is listed but not read (a symlinked directory, a FIFO)
    codec: str | None = None  # "gzip" or "zstd" when compressed (None: gzip, as before zstd was read)


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
    continues: str | None = None  # a JSONL appended to: the sha256 of the earlier version it starts with
    continued_records: int = 0  # ... whose lines (cleaned before) were not read again
    records: dict[str, Any] | None = None  # a web archive's records: how many were read, which were skipped and why


def format_of(name: str) -> tuple[str, bool]:
    """(format, compressed) from a file name (:func:`codec_of` tells gzip from zstd).

    >>> format_of("a.jsonl.zst"), format_of("CC-MAIN-1.warc.gz"), format_of("x.parquet.gz")
    (('jsonl', True), ('warc', True), ('unsupported', True))
    """
    lower = name.lower()
    codec = codec_of(lower)
    if codec:
        lower = os.path.splitext(lower)[0]
    fmt = FORMATS.get(os.path.splitext(lower)[1], "unsupported")
    if fmt == "parquet" and codec:  # Parquet compresses inside the file
        fmt = "unsupported"
    return fmt, codec is not None


def codec_of(name: str) -> str | None:
    """ "gzip", "zstd" or None, from a file name's last suffix."""
    return CODECS.get(os.path.splitext(name.lower())[1])


def shown(path: str) -> str:
    """A path as outputs show it: valid Unicode; bytes of a file name that are not UTF-8 as ``\\xNN``.

    >>> shown("caf\\udce9.txt"), shown("café.txt")
    ('caf\\\\xe9.txt', 'café.txt')
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def input_display(given: str, rel: str | None, several: bool) -> str:
    """How a file found under the input ``given`` is shown (``source.path``, the manifest, the index).

    One input: the path as given (a file) or relative to it (a directory's files). Several inputs:
    a directory's files under the directory as given, so that ``a/story.txt`` and ``b/story.txt``
    stay two sources.

    >>> input_display("dump", "x/a.txt", False), input_display("dump/", "x/a.txt", True), input_display("f.txt", None, True)
    ('x/a.txt', 'dump/x/a.txt', 'f.txt')
    """
    if rel is None:
        return shown(given)
    return shown(os.path.normpath(os.path.join(given, rel)) if several else rel)


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover(
    inputs: list[str],
    exclude: list[str] | tuple[str, ...] = (),
    follow_symlinks: bool = False,
    roots: list[str] | None = None,
    stdin: list[InputFile] | tuple[InputFile, ...] = (),
) -> tuple[list[InputFile], list[ReadError]]:
    """Every file under the given paths, in a stable order; missing paths and loops become errors.

    ``exclude``: paths never taken as input, nor walked into (OUT and its index). Symbolic links
    inside an input directory are followed only to files inside that directory's tree; others are
    listed as skipped, and symlinked directories are not walked, unless ``follow_symlinks``.
    ``roots``: where each input is now (absolute), when it was given relative to another directory;
    files are still shown as they were under ``inputs``. The input ``-`` stands for ``stdin``:
    the files standard input was copied into (``flows.stdio.spool_stdin``), taken as they are.
    """
    files: list[InputFile] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    excluded = {os.path.realpath(e) for e in exclude}
    several = len(inputs) > 1
    for n, given in enumerate(inputs):
        if given == STDIN:
            files.extend(stdin)
            continue
        p = Path(roots[n] if roots else given)
        if os.path.realpath(p) in excluded or any(_within(os.path.realpath(p), e) for e in excluded):
            continue
        if p.is_dir():
            tree = os.path.realpath(p)
            visited = {tree}

            def unreadable(exc: OSError, base: Path = p, given: str = given) -> None:  # os.walk would skip it silently
                where = Path(exc.filename or base)
                shown_ = (
                    input_display(given, str(where.relative_to(base)), several)
                    if where != base and where.is_relative_to(base)
                    else shown(given)
                )
                errors.append(ReadError(shown_, None, f"cannot list directory: {exc.strerror or exc}"))

            for root, dirs, names in os.walk(p, onerror=unreadable, followlinks=follow_symlinks):
                walked = []
                for d in sorted(d for d in dirs if not d.startswith(".")):
                    full = Path(root) / d
                    real = os.path.realpath(full)
                    if real in excluded or any(_within(real, e) for e in excluded):
                        continue
                    link = os.path.islink(full)
                    if link and not follow_symlinks:  # listed as skipped, never walked into
                        _add(files, errors, seen, full, input_display(given, str(full.relative_to(p)), several))
                        continue
                    if real in visited or (link and any(_within(v, real) for v in visited)):
                        continue  # a followed link back into what is walked already (a loop)
                    visited.add(real)
                    walked.append(d)
                dirs[:] = walked
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = Path(root) / name
                    real = os.path.realpath(full)
                    if real in excluded or any(_within(real, e) for e in excluded):
                        continue
                    display = input_display(given, str(full.relative_to(p)), several)
                    if (
                        os.path.islink(full)
                        and not follow_symlinks
                        and os.path.exists(full)
                        and not _within(real, tree)
                    ):
                        files.append(
                            InputFile(
                                str(full),
                                display,
                                "unsupported",
                                False,
                                0,
                                skip="symlink to a file outside the input, not followed (--follow-symlinks follows it)",
                            )
                        )
                        continue
                    _add(files, errors, seen, full, display)
        elif p.exists() or p.is_symlink():
            _add(files, errors, seen, p, shown(given))
        else:
            errors.append(ReadError(shown(given), None, "no such file or directory"))
    return files, errors


def _add(files: list[InputFile], errors: list[ReadError], seen: set[str], path: Path, display: str) -> None:
    try:
        real = str(path.resolve(strict=True))
        st = path.stat()
    except (OSError, RuntimeError) as exc:  # dangling symlink, symlink loop, permission
        errors.append(ReadError(display, None, f"cannot open: {exc.__class__.__name__}: {shown(str(exc))}"))
        return
    if stat.S_ISDIR(st.st_mode):  # a symlink to a directory met while walking (it could loop)
        files.append(InputFile(real, display, "unsupported", False, 0, skip="symlink to a directory, not followed"))
        return
    if not stat.S_ISREG(st.st_mode):  # reading a FIFO or device could block or never end
        files.append(
            InputFile(real, display, "unsupported", False, 0, skip="not a regular file (FIFO, socket or device)")
        )
        return
    if real in seen:
        return
    seen.add(real)
    fmt, compressed = format_of(path.name)
    files.append(InputFile(real, display, fmt, compressed, st.st_size, codec=codec_of(path.name)))


def file_sha256(path: str) -> str | None:
    """sha256 of a file as stored (what ``read_bytes`` reports), streamed; None if it cannot be read."""
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO would block the open for ever; a directory has no content
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def read_bytes(f: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """The file's content (decompressed, capped) and the sha256 of the file as stored."""
    with open(f.path, "rb") as fh:
        stored = fh.read(max_bytes + 1)
    if len(stored) > max_bytes:
        raise ValueError(f"file larger than the {max_bytes} byte limit")
    sha = hashlib.sha256(stored).hexdigest()
    if not f.compressed:
        return stored, sha
    if f.codec == "zstd":
        from .formats import decompress_zstd

        return decompress_zstd(stored, max_bytes), sha
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
    utf16 = None if data.startswith(b"\xef\xbb\xbf") else _utf16_without_bom(data)
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif utf16:
        text, enc = data.decode(utf16, errors="replace"), utf16
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            declared = _declared_html_charset(data) if is_html else None
            text, enc = declared or _decode_mixed(data) or _detect(data)
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


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    """A file whose lines mix encodings (UTF-8 lines, and lines in a legacy encoding pasted in).

    When some lines hold valid non-ASCII UTF-8 and others are not UTF-8, the UTF-8 lines are decoded
    as UTF-8 and the others with the encoding detected from them alone ("utf-8+cp1252"); else None.
    """
    lines = data.split(b"\n")
    bad: list[int] = []
    utf8_non_ascii = False
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_non_ascii = True
        except UnicodeDecodeError:
            bad.append(i)
    if not utf8_non_ascii or not bad:
        return None
    _, legacy = _detect(b"\n".join(lines[i] for i in bad))
    try:
        if "\n\nab".encode(legacy) != b"\n\nab":
            return None  # not ASCII-compatible (UTF-16 and the like): decode the file as a whole
    except LookupError:
        return None
    decoded = {i: lines[i].decode(legacy, errors="replace") for i in bad}
    text = "\n".join(decoded[i] if i in decoded else line.decode("utf-8") for i, line in enumerate(lines))
    return text, f"utf-8+{legacy}"


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is not None and best.encoding:
        # French or German text fits cp1250 as well as cp1252 to the detector; the web's usual one wins ties
        for r in results:
            if r.encoding == "cp1252" and (r.chaos, r.coherence) == (best.chaos, best.coherence):
                best = r
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8+replaced"


MISSING_FIELD = "no record has the field"  # a JSONL file none of whose records has the text field


def trim_nul_tail(data: bytes) -> bytes:
    r"""``data`` without the zero-filled tail a crash or a preallocating writer leaves (4 KiB or more of
    NUL bytes at the end); a few are kept, so that UTF-16 text ending in a NUL byte stays whole.

    >>> len(trim_nul_tail(b"text" + bytes(10000))), trim_nul_tail(b"a\x00b\x00")
    (8, b'a\x00b\x00')
    """
    if not data.endswith(b"\x00" * _NUL_TAIL_MIN):
        return data
    run = len(data) - len(data.rstrip(b"\x00"))
    return data[: len(data) - run + 4 + run % 4]


def _appended_to(data: bytes, earlier: tuple[str, int] | None) -> int | None:
    """The lines of ``data`` that are the earlier version ``(sha256, bytes)`` when ``data`` extends it
    (whole lines appended), else None."""
    if earlier is None:
        return None
    sha, n = earlier
    if (
        not 0 < n < len(data)
        or data[n - 1 : n] != b"\n"
        or b"\r" in data[:n]
        or hashlib.sha256(data[:n]).hexdigest() != sha
    ):
        return None
    return data.count(b"\n", 0, n)  # its lines, when the file is UTF-8 (checked once decoded)


def _too_large(size: int, limit: int) -> str:
    return f"record of {size / 2**20:.1f} MB is larger than the {limit / 2**20:g} MB limit (--max-record-mb)"


def read_documents(
    f: InputFile,
    text_field: str = "text",
    max_bytes: int = DEFAULT_MAX_BYTES,
    html: HtmlConfig | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    earlier: tuple[str, int] | None = None,
) -> tuple[FileInfo, list[Document | ReadError]]:
    """Read one input file into Documents; problems become ReadErrors, never exceptions.

    A record (a text or HTML file, a JSONL line) over ``max_record_bytes`` is an error, never read
    into a Document; a text or HTML file's zero-filled tail is dropped before decoding (:func:`trim_nul_tail`).
    ``earlier``: (sha256, bytes) of an earlier version of this file; when this (uncompressed) JSONL
    file starts with exactly those bytes (it was appended to), only its lines after them are read.
    """
    if f.format == "unsupported":
        why = (
            f.skip
            or "unsupported file type (launder reads .txt, .md, .html, .htm, .jsonl, optionally .gz or .zst; .warc, .wet, .parquet)"
        )
        return FileInfo(f.display, f.format, bytes=f.size, skipped=why), []
    if f.format in STREAMED:
        return _read_streamed(f, text_field, html, max_record_bytes)
    try:
        data, sha = read_bytes(f, max_bytes)
    except (OSError, ValueError) as exc:
        msg = f"cannot read: {exc}"
        return FileInfo(f.display, f.format, bytes=f.size, error=msg), [ReadError(f.display, None, msg)]
    binary = binary_kind(data, f.format)
    if binary:
        msg = f"binary file ({binary}), not text"
        return FileInfo(f.display, f.format, sha, bytes=len(data), error=msg), [ReadError(f.display, None, msg)]
    size = len(data)
    prefix_lines = _appended_to(data, earlier) if f.format == "jsonl" and not f.compressed else None
    if f.format != "jsonl":
        data = trim_nul_tail(data)
        if len(data) > max_record_bytes:
            msg = _too_large(len(data), max_record_bytes)
            return FileInfo(f.display, f.format, sha, bytes=size, error=msg), [ReadError(f.display, None, msg)]
    text, enc = decode(data, is_html=f.format == "html")
    del data  # the text replaces it (a large file is not held twice)
    info = FileInfo(f.display, f.format, sha, enc, size)
    base = Source(path=f.display, sha256=sha, encoding=enc, format=f.format)
    if f.format == "jsonl":
        skip = 0
        if earlier is not None and prefix_lines is not None and enc.startswith("utf-8"):
            skip = prefix_lines
            info = FileInfo(f.display, f.format, sha, enc, size, continues=earlier[0], continued_records=skip)
        items = list(_jsonl_documents(text, base, text_field, max_record_bytes, skip))
        missing = f"field {text_field!r} is missing"
        if any(isinstance(i, ReadError) and i.message.endswith(missing) for i in items) and all(
            isinstance(i, ReadError) and (i.message.endswith(missing) or i.message.startswith("malformed JSON"))
            for i in items
        ):  # the wrong --text-field: an error of the file (not marked cleaned), not one per record
            msg = f"{MISSING_FIELD} {text_field!r} (the JSONL text field, --text-field)"
            return replace(info, error=msg), [ReadError(f.display, None, msg)]
        return info, items
    if f.format == "html":
        body, meta = extract_html(text, html)  # never raises: hostile pages give little or no text
        return info, [_drop_nul(Document.from_text(body, base, metadata=meta))]
    return info, [_drop_nul(Document.from_text(text, base))]


def _read_streamed(
    f: InputFile, text_field: str, html: HtmlConfig | None, max_record_bytes: int
) -> tuple[FileInfo, list[Document | ReadError]]:
    """Web archives and Parquet files, read record by record by their own modules."""
    if f.format == "parquet":
        from .formats import read_parquet

        return read_parquet(f, text_field, max_record_bytes)
    if f.codec == "zstd":
        msg = "zstd-compressed web archives are not read (launder reads .warc, .warc.gz, .wet, .wet.gz)"
        return FileInfo(f.display, f.format, bytes=f.size, skipped=msg), []
    from .readers_warc import read_warc

    return read_warc(f, html, max_record_bytes)


# magic numbers of binary formats found in scraped dumps (a PDF's first kilobytes may hold no NUL byte)
MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data without a .gz name"),
    (b"\x28\xb5\x2f\xfd", "zstd data without a .zst name"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 office document"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
)
# control bytes no text encoding uses for text (tab, line breaks, form feed, backspace and escape allowed)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x08\x1b")
_SNIFF = 8192


def binary_kind(data: bytes, fmt: str) -> str | None:
    """What binary data this is ("PNG image", "NUL bytes", ...), or None for text.

    Looks at the first 8 KiB: a known magic number; for text and HTML also a NUL byte or more than
    2% control bytes (UTF-16 with a BOM aside). JSONL is only checked for magic numbers: its lines
    are judged one by one.
    """
    head = data[:_SNIFF]
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if fmt == "jsonl" or _looks_utf16(data):
        return None
    if b"\x00" in head:
        return "NUL bytes"
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls >= 8 and controls * 50 > len(head):
        return f"{100 * controls // len(head)}% control bytes"
    return None


_NULS = re.compile("\x00+")


def _drop_nul(doc: Document) -> Document:
    """NUL characters past the sniffed head (a zero-filled tail after a crash, say) are dropped, as edits."""
    if "\x00" not in doc.raw:
        return doc
    changes = [Change(m.start(), m.end(), "", "read:nul") for m in _NULS.finditer(doc.raw)]
    return doc.apply(changes, step="read")


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_bom(data) is not None


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte order mark, else None.

    Text in a Latin, Greek or Cyrillic script has a NUL byte in most of its code units (the high
    byte of U+0000-U+00FF), all on the same side; binary data does not, nor does UTF-8.

    >>> _utf16_without_bom("Hello, world: a line of text.\\n".encode("utf-16-le")), _utf16_without_bom(b"\\x00\\x01" * 40)
    ('utf-16-le', None)
    """
    head = data[:_SNIFF]
    if len(head) < 8 or len(data) % 2:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    units = len(even)
    for kind, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.6 * units and low.count(0) <= 0.02 * units:
            try:
                text = head.decode(kind)
            except UnicodeDecodeError:
                continue
            if sum(c.isprintable() or c in "\t\n\r" for c in text) >= 0.95 * len(text):
                return kind
    return None


MAX_JSON_DEPTH = 64  # deeper JSONL records are errors: they could not be written back out safely
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _nesting(obj: Any, limit: int) -> int:
    """How deeply lists and objects nest in ``obj`` (iterative; stops counting past ``limit``)."""
    deepest = 0
    stack = [(obj, 1)]
    while stack:
        o, depth = stack.pop()
        if isinstance(o, (dict, list)):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            stack.extend((v, depth + 1) for v in (o.values() if isinstance(o, dict) else o))
    return deepest


def _replace_lone_surrogates(obj: Any) -> Any:
    """JSON may escape unpaired surrogates (\\ud800), which no UTF-8 output can hold: each becomes U+FFFD,
    as undecodable bytes do."""
    if isinstance(obj, str):
        return _LONE_SURROGATE.sub("\ufffd", obj)
    if isinstance(obj, list):
        return [_replace_lone_surrogates(v) for v in obj]
    if isinstance(obj, dict):
        return {_replace_lone_surrogates(k): _replace_lone_surrogates(v) for k, v in obj.items()}
    return obj


def _jsonl_documents(
    text: str, base: Source, text_field: str, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES, skip: int = 0
) -> Iterator[Document | ReadError]:
    for i, line in enumerate(text.split("\n")):
        if i < skip:  # lines of an earlier version, cleaned before
            continue
        if len(line) > max_record_bytes:  # characters: at least as many bytes
            yield ReadError(base.path, i, f"line {i + 1}: {_too_large(len(line), max_record_bytes)}")
            continue
        if not line.strip():
            continue
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(base.path, i, f"malformed JSON on line {i + 1}: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield ReadError(base.path, i, f"malformed JSON on line {i + 1}: nested too deeply to parse")
            continue
        except ValueError as exc:  # e.g. an integer longer than Python's 4300-digit limit
            yield ReadError(base.path, i, f"malformed JSON on line {i + 1}: {exc}")
            continue
        yield record_document(
            obj, base, text_field, i, f"line {i + 1}", fix_surrogates=bool(_SURROGATE_ESCAPE.search(line))
        )


def record_document(
    obj: Any, base: Source, text_field: str, i: int, where: str, fix_surrogates: bool = False
) -> Document | ReadError:
    """One parsed record (a JSONL line's value, or an object a caller hands over) as a Document, or
    the error saying why it is none. ``i`` is its record index, ``where`` names it in messages
    ("line 3"); the record's other fields become ``source.meta``, and title, author, published,
    site and url its metadata. ``fix_surrogates``: its JSON escaped lone surrogates (each becomes U+FFFD).

    >>> record_document({"text": "Hi\\r\\nthere", "url": "u"}, Source(), "text", 0, "line 1").raw
    'Hi\\nthere'
    >>> record_document([1], Source(), "text", 4, "record 5").message
    'record 5 is a JSON list, not an object'
    """
    if _nesting(obj, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return ReadError(base.path, i, f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if fix_surrogates:
        obj = _replace_lone_surrogates(obj)
    if not isinstance(obj, dict):
        return ReadError(base.path, i, f"{where} is a JSON {type(obj).__name__}, not an object")
    value = obj.get(text_field)
    if not isinstance(value, str):
        what = (
            "missing"
            if text_field not in obj
            else "null, not a string"
            if value is None
            else f"a {type(value).__name__}, not a string"
        )
        return ReadError(base.path, i, f"{where}: field {text_field!r} is {what}")
    meta = {k: v for k, v in obj.items() if k != text_field}
    metadata = {k: meta[k] for k in ("title", "author", "published", "site", "url") if isinstance(meta.get(k), str)}
    raw = value.replace("\r\n", "\n").replace("\r", "\n")
    return _drop_nul(Document.from_text(raw, replace(base, record=i, meta=meta), metadata=metadata))
