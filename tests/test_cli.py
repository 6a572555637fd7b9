"""The command line, in process (so coverage sees it): every subcommand's happy path, and its
errors as a one-line message and an exit code (1: a file or folder that cannot be used or a
failed check; 2: a usage error), never a traceback. Small game counts and ``--jobs 1`` keep it fast.

Subprocess checks of the installed command live in test_packaging.py and test_cli_safety.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import game
import game.cli as cli
from game.cli import main
from game.engine import new_game
from game.saves import save_game


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), prog="closed-loop")
    out = capsys.readouterr()
    return code, out.out, out.err


def usage_error(capsys, *argv: str) -> str:
    """``argv`` is refused by argparse: exit 2 and the usage on stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(list(argv), prog="closed-loop")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: closed-loop")
    return err


# ------------------------------------------------------------------ version, help, usage


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"closed-loop {game.__version__}"


def test_subcommand_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--help"], prog="closed-loop")
    assert exit_.value.code == 0
    assert "--players" in capsys.readouterr().out


def test_a_mistyped_command_gets_a_hint(capsys):
    assert "Did you mean 'tournament'?" in usage_error(capsys, "tournamnt")
    assert "neither a command" in usage_error(capsys, "zzz")


def test_a_missing_rules_subcommand_is_a_usage_error(capsys):
    assert "required" in usage_error(capsys, "rules")


# ------------------------------------------------------------------ simulate


def test_simulate_text(capsys, tmp_path):
    code, out, err = run(capsys, "simulate", "--games", "2", "--seed", "3", "--jobs", "1",
                         "--save-dir", str(tmp_path / "saves"))
    assert code == 0, err
    assert out.startswith("2 games of 'default', seeds 3..4, mean rounds")
    assert "win rate" in out and "Actions taken, share per company:" in out
    assert f"saves written to {tmp_path / 'saves'}" in out
    assert len(list((tmp_path / "saves").glob("*.json"))) == 2


def test_simulate_json(capsys):
    code, out, _ = run(capsys, "simulate", "--games", "1", "--jobs", "1", "--json",
                       "--players", "random,heuristic,random")
    assert code == 0
    data = json.loads(out)
    assert set(data["companies"]) == {"bytedance", "alibaba", "tencent"}
    assert "mean_rounds" in data


@pytest.mark.parametrize("argv, says", [
    (["--players", "heuristic,bogus,heuristic"], "error: unknown player kind bogus (known: "),
    (["--players", "heuristic,heuristic"], "error: --players needs 3 kinds, one per company"),
    (["--games", "0"], "error: --games must be at least 1"),
    (["--scenario", "nope"], "error: unknown scenario 'nope' (known: "),
])
def test_simulate_usage_errors(capsys, argv, says):
    code, out, err = run(capsys, "simulate", "--jobs", "1", *argv)
    assert code == 2
    assert err.startswith(says) and err.count("\n") == 1
    assert out == ""


def test_simulate_with_a_broken_rules_folder(capsys, tmp_path):
    code, out, err = run(capsys, "simulate", "--games", "1", "--jobs", "1", "--rules", str(tmp_path))
    assert code == 1
    assert "problem(s) in the rules" in err and "game.toml" in err and out == ""


def test_simulate_games_not_a_number(capsys):
    assert "invalid int value: 'many'" in usage_error(capsys, "simulate", "--games", "many")


# ------------------------------------------------------------------ tournament


TINY = ("--games", "1", "--mix-games", "1", "--archetypes", "rush_app", "--jobs", "1")


@pytest.fixture(scope="module")
def tournament_json(tmp_path_factory) -> Path:
    """A tiny tournament's result, written by ``--out``."""
    out = tmp_path_factory.mktemp("tournament") / "t.json"
    assert main(["tournament", *TINY, "--out", str(out)]) == 0
    return out


def test_tournament_text_and_files(capsys, tmp_path):
    md = tmp_path / "docs" / "balance.md"
    md.parent.mkdir()
    code, out, err = run(capsys, "tournament", *TINY, "--out", str(tmp_path / "t.json"),
                         "--markdown", str(md))
    assert code == 0, err
    assert out.startswith("tournament of 'default', seed 1: 2 archetypes")
    assert "ranking:" in out and "alpha-rank" in out
    assert f"wrote {tmp_path / 't.json'}" in out and f"wrote {md}" in out
    assert "games in" in err and "with 1 job(s)" in err
    assert md.is_file() and md.with_suffix(".svg").is_file()
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["archetypes"] == ["rush_app", "heuristic"]


