"""Rules files of the wrong shape get a RulesError naming file and key, never a traceback."""

import shutil
from pathlib import Path

import pytest

from game.engine import RulesError, load_rules

CASES = [
    ("pillars.toml", "\n[pillars]\nbogus = 3\n", "pillars.bogus"),
    ("companies.toml", "\n[powers]\nbogus = 3\n", "powers.bogus"),
    ("scenarios/no_pandemic.toml", None, "extends"),
    ("scenarios/default.toml", None, "scenario.waybill_provider"),
    ("scenarios/no_link_ban.toml", "outside_links = [\"x\"]\n", "outside_links[0]"),
    ("scenarios/no_link_ban.toml", "scheduled = [\"x\"]\n", "scheduled[0]"),
    ("scenarios/channels_early.toml", "\n[company_overrides]\ntencent = 3\n", None),
    ("texts.toml", None, "reasons"),
    ("actions.toml", None, "actions.build.traffic"),
    ("events.toml", "\n[events.odd]\neffects = [{ type = \"traffic\", action = \"sell\", mult = 2.0 }]\n"
                    "name = { zh = \"怪\", en = \"Odd\" }\ntext = { zh = \"怪\", en = \"Odd\" }\n",
     "events.odd.effects[0].action"),
    ("companies.toml", None, "companies.tencent.users"),
]


def _edit(root: Path, file: str, extra: str | None) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    if extra is not None:
        # Top-level keys go before the first table of a scenario; tables are appended.
        new = extra + text if file.startswith("scenarios/") and not extra.startswith("\n[") else text + extra
        path.write_text(new, encoding="utf-8")
        return
    if file.endswith("no_pandemic.toml"):
        text = text.replace('extends = "default"', 'extends = ["default"]')
    elif file.endswith("default.toml"):
        text = text.replace('waybill_provider = "alibaba"', 'waybill_provider = ["a"]')
    elif file == "texts.toml":
        text = text.replace("[reasons]", "reasons = \"x\"\n[reasons_gone]")
    elif file == "actions.toml":
        text = text.replace('kind = "build"', 'kind = "build"\ntraffic = 50.0')
    elif file == "companies.toml":
        text = text.replace("users = 800.0", "users = 5000.0")
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("file,extra,key", CASES)
def test_malformed_rules_are_reported_not_raised(tmp_path, file, extra, key):
    root = tmp_path / "rules"
    shutil.copytree("rules", root)
    _edit(root, file, extra)
    with pytest.raises(RulesError) as info:
        load_rules(root)
    text = str(info.value)
    assert file.split("/")[-1] in text
    if key:
        assert key in text, text
