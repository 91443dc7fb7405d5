"""cleaners.passage_counts: hashing lines, counting them across documents, stripping the common ones."""

from __future__ import annotations

import pytest

from cleaners.document import Document
from cleaners.passage_counts import (
    R_REPEATED,
    PassageCountsConfig,
    count_passages,
    document_passages,
    min_count,
    normalize_passage,
    passage_hash,
    passage_hashes,
    strip_common_passages,
)

CFG = PassageCountsConfig()
FOOTER = "Subscribe to the Harbour Gazette for all the local news you need."
NAV = "Home | Politics | Business | Sport | Culture | Opinion | Weather"


def site_pages(n: int = 4) -> list[str]:
    return [
        f"{NAV}\nStory number {i} about the ferry timetable changes in the port this winter.\nHe said.\n{FOOTER}"
        for i in range(n)
    ]


def counts_of(pages: list[str]):
    return count_passages(passage_hashes(p, CFG) for p in pages)


def test_passage_hashes_offsets_and_min_chars():
    text = "He said.\n\n" + FOOTER + "\n   \nShort line here."
    got = passage_hashes(text, CFG)
    assert [(text[s:e]) for s, e, _ in got] == [FOOTER]
    assert got[0][2] == passage_hash(normalize_passage(FOOTER))


def test_normalization_makes_trivial_variants_one_passage():
    a = passage_hashes("SUBSCRIBE to the Harbour Gazette — for all the local news you need!", CFG)
    b = passage_hashes(FOOTER, CFG)
    assert a[0][2] == b[0][2]
    c = passage_hashes("Subscribe to the Harbour Gazette for all the regional news you need.", CFG)
    assert c[0][2] != b[0][2]


def test_counts_are_per_document():
    doubled = FOOTER + "\n" + FOOTER
    counts = count_passages([passage_hashes(doubled, CFG), passage_hashes(FOOTER, CFG)])
    assert list(counts.values()) == [2]
    assert document_passages(passage_hashes(doubled, CFG)) == {passage_hashes(FOOTER, CFG)[0][2]}


def test_common_lines_are_dropped_with_the_rule_and_short_ones_never():
    pages = site_pages(4)
    counts = counts_of(pages)
    out = strip_common_passages(Document.from_text(pages[0]), counts, CFG)
    assert out.text == "Story number 0 about the ferry timetable changes in the port this winter.\nHe said."
    assert {e.rule for e in out.edits} == {R_REPEATED}
    assert sorted(e.before.strip() for e in out.edits) == sorted([NAV, FOOTER])
    assert all(e.detail == "in 4 documents" for e in out.edits)
    # provenance: each edit's raw range holds what it removed
    for e in out.edits:
        assert pages[0][e.raw[0] : e.raw[1]] == e.before


def test_he_said_is_never_removed_however_common():
    pages = [
        "He said.\nShe said.\n" + f"Unique story {i} about the port and its long delayed new berth." for i in range(50)
    ]
    counts = counts_of(pages)
    for p in pages:
        assert strip_common_passages(Document.from_text(p), counts, CFG).text.startswith("He said.\nShe said.\n")


def test_lines_below_min_docs_stay():
    pages = site_pages(2)  # footer in only 2 documents: below min_docs=3
    counts = counts_of(pages)
    doc = Document.from_text(pages[0])
    assert strip_common_passages(doc, counts, CFG) is doc


def test_fraction_rule_needs_group_size():
    counts = counts_of(site_pages(4))
    cfg = PassageCountsConfig(min_docs=3, min_fraction=0.5)
    assert min_count(cfg) == 3
    assert min_count(cfg, group_docs=100) == 50
    doc = Document.from_text(site_pages(1)[0])
    assert strip_common_passages(doc, counts, cfg, group_docs=100) is doc  # 4 of 100 documents: kept
    assert strip_common_passages(doc, counts, cfg, group_docs=6).text.startswith("Story number 0")


def test_adjacent_and_last_lines_drop_without_overlap():
    text = f"Story about the harbour and the new berth that opened in spring.\n{NAV}\n{FOOTER}"
    counts = {h: 5 for _, _, h in passage_hashes(NAV + "\n" + FOOTER, CFG)}
    out = strip_common_passages(Document.from_text(text), counts, CFG)
    assert out.text == "Story about the harbour and the new berth that opened in spring."
    everything = {h: 5 for _, _, h in passage_hashes(text, CFG)}
    assert strip_common_passages(Document.from_text(text), everything, CFG).text == ""


def test_idempotent():
    pages = site_pages(5)
    counts = counts_of(pages)
    once = strip_common_passages(Document.from_text(pages[3]), counts, CFG)
    assert strip_common_passages(once, counts, CFG) is once


def test_switches_and_rejected_documents():
    pages = site_pages(4)
    counts = counts_of(pages)
    doc = Document.from_text(pages[0])
    assert strip_common_passages(doc, counts, PassageCountsConfig(enabled=False)) is doc
    assert strip_common_passages(doc, counts, PassageCountsConfig(disabled_rules=(R_REPEATED,))) is doc
    rejected = doc.reject("too-short", step="length")
    assert strip_common_passages(rejected, counts, CFG) is rejected
    assert strip_common_passages(doc, {}, CFG) is doc


@pytest.mark.parametrize("text", ["", "\n", "\r\n\r\n", "\x00" * 40, "ß" * 5000, "\ud800 " * 40, "a\u2028b" * 20])
def test_never_crashes(text):
    hashes = passage_hashes(text, CFG)
    counts = {h: 99 for _, _, h in hashes}
    out = strip_common_passages(Document.from_text(text), counts, CFG)
    assert strip_common_passages(out, counts, CFG).text == out.text


def test_ascii_fast_path_normalizes_as_the_regex_does():
    import random
    import re
    import unicodedata

    from cleaners.passage_counts import normalize_passage

    def by_regex(text: str) -> str:
        return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()

    rng = random.Random(0)
    alphabet = [chr(c) for c in range(128)]
    texts = ["  Read MORE: Top stories -- here! ", "a_b__c", "\x1c\x1dx\x1fy\x0b", "", "___", "Tab\tand\r\nCRLF 3.5%"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    for t in texts:
        assert t.isascii() and normalize_passage(t) == by_regex(t), repr(t)
