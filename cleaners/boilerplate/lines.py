"""What each line says on its own (``_Line``), computed once per line text and kept across passes (``_Memo``)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .config import BoilerplateConfig
from .line_rules import _Rules, _figures_row, _hard_rule, _heading_like, _numeric_row, _rules
from .patterns import _BYLINE, _SENT_PUNCT, _TABLE_ROW, _WORD
from .prefilter import _lowered, _may_match
from .stopwords import _stop_hits


class _Line(NamedTuple):
    """What a line says on its own, the same in every pass: computed once per line text (see ``_Memo``)."""

    lead: int  # leading whitespace
    text: str  # stripped
    words: tuple[str, ...]  # lowercased
    stop_hits: tuple[int, ...]  # how many words are in each stop-word list (_STOP_SETS)
    n_words: int  # whitespace-separated tokens
    punct: bool
    table: bool  # a pipe-table row (before its neighbours are checked)
    rule: str  # _hard_rule
    heading: bool
    numeric: bool  # a row of a table of figures (only looked at when rule is "")
    figures: bool  # a label and two figures ("Red Hat 8417 38.0%"): a ranking's row, if prose stands around it
    byline: str | None  # the name of a "By Jane Doe" line (only looked at when rule is "" and n_words <= 12)
    dup_key: str
    title_words: frozenset[str] | None  # a heading's words, lowercased (compared with the first line's)
    cta: bool  # False: no sentence of it is a call to action (it lacks the literals those rules need)
    code: bool  # reads as a statement of source code (see _code_like)


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
    heading = not rule and not table and _heading_like(t, n_words, punct, cfg)
    byline = None
    if not rule and n_words <= 12:
        m = _BYLINE.match(t)
        byline = m.group(1).strip() if m else None
    return _Line(
        lead=len(line) - len(line.lstrip()),
        text=t,
        words=words,
        stop_hits=_stop_hits(words),
        n_words=n_words,
        punct=punct,
        table=table,
        rule=rule,
        heading=heading,
        numeric=not rule and _numeric_row(toks, cfg, t),
        figures=not rule and n_words <= cfg.numeric_max_tokens and _figures_row(toks),
        byline=byline,
        dup_key=t[: cfg.dup_prefix_chars].lower(),
        title_words=_title_words(t, words) if heading else None,
        cta=_may_match(rules.cta_needs, tl),
        code=not rule and _code_like(t),
    )


_CODE_SYMBOLS = frozenset("(){}[];=<>")


def _code_like(t: str) -> bool:
    """A line of source code: brackets, ``;`` and ``=`` make a twenty-fifth of it, with a call's ``(`` and one of
    ``;``, ``{`` or ``=`` (``fetch("/a").then(function (r) {``, ``var n = f(x);``), or a shell prompt and command
    (``$ hg clone public review``). TeX (``{\\``) is no code."""
    if t.startswith("$ ") and t[2:3].isalpha():
        return True  # a shell session: the prompt, a command and what it printed
    if "(" not in t or not (";" in t or "{" in t or "=" in t) or "{\\" in t:
        return False
    n = sum(map(_CODE_SYMBOLS.__contains__, t))
    return n >= 4 and 25 * n >= len(t)


# Characters a token may lose at its ends before the str.isalpha test of _words: none is a letter of
# _WORD ([^\W\d_]) nor one of its apostrophes, so stripping them takes no part of a word off.
_TOKEN_EDGES = '0123456789.,;:!?"()[]{}<>«»“”‘‚„‹›—–-…/\\|*#%&+=~^`@$€£¥§°•·'


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
        self.cjk: dict[str, tuple[int, float]] = {}  # cjk_line's answer per line text (Chinese and Japanese pages)

    def line(self, line: str) -> _Line:
        f = self.lines.get(line)
        if f is None:
            f = (
                _shared_line_features(line, self.rules)
                if len(line) <= _SHARED_LINE_CHARS
                else _line_features(line, self.rules)
            )
            self.lines[line] = f
        return f


# Short lines (menus, share buttons, footers: "Home", "Facebook", "Contact Us") recur from page to page,
# and each is tried against every phrase rule: their features are also kept across documents.
_SHARED_LINE_CHARS = 120


@lru_cache(maxsize=8192)
def _shared_line_features(line: str, rules: _Rules) -> _Line:
    return _line_features(line, rules)
