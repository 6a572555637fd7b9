"""``--screenshot FILE --size WxH`` and ``--debrief-screenshot FILE --size WxH`` render at that
size; a size that is not WIDTHxHEIGHT (or out of range) is a usage error, exit 2."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui
MAIN = Path(__file__).resolve().parents[2] / "main.py"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLOSED_LOOP_DATA_DIR=str(cwd / "data"))
    return subprocess.run([sys.executable, str(MAIN), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", head[16:24])
    return w, h


@pytest.mark.parametrize("flag,size,lang", [("--screenshot", "1366x768", "en"),
                                            ("--screenshot", "1024x768", "zh"),
                                            ("--debrief-screenshot", "1366x768", "zh")])
def test_screenshot_at_a_size(tmp_path, flag, size, lang):
    out = tmp_path / "shot.png"
    r = _run(flag, str(out), "--size", size, "--lang", lang, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    w, h = map(int, size.split("x"))
    assert _png_size(out) == (w, h)


@pytest.mark.parametrize("flag", ["--screenshot", "--debrief-screenshot"])
@pytest.mark.parametrize("bad", ["big", "1366", "1366x", "x768", "0x0", "-5x10", "99999x768"])
def test_a_bad_size_is_a_usage_error(tmp_path, flag, bad):
    out = tmp_path / "shot.png"
    r = _run(flag, str(out), f"--size={bad}", cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "--size" in r.stderr
    assert not out.exists()
