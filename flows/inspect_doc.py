"""``launder inspect OUT DOC_ID``: a document's raw text with what was removed or rewritten, and why.

On a terminal, removed text is struck through in red and rewritten text shows its
replacement in green, each followed by the rule that did it; elsewhere the same is
written with plain markers: ``[-removed-]{rule}`` and ``[-before-]{+after+}{rule}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from .verify import iter_records


def find_record(out: str | Path, doc_id: str) -> dict[str, Any] | None:
    for rec in iter_records(out):
        if rec["id"] == doc_id:
            return rec
    return None


def raw_text_of(out: str | Path, rec: dict[str, Any]) -> str | None:
    """Re-read the raw text of one record's document from its run's inputs (flows.verify.RawInputs)."""
    from .verify import RawInputs

    return RawInputs(out).raw(rec.get("provenance", {}).get("run_id"), rec["source"]["path"], rec["source"]["record"])


def outer_edits(edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text-changing edits, outermost first where they nest (a dropped paragraph hides the edits inside it)."""
    changing = [e for e in edits if e["op"] in ("drop", "replace", "insert")]
    changing.sort(key=lambda e: (e["raw"][0], -e["raw"][1]))
    out: list[dict[str, Any]] = []
    for e in changing:
        if out and e["raw"][0] < out[-1]["raw"][1]:
            continue
        if out and e["raw"][0] == e["raw"][1] == out[-1]["raw"][1] and out[-1]["raw"][0] < out[-1]["raw"][1]:
            continue
        out.append(e)
    return out


def _window(raw: str, rec: dict[str, Any]) -> tuple[int, int]:
    """The raw range to show: all of it, except for one article of a file that holds several."""
    spans = rec["provenance"]["spans"]
    if (
        not spans
        or not rec["flags"]
        and rec["source"].get("part", 0) == 0
        and "articles:split" not in {e["rule"] for e in rec["provenance"]["edits"]}
    ):
        return 0, len(raw)
    return min(s[2] for s in spans), max(s[3] for s in spans)


def render(raw: str, rec: dict[str, Any], plain: bool) -> Text:
    text = Text()
    pos, stop = _window(raw, rec)
    for e in outer_edits(rec["provenance"]["edits"]):
        start, end = e["raw"]
        if start < pos or end > stop:
            continue
        text.append(raw[pos:start])
        before = raw[start:end]
        if plain:
            marker = f"[-{before}-]" if before else ""
            marker += f"{{+{e['after']}+}}" if e["op"] != "drop" else ""
            text.append(marker + f"{{{e['rule']}}}")
        else:
            text.append(before, style="strike red")
            if e["op"] != "drop":
                text.append(e["after"], style="bold green")
            text.append(f" [{e['rule']}]", style="dim cyan")
        pos = max(pos, end)
    text.append(raw[pos:stop])
    return text


def inspect_document(out: str, doc_id: str, console: Console | None = None) -> int:
    console = console or Console(soft_wrap=True)
    rec = find_record(out, doc_id)
    if rec is None:
        raise LookupError(f"no document {doc_id} in {out}")
    raw = raw_text_of(out, rec)
    if raw is None:
        from .stdio import from_stdin

        if from_stdin(str(rec["source"]["path"])):
            raise LookupError(
                f"{doc_id} was read from standard input ({rec['source']['path']}), whose raw text launder does not keep: "
                "its record holds the clean text and every edit with the text it removed"
            )
        raise LookupError(f"the raw input {rec['source']['path']} is no longer readable")
    plain = not console.is_terminal
    status = f"rejected: {rec['reason']}" if rec.get("reason") else "kept"
    title = rec["metadata"].get("title", "")
    console.print(
        f"{rec['id']}  {rec['source']['path']}#{rec['source']['record']}.{rec['source']['part']}  {status}  {title}"
    )
    console.print(render(raw, rec, plain), markup=False, highlight=False)
    return 0
