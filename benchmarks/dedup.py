"""Deduplication benchmark: a generated corpus with known near-duplicate clusters.

The corpus (fixed seed) is invented news: 16 topics, each with its own vocabulary and
names, written from shared template sentences and free sentences over a Zipf-weighted
vocabulary, so that distinct documents on the same topic share most of their words and
many phrases ("said on Monday that the") without being duplicates. Besides plain
distinct documents it holds:

- related: an article that reuses 20-60% of an earlier one's paragraphs, the rest new (an update or a
  rewrite of the same story: NOT a duplicate);
- clusters: an original plus 1-3 variants, each one of
  exact (identical), ws (whitespace/case changed), edit1..edit5 (1-5% of the words replaced,
  deleted or inserted), boiler (1-4 boilerplate lines added), reorder (paragraphs shuffled),
  trunc (last 10-30% of the characters cut), edit+trunc (2% edited, then 10-20% cut);
- site lines: half the documents carry one or two lines of their site's boilerplate.

Metrics: pairwise precision / recall over all pairs in the same predicted / true cluster,
recall per variant kind (variant in the same predicted cluster as its original), documents
per second per core for signatures and for clustering (process CPU time), peak RSS.

    .venv/bin/python benchmarks/dedup.py compare --n 10000       # libraries and parameters, one table
    .venv/bin/python benchmarks/dedup.py scale --n 100000        # ours: speed, memory, accuracy
    .venv/bin/python benchmarks/dedup.py scale --n 300000 --fast   # scale (sentence-pool corpus: quicker to generate)
    .venv/bin/python benchmarks/dedup.py scale --n 1000000 --synthetic  # clustering only, 1M random signatures
    .venv/bin/python benchmarks/dedup.py passages --n 10000      # repeated-passage stripping: line precision/recall
    .venv/bin/python benchmarks/dedup.py index --n 100000        # persistent SQLite index: add, query, size
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from typing import Iterator


import numpy as np  # noqa: E402

from cleaners.near_dup import (  # noqa: E402
    NearDupConfig,
    NearDupEntry,
    _candidate_pairs,
    _verify,
    find_clusters,
    shingles,
    signature,
)

# ----------------------------------------------------------------------------------------- generator

FUNCTION = (
    "the of and to in a that for on with as was by at from is it be are has have had will would "
    "not but they their its this which an said after over about more than also who were been into "
    "up out new one two last year week could other some when there"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SYLL = (
    "ka ro mi ta len dor vi sa nel pra to gu bel ar en is ul om fra ster cal mon ver tis pol gar "
    "han lo ri ze qua bri dem nor vak sil tor"
).split()
TEMPLATES = (
    "{N} said on {D} that the {t} {g} would {v} the {t} {g} by the end of the year.",
    "The {t} {g} was {v}ed after {N} met {N} in {P} on {D}.",
    "According to {N}, the {g} of the {t} {t} has {v}ed by {num} percent since last year.",
    '"We will {v} the {t} {g} as soon as we can," {N} told reporters in {P}.',
    "Officials in {P} said the {t} {g} could {v} {num} {g}s over the next {num} months.",
    "{N}, who leads the {t} {g}, declined to comment on the {t} {g}.",
    "The {g} is expected to {v} the {t} {t} when {N} returns to {P} on {D}.",
    "Critics said the {t} {g} would {v} the {g} and hurt the {t} {g} in {P}.",
    "In a statement on {D}, {N} said the {t} {g} had been {v}ed.",
    "The {t} {g} in {P} employs about {num} people, {N} said.",
)


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLL) for _ in range(n))


class Vocab:
    """Topics with their vocabulary and names; general words; site boilerplate lines."""

    def __init__(self, seed: int = 0, topics: int = 16, sites: int = 24) -> None:
        rng = random.Random(seed)
        self.general = sorted({_word(rng, rng.randint(2, 3)) for _ in range(4000)})
        self.verbs = sorted({_word(rng, 2) for _ in range(300)})
        self.topics = []
        for _ in range(topics):
            words = sorted({_word(rng, rng.randint(2, 4)) for _ in range(220)})
            names = sorted({_word(rng, 2).title() + " " + _word(rng, 3).title() for _ in range(40)})
            places = sorted({_word(rng, 3).title() for _ in range(12)})
            self.topics.append((words, names, places))
        self.sites = [
            [self._free(rng, self.general, rng.randint(6, 14)).rstrip(".") for _ in range(6)] for _ in range(sites)
        ]
        self.boiler = [self._free(rng, self.general, rng.randint(5, 16)) for _ in range(60)]
        # Zipf weights so that a few words of each list dominate, as in real text
        self._gen_cum = _cum(len(self.general))
        self._topic_cum = _cum(220)

    @staticmethod
    def _free(rng: random.Random, words: list[str], n: int) -> str:
        s = " ".join(rng.choice(words) for _ in range(n))
        return s[:1].upper() + s[1:] + "."

    def sentence(self, rng: random.Random, topic: int) -> str:
        words, names, places = self.topics[topic]
        if rng.random() < 0.45:
            t = rng.choice(TEMPLATES)
            out = []
            for part in t.split("{"):
                if "}" not in part:
                    out.append(part)
                    continue
                slot, rest = part.split("}", 1)
                out.append(
                    {
                        "N": lambda: rng.choice(names),
                        "D": lambda: rng.choice(DAYS),
                        "P": lambda: rng.choice(places),
                        "t": lambda: rng.choices(words, cum_weights=self._topic_cum[: len(words)])[0],
                        "g": lambda: rng.choices(self.general, cum_weights=self._gen_cum)[0],
                        "v": lambda: rng.choice(self.verbs),
                        "num": lambda: str(rng.randint(2, 900)),
                    }[slot]()
                )
                out.append(rest)
            return "".join(out)
        n = rng.randint(8, 26)
        ws = []
        for _ in range(n):
            r = rng.random()
            if r < 0.42:
                ws.append(rng.choice(FUNCTION))
            elif r < 0.72:
                ws.append(rng.choices(words, cum_weights=self._topic_cum[: len(words)])[0])
            elif r < 0.94:
                ws.append(rng.choices(self.general, cum_weights=self._gen_cum)[0])
            elif r < 0.98:
                ws.append(rng.choice(names))
            else:
                ws.append(rng.choice(places))
        s = " ".join(ws)
        return s[:1].upper() + s[1:] + rng.choice("...!?")[0]

    def paragraph(self, rng: random.Random, topic: int) -> str:
        return " ".join(self.sentence(rng, topic) for _ in range(rng.randint(1, 4)))

    def article(self, rng: random.Random, topic: int, site: int) -> list[str]:
        paras = [self.paragraph(rng, topic) for _ in range(rng.randint(2, 14))]
        if rng.random() < 0.5:
            lines = rng.sample(self.sites[site], rng.randint(1, 2))
            paras = lines[:1] + paras + lines[1:]
        return paras


def _cum(n: int) -> list[float]:
    c, out = 0.0, []
    for i in range(n):
        c += 1.0 / (i + 1) ** 0.9
        out.append(c)
    return out


def _edit(rng: random.Random, paras: list[str], rate: float, vocab: Vocab) -> list[str]:
    out = []
    for p in paras:
        ws = p.split(" ")
        new = []
        for w in ws:
            if rng.random() < rate:
                op = rng.random()
                if op < 0.6:
                    new.append(rng.choice(vocab.general))
                elif op < 0.8:
                    continue
                else:
                    new.extend([w, rng.choice(FUNCTION)])
            else:
                new.append(w)
        out.append(" ".join(new))
    return out


def _truncate(rng: random.Random, text: str, lo: float, hi: float) -> str:
    cut = int(len(text) * (1 - rng.uniform(lo, hi)))
    sp = text.rfind(" ", 0, cut)
    return text[: sp if sp > 0 else cut]


KINDS = ("exact", "ws", "edit1", "edit3", "edit5", "boiler", "reorder", "trunc", "edit+trunc")


def variant(rng: random.Random, kind: str, paras: list[str], vocab: Vocab) -> str:
    if kind == "exact":
        return "\n".join(paras)
    if kind == "ws":
        return "\n\n".join(p.replace(" ", "  ", 3) for p in paras).upper()
    if kind.startswith("edit") and "+" not in kind:
        return "\n".join(_edit(rng, paras, int(kind[4:]) / 100, vocab))
    if kind == "boiler":
        k = rng.randint(1, 4)
        add = rng.sample(vocab.boiler, k)
        cut = rng.randint(0, k)
        return "\n".join(add[:cut] + paras + add[cut:])
    if kind == "reorder":
        ps = paras[:]
        while len(ps) > 1 and ps == paras:
            rng.shuffle(ps)
        return "\n".join(ps)
    if kind == "trunc":
        return _truncate(rng, "\n".join(paras), 0.10, 0.30)
    if kind == "edit+trunc":
        return _truncate(rng, "\n".join(_edit(rng, paras, 0.02, vocab)), 0.10, 0.20)
    raise ValueError(kind)


def generate(n: int, seed: int = 0, vocab: Vocab | None = None) -> Iterator[tuple[str, str, int, str]]:
    """Yield (id, text, true cluster, kind) for n documents; kinds: original, distinct, related or a variant."""
    vocab = vocab or Vocab(seed)
    rng = random.Random(seed + 1)
    made = 0
    cluster = 0
    recent: list[list[str]] = []
    while made < n:
        topic = rng.randrange(len(vocab.topics))
        site = rng.randrange(len(vocab.sites))
        r = rng.random()
        if r < 0.12 and recent:  # related: 20-60% of an earlier article's paragraphs, the rest new
            base = rng.choice(recent)
            share = rng.uniform(0.2, 0.6)
            k = max(1, round(len(base) * share))
            reuse = rng.sample(base, k)
            new = [vocab.paragraph(rng, topic) for _ in range(max(1, round(k * (1 - share) / share)))]
            paras = reuse + new
            rng.shuffle(paras)
            yield f"d{made}", "\n".join(paras), cluster, "related"
            made += 1
            cluster += 1
            continue
        paras = vocab.article(rng, topic, site)
        recent.append(paras)
        if len(recent) > 200:
            recent.pop(0)
        if r < 0.77:
            yield f"d{made}", "\n".join(paras), cluster, "distinct"
            made += 1
        else:
            yield f"d{made}", "\n".join(paras), cluster, "original"
            made += 1
            for _ in range(rng.randint(1, 3)):
                if made >= n:
                    break
                kind = rng.choice(KINDS)
                yield f"d{made}", variant(rng, kind, paras, vocab), cluster, kind
                made += 1
        cluster += 1


def generate_fast(n: int, seed: int = 0) -> Iterator[tuple[str, str, int, str]]:
    """Scale-only corpus: documents of 5-14 sentences drawn from a pool of 300k generated ones."""
    vocab = Vocab(seed)
    rng = random.Random(seed + 2)
    pool = [vocab.sentence(rng, rng.randrange(len(vocab.topics))) for _ in range(300_000)]
    prev = ""
    for i in range(n):
        k = rng.randint(5, 14)
        text = "\n".join(" ".join(pool[rng.randrange(len(pool))] for _ in range(2)) for _ in range(k))
        if i % 5 == 4:  # a truncated copy of the previous document
            yield f"d{i}", _truncate(rng, prev, 0.1, 0.3), i - 1, "trunc"
            continue
        prev = text
        yield f"d{i}", text, i, "distinct"


# ----------------------------------------------------------------------------------------- metrics


def pair_scores(truth: list[int], pred: list[int]) -> dict[str, float]:
    """Pairwise precision and recall of a clustering (labels per document)."""
    c2 = lambda m: m * (m - 1) // 2  # noqa: E731
    tp = sum(c2(m) for m in Counter(zip(truth, pred)).values())
    pp = sum(c2(m) for m in Counter(pred).values())
    tt = sum(c2(m) for m in Counter(truth).values())
    return {
        "precision": tp / pp if pp else 1.0,
        "recall": tp / tt if tt else 1.0,
        "true_pairs": tt,
        "predicted_pairs": pp,
    }


def labels_from(ids: list[str], dup: dict[str, str]) -> list[int]:
    index = {d: i for i, d in enumerate(ids)}
    return [index[dup.get(d, d)] for d in ids]


def kind_recall(ids: list[str], truth: list[int], kinds: list[str], pred: list[int]) -> dict[str, float]:
    orig = {c: i for i, (c, k) in enumerate(zip(truth, kinds)) if k == "original"}
    hit: Counter = Counter()
    tot: Counter = Counter()
    for i, (c, k) in enumerate(zip(truth, kinds)):
        if k in KINDS and c in orig:
            tot[k] += 1
            hit[k] += pred[i] == pred[orig[c]]
    return {k: round(hit[k] / tot[k], 3) for k in KINDS if tot[k]}


def false_merges(ids: list[str], truth: list[int], kinds: list[str], pred: list[int]) -> Counter:
    """Kinds of the documents merged into a cluster that is not theirs."""
    by_pred: dict[int, Counter] = {}
    for t, p in zip(truth, pred):
        by_pred.setdefault(p, Counter())[t] += 1
    out: Counter = Counter()
    for t, p, k in zip(truth, pred, kinds):
        main = by_pred[p].most_common(1)[0][0]
        if t != main:
            out[k] += 1
    return out


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced_peak_mb(fn, *a) -> float:
    """Peak memory allocated while fn runs (tracemalloc sees numpy's buffers too); a separate, slower run."""
    import tracemalloc

    tracemalloc.start()
    fn(*a)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20)


