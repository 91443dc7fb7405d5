"""The Python entry point for other tools: ``import launder`` and ``launder.clean_records``."""

from __future__ import annotations

import itertools
import sys
import tracemalloc

import pytest

import launder
from cleaners.exact_dup import exact_key
from cleaners.near_dup import NearDupConfig, signature
from flows.records import MemoryIndex
from flows.shard import PIPELINE_VERSION
from flows.writers import document_record

STORY = (
    "The harbour council voted on Tuesday to rebuild the old pier before the summer season, the mayor said.\n"
    "Engineers found that two of the wooden piles had rotted through and that the deck could not carry a lorry.\n"
    "The work will cost 1.8 million euros and should be finished by the end of May, according to the council.\n"
    "Fishermen who moor their boats at the pier will be moved to the new marina on the north side for the works.\n"
)
OTHER = (
    "The city library will open on Sundays from next month, after readers signed a petition last winter.\n"
    "The extra hours are paid for by a grant from the regional government and by a local bookshop's donation.\n"
    "Staff said the children's room had been the busiest part of the library since it was rebuilt in 2019.\n"
)


def _status(rec: dict) -> str:
    return "error" if "error" in rec else rec.get("reason", "kept").split(":")[0]


def test_every_record_is_accounted_for_in_order():
    edited = STORY.replace("rotted through", "rotted away", 1)  # a near duplicate: a few words changed
    records = [
        {"text": STORY, "url": "https://news.example.com/pier", "lang": "en"},
        {"text": STORY.upper().replace("\n", "\n\n")},  # the same words: an exact duplicate
        {"text": edited},
        OTHER,  # a plain string is a text
        {"body": STORY},  # no text field
        ["not", "an", "object"],
        {"text": None},
        {"text": "Too short."},
        {"text": ""},
    ]
    stats: dict = {}
    out = list(launder.clean_records(records, source="feed", stats=stats, config={"min_chars": 50}))
    assert [_status(r) for r in out] == [
        "kept",
        "duplicate_of",
        "duplicate_of",
        "kept",
        "error",
        "error",
        "error",
        "too-short",
        "empty",
    ]
    assert [r["source"]["record"] for r in out] == list(range(9))
    first = out[0]
    assert out[1]["reason"] == f"duplicate_of:{first['id']}" and out[1]["similarity"] == 1.0
    assert out[2]["reason"] == f"duplicate_of:{first['id']}" and 0.6 <= out[2]["similarity"] < 1.0
    assert first["source"]["meta"] == {"url": "https://news.example.com/pier", "lang": "en"}
    assert first["metadata"]["url"] == "https://news.example.com/pier"
    assert out[3]["source"]["format"] == "text"
    assert out[4] == {"error": "record 4: field 'text' is missing", "source": {"path": "feed", "record": 4}}
    assert out[5]["error"] == "record 5 is a JSON list, not an object"
    assert stats == {
        "records": 9,
        "kept": 2,
        "rejected": 4,
        "errors": 3,
        "reasons": {"duplicate_of": 2, "too-short": 1, "empty": 1},
    }


def test_kept_records_have_the_fields_of_documents_part_files():
    out = next(launder.clean_records([{"text": STORY}], run_id="r1"))
    docs = launder.clean_text(STORY)
    assert len(docs) == 1
    want = document_record(
        docs[0], pipeline_version=PIPELINE_VERSION, config_hash=launder.CleanConfig().hash, run_id="r1"
    )
    assert list(out) == list(want)  # id, text, source, language, metadata, flags, provenance, duplicates
    assert out["text"] == want["text"] and out["provenance"]["spans"] == want["provenance"]["spans"]
    assert out["provenance"]["edits"] == want["provenance"]["edits"]


def test_it_streams_an_iterator_in_and_out():
    consumed = []

    def endless():
        for n in itertools.count():
            consumed.append(n)
            yield {"text": f"Item {n}. " + (STORY if n % 2 else OTHER)}

    out = launder.clean_records(endless())
    first = list(itertools.islice(out, 3))
    assert len(first) == 3 and len(consumed) <= 4  # an input is read only when an output is asked for
    assert _status(first[2]) == "duplicate_of"  # item 2 repeats item 0's text but for its number


