"""A search player: Monte Carlo rollouts of the whole game over the engine's public API.

The algorithm (docs/ai.md has the measurements behind each choice) is a flat Monte Carlo
search at the decision in front of it, a one-step *rollout policy improvement* over the
heuristic:

- **Candidates**: every legal action (about 10 at a real decision, at most 13 in the default
  game; few enough that the root needs no progressive widening). The heuristic's own pick
  comes first, so it wins ties.
- **Samples**: sample ``j`` is one possible future, the same for every candidate (common
  random numbers, so two candidates are compared on the same futures): the events still to
  come are drawn afresh with ``state.clone(chance_seed=...)`` from the player's own seeded
  generator (the real future draws are never read), and every rival is played by a heuristic
  of a style drawn for that sample (the real rivals' styles are not known).
- **Rollouts**: from the state after the candidate, every company (the searcher included) is
  played to the end of the game by the heuristic (``rollout="heuristic"``, every level; its own
  company, at normal and hard, in the style tuned for it: rules/ai_styles.toml), or
  uniformly at random (``rollout="random"``: measured much weaker, docs/ai.md), in the
  engine's rollout mode (``logging=False``).
- **Value**: the searcher's result in ``returns()`` (1 for a win), optionally blended with its
  goal-point margin over the best rival (``shaped``) so that rollouts that are all won or all
  lost still rank the candidates.
- **Allocation**: sequential halving (Karnin et al. 2013): the budget is split over
  ceil(log2 K) stages; each stage gives every surviving candidate the same samples and keeps
  the better half. Every survivor gets at least one rollout a stage, so a budget smaller
  than the candidates' count uses a little more.

The levels (``LEVELS``): easy and normal 12 rollouts, hard 160; easy breaks ties by the engine's
order instead of the heuristic's pick (``use_prior=False``), which makes it weaker than the
heuristic (measured, docs/ai.md).

Deterministic: a decision depends only on the state, the seed and the budget (the sampling
generator is seeded by the seed and the position, not by earlier decisions), unless a
``time_limit`` is set (off by default). A decision with one legal action (only ``end_turn``)
is returned at once, without search.

``explain_last()`` returns the last decision's :class:`SearchExplanation`: the chosen action,
the top options with their expected values and win chances, and ``line(lang)``, one sentence a
student can read (texts in rules/ai.toml, Chinese and English).
"""

from __future__ import annotations

import math
import random
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from game.engine import Action, GameState, Rules
from game.engine.rules import Text

from .heuristic import HeuristicPlayer
from .style import HeuristicStyle
from .styles import own_style

# ------------------------------------------------------------------------------ configuration


@dataclass(frozen=True)
class SearchConfig:
    """How hard a search player thinks.

    ``iterations``: rollouts per decision (the budget; the same budget gives the same moves).
    ``rollout``: the policy that plays every company after the candidate ("heuristic" or
    "random"). ``shaped``: weight in [0, 1] of the goal-point margin in a rollout's value (0:
    the win alone). ``margin_scale``: goal points at which the margin's part is about 3/4 of its
    weight. ``prior_bonus``: value added to the heuristic's own pick (a tie-breaker worth this
    many wins per rollout). ``use_prior``: put the heuristic's pick first (it wins ties); without
    it the candidates keep the engine's order. ``own_style``: play its own company, in the rollouts
    and for the prior, with the style tuned for that company (rules/ai_styles.toml,
    game/players/styles.py) instead of the heuristic's default. ``keep_prior``: the heuristic's
    pick survives every halving stage, so the winner is compared with it on the same samples
    (the explanation's ``advantage``). ``time_limit``: optional seconds
    after which a decision stops sampling (makes play depend on the machine's speed; None by
    default).
    """

    iterations: int = 200
    rollout: str = "heuristic"
    shaped: float = 0.0
    margin_scale: float = 1.0
    prior_bonus: float = 0.0
    use_prior: bool = True
    own_style: bool = True
    keep_prior: bool = False
    time_limit: float | None = None

    def __post_init__(self) -> None:
        if self.iterations < 1:
            raise ValueError(f"iterations must be at least 1, got {self.iterations}")
        if self.rollout not in ("heuristic", "random"):
            raise ValueError(f"rollout must be 'heuristic' or 'random', got {self.rollout!r}")
        if not 0.0 <= self.shaped <= 1.0:
            raise ValueError(f"shaped must be within 0..1, got {self.shaped}")


