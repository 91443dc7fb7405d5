"""Stop-word counts per language list, and the document's language by them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import BoilerplateConfig
from .data import _ANY_STOPWORD, _NO_HITS, _STOP_SETS
from .patterns import _CJK, _LETTER

if TYPE_CHECKING:
    from .lines import _Line


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    if not _CJK.search(sample):
        return 0.0  # (counting the letters is the costly part)
    letters = len(_LETTER.findall(sample))
    return len(_CJK.findall(sample)) / letters if letters else 0.0


_STOP_LIMIT = 5000  # words of a document's start that its language is judged on


def _stop_hits(words: tuple[str, ...]) -> tuple[int, ...]:
    """How many of ``words`` each stop-word list holds."""
    sw = [w for w in words if w in _ANY_STOPWORD]
    if not sw:
        return _NO_HITS
    return tuple([sum(map(stops.__contains__, sw)) for stops in _STOP_SETS])


def _stop_language(lines: list[_Line], text: str, cfg: BoilerplateConfig) -> int | None:
    """The document's language: the index of the stop-word list with most hits in its first 5000 words, or None."""
    budget = _STOP_LIMIT
    rows = []  # the stop-word hits of each line read (of its first words, for the line the budget ends in)
    for f in lines:
        if len(f.words) < budget:
            rows.append(f.stop_hits)
            budget -= len(f.words)
        else:
            rows.append(_stop_hits(f.words[:budget]))
            budget = 0
            break
    n = _STOP_LIMIT - budget
    if not n or _cjk_share(text) >= 0.3:
        return None  # unspaced scripts: a "word" is a phrase, rates mean nothing
    best, best_rate = None, 0.0
    for k, hits in enumerate(map(sum, zip(*rows))):
        rate = hits / n
        if rate > best_rate:
            best, best_rate = k, rate
    return best if best_rate >= cfg.min_stopword_rate else None
