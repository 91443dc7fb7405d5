"""Language identification: accuracy per language on short sentences and two-word snippets (issues 6 and 14).

    .venv/bin/python benchmarks/language.py [--per-language] [--errors 10] [--json FILE]

Systems, each on the same texts:

- ``launder``: ``cleaners.language.identify`` with the default configuration (langdetect_rs behind the
  script-aware gate: it may answer "und");
- ``langdetect``: langdetect alone, seed 0, its best language (``zh-cn``/``zh-tw`` read as ``zh``; "und"
  only when it finds no features); langdetect_rs when installed (the same answers), else langdetect;
- ``py3langid``: py3langid alone, its best language (optional package: ``pip install -e '.[bench]'``).

Labelled texts (all built here, nothing downloaded):

- ``written``: benchmarks/data/language-sentences.tsv, 14 sentences in each of 14 languages (en de fr es it
  pt nl pl ru uk ar zh ja ko) written for this benchmark, and the 96 sentences of issue 6 (``SENTENCES``
  below: 8 in each of en de fr es it pt nl sv pl ru tr id). The gate was written with these in view;
- ``bench``: sentences of the five seeds (../shared/seeds) and the dev-set truths
  (../shared/bench/text-boilerplate/truth, ../shared/bench/general-web/truth): each text is labelled with
  the language langdetect and py3langid both give its whole text (texts where they disagree are left
  out), split into sentences (after . ! ? and 。！？), and a sentence is kept when it has 12-150 characters,
  starts with a capital or a letter of a caseless script and ends with a full stop, question or exclamation
  mark (at most 300 per language, taken with a fixed seed). The gate was not tuned on these;
- two-word snippets of every sentence: two consecutive words at a random place (fixed seed), punctuation
  around them stripped; in Chinese and Japanese, written without spaces, four consecutive characters of
  a run of letters.

Scoring. A sentence is right when the answer equals its label; "und" is wrong. For snippets three figures:
accuracy (the same: "und" is wrong), the share answered (not "und") and the accuracy of the answers
(right / answered): "und" is neither right nor wrong there, it is the honest answer where two words
cannot tell. Speed is texts per CPU second (``time.process_time``), model loading not counted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data" / "language-sentences.tsv"
CODES = {"zh-cn": "zh", "zh-tw": "zh"}

# Written for issue 6's benchmark (news-style sentences, not copied from any source).
SENTENCES: dict[str, list[str]] = {
    "en": [
        "The city council voted on Tuesday to extend the tram line to the new hospital.",
        "Officials said the bridge would reopen to traffic by the end of next month.",
        "Heavy rain forced organisers to postpone the marathon for the first time in its history.",
        "The central bank kept interest rates unchanged, citing slowing inflation.",
        "Police are asking witnesses of the collision to come forward.",
        "Farmers warned that the dry summer could cut the harvest by a third.",
        "The museum will open a new wing dedicated to maritime history in spring.",
        "Negotiators from both sides met in Geneva for a second round of talks.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie bis zum neuen Krankenhaus zu verlängern.",
        "Nach Angaben der Behörden soll die Brücke Ende nächsten Monats wieder für den Verkehr freigegeben werden.",
        "Wegen starker Regenfälle mussten die Veranstalter den Marathon zum ersten Mal verschieben.",
        "Die Zentralbank ließ die Leitzinsen unverändert und verwies auf die nachlassende Inflation.",
        "Die Polizei bittet Zeugen des Unfalls, sich zu melden.",
        "Die Landwirte warnen, dass der trockene Sommer die Ernte um ein Drittel verringern könnte.",
        "Das Museum eröffnet im Frühjahr einen neuen Flügel zur Geschichte der Seefahrt.",
        "Unterhändler beider Seiten trafen sich in Genf zu einer zweiten Gesprächsrunde.",
    ],
    "fr": [
        "Le conseil municipal a voté mardi le prolongement de la ligne de tramway jusqu'au nouvel hôpital.",
        "Selon les autorités, le pont devrait rouvrir à la circulation d'ici la fin du mois prochain.",
        "De fortes pluies ont contraint les organisateurs à reporter le marathon pour la première fois.",
        "La banque centrale a maintenu ses taux directeurs, invoquant le ralentissement de l'inflation.",
        "La police lance un appel à témoins après la collision.",
        "Les agriculteurs craignent que l'été sec réduise la récolte d'un tiers.",
        "Le musée ouvrira au printemps une nouvelle aile consacrée à l'histoire maritime.",
        "Les négociateurs des deux camps se sont retrouvés à Genève pour un deuxième cycle de discussions.",
    ],
    "es": [
        "El ayuntamiento aprobó el martes ampliar la línea de tranvía hasta el nuevo hospital.",
        "Según las autoridades, el puente volverá a abrirse al tráfico a finales del mes que viene.",
        "Las fuertes lluvias obligaron a los organizadores a aplazar el maratón por primera vez.",
        "El banco central mantuvo sin cambios los tipos de interés por la moderación de la inflación.",
        "La policía pide a los testigos del accidente que se pongan en contacto con ella.",
        "Los agricultores advierten de que el verano seco podría reducir la cosecha en un tercio.",
        "El museo abrirá en primavera una nueva sala dedicada a la historia marítima.",
        "Los negociadores de ambas partes se reunieron en Ginebra para una segunda ronda de conversaciones.",
    ],
    "it": [
        "Il consiglio comunale ha approvato martedì il prolungamento della linea del tram fino al nuovo ospedale.",
        "Secondo le autorità, il ponte sarà riaperto al traffico entro la fine del mese prossimo.",
        "Le forti piogge hanno costretto gli organizzatori a rinviare la maratona per la prima volta.",
        "La banca centrale ha lasciato invariati i tassi di interesse, citando il rallentamento dell'inflazione.",
        "La polizia chiede ai testimoni dell'incidente di farsi avanti.",
        "Gli agricoltori temono che l'estate secca possa ridurre il raccolto di un terzo.",
        "Il museo aprirà in primavera una nuova ala dedicata alla storia della navigazione.",
        "I negoziatori delle due parti si sono incontrati a Ginevra per un secondo round di colloqui.",
    ],
    "pt": [
        "A câmara municipal aprovou na terça-feira o prolongamento da linha de elétrico até ao novo hospital.",
        "Segundo as autoridades, a ponte deverá reabrir ao trânsito até ao final do próximo mês.",
        "As chuvas fortes obrigaram os organizadores a adiar a maratona pela primeira vez.",
        "O banco central manteve as taxas de juro inalteradas, citando o abrandamento da inflação.",
        "A polícia pede às testemunhas do acidente que se apresentem.",
        "Os agricultores avisam que o verão seco pode reduzir a colheita em um terço.",
        "O museu vai abrir na primavera uma nova ala dedicada à história marítima.",
        "Os negociadores das duas partes reuniram-se em Genebra para uma segunda ronda de conversações.",
    ],
    "nl": [
        "De gemeenteraad heeft dinsdag besloten de tramlijn door te trekken naar het nieuwe ziekenhuis.",
        "Volgens de autoriteiten gaat de brug eind volgende maand weer open voor het verkeer.",
        "Door hevige regen moesten de organisatoren de marathon voor het eerst uitstellen.",
        "De centrale bank hield de rente ongewijzigd en wees op de afnemende inflatie.",
        "De politie vraagt getuigen van de aanrijding zich te melden.",
        "Boeren waarschuwen dat de droge zomer de oogst met een derde kan verminderen.",
        "Het museum opent in het voorjaar een nieuwe vleugel over de geschiedenis van de scheepvaart.",
        "Onderhandelaars van beide kanten kwamen in Genève bijeen voor een tweede gespreksronde.",
    ],
    "sv": [
        "Kommunfullmäktige beslutade i tisdags att förlänga spårvägen till det nya sjukhuset.",
        "Enligt myndigheterna ska bron öppnas för trafik igen i slutet av nästa månad.",
        "Kraftigt regn tvingade arrangörerna att skjuta upp maratonloppet för första gången.",
        "Centralbanken lämnade räntan oförändrad och hänvisade till den avtagande inflationen.",
        "Polisen söker vittnen till kollisionen.",
        "Bönderna varnar för att den torra sommaren kan minska skörden med en tredjedel.",
        "Museet öppnar en ny flygel om sjöfartens historia i vår.",
        "Förhandlare från båda sidor möttes i Genève för en andra förhandlingsrunda.",
    ],
    "pl": [
        "Rada miasta zdecydowała we wtorek o przedłużeniu linii tramwajowej do nowego szpitala.",
        "Według władz most zostanie ponownie otwarty dla ruchu do końca przyszłego miesiąca.",
        "Ulewne deszcze zmusiły organizatorów do przełożenia maratonu po raz pierwszy w historii.",
        "Bank centralny pozostawił stopy procentowe bez zmian, wskazując na spadek inflacji.",
        "Policja prosi świadków zderzenia o kontakt.",
        "Rolnicy ostrzegają, że suche lato może zmniejszyć zbiory o jedną trzecią.",
        "Muzeum otworzy wiosną nowe skrzydło poświęcone historii żeglugi.",
        "Negocjatorzy obu stron spotkali się w Genewie na drugiej rundzie rozmów.",
    ],
    "ru": [
        "Городской совет во вторник проголосовал за продление трамвайной линии до новой больницы.",
        "По словам властей, мост вновь откроют для движения к концу следующего месяца.",
        "Из-за сильных дождей организаторы впервые были вынуждены перенести марафон.",
        "Центральный банк сохранил процентные ставки без изменений, сославшись на замедление инфляции.",
        "Полиция просит свидетелей столкновения откликнуться.",
        "Фермеры предупреждают, что засушливое лето может сократить урожай на треть.",
        "Весной музей откроет новое крыло, посвящённое истории мореплавания.",
        "Переговорщики обеих сторон встретились в Женеве на втором раунде переговоров.",
    ],
    "tr": [
        "Belediye meclisi salı günü tramvay hattının yeni hastaneye kadar uzatılmasına karar verdi.",
        "Yetkililere göre köprü gelecek ayın sonuna kadar yeniden trafiğe açılacak.",
        "Şiddetli yağışlar organizatörleri maratonu ilk kez ertelemek zorunda bıraktı.",
        "Merkez bankası, yavaşlayan enflasyonu gerekçe göstererek faiz oranlarını değiştirmedi.",
        "Polis, kazaya tanık olanların kendisiyle iletişime geçmesini istiyor.",
        "Çiftçiler, kurak geçen yazın hasadı üçte bir oranında azaltabileceği uyarısında bulundu.",
        "Müze ilkbaharda denizcilik tarihine ayrılmış yeni bir bölüm açacak.",
        "İki tarafın müzakerecileri ikinci tur görüşmeler için Cenevre'de bir araya geldi.",
    ],
    "id": [
        "Dewan kota pada hari Selasa memutuskan untuk memperpanjang jalur trem hingga ke rumah sakit baru.",
        "Menurut pihak berwenang, jembatan itu akan dibuka kembali untuk lalu lintas pada akhir bulan depan.",
        "Hujan deras memaksa panitia menunda maraton untuk pertama kalinya.",
        "Bank sentral mempertahankan suku bunga dengan alasan inflasi yang melambat.",
        "Polisi meminta saksi tabrakan itu untuk melapor.",
        "Para petani memperingatkan bahwa musim kemarau dapat mengurangi panen hingga sepertiga.",
        "Museum itu akan membuka sayap baru yang didedikasikan untuk sejarah maritim pada musim semi.",
        "Para perunding dari kedua belah pihak bertemu di Jenewa untuk putaran kedua perundingan.",
    ],
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_CASELESS_START = re.compile(r"[^\W\d_]")
_NO_SPACES = ("zh", "ja")
_PUNCT = "\"'“”‘’«»„()[]{}.,;:!?¿¡…—–-。、！？「」『』（）・"


# ----------------------------------------------------------------------------- systems
def systems() -> dict[str, Callable[[str], str]]:
    from cleaners.language import LanguageConfig, identify

    cfg = LanguageConfig()
    out: dict[str, Callable[[str], str]] = {"launder": lambda t: CODES.get(c := identify(t, cfg)[0], c)}
    try:
        import langdetect_rs as ld
    except ImportError:  # the same answers, slower
        import langdetect as ld  # type: ignore[no-redef]
    factory = ld.DetectorFactory()
    factory.load_profile(ld.PROFILES_DIRECTORY)
    factory.set_seed(0)

    def langdetect_alone(text: str) -> str:
        detector = factory.create()
        detector.append(text)
        try:
            best = detector.get_probabilities()
        except Exception:  # "No features in text."
            return "und"
        return CODES.get(best[0].lang, best[0].lang) if best else "und"

    out["langdetect"] = langdetect_alone
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        out["py3langid"] = lambda t: str(model.classify(t)[0])
    except ImportError:
        print("py3langid is not installed (pip install -e '.[bench]'): left out", file=sys.stderr)
    return out


# ----------------------------------------------------------------------------- texts
def written() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t")
            rows.append((lang, text))
    rows += [(lang, s) for lang, ss in SENTENCES.items() for s in ss]
    return rows


def bench_sentences(
    label: Callable[[str], str | None], per_language: int = 300, seed: int = 0
) -> list[tuple[str, str]]:
    """Sentences of the seeds and the dev-set truths, labelled with their whole text's language."""
    texts = []
    for folder in (
        SHARED / "seeds",
        SHARED / "bench" / "text-boilerplate" / "truth",
        SHARED / "bench" / "general-web" / "truth",
    ):
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))] if folder.exists() else []
    by_lang: dict[str, list[str]] = defaultdict(list)
    seen = set()
    for text in texts:
        lang = label(text)
        if lang is None:
            continue
        for line in text.split("\n"):
            for s in _SENTENCE_END.split(line.strip()):
                s = s.strip()
                if not 12 <= len(s) <= 150 or s in seen or s[-1] not in ".!?。！？":
                    continue
                first = _CASELESS_START.search(s)
                if (
                    not first
                    or first.start() > 2
                    or (first.group().lower() != first.group().upper() and not first.group().isupper())
                ):
                    continue
                seen.add(s)
                by_lang[lang].append(s)
    rng = random.Random(seed)
    out = []
    for lang in sorted(by_lang):
        ss = by_lang[lang]
        out += [(lang, s) for s in (rng.sample(ss, per_language) if len(ss) > per_language else ss)]
    return out


