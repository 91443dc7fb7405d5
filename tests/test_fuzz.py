"""Fuzz (hypothesis) over every cleaner with adversarial text: random unicode with control characters,
long runs of punctuation, pipes, dashes, dots, spaces and newlines, repeated tokens, mixed scripts.

Each step of ``cleaners.PIPELINE`` (found at import time), ``cleaners.clean`` as a whole and
``cleaners.html_extract.extract_html`` must not crash, and every document must keep the provenance
invariants of tests/test_properties.py (``check_provenance``). Idempotence is test_properties' business.

LAUNDER_FUZZ_SCALE=10 runs ten times as many examples.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaners
from cleaners import CleanConfig, Document
from cleaners.html_extract import extract_html
from tests import references
from tests.test_properties import check_provenance

CFG = CleanConfig()
SCALE = max(1, int(os.environ.get("LAUNDER_FUZZ_SCALE", "1")))
FUZZ = settings(
    max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# any code point but surrogates (they cannot be read from a file), control characters included
any_char = st.characters(exclude_categories=("Cs",))
controls = st.sampled_from(
    [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u00ad", "\u00a0"]
)
PUNCT = ".|-—–,;:!?'\"“”‘’()[]{}<>/\\*#_=+&%$@~^`…·•"
SCRIPTS = (
    "The council met on Tuesday.",
    "Совет собрался во вторник.",
    "Το συμβούλιο συνεδρίασε την Τρίτη.",
    "المجلس اجتمع يوم الثلاثاء.",
    "議会は火曜日に開かれた。",
    "परिषद की बैठक मंगलवार को हुई।",
    "Der Rat tagte am Dienstag.",
    "Russiaâ€™s cafÃ© â€” Ã©",
    "&amp; &lt;b&gt; &#8211; &pound;",
    "| a | b |\n|---|---|\n| 1 | 2 |",
)
TOKENS = st.sampled_from(
    (
        "the",
        "The",
        "U.S.",
        "Mr.",
        "a.B",
        "word.Word",
        "x,y",
        "1,000",
        "3.14",
        "http://x.y/z",
        "—",
        "|",
        "...",
        "“",
        "”",
        "’s",
        "\n",
        "\n\n",
        " ",
        "\t",
    )
)


@st.composite
def runs(draw: st.DrawFn) -> str:
    """A long run of one piece of punctuation or white space, maybe with a tail."""
    unit = draw(st.sampled_from(list(PUNCT) + [" ", "\n", " \n", "\t", ". ", "| ", "-\n", "a.", "1,", "A.", "x\n"]))
    return unit * draw(st.integers(1, 3000)) + draw(st.sampled_from(("", "x", "\n", " Word.", "a b c")))


@st.composite
def repeated_tokens(draw: st.DrawFn) -> str:
    toks = draw(st.lists(TOKENS, min_size=1, max_size=6))
    sep = draw(st.sampled_from(("", " ", "\n", ", ", ". ")))
    return sep.join(toks * draw(st.integers(1, 300)))


@st.composite
def mixed(draw: st.DrawFn) -> str:
    """Pieces of every kind one after another."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SCRIPTS),
                st.text(any_char, max_size=60),
                st.text(controls, max_size=10),
                st.text(st.sampled_from(PUNCT + " \n"), max_size=80),
                runs(),
                repeated_tokens(),
            ),
            max_size=8,
        )
    )
    return draw(st.sampled_from(("", "\n", " ", "\n\n"))).join(parts)


adversarial = st.one_of(st.text(any_char, max_size=300), runs(), repeated_tokens(), mixed())


def _docs(result: Document | list[Document]) -> list[Document]:
    return result if isinstance(result, list) else [result]


@pytest.mark.parametrize("name,fn", cleaners.PIPELINE, ids=[n for n, _ in cleaners.PIPELINE])
@FUZZ
@given(raw=adversarial)
def test_every_step_survives_adversarial_text(name: str, fn, raw: str) -> None:  # noqa: ANN001
    for doc in _docs(fn(Document.from_text(raw), CFG)):
        assert doc.raw == raw
        check_provenance(doc)


