"""detect_language: langdetect's answer (seed 0) behind a gate that knows scripts.

>>> doc = detect_language(Document.from_text("The minister said on Tuesday that the talks would go on."), LanguageConfig())
>>> doc.language["code"]
'en'
>>> detect_language(Document.from_text("Hi."), LanguageConfig()).language["code"]
'und'
>>> identify("クロノたちが13年ぶりに再会！", LanguageConfig())[0], identify("一种无形的阴霾突然笼罩在朋友们的心理！", LanguageConfig())[0]
('ja', 'zh')

**Backend.** ``langdetect_rs`` (the package ``langdetect-rs``: a Rust port of langdetect 1.0.9 that gives
the same probabilities to the last bit for the same seed, 30-80x faster) when it can be imported,
``langdetect`` itself otherwise; tests/test_language.py checks that both give the same
``detect_langs`` lists on a few thousand texts in all of langdetect's 55 languages. langdetect's
``zh-cn`` and ``zh-tw`` are reported as ``zh`` (ISO 639-1, as the output contract says).

**Gate** (:func:`evidence`, :func:`identify`). "und" means the text carries too little evidence:

- evidence is counted per script: a Latin, Cyrillic, Greek, Arabic ... letter is 1, a kana 2, a Hangul
  syllable 3, a Han character 4 (one carries about as much as a short word); digits, punctuation,
  URLs and e-mail addresses count nothing;
- a text written mostly (two thirds of its evidence) in a script that only one language uses (Hangul:
  ko, Greek: el, Hebrew: he, Thai: th, Georgian, Armenian, the Indic scripts of one language) or
  in Han and kana (kana: ja; Han alone: zh, or ja with a Japanese form such as 駅 気 図) gets that
  language when it has ``min_script`` evidence
  (2 Han characters, 3 kana, 6 Greek letters), whatever its length and whatever langdetect says;
- in Cyrillic and Arabic script, whose languages differ in their alphabets (Ukrainian і ї є ґ,
  Belarusian ў and no и, Macedonian ѓ ќ ѕ, Serbian ђ ћ, Russian ы э ё; Persian پ چ ژ گ ک ی, Urdu ٹ ڈ ڑ ں ے,
  Arabic ة ي ك ى), a text whose letters only one of them has gets that language (short texts too);
  Belarusian, Serbian and Macedonian are candidates only with a letter of their own (langdetect knows
  no be or sr, and answers mk for short Russian text); when the letters rule langdetect's answer out,
  its next listed candidate answers, else the most written one (ru, uk, bg ...);
  in Latin script the same is done only to correct langdetect between close languages
  (es/pt/ca, cs/sk, sv/da/no, hr/sl, fi/et), and only from words that do not start with a capital
  (names) and when the letters langdetect's answer lacks are at least 1% of the letters;
- otherwise langdetect answers when the text has ``min_words`` words (3) and ``min_chars`` evidence (10),
  or two words with ``two_words_min_chars`` (12: langdetect is right on 76% of such two-word snippets of
  benchmarks/language.py, on 67% of those with 8-11 letters); one word, digits and URLs stay "und".

The probability is langdetect's for its answer; when a script or alphabet rule answers, it is what
langdetect gave the languages of that script together (the rule decides between them), or, when langdetect
knows none of them (Georgian, Armenian), the share of the text's evidence in that script.

**Paragraphs.** ``paragraphs = "flag"`` (the default) notes each paragraph of ``paragraph_min_chars`` or
more whose language differs from the document's with ``paragraph_min_prob``; ``"drop"`` removes them.
A paragraph is first screened with one trial of langdetect's random walk (:func:`one_trial`, about half
the cost of seven); only those it does not give the document's language are identified in full, and
only the full answer flags (tests/test_language.py checks that the screen loses no flag on the seeds,
the sample dump and paragraphs mixed in from other languages).

``backend = "py3langid"`` uses py3langid instead (an optional package with its model inside:
``pip install py3langid``), behind the same gate; see benchmarks/language.py for how they compare.

>>> LanguageConfig(backend="py3langid").backend
'py3langid'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from types import ModuleType
from typing import Any

import numpy as np

from .document import Change, Document
from .steps import StepConfig
from .text import Segment

STEP = "language"
UNDETERMINED = "und"
_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\S*?[^\W\d_]\S*")  # a whitespace-separated token holding a letter
_URL_OR_MAIL = re.compile(r"https?://\S+|www\.\S+|[-_.0-9A-Za-z]+@[-_.0-9A-Za-z]+")

# langdetect's codes that are not ISO 639-1
CODES = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class LanguageConfig(StepConfig):
    seed: int = 0
    min_chars: int = 10  # less evidence than this (letters; a Han character is 4, kana 2, Hangul 3): "und"
    min_words: int = 3  # fewer words than this: "und" (unless the script or its letters decide)
    two_words_min_chars: int = 12  # but two words with this much evidence answer (0: never)
    min_script: int = 6  # evidence a script or alphabet rule needs to answer
    sample_chars: int = 2000  # detect on the first N characters (cost is per character)
    languages: tuple[str, ...] = ()  # when set, reject documents in other languages
    paragraphs: str = "flag"  # "off" | "flag" | "drop": passages in another language
    paragraph_min_chars: int = 120
    paragraph_min_prob: float = 0.95
    backend: str = "langdetect"  # "langdetect" (langdetect_rs when installed) | "py3langid" (optional package)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"language.backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        if self.paragraphs not in ("off", "flag", "drop"):
            raise ValueError(f'language.paragraphs must be "off", "flag" or "drop", not {self.paragraphs!r}')
        if any(c in CODES for c in self.languages):  # "zh-cn" as langdetect names it: "zh"
            object.__setattr__(self, "languages", tuple(CODES.get(c, c) for c in self.languages))


BACKENDS = ("langdetect", "py3langid")


# ---------------------------------------------------------------------------------------------- backend
def langdetect_module(rust: bool = True) -> ModuleType:
    """``langdetect_rs`` when ``rust`` and it is importable, else ``langdetect``."""
    if rust:
        try:
            import langdetect_rs

            return langdetect_rs
        except ImportError:
            pass
    import langdetect

    return langdetect


@lru_cache(maxsize=4)
def _factory(seed: int, rust: bool = True) -> Any:
    """A loaded DetectorFactory of :func:`langdetect_module` whose detectors have ``seed`` (read-only once made)."""
    module = langdetect_module(rust)
    factory = module.DetectorFactory()
    factory.load_profile(module.PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


@lru_cache(maxsize=4)
def _rust_detect_langs(seed: int) -> Any:
    """``text -> [(lang, prob), ...] | None`` straight from langdetect_rs's core (what its own module-level
    ``detect_langs`` calls, without a Detector object per text), or None when it is not there."""
    if langdetect_module().__name__ != "langdetect_rs":
        return None
    try:
        from langdetect_rs._seed import seed_state

        core_detect = _factory(seed)._core.detect_langs
        state = seed_state(seed)
    except (ImportError, AttributeError):  # another langdetect_rs version: its public API below
        return None
    return lambda text: core_detect(text, state)


@lru_cache(maxsize=4)
def _rust_one_trial(seed: int) -> Any:
    """``text -> langdetect's best language after one trial (or None)`` from langdetect_rs's core: the steps of its
    ``Detector`` (append, cleaning_text, _detect_block) with ``n_trial = 1``; None when the core is not there."""
    if langdetect_module().__name__ != "langdetect_rs":
        return None
    try:
        from langdetect_rs import _core
        from langdetect_rs._seed import seed_state

        factory = _factory(seed)
        detect_block, prepare, clean, langs = factory._core.detect_block, _core.prepare, _core.clean, factory.langlist
        state = seed_state(seed)
    except (ImportError, AttributeError):
        return None

    def one_trial(text: str) -> str | None:
        text = prepare(text, 10000)
        cleaned = clean(text)
        prob, error = detect_block(text if cleaned is None else cleaned, 0.5, 1, None, state)
        if error is not None or not prob or max(prob) <= 0.1:
            return None
        return langs[prob.index(max(prob))]

    return one_trial


def one_trial(text: str, seed: int = 0, rust: bool = True) -> str | None:
    """langdetect's best language for ``text`` after a single trial of its random walk instead of seven (about
    half the cost): a screen for paragraphs, whose answer is then confirmed by :func:`identify`. None: no features.

    >>> one_trial("Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie zu verlängern.")
    'de'
    """
    fast = _rust_one_trial(seed) if rust else None
    if fast is not None:
        return fast(text)
    detector = _factory(seed, rust).create()
    detector.n_trial = 1
    detector.append(text)
    try:
        probabilities = detector.get_probabilities()
    except Exception as e:
        if type(e).__name__ == "LangDetectException":
            return None
        raise
    return probabilities[0].lang if probabilities else None


def detect_langs(text: str, seed: int = 0, rust: bool = True) -> list[tuple[str, float]]:
    """langdetect's ``detect_langs`` (languages above 0.1, best first) with ``seed``; [] when the text has no features."""
    fast = _rust_detect_langs(seed) if rust else None
    if fast is not None:
        return fast(text) or []
    detector = _factory(seed, rust).create()
    detector.append(text)
    try:
        return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
    except Exception as e:  # LangDetectException of either package: "No features in text."
        if type(e).__name__ == "LangDetectException":
            return []
        raise


