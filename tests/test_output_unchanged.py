"""Speed-ups do not change the output: every fast path gives what its reference path gives.

The fast paths (issue 6) and their references:

- mojibake: ``looks_bad`` and ``_suspect_lines`` (windows around the skeleton's matches) against
  ftfy's ``is_bad`` on every line (``_ANCHORS = None``, what the step does if a future ftfy's regex
  cannot be windowed);
- spacing: ``_columns`` against ``references.columns`` (words found one by one), ``_punct_tokens``
  against ``references.punct_tokens``,
  the pre-check ``_possible`` against none (every document through the full recasing rules);
- whitespace: ``_PATTERN`` (one character class for the characters a match starts with, each rule
  written as the rest of its match) against the plain alternation of its rules (``references.WHITESPACE_PATTERN``).

The references live in tests/references.py only.

Whole pipeline, fast against reference, on the seeds (../shared/seeds, skipped when absent), the
sample dump raw/ (every file flows.readers finds there) and a few texts written here for the
cases those lack (other scripts, entities, mojibake, URLs).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cleaners import CleanConfig, Document, clean_document, spacing, whitespace
from cleaners.language import LanguageConfig
from cleaners import mojibake
from flows.readers import discover, read_documents

from . import references
from .conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]

# written for this test: cases the seeds and raw/ lack
WRITTEN = [
    "Der Bundestag hat am Donnerstag das Gesetz beschlossen. Die Opposition kündigte Widerstand an.",
    "Москва заявила, что переговоры продолжатся на следующей неделе. https://example.com/ru info@example.com",
    "東京都は月曜日、新しい計画を発表した。ＡＢＣ ﾊﾝｶｸ カタカナ ひらがな",
    "Hà Nội là thủ đô của Việt Nam, thành phố có lịch sử lâu đời và nhiều di tích.",
    "مرحبا بكم في موقعنا الإخباري، حيث ننشر آخر الأخبار من المنطقة والعالم كل يوم.",
    "Ștefan și Țara Românească — “quoted” text… with curly quotes and an ellipsis.",
    "Russiaâ€™s foreign minister said on Tuesday that the talks would go on.\nThe &ldquo;plan&rdquo; stays &amp; grows.\x07",
    "The council met on Monday.The mayor said,however,that the budget was tight. ukraine and Ukraine and Ukraine.",
    "ABC DEF GHI NEWS OK and then some lower case words follow here for the detector",
    "Résumé: café, naïve, façade — “le français” est une langue; «guillemets» et ‘apostrophes’.",
]


def _corpus() -> list[Document]:
    docs = []
    files, _ = discover([str(ROOT / "raw")])
    for f in files:
        _info, items = read_documents(f)
        docs += [d for d in items if isinstance(d, Document)]
    docs += [Document.from_text(t) for t in WRITTEN]
    return docs


def _seed_docs() -> list[Document]:
    files, _ = discover([str(shared_path("seeds"))])
    docs = []
    for f in files:
        _info, items = read_documents(f)
        docs += [d for d in items if isinstance(d, Document)]
    return docs


def _states(docs: list[Document], cfg: CleanConfig) -> list[dict]:
    return [d.to_state() for doc in docs for d in clean_document(doc, cfg)]


def _assert_same_pipeline(docs: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    assert docs
    fast = _states(docs, CleanConfig())
    with monkeypatch.context() as m:
        m.setattr(spacing, "_columns", lambda text, start, end, _mid_after=None: references.columns(text, start, end))
        m.setattr(spacing, "_punct_tokens", references.punct_tokens)
        m.setattr(spacing, "_possible", lambda text, cfg: spacing._ANYTHING)
        m.setattr(whitespace, "_PATTERN", references.WHITESPACE_PATTERN)
        m.setattr(mojibake, "_ANCHORS", None)
        reference = _states(docs, CleanConfig())
    assert len(fast) == len(reference)
    for a, b in zip(fast, reference):
        assert a == b


def test_pipeline_fast_equals_reference_on_raw(monkeypatch):
    _assert_same_pipeline(_corpus(), monkeypatch)


def test_pipeline_fast_equals_reference_on_seeds(monkeypatch):
    _assert_same_pipeline(_seed_docs(), monkeypatch)


def _slices(texts: list[str], n: int = 400, seed: int = 0) -> list[str]:
    """The texts, their prefixes and random slices of 5-600 characters (short snippets too)."""
    rng = random.Random(seed)
    out = list(texts) + [t[:2000] for t in texts]
    while len(out) < n:
        t = rng.choice(texts)
        a = rng.randrange(len(t))
        out.append(t[a : a + rng.randint(5, 600)])
    return out


def test_words_equal_reference_on_any_range():
    texts = [d.raw for d in _corpus() if d.raw]
    for t in texts:
        for s in range(0, len(t), 61):
            for e in (s + 1, s + 40, s + 333):
                assert references.words(t, s, min(e, len(t))) == references.words_plain(t, s, min(e, len(t)))


def test_language_config_rejects_unknown_backend():
    with pytest.raises(ValueError, match="backend"):
        LanguageConfig(backend="cld3")


def test_looks_bad_equals_is_bad():
    from ftfy.badness import is_bad

    from cleaners.mojibake import _WIDTH, looks_bad

    assert _WIDTH > 0  # the windowed search is in use (else looks_bad is is_bad and this proves nothing)
    texts = [d.raw for d in _corpus() if d.raw]
    # mojibake made here: UTF-8 read as cp1252 / latin-1 / cp1251, at the start, middle and end of lines
    made = []
    for t in texts:
        for line in t.split("\n")[:40]:
            for enc in ("cp1252", "latin-1", "cp1251"):
                try:
                    bad = line.encode("utf-8").decode(enc)
                except UnicodeDecodeError:
                    continue
                made += [bad, "Ã " + line, line + " Â ", line[:30] + bad[30:60]]
    for t in _slices(texts + made, n=3000, seed=2) + [line for text in texts for line in text.split("\n")]:
        assert looks_bad(t) == is_bad(t), t[:80]


@pytest.mark.parametrize("seed", range(3))
def test_looks_bad_equals_is_bad_on_character_soup(seed):
    # short strings of the characters the badness regex's alternatives are made of (every set of its
    # skeletons), ASCII letters, spaces and punctuation, about half of them bad: the windows around
    # the skeleton matches must hold every match (windows one character too narrow fail this)
    import re

    from ftfy.badness import is_bad

    from cleaners.mojibake import _SKELETON, looks_bad

    classes = re.findall(r"\[((?:\\.|[^\]\\])+)\]", _SKELETON)
    chars = sorted({c for cls in classes for c in re.sub(r"\\(.)", r"\1", cls)})
    # and pieces of the longer alternatives (Windows-1251/1253/1257 and Arabic mojibake)
    pieces = ["ГўВЂВ", "вЂ", "β€", "ā€", "‚Ä", "ØÙ", "ÙØ", "Â ", "Ã ", "×²", "√±", "é", "“", "”", "’", "в", "В"]
    alphabet = chars + list("aZx .,?!'\"-\n") * 40 + pieces * 5
    rng = random.Random(seed)
    for _ in range(20_000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert looks_bad(t) == is_bad(t), repr(t)


def test_suspect_lines_hold_every_line_the_step_tests_bad():
    # fix_mojibake (fast) tests only the lines _suspect_lines gives: every line that fails the test
    # (_SUSPECT or looks_bad on the line alone) must be among them, as iter_lines gives it
    from cleaners.mojibake import _SUSPECT, _suspect_lines, looks_bad
    from cleaners.text import iter_lines

    texts = [d.raw for d in _corpus() if d.raw] + WRITTEN
    made = []
    for t in texts:
        for line in t.split("\n")[:40]:
            for enc in ("cp1252", "latin-1", "cp1251"):
                try:
                    made.append(line.encode("utf-8").decode(enc))
                except UnicodeDecodeError:
                    continue
    rng = random.Random(3)
    soup = list("ab \n\n&;#\x07") + ["&amp;", "Ã ", "Â", "â€™", "вЂ", "é", "“", "\n\n"]
    texts += ["\n".join(rng.sample(made, 5)) for _ in range(300)]
    texts += ["".join(rng.choice(soup) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for t in texts:
        suspect = list(_suspect_lines(t))
        assert len(set(suspect)) == len(suspect) and suspect == sorted(suspect, key=lambda s: s.start)
        failing = [ln for ln in iter_lines(t) if ln.text and (_SUSPECT.search(ln.text) or looks_bad(ln.text))]
        assert set(failing) <= set(suspect), repr(t[:80])


def test_whitespace_pattern_and_punct_tokens_equal_reference():
    texts = [d.raw for d in _corpus() if d.raw]
    texts += [
        "  lead\n \n\n\t x\u200b  y \u00a0\n\n\n\n",
        "\n\nabc\n",
        "\u3000a b  c\t\n",
        " ",
        "\n",
        "a\n \u200b \nb\ufeff",
    ]
    for t in _slices(texts, n=1500, seed=3):
        fast = [(m.span(), m.lastgroup) for m in whitespace._PATTERN.finditer(t)]
        assert fast == [(m.span(), m.lastgroup) for m in references.WHITESPACE_PATTERN.finditer(t)], t[:80]
        assert [m.span() for m in spacing._punct_tokens(t)] == [m.span() for m in references.punct_tokens(t)]


def test_py3langid_backend_is_optional(monkeypatch):
    import sys

    from cleaners import language

    language._py3langid.cache_clear()
    monkeypatch.setitem(sys.modules, "py3langid", None)
    monkeypatch.setitem(sys.modules, "py3langid.langid", None)
    with pytest.raises(RuntimeError, match="pip install py3langid"):
        language.identify(
            "The minister said on Tuesday that the talks would go on.", LanguageConfig(backend="py3langid")
        )
    language._py3langid.cache_clear()


def test_py3langid_backend_when_installed():
    pytest.importorskip("py3langid")
    from cleaners.language import identify

    cfg = LanguageConfig(backend="py3langid")
    assert identify("The minister said on Tuesday that the talks would go on.", cfg)[0] == "en"
    assert identify("Der Bundestag hat am Donnerstag das Gesetz beschlossen.", cfg)[0] == "de"
    assert identify("Hi.", cfg) == ("und", 0.0)


# ---------------------------------------------------------------------------------------------- snapshot
# Rewrites for speed that keep no reference path (a faster loop, a cached lookup) are checked against a
# snapshot: a digest of every output document (text, spans, edits, language, metadata, rejection) for the
# sample dump, the texts above and the seeds. A change of output that is meant (a new rule, a fixed
# bug) updates it on purpose, in the same commit:
#     LAUNDER_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_output_unchanged.py -k snapshot
SNAPSHOT = Path(__file__).with_name("data") / "pipeline_snapshot.json"


def _digests(docs: list[Document]) -> list[str]:
    import hashlib
    import json

    return [
        hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:16]
        for s in _states(docs, CleanConfig())
    ]


@pytest.mark.parametrize("corpus", ["raw", "seeds"])
def test_pipeline_output_matches_snapshot(corpus):
    import json
    import os

    docs = _corpus() if corpus == "raw" else _seed_docs()
    got = _digests(docs)
    stored = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    if os.environ.get("LAUNDER_UPDATE_SNAPSHOT"):
        stored[corpus] = got
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(stored, indent=1) + "\n")
    assert corpus in stored, f"no snapshot for {corpus}: run with LAUNDER_UPDATE_SNAPSHOT=1"
    changed = [i for i, (a, b) in enumerate(zip(got, stored[corpus])) if a != b]
    assert len(got) == len(stored[corpus]) and not changed, (
        f"pipeline output changed for {corpus} (output documents {changed[:10]} of {len(got)}, "
        f"{len(stored[corpus])} in the snapshot); if meant, update the snapshot (see SNAPSHOT above)"
    )


# ---------------------------------------------------------------------------------------------- issue 6, more
# spacing reads words as columns (_columns; references.columns builds them from references.words_plain) and
# visits only the tokens where a space may be missing (_punct_tokens; every token holding , . ? ! before);
# whitespace's _PATTERN passes over the space between two words with a lookaround after its first character.


def _punct_tokens_all(text: str):
    return (tok for tok in spacing._TOKEN.finditer(text) if any(ch in tok.group() for ch in ",.?!"))


def test_pipeline_with_spacing_reference_words_and_tokens(monkeypatch):
    docs = _corpus()
    fast = _states(docs, CleanConfig())
    with monkeypatch.context() as m:
        m.setattr(spacing, "_columns", lambda text, start, end, _mid_after=None: references.columns(text, start, end))
        m.setattr(spacing, "_punct_tokens", _punct_tokens_all)
        m.setattr(spacing, "_possible", lambda text, cfg: spacing._ANYTHING)
        assert _states(docs, CleanConfig()) == fast


def test_columns_equal_reference_on_any_range():
    texts = [d.raw for d in _corpus() if d.raw]
    for t in texts:
        for s in range(0, len(t), 97):
            for e in (s + 1, s + 50, s + 400):
                fast, ref = spacing._columns(t, s, min(e, len(t))), references.columns(t, s, min(e, len(t)))
                n = len(fast.cores)
                assert (fast.cores, fast.mids, fast.gaps[1:n]) == (ref.cores, ref.mids, ref.gaps[1:n])
                assert [(fast.start(i), fast.tainted(i)) for i in range(n)] == [
                    (ref.start(i), ref.tainted(i)) for i in range(n)
                ]


_WS_ALPHABET = " \t\n\u00a0\u2003\u3000\u200b\u00ad\ufeff\rab."


@pytest.mark.parametrize("seed", range(3))
def test_whitespace_step_settles_in_one_call(seed):
    # removing invisible characters can expose new runs: one call passes until nothing changes
    from cleaners.whitespace import WhitespaceConfig, normalize_whitespace

    rng = random.Random(seed)
    pieces = [
        "\n",
        " ",
        "\u200b",
        "\u00ad",
        "\t",
        "x",
        "\u00a0",
        "\n\n",
        "  ",
        "\u200b\u200b",
        "\n \n",
        "y.",
        "\u2009",
        "\r",
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    if seed == 0:
        texts += [d.raw for d in _corpus()]
    for cfg in (WhitespaceConfig(), WhitespaceConfig(disabled_rules=("whitespace:runs",))):
        for t in texts:
            once = normalize_whitespace(Document.from_text(t), cfg)
            assert normalize_whitespace(once, cfg) is once, repr(t)


@pytest.mark.parametrize("seed", range(3))
def test_whitespace_pattern_equals_reference_on_whitespace_soup(seed):
    rng = random.Random(seed)
    for _ in range(20_000):
        t = "".join(rng.choice(_WS_ALPHABET) for _ in range(rng.randint(0, 16)))
        fast = [(m.span(), m.lastgroup) for m in whitespace._PATTERN.finditer(t)]
        assert fast == [(m.span(), m.lastgroup) for m in references.WHITESPACE_PATTERN.finditer(t)], repr(t)
