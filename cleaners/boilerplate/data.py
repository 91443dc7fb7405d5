"""Phrase rules as data: ``data/boilerplate.txt`` (line patterns by rule, stop words by language) and
the groups of rules the passes treat alike (walls, headings, neutral lines, rules trusted on extracted HTML)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping


def _read_data() -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, frozenset[str]]]:
    # (cleaners/data/boilerplate.txt: the data folder of the cleaners package)
    text = resources.files(__package__.rsplit(".", 1)[0]).joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
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


# what a cookie notice says besides "cookies": the site speaking of itself or asking the reader's leave ("we use",
# "our site", "you agree", "cookie policy", "by continuing"); prose about cookies (an article on tracking, a
# specification's Set-Cookie header) says none of it
_COOKIE_NOTICE = re.compile(
    r"\b(?:we|our|us|site|website|accept|agree\w*|consent|polic(?:y|ies)|settings|preferences|continu\w*)\b",
    re.IGNORECASE,
)


# every rule _hard_rule may give
_HARD_RULES = tuple(r for r, _ in _LINE_RULES) + tuple(
    f"boilerplate:{name}"
    for name in (
        "cookie",
        "copyright",
        "caption",
        "extra-phrase",
        "call-to-action",
        "date-line",
        "author-bio",
        "markup",
    )
)


# rules whose lines are headings or link labels: a whole sentence is not one of them
_HEADING_RULES = frozenset(
    {"boilerplate:related-block", "boilerplate:share", "boilerplate:copyright", "boilerplate:advert"}
)


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


@lru_cache(maxsize=16)
def _extra(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    phrases = tuple(p.strip() for p in phrases if p.strip())
    return re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE) if phrases else None


# after the body, prose past one of these lines is the page's footer (disclaimers, site blurbs)
_FOOTER_WALLS = frozenset(
    {"boilerplate:share", "boilerplate:subscribe", "boilerplate:copyright", "boilerplate:legal", "boilerplate:cookie"}
)
