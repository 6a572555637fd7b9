"""The capability graph: a networkx DiGraph built from the rules data, per-company node states,
requires_any, closed-loop detection and the cheapest plan to close it."""

import itertools

import networkx as nx
import numpy as np
import pytest

from game.engine.graph import bits
from game.testing import set_company, start, step_cost


def closure(rules, caps):
    """Bitmask of ``caps`` plus all their prerequisites (first option of a requires_any)."""
    idx = rules.capability_index
    mask, todo = 0, list(caps)
    while todo:
        c = rules.capability(todo.pop())
        if mask >> c.index & 1:
            continue
        mask |= 1 << c.index
        todo += list(c.requires)
        if c.requires_any and not any(mask >> idx(r) & 1 for r in c.requires_any):
            todo.append(c.requires_any[0])
    return mask


def test_digraph_is_built_from_the_data(rules):
    g = rules.graph.digraph
    assert isinstance(g, nx.DiGraph)
    assert set(g.nodes) == {c.id for c in rules.capabilities}
    expected = {(r, c.id) for c in rules.capabilities for r in c.requires + c.requires_any}
    assert set(g.edges) == expected
    for c in rules.capabilities:
        assert g.nodes[c.id]["pillar"] == c.pillar
    assert nx.is_directed_acyclic_graph(g)


def test_node_states(rules):
    state = start("default", seed=0)
    cid = state.current_company
    cs = state.company(cid)
    for c in rules.capabilities:
        ns = state.node_state(cid, c.id)
        if cs.is_built(c.index):
            assert ns == "built"
        elif state.graph.is_available(cs.built, c.index):
            assert ns == "available"
        else:
            assert ns == "locked"
    # A multi-step capability goes available -> in_progress -> built.
    multi = next(c for c in rules.capabilities if c.work >= 2)
    set_company(state, cid, built_exactly=[], capital=1000.0)
    set_company(state, cid, built=list(multi.requires) + list(multi.requires_any[:1]))
    assert state.node_state(cid, multi.id) == "available"
    set_company(state, cid, progress={multi.id: 1})
    assert state.node_state(cid, multi.id) == "in_progress"
    set_company(state, cid, progress={multi.id: multi.work})
    assert state.node_state(cid, multi.id) == "built"


def test_requires_any(rules):
    g = rules.graph
    cap = next((c for c in rules.capabilities if c.requires_any), None)
    if cap is None:
        pytest.skip("no capability with requires_any")
    base = closure(rules, cap.requires)
    base &= ~sum(1 << rules.capability_index(r) for r in cap.requires_any)
    if g.consistent(base):
        assert not g.is_available(base, cap.index)
    for option in cap.requires_any:
        mask = closure(rules, list(cap.requires) + [option])
        assert g.is_available(mask, cap.index), option


def links_made(rules, loop, built):
    """Independent check: for each loop link, a digraph edge between built nodes of the pillars."""
    g = rules.graph.digraph
    ids = rules.graph.ids
    done = []
    for i, src in enumerate(loop):
        dst = loop[(i + 1) % len(loop)]
        done.append(any(built >> rules.capability_index(u) & 1 and built >> rules.capability_index(v) & 1
                        for u, v in g.edges
                        if g.nodes[u]["pillar"] == src and g.nodes[v]["pillar"] == dst))
    assert len(ids) == len(rules.capabilities)
    return done


def test_loop_closed_exactly_when_every_link_is_made(rules):
    g = rules.graph
    rng = np.random.default_rng(0)
    caps = [c.id for c in rules.capabilities]
    for sid, scen in rules.scenarios.items():
        seen = set()
        for _ in range(300):
            pick = [c for c in caps if rng.random() < rng.random()]
            built = closure(rules, pick)
            made = links_made(rules, scen.loop, built)
            assert g.loop_closed(scen.loop, built) == all(made), (sid, pick)
            assert g.links_done(scen.loop, built) == sum(made)
            seen.add(all(made))
        assert seen == {True, False}, sid


