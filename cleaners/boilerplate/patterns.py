"""Regular expressions over one line: words, sentence ends, dates, bylines, bios, URLs."""

from __future__ import annotations

import re


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


_LETTER = re.compile(r"[^\W\d_]")


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


_SENT_PUNCT = re.compile(r"[.!?…:;][\"'”’»)\]]*(?:\s|$)|[。！？：；]")


_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")


_LINK_AFTER_COLON = re.compile(r"^[^:]{1,40}:\s*\w")


_NUMBER = re.compile(r"[-+−(]?[$€£¥]?\d[\d.,:/%-]*[)%]?")


_TABLE_ROW = re.compile(r"^\||\|$|\s\|\s.*\s\|\s")


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)


_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"


# one token of a date/time line; a date-only line is a run of these holding a month or a numeric date
_DATE_TOKEN = re.compile(
    rf"(?:\b(?:{_MONTHS}|{_DAYS})\b\.?|\d{{1,2}}:\d{{2}}(?:[ap]\.?m\b\.?)?|\d{{1,4}}(?:st|nd|rd|th)?\b|\b[ap]\.?m\b\.?|\b(?-i:[A-Z]{{2,4}})\b|\b(?:gmt|utc|"
    r"updated|published|posted|modified|last|on|at|am|pm|of|the|et|est|edt|pst|pdt|cst|cdt|ist|bst|cet|ago|read|"
    r"(?:second|minute|min|hour|hr|day|week|month|year)s?)\b|"
    r"[,./:|·•\-–—()]+)",
    re.IGNORECASE,
)


# a numeric date: day and month (either order) and a year of two or four digits, or the year first ("3.7.1", a
# section's number, is none)
_NUMERIC_DATE = r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b"


_DATE_ANCHOR = re.compile(rf"\b(?:{_MONTHS})\b|{_NUMERIC_DATE}|\b\d{{1,2}}:\d{{2}}\b", re.IGNORECASE)


_FULL_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|{_NUMERIC_DATE}",
    re.IGNORECASE,
)


_HAS_SENTENCE = re.compile(
    r"[.!?…][\"'”’»)\]]*(?:\s|$)|[。！？]"
)  # a sentence ends in the line (not only a label's colon)


_SENT_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")


_DIGIT = re.compile(r"\d")


_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|bin|le|la|del))*"


_BYLINE = re.compile(
    rf"^(?:by|written by|words by|posted by|story by|reporting by|author:?)\s+({_NAME}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:$|[,|/·•\-–—(]|\bon\b|\bfor\b|\bin\b)",
    re.IGNORECASE,
)


_NAME_URL = re.compile(rf"^({_NAME})\s*(?:https?://|www\.)\S*$")


# "About Jane Roe", "Über Moritz Bachmann", "Sobre Carlos Nadalim": a heading over a bio (or a company's boilerplate)
_ABOUT_HEAD = re.compile(r"^(?i:about|über|sobre|à propos de|a propos de|acerca de)\s+(?:[A-ZÀ-ÖØ-Þ]|(?i:the author))")


# after the body, a paragraph saying who someone is and what they write: "Jane Roe (@jroe) is a senior
# reporter at ...", "Pulitzer Prize-winning journalist John Doe writes ..."
_BIO_SENTENCE = re.compile(
    r"^(?:[\w'’-]+\s){0,4}?(?:[A-Z][\w'’.-]+\s+){1,3}(?:\([^()]{1,40}\)\s+)?"
    r"(?:is|was|has been|writes|covers|reports)\s[^.!?]{0,100}?\b(?:writer|reporter|editor|journalist|correspondent|"
    r"columnist|contributor|author|blogger|photographer|producer|host|educator|founder|critic|analyst|freelancer)s?\b"
)


_ABOUT_AUTHOR = re.compile(r"^about (?:the )?authors?\b", re.IGNORECASE)


# the author's address under an article, and nothing more: "Write to Jane Roe at jane.roe@example.com"
_CONTACT_LINE = re.compile(
    r"^(?i:write to|contact|e-?mail)\s+(?:[A-Z][\w'’.-]*\s+){1,4}at\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$"
)


_READ_ON = re.compile(r"(?:continue|keep) reading\b|(?:read|see|view) (?:more|the full|full|the rest)\b", re.IGNORECASE)


# a record's field: a label of a word or three, a colon, a value ("Publication Date: 2002", "Author(s): Roe, Jane")
_FIELD = re.compile(r"^([A-Z][\w()'’/&.-]*(?: [\w()'’/&.-]+){0,2}):\s+\S")


# an HTML tag as a page's source writes it ("<div class=...>", "</em>", "<br/>")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


# a slide's counter opening its caption: "1/50 United goin down", "2 of 4 A shopper looks at ..." (no date: "12/22/06")
_SLIDE = re.compile(r"^(\d{1,3}) ?(?:/|of) ?(\d{1,3})(?![/\d.:,])")


# a list item's bullet: "+ Added banners", "* Fixed the menu", "• Prepare the interview"
_BULLET = re.compile(r"^([-+*•·–▪►]) +\S")


# a numbered point of a list: "1. ", "12) "
_LIST_NUMBER = re.compile(r"^\d{1,2}[.)]\s+\S")


# an entry of a list of works cited: its author ("Roe, Jane", "Doe, J. K.", "Roe, Jane; Doe, John") or an
# author-date opening ("National Center for Education Statistics. (2002).", "Roe, Jane (2019)."), a year of
# publication somewhere, and its end a full stop or a parenthesis
_CITATION_AUTHOR = re.compile(r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?, [A-Z]")
_CITATION_AUTHOR_DATE = re.compile(r"[^()]{3,120}?\((?:1[5-9]|20)\d\d[a-z]?(?:, [^)]*)?\)")
_CITATION_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d[a-z]?\b")


# a wiki's hatnote over a section, pointing to other articles ("Main article: History of New Zealand", "Main articles:
# X and Y", "Further information: Z"): MediaWiki's templates, links to other pages, not the section's text
_HATNOTE = re.compile(r"(?:Main articles?|Further information)\s*:\s*\S")
