"""Records in, records out, in memory: :func:`clean_records` for tools that hold their data as Python objects.

The same pipeline and the same record contract as ``launder clean`` (``documents/`` and
``rejected/`` records), without Prefect, files or an index: an iterator in, an iterator out.
Deduplication is the flow's exact and near-duplicate dedup against "earlier runs"
(``flows.dedup.decide`` with an index), where every document kept earlier in the stream plays
the earlier run: :class:`MemoryIndex` answers the questions the SQLite index answers
(``exact_matches``, ``candidates``, ``entries``) from memory, and ``cleaners.near_dup.find_clusters``
verifies the candidates and picks the representative, as it does for the flow.
"""

from __future__ import annotations

import uuid
from array import array
from typing import Any, Iterable, Iterator, Mapping

from cleaners import CleanConfig, Document, Source
from cleaners.exact_dup import exact_key
from cleaners.near_dup import NearDupConfig, NearDupEntry, band_keys, find_clusters, signature, similarity

from .readers import ReadError, record_document
from .settings import clean_config
from .shard import PIPELINE_VERSION, _clean_item
from .writers import document_record


class MemoryIndex:
    """The dedup side of ``flows.index.Index``, in memory, for the documents of the stream so far.

    It holds the kept documents (by exact key, MinHash signature and LSH bucket keys) and the near
    duplicates (signature and bucket keys, and their representative), so that a later copy of a
    near duplicate is a duplicate of its representative, as the flow's clustering of a run joins
    such chains. Per document (kept or near duplicate): its id (16 hex characters), its length, its
    signature (``4 + 4 * num_perm`` bytes, 516 by default), one entry per LSH band (20 by default)
    in a dict of bucket keys, and for a kept one its exact key (32 hex characters): about 2.2 KB
    with the default settings (measured with tracemalloc, tests/test_records.py). Nothing of the
    other rejected documents (exact duplicates, too short, ...) is kept.
    """

    def __init__(self, near: NearDupConfig) -> None:
        self.near = near
        self._exact: dict[str, int] = {}  # exact key -> entry
        self._buckets: dict[int, int | list[int]] = {}  # LSH bucket key -> entry (or entries)
        self._ids: list[str] = []
        self._lengths = array("q")
        self._sigs = bytearray()
        self._sig_len = 4 + 4 * near.num_perm
        self._has_sig = bytearray()
        self._rep: dict[int, int] = {}  # near duplicate's entry -> its representative's

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, doc_id: str, key: str, length: int, sig: bytes | None, rep: int | None = None) -> int:
        """Remember a document, kept (``rep`` None) or a near duplicate of entry ``rep``; its entry."""
        n = len(self._ids)
        self._ids.append(doc_id)
        self._lengths.append(length)
        if rep is None:
            self._exact.setdefault(key, n)
        else:
            self._rep[n] = rep
        self._sigs += sig if sig is not None else bytes(self._sig_len)
        self._has_sig.append(sig is not None)
        for b in band_keys(sig, self.near) if sig is not None else ():
            held = self._buckets.get(b)
            if held is None:
                self._buckets[b] = n
            elif isinstance(held, list):
                held.append(n)
            else:
                self._buckets[b] = [held, n]
        return n

    def exact_match(self, key: str) -> int | None:
        """The kept document with this exact key (the earliest), or None."""
        return self._exact.get(key)

    def candidates(self, sig: bytes) -> list[int]:
        """Entries sharing an LSH bucket with ``sig`` (as ``Index.candidates``)."""
        found: set[int] = set()
        for b in band_keys(sig, self.near):
            held = self._buckets.get(b)
            if held is not None:
                found.update(held if isinstance(held, list) else (held,))
        return sorted(found)

    def entries(self, entries: Iterable[int]) -> list[NearDupEntry]:
        """The candidates as earlier documents (``prior``: never made a duplicate), as ``Index.entries``;
        their ids are ``#<entry>``."""
        return [
            NearDupEntry(f"#{n}", self.signature(n), self._lengths[n], (n,), prior=True)
            for n in entries
            if self._has_sig[n]
        ]

    def signature(self, n: int) -> bytes:
        return bytes(self._sigs[n * self._sig_len : (n + 1) * self._sig_len])

    def representative(self, n: int) -> int:
        """The kept document entry ``n`` stands for: itself, or the representative of the near duplicate it is."""
        return self._rep.get(n, n)

    def id(self, n: int) -> str:
        return self._ids[n]


def _read(item: Any, i: int, base: Source, text_field: str) -> Document | ReadError:
    if isinstance(item, str):  # a plain text
        return Document.from_text(
            item.replace("\r\n", "\n").replace("\r", "\n"), Source(path=base.path, record=i, format="text")
        )
    if isinstance(item, Mapping) and not isinstance(item, dict):
        item = dict(item)
    return record_document(item, base, text_field, i, f"record {i}")


