"""`launder serve`: a served flow with a short interval picks up files dropped into its inbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import stop_process_group

pytestmark = pytest.mark.flow

TEXT = (
    "The harbour authority opened a new ferry terminal on {day}, the mayor said. The terminal has room for "
    "two ships and a waiting hall for four hundred passengers, and it replaces a pier built in 1931.\n"
)


OTHER = (
    "The ferry company said on Friday that a fourth boat will join the fleet next spring, once repairs at the "
    "Kessel yard are complete. Crews have replaced its engines and rebuilt the car deck over the winter.\n"
)


def _kept_texts(out: Path) -> list[str]:
    texts = []
    for part in (out / "documents").glob("*.jsonl"):
        try:
            texts += [json.loads(line)["text"] for line in part.read_text().splitlines()]
        except (OSError, ValueError):
            pass
    return texts


def _cleaned_by_last_run(out: Path) -> set[str]:
    """The input files the last finished run cleaned, not skipped, by its manifest (written atomically)."""
    try:
        return {f["path"] for f in json.loads((out / "manifest.json").read_text())["files"] if not f.get("skipped")}
    except FileNotFoundError:
        return set()


def _wait_for(pred, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.5)
    return False


def test_served_flow_picks_up_new_files(prefect_api, tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "monday.txt").write_text(TEXT.format(day="Monday"))
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    cmd = [
        str(Path(sys.executable).parent / "launder"),
        "serve",
        "--inbox",
        str(inbox),
        "-o",
        str(out),
        "--interval",
        "3",
        "--name",
        "test-inbox",
        "--workers",
        "1",
    ]
    log = tmp_path / "serve.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    tail = lambda: log.read_text()[-3000:]  # noqa: E731
    try:
        assert _wait_for(lambda: any("Monday" in t for t in _kept_texts(out)), 150), (
            f"first file never cleaned:\n{tail()}"
        )
        (inbox / "friday.txt").write_text(OTHER)  # a different story (a near copy would be a duplicate)
        assert _wait_for(lambda: any("Friday" in t for t in _kept_texts(out)), 150), (
            f"new file never picked up:\n{tail()}"
        )
        # its run writes the documents first and its manifest last: stop the server only once the run is done
        assert _wait_for(lambda: "friday.txt" in _cleaned_by_last_run(out), 60), f"run never finished:\n{tail()}"
    finally:
        stop_process_group(proc)
    assert sum("Monday" in t for t in _kept_texts(out)) == 1  # cleaned once, not once per run
    manifest = json.loads((out / "manifest.json").read_text())
    skipped = {f["path"]: f.get("skipped", "") for f in manifest["files"]}
    assert "already cleaned" in skipped["monday.txt"]  # later runs skip it by its sha256 in the index
    assert len(list((out / "runs").glob("*.manifest.json"))) >= 2


def test_serve_refuses_without_a_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "serve",
            "--inbox",
            str(tmp_path),
            "-o",
            str(tmp_path / "o"),
            "--interval",
            "5",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "needs a running Prefect server" in r.stderr


def test_prefect_yaml_deploys_to_a_process_pool_and_a_worker_runs_it(prefect_api, tmp_path):
    """The deployment for teams: prefect.yaml on a process work pool, run once by a worker."""
    root = Path(__file__).resolve().parents[1]
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "monday.txt").write_text(TEXT.format(day="Monday"))
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "LAUNDER_DIR": str(root),
        "LAUNDER_INBOX": str(inbox),
        "LAUNDER_OUT": str(out),
    }
    prefect = str(Path(sys.executable).parent / "prefect")

    def run(*args: str, cwd: Path = root) -> str:
        r = subprocess.run([prefect, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=240)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        return r.stdout

    run("work-pool", "create", "launder", "--type", "process", "--overwrite")
    run("--no-prompt", "deploy", "--all")
    run("deployment", "run", "clean-dump/inbox")
    run("worker", "start", "--pool", "launder", "--run-once", cwd=tmp_path)
    assert any("Monday" in t for t in _kept_texts(out))
    assert json.loads((out / "manifest.json").read_text())["totals"]["kept"] == 1
