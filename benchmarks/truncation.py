"""Truncated-passage benchmark for cleaners.passages.drop_truncated_passages (issue 12, deliver item 3).

The corpus is generated from the truth texts of two dev sets (../shared/bench/text-boilerplate/truth: news;
../shared/bench/general-web/truth: CleanEval and Readability pages of all kinds), with a fixed seed:

- fragments: in each English article, one prose paragraph (>= 120 characters, starting with a capital letter
  or an opening quote, ending in terminal punctuation) loses its start, cut between 10% and 90% of its length;
  the rest of the article stays as it is. Four kinds, in equal numbers (``--per-kind`` articles each, drawn
  with replacement over the articles): **mid-word** (cut inside a word: "ontacted by Reuters."), **mid-word
  capitalized** (the same, first letter upper-cased, as scrapers and title-casers leave it: "Ding former ..."),
  **word-boundary** (cut before a word that does not start a sentence: "the company said ...") and
  **word-boundary capitalized** ("The company said ..."). A cut before a word that starts a sentence leaves
  a complete paragraph, not a fragment, so it is not drawn. Detected: the fragment's line is dropped as
  ``passages:truncated-start``. Intact paragraphs lost in those articles are counted too.
- false positives: every intact truth text of both sets (all pages, English or not) run as is; paragraphs
  (non-empty lines) dropped or trimmed by ``truncated-start`` / ``truncated-end``, and their characters,
  per set.
- cut-end: the last paragraph of an article cut at a random offset must be trimmed (``truncated-end``).
- ``--pipeline``: what the two rules remove through the whole pipeline on the four dev sets (text sets: raw pages
  through ``cleaners.clean``; HTML sets: pages read as ``launder clean`` reads them), true content or not
  (benchmarks/removed_by_rule.py).

    .venv/bin/python benchmarks/truncation.py [--seed 0] [--per-kind 1000] [--json] [--examples 8]
    .venv/bin/python benchmarks/truncation.py --pipeline   # what the rules remove through cleaners.clean on the raw dev sets
    .venv/bin/python benchmarks/truncation.py --build-word-endings   # rebuild cleaners/data/word_endings*.txt
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # removed_by_rule, a sibling

from cleaners.document import Document  # noqa: E402
from cleaners.passages import R_END, R_START, PassagesConfig, drop_truncated_passages  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
SETS = {"news": "text-boilerplate", "general-web": "general-web"}
ENDINGS = Path(__file__).resolve().parents[1] / "cleaners" / "data" / "word_endings.txt"
LOOSE_ENDINGS = ENDINGS.with_name("word_endings_loose.txt")
BEGINNINGS = ENDINGS.with_name("word_beginnings.txt")
TERMINAL = tuple('.!?"”’)')
KINDS = ("mid-word", "mid-word-capitalized", "word-boundary", "word-boundary-capitalized")
_FUNCTION = frozenset("the a an of to in on and or is was for that with it as by are be this from at".split())
_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")


def load_docs(set_name: str) -> list[tuple[str, list[str]]]:
    """(id, lines) of a set's truths; lines as in the file (blank lines kept)."""
    out = []
    for f in sorted((BENCH / SETS[set_name] / "truth").glob("*.txt")):
        lines = f.read_text("utf-8").split("\n")
        if any(x.strip() for x in lines):
            out.append((f.stem, lines))
    return out


def is_english(lines: list[str]) -> bool:
    words = re.findall(r"[a-z]+", " ".join(lines)[:5000].lower())
    return len(words) >= 50 and sum(w in _FUNCTION for w in words) >= 0.15 * len(words)


def is_prose(p: str) -> bool:
    p = p.strip()
    return len(p) >= 120 and p.endswith(TERMINAL) and (p[0].isupper() or p[0] in "\"“‘'«") and not p.startswith("|")


def cut_offsets(p: str, mode: str) -> list[int]:
    """Where a cut of this kind may fall: inside a word, or before a word that does not start a sentence."""
    lo, hi = int(len(p) * 0.1), int(len(p) * 0.9)
    if mode == "mid-word":
        return [i for i in range(max(lo, 1), hi) if p[i - 1].isalpha() and p[i].isalpha()]
    out = []
    for i in range(max(lo, 1), hi):
        if p[i - 1] == " " and p[i].isalpha():
            before = p[:i].rstrip()
            if before and not _SENTENCE_END.search(before) and not before.endswith(":"):
                out.append(i)
    return out


