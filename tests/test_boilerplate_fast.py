"""strip_boilerplate's fast paths give what the plain code they replace gives.

Each fast path is checked against its reference (the straightforward code, kept here) on every
line of the boilerplate bench and the seeds, on lines made to hit the phrase rules, and on
hypothesis-made text with the characters case folding treats specially.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.boilerplate import blocks as block_model
from cleaners.boilerplate import (
    body,
    config,
    data,
    line_rules,
    lines,
    patterns,
    prefilter,
    stopwords,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
CFG = config.BoilerplateConfig()


def _corpus_lines() -> list[str]:
    paths = sorted((SHARED / "bench" / "text-boilerplate" / "raw").glob("*.txt")) + sorted(
        (SHARED / "seeds").glob("*.txt")
    )
    lines = {line for p in paths for line in p.read_text(encoding="utf-8").split("\n") if line.strip()}
    return sorted(lines)


LINES = _corpus_lines()
needs_corpus = pytest.mark.skipif(not LINES, reason="no bench or seed texts next to the repository")

# letters IGNORECASE folds specially (long s, Kelvin sign, dotted and dotless i), word and non-word characters
ODD = [
    "ſ",
    "K",
    "İ",
    "ı",
    "ß",
    "’",
    "'",
    "‘",
    "²",
    "½",
    "Ⅻ",
    "_",
    "é",
    "Σ",
    "ς",
    "ǅ",
    "\u0307",
    "\u00a0",
    "\u2028",
    "\t",
]


def _made_lines(n: int, seed: int) -> list[str]:
    """Lines built from the words of the phrase rules, in any case, with odd characters and punctuation."""
    rng = random.Random(seed)
    words = sorted({w for ps in data.PATTERNS.values() for p in ps for w in re.findall(r"[a-z]+", p)})
    noise = list("abcdeiklmnoprstuwy ABCDEIKLMNOPRSTUWY:.,!?()[]©0123456789-|") + ODD
    out = []
    for _ in range(n):
        t = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        t = "".join(rng.choice(noise) if rng.random() < 0.08 else (c.upper() if rng.random() < 0.3 else c) for c in t)
        if rng.random() < 0.3:
            t += rng.choice(
                [
                    " (AP Photo/Jane Doe)",
                    " [Getty Images]",
                    " Credit: Reuters",
                    ")",
                    " All Rights Reserved",
                    " SEPT. 3, 2021",
                    " 12:30",
                    " https://example.org/x",
                    " www.example.org",
                    " 3 4 5.5 -6 (7)",
                ]
            )
        out.append(t)
    return out


MADE = _made_lines(3000, 7)
text_st = st.text(alphabet=st.sampled_from(list("aAcCeEiIkKoOsStT rdp.,:;()[]'-0123") + ODD), max_size=60)


# ------------------------------------------------------------------ references (the plain code)


def ref_words(t: str) -> tuple[str, ...]:
    return tuple([w.lower() for w in patterns._WORD.findall(t)])


_REF_CHAINS: dict[int, list[tuple[str, re.Pattern[str]]]] = {}


def ref_chain_rule(chain: prefilter._Chain, t: str) -> str | None:
    """The rules of a chain tried one by one, each as its plain pattern (no guards, no prefilter)."""
    parts = _REF_CHAINS.get(id(chain))
    if parts is None:
        parts = _REF_CHAINS[id(chain)] = [
            (r, re.compile("|".join(f"(?:{a})" for a in alts), re.I)) for r, alts in chain.parts
        ]
    for rule, pat in parts:
        if pat.match(t):
            return rule
    return None


def check_line(line: str) -> None:
    t = line.strip()
    words = lines._words(t.split())
    assert words == ref_words(t), t
    assert lines._title_words(t, words) == frozenset(patterns._WORD.findall(t.lower())), t
    if not t:
        return
    tl = prefilter._lowered(t)
    rules = line_rules._rules(CFG)
    for chain in rules.chains.values():
        assert chain.match(t, tl) == ref_chain_rule(chain, t), t
    if len(data._COOKIE_WORD.findall(t)) >= 2:
        assert prefilter._may_match(prefilter._COOKIE_WORD_NEEDS, tl), t
    assert line_rules._is_date_line(t, tl=tl) == line_rules._is_date_line(t), t
    if patterns._NAME_URL.match(t):
        assert prefilter._may_match(prefilter._NAME_URL_NEEDS, tl), t
    assert line_rules._numeric_row(t.split(), CFG, t) == line_rules._numeric_row(t.split(), CFG), t
    extra = lines._Memo(CFG).extra
    sentence_rule = re.compile("|".join(p.pattern for p in (data._CTA, extra) if p is not None), re.I)
    may_hold = any(sentence_rule.match(t, m.start()) for m in re.finditer(r"(?:^|(?<=\s))\S", t))
    assert lines._line_features(line, rules).cta or not may_hold, t  # (the literals the sentence rules need)


# ------------------------------------------------------------------ the checks


@needs_corpus
def test_line_fast_paths_on_bench_and_seed_lines():
    for line in LINES:
        check_line(line)


def test_line_fast_paths_on_made_lines():
    hits = 0
    rules = line_rules._rules(CFG)
    for line in MADE:
        check_line(line)
        hits += rules.chains[(True, True, True)].match(line.strip(), prefilter._lowered(line.strip())) is not None
    assert hits > 300  # (the made lines hit the rules often)


@settings(max_examples=300, deadline=None)
@given(text_st)
def test_line_fast_paths_on_any_text(t):
    check_line(t)


def test_token_edges_take_no_part_of_a_word():
    assert not re.search(r"[^\W\d_]|['’]", lines._TOKEN_EDGES)
    assert not any(c.isspace() for c in lines._TOKEN_EDGES)


def test_letters_and_whitespace_as_word_regex_sees_them():
    """str.isalpha letters are _WORD letters; str.split whitespace is never part of a word (all of Unicode)."""
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    letters = "".join(c for c in chars if c.isalpha())
    assert re.fullmatch(r"[^\W\d_]*", letters)
    spaces = "".join(c for c in chars if c.isspace())
    assert re.fullmatch(r"\s*", spaces) and not re.search(r"[^\W\d_]|['’]", spaces)


def test_folds_to_ascii_are_all_the_odd_folds():
    """_lowered is sound only if _FOLDS_TO_ASCII holds every non-ASCII character IGNORECASE matches with an ASCII one."""
    chars = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    odd = set(re.findall(r"(?i)[\x00-\x7f]", chars))
    assert odd == set(prefilter._FOLDS_TO_ASCII.pattern.strip("[]")) == {"\u0130", "\u0131", "\u017f", "\u212a"}


def test_stop_language_judges_the_first_5000_words():
    """The language is the stop-word list with most hits per word in the first 5000 words, however the lines split them."""
    rules = line_rules._rules(CFG)
    langs = list(data.STOPWORDS)
    en, de = langs.index("en"), langs.index("de")
    english = [lines._line_features("the cat and the dog of the house", rules)] * 700  # 5600 words
    german = lines._line_features(" ".join(["der", "und", "die", "das"] * 250), rules)
    assert stopwords._stop_language(english, "x", CFG) == en
    assert stopwords._stop_language([german] + english, "x", CFG) == en  # 1000 German words, then English
    assert stopwords._stop_language(english[:1] + [german] * 6, "x", CFG) == de  # the German line ends past the budget
    assert stopwords._stop_language([lines._line_features("qq zz ww", rules)], "x", CFG) is None  # no stop word


def test_lowercasing_keeps_words_but_for_two_letters():
    """_title_words relies on str.lower mapping each other character to one of the same kind for _WORD."""

    def kind(c: str) -> int:
        return 1 if re.fullmatch(r"[^\W\d_]", c) else 2 if c in "'’" else 0

    odd = set()
    for i in range(sys.maxunicode + 1):
        c = chr(i)
        if not 0xD800 <= i < 0xE000 and c.lower() != c and (len(c.lower()) != 1 or kind(c.lower()) != kind(c)):
            odd.add(c)
    assert odd | {"Σ"} == set(lines._LOWER_CHANGES_WORDS)  # (Σ: its lowercase depends on the letters around it)
    assert lines._title_words("ΟΔΟΣ.ΑΒ", lines._words(["ΟΔΟΣ.ΑΒ"])) == frozenset(
        patterns._WORD.findall("ΟΔΟΣ.ΑΒ".lower())
    )


def test_needs_read_from_patterns():
    assert prefilter._needs_of(r".{0,400}?\bcredits?:\s*[^.!?]{1,60}$", re.I) == (("credit",), (":",))
    assert prefilter._needs_of(r"(?:a|bc)d", re.I) == (("a", "bc"), ("d",))
    assert prefilter._needs_of(r"(?:a|b?)cd", re.I) == (
        ("cd",),
    )  # an alternative that may be empty: nothing from the group
    assert prefilter._needs_of(r"(?-i:AP|EPA)x", re.I) == (("x",),)  # flags of its own: nothing from the group
    assert prefilter._needs_of(r"x*[^a]", re.I) == ()
    assert prefilter._needs_of(r"\bcookies?\b", re.I) == (("cookie",),)
    assert prefilter._needs_of(r"(?:comment|comment below|x comment)", re.I) == (("comment",),)
    assert len(prefilter._MONTH_NEEDS) == 12


@needs_corpus
def test_needs_never_reject_a_match_of_a_phrase_rule():
    """For each phrase rule and each line it matches, the line has the rule's literals."""
    found = 0
    for p in {p for ps in data.PATTERNS.values() for p in ps}:
        needs, pat = prefilter._needs_of(p, re.IGNORECASE), re.compile(p, re.IGNORECASE)
        if not needs:
            continue
        for t in LINES + MADE:
            t = t.strip()
            if pat.match(t):
                found += 1
                assert prefilter._may_match(needs, prefilter._lowered(t)), (p, t)
    assert found > 1000


