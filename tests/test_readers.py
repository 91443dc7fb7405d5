import gzip
import json
import os

from flows.readers import decode, discover, read_documents


def _read(path, **kw):
    files, errors = discover([str(path)])
    assert not errors
    return read_documents(files[0], **kw)


def test_utf8_bom_and_crlf(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfHello\r\nWorld\r\n")
    info, docs = _read(p)
    assert info.encoding == "utf-8-sig"
    assert docs[0].raw == "Hello\nWorld\n"


def test_non_utf8_is_detected_and_recorded(tmp_path):
    p = tmp_path / "latin.txt"
    text = "Le café est très apprécié à Genève, où les habitués se retrouvent chaque matin pour discuter."
    p.write_bytes(text.encode("cp1252"))
    info, docs = _read(p)
    assert info.encoding.replace("_", "").lower() in {"cp1252", "latin1", "iso88591", "windows1252"}
    assert docs[0].raw == text


def test_undecodable_bytes_never_raise():
    text, enc = decode(b"abc \xff\xfe\xfa\x80 def")
    assert "abc" in text and enc


def test_jsonl_records_errors_and_metadata(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text(
        json.dumps({"id": "x", "title": "T", "text": "one"})
        + "\n"
        + "{not json\n"
        + json.dumps({"text": 5})
        + "\n"
        + json.dumps([1, 2])
        + "\n"
        + json.dumps({"body": "two"})
        + "\n"
    )
    info, items = _read(p)
    assert items[0].raw == "one" and items[0].source.meta["id"] == "x" and items[0].metadata["title"] == "T"
    assert items[0].source.record == 0
    messages = [getattr(i, "message", "") for i in items[1:]]
    assert "malformed JSON on line 2" in messages[0]
    assert "not a string" in messages[1]
    assert "not an object" in messages[2]
    assert "missing" in messages[3]
    _, items = _read(p, text_field="body")
    assert [getattr(i, "raw", None) for i in items][-1] == "two"


def test_gzip_jsonl_and_bad_gzip(tmp_path):
    p = tmp_path / "d.jsonl.gz"
    p.write_bytes(gzip.compress(json.dumps({"text": "zipped"}).encode() + b"\n"))
    info, items = _read(p)
    assert info.format == "jsonl" and items[0].raw == "zipped"
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(b"not gzip at all")
    info, items = _read(bad)
    assert info.error and "gzip" in items[0].message


def test_gzip_bomb_is_capped(tmp_path):
    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a" * 5_000_000))
    info, items = _read(p, max_bytes=1_000_000)
    assert "limit" in info.error


def test_html_drops_furniture_keeps_blocks(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Page</title><meta name='author' content='A. Writer'></head><body>"
        "<nav>Home | News</nav><article><h1>Headline here</h1><p>First <i>para</i>.</p><p>Second.</p>"
        "<table><tr><th>a</th><th>b</th></tr></table></article><form>Leave a reply</form>"
        "<footer>© 2025</footer><script>var x;</script></body></html>"
    )
    info, docs = _read(p)
    lines = docs[0].raw.splitlines()
    assert lines[lines.index("Headline here") :] == [
        "Headline here",
        "First para.",
        "Second.",
        "| a | b |",
        "| --- | --- |",
    ]
    text = docs[0].raw
    assert "Home" not in text and "reply" not in text and "2025" not in text and "var x" not in text
    assert docs[0].metadata["author"] == "A. Writer" and docs[0].metadata["title"]


def test_deeply_nested_html_does_not_crash(tmp_path):
    p = tmp_path / "deep.html"
    sentence = "The council met on Monday to discuss the budget for the harbour district. "
    p.write_text("<div>" * 5000 + sentence * 5 + "</div>" * 5000)
    info, items = _read(p)
    assert sentence.strip() in items[0].raw


def test_html_declared_charset_is_honoured(tmp_path):
    p = tmp_path / "latin.html"
    body = "<p>Les habitués du café de Genève se retrouvent chaque matin pour discuter des nouvelles.</p>" * 3
    p.write_bytes(f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'.encode("latin-1"))
    info, items = _read(p)
    assert info.encoding == "iso-8859-1" and "habitués du café de Genève" in items[0].raw


def test_binary_and_unsupported_and_missing(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "x.json").write_text("{}")
    files, errors = discover([str(tmp_path), str(tmp_path / "nope")])
    assert errors and errors[0].message == "no such file or directory"
    by_name = {os.path.basename(f.display): f for f in files}  # several inputs: shown under the input's path
    info, items = read_documents(by_name["img.txt"])
    assert "binary" in info.error
    info, items = read_documents(by_name["x.json"])
    assert info.skipped and items == []


def test_symlink_loop_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "ok.txt").write_text("fine")
    files, errors = discover([str(tmp_path)])
    assert [f.display for f in files] == ["ok.txt"]
    assert errors and "cannot open" in errors[0].message
