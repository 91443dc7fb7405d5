"""What an output directory holds between runs, checked before a run adds to it (no Prefect here).

Runs into one OUT are deduplicated against each other through its index, so they must make
comparable signatures (the same near-dup settings); ``--rebuild`` starts OUT again from nothing.

launder only ever deletes or overwrites what it wrote. An OUT is launder's when it holds the
marker ``OUT/.launder`` (written on the first run, with the layout's format version), or, made by
a launder older than the marker, when it holds launder's index, manifest or work state (it is
then adopted: the marker is added). A non-empty directory that is neither is refused, as is an
``--index`` file that is not launder's SQLite index, and a ``manifest.json`` or ``report.md`` that
launder did not write. ``--rebuild`` removes only launder's own files: part files, run
manifests, work files, its manifest, report and index; anything else in OUT stays.
"""

from __future__ import annotations

import json
import re
import sqlite3
import stat
from pathlib import Path

from cleaners import CleanConfig

from .dedup import open_index
from .shard import PIPELINE_VERSION
from .work_files import read_run_state

WORK_DIR = ".work"  # the unfinished run's state: run.json, shard work files and summaries
INDEX_FILE = "index.sqlite"  # the dedup index, unless --index says otherwise
MARKER = ".launder"  # marks a directory as launder's output: {"launder": "output", "format": OUT_FORMAT}
OUT_FORMAT = 1  # the layout of OUT (documents/, rejected/, runs/, manifest.json, report.md, index.sqlite, .work/)
SQLITE_HEADER = b"SQLite format 3\x00"
# documents/ and rejected/ parts launder writes, in the run's --format (rejected/part-superseded-<run id>.<suffix>
# and rejected/part-merged-<run id>.<suffix>: flows.versions)
PART_NAME = re.compile(r"^part-(?:[0-9a-f]+|(?:superseded|merged)-[0-9A-Za-z_.-]+)\.(?:jsonl|jsonl\.zst|parquet)$")
RUN_MANIFEST = re.compile(r"^[0-9a-f]{12}\.manifest\.json$")  # runs/<run_id>.manifest.json
TEMP_NAME = re.compile(r"^\.(.+)\.[A-Za-z0-9_]+\.tmp$")  # .<name>.<random>.tmp: an atomic write's temp file
ROOT_NAME = re.compile(r"^(manifest\.json|report\.md|\.launder)$")  # what launder writes at OUT's top
WORK_NAME = re.compile(r"^(run\.json|shard-[0-9a-f]+\..*)$")  # .work/: the run's state and the shards' files


def _ours(name: str, names: re.Pattern[str]) -> bool:
    """Is ``name`` one of ``names``, or the temp file of an atomic write of one (writers.atomic_open)?"""
    m = TEMP_NAME.match(name)
    return bool(names.match(m.group(1) if m else name))


def stale_temp_files(out: str | Path) -> list[Path]:
    """Temp files of launder's interrupted atomic writes in OUT (never a file of someone else's)."""
    found = []
    for sub, names in (
        ("", ROOT_NAME),
        ("documents", PART_NAME),
        ("rejected", PART_NAME),
        ("runs", RUN_MANIFEST),
        (WORK_DIR, WORK_NAME),
    ):
        d = Path(out, sub)
        if d.is_dir():
            found += [f for f in d.glob(".*.tmp") if TEMP_NAME.match(f.name) and _ours(f.name, names) and f.is_file()]
    return found


# files launder may leave in an OUT it has not marked yet: the CLI's write probe, a run's lock file
LAUNDER_TRANSIENT = frozenset({".launder-write-test", ".lock"})
# placeholders that keep an empty folder in version control (the project's own clean/.keep): they leave
# a folder empty for launder's purposes, and launder never removes them
PLACEHOLDERS = frozenset({".keep", ".gitkeep"})


class NotLaunders(ValueError):
    """A path launder would have to write or delete that launder did not make (one-line message)."""


def part_files(out: str | Path, sub: str) -> list[Path]:
    """The part files launder wrote in ``OUT/<sub>`` (documents or rejected), in name order; other files are not ours."""
    d = Path(out, sub)
    return sorted(p for p in d.glob("part-*") if PART_NAME.match(p.name)) if d.is_dir() else []


