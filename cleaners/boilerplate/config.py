"""BoilerplateConfig: the thresholds of strip_boilerplate."""

from __future__ import annotations

from dataclasses import dataclass

from ..steps import StepConfig


@dataclass(frozen=True)
class BoilerplateConfig(StepConfig):
    """Thresholds of strip_boilerplate (jusText's defaults for the block classes)."""

    extra_phrases: tuple[str, ...] = ()  # site phrases: a short line (or a sentence) starting with one is dropped
    length_low: int = 70  # shorter blocks are "short": their neighbours decide
    length_high: int = 150  # longer blocks with enough stop words are "good"
    stopwords_low: float = 0.30
    stopwords_high: float = 0.30
    stopwords_prose: float = 0.15  # a block with sentence punctuation needs only this many to be near-good
    max_heading_distance: int = 200  # a short heading this many chars before good text is kept
    phrase_max_words: int = 30  # phrase rules drop only lines this short
    caption_max_words: int = 60  # photo captions and credits ("... Credit: Getty") up to this long
    header_max_words: int = 8  # between title and text, lines this short are meta (handles, places, "Share via")
    heading_max_words: int = 8  # heading-like phrase rules (related, share, footer) spare longer sentences
    wall_weight: int = 300  # a phrase-rule line weighs like this many chars of chrome
    bad_line_weight: int = 25
    isolated_gain: float = (
        0.3  # a paragraph with no other within isolation_window blocks counts this share of its length
    )
    isolation_window: int = 2
    table_gain: float = 1.0  # a table row of good context counts this share of its length for the body (like text)
    numeric_min_rows: int = 4  # this many lines in a row that are mostly numbers form a table (kept whole)
    numeric_share: float = 0.4
    numeric_max_tokens: int = 20
    sentence_min_words: int = 5  # a low-content line ending a sentence between two kept lines, this long: kept
    listing_label_words: int = 12  # a label said under each item of a listing the page is (see _keep_listing_items)
    listing_size_share: float = 0.65  # ... its items about one length: the shortest this share of the longest or more
    gap_max_lines: int = 3  # this few good lines without a rule between two kept paragraphs stay (3+ words each)
    table_text_gap: int = 3  # a table with kept prose this few dropped lines before and after it stays
    teaser_max_items: int = 12  # unpunctuated lines after a related-block heading dropped as its teasers
    list_min_items: int = 3  # a bulleted list the body starts or ends in, this many items or more: kept whole
    list_max_items: int = 100  # lines kept after a body line ending with ":" in the same paragraph group
    date_weight: int = 0  # a date-only line weighs like this many chars of chrome
    late_date_weight: int = 600  # ... and this many once prose has begun (dates of teasers and comments)
    short_line_weight: int = 10  # a short line without sentence punctuation costs this much inside a body
    dup_prefix_chars: int = 50  # blocks opening with the same this-many chars repeat each other  # each chrome line also costs this much on top of its length
    about_max_words: int = 5  # an "About Jane Roe" heading in the second half of the body starts a bio
    title_max_chars: int = 200
    headline_min_share: float = 0.25  # the run after the headline wins if it scores this share of the best run
    title_lookback: int = 8  # blocks before the body searched for the title
    # "article": the page's one main text (news corpora); "page": every run of blocks that scores
    # like content, not only the best one (several posts, sections or a forum thread: pretraining corpora)
    mode: str = "article"
    region_share: float = 0.25  # ... when it scores this share of the main body
    region_min_score: float = 150.0  # ... and at least this much (about a paragraph of prose)
    region_min_paragraphs: int = 2  # ... with this many prose paragraphs (one under a headline is a teaser)
    keep_outside_prose: bool = True  # prose outside the body stays unless evidence names it chrome
    teaser_min_items: int = 2  # headline-and-paragraph items in a row outside the body: a list of teasers
    teaser_headline_words: int = 20
    thread_min_posts: int = 3  # post headers (a short name line, then a date line) that make a page a thread
    post_header_lines: int = 4  # ... the date this many lines after the name at most
    record_min_fields: int = 2  # labels ("Title:", "Pages:") each said record_min_repeats times in a run: records
    record_min_repeats: int = 3
    record_max_gap: int = 8  # ... a field at most this many lines after the last one
    gallery_min_slides: int = 3  # captions counted "1/N", "2/N", ... in order inside an article: a slideshow
    footer_max_run: int = 3  # this many prose paragraphs in a row past a share or footer line are no footer
    teaser_max_chars: int = 400  # a teaser's summary is this short (a report's sections run longer)
    keep_punctuated_in_body: bool = True  # lines of sentences inside the body are never low-content
    max_passes: int = 4  # passes to reach a fixed point (the bench needs at most three)
    neargood_run: int = 3  # this many near-good lines in a row are text whatever is around them (0: off)
    headline_caps_share: float = 0.6  # ... a line with this share of capitalized words is a headline: no such line
    min_stopword_rate: float = 0.08  # below this (no known language) stop words are not used
    # Chinese and Japanese (no spaces between words; see cjk.py): on a page mostly of Han and kana (this share of
    # its letters, 0: off), a line mostly of them counts each such character this many times in its length, and
    # reads like prose when this share of its Han and kana are function characters (or it holds "。")
    cjk_min_share: float = 0.6
    cjk_char_length: float = 3.0
    cjk_function_rate: float = 0.2