def test_dedup_follows_the_configuration():
    both = [{"text": STORY}, {"text": STORY}]
    off = {"dedup": {"exact": False, "near": {"enabled": False}}}
    assert [_status(r) for r in launder.clean_records(both, config=off)] == ["kept", "kept"]
    exact_only = {"dedup": {"near": {"enabled": False}}}
    near = [{"text": STORY}, {"text": STORY.replace("rotted through", "rotted away", 1)}]
    assert [_status(r) for r in launder.clean_records(near, config=exact_only)] == ["kept", "kept"]
    assert [_status(r) for r in launder.clean_records(near)] == ["kept", "duplicate_of"]


def test_ids_are_distinct_across_sources_and_stable_across_calls():
    a = next(launder.clean_records([STORY], source="a"))["id"]
    assert a == next(launder.clean_records([STORY], source="a"))["id"]
    assert a != next(launder.clean_records([STORY], source="b"))["id"]


def test_memory_per_kept_document_is_small_and_holds_no_text():
    cfg = NearDupConfig()
    texts = [" ".join(f"w{(i * 7919 + j * 104729) % 50000}" for j in range(300)) for i in range(1000)]
    sigs = [signature(t, cfg) for t in texts]
    tracemalloc.start()
    try:
        index = MemoryIndex(cfg)
        before = tracemalloc.get_traced_memory()[0]
        for i, t in enumerate(texts):  # id and key made here, as clean_records makes them per document
            index.add(f"{i:016x}", exact_key(t), len(t), sigs[i])
        per_doc = (tracemalloc.get_traced_memory()[0] - before) / len(texts)
    finally:
        tracemalloc.stop()
    assert 516 < per_doc < 3000, per_doc  # signature + bucket keys + id and key; a text (2 KB here) would not fit
    print(f"MemoryIndex: {per_doc:.0f} bytes per kept document", file=sys.stderr)


def test_import_launder_does_not_import_prefect_until_the_flow_is_asked_for():
    import subprocess

    code = (
        "import sys, launder; assert 'prefect' not in sys.modules; launder.clean_dump; assert 'prefect' in sys.modules"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("bad", [42, None, b"bytes"])
def test_other_python_objects_are_errors(bad):
    (rec,) = launder.clean_records([bad])
    assert "error" in rec and "not an object" in rec["error"]


def _words_text(ws: list[str]) -> str:
    return "\n".join(" ".join(ws[i : i + 20]) + "." for i in range(0, len(ws), 20))


def test_a_copy_of_a_near_duplicate_is_a_duplicate_of_its_representative_as_in_a_run():
    """A ~ B and B ~ C but not A ~ C: the flow's clustering of a run joins all three; so does the stream."""
    import random

    from cleaners.near_dup import NearDupEntry, find_clusters, is_near_duplicate

    rng = random.Random(3)
    vocab = (
        "the a of to in and harbour council budget pier vote mayor river bridge school engineers summer works".split()
    )
    a = [f"{rng.choice(vocab)}{rng.randint(0, 400)}" for _ in range(400)]
    b = [f"changed{i}" if i % 14 == 0 else w for i, w in enumerate(a)]
    c = [f"changed{i}" if i % 14 == 7 else w for i, w in enumerate(b)]
    texts = [_words_text(x) for x in (a, b, c)]
    cfg = NearDupConfig()
    sigs = [signature(t, cfg) for t in texts]
    assert is_near_duplicate(sigs[0], sigs[1], cfg) and is_near_duplicate(sigs[1], sigs[2], cfg)
    assert not is_near_duplicate(sigs[0], sigs[2], cfg)
    in_run = find_clusters([NearDupEntry(str(i), s, len(t), (i,)) for i, (s, t) in enumerate(zip(sigs, texts))], cfg)
    assert len(in_run) == 2  # one cluster of three

    out = list(launder.clean_records(texts, config={"boilerplate": {"enabled": False}}))
    assert [r["text"] for r in out] == texts
    assert out[1]["reason"] == out[2]["reason"] == f"duplicate_of:{out[0]['id']}"
    assert out[2]["similarity"] < 0.6  # the estimated Jaccard to the representative, as the flow reports it
