"""Computer players over the engine's public API."""

from __future__ import annotations

from .base import Player
from .heuristic import HeuristicPlayer, HeuristicStyle
from .random_player import RandomPlayer

PLAYER_KINDS = ("random", "heuristic")


def make_player(kind: str, seed: int = 0, style: HeuristicStyle | None = None) -> Player:
    """A computer player by name: 'random' or 'heuristic'.

    A heuristic player's thresholds vary a little with ``seed`` (so a batch of games sees
    different openings) unless a fixed ``style`` is given.
    """
    if kind == "random":
        return RandomPlayer(seed)
    if kind == "heuristic":
        return HeuristicPlayer(seed, style)
    raise ValueError(f"unknown player kind '{kind}' (known: {', '.join(PLAYER_KINDS)})")


__all__ = ["HeuristicPlayer", "HeuristicStyle", "PLAYER_KINDS", "Player", "RandomPlayer", "make_player"]