# ----------------------------------------------------------------------------------------- methods


def ours_signatures(texts: list[str], cfg: NearDupConfig) -> tuple[list[bytes], float]:
    t = time.process_time()
    sigs = [signature(x, cfg) for x in texts]
    return sigs, time.process_time() - t


def ours_cluster(ids, texts, sigs, cfg) -> tuple[dict[str, str], float]:
    entries = [NearDupEntry(i, s, len(x), (n,)) for n, (i, x, s) in enumerate(zip(ids, texts, sigs))]
    t = time.process_time()
    res = find_clusters(entries, cfg)
    return {k: v[0] for k, v in res.items()}, time.process_time() - t


def _union(n: int, pairs) -> list[int]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def run_datasketch(texts: list[str], cfg: NearDupConfig, lsh_threshold: float, verify: bool):
    from datasketch import MinHash, MinHashLSH

    t = time.process_time()
    mhs, counts = [], []
    for x in texts:
        sh = shingles(x, cfg.shingle_words)
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update_batch([s.encode("utf-8") for s in sh])
        mhs.append(m)
        counts.append(len(sh))
    t_sig = time.process_time() - t
    t = time.process_time()
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=cfg.num_perm)
    pairs = []
    for i, m in enumerate(mhs):
        if counts[i] < cfg.min_shingles:
            continue
        for j in lsh.query(m):
            pairs.append((j, i))
        lsh.insert(i, m)
    if verify:
        values = np.stack([m.hashvalues.astype(np.uint64) for m in mhs])
        p = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        ok, _ = _verify(values, np.array(counts), p, cfg)
        pairs = p[ok].tolist()
    labels = _union(len(texts), pairs)
    return labels, t_sig, time.process_time() - t, len(pairs)


