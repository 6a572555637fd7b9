"""The practice round: a short scenario with fewer choices, and a coach whose steps come once,
in order, when their condition holds for the student's company."""

from __future__ import annotations

import shutil

import pytest

from game.engine import RulesError, load_rules, new_game
from game.practice import Coach, load_practice


def test_the_practice_scenario_limits_the_choices(rules):
    spec = load_practice(rules)
    scen = rules.scenario(spec.scenario)
    assert scen.rounds == 3 and spec.company in scen.companies
    state = new_game(rules, spec.scenario, 1)
    seen = set()
    step = 0
    while not state.is_terminal():
        legal = state.legal_actions()
        seen |= {rules.action(a.id).kind for a in legal}
        state.apply_action(legal[(step * 7) % len(legal)])
        step += 1
    assert "commerce" in seen and "build" in seen
    assert not seen & {"poach", "content", "waybill_terms", "buy_traffic"}


def test_the_coach_explains_each_step_once_when_it_applies(rules):
    spec = load_practice(rules)
    coach = Coach(rules, spec)
    state = new_game(rules, spec.scenario, 2)
    me = spec.company
    while state.current_company != me:
        state.apply_action(next(a for a in state.legal_actions() if rules.action(a.id).kind == "end_turn"))
    first = coach.next_step(state)
    assert first is not None and first.when == "start"
    second = coach.next_step(state)
    assert second is not None and second.when == "legal:commerce"
    before_sale = []
    while (step := coach.next_step(state)) is not None:
        before_sale.append(step.when)
    assert not any(w.startswith("taken:") or w == "end" for w in before_sale)
    sell = next(a for a in state.legal_actions() if rules.action(a.id).kind == "commerce")
    state.apply_action(sell)
    whens = []
    while (step := coach.next_step(state)) is not None:
        whens.append(step.when)
    assert "taken:commerce" in whens
    assert all(w != "end" for w in whens)
    while not state.is_terminal():
        legal = state.legal_actions()
        state.apply_action(legal[-1])
    rest = []
    while (step := coach.next_step(state)) is not None:
        rest.append(step.when)
    assert rest[-1] == "end" and "start" not in rest
    assert coach.next_step(state) is None


def test_a_broken_coach_file_is_named(tmp_path, rules):
    bad = tmp_path / "rules"
    shutil.copytree(rules.source_dir, bad)
    text = (bad / "practice.toml").read_text(encoding="utf-8").replace('when = "taken:build"', 'when = "taken:dance"')
    (bad / "practice.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_practice(load_rules(bad))
    assert any(p.file == "practice.toml" and "when" in p.key and "dance" in p.reason for p in err.value.problems)