def test_tournament_json(capsys, tournament_json):
    code, out, _ = run(capsys, "tournament", *TINY, "--json")
    assert code == 0
    assert json.loads(out) == json.loads(tournament_json.read_text(encoding="utf-8"))


def test_tournament_from_a_saved_result(capsys, tmp_path, tournament_json):
    md = tmp_path / "balance.md"
    code, out, err = run(capsys, "tournament", "--from", str(tournament_json), "--markdown", str(md))
    assert code == 0, err
    assert out.strip() == f"wrote {md} and {md.with_suffix('.svg')}"
    assert "rush_app" in md.read_text(encoding="utf-8")


def test_tournament_from_a_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "tournament", "--from", str(tmp_path / "nope.json"),
                         "--markdown", str(tmp_path / "b.md"))
    assert code == 1
    assert err.startswith(f"error: {tmp_path / 'nope.json'}: No such file") and out == ""
    assert not (tmp_path / "b.md").exists()


@pytest.mark.parametrize("content", ["{not json", json.dumps({"seats": {}}), "[1, 2]", "\udcff"])
def test_tournament_from_a_bad_file(capsys, tmp_path, content):
    bad = tmp_path / "bad.json"
    if content == "\udcff":
        bad.write_bytes(b"\xff\xfe{")       # not UTF-8
    else:
        bad.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "tournament", "--from", str(bad), "--markdown", str(tmp_path / "b.md"))
    assert code == 2
    assert err.startswith(f"error: {bad}: cannot read a tournament result (") and out == ""
    assert not (tmp_path / "b.md").exists()


def test_tournament_from_needs_markdown(capsys, tournament_json):
    code, _, err = run(capsys, "tournament", "--from", str(tournament_json))
    assert code == 2
    assert err.strip() == "error: --from needs --markdown FILE.md (what to write from the saved result)"


@pytest.mark.parametrize("argv, says", [
    (["--jobs", "0"], "error: --jobs must be at least 1"),
    (["--scenario", "nope", "--jobs", "1"], "error: unknown scenario 'nope'"),
    (["--archetypes", ",", "--jobs", "1"], "error: --archetypes needs at least one archetype"),
])
def test_tournament_usage_errors(capsys, argv, says):
    code, out, err = run(capsys, "tournament", "--games", "1", *argv)
    assert code == 2
    assert err.startswith(says) and out == ""


def test_tournament_out_to_a_folder_that_cannot_be_made(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "tournament", *TINY, "--out", str(blocker / "t.json"))
    assert code == 1
    assert err.startswith(f"error: {blocker}") and out == ""


# ------------------------------------------------------------------ replay


def test_replay_a_fresh_save_with_its_log(capsys, rules, tmp_path):
    path = save_game(new_game(rules, "default", 4), tmp_path / "fresh.json")
    code, out, err = run(capsys, "replay", str(path), "--log")
    assert code == 0, err
    first, *rest = out.splitlines()
    assert first == f"{path}: verified; scenario 'default', seed 4, 0 actions, round 1, in progress"
    assert sum(line.startswith("  bytedance ") for line in rest) == 1
    assert any(line.startswith("  [ 1] ") for line in rest)      # the log, in English


def test_replay_a_save_with_actions(capsys, rules, tmp_path):
    state = new_game(rules, "default", 2)
    for _ in range(6):
        state.apply_action(state.legal_actions()[0])
    path = save_game(state, tmp_path / "played.json")
    code, out, _ = run(capsys, "replay", str(path), "--lang", "zh")
    assert code == 0
    assert "6 actions" in out.splitlines()[0]


