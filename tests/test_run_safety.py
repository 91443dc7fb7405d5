"""Runs that are interrupted, run twice at once, resumed over changed inputs: real processes, signals and files.

Issue 13's cases 2, 3, 4, 5, 8, 10, 12, 13 and 14. Every `launder clean` here talks to the session's
running Prefect server (conftest.prefect_api), so each costs a few seconds, not a temporary server.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import output_records

pytestmark = pytest.mark.flow

LAUNDER = str(Path(sys.executable).parent / "launder")
WORDS = (
    "council budget river bridge library school harbour station market festival museum weather storm rain "
    "volunteers residents officials engineers farmers teachers police mayor minister reported announced said"
).split()


def make_dump(root: Path, files: int, seed: int = 7, name: str = "dump", paras: int = 120) -> Path:
    """``files`` distinct news-like .txt files (each a different story: no duplicates among them)."""
    rng = random.Random(seed)
    dump = root / name
    dump.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        lines = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 18))).capitalize() + ", the report said."
            for _ in range(paras)
        ]
        (dump / f"doc{i:02d}.txt").write_text(f"Report number {i} of series {seed}\n" + "\n".join(lines) + "\n")
    return dump


def launder(api: str, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api, **kw.pop("env", {})}
    # A shell's background job (`make test &` in a script) starts with SIGINT ignored, which children
    # inherit through exec, and Python then never raises KeyboardInterrupt: the SIGINT case ran on to
    # exit 0. With a handler here instead, exec gives the child SIGINT's default, as a terminal's
    # foreground job has it.
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [LAUNDER, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            **kw,
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def clean(api: str, inputs: list[Path], out: Path, *extra: str) -> subprocess.Popen:
    return launder(api, "clean", *map(str, inputs), "-o", str(out), "--workers", "2", "--shard-mb", "0.01", *extra)


def finish(p: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def wait_for(pred, timeout: float = 120, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended before the point waited for:\n{proc.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


def summaries(out: Path) -> int:
    return len(list((out / ".work").glob("*.summary.json")))


def session_processes(sid: int) -> list[int]:
    """Processes (other than the leader) of the session a test started."""
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != sid:
            try:
                if os.getsid(int(d)) == sid:
                    pids.append(int(d))
            except OSError:
                pass
    return pids


def verify(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([LAUNDER, "verify", str(out), *extra], capture_output=True, text=True, timeout=300)


def assert_consistent(out: Path) -> None:
    """No id twice; the manifest's kept and rejected documents are in documents/ and rejected/; verify passes."""
    kept, rejected = output_records(out, "documents"), output_records(out, "rejected")
    ids = [r["id"] for r in kept + rejected]
    assert len(ids) == len(set(ids)), "an id is written twice"
    r = verify(out)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


# ------------------------------------------------------------------------------------ case 10: one run at a time
def test_a_second_run_into_the_same_out_says_busy_in_one_line(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 40), tmp_path / "out"
    first = clean(prefect_api, [dump], out)
    wait_for(lambda: (out / ".work" / "run.json").exists(), proc=first)
    code, _, err = finish(clean(prefect_api, [dump], out), timeout=60)
    assert code == 2, err
    assert err.strip().count("\n") == 0 and "busy" in err, err
    code, _, err = finish(first)
    assert code == 0, err
    assert_consistent(out)
    assert len(output_records(out, "documents")) == 40


