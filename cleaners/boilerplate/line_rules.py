"""Rules that judge one line by itself, whatever its context: phrase rules (comment forms, cookies,
copyright, captions, calls to action...), date-only lines, author links; and what a line looks like
(a heading, a row of figures)."""

from __future__ import annotations

from functools import lru_cache

from ..text import iter_sentences
from .config import BoilerplateConfig
from .data import _COOKIE_NOTICE, _COOKIE_WORD, _HARD_RULES, _extra
from .patterns import _TAG, _DATE_ANCHOR, _DATE_TOKEN, _DIGIT, _FULL_DATE, _NAME_URL, _NUMBER, _SENT_END, _URL
from .prefilter import _COOKIE_WORD_NEEDS, _MONTH_NEEDS, _NAME_URL_NEEDS, _chain, _may_match, _sentence_rule_needs


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
    if (
        "boilerplate:cookie" in on
        and _may_match(_COOKIE_WORD_NEEDS, tl)
        and len(_COOKIE_WORD.findall(t)) >= 2
        and _COOKIE_NOTICE.search(t) is not None
    ):
        return "boilerplate:cookie"
    phrases = n_words <= cfg.phrase_max_words
    # "Related posts on the site explain ..." is prose, not a teaser heading
    sentence = phrases and n_words > cfg.heading_max_words and t[-1] in ".!?…"
    rule = rules.chains[(n_words <= cfg.caption_max_words, phrases, not sentence)].match(t, tl)
    if rule is not None:
        if rule == "boilerplate:related-block" and t[-1] == "]" and t.endswith(_WIKI_EDIT):
            return ""  # "See also [ edit ]": a wiki's section heading (its edit link), the article's own section
        if rule != "boilerplate:call-to-action" or len(list(iter_sentences(t))) == 1:
            return rule
    if "boilerplate:date-line" in on and _is_date_line(t, tl=tl):
        return "boilerplate:date-line"
    if "boilerplate:author-bio" in on and _may_match(_NAME_URL_NEEDS, tl) and _NAME_URL.match(t):
        return "boilerplate:author-bio"
    if t[0] == "<" and "boilerplate:markup" in on and _is_markup(t):
        return "boilerplate:markup"
    return ""


# the edit link a wiki prints after each section heading ("History [ edit ]")
_WIKI_EDIT = ("[ edit ]", "[edit]")


def _is_markup(t: str) -> bool:
    """A line of HTML source (a page's noscript notice, an embed code to copy): it opens with a tag, holds another,
    and its tags are a good share of it. Text that quotes a tag ("<br> breaks a line") has few of them."""
    tags = _TAG.findall(t)
    return len(tags) >= 2 and _TAG.match(t) is not None and sum(map(len, tags)) >= 0.25 * len(t)


class _Rules:
    """The hard rules of one config: the ones switched on, and the start-of-line ones chained per kind of line."""

    def __init__(self, cfg: BoilerplateConfig) -> None:
        self.cfg = cfg
        self.extra = _extra(cfg.extra_phrases)
        self.on = frozenset(r for r in _HARD_RULES if cfg.rule_on(r))
        self.cta_needs = _sentence_rule_needs(self.extra)
        flags = (False, True)
        self.chains = {
            (c, p, h): _chain(self.on, self.extra, c, p, h or not p) for c in flags for p in flags for h in flags
        }


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


def _figures_row(toks: list[str]) -> bool:
    """A label and two columns of figures ("Herbert Dürr 63 16.6%", "Red Hat 8417 38.0%"): a row of a ranking; no date
    nor a citation's ("Sept 3, 2002": a comma ends the first figure)."""
    return (
        len(toks) >= 3
        and _NUMBER.fullmatch(toks[-1]) is not None
        and _NUMBER.fullmatch(toks[-2]) is not None
        and not toks[-2].endswith(",")
        and not any(_NUMBER.fullmatch(w) for w in toks[:-2])
    )
