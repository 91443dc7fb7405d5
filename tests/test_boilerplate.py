"""strip_boilerplate: each rule fires on chrome and spares article text; seeds; idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners.boilerplate import BoilerplateConfig, strip_boilerplate
from cleaners.document import Document

CFG = BoilerplateConfig()
SHARED = Path(__file__).resolve().parents[2] / "shared"

BODY = [
    "The city council voted on Monday to expand the bus network, adding four routes that will connect "
    "the northern suburbs with the hospital and the university by the end of next year.",
    "Officials said the plan would cost about twelve million dollars, most of it paid for by a state grant "
    "that was approved in the spring after a long debate in the legislature.",
    "Residents who spoke at the meeting were mostly in favour, although some of them asked why the routes "
    "would not run later in the evening, when many of the nurses finish their shifts.",
    "The mayor said that the council would look again at the timetable once the first routes were running, "
    "and that he expected the buses to be full from the first week.",
]


def page(*before: str, after: tuple[str, ...] = (), body: list[str] | None = None) -> str:
    return "\n".join([*before, *(BODY if body is None else body), *after])


def run(text: str, cfg: BoilerplateConfig = CFG) -> Document:
    return strip_boilerplate(Document.from_text(text), cfg)


def rules(doc: Document) -> set[str]:
    return {e.rule for e in doc.edits}


def assert_body_kept(doc: Document) -> None:
    for para in BODY:
        assert para in doc.text


# ------------------------------------------------------------------ rules: positive and negative


def test_navigation_run_at_the_top_is_dropped():
    doc = run(page("Home", "News", "Sport", "Weather", "Opinion", "Contact"))
    assert doc.text.startswith(BODY[0])
    assert "boilerplate:navigation" in rules(doc)
    assert_body_kept(doc)


def test_section_headings_inside_the_body_are_kept():
    body = [BODY[0], "Key Points at a Glance", BODY[1], BODY[2], "Looking Ahead", BODY[3]]
    doc = run(page("Home", "News", body=body))
    assert "Key Points at a Glance" in doc.text and "Looking Ahead" in doc.text
    assert "Home" not in doc.text


def test_pipe_table_rows_in_the_body_are_kept():
    table = ["| Route | Stops |", "|---|---|", "| 12 | 30 |", "| 14 | 22 |"]
    body = [BODY[0], BODY[1], *table, BODY[2], BODY[3]]
    doc = run(page(body=body))
    for row in table:
        assert row in doc.text


def test_date_only_lines():
    doc = run(page("Tuesday, June 17, 2025", after=("Nov 19, 2019, 10:31 pm CST",)))
    assert "June 17" not in doc.text and "Nov 19" not in doc.text
    assert "boilerplate:date-line" in rules(doc)
    # a sentence that holds a date is not a date line
    body = [*BODY[:2], "The vote was held on June 17, 2025, after a long debate.", *BODY[2:]]
    assert "June 17, 2025, after" in run(page(body=body)).text


# (body paragraphs, teasers with few function words) of a language whose stop words were added for a page of the set
OTHER_LANGUAGES = {
    "cs": (
        [
            "Městská rada v pondělí schválila rozšíření autobusové sítě, která po dokončení propojí severní čtvrti "
            "s nemocnicí a s univerzitou do konce příštího roku.",
            "Podle úředníků bude plán stát asi dvanáct milionů korun, z nichž většinu zaplatí stát z dotace, která "
            "byla schválena na jaře po dlouhé debatě.",
            "Obyvatelé, kteří na zasedání promluvili, byli většinou pro, ale někteří se ptali, proč autobusy nebudou "
            "jezdit i pozdě večer, když zdravotní sestry končí směny.",
            "Starosta řekl, že rada se na jízdní řád podívá znovu, až budou první linky v provozu, a že očekává, že "
            "autobusy budou plné od prvního týdne.",
        ],
        [
            "Zprávy",
            "Sport",
            "Domov",
            "Nejčtenější",
            "Hokejisté Sparty porazili Plzeň. Trenér chválil brankáře Nováka, fanoušci slavili dlouho.",
            "Ministr financí představil rozpočet. Opozice kritizuje schodek, ekonomové varují před inflací.",
        ],
    ),
    "id": (
        [
            "Dewan kota pada hari Senin menyetujui perluasan jaringan bus yang akan menghubungkan daerah utara "
            "dengan rumah sakit dan universitas pada akhir tahun depan.",
            "Para pejabat mengatakan bahwa rencana itu akan menelan biaya sekitar dua belas juta dolar, yang "
            "sebagian besar dibayar dari dana pemerintah pusat.",
            "Warga yang berbicara dalam pertemuan itu sebagian besar setuju, tetapi ada juga yang bertanya mengapa "
            "bus tidak akan berjalan pada malam hari.",
            "Wali kota mengatakan bahwa dewan akan melihat lagi jadwal tersebut setelah rute pertama berjalan, dan "
            "dia berharap bus akan penuh sejak minggu pertama.",
        ],
        [
            "Berita",
            "Olahraga",
            "Beranda",
            "Terpopuler",
            "Persija menang tipis. Pelatih memuji kiper Andritany, suporter merayakan kemenangan semalaman.",
            "Menteri keuangan umumkan anggaran. Oposisi kritik defisit, ekonom peringatkan soal inflasi tinggi.",
        ],
    ),
}


@pytest.mark.parametrize("lang", sorted(OTHER_LANGUAGES))
def test_prose_is_told_from_teasers_by_its_languages_function_words(lang):
    # without the language's list, punctuation stands in for function words, and punctuated teasers read as prose
    body, chrome = OTHER_LANGUAGES[lang]
    doc = run("\n".join([*chrome[:3], *body, *chrome[3:]]))
    for para in body:
        assert para in doc.text
    assert not any(t in doc.text for t in chrome[4:])


def test_a_line_of_prose_without_its_full_stop_stays_inside_the_body():
    # a changelog's note inside the article: longer than a heading, function words like prose, no full stop
    # between two lines of route numbers (no function words: jusText's context makes the note bad too)
    note = "The council moved the first night bus to a later hour so that nurses can take it home"
    routes = "Route 12 Route 14 Route 16 Route 18 Route 20 Route 22 Route 24 Route 26 Route 28 Route 30"
    doc = run(
        page("Home", "News", body=[*BODY[:2], routes, note, routes.upper(), *BODY[2:]], after=("Contact", "Archive"))
    )
    assert note in doc.text
    assert "Archive" not in doc.text


def test_a_wiki_section_heading_is_no_related_block():
    # "See also [ edit ]" heads a section of the article itself (its edit link says so): no wall for what follows
    refs = [
        '^ Roe, Jane (2019). "Night buses and the nurses who ride them". City Transport Review. Retrieved 2020-01-05.',
        '^ Doe, John (2018). "The bus network of a growing city". Urban Studies Quarterly. Retrieved 2020-01-05.',
    ]
    doc = run(page("Home", "News", after=("See also [ edit ]", "Public transport", "References [ edit ]", *refs)))
    assert "boilerplate:related-block" not in rules(doc)
    doc = run(page("Home", "News", after=("See also", "Another story about buses", "A third story about trains")))
    assert "boilerplate:related-block" in rules(doc)


def test_a_wikis_notes_stay():
    # MediaWiki's references after the article: each opens with its back-link "^", few function words
    notes = [
        '^ Roe, Jane (2019). "Night buses". City Transport Review. Retrieved 2020-01-05.',
        '^ "Bus network statistics 2018". Springfield Transit Authority. Retrieved 2020-01-05.',
        '^ Doe, John (2018). "Routes". Urban Studies Quarterly. 12 (3): 45-67. ISBN 978-0-00-000000-0.',
    ]
    doc = run(page("Home", "News", after=("Contact", "Archive", *notes)))
    for note in notes:
        assert note in doc.text
    assert "Archive" not in doc.text


def test_a_list_of_works_cited_stays():
    # a bibliography after the article: authors' names inverted, titles, places and publishers, few function words
    works = [
        "Roe, Jane. (2019, March). Night buses: Springfield transit report [Online]. Available: http://example.org/a.html.",
        "Doe, John H. (2018). Urban routes. Springfield, IL: Urban Studies Press.",
        "Springfield Transit Authority. (2017). Bus network statistics, 2016-2017 [Online]. Available: http://example.org/b.html.",
    ]
    doc = run(page("Home", "News", after=("Contact", "Archive", *works)))
    for work in works:
        assert work in doc.text
    assert "Archive" not in doc.text
    # two such lines are no list of works
    doc = run(page("Home", "News", after=("Contact", "Archive", *works[:2])))
    assert works[0] not in doc.text


def test_a_sentence_between_kept_lines_stays():
    # a line of names ending with a full stop, between two kept paragraphs outside the body: few function words, but
    # a sentence of the text
    p1 = (
        "The transport committee met again in the autumn to hear the riders, and it decided that the new routes "
        "should run until midnight on weekdays and on the weekend as well."
    )
    names = (
        "Members of the committee: Jane Roe (chair), John Doe (deputy chair), Erika Mustermann, Max Mustermann, "
        "Juan Perez, Maria Rossi, Mario Rossi, Anna Kowalska, Jan Kowalski."
    )
    p2 = (
        "The committee will report to the council in the spring, when the first of the new buses are expected to be "
        "on the road, and it has asked the riders to write to it in the meantime."
    )
    doc = run(
        page("Home", "News", after=("Contact", "Archive", "Events", "Maps", "Timetables", "Fares", p1, names, p2))
    )
    assert names in doc.text and p1 in doc.text and p2 in doc.text
    assert "Home" not in doc.text
    # without its full stop it is a list of names like any other
    bare = names.rstrip(".")
    doc = run(page("Home", "News", after=("Contact", "Archive", "Events", "Maps", "Timetables", "Fares", p1, bare, p2)))
    assert bare not in doc.text


def test_a_wikis_hatnotes_go():
    # "Main article: X" over a wiki's section points to another article (MediaWiki's hatnote), however often the page
    # says it (no record's field)
    notes = ["Main article: Buses in Springfield", "Main articles: Night buses and Trams", "Further information: Fares"]
    body = [BODY[0], notes[0], BODY[1], notes[1], BODY[2], notes[2], BODY[3]]
    doc = run(page("Home", "News", body=body))
    for note in notes:
        assert note not in doc.text
    assert_body_kept(doc)
    assert {e.rule for e in doc.edits if any(n in e.before for n in notes)} == {"boilerplate:hatnote"}
    # a sentence opening with the words is the text's
    line = "Main articles of the plan: the new routes, the night buses and the fares."
    assert line in run(page("Home", "News", body=[BODY[0], line, *BODY[1:]])).text


def test_a_listing_the_page_is_keeps_its_items():
    # classifieds: each ad's summary, cut by the site to one length, few function words, under a date and over the
    # same link; the page is the listing, its items are the content
    ads = [
        "GROUNDS KEEPING Do you have knowledge & interest in lawn, shrub and tree care? Then we have the job ...",
        "BUS DRIVERS Springfield Transit seeks full-time & part-time drivers, CDL required, benefits, paid tr...",
        "HELP WANTED School Crossing Guard Apply in Person SPRINGFIELD BOROUGH OFFICE 7 South Main St., Spri...",
        "MAINTENANCE FOREPERSON Springfield Owned & Based Property Manage- ment Co. seeking energetic applica...",
        "Production Workers ACME advanced food products llc is a premier food manufacturer of puddings, sauc...",
    ]
    lines = ["Springfield News Classifieds", "Home", "Employment", "General Help", "There are 5 results on 1 page"]
    for k, ad in enumerate(ads):
        lines += [f"12-{10 + k}-06", ad, "View this ad"]
    doc = run("\n".join([*lines, "1 2 3 Next", "© 2006 Springfield Newspapers"]))
    for ad in ads:
        assert ad in doc.text
    assert "Employment" not in doc.text and "Springfield Newspapers" not in doc.text
    assert run(doc.text).text == doc.text
    # summaries of very different lengths under the same label are no listing cut to a size
    lines[6] = ads[0] + " Apply with a letter and a resume; the position is open until it is filled by the borough."
    doc = run("\n".join([*lines, "1 2 3 Next", "© 2006 Springfield Newspapers"]))
    assert ads[1] not in doc.text


def test_a_related_line_with_its_own_link_heads_no_list():
    # "See also: X" is a link of its own (after the colon): the short lines under it are not its teasers; the other
    # rules judge them (here, outside the body, as short lines without function words)
    facts = ["Founded in 1998 by the city", "Routes 42 across the region", "Riders about 80,000 a day"]
    doc = run(page("Home", "News", after=("See also: Night buses and Springfield Transit", *facts, "Contact")))
    by_line = {e.before.strip(): e.rule for e in doc.edits if e.op == "drop"}
    assert by_line["See also: Night buses and Springfield Transit"] == "boilerplate:related-block"
    assert not any(by_line.get(f) == "boilerplate:related-block" for f in facts)
    # under a heading without a link of its own they are its teasers
    doc = run(page("Home", "News", after=("See also", *facts, "Contact")))
    assert {e.before.strip(): e.rule for e in doc.edits}.get(facts[0]) == "boilerplate:related-block"


def test_a_section_number_is_no_date():
    # "3.7.1 Rhino" numbers a section (a table of contents, a manual): a numeric date has a year of two or four digits
    from cleaners.boilerplate.line_rules import _is_date_line

    assert not _is_date_line("3.7.1 Rhino") and not _is_date_line("4.2.1 Bus Lanes")
    assert _is_date_line("05-06-2005, 05:41 PM") and _is_date_line("2019-05-01") and _is_date_line("1.5.19 Jane Roe")


@pytest.mark.parametrize(
    "line",
    [
        "Top 5 This Week",
        "Related Posts",
        "Popular Articles",
        "Read more",
        "Trending",
        "Recommended related news",
        "Artículos relacionados",
        "Sur le même sujet",
        "Související",
        "Las más leídas",
        "Meistgelesen",
    ],
)
def test_related_blocks(line):
    doc = run(page(after=(line, "Another story about buses", "A third story about trains")))
    assert line not in doc.text
    assert "boilerplate:related-block" in rules(doc)
    assert_body_kept(doc)


def test_related_phrase_inside_a_sentence_is_not_a_block():
    body = [
        *BODY[:2],
        "Related posts on the council website explain how the grant was spent over the years.",
        *BODY[2:],
    ]
    assert "Related posts on the council website" in run(page(body=body)).text


@pytest.mark.parametrize(
    "line",
    [
        "LEAVE A REPLY",
        "Please enter your comment!",
        "Please enter your name here",
        "Enviá tu comentario",
        "Laisser un commentaire",
    ],
)
def test_comment_form(line):
    doc = run(page(after=(line,)))
    assert line not in doc.text
    assert "boilerplate:comment-form" in rules(doc)


def test_subscription_calls():
    doc = run(page(after=("Discover more from City News", "Subscribe to get the latest posts sent to your email.")))
    assert "Discover more" not in doc.text and "Subscribe" not in doc.text
    assert "boilerplate:subscribe" in rules(doc)
    # a sentence about subscribers is news, not a call
    body = [
        *BODY[:3],
        "The paper said the number of subscribers to the bus newsletter has doubled since the spring.",
        BODY[3],
    ]
    assert "number of subscribers" in run(page(body=body)).text


def test_share_lines():
    doc = run(page(after=("Share this:", "Facebook", "Twitter")))
    assert "Share this" not in doc.text and "Twitter" not in doc.text
    assert "boilerplate:share" in rules(doc)
    body = [*BODY[:2], "Many riders share their journeys on social media, the survey found.", *BODY[2:]]
    assert "Many riders share" in run(page(body=body)).text


def test_cookie_notice():
    notice = (
        "We use cookies to improve your experience on our website. By continuing to browse, you agree "
        "to our use of cookies as described in our cookie policy and privacy notice."
    )
    doc = run(page(notice))
    assert "cookies" not in doc.text
    assert "boilerplate:cookie" in rules(doc)
    body = [
        *BODY[:2],
        "The bakery near the station sells cookies to the drivers, who say the break helps them.",
        *BODY[2:],
    ]
    assert "sells cookies" in run(page(body=body)).text


def test_prose_about_cookies_is_no_cookie_notice():
    # two "cookies" in a paragraph of an article on tracking: no site speaks of itself, nobody is asked to agree
    para = (
        "Some browsers refuse third-party cookies by default, and others keep cookies apart for each "
        "domain, so that a tracker sees only a part of what a person reads."
    )
    doc = run(page(body=[*BODY[:2], para, *BODY[2:]]))
    assert para in doc.text
    assert "boilerplate:cookie" not in rules(doc)


def test_copyright_footer():
    doc = run(page(after=("© 2024 City News. All rights reserved.", "Terms of Use")))
    assert "rights reserved" not in doc.text and "Terms of Use" not in doc.text
    assert "boilerplate:copyright" in rules(doc)
    body = [
        *BODY[:2],
        "The court ruled that the copyright of the route maps belongs to the city, not the designer.",
        *BODY[2:],
    ]
    assert "the copyright of the route maps" in run(page(body=body)).text


def test_author_bio_with_name_glued_to_url():
    after = (
        "Jane Roe",
        "Jane Roehttps://example.com/author/jane/",
        "Jane Roe has covered transport and city politics for twenty years and edits the paper's local section.",
    )
    doc = run(page(after=after))
    assert "Jane Roe" not in doc.text
    assert "boilerplate:author-bio" in rules(doc)
    assert_body_kept(doc)
    # a body paragraph that starts with a name is not a bio
    body = [*BODY, "Jane Roe, who chairs the transport committee, said the routes were long overdue for the area."]
    assert "who chairs the transport committee" in run(page(body=body)).text


def test_byline_goes_to_metadata():
    doc = run(page("By Tamara Example", after=("By Tamara Example",)))
    assert doc.metadata["author"] == "Tamara Example"
    assert "By Tamara" not in doc.text
    assert "boilerplate:byline" in rules(doc)
    body = [*BODY[:2], "By the end of the year, the council hopes to open two more routes in the west.", *BODY[2:]]
    doc = run(page(body=body))
    assert "By the end of the year" in doc.text and "author" not in doc.metadata


def test_call_to_action_removed_at_sentence_level():
    body = [*BODY[:3], BODY[3] + " Share your thoughts in the comments below."]
    doc = run(page(body=body))
    assert BODY[3] in doc.text and "Share your thoughts" not in doc.text
    assert "boilerplate:call-to-action" in rules(doc)
    # the sentence goes, the paragraph stays, nothing else in it changes
    assert doc.text.endswith(BODY[3])
    body = [*BODY[:3], BODY[3] + " Readers shared their thoughts at the meeting."]
    assert "Readers shared their thoughts" in run(page(body=body)).text


def test_title_kept_and_recorded():
    doc = run(page("Home", "News", "Council expands the bus network"))
    assert doc.text.startswith("Council expands the bus network\n")
    assert doc.metadata["title"] == "Council expands the bus network"
    assert "boilerplate:title" in rules(doc)
    # no title-like line: no title
    assert "title" not in run(page()).metadata


def test_headline_repeating_the_page_title_is_the_title():
    text = page(
        "Council expands the bus network - City News", "Home", "News", "Sport", "Council expands the bus network"
    )
    doc = run(text)
    assert doc.metadata["title"] == "Council expands the bus network"
    assert "City News" not in doc.text


def test_extra_phrases_from_config():
    body = [*BODY[:3], BODY[3] + " Call the City News desk for tips."]
    text = page(after=("Call the City News desk for tips.",), body=body)
    doc = run(text, BoilerplateConfig(extra_phrases=("Call the City News desk",)))
    assert "City News desk" not in doc.text
    assert "boilerplate:extra-phrase" in rules(doc)
    assert "City News desk" in run(text).text


def test_teasers_after_the_body_are_outside_it():
    teasers = tuple(
        f"Story number {i} about something else entirely, with a long headline that goes on and on for a while."
        for i in range(3)
    )
    doc = run(page(after=("More from City News", *teasers)))
    assert "Story number" not in doc.text
    assert_body_kept(doc)


def test_header_lines_between_title_and_text():
    doc = run(
        page(
            "Council expands the bus network | City News",
            "Home",
            "News",
            "Council expands the bus network",
            "@janeroe",
            "Jane Roe",
            "CITY, State,",
        )
    )
    assert doc.text.startswith("Council expands the bus network\n" + BODY[0])
    assert "boilerplate:header-line" in rules(doc)
    # after the text has started, a short heading is the article's, not a header line
    body = [BODY[0], "What comes next", *BODY[1:]]
    assert "What comes next" in run(page("Council expands the bus network", body=body)).text


def test_advert_label_inside_the_body():
    body = [*BODY[:2], "Advertisement", *BODY[2:]]
    doc = run(page(body=body))
    assert "Advertisement" not in doc.text and "boilerplate:advert" in rules(doc)
    assert_body_kept(doc)
    body = [
        *BODY[:2],
        "Advertisement revenue at the transit agency fell by a third last year, the report said.",
        *BODY[2:],
    ]
    assert "Advertisement revenue" in run(page(body=body)).text


def test_list_after_a_colon_is_kept():
    items = [
        "June 9 -- Central Station, Springfield",
        "June 12 -- Market Square, Shelbyville",
        "June 15 -- Old Mill, Ogdenville",
    ]
    text = (
        "\n\n".join(BODY)
        + "\n\nThe new routes open on these dates:\n"
        + "\n".join(items)
        + "\n\nShare this:\n\nTwitter"
    )
    doc = run(text)
    for item in items:
        assert item in doc.text
    assert "Share this" not in doc.text
    # the same short lines without the colon line are not a list of the article
    text = "\n\n".join(BODY) + "\n\nShare this:\n" + "\n".join(items)
    assert "Central Station" not in run(text).text


def test_teasers_with_bylines_after_the_body_are_dropped():
    teasers = []
    for i in range(4):
        teasers += [
            f"Another headline number {i}",
            "By Someone Else",
            f"The teaser number {i} tells of a different story, one the reader may click on to read the whole "
            "of it somewhere else on the site.",
        ]
    doc = run(page(after=tuple(teasers)))
    assert "teaser" not in doc.text
    assert_body_kept(doc)


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Jane Roe, AP",
        "Photo by Jane Roe/Getty Images",
        "The new buses wait at the depot on Monday morning before their first trip Credit: Getty Images",
        "The mayor speaks to residents at the town hall meeting. (AP Photo/Jane Roe, File)",
        "Jane Roe | Bloomberg | Getty Images",
    ],
)
def test_photo_captions_inside_the_body_are_dropped(line):
    body = [*BODY[:2], line, *BODY[2:]]
    doc = run(page("Home", "News", body=body))
    assert line not in doc.text and "boilerplate:caption" in rules(doc)
    assert_body_kept(doc)


@pytest.mark.parametrize(
    "line",
    [
        "Photographers and reporters were allowed into the depot for the first time since it opened in 1970.",
        "The council said the credit: line in the budget would stay, and the loans would be repaid next year.",
        "Officials (pictured) said the new buses would run every ten minutes during the morning rush hours.",
    ],
)
def test_sentences_about_photos_are_not_captions(line):
    body = [*BODY[:2], line, *BODY[2:]]
    assert line in run(page(body=body)).text


def test_comment_count_heading_and_dated_comments_are_dropped():
    comments = []
    for i in range(3):
        comments += [
            f"Reader {'ABC'[i]}",
            f"August {i + 8}, 2018 at 3:17 pm",
            f"Thanks for the article, I read it twice and I think the council is right about route {i} "
            "because my bus to the hospital is always full in the morning.",
        ]
    doc = run(page("Home", "News", after=("3 thoughts on \u201cCouncil expands the bus network\u201d", *comments)))
    assert "thoughts on" not in doc.text and "Thanks for the article" not in doc.text
    assert "boilerplate:comment-form" in rules(doc)
    assert_body_kept(doc)
    # "two thoughts on" inside a sentence of the article is prose
    body = [
        *BODY[:2],
        "Two thoughts on the plan came up again and again at the meeting, and both were about money.",
        *BODY[2:],
    ]
    assert "Two thoughts on the plan" in run(page(body=body)).text


def test_dated_teasers_after_the_body_are_dropped():
    teasers = []
    for i in range(3):
        teasers += [
            f"Another headline number {i}",
            f"Wednesday November {i + 18}, 2019",
            f"The teaser number {i} tells of a different story, one the reader may click on to read the whole "
            "of it somewhere else on the site, and it is long enough to look like prose.",
        ]
    doc = run(page("Home", "News", after=("More Stories", *teasers)))
    assert "teaser" not in doc.text
    assert_body_kept(doc)
    # a dateline above the text does not cut the article
    doc = run(page("Home", "Council expands the bus network", "Wednesday November 20, 2019"))
    assert_body_kept(doc)


def test_teaser_links_under_a_related_heading_inside_the_body():
    teasers = ["Related", "Bus drivers vote on a new contract", "The tram line that never was"]
    body = [BODY[0], BODY[1], *teasers, BODY[2], BODY[3]]
    doc = run(page("Home", "News", body=body))
    assert "Bus drivers vote" not in doc.text and "The tram line" not in doc.text
    assert "boilerplate:related-block" in rules(doc)
    assert_body_kept(doc)  # the box sits inside the article: the text on both sides stays
    # the teaser run stops at a punctuated line: a sentence after the heading is not one of its links
    doc = run(page(after=("Related Posts", "The council said the routes would open in stages.")))
    assert not any("open in stages" in e.before and e.rule == "boilerplate:related-block" for e in doc.edits)
    # nor is a lone line between the heading and the article's text: that is the article's title
    doc = run(page("Top 5 This Week", "Related Posts", "Council expands the bus network"))
    assert "Council expands the bus network" in doc.text
    assert_body_kept(doc)


LEDE = (
    "LONDON (AP) — Britain's Conservative Party was accused Wednesday of trying to deceive British voters by "
    "changing the name of its press office Twitter account during Tuesday's televised election debate."
)


def test_a_lede_between_chrome_lines_is_kept_when_text_is_near():
    # few function words (near-good) between a byline and a widget: jusText's context would call it bad
    doc = run(
        page(
            "Home",
            "News",
            "Council expands the bus network",
            "By Jane Roe",
            "Associated Press",
            LEDE,
            "Brexit, General News, Government and Politics, Online Media, Political Debates, Social Media",
        )
    )
    assert LEDE in doc.text
    assert_body_kept(doc)
    # the same paragraph far from any text, among footer chrome, still goes
    doc = run(page("Home", "News", after=("Related Posts", "Contact", "Sitemap", "Careers", LEDE, "Privacy Policy")))
    assert LEDE not in doc.text


@pytest.mark.parametrize("heading", ["About Jane Roe", "Über Jane Roe", "Sobre Jane Roe"])
def test_about_heading_late_in_the_body_starts_a_bio(heading):
    bio = (
        "Jane Roe has covered transport for the paper since 2012 and writes a weekly column about the city's "
        "buses, trams and bicycle lanes."
    )
    doc = run(page("Home", "News", body=[*BODY, heading, bio]))
    assert heading not in doc.text and bio not in doc.text
    assert "boilerplate:author-bio" in rules(doc)
    assert_body_kept(doc)


def test_about_heading_early_or_in_a_sentence_is_text():
    # near the top of the article "About the routes" is a section heading of the text
    body = [BODY[0], "About Route 12", BODY[1], BODY[2], BODY[3]]
    assert "About Route 12" in run(page(body=body)).text
    body = [*BODY, "About Jane Roe, the council said nothing at all, and the mayor would not comment on her."]
    assert "About Jane Roe, the council" in run(page(body=body)).text


def test_an_acronym_in_brackets_is_no_photo_credit():
    line = (
        "Das Thema mit dem höchsten Potenzial wird seit Jahren intensiv diskutiert: die elektronische "
        "Patientenakte (ePA)"
    )
    body = [*BODY[:2], line, *BODY[2:]]
    assert not any(e.rule == "boilerplate:caption" for e in run(page(body=body)).edits)


def test_support_appeal_after_the_article():
    line = "If you enjoyed this article, we have a proposition for you: join our members and support our journalism."
    doc = run(page(after=(line,)))
    assert line not in doc.text and "boilerplate:subscribe" in rules(doc)
    body = [
        *BODY[:2],
        "If you enjoyed this article about buses, the council said, the next one is about trams.",
        *BODY[2:],
    ]
    assert "If you enjoyed this article about buses" in run(page(body=body)).text


STANDINGS = [f"{i} Driver Number{i} {5040 - 37 * i} {i % 4} {i % 3} {17 - i % 9} {27 - i % 11}" for i in range(1, 21)]


def test_a_table_of_figures_without_pipes_is_kept_whole():
    text = "\n".join(
        [
            "Home",
            "Standings",
            "Calendar",
            "Drivers",
            "Teams",
            "Contact",
            "Here you will always find the current standings of the championship after the last race!",
            "Final standings of the Cup Series in 2019 after 36 races",
            "Pos. Driver Points Wins Poles Top 5 Top 10",
            *STANDINGS,
            "Share this on WhatsApp",
            "Privacy Policy",
            "About Us",
            "Contact",
        ]
    )
    doc = run(text)
    assert all(row in doc.text for row in STANDINGS)
    assert "Privacy Policy" not in doc.text


def test_a_few_numbered_lines_are_no_table():
    # numbered teasers (one number each) and a sentence with figures are not rows of a table
    teasers = [f"{i} Buses that changed the city" for i in range(1, 6)]
    doc = run(page(after=("Most Read", *teasers)))
    assert "Buses that changed" not in doc.text
    body = [*BODY[:2], "The budget grew from 12.5 million in 2023 to 14.1 million in 2024, up 13%.", *BODY[2:]]
    assert "The budget grew" in run(page(body=body)).text


def test_name_heavy_sentences_next_to_text_are_kept():
    # results read like lists of names (few function words) but end like sentences: beside text they are text
    line = "Springfield North senior Jane Roe finished second in the 50 yard freestyle final."
    doc = run(page("Home", "News", body=[*BODY, line], after=("Previous Next", "Sponsored")))
    assert line in doc.text
    # the same density without sentence punctuation is a menu or teaser line
    line = "Springfield North senior Jane Roe finished second in the 50 yard freestyle final"
    doc = run(page("Home", "News", after=(line, "Previous Next", "Sponsored")))
    assert line not in doc.text


def test_related_link_line_and_copy_link():
    body = [*BODY[:2], "Related: Possible water plumes on Europa in pictures", *BODY[2:]]
    doc = run(page("Home", "News", "Copy Link URL Copied!", body=body))
    assert "Possible water plumes" not in doc.text and "Copy Link" not in doc.text
    assert {"boilerplate:related-block", "boilerplate:share"} <= rules(doc)
    assert_body_kept(doc)
    body = [
        *BODY[:2],
        "Related to the budget, the council also voted to repair the old depot on Mill Street.",
        *BODY[2:],
    ]
    assert "Related to the budget" in run(page(body=body)).text


def test_forum_invitation_is_a_call_to_action():
    para = BODY[3] + " Join our Space Forums to keep talking about buses and trams!"
    doc = run(page(body=[*BODY[:3], para]))
    assert "Join our Space Forums" not in doc.text and "boilerplate:call-to-action" in rules(doc)
    assert BODY[3] in doc.text
    para = BODY[3] + " Join the community garden on Saturday, the mayor said."
    assert "Join the community garden" in run(page(body=[*BODY[:3], para])).text


DISCLAIMER = (
    "The information provided on this website was originally intended for readers in the city, and it is "
    "not meant to replace the advice of a professional who knows your situation."
)
DISCLAIMERS = (
    DISCLAIMER,
    "Results vary with the starting point, the goals and the effort, and the examples on this site are not "
    "typical of what every reader can expect to achieve in the first months.",
    "These statements have not been evaluated by any agency, and the products named here are not intended to "
    "diagnose, treat, cure or prevent any disease that a reader may have.",
)


def test_walls_repeated_in_a_footer_still_end_the_body():
    footer = (
        "Facebook",
        "Instagram",
        "Join our newsletter",
        "Facebook",
        "Instagram",
        "Join our newsletter",
        *DISCLAIMERS,
    )
    doc = run(page("Home", "News", "Facebook", "Instagram", "Join our newsletter", after=footer))
    assert DISCLAIMER not in doc.text
    assert_body_kept(doc)
    # a label said twice inside the article is no wall: the text after it stays
    body = [BODY[0], "Advertisement", BODY[1], "Advertisement", BODY[2], BODY[3]]
    assert_body_kept(run(page("Home", "News", body=body)))


def test_unspaced_script_page():
    paras = [
        "今日は市議会がバスの路線を四つ増やすことを決めました。新しい路線は来年の末までに北の郊外と病院と大学を結びます。"
        * 2,
        "市の担当者によると、費用は約十二億円で、その大部分は春に承認された県の補助金で賄われるということです。" * 2,
    ]
    doc = run("\n".join(["ホーム", "ニュース", "スポーツ", *paras, "関連記事", "別の記事の見出し"]))
    assert all(p in doc.text for p in paras)
    assert "ホーム" not in doc.text


# a Chinese travel blog: its lines are phrases without punctuation, each under 70 characters, among menus
BLOG_ZH = [
    "今年秋天我們一家人又來到了山上的小村子 這裡的楓葉已經紅了一大片",
    "早上的霧氣還沒有散去 我們就沿著溪邊的小路慢慢地走到了村子的另一頭",
    "村裡的老人說這幾年來看楓葉的人越來越多 週末的停車場都是滿的",
    "中午我們在路邊的小店吃了一碗熱湯麵 老闆還送了我們一盤自己種的青菜",
    "下午的陽光很好 孩子們在落葉堆裡跑來跑去 我也拍了很多的照片",
    "回家的路上大家都說明年還要再來 也許可以在山上多住一個晚上",
]


def test_unspaced_lines_are_measured_per_character():
    # each line is some 30 Han characters (as long as 90 or more of a spaced script) with a fifth or more of
    # function characters (的 了 我們 在 ...): prose, where a count of characters or of words saw only short lines
    side = ["熱門文章", "(1203) 山上的楓葉季", "(988) 海邊的小鎮", "文章分類", "旅遊 (12)", "美食 (8)"]
    text = "\n".join(["首頁", "部落格", "相簿", "留言", "關於我", "", *"\n\n".join(BLOG_ZH).split("\n"), "", *side])
    doc = run(text)
    assert all(line in doc.text for line in BLOG_ZH)
    assert "首頁" not in doc.text and "海邊的小鎮" not in doc.text
    assert run(doc.text).text == doc.text


def test_unspaced_related_heading_and_its_titles_go():
    paras = [
        "今日は市議会がバスの路線を四つ増やすことを決めました。新しい路線は来年の末までに北の郊外と病院を結びます。",
        "市の担当者によると、費用は約十二億円で、その大部分は春に承認された県の補助金で賄われるということです。",
        "説明会では住民から、夜遅くまで走る便を増やしてほしいという声が多く上がったそうです。",
    ]
    titles = [
        "駅前の再開発計画が住民の反対で見直されることになったという話",
        "図書館の開館時間が来月から夜九時まで延びるので行ってみた",
    ]
    doc = run("\n".join(["ホーム", "ニュース", "", *paras, "", "関連記事", *titles]))
    assert all(p in doc.text for p in paras)
    assert not any(t in doc.text for t in titles)
    assert "boilerplate:related-block" in rules(doc)


def test_unspaced_reprint_notice_is_copyright():
    paras = [
        "市议会星期一决定增加四条公交线路，新的线路将在明年年底以前把北部的郊区和医院、大学连接起来。",
        "官员说，这个计划大约要花一千二百万元，其中大部分来自春天批准的一笔州政府拨款。",
    ]
    notice = "【本文作品的相关权益归本网站所有。未经授权，不得转载、摘编。】"
    doc = run("\n".join(["首页", "新闻", "", *paras, "", notice, "返回顶部"]))
    assert all(p in doc.text for p in paras) and notice not in doc.text
    assert "boilerplate:copyright" in rules(doc)


def test_disabled_rule_and_disabled_step():
    text = page(body=[*BODY[:2], "Tuesday, June 17, 2025", *BODY[2:]])
    assert "June 17" not in run(text).text
    assert "June 17" in run(text, BoilerplateConfig(disabled_rules=("boilerplate:date-line",))).text
    assert run(text, BoilerplateConfig(enabled=False)).text == text


def test_every_drop_is_recorded_with_its_rule():
    text = page("Home", "News", "Tuesday, June 17, 2025", after=("Related Posts", "LEAVE A REPLY"))
    doc = run(text)
    dropped = sum(len(e.before) for e in doc.edits if e.op == "drop")
    assert len(text) - dropped == len(doc.text)
    assert all(e.rule.startswith("boilerplate:") and e.step == "boilerplate" for e in doc.edits)


# ------------------------------------------------------------------ robustness


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "   \n\n  ",
        "x",
        "Home",
        "|",
        "By",
        "©",
        "\u200b\u0000\ud800",
        "日本語のテキストです。" * 50,
        "a\n" * 2000,
        ("word " * 5000).strip(),
        "By " + "A" * 10000,
        "| a | b |\n" * 3,
    ],
)
def test_never_crashes_and_is_idempotent(text):
    once = run(text)
    assert strip_boilerplate(once, CFG).text == once.text


def test_a_lone_sentence_loses_only_its_call_to_action():
    text = "The council approved the budget after a long debate. Share your thoughts in the comments below.\n"
    doc = run(text)
    assert doc.text == "The council approved the budget after a long debate.\n"
    assert strip_boilerplate(doc, CFG).text == doc.text


def test_a_table_stays_whole():
    text = (
        "| Department | Last year | This year |\nThe council approved the budget after a long debate. | a | b | c |\n"
    )
    once = run(text)
    assert strip_boilerplate(once, CFG).text == once.text
    assert once.text.count("|") in (0, text.count("|"))


def test_idempotent_on_a_messy_page():
    body = [BODY[0], "Key Points", BODY[1] + " Let us know what you think in the comments below.", *BODY[2:]]
    text = page(
        "Home",
        "World",
        "Tuesday, June 17, 2025",
        "Council expands the bus network",
        "By Jane Roe",
        body=body,
        after=("Related Posts", "Another story", "LEAVE A REPLY", "© 2024 City News"),
    )
    once = run(text)
    twice = strip_boilerplate(once, CFG)
    assert twice.text == once.text and twice.edits == once.edits


# ------------------------------------------------------------------ seeds (../shared)


def _seeds():
    exp = SHARED / "seeds" / "expectations.json"
    if not exp.is_file():
        pytest.skip(f"shared seeds not found at {exp.parent} (checkout without ../shared)")
    return json.loads(exp.read_text(encoding="utf-8"))["documents"]


def _seed_doc(name: str) -> tuple[str, Document]:
    raw = (SHARED / "seeds" / name).read_text(encoding="utf-8")
    return raw, run(raw)


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_seed_boilerplate_expectations(prefix):
    docs = _seeds()
    name = next(n for n in docs if n.startswith(prefix))
    _, doc = _seed_doc(name)
    for snippet in docs[name].get("keep", []):
        assert snippet in doc.text
    for snippet in docs[name].get("drop", []):
        assert snippet not in doc.text
    for key, value in docs[name].get("metadata", {}).items():
        assert doc.metadata.get(key) == value
    assert strip_boilerplate(doc, CFG).text == doc.text


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_content_seeds_are_kept(prefix):
    docs = _seeds()
    name = next(n for n in docs if n.startswith(prefix))
    raw, doc = _seed_doc(name)
    for snippet in docs[name].get("keep", []):
        assert snippet in doc.text
    assert len(doc.text) >= 0.98 * len(raw)
    for title in docs[name].get("titles", []):
        assert title in doc.text
    assert "Share your thoughts in the comments below." not in doc.text


# ------------------------------------------------------------------ speed rewrites (issue 6) keep the results


def test_first_char_guards_never_reject_a_match():
    """Each phrase rule behind its guard matches exactly where it matched alone, case variants included."""
    import random
    import re

    from cleaners.boilerplate import PATTERNS
    from cleaners.first_chars import first_chars, guarded

    rng = random.Random(3)
    pats = [p for ps in PATTERNS.values() for p in ps if not p.replace(" ", "").isalpha()]
    assert first_chars(r"(?:\d+ )?comments?", re.I) is None  # a category: no guard
    assert first_chars(r"(?:read|see)? more", re.I) == " rs"  # an optional group: what follows it too
    # letters IGNORECASE folds specially (long s, Kelvin sign, dotted and dotless i) and ordinary text
    noise = list("abcdeiklmnoprstuwy ABCDEIKLMNOPRSTUWY:.!?()[]©0123456789") + ["ſ", "K", "İ", "ı", "ß", "’"]
    matched = 0
    for p in (p for ps in PATTERNS.values() for p in ps):
        plain, guard = re.compile(p, re.I), re.compile(guarded(p, re.I), re.I)
        words = [w for w in re.findall(r"[^\W\d_]+", p)] or ["x"]
        for _ in range(200):
            t = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
            t = "".join(
                rng.choice(noise) if rng.random() < 0.1 else (c.upper() if rng.random() < 0.3 else c) for c in t
            )
            for s in (t, t.replace("s", "ſ"), t.replace("k", "K"), t.replace("i", "İ")):
                assert bool(plain.match(s)) == bool(guard.match(s)), (p, s)
                matched += plain.match(s) is not None
    assert pats and matched > 1000  # (the data file has patterns, and the strings made here match them often)


def test_features_kept_across_passes_and_documents_change_nothing():
    """Cleaning a page twice in one process (shared short-line features) gives the same document."""
    text = page("Home", "News", "Share this article", after=("Related Posts", "Leave a Reply"))
    a = run(text)
    b = run(text)
    assert a == b and a.text == b.text


def test_story_follows_the_heading_whose_run_scores_best():
    # the headline is named twice: first as a link in a sidebar of teasers, then over the story itself, whose
    # header (byline, date, a comment counter) is no wall in front of it
    teasers = []
    for i in range(3):
        teasers += [
            f"Another headline number {i} about the region",
            f"The summary number {i} of a different story says what happened on the other side of town "
            "this week, and why the residents there, who had waited for years, were so upset about the "
            "decision of the board.",
        ]
    text = page(
        "Council expands the bus network - City News",
        "Home",
        "News",
        "Council expands the bus network",
        *teasers,
        "Privacy",
        "Terms",
        "Council expands the bus network",
        "By Jane Roe",
        "Monday November 18, 2019",
        "11 Comments",
    )
    doc = run(text)
    assert_body_kept(doc)
    assert doc.metadata["title"] == "Council expands the bus network"
    assert "boilerplate:comments" not in rules(doc)


def test_same_opening_with_another_ending_is_no_repeat():
    # two records of a list open alike ("Notes: Paper, Annual Meeting, ..."); the first is dropped as low-content,
    # the second says something else after the opening: no copy, so not a repeated block
    first = "Notes: Paper, Annual Meeting, National Rural Education Association, San Antonio TX, October 1996."
    second = (
        "Notes: Paper, Annual Meeting, National Rural Education Association, and it was one of the papers that "
        "the members of the board had asked for, in the autumn of the year when they met in Boston."
    )
    nav = ("Home", "Archive", "Search")
    doc = run(page("Home", "News", after=("By Jane Roe", *nav, first, "Topics", "Authors", "Index", second)))
    assert first not in doc.text and second in doc.text
    assert "boilerplate:repeated-block" not in rules(doc)
    # a true copy of a dropped block (cut short with an ellipsis or not) still goes
    doc = run(
        page("Home", "News", after=("By Jane Roe", *nav, first, "Topics", "Authors", "Index", first[:80] + "..."))
    )
    assert "Notes: Paper" not in doc.text


def test_copy_after_the_body_of_a_weak_drop_is_a_records_field():
    # two records of a list after the body name the same agency: the second field is an exact copy of the first,
    # which went as low-content (among short fields); a copy is no evidence of chrome by itself, so the second stays
    field = "Sponsoring Agency: Office of the Regional Planning and Transport Studies (RPT), Springfield. (X0036)"
    abstract = (
        "This report describes how the routes of a regional bus network were planned, and what the planners "
        "learnt from the surveys of the riders that were made in the years before."
    )
    desc = "Descriptors: Buses; Transport Planning; Surveys; Regional Networks; Cities; Riders; Timetables"
    records = ("Record 1", "Pages: 18", field, "Language: English", desc, "Record 2", abstract, field, desc)
    doc = run(page("Home", "News", after=("By Jane Roe", "Home", "Archive", "Search", *records)))
    assert_body_kept(doc)
    assert "boilerplate:repeated-block" not in rules(doc)
    assert f"{abstract}\n{field}" in doc.text
    # a copy of a line of the page's header (before the body: its headline said again) still goes as a repeat
    headline = (
        "BUS ROUTES ADDED: Council Adds Four New Routes To Hospital, University And Northern Suburbs. Cost: $12M."
    )
    menu = ("Home", "News", "Weather", "Sport", "Opinion")
    doc = run(page(*menu, headline, "Video", "Login", "Search", after=(headline, *menu)))
    assert_body_kept(doc)
    assert headline not in doc.text and "boilerplate:repeated-block" in rules(doc)


def test_call_to_action_under_each_item_of_a_listing_stays():
    # a front page of posts of two paragraphs each, every post ending with the same link to the whole story: the
    # link is the listing's, and stays with its post
    items = []
    for k in range(3):
        items += [f"Story number {k + 1} of the week", BODY[k], BODY[k + 1], "Click here to read the story..."]
    doc = run(page("Home", "News", body=items, after=("Copyright 2024 Example News.",)))
    assert doc.text.count("Click here to read the story...") == 3
    assert "boilerplate:call-to-action" not in rules(doc)
    assert run(doc.text).text == doc.text  # (a fixed point)
    # said once under the article, the same call goes
    doc = run(page("Home", "News", after=("Click here to read the story...", "Copyright 2024 Example News.")))
    assert_body_kept(doc)
    assert "Click here to read" not in doc.text and "boilerplate:call-to-action" in rules(doc)
    # under items that go (a list of teasers), the links go with them
    items = []
    for k in range(3):
        items += [f"Another story number {k + 1} of the week", BODY[k][:120] + ".", "Click here to read the story..."]
    doc = run(page("Home", "News", after=("Copyright 2024 Example News.", *items)))
    assert_body_kept(doc)
    assert "Click here to read" not in doc.text


def test_a_list_of_records_stays():
    # a catalogue after the article: the same labelled fields record after record (few function words each)
    records = []
    for k, (title, name) in enumerate(
        [("Bus Routes", "Roe, Jane"), ("Tram Lines", "Doe, John"), ("Rail Hubs", "Poe, Ann")]
    ):
        records += [
            f"ED{4790 + k} TM{35136 + k}",
            f"Title: {title} in Northern Suburbs: Planning Report {k + 1}.",
            f"Author(s): {name}",
            f"Pages: {18 + 7 * k}",
            f"Publication Date: {2001 + k}",
            f"Descriptors: Transport; {title}; Regional Planning; Surveys",
        ]
    doc = run(page("Home", "News", after=("Copyright 2024 Example News.", "Home", "Archive", *records)))
    assert_body_kept(doc)
    for line in records[1:]:  # (from the first field on)
        assert line in doc.text
    assert "Archive" not in doc.text
    # a menu said three times is no list of records: its labels repeat their values
    menu = ["Basketball: College", "Basketball: N.B.A.", "Football: College", "Football: N.F.L.", "Golf", "Tennis"]
    doc = run(page(*menu, "Home", after=(*menu, "Contact", *menu)))
    assert_body_kept(doc)
    assert "Basketball" not in doc.text and "Football" not in doc.text


def test_a_line_of_html_source_is_markup():
    # a noscript notice and a tracking pixel left in a page's text as HTML source; a sentence naming a tag stays
    notice = '<div class="alert"><p>JavaScript is <em>disabled</em> in your browser.</p></div>'
    pixel = '<img height="1" width="1" style="display:none" src="http://example.com/pixel.gif?c1=2&amp;c2=15" />'
    tag_talk = "<br> breaks a line, and the council's web team said it would use it in every new timetable page."
    doc = run(page("Home", notice, "News", body=[*BODY[:2], tag_talk, *BODY[2:]], after=(pixel,)))
    assert_body_kept(doc)
    assert tag_talk in doc.text
    assert "<div" not in doc.text and "<img" not in doc.text
    assert "boilerplate:markup" in rules(doc)


def test_a_slideshow_inside_an_article_is_a_gallery():
    slides = []
    for k, caption in enumerate(
        [
            "The new depot opened on Monday, and the first of the buses left it at six in the morning.",
            "Drivers were trained for two weeks on the new routes before the buses went into service.",
            "The mayor rode the first bus to the hospital, where he met the nurses of the night shift.",
            "Residents waited at the new stops, many of them with their children, to see the buses arrive.",
        ]
    ):
        slides += [f"{k + 1}/4 Day {k + 1} of the new network", caption, "Getty Images" if k % 2 else "AP"]
    doc = run(page("Home", "News", body=[*BODY[:2], "Bus network in pictures", *slides, *BODY[2:]]))
    assert_body_kept(doc)
    assert "/4" not in doc.text and "Drivers were trained" not in doc.text
    assert "boilerplate:gallery" in rules(doc)
    # the slideshow is the page (no article around it): its captions stay
    doc = run(page("Home", "News", body=slides))
    assert "Drivers were trained" in doc.text and "boilerplate:gallery" not in rules(doc)
    # dates are no counters
    dated = [f"12/2{k} Another story of the day number {k}" for k in range(4)]
    doc = run(page("Home", "News", body=[*BODY[:2], *dated, *BODY[2:]]))
    assert "boilerplate:gallery" not in rules(doc)


def test_a_bulleted_list_the_body_ends_in_stays_whole():
    # a changelog: the body's last paragraphs are long items of a list whose short items follow
    long_items = [f"* {p}" for p in BODY]
    short_items = ["* Added night buses", "* Fixed the timetable", "* New stops downtown", "* Removed route 9"]
    doc = run(page("Home", "News", body=[*long_items, *short_items], after=("Contact", "Archive")))
    for line in long_items + short_items:
        assert line in doc.text
    assert "Archive" not in doc.text
    # short lines with another bullet (or none) after the body are still menus
    doc = run(page("Home", "News", body=long_items, after=("- Home", "- Archive", "- Contact")))
    assert "- Archive" not in doc.text


def test_a_bulleted_list_of_sentences_stays():
    # a plan's steps between the page's menu and its text: short items with few function words, but sentences
    steps = [
        "• Draw the new routes on a map.",
        "• Count riders at each stop.",
        "• Ask drivers about delays.",
        "• Publish the timetable online.",
    ]
    doc = run(page("Home", "News", after=("Contact", "Archive", "Bus Plan Steps", *steps)))
    for line in steps:
        assert line in doc.text
    assert "Archive" not in doc.text
    # a menu's items end with no full stop, a listing's headlines with "?" or "!": they go
    menu = ["• Routes and maps", "• Why are buses late?", "• Ride with us!", "• Timetables"]
    doc = run(page("Home", "News", after=("Contact", *menu)))
    assert not any(line in doc.text for line in menu)


def test_tex_source_beside_a_formula_goes():
    # a wiki's math as text: the rendered formula, then its TeX source in braces; the source goes, the rest stays
    line = (
        "If the conjugate transpose of a matrix A {\\displaystyle A} is denoted by A H {\\displaystyle A^{\\mathsf {H}}} ,"
        " then the property can be written concisely as a short equation between the matrix and its transpose."
    )
    doc = run(page("Home", "News", body=[*BODY[:2], line, *BODY[2:]]))
    assert_body_kept(doc)
    assert "displaystyle" not in doc.text and "boilerplate:tex-source" in rules(doc)
    assert "If the conjugate transpose of a matrix A is denoted by A H , then the property" in doc.text
    assert run(doc.text).text == doc.text


def test_the_article_going_on_past_a_row_of_share_buttons_stays():
    share = ("Facebook", "Twitter", "Whatsapp", "Linkedin")
    more = [
        "The council said on Tuesday that the night buses would follow the new routes too, and that the first of "
        "them would leave the depot at midnight from the end of the month.",
        "Drivers who work at night will be paid more, the union said, after talks with the council that lasted "
        "for most of the autumn and ended with a deal that both sides welcomed.",
        "The mayor said that he hoped the night buses would bring people back to the centre of the city in the "
        "evening, when many of the restaurants and theatres are still half empty.",
    ]
    doc = run(page("Home", "News", after=(*share, *more, "Contact", "Archive")))
    assert_body_kept(doc)
    for p in more:
        assert p in doc.text
    assert "Facebook" not in doc.text and "Archive" not in doc.text
    # a paragraph or two past them are the footer (a disclaimer, the site's blurb)
    doc = run(page("Home", "News", after=(*share, *more[:2], "Contact", "Archive")))
    assert more[0] not in doc.text and "boilerplate:footer" in rules(doc)


def test_a_paragraph_wrapped_mid_sentence_stays_whole():
    # the article's last paragraph hard-wrapped: its last pieces, short and unpunctuated, read as menu lines one
    # by one, but they go on a sentence of a kept line
    last = [
        "The mayor said that the council would look again at the timetable once the first routes were running,",
        "and that he expected the buses to be full from the first week of the",
        "new timetable",
    ]
    doc = run(page("Home", "News", body=[*BODY[:3], *last], after=("Contact", "Archive", "Search", "Login")))
    for line in [*BODY[:3], *last]:
        assert line in doc.text
    assert "Archive" not in doc.text


def test_a_paragraph_of_sentences_between_chrome_lines_stays():
    # a lesson plan's sections outside the body: each a paragraph of sentences with few function words, set
    # between short headings; its sentences are text however the lines around it read
    section = (
        "Assessment: students meet weekly to review progress, assign duties and present plans. Teachers grade "
        "the interviews, slide shows, bio sketches and photo displays. Parents attend the final celebrations."
    )
    bar = "Lesson Plans | Subject Areas | Grade Levels | Teacher Tips | Web Sites | Keywords | Return To Index Page"
    menu = (bar, "Contact", bar.upper())
    doc = run(page("Home", "News", after=(*menu, section, *menu)))
    assert_body_kept(doc)
    assert section in doc.text and "Grade Levels" not in doc.text
    # after a date or a byline it is a teaser's summary or a comment; said twice, a notice
    doc = run(page("Home", "News", after=(*menu, "Tuesday November 19, 2019", section, *menu)))
    assert section not in doc.text
    doc = run(page("Home", "News", after=(*menu, section, *menu, section)))
    assert section not in doc.text


CODE_A = (
    'var content ="Hello World"; var reqHeaders = new Headers (); reqHeaders. append ("Content-Type","text/plain");'
    ' reqHeaders. append ("Content-Length", content. length. toString ());'
)
CODE_B = 'var uploadReq = new Request ("/uploadImage", { method:"POST", headers: {"Content-Type":"image/png", }, body:"image data" });'


def test_code_samples_inside_an_article_stay_with_the_prose_around_them():
    # a code line has no function words: not chrome by itself; the wrapped prose between two samples stays too
    body = [
        BODY[0],
        BODY[1],
        "Fetching a file and reading it as data would look like this:",
        CODE_A,
        "The arguments are the same as those passed to the constructor, so you",
        "may pass any request you like, and the headers go with it as well:",
        CODE_B,
        BODY[2],
        BODY[3],
    ]
    doc = run(page("Home", "News", body=body))
    assert CODE_A in doc.text and CODE_B in doc.text
    assert "may pass any request you like" in doc.text
    assert_body_kept(doc)
    assert "Home" not in doc.text


def test_a_code_line_among_chrome_still_goes():
    code = "Krux ('scrape', { 'page_attr_description': {meta_name: 'Description'}, 'page_attr_id': {id: 1}});"
    doc = run(page("Home", "News", "Sport", code, "Weather", "Contact"))
    assert code not in doc.text
    assert_body_kept(doc)


NOTES = [
    "emalysz continues to make progress on the migration of the old file code to the new one in the tree",
    "Shout out to barret for landing the changes that were needed to move all of the remaining callers",
    "florian has some new ideas for the dashboard that will make it easier to find a hang in the parent",
    "Gijs made the toolbar initialization happen later in the startup so that the first window is faster",
]


def test_near_good_lines_in_a_row_are_text_whatever_is_around_them():
    # notes without sentence punctuation, each with function words like prose, between chrome lines
    chrome = "Resolved bugs Masatoshi Kimura Michelle Goossens Tim Nguyen Sonia Ankush Dua Kenrick Dimi Gero"
    doc = run(page("Home", "News", after=(chrome, *NOTES, chrome.upper(), "Privacy Terms Contact")))
    for note in NOTES:
        assert note in doc.text
    assert_body_kept(doc)
    off = run(
        page("Home", "News", after=(chrome, *NOTES, chrome.upper(), "Privacy Terms Contact")),
        BoilerplateConfig(neargood_run=0),
    )
    assert NOTES[0] not in off.text


def test_headlines_in_a_row_are_no_run_of_text():
    heads = [
        "Happy Birthday To The Director: Five Of His Movies That You Can Watch On Loop All Year",
        "International Day: The Most Handsome Classic Actors That Even Put The New Stars To Shame",
        "These Pictures Of The Former Miss Universe With Her Partner Are Just Unmissable For Fans",
    ]
    chrome = "Resolved bugs Masatoshi Kimura Michelle Goossens Tim Nguyen Sonia Ankush Dua Kenrick Dimi Gero"
    doc = run(page("Home", "News", after=(chrome, *heads, chrome.upper(), "Privacy Terms Contact")))
    for h in heads:
        assert h not in doc.text
    assert_body_kept(doc)


def test_counted_captions_in_a_row_are_no_run_of_text():
    caps = [
        f"{k} of 4 A shopper looks at the extension cords in the store on Tuesday, in preparation of the shutoff"
        for k in range(1, 5)
    ]
    chrome = "Resolved bugs Masatoshi Kimura Michelle Goossens Tim Nguyen Sonia Ankush Dua Kenrick Dimi Gero"
    doc = run(page("Home", "News", *caps, chrome, body=BODY))
    for c in caps:
        assert c not in doc.text
    assert_body_kept(doc)


def test_a_shell_session_inside_an_article_stays():
    shell = "$ hg clone public review updating to branch default 1 files updated, 0 files merged, 0 files removed"
    body = [BODY[0], BODY[1], shell, BODY[2], BODY[3]]
    doc = run(page("Home", "News", body=body))
    assert shell in doc.text
    assert_body_kept(doc)


RANKING = ["Alice Moreau 412 38.2%", "Bruno Keller 251 23.3%", "Carla Ruiz 180 16.7%", "Dmitri Olsen 97 9.0%"]
SECOND_STORY = [
    "Weekly roundup",
    "Advertisement",
    "Another project kept its own pace this year, and its mailing list tells a quieter story than the one above: "
    "fewer releases, fewer people, and a slower rate of changes going into the repository.",
    "Over the last twelve months the repository took in about a thousand changes from some forty people, and the "
    "most active of them were these:",
    "By commits",
    *RANKING,
    "In other words, a handful of people wrote most of the changes, which is common for a project of this size "
    "and age, although it leaves the project in trouble should one of them move on to other work.",
    "Whether that will change next year depends on how many of the newcomers stay after their first release, and "
    "on whether the companies that pay for the work keep paying for it once the next version is out.",
]


def test_a_ranking_between_paragraphs_outside_the_body_is_kept():
    # rows of a label and two figures are a table's rows; between kept paragraphs (outside the main body: a second
    # story of the page) they are the text's figures, not navigation
    menu = ("Comments (3 posted)", "Security", "Kernel", "Distributions", "Development", "Announcements", "Calendar")
    menu += ("Archives", "Front page", "Weekly edition", "Events", "Jobs", "Mailing lists", "Podcasts", "Topics")
    doc = run(page("Home", "News", after=(*menu, *SECOND_STORY, "Privacy Policy", "Contact"), body=BODY * 3))
    assert "Kernel" not in doc.text and "Podcasts" not in doc.text  # (the second story is outside the body)
    assert all(row in doc.text for row in RANKING)
    assert "Privacy Policy" not in doc.text


def test_figures_without_prose_on_both_sides_or_dates_are_not_kept_as_a_table():
    # a ticker after the body's last paragraph, with chrome after it: no text on both sides
    ticker = ["Dow Jones 33,512 -0.4%", "Nasdaq 12,101 +0.3%", "Brent crude 84.2 -1.1%", "Gold price 1,945 +0.2%"]
    doc = run(page(after=("Markets", *ticker, "Privacy Policy", "Contact")))
    assert not any(row in doc.text for row in ticker)
    # dates under one another ("Sept 3, 2002") are no row of figures: their first figure ends with a comma
    from cleaners.boilerplate.line_rules import _figures_row

    assert not _figures_row("Tuesday | Sept 3, 2002".split())
    assert _figures_row("Red Hat 8417 38.0%".split())


def test_a_line_of_few_function_words_between_paragraphs_it_runs_with_is_kept():
    # a changelog's line in the same paragraph group (no blank line) as the good lines around it: the text's own
    line = "Lena fixed ticket 4417 where the route planner showed stale departure times for night buses"
    body = [BODY[0], BODY[1] + "\n" + line + "\n" + BODY[2], BODY[3]]
    doc = run("\n\n".join(["Home", "News", *body, "Privacy Policy"]))
    assert line in doc.text
    assert_body_kept(doc)
    # standing apart between blank lines (a teaser's headline inside an article), it goes as before
    doc = run("\n\n".join(["Home", "News", BODY[0], BODY[1], line, BODY[2], BODY[3], "Privacy Policy"]))
    assert line not in doc.text
    # a headline (capitalized words) in the group goes too
    headline = "Council Approves Four New Night Bus Routes From Northern Suburbs To The Hospital Campus"
    body = [BODY[0], BODY[1] + "\n" + headline + "\n" + BODY[2], BODY[3]]
    assert headline not in run("\n\n".join(["Home", "News", *body, "Privacy Policy"])).text


def test_a_short_heading_between_two_kept_paragraphs_outside_the_body_is_kept():
    # outside the main body, a heading jusText calls good (a short line between good paragraphs) between two kept
    # paragraphs is part of their text; a button of two words there goes as before
    advice = (
        "Most departments will ask you to describe your thesis in a few sentences, so it pays to practise the answer "
        "with a friend who does not work in your field before the day of the interview.",
        "The interviews are also for you to find things out, and asking questions shows that you have thought about "
        "the place and about what you would need in order to do good work there.",
    )
    menu = ("Archives", "Front page", "Weekly edition", "Events", "Jobs", "Mailing lists", "Podcasts", "Topics")
    menu += ("Calendar", "Kernel", "Security", "Distributions")
    three = ["Part two of the interview", "-- posted by Jane Roe at 12:41PM Fri 14 Jul 2006", "Questions to ask them"]
    for lines, kept in (([three[2]], True), (three, True), (["Read later"], False)):
        text = "\n\n".join(["Home", *(BODY * 3), *menu, advice[0], *lines, advice[1], "Privacy Policy", "Contact"])
        doc = run(text)
        assert all((line in doc.text) is kept for line in lines)
        assert all(p in doc.text for p in advice) and "Kernel" not in doc.text


def test_the_authors_address_after_the_article_goes():
    address = "Write to Jane Roe at jane.roe@example.com"
    doc = run(page("Home", "News", after=(address, "Privacy Policy")))
    assert address not in doc.text and "boilerplate:author-bio" in rules(doc)
    assert_body_kept(doc)
    # an invitation that goes on is the text's own ("... I'd love to help.")
    invitation = "Contact Jane Roe at jane.roe@example.com - I have done this since 1991, and I'd love to help."
    assert invitation in run(page("Home", "News", after=(invitation, "Privacy Policy"))).text
