"""The human-readable run report (OUT/report.md), built from the manifest alone."""

from __future__ import annotations

from typing import Any


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in r) + " |")
    return out


def build_report(manifest: dict[str, Any]) -> str:
    """Markdown: inputs, outcomes, characters removed by step and rule, most removed lines, clusters, languages."""
    t = manifest["totals"]
    lines = [
        f"# launder run {manifest['run_id']}",
        "",
        f"Inputs: {', '.join(manifest['inputs'])}  ",
        f"Started {manifest['started']}, finished {manifest['finished']}; pipeline {manifest['pipeline_version']}, "
        f"config {manifest['config_hash']}.",
        "",
        "## Outcome",
        "",
    ]
    lines += _table(
        ["files", "documents", "kept", "rejected", "failed", "files skipped", "files unchanged"],
        [[t["files"], t["documents"], t["kept"], t["rejected"], t["errors"], t["skipped"], t.get("unchanged", 0)]],
    )
    if t["reasons"]:
        lines += ["", "Rejected by reason:", ""]
        lines += _table(["reason", "documents"], sorted(t["reasons"].items(), key=lambda kv: -kv[1]))
    errors = [
        (f["path"], o.get("record"), o["error"])
        for f in manifest["files"]
        for o in f["outcomes"]
        if o.get("status") == "error"
    ]
    errors += [(f["path"], None, f["error"]) for f in manifest["files"] if f.get("error") and not f["outcomes"]]
    if errors:
        lines += ["", "## Failed inputs", ""]
        lines += _table(["file", "record", "error"], [[p, "" if r is None else r, e] for p, r, e in errors[:100]])
    rows = [
        [step, rule, v["edits"], v["chars_removed"]]
        for step, rules in manifest["edits"].items()
        for rule, v in rules.items()
    ]
    if rows:
        lines += ["", "## Characters removed by step and rule", ""]
        lines += _table(["step", "rule", "edits", "characters removed"], sorted(rows, key=lambda r: -r[3]))
    if manifest.get("top_removed"):
        lines += ["", "## Most removed lines", ""]
        lines += _table(["times", "rule", "line"], [[n, rule, text] for text, rule, n in manifest["top_removed"]])
    if manifest.get("clusters"):
        lines += ["", "## Duplicate clusters", ""]
        lines += _table(
            ["kept", "duplicates"],
            [[rep, ", ".join(members)] for rep, members in list(manifest["clusters"].items())[:100]],
        )
    if manifest.get("languages"):
        lines += ["", "## Languages of kept documents", ""]
        lines += _table(["language", "documents"], sorted(manifest["languages"].items(), key=lambda kv: -kv[1]))
    return "\n".join(lines) + "\n"
