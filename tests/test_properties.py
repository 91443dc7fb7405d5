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

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cleaners
from cleaners import CleanConfig, Document
from cleaners.document import Change

CFG = CleanConfig()
# LAUNDER_PROPERTY_SCALE=10 runs ten times as many examples (a deeper search than the quick default)
SCALE = max(1, int(os.environ.get("LAUNDER_PROPERTY_SCALE", "1")))
SETTINGS = settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STEP_SETTINGS = settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


# whole little articles on distinct topics, so that article splitting and passage rules fire too
TOPICS = (
    (
        "Riverton Council Approves New Budget After Late Session",
        (
            "The city council approved a 48 million dollar budget shortly before midnight on Wednesday.",
            "Spending on parks, libraries and road repairs rises while the property tax rate stays flat.",
            "Councillor Peter Haas voted against the plan, warning that pension costs were growing.",
            "Residents who spoke during public comment were split over the extended library hours.",
        ),
    ),
    (
        "Coral Reefs Off Lantern Island Recover Faster Than Expected",
        (
            "Coral cover on the reefs has returned to more than half its earlier level in six years.",
            "Marine biologists photographed fixed quadrats and counted juvenile corals each spring.",
            "Branching species are the first to come back, but they are also the first to bleach.",
            "Another severe heat event within a few years could undo much of the gain, divers warned.",
        ),
    ),
    (
        "Ashford Rovers Snatch Late Derby Win Over Kingsbridge",
        (
            "Substitute Theo Marsh scored the winner three minutes into stoppage time at Mill Lane.",
            "Kingsbridge took the lead when captain Lewis Grant headed in a corner at the near post.",
            "The attendance of 9,412 was the highest at the ground this season, the club said.",
            "Rovers travel to Castlebury next weekend, while Kingsbridge host the league leaders.",
            "The visitors defended deep,and it looked as though their plan would hold.It did not.",
            "The result lifts rovers to fourth in the table, two points behind the promotion places.",
        ),
    ),
)
CLOSINGS = (
    "—",
    "This report is based on reporting by the Northfield Gazette.",
    "Share your thoughts in the comments below.",
)


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Two or three short articles one after another: title, lead, heading, paragraphs, closing lines."""
    chosen = draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3, unique=True))
    out = []
    for title, sentences in chosen:
        paras = draw(st.lists(st.lists(st.sampled_from(sentences), min_size=1, max_size=4), min_size=1, max_size=4))
        lines = [title] + [" ".join(p) for p in paras]
        if draw(st.booleans()):
            lines.insert(2, draw(st.sampled_from(HEADINGS)))
        if draw(st.booleans()):  # a repeated paragraph, or one whose head was cut off mid-word
            lines.append(draw(st.sampled_from(lines[1:]))[draw(st.integers(0, 6)) :])
        lines += draw(st.lists(st.sampled_from(CLOSINGS + TABLE), max_size=3))
        out.append("\n".join(lines))
    return draw(st.sampled_from(("\n", "\n\n", "\r\n"))).join(out) + draw(st.sampled_from(("", "\n")))


@st.composite
def raw_texts(draw: st.DrawFn) -> str:
    """Realistic fragments and articles joined by line breaks and odd whitespace, mixed with random unicode."""
    if draw(st.integers(0, 2)) == 0:
        return draw(articles())
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
    near = sorted(
        {p for s in doc.spans for q in (s.clean_start, s.clean_end) for p in (q - 1, q, q + 1) if 0 <= p <= n}
    )
    position = st.integers(0, n) | st.sampled_from(near) if near else st.integers(0, n)
    k = draw(st.integers(0, min(6, n + 1)))
    points = sorted(draw(st.lists(position, min_size=k, max_size=k, unique=True)))
    changes = []
    for a, b in zip(points[::2], points[1::2]):
        kind = draw(st.sampled_from(("replace", "drop", "insert")))
        after = (
            draw(st.sampled_from(("", " ", "\n", "x", "’", "| a | b |", "—", "Rovers’ win"))) if kind != "drop" else ""
        )
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
        if s.verbatim and a < b and s.clean_start <= a and b <= s.clean_end:
            assert doc.raw[r0:r1] == doc.text[a:b]
        if s.verbatim and a == b and s.clean_start < a < s.clean_end:  # at a span edge either side will do
            assert r0 == s.raw_start + (a - s.clean_start)
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
    out = _run(fn, doc)
    for once in out:
        check_provenance(once)
        assert once.raw == doc.raw
        if len(out) == 1:  # a split shares the edit log out among its parts
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


# ---------------------------------------------------------------- every step, in pipeline order, on the sample dump

RAW_DIR = Path(__file__).resolve().parents[1] / "raw"


def _sample_texts() -> list[tuple[str, str]]:
    """(name, text) of every text document in raw/: .txt files and JSONL records (HTML is the readers' job)."""
    out: list[tuple[str, str]] = []
    for path in sorted(RAW_DIR.glob("articles/*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        out.append((path.name, text.replace("\r\n", "\n")))
    for path in sorted(RAW_DIR.glob("feeds/*.jsonl*")):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for i, line in enumerate(data.decode("utf-8").splitlines()):
            try:
                out.append((f"{path.name}:{i + 1}", json.loads(line)["text"]))
            except json.JSONDecodeError:
                continue  # the dump's deliberately malformed record
    return out


SAMPLES = _sample_texts() if RAW_DIR.is_dir() else []


@pytest.mark.skipif(not SAMPLES, reason="raw/ sample dump not found")
@pytest.mark.parametrize("name,text", SAMPLES, ids=[n for n, _ in SAMPLES])
def test_pipeline_steps_on_sample_dump(name: str, text: str) -> None:
    """Each step, fed what the steps before it made, keeps provenance and is idempotent."""
    docs = [Document.from_text(text)]
    for step, fn in cleaners.PIPELINE:
        nxt: list[Document] = []
        for d in docs:
            if d.rejected:
                continue
            out = _run(fn, d)
            for once in out:
                check_provenance(once)
                if not once.rejected:
                    assert [t.text for t in _run(fn, once)] == [once.text], f"{step} is not idempotent on {name}"
            nxt.extend(out)
        docs = nxt


# ---------------------------------------------------------------- regressions found by the properties above
# Each was once a counterexample (a cleaner not idempotent on it); kept so it stays fixed.

_C = "The city council approved a 48 million dollar budget shortly before midnight on Wednesday."
_R = "Coral cover on the reefs has returned to more than half its earlier level in six years."
_S = "Substitute Theo Marsh scored the winner three minutes into stoppage time at Mill Lane."
KNOWN = [
    pytest.param(
        "boilerplate",
        "The city council approved the budget on Tuesday after a long debate. Share your thoughts in the comments below.\n",
        id="boilerplate-lone-sentence",
    ),
    pytest.param(
        "split_articles",
        "\n".join(
            [
                "Riverton Council Approves New Budget After Late Session",
                " ".join([_C] * 3),
                " ".join([_C] * 4),
                "—",
                "Public works | $12.3m | $12.9m |",
                " ".join([_R] * 4),
                "Ashford Rovers Snatch Late Derby Win Over Kingsbridge",
                " ".join([_S] * 3),
                "Public works | $12.3m | $12.9m |",
            ]
        ),
        id="articles-resplit",
    ),
]


def _step(name: str):  # noqa: ANN202
    steps = dict(cleaners.PIPELINE)
    if name in steps:
        return steps[name]
    if name == "split_articles":  # until it is wired into PIPELINE
        articles = pytest.importorskip("cleaners.articles")
        return lambda d, c: articles.split_articles(d, articles.ArticlesConfig())
    pytest.skip(f"no step {name} in cleaners.PIPELINE")


@pytest.mark.parametrize("name,raw", KNOWN)
def test_idempotence_regressions(name: str, raw: str) -> None:
    fn = _step(name)
    for once in _run(fn, Document.from_text(raw)):
        check_provenance(once)
        assert not once.rejected
        assert [t.text for t in _run(fn, once)] == [once.text]
