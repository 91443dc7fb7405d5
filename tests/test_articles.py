"""split_articles: boundaries found from closing lines, titles, leads and fragment starts; headings do not split."""

from __future__ import annotations

import pytest

from cleaners.articles import R_SPLIT, ArticlesConfig, split_articles
from cleaners.document import Document, Source

from .conftest import shared_path

CFG = ArticlesConfig()

LEAD_A = (
    "The city council approved the new budget on Thursday after a long debate about the future of the "
    "central library, which has been closed for repairs since a leak damaged its roof in April."
)
BODY_A = (
    "Residents who spoke during public comment were split over the extended library hours, and several "
    "council members asked for a review of the repair contract before the work can begin next year."
)
LEAD_B = (
    "Heavy rains swept across the coastal towns over the weekend, flooding roads and forcing hundreds of "
    "families to leave their homes as rivers burst their banks after a week of relentless storms."
)
BODY_B = (
    "Emergency crews worked through the night to reinforce the levees while forecasters warned that more "
    "storms could reach the coast by Wednesday, bringing strong winds and another round of flooding."
)
TITLE_A = "City Council Approves Budget After Long Library Debate"
TITLE_B = "Heavy Rains Bring Floods to Coastal Towns Across the Region"


def texts(parts):
    return [p.text for p in parts]


def check_spans(doc: Document) -> None:
    for p in doc.pieces:
        if p.verbatim:
            assert doc.raw[p.raw_start : p.raw_end] == p.text


def two_articles(closing: list[str], title_b: str = TITLE_B) -> str:
    return "\n".join([TITLE_A, LEAD_A, BODY_A, *closing, title_b, LEAD_B, BODY_B])


# ------------------------------------------------------------------ titled boundaries


@pytest.mark.parametrize(
    "closing",
    [
        ["This article is based on reports from the agencies."],
        ["—", "This article is based on reports from the agencies."],
        ["What do you think? Share your thoughts in the comments below."],
        ["For more insights into the council's plans, read the full report on the city's website."],
        ["Source: City of Springfield press office"],
    ],
)
def test_closing_line_then_title_splits(closing):
    doc = Document.from_text(two_articles(closing), Source(path="dump.txt"))
    parts = split_articles(doc, CFG)
    assert len(parts) == 2
    assert [p.metadata.get("title") for p in parts] == [TITLE_A, TITLE_B]
    assert [p.source.part for p in parts] == [0, 1]
    assert parts[0].id != parts[1].id
    assert parts[0].text.endswith(closing[-1])
    assert parts[1].text.startswith(TITLE_B)
    notes = [e for e in parts[1].edits if e.rule == R_SPLIT]
    assert len(notes) == 1 and notes[0].op == "note" and notes[0].before == TITLE_B
    for p in parts:
        check_spans(p)
        assert p.raw == doc.raw


def test_section_heading_without_closing_does_not_split():
    text = "\n".join([TITLE_A, LEAD_A, "Library Repairs Could Take Most of Next Year", BODY_A, LEAD_A])
    doc = Document.from_text(text)
    assert split_articles(doc, CFG) == [doc]


def test_heading_after_rule_line_only_needs_more_signals():
    # a rule line between sections of one article, heading short and on the same topic
    text = "\n".join([TITLE_A, LEAD_A, "___", "The Library Budget", BODY_A + " " + LEAD_A])
    doc = Document.from_text(text)
    assert split_articles(doc, CFG) == [doc]


def test_heading_repeated_in_table_of_contents_does_not_split():
    heading = "What the Council Decided About the Library Repairs"
    text = "\n".join([TITLE_A, heading, LEAD_A, "Read more.", heading, LEAD_B, BODY_B])
    doc = Document.from_text(text)
    assert split_articles(doc, CFG) == [doc]


def test_topic_shift_with_long_title_case_title_splits_without_closing():
    doc = Document.from_text(two_articles([]))
    parts = split_articles(doc, CFG)
    assert [p.metadata.get("title") for p in parts] == [TITLE_A, TITLE_B]


def test_short_sentence_case_title_without_closing_is_not_enough():
    doc = Document.from_text(two_articles([], title_b="Heavy rains flood towns"))
    assert split_articles(doc, CFG) == [doc]


def test_long_sentence_case_title_with_no_shared_words_splits():
    doc = Document.from_text(two_articles([], title_b="Heavy rains bring floods to coastal towns"))
    parts = split_articles(doc, CFG)
    assert [p.metadata.get("title") for p in parts] == [TITLE_A, "Heavy rains bring floods to coastal towns"]


def test_byline_between_title_and_lead_is_allowed():
    text = two_articles(["This article is based on reports from the agencies."]).replace(
        TITLE_B + "\n", TITLE_B + "\nBy Jane Doe\n"
    )
    parts = split_articles(Document.from_text(text), CFG)
    assert [p.metadata.get("title") for p in parts] == [TITLE_A, TITLE_B]


# ------------------------------------------------------------------ headless articles


def test_fragment_start_begins_headless_article():
    fragment = "Ding former U.S. President Donald Trump, to discuss a potential resolution to the conflict. " + BODY_B
    doc = Document.from_text("\n".join([TITLE_A, LEAD_A, BODY_A, fragment, LEAD_B]))
    parts = split_articles(doc, CFG)
    assert len(parts) == 2
    assert parts[1].text.startswith("Ding former")
    assert parts[1].flags == ("truncated-start",)
    assert "title" not in parts[1].metadata
    assert parts[0].flags == ()


