"""Processes that must not outlive the run: the cleaning pool's workers die with the process that started them.

A ``concurrent.futures`` worker blocks on its call queue for good when the main process is killed
(SIGKILL from the OOM killer, SIGHUP when a terminal closes): nothing ever tells it. So each worker
starts, from :func:`worker_init`, a daemon thread that waits on a pidfd of the main process and
ends the worker the moment the main process is gone (the forkserver then exits too, as its last
client is gone). Workers also ignore SIGINT: Ctrl-C reaches the whole foreground process group,
and the main process alone handles it (it stops the workers), so no worker prints a traceback.
"""

from __future__ import annotations

import ctypes
import logging
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1


def _set_parent_death_signal() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (the forkserver, for a pool worker)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (OSError, AttributeError):  # no pidfd (old kernel): poll the pid
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
    select.select([fd], [], [])  # readable once the process has exited
    os._exit(1)


def worker_init(main_pid: int) -> None:
    """Pool worker initializer: die with ``main_pid``; leave SIGINT, SIGTERM and SIGHUP to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a closing terminal: the main process decides
    _set_parent_death_signal()
    threading.Thread(target=_watch, args=(main_pid,), name="launder-lifeline", daemon=True).start()


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process.

    Why launder's own pool rather than Prefect's ProcessPoolTaskRunner or DaskTaskRunner (issue 15,
    item 4: switch only at most 5% more CPU): on 4 files of the throughput dump (33.7 MB, 2 workers,
    3 interleaved runs each, 2026-12-06, benchmarks/task_runners.py, table in benchmarks/README.md),
    whole-tree CPU medians were, with a running server, pool 41.5 s, ProcessPoolTaskRunner 51.0 s
    (+23%), Dask 57.4 s (+38%); with the temporary server 44.9 s, 68.2 s (+52%), 77.4 s (+72%), where
    every spawned worker starts a temporary server of its own. Wall time was no better either.
    """
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("forkserver"), initializer=worker_init, initargs=(os.getpid(),)
    )


def stop_pool(pool: ProcessPoolExecutor, graceful: bool) -> None:
    """Shut the pool down: after its running tasks when ``graceful``, else at once (its workers killed)."""
    if graceful:
        pool.shutdown(cancel_futures=True)
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        try:
            proc.kill()
        except (OSError, ValueError):
            pass


_silenced: list[logging.Logger] = []


def _quiet_prefect(quiet: bool) -> None:
    """Silence (or restore) Prefect's loggers, its internal ones included (they ignore ``logging.disable``)."""
    if quiet:
        logging.disable(logging.CRITICAL)
        for name, lg in list(logging.root.manager.loggerDict.items()):
            if name.startswith("prefect") and isinstance(lg, logging.Logger) and not lg.disabled:
                lg.disabled = True
                _silenced.append(lg)
    else:
        logging.disable(logging.NOTSET)
        while _silenced:
            _silenced.pop().disabled = False


def watch_api(url: str, out: str, grace: float = 15.0, every: float = 2.0) -> threading.Event:
    """Watch the Prefect server a run depends on: once it has refused connections for ``grace``
    seconds (or only timed out, on a busy machine, for four times as long), say so in one line and
    end the process (exit 2).

    Without it a run whose server died hangs for good in Prefect's client (its outputs written, its
    index not). Ending it is safe: the run's state stays in ``OUT/.work`` and the same command,
    with a server, resumes it; the pool's workers die with this process. Set the returned event
    to stop watching.
    """
    import sys
    import urllib.request

    stop = threading.Event()

    def run() -> None:
        down_since: float | None = None
        only_timeouts = True
        why = ""
        while not stop.is_set():
            try:
                with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=min(5.0, grace)) as r:
                    r.read()
                if down_since is not None:
                    _quiet_prefect(False)
                down_since, only_timeouts = None, True
            except Exception as exc:  # refused, reset, timed out, HTTP 5xx: the server is not there
                reason = getattr(exc, "reason", None) or exc
                why = str(reason)
                only_timeouts = only_timeouts and isinstance(reason, TimeoutError)
                now = time.monotonic()
                if down_since is None:  # Prefect's clients would now log a screenful of retries and tracebacks
                    _quiet_prefect(True)
                down_since = down_since if down_since is not None else now
                if now - down_since >= grace * (4 if only_timeouts else 1) and not stop.is_set():
                    sys.stderr.write(
                        f"launder: error: lost the Prefect server at {url} ({why}); the run is kept in "
                        f"{os.path.join(out, '.work')}: run the same command again, with a server, to finish it\n"
                    )
                    sys.stderr.flush()
                    os._exit(2)
            stop.wait(every)
        if down_since is not None:
            _quiet_prefect(False)

    threading.Thread(target=run, name="launder-api-watch", daemon=True).start()
    return stop
