"""The CLI's contract with its user: one-line errors and exit 2 when it cannot run."""

import subprocess
import sys


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
