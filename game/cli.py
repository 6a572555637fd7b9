"""The command line: ``closed-loop`` starts the app; subcommands run the game headless.

The same command is ``python -m game``, and ``python main.py`` in a source checkout::

    closed-loop [SAVE.json] [--lang zh|en]          open the desktop app (optionally a save)
    closed-loop --version                           print the version
    closed-loop simulate --games 300 --seed 1 --players heuristic,heuristic,random [--jobs 2]
    closed-loop tournament --games 200 --seed 1 --jobs 2 [--json] [--out F.json] [--markdown F.md]
    closed-loop rules check [DIR]                   validate a rules folder
    closed-loop rules test [DIR]                    put a rules folder through the conformance run
    closed-loop replay FILE [--log]                 verify a save by replaying it, and show it
    closed-loop --screenshot FILE.png               render the board with a game in progress

Developer commands (they work on a source checkout's files: tests/golden, docs/, benchmarks/)::

    python main.py golden [--update]                check (or regenerate) the golden playthroughs
    python main.py bench                            measure engine speed
    python main.py rulebook [--check]               write docs/rules.md from the rules
    python main.py monkey --seconds 300 --seed 1    random input against the real app (exit 1 on a fault)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

# isort: off
import game.ui.lazy  # noqa: F401  (before the engine: numpy on first use, see game/ui/lazy.py)
# isort: on
from game import __version__
from game.engine import ClosedLoopError, RulesError, load_rules
from game.paths import CHECKOUT, RULES_DIR
from game.sim.parallel import default_jobs
from game.ui.screenshot import parse_size

DEFAULT_RULES = str(RULES_DIR)
PROG = "closed-loop"
"""How the user started us, for usage and hints: ``closed-loop``, ``python -m game`` or
``python main.py`` (set by :func:`main`)."""

DEVELOPER_COMMANDS = ("golden", "bench", "rulebook", "monkey")


def version_text() -> str:
    return f"closed-loop {__version__}"


def _parser(prog: str | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog or PROG,
        description="Closed Loop (闭环): race to closed-loop e-commerce as ByteDance, Alibaba or Tencent. "
                    "Without a command, opens the desktop app.",
        epilog="golden, bench, rulebook and monkey are developer commands: they read and write a "
               "source checkout's files (tests/golden, docs/, benchmarks/).")
    p.add_argument("--version", action="version", version=version_text())
    p.add_argument("--screenshot", metavar="FILE.png", help="render the main window with a game in progress and exit")
    p.add_argument("--new", action="store_true", help="open the app on the new-game dialog, ignoring an autosave")
    p.add_argument("--projector", action=argparse.BooleanOptionalAction, default=None,
                   help="projector mode (18 px text and more; remembered); also for --screenshot")
    p.add_argument("--debrief-screenshot", metavar="FILE.png", help="render the debrief of a finished game and exit")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language for screenshots (default zh)")
    p.add_argument("--seed", type=int, default=7, help="seed for screenshots")
    p.add_argument("--size", type=parse_size, default=None, metavar="WxH",
                   help="window size for screenshots, e.g. 1366x768")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("simulate", help="play computer games headless and summarise them")
    s.add_argument("--games", type=int, default=100)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--players", default="heuristic,heuristic,heuristic",
                   help="one player kind per company, in the scenario's order (random, heuristic, "
                        "heuristic:fixed, a search level easy, normal or hard, or an archetype of "
                        "the tournament, e.g. rush_app)")
    s.add_argument("--cluster", metavar="ADDRESS",
                   help="run the games on a Dask cluster (its scheduler, e.g. tcp://10.0.0.5:8786) "
                        "instead of --jobs processes; needs the 'cluster' extra; the same output")
    s.add_argument("--rotate", action="store_true",
                   help="rotate the kinds over the seats game by game (each kind plays every seat "
                        "equally over a multiple of the companies); adds each kind's win rate")
    s.add_argument("--scenario", default="default")
    s.add_argument("--rules", default=DEFAULT_RULES, help="rules folder")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--save-dir", help="write every game's save file to this folder")
    s.add_argument("--jobs", type=int, default=default_jobs(),
                   help="parallel processes (default: one per CPU, here %(default)s); the output "
                        "is the same for any number")

    t = sub.add_parser(
        "tournament", help="play strategy archetypes against each other, seat by seat",
        description="Every archetype in every seat against every mix of archetypes in the other "
                    "seats, on paired seeds: win rates with 95%% intervals, worst cases, and the "
                    "seat-wise meta-game's equilibrium (alpha-rank, fictitious play).")
    t.add_argument("--games", type=int, default=200,
                   help="games of each archetype against the baseline in the other seats (default 200)")
    t.add_argument("--mix-games", type=int, default=None,
                   help="games of every other mix of archetypes (default: min(games, 50))")
    t.add_argument("--seed", type=int, default=1, help="game g of every profile has seed SEED + g")
    t.add_argument("--cluster", metavar="ADDRESS",
                   help="run the games on a Dask cluster (its scheduler, e.g. tcp://10.0.0.5:8786) "
                        "instead of --jobs processes; needs the 'cluster' extra; the same output")
    t.add_argument("--jobs", type=int, default=default_jobs(),
                   help="parallel processes (default: one per CPU, here %(default)s); the result "
                        "is the same for any number")
    t.add_argument("--scenario", default="default")
    t.add_argument("--rules", default=DEFAULT_RULES, help="rules folder")
    t.add_argument("--archetypes", help="comma-separated archetypes to play (default: all)")
    t.add_argument("--baseline", default="heuristic",
                   help="the opponent of the win-rate column (default heuristic)")
    t.add_argument("--rotate", action="store_true",
                   help="also pool every seat: each archetype's win rate over all seats against the "
                        "baseline (every archetype plays every seat equally), as simulate --rotate")
    t.add_argument("--json", action="store_true", help="print the result as JSON")
    t.add_argument("--out", metavar="FILE.json", help="also write the JSON to this file")
    t.add_argument("--markdown", metavar="FILE.md",
                   help="write the balance page (and its SVG chart beside it, or at --svg)")
    t.add_argument("--svg", metavar="FILE.svg", help="where the chart goes (default: FILE.md's name, .svg)")
    t.add_argument("--from", dest="from_json", metavar="FILE.json",
                   help="do not play: write --markdown from a saved --out JSON")

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

    rep = sub.add_parser("report", help="write a session report (HTML) of one or more saved games, "
                                        "and optionally the teams' decisions as CSV for grading")
    rep.add_argument("files", nargs="+", metavar="SAVE.json")
    rep.add_argument("-o", "--out", required=True, metavar="REPORT.html")
    rep.add_argument("--csv", metavar="FILE.csv", help="also write every team's decisions as CSV")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh")
    rep.add_argument("--rules", default=DEFAULT_RULES)

    rv = sub.add_parser("review", help="score every decision of a saved game by rollouts: the chosen "
                                       "action against the best, labelled inaccuracy / mistake / blunder")
    rv.add_argument("file", metavar="SAVE.json")
    rv.add_argument("--json", action="store_true", help="print the review as JSON")
    rv.add_argument("--jobs", type=int, default=None, help="parallel processes (default: one per CPU)")
    rv.add_argument("--samples", type=int, default=16, help="rollouts per candidate action (default 16)")
    rv.add_argument("--confirm", type=int, default=48,
                    help="more rollouts for the chosen and the best action before a label (default 48)")
    rv.add_argument("--seed", type=int, default=0)
    rv.add_argument("--lang", choices=("zh", "en"), default="en")
    rv.add_argument("--rules", default=DEFAULT_RULES)

    g = sub.add_parser("golden", help="(developer) check the golden playthroughs, or --update them")
    g.add_argument("--update", action="store_true")

    b = sub.add_parser("bench", help="(developer) measure engine speed (prints figures)")
    b.add_argument("--seconds", type=float, default=3.0)
    b.add_argument("--out", help="write the figures as JSON to this file "
                                 "(default: benchmarks/engine.json in the checkout, if there is one)")
    b.add_argument("--rules", default=DEFAULT_RULES)
    b.add_argument("--scenario", default="default")
    b.add_argument("--probe", metavar="FILE.py",
                   help="also run this lean-engine probe, interleaved, and print our ratio to it "
                        "(e.g. ../shared/bench/lean_engine_probe.py)")
    b.add_argument("--json", action="store_true", help="print the figures as JSON")
    b.add_argument("--search-decisions", type=int, default=None, metavar="N",
                   help="time the hard search player over N decisions against heuristics (p50/p95 "
                        "seconds per decision; default 120, 6 with --seconds under 1; 0: skip)")

    sub.add_parser("bench-ui", add_help=False,
                   help="(developer) time clicks on the real app mid-game and its cold start: "
                        "--repeats 30 --out benchmarks/ui.json")
    sub.add_parser("monkey", add_help=False,
                   help="(developer) random input against the real app: --seconds 300 --seed 1 "
                        "--out FILE.json")

    rb = sub.add_parser("rulebook", help="(developer) write docs/rules.md from the rules data")
    rb.add_argument("--check", action="store_true")
    return p


COMMANDS = ("simulate", "tournament", "rules", "replay", "report", "review", "golden", "bench", "rulebook", "monkey")

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


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """``closed-loop [ARGS]``: the app, or a subcommand; returns the exit code. Usage errors
    (an unknown option or command) exit 2 through argparse, before any window opens."""
    global PROG
    if prog:
        PROG = prog
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "monkey":   # the app under seeded random input: game/ui/monkey.py
        from game.ui.monkey import main as monkey_main

        return monkey_main(argv[1:])
    if argv and argv[0] == "bench-ui":   # clicks and cold start of the real app: game/ui/bench.py
        from game.ui.bench import main as bench_ui_main

        return bench_ui_main(argv[1:])
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS \
            and not argv[0].lower().endswith(".json") and not Path(argv[0]).exists():
        import difflib

        near = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        _parser().error(f"'{argv[0]}' is neither a command ({', '.join(COMMANDS)}) nor a save file.{hint}")
    if not (argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")
                      or "--debrief-screenshot" in argv)):
        # The app: a save to open, --lang, --new, --screenshot FILE.png ... (see game/ui/app.py).
        from game.ui.app import run_app

        return run_app([PROG, *argv], prog=PROG)
    args = _parser().parse_args(argv)
    if args.command in ("golden", "rulebook") and CHECKOUT is None:
        print(f"error: '{args.command}' is a developer command: it works on a source checkout of the "
              f"game (tests/golden, docs/), and this copy is installed. Run it as `python main.py "
              f"{args.command}` in a checkout.", file=sys.stderr)
        return 2
    progress = sys.stderr          # progress bars draw with \r: they bypass the filter
    with contextlib.redirect_stdout(SafeWriter(sys.stdout)), \
            contextlib.redirect_stderr(SafeWriter(sys.stderr)):
        return _run(args, progress)


def gui_main() -> int:
    """``closed-loop-gui``: the app only (a gui-script: no console window on Windows)."""
    from game.ui.app import run_app

    return run_app(["closed-loop-gui", *sys.argv[1:]], prog="closed-loop-gui")


def _run(args, progress) -> int:
    try:
        if args.debrief_screenshot:
            from game.ui.debrief import render_debrief_screenshot

            render_debrief_screenshot(args.debrief_screenshot, lang=args.lang, seed=args.seed,
                                      size=args.size or (1440, 960))
            print(f"wrote {args.debrief_screenshot}")
            return 0
        if args.command in ("simulate", "tournament"):
            from game.sim.parallel import use_cluster

            with use_cluster(args.cluster):
                return (_simulate if args.command == "simulate" else _tournament)(args, progress)
        return {"rules": _rules, "replay": _replay, "report": _report, "review": _review, "golden": _golden,
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


def _load_playing_rules(directory: str):
    """The rules, and the computer players' styles of that folder (ai_styles.toml) checked now:
    a broken styles file is an error naming the file and the key before any game is played."""
    from game.players.styles import styles

    rules = load_rules(directory)
    styles(rules.source_dir)
    return rules


def _simulate(args, progress=None) -> int:
    from tqdm import tqdm

    from game.players import PLAYER_KINDS
    from game.sim.simulate import simulate

    rules = _load_playing_rules(args.rules)
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
                          save_dir=args.save_dir, progress=bar.update, jobs=args.jobs,
                          rotate=args.rotate, cluster=args.cluster)
    data = result.as_dict()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.games} games of '{args.scenario}', seeds {args.seed}..{args.seed + args.games - 1}, "
          f"mean rounds {data['mean_rounds']:.2f}")
    print(f"loop closed by someone at the end: {data['loop_closed_by_someone_rate']:.0%} "
          f"(closed during the game: {data['loop_closed_in_game_rate']:.0%}); "
          f"won on the GMV target: {data['target_win_rate']:.0%}")
    if args.rotate:
        print(f"players rotated over the seats game by game ({', '.join(kinds)}); per kind:")
        print(f"  {'kind':<16}{'games':>7}{'win rate':>10}{'95% CI':>14}   per seat")
        for kind, k in data["kinds"].items():
            lo, hi = k["win_ci"]
            seats = ", ".join(f"{cid} {s['win_rate']:.0%}" for cid, s in k["seats"].items())
            print(f"  {kind:<16}{k['games']:>7}{k['win_rate']:>10.1%}{f'{lo:.1%}-{hi:.1%}':>14}   {seats}")
    print(f"{'company':<12}{'player':<11}{'win rate':>9}{'95% CI':>13}{'mean GMV':>11}{'mean UX':>9}{'low UX':>8}"
          f"{'loop at end':>12}{'closed in game':>15}{'app launched':>13}{'rounds':>8}{'choices':>9}")
    for cid, c in data["companies"].items():
        lo, hi = c["win_ci"]
        player = "rotated" if args.rotate else data["players"][cid]
        print(f"{cid:<12}{player:<11}{c['win_rate']:>9.1%}{f'{lo:.0%}-{hi:.0%}':>13}{c['mean_gmv']:>11,.0f}"
              f"{c['mean_ux']:>9.1f}{c['mean_lowest_ux']:>8.1f}{c['loop_closed_rate']:>12.0%}"
              f"{c['loop_closed_in_game_rate']:>15.0%}{c['app_launched_in_game_rate']:>13.0%}"
              f"{c['mean_rounds']:>8.2f}{c['choices_per_decision']:>9.1f}")
    print("GMV in bn yuan, summed over the game; UX at the end and its lowest point; loop closed at")
    print("the end, and closed during the game; app launched during the game (Taobao's, there from")
    print("the start, does not count); choices: legal actions per real decision.")
    print("Loop closed and app launched during the game, mean round (of the games where it happened):")
    for cid, c in data["companies"].items():
        loop, app = c["loop_closed_mean_round"], c["app_launched_mean_round"]
        print(f"  {cid:<10} loop {c['loop_closed_in_game_rate']:.0%}"
              f"{f' in round {loop:.1f}' if loop is not None else ''}, app {c['app_launched_in_game_rate']:.0%}"
              f"{f' in round {app:.1f}' if app is not None else ''}")
    print("Capabilities built during the game, share of games (mean round):")
    for cid, c in data["companies"].items():
        caps = ", ".join(f"{cap} {v['built_rate']:.0%} ({v['mean_round']:.1f})"
                         for cap, v in sorted(c["capabilities"].items(), key=lambda kv: kv[1]["mean_round"]))
        print(f"  {cid:<10} {caps or '-'}")
    print("Actions taken, share per company:")
    for cid, c in data["companies"].items():
        shares = ", ".join(f"{k} {v:.0%}" for k, v in c["action_share"].items() if v >= 0.005)
        print(f"  {cid:<10} {shares}")
    if args.save_dir:
        print(f"saves written to {args.save_dir}")
    return 0


def _tournament(args, progress=None) -> int:
    import time

    from tqdm import tqdm

    from game.saves import write_text_atomic
    from game.sim.balance_doc import write_balance_doc
    from game.sim.tournament import (
        TournamentSpec,
        canonical_command,
        run_tournament,
        total_games,
    )

    for path in (args.out, args.markdown, args.svg):
        if path:
            ensure_writable_folder(Path(path).resolve().parent)   # before the games
    if args.from_json:
        from game.engine import read_regular_file

        if not args.markdown:
            raise ValueError("--from needs --markdown FILE.md (what to write from the saved result)")
        try:
            data = json.loads(read_regular_file(args.from_json, max_bytes=64 << 20).decode("utf-8"))
            if not isinstance(data, dict) or "seats" not in data or "equilibrium" not in data:
                raise ValueError("not a tournament result")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"{args.from_json}: cannot read a tournament result ({exc})") from None
        if "command" in data and "--markdown" not in data["command"]:
            data = dict(data, command=f"{data['command']} --out {args.from_json} --markdown {args.markdown}")
        md, svg = write_balance_doc(data, args.markdown, args.svg, _link(args.from_json, args.markdown))
        print(f"wrote {md} and {svg}")
        return 0
    if args.jobs < 1:
        raise ValueError("--jobs must be at least 1")
    rules = _load_playing_rules(args.rules)
    scen = rules.scenario(args.scenario)
    names = tuple(n.strip() for n in args.archetypes.split(",") if n.strip()) if args.archetypes else None
    spec = TournamentSpec(scenario=args.scenario, games=args.games, mix_games=args.mix_games,
                          seed=args.seed, baseline=args.baseline,
                          **({"archetypes": names} if names is not None else {})).resolved()
    rules_arg = None if Path(args.rules).resolve() == Path(DEFAULT_RULES).resolve() else args.rules
    command = canonical_command(spec, rules_arg, ("--rotate",) if args.rotate else ())
    started = time.perf_counter()
    with tqdm(total=total_games(spec, len(scen.companies)), unit="game", file=progress or sys.stderr,
              disable=None, leave=False, smoothing=0.05) as bar:
        result = run_tournament(args.rules, spec, jobs=args.jobs, progress=bar.update)
    elapsed = time.perf_counter() - started
    data = result.as_dict(command, rotate=args.rotate)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_text_atomic(args.out, text)
    if args.markdown:
        shown = dict(data, command=command + (f" --out {args.out}" if args.out else "")
                     + f" --markdown {args.markdown}")
        write_balance_doc(shown, args.markdown, args.svg,
                          _link(args.out, args.markdown) if args.out else None)
    if args.json:
        sys.stdout.write(text)
    else:
        _print_tournament(data)
        for path in (args.out, args.markdown):
            if path:
                print(f"wrote {path}")
    sys.stdout.flush()
    print(f"{int(result.raw.games.sum()):,} games in {elapsed:.0f} s with {args.jobs} job(s)",
          file=sys.stderr)
    return 0


def _link(target: str, page: str) -> str:
    """``target`` as a link from the page ``page``."""
    try:
        return Path(os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)).as_posix()
    except ValueError:
        return Path(target).resolve().as_posix()


def _print_tournament(data: dict) -> None:
    eq = data["equilibrium"]
    print(f"tournament of '{data['scenario']}', seed {data['seed']}: {len(data['archetypes'])} archetypes; "
          f"{data['games']} games against {data['baseline']}, {data['mix_games']} for every other mix")
    for seat, cells in data["seats"].items():
        print(f"\n{seat}")
        print(f"  {'archetype':<18}{'vs ' + data['baseline']:>16}{'95% CI':>12}{'worst case':>12}"
              f"{'alpha-rank':>12}{'Nash':>8}")
        twins = {t: kept for kept, ts in eq.get("same_games", {}).get(seat, {}).items() for t in ts}
        for name, c in sorted(cells.items(), key=lambda kv: -kv[1]["win_rate"]):
            lo, hi = c["ci"]
            meta = (f"{'= ' + twins[name]:>20}" if name in twins else
                    f"{eq['seats'][seat][name]:>12.1%}{eq['nash']['seats'][seat][name]:>8.1%}")
            print(f"  {name:<18}{c['win_rate']:>16.1%}{f'{lo:.0%}-{hi:.0%}':>12}"
                  f"{c['worst_case_win_rate']:>12.1%}{meta}")
        print(f"  ranking: {' > '.join(eq['ranking'][seat])}")
    if "kinds" in data:
        print(f"\nevery seat pooled (--rotate), against {data['baseline']} in the other seats")
        print(f"  {'archetype':<18}{'win rate':>10}{'95% CI':>12}{'games':>8}  by seat")
        for name, k in sorted(data["kinds"].items(), key=lambda kv: -kv[1]["win_rate"]):
            lo, hi = k["ci"]
            by_seat = ", ".join(f"{seat} {rate:.0%}" for seat, rate in k["seats"].items())
            print(f"  {name:<18}{k['win_rate']:>10.1%}{f'{lo:.0%}-{hi:.0%}':>12}{k['games']:>8}  {by_seat}")
    print(f"\nalpha-rank: alpha {eq['alpha']:g}, population {eq['population_size']}"
          f"{'' if eq['converged'] else ' (not settled)'}; Nash by fictitious play: NashConv "
          f"{eq['nash']['nash_conv']:.4f}")


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


def _report(args) -> int:
    from game.debrief import CsvGame, decisions_csv, load_lessons, write_report
    from game.debrief.report import game_from_save
    from game.saves import write_text_atomic

    rules = load_rules(args.rules)
    load_lessons(rules)                # a broken lessons.toml says so before any save is read
    games = []
    for path in args.files:
        game, problems = game_from_save(rules, path)
        for problem in problems:          # the game still reports; that forecast is left out
            print(f"warning: {path}: a forecast left out: {problem}", file=sys.stderr)
        games.append(game)
    out = write_report(rules, games, args.out, args.lang)
    print(f"wrote {out} ({len(games)} game{'s' if len(games) > 1 else ''})")
    if args.csv:
        text = decisions_csv(rules, [CsvGame(g.state, g.label, g.teams, g.reasons) for g in games], args.lang)
        print(f"wrote {write_text_atomic(args.csv, text)}")
    return 0


def _review(args) -> int:
    import json

    from game.debrief.timeline import action_label
    from game.saves import load_game
    from game.sim.parallel import default_jobs
    from game.sim.review import review_game

    rules = _load_playing_rules(args.rules)
    state, _ = load_game(rules, args.file)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    review = review_game(args.rules, state, samples=args.samples, confirm=args.confirm, jobs=jobs,
                         seed=args.seed)
    if args.json:
        print(json.dumps(review.as_dict(), ensure_ascii=False, indent=1))
        return 0
    lang = args.lang
    print(f"{args.file}: {len(review.decisions)} decisions reviewed ({args.samples} rollouts a candidate, "
          f"{args.confirm} more to confirm a loss)")
    for cid in state.players:
        counts = review.counts(cid)
        print(f"\n{rules.name_of('company', cid, lang)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        for d in review.costliest(cid):
            facts = f" [{', '.join(d.facts)}]" if d.facts else ""
            print(f"  #{d.index} round {d.round}: {action_label(rules, d.action, lang)} -> better "
                  f"{action_label(rules, d.best, lang)}: win chance {d.chosen_win:.0%} -> {d.best_win:.0%} "
                  f"(+{d.loss:.0%}){' ' + d.label if d.label else ''}{facts}")
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

    out = args.out
    if out is None:
        checkout = Path(__file__).resolve().parent.parent
        if (checkout / "benchmarks").is_dir() and (checkout / "pyproject.toml").is_file():
            out = str(checkout / "benchmarks" / "engine.json")
    if out:
        ensure_writable_folder(Path(out).resolve().parent)   # before the benchmark
    if args.probe and not Path(args.probe).is_file():
        raise ValueError(f"--probe {args.probe}: no such file")
    if args.scenario not in load_rules(args.rules).scenarios:
        raise ValueError(f"--scenario {args.scenario}: no such scenario")
    if args.search_decisions is not None and args.search_decisions < 0:
        raise ValueError("--search-decisions must be 0 or more")
    figures = run_bench(seconds=args.seconds, rules_dir=args.rules, scenario=args.scenario, probe=args.probe,
                        search_decisions=args.search_decisions)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for k, v in figures.items():
            print(f"{k:<34}{v:>14,.3f}" if isinstance(v, float) and v < 10 else
                  f"{k:<34}{v:>14,.1f}" if isinstance(v, float) else f"{k:<34}{v!s:>14}")
    if out:
        write_text_atomic(out, json.dumps(figures, indent=2) + "\n")
        if not args.json:
            print(f"written to {out}")
    return 0


def _rulebook(args) -> int:
    from game.docs.rulebook import main as rulebook_main

    return rulebook_main(["--check"] if args.check else [])
