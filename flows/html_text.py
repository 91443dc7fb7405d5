"""HTML to text for the reader: block elements on their own lines, page furniture removed.

A first, simple extractor (beautifulsoup4 with lxml): drops script, style, nav, footer,
aside, form and similar elements, and puts every block element on its own line. Page
metadata (title, author, published date, site name) comes from <title>, <meta> and <time>.

>>> text, meta = html_to_text("<html><head><title>T</title></head><body><nav>Menu</nav>"
...     "<p>One <b>bold</b> line.</p><div>Two</div><script>x()</script></body></html>")
>>> text
'One bold line.\\nTwo'
>>> meta["title"]
'T'
"""

from __future__ import annotations

import re
import sys
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

DROP = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg", "button", "select")
BLOCK = {
    "address", "article", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tr", "ul", "br", "caption", "title",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Visible text of ``html`` with block elements on their own lines, plus page metadata."""
    soup = BeautifulSoup(html, "lxml")
    meta = _metadata(soup)
    for el in soup.find_all(DROP):
        el.decompose()
    body = soup.body or soup
    parts: list[str] = []
    _walk(body, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line), meta


def _walk(node: Tag, parts: list[str]) -> None:
    # iterative, so deeply nested pages cannot exhaust the recursion limit
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and not isinstance(item, NavigableString):
            parts.append(item)  # a marker pushed below
            continue
        if isinstance(item, NavigableString):
            if type(item) is NavigableString:  # not comments, doctypes, CDATA
                parts.append(str(item).replace("\n", " "))
            continue
        if not isinstance(item, Tag):
            continue
        if item.name in ("td", "th"):
            stack.append(" | ")
        block = item.name in BLOCK
        if block:
            parts.append("\n")
            stack.append("\n")
        stack.extend(reversed(item.contents))


def _metadata(soup: BeautifulSoup) -> dict[str, Any]:
    meta: dict[str, Any] = {}

    def content(**attrs: str) -> str | None:
        el = soup.find("meta", attrs=attrs)
        value = el.get("content") if el else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    title = content(property="og:title") or (soup.title.get_text(" ", strip=True) if soup.title else None)
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
    if title:
        meta["title"] = title
    author = content(name="author") or content(property="article:author")
    if author:
        meta["author"] = author
    published = content(property="article:published_time") or content(name="date")
    if not published:
        t = soup.find("time")
        if t is not None:
            published = t.get("datetime") or t.get_text(strip=True) or None
    if published:
        meta["published"] = published
    site = content(property="og:site_name")
    if site:
        meta["site"] = site
    return meta


if sys.getrecursionlimit() < 10000:  # lxml trees of deeply nested pages are walked by bs4 recursively in places
    sys.setrecursionlimit(10000)