@FUZZ
@given(raw=adversarial)
def test_clean_survives_adversarial_text(raw: str) -> None:
    for doc in cleaners.clean(raw):
        assert doc.raw == raw
        check_provenance(doc)
        assert doc.rejected or doc.text.strip()


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Tag soup: random tags (unclosed, misnested, deeply nested), attributes, entities and adversarial text."""
    tags = (
        "div",
        "p",
        "span",
        "table",
        "tr",
        "td",
        "ul",
        "li",
        "a",
        "b",
        "br",
        "script",
        "style",
        "nav",
        "article",
        "h1",
        "pre",
        "!--",
        "![CDATA[",
    )
    out = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(tags))
        if kind == 0:
            out.append(f"<{tag}>" * draw(st.integers(1, 200)))
        elif kind == 1:
            out.append(f"</{tag}>")
        elif kind == 2:
            out.append(
                f"<{tag} class=\"{draw(st.text(any_char, max_size=10))}\" href='{draw(st.text(any_char, max_size=10))}'>"
            )
        else:
            out.append(draw(adversarial))
    return "".join(out)


@FUZZ
@given(page=html_pages())
def test_extract_html_survives_tag_soup(page: str) -> None:
    body, meta = extract_html(page)
    assert isinstance(body, str) and isinstance(meta, dict)
    for doc in cleaners.clean(body):
        check_provenance(doc)


# ---------------------------------------------------------------- linear-time regressions (benchmarks/adversarial.py)
@pytest.mark.parametrize(
    "text",
    [
        "“" * 10_000 + "”" * 10_000,  # no letter at all: spacing's word scan went quadratic (about 40 s here)
        "Word. " + "!?" * 10_000,  # a long letterless tail after the last word
    ],
    ids=["quotes", "letterless-tail"],
)
def test_spacing_word_scan_is_linear_on_letterless_text(text: str) -> None:
    import time

    from cleaners.spacing import SpacingConfig, normalize_spacing

    start = time.process_time()
    doc = normalize_spacing(Document.from_text(text), SpacingConfig())
    elapsed = time.process_time() - start
    check_provenance(doc)
    assert elapsed < 5, f"{elapsed:.1f} s CPU for {len(text)} characters (linear: well under a second)"


@FUZZ
@given(raw=st.one_of(adversarial, st.sampled_from(SCRIPTS).map(lambda s: (s + " ") * 20)))
def test_spacing_streamed_english_share_decides_as_the_word_list(raw: str) -> None:
    """A large document's English share is counted without a word list (memory): same decision."""
    from cleaners import spacing

    cfg = spacing.SpacingConfig()
    spans = spacing._segments(raw, cfg)
    words = [w.core.lower() for s, e, _ in spans for w in references.words(raw, s, e)]
    expected = bool(words) and sum(w in spacing.ENGLISH_MARKERS for w in words) / len(words) >= cfg.min_english_share
    assert spacing._english_share_ok(raw, spans, cfg) == expected


_OLD_SENT_END = r"""[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9À-Ý])"""  # before the run-start lookbehind


@FUZZ
@given(raw=st.one_of(adversarial, st.text(st.sampled_from('.!?…"”’) \nAa1U.S'), max_size=200)))
def test_sentence_ends_match_where_they_did_before_the_linear_fix(raw: str) -> None:
    import re

    from cleaners import text as text_mod

    assert [m.span() for m in text_mod._SENT_END.finditer(raw)] == [m.span() for m in re.finditer(_OLD_SENT_END, raw)]


def test_iter_sentences_is_linear_on_a_run_of_dots() -> None:
    """'.' * n was quadratic in iter_sentences (3 s at 10k characters, about 30 s here), which strip_boilerplate and passages call."""
    import time

    from cleaners.text import iter_sentences

    start = time.process_time()
    assert [s.text for s in iter_sentences("Dots. " + "." * 30_000 + " End.")] == ["Dots. " + "." * 30_000, "End."]
    elapsed = time.process_time() - start
    assert elapsed < 5, f"{elapsed:.1f} s CPU"