#: The levels of the search player (``make_player("hard", seed)``); docs/ai.md has their
#: measured strength and speed.
LEVELS: dict[str, SearchConfig] = {
    "easy": SearchConfig(iterations=12, rollout="heuristic", use_prior=False, own_style=False),
    "normal": SearchConfig(iterations=12, rollout="heuristic"),
    "hard": SearchConfig(iterations=160, rollout="heuristic", shaped=0.02, keep_prior=True),
}


# ------------------------------------------------------------------------------ explanations


@dataclass(frozen=True, slots=True)
class OptionValue:
    """One candidate of a decision as the search saw it."""

    action: Action
    value: float          # mean rollout value (the search's ranking; with shaped=0 the win chance)
    win: float            # share of its rollouts the searcher won
    samples: int          # rollouts it got


@dataclass(frozen=True)
class SearchExplanation:
    """Why a search player took its last action: the choice and the best options it weighed."""

    company: str
    action: Action
    options: tuple[OptionValue, ...]    # best first (the chosen one), at most three
    candidates: int                     # legal actions weighed
    rollouts: int                       # rollouts played for this decision
    rules: Rules = field(repr=False, compare=False)
    prior: Action | None = None         # the heuristic's pick (its own style), tried first
    advantage: float = 0.0              # the best option's mean value over the prior's, paired
    advantage_z: float = 0.0            # ... in standard errors of the paired difference

    @property
    def forced(self) -> bool:
        """Only one legal action: nothing was weighed."""
        return self.candidates <= 1

    def line(self, lang: str = "en") -> str:
        """One sentence: what it does, its expected win chance, and the next best option."""
        texts = ai_texts()
        move = action_phrase(self.rules, self.action, lang)
        company = self.rules.name_of("company", self.company, lang)
        if self.forced or len(self.options) < 2:
            return _fill(texts["line"]["forced"], lang, company=company, move=move)
        best, second = self.options[0], self.options[1]
        return _fill(texts["line"]["choice"], lang, company=company, move=move, win=_pct(best.win),
                     next=action_phrase(self.rules, second.action, lang), next_win=_pct(second.win))

    def option_lines(self, lang: str = "en") -> list[str]:
        """One short line per option: the action, its expected win chance, its rollouts."""
        row = ai_texts()["line"]["option"]
        return [_fill(row, lang, rank=str(i + 1), move=action_phrase(self.rules, o.action, lang),
                      win=_pct(o.win), value=f"{o.value:.2f}", samples=str(o.samples))
                for i, o in enumerate(self.options)]


def _pct(x: float) -> str:
    return f"{round(100 * x):d}%"


def _fill(text: Text, lang: str, **values: str) -> str:
    return text.get(lang).format(**values)


AI_TEXTS = "ai.toml"


@lru_cache(maxsize=1)
def ai_texts() -> dict[str, dict[str, Text]]:
    """The search player's texts (rules/ai.toml): ``line`` (sentences) and ``move`` (one phrase
    per action id, with ``{target}`` for a capability or a company)."""
    from game.engine.rules import Text as _Text
    from game.paths import RULES_DIR

    data = tomllib.loads((Path(RULES_DIR) / AI_TEXTS).read_text(encoding="utf-8"))
    return {section: {k: _Text(v["zh"], v["en"]) for k, v in table.items()}
            for section, table in data.items()}


def action_phrase(rules: Rules, action: Action, lang: str) -> str:
    """An action as a verb phrase ("builds Own payment", "sells in the feed"); an action id
    without its own phrase falls back to the action's name."""
    target = ""
    if action.target is not None:
        kind = "capability" if rules.has_capability(action.target) else "company"
        try:
            target = rules.name_of(kind, action.target, lang)
        except KeyError:
            target = action.target
    phrase = ai_texts()["move"].get(action.id)
    if phrase is not None:
        return _fill(phrase, lang, target=target)
    name = rules.action(action.id).name.get(lang)
    return f"{name}{'：' if lang == 'zh' else ': '}{target}" if target else name


