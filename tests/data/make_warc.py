"""Write the small web archives the tests read: tests/data/sample.warc.gz and tests/data/sample.wet.gz.

    .venv/bin/python tests/data/make_warc.py        # rewrites both files (same bytes every time)

Every page below was written for launder's tests (no page of a real site). The WARC holds what a
crawl of two small sites gives: a warcinfo record, a request record before each response, four
HTML pages answered 200 (three of one site ending their article with the same imprint line, one in ISO-8859-1 declared only
in the HTTP header), an exact copy of one page under another URL, a 404 page, a 301 redirect, a PDF
and a PNG (answered 200, not HTML), and a metadata record. The WET holds the text conversions of
the four pages (as Common Crawl's WET files do: a warcinfo record, then one ``conversion`` record
per page) and a conversion record whose text is empty.

Record ids and dates are fixed, so the files are the same bytes on every run (warcio writes them;
tests read them with the reader launder uses).
"""

from __future__ import annotations

import io
import sys
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
DATE = "2025-03-14T09:26:53Z"

FOOTER = "The Harbour Town Gazette is printed on recycled paper at the old mill on Quay Street."
NAV = (
    "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a> <a href='/contact'>Contact</a></nav>"
)


def page(title: str, paragraphs: list[str], site: str = "Harbour Town Gazette", footer: str = FOOTER) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{title} | {site}</title><meta property='og:site_name' content='{site}'></head>\n"
        f"<body>{NAV}\n<article><h1>{title}</h1>\n{body}\n<p class='imprint'>{footer}</p>\n</article>\n"
        "<footer><p>Contact the newsroom</p></footer></body></html>\n"
    )


PAGES: list[tuple[str, str, str]] = [  # (URL, title, HTML)
    (
        "https://news.example.org/2025/03/harbour-bridge-repairs",
        "Harbour bridge to close for three weeks of repairs",
        "",
    ),
    (
        "https://news.example.org/2025/03/library-reopens",
        "Town library reopens after a year of rebuilding",
        "",
    ),
    (
        "https://news.example.org/2025/03/rail-timetable",
        "New rail timetable adds an early train to the city",
        "",
    ),
]
TEXTS = {
    PAGES[0][0]: [
        "The harbour bridge will close to cars from Monday for three weeks while engineers replace the worn "
        "steel joints that carry the road deck over the river, the council said on Thursday.",
        "Walkers and cyclists can still cross on the north footway, which stays open throughout the works. "
        "Buses will run on the longer route through Mill Lane and the ring road, adding about ten minutes.",
        "The joints were last replaced in 1998. An inspection in the autumn found cracks in two of them, and "
        "the engineers advised the council not to wait for the summer, when the harbour is busiest.",
        "Shops on the quay asked for the work to be done at night, but the council said the welding needs "
        "daylight and dry weather, and that night work would have made the closure longer, not shorter.",
    ],
    PAGES[1][0]: [
        "The town library opened its doors again on Saturday, a year after a burst pipe flooded the ground "
        "floor and ruined most of the children's books and the local history room.",
        "The rebuilt ground floor has a reading room facing the garden, a corner for homework with six "
        "computers, and shelves for about twelve thousand books, two thousand more than before the flood.",
        "Volunteers spent the winter drying and copying the parish records that survived. The librarian said "
        "that almost all of the old maps could be saved, but that the newspapers of the 1950s were lost.",
        "Opening hours are the same as before: every day except Sunday, from nine in the morning until six in "
        "the evening, and until eight on Thursdays.",
    ],
    PAGES[2][0]: [
        "From April a train will leave the town station at ten past six every weekday morning, reaching the "
        "city before seven, the rail company announced in its new timetable on Wednesday.",
        "Commuters had asked for an earlier train for years. Until now the first train left at a quarter to "
        "seven, which made many people who start work at eight drive to the city instead.",
        "The evening trains stay as they are, but the last train on Saturdays will leave the city half an hour "
        "later, at twenty past eleven, to serve people coming home from the theatre and concerts.",
        "Season tickets will cost the same as this year. The company said that it would look at the numbers "
        "after six months and decide then whether the early train should run on Saturdays too.",
    ],
}
for i, (url, title, _) in enumerate(PAGES):
    PAGES[i] = (url, title, page(title, TEXTS[url]))

