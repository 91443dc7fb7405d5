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

Most documents get no recasing change; a pre-check (:func:`_possible`, a few regex searches over
the whole text) finds those before any line is cut into words, and tells the rules which words and
sentence starts they need to look at in the others.

>>> text = "Lavrov spoke in the city.Ukraine and Russia met,officials said. Ukraine and Russia differ.\\nKyiv said russia lied. while Russia denied it."
>>> print(normalize_spacing(Document.from_text(text), SpacingConfig()).text)
Lavrov spoke in the city. Ukraine and Russia met, officials said. Ukraine and Russia differ.
Kyiv said Russia lied. While Russia denied it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, compress, count
from operator import itemgetter, not_
from typing import Any, Iterable, Iterator, NamedTuple

from .document import Change, Document
from .steps import StepConfig
from .text import iter_lines

STEP = "spacing"

# letters of the scripts that put spaces between words (Latin, Greek, Cyrillic)
_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_COMMA = re.compile(rf"(?<=[{_L}][{_L}]),(?=[{_L}][{_L}])")
_TOKEN = re.compile(r"\S+")
# where a space may be missing: a comma between two letters each side (_COMMA), or . ? ! after a
# letter, apostrophe or hyphen and before a capitalized word (the middle of a _GLUED); a token
# without one needs no change. The lookarounds follow the punctuation mark, which regex search
# finds fast (a pattern that starts with a character set).
_GLUE = re.compile(rf"[,.?!](?:(?<=[{_L}][{_L}],)(?=[{_L}][{_L}])|(?<=[{_L}'’\-][.?!])(?=[A-Z][a-z]))")
_GLUED = re.compile(rf"(?P<pre>[\"'“‘(\[]*)(?P<left>[{_L}][{_L}'’\-]*)(?P<p>[.?!])(?P<right>[A-Z][a-z]+)(?P<post>.*)")
_WORD = re.compile(rf"[{_L}]+(?:['’][{_L}]+)*")
_SPLIT = re.compile(rf"(([{_L}]+)(?:['’][{_L}]+)*)")  # re.split: gap, word, its part before an apostrophe, gap, ...
_SPACE = re.compile(r"\s")
_GAP_STOP = re.compile("[.!?:…]")
_TAINT = re.compile(rf"://|www\.|[@/\\_=#<>{{}}\u00ad\u200b-\u200d\u2060]|[{_L}]\.[{_L}]|\d[{_L}]|[{_L}]\d")

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

MONTHS = frozenset("january february april june july september october november december".split())
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

    def __post_init__(self) -> None:
        if self.min_capitalized < 1:  # a word never seen capitalized has no case to copy
            raise ValueError(f"spacing.min_capitalized must be at least 1, not {self.min_capitalized}")


# ---------------------------------------------------------------------------- punctuation
def _elsewhere(text: str, word: str, exclude: int) -> bool:
    """Does ``word`` occur (any case) as a whole word starting a token somewhere but at ``exclude``?"""
    for m in re.finditer(rf"(?<![^\s\"'“‘(\[]){re.escape(word)}(?![{_L}])", text, re.IGNORECASE):
        if m.start() != exclude:
            return True
    return False


def _punct_tokens(text: str) -> Iterator[re.Match[str]]:
    """The whitespace-separated tokens of ``text`` that hold a :data:`_GLUE` (one regex pass finds
    the marks; each token is found from its first mark back to the whitespace before it)."""
    end = 0  # where the last token given ended: a later mark inside it is skipped
    for mark in _GLUE.finditer(text):
        start = mark.start()
        if start < end:
            continue
        while start > end and not text[start - 1].isspace():
            start -= 1
        tok = _TOKEN.match(text, start)
        assert tok is not None
        end = tok.end()
        yield tok


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


