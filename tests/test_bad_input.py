"""Bad input (issue 5, item 3): each kind becomes an error, a rejected record or a skipped file with a
clear reason, and the rest of the dump is still processed.

Most tests go through flows.readers and flows.shard.clean_shard_files (phase 1, no Prefect); one
end-to-end test runs the Prefect flow over a directory holding all of them.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from flows.readers import DEFAULT_MAX_BYTES, decode, discover, read_documents
from cleaners import CleanConfig
from flows.shard import ShardSpec, clean_shard_files, write_shard_outputs
from flows.work_files import Run, ShardSummary
from tests.test_properties import check_provenance

ROOT = Path(__file__).resolve().parents[1]

GOOD = (
    "Harbour Ferry Returns After Repairs\n"
    "The harbour ferry returned to service on Monday after three weeks of repairs to its engines.\n"
    "Passengers queued from early morning, and the operator said the timetable would be kept in full.\n"
)
GOOD2 = (
    "Library Extends Opening Hours\n"
    "The central library will stay open until nine in the evening from next month, the council said.\n"
    "Longer hours were the most common request in a survey of more than two thousand residents.\n"
)


def _shard(paths: list[Path] | Path, work: Path, **kw) -> ShardSummary:
    """Phase 1 over everything discover() finds under the given paths (as the flow does)."""
    files, errors = discover([str(p) for p in ([paths] if isinstance(paths, Path) else paths)])
    assert not errors, errors
    return clean_shard_files(ShardSpec(0, tuple(enumerate(files)), **kw), str(work), CleanConfig())


def _outcomes(summary: ShardSummary) -> dict[str, list[tuple[str, object]]]:
    """path -> [(status, reason or error message)] in record order."""
    paths = {f.position: f.info.display for f in summary.files}
    out: dict[str, list[tuple[str, object]]] = {}
    for d in summary.docs:
        out.setdefault(paths[d.order.position], []).append((d.status, d.reason))
    return out


def _only(summary: ShardSummary) -> list[tuple[str, object]]:
    [outcomes] = _outcomes(summary).values()
    return outcomes


def _file(summary: ShardSummary, display: str) -> dict:
    return next(f.to_json() for f in summary.files if f.info.display == display)


def _read_one(path: Path, **kw):
    files, errors = discover([str(path)])
    assert not errors and len(files) == 1
    return read_documents(files[0], **kw)


# ---------------------------------------------------------------------------- empty files
def test_empty_files_are_rejected_as_empty(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    for name in ("empty.txt", "empty.html", "empty.jsonl", "empty.txt.gz"):
        (dump / name).write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    (dump / "blank.md").write_text("\n\n   \n")
    (dump / "good.txt").write_text(GOOD)
    s = _shard(dump, tmp_path / "work")
    got = _outcomes(s)
    assert got["empty.txt"] == [("rejected", "empty")]
    assert got["empty.html"] == [("rejected", "empty")]
    assert got["empty.txt.gz"] == [("rejected", "empty")]
    assert got["blank.md"] == [("rejected", "empty")]
    assert "empty.jsonl" not in got and not _file(s, "empty.jsonl")["error"]  # no records, nothing wrong
    assert got["good.txt"] == [("kept", None)]


# ---------------------------------------------------------------------------- binary files
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256)) * 4
# a PDF whose first 8 KiB hold no NUL byte (deflate output without zeros): NUL sniffing alone misses it
_STREAM = bytes(b for b in zlib.compress(os.urandom(30000)) if b)
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"4 0 obj\n<< /Length 30000 /Filter /FlateDecode >>\nstream\n" + _STREAM + b"\nendstream\nendobj\n%%EOF\n"
)


def test_binary_files_are_errors_naming_the_kind(tmp_path):
    assert b"\x00" not in PDF[:8192]
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "image.txt").write_bytes(PNG)
    (dump / "paper.txt").write_bytes(PDF)
    (dump / "paper.html").write_bytes(PDF)
    (dump / "paper.jsonl").write_bytes(PDF)
    (dump / "noise.md").write_bytes(bytes(b for b in os.urandom(20000) if b))  # no NUL, no magic number
    (dump / "logo.png").write_bytes(PNG)
    (dump / "good.txt").write_text(GOOD)
    s = _shard(dump, tmp_path / "work")
    got = _outcomes(s)
    assert got["image.txt"] == [("error", "binary file (PNG image), not text")]
    for name in ("paper.txt", "paper.html", "paper.jsonl"):
        assert got[name] == [("error", "binary file (PDF document), not text")]
        assert _file(s, name)["error"] == "binary file (PDF document), not text"
    [(status, msg)] = got["noise.md"]
    assert status == "error" and msg.startswith("binary file (") and "control bytes" in msg
    assert "unsupported file type" in _file(s, "logo.png")["skipped"] and "logo.png" not in got
    assert got["good.txt"] == [("kept", None)]


def test_text_with_a_few_control_bytes_is_still_text(tmp_path):
    p = tmp_path / "ansi.txt"
    p.write_bytes(("\x1b[1m" + GOOD + "\x0c\x08").encode())
    info, [doc] = _read_one(p)
    assert info.error is None and "harbour ferry" in doc.raw


# ---------------------------------------------------------------------------- invalid UTF-8
def test_invalid_utf8_is_decoded_with_a_recorded_encoding(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(GOOD.encode() + b"Stray bytes: \xff\xfe\xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28 end.\n")
    s = _shard(p, tmp_path / "work")
    info = s.files[0].info
    assert info.encoding and info.encoding != "utf-8" and not info.error
    assert [st for st, _ in _only(s)] == ["kept"]
    info, [doc] = _read_one(p)
    assert GOOD in doc.raw  # the valid part is intact whatever the stray bytes became
    text, enc = decode(b"\x80\x81\xfe\xff" * 10)  # nothing explains these bytes: never raises
    assert isinstance(text, str) and enc


# ---------------------------------------------------------------------------- mixed encodings
def test_file_mixing_utf8_and_cp1252_lines_decodes_each_part(tmp_path):
    utf8_line = "Le café est très apprécié à Genève — dit-il, « même en hiver »."
    cp1252_line = "À Zürich, la fête du lac a attiré des milliers de visiteurs — un record."
    data = (utf8_line + "\n").encode("utf-8") + (cp1252_line + "\n").encode("cp1252") + GOOD.encode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    p = tmp_path / "mixed.txt"
    p.write_bytes(data)
    info, [doc] = _read_one(p)
    assert info.encoding == "utf-8+cp1252"
    assert doc.raw == utf8_line + "\n" + cp1252_line + "\n" + GOOD  # no U+FFFD, no mojibake on either part
    # a JSONL file with one record pasted in from a cp1252 file: every record is read
    lines = [
        json.dumps({"text": utf8_line}, ensure_ascii=False).encode(),
        json.dumps({"text": cp1252_line}, ensure_ascii=False).encode("cp1252"),
    ]
    q = tmp_path / "mixed.jsonl"
    q.write_bytes(b"\n".join(lines))
    info, docs = _read_one(q)
    assert [d.raw for d in docs] == [utf8_line, cp1252_line]


# ---------------------------------------------------------------------------- NUL bytes
def test_nul_bytes(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "head.txt").write_bytes(b"Hello\x00world\x00" * 50)  # NULs at the start: binary
    body = (GOOD * 100).encode()
    assert len(body) > 8192
    (dump / "tail.txt").write_bytes(body + b"\x00" * 4096)  # zero-filled tail (a crash mid-write)
    (dump / "middle.txt").write_bytes(body + b"\x00\x00" + body)
    records = [
        json.dumps({"text": GOOD.replace("Monday", "Mon\u0000day")}),  # escaped NUL in the text field
        '{"text": "raw NUL byte \x00 inside a string"}',  # not valid JSON
        json.dumps({"text": GOOD2}),
    ]
    (dump / "feed.jsonl").write_text("\n".join(records))
    s = _shard(dump, tmp_path / "work")
    got = _outcomes(s)
    assert got["head.txt"] == [("error", "binary file (NUL bytes), not text")]
    assert [st for st, _ in got["tail.txt"]] == ["kept"] and [st for st, _ in got["middle.txt"]] == ["kept"]
    feed = got["feed.jsonl"]
    assert [st for st, _ in feed] == ["kept", "error", "kept"]
    assert "malformed JSON on line 2" in feed[1][1]
    for name in ("tail.txt", "middle.txt"):
        _, [doc] = _read_one(dump / name)
        assert "\x00" in doc.raw and "\x00" not in doc.text
        assert {(e.step, e.rule, e.op) for e in doc.edits} == {("read", "read:nul", "drop")}
        check_provenance(doc)
    _, docs = _read_one(dump / "feed.jsonl")
    assert "\x00" not in docs[0].text and "Monday" in docs[0].text
    check_provenance(docs[0])


# ---------------------------------------------------------------------------- malformed JSONL
def test_malformed_jsonl_lines_and_non_string_text_fields(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": GOOD}),
        '{"id": "b", "text": "truncated',
        "not json at all",
        "[" * 100_000,  # deeper than the parser's recursion limit
        '{"id": ' + "9" * 5000 + ', "text": "an integer longer than Python converts"}',
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": None}),
        json.dumps({"id": "e", "text": ["a", "list"]}),
        json.dumps({"id": "f", "text": {"an": "object"}}),
        json.dumps({"id": "g", "text": True}),
        json.dumps({"id": "h"}),
        json.dumps(["an", "array"]),
        '"a string"',
        '{"a":' * 70 + "1" + "}" * 70,  # valid, but nested beyond what we write back out
        json.dumps({"id": "i", "text": "lone surrogate \ud800 here. " + GOOD2, "title": "x\udfff"}),
        json.dumps({"id": "j", "text": GOOD2.replace("library", "libraries")}),
    ]
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(lines) + "\n")
    s = _shard(p, tmp_path / "work")
    got = _only(s)
    statuses = [st for st, _ in got]
    assert statuses == ["kept"] + ["error"] * 13 + ["kept", "kept"]
    msgs = [m for st, m in got if st == "error"]
    assert msgs[0].startswith("malformed JSON on line 2: Unterminated string")
    assert msgs[1].startswith("malformed JSON on line 3: Expecting value")
    assert msgs[2] == "malformed JSON on line 4: nested too deeply to parse"
    assert msgs[3].startswith("malformed JSON on line 5: Exceeds the limit (4300 digits)")
    assert msgs[4:10] == [
        "line 6: field 'text' is a int, not a string",
        "line 7: field 'text' is null, not a string",
        "line 8: field 'text' is a list, not a string",
        "line 9: field 'text' is a dict, not a string",
        "line 10: field 'text' is a bool, not a string",
        "line 11: field 'text' is missing",
    ]
    assert msgs[10:12] == ["line 12 is a JSON list, not an object", "line 13 is a JSON str, not an object"]
    assert msgs[12] == "line 14: JSON nested deeper than 64 levels"
    # unpaired surrogates become U+FFFD (no UTF-8 output could hold them); the work file is valid UTF-8
    _, docs = _read_one(p)
    sur = next(d for d in docs if getattr(d, "source", None) and d.source.meta.get("id") == "i")
    assert "lone surrogate \ufffd here" in sur.raw and sur.metadata["title"] == "x\ufffd"
    Path(s.path).read_bytes().decode("utf-8")


def test_null_and_float_text_fields_have_clear_messages(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"text": None}) + "\n" + json.dumps({"text": 3.5}) + "\n")
    _, items = _read_one(p)
    assert [i.message for i in items] == [
        "line 1: field 'text' is null, not a string",
        "line 2: field 'text' is a float, not a string",
    ]


# ---------------------------------------------------------------------------- gzip bombs and size caps
# Peak RSS of a child Python, from VmHWM in /proc/self/status: exec starts a new address space and
# VmHWM with it, whereas ru_maxrss keeps the high-water mark of the forked parent's image (a pytest
# process grown to 400 MB made a 77 MB reader look like 420 MB).
_PEAK_RSS = """
def _PEAK_RSS_MB():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
"""


def _bomb(path: Path, size: int) -> None:
    """A gzip file expanding to ``size`` zero bytes: one 16 MiB member of zeros repeated (gzip allows
    several members one after another), so it is written without compressing ``size`` bytes."""
    member = gzip.compress(b"\x00" * (16 << 20), compresslevel=9)
    with open(path, "wb") as fh:
        for _ in range(size // (16 << 20)):
            fh.write(member)


def test_gzip_bomb_is_capped(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    _bomb(dump / "bomb.txt.gz", 64 << 20)  # 64 MiB of zeros in about 64 KiB
    assert (dump / "bomb.txt.gz").stat().st_size < 1 << 20
    (dump / "big.txt").write_text(GOOD * 20000)  # about 4 MB uncompressed, over the cap below
    (dump / "feed.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": GOOD}).encode()))
    (dump / "truncated.txt.gz").write_bytes(gzip.compress(GOOD.encode() * 50)[:-30])
    (dump / "good.txt").write_text(GOOD2)
    s = _shard(dump, tmp_path / "work", max_bytes=1 << 20)  # launder clean --max-file-mb 1
    got = _outcomes(s)
    assert got["bomb.txt.gz"] == [("error", f"cannot read: decompressed size exceeds the {1 << 20} byte limit")]
    assert got["big.txt"] == [("error", f"cannot read: file larger than the {1 << 20} byte limit")]
    [(status, msg)] = got["truncated.txt.gz"]
    assert status == "error" and msg.startswith("cannot read: not a valid gzip file")
    assert got["feed.jsonl.gz"] == [("kept", None)] and got["good.txt"] == [("kept", None)]
    assert DEFAULT_MAX_BYTES == 256 << 20  # the default cap the CLI's --max-file-mb overrides


def test_gzip_bomb_reading_stays_within_the_cap_in_memory(tmp_path):
    """A 1 GiB bomb under a 16 MiB cap: the reader stops at the cap (peak RSS far below 1 GiB)."""
    bomb = tmp_path / "bomb.txt.gz"
    _bomb(bomb, 1 << 30)
    script = textwrap.dedent(
        f"""
        import resource
        from flows.readers import discover, read_documents
        files, _ = discover([{str(bomb)!r}])
        info, items = read_documents(files[0], max_bytes=16 << 20)
        print(info.error)
        print(_PEAK_RSS_MB())
        """
    )
    res = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS + script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    error, rss_mb = res.stdout.split("\n")[:2]
    assert error == f"cannot read: decompressed size exceeds the {16 << 20} byte limit"
    assert int(rss_mb) < 400, f"peak RSS {rss_mb} MB"  # interpreter and imports about 100 MB, the cap 16 MB


# ---------------------------------------------------------------------------- symlink loops, special files
def test_symlink_loops_and_special_files(tmp_path):
    dump = tmp_path / "dump"
    (dump / "sub").mkdir(parents=True)
    (dump / "good.txt").write_text(GOOD)
    os.symlink("self.txt", dump / "self.txt")  # a link to itself
    os.symlink("pong.txt", dump / "ping.txt")  # a two-link loop
    os.symlink("ping.txt", dump / "pong.txt")
    os.symlink("..", dump / "sub" / "up")  # a directory loop
    os.symlink("nowhere.txt", dump / "dangling.txt")
    os.symlink("good.txt", dump / "alias.txt")  # the same file twice: read once
    os.mkfifo(dump / "pipe.txt")  # opening it would block for ever
    files, errors = discover([str(dump)])
    errs = {e.display: e.message for e in errors}
    assert set(errs) == {"self.txt", "ping.txt", "pong.txt", "dangling.txt"}
    assert all(m.startswith("cannot open: ") for m in errs.values())
    assert "loop" in errs["self.txt"].lower() or "ELOOP" in errs["self.txt"] or "Too many levels" in errs["self.txt"]
    s = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), str(tmp_path / "work"), CleanConfig())
    assert _file(s, "sub/up")["skipped"] == "symlink to a directory, not followed"
    assert _file(s, "pipe.txt")["skipped"] == "not a regular file (FIFO, socket or device)"
    got = _outcomes(s)
    assert got == {"alias.txt": [("kept", None)]} or got == {"good.txt": [("kept", None)]}


# ---------------------------------------------------------------------------- unreadable files
def _can_read_mode_000(tmp_path: Path) -> bool:
    """Root (with CAP_DAC_OVERRIDE) reads a file whatever its mode: then there is nothing to test."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_text()
        return True
    except PermissionError:
        return False
    finally:
        probe.chmod(0o644)


