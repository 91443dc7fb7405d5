"""Dedup across runs finds what one run finds (issue 16, item 4).

The same files are cleaned once in one run and once in two runs into one OUT. The corpus holds
the three cases that two runs used to miss (benchmarks/cross_run.py, benchmarks/README.md "Across
runs"):

- a copy of a copy (chain): ``lede`` (the first paragraphs of ``full``) and ``full`` in run 1, where
  ``lede`` is dropped as a duplicate of ``full``; ``lede-edited`` (``lede`` with words changed) in run 2
  is near ``lede`` but not near ``full``. One run joins the three through ``lede``.
- a bridge: ``full`` and ``lede-edited`` of another story in run 1 (not near each other: both kept),
  ``lede`` in run 2, near both. One run makes the three one cluster.
- a byte-identical copy under another name in run 2 (one run rejects it as a duplicate).

The texts are generated here from a fixed seed; nothing is read from ../shared.
"""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path

import pytest

from cleaners.near_dup import NearDupConfig, is_near_duplicate, signature

from .conftest import output_records

pytestmark = pytest.mark.flow

SUBJECTS = [
    "the council",
    "the harbour authority",
    "the school board",
    "the minister",
    "local residents",
    "the transport agency",
    "the museum",
    "the hospital trust",
    "the police",
    "the ferry operator",
    "engineers",
    "the mayor",
    "shop owners",
    "the university",
    "farmers in the valley",
]
VERBS = [
    "approved",
    "rejected",
    "delayed",
    "announced",
    "criticised",
    "welcomed",
    "reviewed",
    "funded",
    "questioned",
    "promised",
    "opened",
    "postponed",
    "defended",
    "studied",
    "planned",
]
OBJECTS = [
    "a new bridge over the river",
    "the budget for next year",
    "plans for a second terminal",
    "repairs to the old pier",
    "a rise in parking fees",
    "longer opening hours",
    "the report on flooding",
    "a grant for the library",
    "changes to the bus routes",
    "a ban on night flights",
    "the housing scheme",
    "a study of the coastal path",
    "the closure of two wards",
    "a festival in the old town",
]
TAILS = [
    "on Monday after a long debate",
    "despite protests outside the hall",
    "in a statement to reporters",
    "after months of talks with the unions",
    "before the summer holidays",
    "at a meeting on Thursday evening",
    "although the costs are still unclear",
    "because of rising prices",
    "with the support of most members",
    "for the third time this year",
]


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}, {rng.choice(SUBJECTS)} said"
    return s[0].upper() + s[1:] + "."


def _article(rng: random.Random, paragraphs: int = 12) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(3)) for _ in range(paragraphs)]


def _edited(rng: random.Random, paras: list[str], rate: float) -> list[str]:
    words = sorted({w for p in paras for w in p.split()})
    return [" ".join(rng.choice(words) if rng.random() < rate else w for w in p.split()) for p in paras]


def _corpus() -> tuple[dict[str, str], dict[str, int], list[list[str]]]:
    """(file name -> text, file name -> true cluster, [run 1 files, run 2 files])."""
    rng = random.Random(16)
    texts, cluster = {}, {}
    for c, (prefix, first, second) in enumerate(
        [
            ("chain", ["full", "lede"], ["lede-edited"]),
            ("bridge", ["full", "lede-edited"], ["lede"]),
        ]
    ):
        paras = _article(rng)
        lede = paras[:7]
        version = {"full": paras, "lede": lede, "lede-edited": _edited(rng, lede, 0.07)}
        for kind in first + second:
            texts[f"{prefix}-{kind}.txt"] = "\n".join(version[kind]) + "\n"
            cluster[f"{prefix}-{kind}.txt"] = c
    texts["copy-a.txt"] = "\n".join(_article(rng)) + "\n"
    texts["copy-b.txt"] = texts["copy-a.txt"]  # the same bytes under another name, in run 2
    cluster["copy-a.txt"] = cluster["copy-b.txt"] = 2
    for n in range(4):  # stories of their own
        texts[f"other-{n}.txt"] = "\n".join(_article(rng)) + "\n"
        cluster[f"other-{n}.txt"] = 3 + n
    run2 = {"chain-lede-edited.txt", "bridge-lede.txt", "copy-b.txt", "other-2.txt", "other-3.txt"}
    return texts, cluster, [sorted(set(texts) - run2), sorted(run2)]


