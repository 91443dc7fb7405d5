"""Wall time of `launder clean` end to end: the seeds and a generated 10,000-document dump,
with Prefect's temporary server and with a running `prefect server start`.
Reports wall time, CPU time (launder's whole process tree: pool workers and a temporary server included,
a running server not) and
the load average before each run: on a shared machine the CPU time is the steadier figure.

    .venv/bin/python benchmarks/flow_timing.py [--docs 10000] [--workers 2]

Prints a Markdown table for benchmarks/README.md. The generated dump is built from the
sample dump in raw/ (our own text): sentences shuffled and words varied so that the
documents are distinct, in JSONL files of 1,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from proc_tree import measure  # benchmarks/ is sys.path[0] when run as a script

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
BIN = Path(sys.executable).parent


def generate_dump(root: Path, n_docs: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "raw" / "articles").glob("*.txt"))]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 40]
    words = sorted({w for s in sentences for w in s.split() if w.isalpha() and len(w) > 4})
    dump = root / "generated"
    dump.mkdir(parents=True, exist_ok=True)
    per_file = 1000
    for f in range(0, n_docs, per_file):
        with open(dump / f"part-{f // per_file:03d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(f, min(f + per_file, n_docs)):
                body = rng.sample(sentences, k=min(len(sentences), rng.randint(8, 16)))
                body = [" ".join(rng.choice(words) if rng.random() < 0.05 else w for w in s.split()) for s in body]
                paras = ["\n".join(body[j : j + 3]) for j in range(0, len(body), 3)]
                fh.write(json.dumps({"id": f"gen-{i}", "text": "\n\n".join(paras)}) + "\n")
    return dump


def run_launder(inputs: list[str], out: Path, workers: int, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s of launder and its process tree, 1-minute load average before the run)."""
    shutil.rmtree(out, ignore_errors=True)
    r = measure([str(BIN / "launder"), "clean", *inputs, "-o", str(out), "--workers", str(workers)], env, capture=False)
    return r["wall"], r["cpu"], r["load_before"]


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(1)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("prefect server did not start in 120 s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="launder-bench-"))
    dump = generate_dump(tmp, args.docs)
    size = sum(p.stat().st_size for p in dump.iterdir())
    cases = [("seeds (5 files)", [str(SEEDS)]), (f"generated ({args.docs} docs, {size / 2**20:.1f} MB)", [str(dump)])]
    base_env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect-home")}
    base_env.pop("PREFECT_API_URL", None)
    rows = []
    for label, inputs in cases:  # temporary server: the first run creates its database, so run twice
        run_launder(inputs, tmp / "out", args.workers, base_env)
        rows.append((label, "temporary server", run_launder(inputs, tmp / "out", args.workers, base_env)))
    proc, url = start_server(tmp / "server-home")
    try:
        env = {**base_env, "PREFECT_API_URL": url}
        for label, inputs in cases:
            run_launder(inputs, tmp / "out", args.workers, env)
            rows.append((label, "running server", run_launder(inputs, tmp / "out", args.workers, env)))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    print(
        "| input | Prefect | workers | wall time (s) | CPU time (s) | load average before |\n|---|---|---|---|---|---|"
    )
    for label, mode, (wall, cpu, load) in rows:
        print(f"| {label} | {mode} | {args.workers} | {wall:.1f} | {cpu:.1f} | {load:.1f} |")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
