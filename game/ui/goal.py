"""The goal and the distance to it, and the cheapest path that leads to the app.

``goal_line`` is the status header's line for the company to move: its goal points, its rank
and the gap to the leader (or its lead), and what it can still score (loop links missing,
the app not launched, quarters left). ``app_path`` is the board's highlighted plan: the
cheapest plan to close the loop, then what launching the app requires while the app is not
launched, planned with the capability graph the way the computer players plan it
(game/players/plan.py), so a student who follows the outline is not stopped at a locked
Launch app.
"""

from __future__ import annotations

from game.engine import format_money

from .i18n import UiTexts


def _num(value: float) -> str:
    return f"{value:.1f}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … (English ranks)."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def app_path(state, company_id: str) -> tuple[str, ...]:
    """Capabilities to build, in order: the cheapest plan to close the loop, then, while the
    company's app is not launched, the cheapest plan for each requirement of launching it.
    Unreachable requirements (locked) are left out; a disabled launch adds nothing."""
    rules, graph = state.rules, state.graph
    cs, prof = state.company(company_id), state.profile(company_id)
    plan = list(state.loop_status(company_id).plan)
    if cs.app_launched:
        return tuple(plan)
    work = [c.work for c in rules.capabilities]
    disabled = state.scenario.disabled_actions
    for spec in rules.actions:
        if spec.kind != "launch_app" or spec.id in disabled:
            continue
        for cap in spec.requires:
            found = graph.plan_for(rules.capability_index(cap), cs.built, prof.step_cost,
                                   cs.progress, work, prof.locked)
            if found is None:
                continue
            for j in graph.topological_order:
                cid = rules.capabilities[j].id
                if found[0] >> j & 1 and cid not in plan:
                    plan.append(cid)
    return tuple(plan)


def app_possible(state) -> bool:
    """The scenario has a launch-app action."""
    disabled = state.scenario.disabled_actions
    return any(a.kind == "launch_app" and a.id not in disabled for a in state.rules.actions)


def goal_line(rules, ui: UiTexts, state, lang: str, company_id: str | None = None) -> tuple[str, str]:
    """The goal line of ``company_id`` (default: the company to move) as (full, compact):
    the compact form says what is still open to score in fewer words (no points, no target)."""
    t = lambda _key, **kw: ui.t(f"goal.{_key}", lang, **kw)  # noqa: E731
    scen = state.scenario
    cid = company_id or state.current_company
    cs = state.company(cid)
    name = lambda c: rules.companies[c].name.get(lang)  # noqa: E731
    sep = "，" if lang == "zh" else ", "
    rank_of = lambda r: str(r) if lang == "zh" else ordinal(r)  # noqa: E731

    if scen.victory_points:
        order = sorted(state.companies, key=lambda c: (-c.points, -c.gmv_total))
        rank = next(i for i, c in enumerate(order) if c.id == cid) + 1
        head = t("points", company=name(cid), points=_num(cs.points))
        if len(order) < 2:
            standing = t("first_alone")
        elif rank == 1:
            second = order[1]
            gap = cs.points - second.points
            standing = t("first", other=name(second.id), gap=_num(gap)) if gap >= 0.05 else \
                t("tied", rank=rank_of(1), other=name(second.id))
        elif order[0].points - cs.points < 0.05:
            standing = t("tied", rank=rank_of(rank), other=name(order[0].id))
        else:
            leader = order[0]
            standing = t("behind", rank=rank_of(rank), leader=name(leader.id),
                         gap=_num(leader.points - cs.points))
    else:
        order = sorted(state.companies, key=lambda c: -c.gmv_total)
        rank = next(i for i, c in enumerate(order) if c.id == cid) + 1
        head = t("gmv", company=name(cid), gmv=format_money(rules, cs.gmv_total, lang))
        standing = t("gmv_rank", rank=rank_of(rank))
    ranked = f"{head} · {standing}"
    short = lambda _key, **kw: ui.t(f"goal_short.{_key}", lang, **kw)  # noqa: E731

    still: list[str] = []
    brief: list[str] = []
    if scen.target_quarter_gmv and not scen.victory_points:
        still.append(t("target", target=format_money(rules, scen.target_quarter_gmv, lang)))
    status = state.loop_status(cid)
    if not status.closed:
        n = len(status.missing)
        brief.append(short("loop", n=n))
        if scen.victory_points and scen.loop_points:
            still.append(t("loop_open", n=n, points=f"{scen.loop_points:g}"))
        else:
            still.append(t("loop_open_plain", n=n))
    if not cs.app_launched and scen.victory_points and scen.app_points and app_possible(state):
        still.append(t("app_open", points=f"{scen.app_points:g}"))
        brief.append(short("app"))
    left = scen.rounds - state.round + 1
    still.append(t("quarters_left", n=left) if left > 1 else t("last_quarter"))
    brief.append(short("quarters", n=left))
    return f"{ranked} · {sep.join(still)}", f"{ranked} · {sep.join(brief)}"
