"""What each speed-up of the cleaners is worth: the CPU the pipeline spends without it (issue 15, item 2).

Each optimization is replaced by the plain code it stands for (the references the tests compare it
with), one at a time, and the cleaning of the same records is timed again, in this process:
``cleaners.clean_document`` on every record plus ``passage_hashes`` on every kept document (what a
shard does per document besides serializing). The cost of removing an optimization is the extra CPU
per record, given as a share of the whole pipeline's CPU per record (``--pipeline-ms``: measured by
``benchmarks/throughput.py run`` on the same dump, launder-1 CPU s / records). Variants run
each right after a baseline run, ``--rounds`` times; the median of the paired differences is
reported, as the machine is shared and its speed drifts.

    .venv/bin/python benchmarks/throughput.py generate --mb 40
    .venv/bin/python benchmarks/speed_layer.py --docs 1000 --rounds 3 --pipeline-ms 3.8
    .venv/bin/python benchmarks/speed_layer.py --only spacing-precheck,mojibake-looks-bad
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' references (tests/ is a package of this checkout)

from cleaners import CleanConfig, Document, clean_document  # noqa: E402
from cleaners.passage_counts import PassageCountsConfig, passage_hashes  # noqa: E402


@contextmanager
def patched(*changes: tuple[Any, str, Any]) -> Iterator[None]:
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in changes]
    try:
        for obj, name, value in changes:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


# ------------------------------------------------------------------ the variants: (what is removed, patches, config)


def v_mojibake_looks_bad():
    """ftfy's is_bad on every line instead of the lines the looks_bad windows find (tests/test_output_unchanged.py)."""
    from cleaners import mojibake

    return patched((mojibake, "_ANCHORS", None)), None


def v_whitespace_pattern():
    from cleaners import whitespace
    from tests import references

    return patched((whitespace, "_PATTERN", references.WHITESPACE_PATTERN)), None


def v_spacing_columns():
    from cleaners import spacing
    from tests import references

    return patched((spacing, "_columns", lambda text, s, e, _mid=None: references.columns(text, s, e))), None


def v_spacing_punct_tokens():
    from cleaners import spacing
    from tests import references

    return patched((spacing, "_punct_tokens", references.punct_tokens)), None


def v_spacing_precheck():
    from cleaners import spacing

    return patched((spacing, "_possible", lambda text, cfg: spacing._ANYTHING)), None


def v_boilerplate_literals():
    """The literal prefilter: every line tried against every phrase rule (``_lowered`` says "unknown")."""
    from cleaners.boilerplate import lines, prefilter

    none = lambda t: None  # noqa: E731
    return patched((prefilter, "_lowered", none), (lines, "_lowered", none)), None


def v_boilerplate_chain():
    """The guarded chain: each rule's plain alternation tried one after the other (no guards, no literals)."""
    from cleaners.boilerplate import prefilter
    from tests.test_boilerplate_fast import ref_chain_rule

    def match(self, t, tl):
        return ref_chain_rule(self, t)

    return patched((prefilter._Chain, "match", match)), None


def v_boilerplate_words():
    from cleaners.boilerplate import lines, patterns

    return patched(
        (lines, "_words", lambda toks: tuple([w.lower() for w in patterns._WORD.findall(" ".join(toks))]))
    ), None


def v_boilerplate_shared_lines():
    """Features of short lines kept across documents (an lru_cache): computed again in every document."""
    from cleaners.boilerplate import lines

    return patched((lines, "_shared_line_features", lines._line_features)), None


def v_passages_candidates():
    from cleaners import passages

    return patched((passages, "_repeat_candidates", lambda text, cfg: set(range(text.count("\n") + 1)))), None


VARIANTS: dict[str, Callable[[], tuple[Any, CleanConfig | None]]] = {
    "mojibake-looks-bad": v_mojibake_looks_bad,
    "whitespace-pattern": v_whitespace_pattern,
    "spacing-columns": v_spacing_columns,
    "spacing-punct-tokens": v_spacing_punct_tokens,
    "spacing-precheck": v_spacing_precheck,
    "boilerplate-literals": v_boilerplate_literals,
    "boilerplate-chain": v_boilerplate_chain,
    "boilerplate-words": v_boilerplate_words,
    "boilerplate-shared-lines": v_boilerplate_shared_lines,
    "passages-candidates": v_passages_candidates,
}


def _clear_caches() -> None:
    from cleaners.boilerplate import lines

    lines._shared_line_features.cache_clear() if hasattr(lines._shared_line_features, "cache_clear") else None


def run_once(texts: list[str], cfg: CleanConfig) -> tuple[float, str]:
    """CPU seconds of cleaning ``texts`` (and hashing the kept documents' passages); a digest of the outputs."""
    import hashlib

    _clear_caches()
    pcfg = PassageCountsConfig()
    digest = hashlib.sha256()
    t = time.process_time()
    for text in texts:
        for d in clean_document(Document.from_text(text), cfg):
            if not d.rejected:
                digest.update(repr(passage_hashes(d.text, pcfg)).encode())
            digest.update(json.dumps(d.to_state(), sort_keys=True, default=str).encode())
    return time.process_time() - t, digest.hexdigest()


