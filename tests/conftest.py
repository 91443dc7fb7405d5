"""Shared test fixtures: where ../shared is, a quiet Prefect, one Prefect test server per session."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

for _key, _value in {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_key, _value)


def output_records(out: Path, sub: str) -> list[dict]:
    """The JSON records of ``OUT/<sub>/*.jsonl`` (sub: documents or rejected), in file order."""
    recs = []
    for part in sorted((Path(out) / sub).glob("*.jsonl")):
        recs += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
    return recs


def outputs_without_run_id(out: Path) -> dict[str, tuple[str, dict]]:
    """id -> (documents | rejected, record without its run id): what two runs of the same input share."""
    docs = {}
    for sub in ("documents", "rejected"):
        for rec in output_records(out, sub):
            rec["provenance"].pop("run_id")
            docs[rec["id"]] = (sub, rec)
    return docs


def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group a test started (start_new_session=True), SIGKILL after 30 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs {p} (the read-only ../shared beside the checkout), which is absent")
    return p


def seed_and_sample_texts() -> list[str]:
    """The seeds' raw texts (when ../shared is there) and the raw text of every document of the sample dump raw/."""
    from cleaners import Document
    from flows.readers import discover, read_documents

    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    files, _ = discover([str(ROOT / "raw")])
    for f in files:
        texts += [d.raw for d in read_documents(f)[1] if isinstance(d, Document)]
    return texts


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for all end-to-end flow tests of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    """A real `prefect server start` on loopback for tests that need one (serve, resume, Dask); stopped at the end."""
    import sys
    import time
    import urllib.request

    home = tmp_path_factory.mktemp("prefect-server-home")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).parent / "prefect"
    proc = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("prefect server did not start within 180 s") from None
                time.sleep(0.5)
        yield url
    finally:
        stop_process_group(proc)
