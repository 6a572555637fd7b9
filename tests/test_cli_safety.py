"""Headless commands with bad paths and crafted files: a message and exit 1, nothing raw on the
terminal (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main, safe_text
from game.engine import new_game
from game.saves import save_game

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout)


def test_safe_text_escapes_terminal_controls():
    assert safe_text("a\x1b[2Jb\rc\x07\u202ed") == "a\\x1b[2Jb\\x0dc\\x07\\u202ed"
    assert safe_text("中文 line\n\tnext") == "中文 line\n\tnext"


def test_simulate_to_a_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = run("simulate", "--games", "2", "--save-dir", str(blocker / "saves"))
    assert out.returncode == 1
    assert str(blocker) in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""                           # refused before any game was played


def test_bench_out_to_a_folder_that_cannot_be_made(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["bench", "--seconds", "0.05", "--out", str(blocker / "x" / "b.json")]) == 1
    err = capsys.readouterr().err
    assert str(blocker) in err and err.startswith("error:")


def test_replay_does_not_print_control_characters(rules, tmp_path):
    path = save_game(new_game(rules, "default", 1), tmp_path / "crafted.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actions"] = ["sell\x1b]0;owned\x07\x1b[2J"]
    path.write_text(json.dumps(data), encoding="utf-8")
    out = run("replay", str(path))
    assert out.returncode == 1
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr
    assert "\\x1b]0;owned" in out.stderr


@pytest.mark.parametrize("bad", ["nan", "inf"])
def test_rules_check_names_the_file_for_a_broken_number(tmp_path, bad):
    from game.testing import copy_rules

    folder = copy_rules(tmp_path / "rules")
    game_toml = folder / "game.toml"
    text = game_toml.read_text(encoding="utf-8")
    import re

    # the first plain number assignment becomes a number that is not finite
    new, n = re.subn(r"(?m)^(\w+\s*=\s*)\d+(\.\d+)?\s*$", lambda m: m.group(1) + bad, text, count=1)
    assert n == 1
    game_toml.write_text(new, encoding="utf-8")
    out = run("rules", "check", str(folder))
    assert out.returncode == 1
    assert "game.toml" in out.stderr + out.stdout and "Traceback" not in out.stderr
