"""Language identification backends: accuracy and speed on sentences and short snippets (issue 6).

    .venv/bin/python benchmarks/language.py [--repeat 3]

Backends (all through ``cleaners.language.identify``, so the same ``min_chars`` rule gives "und"
for texts with fewer than 20 letters):

- ``langdetect``: langdetect itself (``fast = False``), seed 0;
- ``langdetect-fast``: launder's exact copy of langdetect's algorithm (the default);
- ``py3langid``: py3langid with its bundled model, probabilities normalized (optional package,
  ``pip install -e '.[bench]'``).

Labelled texts:

- ``SENTENCES`` below: news-style sentences written for this benchmark by the launder authors
  (not taken from any corpus), 8 per language in 12 languages;
- bench article paragraphs: paragraphs (>= 80 characters) of the 181 article bodies of
  ../shared/bench/text-boilerplate/truth, each labelled with its article's language as every
  backend names it on the whole article (articles where the backends disagree are left out; the
  pages are not all English and carry no label);
- snippets: the first 30 and 60 characters of each written sentence, cut at a word end.

A text counts as correct when the backend's code equals the label; "und" counts as wrong.
Speed is texts per CPU second (``time.process_time``) over ``--repeat`` passes after one warm-up
call; model loading is not counted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Written for this benchmark (news-style sentences, not copied from any source).
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


def snippet(text: str, n: int) -> str:
    """The first ``n`` characters of ``text``, cut back to the end of a word."""
    if len(text) <= n:
        return text
    cut = text[:n]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def labelled_sets() -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {
        "written sentences": [(lang, s) for lang, ss in SENTENCES.items() for s in ss],
        "snippets (<=60 chars)": [(lang, snippet(s, 60)) for lang, ss in SENTENCES.items() for s in ss],
        "snippets (<=30 chars)": [(lang, snippet(s, 30)) for lang, ss in SENTENCES.items() for s in ss],
    }
    return sets


def bench_paragraphs(backends: dict) -> list[tuple[str, str]]:
    """Paragraphs of the bench's article bodies, labelled with their article's language.

    The bench pages are not labelled and not all English; an article's language is taken to be
    the answer every backend gives on its whole text (articles where they disagree are left out),
    so this set measures how each backend does on a paragraph against the whole article's answer.
    """
    from cleaners.language import identify

    out = []
    for f in sorted((SHARED / "bench" / "text-boilerplate" / "truth").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        votes = {identify(text, cfg)[0] for cfg in backends.values()}
        if len(votes) == 1 and "und" not in votes:
            lang = votes.pop()
            out += [(lang, p) for p in text.split("\n") if len(p) >= 80]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from cleaners.language import LanguageConfig, identify

    backends = {
        "langdetect": LanguageConfig(fast=False),
        "langdetect-fast": LanguageConfig(),
    }
    try:
        import py3langid  # noqa: F401

        backends["py3langid"] = LanguageConfig(backend="py3langid")
    except ImportError:
        print("py3langid is not installed: pip install -e '.[bench]'", file=sys.stderr)

    sets = labelled_sets()
    paras = bench_paragraphs({k: v for k, v in backends.items() if k != "langdetect"})
    if paras:
        langs = sorted({lang for lang, _ in paras})
        sets[f"bench article paragraphs ({', '.join(langs)})"] = paras
    print("| set | texts | mean chars | " + " | ".join(f"{b} acc | {b} texts/CPU s" for b in backends) + " |")
    print("|---|---|---|" + "---|---|" * len(backends))
    errors: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, items in sets.items():
        row = [name, str(len(items)), f"{sum(len(t) for _, t in items) / len(items):.0f}"]
        for b, cfg in backends.items():
            identify("Warm up the model with a sentence of plain English text.", cfg)
            start = time.process_time()
            for _ in range(args.repeat):
                got = [identify(t, cfg)[0] for _, t in items]
            cpu = time.process_time() - start
            ok = sum(g == lang for g, (lang, _) in zip(got, items))
            for g, (lang, t) in zip(got, items):
                if g != lang:
                    errors[b][name].append(f"{lang}->{g}")
            row += [f"{ok / len(items):.3f}", f"{len(items) * args.repeat / cpu:.0f}"]
        print("| " + " | ".join(row) + " |")
    print()
    for b, per in errors.items():
        for name, errs in per.items():
            counts: dict[str, int] = defaultdict(int)
            for e in errs:
                counts[e] += 1
            top = ", ".join(f"{e} x{n}" for e, n in sorted(counts.items(), key=lambda kv: -kv[1])[:8])
            print(f"- {b}, {name}: {len(errs)} wrong ({top})")


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    main()
