"""language: launder's FastDetector against langdetect itself on made-up text aimed at its shortcuts.

The shortcuts (issue 6): the e-mail and Vietnamese normalizations skipped when their regex cannot
match, Latin letters counted only as far as the Latin/non-Latin comparison needs, letters counted
only up to ``min_chars``, the profile weights computed only for the drawn n-grams.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.language import _LETTERS, LanguageConfig, _fewer_than, identify

from .test_output_unchanged import _fast, _langdetect

PIECES = [
    "the minister said ", "die Regierung hat ", "и правительство ", "правительство сказало ", "東京都は ", "ABC NEWS ",
    "USA ", "a@b.com ", "write to press@example.org now ", "http://example.com/a?b=c ", "Hà Nội ", "Ha\u0300 No\u0323i ",
    "tho\u0302\u0301ng ", "  ", "\n", "123 ", "’", "— ", "Ελλάδα ", "x", "Q", "é", "\u0301",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_fast_detector_equals_langdetect_on_made_up_text(text):
    assert _fast(text) == _langdetect(text)


@pytest.mark.parametrize("odd", [0, 1])
@pytest.mark.parametrize("latin", range(0, 9))
def test_latin_removal_threshold_as_langdetect(latin, odd):
    """Latin letters are dropped when twice their number is below the non-Latin count: around the boundary."""
    text = "правда " + "x" * latin + " " + "мир" * 2 + "ы" * odd  # 12 or 13 non-Latin characters
    assert _fast(text) == _langdetect(text)


def test_fewer_than_counts_like_findall():
    rng = random.Random(0)
    pattern = re.compile(r"[^\W\d_]")
    for _ in range(3000):
        t = "".join(rng.choice("ab 1_é.\n") for _ in range(rng.randint(0, 30)))
        for k in (-1, 0, 1, 2, 5, 20):
            assert _fewer_than(pattern, t, k) == (len(pattern.findall(t)) < k)
    assert _fewer_than(_LETTERS, "a" * 19, 20) and not _fewer_than(_LETTERS, "a" * 20, 20)


def test_min_chars_boundary():
    cfg = LanguageConfig()
    assert identify("a1 " * (cfg.min_chars - 1), cfg) == ("und", 0.0)
    assert identify("The minister said on Tuesday that the talks would go on.", cfg)[0] == "en"


@pytest.mark.parametrize("seed", [0, 7])
def test_precomputed_stream_is_pythons_mersenne_twister(seed):
    """_mt_stream is random.Random(seed)'s 32-bit outputs; choice and gauss read off it as CPython's do."""
    from cleaners.language import _mt_stream

    stream = _mt_stream(seed)
    rnd = random.Random(seed)
    assert stream[:2000].tolist() == [rnd.getrandbits(32) for _ in range(2000)]
    assert not stream.flags.writeable
    for n in (1, 2, 3, 4, 5, 7, 8, 1000, 1024, 1025, 4125, 65536):
        k = n.bit_length()
        drawn = [int(w) >> (32 - k) for w in stream[:3000] if int(w) >> (32 - k) < n]
        rnd = random.Random(seed)
        assert [rnd.choice(range(n)) for _ in range(len(drawn))] == drawn, n


def test_trials_equal_python_random_draws():
    """FastDetector._trials (the precomputed stream) against _trials_reference (random.Random) to the last bit."""
    from cleaners.language import _fast_detector

    det = _fast_detector(0)
    rng = random.Random(3)
    words = "the minister said talks would go on und die Regierung hat правительство сказало".split()
    for size in (1, 2, 3, 4, 8, 30, 200, 1000):
        ngrams = np.array([rng.randrange(len(det.langlist) * 100) for _ in range(size)], dtype=np.int32)
        assert (det._trials(ngrams) == det._trials_reference(ngrams)).all(), size
        text = " ".join(rng.choice(words) for _ in range(size))
        got = det.ngrams(det._prepare(text))
        assert (det._trials(got) == det._trials_reference(got)).all(), text[:80]


def test_trials_past_the_stream_fall_back(monkeypatch):
    """A stream too short for a trial: the Python draws (same answer); a window too short: it is widened."""
    from cleaners import language

    det = language.FastDetector(language._factory(0))
    text = "The minister said on Tuesday that the talks would go on. " * 20
    want = _langdetect(text)
    monkeypatch.setattr(language.FastDetector, "FIRST_WINDOW", 8)
    assert det.probabilities(text) == want
    language._mt_stream.cache_clear()
    monkeypatch.setattr(language.FastDetector, "STREAM_WORDS", 64)
    assert det._trials(det.ngrams(det._prepare(text))) is None
    assert det.probabilities(text) == want
    language._mt_stream.cache_clear()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["ABC", "aBC", "AbC", "Ab ", "ÉTÉ ", "ǅa ", "𝐀𝐁 ", "I", "ıİ "]), max_size=40).map("".join))
def test_ngrams_equal_langdetects(text):
    """FastDetector.ngrams (per-word, cached, joined) gives langdetect's _extract_ngrams, in order."""
    from cleaners.language import _factory, _fast_detector

    det = _fast_detector(0)
    detector = _factory(0).create()
    detector.append(text)
    detector.cleaning_text()
    words = list(det.map)
    assert [words[r] for r in det.ngrams(det._prepare(text)).tolist()] == detector._extract_ngrams()


def test_trials_to_the_iteration_limit_equal_python_random_draws(monkeypatch):
    """Trials that never converge (threshold 1.0) stop at ITERATION_LIMIT as the reference, across chunk boundaries."""
    from cleaners import language

    det = language.FastDetector(language._factory(0))
    monkeypatch.setattr(language.FastDetector, "CONV_THRESHOLD", 1.0)
    texts = ["The minister said on Tuesday that the talks would go on.", "die Regierung hat и правительство ABC NEWS " * 5]
    for limit in (0, 5, 35, 50, 55, 85, 300):
        monkeypatch.setattr(language.FastDetector, "ITERATION_LIMIT", limit)
        for text in texts:
            ngrams = det.ngrams(det._prepare(text))
            assert (det._trials(ngrams) == det._trials_reference(ngrams)).all(), (limit, text)
