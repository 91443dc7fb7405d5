"""Blocks outside the content regions: kept unless evidence names them chrome (walls after the body,
lists of teasers, repeats)."""

from __future__ import annotations


from .blocks import GOOD, _Block, _prose_like
from .config import BoilerplateConfig
from .data import _CTA, _FOOTER_WALLS
from .patterns import _FIELD, _HAS_SENTENCE, _LIST_NUMBER, _READ_ON, _SENT_END, _SLIDE


def _walls_after_body(blocks: list[_Block], hi: int) -> list[frozenset[str]]:
    """For each block after the main body: the rules of the lines between the body and it."""
    out: list[frozenset[str]] = [frozenset()] * len(blocks)
    seen: set[str] = set()
    for i in range(max(hi + 1, 0), len(blocks)):
        out[i] = frozenset(seen)
        b = blocks[i]
        # ("Continue reading" ends one post of a front page; it heads no list of other stories)
        if b.rule and not (b.rule == "boilerplate:related-block" and _READ_ON.match(b.text)):
            seen.add(b.rule)
    return out


def _teaser_lists(blocks: list[_Block], in_region: list[bool], cfg: BoilerplateConfig) -> set[int]:
    """Paragraphs outside the content regions that stand in a list of teasers: a headline (a line of 4+
    words that is no sentence), perhaps its author and date, and one paragraph, again and again
    (``teaser_min_items`` times in a row): other stories' summaries. A forum's posts differ: a name
    of a word or two heads them, and a post may run to several paragraphs."""
    out: set[int] = set()
    n = len(blocks)
    i = 0
    while i < n:
        items: list[int] = []
        j = i
        while True:
            k, headline = j, False
            while (
                k < n
                and k - j < 3
                and not in_region[k]
                and not _prose_like(blocks[k], cfg)
                and blocks[k].words <= cfg.teaser_headline_words
            ):
                headline = headline or (not blocks[k].rule and blocks[k].words >= 4)
                k += 1
            if k == j or k >= n or in_region[k] or not headline:
                break
            if any(blocks[h].text[0].isdigit() and _LIST_NUMBER.match(blocks[h].text) for h in range(j, k)):
                break  # a numbered line over a paragraph is a point of a list the text makes ("1. Tell me about ...")
            para = blocks[k]
            if (
                not (para.cls == GOOD and para.punct)
                or len(para.text) > cfg.teaser_max_chars
                or not _HAS_SENTENCE.search(para.text)
                or para.text[0].islower()
                or (k + 1 < n and _prose_like(blocks[k + 1], cfg))
            ):
                # (a summary holds a sentence: "Language: English", "Title: ..." are a record's fields, and a line
                # starting in lower case continues a wrapped paragraph; a headline over two paragraphs heads a post)
                break
            items.append(k)
            j = k + 1
        if len(items) >= cfg.teaser_min_items:
            out.update(items)
        i = j if items else i + 1
    return out


def _thread_posts(blocks: list[_Block], lo: int, cfg: BoilerplateConfig) -> tuple[set[int], set[int]]:
    """The lines of a thread's posts (after each post header, up to the next one) and the headers' lines (a
    name of a word or three, perhaps a few short lines such as a rank or a post count, then a date line), when the page has ``thread_min_posts`` such headers with as
    many names, as many posts holding a sentence, and its main body (from block ``lo``) is one of the posts.

    A forum thread's short posts read as low-content one by one (names and dates all around them); their
    sentences are the thread, and who wrote each post when is part of it (kept: the page reads the same
    when cleaned again). A headline over the name and date heads a teaser or an article, not a post.
    """
    heads: list[tuple[int, int]] = []  # (name line, date line) of each post header
    for i in range(1, len(blocks)):
        if blocks[i].rule != "boilerplate:date-line":
            continue
        # the name, then perhaps a rank, a place or a post count, then the date (a second date of the same
        # header, "Registered: ..." then "Posted ...", finds no name after the first)
        for n in range(i - 1, max(heads[-1][1] if heads else -1, i - 1 - cfg.post_header_lines), -1):
            if _name_line(blocks[n]) and not (
                n >= 2 and _headline_like(blocks[n - 1])
            ):  # (the page's first line is its title)
                heads.append((n, i))
                break
            if blocks[n].words > cfg.header_max_words or _SENT_END.search(blocks[n].text):
                break
    if len({blocks[n].text for n, _ in heads}) < cfg.thread_min_posts:
        return set(), set()  # (one label over every date, "Opening Bell" / May 1, heads a list of the site's items)
    lines: set[int] = set()
    said = 0  # posts that say something in sentences (a list of headlines under names and dates says nothing)
    for (_, h), nxt in zip(heads, [*(n for n, _ in heads[1:]), len(blocks)]):
        lines.update(range(h + 1, nxt))
        said += any(_SENT_END.search(blocks[k].text) for k in range(h + 1, nxt))
    head_lines = {k for n, h in heads for k in range(n, h + 1)}
    if said < cfg.thread_min_posts or (lo not in lines and lo not in head_lines):
        return set(), set()  # the main text is no post: an article, and comments under it
    return lines, head_lines