def test_unreadable_files_and_directories(tmp_path):
    if os.geteuid() == 0 and _can_read_mode_000(tmp_path):
        pytest.skip("running as root, which reads files whatever their mode")
    dump = tmp_path / "dump"
    (dump / "locked").mkdir(parents=True)
    (dump / "locked" / "inside.txt").write_text(GOOD2)
    (dump / "secret.txt").write_text(GOOD2)
    (dump / "good.txt").write_text(GOOD)
    os.chmod(dump / "secret.txt", 0)
    os.chmod(dump / "locked", 0)
    try:
        files, errors = discover([str(dump)])
        assert [(e.display, e.message) for e in errors] == [("locked", "cannot list directory: Permission denied")]
        s = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), str(tmp_path / "work"), CleanConfig())
    finally:
        os.chmod(dump / "locked", 0o755)
        os.chmod(dump / "secret.txt", 0o644)
    got = _outcomes(s)
    assert got["secret.txt"] == [
        ("error", "cannot read: [Errno 13] Permission denied: " + repr(str(dump / "secret.txt")))
    ]
    assert got["good.txt"] == [("kept", None)]


# ---------------------------------------------------------------------------- ids that look like paths
def test_jsonl_ids_that_look_like_paths_never_become_file_names(tmp_path):
    hostile = ["../../x", "/etc/passwd", "..\\..\\win", "sub/../../../../tmp/evil", "", ".", "part-00000"]
    p = tmp_path / "feed.jsonl"
    p.write_text(
        "\n".join(json.dumps({"id": h, "text": GOOD.replace("Monday", f"Monday {i}")}) for i, h in enumerate(hostile))
    )
    out = tmp_path / "out"
    s = _shard(p, tmp_path / "work")
    run = Run("r", "2026-01-01T00:00:00+00:00", CleanConfig(), [str(p)])
    write_shard_outputs(s, str(out), {}, {}, run)
    written = sorted(q.relative_to(out) for q in out.rglob("*") if q.is_file())
    assert written == [Path("documents") / f"part-{s.key}.jsonl"]
    assert all(q.resolve().is_relative_to(out.resolve()) for q in out.rglob("*"))
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()
    recs = [json.loads(line) for line in (out / written[0]).read_text().splitlines()]
    assert [r["source"]["meta"]["id"] for r in recs] == hostile  # kept as data
    assert all(len(r["id"]) == 16 and int(r["id"], 16) >= 0 for r in recs)  # our ids are hashes


