"""drop_repeated_passages and drop_truncated_passages: each rule fires where it should and nowhere else."""

from __future__ import annotations

import pytest

from cleaners.document import Document
from cleaners.passages import (
    R_END,
    R_PARAGRAPH,
    R_SENTENCE,
    R_START,
    WORD_ENDINGS,
    PassagesConfig,
    drop_repeated_passages,
    drop_truncated_passages,
    truncation_reason,
)

from .conftest import shared_path

CFG = PassagesConfig()
# every repeat rule on, a lone repeated paragraph dropped: the rules' mechanics (the defaults are tested below)
ALL = PassagesConfig(disabled_rules=(), min_repeat_run=1)

P1 = "The city council approved the new budget on Thursday after a long debate about the library."
P2 = "Residents who spoke during public comment were split over the extended library hours."
P3 = "The mayor said the vote showed that the council could still find common ground on hard issues."
P4 = "Officials expect construction on the new branch to begin in the spring of next year."


def rules(doc: Document) -> list[str]:
    return [e.rule for e in doc.edits]


def check_spans(doc: Document) -> None:
    """Every verbatim piece equals its raw range."""
    for p in doc.pieces:
        if p.verbatim:
            assert doc.raw[p.raw_start : p.raw_end] == p.text


# ------------------------------------------------------------------ repeated paragraphs


def test_repeated_paragraph_dropped_first_kept():
    doc = Document.from_text("\n".join([P1, P2, P1, P3]))
    out = drop_repeated_passages(doc, ALL)
    assert out.text == "\n".join([P1, P2, P3])
    assert rules(out) == [R_PARAGRAPH]
    check_spans(out)


def test_near_repeat_after_normalization_dropped():
    near = "— " + P1.upper().replace(",", "").replace(".", "!")
    out = drop_repeated_passages(Document.from_text("\n".join([P1, P2, near])), ALL)
    assert out.text == "\n".join([P1, P2])
    assert rules(out) == [R_PARAGRAPH]


def test_repeated_last_paragraphs_leave_no_break_or_blank_line():
    doc = Document.from_text("\n\n".join([P1, P2, P1, P2]))
    out = drop_repeated_passages(doc, CFG)
    assert out.text == P1 + "\n\n" + P2
    check_spans(out)


def test_short_headings_and_table_rows_may_repeat():
    text = "\n".join(
        [
            "Looking Ahead",
            P1,
            "| Topic | Details | with enough text in the row to be long |",
            "Looking Ahead",
            P2,
            "| Topic | Details | with enough text in the row to be long |",
        ]
    )
    doc = Document.from_text(text)
    assert drop_repeated_passages(doc, CFG) is doc


def test_distinct_paragraphs_untouched():
    doc = Document.from_text("\n".join([P1, P2, P3, P4]))
    assert drop_repeated_passages(doc, CFG) is doc


# ------------------------------------------------------------------ repeated sentences


def test_repeated_sentence_inside_later_paragraph_dropped():
    doc = Document.from_text(f"{P1} {P2}\n{P3} {P1} {P4}")
    out = drop_repeated_passages(doc, ALL)
    assert out.text == f"{P1} {P2}\n{P3} {P4}"
    assert rules(out) == [R_SENTENCE]


def test_repeated_sentence_at_line_end_dropped_with_its_space():
    out = drop_repeated_passages(Document.from_text(f"{P1}\n{P3} {P1}"), ALL)
    assert out.text == f"{P1}\n{P3}"


def test_line_of_only_repeated_sentences_dropped_whole():
    out = drop_repeated_passages(Document.from_text(f"{P1} {P2}\n{P3}\n{P2} {P1}"), ALL)
    assert out.text == f"{P1} {P2}\n{P3}"
    assert rules(out) == [R_SENTENCE]


def test_short_repeated_sentence_kept():
    doc = Document.from_text(f"Read more. {P1}\nRead more. {P2}")
    assert drop_repeated_passages(doc, CFG) is doc


def test_rules_can_be_disabled():
    doc = Document.from_text("\n".join([P1, P2, P1]))
    assert drop_repeated_passages(doc, PassagesConfig(disabled_rules=(R_PARAGRAPH, R_SENTENCE))) is doc
    assert drop_repeated_passages(doc, PassagesConfig(enabled=False)) is doc
    # with paragraphs off, the sentence rule still catches the copy
    out = drop_repeated_passages(doc, PassagesConfig(disabled_rules=(R_PARAGRAPH,), min_repeat_run=1))
    assert rules(out) == [R_SENTENCE]


