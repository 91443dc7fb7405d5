"""Near-duplicate dedup across runs against within one run, through the real flow.

A corpus of near-duplicate news articles is written as text files: every article of the
bench's truth texts (``../shared/bench/text-boilerplate/truth`` and ``general-web/truth``,
read at run time, never copied into the repository) is a cluster; a seeded share of the
clusters gets 1 to 3 copies, each one edit of the original or of an earlier copy (a chain:
a syndicated copy edited again). Copy kinds: exact, ws (line breaks and case), edit2 /
edit4 / edit6 (2/4/6 % of the words replaced, deleted or doubled), trunc (the last 10 to
35 % cut), lede (only the first 55 to 70 %), reorder (paragraphs shuffled), boiler (share
and subscribe lines added), edit+trunc. File names are hashes, so a file's place in the
sorted order says nothing of its cluster.

The same files are cleaned by ``flows.clean_dump.clean_dump`` (one Prefect test server for
all runs):

- ``one``: one run over all files;
- ``halves``: the first half of the files (sorted by name) into OUT, then the second half
  into the same OUT;
- ``interleaved``: the even-numbered files, then the odd-numbered ones.

From each OUT the predicted clusters are read back (a rejected record's ``duplicate_of``,
followed to the document kept; a document superseded as a duplicate by a later run is
followed too) and scored against the true clusters: pairwise precision and recall, the
true pairs that cross the two runs and how many were found, and which pairs one run
finds that the two runs miss.

    .venv/bin/python benchmarks/cross_run.py                 # all the bench's articles, seed 0
    .venv/bin/python benchmarks/cross_run.py --seed 1 --dup-share 0.5
    .venv/bin/python benchmarks/cross_run.py --json          # the figures as JSON
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

# `python benchmarks/cross_run.py` puts benchmarks/ first on sys.path (benchmarks/html.py would shadow `html`)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
SOURCES = ("text-boilerplate/truth", "general-web/truth")

KINDS = ("exact", "ws", "edit2", "edit4", "edit6", "trunc", "lede", "reorder", "boiler", "edit+trunc")
BOILER = (
    "Share this article on Facebook, Twitter and by email.",
    "Sign up for our daily newsletter to get the top stories in your inbox every morning.",
    "Copyright 2024 the publisher. All rights reserved.",
    "Click here to read more stories from our correspondents around the world.",
    "Advertisement",
)


# ----------------------------------------------------------------------------------------- corpus


def _edit(rng: random.Random, text: str, rate: float, words: list[str]) -> str:
    out_lines = []
    for line in text.split("\n"):
        new = []
        for w in line.split(" "):
            if w and rng.random() < rate:
                op = rng.random()
                if op < 0.6:
                    new.append(rng.choice(words))
                elif op < 0.8:
                    continue
                else:
                    new += [w, rng.choice(words)]
            else:
                new.append(w)
        out_lines.append(" ".join(new))
    return "\n".join(out_lines)


def _cut(rng: random.Random, text: str, lo: float, hi: float) -> str:
    cut = int(len(text) * (1 - rng.uniform(lo, hi)))
    sp = text.rfind(" ", 0, cut)
    return text[: sp if sp > 0 else cut].rstrip()


def variant(rng: random.Random, kind: str, text: str, words: list[str]) -> str:
    """One copy of ``text`` of the given kind."""
    if kind == "exact":
        return text
    if kind == "ws":
        return "\n\n".join(line.replace(" ", "  ", 2) for line in text.split("\n")).upper()
    if kind.startswith("edit") and "+" not in kind:
        return _edit(rng, text, int(kind[4:]) / 100, words)
    if kind == "trunc":
        return _cut(rng, text, 0.10, 0.35)
    if kind == "lede":
        return _cut(rng, text, 0.30, 0.45)
    if kind == "reorder":
        paras = text.split("\n")
        shuffled = paras[:]
        while len(shuffled) > 1 and shuffled == paras:
            rng.shuffle(shuffled)
        return "\n".join(shuffled)
    if kind == "boiler":
        add = rng.sample(BOILER, rng.randint(1, 3))
        cut = rng.randint(0, len(add))
        return "\n".join([*add[:cut], text, *add[cut:]])
    if kind == "edit+trunc":
        return _cut(rng, _edit(rng, text, 0.03, words), 0.10, 0.25)
    raise ValueError(kind)


def base_texts(limit: int | None = None) -> list[str]:
    """The bench's truth texts of 400 characters or more, in a fixed order."""
    texts = []
    for sub in SOURCES:
        for p in sorted((SHARED / sub).glob("*.txt")):
            t = p.read_text(encoding="utf-8").strip()
            if len(t) >= 400:
                texts.append("\n".join(line.strip() for line in t.splitlines() if line.strip()))
    return texts[:limit] if limit else texts