def make_fragment(p: str, kind: str, rng: random.Random) -> str | None:
    offs = cut_offsets(p.strip(), "mid-word" if kind.startswith("mid-word") else "word-boundary")
    if not offs:
        return None
    cut = p.strip()[rng.choice(offs) :]
    if kind.endswith("capitalized"):
        cut = cut[0].upper() + cut[1:]
    return cut


def lost_lines(doc: Document, out: Document) -> list[tuple[str, str, int, str]]:
    """(rule, detail, characters removed, text) of each truncation edit the cleaner made."""
    return [
        (e.rule, e.detail, len(e.before.strip()), e.before.strip())
        for e in out.edits[len(doc.edits) :]
        if e.rule in (R_START, R_END)
    ]


def run_fragments(docs: list[tuple[str, str, list[str]]], seed: int, per_kind: int, n_examples: int) -> dict:
    """Detection on the generated corpus: ``per_kind`` articles per kind, one fragment each."""
    cfg = PassagesConfig()
    rng = random.Random(seed)
    candidates = [(s, i, lines) for s, i, lines in docs if is_english(lines) and any(is_prose(x) for x in lines)]
    words = dictionary_words()
    word_start = {k: [0, 0] for k in ("capitalized word", "other")}  # [cases, detected]
    res = {k: {"cases": 0, "detected": 0, "other_lost": 0, "other_paragraphs": 0} for k in KINDS}
    by_set = {s: {"cases": 0, "detected": 0} for s in SETS}
    missed: dict[str, list[str]] = {k: [] for k in KINDS}
    for kind in KINDS:
        n = 0
        while n < per_kind:
            set_name, _id, lines = rng.choice(candidates)
            idx = [j for j, x in enumerate(lines) if is_prose(x)]
            j = rng.choice(idx)
            cut = make_fragment(lines[j], kind, rng)
            if cut is None:
                continue
            n += 1
            new = lines[:j] + [cut] + lines[j + 1 :]
            doc = Document.from_text("\n".join(new))
            out = drop_truncated_passages(doc, cfg)
            lost = lost_lines(doc, out)
            hit = any(r == R_START and t.startswith(cut[:60].strip()) for r, _d, _c, t in lost)
            r = res[kind]
            r["cases"] += 1
            r["detected"] += hit
            by_set[set_name]["cases"] += 1
            by_set[set_name]["detected"] += hit
            r["other_paragraphs"] += sum(1 for x in new if x.strip()) - 1
            r["other_lost"] += sum(1 for rr, _d, _c, t in lost if not t.startswith(cut[:60].strip()))
            if words:
                m = re.match(r"[^\W\d_]+", cut)
                tok = m.group(0) if m else ""
                ws = word_start["capitalized word" if tok[:1].isupper() and tok.lower() in words else "other"]
                ws[0] += 1
                ws[1] += hit
            if not hit and len(missed[kind]) < n_examples:
                missed[kind].append(f"{_id[:12]}: {cut[:70]}")
    total = sum(r["cases"] for r in res.values())
    detected = sum(r["detected"] for r in res.values())
    return {
        "articles": {s: sum(1 for c in candidates if c[0] == s) for s in SETS},
        "by_kind": {k: {**v, "rate": round(v["detected"] / v["cases"], 3)} for k, v in res.items()},
        "by_set": {
            k: {**v, "rate": round(v["detected"] / v["cases"], 3) if v["cases"] else None} for k, v in by_set.items()
        },
        "overall": {"cases": total, "detected": detected, "rate": round(detected / total, 3)},
        "by_first_word": {k: {"cases": c, "detected": d} for k, (c, d) in word_start.items()} if words else None,
        "other_lost": sum(r["other_lost"] for r in res.values()),
        "other_paragraphs": sum(r["other_paragraphs"] for r in res.values()),
        "missed_examples": missed,
    }


