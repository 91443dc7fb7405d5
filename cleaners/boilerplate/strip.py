"""The step: strip_boilerplate runs its passes over a page until nothing changes.

One pass (:func:`_strip_once`) reads the lines into blocks, marks what the lines say by themselves
(repeats, teaser links, tables, bylines), classifies the blocks, selects the body and the other
content regions, then decides for every block whether it stays, and with which rule it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..document import Change, Document
from ..text import iter_sentences
from .blocks import BAD, GOOD, _Block, _classify, _prose_like
from .body import _colon_lists, _edge_lists, _find_headlines, _find_title, _main_body, _regions
from .config import BoilerplateConfig
from .data import _CTA, _TRUSTED_RULES
from .lines import _Line, _Memo
from .outside import (
    _gallery,
    _item_links,
    _outside_evidence,
    _records,
    _teaser_lists,
    _thread_posts,
    _walls_after_body,
)
from .cjk import cjk_line, cjk_page
from .keeps import (
    _keep_good_between_paragraphs,
    _keep_lines_in_paragraphs,
    _keep_listing_items,
    _keep_references,
    _keep_sentences_between_kept,
    _keep_sentence_lists,
    _keep_tables_in_text,
    _keep_tables_whole,
    _keep_wiki_notes,
    _keep_wrapped_whole,
)
from .patterns import (
    _ABOUT_AUTHOR,
    _ABOUT_HEAD,
    _BIO_SENTENCE,
    _CONTACT_LINE,
    _HATNOTE,
    _LINK_AFTER_COLON,
    _NAME_URL,
    _READ_ON,
    _SENT_END,
)
from .stopwords import _stop_language

STEP = "boilerplate"


def strip_boilerplate(doc: Document, cfg: BoilerplateConfig) -> Document:
    """Drop page chrome around and inside the main text; title and byline go to metadata.

    Runs until nothing changes, so that cleaning its own output changes nothing. Should the
    passes not settle (``max_passes``), or should a later pass remove more than half of what the
    earlier ones kept (an unstable reading of an odd text), the document is left as it was:
    an untouched document is a fixed point too.
    """
    if not cfg.enabled:
        return doc
    cur = doc
    memo = _Memo(cfg)
    for k in range(cfg.max_passes):
        out = _strip_once(cur, cfg, memo)
        if out is cur:
            return out
        if k and len(out.text) < 0.5 * len(cur.text):
            return doc
        cur = out
    return doc


@dataclass
class _Page:
    """One pass's reading of a document: its lines with text, as blocks."""

    text: str
    starts: list[int]  # offset of each line with text
    feats: list[_Line]  # what each line says by itself
    groups: list[int]  # lines not separated by a blank line share a group (a <br>-broken paragraph)
    blocks: list[_Block]


@dataclass
class _Body:
    """The body (blocks lo..hi; hi < lo: none), the headline it starts at (if the page names one), the other
    content regions, and the lines listed after a colon."""

    lo: int
    hi: int
    headline: int | None
    in_region: list[bool]
    listed: set[int]


def _strip_once(doc: Document, cfg: BoilerplateConfig, memo: _Memo) -> Document:
    page = _read_page(doc.text, cfg, memo)
    if page is None:
        return doc
    blocks = page.blocks
    first_copy = _mark_repeats(page)
    _mark_teaser_links(blocks, cfg)
    _mark_tables(page, cfg)
    author, names = _mark_bylines(page, doc.metadata.get("author"), cfg)
    if doc.source.format == "html":
        return _strip_lines(doc, blocks, page.starts, cfg, author)
    _classify_blocks(blocks, cfg)
    body = _select_body(page, cfg)
    _mark_author_bios(blocks, body, names, cfg)
    title_i = None
    if cfg.rule_on("boilerplate:title"):
        h = body.headline
        title_i = h if h is not None and h == body.lo else _find_title(blocks, body.lo, body.hi, cfg)
    drop = _keep_tables_whole(blocks, _decide(blocks, body, title_i, first_copy, cfg))
    drop = _keep_lines_in_paragraphs(page, _keep_tables_in_text(page, drop, cfg), cfg)
    drop = _keep_wrapped_whole(page, _keep_good_between_paragraphs(blocks, drop, cfg))
    drop = _keep_wiki_notes(blocks, _keep_sentence_lists(blocks, drop, cfg), cfg)
    drop = _keep_sentences_between_kept(page, _keep_references(blocks, drop, cfg), cfg)
    drop = _keep_listing_items(blocks, drop, body.lo, body.hi, cfg)
    changes, kept = _drop_changes(page, drop)
    if cfg.rule_on("boilerplate:call-to-action"):
        changes += _call_to_action_changes(page, kept, memo)
    if cfg.rule_on("boilerplate:tex-source") and _TEX_OPEN in page.text:
        changes += _tex_source_changes(page, kept, {c.start for c in changes})
    return _apply(doc, blocks, changes, title_i, author)


