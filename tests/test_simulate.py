"""simulate in several processes prints exactly what it prints in one; the ordered-chunks helper
keeps the tasks' order."""

from __future__ import annotations

import json
import time

import pytest

from game.cli import main
from game.engine import load_rules
from game.sim import simulate as sim
from game.sim.parallel import chunks, run_ordered


def _cli(capsys, *args: str) -> tuple[int, str]:
    code = main(["simulate", *args])
    out = capsys.readouterr().out
    return code, out


@pytest.mark.parametrize("fmt", [["--json"], []])
def test_simulate_prints_the_same_for_any_number_of_jobs(capsys, monkeypatch, fmt):
    monkeypatch.setattr(sim, "CHUNK", 4)      # 18 games: 5 chunks, so the processes share them
    args = ["--games", "18", "--seed", "3", "--players", "heuristic,random,rush_app", *fmt]
    one = _cli(capsys, *args, "--jobs", "1")
    for jobs in ("2", "3"):
        assert _cli(capsys, *args, "--jobs", jobs) == one
    assert one[0] == 0 and "bytedance" in one[1]


def test_the_summary_adds_games_in_order_whatever_the_chunks(rules, monkeypatch):
    """The floats are summed game by game in game order: chunking moves no bit."""
    kinds = ["heuristic", "heuristic", "random"]
    base = json.dumps(sim.simulate(rules, "default", 12, 7, kinds).as_dict())
    for size in (1, 5, 100):
        monkeypatch.setattr(sim, "CHUNK", size)
        assert json.dumps(sim.simulate(rules, "default", 12, 7, kinds, jobs=2).as_dict()) == base


def test_simulate_counts_what_the_games_did(rules):
    result = sim.simulate(rules, "default", 4, 1, ["heuristic"] * 3)
    games = [sim.play_game(rules, "default", 1 + g, ["heuristic"] * 3) for g in range(4)]
    assert result.actions_total == sum(len(s.history) for s in games)
    for cid, summary in result.companies.items():
        assert summary.games == 4
        assert summary.wins == sum(s.winner_id == cid for s in games)
        assert summary.gmv == pytest.approx(sum(s.company(cid).gmv_total for s in games))
        taken = sum(summary.actions.values())
        assert taken == sum(1 for s in games for i, a in enumerate(s.history)
                            if _mover(s, i) == cid)


def _mover(state, i: int) -> str:
    """Who played action ``i`` of a finished game (replayed up to it)."""
    from game.engine import new_game

    replayed = new_game(state.rules, state.scenario.id, state.seed, state.players)
    for a in state.history[:i]:
        replayed.apply_action(a)
    return replayed.current_company


def test_bad_jobs_are_refused_with_the_reason(capsys):
    code = main(["simulate", "--games", "2", "--jobs", "0"])
    assert code == 2
    assert "--jobs must be a whole number of processes, at least 1 (got 0)" in capsys.readouterr().err


def test_workers_refuse_rules_that_changed_under_them(tmp_path):
    from game.sim.parallel import rules_for
    from game.testing import copy_rules

    folder = copy_rules(tmp_path / "rules")
    fingerprint = load_rules(folder).fingerprint
    assert rules_for(folder, fingerprint).fingerprint == fingerprint
    with pytest.raises(ValueError, match="changed while games were being played"):
        rules_for(folder, "another")


def _slow_square(x: int) -> int:
    time.sleep(0.05 * (5 - x))                # the first tasks finish last
    return x * x


def test_run_ordered_keeps_the_tasks_order():
    assert list(run_ordered(_slow_square, range(5), jobs=3)) == [0, 1, 4, 9, 16]
    assert list(run_ordered(_slow_square, range(5), jobs=1)) == [0, 1, 4, 9, 16]
    assert [list(r) for r in chunks(3, 10, 3)] == [[3, 4, 5], [6, 7, 8], [9]]
