"""extract_html: the main content of an HTML page as text, one block per line, plus page metadata.

Pure (no I/O): an HTML string goes in, ``(text, metadata)`` comes out. lxml does the parsing
(``huge_tree``, recovering from broken markup); every walk over the tree is iterative, so
10,000 nested ``<div>`` cannot reach Python's recursion limit. The steps:

1. metadata first (before scripts go): JSON-LD (``<script type="application/ld+json">``,
   ``@graph`` too), ``<meta>`` tags (Open Graph, article:, Dublin Core, name=author/date ...),
   ``itemprop`` microdata and ``<time datetime>``: ``title``, ``author``, ``published``, ``site``;
2. page furniture goes: script, style, forms, nav, header, footer, aside, hidden elements,
   ARIA landmarks of chrome (navigation, banner, contentinfo, complementary ...) and elements
   whose class or id names boilerplate (comments, sharing, related links, newsletters, cookie
   banners, author bios, ads, menus; vocabulary in ``data/html_boilerplate.txt``), unless the
   element holds most of the page's text (a page wrapped in one ``<form>`` keeps it); comment
   sections go only on a page that declares an article (``og:type``, JSON-LD: ``HtmlConfig.comments``),
   and on such a page prose outside the article's container goes too (other pages keep it);
3. the main content is found in the spirit of readability: every paragraph-like block scores
   by its length and commas, the score goes to its parent and grandparent, containers are
   weighed by their class/id vocabulary and punished by their link density; the best
   container moves up to an ancestor when that adds paragraph text and little else (an article
   split in sections), and its related siblings join it;
4. inside it, blocks that still look like chrome go (link lists, short link-heavy or
   image-only boxes, boilerplate headings), then the text is rendered: headings, paragraphs,
   list items (``- item``), table rows, each on its own line; data tables become Markdown pipe
   tables (``| a | b |``, a ``| --- |`` separator after the header row, rows padded to the
   header width), layout tables are read as blocks; lines that are mostly link text (a headline
   of another page, a control repeated on the page; not a linked name or address), and
   short bylines, datelines and chrome phrases ("Advertisement", "Read more") go.

The title line comes first (``HtmlConfig.include_title``) and also goes to ``metadata["title"]``.

>>> page = ('<html><head><title>Budget agreed | Example News</title>'
...     '<meta property="og:site_name" content="Example News"></head><body>'
...     '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
...     '<article><h1>Budget agreed</h1><p>The ministers met on Tuesday and agreed on a budget, '
...     'after months of talks, that parliament is expected to approve.</p>'
...     '<p>It raises spending on schools, hospitals and roads, while cutting the deficit.</p>'
...     '<div class="share-buttons"><a href="#">Share on Facebook</a></div></article>'
...     '<footer>Copyright 2024</footer></body></html>')
>>> text, meta = extract_html(page)
>>> print(text)
Budget agreed
The ministers met on Tuesday and agreed on a budget, after months of talks, that parliament is expected to approve.
It raises spending on schools, hospitals and roads, while cutting the deficit.
>>> meta["title"], meta["site"]
('Budget agreed', 'Example News')
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Iterable, Iterator

from lxml import etree

from .steps import StepConfig

# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class HtmlConfig(StepConfig):
    """Thresholds of the HTML extractor (``enabled=False``: all visible text, no content selection)."""

    include_title: bool = True  # first line of the text is the title (also in metadata["title"])
    tables_as_markdown: bool = True
    remove_by_class: bool = True  # use the class/id vocabulary (drop boilerplate containers, weigh candidates)
    keep_share: float = 0.5  # never drop an element holding more than this share of the page's text
    min_paragraph_chars: int = 25  # shorter blocks do not score as paragraphs
    ancestor_levels: int = 3  # a paragraph's score goes to this many ancestors
    grow_min_gain: float = 0.1  # the article grows to a parent adding this share of paragraph text ...
    grow_share: float = 0.7  # ... when paragraph text is this share of what the parent adds
    sibling_share: float = 0.2  # siblings of the best container join when scoring >= this share of it
    sibling_between_link_share: float = 0.5  # a sibling between two joined ones joins unless this linked
    retry_chars: int = 250  # a shorter article is extracted again without class-based removal
    max_link_density: float = 0.5  # blocks with more link text than this go (when short)
    line_link_share: float = 0.8  # a line (under 200 chars, not a list item or heading) this linked goes
    # when it has list_headline_words words or more (a promo's headline) or is a link repeated on the page
    prose_keeps_chars: int = 300  # a container with this much text, a piece of it ...
    prose_piece_chars: int = 150  # ... this long, is not dropped for its link density
    repeated_controls_min: int = 3  # a line of 2+ links (half of it or more), its links' words (digits aside)
    # written on the page this many times, is a row of controls repeated under each item
    list_min_items: int = 2  # a list (not in a list item) of this many items, two thirds of them ...
    list_headline_share: float = 0.8  # ... this much one link ...
    list_headline_words: int = 4  # ... of this many words, lists other pages' headlines: it may go for its links
    microdata_min_chars: int = 200  # the one element declared an article by microdata, with this much
    # paragraph text, inside the best candidate, is the article
    keep_outside_prose: bool = True  # prose blocks outside the chosen article are kept (other posts, sections) ...
    outside_prose_on_articles: bool = False  # ... also on a page that declares an article (see comments)
    outside_min_chars: int = 100  # ... when this long,
    outside_max_link_share: float = 0.1  # ... with at most this share of link text,
    outside_min_sentences: int = 1  # ... and ending like a sentence, with this many sentence marks,
    teaser_levels: int = 3  # ... unless an ancestor this close holds a linked headline (a teaser)
    teaser_max_chars: int = 1500  # ... and holds at most this much text (longer: a post of a blog front page)
    # comment sections (class/id "comment...", "disqus", "repl..."): "drop"; "keep"; "auto" drops them on a
    # page that declares an article (og:type "article", a JSON-LD Article or Posting), keeps them elsewhere
    comments: str = "auto"
    max_input_chars: int = 50_000_000  # longer input is cut before parsing
    max_depth: int = 1000  # pages nested deeper than the parser allows lose the tags beyond this depth


# --------------------------------------------------------------------------- vocabularies


_LINE_KEY = re.compile(r"[\W_]+")


def _read_vocab() -> dict[str, frozenset[str]]:
    text = resources.files(__package__).joinpath("data/html_boilerplate.txt").read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    name = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1]
            sections.setdefault(name, set())
            continue
        if name in ("line", "line-prefix"):
            sections.setdefault(name, set()).add(_LINE_KEY.sub(" ", line.lower()).strip())
        else:
            sections.setdefault(name, set()).update(line.lower().split())
    return {k: frozenset(v) for k, v in sections.items()}


_VOCAB = _read_vocab()
NEGATIVE_TOKENS = _VOCAB.get("negative", frozenset())  # class/id token -> boilerplate container
NEGATIVE_PREFIXES = tuple(sorted(_VOCAB.get("negative-prefix", frozenset())))  # token starts with it
NOT_NEGATIVE_TOKENS = _VOCAB.get("not-negative", frozenset())  # look negative by prefix, are not
KEEP_TOKENS = _VOCAB.get("keep", frozenset())  # embedded content (tweets, quotes): never furniture by class
WEAK_NEGATIVE_TOKENS = _VOCAB.get("weak-negative", frozenset())  # lowers the score, does not drop
POSITIVE_TOKENS = _VOCAB.get("positive", frozenset())  # class/id token -> content container
BOILERPLATE_LINES = _VOCAB.get("line", frozenset())  # whole lines (lowercased, no punctuation) that go
LINE_PREFIXES = tuple(sorted(_VOCAB.get("line-prefix", frozenset())))  # short lines starting so go (datelines)
CHROME_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
    }
)

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "object",
    "embed",
    "map",
    "video",
    "audio",
    "link",
    "meta",
    "head",
)
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "dialog", "menu", "figcaption"})
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "td",
        "th",
        "tr",
        "ul",
        "caption",
        "title",
        "menu",
        "legend",
        "option",
        "hgroup",
    }
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TAG_BASE = {
    "div": 5,
    "article": 5,
    "main": 5,
    "section": 3,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "address": -3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "dd": -3,
    "dt": -3,
    "li": -3,
    "form": -3,
    "h1": -5,
    "h2": -5,
    "h3": -5,
    "h4": -5,
    "h5": -5,
    "h6": -5,
    "th": -5,
}

_TOKEN = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def _norm(s: str | None) -> str:
    return " ".join(s.split()) if s else ""


def _text(el: Any) -> str:
    """All text inside ``el`` (C speed, no recursion in Python)."""
    try:
        return etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    except (ValueError, TypeError):
        return ""


def _nlen(s: str | None) -> int:
    if not s:
        return 0
    return len(" ".join(s.split()))


def _tokens(el: Any) -> list[str]:
    out: list[str] = []
    for attr in ("class", "id"):
        v = el.get(attr)
        if v:
            out.extend(_TOKEN.findall(_CAMEL.sub(" ", v[:300]).lower()))
    return out


_STATE_WORDS = frozenset({"has", "with", "without", "no", "show", "hide", "enable", "enabled", "is", "not"})


_COMMENT_PREFIXES = ("comment", "disqus", "repl")


def _is_negative(tokens: list[str], comments_kept: bool = False) -> bool:
    prev = ""
    for t in tokens:
        if comments_kept and t.startswith(_COMMENT_PREFIXES):  # (a comment section is content there)
            prev = t
            continue
        if prev in _STATE_WORDS:  # "has-sidebar", "no-comments": a state flag of a wrapper, not furniture
            prev = t
            continue
        prev = t
        if t in NEGATIVE_TOKENS or (t.startswith(NEGATIVE_PREFIXES) and t not in NOT_NEGATIVE_TOKENS):
            return True
    return False


def _class_weight(el: Any, comments_kept: bool = False) -> int:
    toks = _tokens(el)
    if not toks:
        return 0
    w = 0
    if (_is_negative(toks, comments_kept) or any(t in WEAK_NEGATIVE_TOKENS for t in toks)) and not any(
        t in KEEP_TOKENS for t in toks
    ):
        w -= 25
    if any(t in POSITIVE_TOKENS for t in toks):
        w += 25
    return w


# --------------------------------------------------------------------------- public API


def extract_html(html: str, cfg: HtmlConfig | None = None) -> tuple[str, dict[str, Any]]:
    """Main text of ``html`` (one block per line) and its metadata; never raises.

    >>> extract_html("")
    ('', {})
    >>> extract_html("just some text")[0]
    'just some text'
    """
    cfg = cfg or HtmlConfig()
    try:
        return _extract(html, cfg)
    except Exception:  # hostile input must not stop a dump: fall back to nothing rather than raise
        try:
            return _fallback_text(html), {}
        except Exception:
            return "", {}


def _fallback_text(html: Any) -> str:
    s = html if isinstance(html, str) else str(html or "")
    s = re.sub(r"<[^<>]{0,2000}>", " ", s[:1_000_000])
    return "\n".join(_norm(line) for line in s.splitlines() if line.strip())


def _html_parser() -> etree.HTMLParser:
    """A parser giving plain etree elements (no lxml.html element classes: several times faster to walk)."""
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        no_network=True,
        recover=True,
        default_doctype=False,
    )


def _parse(html: str, cfg: HtmlConfig) -> Any:
    if not isinstance(html, str):
        html = html.decode("utf-8", "replace") if isinstance(html, (bytes, bytearray)) else str(html or "")
    if len(html) > cfg.max_input_chars:
        html = html[: cfg.max_input_chars]
    if not html.strip():
        return None
    data = html.encode("utf-8", "replace")
    parser = _html_parser()
    try:
        root = etree.fromstring(data, parser=parser)
        if any("depth" in e.message for e in parser.error_log):
            # libxml2 stops at 2048 levels and drops what lies deeper: flatten the excess, parse again
            parser = _html_parser()
            root = etree.fromstring(_cap_depth(html, cfg.max_depth).encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})[^<>]{0,10000}?(/?)>")
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


def _cap_depth(html: str, cap: int) -> str:
    """``html`` with the tags nested deeper than ``cap`` removed (their text stays); one linear scan."""
    out: list[str] = []
    pos = 0
    depth = 0
    for m in _TAG.finditer(html):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in VOID_TAGS or selfclose:
            continue
        if closing:
            drop = depth > cap
            depth = max(0, depth - 1)
        else:
            depth += 1
            drop = depth > cap
        if drop:
            out.append(html[pos : m.start()])
            out.append(" ")
            pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def _extract(html: str, cfg: HtmlConfig) -> tuple[str, dict[str, Any]]:
    root = _parse(html, cfg)
    if root is None:
        return "", {}
    meta = extract_metadata(root)
    # a page that declares an article is that article: its comments and the prose outside the article's
    # container (other stories, a gallery, a live feed) are not part of it (read before the scripts go)
    declared = _declares_article(root)
    if cfg.comments == "auto":
        cfg = replace(cfg, comments="drop" if declared else "keep")
    if declared and not cfg.outside_prose_on_articles:
        cfg = replace(cfg, keep_outside_prose=False)
    title = meta.get("title", "")
    for el in list(root.iter(DROP_TAGS)):
        _remove(el)
    body = root.find("body")
    if body is None or 2 * _nlen(_text(body)) < _nlen(_text(root)):
        body = root  # (a page closing </body> early has its content after it)
    for el in list(body.iter(etree.Entity)):
        _remove(el)
    if not cfg.enabled:
        lines = _render(body, cfg, title="")
    else:
        lines = _main_content(body, cfg, title, by_class=cfg.remove_by_class)
    lines = [ln for ln in lines if not _is_boilerplate_line(ln)]
    if title and cfg.enabled:
        key = _line_key(title)
        lines = [ln for ln in lines if _line_key(ln) != key]
        if cfg.include_title:
            lines.insert(0, title)
    return "\n".join(lines), meta


def _main_content(body: Any, cfg: HtmlConfig, title: str, by_class: bool) -> list[str]:
    # both tries work on a copy: the retry sees the page as the first try did (it used to work on the
    # page itself, where the body's parent took a share of every score, and chose the body as the article)
    work = _copy(body)
    _remove_chrome(work, cfg, by_class)
    stats = _Stats(work, cfg.min_paragraph_chars)
    best, scores = _best_candidate(work, stats, cfg)
    declared = _microdata_article(best, stats, cfg) if best is not None else None
    if declared is not None:
        article = [declared]
    else:
        article = _gather(best, scores, stats, cfg) if best is not None else [work]
    for node in article:
        _clean_conditionally(node, scores, stats, cfg)
    lines = (
        _render(work, cfg, title, set(article))
        if cfg.keep_outside_prose and best is not None
        else [line for node in article for line in _render(node, cfg, title)]
    )
    if by_class and sum(len(x) for x in lines) < cfg.retry_chars:
        retry = _main_content(body, cfg, title, by_class=False)
        if sum(len(x) for x in retry) > sum(len(x) for x in lines):
            return retry
    return lines


_MICRODATA_ARTICLE = re.compile(r"schema\.org/\w*(?:Article|Posting)/?$", re.I)


def _microdata_article(best: Any, stats: _Stats, cfg: HtmlConfig) -> Any:
    """The one element inside ``best`` whose microdata declares it an article (``itemtype`` schema.org
    ``*Article`` or ``*Posting``), when the page has one such element and it holds paragraph text: the page
    says where its article is, and the rest of ``best`` (a box of related posts, other stories) is not it."""
    found = None
    for el in stats.elements:
        itemtype = el.get("itemtype")
        if itemtype and _MICRODATA_ARTICLE.search(itemtype.strip()):
            if found is not None:
                return None
            found = el
    if found is None or found is best or best not in set(found.iterancestors()):
        return None
    if stats.good.get(found, 0) < cfg.microdata_min_chars:
        return None
    return found


def _copy(el: Any) -> Any:
    # deepcopy of lxml elements is done in C (no Python recursion)
    from copy import deepcopy

    return deepcopy(el)


def _remove(el: Any) -> None:
    """Remove ``el`` but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --------------------------------------------------------------------------- statistics


