"""The scenario editor's core: a draft cloned from a scenario, checked with the messages of
`rules check`, saved as a file the next game loads; never overwriting unasked."""

from __future__ import annotations

import shutil

import pytest

from game.engine import RulesError, load_rules, new_game
from game.scenario_edit import check, draft_from, save, to_toml


@pytest.fixture
def folder(tmp_path, rules):
    dest = tmp_path / "rules"
    shutil.copytree(rules.source_dir, dest)
    return dest


def test_a_cloned_scenario_is_valid_and_loads(folder, rules):
    d = draft_from(rules, "default", "rich_start")
    d.companies["tencent"]["capital"] = 40.0
    d.rounds = 10
    d.scheduled = {e: [r for r in rs if r <= 10] for e, rs in d.scheduled.items()}
    assert check(folder, d) == []
    path = save(folder, d)
    assert path.name == "rich_start.toml"
    again = load_rules(folder)
    scen = again.scenario("rich_start")
    assert scen.rounds == 10 and scen.company_specs["tencent"].capital == 40.0
    assert scen.company_specs["alibaba"].goal_gmv == rules.scenario("default").company_specs["alibaba"].goal_gmv
    state = new_game(again, "rich_start", 1)
    assert state.company("tencent").capital == 40.0


def test_problems_use_the_rules_checks_words(folder, rules):
    d = draft_from(rules, "default", "broken")
    d.rounds = 6                                   # the scheduled festivals of rounds 8-12 no longer fit
    d.victory["loop_points"] = -1.0
    problems = check(folder, d)
    keys = {p.key for p in problems}
    assert "victory.loop_points" in keys and any(k.startswith("scheduled[") for k in keys)
    assert all(p.file == "scenarios/broken.toml" and p.reason for p in problems)
    with pytest.raises(RulesError):
        save(folder, d)
    assert not (folder / "scenarios" / "broken.toml").exists()
    assert check(folder, draft_from(rules, "default", "Bad Id"))[0].key == "(file)"


def test_an_existing_scenario_is_not_overwritten_unasked(folder, rules):
    before = (folder / "scenarios" / "class_period.toml").read_text(encoding="utf-8")
    d = draft_from(rules, "default", "class_period")
    d.scheduled = {e: [r for r in rs if r <= d.rounds] for e, rs in d.scheduled.items()}
    with pytest.raises(FileExistsError):
        save(folder, d)
    assert (folder / "scenarios" / "class_period.toml").read_text(encoding="utf-8") == before
    assert to_toml(d).startswith("# Made with the scenario editor")
