"""Body selection: each block's weight, the best-scoring run of blocks (the main body), other content
regions, the headline and title around it, and lists after a colon."""

from __future__ import annotations


from .blocks import GOOD, _Block
from .config import BoilerplateConfig
from .data import _NEUTRAL, _WALLS
from .patterns import _BULLET, _WORD


def _weights(blocks: list[_Block], cfg: BoilerplateConfig) -> list[float]:
    """Each block's score for the body run: prose counts up, chrome down, phrase-rule lines like walls.

    A prose block with no prose next to it (a teaser between a headline and a byline) counts
    only ``isolated_gain`` of its length: articles are runs of paragraphs, lists of other
    stories are not.
    """
    length_low, window = cfg.length_low, cfg.isolation_window
    prose = [b.cls == GOOD and not b.dup and b.size >= length_low for b in blocks]
    out = []
    seen_prose = False
    for i, b in enumerate(blocks):
        if b.dup and not b.rule:  # a rule line said twice weighs as its rule says (a footer wall is still a wall)
            w = -float(min(len(b.text), length_low) + cfg.bad_line_weight)
        elif b.table and b.cls == GOOD:
            w = float(len(b.text)) * cfg.table_gain
        elif b.cls == GOOD:
            if b.size >= length_low or b.punct:
                # (no prose among the blocks ``window`` either side)
                alone = not (True in prose[max(0, i - window) : i] or True in prose[i + 1 : max(0, i + window + 1)])
                w = float(len(b.text)) * (cfg.isolated_gain if alone and prose[i] else 1.0)
            else:
                w = -float(cfg.short_line_weight)
        elif b.rule in _WALLS and not b.teaser:
            w = -float(cfg.wall_weight + len(b.text))
        elif b.rule in _NEUTRAL:
            w = 0.0
        elif b.rule == "boilerplate:date-line":
            # a date after prose has begun dates the next item of a list (teasers, comments)
            w = -float((cfg.late_date_weight if seen_prose else cfg.date_weight) + len(b.text))
        else:
            w = -float(len(b.text) + cfg.bad_line_weight)
        seen_prose = seen_prose or prose[i]
        out.append(w)
    return out


# rules of a story's header lines, however long ("Monday November 18, 2019 7:45 am PST by Jane Roe")
_HEADER_RULES = frozenset({"boilerplate:date-line", "boilerplate:byline"})


def _main_body(blocks: list[_Block], cfg: BoilerplateConfig, headlines: list[int] = ()) -> tuple[int, int, int | None]:
    """[first, last] block indices of the main body ((0, -1) when there is none), and its headline.

    The body is the contiguous run of blocks with the highest score (Kadane: linear). When
    the page names its headline (a heading repeating the page's first line), the body is
    the best run starting at that headline, unless that run is much poorer than the best one.
    A headline counts when a paragraph follows right after its header (byline, date, short lines);
    a page that names its headline twice (a sidebar's link to the story, then the story's own
    heading) has its body after the heading whose run scores best.
    """
    w = _weights(blocks, cfg)
    best, best_lo, best_hi = 0.0, 0, -1
    run, lo = 0.0, 0
    for i, x in enumerate(w):
        if run <= 0:
            run, lo = x, i
        else:
            run += x
        if run > best:
            best, best_lo, best_hi = run, lo, i
    if any(best_lo <= h <= best_hi for h in headlines):
        return best_lo, best_hi, next(h for h in headlines if best_lo <= h <= best_hi)
    pick, pick_score, pick_hi = None, 0.0, -1
    for headline in headlines:
        run, h_best, h_hi = 0.0, 0.0, -1
        # the headline's own header (byline, date, a comment counter: short lines before its first paragraph)
        # does not count against it: it says whose and when the story is, not that a list of others begins
        head = headline + 1
        while (
            head < len(w)
            and head - headline <= cfg.title_lookback
            and w[head] < 0
            and (blocks[head].words <= cfg.header_max_words or blocks[head].rule in _HEADER_RULES)
        ):
            head += 1
        if head >= len(w) or w[head] <= 0:
            continue  # no paragraph right after its header: a link to the story, or a gallery's heading
        for i in range(head, len(w)):
            run += w[i]
            if run > h_best:
                h_best, h_hi = run, i
        if h_hi >= 0 and h_best >= cfg.headline_min_share * best and h_best > pick_score:
            pick, pick_score, pick_hi = headline, h_best, h_hi
    if pick is not None:
        return pick, pick_hi, pick
    return best_lo, best_hi, None


