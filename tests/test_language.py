"""language: langdetect_rs gives langdetect's answers; the script-aware gate; per-paragraph language."""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import CleanConfig, Document, clean_document
from cleaners import language
from cleaners.language import LanguageConfig, detect_langs, detect_language, evidence, identify

from .conftest import SHARED

CFG = LanguageConfig()


# ---------------------------------------------------------------------------------------------- backend
def _profiles() -> dict[str, dict[str, int]]:
    import langdetect

    folder = Path(langdetect.__file__).parent / "profiles"
    return {p.name: json.loads(p.read_text(encoding="utf-8"))["freq"] for p in sorted(folder.iterdir())}


def _made_up_words(freq: dict[str, int], rng: random.Random, n: int) -> list[str]:
    """Words drawn letter by letter from a language profile's 3-grams (its spelling, not its vocabulary)."""
    nexts: dict[str, tuple[list[str], list[int]]] = {}
    for gram, count in freq.items():
        if len(gram) == 3:
            chars, weights = nexts.setdefault(gram[:2], ([], []))
            chars.append(gram[2])
            weights.append(count)
    starts = [g for g in nexts if g[0] == " " and g[1] != " "]
    weights = [sum(nexts[g][1]) for g in starts]
    words = []
    while len(words) < n:
        word = rng.choices(starts, weights)[0]
        while word[-1] != " " and len(word) < 14 and word[-2:] in nexts:
            chars, w = nexts[word[-2:]]
            word += rng.choices(chars, w)[0]
        words.append(word.strip())
    return [w for w in words if w]


def _texts_of_all_languages(per_language: int = 40, seed: int = 0) -> list[str]:
    """Made-up texts of 1-60 words in each of langdetect's 55 languages, some with digits, URLs and capitals."""
    rng = random.Random(seed)
    texts = []
    for _lang, freq in _profiles().items():
        vocab = _made_up_words(freq, rng, 400)
        for _ in range(per_language):
            words = rng.sample(vocab, rng.choice([1, 2, 3, 5, 8, 15, 30, 60]))
            r = rng.random()
            if r < 0.1:
                words.insert(0, f"{rng.randrange(10**6)}")
            elif r < 0.15:
                words.append("https://example.com/a?b=c info@example.org")
            elif r < 0.25:
                words = [w.upper() if rng.random() < 0.3 else w.capitalize() for w in words]
            texts.append(" ".join(words) + rng.choice(["", ".", "!", " 2024."]))
    return texts


def _real_texts(n: int = 1200, seed: int = 0) -> list[str]:
    """Slices (5-600 characters) and prefixes of the sample dump, the seeds and the bench article bodies."""
    from .test_output_unchanged import _corpus

    texts = [d.raw for d in _corpus() if d.raw.strip()]
    for folder in (SHARED / "seeds", SHARED / "bench" / "text-boilerplate" / "truth"):
        if folder.exists():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    rng = random.Random(seed)
    out = [t[:2000] for t in texts[:200]]
    while len(out) < n:
        t = rng.choice(texts)
        a = rng.randrange(len(t))
        out.append(t[a : a + rng.randint(5, 600)])
    return out


def _both(text: str) -> tuple[list, list]:
    return detect_langs(text, 0, rust=True), detect_langs(text, 0, rust=False)


def test_backend_is_langdetect_rs():
    assert language.langdetect_module().__name__ == "langdetect_rs"
    assert language.langdetect_module(rust=False).__name__ == "langdetect"


def test_langdetect_rs_equals_langdetect_on_all_languages():
    """Every (language, probability) list, to the last bit, on 2,200 made-up texts of langdetect's 55 languages."""
    texts = _texts_of_all_languages()
    assert len(texts) == 55 * 40
    langs = set()
    for t in texts:
        rs, py = _both(t)
        assert rs == py, t[:80]
        langs.update(lang for lang, _ in rs[:1])
    assert len(langs) >= 50  # the made-up texts reach (almost) every profile


