"""The rule authors' testing kit: start a game in a given state, act, assert, in a few lines.

>>> from game.testing import start, set_company, play, check_invariants
>>> state = start("default", seed=1)
>>> set_company(state, "bytedance", capital=100.0, built=["own_payment"])
>>> play(state, "build:installments")
>>> state.node_state("bytedance", "installments") in ("in_progress", "built")
True
>>> check_invariants(state)
[]

It is also a pytest plugin (``pytest_plugins = ["game.testing"]`` in tests/conftest.py) with
the fixtures ``rules`` (the real rules, loaded once), ``game`` (a fresh default game) and
``new_state`` (the :func:`start` factory).

Everything here reads its numbers from the rules at run time, so tests written with it keep
passing while the numbers are tuned, and fail when a mechanic breaks.
"""

from __future__ import annotations

import math
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from game.engine import (
    Action,
    GameState,
    IllegalActionError,
    Rules,
    load_rules,
    new_game,
)
from game.engine.graph import bits
from game.paths import ROOT, RULES_DIR
from game.sim.invariants import check_invariants, digest

__all__ = [
    "ROOT", "RULES_DIR", "assert_illegal", "assert_invariants", "check_invariants", "copy_rules",
    "company", "digest", "end_round", "end_turn", "get_rules", "give_turn", "legal",
    "play", "prerequisites", "reason", "returns_within", "set_company", "start", "step_cost",
]

# ------------------------------------------------------------------------------ rules

_CACHE: dict[str, tuple[float, Rules]] = {}


def _resolve_dir(rules_dir: str | Path) -> Path:
    path = Path(rules_dir)
    if not path.is_absolute() and not path.exists() and (ROOT / path).exists():
        path = ROOT / path
    return path.resolve()


def _stamp(path: Path) -> float:
    return max((p.stat().st_mtime for p in path.rglob("*.toml")), default=0.0)


def get_rules(rules_dir: str | Path = "rules") -> Rules:
    """Load (and cache) a rules folder; reloads when one of its files changed.

    A relative ``rules_dir`` that does not exist from the current directory is looked up from
    the project root, so ``"rules"`` works wherever pytest is started.
    """
    path = _resolve_dir(rules_dir)
    stamp = _stamp(path) if path.is_dir() else 0.0
    hit = _CACHE.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    rules = load_rules(path)
    _CACHE[str(path)] = (stamp, rules)
    return rules


def copy_rules(dest: str | Path, src: str | Path = "rules") -> Path:
    """Copy a rules folder to ``dest`` (e.g. pytest's ``tmp_path / "rules"``) for editing."""
    dest = Path(dest)
    shutil.copytree(_resolve_dir(src), dest)
    return dest


# ------------------------------------------------------------------------------ starting

def start(scenario: str = "default", seed: int = 0, companies: Iterable[str] | None = None,
          rules_dir: str | Path = "rules", rules: Rules | None = None,
          **overrides: dict[str, Any]) -> GameState:
    """A fresh game of ``scenario``; keyword arguments named after a company set it up.

    >>> s = start("default", seed=3, bytedance=dict(capital=50.0, ux=40.0))
    >>> s.company("bytedance").capital
    50.0
    """
    rules = rules or get_rules(rules_dir)
    state = new_game(rules, scenario, seed, companies)
    for cid, fields in overrides.items():
        if cid not in state.players:
            raise TypeError(f"start() got '{cid}', which is not a company of this game "
                            f"({', '.join(state.players)})")
        if not isinstance(fields, dict):
            raise TypeError(f"start({cid}=...) takes a dict of set_company() fields")
        set_company(state, cid, **fields)
    return state


def company(state: GameState, company_id: str | None = None):
    """A company's state (the one to move if no id is given)."""
    return state.company(company_id or state.current_company)


def step_cost(state: GameState, company_id: str, capability: str) -> float:
    """Capital one build step of ``capability`` costs ``company_id`` (powers and multipliers in)."""
    prof = state.profile(company_id)
    build = next(a for a in state.rules.actions if a.kind == "build")
    return prof.step_cost[state.rules.capability_index(capability)] * prof.action_cost_mult[build.index]


def prerequisites(state: GameState, capability: str, company_id: str | None = None) -> list[str]:
    """Capabilities to build, in order, so that ``capability`` is built (the cheapest way).

    Counts what ``company_id`` already has (nothing if None); ends with ``capability`` itself.
    """
    rules = state.rules
    k = rules.capability_index(capability)
    cost: Sequence[float]
    if company_id is None:
        built, progress, locked = 0, [0] * len(rules.capabilities), 0
        cost = [c.cost for c in rules.capabilities]
    else:
        cs = state.company(company_id)
        prof = state.profile(company_id)
        built, progress, locked, cost = cs.built, cs.progress, prof.locked, prof.step_cost
    plan = state.graph.plan_for(k, built, cost, progress, [c.work for c in rules.capabilities], locked)
    if plan is None:
        raise ValueError(f"'{capability}' cannot be reached")
    return [state.graph.ids[j] for j in state.graph.topological_order if plan[0] >> j & 1]


