"""detect_language: langdetect with a fixed seed, so the same text always gets the same answer.

The detector factory is loaded once per process (a read-only cache: the
profiles take about a second to load) and every detector it makes has seed 0.

>>> doc = detect_language(Document.from_text("The minister said on Tuesday that the talks would go on."), LanguageConfig())
>>> doc.language["code"]
'en'
>>> detect_language(Document.from_text("Hi."), LanguageConfig()).language["code"]
'und'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from .document import Change, Document
from .steps import StepConfig
from .text import iter_blocks

STEP = "language"
UNDETERMINED = "und"
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class LanguageConfig(StepConfig):
    seed: int = 0
    min_chars: int = 20  # fewer letters than this: "und"
    sample_chars: int = 2000  # detect on the first N characters (cost is per character)
    languages: tuple[str, ...] = ()  # when set, reject documents in other languages
    paragraphs: str = "off"  # "off" | "flag" | "drop": passages in another language
    paragraph_min_chars: int = 120
    paragraph_min_prob: float = 0.95


@lru_cache(maxsize=4)
def _factory(seed: int) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


def identify(text: str, cfg: LanguageConfig) -> tuple[str, float]:
    """(code, probability) of ``text``; ("und", 0.0) when it is too short or has no features."""
    sample = text[: cfg.sample_chars]
    if len(_LETTERS.findall(sample)) < cfg.min_chars:
        return UNDETERMINED, 0.0
    detector = _factory(cfg.seed).create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)


def detect_language(doc: Document, cfg: LanguageConfig) -> Document:
    """Set ``doc.language``; optionally flag or drop passages in another language, or reject the document."""
    if not cfg.enabled:
        return doc
    code, prob = identify(doc.text, cfg)
    doc = doc.with_(language={"code": code, "prob": prob})
    if cfg.languages and code not in cfg.languages and cfg.rule_on("language:not-wanted"):
        return doc.reject(f"wrong-language:{code}", step=STEP, rule="language:not-wanted")
    if cfg.paragraphs == "off" or code == UNDETERMINED:
        return doc
    text = doc.text
    foreign = []
    for block in iter_blocks(text):
        if len(block.text) < cfg.paragraph_min_chars:
            continue
        pcode, pprob = identify(block.text, cfg)
        if pcode not in (code, UNDETERMINED) and pprob >= cfg.paragraph_min_prob:
            foreign.append((block, pcode))
    if cfg.paragraphs == "drop" and cfg.rule_on("language:foreign-passage"):
        changes = [
            Change(b.start, min(b.end + 1, len(text)), "", "language:foreign-passage", f"language {c}")
            for b, c in foreign
        ]
        return doc.apply(changes, step=STEP)
    for b, c in foreign:
        doc = doc.note(b.start, b.end, step=STEP, rule="language:foreign-passage", after=c)
    return doc
