"""passage_hashes' one-pass normalization against the per-line reference (iter_blocks + normalize_passage)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.passage_counts import PassageCountsConfig, _line_passages, normalize_passage, passage_hash, passage_hashes
from cleaners.text import iter_blocks


def _reference(text: str, cfg: PassageCountsConfig) -> list[tuple[int, int, int]]:
    out = []
    for b in iter_blocks(text):
        norm = normalize_passage(b.text)
        if len(norm) >= cfg.min_chars:
            out.append((b.start, b.end, passage_hash(norm)))
    return out


ALPHABET = list("aZ9 _-.,\n\t\r|’“”—…«»½²ﬁİßΣς\u0301\u00a0\u2028\u3000\x1c\x85\ud800😀é") + ["Read MORE", "Subscribe"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=60), st.sampled_from([0, 1, 3, 30]))
def test_passage_hashes_is_the_reference(parts, min_chars):
    text = "".join(parts)
    cfg = PassageCountsConfig(min_chars=min_chars)
    assert passage_hashes(text, cfg) == _reference(text, cfg)
    assert _line_passages(text) == [normalize_passage(line) for line in text.split("\n")]


def test_passage_hashes_examples():
    cfg = PassageCountsConfig(min_chars=1)
    for text in ["", "\n", "a\n", "\na", "  Read MORE: “Top stories” — here! \n\nx_y", "Ærø ½ ﬁn\u2028İ\n\n\n"]:
        assert passage_hashes(text, cfg) == _reference(text, cfg)
