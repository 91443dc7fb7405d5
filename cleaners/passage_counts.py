"""Passages repeated across documents (site boilerplate that survives per-page cleaning), as cc_net does.

Two passes, both pure:

1. :func:`passage_hashes` (per document, in the shard workers): every line (this
   pipeline's paragraph) whose normalized form -- NFKC, casefolded, punctuation and
   whitespace collapsed -- has at least ``min_chars`` characters, as
   ``(start, end, hash)`` in clean-text offsets. Short lines ("He said.", "Share")
   are never hashed, so never counted nor removed.
   :func:`count_passages` adds up, over the documents of one group (site or source:
   the flow picks the key), in how many documents each hash occurs.

2. :func:`strip_common_passages` (per document, after counting): drops every line
   whose hash occurs in at least ``min_docs`` documents of its group (and at least
   ``min_fraction`` of them when the group size is given), as edits with rule
   ``dedup:repeated-across-documents``.

Count over documents that are NOT duplicates of each other (after exact and
near-duplicate dedup): three copies of one article would otherwise count every
one of its paragraphs three times and strip the article bare.

>>> cfg = PassageCountsConfig(min_docs=2)
>>> pages = ["Subscribe to our newsletter for the latest local news.\\nThe council met on Tuesday.\\nHe said.",
...          "Subscribe to our newsletter for the latest local news!\\nThe mayor resigned on Friday.\\nHe said."]
>>> counts = count_passages(passage_hashes(p, cfg) for p in pages)
>>> strip_common_passages(Document.from_text(pages[0]), counts, cfg).text
'The council met on Tuesday.\\nHe said.'
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .document import Change, Document
from .steps import StepConfig
from .text import iter_blocks

STEP = "dedup"
R_REPEATED = "dedup:repeated-across-documents"

_NON_WORD = re.compile(r"[\W_]+")
# in ASCII, [\W_] is every character but a letter or digit
_ASCII_NON_WORD_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


@dataclass(frozen=True)
class PassageCountsConfig(StepConfig):
    """When a line counts as a passage, and how common it must be to go."""

    min_chars: int = 30  # normalized characters; shorter lines are never counted
    min_docs: int = 3  # a passage in at least this many documents of the group is dropped ...
    min_fraction: float = 0.0  # ... and in at least this fraction of them (when the group size is known)


def normalize_passage(text: str) -> str:
    """The form passages are compared in.

    >>> normalize_passage("  Read MORE: “Top stories” — here! ")
    'read more top stories here'
    """
    if text.isascii():  # the common case, without a regex: same result as below
        return " ".join(text.lower().translate(_ASCII_NON_WORD_TO_SPACE).split())
    text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub(" ", text.casefold()).strip()


def passage_hash(norm: str) -> int:
    """Stable signed 64-bit hash of a normalized passage (fits SQLite INTEGER)."""
    d = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(d, "little", signed=True)


def passage_hashes(text: str, cfg: PassageCountsConfig) -> list[tuple[int, int, int]]:
    """``(start, end, hash)`` of every line of ``text`` long enough to count, in order.

    >>> cfg = PassageCountsConfig()
    >>> [(s, e) for s, e, _ in passage_hashes("He said.\\nAll rights reserved by the Daily Planet 2024.", cfg)]
    [(9, 54)]
    """
    out = []
    for block in iter_blocks(text):
        norm = normalize_passage(block.text)
        if len(norm) >= cfg.min_chars:
            out.append((block.start, block.end, passage_hash(norm)))
    return out


def document_passages(hashes: Iterable[tuple[int, int, int]] | Iterable[int]) -> set[int]:
    """The distinct hashes of one document (what a document contributes to the counts, once each)."""
    return {h[2] if isinstance(h, tuple) else h for h in hashes}


def count_passages(per_document: Iterable[Iterable[tuple[int, int, int]] | Iterable[int]]) -> Counter:
    """hash -> number of documents it occurs in (each document counted once per hash).

    >>> count_passages([[(0, 9, 7), (10, 19, 7)], [5, 7]])
    Counter({7: 2, 5: 1})
    """
    counts: Counter = Counter()
    for hashes in per_document:
        counts.update(document_passages(hashes))
    return counts


def min_count(cfg: PassageCountsConfig, group_docs: int | None = None) -> int:
    """Documents a passage must occur in to be dropped."""
    need = max(1, cfg.min_docs)
    if group_docs and cfg.min_fraction > 0:
        need = max(need, math.ceil(cfg.min_fraction * group_docs))
    return need


def strip_common_passages(
    doc: Document,
    counts: Mapping[int, int],
    cfg: PassageCountsConfig,
    group_docs: int | None = None,
    passages: Iterable[tuple[int, int, int]] | None = None,
) -> Document:
    """Drop the lines whose hash occurs in at least :func:`min_count` documents of the group.

    ``counts`` maps hash -> documents of the group (:func:`count_passages`, or the
    persistent index's counts); ``group_docs`` is the group's size, needed only for
    ``min_fraction``; ``passages``, when given, is ``passage_hashes(doc.text, cfg)`` computed
    before (the shard has it from the dedup side file). A dropped line goes with its line break (the last line of the text
    with the break before it), as ``cleaners.text.line_drop_range`` does.

    >>> cfg = PassageCountsConfig(min_docs=3)
    >>> line = "Follow us on social media for more stories like this one"
    >>> h = passage_hashes(line, cfg)[0][2]
    >>> strip_common_passages(Document.from_text("Story text.\\n" + line), {h: 3}, cfg).text
    'Story text.'
    >>> strip_common_passages(Document.from_text("Story text.\\n" + line), {h: 2}, cfg).text
    'Story text.\\nFollow us on social media for more stories like this one'
    """
    if doc.rejected or not cfg.rule_on(R_REPEATED) or not counts:
        return doc
    text = doc.text
    need = min_count(cfg, group_docs)
    drops: list[list[int]] = []  # [lo, hi, count]
    for start, end, h in passage_hashes(text, cfg) if passages is None else passages:
        n = counts.get(h, 0)
        if n >= need:
            drops.append([start, end + 1 if end < len(text) else end, n])
    if not drops:
        return doc
    if drops[-1][1] == len(text):  # the text ends with dropped lines: the first of them takes the break before it
        k = len(drops) - 1
        while k and drops[k - 1][1] == drops[k][0]:
            k -= 1
        lo = drops[k][0]
        if lo > 0 and text[lo - 1] == "\n":
            drops[k][0] = lo - 1
    changes = [Change(lo, hi, "", R_REPEATED, f"in {n} documents") for lo, hi, n in drops]
    return doc.apply(changes, step=STEP)
