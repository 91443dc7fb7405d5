"""The ``launder`` command line.

    launder clean INPUT... -o OUT     clean a dump (the Prefect flow clean-dump)
    launder verify OUT                check every document's spans against its raw input
    launder inspect OUT DOC_ID        show what was removed from a document, and why
    launder serve --inbox DIR -o OUT --interval S | --cron "..."   clean new inbox files on a schedule
    launder forget SOURCE... -o OUT   remove sources from OUT and its index (a later run cleans them again)
    launder config --show             print the effective configuration

Prefect's own logging is quieted before Prefect is imported, so the CLI's few lines stay
readable. With no Prefect server configured, Prefect starts a temporary local one (about
13 s here); set PREFECT_API_URL to use a running ``prefect server start`` instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .settings import ConfigError, clean_config, load_config, to_toml

QUIET_PREFECT = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


class UsageError(Exception):
    """A problem with the command line or the environment: one line, exit 2."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: the run stops as on Ctrl-C (OUT/.work keeps it for the rerun to resume)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, _frame: Any) -> None:
    raise Stopped(signum)


def _stop_on_signals(quiet: bool) -> None:
    """SIGTERM and SIGHUP stop a run like Ctrl-C; when quiet, Prefect's "Crash detected!" log line is left out."""
    import logging
    import signal

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stopped)
    if not quiet:
        return

    def not_a_crash_report(record: logging.LogRecord) -> bool:
        msg = str(record.msg)
        return not (msg.startswith("Crash detected!") or msg.startswith("Finished in state Crashed"))

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).addFilter(not_a_crash_report)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="launder", description="Clean scraped web text into documents with provenance.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clean", help="clean a raw dump (files or directories) into OUT")
    c.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files or directories (.txt .md .html .jsonl, optionally .gz or .zst; .warc .wet, optionally .gz; "
        ".parquet); - reads JSONL on standard input",
    )
    c.add_argument(
        "-o", "--out", required=True, help="output directory (documents/, rejected/, manifest.json, report.md)"
    )
    c.add_argument(
        "--stdout",
        action="store_true",
        help="also write the run's kept documents to standard output as JSONL (everything else goes to standard error)",
    )
    c.add_argument("--workers", type=int, default=None, help="processes to clean with (default: all cores)")
    c.add_argument("--shard-mb", type=float, default=8.0, help="input megabytes per shard (default 8)")
    c.add_argument("--text-field", default="text", help="JSONL field (Parquet column) holding the text (default: text)")
    c.add_argument(
        "--format",
        dest="output_format",
        choices=("jsonl", "jsonl.zst", "parquet"),
        default="jsonl",
        help="format of the documents/ and rejected/ parts (default jsonl; jsonl.zst: zstd-compressed)",
    )
    c.add_argument("--languages", default=None, help="comma-separated language codes to keep, e.g. en,de")
    c.add_argument("--max-file-mb", type=float, default=256.0, help="refuse files larger than this, decompressed")
    c.add_argument(
        "--max-record-mb",
        type=_megabytes,
        default=64.0,
        metavar="MB",
        help="a record (text or HTML file, JSONL line) larger than this is an error, not cleaned (default 64)",
    )
    c.add_argument(
        "--settle",
        type=_seconds,
        default=0.0,
        metavar="S",
        help="leave for a later run files modified less than S seconds ago (default 0)",
    )
    _index_arg(c)
    c.add_argument(
        "--rebuild",
        action="store_true",
        help="start OUT and its index again from nothing (removes only launder's own files)",
    )
    c.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links anywhere (default: only links to files inside the input directory)",
    )
    c.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run the shard tasks on a Dask cluster (scheduler address, e.g. tcp://10.0.0.5:8786; 'local' starts one here)",
    )
    _config_arg(c)
    c.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")
    v = sub.add_parser("verify", help="check that every document's spans in OUT point at its raw input")
    v.add_argument("out", metavar="OUT")
    _index_arg(v)
    i = sub.add_parser("inspect", help="show a document's raw text with what was removed, and the rule for each")
    i.add_argument("out", metavar="OUT")
    i.add_argument("doc_id", metavar="DOC_ID")
    s = sub.add_parser("serve", help="clean new files of an inbox directory on a schedule (needs a Prefect server)")
    s.add_argument("--inbox", required=True, help="directory watched for new or changed files")
    s.add_argument("-o", "--out", required=True, help="output directory (its index remembers what was cleaned)")
    when = s.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "0 * * * *"')
    when.add_argument("--interval", type=float, help="seconds between runs")
    s.add_argument("--name", default="launder-inbox", help="deployment name (default launder-inbox)")
    s.add_argument(
        "--settle",
        type=_seconds,
        default=10.0,
        metavar="S",
        help="a file is taken once unchanged (size and time) for S seconds (default 10)",
    )
    s.add_argument("--workers", type=int, default=None, help="processes to clean with (default: all cores)")
    _index_arg(s)
    _config_arg(s)
    f = sub.add_parser(
        "forget", help="remove sources' documents from OUT and its index, so a later run cleans them again"
    )
    f.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a source path as in the documents' source.path, or a folder prefix",
    )
    f.add_argument("-o", "--out", required=True, help="output directory")
    _index_arg(f)
    g = sub.add_parser("config", help="print the effective configuration")
    g.add_argument("--show", action="store_true", help="print it as TOML (the default)")
    _config_arg(g)
    return p


