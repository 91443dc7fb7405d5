"""The scale-out path: the same flow with Prefect's Dask task runner on a local cluster of worker processes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import outputs_without_run_id

pytestmark = pytest.mark.flow

TOPICS = [
    "harbour ferry terminal",
    "coast road storm",
    "museum maritime wing",
    "school library books",
    "river bridge arches",
]


WORDS = (
    "council budget river bridge library school harbour station market festival museum weather storm rain "
    "volunteers residents officials engineers farmers teachers police mayor minister reported announced said"
).split()


def _make_dump(root: Path) -> Path:
    rng = random.Random(3)
    dump = root / "dump"
    dump.mkdir()
    for i, topic in enumerate(TOPICS):
        body = "\n".join(
            " ".join(rng.choice(WORDS) for _ in range(16)).capitalize() + f", the report on the {topic} said."
            for _ in range(12)
        )
        (dump / f"doc{i}.txt").write_text(f"Report on the {topic.title()}\n{body}\n")
    (dump / "doc0-copy.txt").write_text(
        (dump / "doc0.txt").read_text().replace("the report on", "the new report on", 2)
    )
    return dump


def _launder(*args: str, api: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_API_URL": api}
    cmd = [str(Path(sys.executable).parent / "launder"), "clean", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400)


def test_dask_runner_gives_the_same_output_as_the_default_runner(prefect_api, tmp_path):
    pytest.importorskip("prefect_dask")
    dump = _make_dump(tmp_path)
    ref, dask = tmp_path / "threads", tmp_path / "dask"
    r = _launder(str(dump), "-o", str(ref), "--workers", "1", "--shard-mb", "0.001", api=prefect_api)
    assert r.returncode == 0, r.stderr
    r = _launder(
        str(dump), "-o", str(dask), "--workers", "2", "--shard-mb", "0.001", "--dask", "local", api=prefect_api
    )
    assert r.returncode == 0, r.stderr
    expected, got = outputs_without_run_id(ref), outputs_without_run_id(dask)
    assert got == expected
    assert sum(sub == "rejected" for sub, _ in got.values()) == 1  # the edited copy, across shards
    manifest = json.loads((dask / "manifest.json").read_text())
    assert manifest["shards"]["count"] >= 3
