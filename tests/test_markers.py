"""The pytest markers work (issue 12): ``-m gui`` runs exactly the Qt tests in tests/ui, ``-m "not gui"``
exactly the others, and an unknown marker is an error (``--strict-markers``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def collect(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def collected_ids(out: subprocess.CompletedProcess) -> list[str]:
    assert out.returncode == 0, out.stdout + out.stderr
    return [line for line in out.stdout.splitlines() if "::" in line]


def test_gui_marker_splits_the_suite():
    out = collect("tests", "-m", "gui")
    gui = collected_ids(out)
    not_gui = collected_ids(collect("tests", "-m", "not gui"))
    assert gui and not_gui
    assert all(i.startswith("tests/ui/") for i in gui)
    assert not any(i.startswith("tests/ui/") for i in not_gui)
    summary = re.search(r"(\d+)/(\d+) tests collected \((\d+) deselected\)", out.stdout)
    assert summary, out.stdout[-300:]
    selected, total, deselected = map(int, summary.groups())
    assert (selected, deselected) == (len(gui), len(not_gui))
    assert len(gui) + len(not_gui) == total
    # every UI module is marked, also the ones without a module-level pytestmark
    ui_modules = {p.name for p in (ROOT / "tests" / "ui").glob("test_*.py")}
    assert {i.split("::")[0].removeprefix("tests/ui/") for i in gui} == ui_modules


def test_an_unknown_marker_is_an_error(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text("import pytest\n\n@pytest.mark.guii\ndef test_x():\n    pass\n", encoding="utf-8")
    out = collect("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(probe), cwd=tmp_path)
    assert out.returncode != 0
    assert "'guii' not found in `markers` configuration option" in out.stdout + out.stderr