def dictionary_words() -> set[str]:
    """SCOWL's words (lower case), where installed (Debian: wamerican-large, wbritish-large); else empty."""
    out: set[str] = set()
    for path in DICTIONARIES:
        if Path(path).is_file():
            for w in Path(path).read_text("utf-8").split("\n"):
                if w and not (len(w) > 1 and w.isupper()) and not w.endswith("'s"):
                    out.add(w.lower())
    return out


def run_intact(docs: list[tuple[str, str, list[str]]], n_examples: int) -> dict:
    """False positives: intact truths as they are, per set."""
    cfg = PassagesConfig()
    out_: dict[str, dict] = {}
    for set_name in SETS:
        paras = chars = 0
        lost = {R_START: [0, 0], R_END: [0, 0]}
        examples: list[str] = []
        for s, _id, lines in docs:
            if s != set_name:
                continue
            paras += sum(1 for x in lines if x.strip())
            chars += sum(len(x.strip()) for x in lines)
            doc = Document.from_text("\n".join(lines))
            out = drop_truncated_passages(doc, cfg)
            for rule, detail, c, text in lost_lines(doc, out):
                lost[rule][0] += 1
                lost[rule][1] += c
                if len(examples) < n_examples:
                    examples.append(f"{_id[:12]} {rule.split(':')[1]}: {text[:80]} ({detail})")
        n_lost = lost[R_START][0] + lost[R_END][0]
        c_lost = lost[R_START][1] + lost[R_END][1]
        out_[set_name] = {
            "documents": sum(1 for s, *_ in docs if s == set_name),
            "paragraphs": paras,
            "chars": chars,
            "start_paragraphs": lost[R_START][0],
            "start_chars": lost[R_START][1],
            "end_paragraphs": lost[R_END][0],
            "end_chars": lost[R_END][1],
            "lost_paragraph_rate": round(n_lost / paras, 4),
            "lost_char_rate": round(c_lost / chars, 4),
            "examples": examples,
        }
    return out_


def run_cut_end(docs: list[tuple[str, str, list[str]]], seed: int) -> dict:
    cfg = PassagesConfig()
    rng = random.Random(seed + 1)
    cases = detected = 0
    for _s, _id, lines in docs:
        nonblank = [j for j, x in enumerate(lines) if x.strip()]
        if len(nonblank) < 3 or not is_prose(lines[nonblank[-1]]) or not is_english(lines):
            continue
        last = lines[nonblank[-1]].strip()
        offs = cut_offsets(last, "mid-word") + cut_offsets(last, "word-boundary")
        cut = last[: rng.choice(offs)].rstrip()
        if not cut or cut.endswith(TERMINAL):
            continue
        doc = Document.from_text("\n".join(lines[: nonblank[-1]] + [cut]))
        out = drop_truncated_passages(doc, cfg)
        cases += 1
        detected += any(e.rule == R_END for e in out.edits)
    return {"cases": cases, "detected": detected, "rate": round(detected / cases, 3) if cases else None}


def run_pipeline(n_examples: int) -> dict:
    """What truncated-start / truncated-end remove through cleaners.clean on the raw dev sets, true vs not."""
    import cleaners
    from removed_by_rule import load_html_set, load_set, removed_by_rule

    out = {}
    for set_name in ("text-boilerplate", "general-web", "article-extraction", "general-web-html"):
        if set_name.endswith("-html") or set_name == "article-extraction":
            html_pages = load_html_set(set_name)
            items = (([c for d in docs for c in cleaners.clean_document(d)], truth) for _id, docs, truth in html_pages)
        else:
            items = ((cleaners.clean(raw), truth) for _id, raw, truth in load_set(set_name))
        table = removed_by_rule(items, (R_START, R_END))
        out[set_name] = {
            rule: {
                "true_chars": r.true_chars,
                "true_lines": r.true_lines,
                "boilerplate_chars": r.boilerplate_chars,
                "boilerplate_lines": r.boilerplate_lines,
                "true_examples": r.examples[:n_examples],
            }
            for rule, r in sorted(table.items())
        }
    return out


