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
cost (n-grams are computed once per distinct word and token, cached with the detector; the seeded
random draws are read off the seed's Mersenne Twister outputs, computed once per process; the
probability updates are numpy expressions over the 55 languages at once, five updates in one).
``fast = False`` calls langdetect itself; tests/test_output_unchanged.py and
tests/test_language_fast.py check that both agree.

``backend = "py3langid"`` uses py3langid instead (an optional package with its model inside:
``pip install py3langid``); see benchmarks/language.py for how the two compare.

>>> LanguageConfig(backend="py3langid").backend
'py3langid'
"""

from __future__ import annotations

import random
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from math import cos as _cos
from math import log as _log
from math import pi
from math import sin as _sin
from math import sqrt as _sqrt
from operator import add, and_
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
_TWOPI = 2.0 * pi  # random.TWOPI
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
    computed once per word and kept in a bounded cache, and so are those of a text's tokens
    (between spaces before normalizing, which can turn characters into spaces).
    """

    ALPHA, ALPHA_WIDTH, N_TRIAL = Detector.ALPHA_DEFAULT, Detector.ALPHA_WIDTH, 7
    ITERATION_LIMIT, PROB_THRESHOLD, CONV_THRESHOLD = Detector.ITERATION_LIMIT, Detector.PROB_THRESHOLD, Detector.CONV_THRESHOLD
    BASE_FREQ, MAX_TEXT_LENGTH, CACHE_WORDS, CACHE_TOKENS = Detector.BASE_FREQ, 10000, 200_000, 100_000
    STREAM_WORDS = 1 << 20  # precomputed Mersenne Twister outputs (4 MB): a trial draws at most 10,001 n-grams
    FIRST_WINDOW, FIRST_BLOCKS, NEXT_BLOCKS = 2048, 10, 4  # stream outputs looked at first; blocks gathered first per trial, then at least

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
        self._tokens = _SpacedTokenNgrams(self)
        self._known = {w: i for i, w in enumerate(self.map) if w != " "}  # n-gram -> its row in self._matrix (" " is none)
        self._matrix = np.array(list(self.map.values()), dtype=np.float64)  # the profiles, 87,598 x 55

    def _prepare(self, text: str) -> str:
        text = Detector.URL_RE.sub(" ", text)
        if "@" in text:  # else MAIL_RE cannot match (and trying costs)
            text = Detector.MAIL_RE.sub(" ", text)
        if self._DMARK.search(text):  # else normalize_vi changes nothing
            text = NGram.normalize_vi(text)
        text = text[: self.MAX_TEXT_LENGTH]
        if "  " in text:
            text = self._SPACES.sub(" ", text)
        non_latin = len(self._NON_LATIN.findall(text))
        if non_latin and _fewer_than(self._LATIN, text, (non_latin + 1) // 2):  # Latin letters * 2 < non-Latin
            text = self._LATIN.sub("", text)
        return text

    def _word_ngrams(self, word: str, space_after: bool) -> bytes:
        """NGram.add_char over ``word`` (and the space after it) from a fresh buffer; known n-grams only, as rows (int32).

        After the k-th character of ``" " + word (+ " ")`` the buffer holds its last three (two
        after the first): its 1-, 2- and 3-grams, known ones only (" " is not); none when this
        character and the one before are upper case (langdetect's ``capitalword``).
        """
        if not word:
            return b""
        if not word[1:].islower():  # else no two upper-case letters in a row
            upper = list(map(str.isupper, word))
            if any(map(and_, upper, upper[1:])):
                return array("i", self._word_ngrams_capitals(word, space_after)).tobytes()
        s = " " + word + " " if space_after else " " + word
        two = list(map(add, s, s[1:]))  # the 2-gram after character k (k >= 1) is two[k - 1]
        grams = [s[1], two[0]]  # the first character: no 3-gram
        grams += chain.from_iterable(zip(s[2:], two[1:], map(add, two, s[2:])))
        return array("i", [r for r in map(self._known.get, grams) if r is not None]).tobytes()

    def _word_ngrams_capitals(self, word: str, space_after: bool) -> list[int]:
        """:meth:`_word_ngrams` one character after another as ``NGram.add_char``, as a list (any word)."""
        known = self._known
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

    def ngrams(self, text: str) -> np.ndarray:
        """The n-grams langdetect's ``_extract_ngrams`` gives for ``text`` (after :meth:`_prepare`), as profile rows (int32).

        The rows of a text's space-separated tokens (bytes, cached per token) are joined, not
        copied one by one. Normalizing (a character at a time) may turn characters of a token
        into spaces: a token's rows are those of the words it normalizes to, each followed by a
        space (cached per word).
        """
        tokens = text.split(" ")
        if len(self._tokens) > self.CACHE_TOKENS:
            self._tokens.clear()
        if len(self._words) > self.CACHE_WORDS:
            self._words.clear()
        *words, last = tokens.pop().translate(self._norm).split(" ")  # the last word has no space after it
        parts = list(map(self._tokens.__getitem__, tokens))  # "" (a leading space) gives b""
        parts.extend(map(self._words.__getitem__, words))
        parts.append(self._word_ngrams(last, False))
        return np.frombuffer(b"".join(parts), dtype=np.int32)

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(language, probability) above 0.1, best first, as ``Detector.get_probabilities``."""
        ngrams = self.ngrams(self._prepare(text))
        if not len(ngrams):
            raise LangDetectException(0, "No features in text.")
        langprob = self._trials(ngrams)
        if langprob is None:  # past the precomputed random stream (or no seed): Python's own random draws
            langprob = self._trials_reference(ngrams)
        above = np.flatnonzero(langprob > self.PROB_THRESHOLD).tolist()
        result = [(self.langlist[k], p) for k, p in zip(above, langprob[above].tolist())]
        result.sort(key=lambda lp: lp[1], reverse=True)
        return result

    def _trials(self, ngrams: np.ndarray) -> np.ndarray | None:
        """langdetect's seven trials (the sum of their probabilities / 7), drawing from the seed's precomputed stream.

        The draws: ``Random.choice`` over ``count`` n-grams takes the next 32-bit Mersenne Twister
        output shifted right by ``32 - count.bit_length()``, again while that is ``count`` or more,
        so its draws are the accepted outputs in stream order, found for a window of the stream
        at once (:func:`_mt_stream`); ``gauss`` (at the start of a trial) takes four outputs every
        other call and computes as CPython's. None when the precomputed stream is too short.

        The updates: a trial's draws after its first come in blocks of five (one block between
        two convergence checks). The profile rows of a chunk of blocks are gathered at once into
        ``G`` (blocks x 6 x languages): row 0 of a block gets the normalized probabilities before
        it, rows 1-5 are the weight plus the drawn n-grams' profile rows, and the block's five
        multiplications, in langdetect's order, are one ``np.multiply.reduce`` over that axis (a
        product reduction multiplies row after row). The normalizing sum adds from left to right
        as Python's ``sum`` in langdetect (``np.add.accumulate``; numpy's own sum adds pairwise).
        The convergence test: the largest normalized probability is the largest one divided by
        that sum (division by the same positive number keeps the order, to the last bit); the
        language that was largest last is looked at first: above the threshold, converged; above
        1% of the sum, no other language can be above the threshold, not converged; else all are.
        """
        if self.seed is None or len(ngrams).bit_length() > 32:
            return None
        count, stream = len(ngrams), _mt_stream(self.seed)
        shift = 32 - count.bit_length()
        n = len(self.langlist)
        conv, limit, inv_n = self.CONV_THRESHOLD, self.ITERATION_LIMIT, 1.0 / n
        add_up, divide, multiply_rows = np.add.accumulate, np.divide, np.multiply.reduce
        at = np.flatnonzero((stream[: self.FIRST_WINDOW] >> shift) < count)  # stream positions of the draws
        vals = stream[at] >> shift  # the draws
        pos, gauss_next, best = 0, None, 0  # best: the language that had the largest probability last
        langprob = np.zeros(n)
        for _ in range(self.N_TRIAL):
            if gauss_next is None:  # Random.gauss: two Random.random(), of two outputs each
                if pos + 4 > len(stream):
                    return None
                w0, w1, w2, w3 = stream[pos : pos + 4].tolist()
                x2pi = ((w0 >> 5) * 67108864.0 + (w1 >> 6)) * (1.0 / 9007199254740992.0) * _TWOPI
                g2rad = _sqrt(-2.0 * _log(1.0 - ((w2 >> 5) * 67108864.0 + (w3 >> 6)) * (1.0 / 9007199254740992.0)))
                z, gauss_next = _cos(x2pi) * g2rad, _sin(x2pi) * g2rad
                pos += 4
            else:
                z, gauss_next = gauss_next, None
            weight = (self.ALPHA + (0.0 + z * 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            if weight <= 0.0:  # never (gauss below -10): the quick convergence test needs positive products
                return None
            first = int(at.searchsorted(pos))  # the trial's first draw
            i, blocks = 0, self.FIRST_BLOCKS  # draws after the first, blocks in this chunk
            if first + 1 + 5 * blocks > len(at):
                at, vals = self._draws(stream, shift, count, first + 1 + 5 * blocks)
                if at is None:
                    return None
            G = self._chunk(ngrams, vals[first : first + 1 + 5 * blocks], weight)
            y = G[0, 0]
            y *= inv_n  # 1/n times (weight + the first draw's row)
            while True:
                for block in G:
                    total = add_up(y)[-1]  # Python's sum(y.tolist()): both add from left to right
                    top = y[best]
                    if top / total > conv or i >= limit:
                        break
                    if top <= 0.01 * total:  # else no other language is above conv (they are positive, total ~ their sum)
                        best = int(y.argmax())
                        if y[best] / total > conv:
                            break
                    divide(y, total, block[0])
                    y = multiply_rows(block, 0)
                    i += 5
                else:  # the next chunk (at least one block, as the last state is yet to be checked)
                    blocks = max(1, min(max(self.NEXT_BLOCKS, i // 10), (limit - i + 4) // 5))
                    if first + i + 1 + 5 * blocks > len(at):
                        at, vals = self._draws(stream, shift, count, first + i + 1 + 5 * blocks)
                        if at is None:
                            return None
                    G = self._chunk(ngrams, vals[first + i : first + i + 1 + 5 * blocks], weight)
                    continue
                break
            langprob = langprob + y / total / self.N_TRIAL
            pos = int(at[first + i]) + 1
        return langprob

    def _draws(self, stream: np.ndarray, shift: int, count: int, draws: int) -> tuple[Any, Any]:
        """(stream positions, values) of ``count``'s first ``draws`` draws or more; (None, None) past the stream."""
        window = 2 * self.FIRST_WINDOW
        while True:
            at = np.flatnonzero((stream[:window] >> shift) < count)
            if len(at) >= draws:
                return at, stream[at] >> shift
            if window >= len(stream):
                return None, None
            window *= 2

    def _chunk(self, ngrams: np.ndarray, drawn: np.ndarray, weight: float) -> np.ndarray:
        """``G`` for the draws ``drawn`` (the one before the chunk's first block, then five per block)."""
        G = self._matrix[ngrams[drawn[_slotted(len(drawn) // 5)]]]
        G += weight
        return G

    def _trials_reference(self, ngrams: np.ndarray) -> np.ndarray:
        """:meth:`_trials` with Python's ``random.Random`` draws, one update after another (any stream length)."""
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
                prob = prob * (weight + matrix[a]) * (weight + matrix[b]) * (weight + matrix[c]) * (weight + matrix[d]) * (weight + matrix[e])
                i += 5
            langprob = langprob + prob / self.N_TRIAL
        return langprob


class _SpacedWordNgrams(dict):
    """word -> ``FastDetector._word_ngrams(word, space_after=True)``, filled on first use."""

    def __init__(self, detector: FastDetector) -> None:
        super().__init__()
        self.detector = detector

    def __missing__(self, word: str) -> bytes:
        got = self[word] = self.detector._word_ngrams(word, True)
        return got


@lru_cache(maxsize=4)
def _mt_stream(seed: int) -> np.ndarray:
    """The first ``FastDetector.STREAM_WORDS`` 32-bit outputs of ``random.Random(seed)``'s Mersenne Twister, in order (read-only).

    ``getrandbits(32 * k)`` fills its result from the least significant 32 bits up, one output each.
    """
    words = FastDetector.STREAM_WORDS
    return np.frombuffer(random.Random(seed).getrandbits(32 * words).to_bytes(4 * words, "little"), dtype="<u4")


@lru_cache(maxsize=256)
def _slotted(blocks: int) -> np.ndarray:
    """Indexes into a chunk's draws for ``G``: per block, draw 0 (a slot, but the first block's) and the block's five."""
    k = np.arange(6 * blocks).reshape(blocks, 6)
    k[:, 0] = 0
    k[:, 1:] -= np.arange(blocks)[:, None]  # 6b + j -> 5b + j
    k.flags.writeable = False
    return k


class _SpacedTokenNgrams(dict):
    """text token (between spaces) -> the rows of the words it normalizes to, each with a space after, filled on first use."""

    def __init__(self, detector: FastDetector) -> None:
        super().__init__()
        self.detector = detector

    def __missing__(self, token: str) -> bytes:
        detector = self.detector
        got = self[token] = b"".join(map(detector._words.__getitem__, token.translate(detector._norm).split(" ")))
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