def _read_page(text: str, cfg: BoilerplateConfig, memo: _Memo) -> _Page | None:
    """The lines with text, their features (kept across passes), and a block for each; None if there is none."""
    starts: list[int] = []
    feats: list[_Line] = []
    groups: list[int] = []
    group = 0
    pos = 0
    known = memo.lines.get
    for line in text.split("\n"):
        if line and not line.isspace():  # (a line with text: line.strip() is not empty)
            starts.append(pos)
            feats.append(known(line) or memo.line(line))
            groups.append(group)
        else:
            group += 1
        pos += len(line) + 1
    if not feats:
        return None
    lang = _stop_language(feats, text, cfg)
    cjk = lang is None and cjk_page(text, cfg)
    blocks: list[_Block] = []
    for start, f in zip(starts, feats):
        t = f.text
        size = len(t)
        if lang is not None:
            stop = f.stop_hits[lang] / len(f.words) if f.words else 0.0
        elif cjk:  # Chinese, Japanese: lengths and function words per character (cjk.py)
            known_cjk = memo.cjk.get(t)
            if known_cjk is None:
                known_cjk = memo.cjk[t] = cjk_line(t, f.punct, cfg)
            size, stop = known_cjk
        else:  # unknown language: sentence punctuation stands in for function words
            stop = 1.0 if f.punct else 0.0
        start += f.lead
        # (every field in order: start, end, text, words, stop, punct, cls, rule, heading, table, dup, teaser, title_words,
        # code, size)
        blocks.append(
            _Block(
                start,
                start + len(t),
                t,
                f.n_words,
                stop,
                f.punct,
                BAD,
                f.rule,
                f.heading,
                f.table,
                False,
                False,
                f.title_words,
                f.code,
                size,
            )
        )
    return _Page(text, starts, feats, groups, blocks)


def _mark_repeats(page: _Page) -> dict[int, int]:
    """A block opening like an earlier one repeats it (menus said twice, teasers, a page's text twice).

    Returns each repeating block's first copy.
    """
    seen: dict[str, int] = {}
    first_copy: dict[int, int] = {}
    for i, (b, f) in enumerate(zip(page.blocks, page.feats)):
        key = f.dup_key
        if len(key) >= 8 and not b.table:
            b.dup = key in seen
            if b.dup:
                first_copy[i] = seen[key]
            else:
                seen[key] = i
    return first_copy


def _mark_teaser_links(blocks: list[_Block], cfg: BoilerplateConfig) -> None:
    """``related-block``: the short unpunctuated lines right after a "Related Posts"-style heading are its links.

    When prose follows the links, the box sits inside the article: its heading is no wall either
    (``teaser`` on the heading).
    """
    if not cfg.rule_on("boilerplate:related-block"):
        return
    inline: dict[int, bool] = {}
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if b.rule != "boilerplate:related-block" or b.words > cfg.heading_max_words or _READ_ON.match(b.text):
            continue  # ("Continue reading" is a link of its own, no heading over others)
        # "Related: Some other story", "See also: X and Y" carry their link themselves: no list under them
        own_link = _LINK_AFTER_COLON.search(b.text) is not None
        j = i + 1
        while not own_link and j < min(i + 1 + cfg.teaser_max_items, len(blocks)):
            c = blocks[j]
            if c.rule or c.table or len(c.text) >= cfg.length_high or _SENT_END.search(c.text) or c.text.endswith(":"):
                break
            if j == i + 1 and j + 1 < len(blocks) and _prose_like(blocks[j + 1], cfg):
                break  # one line between the heading and prose is the article's own title
            c.rule = "boilerplate:related-block"
            c.heading = False
            c.teaser = True
            j += 1
        if (j > i + 1 or own_link) and j < len(blocks):
            inline[i] = inline.get(j, False) or _prose_like(blocks[j], cfg)
            b.teaser = inline[i]


