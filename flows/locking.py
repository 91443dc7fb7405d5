"""Locks on an output directory and on an index, so that two runs never write one OUT at once.

``OUT/.lock`` (and ``<index>.lock`` for an index outside OUT) is held with ``flock`` for the
whole of a run or a ``forget``; the kernel drops it when the holder exits, even on SIGKILL,
so a lock is never left stale. A second run finds it taken and stops at once with
:class:`Busy` (the CLI says so in one line and exits 2). Within one process the lock is
re-entrant: the CLI takes it before starting the flow, and the flow (also run by
``launder serve`` without the CLI) takes it again.
"""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

LOCK_FILE = ".lock"

_held: dict[str, list[int]] = {}  # real path of a lock file -> [fd, depth]
_guard = threading.Lock()


class Busy(Exception):
    """Another process holds the lock."""


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def hold(lock_path: str | Path, what: str) -> Iterator[None]:
    """Hold the lock file ``lock_path`` (created if absent); :class:`Busy` if another process has it."""
    path = Path(lock_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(path)
    with _guard:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise Busy(
                    f"{what} is busy: another launder run{_holder(path)} is writing to it; try again when it has finished"
                ) from None
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _held[key] = [fd, 1]
    try:
        yield
    finally:
        with _guard:
            entry = _held[key]
            entry[1] -= 1
            if entry[1] == 0:
                del _held[key]
                os.close(entry[0])  # closing the only descriptor releases the flock


@contextmanager
def hold_out(out: str | Path, index_path: str | Path | None = None) -> Iterator[None]:
    """Lock OUT, and the index too when it lies outside OUT (one index may serve several OUTs)."""
    with ExitStack() as stack:
        stack.enter_context(hold(Path(out) / LOCK_FILE, str(out)))
        if index_path is not None:
            index_dir = os.path.realpath(os.path.dirname(os.path.abspath(index_path)))
            if index_dir != os.path.realpath(out):
                stack.enter_context(hold(f"{index_path}.lock", f"index {index_path}"))
        yield
