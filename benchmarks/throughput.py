"""End-to-end throughput of `launder clean` against a floor and a peer pipeline (issue 6).

    .venv/bin/python benchmarks/throughput.py generate [--mb 200] [--dir /tmp/launder-throughput]
    .venv/bin/python benchmarks/throughput.py run [--dir ...] [--files N] [--workers 1,2] [--skip floor,launder,datatrove,...]
    .venv/bin/python benchmarks/throughput.py profile [--dir ...] [--docs 2000]
    .venv/bin/python benchmarks/throughput.py steps [--dir ...] [--file part-0010.jsonl] [--docs 500]

``generate`` writes a dump of news-like text built from text found locally (../shared/seeds, the 181
article bodies and whole-page texts of ../shared/bench/text-boilerplate, the sample dump raw/articles).
Each document takes the layout of one of these texts (its headings, navigation and other boilerplate
lines, tables) with every prose paragraph replaced by new sentences drawn from all texts of the same
language (4% of words varied), so documents are distinct like a real dump's; then the seeds' defect
mix is added at random (fixed seed): mojibake lines (UTF-8 read as cp1252), HTML entities,
dash-separator tables, paragraphs repeated, paragraphs cut at the start or end, missing spaces after
commas and full stops, boilerplate lines, several articles in one record, exact duplicates (3%) and
near duplicates (4%: a few words changed or the end cut). Output: JSONL files of about 8 MB
(``{"id", "text"}``) under ``DIR/dump``.

``run`` measures, back to back on the same files (the first ``--files`` of the dump, all by default):

- ``floor``: this script's :func:`floor` in a child process: read the JSONL, ``ftfy.fix_text`` (default
  configuration) on each text and langdetect (seed 0) on its first 500 characters; one core.
- ``launder-N``: ``launder clean DUMP -o OUT --workers N`` (temporary Prefect server unless
  ``PREFECT_API_URL`` is set); with ``--server running`` the script first starts ``prefect server
  start`` on loopback (as scheduled runs have it) and adds to each launder run's CPU what the
  server spent during that run (``server_cpu``);
- ``shard-cpu``: the same shards cleaned by ``flows.shard.clean_shard_files`` in one plain process
  (no Prefect, no dedup, no writing of outputs): the cleaning's own CPU, to set against launder-1's;
- ``datatrove-N``: JsonlReader -> FTFYFormatter -> C4QualityFilter -> GopherRepetitionFilter ->
  JsonlWriter on N local workers (no language filter: its model cannot be downloaded here).

Every run is a child process: wall time, CPU seconds of it and all its descendants (process-pool
workers included: see benchmarks/proc_tree.py) and peak memory (the sum of RSS over its process
tree, sampled every 0.2 s from /proc). The load average before and after each run is printed too: the
machine's cores are shared with other jobs, so CPU seconds are the steadier figure.
Prints a Markdown table; ``--json FILE`` stores the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BIN = Path(sys.executable).parent
DEFAULT_DIR = Path(tempfile.gettempdir()) / "launder-throughput"
FILE_BYTES = 8 * 2**20


# ----------------------------------------------------------------------------- the dump
def _base_texts() -> list[str]:
    texts: list[str] = []
    for pattern in ("seeds/*.txt", "bench/text-boilerplate/truth/*.txt", "bench/text-boilerplate/raw/*.txt"):
        texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED.glob(pattern))]
    texts += [
        p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "raw" / "articles").glob("*.txt"))
    ]
    texts = [t for t in texts if len(t.strip()) > 200]
    if not texts:
        raise SystemExit(f"no base texts found under {SHARED}")
    return texts


def _mojibake(line: str) -> str:
    try:
        return line.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return line


def _vary_words(text: str, rng: random.Random, vocab: list[str], rate: float) -> str:
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        for i, w in enumerate(words):
            if w.isalpha() and w.islower() and len(w) > 3 and rng.random() < rate:
                words[i] = rng.choice(vocab)
        lines.append(" ".join(words))
    return "\n".join(lines)


def _defects(text: str, rng: random.Random, pool: list[str]) -> str:
    paras = [p for p in text.split("\n")]
    prose = [i for i, p in enumerate(paras) if len(p) > 120]
    if prose and rng.random() < 0.10:  # mojibake: a few lines read as cp1252
        for i in rng.sample(prose, k=min(len(prose), rng.randint(1, 3))):
            paras[i] = _mojibake(paras[i])
    if prose and rng.random() < 0.04:  # HTML entities
        i = rng.choice(prose)
        paras[i] = paras[i].replace("’", "&rsquo;").replace(" & ", " &amp; ").replace("“", "&ldquo;")
    if rng.random() < 0.06:  # a table with dash separators and ragged rows
        rows = ["Region | Votes | Share", "————|————|————"]
        rows += [
            f"{rng.choice(pool).split(' ')[0][:12]} | {rng.randint(100, 99999)} | {rng.randint(1, 99)}%"
            for _ in range(rng.randint(2, 6))
        ]
        paras.insert(rng.randint(0, len(paras)), "\n".join(rows))
    if prose and rng.random() < 0.12:  # a paragraph repeated further down
        i = rng.choice(prose)
        paras.insert(rng.randint(i + 1, len(paras)), paras[i])
    if prose and rng.random() < 0.10:  # a paragraph starting mid-word (the scraper cut it)
        i = rng.choice(prose)
        cut = rng.randint(len(paras[i]) // 5, len(paras[i]) // 2)
        paras.insert(i, paras[i][cut:])
    if prose and rng.random() < 0.10:  # the last paragraph cut mid-sentence
        p = rng.choice(pool)
        paras.append(p[: rng.randint(len(p) // 3, max(len(p) // 3 + 1, len(p) - 20))].rstrip(".!? "))
    if prose and rng.random() < 0.12:  # missing spaces after commas and full stops
        i = rng.choice(prose)
        paras[i] = paras[i].replace(", ", ",", 2).replace(". ", ".", 1)
    if rng.random() < 0.08:  # boilerplate lines
        chrome = [
            "Share this article",
            "Sign up for our newsletter",
            "Advertisement",
            "Related Posts",
            "Leave a comment",
            "Share your thoughts in the comments below.",
            "Follow us on Twitter",
        ]
        for _ in range(rng.randint(1, 3)):
            paras.insert(rng.choice([0, len(paras)]), rng.choice(chrome))
    return "\n".join(paras)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def _sentence_pools(bases: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Each base text's language (langdetect on its start) and every language's pool of sentences."""
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    langs, pools = [], {}
    for t in bases:
        lang = detect(t[:2000])
        langs.append(lang)
        for para in t.split("\n"):
            if len(para) > 120:
                pools.setdefault(lang, []).extend(s for s in _SENTENCE_END.split(para) if len(s) > 30)
    return langs, pools