# ---------------------------------------------------------------------------- a 50 MB single line
def test_50_mb_single_line_is_cleaned_in_bounded_memory_and_linear_time(tmp_path):
    """Read and clean one 50 MB line (base64, what a single-line file in a dump usually is) in a child
    process; its peak RSS and CPU time are measured there.

    Bound: 1.5 GB. Measured 2026-11-23 on the 2-core machine: 1.11 GB peak (the text itself is 50 MB;
    strip_boilerplate's peak is most of the rest), 52 s wall at load 10. Before spacing counted a large
    document's English share without a word list, spacing alone held one tuple per word: 2.6 GB peak.
    The CPU bound only catches super-linear work (a quadratic step would take hours here).
    """
    script = textwrap.dedent(
        f"""
        import base64, random, resource, time
        from pathlib import Path
        from cleaners import clean_document
        from flows.readers import discover, read_documents
        path = Path({str(tmp_path / "line.txt")!r})
        n = 50 << 20
        path.write_text(base64.b64encode(random.Random(0).randbytes(n * 3 // 4)).decode()[:n])
        start = time.process_time()
        [f], errors = discover([str(path)])
        info, [doc] = read_documents(f)
        assert not errors and info.error is None and len(doc.raw) == n
        docs = clean_document(doc)
        print(len(docs), docs[0].rejected, len(docs[0].text))
        print(_PEAK_RSS_MB(), time.process_time() - start)
        """
    )
    res = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS + script], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr[-3000:]
    outcome, usage = res.stdout.split("\n")[:2]
    ndocs, rejected, length = outcome.split()
    assert ndocs == "1" and (rejected != "None" or int(length) > 0)  # kept, or rejected with a reason
    rss_mb, cpu_s = int(usage.split()[0]), float(usage.split()[1])
    assert rss_mb < 1536, f"peak RSS {rss_mb} MB for a 50 MB line"
    assert cpu_s < 300, f"{cpu_s:.0f} s CPU for a 50 MB line"


