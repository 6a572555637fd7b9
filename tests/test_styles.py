"""The search players' own styles (rules/ai_styles.toml, game/players/styles.py) and the tool
that finds them (tools/tune_style.py)."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from game.engine import load_rules, new_game
from game.players import make_player
from game.players.heuristic import HeuristicStyle
from game.players.search import SearchConfig, SearchPlayer
from game.players.heuristic import HeuristicPlayer
from game.players.styles import StyleFileError, heuristic_habits, own_style, parse_styles, styles


def test_the_shipped_file_gives_every_company_of_the_default_game_its_own_style():
    rules = load_rules()
    for company in rules.scenario("default").companies:
        assert ("default", company) in styles().own
        assert own_style("default", company) != HeuristicStyle()
        assert own_style("default", company).habits is False      # a complete style
    # Tencent's: the plan's order rather than the quickest conversion first
    assert own_style("default", "tencent").quick_wins is False
    # ByteDance's: sells before it launches the app; the heuristic's default does not
    assert own_style("default", "bytedance").launch_sold is True
    assert HeuristicStyle().launch_sold is False
    # a scenario without its own styles plays the heuristic's default
    assert own_style("class_period", "tencent") == HeuristicStyle()


def test_the_heuristic_plays_tencent_with_its_habit_and_the_others_without():
    assert heuristic_habits()["tencent"] == {"quick_wins": False}
    for player in (HeuristicPlayer(4), HeuristicPlayer(0, HeuristicStyle())):
        assert player.style_for("tencent").quick_wins is False
        assert player.style_for("bytedance").quick_wins is True
        assert player.style_for("tencent").ux_floor == player.style.ux_floor   # the rest is kept
    # a complete style (habits off) is played as it is
    assert HeuristicPlayer(0, HeuristicStyle(habits=False)).style_for("tencent").quick_wins is True


def test_the_habit_changes_how_the_heuristic_plays_tencent():
    rules = load_rules()
    state = new_game(rules, "default", 8)
    with_habit, without = HeuristicPlayer(0, HeuristicStyle()), HeuristicPlayer(0, HeuristicStyle(habits=False))
    differ = 0
    while not state.terminal:
        action = with_habit.choose(state)
        if state.current_company == "tencent":
            differ += action != without.choose(state)
        state.apply_action(action)
    assert differ > 0


def test_a_table_sets_only_the_fields_it_names():
    parsed = parse_styles({"heuristic": {"alibaba": {"builds": 1}},
                           "search": {"default": {"alibaba": {"builds": 1, "live_floor": 50}}}}, "x.toml")
    assert parsed.habits["alibaba"] == {"builds": 1}
    own = parsed.own[("default", "alibaba")]
    assert own == replace(HeuristicStyle(habits=False), builds=1, live_floor=50.0)
    assert isinstance(own.live_floor, float)


@pytest.mark.parametrize("data, said", [
    ({"search": {"default": {"alibaba": {"bulids": 1}}}}, "search.default.alibaba.bulids: unknown style field"),
    ({"heuristic": {"tencent": {"habits": False}}}, "heuristic.tencent.habits: unknown style field"),
    ({"search": {"default": {"alibaba": {"builds": 1.5}}}}, "search.default.alibaba.builds: must be a whole number"),
    ({"heuristic": {"alibaba": {"quick_wins": 0}}}, "heuristic.alibaba.quick_wins: must be true or false"),
    ({"search": {"default": {"alibaba": {"ux_floor": "high"}}}}, "search.default.alibaba.ux_floor: must be a number"),
    ({"search": {"default": {"alibaba": 3}}}, "[search.default.alibaba] must be a table"),
    ({"search": {"default": 3}}, "[search.default] must be a table"),
    ({"default": {}}, "[default]: unknown table"),
])
def test_a_broken_table_is_an_error_naming_the_file_and_the_key(data, said):
    with pytest.raises(StyleFileError) as err:
        parse_styles(data, "rules/ai_styles.toml")
    assert "rules/ai_styles.toml" in str(err.value)
    assert said in str(err.value)


def test_normal_and_hard_play_their_own_company_in_its_tuned_style_and_easy_does_not():
    state = new_game(load_rules(), "default", 5)
    while state.current_company != "tencent":
        state.apply_action(make_player("heuristic", 1).choose(state))
    for level in ("normal", "hard"):
        assert make_player(level, 1).own_policy(state).style == own_style("default", "tencent")
    assert make_player("easy", 1).own_policy(state).style == HeuristicStyle()


def test_the_own_style_changes_the_search_players_moves():
    # The same seed and budget with and without the tuned style: if the style were not used in
    # the rollouts and the prior, every decision would come out the same.
    rules = load_rules()
    tuned = SearchPlayer(3, SearchConfig(iterations=6))
    plain = SearchPlayer(3, SearchConfig(iterations=6, own_style=False))
    differ = 0
    for seed in (11, 12):
        state = new_game(rules, "default", seed)
        rivals = make_player("heuristic", seed)
        while state.round <= 8 and not state.terminal:
            if state.current_company == "bytedance":
                a, b = tuned.choose(state), plain.choose(state)
                differ += a != b
                state.apply_action(a)
            else:
                state.apply_action(rivals.choose(state))
    assert differ > 0


# ------------------------------------------------------------------------ tools/tune_style.py


@pytest.fixture(scope="module")
def tune(tool):
    return tool("tune_style")


def test_the_tool_prints_a_table_the_styles_file_accepts(tune, capsys):
    assert tune.main(["--company", "tencent", "--games", "3", "--random", "2", "--local", "1",
                      "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "default style:" in out and "fresh games" in out
    table = out[out.index("[search.default.tencent]"):]
    printed = tomllib.loads(table)
    assert ("default", "tencent") in parse_styles(printed, "printed").own


@pytest.mark.parametrize("args, said", [
    (["--company", "jd"], "unknown company 'jd'"),
    (["--company", "tencent", "--scenario", "nope"], "unknown scenario 'nope'"),
    (["--company", "tencent", "--rules", "/no/such/folder"], "not a rules folder"),
])
def test_a_mistyped_option_is_a_usage_error(tune, capsys, args, said):
    with pytest.raises(SystemExit) as exit_:
        tune.main(args)
    assert exit_.value.code == 2
    assert said in capsys.readouterr().err


# ------------------------------------------------------------------------ a rules folder's own styles


def _copy_with_styles(tmp_path, text: str):
    from game.testing import copy_rules
    folder = copy_rules(tmp_path / "rules")
    (folder / "ai_styles.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_rules_copy_plays_with_its_own_styles_file(tmp_path):
    """--rules DIR is the whole game: the heuristic takes its habits, and the search players
    their own styles, from DIR/ai_styles.toml, not from the game's own rules folder."""
    folder = _copy_with_styles(tmp_path, "[heuristic.alibaba]\nbuilds = 1\n"
                                         "[search.default.tencent]\nlive_floor = 50\n")
    rules = load_rules(folder)
    player = HeuristicPlayer(0, HeuristicStyle())
    assert player.style_for("tencent", rules.source_dir).quick_wins is True   # no Tencent habit there
    assert player.style_for("alibaba", rules.source_dir).builds == 1
    assert player.style_for("tencent").quick_wins is False                    # the game's own file
    assert own_style("default", "tencent", rules.source_dir) == replace(HeuristicStyle(habits=False),
                                                                         live_floor=50.0)
    state = new_game(rules, "default", 5)
    while state.current_company != "tencent":
        state.apply_action(make_player("heuristic", 1).choose(state))
    assert make_player("hard", 1).own_policy(state).style.live_floor == 50.0
    # and a game on the copy is played with the copy's habits
    copy_game, own_game = new_game(rules, "default", 8), new_game(load_rules(), "default", 8)
    for state in (copy_game, own_game):
        players = [make_player("heuristic", i) for i in range(3)]
        while not state.terminal:
            state.apply_action(players[state.current].choose(state))
    assert [str(a) for a in copy_game.history] != [str(a) for a in own_game.history]


def test_simulate_checks_the_styles_file_before_playing(tmp_path, capsys):
    from game.cli import main
    folder = _copy_with_styles(tmp_path, "[search.default.alibaba]\nbulids = 1\n")
    assert main(["simulate", "--games", "2", "--rules", str(folder), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "ai_styles.toml" in err and "search.default.alibaba.bulids: unknown style field" in err
    assert "Traceback" not in err


def test_the_tool_refuses_a_broken_styles_file(tune, capsys, tmp_path):
    folder = _copy_with_styles(tmp_path, "[heuristic.tencent\n")
    with pytest.raises(SystemExit) as exit_:
        tune.main(["--company", "tencent", "--rules", str(folder)])
    assert exit_.value.code == 2
    assert "ai_styles.toml: not valid TOML" in capsys.readouterr().err
