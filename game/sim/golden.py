"""Golden playthroughs: stored games whose outcome must not move unless the rules meant it to.

Each file in ``tests/golden/`` holds a scenario, a seed, the computer players' kinds, the full
action list they played and the key figures at the end (per company: total GMV rounded to
0.01, users, user experience, loop closed; the winner; the rounds played).

:func:`check` plays every stored game again (same seed, same players) and replays its stored
action list, and lists every difference. When a rules change moves outcomes on purpose,
regenerate them with ``python main.py golden --update`` (that is :func:`regenerate`), look at
the diff of ``tests/golden/`` and commit it with the rules change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from game.engine import Action, GameState, IllegalActionError, load_rules, new_game
from game.paths import ROOT, RULES_DIR
from game.sim.simulate import play_game

GOLDEN_DIR = ROOT / "tests" / "golden"
FORMAT = "closed-loop-golden"
UPDATE_HINT = "python main.py golden --update"

# (scenario, seed, player kinds in the scenario's company order)
COMBOS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("default", 1, ("heuristic", "heuristic", "heuristic")),
    ("default", 2, ("heuristic", "random", "heuristic")),
    ("default", 3, ("random", "random", "random")),
    ("no_link_ban", 4, ("heuristic", "heuristic", "heuristic")),
    ("cainiao_monopoly", 5, ("heuristic", "heuristic", "random")),
    ("channels_early", 6, ("heuristic", "heuristic", "heuristic")),
)


def file_name(scenario: str, seed: int, kinds: Sequence[str]) -> str:
    return f"{scenario}-seed{seed}-{'-'.join(kinds)}.json"


def figures(state: GameState) -> dict[str, Any]:
    """The key figures a golden playthrough pins down."""
    return {
        "rounds": state.round,
        "terminal": state.terminal,
        "winner": state.winner_id,
        "win_reason": state.win_reason,
        "companies": {cs.id: {
            "gmv_total": round(cs.gmv_total, 2),
            "users": round(cs.users, 2),
            "ux": round(cs.ux, 2),
            "loop_closed": cs.loop_closed,
            "app_launched": cs.app_launched,
        } for cs in state.companies},
    }


def record(rules, scenario: str, seed: int, kinds: Sequence[str]) -> dict[str, Any]:
    """Play one golden game and return its file content."""
    state = play_game(rules, scenario, seed, list(kinds))
    return {
        "format": FORMAT,
        "rules_version": rules.version,
        "scenario": scenario,
        "seed": seed,
        "players": list(kinds),
        "companies": list(state.players),
        "actions": [str(a) for a in state.history],
        "expected": figures(state),
    }


def regenerate(rules_dir: str | Path = RULES_DIR, out_dir: str | Path = GOLDEN_DIR,
               combos: Iterable[tuple[str, int, Sequence[str]]] = COMBOS) -> list[Path]:
    """Play every golden combo with the current rules and (re)write its file; returns the paths.

    Files of combos no longer listed are removed, so the folder always matches :data:`COMBOS`.
    """
    rules = load_rules(rules_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for scenario, seed, kinds in combos:
        if scenario not in rules.scenarios:
            continue
        path = out / file_name(scenario, seed, kinds)
        data = record(rules, scenario, seed, kinds)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    for old in out.glob("*.json"):
        if old not in written:
            old.unlink()
    return written


def load(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a golden playthrough (format {FORMAT!r})")
    return data


def replay_stored(rules, data: dict[str, Any]) -> tuple[GameState, str | None]:
    """Replay a golden file's action list; returns the state and the first refusal, if any."""
    state = new_game(rules, data["scenario"], data["seed"], data["companies"])
    for i, text in enumerate(data["actions"]):
        try:
            state.apply_action(Action.parse(text))
        except (ValueError, IllegalActionError) as exc:
            return state, f"stored action #{i + 1} '{text}' is no longer legal: {exc}"
    return state, None


def _diff(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for k in list(expected) + [k for k in actual if k not in expected]:
            out += _diff(expected.get(k), actual.get(k), f"{path}.{k}" if path else str(k))
        return out
    if expected != actual:
        return [f"{path}: expected {expected!r}, now {actual!r}"]
    return []


def check_one(rules, path: str | Path) -> list[str]:
    """Differences between one golden file and what the current rules and players give."""
    path = Path(path)
    name = path.name
    try:
        data = load(path)
    except (OSError, ValueError) as exc:
        return [f"{name}: cannot be read: {exc}"]
    if data["scenario"] not in rules.scenarios:
        return [f"{name}: scenario '{data['scenario']}' is no longer in the rules"]
    problems = []
    # 1. The stored action list must still be legal and end where it ended.
    state, refused = replay_stored(rules, data)
    if refused:
        problems.append(f"{name}: {refused}")
    elif not state.is_terminal():
        problems.append(f"{name}: replaying the stored actions no longer ends the game "
                        f"(round {state.round})")
    else:
        problems += [f"{name}: replay of stored actions: {d}"
                     for d in _diff(data["expected"], figures(state))]
    # 2. The same players with the same seed must still play the same game.
    fresh = play_game(rules, data["scenario"], data["seed"], data["players"], data["companies"])
    actions = [str(a) for a in fresh.history]
    if actions != data["actions"]:
        i = next((j for j, (a, b) in enumerate(zip(actions, data["actions"])) if a != b),
                 min(len(actions), len(data["actions"])))
        got = actions[i] if i < len(actions) else "(end)"
        want = data["actions"][i] if i < len(data["actions"]) else "(end)"
        problems.append(f"{name}: the players now play differently from action #{i + 1} "
                        f"(stored '{want}', now '{got}'; {len(data['actions'])} -> {len(actions)} actions)")
    problems += [f"{name}: outcome moved: {d}" for d in _diff(data["expected"], figures(fresh))]
    return problems


def check(rules_dir: str | Path = RULES_DIR, golden_dir: str | Path = GOLDEN_DIR) -> list[str]:
    """Every difference between the stored golden playthroughs and the current rules.

    Empty when nothing moved. Missing or extra files (against :data:`COMBOS`) count too.
    """
    rules = load_rules(rules_dir)
    folder = Path(golden_dir)
    problems = []
    expected = {file_name(s, seed, k) for s, seed, k in COMBOS if s in rules.scenarios}
    present = {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()
    for missing in sorted(expected - present):
        problems.append(f"{missing}: missing")
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        problems += check_one(rules, path)
    return problems


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m game.sim.golden")
    p.add_argument("--update", action="store_true")
    args = p.parse_args(argv)
    if args.update:
        print(f"wrote {len(regenerate())} golden playthroughs")
        return 0
    problems = check()
    print("\n".join(problems) or "golden playthroughs: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