@lru_cache(maxsize=1)
def _py3langid() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        raise RuntimeError(
            'language.backend = "py3langid" needs the optional package py3langid (pip install py3langid)'
        ) from None
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model  # 0.4 / 0.3
    return load(MODEL_FILE, norm_probs=True)


def _ranked(sample: str, cfg: LanguageConfig) -> list[tuple[str, float]]:
    """The backend's (code, probability) list, best first, codes as launder reports them."""
    if cfg.backend == "py3langid":
        ranked = _py3langid().rank(sample)[:5]
        return [(CODES.get(str(c), str(c)), float(p)) for c, p in ranked if p > 0.1] or [
            (str(ranked[0][0]), float(ranked[0][1]))
        ]
    out: list[tuple[str, float]] = []
    for lang, p in detect_langs(sample, cfg.seed):
        lang = CODES.get(lang, lang)
        if out and out[-1][0] == lang == "zh":  # zh-cn and zh-tw both listed
            out[-1] = (lang, out[-1][1] + p)
        else:
            out.append((lang, p))
    return out


# ---------------------------------------------------------------------------------------------- scripts
# (script, weight, Unicode blocks): the letters (str.isalpha) of these blocks; every other letter is "other", weight 1
_SCRIPTS = [
    ("latin", 1, [(0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xBA, 0xBA), (0xC0, 0x24F), (0x1E00, 0x1EFF), (0xFF21, 0xFF5A)]),
    ("cyrillic", 1, [(0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)]),
    ("greek", 1, [(0x370, 0x3FF), (0x1F00, 0x1FFF)]),
    ("arabic", 1, [(0x600, 0x63F), (0x641, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]),
    ("hebrew", 1, [(0x590, 0x5FF), (0xFB1D, 0xFB4F)]),
    ("han", 4, [(0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]),  # and U+20000-U+3134F
    ("kana", 2, [(0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)]),
    ("hangul", 3, [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC)]),
    ("thai", 1, [(0xE00, 0xE7F)]),
    ("georgian", 1, [(0x10A0, 0x10FF), (0x1C90, 0x1CBF)]),
    ("armenian", 1, [(0x530, 0x58F)]),
    ("devanagari", 1, [(0x900, 0x97F)]),
    ("bengali", 1, [(0x980, 0x9FF)]),
    ("gurmukhi", 1, [(0xA00, 0xA7F)]),
    ("gujarati", 1, [(0xA80, 0xAFF)]),
    ("tamil", 1, [(0xB80, 0xBFF)]),
    ("telugu", 1, [(0xC00, 0xC7F)]),
    ("kannada", 1, [(0xC80, 0xCFF)]),
    ("malayalam", 1, [(0xD00, 0xD7F)]),
]  # fmt: skip
_NAMES = ["none", "other"] + [name for name, _, _ in _SCRIPTS]  # index: the value of _SCRIPT_OF
_WEIGHTS = np.array([0, 1] + [w for _, w, _ in _SCRIPTS], dtype=np.int64)


def _script_table() -> np.ndarray:
    """code point (BMP) -> index into _NAMES: 0 for what is not a letter, 1 for letters of no listed script."""
    table = np.array([ch.isalpha() for ch in map(chr, range(0x10000))], dtype=np.uint8)
    for k, (_, _, blocks) in enumerate(_SCRIPTS, start=2):
        for lo, hi in blocks:
            table[lo : hi + 1] *= k
    table.flags.writeable = False
    return table


_SCRIPT_OF = _script_table()
_SCRIPT_CLASS = {
    name: re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in blocks) + "]+")
    for name, _, blocks in _SCRIPTS
}
# the one language of a script (in langdetect's set, or the only one its users write)
_SCRIPT_LANGUAGE = {
    "hangul": "ko", "greek": "el", "hebrew": "he", "thai": "th", "georgian": "ka", "armenian": "hy",
    "bengali": "bn", "gurmukhi": "pa", "gujarati": "gu", "tamil": "ta", "telugu": "te", "kannada": "kn",
    "malayalam": "ml",
}  # fmt: skip
# the languages langdetect may answer for text of a script (their probabilities summed for a rule's answer)
_SCRIPT_GROUP = {
    "han": ("zh", "ja", "ko"), "kana": ("zh", "ja", "ko"), "hangul": ("zh", "ja", "ko"),
    "cyrillic": ("ru", "uk", "bg", "mk"), "arabic": ("ar", "fa", "ur"),
}  # fmt: skip

