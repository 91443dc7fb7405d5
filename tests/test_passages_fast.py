"""The fast paths of cleaners.passages against their references: drop_repeated_passages with and
without the candidate filter (_repeat_candidates), on texts built to repeat passages in many spellings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import passages
from cleaners.document import Document
from cleaners.passages import PassagesConfig, drop_repeated_passages

CONFIGS = [
    PassagesConfig(),
    PassagesConfig(min_paragraph_chars=8, min_sentence_chars=12, template_copies=4),
    PassagesConfig(min_paragraph_chars=1, min_sentence_chars=1),
]

PHRASES = [
    "The talks will resume in Geneva next week, officials said on Monday",
    "the talks WILL resume in geneva next week officials said on monday",
    "Mr. Smith went to the U.S. in 2019",
    "Prices rose 3.5% in May",
    "Café owners in São Paulo said the ﬁnal deal was “fair”",
    "İstanbul Straße ½ price",
    "a\u0301 b\u0308c",
    "«Да», сказал он",
    "We’re here",
    "x_y",
]
SEPS = [". ", "! ", "? ", "… ", ".” ", ".) ", ". ", " ", ", ", "\u00a0", ".\u2028", "? “", " — ", ".. ", ". . ", "。"]


def _text(draw_lines: list[list[tuple[int, int]]], heads: list[str]) -> str:
    lines = []
    for parts, head in zip(draw_lines, heads):
        lines.append(head + "".join(PHRASES[p] + SEPS[s] for p, s in parts))
    return "\n".join(lines)


line_st = st.lists(st.tuples(st.integers(0, len(PHRASES) - 1), st.integers(0, len(SEPS) - 1)), max_size=5)
head_st = st.sampled_from(["", "— ", "| ", "  ", "1. ", "\t", "* "])


def _reference(doc: Document, cfg: PassagesConfig) -> Document:
    """drop_repeated_passages as it was: every line counted (no candidate filter)."""
    orig = passages._repeat_candidates
    passages._repeat_candidates = lambda text, cfg: set(range(text.count("\n") + 1))
    try:
        return drop_repeated_passages(doc, cfg)
    finally:
        passages._repeat_candidates = orig


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line_st, min_size=1, max_size=8), st.lists(head_st, min_size=8, max_size=8), st.integers(0, 2))
def test_candidates_change_nothing(lines, heads, k):
    cfg = CONFIGS[k]
    doc = Document.from_text(_text(lines, heads))
    out, ref = drop_repeated_passages(doc, cfg), _reference(doc, cfg)
    assert out.text == ref.text
    assert out.edits == ref.edits and out.pieces == ref.pieces


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aAbB .!?…\n”’»«_é\u0301ﬁ½İß\u00a0\u2028\u3000|1")), max_size=300),
    st.integers(0, 2),
)
def test_candidates_change_nothing_on_noise(text, k):
    cfg = CONFIGS[k]
    doc = Document.from_text(text)
    out, ref = drop_repeated_passages(doc, cfg), _reference(doc, cfg)
    assert out.text == ref.text and out.edits == ref.edits


@pytest.mark.parametrize("cfg", CONFIGS)
def test_candidates_hold_every_repeated_line(cfg):
    s = "A sentence that is long enough to count as a repeated sentence here"
    text = "\n".join(
        [f"{s}. First.", "Unrelated words fill this line to make it long enough, truly.", f"Second! “{s.upper()}!”"]
    )
    assert {0, 2} <= passages._repeat_candidates(text, cfg)
    assert drop_repeated_passages(Document.from_text(text), cfg).text == _reference(Document.from_text(text), cfg).text
