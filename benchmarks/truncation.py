"""Truncated-passage benchmark for cleaners.passages.drop_truncated_passages.

Cuts complete paragraphs of the bench truths (../shared/bench/text-boilerplate/truth/*.txt) at random points
(fixed seed) and counts how often the cut passage is detected:

- cut-start, mid-word: a prose paragraph cut at a random offset inside a word, placed after an intact paragraph
  (and before another, so it is not the last);
- cut-start, mid-word capitalized: the same, first letter upper-cased (as scrapers and title-casers leave it:
  "Ding former ..." of "...including former");
- cut-start, word boundary: cut at the start of a random word (not the paragraph's first);
- cut-end: the document's last paragraph cut at a random offset (mid-word or at a word boundary).

False positives: every intact truth document run as is; intact prose paragraphs dropped as truncated-start,
and intact last paragraphs trimmed as truncated-end (a truth may itself end mid-sentence; those are listed).

    .venv/bin/python benchmarks/truncation.py [--seed 0] [--json]
    .venv/bin/python benchmarks/truncation.py --build-word-endings   # rebuild cleaners/data/word_endings.txt
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

# run as a script, this folder comes first on sys.path, where a sibling module (html.py) shadows the stdlib
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from cleaners.document import Document
from cleaners.passages import R_END, R_START, PassagesConfig, drop_truncated_passages

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "text-boilerplate"
ENDINGS = Path(__file__).resolve().parents[1] / "cleaners" / "data" / "word_endings.txt"
TERMINAL = tuple('.!?"”’)')


def load_docs() -> list[tuple[str, list[str]]]:
    out = []
    for f in sorted((BENCH / "truth").glob("*.txt")):
        paragraphs = [line.strip() for line in f.read_text("utf-8").splitlines() if line.strip()]
        if paragraphs:
            out.append((f.stem, paragraphs))
    return out


def is_prose(p: str) -> bool:
    return len(p) >= 120 and p.endswith(TERMINAL) and not p.startswith("|")


def cut_offsets(p: str, mode: str) -> list[int]:
    lo, hi = int(len(p) * 0.1), int(len(p) * 0.9)
    if mode == "mid-word":
        return [i for i in range(max(lo, 1), hi) if p[i - 1].isalpha() and p[i].isalpha()]
    return [i for i in range(max(lo, 1), hi) if p[i - 1] == " " and p[i].isalpha()]


def dropped_rules(doc: Document, out: Document, line_text: str) -> set[str]:
    return {e.rule for e in out.edits[len(doc.edits) :] if line_text[:40] in e.before}


def run(seed: int) -> dict:
    cfg = PassagesConfig()
    rng = random.Random(seed)
    docs = load_docs()
    res: dict[str, list[int]] = {k: [0, 0] for k in ("mid-word", "mid-word-capitalized", "word-boundary", "cut-end")}
    missed: dict[str, list[str]] = {k: [] for k in res}
    for _id, paras in docs:
        prose_idx = [i for i, p in enumerate(paras) if is_prose(p)]
        for i in prose_idx:
            if i == 0 or i == len(paras) - 1 or not is_prose(paras[i - 1]):
                continue
            for mode in ("mid-word", "mid-word-capitalized", "word-boundary"):
                offs = cut_offsets(paras[i], "word-boundary" if mode == "word-boundary" else "mid-word")
                if not offs:
                    continue
                cut = paras[i][rng.choice(offs) :]
                if mode == "mid-word-capitalized":
                    cut = cut[0].upper() + cut[1:]
                text = "\n".join([paras[i - 1], cut, paras[i + 1]])
                doc = Document.from_text(text)
                out = drop_truncated_passages(doc, cfg)
                res[mode][1] += 1
                if R_START in dropped_rules(doc, out, cut):
                    res[mode][0] += 1
                elif len(missed[mode]) < 6:
                    missed[mode].append(cut[:60])
        if len(prose_idx) >= 2 and prose_idx[-1] == len(paras) - 1:
            last = paras[-1]
            offs = cut_offsets(last, "mid-word") + cut_offsets(last, "word-boundary")
            cut = last[: rng.choice(offs)].rstrip()
            if cut and not cut.endswith(TERMINAL):
                text = "\n".join(paras[:-1] + [cut])
                doc = Document.from_text(text)
                out = drop_truncated_passages(doc, cfg)
                res["cut-end"][1] += 1
                if any(e.rule == R_END for e in out.edits):
                    res["cut-end"][0] += 1
                elif len(missed["cut-end"]) < 6:
                    missed["cut-end"].append(cut[-60:])
    # false positives on intact documents
    fp_start = fp_end = prose_total = docs_with_end = 0
    fp_examples: list[str] = []
    for _id, paras in docs:
        doc = Document.from_text("\n".join(paras))
        out = drop_truncated_passages(doc, cfg)
        prose_total += sum(is_prose(p) for p in paras)
        docs_with_end += 1
        for e in out.edits:
            if e.rule == R_START:
                fp_start += 1
                fp_examples.append(f"{_id[:8]} start: {e.before.strip()[:70]} ({e.detail})")
            elif e.rule == R_END:
                fp_end += 1
                fp_examples.append(f"{_id[:8]} end: ...{e.before.strip()[-70:]}")
    all_paras = sum(len(p) for _, p in docs)
    return {
        "seed": seed,
        "documents": len(docs),
        "detection": {k: {"detected": v[0], "cases": v[1], "rate": round(v[0] / v[1], 3) if v[1] else None} for k, v in res.items()},
        "missed_examples": missed,
        "false_positives": {
            "intact_paragraphs": all_paras,
            "intact_prose_paragraphs": prose_total,
            "dropped_as_truncated_start": fp_start,
            "rate_start_all_paragraphs": round(fp_start / all_paras, 4),
            "intact_last_paragraphs": docs_with_end,
            "trimmed_as_truncated_end": fp_end,
            "examples": fp_examples[:20],
        },
    }


def build_word_endings(top: int = 60000, min_sum: float = 1e-5, max_zipf: float = 4.5, ratio: float = 100.0) -> int:
    """Rebuild cleaners/data/word_endings.txt from wordfreq (a dev-time dependency only)."""
    from collections import Counter
    from importlib.metadata import version

    import wordfreq  # type: ignore[import-not-found]

    sums: Counter[str] = Counter()
    for w in wordfreq.top_n_list("en", top):
        if w.isalpha() and w.isascii():
            fw = wordfreq.word_frequency(w, "en")
            for k in range(2, min(9, len(w))):
                sums[w[-k:]] += fw
    keep = sorted(
        s
        for s, v in sums.items()
        if v >= min_sum
        and wordfreq.zipf_frequency(s, "en") < max_zipf
        and v >= ratio * max(wordfreq.word_frequency(s, "en"), 1e-9)
    )
    header = f"""# Word endings that are far more common as the tail of an English word than as a word of their own.