# ------------------------------------------------------------------ the defaults: repeats dropped on evidence


def test_lone_repeated_paragraph_kept_by_default():
    # one paragraph said again alone is mostly a pull quote or a reply's quote (issue 12)
    doc = Document.from_text("\n".join([P1, P2, P3, P1, P4]))
    assert drop_repeated_passages(doc, CFG) is doc


def test_repeated_run_of_paragraphs_dropped_by_default():
    doc = Document.from_text("\n".join([P1, P2, P3, P1, P2, P4]))
    out = drop_repeated_passages(doc, CFG)
    assert out.text == "\n".join([P1, P2, P3, P4])
    assert rules(out) == [R_PARAGRAPH, R_PARAGRAPH]
    check_spans(out)


def test_repeated_list_items_kept():
    items = [
        "- 1 scoop protein powder, 1 cup strawberries, 8 oz. unsweetened almond milk",
        "- 2 whole-grain rice cakes, 1 tsp. nut butter and a cup of blueberries",
    ]
    doc = Document.from_text("\n".join(["Monday", *items, P1, "Tuesday", *items, P2]))
    assert drop_repeated_passages(doc, CFG) is doc


def test_repeated_sentence_off_by_default():
    doc = Document.from_text(f"{P1} {P2}\n{P3} {P1} {P4}")
    assert drop_repeated_passages(doc, CFG) is doc


# ------------------------------------------------------------------ truncated start


def test_lowercase_start_after_complete_paragraph_dropped():
    cut = "the coming weeks will be critical as leaders weigh their options for the region."
    out = drop_truncated_passages(Document.from_text("\n".join([P1, cut, P2])), CFG)
    assert out.text == "\n".join([P1, P2])
    assert rules(out) == [R_START]
    assert "truncated-start" not in out.flags  # the first passage is intact


def test_word_fragment_start_dropped():
    cut = "Ncluding former U.S. President Donald Trump, to discuss a potential resolution to the conflict."
    assert truncation_reason(cut, P1, CFG) == "starts with a word fragment 'Ncluding'"
    out = drop_truncated_passages(Document.from_text("\n".join([P1, cut, P2])), CFG)
    assert out.text == "\n".join([P1, P2])


def test_capitalized_fragment_that_is_a_word_kept():
    # "Ding" (of "including") is a word too: alone, no evidence of a cut, so the paragraph stays (precision first);
    # split_articles, which weighs it with other hints, still reads it as a fragment
    cut = "Ding former U.S. President Donald Trump, to discuss a potential resolution to the conflict."
    assert truncation_reason(cut, P1, CFG, strict=True) == ""
    assert truncation_reason(cut, P1, CFG) == "starts with a word fragment 'Ding'"
    doc = Document.from_text("\n".join([P1, cut, P2]))
    assert drop_truncated_passages(doc, CFG) is doc


def test_first_passage_truncated_sets_flag():
    cut = "ing the new budget on Thursday after a long debate about the library and the parks."
    out = drop_truncated_passages(Document.from_text("\n".join([cut, P2, P3])), CFG)
    assert out.text == "\n".join([P2, P3])
    assert out.flags == ("truncated-start",)
    check_spans(out)


@pytest.mark.parametrize(
    "line",
    [
        "As the talks resumed in Geneva, the two sides traded blame over the failed ceasefire.",
        "In a statement, the ministry said the negotiations would continue for the rest of the year.",
        "Ian Smith, the council's treasurer, said the budget would be balanced by the end of the year.",
        "iPhone sales rose in the quarter, the company said, even as the market for phones shrank.",
        "“We will not accept a delay,” the minister told reporters in Moscow on Tuesday evening.",
        "2019 was the year the company decided to move its headquarters out of the city entirely.",
        "(Reuters) — the new rules take effect next month, the regulator said in a statement today.",
    ],
)
def test_intact_starts_kept(line):
    doc = Document.from_text("\n".join([P1, line, P2]))
    assert drop_truncated_passages(doc, CFG) is doc