def own_paths(out: str | Path, index_path: str | Path) -> list[str]:
    """What a run must never read as input: OUT itself and the index (with its SQLite side files and lock)."""
    return [str(out), *(str(index_path) + suffix for suffix in ("", "-wal", "-shm", "-journal", ".lock"))]


def is_launder_manifest(path: str | Path) -> bool:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"pipeline_version", "run_id", "totals", "files"} <= data.keys()


def is_launder_report(path: str | Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.readline().startswith("# launder run ")
    except OSError:
        return False


def index_problem(index_path: str | Path) -> str | None:
    """Why ``index_path`` is not launder's index (None: it is one, or nothing is there yet).

    launder's index is a SQLite file whose ``meta`` table holds the near-dup settings its
    signatures were made with; an empty file is taken as a new one.
    """
    state = index_state(index_path)
    return state[1] if state else None


def index_state(index_path: str | Path) -> tuple[str, str] | None:
    """None for launder's index (or nothing there yet), else (kind, one-line message).

    kind: "special" (not a regular file), "unreadable", "foreign" (not launder's: never used or
    replaced), "damaged" (launder's SQLite index, unreadable), "locked".
    """
    p = Path(index_path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):  # nothing there yet (or OUT cannot be made: said later)
        return None
    except OSError as exc:
        return "unreadable", f"cannot use index {index_path}: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return "special", f"index {index_path} is not a regular file (launder's index is a SQLite file it creates)"
    if st.st_size == 0:
        return None
    try:
        with open(p, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return "unreadable", f"cannot read index {index_path}: {exc.strerror or exc}"
    foreign = "{} is not a launder index ({}): launder will not use or replace it"
    if head != SQLITE_HEADER:
        return "foreign", foreign.format(index_path, "not a SQLite file")
    try:
        con = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
            con.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
        finally:
            con.close()
        settings = json.loads(row[0]) if row else None
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return (
                "locked",
                f"index {index_path} is locked by another process (another launder run?): try again when it is done",
            )
        return "foreign", foreign.format(index_path, exc)
    except (sqlite3.DatabaseError, ValueError) as exc:
        return "damaged", damaged_index(index_path, exc)
    if not isinstance(settings, dict) or "schema" not in settings:
        return "foreign", foreign.format(index_path, "no launder settings in it")
    return None


def damaged_index(index_path: str | Path, why: object) -> str:
    return f"index {index_path} is damaged ({why}): restore it, or pass --rebuild to start it again"


def _marker(out: Path) -> dict | None:
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("launder") == "output" else None


def _made_by_launder(out: Path, index_path: str) -> bool:
    """Is this unmarked, non-empty directory an OUT of a launder older than the marker (its layout says so)?"""
    own_index = Path(index_path) == out / INDEX_FILE
    if (
        own_index
        and (out / INDEX_FILE).is_file()
        and (out / INDEX_FILE).stat().st_size
        and index_problem(out / INDEX_FILE) is None
    ):
        return True
    if is_launder_manifest(out / "manifest.json"):
        return True
    try:
        read_run_state(out / WORK_DIR)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def ownership_problem(out: str, index_path: str, rebuild: bool = False) -> str | None:
    """Why launder may not write into ``out`` and ``index_path`` (None: they are launder's, or new).

    ``rebuild``: a damaged index in OUT (at its usual place) may then be replaced.
    """
    p = Path(out)
    if p.exists() and not p.is_dir():
        return f"output {out} exists and is not a directory"
    if p.is_dir():
        marker = p / MARKER
        if marker.exists():
            data = _marker(p)
            if data is None:
                return f"{marker} is not launder's marker: {out} is not a launder output directory"
            if not isinstance(data.get("format"), int) or data["format"] > OUT_FORMAT:
                return f"{out} was made by a newer launder (output format {data.get('format')}, this one writes {OUT_FORMAT})"
        elif any(e.name not in LAUNDER_TRANSIENT | PLACEHOLDERS for e in p.iterdir()) and not _made_by_launder(
            p, index_path
        ):
            return (
                f"{out} is not empty and is not a launder output directory (no {MARKER} marker): "
                "clean into a new or empty directory"
            )
        for name, ours in (("manifest.json", is_launder_manifest), ("report.md", is_launder_report)):
            if (p / name).exists() and not ours(p / name):
                return f"{p / name} was not written by launder: move it away (launder will not overwrite it)"
    state = index_state(index_path)
    if state and state[0] in ("foreign", "damaged") and Path(index_path) == p / INDEX_FILE and _marker(p) is not None:
        # OUT/index.sqlite in launder's own OUT is launder's index, however damaged: --rebuild replaces it
        return None if rebuild else damaged_index(index_path, "not a SQLite file launder can read")
    return state[1] if state else None


def claim_out(out: str, index_path: str, rebuild: bool = False) -> None:
    """Refuse (NotLaunders) an OUT or index that is not launder's; else mark OUT as launder's."""
    problem = ownership_problem(out, index_path, rebuild)
    if problem:
        raise NotLaunders(problem)
    p = Path(out)
    p.mkdir(parents=True, exist_ok=True)
    if _marker(p) is None:
        from .writers import write_json

        write_json(p / MARKER, {"launder": "output", "format": OUT_FORMAT})


def run_settings(cfg: CleanConfig) -> str:
    """What an OUT's documents were made with; runs into one OUT must agree on it."""
    return f"{PIPELINE_VERSION}|{cfg.hash}"


def check_out(out: str, index_path: str, cfg: CleanConfig) -> str | None:
    """Why a run with ``cfg`` may not add to ``out``, or None.

    Runs into one OUT may differ in configuration (each document's provenance has its
    ``config_hash``; the index records each run's settings), but their signatures must be
    comparable: an index built with other near-dup settings is refused, as is an OUT holding
    documents without an index (made by an older launder).
    """
    pending = Path(out, WORK_DIR, "run.json").exists()
    has_docs = bool(part_files(out, "documents"))
    if not Path(index_path).exists():
        if has_docs and not pending:
            return f"{out} holds documents but no index ({index_path}): clean into a new OUT, or pass --rebuild"
        return None
    problem = ownership_problem(out, index_path)
    if problem:
        return problem
    try:
        open_index(index_path, cfg).close()
    except ValueError as exc:
        return f"{exc} (or pass --rebuild to start {out} again)"
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return f"index {index_path} is locked by another process (another launder run?): try again when it is done"
        return f"cannot open index {index_path}: {exc}"
    except sqlite3.DatabaseError as exc:
        return damaged_index(index_path, exc)
    return None


def rebuild_out(out: str, index_path: str) -> None:
    """Remove launder's own files from OUT and its index (--rebuild); anything else stays.

    Refuses (NotLaunders) when OUT or the index is not launder's. Removed: ``documents/`` and
    ``rejected/`` part files, ``runs/<run_id>.manifest.json``, the work files in ``.work/``,
    temp files of interrupted writes, launder's ``manifest.json`` and ``report.md``, and the index.
    """
    claim_out(out, index_path, rebuild=True)
    p = Path(out)
    for sub, names in (
        ("documents", PART_NAME),
        ("rejected", PART_NAME),
        ("runs", RUN_MANIFEST),
        (WORK_DIR, WORK_NAME),
    ):
        d = p / sub
        if not d.is_dir():
            continue
        for f in d.iterdir():
            if _ours(f.name, names) and f.is_file() and not f.is_symlink():
                f.unlink(missing_ok=True)
        try:
            d.rmdir()  # only when nothing else is left in it
        except OSError:
            pass
    for name, ours in (("manifest.json", is_launder_manifest), ("report.md", is_launder_report)):
        if ours(p / name):
            (p / name).unlink(missing_ok=True)
    for f in stale_temp_files(p):
        f.unlink(missing_ok=True)
    if Path(index_path).is_file():  # claim_out checked that it is launder's (or launder's own, damaged)
        for suffix in ("", "-wal", "-shm"):
            Path(str(index_path) + suffix).unlink(missing_ok=True)