def test_langdetect_rs_equals_langdetect_on_real_text():
    """The same on 1,200 slices of real text (sample dump, seeds, bench article bodies: several languages)."""
    for t in _real_texts():
        rs, py = _both(t)
        assert rs == py, t[:80]


PIECES = [
    "the minister said ", "die Regierung hat ", "и правительство ", "правительство сказало ", "東京都は ", "ABC NEWS ",
    "USA ", "a@b.com ", "write to press@example.org now ", "http://example.com/a?b=c ", "Hà Nội ", "Ha\u0300 No\u0323i ",
    "tho\u0302\u0301ng ", "  ", "\n", "123 ", "’", "— ", "Ελλάδα ", "x", "Q", "é", "\u0301", "ÉTÉ ", "ǅa ", "𝐀𝐁 ", "ıİ ",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_langdetect_rs_equals_langdetect_on_made_up_pieces(text):
    """Corner cases of langdetect's text preparation: URLs, e-mail, Vietnamese marks, capitals, Latin in other scripts."""
    rs, py = _both(text)
    assert rs == py


def _clear_caches():
    language._factory.cache_clear()
    language._rust_detect_langs.cache_clear()


def test_langdetect_fallback_when_langdetect_rs_is_missing(monkeypatch):
    _clear_caches()
    monkeypatch.setitem(sys.modules, "langdetect_rs", None)
    try:
        assert language.langdetect_module().__name__ == "langdetect"
        assert identify("The minister said on Tuesday that the talks would go on.", CFG)[0] == "en"
    finally:
        _clear_caches()


def test_langdetect_rs_public_api_when_its_core_is_not_there(monkeypatch):
    """The Detector object path of langdetect_rs (used if its core's detect_langs moves) gives the same lists."""
    text = "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie zu verlängern."
    want = detect_langs(text)
    monkeypatch.setattr(language, "_rust_detect_langs", lambda seed: None)
    assert language.langdetect_module().__name__ == "langdetect_rs"
    assert detect_langs(text) == want and detect_langs("1234") == []


def test_no_features_is_an_empty_list():
    assert detect_langs("1234 5678 !!!") == [] == detect_langs("1234 5678 !!!", rust=False)


# ---------------------------------------------------------------------------------------------- the gate
@pytest.mark.parametrize(
    "text, code",
    [
        ("一种无形的阴霾突然笼罩在朋友们的心理！", "zh"),  # issue 14: under 20 letters, all "und" before
        ("クロノたちが13年ぶりに再会！", "ja"),
        ("الجواب ـ نعم يجوز ذلك.", "ar"),
        ("The minister said on Tuesday that the talks would go on.", "en"),
        ("Він сказав, що все буде добре.", "uk"),  # і: Ukrainian, whatever langdetect says
        ("Переговоры продолжатся на следующей неделе.", "ru"),
        ("서울시는 월요일 새 계획을 발표했다.", "ko"),
        ("東京駅", "ja"),  # Han only, but Japanese forms
        ("政府发言人", "zh"),
        ("Ελλάδα", "el"),
        ("її мама", "uk"),  # two words, but letters only Ukrainian has
        ("это было", "ru"),
        ("Беларусь і ўрад", "be"),
        ("ђак и ћерка", "sr"),
    ],
)
def test_script_and_alphabet_answers(text, code):
    assert identify(text, CFG)[0] == code


def test_issue_example_russian_gets_an_answer():
    """'Вир смотрит на меня.' (16 letters) is no longer "und": langdetect's answer (bg, its own mistake) is given."""
    code, prob = identify("Вир смотрит на меня.", CFG)
    assert code != "und" and prob > 0.5


@pytest.mark.parametrize(
    "text",
    ["", "Hi.", "1234 5678", "12.5% 3,000", "https://example.com/news/2024/article-1234", "info@example.org",
     "Der Stadtrat", "Bonjour", "це добре", "من هو", "São Paulo", "Вир смотрит", "a b", "中"],
)  # fmt: skip
def test_und_for_digits_urls_and_one_or_two_words(text):
    assert identify(text, CFG) == ("und", 0.0)


def test_two_long_words_answer():
    """Two words answer with 12 letters of evidence (langdetect is right on 76% of such snippets of the bench)."""
    assert identify("Подавать незамедлительно.", CFG)[0] == "ru"
    assert identify("Der Stadtrat", CFG) == ("und", 0.0)  # 11 letters
    assert identify("Подавать незамедлительно.", LanguageConfig(two_words_min_chars=0)) == ("und", 0.0)


def test_macedonian_needs_its_letters():
    """Short Russian text langdetect calls Macedonian, without ј љ њ ќ ѓ ѕ џ: the most written candidate."""
    assert language.detect_langs("После моста поверните налево.")[0][0] == "mk"
    assert identify("После моста поверните налево.", CFG)[0] == "ru"
    assert identify("Владата денеска ја донесе одлуката за новиот закон.", CFG)[0] == "mk"


def test_three_words_with_enough_letters_answer():
    assert identify("Die Polizei ermittelt.", CFG)[0] == "de"
    assert identify("Es ist so.", CFG) == ("und", 0.0)  # 7 letters: too little


def test_evidence_counts_scripts_by_weight():
    e = evidence("東京は晴れ ABC https://example.com/x 123")
    assert e.scripts == {"han": 4 * 3, "kana": 2 * 2, "latin": 3}
    assert e.main == ("kana", 16)  # a tenth or more of the CJK evidence is kana
    assert evidence("Москва Moscow").main == (None, 0)  # no script holds two thirds


def test_latin_letters_correct_close_languages_only_when_frequent():
    # a Spanish sentence with a Portuguese name keeps Spanish: one letter in many is not 1%
    text = "El gobierno anunció ayer que el presidente viajará la próxima semana a la ciudad de São Paulo para una cumbre regional."
    assert identify(text, CFG)[0] == "es"
    # Czech letters (ř, ů, ě) that Slovak lacks decide between the two
    assert language._rule("Přijeli jsme domů a bylo tam mnoho lidí, které jsme neznali.", "latin", [("sk", 0.9)]) == (
        "cs",
        False,
    )
    assert language._rule("Polisen söker vittnen till olyckan.", "latin", [("no", 0.9)]) == ("sv", False)


def test_cyrillic_alphabet_decides_or_defers():
    # Russian with a Ukrainian name: letters of both, no one alphabet has them all: langdetect's answer stays
    text = "Министр заявил, что переговоры в Києві продолжатся на следующей неделе, если стороны согласятся."
    assert identify(text, CFG)[0] == "ru"
    assert language._rule("Этот вопрос обсуждали весь день.", "cyrillic", [("bg", 0.9)]) == ("ru", True)


def test_probability_of_a_rule_answer_is_the_scripts_share():
    code, prob = identify("クロノたちが13年ぶりに再会！", CFG)
    assert code == "ja" and 0.0 < prob <= 1.0
    # langdetect knows no Georgian (it says "et"): the script decides, its share of the text is the probability
    assert language.detect_langs("საქართველოს მთავრობამ განაცხადა")[0][0] == "et"
    assert identify("საქართველოს მთავრობამ განაცხადა", CFG) == ("ka", 1.0)
    code, prob = identify("საქართველოს მთავრობამ განაცხადა ABC", CFG)
    assert code == "ka" and isinstance(prob, float) and prob == round(29 / 32, 4)  # 29 Georgian letters, 3 Latin


def test_langdetect_chinese_codes_become_zh():
    code, prob = identify("中华人民共和国国务院新闻办公室今天举行新闻发布会，介绍经济发展情况。", CFG)
    assert code == "zh" and prob > 0.9
    assert LanguageConfig(languages=("zh-cn", "en")).languages == ("zh", "en")


def test_config_rejects_unknown_paragraph_mode():
    with pytest.raises(ValueError, match="paragraphs"):
        LanguageConfig(paragraphs="yes")


# ---------------------------------------------------------------------------------------------- paragraphs
EN = "The city council voted on Tuesday to extend the tram line to the new hospital, officials said after the meeting."
DE = "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie bis zum neuen Krankenhaus zu verlängern, hieß es am Abend."


def test_paragraphs_flagged_by_default():
    text = "\n".join([EN, EN.replace("city", "town"), DE, EN.replace("Tuesday", "Monday")])
    doc = detect_language(Document.from_text(text), CFG)
    assert doc.language["code"] == "en"
    notes = [e for e in doc.edits if e.rule == "language:foreign-passage"]
    assert len(notes) == 1 and notes[0].op == "note" and notes[0].after == "de" and doc.text == text


def test_paragraphs_drop_and_off():
    text = "\n".join([EN, EN.replace("city", "town"), DE, EN.replace("Tuesday", "Monday")])
    dropped = detect_language(Document.from_text(text), LanguageConfig(paragraphs="drop"))
    assert "Stadtrat" not in dropped.text and dropped.text.count("council") == 3
    off = detect_language(Document.from_text(text), LanguageConfig(paragraphs="off"))
    assert not [e for e in off.edits if e.rule == "language:foreign-passage"]


def test_pipeline_default_flags_a_foreign_paragraph():
    text = "\n\n".join([
        EN,
        "Construction is expected to begin next spring and to last about two years, according to the plans presented to the council.",
        "Residents of the northern districts have waited for a direct connection to the hospital for more than a decade, she added.",
        DE,
        "The project will cost an estimated 80 million euros, most of it paid by the regional government and the national rail fund.",
    ])  # fmt: skip
    cfg = CleanConfig()
    cfg = dataclasses.replace(
        cfg, boilerplate=dataclasses.replace(cfg.boilerplate, enabled=False)
    )  # keeps every paragraph
    (doc,) = clean_document(Document.from_text(text), cfg)
    assert doc.language["code"] == "en" and "Stadtrat" in doc.text
    assert [e.after for e in doc.edits if e.rule == "language:foreign-passage"] == ["de"]


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared/seeds and bench truth texts (absent here)")
def test_paragraph_screen_loses_no_flag(monkeypatch):
    """One trial of langdetect screens paragraphs; the flags equal those of identifying every paragraph in full,
    on the sample dump and the seeds, and on documents with a paragraph of another document (other languages)
    put in."""
    from .test_output_unchanged import _corpus

    docs = [d for d in _corpus() if d.raw.strip()]
    texts = [p.read_text(encoding="utf-8") for folder in (SHARED / "seeds", SHARED / "bench" / "text-boilerplate" / "truth")
             if folder.exists() for p in sorted(folder.glob("*.txt"))]  # fmt: skip
    texts += [d.raw for d in docs]
    paragraphs = [p for t in texts for p in t.split("\n") if len(p) >= CFG.paragraph_min_chars]
    rng = random.Random(0)
    mixed = []
    for t in texts:
        lines = t.split("\n")
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(paragraphs))
        mixed.append("\n".join(lines))
    docs = [Document.from_text(t) for t in texts + mixed]

    def flags() -> list[tuple]:
        return [
            tuple((e.raw, e.after) for e in detect_language(d, CFG).edits if e.rule == "language:foreign-passage")
            for d in docs
        ]

    screened = flags()
    monkeypatch.setattr(language, "one_trial", lambda text, seed=0, rust=True: None)  # every paragraph in full
    full = flags()
    assert sum(map(len, full)) >= 40  # the mixed documents do have foreign paragraphs (47)
    assert screened == full


def test_one_trial_is_langdetects_detector_with_one_trial():
    """The core path of one_trial gives what langdetect_rs's and langdetect's own Detector give with n_trial = 1."""
    for text in _texts_of_all_languages(per_language=4, seed=1) + _real_texts(n=100, seed=1):
        assert language.one_trial(text) == language.one_trial(text, rust=False), text[:80]
    assert language._rust_one_trial(0) is not None  # the core path was the one compared
