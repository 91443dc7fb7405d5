"""The CLI's contract with its user: one-line errors and exit 2 when it cannot run."""

import subprocess
import sys

from .conftest import ROOT


def _launder(*args, **kw):
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=120, **kw)


def test_missing_input_is_one_line_exit_2(tmp_path):
    r = _launder("clean", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.strip() == f"launder: error: no such input: {tmp_path / 'nope'}"


def test_unwritable_out_is_one_line_exit_2(tmp_path):
    (tmp_path / "in.txt").write_text("x")
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = _launder("clean", str(tmp_path / "in.txt"), "-o", str(blocker / "out"))
    assert r.returncode == 2 and r.stderr.startswith("launder: error: cannot write to output directory")
    assert "Traceback" not in r.stderr


def test_unknown_config_key_is_named(tmp_path):
    (tmp_path / "in.txt").write_text("x")
    cfg = tmp_path / "c.toml"
    cfg.write_text("[whitespace]\nenabled = true\nbogus = 1\n")
    r = _launder("clean", str(tmp_path / "in.txt"), "-o", str(tmp_path / "o"), "--config", str(cfg))
    assert r.returncode == 2 and "unknown configuration key: whitespace.bogus" in r.stderr


def test_verify_refuses_non_output_dir(tmp_path):
    r = _launder("verify", str(tmp_path))
    assert r.returncode == 2 and "no manifest.json" in r.stderr


def test_config_show_prints_effective_toml_and_reads_pyproject(tmp_path):
    import tomllib

    (tmp_path / "pyproject.toml").write_text('[tool.launder.language]\nlanguages = ["en", "de"]\n')
    r = _launder("config", "--show", cwd=tmp_path, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert "[tool.launder]" in r.stdout.splitlines()[0]
    shown = tomllib.loads(r.stdout)
    assert shown["language"]["languages"] == ["en", "de"]
    assert shown["boilerplate"]["enabled"] is True


def test_inspect_marks_removed_text_with_rules(tmp_path):
    from flows.inspect_doc import render

    raw = "Top 5 This Week\nGood text stays.\nstatement,made"
    rec = {
        "source": {"part": 0},
        "flags": [],
        "provenance": {
            "spans": [[0, 16, 16, 32]],
            "edits": [
                {"op": "drop", "raw": [0, 16], "rule": "boilerplate:related-block", "after": ""},
                {"op": "replace", "raw": [42, 43], "rule": "spacing:after-comma", "after": ", "},
            ],
        },
    }
    out = render(raw, rec, plain=True).plain
    assert (
        out
        == "[-Top 5 This Week\n-]{boilerplate:related-block}Good text stays.\nstatement[-,-]{+, +}{spacing:after-comma}made"
    )


class _Stream:
    """A stand-in for stderr: a terminal or not, keeping what is written."""

    def __init__(self, tty: bool) -> None:
        self.tty, self.parts = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> int:
        self.parts.append(s)
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_bar_on_a_terminal_only(monkeypatch):
    from flows import cli

    monkeypatch.setattr(sys, "stderr", _Stream(tty=False))
    assert cli._progress_listener() == (None, None)

    tty = _Stream(tty=True)
    monkeypatch.setattr(sys, "stderr", tty)
    progress, listener = cli._progress_listener()
    with progress:
        listener("clean", 3, 4)
        progress.refresh()
    shown = "".join(tty.parts)
    assert "clean shards" in shown and "3/4" in shown


def test_clean_prints_no_progress_bar_when_not_a_terminal(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "The council approved the budget on Monday after a long debate about parks.\n"
    )
    r = _launder("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "shards" not in r.stderr and "\x1b[" not in r.stderr  # no bar, no terminal control codes
    assert "launder: cleaning" in r.stderr