# ---------------------------------------------------------------------------- deeply nested HTML
def test_deeply_nested_html(tmp_path):
    depth = 100_000
    dump = tmp_path / "dump"
    dump.mkdir()
    para = "<p>The museum opened a new wing dedicated to maritime history on Saturday morning.</p>"
    (dump / "divs.html").write_text("<html><body>" + "<div>" * depth + para + "</div>" * depth + "</body></html>")
    (dump / "unclosed.html").write_text("<html><body>" + "<div><span>" * depth + para)
    (dump / "tables.html").write_text("<table><tr><td>" * 20_000 + para)
    (dump / "good.html").write_text(f"<html><body><article><p>{GOOD}</p></article></body></html>")
    s = _shard(dump, tmp_path / "work")
    got = _outcomes(s)
    assert all(not f.info.error for f in s.files)
    assert [st for st, _ in got["divs.html"]] == ["kept"] and [st for st, _ in got["unclosed.html"]] == ["kept"]
    assert got["tables.html"][0][0] in ("kept", "rejected")  # no crash; what a hostile table yields is its own business
    assert [st for st, _ in got["good.html"]] == ["kept"]
    _, [doc] = _read_one(dump / "divs.html")
    assert "maritime history" in doc.text


# ---------------------------------------------------------------------------- the whole flow
def _bad_dump(root: Path) -> tuple[Path, dict[str, str]]:
    """A dump holding every kind of bad input and two good files; path -> what the manifest must say."""
    dump = root / "dump"
    (dump / "sub").mkdir(parents=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, outcome: str) -> None:
        (dump / name).write_bytes(data)
        expect[name] = outcome

    put("good.txt", GOOD.encode(), "kept")
    put("sub/good.jsonl", json.dumps({"id": "../../good", "text": GOOD2}).encode() + b"\n", "kept")
    put("empty.txt", b"", "rejected")
    put("image.txt", PNG, "error")
    put("paper.html", PDF, "error")
    put("logo.png", PNG, "skipped")
    put(
        "invalid.txt", b"Stray bytes \xff\xfe in a note about the weather: rain all week, sun at the weekend.\n", "read"
    )
    put(
        "mixed.txt",
        "Le café est très apprécié à Genève.\n".encode() + "À Zürich, la fête du lac.\n".encode("cp1252"),
        "read",
    )
    put("nul.txt", b"Hello\x00world\x00" * 20, "error")
    put("long-line.txt", b"x" * (2 << 20), "read")  # the 50 MB case runs alone below
    put("nested.html", ("<div>" * 50_000 + "<p>Deeply nested text.</p>" + "</div>" * 50_000).encode(), "read")
    put("bad.jsonl", b'{"text": "truncated\n{"text": 5}\n' + b"[" * 100_000 + b"\n", "error")
    _bomb(dump / "bomb.txt.gz", 64 << 20)
    expect["bomb.txt.gz"] = "error"
    ids_text = "Tram Line Opens\nThe new tram line to the airport opened on Sunday, a year later than planned.\n"
    put("ids.jsonl", json.dumps({"id": "/etc/passwd", "text": ids_text}).encode(), "kept")
    os.symlink("loop.txt", dump / "loop.txt")
    expect["loop.txt"] = "error"
    os.symlink("..", dump / "sub" / "up")
    expect["sub/up"] = "skipped"
    os.mkfifo(dump / "pipe.txt")
    expect["pipe.txt"] = "skipped"
    locked = "Bakery Wins Regional Prize\nA family bakery in the old town won the regional bread prize on Friday.\n"
    put("locked.txt", locked.encode(), "read")  # unreadable, unless run as root
    os.chmod(dump / "locked.txt", 0)
    return dump, expect


