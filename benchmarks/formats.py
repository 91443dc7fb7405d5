"""Input formats: records per CPU second for WARC (HTML), Parquet and zstd JSONL next to JSONL (issue 16).

    .venv/bin/python benchmarks/formats.py build [--dir /tmp/launder-formats] [--copies 4]
    .venv/bin/python benchmarks/formats.py libs  [--dir ...] [--repeat 3]
    .venv/bin/python benchmarks/formats.py run   [--dir ...] [--repeat 3]

``build`` writes, from the HTML pages of ../shared/bench (general-web-html and article-extraction,
321 pages; each copied ``--copies`` times under another URL, with one word of each copy changed so
that copies are not exact duplicates) and the page texts of ../shared/bench (general-web/raw and
text-boilerplate/raw, 321 texts, copied the same way):

- ``warc/pages.warc.gz``: a request and a 200 response record per page (gzip members, as crawlers
  write them; written with warcio);
- ``html/``: the same pages as ``.html`` files (what launder read before WARC: the container's cost);
- ``jsonl/records.jsonl``, ``jsonl-zst/records.jsonl.zst``, ``parquet/records.parquet``: the texts as
  ``{"id", "url", "text"}`` records, the same records in each.

``libs`` reads ``warc/pages.warc.gz`` with FastWARC and with warcio (every record, HTTP headers
parsed, payload read whole), ``--repeat`` times each, alternating, and prints records per second.

``run`` cleans each input with ``flows.shard.clean_shard_files`` (read + the whole cleaning pipeline,
signatures included; no Prefect, no cross-document dedup, no output writing) in a child process per
format and repeat, and prints records (and output documents) per CPU second of that process.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# this folder's html.py would shadow the standard library's html module (ftfy imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
SHARED = ROOT.parent / "shared"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "launder-formats"
HTML_SETS = ("bench/general-web-html/html", "bench/article-extraction/html")
TEXT_SETS = ("bench/general-web/raw", "bench/text-boilerplate/raw")


def _pages() -> list[tuple[str, bytes]]:
    pages = []
    for d in HTML_SETS:
        for p in sorted((SHARED / d).glob("*.html*")):
            data = p.read_bytes()
            pages.append((p.name.split(".")[0], gzip.decompress(data) if p.name.endswith(".gz") else data))
    if not pages:
        raise SystemExit(f"no HTML pages under {SHARED}/bench: this benchmark needs ../shared")
    return pages


def _texts() -> list[tuple[str, str]]:
    texts = []
    for d in TEXT_SETS:
        texts += [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in sorted((SHARED / d).glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no texts under {SHARED}/bench: this benchmark needs ../shared")
    return texts


def _vary(text: str, copy: int) -> str:
    """Copy ``copy`` of a text: its first word of six letters or more carries the copy number."""
    if copy == 0:
        return text
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) >= 6 and w.isalpha():
            words[i] = f"{w}{copy}"
            break
    return " ".join(words)


def build(d: Path, copies: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    if d.exists():
        shutil.rmtree(d)
    for sub in ("warc", "html", "jsonl", "jsonl-zst", "parquet"):
        (d / sub).mkdir(parents=True)
    pages = _pages()
    n = 0
    with open(d / "warc" / "pages.warc.gz", "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for copy in range(copies):
            for k, (name, html) in enumerate(pages):
                body = html if copy == 0 else html.replace(b"<body", f"<body data-copy='{copy}'".encode(), 1)
                body = _vary(body.decode("utf-8", "surrogateescape"), copy).encode("utf-8", "surrogateescape")
                url = f"https://site{k % 40}.bench.invalid/{name}/{copy}"
                host = url.split("/")[2]
                req = StatusAndHeaders(f"GET /{name}/{copy} HTTP/1.1", [("Host", host)], is_http_request=True)
                w.write_record(
                    w.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0, http_headers=req)
                )
                http = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
                )
                w.write_record(
                    w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)
                )
                (d / "html" / f"{name}-{copy}.html").write_bytes(body)
                n += 1
    records = [
        {"id": f"{name}-{copy}", "url": f"https://site{k % 40}.bench.invalid/{name}/{copy}", "text": _vary(text, copy)}
        for copy in range(copies)
        for k, (name, text) in enumerate(_texts())
    ]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    (d / "jsonl" / "records.jsonl").write_bytes(lines)
    (d / "jsonl-zst" / "records.jsonl.zst").write_bytes(zstandard.ZstdCompressor(level=3).compress(lines))
    pq.write_table(pa.Table.from_pylist(records), d / "parquet" / "records.parquet", compression="zstd")
    for sub in sorted(os.listdir(d)):
        size = sum(p.stat().st_size for p in (d / sub).iterdir())
        print(f"{d / sub}: {len(list((d / sub).iterdir()))} files, {size / 2**20:.1f} MB")
    print(f"{n} pages, {len(records)} text records")


# ----------------------------------------------------------------------------- WARC libraries
def read_fastwarc(path: str) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.any_type, parse_http=True, auto_decode="all"):
            rec.reader.read()
            n += 1
    return n


def read_warcio(path: str) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            rec.content_stream().read()
            n += 1
    return n


def libs(d: Path, repeat: int) -> None:
    path = str(d / "warc" / "pages.warc.gz")
    size = os.path.getsize(path)
    times: dict[str, list[float]] = {"fastwarc": [], "warcio": []}
    counts = {}
    for _ in range(repeat):
        for name, fn in (("fastwarc", read_fastwarc), ("warcio", read_warcio)):
            t0 = time.process_time()
            counts[name] = fn(path)
            times[name].append(time.process_time() - t0)
    print(f"{path}: {size / 2**20:.1f} MB, load average {os.getloadavg()}")
    print("| library | records | CPU s (median of %d) | records per CPU s | MB per CPU s |" % repeat)
    print("|---|---|---|---|---|")
    for name, ts in times.items():
        t = statistics.median(ts)
        print(f"| {name} | {counts[name]} | {t:.3f} | {counts[name] / t:,.0f} | {size / 2**20 / t:.1f} |")


# ----------------------------------------------------------------------------- cleaning per format
INPUTS = {"jsonl": "jsonl", "jsonl.zst": "jsonl-zst", "parquet": "parquet", "warc": "warc", "html files": "html"}


def _shard_cpu(src: str) -> dict[str, Any]:
    """In this (child) process: clean every file of ``src`` as one shard; CPU seconds and counts."""
    from cleaners import CleanConfig
    from flows.readers import discover
    from flows.shard import ShardSpec, clean_shard_files

    files, _ = discover([src])
    work = tempfile.mkdtemp(prefix="launder-formats-work-")
    try:
        t0 = time.process_time()
        summary = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), work, CleanConfig())
        cpu = time.process_time() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    docs = summary.docs
    records = {(d.order.position, d.order.record) for d in docs}
    return {
        "cpu": cpu,
        "records": len(records),
        "documents": sum(d.id is not None for d in docs),
        "errors": sum(d.status == "error" for d in docs),
    }


def run(d: Path, repeat: int) -> None:
    results: dict[str, list[dict[str, Any]]] = {k: [] for k in INPUTS}
    for _ in range(repeat):
        for label, sub in INPUTS.items():
            out = subprocess.run(
                [sys.executable, __file__, "_shard", str(d / sub)], check=True, capture_output=True, text=True, cwd=ROOT
            ).stdout
            results[label].append(json.loads(out.strip().splitlines()[-1]))
    print(f"load average after: {os.getloadavg()}")
    print(f"| input | records | documents | CPU s (median of {repeat}) | records per CPU s | documents per CPU s |")
    print("|---|---|---|---|---|---|")
    for label, rs in results.items():
        cpu = statistics.median(r["cpu"] for r in rs)
        r = rs[0]
        print(
            f"| {label} | {r['records']} | {r['documents']} | {cpu:.1f} | {r['records'] / cpu:.1f} | {r['documents'] / cpu:.1f} |"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    b.add_argument("--copies", type=int, default=4)
    lb = sub.add_parser("libs")
    lb.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    lb.add_argument("--repeat", type=int, default=3)
    r = sub.add_parser("run")
    r.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    r.add_argument("--repeat", type=int, default=3)
    s = sub.add_parser("_shard")
    s.add_argument("src")
    args = ap.parse_args()
    if args.cmd == "build":
        build(args.dir, args.copies)
    elif args.cmd == "libs":
        libs(args.dir, args.repeat)
    elif args.cmd == "run":
        run(args.dir, args.repeat)
    else:
        print(json.dumps(_shard_cpu(args.src)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