def clean_records(
    records: Iterable[Mapping[str, Any] | str],
    *,
    text_field: str = "text",
    config: CleanConfig | Mapping[str, Any] | None = None,
    source: str = "<records>",
    run_id: str | None = None,
    stats: dict[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Clean records one at a time and yield what became of each, in input order.

    ``records``: dicts (the text under ``text_field``, the other fields kept in ``source.meta``,
    as for a JSONL file) or plain strings. Each is read, cleaned by the pipeline and deduplicated
    against the documents kept before it in the stream: exact duplicates (same words), then near
    duplicates (MinHash/LSH verified as in ``cleaners.near_dup``), with the settings of ``config``
    (``dedup.exact``, ``dedup.near``). The earlier document always stays the representative, and a
    near copy of a near duplicate is a duplicate of its representative, as in a run's clustering;
    but a document near two documents kept before it cannot join those two (both were yielded
    already). On benchmarks/records.py it finds the flow's 110 duplicates and 140 duplicate pairs on
    the same records, and no other (benchmarks/README.md, "clean_records").

    Yields, per record, every document it gives (a record may hold several articles):

    - kept: a ``documents/`` record of the output contract (``id``, ``text``, ``source``, ...);
    - rejected: a ``rejected/`` record, with ``reason`` (``duplicate_of:<id>`` and ``similarity``,
      ``too-short``, ``empty``, ``wrong-language:<code>``);
    - or, when the record could not be read or cleaned, ``{"error": message, "source": {"path",
      "record"}}``.

    So ``"error" in r`` and ``"reason" in r`` tell the three apart. ``source.path`` is ``source``
    and ``source.record`` the record's index: ids are stable for the same source name, position
    and article, so give each stream its own ``source``. ``stats``, when given, is filled with
    the counts (``records``, ``kept``, ``rejected``, ``errors``, ``reasons``) as records go.

    Streaming, with bounded memory: one record is held at a time; what is kept per document is
    only what dedup needs of the kept ones and of the near duplicates (:class:`MemoryIndex`, about
    2.2 KB each with the default settings; nothing of other rejected documents). Not done here, unlike ``launder clean``:
    removing lines repeated across a site's documents (``dedup.passages``), which needs every
    document's counts before any is written; representatives' ``duplicates`` lists stay empty
    (a duplicate comes after its representative was yielded: the duplicate names it instead).

    >>> text = "The harbour council voted on Tuesday to rebuild the old pier before the summer season. " * 3
    >>> out = list(clean_records([{"text": text, "url": "https://example.com/a"}, {"text": text}, {"body": "x"}]))
    >>> [("error" if "error" in r else r.get("reason", "kept")).split(":")[0] for r in out]
    ['kept', 'duplicate_of', 'error']
    >>> out[1]["reason"] == "duplicate_of:" + out[0]["id"], out[0]["source"]["meta"]
    (True, {'url': 'https://example.com/a'})
    """
    cfg = clean_config(config)
    config_hash = cfg.hash
    run_id = run_id or uuid.uuid4().hex[:12]
    near = cfg.dedup.near
    index = MemoryIndex(near)
    base = Source(path=source, format="jsonl")
    totals = stats if stats is not None else {}
    totals.update(records=0, kept=0, rejected=0, errors=0, reasons={})
    for i, item in enumerate(records):
        totals["records"] += 1
        for d in _clean_item(_read(item, i, base, text_field), cfg):
            if not isinstance(d, Document):
                totals["errors"] += 1
                yield {"error": d.message, "source": {"path": source, "record": i}}
                continue
            rec = document_record(d, pipeline_version=PIPELINE_VERSION, config_hash=config_hash, run_id=run_id)
            if not d.rejected:
                dup = _duplicate_of(d, index, cfg)
                if dup is not None:
                    rec["reason"], rec["similarity"] = f"duplicate_of:{dup[0]}", dup[1]
            reason = rec.get("reason")
            if reason:
                totals["rejected"] += 1
                kind = reason.split(":", 1)[0]
                totals["reasons"][kind] = totals["reasons"].get(kind, 0) + 1
            else:
                totals["kept"] += 1
            yield rec


def _duplicate_of(doc: Document, index: MemoryIndex, cfg: CleanConfig) -> tuple[str, float] | None:
    """(representative, similarity) when ``doc`` repeats a document kept before, else None; ``doc``
    joins the index unless it is an exact duplicate (the flow's order: exact first, then near
    duplicates; the similarity is the estimated Jaccard to the representative, as in the flow)."""
    text, doc_id = doc.text, doc.id
    key = exact_key(text)
    if cfg.dedup.exact:
        n = index.exact_match(key)
        if n is not None:
            return index.id(n), 1.0
    sig = signature(text, cfg.dedup.near) if cfg.dedup.near.enabled else None
    if sig is not None:
        prior = index.entries(index.candidates(sig))
        if prior:
            found = find_clusters([NearDupEntry(doc_id, sig, len(text), (len(index),)), *prior], cfg.dedup.near)
            if doc_id in found:
                via, sim = found[doc_id]
                rep = index.representative(int(via[1:]))
                if rep != int(via[1:]):  # a copy of a near duplicate: the similarity to the representative itself
                    sim = round(similarity(sig, index.signature(rep)), 4)
                index.add(doc_id, key, len(text), sig, rep)
                return index.id(rep), sim
    index.add(doc_id, key, len(text), sig)
    return None
