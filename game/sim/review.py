"""Game review (issue 13, item 6): every decision of a finished game scored by rollouts from the
position before it, the chosen action against the best one, in win chance, and labelled as
chess sites do (a loss of 0.05 / 0.10 / 0.20 or more: inaccuracy / mistake / blunder).

Rollouts play the heuristic in every seat on futures drawn afresh (``clone(chance_seed=...)``:
the review never plans on the real future deck), the rivals with a style drawn per sample. All
candidates of a decision meet the same samples (common random numbers), so their differences
are measured with far less noise than their levels; the chosen and the best action then get a
second, larger round of samples before a label is given. Decisions are independent tasks: the
result is the same for any ``jobs``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from game.engine import Action, GameState, Rules, facilitator, new_game
from game.players.heuristic import HeuristicPlayer
from game.players.style import HeuristicStyle

from .parallel import rules_for, run_ordered

#: (least win-chance loss, label), worst first.
LABELS: tuple[tuple[float, str], ...] = ((0.20, "blunder"), (0.10, "mistake"), (0.05, "inaccuracy"))


def label_of(loss: float) -> str | None:
    for threshold, name in LABELS:
        if loss >= threshold - 1e-12:
            return name
    return None


@dataclass(frozen=True)
class Option:
    action: str
    win: float
    samples: int


@dataclass(frozen=True)
class ReviewedDecision:
    index: int                  # 1-based place in the game's action list
    round: int
    company: str
    action: str                 # what was played
    best: str                   # the best option found
    chosen_win: float           # the mover's win chance after what was played
    best_win: float             # ... after the best option
    loss: float                 # best_win - chosen_win (0 when the choice was the best)
    label: str | None
    options: tuple[Option, ...]  # every candidate, best first
    facts: tuple[str, ...]      # the facts behind the better option (its rules entry's source)


@dataclass
class GameReview:
    decisions: list[ReviewedDecision]
    samples: int
    confirm: int
    seed: int
    companies: list[str] = field(default_factory=list)

    def of(self, company: str) -> list[ReviewedDecision]:
        return [d for d in self.decisions if d.company == company]

    def counts(self, company: str) -> dict[str, int]:
        out = {name: 0 for _, name in LABELS}
        for d in self.of(company):
            if d.label:
                out[d.label] += 1
        return out

    def costliest(self, company: str, n: int = 3) -> list[ReviewedDecision]:
        return sorted((d for d in self.of(company) if d.loss > 0), key=lambda d: (-d.loss, d.index))[:n]

    def win_chance(self, company: str) -> list[tuple[int, float]]:
        """The company's win chance after each of its own decisions, as it played them."""
        return [(d.index, d.chosen_win) for d in self.of(company)]

    def as_dict(self) -> dict:
        return {
            "samples": self.samples, "confirm": self.confirm, "seed": self.seed,
            "labels": {name: threshold for threshold, name in LABELS},
            "companies": {c: {"counts": self.counts(c),
                              "costliest": [asdict(d) for d in self.costliest(c)],
                              "win_chance": self.win_chance(c),
                              "decisions": [asdict(d) for d in self.of(c)]}
                          for c in self.companies},
        }


@dataclass(frozen=True)
class _Task:
    rules_dir: str
    fingerprint: str
    scenario: str
    seed: int
    players: tuple[str, ...]
    actions: tuple[str, ...]           # the game's whole action list
    interventions: tuple[dict, ...]
    index: int                         # 0-based: review the decision before actions[index]
    samples: int
    confirm: int
    review_seed: int


def _position(rules: Rules, task: _Task) -> GameState:
    state = new_game(rules, task.scenario, task.seed, task.players)
    pending = sorted(task.interventions, key=lambda iv: int(iv["at"]))
    for i in range(task.index + 1):
        while pending and int(pending[0]["at"]) <= i:
            facilitator.replay(state, pending.pop(0))
        if i < task.index:
            state.apply_action(Action.parse(task.actions[i]))
    return state


def _wins(state: GameState, action: Action, seeds: Sequence[int], me: int, mine: HeuristicPlayer) -> float:
    won = 0
    for s in seeds:
        sim = state.clone(chance_seed=s % (1 << 63), logging=False)
        sim.apply_action(action)
        policies = [mine.choose if i == me else
                    HeuristicPlayer(style=HeuristicStyle.varied(s % (1 << 31) + i)).choose
                    for i in range(len(sim.companies))]
        while not sim.terminal:
            sim.apply_action(policies[sim.current](sim))
        won += sim.winner == me
    return won / len(seeds)


