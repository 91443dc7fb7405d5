"""Does this checkout clean every input exactly as another commit does? (issue 15: refactors change no output)

For raw/, the seeds and the four dev sets of ../shared/bench (those present), every document is read
(readers: text, HTML, JSONL) and cleaned with the default configuration; a hash covers every output's
text, metadata, rejection reason and edits. With ``--against REV`` the same runs in a temporary
worktree of REV (its own ``cleaners`` and ``flows`` first on the path) and the two are compared.

    .venv/bin/python benchmarks/same_output.py                 # hashes of this checkout
    .venv/bin/python benchmarks/same_output.py --against HEAD~3  # and the same for HEAD~3: same or not
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {
    "raw": ROOT / "raw",
    "seeds": SHARED / "seeds",
    "text-boilerplate": SHARED / "bench" / "text-boilerplate" / "raw",
    "general-web": SHARED / "bench" / "general-web" / "raw",
    "article-extraction": SHARED / "bench" / "article-extraction" / "html",
    "general-web-html": SHARED / "bench" / "general-web-html" / "html",
}


def hashes() -> dict[str, list]:
    """set -> [outputs, hash] for the cleaners importable now."""
    from cleaners import CleanConfig, clean_document
    from flows.readers import discover, read_documents

    cfg = CleanConfig()
    out: dict[str, list] = {}
    for name, path in SETS.items():
        if not path.exists():
            continue
        h, n = hashlib.sha256(), 0
        files, _errors = discover([str(path)])
        for f in sorted(files, key=lambda f: f.display):
            _info, docs = read_documents(f, html=cfg.html)
            for d in docs:
                if not hasattr(d, "edits"):  # a read error
                    h.update(repr(d).encode())
                    continue
                for o in clean_document(d, cfg):
                    rec = [o.text, o.metadata, o.rejected, [e.to_json() for e in o.edits]]
                    h.update(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode())
                    n += 1
        out[name] = [n, h.hexdigest()]
    return out


def _of_revision(rev: str) -> dict[str, list]:
    with tempfile.TemporaryDirectory(prefix="launder-same-output-") as tmp:
        wt = Path(tmp) / "wt"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(wt), rev], check=True)
        try:
            env = {**os.environ, "PYTHONPATH": str(wt)}
            code = f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import same_output; print(json.dumps(same_output.hashes()))"
            r = subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=tmp, capture_output=True, text=True, check=True
            )
            return json.loads(r.stdout)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", metavar="REV", help="compare with the outputs of this commit")
    a = ap.parse_args(argv)
    now = hashes()
    other = _of_revision(a.against) if a.against else None
    same = True
    for name, (n, h) in now.items():
        line = f"{name:20s} {n:5d} outputs  {h[:16]}"
        if other is not None:
            o = other.get(name)
            ok = o == [n, h]
            same &= ok
            line += (
                "  same"
                if ok
                else f"  DIFFERENT ({a.against}: {o[0] if o else '-'} outputs, {o[1][:16] if o else '-'})"
            )
        print(line)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
