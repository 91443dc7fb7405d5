"""fix_mojibake: repair encoding damage with ftfy, one edit per damaged line, ftfy's plan recorded.

ftfy's defaults also restyle clean text (they straighten curly quotes, fold
ligatures and full-width characters, NFC-normalize); launder keeps the text's
style and only repairs damage. A line is handed to ftfy only when it looks
damaged (``ftfy.badness.is_bad``, HTML entities, control characters), which is
also what keeps the step cheap on clean text.

Speed (``fast = True``, the default): :func:`looks_bad` gives ``is_bad``'s answer
without running ftfy's large badness regex over the whole text. Every alternative of
that regex needs one of a set of non-ASCII characters and matches at most a few characters
(both checked when this module loads; if a future ftfy breaks either, ``looks_bad`` is
``is_bad``), so it is enough to search the windows around the text's runs of those
characters (for each alternative its smallest such set: the right single quote and most
Cyrillic letters are in none).
``fast = False`` calls ``is_bad`` itself; tests/test_output_unchanged.py checks both agree.

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

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

from .document import Change, Document
from .steps import StepConfig
from .text import iter_lines

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
    fast: bool = True  # looks_bad (windows around the characters a match needs) instead of ftfy's is_bad over everything


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


def _badness_anchors() -> tuple[int, str]:
    """Longest match of ftfy's badness regex and the characters one of which every match holds
    (each alternative's smallest set of non-ASCII characters it needs one of), or (0, "") when the
    windowed search would not be exact."""
    try:
        parsed = _sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        _lo, hi = parsed.getwidth()
        (op, (_, branches)), = parsed.data
        if op is not _sre.BRANCH or hi >= _sre.MAXREPEAT or BADNESS_RE.flags & (re.MULTILINE | re.IGNORECASE):
            return 0, ""
        anchors: set[int] = set()
        for b in branches:
            needed = [s for op, av in b.data if (s := _non_ascii_chars(op, av))]
            if not needed:
                return 0, ""
            anchors |= min(needed, key=len)
        return hi, "".join(map(chr, sorted(anchors)))
    except Exception:  # another regex layout: fall back to is_bad
        return 0, ""


_WIDTH, _ANCHOR_CHARS = _badness_anchors()
_ANCHORS = re.compile(f"[{re.escape(_ANCHOR_CHARS)}]+") if _WIDTH else None


def looks_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, computed on the windows around the runs of anchors in ``text``.

    A match holds one of ``_ANCHOR_CHARS`` and is at most ``_WIDTH`` long, so it lies within
    ``_WIDTH - 1`` characters of a run of them. Searching ``text`` itself with pos/endpos
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


def fix_mojibake(doc: Document, cfg: MojibakeConfig) -> Document:
    """Repair mojibake, HTML entities and control characters line by line (ftfy)."""
    if not cfg.enabled:
        return doc
    text = doc.text
    bad = looks_bad if cfg.fast else is_bad
    if not (_SUSPECT.search(text) or bad(text)):
        return doc
    changes = []
    for line in iter_lines(text):
        if not line.text or not (_SUSPECT.search(line.text) or bad(line.text)):
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
