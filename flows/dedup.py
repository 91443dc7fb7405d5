"""Cross-document decisions of a run, against the dump itself and the index of earlier runs.

:func:`decide` runs once per run, after every shard is cleaned (phase 1). From the shard
summaries and their dedup side files (``flows.work_files.dedup_path``) it decides:

1. exact duplicates (``cleaners.exact_dup``): same words after normalization, within the run,
   then against earlier runs' kept documents and duplicates (``Index.exact_matches``);
2. near duplicates (``cleaners.near_dup``): MinHash/LSH over the run's exact
   representatives plus the earlier documents sharing an LSH bucket with one of them
   (``Index.candidates``); an earlier document always stays the representative.
   The earlier documents include those earlier runs dropped as duplicates: within one run
   a copy of a copy joins the cluster through the copy (union-find), even when it is not
   near the original itself; across runs it can only do so if the earlier copy is still
   there to be matched, so the index keeps its signature and representative, and a new
   document matched to it is a duplicate of that representative (``Index.representatives``);
3. passages common to a group (``cleaners.passage_counts``): the passage hashes of the
   run's remaining documents are counted per group (site or source) in numpy, added to the
   index's counts from earlier runs, and every line reaching the threshold is to be
   stripped from the run's documents (phase 2 does it).

:func:`index_records` then turns the run into the index's rows, committed by the flow
after the outputs and the manifest are written, so that a crash never leaves the index
ahead of OUT.

Memory: the run's signatures (``4 * num_perm`` bytes each) and passage hashes (16 bytes
each in numpy); documents and texts stay in the shards' files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from cleaners import CleanConfig
from cleaners.exact_dup import DedupEntry, resolve_exact
from cleaners.near_dup import NearDupEntry, find_clusters, merge_duplicates, signature_from_str, similarity
from cleaners.passage_counts import min_count

from .index import Index, IndexedDocument
from .work_files import ShardSummary, SideRow, read_side_rows

_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class Decisions:
    duplicates: dict[str, tuple[str, float]] = field(
        default_factory=dict
    )  # duplicate id -> (representative, similarity)
    common: dict[str, list[list[int]]] = field(default_factory=dict)  # doc id -> [[passage hash, documents], ...]
    unchanged: dict[str, str] = field(default_factory=dict)  # new id -> earlier document it repeats (flows.versions)
    superseded: dict[str, str] = field(default_factory=dict)  # earlier id -> the new version's document
    merged: dict[str, tuple[str, float]] = field(
        default_factory=dict
    )  # earlier kept id -> (earlier representative, similarity)
    revived: set[str] = field(default_factory=set)  # superseded documents of bytes a file holds again


def side_rows(summaries: list[ShardSummary]) -> Iterator[SideRow]:
    """The dedup side rows of every kept document of the run, in input order."""
    for s in summaries:
        yield from read_side_rows(s.path)


def decide(
    summaries: list[ShardSummary],
    cfg: CleanConfig,
    index: Index | None,
    skip: frozenset[str] | set[str] = frozenset(),
    replaced: frozenset[str] | set[str] = frozenset(),
    runs: set[str] | None = None,
) -> Decisions:
    """The run's duplicates and common passages (see the module docstring).

    ``skip``: the run's documents that repeat an earlier version's unchanged (not written again);
    ``replaced``: earlier documents this run supersedes (never a representative, their passages not counted);
    ``runs``: the runs into this OUT (an index may serve several): only their documents may be merged.
    """
    kept = {d.id: d for s in summaries for d in s.docs if d.status == "kept" and d.id not in skip}
    out = Decisions()
    dedup = cfg.dedup

    exact: dict[str, str] = {}
    if dedup.exact:
        exact = resolve_exact(DedupEntry(d.id, d.key, d.length, tuple(d.order)) for d in kept.values())
        if index is not None:
            reps = {d.key: i for i, d in kept.items() if i not in exact}
            earlier = index.exact_matches(reps, exclude=replaced)
            moved = {reps[k]: prior for k, prior in earlier.items()}
            exact = {dup: moved.get(rep, rep) for dup, rep in exact.items()}
            exact.update(moved)

    near: dict[str, tuple[str, float]] = {}
    if dedup.near.enabled:
        entries = [
            NearDupEntry(i, signature_from_str(sig), kept[i].length, tuple(kept[i].order))
            for i, _group, sig, _h in side_rows(summaries)
            if sig is not None and i not in exact and i in kept
        ]
        prior: list[NearDupEntry] = []
        rep_of: dict[str, str] = {}  # earlier duplicates among the candidates -> their representatives
        if index is not None and entries and index.has_signatures():
            ids = {c for e in entries for c in index.candidates(e.signature)} - set(replaced)
            every = index.representatives(ids)
            rep_of = {d: r for d, r in every.items() if r not in replaced}
            ids -= every.keys() - rep_of.keys()  # dropped for a document this run supersedes: released, not matched
            prior = index.entries(ids)
        near = find_clusters([*entries, *prior], dedup.near, prior_members=bool(prior))
        if prior and index is not None:
            near, out.merged = _join_earlier(near, entries, prior, rep_of, index, runs)
    out.duplicates = merge_duplicates(exact, near)
    if out.merged:  # an exact copy of an earlier document merged now goes to that one's representative
        out.duplicates = {d: out.merged.get(r, (r, sim)) for d, (r, sim) in out.duplicates.items()}

    if dedup.passages.enabled:
        out.common = _common_passages(summaries, out.duplicates, cfg, index, skip, set(replaced) | set(out.merged))
    return out


def _join_earlier(
    near: dict[str, tuple[str, float]],
    entries: list[NearDupEntry],
    prior: list[NearDupEntry],
    rep_of: dict[str, str],
    index: Index,
    runs: set[str] | None = None,
) -> tuple[dict[str, tuple[str, float]], dict[str, tuple[str, float]]]:
    """The clusters of the run's documents with the earlier ones, as one run over all of them makes them.

    ``near`` is ``find_clusters(..., prior_members=True)`` over the run's entries and the earlier
    candidates (``prior``; ``rep_of``: those that are duplicates, and their representatives). A
    cluster holding earlier documents is joined with the clusters of those earlier documents (an
    earlier duplicate stands for its representative), and its representative is the earlier kept
    document ``find_clusters`` prefers (longest, then first in input order, then smallest id). Returns

    - the run's duplicates: each with that representative and the similarity to it;
    - the earlier kept documents the run's documents join to another earlier document's cluster:
      within one run they would have been dropped as its duplicates; ``merged`` -> (representative,
      similarity). The flow moves their records to ``rejected/`` and the index re-points the
      duplicates dropped for them (``Index.merge``). Only documents of ``runs`` (the runs into this
      OUT, when an index serves several) are merged: another OUT's documents are not this run's to move.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for dup, (rep, _sim) in near.items():
        parent[find(dup)] = find(rep)
    for dup, rep in rep_of.items():
        if dup in parent:
            parent[find(dup)] = find(rep)
    earlier = {e.id for e in prior}
    info = {e.id: e for e in [*entries, *prior]}
    extra = {r for d, r in rep_of.items() if d in parent} - info.keys()
    for e in index.entries(extra):
        info[e.id] = e
    earlier |= extra
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    result: dict[str, tuple[str, float]] = {}
    merged: dict[str, tuple[str, float]] = {}
    for members in groups.values():
        kept = [m for m in members if m in earlier and m not in rep_of and m in info]
        if not kept:  # only the run's documents (or earlier ones no longer matched): as clustered
            result.update(
                (m, (rep_of.get(near[m][0], near[m][0]), near[m][1])) for m in members if m in near and m not in earlier
            )
            continue
        best = min(kept, key=lambda m: (-info[m].length, tuple(info[m].order), m))
        for m in members:
            if (
                m == best or m in rep_of or m not in info
            ):  # an earlier duplicate follows its representative (Index.merge)
                continue
            sim = round(similarity(info[m].signature, info[best].signature), 4)
            if m not in earlier:
                result[m] = (best, sim)
            elif runs is None or (doc := index.document(m)) is not None and doc.run_id in runs:
                merged[m] = (best, sim)
    return result, merged


