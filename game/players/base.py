"""The interface of computer players: look at a state, return one legal action."""

from __future__ import annotations

from typing import Protocol

from game.engine import Action, GameState


class Player(Protocol):
    """A computer player. ``choose`` must not change ``state``, and must return a legal action."""

    name: str

    def choose(self, state: GameState) -> Action: ...
