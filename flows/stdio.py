"""launder in a shell pipeline: JSONL on standard input (input ``-``), kept documents on standard output.

Standard input. ``launder clean - -o OUT`` reads JSONL from standard input. The flow copies it
into ``OUT/.work/stdin/`` (removed with the rest of ``.work`` when the run ends) in chunks of
:data:`CHUNK_BYTES` cut between lines, so that the chunks are cleaned in parallel like files and
no record is held in memory twice. A chunk is an input file like any other, shown as
``<stdin>/<sha>/<n>.jsonl``: ``sha`` is the first 16 hex digits of the sha256 of the whole stream,
``n`` the chunk's number (``source.path`` of its documents, and the manifest's ``files``). So:

- the same bytes piped again into the same OUT are skipped, as a file cleaned before is (a rerun
  changes nothing); other bytes are other sources, deduplicated against everything in OUT, and
  never replace (supersede) what an earlier stdin run left, as a file edited in place would;
- ``launder forget '<stdin>'`` (or ``'<stdin>/<sha>'``) removes what stdin runs cleaned;
- the raw text is not kept: ``launder verify`` does not check the spans of these documents (it
  says how many it left out) and ``launder inspect`` shows no raw text for them;
- an interrupted stdin run cannot be resumed (its input is gone): the next run into OUT removes
  what it had published, as for a run whose inputs changed.

Standard output. With ``--stdout`` the command keeps the JSONL stream for itself: everything
else it, Prefect or a child process prints goes to standard error (:func:`keep_stdout_for_jsonl`).
When the run has finished, :func:`kept_lines` gives the kept documents of the run, the lines of
its ``documents/`` part files as they are, in input order.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import BinaryIO, Iterator

from .out_state import part_files
from .readers import STDIN, InputFile
from .writers import json_line, read_jsonl

STDIN_ROOT = "<stdin>"  # source paths of documents read from standard input start with "<stdin>/"
CHUNK_BYTES = 8 * 2**20  # fixed, so that the same stream always gives the same chunks (and sources)
_READ = 1 << 20


def from_stdin(display: str) -> bool:
    """Was this source (``source.path``) read from standard input?

    >>> from_stdin("<stdin>/0123456789abcdef/00000.jsonl"), from_stdin("dump/<stdin>.jsonl")
    (True, False)
    """
    return display.startswith(STDIN_ROOT + "/")


def spool_stdin(stream: BinaryIO, work_dir: str | Path, chunk_bytes: int | None = None) -> list[InputFile]:
    """Copy ``stream`` into ``work_dir/stdin/00000.jsonl, 00001.jsonl, ...`` (a chunk ends at the first
    line break after ``chunk_bytes``); the chunks as input files, shown under ``<stdin>/<sha>/``.

    An empty stream gives one empty chunk (listed in the manifest with no documents). Memory: at
    most 1 MiB of the stream at a time, however long its lines.
    """
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    where = Path(work_dir) / "stdin"
    shutil.rmtree(where, ignore_errors=True)  # an interrupted run's copy of another stream
    where.mkdir(parents=True)
    digest = hashlib.sha256()
    chunks: list[tuple[Path, int]] = []
    fh = None
    size = 0
    try:
        while piece := stream.read1(_READ) if hasattr(stream, "read1") else stream.read(_READ):
            digest.update(piece)
            while piece:
                if fh is None:
                    chunks.append((where / f"{len(chunks):05d}.jsonl", 0))
                    fh, size = open(chunks[-1][0], "wb"), 0
                cut = piece.find(b"\n", max(0, chunk_bytes - size - 1)) if size + len(piece) >= chunk_bytes else -1
                head, piece = (piece, b"") if cut < 0 else (piece[: cut + 1], piece[cut + 1 :])
                fh.write(head)
                size += len(head)
                chunks[-1] = (chunks[-1][0], size)
                if cut >= 0:
                    fh.close()
                    fh = None
    finally:
        if fh is not None:
            fh.close()
    if not chunks:
        chunks.append((where / "00000.jsonl", 0))
        chunks[0][0].write_bytes(b"")
    tag = digest.hexdigest()[:16]
    return [InputFile(str(p), f"{STDIN_ROOT}/{tag}/{p.name}", "jsonl", False, n) for p, n in chunks]


def keep_stdout_for_jsonl() -> BinaryIO:
    """Standard output for the JSONL alone: returns a file on it, and sends file descriptor 1 (what
    ``print``, logging and every child process write to it) to standard error from now on."""
    fd = os.dup(1)  # not inheritable: child processes never hold the pipe open
    os.dup2(2, 1)
    return os.fdopen(fd, "wb", buffering=1 << 16)


def kept_lines(out: str | Path) -> Iterator[bytes]:
    """The kept documents of the run OUT's ``manifest.json`` describes: their ``documents/`` lines,
    in input order (a part file holds one shard's documents, in order; one run writes a whole part)."""
    manifest = json.loads(Path(out, "manifest.json").read_text(encoding="utf-8"))
    run_id = manifest["run_id"]
    order: dict[str, int] = {}
    for f in manifest.get("files", []):
        for o in f.get("outcomes", []):
            if o.get("status") == "kept":
                order.setdefault(o["id"], len(order))
    parts = []
    for part in part_files(out, "documents"):
        try:
            rec = next(iter(read_jsonl(part)))
            if rec["provenance"]["run_id"] != run_id:
                continue
        except (ValueError, KeyError, TypeError, StopIteration):
            continue
        parts.append((order.get(rec["id"], len(order)), part.name, part))
    for _pos, _name, part in sorted(parts):
        if part.suffix == ".jsonl":
            with open(part, "rb") as fh:
                yield from fh  # the part's lines byte for byte
        else:  # --format jsonl.zst or parquet: its records as the JSONL contract's lines
            for rec in read_jsonl(part):
                yield (json_line(rec) + "\n").encode("utf-8")


__all__ = ["CHUNK_BYTES", "STDIN", "STDIN_ROOT", "from_stdin", "keep_stdout_for_jsonl", "kept_lines", "spool_stdin"]
