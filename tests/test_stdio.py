"""Standard input and output without a run: the stdin copy's chunks, and the CLI's checks of '-'."""

from __future__ import annotations

import io
import subprocess
import sys

from flows.readers import discover, read_documents
from flows.stdio import spool_stdin


def _lines(n: int) -> bytes:
    return b"".join(b'{"text": "record %d %s"}\n' % (i, b"x" * (i % 37)) for i in range(n))


def test_stdin_is_copied_in_whole_lines_into_chunks_that_depend_only_on_the_stream(tmp_path):
    data = _lines(500)
    files = spool_stdin(io.BufferedReader(io.BytesIO(data), buffer_size=97), tmp_path / "w1", chunk_bytes=1000)
    assert len(files) > 10
    parts = [open(f.path, "rb").read() for f in files]
    assert b"".join(parts) == data
    assert all(p.endswith(b"\n") for p in parts) and all(len(p) >= 1000 for p in parts[:-1])
    assert all(len(p) < 1000 + 60 for p in parts)  # cut at the first line break after the size
    assert [f.size for f in files] == [len(p) for p in parts]
    tag = files[0].display.split("/")[1]
    assert [f.display for f in files] == [f"<stdin>/{tag}/{n:05d}.jsonl" for n in range(len(files))]
    again = spool_stdin(io.BytesIO(data), tmp_path / "w2", chunk_bytes=1000)  # another read size, same chunks
    assert [(f.display, f.size) for f in again] == [(f.display, f.size) for f in files]
    other = spool_stdin(io.BytesIO(data + _lines(1)), tmp_path / "w3", chunk_bytes=1000)
    assert other[0].display.split("/")[1] != tag
    records = [d.source.meta for f in files for d in read_documents(f)[1]]
    assert len(records) == 500


def test_an_empty_stream_is_one_empty_chunk_and_a_line_longer_than_a_chunk_stays_whole(tmp_path):
    (empty,) = spool_stdin(io.BytesIO(b""), tmp_path / "e")
    assert empty.size == 0 and read_documents(empty)[1] == []
    long = b'{"text": "' + b"y" * 5000 + b'"}\nshort\n'
    files = spool_stdin(io.BytesIO(long), tmp_path / "l", chunk_bytes=100)
    assert [f.size for f in files] == [5013, 6]


def test_a_rerun_replaces_an_interrupted_runs_copy(tmp_path):
    spool_stdin(io.BytesIO(_lines(300)), tmp_path, chunk_bytes=500)
    files = spool_stdin(io.BytesIO(_lines(2)), tmp_path, chunk_bytes=500)
    assert (
        sorted(p.name for p in (tmp_path / "stdin").iterdir())
        == ["00000.jsonl"]
        == [f.path.rsplit("/", 1)[1] for f in files]
    )


def test_discover_puts_the_stdin_files_where_dash_was_given(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    stdin = spool_stdin(io.BytesIO(_lines(3)), tmp_path / "w")
    found, errors = discover([str(tmp_path / "a.txt"), "-", str(tmp_path / "b.txt")], stdin=stdin)
    assert not errors
    assert [f.display for f in found] == [str(tmp_path / "a.txt"), stdin[0].display, str(tmp_path / "b.txt")]
    assert found[1] == stdin[0]
    found, errors = discover(["-"])  # verify re-reading a stdin run's inputs: nothing to read, no error
    assert found == [] and errors == []


def _launder(*args, **kw):
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=120, **kw)


def test_dash_twice_is_refused(tmp_path):
    r = _launder("clean", "-", "-", "-o", str(tmp_path / "out"), input="")
    assert r.returncode == 2 and r.stderr.strip() == "launder: error: standard input (-) can be read only once"


def test_stdout_carries_nothing_but_documents_even_when_the_command_fails(tmp_path):
    r = _launder("clean", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--stdout")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == f"launder: error: no such input: {tmp_path / 'nope'}"