def test_loop_closed_matches_company_state(rules):
    for sid, scen in rules.scenarios.items():
        state = start(sid, seed=0)
        for cs in state.companies:
            assert cs.loop_closed == all(links_made(rules, scen.loop, cs.built))
            status = state.loop_status(cs.id)
            assert status.closed == cs.loop_closed
            assert status.done == cs.links_done


@pytest.mark.parametrize("sid", ["default", "cainiao_monopoly", "channels_early"])
def test_loop_plan_is_buildable_in_order_and_costs_the_sum_of_steps(rules, sid):
    if sid not in rules.scenarios:
        pytest.skip(f"no scenario {sid}")
    state = start(sid, seed=0)
    g = state.graph
    for cs in state.companies:
        status = state.loop_status(cs.id)
        if status.closed:
            assert not status.missing and not status.plan
            continue
        prof = state.profile(cs.id)
        for link in status.missing:
            if link.plan == ():
                assert link.cost == float("inf")
                continue
            expected = sum(prof.step_cost[rules.capability_index(c)]
                           * (rules.capability(c).work - cs.progress[rules.capability_index(c)])
                           for c in link.plan)
            assert link.cost == pytest.approx(expected)
            assert link.steps == sum(rules.capability(c).work - cs.progress[rules.capability_index(c)]
                                     for c in link.plan)
            assert set(link.via) <= set(link.plan) | {g.ids[k] for k in bits(cs.built)}
        built = cs.built
        for c in status.plan:
            k = rules.capability_index(c)
            assert not built >> k & 1, f"{c} is already built"
            assert not prof.locked >> k & 1, f"{c} is locked by the scenario"
            assert g.is_available(built, k), f"{c} is not buildable at its place in the plan"
            built |= 1 << k
        if all(link.plan for link in status.missing):
            assert g.loop_closed(state.loop, built), f"{cs.id}: the plan does not close the loop"


def test_plan_counts_partial_progress(rules):
    state = start("default", seed=0)
    for cs in state.companies:
        status = state.loop_status(cs.id)
        link = next((link for link in status.missing if link.plan), None)
        if link is None:
            continue
        cap = next((c for c in link.plan if state.node_state(cs.id, c) == "available"
                    and rules.capability(c).work >= 2), None)
        if cap is None:
            continue
        set_company(state, cs.id, progress={cap: 1})
        after = next(link2 for link2 in state.loop_status(cs.id).links
                     if (link2.source, link2.target) == (link.source, link.target))
        assert after.cost <= link.cost - step_cost(state, cs.id, cap) + 1e-9
        return
    pytest.skip("no available multi-step capability on a plan")


def test_locked_capabilities_are_never_planned_nor_buildable(tmp_path):
    """A scenario may lock capabilities for a company (none of the shipped ones does now):
    a copy of the rules with one that does."""
    import shutil

    from game.engine import load_rules

    folder = tmp_path / "rules"
    shutil.copytree("rules", folder)
    (folder / "scenarios" / "locked.toml").write_text(
        'extends = "default"\n[scenario]\norder = 90\n'
        'locked_capabilities = { bytedance = ["own_ewaybill"], tencent = ["own_ewaybill", "installments"] }\n'
        'name = { zh = "锁定测试", en = "Lock test" }\ntext = { zh = "测试。", en = "A test." }\n', encoding="utf-8")
    rules = load_rules(folder)
    scen = rules.scenario("locked")
    state = start(scen.id, seed=0, rules=rules)
    checked = 0
    for cid, caps in scen.locked_capabilities.items():
        for cap in caps:
            set_company(state, cid, capital=1000.0)
            prereqs = [r for r in rules.capability(cap).requires]
            set_company(state, cid, built=prereqs)
            assert state.node_state(cid, cap) == "locked"
            assert cap not in state.loop_status(cid).plan
            if state.current_company == cid:
                assert state.why_illegal(f"build:{cap}").code == "locked_by_scenario"
            checked += 1
    assert checked == 3


def test_every_loop_link_is_realisable_in_every_scenario(rules):
    """Validation guarantees it; the graph agrees (each link has at least one edge)."""
    for scen in rules.scenarios.values():
        for link in rules.graph.loop_links(scen.loop):
            assert link.edges, (scen.id, link.source, link.target)
