"""normalize_spacing: missing spaces after punctuation and lost capitals, fixed conservatively.

Two passes, each rule its own code:

- punctuation: ``spacing:after-comma`` ("statement,made"), ``spacing:after-period``
  ("peace.In", also after "?" and "!"), never inside numbers, URLs, domains, file
  names or abbreviations;
- recasing (``cfg.recase``): ``spacing:recase-word`` gives a lower-case word the
  capital the same document gives it mid-sentence nearly everywhere else
  ("ukraine" -> "Ukraine"), plus month and weekday names;
  ``spacing:recase-sentence-start`` capitalizes a sentence that starts in lower
  case after a complete sentence, and a title-like heading that starts in lower
  case. A paragraph line that starts in lower case is left alone (another step
  judges it truncated).

>>> text = "Lavrov spoke in the city.Ukraine and Russia met,officials said. Ukraine and Russia differ.\\nKyiv said russia lied. while Russia denied it."
>>> print(normalize_spacing(Document.from_text(text), SpacingConfig()).text)
Lavrov spoke in the city. Ukraine and Russia met, officials said. Ukraine and Russia differ.
Kyiv said Russia lied. While Russia denied it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from .document import Change, Document
from .steps import StepConfig
from .text import iter_lines

STEP = "spacing"

# letters of the scripts that put spaces between words (Latin, Greek, Cyrillic)
_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_COMMA = re.compile(rf"(?<=[{_L}][{_L}]),(?=[{_L}][{_L}])")
_TOKEN = re.compile(r"\S+")
_PUNCT_TOKEN = re.compile(r"(?<!\S)(?=[^\s,.?!]*[,.?!])\S+")  # a whole token holding , . ? or !
_GLUED = re.compile(
    rf"(?P<pre>[\"'“‘(\[]*)(?P<left>[{_L}][{_L}'’\-]*)(?P<p>[.?!])(?P<right>[A-Z][a-z]+)(?P<post>.*)"
)
_WORD = re.compile(rf"[{_L}]+(?:['’][{_L}]+)*")
# (gap before the word, the word, its part before an apostrophe) for each _WORD match
_WORD_GAP = re.compile(rf"(.*?)(([{_L}]+)(?:['’][{_L}]+)*)", re.DOTALL)
_LAST_LETTER = re.compile(rf"[{_L}][^{_L}]*\Z")  # findall stops there: past it ".*?" would scan to the end from every position
_GAP_STOP = re.compile("[.!?:…]")
_TAINT = re.compile(rf"://|www\.|[@/\\_=#<>{{}}\u00ad\u200b-\u200d\u2060]|[{_L}]\.[{_L}]|\d[{_L}]|[{_L}]\d")
# a whole token holding a _TAINT mark or three hyphens (URL slugs)
_TAINTED_TOKEN = re.compile(rf"(?<!\S)(?=\S*?(?:{_TAINT.pattern})|(?:[^\s-]*-){{3}})\S+")

# Capitalized words that start sentences; a glued "word.Xx" with one of these on the right is a
# missing space, whatever else the document holds.
SENTENCE_STARTERS = frozenset(
    """a about according after again against all also although among an and another any as at
    because before both but by despite during each earlier even every few finally first following
    for from further furthermore given he her here his however if in instead it its last later
    many meanwhile more moreover most much my neither never nevertheless next no nonetheless nor
    not now of on once one only or other others our over regardless several she since so some
    still such that the their then there these they this those though thus to today tomorrow
    two under unlike until we what when where whether which while who why with without yes yet
    yesterday you""".split()
)

# Words that are ordinary English as well as names or title words: never recased from document
# evidence ("the West" vs "west of Kyiv", "Minister" vs "the minister", "Post" vs "post").
COMMON_WORDS = frozenset(
    """north south east west northern southern eastern western northeast northwest southeast
    southwest central president presidents minister ministers ministry prime king queen prince
    princess senator governor secretary chancellor pope general colonel admiral chief director
    judge justice mayor ambassador commissioner premier chairman chair leader emperor
    house state states court government department army navy force forces party congress
    parliament senate council union republic kingdom federation alliance church city street road
    university college school company group bank fund agency office committee commission foreign
    national international federal central united supreme royal great grand new old white black
    red green blue gold silver brown young little long post times news daily sun star mail
    guardian independent telegraph economist journal review herald tribune globe world earth moon
    god lord internet web will may can us it who bill mark rose grant hope frank pat sue ray dawn
    joy faith grace iris lily jade amber ruby crystal summer autumn spring winter fall march
    august turkey china jordan chad nice reading bath split mobile apple amazon windows word excel
    meta shell target gap subway visa sprint orange virgin crown capital cabinet county province
    region district bay river lake mountain island islands sea ocean gulf valley park square
    bridge tower hall center centre station airport port museum library hospital police fire
    day week month year east western constitution act law bill treaty accord agreement summit
    conference war peace revolution empire age era one two three first second third
    democrat democrats republican republicans liberal liberals conservative conservatives labour
    labor green greens left right speaker member members""".split()
)

MONTHS = frozenset(
    "january february april june july september october november december".split()
)
AMBIGUOUS_MONTHS = frozenset({"march", "may", "august"})  # recased only next to a number
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# words after which a lower-case word is a common noun ("the series", not a name that lost its capital)
DETERMINERS = frozenset(
    """a an the this that these those my your his her its our their each every any some no another
    such whose which what""".split()
)
# frequent English words: their share tells an English text (recasing relies on English capitalization)
ENGLISH_MARKERS = frozenset(
    """the of and to a in is that for it was on with as he be by at are this his from have not but
    they or an which you were her she has had we their been will would its""".split()
)

# words that may end in a period without ending a sentence
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev hon inc ltd co corp no nos
    vol vs etc approx est fig jan feb mar apr jun jul aug sep sept oct nov dec al ed eds cf ca
    dept univ assn bros ft pp op""".split()
)
# name particles that join the words of one name ("Secretary of State", "Ursula von der Leyen")
JOINERS = frozenset("of the for de del della da di du von van der den la le al bin el y".split())

