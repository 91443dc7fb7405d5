"""The Document: raw text, the clean text as spans pointing back into it, and an edit log.

A cleaner never edits text in place. It computes changes against ``doc.text``
(clean-text offsets) and calls :meth:`Document.apply` (or the one-change
helpers :meth:`rewrite` and :meth:`drop`), which returns a new Document whose
spans still map every clean character to the raw range it came from and whose
edit log says which step and rule made each change.

>>> doc = Document.from_text("Hello  world")
>>> doc = doc.rewrite(5, 7, " ", step="whitespace", rule="whitespace:runs")
>>> doc.text
'Hello world'
>>> [(s.clean_start, s.clean_end, s.raw_start, s.raw_end) for s in doc.spans]
[(0, 5, 0, 5), (5, 6, 5, 7), (6, 11, 7, 12)]
>>> doc.edits[0].before, doc.edits[0].after, doc.edits[0].raw
('  ', ' ', (5, 7))
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Source:
    """Where a document's raw text came from."""

    path: str = "<text>"
    sha256: str = ""
    record: int = 0
    encoding: str = "utf-8"
    format: str = "text"
    part: int = 0  # index of the article within the record (split_articles)
    meta: Mapping[str, Any] = field(default_factory=dict)  # other JSONL fields etc.


@dataclass(frozen=True)
class Piece:
    """A run of clean text and the raw range it stands for.

    ``verbatim`` pieces equal ``raw[raw_start:raw_end]``; the others were
    written by an edit whose raw range covers theirs.
    """

    text: str
    raw_start: int
    raw_end: int
    verbatim: bool


@dataclass(frozen=True)
class Span:
    """A clean-text range and the raw range it comes from (output form of a Piece)."""

    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int
    verbatim: bool


@dataclass(frozen=True)
class Edit:
    """One change: which step and rule made it, where in raw, and what it did."""

    step: str
    rule: str
    op: str  # "drop" | "replace" | "insert" | "reject" | "note"
    raw: tuple[int, int]
    before: str
    after: str
    detail: str = ""  # e.g. ftfy's explanation of a mojibake fix

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "step": self.step,
            "rule": self.rule,
            "op": self.op,
            "raw": list(self.raw),
            "before": self.before,
            "after": self.after,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True)
class Change:
    """A requested change in clean-text offsets: replace [start, end) by ``after``."""

    start: int
    end: int
    after: str
    rule: str
    detail: str = ""