# ------------------------------------------------------------------------------------ case 12: signals
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"])
def test_a_signal_stops_the_run_in_one_line_and_no_worker_outlives_it(prefect_api, tmp_path, sig):
    dump, out = make_dump(tmp_path, 40), tmp_path / "out"
    p = clean(prefect_api, [dump], out)
    wait_for(lambda: summaries(out) >= 2, proc=p)
    assert session_processes(p.pid), "expected pool workers"
    signum = getattr(signal, sig)
    if sig == "SIGINT":
        os.killpg(p.pid, signum)  # Ctrl-C on a terminal reaches the whole foreground process group
    else:
        os.kill(p.pid, signum)
    code, stdout, err = finish(p, timeout=60)
    deadline = time.monotonic() + 15
    while session_processes(p.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(p.pid) == [], f"workers outlived the run after {sig}"
    if sig == "SIGKILL":
        assert code == -signal.SIGKILL
        return
    assert code == 128 + signum, f"stderr: {err}\nstdout: {stdout}"
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("launder: cleaning"), err
    assert lines[1].startswith("launder: interrupted by"), err
    # the run is resumed by the same command
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    assert len(output_records(out, "documents")) == 40
    assert_consistent(out)


def kill_when(p: subprocess.Popen, ready) -> None:
    wait_for(ready, proc=p)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()


# ------------------------------------------------------------------------------------ case 2: resume over changed inputs
def test_killed_while_publishing_then_inputs_touched_and_added_rerun_is_clean(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 40), tmp_path / "out"
    kill_when(clean(prefect_api, [dump], out), lambda: any((out / "documents").glob("part-*.jsonl")))
    assert (out / ".work" / "run.json").exists()
    later = time.time() + 5
    for f in dump.iterdir():
        os.utime(f, (later, later))  # touched: every shard key changes
    (make_dump(tmp_path, 1, seed=99, name="extra") / "doc00.txt").rename(dump / "new.txt")  # and one added
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    assert_consistent(out)
    manifest = json.loads((out / "manifest.json").read_text())
    kept, rejected = output_records(out, "documents"), output_records(out, "rejected")
    assert manifest["totals"]["kept"] == len(kept) and manifest["totals"]["rejected"] == len(rejected)
    assert len(kept) + len(rejected) == 41


def test_verify_catches_duplicated_missing_and_misplaced_records(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 6), tmp_path / "out"
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    assert verify(out).returncode == 0
    parts = sorted((out / "documents").glob("part-*.jsonl"))
    one = parts[0].read_text()
    parts[1].write_text(parts[1].read_text() + one)  # a record twice
    r = verify(out)
    assert r.returncode == 1 and "written 2 times" in r.stdout, r.stdout
    parts[1].write_text(parts[1].read_text().replace(one, ""))
    parts[0].unlink()  # a record missing
    r = verify(out)
    assert r.returncode == 1 and "missing from documents/" in r.stdout, r.stdout
    (out / "rejected").mkdir(exist_ok=True)
    moved = out / "rejected" / parts[0].name  # a kept record in rejected/, in a part launder could have written
    moved.write_text(one)
    r = verify(out)
    assert r.returncode == 1 and "the index has it as kept" in r.stdout, r.stdout
    moved.unlink()
    parts[0].write_text(one.replace(json.loads(one)["id"], "0123456789abcdef"))  # a record no run listed
    r = verify(out)
    assert r.returncode == 1 and "0123456789abcdef" in r.stdout and "not in the index" in r.stdout, r.stdout
    r = verify(out, "--index", str(tmp_path / "no-index.sqlite"))  # without the index, the manifest alone
    assert r.returncode == 1 and "its manifest does not list it" in r.stdout, r.stdout


# ------------------------------------------------------------------------------------ case 8: damaged work files
def test_a_truncated_work_file_is_redone_on_resume(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 40), tmp_path / "out"
    kill_when(clean(prefect_api, [dump], out), lambda: summaries(out) >= 4)
    work = sorted(
        p
        for p in (out / ".work").glob("shard-*.jsonl")
        if not p.name.endswith(".dedup.jsonl") and p.with_suffix(".summary.json").exists()
    )
    assert work
    for w in work[:2]:
        data = w.read_bytes()
        w.write_bytes(data[: data.rfind(b"\n", 0, len(data) - 1) + 1])  # its last record cut off, lines whole
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    assert len(output_records(out, "documents")) == 40
    assert_consistent(out)


# ------------------------------------------------------------------------------------ case 4: a file edited in place
FERRY = (
    "The harbour authority opened a new ferry terminal on Monday, the mayor said at the ceremony by the water. "
    "The terminal has room for two ships and a waiting hall for four hundred passengers on busy summer days.\n"
)


def test_a_file_edited_in_place_replaces_its_old_documents(prefect_api, tmp_path):
    dump, out = tmp_path / "in", tmp_path / "out"
    dump.mkdir()
    story = dump / "story.txt"
    story.write_text(FERRY)
    assert finish(clean(prefect_api, [dump], out))[0] == 0
    old_id = output_records(out, "documents")[0]["id"]
    (dump / "copy.txt").write_text(FERRY + "\n")  # a later copy: rejected as a duplicate of story.txt
    assert finish(clean(prefect_api, [dump], out))[0] == 0
    assert [r["reason"] for r in output_records(out, "rejected")] == [f"duplicate_of:{old_id}"]

    story.write_text(
        FERRY.replace("Monday", "Tuesday").replace("four hundred", "five hundred")
    )  # a near copy of itself
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    kept = output_records(out, "documents")
    assert [("Tuesday" in r["text"], "Monday" in r["text"]) for r in kept] == [(True, False)]  # the new text, only
    rejected = {r["id"]: r for r in output_records(out, "rejected")}
    assert rejected[old_id]["reason"] == f"superseded_by:{kept[0]['id']}"
    assert [r["source"]["path"] for r in rejected.values()] == ["story.txt"]  # copy.txt is released...
    assert json.loads((out / "manifest.json").read_text())["released"] == ["copy.txt"]
    assert_consistent(out)
    code, _, err = finish(clean(prefect_api, [dump], out))  # ...and the next run cleans it again
    assert code == 0, err
    (new,) = output_records(out, "documents")
    rejected = {r["source"]["path"]: r for r in output_records(out, "rejected")}
    assert "Tuesday" in new["text"] and rejected["copy.txt"]["reason"] == f"duplicate_of:{new['id']}"  # a near copy now
    assert_consistent(out)

    story.write_text(FERRY)  # back to the first version: its bytes were cleaned before, under the same path
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    assert not any("Tuesday" in r["text"] for r in output_records(out, "documents"))
    assert_consistent(out)


# ------------------------------------------------------------------------------------ case 3: serve takes settled files
def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_serve_waits_for_a_file_being_written_and_an_appended_jsonl_cleans_only_its_new_records(prefect_api, tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    rng = random.Random(3)
    stories = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + f", story {i} said." for i in range(5)]
    feed = inbox / "feed.jsonl"
    log = tmp_path / "serve.log"
    with open(log, "w") as fh:
        serve = subprocess.Popen(
            [
                LAUNDER,
                "serve",
                "--inbox",
                str(inbox),
                "-o",
                str(out),
                "--interval",
                "1",
                "--settle",
                "4",
                "--name",
                "settle-test",
                "--workers",
                "1",
            ],
            env={**os.environ, "PREFECT_API_URL": prefect_api},
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for s in stories[:3]:  # a slow writer: one record a second, ticks every second
            with open(feed, "a") as fh:
                fh.write(json.dumps({"text": s}) + "\n")
            time.sleep(1.5)

        def texts():
            return [
                json.loads(x)["text"] for p in (out / "documents").glob("*.jsonl") for x in p.read_text().splitlines()
            ]

        wait_for(lambda: len(texts()) >= 3, timeout=150)
        assert output_records(out, "rejected") == []
        with open(feed, "a") as fh:  # appended to: only the new records are cleaned into OUT
            for s in stories[3:]:
                fh.write(json.dumps({"text": s}) + "\n")
        wait_for(lambda: len(texts()) >= 5, timeout=150)
        time.sleep(6)  # a few more ticks: nothing may change
    finally:
        from .conftest import stop_process_group

        stop_process_group(serve)
    kept = output_records(out, "documents")
    assert sorted(r["text"] for r in kept) == sorted(stories), log.read_text()[-3000:]
    assert output_records(out, "rejected") == []  # the earlier records were never rejected as duplicates of themselves
    (feed_entry,) = [f for f in json.loads((out / "manifest.json").read_text())["files"] if f["path"] == "feed.jsonl"]
    assert feed_entry["continues"]["records"] == 3 and len(feed_entry["outcomes"]) == 2  # only the new lines were read
    assert_consistent(out)


# ------------------------------------------------------------------------------------ case 5: forget a representative
def test_forgetting_a_representative_makes_its_duplicates_source_clean_again(prefect_api, tmp_path):
    dump, out = tmp_path / "in", tmp_path / "out"
    dump.mkdir()
    (dump / "orig.txt").write_text(FERRY)
    (dump / "copy.txt").write_text(FERRY + "\n")  # other bytes, the same text: its duplicate
    assert finish(clean(prefect_api, [dump], out))[0] == 0
    (rep,) = [r["source"]["path"] for r in output_records(out, "documents")]
    (dup,) = [r["source"]["path"] for r in output_records(out, "rejected")]
    assert {rep, dup} == {"orig.txt", "copy.txt"}
    code, stdout, err = finish(launder(prefect_api, "forget", rep, "-o", str(out)))
    assert code == 0, err
    assert f"forgot {dup}" in stdout, stdout
    (dump / rep).unlink()  # the operator wanted that file gone, not its text
    code, stdout, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    kept = output_records(out, "documents")
    assert [r["source"]["path"] for r in kept] == [dup] and "ferry terminal" in kept[0]["text"], stdout
    assert output_records(out, "rejected") == []
    assert_consistent(out)


# ------------------------------------------------------------------------------------ case 13: memory per document
SHARD_PROBE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))  # a run-away read fails here, not the machine
from flows.readers import discover
from flows.shard import ShardSpec, clean_shard_files
from cleaners import CleanConfig
files, _ = discover([sys.argv[1]])
summary = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), sys.argv[2], CleanConfig())
print(json.dumps({"docs": [d._asdict() for d in summary.docs], "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_a_zero_padded_200_mb_file_keeps_its_text_in_bounded_memory_and_a_huge_record_is_an_error(tmp_path):
    dump, work = tmp_path / "in", tmp_path / "work"
    dump.mkdir()
    padded = dump / "padded.txt"
    text = make_dump(tmp_path, 1, paras=500, name="text") / "doc00.txt"
    body = text.read_bytes()
    assert len(body) > 40_000
    with open(padded, "wb") as fh:
        fh.write(body)
        fh.truncate(200 * 2**20)  # a zero-filled tail (sparse: costs no disk)
    (dump / "huge.jsonl").write_text(
        json.dumps({"text": "word " * (14 * 2**20)}) + "\n" + json.dumps({"text": FERRY}) + "\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", SHARD_PROBE, str(dump), str(work)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]
    result = json.loads(r.stdout.splitlines()[-1])
    docs = {(d["order"][0], d["order"][1]): d for d in result["docs"]}
    kept = [d for d in result["docs"] if d["status"] == "kept"]
    assert len(kept) == 2, result["docs"]  # the padded file's text and the small JSONL record
    errors = [d for d in result["docs"] if d["status"] == "error"]
    assert len(errors) == 1 and "larger than the 64 MB limit" in errors[0]["reason"], errors
    assert len(docs) == 3
    assert result["rss_mb"] < 800, result["rss_mb"]
    assert sum(p.stat().st_size for p in work.iterdir()) < 2 * 2**20  # no raw tail written to the work files


# ------------------------------------------------------------------------------------ case 14: the server dies mid-run
def _start_server(home: Path) -> tuple[subprocess.Popen, str]:
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url + "/health", timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                raise RuntimeError("prefect server did not start within 180 s") from None
            time.sleep(0.5)


def test_losing_the_prefect_server_fails_the_run_in_bounded_time_and_the_rerun_completes_it(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 40), tmp_path / "out"
    server, url = _start_server(tmp_path / "home")
    try:
        p = clean(url, [dump], out)
        wait_for(lambda: summaries(out) >= 2, proc=p)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    killed = time.monotonic()
    try:
        code, _, err = finish(p, timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        raise AssertionError("the run hung after its Prefect server died") from None
    assert time.monotonic() - killed < 60
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 2 and "lost the Prefect server" in lines[1], err
    code, _, err = finish(clean(prefect_api, [dump], out))  # the rerun, with a server, completes the run
    assert code == 0, err
    assert len(output_records(out, "documents")) == 40 and not (out / ".work").exists()
    assert_consistent(out)


def test_a_deleted_documents_part_is_caught_by_verify_and_cleaned_again_by_the_rerun(prefect_api, tmp_path):
    dump, out = make_dump(tmp_path, 6), tmp_path / "out"
    assert finish(clean(prefect_api, [dump], out))[0] == 0
    parts = sorted((out / "documents").glob("part-*.jsonl"))
    lost = json.loads(parts[0].read_text().splitlines()[0])["source"]["path"]
    parts[0].unlink()
    r = verify(out)
    assert r.returncode == 1 and "missing from documents/" in r.stdout, r.stdout
    code, _, err = finish(clean(prefect_api, [dump], out))
    assert code == 0, err
    kept = output_records(out, "documents")
    assert len(kept) == 6 and lost in {r["source"]["path"] for r in kept}
    assert_consistent(out)


def test_outputs_sharing_one_index_are_checked_and_repaired_each_against_its_own_runs(prefect_api, tmp_path):
    a, b = make_dump(tmp_path, 3, seed=1, name="a"), make_dump(tmp_path, 3, seed=2, name="b")
    shared = tmp_path / "shared.sqlite"
    for dump, out in ((a, tmp_path / "out-a"), (b, tmp_path / "out-b")):
        code, _, err = finish(clean(prefect_api, [dump], out, "--index", str(shared)))
        assert code == 0, err
    code, _, err = finish(clean(prefect_api, [a], tmp_path / "out-a", "--index", str(shared)))  # a no-op rerun
    assert code == 0 and "missing" not in err, err
    for out in (tmp_path / "out-a", tmp_path / "out-b"):
        assert len(output_records(out, "documents")) == 3
        r = verify(out, "--index", str(shared))
        assert r.returncode == 0, r.stdout[-2000:]