def test_list_items_after_colon_and_headings_kept():
    text = "\n".join(
        [
            P1,
            "The council listed three priorities for the coming year:",
            "repairing the roof of the central library before the winter storms arrive.",
            "extending the opening hours of the branches in the northern districts.",
            "Looking Ahead",
            "looking ahead",
            P2,
        ]
    )
    doc = Document.from_text(text)
    assert drop_truncated_passages(doc, CFG) is doc


def test_lowercase_after_line_broken_mid_sentence_kept():
    text = "\n".join(
        [
            P1,
            "You will want to decide on your business name and your brand",
            "tagline, select your brand colors, and choose your brand fonts.",
            P2,
        ]
    )
    doc = Document.from_text(text)
    assert drop_truncated_passages(doc, CFG) is doc


def test_fragment_rule_needs_english_prose_and_a_tail_that_is_no_word():
    assert truncation_reason("Unter dem Motto der Woche stand die Stadt ganz im Zeichen der Musik.", P1, CFG) == ""
    assert (
        truncation_reason("Ding Liren won the game after a long defence in the final round of the match.", P1, CFG)
        == ""
    )
    # a tail that is no word before a capital: the capital is the sentence going on, not a name after a name;
    # but split_articles (not strict), which has no document to tell names by, takes only a lowercase word after
    line = "Ncluding Liren, the players won the games after a long defence in the final."
    assert truncation_reason(line, P1, CFG) == ""
    assert truncation_reason(line, P1, CFG, strict=True).startswith("starts with a word fragment 'Ncluding'")
    assert "ncluding" in WORD_ENDINGS and "ontacted" in WORD_ENDINGS
    for word in ("the", "as", "ding", "owing", "ere"):
        assert word not in WORD_ENDINGS


def test_only_prose_passage_never_dropped():
    doc = Document.from_text("the council approved the new budget on Thursday after a long debate.")
    assert drop_truncated_passages(doc, CFG) is doc


# ------------------------------------------------------------------ truncated end


def test_last_paragraph_cut_mid_sentence_trimmed():
    last = P3 + " Officials said the construction of the new branch would begin in the spring and the"
    out = drop_truncated_passages(Document.from_text("\n".join([P1, P2, last])), CFG)
    assert out.text == "\n".join([P1, P2, P3])
    assert rules(out) == [R_END]
    assert "truncated-end" in out.flags
    check_spans(out)


def test_last_paragraph_single_cut_sentence_dropped():
    last = "Officials said the construction of the new branch would begin in the spring of next year, with the"
    out = drop_truncated_passages(Document.from_text("\n".join([P1, P2, last])), CFG)
    assert out.text == "\n".join([P1, P2])
    assert [e.detail for e in out.edits] == ["ends mid-sentence: after 'the'"]
    last = "Officials said the construction of the new branch would begin in the spring of next year, legisla"
    out = drop_truncated_passages(Document.from_text("\n".join([P1, P2, last])), CFG)
    assert [e.detail for e in out.edits] == ["ends mid-word: 'legisla'"]


def test_last_paragraph_without_full_stop_but_no_sign_of_a_cut_kept():
    # the ends of real pages: a caption, a sign-off, an emoji; nothing says they were cut
    for last in (
        "Officials said the construction of the new branch would begin in the spring of next",
        "Some of the lighting installations on show at the festival in the old harbour district – previews",
        "Book your tickets early and come and experience this spectacular traditional arts performance today 🙂",
    ):
        doc = Document.from_text("\n".join([P1, P2, last]))
        assert drop_truncated_passages(doc, CFG) is doc


@pytest.mark.parametrize(
    "last",
    [
        P4,
        "By Tamilla Hasanova",
        "Follow The Daily Planet on Twitter at https://twitter.com/example for the latest news",
        "| Quick Agreement | Russia gains legitimacy, Ukraine loses leverage and more besides |",
        "Here are the highlights of the new models on display this week at the auto show:",
    ],
)
def test_complete_or_non_prose_last_line_kept(last):
    doc = Document.from_text("\n".join([P1, P2, last]))
    assert drop_truncated_passages(doc, CFG) is doc


def test_truncated_rules_can_be_disabled():
    cut = "the coming weeks will be critical as leaders weigh their options for the region."
    doc = Document.from_text("\n".join([P1, cut, P2 + " And then the"]))
    assert drop_truncated_passages(doc, PassagesConfig(disabled_rules=(R_START, R_END))) is doc
    assert rules(drop_truncated_passages(doc, PassagesConfig(disabled_rules=(R_END,)))) == [R_START]


