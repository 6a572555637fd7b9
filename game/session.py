"""The one game loop: a game state, who plays each company, and hooks for whoever watches.

Every place that plays a game (the app's computer turns and a person's clicks, ``simulate``,
the tournament, golden playthroughs, the conformance run, the bench, screenshots, tests) goes
through a :class:`Session`, so they all share one definition of "a turn was played", "a round
ended" and "a computer player failed", in the manner of catanatron's game loop with its
accumulators:

>>> from game.engine import load_rules, new_game
>>> from game.players import make_player
>>> state = new_game(load_rules("rules"), "default", seed=1)
>>> seats = {cid: make_player("random", i) for i, cid in enumerate(state.players)}
>>> Session(state, seats).run_to_end().is_terminal()
True

A seat holds a computer player (anything with ``choose(state) -> Action``) or None for a person:
:meth:`Session.step` plays one computer action, :meth:`Session.apply` one person's action.
Imports the engine only (no Qt, no players), so the app, headless tools and tests can share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from game.engine import Action, ClosedLoopError, GameState, IllegalActionError


class Controller(Protocol):
    """A computer player: looks at the state (without changing it), returns a legal action."""

    def choose(self, state: GameState) -> Action: ...


#: What sits at a company's seat: a computer player, or None for a person.
Seat = Controller | None


@dataclass(frozen=True, slots=True)
class Move:
    """One applied action: what was played, for which company, by a computer or a person,
    and its place in ``state.history`` (1 for the first action of the game)."""

    action: Action
    company: str
    by_computer: bool
    number: int


class SessionError(ClosedLoopError):
    """The session was asked for something the game's seats or state do not allow."""


class PlayerError(ClosedLoopError):
    """A computer player failed: it raised, or chose an action the engine refused."""

    def __init__(self, company: str, player: object, error: Exception):
        self.company, self.player, self.error = company, player, error
        name = getattr(player, "name", type(player).__name__)
        super().__init__(f"the computer player '{name}' of {company} failed: "
                         f"{type(error).__name__}: {error}")


class SessionHooks:
    """Callbacks for what happens in a session; override the ones you need in a subclass (the
    others do nothing and cost nothing).

    Hooks see the live state: they may read it, and may take back and replay actions as long as
    they leave it as they found it (the conformance run's undo checks do).
    """

    def before_action(self, state: GameState, company: str) -> None:
        """Before a computer chooses, or before a person's action is applied."""

    def on_choice(self, state: GameState, company: str, action: Action) -> None:
        """A computer chose ``action``, not yet applied."""

    def on_action(self, state: GameState, move: Move) -> None:
        """An action was applied."""

    def on_undo(self, state: GameState, action: Action) -> None:
        """``action`` was taken back."""

    def on_round_end(self, state: GameState, round_: int) -> None:
        """The last action ended round ``round_`` (the next one has started, or the game ended)."""

    def on_game_end(self, state: GameState) -> None:
        """The game is over (once per finish)."""

    def on_player_error(self, state: GameState, company: str, error: PlayerError) -> Action | None:
        """A computer player failed: return the action to play instead (must be legal), or None
        to let the session raise ``error``. The first hook to answer wins."""
        return None


_HOOK_NAMES = ("before_action", "on_choice", "on_action", "on_undo", "on_round_end",
               "on_game_end", "on_player_error")


def action_bound(state: GameState) -> int:
    """The most actions a whole game can take (every company, every round, all its actions and
    the end of its turn): a game still running after that many has a player that never ends
    its turns."""
    scen = state.scenario
    return scen.rounds * len(state.players) * (scen.actions_per_round + 1)