class _Stats:
    """Text lengths of every element, computed bottom-up in one pass (no recursion)."""

    def __init__(self, root: Any, min_chars: int = 25) -> None:
        self.full: dict[Any, int] = {}
        self.link: dict[Any, int] = {}
        self.own: dict[Any, int] = {}
        self.commas: dict[Any, int] = {}
        self.all_commas: dict[Any, int] = {}  # commas in the whole subtree
        self.good: dict[Any, int] = {}  # text of paragraph-like blocks with few links, inside
        self.inpage: dict[Any, int] = {}  # text of links into the page itself (href="#..."), inside
        self.inpage_links: dict[Any, int] = {}  # ... and their number
        self.elements = list(root.iter(etree.Element))
        self._chrome: set[Any] | None = None
        full, link, own, commas, good = self.full, self.link, self.own, self.commas, self.good
        inpage, inpage_links = self.inpage, self.inpage_links
        all_commas = self.all_commas
        for el in reversed(self.elements):
            t = el.text
            f = _nlen(t)
            o = f
            c = t.count(",") if t else 0
            ac = c
            lk = 0
            olk = 0
            g = 0
            ip = 0
            ipn = 0
            for ch in el:
                if not isinstance(ch.tag, str):
                    continue
                tl = _nlen(ch.tail)
                cf = full.get(ch, 0)
                f += cf + tl
                lk += link.get(ch, 0)
                ip += inpage.get(ch, 0)
                ipn += inpage_links.get(ch, 0)
                g += good.get(ch, 0)
                if ch.tag in BLOCK_TAGS:
                    o += tl
                else:
                    o += cf + tl
                    olk += link.get(ch, 0)
                    c += commas.get(ch, 0)
                ac += all_commas.get(ch, 0)
                if ch.tail:
                    tc = ch.tail.count(",")
                    c += tc
                    ac += tc
            if el.tag == "a":
                lk = f
                olk = o
                ip, ipn = (f, 1) if _in_page(el) else (0, 0)
            if o >= min_chars and olk * 2 < o and el.tag in BLOCK_TAGS and el.tag not in HEADINGS:
                g += o
            full[el] = f
            link[el] = lk
            own[el] = o
            commas[el] = c
            all_commas[el] = ac
            good[el] = g
            if ipn:
                inpage[el] = ip
                inpage_links[el] = ipn

    def chrome_region(self) -> set[Any]:
        """The elements that are, or are inside, an aside, nav, header, footer ... (one pass, on first use)."""
        if self._chrome is None:
            self._chrome = set()
            for el in self.elements:
                if el.tag in CHROME_TAGS and el not in self._chrome:
                    self._chrome.update(el.iter(etree.Element))
        return self._chrome

    def density(self, el: Any) -> float:
        f = self.full.get(el, 0)
        return self.link.get(el, 0) / f if f else 0.0


