"""strip_boilerplate: keep a page's main text, drop its chrome (menus, footers, forms, teasers).

Scraped text puts one block per line. Each block is first checked against universal
phrase rules (``data/boilerplate.txt`` plus ``BoilerplateConfig.extra_phrases``): comment
forms, subscription calls, share lines, cookie notices, copyright/footer lines, "Related
Posts"-style teaser headings (and the unpunctuated links under them), photo captions and
credits, date-only lines, bylines and author bios. Lines that are mostly numbers, four or more
in a row, are a table like pipe rows. The other blocks are
classified in the spirit of jusText by length and stop-word density (good / near-good / short /
bad), short and near-good blocks are settled by their neighbours, and the main body is the
contiguous run of blocks with the highest score (good text counts up, chrome counts down;
phrase-rule blocks weigh like walls, and so does a date line once prose has begun: it dates the
next teaser or comment). Outside it everything goes; inside it only blocks that
still look like chrome. A title-like line just before the body is kept and becomes
``metadata["title"]``; a byline becomes ``metadata["author"]``. Calls to action inside good
paragraphs ("Share your thoughts in the comments below.") are removed sentence by sentence.
Pipe-table rows inside the body are always kept.

>>> page = "\\n".join([
...     "Home", "World", "Politics", "Sport",
...     "Ministers agree on a new budget",
...     "By Jane Doe",
...     "The ministers met on Tuesday and agreed on a budget that they had been discussing for "
...     "months, and which the parliament is expected to approve before the end of the year.",
...     "It is the first budget since the election, and it raises spending on schools and hospitals "
...     "while cutting the deficit. Share your thoughts in the comments below.",
...     "Related Posts", "Leave a Reply", "Copyright 2024 Example News. All rights reserved."])
>>> doc = strip_boilerplate(Document.from_text(page), BoilerplateConfig())
>>> print(doc.text)
Ministers agree on a new budget
The ministers met on Tuesday and agreed on a budget that they had been discussing for months, and which the parliament is expected to approve before the end of the year.
It is the first budget since the election, and it raises spending on schools and hospitals while cutting the deficit.
>>> doc.metadata["title"], doc.metadata["author"]
('Ministers agree on a new budget', 'Jane Doe')
>>> sorted({e.rule for e in doc.edits})  # doctest: +NORMALIZE_WHITESPACE
['boilerplate:byline', 'boilerplate:call-to-action', 'boilerplate:comment-form', 'boilerplate:copyright',
 'boilerplate:navigation', 'boilerplate:related-block', 'boilerplate:title']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from re import _constants as _C  # the parser's opcodes (see first_chars)
from re import _parser
from types import MappingProxyType
from typing import Mapping, NamedTuple

from .document import Change, Document
from .first_chars import guarded
from .steps import StepConfig
from .text import iter_sentences

STEP = "boilerplate"

# --------------------------------------------------------------------------- data file


def _read_data() -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, frozenset[str]]]:
    text = resources.files(__package__).joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    patterns: dict[str, list[str]] = {}
    stops: dict[str, set[str]] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section.startswith("stopwords:"):
            stops.setdefault(section.split(":", 1)[1], set()).update(w.lower() for w in line.split())
        elif section:
            patterns.setdefault(section, []).append(line)
    return (
        MappingProxyType({k: tuple(v) for k, v in patterns.items()}),
        MappingProxyType({k: frozenset(v) for k, v in stops.items()}),
    )


PATTERNS, STOPWORDS = _read_data()
_STOP_SETS = tuple(STOPWORDS.values())
_ANY_STOPWORD = frozenset().union(*_STOP_SETS)
_NO_HITS = (0,) * len(_STOP_SETS)


def _compile(pats: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)


# line rules in the order they are tried: (rule, compiled pattern)
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (f"boilerplate:{name}", _compile(PATTERNS[name]))
    for name in ("comment-form", "subscribe", "cookie", "copyright", "legal", "share", "related-block", "advert")
    if name in PATTERNS
)
_COOKIE_START = _compile(PATTERNS.get("cookie", ("(?!)",)))
_COPYRIGHT_START = re.compile(r"(?:©|\(c\)|copyright\b\s*(?:©|\(c\))?\s*\d{4})", re.IGNORECASE)
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.IGNORECASE)
# every rule _hard_rule may give
_HARD_RULES = tuple(r for r, _ in _LINE_RULES) + tuple(
    f"boilerplate:{name}" for name in ("cookie", "copyright", "caption", "extra-phrase", "call-to-action", "date-line", "author-bio")
)
# rules whose lines are headings or link labels: a whole sentence is not one of them
_HEADING_RULES = frozenset({"boilerplate:related-block", "boilerplate:share", "boilerplate:copyright", "boilerplate:advert"})
# rules whose lines mark the end of an article (or chrome around it): the body does not cross them lightly
_WALLS = frozenset(r for r, _ in _LINE_RULES if r != "boilerplate:advert") | {
    "boilerplate:extra-phrase",
    "boilerplate:call-to-action",
    "boilerplate:byline",  # a byline after the text heads the next story in a list
}
# rules whose lines sit inside articles (captions): dropped, but neither chrome nor text to their neighbours
_NEUTRAL = frozenset({"boilerplate:caption"})
# rules that judge a line of an HTML extractor's text by itself (no body selection there): only those
# that removed no more true content than boilerplate on both HTML dev sets (benchmarks/extraction.py
# --rules); dates, bylines, captions and copyright lines the extractor kept are mostly the article's
_TRUSTED_RULES = frozenset({"boilerplate:comment-form", "boilerplate:call-to-action", "boilerplate:extra-phrase"})
_CTA = _compile(PATTERNS.get("call-to-action", ("(?!)",)))
_CAPTION = _compile(PATTERNS.get("caption", ("(?!)",)))
# the alternatives (data lines) of the patterns made by _compile
_SOURCES = {_compile(p).pattern: p for p in PATTERNS.values()}

# --------------------------------------------------------------------------- patterns

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SENT_PUNCT = re.compile(r"[.!?…:;][\"'”’»)\]]*(?:\s|$)|[。！？：；]")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_LINK_AFTER_COLON = re.compile(r"^[^:]{1,40}:\s*\w")
_NUMBER = re.compile(r"[-+−(]?[$€£¥]?\d[\d.,:/%-]*[)%]?")
_TABLE_ROW = re.compile(r"^\||\|$|\s\|\s.*\s\|\s")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
# one token of a date/time line; a date-only line is a run of these holding a month or a numeric date
_DATE_TOKEN = re.compile(
    rf"(?:\b(?:{_MONTHS}|{_DAYS})\b\.?|\d{{1,2}}:\d{{2}}(?:[ap]\.?m\b\.?)?|\d{{1,4}}(?:st|nd|rd|th)?\b|\b[ap]\.?m\b\.?|\b(?-i:[A-Z]{{2,4}})\b|\b(?:gmt|utc|"
    r"updated|published|posted|modified|last|on|at|am|pm|of|the|et|est|edt|pst|pdt|cst|cdt|ist|bst|cet|ago|read|"
    r"(?:second|minute|min|hour|hr|day|week|month|year)s?)\b|"
    r"[,./:|·•\-–—()]+)",
    re.IGNORECASE,
)
_DATE_ANCHOR = re.compile(
    rf"\b(?:{_MONTHS})\b|\b\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}\b|\b\d{{1,2}}:\d{{2}}\b", re.IGNORECASE
)
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|\b\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}\b",
    re.IGNORECASE,
)
_HAS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s|$)|[。！？]")  # a sentence ends in the line (not only a label's colon)
_SENT_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
_DIGIT = re.compile(r"\d")
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|bin|le|la|del))*"
_BYLINE = re.compile(
    rf"^(?:by|written by|words by|posted by|story by|reporting by|author:?)\s+({_NAME}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:$|[,|/·•\-–—(]|\bon\b|\bfor\b|\bin\b)",
    re.IGNORECASE,
)
_NAME_URL = re.compile(rf"^({_NAME})\s*(?:https?://|www\.)\S*$")
# "About Jane Roe", "Über Moritz Bachmann", "Sobre Carlos Nadalim": a heading over a bio (or a company's boilerplate)
_ABOUT_HEAD = re.compile(r"^(?i:about|über|sobre|à propos de|a propos de|acerca de)\s+(?:[A-ZÀ-ÖØ-Þ]|(?i:the author))")
# after the body, a paragraph saying who someone is and what they write: "Jane Roe (@jroe) is a senior
# reporter at ...", "Pulitzer Prize-winning journalist John Doe writes ..."
_BIO_SENTENCE = re.compile(
    r"^(?:[\w'’-]+\s){0,4}?(?:[A-Z][\w'’.-]+\s+){1,3}(?:\([^()]{1,40}\)\s+)?"
    r"(?:is|was|has been|writes|covers|reports)\s[^.!?]{0,100}?\b(?:writer|reporter|editor|journalist|correspondent|"
    r"columnist|contributor|author|blogger|photographer|producer|host|educator|founder|critic|analyst|freelancer)s?\b"
)
_ABOUT_AUTHOR = re.compile(r"^about (?:the )?authors?\b", re.IGNORECASE)


@dataclass(frozen=True)
class BoilerplateConfig(StepConfig):
    """Thresholds of strip_boilerplate (jusText's defaults for the block classes)."""

    extra_phrases: tuple[str, ...] = ()  # site phrases: a short line (or a sentence) starting with one is dropped
    length_low: int = 70  # shorter blocks are "short": their neighbours decide
    length_high: int = 150  # longer blocks with enough stop words are "good"
    stopwords_low: float = 0.30
    stopwords_high: float = 0.30
    stopwords_prose: float = 0.15  # a block with sentence punctuation needs only this many to be near-good
    max_heading_distance: int = 200  # a short heading this many chars before good text is kept
    phrase_max_words: int = 30  # phrase rules drop only lines this short
    caption_max_words: int = 60  # photo captions and credits ("... Credit: Getty") up to this long
    header_max_words: int = 8  # between title and text, lines this short are meta (handles, places, "Share via")
    heading_max_words: int = 8  # heading-like phrase rules (related, share, footer) spare longer sentences
    wall_weight: int = 300  # a phrase-rule line weighs like this many chars of chrome
    bad_line_weight: int = 25
    isolated_gain: float = 0.3  # a paragraph with no other within isolation_window blocks counts this share of its length
    isolation_window: int = 2
    table_gain: float = 1.0  # a table row of good context counts this share of its length for the body (like text)
    numeric_min_rows: int = 4  # this many lines in a row that are mostly numbers form a table (kept whole)
    numeric_share: float = 0.4
    numeric_max_tokens: int = 20
    teaser_max_items: int = 12  # unpunctuated lines after a related-block heading dropped as its teasers
    list_max_items: int = 100  # lines kept after a body line ending with ":" in the same paragraph group
    date_weight: int = 0  # a date-only line weighs like this many chars of chrome
    late_date_weight: int = 600  # ... and this many once prose has begun (dates of teasers and comments)
    short_line_weight: int = 10  # a short line without sentence punctuation costs this much inside a body
    dup_prefix_chars: int = 50  # blocks opening with the same this-many chars repeat each other  # each chrome line also costs this much on top of its length
    about_max_words: int = 5  # an "About Jane Roe" heading in the second half of the body starts a bio
    title_max_chars: int = 200
    headline_min_share: float = 0.25  # the run after the headline wins if it scores this share of the best run
    title_lookback: int = 8  # blocks before the body searched for the title
    # "article": the page's one main text (news corpora); "page": every run of blocks that scores
    # like content, not only the best one (several posts, sections or a forum thread: pretraining corpora)
    mode: str = "article"
    region_share: float = 0.25  # ... when it scores this share of the main body
    region_min_score: float = 150.0  # ... and at least this much (about a paragraph of prose)
    region_min_paragraphs: int = 2  # ... with this many prose paragraphs (one under a headline is a teaser)
    keep_outside_prose: bool = True  # prose outside the body stays unless evidence names it chrome
    teaser_min_items: int = 2  # headline-and-paragraph items in a row outside the body: a list of teasers
    teaser_headline_words: int = 20
    teaser_max_chars: int = 400  # a teaser's summary is this short (a report's sections run longer)
    keep_punctuated_in_body: bool = True  # lines of sentences inside the body are never low-content
    max_passes: int = 4  # passes to reach a fixed point (the bench needs at most three)
    min_stopword_rate: float = 0.08  # below this (no known language) stop words are not used


# --------------------------------------------------------------------------- block model

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


class _Line(NamedTuple):
    """What a line says on its own, the same in every pass: computed once per line text (see ``_Memo``)."""

    lead: int  # leading whitespace
    text: str  # stripped
    words: tuple[str, ...]  # lowercased
    stop_hits: tuple[int, ...]  # how many words are in each stop-word list (_STOP_SETS)
    stop_packed: int  # the same packed in one integer (see _STOP_PACKED), when the line has fewer than 5000 words
    n_words: int  # whitespace-separated tokens
    punct: bool
    table: bool  # a pipe-table row (before its neighbours are checked)
    rule: str  # _hard_rule
    heading: bool
    numeric: bool  # a row of a table of figures (only looked at when rule is "")
    byline: str | None  # the name of a "By Jane Doe" line (only looked at when rule is "" and n_words <= 12)
    dup_key: str
    title_words: frozenset[str] | None  # a heading's words, lowercased (compared with the first line's)
    cta: bool  # False: no sentence of it is a call to action (it lacks the literals of those rules; see _Memo.may_hold_cta)


def _line_features(line: str, rules: _Rules) -> _Line:
    cfg = rules.cfg
    t = line.strip()
    toks = t.split()
    n_words = len(toks)  # as many as \S+ finds: str.split and \s agree on whitespace
    punct = bool(_SENT_PUNCT.search(t))
    table = "|" in t and bool(_TABLE_ROW.search(t))
    tl = _lowered(t)
    rule = _hard_rule(t, n_words, rules, tl)
    words = _words(toks)
    packed = _packed_hits(words)
    heading = not rule and not table and _heading_like(t, n_words, punct, cfg)
    byline = None
    if not rule and n_words <= 12:
        m = _BYLINE.match(t)
        byline = m.group(1).strip() if m else None
    return _Line(
        lead=len(line) - len(line.lstrip()),
        text=t,
        words=words,
        stop_hits=_unpack_hits(packed) if packed >= 0 else _stop_hits_plain(words),
        stop_packed=packed,
        n_words=n_words,
        punct=punct,
        table=table,
        rule=rule,
        heading=heading,
        numeric=not rule and _numeric_row(toks, cfg, t),
        byline=byline,
        dup_key=t[: cfg.dup_prefix_chars].lower(),
        title_words=_title_words(t, words) if heading else None,
        cta=_may_match(rules.cta_needs, tl),
    )


# Characters a token may lose at its ends before the str.isalpha test of _words: none is a letter of
# _WORD ([^\W\d_]) nor one of its apostrophes, so stripping them takes no part of a word off.
_TOKEN_EDGES = "0123456789.,;:!?\"()[]{}<>«»“”‘‚„‹›—–-…/\\|*#%&+=~^`@$€£¥§°•·"


def _words(toks: list[str]) -> tuple[str, ...]:
    """The lowercased words of a line (``_WORD.findall`` over it), from its whitespace-separated tokens.

    A match of _WORD holds no whitespace, so the line's words are its tokens' words. A token that is
    all letters (``str.isalpha``: every such letter is one of _WORD's) once stripped of non-word edge characters
    is one word; any other token goes through _WORD itself.
    """
    out: list[str] = []
    for tok in toks:
        if not tok.isalpha():
            tok = tok.strip(_TOKEN_EDGES)
            if not tok.isalpha():
                if tok:
                    out += [w.lower() for w in _WORD.findall(tok)]
                continue
        out.append(tok.lower())
    return tuple(out)


# The characters str.lower does not map to one character of the same kind for _WORD (a letter, an apostrophe, any
# other): "İ" gives "i" and a combining dot; "Σ" gives "ς" or "σ" as the letters around it say.
_LOWER_CHANGES_WORDS = ("\u0130", "\u03a3")


def _title_words(t: str, words: tuple[str, ...]) -> frozenset[str]:
    """``frozenset(_WORD.findall(t.lower()))``: the lowercased words the line already has, unless lowercasing changes them."""
    if t.isascii() or not (_LOWER_CHANGES_WORDS[0] in t or _LOWER_CHANGES_WORDS[1] in t):
        return frozenset(words)
    return frozenset(_WORD.findall(t.lower()))


class _Memo:
    """Per-line results kept across the passes of one strip_boilerplate call (most lines survive a pass)."""

    def __init__(self, cfg: BoilerplateConfig) -> None:
        self.rules = _rules(cfg)
        self.extra = self.rules.extra
        self.lines: dict[str, _Line] = {}
        self.cta: dict[str, bool] = {}

    def line(self, line: str) -> _Line:
        f = self.lines.get(line)
        if f is None:
            f = _shared_line_features(line, self.rules) if len(line) <= _SHARED_LINE_CHARS else _line_features(line, self.rules)
            self.lines[line] = f
        return f

    def may_hold_cta(self, t: str) -> bool:
        """Could a sentence of this line be a call to action (or an extra phrase)? False means surely not."""
        r = self.cta.get(t)
        if r is None:
            at_start, after_space = _sentence_rule_starts(self.extra)[:2]
            r = self.cta[t] = at_start.match(t) is not None or after_space.search(t) is not None
        return r


# Short lines (menus, share buttons, footers: "Home", "Facebook", "Contact Us") recur from page to page,
# and each is tried against every phrase rule: their features are also kept across documents.
_SHARED_LINE_CHARS = 120


@lru_cache(maxsize=8192)
def _shared_line_features(line: str, rules: _Rules) -> _Line:
    return _line_features(line, rules)


@lru_cache(maxsize=16)
def _sentence_rule_starts(
    extra: re.Pattern[str] | None,
) -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[str, ...], ...]]:
    """The sentence rules (_CTA, extra phrases) searched where a sentence can start: the line start or after whitespace.

    A sentence that one of them matches (``match``) is such a place in its line, so a line where
    this finds nothing has no sentence to drop; nor has a line without the literals they need (the third item).
    """
    rules = guarded("|".join(_guarded(p) for p in (_CTA, extra) if p is not None), re.IGNORECASE)
    # at the start, or after whitespace (found by a fast scan for the class \s)
    return re.compile(rules, re.IGNORECASE), re.compile(r"\s" + rules, re.IGNORECASE), _needs_of(rules, re.IGNORECASE)


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    if not _CJK.search(sample):
        return 0.0  # (counting the letters is the costly part)
    letters = len(_LETTER.findall(sample))
    return len(_CJK.findall(sample)) / letters if letters else 0.0


