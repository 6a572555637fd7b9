"""The capability graph: a networkx DiGraph built once per rules set, plus bitmasks for speed.

Edges point from a prerequisite to what it unlocks (``shop -> own_payment``). A company's node
states live beside the graph as plain data (see :mod:`game.engine.state`); here are the
questions asked of the graph: is a node available, is the loop closed, what is still missing
and what is the cheapest way to get it.

The closed loop: for each consecutive pair of pillars in the scenario's loop
(traffic -> storefront -> ... -> data -> traffic), some graph edge must run from a built
capability of the first pillar to a built capability of the second. Together these links make a
directed cycle through every pillar of the quotient graph of built capabilities.

>>> from game.engine import load_rules
>>> g = load_rules("rules").graph
>>> g.digraph.has_edge("shop", "own_payment")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from .errors import Problem

if TYPE_CHECKING:
    from .rules import Rules


@dataclass(frozen=True, slots=True)
class LoopLink:
    """One link of the loop (pillar -> next pillar) and the graph edges that can make it."""

    source: str
    target: str
    edges: tuple[tuple[int, int], ...]
    masks: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """State of one loop link for one company."""

    source: str
    target: str
    done: bool
    via: tuple[str, str] | None
    plan: tuple[str, ...]
    cost: float
    steps: int


@dataclass(frozen=True, slots=True)
class LoopStatus:
    """Where a company stands on its closed loop; ``missing`` lists the links still to make."""

    closed: bool
    links: tuple[LinkStatus, ...]

    @property
    def done(self) -> int:
        return sum(1 for link in self.links if link.done)

    @property
    def missing(self) -> tuple[LinkStatus, ...]:
        return tuple(link for link in self.links if not link.done)

    @property
    def plan(self) -> tuple[str, ...]:
        """Capabilities to build, in a buildable order, to close every missing link cheaply."""
        seen: dict[str, None] = {}
        for link in self.missing:
            for cap in link.plan:
                seen.setdefault(cap)
        return tuple(seen)


class CapabilityGraph:
    """The rules' capabilities as a DiGraph with precomputed prerequisite masks."""

    def __init__(self, rules: Rules):
        caps = rules.capabilities
        self.ids: tuple[str, ...] = tuple(c.id for c in caps)
        self.index = {c.id: c.index for c in caps}
        self.pillar_of: tuple[str, ...] = tuple(c.pillar for c in caps)
        g: nx.DiGraph[str] = nx.DiGraph()
        for c in caps:
            g.add_node(c.id, pillar=c.pillar, cost=c.cost, work=c.work, index=c.index)
        for c in caps:
            for req in c.requires:
                g.add_edge(req, c.id, kind="all")
            for req in c.requires_any:
                g.add_edge(req, c.id, kind="any")
        self.digraph = g
        self.all_mask: tuple[int, ...] = tuple(
            _mask(self.index[r] for r in c.requires) for c in caps)
        self.any_mask: tuple[int, ...] = tuple(
            _mask(self.index[r] for r in c.requires_any) for c in caps)
        self.pillar_mask = {p: _mask(c.index for c in caps if c.pillar == p) for p in rules.pillars}
        self._loop_links: dict[tuple[str, ...], tuple[LoopLink, ...]] = {}

    def is_available(self, built: int, k: int) -> bool:
        """Whether capability ``k``'s prerequisites are all met by the ``built`` bitmask."""
        am = self.all_mask[k]
        if built & am != am:
            return False
        anym = self.any_mask[k]
        return anym == 0 or built & anym != 0

    def loop_links(self, loop: tuple[str, ...]) -> tuple[LoopLink, ...]:
        """The loop's links (pillar -> next pillar, cyclic) with the edges that realise each."""
        cached = self._loop_links.get(loop)
        if cached is not None:
            return cached
        links = []
        for i, src in enumerate(loop):
            dst = loop[(i + 1) % len(loop)]
            edges = tuple(
                (self.index[u], self.index[v]) for u, v in self.digraph.edges
                if self.digraph.nodes[u]["pillar"] == src and self.digraph.nodes[v]["pillar"] == dst)
            links.append(LoopLink(src, dst, edges, tuple((1 << u) | (1 << v) for u, v in edges)))
        self._loop_links[loop] = tuple(links)
        return self._loop_links[loop]

    def links_done(self, loop: tuple[str, ...], built: int) -> int:
        """How many of the loop's links the ``built`` bitmask makes."""
        n = 0
        for link in self.loop_links(loop):
            for m in link.masks:
                if built & m == m:
                    n += 1
                    break
        return n

    def loop_closed(self, loop: tuple[str, ...], built: int) -> bool:
        for link in self.loop_links(loop):
            for m in link.masks:
                if built & m == m:
                    break
            else:
                return False
        return True

    def plan_for(self, k: int, built: int, step_cost: Sequence[float], progress: Sequence[int],
                 work: Sequence[int], locked: int = 0) -> tuple[int, float] | None:
        """Cheapest set of unbuilt capabilities (bitmask, capital) that makes ``k`` built.

        ``step_cost`` is the company's capital per build step; a locked capability cannot be
        part of a plan. Returns None when ``k`` cannot be reached.
        """
        memo: dict[int, tuple[int, float] | None] = {}

        def need(i: int) -> tuple[int, float] | None:
            if built >> i & 1:
                return 0, 0.0
            if locked >> i & 1:
                return None
            if i in memo:
                return memo[i]
            memo[i] = None  # guards against cycles (validated away, but be safe)
            mask = 1 << i
            for j in bits(self.all_mask[i]):
                sub = need(j)
                if sub is None:
                    return None
                mask |= sub[0]
            anym = self.any_mask[i]
            if anym and not built & anym:
                best = None
                for j in bits(anym):
                    sub = need(j)
                    if sub is not None and (best is None or _cost(sub[0]) < _cost(best[0])):
                        best = sub
                if best is None:
                    return None
                mask |= best[0]
            memo[i] = (mask, _cost(mask))
            return memo[i]

        def _cost(mask: int) -> float:
            return sum(step_cost[j] * (work[j] - progress[j]) for j in bits(mask))

        return need(k)

    def loop_status(self, loop: tuple[str, ...], built: int, step_cost: Sequence[float],
                    progress: Sequence[int], work: Sequence[int], locked: int = 0) -> LoopStatus:
        """Every link of the loop: done or not, and the cheapest plan to make each missing one."""
        out = []
        for link in self.loop_links(loop):
            done_edge = next(((u, v) for (u, v), m in zip(link.edges, link.masks)
                              if built & m == m), None)
            if done_edge:
                out.append(LinkStatus(link.source, link.target, True,
                                      (self.ids[done_edge[0]], self.ids[done_edge[1]]), (), 0.0, 0))
                continue
            best = None
            for u, v in link.edges:
                pu = self.plan_for(u, built, step_cost, progress, work, locked)
                pv = self.plan_for(v, built, step_cost, progress, work, locked)
                if pu is None or pv is None:
                    continue
                mask = pu[0] | pv[0]
                cost = sum(step_cost[j] * (work[j] - progress[j]) for j in bits(mask))
                if best is None or cost < best[1]:
                    best = ((u, v), cost, mask)
            if best is None:
                out.append(LinkStatus(link.source, link.target, False, None, (), float("inf"), 0))
                continue
            (u, v), cost, mask = best
            order = [n for n in self.topological_order if mask >> n & 1]
            steps = sum(work[j] - progress[j] for j in order)
            out.append(LinkStatus(link.source, link.target, False, (self.ids[u], self.ids[v]),
                                  tuple(self.ids[j] for j in order), cost, steps))
        links = tuple(out)
        return LoopStatus(all(link.done for link in links), links)

    @property
    def topological_order(self) -> tuple[int, ...]:
        order = getattr(self, "_topo", None)
        if order is None:
            order = tuple(self.index[n] for n in nx.lexicographical_topological_sort(
                self.digraph, key=lambda n: self.index[n]))
            self._topo = order
        return order

    def consistent(self, built: int) -> bool:
        """Every built capability has its prerequisites built."""
        return all(self.is_available(built, k) for k in bits(built))