_CLOSERS = "\"'”’»)]"
_OPENERS = "“‘«\"'"
_TERMINALS = ".!?"


@dataclass(frozen=True)
class SpacingConfig(StepConfig):
    """Switches and thresholds.

    ``recase``: run the recasing rules at all. ``min_capitalized``: mid-sentence occurrences written
    capitalized and standing alone (not inside a multi-word name) a word needs before its lower-case
    occurrences are recased. ``min_capitalized_share``: share of its mid-sentence occurrences that
    must be capitalized. ``max_heading_chars`` / ``max_heading_words``: the longest line taken as a
    heading. ``min_sentence_words``: words a sentence needs before a lower-case word after its end
    is capitalized. ``min_english_share``: share of very frequent English words a document needs for
    the recasing rules to run (they rely on English capitalization; German capitalizes nouns).
    """

    recase: bool = True
    min_capitalized: int = 2
    min_capitalized_share: float = 0.75
    max_heading_chars: int = 120
    max_heading_words: int = 15
    min_sentence_words: int = 3
    min_english_share: float = 0.15


# ---------------------------------------------------------------------------- punctuation
def _elsewhere(text: str, word: str, exclude: int) -> bool:
    """Does ``word`` occur (any case) as a whole word starting a token somewhere but at ``exclude``?"""
    for m in re.finditer(rf"(?<![^\s\"'“‘(\[]){re.escape(word)}(?![{_L}])", text, re.IGNORECASE):
        if m.start() != exclude:
            return True
    return False


def _punct_tokens(text: str) -> Iterator[re.Match[str]]:
    """The whitespace-separated tokens of ``text`` that hold one of , . ? ! (one regex pass)."""
    return _PUNCT_TOKEN.finditer(text)


def _punct_tokens_reference(text: str) -> Iterator[re.Match[str]]:
    """:func:`_punct_tokens` the plain way, kept to prove the two agree."""
    return (tok for tok in _TOKEN.finditer(text) if any(ch in tok.group() for ch in ",.?!"))


