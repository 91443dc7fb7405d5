"""flows.work_files: each record read back from its serialization is the record written, and the work
files a run of the layout WORK_FORMAT 3 wrote before the typed records (tests/data/work_files_v3,
written by flows.shard at c4141e2 from a three-line JSONL) read back and are written again byte for byte."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path

import pytest

from cleaners import CleanConfig, Document
from flows.readers import FileInfo, ReadError
from flows.shard import WORK_FORMAT, _reusable, _work_line, clean_shard_files, ShardSpec, write_shard_outputs
from flows.work_files import (
    DocRow,
    EditStats,
    FileCheck,
    Order,
    Rebuild,
    Run,
    RunState,
    SeenFile,
    ShardFile,
    ShardOutcome,
    ShardSummary,
    SideRow,
    WorkMeta,
    parse_rebuild,
    read_run_state,
    read_side_rows,
    read_stats,
    read_summary,
    read_work_items,
    side_line,
    state_work_line,
    work_line,
    write_run_state,
    write_stats,
    write_summary,
)
from flows.writers import json_line

OLD = Path(__file__).parent / "data" / "work_files_v3"
KEY = "3c7da6866a5bfdf4"


@pytest.fixture
def old_work(tmp_path: Path) -> Path:
    """The old work files in tmp_path (the summary's path pointing there); the work file's path."""
    for p in OLD.iterdir():
        text = p.read_text(encoding="utf-8")
        (tmp_path / p.name).write_text(text.replace("WORK_DIR", str(tmp_path)), encoding="utf-8")
    return tmp_path / f"shard-{KEY}.jsonl"


def test_the_fixture_is_of_the_current_work_format():
    assert WORK_FORMAT == 3  # a new layout needs a new fixture (and a new WORK_FORMAT, so old files are not reused)


def test_an_old_summary_reads_back_as_typed_records_and_is_written_again_byte_for_byte(old_work):
    stored = old_work.with_suffix(".summary.json").read_text(encoding="utf-8")
    s = read_summary(old_work)
    assert (s.index, s.key, s.path, s.reused) == (0, KEY, str(old_work), False)
    assert s.files == [ShardFile(0, FileInfo("feed.jsonl", "jsonl", s.files[0].info.sha256, "utf-8", 236))]
    assert [(d.status, d.order, d.length) for d in s.docs] == [
        ("kept", Order(0, 0, 0), 86),
        ("kept", Order(0, 1, 0), 3),
        ("error", Order(0, 2, 0), 0),
    ]
    assert s.docs[2].id is None and s.docs[2].reason == "line 3: field 'text' is missing"
    assert s.ids() == {s.docs[0].id, s.docs[1].id}
    assert set(s.checks) == {f"shard-{KEY}.jsonl", f"shard-{KEY}.dedup.jsonl", f"shard-{KEY}.stats.json"}
    write_summary(s)
    assert old_work.with_suffix(".summary.json").read_text(encoding="utf-8") == stored


def test_an_old_shard_is_reused_while_its_files_are_whole(old_work):
    assert _reusable(old_work) == read_summary(old_work)
    old_work.write_bytes(old_work.read_bytes()[:-1])
    assert _reusable(old_work) is None


def test_old_work_lines_read_back_and_are_written_again_byte_for_byte(old_work):
    lines = old_work.read_text(encoding="utf-8").splitlines(keepends=True)
    items = list(read_work_items(old_work))
    assert [i.meta for i in items] == [
        WorkMeta("e1a26dd16215b554", None, "en"),
        WorkMeta("27af4b66d265a822", None, "und"),
    ]
    assert all(i.state is None and len(i.parts) == 5 for i in items)
    assert (
        json.loads(items[0].parts[1])
        == "The harbour council voted on Tuesday to rebuild the old pier before the summer season."
    )
    rebuild = parse_rebuild(items[0].rebuild)
    assert rebuild.raw.startswith("The harbour council") and "Share this article" in rebuild.raw
    assert items[1].rebuild is None  # no passages: no raw text kept
    again = [work_line(items[0].meta, items[0].parts, rebuild), work_line(items[1].meta, items[1].parts, None)]
    assert again == lines


def test_an_old_state_line_reads_back():
    # what flows.shard._work_line wrote at c4141e2 for a text orjson refuses (a lone surrogate)
    old = (
        '["ac7a76e9cb616aa5",null,"und"]\t{"raw": "a lone surrogate \ud800 in the text", "pieces": [["a lone surrogate \ud800 in the text", '
        '0, 30, true]], "source": {"path": "<text>", "sha256": "", "record": 0, "encoding": "utf-8", "format": "text", "part": 0, '
        '"meta": {}}, "edits": [], "metadata": {}, "language": {}, "flags": [], "rejected": null}\n'
    )
    doc = Document.from_text("a lone surrogate \ud800 in the text")
    assert _work_line(doc, doc.id, "abc123") == old
    meta, state = old.rstrip("\n").split("\t")
    assert state_work_line(WorkMeta(*json.loads(meta)), json.loads(state)) == old


def test_old_side_rows_and_stats_read_back_and_are_written_again_byte_for_byte(old_work, tmp_path):
    side = old_work.with_suffix(".dedup.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(read_side_rows(old_work))
    assert [(r.id, r.group) for r in rows] == [
        ("e1a26dd16215b554", "site:example.com"),
        ("27af4b66d265a822", "source:feed.jsonl"),
    ]
    assert all(isinstance(r.signature, str) and r.passages == sorted(r.passages) for r in rows)
    assert [side_line(r) for r in rows] == side
    assert list(read_side_rows(tmp_path / "shard-none.jsonl")) == []
    stored = old_work.with_suffix(".stats.json").read_text(encoding="utf-8")
    stats = read_stats(old_work)
    assert stats.edits["boilerplate"]["boilerplate:share"] == [1, 20]
    assert stats.removed[("Share this article", "boilerplate:share")] == 1
    write_stats(old_work, stats)
    assert old_work.with_suffix(".stats.json").read_text(encoding="utf-8") == stored


def test_an_old_shard_writes_its_parts(old_work, tmp_path):
    run = Run("0123456789ab", "2026-01-01T00:00:00+00:00", CleanConfig(), ["in"])
    outcome = write_shard_outputs(read_summary(old_work), str(tmp_path / "out"), {}, {}, run)
    recs = [
        json.loads(line) for line in (tmp_path / "out" / "documents" / f"part-{KEY}.jsonl").read_text().splitlines()
    ]
    assert [r["id"] for r in recs] == ["e1a26dd16215b554", "27af4b66d265a822"]
    assert {r["provenance"]["run_id"] for r in recs} == {"0123456789ab"}
    assert outcome.languages == {"en": 1, "und": 1} and outcome.late == {}


def test_a_summary_round_trips_and_matches_what_phase_one_stored(tmp_path):
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.txt").write_text("The ferry to the island runs twice a day in summer and once in winter.\n")
    from flows.readers import discover

    files, _ = discover([str(dump)])
    s = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), str(tmp_path / "work"), CleanConfig())
    assert ShardSummary.from_json(json.loads(json.dumps(s.to_json()))) == s == read_summary(s.path)
    again = clean_shard_files(ShardSpec(0, tuple(enumerate(files))), str(tmp_path / "work"), CleanConfig())
    assert again.reused and again.docs == s.docs


def test_each_record_round_trips():
    row = DocRow("abc", "rejected", "k" * 32, 12, Order(3, -1, 2), "too-short")
    assert json.dumps(row) == '["abc", "rejected", "' + "k" * 32 + '", 12, [3, -1, 2], "too-short"]'
    assert DocRow.from_json(json.loads(json.dumps(row))) == row
    f = ShardFile(
        4, FileInfo("a.warc.gz", "warc", "s" * 64, "utf-8", 10, records={"read": 2, "skipped": {"request": 1}})
    )
    assert ShardFile.from_json(json.loads(json.dumps(f.to_json()))) == f
    assert list(f.to_json())[:3] == ["position", "display", "format"]
    assert FileCheck(*json.loads(json.dumps(FileCheck(5, "h")))) == FileCheck(5, "h")
    side = SideRow("abc", "site:x.org", None, [1, -2, 3])
    assert SideRow(*json.loads(side_line(side))) == side
    meta, parts = WorkMeta("abc", "too-short", "de"), ["{", '"t"', ",", "[]", "[]"]
    rb = Rebuild("raw\ttext", [[3, 0, 3, True]], [(0, 3, -5)])
    assert "\t" not in work_line(meta, parts, rb).rstrip("\n").split("\t", 6)[6]  # JSON escapes the raw tab
    stats = EditStats({"s": {"r": [2, 7]}}, Counter({("line", "r"): 2}))
    back = EditStats.from_json(json.loads(json_line(stats.to_json())))
    assert (back.edits, back.removed) == (stats.edits, stats.removed)


def test_work_lines_round_trip(tmp_path):
    meta, parts = WorkMeta("abc", None, "en"), ['{"id":"abc","text":', '"x\\ty"', ',"rest":', "[[0,3,0,3]]", "[]"]
    rb = Rebuild("x\ty and more", [[3, 0, 3, False]], [(0, 3, 12345678901234)])
    path = tmp_path / "w.jsonl"
    path.write_text(
        work_line(meta, parts, rb) + work_line(meta, parts, None) + state_work_line(meta, {"raw": "x"}),
        encoding="utf-8",
    )
    a, b, c = read_work_items(path)
    assert (a.meta, a.parts, parse_rebuild(a.rebuild), a.state) == (meta, parts, rb, None)
    assert (b.parts, b.rebuild) == (parts, None)
    assert (c.meta, c.parts, c.state) == (meta, None, {"raw": "x"})


def test_run_state_round_trips_and_a_damaged_one_raises(tmp_path):
    write_run_state(tmp_path, RunState("0123456789ab", "2026-01-01T00:00:00+00:00"))
    assert json.loads((tmp_path / "run.json").read_text()) == {
        "run_id": "0123456789ab",
        "started": "2026-01-01T00:00:00+00:00",
    }
    assert read_run_state(tmp_path) == RunState("0123456789ab", "2026-01-01T00:00:00+00:00")
    (tmp_path / "run.json").write_text('{"run_id": "x"}')
    with pytest.raises(KeyError):
        read_run_state(tmp_path)


def test_the_records_phases_hand_each_other_survive_a_process_boundary():
    cfg = CleanConfig.from_mapping({"min_chars": 5})
    run = Run(
        "r",
        "t",
        cfg,
        ["in"],
        discovery_errors=[ReadError("x", None, "cannot list")],
        seen_files=[SeenFile(0, "a", "s", "q", "a")],
    )
    for rec in (run, ShardOutcome({"s": {"r": [1, 2]}}, [["l", "r", 2]], {"en": 1}, {"abc": "too-short"})):
        assert pickle.loads(pickle.dumps(rec)) == rec
    assert pickle.loads(pickle.dumps(run)).config_hash == cfg.hash
