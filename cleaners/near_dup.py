"""Near-duplicate documents: MinHash signatures of word shingles, LSH candidates, verified, clustered.

Two halves, so that the expensive part runs in the shard workers and only small
signatures travel:

1. :func:`signature` (per document, in the workers): the text is NFKC-normalized,
   casefolded and cut into words (``\\w+``) line by line; the shingles are the
   ``shingle_words``-word windows of each line (a line shorter than that is one
   shingle), so reordering paragraphs changes nothing. The signature is ``bytes``:
   a little-endian uint32 count of distinct shingles, then ``num_perm`` uint32
   MinHash values (rensa ``RMinHash``, deterministic across processes and runs).
   :func:`signature_to_str` / :func:`signature_from_str` make it JSON-able (base64).

2. :func:`find_clusters` (once over all signatures): LSH banding (``bands`` bands of
   ``rows`` values; our own banding over numpy, see benchmarks/README.md) proposes
   candidate pairs; each pair is VERIFIED with the full signature; verified pairs
   are joined transitively (union-find) and every cluster gets one representative.

Verification: a candidate pair is a duplicate when the Jaccard similarity of the
two shingle sets, estimated from the full signatures (all ``num_perm`` values, not
only the banded ones), is at least ``threshold`` (0.6 with 3-word shingles: a copy
with about 9% of its words edited, or its last 40% cut), OR when the smaller set
is at least ``containment`` contained in the larger -- ``|A ∩ B| / min(|A|, |B|)``,
estimated from the Jaccard ``J`` and the stored shingle counts as
``|A ∩ B| = J (|A| + |B|) / (1 + J)`` -- which catches copies cut harder or padded
with added lines, provided the smaller has at least ``min_size_ratio`` of the
larger's shingles (a paragraph is not a duplicate of the article quoting it).
The numbers were chosen on benchmarks/dedup.py (see benchmarks/README.md): at 10k
documents this rule gave pairwise precision 0.999 and recall 0.999, where an
overlap threshold of 0.8 alone merged more related-but-distinct articles.
Texts with fewer than ``min_shingles`` distinct shingles are too short to judge
and are never clustered (exact dedup still sees them). The similarity reported
with each duplicate is the estimated Jaccard to its representative.

Representative of a cluster: a ``prior`` entry first (a document published by an
earlier run never becomes a duplicate), then the most complete text (longest),
then the earliest seen (``order``), then the smallest id. Prior entries never
appear as keys of the result, unless ``prior_members=True``: then a prior entry that is not
its cluster's representative is reported too (new entries joining two earlier documents' clusters,
which a later run must merge to find what one run over all of them finds).

>>> cfg = NearDupConfig()
>>> base = "\\n".join(f"Paragraph {i} says the council met on day {i} to vote on the budget for the harbour." for i in range(12))
>>> edited = base.replace("budget for the harbour", "budget of the harbour", 1)
>>> other = "\\n".join(f"Line {i}: the striker scored twice as the home side won the derby in week {i}." for i in range(12))
>>> entries = [NearDupEntry(i, signature(t, cfg), len(t), (n,)) for n, (i, t) in enumerate([("a", base), ("b", edited), ("c", other)])]
>>> {k: (rep, round(sim, 1)) for k, (rep, sim) in find_clusters(entries, cfg).items()}
{'b': ('a', 0.9)}

Against an earlier run: :func:`band_keys` gives the LSH bucket keys a persistent
index stores (``flows.index.Index.candidates``); pass the candidates' stored
entries with ``prior=True`` together with the new entries to :func:`find_clusters`.
"""

from __future__ import annotations

import base64
import re
import struct
import time
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from rensa import RMinHash

from .steps import StepConfig

Signature = bytes  # uint32 LE shingle count, then num_perm uint32 LE MinHash values

_WORD = re.compile(r"\w+")
_HEADER = struct.Struct("<I")
_PRIME = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime
_BASIS = np.uint64(0xCBF29CE484222325)
_PRIME_I, _BASIS_I, _MASK = int(_PRIME), int(_BASIS), (1 << 64) - 1


