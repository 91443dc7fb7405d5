"""launder's cleaners: pure functions from Document to Document, and the pipeline that orders them.

>>> docs = clean("Russiaâ€™s  foreign minister spoke on Tuesday about the negotiations in Geneva.")
>>> docs[0].text
'Russia’s foreign minister spoke on Tuesday about the negotiations in Geneva.'
>>> sorted({e.rule for e in docs[0].edits})
['mojibake:encoding', 'whitespace:runs']
"""

from __future__ import annotations

from typing import Callable

from .config import CleanConfig
from .document import Change, Document, Edit, Source, Span
from .language import detect_language
from .mojibake import fix_mojibake
from .articles import split_articles
from .passages import clean_passages
from .boilerplate import strip_boilerplate
from .spacing import normalize_spacing
from .tables import repair_tables
from .whitespace import normalize_whitespace

__all__ = ["PIPELINE", "CleanConfig", "Change", "Document", "Edit", "Source", "Span", "clean", "clean_document"]

Cleaner = Callable[[Document, CleanConfig], "Document | list[Document]"]

# The one place that sets the order of the steps. Each entry adapts a cleaner to the whole config;
# a step may return several documents (article splitting).
PIPELINE: tuple[tuple[str, Cleaner], ...] = (
    ("mojibake", lambda d, c: fix_mojibake(d, c.mojibake)),
    ("whitespace", lambda d, c: normalize_whitespace(d, c.whitespace)),
    ("tables", lambda d, c: repair_tables(d, c.tables)),
    ("boilerplate", lambda d, c: strip_boilerplate(d, c.boilerplate)),
    ("articles", lambda d, c: split_articles(d, c.articles)),
    ("passages", lambda d, c: clean_passages(d, c.passages)),
    ("spacing", lambda d, c: normalize_spacing(d, c.spacing)),
    ("language", lambda d, c: detect_language(d, c.language)),
)


def clean_document(doc: Document, config: CleanConfig | None = None) -> list[Document]:
    """Run the pipeline over one document; a file holding several articles gives several documents.

    Rejected documents are returned too (``doc.rejected`` says why); later steps skip them.
    """
    cfg = config or CleanConfig()
    docs = [doc]
    for _name, step in PIPELINE:
        out: list[Document] = []
        for d in docs:
            if d.rejected:
                out.append(d)
                continue
            r = step(d, cfg)
            out.extend(r if isinstance(r, list) else [r])
        docs = out
    return [_check_length(d, cfg) for d in docs]


def clean(text: str, config: CleanConfig | None = None, source: Source | None = None) -> list[Document]:
    """Clean raw text: the documents it holds, each with provenance (spans and edits)."""
    return clean_document(Document.from_text(text, source), config)


def _check_length(doc: Document, cfg: CleanConfig) -> Document:
    if doc.rejected or len(doc.text.strip()) >= cfg.min_chars:
        return doc
    return doc.reject("too-short" if doc.raw.strip() else "empty", step="length")