def _mid_after(gap: str) -> bool:
    """Is a word (not its segment's first) mid-sentence after ``gap``, the text since the previous word?

    Not after . ! ? : … nor right after an opening quote (a straight one only after a space or bracket;
    ``gap`` is never empty, and the previous word ends in a letter).
    """
    if gap == " ":
        return True
    if _GAP_STOP.search(gap):
        return False
    last, before = gap[-1], gap[-2:-1]
    return not (last in "“‘«" or (last in "\"'" and before != "" and (before.isspace() or before in "([")))


class _MidAfter(dict):
    """gap -> :func:`_mid_after` of it, filled on first use (one per document: gaps repeat)."""

    def __missing__(self, gap: str) -> bool:
        mid = self[gap] = _mid_after(gap)
        return mid


class _Words:
    """The words of one segment as columns: word ``i`` starts at ``start(i)`` in the text,
    its core (up to an apostrophe: "Ukraine" of "Ukraine’s") is ``cores[i]``; ``mids[i]``: it is not
    the first word of its sentence, of a clause after ":" or of a quotation; ``tainted(i)``: it is
    inside a URL, e-mail, domain, code or initialism. ``gaps[i]`` is the text between words ``i - 1`` and ``i``; ``gaps[0]`` is the
    segment's text before its first word, ``gaps[-1]`` the text after its last.

    ``parts`` is the segment cut into gap, word, gap, word, ..., gap; the offsets and the taint
    are worked out when asked for: the rules look closely at few words.
    """

    def __init__(self, start: int, parts: list[str], cores: list[str], mids: list[bool]) -> None:
        self.cores, self.mids = cores, mids
        self.gaps = parts[0::2]
        self._parts, self._start = parts, start
        self._offsets: list[int] = []  # where each part starts, once asked for
        self.taint: dict[int, bool] = {}  # word -> tainted, filled by tainted()

    def start(self, i: int) -> int:
        if not self._offsets:
            self._offsets = list(accumulate(map(len, self._parts), initial=self._start))
        return self._offsets[2 * i + 1]

    def tainted(self, i: int) -> bool:
        """Does the token (run of non-space) holding word ``i`` hold a :data:`_TAINT` mark or three hyphens?

        Worked out on first asking, for all the words of the token at once.
        """
        got = self.taint.get(i)
        if got is None:
            gaps, n = self.gaps, len(self.cores)
            if gaps[i] in _TOKEN_START and gaps[i + 1] in _TOKEN_END:
                return False  # the token is the word (letters and apostrophes), or the word and a comma
            a = b = i
            while a > 0 and not _spaced(gaps[a]):
                a -= 1
            while b + 1 < n and not _spaced(gaps[b + 1]):
                b += 1
            head = gaps[a].split()[-1] if gaps[a][-1:].strip() else ""  # the token's part before word a
            tail = gaps[b + 1].split()[0] if gaps[b + 1][:1].strip() else ""
            token = head + "".join(self._parts[2 * a + 1 : 2 * b + 2]) + tail
            got = bool(_TAINT.search(token)) or token.count("-") >= 3  # URL slugs
            for j in range(a, b + 1):
                self.taint[j] = got
        return got


_TOKEN_START = ("", " ")  # gaps[i] that start a token at word i ("": the segment starts with it)
_TOKEN_END = (" ", ", ", "")  # gaps[i + 1] that end it there or after a comma ("": the segment ends with it)


def _spaced(gap: str) -> bool:
    return gap == " " or _SPACE.search(gap) is not None


def _columns(text: str, start: int, end: int, mid_after: _MidAfter | None = None) -> _Words:
    """The words of text[start:end] (see :class:`_Words`): one ``re.split`` gives the gaps, words
    and cores, the rest is done on whole lists; ``mid_after`` (a per-document cache) may be shared."""
    parts = _SPLIT.split(text[start:end])  # gap, word, core, gap, word, core, ..., the text after the last word
    cores = parts[2::3]
    del parts[2::3]
    mids = list(map((mid_after if mid_after is not None else _MidAfter()).__getitem__, parts[2:-1:2]))
    return _Words(start, parts, cores, [False, *mids] if cores else [])


