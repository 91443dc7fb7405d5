"""Small, pure helpers to walk clean text as lines, blocks and sentences with offsets.

>>> [(l.start, l.end, l.text) for l in iter_lines("ab\\n\\ncd")]
[(0, 2, 'ab'), (3, 3, ''), (4, 6, 'cd')]
>>> [s.text for s in iter_sentences("He left. She stayed in the U.S. until May. Done")]
['He left.', 'She stayed in the U.S. until May.', 'Done']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Segment:
    """A slice of text with its [start, end) offsets in the text it came from."""

    start: int
    end: int
    text: str

    @property
    def end_with_newline(self) -> int:
        """End offset including the line break after it (for dropping whole lines)."""
        return self.end + 1


def iter_lines(text: str) -> Iterator[Segment]:
    """Every line of ``text`` (split on "\\n" only), without its line break."""
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # the text ends with a line break (or is empty): no line after it
    pos = 0
    for line in lines:
        end = pos + len(line)
        yield Segment(pos, end, line)
        pos = end + 1


def line_drop_range(text: str, line: Segment) -> tuple[int, int]:
    """The range to delete so that ``line`` disappears with one adjacent line break."""
    if line.end < len(text):
        return line.start, line.end + 1
    if line.start > 0:
        return line.start - 1, line.end
    return line.start, line.end


def iter_blocks(text: str) -> Iterator[Segment]:
    """Non-empty lines: this pipeline's paragraphs (scraped text puts one per line)."""
    for line in iter_lines(text):
        if line.text.strip():
            yield line


# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and an
# upper-case letter, digit or opening quote -- unless the period ends a known
# abbreviation or a single capital (initials, "U.S."). A match starts only where a run of
# terminals starts (same matches: a match from inside a run implies one from its start);
# tried from every dot of "....." the run made the scan quadratic.
_SENT_END = re.compile(r"""(?<![.!?…])[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9À-Ý])""")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev|Hon|Inc|Ltd|Co|Corp|"
    r"No|Nos|Vol|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fig|approx|est)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.){2,}[A-Za-z]?)\.$"
)


def iter_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[Segment]:
    """Sentences of ``text[start:end]`` with offsets into ``text`` (heuristic, conservative)."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    pos = 0
    for m in _SENT_END.finditer(chunk):
        head = chunk[max(pos, m.start() - 12) : m.end()]
        if m.group().startswith(".") and _ABBREV.search(head.rstrip("\"'”’»)]")):
            continue
        s = chunk[pos : m.end()]
        lead = len(s) - len(s.lstrip())
        if s.strip():
            yield Segment(start + pos + lead, start + m.end(), s.strip())
        pos = m.end()
    s = chunk[pos:]
    lead = len(s) - len(s.lstrip())
    if s.strip():
        yield Segment(start + pos + lead, start + pos + lead + len(s.strip()), s.strip())
