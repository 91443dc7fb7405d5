"""Characters each rule removed, split into true content and boilerplate, against a truth text.

For benchmark scripts that run ``cleaners.clean`` (or any cleaner) over a dev set whose truth text is known:

    from removed_by_rule import removed_by_rule, format_table
    items = [(cleaners.clean(raw_text), truth_text) for raw_text, truth_text in pages]
    table = removed_by_rule(items)          # {rule: Removed(true_chars, boilerplate_chars, true_lines, ...)}
    print(format_table(table))

What counts: every ``drop`` edit, and the lines a ``replace`` edit removed (lines of ``before`` not in ``after``).
The removed text is split into lines; a line is *true content* when, after NFKC, casefolding and collapsing
whitespace, it equals a line of the truth, or it is at least ``min_substring`` characters long and occurs inside
the truth (a sentence dropped from a paragraph the truth keeps), and the truth holds more copies of it than the
cleaned output kept (so dropping the second copy of a paragraph the truth has once is no loss). Other lines are
boilerplate. Characters are
those of the stripped lines (line breaks and indentation are not counted). A document's edits are counted once
even when article splitting gave several documents the same edit (same rule and raw span). Rejected documents
(``reject`` edits: too short, wrong language) count under ``reject:<reason>`` with the document's text then.

Run as a script, it prints the table of ``cleaners.clean`` over dev sets' raw texts (default: both text sets;
the HTML sets read each page as ``launder clean`` does, text extracted first), optionally for some rules only:

    .venv/bin/python benchmarks/removed_by_rule.py [--set general-web] [--set general-web-html] [--rules passages:] [--examples 5]
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


from cleaners.document import Document  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
TEXT_SETS = ("text-boilerplate", "general-web")
HTML_SETS = ("article-extraction", "general-web-html")
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, casefolded, whitespace collapsed to single spaces, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass
class Removed:
    """Removed characters (and lines) of one rule; ``examples`` holds some true-content lines it removed."""

    true_chars: int = 0
    boilerplate_chars: int = 0
    true_lines: int = 0
    boilerplate_lines: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return self.true_chars + self.boilerplate_chars


class Truth:
    """A truth text prepared for line look-ups: how often a line occurs in it."""

    def __init__(self, text: str, min_substring: int = 25) -> None:
        self.text = normalize(text)
        self.lines = Counter(normalize(x) for x in text.splitlines() if x.strip())
        self.min_substring = min_substring

    def count(self, line: str) -> int:
        n = normalize(line)
        if not n:
            return 0
        if len(n) >= self.min_substring:
            return max(self.text.count(n), self.lines[n])
        return self.lines[n]

    def __contains__(self, line: str) -> bool:
        return self.count(line) > 0


def removed_lines(before: str, after: str, op: str) -> list[str]:
    """The non-empty (stripped) lines an edit removed."""
    lines = [x.strip() for x in before.splitlines() if x.strip()]
    if op == "drop":
        return lines
    kept = {x.strip() for x in after.splitlines()}
    return [x for x in lines if x not in kept]


def removed_by_rule(
    items: Iterable[tuple[Sequence[Document], str]],
    rules: Sequence[str] = (),
    min_substring: int = 25,
    max_examples: int = 10,
) -> dict[str, Removed]:
    """For (documents cleaned from one raw text, its truth text) pairs: characters removed by rule, true vs not.

    ``rules``: count only rules starting with one of these prefixes (all when empty).

    >>> from cleaners.document import Change
    >>> doc = Document.from_text("Home\\nThe storm hit the coast on Monday night.\\nthe storm")
    >>> doc = doc.apply([Change(0, 5, "", "nav", ""), Change(45, 55, "", "cut", "")], step="x")
    >>> t = removed_by_rule([([doc], "The storm hit the coast on Monday night.\\nthe storm")])
    >>> (t["nav"].true_chars, t["nav"].boilerplate_chars, t["cut"].true_chars)
    (0, 4, 9)
    """
    out: dict[str, Removed] = {}
    for docs, truth_text in items:
        truth = Truth(truth_text, min_substring)
        kept = Truth("\n".join(d.text for d in docs if not d.rejected), min_substring)  # what the output holds
        claimed: Counter[str] = Counter()  # removed copies of a line already counted as true content
        seen: set[tuple[str, tuple[int, int], str]] = set()
        for d in docs:
            for e in d.edits:
                if e.op == "reject":
                    rule, lines = (
                        f"reject:{d.rejected or e.rule}",
                        [x.strip() for x in d.text.splitlines() if x.strip()],
                    )
                elif e.op in ("drop", "replace"):
                    rule, lines = e.rule, removed_lines(e.before, e.after, e.op)
                else:
                    continue
                if rules and not rule.startswith(tuple(rules)):
                    continue
                key = (rule, e.raw, e.before)
                if key in seen:
                    continue
                seen.add(key)
                r = out.setdefault(rule, Removed())
                for line in lines:
                    n = normalize(line)
                    # true content: the truth holds more copies of it than the output kept (a removed repeat of a
                    # line the truth has once, and the output still has, is no loss)
                    if truth.count(line) > kept.count(line) + claimed[n]:
                        claimed[n] += 1
                        r.true_chars += len(line)
                        r.true_lines += 1
                        if len(r.examples) < max_examples:
                            r.examples.append(line[:120])
                    else:
                        r.boilerplate_chars += len(line)
                        r.boilerplate_lines += 1
    return out


def format_table(table: dict[str, Removed]) -> str:
    """A markdown table, rules by true content removed (most first)."""
    rows = ["| rule | true content chars (lines) | boilerplate chars (lines) |", "|---|---|---|"]
    for rule, r in sorted(table.items(), key=lambda kv: (-kv[1].true_chars, kv[0])):
        rows.append(
            f"| `{rule}` | {r.true_chars:,} ({r.true_lines}) | {r.boilerplate_chars:,} ({r.boilerplate_lines}) |"
        )
    return "\n".join(rows)


def load_set(name: str) -> list[tuple[str, str, str]]:
    """(id, raw text, truth text) of a text dev set in ../shared/bench/NAME."""
    root = BENCH / name
    return [
        (f.stem, f.read_text("utf-8"), (root / "truth" / f.name).read_text("utf-8"))
        for f in sorted((root / "raw").glob("*.txt"))
        if (root / "truth" / f.name).is_file()
    ]


def load_html_set(name: str) -> list[tuple[str, list[Document], str]]:
    """(id, documents read from the page as ``launder clean`` reads it, truth text) of an HTML dev set.

    The documents are what flows.readers makes of ``html/<id>.html.gz`` (text extracted by cleaners.html_extract),
    not yet cleaned: run them through ``cleaners.clean_document``.
    """
    import json

    from flows.readers import discover, read_documents

    root = BENCH / name
    if (root / "ground-truth.json").is_file():
        truths = {k: v["articleBody"] for k, v in json.loads((root / "ground-truth.json").read_text("utf-8")).items()}
    else:
        truths = {f.stem: f.read_text("utf-8") for f in (root / "truth").glob("*.txt")}
    files, _errors = discover([str(root / "html")])
    out = []
    for f in files:
        page = Path(f.display).name.split(".")[0]
        if page in truths:
            _info, items = read_documents(f)
            out.append((page, [d for d in items if isinstance(d, Document)], truths[page]))
    return sorted(out, key=lambda x: x[0])


def main(argv: list[str] | None = None) -> int:
    import cleaners

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", action="append", choices=TEXT_SETS + HTML_SETS, help="dev set(s); default the text sets")
    ap.add_argument("--rules", action="append", default=[], help="rule name prefix(es) to count")
    ap.add_argument("--examples", type=int, default=0, help="print this many true-content lines per rule")
    args = ap.parse_args(argv)
    for name in args.set or TEXT_SETS:
        if name in HTML_SETS:
            html_pages = load_html_set(name)
            pages = html_pages
            items = (([c for d in docs for c in cleaners.clean_document(d)], truth) for _id, docs, truth in html_pages)
        else:
            text_pages = load_set(name)
            pages = text_pages
            items = ((cleaners.clean(raw), truth) for _id, raw, truth in text_pages)
        table = removed_by_rule(items, args.rules)
        print(f"## {name} ({len(pages)} pages)\n\n{format_table(table)}\n")
        for rule, r in sorted(table.items()):
            for x in r.examples[: args.examples]:
                print(f"   {rule}: {x}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
