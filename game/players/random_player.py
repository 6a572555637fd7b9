"""A uniform random player over legal actions: the floor every other player must beat."""

from __future__ import annotations

import numpy as np

from game.engine import Action, GameState


class RandomPlayer:
    """Picks uniformly among ``state.legal_actions()`` with its own seeded generator."""

    name = "random"

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)

    def choose(self, state: GameState) -> Action:
        legal = state.legal_actions()
        return legal[int(self.rng.integers(len(legal)))]
