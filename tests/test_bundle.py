"""tools/bundle.py, the classroom bundle: what it asks PyInstaller for, what it prunes and what it
refuses to ship. Building takes a minute and PyInstaller, so the build itself is checked only
with CLOSED_LOOP_TEST_BUNDLE=1 (``python tools/bundle.py --check`` does the same by hand)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def bundle(tool):
    return tool("bundle")


def test_pyinstaller_gets_the_data_where_the_game_looks_and_no_dev_tools(bundle, tmp_path):
    args = bundle.pyinstaller_args(tmp_path, tmp_path / "dist", windowed=False)
    data = [args[i + 1] for i, a in enumerate(args) if a == "--add-data"]
    targets = {d.rsplit(os.pathsep, 1)[1] for d in data}
    # setup.py's mapping, which game/paths.py reads through importlib.resources
    assert targets == {"game/_data/rules", "game/_data/assets", "game/_data/docs"}
    assert all(Path(d.rsplit(os.pathsep, 1)[0]).exists() for d in data)
    excluded = {args[i + 1] for i, a in enumerate(args) if a == "--exclude-module"}
    assert {"pytest", "game.testing", "mypy", "ruff", "hypothesis", "pytestqt",
            "PySide6.QtWebEngineCore"} <= excluded
    assert "--onedir" in args
    entry = Path(args[0]).read_text(encoding="utf-8")
    assert "from game.cli import main" in entry


def test_leaks_finds_developer_packages(bundle, tmp_path):
    folder = tmp_path / "closed-loop"
    (folder / "_internal" / "game").mkdir(parents=True)
    assert bundle.leaks(folder) == []
    (folder / "_internal" / "pytest").mkdir()
    (folder / "_internal" / "game" / "testing.pyc").write_bytes(b"")
    (folder / "_internal" / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (folder / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6WebEngineCore.so.6").write_bytes(b"")
    assert bundle.leaks(folder) == ["QtWebEngine", "game.testing", "pytest"]


def test_prune_keeps_chinese_and_english_and_what_the_game_uses(bundle, tmp_path):
    qt = tmp_path / "closed-loop" / "_internal" / "PySide6" / "Qt"
    files = ["translations/qtbase_zh_CN.qm", "translations/qtbase_en.qm", "translations/qtbase_de.qm",
             "lib/libQt6Widgets.so.6", "lib/libQt6Quick.so.6", "lib/libQt6Qml.so.6",
             "plugins/imageformats/libqsvg.so", "plugins/imageformats/libqpdf.so",
             "plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so"]
    for name in files:
        (qt / name).parent.mkdir(parents=True, exist_ok=True)
        (qt / name).write_bytes(b"x" * 10)
    assert bundle.prune(tmp_path / "closed-loop") == 50
    left = sorted(str(p.relative_to(qt)) for p in qt.rglob("*") if p.is_file())
    assert left == ["lib/libQt6Widgets.so.6", "plugins/imageformats/libqsvg.so",
                    "translations/qtbase_en.qm", "translations/qtbase_zh_CN.qm"]


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CLOSED_LOOP_TEST_BUNDLE") != "1",
                    reason="builds the PyInstaller bundle (a minute): set CLOSED_LOOP_TEST_BUNDLE=1")
def test_the_bundle_builds_and_runs_from_outside_the_checkout(bundle, tmp_path):
    pytest.importorskip("PyInstaller")
    folder = bundle.build(tmp_path / "dist")
    lines = bundle.check(folder)
    assert any("closed-loop 0" in line for line in lines)
    assert any("the rules are valid" in line for line in lines)
    assert bundle.leaks(folder) == []
