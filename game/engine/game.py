"""A game apart from its state, in the manner of OpenSpiel's Game and State.

A :class:`Game` is what is fixed for every game of a scenario with the same companies: the
rules, the scenario, the players' profiles, the outside links, the numbered action space and
the tables the kinds read. It is built once per rules set and shared by every state (and every
clone) of such games. A :class:`Chance` is the seeded part: all the game's random draws, made
up front, so a seed plus the action list replays a game exactly.

>>> from game.engine import load_rules, new_game
>>> state = new_game(load_rules("rules"), "default", seed=7)
>>> state.current_company
'bytedance'
>>> a = state.legal_actions()[0]
>>> state.apply_action(a); state.undo() == a
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .actions import Action
from .company import CompanyProfile, CompanyState
from .graph import CapabilityGraph
from .kinds import CAPABILITY, COMPANY, KINDS, NO_TARGET, ActionKind
from .kinds.base import EPS
from .records import LinkSlot
from .rules import ActionSpec, Rules, Scenario

if TYPE_CHECKING:
    from .state import GameState


class Game:
    """The fixed part of a game. Get one with :meth:`of` (cached per rules set)."""

    def __init__(self, rules: Rules, scenario: Scenario, players: tuple[str, ...]):
        self.rules = rules
        self.scenario = scenario
        self.graph: CapabilityGraph = rules.graph
        self.loop = scenario.loop
        self.players = players
        self.pos: dict[str, int] = {cid: i for i, cid in enumerate(players)}
        self.profiles = tuple(CompanyProfile.build(rules, scenario, scenario.company_specs[c], i)
                              for i, c in enumerate(players))
        self.links: tuple[LinkSlot, ...] = tuple(
            LinkSlot(link, self.pos[link.host], self.pos[link.partner])
            for link in scenario.outside_links if link.host in self.pos and link.partner in self.pos)
        self.link_of: dict[tuple[int, int], int] = {(s.host, s.partner): i for i, s in enumerate(self.links)}
        # Per host: (partner, link index) of the links it carries.
        self.partner_links: tuple[tuple[tuple[int, int], ...], ...] = tuple(
            tuple((s.partner, i) for i, s in enumerate(self.links) if s.host == h) for h in range(len(players)))
        provider = scenario.waybill_provider
        self.waybill_provider: int | None = self.pos.get(provider) if provider else None
        seller = scenario.traffic_seller
        self.traffic_seller: int | None = self.pos.get(seller) if seller else None
        eco = rules.economy
        self.waybill_index = rules.capability_index(eco.waybill_capability) if eco.waybill_capability else -1
        self.data_index = rules.capability_index(eco.data_capability) if eco.data_capability else -1
        self.talent_mask: int = self.graph.pillar_mask.get(eco.talent_pillar, 0)
        self.talent_caps = tuple(k for k in range(len(rules.capabilities)) if self.talent_mask >> k & 1)
        self.work = tuple(c.work for c in rules.capabilities)
        self.unused = (0,) * len(rules.actions)               # a company's action counts at a round's start
        self.no_link_demand = (0.0,) * len(self.links)
        self.capability_ids = tuple(c.id for c in rules.capabilities)

        # The kind of every action spec, by spec index; the state dispatches through these.
        self.kinds: tuple[ActionKind, ...] = tuple(KINDS[a.kind] for a in rules.actions)
        self.disabled = tuple(a.id in scenario.disabled_actions for a in rules.actions)
        self.requires_mask = tuple(sum(1 << rules.capability_index(c) for c in a.requires) for a in rules.actions)
        # What legal_actions walks: the specs this scenario allows, with their kinds.
        self.playable: tuple[tuple[ActionSpec, ActionKind], ...] = tuple(
            (a, k) for a, k, off in zip(rules.actions, self.kinds, self.disabled) if not off)
        self.end_turn_spec = next(a for a, k in zip(rules.actions, self.kinds) if k is KINDS["end_turn"])
        values = [k.values(self, a) for a, k in zip(rules.actions, self.kinds)]
        self.plain_value = tuple(v[0] if k.target not in (CAPABILITY, COMPANY) else Action(a.id)
                                 for a, k, v in zip(rules.actions, self.kinds, values))
        self.target_values = tuple(v if k.target in (CAPABILITY, COMPANY) else None
                                   for k, v in zip(self.kinds, values))
        self.end_turn_value = self.plain_value[self.end_turn_spec.index]
        # A fixed numbering of every action of this game, for bots that need integer actions.
        self.action_space: tuple[Action, ...] = tuple(a for v in values for a in v)
        self.action_number = {a: i for i, a in enumerate(self.action_space)}
        # Action -> (spec, kind, target index), for every action of the space except the
        # targets a kind refuses for every mover (checked per mover in decode()).
        self._decoded: dict[Action, tuple[ActionSpec, ActionKind, int | None]] = {}
        for a, k, v in zip(rules.actions, self.kinds, values):
            for j, value in enumerate(v):
                target = j if k.target in (CAPABILITY, COMPANY) else None
                self._decoded[value] = (a, k, target)
        # The same by the identity of this Game's own Action objects (the ones legal_actions hands
        # out; the Game keeps them alive, so an id stays theirs): a rollout's fast path.
        self.decoded_by_id = {id(v): d for v, d in self._decoded.items()}
        # Per company, one row per playable spec: what the legal-action list checks inline.
        self.rows: tuple[tuple[LegalRow, ...], ...] = tuple(
            tuple(self._row(spec, kind, prof) for spec, kind in self.playable if kind.available_to(self, prof.index))
            for prof in self.profiles)
        # Per company: built bitmask -> capabilities it could build next (prerequisites met,
        # neither built nor locked), in index order; filled as games reach new built sets.
        self._buildable: tuple[dict[int, tuple[int, ...]], ...] = tuple({} for _ in players)
        self._build_options: tuple[dict[tuple[int, int], tuple[tuple[float, Action], ...]], ...] = tuple(
            {} for _ in players)
        # Per company: built bitmask -> what follows from it (see refresh_company).
        self._derived: tuple[dict[int, tuple[float, float, float, bool, int]], ...] = tuple({} for _ in players)

    @classmethod
    def of(cls, rules: Rules, scenario: str | Scenario, companies: Iterable[str] | None = None) -> Game:
        """The shared Game of a scenario with some or all of its companies (scenario order)."""
        scen = rules.scenario(scenario) if isinstance(scenario, str) else scenario
        named = tuple(companies) if companies is not None else scen.companies
        unknown = [c for c in named if c not in scen.companies]
        if unknown or not named or len(set(named)) != len(named):
            raise ValueError(
                f"companies must be distinct ids from scenario '{scen.id}': "
                f"{', '.join(scen.companies)} (got {', '.join(named) or 'none'})")
        # Keep the scenario's order whatever order the caller named them in.
        players = tuple(c for c in scen.companies if c in named)
        # Keyed by the scenario object itself (the Game keeps it alive, so its id stays unique).
        game: Game = rules.memo(("game", id(scen), players), lambda: cls(rules, scen, players))
        return game

    def _row(self, spec: ActionSpec, kind: ActionKind, prof: CompanyProfile) -> LegalRow:
        i = spec.index
        mult = prof.action_cost_mult[i]
        own_rule = None if type(kind).allowed is ActionKind.allowed else kind.allowed
        fixed = spec.traffic * mult      # the traffic cost when it is not a share of the round's
        capital = prof.action_capital[i]
        return LegalRow(spec, i, spec.per_round or _NO_LIMIT, self.requires_mask[i], spec.requires_loop,
                        fixed - EPS if fixed else -math.inf, spec.traffic, spec.traffic_share, mult,
                        capital - EPS if capital else -math.inf, self.plain_value[i], own_rule,
                        kind.rule_floor(self, spec, prof.index),
                        None if kind.target == NO_TARGET else kind.list_targets)

    def build_options(self, spec_index: int, company: int, built: int) -> tuple[tuple[float, Action], ...]:
        """For a build spec: (least capital less the tolerance, action) of each capability the
        company may build next with ``built`` done, in index order (memoised per built set)."""
        known = self._build_options[company]
        key = (spec_index, built)
        found = known.get(key)
        if found is None:
            values = self.target_values[spec_index]
            assert values is not None
            cost = self.profiles[company].build_cost
            found = known[key] = tuple((cost[k] - EPS, values[k]) for k in self.buildable(company, built))
        return found

    def buildable(self, company: int, built: int) -> tuple[int, ...]:
        """Capabilities company ``company`` may build next with ``built`` done (capital aside)."""
        known = self._buildable[company]
        found = known.get(built)
        if found is None:
            blocked = built | self.profiles[company].locked
            available = self.graph.is_available
            found = known[built] = tuple(k for k in range(len(self.work))
                                         if not blocked >> k & 1 and available(built, k))
        return found

    def decode(self, action: Action, mover: int) -> tuple[ActionSpec, ActionKind, int | None] | None:
        """The spec, kind and target index of an action of this game's space, or None if the
        action is not one of them for this mover (the kind's ``resolve`` then says why)."""
        # By identity first: legal_actions hands out this Game's own Action objects.
        found = self.decoded_by_id.get(id(action)) or self._decoded.get(action)
        if found is None or (found[1].target == COMPANY and found[2] == mover):
            return None
        return found

    def new_company(self, i: int) -> CompanyState:
        """Company ``i`` as the scenario starts it."""
        spec = self.scenario.company_specs[self.players[i]]
        rules = self.rules
        cs = CompanyState()
        cs.id, cs.index = spec.id, i
        cs.progress = [0] * len(rules.capabilities)
        cs.built = 0
        for cap in spec.built:
            k = rules.capability_index(cap)
            cs.progress[k] = rules.capabilities[k].work
            cs.built |= 1 << k
        cs.users, cs.capital, cs.ux = spec.users, spec.capital, spec.ux
        cs.traffic = cs.traffic_start = 0.0
        cs.app_launched, cs.app_share = spec.app_launched, spec.app_share
        cs.launched_round = 0 if spec.app_launched else None
        cs.gmv_total = cs.gmv_last = cs.demand = cs.data = cs.data_bonus = 0.0
        cs.ux_lost = cs.commerce_traffic = 0.0
        cs.talent = 0
        cs.points = 0.0
        cs.merchants = spec.merchants
        cs.waybill_terms = -1
        cs.content = 0.0
        cs.used = [0] * len(rules.actions)
        self.refresh_company(cs)
        return cs

    def refresh_company(self, cs: CompanyState) -> None:
        """Recompute what follows from a company's built set (after a capability completes, or
        after a test or a tool sets the company up by hand)."""
        known = self._derived[cs.index]
        derived = known.get(cs.built)
        if derived is None:
            derived = known[cs.built] = self._derive(cs.index, cs.built)
        cs.conversion, cs.traffic_bonus, cs.ux_relief, cs.loop_closed, cs.links_done = derived

    def _derive(self, company: int, built: int) -> tuple[float, float, float, bool, int]:
        prof = self.profiles[company]
        conv = self.rules.economy.base_conversion + prof.conversion_extra
        bonus = relief = 0.0
        for k, cap in enumerate(self.rules.capabilities):
            if built >> k & 1:
                conv += prof.cap_conversion[k]
                bonus += cap.traffic_bonus
                relief += cap.ux_relief
        return (conv, bonus, min(relief, self.rules.economy.ux_relief_cap),
                self.graph.loop_closed(self.loop, built), self.graph.links_done(self.loop, built))


_NO_LIMIT = 1 << 30   # "uses a round" of an action without a per-round limit


class LegalRow(NamedTuple):
    """One spec as the legal-action list sees it for one company (see GameState.legal_actions)."""

    spec: ActionSpec
    spec_index: int
    most: int                    # uses a round (per_round, or no limit)
    requires: int                # bitmask of capabilities the action needs
    requires_loop: bool
    traffic_floor: float         # least traffic, less the tolerance, when it costs a fixed amount
    traffic: float               # else: the fixed traffic cost (see economy.traffic_cost)
    traffic_share: float         # or this share of the round's traffic, when that is more
    cost_mult: float             # the company's multiplier on the traffic cost
    capital_floor: float         # least capital it needs, less the tolerance (-inf: free)
    value: Action
    own_rule: Callable[[GameState, ActionSpec, CompanyState], bool] | None   # the kind's own condition, if any
    rule_floor: float            # with at least this much capital, own_rule holds (inf: always ask it)
    # For kinds with targets: appends the legal targeted actions, once the row's shared checks pass.
    lister: Callable[[GameState, ActionSpec, CompanyState, list[Action]], None] | None


@dataclass(frozen=True, slots=True)
class Chance:
    """All the chance in one game: two uniform draws per round (the event deck), from the seed.

    The state holds no generator, so undo and clone stay cheap, and a search player can
    resample the future with :meth:`resampled` (``GameState.clone(chance_seed=...)``).
    """

    seed: int
    draws: np.ndarray

    @classmethod
    def of(cls, seed: int, rounds: int) -> Chance:
        return cls(seed, np.random.Generator(np.random.PCG64(seed)).random((rounds, 2)))

    def resampled(self, from_round: int, chance_seed: int) -> Chance:
        """The same draws up to ``from_round`` (the past), fresh ones after it."""
        future = np.random.Generator(np.random.PCG64(chance_seed)).random(self.draws.shape)
        return Chance(self.seed, np.concatenate([self.draws[:from_round], future[from_round:]]))


def new_game(rules: Rules, scenario: str = "default", seed: int = 0,
             companies: Iterable[str] | None = None, *, logging: bool = True) -> GameState:
    """Start a game of a scenario. ``companies`` leaves some of the scenario's companies out.

    ``logging=False`` starts a rollout: no log, no round records, no undo, actions trusted to
    come from ``legal_actions`` (for search players and sweeps; see ``GameState.rollout``).
    """
    from .state import GameState

    game = Game.of(rules, scenario, companies)
    return GameState(game, Chance.of(int(seed), game.scenario.rounds), logging=logging)


def replay(rules: Rules, scenario: str, seed: int, actions: Iterable[Action | str],
           companies: Iterable[str] | None = None, interventions: Iterable[Any] = ()) -> GameState:
    """Play an action list from the start, with the facilitator's interventions (objects with
    ``at`` and ``to_json()``, or their JSON) at their places; raises IllegalActionError at the
    first bad action, ValueError at a bad intervention."""
    from . import facilitator

    state = new_game(rules, scenario, seed, companies)
    items = sorted((iv.to_json() if hasattr(iv, "to_json") else dict(iv) for iv in interventions),
                   key=lambda item: int(item["at"]))
    k = 0
    for i, a in enumerate([*actions, None]):
        while k < len(items) and int(items[k]["at"]) <= i:
            facilitator.replay(state, items[k])
            k += 1
        if a is not None:
            state.apply_action(a)
    return state