@dataclass(frozen=True)
class NearDupConfig(StepConfig):
    """Near-duplicate detection (see the module docstring for what each number means)."""

    shingle_words: int = 3  # words per shingle (5 loses 3%-edited copies; see benchmarks/README.md)
    num_perm: int = 128  # MinHash values per signature
    seed: int = 1
    bands: int = 20  # LSH bands ...
    rows: int = 4  # ... of this many values each (bands * rows <= num_perm)
    threshold: float = 0.6  # estimated Jaccard at or above which a candidate pair is a duplicate ...
    containment: float = 0.9  # ... or estimated containment of the smaller in the larger at or above this
    min_size_ratio: float = 0.5  # ... when the smaller has at least this fraction of the larger's shingles
    min_shingles: int = 10  # shorter texts are not clustered


# ----------------------------------------------------------------------------------------- signatures


def shingles(text: str, k: int) -> set[str]:
    """The distinct k-word shingles of ``text``, taken line by line (a shorter line is one shingle).

    >>> sorted(shingles("The cat sat on the mat.\\nHe said.", 3))
    ['cat sat on', 'he said', 'on the mat', 'sat on the', 'the cat sat']
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    out: set[str] = set()
    k = max(1, k)
    for line in text.casefold().split("\n"):
        words = _WORD.findall(line)
        if not words:
            continue
        if len(words) <= k:
            out.add(" ".join(words))
        else:
            out.update(map(" ".join, zip(*(words[i:] for i in range(k)))))
    return out


def signature(text: str, cfg: NearDupConfig) -> Signature:
    """The document's signature: distinct shingle count + MinHash (compact ``bytes``, picklable).

    >>> cfg = NearDupConfig()
    >>> len(signature("any text at all", cfg)) == 4 + 4 * cfg.num_perm
    True
    >>> signature("Same words, same case!", cfg) == signature("same  words same CASE", cfg)
    True
    """
    sh = shingles(text, cfg.shingle_words)
    m = RMinHash(num_perm=cfg.num_perm, seed=cfg.seed)
    if sh:
        m.update(list(sh))
    values = np.asarray(m.digest(), dtype="<u4")
    return _HEADER.pack(min(len(sh), 0xFFFFFFFF)) + values.tobytes()


def shingle_count(sig: Signature) -> int:
    """Distinct shingles of the text a signature was made from."""
    return _HEADER.unpack_from(sig)[0]


def signature_to_str(sig: Signature) -> str:
    """JSON-able form of a signature (base64).

    >>> s = signature("a b c d", NearDupConfig()); signature_from_str(signature_to_str(s)) == s
    True
    """
    return base64.b64encode(sig).decode("ascii")


def signature_from_str(s: str) -> Signature:
    return base64.b64decode(s.encode("ascii"))


def _values(sig: Signature) -> np.ndarray:
    return np.frombuffer(sig, dtype="<u4", offset=4)


# ----------------------------------------------------------------------------------------- similarity


def _overlap(j: np.ndarray, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """Containment of the smaller set in the larger (overlap coefficient) from Jaccard and set sizes."""
    ca = ca.astype(np.float64)
    cb = cb.astype(np.float64)
    small = np.minimum(ca, cb)
    inter = j * (ca + cb) / (1.0 + j)
    with np.errstate(divide="ignore", invalid="ignore"):
        ov = np.where(small > 0, inter / np.maximum(small, 1.0), 0.0)
    return np.clip(ov, 0.0, 1.0)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two documents' shingle sets.

    >>> cfg = NearDupConfig()
    >>> text = " ".join(f"w{i}" for i in range(300))
    >>> round(similarity(signature(text, cfg), signature(text, cfg)), 2)
    1.0
    """
    va, vb = _values(a), _values(b)
    return float(np.count_nonzero(va == vb)) / len(va) if len(va) else 0.0


