"""fix_mojibake: repair encoding damage with ftfy, one edit per damaged line, ftfy's plan recorded.

ftfy's defaults also restyle clean text (they straighten curly quotes, fold
ligatures and full-width characters, NFC-normalize); launder keeps the text's
style and only repairs damage. A line is handed to ftfy only when it looks
damaged (``ftfy.badness.is_bad``, HTML entities, control characters), which is
also what keeps the step cheap on clean text.

Speed: :func:`looks_bad` gives ``is_bad``'s answer without running ftfy's large badness regex
over the whole text. Every alternative of that regex holds a run of items that each match one
non-ASCII character of a set (its skeleton) and matches at most a few characters (both checked when
this module loads; if a future ftfy breaks either, ``looks_bad`` is ``is_bad`` and every line is
tested), so it is enough to search the windows around the text's matches of the skeletons. One
regex finds those; it consumes each skeleton's smallest set and checks the rest around it, so the
engine skips every other character fast (clean text in any script holds few skeletons: a curly
quote or an accented letter alone is none). Without it the pipeline spends about 13% more CPU
(benchmarks/README.md, "Speed layer"); tests/test_output_unchanged.py checks it against ``is_bad``.

>>> looks_bad("plain ASCII"), looks_bad("curly “quotes” are fine"), looks_bad("Russiaâ€™s")
(False, False, True)

>>> fix_mojibake(Document.from_text("Russiaâ€™s stance"), MojibakeConfig()).text
'Russia’s stance'
>>> fix_mojibake(Document.from_text("“Quotes” stay curly"), MojibakeConfig()).text
'“Quotes” stay curly'
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from dataclasses import dataclass
from typing import Iterator

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

from .document import Change, Document
from .steps import StepConfig
from .text import Segment, iter_lines

STEP = "mojibake"

_FTFY = ftfy.TextFixerConfig(
    unescape_html="auto",
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=True,
)
# things besides mojibake that ftfy repairs: entities, terminal escapes, C0/C1 controls, surrogates
_SUSPECT = re.compile(r"&#?\w{1,10};|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class MojibakeConfig(StepConfig):
    pass


def _non_ascii_chars(op: object, av: object) -> set[int] | None:
    """The code points a regex item matches when all are non-ASCII (else None)."""
    if op is _sre.LITERAL and av > 0x7F:  # type: ignore[operator]
        return {av}  # type: ignore[arg-type]
    if op is not _sre.IN:
        return None
    out: set[int] = set()
    for kind, v in av:  # type: ignore[attr-defined]
        if kind is _sre.LITERAL and v > 0x7F:
            out.add(v)
        elif kind is _sre.RANGE and v[0] > 0x7F:
            out.update(range(v[0], v[1] + 1))
        else:
            return None
    return out


def _class(chars: set[int]) -> str:
    """A regex character class matching exactly ``chars``."""
    return "[" + "".join(re.escape(chr(c)) for c in sorted(chars)) + "]"


def _badness_anchors() -> tuple[int, str]:
    """Longest match of ftfy's badness regex and a regex every match of it holds (the skeleton), or
    (0, "") when the windowed search would not be exact.

    An alternative of the badness regex is a sequence of items; those that match one character of a
    set of non-ASCII characters and nothing else (a literal or a class) must all be in a match, at
    fixed distances when they follow one another. Each alternative's longest run of such items is
    its skeleton: in clean text the runs are rare even where their characters (curly quotes, accented
    and Cyrillic letters) are not."""
    try:
        parsed = _sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        _lo, hi = parsed.getwidth()
        ((op, (_, branches)),) = parsed.data
        if op is not _sre.BRANCH or hi >= _sre.MAXREPEAT or BADNESS_RE.flags & (re.MULTILINE | re.IGNORECASE):
            return 0, ""
        pivots: set[int] = set()
        branches_out = []
        for b in branches:
            best: list[set[int]] = []
            run: list[set[int]] = []
            for op, av in b.data:
                chars = _non_ascii_chars(op, av)
                run = run + [chars] if chars else []
                if len(run) > len(best):
                    best = run
            if not best:
                return 0, ""
            # the regex consumes the skeleton's smallest set (its pivot) and checks the items before it
            # with a lookbehind, those after it as usual: every branch starts with one character class
            k = min(range(len(best)), key=lambda i: len(best[i]))
            pivots |= best[k]
            classes = list(map(_class, best))
            branches_out.append(f"(?<={''.join(classes[: k + 1])})" + "".join(classes[k + 1 :]))
        return hi, f"{_class(pivots)}(?:{'|'.join(branches_out)})"
    except Exception:  # another regex layout: fall back to is_bad
        return 0, ""


_WIDTH, _SKELETON = _badness_anchors()
_ANCHORS = re.compile(_SKELETON) if _WIDTH else None


def looks_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, computed on the windows around the matches of the skeleton in ``text``.

    A match holds a match of the skeleton and is at most ``_WIDTH`` long, so it lies within
    ``_WIDTH - 1`` characters of it. Searching ``text`` itself with pos/endpos
    keeps ``^`` meaning the real start of the text.
    """
    if _ANCHORS is None:
        return is_bad(text)
    if text.isascii():
        return False
    search, reach = BADNESS_RE.search, _WIDTH - 1
    lo = hi = 0  # the window being grown
    for m in _ANCHORS.finditer(text):
        start, end = max(m.start() - reach, 0), m.end() + reach
        if start <= hi and hi:
            hi = end
            continue
        if hi and search(text, lo, hi):
            return True
        lo, hi = start, end
    return bool(hi and search(text, lo, hi))


def _rule_for(plan: list[tuple[str, str]]) -> str:
    kinds = {step for step, _ in plan}
    if kinds & {"encode", "decode", "transcode"}:
        return "mojibake:encoding"
    applied = [name for step, name in plan if step == "apply"]
    return f"mojibake:{applied[0].replace('_', '-')}" if applied else "mojibake:other"


def _suspect_lines(text: str) -> Iterator[Segment]:
    """The lines of ``text`` (as :func:`iter_lines` gives them) that hold a match of _SUSPECT or of the
    skeleton: the others pass the line test of :func:`fix_mojibake` (neither regex matches across a
    line break or looks at one, and a line ``is_bad`` finds bad holds a skeleton match)."""
    found = sorted({m.start() for m in _SUSPECT.finditer(text)} | {m.start() for m in _ANCHORS.finditer(text)})  # type: ignore[union-attr]
    end = -1
    for at in found:
        if at < end:
            continue  # on the line given last
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        yield Segment(start, end, text[start:end])


def fix_mojibake(doc: Document, cfg: MojibakeConfig) -> Document:
    """Repair mojibake, HTML entities and control characters line by line (ftfy)."""
    if not cfg.enabled:
        return doc
    text = doc.text
    if not (_SUSPECT.search(text) or looks_bad(text)):
        return doc
    changes = []
    for line in _suspect_lines(text) if _ANCHORS is not None else iter_lines(text):
        if not line.text or not (_SUSPECT.search(line.text) or looks_bad(line.text)):
            continue
        fixed = ftfy.fix_and_explain(line.text, _FTFY)
        if fixed.text == line.text or not fixed.explanation:
            continue
        rule = _rule_for(fixed.explanation)
        if not cfg.rule_on(rule):
            continue
        plan = ", ".join(f"{a}:{b}" for a, b in fixed.explanation)
        changes.append(Change(line.start, line.end, fixed.text, rule, plan))
    return doc.apply(changes, step=STEP)
