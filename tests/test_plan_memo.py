"""The players' memoised build plans are the plans computed afresh, in every state, and the
heuristic decides exactly as it would without the memo."""

from __future__ import annotations

import re

import numpy as np
import pytest

from game.engine import GameState, load_rules, new_game
from game.players import HeuristicPlayer, make_player
from game.players.plan import PlanMemo, fresh_build_plan
from game.session import Session, SessionHooks
from game.testing import copy_rules, set_company


class FreshPlans:
    """The memo's interface without the memory: every answer computed afresh."""

    def loop_status(self, state: GameState, company: str):
        return state.loop_status(company)

    def build_plan(self, state: GameState, company: str) -> tuple[str, ...]:
        return fresh_build_plan(state, company)


class CompareEveryCompany(SessionHooks):
    """Before every action: the memo's answers for every company equal fresh ones."""

    def __init__(self, memo: PlanMemo):
        self.memo = memo
        self.compared = 0

    def before_action(self, state: GameState, company: str) -> None:
        for cid in state.players:
            assert self.memo.loop_status(state, cid) == state.loop_status(cid), (cid, state.round)
            assert self.memo.build_plan(state, cid) == fresh_build_plan(state, cid), (cid, state.round)
            self.compared += 1


def test_memoised_plans_equal_fresh_ones_over_random_games(rules):
    memo = PlanMemo()                  # one memo for every game, scenario and company subset
    check = CompareEveryCompany(memo)
    rng = np.random.default_rng(5)
    for sid in sorted(rules.scenarios):
        for g in range(3):
            players = list(rules.scenario(sid).companies)
            if g == 2 and len(players) > 2:
                players = players[1:]                        # other seats, other indices
            state = new_game(rules, sid, int(rng.integers(1 << 30)), players)
            kinds = ["random", "heuristic", "rush_app"]
            seats = {cid: make_player(kinds[(g + i) % 3], int(rng.integers(1 << 30)))
                     for i, cid in enumerate(state.players)}
            Session(state, seats, [check]).run_to_end()
    assert check.compared > 5000


def test_memoised_plans_equal_fresh_ones_in_set_up_states(rules):
    """Built sets play rarely reaches: random prerequisites-closed sets and part progress."""
    memo = PlanMemo()
    rng = np.random.default_rng(11)
    caps = [c.id for c in rules.capabilities]
    compared = 0
    for trial in range(120):
        sid = sorted(rules.scenarios)[trial % len(rules.scenarios)]
        state = new_game(rules, sid, trial)
        for cid in state.players:
            want = [c for c in caps if rng.random() < 0.3]
            try:
                set_company(state, cid, built=want, app_launched=bool(rng.random() < 0.3))
            except (ValueError, KeyError):
                continue                                   # e.g. a capability locked here
            cs = state.company(cid)
            todo = [k for k, c in enumerate(rules.capabilities)
                    if not cs.built >> k & 1 and c.work > 1]
            if todo and rng.random() < 0.5:
                k = todo[int(rng.integers(len(todo)))]
                if state.node_state(cid, caps[k]) == "available":
                    set_company(state, cid, progress={caps[k]: 1})
        for cid in state.players:
            assert memo.loop_status(state, cid) == state.loop_status(cid)
            assert memo.build_plan(state, cid) == fresh_build_plan(state, cid)
            compared += 1
    assert compared > 200


def test_a_memo_follows_the_rules_it_is_asked_about(tmp_path, rules):
    """Other rules (costs changed) give other plans: the memo must not answer from the first."""
    folder = copy_rules(tmp_path / "rules")
    path = folder / "capabilities.toml"
    # Turn the costs around (cheap becomes dear): the plans' costs change.
    path.write_text(re.sub(r"(?m)^cost = ([0-9.]+)$",
                           lambda m: f"cost = {max(1.0, 20.0 - float(m.group(1)))}",
                           path.read_text(encoding="utf-8")), encoding="utf-8")
    other = load_rules(folder)
    memo = PlanMemo()
    plans = {}
    for r in (rules, other, rules, other):
        state = new_game(r, "default", 1)
        for cid in state.players:
            assert memo.build_plan(state, cid) == fresh_build_plan(state, cid)
            assert memo.loop_status(state, cid) == state.loop_status(cid)
            plans.setdefault(cid, set()).add(state.loop_status(cid))
    assert any(len(p) > 1 for p in plans.values()), "the changed costs changed no plan"


@pytest.mark.parametrize("scenario", ["default", "class_period", "cainiao_monopoly"])
def test_the_heuristic_decides_the_same_with_and_without_the_memo(rules, scenario):
    for seed in range(4):
        histories = []
        for plans in (FreshPlans(), PlanMemo()):
            state = new_game(rules, scenario, seed)
            seats = {cid: HeuristicPlayer(seed * 7919 + i, plans=plans)
                     for i, cid in enumerate(state.players)}
            histories.append(Session(state, seats).run_to_end().history)
        assert histories[0] == histories[1]


def test_the_memo_is_used(rules, monkeypatch):
    """A memo that is silently bypassed would cost the heuristic half its time again."""
    calls = []
    real = GameState.loop_status
    monkeypatch.setattr(GameState, "loop_status",
                        lambda self, cid: calls.append(cid) or real(self, cid))
    memo = PlanMemo()
    decisions = 0
    for seed in range(5):
        state = new_game(rules, "default", seed)
        seats = {cid: HeuristicPlayer(seed * 7919 + i, plans=memo)
                 for i, cid in enumerate(state.players)}
        decisions += len(Session(state, seats).run_to_end().history)
    assert 0 < len(calls) < decisions / 10