def _replaced_counts(
    index: Index, replaced: frozenset[str] | set[str]
) -> tuple[dict[tuple[str, int], int], dict[str, int]]:
    """What the superseded documents added to the index's passage counts and group sizes (to take back)."""
    counts: dict[tuple[str, int], int] = {}
    sizes: dict[str, int] = {}
    for doc_id in sorted(replaced):
        doc = index.document(doc_id)
        if doc is None or not doc.passages:
            continue
        sizes[doc.group] = sizes.get(doc.group, 0) + 1
        for h in set(doc.passages):
            counts[(doc.group, h)] = counts.get((doc.group, h), 0) + 1
    return counts, sizes


def _common_passages(
    summaries: list[ShardSummary],
    duplicates: dict[str, tuple[str, float]],
    cfg: CleanConfig,
    index: Index | None,
    skip: frozenset[str] | set[str] = frozenset(),
    replaced: frozenset[str] | set[str] = frozenset(),
) -> dict[str, list[list[int]]]:
    pcfg = cfg.dedup.passages
    groups: dict[str, int] = {}
    doc_ids: list[str] = []
    doc_of, group_of, hash_of = [], [], []
    minus, minus_sizes = _replaced_counts(index, replaced) if index is not None and replaced else ({}, {})
    for doc_id, group, _sig, hashes in side_rows(summaries):
        if doc_id in duplicates or doc_id in skip or not hashes:
            continue
        gid = groups.setdefault(group, len(groups))
        doc_of.append(np.full(len(hashes), len(doc_ids), dtype=np.int64))
        group_of.append(np.full(len(hashes), gid, dtype=np.int64))
        hash_of.append(np.asarray(hashes, dtype=np.int64))
        doc_ids.append(doc_id)
    if not doc_ids:
        return {}
    docs, gids, hashes = np.concatenate(doc_of), np.concatenate(group_of), np.concatenate(hash_of)
    keys = hashes.view(np.uint64) * _MIX + gids.astype(np.uint64)  # (group, hash) in one word
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    total = counts[inverse].astype(np.int64)  # documents of the run holding each entry's passage
    group_docs = np.bincount(gids[np.unique(docs, return_index=True)[1]], minlength=len(groups))
    names = sorted(groups, key=groups.get)
    need = np.empty(len(groups), dtype=np.int64)
    for g, name in enumerate(names):
        prior_size = (
            index.group_size(name) - minus_sizes.get(name, 0) if index is not None and pcfg.min_fraction > 0 else 0
        )
        need[g] = min_count(pcfg, int(group_docs[g]) + prior_size)
    if index is not None:
        for g, name in enumerate(names):
            sel = gids == g
            earlier = index.passage_counts(name, np.unique(hashes[sel]).tolist())
            if minus:
                earlier = {h: n - minus.get((name, h), 0) for h, n in earlier.items()}
            if earlier:
                total[sel] += np.fromiter((earlier.get(h, 0) for h in hashes[sel].tolist()), dtype=np.int64)
    hit = np.nonzero(total >= need[gids])[0]
    common: dict[str, list[list[int]]] = {}
    for i in hit.tolist():
        common.setdefault(doc_ids[int(docs[i])], []).append([int(hashes[i]), int(total[i])])
    return common


