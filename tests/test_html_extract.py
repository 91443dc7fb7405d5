"""Tests of cleaners.html_extract: chrome removal, content selection, tables, metadata, robustness."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cleaners.html_extract import HtmlConfig, extract_html

P1 = (
    "The city council met on Tuesday evening and, after a long debate about parking, schools and the "
    "new library, voted to approve the budget for the coming year."
)
P2 = (
    "Residents who attended the meeting said they were pleased with the outcome, although several of "
    "them asked for more money for the parks, the pools and the public buses."
)
P3 = (
    "The mayor, who had proposed the budget in the spring, thanked the members and promised, once "
    "again, that the new library would open before the end of next summer."
)
BOILER = "Unrelated words that belong to the page chrome and should not appear in the text"


def page(extra_body: str = "", head: str = "", article_extra: str = "") -> str:
    return (
        f"<html><head><title>Council approves budget</title>{head}</head><body>"
        f"<article><h1>Council approves budget</h1><p>{P1}</p><p>{P2}</p>{article_extra}<p>{P3}</p></article>"
        f"{extra_body}</body></html>"
    )


def body_lines(html: str, cfg: HtmlConfig | None = None) -> list[str]:
    text, _ = extract_html(html, cfg)
    return text.split("\n")


def test_main_text_kept_in_order_title_first():
    lines = body_lines(page())
    assert lines == ["Council approves budget", P1, P2, P3]


def test_title_line_can_be_left_out():
    lines = body_lines(page(), HtmlConfig(include_title=False))
    assert lines == [P1, P2, P3]


# --------------------------------------------------------------------------- chrome by tag


@pytest.mark.parametrize("tag", ["script", "style", "nav", "header", "footer", "aside", "form", "noscript"])
def test_chrome_tags_dropped(tag):
    html = page(f"<{tag}>{BOILER}</{tag}>", article_extra=f"<{tag}>{BOILER}</{tag}>")
    assert BOILER not in extract_html(html)[0]


def test_form_wrapping_the_whole_page_is_kept():
    # ASP.NET-style pages put everything in one <form>: it holds most of the text, so it stays
    html = (
        f"<html><body><form action='/x'><div class='main'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></form></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P3 in text


# --------------------------------------------------------------------------- chrome by class / id

BOILERPLATE_CLASSES = [
    ("comments", 'class="comments-area"'),
    ("comments id", 'id="disqus_thread"'),
    ("sharing", 'class="share-buttons"'),
    ("social", 'class="socialBar"'),
    ("related", 'class="related-articles"'),
    ("newsletter", 'class="newsletter-signup"'),
    ("cookies", 'id="cookie-banner"'),
    ("consent", 'class="gdpr-consent"'),
    ("author bio", 'class="author-bio"'),
    ("ads", 'class="ad-slot"'),
]


@pytest.mark.parametrize("name,attr", BOILERPLATE_CLASSES)
def test_boilerplate_class_dropped(name, attr):
    # (on a page that declares an article: elsewhere a comment section is content, see below)
    html = page(
        article_extra=f"<div {attr}><p>{BOILER}, with a comma, and another one.</p></div>",
        head='<meta property="og:type" content="article">',
    )
    text = extract_html(html)[0]
    assert BOILER not in text, name
    assert P1 in text and P3 in text


@pytest.mark.parametrize(
    "attr",
    ['class="content"', 'class="story-text"', 'class="has-comments"', 'class="commentary"', 'id="no-sidebar"', ""],
)
def test_neutral_or_content_class_kept(attr):
    sentence = "A quoted paragraph, which is part of the story itself, about the comments of the mayor."
    html = page(article_extra=f"<div {attr}><p>{sentence}</p></div>")
    assert sentence in extract_html(html)[0]


def test_word_comment_in_text_does_not_drop_paragraph():
    sentence = "Share your view: the council said comments from the public, by letter or email, are welcome."
    html = page(article_extra=f"<p>{sentence}</p>")
    assert sentence in extract_html(html)[0]


def test_hidden_and_aria_chrome_dropped():
    html = page(
        article_extra=f'<div style="display: none">{BOILER}</div><div role="navigation">{BOILER}</div>'
        f"<div hidden>{BOILER}</div>"
    )
    assert BOILER not in extract_html(html)[0]


def test_class_rules_can_be_switched_off():
    html = page(article_extra=f'<div class="share-buttons"><p>{BOILER}, with a comma, and another.</p></div>')
    assert BOILER in extract_html(html, HtmlConfig(remove_by_class=False))[0]


# --------------------------------------------------------------------------- content selection


def test_main_content_beats_sidebar_of_links():
    links = "".join(f'<li><a href="/a{i}">Another story number {i} about something</a></li>' for i in range(12))
    html = (
        f"<html><body><div class='col'><ul>{links}</ul></div>"
        f"<div class='col'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P2 in text
    assert "Another story number" not in text


def test_link_only_line_dropped_but_paragraph_with_link_kept():
    with_link = (
        "The report, <a href='/r'>published on Monday</a>, found that the buses, trains and trams "
        "were late on most days of the year."
    )
    html = page(article_extra=f"<p>{with_link}</p><p><a href='/x'>Ten things to do this weekend</a></p>")
    text = extract_html(html)[0]
    assert "published on Monday" in text
    assert "Ten things to do this weekend" not in text


def test_article_split_in_sections_is_read_whole():
    html = (
        "<html><body><div class='page'>"
        f"<div class='part'><p>{P1}</p><p>{P2}</p></div><div class='pic'><img src='x.jpg'></div>"
        f"<div class='part'><p>{P3}</p><p>{P1.replace('Tuesday', 'Friday')}</p></div>"
        "</div><div class='menu-links'><a href='/'>Home</a></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P2 in text and P3 in text and "Friday" in text


def test_headings_and_lists_kept_as_lines():
    html = page(
        article_extra="<h2>What changes</h2><ul><li>More buses, every ten minutes, on weekdays</li>"
        "<li>Longer opening hours at the library, the pools and the parks</li></ul>"
    )
    lines = body_lines(html)
    assert "What changes" in lines
    assert "- More buses, every ten minutes, on weekdays" in lines


def test_boilerplate_line_dropped_and_kept_inside_sentence():
    html = page(
        article_extra="<p>Advertisement</p><p>The advertisement campaign, paid by the city, "
        "cost more than the council had planned.</p>"
    )
    lines = body_lines(html)
    assert "Advertisement" not in lines
    assert any(line.startswith("The advertisement campaign") for line in lines)


# --------------------------------------------------------------------------- tables


def test_data_table_becomes_pipe_table_padded_to_header_width():
    table = (
        "<table><tr><th>Item</th><th>2023</th><th>2024</th></tr>"
        "<tr><td>Schools</td><td>10</td><td>12</td></tr><tr><td>Parks</td><td>4</td></tr></table>"
    )
    lines = body_lines(page(article_extra=table))
    i = lines.index("| Item | 2023 | 2024 |")
    assert lines[i + 1] == "| --- | --- | --- |"
    assert lines[i + 2] == "| Schools | 10 | 12 |"
    assert lines[i + 3] == "| Parks | 4 |  |"


def test_table_pipe_in_cell_escaped_and_colspan_counted():
    table = "<table><tr><td>a|b</td><td colspan='2'>wide</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"
    lines = body_lines(page(article_extra=table))
    assert "| a\\|b | wide |  |" in lines
    assert "| 1 | 2 | 3 |" in lines


def test_layout_table_is_not_a_pipe_table():
    html = f"<html><body><table><tr><td><p>{P1}</p><p>{P2}</p></td></tr></table></body></html>"
    text = extract_html(html)[0]
    assert P1 in text and "|" not in text


def test_tables_as_markdown_off():
    table = "<table><tr><td>Schools</td><td>10</td></tr><tr><td>Parks</td><td>4</td></tr></table>"
    text = extract_html(page(article_extra=table), HtmlConfig(tables_as_markdown=False))[0]
    assert "|" not in text


# --------------------------------------------------------------------------- metadata


def test_metadata_from_meta_tags():
    head = (
        '<meta property="og:title" content="Council approves budget">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<meta property="og:site_name" content="Example Gazette">'
    )
    meta = extract_html(page(head=head))[1]
    assert meta == {
        "title": "Council approves budget",
        "author": "Jane Doe",
        "published": "2024-03-05T10:00:00Z",
        "site": "Example Gazette",
    }


def test_metadata_from_json_ld_graph():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Not this"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves budget",
                "datePublished": "2024-03-05",
                "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
                "publisher": {"@type": "Organization", "name": "Example Gazette"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    text, meta = extract_html(page(head=head))
    assert meta["author"] == "Jane Doe, John Roe"
    assert meta["published"] == "2024-03-05"
    assert meta["site"] == "Example Gazette"
    assert "NewsArticle" not in text  # the script itself is gone


def test_broken_json_ld_ignored():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>'
    text, meta = extract_html(page(head=head))
    assert "author" not in meta and P1 in text


def test_metadata_from_time_element_and_none_without():
    html = page(article_extra='<p class="dateline"><time datetime="2024-03-05T09:00">March 5</time></p>')
    assert extract_html(html)[1]["published"] == "2024-03-05T09:00"
    assert "published" not in extract_html(page())[1]


def test_title_from_document_title_strips_site_name():
    html = (
        f"<html><head><title>Council approves the budget for next year | Example Gazette</title></head>"
        f"<body><p>{P1}</p><p>{P2}</p></body></html>"
    )
    assert extract_html(html)[1]["title"] == "Council approves the budget for next year"


# --------------------------------------------------------------------------- robustness


def test_deep_nesting_does_not_hit_recursion_limit():
    html = "<html><body>" + "<div>" * 10_000 + f"<p>{P1}</p>" + "</div>" * 10_000 + "</body></html>"
    text, _ = extract_html(html)
    assert P1 in text


def test_deep_nesting_unclosed():
    html = "<div><span>" * 6000 + P1
    assert P1 in extract_html(html)[0]


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   \n ",
        "\x00\x01\x02",
        "<",
        "<<<>>>",
        "</div></div>",
        "<!-- x",
        "<?xml version='1.0' encoding='latin-1'?><html><p>x</p></html>",
        "\ud800 lone surrogate",
        "<p>" + "x" * 300_000,
    ],
)
def test_junk_never_raises(junk):
    text, meta = extract_html(junk)
    assert isinstance(text, str) and isinstance(meta, dict)


def test_non_html_input_returns_its_text():
    assert extract_html("plain words, no markup at all")[0] == "plain words, no markup at all"


def test_not_a_string_does_not_raise():
    assert extract_html(None) == ("", {})  # type: ignore[arg-type]


def test_broken_html_still_extracted():
    html = (
        f"<html><body><div class=main><p>{P1}<p>{P2}</div></span><p>{P3}<div class='share'><a href=#>Tweet</a></body>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P2 in text and P3 in text and "Tweet" not in text


def test_disabled_keeps_all_visible_text():
    html = page('<div class="share-buttons">Share it</div>')
    text = extract_html(html, HtmlConfig(enabled=False))[0]
    assert "Share it" in text and P1 in text


# --------------------------------------------------------------------------- golden pages of the bench

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "bench" / "article-extraction"


def _f1(truth: str, pred: str) -> float:
    def sh(t: str) -> Counter:
        toks = re.findall(r"\w+", t)
        return Counter(tuple(toks[i : i + 4]) for i in range(max(len(toks) - 3, 1)))

    t, p = sh(truth), sh(pred)
    tp = sum((t & p).values())
    if not tp:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(t.values())
    return 2 * prec * rec / (prec + rec)


def test_golden_bench_pages():
    if not (BENCH / "ground-truth.json").is_file():
        pytest.skip(f"benchmark pages not found at {BENCH} (../shared is absent)")
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[::30]  # 7 pages spread over the set, not picked by score
    scores = []
    for i in ids:
        raw = gzip.decompress((BENCH / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace")
        text, meta = extract_html(raw, HtmlConfig(include_title=False))
        scores.append(_f1(truth[i]["articleBody"], text))
        assert meta.get("title"), i
    assert sum(scores) / len(scores) >= 0.85, scores
    assert min(scores) >= 0.5, scores


def test_embedded_tweet_in_social_box_kept_but_share_box_dropped():
    tweet = "The new library plans look great, and the park too, said one resident on the network."
    html = page(
        article_extra=f'<div class="social-media-embed"><blockquote class="twitter-tweet"><p>{tweet}</p>'
        f'</blockquote></div><div class="social-share"><p>{BOILER}, a, b, c.</p></div>'
    )
    text = extract_html(html)[0]
    assert tweet in text and BOILER not in text


def test_byline_and_dateline_lines_dropped_but_sentences_starting_so_kept():
    sentence = "By the end of the meeting, most of the members had agreed to the plan for the new library."
    html = page(article_extra=f"<p>By Jane Doe</p><p>Updated: March 5, 2024</p><p>{sentence}</p>")
    lines = body_lines(html)
    assert "By Jane Doe" not in lines and "Updated: March 5, 2024" not in lines
    assert sentence in lines


def test_retry_without_class_rules_chooses_as_the_first_try_does():
    # ced-52 of the general-web bench: the first try (class rules on) finds almost nothing, and the
    # retry used to work on the page itself, where the article could climb to <html> and became the
    # whole <body>, whose cleaning left only a stylesheet notice; on a copy, as the first try, it is
    # the listing's main column
    path = SHARED / "bench" / "general-web-html" / "html" / "ced-52.html.gz"
    if not path.is_file():
        pytest.skip(f"benchmark page not found at {path} (../shared is absent)")
    text, _meta = extract_html(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    assert "LAST week, as my colleagues prepared to depart" in text
    assert "unable to load the stylesheet" not in text


def test_long_reference_list_with_commas_kept_however_long():
    # a list of references is link-heavy, but its many commas mark it as text (readability's rule);
    # the commas used to be counted only in elements under 20,000 characters
    refs = "".join(
        f'<li><a href="/r{i}">Smith, J. and Jones, K. ({1990 + i % 30})</a>. "Title of paper number {i}". '
        f'<a href="/j{i}">Journal of Studies</a>, vol. {i}, pp. {i}-{i + 9}.</li>'
        for i in range(250)
    )
    html = page(article_extra=f'<div class="reflist"><ol>{refs}</ol></div>')
    text = extract_html(html)[0]
    assert len(refs) > 20_000
    assert '"Title of paper number 0"' in text and '"Title of paper number 249"' in text
    assert P3 in text


def _linked_items(items: list[tuple[str, str, str]]) -> str:
    return "".join(f'<li>{a}<a href="/x{i}">{b}</a>{c}</li>' for i, (a, b, c) in enumerate(items))


WRITTEN_ITEMS = [
    ("We have just landed ", "a fix for the download bug", ", which stops an update while another copy is running."),
    ("Thanks to a new contributor, users can now ", "import their saved logins", " from two other programs."),
    ("The printing dialog now supports ", "page ranges", " that are not contiguous, such as one to three and six."),
]


def test_list_of_written_items_with_links_kept():
    # a changelog's items: sentences with links inside them are text, not a link list (link density 0.2+)
    html = page(article_extra=f"<ul>{_linked_items(WRITTEN_ITEMS)}</ul>")
    text = extract_html(html)[0]
    for a, b, c in WRITTEN_ITEMS:
        assert f"- {a}{b}{c}" in text


def test_list_of_linked_headlines_with_labels_still_dropped():
    related = [("", "Council votes on the new parking rules for the city centre", " (March 3)")] * 3
    headed = WRITTEN_ITEMS  # written items, but under a heading naming other stories
    html = page(
        article_extra=f"<ul>{_linked_items(related)}</ul>"
        f'<div class="h3">More Great Stories</div><ul>{_linked_items(headed)}</ul>'
    )
    text = extract_html(html)[0]
    assert "parking rules" not in text and "import their saved logins" not in text
    assert P3 in text


def test_list_of_short_links_in_the_article_kept():
    # a list of resources or names inside the article (tools, sponsors, sources) is all links, but no list of
    # other pages' headlines: it stays, as readability keeps lists whatever their link density
    tools = [("", "Budget tables", ""), ("", "Minutes", ""), ("", "https://example.org/council/budget", "")]
    html = page(article_extra=f"<p>{P1} Our sources:</p><ul>{_linked_items(tools)}</ul>")
    text = extract_html(html)[0]
    assert "- Budget tables" in text and "- Minutes" in text and "- https://example.org/council/budget" in text
    # a sub-list of linked headlines inside a written item goes or stays with its list
    bugs = [("", f"Bug {n} - the library page shows the wrong opening hours", "") for n in (101, 102, 103)]
    items = f"<li>The website team fixed several problems this week:<ul>{_linked_items(bugs)}</ul></li>"
    items += "".join(f"<li>{a}{b}{c}</li>" for a, b, c in WRITTEN_ITEMS)
    text = extract_html(page(article_extra=f"<ul>{items}</ul>"))[0]
    assert "- Bug 102 - the library page shows the wrong opening hours" in text
    # a one-item list holding a link is no list
    one = page(article_extra='<ul><li><a href="/next">Council votes again</a></li></ul>')
    assert "Council votes again" not in extract_html(one)[0]


def test_table_of_contents_and_notes_with_back_links_kept():
    # a box that is a list of links into the page itself (a table of contents; notes, each with its back-link
    # "^") is the page's own: its link density (0.9+) does not make it a link box
    toc = '<div id="toc"><div>Contents</div><ul>' + "".join(
        f'<li><a href="#s{i}"><span>{i}</span> <span>{name}</span></a></li>'
        for i, name in enumerate(
            ["Parking", "Schools", "The new library", "Parks and pools", "Buses and roads", "How they voted"], 1
        )
    )
    notes = '<div class="notes"><ol>' + "".join(
        f'<li><a href="#ref{i}">^</a> <a href="/minutes/{i}">Minutes of the council</a>, meeting {i}.</li>'
        for i in range(1, 4)
    )
    text = extract_html(page(article_extra=toc + "</ul></div>" + notes + "</ol></div>"))[0]
    assert "- 3 The new library" in text and "- ^ Minutes of the council, meeting 2." in text
    # the same links to other pages are a link box
    away = toc.replace('href="#', 'href="/page#')
    assert "The new library" not in extract_html(page(article_extra=away + "</ul></div>"))[0]


def test_what_a_data_table_holds_is_judged_with_the_table():
    # a cell's box of links in a table of data (an infobox's list of languages, a listing's linked titles)
    # stays with its table: readability does not clean inside data tables
    rows = "".join(
        f'<tr><td><div class="cell"><a href="/job/{i}">Library assistant {i}</a></div></td>'
        f"<td>City of Springfield</td><td>Helps readers find books and runs the reading hour on Saturdays</td><td>{10 + i} March</td></tr>"
        for i in range(1, 5)
    )
    table = f"<table><tr><th>Job</th><th>Employer</th><th>Duties</th><th>Posted</th></tr>{rows}</table>"
    text = extract_html(page(article_extra=table))[0]
    assert (
        "| Library assistant 3 | City of Springfield | Helps readers find books and runs the reading hour on Saturdays | 13 March |"
        in text
    )
    # nor does the table itself go for its links (a table of releases, each version a link)
    releases = "".join(f'<tr><td><a href="/v/{i}">Version 4.{i}</a></td><td>{i} May</td></tr>' for i in range(1, 5))
    text = extract_html(page(article_extra=f"<table><tr><th>Release</th><th>Date</th></tr>{releases}</table>"))[0]
    assert "| Version 4.3 | 3 May |" in text


COMMENT_TEXT = "I went to the meeting as well, and I think the council was right to fund the library before the pools."
COMMENTS = (
    '<div id="comments"><h3>2 Comments</h3>'
    f'<div class="comment"><p class="comment-author">Jane said...</p><div class="comment-body">{COMMENT_TEXT}</div></div>'
    '<div class="comment"><p class="comment-author">Tom said...</p><div class="comment-body">Agreed, it was.</div></div>'
    '<div class="modal comment-rules"><p>'
    + "Comments must follow the rules of this site, and moderators may remove any of them without notice. " * 3
    + "</p></div></div>"
)


def test_comments_kept_on_a_page_that_declares_no_article():
    # a forum, an old blog, a discussion page: the comments are its content (issue 12)
    lines = body_lines(page(extra_body=COMMENTS))
    assert COMMENT_TEXT in lines  # (outside the article, as other prose there: short lines are not kept)
    assert not any("moderators may remove" in x for x in lines)  # a comment box that is also a modal goes


def test_comments_dropped_on_a_page_declaring_an_article_or_when_asked():
    og = '<meta property="og:type" content="article">'
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council approves budget"}</script>'
    for html, cfg in (
        (page(extra_body=COMMENTS, head=og), None),
        (page(extra_body=COMMENTS, head=ld), None),
        (page(extra_body=COMMENTS), HtmlConfig(comments="drop")),
    ):
        text = extract_html(html, cfg)[0]
        assert COMMENT_TEXT not in text and P3 in text


OTHER_STORY = (
    "Elsewhere in the region, the river rose by two metres overnight, and farmers moved their cattle to higher "
    "ground before the roads were closed."
)


def test_prose_outside_the_article_kept_unless_the_page_declares_an_article():
    # another region's prose is content on a page of several sections or posts, but on a page that says it
    # is one article (og:type, JSON-LD) it is another story: a gallery's captions, a live feed, a teaser
    outside = f"<div class='box'><h3>Floods</h3><p>{OTHER_STORY}</p></div>"
    og = '<meta property="og:type" content="article">'
    assert OTHER_STORY in extract_html(page(extra_body=outside))[0]
    assert OTHER_STORY not in extract_html(page(extra_body=outside, head=og))[0]
    assert P3 in extract_html(page(extra_body=outside, head=og))[0]
    cfg = HtmlConfig(outside_prose_on_articles=True)
    assert OTHER_STORY in extract_html(page(extra_body=outside, head=og), cfg)[0]


def test_article_does_not_grow_into_a_stream_of_teasers():
    # the article's container moves up to a parent adding paragraph text, but the summaries of a stream of
    # other stories (an item: a headline link, then its summary) are no paragraph text of the article
    summary = (
        "A summary of another story on the site, long enough to read as a paragraph, written as sentences "
        "with commas, clauses and a full stop, as the summaries under the links of a stream of stories are."
    )
    stream = "".join(
        f'<li><h3><a href="/story{i}">Another story on the site number {i}</a></h3><p>{summary} ({i})</p></li>'
        for i in range(3)
    )
    html = (
        "<html><head><title>Council approves budget</title></head><body><div class='page'>"
        f"<div class='story'><h1>Council approves budget</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        f"<ul class='stream'>{stream}</ul></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P3 in text
    assert "A summary of another story" not in text


FEED_ITEM = (
    "In other news today the regional train line was closed for repairs and passengers took buses to work instead"
)


@pytest.mark.parametrize("commas", [0, 15])
def test_live_feed_in_an_aside_is_no_alternative_of_the_article(commas):
    # an <aside> holding most of the page's text stays (keep_share); its paragraphs used to be a gain that
    # grew the article into their common parent (commas=0), and with as many commas as the article's its
    # items are near-best candidates, three of which lifted the article to that parent (commas=15)
    item = FEED_ITEM.replace(" ", ", ", commas) + "."
    feed = "".join(f"<li><div class='item'><p>{item} ({i})</p><p>{item}</p></div></li>" for i in range(6))
    html = (
        "<html><head><title>Council approves budget</title><meta property='og:type' content='article'></head>"
        f"<body><div class='main'><section><article><h1>Council approves budget</h1><div class='body'><p>{P1}</p>"
        f"<p>{P2}</p><p>{P3}</p></div></article></section><aside><ul>{feed}</ul></aside></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P3 in text
    assert "regional" not in text


def test_linked_headings_inside_the_article_kept():
    # a blog's front page: each post's title links to the post; the titles used to go for their link density
    html = (
        "<html><head><title>A blog</title></head><body><div class='posts'>"
        f"<div class='post'><h2><a href='/first'>The first post of the week</a></h2><p>{P1}</p><p>{P2}</p></div>"
        f"<div class='post'><h2><a href='/second'>The second post of the week</a></h2><p>{P3}</p></div>"
        "</div></body></html>"
    )
    lines = body_lines(html)
    assert "The first post of the week" in lines and "The second post of the week" in lines
    assert P1 in lines and P3 in lines


def test_block_between_two_parts_of_the_article_joins_it():
    # a page in sections (same class): a list between two of them scores little (lists weigh -3) and is no
    # <p>, but it sits between parts of the article, and it is no link list
    items = "".join(f"<li>Bring {x} to the meeting</li>" for x in ("a pen", "the agenda", "last year's budget"))
    html = (
        "<html><head><title>Council approves budget</title></head><body>"
        f"<div class='section'><h1>Council approves budget</h1><p>{P1}</p><p>{P2}</p></div>"
        f"<ul>{items}</ul><div class='section'><p>{P3}</p><p>{P1.replace('Tuesday', 'Friday')}</p></div>"
        "<ul><li><a href='/a'>Home</a></li><li><a href='/b'>News</a></li></ul></body></html>"
    )
    lines = body_lines(html)
    assert "- Bring the agenda to the meeting" in lines and P3 in lines
    assert "- Home" not in lines


def test_short_lines_between_prose_outside_the_article_kept():
    # outside the article, on a page that declares none: a heading and a list between two prose blocks are
    # text between text; short lines after the last prose block (a footer's links, a label) are not
    other = (
        "The library will have a reading room, a children's corner and a cafe, and it will open every day of "
        "the week, the council said in its statement on Wednesday."
    )
    outside = (
        f"<div class='more'><p>{OTHER_STORY}</p><h3>Opening hours</h3><ul><li>Monday to Friday, 9 to 8</li>"
        f"<li>Weekends, 10 to 6</li></ul><p>{other}</p><p>Share this page</p></div>"
    )
    lines = body_lines(page(extra_body=outside))
    assert OTHER_STORY in lines and other in lines
    assert "Opening hours" in lines and "- Weekends, 10 to 6" in lines
    assert "Share this page" not in lines
    og = '<meta property="og:type" content="article">'
    assert "Opening hours" not in body_lines(page(extra_body=outside, head=og))


def test_grow_reads_no_wide_container_once_per_paragraph(monkeypatch):
    # the teaser test of _grow reads an item's links: items longer than a teaser are skipped first, so a
    # stream of thousands of paragraphs beside the article is not read once per paragraph (quadratic time)
    import cleaners.html_extract as he

    calls = [0]
    real = he._headline_link

    def counting(*args):
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(he, "_headline_link", counting)
    art = "".join(f"<p>{P1} ({i})</p>" for i in range(400))
    stream = "".join(
        f"<p>Some words before <a href='/{i}'>a link of five words</a> and more words after it, two.</p>"
        for i in range(200)
    )
    html = f"<html><body><div class='wrap'><div class='a'>{art}</div><div class='s'>{stream}</div></div></body></html>"
    text = extract_html(html)[0]
    assert P1 in text
    assert calls[0] == 0


def _slides(n: int) -> str:
    return "".join(
        f"<li><h2><span>{k}/{n}</span> Photo {k} of the week</h2><p>A caption of the photo number {k}, "
        f"long enough to read as a paragraph of its own, about some other news story.</p></li>"
        for k in range(1, n + 1)
    )


def test_slideshow_captions_beside_the_article_go():
    # items counted 1/N, 2/N, ... in order, beside an article's own paragraphs: a slideshow's captions
    html = page(article_extra=f"<div class='images'><ul class='legends'>{_slides(6)}</ul></div>")
    text, _ = extract_html(html)
    assert P1 in text and P2 in text and P3 in text
    assert "caption of the photo" not in text


def test_slideshow_that_is_the_page_stays():
    html = f"<html><body><article><h1>Photos of the week</h1><ul>{_slides(6)}</ul></article></body></html>"
    assert "A caption of the photo number 6" in extract_html(html)[0]


def test_numbered_list_out_of_order_is_no_slideshow():
    items = "".join(f"<li>{k}/6 step: do the thing number {k} with care, then go on.</li>" for k in (1, 2, 2, 4))
    html = page(article_extra=f"<ul>{items}</ul>")
    assert "do the thing number 4" in extract_html(html)[0]


def test_phrase_in_a_sentence_stays_whatever_its_class():
    # a pop-up note on a phrase (class "popup") is part of the sentence; a pop-up box beside it is not
    note = '<a class="popup" href="#" onclick="note()">a study guide</a>'
    html = page(
        article_extra=f"<p>The lawyer read {note} twice, and then he went home to think it over.</p>",
        extra_body=f'<div class="popup">{BOILER}</div>',
    )
    text, _ = extract_html(html)
    assert "The lawyer read a study guide twice, and then he went home to think it over." in text
    assert BOILER not in text


def test_list_of_headlines_with_summaries_is_no_part_of_the_article():
    # items opening with a linked headline, the summary after it in the same item: teasers of other
    # stories, which the article does not grow into
    teasers = "".join(
        f'<li><a href="/story-{k}">Another story number {k} about the town</a><span>WASHINGTON: A summary '
        f"of the other story number {k}, told at length, with a few details of what happened there...</span></li>"
        for k in range(5)
    )
    html = (
        "<html><head><title>Council approves budget</title></head><body><div class='main'>"
        f"<div class='story'><h1>Council approves budget</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        f"<div class='breaking'><b>Breaking</b><ul>{teasers}</ul></div></div></body></html>"
    )
    text, _ = extract_html(html)
    assert P1 in text and P3 in text
    assert "A summary of the other story" not in text


def test_list_item_opening_with_a_linked_phrase_is_no_teaser():
    html = page(
        article_extra="<ul>"
        + "".join(
            f'<li><a href="/guide">The official guide to the budget</a> explains, in point {k}, how the '
            "money is spent on schools and roads.</li>"
            for k in range(3)
        )
        + "</ul>"
    )
    assert "explains, in point 2, how the money is spent" in extract_html(html)[0]


def test_embedded_tweet_with_links_stays():
    # embedded content (class "embed", "tweet"): its links and handles are its text, not a link box
    tweet = (
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>we are. on. it. '
        '<a href="https://t.co/x1">https://t.co/HO1ZRs9T1P</a></p>&mdash; A reader '
        '(<a href="https://twitter.com/reader">@reader</a>) <a href="https://twitter.com/s/1">November 19, 2019</a>'
        "</blockquote></div>"
    )
    text, _ = extract_html(page(article_extra=tweet))
    assert "we are. on. it." in text and P3 in text


def test_table_of_facts_with_linked_values_stays():
    # rows of a label and its value (an infobox): the values are links, the table is no link box
    rows = "".join(
        f'<tr><th scope="row">{k}</th><td><a href="/wiki/{v}">{v}</a></td></tr>'
        for k, v in (("Industry", "Open-source software"), ("Founder", "Netscape"), ("Products", "Firefox"))
    )
    html = page(article_extra=f'<table class="infobox"><caption>Mozilla</caption>{rows}</table>')
    text, _ = extract_html(html)
    assert "| Founder | Netscape |" in text and P3 in text


def test_linked_table_without_labels_still_goes():
    rows = "".join(f'<tr><td><a href="/p{k}">Other page {k}</a></td><td>x</td></tr>' for k in range(4))
    assert "Other page 2" not in extract_html(page(article_extra=f"<table>{rows}</table>"))[0]


def test_structured_data_written_out_goes():
    # microdata spans holding only machine values (a name, a URL, a date): hidden by the page's CSS
    data = (
        '<span class="structured" itemprop="image" itemscope itemtype="https://schema.org/ImageObject">'
        '<span itemprop="url">http://example.com/photo.jpg</span><span itemprop="height">540</span>'
        '<span itemprop="width">960</span></span><span itemprop="author" itemscope><span itemprop="name">jdadmin'
        '</span></span><span itemprop="datePublished" itemscope><span itemprop="v">2018-10-15 10:33:49</span></span>'
    )
    text, _ = extract_html(page(article_extra=f"<div>{data}</div>"))
    assert "photo.jpg" not in text and P3 in text


def test_microdata_on_visible_text_stays():
    html = page(
        article_extra='<p itemprop="review" itemscope>The critic, <span itemprop="author">Ann Lee</span>, '
        "wrote on 2018-10-15 that the play was worth seeing twice.</p>"
    )
    assert "The critic, Ann Lee, wrote on 2018-10-15" in extract_html(html)[0]


def test_microdata_article_is_the_article_beside_a_box_of_related_posts():
    # the page marks its article (itemtype schema.org BlogPosting); a box of related posts after it, their
    # excerpts longer than the article and without headlines, outscores it: the declared article is kept alone
    excerpt = (
        "An excerpt of another post on the site, long enough to read as a paragraph, written in sentences, "
        "with commas, clauses and a full stop, as the excerpts of the related posts under an article are."
    )
    related = "".join(
        f'<article class="post"><a href="/post{i}"><img src="/i{i}.jpg"></a><p>{excerpt} ({i})</p></article>'
        for i in range(6)
    )
    html = (
        "<html><head><title>Council approves budget</title></head><body><div id='primary'>"
        "<article class='post' itemscope itemtype='http://schema.org/BlogPosting'>"
        f"<h1>Council approves budget</h1><p>{P1}</p><p>{P2}</p></article>"
        f"<div class='post'><h3>You may also like</h3>{related}</div></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P2 in text
    assert "An excerpt of another post" not in text


def test_microdata_article_without_paragraph_text_is_not_the_article():
    # an element marked as the article that holds only the headline (the story's text outside it) is no
    # evidence against the rest
    html = (
        "<html><head><title>Council approves budget</title></head><body><div class='story'>"
        "<div itemscope itemtype='https://schema.org/NewsArticle'><h1>Council approves budget</h1></div>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P3 in text


def test_article_does_not_grow_into_a_story_written_out_in_a_stream_of_linked_ones():
    # a live feed after the article: the stories are linked headlines, one of them written out (an unlinked
    # headline over paragraphs, the shape of an article's section); its paragraphs are no gain of the article
    linked = [
        f'<div class="box"><a href="/s{i}"><span>10:0{i}</span><h3>Another story on the site number {i}</h3></a></div>'
        for i in range(3)
    ]
    story = (
        '<div class="box-wrap"><div class="box open"><h3>The train line closed for repairs</h3><div>'
        f"<p>{FEED_ITEM}, said the operator, and buses ran every ten minutes, all day long.</p>"
        f"<p>{FEED_ITEM} again, said a passenger, who waited for an hour, in the rain, for the bus.</p>"
        f"<p>{FEED_ITEM} until Friday, the operator added, when the work ends, if the weather holds.</p>"
        "</div></div></div>"
    )
    html = (
        '<html><head><title>Council approves budget</title><meta property="og:type" content="article"></head>'
        "<body><div class='page'>"
        f"<div class='main'><div class='story'><div class='lead'><p>{P1}</p></div>"
        f"<div class='content'><p>{P2}</p><p>{P3}</p></div></div></div>"
        f"<div class='feed'><h3>Live</h3><div class='timeline'>{linked[0]}{story}{linked[1]}{linked[2]}</div></div>"
        "</div></body></html>"
    )
    text = extract_html(html)[0]
    assert P1 in text and P3 in text
    assert "the operator added" not in text


def test_date_heading_over_a_blogs_posts_stays():
    # a blog's front page: each day's posts under a heading whose class names it a date ("date-header"); the
    # day is part of the stream of posts, while a heading whose class names a byline still goes
    posts = "".join(
        f"<h2 class='date-header'>Monday, March {d}, 2021</h2><div class='post'>"
        f"<h3><a href='/p{d}'>Notes from the garden, day {d}</a></h3>"
        f"<p>We planted the beans on the south side, where the soil is warm, and the peas went in on day {d}.</p>"
        f"<p>The tomatoes need another week indoors, the seedlings are still small, and the nights are cold.</p>"
        f"<h4 class='byline'>Posted by Ann at 10:{d:02d}</h4></div>"
        for d in (1, 8, 15)
    )
    html = f"<html><head><title>Garden diary</title></head><body><div class='blog'>{posts}</div></body></html>"
    text = extract_html(html)[0]
    assert "Monday, March 8, 2021" in text and "the peas went in on day 8" in text
    assert "Posted by Ann" not in text


def test_short_linked_line_is_no_promo_unless_repeated():
    # a line that is one link of fewer words than a headline (a source credit, an address) is the text's own;
    # a headline link ("promo") and a control the page repeats as a link ("Report") still go
    para = (
        "<p>The bridge reopened on Monday after two years of repairs, and the first cars crossed it at dawn, "
        "while a small crowd watched from the river bank.</p>"
    )
    html = (
        "<html><head><title>Bridge reopens</title></head><body><div class='story'>"
        f"{para}<p><a href='https://example.org/src'>www.example.org</a></p>{para.replace('bridge', 'road')}"
        "<p><a href='/r1'>Report</a></p><p><a href='/other'>Ten things to do this weekend in town</a></p>"
        f"{para.replace('bridge', 'tunnel')}<p><a href='/r2'>Report</a></p></div></body></html>"
    )
    text = extract_html(html)[0]
    assert "www.example.org" in text.splitlines()
    assert "Ten things to do" not in text and "Report" not in text.splitlines()
    assert "The tunnel reopened" in text


def test_unlinked_sentence_cut_by_inline_markup_stays_in_a_definition_list():
    # a proof in a definition list (dd: a low score from its tags) written as one sentence, its text cut into
    # short pieces by formulas; no link in it: it stays, as a list of sentences does
    proof = (
        "<dl><dd>Proof: by <i>definition</i>. Thus <span>H<sub>ij</sub></span> = <span>H<sub>ji</sub></span> "
        "when the <span>entries</span> are real.</dd></dl>"
    )
    html = f"<html><head><title>Matrices</title></head><body><div class='text'><p>{P1}</p>{proof}<p>{P2}</p></div></body></html>"
    text = extract_html(html)[0]
    assert "Proof: by definition." in text and P2 in text


def test_table_of_figures_without_header_cells_is_kept_whole():
    # a table of figures whose header row is written in bold td cells (no th): 4 columns, 4 rows, more than
    # 10 cells and few links, is data by its size (readability's rule); its linked names in short divs stay
    head = "<tr><td><b>App</b></td><td><b>Size</b></td><td><b>Old patch</b></td><td><b>New patch</b></td></tr>"
    rows = "".join(
        f"<tr><td><div><a href='/app{i}'>{name}</a></div></td><td><div>{i}1.2 MB</div></td>"
        f"<td><div>{i}.4 MB (-60%)</div></td><td><div>{i}.1 MB (-80%)</div></td></tr>"
        for i, name in enumerate(["Maps", "Mail", "Books"], 1)
    )
    html = (
        "<html><head><title>Smaller updates</title></head><body><div class='post'>"
        f"<p>{P1}</p><table>{head}{rows}</table><p>{P2}</p></div></body></html>"
    )
    text = extract_html(html)[0]
    assert "Maps" in text and "Books" in text and P2 in text


def test_see_also_list_of_topics_stays_a_list_of_headlines_goes():
    # "See also" in a reference work lists related topics (short titles): they are the article's own; under
    # the same heading a list of other pages' headlines (links of 4+ words) still goes
    topics = "".join(
        f"<li><a href='/wiki/{t}'>{t}</a></li>" for t in ("Unitary matrix", "Normal matrix", "Hermitian form")
    )
    heads = "".join(
        f"<li><a href='/news/{i}'>{t}</a></li>"
        for i, t in enumerate(
            (
                "Ten ways to save money on groceries",
                "Why the city bus is always late",
                "What the mayor said about parks",
            )
        )
    )
    html = (
        "<html><head><title>Matrices</title></head><body><div class='content'>"
        f"<p>{P1}</p><p>{P2}</p><h2>See also</h2><ul>{topics}</ul><h2>See also</h2><ul>{heads}</ul></div></body></html>"
    )
    text = extract_html(html)[0]
    assert "- Unitary matrix" in text and "- Hermitian form" in text
    assert "Ten ways to save money" not in text


def test_link_share_of_a_line_ignores_the_indentation_of_the_source():
    # a row of controls under each item (three links, written on indented lines of the source): the tabs between
    # the links are no unlinked text of the line, which is all links and goes as a promo
    tabs = "\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
    controls = (
        f"{tabs}<a href='/view'>View full job description</a>{tabs}<a href='/save'>Save to my list</a>"
        f"{tabs}<a href='#'>Email to a friend</a>{tabs}"
    )
    html = (
        "<html><head><title>Jobs</title></head><body><div class='results'>"
        f"<p>{P1}</p>{controls}<p>{P2}</p>{controls}<p>{P3}</p></div></body></html>"
    )
    text = extract_html(html)[0]
    assert P3 in text and "View full job description" not in text


def test_row_of_controls_repeated_under_each_item_goes():
    # a line of links under each post whose links read the same, digits aside ("Print | Mail | Category: News",
    # "3 Comments"), is a row of controls; a line of two links written twice, and a list of references
    # whose links read alike, stay
    posts = "".join(
        f"<h2>Post {i}</h2><p>{para}</p><p><a href='/print/{i}'>Print</a> | <a href='/mail/{i}'>Mail</a> | "
        f"Category: <a href='/c'>News</a> | <a href='/c/{i}'>{i} Comments</a></p>"
        for i, para in enumerate((P1, P2, P3), 1)
    )
    twice = "<p>Files: <a href='/a'>Minutes</a> | <a href='/b'>Budget</a></p>"
    refs = "".join(f"<li><a href='#r{i}'>^</a> <a href='/b'>Bain 2006</a>, p. {i}.</li>" for i in (31, 44, 69))
    html = (
        "<html><head><title>Council diary</title></head><body><div class='posts'>"
        f"{posts}{twice}<p>{P1}</p>{twice}<ol>{refs}</ol></div></body></html>"
    )
    lines = extract_html(html)[0].splitlines()
    assert P3 in lines and not any(line.startswith("Print | Mail") for line in lines)
    assert lines.count("Files: Minutes | Budget") == 2
    assert "- ^ Bain 2006, p. 44." in lines


def test_contents_of_one_chapter_and_its_sections_kept():
    # a table of contents whose one top entry holds the nested entries of its sections (a list of one item)
    # is no list of other pages' headlines: nearly all its links lead into the page (href="#...")
    toc = (
        "<div class='contents topic'><p>Contents</p><ul><li><a href='#evolve'>Evolve: Shared Mutable History</a>"
        "<ul><li><a href='#single'>Sharing with a single developer</a></li>"
        "<li><a href='#review'>Sharing with many developers for code review</a></li></ul></li></ul></div>"
    )
    html = (
        "<html><head><title>Evolve</title></head><body><div class='document'>"
        f"<h1>Evolve: Shared Mutable History</h1>{toc}<p>{P1}</p><h2 id='single'>Sharing with a single developer</h2>"
        f"<p>{P2}</p><h2 id='review'>Sharing with many developers for code review</h2><p>{P3}</p></div></body></html>"
    )
    lines = extract_html(html)[0].splitlines()
    assert "- Sharing with a single developer" in lines and P3 in lines


def test_linked_line_named_a_title_is_no_promo():
    # a line that is one link of a headline's words, named a title by its class (a post's title on a news page of a
    # game site, a job title in a listing), is the item's title on the page, not a promo; named "more" too (a
    # "read-more__title"), or when only a label beside the link is named so, it is still the headline of another
    # page and goes
    items = "".join(
        f"<span class='newstitle'><a href='/story/{i}'>{t}</a></span><br><span class='newsbody'>{para}</span><br>"
        for i, (t, para) in enumerate(
            (("Chapter finale of the courtship dance", P1), ("Tech support closing early on Thursday", P2)), 1
        )
    )
    promo = (
        "<p><a class='read-more__title' href='/other'>Journalists and politicians threatened with arrest</a></p>"
        "<p><span class='label-title'>Related:</span> <a href='/ten'>Ten things to do this weekend in town</a></p>"
    )
    html = (
        "<html><head><title>Vault news</title></head><body><div class='news'>"
        f"{items}{promo}<p>{P3}</p></div></body></html>"
    )
    lines = extract_html(html)[0].splitlines()
    assert "Chapter finale of the courtship dance" in lines and "Tech support closing early on Thursday" in lines
    assert P3 in lines and not any("Journalists" in line or "Ten things" in line for line in lines)


def test_prose_row_of_a_table_outside_the_article_kept_as_other_prose():
    # a row of a table outside the article, its cells written as sentences in a table of few links, is prose of
    # its own like any block outside the article; a row of links in it still goes
    offer = (
        "Residential long distance: competitively priced, high quality service for every home. Help save the "
        "Earth every time you dial the phone!"
    )
    table = (
        f"<table><tr><td>Offer</td><td>{offer}</td></tr>"
        "<tr><td><a href='/a'>Home</a></td><td><a href='/b'>Contact us</a></td></tr></table>"
    )
    html = (
        "<html><head><title>Council approves budget</title></head><body>"
        f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div class='offers'>{table}</div></body></html>"
    )
    text = extract_html(html)[0]
    assert "Help save the Earth every time you dial the phone!" in text and "Contact us" not in text
