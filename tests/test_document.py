"""Unit tests of cleaners.document: apply/rewrite/drop/note/reject, spans, raw_range, edits, metadata."""

from __future__ import annotations

import pytest

from cleaners.document import Change, Document, Edit, Source, Span


def spans(doc: Document) -> list[tuple[int, int, int, int, bool]]:
    return [(s.clean_start, s.clean_end, s.raw_start, s.raw_end, s.verbatim) for s in doc.spans]


# ---------------------------------------------------------------- construction and views


def test_from_text_is_one_verbatim_span():
    doc = Document.from_text("Council approves budget.")
    assert doc.text == "Council approves budget."
    assert spans(doc) == [(0, 24, 0, 24, True)]
    assert doc.edits == ()
    assert doc.rejected is None


def test_from_text_empty_has_no_spans():
    doc = Document.from_text("")
    assert doc.text == ""
    assert doc.spans == []
    assert doc.raw_range(0, 0) == (0, 0)


def test_id_depends_on_source_not_text():
    a = Document.from_text("one", Source(path="a.txt", sha256="x", record=0))
    b = Document.from_text("two", Source(path="a.txt", sha256="x", record=0))
    c = Document.from_text("one", Source(path="a.txt", sha256="x", record=0, part=1))
    assert a.id == b.id
    assert a.id != c.id
    assert len(a.id) == 16


# ---------------------------------------------------------------- rewrite / drop


def test_rewrite_records_before_after_raw():
    doc = Document.from_text("Hello  world").rewrite(5, 7, " ", step="whitespace", rule="whitespace:runs")
    assert doc.text == "Hello world"
    assert spans(doc) == [(0, 5, 0, 5, True), (5, 6, 5, 7, False), (6, 11, 7, 12, True)]
    (e,) = doc.edits
    assert e == Edit("whitespace", "whitespace:runs", "replace", (5, 7), "  ", " ")


def test_drop_records_drop_op():
    doc = Document.from_text("Top 5 This Week\nThe story.").drop(0, 16, step="boilerplate", rule="boilerplate:x")
    assert doc.text == "The story."
    assert spans(doc) == [(0, 10, 16, 26, True)]
    (e,) = doc.edits
    assert (e.op, e.raw, e.before, e.after) == ("drop", (0, 16), "Top 5 This Week\n", "")


def test_noop_change_is_ignored():
    doc = Document.from_text("abc")
    assert doc.rewrite(0, 1, "a", step="s", rule="s:r") is doc
    assert doc.apply([], step="s") is doc
    assert doc.drop(2, 2, step="s", rule="s:r") is doc


def test_edits_accumulate_in_order_and_raw_refers_to_original():
    doc = Document.from_text("aaa bbb ccc")
    doc = doc.drop(0, 4, step="one", rule="one:a")  # "bbb ccc", raw offset 4
    doc = doc.rewrite(4, 7, "CCC", step="two", rule="two:c")  # "bbb CCC"
    assert doc.text == "bbb CCC"
    assert [e.step for e in doc.edits] == ["one", "two"]
    assert doc.edits[1].raw == (8, 11)
    assert doc.edits[1].before == "ccc"
    assert doc.raw[8:11] == "ccc"


def test_detail_is_kept_and_serialized():
    doc = Document.from_text("caf\u00c3\u00a9").apply(
        [Change(0, 5, "caf\u00e9", "mojibake:encoding", "encode:latin-1, decode:utf-8")], step="mojibake"
    )
    js = doc.edits[0].to_json()
    assert js["detail"] == "encode:latin-1, decode:utf-8"
    assert js["raw"] == [0, 5] and js["op"] == "replace"
    plain = Document.from_text("ab").rewrite(0, 1, "x", step="s", rule="s:r").edits[0].to_json()
    assert "detail" not in plain


# ---------------------------------------------------------------- several changes at once