def index_records(
    summaries: list[ShardSummary],
    decisions: Decisions,
    late: dict[str, str],
    run_id: str,
    skip: frozenset[str] | set[str] = frozenset(),
) -> Iterator[IndexedDocument]:
    """The run's documents as the index keeps them (kept ones with signature and passages).

    ``skip``: documents repeating an earlier version's unchanged (the earlier one stays in the index).
    Every document keeps its exact key (kept ones and duplicates are matched by it), so that a
    later version of its source can tell an unchanged record. A duplicate keeps its signature and
    its representative too: a later run matches a copy of it as one run would (``decide``).
    """
    for s in summaries:
        shas = {f.position: (f.info.display, f.info.sha256) for f in s.files}
        side = read_side_rows(s.path)
        for doc_id, status, key, length, order, _reason in s.docs:
            if doc_id is None:
                continue
            group, sig, hashes = "", None, []
            if status == "kept":  # the side file holds the kept documents, in the same order
                side_id, group, sig, hashes = next(side)
                assert side_id == doc_id, f"dedup side file out of step with {s.path}"
            path, sha = shas.get(order.position, ("", ""))
            if status == "kept" and doc_id in decisions.duplicates:
                status = "duplicate"
            elif status == "kept" and doc_id in late:
                status = "rejected"
            keep = status == "kept"
            if doc_id in skip:
                continue
            rep = decisions.duplicates[doc_id][0] if status == "duplicate" else None
            yield IndexedDocument(
                doc_id,
                path,
                sha,
                key,
                length,
                tuple(order),
                signature_from_str(sig) if (keep or rep) and sig else None,
                status,
                group,
                tuple(hashes) if keep else (),
                run_id,
                rep,
            )


def processed_files(summaries: list[ShardSummary]) -> Iterator[tuple[str, str]]:
    """(sha256, path) of the run's inputs read without a file-level error (a later run skips them).

    A file all of whose records failed is left out too: a later run (with the right --text-field,
    say) cleans it again.
    """
    for s in summaries:
        failed = {d.order.position for d in s.docs if d.status == "error"} - {
            d.order.position for d in s.docs if d.status != "error"
        }
        for f in s.files:
            if f.info.sha256 and not f.info.error and f.position not in failed:
                yield f.info.sha256, f.info.display


def open_index(path: str | Path, cfg: CleanConfig) -> Index:
    return Index(path, cfg.dedup.near)
