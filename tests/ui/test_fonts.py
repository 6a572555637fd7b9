"""The shipped Chinese font loads and covers every character of the rules.

When this fails with missing characters, rerun ``python tools/subset_font.py`` (it re-reads
the rules) and commit the new font in assets/fonts/.
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QRawFont
from PySide6.QtWidgets import QApplication, QLabel

from game.ui.fonts import FONT_DIR, font_path, install_app_font

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"


def is_cjk_text(s: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in s)


def walk_strings(value, where: str):
    """Every string value of a parsed TOML document, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk_strings(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk_strings(v, f"{where}[{i}]")


def rule_files() -> list[Path]:
    files = sorted(RULES.glob("*.toml")) + sorted((RULES / "scenarios").glob("*.toml"))
    assert files, f"no rules found in {RULES}"
    return files


def rule_texts() -> list[tuple[str, str]]:
    """(file:key, text) for every rules string holding Chinese (incl. ui.toml if present)."""
    texts = []
    for path in rule_files():
        with path.open("rb") as f:
            doc = tomllib.load(f)
        rel = path.relative_to(ROOT)
        texts += [(f"{rel}:{key}", s) for key, s in walk_strings(doc, "") if is_cjk_text(s)]
    return texts


def needs_glyph(ch: str) -> bool:
    # Controls and format characters (zero-width joiners, ...) are not drawn.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


@pytest.fixture
def app_font(qapp) -> str:
    return install_app_font()


def test_font_file_is_shipped_small_and_licensed():
    path = font_path()
    assert path.is_file(), f"{path} missing: run tools/subset_font.py"
    assert path.stat().st_size < 5_000_000, f"{path} is {path.stat().st_size} bytes"
    assert (FONT_DIR / "OFL.txt").is_file()
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_install_sets_application_font_and_keeps_size(qapp):
    size = QApplication.font().pointSizeF()
    family = install_app_font()
    assert family in QFontDatabase.families()
    assert QApplication.font().family() == family
    assert QApplication.font().pointSizeF() == size
    assert install_app_font() == family          # a second call is harmless


def test_install_names_the_file_when_it_cannot_load(qapp, monkeypatch, tmp_path):
    import game.ui.fonts as fonts

    bad = tmp_path / fonts.REGULAR_FILE
    bad.write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path)
    with pytest.raises(RuntimeError, match=fonts.REGULAR_FILE):
        fonts.install_app_font()
    bad.unlink()
    with pytest.raises(RuntimeError, match=fonts.REGULAR_FILE):
        fonts.install_app_font()


def test_rules_have_chinese_text():
    texts = rule_texts()
    assert len(texts) > 50, "expected the rules to carry Chinese text"


def test_every_rules_character_is_in_the_shipped_font(app_font):
    raw = QRawFont.fromFont(QFont(app_font))
    assert raw.isValid() and raw.familyName() == app_font
    missing: dict[str, list[str]] = {}
    for where, text in rule_texts():
        for ch in text:
            if needs_glyph(ch) and not raw.supportsCharacter(ord(ch)):
                missing.setdefault(ch, []).append(where)
    if missing:
        lines = [f"  {ch} U+{ord(ch):04X}  e.g. {places[0]}" for ch, places in sorted(missing.items())]
        pytest.fail(f"The shipped font {font_path().name} lacks {len(missing)} character(s) "
                    f"used in the rules: {''.join(sorted(missing))}\n" + "\n".join(lines)
                    + "\nRun `python tools/subset_font.py` and commit assets/fonts/.")


def test_ui_source_strings_are_in_the_shipped_font(app_font):
    """Chinese written directly in game/ui/*.py is covered too."""
    raw = QRawFont.fromFont(QFont(app_font))
    missing = {}
    for path in sorted((ROOT / "game" / "ui").rglob("*.py")):
        for ch in path.read_text(encoding="utf-8"):
            if ord(ch) >= 0x2E80 and needs_glyph(ch) and not raw.supportsCharacter(ord(ch)):
                missing.setdefault(ch, path.name)
    assert not missing, (f"{font_path().name} lacks {''.join(sorted(missing))} "
                         f"(from {sorted(set(missing.values()))}): run tools/subset_font.py")


def test_common_characters_are_covered(app_font):
    raw = QRawFont.fromFont(QFont(app_font))
    sample = "闭环抖音淘宝微信视频号直播电商GMV流量用户体验供应链物流售后数据,。、:;!?()《》“”—…→"
    assert [ch for ch in sample if not raw.supportsCharacter(ord(ch))] == []


def test_chinese_label_renders_ink(qtbot, app_font):
    label = QLabel("闭环:抖音电商 GMV 一万亿")
    label.setFont(QFont(app_font, 20))
    label.setStyleSheet("background: white; color: black;")
    qtbot.addWidget(label)
    label.adjustSize()
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() > 100 and image.height() > 10
    dark = sum(1 for y in range(image.height()) for x in range(image.width())
               if QColor(image.pixel(x, y)).lightness() < 128)
    assert dark > 200, "the Chinese label rendered blank"
    # Different characters give different ink: not the same box for every glyph.
    def ink(text: str) -> QImage:
        lab = QLabel(text)
        lab.setFont(QFont(app_font, 20))
        lab.setStyleSheet("background: white; color: black;")
        qtbot.addWidget(lab)
        lab.adjustSize()
        return lab.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert ink("闭") != ink("环")
