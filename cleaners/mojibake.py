"""fix_mojibake: repair encoding damage with ftfy, one edit per damaged line, ftfy's plan recorded.

ftfy's defaults also restyle clean text (they straighten curly quotes, fold
ligatures and full-width characters, NFC-normalize); launder keeps the text's
style and only repairs damage. A line is handed to ftfy only when it looks
damaged (``ftfy.badness.is_bad``, HTML entities, control characters), which is
also what keeps the step cheap on clean text.

>>> fix_mojibake(Document.from_text("Russiaâ€™s stance"), MojibakeConfig()).text
'Russia’s stance'
>>> fix_mojibake(Document.from_text("“Quotes” stay curly"), MojibakeConfig()).text
'“Quotes” stay curly'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad

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
    pass


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
    if not (_SUSPECT.search(text) or is_bad(text)):
        return doc
    changes = []
    for line in iter_lines(text):
        if not line.text or not (_SUSPECT.search(line.text) or is_bad(line.text)):
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
