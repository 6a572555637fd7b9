"""legal_actions() has a fast path; it must agree with why_illegal() on every action, always."""

import numpy as np
import pytest

from game.engine import IllegalActionError, load_rules, new_game


@pytest.mark.parametrize("scenario", ["default", "cainiao_monopoly", "no_link_ban", "class_period"])
def test_legal_actions_equal_the_actions_why_illegal_allows(scenario):
    rules = load_rules("rules")
    rng = np.random.default_rng(11)
    checked = 0
    for seed in range(6):
        state = new_game(rules, scenario, seed)
        while not state.is_terminal():
            legal = state.legal_actions()
            allowed = [a for a in state.candidate_actions() if state.why_illegal(a) is None]
            assert legal == allowed, f"round {state.round}, {state.current_company}"
            illegal = [a for a in state.candidate_actions() if a not in legal]
            if illegal:
                bad = illegal[int(rng.integers(len(illegal)))]
                before = state.snapshot()
                with pytest.raises(IllegalActionError) as err:
                    state.apply_action(bad)
                assert err.value.reason.code == state.why_illegal(bad).code
                assert state.snapshot() == before
            state.apply_action(legal[int(rng.integers(len(legal)))])
            checked += 1
    assert checked > 300


def test_every_reason_and_log_key_the_engine_uses_has_text():
    """The engine's reason codes and log keys (found in its source) all have zh and en text."""
    import re
    from pathlib import Path

    from game.engine.text import LOG_KEYS, REASON_CODES

    src = "\n".join(p.read_text() for p in Path("game/engine").rglob("*.py"))
    used_reasons = set(re.findall(r'Reason\("([a-z_]+)"', src)) - {"illegal"}
    used_logs = set(re.findall(r'note\([^,]+, "([a-z_]+)"', src))
    assert len(used_reasons) > 15 and len(used_logs) > 15   # the patterns still find them
    assert used_reasons <= set(REASON_CODES)
    assert used_logs <= set(LOG_KEYS)
    rules = load_rules("rules")
    for code in REASON_CODES:
        assert rules.reasons[code].zh and rules.reasons[code].en
    for key in LOG_KEYS:
        assert rules.log_texts[key].zh and rules.log_texts[key].en


def test_a_clone_and_its_original_undo_independently():
    rules = load_rules("rules")
    state = new_game(rules, "default", 4)
    for _ in range(5):
        state.apply_action(state.legal_actions()[0])
    twin = state.clone()
    before = twin.snapshot()
    state.undo()  # puts a saved company back into play in the original
    state.apply_action(state.legal_actions()[-1])
    assert twin.snapshot() == before
    twin.apply_action(twin.legal_actions()[0])
    twin.undo()
    assert twin.snapshot() == before
    with pytest.raises(IndexError):
        twin.undo()  # a clone cannot undo what happened before it was made


def test_company_copy_and_save_cover_every_field():
    """copy() lists the fields by hand (it is hot): a new field must be in it; save() and load()
    (undo) must give every field back as it was, lists included, as copies."""
    from game.engine.company import CompanyState

    rules = load_rules("rules")
    cs = new_game(rules, "default", 1).companies[0]
    for i, name in enumerate(CompanyState.__slots__):
        if name not in ("progress", "used"):
            setattr(cs, name, f"v{i}")
    twin = cs.copy()
    assert all(getattr(twin, n) == getattr(cs, n) for n in CompanyState.__slots__)
    saved = cs.save()
    blank = CompanyState.__new__(CompanyState)
    blank.load(saved)
    assert all(getattr(blank, n) == getattr(cs, n) for n in CompanyState.__slots__)
    assert blank.progress is not cs.progress and blank.used is not cs.used
