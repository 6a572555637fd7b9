"""Rules as data: the real rules load; every kind of problem is reported with file, key and
reason; several problems are reported at once. Each test edits a copy of rules/ in tmp_path."""

import pytest

from game.engine import RulesError, load_rules
from game.testing import copy_rules

TEXT = 'name = { zh = "测试", en = "Test" }\ntext = { zh = "测试", en = "Test" }\n'


def capability(cid, pillar="storefront", requires=(), cost="1.0", extra="", text=TEXT):
    reqs = ", ".join(f'"{r}"' for r in requires)
    return (f"\n[capabilities.{cid}]\npillar = \"{pillar}\"\nrequires = [{reqs}]\n"
            f"cost = {cost}\nwork = 1\n{extra}{text}")


def append(folder, name, text):
    with open(folder / name, "a", encoding="utf-8") as fh:
        fh.write(text)


def problems_of(folder):
    with pytest.raises(RulesError) as info:
        load_rules(folder)
    return info.value.problems


def find(problems, file, key, reason_part):
    hits = [p for p in problems if p.file == file and p.key == key and reason_part in p.reason]
    assert hits, f"no problem {file}: {key}: ...{reason_part}... in:\n" + "\n".join(map(str, problems))
    return hits[0]


@pytest.fixture
def folder(tmp_path):
    return copy_rules(tmp_path / "rules")


def test_real_rules_load(rules):
    assert rules.capabilities and rules.actions and rules.scenarios
    assert "default" in rules.scenarios
    for sid, scen in rules.scenarios.items():
        assert scen.rounds >= 1 and scen.actions_per_round >= 1, sid
        assert set(scen.companies) <= set(rules.companies), sid


def test_every_problem_names_file_key_and_reason(folder):
    append(folder, "capabilities.toml", capability("x1", requires=["nope"]))
    for p in problems_of(folder):
        assert p.file and p.key and p.reason
        assert str(p) == f"{p.file}: {p.key}: {p.reason}"


def test_broken_prerequisite(folder):
    append(folder, "capabilities.toml", capability("orphan", requires=["no_such_capability"]))
    p = find(problems_of(folder), "capabilities.toml", "capabilities.orphan.requires", "unknown capability")
    assert "no_such_capability" in p.reason


def test_prerequisite_cycle(folder):
    append(folder, "capabilities.toml",
           capability("cyc_a", requires=["cyc_b"]) + capability("cyc_b", requires=["cyc_a"]))
    p = find(problems_of(folder), "capabilities.toml", "capabilities", "cycle")
    assert "cyc_a" in p.reason and "cyc_b" in p.reason


def test_missing_translation(folder):
    text = 'name = { zh = "测试" }\ntext = { zh = "测试", en = "Test" }\n'
    append(folder, "capabilities.toml", capability("half", text=text))
    find(problems_of(folder), "capabilities.toml", "capabilities.half.name.en", "missing translation")


def test_negative_cost(folder):
    append(folder, "capabilities.toml", capability("cheap", cost="-2.0"))
    p = find(problems_of(folder), "capabilities.toml", "capabilities.cheap.cost", "negative")
    assert "-2" in p.reason


def test_unknown_pillar(folder):
    append(folder, "capabilities.toml", capability("lost", pillar="no_such_pillar"))
    find(problems_of(folder), "capabilities.toml", "capabilities.lost.pillar", "unknown pillar")


def test_unknown_fact_tag(folder):
    append(folder, "capabilities.toml",
           capability("cited", extra='source = ["F99", "X1"]\n'))
    problems = problems_of(folder)
    find(problems, "capabilities.toml", "capabilities.cited.source", "'F99'")
    find(problems, "capabilities.toml", "capabilities.cited.source", "not a fact tag")


def test_bad_toml_syntax(folder):
    append(folder, "events.toml", "\n[[[ this is not toml\n")
    p = find(problems_of(folder), "events.toml", "(file)", "not valid TOML")
    assert "line" in p.reason


def test_unknown_key(folder):
    append(folder, "capabilities.toml", capability("typo", extra='colour = "red"\n'))
    find(problems_of(folder), "capabilities.toml", "capabilities.typo.colour", "unknown key")


def test_unknown_event_in_scenario(folder):
    append(folder, "scenarios/default.toml",
           '\n[[scheduled]]\nevent = "no_such_event"\nrounds = [1]\n')
    problems = problems_of(folder)
    hits = [p for p in problems if p.file == "scenarios/default.toml"
            and p.key.startswith("scheduled[") and p.key.endswith(".event")
            and "unknown event 'no_such_event'" in p.reason]
    assert hits, "\n".join(map(str, problems))