def _mark_tables(page: _Page, cfg: BoilerplateConfig) -> None:
    """A pipe-table row is one of at least two adjacent rows; ``numeric_min_rows`` lines in a row that are
    mostly numbers ("3 Kevin Harvick 5033 4 6 15 26") are a table without pipes."""
    blocks = page.blocks
    rows = [b.table for b in blocks]
    for i, b in enumerate(blocks):
        b.table = rows[i] and ((i > 0 and rows[i - 1]) or (i + 1 < len(rows) and rows[i + 1]))
        if b.table:
            b.heading = False
    run: list[int] = []
    for i in range(len(blocks) + 1):
        if i < len(blocks) and not blocks[i].rule and page.feats[i].numeric:
            run.append(i)
            continue
        if len(run) >= cfg.numeric_min_rows:
            for k in run:
                blocks[k].table, blocks[k].heading = True, False
        run = []


def _mark_bylines(page: _Page, author: str | None, cfg: BoilerplateConfig) -> tuple[str | None, set[str]]:
    """``byline``: "By Jane Doe" (short lines only). Returns the author (the document's, else the first
    byline's) and the names of bylines and author links (their bios are found later)."""
    names: set[str] = set()
    for b, f in zip(page.blocks, page.feats):
        if b.rule or b.words > 12:
            continue
        if f.byline is not None and cfg.rule_on("boilerplate:byline"):
            b.rule = "boilerplate:byline"
            b.heading = False
            author = author or f.byline
            names.add(f.byline)
    for b in page.blocks:
        if b.rule == "boilerplate:author-bio":
            m = _NAME_URL.match(b.text)
            if m:
                names.add(m.group(1).strip())
    return author, names


def _classify_blocks(blocks: list[_Block], cfg: BoilerplateConfig) -> None:
    """jusText's classes; a page without one long good paragraph is judged again on shorter prose."""
    _classify(blocks, cfg)
    if not any(b.cls == GOOD and not b.table and b.size > cfg.length_high for b in blocks):
        # (a short page; table rows and short lines good only by their neighbours are no such paragraph)
        _classify(blocks, replace(cfg, length_high=cfg.length_low))


def _select_body(page: _Page, cfg: BoilerplateConfig) -> _Body:
    """The main body (after the headline, if the page names one), the other content regions, and the
    lists after a colon in them (the body reaches to the end of such a list)."""
    blocks = page.blocks
    lo, hi, headline = _main_body(blocks, cfg, _find_headlines(blocks, cfg))
    regions = _regions(blocks, cfg, (lo, hi))
    listed: set[int] = set()
    for r_lo, r_hi in regions:
        listed |= _colon_lists(blocks, page.groups, r_lo, r_hi, cfg)
    if listed:
        hi = max(hi, max(i for i in listed if i >= lo) if any(i >= lo for i in listed) else hi)
    listed |= _edge_lists(blocks, lo, hi, cfg)
    in_region = [False] * len(blocks)
    for r_lo, r_hi in regions:
        for k in range(r_lo, r_hi + 1):
            in_region[k] = True
    return _Body(lo, hi, headline, in_region, listed)