# --------------------------------------------------------------------------- chrome removal


def _remove_chrome(root: Any, cfg: HtmlConfig, by_class: bool) -> None:
    total = max(_nlen(_text(root)), 1)
    doomed: list[Any] = []
    skip_under: set[Any] = set()
    for el in root.iter(etree.Element):
        if el is root:
            continue
        if skip_under and el.getparent() in skip_under:
            skip_under.add(el)
            continue
        if _is_chrome(el, by_class, cfg.comments == "keep") and _nlen(_text(el)) <= cfg.keep_share * total:
            doomed.append(el)
            skip_under.add(el)
    for el in doomed:
        _remove(el)


def _is_chrome(el: Any, by_class: bool, comments_kept: bool = False) -> bool:
    tag = el.tag
    if tag in ("body", "html", "main", "article"):
        return False
    if tag == "form":
        # a form is chrome (search, login, comment, newsletter) unless it wraps content: old and
        # ASP.NET pages put whole listings in one
        return not _holds_prose(el)
    if tag in CHROME_TAGS:
        return True
    if el.get("hidden") is not None:
        return True
    if el.get("itemscope") is not None and el.get("itemprop") and tag in ("span", "div") and _data_only(el):
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style.lower()):
        return True
    role = (el.get("role") or "").lower()
    if role in CHROME_ROLES:
        return True
    if by_class and el.get("itemprop") != "articleBody" and not _inline_phrase(el):
        toks = _tokens(el)
        if toks and _is_negative(toks, comments_kept) and not any(t in KEEP_TOKENS for t in toks):
            # a class name is weak evidence against paragraphs of prose ("read-more" holding the
            # rest of the story, "outerAd" around the whole page); comments stay chrome
            return any(t.startswith(_COMMENT_PREFIXES) for t in toks) or not _holds_paragraphs(el)
    return False


_PHRASE_TAGS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "font", "abbr", "cite", "q"})


def _inline_phrase(el: Any) -> bool:
    """Is ``el`` a phrase inside a paragraph's sentence (an inline element of a ``p`` with words after
    it)? Its class names a style or a pop-up note on the phrase, not furniture: removing it would cut
    the sentence."""
    if el.tag not in _PHRASE_TAGS or len(el) > 3:
        return False
    parent = el.getparent()
    return parent is not None and parent.tag == "p" and bool(el.tail and el.tail.strip())


def _data_only(el: Any) -> bool:
    """Is every piece of text in ``el`` the value of an ``itemprop`` element, with a link or a date among
    them (structured data written out for machines: a name, a URL, a width and height)?"""
    machine = False
    for k, x in enumerate(el.iter(etree.Element)):
        if k >= 40:
            return False  # (a few values, not a region of the page: bounded work on deep pages)
        if (x.text or "").strip() and x.get("itemprop") is None:
            return False
        if x is not el and (x.tail or "").strip():
            return False
        t = (x.text or "").strip()
        if t.startswith(("http://", "https://")) or re.match(r"\d{4}-\d\d-\d\d", t):
            machine = True
    return machine


def _holds_sentences(el: Any, n: int = 2, min_chars: int = 40) -> bool:
    """Does ``el`` hold ``n`` pieces of text of ``min_chars`` that end like sentences (a list of products
    or steps described in sentences: its low score comes from its tags, not from its text)?"""
    found = 0
    for t in el.itertext():
        t = t.strip()
        if len(t) >= min_chars and t[-1] in ".!?…。！？":
            found += 1
            if found >= n:
                return True
    return False


def _unlinked_sentence(el: Any, stats: _Stats, min_chars: int = 40) -> bool:
    """Is ``el`` a sentence (or more) of ``min_chars`` without links, its text cut into pieces by inline
    markup (formulas, sub- and superscripts)?"""
    n = stats.full.get(el, 0)
    if n < min_chars or stats.link.get(el, 0):
        return False
    return bool(_PROSE_END.search(_norm(_text(el))))


def _holds_paragraphs(el: Any, n: int = 3, min_chars: int = 150) -> bool:
    """Does ``el`` hold ``n`` paragraphs (p elements) of ``min_chars`` with few links?"""
    found = 0
    for p in el.iter("p"):
        t = _nlen(_text(p))
        if t < min_chars:
            continue
        linked = sum(_nlen(_text(a)) for a in p.iter("a"))
        if linked * 5 < t:
            found += 1
            if found >= n:
                return True
    return False