def run(seed: int, per_kind: int, n_examples: int = 8) -> dict:
    docs = [(s, i, lines) for s in SETS for i, lines in load_docs(s)]
    return {
        "seed": seed,
        "fragments": run_fragments(docs, seed, per_kind, n_examples),
        "intact": run_intact(docs, n_examples),
        "cut_end": run_cut_end(docs, seed),
    }


DICTIONARIES = ("/usr/share/dict/american-english-large", "/usr/share/dict/british-english-large")


def build_loose_word_endings(
    top: int = 60000, min_sum: float = 1e-5, max_zipf: float = 4.5, ratio: float = 100.0
) -> int:
    """Rebuild cleaners/data/word_endings_loose.txt from wordfreq (a dev-time dependency only)."""
    from collections import Counter
    from importlib.metadata import version

    import wordfreq  # type: ignore[import-not-found]

    sums: Counter[str] = Counter()
    for w in wordfreq.top_n_list("en", top):
        if w.isalpha() and w.isascii():
            fw = wordfreq.word_frequency(w, "en")
            for k in range(2, min(9, len(w))):
                sums[w[-k:]] += fw
    keep = sorted(
        s
        for s, v in sums.items()
        if v >= min_sum
        and wordfreq.zipf_frequency(s, "en") < max_zipf
        and v >= ratio * max(wordfreq.word_frequency(s, "en"), 1e-9)
    )
    header = f"""# Word endings that are far more common as the tail of an English word than as a word of their own.
# A paragraph whose first token is one of these (e.g. "ding" from "including") likely starts mid-word.
# Derived from wordfreq {version("wordfreq")} (https://github.com/rspeer/wordfreq) English data, which is
# licensed CC BY-SA 4.0 (Robyn Speer et al.); this derived list is shared under the same licence.
# Recipe: over the top {top} English words (alphabetic ASCII), sum the frequencies of the words ending with
# each 2-8 letter ending; keep an ending if that sum >= {min_sum}, its own Zipf frequency < {max_zipf}, and the
# sum >= {ratio:g} x its own frequency. Rebuild: benchmarks/truncation.py --build-word-endings
"""
    LOOSE_ENDINGS.write_text(header + "\n".join(keep) + "\n", "utf-8")
    return len(keep)