def test_apply_several_changes_in_any_order():
    doc = Document.from_text("a,b,c")
    out = doc.apply([Change(3, 4, ", ", "s:comma"), Change(1, 2, ", ", "s:comma")], step="spacing")
    assert out.text == "a, b, c"
    assert [e.raw for e in out.edits] == [(1, 2), (3, 4)]
    assert spans(out) == [
        (0, 1, 0, 1, True),
        (1, 3, 1, 2, False),
        (3, 4, 2, 3, True),
        (4, 6, 3, 4, False),
        (6, 7, 4, 5, True),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        [Change(0, 3, "x", "r"), Change(2, 4, "y", "r")],  # crossing
        [Change(0, 5, "x", "r"), Change(1, 2, "y", "r")],  # nested
        [Change(2, 2, "x", "r"), Change(2, 2, "y", "r")],  # two insertions at one point
        [Change(1, 3, "x", "r"), Change(1, 3, "y", "r")],  # same range twice
    ],
)
def test_overlapping_changes_raise(changes):
    with pytest.raises(ValueError, match="overlapping"):
        Document.from_text("abcdef").apply(changes, step="s")


def test_adjacent_changes_are_allowed():
    doc = Document.from_text("abcdef")
    out = doc.apply([Change(0, 2, "X", "r"), Change(2, 4, "Y", "r"), Change(4, 4, "+", "r")], step="s")
    assert out.text == "XY+ef"
    # an insertion right before a replacement at the same point
    out2 = doc.apply([Change(2, 2, "<", "r"), Change(2, 4, "Z", "r")], step="s")
    assert out2.text == "ab<Zef"


@pytest.mark.parametrize("change", [Change(-1, 2, "x", "r"), Change(2, 9, "x", "r"), Change(3, 2, "x", "r")])
def test_out_of_range_changes_raise(change):
    with pytest.raises(ValueError):
        Document.from_text("abcdef").apply([change], step="s")


# ---------------------------------------------------------------- insertions


def test_insert_at_start():
    doc = Document.from_text("world").apply([Change(0, 0, "hello ", "s:ins")], step="s")
    assert doc.text == "hello world"
    assert spans(doc) == [(0, 6, 0, 0, False), (6, 11, 0, 5, True)]
    e = doc.edits[0]
    assert (e.op, e.raw, e.before, e.after) == ("insert", (0, 0), "", "hello ")


def test_insert_at_end():
    doc = Document.from_text("hello").apply([Change(5, 5, " world", "s:ins")], step="s")
    assert doc.text == "hello world"
    assert spans(doc) == [(0, 5, 0, 5, True), (5, 11, 5, 5, False)]
    assert doc.edits[0].raw == (5, 5)


def test_insert_into_empty_document():
    doc = Document.from_text("").apply([Change(0, 0, "x", "s:ins")], step="s")
    assert doc.text == "x"
    assert spans(doc) == [(0, 1, 0, 0, False)]


def test_insert_after_a_drop_maps_to_the_raw_point():
    doc = Document.from_text("abcdef").drop(0, 2, step="s", rule="s:d")  # "cdef"
    doc = doc.apply([Change(0, 0, ">", "s:i")], step="s")
    assert doc.text == ">cdef"
    assert doc.edits[-1].raw == (2, 2)


# ---------------------------------------------------------------- raw_range and spans after several edits


def test_raw_range_through_verbatim_and_rewritten_pieces():
    doc = Document.from_text("Hello  world").rewrite(5, 7, " ", step="w", rule="w:runs")
    assert doc.raw_range(0, 5) == (0, 5)
    assert doc.raw_range(6, 11) == (7, 12)
    assert doc.raw_range(5, 6) == (5, 7)  # the rewritten space stands for both raw spaces
    assert doc.raw_range(3, 8) == (3, 9)
    assert doc.raw_range(0, 11) == (0, 12)
    assert doc.raw_range(2, 2) == (2, 2)
    assert doc.raw_range(11, 11) == (12, 12)


