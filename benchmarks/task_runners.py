"""launder's process pool inside thread-runner tasks against Prefect's own task runners (issue 15, item 4).

    .venv/bin/python benchmarks/throughput.py generate --mb 40 --dir /tmp/launder-runners   # 5 files, 4,071 documents
    .venv/bin/python benchmarks/task_runners.py [--dir /tmp/launder-runners] [--files N] [--workers 2]
        [--repeats 3] [--designs pool,process,dask] [--servers temporary,running] [--json FILE]

The same ``launder clean DUMP -o OUT --rebuild --workers N`` three ways:

- ``pool``: today's flow: ``ThreadPoolTaskRunner`` tasks that wait on launder's own
  ``ProcessPoolExecutor`` (flows.lifeline.new_pool: forkserver workers) that does the cleaning;
- ``process``: the flow given ``prefect.task_runners.ProcessPoolTaskRunner(max_workers=N)`` (spawn
  workers, launder's lifeline initializer), which runs the shard tasks themselves in its worker
  processes, so no inner pool (``_use_process_pool`` is false for any runner but the thread one);
- ``dask``: ``--dask local`` (prefect-dask ``DaskTaskRunner`` over a local cluster of N one-thread
  worker processes), no inner pool either.

``--servers``: ``temporary`` (no PREFECT_API_URL: each process that talks to Prefect starts its
own temporary server; all runs share one PREFECT_HOME under DIR, warmed by an unmeasured first run)
and/or ``running`` (one ``prefect server start`` on loopback, started here before the runs and
stopped by its PID after them; its CPU during each run is added to the run's, as ``server_cpu``).

Runs are interleaved (repeat 1 of every design and server, then repeat 2, ...; the order of the
designs rotates each repeat) because the machine is shared. Each run is measured by
benchmarks/proc_tree.py: wall time and CPU seconds of the whole process tree (pool, Dask and
temporary-server processes included). Any process of a run's tree still alive after it ended
(an orphaned temporary server) is killed by its PID and counted. Each run's outputs are hashed
(every record of documents/ and rejected/ without its run id, in id order): all runs must agree.
Prints one line per run and a Markdown table of medians and ranges; ``--json`` stores every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DESIGNS = ("pool", "process", "dask")


def _launder_cmd(design: str, src: Path, out: Path, workers: int) -> list[str]:
    args = ["clean", str(src), "-o", str(out), "--rebuild", "--workers", str(workers)]
    if design == "pool":
        return [str(BIN / "launder"), *args]
    if design == "dask":
        return [str(BIN / "launder"), *args, "--dask", "local"]
    if design == "process":
        return [sys.executable, str(Path(__file__).resolve()), "_process", str(workers), *args]
    raise ValueError(design)


def _run_with_process_runner(workers: int, argv: list[str]) -> int:
    """launder's CLI with the flow's task runner replaced by Prefect's ProcessPoolTaskRunner (the prototype)."""
    from prefect.task_runners import ProcessPoolTaskRunner

    from flows import cli
    from flows import clean_dump as flow_module
    from flows.lifeline import worker_init

    runner = ProcessPoolTaskRunner(max_workers=workers, initializer=worker_init, initargs=(os.getpid(),))
    flow_module.clean_dump = flow_module.clean_dump.with_options(task_runner=runner)
    return cli.main(argv)