class Session:
    """A game being played: its state, one seat per company, and the hooks that watch it."""

    def __init__(self, state: GameState, seats: Mapping[str, Seat],
                 hooks: Iterable[SessionHooks] = ()):
        missing = [c for c in state.players if c not in seats]
        unknown = [c for c in seats if c not in state.players]
        if missing or unknown:
            raise SessionError(
                f"a session needs one seat per company of the game ({', '.join(state.players)}): "
                + "; ".join(filter(None, [
                    f"missing {', '.join(missing)} (give a player, or None for a person)" if missing else "",
                    f"not in this game: {', '.join(unknown)}" if unknown else ""])))
        self.state = state
        #: Company id -> computer player, or None for a person. Changing a seat takes effect at
        #: that company's next move.
        self.seats: dict[str, Seat] = dict(seats)
        self.hooks: list[SessionHooks] = []
        self._calls: dict[str, list[Callable[..., Any]]] = {name: [] for name in _HOOK_NAMES}
        self._finished = state.is_terminal()
        self.add_hooks(*hooks)

    def add_hooks(self, *hooks: SessionHooks) -> None:
        """Watch the session with more hooks (called after the ones already there)."""
        for hook in hooks:
            self.hooks.append(hook)
            for name in _HOOK_NAMES:
                # Only overridden methods are kept: the loop stays cheap for batch play.
                if getattr(type(hook), name) is not getattr(SessionHooks, name):
                    self._calls[name].append(getattr(hook, name))

    # ------------------------------------------------------------------ questions

    def is_over(self) -> bool:
        return self.state.is_terminal()

    def is_human_turn(self) -> bool:
        """Whether a person is to move (never once the game is over)."""
        state = self.state
        return not state.is_terminal() and self.seats[state.current_company] is None

    # ------------------------------------------------------------------ playing

    def step(self) -> Move:
        """Play one computer action for the company to move and return it.

        A player that raises or chooses an action the engine refuses (which leaves the state as
        it was) is a :class:`PlayerError`: the hooks' ``on_player_error`` may name an action to
        play instead, else it is raised.
        """
        state = self.state
        if state.is_terminal():
            raise SessionError("the game is over: there is no move to play")
        company = state.current_company
        player = self.seats[company]
        if player is None:
            raise SessionError(f"{company} is played by a person: apply() their action instead")
        for call in self._calls["before_action"]:
            call(state, company)
        try:
            action = player.choose(state)
        except Exception as exc:  # noqa: BLE001 - any failure of a player is reported as one
            action = self._fallback(company, player, exc)
        for call in self._calls["on_choice"]:
            call(state, company, action)
        round_before = state.round
        try:
            state.apply_action(action)
        except IllegalActionError as exc:  # refused: the state is unchanged
            action = self._fallback(company, player, exc)
            state.apply_action(action)
        return self._applied(action, company, True, round_before)

    def apply(self, action: Action) -> Move:
        """Apply one action for the company to move, normally a person's choice.

        An illegal action raises ``IllegalActionError`` and changes nothing.
        """
        state = self.state
        company = state.current_company
        for call in self._calls["before_action"]:
            call(state, company)
        round_before = state.round
        state.apply_action(action)
        return self._applied(action, company, False, round_before)

    def undo(self) -> Action:
        """Take back the last action (the engine says when that is not possible)."""
        state = self.state
        action = state.undo()
        self._finished = state.is_terminal()
        for call in self._calls["on_undo"]:
            call(state, action)
        return action

    def play(self, until: Callable[[GameState], bool] | None = None,
             max_actions: int | None = None) -> int:
        """Play computer moves until the game ends, a person is to move, ``until(state)`` holds
        or ``max_actions`` were played; returns how many were played."""
        state, seats = self.state, self.seats
        n = 0
        while not state.is_terminal() and seats[state.current_company] is not None:
            if (max_actions is not None and n >= max_actions) or (until is not None and until(state)):
                break
            self.step()
            n += 1
        return n

    def run_to_end(self, max_actions: int | None = None) -> GameState:
        """Play computer moves to the end of the game and return the final state.

        Raises :class:`SessionError` if a person is to move, or the game has not ended after
        ``max_actions`` more actions (default :func:`action_bound`: a player that never ends
        its turns).
        """
        if max_actions is None:
            max_actions = action_bound(self.state)
        self.play(max_actions=max_actions)
        state = self.state
        if not state.is_terminal():
            if self.is_human_turn():
                raise SessionError(f"{state.current_company} is played by a person: "
                                   "run_to_end() needs a computer player in every seat")
            raise SessionError(f"the game has not ended after {max_actions} actions "
                               f"(round {state.round}, {state.current_company} to move)")
        return state

    # ------------------------------------------------------------------ inside

    def _applied(self, action: Action, company: str, by_computer: bool, round_before: int) -> Move:
        """Tell the hooks about an action just applied."""
        state = self.state
        move = Move(action, company, by_computer, len(state.history))
        for call in self._calls["on_action"]:
            call(state, move)
        over = state.is_terminal()
        if state.round != round_before or over:
            for call in self._calls["on_round_end"]:
                call(state, round_before)
        if over and not self._finished:
            self._finished = True
            for call in self._calls["on_game_end"]:
                call(state)
        return move

    def _fallback(self, company: str, player: object, exc: Exception) -> Action:
        error = PlayerError(company, player, exc)
        for call in self._calls["on_player_error"]:
            action: Action | None = call(self.state, company, error)
            if action is not None:
                return action
        raise error from exc