# ------------------------------------------------------------------------------ setting up

_NUMERIC = ("capital", "traffic", "ux", "users", "data", "gmv_total", "demand")


def set_company(state: GameState, company_id: str, *, capital: float | None = None,
                traffic: float | None = None, ux: float | None = None,
                users: float | None = None, built: Iterable[str] | None = None,
                unbuilt: Iterable[str] | None = None, built_exactly: Iterable[str] | None = None,
                progress: dict[str, int] | None = None, app_launched: bool | None = None,
                app_share: float | None = None, talent: int | None = None,
                data: float | None = None, gmv_total: float | None = None,
                demand: float | None = None) -> None:
    """Edit one company for a test's setup, keeping the state consistent.

    ``built``: make these capabilities built, with whatever prerequisites they still lack (the
    cheapest way). ``unbuilt``: take these away, and everything built on them.
    ``built_exactly``: the whole built set (it must satisfy every prerequisite).
    ``progress``: ``{capability: steps}``; a full count builds it (prerequisites must be there).
    ``app_launched=True`` counts as launched this round. The built bitmask, conversion, traffic
    bonus, UX relief and loop status are then recomputed by the engine itself.

    Set a company up before acting: the undo stack keeps what was there before an action.
    """
    idx = state.players.index(company_id) if company_id in state.players else -1
    if idx < 0:
        raise KeyError(f"'{company_id}' is not in this game ({', '.join(state.players)})")
    rules = state.rules
    graph = state.graph
    # Work on a private copy: the undo stack (and clones) may hold the old object.
    cs = state.companies[idx].copy()
    work = [c.work for c in rules.capabilities]
    eco = rules.economy

    def index(cap: str) -> int:
        if not rules.has_capability(cap):
            raise KeyError(f"unknown capability '{cap}'")
        return rules.capability_index(cap)

    if built_exactly is not None:
        cs.progress = [0] * len(work)
        for cap in built_exactly:
            k = index(cap)
            cs.progress[k] = work[k]
    if unbuilt is not None:
        for cap in unbuilt:
            cs.progress[index(cap)] = 0
        changed = True
        while changed:  # also take away what stood on them
            changed = False
            mask = sum(1 << k for k in range(len(work)) if cs.progress[k] >= work[k])
            for k in range(len(work)):
                if cs.progress[k] and not graph.is_available(mask, k):
                    cs.progress[k] = 0
                    changed = True
    if built is not None:
        for cap in built:
            k = index(cap)
            mask = sum(1 << j for j in range(len(work)) if cs.progress[j] >= work[j])
            plan = graph.plan_for(k, mask, [c.cost for c in rules.capabilities], cs.progress, work)
            if plan is None:
                raise ValueError(f"'{cap}' cannot be built")
            for j in bits(plan[0]):
                cs.progress[j] = work[j]
    if progress is not None:
        for cap, steps in progress.items():
            k = index(cap)
            if not 0 <= steps <= work[k]:
                raise ValueError(f"progress of '{cap}' must be 0..{work[k]}, not {steps}")
            cs.progress[k] = int(steps)
    cs.built = sum(1 << k for k in range(len(work)) if cs.progress[k] >= work[k])
    if not graph.consistent(cs.built):
        bad = [graph.ids[k] for k in bits(cs.built) if not graph.is_available(cs.built, k)]
        raise ValueError(f"{company_id}: {', '.join(bad)} would be built without its prerequisites")
    for k in range(len(work)):
        if 0 < cs.progress[k] < work[k] and not graph.is_available(cs.built, k):
            raise ValueError(f"{company_id}: '{graph.ids[k]}' is in progress without its prerequisites")

    values = {"capital": capital, "traffic": traffic, "ux": ux, "users": users, "data": data,
              "gmv_total": gmv_total, "demand": demand}
    for name, value in values.items():
        if value is None:
            continue
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, not {value}")
        setattr(cs, name, float(value))
    if ux is not None and ux > eco.ux_max:
        raise ValueError(f"ux must be at most ux_max = {eco.ux_max}")
    if users is not None and users > eco.internet_users:
        raise ValueError(f"users must be at most internet_users = {eco.internet_users}")
    if traffic is not None:
        cs.traffic_start = max(cs.traffic_start, cs.traffic)
    if app_launched is not None:
        cs.app_launched = bool(app_launched)
        cs.launched_round = state.round if app_launched else None
        if not app_launched:
            cs.app_share = 0.0
    if app_share is not None:
        if not 0.0 <= app_share <= 1.0:
            raise ValueError("app_share must be within 0..1")
        cs.app_share = float(app_share)
    if talent is not None:
        if not 0 <= talent <= eco.max_talent:
            raise ValueError(f"talent must be within 0..{eco.max_talent}")
        cs.talent = int(talent)
    state.companies[idx] = cs
    state.game.refresh_company(cs)