@pytest.mark.flow
def test_flow_over_a_dump_of_bad_inputs(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump

    dump, expect = _bad_dump(tmp_path)
    out = tmp_path / "out"
    try:
        totals = clean_dump(inputs=[str(dump)], out=str(out), workers=2, shard_mb=1, max_file_mb=8)
    finally:
        os.chmod(dump / "locked.txt", 0o644)
    manifest = json.loads((out / "manifest.json").read_text())
    assert totals == manifest["totals"]
    files = {f["path"]: f for f in manifest["files"]}
    assert set(files) == set(expect)  # every input accounted for, once
    for path, want in expect.items():
        f = files[path]
        statuses = [o["status"] for o in f["outcomes"]]
        if want == "skipped":
            assert f.get("skipped") and not statuses, path
        elif want == "error":
            assert f.get("error") or "error" in statuses, path
            assert all(o.get("error") for o in f["outcomes"] if o["status"] == "error"), path
        elif want == "read":  # read and cleaned: each record kept or rejected with a reason (or a clear error)
            assert statuses and not f.get("error") or path == "locked.txt", path
        else:
            assert statuses == [want], (path, f)
    assert "decompressed size exceeds" in files["bomb.txt.gz"]["error"]
    assert files["image.txt"]["error"] == "binary file (PNG image), not text"
    assert files["paper.html"]["error"] == "binary file (PDF document), not text"
    assert files["mixed.txt"]["encoding"] == "utf-8+cp1252"
    assert [o["status"] for o in files["bad.jsonl"]["outcomes"]] == ["error"] * 3
    if os.geteuid() != 0:
        assert "Permission denied" in files["locked.txt"]["error"]
    kept = []
    for part in sorted((out / "documents").glob("*.jsonl")):
        kept += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
    kept_paths = {r["source"]["path"] for r in kept}
    assert {"good.txt", "sub/good.jsonl", "ids.jsonl"} <= kept_paths
    assert all(p.name.startswith("part-") for p in out.rglob("*.jsonl"))
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    assert totals["errors"] == sum(
        (1 if f.get("error") and not f["outcomes"] else 0) + sum(o["status"] == "error" for o in f["outcomes"])
        for f in manifest["files"]
    )