def test_spans_merge_adjacent_verbatim_pieces():
    doc = Document.from_text("abcdef").rewrite(2, 3, "c", step="s", rule="s:r")  # no-op
    assert spans(doc) == [(0, 6, 0, 6, True)]
    doc = Document.from_text("abcdef").rewrite(2, 3, "X", step="s", rule="s:r").rewrite(2, 3, "c", step="s", rule="s:r")
    assert doc.text == "abcdef"
    # the second edit restored the text, but the piece it wrote is not raw text by provenance
    assert [s.verbatim for s in doc.spans] == [True, False, True]


def test_rewrite_inside_a_rewritten_piece_keeps_its_raw_range():
    doc = Document.from_text("xx&amp;yy").rewrite(2, 7, "&", step="m", rule="m:entity")  # "xx&yy"
    doc = doc.rewrite(0, 5, "XX&YY", step="c", rule="c:upper")
    assert doc.text == "XX&YY"
    assert spans(doc) == [(0, 5, 0, 9, False)]
    assert doc.edits[-1].raw == (0, 9)


def test_change_that_cuts_into_a_rewritten_piece_leaves_raw_ranges_disjoint():
    # "ab" + rewritten "Q" (raw 2..5) + "fg": replace clean "bQ"[0:1]+ half of a 2-char rewritten piece
    doc = Document.from_text("ab&lt;fg").rewrite(2, 6, "<<", step="m", rule="m:x")  # "ab<<fg", piece "<<" raw (2, 6)
    doc = doc.rewrite(1, 3, "B", step="s", rule="s:y")  # replaces "b<" -> "B"; the second "<" stays
    assert doc.text == "aB<fg"
    ss = doc.spans
    for a, b in zip(ss, ss[1:]):
        assert a.raw_end <= b.raw_start, ss
    assert doc.edits[-1].raw == (1, 6)


# ---------------------------------------------------------------- note / reject / metadata


def test_note_changes_no_text():
    doc = Document.from_text("By Jane Doe\nText.")
    noted = doc.note(0, 11, step="byline", rule="byline:author", after="Jane Doe")
    assert noted.text == doc.text
    assert noted.pieces == doc.pieces
    (e,) = noted.edits
    assert (e.op, e.raw, e.before, e.after) == ("note", (0, 11), "By Jane Doe", "Jane Doe")


def test_reject_keeps_text_and_records_reason():
    doc = Document.from_text("Hi.").reject("too-short", step="length")
    assert doc.rejected == "too-short"
    assert doc.text == "Hi."
    (e,) = doc.edits
    assert (e.op, e.rule, e.raw, e.before) == ("reject", "length:too-short", (0, 3), "")
    assert "too-short" in (e.after, e.detail)  # the edit log says why
    assert (
        Document.from_text("x").reject("wrong-language:de", step="language", rule="language:not-wanted").edits[0].rule
        == "language:not-wanted"
    )


def test_with_sets_metadata_without_touching_text_or_edits():
    doc = Document.from_text("By Jane Doe\nText.").drop(0, 12, step="b", rule="b:byline")
    out = doc.with_(metadata={"author": "Jane Doe"}, language={"code": "en", "prob": 1.0})
    assert out.metadata == {"author": "Jane Doe"}
    assert out.language["code"] == "en"
    assert out.text == doc.text and out.edits == doc.edits
    assert doc.metadata == {}  # the original is unchanged (frozen)
    with pytest.raises(AttributeError):
        out.rejected = "x"  # type: ignore[misc]


def test_from_text_passes_metadata_and_source():
    src = Source(path="raw/a.jsonl", record=3, format="jsonl", meta={"url": "https://example.org/a"})
    doc = Document.from_text("text", src, metadata={"url": "https://example.org/a"})
    assert doc.source.record == 3
    assert doc.metadata["url"] == "https://example.org/a"


def test_span_type_is_exported():
    assert Document.from_text("a").spans[0] == Span(0, 1, 0, 1, True)
