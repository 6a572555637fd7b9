"""The computer players' build plans, memoised per built set.

A player asks at nearly every decision where its company stands on the loop
(``state.loop_status``) and what it still has to build; computed from scratch that was about
half of the heuristic's self-play time. Both answers are functions of a few inputs only, so a
:class:`PlanMemo` keeps them under exactly those inputs:

- the rules (graph, work per capability, the launch action's requirements): the memo empties
  itself when a state of other rules comes in;
- the company's fixed costs and locks (``profile.build_cost``, ``profile.step_cost``,
  ``profile.locked``) and the scenario's loop;
- what it has built (``built``), its build progress, and for the build plan whether its app is
  launched.

Nothing else (capital, users, round, events) enters either answer, so a memoised answer is the
one a fresh computation would give: :func:`fresh_build_plan` is that computation, and the tests
hold the two equal over random states.
"""

from __future__ import annotations

from collections.abc import Hashable

from game.engine import GameState, LoopStatus

#: Entries a memo keeps before it starts again (3,000 default heuristic games meet
#: about 90 keys).
MEMO_LIMIT = 20_000


def fresh_build_plan(state: GameState, company: str, status: LoopStatus | None = None) -> tuple[str, ...]:
    """Capabilities to build, in order: the cheapest plan to close the loop, then what launching
    the app requires (while the app is not launched), each cheapest-first. Unbuildable
    requirements are left out. ``status``: the company's loop status, if already known."""
    rules, graph = state.rules, state.graph
    cs, prof = state.company(company), state.profile(company)
    plan = list((status or state.loop_status(company)).plan)
    if not cs.app_launched:
        work = [c.work for c in rules.capabilities]
        for spec in rules.actions:
            if spec.kind != "launch_app":
                continue
            for cap in spec.requires:
                found = graph.plan_for(rules.capability_index(cap), cs.built, prof.step_cost,
                                       cs.progress, work, prof.locked)
                if found is not None:
                    plan += [rules.capabilities[j].id for j in graph.topological_order
                             if found[0] >> j & 1]
    return tuple(plan)


class PlanMemo:
    """``loop_status`` and the build plan of any company of any game, memoised by what they
    depend on (see the module's docstring). One memo may serve many games and players."""

    def __init__(self, limit: int = MEMO_LIMIT):
        self.limit = limit
        self._rules: object = None
        self._contexts: dict[Hashable, int] = {}       # fixed inputs -> a small number
        self._profiles: dict[str, tuple[object, int]] = {}   # company -> (its profile, context)
        self._status: dict[Hashable, LoopStatus] = {}
        self._plans: dict[Hashable, tuple[str, ...]] = {}

    def clear(self) -> None:
        self._rules = None
        self._contexts.clear()
        self._profiles.clear()
        self._status.clear()
        self._plans.clear()

    def _key(self, state: GameState, company: str) -> tuple[int, int, tuple[int, ...]]:
        if state.rules is not self._rules:
            self.clear()
            self._rules = state.rules
        prof = state.profile(company)
        seen = self._profiles.get(company)
        if seen is not None and seen[0] is prof:
            context = seen[1]
        else:
            # A profile not met before (another game): number its fixed inputs by value. The
            # profile is kept, so its identity cannot be taken by another object meanwhile.
            fixed = (state.scenario.loop, prof.build_cost, prof.step_cost, prof.locked)
            context = self._contexts.setdefault(fixed, len(self._contexts))
            self._profiles[company] = (prof, context)
        cs = state.company(company)
        return (context, cs.built, tuple(cs.progress))

    def loop_status(self, state: GameState, company: str) -> LoopStatus:
        """``state.loop_status(company)``, memoised."""
        key = self._key(state, company)
        found = self._status.get(key)
        if found is None:
            if len(self._status) >= self.limit:
                self._status.clear()
            found = self._status[key] = state.loop_status(company)
        return found

    def build_plan(self, state: GameState, company: str) -> tuple[str, ...]:
        """:func:`fresh_build_plan`, memoised."""
        key = (*self._key(state, company), state.company(company).app_launched)
        found = self._plans.get(key)
        if found is None:
            if len(self._plans) >= self.limit:
                self._plans.clear()
            found = self._plans[key] = fresh_build_plan(
                state, company, self.loop_status(state, company))
        return found


#: The memo players use unless given their own: answers depend only on their key, so games
#: and players share it, and a batch of games computes each built set's plan once.
SHARED_PLANS = PlanMemo()