def make_corpus(
    texts: list[str], seed: int = 0, dup_share: float = 0.4, chain: float = 0.5
) -> list[tuple[str, str, int, str]]:
    """(file name, text, true cluster, kind) of every file, sorted by file name.

    ``dup_share`` of the texts get 1 to 3 copies; each copy is made from the original, or with
    probability ``chain`` from the cluster's latest copy.
    """
    rng = random.Random(seed)
    words = sorted({w for t in texts for w in t.split() if w.isalpha() and len(w) > 3})
    docs = []
    for c, text in enumerate(texts):
        docs.append((c, text, "original"))
        if rng.random() >= dup_share:
            continue
        latest = text
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(KINDS)
            src = latest if rng.random() < chain else text
            latest = variant(rng, kind, src, words)
            docs.append((c, latest, kind if src is text else f"{kind}(chain)"))
    out = []
    for n, (c, text, kind) in enumerate(docs):
        name = hashlib.sha256(f"{seed}:{n}".encode()).hexdigest()[:16] + ".txt"
        out.append((name, text, c, kind))
    return sorted(out)


def write_corpus(corpus: list[tuple[str, str, int, str]], folder: Path, names: list[str] | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    keep = set(names) if names is not None else None
    for name, text, _c, _k in corpus:
        if keep is None or name in keep:
            (folder / name).write_text(text + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------- runs


def read_clusters(out: Path) -> dict[str, str]:
    """source path -> source path of the document it was kept as (itself when kept)."""
    path_of: dict[str, str] = {}
    dup_of: dict[str, str] = {}
    for sub in ("documents", "rejected"):
        for part in sorted((out / sub).glob("part-*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                path = Path(rec["source"]["path"]).name
                path_of[rec["id"]] = path
                reason = rec.get("reason", "")
                for prefix in ("duplicate_of:", "superseded_by:"):
                    if reason.startswith(prefix):
                        dup_of[rec["id"]] = reason[len(prefix) :]
    rep = {}
    for doc_id, path in path_of.items():
        seen = set()
        r = doc_id
        while r in dup_of and r not in seen:
            seen.add(r)
            r = dup_of[r]
        rep[path] = path_of.get(r, r)
    return rep


def run_flow(corpus, batches: list[list[str]], tmp: Path, tag: str) -> tuple[dict[str, str], list[str]]:
    """Clean the files batch by batch into one OUT (one input folder per batch); returns the clusters
    and what ``launder verify`` finds wrong with the OUT."""
    from flows.clean_dump import clean_dump
    from flows.verify import verify_output

    out = tmp / f"out-{tag}"
    for n, names in enumerate(batches):
        folder = tmp / f"in-{tag}-{n}"
        write_corpus(corpus, folder, names)
        clean_dump(inputs=[str(folder)], out=str(out), workers=1)
    return read_clusters(out), verify_output(str(out))[1]


def predicted_pairs(names: list[str], pred: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of files in the same predicted cluster (a file missing from OUT is a cluster of its own)."""
    by_pred: dict[str, list[str]] = {}
    for n in sorted(names):
        by_pred.setdefault(pred.get(n, n), []).append(n)
    return {p for g in by_pred.values() for p in combinations(g, 2)}


def score(corpus, pred: dict[str, str], batch_of: dict[str, int] | None = None) -> dict:
    truth = {name: c for name, _t, c, _k in corpus}
    names = sorted(truth)
    true_pairs = {(a, b) for a, b in combinations(names, 2) if truth[a] == truth[b]}
    pred_pairs = predicted_pairs(names, pred)
    tp = true_pairs & pred_pairs
    out = {
        "documents": len(names),
        "true_pairs": len(true_pairs),
        "predicted_pairs": len(pred_pairs),
        "found": len(tp),
        "precision": round(len(tp) / len(pred_pairs), 4) if pred_pairs else 1.0,
        "recall": round(len(tp) / len(true_pairs), 4) if true_pairs else 1.0,
    }
    if batch_of is not None:
        cross = {p for p in true_pairs if batch_of[p[0]] != batch_of[p[1]]}
        out["cross_pairs"] = len(cross)
        out["cross_found"] = len(cross & pred_pairs)
        wrong = {p for p in pred_pairs - true_pairs if batch_of[p[0]] != batch_of[p[1]]}
        out["cross_false"] = len(wrong)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles (0: all)")
    ap.add_argument("--dup-share", type=float, default=0.4, help="share of the articles that get copies")
    ap.add_argument("--chain", type=float, default=0.5, help="probability a copy is made from the latest copy")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not SHARED.exists():
        sys.exit(f"needs {SHARED} (the read-only ../shared beside the checkout), which is absent")

    for key, value in {
        "PREFECT_LOGGING_LEVEL": "ERROR",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    }.items():
        os.environ.setdefault(key, value)
    from prefect.testing.utilities import prefect_test_harness

    corpus = make_corpus(base_texts(args.limit or None), args.seed, args.dup_share, args.chain)
    names = [c[0] for c in corpus]
    half = len(names) // 2
    splits = {
        "one": [names],
        "halves": [names[:half], names[half:]],
        "interleaved": [names[0::2], names[1::2]],
    }
    kinds = Counter(k for *_x, k in corpus)
    results: dict[str, dict] = {}
    preds: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="cross-run-") as tmp, prefect_test_harness(server_startup_timeout=180):
        for tag, batches in splits.items():
            pred, problems = run_flow(corpus, batches, Path(tmp), tag)
            batch_of = {n: b for b, ns in enumerate(batches) for n in ns}
            results[tag] = score(corpus, pred, batch_of if len(batches) > 1 else None)
            results[tag]["verify_problems"] = len(problems)
            preds[tag] = pred
    # the pairs crossing each split: how many the single run found
    for tag in ("halves", "interleaved"):
        batches = splits[tag]
        batch_of = {n: b for b, ns in enumerate(batches) for n in ns}
        one = score(corpus, preds["one"], batch_of)
        results[tag]["cross_found_by_one_run"] = one["cross_found"]
        p1, p2 = predicted_pairs(names, preds["one"]), predicted_pairs(names, preds[tag])
        results[tag]["pairs_only_one_run"] = len(p1 - p2)  # found by the one run, not by the two
        results[tag]["pairs_only_two_runs"] = len(p2 - p1)
    if args.json:
        print(json.dumps({"corpus": {"documents": len(corpus), "kinds": dict(kinds)}, "results": results}, indent=1))
        return
    print(f"corpus: {len(corpus)} files, {len(set(c for _n, _t, c, _k in corpus))} clusters; seed {args.seed}")
    print("kinds:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(
        "| runs | true pairs | found | precision | recall | pairs across the runs | found across | found by one run"
        " | pairs only one run / only two runs find | verify problems |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tag, r in results.items():
        diff = f"{r['pairs_only_one_run']} / {r['pairs_only_two_runs']}" if "pairs_only_one_run" in r else ""
        print(
            f"| {tag} | {r['true_pairs']} | {r['found']} | {r['precision']} | {r['recall']} | "
            f"{r.get('cross_pairs', '')} | {r.get('cross_found', '')} | {r.get('cross_found_by_one_run', '')} | {diff} | "
            f"{r['verify_problems']} |"
        )


if __name__ == "__main__":
    main()