def _mask(indices: Iterable[int]) -> int:
    m = 0
    for i in indices:
        m |= 1 << i
    return m


def bits(mask: int) -> Iterator[int]:
    i = 0
    while mask:
        if mask & 1:
            yield i
        mask >>= 1
        i += 1


def graph_for(rules: Rules) -> CapabilityGraph:
    """The graph of a rules set, built on first use, kept on the rules object and shared by
    every game of it (it goes when the rules go)."""
    g = rules.__dict__.get("_graph")
    if g is None:
        g = CapabilityGraph(rules)
        object.__setattr__(rules, "_graph", g)  # a cache on a frozen dataclass
    return g


def check_graph(rules: Rules) -> list[Problem]:
    """Problems only visible on the whole graph: cycles, impossible loops, bad starting states."""
    problems: list[Problem] = []
    g = CapabilityGraph(rules)
    try:
        cycle = nx.find_cycle(g.digraph)
        path = " -> ".join(u for u, _ in cycle) + f" -> {cycle[0][0]}"
        problems.append(Problem("capabilities.toml", "capabilities",
                                f"prerequisites form a cycle: {path}"))
        return problems
    except nx.NetworkXNoCycle:
        pass
    for sid, scen in rules.scenarios.items():
        f = f"scenarios/{sid}.toml"
        for link in g.loop_links(scen.loop):
            if not link.edges:
                problems.append(Problem(f, "scenario.loop", (
                    f"no capability of pillar '{link.target}' requires one of pillar "
                    f"'{link.source}', so the loop can never close")))
        for cid, spec in scen.company_specs.items():
            built = _mask(g.index[b] for b in spec.built if b in g.index)
            for b in spec.built:
                k = g.index[b]
                if not g.is_available(built, k):
                    missing = [r for r in rules.capabilities[k].requires if not built >> g.index[r] & 1]
                    miss = ", ".join(missing) or " or ".join(rules.capabilities[k].requires_any)
                    where = "companies.toml" if spec is rules.companies.get(cid) else f
                    problems.append(Problem(where, f"companies.{cid}.built",
                                            f"'{b}' is built but its prerequisite {miss} is not"))
    return problems
