"""cleaners.near_dup: signatures, verification rules, clustering and representative choice."""

from __future__ import annotations

import random

import pytest

from cleaners.near_dup import (
    NearDupConfig,
    NearDupEntry,
    band_keys,
    containment,
    find_clusters,
    is_near_duplicate,
    merge_duplicates,
    shingle_count,
    shingles,
    signature,
    signature_from_str,
    signature_to_str,
    similarity,
)

CFG = NearDupConfig()

# A small newsroom vocabulary: every article below draws from the same words (same topic),
# so distinct articles share most of their words but few word sequences.
TOPIC = (
    "council budget harbour mayor vote funding ferry port tax residents plan project cost million "
    "report committee meeting review proposal contract city officials spokesperson construction "
    "delay dock berth cargo shipping terminal expansion approval lawmakers opposition"
).split()
FUNCTION = "the of and to in a that for on with as was by at from is it said would has".split()


def article(seed: int, paragraphs: int = 10) -> str:
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        words = [rng.choice(TOPIC if rng.random() < 0.55 else FUNCTION) for _ in range(rng.randint(25, 45))]
        paras.append(" ".join(words).capitalize() + ".")
    return "\n".join(paras)


def edit_words(text: str, rate: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        for i in range(len(words)):
            if rng.random() < rate:
                words[i] = "zz" + str(rng.randint(0, 10**6))
        lines.append(" ".join(words))
    return "\n".join(lines)


def entries(texts: dict[str, str], **prior: bool) -> list[NearDupEntry]:
    return [
        NearDupEntry(i, signature(t, CFG), len(t), (n,), prior.get(i, False)) for n, (i, t) in enumerate(texts.items())
    ]


# ------------------------------------------------------------------------------------------ signatures


def test_signature_is_deterministic_compact_and_json_able():
    text = article(1)
    a, b = signature(text, CFG), signature(text, CFG)
    assert a == b and isinstance(a, bytes) and len(a) == 4 + 4 * CFG.num_perm
    assert signature_from_str(signature_to_str(a)) == a
    assert shingle_count(a) == len(shingles(text, CFG.shingle_words))


def test_signature_ignores_case_punctuation_and_spacing_but_not_words():
    assert signature("The Mayor said: no.", CFG) == signature("the  mayor SAID no", CFG)
    assert signature("The mayor said no.", CFG) != signature("The mayor said yes.", CFG)


def test_shingles_stay_inside_lines():
    assert shingles("a b c\nd e f", 3) == {"a b c", "d e f"}
    assert shingles("a b\n\n", 3) == {"a b"}
    assert shingles("", 3) == set()


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\x00\ud800", "ﬁ" * 10_000, "é" * 3])
def test_signature_never_crashes(text):
    sig = signature(text, CFG)
    assert len(sig) == 4 + 4 * CFG.num_perm
    assert band_keys(sig, CFG) == [] or shingle_count(sig) >= CFG.min_shingles


# ------------------------------------------------------------------------------------------ verification


def test_three_percent_edited_copy_is_a_near_duplicate():
    text = article(2)
    copy = edit_words(text, 0.03)
    assert copy != text
    assert is_near_duplicate(signature(text, CFG), signature(copy, CFG), CFG)


def test_heavily_rewritten_copy_is_not():
    text = article(2)
    assert not is_near_duplicate(signature(text, CFG), signature(edit_words(text, 0.3), CFG), CFG)


def test_truncated_copy_is_contained():
    text = article(3)
    cut = text[: int(len(text) * 0.7)]
    a, b = signature(text, CFG), signature(cut, CFG)
    assert containment(a, b) > 0.9
    assert is_near_duplicate(a, b, CFG)


def test_half_an_article_with_a_paragraph_is_not_a_duplicate_of_it():
    text = article(4, paragraphs=12)
    first = text.split("\n")[0]
    assert not is_near_duplicate(signature(text, CFG), signature(first, CFG), CFG)


def test_distinct_articles_on_the_same_topic_are_not_near_duplicates():
    a, b = signature(article(10), CFG), signature(article(11), CFG)
    assert similarity(a, b) < 0.2
    assert not is_near_duplicate(a, b, CFG)


def test_band_keys_match_the_batch_banding():
    from cleaners.near_dup import _band_matrix, signatures_matrix

    sigs = [signature(article(i), CFG) for i in range(5)]
    batch = _band_matrix(signatures_matrix(sigs), CFG)
    assert [band_keys(s, CFG) for s in sigs] == batch.tolist()
    assert len(set(band_keys(sigs[0], CFG))) == CFG.bands


def test_too_short_texts_are_never_duplicates():
    a = signature("The council met.", CFG)
    assert shingle_count(a) < CFG.min_shingles
    assert not is_near_duplicate(a, a, CFG)
    assert band_keys(a, CFG) == []


# ------------------------------------------------------------------------------------------ clustering


def test_find_clusters_finds_each_kind_of_copy_and_no_distinct_article():
    base = article(20)
    paras = base.split("\n")
    texts = {
        "orig": base,
        "edited": edit_words(base, 0.03),
        "boiler": "Sign up for our newsletter and never miss a story from the harbour\n"
        + base
        + "\nAll rights reserved",
        "reordered": "\n".join(paras[5:] + paras[:5]),
        "truncated": base[: int(len(base) * 0.75)],
        "other1": article(21),
        "other2": article(22),
        "related": "\n".join(paras[:3] + article(23).split("\n")[:7]),  # 30% shared: an update, not a copy
    }
    out = find_clusters(entries(texts), CFG)
    assert set(out) == {"edited", "truncated", "reordered", "orig"}  # "boiler" is longest: representative
    assert {rep for rep, _ in out.values()} == {"boiler"}
    assert out["reordered"][1] < 1.0 and all(0.0 < s <= 1.0 for _, s in out.values())


def test_reordered_paragraphs_have_similarity_one():
    base = article(30)
    paras = base.split("\n")
    out = find_clusters(entries({"a": base, "b": "\n".join(reversed(paras))}), CFG)
    assert out == {"b": ("a", 1.0)}


def test_representative_is_longest_then_earliest_then_smallest_id():
    base = article(40)
    texts = {"z": base, "y": base, "long": base + "\nOne more closing paragraph about the harbour budget vote."}
    out = find_clusters(entries(texts), CFG)
    assert {k: rep for k, (rep, _) in out.items()} == {"z": "long", "y": "long"}
    same = [NearDupEntry("b", signature(base, CFG), 10, (0,)), NearDupEntry("a", signature(base, CFG), 10, (1,))]
    assert find_clusters(same, CFG) == {"a": ("b", 1.0)}  # earlier wins over smaller id
    tied = [NearDupEntry("b", signature(base, CFG), 10, (0,)), NearDupEntry("a", signature(base, CFG), 10, (0,))]
    assert find_clusters(tied, CFG) == {"b": ("a", 1.0)}


def test_result_does_not_depend_on_input_order():
    base, other = article(50), article(51)
    texts = {
        "a": base,
        "b": edit_words(base, 0.02),
        "c": base[: len(base) * 4 // 5],
        "d": other,
        "e": edit_words(other, 0.01, seed=3),
        "f": article(52),
    }
    es = entries(texts)
    want = find_clusters(es, CFG)
    # edited copies carry longer words ("zz123456"), so they are the longest of their clusters
    assert {k: rep for k, (rep, _) in want.items()} == {"a": "b", "c": "b", "d": "e"}
    for seed in range(3):
        shuffled = es[:]
        random.Random(seed).shuffle(shuffled)
        assert find_clusters(shuffled, CFG) == want


def test_prior_entries_win_and_are_never_reported():
    base = article(60)
    longer = base + "\nA closing paragraph added by the later copy of the harbour story."
    es = [
        NearDupEntry("old", signature(base, CFG), len(base), (0,), prior=True),
        NearDupEntry("new", signature(longer, CFG), len(longer), (0,)),
    ]
    out = find_clusters(es, CFG)
    assert list(out) == ["new"] and out["new"][0] == "old"
    both_prior = [NearDupEntry(e.id, e.signature, e.length, e.order, prior=True) for e in es]
    assert find_clusters(both_prior, CFG) == {}


def test_disabled_and_degenerate_inputs():
    base = article(70)
    es = entries({"a": base, "b": base})
    assert find_clusters(es, NearDupConfig(enabled=False)) == {}
    assert find_clusters([], CFG) == {}
    assert find_clusters(es[:1], CFG) == {}
    assert find_clusters(es + es, CFG) == {"b": ("a", 1.0)}  # repeated ids are ignored
    with pytest.raises(ValueError):
        find_clusters([NearDupEntry("x", b"\x00" * 12, 1, (0,)), *es], CFG)


def test_clusters_are_transitive():
    base = article(80, paragraphs=14)
    mid = edit_words(base, 0.04, seed=1)
    far = edit_words(mid, 0.04, seed=2)
    out = find_clusters(entries({"a": base, "b": mid, "c": far}), CFG)
    assert {k: v[0] for k, v in out.items()} in ({"b": "a", "c": "a"}, {"a": "b", "c": "b"}, {"a": "c", "b": "c"})


def test_merge_duplicates_points_exact_duplicates_at_the_final_representative():
    assert merge_duplicates({"x": "a", "y": "c"}, {"a": ("b", 0.8)}) == {
        "x": ("b", 0.8),
        "y": ("c", 1.0),
        "a": ("b", 0.8),
    }
    assert merge_duplicates({}, {}) == {}


def test_find_clusters_stats_counts_candidates_and_verified_pairs():
    base = article(90)
    stats: dict = {}
    out = find_clusters(
        entries({"a": base, "b": edit_words(base, 0.02), "c": article(91), "d": "too short"}), CFG, stats
    )
    assert set(out) == {"a"} or set(out) == {"b"}
    assert stats["entries"] == 3  # "d" is too short to cluster
    assert stats["candidate_pairs"] >= stats["verified_pairs"] == 1


# ------------------------------------------------------------------------------------------ seeds


def test_no_seed_is_merged_with_another():
    """The five real seeds (all on one story: Lavrov and Ukraine talks) stay apart at the default config,
    raw and cleaned, with a wide margin (cross-seed estimated Jaccard was at most 0.06 when written)."""
    from cleaners import clean_document
    from flows.readers import discover, read_documents

    from .conftest import shared_path

    files, _ = discover([str(p) for p in sorted(shared_path("seeds").glob("*.txt"))])
    assert len(files) == 5
    texts: list[tuple[str, str]] = []  # (seed file, text)
    for f in files:
        _, items = read_documents(f)
        for doc in items:
            texts.append((f.path, doc.text))
            texts += [(f.path, d.text) for d in clean_document(doc) if not d.rejected]
    es = [NearDupEntry(f"{n}", signature(t, CFG), len(t), (n,)) for n, (_, t) in enumerate(texts)]
    out = find_clusters(es, CFG)
    seed_of = {e.id: src for e, (src, _) in zip(es, texts)}
    assert [(d, r) for d, (r, _) in out.items() if seed_of[d] != seed_of[r]] == []
    for i, a in enumerate(es):
        for b in es[i + 1 :]:
            if seed_of[a.id] != seed_of[b.id]:
                assert similarity(a.signature, b.signature) < CFG.threshold / 2
                assert containment(a.signature, b.signature) < CFG.containment / 2


# ------------------------------------------------------------------------------------------ LSH internals


def test_band_keys_do_not_depend_on_the_row_block():
    from cleaners.near_dup import _band_keys_by_band, signatures_matrix

    values = signatures_matrix([signature(article(s), CFG) for s in range(11)])
    whole = _band_keys_by_band(values, CFG)
    assert whole.shape == (CFG.bands, 11)
    assert (_band_keys_by_band(values, CFG, block=3) == whole).all()
    assert (_band_keys_by_band(values[::-1], CFG, block=4)[:, ::-1] == whole).all()


def test_candidate_pairs_link_every_bucket_and_are_unique():
    """Many identical signatures (every band pools them: the merge of waiting pairs runs several times)."""
    from cleaners.near_dup import _band_keys_by_band, _candidate_pairs, signatures_matrix

    texts = [article(100)] * 12 + [article(101 + i) for i in range(8)] + [edit_words(article(100), 0.02)] * 3
    values = signatures_matrix([signature(t, CFG) for t in texts])
    pairs = _candidate_pairs(values, CFG)
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs)
    # every bucket of every band is connected by the pairs (star + chain), nothing else is paired
    parent = list(range(len(texts)))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs.tolist():
        parent[find(a)] = find(b)
    keys = _band_keys_by_band(values, CFG)
    share = {
        (i, j)
        for b in range(CFG.bands)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if keys[b, i] == keys[b, j]
    }
    assert all(find(i) == find(j) for i, j in share)
    assert {tuple(p) for p in pairs.tolist()} <= share
    assert all(find(i) == find(0) for i in range(12))