def _new_article(base: str, lang: str, pools: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    """The base text's layout (headings, boilerplate, tables, short lines) with every prose paragraph
    replaced by a new one of about the same length: sentences drawn from all texts in its language."""
    pool = pools.get(lang) or pools["en"]
    out = []
    for para in base.split("\n"):
        if len(para) <= 120 or "|" in para:
            out.append(para)
            continue
        sents: list[str] = []
        while sum(map(len, sents)) < len(para) * rng.uniform(0.7, 1.3):
            sents.append(rng.choice(pool))
        out.append(" ".join(sents))
    return _vary_words("\n".join(out), rng, vocab, 0.04)


def generate(out_dir: Path, mb: float, seed: int = 0) -> Path:
    """Write the dump (JSONL files of about 8 MB) under out_dir/dump; returns that directory."""
    rng = random.Random(seed)
    bases = _base_texts()
    langs, pools = _sentence_pools(bases)
    vocab = sorted({w for t in bases for w in t.split() if w.isalpha() and w.islower() and 4 < len(w) < 12})
    pool = [p for t in bases for p in t.split("\n") if len(p) > 120]
    dump = out_dir / "dump"
    if dump.exists():
        shutil.rmtree(dump)
    dump.mkdir(parents=True)
    target = int(mb * 1e6)
    written = n = 0
    recent: list[str] = []
    fh = None
    part = 0
    while written < target:
        if fh is None or fh.tell() >= FILE_BYTES:
            if fh:
                fh.close()
            fh = open(dump / f"part-{part:04d}.jsonl", "w", encoding="utf-8")
            part += 1
        r = rng.random()
        if recent and r < 0.03:  # exact duplicate of a recent document
            text = rng.choice(recent)
        elif recent and r < 0.07:  # near duplicate: a few words changed, or the end cut
            text = rng.choice(recent)
            if rng.random() < 0.5:
                text = _vary_words(text, rng, vocab, 0.03)
            else:
                text = text[: int(len(text) * rng.uniform(0.75, 0.9))]
        else:
            k = 1 if rng.random() > 0.05 else rng.randint(2, 3)  # several articles in one record
            picks = [rng.randrange(len(bases)) for _ in range(k)]
            text = "\n\n".join(_new_article(bases[i], langs[i], pools, rng, vocab) for i in picks)
            text = _defects(text, rng, pool)
        recent = (recent + [text])[-200:]
        line = json.dumps({"id": f"doc-{n:07d}", "text": text}, ensure_ascii=False) + "\n"
        fh.write(line)
        written += len(line.encode("utf-8"))
        n += 1
    if fh:
        fh.close()
    (out_dir / "dump.json").write_text(json.dumps({"documents": n, "bytes": written, "files": part, "seed": seed}))
    print(f"wrote {n} documents, {written / 1e6:.1f} MB in {part} files under {dump}")
    return dump


# ----------------------------------------------------------------------------- the floor
def floor(files: list[str]) -> dict[str, Any]:
    """The required libraries' own cost: ftfy.fix_text on each text, langdetect on its first 500 chars."""
    import ftfy
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    docs = chars = 0
    langs: dict[str, int] = {}
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"]
                fixed = ftfy.fix_text(text)
                try:
                    code = detect(fixed[:500])
                except LangDetectException:
                    code = "und"
                langs[code] = langs.get(code, 0) + 1
                docs += 1
                chars += len(fixed)
    return {"documents": docs, "chars": chars, "languages": langs}


# ----------------------------------------------------------------------------- datatrove
def datatrove(files: list[str], out: str, workers: int) -> dict[str, Any]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import C4QualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.formatters import FTFYFormatter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    src = Path(out) / "input"
    src.mkdir(parents=True, exist_ok=True)
    for f in files:  # the reader takes a folder: link the chosen files into one
        os.symlink(f, src / Path(f).name)
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(src), glob_pattern="*.jsonl", id_key="id"),
            FTFYFormatter(),
            C4QualityFilter(),
            GopherRepetitionFilter(),
            JsonlWriter(str(Path(out) / "output")),
        ],
        tasks=len(files),
        workers=workers,
        logging_dir=str(Path(out) / "logs"),
    )
    executor.run()
    kept = 0
    for p in (Path(out) / "output").glob("*.jsonl*"):
        import gzip

        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rt", encoding="utf-8") as fh:
            kept += sum(1 for _ in fh)
    return {"kept": kept}