def outputs_hash(out: Path) -> tuple[int, str]:
    """(records, sha256) over documents/ and rejected/, each record without its run id, in id order."""
    recs = []
    for sub in ("documents", "rejected"):
        for part in sorted((out / sub).glob("*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                rec["provenance"].pop("run_id", None)
                recs.append((rec["id"], sub, json.dumps(rec, sort_keys=True, ensure_ascii=False)))
    h = hashlib.sha256()
    for rec in sorted(recs):
        h.update(json.dumps(rec, ensure_ascii=False).encode())
    return len(recs), h.hexdigest()


def _kill_leftovers(pids: list[int], mark: str) -> int:
    """Kill the processes of a finished run's tree still alive (by PID, only those whose environment
    holds ``mark``, this benchmark's scratch folder: never a reused PID); how many there were."""
    alive = []
    for p in pids:
        try:
            with open(f"/proc/{p}/environ", "rb") as fh:
                if mark.encode() in fh.read():
                    alive.append(p)
        except OSError:
            continue
    for p in alive:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(alive)


def _start_server(scratch: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    sys.path.insert(0, str(HERE))
    try:
        from throughput import _start_server as start
    finally:
        del sys.path[0]
    return start(scratch, env)


def _server_cpu(server: tuple[subprocess.Popen, str] | None) -> float:
    if server is None:
        return 0.0
    from proc_tree import tree

    return sum(cpu for _rss, cpu in tree(server[0].pid).values())


def main(argv: list[str] | None = None) -> None:
    if (argv or sys.argv[1:])[:1] == ["_process"]:
        a = (argv or sys.argv[1:])[1:]
        sys.exit(_run_with_process_runner(int(a[0]), a[1:]))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/launder-runners")
    ap.add_argument("--files", type=int, default=0, help="only the first N files of DIR/dump")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--designs", default=",".join(DESIGNS))
    ap.add_argument("--servers", default="temporary,running")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from proc_tree import measure

    root = Path(args.dir)
    files = sorted((root / "dump").glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no dump under {root / 'dump'}: run `benchmarks/throughput.py generate --dir {root}` first")
    files = files[: args.files] if args.files else files
    scratch = root / "task-runners"
    shutil.rmtree(scratch, ignore_errors=True)
    src = scratch / "input"
    src.mkdir(parents=True)
    for f in files:  # links to files outside the input would be skipped (launder follows none by default)
        try:
            os.link(f, src / f.name)
        except OSError:
            shutil.copyfile(f, src / f.name)
    size = sum(f.stat().st_size for f in files)
    docs = sum(1 for f in files for _ in open(f, encoding="utf-8"))
    designs = args.designs.split(",")
    servers = args.servers.split(",")
    home = scratch / "prefect-home-temporary"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
            "PREFECT_LOGGING_TO_API_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        }
    )
    res: dict[str, Any] = {
        "files": len(files),
        "bytes": size,
        "documents": docs,
        "workers": args.workers,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "runs": [],
    }
    print(
        f"{len(files)} files, {size / 1e6:.1f} MB, {docs} documents, {args.workers} workers; "
        f"load average {os.getloadavg()}",
        flush=True,
    )
    server = None
    try:
        if "running" in servers:
            server = _start_server(scratch, env)
        if "temporary" in servers:  # the temporary server's database is created once, not measured
            r = measure(_launder_cmd("pool", src, scratch / "warm-up", args.workers), env)
            _kill_leftovers(r.get("pids", []), str(scratch))
            print(
                f"warm-up (temporary server, fresh PREFECT_HOME): wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s",
                flush=True,
            )
        for rep in range(args.repeats):
            order = designs[rep % len(designs) :] + designs[: rep % len(designs)]
            for srv in servers:
                for design in order:
                    run_env = {**env, "PREFECT_API_URL": server[1]} if srv == "running" else env
                    out = scratch / f"out-{design}-{srv}"
                    before = _server_cpu(server) if srv == "running" else 0.0
                    r = measure(_launder_cmd(design, src, out, args.workers), run_env)
                    r["server_cpu"] = _server_cpu(server) - before if srv == "running" else 0.0
                    r["cpu"] += r["server_cpu"]
                    r["leftover"] = _kill_leftovers(r.pop("pids", []), str(scratch))
                    r.pop("stdout", None)
                    r["records"], r["outputs_sha256"] = outputs_hash(out)
                    r.update(design=design, server=srv, repeat=rep + 1)
                    res["runs"].append(r)
                    print(
                        f"{rep + 1} {design:8s} {srv:9s} wall {r['wall']:6.1f} s  cpu {r['cpu']:6.1f} s "
                        f"(server {r['server_cpu']:.1f})  processes {r['processes']:3d}  leftover {r['leftover']}  "
                        f"peak {r['peak_tree_mb']:.0f} MB  load {r['load_before']:.2f}->{r['load_after']:.2f}  "
                        f"{r['records']} records {r['outputs_sha256'][:12]}",
                        flush=True,
                    )
    finally:
        if server:
            server[0].terminate()
            server[0].wait(30)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))
    print(table(res))


def table(res: dict[str, Any]) -> str:
    hashes = {r["outputs_sha256"] for r in res["runs"]}
    lines = [
        f"{res['files']} files, {res['bytes'] / 1e6:.1f} MB, {res['documents']} documents, {res['workers']} workers, "
        f"{res['date']}, {res['cpus']} CPUs, Python {res['python']}; outputs identical in all runs: {len(hashes) == 1}",
        "",
        "| design | server | runs | CPU s median (min-max) | vs pool | wall s median (min-max) | server CPU s | processes | peak RSS MB | load avg (1 min) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in res["runs"]:
        groups.setdefault((r["design"], r["server"]), []).append(r)
    for (design, srv), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], DESIGNS.index(kv[0][0]))):
        cpu = [r["cpu"] for r in rs]
        wall = [r["wall"] for r in rs]
        base = groups.get(("pool", srv))
        rel = (
            f"{100 * (statistics.median(cpu) / statistics.median([r['cpu'] for r in base]) - 1):+.0f}%" if base else ""
        )
        loads = [x for r in rs for x in (r["load_before"], r["load_after"])]
        lines.append(
            f"| {design} | {srv} | {len(rs)} | {statistics.median(cpu):.1f} ({min(cpu):.1f}-{max(cpu):.1f}) | {rel} | "
            f"{statistics.median(wall):.1f} ({min(wall):.1f}-{max(wall):.1f}) | "
            f"{statistics.median([r['server_cpu'] for r in rs]):.1f} | {statistics.median([r['processes'] for r in rs]):.0f} | "
            f"{statistics.median([r['peak_tree_mb'] for r in rs]):.0f} | {min(loads):.2f}-{max(loads):.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