# each stop word's lists as one integer: a field of _STOP_FIELD bits per list, 1 in the fields of the lists that hold it,
# so that the sum over a line's words counts the hits of every list at once (while no count can overflow its field)
_STOP_FIELD = 16
_STOP_PACKED = {
    w: sum(1 << (_STOP_FIELD * k) for k, stops in enumerate(_STOP_SETS) if w in stops) for w in _ANY_STOPWORD
}
_STOP_SHIFTS = tuple(range(0, _STOP_FIELD * len(_STOP_SETS), _STOP_FIELD))
_STOP_MASK = (1 << _STOP_FIELD) - 1
_STOP_LIMIT = 5000  # words of a line (and of a document's sample) counted in packed fields: < _STOP_MASK


def _stop_hits(words: tuple[str, ...]) -> tuple[int, ...]:
    """How many of ``words`` each stop-word list holds."""
    packed = _packed_hits(words)
    return _unpack_hits(packed) if packed >= 0 else _stop_hits_plain(words)


def _packed_hits(words: tuple[str, ...]) -> int:
    """_stop_hits packed in one integer (a field per list), or -1 for a line with too many words for that."""
    if len(words) >= _STOP_LIMIT:  # (a count could overflow its field)
        return -1
    return sum(filter(None, map(_STOP_PACKED.get, words)))