# ----------------------------------------------------------------------------- measuring
def _child(kind: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "_child", kind, *args]


def shard_cpu(files: list[str], work: str) -> dict[str, Any]:
    """Clean the same shards with flows.shard.clean_shard_files in this process (no Prefect); CPU seconds."""
    from cleaners import CleanConfig
    from flows.readers import discover
    from flows.shard import clean_shard_files, make_shards

    found, _ = discover(files)
    shards = make_shards(list(enumerate(found)), 8 * 2**20)
    cfg = CleanConfig()
    per = []
    docs = 0
    for s in shards:
        t = time.process_time()
        summary = clean_shard_files(s, work, cfg)
        per.append(time.process_time() - t)
        docs += len(summary.docs)
    return {"shards": len(shards), "shard_cpu": per, "documents_out": docs}


def run(args: argparse.Namespace) -> None:
    dump = Path(args.dir) / "dump"
    files = sorted(str(p) for p in dump.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no dump under {dump}: run `generate` first")
    if args.files:
        files = files[: args.files]
    size = sum(os.path.getsize(f) for f in files)
    docs = sum(1 for f in files for _ in open(f, encoding="utf-8"))
    skip = set(filter(None, args.skip.split(",")))
    scratch = Path(args.dir) / f"runs-{args.tag}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    sel = scratch / "input"
    sel.mkdir()
    for f in files:
        os.symlink(f, sel / Path(f).name)
    env = {
        **os.environ,
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    results: dict[str, Any] = {
        "files": len(files),
        "bytes": size,
        "documents": docs,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "runs": {},
    }
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {docs} documents; load average {os.getloadavg()}", flush=True)
    workers = [int(w) for w in args.workers.split(",")]
    plan: list[tuple[str, list[str]]] = []
    if "floor" not in skip:
        plan.append(("floor", _child("floor", *files)))
    nonear = scratch / "no-near-dup.toml"
    nonear.write_text("[dedup.near]\nenabled = false\n")
    for w in workers:
        if "launder" not in skip:
            variants = [("", args.config)] + ([("-nonear", str(nonear))] if args.no_near_dup else [])
            for suffix, config in variants:
                out = scratch / f"launder-{w}{suffix}"
                cmd = [
                    str(BIN / "launder"),
                    "clean",
                    str(sel),
                    "-o",
                    str(out),
                    "--workers",
                    str(w),
                    "--follow-symlinks",
                ]  # links out of sel/
                if config:
                    cmd += ["--config", config]
                plan.append((f"launder-{w}{suffix}", cmd))
    if "shard-cpu" not in skip:
        plan.append(("shard-cpu", _child("shard-cpu", str(scratch / "shard-work"), *files)))
    for w in workers:
        if "datatrove" not in skip:
            plan.append((f"datatrove-{w}", _child("datatrove", str(scratch / f"datatrove-{w}"), str(w), *files)))
    results["plan"] = [[name, " ".join(cmd)] for name, cmd in plan]
    server = _start_server(scratch, env) if args.server == "running" else None
    if server:
        env = {**env, "PREFECT_API_URL": server[1]}
        results["server"] = server[1]
    # imported here, by its path: benchmarks/ is not on sys.path in children (datatrove's forkserver
    # workers import this module as __main__, and must not need it)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from proc_tree import measure
    finally:
        del sys.path[0]
    try:
        _measure_plan(plan, env, server, scratch, results, measure)
    finally:
        if server:
            server[0].terminate()
            server[0].wait(30)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(table(results))


def _start_server(scratch: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME; (process, API URL) once healthy."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = scratch / "prefect-home"
    home.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "PREFECT_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health", timeout=2).read()
            print(f"prefect server running at {url} (pid {proc.pid})", flush=True)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("prefect server start exited") from None
            time.sleep(1)
    proc.terminate()
    raise SystemExit("prefect server did not answer in 180 s")


def _server_cpu(server: tuple[subprocess.Popen, str] | None) -> float:
    if server is None:
        return 0.0
    from proc_tree import tree

    return sum(cpu for _rss, cpu in tree(server[0].pid).values())


def _measure_plan(
    plan: list[tuple[str, list[str]]],
    env: dict[str, str],
    server: Any,
    scratch: Path,
    results: dict[str, Any],
    measure: Any,
) -> None:
    for name, cmd in plan:
        server_before = _server_cpu(server)
        r = measure(cmd, env)
        if server and name.startswith("launder"):
            r["server_cpu"] = _server_cpu(server) - server_before
            r["cpu"] += r["server_cpu"]
        try:
            r["result"] = json.loads(r.pop("stdout").strip().splitlines()[-1])
        except (ValueError, IndexError):
            r["result"] = None
        if name.startswith("launder"):
            manifest = json.loads((scratch / name / "manifest.json").read_text())
            r["result"] = manifest["totals"]
        results["runs"][name] = r
        print(
            f"{name}: wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s (server {r.get('server_cpu', 0):.1f}), peak {r['peak_tree_mb']:.0f} MB "
            f"(load {r['load_before']:.1f} -> {r['load_after']:.1f}) {json.dumps(r['result'])[:300]}",
            flush=True,
        )


def table(res: dict[str, Any]) -> str:
    mb, docs = res["bytes"] / 1e6, res["documents"]
    runs = res["runs"]
    lines = [
        f"{res['files']} files, {mb:.1f} MB, {docs} documents, {res['date']}",
        "",
        "| run | workers | wall s | CPU s | MB/s wall | docs/s wall | docs per CPU s | MB per CPU s | peak RSS MB (tree) | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in runs.items():
        w = next((p for p in name.split("-")[1:] if p.isdigit()), "1")
        lines.append(
            f"| {name} | {w} | {r['wall']:.1f} | {r['cpu']:.1f} | {mb / r['wall']:.2f} | {docs / r['wall']:.1f} | "
            f"{docs / r['cpu']:.1f} | {mb / r['cpu']:.3f} | {r['peak_tree_mb']:.0f} | {r['load_before']:.1f}-{r['load_after']:.1f} |"
        )
    lines.append("")
    f = runs.get("floor")
    for name in [n for n in runs if n.startswith("launder")]:
        r = runs[name]
        if f:
            lines.append(f"- {name} / floor: CPU {r['cpu'] / f['cpu']:.2f}x, wall {r['wall'] / f['wall']:.2f}x")
        for d in [n for n in runs if n.startswith("datatrove")]:
            lines.append(
                f"- {name} vs {d}: docs/s wall {runs[d]['wall'] / r['wall']:.2f}x, docs per CPU s {runs[d]['cpu'] / r['cpu']:.2f}x"
            )
    if "launder-1" in runs and "launder-2" in runs:
        lines.append(f"- speed-up 1 -> 2 workers (wall): {runs['launder-1']['wall'] / runs['launder-2']['wall']:.2f}x")
    sc = runs.get("shard-cpu")
    if sc and sc.get("result") and "launder-1" in runs:
        clean = sum(sc["result"]["shard_cpu"])
        lines.append(
            f"- cleaning (clean_shard_files, no Prefect) {clean:.1f} CPU s = {100 * clean / runs['launder-1']['cpu']:.0f}% of launder-1's CPU; "
            f"the rest ({runs['launder-1']['cpu'] - clean:.1f} s) is Prefect, its server, dedup and writing"
        )
    return "\n".join(lines)


def profile(args: argparse.Namespace) -> None:
    """pyinstrument over cleaners.clean_document on the first --docs documents of the dump (in process)."""
    from pyinstrument import Profiler

    from cleaners import CleanConfig, Document, clean_document

    dump = Path(args.dir) / "dump"
    texts = []
    with open(sorted(dump.glob("*.jsonl"))[0], encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= args.docs:
                break
    cfg = CleanConfig()
    clean_document(Document.from_text("Warm up: the minister said the talks would go on."), cfg)
    t = time.process_time()
    prof = Profiler(interval=0.001)
    prof.start()
    for text in texts:
        clean_document(Document.from_text(text), cfg)
    prof.stop()
    cpu = time.process_time() - t
    print(f"{len(texts)} documents, {sum(map(len, texts)) / 1e6:.1f} M chars, {cpu:.1f} CPU s under the profiler")
    print(prof.output_text(unicode=True, color=False, show_all=False))


STEPS_FILE = "part-0010.jsonl"


def steps(args: argparse.Namespace) -> None:
    """CPU seconds of each step of cleaners.PIPELINE over the first --docs records of --file (in process)."""
    import cleaners
    from cleaners import CleanConfig, Document, clean_document

    dump = Path(args.dir) / "dump"
    path = dump / args.file
    if not path.exists() and args.file == STEPS_FILE:  # a smaller dump (generate --mb 40) has no part-0010
        path = sorted(dump.glob("part-*.jsonl"))[-1]
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(args.docs), fh)]
    spent: dict[str, float] = {name: 0.0 for name, _ in cleaners.PIPELINE}

    def timed(name: str, fn: Any) -> Any:
        def step(d: Any, c: Any) -> Any:
            t = time.process_time()
            try:
                return fn(d, c)
            finally:
                spent[name] += time.process_time() - t

        return step

    pipeline = cleaners.PIPELINE
    cleaners.PIPELINE = tuple((name, timed(name, fn)) for name, fn in pipeline)
    try:
        cfg = CleanConfig()
        clean_document(Document.from_text("Warm up: the minister said the talks would go on."), cfg)
        spent.update({k: 0.0 for k in spent})
        t = time.process_time()
        for text in texts:
            clean_document(Document.from_text(text), cfg)
        total = time.process_time() - t
    finally:
        cleaners.PIPELINE = pipeline
    print(f"{len(texts)} records of {path.name}: {total:.2f} CPU s")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:20s} {s:6.2f} s {100 * s / total:5.1f}%")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--mb", type=float, default=200)
    g.add_argument("--dir", default=str(DEFAULT_DIR))
    g.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("run")
    r.add_argument("--dir", default=str(DEFAULT_DIR))
    r.add_argument("--files", type=int, default=0, help="only the first N files of the dump")
    r.add_argument("--workers", default="1,2")
    r.add_argument("--skip", default="", help="comma-separated: floor,launder,shard-cpu,datatrove")
    r.add_argument("--config", default=None, help="launder --config FILE")
    r.add_argument("--json", default=None)
    r.add_argument("--tag", default="runs", help="scratch folder DIR/runs-TAG for the outputs")
    r.add_argument("--no-near-dup", action="store_true", help="also run launder-N-nonear: [dedup.near] enabled = false")
    r.add_argument(
        "--server",
        choices=("temporary", "running"),
        default="temporary",
        help="launder against Prefect's temporary server, or a `prefect server start` begun before the runs "
        "(its CPU during each run is added to the run's)",
    )
    p = sub.add_parser("profile")
    p.add_argument("--dir", default=str(DEFAULT_DIR))
    p.add_argument("--docs", type=int, default=2000)
    st = sub.add_parser("steps")
    st.add_argument("--dir", default=str(DEFAULT_DIR))
    st.add_argument("--file", default=STEPS_FILE, help="default: %(default)s, else the dump's last file")
    st.add_argument("--docs", type=int, default=500)
    c = sub.add_parser("_child")
    c.add_argument("kind")
    c.add_argument("args", nargs="*")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        generate(Path(a.dir), a.mb, a.seed)
    elif a.cmd == "run":
        run(a)
    elif a.cmd == "profile":
        profile(a)
    elif a.cmd == "steps":
        steps(a)
    elif a.kind == "floor":
        print(json.dumps(floor(a.args)))
    elif a.kind == "datatrove":
        print(json.dumps(datatrove(a.args[2:], a.args[0], int(a.args[1]))))
    elif a.kind == "shard-cpu":
        Path(a.args[0]).mkdir(parents=True, exist_ok=True)
        print(json.dumps(shard_cpu(a.args[1:], a.args[0])))


if __name__ == "__main__":
    main()