def containment(a: Signature, b: Signature) -> float:
    """Estimated containment of the smaller document's shingles in the larger's.

    >>> cfg = NearDupConfig()
    >>> text = " ".join(f"w{i}" for i in range(300))
    >>> containment(signature(text, cfg), signature(text[: len(text) * 6 // 10], cfg)) > 0.9
    True
    """
    j = similarity(a, b)
    return float(_overlap(np.array([j]), np.array([shingle_count(a)]), np.array([shingle_count(b)]))[0])


def is_near_duplicate(a: Signature, b: Signature, cfg: NearDupConfig) -> bool:
    """Does a pair pass verification (both long enough; Jaccard or containment rule)?"""
    ok, _ = _verify(
        np.stack([_values(a), _values(b)]),
        np.array([shingle_count(a), shingle_count(b)]),
        np.array([[0, 1]]),
        cfg,
    )
    return bool(ok[0])


# ----------------------------------------------------------------------------------------- LSH bands


def _band_hash(block: np.ndarray, b: int, cfg: NearDupConfig) -> np.ndarray:
    """(m, >= bands * rows) uint32 -> (m,) int64 bucket keys of band ``b`` (band index mixed in)."""
    h = np.full(block.shape[0], _BASIS ^ np.uint64(b + 1), dtype=np.uint64)
    for c in range(b * cfg.rows, (b + 1) * cfg.rows):
        h ^= block[:, c]  # uint32 -> uint64 in place
        h *= _PRIME
    # splitmix64 finalizer: spread the bits
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h.view(np.int64)


def _band_keys_by_band(values: np.ndarray, cfg: NearDupConfig, block: int = 4096) -> np.ndarray:
    """(n, num_perm) uint32 -> (bands, n) int64 bucket keys, one contiguous row per band.

    Computed over blocks of rows copied out whole (a few MB, in cache): reading the matrix
    column by column instead costs a pass over all signatures per banded column, which
    grows slower than linear once the signatures no longer fit in the CPU cache.
    """
    if cfg.bands * cfg.rows > values.shape[1]:
        raise ValueError("bands * rows exceeds num_perm")
    n, width = values.shape[0], cfg.bands * cfg.rows
    out = np.empty((cfg.bands, n), dtype=np.int64)
    for s in range(0, n, block):
        blk = np.ascontiguousarray(values[s : s + block, :width])
        for b in range(cfg.bands):
            out[b, s : s + block] = _band_hash(blk, b, cfg)
    return out


