"""repair_tables: each rule positive and negative, golden check on the seeds, idempotence, robustness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from cleaners.document import Document
from cleaners.tables import TablesConfig, is_well_formed_table, repair_tables, split_row
from cleaners.text import iter_lines

from .conftest import seed_and_sample_texts

SHARED = Path(__file__).resolve().parents[2] / "shared"
CFG = TablesConfig()


def run(text: str, cfg: TablesConfig = CFG) -> Document:
    return repair_tables(Document.from_text(text), cfg)


def rules(doc: Document) -> set[str]:
    return {e.rule for e in doc.edits}


def table_blocks(text: str) -> list[list[str]]:
    """Runs of consecutive lines that start or end with '|' (what a checker would call tables)."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") or (s.endswith("|") and len(s) > 1):
            cur.append(s)
        else:
            if cur:
                blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def assert_tables_ok(text: str) -> None:
    assert not re.search(r"[\u2013\u2014]{2,}", text), "a run of em/en dashes remains"
    for block in table_blocks(text):
        assert is_well_formed_table(block), block


# ------------------------------------------------------------------ well-formedness helper
def test_is_well_formed_table_accepts_and_rejects():
    assert is_well_formed_table(["| a | b |", "|---|---|", "| 1 | 2 |"])
    assert not is_well_formed_table(["| a | b |", "| 1 | 2 |"])  # no separator
    assert not is_well_formed_table(["a | b |", "|---|---|"])  # missing leading pipe
    assert not is_well_formed_table(["| a | b |", "|---|---|", "| 1 |"])  # ragged
    assert not is_well_formed_table(["| a | b |", "|–––|–––|"])  # en-dash separator


# ------------------------------------------------------------------ rules
def test_dash_separator_becomes_ascii_and_keeps_alignment():
    doc = run("| A | B | C |\n|:————|———:|:—–:|\n| 1 | 2 | 3 |")
    assert doc.text.split("\n")[1] == "|:---|---:|:---:|"
    assert "tables:dash-separator" in rules(doc)


def test_ascii_separator_is_left_alone():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 |")
    assert doc.edits == ()


def test_missing_outer_pipes_are_added():
    doc = run("Name | Role |\n---|---|\n| Ann | chair\n")
    assert doc.text == "| Name | Role |\n|---|---|\n| Ann | chair |\n"
    assert {"tables:leading-pipe", "tables:trailing-pipe"} <= rules(doc)


def test_well_formed_rows_get_no_pipe_edits():
    doc = run("| Name | Role |\n|---|---|\n| Ann | chair |")
    assert not rules(doc) & {"tables:leading-pipe", "tables:trailing-pipe"}


def test_short_row_is_padded():
    doc = run("| A | B | C |\n|---|---|---|\n| 1 | 2 |")
    assert doc.text.split("\n")[2] == "| 1 | 2 | |"
    assert "tables:pad-row" in rules(doc)


def test_long_row_merges_extra_cells_into_last():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 | 3 | 4 |")
    assert doc.text.split("\n")[2] == "| 1 | 2 3 4 |"
    assert "tables:merge-cells" in rules(doc)


def test_full_rows_are_neither_padded_nor_merged():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |")
    assert not rules(doc) & {"tables:pad-row", "tables:merge-cells"}


def test_header_without_separator_gets_one():
    doc = run("| A | B |\n| 1 | 2 |\n| 3 | 4 |")
    assert doc.text == "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |"
    assert "tables:add-separator" in rules(doc)


def test_prose_with_pipes_is_not_a_table():
    text = "Discover more from Example News | Daily Updates\nSign up | Log in\nThe vote was 5 | 4 in the end.\n"
    assert run(text).edits == ()


def test_single_pipe_line_is_not_a_table():
    text = "Intro.\n| lonely | row |\nOutro."
    assert run(text).edits == ()


def test_cell_padding_is_normalized():
    doc = run("|A|B|\n|---|---|\n|1|  2  |")
    assert doc.text == "| A | B |\n|---|---|\n| 1 | 2 |"
    assert "tables:cell-padding" in rules(doc)


def test_cell_padding_rule_can_be_turned_off():
    cfg = TablesConfig(disabled_rules=("tables:cell-padding",))
    assert run("|A|B|\n|---|---|\n|1|2|", cfg).edits == ()


