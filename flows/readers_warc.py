"""Web archives in: WARC files (``.warc``, ``.warc.gz``) and their text conversions (``.wet``, ``.wet.gz``).

One Document per record that holds a page:

- a ``response`` record answered ``200`` whose payload is HTML (its HTTP ``Content-Type``, or, when
  there is none, a payload that starts like HTML) goes through the HTML extractor, as an ``.html``
  file does (``source.format`` is ``html``);
- a ``conversion`` record (what a WET file holds: the text of a page) goes through the text path
  (``source.format`` is ``text``).

Every other record is skipped and counted by kind in the file's manifest entry (``records``):
``not-html`` (a 200 response of another type: PDF, image, ...), ``not-200`` (any other status),
and the record types that hold no page (``request``, ``warcinfo``, ``metadata``, ``revisit``,
``resource``, ...). ``source.record`` is the record's position in the file (0-based, every record
counted), ``source.meta`` holds the WARC record id, target URI and date (and for a response the
HTTP status and content type), ``metadata.url`` the target URI and ``metadata.site`` its host (the
group whose documents' common lines are learned as boilerplate, flows.shard.passage_group); a
site name the page itself declares is kept as ``metadata.site_name``.

Reading is streamed record by record with FastWARC (2.2x warcio's records per CPU second on the
same archive: benchmarks/README.md, "Input formats"); a record's payload over ``max_record_bytes``
is an error of that record, a damaged archive an error after the records read before the damage.
"""

from __future__ import annotations

from typing import Any

from cleaners import Document, Source
from cleaners.html_extract import HtmlConfig, extract_html

WARC_SUFFIXES = {".warc": "warc", ".wet": "wet"}
HTML_TYPES = ("text/html", "application/xhtml+xml")


def _host(url: str) -> str | None:
    """The host of a URL, lower case, without port or user ('' when it has none).

    >>> _host("https://User@News.Example.org:8443/a?b"), _host("dns:example.org")
    ('news.example.org', None)
    """
    if "//" not in url:
        return None
    host = url.split("//", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split("@")[-1]
    if host.startswith("["):  # an IPv6 literal
        return host.split("]", 1)[0].lower() + "]"
    return host.split(":", 1)[0].lower() or None


def _looks_html(head: bytes) -> bool:
    h = head[:512].lstrip().lower()
    return h.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in h


def decode_payload(data: bytes, http_charset: str | None) -> tuple[str, str]:
    """(text, encoding) of an HTML payload: a BOM or valid UTF-8 first, then the charset the HTTP
    header names, then what the page declares or a detector finds (flows.readers.decode)."""
    from .readers import decode

    if http_charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode(http_charset)
                return text.replace("\r\n", "\n").replace("\r", "\n"), http_charset.lower()
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data, is_html=True)


def _date(rec: Any) -> str | None:
    value = rec.headers.get("WARC-Date")
    return value or None


def sha256_and_damage(path: str, gzipped: bool) -> tuple[str | None, str | None]:
    """(sha256 of the file as stored, what is wrong with its gzip members or None), in one pass;
    (None, None) when it cannot be read.

    FastWARC stops without an error at a truncated gzip member: decompressing every member here
    (about as fast as FastWARC reads) tells a cut archive from a whole one.
    """
    import hashlib
    import zlib

    h = hashlib.sha256()
    d = zlib.decompressobj(wbits=47) if gzipped else None
    fed = False  # the current member has begun
    problem = None
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                while d is not None and chunk and problem is None:
                    try:
                        d.decompress(chunk, 1 << 16)
                    except zlib.error as exc:
                        problem = f"not valid gzip data: {exc}"
                        break
                    fed = True
                    if d.eof:  # a member ended: the next one starts in what is left
                        chunk, d, fed = d.unused_data, zlib.decompressobj(wbits=47), False
                    else:
                        chunk = d.unconsumed_tail
    except OSError:
        return None, None
    if problem is None and d is not None and fed:
        problem = "truncated gzip data (the file ends inside a compressed member)"
    return h.hexdigest(), problem


def _http_body(data: bytes, headers: Any) -> bytes:
    """The payload without its transfer and content encodings (chunked; gzip, deflate, br)."""
    import zlib

    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        data = _dechunk(data)
    for coding in reversed(
        [c.strip().lower() for c in (headers.get("Content-Encoding") or "").split(",") if c.strip()]
    ):
        if coding in ("gzip", "x-gzip"):
            data = zlib.decompressobj(wbits=47).decompress(data)
        elif coding == "deflate":
            try:
                data = zlib.decompress(data)
            except zlib.error:
                data = zlib.decompress(data, -15)  # raw deflate, as some servers send it
        elif coding == "br":
            import brotli  # type: ignore[import-not-found]

            data = brotli.decompress(data)
        elif coding != "identity":
            raise ValueError(f"unknown Content-Encoding {coding!r}")
    return data


