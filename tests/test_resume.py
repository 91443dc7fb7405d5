"""A run killed with SIGKILL at several points, then started again, gives exactly the uninterrupted output."""

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

from .conftest import outputs_without_run_id

pytestmark = pytest.mark.flow

WORDS = (
    "council budget river bridge library school harbour station market festival museum weather storm rain "
    "volunteers residents officials engineers farmers teachers police mayor minister reported announced said"
).split()


def _make_dump(root: Path, files: int = 10) -> Path:
    rng = random.Random(7)
    dump = root / "dump"
    dump.mkdir()
    for i in range(files):
        paras = []
        for _ in range(400):
            sent = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 18)))
            paras.append(sent.capitalize() + ", the report said on Monday.")
        (dump / f"doc{i:02d}.txt").write_text(f"Report number {i} from the valley\n" + "\n".join(paras) + "\n")
    return dump


def _run(dump: Path, out: Path, api: str) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api}
    cmd = [
        str(Path(sys.executable).parent / "launder"),
        "clean",
        str(dump),
        "-o",
        str(out),
        "--workers",
        "1",
        "--shard-mb",
        "0.01",
    ]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _outputs(out: Path) -> dict:
    docs = outputs_without_run_id(out)
    manifest = json.loads((out / "manifest.json").read_text())
    return {"docs": docs, "totals": manifest["totals"], "files": manifest["files"]}


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 240) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.kill()
    raise AssertionError("kill point never reached")


KILL_POINTS = {
    "mid-cleaning": lambda out: len(list((out / ".work").glob("*.summary.json"))) >= 3,
    "mid-writing": lambda out: len(list((out / "documents").glob("part-*.jsonl"))) >= 3,
    "at-manifest": lambda out: (out / "manifest.json").exists() or (out / "report.md").exists(),
}


def test_resume_after_sigkill_gives_the_uninterrupted_output(prefect_api, tmp_path):
    dump = _make_dump(tmp_path)
    ref = tmp_path / "reference"
    p = _run(dump, ref, prefect_api)
    assert p.wait(timeout=300) == 0, p.stderr.read()
    expected = _outputs(ref)
    assert len(expected["docs"]) == 10

    for name, ready in KILL_POINTS.items():
        out = tmp_path / name
        killed = _kill_when(_run(dump, out, prefect_api), lambda ready=ready, out=out: ready(out))
        reused_before = len(list((out / ".work").glob("*.summary.json"))) if killed else 0
        p = _run(dump, out, prefect_api)
        assert p.wait(timeout=300) == 0, p.stderr.read()
        got = _outputs(out)
        assert got == expected, f"output after a kill at {name} differs"
        assert not list(out.rglob("*.tmp")) and not (out / ".work").exists()
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["shards"]["reused"] >= reused_before, name
        if name == "mid-cleaning":
            assert killed and reused_before >= 3