def _seconds(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        s = -1.0
    if not 0 <= s < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds >= 0: {value!r}")
    return s


def _megabytes(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        mb = 0.0
    if not 0 < mb < float("inf"):
        raise argparse.ArgumentTypeError(f"not a positive number of megabytes: {value!r}")
    return mb


def _config_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default=None, help="TOML file of settings (default: [tool.launder] of ./pyproject.toml)")


def effective_config(path: str | None, languages: str | None = None) -> tuple[Any, str | None]:
    """The CleanConfig from a file (or ./pyproject.toml) plus command-line overrides, and where it came from."""
    try:
        data, origin = load_config(path)
        if languages:
            data.setdefault("language", {})["languages"] = [c.strip() for c in languages.split(",") if c.strip()]
        return clean_config(data), origin
    except (ConfigError, ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None


def _check_out(out: str) -> None:
    p = Path(out)
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / ".launder-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to output directory {out}: {exc.strerror or exc}") from None


def _claim_out(out: str, index_path: str, rebuild: bool = False) -> None:
    """Refuse an OUT or index that is not launder's (one line), check OUT is writable, then mark it as launder's."""
    from .out_state import NotLaunders, claim_out, ownership_problem

    problem = ownership_problem(out, index_path, rebuild)
    if problem:
        raise UsageError(problem)
    _check_out(out)
    try:
        claim_out(out, index_path, rebuild)
    except NotLaunders as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write to output directory {out}: {exc.strerror or exc}") from None


def _check_prefect() -> None:
    """Prefect needs a writable home (PREFECT_HOME, default ~/.prefect) and, when PREFECT_API_URL is set, a server there."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / f".launder-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(
            f"Prefect's home {home} is not writable ({exc.strerror or exc}): set PREFECT_HOME to a writable directory"
        ) from None
    url = os.environ.get("PREFECT_API_URL")
    if url:
        import urllib.error
        import urllib.request

        try:
            urllib.request.urlopen(url.rstrip("/") + "/health", timeout=10).read()
        except urllib.error.HTTPError:
            pass  # something answers (a server that wants a key for /health, say): Prefect will tell the rest
        except (OSError, ValueError) as exc:
            why = getattr(exc, "reason", None) or exc
            raise UsageError(
                f"no Prefect server answers at PREFECT_API_URL={url} ({why}): start it, or unset PREFECT_API_URL "
                "to run with a temporary one"
            ) from None


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=None, metavar="PATH", help="dedup index (SQLite; default OUT/index.sqlite)")


def _index_path(args: argparse.Namespace) -> str:
    from .out_state import INDEX_FILE

    return args.index or os.path.join(args.out, INDEX_FILE)


def _progress_listener() -> Any:
    """A rich progress bar on a terminal; nothing when stderr is not one."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr, force_terminal=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def listener(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(f"{phase} shards", total=total)
        progress.update(tasks[phase], completed=done)

    return progress, listener


def cmd_clean(args: argparse.Namespace) -> int:
    jsonl = None
    if args.stdout:  # from here on, standard output carries the documents and nothing else
        from .stdio import keep_stdout_for_jsonl

        jsonl = keep_stdout_for_jsonl()
    cfg, origin = effective_config(args.config, args.languages)  # a bad setting is refused before anything is read
    _check_inputs(args.inputs)
    index_path = _index_path(args)
    _claim_out(args.out, index_path, args.rebuild)
    from .out_state import check_out

    problem = None if args.rebuild else check_out(args.out, index_path, cfg)
    if problem:
        raise UsageError(problem)
    _check_prefect()
    if not args.verbose:
        for key, value in QUIET_PREFECT.items():
            os.environ.setdefault(key, value)
        os.environ.setdefault("PREFECT_INTERNAL_LOGGING_LEVEL", "CRITICAL")  # its services' errors after a failed run
    from .locking import Busy, hold_out

    lock = hold_out(args.out, _index_path(args))
    try:
        lock.__enter__()  # held for the whole run: a second run into OUT stops here
    except Busy as exc:
        raise UsageError(str(exc)) from None
    _stop_on_signals(quiet=not args.verbose)
    watching = None
    if os.environ.get("PREFECT_API_URL"):  # a server that dies mid-run fails the run in bounded time
        from .lifeline import watch_api

        watching = watch_api(os.environ["PREFECT_API_URL"], args.out)
    where = f" (config: {origin})" if origin else ""
    print(f"launder: cleaning {', '.join(args.inputs)} -> {args.out}{where}", file=sys.stderr, flush=True)
    from . import clean_dump as flow_module

    if not args.verbose:  # a failed run is told in one line (main), not by Prefect's tracebacks
        import logging

        for name in ["prefect", *logging.root.manager.loggerDict]:
            if name == "prefect" or name.startswith("prefect."):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        for name in ("EventsWorker", "APILogWorker"):  # Prefect's services log under their class names
            logging.getLogger(name).setLevel(logging.CRITICAL)

    progress, listener = _progress_listener()
    if listener:
        progress.start()
    flow = flow_module.clean_dump
    if args.dask:
        flow = flow.with_options(task_runner=_dask_runner(args.dask, args.workers))
    try:
        with flow_module.progress_to(listener):
            totals = flow(
                inputs=args.inputs,
                out=args.out,
                workers=args.workers,
                shard_mb=args.shard_mb,
                text_field=args.text_field,
                max_file_mb=args.max_file_mb,
                config=cfg.to_dict(),
                index=args.index,
                rebuild=args.rebuild,
                follow_symlinks=args.follow_symlinks,
                settle_seconds=args.settle,
                max_record_mb=args.max_record_mb,
                output_format=args.output_format,
            )
        if jsonl is not None:  # still holding OUT: no other run can have written its manifest since
            _write_kept(jsonl, args.out, totals)
    finally:
        if watching is not None:
            watching.set()
        lock.__exit__(None, None, None)
        if listener:
            progress.stop()
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(totals["reasons"].items()))
    print(
        f"launder: {totals['files']} files, {totals['documents']} documents: "
        f"{totals['kept']} kept, {totals['rejected']} rejected{f' ({reasons})' if reasons else ''}, "
        f"{totals['errors']} errors, {totals['skipped']} files skipped"
        + "".join(f", {totals[k]} {k}" for k in ("unchanged", "superseded") if totals.get(k))
        + (
            f", {sum(totals['records_skipped'].values())} web archive records skipped"
            if totals.get("records_skipped")
            else ""
        )
        + f" -> {args.out}/report.md"
    )
    missing = _files_missing_the_text_field(args.out, args.text_field) if totals["errors"] else []
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        print(
            f"launder: error: no record of {len(missing)} JSONL file{'s' if len(missing) > 1 else ''} ({shown}) has the "
            f"field {args.text_field!r} (--text-field): not cleaned; run again with the right --text-field",
            file=sys.stderr,
        )
        return 2
    if totals["skipped"] and not totals["documents"]:
        print(
            f"launder: nothing new: the inputs were cleaned into {args.out} before "
            "(`launder forget SOURCE -o OUT` or --rebuild cleans them again)"
        )
    return 0


