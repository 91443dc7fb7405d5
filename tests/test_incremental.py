"""Runs into the same OUT: the index makes reruns no-ops and dedups new dumps against earlier ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.forget import forget_sources

from .conftest import output_records

pytestmark = pytest.mark.flow

FERRY = (
    "Harbour Opens New Ferry Terminal\n"
    "The harbour authority opened a new ferry terminal on Monday, the mayor said at the ceremony by the water.\n"
    "The terminal has room for two ships and a waiting hall for four hundred passengers on busy summer days.\n"
    "It replaces a wooden pier built in 1931, which engineers said could no longer carry modern vehicles.\n"
    "Tickets for the first crossings sold out within hours, and the operator plans a third ship next spring.\n"
)
ROADS = (
    "Storm Closes Coast Road\n"
    "Heavy rain closed the coast road on Sunday night, the police said after a long and difficult evening.\n"
    "Drivers were sent inland through the hills while crews cleared mud and fallen trees from the carriageway.\n"
    "The road reopened on Monday afternoon, but officials warned that more rain was expected later this week.\n"
)
MUSEUM = (
    "Museum Adds Maritime Wing\n"
    "The city museum opened a new wing dedicated to maritime history on Saturday, with models of old ships.\n"
    "Curators spent three years collecting logbooks, charts and letters written by sailors and their families.\n"
    "Entry to the new wing is free for children, and guided tours run every afternoon through the summer.\n"
)


_records = output_records


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for sub in ("documents", "rejected")
        for p in sorted((out / sub).glob("*"))
    }


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def test_rerun_is_a_no_op_and_a_new_dump_dedups_against_the_first(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump

    first, out = tmp_path / "first", tmp_path / "out"
    first.mkdir()
    (first / "ferry.txt").write_text(FERRY)
    (first / "roads.txt").write_text(ROADS)
    clean_dump(inputs=[str(first)], out=str(out), workers=1)
    kept = {r["source"]["path"]: r["id"] for r in _records(out, "documents")}
    assert set(kept) == {"ferry.txt", "roads.txt"}
    before = _snapshot(out), (out / "manifest.json").read_bytes()

    totals = clean_dump(inputs=[str(first)], out=str(out), workers=1)  # the same input again
    assert totals["documents"] == 0 and totals["skipped"] == 2
    assert (_snapshot(out), (out / "manifest.json").read_bytes()) == before  # a no-op: nothing rewritten
    assert not (out / ".work").exists()

    second = tmp_path / "second"
    second.mkdir()
    (second / "ferry-copy.txt").write_text(FERRY.replace("Monday", "Monday morning") + "\n")  # near copy
    (second / "roads-again.txt").write_text(ROADS.upper())  # same words: exact duplicate after normalization
    (second / "museum.txt").write_text(MUSEUM)
    (second / "ferry.txt").write_bytes((first / "ferry.txt").read_bytes())  # same bytes under another folder
    clean_dump(inputs=[str(second)], out=str(out), workers=1)
    m = _manifest(out)
    by_path = {f["path"]: f for f in m["files"]}
    assert "already cleaned" in by_path["ferry.txt"]["skipped"]
    rejected = {r["source"]["path"]: r for r in _records(out, "rejected")}
    assert rejected["ferry-copy.txt"]["reason"] == f"duplicate_of:{kept['ferry.txt']}"
    assert 0.6 <= rejected["ferry-copy.txt"]["similarity"] < 1
    assert rejected["roads-again.txt"]["reason"] == f"duplicate_of:{kept['roads.txt']}"
    assert [r["source"]["path"] for r in _records(out, "documents")].count("museum.txt") == 1
    assert len(list((out / "runs").glob("*.manifest.json"))) == 2  # one per run that cleaned something


def test_a_changed_file_is_cleaned_again_and_forget_makes_a_source_new(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump

    dump, out = tmp_path / "dump", tmp_path / "out"
    dump.mkdir()
    (dump / "ferry.txt").write_text(FERRY)
    (dump / "roads.txt").write_text(ROADS)
    clean_dump(inputs=[str(dump)], out=str(out), workers=1)

    (dump / "roads.txt").write_text(MUSEUM)  # same path, new content
    totals = clean_dump(inputs=[str(dump)], out=str(out), workers=1)
    assert totals["documents"] == 1 and totals["skipped"] == 1
    texts = [r["text"] for r in _records(out, "documents")]
    assert sum("maritime" in t for t in texts) == 1

    removed = forget_sources(str(out), str(out / "index.sqlite"), ["ferry.txt"])
    assert removed["ferry.txt"][0] == 1 and removed["ferry.txt"][1] == 1
    assert not any("ferry terminal" in r["text"] for r in _records(out, "documents"))
    totals = clean_dump(inputs=[str(dump)], out=str(out), workers=1)
    assert totals["documents"] == 1 and totals["kept"] == 1  # only the forgotten source is cleaned again
    assert sum("ferry terminal" in r["text"] for r in _records(out, "documents")) == 1


def test_lines_common_to_a_sources_documents_are_stripped(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump

    dump, out = tmp_path / "dump", tmp_path / "out"
    dump.mkdir()
    common = "Readers can find more coverage of the district in our weekend print edition, on sale from Saturday."
    lines = []
    for body in (FERRY, ROADS, MUSEUM):
        head, rest = body.split("\n", 2)[:2], body.split("\n", 2)[2]
        lines.append(json.dumps({"text": "\n".join([*head, common, "He said.", rest])}))
    (dump / "gazette.jsonl").write_text("\n".join(lines) + "\n")
    clean_dump(inputs=[str(dump)], out=str(out), workers=1)
    docs = _records(out, "documents")
    assert len(docs) == 3
    for d in docs:
        assert common not in d["text"]
        assert "\nHe said.\n" in d["text"]  # too short to count as a passage
        rules = {e["rule"] for e in d["provenance"]["edits"]}
        assert "dedup:repeated-across-documents" in rules
    from flows.verify import verify_output

    checked, problems = verify_output(str(out))
    assert checked == 3 and problems == []


def test_other_near_dup_settings_are_refused_unless_rebuilt_other_settings_are_recorded(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump
    from flows.index import Index
    from flows.forget import stored_near_dup

    dump, out = tmp_path / "dump", tmp_path / "out"
    dump.mkdir()
    (dump / "ferry.txt").write_text(FERRY)
    clean_dump(inputs=[str(dump)], out=str(out), workers=1)
    (dump / "roads.txt").write_text(ROADS)
    clean_dump(inputs=[str(dump)], out=str(out), workers=1, config={"min_chars": 5})  # another config: fine
    ix_path = out / "index.sqlite"
    with Index(ix_path, stored_near_dup(ix_path)) as ix:
        assert len(ix.run_settings()) == 2
    other = {"dedup": {"near": {"num_perm": 64, "bands": 16}}}
    with pytest.raises(ValueError, match="other near-dup settings"):
        clean_dump(inputs=[str(dump)], out=str(out), workers=1, config=other)
    totals = clean_dump(inputs=[str(dump)], out=str(out), workers=1, config=other, rebuild=True)
    assert totals["kept"] == 2
