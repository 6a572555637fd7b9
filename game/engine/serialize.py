"""A game as JSON text: rules version, scenario, seed, companies, the action list and a snapshot.

Loading never trusts the text: it checks the shape, replays the actions through the rules
(an illegal one is refused with its index and reason) and compares the replayed state with the
snapshot, so a tampered or mismatched file is refused with a clear message. No pickle, no eval.

>>> from game.engine import load_rules, new_game
>>> rules = load_rules("rules")
>>> state = new_game(rules, "default", seed=3)
>>> loads(rules, dumps(state)).snapshot() == state.snapshot()
True
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import facilitator
from .actions import Action
from .errors import IllegalActionError, SaveError

if TYPE_CHECKING:
    from .rules import Rules
    from .state import GameState

FORMAT = "closed-loop-save"
FORMAT_VERSION = 2


def to_dict(state: GameState, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {
        "format": FORMAT,
        # A save with facilitator interventions needs a reader that replays them (version 2);
        # one without stays readable by version 1.
        "format_version": FORMAT_VERSION if state.interventions else 1,
        "rules_version": state.rules.version,
        "rules_fingerprint": state.rules.fingerprint,
        "scenario": state.scenario.id,
        "seed": state.seed,
        "companies": list(state.players),
        "actions": [str(a) for a in state.history],
        "snapshot": state.snapshot(),
        "meta": meta or {},
    }
    if state.interventions:
        out["interventions"] = [iv.to_json() for iv in state.interventions]
    return out


def dumps(state: GameState, meta: dict[str, Any] | None = None) -> str:
    return json.dumps(to_dict(state, meta), ensure_ascii=False, indent=1)


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if key not in data:
        raise SaveError(f"the save has no '{key}' ({what})")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise SaveError(f"'{key}' in the save must be {what}, not {type(value).__name__}")
    return value


def from_dict(rules: Rules, data: Any) -> tuple[GameState, dict[str, Any]]:
    """Rebuild and verify a game from parsed JSON; returns the state and the file's meta."""
    from .game import new_game

    if not isinstance(data, dict):
        raise SaveError("a save must be a JSON object")
    if data.get("format") != FORMAT:
        raise SaveError(f"not a Closed Loop save (format is {data.get('format')!r}, expected {FORMAT!r})")
    version = _require(data, "format_version", int, "a whole number")
    if version > FORMAT_VERSION:
        raise SaveError(f"the save is format {version}; this game reads up to {FORMAT_VERSION}")
    rules_version = _require(data, "rules_version", str, "text")
    if rules_version != rules.version:
        raise SaveError(f"the save was made with rules {rules_version}, these rules are {rules.version}")
    scenario = _require(data, "scenario", str, "a scenario id")
    if scenario not in rules.scenarios:
        raise SaveError(f"unknown scenario '{scenario}' (known: {', '.join(rules.scenarios)})")
    seed = _require(data, "seed", int, "a whole number")
    if not 0 <= seed < 2 ** 63:
        raise SaveError(f"'seed' in the save must be a whole number from 0 to 2**63-1, not {seed}")
    companies = _require(data, "companies", list, "a list of company ids")
    actions = _require(data, "actions", list, "a list of actions")
    snapshot = _require(data, "snapshot", dict, "an object")
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise SaveError("'meta' in the save must be an object")
    if not all(isinstance(c, str) for c in companies):
        raise SaveError("'companies' must list company ids")
    try:
        state = new_game(rules, scenario, seed, companies)
    except ValueError as exc:
        raise SaveError(f"bad 'companies': {exc}") from None
    raw_iv = data.get("interventions", [])
    if not isinstance(raw_iv, list) or not all(isinstance(x, dict) for x in raw_iv):
        raise SaveError("'interventions' in the save must be a list of objects")
    pending = sorted(enumerate(raw_iv), key=lambda p: (_at(p[1], p[0], len(actions)), p[0]))

    def intervene_until(n: int) -> None:
        while pending and _at(pending[0][1], pending[0][0], len(actions)) <= n:
            k, item = pending.pop(0)
            try:
                facilitator.replay(state, item)
            except (ValueError, KeyError) as exc:
                raise SaveError(f"intervention #{k + 1} cannot be replayed: {exc}") from None

    for i, text in enumerate(actions):
        intervene_until(i)
        if not isinstance(text, str):
            raise SaveError(f"action #{i + 1} must be text like 'build:shop', not {text!r}")
        try:
            state.apply_action(Action.parse(text))
        except (ValueError, IllegalActionError) as exc:
            raise SaveError(f"action #{i + 1} '{text}' cannot be replayed: {exc}") from None
    intervene_until(len(actions))
    if state.snapshot() != snapshot:
        diff = _first_difference(state.snapshot(), snapshot)
        hint = ("" if data.get("rules_fingerprint") in (None, rules.fingerprint)
                else " The rules files have changed since it was saved.")
        raise SaveError(f"the save does not match its own replay at {diff}: it was edited or is "
                        f"damaged.{hint}")
    return state, meta


def _at(item: dict[str, Any], k: int, n_actions: int) -> int:
    at = item.get("at")
    if isinstance(at, bool) or not isinstance(at, int) or not 0 <= at <= n_actions:
        raise SaveError(f"intervention #{k + 1}: 'at' must be a whole number from 0 to {n_actions}")
    return at


def loads(rules: Rules, text: str | bytes) -> GameState:
    state, _ = loads_with_meta(rules, text)
    return state


def loads_with_meta(rules: Rules, text: str | bytes) -> tuple[GameState, dict[str, Any]]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise SaveError("the save is not valid JSON: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an over-long number
        raise SaveError(f"the save is not valid JSON: {exc}") from None
    return from_dict(rules, data)


def _first_difference(a: Any, b: Any, path: str = "snapshot") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path} (replay gives {a!r}, file says {b!r})"
