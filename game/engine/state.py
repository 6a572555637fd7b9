"""The changing part of a game and its small public surface, in the manner of OpenSpiel's State.

``legal_actions()``, ``apply_action()``, ``undo()``, ``is_terminal()``, ``returns()`` and
``serialize()`` serve the board, the computer players and the tests alike. What an action does
is its kind's business (:mod:`game.engine.kinds`); the state dispatches and keeps the record.

A state made with ``logging=False`` (``new_game(..., logging=False)`` or
``clone(logging=False)``) is a rollout: actions are trusted to come from ``legal_actions``
(not checked again), and no log, round records or undo are kept. Search players and balance
sweeps use it; everything else plays checked, logged and undoable.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np

from . import economy, events
from .actions import Action
from .company import CompanyProfile, CompanyState
from .errors import IllegalActionError
from .graph import CapabilityGraph, LoopStatus
from .reasons import Reason, Ref
from .records import ActionPrice, Globals, LinkSlot, LogEntry, Modifier, RoundRecord, UndoRecord
from .rules import ActionSpec, Rules, Scenario
from .text import render_reason

if TYPE_CHECKING:
    from .facilitator import Intervention
    from .game import Chance, Game
    from .kinds import ActionKind

# Named records made on every action are built with tuple.__new__ directly: a NamedTuple's own
# __new__ is a Python function, and these are the hottest allocations of play.
_new = tuple.__new__


class GameState:
    """A game in progress. Create one with :func:`new_game`; change it only by actions."""

    def __init__(self, game: Game, chance: Chance, *, logging: bool = True):
        self.game = game
        self.chance = chance
        self.logging = logging
        self.companies: list[CompanyState] = [game.new_company(i) for i in range(len(game.players))]
        self.links_open = [True] * len(game.links)
        self.link_demand = [0.0] * len(game.links)
        self.round = 1
        self.order: tuple[int, ...] = ()
        self.turn_pos = 0
        self.current = 0
        self.actions_left = 0
        self.turn_start = 0
        self.terminal = False
        self.winner: int | None = None
        self.win_reason: str | None = None
        self.market_now = 0.0
        self.mods: list[Modifier] = []
        self.round_events: tuple[str, ...] = ()
        self.history: list[Action] = []
        self.log: list[LogEntry] = []
        self.records: list[RoundRecord] = []
        self._undo: list[UndoRecord] = []
        # The facilitator's interventions (game/engine/facilitator.py): saved and replayed with
        # the actions; events it put into the next round; what taking one back restores.
        self.interventions: list[Intervention] = []
        self.intervention_undo: list[Any] = []
        self.pending_events: list[str] = []
        # The last list legal_actions() handed out, with the history length and the mover it
        # was made for: an action taken from it is not checked a second time (no repeated
        # validation). Undo restores the exact state, so the list is valid again at that length.
        self._vetted: tuple[int, CompanyState | None, list[Action]] = (-1, None, [])
        self._start_round()

    # ------------------------------------------------------------------ the fixed part, by name

    @property
    def rules(self) -> Rules:
        return self.game.rules

    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def graph(self) -> CapabilityGraph:
        return self.game.graph

    @property
    def loop(self) -> tuple[str, ...]:
        return self.game.loop

    @property
    def players(self) -> tuple[str, ...]:
        """The companies in this game, in the scenario's order."""
        return self.game.players

    @property
    def profiles(self) -> tuple[CompanyProfile, ...]:
        return self.game.profiles

    @property
    def links(self) -> tuple[LinkSlot, ...]:
        return self.game.links

    @property
    def waybill_provider(self) -> int | None:
        return self.game.waybill_provider

    @property
    def action_space(self) -> tuple[Action, ...]:
        """Every action of this game, numbered (the same in every state of the game)."""
        return self.game.action_space

    @property
    def seed(self) -> int:
        return self.chance.seed

    @property
    def draws(self) -> np.ndarray:
        """The chance draws, two per round (see :class:`game.engine.game.Chance`)."""
        return self.chance.draws

    # ------------------------------------------------------------------ queries

    @property
    def current_company(self) -> str:
        """Id of the company to move."""
        return self.game.players[self.current]

    def current_player(self) -> int:
        """Index in ``players`` of the company to move (OpenSpiel's name for it)."""
        return self.current

    def action_to_int(self, action: Action | str) -> int:
        """The action's number in :attr:`action_space` (the same in every state of a game)."""
        return self.game.action_number[Action.parse(action) if isinstance(action, str) else action]

    def int_to_action(self, number: int) -> Action:
        return self.game.action_space[number]

    def legal_mask(self) -> list[bool]:
        """One flag per :attr:`action_space` entry: legal now or not."""
        number = self.game.action_number
        mask = [False] * len(self.game.action_space)
        for a in self.legal_actions():
            mask[number[a]] = True
        return mask

    def company(self, company_id: str) -> CompanyState:
        return self.companies[self.game.pos[company_id]]

    def profile(self, company_id: str) -> CompanyProfile:
        return self.game.profiles[self.game.pos[company_id]]

    @property
    def year_quarter(self) -> tuple[int, int]:
        return self.game.scenario.quarter_label(self.round)

    def is_terminal(self) -> bool:
        return self.terminal

    @property
    def winner_id(self) -> str | None:
        return None if self.winner is None else self.game.players[self.winner]

    def scores(self) -> dict[str, float]:
        """Total GMV (bn yuan) per company so far: the score."""
        return {cs.id: cs.gmv_total for cs in self.companies}

    def returns(self) -> list[float]:
        """Per company in ``players`` order: 1 for the winner, 0 for the others (0s until the end)."""
        return [1.0 if self.winner == i else 0.0 for i in range(len(self.companies))]

    def score_shares(self) -> list[float]:
        """Per company in ``players`` order: its share of the players' total GMV so far (a dense
        signal for search players; the winner is decided by :meth:`returns`)."""
        total = sum(cs.gmv_total for cs in self.companies)
        n = len(self.companies)
        return [cs.gmv_total / total if total > 0 else 1.0 / n for cs in self.companies]

    def node_state(self, company_id: str, capability: str) -> str:
        """'built', 'in_progress', 'available' or 'locked' (the scenario's locks count as locked)."""
        cs = self.company(company_id)
        k = self.game.rules.capability_index(capability)
        if cs.built >> k & 1:
            return "built"
        if cs.progress[k] > 0:
            return "in_progress"
        prof = self.game.profiles[cs.index]
        if prof.locked >> k & 1 or not self.game.graph.is_available(cs.built, k):
            return "locked"
        return "available"

    def loop_status(self, company_id: str) -> LoopStatus:
        """Which loop links are made, and the cheapest plan for each missing one."""
        cs = self.company(company_id)
        prof = self.game.profiles[cs.index]
        return self.game.graph.loop_status(self.game.loop, cs.built, prof.build_cost, cs.progress,
                                           self.game.work, prof.locked)

    def links_open_to(self, host: str) -> list[str]:
        """Partners whose links the host still carries."""
        players = self.game.players
        return [players[s.partner] for s, is_open in zip(self.game.links, self.links_open)
                if is_open and players[s.host] == host]

    def market_size(self) -> float:
        """Consumer spending (bn yuan) this round, with event modifiers."""
        return economy.market_size(self)

    # ------------------------------------------------------------------ legality

    def legal_actions(self) -> list[Action]:
        """Every action the current company may take now, in a stable order."""
        if self.terminal:
            return []
        cs = self.companies[self.current]
        if self.actions_left <= 0:
            out = [self.game.end_turn_value]
            if self.logging:
                self._vetted = (len(self.history), cs, out)
            return out
        out = []
        if self.logging:   # a rollout trusts its actions anyway
            self._vetted = (len(self.history), cs, out)
        used, built, traffic, capital = cs.used, cs.built, cs.traffic, cs.capital
        start = cs.traffic_start
        # The shared gate and price of every kind, inline: this is the hottest loop of play.
        # (kinds/base.py's gate() and afford() say the same with reasons; a test holds them equal.)
        for spec, i, most, req, needs_loop, traffic_floor, t_fixed, t_share, mult, capital_floor, value, own_rule, \
                rule_floor, lister in self.game.rows[self.current]:
            if used[i] >= most or built & req != req or needs_loop and not cs.loop_closed or capital < capital_floor:
                continue
            if t_share:
                # economy.traffic_cost, written out (the same operations, so the same float)
                need_traffic = t_share * start
                if need_traffic < t_fixed:
                    need_traffic = t_fixed
                need_traffic *= mult
                if need_traffic and traffic < need_traffic - 1e-9:
                    continue
            elif traffic < traffic_floor:
                continue
            if own_rule is not None and capital < rule_floor and not own_rule(self, spec, cs):
                continue
            if lister is None:
                out.append(value)
            else:
                lister(self, spec, cs, out)
        return out

    def price(self, action: Action | str, company: str | None = None) -> ActionPrice:
        """What ``action`` costs ``company`` (default: the one to move) now, as the engine will
        charge it: the board shows this on its buttons."""
        action = Action.parse(action) if isinstance(action, str) else action
        spec = self.game.rules.action(action.id)
        kind = self.game.kinds[spec.index]
        cs = self.company(company) if company else self.companies[self.current]
        target = kind.resolve(self.game, spec, action, -1)
        return kind.price(self, spec, cs, target if isinstance(target, int) else None)

    def candidate_actions(self) -> list[Action]:
        """Every action the current company could name (legal or not), in legal_actions' order.

        The board lists these and disables the illegal ones, with ``why_illegal`` as the reason.
        """
        return [a for spec, kind in zip(self.game.rules.actions, self.game.kinds)
                for a in kind.candidates(self, spec)]

    def why_illegal(self, action: Action | str) -> Reason | None:
        """None if the action is legal now, else the rule it breaks (a :class:`Reason`)."""
        found = self._resolve(action)
        if isinstance(found, Reason):
            return found
        spec, kind, target = found
        return self._check(spec, kind, target)

    def is_legal(self, action: Action | str) -> bool:
        return self.why_illegal(action) is None

    def explain(self, reason: Reason, lang: str = "en") -> str:
        """A reason in words, in Chinese or English."""
        return render_reason(self.game.rules, reason, lang)

    def _resolve(self, action: Action | str) -> tuple[ActionSpec, ActionKind, int | None] | Reason:
        if isinstance(action, str):
            try:
                action = Action.parse(action)
            except ValueError:
                return Reason("unknown_action", {"action": action})
        found = self.game.decode(action, self.current)
        if found is not None:
            return found
        rules = self.game.rules
        if not rules.has_action(action.id):
            return Reason("unknown_action", {"action": action.id})
        spec = rules.action(action.id)
        kind = self.game.kinds[spec.index]
        target = kind.resolve(self.game, spec, action, self.current)
        if isinstance(target, Reason):
            return target
        return spec, kind, target

    def _check(self, spec: ActionSpec, kind: ActionKind, target: int | None) -> Reason | None:
        if self.terminal:
            return Reason("game_over")
        return kind.check(self, spec, self.companies[self.current], target, True)

    # ------------------------------------------------------------------ acting

    def apply_action(self, action: Action | str) -> None:
        """Apply a legal action for the current company.

        Raises :class:`IllegalActionError` naming the broken rule; the state is then unchanged.
        In a rollout (``logging=False``) the action is trusted to be one of ``legal_actions()``.
        """
        if not self.logging:
            found = self.game.decoded_by_id.get(id(action))   # one of legal_actions(): trusted
            if found is not None:
                spec, kind, target = found
                self.history.append(action)   # type: ignore[arg-type]  # found: so an Action
                kind.apply(self, spec, self.companies[self.current], target)
                return
        reason: Reason | None = None
        vetted_at, vetted_company, vetted = self._vetted
        found = None
        if vetted_at == len(self.history) and vetted_company is self.companies[self.current] and not self.terminal:
            for a in vetted:
                if a is action:
                    found = self.game.decode(action, self.current)
                    break
        if found is not None:
            spec, kind, target = found
        else:
            resolved = self._resolve(action)
            if isinstance(resolved, Reason):
                reason = resolved
            else:
                spec, kind, target = resolved
                reason = self._check(spec, kind, target)
        if reason is not None:
            raise IllegalActionError(action, self.current_company, reason,
                                     render_reason(self.game.rules, reason, "en"))
        if isinstance(action, str):
            action = Action.parse(action)
        if self.logging:
            self._push_undo(kind.touched(self, spec, target), kind.touches_links)
        self.history.append(action)
        kind.apply(self, spec, self.companies[self.current], target)

    def _push_undo(self, touched: tuple[int, ...] | None, links: bool) -> None:
        # Values go into the record and back into the same objects on undo, so a reference to
        # state.company(...) held by a bot or the board stays valid across actions and undo.
        companies = self.companies
        if touched is None:
            saved = {i: cs.save() for i, cs in enumerate(companies)}
        else:
            saved = {self.current: companies[self.current].save()}
            for i in touched:
                saved[i] = companies[i].save()
        self._undo.append(_new(UndoRecord, (
            saved, len(self.log), len(self.records),
            _new(Globals, (self.round, self.order, self.turn_pos, self.current, self.actions_left,
                           self.turn_start, self.terminal, self.winner, self.win_reason, self.market_now,
                           self.round_events)),
            self.links_open[:] if links or touched is None else None,
            self.link_demand[:] if links or touched is None else None,
            self.mods[:] if touched is None else None)))

    def undo(self) -> Action:
        """Take back the last action (any company's); returns it. Raises IndexError if none, or
        if the facilitator intervened after it (take the intervention back first)."""
        if not self._undo:
            raise IndexError("nothing to undo")
        if self.interventions and self.interventions[-1].at == len(self.history):
            raise IndexError("the facilitator intervened after the last action: take that back first")
        rec = self._undo.pop()
        for i, saved in rec.companies.items():
            self.companies[i].load(saved)
        del self.log[rec.log_len:]
        del self.records[rec.records_len:]
        g = rec.globals
        (self.round, self.order, self.turn_pos, self.current, self.actions_left, self.turn_start,
         self.terminal, self.winner, self.win_reason, self.market_now, self.round_events) = g
        if rec.links_open is not None:   # the record's own copies
            self.links_open = rec.links_open
        if rec.link_demand is not None:
            self.link_demand = rec.link_demand
        if rec.mods is not None:
            self.mods = rec.mods
        return self.history.pop()

    @property
    def undo_depth(self) -> int:
        """How many actions :meth:`undo` can take back (a clone starts with none)."""
        return len(self._undo)

    @property
    def undoable_in_turn(self) -> int:
        """How many actions the current company has taken this turn (and may take back)."""
        return min(len(self.history) - self.turn_start, len(self._undo))

    # ------------------------------------------------------------------ what kinds and the economy call

    def note(self, company: str | None, key: str, **params: Any) -> None:
        """Add a line to the log (a key of ``[log]`` in texts.toml); nothing in a rollout."""
        if self.logging:
            self.log.append(_new(LogEntry, (self.round, company, key, params)))

    def complete_capability(self, cs: CompanyState, k: int) -> None:
        """Capability ``k`` is built: what follows from it, the loop, its goal points."""
        was_closed = cs.loop_closed
        cs.built |= 1 << k
        self.game.refresh_company(cs)
        self.note(cs.id, "built", capability=Ref("capability", self.game.capability_ids[k]))
        if cs.loop_closed and not was_closed:
            self.note(cs.id, "loop_closed")
            if self.game.scenario.victory_points:
                cs.points += self.game.scenario.loop_points

    def next_turn(self) -> None:
        """The mover is done: the next company's turn, or the round's settlement."""
        self.turn_pos += 1
        if self.turn_pos >= len(self.order):
            economy.end_round(self)
            if self.terminal:
                return
            self.round += 1
            self._start_round()
        else:
            self._begin_turn()

    # ------------------------------------------------------------------ rounds

    def _begin_turn(self) -> None:
        self.current = self.order[self.turn_pos]
        self.actions_left = self.game.scenario.actions_per_round
        self.turn_start = len(self.history)

    def _start_round(self) -> None:
        n = len(self.companies)
        shift = (self.round - 1) % n
        self.order = tuple(list(range(n))[shift:] + list(range(n))[:shift])
        self.turn_pos = 0
        if self.logging:
            year, quarter = self.year_quarter
            self.note(None, "round_start", year=year, quarter=quarter)
        self.round_events = events.start_round(self)
        unused = self.game.unused
        for cs in self.companies:
            cs.used[:] = unused
            economy.round_income(self, cs)
        self.link_demand[:] = self.game.no_link_demand
        self._begin_turn()

    # ------------------------------------------------------------------ copying and saving

    def clone(self, chance_seed: int | None = None, *, logging: bool | None = None) -> GameState:
        """An independent copy (for search players): shares the Game.

        With ``chance_seed``, the events of the rounds still to come are drawn afresh, so a
        search player does not plan on the real future deck. ``logging=False`` makes the copy
        a rollout (see the module's docstring).

        The copy can undo only actions applied to it after the copy was made: undo records
        hold the very objects they restore, so sharing them would tie the two states together.
        """
        new = GameState.__new__(GameState)
        new.__dict__.update(self.__dict__)
        new.companies = [cs.copy() for cs in self.companies]
        new.links_open = self.links_open[:]
        new.link_demand = self.link_demand[:]
        new.mods = self.mods[:]
        new.history = self.history[:]
        new.log = self.log[:]
        new.records = self.records[:]
        new._undo = []
        new.interventions = self.interventions[:]
        new.intervention_undo = []          # like actions: a copy takes back only its own
        new.pending_events = self.pending_events[:]
        if logging is not None:
            new.logging = logging
        if chance_seed is not None:
            new.chance = self.chance.resampled(self.round, chance_seed)
        return new

    def snapshot(self) -> dict[str, Any]:
        """Key figures of the state, JSON-ready: saves carry it so a replay can be checked."""
        return {
            "round": self.round, "current": self.current_company, "actions_left": self.actions_left,
            "terminal": self.terminal, "winner": self.winner_id,
            "links_open": list(self.links_open),
            "round_events": list(self.round_events),
            # A digest of the chance draws: a save with an edited seed is caught at once.
            "chance": hashlib.sha256(self.chance.draws.tobytes()).hexdigest()[:16],
            **({"pending_events": list(self.pending_events)} if self.pending_events else {}),
            "companies": {cs.id: {
                "progress": list(cs.progress), "users": round(cs.users, 6),
                "traffic": round(cs.traffic, 6), "capital": round(cs.capital, 6),
                "ux": round(cs.ux, 6), "gmv_total": round(cs.gmv_total, 6),
                "app_launched": cs.app_launched, "app_share": round(cs.app_share, 6),
                "talent": cs.talent, "data": round(cs.data, 6)} for cs in self.companies},
        }

    def serialize(self) -> str:
        """The game as JSON text: rules version, scenario, seed, actions and a snapshot."""
        from .serialize import dumps

        return dumps(self)

    @staticmethod
    def deserialize(rules: Rules, text: str | bytes) -> GameState:
        """The inverse of :meth:`serialize`: replays and verifies; raises SaveError if it can't."""
        from .serialize import loads

        return loads(rules, text)