def _unpack_hits(packed: int) -> tuple[int, ...]:
    if not packed:
        return _NO_HITS
    return tuple([(packed >> k) & _STOP_MASK for k in _STOP_SHIFTS])


def _stop_hits_plain(words: tuple[str, ...]) -> tuple[int, ...]:
    """_stop_hits, list by list."""
    sw = [w for w in words if w in _ANY_STOPWORD]
    if not sw:
        return _NO_HITS
    return tuple([sum(map(stops.__contains__, sw)) for stops in _STOP_SETS])


def _stop_language(lines: list[_Line], text: str, cfg: BoilerplateConfig) -> int | None:
    """The document's language: the index of the stop-word list with most hits in its first 5000 words, or None."""
    budget = _STOP_LIMIT
    packed = 0  # the hits of the lines read whole, summed in their packed form (fewer than 5000 words: no field overflows)
    last = _NO_HITS  # the hits of the words read of the line the budget ends in
    for f in lines:
        if len(f.words) < budget:
            packed += f.stop_packed
            budget -= len(f.words)
        else:
            last = _stop_hits(f.words[:budget])
            budget = 0
            break
    n = _STOP_LIMIT - budget
    if not n or _cjk_share(text) >= 0.3:
        return None  # unspaced scripts: a "word" is a phrase, rates mean nothing
    best, best_rate = None, 0.0
    for k, hits in enumerate(map(sum, zip(_unpack_hits(packed), last))):
        rate = hits / n
        if rate > best_rate:
            best, best_rate = k, rate
    return best if best_rate >= cfg.min_stopword_rate else None


