"""The archetype tournament: archetypes play legally everywhere, results do not depend on the
number of processes, the JSON has its promised shape, and the meta-game solvers find the
equilibria of games whose answer is known."""

import json

import numpy as np
import pytest

from game.cli import main
from game.engine import new_game
from game.players import ARCHETYPES, PLAYER_KINDS, HeuristicPlayer, make_player
from game.session import Session
from game.sim.invariants import PlayerContract
from game.sim.metagame import (
    alpha_rank, alpha_rank_sweep, fictitious_play, fixation_probability, nash_conv,
    stationary_distribution,
)
from game.sim.tournament import TournamentSpec, run_tournament, wilson_interval

KINDS = [*ARCHETYPES, "heuristic:fixed"]


@pytest.mark.parametrize("kind", KINDS)
def test_archetype_plays_legally_and_finishes_every_scenario(rules, kind):
    """In every seat of every scenario (the archetype in all seats, and alone against the
    heuristic): only legal actions, the state untouched while choosing, the game finishes."""
    for sid, scen in rules.scenarios.items():
        n = len(scen.companies)
        lineups = [[kind] * n] + [["heuristic"] * i + [kind] + ["heuristic"] * (n - i - 1)
                                  for i in range(n)]
        for g, kinds in enumerate(lineups):
            state = new_game(rules, sid, 11 + g)
            seats = {cid: make_player(k, 7919 * (11 + g) + i)
                     for i, (cid, k) in enumerate(zip(state.players, kinds))}
            Session(state, seats, [PlayerContract()]).run_to_end()   # legal, untouched, ends
            assert state.winner is not None, f"{kind} in {sid}"


def test_player_kinds_and_heuristic_variants(rules):
    assert {"random", "heuristic", "heuristic:fixed", *ARCHETYPES} <= set(PLAYER_KINDS)
    assert len(ARCHETYPES) >= 10
    fixed = [make_player("heuristic:fixed", seed) for seed in (1, 2)]
    assert fixed[0].style == fixed[1].style                      # no seed jitter
    assert make_player("heuristic", 1).style != make_player("heuristic", 2).style

    # The tournament's heuristic makes the very decisions of the plain HeuristicPlayer.
    def play(factory):
        state = new_game(rules, "default", 4)
        seats = {cid: factory(4 * 7919 + i) for i, cid in enumerate(state.players)}
        return [str(a) for a in Session(state, seats).run_to_end().history]

    assert play(lambda s: make_player("heuristic", s)) == play(lambda s: HeuristicPlayer(s))


def test_sell_then_launch_is_the_seeds_heuristic_that_sells_before_its_launch(rules):
    """The archetype a class finds by watching ByteDance launch into Double 11: the seed's
    jittered heuristic with launch_sold. ByteDance's heuristic has that habit now, so there it
    plays the heuristic's very games (a twin); as Tencent, whose heuristic launches at once, it
    plays differently."""
    from dataclasses import replace

    from game.players.heuristic import HeuristicStyle
    player = make_player("sell_then_launch", 5)
    assert player.heuristic.style == replace(HeuristicStyle.varied(5), launch_sold=True)

    def play(kind, seat):
        state = new_game(rules, "default", 6)
        seats = {cid: make_player(kind if cid == seat else "heuristic", 6 * 7919 + i)
                 for i, cid in enumerate(state.players)}
        history = Session(state, seats).run_to_end().history
        return [str(a) for a in history]

    assert play("sell_then_launch", "tencent") != play("heuristic", "tencent")
    assert play("sell_then_launch", "bytedance") == play("heuristic", "bytedance")


def _decisions(rules, kind: str, seat: str, seeds=range(8, 12)):
    """Every decision of ``seat`` in default games with ``kind`` there and heuristics elsewhere:
    (state before it, the archetype's action, the seed's heuristic's action there)."""
    for seed in seeds:
        state = new_game(rules, "default", seed)
        seats = {cid: make_player(kind if cid == seat else "heuristic", seed * 7919 + i)
                 for i, cid in enumerate(state.players)}
        plain = make_player("heuristic", seed * 7919 + state.players.index(seat))
        while not state.terminal:
            cid = state.current_company
            a = seats[cid].choose(state)
            if cid == seat and len(state.legal_actions()) > 1:
                yield state.clone(), a, plain.choose(state)
            state.apply_action(a)