# A paragraph whose first token is one of these (e.g. "ding" from "including") likely starts mid-word.
# Derived from wordfreq {version("wordfreq")} (https://github.com/rspeer/wordfreq) English data, which is
# licensed CC BY-SA 4.0 (Robyn Speer et al.); this derived list is shared under the same licence.
# Recipe: over the top {top} English words (alphabetic ASCII), sum the frequencies of the words ending with
# each 2-8 letter ending; keep an ending if that sum >= {min_sum}, its own Zipf frequency < {max_zipf}, and the
# sum >= {ratio:g} x its own frequency. Rebuild: benchmarks/truncation.py --build-word-endings
"""
    ENDINGS.write_text(header + "\n".join(keep) + "\n", "utf-8")
    return len(keep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--build-word-endings", action="store_true")
    args = ap.parse_args(argv)
    if args.build_word_endings:
        print(f"{build_word_endings()} endings written to {ENDINGS}")
        return 0
    if not BENCH.is_dir():
        print(f"bench not found at {BENCH}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    r = run(args.seed)
    r["seconds"] = round(time.perf_counter() - t0, 2)
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
        return 0
    for k, v in r["detection"].items():
        print(f"{k}: {v['detected']}/{v['cases']} detected ({v['rate']})")
        for m in r["missed_examples"][k]:
            print(f"   missed: {m}")
    fp = r["false_positives"]
    print(
        f"false positives: {fp['dropped_as_truncated_start']} of {fp['intact_paragraphs']} intact paragraphs "
        f"({fp['intact_prose_paragraphs']} prose) dropped as truncated-start; "
        f"{fp['trimmed_as_truncated_end']} of {fp['intact_last_paragraphs']} last paragraphs trimmed"
    )
    for e in fp["examples"]:
        print(f"   {e}")
    print(f"({r['seconds']} s, seed {r['seed']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
