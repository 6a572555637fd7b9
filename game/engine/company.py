"""Plain per-company data kept beside the shared graph: cheap to copy, easy to check.

A :class:`CompanyState` is what changes during play; a :class:`CompanyProfile` is what a
company's spec, powers and the scenario make fixed for a whole game (costs, multipliers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .rules import Company, Rules, Scenario


class SavedCompany(NamedTuple):
    """A company's values as an undo record keeps them (see :meth:`CompanyState.save`)."""

    values: tuple[Any, ...]
    progress: list[int]
    used: list[int]


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    """Fixed for a game: the company's costs and multipliers after powers and scenario."""

    id: str
    index: int
    step_cost: tuple[float, ...]
    build_cost: tuple[float, ...]   # what one build step really costs: step_cost x the build action's cost_mult
    cap_conversion: tuple[float, ...]
    traffic_factor: float
    growth: float
    ad_mult: float
    ux_cost_mult: float
    user_loss_mult: float
    conversion_extra: float
    action_demand_mult: tuple[float, ...]
    action_cost_mult: tuple[float, ...]
    action_capital: tuple[float, ...]   # capital each action costs this company (spec x its powers)
    locked: int
    goal_gmv: float
    shelf_rate: float

    @classmethod
    def build(cls, rules: Rules, scenario: Scenario, spec: Company, index: int) -> CompanyProfile:
        powers = [rules.powers[p] for p in spec.powers]
        step_cost = []
        for c in rules.capabilities:
            mult = spec.cost_mult.get(c.pillar, 1.0) * spec.cost_mult.get(c.id, 1.0)
            step_cost.append(c.cost * mult)
        cap_conv = [c.conversion + sum(p.capability_conversion.get(c.id, 0.0) for p in powers)
                    for c in rules.capabilities]

        def prod(values: Iterable[float]) -> float:
            out = 1.0
            for v in values:
                out *= v
            return out

        build_mult = 1.0
        for a in rules.actions:
            if a.kind == "build":
                build_mult = prod(p.action_cost_mult.get(a.id, 1.0) for p in powers)
        locked = 0
        for cap in scenario.locked_capabilities.get(spec.id, ()):
            locked |= 1 << rules.capability_index(cap)
        cost_mult = tuple(prod(p.action_cost_mult.get(a.id, 1.0) for p in powers) for a in rules.actions)
        return cls(
            id=spec.id, index=index, step_cost=tuple(step_cost),
            build_cost=tuple(c * build_mult for c in step_cost), cap_conversion=tuple(cap_conv),
            traffic_factor=spec.traffic_factor * prod(p.traffic_mult for p in powers),
            growth=spec.growth, ad_mult=prod(p.ad_mult for p in powers),
            ux_cost_mult=prod(p.ux_cost_mult for p in powers),
            user_loss_mult=prod(p.user_loss_mult for p in powers),
            conversion_extra=sum(p.conversion for p in powers),
            action_demand_mult=tuple(prod(p.action_demand_mult.get(a.id, 1.0) for p in powers)
                                     for a in rules.actions),
            action_cost_mult=cost_mult,
            action_capital=tuple(a.capital * m for a, m in zip(rules.actions, cost_mult)),
            locked=locked, goal_gmv=spec.goal_gmv, shelf_rate=spec.shelf_rate,
        )


class CompanyState:
    """One company's changing state. ``built`` is a bitmask kept equal to progress >= work."""

    __slots__ = (
        "id", "index", "progress", "built", "users", "traffic", "capital", "ux", "app_launched",
        "app_share", "gmv_total", "gmv_last", "demand", "talent", "data", "used", "loop_closed",
        "links_done", "conversion", "traffic_bonus", "ux_relief", "data_bonus", "traffic_start",
        "ux_lost", "commerce_traffic", "launched_round", "points", "merchants", "waybill_terms",
        "content",
    )

    id: str
    index: int
    progress: list[int]
    built: int
    users: float
    traffic: float
    capital: float
    ux: float
    app_launched: bool
    app_share: float
    gmv_total: float
    gmv_last: float
    demand: float
    talent: int
    data: float
    used: list[int]
    loop_closed: bool
    links_done: int
    conversion: float
    traffic_bonus: float
    ux_relief: float
    data_bonus: float
    traffic_start: float
    ux_lost: float
    commerce_traffic: float
    launched_round: int | None  # None: no app; 0: the app existed before the game
    points: float               # goal points scored so far (victory mode "points")
    merchants: float            # merchants active on the platform, 0..100
    waybill_terms: int          # the provider's e-waybill terms in force: an action index, -1 standard
    content: float              # extra traffic share from its own hosts and content (0..content_max)

    def copy(self) -> CompanyState:
        # Written out attribute by attribute: clones (search players) copy every company, and this
        # is about 4x faster than load(save()); a test holds the field list complete.
        n = CompanyState.__new__(CompanyState)
        n.id = self.id
        n.index = self.index
        n.progress = self.progress[:]
        n.built = self.built
        n.users = self.users
        n.traffic = self.traffic
        n.capital = self.capital
        n.ux = self.ux
        n.app_launched = self.app_launched
        n.app_share = self.app_share
        n.gmv_total = self.gmv_total
        n.gmv_last = self.gmv_last
        n.demand = self.demand
        n.talent = self.talent
        n.data = self.data
        n.used = self.used[:]
        n.loop_closed = self.loop_closed
        n.links_done = self.links_done
        n.conversion = self.conversion
        n.traffic_bonus = self.traffic_bonus
        n.ux_relief = self.ux_relief
        n.data_bonus = self.data_bonus
        n.traffic_start = self.traffic_start
        n.ux_lost = self.ux_lost
        n.commerce_traffic = self.commerce_traffic
        n.launched_round = self.launched_round
        n.points = self.points
        n.merchants = self.merchants
        n.waybill_terms = self.waybill_terms
        n.content = self.content
        return n

    def save(self) -> SavedCompany:
        """Every value, for an undo record: one C-level read of all fields plus the two lists."""
        return tuple.__new__(SavedCompany, (_read_all(self), self.progress[:], self.used[:]))

    def load(self, saved: SavedCompany) -> None:
        """Put back what :meth:`save` took (the record is not used again)."""
        for name, value in zip(_FIELDS, saved.values):
            setattr(self, name, value)
        self.progress = saved.progress
        self.used = saved.used

    def is_built(self, index: int) -> bool:
        return bool(self.built >> index & 1)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {name: getattr(self, name) for name in CompanyState.__slots__}
        d["progress"] = list(self.progress)
        d["used"] = list(self.used)
        return d


_FIELDS = CompanyState.__slots__
_read_all = attrgetter(*_FIELDS)
