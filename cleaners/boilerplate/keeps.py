"""Second looks at the dropped lines: lines dropped only for what they lack (few function words, no full stop, too
short: ``_WEAK_DROPS``) come back when the text around them says they are part of it: a table's other rows, a table
or a line between kept paragraphs, a list of sentences, a wiki's notes, the rest of a wrapped sentence.

Each function takes the drop list (block index, rule) and returns it without the lines it keeps.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .blocks import GOOD, _Block, _headline_like
from .config import BoilerplateConfig
from .patterns import _BULLET, _CITATION_AUTHOR, _CITATION_AUTHOR_DATE, _CITATION_YEAR

if TYPE_CHECKING:
    from collections.abc import Callable

    from .strip import _Page


def _give_back(drop: list[tuple[int, str]], keep: set[int]) -> list[tuple[int, str]]:
    """``drop`` without the lines of ``keep`` that were dropped only for what they lack (``_WEAK_DROPS``)."""
    return [(i, r) for i, r in drop if not (i in keep and r in _WEAK_DROPS)] if keep else drop


def _keep_tables_whole(blocks: list[_Block], drop: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A table stays whole: if one of its rows is kept, so are the others (a lone row is no table)."""
    dropped_rows = {i for i, r in drop if blocks[i].table and not blocks[i].rule}
    if not dropped_rows:
        return drop
    keep_rows: set[int] = set()
    i = 0
    while i < len(blocks):
        if not blocks[i].table:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and blocks[j + 1].table:
            j += 1
        rows = range(i, j + 1)
        if any(r not in dropped_rows and not blocks[r].rule for r in rows):
            keep_rows.update(r for r in rows if r in dropped_rows)
        i = j + 1
    return [(i, r) for i, r in drop if i not in keep_rows]


def _keep_tables_in_text(page: _Page, drop: list[tuple[int, str]], cfg: BoilerplateConfig) -> list[tuple[int, str]]:
    """A table standing between kept paragraphs of prose stays: the nearest kept line before it and after it (another
    table between them counts as part of the text) are prose (punctuated, ``length_low`` or longer), with at most
    ``table_text_gap`` dropped lines (its caption, a heading) between. Tables are the marked ones and runs of
    ``numeric_min_rows`` or more rows of a label and two figures ("Red Hat 8417 38.0%", a ranking), which count only
    here. A text's figures have no function words, yet the prose around them is the page's text; a menu or a
    ticker stands beside no such paragraphs on both sides. Only lines dropped for what they lack (_WEAK_DROPS)
    come back."""
    blocks = page.blocks
    rows = _figure_rows(page, cfg)
    rules = dict(drop)
    if not any(r in _WEAK_DROPS and (blocks[i].table or i in rows) for i, r in drop):
        return drop
    units = [i for i in range(len(blocks)) if i not in rules or blocks[i].table or i in rows]
    gap = cfg.table_text_gap + 1

    def row(i: int) -> bool:
        return blocks[i].table or i in rows

    def prose(i: int) -> bool:
        b = blocks[i]
        return i not in rules and not row(i) and b.punct and len(b.text) >= cfg.length_low

    keep: set[int] = set()
    k = 0
    while k < len(units):
        if not row(units[k]):
            k += 1
            continue
        j = k
        while j + 1 < len(units) and row(units[j + 1]) and units[j + 1] - units[j] <= gap:
            j += 1
        if 0 < k and j + 1 < len(units):
            before, after = units[k - 1], units[j + 1]
            if prose(before) and prose(after) and units[k] - before <= gap and after - units[j] <= gap:
                keep.update(units[k : j + 1])
        k = j + 1
    return _give_back(drop, keep)