def test_waybill_first_builds_toward_its_own_e_waybill_first(rules):
    """At a turn's start with no own e-waybill yet (F07, F35), it builds toward one whenever it
    can; where the heuristic would do something else, it still builds."""
    cap = rules.economy.waybill_capability
    k = rules.capability_index(cap)
    needed = {cap, *rules.capabilities[k].requires}
    checked = differs = 0
    for state, a, plain in _decisions(rules, "waybill_first", "bytedance"):
        cs = state.company("bytedance")
        toward = [b for b in state.legal_actions() if b.id == "build" and b.target in needed
                  and not cs.built >> rules.capability_index(b.target) & 1]
        if state.actions_left == state.scenario.actions_per_round and not cs.built >> k & 1 and toward:
            checked += 1
            assert a.id == "build" and a.target in needed
            differs += plain != a
        elif cs.built >> k & 1:
            assert a == plain, "once it prints its own waybills it is the heuristic"
    assert checked >= 1 and differs >= 1


def test_supply_first_builds_the_supply_chain_first(rules):
    pillar = rules.economy.talent_pillar
    checked = differs = 0
    for state, a, plain in _decisions(rules, "supply_first", "tencent"):
        supply = [b for b in state.legal_actions() if b.id == "build"
                  and rules.capabilities[rules.capability_index(b.target)].pillar == pillar]
        if state.actions_left == state.scenario.actions_per_round and supply:
            checked += 1
            assert a.id == "build" and rules.capabilities[rules.capability_index(a.target)].pillar == pillar
            differs += plain != a
    assert checked >= 1 and differs >= 1


def test_talent_raid_hires_away_whenever_it_can_after_a_sale(rules):
    checked = differs = 0
    for state, a, plain in _decisions(rules, "talent_raid", "tencent"):
        poach = [b for b in state.legal_actions() if rules.action(b.id).kind == "poach"]
        if poach and state.company("tencent").commerce_traffic > 0:
            checked += 1
            assert a in poach
            differs += plain != a
    assert checked >= 2 and differs >= 1


def test_no_app_never_launches_its_app(rules):
    launched = 0
    for _state, a, plain in _decisions(rules, "no_app", "tencent"):
        assert rules.action(a.id).kind not in ("launch_app", "migrate")
        launched += rules.action(plain.id).kind == "launch_app"
    assert launched >= 1, "the heuristic would have launched Tencent's app"


def test_harvest_stops_building_for_conversion_once_loop_and_app_are_done(rules):
    """The seed's heuristic with value_rounds = 0: fewer builds after the loop and the app
    than the heuristic, and more selling in their place."""
    from dataclasses import replace

    from game.players.heuristic import HeuristicStyle
    assert make_player("harvest", 5).heuristic.style == replace(HeuristicStyle.varied(5), value_rounds=0)
    builds = {"harvest": 0, "heuristic": 0}
    for kind in builds:
        for state, a, _ in _decisions(rules, kind, "tencent"):
            cs = state.company("tencent")
            if cs.loop_closed and cs.app_launched and a.id == "build":
                builds[kind] += 1
    assert builds["harvest"] < builds["heuristic"]


def test_wilson_interval_known_values():
    lo, hi = wilson_interval(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    lo, hi = wilson_interval(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)
    lo, hi = wilson_interval(20, 20)
    assert lo == pytest.approx(0.8389, abs=1e-4) and hi == 1.0
    lo, hi = wilson_interval(7, 30)
    assert lo == pytest.approx(0.1179, abs=1e-4) and hi == pytest.approx(0.4092, abs=1e-4)


# ---------------------------------------------------------------------------- solvers

RPS = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)


def test_fixation_probability():
    assert fixation_probability(0.0, 50) == pytest.approx(1 / 50)
    assert fixation_probability(1.0, 50) == pytest.approx((1 - np.exp(-1)) / (1 - np.exp(-50)))
    assert fixation_probability(-1.0, 50) == pytest.approx((1 - np.exp(1)) / (1 - np.exp(50)))
    assert 0 < fixation_probability(-12.0, 50) < 1e-250          # tiny, not zero, no overflow


def test_stationary_distribution_of_a_small_chain():
    p = np.array([[0.5, 0.5, 0.0], [0.25, 0.5, 0.25], [0.0, 0.5, 0.5]])
    pi = stationary_distribution(p)
    assert pi == pytest.approx([0.25, 0.5, 0.25])
    assert pi @ p == pytest.approx(pi)