def _is_cap(w: str) -> bool:
    return len(w) > 1 and w[0].isupper() and w[1:].islower()


def _in_name(w: _Words, i: int) -> bool:
    """Is word i part of a run of capitalized words (a multi-word name or title)?"""
    cores, n = w.cores, len(w.cores)

    def cap(j: int) -> bool:  # a capitalized word, not just a sentence's first word ("Then Trump left")
        if not (0 <= j < n and cores[j][:1].isupper()):
            return False
        return w.mids[j] or cores[j].lower() not in SENTENCE_STARTERS

    def tight(j: int) -> bool:  # words j-1 and j are separated by spaces or a hyphen only
        return 0 < j < n and w.gaps[j].strip(" -") == ""

    if tight(i) and cap(i - 1) or tight(i + 1) and cap(i + 1):
        return True
    if tight(i) and tight(i - 1) and cores[i - 1] in JOINERS and cap(i - 2):
        return True
    return tight(i + 1) and tight(i + 2) and i + 1 < n and cores[i + 1] in JOINERS and cap(i + 2)


def _after_determiner(w: _Words, i: int) -> bool:
    """Does a determiner come right before word i or before one modifier of it ("the exact plan",
    "your go-forward plan")? Hyphenated compounds count as one modifier."""
    unit = 0
    j = i
    while j > 0:
        gap = w.gaps[j].strip(" ")
        if gap not in ("", "-"):
            return False  # punctuation: another phrase
        if gap == "":
            unit += 1
            if unit > 2:
                return False
        j -= 1
        if w.cores[j].lower() in DETERMINERS:
            return True
    return False


_CALENDAR = MONTHS | WEEKDAYS | AMBIGUOUS_MONTHS


def _calendar(text: str, start: int, core: str) -> bool:
    low = core.lower()
    if low in MONTHS or low in WEEKDAYS:
        return True
    if low in AMBIGUOUS_MONTHS:
        after = text[start + len(core) : start + len(core) + 4]
        before = text[max(0, start - 4) : start]
        return bool(re.match(r" \d", after) or re.search(r"\d\s$", before))
    return False