@dataclass(frozen=True)
class Document:
    """Raw text plus the clean text as pieces mapping back to raw, plus the edit log."""

    raw: str
    pieces: tuple[Piece, ...]
    source: Source = field(default_factory=Source)
    edits: tuple[Edit, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    language: Mapping[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    rejected: str | None = None

    # ------------------------------------------------------------------ build
    @classmethod
    def from_text(cls, raw: str, source: Source | None = None, **kw: Any) -> "Document":
        pieces = (Piece(raw, 0, len(raw), True),) if raw else ()
        return cls(raw=raw, pieces=pieces, source=source or Source(), **kw)

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-able data from which :meth:`from_state` rebuilds this document exactly."""
        src = self.source
        return {
            "raw": self.raw,
            "pieces": [[p.text, p.raw_start, p.raw_end, p.verbatim] for p in self.pieces],
            "source": {
                **{k: getattr(src, k) for k in ("path", "sha256", "record", "encoding", "format", "part")},
                "meta": dict(src.meta),
            },
            "edits": [[e.step, e.rule, e.op, list(e.raw), e.before, e.after, e.detail] for e in self.edits],
            "metadata": dict(self.metadata),
            "language": dict(self.language),
            "flags": list(self.flags),
            "rejected": self.rejected,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> "Document":
        return cls(
            raw=state["raw"],
            pieces=tuple(Piece(t, rs, re_, v) for t, rs, re_, v in state["pieces"]),
            source=Source(**state["source"]),
            edits=tuple(Edit(st, ru, op, (r[0], r[1]), b, a, d) for st, ru, op, r, b, a, d in state["edits"]),
            metadata=dict(state["metadata"]),
            language=dict(state["language"]),
            flags=tuple(state["flags"]),
            rejected=state["rejected"],
        )

    # ------------------------------------------------------------------ views
    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def id(self) -> str:
        """Stable id: same source file, record and article part give the same id."""
        s = self.source
        key = f"{s.path}\x00{s.sha256}\x00{s.record}\x00{s.part}"
        return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()

    @property
    def spans(self) -> list[Span]:
        """Clean->raw spans, ordered; adjacent verbatim pieces are merged."""
        out: list[Span] = []
        pos = 0
        for p in self.pieces:
            end = pos + len(p.text)
            last = out[-1] if out else None
            if (
                last is not None
                and p.verbatim
                and last.verbatim
                and last.clean_end == pos
                and last.raw_end == p.raw_start
            ):
                out[-1] = Span(last.clean_start, end, last.raw_start, p.raw_end, True)
            elif p.text:
                out.append(Span(pos, end, p.raw_start, p.raw_end, p.verbatim))
            pos = end
        return out

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        """The raw range behind clean [start, end)."""
        return self._raw_range(start, end)

    # ------------------------------------------------------------------ change
    def with_(self, **changes: Any) -> "Document":
        """A copy with plain fields changed (metadata, language, flags, source)."""
        return replace(self, **changes)

    def rewrite(self, start: int, end: int, after: str, *, step: str, rule: str) -> "Document":
        return self.apply([Change(start, end, after, rule)], step=step)

    def drop(self, start: int, end: int, *, step: str, rule: str) -> "Document":
        return self.apply([Change(start, end, "", rule)], step=step)

    def reject(self, reason: str, *, step: str, rule: str | None = None) -> "Document":
        """Drop the whole document with a reason (it goes to rejected/)."""
        edit = Edit(step, rule or f"{step}:{reason}", "reject", (0, len(self.raw)), "", "", reason)
        return replace(self, rejected=reason, edits=self.edits + (edit,))

    def note(self, start: int, end: int, *, step: str, rule: str, after: str = "") -> "Document":
        """Record a finding that changes no text (e.g. a byline moved to metadata)."""
        rs, re_ = self._raw_range(start, end)
        edit = Edit(step, rule, "note", (rs, re_), self.text[start:end], after)
        return replace(self, edits=self.edits + (edit,))

    def apply(self, changes: Iterable[Change], *, step: str) -> "Document":
        """Apply non-overlapping changes given in clean-text offsets, all at once.

        Changes that would change nothing are ignored. Overlapping changes are
        an error in the calling cleaner.
        """
        text = self.text
        todo = sorted(
            (c for c in changes if text[c.start : c.end] != c.after),
            key=lambda c: (c.start, c.end),
        )
        if not todo:
            return self
        for a, b in zip(todo, todo[1:]):
            if b.start < a.end or (b.start == a.end == b.end and a.start == a.end):
                raise ValueError(f"overlapping changes {a} and {b}")
        for c in todo:
            if not (0 <= c.start <= c.end <= len(text)):
                raise ValueError(f"change out of range: {c}")

        # one pass over the pieces: copy the text before each change, skip the text it replaces
        # (gathering the raw range behind it, as _raw_range does), then copy what follows
        pieces = self.pieces
        n = len(pieces)
        starts = list(accumulate((len(p.text) for p in pieces[:-1]), initial=0)) if pieces else []
        new_pieces: list[Piece] = []
        edits: list[Edit] = []
        i = 0  # index of the piece holding cur (n when past the end)
        cur = 0  # clean position reached
        for c in todo:
            start, end = c.start, c.end
            while cur < start and i < n:  # copy up to the change
                p, ps = pieces[i], starts[i]
                pe = ps + len(p.text)
                if cur == ps and pe <= start:
                    new_pieces.append(p)
                    cur = pe
                    i += 1
                else:
                    hi = min(start, pe)
                    new_pieces.append(_slice_piece(p, cur - ps, hi - ps))
                    cur = hi
                    if cur >= pe:
                        i += 1
            if start == end:
                rs, re_ = self._raw_range(start, end, starts)
            else:
                lo = hi_raw = -1
                while cur < end and i < n:  # skip what the change replaces
                    p, ps = pieces[i], starts[i]
                    pe = ps + len(p.text)
                    if p.verbatim:
                        r0, r1 = p.raw_start + cur - ps, p.raw_start + min(end, pe) - ps
                    else:
                        r0, r1 = p.raw_start, p.raw_end
                    if lo < 0:
                        lo, hi_raw = r0, r1
                    else:
                        lo, hi_raw = min(lo, r0), max(hi_raw, r1)
                    cur = min(end, pe)
                    if cur >= pe:
                        i += 1
                if lo < 0:
                    lo = hi_raw = pieces[-1].raw_end if pieces else 0
                rs, re_ = lo, hi_raw
            after = c.after
            if after:
                new_pieces.append(Piece(after, rs, re_, False))
            op = "drop" if not after else ("insert" if start == end else "replace")
            edits.append(Edit(step, c.rule, op, (rs, re_), text[start:end], after, c.detail))
        while i < n:  # copy the rest
            p, ps = pieces[i], starts[i]
            new_pieces.append(p if cur == ps else _slice_piece(p, cur - ps, len(p.text)))
            cur = ps + len(p.text)
            i += 1
        merged = _merge_pieces(new_pieces)
        return replace(self, pieces=tuple(merged), edits=self.edits + tuple(edits))

    # ------------------------------------------------------------------ internals
    def _raw_range(self, start: int, end: int, starts: Sequence[int] | None = None) -> tuple[int, int]:
        if starts is None:
            starts = list(accumulate((len(p.text) for p in self.pieces[:-1]), initial=0)) if self.pieces else []
        pieces = self.pieces
        if not pieces:
            return 0, 0
        total = starts[-1] + len(pieces[-1].text)
        if start == end:  # an insertion point: the raw position it sits at
            if start >= total:
                r = pieces[-1].raw_end
                return r, r
            k = max(bisect_right(starts, start) - 1, 0)
            p, ps = pieces[k], starts[k]
            if p.verbatim:
                r = p.raw_start + (start - ps)
                return r, r
            return (p.raw_start, p.raw_start) if start == ps else (p.raw_start, p.raw_end)
        k = max(bisect_right(starts, start) - 1, 0)
        lo: int | None = None
        hi: int | None = None
        while k < len(pieces) and starts[k] < end:
            p, ps = pieces[k], starts[k]
            pe = ps + len(p.text)
            if pe > start:
                if p.verbatim:
                    r0, r1 = p.raw_start + max(start, ps) - ps, p.raw_start + min(end, pe) - ps
                else:
                    r0, r1 = p.raw_start, p.raw_end
                lo = r0 if lo is None else min(lo, r0)
                hi = r1 if hi is None else max(hi, r1)
            k += 1
        if lo is None or hi is None:
            r = pieces[-1].raw_end
            return r, r
        return lo, hi


def _slice_piece(p: Piece, lo: int, hi: int) -> Piece:
    if p.verbatim:
        return Piece(p.text[lo:hi], p.raw_start + lo, p.raw_start + hi, True)
    return Piece(p.text[lo:hi], p.raw_start, p.raw_end, False)


def _merge_pieces(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for p in pieces:
        if not p.text:
            continue
        if out:
            q = out[-1]
            if p.verbatim and q.verbatim and q.raw_end == p.raw_start:
                out[-1] = Piece(q.text + p.text, q.raw_start, p.raw_end, True)
                continue
            # a change that cuts into a written piece leaves a fragment that still claims the
            # piece's whole raw range, which the change's own range covers: join them so raw
            # ranges stay disjoint
            if (
                not p.verbatim
                and not q.verbatim
                and ((q.raw_start, q.raw_end) == (p.raw_start, p.raw_end) or p.raw_start < q.raw_end)
            ):
                out[-1] = Piece(q.text + p.text, min(q.raw_start, p.raw_start), max(q.raw_end, p.raw_end), False)
                continue
        out.append(p)
    return out
