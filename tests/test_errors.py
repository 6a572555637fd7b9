"""The game's errors cross process boundaries whole (a worker of `simulate --jobs`, a Dask
worker, `tools/ceiling.py --jobs`): pickled and loaded again, each keeps its message and the
fields a caller reads."""
from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from game.engine import Action, load_rules
from game.engine.errors import IllegalActionError, Problem, RulesError
from game.engine.files import FileReadError
from game.engine.reasons import Reason


def _round_trip(error: Exception) -> Exception:
    return pickle.loads(pickle.dumps(error))


def test_a_rules_error_keeps_its_problems():
    error = RulesError([Problem("rules/actions.toml", "actions.sell.ux", "must be a number, got 'x'"),
                        Problem("rules/game.toml", "economy", "missing")])
    back = _round_trip(error)
    assert isinstance(back, RulesError)
    assert back.problems == error.problems and str(back) == str(error)
    assert str(back).startswith("2 problem(s) in the rules")


def test_an_illegal_action_keeps_its_rule():
    error = IllegalActionError(Action("build", "own_payment"), "tencent",
                               Reason("not_enough_capital", {"need": 50.0, "have": 2.0}), "needs 50, has 2")
    back = _round_trip(error)
    assert isinstance(back, IllegalActionError)
    assert (back.action, back.company, back.reason, str(back)) == (error.action, error.company, error.reason, str(error))


def test_a_file_read_error_keeps_its_path_and_reason():
    error = FileReadError("/some/where/rules.toml", "is a folder, not a file")
    back = _round_trip(error)
    assert isinstance(back, FileReadError)
    assert (back.filename, back.reason, back.errno, str(back)) == (error.filename, error.reason, error.errno, str(error))


def _load(path: str) -> None:
    load_rules(path)


def test_a_rules_error_raised_in_a_worker_reads_the_same_in_the_parent(tmp_path):
    with ProcessPoolExecutor(1) as pool, pytest.raises(RulesError) as caught:
        pool.submit(_load, str(tmp_path / "missing")).result()
    assert len(caught.value.problems) == 1
    assert "not a rules folder: no such folder" in str(caught.value)
