"""The fast paths of cleaners.articles against their references (the regexes and code they replace)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import articles
from cleaners.articles import _STOP, _WORD, ArticlesConfig, _content_counts, _ends_with, _is_title_like


def _content_counts_ref(text: str) -> Counter[str]:
    counts = Counter(map(str.lower, _WORD.findall(text)))
    for w in [w for w in counts if len(w) < 4 or w in _STOP]:
        del counts[w]
    return counts


WORDS = ["about", "the", "Ministers", "İİ", "İstanbul", "a1b2", "x_y", "it’s", "don't", "well-known", "ab", "said",
         "ĲĲ", "ﬁre", "3rd", "Σσς", "über", "SAID", "_abcd", "a-", "'tis"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", ", ", ". ", "\n", "-", "’", "_", "1", "İ"]), max_size=40))
def test_content_counts_is_the_reference(parts):
    text = "".join(parts)
    got, ref = _content_counts(text), _content_counts_ref(text)
    assert got == ref and list(got) == list(ref)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aİ1_-’' .,é\n\u0130\u00df")), max_size=40))
def test_content_counts_is_the_reference_on_noise(text):
    got, ref = _content_counts(text), _content_counts_ref(text)
    assert got == ref and list(got) == list(ref)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,;:!?…\"'”’»)]([\u00a0\u3000")), max_size=10))
def test_ends_with_is_the_regex(s):
    s = s.strip()
    assert _ends_with(s, ".,;:") == bool(articles._NO_TITLE_END.search(s))
    assert _ends_with(s, ".!?…") == bool(articles._TERMINAL.search(s))


def _is_title_like_ref(line: str, cfg: ArticlesConfig) -> bool:
    s = line.strip()
    if not s or s.startswith("|") or s.endswith("|") or len(s) > cfg.max_title_chars or articles._NO_TITLE_END.search(s):
        return False
    n = len(s.split())
    if not (cfg.min_title_words <= n <= cfg.max_title_words):
        return False
    first = s.lstrip("\"'“‘«(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return sum(1 for _ in articles.iter_sentences(s)) == 1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Heavy", "rains", "U.S.", "Mr.", "|", "“Big", "deal”", "(A", "b)", ".", ":", "9",
                                 "Thank you!", "You", " ", "  ", "end.", "—", "x" * 60]), max_size=12),
       st.integers(0, 1))
def test_is_title_like_is_the_reference(words, k):
    cfg = [ArticlesConfig(), ArticlesConfig(min_title_words=1, max_title_chars=30)][k]
    line = " ".join(words)
    assert _is_title_like(line, cfg) == _is_title_like_ref(line, cfg)
