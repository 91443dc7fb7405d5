"""The plain code the speed-ups replace, kept here only: the tests prove each fast path gives what its
reference gives, and benchmarks/speed_layer.py times the pipeline with the reference in its place."""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from cleaners import whitespace
from cleaners.spacing import _GLUE, _TAINT, _TOKEN, _WORD, _Words, _columns

# ------------------------------------------------------------------ whitespace

# normalize_whitespace's rules as one plain alternation (whitespace._PATTERN is written to skip fast)
WHITESPACE_PATTERN = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p, _) in enumerate(whitespace._RULES)))

# ------------------------------------------------------------------ spacing


class Word(NamedTuple):
    """One word as a row (:func:`words`); the rules read the columns of :class:`_Words`."""

    start: int  # offset in the text
    core: str  # the word up to an apostrophe ("Ukraine" of "Ukraine’s")
    mid: bool  # not the first word of its sentence, clause after ":" or quotation
    tainted: bool  # inside a URL, e-mail, domain, code or initialism
    gap: str  # text between the previous word of the segment and this one


def punct_tokens(text: str) -> Iterator[re.Match[str]]:
    """spacing._punct_tokens the plain way: every token holding a _GLUE."""
    return (tok for tok in _TOKEN.finditer(text) if _GLUE.search(tok.group()))


def columns(text: str, start: int, end: int) -> _Words:
    """:func:`words_plain` as columns (the tests run the pipeline with it in place of spacing._columns)."""
    rows = words_plain(text, start, end)
    parts, pos = [], start
    for w in rows:
        word_end = _WORD.match(text, w.start, end).end()  # type: ignore[union-attr]
        parts += [w.gap if parts else text[start : w.start], text[w.start : word_end]]
        pos = word_end
    parts.append(text[pos:end])
    words = _Words(start, parts, [w.core for w in rows], [w.mid for w in rows])
    words.taint = {i: w.tainted for i, w in enumerate(rows)}
    return words


def words(text: str, start: int, end: int) -> list[Word]:
    """The words of text[start:end] as rows: spacing._columns turned around (equal to :func:`words_plain`)."""
    w = _columns(text, start, end)
    return [Word(w.start(i), w.cores[i], w.mids[i], w.tainted(i), w.gaps[i] if i else "") for i in range(len(w.cores))]


def words_plain(text: str, start: int, end: int) -> list[Word]:
    """The words of text[start:end] found token by token, word by word: what :func:`words` must give."""
    out: list[Word] = []
    prev_end = None
    for tok in _TOKEN.finditer(text, start, end):
        tainted = bool(_TAINT.search(tok.group())) or tok.group().count("-") >= 3  # URL slugs
        for m in _WORD.finditer(text, tok.start(), tok.end()):
            gap = text[prev_end : m.start()] if prev_end is not None else ""
            before = text[m.start() - 1] if m.start() > start else ""
            before2 = text[m.start() - 2] if m.start() - 1 > start else " "
            opening = before in "“‘«" or (before in "\"'" and (before2.isspace() or before2 in "(["))
            mid = prev_end is not None and not any(ch in gap for ch in ".!?:…") and not opening
            core = re.split("['’]", m.group(), maxsplit=1)[0]
            out.append(Word(m.start(), core, mid, tainted, gap))
            prev_end = m.end()
    return out
