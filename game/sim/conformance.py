"""The conformance run: put any rules folder through the engine's contract.

``python main.py rules test [DIR]`` calls :func:`run_conformance`. For every scenario of the
folder it plays random games to the end and checks, all along:

- the invariants of :func:`game.sim.invariants.check_invariants` after every action;
- that ``legal_actions()`` and ``why_illegal()`` agree on every possible action, and that an
  illegal action raises ``IllegalActionError`` and leaves the state exactly as it was;
- undo: now and then it takes back a few actions, compares the whole state with what it was
  before them (random generator included), and plays them again;
- save and load: the finished game's JSON loads back to the identical snapshot;
- replay: seed + action list gives the identical state;
- the heuristic players finish games of the scenario in the bounded number of actions.

It returns a :class:`ConformanceReport` (``ok``, ``lines`` to print, ``figures``).
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.engine import Action, GameState, IllegalActionError, RulesError, load_rules, new_game, replay
from game.engine.serialize import dumps, loads
from game.players import make_player
from game.session import Move, PlayerError, Session, SessionHooks, action_bound
from game.sim.invariants import PlayerContract, check_invariants, digest

MAX_FAILURES_SHOWN = 25


@dataclass
class ConformanceReport:
    """What a conformance run found. ``ok`` is False if anything failed."""

    rules_dir: str
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.ok = False
        self.failures.append(message)

    def __str__(self) -> str:
        return "\n".join(self.lines)


class _Game(SessionHooks):
    """One checked random game: the player of every seat (:meth:`choose`) and the session hooks
    that check the engine around each of its actions."""

    def __init__(self, report: ConformanceReport, state: GameState, seed: int, style: int,
                 undo_every: int, counts: Counter):
        self.report, self.state, self.seed = report, state, seed
        # 0: uniform random; 1: random, ending a turn only when nothing else is legal;
        # 2: mostly the heuristic player, sometimes eager random (reaches apps and migration).
        self.eager = style >= 1
        self.guide = make_player("heuristic", seed) if style == 2 else None
        self.rng = np.random.default_rng(seed)
        self.undo_every = undo_every
        self.counts = counts
        self.where = f"{state.scenario.id} seed {seed}"
        self.universe = list(state.action_space)  # every action, every target, legal or not
        self.digests: list[dict] = []  # digest before each action of the history
        self.undo_checks = 0
        self.failed = False
        self.chosen: Action | None = None  # chosen and not yet applied: the engine's turn

    def fail(self, message: str) -> None:
        self.failed = True
        self.report.fail(f"{self.where}, action #{len(self.state.history) + 1}: {message}")

    def choose(self, state: GameState) -> Action:
        if self.guide is not None and self.rng.random() < 0.7:
            return self.guide.choose(state)
        legal = state.legal_actions()
        if self.eager and len(legal) > 1:
            legal = [a for a in legal if state.rules.action(a.id).kind != "end_turn"] or legal
        return legal[int(self.rng.integers(len(legal)))]

    # ------------------------------------------------------------------ the hooks

    def before_action(self, state: GameState, company: str) -> None:
        self.chosen = None
        n = len(state.history)
        self.check_legality(deep=n % 7 == 0)
        self.digests[n:] = [digest(state)]

    def on_choice(self, state: GameState, company: str, action: Action) -> None:
        self.chosen = action

    def on_action(self, state: GameState, move: Move) -> None:
        self.chosen = None
        self.counts[move.action.id] += 1
        problems = check_invariants(state)
        if problems:
            self.fail(f"after '{move.action}': " + "; ".join(problems))
            return
        if self.undo_every and len(state.history) % self.undo_every == 0:
            self.check_undo()

    def check_legality(self, deep: bool) -> None:
        s = self.state
        legal = set(s.legal_actions())
        for a in self.universe:
            r = s.why_illegal(a)
            if (r is None) != (a in legal):
                self.fail(f"legal_actions() and why_illegal() disagree on '{a}' "
                          f"(why_illegal: {r.code if r else 'legal'})")
                return
        if not deep:
            return
        illegal = [a for a in self.universe if a not in legal]
        if not illegal:
            return
        a = illegal[int(self.rng.integers(len(illegal)))]
        before = digest(s)
        try:
            s.apply_action(a)
        except IllegalActionError as exc:
            if not exc.reason.code or exc.reason.code not in s.rules.reasons:
                self.fail(f"'{a}' refused with rule code {exc.reason.code!r}, which texts.toml does not explain")
            if digest(s) != before:
                self.fail(f"refusing illegal '{a}' changed the state")
        except Exception as exc:  # noqa: BLE001 - any other error is a finding
            self.fail(f"illegal '{a}' raised {type(exc).__name__}: {exc}")
        else:
            self.fail(f"illegal '{a}' was accepted")
            s.undo()

    def check_undo(self) -> None:
        s = self.state
        k = int(self.rng.integers(1, min(6, len(s.history)) + 1))
        now = digest(s)
        redo = []
        for _ in range(k):
            redo.append(s.undo())
        if digest(s) != self.digests[len(s.history)]:
            self.fail(f"undoing {k} action(s) ({', '.join(map(str, reversed(redo)))}) does not "
                      f"restore the state before them")
        for a in reversed(redo):
            s.apply_action(a)
        if digest(s) != now:
            self.fail(f"redoing {k} undone action(s) does not give the same state again")
        self.undo_checks += 1

    def run(self, max_actions: int) -> GameState:
        s = self.state
        problems = check_invariants(s)
        if problems:
            self.fail("invariants broken at the start: " + "; ".join(problems))
        session = Session(s, {cid: self for cid in s.players}, [self])
        while not s.is_terminal() and not self.failed:
            if len(s.history) >= max_actions:
                self.fail(f"no end after {max_actions} actions")
                break
            try:
                session.step()
            except Exception as exc:  # noqa: BLE001
                if self.chosen is None:
                    raise      # a check or the player failed, not the engine's move
                cause = exc.error if isinstance(exc, PlayerError) else exc
                self.fail(f"legal '{self.chosen}' raised {type(cause).__name__}: {cause}\n"
                          + traceback.format_exc(limit=4))
                break
        return s


def _max_actions(state: GameState) -> int:
    return action_bound(state) + 1


def run_conformance(rules_dir: str | Path, games: int = 20, seed: int = 0,
                    heuristic_games: int = 2, undo_every: int = 5) -> ConformanceReport:
    """Put a rules folder through the engine's contract; ``games`` checked games per scenario.

    The games cycle through three styles of play: uniform random, eager random (ends a turn
    only when nothing else is legal) and mostly-heuristic, so that deep states (closed loops,
    launched apps) are reached too.
    """
    report = ConformanceReport(str(rules_dir))
    lines = report.lines
    t0 = time.perf_counter()
    try:
        rules = load_rules(rules_dir)
    except RulesError as exc:
        report.ok = False
        lines.append(f"{rules_dir}: the rules do not load ({len(exc.problems)} problem(s)):")
        lines += [f"  - {p}" for p in exc.problems]
        report.failures += [str(p) for p in exc.problems]
        return report
    lines.append(f"{rules_dir}: rules version {rules.version} load and validate "
                 f"({len(rules.capabilities)} capabilities, {len(rules.actions)} actions, "
                 f"{len(rules.events)} events, {len(rules.scenarios)} scenarios)")
    total_actions = 0
    for sid in sorted(rules.scenarios, key=lambda s: (rules.scenarios[s].order, s)):
        fails_before = len(report.failures)
        counts: Counter = Counter()
        figs = {"games": 0, "actions": 0, "undo_checks": 0, "rounds": 0, "loops_closed": 0,
                "apps_launched": 0, "target_wins": 0}
        for g in range(games):
            gseed = seed + g
            try:
                state = new_game(rules, sid, gseed)
            except Exception as exc:  # noqa: BLE001
                report.fail(f"{sid} seed {gseed}: cannot start a game: {exc}")
                break
            game = _Game(report, state, gseed, style=g % 3, undo_every=undo_every, counts=counts)
            try:
                game.run(_max_actions(state))
            except Exception as exc:  # noqa: BLE001
                report.fail(f"{sid} seed {gseed}: {type(exc).__name__}: {exc}")
                continue
            figs["games"] += 1
            figs["actions"] += len(state.history)
            figs["undo_checks"] += game.undo_checks
            figs["rounds"] += state.round
            figs["loops_closed"] += sum(cs.loop_closed for cs in state.companies)
            figs["apps_launched"] += sum(cs.launched_round is not None and cs.launched_round > 0
                                         for cs in state.companies)
            figs["target_wins"] += state.win_reason == "target"
            if game.failed:
                continue
            _check_save_and_replay(report, rules, state, f"{sid} seed {gseed}")
        hfigs = _check_heuristics(report, rules, sid, seed, heuristic_games)
        total_actions += figs["actions"]
        never = [a.id for a in rules.actions if counts[a.id] == 0]
        report.figures[sid] = dict(figs, actions_taken=dict(counts), never_taken=never, **hfigs)
        n = max(figs["games"], 1)
        status = "ok" if len(report.failures) == fails_before else \
            f"FAILED ({len(report.failures) - fails_before})"
        lines.append(
            f"  {sid:<18} {status}: {figs['games']} games, {figs['actions']} actions, "
            f"{figs['undo_checks']} undo checks, mean rounds {figs['rounds'] / n:.1f}, "
            f"loops closed {figs['loops_closed']}, apps launched {figs['apps_launched']}; "
            f"heuristic games finished {hfigs['heuristic_finished']}/{heuristic_games}")
        if never:
            lines.append(f"    note: the checked games never took {', '.join(never)}")
    elapsed = time.perf_counter() - t0
    report.figures["seconds"] = elapsed
    report.figures["actions"] = total_actions
    if report.failures:
        lines.append(f"{len(report.failures)} failure(s):")
        for f in report.failures[:MAX_FAILURES_SHOWN]:
            lines.append(f"  - {f}")
        if len(report.failures) > MAX_FAILURES_SHOWN:
            lines.append(f"  ... and {len(report.failures) - MAX_FAILURES_SHOWN} more")
    lines.append(f"{total_actions} checked actions in {elapsed:.1f} s")
    return report


def _check_save_and_replay(report: ConformanceReport, rules, state: GameState, where: str) -> None:
    try:
        text = dumps(state)
        loaded = loads(rules, text)
    except Exception as exc:  # noqa: BLE001
        report.fail(f"{where}: the save does not load back: {exc}")
        return
    if loaded.snapshot() != state.snapshot():
        report.fail(f"{where}: save/load round trip changes the snapshot")
    try:
        again = replay(rules, state.scenario.id, state.seed, list(state.history), state.players)
    except Exception as exc:  # noqa: BLE001
        report.fail(f"{where}: replaying the action list fails: {exc}")
        return
    a, b = digest(again), digest(state)
    a.pop("history"), b.pop("history")
    # Undo checks make the original's log and records grow the same way; compare everything.
    if a != b:
        diff = next(k for k in a if a[k] != b.get(k))
        report.fail(f"{where}: replaying seed + actions gives a different state ({diff})")


def _check_heuristics(report: ConformanceReport, rules, sid: str, seed: int, games: int) -> dict:
    finished = 0
    for g in range(games):
        gseed = seed + 1000 + g
        try:
            state = new_game(rules, sid, gseed)
            seats = {cid: make_player("heuristic", gseed * 7919 + i)
                     for i, cid in enumerate(state.players)}
            where = f"{sid} seed {gseed}"

            def on_problem(problem: str, where: str = where) -> None:
                report.fail(f"{where}: {problem}")

            contract = PlayerContract(on_problem)
            limit = _max_actions(state)
            Session(state, seats, [contract]).play(max_actions=limit)
            if state.is_terminal():
                finished += 1
                problems = check_invariants(state)
                if problems:
                    report.fail(f"{sid} heuristic seed {gseed}: " + "; ".join(problems))
            else:
                report.fail(f"{sid} seed {gseed}: heuristic players did not finish in {limit} actions")
        except Exception as exc:  # noqa: BLE001
            report.fail(f"{sid} seed {gseed}: heuristic play failed: {type(exc).__name__}: {exc}")
    return {"heuristic_finished": finished}


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m game.sim.conformance")
    p.add_argument("dir", nargs="?", default="rules")
    p.add_argument("--games", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    report = run_conformance(args.dir, args.games, args.seed)
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