def _headline_like(b: _Block) -> bool:
    """A headline over a name and a date heads a teaser or an article ("Story of the day" / Jane Roe / May 1)."""
    return (
        not b.rule and b.heading and not _SENT_END.search(b.text) and len(b.title_words or ()) >= 4
    )  # (four words: "Pages: 1 2 3" heads no story)


def _name_line(b: _Block) -> bool:
    return not b.rule and not b.punct and 1 <= b.words <= 3 and len(b.text) <= 40


_SHARE = frozenset({"boilerplate:share"})


def _paragraph(b: _Block, cfg: BoilerplateConfig) -> bool:
    return b.cls == GOOD and b.punct and not b.rule and not b.table and len(b.text) >= cfg.length_low


def _in_prose_run(blocks: list[_Block], i: int, n: int, cfg: BoilerplateConfig) -> bool:
    """Does block ``i`` stand in a row of at least ``n`` prose paragraphs (good, punctuated, ``length_low`` or
    longer, no rule)? (Each side is read only as far as ``n`` needs: a long article after its share bar asks this
    of every paragraph.)"""
    if not _paragraph(blocks[i], cfg):
        return n <= 0
    lo = hi = i
    while hi - lo + 1 < n and lo > 0 and _paragraph(blocks[lo - 1], cfg):
        lo -= 1
    while hi - lo + 1 < n and hi + 1 < len(blocks) and _paragraph(blocks[hi + 1], cfg):
        hi += 1
    return hi - lo + 1 >= n


def _sentence_paragraph(blocks: list[_Block], i: int, repeated: set[int], cfg: BoilerplateConfig) -> bool:
    """Is block ``i`` a paragraph of sentences that stands on its own? ``length_high`` or longer, two sentences or
    more, the last one ended, enough function words for punctuated prose (``stopwords_prose``); not said twice on
    the page (a notice, a menu), nor right after a date or a byline (a teaser's or a comment's).

    jusText makes such a paragraph bad when chrome stands around it (an article split by a list, a listing's item
    between its fields): its sentences are still text, and only walls, teaser lists and repeats name it chrome.
    """
    b = blocks[i]
    return (
        len(b.text) >= cfg.length_high
        and b.stop >= cfg.stopwords_prose
        and not b.rule
        and i not in repeated
        and _SENT_END.search(b.text) is not None
        and len(_HAS_SENTENCE.findall(b.text)) >= 2
        and not any(blocks[k].rule in _ITEM_HEADS for k in range(max(0, i - 3), i))
    )


# lines that head a dated or signed item (a teaser, a comment): the paragraph after them is that item's
_ITEM_HEADS = frozenset({"boilerplate:date-line", "boilerplate:byline"})


def _outside_evidence(
    blocks: list[_Block], i: int, hi: int, walls: frozenset[str], repeated: set[int], cfg: BoilerplateConfig
) -> str | None:
    """The rule naming the evidence against block ``i``, outside every content region, or None to keep it.

    Prose (a good, punctuated paragraph, or a paragraph of sentences: see _sentence_paragraph; ``repeated``:
    the blocks said twice on the page) is kept unless it repeats an earlier block's opening, or
    follows the body past a comment form (the comments), a "Related" heading (its teasers) or a
    share, newsletter, copyright or cookie line (the footer; but ``footer_max_run`` paragraphs in a row or
    more past share buttons alone are the article going on after its share bar: a footer's blurb is a
    paragraph or two, and its disclaimers follow newsletter, copyright or legal lines).
    Other lines outside the body read as chrome: few function words (``low-content``).
    """
    if not cfg.keep_outside_prose:
        return "boilerplate:outside-body"
    b = blocks[i]
    prose = b.punct and len(b.text) >= cfg.length_low
    if prose and i > hi and cfg.mode != "page":
        if "boilerplate:comment-form" in walls:
            return "boilerplate:comments"
        if "boilerplate:related-block" in walls:
            return "boilerplate:related-block"
        footer = walls & _FOOTER_WALLS
        if footer and (footer != _SHARE or not _in_prose_run(blocks, i, cfg.footer_max_run, cfg)):
            return "boilerplate:footer"
    if not (prose and (b.cls == GOOD or _sentence_paragraph(blocks, i, repeated, cfg))):
        return "boilerplate:low-content"
    if cfg.mode == "page":
        return None  # all running text: comments, teasers and repeats included (passages handles copies)
    if b.dup:
        return "boilerplate:repeated-block"
    return None