def two_words(lang: str, text: str, rng: random.Random) -> str:
    """Two consecutive words of ``text`` at a random place (four characters of a run of letters in zh, ja)."""
    if lang in _NO_SPACES:
        runs = [r for r in re.findall(r"[^\W\d_]+", text) if len(r) >= 4] or re.findall(r"[^\W\d_]+", text)
        run = rng.choice(runs)
        i = rng.randrange(max(1, len(run) - 3))
        return run[i : i + 4]
    words = [w.strip(_PUNCT) for w in text.split()]
    words = [w for w in words if w]
    if len(words) <= 2:
        return " ".join(words)
    i = rng.randrange(len(words) - 1)
    return " ".join(words[i : i + 2])


# ----------------------------------------------------------------------------- scoring
def score(items: list[tuple[str, str]], answer: Callable[[str], str]) -> tuple[list[str], float]:
    answer("Warm up with a sentence of plain English text.")
    start = time.process_time()
    got = [answer(t) for _, t in items]
    return got, time.process_time() - start


def summary(items: list[tuple[str, str]], got: list[str]) -> dict[str, float]:
    n = len(items)
    right = sum(g == lang for g, (lang, _) in zip(got, items))
    answered = sum(g != "und" for g in got)
    return {
        "n": n,
        "accuracy": right / n,
        "answered": answered / n,
        "answer_accuracy": right / answered if answered else 0.0,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-language", action="store_true", help="a table per set with each language's figures")
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong answers of launder per set")
    ap.add_argument("--json", default=None, help="write the figures (and every answer) to this file")
    ap.add_argument("--languages", default=None, help="only texts of these languages (comma-separated codes)")
    args = ap.parse_args(argv)

    answer = systems()
    names = list(answer)

    def label(text: str) -> str | None:
        votes = {answer[s](text) for s in ("langdetect", "py3langid") if s in answer}
        return votes.pop() if len(votes) == 1 and "und" not in votes else None

    rng = random.Random(0)
    sets: dict[str, list[tuple[str, str]]] = {"written sentences": written(), "bench sentences": bench_sentences(label)}
    sets["written two-word snippets"] = [(lang, two_words(lang, t, rng)) for lang, t in sets["written sentences"]]
    sets["bench two-word snippets"] = [(lang, two_words(lang, t, rng)) for lang, t in sets["bench sentences"]]
    if args.languages:
        keep = set(args.languages.split(","))
        sets = {name: [(lang, t) for lang, t in items if lang in keep] for name, items in sets.items()}

    results: dict[str, dict] = {}
    print("| set | texts | languages | " + " | ".join(f"{s} acc / answered / acc of answers" for s in names) + " | "
          + " | ".join(f"{s} texts/CPU s" for s in names) + " |")  # fmt: skip
    print("|---|---|---|" + "---|" * (2 * len(names)))
    for set_name, items in sets.items():
        res = results[set_name] = {"langs": sorted({lang for lang, _ in items}), "systems": {}}
        cells, speeds = [], []
        for s in names:
            got, cpu = score(items, answer[s])
            figs = summary(items, got)
            per_lang = {}
            for lang in res["langs"]:
                sub = [(i, g) for i, g in zip(items, got) if i[0] == lang]
                per_lang[lang] = summary([i for i, _ in sub], [g for _, g in sub])
            res["systems"][s] = {**figs, "per_language": per_lang, "cpu": cpu, "answers": got}
            cells.append(f"{figs['accuracy']:.3f} / {figs['answered']:.3f} / {figs['answer_accuracy']:.3f}")
            speeds.append(f"{len(items) / cpu:.0f}" if cpu else "-")
        langs = Counter(lang for lang, _ in items)
        print(f"| {set_name} | {len(items)} | {len(langs)} | " + " | ".join(cells) + " | " + " | ".join(speeds) + " |")

    if args.per_language:
        for set_name, res in results.items():
            print(f"\n{set_name}: accuracy (answered, accuracy of answers) per language")
            print("| language | texts | " + " | ".join(names) + " |")
            print("|---|---|" + "---|" * len(names))
            for lang in res["langs"]:
                cells = []
                for s in names:
                    f = res["systems"][s]["per_language"][lang]
                    cells.append(f"{f['accuracy']:.3f} ({f['answered']:.2f}, {f['answer_accuracy']:.3f})")
                print(f"| {lang} | {res['systems'][names[0]]['per_language'][lang]['n']} | " + " | ".join(cells) + " |")
    if args.errors:
        for set_name, items in sets.items():
            got = results[set_name]["systems"]["launder"]["answers"]
            wrong = [(lang, g, t) for (lang, t), g in zip(items, got) if g != lang]
            print(f"\nlaunder, {set_name}: {len(wrong)} not right; " + ", ".join(
                f"{a}->{b} x{n}" for (a, b), n in Counter((want, g) for want, g, _ in wrong).most_common(12)))  # fmt: skip
            for lang, g, t in wrong[: args.errors]:
                print(f"  {lang} -> {g}: {t[:100]}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({k: {**v, "texts": sets[k]} for k, v in results.items()}, ensure_ascii=False, indent=1)
        )


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    main()
