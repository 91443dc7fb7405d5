"""End to end: the Prefect flow over a small dump, checked against the output contract."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from flows.verify import verify_output

from .conftest import output_records

pytestmark = pytest.mark.flow

ARTICLE = (
    "City Council Approves New Budget\n"
    "The city council approved a budget of 4.2 million euros on Monday after a long debate about parks.\n"
    "Councillors said the money would fund repairs to three bridges and a new library in the north district.\n"
)


RAIN = (
    "Heavy rain closed the coast road on Sunday night, the police said. Drivers were sent inland through "
    "the hills while crews cleared mud and fallen trees from the carriageway."
)


BRIDGE = (
    "The old stone bridge over the river reopened on Friday after eight months of repairs, the city said. "
    "Engineers replaced two arches and a railing that a flood had damaged last winter."
)


def _make_dump(root: Path) -> Path:
    dump = root / "dump"
    (dump / "sub").mkdir(parents=True)
    (dump / "a.txt").write_text(ARTICLE.replace("said", "saidâ€™"), encoding="utf-8")
    (dump / "sub" / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    (dump / "empty.txt").write_text("")
    (dump / "crlf.md").write_bytes(b"Bridge reopens after repairs\r\n" + BRIDGE.encode() + b"\r\n")
    (dump / "page.html").write_text(
        "<html><head><title>Museum</title></head><body><nav>Menu</nav><p>The museum opened a new wing "
        "dedicated to maritime history on Saturday morning.</p><footer>(c) Site</footer></body></html>"
    )
    lines = [json.dumps({"id": "r1", "text": ARTICLE}), "{broken", json.dumps({"id": "r3", "text": RAIN})]
    (dump / "feed.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    (dump / "notes.json").write_text("{}")
    return dump


_records = output_records


def _report_artifacts() -> list[str]:
    """The markdown of every `launder-report` artifact on the test server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["launder-report"])))
    return [a.data for a in found if a.type == "markdown"]


@pytest.mark.parametrize("workers", [1, 2])
def test_clean_dump_contract(prefect_server, tmp_path, workers):
    from flows.clean_dump import clean_dump, progress_to

    dump = _make_dump(tmp_path)
    out = tmp_path / "out"
    progress = []
    with progress_to(lambda *step: progress.append(step)):
        totals = clean_dump(inputs=[str(dump)], out=str(out), workers=workers, shard_mb=0.0001)
    manifest = json.loads((out / "manifest.json").read_text())
    shards = manifest["shards"]["count"]
    assert shards > 1 and progress == [(phase, n, shards) for phase in ("clean", "write") for n in range(1, shards + 1)]
    kept, rejected = _records(out, "documents"), _records(out, "rejected")

    # every input accounted for
    by_path = {f["path"]: f for f in manifest["files"]}
    assert set(by_path) == {"a.txt", "sub/copy.txt", "empty.txt", "crlf.md", "page.html", "feed.jsonl.gz", "notes.json"}
    assert by_path["notes.json"]["skipped"]
    assert by_path["feed.jsonl.gz"]["documents"] == 2
    assert [o["status"] for o in by_path["feed.jsonl.gz"]["outcomes"]] == ["rejected", "error", "kept"]
    assert "malformed JSON on line 2" in by_path["feed.jsonl.gz"]["outcomes"][1]["error"]
    assert by_path["empty.txt"]["outcomes"][0]["reason"] == "empty"
    assert totals == manifest["totals"]
    assert totals["kept"] == len(kept) and totals["rejected"] == len(rejected) and totals["errors"] == 1

    # exact duplicates collapse into one, the most complete / earliest; the others point at it
    dups = [r for r in rejected if r["reason"].startswith("duplicate_of:")]
    rep_ids = {r["reason"].split(":", 1)[1] for r in dups}
    assert len(dups) == 2 and len(rep_ids) == 1
    rep = next(r for r in kept if r["id"] in rep_ids)
    assert sorted(d["source"]["path"] for d in rep["duplicates"]) == sorted(r["source"]["path"] for r in dups)

    # contract fields
    a = next(r for r in kept + rejected if r["source"]["path"] == "a.txt")
    assert "said’" in a["text"] and any(e["rule"] == "mojibake:encoding" for e in a["provenance"]["edits"])
    for rec in kept:
        assert set(rec) >= {"id", "text", "source", "language", "metadata", "provenance", "duplicates"}
        assert set(rec["source"]) >= {"path", "sha256", "record", "encoding"}
        assert set(rec["language"]) == {"code", "prob"}
        assert set(rec["provenance"]) >= {"pipeline_version", "config_hash", "run_id", "spans", "edits"}
    assert next(r for r in kept if r["source"]["path"] == "page.html")["metadata"]["title"] == "Museum"

    # the report and its figures
    report = (out / "report.md").read_text()
    assert report.startswith("# launder run") and "## Characters removed by step and rule" in report
    assert report in _report_artifacts(), "report.md not published as the Prefect markdown artifact launder-report"
    assert manifest["languages"].get("en", 0) >= 3
    assert manifest["clusters"] == {rep["id"]: sorted(r["id"] for r in dups)}

    # spans verify against the raw inputs; nothing half-written is left behind
    checked, problems = verify_output(out)
    assert checked == len(kept) + len(rejected) and problems == []
    assert not list(out.rglob("*.tmp")) and not (out / ".work").exists()


def test_ids_are_stable_across_runs(prefect_server, tmp_path):
    from flows.clean_dump import clean_dump

    dump = _make_dump(tmp_path)
    ids = []
    for run in ("one", "two"):
        clean_dump(inputs=[str(dump)], out=str(tmp_path / run), workers=1)
        ids.append(sorted(r["id"] for r in _records(tmp_path / run, "documents")))
    assert ids[0] == ids[1] and ids[0]