@lru_cache(maxsize=16)
def _extra(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    phrases = tuple(p.strip() for p in phrases if p.strip())
    return re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE) if phrases else None


def _is_date_line(t: str, max_name_words: int = 4, tl: str | None = None) -> bool:
    """A date/time alone, or a full date with at most a few capitalized words (an agency or author).

    ``tl``: the line as ``_lowered`` gives it, if known.
    """
    if len(t) > 80 or t[0] in "—–-":  # "— Name (@handle) May 1, 2019" quotes a post
        return False
    # _DATE_ANCHOR finds a month's name or a digit
    if tl is not None and _DIGIT.search(t) is None and not any(map(tl.__contains__, _MONTH_NEEDS)):
        return False
    if not _DATE_ANCHOR.search(t):
        return False
    pos = 0
    rest: list[str] = []
    for m in _DATE_TOKEN.finditer(t):
        gap = t[pos : m.start()].strip()
        if gap:
            rest.extend(gap.split())
        pos = m.end()
    rest.extend(t[pos:].split())
    if not rest:
        return True
    names = [w for w in rest if w.lower() not in ("by", "and", "&")]
    return (
        len(names) <= max_name_words
        and _FULL_DATE.search(t) is not None
        and all(w[:1].isupper() or w[:1] == "@" for w in names)
        and not _SENT_END.search(t)
    )


def _heading_like(t: str, words: int, punct: bool, cfg: BoilerplateConfig) -> bool:
    if not t or len(t) > cfg.title_max_chars or words < 1:
        return False
    if t[-1] in ".,;" and not t.endswith(".."):
        return False
    first = t.lstrip("\"'“‘(«[0123456789). ")[:1]
    return bool(first) and (first.isupper() or not first.isalpha()) and not _has_url(t)


def _has_url(t: str) -> bool:
    # every alternative of _URL holds "://", "www." or "@" (a search of \S+@ backtracks over each token)
    return ("://" in t or "www." in t or "@" in t) and _URL.search(t) is not None


def _hard_rule(t: str, n_words: int, rules: _Rules, tl: str | None) -> str:
    """The rule that marks this line as boilerplate whatever its context, or "" (``tl``: see ``_lowered``)."""
    cfg, on = rules.cfg, rules.on
    if "boilerplate:cookie" in on and _may_match(_COOKIE_WORD_NEEDS, tl) and len(_COOKIE_WORD.findall(t)) >= 2:
        return "boilerplate:cookie"
    phrases = n_words <= cfg.phrase_max_words
    # "Related posts on the site explain ..." is prose, not a teaser heading
    sentence = phrases and n_words > cfg.heading_max_words and t[-1] in ".!?…"
    rule = rules.chains[(n_words <= cfg.caption_max_words, phrases, not sentence)].match(t, tl)
    if rule is not None:
        if rule != "boilerplate:call-to-action" or len(list(iter_sentences(t))) == 1:
            return rule
    if "boilerplate:date-line" in on and _is_date_line(t, tl=tl):
        return "boilerplate:date-line"
    if "boilerplate:author-bio" in on and _may_match(_NAME_URL_NEEDS, tl) and _NAME_URL.match(t):
        return "boilerplate:author-bio"
    return ""


