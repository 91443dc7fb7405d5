"""normalize_whitespace: invisible and irregular spacing made plain, one rule per kind.

>>> doc = Document.from_text("Hello\\u00a0 world \\n\\n\\n\\nBye\\u200b.\\t")
>>> normalize_whitespace(doc, WhitespaceConfig()).text
'Hello world\\n\\nBye.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Change, Document
from .steps import StepConfig

STEP = "whitespace"

# (rule, pattern, replacement) applied in one pass; earlier alternatives win
_RULES: tuple[tuple[str, str, str], ...] = (
    ("whitespace:invisible", r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]+", ""),
    ("whitespace:trailing", r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+(?=\n|\Z)", ""),
    ("whitespace:leading", r"(?:(?<=\n)|\A)[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", ""),
    ("whitespace:blank-lines", r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n"),
    ("whitespace:edge-newlines", r"\A\n+|\n+\Z", ""),
    (
        "whitespace:runs",
        r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]",
        " ",
    ),
)
# Every rule's match starts with one of these characters (an invisible character, a space of the
# runs class or a line break). _PATTERN consumes that first character with one character class (the
# regex engine then passes over all other characters fast) and writes each rule as the rest of its
# match, checking the consumed character and what precedes it with lookbehinds; the groups, spans
# and winning rule stay those of the plain alternation of _RULES. The space between two words starts no match
# either (only a space after a line break, before one or another space, or at the start does): a
# lookaround right after the first character gives up there (most of the spaces are such).
# Without it the pipeline spends about 9% more CPU (benchmarks/README.md, "Speed layer");
# tests/test_output_unchanged.py checks _PATTERN against that alternation (tests/references.py).
_SPACES = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"  # the class of the trailing, leading and runs rules
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_FIRST = f"{_INVISIBLE}{_SPACES}\n"
_RESTS = (  # each rule of _RULES after its first character (the same order)
    rf"(?<=[{_INVISIBLE}])[{_INVISIBLE}]*",
    rf"(?<=[{_SPACES}])[{_SPACES}]*(?=\n|\Z)",
    rf"(?<=[{_SPACES}])(?<![^\n][\s\S])[{_SPACES}]*",  # the character before the first one is "\n" or none
    r"(?<=\n)[ \t]*\n(?:[ \t]*\n)+",
    r"(?<=\n)(?:(?<![\s\S]{2})\n*|\n*\Z)",  # "\A\n+": nothing before the first character
    rf"(?<=[{_SPACES}])[{_SPACES}]+|(?<=[\t\u00a0\u2000-\u200a\u202f\u205f\u3000])",
)
_PATTERN = re.compile(
    f"[{_FIRST}](?!(?<=[^\n] )[^{_SPACES}\n])(?:" + "|".join(f"(?P<r{i}>{p})" for i, p in enumerate(_RESTS)) + ")"
)


@dataclass(frozen=True)
class WhitespaceConfig(StepConfig):
    pass


def normalize_whitespace(doc: Document, cfg: WhitespaceConfig) -> Document:
    """Remove invisible characters, trailing/leading spaces, runs of spaces and of blank lines."""
    if not cfg.enabled:
        return doc
    text = doc.text
    changes = []
    for m in _PATTERN.finditer(text):
        i = int(m.lastgroup[1:])  # type: ignore[index]
        rule, _, repl = _RULES[i]
        if m.group() != repl and cfg.rule_on(rule):
            changes.append(Change(m.start(), m.end(), repl, rule))
    if not changes:
        return doc
    out = doc.apply(changes, step=STEP)
    # removing invisible characters can expose new runs: pass again until nothing changes
    return out if out is doc else normalize_whitespace(out, cfg)
