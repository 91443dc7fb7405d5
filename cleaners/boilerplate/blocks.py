"""The block model and jusText-style classification (good / near-good / short / bad)."""

from __future__ import annotations

from dataclasses import dataclass

from .config import BoilerplateConfig
from .data import _NEUTRAL
from .patterns import _SENT_END, _SLIDE


GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    text: str
    words: int
    stop: float
    punct: bool
    cls: str = BAD
    rule: str = ""  # set when a hard rule decided the block
    heading: bool = False
    table: bool = False
    dup: bool = False  # repeats the opening of an earlier block
    teaser: bool = False  # a link under a related-block heading: dropped, weighs like any chrome line
    title_words: frozenset[str] | None = None  # a heading's lowercased words (see _Line)
    code: bool = False  # a line of source code (see lines._code_like)
    size: int = (
        -1
    )  # the length classification and body selection read: len(text), more for Chinese and Japanese (cjk.py)

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.text)


def _prose_like(b: _Block, cfg: BoilerplateConfig) -> bool:
    """Before classification: an unruled line long enough and ending like a sentence."""
    return not b.rule and not b.table and b.size >= cfg.length_low and bool(_SENT_END.search(b.text))


def _classify(blocks: list[_Block], cfg: BoilerplateConfig) -> None:
    """jusText's context-free classes, then its context rules (edges count as bad)."""
    for b in blocks:
        if b.rule:
            b.cls = BAD
        elif b.table:
            b.cls = NEARGOOD
        elif b.size < cfg.length_low:
            b.cls = SHORT
        elif b.stop >= cfg.stopwords_high:
            b.cls = GOOD if b.size > cfg.length_high else NEARGOOD
        elif b.stop >= cfg.stopwords_low or (b.punct and b.stop >= cfg.stopwords_prose):
            b.cls = NEARGOOD
        elif b.code:
            # a code sample has no function words: like a short line, the text around it decides
            b.cls = SHORT
        else:
            b.cls = BAD
    cf = [b.cls for b in blocks]
    n = len(blocks)

    def heading_before_good() -> list[bool]:
        """For each block: does good text start within max_heading_distance chars after it?"""
        out = [False] * n
        gap = None  # chars from the block after i to the first good block after i (None: there is none)
        for i in range(n - 1, 0, -1):
            if blocks[i].cls == GOOD:
                gap = 0
            elif gap is not None:
                gap += len(blocks[i].text)
            out[i - 1] = gap is not None and gap <= cfg.max_heading_distance
        return out

    # (a block's class changes only after its own test, and the tests look at later blocks only)
    before_good = heading_before_good()
    for i, b in enumerate(blocks):
        if b.heading and b.cls == SHORT and before_good[i]:
            b.cls = NEARGOOD

    def neighbours(ignore_neargood: bool) -> tuple[list[str], list[str]]:
        """Each block's nearest class before and after it, skipping short (and near-good) and neutral blocks."""
        skip = {SHORT, NEARGOOD} if ignore_neargood else {SHORT}
        prev, nxt = [BAD] * n, [BAD] * n
        last = BAD
        for i in range(n):
            prev[i] = last
            if blocks[i].cls not in skip and blocks[i].rule not in _NEUTRAL:
                last = blocks[i].cls
        last = BAD
        for i in range(n - 1, -1, -1):
            nxt[i] = last
            if blocks[i].cls not in skip and blocks[i].rule not in _NEUTRAL:
                last = blocks[i].cls
        return prev, nxt

    prev_g, next_g = neighbours(True)
    prev_n, next_n = neighbours(False)
    new: dict[int, str] = {}
    for i, b in enumerate(blocks):
        if b.cls != SHORT:
            continue
        p, q = prev_g[i], next_g[i]
        if p == GOOD and q == GOOD:
            new[i] = GOOD
        elif p == BAD and q == BAD:
            new[i] = BAD
        elif (p == BAD and prev_n[i] == NEARGOOD) or (q == BAD and next_n[i] == NEARGOOD):
            new[i] = GOOD
        else:
            new[i] = BAD
    for i, c in new.items():
        blocks[i].cls = c
    prev_g, next_g = neighbours(True)
    cur = [b.cls for b in blocks]

    def near_good(i: int) -> bool:
        """A long punctuated paragraph with good text a block or two away is text, even between chrome lines."""
        b = blocks[i]
        if not b.punct or b.size < cfg.length_high:
            return False
        w = cfg.isolation_window
        return any(cur[j] == GOOD for j in range(max(0, i - w), min(n, i + w + 1)) if j != i)

    in_run = _neargood_runs(blocks, cf, cfg)
    for i, b in enumerate(blocks):
        if b.cls == NEARGOOD:
            alone = (prev_g[i], next_g[i]) == (BAD, BAD) and not b.table and not near_good(i) and not in_run[i]
            b.cls = BAD if alone else GOOD
    before_good = heading_before_good()
    for i, b in enumerate(blocks):
        if b.heading and b.cls == BAD and cf[i] == SHORT and not b.rule and before_good[i]:
            b.cls = GOOD


def _headline_like(t: str, cfg: BoilerplateConfig) -> bool:
    """Most words capitalized ("5 Movies Of The Director That You Can Watch"), or a counted caption ("2 of 4 ...")."""
    caps = words = 0
    for w in t.split():
        if w[:1].isalpha():
            words += 1
            caps += w[0].isupper()
    return (words > 0 and caps >= cfg.headline_caps_share * words) or _SLIDE.match(t) is not None


def _neargood_runs(blocks: list[_Block], cf: list[str], cfg: BoilerplateConfig) -> list[bool]:
    """Near-good lines (70+ characters, function words like prose) standing ``neargood_run`` or more in a row are
    text, whatever chrome is around them: a changelog or a list of notes without sentence punctuation.
    Headlines (capitalized words) and counted captions break a run: teasers and slideshows say
    as much in their lines. A line repeating an earlier one breaks it too."""
    n = len(blocks)
    out = [False] * n
    if cfg.neargood_run <= 0:
        return out
    k = 0
    while k < n:
        j = k
        while j < n and cf[j] == NEARGOOD and not blocks[j].table and not blocks[j].dup:
            if _headline_like(blocks[j].text, cfg):
                break
            j += 1
        if j - k >= cfg.neargood_run:
            for m in range(k, j):
                out[m] = True
        k = j + 1 if j == k else j
    return out