def _check_inputs(inputs: list[str]) -> None:
    from .readers import STDIN

    for given in inputs:
        if given != STDIN and not os.path.exists(given) and not os.path.islink(given):
            raise UsageError(f"no such input: {given}")
    if inputs.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    if STDIN in inputs and (sys.stdin is None or sys.stdin.isatty()):
        raise UsageError(
            "input - reads JSONL from standard input, which is a terminal: pipe or redirect a file into it"
        )


def _write_kept(jsonl: Any, out: str, totals: dict[str, Any]) -> None:
    """The run's kept documents to standard output (``--stdout``); a reader that goes away (``| head``)
    ends the writing, not the command: every document is in OUT anyway."""
    from .stdio import kept_lines

    written = 0
    try:
        for line in (
            kept_lines(out) if totals["kept"] else ()
        ):  # no kept document: manifest.json may be an earlier run's
            jsonl.write(line)
            written += 1
        jsonl.flush()
    except BrokenPipeError:
        print(
            f"launder: standard output was closed after {written} of {totals['kept']} kept documents "
            f"(all are in {out}/documents)",
            file=sys.stderr,
        )
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, jsonl.fileno())  # the unwritten rest goes nowhere, and closing raises no second error
        os.close(devnull)
    finally:
        try:
            jsonl.close()
        except OSError:
            pass


