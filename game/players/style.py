"""The heuristic's style: its thresholds and habits, a value the tools tune and the styles file
(rules/ai_styles.toml, game/players/styles.py) sets per company. Apart from the player, so that
the file's reader and the player both build on it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class HeuristicStyle:
    """The heuristic's tunable thresholds and habits (jittered by seed, fixed, or tuned per company)."""

    ux_floor: float = 45.0        # do not sell below this user experience
    live_floor: float = 62.0      # do not use live pushes below this
    ban_ratio: float = 0.4        # ban outside links once own conversion (merchants served) is this share
                                  # of the partner's: Douyin's is 0.39 of Taobao's in 2020 Q1, 0.49 in Q2
    reserve: float = 0.0          # capital kept back from buying traffic
    rush: float = 3.0             # build more than once a turn while capital >= rush x step cost
    builds: int = 0               # build steps a turn before selling while racing (0: by the
                                  # scenario: two when it is won on goal points, else one)
    content_rounds: int = 5       # grow own hosts only with at least this many rounds left to pay back
    hardball: float = 1.0         # the waybill provider refuses a rival this many points ahead of it
    value_rounds: int = 4         # after the loop and the app, keep building conversion while at
                                  # least this many rounds are left to pay it back (0: never)
    fund_ads: bool = True         # run ads at a turn's start to afford two build steps toward the loop
    shelf_guard: float = 40.0     # live pushes wait for this much more user experience per unit of
                                  # shelf_rate: a shopping app's own buyers leave as it wears them out
    late_rounds: int = 3          # ... except in the game's last rounds
    quick_wins: bool = True       # of the planned builds, first the one that converts soonest
    setback: bool = True          # hire away a rival's team while its supply-chain build is unfinished
    launch_sold: bool = False     # launch the app only after the turn has sold (a launch's turn
                                  # otherwise goes to migrations and the quarter sells nothing)
    habits: bool = True           # play each company with its own habits on top of these thresholds
                                  # (rules/ai_styles.toml [heuristic.COMPANY]); off for a complete
                                  # style (the search players' own styles, tools/tune_style.py)

    @classmethod
    def varied(cls, seed: int) -> HeuristicStyle:
        """A style jittered by seed, so a batch of games sees different openings."""
        rng = np.random.default_rng(seed)
        style = cls(ux_floor=float(rng.uniform(40, 55)), live_floor=float(rng.uniform(56, 72)),
                    ban_ratio=float(rng.uniform(0.3, 0.5)), reserve=float(rng.uniform(0, 10)),
                    rush=float(rng.uniform(2.0, 6.0)))
        # Drawn after the others, so the older thresholds keep their values for a seed.
        style = replace(style, content_rounds=int(rng.integers(3, 8)), hardball=float(rng.uniform(0.3, 2.0)))
        return replace(style, value_rounds=int(rng.integers(3, 7)))