def _dechunk(data: bytes) -> bytes:
    r"""A chunked HTTP body joined (what follows a malformed chunk header is kept as it is).

    >>> _dechunk(b"5\r\nhello\r\n6;x=1\r\n world\r\n0\r\n\r\n")
    b'hello world'
    """
    out, pos = [], 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        try:
            size = int(data[pos:end].split(b";", 1)[0], 16)
        except ValueError:
            out.append(data[pos:])
            break
        if size == 0:
            break
        out.append(data[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(out)


def read_warc(f: Any, html: HtmlConfig | None = None, max_record_bytes: int = 64 * 2**20) -> tuple[Any, list[Any]]:
    """(FileInfo, Documents and ReadErrors) of a WARC or WET file (``f``: a flows.readers.InputFile)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from .readers import FileInfo, ReadError, _drop_nul, _too_large

    sha, damage = sha256_and_damage(f.path, f.compressed)
    if sha is None:
        msg = "cannot read: the file cannot be opened"
        return FileInfo(f.display, f.format, bytes=f.size, error=msg), [ReadError(f.display, None, msg)]
    items: list[Any] = []
    skipped: dict[str, int] = {}
    encodings: set[str] = set()
    n = 0

    def skip(kind: str) -> None:
        skipped[kind] = skipped.get(kind, 0) + 1

    def cut(i: int, url: str) -> ReadError:
        return ReadError(f.display, i, f"record {i} ({url or 'no URI'}) is truncated: the file ends inside it")

    try:
        with open(f.path, "rb") as fh:
            for n, rec in enumerate(ArchiveIterator(fh, record_types=WarcRecordType.any_type, parse_http=False), 1):
                i = n - 1
                kind = str(rec.record_type)
                if kind not in ("response", "conversion"):
                    skip(kind)
                    continue
                url = rec.headers.get("WARC-Target-URI") or ""
                meta: dict[str, Any] = {
                    "warc_record_id": rec.record_id,
                    "warc_target_uri": url,
                    "warc_date": _date(rec),
                    "warc_type": kind,
                }
                if kind == "response":
                    if not rec.is_http:
                        skip("not-http")
                        continue
                    rec.parse_http(auto_decode="none")
                    status = rec.http_headers.status_code
                    ctype = (rec.http_content_type or "").lower()
                    if status != 200:
                        skip("not-200")
                        continue
                    if ctype and ctype not in HTML_TYPES:
                        skip("not-html")
                        continue
                    meta.update(http_status=status, content_type=ctype or None)
                if rec.content_length > max_record_bytes:
                    items.append(
                        ReadError(
                            f.display, i, f"record {i} ({url}): {_too_large(rec.content_length, max_record_bytes)}"
                        )
                    )
                    continue
                data = rec.reader.read()
                if len(data) < rec.content_length:
                    items.append(cut(i, url))
                    break
                if kind == "response":
                    try:
                        data = _http_body(data, rec.http_headers)
                    except Exception as exc:  # a body that does not decode is this record's error, not the file's
                        items.append(ReadError(f.display, i, f"record {i} ({url}): cannot decode the HTTP body: {exc}"))
                        continue
                    if len(data) > max_record_bytes:
                        items.append(
                            ReadError(f.display, i, f"record {i} ({url}): {_too_large(len(data), max_record_bytes)}")
                        )
                        continue
                    if not ctype and not _looks_html(data):
                        skip("not-html")
                        continue
                host = _host(url)
                metadata: dict[str, Any] = {}
                if kind == "response":
                    text, enc = decode_payload(data, rec.http_charset)
                    body, found = extract_html(text, html)  # never raises
                    if "site" in found:
                        found["site_name"] = found.pop("site")
                    metadata.update(found)
                    fmt = "html"
                else:
                    text, enc = decode_payload(data, None)
                    body, fmt = text, "text"
                if url:
                    metadata["url"] = url
                if host:
                    metadata["site"] = host
                encodings.add(enc)
                source = Source(path=f.display, sha256=sha, record=i, encoding=enc, format=fmt, meta=meta)
                items.append(_drop_nul(Document.from_text(body, source, metadata=metadata)))
    except (OSError, ValueError) as exc:  # not an archive, or damaged past the records read
        where = f"after record {n - 1}" if n else "at its start"
        items.append(ReadError(f.display, None, f"damaged {f.format.upper()} file {where}: {exc}"))
    else:
        if damage and not (items and isinstance(items[-1], ReadError) and "truncated" in items[-1].message):
            items.append(ReadError(f.display, None, f"damaged {f.format.upper()} file after record {n - 1}: {damage}"))
    if n == 0:  # no record at all: an error of the file (not marked cleaned)
        msg = items[-1].message if items else f"no {f.format.upper()} record in the file"
        return FileInfo(f.display, f.format, sha, bytes=f.size, error=msg), [ReadError(f.display, None, msg)]
    enc = encodings.pop() if len(encodings) == 1 else "mixed" if encodings else ""
    info = FileInfo(
        f.display, f.format, sha, enc, f.size, records={"read": n, "skipped": dict(sorted(skipped.items()))}
    )
    return info, items
