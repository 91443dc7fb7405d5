"""Could a part-of-speech tagger tell a cut before a word from a sentence start? (issue 12, deliver item 3)

The fragments that benchmarks/truncation.py cannot catch are mostly "word boundary capitalized": a paragraph cut
before a word, its first letter upper-cased ("Pulled off Steelers quarterback ...", "The company said ..."). They
carry no surface evidence. This script measures what the syntax evidence of a tagger would add: the tags of a
passage's first three words, as the Brill tagger shipped in textblob's wheel gives them (PatternTagger: a lexicon
and contextual rules, no model download), scored by how much more often that tag sequence follows a cut than it
starts a sentence.

- Statistics from one half of the English truth texts of both text dev sets (every second document): the tags at
  the start of each prose paragraph, and at three random word-boundary cuts inside it (capitalized, as
  truncation.py makes its fragments); backed off to shorter tag prefixes below 20 occurrences.
- Evaluated on the other half: 1,500 capitalized word-boundary fragments (truncation.py's generator) against
  every capitalized line of 40 characters or more that ends a sentence (intact paragraph starts). For each share
  of intact starts one would accept to lose, the share of fragments whose score is higher.
- ``--swap`` exchanges the halves.

textblob is not a dependency of launder: ``.venv/bin/pip install textblob==0.20.1`` first (it needs nothing
downloaded at run time).

    .venv/bin/python benchmarks/truncation_tagger.py [--swap]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # truncation, a sibling

from truncation import SETS, TERMINAL, cut_offsets, is_english, is_prose, load_docs  # noqa: E402

K = 3  # tags of the first K words
MIN_COUNT = 20  # back off to a shorter tag prefix below this many occurrences
LOSSES = (0.001, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20)


def capitalized_cut(p: str, rng: random.Random) -> str | None:
    offs = cut_offsets(p, "word-boundary")
    if not offs:
        return None
    cut = p[rng.choice(offs) :]
    return cut[0].upper() + cut[1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--swap", action="store_true", help="statistics from the odd half, evaluation on the even half")
    args = ap.parse_args()
    from textblob.en.taggers import PatternTagger

    tagger = PatternTagger()

    def first_tags(s: str) -> tuple[str, ...]:
        t = [tag for _w, tag in tagger.tag(s[:150])[:K]]
        return tuple(t + ["END"] * (K - len(t)))

    docs = [lines for s in SETS for _i, lines in load_docs(s) if is_english(lines)]
    train, test = (docs[1::2], docs[0::2]) if args.swap else (docs[0::2], docs[1::2])
    starts: list[Counter] = [Counter() for _ in range(K + 1)]
    cuts: list[Counter] = [Counter() for _ in range(K + 1)]
    rng = random.Random(1)
    for lines in train:
        for p in (x.strip() for x in lines if is_prose(x)):
            t = first_tags(p)
            for k in range(1, K + 1):
                starts[k][t[:k]] += 1
            offs = cut_offsets(p, "word-boundary")
            for o in rng.sample(offs, min(3, len(offs))):
                t = first_tags(p[o].upper() + p[o + 1 :])
                for k in range(1, K + 1):
                    cuts[k][t[:k]] += 1
    n_starts, n_cuts = sum(starts[1].values()), sum(cuts[1].values())

    def score(s: str) -> float:
        """log(P(tags | a cut) / P(tags | a sentence start)), from the longest prefix seen often enough."""
        t = first_tags(s)
        for k in range(K, 0, -1):
            a, b = starts[k][t[:k]], cuts[k][t[:k]]
            if a + b >= MIN_COUNT or k == 1:
                return math.log((b + 0.5) / n_cuts) - math.log((a + 0.5) / n_starts)
        raise AssertionError

    rng = random.Random(0)
    with_prose = [lines for lines in test if any(is_prose(x) for x in lines)]
    fragments: list[float] = []
    while len(fragments) < 1500:
        lines = rng.choice(with_prose)
        cut = capitalized_cut(rng.choice([x for x in lines if is_prose(x)]).strip(), rng)
        if cut:
            fragments.append(score(cut))
    intact = [
        score(x.strip())
        for lines in test
        for x in lines
        if x.strip()[:1].isupper() and len(x.strip()) >= 40 and x.strip().endswith(TERMINAL)
    ]
    intact.sort(reverse=True)
    print(f"statistics: {n_starts} paragraph starts, {n_cuts} cuts; evaluated: {len(fragments)} fragments, ", end="")
    print(f"{len(intact)} intact starts")
    print("| intact starts lost | capitalized word-boundary fragments dropped |\n|---|---|")
    for loss in LOSSES:
        threshold = intact[int(loss * len(intact))]
        print(f"| {loss:.1%} | {sum(f > threshold for f in fragments) / len(fragments):.3f} |")


if __name__ == "__main__":
    main()
