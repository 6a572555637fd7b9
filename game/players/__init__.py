"""Computer players over the engine's public API."""

from __future__ import annotations

from .archetypes import ARCHETYPES, EXTRA_KINDS, Archetype, Heuristic, archetype_summary
from .base import Player
from .heuristic import HeuristicPlayer
from .random_player import RandomPlayer
from .search import LEVELS, OptionValue, SearchConfig, SearchExplanation, SearchPlayer, make_search_player
from .style import HeuristicStyle

#: Every player kind ``make_player`` knows: random, the heuristic (also with its style fixed,
#: "heuristic:fixed") and the strategy archetypes of the tournament (game/players/archetypes.py).
PLAYER_KINDS: tuple[str, ...] = ("random", "heuristic", "heuristic:fixed", *LEVELS,
                                 *(k for k in ARCHETYPES if k != "heuristic"))


def make_player(kind: str, seed: int = 0, style: HeuristicStyle | None = None) -> Player:
    """A computer player by name: 'random', 'heuristic', 'heuristic:fixed', a search level
    ('easy', 'normal', 'hard': game/players/search.py) or an archetype.

    A heuristic player's thresholds vary a little with ``seed`` (so a batch of games sees
    different openings) unless a fixed ``style`` is given, or the kind is 'heuristic:fixed'.
    """
    if kind == "random":
        return RandomPlayer(seed)
    if kind == "heuristic":
        return Heuristic(seed, style)
    if kind == "heuristic:fixed":
        return Heuristic(seed, style or HeuristicStyle())
    if kind in LEVELS:
        return make_search_player(kind, seed)
    cls = ARCHETYPES.get(kind) or EXTRA_KINDS.get(kind)
    if cls is not None:
        return cls(seed)
    raise ValueError(f"unknown player kind '{kind}' (known: {', '.join(PLAYER_KINDS)})")


__all__ = ["ARCHETYPES", "Archetype", "HeuristicPlayer", "HeuristicStyle", "LEVELS", "OptionValue", "PLAYER_KINDS",
           "Player", "RandomPlayer", "SearchConfig", "SearchExplanation", "SearchPlayer", "archetype_summary",
           "make_player", "make_search_player"]
