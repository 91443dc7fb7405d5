"""language: launder's FastDetector against langdetect itself on made-up text aimed at its shortcuts.

The shortcuts (issue 6): the e-mail and Vietnamese normalizations skipped when their regex cannot
match, Latin letters counted only as far as the Latin/non-Latin comparison needs, letters counted
only up to ``min_chars``, the profile weights computed only for the drawn n-grams.
"""

from __future__ import annotations

import random
import re

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