def _punctuation_changes(text: str, cfg: SpacingConfig) -> list[Change]:
    changes: list[Change] = []
    comma_on = cfg.rule_on("spacing:after-comma")
    period_on = cfg.rule_on("spacing:after-period")
    for tok in _punct_tokens(text):
        t = tok.group()
        if any(bad in t for bad in ("://", "www.", "@", "/", "\\", "=", "_", "#", "&")):
            continue
        if comma_on and "," in t:
            for m in _COMMA.finditer(t):
                changes.append(Change(tok.start() + m.end(), tok.start() + m.end(), " ", "spacing:after-comma"))
        if not period_on:
            continue
        # each glued "left.Right" inside the token (comma-separated parts are checked separately)
        offset = 0
        for part in t.split(","):
            m = _GLUED.fullmatch(part)
            at = tok.start() + offset
            offset += len(part) + 1
            if not m:
                continue
            left, right, post = m.group("left"), m.group("right"), m.group("post")
            if sum(ch.islower() for ch in left) < 2:
                continue  # "U.S", "Ph.D", "Mr.Smith"
            if post and not (post[0] in _CLOSERS + ",;:!?." and not re.search(rf"\.[{_L}\d]", post)):
                continue  # "Node.Js2", "site.Com/path", "a.Bc.de"
            if right.lower() not in SENTENCE_STARTERS:
                if not left.islower():
                    continue  # "Mixi.Media", "Caliber.Az": a capitalized left part makes a brand
                if len(right) <= 3:
                    continue  # "Caliber.Az", "Gov.Uk": a domain, not a sentence
                if not _elsewhere(text, right, at + m.start("right")):
                    continue
            pos = at + m.start("right")
            changes.append(Change(pos, pos, " ", "spacing:after-period", f"{left}{m.group('p')}{right}"))
    return changes


# ---------------------------------------------------------------------------- recasing
class _Word(NamedTuple):
    start: int  # offset in the text
    core: str  # the word up to an apostrophe ("Ukraine" of "Ukraine’s")
    mid: bool  # not the first word of its sentence, clause after ":" or quotation
    tainted: bool  # inside a URL, e-mail, domain, code or initialism
    gap: str  # text between the previous word of the segment and this one


def _is_table_row(s: str) -> bool:
    return s.startswith("|") or (s.endswith("|") and "|" in s[:-1])


def _is_heading(s: str, cfg: SpacingConfig) -> bool:
    if not s or len(s) > cfg.max_heading_chars or len(s.split()) > cfg.max_heading_words:
        return False
    last = s.rstrip(_CLOSERS)[-1:] if s.rstrip(_CLOSERS) else ""
    return last not in ".!?,;:…" and not _is_table_row(s)


def _segments(text: str, cfg: SpacingConfig) -> list[tuple[int, int, str]]:
    """(start, end, kind) for each prose line, heading line and table cell."""
    out: list[tuple[int, int, str]] = []
    for line in iter_lines(text):
        s = line.text.strip()
        if not s:
            continue
        if _is_table_row(s):
            pos = line.start
            for cell in line.text.split("|"):
                if cell.strip():
                    out.append((pos, pos + len(cell), "cell"))
                pos += len(cell) + 1
        else:
            out.append((line.start, line.end, "heading" if _is_heading(s, cfg) else "prose"))
    return out


def _words(text: str, start: int, end: int) -> list[_Word]:
    """The words of text[start:end] with what the recasing rules need to know about each.

    Same result as :func:`_words_reference` (tests/test_output_unchanged.py), with the scanning
    done by regexes in C: ``findall`` gives each word with the gap before it and its core, and one
    more pass finds the tokens that are tainted (both see only whole tokens: words, taint marks
    and hyphens hold no whitespace). The common gap of one space needs no further look.
    """
    seg = text[start:end]
    tainted = [m.span() for m in _TAINTED_TOKEN.finditer(seg)]
    t_next = tainted[0] if tainted else (end + 1, end + 1)
    t_i = 0
    out: list[_Word] = []
    append = out.append
    new = tuple.__new__  # _Word(...) without the NamedTuple constructor's extra call
    pos = 0  # offset in seg where the previous word ended
    first = True
    last = _LAST_LETTER.search(seg)
    for gap, word, core in _WORD_GAP.findall(seg, 0, last.start() + 1 if last else 0):
        ms = pos + len(gap)
        pos = ms + len(word)
        while t_next[1] <= ms:
            t_i += 1
            t_next = tainted[t_i] if t_i < len(tainted) else (end + 1, end + 1)
        taint = t_next[0] <= ms
        if first:
            append(new(_Word, (start + ms, core, False, taint, "")))
            first = False
            continue
        if gap == " ":
            mid = True
        elif _GAP_STOP.search(gap):
            mid = False
        else:
            before = seg[ms - 1]
            before2 = seg[ms - 2] if ms > 1 else " "
            mid = not (before in "“‘«" or (before in "\"'" and (before2.isspace() or before2 in "([")))
        append(new(_Word, (start + ms, core, mid, taint, gap)))
    return out