# Alphabets (lower case) of the languages of a script: a text's letters that only one of them has decide.
# In the order of how much each is written (the answer when the letters rule langdetect's out and it lists no other).
_CYRILLIC = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
}
_ARABIC = {
    "ar": "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي",
    "fa": "ءآأؤئابتثجحخدذرزسشصضطظعغفقلمنهوپچژکگی",
    "ur": "ءآأؤئابتثجحخدذرزسشصضطظعغفقلمنوپچژکگیٹڈڑںھہۃےۓ",
}
# Latin: the letters beyond a-z of close languages langdetect confuses (a group is only used to correct it)
_LATIN_GROUPS = [
    {"es": "áéíóúüñ", "pt": "áâãàçéêíóôõúü", "ca": "àçèéíïòóúüŀ"},
    {"cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž"},
    {"sv": "åäöé", "da": "æøåé", "no": "æøåéèêóôò"},
    {"hr": "čćđšž", "sl": "čšž"},
    {"fi": "äöåšž", "et": "äöõüšž"},
]


def _alphabet_sets(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {lang: frozenset(letters) for lang, letters in table.items()}


_ALPHABETS = {"cyrillic": _alphabet_sets(_CYRILLIC), "arabic": _alphabet_sets(_ARABIC)}
# candidates only when a letter of theirs is in the text: languages langdetect does not know, and Macedonian
# (whose text nearly always has one of these, and which langdetect answers for short Russian text)
_MARKED = {"be": frozenset("ў"), "sr": frozenset("ђћ"), "mk": frozenset("ѓќѕјљњџ")}
_LATIN_SETS = [_alphabet_sets(g) for g in _LATIN_GROUPS]
# Japanese forms of Han characters (shinjitai, kokuji) that Chinese writes otherwise
_JAPANESE_HAN = re.compile(
    "[駅気図売読説経労済総続県払広発変関楽対戦権歳転鉄価両辺伝営険検験沢浜応圧囲悪円込峠畑働様亜児拡]"
)


@dataclass(frozen=True)
class Evidence:
    """What a text carries for language identification: evidence per script, words."""

    scripts: dict[str, int]  # script -> letters x its weight ("other": letters of no listed script)
    words: int  # whitespace-separated tokens holding a letter (counted up to 3)

    @property
    def total(self) -> int:
        return sum(self.scripts.values())

    @property
    def main(self) -> tuple[str | None, int]:
        """The script holding two thirds of the evidence, with its evidence; Han and kana count together,
        as "kana" when a tenth of it is kana (Japanese), else "han". (None, 0) when no script has that."""
        if not self.scripts:
            return None, 0
        total = self.total
        kana = self.scripts.get("kana", 0)
        cjk = self.scripts.get("han", 0) + kana
        if cjk and cjk * 3 >= total * 2:
            return ("kana" if kana * 10 >= cjk else "han"), cjk
        script, e = max(self.scripts.items(), key=lambda kv: kv[1])
        return (script, e) if e * 3 >= total * 2 else (None, 0)


def evidence(text: str) -> Evidence:
    """The evidence of ``text`` (URLs and e-mail addresses left out).

    >>> e = evidence("クロノたちが13年ぶりに再会！ https://example.com")
    >>> sorted(e.scripts.items()), e.main
    ([('han', 12), ('kana', 18)], ('kana', 30))
    >>> evidence("12 345, 6.7%").total, evidence("Über die Brücke, „sagte“ er.").scripts
    (0, {'latin': 20})
    """
    if "@" in text or "http" in text or "www." in text:
        text = _URL_OR_MAIL.sub(" ", text)
    words = len(list(islice(_WORD.finditer(text), 3)))
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if text.isascii():
        ids = _SCRIPT_OF[cps]
    else:
        ids = _SCRIPT_OF[np.minimum(cps, 0xFFFF)]
        if cps.max() > 0xFFFF:  # beyond the BMP: Han extensions, other letters; the rest (emoji) nothing
            ids = ids.copy()
            for i in np.flatnonzero(cps > 0xFFFF).tolist():
                cp = int(cps[i])
                ids[i] = _NAMES.index("han") if 0x20000 <= cp <= 0x3134F else int(chr(cp).isalpha())
    counts = np.bincount(ids, minlength=len(_NAMES)) * _WEIGHTS
    return Evidence({_NAMES[k]: int(counts[k]) for k in np.flatnonzero(counts).tolist()}, words)


def _letter_counts(text: str, script: str) -> dict[str, int]:
    """Lower-case letters of ``script`` in ``text`` (Cyrillic, Arabic; Latin: beyond a-z) with their counts."""
    if script == "arabic":
        text = unicodedata.normalize("NFKC", text)  # presentation forms as their letters
    counts: dict[str, int] = {}
    for run in _SCRIPT_CLASS[script].findall(text.lower()):
        for ch in run:
            counts[ch] = counts.get(ch, 0) + 1
    counts = {ch: n for ch, n in counts.items() if ch.isalpha() and ch != "\u0640"}  # not tatweel
    if script == "latin":
        counts = {ch: n for ch, n in counts.items() if not ch.isascii()}
    return counts


def _by_alphabet(counts: dict[str, int], alphabets: dict[str, frozenset[str]]) -> list[str]:
    """The languages whose alphabet has every letter of ``counts`` (one of _MARKED: and one of its own)."""
    present = counts.keys()
    return [
        lang for lang, alphabet in alphabets.items()
        if alphabet.issuperset(present) and (lang not in _MARKED or not _MARKED[lang].isdisjoint(present))
    ]  # fmt: skip


def _rule(text: str, script: str, ranked: list[tuple[str, float]]) -> tuple[str | None, bool]:
    """(language, decisive): the language the main script or its alphabet gives (see the module's
    docstring), or None; decisive when it answers for short texts too (not a correction of langdetect)."""
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script], True
    if script == "kana":
        return "ja", True
    if script == "han":
        return ("ja" if _JAPANESE_HAN.search(text) else "zh"), True
    top = ranked[0][0]
    if script in _ALPHABETS:
        candidates = _by_alphabet(_letter_counts(text, script), _ALPHABETS[script])
        if len(candidates) == 1:
            return candidates[0], True
        if candidates and top not in candidates:  # the text's letters rule langdetect's answer out
            listed = [lang for lang, _ in ranked if lang in candidates]  # its next best, else the most written
            return (listed[0] if listed else next(lang for lang in _ALPHABETS[script] if lang in candidates)), False
        return None, False
    if script == "latin":
        for group in _LATIN_SETS:
            if top in group:
                # names bring foreign letters: only words that do not start with a capital count
                counts = _letter_counts(" ".join(w for w in text.split() if not w[:1].isupper()), "latin")
                odd = sum(n for ch, n in counts.items() if ch not in group[top])
                if odd and odd * 100 >= len(_LETTERS.findall(text)):  # 1% of the letters or more
                    candidates = _by_alphabet(counts, group)
                    if len(candidates) == 1:
                        return candidates[0], False
                break
    return None, False


