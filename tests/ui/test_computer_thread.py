"""Issue 13, item 2: a searching computer decides on a worker thread, the window stays alive
meanwhile, and a decision that no longer fits the game (a new game, a seat handed back, a
closed window, a pause) is never played into it.

The search player is slowed down on purpose (``slowed``): its decision waits for a gate the test
opens, or burns the CPU in Python for a while (as the real search does, holding the GIL between
the interpreter's switches). The decision itself is the real one, made after the wait.
"""

from __future__ import annotations

import sys
import threading
import time

import pytest
from PySide6.QtCore import QTimer

from game.engine import Action, new_game
from game.players import make_player
from game.players.search import SearchPlayer
from game.session import SessionHooks

HOLD = 2000          # ms: the pace timer never fires by itself; the test steps


class Slow:
    """Patches SearchPlayer.choose: records the thread of every decision, and waits for
    ``gate`` (when set up) or burns ``burn`` seconds of CPU before deciding."""

    def __init__(self, monkeypatch, burn: float = 0.0, gated: bool = False):
        self.threads: list[int] = []
        self.started = threading.Event()
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.burn = burn
        self.calls = 0
        self.asked: list[int] = []     # the position (actions played) of every decision asked
        real = SearchPlayer.choose
        slow = self

        def choose(player, state):
            slow.threads.append(threading.get_ident())
            slow.calls += 1
            slow.asked.append(len(state.history))
            slow.started.set()
            assert slow.gate.wait(60), "the test never opened the gate"
            end = time.perf_counter() + slow.burn
            n = 0
            while time.perf_counter() < end:      # busy in Python, like the search
                n += 1
            return real(player, state)

        monkeypatch.setattr(SearchPlayer, "choose", choose)


@pytest.fixture
def slowed(monkeypatch):
    return lambda **kw: Slow(monkeypatch, **kw)


class Moves(SessionHooks):
    def __init__(self) -> None:
        self.by_computer: list[Action] = []

    def on_action(self, state, move) -> None:
        if move.by_computer:
            self.by_computer.append(move.action)


def open_game(make_window, state, controllers, pace=HOLD):
    window = make_window("en")
    window.pace.setValue(pace)
    window.set_game(state, controllers)
    window.ai_timer.stop()
    return window


def hard_first(rules, seed=5):
    state = new_game(rules, "default", seed)
    first = state.current_company
    return state, first, {c: "hard" if c == first else "human" for c in state.players}


def settle(qtbot, window) -> None:
    """Wait until the worker is free and its last word has been heard."""
    qtbot.waitUntil(lambda: not window.thinker.busy, timeout=60_000)


def test_the_gui_thread_stays_responsive_while_the_computer_thinks(make_window, rules, qtbot, slowed):
    slow = slowed(burn=1.0)
    switch = sys.getswitchinterval()
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    n = len(state.history)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    started = time.perf_counter()
    window._ai_step()                          # the pace's tick: the decision starts ...
    returned = time.perf_counter()
    assert sys.getswitchinterval() < switch    # the GUI thread waits less for the GIL meanwhile
    assert len(state.history) == n             # ... and nothing is played inside the tick
    assert window.thinker.busy
    qtbot.waitUntil(lambda: len(state.history) > n, timeout=60_000)
    done = time.perf_counter()
    timer.stop()
    assert slow.threads and threading.get_ident() not in slow.threads   # decided off the GUI thread
    assert returned - started < 0.5            # the tick came back at once (the think takes 1 s+)
    during = [t for t in ticks if started < t < done]
    assert len(during) >= 5, f"the GUI thread's timer fired {len(during)} times in {done - started:.1f} s"
    assert window.last_explained is not None and window.last_explained.company == first
    window.close()                             # closing waits for the worker
    assert sys.getswitchinterval() == switch   # and as before once the worker is free


def test_threaded_play_makes_the_moves_of_synchronous_play(make_window, rules, qtbot):
    """Determinism: the same seed and position give the same moves off the GUI thread as when
    the player is asked directly (and the same reasons)."""
    state, first, controllers = hard_first(rules, seed=7)
    window = open_game(make_window, state, controllers, pace=0)
    moves = Moves()
    window.session.add_hooks(moves)
    qtbot.waitUntil(window.is_human_turn, timeout=120_000)       # the computer's whole turn
    alone = new_game(rules, "default", 7)
    player = make_player("hard", alone.seed + list(alone.players).index(first))
    expected = []
    while alone.current_company == first:
        action = player.choose(alone)
        expected.append(action)
        alone.apply_action(action)
    assert moves.by_computer == expected and len(expected) >= 3
    assert state.snapshot() == alone.snapshot()


def test_a_new_game_during_a_think_does_not_get_the_old_move(make_window, rules, qtbot, slowed):
    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    old_history = len(state.history)
    arrived = []
    window.thinker.thought.connect(arrived.append)
    window._ai_step()
    assert slow.started.wait(30)               # the old game's computer is thinking
    fresh = new_game(rules, "default", 9)
    window.set_game(fresh, {c: "human" for c in fresh.players})
    slow.gate.set()                            # its decision ends now
    qtbot.waitUntil(lambda: len(arrived) == 1, timeout=60_000)
    settle(qtbot, window)
    qtbot.wait(50)
    assert arrived[0].action is not None       # it decided, and it was dropped:
    assert len(fresh.history) == 0 and len(state.history) == old_history
    assert window.state is fresh and window.last_explained is None
    assert window.log_model.note(len(fresh.log) - 1) is None