def _files_missing_the_text_field(out: str, text_field: str) -> list[str]:
    """The run's JSONL files none of whose records has the text field (from OUT/manifest.json)."""
    import json

    from .readers import MISSING_FIELD

    try:
        manifest = json.loads(Path(out, "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        f["path"]
        for f in manifest.get("files", [])
        if str(f.get("error", "")).startswith(f"{MISSING_FIELD} {text_field!r}")
    ]


def _dask_runner(address: str, workers: int | None) -> Any:
    from prefect_dask import DaskTaskRunner

    if address == "local":  # a throw-away cluster of worker processes on this machine
        n = workers or os.cpu_count() or 1
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    return DaskTaskRunner(address=address)


def _need_output_dir(out: str) -> None:
    if not os.path.exists(os.path.join(out, "manifest.json")):
        raise UsageError(f"{out} holds no manifest.json (not a launder output directory)")


def cmd_verify(args: argparse.Namespace) -> int:
    _need_output_dir(args.out)
    from .verify import verify_output

    unread: list[str] = []
    checked, problems = verify_output(args.out, _index_path(args), unread)
    for p in problems[:50]:
        print(p)
    print(
        f"launder: {checked} documents checked, {len(problems)} provenance problems or missing, duplicated or misplaced records"
    )
    if unread:
        print(
            f"launder: the spans of {len(unread)} documents read from standard input were not checked (their raw text is not kept)"
        )
    return 1 if problems else 0


def cmd_inspect(args: argparse.Namespace) -> int:
    _need_output_dir(args.out)
    from .inspect_doc import inspect_document

    try:
        return inspect_document(args.out, args.doc_id)
    except LookupError as exc:
        raise UsageError(str(exc)) from None


def cmd_serve(args: argparse.Namespace) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        raise UsageError(
            "launder serve needs a running Prefect server (schedules never run on the temporary one): "
            "start `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    effective_config(args.config)  # refuse a bad configuration now, not at the first run
    if not os.path.isdir(args.inbox):
        raise UsageError(f"no such inbox directory: {args.inbox}")
    _claim_out(args.out, _index_path(args))
    _check_prefect()
    from .settings import load_config

    # the deployment stores only the settings the user gave: each run fills in the defaults of the
    # launder it runs with, so an upgrade never leaves a stored key that the new version refuses
    user_settings, _origin = load_config(args.config)
    for key, value in QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    from .clean_dump import clean_dump

    when = f"cron {args.cron!r}" if args.cron else f"every {args.interval:g} s"
    print(
        f"launder: serving {args.name}: {args.inbox} -> {args.out}, {when}; stop with Ctrl-C",
        file=sys.stderr,
        flush=True,
    )
    clean_dump.serve(
        name=args.name,
        cron=args.cron,
        interval=args.interval,
        parameters={
            "inputs": [os.path.abspath(args.inbox)],
            "out": os.path.abspath(args.out),
            "workers": args.workers,
            "config": user_settings,
            "index": args.index,
            "settle_seconds": args.settle,
        },
        limit=1,  # one run at a time: runs into the same OUT follow each other
        print_starting_message=False,
    )
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    index_path = _index_path(args)
    for source in args.sources:
        if not source.strip().strip("/"):  # '' or '/' would match every source (with an absolute path)
            raise UsageError(
                f"refusing to forget {source!r}: name a source path or folder (--rebuild starts OUT again)"
            )
    if not os.path.exists(index_path):
        raise UsageError(f"no index at {index_path}")
    from .out_state import ownership_problem

    problem = ownership_problem(args.out, index_path)
    if problem:
        raise UsageError(problem)
    from .forget import forget_sources
    from .locking import Busy, hold_out

    try:
        with hold_out(args.out, index_path):
            result = forget_sources(args.out, index_path, args.sources)
    except Busy as exc:
        raise UsageError(str(exc)) from None
    for source, (indexed, written) in result.items():
        why = (
            ""
            if source in args.sources
            else " (it held duplicates of forgotten documents: the next run cleans it again)"
        )
        print(f"launder: forgot {source}: {indexed} documents in the index, {written} records in {args.out}{why}")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    cfg, origin = effective_config(args.config)
    print(f"# effective launder configuration ({origin or 'defaults'}), config hash {cfg.hash}")
    print(to_toml(cfg.to_dict()), end="")
    return 0


COMMANDS = {
    "clean": cmd_clean,
    "verify": cmd_verify,
    "inspect": cmd_inspect,
    "serve": cmd_serve,
    "forget": cmd_forget,
    "config": cmd_config,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"launder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        import signal

        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        again = " (run the same command again to resume)" if args.command == "clean" else ""
        print(f"launder: interrupted by {how}{again}", file=sys.stderr)
        return 128 + signum
    except (
        Exception
    ) as exc:  # the run failed (a damaged file, a full disk, a locked index): one line, -v for the traceback
        if getattr(args, "verbose", False):
            raise
        print(f"launder: error: {describe_failure(exc)}", file=sys.stderr)
        return 2


def describe_failure(exc: BaseException) -> str:
    """One line saying why a command failed (its traceback is shown with -v)."""
    import errno
    import sqlite3

    from .out_state import NotLaunders

    if isinstance(exc, NotLaunders):
        return str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return f"no space left for the index ({exc}); free some and run the same command again to resume"
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return f"the index is locked by another process (another launder run?): {exc}; try again when it is done"
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the index is damaged ({exc}): restore it, or pass --rebuild to start OUT and its index again"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"no space left on the device{where}; free some and run the same command again to resume"
        return f"{exc.strerror or exc}{where}"
    if isinstance(exc, (ValueError, UnicodeError, KeyError)):
        return f"a file launder reads is damaged ({type(exc).__name__}: {exc}); run again with -v for details, or --rebuild"
    return f"the run failed: {type(exc).__name__}: {exc} (run again with -v for the traceback)"


if __name__ == "__main__":
    sys.exit(main())
