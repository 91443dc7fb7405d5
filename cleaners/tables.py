"""repair_tables: pipe tables made well-formed GitHub-flavoured Markdown, one rule per kind of damage.

Scraped text carries Markdown tables in many broken shapes: separator rows drawn
with em/en dashes, rows missing their outer pipes, ragged rows, a header without
a separator, a lone line of dashes used as a rule. A run of lines is taken as a
table only when it is clearly one (see :func:`find_tables`), so prose that holds
a single "|" is never touched.

>>> raw = "Intro.\\n| Topic | Details |\\n|——————|———————|\\n| Talks | Open |\\n—\\nMore text."
>>> print(repair_tables(Document.from_text(raw), TablesConfig()).text)
Intro.
| Topic | Details |
|---|---|
| Talks | Open |
More text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .document import Change, Document
from .steps import StepConfig
from .text import Segment, iter_lines, line_drop_range

STEP = "tables"

# every dash-like character a scraper or word processor puts in a rule or separator
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
_ASCII_ONLY_SEP = re.compile(r"[-:| \t]*")
_SEP_CELL = re.compile(rf"[^\S\n]*(:?)[{DASHES}]+(:?)[^\S\n]*")  # any blank around the dashes: "\xa0—" too
_RULE_LINE = re.compile(rf"[ \t]*[{DASHES}][{DASHES} \t]*")
_PIPE_RULE_LINE = re.compile(rf"[ \t|:]*[{DASHES}][{DASHES} \t|:]*")
_DASH_LINE = re.compile(rf"^{_RULE_LINE.pattern}$", re.MULTILINE)  # a line _RULE_LINE matches whole
# A line that _RULE_LINE / _PIPE_RULE_LINE matches whole, found from its first dash (a pattern that
# starts with a character class is searched fast): the rest of the line is dashes and blanks (and
# pipes and colons), then the text before it on the line is checked (_has_rule_line).
_DASH_TAIL = re.compile(rf"[{DASHES}][{DASHES} \t]*$", re.MULTILINE)
_PIPE_DASH_TAIL = re.compile(rf"[{DASHES}][{DASHES} \t|:]*$", re.MULTILINE)
_EM_EN_RUN = re.compile(r"[\u2013\u2014\u2015]{2,}")
_NUMBERING = re.compile(r"\s*(?:\(?\d{1,3}[.):]|\(?[a-zA-Z][.)]|[-*\u2022\u2023\u25aa\u25cf])\s+")

# rules in the order they name a line's change when several apply to it
_ROW_RULES = (
    "tables:merge-cells",
    "tables:pad-row",
    "tables:leading-pipe",
    "tables:trailing-pipe",
    "tables:cell-padding",
)


@dataclass(frozen=True)
class TablesConfig(StepConfig):
    """Thresholds for table detection.

    ``min_rows``: lines a pipe run needs to be a table. ``min_consistent_share``: share of rows that
    must have the most common cell count when a run has no separator row. ``max_heading_chars``:
    longest line taken as a heading when matching a table of contents against the document.
    """

    min_rows: int = 2
    min_consistent_share: float = 0.5
    min_toc_rows: int = 2
    max_heading_chars: int = 120


@dataclass(frozen=True)
class Row:
    """One table line: its segment, cells (unstripped) and how it was written."""

    line: Segment
    cells: tuple[str, ...]
    leading: bool
    trailing: bool
    separator: bool
    aligns: tuple[str, ...] = ()  # per cell for separators: "", "l", "r", "c"


def split_row(line: Segment) -> Row:
    """Split a pipe line into cells; escaped pipes (``\\|``) and pipes in `code` stay in their cell."""
    s = line.text.strip()
    leading = s.startswith("|")
    trailing = s.endswith("|") and not s.endswith("\\|") and (len(s) > 1 or not leading)
    body = s[1 if leading else 0 : len(s) - 1 if trailing else len(s)]
    cells: list[str] = []
    cur = 0
    i = 0
    code = False
    closable = body.count("`") >= 2
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == "`" and closable:
            code = not code
        elif body[i] == "|" and not code:
            cells.append(body[cur:i])
            cur = i + 1
        i += 1
    cells.append(body[cur:])
    aligns: list[str] = []
    separator = True
    for c in cells:
        m = _SEP_CELL.fullmatch(c)
        if not m:
            separator = False
            break
        left, right = bool(m.group(1)), bool(m.group(2))
        aligns.append("c" if left and right else "l" if left else "r" if right else "")
    return Row(line, tuple(cells), leading, trailing, separator, tuple(aligns) if separator else ())


def _strong(row: Row) -> bool:
    return row.leading or row.trailing


def _qualifies(rows: list[Row], cfg: TablesConfig) -> bool:
    """Is this run of pipe lines clearly a table?"""
    if len(rows) < cfg.min_rows or not any(c.strip() for r in rows if not r.separator for c in r.cells):
        return False
    if any(r.separator for r in rows[:2]) and not all(r.separator for r in rows):
        return True
    if not all(_strong(r) for r in rows):
        return False
    counts = Counter(len(r.cells) for r in rows)
    _, top = counts.most_common(1)[0]
    return top / len(rows) >= cfg.min_consistent_share


def _is_gap(text: str) -> bool:
    """A line that may sit inside a table's run: blank, or a lone rule of dashes (whatever white space is
    around it: find_tables judges the stripped line so, and the precheck must agree)."""
    s = text.strip()
    return not s or bool(_RULE_LINE.fullmatch(s))


def find_tables(lines: list[Segment], cfg: TablesConfig) -> list[list[int]]:
    """Indices (into ``lines``) of each table: runs of >= ``min_rows`` pipe lines that look like one.

    Blank lines and dash rules may sit between two rows written with outer pipes (the repair drops
    them). A separator row below a row starts a new table whose header is that row.
    """
    out: list[list[int]] = []
    run: list[int] = []

    def judge(part: list[int]) -> None:
        while part and _is_gap(lines[part[-1]].text):
            part = part[:-1]
        full = [i for i in part if not _is_gap(lines[i].text)]
        if not full:
            return
        rows = [split_row(lines[i]) for i in full]
        heads = [k - 1 for k, r in enumerate(rows) if r.separator and k >= 2 and not rows[k - 1].separator]
        if heads:
            # a table's header is the row above its separator; what comes before it is judged alone
            cut = part.index(full[heads[0]])
            judge(part[:cut])
            judge(part[cut:])
            return
        if _qualifies(rows, cfg):
            out.append(list(part))

    def flush() -> None:
        if run:
            judge(list(run))
        run.clear()

    n = len(lines)
    gap = [_is_gap(ln.text) for ln in lines]
    next_row: list[int | None] = [None] * (n + 1)  # index of the next non-gap line at or after i
    for i in range(n - 1, -1, -1):
        next_row[i] = next_row[i + 1] if gap[i] else i
    for i in range(n):
        piped = "|" in lines[i].text
        if not run and not piped:
            continue  # a line away from any table (what follows would do nothing)
        t = lines[i].text.strip()
        if piped and not (run and gap[run[-1]] and not _strong(split_row(lines[i]))):
            run.append(i)
            continue
        nxt = next_row[i + 1]
        last_row = next((j for j in reversed(run) if not gap[j]), None)
        if (
            _is_gap(t)
            and last_row is not None
            and nxt is not None
            and "|" in lines[nxt].text
            and _strong(split_row(lines[last_row]))
            and _strong(split_row(lines[nxt]))
        ):
            run.append(i)  # a blank line or dash rule inside the table (dropped when repairing)
            continue
        flush()
        if "|" in t:
            run.append(i)
    flush()
    return out


def render_row(cells: list[str], leading: bool = True, trailing: bool = True, pad: bool = True) -> str:
    """A row in ``| a | b |`` form (or keeping the cells' own spacing when ``pad`` is off)."""
    if pad:
        inner = "|".join(f" {c.strip()} " if c.strip() else " " for c in cells)
    else:
        inner = "|".join(cells)
    return ("|" if leading else "") + inner + ("|" if trailing else "")


def render_separator(aligns: list[str]) -> str:
    marks = {"": "---", "l": ":---", "r": "---:", "c": ":---:"}
    return "|" + "|".join(marks[a] for a in aligns) + "|"


def is_well_formed_table(lines: list[str]) -> bool:
    """True when ``lines`` form a GFM pipe table as the seed expectations define it.

    >>> is_well_formed_table(["| a | b |", "|---|:-:|", "| 1 | 2 |"])
    True
    >>> is_well_formed_table(["| a | b |", "|——|——|", "| 1 | 2 |"])
    False
    """
    if len(lines) < 2 or any(_EM_EN_RUN.search(s) for s in lines):
        return False
    rows = []
    for s in lines:
        s = s.strip()
        if not (s.startswith("|") and s.endswith("|") and len(s) > 1):
            return False
        rows.append(split_row(Segment(0, len(s), s)))
    if rows[0].separator or not rows[1].separator:
        return False
    if not _ASCII_ONLY_SEP.fullmatch(lines[1].strip()):
        return False
    width = len(rows[0].cells)
    return all(len(r.cells) == width for r in rows) and not any(r.separator for r in rows[2:])


def _toc_key(s: str) -> str:
    return " ".join(s.split()).strip(" .:;-").casefold()


def _is_toc(rows: list[Row], width: int, lines: list[Segment], after: int, cfg: TablesConfig) -> bool:
    """A one-column table listing headings that appear later in the document as heading lines."""
    if width != 1:
        return False
    body = [r for r in rows[1:] if not r.separator and r.cells[0].strip()]
    if len(body) < cfg.min_toc_rows:
        return False
    headings = {
        _toc_key(ln.text)
        for ln in lines[after:]
        if 0 < len(ln.text.strip()) <= cfg.max_heading_chars and "|" not in ln.text
    }
    for r in body:
        cell = r.cells[0].strip()
        m = _NUMBERING.match(cell)
        key = _toc_key(cell[m.end() :] if m else cell)
        if not key or key not in headings:
            return False
    return True


def _drop_changes(text: str, drops: list[tuple[Segment, str, str]]) -> list[Change]:
    """Changes deleting whole lines (segment, rule, detail), one per line, never overlapping."""
    drops = sorted(drops, key=lambda d: d[0].start)
    out: list[Change] = []
    idx = 0
    while idx < len(drops):
        # consecutive lines (each starting right after the previous one's line break) form a group
        j = idx
        while j + 1 < len(drops) and drops[j + 1][0].start == drops[j][0].end + 1:
            j += 1
        group = drops[idx : j + 1]
        last = group[-1][0]
        if last.end < len(text):
            out.extend(Change(s.start, s.end + 1, "", rule, detail) for s, rule, detail in group)
        else:  # the group ends the text: take the line break before it instead of after
            first = group[0][0]
            s0, _ = line_drop_range(text, Segment(first.start, last.end, ""))
            for k, (s, rule, detail) in enumerate(group):
                end = s.end + 1 if s is not last else s.end
                out.append(Change(s0 if k == 0 else s.start, end, "", rule, detail))
        idx = j + 1
    return out


Drop = tuple[Segment, str, str]  # a whole line to delete, its rule and detail


def _repair_table(lines: list[Segment], idx: list[int], cfg: TablesConfig) -> tuple[list[Change], list[Drop]]:
    """Changes (line rewrites, separator insertion) and whole-line drops that repair one table."""
    changes: list[Change] = []
    drops: list[Drop] = []
    blanks = [lines[i] for i in idx if _is_gap(lines[i].text)]
    rows = [split_row(lines[i]) for i in idx if not _is_gap(lines[i].text)]
    header_at = next((k for k, r in enumerate(rows) if not r.separator), None)
    if header_at is None:
        return [], []
    header = rows[header_at]
    sep = rows[header_at + 1] if header_at + 1 < len(rows) and rows[header_at + 1].separator else None
    stray = [r for k, r in enumerate(rows) if r.separator and r is not sep]
    body = [r for r in rows[header_at + 1 :] if not r.separator]

    width = len(header.cells)
    counts = Counter(len(r.cells) for r in body)
    if counts:
        common, n = counts.most_common(1)[0]
        if common > width and n >= 2 and n / len(body) >= 0.5 and cfg.rule_on("tables:pad-row"):
            width = common  # the header lost cells: widen it rather than crush the body

    if _is_toc(rows, width, lines, idx[-1] + 1, cfg):
        if cfg.rule_on("tables:toc"):
            detail = f"{len(body)} entries repeat later headings"
            return [], [(lines[i], "tables:toc", detail) for i in idx]
        return [], []

    for b in blanks:
        rule = "tables:blank-line" if not b.text.strip() else "tables:dash-rule"
        if cfg.rule_on(rule):
            drops.append((b, rule, "inside a table"))
    if cfg.rule_on("tables:stray-separator"):
        drops += [(r.line, "tables:stray-separator", "") for r in stray]
    # rows with no content: blank cells, or only dash placeholders (which would read as a separator)
    empty = [r for r in body if all(not c.strip() or _SEP_CELL.fullmatch(c) for c in r.cells)]
    if cfg.rule_on("tables:empty-row"):
        drops += [(r.line, "tables:empty-row", "") for r in empty]
        body = [r for r in body if r not in empty]

    for r in [header] + body:
        cells = list(r.cells)
        applied: list[str] = []
        if len(cells) > width and cfg.rule_on("tables:merge-cells"):
            extra = [c.strip() for c in cells[width - 1 :] if c.strip()]
            cells = cells[: width - 1] + [" " + " ".join(extra) + " "]
            applied.append("tables:merge-cells")
        elif len(cells) < width and cfg.rule_on("tables:pad-row"):
            cells = cells + [" "] * (width - len(cells))
            applied.append("tables:pad-row")
        leading = r.leading or cfg.rule_on("tables:leading-pipe")
        trailing = r.trailing or cfg.rule_on("tables:trailing-pipe")
        if leading and not r.leading:
            applied.append("tables:leading-pipe")
        if trailing and not r.trailing:
            applied.append("tables:trailing-pipe")
        pad = cfg.rule_on("tables:cell-padding")
        new = render_row(cells, leading, trailing, pad)
        if new != r.line.text:
            if not applied or (pad and render_row(cells, leading, trailing, False) != new):
                applied.append("tables:cell-padding")
            rule = next(x for x in _ROW_RULES if x in applied)
            changes.append(Change(r.line.start, r.line.end, new, rule, ", ".join(applied)))

    aligns = list(sep.aligns if sep else ())
    aligns = (aligns + [""] * width)[:width]
    new_sep = render_separator(aligns)
    if sep is not None:
        if new_sep != sep.line.text:
            s = sep.line.text
            rule = (
                "tables:dash-separator"
                if not _ASCII_ONLY_SEP.fullmatch(s.strip())
                else "tables:pad-row"
                if len(sep.cells) != width
                else "tables:leading-pipe"
                if not sep.leading
                else "tables:trailing-pipe"
                if not sep.trailing
                else "tables:cell-padding"
            )
            if cfg.rule_on(rule):
                changes.append(Change(sep.line.start, sep.line.end, new_sep, rule))
    elif cfg.rule_on("tables:add-separator"):
        changes.append(Change(header.line.end, header.line.end, "\n" + new_sep, "tables:add-separator"))
    return changes, drops


def _has_rule_line(text: str, tail: re.Pattern[str], lead: str) -> bool:
    """Does a line of ``text`` hold a match of ``tail`` (:data:`_DASH_TAIL`, :data:`_PIPE_DASH_TAIL`)
    with only ``lead`` characters before it (a line _RULE_LINE or _PIPE_RULE_LINE matches whole)?"""
    for m in tail.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if not text[start : m.start()].strip(lead):
            return True
    return False


def _may_hold_table(text: str, cfg: TablesConfig) -> bool:
    """Can :func:`find_tables` find a table: are two lines holding "|" apart by blank lines and
    dash rules only? (A table is a run of such lines with at least ``min_rows`` of them.)"""
    if cfg.min_rows < 2:
        return "|" in text
    lines = text.split("\n")
    prev = -1
    for i in [i for i, s in enumerate(lines) if "|" in s]:
        if prev >= 0 and all(_is_gap(lines[j]) for j in range(prev + 1, i)):
            return True
        prev = i
    return False


def repair_tables(doc: Document, cfg: TablesConfig) -> Document:
    """Make every pipe table well-formed GFM; drop tables of contents and lone dash rules."""
    if not cfg.enabled:
        return doc
    text = doc.text
    if "|" not in text:
        if not _has_rule_line(text, _DASH_TAIL, " \t"):
            return doc  # no table, no rule of dashes: nothing to do
    elif not _may_hold_table(text, cfg) and not _has_rule_line(text, _PIPE_DASH_TAIL, " \t|:"):
        return doc  # no table, no line of dashes (and pipes) to drop
    lines = list(iter_lines(text))
    tables = find_tables(lines, cfg)
    in_table = {i for t in tables for i in t}
    changes: list[Change] = []
    drops: list[Drop] = []
    for t in tables:
        c, d = _repair_table(lines, t, cfg)
        changes += c
        drops += d
    if cfg.rule_on("tables:dash-rule"):
        for i, ln in enumerate(lines):
            # both rules need the line to be dashes, blanks, pipes and colons (_RULE_LINE is narrower)
            if i in in_table or not ln.text.strip() or not _PIPE_RULE_LINE.fullmatch(ln.text):
                continue
            s = ln.text.strip()
            ascii_only = all(ch in "-| \t:" for ch in s)
            if _RULE_LINE.fullmatch(ln.text) and (not ascii_only or len(s) >= 3):
                drops.append((ln, "tables:dash-rule", ""))
            elif (
                "|" in s
                and _PIPE_RULE_LINE.fullmatch(ln.text)
                and not ascii_only
                and not any(0 <= j < len(lines) and "|" in lines[j].text for j in (i - 1, i + 1))
            ):
                drops.append((ln, "tables:dash-rule", "a separator row outside any table"))
    changes += _drop_changes(text, drops)
    return doc.apply(changes, step=STEP)
