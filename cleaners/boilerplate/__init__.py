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
Pipe-table rows inside the body are always kept. A line dropped only for what it lacks (few
function words, no full stop) comes back when the text around it vouches for it (``keeps.py``):
a table or a heading between kept paragraphs, a list of sentences, the rest of a wrapped sentence.

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

from ..document import Document  # noqa: F401 (the example above)
from .config import BoilerplateConfig
from .data import PATTERNS, STOPWORDS
from .strip import STEP, strip_boilerplate

__all__ = ["STEP", "PATTERNS", "STOPWORDS", "BoilerplateConfig", "strip_boilerplate"]