def test_a_new_game_with_the_same_computer_plays_its_own_move(make_window, rules, qtbot, slowed):
    """The new game's computer waits for the old decision to end, then decides afresh on its
    own position: what it plays is what synchronous play gives there."""
    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    assert slow.started.wait(30)
    fresh = new_game(rules, "default", 7)
    fresh_first = fresh.current_company
    window.set_game(fresh, {c: "hard" if c == fresh_first else "human" for c in fresh.players})
    window.ai_timer.stop()
    window._ai_step()                          # the worker is busy with the stale decision
    asked: list[int] = []
    window.session.add_hooks(type("H", (SessionHooks,), {
        "on_choice": lambda self, s, c, a: asked.append(slow.calls)})())
    slow.gate.set()
    qtbot.waitUntil(lambda: len(fresh.history) == 1, timeout=60_000)
    assert asked == [2]                        # decided again, for the new game
    alone = new_game(rules, "default", 7)
    expect = make_player("hard", alone.seed + list(alone.players).index(fresh_first)).choose(alone)
    assert fresh.history[0] == expect
    assert len(state.history) == 0


def test_pause_holds_a_decision_and_resume_plays_it(make_window, rules, qtbot, slowed):
    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    assert slow.started.wait(30)
    window.facilitator.set_paused(True)
    slow.gate.set()
    settle(qtbot, window)
    qtbot.wait(50)
    assert len(state.history) == 0             # decided, but not played while paused
    window._ai_step()
    assert len(state.history) == 0
    window.facilitator.set_paused(False)
    window.ai_timer.stop()
    window._ai_step()                          # the decision made before the pause, now
    # played without deciding again (the worker may already think about the next position)
    assert len(state.history) == 1 and slow.asked.count(0) == 1
    alone = new_game(rules, "default", 5)
    assert state.history[0] == make_player("hard", 5 + list(alone.players).index(first)).choose(alone)


def test_a_seat_handed_back_during_a_think_gets_no_computer_move(make_window, rules, qtbot, slowed):
    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    assert slow.started.wait(30)
    window.facilitator.set_seat(first, "human")
    assert window.is_human_turn()
    slow.gate.set()
    settle(qtbot, window)
    qtbot.wait(50)
    assert len(state.history) == 0 and window.is_human_turn()
    window.apply(next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn"))
    assert len(state.history) == 1            # the person plays on


def test_the_facilitator_s_hand_during_a_think_makes_the_decision_stale(make_window, rules, qtbot, slowed):
    """A change of the figures while the computer thinks: its decision was made on another
    position, so it is dropped and made again on the new one."""
    from game.engine import facilitator

    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    assert slow.started.wait(30)
    facilitator.adjust(state, first, {"capital": 500.0}, "a grant")   # as the dialog does
    window.after_change()
    window.ai_timer.stop()
    asked: list[int] = []
    window.session.add_hooks(type("H", (SessionHooks,), {
        "on_choice": lambda self, s, c, a: asked.append(slow.calls)})())
    slow.gate.set()
    qtbot.waitUntil(lambda: len(state.history) == 1, timeout=60_000)
    assert asked == [2]          # the stale decision was dropped: the one played was asked again
    alone = new_game(rules, "default", 5)
    facilitator.adjust(alone, first, {"capital": 500.0}, "a grant")
    player = make_player("hard", 5 + list(alone.players).index(first))
    assert state.history[0] == player.choose(alone)     # the move for the new figures


def test_skip_plays_searching_computers_off_the_gui_thread(make_window, rules, qtbot, slowed):
    slow = slowed(burn=0.05)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window.skip_computer()
    assert not window.is_human_turn()          # Skip came back while the computer thinks
    qtbot.waitUntil(window.is_human_turn, timeout=120_000)
    assert threading.get_ident() not in slow.threads and slow.calls >= 3
    assert not window._skip_on
    notes = [window.log_model.note(r) for r in range(window.log_model.rowCount())]
    assert sum(n is not None for n in notes) >= 3


def test_closing_the_window_during_a_think_ends_the_thread(make_window, rules, qtbot, slowed):
    slow = slowed(gated=True)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    assert slow.started.wait(30)
    threading.Timer(0.2, slow.gate.set).start()   # the decision ends while close() waits for it
    window.close()
    assert window.thinker.wait(0)              # the worker is free once the window is closed
    qtbot.wait(50)
    assert len(state.history) == 0


def test_a_search_player_failing_on_the_worker_is_reported_and_its_turn_ends(
        make_window, rules, qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication, QMessageBox

    def broken(player, state):
        raise RuntimeError("search bug")

    monkeypatch.setattr(SearchPlayer, "choose", broken)
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window._ai_step()
    qtbot.waitUntil(lambda: state.current_company != first, timeout=60_000)   # its turn ended
    end = next(a.id for a in rules.actions if a.kind == "end_turn")
    assert [a.id for a in state.history] == [end]
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    assert len(boxes) == 1 and "search bug" in boxes[0].text()
    assert window.log_model.note(len(state.log) - 1) is None and window.last_explained is None
