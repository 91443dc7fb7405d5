"""`launder forget`: a source leaves the index and OUT's part files (no Prefect needed)."""

from __future__ import annotations

import json

from cleaners.near_dup import NearDupConfig, signature
from flows.cli import main
from flows.forget import forget_sources, stored_near_dup
from flows.index import Index, IndexedDocument
from flows.out_state import check_out
from cleaners import CleanConfig

TEXT = "\n".join(
    f"Line {i} of a report on the harbour, where the new ferry terminal opened this week." for i in range(8)
)


def _setup(out, cfg=None):
    cfg = cfg or NearDupConfig()
    ix_path = out / "index.sqlite"
    with Index(ix_path, cfg) as ix, ix.transaction():
        for path in ("dump/a.txt", "dump/b.txt", "other/c.txt"):
            ix.add_file("sha-" + path, path, "run1")
            ix.add_documents(
                [
                    IndexedDocument(
                        "id-" + path,
                        path,
                        "sha-" + path,
                        "k-" + path,
                        len(TEXT),
                        (0, 0, 0),
                        signature(TEXT + path, cfg),
                        "kept",
                        "g",
                        (1, 2, 3),
                        "run1",
                    )
                ]
            )
    (out / "documents").mkdir()
    recs = [{"id": "id-" + p, "text": "x", "source": {"path": p}} for p in ("dump/a.txt", "dump/b.txt", "other/c.txt")]
    (out / "documents" / "part-1.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    (out / "documents" / "part-2.jsonl").write_text(json.dumps(recs[0]) + "\n")
    return ix_path


def test_forget_a_folder_removes_its_documents_from_the_index_and_the_outputs(tmp_path):
    ix_path = _setup(tmp_path)
    assert forget_sources(str(tmp_path), str(ix_path), ["dump"]) == {"dump": (2, 3)}
    left = [
        json.loads(line)["source"]["path"]
        for line in (tmp_path / "documents" / "part-1.jsonl").read_text().splitlines()
    ]
    assert left == ["other/c.txt"]
    assert not (tmp_path / "documents" / "part-2.jsonl").exists()  # emptied part files go
    with Index(ix_path, stored_near_dup(ix_path)) as ix:
        assert not ix.seen_file("sha-dump/a.txt") and ix.seen_file("sha-other/c.txt")
        assert ix.stats()["documents"] == 1
        assert ix.passage_counts("g", [1, 2, 3]) == {1: 1, 2: 1, 3: 1}  # only c.txt's contribution remains


def test_forget_reads_the_index_settings_it_was_built_with(tmp_path):
    cfg = NearDupConfig(num_perm=64, bands=16, rows=4)
    ix_path = _setup(tmp_path, cfg)
    assert stored_near_dup(ix_path).num_perm == 64
    assert forget_sources(str(tmp_path), str(ix_path), ["other/c.txt"])["other/c.txt"] == (1, 1)


def test_cli_forget_without_an_index_is_a_usage_error(tmp_path, capsys):
    assert main(["forget", "a.txt", "-o", str(tmp_path)]) == 2
    assert "no index" in capsys.readouterr().err


def test_an_index_with_other_near_dup_settings_is_refused(tmp_path):
    ix_path = _setup(tmp_path, NearDupConfig(num_perm=64, bands=16, rows=4))
    problem = check_out(str(tmp_path), str(ix_path), CleanConfig())
    assert problem and "other near-dup settings" in problem and "--rebuild" in problem
    assert check_out(str(tmp_path / "new"), str(tmp_path / "new" / "index.sqlite"), CleanConfig()) is None
