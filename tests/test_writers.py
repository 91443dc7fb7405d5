"""The output records: a record joined from its phase-1 parts is the record written whole.

Shards write each record in two parts before dedup has decided (flows.writers.record_parts) and
join them in phase 2 (join_record); the result must be ``json_line(document_record(...))``
character for character, and a work line must rebuild the Document it was written from.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import CleanConfig, Document, Source, clean, clean_document
from cleaners.passage_counts import passage_hashes, strip_common_passages
from flows.shard import PIPELINE_VERSION, _work_line, strip_common_parts, top_removed
from flows.work_files import EditStats, read_work_items
from flows.writers import document_record, join_record, json_line, record_parts, write_lines

META = {"pipeline_version": "9.9", "config_hash": "abc123"}

TEXTS = [
    "Russiaâ€™s  foreign minister spoke on Tuesday about the negotiations in Geneva.\nLEAVE A REPLY\nPlease enter your comment!",
    "The council met on Monday.The mayor said,however,that the budget was tight.\n\n| a | b |\n|———|———|\n| 1 | 2 |",
    "Hi.",  # rejected: too short
    "",
    "Der Bundestag hat am Donnerstag das Gesetz beschlossen. Die Opposition kündigte Widerstand an. \t Tabs\tinside.",
]


def _docs() -> list[Document]:
    src = Source(
        path="dump/a.jsonl", sha256="f" * 64, record=3, format="jsonl", meta={"url": "https://example.com/x", "n": 1}
    )
    out = []
    for t in TEXTS:
        out += clean(t)
        out += clean_document(Document.from_text(t, src, metadata={"title": "T", "tags": ["a", "b"]}), CleanConfig())
    return out


def _whole(doc: Document, run_id: str, dups: list, dup: tuple[str, float] | None) -> str:
    rec = document_record(doc, run_id=run_id, **META)
    if dup:
        rec["reason"] = f"duplicate_of:{dup[0]}"
        rec["similarity"] = dup[1]
    rec["duplicates"] = dups
    return json_line(rec)


def test_joined_parts_equal_the_whole_record():
    docs = _docs()
    assert any(d.rejected for d in docs) and any(not d.rejected for d in docs)
    assert any(e.detail for d in docs for e in d.edits)
    members = [{"id": "b" * 16, "source": {"path": "x", "record": 1, "part": 0}, "similarity": 0.93}]
    for doc in docs:
        parts = record_parts(doc, **META)
        assert join_record(parts, "run1", duplicates=[], reason=doc.rejected) == _whole(doc, "run1", [], None)
        if not doc.rejected:
            got = join_record(parts, "run1", duplicates=members, reason="duplicate_of:aa", similarity=0.875)
            assert got == _whole(doc, "run1", members, ("aa", 0.875))
            assert json.loads(got)["similarity"] == 0.875


def test_record_parts_refuse_what_orjson_cannot_write():
    doc = Document.from_text("a lone surrogate \ud800 in the text")
    assert record_parts(doc, **META) is None
    assert json.loads(json_line(document_record(doc, run_id="r", **META)))["text"] == doc.text  # json_line's fallback


def _strip_both_ways(
    doc: Document, counts: dict[int, int], cfg: CleanConfig, parts: list[str], rebuild: str | None
) -> None:
    """strip_common_parts on the work line's parts == the whole Document stripped and written again."""
    whole = strip_common_passages(doc, counts, cfg.dedup.passages)
    late = None
    if len(whole.text.strip()) < max(cfg.min_chars, 1):
        whole = whole.reject(late := "too-short", step="length")
    parts, new_edits, why = strip_common_parts(parts, rebuild, counts, cfg)
    assert why == late
    reason = whole.rejected
    assert join_record(parts, "r", duplicates=[], reason=reason) == json_line(
        document_record(whole, run_id="r", pipeline_version=PIPELINE_VERSION, config_hash=cfg.hash)
    )
    assert new_edits == whole.edits[len(doc.edits) :]


def test_work_line_parts_strip_common_passages_as_the_whole_document_does(tmp_path):
    cfg = CleanConfig()
    docs = _docs()
    path = tmp_path / "work.jsonl"
    passages = [passage_hashes(d.text, cfg.dedup.passages) for d in docs]
    write_lines(path, [_work_line(d, d.id, cfg.hash, p).rstrip("\n") for d, p in zip(docs, passages)])
    items = list(read_work_items(path))
    assert len(items) == len(docs)
    stripped = 0
    for doc, item in zip(docs, items):
        assert (item.meta.id, item.meta.rejected) == (doc.id, doc.rejected)
        assert item.meta.language == (doc.language or {"code": "und"})["code"]
        assert item.state is None and len(item.parts) == 5
        if doc.rejected:
            assert item.rebuild is None
            continue
        hashes = [h for _s, _e, h in passage_hashes(doc.text, cfg.dedup.passages)]
        for counts in ({}, {h: 99 for h in hashes[:1]}, {h: 99 for h in hashes}, {h: 1 for h in hashes}):
            _strip_both_ways(doc, counts, cfg, item.parts, item.rebuild)
            stripped += bool(counts and next(iter(counts.values())) == 99)
    assert stripped >= 4


def test_work_line_keeps_the_whole_state_when_orjson_refuses():
    # flows.readers turns lone surrogates into U+FFFD, so this is a second line of defence
    doc = Document.from_text("a lone surrogate \ud800 in the text")
    meta, state = _work_line(doc, doc.id, "abc123").rstrip("\n").split("\t")
    assert json.loads(meta)[0] == doc.id
    assert Document.from_state(json.loads(state)).to_state() == doc.to_state()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab Cé.,\n\t|—-â€™"<&;1'), max_size=300), st.integers(0, 3))
def test_any_text_joins_and_strips(text, n_common):
    cfg = CleanConfig()
    for doc in clean(text):
        parts = record_parts(doc, **META)
        assert join_record(parts, "r", duplicates=[], reason=doc.rejected) == _whole(doc, "r", [], None)
        fields = (
            _work_line(doc, doc.id, cfg.hash, passage_hashes(doc.text, cfg.dedup.passages)).rstrip("\n").split("\t")
        )
        assert len(fields) == 7  # no raw tab inside JSON
        if not doc.rejected:
            hashes = [h for _s, _e, h in passage_hashes(doc.text, cfg.dedup.passages)]
            _strip_both_ways(
                doc, {h: 99 for h in hashes[:n_common]}, cfg, fields[1:6], None if fields[6] == "null" else fields[6]
            )


def test_stats_sum_edits_and_removed_lines_and_top_removed_breaks_ties_by_text():
    docs = _docs()
    stats = EditStats()
    for d in docs:
        stats.add(d.edits)
    again = EditStats.from_json(json.loads(json_line(stats.to_json())))
    assert again.edits == stats.edits and again.removed == stats.removed
    n = sum(len(d.edits) for d in docs)
    assert sum(c for rules in stats.edits.values() for c, _chars in rules.values()) == n
    dropped = [(e.before.strip()[:160], e.rule) for d in docs for e in d.edits if e.op == "drop" and e.before.strip()]
    assert sum(stats.removed.values()) == len(dropped) > 0
    from collections import Counter

    tied = Counter({("b", "r"): 2, ("a", "r"): 2, ("c", "r"): 5, ("d", "r"): 1})
    assert top_removed(tied, 3) == [["c", "r", 5], ["a", "r", 2], ["b", "r", 2]]
