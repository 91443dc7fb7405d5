"""Instructions per record of ``cleaners.clean``, counted by callgrind: comparable between checkouts.

    .venv/bin/python benchmarks/clean_instructions.py [--root CHECKOUT] [--file part-0001.jsonl] [--docs 200]

Cleans the first ``--docs`` records of a dump written by ``throughput.py generate`` in one process, with
the cleaners of ``--root`` (default: this checkout) run by that checkout's own ``.venv/bin/python``, under
``valgrind --tool=callgrind``; the same process without the cleaning (imports, one warm-up call) is counted
too and taken off. Instructions do not depend on what else the machine runs, so two checkouts can be
compared on a shared machine; the script needs nothing of the other checkout but ``cleaners.clean``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
DEFAULT_DUMP = Path(tempfile.gettempdir()) / "launder-throughput" / "dump"


def _child(mode: str, root: str, path: str, docs: int) -> None:
    sys.path[:] = [root] + [p for p in sys.path if Path(p or ".").resolve() != HERE.parent]  # (benchmarks/html.py)
    from cleaners import CleanConfig, clean

    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(docs), fh)]
    cfg = CleanConfig()
    clean("Warm up. A short text.", cfg)
    if mode == "run":
        print(sum(len(clean(t, cfg)) for t in texts))


def instructions(root: Path, mode: str, path: Path, docs: int) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", str(root / ".venv" / "bin" / "python")]
    cmd += [str(HERE), "_child", mode, str(root), str(path), str(docs)]
    err = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", err).group(1))  # type: ignore[union-attr]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        _child(argv[1], argv[2], argv[3], int(argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=str(HERE.parents[1]), help="the checkout whose cleaners (and .venv) to count")
    ap.add_argument("--file", default=str(DEFAULT_DUMP / "part-0001.jsonl"))
    ap.add_argument("--docs", type=int, default=200)
    a = ap.parse_args(argv)
    root, path = Path(a.root).resolve(), Path(a.file)
    start = instructions(root, "startup", path, a.docs)
    run = instructions(root, "run", path, a.docs)
    print(f"{root}: {(run - start) / a.docs / 1e6:.1f} M instructions per record ({a.docs} records of {path.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
