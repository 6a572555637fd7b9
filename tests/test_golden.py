"""Golden playthroughs: fail when a rules (or player) change moves the outcome of stored games.

If the change is intended, regenerate them with `python main.py golden --update`, look at the
diff of tests/golden/ and commit it together with the rules change.
"""

import pytest

from game.sim import golden

FILES = sorted(golden.GOLDEN_DIR.glob("*.json"))
HINT = (f"\nIf this rules change is meant to move outcomes, run `{golden.UPDATE_HINT}` "
        f"and commit the new tests/golden/ files with it.")


def test_every_combo_has_a_file():
    names = {p.name for p in FILES}
    missing = [golden.file_name(s, seed, k) for s, seed, k in golden.COMBOS
               if golden.file_name(s, seed, k) not in names]
    assert not missing, f"golden files missing: {missing}" + HINT


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_stored_actions_are_still_legal(rules, path):
    data = golden.load(path)
    state, refused = golden.replay_stored(rules, data)
    assert refused is None, f"{path.name}: {refused}" + HINT
    assert state.is_terminal(), f"{path.name}: the stored actions no longer finish the game" + HINT


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_outcome_has_not_moved(rules, path):
    problems = golden.check_one(rules, path)
    assert not problems, "golden playthrough moved:\n  " + "\n  ".join(problems) + HINT


def test_check_reports_a_moved_outcome(rules, tmp_path):
    """The check itself works: an edited expectation is reported with the key that moved."""
    import json

    src = FILES[0]
    data = golden.load(src)
    cid = data["companies"][0]
    data["expected"]["companies"][cid]["gmv_total"] += 1.0
    (tmp_path / src.name).write_text(json.dumps(data), encoding="utf-8")
    problems = golden.check_one(rules, tmp_path / src.name)
    assert any(f"companies.{cid}.gmv_total" in p for p in problems), problems


def test_check_reports_an_illegal_stored_action(rules, tmp_path):
    import json

    src = FILES[0]
    data = golden.load(src)
    data["actions"].insert(0, "build:no_such_capability")
    (tmp_path / src.name).write_text(json.dumps(data), encoding="utf-8")
    problems = golden.check_one(rules, tmp_path / src.name)
    assert any("#1" in p and "no longer legal" in p for p in problems), problems