def run_rensa_lsh(texts: list[str], cfg: NearDupConfig, lsh_threshold: float, verify: bool):
    from rensa import RMinHash, RMinHashLSH

    t = time.process_time()
    mhs, counts = [], []
    for x in texts:
        sh = shingles(x, cfg.shingle_words)
        m = RMinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update(list(sh))
        mhs.append(m)
        counts.append(len(sh))
    t_sig = time.process_time() - t
    t = time.process_time()
    lsh = RMinHashLSH(threshold=lsh_threshold, num_perm=cfg.num_perm, num_bands=32)
    pairs = []
    for i, m in enumerate(mhs):
        if counts[i] < cfg.min_shingles:
            continue
        for j in lsh.query(m):
            pairs.append((j, i))
        lsh.insert(i, m)
    if verify:
        values = np.array([m.digest() for m in mhs], dtype=np.uint32)
        p = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        ok, _ = _verify(values, np.array(counts), p, cfg)
        pairs = p[ok].tolist()
    else:
        pairs = [(a, b) for a, b in pairs if lsh.is_similar(mhs[a], mhs[b])]
    labels = _union(len(texts), pairs)
    return labels, t_sig, time.process_time() - t, len(pairs)


def run_ours_unverified(texts, sigs, cfg):
    values = np.stack([np.frombuffer(s, dtype="<u4", offset=4) for s in sigs])
    counts = np.array([int.from_bytes(s[:4], "little") for s in sigs])
    keep = np.nonzero(counts >= cfg.min_shingles)[0]
    pairs = keep[_candidate_pairs(values[keep], cfg)]
    return _union(len(texts), pairs.tolist()), len(pairs)