# ------------------------------------------------------------------------------ acting

def play(state: GameState, *actions: Action | str) -> None:
    """Apply actions in order, e.g. ``play(state, "build:own_payment", "sell", "end_turn")``."""
    for a in actions:
        state.apply_action(a)


def legal(state: GameState) -> list[str]:
    """The legal actions of the company to move, as text."""
    return [str(a) for a in state.legal_actions()]


def reason(state: GameState, action: Action | str) -> str | None:
    """The rule code that makes ``action`` illegal now, or None if it is legal."""
    r = state.why_illegal(action)
    return None if r is None else r.code


def end_turn(state: GameState) -> None:
    eid = _end_turn_id(state)
    state.apply_action("end_turn" if eid is None else eid)


def _end_turn_id(state: GameState) -> str | None:
    spec = next((a for a in state.rules.actions if a.kind == "end_turn"), None)
    return None if spec is None else spec.id


def end_round(state: GameState) -> None:
    """End turns until the next round starts (or the game ends)."""
    if state.is_terminal():
        raise ValueError("the game is over")
    r = state.round
    while state.round == r and not state.is_terminal():
        end_turn(state)


def give_turn(state: GameState, company_id: str) -> None:
    """End turns until ``company_id`` is to move (in this round or the next)."""
    if company_id not in state.players:
        raise KeyError(f"'{company_id}' is not in this game ({', '.join(state.players)})")
    for _ in range(2 * len(state.players) + 1):
        if state.current_company == company_id:
            return
        if state.is_terminal():
            raise ValueError(f"the game ended before {company_id} could move")
        end_turn(state)
    if state.current_company != company_id:
        raise AssertionError(f"{company_id} never got the turn")


# ------------------------------------------------------------------------------ checking

def assert_invariants(state: GameState) -> None:
    """Fail with every broken invariant listed."""
    problems = check_invariants(state)
    if problems:
        raise AssertionError("invariants broken:\n  " + "\n  ".join(problems))


def assert_illegal(state: GameState, action: Action | str, code: str | None = None) -> IllegalActionError:
    """Assert that ``action`` raises IllegalActionError (with rule ``code``) and changes nothing."""
    before = digest(state)
    try:
        state.apply_action(action)
    except IllegalActionError as exc:
        after = digest(state)
        if after != before:
            raise AssertionError(f"illegal '{action}' changed the state") from None
        if code is not None and exc.reason.code != code:
            raise AssertionError(f"'{action}' broke rule '{exc.reason.code}', expected '{code}'") from None
        return exc
    raise AssertionError(f"'{action}' was accepted; expected it to be illegal"
                         + (f" ({code})" if code else ""))


# ------------------------------------------------------------------------------ pytest plugin

try:
    import pytest
    _HAVE_PYTEST = True
except ImportError:  # pragma: no cover - the kit works without pytest too
    _HAVE_PYTEST = False

if _HAVE_PYTEST:
    @pytest.fixture(scope="session")
    def rules() -> Rules:
        """The project's rules folder, loaded once per test session."""
        return get_rules("rules")

    @pytest.fixture
    def game(rules: Rules) -> GameState:
        """A fresh default game, seed 0."""
        return new_game(rules, "default", 0)

    @pytest.fixture
    def new_state(rules: Rules):
        """The :func:`start` factory, on the session's rules: ``new_state(seed=3, tencent={...})``."""
        def factory(scenario: str = "default", seed: int = 0, companies=None, **overrides):
            if "rules_dir" in overrides:
                return start(scenario, seed, companies, **overrides)
            return start(scenario, seed, companies, rules=rules, **overrides)
        return factory


def returns_within(seconds: float, fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Call ``fn(*args)`` in a daemon thread: ``{"value": result}`` or ``{"error": exception}``.

    A call still running after ``seconds`` fails the test with an AssertionError, so a
    regression that blocks (a FIFO, a device, an endless loop) is reported, not a stuck run.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{getattr(fn, '__name__', fn)}{args} did not return within {seconds} s"
    return outcome
