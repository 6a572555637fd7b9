"""The rulebook (docs/rules.md) is generated from the rules data and must never drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.docs.rulebook import main as rulebook_main
from game.docs.rulebook import money, num, render_rulebook
from game.engine import load_rules

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
BOOK = ROOT / "docs" / "rules.md"
HOW = "regenerate it with: python -m game.docs.rulebook (or python main.py rulebook)"


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_DIR)


@pytest.fixture(scope="module")
def book(rules) -> str:
    return render_rulebook(rules)


def test_docs_rules_md_is_up_to_date(book):
    assert BOOK.exists(), f"docs/rules.md is missing: {HOW}"
    current = BOOK.read_text(encoding="utf-8")
    assert current == book, f"docs/rules.md is out of date with rules/: {HOW}"


def test_both_languages_chinese_first(book):
    zh = book.index("规则书")
    en = book.index("Rulebook")
    assert zh < en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_name_appears(rules, book, lang):
    names = [a.name.get(lang) for a in rules.actions]
    names += [c.name.get(lang) for c in rules.capabilities]
    names += [c.name.get(lang) for c in rules.companies.values()]
    names += [e.name.get(lang) for e in rules.events.values()]
    names += [p.name.get(lang) for p in rules.pillars.values()]
    names += [p.name.get(lang) for p in rules.powers.values()]
    names += [s.name.get(lang) for s in rules.scenarios.values()]
    missing = [n for n in names if n not in book]
    assert not missing, f"names missing from the rulebook ({lang}): {missing}"


def test_numbers_come_from_the_data(rules, book):
    scen = rules.scenario("default")
    for lang in ("zh", "en"):
        for cap in rules.capabilities:
            cost, total = money(rules, cap.cost, lang), money(rules, cap.cost * cap.work, lang)
            assert f"{cost} × {cap.work} = {total}" in book, (cap.id, lang)
        for a in rules.actions:
            if a.capital:
                assert money(rules, a.capital, lang) in book, (a.id, lang)
            if a.capital_per_traffic:
                assert money(rules, a.capital_per_traffic, lang) in book, (a.id, lang)
    for a in rules.actions:
        if a.traffic:
            assert f"{num(a.traffic)} traffic" in book, a.id
    assert f"{scen.rounds} rounds" in book
    assert f"{scen.actions_per_round} actions" in book
    if scen.target_quarter_gmv is not None:
        assert num(scen.target_quarter_gmv) in book
    eco = rules.economy
    assert f"users × {num(eco.traffic_per_user)}" in book
    assert f"(data + {num(eco.data_half)})" in book


def test_facts_cited_are_explained(rules, book):
    import re

    cited = set(re.findall(r"\bF\d\d\b", book))
    assert cited, "the rulebook cites no facts"
    for tag in cited:
        assert tag in rules.facts, tag
        assert rules.facts[tag].zh in book and rules.facts[tag].en in book, tag


def test_no_placeholders(book):
    import re

    for bad in (r"\bNone\b", r"[{}]", r" \? ", r"\bnan\b", r"\binf\b", r"TODO"):
        assert not re.search(bad, book), f"placeholder-like text {bad!r} in the rulebook"


@pytest.mark.parametrize("scenario", ["no_link_ban", "cainiao_monopoly", "channels_early", "no_pandemic"])
def test_every_scenario_renders(rules, scenario):
    if scenario not in rules.scenarios:
        pytest.skip(f"no scenario {scenario}")
    text = render_rulebook(rules, scenario)
    assert rules.scenario(scenario).name.en in text


def test_edited_rules_change_the_book(tmp_path, rules):
    """A cost changed in rules/ shows up in the book, and --check then fails."""
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    out = tmp_path / "rules.md"
    assert rulebook_main(["--rules", str(folder), "--out", str(out)]) == 0
    assert rulebook_main(["--check", "--rules", str(folder), "--out", str(out)]) == 0
    cap = rules.capabilities[0]
    path = folder / "capabilities.toml"
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition(f"[capabilities.{cap.id}]")
    new_cost = cap.cost + 7
    tail = tail.replace(f"cost = {cap.cost}", f"cost = {new_cost}", 1)
    path.write_text(head + sep + tail, encoding="utf-8")
    changed_rules = load_rules(folder)
    changed = render_rulebook(changed_rules)
    for lang in ("zh", "en"):
        cost = money(changed_rules, new_cost, lang)
        assert f"{cost} × {cap.work} = {money(changed_rules, new_cost * cap.work, lang)}" in changed
    assert rulebook_main(["--check", "--rules", str(folder), "--out", str(out)]) == 1


def test_the_goal_follows_the_scenarios_victory_rules(rules, book):
    """The default game is won on goal points: the book says so, with the data's numbers, and
    does not tell a GMV race (which it did when the default changed)."""
    scen = rules.scenario("default")
    assert scen.victory_points
    goal = book.split("## 目标与胜负", 1)[1].split("## 季度与回合", 1)[0]
    assert "目标分" in goal and "累计GMV最高的公司获胜" not in goal
    assert f"+{scen.loop_points:g} 分" in goal and f"最多 {scen.quarter_points_cap:g} 分" in goal
    english = book.split("## The goal and how to win", 1)[1].split("## A round and a turn", 1)[0]
    assert "goal points" in english and "highest total GMV wins" not in english
    for c in scen.companies:
        assert money(rules, scen.company_specs[c].goal_gmv, "en") in english