def test_toc_table_of_later_headings_is_dropped():
    text = (
        "Lead paragraph of the story.\n"
        "Contents |\n---|\n1) First Part |\n2) Second Part |\n"
        "First Part\nBody one.\nSecond Part\nBody two."
    )
    doc = run(text)
    assert doc.text == "Lead paragraph of the story.\nFirst Part\nBody one.\nSecond Part\nBody two."
    assert rules(doc) == {"tables:toc"}


def test_one_column_table_not_matching_headings_is_kept():
    text = "Lead.\nContents |\n---|\n1) First Part |\n2) Something Else |\nFirst Part\nBody."
    doc = run(text)
    assert "tables:toc" not in rules(doc)
    assert "| 2) Something Else |" in doc.text


def test_lone_dash_rule_is_dropped():
    doc = run("Some text.\n—\nMore text.\n———\nEnd.")
    assert doc.text == "Some text.\nMore text.\nEnd."
    assert rules(doc) == {"tables:dash-rule"}


def test_dash_rule_keeps_dashes_inside_prose():
    text = "Ukraine—two proposals were made.\n- a list item\n--\nA range 3–4."
    assert run(text).edits == ()


def test_dash_rule_at_end_of_text():
    assert run("Text.\n—").text == "Text."
    assert run("—\nText.").text == "Text."


def test_blank_line_inside_table_is_dropped():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n\nAfter.")
    assert doc.text == "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nAfter."
    assert "tables:blank-line" in rules(doc)


def test_prose_line_with_pipe_before_table_is_not_its_header():
    text = "Source: AP | Reuters\n| A | B |\n|———|———|\n| 1 | 2 |"
    doc = run(text)
    assert doc.text.split("\n")[0] == "Source: AP | Reuters"
    assert doc.text.split("\n")[2] == "|---|---|"


def test_escaped_pipe_stays_in_cell():
    row = split_row(next(iter_lines(r"| a \| b | c |")))
    assert len(row.cells) == 2


def test_disabled_step_changes_nothing():
    text = "| A | B |\n|——|——|\n| 1 | 2 |"
    assert run(text, TablesConfig(enabled=False)).text == text


def test_edits_map_back_to_raw():
    text = "x\n| A | B |\n|——|——|\n| 1 | 2 |"
    doc = run(text)
    e = next(e for e in doc.edits if e.rule == "tables:dash-separator")
    assert text[e.raw[0] : e.raw[1]] == "|——|——|"


# ------------------------------------------------------------------ properties
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab |-—–:\n\\\t"), max_size=80))
def test_never_crashes_and_is_idempotent(text):
    once = repair_tables(Document.from_text(text), CFG)
    twice = repair_tables(once, CFG)
    assert twice.text == once.text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="xyz ", min_size=1, max_size=4), min_size=1, max_size=4),
        min_size=2,
        max_size=5,
    ),
    st.booleans(),
)
def test_repaired_pipe_tables_are_well_formed(rows, dash_sep):
    # a grid of blank cells holds nothing to call a table (find_tables leaves it alone)
    assume(any(c.strip() for r in rows for c in r))
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    width = len(rows[0])
    lines.insert(1, "|" + "|".join(["———" if dash_sep else "---"] * width) + "|")
    text = "Intro.\n" + "\n".join(lines) + "\nOutro."
    out = run(text).text
    assert_tables_ok(out)


# ------------------------------------------------------------------ seeds (golden)
def _seed_expectations() -> dict:
    if not (SHARED / "seeds" / "expectations.json").exists():
        pytest.skip("../shared/seeds is absent (it sits beside the repository checkout)")
    return json.loads((SHARED / "seeds" / "expectations.json").read_text())["documents"]


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seed_tables_are_well_formed(prefix):
    docs = _seed_expectations()
    name = next(n for n in docs if n.startswith(prefix))
    assert docs[name].get("tables")
    raw = (SHARED / "seeds" / name).read_text(encoding="utf-8")
    doc = repair_tables(Document.from_text(raw), CFG)
    assert_tables_ok(doc.text)
    assert table_blocks(doc.text), "the seed's tables should survive"
    for snippet in docs[name]["keep"]:
        assert snippet in doc.text
    assert repair_tables(doc, CFG).text == doc.text


