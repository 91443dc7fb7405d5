"""detect_language: langdetect with a fixed seed, so the same text always gets the same answer.

The detector factory is loaded once per process (a read-only cache: the
profiles take about a second to load) and every detector it makes has seed 0.

>>> doc = detect_language(Document.from_text("The minister said on Tuesday that the talks would go on."), LanguageConfig())
>>> doc.language["code"]
'en'
>>> detect_language(Document.from_text("Hi."), LanguageConfig()).language["code"]
'und'

Speed: by default (``fast = True``) launder runs its own copy of langdetect's algorithm
(:class:`FastDetector`): the same n-grams in the same order, the same seeded random draws and
the same floating-point operations, so the same answer to the last bit, at a fraction of the
cost (n-grams are computed once per distinct word and cached with the factory, the probability
updates are numpy expressions over the 55 languages at once). ``fast = False`` calls langdetect
itself; tests/test_output_unchanged.py checks that both agree.

``backend = "py3langid"`` uses py3langid instead (an optional package with its model inside:
``pip install py3langid``); see benchmarks/language.py for how the two compare.

>>> LanguageConfig(backend="py3langid").backend
'py3langid'
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Any

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

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
    backend: str = "langdetect"  # "langdetect" | "py3langid" (optional package)
    fast: bool = True  # langdetect backend: launder's exact copy of its algorithm (False: langdetect itself)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"language.backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")


BACKENDS = ("langdetect", "py3langid")


@lru_cache(maxsize=4)
def _factory(seed: int) -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


class _Normalized(dict):
    """str.translate table: code point -> langdetect's ``NGram.normalize`` of it, filled on first use."""

    def __missing__(self, cp: int) -> str:
        ch = NGram.normalize(chr(cp))
        self[cp] = ch
        return ch


