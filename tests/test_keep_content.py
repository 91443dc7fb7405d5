"""Issue 12: real passages survive on pages that are not one news article.

Pinned cases: the HTML extractor's text passes through the text steps unharmed (no second body
selection: first and last lines, headings and short list items stay), a recipe's short lines, a
multi-post page and a forum thread in ``page`` mode, prose outside the main article kept while a
list of teasers is not, a listing wrapped in a form, content after an early ``</body>``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaners import CleanConfig, clean_document
from cleaners.boilerplate import BoilerplateConfig, strip_boilerplate
from cleaners.document import Document, Source
from cleaners.html_extract import extract_html

HTML = Source(path="page.html", format="html")

PARA = [
    "The city council voted on Monday to expand the bus network, adding four routes that will connect "
    "the northern suburbs with the hospital and the university by the end of next year.",
    "Officials said the plan would cost about twelve million dollars, most of it paid for by a state grant "
    "that was approved in the spring after a long debate in the legislature.",
    "Residents who spoke at the meeting were mostly in favour, although some of them asked why the routes "
    "would not run later in the evening, when many of the nurses finish their shifts.",
    "The mayor said that the council would look again at the timetable once the first routes were running, "
    "and that he expected the buses to be full from the first week.",
]


def _html(body: str, title: str = "Bus network grows") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# ----------------------------------------------------------------------------- the HTML path


def test_extractor_text_passes_through_the_text_steps_unharmed():
    # short lines, a heading, list items and a last line that a body search over text would drop
    text = "\n".join(
        [
            "Bus network grows",
            "Short first line.",
            PARA[0],
            "What changes",
            "- Route 4",
            "- Route 9",
            PARA[1],
            "Updated at noon",
        ]
    )
    doc = Document.from_text(text, HTML)
    out = strip_boilerplate(doc, BoilerplateConfig())
    assert out.text == text
    # the same text read as plain text loses lines: the body search is what the HTML path skips
    plain = strip_boilerplate(Document.from_text(text), BoilerplateConfig())
    assert plain.text != text


def test_html_path_still_drops_lines_a_rule_names():
    text = "\n".join(["Bus network grows", PARA[0], PARA[1], "Leave a Reply", "Please enter your comment!"])
    out = strip_boilerplate(Document.from_text(text, HTML), BoilerplateConfig())
    assert "Leave a Reply" not in out.text and "enter your comment" not in out.text
    assert PARA[1] in out.text
    assert {e.rule for e in out.edits} == {"boilerplate:comment-form"}


def test_recipe_lines_survive_the_whole_pipeline():
    items = ["2 cups flour", "1 tsp salt", "3 eggs", "screws (flat head will probably work best)"]
    body = (
        "<article><h1>Simple bread</h1>"
        f"<p>{PARA[0]}</p><h2>Ingredients</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        f"<h2>Method</h2><p>{PARA[1]}</p><p>{PARA[2]}</p><p>Enjoy.</p></article>"
    )
    text, meta = extract_html(_html(body, "Simple bread"))
    docs = [d for d in clean_document(Document.from_text(text, HTML, metadata=meta)) if not d.rejected]
    kept = "\n".join(d.text for d in docs)
    for line in [*items, "Ingredients", "Method", "Enjoy."]:
        assert line in kept
    assert PARA[0] in kept and PARA[2] in kept


# ----------------------------------------------------------------------------- the extractor


def test_prose_outside_the_chosen_article_is_kept_teasers_are_not():
    article = "<div class='story'>" + "".join(f"<p>{p}</p>" for p in PARA) + "</div>"
    other = (
        "<div class='box'><p>A second section of the page explains, in full sentences, how the routes were chosen "
        "and which neighbourhoods asked for them first.</p></div>"
    )
    teasers = "".join(
        f"<div class='item'><h3><a href='/s{k}'>Another story about the city number {k} today</a></h3>"
        f"<p>A summary of another story that reads like prose, with enough words to look like a paragraph {k}.</p></div>"
        for k in range(3)
    )
    text, _ = extract_html(_html(article + other + teasers))
    assert all(p in text for p in PARA)
    assert "A second section of the page explains" in text
    assert "A summary of another story" not in text


def test_a_listing_wrapped_in_a_form_is_content():
    ads = "".join(
        f"<tr><td><p>GROUNDS KEEPING number {k}: do you have knowledge and interest in lawn, shrub and tree care? "
        f"Then we have the job for you, full time with benefits and a good salary.</p></td></tr>"
        for k in range(6)
    )
    page = _html(f"<form name='cart'><table>{ads}</table></form><form><input name='q'>Search</form>")
    text, _ = extract_html(page)
    assert text.count("GROUNDS KEEPING") == 6
    assert "Search" not in text


def test_content_after_an_early_closing_body_tag_is_read():
    page = "<html><head><title>T</title></head><body><p>x</p></body>" + "".join(f"<p>{p}</p>" for p in PARA) + "</html>"
    text, _ = extract_html(page)
    assert all(p in text for p in PARA)


def test_a_read_more_container_holding_the_story_is_not_chrome():
    body = (
        f"<div class='story'><p>{PARA[0]}</p><div id='read-more'>"
        + "".join(f"<p>{p}</p>" for p in PARA[1:])
        + "</div></div>"
    )
    text, _ = extract_html(_html(body))
    assert all(p in text for p in PARA)


# ----------------------------------------------------------------------------- page mode (text path)

POST_A = [
    "I finally tried the new route this morning and it was faster than driving, which surprised me a lot "
    "because the old bus used to take almost an hour to get across the river.",
    "The drivers were friendly and the bus was clean, although it was already full by the third stop, "
    "so they will need more buses in the morning if this keeps up.",
]
POST_B = [
    "My experience was different: the evening buses still stop far too early, and the nurses at the hospital "
    "cannot use them at all after a late shift, which was the whole point of the plan.",
    "I wrote to the council about the timetable last week and they said they would look at it again, but "
    "nobody could tell me when that would happen or who would decide it.",
]


def _thread() -> str:
    return "\n".join(
        [
            "Forum > Transport > Bus network",
            "Home",
            "Login",
            "anna_k",
            "05-06-2005, 05:28 PM",
            *POST_A,
            "marco",
            "05-06-2005, 05:41 PM",
            *POST_B,
            "Powered by vBulletin",
        ]
    )


def test_forum_thread_keeps_every_post_in_page_mode():
    page_cfg = replace(CleanConfig().boilerplate, mode="page")
    out = strip_boilerplate(Document.from_text(_thread()), page_cfg)
    for p in POST_A + POST_B:
        assert p in out.text
    assert "Login" not in out.text


def test_article_mode_keeps_prose_outside_the_body_without_evidence():
    out = strip_boilerplate(Document.from_text(_thread()), BoilerplateConfig())
    for p in POST_A + POST_B:
        assert p in out.text  # the other post lies outside the one body, but nothing says it is chrome
    assert "Login" not in out.text


SHORT_POSTS = [
    ("bea", "Did anyone else wait an hour at the stop on Friday?"),
    ("chris_77", "Same here. The driver said it was a new timetable."),
    ("dan", "I think they will fix it once the new routes are running."),
]


def _thread_of_short_posts(names: list[str], rank: tuple[str, ...] = ()) -> str:
    lines = [
        "Forum > Transport > Bus network",
        "Home",
        "Login",
        "Pages: 1 2 3",
        "anna_k",
        *rank,
        "05-06-2005, 05:28 PM",
        *POST_A,
    ]
    for k, ((_, post), name) in enumerate(zip(SHORT_POSTS, names)):
        lines += [name, *rank, f"05-06-2005, 06:{10 + k} PM", post]
    return "\n".join([*lines, "Powered by vBulletin"])


def test_article_mode_keeps_the_short_posts_of_a_thread():
    # each short post reads as low-content by itself (a name and a date around it), but names over dates,
    # again and again, make the page a thread: the posts' sentences stay
    out = strip_boilerplate(
        Document.from_text(_thread_of_short_posts([n for n, _ in SHORT_POSTS])), BoilerplateConfig()
    )
    for p in POST_A + [post for _, post in SHORT_POSTS]:
        assert p in out.text
    assert "Login" not in out.text
    # a post count and a place between the name and the date
    out = strip_boilerplate(
        Document.from_text(
            _thread_of_short_posts([n for n, _ in SHORT_POSTS], ("Posts: 120", "Location: Springfield"))
        ),
        BoilerplateConfig(),
    )
    for p in POST_A + [post for _, post in SHORT_POSTS]:
        assert p in out.text
    # one label over every date ("View this ad", "Opening Bell") heads a list of a site's items, not posts
    out = strip_boilerplate(Document.from_text(_thread_of_short_posts(["View this ad"] * 3)), BoilerplateConfig())
    assert SHORT_POSTS[0][1] not in out.text


def test_article_mode_keeps_unpunctuated_lines_and_summaries_of_a_thread_post():
    # a post of a thread lists its points without full stops ("The new route is a good idea"), or sets a line
    # of four words or more over a sentence, post after post: the shape of a list of teasers, but the lines are
    # the post's
    text = _thread_of_short_posts([n for n, _ in SHORT_POSTS], ("Posts: 120",))
    text = text.replace(
        SHORT_POSTS[1][1],
        "\n".join(
            [
                SHORT_POSTS[1][1],
                "The new route to the hospital is a good idea",
                "The buses on the old routes are still late in the evening",
            ]
        ),
    )
    text = text.replace(SHORT_POSTS[2][1], "\n".join(["What the council said about the delays", SHORT_POSTS[2][1]]))
    out = strip_boilerplate(Document.from_text(text), BoilerplateConfig())
    for line in (
        "The new route to the hospital is a good idea",
        "The buses on the old routes are still late in the evening",
        "What the council said about the delays",
        SHORT_POSTS[2][1],
    ):
        assert line in out.text
    assert "Login" not in out.text and "Pages: 1 2 3" not in out.text
    # posts that each set a line over a paragraph: the shape of a list of teasers, but they are the thread's
    lines = ["Forum > Transport > Bus network", "Home", "Login", "anna_k", "05-06-2005, 05:28 PM", *POST_A]
    said = [
        (
            "bea",
            "Waiting at the stop on Friday evening",
            "Did anyone else wait an hour at the stop on Friday after work? ",
        ),
        (
            "chris_77",
            "What the driver told me about it",
            "Same here, and the driver said it was a new timetable for all of us. ",
        ),
        ("dan", "Why they will fix it in the end", "I think they will fix it once the new routes are running again. "),
    ]
    for k, (name, head, post) in enumerate(said):
        lines += [
            name,
            f"05-06-2005, 06:{10 + k} PM",
            head,
            post + "The council has said so at every one of its meetings since the spring, and so have the drivers.",
        ]
    out = strip_boilerplate(Document.from_text("\n".join([*lines, "Powered by vBulletin"])), BoilerplateConfig())
    for _, head, post in said:
        assert head in out.text and post.strip() in out.text


def _article_then(*after: str) -> str:
    return "\n".join(["Bus network grows", *PARA, *after])


def test_numbered_questions_over_their_answers_are_no_teasers():
    # a guide's numbered points after the article, each over its date and a paragraph: the shape of a list of
    # teasers, but the numbers say the text makes a list of its own (the dates stay date lines)
    points = []
    for k, topic in enumerate(["the night buses", "the new stops", "the fares"], start=1):
        points += [
            f"{k}. What will change for {topic} next year",
            f"November {20 + k}, 2019",
            f"The council will explain what changes for {topic} at the meeting on Tuesday, and the members "
            f"will answer questions from riders about {topic} until the evening, officials said after the vote.",
        ]
    out = strip_boilerplate(Document.from_text(_article_then("Contact", *points)), BoilerplateConfig())
    assert all(p in out.text for p in points if p.startswith("The council"))
    assert "boilerplate:teaser-list" not in {e.rule for e in out.edits}


def _removed(out) -> dict[str, str]:
    return {e.before.strip(): e.rule for e in out.edits if e.op == "drop"}


def test_prose_after_a_comment_form_is_comments():
    comment = (
        "I have taken this bus for years and the new timetable is a real improvement for everyone who "
        "works at the hospital, thank you for reporting on it."
    )
    out = strip_boilerplate(Document.from_text(_article_then("Leave a Reply", "anna", comment)), BoilerplateConfig())
    assert comment not in out.text
    assert _removed(out)[comment] == "boilerplate:comments"


def test_teaser_list_after_the_body():
    teasers = []
    for k, topic in enumerate(["the river bridge", "the new library", "the school budget"]):
        teasers += [
            f"Council debates the future of {topic} again",
            "By Jane Roe",
            f"November {20 + k}, 2019",
            f"The council met again on Tuesday to discuss {topic}, and the members could not agree on "
            f"what to do next, officials said after the meeting number {k}.",
        ]
    out = strip_boilerplate(Document.from_text(_article_then(*teasers)), BoilerplateConfig())
    assert "could not agree" not in out.text
    assert all(p in out.text for p in PARA)
    assert "boilerplate:teaser-list" in set(_removed(out).values())


def test_footer_prose_after_share_lines():
    disclaimer = (
        "The information on this website is not meant to replace the advice of a professional who "
        "knows your situation, and results will vary from reader to reader."
    )
    out = strip_boilerplate(
        Document.from_text(_article_then("Share on Facebook", "Follow us on Twitter", disclaimer)), BoilerplateConfig()
    )
    assert disclaimer not in out.text
    assert _removed(out)[disclaimer] == "boilerplate:footer"


@pytest.mark.parametrize(
    "line, rule",
    [
        (
            "Jane Roe (@janeroe) is a senior reporter at the Daily Planet, covering transport and city hall, and "
            "lives in the north of the city with her two children.",
            "boilerplate:author-bio",
        ),
        (
            "Former Mayor John Doe, left, speaks with a bus driver during a visit to the depot, Tuesday, Nov. 19, 2019.",
            "boilerplate:caption",
        ),
        ("This material may not be published, broadcast, rewritten, or redistributed.", "boilerplate:legal"),
        ("Comments are subject to our community guidelines, which can be viewed here.", "boilerplate:comment-form"),
    ],
)
def test_evidence_rules_after_the_body(line, rule):
    out = strip_boilerplate(Document.from_text(_article_then(line)), BoilerplateConfig())
    assert line not in out.text
    assert _removed(out)[line] == rule


def test_multi_post_page_in_page_mode():
    text = "\n".join(
        [
            "My blog",
            "Archives",
            "Monday, November 1, 2004",
            "First post",
            *POST_A,
            "posted at 1:02 PM",
            "Tuesday, November 2, 2004",
            "Second post",
            *POST_B,
            "posted at 9:15 AM",
        ]
    )
    out = strip_boilerplate(Document.from_text(text), replace(BoilerplateConfig(), mode="page"))
    for p in POST_A + POST_B:
        assert p in out.text


def test_a_sentence_inside_the_body_is_never_low_content():
    short = "It was, they said, a good day."
    text = "\n".join([PARA[0], PARA[1], short, PARA[2], PARA[3]])
    out = strip_boilerplate(Document.from_text(text), BoilerplateConfig())
    assert short in out.text


@pytest.mark.parametrize("mode", ["article", "page"])
def test_modes_are_idempotent(mode):
    cfg = replace(BoilerplateConfig(), mode=mode)
    once = strip_boilerplate(Document.from_text(_thread()), cfg)
    twice = strip_boilerplate(Document.from_text(once.text), cfg)
    assert twice.text == once.text


# ----------------------------------------------------------------------------- list pages


def test_list_page_entries_survive_the_html_path():
    entries = [
        ("Kettle, stainless steel", "Boils 1.7 litres in under four minutes and switches itself off."),
        ("Toaster, two slots", "Six browning levels, a defrost setting and a crumb tray that slides out."),
        ("Coffee grinder", "Burr grinder with fifteen settings from espresso to French press."),
        ("Hand mixer", "Five speeds and a turbo button; comes with two beaters and two dough hooks."),
    ]
    items = "".join(f"<li><h3>{name}</h3><p>{desc}</p></li>" for name, desc in entries)
    page = _html(
        f"<nav><a href='/'>Home</a><a href='/shop'>Shop</a></nav><main><h1>Kitchen</h1><ul class='products'>{items}</ul></main>",
        "Kitchen",
    )
    text, meta = extract_html(page)
    docs = [
        d
        for d in clean_document(Document.from_text(text, HTML, metadata=meta), replace(CleanConfig(), min_chars=1))
        if not d.rejected
    ]
    kept = "\n".join(d.text for d in docs)
    for name, desc in entries:
        assert name in kept and desc in kept
    assert "Shop" not in kept


def test_list_after_a_colon_in_plain_text_is_kept():
    items = ["2 cups flour", "1 tsp salt", "3 eggs", "250 ml milk"]
    text = "\n".join([PARA[0], "You will need:", *items, PARA[1], PARA[2]])
    out = strip_boilerplate(Document.from_text(text), BoilerplateConfig())
    for line in items:
        assert line in out.text


def test_short_prose_page_is_judged_on_shorter_prose_despite_a_pipe_footer():
    # no paragraph reaches length_high; a footer of links joined by pipes parses as a table and is
    # "good" by its neighbours, which must not stop the page's short prose being judged as prose
    prose = [
        "This is the way real estate has been sold for a hundred years, and it is still how many agents work.",
        "These old methods have proven to be less and less effective for the people who sell their homes.",
        "That is why we use the latest tools and ideas, which go far beyond the approach of the past.",
    ]
    footer = [
        "Nevada Homes | New Homes | Real Estate Blogs | Home Loans",
        "| Real Estate | Home Loans | Leads | Camping | Tours | Discount Stuff | Refinancing",
    ]
    menu = ["Home", "Our Team", "Market Trends", "Buyer Services", "Contact Us"]
    out = strip_boilerplate(Document.from_text("\n".join([*menu, "", *prose, "", *footer])), BoilerplateConfig())
    for p in prose:
        assert p in out.text
    assert "Market Trends" not in out.text


def test_database_records_after_the_body_are_no_teaser_list():
    # a listing of records ("Document Type: ...", "Title: ...", "Language: English") reads like headline
    # and summary, again and again; but a teaser's summary holds a sentence, and these fields hold none
    records = []
    for k, topic in enumerate(["Grade Span Configuration", "School-to-School Transition", "Middle School Reform"]):
        records += [
            f"Document Type: Journal articles (080); Reports--Research (14{k})",
            f"Title: The Effect of {topic} and of the Move from One School to the Next on the Achievement "
            "of the Students in the Public Schools of the State of Michigan",
            "Author(s): Wren, Stephanie D.",
            "Publication Date: 2003",
            "Language: English",
        ]
    out = strip_boilerplate(Document.from_text(_article_then(*records)), BoilerplateConfig())
    assert all(p in out.text for p in PARA)
    assert "boilerplate:teaser-list" not in set(_removed(out).values())
    assert "Title: The Effect of School-to-School Transition and of the Move" in out.text