def test_lowercase_start_after_closing_begins_headless_article():
    cut = "the storms reached the coast on Sunday, flooding roads and forcing families to leave. " + BODY_B
    doc = Document.from_text(
        "\n".join([TITLE_A, LEAD_A, BODY_A, "This article is based on reports from the agencies.", cut, LEAD_B])
    )
    parts = split_articles(doc, CFG)
    assert len(parts) == 2 and parts[1].flags == ("truncated-start",)


def test_lowercase_start_without_closing_does_not_split():
    cut = "the storms reached the coast on Sunday, flooding roads and forcing families to leave. " + BODY_A
    doc = Document.from_text("\n".join([TITLE_A, LEAD_A, BODY_A, cut, LEAD_A]))
    assert split_articles(doc, CFG) == [doc]


# ------------------------------------------------------------------ switches, robustness, idempotency


def test_disabled_rule_or_step_returns_doc():
    doc = Document.from_text(two_articles(["This article is based on reports from the agencies."]))
    assert split_articles(doc, ArticlesConfig(enabled=False)) == [doc]
    assert split_articles(doc, ArticlesConfig(disabled_rules=(R_SPLIT,))) == [doc]


def test_parts_are_split_no_further():
    doc = Document.from_text(two_articles(["—", "This article is based on reports from the agencies."]))
    for part in split_articles(doc, CFG):
        assert split_articles(part, CFG) == [part]


def test_earlier_edits_go_to_the_part_they_touched():
    doc = Document.from_text(two_articles(["This article is based on reports from the agencies."]))
    doc = doc.rewrite(0, 4, "CITY", step="test", rule="test:a")
    i = doc.text.index("Emergency")
    doc = doc.rewrite(i, i + 9, "EMERGENCY", step="test", rule="test:b")
    parts = split_articles(doc, CFG)
    assert [[e.rule for e in p.edits] for p in parts] == [["test:a"], ["test:b", R_SPLIT]]
    for p in parts:
        check_spans(p)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "a",
        "—\n—\n—",
        "\u200b",
        "é" * 5000,
        ("Title Case Line Here Again\n" + "x" * 300 + ".\n") * 30,
        "\ud800\n" * 10,
        ("Word " * 20000),
    ],
)
def test_never_crashes(text):
    doc = Document.from_text(text)
    parts = split_articles(doc, CFG)
    assert parts
    for p in parts:
        check_spans(p)


# ------------------------------------------------------------------ seeds


def _seed(prefix: str) -> Document:
    path = next(iter(shared_path("seeds").glob(f"{prefix}_*.txt")))
    return Document.from_text(path.read_text("utf-8"), Source(path=path.name))


SEED_TITLES = [
    "Russia Open to Talks with Trump, Lavrov Praises Former President’s NATO Stance",
    "NATO Opens Door for Ukraine Amid Rising Tensions with Russia",
    "Ukraine Fears a Rapid Agreement Could Favor Russia",
]


@pytest.mark.parametrize(
    "variant",
    ["as-is", "no-cta", "no-source-notes", "blank-lines"],
)
def test_seed_002_four_articles(variant):
    doc = _seed("002")
    text = doc.raw
    if variant == "no-cta":
        text = text.replace(" Share your thoughts in the comments below.", "")
    elif variant == "no-source-notes":
        text = text.replace(" Share your thoughts in the comments below.", "")
        text = text.replace("This article is based on facts from Dagbladet.\n", "")
    elif variant == "blank-lines":
        text = text.replace("\n", "\n\n")
    doc = Document.from_text(text)
    parts = split_articles(doc, CFG)
    assert [p.metadata.get("title") for p in parts] == [*SEED_TITLES, None]
    assert [p.source.part for p in parts] == [0, 1, 2, 3]
    assert [p.flags for p in parts] == [(), (), (), ("truncated-start",)]
    assert parts[3].text.startswith("Ding former")
    for p in parts:
        check_spans(p)
        assert p.text.count("This article is based on facts from Dagbladet.") <= 1
        first = p.text.split("\n", 1)[0]
        assert first not in {
            "Looking Ahead",
            "Key Points at a Glance",
            "Trump’s Role in the Ukraine Crisis",
            "Ukraine’s Concerns Over a Hasty Deal",
        }


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_hold_one_article(prefix):
    doc = _seed(prefix)
    assert split_articles(doc, CFG) == [doc]


def test_random_mixtures_split_once_and_for_all():
    import random

    pool = [
        TITLE_A,
        TITLE_B,
        LEAD_A,
        LEAD_B,
        BODY_A,
        BODY_B,
        "—",
        "Source: the agencies",
        "Budget Lines | 2023 | 2024 |",
        "Looking Ahead",
        "By Jane Doe",
        "Ding former officials, to discuss the end of the storms and the repairs of the library.",
    ]
    rng = random.Random(3)
    for _ in range(150):
        doc = Document.from_text("\n".join(rng.choice(pool) for _ in range(rng.randint(0, 14))))
        parts = split_articles(doc, CFG)
        assert "".join(p.text for p in parts).replace("\n", "") == doc.text.replace("\n", "")
        for p in parts:
            check_spans(p)
            assert split_articles(p, CFG) == [p]


def test_table_row_without_leading_pipe_is_no_title():
    text = two_articles(["—"], title_b="Budget Lines For Parks | 2023 | 2024 |")
    assert all(
        p.metadata.get("title") != "Budget Lines For Parks | 2023 | 2024 |"
        for p in split_articles(Document.from_text(text), CFG)
    )