def _clean(texts: dict[str, str], batches: list[list[str]], root: Path) -> Path:
    from flows.clean_dump import clean_dump

    out = root / "out"
    for n, names in enumerate(batches):
        folder = root / f"in-{n}"
        folder.mkdir(parents=True)
        for name in names:
            (folder / name).write_text(texts[name], encoding="utf-8")
        clean_dump(inputs=[str(folder)], out=str(out), workers=1)
    return out


def _pairs(out: Path) -> set[tuple[str, str]]:
    """Pairs of source files in one cluster: a rejected record's duplicate_of followed to a kept document."""
    path_of, dup_of = {}, {}
    for sub in ("documents", "rejected"):
        for rec in output_records(out, sub):
            path_of[rec["id"]] = rec["source"]["path"]
            if rec.get("reason", "").startswith("duplicate_of:"):
                dup_of[rec["id"]] = rec["reason"].split(":", 1)[1]
    rep = {}
    for doc_id, path in path_of.items():
        r = doc_id
        while r in dup_of:
            r = dup_of[r]
        rep[path] = r
    return {(a, b) for a, b in combinations(sorted(rep), 2) if rep[a] == rep[b]}


def test_the_corpus_holds_a_chain_and_a_bridge():
    """The premises: the cases the two runs must handle are there (else the other test proves nothing)."""
    texts, _cluster, _batches = _corpus()
    cfg = NearDupConfig()
    near = lambda a, b: is_near_duplicate(signature(texts[a], cfg), signature(texts[b], cfg), cfg)  # noqa: E731
    for story in ("chain", "bridge"):
        assert near(f"{story}-full.txt", f"{story}-lede.txt")
        assert near(f"{story}-lede.txt", f"{story}-lede-edited.txt")
        assert not near(f"{story}-full.txt", f"{story}-lede-edited.txt")


def test_two_runs_find_the_duplicates_one_run_finds(prefect_server, tmp_path):
    from flows.verify import verify_output

    texts, cluster, batches = _corpus()
    one = _clean(texts, [sorted(texts)], tmp_path / "one")
    two = _clean(texts, batches, tmp_path / "two")
    true_pairs = {(a, b) for a, b in combinations(sorted(texts), 2) if cluster[a] == cluster[b]}
    found_one, found_two = _pairs(one), _pairs(two)
    assert found_one == true_pairs  # precision and recall 1 in one run
    crossing = {(a, b) for a, b in true_pairs if (a in batches[1]) != (b in batches[1])}
    assert len(crossing) == 5
    assert found_two == found_one  # the same pairs: equal recall and precision

    # the bridge: run 1 kept both; run 2 moved one to rejected/ with its reason and said so
    runs = sorted((two / "runs").glob("*.manifest.json"), key=lambda p: json.loads(p.read_text())["started"])
    second = json.loads(runs[-1].read_text())
    assert second["totals"]["merged"] == 1
    [merged] = second["merged"]
    kept = {r["id"]: r["source"]["path"] for r in output_records(two, "documents")}
    assert merged["duplicate_of"] in kept and kept[merged["duplicate_of"]] == "bridge-full.txt"
    moved = [r for r in output_records(two, "rejected") if r["id"] == merged["id"]]
    assert [r["source"]["path"] for r in moved] == ["bridge-lede-edited.txt"]
    assert moved[0]["reason"] == f"duplicate_of:{merged['duplicate_of']}" and 0 < moved[0]["similarity"] < 0.6
    # the copy under another name is a document of OUT (rejected as a duplicate), not a skipped file
    by_path = {f["path"]: f for f in second["files"]}
    assert "skipped" not in by_path["copy-b.txt"]
    assert by_path["copy-b.txt"]["outcomes"][0]["status"] == "rejected"
    # every input document accounted for, once, and OUT agrees with its index and manifests
    assert len(kept) + len(output_records(two, "rejected")) == len(texts)
    assert verify_output(str(two))[1] == []
