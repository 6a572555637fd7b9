"""Events: drawn from the scenario's schedule and its seeded deck at the start of each round.

Lasting effects become :class:`~game.engine.records.Modifier` records that the economy reads;
immediate effects change companies at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .reasons import Ref
from .records import Modifier

if TYPE_CHECKING:
    from .company import CompanyState
    from .rules import Effect, Event
    from .state import GameState

from .rules import LASTING_EFFECTS as LASTING


def start_round(state: GameState) -> tuple[str, ...]:
    """Pick this round's events (schedule first, then maybe one deck card) and apply them."""
    scen = state.game.scenario
    drawn = list(scen.scheduled.get(state.round, ()))
    # Where in [0, 1) an effect aimed at "random" lands: for a deck card the position of the
    # draw inside the card's weight, else the round's first draw (no new draws: saves replay).
    u, v = state.draws[state.round - 1]
    picks = [u] * len(drawn)
    if scen.regulator_event and state.round > 1 and len(state.companies) > 1:
        # The regulator watches a clear leader (a shared danger that keeps the ending open).
        points = sorted((cs.points for cs in state.companies), reverse=True)
        if points[0] - points[1] >= scen.regulator_lead:
            drawn.append(scen.regulator_event)
            picks.append(u)
    # Two uniform draws per round, made from the seed when the game began.
    if scen.deck and scen.deck_draw_chance > 0 and u < scen.deck_draw_chance:
        total = sum(w for _, w in scen.deck)
        acc = 0.0
        for event_id, w in scen.deck:
            if v * total < acc + w:
                drawn.append(event_id)
                picks.append((v * total - acc) / w if w > 0 else 0.0)
                break
            acc += w
    # Events the facilitator put into this round (game/engine/facilitator.py), last.
    for event_id in state.pending_events:
        drawn.append(event_id)
        picks.append(u)
    state.pending_events.clear()
    for event_id, pick in zip(drawn, picks):
        apply_event(state, state.game.rules.events[event_id], pick)
    return tuple(drawn)


def who_mask(state: GameState, who: str, pick: float = 0.0) -> int:
    """Bitmask over ``state.game.players`` of the companies an effect acts on; ``pick`` in [0, 1)
    chooses the company for "random" (a shock that lands on one platform)."""
    companies = state.companies
    if who == "all":
        return (1 << len(companies)) - 1
    if who == "random":
        return 1 << min(len(companies) - 1, max(0, int(pick * len(companies))))
    if who in ("leader", "laggard"):
        totals = [cs.points if state.game.scenario.victory_points else cs.gmv_total for cs in companies]
        if max(totals) <= 0:
            return 0
        pick = totals.index(max(totals) if who == "leader" else min(totals))
        return 1 << pick
    if who.startswith(("has:", "lacks:")):
        kind, _, cap = who.partition(":")
        k = state.game.rules.capability_index(cap)
        mask = 0
        for cs in companies:
            if bool(cs.built >> k & 1) == (kind == "has"):
                mask |= 1 << cs.index
        return mask
    pos = state.game.players.index(who) if who in state.game.players else -1
    return 1 << pos if pos >= 0 else 0


def apply_event(state: GameState, event: Event, pick: float = 0.0) -> None:
    if state.logging:
        hit = [who_mask(state, e.who, pick) for e in event.effects if e.who == "random"]
        # An event aimed at one company drawn at random is logged against that company.
        if hit:
            state.note(state.game.players[hit[0].bit_length() - 1], "event_hit", event=Ref("event", event.id))
        else:
            state.note(None, "event", event=Ref("event", event.id))
    for effect in event.effects:
        mask = who_mask(state, effect.who, pick)
        if effect.type in LASTING:
            action = state.game.rules.action(effect.action).index if effect.action else -1
            state.mods.append(tuple.__new__(Modifier, (effect.type, action, effect.mult, mask, event.rounds, event.id)))
        else:
            for cs in state.companies:
                if mask >> cs.index & 1:
                    _immediate(state, cs, effect)


def _immediate(state: GameState, cs: CompanyState, effect: Effect) -> None:
    eco = state.game.rules.economy
    if effect.type == "ux":
        cs.ux = min(eco.ux_max, max(0.0, cs.ux + effect.delta))
    elif effect.type == "capital":
        cs.capital = max(0.0, cs.capital + effect.delta)
    elif effect.type == "users":
        cs.users = min(eco.internet_users, max(eco.min_users, cs.users * effect.mult))
    elif effect.type == "progress":
        assert effect.capability is not None   # the loader requires it for "progress"
        k = state.game.rules.capability_index(effect.capability)
        prof = state.game.profiles[cs.index]
        if cs.built >> k & 1 or prof.locked >> k & 1 or not state.game.graph.is_available(cs.built, k):
            return
        work = state.game.rules.capabilities[k].work
        cs.progress[k] = max(0, min(work, cs.progress[k] + int(effect.delta)))
        if cs.progress[k] >= work:
            state.complete_capability(cs, k)


def modifier(state: GameState, kind: str, company: int, action: int = -1) -> float:
    """Product of the active modifiers of one type for a company (and action, if given)."""
    mult = 1.0
    for mod in state.mods:
        if mod.type == kind and mod.mask >> company & 1 and (mod.action < 0 or mod.action == action):
            mult *= mod.mult
    return mult


def age_modifiers(state: GameState) -> None:
    state.mods = [m._replace(rounds_left=m.rounds_left - 1) for m in state.mods if m.rounds_left > 1]
