"""The facilitator's session in the app (issue 14, items 1, 2, 5): setup saved and restored,
pause, status lines, seats, bookmarks and notes in the save's meta, the turn countdown, the
replay viewer and a branch from it. No timing assertions: the computers' QTimer steps and the
countdown's ticks are called directly."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox

from game.debrief import CsvGame, decisions_csv
from game.engine import Action, RulesError, load_rules, new_game
from game.players import make_player
from game.saves import load_game, save_game
from game.session import Session
from game.sim.invariants import digest
from game.testing import copy_rules


def _open_dialog(window):
    dlg = window.show_new_game_dialog()
    assert dlg.objectName() == "newGameDialog"
    return dlg


def _choose(dlg, cid: str, role: str) -> None:
    combo = dlg.findChild(QComboBox, f"role_{cid}")
    combo.setCurrentIndex(combo.findData(role))


def _played_save(rules, path, moves: int, scenario="default", seed=5, meta=None):
    state = new_game(rules, scenario, seed)
    seats = {c: make_player("heuristic", seed + i) for i, c in enumerate(state.players)}
    Session(state, seats).play(max_actions=moves)
    save_game(state, path, meta or {"controllers": {c: "heuristic" for c in state.players}})
    return state


# ------------------------------------------------------------------------------ 1. setup

def test_setup_fields_are_saved_and_restored(make_window, qtbot, tmp_path):
    window = make_window("en")
    dlg = _open_dialog(window)
    for cid in window.rules.companies:
        _choose(dlg, cid, "human")
    scen = dlg.findChild(QComboBox, "scenarioCombo")
    scen.setCurrentIndex(scen.findData("class_period"))
    teams = {"bytedance": "红队：小王、小李", "alibaba": "Team Blue (Ann, Bo)", "tencent": "绿队"}
    for cid, name in teams.items():
        dlg.findChild(QLineEdit, f"team_{cid}").setText(name)
    dlg.findChild(QSpinBox, "timerSpin").setValue(3)
    folder = copy_rules(tmp_path / "class-rules")
    assert dlg.set_rules_dir(folder)
    assert "valid" in dlg.findChild(QLabel, "rulesStatus").text()
    qtbot.mouseClick(dlg.findChild(QPushButton, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is not None)
    state = window.state
    assert state.scenario.id == "class_period"
    fac = window.facilitator
    assert fac.teams == teams and fac.timer_minutes == 3 and fac.rules_dir == str(folder)
    assert window.rules is not fac.builtin_rules          # the folder's own rules
    # shown in the panels and the log
    for cid, name in teams.items():
        label = window.findChild(QLabel, f"teamName_{cid}")
        panel = window.panels[cid]
        status = window.findChild(QLabel, f"teamStatus_{cid}")
        shown = label.text() if not label.isHidden() else status.full
        assert name in shown           # its own line, or beside the name on a compact panel
        if label.isHidden():           # there at least the team's short name is shown
            assert status.text().startswith(name.split("：")[0].split(" (")[0])
        assert (not label.isHidden()) == (panel.compact_per_row == 0)
    assert window.findChild(QLabel, "turnCountdown").text() == "3:00 left"
    mover = state.current_company
    window.apply(Action("sell"))
    if window.facilitator.log_proxy is not None:       # an item view shows the log
        model = window.log_view.model()
        rows = [model.index(r, 0).data() for r in range(model.rowCount())]
        assert any(r.startswith(f"【{teams[mover]}】") for r in rows)
    else:                                              # the log view draws the model itself
        from game.ui.facilitator import short_team
        shown = window.log_view.toPlainText()
        assert f"【{short_team(teams[mover])}】" in shown
        assert window.log_model.text(len(window.log_model.entries) - 1).startswith("【")
    path = tmp_path / "class.json"
    assert window.save_to(path)
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    assert meta["teams"] == teams and meta["timer"] == 3 and meta["rules_dir"] == str(folder)

    again = window.show_new_game_dialog()           # the next game: the same session offered
    assert again.rules_dir == str(folder) and again.builtin_rules is fac.builtin_rules
    assert again.findChild(QLineEdit, "team_alibaba").text() == teams["alibaba"]
    again.set_rules_dir(None)
    assert again.rules is fac.builtin_rules
    again.reject()

    other = make_window("en")
    assert other.open_file(path)
    assert other.facilitator.teams == teams
    assert other.facilitator.timer_minutes == 3
    assert other.facilitator.rules_dir == str(folder)
    assert other.findChild(QLabel, "teamName_alibaba").text() == teams["alibaba"]
    other.resize(1600, 1100)                              # room for a team's own line
    other._arrange(force=True)
    assert other.panels["alibaba"].compact_per_row == 0
    assert not other.findChild(QLabel, "teamName_alibaba").isHidden()
    # the report reads the same meta: team names in the grading CSV
    _, saved = load_game(load_rules(folder), path)
    csv_text = decisions_csv(load_rules(folder), [CsvGame(other.state, teams=saved.extra["teams"])])
    assert teams["bytedance"] in csv_text


def test_a_broken_rules_folder_is_shown_as_rules_check_says_and_blocks_start(make_window, tmp_path):
    window = make_window("en")
    dlg = _open_dialog(window)
    folder = copy_rules(tmp_path / "broken")
    caps = folder / "capabilities.toml"
    caps.write_text(caps.read_text(encoding="utf-8").replace("cost = 6.0", "cost = -2.0", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError) as exc:
        load_rules(folder)
    assert not dlg.set_rules_dir(folder)
    status = dlg.findChild(QLabel, "rulesStatus").text()
    assert str(exc.value) in status                 # the very text `rules check` prints
    assert "Traceback" not in status
    assert not dlg.findChild(QPushButton, "startButton").isEnabled()
    dlg.set_rules_dir(None)                         # back to the built-in rules
    assert dlg.findChild(QPushButton, "startButton").isEnabled()
    missing = tmp_path / "no-such-folder"
    assert not dlg.set_rules_dir(missing)
    assert "Traceback" not in dlg.findChild(QLabel, "rulesStatus").text()


def test_the_countdown_turns_red_at_zero_and_does_not_end_the_turn(board_on, rules):
    state = new_game(rules, "default", 1)
    window = board_on(state, {c: "human" for c in state.players})
    window.set_game(state, {c: "human" for c in state.players}, None, extra={"timer": 1})
    fac = window.facilitator
    label = window.findChild(QLabel, "turnCountdown")
    assert label.text() == "1:00 left" and label.property("timeUp") is False
    mover, n = state.current_company, len(state.history)
    for _ in range(61):
        fac.tick()
    assert label.property("timeUp") is True and label.text() == "Time is up!"
    assert state.current_company == mover and len(state.history) == n    # the turn goes on
    window.apply(Action("end_turn"))           # the next turn: a fresh countdown
    assert label.text() == "1:00 left"


# ------------------------------------------------------------------------------ 2. steering

def test_pause_stops_computer_moves_and_resume_goes_on(board_on, rules):
    state = new_game(rules, "default", 2)
    window = board_on(state, {c: "heuristic" for c in state.players})
    fac = window.facilitator
    window.findChild(type(fac.a_pause), "actPauseComputers").trigger()
    assert fac.paused and not window.ai_timer.isActive()
    n = len(state.history)
    window._ai_step()
    window.skip_computer()
    window._schedule_ai()
    assert len(state.history) == n and not window.ai_timer.isActive()
    status = window.findChild(QLabel, f"teamStatus_{state.current_company}").text()
    assert "paused" in status
    assert window._meta().extra["paused"] is True          # saved, and restored on load
    other = board_on(new_game(rules, "default", 2), {c: "heuristic" for c in state.players})
    other.set_game(other.state, {c: "heuristic" for c in state.players}, None,
                   extra=window._meta().extra)
    assert other.facilitator.paused and not other.ai_timer.isActive()
    other.facilitator.set_paused(False)
    fac.a_pause.trigger()                                 # resume
    assert not fac.paused
    window._ai_step()                                     # the computers move again
    assert len(state.history) > n


def test_status_lines_say_thinking_done_and_waiting(board_on, rules):
    state = new_game(rules, "default", 3)
    window = board_on(state, {c: "human" for c in state.players})
    first = state.current_company
    window.apply(Action("end_turn"))
    second = state.current_company
    third = next(c for c in state.players if c not in (first, second))
    text = {c: window.findChild(QLabel, f"teamStatus_{c}").text() for c in state.players}
    assert "done" in text[first] and "deciding" in text[second] and "waiting" in text[third]


def test_a_seat_goes_to_the_computer_and_back(board_on, rules, tmp_path):
    state = new_game(rules, "default", 4)
    window = board_on(state, {c: "human" for c in state.players})
    fac = window.facilitator
    cid = state.current_company
    fac.set_paused(True)                  # nothing moves while we look
    menu = fac.seat_menu(cid)
    act = next(a for a in menu.actions() if a.objectName() == f"seat_{cid}")
    act.trigger()
    assert window.session.seats[cid] is not None and window.controllers[cid] == "heuristic"
    assert "computer" in window.findChild(QLabel, f"teamStatus_{cid}").text() or \
        "paused" in window.findChild(QLabel, f"teamStatus_{cid}").text()
    path = tmp_path / "seat.json"
    window.save_to(path)
    _, meta = load_game(rules, path)
    assert meta.controllers[cid] == "heuristic"
    fac.seat_menu(cid).actions()[0].trigger()             # take it back
    assert window.session.seats[cid] is None and window.controllers[cid] == "human"


def test_bookmark_and_note_land_in_meta_and_survive_save_and_load(board_on, make_window, rules,
                                                                  tmp_path):
    state = new_game(rules, "default", 6)
    window = board_on(state, {c: "human" for c in state.players})
    fac = window.facilitator
    window.apply(Action("sell"))
    window.apply(Action("end_turn"))
    window.findChild(type(fac.a_bookmark), "actBookmark").trigger()     # Ctrl+B
    box = fac.input_box
    assert box is not None and box.objectName() == "bookmarkDialog"
    box.setTextValue("ByteDance sold in the feed")
    box.accept()
    assert fac.bookmarks == [{"index": 2, "label": "ByteDance sold in the feed"}]
    fac.a_note.trigger()
    box = fac.input_box
    assert box is not None and box.objectName() == "noteDialog"
    box.setTextValue("我们需要现金")
    box.accept()
    assert fac.reasons == {"1": "我们需要现金"}              # the sale, not the end of the turn
    path = tmp_path / "marks.json"
    assert window.save_to(path)
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    assert meta["bookmarks"] == [{"index": 2, "label": "ByteDance sold in the feed"}]
    assert meta["reasons"] == {"1": "我们需要现金"}
    other = make_window("en")
    assert other.open_file(path)
    assert other.facilitator.bookmarks == meta["bookmarks"]
    assert other.facilitator.reasons == meta["reasons"]
    # the report's CSV shows the reason
    reasons = {int(k): v for k, v in meta["reasons"].items()}
    assert "我们需要现金" in decisions_csv(rules, [CsvGame(other.state, reasons=reasons)])
    # an undone action takes its note with it
    decision = next(a for a in other.state.legal_actions() if a.id != "end_turn")
    assert other.apply(decision)
    other.facilitator.add_note("more cash")
    assert "3" in other.facilitator.reasons
    other.undo()
    assert "3" not in other.facilitator.reasons


# ------------------------------------------------------------------------------ 3. replay

def test_replay_steps_match_new_game_plus_k_actions(make_window, rules, tmp_path):
    path = tmp_path / "game.json"
    original = _played_save(rules, path, 90)
    window = make_window("en")
    replay = window.facilitator.open_replay(path)
    assert replay is not None and replay.objectName() == "replayWindow"
    before = digest(replay.full)
    actions = list(original.history)

    def expected(k):
        s = new_game(rules, original.scenario.id, original.seed, original.players)
        for a in actions[:k]:
            s.apply_action(a)
        return digest(s)

    for k in range(0, len(actions) + 1):                     # forward, every step
        assert replay.k == k and digest(replay.state) == expected(k)
        replay.findChild(QPushButton, "replay_forward").click()
    assert replay.k == len(actions)
    replay.findChild(QPushButton, "replay_back").click()
    assert digest(replay.state) == expected(len(actions) - 1)
    replay.findChild(QPushButton, "replay_first").click()
    replay.findChild(QPushButton, "replay_forward_round").click()
    k = replay.k
    assert replay.state.round == 2 and replay.rounds[k - 1] == 1      # the first of quarter 2
    assert digest(replay.state) == expected(k)
    replay.findChild(QPushButton, "replay_back_round").click()
    assert replay.k == 0
    # the turning points and bookmarks jump to their steps
    combo = replay.findChild(QComboBox, "replayTurning")
    assert combo.count() > 1
    replay._turning_chosen(1)
    assert replay.k == combo.itemData(1) and digest(replay.state) == expected(replay.k)
    assert digest(replay.full) == before                     # the loaded game is untouched


def test_replay_jumps_to_a_bookmark_and_a_branch_equals_the_replay(make_window, rules, tmp_path):
    path = tmp_path / "marked.json"
    state = _played_save(rules, path, 60, meta={
        "controllers": {"bytedance": "human", "alibaba": "heuristic", "tencent": "heuristic"},
        "teams": {"bytedance": "Red"}, "bookmarks": [{"index": 40, "label": "before the ban"}],
        "reasons": {"3": "cash first"}})
    window = make_window("en")
    replay = window.facilitator.open_replay(path)
    combo = replay.findChild(QComboBox, "replayBookmarks")
    assert combo.count() == 2 and "before the ban" in combo.itemText(1)
    replay._bookmark_chosen(1)
    assert replay.k == 40
    replay.go(33)
    at = digest(replay.state)
    replay.findChild(QPushButton, "replayBranch").click()
    branch = window.state
    assert branch is not None and branch is not replay.full
    assert digest(branch) == at                               # the replay at that step
    assert list(branch.history) == list(state.history)[:33] and branch.seed == state.seed
    fac = window.facilitator
    assert fac.branch == {"source": str(path), "index": 33} and fac.original is replay.full
    assert fac.teams == {"bytedance": "Red"} and fac.reasons == {"3": "cash first"}
    assert fac.bookmarks == []                                # the one at 40 is past the branch
    # the branch plays on differently from here only: its first 33 actions are the original's
    out = tmp_path / "branch.json"
    window.save_to(out)
    assert json.loads(out.read_text(encoding="utf-8"))["meta"]["branch"]["index"] == 33
    other = make_window("en")
    other.open_file(out)
    assert other.facilitator.original is not None
    assert list(other.facilitator.original.history) == list(state.history)


def test_the_debrief_draws_the_original_dashed_beside_the_branch(qtbot, rules, app_font):
    from PySide6.QtCharts import QChartView

    from game.ui.debrief import DebriefWindow

    def finished(seed, moves=None):
        s = new_game(rules, "class_period", seed)
        seats = {c: make_player("heuristic", seed + i) for i, c in enumerate(s.players)}
        Session(s, seats).play(max_actions=moves or 10_000)
        return s

    branch, original = finished(8), finished(9)
    dlg = DebriefWindow(branch, rules, "en", original=original, teams={"bytedance": "Red"})
    qtbot.addWidget(dlg)
    view = dlg.findChild(QChartView, "chart_gmv")
    names = [s.objectName() for s in view.chart().series()]
    assert {f"original_{c}" for c in branch.players} <= set(names)
    dashed = [s for s in view.chart().series() if s.objectName().startswith("original_")]
    assert all(s.pen().style() == Qt.PenStyle.DashLine for s in dashed)