def _item_links(blocks: list[_Block], cfg: BoilerplateConfig) -> list[dict[int, int]]:
    """Call-to-action lines that may be a listing's link to each of its items ("Click here to read the story..."
    under several posts of a front page): groups of lines saying the same call (its phrase), each line with the
    item it stands under (the prose paragraph above it, -1 if none), for groups with two lines under prose."""
    calls: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.rule == "boilerplate:call-to-action":
            m = _CTA.match(b.text)
            if m:
                calls.setdefault(" ".join(m.group(0).lower().split()), []).append(i)
    out: list[dict[int, int]] = []
    for lines in calls.values():
        group: dict[int, int] = {}
        for i in lines:
            j = i - 1
            while j >= 0 and j in group:
                j = group[j] if group[j] >= 0 else j - 1  # (two links under one item: "read the story", "read more")
            prose = j >= 0 and blocks[j].punct and len(blocks[j].text) >= cfg.length_low and not blocks[j].rule
            group[i] = j if prose else -1
        if sum(j >= 0 for j in group.values()) >= 2:
            out.append(group)
    return out


def _records(blocks: list[_Block], cfg: BoilerplateConfig) -> set[int]:
    """The lines of a list of records: labelled fields ("Title: ...", "Publication Date: ...", "Rates: ...") whose
    labels come again and again, record after record (``record_min_fields`` labels, each at least
    ``record_min_repeats`` times in the run), with the lines between them (an abstract, a record's number).

    A catalogue's or a directory's records are its content, however few function words their fields hold; a
    teaser or a comment says its label once.
    """
    labels: list[str | None] = []
    values: dict[str, set[str]] = {}  # the distinct values of each label (a menu said again repeats its values)
    for b in blocks:
        m = _FIELD.match(b.text) if not b.table and ":" in b.text else None
        lab = m.group(1).lower() if m else None
        labels.append(lab)
        if lab:
            values.setdefault(lab, set()).add(b.text[m.end(1) :].strip().lower())
    out: set[int] = set()
    fields = [i for i, lab in enumerate(labels) if lab and len(values[lab]) >= cfg.record_min_repeats]
    k = 0
    while k < len(fields):
        end = k
        while end + 1 < len(fields) and fields[end + 1] - fields[end] <= cfg.record_max_gap:
            end += 1
        run = fields[k : end + 1]
        seen: dict[str, int] = {}
        for i in run:
            seen[labels[i]] = seen.get(labels[i], 0) + 1
        if sum(n >= cfg.record_min_repeats for n in seen.values()) >= cfg.record_min_fields:
            out.update(range(run[0], run[-1] + 1))
        k = end + 1
    return out


def _gallery(blocks: list[_Block], lo: int, hi: int, cfg: BoilerplateConfig) -> set[int]:
    """The lines of a slideshow inside an article: captions opening with counters of one count in order ("1/50 ...",
    "2/50 ...", ...; at least ``gallery_min_slides``), each slide up to the next counter, the last one its counter,
    its caption and the short credit lines after it; only when the body holds prose before and after the
    slideshow (the article goes on around it: a slideshow that is the whole page is its content)."""
    out: set[int] = set()
    i = max(lo, 0)
    while i <= hi:
        m = _SLIDE.match(blocks[i].text)
        if not m or m.group(1) != "1" or int(m.group(2)) < cfg.gallery_min_slides:
            i += 1
            continue
        total, k, slides = m.group(2), 1, [i]
        for j in range(i + 1, hi + 1):
            n = _SLIDE.match(blocks[j].text)
            if n and n.group(2) == total and int(n.group(1)) == k + 1:
                k += 1
                slides.append(j)
        if k < cfg.gallery_min_slides:
            i += 1
            continue
        end = min(slides[-1] + 1, hi)
        while end + 1 <= hi and not blocks[end + 1].punct and blocks[end + 1].words <= 4:
            end += 1  # (the last caption's credit: "Getty", "AP Photo")
        prose = [_prose_like(b, cfg) and b.cls == GOOD for b in blocks]
        if any(prose[lo:i]) and any(prose[end + 1 : hi + 1]):
            out.update(range(i, end + 1))
        i = end + 1
    return out
