"""launder.clean_records (streaming, in-memory dedup) against the flow on the same records.

    .venv/bin/python benchmarks/throughput.py generate --mb 10 --dir /tmp/records-bench
    .venv/bin/python benchmarks/records.py /tmp/records-bench/dump

Concatenates the dump's JSONL files, then (1) times ``clean_records`` with dedup off and on,
twice each, alternating (records per CPU second of this process); (2) cleans the same stream with
``launder clean - -o OUT --workers 1`` (a temporary OUT) and compares the duplicate clusters: the
pairs of documents the flow puts in one cluster, and how many of them the stream does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import launder

OFF = {"dedup": {"exact": False, "near": {"enabled": False}}}


def _pairs(recs: list[dict], key) -> set[tuple]:
    """Pairs of documents (by ``key``) in one duplicate cluster."""
    by_id = {r["id"]: key(r) for r in recs}
    groups: dict[str, set] = {}
    for r in recs:
        if str(r.get("reason", "")).startswith("duplicate_of:"):
            rep = r["reason"].split(":", 1)[1]
            groups.setdefault(rep, {by_id[rep]}).add(by_id[r["id"]])
    return {(a, b) for g in groups.values() for a in g for b in g if a < b}


def main(dump: str) -> None:
    lines = [
        line
        for p in sorted(Path(dump).glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [json.loads(line) for line in lines]
    print(f"{len(rows)} records, {sum(map(len, lines)) / 1e6:.1f} MB")
    stream: list[dict] = []
    for name, cfg in (("dedup off", OFF), ("dedup on", None), ("dedup off", OFF), ("dedup on", None)):
        stats: dict = {}
        t = time.process_time()
        out = list(launder.clean_records(iter(rows), config=cfg, stats=stats))
        cpu = time.process_time() - t
        print(f"clean_records {name}: {cpu:.1f} CPU s, {len(rows) / cpu:.1f} records per CPU s, {stats}")
        if cfg is None:
            stream = out
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        launder_bin = Path(sys.executable).parent / "launder"
        subprocess.run(
            [str(launder_bin), "clean", "-", "-o", str(out), "--workers", "1"],
            input="\n".join(lines).encode(),
            check=True,
        )
        manifest = json.loads((out / "manifest.json").read_text())
        offset, n = {}, 0
        for f in manifest["files"]:  # records are numbered per stdin chunk: back to the stream's numbering
            offset[f["path"]] = n
            n += max([o["record"] for o in f["outcomes"]] + [-1]) + 1
        flow = [
            json.loads(x)
            for sub in ("documents", "rejected")
            for p in sorted((out / sub).glob("*.jsonl"))
            for x in p.open()
        ]
    flow_pairs = _pairs(flow, lambda r: (offset[r["source"]["path"]] + r["source"]["record"], r["source"]["part"]))
    stream_pairs = _pairs(stream, lambda r: (r["source"]["record"], r["source"]["part"]))
    dup = lambda recs: sum(str(r.get("reason", "")).startswith("duplicate_of:") for r in recs)  # noqa: E731
    print(f"duplicates: flow {dup(flow)}, clean_records {dup(stream)}")
    print(
        f"duplicate pairs: flow {len(flow_pairs)}, clean_records {len(stream_pairs)}, both {len(flow_pairs & stream_pairs)}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