def test_rock_paper_scissors_gives_the_uniform_mix():
    p0 = (1 + RPS) / 2                  # win probabilities, constant-sum
    game = np.stack([p0, 1 - p0])
    ar = alpha_rank_sweep(game)
    for m in ar.marginals:
        assert m == pytest.approx([1 / 3] * 3, abs=1e-9)
    fp = fictitious_play(game, iterations=5000)
    for x in fp.mixtures:
        assert x == pytest.approx([1 / 3] * 3, abs=0.02)
    assert fp.nash_conv < 0.01
    assert nash_conv(game, [np.ones(3) / 3] * 2) == pytest.approx(0.0, abs=1e-12)


def test_three_seat_rock_paper_scissors_is_uniform_in_every_seat():
    # Seat k's payoff is the RPS payoff against the next seat: a cyclic game, symmetric.
    a = 3
    game = np.zeros((3, a, a, a))
    for idx in np.ndindex(a, a, a):
        for k in range(3):
            game[(k, *idx)] = (1 + RPS[idx[k], idx[(k + 1) % 3]]) / 2
    ar = alpha_rank(game, alpha=5.0)
    for m in ar.marginals:
        assert m == pytest.approx([1 / 3] * 3, abs=1e-9)
    assert nash_conv(game, [np.ones(a) / a] * 3) == pytest.approx(0.0, abs=1e-12)


def test_a_dominant_strategy_takes_the_equilibrium():
    rng = np.random.default_rng(3)
    game = rng.uniform(0.0, 0.3, size=(3, 4, 4, 4))
    best = (2, 0, 3)
    for k, b in enumerate(best):
        index = [slice(None)] * 3
        index[k] = b
        game[(k, *index)] += 0.5                # strategy b beats every other by 0.2+, anywhere
    ar = alpha_rank_sweep(game)
    for k, b in enumerate(best):
        assert ar.marginals[k][b] > 0.99
    assert ar.top_profiles(1)[0][0] == best
    fp = fictitious_play(game, iterations=2000)
    for k, b in enumerate(best):
        assert int(np.argmax(fp.mixtures[k])) == b and fp.mixtures[k][b] > 0.99
    assert fp.nash_conv < 0.01


# ---------------------------------------------------------------------------- the tournament

SMALL = TournamentSpec(archetypes=("ads_only", "rush_app", "heuristic"), games=6, mix_games=2, seed=3)


@pytest.fixture(scope="module")
def small_result():
    return run_tournament("rules", SMALL, jobs=1)


def test_same_result_for_one_and_two_jobs(small_result):
    two = run_tournament("rules", SMALL, jobs=2)
    assert json.dumps(two.as_dict("x")) == json.dumps(small_result.as_dict("x"))


def test_paired_seeds_and_game_counts(small_result):
    raw = small_result.raw
    h, r = SMALL.archetypes.index("heuristic"), SMALL.archetypes.index("rush_app")
    assert raw.games[h, h, h] == 6 and raw.games[r, h, h] == 6 and raw.games[r, r, h] == 2
    assert int(raw.games.sum()) == 7 * 6 + 20 * 2
    assert raw.wins.sum() == raw.games.sum()                      # one winner a game
    # The all-heuristic cell is simulate's figure on the same seeds.
    from game.sim.simulate import simulate
    from game.engine import load_rules

    sim = simulate(load_rules("rules"), "default", 6, 3, ["heuristic"] * 3)
    assert [sim.companies[c].wins for c in small_result.seats] == list(raw.wins[h, h, h])


def test_json_shape(small_result):
    data = small_result.as_dict("python main.py tournament ...")
    assert set(data["seats"]) == {"bytedance", "alibaba", "tencent"}
    for seat, cells in data["seats"].items():
        assert set(cells) == set(SMALL.archetypes)
        for cell in cells.values():
            assert {"win_rate", "ci", "games", "worst_case_win_rate"} <= set(cell)
            lo, hi = cell["ci"]
            assert 0 <= lo <= cell["win_rate"] <= hi <= 1
            assert cell["games"] == 6
            assert cell["worst_case_win_rate"] <= cell["win_rate"]
    eq = data["equilibrium"]
    for seat in data["seats"]:
        assert sum(eq["seats"][seat].values()) == pytest.approx(1.0, abs=1e-5)
        assert sum(eq["nash"]["seats"][seat].values()) == pytest.approx(1.0, abs=1e-5)
        assert set(eq["ranking"][seat]) <= set(SMALL.archetypes)
    # Alibaba's app is there from the start: rush_app plays the heuristic's games in its seat.
    assert eq["same_games"]["alibaba"] == {"heuristic": ["rush_app"]}
    assert len(data["payoffs"]["profiles"]) == 27
    json.dumps(data)