def _regions(blocks: list[_Block], cfg: BoilerplateConfig, main: tuple[int, int]) -> list[tuple[int, int]]:
    """Every run of blocks that scores like content, the main body among them.

    A page may hold several posts, sections or list entries: each maximal run of blocks with a
    positive score reaching ``region_share`` of the main body's score (and ``region_min_score``)
    is content too; what lies between runs is judged line by line.
    """
    lo, hi = main
    if hi < lo or cfg.mode != "page":
        return [main] if hi >= lo else []
    w = _weights(blocks, cfg)
    top = sum(w[lo : hi + 1])
    need = max(cfg.region_min_score, cfg.region_share * top)
    out = [main]
    run, start, best, best_hi = 0.0, 0, 0.0, -1
    for i, x in enumerate(w + [float("-inf")]):
        if run <= 0:
            run, start, best, best_hi = x, i, x, i
        else:
            run += x
            if run > best:
                best, best_hi = run, i
        if run <= 0 or i == len(w):
            if best >= need and best_hi >= start and not (start <= hi and best_hi >= lo):
                # a region of one paragraph (a headline and its summary) is a teaser, not content
                paragraphs = sum(
                    1
                    for b in blocks[start : best_hi + 1]
                    if b.cls == GOOD and b.punct and not b.dup and len(b.text) >= cfg.length_low
                )
                if paragraphs >= cfg.region_min_paragraphs:
                    out.append((start, best_hi))
            run = 0.0
    return sorted(out)


def _colon_lists(blocks: list[_Block], groups: list[int], lo: int, hi: int, cfg: BoilerplateConfig) -> set[int]:
    """Lines listed after a body line that ends with a colon ("Tour dates:"), in the same paragraph group.

    The list runs while its lines are short and carry no wall rule; it ends at a blank line,
    at prose or at chrome such as "Share".
    """
    out: set[int] = set()
    if hi < lo:
        return out
    for c in range(lo, min(hi + 2, len(blocks))):
        if not blocks[c].text.endswith(":") or (blocks[c].rule and blocks[c].rule != "boilerplate:date-line"):
            continue
        if c > hi and blocks[c].rule:
            continue
        items = []
        j = c + 1
        while j < len(blocks) and groups[j] == groups[c] and len(items) < cfg.list_max_items:
            b = blocks[j]
            if len(b.text) >= cfg.length_high or (b.rule and b.rule != "boilerplate:date-line"):
                break
            items.append(j)
            j += 1
        if len(items) >= 2:
            out.add(c)
            out.update(items)
    return out


def _find_headlines(blocks: list[_Block], cfg: BoilerplateConfig) -> list[int]:
    """The headings that repeat most words of the page's first line (an HTML title), in page order."""
    if len(blocks) < 2:
        return []
    first = set(_WORD.findall(blocks[0].text.lower()))
    if len(first) < 2:
        return []
    out = []
    for j in range(1, len(blocks)):
        b = blocks[j]
        if b.rule or b.table or not b.heading or len(b.text) > cfg.title_max_chars:
            continue
        words = b.title_words  # (b.heading: its line is a heading)
        if len(words) >= 2 and len(words & first) >= 0.8 * len(words) and len(words) >= 0.5 * len(first):
            out.append(j)
    return out


def _find_title(blocks: list[_Block], lo: int, hi: int, cfg: BoilerplateConfig) -> int | None:
    if hi < lo:
        return None
    cands = []
    j = lo
    while j >= 0 and len(cands) < cfg.title_lookback and lo - j <= cfg.title_lookback:
        b = blocks[j]
        if not b.rule and b.heading and not b.table and not (j == lo and b.punct):
            cands.append(j)
        j -= 1
    if not cands:
        return None
    first = set(_WORD.findall(blocks[0].text.lower()))
    for j in cands:
        words = blocks[j].title_words  # (a candidate is a heading)
        if j > 0 and len(words) >= 2 and len(words & first) >= 0.6 * len(words):
            return j
    for j in cands:
        if len(_WORD.findall(blocks[j].text)) >= 3:
            return j
    return None


def _edge_lists(blocks: list[_Block], lo: int, hi: int, cfg: BoilerplateConfig) -> set[int]:
    """A bulleted list the body starts or ends in: its items beyond the body ("+ Added ...", "* Fixed ...").

    The body's first (or last) block is an item of a list (a line opening with a bullet); the items before (after)
    it with the same bullet, no rule of their own, are the rest of that list: short lines read as menus one by
    one, but a list the article holds is the article's."""
    out: set[int] = set()
    if hi < lo:
        return out
    for edge, step in ((lo, -1), (hi, 1)):
        m = _BULLET.match(blocks[edge].text)
        if not m:
            continue
        items, j = [], edge + step
        while 0 <= j < len(blocks) and not blocks[j].rule and blocks[j].text.startswith(m.group(1) + " "):
            items.append(j)
            j += step
        if len(items) + 1 >= cfg.list_min_items:
            out.update(items)
    return out
