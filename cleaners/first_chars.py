"""Guards for long alternations of case-insensitive patterns: the characters a match can start with.

Python's ``re`` tries every alternative of ``a|b|c`` at a position in turn, and under
IGNORECASE it cannot skip one by its first letter. A lookahead on the characters an
alternative can start with lets the engine drop it after one test. The characters are read
from the parsed pattern; when they cannot be known (a class of a category, a negated class,
"." or a pattern that can match the empty string) there is no guard, so a guard never rejects
a position where the pattern could match.

>>> guarded("(?:read|see) more", re.IGNORECASE)
'(?=[rs])(?:(?:read|see) more)'
>>> guarded(r"[^.!?]{0,80}\\bgetty", re.IGNORECASE)
'(?:[^.!?]{0,80}\\\\bgetty)'
>>> bool(re.match(guarded("(?:read|see) more", re.IGNORECASE), "SEE MORE", re.IGNORECASE))
True
"""

from __future__ import annotations

import re
from re import _constants as C  # the parser's opcodes (re's own modules since Python 3.11)
from re import _parser

_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _first(items) -> tuple[set[str] | None, bool]:
    """(characters a match of the parsed ``items`` can start with or None for any, can it match "")."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # (a lookaround only narrows where a match starts)
        if op is C.LITERAL:
            chars, empty = {chr(av)}, False
        elif op is C.IN:
            if any(o not in (C.LITERAL, C.RANGE) or (o is C.RANGE and a[1] - a[0] > 255) for o, a in av):
                return None, False
            chars = {chr(c) for o, a in av for c in ([a] if o is C.LITERAL else range(a[0], a[1] + 1))}
            empty = False
        elif op is C.SUBPATTERN:
            if av[1] or av[2]:
                return None, False  # (?i:...), (?-i:...): flags of its own
            chars, empty = _first(av[3])
        elif op is C.ATOMIC_GROUP:
            chars, empty = _first(av)
        elif op is C.BRANCH:
            chars, empty = set(), False
            for branch in av[1]:
                c, e = _first(branch)
                if c is None:
                    return None, False
                chars |= c
                empty = empty or e
        elif op in _REPEATS:
            chars, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters a match of ``pattern`` must start with (matched under ``flags``), or None if not known."""
    chars, empty = _first(_parser.parse(pattern, flags))
    if chars is None or empty or not chars:
        return None
    return "".join(sorted(chars))


def guarded(pattern: str, flags: int = 0) -> str:
    """``pattern`` as a group, behind a lookahead on its first characters when they are known."""
    chars = first_chars(pattern, flags)
    group = f"(?:{pattern})"
    if chars is None:
        return group
    # under the pattern's flags, a class [c] matches what the literal c matches (IGNORECASE folds both alike)
    return f"(?=[{''.join(map(re.escape, chars))}]){group}"