# ----------------------------------------------------------------------------------------- commands


def header() -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()} {os.cpu_count()} cores (shared), {platform.python_implementation()} {platform.python_version()}",
        "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def load(n: int, seed: int, fast: bool = False):
    t = time.process_time()
    rows = list((generate_fast if fast else generate)(n, seed))
    gen = time.process_time() - t
    ids, texts, truth, kinds = (list(x) for x in zip(*rows))
    return ids, texts, truth, kinds, gen


def library_micro(texts: list[str], cfg: NearDupConfig) -> None:
    """MinHash hashing alone, on the same precomputed shingle sets, and bytes held per stored sketch."""

    from datasketch import LeanMinHash, MinHash
    from rensa import RMinHash

    t = time.process_time()
    sets = [shingles(x, cfg.shingle_words) for x in texts]
    t_sh = time.process_time() - t
    enc = [[s.encode("utf-8") for s in sh] for sh in sets]
    lists = [list(sh) for sh in sets]
    n = len(texts)
    template = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)

    def rensa_one(i):
        m = RMinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update(lists[i])
        return m

    def ds_one(i):
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update_batch(enc[i])
        return m

    def ds_shared(i):
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, permutations=template.permutations, scheme=template.scheme)
        m.update_batch(enc[i])
        return m

    def ours_bytes(i):
        m = rensa_one(i)
        return _HEADER_BYTES(len(sets[i])) + np.asarray(m.digest(), dtype="<u4").tobytes()

    methods = [
        ("rensa RMinHash (update on str list)", rensa_one),
        ("datasketch MinHash (update_batch on bytes)", ds_one),
        ("datasketch MinHash, shared permutations", ds_shared),
    ]
    print(
        f"\nMinHash hashing only, {n} docs, {sum(map(len, sets)) / n:.0f} shingles/doc; "
        f"shingling itself {n / t_sh:,.0f} docs/s"
    )
    print("| library | hash docs/s (CPU) | stored sketch: object | bytes/doc held |")
    print("|---|---|---|---|")

    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def held_bytes(make) -> float:
        """Resident bytes per object while n of them are held (RSS, not tracemalloc: it misses Rust's allocations).

        Freed heap pages are returned to the system first (malloc_trim), so that reusing them shows in RSS.
        """
        import ctypes
        import gc

        gc.collect()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        r0 = rss()
        held = make()
        size = rss() - r0
        del held
        gc.collect()
        return size / n

    for name, fn in methods:
        t = time.process_time()
        for i in range(n):
            fn(i)
        rate = n / (time.process_time() - t)
        size = held_bytes(lambda fn=fn: [fn(i) for i in range(n)])
        print(f"| {name} | {rate:,.0f} | {fn(0).__class__.__name__} | {size:,.0f} |", flush=True)
    size = held_bytes(lambda: [LeanMinHash(ds_shared(i)) for i in range(n)])
    print(f"| datasketch LeanMinHash (frozen copy) | - | LeanMinHash | {size:,.0f} |", flush=True)
    size = held_bytes(lambda: [ours_bytes(i) for i in range(n)])
    print(f"| ours: rensa digest as bytes (count + {cfg.num_perm} uint32) | - | bytes | {size:,.0f} |", flush=True)