@pytest.mark.parametrize("damage, says", [
    (lambda text: text[: len(text) // 2], "the save is not valid JSON"),
    (lambda text: "[]", ""),
    (lambda text: json.dumps(dict(json.loads(text), actions=["no_such_action"])), "no_such_action"),
])
def test_replay_a_corrupt_save(capsys, rules, tmp_path, damage, says):
    path = save_game(new_game(rules, "default", 1), tmp_path / "save.json")
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = run(capsys, "replay", str(path))
    assert code == 1
    assert err.startswith(f"error: {path}") and says in err and out == ""
    assert "Traceback" not in err


def test_replay_a_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "replay", str(tmp_path / "nope.json"))
    assert code == 1
    assert err.startswith(f"error: {tmp_path / 'nope.json'}: cannot be read") and out == ""


# ------------------------------------------------------------------ rules check / test


def test_rules_check_the_game_rules(capsys):
    code, out, _ = run(capsys, "rules", "check")
    assert code == 0
    assert ": the rules are valid (version " in out and "scenarios)" in out


def test_rules_check_a_broken_folder(capsys, tmp_path):
    from game.testing import copy_rules

    folder = copy_rules(tmp_path / "rules")
    (folder / "actions.toml").write_text("[actions\n", encoding="utf-8")
    code, out, err = run(capsys, "rules", "check", str(folder))
    assert code == 1
    assert "actions.toml" in err and out == ""


def test_rules_check_a_missing_folder(capsys, tmp_path):
    code, _, err = run(capsys, "rules", "check", str(tmp_path / "nope"))
    assert code == 1
    assert "nope" in err


def test_rules_test_passes(capsys):
    code, out, _ = run(capsys, "rules", "test", "--games", "1")
    assert code == 0
    assert out.rstrip().endswith("conformance: PASS")
    assert "default" in out


def test_rules_test_fails(capsys, monkeypatch):
    from game.sim import conformance

    report = conformance.ConformanceReport("rules")
    report.lines.append("default  FAIL: something broke")
    report.ok = False
    monkeypatch.setattr(conformance, "run_conformance", lambda *a, **k: report)
    code, out, _ = run(capsys, "rules", "test", "--games", "1")
    assert code == 1
    assert out.splitlines() == ["default  FAIL: something broke", "conformance: FAIL"]


# ------------------------------------------------------------------ bench


def test_bench_without_probe(capsys, tmp_path):
    out_file = tmp_path / "bench.json"
    code, out, err = run(capsys, "bench", "--seconds", "0.05", "--out", str(out_file))
    assert code == 0, err
    assert f"written to {out_file}" in out
    figures = json.loads(out_file.read_text(encoding="utf-8"))
    assert figures and not any("probe" in k for k in figures)


def test_bench_json(capsys, tmp_path):
    code, out, _ = run(capsys, "bench", "--seconds", "0.05", "--json", "--out", str(tmp_path / "b.json"))
    assert code == 0
    assert json.loads(out) == json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))


def test_bench_default_out_is_the_checkouts_benchmarks(capsys, monkeypatch, tmp_path):
    """Without --out the figures go to benchmarks/engine.json of the checkout (here redirected)."""
    import game.sim.bench as bench

    written: dict = {}
    monkeypatch.setattr(bench, "run_bench", lambda **k: {"rollout_actions_per_s": 1.5})
    monkeypatch.setattr("game.saves.write_text_atomic", lambda path, text: written.update({path: text}))
    code, out, _ = run(capsys, "bench")
    assert code == 0
    (path,) = written
    assert Path(path).parts[-2:] == ("benchmarks", "engine.json")
    assert "rollout_actions_per_s" in out and f"written to {path}" in out


@pytest.mark.parametrize("argv, says", [
    (["--probe", "no-such-probe.py"], "error: --probe no-such-probe.py: no such file"),
    (["--scenario", "nope"], "error: --scenario nope: no such scenario"),
])
def test_bench_usage_errors(capsys, tmp_path, argv, says):
    code, out, err = run(capsys, "bench", "--seconds", "0.05", "--out", str(tmp_path / "b.json"), *argv)
    assert code == 2
    assert err.strip() == says and out == ""
    assert not (tmp_path / "b.json").exists()


# ------------------------------------------------------------------ developer commands


def test_golden_and_rulebook_refused_when_installed(capsys, monkeypatch):
    monkeypatch.setattr(cli, "CHECKOUT", None)
    for command in ("golden", "rulebook"):
        code, out, err = run(capsys, command)
        assert code == 2
        assert err.startswith(f"error: '{command}' is a developer command") and out == ""


@pytest.mark.parametrize("problems, code, last", [([], 0, "golden playthroughs: OK"),
                                                  (["g1.json: differs"], 1, "golden playthroughs: FAIL")])
def test_golden_check(capsys, monkeypatch, problems, code, last):
    from game.sim import golden

    monkeypatch.setattr(golden, "check", lambda: problems)
    got, out, _ = run(capsys, "golden")
    assert got == code
    assert out.splitlines() == [*problems, last]


def test_golden_update(capsys, monkeypatch):
    from game.sim import golden

    monkeypatch.setattr(golden, "regenerate", lambda: [Path("a.json"), Path("b.json")])
    assert run(capsys, "golden", "--update")[:2] == (0, "wrote 2 golden playthroughs\n")


def test_rulebook_check(capsys):
    code, out, _ = run(capsys, "rulebook", "--check")
    assert code == 0
    assert "up to date" in out


def test_monkey_is_handed_its_arguments(monkeypatch):
    import game.ui.monkey as monkey

    seen: list = []
    monkeypatch.setattr(monkey, "main", lambda argv: seen.append(argv) or 0)
    assert main(["monkey", "--seconds", "1", "--seed", "2"]) == 0
    assert seen == [["--seconds", "1", "--seed", "2"]]


