"""End to end: launder in a shell pipeline (stdin, --stdout, a reader that goes away) and the flow
as a Prefect subflow of another flow."""

from __future__ import annotations

import io
import json
import os
import random
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from flows.verify import verify_output

from .conftest import output_records

pytestmark = pytest.mark.flow

LAUNDER = str(Path(sys.executable).parent / "launder")
WORDS = (
    "council budget river bridge library school harbour station market festival museum weather storm rain "
    "volunteers residents officials engineers farmers teachers police mayor minister reported announced said "
    "morning evening north south city village road railway hospital garden orchard theatre"
).split()


def _story(rng: random.Random, n: int, sentences: int = 8) -> str:
    lines = [f"Report {n} from the valley"]
    for _ in range(sentences):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 20))).capitalize() + ", officials said.")
    return "\n".join(lines) + "\n"


def _feed(path: Path, records: int, seed: int, extra: list[str] = ()) -> list[str]:
    rng = random.Random(seed)
    stories = [_story(rng, seed * 10000 + i) for i in range(records)]
    lines = [json.dumps({"text": s, "n": i}) for i, s in enumerate(stories)] + list(extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stories


def _part_lines(out: Path) -> list[str]:
    return [
        line
        for part in sorted((out / "documents").glob("part-*.jsonl"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]


def _clean(*args: str, stdin: Path, api: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("PREFECT_API_URL", None)
    if api:
        env["PREFECT_API_URL"] = api
    with open(stdin, "rb") as fh:
        return subprocess.run([LAUNDER, "clean", *args], stdin=fh, capture_output=True, env=env, timeout=300)


def test_stdin_in_stdout_out_and_reruns(prefect_api, tmp_path):
    feed = tmp_path / "feed.jsonl"
    stories = _feed(feed, 6, seed=1, extra=[json.dumps({"text": "", "n": 6}), "{broken", json.dumps({"body": "x"})])
    with open(feed, "a", encoding="utf-8") as fh:  # an exact duplicate of the first record
        fh.write(json.dumps({"text": stories[0].upper(), "n": 9}) + "\n")
    out = tmp_path / "out"

    r = _clean("-", "-o", str(out), "--stdout", "--workers", "1", stdin=feed, api=prefect_api)
    assert r.returncode == 0, r.stderr.decode()
    lines = r.stdout.decode("utf-8").splitlines()
    docs = [json.loads(line) for line in lines]  # nothing but JSON lines
    assert lines == _part_lines(out)  # the documents/ records, byte for byte
    assert [d["source"]["record"] for d in docs] == list(range(6))  # input order
    assert [d["text"] for d in docs] == [s.strip() for s in stories]
    stderr = r.stderr.decode()
    assert "launder: 1 files, 8 documents: 6 kept, 2 rejected (duplicate_of 1, empty 1), 2 errors" in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"] == ["-"] and manifest["input_roots"] == ["-"]
    (entry,) = manifest["files"]
    assert entry["path"].startswith("<stdin>/") and entry["path"].endswith("/00000.jsonl")
    assert [o["status"] for o in entry["outcomes"]] == ["kept"] * 6 + ["rejected", "error", "error", "rejected"]
    assert {d["source"]["path"] for d in docs} == {entry["path"]}
    assert not (out / ".work").exists()  # the copy of stdin went with the work files

    # the same bytes again: skipped like a file cleaned before; nothing on stdout, OUT unchanged
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix == ".jsonl"}
    r = _clean("-", "-o", str(out), "--stdout", stdin=feed, api=prefect_api)
    assert r.returncode == 0 and r.stdout == b""
    assert "nothing new" in r.stderr.decode()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix == ".jsonl"} == before

    # another stream: new sources, deduplicated against the first; the first run's documents stay
    feed2 = tmp_path / "feed2.jsonl"
    stories2 = _feed(feed2, 3, seed=2, extra=[json.dumps({"text": stories[1]})])
    r = _clean("-", "-o", str(out), "--stdout", stdin=feed2, api=prefect_api)
    assert r.returncode == 0, r.stderr.decode()
    docs2 = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [d["text"] for d in docs2] == [s.strip() for s in stories2]
    rejected = output_records(out, "rejected")
    assert any(rec["reason"] == f"duplicate_of:{docs[1]['id']}" for rec in rejected)
    assert not any(rec["reason"].startswith("superseded_by:") for rec in rejected)
    assert {d["id"] for d in docs} | {d["id"] for d in docs2} == {d["id"] for d in output_records(out, "documents")}

    unread: list[str] = []
    checked, problems = verify_output(out, unread=unread)
    assert problems == [] and checked == 0 and len(unread) == 8 + 4  # kept and rejected records of both runs

    # a file and standard input in one run: the file's documents first, as given
    (tmp_path / "story.txt").write_text(_story(random.Random(3), 3))
    feed3 = tmp_path / "feed3.jsonl"
    _feed(feed3, 2, seed=4)
    r = _clean(str(tmp_path / "story.txt"), "-", "-o", str(out), "--stdout", stdin=feed3, api=prefect_api)
    assert r.returncode == 0, r.stderr.decode()
    paths = [json.loads(line)["source"]["path"] for line in r.stdout.decode().splitlines()]
    assert (
        paths[0] == str(tmp_path / "story.txt") and len(paths) == 3 and all(p.startswith("<stdin>/") for p in paths[1:])
    )


def test_a_reader_that_goes_away_ends_the_run_cleanly(tmp_path):
    """`launder clean - --stdout < feed | head -1`, with Prefect's temporary server (no PREFECT_API_URL)."""
    feed = tmp_path / "feed.jsonl"
    _feed(feed, 200, seed=5)  # about 1 MB of records on stdout: far more than a pipe holds
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    cmd = f"set -o pipefail; {shlex.quote(LAUNDER)} clean - -o {shlex.quote(str(out))} --stdout < {shlex.quote(str(feed))} | head -1"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.splitlines()
    assert json.loads(line)["source"]["record"] == 0
    assert "launder: standard output was closed after" in r.stderr and "of 200 kept documents" in r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr and "BrokenPipe" not in r.stderr
    assert len(output_records(out, "documents")) == 200  # the run is complete in OUT
    assert json.loads((out / "manifest.json").read_text())["totals"]["kept"] == 200


def test_clean_dump_runs_as_a_subflow_of_another_flow(prefect_server, tmp_path):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId
    from prefect.runtime import flow_run

    import launder

    dump = tmp_path / "dump"
    dump.mkdir()
    rng = random.Random(6)
    for i in range(3):
        (dump / f"s{i}.txt").write_text(_story(rng, i))
    (dump / "copy.txt").write_text((dump / "s0.txt").read_text())

    @flow(name="nightly-corpus")
    def nightly(raw: str, out: str) -> dict:
        totals = launder.clean_dump(inputs=[raw], out=out, workers=1)
        return {"parent": flow_run.get_id(), "totals": totals}

    result = nightly(str(dump), str(tmp_path / "out"))
    assert result["totals"]["kept"] == 3 and result["totals"]["reasons"] == {"duplicate_of": 1}
    assert len(output_records(tmp_path / "out", "documents")) == 3
    with get_client(sync_client=True) as client:
        children = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[result["parent"]]))
        )
        names = {client.read_flow(c.flow_id).name for c in children}
    assert names == {"clean-dump"} and all(c.state.is_completed() for c in children)


def test_stdin_in_many_chunks_and_shards_comes_out_in_input_order(prefect_server, tmp_path, monkeypatch):
    """The flow called from Python with input '-' (standard input replaced), chunks of about 3 KB."""
    import flows.stdio
    from flows.clean_dump import clean_dump
    from flows.stdio import kept_lines

    feed = tmp_path / "feed.jsonl"
    stories = _feed(feed, 40, seed=7)
    monkeypatch.setattr(flows.stdio, "CHUNK_BYTES", 3000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed.read_bytes())))
    out = tmp_path / "out"
    totals = clean_dump(inputs=["-"], out=str(out), workers=2, shard_mb=0.004)
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["files"]) >= 10 and manifest["shards"]["count"] >= 5
    assert totals["kept"] == 40
    docs = [json.loads(line) for line in kept_lines(out)]
    assert [d["source"]["meta"]["n"] for d in docs] == list(range(40))
    assert [d["text"].split("\n", 1)[0] for d in docs] == [s.split("\n", 1)[0] for s in stories]