def _instructions(args: argparse.Namespace, name: str) -> int:
    import subprocess

    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--dir",
        args.dir,
        "--file",
        args.file,
        "--docs",
        str(args.docs),
        "--one",
        name,
    ]
    err = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", err).group(1))  # type: ignore[union-attr]


def count_instructions(args: argparse.Namespace, names: list[str], n: int) -> None:
    """Each variant's run (and the baseline's) counted in instructions by callgrind, less its own start-up.

    A variant's start-up is counted apart (``startup:NAME``: the imports, and the variant put in place
    without a run), as some variants import a test module that builds its corpus when imported.
    """
    startup = _instructions(args, "startup")
    base = _instructions(args, "baseline") - startup
    print(
        f"{n} records of {args.file}; instructions (callgrind): start-up {startup:,}, baseline run {base:,} "
        f"({base / n / 1e6:.2f} M per record)"
    )
    head = "| optimization removed | extra instructions per record (M) | share of cleaning |"
    head += " share of whole pipeline (scaled by cleaning's CPU share) |" if args.pipeline_ms else ""
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    out = {"records": n, "startup": startup, "baseline": base, "variants": {}}
    for name in names:
        extra = _instructions(args, name) - _instructions(args, f"startup:{name}") - base
        row = f"| {name} | {extra / n / 1e6:+.3f} | {100 * extra / base:+.1f}% |"
        if args.pipeline_ms and args.cleaning_ms:
            row += f" {100 * (extra / base) * args.cleaning_ms / args.pipeline_ms:+.1f}% |"
        print(row, flush=True)
        out["variants"][name] = extra
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/launder-throughput")
    ap.add_argument("--file", default="part-0001.jsonl")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pipeline-ms", type=float, help="whole pipeline's CPU ms per record (throughput.py run)")
    ap.add_argument(
        "--cleaning-ms", type=float, help="with --instructions: the cleaning's CPU ms per record (the baseline's)"
    )
    ap.add_argument("--only", default="", help="comma-separated variant names")
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions under valgrind (callgrind) instead of timing: exact on a shared machine",
    )
    ap.add_argument(
        "--one", help=argparse.SUPPRESS
    )  # (a child of --instructions: run this variant, or "startup", once)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    with open(Path(args.dir) / "dump" / args.file, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.docs), fh)]
    names = [n for n in args.only.split(",") if n] or list(VARIANTS)
    base_cfg = CleanConfig()
    run_once(texts[:50], base_cfg)  # warm up: imports, compiled patterns
    if args.one:
        if args.one == "baseline":
            run_once(texts, base_cfg)
        elif args.one.startswith("startup:"):
            VARIANTS[args.one.split(":", 1)[1]]()  # (its imports, no run)
        elif args.one != "startup":
            ctx, cfg = VARIANTS[args.one]()
            with ctx:
                run_once(texts, cfg or base_cfg)
        return
    if args.instructions:
        return count_instructions(args, names, len(texts))
    # each variant's run follows a baseline run of its own (the machine's speed drifts): its extra CPU is
    # the median over rounds of (variant - the baseline just before it)
    times: dict[str, list[float]] = {"baseline": [], **{n: [] for n in names}}
    deltas: dict[str, list[float]] = {n: [] for n in names}
    digests: dict[str, str] = {}
    for r in range(args.rounds):
        for name in names:
            base_cpu, digests["baseline"] = run_once(texts, base_cfg)
            ctx, cfg = VARIANTS[name]()
            with ctx:
                cpu, dig = run_once(texts, cfg or base_cfg)
            times["baseline"].append(base_cpu)
            times[name].append(cpu)
            deltas[name].append(cpu - base_cpu)
            digests[name] = dig if digests.get(name, dig) == dig else "varies"
            print(f"round {r + 1} {name:30s} {base_cpu:7.2f} -> {cpu:7.2f} s", file=sys.stderr, flush=True)
    base = statistics.median(times["baseline"])
    n = len(texts)
    print(
        f"{n} records of {args.file}, {args.rounds} rounds; baseline median {base:.2f} CPU s "
        f"= {1000 * base / n:.2f} ms per record (min {min(times['baseline']):.2f}, max {max(times['baseline']):.2f})"
    )
    head = (
        "| optimization removed | extra CPU s (median of pairs; min..max) | extra ms per record | share of cleaning |"
    )
    head += " share of whole pipeline |" if args.pipeline_ms else ""
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    out = {"records": n, "baseline": times["baseline"], "variants": {}}
    for name in names:
        d = statistics.median(deltas[name])
        extra = 1000 * d / n
        row = f"| {name} | {d:+.2f} ({min(deltas[name]):+.2f}..{max(deltas[name]):+.2f}) | {extra:+.3f} | {100 * d / base:+.1f}% |"
        if args.pipeline_ms:
            row += f" {100 * extra / args.pipeline_ms:+.1f}% |"
        same = digests[name] == digests["baseline"]
        print(row + ("" if same else " OUTPUT DIFFERS"))
        out["variants"][name] = {"cpu": times[name], "deltas": deltas[name], "same_output": same}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
