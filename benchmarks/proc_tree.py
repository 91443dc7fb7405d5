"""Measure a command and its whole process tree: wall time, CPU time, peak memory, load.

CPU time has two lower bounds and the larger is reported:

- ``resource.getrusage(RUSAGE_CHILDREN)`` differences: exact for every process that is waited for,
  blind to one that is not (a multiprocessing forkserver is never reaped by Python 3.11, so launder's
  process-pool workers, its grandchildren, fall out of it);
- the sum over every process ever seen in the tree of its own user + system time (``/proc/PID/stat``
  fields 14 and 15, children excluded, so nothing is counted twice), sampled every 0.2 s: it misses
  only the last fraction of a second of each process.

Memory is the largest sum of RSS over the tree seen in a sample.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from typing import Any

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _processes() -> dict[int, tuple[int, int, float]]:
    """pid -> (parent pid, RSS bytes, own CPU seconds) for every process in /proc."""
    found = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            found[int(d)] = (int(fields[1]), int(fields[21]) * _PAGE, (int(fields[11]) + int(fields[12])) / _TICK)
        except (OSError, IndexError, ValueError):
            continue
    return found


def tree(pid: int, seen: set[int] | None = None) -> dict[int, tuple[int, float]]:
    """pid and its descendants (and any earlier member in ``seen`` still alive, e.g. an orphaned
    forkserver): pid -> (RSS bytes, own CPU seconds)."""
    procs = _processes()
    children: dict[int, list[int]] = {}
    for p, (ppid, _rss, _cpu) in procs.items():
        children.setdefault(ppid, []).append(p)
    out: dict[int, tuple[int, float]] = {}
    todo = [pid, *(p for p in (seen or ()) if p in procs)]
    while todo:
        p = todo.pop()
        if p in out or p not in procs:
            continue
        out[p] = procs[p][1:]
        todo += children.get(p, [])
    return out


def measure(cmd: list[str], env: dict[str, str] | None = None, capture: bool = True) -> dict[str, Any]:
    """Run cmd to its end; wall s, CPU s of the tree, peak RSS of the tree (MB), load before and after."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    pipe = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=pipe, stderr=pipe, text=True)
    peak, cpu_seen = 0, {}
    while proc.poll() is None:
        members = tree(proc.pid, set(cpu_seen))
        peak = max(peak, sum(rss for rss, _ in members.values()))
        cpu_seen.update({p: cpu for p, (_rss, cpu) in members.items()})
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    out, err = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{(err or '')[-3000:]}")
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": wall,
        "cpu": max(waited, sum(cpu_seen.values())),
        "cpu_waited": waited,
        "cpu_sampled": sum(cpu_seen.values()),
        "processes": len(cpu_seen),
        "peak_tree_mb": peak / 2**20,
        "peak_proc_mb": after.ru_maxrss / 1024,  # largest waited-for child so far (kB on Linux)
        "load_before": load,
        "load_after": os.getloadavg()[0],
        "pids": sorted(cpu_seen),  # every process seen in the tree
        "stdout": out,
    }