class _Chain:
    """Start-of-line rules tried in order, each alternative behind a guard on its first characters (see ``_chain``).

    The rules are one pattern whose group names the rule, but for the alternatives that scan the
    line first (``.{0,400}?\\bcredits?:``): each is a pattern of its own, tried only on a line
    holding the literals every match of it holds (``_needs``). Within a rule the order of its
    alternatives does not matter (any of them gives the rule), so a rule's scanning ones come
    after its others; the first step that matches gives the rule, as the one alternation would.
    """

    def __init__(self, parts: list[tuple[str, tuple[str, ...]]]) -> None:
        self.parts = parts  # (rule, its alternatives)
        # steps: (pattern, group name -> rule, literal sets to find first or None); a set of one literal as that string
        self.steps: list[tuple[re.Pattern[str], dict[str, str], tuple[str | tuple[str, ...], ...] | None]] = []
        groups: list[tuple[str, str, str]] = []  # (group name, rule, alternation) of the pattern being made
        for i, (rule, alts) in enumerate(parts):
            plain, scanning = [], []
            for a in alts:
                needs = _needs_of(a, re.IGNORECASE) if _scans(a) else ()
                (scanning if needs else plain).append((a, needs))
            if plain:
                groups.append((f"_r{i}", rule, "|".join(guarded(a, re.IGNORECASE) for a, _ in plain)))
            for a, needs in scanning:
                self._add(groups)
                groups = []
                one = tuple(g[0] if len(g) == 1 else g for g in needs)
                self.steps.append((re.compile(guarded(a, re.IGNORECASE), re.IGNORECASE), {None: rule}, one))
        self._add(groups)

    def _add(self, groups: list[tuple[str, str, str]]) -> None:
        if groups:
            pattern = "|".join(f"(?P<{g}>{alternation})" for g, _, alternation in groups)
            self.steps.append((re.compile(pattern, re.IGNORECASE), {g: rule for g, rule, _ in groups}, None))

    def match(self, t: str, tl: str | None) -> str | None:
        """The rule of the first alternative that matches at the start of ``t`` (``tl``: see ``_lowered``), or None."""
        for pat, names, needs in self.steps:
            if needs is not None and tl is not None:
                for group in needs:  # (_may_match, unrolled: this runs for most lines)
                    if group.__class__ is str:
                        if group not in tl:
                            break
                    elif not any(map(tl.__contains__, group)):
                        break
                else:
                    needs = None
                if needs is not None:
                    continue  # a literal is missing: no match
            m = pat.match(t)
            if m is not None:
                return names[m.lastgroup]
        return None


@lru_cache(maxsize=64)
def _chain(on: frozenset[str], extra: re.Pattern[str] | None, caption: bool, phrases: bool, headings: bool) -> _Chain:
    """The start-of-line rules a line is tried against, in order, as one pattern whose group names the rule.

    Cookie notices and copyright lines first, then captions (``caption``: a line short enough), then,
    for a line short enough for phrases, the extra phrases, the line rules (the heading-like ones only
    if ``headings``: the line is no sentence) and calls to action. An alternation matches with its
    first alternative that can, so the group is the rule the rules tried one by one would give.
    """
    parts: list[tuple[str, re.Pattern[str]]] = []
    for rule, pat, use in (
        ("boilerplate:cookie", _COOKIE_START, True),
        ("boilerplate:copyright", _COPYRIGHT_START, True),
        ("boilerplate:caption", _CAPTION, caption),
    ):
        if use and rule in on:
            parts.append((rule, pat))
    if phrases:
        if extra is not None:
            parts.append(("boilerplate:extra-phrase", extra))
        parts += [(r, p) for r, p in _LINE_RULES if r in on and (headings or r not in _HEADING_RULES)]
        if "boilerplate:call-to-action" in on:
            parts.append(("boilerplate:call-to-action", _CTA))
    return _Chain([(r, _alternatives(p)) for r, p in parts])


def _alternatives(pat: re.Pattern[str]) -> tuple[str, ...]:
    """The alternatives of ``pat``: the data lines of a pattern made by _compile, or the pattern itself."""
    return _SOURCES.get(pat.pattern, (pat.pattern,))


def _guarded(pat: re.Pattern[str]) -> str:
    """``pat`` (an IGNORECASE alternation, each alternative behind a guard on its first characters)."""
    return "|".join(guarded(p, re.IGNORECASE) for p in _alternatives(pat))


# --------------------------------------------------------------------------- literal prefilters

# the characters outside ASCII that IGNORECASE matches with an ASCII letter (dotted and dotless i, long s, Kelvin sign)
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(t: str) -> str | None:
    """``t.lower()`` when every ASCII string that an IGNORECASE pattern finds in ``t`` is in it lowercased, else None.

    A match of an ASCII literal in ``t`` is a run of ASCII characters (no other character matches
    an ASCII one but those of _FOLDS_TO_ASCII), and lowercasing keeps such a run whole.
    """
    if t.isascii() or _FOLDS_TO_ASCII.search(t) is None:
        return t.lower()
    return None


def _may_match(needs: tuple[tuple[str, ...], ...], tl: str | None) -> bool:
    """False only if the line (``tl``: see ``_lowered``) lacks a literal that a pattern with these ``needs`` must find."""
    if tl is not None:
        for group in needs:
            if not any(map(tl.__contains__, group)):
                return False
    return True


_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)


def _needs(items) -> list[frozenset[str]]:
    """Literals a match of the parsed ``items`` must hold: from each set, one of its strings (lowercase ASCII).

    Read conservatively: a part that is not plainly known (a class of a category, a group with
    flags of its own, a lookaround, a repeat that may match nothing) gives nothing.
    """
    out: list[frozenset[str]] = []
    run: list[str] = []  # consecutive literals: matched one after the other
    for op, av in items:
        if op is _C.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            out.append(frozenset(["".join(run)]))
            run = []
        if op is _C.SUBPATTERN and not av[1] and not av[2]:
            out += _needs(av[3])
        elif op is _C.BRANCH:
            alts = [_most_telling(_needs(b)) for b in av[1]]
            if all(alts):
                lits = frozenset().union(*alts)
                # a literal holding another of the set adds nothing ("comment below" beside "comment")
                out.append(frozenset(a for a in lits if not any(b != a and b in a for b in lits)))
        elif op in _REPEATS and av[0] >= 1:
            out += _needs(av[2])
        elif op is _C.IN and all(o is _C.LITERAL and a < 128 for o, a in av):
            out.append(frozenset(chr(a).lower() for _, a in av))
    if run:
        out.append(frozenset(["".join(run)]))
    return out


def _most_telling(needs: list[frozenset[str]]) -> frozenset[str] | None:
    """The set whose shortest literal is longest (the rarest to be found by chance), or None."""
    return max(needs, key=lambda group: min(map(len, group)), default=None)


