"""Article-boundary benchmark for cleaners.articles.split_articles (the parts of cleaners.articles.article_spans).

Builds multi-article files from the text-boilerplate bench (../shared/bench/text-boilerplate): each article is
its title (first line of raw/<id>.txt, a trailing " - Site" / " | Site" removed) followed by the truth text
(truth/<id>.txt, one paragraph per line). Articles are shuffled with a fixed seed and concatenated in groups of
2-5; a boundary is found "exactly" when a part starts at the next article's title line. Also counts false
splits of every single article on its own.

Separators between articles (--sep): "none" (bare concatenation: the hard case, no closing line at all),
"rule" (a lone "—" line, as in syndicated dumps).

    .venv/bin/python benchmarks/splitting.py [--seed 0] [--sep none|rule|all] [--threshold 4]
        [--max-similarity 0.12] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path


from cleaners.articles import ArticlesConfig, article_spans
from cleaners.text import iter_blocks

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "text-boilerplate"
_SITE = re.compile(r"\s+[-|–—]\s+[^-|–—]{1,60}$")
SEPARATORS = {"none": "", "rule": "—"}


def load_articles() -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) for every bench page whose truth has text."""
    out = []
    for truth in sorted((BENCH / "truth").glob("*.txt")):
        paragraphs = [line.strip() for line in truth.read_text("utf-8").splitlines() if line.strip()]
        raw = (BENCH / "raw" / truth.name).read_text("utf-8")
        title = _SITE.sub("", raw.split("\n", 1)[0].strip())
        if paragraphs and title:
            out.append((truth.stem, title, paragraphs))
    return out


def _boundaries(text: str, cfg: ArticlesConfig) -> set[int]:
    """Block indices where split_articles starts a new part."""
    index = {b.start: i for i, b in enumerate(iter_blocks(text))}
    return {index[s] for s, _e, _h, _w in article_spans(text, cfg)[1:]}


def evaluate(articles: list, sep: str, seed: int, cfg: ArticlesConfig) -> dict:
    rng = random.Random(seed)
    order = articles[:]
    rng.shuffle(order)
    groups = []
    i = 0
    while i < len(order):
        k = rng.randint(2, 5)
        if len(order) - i - k == 1:
            k += 1
        groups.append(order[i : i + k])
        i += k
    true_total = found = predicted = 0
    misses, false_splits = [], []
    for group in groups:
        lines: list[str] = []
        truth_idx: list[int] = []
        for a, (_id, title, paragraphs) in enumerate(group):
            if a > 0:
                if SEPARATORS[sep]:
                    lines.append(SEPARATORS[sep])
                truth_idx.append(len(lines))
            lines.append(title)
            lines.extend(paragraphs)
        text = "\n".join(lines)
        pred = _boundaries(text, cfg)
        truth = set(truth_idx)
        true_total += len(truth)
        predicted += len(pred)
        found += len(pred & truth)
        blocks = list(iter_blocks(text))
        misses += [blocks[t].text[:70] for t in sorted(truth - pred)]
        false_splits += [blocks[p].text[:70] for p in sorted(pred - truth)]
    single_false = 0
    single_examples = []
    for _id, title, paragraphs in articles:
        text = "\n".join([title, *paragraphs])
        spans = article_spans(text, cfg)[1:]
        single_false += len(spans)
        single_examples += [f"{_id[:8]}: {text[s : s + 60]} ({why})" for s, _e, _h, why in spans]
    p = found / predicted if predicted else 1.0
    r = found / true_total if true_total else 1.0
    return {
        "separator": sep,
        "groups": len(groups),
        "boundaries": true_total,
        "predicted": predicted,
        "exact": found,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "false_splits_in_groups": predicted - found,
        "single_articles": len(articles),
        "false_splits_in_single_articles": single_false,
        "examples_missed": misses[:5],
        "examples_false": false_splits[:5],
        "examples_single_false": single_examples[:8],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sep", choices=[*SEPARATORS, "all"], default="all")
    ap.add_argument("--threshold", type=int, default=ArticlesConfig.threshold)
    ap.add_argument("--max-similarity", type=float, default=ArticlesConfig.max_topic_similarity)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not BENCH.is_dir():
        print(f"bench not found at {BENCH}", file=sys.stderr)
        return 2
    articles = load_articles()
    t0 = time.perf_counter()
    cfg = ArticlesConfig(threshold=args.threshold, max_topic_similarity=args.max_similarity)
    results = [evaluate(articles, s, args.seed, cfg) for s in (SEPARATORS if args.sep == "all" else [args.sep])]
    elapsed = time.perf_counter() - t0
    if args.json:
        print(json.dumps({"results": results, "seconds": round(elapsed, 2)}, indent=2, ensure_ascii=False))
        return 0
    for r in results:
        print(
            f"sep={r['separator']}: {r['groups']} files, {r['boundaries']} boundaries, {r['predicted']} predicted, "
            f"{r['exact']} exact -> precision {r['precision']:.3f} recall {r['recall']:.3f}; "
            f"false splits of single articles: {r['false_splits_in_single_articles']} in {r['single_articles']}"
        )
        for k in ("examples_missed", "examples_false", "examples_single_false"):
            for e in r[k]:
                print(f"  {k[9:]}: {e}")
    print(f"({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
