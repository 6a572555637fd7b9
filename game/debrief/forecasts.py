"""Predict, then reveal (issue 14, item 3): each team's forecast before play (or at a chosen
quarter), read from a save's meta, and scored against what happened in the game.

A save keeps them as ``meta["forecasts"] = {company_id: {"round": 0, "loop_first": company_id,
"gmv_end": bn yuan, "ban_pays": true|false}}`` (any of the three may be missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.engine import GameState


@dataclass(frozen=True)
class Forecast:
    team: str                  # the company whose team made it
    round: int                 # 0: before play; else made at the start of that round
    loop_first: str | None     # who closes the loop first (a company id)
    gmv_end: float | None      # its own total GMV at the end, bn yuan
    ban_pays: bool | None      # whether the link ban pays the one who bans


@dataclass(frozen=True)
class Outcome:
    loop_first: str | None     # who closed the loop first during the game (None: nobody)
    gmv_end: dict[str, float]
    ban_pays: bool | None      # None: nobody banned


@dataclass(frozen=True)
class ForecastScore:
    forecast: Forecast
    loop_first: float | None   # 1 right, 0 wrong, None not forecast
    gmv_end: float | None      # 1 - relative error, at least 0
    ban_pays: float | None     # 1 right, 0 wrong; None not forecast or no ban happened
    total: float               # the sum of the parts forecast


def read_forecasts(state: GameState, meta_extra: Mapping[str, Any]) -> tuple[list[Forecast], list[str]]:
    """The forecasts a save carries, checked one by one: the good ones, and for each bad one a
    message that says which entry and why (a bad entry never hides the others)."""
    raw = meta_extra.get("forecasts", {})
    if not isinstance(raw, dict):
        return [], ["'meta.forecasts' must map company ids to forecasts"]
    out, problems = [], []
    for team, f in raw.items():
        try:
            out.append(_forecast(state, team, f))
        except ValueError as exc:
            problems.append(str(exc))
    return out, problems


def _forecast(state: GameState, team: str, f: Any) -> Forecast:
    if team not in state.players:
        raise ValueError(f"'meta.forecasts.{team}': not a company of this game")
    if not isinstance(f, dict):
        raise ValueError(f"'meta.forecasts.{team}' must be an object")
    loop = f.get("loop_first")
    if loop is not None and loop not in state.players:
        raise ValueError(f"'meta.forecasts.{team}.loop_first': unknown company {loop!r}")
    gmv = f.get("gmv_end")
    if gmv is not None and (isinstance(gmv, bool) or not isinstance(gmv, (int, float)) or gmv < 0):
        raise ValueError(f"'meta.forecasts.{team}.gmv_end' must be a number of bn yuan, at least 0")
    ban = f.get("ban_pays")
    if ban is not None and not isinstance(ban, bool):
        raise ValueError(f"'meta.forecasts.{team}.ban_pays' must be true or false")
    rnd = f.get("round", 0)
    if isinstance(rnd, bool) or not isinstance(rnd, int) or rnd < 0:
        raise ValueError(f"'meta.forecasts.{team}.round' must be a whole number, 0 for before play")
    return Forecast(team, rnd, loop, float(gmv) if gmv is not None else None, ban)


def outcome(state: GameState) -> Outcome:
    """What the forecasts are scored against. The ban "pays" when the banner's counted GMV
    (its own, plus the share of link sales that counts for it) averaged over the two quarters
    after the ban beats the two before it."""
    closed = [e for e in state.log if e.key == "loop_closed" and e.company]
    first = closed[0].company if closed else None
    ban = next((e for e in state.log if e.key == "ban_links" and e.company), None)
    pays = None
    if ban is not None:
        host = ban.company
        assert host is not None
        share = {state.players[s.host]: s.link.points_share for s in state.links}
        link = {r.round: 0.0 for r in state.records}
        for e in state.log:
            if e.key == "link_fees" and e.company == host:
                link[e.round] = link.get(e.round, 0.0) + float(e.params["gmv"])

        def counted(rounds: range) -> float:
            vals = [r.companies[host]["gmv"] + share.get(host, 0.0) * link.get(r.round, 0.0)
                    for r in state.records if r.round in rounds]
            return sum(vals) / len(vals) if vals else 0.0
        before = counted(range(max(1, ban.round - 2), ban.round))
        after = counted(range(ban.round + 1, ban.round + 3))
        pays = after > before
    return Outcome(first, {cs.id: cs.gmv_total for cs in state.companies}, pays)


def score(state: GameState, forecasts: list[Forecast]) -> list[ForecastScore]:
    """Each forecast against the game: loop and ban right or wrong, GMV by its relative error."""
    o = outcome(state)
    out = []
    for f in forecasts:
        loop = None if f.loop_first is None else float(f.loop_first == o.loop_first)
        gmv = None
        if f.gmv_end is not None:
            actual = o.gmv_end.get(f.team, 0.0)
            gmv = max(0.0, 1.0 - abs(f.gmv_end - actual) / actual) if actual > 0 else float(f.gmv_end == 0)
        ban = None if f.ban_pays is None or o.ban_pays is None else float(f.ban_pays == o.ban_pays)
        parts = [x for x in (loop, gmv, ban) if x is not None]
        out.append(ForecastScore(f, loop, gmv, ban, sum(parts)))
    return out
