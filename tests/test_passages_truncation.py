"""drop_truncated_passages on positive evidence only (issue 12, item 3): what is never a fragment, what is one.

Each drop names its evidence in the edit's detail.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import Document
from cleaners.passages import R_START, PassagesConfig, drop_truncated_passages, truncation_reason

CFG = PassagesConfig()

P1 = "The city council approved the new budget on Thursday after a long debate about the library."
P2 = "Residents who spoke during public comment were split over the extended library hours."
P3 = "The mayor said the vote showed that the council could still find common ground on hard issues."


def kept(lines: list[str]) -> bool:
    doc = Document.from_text("\n".join(lines))
    return drop_truncated_passages(doc, CFG) is doc


def dropped(lines: list[str]) -> list[tuple[str, str]]:
    out = drop_truncated_passages(Document.from_text("\n".join(lines)), CFG)
    return [(e.before.strip(), e.detail) for e in out.edits if e.rule == R_START]


# ------------------------------------------------------------------ never fragments


def test_list_items_kept():
    # the case measured on general web pages: a materials list without a lead ending in ":"
    assert kept([P1, "2 wooden boards", "screws (flat head will probably work best)", "wood glue", "a drill", P2])
    # alone between two paragraphs, a lowercase line that ends no sentence is no fragment either
    assert kept([P1, "screws (flat head will probably work best)", P2])
    # lowercase items in a run, each a sentence
    assert kept(
        [
            P1,
            "peel the potatoes and cut them into small even cubes for the pan.",
            "boil them in salted water for about twenty minutes until they are soft.",
            P2,
        ]
    )
    # bullets and numbers
    assert kept([P1, "- and the library will open on Sundays from next month, the council said.", P2])
    assert kept([P1, "3. the roof of the central library will be repaired before the winter storms.", P2])


def test_capitalized_list_items_with_spaced_initials_kept():
    # a list whose items set their first letter apart ("A dvertise ..."), as in CleanEval page ced-1
    assert kept(
        [
            P1,
            "B ang a sign into your lawn",
            "C reate an ad for the paper (and maybe run it)",
            "D ownload your listing to the MLS",
            P2,
        ]
    )


def test_drop_caps_kept():
    assert kept(
        [
            P1,
            "Z imbabwean intelligence reports seen by Reuters suggest that the former chief is in the city.",
            "D espite the lingering admiration for the old leader, there is little public affection now.",
            P2,
        ]
    )


def test_headings_kept():
    assert kept([P1, "Looking Ahead", "looking ahead at the budget", P2])
    assert kept([P1, "What the council decided", P2])


def test_lines_after_a_colon_kept():
    assert kept(
        [
            P1,
            "The council listed three priorities for the coming year:",
            "repairing the roof of the central library before the winter storms arrive.",
            P2,
        ]
    )
    assert kept(
        [
            P1,
            "Here is what the mayor said about it:",
            "the vote showed that the council could still find common ground on hard issues.",
            P2,
        ]
    )


@pytest.mark.parametrize(
    "line",
    [
        "Residents who spoke during public comment were split over the extended library hours.",
        "Ding Liren won the game after a long defence in the final round of the match in Astana.",
        "Owing to the complexity of these products, the surgeon typically makes or influences the choice.",
        "Ere introducing the scrivener, as he first appeared to me, it is fit I make some mention of myself.",
        "Had I known about the vote, I would have spoken at the meeting on the library hours myself.",
        "Should you need help with the form, the library staff can assist you at the front desk.",
        "I was watching my local news last week, and one of the stories reported was about the library.",
        "A man who lives near the library said the new hours would help students after school.",
    ],
)
def test_complete_capitalized_sentences_kept(line):
    assert truncation_reason(line, P1, CFG, strict=True) == ""
    assert kept([P1, line, P2])


def test_lowercase_writer_kept():
    # a forum or blog written in lowercase: its paragraphs' own sentences start in lowercase
    line = "he's right. the council has lots of room for improvement. we do a lot of things quite well."
    assert kept([P1, line, P2])
    assert kept([P1, "not knowing who all is riding for the teams, i'll go with the favourite.", P2])


def test_forum_posts_under_names_kept():
    post1 = "when the council met on tuesday the library hours were the only thing anyone talked about."
    post2 = "ok I just read most of the thread, and having just been to the meeting I agree with all of it."
    assert kept([P1, "Posted by Anna", post1, "Posted by Marek", post2, P2])


def test_identifiers_and_labels_kept():
    assert kept([P1, "dev-repo is your local machine, with the merge tools and editors configured as you like.", P2])
    assert kept([P1, "apachelogger: the release is out, and the library builds are on the mirror already.", P2])


def test_name_used_elsewhere_kept():
    # "Ington" is the tail of "Washington", but this document uses it as a name inside a sentence
    line = "Ington asked the council for comment and will update this post if officials respond."
    assert truncation_reason(line, P1, CFG, strict=True) == "starts with a word fragment 'Ington'"
    assert kept([P1, "The report first appeared in the blog of Ington and was picked up by the paper.", line, P2])


def test_short_non_word_before_a_verb_kept():
    # "Ars" is the tail of "years" and no word, but before "is" it is rather a name (Ars Technica)
    line = "Ars is asking the council for comment and will update this post if officials respond."
    assert truncation_reason(line, P1, CFG, strict=True) == ""
    assert kept([P1, line, P2])


# ------------------------------------------------------------------ fragments, each with its evidence


@pytest.mark.parametrize(
    "cut, detail",
    [
        (
            "ontacted by Reuters, the council said it would publish the full budget on Friday.",
            "starts in lowercase, mid-word: 'ontacted'",
        ),
        (
            "Ncluding the mayor, who said the vote showed that the council could still agree.",
            "starts with a word fragment 'Ncluding'",
        ),
        ("the coming weeks will be critical as leaders weigh their options for the region.", "starts in lowercase"),
        ("and the library will open on Sundays from next month, the council said on Friday.", "starts in lowercase"),
        (
            "S the council said the budget would be balanced by the end of the year, as promised.",
            "starts with a lone letter 'S' before 'the'",
        ),
        (
            "Was held in the council chamber, and the council voted for the budget with a clear majority.",
            "starts with 'Was' in a statement",
        ),
        (
            "Themselves in the debate, the residents were split over the extended library hours.",
            "starts with 'Themselves', which starts no sentence",
        ),
        (
            "Said the vote showed that the council could still find common ground,” the mayor told us.",
            "starts with 'Said', which starts no sentence",
        ),
        (
            "Find common ground on hard issues,” the mayor said after the vote on Thursday evening.",
            "cut inside a quotation or parenthesis: 'Find common ground on hard issues,”'",
        ),
    ],
)
def test_fragments_dropped_with_their_evidence(cut, detail):
    assert dropped([P1, cut, P2]) == [(cut, detail)]


@pytest.mark.parametrize(
    "cut, detail",
    [
        ("N, the default settings were kept by the council for the rest of the year.", "before a comma"),
        ("T Volker shifted his own account of the meeting to say the council had voted.", "before 'Volker'"),
        ("Nse Secretary Mark Esper said on Wednesday that the council had voted.", "word fragment 'Nse'"),
        ("Bble's detection of the budget gap came as a surprise to the council.", "word fragment 'Bble'"),
        # too short to hold three function words: English by the document's prose
        ("Ncy nearly $449,000 so far this year, he said.", "word fragment 'Ncy'"),
    ],
)
def test_capitalized_fragments_without_a_lowercase_word_after_them_dropped(cut, detail):
    [(line, why)] = dropped([P1, P3, cut, P2])
    assert line == cut and why.endswith(detail)


@pytest.mark.parametrize(
    "cut",
    [
        "Ected 5,200 pounds of water to flow past the dam each second, the council said on Friday.",
        "Ional-scale heft, creating the largest library in the state, the council said on Friday.",
        "Cluding — as the council said on Friday — the library and the two pools in the park.",
    ],
)
def test_tail_of_a_word_of_four_letters_or_more_is_a_fragment_whatever_follows_it(cut):
    # no word, but the tail of common words ("expected", "national", "including"): before a number, a hyphen,
    # a dash as much as before a lowercase word
    [(line, why)] = dropped([P1, P3, cut, P2])
    assert line == cut and why == f"starts with a word fragment {cut.split()[0].split('-')[0]!r}"


@pytest.mark.parametrize("first", ["Te", "Ut", "Ch"])
def test_two_letters_far_more_common_as_the_tail_of_words_before_a_word_dropped(first):
    cut = f"{first} the council said the budget would be balanced by the end of the year, as promised."
    assert dropped([P1, P3, cut, P2]) == [(cut, f"starts with a word fragment {first!r}")]


@pytest.mark.parametrize(
    "line",
    [
        "Ow it hurts, the mayor said after the vote, but the council could still find common ground.",  # a word
        "Fe atoms bind to the filter in the new plant, the council said of the water it will buy this year.",
        "Te Papa is the museum the council said it would fund from the budget by the end of the year.",  # a name
        "Ch, the council said the budget would be balanced by the end of the year, as promised.",  # no word after
    ],
)
def test_two_letters_kept_as_a_word_a_name_or_before_no_word(line):
    lines = [P1, P3, line, P2]
    if line.startswith("Te"):
        lines.append("The museum that the council calls Te Papa in its budget opened in 1998.")
    assert kept(lines)


def test_short_line_starting_with_the_capitalized_tail_of_a_word_dropped():
    # shorter than a paragraph (40 characters), so read as a heading unless its first word is no word
    cut = "Ealership said he tried to steal a van."
    assert dropped([P1, P3, cut, P2]) == [(cut, "starts with a word fragment 'Ealership'")]
    assert kept([P1, P3, "Dealership said he tried to steal a van.", P2])


NAMES = "Evelopers Anna Berg, Tom Cole, Maria Diaz, Ivan Petrov, Li Wei and Sam Okafor joined the library team."


def test_tail_of_a_word_before_names_judged_english_by_its_document():
    # the paragraph holds too few function words to be judged English on its own; its document is English
    [(line, why)] = dropped([P1, P3, P2, NAMES, P1.replace("Thursday", "Friday"), P3, P2])
    assert line == NAMES and why == "starts with a word fragment 'Evelopers'"


def test_tail_of_a_word_before_names_kept_in_a_document_that_is_not_english():
    french = "Le conseil municipal a voté le nouveau budget jeudi après un long débat sur la bibliothèque de la ville."
    assert kept([french, french.replace("jeudi", "vendredi"), NAMES, french.replace("jeudi", "lundi")])


def test_labels_of_a_lone_letter_kept():
    # positions in a team's table ("S" for safety) on several lines: labels, not the tails of words
    assert kept([P1, "S Damarious Randall 43 58% 1 tackle (1 combined).", "S Sheldrick Redwine 33 45% 1 tackle.", P2])


@pytest.mark.parametrize(
    "before",
    [
        "The main limitations of the new budget are:",  # a list lead
        "Looking Ahead",  # a heading
    ],
)
def test_tail_of_a_word_is_a_fragment_after_any_line_that_ends_a_word(before):
    cut = "ations, and there is no good replacement for the old library yet, the council said."
    [(line, why)] = dropped([P1, before, cut, P2])
    assert line == cut and "'ations'" in why


def test_tail_of_a_word_kept_after_a_line_broken_inside_a_word():
    # a word split over two lines (a wrap, or an extractor's break at a link): the line goes on the word
    assert kept([P1, "The council said there are many applic", "ations of the new rule for the old library.", P2])


def test_capitalized_word_that_is_the_tail_of_a_word_elsewhere_dropped():
    # "Ding" is a word, but the paragraph's opening occurs earlier in the document after "inclu": a cut copy
    first = "The minister met world leaders, including former U.S. President Donald Trump, in Geneva last week."
    cut = "Ding former U.S. President Donald Trump, to discuss a potential resolution to the conflict."
    assert dropped([first, P1, cut, P2]) == [
        (cut, "starts with a word fragment 'Ding': the tail of 'including' elsewhere in the source")
    ]


def test_lowercase_after_heading_dropped():
    cut = "the coming weeks will be critical as leaders weigh their options for the region."
    assert dropped([P1, "Looking Ahead", cut, P2]) == [(cut, "starts in lowercase after a heading")]


def test_html_line_broken_at_a_link_kept():
    # an extractor broke the paragraph at a link: the lowercase line is the rest of a sentence, not a cut
    from cleaners.document import Source

    rest = "was hardly to be resisted. At all events, I saw that go he would not, so I let him stay."
    html = Source(format="html")
    doc = Document.from_text("\n".join([P1, rest, P2]), html)
    assert drop_truncated_passages(doc, CFG) is doc
    cut = "ontacted by Reuters, the council said it would publish the full budget on Friday."
    out = drop_truncated_passages(Document.from_text("\n".join([P1, cut, P2]), html), CFG)
    assert [e.detail for e in out.edits] == ["starts in lowercase, mid-word: 'ontacted'"]


def test_short_fragment_between_paragraphs_dropped():
    assert dropped([P1, "l sites were out of service.", P2]) == [
        ("l sites were out of service.", "starts in lowercase")
    ]


# ------------------------------------------------------------------ properties

POOL = [
    P1,
    P2,
    P3,
    "Looking Ahead",
    "",
    "| a | b |",
    "Posted by Anna",
    "the coming weeks will be critical as leaders weigh their options for the region.",
    "Ncluding the mayor, who said the vote showed that the council could still agree.",
    "l sites were out of service.",
    "B ang a sign into your lawn",
    "screws (flat head will probably work best)",
    "The council listed three priorities for the coming year:",
    "Was held in the council chamber, and the council voted for the budget with a clear majority.",
    P2 + " Officials said the work would start in",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=10), st.sampled_from(["\n", "\n\n"]))
def test_idempotent_and_only_drops_whole_lines(lines, sep):
    doc = Document.from_text(sep.join(lines))
    once = drop_truncated_passages(doc, CFG)
    assert drop_truncated_passages(once, CFG).text == once.text
    for e in once.edits:
        if e.rule == R_START:
            assert e.detail and e.before.strip() in lines


def test_lone_lowercase_letter_is_a_fragment_but_a_bullet_o_is_kept():
    cut = "t, the public repository is where the council keeps the budget it has voted on."
    [(line, why)] = dropped([P1, "The council set out three steps:", cut, P2])  # (after a colon: no other rule)
    assert line == cut and why == "starts mid-word: 't', the tail of a word"
    # "o" sets list items apart (a bullet typed as a letter), as on a CleanEval page ("o Load: ...")
    item = "o load: anything above four quarters or 3 semesters a year is heavy, below is light."
    assert kept([P1, "The terms the council uses are these:", item, P2])
