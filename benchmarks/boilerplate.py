"""Benchmark: boilerplate removal on plain page text (../shared/bench/text-boilerplate).

Runs launder over every ``raw/<id>.txt`` (the whole pipeline, ``cleaners.clean``, or with
``--step-only`` just ``strip_boilerplate``), joins the texts of the non-rejected documents with
"\\n", writes ``{id: text}`` to a PRED json and scores it with the bench's own scorer
(``score_extraction.py``) against a truth json built from ``truth/*.txt``. F1 is reported as is
and with the title line left out (the truth has no headline; launder keeps a title line and also
puts it in ``metadata["title"]``). ``--half even|odd`` scores half the pages (sorted ids, even or
odd index): tune on one half, report the other, to see how the rules generalize;
``--half odd-new-sites`` keeps only the odd pages from sites with no page in the even half.

    .venv/bin/python benchmarks/boilerplate.py [--step-only] [--half even|odd|odd-new-sites] [--out DIR] [--worst N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaners import clean  # noqa: E402
from cleaners.boilerplate import BoilerplateConfig, strip_boilerplate  # noqa: E402
from cleaners.document import Document  # noqa: E402

SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench" / "text-boilerplate"
SCORER = SHARED / "bench" / "score_extraction.py"


def _site(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _new_sites(ids: list[str]) -> list[str]:
    """The odd-half pages whose site (host of meta.jsonl's url) has no page in the even half.

    The halves share sites; these pages are the nearest the bench comes to the held-out set
    from other news sites.
    """
    urls = {}
    for line in (BENCH / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            urls[rec["id"]] = rec["url"]
    seen = {_site(urls[i]) for i in ids[0::2]}
    return [i for i in ids[1::2] if _site(urls[i]) not in seen]


def run_page(raw: str, step_only: bool) -> tuple[str, str]:
    """(cleaned text, same without the title line) for one page."""
    if step_only:
        docs = [strip_boilerplate(Document.from_text(raw), BoilerplateConfig())]
    else:
        docs = [d for d in clean(raw) if not d.rejected]
    texts, untitled = [], []
    for d in docs:
        texts.append(d.text)
        title = d.metadata.get("title")
        lines = d.text.split("\n")
        if title:
            for i, line in enumerate(lines):
                if line.strip() == title:
                    del lines[i]
                    break
        untitled.append("\n".join(lines))
    return "\n".join(texts), "\n".join(untitled)


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
    ap.add_argument("--step-only", action="store_true", help="run only strip_boilerplate, not the whole pipeline")
    ap.add_argument(
        "--half",
        choices=("all", "even", "odd", "odd-new-sites"),
        default="all",
        help="odd-new-sites: the odd pages whose site has no page in the even half",
    )
    ap.add_argument("--out", default="/tmp/launder-bench-boilerplate", help="where PRED/truth json go")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    a = ap.parse_args(argv)
    if not BENCH.is_dir():
        print(f"bench not found: {BENCH}", file=sys.stderr)
        return 2
    ids = sorted(p.stem for p in (BENCH / "raw").glob("*.txt"))
    if a.half != "all":
        ids = ids[0::2] if a.half == "even" else _new_sites(ids) if a.half == "odd-new-sites" else ids[1::2]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    truth = {i: (BENCH / "truth" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    pred, pred_nt = {}, {}
    t0 = time.perf_counter()
    chars = 0
    for i in ids:
        raw = (BENCH / "raw" / f"{i}.txt").read_text(encoding="utf-8")
        chars += len(raw)
        pred[i], pred_nt[i] = run_page(raw, a.step_only)
    secs = time.perf_counter() - t0
    paths = {name: out / f"{name}.json" for name in ("truth", "pred", "pred_notitle")}
    for name, data in (("truth", truth), ("pred", pred), ("pred_notitle", pred_nt)):
        paths[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    m = score(paths["pred"], paths["truth"])
    mt = score(paths["pred_notitle"], paths["truth"])
    mode = "strip_boilerplate only" if a.step_only else "cleaners.clean"
    print(f"{mode}, half={a.half}, pages={len(ids)}, {chars / 1e6:.2f} M chars in {secs:.1f} s")
    print(f"as is:         P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    print(f"without title: P {mt['precision']:.3f}  R {mt['recall']:.3f}  F1 {mt['f1']:.3f}")
    if a.worst:
        sys.path.insert(0, str(SCORER.parent))
        import score_extraction as se  # type: ignore

        rows = []
        for i in ids:
            tp, fp, fn = se.doc_counts(truth[i], pred_nt[i])
            p = se._prec(tp, fp, fn) if tp + fp else 0.0
            r = se._rec(tp, fp, fn) if tp + fn else 0.0
            rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, i))
        for f, p, r, i in sorted(rows)[: a.worst]:
            print(f"  {f:.3f}  P {p:.3f} R {r:.3f}  {i}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