def _last_char_before(text: str, pos: int) -> str:
    """``text[:pos].rstrip()[-1:]`` without copying text[:pos]."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1 : pos]


_LARGE = 1 << 20  # from this length the English share is counted before any word list is built


def _english_share_ok(text: str, spans: list[tuple[int, int, str]], cfg: SpacingConfig) -> bool:
    """The English-share test of :func:`_recase_changes`, counted word by word without holding the words
    (same words as :func:`_columns`): a large document that is not English (a base64 blob, say) never
    holds a list of its words."""
    total = english = 0
    for s, e, _kind in spans:
        for m in _SPLIT.finditer(text, s, e):
            total += 1
            english += m.group(2).lower() in ENGLISH_MARKERS
    return bool(total) and english / total >= cfg.min_english_share


_CORE = re.compile(rf"([{_L}]+)(?:['’][{_L}]+)*")  # a word (as _SPLIT), findall gives its core


def _english_cores(text: str, spans: list[tuple[int, int, str]], cfg: SpacingConfig) -> list[list[str]] | None:
    """Each span's word cores when the document passes :func:`_english_share_ok` (else None), for a
    document below :data:`_LARGE`: ``findall`` with pos and endpos gives the words the span's own
    text gives, before any columns are built."""
    total = english = 0
    out = []
    for s, e, _kind in spans:
        cores = _CORE.findall(text, s, e)
        total += len(cores)
        english += sum(map(ENGLISH_MARKERS.__contains__, map(str.lower, cores)))
        out.append(cores)
    return out if total and english / total >= cfg.min_english_share else None


def _may_matter(text: str, s: int, e: int, kind: str, cores: list[str] | None, possible: _Possible) -> bool:
    """Can a rule draw evidence from or change a word of the span text[s:e] (``cores``: its word
    cores, None to find them)? A heading always may; a line or cell only if it holds a candidate
    name in any case (its capitals are evidence, its lower-case form is recased), a lower-case
    calendar name, or a terminal of ``possible.starts``."""
    names, starts = possible
    if names is None or starts is None or kind == "heading":
        return True
    if starts:
        at = bisect_left(starts, s)
        if at < len(starts) and starts[at] < e:
            return True
    if cores is None:
        cores = _CORE.findall(text, s, e)
    return not _CALENDAR.isdisjoint(cores) or (bool(names) and not names.isdisjoint(map(str.lower, cores)))


def _where(flags: Iterable[Any]) -> list[int]:
    """The indices of the true ``flags`` (``compress`` runs the loop in C)."""
    return list(compress(count(), flags))


def _lower_in(cores: list[str], wanted: set[str] | None) -> Iterable[int]:
    """The indices of the lower-case ``cores`` in ``wanted`` (all the indices for None), as a superset:
    ``wanted`` holds lower-case words, and a lower-case word is its own ``lower()``."""
    if wanted is None:
        return range(len(cores))
    return _where(map(wanted.__contains__, cores)) if wanted else ()


# ---------------------------------------------------------------------------- the pre-check
# Most documents get no recasing change at all. :func:`_possible` says so from a few regex searches
# over the whole text, before any segment is cut into words: each rule has a condition a change
# needs (a superset of where it acts), and a document that meets none is left as it is.
def _letter_class(pred: Any) -> str:
    """The letters of :data:`_L` for which ``pred`` holds, as the inside of a regex character class."""
    one = re.compile(f"[{_L}]")
    cps = [c for c in range(0x500) if one.match(chr(c)) and pred(chr(c))]
    out, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(re.escape(chr(cps[i])) + (f"-{re.escape(chr(cps[j]))}" if j > i else ""))
        i = j + 1
    return "".join(out)


_UPPER = _letter_class(str.isupper)  # the letters a capitalized word (_is_cap) starts with
_NOT_UPPER = _letter_class(lambda c: not c.isupper())
_NOT_UPPER_OR_TITLE = _letter_class(lambda c: not c.isupper() and not c.istitle())  # lower case or uncased
_LETTERS = frozenset(chr(c) for c in range(0x500) if re.match(f"[{_L}]", chr(c)))
# A capitalized word of 3+ letters that may count as a lone mid-sentence capital: every such core
# matches (it starts after a non-letter, its letters are taken whole, none after the first is upper or
# title case: _is_cap), minus some that cannot count:
# within three characters after . ! ? : … or right after an opening quote (the gap before it holds a
# stop, or it opens a quotation), at the start of the text or a line (first word of its segment), and
# before a space or hyphen and a capital (part of a name).
_CAP_WORD = re.compile(
    rf"[{_UPPER}](?<=[^{_L}].)(?<![.!?:…“‘«\n].)(?<![.!?:…][^{_L}].)(?<![.!?:…][^{_L}][^{_L}].)(?<![\s(\[][\"'].)"
    rf"[{_NOT_UPPER_OR_TITLE}]{{2,}}+(?![{_L}])(?![ \-][{_UPPER}])"
)
# a lower-case sentence starter after one terminal and blanks (the gap _ends_sentence accepts); group 1: the terminal
_AFTER_END = re.compile(
    rf"([.!?])(?<=[{_L}\d,].)[ \t]+(?:{'|'.join(sorted(SENTENCE_STARTERS, key=len, reverse=True))})(?![{_L}])"
)
_LINE_START = re.compile(rf"\n([{_NOT_UPPER}][{_L}]*)")  # a line's first word (not the text's), not capitalized
_WORD_BEFORE = re.compile(rf"[{_L}'’]*\Z")


def _has_word(text: str, word: str) -> bool:
    """Does ``word`` occur in ``text`` between two non-letters?"""
    find, n, letters = text.find, len(word), _LETTERS
    at = find(word)
    while at >= 0:
        if (at == 0 or text[at - 1] not in letters) and text[at + n : at + n + 1] not in letters:
            return True
        at = find(word, at + 1)
    return False


def _lone_capitals(text: str, form: str) -> int:
    """How many :data:`_CAP_WORD` matches of ``form`` do not follow, after one space or hyphen, a word
    that starts with a capital and is no sentence starter (such a capital is inside a name: :func:`_in_name`)."""
    find, n, match, letters = text.find, len(form), _CAP_WORD.match, _LETTERS
    got = 0
    at = find(form)
    while at >= 0:
        m = match(text, at)
        if m and m.end() == at + n:
            got += 1
            if at >= 2 and text[at - 1] in " -" and text[at - 2] in letters:
                word = text[max(0, at - 101) : at - 1]
                word = word[_WORD_BEFORE.search(word).start() :]  # type: ignore[union-attr]
                if len(word) < 100 and _WORD.fullmatch(word):
                    prev = re.split("['’]", word, maxsplit=1)[0]
                    if prev[:1].isupper() and prev.lower() not in SENTENCE_STARTERS:
                        got -= 1
        at = find(form, at + 1)
    return got


def _may_end_sentence(text: str, m: re.Match[str]) -> bool:
    """Can :func:`_ends_sentence` accept the gap :data:`_AFTER_END` matched? (What it reads of the word before.)"""
    at = m.start()
    if text[at - 1] not in _LETTERS:
        return True  # a number before the terminal: "in 2022. while"
    word = text[max(0, at - 100) : at]
    word = word[_WORD_BEFORE.search(word).start() :]  # type: ignore[union-attr]
    if len(word) >= 100 or not _WORD.fullmatch(word):
        return True  # not plainly one word: let the full rules judge
    prev = re.split("['’]", word, maxsplit=1)[0]
    if m.group(1) != ".":
        return prev.islower()
    if prev.lower() in ABBREVIATIONS or len(prev) < 3:
        return False
    return prev.islower() or _is_cap(prev)


class _Possible(NamedTuple):
    """What :func:`_possible` leaves to the full rules of :func:`_recase_changes`."""

    names: set[str] | None  # the words document evidence may recase (the others are not name-like); None: any
    starts: tuple[int, ...] | None  # where a terminal may end a sentence whose next word is capitalized; None: anywhere


# the calendar names in groups that share a piece (one search passes over most documents' group)
_CALENDAR_GATES = (
    ("day", tuple(sorted(WEEKDAYS))),
    ("uary", ("january", "february")),
    ("ber", ("september", "october", "november", "december")),
) + tuple((low, (low,)) for low in sorted(_CALENDAR - WEEKDAYS) if not low.endswith(("uary", "ber")))
assert {low for _, lows in _CALENDAR_GATES for low in lows} == _CALENDAR
assert all(gate in low for gate, lows in _CALENDAR_GATES for low in lows)

_ANYTHING = _Possible(None, None)  # no pre-check: every rule looks at every word


def _possible(text: str, cfg: SpacingConfig) -> _Possible | None:
    """None when :func:`_recase_changes` surely finds no change in ``text``: no rule's precondition holds.

    - recase-word: a lower-case word between non-letters that is written capitalized, mid-sentence and
      outside a name at least ``min_capitalized`` times (:data:`_CAP_WORD`, a superset) and is no common
      word (these are ``names``); or a month or weekday name in lower case (march, may, august next to
      a digit);
    - recase-sentence-start: a lower-case sentence starter after a terminal and blanks that
      :func:`_ends_sentence` may accept (``starts``: where the terminals are); or a line that starts
      with a lower-case sentence starter or one of ``names``.
    """
    starts = tuple(m.start() for m in _AFTER_END.finditer(text) if _may_end_sentence(text, m))
    found = _CAP_WORD.findall(text)
    mc = cfg.min_capitalized
    names = {
        k
        for k, n in Counter(map(str.lower, found)).items()
        if n >= mc
        and k not in COMMON_WORDS
        and _has_word(text, k)
        and sum(_lone_capitals(text, f) for f in set(found) if f.lower() == k) >= mc  # (one form, nearly always)
    }
    if starts or names:  # (a line starting with one of the names is a lower-case occurrence too)
        return _Possible(names, starts)
    for gate, lows in _CALENDAR_GATES:
        if gate not in text:
            continue
        for low in lows:
            at = text.find(low)
            while at >= 0:
                if low not in AMBIGUOUS_MONTHS or _calendar(text, at, low):
                    return _Possible(names, starts)
                at = text.find(low, at + 1)
    if text[:1] in _LETTERS:
        first = _LINE_START.match("\n" + text[:100])
        if first and first.group(1).islower() and first.group(1) in SENTENCE_STARTERS:
            return _Possible(names, starts)
    if any(w.islower() and w in SENTENCE_STARTERS for w in _LINE_START.findall(text)):
        return _Possible(names, starts)
    return None


def _may_recase(text: str, cfg: SpacingConfig) -> bool:
    """Can :func:`_recase_changes` find a change in ``text`` (see :func:`_possible`)?"""
    return _possible(text, cfg) is not None


def _recase_changes(text: str, cfg: SpacingConfig) -> list[Change]:
    spans = _segments(text, cfg) if len(text) >= _LARGE else None
    if spans is not None and not _english_share_ok(text, spans, cfg):
        return []
    possible = _possible(text, cfg)
    if possible is None:
        return []
    span_cores: list[list[str]] | list[None]
    if spans is None:
        spans = _segments(text, cfg)
        got = _english_cores(text, spans, cfg)
        if got is None:
            return []
        span_cores = got
    else:  # a large document's English share was tested before, without the word lists
        span_cores = [None] * len(spans)
    # only the spans a rule may use are cut into words (all of them when possible is _ANYTHING)
    mid_after = _MidAfter()
    segs = [
        (s, kind, _columns(text, s, e, mid_after))
        for (s, e, kind), cores in zip(spans, span_cores)
        if _may_matter(text, s, e, kind, cores, possible)
    ]

    # The evidence: mid-sentence words of 3+ letters in prose, outside tainted tokens. Only
    # capitalized words and the lower-case forms of words capitalized often enough matter.
    def counted(w: _Words, i: int) -> bool:
        return w.mids[i] and len(w.cores[i]) >= 3 and not w.tainted(i)

    prose = [w for _s, kind, w in segs if kind == "prose"]
    caps_alone: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    names = possible.names  # only these words can be name-like: only their capitals need counting
    for w in prose:
        if names is None:
            maybe = _where(map(str.isupper, map(itemgetter(0), w.cores)))  # first letter upper case
        else:
            maybe = _where(map(names.__contains__, map(str.lower, w.cores))) if names else []
        for i in maybe:
            if _is_cap(w.cores[i]) and counted(w, i):
                key = w.cores[i].lower()
                caps[key] += 1
                if not _in_name(w, i):
                    caps_alone[key] += 1
    # name_like needs min_capitalized lone capitals: only those words' lower-case forms are counted,
    # and vetoed by a determiner ("the series", "a plan": a common noun, whatever its capitals elsewhere)
    need = None if cfg.min_capitalized <= 0 else {k for k, n in caps_alone.items() if n >= cfg.min_capitalized}
    vetoed: set[str] = set()
    for w in prose:
        for i in _lower_in(w.cores, need):
            if w.cores[i].islower() and counted(w, i):
                key = w.cores[i]
                lower[key] += 1
                if key not in vetoed and _after_determiner(w, i):
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
    recasable = None if need is None else need | _CALENDAR  # all a mid-sentence word needs to be recased
    changes: list[Change] = []

    def cap_change(w: _Words, i: int, rule: str, detail: str) -> None:
        changes.append(Change(w.start(i), w.start(i) + 1, w.cores[i][0].upper(), rule, detail))

    for s, kind, w in segs:
        if not w.cores:
            continue
        cores = w.cores

        def usable(i: int, w=w) -> bool:
            return w.cores[i].islower() and not w.tainted(i)

        if kind == "heading":  # only its first word: a title-like heading that starts in lower case
            if (
                start_on
                and usable(0)
                and w.gaps[0] == ""  # the line starts with the word
                and _last_char_before(text, s) in ("", ".", "!", "?", ")", "”", '"', "|")
                and (cores[0] in SENTENCE_STARTERS or name_like(cores[0]))
                and _title_like(w)
            ):
                cap_change(w, 0, "spacing:recase-sentence-start", "heading")
            continue
        if word_on:
            for i in _lower_in(cores, recasable):
                if w.mids[i] and len(cores[i]) >= 3 and usable(i):
                    key = cores[i]
                    if name_like(key):
                        cap_change(w, i, "spacing:recase-word", f"capitalized {caps[key]}x, lower {lower[key]}x")
                    elif _calendar(text, w.start(i), key):
                        cap_change(w, i, "spacing:recase-word", "month or weekday name")
        if start_on and (possible.starts is None or possible.starts):
            first = 0  # the first word of the current sentence (or clause, or quotation)
            for i in _where(map(not_, w.mids)):
                if (
                    i
                    and usable(i)
                    and i - first >= cfg.min_sentence_words
                    and cores[i] in SENTENCE_STARTERS
                    and _ends_sentence(w, i)
                ):
                    cap_change(w, i, "spacing:recase-sentence-start", "after a complete sentence")
                first = i
    changes.sort(key=lambda c: c.start)
    return changes


def _title_like(w: _Words) -> bool:
    """A heading whose longer words are mostly capitalized (title case)."""
    content = [c for c in w.cores[1:] if len(c) >= 4]
    return len(content) >= 2 and sum(1 for c in content if c[:1].isupper()) * 2 > len(content)


_SENTENCE_GAP = re.compile(r"(?P<num>\s+\d[\d,]*)?(?P<p>[.!?])[ \t]+")


def _ends_sentence(w: _Words, i: int) -> bool:
    """Is the gap before word i a real sentence end ("high. while"), not "U.S. officials" or "Why?” he"?

    Exactly one terminal, then spaces: no closing quote, no ellipsis, no abbreviation before it.
    """
    m = _SENTENCE_GAP.fullmatch(w.gaps[i])
    if not m or w.tainted(i - 1) or w.cores[i] in ABBREVIATIONS:
        return False
    prev = w.cores[i - 1]
    if m.group("num"):
        return m.group("p") == "."  # "in 2022. while"
    if m.group("p") == ".":
        if prev.lower() in ABBREVIATIONS or len(prev) == 1:
            return False
        if len(prev) < 3:
            return False  # "oz. water"
        return prev.islower() or _is_cap(prev)  # not "NY. on", "iOS. and"
    return prev.islower()  # "Yahoo! and" is a name


def normalize_spacing(doc: Document, cfg: SpacingConfig) -> Document:
    """Add missing spaces after commas and sentence ends; restore lost capitals (see module doc)."""
    if not cfg.enabled:
        return doc
    text = doc.text
    changes = _punctuation_changes(text, cfg)
    out = doc.apply(changes, step=STEP) if changes else doc  # (apply gives the document itself for none)
    if cfg.recase:
        changes = _recase_changes(text if out is doc else out.text, cfg)
        if changes:
            out = out.apply(changes, step=STEP)
    return out
