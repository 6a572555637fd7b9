"""The command line: ``python main.py`` starts the app; subcommands run the game headless.

    python main.py [SAVE.json] [--lang zh|en]       open the desktop app (optionally a save)
    python main.py simulate --games 300 --seed 1 --players heuristic,heuristic,random
    python main.py rules check [DIR]                validate a rules folder
    python main.py rules test [DIR]                 put a rules folder through the conformance run
    python main.py replay FILE [--log]              verify a save by replaying it, and show it
    python main.py golden [--update]                check (or regenerate) the golden playthroughs
    python main.py bench                            measure engine speed
    python main.py rulebook [--check]               write docs/rules.md from the rules
    python main.py monkey --seconds 300 --seed 1    random input against the real app (exit 1 on a fault)
    python main.py --screenshot FILE.png            render the board with a game in progress
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from game.engine import ClosedLoopError, RulesError, load_rules
from game.paths import RULES_DIR

DEFAULT_RULES = str(RULES_DIR)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python main.py",
        description="Closed Loop (闭环): race to closed-loop e-commerce as ByteDance, Alibaba or Tencent. "
                    "Without a command, opens the desktop app.")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the main window with a game in progress and exit")
    p.add_argument("--new", action="store_true", help="open the app on the new-game dialog, ignoring an autosave")
    p.add_argument("--debrief-screenshot", metavar="FILE.png", help="render the debrief of a finished game and exit")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language for screenshots (default zh)")
    p.add_argument("--seed", type=int, default=7, help="seed for screenshots")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("simulate", help="play computer games headless and summarise them")
    s.add_argument("--games", type=int, default=100)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--players", default="heuristic,heuristic,heuristic",
                   help="one player kind per company, in the scenario's order (random, heuristic)")
    s.add_argument("--scenario", default="default")
    s.add_argument("--rules", default=DEFAULT_RULES, help="rules folder")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--save-dir", help="write every game's save file to this folder")

    r = sub.add_parser("rules", help="check or test a rules folder")
    rsub = r.add_subparsers(dest="rules_command", metavar="check|test", required=True)
    rc = rsub.add_parser("check", help="validate a rules folder and list every problem")
    rc.add_argument("dir", nargs="?", default=DEFAULT_RULES)
    rt = rsub.add_parser("test", help="conformance run: random play, undo, saves, replay, invariants")
    rt.add_argument("dir", nargs="?", default=DEFAULT_RULES)
    rt.add_argument("--games", type=int, default=20)
    rt.add_argument("--seed", type=int, default=0)

    rp = sub.add_parser("replay", help="verify a save by replaying it, and show its outcome")
    rp.add_argument("file")
    rp.add_argument("--rules", default=DEFAULT_RULES)
    rp.add_argument("--log", action="store_true", help="print the game log")
    rp.add_argument("--lang", choices=("zh", "en"), default="en")

    g = sub.add_parser("golden", help="check the golden playthroughs, or --update them")
    g.add_argument("--update", action="store_true")

    b = sub.add_parser("bench", help="measure engine speed (prints figures)")
    b.add_argument("--seconds", type=float, default=3.0)
    b.add_argument("--out", help="also write the figures as JSON to this file")
    b.add_argument("--rules", default=DEFAULT_RULES)

    sub.add_parser("monkey", add_help=False,
                   help="random input against the real app: --seconds 300 --seed 1 --out FILE.json")

    rb = sub.add_parser("rulebook", help="write docs/rules.md from the rules data")
    rb.add_argument("--check", action="store_true")
    return p


COMMANDS = ("simulate", "rules", "replay", "golden", "bench", "rulebook", "monkey")

# What a file may carry into a message: no terminal controls (escape sequences, carriage
# returns, bidi overrides), which a crafted save or rules file could use to rewrite the screen.
_BIDI = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def safe_text(text: str) -> str:
    """``text`` with every control character but newline and tab written as an escape."""
    out = []
    for ch in text:
        code = ord(ch)
        if (code < 32 and ch not in "\n\t") or 0x7F <= code < 0xA0 or code in _BIDI:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


class SafeWriter:
    """A text stream that passes everything through :func:`safe_text`."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def ensure_writable_folder(folder: str | Path) -> Path:
    """Create ``folder`` if need be and prove it can be written, before any long work starts;
    raises OSError with the folder's name."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise NotADirectoryError(20, "not a folder", str(folder))
    probe = folder / f".closed-loop-probe-{os.getpid()}"
    with open(probe, "w", encoding="utf-8"):
        pass
    probe.unlink()
    return folder


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "monkey":   # the app under seeded random input: game/ui/monkey.py
        from game.ui.monkey import main as monkey_main

        return monkey_main(argv[1:])
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS \
            and not argv[0].lower().endswith(".json") and not Path(argv[0]).exists():
        import difflib

        near = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        print(f"error: '{argv[0]}' is neither a command ({', '.join(COMMANDS)}) nor a save file.{hint}",
              file=sys.stderr)
        return 2
    if not (argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")
                      or "--debrief-screenshot" in argv)):
        # The app: a save to open, --lang, --new, --screenshot FILE.png ... (see game/ui/app.py).
        from game.ui.app import run_app

        return run_app([sys.argv[0], *argv])
    args = _parser().parse_args(argv)
    progress = sys.stderr          # progress bars draw with \r: they bypass the filter
    with contextlib.redirect_stdout(SafeWriter(sys.stdout)), \
            contextlib.redirect_stderr(SafeWriter(sys.stderr)):
        return _run(args, progress)


def _run(args, progress) -> int:
    try:
        if args.debrief_screenshot:
            from game.ui.debrief import render_debrief_screenshot

            render_debrief_screenshot(args.debrief_screenshot, lang=args.lang, seed=args.seed)
            print(f"wrote {args.debrief_screenshot}")
            return 0
        if args.command == "simulate":
            return _simulate(args, progress)
        return {"rules": _rules, "replay": _replay, "golden": _golden,
                "bench": _bench, "rulebook": _rulebook}[args.command](args)
    except RulesError as exc:
        print(exc, file=sys.stderr)
        return 1
    except ClosedLoopError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except OSError as exc:         # a folder or file that cannot be written or read
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def _simulate(args, progress=None) -> int:
    from tqdm import tqdm

    from game.players import PLAYER_KINDS
    from game.sim.simulate import simulate

    rules = load_rules(args.rules)
    scen = rules.scenario(args.scenario)
    kinds = [k.strip() for k in args.players.split(",")]
    bad = [k for k in kinds if k not in PLAYER_KINDS]
    if bad:
        raise ValueError(f"unknown player kind {', '.join(bad)} (known: {', '.join(PLAYER_KINDS)})")
    if len(kinds) != len(scen.companies):
        raise ValueError(f"--players needs {len(scen.companies)} kinds, one per company "
                         f"({', '.join(scen.companies)}), got {len(kinds)}")
    if args.games < 1:
        raise ValueError("--games must be at least 1")
    if args.save_dir:
        ensure_writable_folder(args.save_dir)        # before the games, not after
    with tqdm(total=args.games, unit="game", file=progress or sys.stderr, disable=None,
              leave=False) as bar:
        result = simulate(rules, args.scenario, args.games, args.seed, kinds,
                          save_dir=args.save_dir, progress=bar.update)
    data = result.as_dict()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.games} games of '{args.scenario}', seeds {args.seed}..{args.seed + args.games - 1}, "
          f"mean rounds {data['mean_rounds']:.2f}")
    print(f"loop closed by someone at the end: {data['loop_closed_by_someone_rate']:.0%} "
          f"(closed during the game: {data['loop_closed_in_game_rate']:.0%}); "
          f"won on the GMV target: {data['target_win_rate']:.0%}")
    print(f"{'company':<12}{'player':<11}{'win rate':>9}{'mean GMV':>11}{'mean UX':>9}{'low UX':>8}"
          f"{'loop at end':>12}{'closed in game':>15}{'app launched':>13}{'rounds':>8}{'choices':>9}")
    for cid, c in data["companies"].items():
        print(f"{cid:<12}{data['players'][cid]:<11}{c['win_rate']:>9.1%}{c['mean_gmv']:>11,.0f}"
              f"{c['mean_ux']:>9.1f}{c['mean_lowest_ux']:>8.1f}{c['loop_closed_rate']:>12.0%}"
              f"{c['loop_closed_in_game_rate']:>15.0%}{c['app_launched_in_game_rate']:>13.0%}"
              f"{c['mean_rounds']:>8.2f}{c['choices_per_decision']:>9.1f}")
    print("GMV in bn yuan, summed over the game; UX at the end and its lowest point; loop closed at")
    print("the end, and closed during the game; app launched during the game (Taobao's, there from")
    print("the start, does not count); choices: legal actions per real decision.")
    print("Actions taken, share per company:")
    for cid, c in data["companies"].items():
        shares = ", ".join(f"{k} {v:.0%}" for k, v in c["action_share"].items() if v >= 0.005)
        print(f"  {cid:<10} {shares}")
    if args.save_dir:
        print(f"saves written to {args.save_dir}")
    return 0


def _rules(args) -> int:
    if args.rules_command == "check":
        rules = load_rules(args.dir)
        print(f"{args.dir}: the rules are valid (version {rules.version}: {len(rules.capabilities)} "
              f"capabilities, {len(rules.actions)} actions, {len(rules.events)} events, "
              f"{len(rules.scenarios)} scenarios)")
        return 0
    from game.sim.conformance import run_conformance

    report = run_conformance(args.dir, games=args.games, seed=args.seed)
    for line in report.lines:
        print(line)
    print("conformance: PASS" if report.ok else "conformance: FAIL")
    return 0 if report.ok else 1


def _replay(args) -> int:
    from game.engine import render_log
    from game.saves import load_game

    rules = load_rules(args.rules)
    state, meta = load_game(rules, args.file)
    print(f"{args.file}: verified; scenario '{state.scenario.id}', seed {state.seed}, "
          f"{len(state.history)} actions, round {state.round}"
          + (f", winner {state.winner_id} ({state.win_reason})" if state.terminal else ", in progress"))
    for cs in state.companies:
        print(f"  {cs.id:<10} GMV {cs.gmv_total:9,.1f}  users {cs.users:6.0f}  UX {cs.ux:5.1f}  "
              f"capital {cs.capital:6.1f}  loop {cs.links_done}/{len(state.loop)}"
              f"{'  app' if cs.app_launched else ''}")
    if args.log:
        for entry in state.log:
            print(f"  [{entry.round:2d}] {render_log(rules, entry, args.lang)}")
    return 0


def _golden(args) -> int:
    from game.sim import golden

    if args.update:
        paths = golden.regenerate()
        print(f"wrote {len(paths)} golden playthroughs")
        return 0
    problems = golden.check()
    for p in problems:
        print(p)
    print("golden playthroughs: " + ("FAIL" if problems else "OK"))
    return 1 if problems else 0


def _bench(args) -> int:
    from game.saves import write_text_atomic
    from game.sim.bench import run_bench

    if args.out:
        ensure_writable_folder(Path(args.out).resolve().parent)   # before the benchmark
    figures = run_bench(seconds=args.seconds, rules_dir=args.rules)
    for k, v in figures.items():
        print(f"{k:<34}{v:>14,.1f}" if isinstance(v, float) else f"{k:<34}{v!s:>14}")
    if args.out:
        write_text_atomic(args.out, json.dumps(figures, indent=2) + "\n")
    return 0


def _rulebook(args) -> int:
    from game.docs.rulebook import main as rulebook_main

    return rulebook_main(["--check"] if args.check else [])
