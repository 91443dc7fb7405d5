"""Whole-document duplicates: a normalized-text key, and a deterministic choice of representative.

>>> exact_key("Hello,  World!") == exact_key("hello world")
True
>>> entries = [DedupEntry("b", exact_key("x y"), 3, (0, 0, 0)), DedupEntry("a", exact_key("x  y"), 3, (1, 0, 0))]
>>> resolve_exact(entries)
{'a': 'b'}
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable

_NON_WORD = re.compile(r"[\W_]+")


def exact_key(text: str) -> str:
    """Hash of the text casefolded with punctuation and whitespace collapsed (same words, same key)."""
    norm = _NON_WORD.sub(" ", text.casefold()).strip()
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class DedupEntry:
    """What dedup needs to know of a kept document."""

    id: str
    key: str
    length: int  # characters of clean text: more is more complete
    order: tuple[int, ...]  # input order (file, record, part): earlier is preferred


def resolve_exact(entries: Iterable[DedupEntry]) -> dict[str, str]:
    """Map each duplicate's id to its representative's id.

    Representative of a group with the same key: the most complete text, then the
    earliest seen, then the smallest id.
    """
    groups: dict[str, list[DedupEntry]] = {}
    for e in entries:
        groups.setdefault(e.key, []).append(e)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        rep = min(members, key=lambda e: (-e.length, e.order, e.id))
        for e in members:
            if e.id != rep.id:
                out[e.id] = rep.id
    return out