BLOG_URL = "http://blog.example.net/posts/sourdough-starter"
BLOG_TITLE = "Keeping a sourdough starter alive through the holidays"
BLOG_TEXT = [
    "A starter is flour, water and patience. Mine is called Fernand, after the café owner who gave me the "
    "first spoonful of it eight years ago, and it has survived two moves and one very long holiday.",
    "Before going away, feed the starter, let it rise for an hour, then put it in the fridge with the lid "
    "closed. It will sleep for two weeks without any harm. Longer than that, dry a little of it on paper.",
    "When you come back, throw away half of it and feed it twice a day for two days. The smell of acetone "
    "that greets you is normal: it means the yeast was hungry, not that the starter has died.",
]
# Latin-1 bytes, and the charset only in the HTTP header (no <meta charset>): the reader must use it
BLOG_HTML = (
    f"<html><head><title>{BLOG_TITLE}</title></head><body><div class='post'><h1>{BLOG_TITLE}</h1>"
    + "".join(f"<p>{p}</p>" for p in BLOG_TEXT)
    + "</div><div class='sidebar'><a href='/about'>About me</a></div></body></html>\n"
)

NOT_FOUND = "<html><head><title>Page not found</title></head><body><h1>Not found</h1><p>Sorry, this page does not exist.</p></body></html>\n"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def rid(n: int) -> str:
    return f"<urn:uuid:{uuid.UUID(int=0x1A0DE5 << 64 | n)}>"


class Writer:
    def __init__(self, fh: io.BufferedIOBase) -> None:
        self.w = WARCWriter(fh, gzip=True)
        self.n = 0

    def record(
        self,
        uri: str | None,
        kind: str,
        payload: bytes,
        http: StatusAndHeaders | None = None,
        content_type: str = "",
        **extra: str,
    ) -> str:
        self.n += 1
        headers = {"WARC-Record-ID": rid(self.n), "WARC-Date": DATE, **extra}
        rec = self.w.create_warc_record(
            uri,
            kind,
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=content_type,
            warc_headers_dict=headers,
            http_headers=http,
        )
        self.w.write_record(rec)
        return headers["WARC-Record-ID"]


def response(
    w: Writer, url: str, status: str, content_type: str, body: bytes, extra: list[tuple[str, str]] | None = None
) -> None:
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    req = StatusAndHeaders(
        f"GET {path} HTTP/1.1", [("Host", host), ("User-Agent", "launder-test/1.0")], is_http_request=True
    )
    w.record(url, "request", b"", http=req)
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))] + (extra or [])
    w.record(url, "response", body, http=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))


def write_warc(path: Path) -> None:
    with open(path, "wb") as fh:
        w = Writer(fh)
        info = b"software: tests/data/make_warc.py\r\nformat: WARC File Format 1.1\r\n"
        w.record(None, "warcinfo", info, content_type="application/warc-fields", **{"WARC-Filename": path.name})
        for url, _title, html in PAGES:
            response(w, url, "200 OK", "text/html; charset=utf-8", html.encode("utf-8"))
        response(w, BLOG_URL, "200 OK", "text/html; charset=ISO-8859-1", BLOG_HTML.encode("latin-1"))
        # the same page under another URL (a tracking parameter): an exact duplicate of the first
        response(
            w, PAGES[0][0] + "?utm_source=newsletter", "200 OK", "text/html; charset=utf-8", PAGES[0][2].encode("utf-8")
        )
        response(
            w,
            "https://news.example.org/2024/01/old-story",
            "404 Not Found",
            "text/html; charset=utf-8",
            NOT_FOUND.encode(),
        )
        response(
            w,
            "https://news.example.org/old",
            "301 Moved Permanently",
            "text/html",
            b"",
            [("Location", "https://news.example.org/")],
        )
        response(w, "https://news.example.org/files/budget-2025.pdf", "200 OK", "application/pdf", PDF)
        response(w, "https://news.example.org/logo.png", "200 OK", "image/png", PNG)
        w.record(PAGES[0][0], "metadata", b"fetchTimeMs: 118\r\n", content_type="application/warc-fields")


def write_wet(path: Path) -> None:
    with open(path, "wb") as fh:
        w = Writer(fh)
        w.n = 100
        info = b"software: tests/data/make_warc.py\r\nformat: WARC File Format 1.1\r\nconversion: text of tests/data/sample.warc.gz\r\n"
        w.record(None, "warcinfo", info, content_type="application/warc-fields", **{"WARC-Filename": path.name})
        for n, (url, title, _html) in enumerate(PAGES, 1):
            text = "\n".join([title, *TEXTS[url], FOOTER]) + "\n"
            w.record(
                url, "conversion", text.encode("utf-8"), content_type="text/plain", **{"WARC-Refers-To": rid(2 * n + 1)}
            )
        text = "\n".join([BLOG_TITLE, *BLOG_TEXT]) + "\n"
        w.record(BLOG_URL, "conversion", text.encode("utf-8"), content_type="text/plain")
        w.record("https://news.example.org/empty", "conversion", b"", content_type="text/plain")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    write_warc(out / "sample.warc.gz")
    write_wet(out / "sample.wet.gz")
    for name in ("sample.warc.gz", "sample.wet.gz"):
        print(f"{out / name}: {(out / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