def test_scenario_loop_impossible(folder, rules):
    g = rules.graph.digraph
    pillars = list(rules.pillars)
    linked = {(g.nodes[u]["pillar"], g.nodes[v]["pillar"]) for u, v in g.edges}
    pair = next(((a, b) for a in pillars for b in pillars if a != b and (a, b) not in linked), None)
    if pair is None:
        pytest.skip("every pillar pair is linked in these rules")
    a, b = pair
    (folder / "scenarios" / "impossible.toml").write_text(
        f'extends = "default"\n[scenario]\nloop = ["{a}", "{b}"]\n', encoding="utf-8")
    p = find(problems_of(folder), "scenarios/impossible.toml", "scenario.loop", "never close")
    assert a in p.reason and b in p.reason


def test_starting_capability_without_prerequisite(folder, rules):
    cap = next(c for c in rules.capabilities if c.requires)
    cid = rules.scenario("default").companies[0]
    (folder / "scenarios" / "bad_start.toml").write_text(
        f'extends = "default"\n[company_overrides.{cid}]\nbuilt = ["{cap.id}"]\n', encoding="utf-8")
    p = find(problems_of(folder), "scenarios/bad_start.toml", f"companies.{cid}.built", "prerequisite")
    assert cap.id in p.reason


def test_several_problems_reported_at_once(folder):
    text = 'name = { zh = "测试" }\ntext = { zh = "测试", en = "Test" }\n'
    append(folder, "capabilities.toml",
           capability("p1", requires=["no_such_capability"])
           + capability("p2", text=text)
           + capability("p3", cost="-1.0")
           + capability("p4", pillar="no_such_pillar"))
    append(folder, "events.toml",
           '\n[events.bad_event]\neffects = [{ type = "no_such_effect" }]\n' + TEXT)
    problems = problems_of(folder)
    find(problems, "capabilities.toml", "capabilities.p1.requires", "unknown capability")
    find(problems, "capabilities.toml", "capabilities.p2.name.en", "missing translation")
    find(problems, "capabilities.toml", "capabilities.p3.cost", "negative")
    find(problems, "capabilities.toml", "capabilities.p4.pillar", "unknown pillar")
    find(problems, "events.toml", "events.bad_event.effects[0].type", "unknown effect type")
    message = str(RulesError(problems))
    assert f"{len(problems)} problem(s)" in message


def test_missing_file_is_reported(folder):
    (folder / "events.toml").unlink()
    find(problems_of(folder), "events.toml", "(file)", "missing")


def test_not_a_folder(tmp_path):
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path / "nowhere")
    assert info.value.problems[0].key == "(folder)"


def test_adding_a_capability_needs_no_code(folder):
    """A new capability appended to the data is a node of the graph, buildable in play."""
    from game.engine import new_game

    rules0 = load_rules(folder)
    shop = rules0.capability("shop") if rules0.has_capability("shop") else rules0.capabilities[0]
    append(folder, "capabilities.toml", capability("pop_up_store", pillar=shop.pillar, requires=[shop.id]))
    rules = load_rules(folder)
    assert rules.graph.digraph.has_edge(shop.id, "pop_up_store")
    state = new_game(rules, "default", 0)
    cs = state.companies[state.current]
    assert ("build:pop_up_store" in map(str, state.legal_actions())) == (
        bool(cs.built >> rules.capability_index(shop.id) & 1) and cs.capital >= 1.0)


def test_a_capabilitys_short_label_is_optional_and_checked(folder, rules):
    """``short`` (the board's label where the name does not fit) defaults to the name; when
    given it needs both languages and is no longer than the name."""
    append(folder, "capabilities.toml",
           capability("plain") + capability("labelled", extra='short = { zh = "测", en = "T" }\n'))
    rules = load_rules(folder)
    assert rules.capability("plain").short == rules.capability("plain").name
    assert (rules.capability("labelled").short.zh, rules.capability("labelled").short.en) == ("测", "T")
    # the real rules give some capabilities a shorter English label for the board
    assert any(c.short.en != c.name.en for c in rules.capabilities)


def test_a_bad_short_label_is_reported(folder):
    append(folder, "capabilities.toml",
           capability("half", extra='short = { zh = "测" }\n')
           + capability("longer", extra='short = { zh = "测", en = "Far longer than Test" }\n')
           + capability("empty", extra='short = { zh = "", en = "T" }\n'))
    problems = problems_of(folder)
    find(problems, "capabilities.toml", "capabilities.half.short.en", "missing translation")
    find(problems, "capabilities.toml", "capabilities.longer.short.en", "longer than the name")
    find(problems, "capabilities.toml", "capabilities.empty.short.zh", "missing translation")
