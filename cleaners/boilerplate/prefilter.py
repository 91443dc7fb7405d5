"""Speed: the phrase rules tried cheaply. A line is tried against a rule's pattern only if it holds
the literals every match must hold (read off the parsed pattern), and the start-of-line rules run
as one chain of guarded alternations. tests/test_boilerplate_fast.py checks both give the answers
of the plain patterns."""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as _C  # the parser's opcodes (see first_chars)
from re import _parser

from ..first_chars import guarded
from .data import _CAPTION, _COOKIE_START, _COOKIE_WORD, _COPYRIGHT_START, _CTA, _HEADING_RULES, _LINE_RULES, _SOURCES
from .patterns import _MONTHS, _NAME_URL


@lru_cache(maxsize=16)
def _sentence_rule_needs(extra: re.Pattern[str] | None) -> tuple[tuple[str, ...], ...]:
    """The literals every match of a sentence rule (_CTA, extra phrases) holds: a line without them has no sentence to drop."""
    rules = guarded("|".join(_guarded(p) for p in (_CTA, extra) if p is not None), re.IGNORECASE)
    return _needs_of(rules, re.IGNORECASE)


class _Chain:
    """Start-of-line rules tried in order, each alternative behind a guard on its first characters (see ``_chain``).

    The rules are one pattern whose group names the rule, but for the alternatives that scan the
    line first (``.{0,400}?\\bcredits?:``): each is a pattern of its own, tried only on a line
    holding the literals every match of it holds (``_needs``). Within a rule the order of its
    alternatives does not matter (any of them gives the rule), so a rule's scanning ones come
    after its others; the first step that matches gives the rule, as the one alternation would.
    """

    def __init__(self, parts: list[tuple[str, tuple[str, ...]]]) -> None:
        self.parts = parts  # (rule, its alternatives)
        # steps: (pattern, group name -> rule, literal sets to find first or None); a set of one literal as that string
        self.steps: list[tuple[re.Pattern[str], dict[str, str], tuple[str | tuple[str, ...], ...] | None]] = []
        groups: list[tuple[str, str, str]] = []  # (group name, rule, alternation) of the pattern being made
        for i, (rule, alts) in enumerate(parts):
            plain, scanning = [], []
            for a in alts:
                needs = _needs_of(a, re.IGNORECASE) if _scans(a) else ()
                (scanning if needs else plain).append((a, needs))
            if plain:
                groups.append((f"_r{i}", rule, "|".join(guarded(a, re.IGNORECASE) for a, _ in plain)))
            for a, needs in scanning:
                self._add(groups)
                groups = []
                one = tuple(g[0] if len(g) == 1 else g for g in needs)
                self.steps.append((re.compile(guarded(a, re.IGNORECASE), re.IGNORECASE), {None: rule}, one))
        self._add(groups)

    def _add(self, groups: list[tuple[str, str, str]]) -> None:
        if groups:
            pattern = "|".join(f"(?P<{g}>{alternation})" for g, _, alternation in groups)
            self.steps.append((re.compile(pattern, re.IGNORECASE), {g: rule for g, rule, _ in groups}, None))

    def match(self, t: str, tl: str | None) -> str | None:
        """The rule of the first alternative that matches at the start of ``t`` (``tl``: see ``_lowered``), or None."""
        for pat, names, needs in self.steps:
            if needs is not None and tl is not None:
                for group in needs:  # (_may_match, unrolled: this runs for most lines)
                    if group.__class__ is str:
                        if group not in tl:
                            break
                    elif not any(map(tl.__contains__, group)):
                        break
                else:
                    needs = None
                if needs is not None:
                    continue  # a literal is missing: no match
            m = pat.match(t)
            if m is not None:
                return names[m.lastgroup]
        return None


@lru_cache(maxsize=64)
def _chain(on: frozenset[str], extra: re.Pattern[str] | None, caption: bool, phrases: bool, headings: bool) -> _Chain:
    """The start-of-line rules a line is tried against, in order, as one pattern whose group names the rule.

    Cookie notices and copyright lines first, then captions (``caption``: a line short enough), then,
    for a line short enough for phrases, the extra phrases, the line rules (the heading-like ones only
    if ``headings``: the line is no sentence) and calls to action. An alternation matches with its
    first alternative that can, so the group is the rule the rules tried one by one would give.
    """
    parts: list[tuple[str, re.Pattern[str]]] = []
    for rule, pat, use in (
        ("boilerplate:cookie", _COOKIE_START, True),
        ("boilerplate:copyright", _COPYRIGHT_START, True),
        ("boilerplate:caption", _CAPTION, caption),
    ):
        if use and rule in on:
            parts.append((rule, pat))
    if phrases:
        if extra is not None:
            parts.append(("boilerplate:extra-phrase", extra))
        parts += [(r, p) for r, p in _LINE_RULES if r in on and (headings or r not in _HEADING_RULES)]
        if "boilerplate:call-to-action" in on:
            parts.append(("boilerplate:call-to-action", _CTA))
    return _Chain([(r, _alternatives(p)) for r, p in parts])