class FastDetector:
    """langdetect's ``Detector`` (append, then get_probabilities) computed the same way, faster.

    Exactly langdetect 1.0.9's steps: URLs and e-mail addresses blanked, Vietnamese normalized,
    at most ``max_text_length`` characters, runs of spaces collapsed; Latin letters removed when
    the text is mostly non-Latin (langdetect counts every character from U+0300 up as non-Latin:
    its block test compares a block number with a name and is always true); n-grams of 1-3
    normalized characters in text order; seven trials of seeded random n-gram draws. A word's
    n-grams depend on the word alone (the n-gram buffer restarts after each space), so they are
    computed once per word and kept in a bounded cache.
    """

    ALPHA, ALPHA_WIDTH, N_TRIAL = Detector.ALPHA_DEFAULT, Detector.ALPHA_WIDTH, 7
    ITERATION_LIMIT, PROB_THRESHOLD, CONV_THRESHOLD = Detector.ITERATION_LIMIT, Detector.PROB_THRESHOLD, Detector.CONV_THRESHOLD
    BASE_FREQ, MAX_TEXT_LENGTH, CACHE_WORDS = Detector.BASE_FREQ, 10000, 200_000

    _SPACES = re.compile(" {2,}")
    _LATIN = re.compile("[A-z]")
    _NON_LATIN = re.compile("[\u0300-\U0010ffff]")
    _DMARK = re.compile(f"[{NGram.DMARK_CLASS}]")  # the diacritical marks normalize_vi looks for

    def __init__(self, factory: DetectorFactory) -> None:
        self.map: dict[str, list[float]] = factory.word_lang_prob_map
        self.langlist: list[str] = factory.langlist
        self.seed = factory.seed
        self._norm = _Normalized()
        self._words = _SpacedWordNgrams(self)
        self._row = {w: i for i, w in enumerate(self.map)}  # n-gram -> its row in self._matrix
        self._matrix = np.array(list(self.map.values()), dtype=np.float64)  # the profiles, 87,598 x 55

    def _prepare(self, text: str) -> str:
        text = Detector.URL_RE.sub(" ", text)
        if "@" in text:  # else MAIL_RE cannot match (and trying costs)
            text = Detector.MAIL_RE.sub(" ", text)
        if self._DMARK.search(text):  # else normalize_vi changes nothing
            text = NGram.normalize_vi(text)
        text = self._SPACES.sub(" ", text[: self.MAX_TEXT_LENGTH])
        non_latin = len(self._NON_LATIN.findall(text))
        if non_latin and _fewer_than(self._LATIN, text, (non_latin + 1) // 2):  # Latin letters * 2 < non-Latin
            text = self._LATIN.sub("", text)
        return text

    def _word_ngrams(self, word: str, space_after: bool) -> list[int]:
        """NGram.add_char over ``word`` (and the space after it) from a fresh buffer; known n-grams only (as rows)."""
        known = self._row
        out: list[int] = []
        grams, capital = " ", False
        for ch in word + " " if space_after else word:
            last = grams[-1]
            if last == " ":
                grams, capital = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                if last.isupper():
                    capital = True
            else:
                capital = False
            if capital:
                continue
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                w = grams[-n:]
                if w != " " and w in known:
                    out.append(known[w])
        return out

    def ngrams(self, text: str) -> list[int]:
        """The n-grams langdetect's ``_extract_ngrams`` gives for ``text`` (after :meth:`_prepare`), as profile rows."""
        words = text.translate(self._norm).split(" ")
        if len(self._words) > self.CACHE_WORDS:
            self._words.clear()
        last = words.pop()  # the only word without a space after it
        out = list(chain.from_iterable(map(self._words.__getitem__, words)))  # "" (a leading space) gives []
        return out + self._word_ngrams(last, False)

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(language, probability) above 0.1, best first, as ``Detector.get_probabilities``.

        The random draws are langdetect's (``choice`` over the n-gram sequence, ``gauss`` per
        trial); between two convergence checks (every fifth update) the five updates are one
        numpy expression, multiplied in the same order, each by the weight plus the drawn
        n-gram's profile row (only drawn rows are added to); the normalizing sum is Python's
        left-to-right ``sum`` as in langdetect (numpy's own sum adds in another order), and the
        largest normalized probability is the largest one divided by that sum (division by the
        same positive number keeps the order, to the last bit).
        """
        ngrams = self.ngrams(self._prepare(text))
        if not ngrams:
            raise LangDetectException(0, "No features in text.")
        matrix = self._matrix
        n = len(self.langlist)
        langprob = np.zeros(n)
        rnd = random.Random()
        rnd.seed(self.seed)
        choice = rnd.choice
        for _ in range(self.N_TRIAL):
            alpha = self.ALPHA + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            prob = np.full(n, 1.0 / n) * (weight + matrix[choice(ngrams)])  # i = 0
            i = 0
            while True:
                plist = prob.tolist()
                total = sum(plist)
                prob = prob / total
                if max(plist) / total > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                    break
                a, b, c, d, e = choice(ngrams), choice(ngrams), choice(ngrams), choice(ngrams), choice(ngrams)
                prob = (  # i + 1 ... i + 5
                    prob * (weight + matrix[a]) * (weight + matrix[b]) * (weight + matrix[c]) * (weight + matrix[d]) * (weight + matrix[e])
                )
                i += 5
            langprob = langprob + prob / self.N_TRIAL
        result = [(lang, p) for lang, p in zip(self.langlist, langprob.tolist()) if p > self.PROB_THRESHOLD]
        result.sort(key=lambda lp: lp[1], reverse=True)
        return result


class _SpacedWordNgrams(dict):
    """word -> ``FastDetector._word_ngrams(word, space_after=True)``, filled on first use."""

    def __init__(self, detector: FastDetector) -> None:
        super().__init__()
        self.detector = detector

    def __missing__(self, word: str) -> list[int]:
        got = self[word] = self.detector._word_ngrams(word, True)
        return got


def _fewer_than(pattern: re.Pattern[str], text: str, k: int) -> bool:
    """``len(pattern.findall(text)) < k``, finding at most k matches."""
    return k > 0 and next(islice(pattern.finditer(text), k - 1, None), None) is None


@lru_cache(maxsize=4)
def _fast_detector(seed: int) -> FastDetector:
    return FastDetector(_factory(seed))


@lru_cache(maxsize=1)
def _py3langid() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        raise RuntimeError(
            'language.backend = "py3langid" needs the optional package py3langid (pip install py3langid)'
        ) from None
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model  # 0.4 / 0.3
    return load(MODEL_FILE, norm_probs=True)


def identify(text: str, cfg: LanguageConfig) -> tuple[str, float]:
    """(code, probability) of ``text``; ("und", 0.0) when it is too short or has no features."""
    sample = text[: cfg.sample_chars]
    if _fewer_than(_LETTERS, sample, cfg.min_chars):
        return UNDETERMINED, 0.0
    if cfg.backend == "py3langid":
        code, prob = _py3langid().classify(sample)
        return str(code), round(float(prob), 4)
    try:
        if cfg.fast:
            best = _fast_detector(cfg.seed).probabilities(sample)[0]
        else:
            detector = _factory(cfg.seed).create()
            detector.append(sample)
            top = detector.get_probabilities()[0]
            best = (top.lang, top.prob)
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best[0], round(best[1], 4)


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