def _review_one(task: _Task) -> ReviewedDecision | None:
    rules = rules_for(task.rules_dir, task.fingerprint)
    state = _position(rules, task)
    legal = state.legal_actions()
    if len(legal) <= 1:
        return None                     # nothing to decide
    me = state.current
    chosen = Action.parse(task.actions[task.index])
    rng = np.random.default_rng([task.review_seed & 0xFFFFFFFF, task.index])
    seeds = [int(x) for x in rng.integers(1 << 62, size=task.samples + task.confirm)]
    mine = HeuristicPlayer(style=HeuristicStyle())
    first = seeds[:task.samples]
    values = {str(a): _wins(state, a, first, me, mine) for a in legal}
    chosen_key = str(chosen)
    # Best first; on a tie the chosen action counts as the best (no loss for an equal choice).
    best_key = min(values, key=lambda k: (-values[k], k != chosen_key, k))
    chosen_win, best_win = values[chosen_key], values[best_key]
    n = task.samples
    if best_key != chosen_key and best_win - chosen_win >= LABELS[-1][0] - 1e-12 and task.confirm:
        # Confirm on more samples (the first ones kept) before calling it a loss.
        more = seeds[task.samples:]
        best_action = next(a for a in legal if str(a) == best_key)
        chosen_win = (chosen_win * n + _wins(state, chosen, more, me, mine) * len(more)) / (n + len(more))
        best_win = (best_win * n + _wins(state, best_action, more, me, mine) * len(more)) / (n + len(more))
        values[chosen_key], values[best_key] = chosen_win, best_win
        if chosen_win >= best_win:      # the larger sample clears the choice
            best_key, best_win = chosen_key, chosen_win
    loss = max(0.0, best_win - chosen_win) if best_key != chosen_key else 0.0
    best_spec = rules.action(Action.parse(best_key).id)
    options = tuple(Option(k, v, n + (task.confirm if k in (chosen_key, best_key) and loss else 0))
                    for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0] != best_key, kv[0])))
    return ReviewedDecision(task.index + 1, state.round, state.current_company, chosen_key, best_key,
                            chosen_win, best_win, loss, label_of(loss), options, tuple(best_spec.source))


class ReviewCancelled(Exception):
    """The review was stopped before its end (:func:`review_game`'s ``cancelled`` said so)."""


def review_game(rules_dir: str | Path, state: GameState, *, samples: int = 16, confirm: int = 48,
                jobs: int = 1, seed: int = 0, only: Sequence[int] | None = None,
                spawn: bool = False, cancelled: Callable[[], bool] | None = None) -> GameReview:
    """Review every decision of ``state`` (finished or not) with the rules of ``rules_dir``;
    ``only``: just these decisions (1-based indices in the action list)."""
    rules = rules_for(str(rules_dir))
    if rules.fingerprint != state.rules.fingerprint:
        raise ValueError(f"{rules_dir}: not the rules this game was played with")
    if samples < 1 or confirm < 0:
        raise ValueError("--samples must be at least 1 and --confirm at least 0")
    actions = tuple(str(a) for a in state.history)
    base = dict(rules_dir=str(rules_dir), fingerprint=rules.fingerprint, scenario=state.scenario.id,
                seed=state.seed, players=tuple(state.players), actions=actions,
                interventions=tuple(iv.to_json() for iv in state.interventions),
                samples=samples, confirm=confirm, review_seed=seed)
    wanted = range(len(actions)) if only is None else sorted({i - 1 for i in only if 1 <= i <= len(actions)})
    tasks = [_Task(index=i, **base) for i in wanted]   # type: ignore[arg-type]
    decisions = []
    results = run_ordered(_review_one, tasks, jobs, spawn=spawn)
    try:
        for d in results:
            if cancelled is not None and cancelled():
                raise ReviewCancelled("the review was cancelled")
            if d is not None:
                decisions.append(d)
    finally:
        results.close()         # a cancelled review drops the decisions not started yet
    return GameReview(decisions, samples, confirm, seed, list(state.players))
