"""The facilitator's hand on a running game (issue 14): adjust a company's resources with a
reason ("what if your payment licence were refused?"), or put an event of the scenario's deck
into the start of the next round. Every intervention is logged, saved with the game (a save
replays it at the same point of the action list), and the facilitator can take the last one
back while no action has followed it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .reasons import Money, Ref, Users

if TYPE_CHECKING:
    from .company import SavedCompany
    from .state import GameState

#: What the facilitator may set, with the log key that reports it.
ADJUSTABLE: dict[str, str] = {"capital": "facilitator_capital", "users": "facilitator_users",
                              "ux": "facilitator_ux", "traffic": "facilitator_traffic",
                              "merchants": "facilitator_merchants"}
MAX_REASON = 500


class Intervention(NamedTuple):
    """One intervention: applied when the game had ``at`` actions (before action ``at + 1``)."""

    at: int
    kind: str                           # "adjust" or "event"
    company: str | None
    changes: Mapping[str, float]        # field -> amount added (adjust)
    event: str | None                   # event id (event)
    reason: str

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"at": self.at, "kind": self.kind, "reason": self.reason}
        if self.kind == "adjust":
            out["company"] = self.company
            out["changes"] = dict(self.changes)
        else:
            out["event"] = self.event
        return out


class _Undo(NamedTuple):
    saved: SavedCompany | None
    company: int
    log_len: int


def _reason(reason: str) -> str:
    if not isinstance(reason, str):
        raise ValueError("the reason must be text")
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise ValueError(f"the reason is {len(reason)} characters long; at most {MAX_REASON}")
    return reason


def _bounds(state: GameState, name: str) -> tuple[float, float]:
    eco = state.rules.economy
    return {"capital": (0.0, math.inf), "users": (eco.min_users, eco.internet_users),
            "ux": (0.0, eco.ux_max), "traffic": (0.0, math.inf), "merchants": (0.0, 100.0)}[name]


def adjust(state: GameState, company: str, changes: Mapping[str, float], reason: str = "") -> Intervention:
    """Add ``changes`` ({field: amount}, fields of :data:`ADJUSTABLE`) to a company's figures,
    each kept within its bounds; raises ValueError naming what is wrong, the state unchanged."""
    if state.is_terminal():
        raise ValueError("the game is over: nothing to adjust")
    if company not in state.players:
        raise ValueError(f"unknown company '{company}' (in this game: {', '.join(state.players)})")
    if not changes:
        raise ValueError("nothing to change: give at least one of " + ", ".join(ADJUSTABLE))
    clean: dict[str, float] = {}
    for name, amount in changes.items():
        if name not in ADJUSTABLE:
            raise ValueError(f"'{name}' cannot be adjusted (adjustable: {', '.join(ADJUSTABLE)})")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            raise ValueError(f"the change of '{name}' must be a finite number, not {amount!r}")
        clean[name] = float(amount)
    reason = _reason(reason)
    cs = state.company(company)
    undo = _Undo(cs.save(), cs.index, len(state.log))
    for name, amount in clean.items():
        lo, hi = _bounds(state, name)
        setattr(cs, name, min(hi, max(lo, getattr(cs, name) + amount)))
        value = getattr(cs, name)
        shown: object = Money(value) if name == "capital" else Users(value) if name == "users" else round(value, 1)
        state.note(company, ADJUSTABLE[name], value=shown, reason=reason or "—")
    return _record(state, Intervention(len(state.history), "adjust", company, clean, None, reason), undo)


def inject_event(state: GameState, event: str, reason: str = "") -> Intervention:
    """Put ``event`` (one of the scenario's deck) into the start of the next round."""
    if state.is_terminal():
        raise ValueError("the game is over: no next round")
    deck = [e for e, _ in state.scenario.deck]
    if event not in deck:
        raise ValueError(f"'{event}' is not in this scenario's deck (the deck: {', '.join(deck) or 'empty'})")
    if state.round >= state.scenario.rounds:
        raise ValueError("this is the last round: there is no next round to start with it")
    reason = _reason(reason)
    undo = _Undo(None, -1, len(state.log))
    state.pending_events.append(event)
    state.note(None, "facilitator_event", event=Ref("event", event), reason=reason or "—")
    return _record(state, Intervention(len(state.history), "event", None, {}, event, reason), undo)


def _record(state: GameState, iv: Intervention, undo: _Undo) -> Intervention:
    state.interventions.append(iv)
    state.intervention_undo.append(undo)
    return iv


def can_undo_intervention(state: GameState) -> bool:
    """Whether the last intervention can be taken back: no action has followed it."""
    return bool(state.interventions) and state.interventions[-1].at == len(state.history) \
        and len(state.intervention_undo) == len(state.interventions)


def undo_intervention(state: GameState) -> Intervention:
    """Take back the last intervention; raises ValueError when an action has followed it."""
    if not state.interventions:
        raise ValueError("no intervention to take back")
    if not can_undo_intervention(state):
        raise ValueError("an action came after the last intervention: take the action back first")
    iv = state.interventions.pop()
    undo = state.intervention_undo.pop()
    if iv.kind == "adjust" and undo.saved is not None:
        state.companies[undo.company].load(undo.saved)
    elif iv.kind == "event":
        state.pending_events.pop()
    del state.log[undo.log_len:]
    return iv


def replay(state: GameState, item: Mapping[str, object]) -> Intervention:
    """Apply one saved intervention (a save's ``interventions`` entry) to a replaying game."""
    kind = item.get("kind")
    reason = item.get("reason", "")
    if not isinstance(reason, str):
        raise ValueError("'reason' must be text")
    if kind == "adjust":
        company, changes = item.get("company"), item.get("changes")
        if not isinstance(company, str) or not isinstance(changes, dict):
            raise ValueError("an adjustment needs 'company' (text) and 'changes' (an object)")
        return adjust(state, company, changes, reason)
    if kind == "event":
        event = item.get("event")
        if not isinstance(event, str):
            raise ValueError("an injected event needs 'event' (an event id)")
        return inject_event(state, event, reason)
    raise ValueError(f"unknown intervention kind {kind!r} (known: adjust, event)")