def identify(text: str, cfg: LanguageConfig) -> tuple[str, float]:
    """(code, probability) of ``text``; ("und", 0.0) when it carries too little evidence (see the module's docstring).

    >>> cfg = LanguageConfig()
    >>> [identify(t, cfg)[0] for t in ("Вона пішла додому.", "Вир смотрит на меня.", "1234 5678", "Der Stadtrat")]
    ['uk', 'bg', 'und', 'und']
    """
    sample = text[: cfg.sample_chars]
    ev = evidence(sample)
    total = ev.total
    if total < min(cfg.min_script, cfg.min_chars):
        return UNDETERMINED, 0.0
    ranked = _ranked(sample, cfg)
    if not ranked:
        return UNDETERMINED, 0.0
    script, script_evidence = ev.main
    rule, decisive = _rule(sample, script, ranked) if script and script_evidence >= cfg.min_script else (None, False)
    if not decisive and (total < cfg.min_chars or (ev.words < cfg.min_words and script not in _NO_SPACES)):
        if not (ev.words == 2 and cfg.two_words_min_chars and total >= cfg.two_words_min_chars):
            return UNDETERMINED, 0.0
    if rule is None or rule == ranked[0][0]:
        return ranked[0][0], round(ranked[0][1], 4)
    group = _SCRIPT_GROUP.get(script or "") or next((tuple(g) for g in _LATIN_SETS if rule in g), ())
    prob = sum(p for lang, p in ranked if lang in group or lang == rule)
    if not prob:  # langdetect knows no language of the script (Georgian, Armenian): the script's share of the text
        prob = script_evidence / total
    return rule, round(float(prob), 4)


