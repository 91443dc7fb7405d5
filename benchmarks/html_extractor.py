"""Benchmark: HTML main-content extraction (cleaners.html_extract) on ../shared/bench/article-extraction.

Decodes every ``html/<id>.html.gz`` (UTF-8, else the page's declared charset, else cp1252), runs
``extract_html`` over it, writes ``{id: text}`` to a PRED json and scores it with the bench's own
scorer (``score_extraction.py``) against ``ground-truth.json``. F1 is reported with the title line
(launder's output starts with it) and without it (the truth has no headline). ``--half even|odd``
scores half the pages (sorted ids, even or odd index): tune on even, report odd, to see how the
rules generalize. Speed is pages/s
in this single process (parsing included, decoding and scoring excluded), as wall-clock
pages/s and as pages per CPU second of the process (steadier when other jobs share the cores).

    .venv/bin/python benchmarks/html_extractor.py [--half all|even|odd] [--worst N] [--out DIR]
"""

from __future__ import annotations

import sys


import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaners.html_extract import extract_html  # noqa: E402

SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench" / "article-extraction"
SCORER = SHARED / "bench" / "score_extraction.py"
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


def drop_title(text: str, title: str | None) -> str:
    if not title:
        return text
    lines = text.split("\n")
    if lines and lines[0] == title:
        lines = lines[1:]
    return "\n".join(lines)


def score(pred: Path, truth: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORER), str(pred), "--truth", str(truth), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", choices=("all", "even", "odd"), default="all")
    ap.add_argument("--out", default="/tmp/launder-bench-html", help="where PRED/truth json go")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1 (without title)")
    ap.add_argument("--repeat", type=int, default=1, help="extract each page this many times (timing)")
    a = ap.parse_args(argv)
    if not BENCH.is_dir():
        print(f"bench not found: {BENCH}", file=sys.stderr)
        return 2
    fn = extract_html
    truth_all = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth_all)
    if a.half != "all":
        ids = ids[0::2] if a.half == "even" else ids[1::2]
    pages = {i: decode(gzip.decompress((BENCH / "html" / f"{i}.html.gz").read_bytes())) for i in ids}
    truth = {i: truth_all[i]["articleBody"] for i in ids}
    pred, pred_nt = {}, {}
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.repeat):
        for i in ids:
            text, meta = fn(pages[i])
            pred[i], pred_nt[i] = text, drop_title(text, meta.get("title"))
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.json" for name in ("truth", "pred", "pred_notitle")}
    for name, data in (("truth", truth), ("pred", pred), ("pred_notitle", pred_nt)):
        paths[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    m = score(paths["pred"], paths["truth"])
    mt = score(paths["pred_notitle"], paths["truth"])
    n = len(ids) * a.repeat
    mb = sum(len(p) for p in pages.values()) * a.repeat / 1e6
    name = "cleaners.html_extract"
    print(
        f"{name}, half={a.half}, pages={len(ids)}: {n / secs:.1f} pages/s wall, {n / cpu:.1f} pages per "
        f"CPU second, {mb / cpu:.1f} M chars per CPU second (one process; the machine's 2 cores are shared)"
    )
    print(f"with title:    P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    print(f"without title: P {mt['precision']:.3f}  R {mt['recall']:.3f}  F1 {mt['f1']:.3f}")
    if a.worst:
        sys.path.insert(0, str(SCORER.parent))
        import score_extraction as se  # type: ignore

        rows = []
        for i in ids:
            tp, fp, fn_ = se.doc_counts(truth[i], pred_nt[i])
            p = se._prec(tp, fp, fn_) if tp + fp else 0.0
            r = se._rec(tp, fp, fn_) if tp + fn_ else 0.0
            rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, i))
        for f, p, r, i in sorted(rows)[: a.worst]:
            print(f"  {f:.3f}  P {p:.3f} R {r:.3f}  {i}  {truth_all[i]['url'][:70]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