# ------------------------------------------------------------------ robustness and idempotency

WEIRD = [
    "",
    "\n",
    "\n\n\n",
    "a",
    "\u200b\ufeff",
    "ding",
    "the\nthe\nthe",
    "é" * 5000,
    "\ud800 broken surrogate",
    ("x" * 200 + "\n") * 50,
    "\n".join([P1, P1, P1, P1]),
    "\n".join([P1.lower(), P2.lower(), P3.lower()]),
    "| a |\n|---|\n| b |",
    ". . . ! ? …\n" * 20,
    ("Word " * 20000).strip(),
]


@pytest.mark.parametrize("text", WEIRD)
def test_never_crashes_and_idempotent(text):
    doc = Document.from_text(text)
    for fn in (drop_repeated_passages, drop_truncated_passages):
        once = fn(doc, CFG)
        twice = fn(once, CFG)
        assert twice.text == once.text
        check_spans(once)


def test_idempotent_on_mixed_document():
    text = "\n".join(
        [
            "ing the new budget on Thursday after a long debate about the library and the parks.",
            P1,
            "the coming weeks will be critical as leaders weigh their options for the region.",
            P2,
            P1,
            f"{P3} {P2}",
            P4 + " Officials said the work would start in the",
        ]
    )
    once = drop_truncated_passages(drop_repeated_passages(Document.from_text(text), ALL), CFG)
    assert once.text == "\n".join([P1, P2, P3, P4])
    again = drop_truncated_passages(drop_repeated_passages(once, ALL), CFG)
    assert again.text == once.text and again.edits == once.edits


# ------------------------------------------------------------------ seeds


def test_seed_002_truncated_passages_found():
    path = next(iter(shared_path("seeds").glob("002_*.txt")))
    doc = Document.from_text(path.read_text("utf-8"))
    out = drop_truncated_passages(doc, CFG)
    dropped = [e.before for e in out.edits if e.rule == R_START]
    assert any(b.lstrip().startswith("the coming weeks will be critical") for b in dropped)
    # "Ding" is a word, but "...including former U.S. President Donald Trump" occurs earlier in the seed
    assert any(b.lstrip().startswith("Ding former U.S. President") for b in dropped)
    assert len(dropped) == 2
    assert not [e for e in out.edits if e.rule == R_END]


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_lose_no_passage(prefix):
    path = next(iter(shared_path("seeds").glob(f"{prefix}_*.txt")))
    doc = Document.from_text(path.read_text("utf-8"))
    assert drop_truncated_passages(doc, CFG) is doc
    assert drop_repeated_passages(doc, CFG) is doc


def test_lowercase_style_document_kept():
    text = "\n".join([P1.lower(), P2.lower(), P3])
    doc = Document.from_text(text)
    assert drop_truncated_passages(doc, CFG) is doc


POOL = [
    P1,
    P2,
    P3,
    P4,
    "Looking Ahead",
    "",
    "—",
    "| a | b |",
    "the coming weeks will be critical as leaders weigh their options for the region.",
    "Ding former U.S. President Donald Trump, to discuss a potential resolution to the conflict.",
    "The council listed three priorities for the coming year:",
    "repairing the roof of the central library before the winter storms arrive.",
    P2 + " Officials said the work would start in the",
    f"{P3} {P1}",
]


def test_random_mixtures_idempotent():
    import random

    rng = random.Random(7)
    for _ in range(300):
        lines = [rng.choice(POOL) for _ in range(rng.randint(0, 9))]
        doc = Document.from_text(rng.choice(["\n", "\n\n"]).join(lines))
        for fn in (drop_repeated_passages, drop_truncated_passages):
            once = fn(doc, CFG)
            assert fn(once, CFG).text == once.text, lines
            check_spans(once)


def test_interview_questions_and_template_passages_may_recur():
    q = "What inspired you to start cooking for your family and friends at home?"
    intro = "You can vote for this contestant on the last page of the competition."
    text = "\n".join([q, P1, intro, q, P2, intro, q, P3, intro])
    doc = Document.from_text(text)
    assert drop_repeated_passages(doc, CFG) is doc