def _HEADER_BYTES(count: int) -> bytes:
    return min(count, 0xFFFFFFFF).to_bytes(4, "little")


def cmd_compare(args) -> None:
    ids, texts, truth, kinds, gen = load(args.n, args.seed)
    print(json.dumps(header()))
    print(
        f"corpus: {len(ids)} docs, {sum(map(len, texts)) / len(texts):.0f} chars/doc, generated in {gen:.1f}s; "
        f"kinds {dict(Counter(kinds))}"
    )
    rows = []

    def row(name, labels, t_sig, t_cl, extra=""):
        s = pair_scores(truth, labels)
        kr = kind_recall(ids, truth, kinds, labels)
        rows.append((name, s, kr))
        sig_rate = f"{len(texts) / t_sig:,.0f}" if t_sig else "-"
        cl_rate = f"{len(texts) / t_cl:,.0f}" if t_cl else "-"
        fm = false_merges(ids, truth, kinds, labels)
        extra = extra + (" false merges: " + " ".join(f"{k}={v}" for k, v in sorted(fm.items())) if fm else "")
        print(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {sig_rate} | {cl_rate} | "
            f"{' '.join(f'{k}={v}' for k, v in kr.items())}{extra} |",
            flush=True,
        )

    print("| method | precision | recall | signatures docs/s | clustering docs/s | recall by kind |")
    print("|---|---|---|---|---|---|")
    base = NearDupConfig()
    rule = lambda c: f"J>={c.threshold} or C>={c.containment}"  # noqa: E731
    for k in (3, 4, 5):
        cfg = replace(base, shingle_words=k)
        sigs, t_sig = ours_signatures(texts, cfg)
        dup, t_cl = ours_cluster(ids, texts, sigs, cfg)
        row(f"ours k={k} {rule(cfg)} b{cfg.bands}r{cfg.rows}", labels_from(ids, dup), t_sig, t_cl)
        if k == 5:
            c2 = replace(cfg, threshold=0.8, containment=1.01)
            row(
                "ours k=5 J>=0.8 (the field notes' setting)",
                labels_from(ids, ours_cluster(ids, texts, sigs, c2)[0]),
                0,
                0,
            )
        if k != 3:
            continue
        labels, npairs = run_ours_unverified(texts, sigs, cfg)
        row(f"ours k=3 LSH b{cfg.bands}r{cfg.rows} unverified", labels, 0, 0)
        variants = [
            ("J>=0.8 only", dict(threshold=0.8, containment=1.01)),
            ("J>=0.6 only", dict(containment=1.01)),
            ("J>=0.5 or C>=0.9", dict(threshold=0.5)),
            ("J>=0.55 or C>=0.9", dict(threshold=0.55)),
            ("J>=0.65 or C>=0.9", dict(threshold=0.65)),
            ("J>=0.7 or C>=0.9", dict(threshold=0.7)),
            ("J>=0.6 or C>=0.8", dict(containment=0.8)),
            ("C>=0.8 only (overlap)", dict(threshold=1.01, containment=0.8)),
            (f"{rule(cfg)} b32r4", dict(bands=32, rows=4)),
            (f"{rule(cfg)} b16r4", dict(bands=16, rows=4)),
            (f"{rule(cfg)} b16r8", dict(bands=16, rows=8)),
            (f"{rule(cfg)} b25r5", dict(bands=25, rows=5)),
        ]
        for name, kw in variants:
            dup, t_cl = ours_cluster(ids, texts, sigs, replace(cfg, **kw))
            row(f"ours k=3 {name}", labels_from(ids, dup), 0, t_cl)
    if not args.no_libs:
        library_micro(texts[: args.ds_n], base)
        print()
        cfg = base
        labels, t_sig, t_cl, _ = run_rensa_lsh(texts, cfg, 0.5, verify=True)
        row("rensa RMinHashLSH(0.5, 32 bands) + our verification", labels, t_sig, t_cl)
        labels, t_sig, t_cl, _ = run_rensa_lsh(texts, cfg, 0.8, verify=False)
        row("rensa RMinHashLSH(0.8, 32 bands) is_similar only", labels, 0, t_cl)
        sub = min(len(texts), args.ds_n)
        labels, t_sig, t_cl, _ = run_datasketch(texts[:sub], cfg, 0.5, verify=True)
        s = pair_scores(truth[:sub], labels)
        print(
            f"| datasketch MinHash+MinHashLSH(0.5) + our verification, first {sub} docs | {s['precision']:.3f} | "
            f"{s['recall']:.3f} | {sub / t_sig:,.0f} | {sub / t_cl:,.0f} | |",
            flush=True,
        )
        labels, t_sig, t_cl, _ = run_datasketch(texts[:sub], cfg, 0.8, verify=False)
        s = pair_scores(truth[:sub], labels)
        print(
            f"| datasketch MinHashLSH(0.8) only, first {sub} docs | {s['precision']:.3f} | {s['recall']:.3f} | - | "
            f"{sub / t_cl:,.0f} | |",
            flush=True,
        )