def _mark_author_bios(blocks: list[_Block], body: _Body, names: set[str], cfg: BoilerplateConfig) -> None:
    """``author-bio``: after the body, a name line, "About the author", a paragraph opening with a byline's
    name or saying who someone is; in the body's second half, an "About Jane Roe" heading and what it heads."""
    if not cfg.rule_on("boilerplate:author-bio"):
        return
    lo, hi = body.lo, body.hi
    after = hi + 1 if hi >= lo else len(blocks) // 2
    for i in range(max(min(after, hi) if hi >= lo else after, len(blocks) // 2), len(blocks)):
        b = blocks[i]
        if b.rule:
            continue
        if i >= after and (
            _ABOUT_AUTHOR.match(b.text)
            or (names and any(b.text.startswith(nm) for nm in names))
            or ("@" in b.text and _CONTACT_LINE.match(b.text))
        ):
            b.rule = "boilerplate:author-bio"
        elif i >= hi >= lo and _BIO_SENTENCE.match(b.text):
            b.rule = "boilerplate:author-bio"  # "Jane Roe is a reporter for ..." ending the body or after it
    for i in range(lo + (hi - lo + 1) // 2, hi + 1):
        b = blocks[i]
        if b.rule or b.punct or b.words > cfg.about_max_words or not _ABOUT_HEAD.match(b.text):
            continue
        b.rule = "boilerplate:author-bio"
        for j in range(i + 1, hi + 1):
            c = blocks[j]
            if c.rule or c.table or (c.heading and not c.punct):
                break
            c.rule = "boilerplate:author-bio"
        break


def _decide(
    blocks: list[_Block], body: _Body, title_i: int | None, first_copy: dict[int, int], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """Every block that goes, with the rule naming the evidence against it (in block order)."""
    lo, hi, in_region = body.lo, body.hi, body.in_region
    first_prose = next(
        (
            i
            for i in range(max(lo, 0), hi + 1)
            if i != title_i
            and (blocks[i].table or _SENT_END.search(blocks[i].text) or blocks[i].size >= cfg.length_low)
        ),
        hi + 1,
    )
    drop: list[tuple[int, str]] = []
    walls_before = _walls_after_body(blocks, hi)
    repeated = set(first_copy) | set(first_copy.values())
    teasers = _teaser_lists(blocks, in_region, cfg) if cfg.mode != "page" else set()
    posts, post_heads = _thread_posts(blocks, lo, cfg)
    link_groups = _item_links(blocks, cfg)
    links = {i for group in link_groups for i in group}
    slides = _gallery(blocks, lo, hi, cfg) if cfg.rule_on("boilerplate:gallery") else set()
    records = _records(blocks, cfg) if not posts else set()  # (a thread's post headers: the thread rule judges them)
    for i, b in enumerate(blocks):
        if i == title_i or i in body.listed or i in post_heads or i in links:
            continue
        if not b.rule and b.text[0] in "MF" and _HATNOTE.match(b.text):
            drop.append((i, "boilerplate:hatnote"))  # (before the records: "Main article:" said again is no field)
            continue
        if i in records and b.rule in _RECORD_RULES:
            continue  # a list of records: its fields and what they hold are the content
        if i in slides and not b.rule:
            drop.append((i, "boilerplate:gallery"))
            continue
        inside = lo <= i <= hi or in_region[i]
        if b.rule:
            drop.append((i, b.rule))
        elif hi < lo:
            continue  # no body found (a text of a line or two): only the phrase rules judge it
        elif inside and i < first_prose and b.words <= cfg.header_max_words:
            drop.append((i, "boilerplate:header-line"))  # handles, "X Share via", places between title and text
        elif inside and (b.cls == GOOD or b.table):
            continue
        elif i in posts and not b.dup and _unpunctuated_prose(b, cfg):
            continue  # a line of a thread's post that reads like prose, only without a full stop: the post's text
        elif inside and b.words > cfg.heading_max_words and not b.dup and _unpunctuated_prose(b, cfg):
            continue  # inside the body, a line longer than a heading that reads like prose: a sentence without its stop
        elif b.size < cfg.length_low and not b.punct:
            drop.append((i, "boilerplate:navigation"))
        elif inside:
            if b.punct and cfg.keep_punctuated_in_body:
                continue  # a sentence inside the body, however short of function words: when in doubt, keep
            drop.append((i, "boilerplate:low-content"))
        else:
            rule = (
                "boilerplate:teaser-list"
                if i in teasers and i not in posts  # (a post's short lines and sentences are no teasers)
                else _outside_evidence(blocks, i, hi, walls_before[i], repeated, cfg)
            )
            if rule == "boilerplate:low-content" and i in posts and b.punct and not b.dup:
                rule = None  # a sentence of one of a thread's posts: the thread is the content
            if rule == "boilerplate:repeated-block" and all(j != first_copy.get(i, i) for j, _ in drop):
                rule = None  # a copy of kept text (a quote in a reply): drop_repeated_passages judges copies
            if rule == "boilerplate:repeated-block" and not _copies(b.text, blocks[first_copy.get(i, i)].text):
                rule = None  # the same opening, another ending: a record's field with its own value, no copy
            if rule == "boilerplate:repeated-block" and not _chrome_copy(i, first_copy.get(i, i), lo, drop):
                rule = None  # a copy after the body with no evidence but the copy: a record's field with the same value
            if rule:
                drop.append((i, rule))
    if links:
        drop = sorted(drop + _unlisted_links(link_groups, drop))
    if not cfg.enabled or cfg.disabled_rules:  # (else every rule is on)
        drop = [(i, r) for i, r in drop if cfg.rule_on(r)]
    return drop


def _unpunctuated_prose(b: _Block, cfg: BoilerplateConfig) -> bool:
    """A line of four words or more, without sentence punctuation, with function words like prose
    (``stopwords_low``): "Lucas should have stopped having old men fight" in a forum post. Menus, ranks and
    buttons ("Ars Tribunus Militum", "Ignored post by X") have few of them."""
    return not b.punct and b.words >= 4 and b.stop >= cfg.stopwords_low


# rules a line of a list of records is not dropped for: what they weigh (function words, punctuation, a date,
# a repeat, a headline-and-summary shape) is what a record's fields look like; walls and phrases still apply
_RECORD_RULES = frozenset({"", "boilerplate:date-line"})


def _unlisted_links(groups: list[dict[int, int]], drop: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A call to action said under each of two or more kept items is the listing's link to each item: it stays
    with its item (the listing is content). Every other line of such a group goes as a call to action."""
    dropped = {i for i, _ in drop}
    out = []
    for group in groups:
        kept = {i for i, j in group.items() if j >= 0 and j not in dropped}
        for i in group:
            if len(kept) < 2 or i not in kept:
                out.append((i, "boilerplate:call-to-action"))
    return out


# rules that judge a line by what it lacks (function words, punctuation): no evidence of chrome of their own
_WEAK_RULES = frozenset({"boilerplate:low-content", "boilerplate:navigation"})


def _chrome_copy(i: int, first: int, lo: int, drop: list[tuple[int, str]]) -> bool:
    """Is a copy of a dropped block chrome on evidence beyond the copy itself?

    It is when one of the copies stands before the body (the page's header says its headline or summary
    again: the title line, a teaser of the story itself), or when its first copy went on evidence of its
    own (a related box's link, a teaser list's item, a comment). After the body, a copy of a line that went
    only for lack of function words is a record's field with the same value as in an earlier record.
    """
    if first < lo or i < lo:
        return True
    return any(j == first and r not in _WEAK_RULES for j, r in drop)


def _copies(a: str, b: str) -> bool:
    """Does one text repeat the other (whole, or cut short with an ellipsis)?"""
    a, b = a.rstrip(".… "), b.rstrip(".… ")
    return a.startswith(b) or b.startswith(a)


def _drop_changes(page: _Page, drop: list[tuple[int, str]]) -> tuple[list[Change], list[int]]:
    """The changes removing the dropped blocks (each with its line break), and the kept blocks."""
    blocks, starts, text = page.blocks, page.starts, page.text
    dropped = {i for i, _ in drop}
    kept = [i for i in range(len(blocks)) if i not in dropped]
    last_kept_end = blocks[kept[-1]].end if kept else 0
    changes: list[Change] = []
    for i, rule in drop:
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        if i + 1 >= len(starts) or (kept and i > kept[-1]):
            # a trailing run: the first dropped block after the last kept one takes the line breaks before it
            if kept and i == kept[-1] + 1:
                start = last_kept_end
            if i + 1 >= len(starts):
                end = len(text)
        changes.append(Change(start, end, "", rule))
    return changes, kept


def _call_to_action_changes(page: _Page, kept: list[int], memo: _Memo) -> list[Change]:
    """``call-to-action`` inside kept paragraphs: only that sentence goes (one per block and pass)."""
    extra = memo.extra
    changes: list[Change] = []
    for i in kept:
        b = page.blocks[i]
        if not page.feats[i].cta:
            continue
        sents = list(iter_sentences(page.text, b.start, b.end))
        if len(sents) < 2:
            continue
        for k, s in enumerate(sents):
            if _CTA.match(s.text) or (extra is not None and extra.match(s.text)):
                if k > 0:
                    changes.append(Change(sents[k - 1].end, s.end, "", "boilerplate:call-to-action"))
                else:
                    changes.append(Change(s.start, sents[1].start, "", "boilerplate:call-to-action"))
                break  # one per block per pass keeps ranges disjoint; the fixed-point loop does the rest
    return changes


# how MediaWiki writes a formula's source beside its rendering: "A H {\\displaystyle A^{\\mathsf {H}}}"
_TEX_OPEN = "{\\displaystyle"


def _tex_source_changes(page: _Page, kept: list[int], taken: set[int]) -> list[Change]:
    """``tex-source``: a formula's TeX source said after its rendering, "{\\displaystyle ...}" (balanced braces),
    in kept lines: the text has the formula already (a page's math as text reads it twice)."""
    changes: list[Change] = []
    text = page.text
    for i in kept:
        b = page.blocks[i]
        if _TEX_OPEN not in b.text or any(b.start <= t < b.end for t in taken):
            continue  # (a line a call to action is cut from: the next pass)
        pos = b.start
        while (k := text.find(_TEX_OPEN, pos, b.end)) >= 0:
            depth, j = 0, k
            while j < b.end:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            if depth:
                break  # (unbalanced: cut off, leave it)
            start = k
            while start > b.start and text[start - 1] == " ":
                start -= 1
            if start == b.start and j == b.end:
                break  # (a line of nothing else: low-content judges it)
            changes.append(Change(start, j, "", "boilerplate:tex-source"))
            pos = j
    return changes


def _apply(
    doc: Document, blocks: list[_Block], changes: list[Change], title_i: int | None, author: str | None
) -> Document:
    """The document with the changes made, the title and author in its metadata, and where the title came from."""
    meta = dict(doc.metadata)
    if author and "author" not in meta:
        meta["author"] = author
    if title_i is not None and "title" not in meta:
        meta["title"] = blocks[title_i].text
    out = doc.apply(changes, step=STEP)
    if title_i is not None and "title" not in doc.metadata:
        tb = blocks[title_i]
        # the title stays in the text; record where it came from (its offsets shift by the drops before it)
        shift = sum(c.end - c.start for c in changes if c.end <= tb.start)
        out = out.note(tb.start - shift, tb.end - shift, step=STEP, rule="boilerplate:title", after=tb.text)
    if meta != dict(doc.metadata):
        out = out.with_(metadata=meta)
    return out


def _strip_lines(
    doc: Document, blocks: list[_Block], starts: list[int], cfg: BoilerplateConfig, author: str | None
) -> Document:
    """Text that an HTML extractor chose: no body selection again, only the lines a rule names.

    The extractor (cleaners.html_extract) already picked the page's content by its markup; reading
    the text again for a body would second-guess it without the markup (first and last lines,
    headings, short list items were lost that way). Only lines with evidence of their own (a
    phrase rule, a byline, a caption...) go.
    """
    text = doc.text
    changes = []
    for i, b in enumerate(blocks):
        if b.rule and b.rule in _TRUSTED_RULES and cfg.rule_on(b.rule):
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            changes.append(Change(starts[i], end, "", b.rule))
    out = doc.apply(changes, step=STEP) if changes else doc
    if author and "author" not in doc.metadata:
        out = out.with_(metadata={**doc.metadata, "author": author})
    return out
