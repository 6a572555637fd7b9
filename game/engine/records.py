"""Named records the engine keeps: prices, log lines, round figures, modifiers, links, undo.

Log entries, modifiers and link slots are NamedTuples: they are made on every action or round,
so they must be cheap, and they stay immutable, comparable and readable by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .company import SavedCompany
    from .rules import OutsideLink


@dataclass(frozen=True, slots=True)
class ActionPrice:
    """What an action costs a company now: traffic, capital (bn yuan) and user experience."""

    traffic: float = 0.0
    capital: float = 0.0
    ux: float = 0.0

    def __bool__(self) -> bool:
        """False when the action is free."""
        return bool(self.traffic or self.capital or self.ux)


class LogEntry(NamedTuple):
    """One line of the game log: what happened (a key of ``[log]`` in texts.toml) and to whom."""

    round: int
    company: str | None
    key: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """Figures at the end of a round, for charts and the debrief."""

    round: int
    year: int
    quarter: int
    market: float
    others_gmv: float
    events: tuple[str, ...]
    companies: dict[str, dict[str, float]]


class Modifier(NamedTuple):
    """A lasting event effect the economy reads until it runs out.

    ``action`` is an action index or -1 (every action); ``mask`` a bitmask over the players.
    """

    type: str
    action: int
    mult: float
    mask: int
    rounds_left: int
    event: str


class LinkSlot(NamedTuple):
    """An outside link of the game (a host's feed selling a partner's goods), by player index."""

    link: OutsideLink
    host: int
    partner: int


class Globals(NamedTuple):
    """The state's scalar fields, as one undo record keeps them."""

    round: int
    order: tuple[int, ...]
    turn_pos: int
    current: int
    actions_left: int
    turn_start: int
    terminal: bool
    winner: int | None
    win_reason: str | None
    market_now: float
    round_events: tuple[str, ...]


class UndoRecord(NamedTuple):
    """What one action changed, kept so that ``undo`` can put it back exactly.

    ``companies`` maps a player index to that company's values before the action;
    ``mods`` is None unless the action ended a round (only round ends change modifiers);
    the link lists are None when the action's kind leaves them alone.
    """

    companies: dict[int, SavedCompany]
    log_len: int
    records_len: int
    globals: Globals
    links_open: list[bool] | None
    link_demand: list[float] | None
    mods: list[Modifier] | None