def synthetic_signatures(n: int, cfg: NearDupConfig, seed: int = 0):
    """Clustering-only scale test: random signatures; every 5th a copy of an earlier one with 0-30% of values changed."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(50, 1000, n).astype("<u4")
    values = rng.integers(0, 2**32, (n, cfg.num_perm), dtype=np.uint64).astype("<u4")
    truth = np.arange(n)
    copies = np.arange(4, n, 5)
    src = copies - rng.integers(1, 4, len(copies))
    values[copies] = values[src]
    counts[copies] = counts[src]
    truth[copies] = truth[src]
    change = rng.random((len(copies), cfg.num_perm)) < rng.uniform(0, 0.3, (len(copies), 1))
    fresh = rng.integers(0, 2**32, change.sum(), dtype=np.uint64).astype("<u4")
    block = values[copies]
    block[change] = fresh
    values[copies] = block
    sigs = [counts[i].tobytes() + values[i].tobytes() for i in range(n)]
    return sigs, truth.tolist()


def cmd_scale(args) -> None:
    cfg = NearDupConfig()
    print(json.dumps(header()))
    if args.synthetic:
        t = time.process_time()
        sigs, truth = synthetic_signatures(args.n, cfg, args.seed)
        gen = time.process_time() - t
        entries = [NearDupEntry(f"d{i}", s, 1000, (i,)) for i, s in enumerate(sigs)]
        del sigs
        rss1 = maxrss_mb()
        cl = math.inf
        for _ in range(max(1, args.repeat)):
            t = time.process_time()
            run_stats: dict = {}
            res = find_clusters(entries, cfg, run_stats)
            if time.process_time() - t < cl:
                cl, stats = time.process_time() - t, run_stats
        ids = [e.id for e in entries]
        sc = pair_scores(truth, labels_from(ids, {k: v[0] for k, v in res.items()}))
        found = len(res)
        del res
        peak = traced_peak_mb(find_clusters, entries, cfg)
        print(
            json.dumps(
                {
                    "n": args.n,
                    "corpus": "synthetic signatures (copies: 0-30% of values changed)",
                    "generate_s": round(gen, 1),
                    "clustering_s": round(cl, 2),
                    "clustering_docs_per_s": round(args.n / cl),
                    "clustering_us_per_doc": round(1e6 * cl / args.n, 2),
                    "clustering_phases_cpu_s": stats["cpu_s"],
                    "candidate_pairs_per_doc": round(stats["candidate_pairs"] / args.n, 3),
                    "duplicates_found": found,
                    "precision": round(sc["precision"], 4),
                    "recall": round(sc["recall"], 4),
                    "maxrss_mb": {"signatures+entries": round(rss1), "after_clustering": round(maxrss_mb())},
                    "find_clusters_peak_mb": peak,
                },
                indent=1,
            )
        )
        return
    rss0 = maxrss_mb()
    t = time.process_time()
    gen_t = 0.0
    ids: list[str] = []
    lengths: list[int] = []
    truth: list[int] = []
    kinds: list[str] = []
    sigs: list[bytes] = []
    sign_t = 0.0
    it = (generate_fast if args.fast else generate)(args.n, args.seed)
    while True:  # stream: texts are not kept
        t0 = time.process_time()
        row = next(it, None)
        t1 = time.process_time()
        gen_t += t1 - t0
        if row is None:
            break
        i, text, c, k = row
        s = signature(text, cfg)
        sign_t += time.process_time() - t1
        ids.append(i)
        lengths.append(len(text))
        truth.append(c)
        kinds.append(k)
        sigs.append(s)
    rss_sign = maxrss_mb()
    entries = [NearDupEntry(i, s, n, (k,)) for k, (i, s, n) in enumerate(zip(ids, sigs, lengths))]
    del sigs
    rss_entries = maxrss_mb()
    cl_t = math.inf
    for _ in range(max(1, args.repeat)):  # the least CPU time of the repeats: shared cores add noise, never remove work
        t0 = time.process_time()
        run_stats: dict = {}
        res = find_clusters(entries, cfg, run_stats)
        if time.process_time() - t0 < cl_t:
            cl_t, stats = time.process_time() - t0, run_stats
    rss_cl = maxrss_mb()
    dup = {k: v[0] for k, v in res.items()}
    labels = labels_from(ids, dup)
    peak = traced_peak_mb(find_clusters, entries, cfg)
    s = pair_scores(truth, labels)
    out = {
        "n": args.n,
        "corpus": "fast (sentence pool)" if args.fast else "full generator",
        "generate_s": round(gen_t, 1),
        "signatures_s": round(sign_t, 1),
        "signatures_docs_per_s": round(args.n / sign_t),
        "signatures_us_per_doc": round(1e6 * sign_t / args.n, 1),
        "clustering_s": round(cl_t, 2),
        "clustering_runs": max(1, args.repeat),
        "clustering_docs_per_s": round(args.n / cl_t),
        "clustering_us_per_doc": round(1e6 * cl_t / args.n, 2),
        "clustering_phases_cpu_s": stats["cpu_s"],
        "candidate_pairs_per_doc": round(stats["candidate_pairs"] / args.n, 3),
        "verified_pairs_per_doc": round(stats["verified_pairs"] / args.n, 3),
        "duplicates_found": len(res),
        "precision": round(s["precision"], 4),
        "recall": round(s["recall"], 4),
        "maxrss_mb": {
            "start": round(rss0),
            "after_signatures": round(rss_sign),
            "with_entries": round(rss_entries),
            "after_clustering": round(rss_cl),
        },
        "find_clusters_peak_mb": peak,
        "cpu_s": round(time.process_time() - t, 1),
    }
    if not args.fast:
        out["recall_by_kind"] = kind_recall(ids, truth, kinds, labels)
        out["false_merges_by_kind"] = dict(false_merges(ids, truth, kinds, labels))
    print(json.dumps(out, indent=1))


def cmd_passages(args) -> None:
    """Repeated-passage stripping on one representative per true cluster (as after dedup), all in one group.

    Known boilerplate: the generator's site lines and added boilerplate lines; every other line removed is
    content (in this corpus: paragraphs that "related" articles reuse from an earlier one).
    """
    from cleaners.document import Document
    from cleaners.passage_counts import (
        PassageCountsConfig,
        count_passages,
        normalize_passage,
        passage_hashes,
        strip_common_passages,
    )

    ids, texts, truth, kinds, gen = load(args.n, args.seed)
    vocab = Vocab(args.seed)
    boiler = {normalize_passage(x) for site in vocab.sites for x in site} | {normalize_passage(x) for x in vocab.boiler}
    cfg = PassageCountsConfig(min_docs=args.min_docs) if args.min_docs else PassageCountsConfig()
    print(json.dumps(header()))
    reps = {}
    for c, x, k in zip(truth, texts, kinds):
        reps.setdefault(c, (x, k))
    docs = [x for x, _ in reps.values()]
    t = time.process_time()
    hashes = [passage_hashes(x, cfg) for x in docs]
    counts = count_passages(hashes)
    t_h = time.process_time() - t
    t = time.process_time()
    out = [strip_common_passages(Document.from_text(x), counts, cfg) for x in docs]
    t_s = time.process_time() - t
    tally: Counter = Counter()
    removed_kinds: Counter = Counter()
    for (x, kind), d in zip(reps.values(), out):
        gone = Counter(normalize_passage(e.before) for e in d.edits)
        for line in x.split("\n"):
            norm = normalize_passage(line)
            if not norm:
                continue
            is_b = norm in boiler
            hit = gone[norm] > 0
            if hit:
                gone[norm] -= 1
            tally[("boilerplate" if is_b else "content", "removed" if hit else "kept")] += 1
            if hit and not is_b:
                removed_kinds[kind] += 1
    b_rm, b_kept = tally[("boilerplate", "removed")], tally[("boilerplate", "kept")]
    c_rm, c_kept = tally[("content", "removed")], tally[("content", "kept")]
    print(
        json.dumps(
            {
                "docs": len(docs),
                "min_docs": cfg.min_docs,
                "min_chars": cfg.min_chars,
                "hash_docs_per_s": round(len(docs) / t_h),
                "hash_us_per_doc": round(1e6 * t_h / len(docs), 1),
                "strip_docs_per_s": round(len(docs) / t_s),
                "strip_us_per_doc": round(1e6 * t_s / len(docs), 1),
                "boilerplate_lines": b_rm + b_kept,
                "boilerplate_removed": b_rm,
                "content_lines": c_rm + c_kept,
                "content_removed": c_rm,
                "line_precision": round(b_rm / (b_rm + c_rm), 4) if b_rm + c_rm else 1.0,
                "line_recall": round(b_rm / (b_rm + b_kept), 4) if b_rm + b_kept else 1.0,
                "content_removed_by_doc_kind": dict(removed_kinds),
            },
            indent=1,
        )
    )


def cmd_index(args) -> None:
    """Persistent index: time to add N documents, to query candidates, and its size on disk."""
    import tempfile
    from pathlib import Path

    from flows.index import Index, IndexedDocument

    cfg = NearDupConfig()
    print(json.dumps(header()))
    rows = list(generate_fast(args.n, args.seed))
    sigs = [signature(r[1], cfg) for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ix.sqlite"
        with Index(path, cfg) as ix:
            t = time.perf_counter()
            c = time.process_time()
            batch = 10_000
            for s in range(0, len(rows), batch):
                ix.add_documents(
                    IndexedDocument(
                        r[0],
                        f"dump/{k // 1000}.jsonl",
                        "0" * 64,
                        None,
                        len(r[1]),
                        (k,),
                        sig,
                        "kept",
                        "site",
                        tuple(range(k % 50, k % 50 + 5)),
                    )
                    for k, (r, sig) in enumerate(zip(rows[s : s + batch], sigs[s : s + batch]), start=s)
                )
            add_wall, add_cpu = time.perf_counter() - t, time.process_time() - c
            q = sigs[:: max(1, len(sigs) // 5000)]
            t = time.perf_counter()
            c = time.process_time()
            found = sum(len(ix.candidates(sig)) for sig in q)
            q_wall, q_cpu = time.perf_counter() - t, time.process_time() - c
            t = time.perf_counter()
            c = time.process_time()
            removed = ix.forget("dump/0.jsonl")
            f_wall, f_cpu = time.perf_counter() - t, time.process_time() - c
            stats = ix.stats()
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    print(
        json.dumps(
            {
                "n": args.n,
                "add_docs_per_s_wall": round(args.n / add_wall),
                "add_docs_per_s_cpu": round(args.n / add_cpu),
                "candidates_queries_per_s_wall": round(len(q) / q_wall),
                "candidates_queries_per_s_cpu": round(len(q) / q_cpu),
                "mean_candidates": round(found / len(q), 2),
                "forget_docs": removed,
                "forget_s_wall": round(f_wall, 2),
                "forget_s_cpu": round(f_cpu, 2),
                "bytes_per_doc": round(size / args.n),
                "stats": stats,
            },
            indent=1,
        )
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--n", type=int, default=10000)
    c.add_argument("--ds-n", type=int, default=5000, help="datasketch is slow: run it on the first N documents")
    c.add_argument("--no-libs", action="store_true")
    s = sub.add_parser("scale")
    s.add_argument("--n", type=int, default=10000)
    s.add_argument("--fast", action="store_true", help="sentence-pool corpus (for 1M: generation is the bottleneck)")
    s.add_argument("--synthetic", action="store_true", help="clustering only, on random signatures with known copies")
    s.add_argument(
        "--repeat", type=int, default=1, help="run the clustering this many times, report the least CPU time"
    )
    p = sub.add_parser("passages")
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--min-docs", type=int, default=0, help="PassageCountsConfig.min_docs (default: the config's)")
    i = sub.add_parser("index")
    i.add_argument("--n", type=int, default=100000)
    for x in (c, s, p, i):
        x.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    {"compare": cmd_compare, "scale": cmd_scale, "passages": cmd_passages, "index": cmd_index}[args.cmd](args)


if __name__ == "__main__":
    main()