def _alternatives(pat: re.Pattern[str]) -> tuple[str, ...]:
    """The alternatives of ``pat``: the data lines of a pattern made by _compile, or the pattern itself."""
    return _SOURCES.get(pat.pattern, (pat.pattern,))


def _guarded(pat: re.Pattern[str]) -> str:
    """``pat`` (an IGNORECASE alternation, each alternative behind a guard on its first characters)."""
    return "|".join(guarded(p, re.IGNORECASE) for p in _alternatives(pat))


# the characters outside ASCII that IGNORECASE matches with an ASCII letter (dotted and dotless i, long s, Kelvin sign)
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(t: str) -> str | None:
    """``t.lower()`` when every ASCII string that an IGNORECASE pattern finds in ``t`` is in it lowercased, else None.

    A match of an ASCII literal in ``t`` is a run of ASCII characters (no other character matches
    an ASCII one but those of _FOLDS_TO_ASCII), and lowercasing keeps such a run whole.
    """
    if t.isascii() or _FOLDS_TO_ASCII.search(t) is None:
        return t.lower()
    return None


def _may_match(needs: tuple[tuple[str, ...], ...], tl: str | None) -> bool:
    """False only if the line (``tl``: see ``_lowered``) lacks a literal that a pattern with these ``needs`` must find."""
    if tl is not None:
        for group in needs:
            if not any(map(tl.__contains__, group)):
                return False
    return True


_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)


def _needs(items) -> list[frozenset[str]]:
    """Literals a match of the parsed ``items`` must hold: from each set, one of its strings (lowercase ASCII).

    Read conservatively: a part that is not plainly known (a class of a category, a group with
    flags of its own, a lookaround, a repeat that may match nothing) gives nothing.
    """
    out: list[frozenset[str]] = []
    run: list[str] = []  # consecutive literals: matched one after the other
    for op, av in items:
        if op is _C.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            out.append(frozenset(["".join(run)]))
            run = []
        if op is _C.SUBPATTERN and not av[1] and not av[2]:
            out += _needs(av[3])
        elif op is _C.BRANCH:
            alts = [_most_telling(_needs(b)) for b in av[1]]
            if all(alts):
                lits = frozenset().union(*alts)
                # a literal holding another of the set adds nothing ("comment below" beside "comment")
                out.append(frozenset(a for a in lits if not any(b != a and b in a for b in lits)))
        elif op in _REPEATS and av[0] >= 1:
            out += _needs(av[2])
        elif op is _C.IN and all(o is _C.LITERAL and a < 128 for o, a in av):
            out.append(frozenset(chr(a).lower() for _, a in av))
    if run:
        out.append(frozenset(["".join(run)]))
    return out


def _most_telling(needs: list[frozenset[str]]) -> frozenset[str] | None:
    """The set whose shortest literal is longest (the rarest to be found by chance), or None."""
    return max(needs, key=lambda group: min(map(len, group)), default=None)


@lru_cache(maxsize=256)
def _needs_of(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """What ``_may_match`` checks for ``pattern``: its two most telling literal sets (none if nothing is known)."""
    needs = sorted(
        {tuple(sorted(group)) for group in _needs(_parser.parse(pattern, flags))}, key=lambda g: (-min(map(len, g)), g)
    )
    return tuple(needs[:2])


def _scans(pattern: str) -> bool:
    """Does ``pattern`` open with a repeat (``.{0,400}?``, ``[^.!?]{0,80}``): a match that walks the line first?"""
    items = _parser.parse(pattern, re.IGNORECASE)
    return len(items) > 0 and items[0][0] in _REPEATS and items[0][1][1] > 1


_COOKIE_WORD_NEEDS = _needs_of(_COOKIE_WORD.pattern, re.IGNORECASE)


(_MONTH_NEEDS,) = _needs_of(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)


_NAME_URL_NEEDS = _needs_of(_NAME_URL.pattern, _NAME_URL.flags)
