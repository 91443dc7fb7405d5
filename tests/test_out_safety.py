"""Issue 13: launder never loses or corrupts data in OUT, its index or the inputs (cases 1, 6, 7, 9, 11,
15, 16, 17 and 18).

Real `launder` processes on real files. Errors found before the flow starts cost a fraction of a
second; runs use the session's `prefect server start` (the `prefect_api` fixture, about 3 s a run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, _free_port


def output_records(out: Path, sub: str) -> list[dict]:
    """The records of launder's part files (part-<hex>.jsonl) in OUT/<sub>; a user's files there are not read."""
    parts = sorted(p for p in Path(out, sub).glob("part-*.jsonl") if re.fullmatch(r"part-[0-9a-f]+\.jsonl", p.name))
    return [json.loads(line) for p in parts for line in p.read_text(encoding="utf-8").splitlines()]


LAUNDER = str(Path(sys.executable).parent / "launder")

FERRY = (
    "Harbour Ferry Returns After Repairs\n"
    "The harbour ferry returned to service on Monday after three weeks of repairs to its engines.\n"
    "Passengers queued from early morning, and the operator said the timetable would be kept in full.\n"
)
LIBRARY = (
    "Library Extends Opening Hours\n"
    "The central library will stay open until nine in the evening from next month, the council said.\n"
    "Longer hours were the most common request in a survey of more than two thousand residents.\n"
)
ROAD = (
    "Storm Closes Coast Road\n"
    "Heavy rain closed the coast road on Sunday night, the police said after a long and difficult evening.\n"
    "Drivers were sent inland through the hills while crews cleared mud and fallen trees from the carriageway.\n"
)


def launder(
    *args: str, api: str | None = None, cwd: Path | str | None = None, env: dict | None = None, timeout: float = 300
):
    """Run the launder command; without ``api`` no Prefect server is configured (for errors found before a run)."""
    e = {**os.environ, **(env or {})}
    e.pop("PREFECT_API_URL", None)
    if api:
        e["PREFECT_API_URL"] = api
    return subprocess.run([LAUNDER, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT, env=e)


def one_line_error(r: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 2 and a single `launder: error:` line on stderr holding each needle (no traceback)."""
    lines = [line for line in r.stderr.splitlines() if not line.startswith("launder: cleaning")]
    assert r.returncode == 2, (r.returncode, r.stderr[-3000:])
    assert len(lines) == 1 and lines[0].startswith("launder: error: "), r.stderr[-3000:]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def ok(r: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    return r


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root and its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_dump(root: Path, texts: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def verified(out: Path, cwd: Path | str | None = None) -> str:
    r = launder("verify", str(out), cwd=cwd)
    assert r.returncode == 0 and " 0 provenance problems" in r.stdout, r.stdout + r.stderr
    return r.stdout


# ---------------------------------------------------------------------------- case 6: configuration values
@pytest.mark.parametrize(
    "toml, key",
    [
        ("[dedup.near]\nthreshold = -1\n", "dedup.near.threshold"),
        ("[dedup.near]\nshingle_words = 0\n", "dedup.near.shingle_words"),
        ("[dedup.passages]\nmin_docs = -1\n", "dedup.passages.min_docs"),
        ('min_chars = "200"\n', "min_chars"),
        ('[spacing]\nenabled = "no"\n', "spacing.enabled"),
        ('[language]\nparagraphs = "sometimes"\n', "language.paragraphs"),
        ('[html]\ncomments = "sometimes"\n', "html.comments"),
        ("[dedup.near]\nbands = 64\n", "dedup.near.bands"),
    ],
)
def test_a_bad_configuration_value_is_one_line_naming_the_key_before_anything_is_read(tmp_path, toml, key):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    cfg = tmp_path / "launder.toml"
    cfg.write_text(toml)
    out = tmp_path / "out"
    one_line_error(launder("clean", str(dump), "-o", str(out), "--config", str(cfg)), f"configuration key {key}")
    assert not out.exists()  # refused before OUT (or anything else) was touched
    one_line_error(launder("config", "--show", "--config", str(cfg)), key)


# ---------------------------------------------------------------------------- case 1: only launder's own files
def test_a_non_empty_directory_that_is_not_launders_is_refused(tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    out = make_dump(tmp_path / "mine", {"notes.txt": "my notes", "documents/keep.jsonl": "{}\n", "manifest.json": "{}"})
    before = tree(out)
    for extra in ([], ["--rebuild"]):
        one_line_error(launder("clean", str(dump), "-o", str(out), *extra), "not a launder output directory")
        assert tree(out) == before


def test_an_index_that_is_not_launders_is_refused_and_left_alone(tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not an index\n")
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Ada')")
    con.commit()
    con.close()
    kept = {p: p.read_bytes() for p in (notes, other)}
    for index in (notes, other):
        for extra in ([], ["--rebuild"]):
            one_line_error(
                launder("clean", str(dump), "-o", str(tmp_path / "out"), "--index", str(index), *extra),
                str(index),
                "not a launder index",
            )
    assert {p: p.read_bytes() for p in kept} == kept
    for index in ("/dev/null", str(tmp_path)):  # a device, a directory
        one_line_error(launder("clean", str(dump), "-o", str(tmp_path / "out"), "--index", index), "not a regular file")


@pytest.mark.flow
def test_rebuild_removes_only_launders_files_and_an_older_out_is_adopted(prefect_api, tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY, "b.txt": LIBRARY})
    out = tmp_path / "out"
    ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    assert json.loads((out / ".launder").read_text()) == {"launder": "output", "format": 1}
    theirs = {
        "documents/notes.jsonl": '{"mine": true}\n',
        "documents/part-mine.jsonl": "not launder's either\n",
        "rejected/README": "why these were rejected",
        "runs/summary.json": "{}",
        "runs/.draft.tmp": "a user's temp file",
        "notes.txt": "keep me",
        ".hidden.tmp": "a user's temp file",
    }
    make_dump(out, theirs)
    ok(launder("clean", str(dump), "-o", str(out), "--rebuild", api=prefect_api))
    for name, text in theirs.items():
        assert (out / name).read_text() == text, name
    assert len(output_records(out, "documents")) >= 2  # the parts launder wrote (part-<hex>.jsonl) are back
    assert manifest(out)["totals"]["kept"] == 2
    # verify and forget read launder's part files only
    verified(out)

    # an OUT made before the marker existed (no .launder): recognized by its layout and adopted
    (out / ".launder").unlink()
    r = ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    assert "nothing new" in r.stdout
    assert (out / ".launder").exists()

    # someone else's manifest.json or report.md in OUT is never overwritten
    (out / "report.md").write_text("# My report\n")
    one_line_error(launder("clean", str(dump), "-o", str(out), api=prefect_api), "report.md", "not written by launder")
    assert (out / "report.md").read_text() == "# My report\n"


def test_a_folder_holding_only_a_placeholder_is_empty_and_keeps_it(prefect_api, tmp_path):
    # the project's own clean/ holds a .keep file so that git keeps the folder: `make run` cleans into it
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    out = make_dump(tmp_path / "clean", {".keep": ""})
    for extra in ([], ["--rebuild"]):
        ok(launder("clean", str(dump), "-o", str(out), *extra, api=prefect_api))
        assert (out / ".keep").exists()
    assert manifest(out)["totals"]["kept"] == 1


# ---------------------------------------------------------------------------- case 7: --text-field no record has
@pytest.mark.flow
def test_a_text_field_no_record_has_is_an_error_and_the_file_is_cleaned_by_the_next_run(prefect_api, tmp_path):
    dump = tmp_path / "in"
    dump.mkdir()
    (dump / "feed.jsonl").write_text(
        "\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate((FERRY, LIBRARY))) + "\n"
    )
    out = tmp_path / "out"
    r = launder("clean", str(dump), "-o", str(out), "--text-field", "body", api=prefect_api)
    one_line_error(r, "feed.jsonl", "'body'", "--text-field")
    [entry] = manifest(out)["files"]
    assert "no record has the field 'body'" in entry["error"]
    assert output_records(out, "documents") == []
    r = ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))  # the right field: cleaned now
    assert "nothing new" not in r.stdout
    assert manifest(out)["totals"]["kept"] == 2 and len(output_records(out, "documents")) == 2
    # verify reads each run's records with the text field that run was given
    body = make_dump(tmp_path / "body", {})
    (body / "feed.jsonl").write_text(json.dumps({"body": ROAD}) + "\n")
    ok(launder("clean", str(body), "-o", str(out), "--text-field", "body", api=prefect_api))
    verified(out)
    # a file whose records all failed (here: not one line of JSON) is not marked cleaned either
    (dump / "broken.jsonl").write_text("{not json\n[also not\n")
    ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    with sqlite3.connect(out / "index.sqlite") as con:
        paths = {p for (p,) in con.execute("SELECT path FROM files")}
    assert paths == {"feed.jsonl"}


# ---------------------------------------------------------------------------- case 9: same name in two inputs
@pytest.mark.flow
def test_two_inputs_holding_the_same_file_name_give_distinct_sources_and_ids(prefect_api, tmp_path):
    a = make_dump(tmp_path / "a", {"story.txt": FERRY, "other.txt": ROAD})
    b = make_dump(tmp_path / "b", {"story.txt": FERRY})  # the same file under the same name
    out = tmp_path / "out"
    ok(launder("clean", "a", "b", "-o", str(out), api=prefect_api, cwd=tmp_path))
    recs = output_records(out, "documents") + output_records(out, "rejected")
    ids = [r["id"] for r in recs]
    paths = sorted(r["source"]["path"] for r in recs)
    assert len(ids) == len(set(ids)) == 3
    assert paths == ["a/other.txt", "a/story.txt", "b/story.txt"]
    [dup] = output_records(out, "rejected")
    assert dup["source"]["path"] == "b/story.txt" and dup["reason"].startswith("duplicate_of:")
    assert sorted(f["path"] for f in manifest(out)["files"]) == paths
    verified(out, cwd=tmp_path)
    assert a.exists() and b.exists()


# ---------------------------------------------------------------------------- case 11: a file name that is not UTF-8
@pytest.mark.flow
def test_a_file_name_that_is_not_utf8_is_cleaned_under_an_escaped_name(prefect_api, tmp_path):
    dump = make_dump(tmp_path / "in", {"ok.txt": LIBRARY})
    (Path(os.fsdecode(bytes(dump))) / os.fsdecode(b"caf\xe9 news.txt")).write_text(FERRY)
    out = tmp_path / "out"
    ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    paths = sorted(r["source"]["path"] for r in output_records(out, "documents"))
    assert paths == ["caf\\xe9 news.txt", "ok.txt"]
    assert sorted(f["path"] for f in manifest(out)["files"]) == paths
    verified(out)
    r = ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    assert "nothing new" in r.stdout


# ---------------------------------------------------------------------------- case 15: OUT inside the input
@pytest.mark.flow
def test_out_and_the_index_inside_the_input_are_never_read_as_input(prefect_api, tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    out = dump / "clean"
    index = dump / "dedup.sqlite"
    ok(launder("clean", str(dump), "-o", str(out), "--index", str(index), api=prefect_api))
    r = ok(launder("clean", str(dump), "-o", str(out), "--index", str(index), api=prefect_api))
    assert "nothing new" in r.stdout
    (dump / "b.txt").write_text(LIBRARY)
    ok(launder("clean", str(dump), "-o", str(out), "--index", str(index), api=prefect_api))
    paths = sorted(r["source"]["path"] for r in output_records(out, "documents") + output_records(out, "rejected"))
    assert paths == ["a.txt", "b.txt"]
    assert [f["path"] for f in manifest(out)["files"]] == ["a.txt", "b.txt"]
    verified(out)


# ---------------------------------------------------------------------------- case 16: symlinks
@pytest.mark.flow
def test_symlinks_are_followed_only_within_the_input_unless_asked(prefect_api, tmp_path):
    secret = make_dump(tmp_path / "private", {"passwd.txt": ROAD})
    dump = make_dump(tmp_path / "in", {"real/story.txt": FERRY})
    (dump / "passwd.txt").symlink_to(secret / "passwd.txt")
    (dump / "private").symlink_to(secret, target_is_directory=True)
    (dump / "alias.txt").symlink_to(dump / "real" / "story.txt")  # inside the tree: followed (read once)
    out = tmp_path / "out"
    ok(launder("clean", str(dump), "-o", str(out), api=prefect_api))
    texts = " ".join(r["text"] for r in output_records(out, "documents") + output_records(out, "rejected"))
    assert "coast road" not in texts and "harbour ferry" in texts
    files = {f["path"]: f for f in manifest(out)["files"]}
    assert (
        "outside the input" in files["passwd.txt"]["skipped"] and "--follow-symlinks" in files["passwd.txt"]["skipped"]
    )
    assert files["private"]["skipped"] == "symlink to a directory, not followed"

    out2 = tmp_path / "out2"
    ok(launder("clean", str(dump), "-o", str(out2), "--follow-symlinks", api=prefect_api))
    paths = sorted(r["source"]["path"] for r in output_records(out2, "documents") + output_records(out2, "rejected"))
    assert "passwd.txt" in paths and any("coast road" in r["text"] for r in output_records(out2, "documents"))
    verified(out2)


# ---------------------------------------------------------------------------- case 17: runs over other inputs
@pytest.mark.flow
def test_verify_finds_every_runs_inputs_from_any_directory(prefect_api, tmp_path):
    make_dump(tmp_path / "a", {"one.txt": FERRY})
    make_dump(tmp_path / "b", {"two.txt": LIBRARY})
    ok(launder("clean", "a", "-o", "out", api=prefect_api, cwd=tmp_path))
    ok(launder("clean", "b", "-o", "out", api=prefect_api, cwd=tmp_path))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = verified(tmp_path / "out", cwd=elsewhere)
    assert "2 documents checked" in out
    assert verified(Path("out"), cwd=tmp_path)
    with sqlite3.connect(tmp_path / "out" / "index.sqlite") as con:
        roots = {os.fsdecode(r) for (r,) in con.execute("SELECT root FROM inputs")}
    assert roots == {str(tmp_path / "a"), str(tmp_path / "b")}


# ---------------------------------------------------------------------------- case 18: one line, exit 2
def test_damaged_or_locked_index_and_odd_index_paths_are_one_line_errors(tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".launder").write_text('{"launder": "output", "format": 1}')
    ix = out / "index.sqlite"
    ix.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))  # a SQLite header and garbage
    one_line_error(launder("clean", str(dump), "-o", str(out)), "index.sqlite is damaged (")
    assert ix.read_bytes().startswith(b"SQLite format 3\x00")
    ix.write_bytes(os.urandom(3000))  # launder's own index in launder's OUT, overwritten: damaged too
    one_line_error(launder("clean", str(dump), "-o", str(out)), "index.sqlite is damaged (", "--rebuild")

    ix.unlink()
    from flows.index import Index

    Index(ix).close()
    holder = sqlite3.connect(ix, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        one_line_error(
            launder("clean", str(dump), "-o", str(out), timeout=120), "index.sqlite is locked by another process"
        )
    finally:
        holder.close()


def test_unwritable_prefect_home_and_a_dead_prefect_api_are_one_line_errors(tmp_path):
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY})
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"HOME": str(blocker / "home")}
    e = {k: v for k, v in os.environ.items() if k != "PREFECT_HOME"}
    r = subprocess.run(
        [LAUNDER, "clean", str(dump), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**{k: v for k, v in e.items() if k != "PREFECT_API_URL"}, **env},
    )
    one_line_error(r, "PREFECT_HOME")
    dead = f"http://127.0.0.1:{_free_port()}/api"
    one_line_error(launder("clean", str(dump), "-o", str(tmp_path / "out2"), api=dead), "PREFECT_API_URL", dead)