_NO_SPACES = {"han", "kana", "thai"}  # scripts written without spaces between words: no word count


def _long_blocks(text: str, min_chars: int) -> list[Segment]:
    """The blocks of :func:`cleaners.text.iter_blocks` (non-blank lines) of ``min_chars`` or more."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if len(line) >= min_chars and not line.isspace():
            out.append(Segment(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def detect_language(doc: Document, cfg: LanguageConfig) -> Document:
    """Set ``doc.language``; optionally flag or drop passages in another language, or reject the document."""
    if not cfg.enabled:
        return doc
    code, prob = identify(doc.text, cfg)
    doc = doc.with_(language={"code": code, "prob": prob})
    if cfg.languages and code not in cfg.languages and cfg.rule_on("language:not-wanted"):
        return doc.reject(f"wrong-language:{code}", step=STEP, rule="language:not-wanted")
    if cfg.paragraphs == "off" or code == UNDETERMINED:
        return doc
    text = doc.text
    foreign = []
    screen = cfg.backend == "langdetect"
    for block in _long_blocks(text, cfg.paragraph_min_chars):
        if screen and CODES.get(top := one_trial(block.text[: cfg.sample_chars], cfg.seed) or "", top) == code:
            continue  # one trial of langdetect names the document's language: not foreign
        pcode, pprob = identify(block.text, cfg)
        if pcode not in (code, UNDETERMINED) and pprob >= cfg.paragraph_min_prob:
            foreign.append((block, pcode))
    if not foreign:
        return doc
    if cfg.paragraphs == "drop" and cfg.rule_on("language:foreign-passage"):
        changes = [
            Change(b.start, min(b.end + 1, len(text)), "", "language:foreign-passage", f"language {c}")
            for b, c in foreign
        ]
        return doc.apply(changes, step=STEP)
    for b, c in foreign:
        doc = doc.note(b.start, b.end, step=STEP, rule="language:foreign-passage", after=c)
    return doc
