"""Between quarters a summary: what each company earned, what moved its users and why, and the
quarter's milestones as moments. Non-modal; only when a person plays; the debrief takes over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton

from game.engine import format_money, format_users, new_game, render_log
from game.players import make_player
from game.session import Session

pytestmark = pytest.mark.gui


def _play_first_round_to_human_end(state, human: str) -> None:
    """Computers (heuristic) play everything up to the person's last action of round 1."""
    players = {cid: make_player("heuristic", i) for i, cid in enumerate(state.players)}
    session = Session(state, players)
    while not (state.current_company == state.players[-1] and state.actions_left == 0):
        session.step()
    assert state.round == 1 and not state.records


def _end_turn(window, state):
    end = next(a for a in state.legal_actions() if state.rules.action(a.id).kind == "end_turn")
    window.request_action(end)


def test_summary_after_a_person_ends_the_quarter(qtbot, board_on, rules):
    state = new_game(rules, "default", 5)
    last = state.players[-1]
    _play_first_round_to_human_end(state, last)
    window = board_on(state, {cid: "heuristic" if cid != last else "human" for cid in state.players})
    assert window.quarter_summary is None or not window.quarter_summary.isVisible()
    _end_turn(window, state)
    qtbot.waitUntil(lambda: window.quarter_summary is not None and window.quarter_summary.isVisible())
    dlg = window.findChild(type(window.quarter_summary), "quarterSummary")
    assert dlg is window.quarter_summary and not dlg.isModal()
    rec = state.records[0]
    html = dlg.text.toPlainText()
    for cid in state.players:
        fig = rec.companies[cid]
        assert rules.companies[cid].name.get("en") in html
        assert format_money(rules, fig["gmv"], "en") in html
        assert format_users(fig["users"], "en") in html
        result = next(e for e in state.log if e.round == 1 and e.company == cid
                      and e.key == "quarter_result")
        assert format_money(rules, result.params["income"], "en") in html
        assert format_users(result.params["users_change"], "en", sign=True) in html
    for e in state.log:
        if e.round == 1 and e.key in ("ux_users", "link_fees", "waybill_fees", "event_hit",
                                      "loop_closed", "launch_app", "ban_links"):
            assert render_log(rules, e, "en") in html
    # the game is not stopped: the summary is non-modal, the computers play on behind it
    qtbot.waitUntil(lambda: window.is_human_turn() or state.is_terminal(), timeout=20_000)
    assert dlg.isVisible()
    qtbot.mouseClick(dlg.findChild(QPushButton, "quarterContinue"), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()


def test_summary_in_chinese_uses_yi_and_wan(qtbot, board_on, rules, make_window):
    state = new_game(rules, "default", 5)
    last = state.players[-1]
    _play_first_round_to_human_end(state, last)
    window = board_on(state, {cid: "heuristic" if cid != last else "human" for cid in state.players},
                      lang="zh")
    _end_turn(window, state)
    dlg = window.quarter_summary
    assert dlg is not None and dlg.isVisible()
    text = dlg.text.toPlainText()
    assert "2020年第1季度" in text and "百万" not in text
    assert format_users(state.records[0].companies[last]["users"], "zh") in text
    assert dlg.findChild(QPushButton, "quarterContinue").text() == "继续"


def test_milestones_are_moments(qtbot, board_on, rules):
    """A loop closed, an app launched, links banned: highlighted, not just log lines."""
    from game.ui.quarter import quarter_facts

    for seed in range(1, 40):
        state = new_game(rules, "default", seed)
        session = Session(state, {cid: make_player("heuristic", seed + i)
                                  for i, cid in enumerate(state.players)})
        session.run_to_end()
        hit = next((e for e in state.log if e.key in ("loop_closed", "launch_app", "ban_links")),
                   None)
        if hit is not None:
            break
    else:
        pytest.skip("no milestone in 40 heuristic games")
    facts = quarter_facts(state, hit.round, "en")
    mine = next(c for c in facts.companies if c.company == hit.company)
    assert render_log(rules, hit, "en") in mine.milestones
    from game.ui.i18n import ui_texts
    from game.ui.quarter import quarter_html

    html = quarter_html(state, facts, ui_texts(), "en")
    assert "Moments of the quarter" in html and "★" in html


def test_no_summary_with_computers_only(qtbot, board_on, rules):
    state = new_game(rules, "default", 5)
    window = board_on(state, {cid: "heuristic" for cid in state.players})
    qtbot.waitUntil(lambda: state.round >= 3, timeout=30_000)
    assert window.quarter_summary is None or not window.quarter_summary.isVisible()


def test_summary_can_be_turned_off(qtbot, board_on, rules, ui_settings):
    state = new_game(rules, "default", 5)
    last = state.players[-1]
    _play_first_round_to_human_end(state, last)
    seats = {cid: "heuristic" if cid != last else "human" for cid in state.players}
    window = board_on(state.clone(), seats)
    _end_turn(window, window.state)
    dlg = window.quarter_summary
    assert dlg is not None and dlg.isVisible() and window.a_quarter.isChecked()
    box = dlg.findChild(QCheckBox, "quarterSummaryShow")
    assert box.isChecked()
    box.setChecked(False)                  # "Show this summary after every quarter": off
    assert not window.a_quarter.isChecked()
    assert window.prefs.flag("quarter_summary", True) is False
    qtbot.mouseClick(dlg.findChild(QPushButton, "quarterContinue"), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    # another game, same settings: the quarter ends and no summary comes
    window.set_game(state, seats)
    _end_turn(window, state)
    assert state.records and not dlg.isVisible()


def test_debrief_takes_over_at_the_end(qtbot, board_on, rules):
    state = new_game(rules, "default", 5)
    last = state.players[-1]
    session = Session(state, {cid: make_player("heuristic", i) for i, cid in enumerate(state.players)})
    while not (state.round == state.scenario.rounds and state.current_company == last
               and state.actions_left == 0):
        session.step()
        if state.is_terminal():
            pytest.skip("the game ended early")
    window = board_on(state, {cid: "heuristic" if cid != last else "human" for cid in state.players})
    assert window.show_quarter_summary(state.round - 1) is not None
    assert window.quarter_summary.isVisible()
    _end_turn(window, state)
    qtbot.waitUntil(lambda: window.debrief is not None, timeout=20_000)
    assert state.is_terminal()
    assert not window.quarter_summary.isVisible()