def build_word_endings(
    top: int = 100000, min_sum: float = 1e-6, max_zipf: float = 4.5, ratio: float = 100.0, beginnings: bool = False
) -> int:
    """Rebuild cleaners/data/word_endings.txt, or word_beginnings.txt (dev-time dependencies only: wordfreq,
    and SCOWL's word lists).

    SCOWL comes with Debian's ``wamerican-large`` and ``wbritish-large`` packages (``apt-get install``).
    """
    from collections import Counter
    from importlib.metadata import version

    import wordfreq  # type: ignore[import-not-found]

    words: set[str] = set()
    for path in DICTIONARIES:
        for w in Path(path).read_text("utf-8").split("\n"):
            if w and not (len(w) > 1 and w.isupper()) and not w.endswith("'s"):  # acronyms are no words here
                words.add(w.lower())
    sums: Counter[str] = Counter()
    for w in wordfreq.top_n_list("en", top):
        if w.isalpha() and w.isascii():
            fw = wordfreq.word_frequency(w, "en")
            for k in range(2, len(w)):
                sums[w[:k] if beginnings else w[-k:]] += fw
    keep = sorted(
        s
        for s, v in sums.items()
        if v >= min_sum
        and s not in words
        and wordfreq.zipf_frequency(s, "en") < max_zipf
        and v >= ratio * wordfreq.word_frequency(s, "en")
    )
    part, where = ("beginnings", "start") if beginnings else ("endings", "tail")
    use = (
        'A paragraph whose last token is one of these (e.g. "legisla") ends mid-word.'
        if beginnings
        else 'A paragraph whose first token is one of these (e.g. "ncluding", "ontacted") starts mid-word.'
    )
    header = f"""# Word {part} that are no English word, but the {where} of common English words.
# {use}
# Derived from wordfreq {version("wordfreq")} (https://github.com/rspeer/wordfreq) English data, which is
# licensed CC BY-SA 4.0 (Robyn Speer et al.); this derived list is shared under the same licence. Words are
# told from non-words with SCOWL (Spell Checker Oriented Word Lists, Copyright 2000-2011 by Kevin Atkinson,
# as packaged by Debian in wamerican-large and wbritish-large; no SCOWL word is in this list).
# Recipe: over the top {top} English words (alphabetic ASCII), sum the frequencies of the words {"starting" if beginnings else "ending"} with
# each {part[:-1]} of 2 letters or more (shorter than the word); keep it if that sum >= {min_sum:g}, it is no
# word of SCOWL's large lists (in lower case or capitalized; acronyms and possessives left out), its own Zipf
# frequency < {max_zipf}, and the sum >= {ratio:g} x its own frequency. Rebuild: benchmarks/truncation.py
# --build-word-endings
"""
    (BEGINNINGS if beginnings else ENDINGS).write_text(header + "\n".join(keep) + "\n", "utf-8")
    return len(keep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-kind", type=int, default=1000, help="articles (one fragment each) per kind of cut")
    ap.add_argument("--examples", type=int, default=8)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--pipeline", action="store_true", help="run cleaners.clean over the raw dev sets instead")
    ap.add_argument("--build-word-endings", action="store_true")
    args = ap.parse_args(argv)
    if args.build_word_endings:
        print(f"{build_word_endings()} endings written to {ENDINGS}")
        print(f"{build_loose_word_endings()} endings written to {LOOSE_ENDINGS}")
        print(f"{build_word_endings(beginnings=True)} beginnings written to {BEGINNINGS}")
        return 0
    if not BENCH.is_dir():
        print(f"bench not found at {BENCH}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if args.pipeline:
        r = run_pipeline(args.examples)
        if args.json:
            print(json.dumps(r, indent=2, ensure_ascii=False))
            return 0
        for set_name, rules in r.items():
            if not rules:
                print(f"{set_name}: nothing removed by {R_START} or {R_END}")
            for rule, v in rules.items():
                print(
                    f"{set_name} {rule}: true content {v['true_chars']:,} chars ({v['true_lines']} lines), "
                    f"boilerplate {v['boilerplate_chars']:,} chars ({v['boilerplate_lines']} lines)"
                )
                for x in v["true_examples"]:
                    print(f"   true: {x}")
        print(f"({time.perf_counter() - t0:.1f} s)")
        return 0
    r = run(args.seed, args.per_kind, args.examples)
    r["seconds"] = round(time.perf_counter() - t0, 2)
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
        return 0
    f = r["fragments"]
    print(f"fragment corpus: {f['articles']} English articles with a prose paragraph, seed {r['seed']}")
    for k, v in f["by_kind"].items():
        print(f"{k}: {v['detected']}/{v['cases']} dropped ({v['rate']})")
        for m in f["missed_examples"][k]:
            print(f"   missed {m}")
    for k, v in f["by_set"].items():
        print(f"  {k}: {v['detected']}/{v['cases']} ({v['rate']})")
    if f["by_first_word"]:
        for k, v in f["by_first_word"].items():
            what = "starting with a capitalized English word (in SCOWL)" if k != "other" else "all other fragments"
            print(f"  {what}: {v['detected']}/{v['cases']} ({v['detected'] / max(v['cases'], 1):.3f})")
    o = f["overall"]
    print(
        f"overall: {o['detected']}/{o['cases']} fragments dropped ({o['rate']}); "
        f"intact paragraphs lost in those articles: {f['other_lost']}/{f['other_paragraphs']}"
    )
    for set_name, v in r["intact"].items():
        print(
            f"intact {set_name} ({v['documents']} texts): {v['start_paragraphs']} + {v['end_paragraphs']} of "
            f"{v['paragraphs']} paragraphs lost to truncated-start + truncated-end ({v['lost_paragraph_rate']:.2%}); "
            f"{v['start_chars'] + v['end_chars']:,} of {v['chars']:,} chars ({v['lost_char_rate']:.2%})"
        )
        for e in v["examples"]:
            print(f"   {e}")
    c = r["cut_end"]
    print(f"cut-end: {c['detected']}/{c['cases']} trimmed ({c['rate']})")
    print(f"({r['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