def _words_reference(text: str, start: int, end: int) -> list[_Word]:
    """The plain version of :func:`_words`, kept to prove the fast one gives the same words."""
    out: list[_Word] = []
    prev_end = None
    for tok in _TOKEN.finditer(text, start, end):
        tainted = bool(_TAINT.search(tok.group())) or tok.group().count("-") >= 3  # URL slugs
        for m in _WORD.finditer(text, tok.start(), tok.end()):
            gap = text[prev_end : m.start()] if prev_end is not None else ""
            before = text[m.start() - 1] if m.start() > start else ""
            before2 = text[m.start() - 2] if m.start() - 1 > start else " "
            opening = before in "“‘«" or (before in "\"'" and (before2.isspace() or before2 in "(["))
            mid = prev_end is not None and not any(ch in gap for ch in ".!?:…") and not opening
            core = re.split("['’]", m.group(), maxsplit=1)[0]
            out.append(_Word(m.start(), core, mid, tainted, gap))
            prev_end = m.end()
    return out


def _is_cap(w: str) -> bool:
    return len(w) > 1 and w[0].isupper() and w[1:].islower()


def _in_name(words: list[_Word], i: int) -> bool:
    """Is words[i] part of a run of capitalized words (a multi-word name or title)?"""

    def cap(j: int) -> bool:  # a capitalized word, not just a sentence's first word ("Then Trump left")
        if not (0 <= j < len(words) and words[j].core[:1].isupper()):
            return False
        return words[j].mid or words[j].core.lower() not in SENTENCE_STARTERS

    def tight(j: int) -> bool:  # words[j-1] and words[j] are separated by spaces or a hyphen only
        return 0 < j < len(words) and words[j].gap.strip(" -") == ""

    if tight(i) and cap(i - 1) or tight(i + 1) and cap(i + 1):
        return True
    if tight(i) and tight(i - 1) and words[i - 1].core in JOINERS and cap(i - 2):
        return True
    return tight(i + 1) and tight(i + 2) and i + 1 < len(words) and words[i + 1].core in JOINERS and cap(i + 2)


def _after_determiner(words: list[_Word], i: int) -> bool:
    """Does a determiner come right before words[i] or before one modifier of it ("the exact plan",
    "your go-forward plan")? Hyphenated compounds count as one modifier."""
    unit = 0
    j = i
    while j > 0:
        gap = words[j].gap.strip(" ")
        if gap not in ("", "-"):
            return False  # punctuation: another phrase
        if gap == "":
            unit += 1
            if unit > 2:
                return False
        j -= 1
        if words[j].core.lower() in DETERMINERS:
            return True
    return False


def _calendar(text: str, w: _Word, nxt: _Word | None) -> bool:
    low = w.core.lower()
    if low in MONTHS or low in WEEKDAYS:
        return True
    if low in AMBIGUOUS_MONTHS:
        after = text[w.start + len(w.core) : w.start + len(w.core) + 4]
        before = text[max(0, w.start - 4) : w.start]
        return bool(re.match(r" \d", after) or re.search(r"\d\s$", before))
    return False


_LARGE = 1 << 20  # from this length the English share is counted before any word list is built


def _english_share_ok(text: str, spans: list[tuple[int, int, str]], cfg: SpacingConfig) -> bool:
    """The test below on ``all_words``, counted word by word without holding them (same words as :func:`_words`):
    a large document that is not English (a base64 blob, say) never holds a list of its words."""
    total = english = 0
    for s, e, _kind in spans:
        seg = text[s:e]
        last = _LAST_LETTER.search(seg)
        for m in _WORD_GAP.finditer(seg, 0, last.start() + 1 if last else 0):
            total += 1
            english += m.group(3).lower() in ENGLISH_MARKERS
    return bool(total) and english / total >= cfg.min_english_share