# ------------------------------------------------------------------------------ the player


class SearchPlayer:
    """Flat Monte Carlo search with heuristic rollouts (see the module's docstring)."""

    name = "search"

    def __init__(self, seed: int = 0, config: SearchConfig | None = None, level: str | None = None):
        if config is None:
            config = LEVELS[level or "hard"]
        self.seed = int(seed)
        self.config = config
        self.name = level or "search"
        self.own = HeuristicPlayer(seed, HeuristicStyle())   # its rollout policy and prior by default
        self._own_by: dict[tuple[str, str, str], HeuristicPlayer] = {}
        self._last: SearchExplanation | None = None
        self.last_seconds = 0.0

    # ---------------------------------------------------------------- the public surface

    def choose(self, state: GameState) -> Action:
        started = time.perf_counter()
        legal = state.legal_actions()
        if len(legal) == 1:
            self._last = SearchExplanation(state.current_company, legal[0], (), 1, 0, state.rules)
            self.last_seconds = time.perf_counter() - started
            return legal[0]
        explanation = self.search(state, legal, started)
        self._last = explanation
        self.last_seconds = time.perf_counter() - started
        return explanation.action

    def explain_last(self) -> SearchExplanation | None:
        """The last decision's explanation (None before the first)."""
        return self._last

    def own_policy(self, state: GameState) -> HeuristicPlayer:
        """The heuristic that plays its own company (the one to move) in its rollouts and
        names the option it tries first: the company's tuned style, or the default."""
        if not self.config.own_style:
            return self.own
        key = (state.scenario.id, state.current_company, state.rules.source_dir)
        player = self._own_by.get(key)
        if player is None:
            player = self._own_by[key] = HeuristicPlayer(self.seed, own_style(*key), plans=self.own.plans)
        return player

    # ---------------------------------------------------------------- the search

    def _rng(self, state: GameState) -> np.random.Generator:
        # Seeded by the position, not by earlier calls: the same state gives the same move.
        entropy = [self.seed & 0xFFFFFFFF, len(state.history), state.round, state.current]
        return np.random.default_rng(np.random.SeedSequence(entropy))

    def search(self, state: GameState, legal: Sequence[Action] | None = None,
               started: float | None = None) -> SearchExplanation:
        """Weigh every legal action of the company to move; the best one comes first."""
        cfg = self.config
        started = time.perf_counter() if started is None else started
        legal = list(legal if legal is not None else state.legal_actions())
        me = state.current
        own = self.own_policy(state)
        if cfg.use_prior:
            prior = own.choose(state)
            candidates = [prior] + [a for a in legal if a != prior]
        else:
            candidates = legal
        k = len(candidates)
        rng = self._rng(state)
        n_players = len(state.players)
        sample_seeds: list[int] = []
        policies: list[list[Callable[[GameState], Action]]] = []

        def sample(j: int) -> tuple[int, list[Callable[[GameState], Action]]]:
            while len(sample_seeds) <= j:
                s = int(rng.integers(1 << 62))
                sample_seeds.append(s)
                policies.append(self._policies(s, me, n_players, own))
            return sample_seeds[j], policies[j]

        totals = [0.0] * k
        values: list[list[float]] = [[] for _ in range(k)]   # per sample: paired comparisons
        wins = [0.0] * k
        counts = [0] * k
        alive = list(range(k))
        stages = max(1, math.ceil(math.log2(k)))
        budget = cfg.iterations
        used = 0
        next_sample = [0] * k
        reached = [0] * k      # halving stages survived
        out_of_time = False
        for stage in range(stages):
            per = max(1, (budget - used) // ((stages - stage) * len(alive)))
            for _ in range(per):
                for i in alive:
                    j = next_sample[i]
                    chance_seed, players = sample(j)
                    win, value = self._rollout(state, candidates[i], chance_seed, players, me)
                    totals[i] += value
                    values[i].append(value)
                    wins[i] += win
                    counts[i] += 1
                    next_sample[i] = j + 1
                    used += 1
                if cfg.time_limit is not None and time.perf_counter() - started > cfg.time_limit:
                    out_of_time = True
                    break
            if len(alive) <= 1 or out_of_time:
                break
            alive.sort(key=lambda i: (-self._score(totals[i], counts[i], i), i))
            keep = alive[:max(1, (len(alive) + 1) // 2)]
            if cfg.keep_prior and cfg.use_prior and 0 not in keep:
                keep.append(0)     # the heuristic's pick stays to be compared with
            alive = keep
            for i in alive:
                reached[i] = stage + 1
        # The survivor first, then the others by the stage they reached (a later one was compared
        # on more samples), then by value: the runner-up of the last stage is the "next best".
        ranked = sorted(range(k), key=lambda i: (-reached[i], -self._score(totals[i], counts[i], i), i))
        advantage, z = paired_advantage(values[ranked[0]], values[0]) if ranked[0] != 0 else (0.0, 0.0)
        options = tuple(OptionValue(candidates[i], totals[i] / max(counts[i], 1),
                                    wins[i] / max(counts[i], 1), counts[i]) for i in ranked[:3])
        return SearchExplanation(state.current_company, options[0].action, options, k, used,
                                 state.rules, candidates[0], advantage, z)

    def _score(self, total: float, count: int, i: int) -> float:
        mean = total / count if count else -1.0
        return mean + (self.config.prior_bonus if i == 0 and self.config.use_prior else 0.0)

    def _policies(self, sample_seed: int, me: int, n: int,
                  own: HeuristicPlayer) -> list[Callable[[GameState], Action]]:
        """The rollout policy of every company for one sample."""
        if self.config.rollout == "random":
            # One generator for every company, restarted at each rollout (see _rollout).
            return [_RandomPolicy(sample_seed)] * n
        out: list[Callable[[GameState], Action]] = []
        for i in range(n):
            if i == me:
                out.append(own.choose)
            else:
                # A rival's style is not known: one drawn for this sample.
                out.append(HeuristicPlayer(style=HeuristicStyle.varied(sample_seed % (1 << 31) + i)).choose)
        return out

    def _rollout(self, state: GameState, action: Action, chance_seed: int,
                 players: list[Callable[[GameState], Action]], me: int) -> tuple[float, float]:
        sim = state.clone(chance_seed=chance_seed % (1 << 63), logging=False)
        sim.apply_action(action)
        if isinstance(players[0], _RandomPolicy):
            players[0].reset()
        apply = sim.apply_action
        while not sim.terminal:
            apply(players[sim.current](sim))
        win = 1.0 if sim.winner == me else 0.0
        w = self.config.shaped
        if w <= 0.0:
            return win, win
        mine = sim.companies[me].points
        rival = max(cs.points for i, cs in enumerate(sim.companies) if i != me)
        shaped = 0.5 * (1.0 + math.tanh((mine - rival) / self.config.margin_scale))
        return win, (1.0 - w) * win + w * shaped


def paired_advantage(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Mean of ``a[j] - b[j]`` over the samples both have, and that mean in standard errors
    (infinite when every difference is the same positive number, 0 with no samples)."""
    n = min(len(a), len(b))
    if n == 0:
        return 0.0, 0.0
    diffs = [a[j] - b[j] for j in range(n)]
    mean = sum(diffs) / n
    if n == 1:
        return mean, 0.0
    var = sum((d - mean) ** 2 for d in diffs) / (n - 1)
    if var <= 0.0:
        return mean, (math.inf if mean > 0 else 0.0)
    return mean, mean / math.sqrt(var / n)


class _RandomPolicy:
    """Uniform random play for a rollout, restarted from its sample's seed each rollout (so
    every candidate meets the same random continuation)."""

    def __init__(self, seed: int):
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        self._random = random.Random(self.seed).random

    def __call__(self, state: GameState) -> Action:
        legal = state.legal_actions()
        return legal[int(self._random() * len(legal))]


def make_search_player(level: str, seed: int = 0) -> SearchPlayer:
    """The search player of a level ('easy', 'normal', 'hard')."""
    if level not in LEVELS:
        raise ValueError(f"unknown search level '{level}' (known: {', '.join(LEVELS)})")
    return SearchPlayer(seed, LEVELS[level], level)