def _holds_prose(el: Any, min_chars: int = 300, min_piece: int = 100) -> bool:
    """Does ``el`` hold at least ``min_chars`` of text, some piece of it ``min_piece`` long?"""
    total, longest = 0, 0
    for t in el.itertext():
        n = len(t.strip())
        total += n
        longest = max(longest, n)
    return total >= min_chars and longest >= min_piece


# --------------------------------------------------------------------------- scoring


def _best_candidate(root: Any, stats: _Stats, cfg: HtmlConfig) -> tuple[Any, dict[Any, float]]:
    scores: dict[Any, float] = {}

    def init(el: Any) -> None:
        if el not in scores:
            scores[el] = _TAG_BASE.get(el.tag, 0) + (
                _class_weight(el, cfg.comments == "keep") if cfg.remove_by_class else 0
            )

    for el in stats.elements:
        tag = el.tag
        n = stats.own.get(el, 0)
        if n < cfg.min_paragraph_chars or tag in HEADINGS or tag in ("a", "li", "dt", "th", "tr"):
            continue
        if tag not in ("p", "pre", "td", "blockquote", "dd") and tag not in BLOCK_TAGS:
            continue  # inline elements count in their block's own text
        score = 1 + stats.commas.get(el, 0) + min(n // 100, 3)
        # the score goes to the block's ancestors, less and less (a container with text of its
        # own is a paragraph inside itself)
        anc = el.getparent() if tag in ("p", "pre", "td", "blockquote", "dd") else el
        for level in range(cfg.ancestor_levels):
            if anc is None or not isinstance(anc.tag, str):
                break
            init(anc)
            scores[anc] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
            anc = anc.getparent()
    best, best_score = None, 0.0
    for el, s in scores.items():
        s *= 1 - stats.density(el)
        scores[el] = s
        if s > best_score:
            best, best_score = el, s
    if best is None:
        return None, scores
    best = _climb(best, scores, stats, cfg)
    best = _grow(best, stats, cfg)
    if best.tag in ("html",):
        best = best.find("body") if best.find("body") is not None else best
    return best, scores


def _grow(best: Any, stats: _Stats, cfg: HtmlConfig) -> Any:
    """Move up to an ancestor that adds paragraph text and little else (an article split in sections).

    Paragraphs of teasers (a summary in an item with a linked headline of another page: a stream of
    other stories) and paragraphs in an aside, nav, header or footer (kept when they hold most of the
    page's text: a live feed) are no paragraph text of the article: they do not count as a gain."""
    sel = best
    anc = best.getparent()
    while anc is not None and anc.tag not in ("body", "html"):
        gain = stats.good.get(anc, 0) - stats.good.get(sel, 0)
        added = stats.full.get(anc, 0) - stats.full.get(sel, 0)
        need = max(1.0, cfg.grow_min_gain * stats.good.get(sel, 0), cfg.grow_share * added)
        if gain >= need and gain - _teaser_text(anc, sel, stats, cfg) >= need:
            sel = anc
        anc = anc.getparent()
    return sel


def _teaser_text(anc: Any, sel: Any, stats: _Stats, cfg: HtmlConfig) -> int:
    """Paragraph text in ``anc`` outside ``sel`` that sits in a chrome tag (unless ``sel`` does), in a
    teaser: an item (within ``teaser_levels`` ancestors, at most ``teaser_max_chars`` long, not holding
    ``sel``) whose one headline link comes first, or in an item of a stream of linked stories."""
    inside = set(sel.iter(etree.Element))
    holders = set(sel.iterancestors())
    sel_in_chrome = sel in stats.chrome_region()
    streams: dict[Any, tuple[set[Any], int]] = {}
    total = 0
    for el in anc.iter(etree.Element):
        if el in inside or el in holders:
            continue
        own = stats.good.get(el, 0) - sum(stats.good.get(ch, 0) for ch in el)
        if own <= 0:
            continue
        if not sel_in_chrome and el in stats.chrome_region():
            total += own  # (an aside's, a header's or a footer's text is not the article's)
            continue
        if _opens_with_headline(el, stats):
            total += own  # (a list item holding its linked headline and the summary under it)
            continue
        if _in_stream(el, anc, holders, stats, cfg, streams):
            total += own  # (one story written out in a stream of linked ones: a live feed)
            continue
        item = el.getparent()
        for _ in range(cfg.teaser_levels):
            # (an item longer than a teaser, and every item above it, is none: checked first, so that the
            # links of a wide container are not read once per paragraph)
            if item is None or item is anc or item in holders or stats.full.get(item, 0) > cfg.teaser_max_chars:
                break
            if _headline_link(item, el, stats):
                total += own
                break
            item = item.getparent()
    return total


def _in_stream(
    el: Any, anc: Any, holders: set[Any], stats: _Stats, cfg: HtmlConfig, streams: dict[Any, tuple[set[Any], int]]
) -> bool:
    """Is block ``el`` in an item (within ``teaser_levels`` ancestors, below ``anc``, not holding the article)
    whose siblings with text are mostly, and at least two, linked stories (``_linked_story``)? A live feed
    writes one story out among the linked headlines of the others. ``streams`` keeps each parent's linked
    children and its number of children with text, so that a wide container is read once."""
    item = el.getparent()
    for _ in range(cfg.teaser_levels):
        if item is None or item is anc or item in holders:
            return False
        parent = item.getparent()
        if parent is None or parent is anc or parent in holders:
            return False
        if parent not in streams:
            kids = [x for x in parent if isinstance(x.tag, str) and stats.full.get(x, 0)]
            streams[parent] = ({x for x in kids if _linked_story(x, stats)}, len(kids))
        linked_kids, n = streams[parent]
        linked = len(linked_kids) - (item in linked_kids)
        n -= 1 if stats.full.get(item, 0) else 0
        if linked >= 2 and 2 * linked >= n:
            return True
        item = parent
    return False


def _linked_story(el: Any, stats: _Stats) -> bool:
    """Is ``el`` a linked story: nearly all its text in links, one of them 4+ words (a headline)?"""
    if stats.density(el) < 0.8:
        return False
    return any(len(_text(a).split()) >= 4 for a in el.iter("a"))


def _opens_with_headline(el: Any, stats: _Stats) -> bool:
    """Does block ``el`` open with a link of 4+ words standing apart from what follows (nothing before it,
    no words right after it, an element next: a headline over its summary), not a link opening a sentence?"""
    if (el.text or "").strip() or not len(el):
        return False
    a = el[0]
    if a.tag != "a" or (a.tail or "").strip() or not 0 < stats.full.get(a, 0) <= 300:
        return False  # (lengths from the statistics: no text is read twice on a deep page)
    nxt = a.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or not stats.full.get(nxt, 0):
        return False
    return len(_text(a).split()) >= 4


def _headline_link(item: Any, block: Any, stats: _Stats) -> bool:
    """Does ``item`` hold, before ``block``, one link of 4+ words standing alone in its block (a headline,
    not a link inside a sentence), and no other such link (a list of links is no teaser)?"""
    found = 0
    for a in _links_outside(item, block):
        n = stats.full.get(a, 0)
        holder = a.getparent()
        while holder is not None and holder is not item and holder.tag not in BLOCK_TAGS:
            holder = holder.getparent()
        if holder is None or n < 0.8 * stats.full.get(holder, 0):
            continue
        if len(_norm(_text(a)).split()) >= 4:
            found += 1
            if found > 1 or not _precedes(a, block):
                return False
    return found == 1


def _precedes(a: Any, b: Any) -> bool:
    """Does element ``a`` come before ``b`` in document order (neither holding the other)?"""
    for el in a.itersiblings():
        if el is b:
            return True
    ancestors_b = {id(x) for x in b.iterancestors()}
    x = a
    while x is not None and id(x.getparent()) not in ancestors_b:
        x = x.getparent()
    if x is None:
        return False
    for el in x.itersiblings():
        if el is b or id(el) in ancestors_b:
            return True
    return False


def _climb(best: Any, scores: dict[Any, float], stats: _Stats, cfg: HtmlConfig) -> Any:
    """Readability's second look: a common ancestor of several near-best candidates, or a parent
    scoring better than its child, holds the article rather than the best candidate itself."""
    top = scores[best]
    alternatives = [el for el, s in scores.items() if el is not best and s >= 0.75 * top]
    chrome = stats.chrome_region()
    if best not in chrome:
        # candidates in an aside, a nav, a header or a footer (kept when holding most of the page's text:
        # a live feed beside the story) are no alternatives of an article outside them
        alternatives = [el for el in alternatives if el not in chrome]
    if len(alternatives) >= 3:
        chains = []
        for el in alternatives:
            chain = set()
            a = el.getparent()
            while a is not None:
                chain.add(a)
                a = a.getparent()
            chains.append(chain)
        a = best.getparent()
        while a is not None and a.tag not in ("body", "html"):
            if sum(a in c for c in chains) >= 3:
                return a
            a = a.getparent()
    last = top
    threshold = top / 3
    a = best.getparent()
    while a is not None and a.tag not in ("body", "html"):
        if a not in scores:
            a = a.getparent()
            continue
        if scores[a] < threshold:
            break
        if scores[a] > last:
            return a
        last = scores[a]
        a = a.getparent()
    return best


def _gather(best: Any, scores: dict[Any, float], stats: _Stats, cfg: HtmlConfig) -> list[Any]:
    parent = best.getparent()
    if parent is None or best.tag == "body":
        return [best]
    top = scores.get(best, 0.0)
    threshold = max(10.0, top * cfg.sibling_share)
    best_class = best.get("class") or ""
    out: list[Any] = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is best:
            out.append(sib)
            continue
        bonus = top * 0.2 if best_class and sib.get("class") == best_class else 0.0
        if sib in scores and scores[sib] + bonus >= threshold:
            out.append(sib)
            continue
        if sib.tag == "p":
            n = stats.full.get(sib, 0)
            ld = stats.density(sib)
            text = _norm(_text(sib)) if n else ""
            if (n > 80 and ld < 0.25) or (0 < n <= 80 and ld == 0 and text.endswith((".", "!", "?", '"'))):
                out.append(sib)
    if len(out) >= 2:
        # a sibling between two of the article's siblings (a list, a table, a short block between its
        # sections) is part of it unless mostly links or named as chrome by its class
        sibs = [x for x in parent if isinstance(x.tag, str)]
        chosen = set(out)
        first = next(i for i, x in enumerate(sibs) if x in chosen)
        last = max(i for i, x in enumerate(sibs) if x in chosen)
        out = [
            x
            for x in sibs[first : last + 1]
            if x in chosen
            or (
                stats.density(x) <= cfg.sibling_between_link_share
                and not (cfg.remove_by_class and _class_weight(x, cfg.comments == "keep") < 0)
            )
        ]
    return out


def _clean_conditionally(node: Any, scores: dict[Any, float], stats: _Stats, cfg: HtmlConfig) -> None:
    doomed: list[Any] = []
    skip: set[Any] = set()
    kept: set[Any] = set()  # a data table and what it holds: never cleaned here (readability's rule)
    for el in node.iter(etree.Element):
        if el.getparent() in skip:
            skip.add(el)
            continue
        if el.getparent() in kept:
            kept.add(el)
            continue
        if el is node:
            continue
        tag = el.tag
        if tag in HEADINGS:
            # a heading goes by its class (readability's rule), not for being a link: the titles of a
            # blog's posts and a page's sections link to themselves; a date heading stays (_date_heading)
            if cfg.remove_by_class and _class_weight(el, cfg.comments == "keep") < 0 and not _date_heading(el):
                doomed.append(el)
                skip.add(el)
            continue
        if tag not in ("table", "ul", "ol", "div", "section", "dl", "figure"):
            continue
        if tag in ("ul", "ol", "div") and _slideshow(el, node, stats):
            doomed.append(el)
            skip.add(el)
            continue
        if tag == "table" and _data_table(el, by_size=stats.density(el) <= cfg.max_link_density):
            kept.add(el)
            continue
        if cfg.remove_by_class and any(t in KEEP_TOKENS for t in _tokens(el)):
            continue  # (embedded content, a tweet or a quote: its links and handles are its text)
        weight = _class_weight(el, cfg.comments == "keep") if cfg.remove_by_class else 0
        # a low score without a class against it comes from the tags (a list, a definition list): sentences
        # in it stay, also one sentence without links whose text inline markup (formulas) cuts into pieces
        if weight + scores.get(el, 0) < 0 and not (
            _holds_paragraphs(el) if weight < 0 else _holds_sentences(el) or _unlinked_sentence(el, stats)
        ):
            doomed.append(el)
            skip.add(el)
            continue
        if _conditional_junk(el, weight, stats, cfg):
            doomed.append(el)
            skip.add(el)
    for el in doomed:
        _remove(el)


_DATE_HEADING_TOKENS = frozenset({"date", "header"})


def _date_heading(el: Any) -> bool:
    """Is heading ``el`` a date heading by its class ("date", "date-header") and by nothing else of the class
    vocabulary? On a blog's front page or archive such a heading is the day over the posts written on it
    (Blogger's ``h2.date-header``, Serendipity's ``h3.serendipity_date``): part of the stream of posts, not
    chrome. ("date" lowers a container's score; "header" on a heading names the heading itself.) A heading
    also named a byline, meta data or chrome still goes."""
    toks = _tokens(el)
    if "date" not in toks or _is_negative(toks):
        return False
    return not any(t in WEAK_NEGATIVE_TOKENS and t not in _DATE_HEADING_TOKENS for t in toks)


def _data_table(table: Any, by_size: bool = False) -> bool:
    """Is ``table`` a table of data (header cells, a caption or a header row; no table inside it), not a
    layout grid? With ``by_size`` (the caller found it not mostly links: a grid of links is a menu), a table
    without headers is one of data by its size too, as readability judges it: 10 rows or more, more than
    4 columns, or more than 10 cells (a table of figures whose header row is written in bold cells)."""
    heads = False
    for x in table.iter("th", "thead", "caption", "table"):
        if x.tag == "table" and x is not table:
            return False
        heads = heads or x.tag != "table"
    if heads or not by_size:
        return heads
    rows = list(table.iter("tr"))
    cols = max((sum(1 for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")) for tr in rows), default=0)
    return len(rows) >= 10 or cols > 4 or len(rows) * cols > 10


_COUNTER = re.compile(r"^\s*(\d{1,3})\s*(?:/|of)\s*(\d{1,3})\b", re.IGNORECASE)


def _slideshow(el: Any, node: Any, stats: _Stats, min_items: int = 3) -> bool:
    """Is ``el`` a slideshow's captions beside an article: items (children of ``el``) each opening with a
    counter ``k/N`` (or ``k of N``), k counting 1, 2, 3 ... with one N, and at least as much text in
    ``node`` outside ``el`` as a few paragraphs? (A slideshow that is the page stays.)"""
    items = [ch for ch in el if isinstance(ch.tag, str)]
    if len(items) < min_items or len(items) > 1000:
        return False
    total = None
    for k, item in enumerate(items, 1):
        first = next((t for t in item.itertext() if t.strip()), "")
        m = _COUNTER.match(first)
        if not m or int(m.group(1)) != k or (total is not None and m.group(2) != total):
            return False
        total = m.group(2)
    if int(total or 0) < len(items):
        return False
    rest = stats.good.get(node, 0) - stats.good.get(el, 0)
    return rest >= 400


def _conditional_junk(el: Any, weight: int, stats: _Stats, cfg: HtmlConfig) -> bool:
    n = stats.full.get(el, 0)
    if stats.all_commas.get(el, 0) >= 10:  # (counted over the whole element, however long: a list of references)
        return False
    counts = {"p": 0, "img": 0, "li": 0, "embed": 0}
    for sub in el.iter("p", "img", "li", "embed"):
        counts[sub.tag] += 1
    counts["li"] -= 100
    ld = stats.density(el)
    tag = el.tag
    if counts["p"] and counts["img"] > 1 + counts["p"] * 1.3:
        return True
    if counts["li"] > counts["p"] and tag not in ("ul", "ol"):
        return True
    if n < cfg.min_paragraph_chars and (counts["img"] == 0 or counts["img"] > 2) and tag != "table":
        return not _has_heading_only(el)
    if weight < 25 and ld > 0.2:
        if tag == "table" and _labelled_rows(el, cfg.list_min_items + 1):
            return False  # (a table of facts, each row a label and its value: the values may be links)
        # links around a post (author, comments, categories) do not make its prose a link list; a list
        # stays whatever its links (readability's rule: a list of resources, of names, a changelog) unless
        # it lists the headlines of other pages
        if tag in ("ul", "ol") and not _headline_list(el, stats, cfg):
            return False
        if _contents_box(el, stats):
            return False  # (a table of contents: links to the page's own sections)
        return not _holds_prose(el, cfg.prose_keeps_chars, cfg.prose_piece_chars)
    if weight >= 25 and ld > cfg.max_link_density:
        return True
    return False


def _in_page(a: Any) -> bool:
    """Does link ``a`` lead into the page itself (``href="#section"``)?"""
    href = (a.get("href") or "").strip()
    return len(href) > 1 and href[0] == "#"


def _contents_box(el: Any, stats: _Stats, share: float = 0.9, depth: int = 3) -> bool:
    """Is ``el`` a list of the page's own parts: two links or more into the page itself (``href="#..."``)
    holding ``share`` of its link text (a table of contents, however nested: one chapter and its sections
    in a list of one item), or more than ``share`` of its text in lists (within ``depth`` levels, not inside
    another list) whose items nearly all (``share``) link into the page (notes with their back-links)? The
    links lead to the page, not away from it. (Counts from the statistics, and the bounded depth, keep the
    work linear on deeply nested boxes.)"""
    n = stats.full.get(el, 0)
    if not n:
        return False
    if stats.inpage_links.get(el, 0) >= 2 and stats.inpage.get(el, 0) >= share * stats.link.get(el, 0):
        return True
    if el.tag in ("ul", "ol"):
        return False
    lists: list[Any] = []
    level = [el]
    for _ in range(depth):
        level = [ch for x in level for ch in x if isinstance(ch.tag, str)]
        lists.extend(x for x in level if x.tag in ("ul", "ol"))
        level = [x for x in level if x.tag not in ("ul", "ol")]
    if sum(stats.full.get(x, 0) for x in lists) <= share * n:
        return False
    items = [li for x in lists for li in x if li.tag == "li"]
    own = sum(1 for li in items if any(_in_page(a) for a in li.iter("a")))
    return len(items) >= 2 and own >= share * len(items)


def _labelled_rows(table: Any, need: int) -> bool:
    """Does ``table`` have ``need`` rows (not of a table inside it) made of one header cell and one data
    cell with text: a label and its value, as in a table of facts?"""
    n = 0
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(cells) == 2 and cells[0].tag == "th" and cells[1].tag == "td" and _norm(_text(cells[0])):
            anc = tr.getparent()
            while anc is not None and anc.tag != "table":
                anc = anc.getparent()
            n += anc is table and bool(_norm(_text(cells[1])))
            if n >= need:
                return True
    return False


def _headline_list(el: Any, stats: _Stats, cfg: HtmlConfig) -> bool:
    """Does the list ``el`` list other pages: right under a short heading naming them ("More Great Stories",
    "Related"), or most items (two thirds, of ``list_min_items`` or more) one link of ``list_headline_words``
    words holding nearly all the item's text (a headline, perhaps with a date)? A list of one item is no
    list; a list inside a list item is part of that item, and goes or stays with its list. "See also" names
    no other pages' stories but the work's cross-references (an encyclopedia's, a manual's related topics):
    a list under it goes only when its items read as headlines."""
    parent = el.getparent()
    if parent is not None and parent.tag == "li":
        return False
    items = [li for li in el if li.tag == "li"]
    if len(items) < cfg.list_min_items or _under_promo_heading(el):
        return True
    headlines = 0
    for li in items:
        n = stats.full.get(li, 0)
        for a in li.iter("a"):
            if n and stats.full.get(a, 0) >= cfg.list_headline_share * n:
                # (a link into the page itself, "#...", is a table of contents' entry, not another page)
                headlines += len(_text(a).split()) >= cfg.list_headline_words and not _in_page(a)
                break
    return headlines * 3 >= len(items) * 2


_PROMO_HEADING = re.compile(
    r"\b(related|recommended|popular|trending|stories|articles|posts|headlines|read (?:next|also)"
    r"|you (?:may|might)|more (?:from|on|in|about))\b",
    re.IGNORECASE,
)


def _under_promo_heading(el: Any) -> bool:
    """Is ``el`` right under a short heading that names other pages ("More Great Stories", "Related")?"""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return False
    text = _norm(_text(prev))
    return 0 < len(text) <= 60 and bool(_PROMO_HEADING.search(text))


def _has_heading_only(el: Any) -> bool:
    return any(True for _ in el.iter(*HEADINGS))


# --------------------------------------------------------------------------- rendering


def _render(root: Any, cfg: HtmlConfig, title: str, article: set[Any] | None = None) -> list[str]:
    """Blocks of ``root`` as lines: headings, paragraphs, list items, table rows (iterative walk).

    With ``article`` (the chosen content elements), the whole of ``root`` is walked in page order:
    blocks inside ``article`` are lines as usual, blocks outside only when they read as prose of
    their own (:func:`_outside_prose`), or as short lines between kept ones (:func:`_between_kept`):
    content in other regions of the page is kept.
    """
    items: list[tuple[str, str]] = []  # (status, line): "in" the article, outside "prose", "short" or "drop"
    buf: list[str] = []
    prefix: list[str] = [""]
    link_chars = [0]
    link_texts: list[str] = []  # the texts of the links begun in the line
    heading = [False]
    titled = [False]  # a link of the line is named a title (_titled_link): an item's title, no promo
    inside_now = [article is None]
    teasers = _teasers(root, article, cfg) if article is not None else set()
    repeated = Counter(_norm(_text(a)) for a in root.iter("a"))
    controls: dict[int, str] = {}  # item index -> the words of its links (digits masked): a row of controls?
    holders: set[Any] = set()  # ancestors of the article's elements: walked into, never read as one table
    for a in article or ():
        p = a.getparent()
        while p is not None and p not in holders:
            holders.add(p)
            p = p.getparent()

    def flush() -> None:
        if buf:
            raw = "".join(buf)
            buf.clear()
            line = _norm(raw)
            if line and line not in ("-", "|"):
                # (all white space out of the count: the tabs and line breaks of indented source are no
                # unlinked text of the line)
                linked = link_chars[0] / max(1, len(_WS.sub("", raw)))
                # a paragraph that is one link inside prose is a promo ("Ten things to do this weekend");
                # list items and headings that are links are the text's own (a list of resources), and so
                # is a link of fewer words than a headline (list_headline_words: a name, an address, a
                # source credit) unless the page repeats it as a link (a control: "Report", "Sign up"); a link
                # named a title by its class or id, or held so up to its block (_titled_link), is an item's title
                # on the page (a post's on a front page, a job's in a listing)
                promo = (
                    linked >= cfg.line_link_share
                    and len(line) < 200
                    and not prefix[0]
                    and not heading[0]
                    and not titled[0]
                    and (len(line.split()) >= cfg.list_headline_words or repeated[line] > 1)
                )
                if inside_now[0]:
                    status = "drop" if promo else "in"
                elif len(line) < cfg.outside_min_chars:  # (kept only between kept lines: _between_kept)
                    short = not promo and linked <= 0.5 and not _is_boilerplate_line(line)
                    status = "short" if short else "drop"
                else:
                    status = "prose" if not promo and _outside_prose(line, linked, cfg) else "drop"
                if len(link_texts) >= 2 and linked >= 0.5 and len(line) < 200 and not heading[0] and not prefix[0]:
                    controls[len(items)] = "|".join(_DIGITS.sub("#", _norm(t).lower()) for t in link_texts)
                items.append((status, prefix[0] + line if prefix[0] and not line.startswith(prefix[0]) else line))
        prefix[0] = ""
        heading[0] = False
        titled[0] = False
        link_chars[0] = 0
        link_texts.clear()

    # stack items: ("el", element, in_link, inside) | ("text", str, ...) | ("end", element, ...)
    stack: list[tuple[str, Any, bool, bool]] = [("el", root, False, article is None or root in article)]
    while stack:
        kind, x, in_link, inside = stack.pop()
        if kind == "text":
            if inside != inside_now[0] and buf and "".join(buf).strip():
                flush()
            inside_now[0] = inside
            buf.append(x)
            if in_link:
                link_chars[0] += len(x.strip())
                if link_texts:
                    link_texts[-1] += x
            continue
        if kind == "end":
            flush()
            continue
        el = x
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not root and el.tail:
            stack.append(("text", el.tail, in_link, inside))
        inside = inside or (article is not None and el in article)
        if not inside and el in teasers:
            flush()
            items.append(("drop", ""))
            continue  # (its tail was pushed above)
        if tag == "br":
            stack.append(("end", el, in_link, inside))
            continue
        if tag in ("img", "hr"):
            if tag == "hr":
                flush()
            continue
        if tag == "table" and cfg.tables_as_markdown and el not in holders:
            rows = _table_rows(el)
            if rows is not None:
                flush()
                if inside:
                    items.extend(("in", row) for row in rows)
                else:
                    # a row outside the article is judged as any block outside it: kept when prose of its own
                    # (a table with few links, the row's cells written as sentences)
                    full = _nlen(_text(el))
                    linked = sum(_nlen(_text(a)) for a in el.iter("a")) / full if full else 1.0
                    items.extend(
                        ("prose" if _outside_prose(_norm(row.replace("|", " ")), linked, cfg) else "drop", row)
                        for row in rows
                    )
                continue
        block = tag in BLOCK_TAGS
        if block:
            flush()
            stack.append(("end", el, in_link, inside))
            if tag == "li":
                prefix[0] = "- "
            elif tag in HEADINGS:
                heading[0] = True
        elif tag in ("td", "th"):
            buf.append(" ")
        if tag == "a" and not in_link:
            link_texts.append("")
            titled[0] = titled[0] or _titled_link(el)
        in_link = in_link or tag == "a"
        for ch in reversed(el):
            stack.append(("el", ch, in_link, inside))
        if el.text:
            stack.append(("text", el.text, in_link, inside))
    flush()
    # a line of links whose links read the same (digits aside: counts, dates) again and again on the page is
    # a row of controls under each item ("Print | Mail | Category: News", "permalink | comments (3)"); headings
    # and list items are the text's own (a list of references, "^ Bain 2006, p. 44.", reads alike too)
    if controls:
        seen = Counter(controls.values())
        for k, key in controls.items():
            if seen[key] >= cfg.repeated_controls_min:
                items[k] = ("drop", items[k][1])
    return _between_kept(items, cfg.keep_outside_prose)


def _titled(el: Any) -> bool:
    """Is ``el`` named a title by its class or id (a token ending in "title": "post-title", "newsTitle",
    "cblTitle") and by nothing against it (no negative or weak-negative token: a "read-more__title")?"""
    toks = _tokens(el)
    return any(t.endswith("title") for t in toks) and not any(
        t in WEAK_NEGATIVE_TOKENS or _is_negative([t]) for t in toks
    )


def _titled_link(a: Any) -> bool:
    """Is link ``a``, or an element holding it up to its block, named a title (``_titled``)?"""
    x = a
    while x is not None:
        if _titled(x):
            return True
        if x.tag in BLOCK_TAGS:
            return False
        x = x.getparent()
    return False


def _between_kept(items: list[tuple[str, str]], between: bool) -> list[str]:
    """The kept lines of ``items``: those in the article, prose outside it, and (``between``: where prose
    outside the article is kept) runs of short lines outside it, under ``outside_min_chars`` and at most
    half linked (headings, labels, list items, a post's header), that sit between two kept lines: text
    between text is text (jusText's context rule); next to chrome or at the page's edge they go."""
    kept = ("in", "prose")
    lines: list[str] = []
    i, n = 0, len(items)
    while i < n:
        status, line = items[i]
        if status == "short":
            j = i
            while j < n and items[j][0] == "short":
                j += 1
            if between and i > 0 and j < n and items[i - 1][0] in kept and items[j][0] in kept:
                lines.extend(x for _, x in items[i:j])
            i = j
            continue
        if status in kept:
            lines.append(line)
        i += 1
    return lines


def _teasers(root: Any, article: set[Any], cfg: HtmlConfig) -> set[Any]:
    """Blocks outside the article that sit in an item with a linked headline of another page: teasers.

    A summary under a link to another story (related stories, a front page's list) reads as prose
    but is the link's description; the item holding both is within ``teaser_levels`` ancestors.
    """
    out: set[Any] = set()
    inside: set[Any] = set()  # the article's elements and their ancestors (an item never holds the article)
    for a in article:
        inside.update(a.iter(etree.Element))
        p = a.getparent()
        while p is not None and p not in inside:
            inside.add(p)
            p = p.getparent()
    for el in root.iter("p", "div", "li", "dd", "td", "span", "section"):
        if el in inside or len(el) > 8:
            continue
        own = len((el.text or "").strip()) + sum(
            len((c.tail or "").strip()) + (len(_text(c)) if c.tag in ("a", "b", "i", "em", "strong", "span") else 0)
            for c in el
        )
        if own < cfg.outside_min_chars:
            continue
        anc = el.getparent()
        for _ in range(cfg.teaser_levels):
            if anc is None or anc in inside:
                break
            if _linked_headline(anc, el):
                if _nlen(_text(anc)) <= cfg.teaser_max_chars:
                    out.add(el)  # (a long item under a linked title is a post of a blog's front page)
                break
            anc = anc.getparent()
    return out


def _linked_headline(item: Any, block: Any) -> bool:
    """Does ``item`` hold, outside ``block``, a link whose text reads as a headline (4+ words)?"""
    return any(len(_norm(_text(a)).split()) >= 4 for a in _links_outside(item, block))


def _links_outside(item: Any, block: Any) -> Iterator[Any]:
    """The links of ``item`` that are not inside ``block`` (one of its descendants)."""
    for a in item.iter("a"):
        p = a
        while p is not None and p is not item and p is not block:
            p = p.getparent()
        if p is not block:
            yield a


_PROSE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*$")
_SENTENCE_MARK = re.compile(r"[.!?。！？](?:\s|$)")


def _outside_prose(line: str, linked: float, cfg: HtmlConfig) -> bool:
    """A block outside the chosen article that is content by its own evidence: long enough, written
    as sentences, and hardly linked (menus, teaser lists and link boxes are links)."""
    if len(line) < cfg.outside_min_chars or linked > cfg.outside_max_link_share:
        return False
    if _is_boilerplate_line(line):
        return False
    return bool(_PROSE_END.search(line)) and len(_SENTENCE_MARK.findall(line)) >= cfg.outside_min_sentences


def _cell_text(cell: Any) -> str:
    parts: list[str] = []
    for s in cell.itertext():
        parts.append(s)
    return _norm(" ".join(parts)).replace("|", "\\|")


def _table_rows(table: Any) -> list[str] | None:
    """Markdown pipe table of a data table; None for a layout table (nested tables, long cells)."""
    rows: list[list[str]] = []
    header_given = False
    for tr in table.iter("tr"):
        # only rows of this table, not of a nested one
        anc = tr.getparent()
        while anc is not None and anc.tag != "table":
            anc = anc.getparent()
        if anc is not table:
            return None
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if not cells:
            continue
        if not rows and all(c.tag == "th" for c in cells):
            header_given = True
        row: list[str] = []
        for c in cells:
            text = _cell_text(c)
            if len(text) > 400 or any(
                True
                for _ in c.iter("p", "div", "ul", "ol", "h1", "h2", "h3", "table")
                if _ is not c and len(_cell_text(_)) > 150
            ):
                return None
            try:
                span = int(c.get("colspan") or 1)
            except ValueError:
                span = 1
            row.append(text)
            row.extend([""] * (min(max(span, 1), 50) - 1))
        rows.append(row)
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if width < 2:
        return None  # one column: a list in a table, read as blocks
    del header_given
    out = []
    for i, r in enumerate(rows):
        r = r + [""] * (width - len(r))
        out.append("| " + " | ".join(r) + " |")
        if i == 0:
            out.append("| " + " | ".join("---" for _ in range(width)) + " |")
    return out


# --------------------------------------------------------------------------- boilerplate lines


def _line_key(line: str) -> str:
    return _LINE_KEY.sub(" ", line.lower()).strip()


def _is_boilerplate_line(line: str) -> bool:
    if len(line) > 80:
        return False
    key = _line_key(line.lstrip("- "))
    if key in BOILERPLATE_LINES:
        return True
    return len(line) <= 60 and (key + " ").startswith(LINE_PREFIXES)


# --------------------------------------------------------------------------- metadata

_ARTICLE_TYPES = (
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "webpage",
    "report",
    "scholarlyarticle",
    "liveblogposting",
    "techarticle",
    "socialmediaposting",
    "backgroundnewsarticle",
)


def extract_metadata(root: Any) -> dict[str, Any]:
    """title, author, published, site from JSON-LD, <meta>, microdata, <title>, <h1> and <time>."""
    meta: dict[str, Any] = {}
    ld = _json_ld(root)
    metas: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = _norm(m.get("content"))
        if key and val and key not in metas:
            metas[key] = val

    def first(*vals: Any) -> str:
        for v in vals:
            if isinstance(v, str) and _norm(v):
                return _norm(v)[:1000]
        return ""

    h1 = ""
    for el in root.iter("h1"):
        h1 = _norm(_text(el))
        if h1:
            break
    doc_title = ""
    t = root.find(".//title")
    if t is not None:
        doc_title = _norm(_text(t))
    title = first(
        ld.get("headline"),
        metas.get("og:title"),
        metas.get("twitter:title"),
        metas.get("dc.title"),
        metas.get("title"),
        doc_title,
    )
    if h1 and (not title or _line_key(h1) in _line_key(title) or _line_key(title) in _line_key(h1)):
        title = h1 if len(h1) < 300 else title
    elif title and doc_title and title == doc_title:
        title = _strip_site(title)
    if title:
        meta["title"] = title
    author = first(
        ld.get("author"),
        metas.get("author"),
        metas.get("article:author"),
        metas.get("dc.creator"),
        metas.get("sailthru.author"),
        metas.get("parsely-author"),
        metas.get("byl"),
        _itemprop_text(root, "author"),
        _rel_author(root),
    )
    if author and not author.startswith(("http://", "https://")):
        meta["author"] = author.removeprefix("By ").removeprefix("by ")
    published = first(
        ld.get("datePublished"),
        metas.get("article:published_time"),
        metas.get("datepublished"),
        metas.get("og:published_time"),
        metas.get("pubdate"),
        metas.get("publishdate"),
        metas.get("date"),
        metas.get("dc.date"),
        metas.get("dc.date.issued"),
        metas.get("dcterms.created"),
        metas.get("sailthru.date"),
        metas.get("parsely-pub-date"),
        _time_text(root),
    )
    if published:
        meta["published"] = published
    site = first(
        ld.get("publisher"),
        metas.get("og:site_name"),
        metas.get("application-name"),
        metas.get("twitter:site", "").lstrip("@") or None,
    )
    if site:
        meta["site"] = site
    return meta


_LD_ARTICLE = re.compile(r'"@type"\s*:\s*\[?\s*"\w*(?:Article|Posting)"')


def _declares_article(root: Any) -> bool:
    """Does the page say it is an article (``og:type`` "article", a JSON-LD ``*Article`` or ``*Posting``)?
    Its comments are then not part of it; a page that says no such thing (a forum, an old blog, a
    discussion page) has its comments as content."""
    for m in root.iter("meta"):
        if (m.get("property") or m.get("name") or "").strip().lower() == "og:type":
            if (m.get("content") or "").strip().lower() == "article":
                return True
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            if _LD_ARTICLE.search(script.text or ""):
                return True
    return False


def _strip_site(title: str) -> str:
    for sep in (" | ", " - ", " — ", " – ", " :: "):
        if sep in title:
            head = title.split(sep)[0].strip()
            if len(head) >= 15:
                return head
    return title


def _itemprop_text(root: Any, prop: str) -> str:
    for el in root.iterfind(f".//*[@itemprop='{prop}']"):
        if True:
            name = None
            for sub in el.iterfind(".//*[@itemprop='name']"):
                name = sub.get("content") or _text(sub)
                break
            v = _norm(name or el.get("content") or _text(el))
            if 0 < len(v) < 100:
                return v
    return ""


def _rel_author(root: Any) -> str:
    for el in root.iter("a"):
        if (el.get("rel") or "").lower() == "author":
            v = _norm(_text(el))
            if 0 < len(v) < 100:
                return v
    return ""


def _time_text(root: Any) -> str:
    for el in root.iter("time"):
        v = el.get("datetime") or el.get("content") or _text(el)
        if _norm(v):
            return _norm(v)
    return ""


def _json_ld(root: Any) -> dict[str, str]:
    """headline, author, datePublished, publisher of the page's article object(s) in JSON-LD."""
    found: dict[str, str] = {}
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _ld_objects(data):
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if not any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                continue
            is_page = all(isinstance(k, str) and k.lower() == "webpage" for k in kinds)
            for key in ("headline", "datePublished"):
                v = obj.get(key)
                if isinstance(v, str) and v.strip() and (key not in found or not is_page):
                    found.setdefault(key, _norm(v))
            author = _ld_names(obj.get("author"))
            if author and "author" not in found:
                found["author"] = author
            pub = _ld_names(obj.get("publisher"))
            if pub and "publisher" not in found:
                found["publisher"] = pub
    return found


def _ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    seen = 0
    while stack and seen < 10_000:
        seen += 1
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            yield x
            g = x.get("@graph")
            if isinstance(g, (list, dict)):
                stack.append(g)
            main = x.get("mainEntity")
            if isinstance(main, (list, dict)):
                stack.append(main)


def _ld_names(v: Any) -> str:
    items: Iterable[Any] = v if isinstance(v, list) else [v]
    names = []
    for it in items:
        if isinstance(it, dict):
            n = it.get("name")
            if isinstance(n, str) and n.strip():
                names.append(_norm(n))
        elif isinstance(it, str) and it.strip() and not it.startswith(("http://", "https://")):
            names.append(_norm(it))
    return ", ".join(dict.fromkeys(names))
