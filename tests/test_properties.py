"""Property tests (hypothesis): provenance invariants of Document, and of every step of cleaners.PIPELINE.

Invariants checked on every document:
- spans cover the clean text, in order, without gaps or overlaps;
- spans are ordered and disjoint in raw coordinates too, and stay inside the raw text;
- a verbatim span's clean text equals ``raw[raw_start:raw_end]``;
- a span that is not verbatim lies inside the raw range of some edit that wrote text.

Every step of ``cleaners.PIPELINE`` is found at import time, so steps added later are covered
without editing this file: it must not crash, must keep the invariants, and must be idempotent
(running it on its own output changes no text).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cleaners
from cleaners import CleanConfig, Document
from cleaners.document import Change

CFG = CleanConfig()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STEP_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- text generators

# our own realistic fragments, chosen so the cleaners have something to do
NEWS = (
    "The city council approved the budget on Tuesday after a long debate.",
    "“We listened to residents,” said council president Alicia Moreno.",
    "Temperatures reached 38.4 degrees Celsius, the highest since 1921.",
    "Ashford Rovers beat Kingsbridge 2-1 at Mill Lane on Saturday.",
    "The museum reopened after an 18-month renovation costing 6.2 million pounds.",
    "Researchers surveyed 42 sites along the island’s eastern shelf.",
    "Die neue Straßenbahnlinie verbindet den Hauptbahnhof mit Weingarten.",
    "Une piste cyclable de sept kilomètres a été inaugurée samedi matin.",
    "He said the plan was fair,and the vote followed.It passed easily.",
    "The result lifts rovers to fourth while Rovers fans celebrated.",
    "Share your thoughts in the comments below.",
    "Ding the comet appears to carry a fork behind it.",
    "Russiaâ€™s council said the cafÃ© would stay open â€” for now.",
    "â€œQuoted textâ€\x9d he said.",
    "Fish &amp; chips cost &pound;4.50 &#8211; a bargain.",
)
HEADINGS = ("Spending by department", "What the divers measured", "Looking Ahead", "Key Points at a Glance")
TABLE = (
    "| Department | Last year | This year |",
    "|————————|——————|——————|",
    "|———–|————-|",
    "|---|---|",
    "Public works | $12.3m | $12.9m |",
    "| Libraries | $2.2m | $2.4m | +9% |",
    "| Transit | $6.0m |",
    "| Parks | $4.1m | $4.6m |",
    "—",
)
BOILERPLATE = (
    "Tuesday, August 12, 2025",
    "Top 5 This Week",
    "Related Posts",
    "Discover more from Coastal Ledger | Regional News",
    "Subscribe to get the latest posts sent to your email.",
    "Tomas Berghttps://coastalledger.example/author/tomas-berg/",
    "LEAVE A REPLY",
    "Please enter your comment!",
    "Please enter your name here",
    "Popular Articles",
    "By Jane Doe",
    "This report is based on reporting by the Northfield Gazette.",
)
FRAGMENTS = NEWS + HEADINGS + TABLE + BOILERPLATE
SEPARATORS = ("\n", "\n", "\n\n", " ", "", "\r\n", "\n\n\n", "  ", "\t", "\u00a0", "\ufeff", "\u200b")
ODD_CHARS = "|—–-:.,!?’“”\"'\n\r\t \u00a0\u200b\ufeffÃâ€™©é߀£\x9d\x00\ud7ff\U0001f600"

odd_text = st.text(alphabet=st.sampled_from(ODD_CHARS) | st.characters(), max_size=40)
piece = st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), odd_text)


@st.composite
def raw_texts(draw: st.DrawFn) -> str:
    """Realistic fragments joined by line breaks and odd whitespace, mixed with random unicode."""
    parts = draw(st.lists(st.tuples(piece, st.sampled_from(SEPARATORS)), max_size=14))
    text = "".join(p + s for p, s in parts)
    if draw(st.booleans()):  # sometimes repeat a passage, as scraped text does
        lines = text.split("\n")
        if lines and lines[0]:
            text = text + "\n" + draw(st.sampled_from(lines))
    return text


@st.composite
def change_batches(draw: st.DrawFn, doc: Document) -> list[Change]:
    """Non-overlapping changes on ``doc.text``: replacements, drops and insertions (never two at one point).

    Change ends are drawn often next to span boundaries, so changes cut into pieces written by
    earlier changes (where provenance bookkeeping is hardest).
    """
    text = doc.text
    n = len(text)
    near = sorted({p for s in doc.spans for q in (s.clean_start, s.clean_end) for p in (q - 1, q, q + 1) if 0 <= p <= n})
    position = st.integers(0, n) | st.sampled_from(near) if near else st.integers(0, n)
    k = draw(st.integers(0, min(6, n + 1)))
    points = sorted(draw(st.lists(position, min_size=k, max_size=k, unique=True)))
    changes = []
    for a, b in zip(points[::2], points[1::2]):
        kind = draw(st.sampled_from(("replace", "drop", "insert")))
        after = draw(st.sampled_from(("", " ", "\n", "x", "’", "| a | b |", "—", "Rovers’ win"))) if kind != "drop" else ""
        if kind == "insert":
            changes.append(Change(a, a, after or "+", "test:insert"))
        else:
            changes.append(Change(a, b, after, f"test:{kind}"))
    if len(points) % 2 and draw(st.booleans()):
        changes.append(Change(points[-1], points[-1], "^", "test:insert"))
    return changes


@st.composite
def edited_documents(draw: st.DrawFn) -> Document:
    """A document after 0 to 3 rounds of random changes, so it has several layers of provenance."""
    doc = Document.from_text(draw(raw_texts()))
    for r in range(draw(st.integers(0, 3))):
        doc = doc.apply(draw(change_batches(doc)), step=f"round{r}")
    return doc


# ---------------------------------------------------------------- the invariants


def check_provenance(doc: Document) -> None:
    text, raw = doc.text, doc.raw
    spans = doc.spans
    pos = 0
    prev_raw_end = 0
    writes = [e.raw for e in doc.edits if e.op in ("replace", "insert")]
    for s in spans:
        assert s.clean_start == pos, f"gap or overlap in clean text at {pos}: {s}"
        assert s.clean_end > s.clean_start, f"empty span {s}"
        pos = s.clean_end
        assert 0 <= s.raw_start <= s.raw_end <= len(raw), f"raw range out of bounds: {s}"
        assert s.raw_start >= prev_raw_end, f"spans overlap or go back in raw: {s} after raw end {prev_raw_end}"
        prev_raw_end = s.raw_end
        if s.verbatim:
            assert text[s.clean_start : s.clean_end] == raw[s.raw_start : s.raw_end], s
        else:
            assert any(a <= s.raw_start and s.raw_end <= b for a, b in writes), f"no edit covers {s}"
    assert pos == len(text), "spans do not cover the clean text"
    for e in doc.edits:
        assert 0 <= e.raw[0] <= e.raw[1] <= len(raw), e


def splice(text: str, changes: list[Change]) -> str:
    out, pos = [], 0
    for c in sorted(changes, key=lambda c: (c.start, c.end)):
        out.append(text[pos : c.start])
        out.append(c.after)
        pos = c.end
    return "".join(out) + text[pos:]


# ---------------------------------------------------------------- Document


@SETTINGS
@given(raw_texts(), st.data())
def test_random_changes_keep_provenance(raw: str, data: st.DataObject) -> None:
    doc = Document.from_text(raw)
    check_provenance(doc)
    for r in range(data.draw(st.integers(1, 4), label="rounds")):
        changes = data.draw(change_batches(doc), label=f"changes{r}")
        expected = splice(doc.text, changes)
        before = doc
        doc = doc.apply(changes, step=f"round{r}")
        assert doc.text == expected
        check_provenance(doc)
        new = doc.edits[len(before.edits) :]
        assert len(new) == sum(before.text[c.start : c.end] != c.after for c in changes)
        for e in new:  # each edit records what it replaced, by raw position
            assert e.after in doc.text
            assert e.op in ("replace", "drop", "insert")


@SETTINGS
@given(edited_documents(), st.data())
def test_raw_range_is_consistent_with_spans(doc: Document, data: st.DataObject) -> None:
    n = len(doc.text)
    a = data.draw(st.integers(0, n), label="a")
    b = data.draw(st.integers(a, n), label="b")
    r0, r1 = doc.raw_range(a, b)
    assert 0 <= r0 <= r1 <= len(doc.raw)
    for s in doc.spans:
        if s.verbatim and s.clean_start <= a and b <= s.clean_end:
            if a < b:
                assert doc.raw[r0:r1] == doc.text[a:b]
            else:
                assert r0 == r1 == s.raw_start + (a - s.clean_start)
        if a < b and s.clean_start < b and a < s.clean_end:  # every span it touches is inside the range
            if s.verbatim:
                lo = s.raw_start + max(a, s.clean_start) - s.clean_start
                hi = s.raw_start + min(b, s.clean_end) - s.clean_start
            else:
                lo, hi = s.raw_start, s.raw_end
            assert r0 <= lo and hi <= r1


@SETTINGS
@given(edited_documents(), st.data())
def test_note_and_reject_change_no_text(doc: Document, data: st.DataObject) -> None:
    n = len(doc.text)
    a = data.draw(st.integers(0, n), label="a")
    b = data.draw(st.integers(a, n), label="b")
    noted = doc.note(a, b, step="t", rule="t:note")
    assert noted.text == doc.text and noted.pieces == doc.pieces
    assert noted.edits[-1].before == doc.text[a:b]
    assert noted.edits[-1].raw == doc.raw_range(a, b)
    rejected = doc.reject("too-short", step="t")
    assert rejected.rejected == "too-short" and rejected.text == doc.text
    check_provenance(noted)
    check_provenance(rejected)


@SETTINGS
@given(edited_documents())
def test_overlapping_changes_always_raise(doc: Document) -> None:
    n = len(doc.text)
    assume(n >= 2)
    with pytest.raises(ValueError):
        doc.apply([Change(0, n, doc.text + "!", "t:x"), Change(n - 1, n, doc.text[-1] + "?", "t:y")], step="t")


# ---------------------------------------------------------------- every pipeline step


def _run(fn, doc: Document) -> list[Document]:  # noqa: ANN001
    out = fn(doc, CFG)
    docs = out if isinstance(out, list) else [out]
    assert docs, "a step returned no document"
    assert all(isinstance(d, Document) for d in docs)
    return docs


@pytest.mark.parametrize("name,fn", cleaners.PIPELINE, ids=[name for name, _ in cleaners.PIPELINE])
@STEP_SETTINGS
@given(doc=edited_documents())
def test_pipeline_step_keeps_provenance_and_is_idempotent(name: str, fn, doc: Document) -> None:  # noqa: ANN001
    for once in _run(fn, doc):
        check_provenance(once)
        assert once.raw == doc.raw
        assert once.edits[: len(doc.edits)] == doc.edits, f"{name} rewrote the edit log"
        if once.rejected:
            continue
        twice = _run(fn, once)
        assert [d.text for d in twice] == [once.text], f"{name} is not idempotent"
        for d in twice:
            check_provenance(d)


@pytest.mark.parametrize("name,fn", cleaners.PIPELINE, ids=[name for name, _ in cleaners.PIPELINE])
@pytest.mark.parametrize(
    "raw",
    ["", " ", "\n", "\r\n\r\n", "\ufeff", "|", "—" * 50, "| a |\n|———|\n", "x" * 5000, "\ud800", "\x00\x9d", "By"],
)
def test_pipeline_step_survives_edge_inputs(name: str, fn, raw: str) -> None:  # noqa: ANN001
    for d in _run(fn, Document.from_text(raw)):
        check_provenance(d)


@STEP_SETTINGS
@given(raw=raw_texts())
def test_clean_document_keeps_provenance(raw: str) -> None:
    for d in cleaners.clean_document(Document.from_text(raw), CFG):
        check_provenance(d)
        assert d.raw == raw
