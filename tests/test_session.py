"""The one game loop: a Session plays what a hand-written loop plays, calls its hooks at the
right moments, stops for people, and handles players that fail."""

from __future__ import annotations

import pytest

from game.engine import Action, GameState, IllegalActionError, new_game
from game.players import make_player
from game.session import (
    Move, PlayerError, Session, SessionError, SessionHooks, action_bound,
)


def _seats(state: GameState, kind: str = "random", seed: int = 0) -> dict:
    return {cid: make_player(kind, seed + i) for i, cid in enumerate(state.players)}


def _end_turn(state: GameState) -> Action:
    return Action(next(a.id for a in state.rules.actions if a.kind == "end_turn"))


class Recorder(SessionHooks):
    """Every call, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def before_action(self, state, company):
        self.calls.append(("before", company, len(state.history)))

    def on_choice(self, state, company, action):
        self.calls.append(("choice", company, action))

    def on_action(self, state, move):
        self.calls.append(("action", move))

    def on_undo(self, state, action):
        self.calls.append(("undo", action))

    def on_round_end(self, state, round_):
        self.calls.append(("round_end", round_))

    def on_game_end(self, state):
        self.calls.append(("game_end", state.winner_id))

    def of(self, kind: str) -> list[tuple]:
        return [c for c in self.calls if c[0] == kind]


@pytest.mark.parametrize("kind", ["random", "heuristic", "rush_app"])
def test_a_session_plays_the_game_a_hand_written_loop_plays(rules, kind):
    for seed in (1, 2):
        hand = new_game(rules, "default", seed)
        players = _seats(hand, kind, seed)
        while not hand.is_terminal():
            hand.apply_action(players[hand.current_company].choose(hand))
        state = new_game(rules, "default", seed)
        Session(state, _seats(state, kind, seed)).run_to_end()
        assert state.history == hand.history and state.winner_id == hand.winner_id


def test_hooks_are_called_once_per_action_round_and_game_in_order(rules):
    state = new_game(rules, "default", 3)
    rec = Recorder()
    Session(state, _seats(state), [rec]).run_to_end()
    n = len(state.history)
    assert len(rec.of("before")) == len(rec.of("choice")) == len(rec.of("action")) == n
    moves = [c[1] for c in rec.of("action")]
    assert [m.action for m in moves] == state.history
    assert [m.number for m in moves] == list(range(1, n + 1))
    assert all(m.by_computer for m in moves)
    # before -> choice -> action for every move, in that order
    kinds = [c[0] for c in rec.calls if c[0] in ("before", "choice", "action")]
    assert kinds == ["before", "choice", "action"] * n
    assert [c[1] for c in rec.of("round_end")] == list(range(1, state.scenario.rounds + 1))
    assert rec.of("game_end") == [("game_end", state.winner_id)]
    assert rec.calls[-1][0] == "game_end"        # after the last round's end


def test_a_round_end_is_reported_after_the_action_that_ended_it(rules):
    state = new_game(rules, "default", 4)
    seen = []

    class Rounds(SessionHooks):
        def on_round_end(self, state, round_):
            seen.append((round_, state.round, state.history[-1].id))

    Session(state, _seats(state), [Rounds()]).play(until=lambda s: s.round >= 3)
    assert [r for r, _, _ in seen] == [1, 2]
    assert all(now == r + 1 for r, now, _ in seen)
    assert {last for _, _, last in seen} == {_end_turn(state).id}


def test_people_move_by_apply_and_computers_stop_for_them(rules):
    state = new_game(rules, "default", 5)
    me = state.players[1]
    seats = _seats(state)
    seats[me] = None
    rec = Recorder()
    session = Session(state, seats, [rec])
    played = session.play()
    assert played > 0 and session.is_human_turn() and state.current_company == me
    with pytest.raises(SessionError, match=f"{me} is played by a person"):
        session.step()
    with pytest.raises(SessionError, match="run_to_end"):
        session.run_to_end()
    move = session.apply(_end_turn(state))
    assert move == Move(_end_turn(state), me, False, len(state.history))
    # A person's move is announced (before and after) but is no computer's choice.
    assert len(rec.of("choice")) == played and len(rec.of("before")) == played + 1
    assert rec.of("action")[-1] == ("action", move)
    assert not session.is_human_turn()


def test_an_illegal_action_of_a_person_changes_nothing(rules):
    state = new_game(rules, "default", 5)
    session = Session(state, {cid: None for cid in state.players})
    before = state.snapshot()
    with pytest.raises(IllegalActionError):
        session.apply(Action("launch_app"))
    assert state.snapshot() == before and state.history == []


def test_undo_reports_and_a_game_finished_again_ends_again(rules):
    state = new_game(rules, "default", 6)
    rec = Recorder()
    session = Session(state, _seats(state), [rec])
    session.run_to_end()
    last = state.history[-1]
    assert session.undo() == last and not session.is_over()
    assert rec.of("undo") == [("undo", last)]
    session.apply(last)
    assert session.is_over() and len(rec.of("game_end")) == 2


class Broken:
    name = "broken"

    def choose(self, state):
        raise RuntimeError("bot bug")


class Cheat:
    name = "cheat"

    def choose(self, state):
        return Action("launch_app")            # never legal at the start


def test_a_failing_player_is_a_player_error_naming_the_company(rules):
    for bad, cause in ((Broken(), RuntimeError), (Cheat(), IllegalActionError)):
        state = new_game(rules, "default", 7)
        seats = _seats(state)
        first = state.current_company
        seats[first] = bad
        before = state.snapshot()
        with pytest.raises(PlayerError, match=f"'{bad.name}' of {first} failed") as err:
            Session(state, seats).step()
        assert isinstance(err.value.error, cause) and err.value.company == first
        assert state.snapshot() == before


def test_on_player_error_can_play_something_else(rules):
    state = new_game(rules, "default", 7)
    seats = _seats(state)
    seats[state.players[0]] = Cheat()
    errors = []

    class EndTheTurn(SessionHooks):
        def on_player_error(self, state, company, error):
            errors.append(company)
            return _end_turn(state)

    Session(state, seats, [SessionHooks(), EndTheTurn()]).run_to_end()
    assert state.is_terminal() and errors
    assert set(errors) == {state.players[0]}


def test_play_stops_where_asked(rules):
    state = new_game(rules, "default", 8)
    session = Session(state, _seats(state))
    assert session.play(max_actions=5) == 5 and len(state.history) == 5
    session.play(until=lambda s: s.round == 2)
    assert state.round == 2 and not state.is_terminal()
    assert session.play() > 0 and state.is_terminal()
    assert session.play() == 0
    with pytest.raises(SessionError, match="game is over"):
        session.step()


def test_run_to_end_refuses_to_loop_forever(rules):
    state = new_game(rules, "default", 9)
    with pytest.raises(SessionError, match="not ended after 10 actions"):
        Session(state, _seats(state)).run_to_end(max_actions=10)
    assert action_bound(state) == state.scenario.rounds * 3 * (state.scenario.actions_per_round + 1)


def test_a_changed_seat_plays_from_its_next_move(rules):
    state = new_game(rules, "default", 10)
    session = Session(state, _seats(state))
    first = state.current_company
    session.seats[first] = None
    assert session.is_human_turn() and session.play() == 0


def test_every_company_needs_a_seat(rules):
    state = new_game(rules, "default", 1)
    seats = _seats(state)
    missing = state.players[-1]
    del seats[missing]
    with pytest.raises(SessionError, match=f"missing {missing}"):
        Session(state, seats)
    with pytest.raises(SessionError, match="not in this game: nobody"):
        Session(state, {**_seats(state), "nobody": None})