@settings(max_examples=300, deadline=None)
@given(text_st)
def test_needs_never_reject_a_match_on_any_text(t):
    for p in (
        r".{0,400}?\bcredits?:\s*[^.!?]{1,60}$",
        r"[^.!?]{0,80}\b(?:getty|istock)\b",
        r"\bcookies?\b",
        r"(?:a|bc)d",
        "sk",
    ):
        if re.search(p, t, re.IGNORECASE):
            assert prefilter._may_match(prefilter._needs_of(p, re.IGNORECASE), prefilter._lowered(t))


# ------------------------------------------------------------------ block weights


def ref_alone(blocks, cfg):
    """For each block, _weights' test as first written: no prose block within isolation_window either side."""
    n = len(blocks)
    prose = [b.cls == block_model.GOOD and not b.dup and len(b.text) >= cfg.length_low for b in blocks]
    w = cfg.isolation_window
    return [not any(prose[j] for j in range(max(0, i - w), min(n, i + w + 1)) if j != i) for i in range(n)]


def _random_blocks(rng: random.Random, n: int) -> list:
    rules = ["", "", "", "", "boilerplate:caption", "boilerplate:share", "boilerplate:date-line"]
    out = []
    for i in range(n):
        length = rng.choice([5, 40, 69, 70, 100, 149, 150, 151, 300])
        b = block_model._Block(
            i * 400, i * 400 + length, "x" * length, rng.randint(1, 40), rng.random() * 0.6, rng.random() < 0.5
        )
        b.rule, b.heading, b.table, b.dup = (
            rng.choice(rules),
            rng.random() < 0.3,
            rng.random() < 0.1,
            rng.random() < 0.1,
        )
        out.append(b)
    return out


def test_weights_give_the_isolated_gain_exactly_where_a_prose_block_is_alone():
    rng = random.Random(11)
    for _ in range(400):
        cfg = config.BoilerplateConfig(
            isolation_window=rng.choice([-3, -1, 0, 1, 2, 5]), max_heading_distance=rng.choice([0, 200])
        )
        blocks = _random_blocks(rng, rng.randint(0, 30))
        block_model._classify(blocks, cfg)
        cfg2 = replace(cfg, isolated_gain=0.5)
        weights = body._weights(blocks, cfg2)
        prose = [b.cls == block_model.GOOD and not b.dup and len(b.text) >= cfg.length_low for b in blocks]
        for b, w, alone, p in zip(blocks, weights, ref_alone(blocks, cfg), prose):
            if (
                b.cls == block_model.GOOD
                and not b.table
                and not (b.dup and not b.rule)
                and (len(b.text) >= cfg.length_low or b.punct)
            ):
                assert w == float(len(b.text)) * (0.5 if alone and p else 1.0)