def test_forget_refuses_an_empty_pattern(tmp_path):
    from flows.index import Index

    out = tmp_path / "out"
    out.mkdir()
    with Index(out / "index.sqlite") as ix:
        ix.add_file("f" * 64, "/abs/a.txt", "run1")
    for pattern in ("", "/", "  "):
        one_line_error(launder("forget", pattern, "-o", str(out)), "refusing to forget")
    with Index(out / "index.sqlite") as ix:
        assert ix.stats()["files"] == 1


def test_a_damaged_part_file_is_a_one_line_error_naming_it(tmp_path):
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    (out / "manifest.json").write_text(
        json.dumps({"pipeline_version": "0.3.0", "run_id": "r", "totals": {}, "files": [], "inputs": []})
    )
    part = out / "documents" / "part-0123456789abcdef.jsonl"
    part.write_bytes(b'{"id": "x", "text": "cut off he')
    one_line_error(launder("verify", str(out)), f"{part} is damaged at line 1")
    from flows.index import Index

    Index(out / "index.sqlite").close()
    one_line_error(launder("forget", "a.txt", "-o", str(out)), f"{part} is damaged at line 1")


def test_utf16_without_a_byte_order_mark_is_read_as_text(tmp_path):
    from flows.readers import discover, read_documents

    for enc in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(FERRY.replace("Monday", "Monday – naïvely").encode(enc))
        [f], _ = discover([str(p)])
        info, [doc] = read_documents(f)
        assert info.error is None and info.encoding == enc
        assert doc.raw == FERRY.replace("Monday", "Monday – naïvely")


