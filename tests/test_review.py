"""Game review: a planted blunder (the leader throws its whole last turn away) is found and
labelled; labels follow the thresholds; the result does not depend on the number of jobs."""

from __future__ import annotations

import json

import pytest

from game.engine import load_rules, new_game
from game.players import make_player
from game.sim.review import LABELS, label_of, review_game


CLEAR_LEAD = 0.1


def _planted(rules, seed=1):
    """A heuristic game where the company that would win ends its last turn at once, and so
    loses: the first seed from ``seed`` on where that throw-away costs the game (a clear
    winner keeps its game however it ends the last turn) and where the leader was ahead by at
    least ``CLEAR_LEAD`` points (a game won by a hair is a coin flip from the last turn on, and
    the review rightly finds nothing there to lose)."""
    for game_seed in range(seed, seed + 40):
        found = _throw_away(rules, game_seed)
        if found is not None:
            return found
    raise AssertionError(f"no seed in {seed}..{seed + 39} where ending the last turn at once loses")


def _throw_away(rules, seed):
    s = new_game(rules, "default", seed)
    ps = {c: make_player("heuristic", seed + i) for i, c in enumerate(s.players)}
    while s.round < s.scenario.rounds:
        s.apply_action(ps[s.current_company].choose(s))
    ahead = s.clone()
    while not ahead.is_terminal():
        ahead.apply_action(ps[ahead.current_company].choose(ahead))
    leader = ahead.winner_id
    points = sorted((c.points for c in ahead.companies), reverse=True)
    if points[0] - points[1] < CLEAR_LEAD:
        return None
    wasted = None
    while not s.is_terminal():
        if s.current_company == leader and wasted is None:
            wasted = len(s.history) + 1
            s.apply_action(next(a for a in s.legal_actions() if rules.action(a.id).kind == "end_turn"))
        else:
            s.apply_action(ps[s.current_company].choose(s))
    if s.winner_id == leader:               # the throw-away did not cost it the game
        return None
    return s, leader, wasted


def test_labels_follow_the_thresholds():
    assert [name for _, name in LABELS] == ["blunder", "mistake", "inaccuracy"]
    assert label_of(0.04) is None and label_of(0.05) == "inaccuracy"
    assert label_of(0.12) == "mistake" and label_of(0.25) == "blunder"


def test_a_planted_blunder_is_found_and_labelled(rules):
    state, leader, wasted = _planted(rules)
    review = review_game(rules.source_dir, state, samples=8, confirm=16, only=[wasted, wasted - 3])
    by_index = {d.index: d for d in review.decisions}
    d = by_index[wasted]
    assert d.company == leader and d.action == "end_turn"
    assert d.label == "blunder" and d.loss >= 0.2
    assert d.best != "end_turn" and d.best_win > d.chosen_win
    assert review.costliest(leader)[0].index == wasted
    assert [o.action for o in d.options][0] == d.best


def test_review_is_the_same_for_any_number_of_jobs(rules):
    state, _, wasted = _planted(rules, seed=2)
    only = [wasted, 5, 40]
    one = review_game(rules.source_dir, state, samples=4, confirm=4, only=only, jobs=1)
    two = review_game(rules.source_dir, state, samples=4, confirm=4, only=only, jobs=2)
    assert json.dumps(one.as_dict()) == json.dumps(two.as_dict())


def test_review_command_lists_the_costliest_decisions(tmp_path, rules, capsys):
    from game.cli import main
    from game.saves import save_game
    state, leader, wasted = _planted(rules)
    path = tmp_path / "g.json"
    save_game(state, path)
    # the whole game at a tiny budget: the command runs end to end and its JSON has every part
    assert main(["review", str(path), "--json", "--samples", "1", "--confirm", "0", "--jobs", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["companies"]) == set(state.players)
    for c in data["companies"].values():
        assert set(c["counts"]) == {"blunder", "mistake", "inaccuracy"}
        assert len(c["costliest"]) <= 3 and c["decisions"]
    with pytest.raises(SystemExit):
        main(["review"])
