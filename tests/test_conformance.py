"""The conformance run (`python main.py rules test DIR`) passes on the real rules and fails
with the rules' problems on a broken folder."""

from game.sim.conformance import run_conformance
from game.testing import RULES_DIR, copy_rules


def test_real_rules_conform():
    report = run_conformance(RULES_DIR, games=3, seed=11, heuristic_games=1)
    assert report.ok, "\n".join(report.lines)
    assert report.figures["actions"] > 0
    for sid, figs in report.figures.items():
        if isinstance(figs, dict):
            assert figs["undo_checks"] > 0, sid
            assert figs["heuristic_finished"] == 1, sid


def test_broken_rules_fail_with_their_problems(tmp_path):
    d = copy_rules(tmp_path / "rules")
    with open(d / "capabilities.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[capabilities.broken]\npillar = "storefront"\nrequires = ["nowhere"]\n'
                 'cost = 1.0\nwork = 1\nname = { zh = "坏", en = "Broken" }\n'
                 'text = { zh = "坏", en = "Broken" }\n')
    report = run_conformance(d, games=1)
    assert not report.ok
    assert any("nowhere" in line for line in report.lines)


def _modules_after_import(module: str) -> set[str]:
    import subprocess
    import sys

    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=RULES_DIR.parent)
    return set(out.stdout.split())


def test_the_conformance_run_and_the_pytest_kit_do_not_import_each_other():
    """A packaged app ships the conformance run (`rules test`) without pytest."""
    loaded = _modules_after_import("game.sim.conformance")
    assert not {"pytest", "_pytest", "game.testing"} & loaded
    assert "game.sim.conformance" not in _modules_after_import("game.testing")


def test_a_player_that_changes_the_state_while_choosing_is_reported(rules, monkeypatch):
    """The conformance run's heuristic games hold the players to their contract."""
    from game.players.heuristic import HeuristicPlayer
    from game.sim import conformance

    real = HeuristicPlayer.choose

    def meddling(self, state):
        action = real(self, state)
        if len(state.history) == 10:
            state.history.append(action)      # a player must never do this
            state.history.pop()
            state.log.append(state.log[-1])
        return action

    monkeypatch.setattr(HeuristicPlayer, "choose", meddling)
    report = conformance.run_conformance(RULES_DIR, games=0, heuristic_games=1)
    assert not report.ok
    assert any("changed the state while choosing" in f for f in report.failures)