def _recase_changes(text: str, cfg: SpacingConfig) -> list[Change]:
    spans = _segments(text, cfg)
    if len(text) >= _LARGE and not _english_share_ok(text, spans, cfg):
        return []
    segs = [(s, e, kind, _words(text, s, e)) for s, e, kind in spans]
    all_words = [w.core.lower() for *_, words in segs for w in words]
    if not all_words or sum(w in ENGLISH_MARKERS for w in all_words) / len(all_words) < cfg.min_english_share:
        return []
    caps_alone: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    vetoed: set[str] = set()
    lowers: list[tuple[list[_Word], int, str]] = []
    for _s, _e, kind, words in segs:
        if kind != "prose":
            continue
        for i, w in enumerate(words):
            if not w.mid or w.tainted or len(w.core) < 3:
                continue
            key = w.core.lower()
            if _is_cap(w.core):
                caps[key] += 1
                if not _in_name(words, i):
                    caps_alone[key] += 1
            elif w.core.islower():
                lower[key] += 1
                lowers.append((words, i, key))
    # "the series", "a plan": a common noun, whatever its capitals elsewhere. The veto only matters
    # to name_like, which also needs min_capitalized lone capitals: look only at those words.
    need = None if cfg.min_capitalized <= 0 else {k for k, n in caps_alone.items() if n >= cfg.min_capitalized}
    for words, i, key in lowers:
        if (need is None or key in need) and key not in vetoed and _after_determiner(words, i):
            vetoed.add(key)

    def name_like(key: str) -> bool:
        return (
            key not in COMMON_WORDS
            and key not in vetoed
            and caps_alone[key] >= cfg.min_capitalized
            and caps[key] / (caps[key] + lower[key]) >= cfg.min_capitalized_share
        )

    word_on = cfg.rule_on("spacing:recase-word")
    start_on = cfg.rule_on("spacing:recase-sentence-start")
    changes: list[Change] = []

    def cap_change(w: _Word, rule: str, detail: str) -> None:
        changes.append(Change(w.start, w.start + 1, w.core[0].upper(), rule, detail))

    prev_line_end = {}  # heading start -> the last character of the text before it (its line break aside)
    for s, _e, kind, _words_ in segs:
        if kind == "heading":
            prev_line_end[s] = text[:s].rstrip()[-1:]
    for s, _e, kind, words in segs:
        since = 0  # words since the start of the current sentence
        for i, w in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else None
            usable = not w.tainted and w.core.islower()
            key = w.core.lower()
            if w.mid:
                since += 1
                if word_on and usable and len(w.core) >= 3 and kind != "heading":
                    if name_like(key):
                        cap_change(w, "spacing:recase-word", f"capitalized {caps[key]}x, lower {lower[key]}x")
                    elif _calendar(text, w, nxt):
                        cap_change(w, "spacing:recase-word", "month or weekday name")
                continue
            if i == 0:
                if (
                    start_on
                    and kind == "heading"
                    and usable
                    and w.start == s
                    and prev_line_end.get(s, "") in ("", ".", "!", "?", ")", "”", '"', "|")
                    and (key in SENTENCE_STARTERS or name_like(key))
                    and _title_like(words)
                ):
                    cap_change(w, "spacing:recase-sentence-start", "heading")
                since = 1
                continue
            if (
                start_on
                and usable
                and kind != "heading"
                and since >= cfg.min_sentence_words
                and key in SENTENCE_STARTERS
                and _ends_sentence(words[i - 1], w)
            ):
                cap_change(w, "spacing:recase-sentence-start", "after a complete sentence")
            since = 1
    return changes


def _title_like(words: list[_Word]) -> bool:
    """A heading whose longer words are mostly capitalized (title case)."""
    content = [w.core for w in words[1:] if len(w.core) >= 4]
    return len(content) >= 2 and sum(1 for c in content if c[:1].isupper()) * 2 > len(content)


_SENTENCE_GAP = re.compile(r"(?P<num>\s+\d[\d,]*)?(?P<p>[.!?])[ \t]+")


def _ends_sentence(prev: _Word, w: _Word) -> bool:
    """Is the gap before ``w`` a real sentence end ("high. while"), not "U.S. officials" or "Why?” he"?

    Exactly one terminal, then spaces: no closing quote, no ellipsis, no abbreviation before it.
    """
    m = _SENTENCE_GAP.fullmatch(w.gap)
    if not m or prev.tainted or w.core in ABBREVIATIONS:
        return False
    if m.group("num"):
        return m.group("p") == "."  # "in 2022. while"
    if m.group("p") == ".":
        if prev.core.lower() in ABBREVIATIONS or len(prev.core) == 1:
            return False
        if len(prev.core) < 3:
            return False  # "oz. water"
        return prev.core.islower() or _is_cap(prev.core)  # not "NY. on", "iOS. and"
    return prev.core.islower()  # "Yahoo! and" is a name


def normalize_spacing(doc: Document, cfg: SpacingConfig) -> Document:
    """Add missing spaces after commas and sentence ends; restore lost capitals (see module doc)."""
    if not cfg.enabled:
        return doc
    out = doc.apply(_punctuation_changes(doc.text, cfg), step=STEP)
    if cfg.recase:
        out = out.apply(_recase_changes(out.text, cfg), step=STEP)
    return out
