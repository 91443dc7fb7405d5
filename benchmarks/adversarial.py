"""Linear time on adversarial strings: every step of cleaners.PIPELINE, plus cleaners.html_extract.

For each pathological input (a unit repeated, e.g. "." * n, "1," * n, one char per line) every PIPELINE step
runs alone on a Document of n, 2n, 4n and 8n characters; the report gives the time at the largest size and
the growth ratio per doubling (geometric mean of t(2n)/t(n), t(4n)/t(2n), t(8n)/t(4n)). Linear time gives
about 2; quadratic gives 4. A ratio above --flag (2.6) with more than --min-ms at the largest size is flagged.
Each step sees the raw input (not the previous step's output), so one slow step cannot hide another.

    .venv/bin/python benchmarks/adversarial.py [--n 20000] [--steps mojibake,spacing] [--inputs dots,pipes]
        [--flag 2.6] [--min-ms 50] [--budget 20] [--json]

Timing is CPU time of the process (time.process_time), the best of --repeat runs (default 3) of each step at each
size: on a shared, busy machine wall time says more about the neighbours than about the step.
Each step/input series runs in a forked child; one not done within --budget seconds is cut off and flagged
(catastrophic backtracking never ends a benchmark run).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing as mp
import time
from typing import Callable


from cleaners import PIPELINE, CleanConfig, Document  # noqa: E402
from cleaners.html_extract import extract_html  # noqa: E402


def _rep(unit: str, tail: str = "") -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n] + tail


WORDS = "the council approved the budget after a long debate "
# name -> text of about n characters
INPUTS: dict[str, Callable[[int], str]] = {
    "a": _rep("a"),
    "dots": _rep("."),
    "pipes": _rep("|"),
    "dashes": _rep("-"),
    "em-dashes": _rep("—"),
    "spaces+x": _rep(" ", "x"),
    "tabs+nbsp": _rep("\t\u00a0"),
    "digit-commas": _rep("1,"),
    "A.": _rep("A."),
    "a.B": _rep("a.Bcde"),
    "word.Word": _rep("word.Word "),
    "word-dash": _rep("word - "),
    "quotes": lambda n: "“" * (n // 2) + "”" * (n // 2),
    "brackets": lambda n: "([{" * (n // 6) + "}])" * (n // 6),
    "ampersands": _rep("&amp"),
    "mojibake": _rep("Ã©â€™"),
    "no-spaces": _rep("abcdefghij"),
    "short-lines": _rep("Hi.\n"),
    "char-lines": _rep("x\n"),
    "blank-lines": _rep("\n \n"),
    "pipes-lines": _rep("| a | b |\n"),
    "title-lines": _rep("Council Approves New Budget\n"),
    "same-line": _rep("The council approved the budget on Tuesday after a long debate.\n"),
    "words": _rep(WORDS),
    "base64": lambda n: __import__("base64").b64encode(__import__("random").Random(0).randbytes(n)).decode()[:n],
    "Words": _rep("The Council Approved The Budget "),
    "invisible": _rep("a\u200b\u00ad"),
    "controls": _rep("a\x00\x01\x1b"),
}
SIZES = (1, 2, 4, 8)


def _html_step(doc: Document, _cfg: CleanConfig) -> Document:
    extract_html(doc.raw)
    return doc


def time_step(step: Callable[[Document, CleanConfig], object], text: str, cfg: CleanConfig, repeat: int) -> float:
    doc = Document.from_text(text)
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        step(doc, cfg)
        best = min(best, time.process_time() - t)
    return best


def _measure(conn, step_name: str, name: str, n: int, repeat: int) -> None:  # noqa: ANN001
    """In a forked child: time one step at n, 2n, 4n, 8n, sending each time as soon as it is known."""
    cfg = CleanConfig()
    step = (dict(PIPELINE) | {"html_extract": _html_step})[step_name]
    for k in SIZES:
        conn.send(time_step(step, INPUTS[name](n * k), cfg, repeat))
    conn.close()


def measure(step_name: str, name: str, n: int, repeat: int, budget: float) -> list[float]:
    """Times at n..8n; a size not finished within ``budget`` seconds (the whole series) is math.inf."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_measure, args=(child, step_name, name, n, repeat))
    proc.start()
    child.close()
    deadline = time.monotonic() + budget
    times: list[float] = []
    while len(times) < len(SIZES):
        left = deadline - time.monotonic()
        if left <= 0 or not parent.poll(left):
            break
        try:
            times.append(parent.recv())
        except EOFError:  # the child died (a crash is reported as a timeout)
            break
    if proc.is_alive():
        proc.kill()
    proc.join()
    return times + [math.inf] * (len(SIZES) - len(times))


def run(
    n: int, steps: list[str], inputs: list[str], repeat: int, flag: float, min_ms: float, budget: float
) -> list[dict]:
    rows = []
    for name in inputs:
        for step_name in steps:
            times = measure(step_name, name, n, repeat, budget)
            done = [t for t in times if t < math.inf]
            ratios = [b / a if a > 0 else 1.0 for a, b in zip(done, done[1:])]
            growth = math.prod(ratios) ** (1 / len(ratios)) if ratios else math.inf
            slow = len(done) < len(times) or (growth > flag and done[-1] * 1000 > min_ms)
            row = {
                "input": name,
                "step": step_name,
                "n": n,
                "times_s": [round(t, 5) if t < math.inf else None for t in times],
                "growth": round(growth, 2) if growth < math.inf else None,
                "flag": slow,
            }
            rows.append(row)
            mark = "  <-- super-linear" if slow else ""
            if len(done) < len(times):
                shown = f"timeout ({budget:.0f} s) at {n * SIZES[len(done)]:>7}, times {[round(t, 3) for t in done]}"
            else:
                shown = f"{done[-1] * 1000:9.1f} ms at {SIZES[-1] * n:>8}  x{growth:4.2f}/doubling"
            print(f"{name:12} {step_name:20} {shown}{mark}", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000, help="smallest size in characters (then 2n, 4n, 8n)")
    ap.add_argument("--steps", default=",".join([s for s, _ in PIPELINE] + ["html_extract"]))
    ap.add_argument("--inputs", default=",".join(INPUTS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--flag", type=float, default=2.6, help="growth per doubling above which a step is flagged")
    ap.add_argument("--min-ms", type=float, default=50.0, help="ignore steps faster than this at 8n")
    ap.add_argument(
        "--budget", type=float, default=20.0, help="seconds for one step's series n..8n before it is cut off"
    )
    ap.add_argument("--json", action="store_true", help="print the rows as JSON at the end")
    args = ap.parse_args()
    rows = run(args.n, args.steps.split(","), args.inputs.split(","), args.repeat, args.flag, args.min_ms, args.budget)
    flagged = [r for r in rows if r["flag"]]
    print(f"\n{len(rows)} step/input pairs, {len(flagged)} super-linear (growth > {args.flag} per doubling)")
    for r in flagged:
        print(f"  {r['step']} on {r['input']}: {r['times_s']} s at n..8n (None: cut off), x{r['growth']}")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