def _mount_tmpfs_possible() -> bool:
    if not shutil.which("unshare"):
        return False
    r = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return r.returncode == 0


@pytest.mark.flow
def test_a_full_disk_is_a_one_line_error(prefect_api, tmp_path):
    if not _mount_tmpfs_possible():
        pytest.skip("needs unshare -rm to mount a small tmpfs (a user namespace)")
    words = "council budget river bridge library school harbour station market festival museum weather".split()
    import random

    rng = random.Random(1)
    text = "\n".join(
        " ".join(rng.choice(words) for _ in range(14)).capitalize() + ", the report said." for _ in range(3000)
    )
    dump = make_dump(tmp_path / "in", {"big.txt": text})
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f'mount -t tmpfs -o size=100k tmpfs "{disk}" && exec "{LAUNDER}" clean "{dump}" -o "{disk}/out"'
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300, env=env)
    one_line_error(r, "no space left")


@pytest.mark.flow
def test_a_damaged_work_file_never_ends_in_a_traceback(prefect_api, tmp_path):
    """A run killed and its work files damaged: the rerun redoes them (exit 0) or says so in one line (exit 2)."""
    dump = make_dump(tmp_path / "in", {"a.txt": FERRY, "b.txt": LIBRARY})
    ref = tmp_path / "ref"
    ok(launder("clean", str(dump), "-o", str(ref), api=prefect_api))
    out = tmp_path / "out"
    shutil.copytree(ref, out)
    for p in [
        out / "manifest.json",
        out / "report.md",
        *out.glob("documents/*"),
        *out.glob("runs/*"),
        out / "index.sqlite",
    ]:
        p.unlink()
    # what a run killed after phase 1 leaves: run.json and the shards' files, here damaged
    work = out / ".work"
    work.mkdir()
    (work / "run.json").write_text(json.dumps({"run_id": "0123456789ab", "started": "2026-01-01T00:00:00+00:00"}))
    from flows.readers import discover
    from flows.shard import ShardSpec, clean_shard_files
    from cleaners import CleanConfig

    files, _ = discover([str(dump)])
    summary = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), str(work), CleanConfig())
    Path(summary.path).write_bytes(Path(summary.path).read_bytes()[:50])  # truncated work file
    r = launder("clean", str(dump), "-o", str(out), api=prefect_api)
    assert "Traceback" not in r.stderr
    if r.returncode == 0:
        assert manifest(out)["totals"]["kept"] == 2
        verified(out)
    else:
        one_line_error(r, "is damaged")


def test_follow_symlinks_walks_linked_directories_once_and_never_loops(tmp_path):
    from flows.readers import discover

    outside = make_dump(tmp_path / "outside", {"far.txt": ROAD})
    dump = make_dump(tmp_path / "in", {"sub/a.txt": FERRY})
    (dump / "sub" / "up").symlink_to("..", target_is_directory=True)  # a loop
    (dump / "sub" / "again").symlink_to(dump / "sub", target_is_directory=True)  # a loop too
    (dump / "far").symlink_to(outside, target_is_directory=True)
    files, errors = discover([str(dump)], follow_symlinks=True)
    assert not errors
    assert sorted(f.display for f in files) == ["far/far.txt", "sub/a.txt"]
    files, _ = discover([str(dump)])
    assert {f.display: f.skip for f in files} == {
        "far": "symlink to a directory, not followed",
        "sub/a.txt": None,
        "sub/again": "symlink to a directory, not followed",
        "sub/up": "symlink to a directory, not followed",
    }