def test_lines_full_of_numbers_may_recur():
    line = "Portion: 1 Green, 1 Red, 1 Yellow, 2 tsp. of oil and 4 oz. of chicken"
    doc = Document.from_text("\n".join(["Monday", line, P1, "Tuesday", line, P2]))
    assert drop_repeated_passages(doc, CFG) is doc


def test_two_copies_of_a_non_template_passage_still_dropped():
    intro = "You can vote for this contestant on the last page of the competition."
    out = drop_repeated_passages(Document.from_text("\n".join([intro, P1, intro, P2])), ALL)
    assert out.text == "\n".join([intro, P1, P2])


# ------------------------------------------------------------------ speed rewrites (issue 6) keep the results

# characters that stress NFKC and casefolding next to whitespace: combining marks, compatibility spaces,
# spacing accents (NFKC gives a space), ligatures, sharp s, dotted I, sigma, Hangul jamo, fullwidth letters
_TRICKY = [
    chr(c)
    for c in [
        0x300,
        0x301,
        0x327,
        0x345,
        0x36F,
        0xA0,
        0x2000,
        0x2009,
        0x202F,
        0x3000,
        0x1680,
        0x85,
        0x2028,
        0xB4,
        0xA8,
        0x2D8,
        0xB8,
        0xFB01,
        0xDF,
        0x130,
        0x131,
        0x3A3,
        0x3C2,
        0x1E9E,
        0x2160,
        0xBD,
        0xB2,
        0x1100,
        0x1161,
        0x11A8,
        0xAC00,
        0x309A,
        0x304B,
        0xFF21,
        0x2126,
        0x212B,
    ]
]


def test_line_key_is_the_join_of_its_sentence_keys():
    """_ParagraphMemo builds a line's key from its sentences' keys: the same as normalizing the line."""
    import random

    from cleaners.passages import _normalize
    from cleaners.text import iter_sentences

    rng = random.Random(11)
    alphabet = list("abcXYZ 019.?!…\"'”’»)]\t-_,") + _TRICKY + ["Mr.", "U.S.", " A ", ". B", "? “C"]
    texts = [P1, P2, P3] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(30000)]
    for t in texts:
        joined = " ".join(k for k in (_normalize(s.text) for s in iter_sentences(t)) if k)
        assert joined == _normalize(t), repr(t)


def test_digit_tokens_counted_as_the_lazy_pattern_did():
    import random
    import re

    from cleaners.passages import _DIGIT_TOKEN

    lazy = re.compile(r"(?<!\S)\S*?\d")
    rng = random.Random(5)
    for _ in range(30000):
        t = "".join(rng.choice("ab1 2\t.x٣-\u00a0") for _ in range(rng.randint(0, 20)))
        assert len(_DIGIT_TOKEN.findall(t)) == len(lazy.findall(t)), repr(t)


def test_truncated_end_keeps_a_last_line_whose_line_before_is_cut_off_too():
    # found by hypothesis (tests/test_properties.py): dropping the whole last line exposed the line before,
    # itself cut off, and a second run trimmed that: two such lines in a row are a list, both stay
    para = "The city council approved the budget on Tuesday after a long debate."
    doc = Document.from_text(f"{para}\n{para} Spending by department\n{para}\ufeffSpending by department\n")
    once = drop_truncated_passages(doc, PassagesConfig())
    assert once.text == doc.text
    items = "Additional quizzes, surprises and bonuses for the players, so that each game was unique"
    listed = Document.from_text(f"{para}\n{items} and fun\n{items} and unforgettable")
    assert drop_truncated_passages(listed, PassagesConfig()).text == listed.text
    # a lone cut-off last line after a complete one still goes
    cut = Document.from_text(
        f"{para}\n{para}\nThe mayor said on Wednesday that the money would go to the schools, the hospitals and the roads of the"
    )
    out = drop_truncated_passages(cut, PassagesConfig())
    assert out.text == f"{para}\n{para}"
    assert drop_truncated_passages(out, PassagesConfig()).text == out.text


def test_paragraph_repeated_right_after_itself_dropped_by_default():
    doc = Document.from_text("\n".join([P1, P2, P2, P3]))
    out = drop_repeated_passages(doc, CFG)
    assert out.text == "\n".join([P1, P2, P3])
    assert rules(out) == [R_PARAGRAPH]
