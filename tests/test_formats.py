"""Formats in and out (issue 16): WARC and WET in, Parquet and zstd in and out.

tests/data/sample.warc.gz and sample.wet.gz are written by tests/data/make_warc.py from pages written
for these tests (see its docstring for what records they hold).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest

from cleaners import Document
from flows.formats import count_part, read_part, write_part_lines
from flows.readers import MISSING_FIELD, ReadError, discover, read_documents
from flows.writers import document_record, json_line, write_lines

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def _read(path: Path, **kw):
    files, errors = discover([str(path)])
    assert not errors and len(files) == 1
    return read_documents(files[0], **kw)


def _docs(items):
    return [i for i in items if isinstance(i, Document)]


# ----------------------------------------------------------------------------- WARC and WET in
def test_warc_responses_become_html_documents_and_the_rest_is_counted():
    info, items = _read(DATA / "sample.warc.gz")
    docs = _docs(items)
    assert not [i for i in items if isinstance(i, ReadError)]
    assert info.format == "warc" and info.error is None and len(info.sha256) == 64
    # 20 records: warcinfo, 9 request + 9 response, metadata; of the responses 4 pages + 1 copy are HTML answered 200
    assert info.records == {
        "read": 20,
        "skipped": {"metadata": 1, "not-200": 2, "not-html": 2, "request": 9, "warcinfo": 1},
    }
    assert [d.source.record for d in docs] == [2, 4, 6, 8, 10]
    assert {d.source.format for d in docs} == {"html"}
    first = docs[0]
    assert first.source.meta["warc_record_id"] == "<urn:uuid:00000000-001a-0de5-0000-000000000003>"
    assert first.source.meta["warc_target_uri"] == "https://news.example.org/2025/03/harbour-bridge-repairs"
    assert first.source.meta["warc_date"] == "2025-03-14T09:26:53Z"
    assert first.source.meta["http_status"] == 200
    assert first.metadata["url"] == first.source.meta["warc_target_uri"]
    assert first.metadata["site"] == "news.example.org"  # the URL's host: the group for passage dedup
    assert first.metadata["site_name"] == "Harbour Town Gazette"  # what the page calls itself
    assert first.metadata["title"] == "Harbour bridge to close for three weeks of repairs"
    assert "engineers replace the worn steel joints" in first.raw and "<p>" not in first.raw
    blog = docs[3]  # ISO-8859-1, declared only in the HTTP header
    assert blog.source.encoding == "iso-8859-1" and "café owner" in blog.raw
    assert blog.metadata["site"] == "blog.example.net"
    assert docs[4].raw == first.raw  # the same page under another URL


def test_wet_conversions_take_the_text_path():
    info, items = _read(DATA / "sample.wet.gz")
    docs = _docs(items)
    assert info.format == "wet" and info.records == {"read": 6, "skipped": {"warcinfo": 1}}
    assert [d.source.format for d in docs] == ["text"] * 5
    assert docs[0].source.meta["warc_type"] == "conversion"
    assert docs[0].raw.startswith("Harbour bridge to close for three weeks of repairs\nThe harbour bridge will close")
    assert docs[3].metadata == {"url": "http://blog.example.net/posts/sourdough-starter", "site": "blog.example.net"}
    assert docs[4].raw == ""  # an empty conversion is a document (rejected later as empty), not lost


def test_uncompressed_warc_reads_the_same(tmp_path):
    plain = tmp_path / "sample.warc"
    plain.write_bytes(gzip.decompress((DATA / "sample.warc.gz").read_bytes()))
    _, gz_items = _read(DATA / "sample.warc.gz")
    info, items = _read(plain)
    assert info.records["read"] == 20
    assert [(d.raw, d.source.record, d.metadata) for d in _docs(items)] == [
        (d.raw, d.source.record, d.metadata) for d in _docs(gz_items)
    ]


def test_truncated_warc_keeps_what_was_read_and_says_where(tmp_path):
    data = (DATA / "sample.warc.gz").read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:5000])  # inside the fourth page's gzip member
    info, items = _read(cut)
    assert info.error is None  # a file with records read is cleaned; the damage is an error record
    assert [d.source.record for d in _docs(items)] == [2, 4, 6]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1 and "truncated" in errors[0].message and errors[0].record == 8
    plain = tmp_path / "cut.warc"
    plain.write_bytes(gzip.decompress(data)[:7000])  # inside the third page's payload
    _, items = _read(plain)
    assert [d.source.record for d in _docs(items)] == [2, 4]
    assert [i.record for i in items if isinstance(i, ReadError)] == [6]


def test_a_file_that_is_no_archive_is_an_error_of_the_file(tmp_path):
    bad = tmp_path / "notes.warc.gz"
    bad.write_bytes(gzip.compress(b"just some notes, not a web archive\n"))
    info, items = _read(bad)
    assert info.error and "damaged WARC file at its start" in info.error
    assert len(items) == 1 and isinstance(items[0], ReadError)


def test_oversized_warc_record_is_an_error_of_that_record():
    _, items = _read(DATA / "sample.warc.gz", max_record_bytes=1320)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert {e.record for e in errors} == {2, 6, 10}  # the three pages over 1320 bytes; the others are read
    assert "larger than" in errors[0].message and len(_docs(items)) == 2


# ----------------------------------------------------------------------------- zstd in
def test_zstd_inputs_read_like_their_plain_files(tmp_path):
    import zstandard

    src = ROOT / "raw"  # the sample dump: a JSONL feed, text in cp1252 and with a BOM, an HTML page
    plain = [
        src / "feeds" / "news.jsonl",
        src / "articles" / "harbour_cp1252.txt",
        src / "articles" / "library_bom.txt",
        src / "pages" / "orchard_festival.html",
    ]
    for p in plain:
        z = tmp_path / (p.name + ".zst")
        z.write_bytes(zstandard.ZstdCompressor().compress(p.read_bytes()))
        info_p, items_p = _read(p)
        info_z, items_z = _read(z)
        assert info_z.error is None and info_z.encoding == info_p.encoding
        assert [(d.raw, d.source.record, dict(d.source.meta)) for d in _docs(items_z)] == [
            (d.raw, d.source.record, dict(d.source.meta)) for d in _docs(items_p)
        ]
    bad = tmp_path / "bad.jsonl.zst"
    bad.write_bytes(b"\x28\xb5\x2f\xfd not really zstd")
    info, items = _read(bad)
    assert info.error and "not a valid zstd file" in info.error


# ----------------------------------------------------------------------------- Parquet in
def _parquet(path: Path, rows: list[dict], **kw) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows, **kw), path)
    return path


def test_parquet_rows_are_documents_with_their_other_columns_in_meta(tmp_path):
    body = "The council approved the new budget for the town's parks on Monday evening after a long debate."
    p = _parquet(
        tmp_path / "d.parquet",
        [
            {
                "body": body,
                "url": "https://www.example.com/a",
                "title": "Parks budget",
                "n": 3,
                "when": dt.datetime(2025, 3, 14, 9, 30),
                "tags": ["a", "b"],
            },
            {"body": None, "url": "https://www.example.com/b", "title": None, "n": 4, "when": None, "tags": []},
            {"body": "Second\r\nrow", "url": None, "title": "t", "n": 5, "when": None, "tags": None},
        ],
    )
    info, items = _read(p, text_field="body")
    assert info.format == "parquet" and info.error is None and info.encoding == "utf-8"
    d0, err, d2 = items
    assert d0.raw == body and d0.source.record == 0 and d0.source.format == "parquet"
    assert dict(d0.source.meta) == {
        "url": "https://www.example.com/a",
        "title": "Parks budget",
        "n": 3,
        "when": "2025-03-14T09:30:00",
        "tags": ["a", "b"],
    }
    assert d0.metadata == {"title": "Parks budget", "url": "https://www.example.com/a"}
    assert isinstance(err, ReadError) and err.record == 1 and "'body' is null" in err.message
    assert d2.raw == "Second\nrow" and d2.source.record == 2
    info, items = _read(p)  # no column "text": the file's error, as for a JSONL file (not marked cleaned)
    assert info.error.startswith(f"{MISSING_FIELD} 'text'") and len(items) == 1


def test_a_file_that_is_not_parquet_is_an_error_of_the_file(tmp_path):
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"PAR1 but nothing more")
    info, items = _read(bad)
    assert info.error and "not a valid Parquet file" in info.error and isinstance(items[0], ReadError)


# ----------------------------------------------------------------------------- part files out
def _records() -> list[dict]:
    """Output records of real documents: the sample WARC's pages, and a JSONL record with meta."""
    _, items = _read(DATA / "sample.warc.gz")
    from cleaners import CleanConfig, clean_document

    for name in ("heatwave_boilerplate.txt", "harbour_cp1252.txt", "museum_crlf.txt"):  # documents with edits
        items += _read(ROOT / "raw" / "articles" / name)[1]
    recs = []
    for d in _docs(items):
        for c in clean_document(d, CleanConfig()):
            recs.append(document_record(c, pipeline_version="t", config_hash="h", run_id="r"))
    recs[0]["duplicates"] = [{"id": "x", "source": {"path": "a.jsonl", "record": 3, "part": 0}, "similarity": 0.91}]
    recs[1]["metadata"]["tags"] = ["not", "a", "string"]  # a key outside the fixed metadata fields
    recs[2]["reason"], recs[2]["similarity"] = "duplicate_of:x", 0.95
    recs[3]["source"].pop("meta")
    with_edits = [r for r in recs if r["provenance"]["edits"]]
    with_edits[0]["provenance"]["edits"][0]["detail"] = "[('encode', 'sloppy-windows-1252')]"  # as a mojibake fix has
    return recs


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.zst", ".parquet"])
def test_part_files_round_trip_in_every_format(tmp_path, suffix):
    recs = _records()
    edits = [e for r in recs for e in r["provenance"]["edits"]]
    assert any("detail" in e for e in edits) and any("detail" not in e for e in edits)  # both are in the round trip
    for sub in ("documents", "rejected"):
        part = tmp_path / sub / f"part-00ff{suffix}"
        some = recs if sub == "rejected" else [r for r in recs if "reason" not in r]
        assert write_part_lines(part, map(json_line, some)) == len(some)
        assert list(read_part(part)) == some
        assert count_part(part) == len(some)
        assert not [p for p in part.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_rejected_record_is_never_written_to_a_documents_parquet_part(tmp_path):
    part = tmp_path / "documents" / "part-00ff.parquet"
    with pytest.raises(ValueError, match="belongs in rejected/"):
        write_part_lines(part, map(json_line, _records()))
    assert not part.parent.exists() or not list(part.parent.iterdir())  # no part, no temp file left


def test_parquet_part_columns_follow_the_jsonl_contract(tmp_path):
    import pyarrow.parquet as pq

    recs = _records()
    part = tmp_path / "rejected" / "part-00ff.parquet"
    write_part_lines(part, map(json_line, recs))
    table = pq.read_table(part)
    top = {k for r in recs for k in r}
    assert set(table.schema.names) == top | {"reason", "similarity"}
    assert table.schema.field("provenance").type.get_field_index("edits") >= 0
    assert str(table.schema.field("source").type.field("record").type) == "int64"
    row = table.slice(0, 1).to_pylist()[0]
    assert row["text"] == recs[0]["text"] and row["provenance"]["spans"] == recs[0]["provenance"]["spans"]
    assert json.loads(row["source"]["meta"]) == recs[0]["source"]["meta"]  # source.meta: a JSON string


def test_parquet_part_reads_in_duckdb(tmp_path):
    duckdb = pytest.importorskip(
        "duckdb", reason="duckdb is not installed (pip install duckdb; it is in the dev extra)"
    )
    recs = _records()
    recs = [r for r in recs if "reason" not in r]
    write_part_lines(tmp_path / "documents" / "part-00aa.parquet", map(json_line, recs[:2]))
    write_part_lines(tmp_path / "documents" / "part-00bb.parquet", map(json_line, recs[2:]))
    con = duckdb.connect()
    rows = con.execute(
        "SELECT id, source.record, metadata.site, language.code, len(provenance.spans), provenance.edits[1].rule "
        f"FROM read_parquet('{tmp_path}/documents/*.parquet') ORDER BY id"
    ).fetchall()
    by_id = {r["id"]: r for r in recs}
    assert [r[0] for r in rows] == sorted(by_id)
    for doc_id, record, site, code, spans, rule in rows:
        rec = by_id[doc_id]
        assert (record, site, code, spans) == (
            rec["source"]["record"],
            rec["metadata"].get("site"),
            rec["language"]["code"],
            len(rec["provenance"]["spans"]),
        )
        assert rule == (rec["provenance"]["edits"][0]["rule"] if rec["provenance"]["edits"] else None)
    assert {r[2] for r in rows} >= {"news.example.org", "blog.example.net"}


def test_parquet_parts_load_with_hugging_face_datasets(tmp_path, monkeypatch):
    datasets = pytest.importorskip(
        "datasets",
        reason="datasets is not installed (pip install datasets; not in the dev extra, where it would add about 400 MB)",
    )
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # its cache in the test's folder
    recs = [r for r in _records() if "reason" not in r]
    write_part_lines(tmp_path / "documents" / "part-00aa.parquet", map(json_line, recs))
    ds = datasets.load_dataset(
        "parquet",
        data_files=str(tmp_path / "documents" / "*.parquet"),
        split="train",
        cache_dir=str(tmp_path / "cache"),
    )
    assert ds.num_rows == len(recs)
    assert [r["id"] for r in ds] == [r["id"] for r in recs]
    for row, rec in zip(ds, recs):
        assert row["text"] == rec["text"]
        assert row["source"]["path"] == rec["source"]["path"]
        assert [e["rule"] for e in row["provenance"]["edits"]] == [e["rule"] for e in rec["provenance"]["edits"]]


# ----------------------------------------------------------------------------- end to end
def _out_records(out: Path) -> dict[str, tuple[str, dict]]:
    from flows.out_state import part_files

    found = {}
    for sub in ("documents", "rejected"):
        for part in part_files(out, sub):
            for rec in read_part(part):
                rec["provenance"].pop("run_id")
                found[rec["id"]] = (sub, rec)
    return found


@pytest.mark.flow
def test_every_output_format_holds_the_same_records(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump
    from flows.forget import forget_sources
    from flows.out_state import INDEX_FILE, part_files
    from flows.verify import verify_output

    dump = tmp_path / "dump"
    shutil.copytree(ROOT / "raw", dump)
    shutil.copy(DATA / "sample.warc.gz", dump / "crawl.warc.gz")
    outs = {}
    for fmt in ("jsonl", "jsonl.zst", "parquet"):
        out = tmp_path / f"out-{fmt}"
        clean_dump(inputs=[str(dump)], out=str(out), workers=1, output_format=fmt)
        suffix = {"jsonl": ".jsonl", "jsonl.zst": ".jsonl.zst", "parquet": ".parquet"}[fmt]
        assert part_files(out, "documents") and all(p.name.endswith(suffix) for p in part_files(out, "documents"))
        checked, problems = verify_output(out)
        assert problems == [] and checked > 0
        outs[fmt] = out
    base = _out_records(outs["jsonl"])
    assert _out_records(outs["jsonl.zst"]) == base
    assert _out_records(outs["parquet"]) == base
    manifest = json.loads((outs["parquet"] / "manifest.json").read_text())
    assert manifest["output_format"] == "parquet"
    warc = next(f for f in manifest["files"] if f["path"] == "crawl.warc.gz")
    assert warc["records"]["skipped"] == {"metadata": 1, "not-200": 2, "not-html": 2, "request": 9, "warcinfo": 1}
    assert manifest["totals"]["records_skipped"]["not-200"] == 2
    # the three news pages share a footer line: learned as the site's boilerplate
    warc_docs = [r for _sub, r in base.values() if r["source"]["path"] == "crawl.warc.gz"]
    footer = [
        r for r in warc_docs if any(e["rule"] == "dedup:repeated-across-documents" for e in r["provenance"]["edits"])
    ]
    assert len(footer) == 3 and all(r["metadata"]["site"] == "news.example.org" for r in footer)
    assert all("printed on recycled paper" not in r["text"] for r in footer)
    dup = [r for r in warc_docs if r.get("reason", "").startswith("duplicate_of:")]
    assert [r["source"]["meta"]["warc_target_uri"].endswith("?utm_source=newsletter") for r in dup] == [True]
    # forget rewrites Parquet parts in place; verify still holds
    out = outs["parquet"]
    forget_sources(str(out), str(out / INDEX_FILE), ["crawl.warc.gz"])
    assert not [r for _s, r in _out_records(out).values() if r["source"]["path"] == "crawl.warc.gz"]
    assert verify_output(out)[1] == []


@pytest.mark.flow
def test_cli_format_and_wet_input(prefect_server, tmp_path):
    from flows.cli import main

    out = tmp_path / "out"
    assert main(["clean", str(DATA / "sample.wet.gz"), "-o", str(out), "--format", "parquet", "--workers", "1"]) == 0
    recs = _out_records(out)
    kept = [r for sub, r in recs.values() if sub == "documents"]
    assert len(kept) == 4 and {r["source"]["format"] for r in kept} == {"text"}
    assert [r["reason"] for sub, r in recs.values() if sub == "rejected"] == ["empty"]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.zst", ".parquet"])
def test_stdout_lines_are_the_jsonl_contract_in_every_format(tmp_path, suffix):
    # --stdout writes the run's kept documents as JSONL whatever --format the parts are in
    from flows.stdio import kept_lines

    recs = [r for r in _records() if "reason" not in r]
    run_id = recs[0]["provenance"]["run_id"]
    assert all(r["provenance"]["run_id"] == run_id for r in recs)
    (tmp_path / "documents").mkdir()
    write_lines(tmp_path / "documents" / f"part-00ff{suffix}", map(json_line, recs))
    files = [{"outcomes": [{"id": r["id"], "status": "kept"} for r in recs]}]
    (tmp_path / "manifest.json").write_text(json.dumps({"run_id": run_id, "files": files}), encoding="utf-8")
    assert [json.loads(line) for line in kept_lines(tmp_path)] == recs
