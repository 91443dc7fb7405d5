"""Benchmark: what launder keeps of each dev set, and what each rule removed that was true content.

Four dev sets in ``../shared/bench`` (see its README):

- ``text-boilerplate`` (news, 181 pages as plain text), ``article-extraction`` (the same pages as HTML);
- ``general-web`` (140 pages of all kinds as plain text), ``general-web-html`` (the same pages as HTML).

``--via cli`` (the default, and what benchmarks/README.md records) runs ``launder clean`` on the
set's folder into a temporary OUT, exactly as a user would (reading, the cleaners, dedup across the
pages, writing), and reads back ``documents/`` and ``rejected/``. ``--via api`` runs the readers and
``cleaners.clean_document`` in this process, without the cross-document steps: quicker, for tuning.

For each page the texts of its kept documents are joined with "\\n" and scored with the bench's
``score_extraction.py`` (4-token shingles, macro P/R). F1 is given as is and with the title line
left out (``metadata.title``: the news truths have no headline).

The per-rule table: every ``drop`` edit (and every rejected document, as ``reject:<reason>``) is
split into lines; a line is true content when most of its 4-token shingles (for a line of 1-3
tokens: its whole token run) occur in the page's truth. Characters are summed per rule as
*true* (real content removed) and *boilerplate*.

    .venv/bin/python benchmarks/extraction.py [--set all|general-web-html|...] [--via cli|api|extractor]
        [--rules] [--worst N] [--half even|odd] [--config FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = ROOT.parent / "shared" / "bench"
SCORER = BENCH / "score_extraction.py"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DevSet:
    name: str
    folder: str  # input folder inside the set
    suffix: str  # file name suffix of a page (id + suffix)

    @property
    def root(self) -> Path:
        return BENCH / self.name

    def truth(self) -> dict[str, str]:
        if self.name == "article-extraction":
            gt = json.loads((self.root / "ground-truth.json").read_text(encoding="utf-8"))
            return {k: v["articleBody"] for k, v in gt.items()}
        if (self.root / "truth.json").exists():
            return json.loads((self.root / "truth.json").read_text(encoding="utf-8"))
        return {
            p.name[: -len(".txt")]: p.read_text(encoding="utf-8") for p in sorted((self.root / "truth").glob("*.txt"))
        }


SETS = {
    "text-boilerplate": DevSet("text-boilerplate", "raw", ".txt"),
    "article-extraction": DevSet("article-extraction", "html", ".html.gz"),
    "general-web": DevSet("general-web", "raw", ".txt"),
    "general-web-html": DevSet("general-web-html", "html", ".html.gz"),
}


@dataclass
class Page:
    """What launder made of one page: kept documents (text, title) and every removal (rule, text)."""

    texts: list[str] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def _record_json(rec: dict, page: Page, kept: bool) -> None:
    for e in rec.get("provenance", {}).get("edits", []):
        if e.get("op") == "drop" and e.get("before"):
            page.removed.append((e["rule"], e["before"]))
    if kept:
        page.texts.append(rec.get("text", ""))
        page.titles.append((rec.get("metadata") or {}).get("title"))
    elif rec.get("text"):
        page.removed.append((f"reject:{rec.get('reason', '?').split(':')[0]}", rec["text"]))


def _page_id(path: str, ds: DevSet) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[: -len(ds.suffix)] if name.endswith(ds.suffix) else name


def run_cli(ds: DevSet, ids: list[str], workdir: Path, config: str | None = None) -> tuple[dict[str, Page], float]:
    """``launder clean`` over the set's pages (only ``ids``, linked into a folder), read back."""
    inp = workdir / ds.name
    inp.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (inp / f"{i}{ds.suffix}").symlink_to(ds.root / ds.folder / f"{i}{ds.suffix}")
    out = workdir / f"{ds.name}-out"
    launder = Path(sys.executable).parent / "launder"
    t0 = time.perf_counter()
    cmd = [str(launder), "clean", str(inp), "-o", str(out), "--rebuild"]
    if _supports_follow(launder):
        cmd.append("--follow-symlinks")
    if config:
        cmd += ["--config", config]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    pages: dict[str, Page] = defaultdict(Page)
    for kind in ("documents", "rejected"):
        for part in sorted((out / kind).glob("*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                _record_json(rec, pages[_page_id(rec["source"]["path"], ds)], kind == "documents")
    return pages, wall


def _supports_follow(launder: Path) -> bool:
    r = subprocess.run([str(launder), "clean", "--help"], capture_output=True, text=True)
    return "--follow-symlinks" in r.stdout


def run_api(
    ds: DevSet, ids: list[str], extractor_only: bool = False, config: str | None = None
) -> tuple[dict[str, Page], float]:
    """The readers and the cleaners in this process (no dedup across pages); with ``extractor_only``
    the readers alone (for HTML: what ``cleaners.html_extract`` chose)."""
    from cleaners import CleanConfig, clean_document
    from flows.readers import read_documents

    from flows.settings import load_config

    cfg = CleanConfig.from_mapping(load_config(config)[0]) if config else CleanConfig()
    pages: dict[str, Page] = {}
    t0 = time.process_time()
    for i in ids:
        path = ds.root / ds.folder / f"{i}{ds.suffix}"
        f = _input_file(path)
        _info, docs = read_documents(f, html=cfg.html)
        page = pages.setdefault(i, Page())
        for d in docs:
            if not hasattr(d, "edits"):
                continue
            for out in [d] if extractor_only else clean_document(d, cfg):
                rec = {
                    "text": out.text,
                    "metadata": out.metadata,
                    "reason": out.rejected or "",
                    "provenance": {"edits": [e.to_json() for e in out.edits]},
                }
                _record_json(rec, page, not out.rejected)
    return pages, time.process_time() - t0


def _input_file(path: Path):
    from flows.readers import discover

    files, _errors = discover([str(path)])
    return files[0]


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _shingles(toks: list[str]) -> list[tuple[str, ...]]:
    return [tuple(toks[k : k + 4]) for k in range(len(toks) - 3)]


class _TruthLeft:
    """What of a page's truth its kept text does not hold: removed lines are judged against it.

    Counted as multisets (as the scorer does), so a removed second copy of a paragraph is true
    content only when the truth holds the paragraph twice.
    """

    def __init__(self, truth: str, kept: str) -> None:
        self.left = Counter(_shingles(_tokens(truth))) - Counter(_shingles(_tokens(kept)))
        self.truth_joined = f" {' '.join(_tokens(truth))} "
        self.kept_joined = f" {' '.join(_tokens(kept))} "
        self.short_used: Counter = Counter()

    def take(self, line: str) -> bool:
        """Is ``line`` true content still missing from the kept text? (consumes what it matches)"""
        toks = _tokens(line)
        if not toks:
            return False
        if len(toks) < 4:
            key = f" {' '.join(toks)} "
            n = self.truth_joined.count(key) - self.kept_joined.count(key) - self.short_used[key]
            if n > 0:
                self.short_used[key] += 1
                return True
            return False
        sh = _shingles(toks)
        hits = [s for s in sh if self.left[s] > 0]
        if 2 * len(hits) <= len(sh):
            return False
        for s in hits:
            self.left[s] -= 1
        return True


def rule_table(pages: dict[str, Page], truth: dict[str, str]) -> dict[str, list[int]]:
    """rule -> [true-content chars removed, boilerplate chars removed, of the true chars: a copy kept].

    The third figure: removed true lines whose text the output still holds, in the page's own kept
    text or in another page's (a copy dropped as a repeat, a page rejected as a near-duplicate of a
    kept one). Those characters are not lost to the output, only their second copy is.
    """
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    kept_anywhere: set[tuple[str, ...]] = set()
    for page in pages.values():
        for text in page.texts:
            kept_anywhere.update(_shingles(_tokens(text)))
    for pid, page in pages.items():
        left = _TruthLeft(truth.get(pid, ""), "\n".join(page.texts))
        for rule, text in page.removed:
            row = table[rule]
            for line in text.split("\n"):
                if left.take(line):
                    row[0] += len(line)
                    sh = _shingles(_tokens(line))
                    if sh and 2 * sum(s in kept_anywhere for s in sh) > len(sh):
                        row[2] += len(line)
                else:
                    row[1] += len(line)
    return dict(table)


def _drop_title(text: str, title: str | None) -> str:
    if not title:
        return text
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if line.strip() == title.strip():
            del lines[k]
            break
    return "\n".join(lines)


def score(pred: dict[str, str], truth: dict[str, str], out: Path, tag: str) -> dict:
    p, t = out / f"{tag}-pred.json", out / f"{tag}-truth.json"
    p.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    t.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, str(SCORER), str(p), "--truth", str(t), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(r.stdout)


def page_f1(pred: str, true: str) -> float:
    def sh(x: str) -> Counter:
        tk = _tokens(x)
        return Counter([tuple(tk)]) if 0 < len(tk) < 4 else Counter(tuple(tk[k : k + 4]) for k in range(len(tk) - 3))

    a, b = sh(pred), sh(true)
    tp = sum((a & b).values())
    if not tp:
        return 0.0
    p, r = tp / sum(a.values()), tp / sum(b.values())
    return 2 * p * r / (p + r)


def evaluate(
    name: str, via: str, half: str, out: Path, show_rules: bool, worst: int, config: str | None = None
) -> dict:
    ds = SETS[name]
    truth = ds.truth()
    ids = sorted(truth)
    if half == "even":
        ids = ids[0::2]
    elif half == "odd":
        ids = ids[1::2]
    with tempfile.TemporaryDirectory(prefix="launder-extraction-") as tmp:
        pages, secs = (
            run_cli(ds, ids, Path(tmp), config) if via == "cli" else run_api(ds, ids, via == "extractor", config)
        )
    pred = {i: "\n".join(pages[i].texts) if i in pages else "" for i in ids}
    untitled = {
        i: "\n".join(_drop_title(t, ti) for t, ti in zip(pages[i].texts, pages[i].titles)) if i in pages else ""
        for i in ids
    }
    tr = {i: truth[i] for i in ids}
    as_is = score(pred, tr, out, f"{name}-asis")
    no_title = score(untitled, tr, out, f"{name}-notitle")
    rules = rule_table({i: pages[i] for i in ids if i in pages}, tr)
    result = {
        "set": name,
        "via": via,
        "config": config,
        "half": half,
        "pages": len(ids),
        "seconds": round(secs, 1),
        "as_is": as_is,
        "no_title": no_title,
        "rules": rules,
    }
    _print(result, show_rules)
    if worst:
        scored = sorted((page_f1(untitled[i], tr[i]), i) for i in ids)
        for f1, i in scored[:worst]:
            print(f"    {f1:.3f}  {i}")
    return result


def _fmt(s: dict) -> str:
    return f"P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}"


def _print(r: dict, show_rules: bool) -> None:
    print(
        f"{r['set']} ({r['via']}, {r['half']}, {r['config'] or 'defaults'}, {r['pages']} pages, {r['seconds']} s): "
        f"as is {_fmt(r['as_is'])} | without title {_fmt(r['no_title'])}"
    )
    if show_rules:
        for rule, (t, b, kept) in sorted(r["rules"].items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
            flag = "  <-- more true content than boilerplate" if t > b else ""
            if t > b and t - kept <= b:
                flag += " (not counting copies kept)"
            print(f"    {rule:48s} true {t:>9,d}  boilerplate {b:>9,d}  true, a copy kept {kept:>9,d}{flag}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="all", choices=["all", *SETS])
    ap.add_argument(
        "--via",
        default="cli",
        choices=["cli", "api", "extractor"],
        help="extractor: the readers alone (HTML sets: html_extract's text)",
    )
    ap.add_argument("--half", default="all", choices=["all", "even", "odd"])
    ap.add_argument("--rules", action="store_true", help="print characters removed per rule (true / boilerplate)")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1 (without title)")
    ap.add_argument("--out", default="benchmarks/out/extraction", help="where PRED/truth json and results go")
    ap.add_argument("--config", help='a launder configuration file (TOML), e.g. with [boilerplate] mode = "page"')
    ap.add_argument("--json", action="store_true", help="also write results.json in --out")
    a = ap.parse_args(argv)
    if not BENCH.exists():
        print(f"{BENCH} not found: the dev sets live in ../shared/bench", file=sys.stderr)
        return 2
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    names = list(SETS) if a.set == "all" else [a.set]
    results = [evaluate(n, a.via, a.half, out, a.rules, a.worst, a.config) for n in names]
    if a.json:
        (out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
