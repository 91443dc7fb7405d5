"""The ``launder`` command line: ``launder clean INPUT... -o OUT``.

Prefect's own logging is quieted before Prefect is imported, so the CLI's few lines stay readable.
With no Prefect server configured, Prefect starts a temporary local one (about 13 s here);
set PREFECT_API_URL to use a running ``prefect server start`` instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="launder", description="Clean scraped web text into documents with provenance.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clean", help="clean a raw dump (files or directories) into OUT")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (.txt .md .html .jsonl, optionally .gz)")
    c.add_argument("-o", "--out", required=True, help="output directory (documents/, rejected/, manifest.json)")
    c.add_argument("--workers", type=int, default=None, help="processes to clean with (default: all cores)")
    c.add_argument("--shard-mb", type=float, default=8.0, help="input megabytes per shard (default 8)")
    c.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    c.add_argument("--languages", default=None, help="comma-separated language codes to keep, e.g. en,de")
    c.add_argument("--max-file-mb", type=float, default=256.0, help="refuse files larger than this, decompressed")
    c.add_argument("--config", default=None, help="TOML file of cleaner settings ([tool.launder] in pyproject.toml also works)")
    c.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")
    v = sub.add_parser("verify", help="check that every document's spans in OUT point at its raw input")
    v.add_argument("out", metavar="OUT")
    return p


def load_config(path: str | None) -> dict[str, Any]:
    """Cleaner settings from a TOML file: its [tool.launder] table if it has one, else the whole file."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config {path}: {exc}") from None
    return data.get("tool", {}).get("launder", data) if "tool" in data else data


def _check_out(out: str) -> None:
    p = Path(out)
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / ".launder-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to output directory {out}: {exc.strerror or exc}") from None


def cmd_clean(args: argparse.Namespace) -> int:
    for given in args.inputs:
        if not os.path.exists(given):
            raise UsageError(f"no such input: {given}")
    _check_out(args.out)
    config = load_config(args.config)
    if args.languages:
        config.setdefault("language", {})["languages"] = [c.strip() for c in args.languages.split(",") if c.strip()]
    from cleaners import CleanConfig

    try:
        CleanConfig.from_mapping(config)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    if not args.verbose:
        for key, value in QUIET_PREFECT.items():
            os.environ.setdefault(key, value)
    print(f"launder: cleaning {', '.join(args.inputs)} -> {args.out}", file=sys.stderr)
    from .clean_dump import clean_dump

    totals = clean_dump(
        inputs=args.inputs,
        out=args.out,
        workers=args.workers,
        shard_mb=args.shard_mb,
        text_field=args.text_field,
        max_file_mb=args.max_file_mb,
        config=config,
    )
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(totals["reasons"].items()))
    print(
        f"launder: {totals['files']} files, {totals['documents']} documents: "
        f"{totals['kept']} kept, {totals['rejected']} rejected{f' ({reasons})' if reasons else ''}, "
        f"{totals['errors']} errors, {totals['skipped']} files skipped -> {args.out}/manifest.json"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    if not os.path.exists(os.path.join(args.out, "manifest.json")):
        raise UsageError(f"{args.out} holds no manifest.json (not a launder output directory)")
    from .verify import verify_output

    checked, problems = verify_output(args.out)
    for p in problems[:50]:
        print(p)
    print(f"launder: {checked} documents checked, {len(problems)} provenance problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "clean":
            return cmd_clean(args)
        if args.command == "verify":
            return cmd_verify(args)
    except UsageError as exc:
        print(f"launder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("launder: interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
