"""Passage-level defects of scraped articles: repeated passages and passages cut off at either end.

``drop_repeated_passages`` keeps the first copy of a run of paragraphs that
occurs again in the same document (exactly, or equal after normalization):

>>> text = ("The talks will resume in Geneva next week, officials said on Monday.\\n"
...         "Both delegations are expected to bring new proposals to the table.\\n"
...         "Looking Ahead\\n"
...         "— The talks will resume in Geneva next week, officials said on Monday!\\n"
...         "Both delegations are expected to bring new proposals to the table.")
>>> drop_repeated_passages(Document.from_text(text), PassagesConfig()).text
'The talks will resume in Geneva next week, officials said on Monday.\\nBoth delegations are expected to bring new proposals to the table.\\nLooking Ahead'

``drop_truncated_passages`` drops a prose paragraph that starts mid-sentence or
mid-word, and trims a last paragraph cut off mid-sentence:

>>> text = ("The ministers met on Tuesday to discuss the ceasefire proposal.\\n"
...         "the coming weeks will be critical for both sides of the conflict.\\n"
...         "Ncluding former U.S. President Donald Trump, to discuss a potential resolution to the conflict.\\n"
...         "Both delegations left without a statement. Officials said the next round would begin in the")
>>> out = drop_truncated_passages(Document.from_text(text), PassagesConfig())
>>> out.text
'The ministers met on Tuesday to discuss the ceasefire proposal.\\nBoth delegations left without a statement.'
>>> sorted({e.rule for e in out.edits})
['passages:truncated-end', 'passages:truncated-start']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from .document import Change, Document
from .steps import StepConfig
from .text import Segment, iter_blocks, iter_sentences

STEP = "passages"
R_PARAGRAPH = "passages:repeated-paragraph"
R_SENTENCE = "passages:repeated-sentence"
R_START = "passages:truncated-start"
R_END = "passages:truncated-end"
FLAG_START = "truncated-start"
FLAG_END = "truncated-end"


# a list item ("- ", "* ", "• ", "1. ", "2) "): lists repeat their items legitimately (a meal plan's days,
# the specifications of two models)
_LIST_ITEM = re.compile(r"\s*(?:[-*•·▪●◦‣]\s|\d{1,3}[.)]\s)")


def _load_word_endings(name: str) -> frozenset[str]:
    data = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    return frozenset(w for w in data.split("\n") if w and not w.startswith("#"))


# Read once at import (see the files' headers): endings of common words that are no word ("ncluding", "ontacted"),
# evidence enough to drop a paragraph; and endings far more common as the tail of a word than as a word, some
# of them words ("ding", "owing"), a weaker hint that split_articles weighs with others
WORD_ENDINGS: frozenset[str] = _load_word_endings("word_endings.txt")
LOOSE_WORD_ENDINGS: frozenset[str] = _load_word_endings("word_endings_loose.txt")
# beginnings of common words that are no word ("legisla"): a last paragraph ending with one ends mid-word
WORD_BEGINNINGS: frozenset[str] = _load_word_endings("word_beginnings.txt")


@dataclass(frozen=True)
class PassagesConfig(StepConfig):
    """Thresholds of both passage cleaners (all lengths in characters of the normalized text)."""

    # a sentence said again inside another paragraph is mostly a pull quote or a quote in a reply: on every
    # dev set this rule removed more true content than boilerplate (benchmarks/README.md), so it is off
    disabled_rules: tuple[str, ...] = (R_SENTENCE,)
    min_paragraph_chars: int = 40  # shorter lines (headings, captions) may repeat
    min_sentence_chars: int = 60  # shorter sentences ("Read more.") may repeat
    min_repeat_run: int = 2  # a repeated paragraph goes only in a run of this many repeated lines in a row
    template_copies: int = 3  # a passage occurring this often is a template (interview questions, meal plans)
    max_digit_share: float = 0.25  # lines with more digit tokens are data (schedules, recipes), not prose
    min_prose_chars: int = 40  # a line shorter than this without terminal punctuation is a heading
    min_end_chars: int = 80  # a last paragraph shorter than this is never trimmed
    min_end_words: int = 10
    # English function words: a capitalized word ending starts a fragment only in English-looking prose
    function_words: tuple[str, ...] = (
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "has",
        "have",
        "had",
        "that",
        "this",
        "as",
        "it",
        "its",
        "not",
    )


# ---------------------------------------------------------------------------------------- shared helpers

_NON_WORD = re.compile(r"[\W_]+")
_WORD_RUN = re.compile(r"[^\W_]+")  # what _NON_WORD leaves (never whitespace: whitespace is \W)
_TERMINAL = re.compile(r"""[.!?…]["'”’»)\]]*\s*$|[.!?…]?["'”’»)\]]\s*$""")
_LIST_LEAD = re.compile(r"[:;,–—-]\s*$")
_FIRST_TOKEN = re.compile(r"([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?")
_EXEMPT_START = re.compile(r"""[\d"'“‘„«‹(\[{<*•·▪►–—\-+#@|>/\\&%$€£]""")
_URLISH = re.compile(r"https?://|www\.|@\w", re.IGNORECASE)


def _normalize(text: str) -> str:
    """Casefold, drop punctuation (and so any leading dash or bullet), collapse whitespace."""
    return " ".join(_WORD_RUN.findall(unicodedata.normalize("NFKC", text).casefold()))


def _block_drops(text: str, blocks: list[Segment], drops: dict[int, tuple[str, str]]) -> list[Change]:
    """Changes dropping whole blocks (by index) with the line breaks and blank lines around them.

    A dropped block takes everything up to the next block; when the blocks up to
    the end all go, each takes everything back from the end of the block before it,
    so no break or blank line is left behind.
    """
    out: list[Change] = []
    n = len(blocks)
    tail = n  # blocks[tail:] are all dropped
    while tail > 0 and (tail - 1) in drops:
        tail -= 1
    for k in sorted(drops):
        rule, detail = drops[k]
        if k < tail:
            start, end = blocks[k].start, blocks[k + 1].start
        else:
            start = blocks[k - 1].end if k > 0 else 0
            end = blocks[k].end if k < n - 1 else len(text)
        out.append(Change(start, end, "", rule, detail))
    return out


def _is_question(line: str) -> bool:
    """A short question on its own line: a prompt of an interview or FAQ, which may legitimately recur."""
    s = line.rstrip()
    return len(s) <= 160 and s.endswith("?")


_ANY_DIGIT = re.compile(r"\d")
_DIGIT_TOKEN = re.compile(r"(?<!\S)[^\s\d]*+\d")  # a token's start to its first digit (possessive: linear time)


def _is_data(line: str, cfg: PassagesConfig) -> bool:
    if not _ANY_DIGIT.search(line):
        return False
    return len(_DIGIT_TOKEN.findall(line)) > cfg.max_digit_share * len(line.split())


def _is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|")


_TERMINALS = ".!?…"
_CLOSERS = "\"'”’»)]"


def _ends_complete(line: str) -> bool:
    """Does the line end like a sentence: a terminal mark, closing quotes or brackets, trailing blanks?"""
    return _TERMINAL.search(line) is not None


def _is_heading(line: str, cfg: PassagesConfig) -> bool:
    """Short line without terminal punctuation: a heading, label or byline, never a passage."""
    s = line.strip()
    return len(s) < cfg.min_prose_chars or (len(s) < 2 * cfg.min_prose_chars and not _ends_complete(s))


def clean_passages(doc: Document, cfg: PassagesConfig) -> Document:
    """The passages step: :func:`drop_repeated_passages`, then :func:`drop_truncated_passages`."""
    out = drop_repeated_passages(doc, cfg)
    return out if out.rejected else drop_truncated_passages(out, cfg)


# ---------------------------------------------------------------------------------------- repeated


def drop_repeated_passages(doc: Document, cfg: PassagesConfig) -> Document:
    """Keep the first copy of repeated runs of paragraphs; drop later copies.

    Paragraphs are non-empty lines; a repeated paragraph goes only in a run of
    ``min_repeat_run`` repeated lines (one said again alone is mostly a pull quote
    or a quote in a reply), and list items may repeat. Repeated sentences inside
    other paragraphs go only with ``passages:repeated-sentence`` switched on (it is
    off: ``disabled_rules``). two are the same when equal after casefolding
    and dropping punctuation (so a leading "—" or a changed final mark does not
    matter). Short lines, table rows, lone questions and lines full of numbers are
    never dropped, nor a passage occurring ``template_copies`` times or more (the
    recurring prompts of an interview series, the items of a meal plan).

    >>> s = "A sentence that is long enough to count as a repeated sentence here."
    >>> doc = Document.from_text(f"{s} First paragraph.\\nSecond paragraph. {s}")
    >>> drop_repeated_passages(doc, PassagesConfig(disabled_rules=())).text
    'A sentence that is long enough to count as a repeated sentence here. First paragraph.\\nSecond paragraph.'
    """
    if not cfg.enabled or not doc.text or not (cfg.rule_on(R_PARAGRAPH) or cfg.rule_on(R_SENTENCE)):
        return doc
    # dropping copies can lower other passages' counts below ``template_copies``: repeat until settled
    # (the text shrinks every round, so this ends; in practice after one or two rounds)
    memo = _ParagraphMemo(cfg)
    while True:
        out = _drop_repeated_once(doc, cfg, memo)
        if out is doc:
            return out
        doc = out


class _Paragraph(NamedTuple):
    """What drop_repeated_passages needs of one line, whatever its place: computed once per line text."""

    exempt: bool  # a table row, a lone question or a line full of numbers: never dropped, never counted
    key: str = ""
    sentences: tuple[tuple[int, int, str], ...] = ()  # (start, end, text) in the line, when it can hold a long one
    keys: tuple[str, ...] = ()  # the sentences' keys


class _ParagraphMemo:
    """Lines (and their keys) seen in earlier rounds of one drop_repeated_passages call."""

    def __init__(self, cfg: PassagesConfig) -> None:
        self.cfg = cfg
        self.lines: dict[str, _Paragraph] = {}
        self.keys: dict[str, str] = {}

    def key(self, text: str) -> str:
        k = self.keys.get(text)
        if k is None:
            k = self.keys[text] = _normalize(text)
        return k

    def line(self, line: str) -> _Paragraph:
        p = self.lines.get(line)
        if p is None:
            cfg = self.cfg
            if _is_table_row(line) or _is_question(line) or _is_data(line, cfg) or _LIST_ITEM.match(line):
                p = _Paragraph(True)
            else:
                # the line's key joins its sentences' keys: only whitespace lies between sentences, and
                # NFKC, casefolding and words never join characters across whitespace
                sents = tuple((x.start, x.end, x.text) for x in iter_sentences(line))
                keys = tuple(self.key(t) for _, _, t in sents)
                key = " ".join(k for k in keys if k)
                if len(key) < cfg.min_sentence_chars:
                    sents, keys = (), ()  # a line shorter than a long sentence holds no long sentence
                p = _Paragraph(False, key, sents, keys)
            self.lines[line] = p
        return p


# _repeat_candidates' view of a text (NFKC-normalized, casefolded, UTF-8 encoded): an ASCII letter or digit
# and a line break stay, a terminal (. ! ?) becomes ".", any other ASCII character a space; the bytes of
# other characters stay (those not letters or digits are blanked after decoding)
_MARK_BYTES = bytes(
    ord(".") if chr(b) in ".!?" else b if chr(b).isalnum() or b == ord("\n") or b >= 128 else ord(" ")
    for b in range(256)
)
_ASCII_BYTES = bytes(range(128))


def _repeat_candidates(text: str, cfg: PassagesConfig) -> set[int]:
    """The lines (numbers in ``text.split("\\n")``) that may hold a long passage occurring twice in ``text``.

    _drop_repeated_once counts the keys of lines and of their sentences. Here every line's key is
    computed in one pass over the text and cut after every terminal followed by a blank (a closing
    quote or bracket is blank here): a superset of the sentence ends. NFKC and casefolding join no
    characters across whitespace (nor across a line break), so a line's key is the join of its
    sentences' keys and of these pieces' keys alike, and a sentence's key is the run of its line's
    key from the cut where it starts. A long sentence key that occurs twice starts at two cuts with
    the same first ``min_sentence_chars`` characters: both lines are candidates. Lines are not
    exempted here (a superset again). A line that is no candidate holds no passage occurring twice,
    and what _drop_repeated_once drops never depends on it.
    """
    n_para, n_sent = cfg.min_paragraph_chars, cfg.min_sentence_chars
    n_lines = text.count("\n") + 1
    if n_para < 1 or n_sent < 1:
        return set(range(n_lines))
    if text.isascii():  # (NFKC changes no ASCII text, casefolding it lowers it)
        b = text.lower().encode("ascii").translate(_MARK_BYTES)
    else:
        b = unicodedata.normalize("NFKC", text).casefold().encode("utf-8", "surrogatepass").translate(_MARK_BYTES)
    marked = b.decode("utf-8", "surrogatepass")
    if not b.isascii():
        rest = b.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        if not rest.isalnum():
            for c in set(rest):
                if not c.isalnum():  # exactly what _normalize drops ("_" is ASCII)
                    marked = marked.replace(c, " ")
    lines = marked.split("\n")
    if len(lines) != n_lines:  # (never: NFKC and casefolding neither make nor take a line break)
        return set(range(n_lines))
    out: set[int] = set()
    line_of_key: dict[str, int] = {}
    line_of_window: dict[str, int] = {}
    for i, line in enumerate(lines):
        # a sentence starts after a terminal, closing quotes or brackets (blanked) and whitespace: ". " here
        parts = [k for k in (" ".join(p.replace(".", " ").split()) for p in line.split(". ")) if k]
        key = " ".join(parts)
        n = len(key)
        if n >= n_para:
            j = line_of_key.setdefault(key, i)
            if j != i:
                out.add(i)
                out.add(j)
        if n < n_sent:
            continue
        pos = 0
        for k in parts:
            if pos + n_sent > n:
                break
            w = key[pos : pos + n_sent]
            j = line_of_window.get(w)
            if j is None:
                line_of_window[w] = i
            else:
                out.add(i)
                out.add(j)
            pos += len(k) + 1
    return out


def _drop_repeated_once(doc: Document, cfg: PassagesConfig, memo: _ParagraphMemo) -> Document:
    para_on, sent_on = cfg.rule_on(R_PARAGRAPH), cfg.rule_on(R_SENTENCE)
    text = doc.text
    candidates = _repeat_candidates(text, cfg)
    if not candidates:
        return doc
    all_blocks: list[Segment] = []  # iter_blocks(text), each line's number known
    index: list[int] = []  # of the blocks that may be dropped, into all_blocks
    paras: list[_Paragraph] = []
    pos = 0
    for ln, line in enumerate(text.split("\n")):
        end = pos + len(line)
        if line.strip():
            if ln in candidates:
                p = memo.line(line)
                if not p.exempt:
                    index.append(len(all_blocks))
                    paras.append(p)
            all_blocks.append(Segment(pos, end, line))
        pos = end + 1
    copies = Counter(p.key for p in paras if len(p.key) >= cfg.min_paragraph_chars)
    sentence_copies = Counter(sk for p in paras for sk in p.keys if len(sk) >= cfg.min_sentence_chars)
    if max(copies.values(), default=0) < 2 and max(sentence_copies.values(), default=0) < 2:
        return doc
    seen_paragraphs: set[str] = set()
    seen_sentences: set[str] = set()
    changes: list[Change] = []
    drops: dict[int, tuple[str, str]] = {}
    for i, p in zip(index, paras):
        block, key, keys = all_blocks[i], p.key, p.keys
        if para_on and key in seen_paragraphs and copies[key] < cfg.template_copies:
            drops[i] = (R_PARAGRAPH, block.text[:80])
            continue
        if key in copies:
            seen_paragraphs.add(key)
        repeated = [sent_on and sk in seen_sentences and sentence_copies[sk] < cfg.template_copies for sk in keys]
        seen_sentences.update(sk for sk in keys if sk in sentence_copies)
        if repeated and all(repeated):
            drops[i] = (R_SENTENCE, block.text[:80])
        elif any(repeated):
            sentences = [Segment(block.start + a, block.start + e, t) for a, e, t in p.sentences]
            changes.extend(_sentence_drops(sentences, repeated))
    if cfg.min_repeat_run > 1:
        key_of = {i: p.key for i, p in zip(index, paras)}
        drops = _in_runs(drops, key_of, cfg.min_repeat_run)
    return doc.apply(changes + _block_drops(text, all_blocks, drops), step=STEP)


def _in_runs(drops: dict[int, tuple[str, str]], key_of: dict[int, str], min_run: int) -> dict[int, tuple[str, str]]:
    """The repeated paragraphs that stand in a run of ``min_run`` or more repeated lines in a row, or
    that follow their own first copy directly.

    A block of text said twice (a page's text scraped twice, a teaser repeating the lede and the next
    paragraph) is a run, and a paragraph said twice in a row is a stutter of the scrape; one paragraph
    said again elsewhere, alone, is mostly a pull quote or a reply's quote.
    """
    para = sorted(i for i, (rule, _) in drops.items() if rule == R_PARAGRAPH)
    keep_drop: set[int] = set()
    k = 0
    while k < len(para):
        j = k
        while j + 1 < len(para) and para[j + 1] == para[j] + 1:
            j += 1
        if j - k + 1 >= min_run:
            keep_drop.update(para[k : j + 1])
        keep_drop.update(i for i in para[k : j + 1] if key_of.get(i - 1) == key_of.get(i))
        k = j + 1
    return {i: d for i, d in drops.items() if d[0] != R_PARAGRAPH or i in keep_drop}


def _sentence_drops(sentences: list[Segment], repeated: list[bool]) -> list[Change]:
    """Changes dropping the repeated sentences of one line (not all), keeping the spacing between the others."""
    out: list[Change] = []
    n = len(sentences)
    i = 0
    while i < n:
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and repeated[j + 1]:
            j += 1
        if j + 1 < n:  # a kept sentence follows: drop up to its start
            start, end = sentences[i].start, sentences[j + 1].start
        else:  # the run ends the line: drop from the end of the last kept sentence
            start, end = sentences[i - 1].end, sentences[j].end
        out.append(Change(start, end, "", R_SENTENCE, sentences[i].text[:80]))
        i = j + 1
    return out


# ---------------------------------------------------------------------------------------- truncated

# words that end a heading never: a line ending with one was broken mid-sentence
_OPEN_END = frozenset(
    "the a an of to in on at for and or but with by from as that this these its their his her our your my "
    "is are was were be".split()
)
# capitalized, these start no statement (they start questions, or inversions with a subject: "Had I known");
# so only before a word that is no subject, in a paragraph whose first sentence ends with "."
_AUXILIARIES = frozenset("is are was were has had been does did would could can will should".split())
_SUBJECTS = frozenset("i you he she it we they there this that these those the a an one someone anyone".split())
# verbs that follow a subject: a short capitalized non-word before one is rather a name ("Ars is asking")
_SUBJECT_VERBS = frozenset("is was has had says said will would can could does did".split())
# two letters that start sentences, though more common as the tail of words: interjections, chemical symbols
_TWO_LETTER_WORDS = frozenset("er ho oo ow sh ay ar ce es fe ge ir ne rn ts ds".split())
# object and reflexive pronouns, "than", "said": they start no sentence
_NEVER_FIRST = frozenset(
    "him them themselves himself herself itself ourselves yourselves myself whom than said".split()
)
# after a lone "A" or "I" these words are impossible: the letter is the tail of a word ("...a the")
_NOT_AFTER_A = frozenset("the a an of to in on at for with by from is are was were that".split())
_NOT_AFTER_I = frozenset("the a an of to in on at for with by from is are that this".split())
_IDENTIFIER = re.compile(r"[^\W\d_]{3,}(?:[_(]|[-./][^\W\d_])")
_LONE_LETTER = re.compile(r"(?m)^[ \t]*[B-HJ-Z][ ,] ?[^\W\d_]")
_INNER_START = re.compile(r"([^\W\d_]+)([.!?])\s+([^\W\d_])")
# a closing quote or bracket after a word or a terminal, before a blank, a terminal or the end (not ":-)")
_CLOSE_QUOTE = re.compile(r"(?<=[^\W_]|[.!?,])[”)](?=[\s.,;:!?]|$)")
_LOWER_I = re.compile(r"(?<!\w)i(?=['’ ])(?!\.)")


def _ends_sentence(s: str) -> bool:
    """Ends with a terminal (. ! ? …), then closing quotes or brackets only."""
    u = s.rstrip().rstrip(_CLOSERS)
    return bool(u) and u[-1] in _TERMINALS


def _lowercase_style(s: str) -> bool:
    """The paragraph's own sentences start in lowercase (chat, some forums): its lowercase start says nothing."""
    if _LOWER_I.search(s):  # "i'll go with", "i think"
        return True
    starts = [m.group(3).islower() for m in _INNER_START.finditer(s) if len(m.group(1)) > 3 or m.group(2) != "."]
    return bool(starts) and 2 * sum(starts) >= len(starts)


def _is_title(line: str) -> bool:
    """A heading or label (not a line broken mid-sentence): short or capitalized, no open end."""
    s = line.strip()
    if not s or s[-1] in ":,;–—-/(&+" or _ends_complete(s):
        return False
    words = s.split()
    if words[-1].lower() in _OPEN_END:
        return False
    return len(words) <= 4 or sum(w[:1].isupper() or not w[:1].isalpha() for w in words) >= 0.6 * len(words)


def _used_as_name(word: str, text: str) -> bool:
    """``word`` occurs capitalized inside a sentence elsewhere in ``text``: a name of this document, no fragment."""
    n, i = len(word), text.find(word)
    while i >= 0:  # (str.find, not a regex per word: this runs for every paragraph a rule finds cut off)
        if not _word_char(text[i - 1 : i]) and not _word_char(text[i + n : i + n + 1]):
            j = i - 1
            while j >= 0 and text[j] in " \t":
                j -= 1
            if j >= 0 and text[j] not in "\n.!?\"“‘'«(":
                return True
        i = text.find(word, i + 1)
    return False


def _word_char(c: str) -> bool:
    """Is ``c`` (one character, or "" at either end of a text) a character of a word, as regex ``\\w`` reads it?"""
    return c.isalnum() or c == "_"


def _copy_elsewhere(s: str, first: str, text: str) -> str:
    """The word whose tail ``first`` is, where the paragraph's opening words occur elsewhere in ``text``
    right after more letters ("Ding former U.S. President" of "...including former U.S. President").

    Only for a first word far more common as the tail of words than on its own (LOOSE_WORD_ENDINGS).
    """
    if first.lower() not in LOOSE_WORD_ENDINGS:  # a word common as the tail of words only
        return ""
    words = s.split(None, 5)[:5]
    if len(words) < 5:
        return ""
    opening = " ".join(words[:5])
    if text.count(opening[1:]) < 2:  # (the paragraph itself holds it once)
        return ""
    for m in re.finditer(rf"([^\W\d_]+){re.escape(opening[1:])}", text):
        w = m.group(1)
        if w[-1:].lower() == first[:1].lower() and len(w) > 1:
            return w[:-1] + first.lower()
    return ""


def _first_sentence_is_statement(s: str) -> bool:
    m = re.search(r"[.!?]", s)
    return bool(m) and m.group(0) == "."


def _capitalized_fragment(s: str, first: str, second: str, text: str, raw: str, strict: bool = True) -> str:
    """Why a paragraph starting with a capitalized word ``first`` (then ``second``) is cut off ("" if not).

    Not ``strict`` (split_articles, which has no document to tell a name by), a lone letter or a word's tail
    counts only before a lowercase word, or a tail of four letters or more before punctuation."""
    after = s[len(first) : len(first) + 1]
    low, nxt = first.lower(), second.lower()
    if len(first) == 1:
        if after == ",":  # "N, the default settings": no letter but "A" or "I" stands alone before a comma
            if first in "AI" or not strict or len(_LONE_LETTER.findall(text)) > 1:
                return ""
            return f"starts with a lone letter {first!r} before a comma"
        if after != " " or not second or second.lower() in WORD_ENDINGS or not (strict or second[:1].islower()):
            return ""  # "Z imbabwean": a drop cap set apart from the rest of its word
        if first == "A" and nxt not in _NOT_AFTER_A or first == "I" and nxt not in _NOT_AFTER_I:
            return ""
        if len(_LONE_LETTER.findall(text)) > 1:
            return ""  # drop caps or spaced initials throughout ("D espite ...", "B ang a sign")
        return f"starts with a lone letter {first!r} before {second!r}"
    if first.isupper():
        return ""  # an acronym
    if low in WORD_ENDINGS and (
        (second[:1].islower() and (len(first) > 3 or nxt not in _SUBJECT_VERBS))
        or (len(first) >= 4 and after in ",.;:")
        or (strict and len(first) >= 3 and (after in "'’" or second[:1].isupper()))  # "Bble's", "Nse Secretary"
        or (strict and len(first) >= 4)  # "Ected 5,200 pounds", "Ional-scale heft", "Cluding — according"
    ):  # (a short one before "is", "said": a name, "Ars is asking")
        return f"starts with a word fragment {first!r}"
    m = _copy_elsewhere(s, first, raw)
    if m:
        return f"starts with a word fragment {first!r}: the tail of {m!r} elsewhere in the source"
    if low in _AUXILIARIES and second[:1].islower() and nxt not in _SUBJECTS and _first_sentence_is_statement(s):
        return f"starts with {first!r} in a statement"
    if low in _NEVER_FIRST and (second[:1].islower() or after in ",.;"):
        return f"starts with {first!r}, which starts no sentence"
    head = s[:200]
    m = _CLOSE_QUOTE.search(head) if "”" in head or ")" in head else None
    if m and m.start() > len(first):
        openers = '“"«”„' if m.group(0) == "”" else "("
        if not any(c in openers for c in s[: m.start()]):
            return f"cut inside a quotation or parenthesis: {s[: m.start() + 1][-40:]!r}"
    return ""


def truncation_reason(
    line: str,
    prev: str | None,
    cfg: PassagesConfig,
    next_line: str | None = None,
    text: str = "",
    strict: bool = False,
    raw: str = "",
) -> str:
    """Why this prose line looks cut off at its start ("" if it does not).

    ``prev`` is the line kept before it (None at the start), ``next_line`` the line after it (None at the
    end), ``text`` the whole document (to tell a name used elsewhere in it from a word fragment), ``raw``
    the whole source it comes from (to find a cut copy; ``text`` when empty: a part that split_articles
    cut from a file finds its copy in the other parts). ``strict`` (drop_truncated_passages) takes a capitalized first word for a fragment only when
    it is no word; otherwise (split_articles, which weighs this with other hints) a word far more common as
    the tail of words ("Ding" of "including") before a lowercase word counts too.

    >>> truncation_reason("Ncluding former U.S. President Donald Trump, to discuss an end to the war.", None, PassagesConfig())
    "starts with a word fragment 'Ncluding'"
    >>> truncation_reason("As the talks resumed, the two sides traded blame.", None, PassagesConfig())
    ''
    """
    s = line.lstrip()
    if not s or _EXEMPT_START.match(s):
        return ""
    m = _FIRST_TOKEN.match(s)
    if not m:
        return ""
    first, second = m.group(1), m.group(2) or ""
    after = s[len(first) : len(first) + 1]
    if after.isdigit() or after == ":" or _URLISH.match(s):  # my6sense, a4, a label ("Note:"), a URL
        return ""
    if first[0].islower():
        if first[1:] != first[1:].lower():  # iPhone, eBay
            return ""
        if _IDENTIFIER.match(s) and first not in WORD_ENDINGS:  # dev-repo, os.path, fetch(), user_id
            return ""
        why = _lowercase_start(s, prev, next_line)
        if not why and _known_tail(first, s, prev, cfg, text):
            return f"starts mid-word: {first!r}, the tail of a word"
        return why
    why = _capitalized_fragment(s, first, second, text or s, raw or text or s, strict)
    if (
        not why
        and (not strict or len(first) == 2 and first.lower() not in _TWO_LETTER_WORDS)
        and len(first) >= 2
        and not first.isupper()
        and first.lower() in LOOSE_WORD_ENDINGS
        and second[:1].islower()
    ):  # strict: two letters far more common as a word's tail than alone, before a word ("Te efforts", "Ut they")
        why = f"starts with a word fragment {first!r}"
    if not why or (text and _used_as_name(first, text)):
        return ""
    if not _english_like(s, cfg, text) and not (
        len(first) >= 4 and first.lower() in WORD_ENDINGS and _english_document(text, cfg)
    ):
        return ""  # (the tail of a word that is no word, four letters or more: an English document tells enough)
    return why


def _lowercase_start(s: str, prev: str | None, next_line: str | None) -> str:
    """Why a paragraph starting with a lowercase word is cut off, by the lines around it ("" if not)."""
    after_title = prev is not None and not _ends_complete(prev)
    if after_title and not _is_title(prev):
        return ""  # after a list lead ("...:") or a line broken mid-sentence
    if next_line is not None and next_line.lstrip()[:1].islower():
        return ""  # a run of lines starting in lowercase: list items
    if _lowercase_style(s) or not _ends_sentence(s):
        return ""  # the writer's style; or no sentence ("screws (flat head will probably work best)")
    return "starts in lowercase after a heading" if after_title else "starts in lowercase"


def _known_tail(first: str, s: str, prev: str | None, cfg: PassagesConfig, text: str) -> bool:
    """A lowercase paragraph of English starting with the tail of a common word that is no word ("ntent",
    "ations"), not after a line that breaks off in a word (a word wrapped or split at a link): cut off
    mid-word, whatever the lines around it (a heading, a colon, lowercase writing)."""
    # a lone letter before a comma or a lowercase word: "t, the", "g globe" (not "a", "i", nor "o", a bullet)
    lone = len(first) == 1 and first not in "aio" and (s[1:2] == "," or s[1:2] == " " and s[2:3].islower())
    if not (lone or len(first) >= 2 and first in WORD_ENDINGS) or len(s.split()) < 3:
        return False
    if prev is not None:
        p = prev.rstrip()
        if (p[-1:].isalpha() or p.endswith(("-", "\u00ad"))) and not _is_title(prev):
            return False
    return _english_like(s, cfg, text)


def _mid_word(line: str) -> str:
    """The line's first word when it is a known word fragment ("ontacted"), else ""."""
    m = _FIRST_TOKEN.match(line.lstrip())
    return m.group(1) if m and len(m.group(1)) >= 2 and m.group(1).lower() in WORD_ENDINGS else ""


def _with_fragment(why: str, line: str) -> str:
    """The detail of a drop: the reason, and the word fragment the line starts with when it is a known one."""
    frag = _mid_word(line) if why.startswith("starts in lowercase") else ""
    return f"{why}, mid-word: {frag!r}" if frag else why


def _english_like(s: str, cfg: PassagesConfig, text: str = "") -> bool:
    """Three English function words among the paragraph's first words; a short paragraph, too short to
    hold three, is judged by the document's prose (``text``) instead."""
    words = _NON_WORD.sub(" ", s[:200].lower()).split()[1:16]
    fw = set(cfg.function_words)
    if sum(w in fw for w in words) >= 3:
        return True
    return len(words) < 15 and _english_document(text, cfg)


def _english_document(text: str, cfg: PassagesConfig) -> bool:
    """The document's prose (its first 3,000 characters) is English: function words are 15% of its words."""
    doc_words = _NON_WORD.sub(" ", text[:3000].lower()).split()
    fw = set(cfg.function_words)
    return len(doc_words) >= 50 and sum(w in fw for w in doc_words) >= 0.15 * len(doc_words)


def _prose(line: str, cfg: PassagesConfig) -> bool:
    return not _is_table_row(line) and not _is_heading(line, cfg)


def _short_sentence(line: str) -> bool:
    """A short line that is a sentence starting in lowercase, or with the capitalized tail of a word that is
    no word ("Ealership said he tried to steal a van."): a candidate fragment between two paragraphs."""
    s = line.strip()
    if s[-1:] not in ".…" or len(s.split()) < 3 or _is_table_row(s):
        return False
    return s[:1].islower() or len(_mid_word(s)) >= 4 and s[:1].isupper()


def drop_truncated_passages(doc: Document, cfg: PassagesConfig) -> Document:
    """Drop prose paragraphs that start mid-sentence or mid-word; trim a last paragraph cut off mid-sentence.

    Only on positive evidence. A paragraph starting in lowercase is cut off when it
    follows a complete paragraph (ending with terminal punctuation), a heading, or
    starts the document; a short line so is only between two prose paragraphs. It
    is kept when the line before ends with ":" or was broken mid-sentence, when the
    line after starts in lowercase too (a list) or follows a kept one, when its own
    sentences start in lowercase (the writer's style, as is most of the document's
    prose), and when its first word has an inner capital or a digit (iPhone,
    my6sense); but one starting with the tail of a common word that is no word
    ("ntent", "ations") is cut off after any line that does not break off inside a
    word. A capitalized paragraph, in English-looking prose (a short one: in an
    English document), is cut off when its first word is no word but the tail of
    common words ("Ncluding", "Nse Secretary", "Bble's"; one of four letters or more
    whatever follows it, in any paragraph of an English document, on a short line
    too: "Ected 5,200", "Ealership said he tried"; two letters far more common as
    the tail of words, interjections and chemical symbols aside, before a word:
    "Te efforts to make it easier"; a lone "S" before a word, a lone "N" before a
    comma), an auxiliary starting a statement ("Was held ..."), a
    pronoun that starts no sentence ("Themselves ..."), or when a closing quote or
    bracket comes before any opening one; never when the same word is used as a name
    inside a sentence elsewhere in the document. Headings, table rows, list items
    (bullets, numbers) and lines starting with a quote or bracket are never
    truncated; each drop's detail names its evidence. A last paragraph without
    terminal punctuation is trimmed to its last full sentence only when it ends with
    a word that ends no sentence ("the", "and", "their"), a comma or dash, a beginning
    of common words that is no word ("legisla"), a lone letter, or inside an open
    quotation. Dropping the document's first passage adds the flag
    ``truncated-start``; trimming the last adds ``truncated-end``. A passage is only
    dropped when some other prose remains. In text extracted from HTML (source format
    ``html``) a lowercase start counts only when its first word is a word fragment:
    extractors break lines at links and other inline elements.

    >>> doc = Document.from_text("Prices rose sharply in May, the agency said.\\nthe index fell in June for the third month.")
    >>> drop_truncated_passages(doc, PassagesConfig()).text
    'Prices rose sharply in May, the agency said.'
    >>> doc = Document.from_text("You will need three things:\\nflour, sugar and two eggs at room temperature.")
    >>> drop_truncated_passages(doc, PassagesConfig()).text == doc.text
    True
    """
    if not cfg.enabled or not doc.text:
        return doc
    start_on, end_on = cfg.rule_on(R_START), cfg.rule_on(R_END)
    if not (start_on or end_on):
        return doc
    # a drop changes what the other lines are judged against (the line before, the document's style):
    # repeat until settled, so that a second call changes nothing (the text shrinks every round)
    while True:
        out = _drop_truncated_once(doc, cfg, start_on, end_on)
        if out is doc:
            return out
        doc = out


def _drop_truncated_once(doc: Document, cfg: PassagesConfig, start_on: bool, end_on: bool) -> Document:
    text = doc.text
    blocks = list(iter_blocks(text))
    is_prose = [_prose(b.text, cfg) for b in blocks]
    prose = [b for b, p in zip(blocks, is_prose) if p]
    if len(prose) < 2:
        return doc
    # text written in lowercase (chat, forums, comments): a lowercase start says nothing when several prose
    # paragraphs start so (a fragment or two are rare in a document)
    n_lower = sum(b.text.lstrip()[:1].islower() for b in prose)
    html = doc.source.format == "html"
    lower_style = n_lower >= 3 or 2 * n_lower > len(prose)
    changes: list[Change] = []
    drops: dict[int, tuple[str, str]] = {}
    flags = list(doc.flags)
    prev: str | None = None
    prev_kept_lower = False  # the line before started in lowercase and was kept: a list runs on
    seen_prose = False
    remaining = len(prose)
    n = len(blocks)
    for k, b in enumerate(blocks):
        line = b.text
        nxt = blocks[k + 1].text if k + 1 < n else None
        short = (
            start_on
            and not is_prose[k]
            and _short_sentence(line)
            and (prev is None or (_prose(prev, cfg) and _ends_complete(prev)))
            and k + 1 < n
            and is_prose[k + 1]
        )
        # a short line between short lines: a list item, never a fragment
        is_list_item = (
            is_prose[k]
            and len(line.strip()) < 2 * cfg.min_prose_chars
            and 0 < k < n - 1
            and len(blocks[k - 1].text.strip()) < 2 * cfg.min_prose_chars
            and len(blocks[k + 1].text.strip()) < 2 * cfg.min_prose_chars
        )
        if (not is_prose[k] and not short) or is_list_item:
            prev, prev_kept_lower = line, line.lstrip()[:1].islower()
            continue
        why = truncation_reason(line, prev, cfg, nxt, text, strict=True, raw=doc.raw) if start_on else ""
        if not why.startswith("starts in lowercase") or _known_tail(_mid_word(line), line.lstrip(), prev, cfg, text):
            pass  # (the tail of a word that is no word is evidence in any company)
        elif prev_kept_lower or lower_style or (html and not _mid_word(line)):
            why = ""  # (an HTML extractor breaks lines at links and other inline elements: the rest of a sentence)
        elif why.endswith("after a heading") and n_lower > 1:
            why = ""  # forum posts under their authors' names
        if why and (remaining > 1 or short):
            drops[k] = (R_START, _with_fragment(why, line))
            if not short:
                remaining -= 1
            if not seen_prose and FLAG_START not in flags:
                flags.append(FLAG_START)
            continue  # the next line is judged against the last line kept, as a second run would
        if is_prose[k]:
            seen_prose = True
        prev_kept_lower = line.lstrip()[:1].islower()
        prev = line
    last_k = max((k for k in range(len(blocks)) if k not in drops), default=-1)  # the last line kept
    if end_on and last_k >= 0:
        trim = _trim_end(text, blocks[last_k], cfg)
        if trim is not None and trim.start == blocks[last_k].start:
            # a whole last line goes only when the line it leaves last is not cut off too: two such lines
            # in a row are a list (items without full stops), and dropping one would expose the other
            before = max((k for k in range(last_k) if k not in drops), default=-1)
            if remaining < 2 or (before >= 0 and _trim_end(text, blocks[before], cfg) is not None):
                trim = None
        if trim is not None:
            if trim.start > blocks[last_k].start:
                changes.append(trim)
            else:
                drops[last_k] = (R_END, trim.detail)
            if FLAG_END not in flags:
                flags.append(FLAG_END)
    if not changes and not drops:
        return doc
    out = doc.apply(changes + _block_drops(text, blocks, drops), step=STEP)
    return out.with_(flags=tuple(flags)) if tuple(flags) != doc.flags else out


def _trim_end(text: str, block: Segment, cfg: PassagesConfig) -> Change | None:
    """A change trimming the last paragraph to its last complete sentence, if it is cut off."""
    line = block.text.rstrip()
    if (
        not _prose(line, cfg)
        or _ends_complete(line)
        or len(line) < cfg.min_end_chars
        or len(line.split()) < cfg.min_end_words
        or _URLISH.search(line[-60:])
        or line.endswith(":")  # an introduction (to a list or table that follows elsewhere)
    ):
        return None
    words = line.split()
    if sum(w[:1].islower() for w in words) < len(words) // 2:  # title case or a list of names, not prose
        return None
    why = _end_evidence(line)
    if not why:
        return None  # a last line without a full stop, but nothing says it was cut (a caption, a signature)
    sentences = list(iter_sentences(text, block.start, block.start + len(line)))
    if len(sentences) >= 2:
        return Change(sentences[-2].end, block.start + len(line), "", R_END, why)
    return Change(block.start, block.end, "", R_END, why)


# words that end no sentence (not even stranded, as "what it is made of", "who to talk to", "that's who"):
# articles, possessive determiners, conjunctions; a paragraph ending with one was cut off
_NEVER_LAST = frozenset("the a an my your its our their and or but nor because although though whether than".split())


def _end_evidence(line: str) -> str:
    """Why a last line without terminal punctuation was cut off ("" if nothing says so)."""
    if line[-1] in ",;–—-(&/":
        return f"ends mid-sentence: {line[-1]!r}"
    tok = line.split()[-1].strip("\"'“”‘’()[]")
    if tok.lower() in _NEVER_LAST:
        return f"ends mid-sentence: after {tok!r}"
    if len(tok) >= 2 and tok.isalpha() and not tok.isupper() and tok.lower() in WORD_BEGINNINGS:
        return f"ends mid-word: {tok!r}"
    if len(tok) == 1 and tok.isalpha() and tok.islower() and tok != "a":
        return f"ends mid-word: lone letter {tok!r}"
    if line.count("“") > line.count("”"):
        return "ends inside a quotation"
    return ""
