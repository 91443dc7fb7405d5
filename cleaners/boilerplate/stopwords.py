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


# each stop word's lists as one integer: a field of _STOP_FIELD bits per list, 1 in the fields of the lists that hold it,
# so that the sum over a line's words counts the hits of every list at once (while no count can overflow its field)
_STOP_FIELD = 16


_STOP_PACKED = {
    w: sum(1 << (_STOP_FIELD * k) for k, stops in enumerate(_STOP_SETS) if w in stops) for w in _ANY_STOPWORD
}


_STOP_SHIFTS = tuple(range(0, _STOP_FIELD * len(_STOP_SETS), _STOP_FIELD))


_STOP_MASK = (1 << _STOP_FIELD) - 1


_STOP_LIMIT = 5000  # words of a line (and of a document's sample) counted in packed fields: < _STOP_MASK


def _stop_hits(words: tuple[str, ...]) -> tuple[int, ...]:
    """How many of ``words`` each stop-word list holds."""
    packed = _packed_hits(words)
    return _unpack_hits(packed) if packed >= 0 else _stop_hits_plain(words)


def _packed_hits(words: tuple[str, ...]) -> int:
    """_stop_hits packed in one integer (a field per list), or -1 for a line with too many words for that."""
    if len(words) >= _STOP_LIMIT:  # (a count could overflow its field)
        return -1
    return sum(filter(None, map(_STOP_PACKED.get, words)))


def _unpack_hits(packed: int) -> tuple[int, ...]:
    if not packed:
        return _NO_HITS
    return tuple([(packed >> k) & _STOP_MASK for k in _STOP_SHIFTS])


def _stop_hits_plain(words: tuple[str, ...]) -> tuple[int, ...]:
    """_stop_hits, list by list."""
    sw = [w for w in words if w in _ANY_STOPWORD]
    if not sw:
        return _NO_HITS
    return tuple([sum(map(stops.__contains__, sw)) for stops in _STOP_SETS])


def _stop_language(lines: list[_Line], text: str, cfg: BoilerplateConfig) -> int | None:
    """The document's language: the index of the stop-word list with most hits in its first 5000 words, or None."""
    budget = _STOP_LIMIT
    packed = 0  # the hits of the lines read whole, summed in their packed form (fewer than 5000 words: no field overflows)
    last = _NO_HITS  # the hits of the words read of the line the budget ends in
    for f in lines:
        if len(f.words) < budget:
            packed += f.stop_packed
            budget -= len(f.words)
        else:
            last = _stop_hits(f.words[:budget])
            budget = 0
            break
    n = _STOP_LIMIT - budget
    if not n or _cjk_share(text) >= 0.3:
        return None  # unspaced scripts: a "word" is a phrase, rates mean nothing
    best, best_rate = None, 0.0
    for k, hits in enumerate(map(sum, zip(_unpack_hits(packed), last))):
        rate = hits / n
        if rate > best_rate:
            best, best_rate = k, rate
    return best if best_rate >= cfg.min_stopword_rate else None