def _keep_lines_in_paragraphs(
    page: _Page, drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A long line (``length_low`` or longer, with ``stopwords_prose`` function words) between two good lines that
    stay, with no blank line between it and one of them, stays unless it reads as a headline (capitalized words) or
    repeats an earlier line: a line of a list or a paragraph the text runs through ("Dimi fixed Bug 1677710 The
    password manager code ..."), dropped only for its few function words. A teaser's headline inside an article
    stands apart, between blank lines; a list of tags ("chaos theory computer science ...") has no function words."""
    blocks, groups = page.blocks, page.groups
    rules = dict(drop)

    def kept_good(j: int) -> bool:
        return j not in rules and blocks[j].cls == GOOD and not blocks[j].table

    keep = {
        i
        for i, r in drop
        if r in _WEAK_DROPS
        and 0 < i < len(blocks) - 1
        and blocks[i].size >= cfg.length_low
        and blocks[i].stop >= cfg.stopwords_prose
        and not blocks[i].dup
        and (groups[i] == groups[i - 1] or groups[i] == groups[i + 1])
        and kept_good(i - 1)
        and kept_good(i + 1)
        and not _headline_like(blocks[i].text, cfg)
    }
    return _give_back(drop, keep)


def _keep_sentences_between_kept(
    page: _Page, drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A sentence (a line of ``sentence_min_words`` or more ending with a full stop, a question or an exclamation mark,
    not an ellipsis) dropped as low-content stays when the lines right before and after it stay: a short paragraph of
    a thread's post or of a list of notes ("Thank you Jane for this story!", "Here's a question: is it broken?"),
    dropped only for its length or its few function words. Chrome between kept lines (a button, a call to action,
    a share line) carries a rule of its own; a copy of an earlier line (a quote in a reply) is for
    drop_repeated_passages to judge, not this step.
    """
    blocks = page.blocks
    rules = dict(drop)
    keep = {
        i
        for i, r in drop
        if r == "boilerplate:low-content"
        and 0 < i < len(blocks) - 1
        and i - 1 not in rules
        and i + 1 not in rules
        and blocks[i].words >= cfg.sentence_min_words
        and _SENTENCE_END.search(blocks[i].text) is not None
    }
    return _give_back(drop, keep)


# a line ending a sentence: a full stop (not an ellipsis), a question or an exclamation mark
_SENTENCE_END = re.compile(r"(?:[^.]\.|[!?])[\"'”’»)]*$")


def _keep_listing_items(
    blocks: list[_Block], drop: list[tuple[int, str]], lo: int, hi: int, cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """The items of a listing that is the page's content stay: a short label (``listing_label_words`` words at most,
    no sentence punctuation: "View this ad", "View full job description") said ``list_min_items`` times or more,
    two thirds of them right under a line of ``length_low`` or more characters without a rule, those lines of about
    one length (the shortest ``listing_size_share`` of the longest or more: summaries the site cut to a size),
    and one of them inside the main body (blocks ``lo`` to ``hi``): the page is that listing (classifieds, job
    offers, search results), and its items lose none of their lines for what they lack (function words, a full
    stop), nor the labels under them (the listing's link to each item; without them the page, cleaned again, would
    no longer read as a listing). Teasers of other stories stand outside the body, or run to their own lengths."""
    if hi < lo:
        return drop
    said: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.words <= cfg.listing_label_words and not b.punct:
            said.setdefault(b.text, []).append(i)
    keep: set[int] = set()
    for lines in said.values():
        if len(lines) < cfg.list_min_items:
            continue
        items = [j - 1 for j in lines if j > 0 and blocks[j - 1].size >= cfg.length_low and not blocks[j - 1].rule]
        if len(items) < cfg.list_min_items or 3 * len(items) < 2 * len(lines):
            continue
        sizes = [blocks[k].size for k in items]
        if min(sizes) >= cfg.listing_size_share * max(sizes) and any(lo <= k <= hi for k in items):
            keep.update(items)
            keep.update(k + 1 for k in items)
    return _give_back(drop, keep)


def _keep_good_between_paragraphs(
    blocks: list[_Block], drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A few lines (``gap_max_lines`` at most) between two kept paragraphs of prose stay when jusText calls every one
    of them good (short lines in good context) and none carries a rule: the text's own headings and questions
    ("Questions to ask", "2. When will you finish your dissertation?"), a line or three set apart. Lines of fewer
    than three words ("Read Later", "Caption") are not judged so: a button or a label says as much."""
    rules = dict(drop)
    prose = [
        i
        for i, b in enumerate(blocks)
        if i not in rules and b.punct and b.size >= cfg.length_low and not b.table and b.cls == GOOD
    ]
    keep: set[int] = set()
    for a, z in zip(prose, prose[1:]):
        if not 1 < z - a <= cfg.gap_max_lines + 1:
            continue
        mid = range(a + 1, z)
        if all(blocks[k].cls == GOOD and not blocks[k].rule and not blocks[k].table for k in mid):
            keep.update(k for k in mid if blocks[k].words >= 3 and not blocks[k].dup)
    return _give_back(drop, keep)


def _figure_rows(page: _Page, cfg: BoilerplateConfig) -> set[int]:
    """Runs of ``numeric_min_rows`` or more lines that are rows of a label and two figures (or of a table of
    figures)."""
    out: set[int] = set()
    run: list[int] = []
    for i in range(len(page.blocks) + 1):
        if i < len(page.blocks) and not page.blocks[i].rule and (page.feats[i].figures or page.feats[i].numeric):
            run.append(i)
            continue
        if len(run) >= cfg.numeric_min_rows and any(page.feats[k].figures for k in run):
            out.update(run)
        run = []
    return out


def _keep_sentence_lists(
    blocks: list[_Block], drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A bulleted list of sentences stays: ``list_min_items`` or more lines in a row opening with the same bullet,
    two thirds of them ending with a full stop ("• Prepare the interview questions."), lose none of their lines for
    what they lack (function words, length): the steps of a plan, a lesson's goals. A menu's or a listing's items
    are names and headlines, which end with no full stop (or a "?", "!" or "...")."""
    if not any(blocks[i].text[0] in _BULLET_CHARS for i, _ in drop):
        return drop  # (no dropped line opens with a bullet: most pages)
    keep: set[int] = set()
    i = 0
    while i < len(blocks):
        m = _BULLET.match(blocks[i].text) if blocks[i].text[0] in _BULLET_CHARS else None
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(blocks) and blocks[j].text.startswith(m.group(1) + " ") and _BULLET.match(blocks[j].text):
            j += 1
        stops = sum(1 for k in range(i, j) if _FULL_STOP.search(blocks[k].text))
        if j - i >= cfg.list_min_items and 3 * stops >= 2 * (j - i):
            keep.update(range(i, j))
        i = j
    return _give_back(drop, keep)


def _keep_wiki_notes(
    blocks: list[_Block], drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A wiki's notes stay: ``list_min_items`` or more lines in a row opening with "^" (the back-link MediaWiki prints
    before each reference: '^ Roe, Jane (2019). "Title". Publisher. Retrieved ...') lose none of their lines for what
    they lack: the article's sources, in few function words. No menu or teaser opens with a caret."""
    if not any(blocks[i].text[0] == "^" for i, _ in drop):
        return drop  # (most pages)
    return _give_back(drop, _runs(blocks, lambda b: b.text[0] == "^", cfg.list_min_items))


def _keep_references(
    blocks: list[_Block], drop: list[tuple[int, str]], cfg: BoilerplateConfig
) -> list[tuple[int, str]]:
    """A list of works cited stays: ``list_min_items`` or more lines in a row (blank lines apart or not) that each
    read as a citation (an author's name inverted, "Roe, Jane." or "Doe, J. K.", or an author-date opening, "National
    Center for Education Statistics. (2002)."; a year; a full stop or a parenthesis at the end) lose none of their
    lines for what they lack: the text's sources, in titles, places and publishers' names with few function words. A
    menu's or a teaser's lines do not name an author surname first and a year each, three times in a row."""
    if not any(_citation(blocks[i].text) for i, r in drop if r in _WEAK_DROPS):
        return drop  # (most pages)
    return _give_back(drop, _runs(blocks, lambda b: not b.rule and _citation(b.text), cfg.list_min_items))


def _runs(blocks: list[_Block], is_item: Callable[[_Block], bool], min_items: int) -> set[int]:
    """The indices of the blocks in runs of ``min_items`` or more in a row that ``is_item`` takes for items."""
    keep: set[int] = set()
    run: list[int] = []
    for i in range(len(blocks) + 1):
        if i < len(blocks) and is_item(blocks[i]):
            run.append(i)
            continue
        if len(run) >= min_items:
            keep.update(run)
        run = []
    return keep


def _citation(t: str) -> bool:
    """Does the line read as an entry of a list of works cited? (see _keep_references)"""
    return (
        len(t) >= 40
        and t.endswith((".", ")"))
        and (_CITATION_AUTHOR.match(t) is not None or _CITATION_AUTHOR_DATE.match(t) is not None)
        and _CITATION_YEAR.search(t) is not None
    )


# the characters _BULLET opens with
_BULLET_CHARS = frozenset("-+*•·–▪►")

# a sentence's full stop at the end of a line (not an ellipsis)
_FULL_STOP = re.compile(r"[^.]\.[\"”’)]?$")


def _keep_wrapped_whole(page: _Page, drop: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A paragraph broken into lines mid-sentence (a line that does not end a sentence, then one going on in lower
    case, no blank line between) stays whole when one of its lines stays: lines dropped only for what they lack
    (function words, punctuation, length) are pieces of the kept sentence, not chrome."""
    if not drop:
        return drop
    blocks, groups = page.blocks, page.groups
    chain = [0] * len(blocks)  # the first line of the wrapped paragraph each line belongs to
    for i in range(1, len(blocks)):
        a, b = blocks[i - 1].text, blocks[i].text
        wrapped = groups[i] == groups[i - 1] and len(a) >= 40 and b[0].islower() and not _WRAP_END.search(a)
        chain[i] = chain[i - 1] if wrapped else i
    rules = dict(drop)
    kept_chains = {chain[i] for i in range(len(blocks)) if i not in rules}
    return [(i, r) for i, r in drop if not (r in _WEAK_DROPS and chain[i] in kept_chains and _in_chain(chain, i))]


def _in_chain(chain: list[int], i: int) -> bool:
    return chain[i] != i or (i + 1 < len(chain) and chain[i + 1] == i)


# a line ending like this ends its sentence or its item: the next line is no continuation
_WRAP_END = re.compile(r"[.!?…:;)\]\"”’»]$")

# rules that judge a line by what it lacks, which a piece of a wrapped sentence lacks too
_WEAK_DROPS = frozenset({"boilerplate:low-content", "boilerplate:navigation", "boilerplate:header-line"})
