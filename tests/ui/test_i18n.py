"""rules/ui.toml: every key in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.ui.i18n import LANGS, UiTextError, load_ui_texts

UI_DIR = Path(__file__).resolve().parents[2] / "game" / "ui"
OWN_FILES = [p for p in UI_DIR.glob("*.py") if p.name not in ("debrief.py", "fonts.py")]


def test_every_key_has_both_languages():
    ui = load_ui_texts()
    assert len(ui.keys()) > 50
    for key in ui.keys():
        for lang in LANGS:
            assert ui.table[key][lang].strip(), f"{key} has no {lang}"
        assert ui.table[key]["zh"] != "" and ui.table[key]["en"] != ""


def test_every_literal_key_in_the_code_exists():
    ui = load_ui_texts()
    used = set()
    for path in OWN_FILES:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:ui\.t|\bt)\(\s*"([a-z_]+\.[a-z_]+)"', text))
    assert used, "no keys found: the pattern is out of date"
    missing = sorted(k for k in used if k not in ui.table)
    assert not missing, f"keys used in game/ui but missing from rules/ui.toml: {missing}"


def test_dynamic_keys_exist():
    ui = load_ui_texts()
    for key in ("role.human", "role.computer", "role.out", "level.random", "level.heuristic",
                "who.all", "who.leader", "who.laggard", "who.has", "who.lacks"):
        assert key in ui.table
    for metric in ("traffic", "capital", "ux", "users", "gmv", "loop"):
        assert f"metric.{metric}" in ui.table and f"metric.{metric}_tip" in ui.table
    for node in ("built", "in_progress", "available", "locked"):
        assert f"node.{node}" in ui.table and f"info.node_{node}" in ui.table
    from game.engine.rules import EFFECT_TYPES

    for effect in EFFECT_TYPES:
        assert f"effect.{effect}" in ui.table


def test_broken_file_lists_every_problem(tmp_path):
    bad = tmp_path / "ui.toml"
    bad.write_text('[a]\nx = { zh = "中" }\ny = { zh = "{n}个", en = "{m} items" }\nz = 3\n',
                   encoding="utf-8")
    with pytest.raises(UiTextError) as info:
        load_ui_texts(bad)
    keys = [k for k, _ in info.value.problems]
    assert keys == ["a.z", "a.x", "a.y"] or sorted(keys) == ["a.x", "a.y", "a.z"]
    assert "missing or empty 'en'" in str(info.value)


def test_placeholders_fill_in():
    ui = load_ui_texts()
    assert ui.t("status.actions_left", "en", left=1, total=3) == "Actions left: 1 / 3"
    assert "1" in ui.t("status.actions_left", "zh", left=1, total=3)
