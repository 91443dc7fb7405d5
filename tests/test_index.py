"""flows.index: the persistent SQLite dedup index, incl. a two-run incremental scenario."""

from __future__ import annotations

import random
import sqlite3

import pytest

from cleaners.exact_dup import exact_key
from cleaners.near_dup import NearDupConfig, find_clusters, signature
from flows.index import Index, IndexedDocument

CFG = NearDupConfig()
WORDS = "ferry port council budget vote harbour tax plan cost dock cargo the of and to in a said".split()


def text(seed: int, n: int = 200) -> str:
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(20)) for _ in range(n // 20))


def doc(i: str, path: str, body: str, order=(0, 0, 0), status="kept", group="", passages=(), sha="f" * 64, run="r1"):
    return IndexedDocument(
        i, path, sha, exact_key(body), len(body), order, signature(body, CFG), status, group, tuple(passages), run
    )


@pytest.fixture
def ix(tmp_path):
    with Index(tmp_path / "dedup.sqlite", CFG) as index:
        yield index


def test_wal_and_settings_are_recorded(tmp_path):
    path = tmp_path / "ix.sqlite"
    Index(path, CFG).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    Index(path, CFG).close()  # same settings: reopens
    with pytest.raises(ValueError, match="other near-dup settings"):
        Index(path, NearDupConfig(shingle_words=5))


def test_files_seen(ix):
    assert not ix.seen_file("abc")
    ix.add_file("abc", "dump/a.txt", "run1")
    ix.add_file("abc", "dump/a.txt", "run2")  # same file again: one record, newest run
    assert ix.seen_file("abc")
    assert [(r.path, r.run_id) for r in ix.file_records("abc")] == [("dump/a.txt", "run2")]


def test_candidates_signature_and_entries(ix):
    a, b = text(1), text(2)
    ix.add_documents([doc("A", "dump/a.txt", a), doc("B", "dump/b.txt", b)])
    near = a.replace("ferry", "boat", 2)
    assert ix.candidates(signature(near, CFG)) == ["A"]
    assert ix.candidates(signature(text(3), CFG)) == []
    assert ix.candidates(signature("too short", CFG)) == []
    assert ix.signature_of("A") == signature(a, CFG)
    assert ix.signature_of("nope") is None
    (e,) = ix.entries(["A", "nope"])
    assert e.prior and e.id == "A" and e.length == len(a) and e.order == (0, 0, 0)
    assert ix.document("B").source_path == "dump/b.txt"


def test_only_kept_documents_are_candidates_and_exact_matches(ix):
    a = text(5)
    ix.add_documents([doc("dup", "dump/a.txt", a, status="duplicate"), doc("rej", "dump/a.txt", a, status="rejected")])
    assert ix.candidates(signature(a, CFG)) == []
    assert ix.exact_matches([exact_key(a)]) == {}
    ix.add_documents([doc("keep", "dump/b.txt", a), doc("keep2", "dump/c.txt", a)])
    assert ix.candidates(signature(a, CFG)) == ["keep", "keep2"]
    assert ix.exact_matches([exact_key(a), "zzz"]) == {exact_key(a): "keep"}


def test_passages_count_and_forget_takes_them_back(ix):
    ix.add_documents([doc("A", "dump/2024/a.txt", text(1), group="site", passages=(1, 2, 2))])
    ix.add_documents([doc("B", "dump/2024b.txt", text(2), group="site", passages=(2, 3))])
    ix.add_passages("site", [3])
    assert ix.passage_counts("site", [1, 2, 3, 4]) == {1: 1, 2: 2, 3: 2}
    assert ix.passage_counts("other", [1, 2]) == {}
    assert ix.forget("dump/2024") == 1  # a directory prefix: not dump/2024b.txt
    assert ix.passage_counts("site", [1, 2, 3]) == {2: 1, 3: 2}
    assert ix.candidates(signature(text(1), CFG)) == []
    assert ix.candidates(signature(text(2), CFG)) == ["B"]
    assert ix.forget("dump/2024b.txt") == 1
    assert ix.passage_counts("site", [2, 3]) == {3: 1}  # the add_passages count belongs to no document
    assert ix.stats()["band_keys"] == 0 and ix.stats()["documents"] == 0


def test_replacing_a_document_does_not_double_count(ix):
    ix.add_documents([doc("A", "dump/a.txt", text(1), group="g", passages=(9,))])
    ix.add_documents([doc("A", "dump/a.txt", text(1), group="g", passages=(9,))])
    assert ix.passage_counts("g", [9]) == {9: 1}
    assert ix.stats()["documents"] == 1
    assert ix.stats()["band_keys"] == CFG.bands


def test_transaction_rolls_back_as_a_whole(ix):
    with pytest.raises(RuntimeError):
        with ix.transaction():
            ix.add_file("abc", "dump/a.txt", "run1")
            ix.add_documents([doc("A", "dump/a.txt", text(1))])
            raise RuntimeError("crash mid-run")
    assert not ix.seen_file("abc")
    assert ix.stats()["documents"] == 0


def test_forget_escapes_like_wildcards(ix):
    ix.add_documents([doc("A", "dump/a_b/x.txt", text(1)), doc("B", "dump/aXb/x.txt", text(2))])
    ix.add_file("s1", "dump/a_b/x.txt", "r")
    assert ix.forget("dump/a_b/") == 1
    assert not ix.seen_file("s1")
    assert ix.document("B") is not None


def test_two_runs_incremental(tmp_path):
    """Run 1 indexes a dump; run 2 (new process, same file) skips seen inputs and dedupes new ones against run 1."""
    path = tmp_path / "state" / "dedup.sqlite"
    story, other = text(10, 400), text(11, 400)
    footer = 777

    # ---- run 1: two files, one kept document each
    with Index(path, CFG) as ix:
        with ix.transaction():
            ix.add_file("sha-1", "dump/day1/a.txt", "run1")
            ix.add_file("sha-2", "dump/day1/b.txt", "run1")
            ix.add_documents(
                [
                    doc("d1", "dump/day1/a.txt", story, (0, 0, 0), group="site", passages=(footer,), sha="sha-1"),
                    doc("d2", "dump/day1/b.txt", other, (1, 0, 0), group="site", passages=(footer,), sha="sha-2"),
                ]
            )

    # ---- rerun of the same input: recognizably a no-op
    with Index(path, CFG) as ix:
        assert all(ix.seen_file(s) for s in ("sha-1", "sha-2"))
        before = ix.stats()

    # ---- run 2: one old file again (skipped), one new file with a near-duplicate of d1 and a new story
    edited = story.replace("harbour", "harbor", 3)
    fresh = text(12, 400)
    with Index(path, CFG) as ix:
        assert ix.stats() == before
        inputs = {"sha-2": "dump/day2/b-copy.txt", "sha-3": "dump/day2/c.txt"}
        todo = {s: p for s, p in inputs.items() if not ix.seen_file(s)}
        assert todo == {"sha-3": "dump/day2/c.txt"}
        new = [
            doc("n1", "dump/day2/c.txt", edited, (0, 0, 0), sha="sha-3", run="run2"),
            doc("n2", "dump/day2/c.txt", fresh, (0, 1, 0), sha="sha-3", run="run2"),
        ]
        from cleaners.near_dup import NearDupEntry

        new_entries = [NearDupEntry(d.id, d.signature, d.length, d.order) for d in new]
        prior_ids = {i for e in new_entries for i in ix.candidates(e.signature)}
        assert prior_ids == {"d1"}
        dups = find_clusters([*new_entries, *ix.entries(prior_ids)], CFG)
        assert list(dups) == ["n1"] and dups["n1"][0] == "d1"
        # counts seen by run 2 include run 1's documents
        assert ix.passage_counts("site", [footer]) == {footer: 2}
        with ix.transaction():
            ix.add_file("sha-3", "dump/day2/c.txt", "run2")
            ix.add_documents(
                [
                    IndexedDocument(
                        **{
                            **d.__dict__,
                            "status": "duplicate" if d.id in dups else "kept",
                            "group": "site",
                            "passages": (footer,),
                        }
                    )
                    for d in new
                ]
            )
        assert ix.passage_counts("site", [footer]) == {footer: 4}
        assert ix.candidates(signature(edited, CFG)) == ["d1"]  # a duplicate without its rep is not a candidate
        assert ix.candidates(signature(fresh, CFG)) == ["n2"]

    # ---- forgetting day 1 makes its inputs new again and takes back its counts
    with Index(path, CFG) as ix:
        assert ix.forget("dump/day1") == 2
        assert not ix.seen_file("sha-1")
        assert ix.passage_counts("site", [footer]) == {footer: 2}
        assert ix.candidates(signature(story, CFG)) == []


def test_a_duplicate_with_its_representative_is_matched_and_a_merge_repoints(ix):
    """A later run matches earlier duplicates (a copy of a copy); merging a kept document re-points its duplicates."""
    a, b = text(1), text(2)
    a_copy = a.replace("ferry", "boat", 2)
    with ix.transaction():
        ix.add_documents(
            [
                doc("a", "a.txt", a, group="g", passages=(1, 2)),
                doc("b", "b.txt", b, group="g", passages=(2,)),
                IndexedDocument(**{**doc("a2", "a2.txt", a_copy).__dict__, "status": "duplicate", "rep": "a"}),
                IndexedDocument(**{**doc("b2", "b2.txt", b).__dict__, "status": "duplicate", "rep": "b"}),
                IndexedDocument(
                    **{**doc("old", "old.txt", a).__dict__, "status": "duplicate"}
                ),  # no rep: an older index
            ]
        )
    assert ix.candidates(signature(a_copy, CFG)) == ["a", "a2"]
    assert ix.representatives(["a", "a2", "b2", "old"]) == {"a2": "a", "b2": "b"}
    assert ix.exact_matches([exact_key(a_copy), exact_key(b)]) == {exact_key(a_copy): "a", exact_key(b): "b"}
    assert ix.exact_matches([exact_key(b)], exclude={"b"}) == {}  # nor through its duplicate
    assert ix.passage_counts("g", [1, 2]) == {1: 1, 2: 2} and ix.group_size("g") == 2

    assert ix.merge({"b": "a", "missing": "a"}) == 1
    assert ix.document("b").status == "duplicate" and ix.document("b").rep == "a"
    assert ix.representatives(["b", "b2"]) == {"b": "a", "b2": "a"}  # b's duplicate now points at a
    assert ix.exact_matches([exact_key(b)]) == {exact_key(b): "a"}
    assert ix.candidates(signature(b, CFG)) == ["b", "b2"]  # still matched, as duplicates of a
    assert ix.passage_counts("g", [1, 2]) == {1: 1, 2: 1} and ix.group_size("g") == 1  # b's counts taken back
    assert ix.merge({"b": "a"}) == 0  # already merged: nothing changes

    ix.supersede(["a2"])
    assert ix.candidates(signature(a_copy, CFG)) == ["a"]
    ix.forget("b2.txt")
    assert ix.candidates(signature(b, CFG)) == ["b"]


def test_an_index_without_the_rep_column_gets_it(tmp_path):
    path = tmp_path / "old.sqlite"
    with Index(path, CFG) as ix:
        ix.add_documents([doc("a", "a.txt", text(1))])
    con = sqlite3.connect(path)
    con.execute("DROP INDEX documents_exact_matched")  # as an index written before the column
    con.execute("ALTER TABLE documents DROP COLUMN rep")
    con.commit()
    con.close()
    with Index(path, CFG) as ix:
        assert ix.document("a").rep is None and ix.candidates(signature(text(1), CFG)) == ["a"]
        ix.add_documents(
            [IndexedDocument(**{**doc("c", "c.txt", text(1)).__dict__, "status": "duplicate", "rep": "a"})]
        )
        assert ix.representatives(["c"]) == {"c": "a"}
