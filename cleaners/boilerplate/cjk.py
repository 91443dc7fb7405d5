"""Unspaced scripts (Chinese, Japanese): a line's length and function words, read per character.

Chinese and Japanese put no spaces between words: a paragraph is one "word" to ``str.split``, the stop-word
lists find nothing in it, and 30 characters of it say what 90 or more of a spaced script say. On a page whose
letters are mostly Han and kana (and that has no stop-word language), a line mostly of those characters is
measured as if each of them were ``cjk_char_length`` characters long, and function characters (particles,
pronouns, the copula: 的 了 是 在, の に は を ...) stand in for stop words: a line holding the ideographic full
stop ``。`` or ``cjk_function_rate`` of them reads like prose. Hangul is spaced (its words are counted as in any
other script) and is left out; every other page and line is read as before.
"""

from __future__ import annotations

import re

from .config import BoilerplateConfig

# runs of Han (with the compatibility block) and kana: the unspaced scripts (not Hangul, which is spaced)
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Function characters: single-character particles, pronouns, the copula, auxiliaries, prepositions and
# conjunctions of Chinese (simplified and traditional forms) and the particles and endings of Japanese written
# in hiragana; what stop-word lists of either language hold as one character.
_FUNCTION_CHARS = frozenset(
    "的了是在我有和就不人都一也很到说說要去你会會着著没沒看好这這那他她它们們个個上中为為以可能而与與及或但因所"
    "于於被把从從对對将將让讓给給已还還又再才只之其此等得地过過吗嗎呢吧啊么麼自后後里裡来來时時如并並即向比更最"
    "每各些什怎样樣哪谁誰"
    "のにはをがでとたしてもなだすまかれるらい"
)
_FUNCTION_CHAR = re.compile("[" + "".join(sorted(_FUNCTION_CHARS)) + "]")


def _han_kana(t: str) -> int:
    """How many characters of ``t`` are Han or kana (summed over runs: quicker than one match per character)."""
    return sum(map(len, _HAN_KANA.findall(t)))


def cjk_page(text: str, cfg: BoilerplateConfig) -> bool:
    """Most letters of the page's start (5,000 characters) are Han or kana."""
    if cfg.cjk_min_share <= 0:
        return False
    sample = text[:5000]
    cjk = _han_kana(sample)
    if not cjk:
        return False
    # (letters are at most the sample's characters: counting them is needed only when that bound does not settle it)
    return cjk >= cfg.cjk_min_share * len(sample) or cjk >= cfg.cjk_min_share * sum(map(str.isalpha, sample))


def cjk_line(t: str, punct: bool, cfg: BoilerplateConfig) -> tuple[int, float]:
    """A line's length as classification and the body's tests read it, and its stand-in for stop-word density.

    A line mostly of Han and kana (half its letters or more) counts each of them ``cjk_char_length`` times, and
    reads like prose when it holds ``。`` or ``cjk_function_rate`` function characters; any other line is
    measured as on any page (its length, and sentence punctuation for function words)."""
    n = _han_kana(t)
    # (letters are at most the line's characters: counting them is needed only when that bound does not settle it)
    if not n or (2 * n < len(t) and 2 * n < sum(map(str.isalpha, t))):
        return len(t), 1.0 if punct else 0.0
    size = len(t) + round((cfg.cjk_char_length - 1) * n)
    # (every function character is Han or kana: counted over the whole line)
    prose = "。" in t or len(_FUNCTION_CHAR.findall(t)) >= cfg.cjk_function_rate * n
    return size, 1.0 if prose else 0.0