def _band_matrix(values: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """(n, num_perm) uint32 -> (n, bands) int64 bucket keys (band index mixed in)."""
    return _band_keys_by_band(values, cfg).T


def band_keys(sig: Signature, cfg: NearDupConfig) -> list[int]:
    """LSH bucket keys of one signature (signed 64-bit ints, as SQLite stores them); [] if too short.

    Two documents are candidates when they share a key.

    >>> cfg = NearDupConfig()
    >>> s = signature(" ".join(f"w{i}" for i in range(50)), cfg)
    >>> len(band_keys(s, cfg)) == cfg.bands
    True
    """
    if shingle_count(sig) < cfg.min_shingles:
        return []
    if cfg.bands * cfg.rows > (len(sig) - 4) // 4:
        raise ValueError("bands * rows exceeds num_perm")
    # the same arithmetic as _band_matrix, on Python ints (numpy costs ~0.5 ms per signature here)
    values = struct.unpack_from(f"<{cfg.bands * cfg.rows}I", sig, 4)
    out = []
    for b in range(cfg.bands):
        h = _BASIS_I ^ (b + 1)
        for v in values[b * cfg.rows : (b + 1) * cfg.rows]:
            h = ((h ^ v) * _PRIME_I) & _MASK
        h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK
        h ^= h >> 31
        out.append(h - (1 << 64) if h >> 63 else h)
    return out


# ----------------------------------------------------------------------------------------- clustering


@dataclass(frozen=True)
class NearDupEntry:
    """What near-dup clustering needs to know of a document."""

    id: str
    signature: Signature
    length: int  # characters of clean text: more is more complete
    order: tuple[int, ...]  # input order (file, record, part): earlier is preferred
    prior: bool = False  # cleaned and published by an earlier run: never made a duplicate


class _Store:
    """Signatures in one flat buffer (4 + 4 * num_perm bytes per entry, no per-entry numpy call), entry fields in lists."""

    def __init__(self, num_perm: int) -> None:
        self.p = num_perm
        self.buf = bytearray()
        self.n = 0
        self.ids: list[str] = []
        self.lengths: list[int] = []
        self.orders: list[tuple[int, ...]] = []
        self.prior: list[bool] = []

    def add(self, e: NearDupEntry) -> None:
        self.buf += e.signature
        self.n += 1
        self.ids.append(e.id)
        self.lengths.append(e.length)
        self.orders.append(e.order)
        self.prior.append(e.prior)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(n, num_perm) uint32 MinHash values and (n,) shingle counts: views of the buffer, no copy."""
        m = np.frombuffer(self.buf, dtype="<u4").reshape(self.n, 1 + self.p)
        return m[:, 1:], m[:, 0]

    def key(self, i: int) -> tuple:
        """Representative preference of entry i: smaller is better."""
        return (not self.prior[i], -self.lengths[i], tuple(self.orders[i]), self.ids[i])


def _candidate_pairs(values: np.ndarray, cfg: NearDupConfig) -> np.ndarray:
    """Unique (i, j) index pairs, i < j, sharing an LSH bucket (star + chain within each bucket).

    The keys of all bands are computed in one pass over the signatures; then one band at
    a time, the bands' pairs merged into the unique set whenever more than ``2 n`` wait.
    """
    n = values.shape[0]
    all_keys = _band_keys_by_band(values, cfg)  # 8 * bands bytes per entry
    codes = np.empty(0, dtype=np.int64)  # i * n + j, sorted, unique
    pending: list[np.ndarray] = []  # the last bands' codes, not yet merged
    waiting = 0
    pos = np.arange(n)
    for b in range(cfg.bands):
        keys = all_keys[b]
        order = np.argsort(keys, kind="stable")  # stable: a bucket's members in input order
        k = keys[order]
        del keys
        same = np.empty(n, dtype=bool)
        same[0] = False
        same[1:] = k[1:] == k[:-1]
        del k
        idx = np.nonzero(same)[0]
        if not len(idx):
            continue
        run_start = np.maximum.accumulate(np.where(same, 0, pos))[idx]  # first position of each bucket
        del same
        star = run_start != idx - 1  # the chain pair already links a bucket's second member to its first
        a = np.concatenate([order[idx - 1], order[run_start[star]]])
        c = np.concatenate([order[idx], order[idx[star]]])
        lo, hi = np.minimum(a, c).astype(np.int64), np.maximum(a, c).astype(np.int64)
        pending.append(lo[lo != hi] * n + hi[lo != hi])
        waiting += len(pending[-1])
        if waiting > 2 * n:  # bounds the memory of repeated pairs; one sort per merge, not one per band
            codes = np.unique(np.concatenate([codes, *pending]))
            pending, waiting = [], 0
    codes = np.unique(np.concatenate([codes, *pending]))
    return np.stack([codes // n, codes % n], axis=1)


def _verify(
    values: np.ndarray, counts: np.ndarray, pairs: np.ndarray, cfg: NearDupConfig
) -> tuple[np.ndarray, np.ndarray]:
    """For each (i, j) pair: is it a duplicate, and its estimated Jaccard."""
    ok = np.zeros(len(pairs), dtype=bool)
    jac = np.zeros(len(pairs), dtype=np.float64)
    step = 16384  # bounds the temporaries: 2 * step * num_perm * 4 bytes
    for s in range(0, len(pairs), step):
        a, b = pairs[s : s + step, 0], pairs[s : s + step, 1]
        j = np.count_nonzero(values[a] == values[b], axis=1) / values.shape[1]
        ca, cb = counts[a], counts[b]
        long_enough = np.minimum(ca, cb) >= cfg.min_shingles
        sized = np.minimum(ca, cb) >= cfg.min_size_ratio * np.maximum(ca, cb)
        contained = sized & (_overlap(j, ca, cb) >= cfg.containment)
        ok[s : s + step] = long_enough & ((j >= cfg.threshold) | contained)
        jac[s : s + step] = j
    return ok, jac


def find_clusters(
    entries: Iterable[NearDupEntry], cfg: NearDupConfig, stats: dict | None = None, prior_members: bool = False
) -> dict[str, tuple[str, float]]:
    """Near-duplicate clusters: duplicate id -> (representative id, estimated Jaccard to it).

    One pass: read all signatures into arrays, LSH candidate pairs, verify each
    pair with the full signatures, union-find, pick representatives. Memory is
    about ``4 * num_perm`` bytes per entry (one flat buffer) plus the LSH keys
    (``8 * bands`` bytes per entry) and the candidate pairs; a generator of entries
    keeps the caller from holding them all. Entries with an id seen before are
    ignored; entries too short to judge are skipped. ``stats``, when given, receives
    the counts of entries clustered, candidate pairs and verified pairs, and the CPU
    seconds of each phase (``cpu_s``: read, candidates, verify, clusters).
    """
    if not cfg.enabled:
        return {}
    clock = [time.process_time()]
    cpu: dict[str, float] = {}

    def lap(name: str) -> None:
        clock.append(time.process_time())
        cpu[name] = round(clock[-1] - clock[-2], 3)

    store = _Store(cfg.num_perm)
    seen: set[str] = set()
    sig_len = 4 + 4 * cfg.num_perm
    for e in entries:
        if e.id in seen:
            continue
        seen.add(e.id)
        if len(e.signature) != sig_len:
            raise ValueError(
                f"signature of {e.id!r} has {len(e.signature)} bytes, expected {sig_len} (other num_perm?)"
            )
        if shingle_count(e.signature) < cfg.min_shingles:
            continue
        store.add(e)
    n = store.n
    if stats is not None:
        stats.update(entries=n, candidate_pairs=0, verified_pairs=0, cpu_s=cpu)
    if n < 2:
        return {}
    values, counts = store.arrays()
    lap("read")
    pairs = _candidate_pairs(values, cfg)
    lap("candidates")
    ok, _ = _verify(values, counts, pairs, cfg)
    good = pairs[ok]
    lap("verify")
    if stats is not None:
        stats.update(candidate_pairs=len(pairs), verified_pairs=len(good))

    parent = list(range(n))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in good.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    members: dict[int, list[int]] = {}
    for i in {int(x) for x in good.ravel()}:
        members.setdefault(find(i), []).append(i)
    ids = store.ids
    rep_dup: list[tuple[int, int]] = []
    for group in members.values():
        rep = min(group, key=store.key)
        rep_dup += [(rep, i) for i in group if i != rep and (prior_members or not store.prior[i])]
    if not rep_dup:
        return {}
    rd = np.array(sorted(rep_dup, key=lambda p: p[1]), dtype=np.int64)  # duplicates in input order
    _, sims = _verify(values, counts, rd, cfg)
    out = {ids[d]: (ids[r], round(s, 4)) for (r, d), s in zip(rd.tolist(), sims.tolist())}
    lap("clusters")
    return out


def merge_duplicates(exact: dict[str, str], near: dict[str, tuple[str, float]]) -> dict[str, tuple[str, float]]:
    """Compose exact dedup (run first) and near dedup (run on exact representatives).

    Every duplicate then points at its final representative: an exact duplicate of
    a document that is itself a near duplicate points at the near representative,
    with that similarity.

    >>> merge_duplicates({"x": "a"}, {"a": ("b", 0.9)})
    {'x': ('b', 0.9), 'a': ('b', 0.9)}
    """
    out: dict[str, tuple[str, float]] = {}
    for dup, rep in exact.items():
        out[dup] = near.get(rep, (rep, 1.0))
    out.update(near)
    return out


def signatures_matrix(sigs: Sequence[Signature]) -> np.ndarray:
    """(n, num_perm) uint32 matrix of many signatures' MinHash values (for tools and benchmarks)."""
    return np.stack([_values(s) for s in sigs]) if sigs else np.empty((0, 0), dtype=np.uint32)
