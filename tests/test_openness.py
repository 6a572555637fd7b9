"""tools/openness.py, the designer's measure of an open ending: the share of games already
settled (one company wins nearly every redrawn future) at a round."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def openness(tool):
    return tool("openness")


def test_a_decided_scenario_is_settled_early_and_the_default_is_open(openness):
    rules = str(ROOT / "rules")
    # Cainiao's monopoly: Alibaba wins nearly every game (benchmarks/balance-cainiao_monopoly.txt)
    decided = openness.settled_shares(rules, "cainiao_monopoly", games=6, redraws=5, seed=500)
    assert list(decided) == [4, 6, 8, 10]
    assert decided[4] >= 0.8
    # the default game is open at round 4 (docs/balance.md: about one game in ten)
    open_game = openness.settled_shares(rules, "default", games=6, redraws=5, seed=500)
    assert open_game[4] <= 0.5
    assert all(0.0 <= share <= 1.0 for share in open_game.values())


def test_only_rounds_before_the_last_are_measured(openness):
    shares = openness.settled_shares(str(ROOT / "rules"), "class_period", games=2, redraws=2, seed=1)
    assert list(shares) == [4, 6]      # eight quarters: rounds 8 and 10 are not before the end


@pytest.mark.parametrize("args, said", [(["--scenario", "nope"], "unknown scenario 'nope'"),
                                        (["--rules", "/no/such/folder"], "not a rules folder")])
def test_a_mistyped_option_is_a_usage_error_not_a_traceback(openness, monkeypatch, capsys, args, said):
    monkeypatch.setattr("sys.argv", ["openness.py", "--games", "1", *args])
    with pytest.raises(SystemExit) as exit_:
        openness.main()
    assert exit_.value.code == 2 and said in capsys.readouterr().err