def test_cli_tournament_json_and_docs(tmp_path, capsys):
    out, md = tmp_path / "t.json", tmp_path / "docs" / "balance.md"
    args = ["tournament", "--games", "2", "--mix-games", "1", "--seed", "5", "--archetypes",
            "ads_only,heuristic", "--jobs", "1", "--json", "--out", str(out), "--markdown", str(md)]
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert printed == saved
    assert saved["command"].startswith("python main.py tournament --games 2 --mix-games 1 --seed 5")
    assert "--jobs" not in saved["command"]
    page = md.read_text(encoding="utf-8")
    assert "![" in page and "balance.svg" in page and "--markdown" in page
    svg = (tmp_path / "docs" / "balance.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    # The page again from the saved JSON, without playing.
    md2 = tmp_path / "again.md"
    assert main(["tournament", "--from", str(out), "--markdown", str(md2)]) == 0
    assert "ads_only" in md2.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--archetypes", "ads_only,genius"], "unknown archetype genius"),
    (["--games", "0"], "--games must be at least 1"),
    (["--games", "3", "--mix-games", "4"], "--mix-games must be between 1 and --games"),
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--scenario", "nowhere"], "unknown scenario"),
])
def test_cli_tournament_errors(args, message, capsys):
    assert main(["tournament", *args]) == 2
    assert message in capsys.readouterr().err


def test_simulate_accepts_archetypes_and_fixed_heuristic(capsys):
    assert main(["simulate", "--games", "2", "--players", "heuristic:fixed,rush_app,ads_only",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["players"] == {"bytedance": "heuristic:fixed", "alibaba": "rush_app",
                               "tencent": "ads_only"}


def test_rotate_pools_every_seat_against_the_baseline(small_result):
    """--rotate: each archetype's wins summed over the seats where it met the baseline, the
    same games as the per-seat cells; absent without it."""
    assert "kinds" not in small_result.as_dict("x")
    kinds = small_result.as_dict("x", rotate=True)["kinds"]
    assert set(kinds) == set(SMALL.archetypes)
    raw, names = small_result.raw, SMALL.archetypes
    h = names.index("heuristic")
    for name, k in kinds.items():
        i = names.index(name)
        wins = sum(int(raw.wins[tuple(i if j == s else h for j in range(3)) + (s,)]) for s in range(3))
        assert k["games"] == 3 * SMALL.games and k["wins"] == wins
        assert k["win_rate"] == pytest.approx(wins / k["games"], abs=1e-4)
        assert k["ci"][0] <= k["win_rate"] <= k["ci"][1]
        assert set(k["seats"]) == set(small_result.seats)
    # The baseline against itself: one winner a game over three seats, a third.
    assert kinds["heuristic"]["win_rate"] == pytest.approx(1 / 3, abs=1e-4)


def test_cli_tournament_rotate(capsys):
    args = ["tournament", "--games", "2", "--mix-games", "1", "--seed", "5", "--archetypes",
            "random,heuristic", "--jobs", "1", "--rotate", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["command"].endswith("--rotate")
    assert data["kinds"]["random"]["games"] == 6
    assert main(args[:-1]) == 0
    assert "every seat pooled (--rotate)" in capsys.readouterr().out


def test_balance_page_keeps_its_hand_written_part(tmp_path, small_result):
    """The tournament rewrites docs/balance.md but keeps what follows KEPT_MARK (the hard
    players' tables and the level ladder come from other runs)."""
    from game.sim.balance_doc import KEPT_MARK, write_balance_doc
    md = tmp_path / "balance.md"
    data = small_result.as_dict("python main.py tournament ...")
    write_balance_doc(data, md)
    first = md.read_text(encoding="utf-8")
    assert KEPT_MARK not in first
    md.write_text(first.replace("## How to read it", "## How to read it (old)")
                  + f"\n{KEPT_MARK}\n\n## Strong play\n\nhard 40%\n", encoding="utf-8")
    write_balance_doc(data, md)
    again = md.read_text(encoding="utf-8")
    assert "(old)" not in again                                  # the generated part is new
    assert again.startswith(first.rstrip("\n"))
    assert again.count(KEPT_MARK) == 1 and again.rstrip().endswith("hard 40%")
