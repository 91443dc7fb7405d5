"""split_articles: a raw file holding several articles one after another becomes one Document per article.

A boundary is scored from signals around a candidate line: the article before
ends with a closing line (a call to action, a source note, a lone rule "—", a
"For more ..." pointer), the candidate looks like a headline (a longer line in
Title Case without terminal period) followed by a long lead paragraph, and the
words after it share little with the words before it. A section heading inside
an article has the look of a title but none of the other signals. A paragraph
starting with a word fragment (or in lowercase right after a closing line)
starts an article whose head was cut off: its part gets the flag
``truncated-start``.

>>> lead = "The ministers met in Geneva on Tuesday and agreed to resume the talks next month, officials said. "
>>> text = ("Ministers Agree to Resume Geneva Talks Next Month\\n" + lead * 3 + "\\n"
...         "This article is based on reports from the agencies.\\n"
...         "Heavy Rains Bring Floods to Coastal Towns Across the Region\\n"
...         + "Rivers burst their banks after a week of storms, forcing thousands from their homes. " * 3)
>>> parts = split_articles(Document.from_text(text), ArticlesConfig())
>>> [(p.source.part, p.metadata["title"]) for p in parts]
[(0, 'Ministers Agree to Resume Geneva Talks Next Month'), (1, 'Heavy Rains Bring Floods to Coastal Towns Across the Region')]
>>> parts[0].text.endswith("agencies.") and parts[1].text.startswith("Heavy Rains")
True
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import islice
from dataclasses import dataclass, replace

from .document import Document, Edit, Piece
from .passages import PassagesConfig, truncation_reason
from .steps import StepConfig
from .text import Segment, iter_blocks, iter_sentences

STEP = "articles"
R_SPLIT = "articles:split"
FLAG_START = "truncated-start"


@dataclass(frozen=True)
class ArticlesConfig(StepConfig):
    """Signals and weights for article boundaries; a boundary needs ``threshold`` points."""

    threshold: int = 4
    w_closing: int = 3  # the text before ends with a closing line (a source note, a call to action)
    w_rule: int = 2  # ... or only with a lone rule line ("—", "***"), also used between sections
    w_long_title: int = 1  # the title has >= long_title_words words
    w_title_case: int = 1  # most of its words are capitalized
    w_topic_shift: int = 2  # the words after share little with the words before
    w_fragment: int = 4  # the paragraph starts with a word fragment (head cut off)
    w_lowercase: int = 2  # the paragraph starts in lowercase
    w_repeated_heading: int = -3  # the heading text occurs elsewhere (a table of contents)
    min_title_words: int = 3
    max_title_words: int = 30
    max_title_chars: int = 200
    long_title_words: int = 6
    min_lead_chars: int = 120  # the paragraph after a title
    min_article_chars: int = 300  # each part must hold this much text
    closing_lookback: int = 3  # lines before the title searched for a closing line ...
    max_short_line_chars: int = 40  # ... through short lines only (a byline, a date)
    window_chars: int = 2000  # text compared for the topic shift, each side
    max_topic_similarity: float = 0.08  # cosine of content-word counts below this is a shift
    w_strong_shift: int = 1  # ... one more below this, for a long title (different articles share almost no words)
    strong_shift_similarity: float = 0.03


# Lines that end an article. Matched at the start of a line (linear-time patterns, no nesting).
_RULE = re.compile(r"\s*[—–\-_*=~•·#]{1,40}\s*$")
_CLOSING = re.compile(
    r"""^\s*(?:
        (?:this|the)\s+(?:article|story|report|post|piece)\s+(?:is|was|has\s+been)\s+
        (?:based|adapted|originally|first|written|produced|translated|updated|published)
      | (?:sources?|via|credits?)\s*:
      | \(?(?:additional\s+)?(?:reporting|editing|writing|compiled)\s+by\b
      | (?:originally|first)\s+published\b
      | (?:copyright|©|\(c\))
      | for\s+(?:more|further)\s+(?:insights?|information|details|news|updates|coverage|stories|reading|on)\b
      | (?:read|see)\s+more\b
      | (?:related|more)\s*(?:articles?|stories|news|reading)?\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Calls to action anywhere in a line.
_CTA = re.compile(
    r"share\s+your\s+(?:thoughts|views|opinion)|in\s+the\s+comments|comments?\s+below|leave\s+a\s+comment"
    r"|let\s+us\s+know\s+what\s+you\s+think|what\s+do\s+you\s+think\s*\?|sign\s+up\s+for\s+our"
    r"|subscribe\s+to\s+our|follow\s+us\s+on",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"\s*(?:(?:by|von|par|por)\s|\S*\d)", re.IGNORECASE)  # a byline or a date line
_TERMINAL = re.compile(r"""[.!?…]["'”’»)\]]*\s*$""")
_NO_TITLE_END = re.compile(r"""[.,;:]["'”’»)\]]*\s*$""")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_MINOR = frozenset(
    "a an and as at but by for from in into nor of on onto or over per so the to up upon via vs with".split()
)
_STOP = frozenset(
    """about after also been before being between both could does down during each from have having here
    into just like made many more most much must only other over said same says should some such than that
    their them then there these they this those through under until very were what when where which while
    will with would your year years told says percent""".split()
)


def _title_words(line: str) -> list[str]:
    return line.split()


def _is_title_like(line: str, cfg: ArticlesConfig) -> bool:
    s = line.strip()
    if not s or s.startswith("|") or s.endswith("|") or len(s) > cfg.max_title_chars or _NO_TITLE_END.search(s):
        return False
    if not (cfg.min_title_words <= len(_title_words(s)) <= cfg.max_title_words):
        return False
    first = s.lstrip("\"'“‘«(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return sum(1 for _ in islice(iter_sentences(s), 2)) == 1  # "You have subscribed. Thank you!" is no headline


def _title_case(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if w.lower() not in _MINOR]
    if len(words) < 2 or line.isupper():  # ALL-CAPS lines are section headings more often than titles
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _is_lead(line: str, cfg: ArticlesConfig) -> bool:
    s = line.strip()
    return len(s) >= cfg.min_lead_chars and not s.startswith("|") and bool(_TERMINAL.search(s))


def _has_lead(blocks: list[Segment], i: int, cfg: ArticlesConfig) -> bool:
    """A lead paragraph follows line i, maybe after one short byline or date line."""
    for j in range(i + 1, min(i + 3, len(blocks))):
        if _is_lead(blocks[j].text, cfg):
            return True
        if len(blocks[j].text) >= cfg.max_short_line_chars or not _BYLINE.match(blocks[j].text):
            return False
    return False


def _is_closing(line: str) -> bool:
    return bool(_CLOSING.match(line) or _CTA.search(line)) and not _RULE.match(line)


def _content_counts(text: str) -> Counter[str]:
    """Lower-cased words of 4 characters or more, but stop words, counted (in order of first occurrence)."""
    counts = Counter(map(str.lower, _WORD.findall(text)))
    for w in [w for w in counts if len(w) < 4 or w in _STOP]:
        del counts[w]
    return counts


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


@dataclass(frozen=True)
class _Boundary:
    index: int  # block index where the new article starts
    headless: bool
    score: int
    why: str


def find_boundaries(text: str, cfg: ArticlesConfig) -> list[_Boundary]:
    """Where new articles start in ``text`` (block indices into its non-empty lines), best-first scoring."""
    return _find_boundaries(text, list(iter_blocks(text)), cfg)


def _find_boundaries(text: str, blocks: list[Segment], cfg: ArticlesConfig) -> list[_Boundary]:
    """find_boundaries, given ``text``'s blocks."""
    n = len(blocks)
    if n < 3:
        return []
    norm_count: Counter[str] | None = None  # each line's count, normalized (counted when first needed)
    closing_memo: list[bool | None] = [None] * n

    def closing_line(j: int) -> bool:
        c = closing_memo[j]
        if c is None:
            c = closing_memo[j] = _is_closing(blocks[j].text)
        return c

    out: list[_Boundary] = []
    part_start = 0  # clean offset where the current part starts
    pcfg = PassagesConfig()
    for i in range(1, n):
        b = blocks[i]
        before_end = blocks[i - 1].end
        if before_end - part_start < cfg.min_article_chars or len(text) - b.start < cfg.min_article_chars:
            continue
        prev = blocks[i - 1].text
        # a line starts an article when it is a title followed by a lead, or a paragraph cut off at its start
        # (tested first: most lines are neither, and then nothing else about them matters)
        title = _is_title_like(b.text, cfg) and _has_lead(blocks, i, cfg)
        reason = ""
        if not title:
            reason = truncation_reason(b.text, prev, pcfg) if len(b.text) >= cfg.min_lead_chars else ""
            if not (reason.startswith("starts with a word fragment") or reason == "starts in lowercase"):
                continue
        # a closing line right before, or before a few short lines (a rule, a byline, a date)
        closing = rule = False
        for j in range(i - 1, max(-1, i - 1 - cfg.closing_lookback), -1):
            if closing_line(j):
                closing = True
                break
            rule = rule or bool(_RULE.match(blocks[j].text))
            if len(blocks[j].text) >= cfg.max_short_line_chars:
                break
        score, why, headless, long_title = 0, [], False, False
        if closing:
            score += cfg.w_closing
            why.append("closing line before")
        elif rule:
            score += cfg.w_rule
            why.append("rule line before")
        if title:
            if _is_title_like(prev, cfg) and not closing_line(i - 1) and not _RULE.match(prev):
                continue  # a heading right after a heading: not an article start
            nwords = len(_title_words(b.text))
            if nwords >= cfg.long_title_words:
                long_title = True
                score += cfg.w_long_title
                why.append(f"{nwords}-word title")
            if _title_case(b.text):
                score += cfg.w_title_case
                why.append("title case")
            if norm_count is None:
                norm_count = Counter(" ".join(c.text.casefold().split()) for c in blocks)
            if norm_count[" ".join(b.text.casefold().split())] > 1:
                score += cfg.w_repeated_heading
                why.append("heading repeated in the text")
        else:
            score += cfg.w_fragment if reason.startswith("starts with a word fragment") else cfg.w_lowercase
            why.append(reason)
            headless = True
        if score + cfg.w_topic_shift + cfg.w_strong_shift < cfg.threshold:
            continue
        if cfg.w_topic_shift and score < cfg.threshold:
            after = text[b.start : b.start + cfg.window_chars]
            before = text[max(part_start, before_end - cfg.window_chars) : before_end]
            sim = _cosine(_content_counts(before), _content_counts(after))
            if sim < cfg.max_topic_similarity:
                score += cfg.w_topic_shift
                if sim < cfg.strong_shift_similarity and long_title:
                    score += cfg.w_strong_shift
                why.append(f"topic shift (similarity {sim:.2f})")
        if score >= cfg.threshold:
            out.append(_Boundary(i, headless, score, "; ".join(why)))
            part_start = b.start
    return out


def _slice(doc: Document, start: int, end: int) -> tuple[Piece, ...]:
    """The pieces of clean [start, end), raw offsets kept exact (a cut inside a rewritten piece keeps its range)."""
    out: list[Piece] = []
    pos = 0
    for p in doc.pieces:
        pe = pos + len(p.text)
        lo, hi = max(start, pos), min(end, pe)
        if lo < hi:
            if (lo, hi) == (pos, pe):
                out.append(p)
            elif p.verbatim:
                out.append(Piece(p.text[lo - pos : hi - pos], p.raw_start + lo - pos, p.raw_start + hi - pos, True))
            else:
                out.append(Piece(p.text[lo - pos : hi - pos], p.raw_start, p.raw_end, False))
        pos = pe
        if pos >= end:
            break
    return tuple(out)


def article_spans(text: str, cfg: ArticlesConfig) -> list[tuple[int, int, bool, str]]:
    """(start, end, headless, why) of each article in ``text``, split until no part splits further.

    A part is searched again on its own: its topic windows end where it ends, so a
    boundary can appear that the whole text hid. Repeating until nothing changes
    keeps ``split_articles`` idempotent; parts shrink each round, so this ends.
    """
    out: list[tuple[int, int, bool, str]] = []
    stack = [(0, len(text), False, "")]
    while stack:
        a, b, headless, why = stack.pop()
        sub = text[a:b]
        blocks = list(iter_blocks(sub))
        bounds = _find_boundaries(sub, blocks, cfg)
        if not bounds:
            out.append((a, b, headless, why))
            continue
        starts = [(0, headless, why)] + [(blocks[x.index].start, x.headless, x.why) for x in bounds]
        for k, (s, h, w) in enumerate(starts):
            e = blocks[bounds[k].index - 1].end if k < len(bounds) else len(sub)
            stack.append((a + s, a + e, h, w))
    return sorted(out)


def split_articles(doc: Document, cfg: ArticlesConfig) -> list[Document]:
    """One Document per article held in ``doc`` (``[doc]`` unchanged when it holds one).

    Each part keeps the same raw text, its own pieces and the edits that touched
    its raw range, ``source.part`` = its index, ``metadata["title"]`` = its title
    line (kept in the text too), and a note ``articles:split`` at its first line
    saying why a boundary was found there.

    >>> split_articles(Document.from_text("One short article.\\nWith two lines."), ArticlesConfig())[0].text
    'One short article.\\nWith two lines.'
    """
    if not cfg.rule_on(R_SPLIT) or not doc.text:
        return [doc]
    text = doc.text
    segments = article_spans(text, cfg)
    if len(segments) == 1:
        return [doc]
    # raw is partitioned at each part's first character; an earlier edit goes to the part its raw start lies in
    cuts = [0] + [doc.raw_range(s, s + 1)[0] for s, _, _, _ in segments[1:]] + [len(doc.raw) + 1]
    parts: list[Document] = []
    for k, (start, end, headless, why) in enumerate(segments):
        pieces = _slice(doc, start, end)
        edits = tuple(e for e in doc.edits if cuts[k] <= e.raw[0] < cuts[k + 1])
        first = next(iter_blocks(text[start:end]), Segment(0, 0, ""))
        metadata = dict(doc.metadata)
        title = _part_title(text[start:end], headless, cfg)
        if title:
            metadata["title"] = title
        elif k > 0:
            metadata.pop("title", None)
        flags = doc.flags if k == 0 else tuple(f for f in doc.flags if f != FLAG_START)
        if headless and FLAG_START not in flags:
            flags = flags + (FLAG_START,)
        part = replace(
            doc,
            pieces=pieces,
            edits=edits,
            metadata=metadata,
            flags=flags,
            source=replace(doc.source, part=k),
        )
        if k > 0:
            raw = part.raw_range(first.start, first.end)
            note = Edit(STEP, R_SPLIT, "note", raw, first.text, "", f"part {k} of {len(segments)}: {why}")
            part = replace(part, edits=part.edits + (note,))
        parts.append(part)
    return parts


def _part_title(text: str, headless: bool, cfg: ArticlesConfig) -> str:
    if headless:
        return ""
    blocks = list(iter_blocks(text[: cfg.window_chars]))
    if blocks and _is_title_like(blocks[0].text, cfg) and _has_lead(blocks, 0, cfg):
        return blocks[0].text.strip()
    return ""