def test_seed_000_toc_is_dropped_and_key_points_table_kept():
    docs = _seed_expectations()
    name = next(n for n in docs if n.startswith("000"))
    doc = repair_tables(Document.from_text((SHARED / "seeds" / name).read_text(encoding="utf-8")), CFG)
    assert "Article Subheadings" not in doc.text
    assert doc.text.count("Overview of Military Actions in Ukraine") == 1
    assert "| No. | Key Points |\n|---|---|\n| 1 | Russia claims" in doc.text


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_seeds_without_tables_are_untouched(prefix):
    docs = _seed_expectations()
    name = next(n for n in docs if n.startswith(prefix))
    raw = (SHARED / "seeds" / name).read_text(encoding="utf-8")
    assert repair_tables(Document.from_text(raw), CFG).edits == ()


def test_short_header_is_widened_when_the_body_agrees():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |")
    assert doc.text == "| A | B | |\n|---|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |"


def test_pipe_inside_code_span_stays_in_cell():
    row = split_row(next(iter_lines("| `a | b` | c |")))
    assert [c.strip() for c in row.cells] == ["`a | b`", "c"]


def test_dash_rule_between_rows_is_dropped_inside_the_table():
    doc = run("| A | B |\n|---|---|\n| 1 | 2 |\n—\n| 3 | 4 |")
    assert doc.text == "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |"
    assert repair_tables(doc, CFG).text == doc.text


def test_two_tables_separated_by_a_blank_line_stay_two():
    text = "| A | B |\n|---|---|\n| 1 | 2 |\n\n| C | D |\n|---|---|\n| 3 | 4 |"
    assert run(text).edits == ()


def test_empty_pipe_lines_are_not_a_table():
    assert run("|\n|").edits == ()


def test_separator_cell_with_a_no_break_space_is_a_separator():
    # found by hypothesis (test_properties): "\xa0—" was read as a data cell, rendered as "—", and a
    # second pass then dropped that row as a stray separator: not idempotent
    from cleaners import CleanConfig, Document
    from cleaners.tables import repair_tables

    cfg = CleanConfig().tables
    text = "Public works | $12.3m | $12.9m |\n|———–|————-|\xa0—\n"
    once = repair_tables(Document.from_text(text), cfg)
    assert once.text == "| Public works | $12.3m | $12.9m |\n|---|---|---|\n"
    assert repair_tables(once, cfg).text == once.text


# ------------------------------------------------------------------ the pre-checks against the full step
# repair_tables returns the document untouched, before cutting it into lines, when no two lines
# holding "|" are apart by blank lines and dash rules only (_may_hold_table) and no line is a rule
# of dashes (_has_rule_line, which finds such lines from their first dash); the full step must find
# nothing to change there.
from cleaners import tables as tb  # noqa: E402


def _full_step(text: str, cfg: TablesConfig = CFG) -> Document:
    from _pytest.monkeypatch import MonkeyPatch

    with MonkeyPatch.context() as m:
        m.setattr(tb, "_may_hold_table", lambda text, cfg: True)
        m.setattr(tb, "_has_rule_line", lambda text, tail, lead: True)
        return repair_tables(Document.from_text(text), cfg)


def _check_prechecks(text: str) -> None:
    lines = [ln.text for ln in iter_lines(text)]
    assert tb._has_rule_line(text, tb._DASH_TAIL, " \t") == bool(tb._DASH_LINE.search(text)), repr(text)
    assert tb._has_rule_line(text, tb._PIPE_DASH_TAIL, " \t|:") == any(
        tb._PIPE_RULE_LINE.fullmatch(s) for s in lines
    ), repr(text)
    for cfg in (CFG, TablesConfig(min_rows=1), TablesConfig(min_rows=3)):
        if not tb._may_hold_table(text, cfg):
            assert tb.find_tables(list(iter_lines(text)), cfg) == [], repr(text)
        assert run(text, cfg).to_state() == _full_step(text, cfg).to_state(), repr(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab |-—–:\n\\\t\u00a0`"), max_size=80))
@example("|\n\u00a0–\n:|")  # a dash rule after a no-break space between two rows: a gap for both
def test_prechecks_agree_with_the_full_step_on_made_up_text(text):
    _check_prechecks(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["| a | b |", "a | b", "|---|---|", "|——|——|", "---", " — ", "", "  ", "text", "x |", "| y"]),
        max_size=12,
    ).map("\n".join)
)
def test_prechecks_agree_with_the_full_step_on_made_up_lines(text):
    _check_prechecks(text)


def test_prechecks_agree_with_the_full_step_on_real_text():
    texts = seed_and_sample_texts()
    assert texts
    for t in texts:
        _check_prechecks(t)