@lru_cache(maxsize=256)
def _needs_of(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """What ``_may_match`` checks for ``pattern``: its two most telling literal sets (none if nothing is known)."""
    needs = sorted({tuple(sorted(group)) for group in _needs(_parser.parse(pattern, flags))}, key=lambda g: (-min(map(len, g)), g))
    return tuple(needs[:2])


def _scans(pattern: str) -> bool:
    """Does ``pattern`` open with a repeat (``.{0,400}?``, ``[^.!?]{0,80}``): a match that walks the line first?"""
    items = _parser.parse(pattern, re.IGNORECASE)
    return len(items) > 0 and items[0][0] in _REPEATS and items[0][1][1] > 1


_COOKIE_WORD_NEEDS = _needs_of(_COOKIE_WORD.pattern, re.IGNORECASE)
(_MONTH_NEEDS,) = _needs_of(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)
_NAME_URL_NEEDS = _needs_of(_NAME_URL.pattern, _NAME_URL.flags)


class _Rules:
    """The hard rules of one config: the ones switched on, and the start-of-line ones chained per kind of line."""

    def __init__(self, cfg: BoilerplateConfig) -> None:
        self.cfg = cfg
        self.extra = _extra(cfg.extra_phrases)
        self.on = frozenset(r for r in _HARD_RULES if cfg.rule_on(r))
        self.cta_needs = _sentence_rule_starts(self.extra)[2]
        flags = (False, True)
        self.chains = {(c, p, h): _chain(self.on, self.extra, c, p, h or not p) for c in flags for p in flags for h in flags}


@lru_cache(maxsize=16)
def _rules(cfg: BoilerplateConfig) -> _Rules:
    return _Rules(cfg)


def _numeric_row(toks: list[str], cfg: BoilerplateConfig, t: str | None = None) -> bool:
    """A line (its tokens) of a table of figures: at least three numbers, and numbers make a good share of its tokens.

    ``t``: the line, if known (a line without a digit has no number).
    """
    if not 3 <= len(toks) <= cfg.numeric_max_tokens:
        return False
    if t is not None and _DIGIT.search(t) is None:
        return False
    nums = sum(1 for w in toks if _NUMBER.fullmatch(w))
    return nums >= 3 and nums >= cfg.numeric_share * len(toks)


def _prose_like(b: _Block, cfg: BoilerplateConfig) -> bool:
    """Before classification: an unruled line long enough and ending like a sentence."""
    return not b.rule and not b.table and len(b.text) >= cfg.length_low and bool(_SENT_END.search(b.text))


def _classify(blocks: list[_Block], cfg: BoilerplateConfig) -> None:
    """jusText's context-free classes, then its context rules (edges count as bad)."""
    length_low, length_high = cfg.length_low, cfg.length_high
    stop_high, stop_low, stop_prose = cfg.stopwords_high, cfg.stopwords_low, cfg.stopwords_prose
    for b in blocks:
        if b.rule:
            b.cls = BAD
        elif b.table:
            b.cls = NEARGOOD
        elif len(b.text) < length_low:
            b.cls = SHORT
        elif b.stop >= stop_high:
            b.cls = GOOD if len(b.text) > length_high else NEARGOOD
        elif b.stop >= stop_low or (b.punct and b.stop >= stop_prose):
            b.cls = NEARGOOD
        else:
            b.cls = BAD
    cf = [b.cls for b in blocks]
    n = len(blocks)
    lengths = [len(b.text) for b in blocks]
    neutral = [b.rule in _NEUTRAL for b in blocks]  # (rules do not change here)

    def heading_before_good() -> list[bool]:
        """For each block: does good text start within max_heading_distance chars after it?"""
        out = [False] * n
        gap = None  # chars from the block after i to the first good block after i (None: there is none)
        max_gap = cfg.max_heading_distance
        for i in range(n - 1, 0, -1):
            if blocks[i].cls == GOOD:
                gap = 0
            elif gap is not None:
                gap += lengths[i]
            out[i - 1] = gap is not None and gap <= max_gap
        return out

    # (a block's class changes only after its own test, and the tests look at later blocks only)
    before_good = heading_before_good()
    for i, b in enumerate(blocks):
        if b.heading and b.cls == SHORT and before_good[i]:
            b.cls = NEARGOOD

    def neighbours(ignore_neargood: bool) -> tuple[list[str], list[str]]:
        skip = {SHORT, NEARGOOD} if ignore_neargood else {SHORT}
        # each block's class, or None where it does not count as a neighbour
        seen = [None if c in skip or nt else c for c, nt in zip([b.cls for b in blocks], neutral)]
        prev, nxt = [BAD] * n, [BAD] * n
        last = BAD
        for i, c in enumerate(seen):
            prev[i] = last
            if c is not None:
                last = c
        last = BAD
        for i in range(n - 1, -1, -1):
            nxt[i] = last
            if seen[i] is not None:
                last = seen[i]
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
        if not b.punct or len(b.text) < length_high:
            return False
        w = cfg.isolation_window
        return GOOD in cur[max(0, i - w) : i] or GOOD in cur[i + 1 : max(0, i + w + 1)]  # (the blocks w either side)

    for i, b in enumerate(blocks):
        if b.cls == NEARGOOD:
            b.cls = BAD if (prev_g[i], next_g[i]) == (BAD, BAD) and not b.table and not near_good(i) else GOOD
    before_good = heading_before_good()
    for i, b in enumerate(blocks):
        if b.heading and b.cls == BAD and cf[i] == SHORT and not b.rule and before_good[i]:
            b.cls = GOOD


def _weights(blocks: list[_Block], cfg: BoilerplateConfig) -> list[float]:
    """Each block's score for the body run: prose counts up, chrome down, phrase-rule lines like walls.

    A prose block with no prose next to it (a teaser between a headline and a byline) counts
    only ``isolated_gain`` of its length: articles are runs of paragraphs, lists of other
    stories are not.
    """
    length_low, window = cfg.length_low, cfg.isolation_window
    prose = [b.cls == GOOD and not b.dup and len(b.text) >= length_low for b in blocks]
    out = []
    seen_prose = False
    for i, b in enumerate(blocks):
        if b.dup and not b.rule:  # a rule line said twice weighs as its rule says (a footer wall is still a wall)
            w = -float(min(len(b.text), length_low) + cfg.bad_line_weight)
        elif b.table and b.cls == GOOD:
            w = float(len(b.text)) * cfg.table_gain
        elif b.cls == GOOD:
            if len(b.text) >= length_low or b.punct:
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


def _main_body(blocks: list[_Block], cfg: BoilerplateConfig, headline: int | None = None) -> tuple[int, int]:
    """[first, last] block indices of the main body, or (0, -1) when there is none.

    The body is the contiguous run of blocks with the highest score (Kadane: linear). When
    the page names its headline (a heading repeating the page's first line), the body is
    the best run starting at that headline, unless that run is much poorer than the best one.
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
    if headline is not None and not (best_lo <= headline <= best_hi):
        run, h_best, h_hi = 0.0, 0.0, -1
        for i in range(headline + 1, len(w)):
            run += w[i]
            if run > h_best:
                h_best, h_hi = run, i
        if h_hi >= 0 and h_best >= cfg.headline_min_share * best:
            return headline, h_hi
    return best_lo, best_hi


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
                paragraphs = sum(1 for b in blocks[start : best_hi + 1]
                                 if b.cls == GOOD and b.punct and not b.dup and len(b.text) >= cfg.length_low)
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


def _find_headline(blocks: list[_Block], cfg: BoilerplateConfig) -> int | None:
    """A heading that repeats most words of the page's first line (an HTML title), if any."""
    if len(blocks) < 2:
        return None
    first = set(_WORD.findall(blocks[0].text.lower()))
    if len(first) < 2:
        return None
    for j in range(1, len(blocks)):
        b = blocks[j]
        if b.rule or b.table or not b.heading or len(b.text) > cfg.title_max_chars:
            continue
        words = b.title_words  # (b.heading: its line is a heading)
        if len(words) >= 2 and len(words & first) >= 0.8 * len(words) and len(words) >= 0.5 * len(first):
            return j
    return None


# --------------------------------------------------------------------------- the step


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


def _strip_once(doc: Document, cfg: BoilerplateConfig, memo: _Memo) -> Document:
    text = doc.text
    extra = memo.extra
    starts: list[int] = []  # offsets of the non-empty lines
    feats: list[_Line] = []
    groups: list[int] = []  # lines not separated by a blank line share a group (a <br>-broken paragraph)
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
        return doc
    lang = _stop_language(feats, text, cfg)

    blocks: list[_Block] = []
    for start, f in zip(starts, feats):
        if lang is not None:
            stop = f.stop_hits[lang] / len(f.words) if f.words else 0.0
        else:  # unknown language: sentence punctuation stands in for function words
            stop = 1.0 if f.punct else 0.0
        start += f.lead
        t = f.text
        # (every field in order: start, end, text, words, stop, punct, cls, rule, heading, table, dup, teaser, title_words)
        blocks.append(_Block(start, start + len(t), t, f.n_words, stop, f.punct, BAD, f.rule, f.heading, f.table, False, False, f.title_words))

    # repetition: a block opening like an earlier one (menus repeated, teasers, a page's text twice)
    seen: dict[str, int] = {}
    first_copy: dict[int, int] = {}  # a repeating block -> the block it repeats
    for i, (b, f) in enumerate(zip(blocks, feats)):
        key = f.dup_key
        if len(key) >= 8 and not b.table:
            b.dup = key in seen
            if b.dup:
                first_copy[i] = seen[key]
            else:
                seen[key] = i

    # teasers: the short unpunctuated lines right after a "Related Posts"-style heading are its links
    # (when prose follows the teasers, the box sits inside the article: its heading is no wall either)
    if cfg.rule_on("boilerplate:related-block"):
        inline: dict[int, bool] = {}
        for i in range(len(blocks) - 1, -1, -1):
            b = blocks[i]
            if b.rule != "boilerplate:related-block" or b.words > cfg.heading_max_words or _READ_ON.match(b.text):
                continue  # ("Continue reading" is a link of its own, no heading over others)
            j = i + 1
            while j < min(i + 1 + cfg.teaser_max_items, len(blocks)):
                c = blocks[j]
                if c.rule or c.table or len(c.text) >= cfg.length_high or _SENT_END.search(c.text) or c.text.endswith(":"):
                    break
                if j == i + 1 and j + 1 < len(blocks) and _prose_like(blocks[j + 1], cfg):
                    break  # one line between the heading and prose is the article's own title
                c.rule = "boilerplate:related-block"
                c.heading = False
                c.teaser = True
                j += 1
            # "Related: Some other story" carries its link itself
            own_link = _LINK_AFTER_COLON.search(b.text) is not None
            if (j > i + 1 or own_link) and j < len(blocks):
                c = blocks[j]
                inline[i] = inline.get(j, False) or _prose_like(c, cfg)
                b.teaser = inline[i]

    # a table row is one of at least two adjacent rows
    rows = [b.table for b in blocks]
    for i, b in enumerate(blocks):
        b.table = rows[i] and ((i > 0 and rows[i - 1]) or (i + 1 < len(rows) and rows[i + 1]))
        if b.table:
            b.heading = False
    # a table without pipes: numeric_min_rows lines in a row that are mostly numbers ("3 Kevin Harvick 5033 4 6 15 26")
    run_: list[int] = []
    for i in range(len(blocks) + 1):
        if i < len(blocks) and not blocks[i].rule and feats[i].numeric:
            run_.append(i)
            continue
        if len(run_) >= cfg.numeric_min_rows:
            for k in run_:
                blocks[k].table, blocks[k].heading = True, False
        run_ = []

    # bylines: "By Jane Doe" (short lines only)
    author = doc.metadata.get("author")
    names: set[str] = set()
    for b, f in zip(blocks, feats):
        if b.rule or b.words > 12:
            continue
        if f.byline is not None and cfg.rule_on("boilerplate:byline"):
            b.rule = "boilerplate:byline"
            b.heading = False
            name = f.byline
            author = author or name
            names.add(name)
    for b in blocks:
        if b.rule == "boilerplate:author-bio":
            m = _NAME_URL.match(b.text)
            if m:
                names.add(m.group(1).strip())

    if doc.source.format == "html":
        return _strip_lines(doc, blocks, starts, cfg, author)
    _classify(blocks, cfg)
    if not any(b.cls == GOOD and not b.table and len(b.text) > cfg.length_high for b in blocks):
        # no paragraph long enough to be "good" (a short page; table rows and short lines good only by their
        # neighbours are no such paragraph): judge on shorter prose
        relaxed = replace(cfg, length_high=cfg.length_low)
        _classify(blocks, relaxed)
    headline = _find_headline(blocks, cfg)
    lo, hi = _main_body(blocks, cfg, headline)
    regions = _regions(blocks, cfg, (lo, hi))
    listed: set[int] = set()
    for r_lo, r_hi in regions:
        listed |= _colon_lists(blocks, groups, r_lo, r_hi, cfg)
    if listed:
        hi = max(hi, max(i for i in listed if i >= lo) if any(i >= lo for i in listed) else hi)
    in_region = [False] * len(blocks)
    for r_lo, r_hi in regions:
        for k in range(r_lo, r_hi + 1):
            in_region[k] = True

    # author bio: after the body, a name line, "About the author", or a paragraph opening with a known name
    if cfg.rule_on("boilerplate:author-bio"):
        after = hi + 1 if hi >= lo else len(blocks) // 2
        for i in range(max(min(after, hi) if hi >= lo else after, len(blocks) // 2), len(blocks)):
            b = blocks[i]
            if b.rule:
                continue
            if i >= after and (_ABOUT_AUTHOR.match(b.text) or (names and any(b.text.startswith(nm) for nm in names))):
                b.rule = "boilerplate:author-bio"
            elif i >= hi >= lo and _BIO_SENTENCE.match(b.text):
                b.rule = "boilerplate:author-bio"  # "Jane Roe is a reporter for ..." ending the body or after it
        # in the second half of the body, an "About Jane Roe" heading and the paragraphs under it
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

    # title: the heading just before the body (the one the first line also names, if any)
    title_i = None
    if cfg.rule_on("boilerplate:title"):
        title_i = headline if headline is not None and headline == lo else _find_title(blocks, lo, hi, cfg)

    first_prose = next(
        (i for i in range(max(lo, 0), hi + 1)
         if i != title_i and (blocks[i].table or _SENT_END.search(blocks[i].text) or len(blocks[i].text) >= cfg.length_low)),
        hi + 1,
    )
    changes: list[Change] = []
    drop: list[tuple[int, str]] = []
    walls_before = _walls_after_body(blocks, hi)
    teasers = _teaser_lists(blocks, in_region, cfg) if cfg.mode != "page" else set()
    for i, b in enumerate(blocks):
        if i == title_i:
            continue
        inside = lo <= i <= hi or in_region[i]
        if i in listed:
            continue
        if b.rule:
            drop.append((i, b.rule))
        elif hi < lo:
            continue  # no body found (a text of a line or two): only the phrase rules judge it
        elif inside and i < first_prose and b.words <= cfg.header_max_words:
            drop.append((i, "boilerplate:header-line"))  # handles, "X Share via", places between title and text
        elif inside and (b.cls == GOOD or b.table):
            continue
        elif len(b.text) < cfg.length_low and not b.punct:
            drop.append((i, "boilerplate:navigation"))
        elif inside:
            if b.punct and cfg.keep_punctuated_in_body:
                continue  # a sentence inside the body, however short of function words: when in doubt, keep
            drop.append((i, "boilerplate:low-content"))
        else:
            drop_rule = "boilerplate:teaser-list" if i in teasers else _outside_evidence(b, i, hi, walls_before[i], cfg)
            if drop_rule == "boilerplate:repeated-block" and all(j != first_copy.get(i, i) for j, _ in drop):
                drop_rule = None  # a copy of kept text (a quote in a reply): drop_repeated_passages judges copies
            if drop_rule:
                drop.append((i, drop_rule))
    if not cfg.enabled or cfg.disabled_rules:  # (else every rule is on)
        drop = [(i, r) for i, r in drop if cfg.rule_on(r)]
    # a table stays whole: if one of its rows is kept, so are the others (a lone row is no table)
    dropped_rows = {i for i, r in drop if blocks[i].table and not blocks[i].rule}
    if dropped_rows:
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
        drop = [(i, r) for i, r in drop if i not in keep_rows]

    dropped = {i for i, _ in drop}
    kept = [i for i in range(len(blocks)) if i not in dropped]
    last_kept_end = blocks[kept[-1]].end if kept else 0
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

    # calls to action inside kept paragraphs: only that sentence goes
    if cfg.rule_on("boilerplate:call-to-action"):
        for i in kept:
            b = blocks[i]
            if not feats[i].cta or not memo.may_hold_cta(b.text):
                continue
            sents = list(iter_sentences(text, b.start, b.end))
            if len(sents) < 2:
                continue
            for k, s in enumerate(sents):
                if _CTA.match(s.text) or (extra is not None and extra.match(s.text)):
                    if k > 0:
                        changes.append(Change(sents[k - 1].end, s.end, "", "boilerplate:call-to-action"))
                    else:
                        changes.append(Change(s.start, sents[1].start, "", "boilerplate:call-to-action"))
                    break  # one per block per pass keeps ranges disjoint; the fixed-point loop does the rest

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


def _strip_lines(doc: Document, blocks: list[_Block], starts: list[int], cfg: BoilerplateConfig, author: str | None) -> Document:
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


_READ_ON = re.compile(r"(?:continue|keep) reading\b|(?:read|see|view) (?:more|the full|full|the rest)\b", re.IGNORECASE)


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
            while k < n and k - j < 3 and not in_region[k] and not _prose_like(blocks[k], cfg) and blocks[k].words <= cfg.teaser_headline_words:
                headline = headline or (not blocks[k].rule and blocks[k].words >= 4)
                k += 1
            if k == j or k >= n or in_region[k] or not headline:
                break
            para = blocks[k]
            if (not (para.cls == GOOD and para.punct) or len(para.text) > cfg.teaser_max_chars
                    or not _HAS_SENTENCE.search(para.text) or para.text[0].islower()
                    or (k + 1 < n and _prose_like(blocks[k + 1], cfg))):
                # (a summary holds a sentence: "Language: English", "Title: ..." are a record's fields, and a line
                # starting in lower case continues a wrapped paragraph; a headline over two paragraphs heads a post)
                break
            items.append(k)
            j = k + 1
        if len(items) >= cfg.teaser_min_items:
            out.update(items)
        i = j if items else i + 1
    return out


def _outside_evidence(b: _Block, i: int, hi: int, walls: frozenset[str], cfg: BoilerplateConfig) -> str | None:
    """The rule naming the evidence against a block outside every content region, or None to keep it.

    Prose (a good, punctuated paragraph) is kept unless it repeats an earlier block's opening, or
    follows the body past a comment form (the comments), a "Related" heading (its teasers) or a
    share, newsletter, copyright or cookie line (the footer).
    Other lines outside the body read as chrome: few function words (``low-content``).
    """
    if not cfg.keep_outside_prose:
        return "boilerplate:outside-body"
    prose = b.punct and len(b.text) >= cfg.length_low
    if prose and i > hi and cfg.mode != "page":
        if "boilerplate:comment-form" in walls:
            return "boilerplate:comments"
        if "boilerplate:related-block" in walls:
            return "boilerplate:related-block"
        if walls & _FOOTER_WALLS:
            return "boilerplate:footer"
    if not (prose and b.cls == GOOD):
        return "boilerplate:low-content"
    if cfg.mode == "page":
        return None  # all running text: comments, teasers and repeats included (passages handles copies)
    if b.dup:
        return "boilerplate:repeated-block"
    return None


# after the body, prose past one of these lines is the page's footer (disclaimers, site blurbs)
_FOOTER_WALLS = frozenset({"boilerplate:share", "boilerplate:subscribe", "boilerplate:copyright", "boilerplate:legal",
                           "boilerplate:cookie"})


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
