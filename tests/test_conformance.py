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
