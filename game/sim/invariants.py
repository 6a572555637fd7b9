"""The engine's contract, checked on any state: invariants, exact digests, players' manners.

Shared by the conformance run (``python main.py rules test``), the testing kit
(:mod:`game.testing`, which re-exports :func:`check_invariants` and :func:`digest`) and the
tests. Plain Python over the engine: it imports no test framework, so a packaged app that
ships the conformance run does not pull pytest in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from game.engine import Action, GameState
from game.engine.graph import bits
from game.session import SessionHooks

__all__ = ["ContractBroken", "PlayerContract", "check_invariants", "digest"]

_EPS = 1e-6


def digest(state: GameState) -> dict[str, Any]:
    """Everything that makes up a game's state, for exact comparisons (undo, replay, clone).

    Goes beyond :meth:`GameState.snapshot`: the chance draws, every company field,
    turn order, modifiers, log, round records and history.
    """
    return {
        "snapshot": state.snapshot(),
        "companies": [cs.to_dict() for cs in state.companies],
        "draws": state.draws.tolist(),
        "round": state.round, "order": state.order, "turn_pos": state.turn_pos,
        "current": state.current, "actions_left": state.actions_left,
        "turn_start": state.turn_start, "terminal": state.terminal, "winner": state.winner,
        "win_reason": state.win_reason, "market_now": state.market_now,
        "mods": list(state.mods), "round_events": state.round_events,
        "links_open": list(state.links_open), "link_demand": list(state.link_demand),
        "history": list(state.history), "log": list(state.log), "records": list(state.records),
    }


def check_invariants(state: GameState) -> list[str]:
    """Every invariant of a game state; returns the broken ones in words (empty: all hold)."""
    out: list[str] = []
    bad = out.append
    rules, graph, scen, eco = state.rules, state.graph, state.scenario, state.rules.economy
    work = [c.work for c in rules.capabilities]
    n = len(state.players)
    max_talent = eco.max_talent

    for cs in state.companies:
        c = cs.id
        prof = state.profiles[cs.index]
        for name in ("capital", "traffic", "users", "ux", "data", "gmv_total", "gmv_last",
                     "demand", "app_share", "conversion"):
            v = getattr(cs, name)
            if not math.isfinite(v):
                bad(f"{c}: {name} is {v}")
            elif v < -1e-9:
                bad(f"{c}: {name} is negative ({v})")
        if cs.ux > eco.ux_max + 1e-9:
            bad(f"{c}: ux {cs.ux} above ux_max {eco.ux_max}")
        if cs.users > eco.internet_users + 1e-9:
            bad(f"{c}: users {cs.users} above internet_users {eco.internet_users}")
        if not 0.0 <= cs.app_share <= 1.0 + 1e-12:
            bad(f"{c}: app_share {cs.app_share} outside 0..1")
        if not 0 <= cs.talent <= max_talent:
            bad(f"{c}: talent {cs.talent} outside 0..{max_talent}")
        if cs.app_launched != (cs.launched_round is not None):
            bad(f"{c}: app_launched {cs.app_launched} but launched_round {cs.launched_round}")
        mask = 0
        for k, p in enumerate(cs.progress):
            if not 0 <= p <= work[k]:
                bad(f"{c}: progress of {graph.ids[k]} is {p}, outside 0..{work[k]}")
            if p >= work[k]:
                mask |= 1 << k
            elif p > 0 and not graph.is_available(cs.built, k):
                bad(f"{c}: {graph.ids[k]} is in progress without its prerequisites")
        if mask != cs.built:
            bad(f"{c}: built bitmask {cs.built:#x} != progress>=work {mask:#x}")
        if not graph.consistent(cs.built):
            missing = [graph.ids[k] for k in bits(cs.built) if not graph.is_available(cs.built, k)]
            bad(f"{c}: built without prerequisites: {', '.join(missing)}")
        start_built = {rules.capability_index(b) for b in scen.company_specs[c].built}
        for k in bits(prof.locked):
            if cs.progress[k] and k not in start_built:
                bad(f"{c}: {graph.ids[k]} is locked by the scenario but has progress")
        if cs.loop_closed != graph.loop_closed(state.loop, cs.built):
            bad(f"{c}: loop_closed {cs.loop_closed} but the graph says otherwise")
        if cs.links_done != graph.links_done(state.loop, cs.built):
            bad(f"{c}: links_done {cs.links_done} != graph's {graph.links_done(state.loop, cs.built)}")
        fresh = cs.copy()
        state.game.refresh_company(fresh)
        for name in ("conversion", "traffic_bonus", "ux_relief"):
            if abs(getattr(fresh, name) - getattr(cs, name)) > 1e-9:
                bad(f"{c}: {name} {getattr(cs, name)} is stale (recomputed: {getattr(fresh, name)})")
        if cs.app_launched and cs.launched_round and not cs.loop_closed:
            bad(f"{c}: launched an app without a closed loop")
        for spec in rules.actions:
            if spec.per_round and cs.used[spec.index] > spec.per_round:
                bad(f"{c}: used {spec.id} {cs.used[spec.index]} times, limit {spec.per_round}")
        per_round = [r.companies[c]["gmv"] for r in state.records]
        if abs(sum(per_round) - cs.gmv_total) > _EPS * max(1.0, cs.gmv_total):
            bad(f"{c}: gmv_total {cs.gmv_total} != sum of per-round GMV {sum(per_round)}")
        if state.records and abs(state.records[-1].companies[c]["gmv"] - cs.gmv_last) > _EPS:
            bad(f"{c}: gmv_last {cs.gmv_last} != last round's GMV")

    for rec in state.records:
        total = sum(v["gmv"] for v in rec.companies.values()) + rec.others_gmv
        if abs(total - rec.market) > _EPS * max(1.0, rec.market):
            bad(f"round {rec.round}: company GMV + others {total} != market {rec.market}")
        if rec.others_gmv < -_EPS or rec.market < 0:
            bad(f"round {rec.round}: negative market ({rec.market}) or others' GMV ({rec.others_gmv})")
        for cid, v in rec.companies.items():
            if v["gmv"] < -_EPS:
                bad(f"round {rec.round}: {cid} has negative GMV {v['gmv']}")
    if [r.round for r in state.records] != list(range(1, len(state.records) + 1)):
        bad(f"round records are not 1..n: {[r.round for r in state.records]}")

    if not 1 <= state.round <= scen.rounds:
        bad(f"round {state.round} outside 1..{scen.rounds}")
    expected_records = state.round if state.terminal else state.round - 1
    if len(state.records) != expected_records:
        bad(f"{len(state.records)} round records in round {state.round} (terminal={state.terminal})")
    if sorted(state.order) != list(range(n)):
        bad(f"turn order {state.order} is not a permutation of the companies")
    elif not state.terminal:
        shift = (state.round - 1) % n
        if state.order != tuple(list(range(n))[shift:] + list(range(n))[:shift]):
            bad(f"turn order {state.order} does not rotate with the round")
        if state.current != state.order[state.turn_pos]:
            bad(f"current {state.current} is not order[turn_pos] {state.order[state.turn_pos]}")
    if not 0 <= state.actions_left <= scen.actions_per_round:
        bad(f"actions_left {state.actions_left} outside 0..{scen.actions_per_round}")
    if state.terminal != (state.winner is not None):
        bad(f"winner {state.winner} but terminal {state.terminal}")
    if state.terminal != (state.win_reason is not None):
        bad(f"win_reason {state.win_reason} but terminal {state.terminal}")
    if state.terminal and state.winner is not None:
        w = state.companies[state.winner]
        if state.win_reason == "score":
            if state.round != scen.rounds:
                bad(f"won on score in round {state.round}, not the last ({scen.rounds})")
            if w.gmv_total < max(cs.gmv_total for cs in state.companies) - _EPS:
                bad(f"winner {w.id} does not have the highest total GMV")
        elif state.win_reason == "points":
            if not scen.victory_points or state.round != scen.rounds:
                bad(f"won on points in round {state.round} (points victory: {scen.victory_points})")
            if w.points < max(cs.points for cs in state.companies) - _EPS:
                bad(f"winner {w.id} does not have the most goal points")
        elif state.win_reason == "target":
            target = scen.target_quarter_gmv
            if target is None or w.gmv_last < target - _EPS:
                bad(f"winner {w.id} won on target with quarter GMV {w.gmv_last} < {target}")
        else:
            bad(f"unknown win_reason {state.win_reason!r}")
    if state.terminal and state.legal_actions():
        bad("a finished game still has legal actions")
    if not state.terminal and not state.legal_actions():
        bad("a running game has no legal action")
    if state.undo_depth > len(state.history):  # a clone may undo less than its history
        bad(f"{len(state.history)} actions but {state.undo_depth} undo entries")
    if not 0 <= state.turn_start <= len(state.history):
        bad(f"turn_start {state.turn_start} outside 0..{len(state.history)}")
    if len(state.links_open) != len(state.links) or len(state.link_demand) != len(state.links):
        bad("links_open / link_demand do not match the links")
    for (link, h, _), is_open, d in zip(state.links, state.links_open, state.link_demand):
        if d < -1e-9 or not math.isfinite(d):
            bad(f"link {link.host}->{link.partner} demand {d}")
        if not is_open:
            ban = next((a for a in rules.actions if a.kind == "ban_links"), None)
            host = state.companies[h]
            if ban is not None and any(not host.built >> rules.capability_index(r) & 1
                                       for r in ban.requires):
                bad(f"{host.id} banned links without {', '.join(ban.requires)}")
    for mod in state.mods:
        if mod[4] < 1:
            bad(f"modifier {mod} has expired but is still active")
    return out


class ContractBroken(AssertionError):
    """A computer player broke its contract (see :class:`PlayerContract`)."""


class PlayerContract(SessionHooks):
    """Session hooks that hold computer players to their contract: ``choose`` leaves the state
    exactly as it was and returns an action the engine allows.

    Each broken promise goes to ``on_problem`` (default: raise :class:`ContractBroken`). It
    digests the whole state before every choice, so it is for checks, not for batch play.
    """

    def __init__(self, on_problem: Callable[[str], None] | None = None):
        self.on_problem = on_problem or self._raise
        self._before: dict[str, Any] | None = None

    @staticmethod
    def _raise(problem: str) -> None:
        raise ContractBroken(problem)

    def before_action(self, state: GameState, company: str) -> None:
        self._before = digest(state)

    def on_choice(self, state: GameState, company: str, action: Action) -> None:
        where = f"round {state.round}, {company}"
        if self._before is not None and digest(state) != self._before:
            self.on_problem(f"{where}: the computer player changed the state while choosing")
        reason = state.why_illegal(action)
        if reason is not None:
            self.on_problem(f"{where}: the computer player chose '{action}', which is illegal "
                            f"({reason.code})")