def test_debrief_screenshot_is_routed(capsys, monkeypatch, tmp_path):
    import game.ui.debrief as debrief

    seen: list = []
    monkeypatch.setattr(debrief, "render_debrief_screenshot", lambda path, **k: seen.append((path, k)))
    code, out, _ = run(capsys, "--debrief-screenshot", str(tmp_path / "d.png"), "--lang", "en", "--seed", "3")
    assert code == 0
    assert seen == [(str(tmp_path / "d.png"), {"lang": "en", "seed": 3, "size": (1440, 960)})]
    assert out.strip() == f"wrote {tmp_path / 'd.png'}"
    code, _, _ = run(capsys, "--debrief-screenshot", str(tmp_path / "e.png"), "--size", "1366x768")
    assert code == 0 and seen[-1] == (str(tmp_path / "e.png"), {"lang": "zh", "seed": 7, "size": (1366, 768)})


# ------------------------------------------------------------------ the app's options (no window)


@pytest.fixture
def app_calls(monkeypatch):
    """``run_app`` replaced by a recorder: what the app would have been started with."""
    import game.ui.app as app

    calls: list = []
    monkeypatch.setattr(app, "run_app", lambda argv, prog="closed-loop": calls.append((argv, prog)) or 0)
    return calls


@pytest.mark.parametrize("argv", [[], ["save.json", "--lang", "en"], ["--new"], ["--lang", "zh", "-reverse"]])
def test_the_app_gets_its_arguments(app_calls, argv):
    assert main(argv, prog="python main.py") == 0
    assert app_calls == [(["python main.py", *argv], "python main.py")]


def test_an_existing_file_of_any_name_opens_in_the_app(app_calls, tmp_path):
    save = tmp_path / "my-save.txt"
    save.write_text("{}", encoding="utf-8")
    assert main([str(save)], prog="closed-loop") == 0
    assert app_calls == [(["closed-loop", str(save)], "closed-loop")]


def test_gui_main(app_calls, monkeypatch):
    monkeypatch.setattr("sys.argv", ["closed-loop-gui", "--lang", "en"])
    assert cli.gui_main() == 0
    assert app_calls == [(["closed-loop-gui", "--lang", "en"], "closed-loop-gui")]


def test_the_app_parser():
    from game.ui.app import _parser

    args = _parser().parse_args(["s.json", "--lang", "en", "--new", "--seed", "3"])
    assert (args.save, args.lang, args.new, args.seed, args.screenshot) == ("s.json", "en", True, 3, None)
    defaults = _parser().parse_args([])
    assert defaults.lang is None and defaults.save is None and not defaults.new
    assert Path(defaults.rules).name == "rules"


@pytest.mark.parametrize("argv, says", [
    (["--lang", "fr"], "invalid choice: 'fr'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["a.json", "b.json"], "unrecognized arguments: b.json"),
])
def test_run_app_refuses_bad_options_before_any_window(capsys, argv, says):
    from game.ui.app import run_app

    with pytest.raises(SystemExit) as exit_:
        run_app(["closed-loop", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: closed-loop") and says in err


def test_run_app_screenshot_without_a_window(capsys, monkeypatch, tmp_path):
    import game.ui.screenshot as screenshot
    from game.ui.app import run_app

    seen: list = []
    monkeypatch.setattr(screenshot, "render_screenshot", lambda path, **k: seen.append((path, k)))
    assert run_app(["closed-loop", "--screenshot", str(tmp_path / "b.png"), "-platform", "offscreen"]) == 0
    assert seen == [(str(tmp_path / "b.png"), {"lang": "zh", "seed": 7, "actions": 40, "size": (1600, 1000),
                                                 "projector": False})]
    assert run_app(["closed-loop", "--screenshot", str(tmp_path / "c.png"), "--size", "1024x768"]) == 0
    assert seen[-1][1]["size"] == (1024, 768)


# ------------------------------------------------------------------ output hygiene


def test_safe_writer_passes_through(capsys):
    import io

    buf = io.StringIO()
    w = cli.SafeWriter(buf)
    assert w.write("a\x1bb") == 3
    w.flush()
    assert buf.getvalue() == "a\\x1bb"
    assert w.isatty() is False
    assert w.getvalue() == "a\\x1bb"           # anything else goes to the stream


def test_ensure_writable_folder(tmp_path):
    assert cli.ensure_writable_folder(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert list((tmp_path / "a" / "b").iterdir()) == []        # the probe is gone
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        cli.ensure_writable_folder(tmp_path / "f")
